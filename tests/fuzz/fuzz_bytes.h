/*
 * Reading a fuzzer's bytes as numbers, shared by the targets that build
 * models from them (fuzz_market.c, fuzz_scenario.c, fuzz_loan.c). Past the
 * end, every byte reads as 0, so any input builds something.
 */
#ifndef CRIT_TESTS_FUZZ_BYTES_H
#define CRIT_TESTS_FUZZ_BYTES_H

#include <crit.h>

#include <math.h>
#include <stddef.h>
#include <stdint.h>

/* The library's live allocations when the target first ran: what each
   input must leave behind. */
static uint64_t live_at_start(void)
{
    static uint64_t base;
    static int started;
    if (!started) {
        base = crit_allocator_live_blocks();
        started = 1;
    }
    return base;
}

typedef struct reader {
    const uint8_t *p;
    size_t left;
} reader;

static unsigned byte(reader *r)
{
    if (r->left == 0)
        return 0;
    r->left--;
    return *r->p++;
}

/* A value in [0, 1) from two bytes. */
static double unit(reader *r)
{
    unsigned hi = byte(r), lo = byte(r);
    return (double)(hi << 8 | lo) / 65536.0;
}

/* 0 (byte 0), or a value from 10^lo to 10^hi, log-uniform. */
static double magnitude(reader *r, double lo, double hi)
{
    if (byte(r) == 0)
        return 0;
    return pow(10, lo + (hi - lo) * unit(r));
}

/*
 * A stockpile agent's purchase trigger B for a ramp of smoothing sigma,
 * from a unit draw v: below 0.9 the ramp ends below Pmax (B (1 + sigma) =
 * Pmax v, slightly less), from 0.9 anywhere up to 2 Pmax, where an agent
 * still buying at the choke price is rationed.
 */
static inline double purchase_trigger(double pmax, double sigma, double v)
{
    if (v < 0.9)
        return pmax * v / (1 + sigma) * (1 - 1e-9);
    return pmax * 20 * (v - 0.9) / (1 + sigma);
}

#endif /* CRIT_TESTS_FUZZ_BYTES_H */

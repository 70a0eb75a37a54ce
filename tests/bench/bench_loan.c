/*
 * bench_loan: loan schedule generation, against QuantLib's amortizing
 * fixed-rate bonds for the same loans when the peer program was built.
 *
 * Two figures: one 15-year monthly level annuity with fees and a two-year
 * interest-only grace period (microseconds per schedule), and a batch of
 * 10,000 varied loans (every frequency, day count, amortisation, tenors of
 * 1 to 30 years, grace periods; milliseconds per batch). Each time is the
 * best of several repetitions and covers building the schedule and reading
 * its interest and principal into arrays. The peer runs in the same
 * invocation; every period's interest and principal must agree to 1e-8
 * relative, or the program fails.
 */
#define _POSIX_C_SOURCE 200809L

#include <crit.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BATCH 10000
#define SINGLE_ITER 2000
#define REPS 5
#define TOLERANCE 1e-8

typedef struct spec {
    int y, m, d, n, freq;
    double rate, amount;
    int grace, amort, dc;
} spec;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static uint32_t rng(void)
{
    /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 2685821657736338717u) >> 32);
}

static void make_batch(spec *s, size_t count)
{
    static const int freqs[4] = {1, 2, 4, 12};
    for (size_t i = 0; i < count; i++) {
        spec *p = &s[i];
        p->freq = freqs[rng() % 4];
        p->n = (int)(1 + rng() % 30) * p->freq;
        p->grace = rng() % 3 == 0 ? (int)(rng() % (uint32_t)p->n) : 0;
        p->amort = (int)(rng() % 3);
        p->dc = (int)(rng() % 4);
        p->rate = 0.005 + 0.095 * (rng() % 1000) / 1000.0;
        p->amount = 1e6 * (1 + rng() % 1000);
        p->y = 2020 + (int)(rng() % 16);
        p->m = 1 + (int)(rng() % 12);
        int dim = crit_date_days_in_month(p->y, p->m);
        p->d = 1 + (int)(rng() % (uint32_t)dim);
    }
}

/* The 15-year loan: 10.5 bn committed, 10 bn drawn at signing, 4.5 %
 * 30/360, two years interest-only, 0.5 % upfront, 0.25 % commitment fee
 * on the undrawn half billion through a one-year availability period. */
static const spec single = {2026, 2, 15, 180, 12, 0.045, 1e10, 24, 0, 2};

static int build(const spec *p, int with_availability, double *interest,
                 double *principal)
{
    crit_loan_def d;
    crit_loan_def_init(&d);
    crit_date start;
    if (crit_date_from_ymd(&start, p->y, p->m, p->d) ||
        crit_date_add_months(&d.maturity, start, p->n * (12 / p->freq), 0))
        return -1;
    d.start = start;
    d.availability_end = start;
    d.commitment = p->amount;
    if (with_availability) {
        d.commitment = p->amount * 1.05;
        crit_date_add_months(&d.availability_end, start, 12, 0);
        d.commitment_fee_rate = 0.0025;
    }
    d.frequency = p->freq;
    d.day_count = p->dc;
    d.fixed_rate = p->rate;
    d.amortisation = p->amort;
    d.grace_periods = p->grace;
    d.upfront_fee_rate = 0.005;
    d.draw_count = 1;
    d.draw_dates = &start;
    d.draw_amounts = &p->amount;
    crit_loan *l;
    int rc = crit_loan_new(&l, &d);
    if (rc)
        return rc;
    size_t rows = crit_loan_row_count(l);
    /* row 0 holds the draw and the upfront fee: periods are rows 1..n */
    double buf[2][1 + 30 * 12];
    if ((rc = crit_loan_column(buf[0], rows, l, CRIT_LOAN_COL_INTEREST)) ||
        (rc = crit_loan_column(buf[1], rows, l, CRIT_LOAN_COL_PRINCIPAL))) {
        crit_loan_free(l);
        return rc;
    }
    memcpy(interest, buf[0] + 1, (rows - 1) * sizeof *interest);
    memcpy(principal, buf[1] + 1, (rows - 1) * sizeof *principal);
    crit_loan_free(l);
    return 0;
}

/* Time one pass over the loans; best of REPS. */
static double time_crit(const spec *s, size_t count, int with_availability,
                        double *interest, double *principal)
{
    double best = INFINITY;
    for (int r = 0; r < REPS; r++) {
        double t0 = now_s();
        size_t off = 0;
        for (size_t i = 0; i < count; i++) {
            if (build(&s[i], with_availability, interest + off,
                      principal + off)) {
                fprintf(stderr, "bench_loan: loan %zu: %s\n", i,
                        crit_error_last());
                exit(1);
            }
            off += (size_t)s[i].n;
        }
        double dt = now_s() - t0;
        if (dt < best)
            best = dt;
    }
    return best;
}

#ifdef CRIT_BENCH_LOAN_PEER
/* Run the peer on the same loans: its best time for `reps` passes, and
 * the largest relative difference of its amounts from ours. */
static double run_peer(const spec *s, size_t count, int reps,
                       const double *interest, const double *principal,
                       double *max_rel)
{
    char dir[] = "/tmp/bench_loan.XXXXXX";
    if (!mkdtemp(dir))
        return -1;
    char spec_path[64], out_path[64], cmd[512];
    snprintf(spec_path, sizeof spec_path, "%s/spec", dir);
    snprintf(out_path, sizeof out_path, "%s/out", dir);
    FILE *f = fopen(spec_path, "w");
    if (!f)
        return -1;
    fprintf(f, "%zu %d\n", count, reps);
    size_t total = 0;
    for (size_t i = 0; i < count; i++) {
        const spec *p = &s[i];
        fprintf(f, "%d %d %d %d %d %.17g %.17g %d %d %d\n", p->y, p->m, p->d,
                p->n, p->freq, p->rate, p->amount, p->grace, p->amort, p->dc);
        total += (size_t)p->n;
    }
    fclose(f);
    snprintf(cmd, sizeof cmd, "'%s' '%s' '%s'", CRIT_BENCH_LOAN_PEER, spec_path,
             out_path);
    FILE *pipe = popen(cmd, "r");
    double seconds = -1;
    if (pipe) {
        if (fscanf(pipe, "seconds %lf", &seconds) != 1)
            seconds = -1;
        if (pclose(pipe) != 0)
            seconds = -1;
    }
    double *qi = malloc(total * sizeof *qi), *qp = malloc(total * sizeof *qp);
    f = seconds > 0 ? fopen(out_path, "rb") : NULL;
    *max_rel = INFINITY;
    if (f && qi && qp) {
        size_t off = 0, ok = 1;
        for (size_t i = 0; i < count && ok; i++) {
            size_t n = (size_t)s[i].n;
            ok = fread(qi + off, sizeof *qi, n, f) == n &&
                 fread(qp + off, sizeof *qp, n, f) == n;
            off += n;
        }
        if (ok) {
            double worst = 0;
            for (size_t k = 0; k < 2 * total; k++) {
                double a = k < total ? interest[k] : principal[k - total];
                double b = k < total ? qi[k] : qp[k - total];
                double scale = fmax(fabs(a), fabs(b));
                double rel = scale > 0 ? fabs(a - b) / scale : 0;
                if (!(rel <= worst))
                    worst = rel;
            }
            *max_rel = worst;
        }
    }
    if (f)
        fclose(f);
    free(qi);
    free(qp);
    remove(spec_path);
    remove(out_path);
    rmdir(dir);
    return seconds;
}
#endif

/* Print the BENCH lines of one figure: `ours` is the best pass over the
 * `count` loans in seconds, reported per `per` loans in `unit` (`scale`
 * units a second). */
static int report(const char *name, double ours, size_t per, double scale,
                  const char *unit, const spec *s, size_t count,
                  const double *interest, const double *principal)
{
    double v = ours / (double)per * scale;
#ifdef CRIT_BENCH_LOAN_PEER
    double max_rel;
    double peer = run_peer(s, count, REPS, interest, principal, &max_rel);
    if (peer < 0) {
        fprintf(stderr, "bench_loan: the QuantLib peer failed\n");
        return 1;
    }
    double pv = peer / (double)per * scale;
    printf("BENCH name=%s value=%.6g unit=%s peer=quantlib peer_value=%.6g "
           "ratio=%.3g\n",
           name, v, unit, pv, pv / v);
    printf("BENCH name=%s_max_rel_diff value=%.3g unit=1\n", name, max_rel);
    if (!(max_rel <= TOLERANCE)) {
        fprintf(stderr,
                "bench_loan: %s: libcrit and QuantLib differ by %g relative, "
                "above %g\n",
                name, max_rel, TOLERANCE);
        return 1;
    }
#else
    (void)s;
    (void)count;
    (void)interest;
    (void)principal;
    printf("BENCH name=%s value=%.6g unit=%s\n", name, v, unit);
#endif
    return 0;
}

int main(void)
{
    spec *batch = malloc(BATCH * sizeof *batch);
    double *interest = malloc(BATCH * 360 * sizeof *interest);
    double *principal = malloc(BATCH * 360 * sizeof *principal);
    if (!batch || !interest || !principal)
        return 1;
    make_batch(batch, BATCH);

    /* the single loan, SINGLE_ITER times per pass */
    spec *copies = malloc(SINGLE_ITER * sizeof *copies);
    if (!copies)
        return 1;
    for (size_t i = 0; i < SINGLE_ITER; i++)
        copies[i] = single;
    int rc = 0;
    double t = time_crit(copies, SINGLE_ITER, 1, interest, principal);
    rc |= report("loan_schedule_15y_monthly", t, SINGLE_ITER, 1e6, "us", copies,
                 SINGLE_ITER, interest, principal);
    free(copies);
    t = time_crit(batch, BATCH, 0, interest, principal);
    rc |= report("loan_schedule_batch_10000", t, 1, 1e3, "ms", batch, BATCH,
                 interest, principal);
    free(batch);
    free(interest);
    free(principal);
    return rc;
}

/*
 * failalloc.h: a test allocator for libcrit's allocator hook, header-only.
 *
 * It counts allocation attempts, fails the Nth one (and every later one,
 * or only the Nth), and tracks live blocks and bytes. On top of it,
 * failalloc_run() runs one operation under failure injection for
 * N = 0, 1, 2, ... until it succeeds and checks every failed attempt.
 *
 * Use (one cmocka test program; the header includes <cmocka.h>): define
 * FAILALLOC_FIXTURE before including it to get the usual fixture, one
 * allocator `fa` for the program and failalloc_setup / failalloc_teardown,
 * which clear the last error and install `fa` before a test and check for
 * leaks and uninstall it after:
 *
 *     #define FAILALLOC_FIXTURE
 *     #include "failalloc.h"
 *     ...
 *     cmocka_unit_test_setup_teardown(test_x, failalloc_setup,
 *                                     failalloc_teardown)
 *
 * (or failalloc_install(&fa) / failalloc_uninstall(&fa) from a fixture of
 * one's own: install needs no live libcrit block, uninstall fails on a
 * leak).
 *
 * An operation is a function `int op(void *ctx)` that makes one libcrit
 * call (or a short sequence) and returns its status; `unchanged(ctx)`,
 * optional, asserts that a failed attempt left every output as it was
 * (an out-pointer still holding its sentinel, a world still equal to a
 * copy taken before). Build everything the operation needs before the
 * run, with no failure armed:
 *
 *     struct ctx { crit_world *w; crit_world *out; };
 *     static int op_copy(void *p)
 *     {
 *         struct ctx *c = p;
 *         return crit_world_copy(&c->out, c->w);
 *     }
 *     static void copy_unchanged(void *p)
 *     {
 *         assert_null(((struct ctx *)p)->out);
 *     }
 *     ...
 *     struct ctx c = {world, NULL};
 *     uint64_t n = failalloc_run(&fa, FAILALLOC_FROM, op_copy,
 *                                copy_unchanged, &c);
 *     // n: allocations the successful attempt made; c.out is the copy
 *
 * failalloc_run() asserts, for each N before success: the operation
 * returned CRIT_ENOMEM, crit_error_last_code() is CRIT_ENOMEM, a failure
 * was really injected, libcrit's live block count (and this allocator's)
 * is back to its value before the attempt, and `unchanged(ctx)` holds.
 * Live bytes are not compared: a failed operation may keep a buffer it
 * grew by realloc before the failure (spare capacity, not a leak). It
 * returns once an attempt succeeds, with the number of allocations that
 * attempt made. Run it with FAILALLOC_FROM (the Nth and every later
 * allocation fail: the usual exhaustion) and with FAILALLOC_ONLY (only the
 * Nth fails: later allocations succeed, which exercises clean-up paths
 * that allocate again); between the two runs, release what the first
 * successful attempt produced. An operation is repeated after each
 * failure, which libcrit's "unchanged on failure" rule makes possible.
 *
 * The counters can also be read directly (allocs, live_blocks, live_bytes,
 * peak_bytes, ...) and failures armed by hand with failalloc_fail_from(),
 * failalloc_fail_only() and failalloc_disarm().
 *
 * Not thread-safe: install it and allocate from one thread. Every block
 * carries a small header holding its size; valgrind and ASan still see
 * overruns past the end of a block.
 */
#ifndef CRIT_TESTS_FAILALLOC_H
#define CRIT_TESTS_FAILALLOC_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <crit.h>

/** How an armed failure behaves. */
typedef enum failalloc_mode {
    FAILALLOC_OFF,  /**< nothing fails */
    FAILALLOC_FROM, /**< allocation N fails, and every one after it */
    FAILALLOC_ONLY  /**< only allocation N fails */
} failalloc_mode;

/** State of the test allocator; zeroed by failalloc_install(). */
typedef struct failalloc {
    failalloc_mode mode;  /**< armed failure, FAILALLOC_OFF when none */
    uint64_t fail_at;     /**< N, counted from 0 since arming */
    uint64_t armed_at;    /**< value of `calls` when armed */
    uint64_t calls;       /**< allocation attempts (malloc and realloc) */
    uint64_t allocs;      /**< attempts that succeeded */
    uint64_t failures;    /**< attempts failed on purpose */
    uint64_t frees;       /**< blocks released */
    uint64_t live_blocks; /**< blocks allocated and not yet released */
    size_t live_bytes;    /**< bytes in live blocks (as requested) */
    size_t peak_bytes;    /**< largest live_bytes seen */
    void *live;           /**< the live blocks, newest first */
} failalloc;

/* Each block starts with a header holding the size the caller asked for
 * and its place in the list of live blocks; max_align_t keeps the caller's
 * part aligned. */
typedef union failalloc_header {
    struct {
        size_t size;
        union failalloc_header *prev, *next;
    } b;
    max_align_t align;
} failalloc_header;

static inline void failalloc_link(failalloc *fa, failalloc_header *h)
{
    h->b.prev = NULL;
    h->b.next = fa->live;
    if (h->b.next)
        h->b.next->b.prev = h;
    fa->live = h;
}

static inline void failalloc_unlink(failalloc *fa, failalloc_header *h)
{
    if (h->b.prev)
        h->b.prev->b.next = h->b.next;
    else
        fa->live = h->b.next;
    if (h->b.next)
        h->b.next->b.prev = h->b.prev;
}

static inline int failalloc_should_fail(failalloc *fa)
{
    uint64_t n = fa->calls++ - fa->armed_at;
    int fail = (fa->mode == FAILALLOC_FROM && n >= fa->fail_at) ||
               (fa->mode == FAILALLOC_ONLY && n == fa->fail_at);
    if (fail)
        fa->failures++;
    return fail;
}

static inline void failalloc_grow(failalloc *fa, size_t add)
{
    fa->live_bytes += add;
    if (fa->live_bytes > fa->peak_bytes)
        fa->peak_bytes = fa->live_bytes;
}

static inline void *failalloc_malloc_cb(size_t size, void *payload)
{
    failalloc *fa = payload;
    if (failalloc_should_fail(fa) || size > SIZE_MAX - sizeof(failalloc_header))
        return NULL;
    failalloc_header *h = malloc(sizeof *h + size);
    if (!h)
        return NULL;
    h->b.size = size;
    failalloc_link(fa, h);
    fa->allocs++;
    fa->live_blocks++;
    failalloc_grow(fa, size);
    return h + 1;
}

static inline void *failalloc_realloc_cb(void *ptr, size_t size, void *payload)
{
    failalloc *fa = payload;
    if (failalloc_should_fail(fa) || size > SIZE_MAX - sizeof(failalloc_header))
        return NULL;
    failalloc_header *old = (failalloc_header *)ptr - 1;
    size_t old_size = old->b.size;
    failalloc_unlink(fa, old); /* realloc may move it */
    failalloc_header *h = realloc(old, sizeof *h + size);
    if (!h) {
        failalloc_link(fa, old);
        return NULL;
    }
    h->b.size = size;
    failalloc_link(fa, h);
    fa->allocs++;
    fa->live_bytes -= old_size;
    failalloc_grow(fa, size);
    return h + 1;
}

static inline void failalloc_free_cb(void *ptr, void *payload)
{
    failalloc *fa = payload;
    failalloc_header *h = (failalloc_header *)ptr - 1;
    failalloc_unlink(fa, h);
    fa->live_bytes -= h->b.size;
    fa->live_blocks--;
    fa->frees++;
    free(h);
}

/** Zero `fa` and install it as libcrit's allocator. Returns 0, or -1
 *  (after a failed cmocka check) when libcrit refuses it. */
static inline int failalloc_install(failalloc *fa)
{
    memset(fa, 0, sizeof *fa);
    crit_allocator a = {failalloc_malloc_cb, failalloc_realloc_cb,
                        failalloc_free_cb, fa};
    int rc = crit_allocator_set(&a);
    assert_int_equal(rc, CRIT_OK);
    return rc == CRIT_OK ? 0 : -1;
}

/* libcrit's own release (crit_internal.h), which the unit tests reach */
void crit__free(void *ptr);

/** Check that no block is live, then restore the C library's allocator.
 *  Returns 0, or fails (a cmocka failure, and -1) when blocks leaked. The
 *  leaked blocks are released through libcrit first, so that the
 *  allocator is restored anyway: a test that failed half-way (cmocka
 *  leaves it without running its clean-up) fails alone, not every test
 *  after it with "live blocks" in its set-up. */
static inline int failalloc_uninstall(failalloc *fa)
{
    uint64_t leaked = fa->live_blocks, lib = crit_allocator_live_blocks();
    size_t bytes = fa->live_bytes;
    while (fa->live)
        crit__free((failalloc_header *)fa->live + 1);
    int rc = crit_allocator_set(NULL);
    assert_int_equal(leaked, 0);
    assert_int_equal(bytes, 0);
    assert_int_equal(lib, 0);
    assert_int_equal(rc, CRIT_OK);
    return rc == CRIT_OK ? 0 : -1;
}

/** Fail allocation `n` (0 = the next one) and every later one. */
static inline void failalloc_fail_from(failalloc *fa, uint64_t n)
{
    fa->mode = FAILALLOC_FROM;
    fa->fail_at = n;
    fa->armed_at = fa->calls;
}

/** Fail only allocation `n` (0 = the next one). */
static inline void failalloc_fail_only(failalloc *fa, uint64_t n)
{
    fa->mode = FAILALLOC_ONLY;
    fa->fail_at = n;
    fa->armed_at = fa->calls;
}

/** Let every allocation succeed again. */
static inline void failalloc_disarm(failalloc *fa)
{
    fa->mode = FAILALLOC_OFF;
}

/** An operation run under failure injection: returns a libcrit status. */
typedef int (*failalloc_op)(void *ctx);
/** Asserts that a failed operation left its outputs as they were. */
typedef void (*failalloc_check)(void *ctx);

/** Upper bound on N in failalloc_run(): an operation that still fails
 *  after this many attempts is reported as a test failure. */
#define FAILALLOC_MAX_ATTEMPTS 100000u

/**
 * Run `op(ctx)` with allocation N failing (`mode` FAILALLOC_FROM or
 * FAILALLOC_ONLY) for N = 0, 1, 2, ... until it returns CRIT_OK; check
 * each failed attempt as described at the top of this file, calling
 * `unchanged(ctx)` (may be NULL) after each. Returns the number of
 * allocations the successful attempt made.
 */
static inline uint64_t failalloc_run(failalloc *fa, failalloc_mode mode,
                                     failalloc_op op, failalloc_check unchanged,
                                     void *ctx)
{
    assert_true(mode == FAILALLOC_FROM || mode == FAILALLOC_ONLY);
    for (uint64_t n = 0; n < FAILALLOC_MAX_ATTEMPTS; n++) {
        uint64_t live = crit_allocator_live_blocks();
        uint64_t own_live = fa->live_blocks;
        uint64_t failures = fa->failures, calls = fa->calls;
        if (mode == FAILALLOC_FROM)
            failalloc_fail_from(fa, n);
        else
            failalloc_fail_only(fa, n);
        crit_error_clear();
        int rc = op(ctx);
        failalloc_disarm(fa);
        if (rc == CRIT_OK) {
            /* Success with a failure injected is fine only if the
             * operation recovered from it (FAILALLOC_ONLY). */
            if (mode == FAILALLOC_FROM)
                assert_int_equal(fa->failures, failures);
            return fa->calls - calls - (fa->failures - failures);
        }
        if (rc != CRIT_ENOMEM)
            fail_msg("allocation %llu failed: expected CRIT_ENOMEM, got %s "
                     "(%s)",
                     (unsigned long long)n, crit_error_name(rc),
                     crit_error_last());
        if (fa->failures == failures)
            fail_msg("attempt %llu returned CRIT_ENOMEM but no allocation "
                     "was failed",
                     (unsigned long long)n);
        assert_int_equal(crit_error_last_code(), CRIT_ENOMEM);
        if (crit_allocator_live_blocks() != live || fa->live_blocks != own_live)
            fail_msg("allocation %llu failed: %llu block(s) leaked",
                     (unsigned long long)n,
                     (unsigned long long)(fa->live_blocks - own_live));
        if (unchanged)
            unchanged(ctx);
    }
    fail_msg("operation did not succeed after %u attempts",
             FAILALLOC_MAX_ATTEMPTS);
    return 0;
}

#ifdef FAILALLOC_FIXTURE
/* The program's allocator, and the fixture that installs it (above). */
static failalloc fa;

static int failalloc_setup(void **state)
{
    (void)state;
    crit_error_clear();
    return failalloc_install(&fa);
}

static int failalloc_teardown(void **state)
{
    (void)state;
    return failalloc_uninstall(&fa);
}
#endif

#endif /* CRIT_TESTS_FAILALLOC_H */

/* What the headers promise of threads, through the public API: several
 * runs of one scenario at once (crit/scenario.h), markets solved at once
 * on one shared world (crit/market.h), each giving the bits a run or solve
 * alone gives. scripts/test.sh also builds this test with ThreadSanitizer,
 * which fails it on any data race. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <crit.h>

#include "../../examples/c/project_vault.h"

enum { THREADS = 2, MINERALS_MAX = 64, ECONOMIES_MAX = 64 };

/* Every series of a result, one block. */
typedef struct series_bits {
    double *v;
    size_t len;
} series_bits;

/* Number of values of series k of r, 0 on an error. */
static size_t series_len(const crit_result *r, int32_t k)
{
    size_t dims[3] = {1, 1, 1}, n = 1;
    int32_t rank = 0;
    if (crit_result_series_shape(dims, &rank, r, k) != CRIT_OK)
        return 0;
    for (int32_t d = 0; d < rank; d++)
        n *= dims[d];
    return n;
}

/* Every series of r into s (called in the threads: no cmocka assertion,
   which may not run outside the test's own thread). */
static int read_series(series_bits *s, const crit_result *r)
{
    size_t len = 0, at = 0;
    for (int32_t k = 0; k < CRIT_SERIES_COUNT; k++)
        len += series_len(r, k);
    s->v = malloc(len * sizeof(double));
    s->len = len;
    if (!s->v)
        return CRIT_ENOMEM;
    for (int32_t k = 0; k < CRIT_SERIES_COUNT; k++) {
        size_t n = series_len(r, k);
        int rc = crit_result_series(s->v + at, n, r, k);
        if (rc)
            return rc;
        at += n;
    }
    return CRIT_OK;
}

typedef struct run_job {
    const crit_scenario *sc;
    int rc;
    series_bits out;
} run_job;

static void *run_thread(void *arg)
{
    run_job *j = arg;
    crit_result *r = NULL;
    j->rc = crit_scenario_run(&r, j->sc, NULL, NULL);
    if (j->rc == CRIT_OK)
        j->rc = read_series(&j->out, r);
    crit_result_free(r);
    return NULL;
}

/* The Project Vault scenario (examples/c/project_vault.h) run in two
   threads at once, and alone: the same bits. */
static void test_threads_scenario_runs(void **state)
{
    (void)state;
    crit_world *w = NULL;
    crit_scenario *sc = NULL;
    assert_int_equal(crit_world_default(&w), CRIT_OK);
    assert_int_equal(pv_build(&sc, w), CRIT_OK);
    run_job alone = {sc, -1, {NULL, 0}}, job[THREADS];
    run_thread(&alone);
    assert_int_equal(alone.rc, CRIT_OK);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        job[i] = alone;
        job[i].rc = -1;
        job[i].out.v = NULL;
        assert_int_equal(pthread_create(&t[i], NULL, run_thread, &job[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_int_equal(job[i].rc, CRIT_OK);
        assert_int_equal(job[i].out.len, alone.out.len);
        assert_memory_equal(job[i].out.v, alone.out.v,
                            alone.out.len * sizeof(double));
        free(job[i].out.v);
    }
    free(alone.out.v);
    crit_scenario_free(sc);
    crit_world_free(w);
}

typedef struct solve_job {
    const crit_world *w;
    int rc;
    double price[MINERALS_MAX][ECONOMIES_MAX];
} solve_job;

/* Solve every mineral's market of the world, cold, and keep the prices. */
static void *solve_thread(void *arg)
{
    solve_job *j = arg;
    size_t nk = crit_world_mineral_count(j->w),
           n = crit_world_economy_count(j->w);
    j->rc = CRIT_OK;
    for (size_t k = 0; k < nk && j->rc == CRIT_OK; k++) {
        crit_market *m = NULL;
        j->rc = crit_market_new(&m, j->w, crit_world_mineral_code(j->w, k));
        if (j->rc == CRIT_OK && (j->rc = crit_market_solve(m)) == CRIT_OK)
            j->rc = crit_market_values(j->price[k], n, m, CRIT_MARKET_PRICE);
        crit_market_free(m);
    }
    return NULL;
}

/* Markets of one shared world solved in two threads at once, and alone:
   the same bits. */
static void test_threads_markets(void **state)
{
    (void)state;
    crit_world *w = NULL;
    assert_int_equal(crit_world_default(&w), CRIT_OK);
    assert_true(crit_world_mineral_count(w) <= MINERALS_MAX);
    assert_true(crit_world_economy_count(w) <= ECONOMIES_MAX);
    static solve_job alone, job[THREADS];
    memset(&alone, 0, sizeof alone);
    alone.w = w;
    solve_thread(&alone);
    assert_int_equal(alone.rc, CRIT_OK);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        memset(&job[i], 0, sizeof job[i]);
        job[i].w = w;
        assert_int_equal(pthread_create(&t[i], NULL, solve_thread, &job[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_int_equal(job[i].rc, CRIT_OK);
        assert_memory_equal(job[i].price, alone.price, sizeof alone.price);
    }
    crit_world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_scenario_runs),
        cmocka_unit_test(test_threads_markets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

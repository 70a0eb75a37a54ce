/* Supply-risk indicators (libcrit/risk.c, MODEL.md section 10) on worlds
 * whose values are computed by hand in the comments. */
#include "failalloc.h"

#include <math.h>

#include "crit_internal.h"

static failalloc fa;

/* cmocka 1.1's assert_float_equal works in float; these values need
 * double precision. */
#define assert_near(a, b, tol)                                                 \
    do {                                                                       \
        double a_ = (a), b_ = (b);                                             \
        if (!(fabs(a_ - b_) <= (tol)))                                         \
            fail_msg("%.17g != %.17g (tolerance %g)", a_, b_, (double)(tol));  \
    } while (0)

/*
 * Ga:  CHN s0 600 d0 300 | USA* s0 100 d0 250 | JPN* s0 0 d0 150
 *      ROW s0 300 d0 300          (* = coalition member)
 *      world production 1000; shares 60, 10, 0, 30 %
 * Ge:  USA 50, JPN 50, ROW 20 (a tie for the top), demand only in ROW
 * Nb:  no producer; demand in CHN
 */
static void curve(crit_world *w, const char *eco, const char *min, double s0,
                  double d0)
{
    crit_curve_def c;
    crit_curve_def_init(&c);
    c.base_production_t_per_yr = s0;
    c.capacity_t_per_yr = 2 * s0;
    c.base_demand_t_per_yr = d0;
    assert_int_equal(crit_world_set_curve(w, eco, min, &c), CRIT_OK);
}

static int setup(void **state)
{
    if (failalloc_install(&fa))
        return -1;
    crit_error_clear();
    crit_world *w;
    assert_int_equal(crit_world_new(&w), CRIT_OK);
    const char *minerals[] = {"Ga", "Ge", "Nb"};
    for (int k = 0; k < 3; k++) {
        crit_mineral_def d;
        crit_mineral_def_init(&d);
        d.code = minerals[k];
        d.base_price_usd_per_t = 500;
        assert_int_equal(crit_world_add_mineral(w, &d), CRIT_OK);
    }
    const char *economies[] = {"CHN", "USA", "JPN", "ROW"};
    for (int i = 0; i < 4; i++) {
        crit_economy_def d;
        crit_economy_def_init(&d);
        d.code = economies[i];
        d.member = i == 1 || i == 2;
        assert_int_equal(crit_world_add_economy(w, &d), CRIT_OK);
    }
    curve(w, "CHN", "Ga", 600, 300);
    curve(w, "USA", "Ga", 100, 250);
    curve(w, "JPN", "Ga", 0, 150);
    curve(w, "ROW", "Ga", 300, 300);
    curve(w, "USA", "Ge", 50, 0);
    curve(w, "JPN", "Ge", 50, 0);
    curve(w, "ROW", "Ge", 20, 40);
    curve(w, "CHN", "Nb", 0, 10);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    crit_world_free(*state);
    return failalloc_uninstall(&fa);
}

static void test_risk_world_production(void **state)
{
    crit_world *w = *state;
    double v = -1;
    assert_int_equal(crit_risk_world_production(&v, w, "Ga"), CRIT_OK);
    assert_true(v == 1000);
    assert_int_equal(crit_risk_world_production(&v, w, "Ge"), CRIT_OK);
    assert_true(v == 120);
    assert_int_equal(crit_risk_world_production(&v, w, "Nb"), CRIT_OK);
    assert_true(v == 0);
}

static void test_risk_hhi(void **state)
{
    crit_world *w = *state;
    double v = -1;
    /* 60^2 + 10^2 + 0^2 + 30^2 */
    assert_int_equal(crit_risk_hhi(&v, w, "Ga"), CRIT_OK);
    assert_near(v, 4600, 1e-9);
    /* shares 41.67, 41.67, 16.67 %: 2 * (250/6)^2 + (100/6)^2 = 3750 */
    double s = 100.0 / 120;
    assert_int_equal(crit_risk_hhi(&v, w, "Ge"), CRIT_OK);
    assert_near(v, (50 * s) * (50 * s) * 2 + (20 * s) * (20 * s), 1e-9);
    assert_near(v, 3750, 1e-9);
}

static void test_risk_hhi_extremes(void **state)
{
    crit_world *w = *state;
    double v;
    /* A monopoly: 10,000. */
    curve(w, "CHN", "Nb", 7, 10);
    assert_int_equal(crit_risk_hhi(&v, w, "Nb"), CRIT_OK);
    assert_near(v, 10000, 1e-9);
    /* Four equal producers: 4 * 25^2 = 2,500. */
    const char *eco[] = {"CHN", "USA", "JPN", "ROW"};
    for (int i = 0; i < 4; i++)
        curve(w, eco[i], "Nb", 3, 0);
    assert_int_equal(crit_risk_hhi(&v, w, "Nb"), CRIT_OK);
    assert_near(v, 2500, 1e-9);
}

/* Productions and demands whose sums are beyond a double: the shares and
 * ratios are still those of MODEL.md section 10.
 * Nb: four producers of 8e307 t/yr each (sum 3.2e308): shares 25 %, HHI
 *     4 * 25^2 = 2,500, the top producer CHN (first added) with 0.25.
 * Ge: members USA, JPN produce 8e307 each and consume 1e308 each:
 *     self-sufficiency 1.6e308 / 2e308 = 0.8. */
static void test_risk_sums_beyond_a_double(void **state)
{
    crit_world *w = *state;
    const char *eco[] = {"CHN", "USA", "JPN", "ROW"};
    for (int i = 0; i < 4; i++)
        curve(w, eco[i], "Nb", 8e307, 0);
    double v = -1;
    assert_int_equal(crit_risk_hhi(&v, w, "Nb"), CRIT_OK);
    assert_near(v, 2500, 1e-9);
    size_t top = 99;
    assert_int_equal(crit_risk_top_producer(&top, &v, w, "Nb"), CRIT_OK);
    assert_int_equal(top, 0);
    assert_near(v, 0.25, 1e-15);
    curve(w, "USA", "Ge", 8e307, 1e308);
    curve(w, "JPN", "Ge", 8e307, 1e308);
    assert_int_equal(crit_risk_self_sufficiency(&v, w, "Ge"), CRIT_OK);
    assert_near(v, 0.8, 1e-15);
    /* Member production beyond a double, member demand not: with CHN a
     * member too, 3 * 8e307 / (3 * 2e307) = 4. */
    assert_int_equal(crit_world_set_member(w, "CHN", 1), CRIT_OK);
    curve(w, "CHN", "Ge", 8e307, 2e307);
    curve(w, "USA", "Ge", 8e307, 2e307);
    curve(w, "JPN", "Ge", 8e307, 2e307);
    assert_int_equal(crit_risk_self_sufficiency(&v, w, "Ge"), CRIT_OK);
    assert_near(v, 4, 1e-14);
    /* Production beyond a double over a demand that is tiny but there:
     * the ratio is beyond a double too, +inf as when the sums fit
     * (1e300 / 3e-300), not "no demand". */
    for (int i = 0; i < 3; i++)
        curve(w, eco[i], "Ge", 8e307, 1e-300);
    v = -1;
    assert_int_equal(crit_risk_self_sufficiency(&v, w, "Ge"), CRIT_OK);
    assert_true(isinf(v) && v > 0);
    for (int i = 0; i < 3; i++)
        curve(w, eco[i], "Ge", 1e300 / 3, 1e-300);
    v = -1;
    assert_int_equal(crit_risk_self_sufficiency(&v, w, "Ge"), CRIT_OK);
    assert_true(isinf(v) && v > 0);
}

static void test_risk_top_producer(void **state)
{
    crit_world *w = *state;
    size_t i = 99;
    double share = -1;
    assert_int_equal(crit_risk_top_producer(&i, &share, w, "Ga"), CRIT_OK);
    assert_int_equal(i, 0);
    assert_near(share, 0.6, 1e-15);
    /* Either output may be NULL. */
    share = -1;
    assert_int_equal(crit_risk_top_producer(NULL, &share, w, "Ga"), CRIT_OK);
    assert_near(share, 0.6, 1e-15);
    i = 99;
    assert_int_equal(crit_risk_top_producer(&i, NULL, w, "Ga"), CRIT_OK);
    assert_int_equal(i, 0);
    assert_int_equal(crit_risk_top_producer(NULL, NULL, w, "Ga"), CRIT_OK);
}

static void test_risk_top_producer_tie_goes_to_first_added(void **state)
{
    crit_world *w = *state;
    size_t i = 99;
    double share = -1;
    /* USA (index 1) and JPN (index 2) both produce 50 of 120. */
    assert_int_equal(crit_risk_top_producer(&i, &share, w, "Ge"), CRIT_OK);
    assert_int_equal(i, 1);
    assert_near(share, 50.0 / 120, 1e-15);
    /* A later economy matching the top does not take it either. */
    curve(w, "ROW", "Ge", 50, 40);
    assert_int_equal(crit_risk_top_producer(&i, &share, w, "Ge"), CRIT_OK);
    assert_int_equal(i, 1);
    assert_near(share, 50.0 / 150, 1e-15);
    /* A strictly larger one does. */
    curve(w, "ROW", "Ge", 51, 40);
    assert_int_equal(crit_risk_top_producer(&i, &share, w, "Ge"), CRIT_OK);
    assert_int_equal(i, 3);
    assert_near(share, 51.0 / 151, 1e-15);
}

static void test_risk_self_sufficiency(void **state)
{
    crit_world *w = *state;
    double v = -1;
    /* Members USA + JPN: (100 + 0) / (250 + 150). */
    assert_int_equal(crit_risk_self_sufficiency(&v, w, "Ga"), CRIT_OK);
    assert_near(v, 0.25, 1e-15);
    /* CHN joins: (700) / (700) = 1. */
    assert_int_equal(crit_world_set_member(w, "CHN", 1), CRIT_OK);
    assert_int_equal(crit_risk_self_sufficiency(&v, w, "Ga"), CRIT_OK);
    assert_near(v, 1.0, 1e-15);
    /* ROW too: 1000 / 1000; then USA leaves: 900 / 750 (a net exporter). */
    assert_int_equal(crit_world_set_member(w, "ROW", 1), CRIT_OK);
    assert_int_equal(crit_world_set_member(w, "USA", 0), CRIT_OK);
    assert_int_equal(crit_risk_self_sufficiency(&v, w, "Ga"), CRIT_OK);
    assert_near(v, 900.0 / 750, 1e-15);
}

static void test_risk_net_import_reliance(void **state)
{
    crit_world *w = *state;
    double v = -9;
    /* (d0 - s0) / d0 */
    assert_int_equal(crit_risk_net_import_reliance(&v, w, "USA", "Ga"),
                     CRIT_OK);
    assert_near(v, 0.6, 1e-15);
    assert_int_equal(crit_risk_net_import_reliance(&v, w, "JPN", "Ga"),
                     CRIT_OK);
    assert_near(v, 1.0, 1e-15);
    assert_int_equal(crit_risk_net_import_reliance(&v, w, "CHN", "Ga"),
                     CRIT_OK);
    assert_near(v, -1.0, 1e-15); /* a net exporter */
    assert_int_equal(crit_risk_net_import_reliance(&v, w, "ROW", "Ga"),
                     CRIT_OK);
    assert_near(v, 0.0, 1e-15);
    assert_int_equal(crit_risk_net_import_reliance(&v, w, "ROW", "Ge"),
                     CRIT_OK);
    assert_near(v, 0.5, 1e-15);
}

/* A failing indicator returns the exact code, names the mineral or
 * economy, and leaves its outputs alone. */
#define FAILS(call, code, needle)                                              \
    do {                                                                       \
        crit_error_clear();                                                    \
        assert_int_equal((call), (code));                                      \
        assert_int_equal(crit_error_last_code(), (code));                      \
        if (!strstr(crit_error_last(), (needle)))                              \
            fail_msg("message \"%s\" lacks \"%s\"", crit_error_last(),         \
                     (needle));                                                \
    } while (0)

static void test_risk_edomain(void **state)
{
    crit_world *w = *state;
    double v = -7;
    size_t i = 77;
    /* Nobody produces Nb: shares are undefined. */
    FAILS(crit_risk_hhi(&v, w, "Nb"), CRIT_EDOMAIN, "mineral 'Nb'");
    FAILS(crit_risk_top_producer(&i, &v, w, "Nb"), CRIT_EDOMAIN,
          "no economy produces it");
    assert_true(v == -7);
    assert_int_equal(i, 77);
    /* Members have no demand for Ge. */
    FAILS(crit_risk_self_sufficiency(&v, w, "Ge"), CRIT_EDOMAIN,
          "no demand for it");
    /* No members at all. */
    assert_int_equal(crit_world_set_member(w, "USA", 0), CRIT_OK);
    assert_int_equal(crit_world_set_member(w, "JPN", 0), CRIT_OK);
    FAILS(crit_risk_self_sufficiency(&v, w, "Ga"), CRIT_EDOMAIN, "no members");
    /* USA consumes no Ge. */
    FAILS(crit_risk_net_import_reliance(&v, w, "USA", "Ge"), CRIT_EDOMAIN,
          "economy 'USA' mineral 'Ge'");
    assert_true(v == -7);
    /* An empty world. */
    crit_world *e;
    assert_int_equal(crit_world_new(&e), CRIT_OK);
    crit_mineral_def d;
    crit_mineral_def_init(&d);
    d.code = "Ga";
    d.base_price_usd_per_t = 1;
    assert_int_equal(crit_world_add_mineral(e, &d), CRIT_OK);
    FAILS(crit_risk_hhi(&v, e, "Ga"), CRIT_EDOMAIN, "'Ga'");
    FAILS(crit_risk_self_sufficiency(&v, e, "Ga"), CRIT_EDOMAIN, "no members");
    assert_int_equal(crit_risk_world_production(&v, e, "Ga"), CRIT_OK);
    assert_true(v == 0);
    crit_world_free(e);
}

static void test_risk_bad_arguments(void **state)
{
    crit_world *w = *state;
    double v = -7;
    size_t i = 77;
    FAILS(crit_risk_hhi(&v, w, "Li"), CRIT_ENOTFOUND, "mineral 'Li'");
    FAILS(crit_risk_top_producer(&i, &v, w, "Li"), CRIT_ENOTFOUND, "'Li'");
    FAILS(crit_risk_self_sufficiency(&v, w, "Li"), CRIT_ENOTFOUND, "'Li'");
    FAILS(crit_risk_world_production(&v, w, "Li"), CRIT_ENOTFOUND, "'Li'");
    FAILS(crit_risk_net_import_reliance(&v, w, "USA", "Li"), CRIT_ENOTFOUND,
          "mineral 'Li'");
    FAILS(crit_risk_net_import_reliance(&v, w, "KOR", "Ga"), CRIT_ENOTFOUND,
          "economy 'KOR'");
    assert_true(v == -7);
    assert_int_equal(i, 77);
    /* every pointer argument NULL in turn (the top producer's two outputs
       are optional: test_risk_top_producer) */
    const char *null_arg = "risk indicator: NULL argument";
    const char *null_min = "mineral code is NULL";
    FAILS(crit_risk_hhi(NULL, w, "Ga"), CRIT_EINVAL, null_arg);
    FAILS(crit_risk_hhi(&v, NULL, "Ga"), CRIT_EINVAL, null_arg);
    FAILS(crit_risk_hhi(&v, w, NULL), CRIT_EINVAL, null_min);
    FAILS(crit_risk_top_producer(&i, &v, NULL, "Ga"), CRIT_EINVAL, null_arg);
    FAILS(crit_risk_top_producer(&i, NULL, NULL, "Ga"), CRIT_EINVAL, null_arg);
    FAILS(crit_risk_top_producer(NULL, NULL, NULL, "Ga"), CRIT_EINVAL,
          null_arg);
    FAILS(crit_risk_top_producer(&i, &v, w, NULL), CRIT_EINVAL, null_min);
    FAILS(crit_risk_self_sufficiency(NULL, w, "Ga"), CRIT_EINVAL, null_arg);
    FAILS(crit_risk_self_sufficiency(&v, NULL, "Ga"), CRIT_EINVAL, null_arg);
    FAILS(crit_risk_self_sufficiency(&v, w, NULL), CRIT_EINVAL, null_min);
    FAILS(crit_risk_world_production(NULL, w, "Ga"), CRIT_EINVAL, null_arg);
    FAILS(crit_risk_world_production(&v, NULL, "Ga"), CRIT_EINVAL, null_arg);
    FAILS(crit_risk_world_production(&v, w, NULL), CRIT_EINVAL, null_min);
    FAILS(crit_risk_net_import_reliance(NULL, w, "USA", "Ga"), CRIT_EINVAL,
          null_arg);
    FAILS(crit_risk_net_import_reliance(&v, NULL, "USA", "Ga"), CRIT_EINVAL,
          null_arg);
    FAILS(crit_risk_net_import_reliance(&v, w, NULL, "Ga"), CRIT_EINVAL,
          "economy code is NULL");
    FAILS(crit_risk_net_import_reliance(&v, w, "USA", NULL), CRIT_EINVAL,
          null_min);
    assert_true(v == -7);
    assert_int_equal(i, 77);
}

/* The indicators only read: they allocate nothing and change nothing. */
static void test_risk_reads_only(void **state)
{
    crit_world *w = *state;
    crit_world *before;
    assert_int_equal(crit_world_copy(&before, w), CRIT_OK);
    uint64_t calls = fa.calls;
    double v;
    size_t i;
    assert_int_equal(crit_risk_hhi(&v, w, "Ga"), CRIT_OK);
    assert_int_equal(crit_risk_top_producer(&i, &v, w, "Ga"), CRIT_OK);
    assert_int_equal(crit_risk_self_sufficiency(&v, w, "Ga"), CRIT_OK);
    assert_int_equal(crit_risk_net_import_reliance(&v, w, "USA", "Ga"),
                     CRIT_OK);
    assert_int_equal(crit_risk_world_production(&v, w, "Ga"), CRIT_OK);
    assert_int_equal(fa.calls, calls);
    assert_true(crit_world_equal(w, before));
    crit_world_free(before);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_risk_world_production),
        T(test_risk_hhi),
        T(test_risk_hhi_extremes),
        T(test_risk_sums_beyond_a_double),
        T(test_risk_top_producer),
        T(test_risk_top_producer_tie_goes_to_first_added),
        T(test_risk_self_sufficiency),
        T(test_risk_net_import_reliance),
        T(test_risk_edomain),
        T(test_risk_bad_arguments),
        T(test_risk_reads_only),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * The default world is calibrated to be in equilibrium at base (issue 4,
 * docs/data.md): solving every mineral's market at base, with no policy,
 * must give every economy's price within the stated tolerance of the
 * mineral's base price P0 and production equal to USGS production
 * (the curve's s0, per period). Uses only <crit.h> and libcrit.so.
 */
#include <crit.h>

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

/* docs/data.md's stated tolerance for base prices (relative). */
#define PRICE_TOL 1e-6

static void test_default_world_is_in_equilibrium_at_base(void **state)
{
    (void)state;
    crit_world *w = NULL;
    assert_int_equal(crit_world_default(&w), CRIT_OK);
    size_t ne = crit_world_economy_count(w);
    size_t nm = crit_world_mineral_count(w);
    assert_true(nm >= 13);
    double *price = calloc(ne, sizeof *price);
    double *prod = calloc(ne, sizeof *prod);
    double *cons = calloc(ne, sizeof *cons);
    assert_non_null(price);
    assert_non_null(prod);
    assert_non_null(cons);
    for (size_t k = 0; k < nm; k++) {
        crit_mineral_def m;
        crit_mineral_def_init(&m);
        assert_int_equal(crit_world_mineral_get(&m, w, k), CRIT_OK);
        crit_market *mk = NULL;
        assert_int_equal(crit_market_new(&mk, w, m.code), CRIT_OK);
        double dt = 1.0 / 12.0;
        assert_int_equal(crit_market_set_period_length(mk, dt), CRIT_OK);
        int rc = crit_market_solve(mk);
        if (rc != CRIT_OK)
            fail_msg("mineral %s: %s", m.code, crit_error_last());
        crit_market_info info;
        crit_market_info_init(&info);
        assert_int_equal(crit_market_info_get(&info, mk), CRIT_OK);
        assert_true(info.residual <= 1e-9);
        assert_int_equal(crit_market_values(price, ne, mk, CRIT_MARKET_PRICE),
                         CRIT_OK);
        assert_int_equal(
            crit_market_values(prod, ne, mk, CRIT_MARKET_PRODUCTION), CRIT_OK);
        assert_int_equal(
            crit_market_values(cons, ne, mk, CRIT_MARKET_CONSUMPTION), CRIT_OK);
        double world_s0 = 0, world_prod = 0;
        for (size_t i = 0; i < ne; i++) {
            const char *e = crit_world_economy_code(w, i);
            crit_curve_def c;
            crit_curve_def_init(&c);
            assert_int_equal(crit_world_curve_get(&c, w, e, m.code), CRIT_OK);
            double rel = fabs(price[i] - m.base_price_usd_per_t) /
                         m.base_price_usd_per_t;
            if (rel > PRICE_TOL)
                fail_msg("mineral %s economy %s: price %.17g vs P0 %.17g",
                         m.code, e, price[i], m.base_price_usd_per_t);
            double want = c.base_production_t_per_yr * dt;
            if (fabs(prod[i] - want) > 1e-6 * (want > 1 ? want : 1))
                fail_msg("mineral %s economy %s: production %.17g vs USGS "
                         "%.17g per period",
                         m.code, e, prod[i], want);
            /* at P0 consumption is base demand */
            double d = c.base_demand_t_per_yr * dt;
            if (fabs(cons[i] - d) > 1e-6 * (d > 1 ? d : 1))
                fail_msg("mineral %s economy %s: consumption %.17g vs base "
                         "demand %.17g per period",
                         m.code, e, cons[i], d);
            world_s0 += c.base_production_t_per_yr;
            world_prod += prod[i];
        }
        double total = 0;
        assert_int_equal(crit_risk_world_production(&total, w, m.code),
                         CRIT_OK);
        assert_true(fabs(world_prod - total * dt) <= 1e-6 * total * dt);
        assert_true(fabs(world_s0 - total) <= 1e-9 * total);
        crit_market_free(mk);
    }
    free(price);
    free(prod);
    free(cons);
    crit_world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_world_is_in_equilibrium_at_base),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

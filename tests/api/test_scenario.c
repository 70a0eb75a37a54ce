/* Stockpiles, programmes and scenarios through the public API only:
 * <crit.h> and libcrit.so, values checked against independent
 * computations (MODEL.md sections 5, 7 and 8). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <crit.h>

#define P0 600000.0
#define HOLD 1200.0
#define DT (1.0 / 12)
#define T 12

static void close_to(double a, double b, double rel)
{
    double tol = rel * fmax(1.0, fabs(b));
    if (!(fabs(a - b) <= tol))
        fail_msg("%.17g is not %.17g (rel %g)", a, b, rel);
}

/* Ga at P0 with a holding cost; CHN, USA (member), JPN (member), ROW. */
static int setup(void **state)
{
    crit_world *w = NULL;
    if (crit_world_new(&w) != CRIT_OK)
        return -1;
    crit_mineral_def m;
    crit_mineral_def_init(&m);
    m.code = "Ga";
    m.base_price_usd_per_t = P0;
    m.holding_cost_usd_per_t_yr = HOLD;
    if (crit_world_add_mineral(w, &m) != CRIT_OK)
        return -1;
    const char *codes[] = {"CHN", "USA", "JPN", "ROW"};
    const double c[4][5] = {{750, 900, 0.5, 300, 0.3},
                            {10, 20, 0.8, 120, 0.4},
                            {40, 40, 0, 80, 0.2},
                            {0, 0, 0, 300, 0.25}};
    for (int i = 0; i < 4; i++) {
        crit_economy_def e;
        crit_economy_def_init(&e);
        e.code = codes[i];
        e.member = i == 1 || i == 2;
        if (crit_world_add_economy(w, &e) != CRIT_OK)
            return -1;
        crit_curve_def cd;
        crit_curve_def_init(&cd);
        cd.base_production_t_per_yr = c[i][0];
        cd.capacity_t_per_yr = c[i][1];
        cd.supply_elasticity = c[i][2];
        cd.base_demand_t_per_yr = c[i][3];
        cd.demand_elasticity = c[i][4];
        if (crit_world_set_curve(w, codes[i], "Ga", &cd) != CRIT_OK)
            return -1;
    }
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    crit_world_free(*state);
    return 0;
}

/* A stockpile at USA holding Ga: capacity 60 t, target 50 t, 120 t/yr,
 * B far above any price (so it buys min(amax dt, target - I) a period),
 * and one firm paying fees. */
static crit_stockpile *vault(const crit_world *w, double cash)
{
    crit_stockpile_def d;
    crit_stockpile_def_init(&d);
    d.name = "vault";
    d.economy = "USA";
    d.cash_usd = cash;
    crit_stockpile *sp = NULL;
    assert_int_equal(crit_stockpile_new(&sp, w, &d), CRIT_OK);
    crit_stockpile_mineral_def m;
    crit_stockpile_mineral_def_init(&m);
    m.mineral = "Ga";
    m.capacity_t = 60;
    m.target = 50;
    m.acquisition_rate_t_per_yr = 120;
    m.purchase_trigger_usd_per_t = 5 * P0;
    m.release_trigger_usd_per_t = 6 * P0;
    assert_int_equal(crit_stockpile_add_mineral(sp, &m), CRIT_OK);
    crit_participant_def p;
    crit_participant_def_init(&p);
    p.name = "maker";
    p.mineral = "Ga";
    p.demand_t_per_yr = 100;
    p.upfront_fee_usd = 2e5;
    p.annual_fee_usd_per_yr = 1.2e6;
    size_t index = 99;
    assert_int_equal(crit_stockpile_add_participant(&index, sp, &p), CRIT_OK);
    assert_int_equal(index, 0);
    return sp;
}

static void test_stockpile_purchase_and_settle(void **state)
{
    crit_world *w = *state;
    crit_stockpile *sp = vault(w, 3e6);
    size_t slot = 9;
    assert_int_equal(crit_stockpile_mineral_slot(&slot, sp, "Ga"), CRIT_OK);
    assert_int_equal(slot, 0);
    double buy = -1;
    /* min(120 / 12, 50 - 0, 3e6 / 6e5) = 5 t: the cash binds */
    assert_int_equal(crit_stockpile_purchase(&buy, sp, 0, P0, 3e6, DT),
                     CRIT_OK);
    close_to(buy, 5.0, 1e-15);
    assert_int_equal(crit_stockpile_purchase(&buy, sp, 0, P0, 1e9, DT),
                     CRIT_OK);
    close_to(buy, 10.0, 1e-15);
    crit_stockpile_flows f;
    assert_int_equal(crit_stockpile_settle(&f, sp, 0, P0, 5.0, 0, DT), CRIT_OK);
    double inv = 0;
    assert_int_equal(crit_stockpile_inventory_t(&inv, sp, 0), CRIT_OK);
    assert_true(inv == 5.0 && f.closing_t == 5.0 && f.opening_t == 0);
    close_to(crit_stockpile_cash(sp), 0.0, 1e-15); /* 3e6 - 5 * 6e5 */
    /* a second period: holding cost h I dt on the opening 5 t */
    assert_int_equal(crit_stockpile_add_cash(sp, 1e7), CRIT_OK);
    assert_int_equal(crit_stockpile_settle(&f, sp, 0, P0, 2.0, 0, DT), CRIT_OK);
    close_to(f.holding_usd, HOLD * 5.0 * DT, 1e-15);
    close_to(crit_stockpile_cash(sp), 1e7 - 2.0 * P0 - HOLD * 5.0 * DT, 1e-15);
    double fees = 0;
    assert_int_equal(crit_stockpile_collect_fees(&fees, sp, 0, DT), CRIT_OK);
    close_to(fees, 2e5 + 1.2e6 * DT, 1e-15);
    double target = 0;
    assert_int_equal(crit_stockpile_target_t(&target, sp, 0), CRIT_OK);
    assert_true(target == 50.0);
    /* a release beyond the inventory changes nothing */
    assert_int_equal(crit_stockpile_settle(&f, sp, 0, P0, 0, 100, DT),
                     CRIT_EINVAL);
    assert_int_equal(crit_stockpile_inventory_t(&inv, sp, 0), CRIT_OK);
    assert_true(inv == 7.0);
    crit_stockpile_free(sp);
}

static void test_programme(void **state)
{
    crit_world *w = *state;
    crit_programme_def p;
    crit_programme_def_init(&p);
    p.economy = "JPN";
    p.mineral = "Ga";
    p.budget_usd = 1.2e9;
    p.capital_intensity_usd_per_t_per_yr = 1e7;
    p.lead_time_years = 0.5;
    p.start_period = 1;
    assert_int_equal(crit_programme_validate(w, &p), CRIT_OK);
    double cap = 0;
    assert_int_equal(crit_programme_capacity(&cap, &p), CRIT_OK);
    assert_true(cap == 120.0);
    int32_t t1 = 0;
    assert_int_equal(crit_programme_online_period(&t1, &p, DT), CRIT_OK);
    assert_int_equal(t1, 1 + 6);
    double s[T];
    assert_int_equal(crit_programme_spending(s, T, &p, DT), CRIT_OK);
    double sum = 0;
    for (int t = 0; t < T; t++) {
        close_to(s[t], t >= 1 && t < 7 ? 1.2e9 / 6 : 0.0, 1e-15);
        sum += s[t];
    }
    close_to(sum, 1.2e9, 1e-14);
    crit_world *copy = NULL;
    assert_int_equal(crit_world_copy(&copy, w), CRIT_OK);
    assert_int_equal(crit_programme_apply(copy, &p), CRIT_OK);
    crit_curve_def c;
    crit_curve_def_init(&c);
    assert_int_equal(crit_world_curve_get(&c, copy, "JPN", "Ga"), CRIT_OK);
    assert_true(c.capacity_t_per_yr == 160.0 &&
                c.base_production_t_per_yr == 160.0);
    crit_world_free(copy);
    p.mineral = "Xx";
    assert_int_equal(crit_programme_validate(w, &p), CRIT_ENOTFOUND);
}

static crit_scenario *build(const crit_world *w)
{
    crit_scenario_def d;
    crit_scenario_def_init(&d);
    assert_int_equal(crit_date_from_ymd(&d.start, 2026, 1, 1), CRIT_OK);
    d.periods = T;
    crit_scenario *sc = NULL;
    assert_int_equal(crit_scenario_new(&sc, w, &d), CRIT_OK);
    crit_stockpile *sp = vault(w, 1e9);
    assert_int_equal(crit_scenario_add_stockpile(NULL, sc, sp), CRIT_OK);
    crit_stockpile_free(sp);
    crit_programme_def p;
    crit_programme_def_init(&p);
    p.economy = "JPN";
    p.mineral = "Ga";
    p.budget_usd = 1.2e9;
    p.capital_intensity_usd_per_t_per_yr = 1e7;
    p.lead_time_years = 0.5;
    p.start_period = 1;
    assert_int_equal(crit_scenario_add_programme(sc, &p), CRIT_OK);
    return sc;
}

static double *series(const crit_result *r, int32_t q, size_t *dims)
{
    int32_t rank = 0;
    assert_int_equal(crit_result_series_shape(dims, &rank, r, q), CRIT_OK);
    size_t n = dims[0] * dims[1] * dims[2];
    double *v = malloc(n * sizeof *v);
    assert_non_null(v);
    assert_int_equal(crit_result_series(v, n, r, q), CRIT_OK);
    return v;
}

static void test_scenario_run(void **state)
{
    crit_world *w = *state;
    crit_scenario *sc = build(w);
    crit_result *r = NULL;
    assert_int_equal(crit_scenario_run(&r, sc, NULL, NULL), CRIT_OK);
    size_t nt, nk, ne, ns, nl;
    assert_int_equal(crit_result_dims(&nt, &nk, &ne, &ns, &nl, r), CRIT_OK);
    assert_true(nt == T && nk == 1 && ne == 4 && ns == 1 && nl == 0);
    crit_date dates[T + 1];
    assert_int_equal(crit_result_dates(dates, T, r), CRIT_EBUFSIZE);
    assert_int_equal(crit_result_dates(dates, T + 1, r), CRIT_OK);
    crit_date end;
    crit_date_from_ymd(&end, 2027, 1, 1);
    assert_int_equal(dates[T], end);
    size_t dp[3], di[3], db[3], du[3], dg[3];
    double *price = series(r, CRIT_SERIES_PRICE, dp);
    double *inv = series(r, CRIT_SERIES_INVENTORY, di);
    double *bought = series(r, CRIT_SERIES_PURCHASED, db);
    double *usd = series(r, CRIT_SERIES_PURCHASES, du);
    double *prog = series(r, CRIT_SERIES_PROGRAMME_SPENDING, dg);
    assert_true(dp[0] == T && dp[1] == 1 && dp[2] == 4);
    assert_true(di[0] == T && di[1] == 1 && di[2] == 1);
    for (size_t t = 0; t < T; t++) {
        /* 10 t a month up to the 50 t target */
        close_to(inv[t], fmin(50.0, 10.0 * (double)(t + 1)), 1e-12);
        /* paid at the price at USA (economy 1) */
        close_to(usd[t], price[t * 4 + 1] * bought[t], 1e-12);
        close_to(prog[t], t >= 1 && t < 7 ? 1.2e9 / 6 : 0.0, 1e-15);
    }
    assert_string_equal(crit_series_name(CRIT_SERIES_LOAN_BALANCE),
                        "loan_balance");
    assert_string_equal(crit_result_stockpile_name(r, 0), "vault");
    double small[3];
    assert_int_equal(crit_result_series(small, 3, r, CRIT_SERIES_PRICE),
                     CRIT_EBUFSIZE);
    /* the run changed only its copy of the world */
    crit_curve_def c;
    crit_curve_def_init(&c);
    crit_world_curve_get(&c, w, "JPN", "Ga");
    assert_true(c.capacity_t_per_yr == 40.0);
    free(price);
    free(inv);
    free(bought);
    free(usd);
    free(prog);
    crit_result_free(r);
    crit_scenario_free(sc);
}

/*
 * A stockpile whose purchase ramp ends above the choke price, in an
 * economy short of Ga at every price (12 t a year produced, 120 used,
 * nothing to import): at Pmax = 10 P0 it is served ahead of consumers but
 * only the 1 t a month there is, so its inventory grows by 1 t a month,
 * it pays Pmax for each, and consumers get nothing. Before, it bought its
 * 100 t a month out of the shortage.
 */
static void test_scenario_stockpile_rationed_at_pmax(void **state)
{
    (void)state;
    crit_world *w = NULL;
    assert_int_equal(crit_world_new(&w), CRIT_OK);
    crit_mineral_def md;
    crit_mineral_def_init(&md);
    md.code = "Ga";
    md.base_price_usd_per_t = P0;
    assert_int_equal(crit_world_add_mineral(w, &md), CRIT_OK);
    crit_economy_def e;
    crit_economy_def_init(&e);
    e.code = "USA";
    e.member = 1;
    assert_int_equal(crit_world_add_economy(w, &e), CRIT_OK);
    crit_curve_def c;
    crit_curve_def_init(&c);
    c.base_production_t_per_yr = c.capacity_t_per_yr = 12;
    c.base_demand_t_per_yr = 120;
    assert_int_equal(crit_world_set_curve(w, "USA", "Ga", &c), CRIT_OK);
    crit_scenario_def d;
    crit_scenario_def_init(&d);
    assert_int_equal(crit_date_from_ymd(&d.start, 2026, 1, 1), CRIT_OK);
    d.periods = T;
    crit_scenario *sc = NULL;
    assert_int_equal(crit_scenario_new(&sc, w, &d), CRIT_OK);
    crit_stockpile_def sd;
    crit_stockpile_def_init(&sd);
    sd.name = "vault";
    sd.economy = "USA";
    sd.cash_usd = 1e12;
    crit_stockpile *sp = NULL;
    assert_int_equal(crit_stockpile_new(&sp, w, &sd), CRIT_OK);
    crit_stockpile_mineral_def m;
    crit_stockpile_mineral_def_init(&m);
    m.mineral = "Ga";
    m.capacity_t = m.target = 1000;
    m.acquisition_rate_t_per_yr = 1200;
    m.purchase_trigger_usd_per_t = 20 * P0;
    m.release_trigger_usd_per_t = 30 * P0;
    assert_int_equal(crit_stockpile_add_mineral(sp, &m), CRIT_OK);
    assert_int_equal(crit_scenario_add_stockpile(NULL, sc, sp), CRIT_OK);
    crit_stockpile_free(sp);
    crit_result *r = NULL;
    assert_int_equal(crit_scenario_run(&r, sc, NULL, NULL), CRIT_OK);
    size_t dims[3];
    double *price = series(r, CRIT_SERIES_PRICE, dims);
    double *use = series(r, CRIT_SERIES_CONSUMPTION, dims);
    double *gap = series(r, CRIT_SERIES_SHORTAGE, dims);
    double *inv = series(r, CRIT_SERIES_INVENTORY, dims);
    double *bought = series(r, CRIT_SERIES_PURCHASED, dims);
    double *usd = series(r, CRIT_SERIES_PURCHASES, dims);
    for (size_t t = 0; t < T; t++) {
        assert_true(price[t] == 10 * P0);
        assert_true(use[t] == 0);
        close_to(gap[t], 10.0, 1e-12);
        close_to(bought[t], 1.0, 1e-12);
        close_to(inv[t], (double)(t + 1), 1e-12);
        close_to(usd[t], 10 * P0 * bought[t], 1e-12);
    }
    free(price);
    free(use);
    free(gap);
    free(inv);
    free(bought);
    free(usd);
    crit_result_free(r);
    crit_scenario_free(sc);
    crit_world_free(w);
}

static int stop_at_3(int32_t done, int32_t total, void *payload)
{
    int *calls = payload;
    ++*calls;
    assert_int_equal(total, T);
    return done >= 3;
}

static void test_scenario_cancel_and_validation(void **state)
{
    crit_world *w = *state;
    crit_scenario *sc = build(w);
    crit_result *r = (crit_result *)&r; /* untouched on failure */
    int calls = 0;
    assert_int_equal(crit_scenario_run(&r, sc, stop_at_3, &calls),
                     CRIT_ECANCELLED);
    assert_int_equal(calls, 3);
    assert_ptr_equal(r, (crit_result *)&r);
    crit_event_def e;
    crit_event_def_init(&e);
    e.kind = CRIT_EVENT_EXPORT_BAN;
    e.period = T;
    e.mineral = "Ga";
    e.economy = "CHN";
    e.partner = "USA";
    assert_int_equal(crit_scenario_add_event(sc, &e), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "outside the horizon"));
    e.period = 2;
    e.economy = "XXX";
    assert_int_equal(crit_scenario_add_event(sc, &e), CRIT_ENOTFOUND);
    crit_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stockpile_purchase_and_settle),
        cmocka_unit_test(test_programme),
        cmocka_unit_test(test_scenario_run),
        cmocka_unit_test(test_scenario_stockpile_rationed_at_pmax),
        cmocka_unit_test(test_scenario_cancel_and_validation),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

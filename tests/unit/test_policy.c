/*
 * Unit tests of the pricing mechanisms (crit/policy.h) through the
 * market: comparative statics that must hold, the levy fixed point
 * recomputed here, the floor's payments, bad input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "market_check.h"
#include "msg_has.h"

static void solve_ok(tw *t)
{
    int rc = crit_market_solve(t->m);
    if (rc != CRIT_OK)
        fail_msg("solve of %zu economies failed (%d): %s", t->n, rc,
                 crit_error_last());
    double r = check_residual(t);
    if (!(r <= 1e-9))
        fail_msg("residual %g", r);
}

static void prices(const tw *t, double *p)
{
    assert_int_equal(crit_market_values(p, t->n, t->m, CRIT_MARKET_PRICE), 0);
}

/* A random world whose every economy has elastic supply and demand, so
 * prices are unique and can be compared. */
static void unique_world(tw *t, size_t n)
{
    tw_random(t, n, 0);
    for (size_t i = 0; i < n; i++) {
        double eps = uniform(0.2, 1.5), d0 = pow(10, uniform(0, 3));
        double eta = uniform(0.2, 1.5);
        tw_curve(t, i, pow(10, uniform(0, 3)), 1e12, eta, d0, eps);
    }
}

static void test_policy_external_tariff_statics(void **state)
{
    (void)state;
    tw_rng = 101;
    int raised = 0;
    for (int k = 0; k < 60; k++) {
        tw t;
        unique_world(&t, 2 + (size_t)(k % 30));
        /* Members do not sell to non-members here: a non-member that
           imports from a member would see the member's higher price pass
           through (non-member prices fall only when the tariff is the one
           link between the two groups). */
        for (size_t i = 0; i < t.n; i++)
            for (size_t j = 0; j < t.n; j++)
                if (t.member[i] && !t.member[j])
                    assert_int_equal(crit_world_set_export_ban(
                                         t.w, "Ga", tw_code(i), tw_code(j), 1),
                                     0);
        tw_market(&t);
        solve_ok(&t);
        double before[TW_MAX], after[TW_MAX];
        prices(&t, before);
        for (int step = 0; step < 2; step++) {
            t.ext += t.p0 * uniform(0.01, 0.5);
            assert_int_equal(crit_policy_set_external_tariff(t.pol, t.ext), 0);
            solve_ok(&t);
            prices(&t, after);
            double tol = 1e-7 * t.p0;
            for (size_t i = 0; i < t.n; i++) {
                if (t.member[i])
                    assert_true(after[i] >= before[i] - tol);
                else
                    assert_true(after[i] <= before[i] + tol);
                raised += t.member[i] && after[i] > before[i] + tol;
            }
            memcpy(before, after, sizeof before);
        }
        tw_free(&t);
    }
    assert_true(raised > 0); /* the statics are not vacuous */
}

static void test_policy_dominant_producer_ban(void **state)
{
    (void)state;
    tw_rng = 202;
    for (int k = 0; k < 40; k++) {
        tw t;
        size_t n = 3 + (size_t)(k % 20);
        unique_world(&t, n);
        /* E00, the dominant producer, is the coalition's only outside
           source (with several, supply diverted by the ban could lower
           the price of a member that buys from another outsider) */
        tw_member(&t, 0, 0);
        for (size_t i = 1; i < n; i++)
            tw_member(&t, i, 1);
        tw_curve(&t, 0, 1e5, 1e12, 0.5, 10, 0.5);
        assert_int_equal(crit_world_clear_export_quota(t.w, "Ga", "E00"), 0);
        for (size_t j = 1; j < n; j++) { /* open to everyone */
            assert_int_equal(
                crit_world_set_export_ban(t.w, "Ga", "E00", tw_code(j), 0), 0);
            assert_int_equal(
                crit_world_set_import_ban(t.w, "Ga", tw_code(j), "E00", 0), 0);
        }
        tw_market(&t);
        solve_ok(&t);
        double before[TW_MAX], after[TW_MAX], ex[TW_MAX];
        prices(&t, before);
        assert_int_equal(crit_market_values(ex, n, t.m, CRIT_MARKET_EXPORTS),
                         0);
        assert_true(ex[0] > 0);
        for (size_t j = 1; j < n; j++)
            if (t.member[j])
                assert_int_equal(
                    crit_world_set_export_ban(t.w, "Ga", "E00", tw_code(j), 1),
                    0);
        solve_ok(&t);
        prices(&t, after);
        double tol = 1e-7 * t.p0, rise = 0;
        for (size_t i = 1; i < n; i++)
            if (t.member[i]) {
                assert_true(after[i] >= before[i] - tol);
                rise = fmax(rise, after[i] - before[i]);
            }
        assert_true(rise > tol); /* coalition prices rise */
        assert_true(after[0] <= before[0] + tol);
        tw_free(&t);
    }
}

static void test_policy_floor(void **state)
{
    (void)state;
    tw t;
    tw_init(&t, 2, 100, 1000);
    tw_curve(&t, 0, 100, 1e9, 1, 50, 1);
    tw_curve(&t, 1, 50, 1e9, 1, 100, 1);
    tw_member(&t, 0, 1);
    tw_market(&t);
    solve_ok(&t);
    double p = tw_get(&t, CRIT_MARKET_PRICE, 0);
    double s = tw_get(&t, CRIT_MARKET_PRODUCTION, 0);
    /* integrated market: 150 x = 150 / x, x = 1 */
    assert_true(fabs(p - 100) <= 1e-9 * 100);
    tw_floor(&t, 0, 130, 0.6, 0);
    solve_ok(&t);
    double pf = tw_get(&t, CRIT_MARKET_PRICE, 0);
    double sf = tw_get(&t, CRIT_MARKET_PRODUCTION, 0);
    assert_true(sf > s * 1.05); /* the floor raises covered production */
    assert_true(pf < p);        /* and lowers the market price */
    double q = 0.6 * 100 * 1.3 / 12;
    assert_true(fabs(tw_get(&t, CRIT_MARKET_CFD_PAID, 0) - (130 - pf) * q) <=
                1e-9 * 130 * q);
    assert_true(tw_get(&t, CRIT_MARKET_CFD_RECEIVED, 0) == 0);
    assert_true(tw_get(&t, CRIT_MARKET_CFD_PAID, 1) == 0);
    /* a collar below the price: the payer receives phi (p - F) q */
    tw_floor(&t, 0, 60, 0.5, 0.4);
    solve_ok(&t);
    pf = tw_get(&t, CRIT_MARKET_PRICE, 0);
    assert_true(pf > 60);
    double e = pf - 0.4 * (pf - 60);
    q = 0.5 * 100 * (e / 100) / 12;
    assert_true(fabs(tw_get(&t, CRIT_MARKET_CFD_RECEIVED, 0) -
                     0.4 * (pf - 60) * q) <= 1e-9 * pf * q);
    assert_true(tw_get(&t, CRIT_MARKET_CFD_PAID, 0) == 0);
    /* cleared: back to the market without it */
    assert_int_equal(crit_policy_clear_floor(t.pol, "E00"), 0);
    t.floor_on[0] = 0;
    solve_ok(&t);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 0) - 100) <= 1e-9 * 100);
    tw_free(&t);
}

/* Non-member exporter E00, member importer E01, transport 10. */
static void levy_world(tw *t)
{
    tw_init(t, 2, 100, 1000);
    tw_curve(t, 0, 200, 1e9, 1, 50, 1);
    tw_curve(t, 1, 20, 1e9, 1, 150, 1);
    tw_member(t, 1, 1);
    assert_int_equal(crit_world_set_transport(t->w, "Ga", "E00", "E01", 10), 0);
}

static void test_policy_reference_price(void **state)
{
    (void)state;
    tw t;
    levy_world(&t);
    tw_market(&t);
    solve_ok(&t);
    double free_m = tw_get(&t, CRIT_MARKET_PRICE, 1);
    /* Rref above the free-trade price: imports continue, so the member
       price is held exactly at Rref and tau = Rref - (p_E00 + 10) */
    t.rref = free_m * 1.2;
    assert_int_equal(crit_policy_set_reference_price(t.pol, t.rref), 0);
    solve_ok(&t);
    crit_market_info info;
    crit_market_info_init(&info);
    assert_int_equal(crit_market_info_get(&info, t.m), 0);
    double pm = tw_get(&t, CRIT_MARKET_PRICE, 1);
    double px = tw_get(&t, CRIT_MARKET_PRICE, 0);
    assert_true(fabs(pm - t.rref) <= 1e-9 * t.rref);
    assert_true(info.levy_usd_per_t > 0);
    assert_true(fabs(info.levy_usd_per_t - (t.rref - px - 10)) <= 1e-9 * 100);
    double imp = tw_get(&t, CRIT_MARKET_IMPORTS, 1);
    assert_true(imp > 0);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_LEVY_REVENUE, 1) -
                     info.levy_usd_per_t * imp) <=
                1e-9 * info.levy_revenue_usd);
    assert_true(fabs(info.levy_revenue_usd - info.levy_usd_per_t * imp) <=
                1e-9 * info.levy_revenue_usd);
    assert_true(info.levy_iterations > 1);
    /* Rref below the free-trade landed price: no levy */
    t.rref = free_m * 0.5;
    assert_int_equal(crit_policy_set_reference_price(t.pol, t.rref), 0);
    solve_ok(&t);
    assert_int_equal(crit_market_info_get(&info, t.m), 0);
    assert_true(info.levy_usd_per_t == 0);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 1) - free_m) <=
                1e-9 * free_m);
    /* with an external tariff too: the levy tops the landed price up */
    t.ext = 5;
    assert_int_equal(crit_policy_set_external_tariff(t.pol, t.ext), 0);
    t.rref = free_m * 1.3;
    assert_int_equal(crit_policy_set_reference_price(t.pol, t.rref), 0);
    solve_ok(&t);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 1) - t.rref) <=
                1e-9 * t.rref);
    tw_free(&t);
}

/*
 * Levy revenue (MODEL.md section 4) is tau times the imports of every
 * member from non-members, summed over the members, the first economy
 * among them. E00 and E01 are members without supply, using 120 P0 / p
 * and 60 P0 / p t a year; E02 (not a member) supplies 300 p / P0 and
 * reaches each for 10. Under a reference price of 150 imports go on, so
 * the members are at 150 and import 180 P0 / 150 = 120 t a year; E02 is at
 * 40 (300 p / P0 = 120), and tau = 150 - 40 - 10 = 100.
 */
static void test_policy_levy_revenue_members(void **state)
{
    (void)state;
    const double I = INFINITY;
    tw t;
    tw_init(&t, 3, 100, 1000);
    tw_curve(&t, 0, 0, 0, 0, 120, 1);
    tw_curve(&t, 1, 0, 0, 0, 60, 1);
    tw_curve(&t, 2, 300, 1e9, 1, 0, 0);
    tw_member(&t, 0, 1);
    tw_member(&t, 1, 1);
    const double c[3][3] = {{0, I, I}, {I, 0, I}, {10, 10, 0}};
    tw_routes(&t, 3, &c[0][0], NULL);
    t.rref = 150;
    assert_int_equal(crit_policy_set_reference_price(t.pol, t.rref), 0);
    tw_market(&t);
    solve_ok(&t);
    crit_market_info info;
    crit_market_info_init(&info);
    assert_int_equal(crit_market_info_get(&info, t.m), 0);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 2) - 40) <= 1e-9 * 40);
    assert_true(fabs(info.levy_usd_per_t - 100) <= 1e-9 * 100);
    const double want[2] = {100 * 80 * t.dt, 100 * 40 * t.dt};
    for (size_t i = 0; i < 2; i++) {
        double v = tw_get(&t, CRIT_MARKET_LEVY_REVENUE, i);
        if (!(fabs(v - want[i]) <= 1e-9 * want[i]))
            fail_msg("E%02zu's levy revenue %.17g, not %.17g", i, v, want[i]);
    }
    double total = want[0] + want[1];
    if (!(fabs(info.levy_revenue_usd - total) <= 1e-9 * total))
        fail_msg("levy revenue %.17g, not %.17g", info.levy_revenue_usd, total);
    assert_true(tw_get(&t, CRIT_MARKET_LEVY_REVENUE, 2) == 0);
    tw_free(&t);
}

/* tau = max(0, Rref - L(tau)) recomputed from reported prices (inside
 * check_residual) on random worlds with reference prices. */
static void test_policy_levy_fixed_point_random(void **state)
{
    (void)state;
    tw_rng = tw_seed(303);
    int positive = 0;
    int count = getenv("CRIT_TEST_QUICK") ? 30 : world_count(80);
    for (int k = 0; k < count; k++) {
        tw t;
        tw_random(&t, 2 + (size_t)(k % 25), 1);
        tw_member(&t, 0, 0);
        tw_member(&t, 1, 1);
        t.rref = t.p0 * uniform(0.5, 3);
        assert_int_equal(crit_policy_set_reference_price(t.pol, t.rref), 0);
        tw_market(&t);
        int rc = crit_market_solve(t.m);
        if (rc != CRIT_OK)
            fail_msg("world %d: %s", k, crit_error_last());
        /* the fixed point recomputed here, with the whole residual */
        double r = check_residual(&t);
        if (!(r <= 1e-9))
            fail_msg("world %d: residual %g", k, r);
        r = check_free_prices(&t);
        if (!(r <= 1e-12))
            fail_msg("world %d: a free price off by %g", k, r);
        crit_market_info info;
        crit_market_info_init(&info);
        assert_int_equal(crit_market_info_get(&info, t.m), 0);
        positive += info.levy_usd_per_t > 0;
        tw_free(&t);
    }
    assert_true(positive > 5);
}

/*
 * Hold t's reference price at rref, solve (it must succeed and pass the
 * test's own residual, the fixed point included) and read the prices and
 * quota rents into p and lam (t->n each).
 */
static void levy_solved(tw *t, double rref, double *p, double *lam)
{
    size_t n = t->n;
    t->rref = rref;
    assert_int_equal(crit_policy_set_reference_price(t->pol, rref), CRIT_OK);
    tw_market(t);
    assert_int_equal(crit_market_solve(t->m), CRIT_OK);
    assert_true(check_residual(t) <= 1e-9);
    assert_int_equal(crit_market_values(p, n, t->m, CRIT_MARKET_PRICE), 0);
    assert_int_equal(crit_market_values(lam, n, t->m, CRIT_MARKET_QUOTA_RENT),
                     0);
}

/*
 * Economy k of n is at the least price at which supply reaches it, to
 * 1e-12: min(top, p_i + lambda_i + into[i]) over the others (into[i]: the
 * cost of i's route into k, +inf where there is none).
 */
static void expect_reached(size_t n, const double *p, const double *lam,
                           size_t k, const double *into, double top)
{
    double reach = top;
    for (size_t i = 0; i < n; i++)
        if (i != k)
            reach = fmin(reach, p[i] + lam[i] + into[i]);
    assert_true(fabs(p[k] - reach) <= 1e-12 * reach);
}

/*
 * The world of the levy test below (after one found by fuzz_scenario,
 * where E00's supply elasticity was 0.01: its quota then left it a price
 * below the smallest double): members E00 (a fixed supply, a quota of
 * 1.04 t a year) and E01, non-members E02 (its curve set by the test) and
 * E03; dt is 1/3 of a year. With five economies, E04 is
 * a non-member (curve set by the test) that E02 reaches for 23 and that
 * reaches E00 for 31, and E02's routes to and from E00 cost 37 and 5.6.
 */
static void jump_world(tw *t, size_t n)
{
    tw_init(t, n, 19082, 86380);
    t->dt = 1.0 / 3;
    tw_curve(t, 0, 3924.19, 3924.19, 0, 0, 0);
    tw_curve(t, 1, 1.00521, 7.34238, 0.132346, 1081.27, 0.964645);
    tw_curve(t, 3, 837.832, 5414.38, 0.128182, 59.2273, 0.128182);
    const double I = INFINITY;
    const double q[5] = {1.03663, 4.21697, I, 59.2273, I};
    double c[5][5] = {{0, 166.704, 47.4386, I, I},
                      {14492.9, 0, 4204.61, 0, I},
                      {2.19028, 14492.9, 0, 10316.6, 23},
                      {14492.9, 14492.9, 14492.9, 0, I},
                      {31, I, I, I, 0}};
    if (n == 5) {
        c[0][2] = 37;
        c[2][0] = 5.6;
    }
    double cn[25];
    for (size_t i = 0; i < n; i++) {
        tw_member(t, i, i < 2);
        for (size_t j = 0; j < n; j++)
            cn[i * n + j] = c[i][j];
    }
    tw_routes(t, n, cn, q);
}

/*
 * Non-members in balance at any level of their prices are reported at
 * the highest (crit/market.h), so L(tau) is a function of the world and
 * the levy holds the reference price. Case 0: E02 has a fixed supply
 * equal to its fixed demand (100 t a year of each). Case 1: E02 has no
 * supply, and a stockpile that releases all it may, 100 t a year, above
 * 18,645 USD/t, which meets its fixed demand of 100 t a year. Case 2: E02
 * has a fixed supply of 200 t a year and a fixed demand of 100, and ships
 * the rest to E04 (no supply, a fixed demand of 100), which no one else
 * reaches: the two rise together until supply from outside reaches E02,
 * and E04 stays 23 USD/t above. Before, E02 (and E04) stayed wherever the
 * solver's path left them, and E02's route into member E00 made L(tau)
 * jump between two neighbouring levies, and no levy held the reference
 * price: in case 0 from about 2 to 14,494 USD/t near a levy of 82,406; in
 * case 1 from 34,728 to 49,218 near 37,162; in case 2 from 5.6 to 14,494
 * near 84,194.
 */
static void test_policy_levy_fixed_balance(void **state)
{
    (void)state;
    const double rref[3] = {89369, 74367, 87532};
    const double into2[2][4] = {{47.4386, 4204.61, 0, 14492.9},
                                {37, 4204.61, 0, 14492.9}};
    for (int k = 0; k < 3; k++) {
        tw t;
        jump_world(&t, k < 2 ? 4 : 5);
        if (k == 0)
            tw_curve(&t, 2, 100, 100, 0, 100, 0);
        else if (k == 1) {
            tw_curve(&t, 2, 0, 0, 0, 100, 0);
            const double ag[10] = {1e6, 1e6, 0, 0, 0, 100, 0, 18645, 0.05, 0};
            tw_agent_values(&t, 2, ag);
        } else {
            tw_curve(&t, 2, 200, 200, 0, 100, 0);
            tw_curve(&t, 4, 0, 0, 0, 100, 0);
        }
        double p[5], lam[5];
        levy_solved(&t, rref[k], p, lam);
        expect_reached(4, p, lam, 2, into2[k == 2], t.pmax);
        if (k == 2)
            assert_true(fabs(p[4] - (p[2] + 23)) <= 1e-12 * p[4]);
        tw_free(&t);
    }
}

/*
 * Non-members with neither supply nor demand (E02, E04) trade nothing here
 * and are in balance at any price their routes allow; each is reported at
 * the least price at which supply reaches it (crit/market.h), and L(tau)
 * takes that price. Member E00 clears alone at 100 USD/t (below the
 * reference price of 150, so it imports nothing whatever the levy).
 * Non-member E03 clears alone at 100 (20/80)^(2/3) = 39.69 and reaches
 * E02 directly for 30 or through E04 for 1 + 1; E01 (71.14 alone) reaches
 * it for 100. So E04 = E03 + 1, E02 = E03 + 2, and L = E02 + 5 (E01's
 * direct route lands at 111): the levy is 150 - (E03 + 7). Without E04's
 * route in, E04 is at Pmax and E02 at E03 + 30. A reference price of 120
 * (solved warm) moves the levy, not those prices. Before, the two were
 * reported at whatever price the solver stopped at (0 and 1 USD/t), and
 * the levy was 144 and 145 USD/t.
 */
static void test_policy_levy_free_price(void **state)
{
    (void)state;
    const double I = INFINITY;
    for (int chain = 1; chain >= 0; chain--) {
        tw t;
        tw_init(&t, 5, 100, 10000);
        tw_curve(&t, 0, 100, 200, 1, 100, 0.5);
        tw_curve(&t, 1, 100, 200, 1, 60, 0.5);
        tw_curve(&t, 2, 0, 0, 0, 0, 0);
        tw_curve(&t, 3, 80, 160, 1, 20, 0.5);
        tw_curve(&t, 4, 0, 0, 0, 0, 0);
        const double c[5][5] = {{0, I, I, I, I},
                                {40, 0, 100, I, I},
                                {5, I, 0, I, I},
                                {I, I, 30, 0, chain ? 1 : I},
                                {I, I, 1, I, 0}};
        for (size_t i = 0; i < 5; i++)
            tw_member(&t, i, i == 0);
        tw_routes(&t, 5, &c[0][0], NULL);
        assert_int_equal(crit_policy_set_reference_price(t.pol, 150), CRIT_OK);
        tw_market(&t);
        double p3 = 100 * pow(0.25, 2.0 / 3);
        double want2 = chain ? p3 + 2 : p3 + 30, want4 = chain ? p3 + 1 : 1e4;
        /* cold, then warm at a lower reference price, then back */
        for (int round = 0; round < 3; round++) {
            double rref = round == 1 ? 120 : 150;
            t.rref = rref;
            assert_int_equal(crit_policy_set_reference_price(t.pol, rref),
                             CRIT_OK);
            double p[5], im[5], ex[5];
            tw_solve_trade(&t, p, im, ex);
            for (size_t i = 0; i < 5; i++) {
                assert_true(im[i] == 0);
                assert_true(ex[i] == 0);
            }
            assert_true(fabs(p[0] - 100) <= 1e-9 * 100);
            assert_true(fabs(p[3] - p3) <= 1e-9 * p3);
            assert_true(fabs(p[2] - want2) <= 1e-12 * want2);
            assert_true(fabs(p[4] - want4) <= 1e-12 * want4);
            crit_market_info info;
            crit_market_info_init(&info);
            assert_int_equal(crit_market_info_get(&info, t.m), 0);
            double levy = rref - (want2 + 5);
            assert_true(fabs(info.levy_usd_per_t - levy) <= 1e-9 * 100);
        }
        tw_free(&t);
    }
}

/*
 * The rule of test_policy_levy_free_price where the solve leaves rounding
 * on a free economy's routes: non-member E00 has neither supply nor
 * demand, and some of the levy search's warm solves left rounding on a
 * route out of it (7e-15 and 2e-12 t exported, nothing imported). When
 * the rule applied only to an economy that traded exactly nothing, E00
 * kept the solver's price in some of them (61.66 USD/t, where supply
 * reaches it at 120.89), L(tau) jumped from 62.12 to 121.35 between two
 * neighbouring levies and no levy held the reference price (the random
 * levy test, world 2,902 of a stress run). E00 is reported at the least
 * price at which supply reaches it, and the fixed point holds.
 */
static void test_policy_levy_free_price_rounding(void **state)
{
    (void)state;
    tw t;
    tw_init(&t, 4, 92.036429215835398, 1766.476125127655);
    t.dt = 0.25;
    tw_curve(&t, 0, 0, 0, 0.73380365169263206, 0, 0.20686228599599971);
    tw_curve(&t, 1, 16.493335371167628, 31.001499622166776, 1.2873477225605072,
             85.586650692160021, 1.857730568525797);
    tw_curve(&t, 2, 212.94027604850623, 212.94027604850623, 1.3472427736056671,
             0, 0);
    tw_curve(&t, 3, 0, 0, 0.60861699075407516, 180.88855312575743,
             0.20408804239488454);
    const double g[4] = {1.020651244229263, 1.3448251149965853,
                         1.2533466084307223, 0.88257595624036234};
    for (size_t i = 0; i < 4; i++) {
        t.g[i] = g[i];
        tw_member(&t, i, i > 0);
    }
    tw_floor(&t, 2, 131.70762388564026, 0.087808615771193033, 0);
    tw_floor(&t, 3, 78.025608400770068, 0.61687276706425453,
             0.73725132346624545);
    const double I = INFINITY;
    const double c[4][4] = {
        {0, I, 3.6451881962782648, 0.46108892889119507},
        {15.152892182212923, 0, 23.941081143562819, 5.7604783681392044},
        {13.148436857984768, 2.9489504777351607, 0, 24.158685071237365},
        {13.108096547099747, 8.1868224084519063, I, 0}};
    tw_routes(&t, 4, &c[0][0], NULL);
    double p[4], lam[4];
    levy_solved(&t, 175.26197246277164, p, lam);
    const double into0[4] = {0, c[1][0], c[2][0], c[3][0]};
    expect_reached(4, p, lam, 0, into0, INFINITY);
    tw_free(&t);
}

/*
 * A free economy reached only through an exporter whose quota is zero
 * (the random levy test, world 5,401 of a stress run, reduced): non-member
 * E02 produces 7,000 t a year and may export none of it, and its only
 * route goes to non-member E00, whose stockpile would buy below 21.6
 * USD/t and has nothing to release; E00's route goes on to member E01,
 * whose stockpile releases above 31.99. No supply can reach E00, so it is
 * at Pmax, lands nothing below the reference price of 32.55, and no levy
 * is needed; E02's rent, which its zero quota leaves free, keeps its
 * route closed. Before, E00 took E02's price plus a rent the equilibrium
 * does not pin down, and L(tau) jumped from 23.5 to 246 USD/t between two
 * neighbouring levies ("no levy holds the reference price").
 */
static void test_policy_levy_free_price_zero_quota(void **state)
{
    (void)state;
    tw t;
    tw_init(&t, 3, 32.144727324877657, 246.06132644272546);
    t.dt = 0.25;
    tw_curve(&t, 0, 0, 0, 1.4, 0, 0.3);
    tw_curve(&t, 1, 0, 0, 1.6, 0, 0.17);
    tw_curve(&t, 2, 7000, 7000, 0, 430, 0.46);
    t.g[0] = 1.3;
    t.g[1] = t.g[2] = 1.4;
    for (size_t i = 0; i < 3; i++)
        tw_member(&t, i, i == 1);
    const double I = INFINITY;
    const double c[3][3] = {{0, 0, I}, {I, 0, I}, {0, I, 0}};
    const double q[3] = {I, I, 0};
    tw_routes(&t, 3, &c[0][0], q);
    const double a0[10] = {0.054275215664314418, 3.5441693032048311,
                           0.40209812673258116,  2.8385484262433978,
                           0.48368700071126863,  1.4892681339333829,
                           19.619390001157296,   29.917010298764964,
                           0.10261594191687411,  29.911226867237694};
    const double a1[10] = {11710.646347529657,   24936.532281764368,
                           6267.024693008615,    6299.4886402430466,
                           40537.398794929024,   9156.5460944502356,
                           26.663372782094566,   31.987940061761016,
                           0.089240600809421644, 389288.03248548368};
    tw_agent_values(&t, 0, a0);
    tw_agent_values(&t, 1, a1);
    double p[3], lam[3];
    levy_solved(&t, 32.554351438934575, p, lam);
    assert_true(p[0] == t.pmax);
    assert_true(p[2] + lam[2] >= t.pmax); /* E02 -> E00 closed */
    crit_market_info info;
    crit_market_info_init(&info);
    assert_int_equal(crit_market_info_get(&info, t.m), 0);
    assert_true(info.levy_usd_per_t == 0);
    tw_free(&t);
}

/*
 * A non-member whose export quota is zero (E01: plenty of supply at about
 * 1 USD/t, a route into member E00 of 5 USD/t) exports nothing, so its
 * quota rent, and the price its exports would leave at, is not pinned down
 * by the equilibrium: any rent from E00's price less the route up holds.
 * It lands no supply and takes no part in L(tau). The other non-member
 * (E02, autarky at 100 USD/t) lands at 150 over a route of 50, above the
 * reference price of 120, and E00 clears alone at 100: no levy is needed.
 * Before, E01 counted at its exports' indeterminate price: here a levy of
 * 65 USD/t with no import to bear it; in a random world of a stress run,
 * an L(tau) that jumped between two neighbouring levies ("no levy holds
 * the reference price").
 */
static void test_policy_levy_zero_quota(void **state)
{
    (void)state;
    tw t;
    tw_init(&t, 3, 100, 1000);
    tw_curve(&t, 0, 100, 200, 1, 100, 0.5);
    tw_curve(&t, 1, 1000, 2000, 0.5, 10, 0.5);
    tw_curve(&t, 2, 100, 200, 1, 100, 0.5);
    tw_member(&t, 0, 1);
    tw_member(&t, 1, 0);
    tw_member(&t, 2, 0);
    const double q[3] = {INFINITY, 0, INFINITY};
    const double c[3][3] = {{0, 5, 50}, {5, 0, 50}, {50, 50, 0}};
    tw_routes(&t, 3, &c[0][0], q);
    t.rref = 120;
    assert_int_equal(crit_policy_set_reference_price(t.pol, t.rref), 0);
    tw_market(&t);
    solve_ok(&t);
    crit_market_info info;
    crit_market_info_init(&info);
    assert_int_equal(crit_market_info_get(&info, t.m), CRIT_OK);
    assert_true(info.levy_usd_per_t == 0);
    /* E00 and E02 in autarky at P0 (s0 = d0), E01 at P0 (d0/s0)^(1/(eta +
       eps)) = 1 USD/t; nothing moves */
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 0) - 100) <= 1e-9 * 100);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 1) - 1) <= 1e-9);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 2) - 100) <= 1e-9 * 100);
    for (size_t i = 0; i < 3; i++)
        assert_true(tw_get(&t, CRIT_MARKET_EXPORTS, i) == 0);
    assert_true(check_residual(&t) <= 1e-9);
    tw_free(&t);
}

/*
 * The one non-member (E02) supplies a fixed 653 t a month whatever it
 * fetches; without a levy its exports land at 426.41 USD/t, 1.05 below
 * the reference price. A levy only lowers E02's price (the members' prices
 * stay), so tau + L(tau) stays at 426.41 until that price reaches 0 near
 * tau = 347.2, and rises with tau after it: the reference price is held
 * by tau = Rref - c (E02 -> E00, the cheapest landed route), E02 at 0
 * disposing of what the members do not take. The search went along the
 * flat stretch 1.05 at a time and gave up after 200 steps ("the levy
 * fixed point did not converge (bracket [210.997, 427.463] USD/t)"); a
 * random world (40,000 of them in a stress run of the tests) found it.
 */
static void test_policy_levy_flat(void **state)
{
    (void)state;
    tw t;
    tw_init(&t, 4, 293.3344802330376, 5262.3136398269999);
    tw_curve(&t, 0, 0, 0, 1.6167580371715966, 8443.5614841916649,
             1.9244073493665685);
    tw_curve(&t, 1, 190.45328492453575, 333.35540732300979, 0,
             732.29335497955958, 1.3226581081611688);
    tw_curve(&t, 2, 7838.4194773493873, 8972.8708602551505, 0,
             17.89759392911742, 0);
    tw_curve(&t, 3, 5.8669613096931661, 6.847390243483761, 0.91122208859918696,
             2701.31334359119, 1.5996758228381167);
    const double a[4] = {0.35089881032782161, 1, 1, 1};
    const double g[4] = {1.4164311374193361, 1.1938970089627607,
                         0.86005489134538771, 1.3208393869781405};
    memcpy(t.a, a, sizeof a);
    memcpy(t.g, g, sizeof g);
    const double q[4] = {0, 146.39744524439982, INFINITY, INFINITY};
    const double c[4][4] = {
        {0, 62.178264193711257, 118.52787437202957, 185.42322184156427},
        {12.635742120305748, 0, 32.128156695169174, INFINITY},
        {79.236916094026768, INFINITY, 0, 102.33578403142687},
        {INFINITY, 84.634875282759822, 94.97154581969474, 0}};
    for (size_t i = 0; i < 4; i++)
        tw_member(&t, i, i != 2);
    tw_routes(&t, 4, &c[0][0], q);
    t.rref = 427.46310900203326;
    assert_int_equal(crit_policy_set_reference_price(t.pol, t.rref), CRIT_OK);
    tw_market(&t);
    assert_int_equal(crit_market_solve(t.m), CRIT_OK);
    crit_market_info info;
    crit_market_info_init(&info);
    assert_int_equal(crit_market_info_get(&info, t.m), CRIT_OK);
    double tau = t.rref - c[2][0];
    assert_true(fabs(info.levy_usd_per_t - tau) <= 1e-9 * t.p0);
    assert_true(tw_get(&t, CRIT_MARKET_PRICE, 2) == 0);
    assert_true(tw_get(&t, CRIT_MARKET_DISPOSAL, 2) > 0);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 0) - t.rref) <= 1e-9 * t.p0);
    assert_true(check_residual(&t) <= 1e-9);
    tw_free(&t);
}

/*
 * A world (one of 200,000 random levy worlds, reduced to 13 economies and
 * one stockpile agent) where tau + L(tau) does not rise as the levy does,
 * though MODEL.md section 4 says it cannot fall: from a levy of 7.25 USD/t
 * the gap to the reference price only widened, the search's fixed-point
 * steps were 0.011 USD/t each, and it gave up after 200 of them ("the levy
 * fixed point did not converge (bracket [46.5405, 187.271] USD/t)").
 * Where tau + L(tau) does not rise, the steps now double until the
 * reference price brackets the root. The fixed point is checked here
 * (check_residual recomputes tau = max(0, Rref - L(tau))).
 */
static void test_policy_levy_not_rising(void **state)
{
    (void)state;
    tw t;
    tw_init(&t, 13, 185.38961963423773, 429.96022702039227);
    const double cv[13][5] = {
        {0, 0, 0.17999999999999999, 9.7000000000000011, 0.081000000000000003},
        {8.8000000000000007, 9.3000000000000007, 0, 1600, 1.4000000000000001},
        {710, 790, 0, 87, 0},
        {400, 660, 1.6000000000000001, 0, 0.27000000000000002},
        {0, 0, 0, 430, 0.80000000000000004},
        {0, 0, 0, 11, 0.92000000000000004},
        {0, 0, 1.8, 0, 0.57999999999999996},
        {910, 1600, 0.62, 2.7000000000000002, 0.23000000000000001},
        {2400, 3500, 1.3, 0, 1.3},
        {1100, 1100, 0.77000000000000002, 1.3, 0.94000000000000006},
        {12, 22, 1.2000000000000002, 13, 1.8},
        {1800, 1800, 1.8, 6.6000000000000005, 0.90000000000000002},
        {0, 0, 2, 5300, 1.3},
    };
    const double a[13] = {1,
                          0.32000000000000001,
                          1,
                          1,
                          0.51000000000000001,
                          1,
                          0.96999999999999997,
                          1,
                          1,
                          1,
                          1,
                          1,
                          1};
    const double g[13] = {1.4000000000000001,
                          1.3,
                          0.97999999999999998,
                          1.2000000000000002,
                          1.3,
                          1.1000000000000001,
                          1,
                          1.2000000000000002,
                          0.98999999999999999,
                          0.97999999999999998,
                          1.3,
                          1.4000000000000001,
                          1.3};
    const int member[13] = {0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0};
    const struct {
        size_t i, j;
        double c;
    } arc[] = {
        {0, 10, 0}, {2, 0, 0},   {3, 12, 4.2000000000000002},
        {5, 1, 33}, {5, 11, 0},  {6, 3, 2.7000000000000002},
        {7, 12, 0}, {8, 12, 22}, {9, 12, 0},
        {10, 1, 0}, {11, 4, 0},  {11, 6, 22},
    };
    const double ag[10] = {8691.7763271037584, 23495.559711917882,
                           2665.0460056220636, 698.08109727670058,
                           21713.28712926494,  27548.943781612579,
                           99.35985478567234,  151.64304009979563,
                           0.138816355094907,  1174501.6015492529};
    double c[13][13], q[13];
    tw_economies(&t, 13, cv, a, g, member);
    for (size_t i = 0; i < 13; i++) {
        q[i] = INFINITY;
        for (size_t j = 0; j < 13; j++)
            c[i][j] = i == j ? 0 : INFINITY;
    }
    for (size_t k = 0; k < sizeof arc / sizeof *arc; k++)
        c[arc[k].i][arc[k].j] = arc[k].c;
    tw_routes(&t, 13, &c[0][0], q);
    tw_agent_values(&t, 5, ag);
    t.rref = 187.27070962336231;
    assert_int_equal(crit_policy_set_reference_price(t.pol, t.rref), CRIT_OK);
    tw_market(&t);
    if (crit_market_solve(t.m) != CRIT_OK)
        fail_msg("%s", crit_error_last());
    crit_market_info info;
    crit_market_info_init(&info);
    assert_int_equal(crit_market_info_get(&info, t.m), CRIT_OK);
    assert_true(info.levy_usd_per_t > 0);
    assert_true(check_residual(&t) <= 1e-9);
    tw_free(&t);
}

static void test_policy_bad_input(void **state)
{
    (void)state;
    tw t;
    tw_init(&t, 2, 100, 1000);
    crit_policy *p = (crit_policy *)&t;
    assert_int_equal(crit_policy_new(&p, t.w, "Zz"), CRIT_ENOTFOUND);
    assert_true(p == (crit_policy *)&t);
    assert_int_equal(crit_policy_new(&p, NULL, "Ga"), CRIT_EINVAL);
    assert_int_equal(crit_policy_set_external_tariff(t.pol, 12), 0);
    assert_int_equal(crit_policy_set_external_tariff(t.pol, NAN), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "external tariff"));
    assert_int_equal(crit_policy_set_external_tariff(t.pol, -1), CRIT_EINVAL);
    assert_true(crit_policy_external_tariff(t.pol) == 12);
    assert_int_equal(crit_policy_set_reference_price(t.pol, 150), 0);
    assert_int_equal(crit_policy_set_reference_price(t.pol, INFINITY),
                     CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "reference price"));
    assert_true(crit_policy_reference_price(t.pol) == 150);
    assert_true(crit_policy_reference_price(NULL) == 0);
    crit_floor_def f, g;
    crit_floor_def_init(&f);
    assert_true(f.covered_share == 1 && f.upside_share == 0);
    f.floor_usd_per_t = 110;
    f.covered_share = 0.5;
    assert_int_equal(crit_policy_set_floor(t.pol, "E00", &f), 0);
    struct {
        double F, th, phi;
        const char *field;
    } bad[] = {
        {NAN, 0.5, 0, "floor price"}, {-1, 0.5, 0, "floor price"},
        {100, 1.5, 0, "theta"},       {100, -0.1, 0, "theta"},
        {100, NAN, 0, "theta"},       {100, 0.5, 1, "phi"},
        {100, 0.5, -0.1, "phi"},      {100, 0.5, NAN, "phi"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        crit_floor_def b;
        crit_floor_def_init(&b);
        b.floor_usd_per_t = bad[k].F;
        b.covered_share = bad[k].th;
        b.upside_share = bad[k].phi;
        assert_int_equal(crit_policy_set_floor(t.pol, "E00", &b), CRIT_EINVAL);
        assert_non_null(strstr(crit_error_last(), bad[k].field));
        assert_non_null(strstr(crit_error_last(), "E00"));
    }
    assert_int_equal(crit_policy_set_floor(t.pol, "XYZ", &f), CRIT_ENOTFOUND);
    f.size = 3;
    assert_int_equal(crit_policy_set_floor(t.pol, "E01", &f), CRIT_EINVAL);
    /* nothing changed */
    int32_t on = -1;
    crit_floor_def_init(&g);
    assert_int_equal(crit_policy_floor_get(&g, &on, t.pol, "E00"), 0);
    assert_int_equal(on, 1);
    assert_true(g.floor_usd_per_t == 110 && g.covered_share == 0.5 &&
                g.upside_share == 0);
    assert_int_equal(crit_policy_floor_get(&g, &on, t.pol, "E01"), 0);
    assert_int_equal(on, 0);
    assert_int_equal(crit_policy_clear_floor(t.pol, "E00"), 0);
    assert_int_equal(crit_policy_floor_get(&g, &on, t.pol, "E00"), 0);
    assert_int_equal(on, 0);
    assert_int_equal(crit_policy_clear_floor(t.pol, "E00"), 0);
    /* switching off with 0 */
    assert_int_equal(crit_policy_set_external_tariff(t.pol, 0), 0);
    assert_true(crit_policy_external_tariff(t.pol) == 0);
    /* the policy outlives its world */
    crit_world_free(t.w);
    assert_int_equal(crit_policy_set_floor(t.pol, "E01", &g), 0);
    crit_policy_free(t.pol);
    crit_policy_free(NULL);
}

/*
 * The ends of the floor's ranges are accepted (F = 0, theta = 0 and 1,
 * phi < 1) and read back as set; clearing one economy's floor leaves the
 * other's as it was.
 */
static void test_policy_floor_bounds_and_clear(void **state)
{
    (void)state;
    tw t;
    tw_init(&t, 2, 100, 1000);
    /* theta = 0: a floor covering none of E00's production */
    tw_floor(&t, 0, 0, 0, 0.5);
    tw_floor(&t, 1, 120, 1, 0.25);
    crit_floor_def g;
    int32_t on = -1;
    crit_floor_def_init(&g);
    assert_int_equal(crit_policy_floor_get(&g, &on, t.pol, "E00"), CRIT_OK);
    assert_int_equal(on, 1);
    assert_true(g.floor_usd_per_t == 0 && g.covered_share == 0 &&
                g.upside_share == 0.5);
    /* clear E00's: E01's stays */
    assert_int_equal(crit_policy_clear_floor(t.pol, "E00"), CRIT_OK);
    assert_int_equal(crit_policy_floor_get(&g, &on, t.pol, "E00"), CRIT_OK);
    assert_int_equal(on, 0);
    assert_true(g.floor_usd_per_t == 0 && g.covered_share == 1 &&
                g.upside_share == 0);
    assert_int_equal(crit_policy_floor_get(&g, &on, t.pol, "E01"), CRIT_OK);
    assert_int_equal(on, 1);
    assert_true(g.floor_usd_per_t == 120 && g.covered_share == 1 &&
                g.upside_share == 0.25);
    tw_free(&t);
}

/* ---- refusals ----------------------------------------------------------- */

/* What a policy holds, read through its getters: both prices and the
 * floor of each of the first n economies. */
typedef struct psnap {
    double ext, rref;
    int32_t on[4];
    crit_floor_def f[4];
} psnap;

static void psnap_take(psnap *s, const crit_policy *p, size_t n)
{
    assert_true(n <= 4);
    memset(s, 0, sizeof *s);
    s->ext = crit_policy_external_tariff(p);
    s->rref = crit_policy_reference_price(p);
    for (size_t i = 0; i < n; i++) {
        crit_floor_def_init(&s->f[i]);
        assert_int_equal(
            crit_policy_floor_get(&s->f[i], &s->on[i], p, tw_code(i)), CRIT_OK);
    }
}

static void psnap_check(const psnap *a, const crit_policy *p, size_t n)
{
    psnap b;
    psnap_take(&b, p, n);
    assert_true(a->ext == b.ext && a->rref == b.rref);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(a->on[i], b.on[i]);
        assert_true(a->f[i].floor_usd_per_t == b.f[i].floor_usd_per_t &&
                    a->f[i].covered_share == b.f[i].covered_share &&
                    a->f[i].upside_share == b.f[i].upside_share);
    }
}

/* A refused call: the exact code, a message naming what was wrong, and
 * the policy t->pol as it was (its n economies' floors included). */
#define REFUSED(t, call, code, ...)                                            \
    do {                                                                       \
        psnap before_;                                                         \
        psnap_take(&before_, (t)->pol, (t)->n);                                \
        crit_error_clear();                                                    \
        assert_int_equal((call), (code));                                      \
        assert_int_equal(crit_error_last_code(), (code));                      \
        msg_has(__VA_ARGS__, (const char *)NULL);                              \
        psnap_check(&before_, (t)->pol, (t)->n);                               \
    } while (0)

/* A policy with every mechanism on: a tariff, a reference price and a
 * floor at E00 (none at E01). */
static void refusal_policy(tw *t)
{
    tw_init(t, 2, 100, 1000);
    assert_int_equal(crit_policy_set_external_tariff(t->pol, 12), CRIT_OK);
    assert_int_equal(crit_policy_set_reference_price(t->pol, 150), CRIT_OK);
    tw_floor(t, 0, 110, 0.5, 0.25);
}

/* Every pointer argument NULL in turn: what the header says (CRIT_EINVAL
 * and a message, 0 from a getter, an optional output skipped). */
static void test_policy_null_arguments(void **state)
{
    (void)state;
    tw t;
    refusal_policy(&t);
    crit_floor_def_init(NULL); /* ignored */
    crit_policy_free(NULL);
    crit_policy *p = (crit_policy *)&t;
    REFUSED(&t, crit_policy_new(NULL, t.w, "Ga"), CRIT_EINVAL,
            "policy: NULL argument");
    REFUSED(&t, crit_policy_new(&p, NULL, "Ga"), CRIT_EINVAL,
            "policy: NULL argument");
    REFUSED(&t, crit_policy_new(&p, t.w, NULL), CRIT_EINVAL,
            "mineral code is NULL");
    assert_true(p == (crit_policy *)&t);
    REFUSED(&t, crit_policy_set_external_tariff(NULL, 5), CRIT_EINVAL,
            "external tariff: policy is NULL");
    assert_true(crit_policy_external_tariff(NULL) == 0);
    REFUSED(&t, crit_policy_set_reference_price(NULL, 5), CRIT_EINVAL,
            "reference price: policy is NULL");
    assert_true(crit_policy_reference_price(NULL) == 0);
    crit_floor_def f;
    crit_floor_def_init(&f);
    f.floor_usd_per_t = 90;
    REFUSED(&t, crit_policy_set_floor(NULL, "E01", &f), CRIT_EINVAL,
            "set floor: NULL argument");
    REFUSED(&t, crit_policy_set_floor(t.pol, NULL, &f), CRIT_EINVAL,
            "economy code is NULL");
    REFUSED(&t, crit_policy_set_floor(t.pol, "E01", NULL), CRIT_EINVAL,
            "set floor: NULL argument");
    REFUSED(&t, crit_policy_clear_floor(NULL, "E00"), CRIT_EINVAL,
            "clear floor: policy is NULL");
    REFUSED(&t, crit_policy_clear_floor(t.pol, NULL), CRIT_EINVAL,
            "economy code is NULL");
    crit_floor_def g;
    crit_floor_def_init(&g);
    g.floor_usd_per_t = -3;
    int32_t on = -1;
    REFUSED(&t, crit_policy_floor_get(NULL, &on, t.pol, "E00"), CRIT_EINVAL,
            "get floor: NULL argument");
    REFUSED(&t, crit_policy_floor_get(&g, &on, NULL, "E00"), CRIT_EINVAL,
            "get floor: NULL argument");
    REFUSED(&t, crit_policy_floor_get(&g, &on, t.pol, NULL), CRIT_EINVAL,
            "economy code is NULL");
    assert_true(g.floor_usd_per_t == -3);
    assert_int_equal(on, -1);
    /* out_active is optional */
    assert_int_equal(crit_policy_floor_get(&g, NULL, t.pol, "E00"), CRIT_OK);
    assert_true(g.floor_usd_per_t == 110 && g.covered_share == 0.5 &&
                g.upside_share == 0.25);
    tw_free(&t);
}

/*
 * The refusals not covered by test_policy_bad_input, each with its code,
 * a message naming the problem and the policy as it was: an unknown
 * economy to clear or read, an out-struct too small, a definition from a
 * newer libcrit with a field set, a NaN or negative price.
 */
static void test_policy_refusals(void **state)
{
    (void)state;
    tw t;
    refusal_policy(&t);
    REFUSED(&t, crit_policy_clear_floor(t.pol, "XYZ"), CRIT_ENOTFOUND,
            "economy 'XYZ' is not in the world");
    crit_floor_def g;
    crit_floor_def_init(&g);
    g.floor_usd_per_t = -3;
    int32_t on = -1;
    REFUSED(&t, crit_policy_floor_get(&g, &on, t.pol, "XYZ"), CRIT_ENOTFOUND,
            "economy 'XYZ' is not in the world");
    g.size = 4;
    REFUSED(&t, crit_policy_floor_get(&g, &on, t.pol, "E00"), CRIT_EINVAL,
            "floor definition: size 4 is smaller than");
    assert_true(g.floor_usd_per_t == -3);
    assert_int_equal(on, -1);
    /* a newer caller's out-struct: its own fields are left alone */
    struct {
        crit_floor_def f;
        double later;
    } big;
    crit_floor_def_init(&big.f);
    big.f.size = sizeof big;
    big.later = 7;
    assert_int_equal(crit_policy_floor_get(&big.f, &on, t.pol, "E00"), CRIT_OK);
    assert_true(big.f.floor_usd_per_t == 110 && big.later == 7);
    assert_int_equal(on, 1);
    /* and its definition: a zero tail is fine, another not */
    big.f.floor_usd_per_t = 95;
    REFUSED(&t, crit_policy_set_floor(t.pol, "E01", &big.f), CRIT_EUNSUPPORTED,
            "floor definition: field at byte", "is not known");
    big.later = 0;
    assert_int_equal(crit_policy_set_floor(t.pol, "E01", &big.f), CRIT_OK);
    /* prices: NaN, infinite, negative */
    REFUSED(&t, crit_policy_set_external_tariff(t.pol, -INFINITY), CRIT_EINVAL,
            "policy for mineral 'Ga': external tariff -inf must be finite "
            "and >= 0");
    REFUSED(&t, crit_policy_set_reference_price(t.pol, NAN), CRIT_EINVAL,
            "policy for mineral 'Ga': reference price nan");
    REFUSED(&t, crit_policy_set_reference_price(t.pol, -0.5), CRIT_EINVAL,
            "reference price -0.5 must be finite and >= 0");
    tw_free(&t);
}

/* Mechanisms switch between solves without telling the market. */
static void test_policy_switching(void **state)
{
    (void)state;
    tw t;
    levy_world(&t);
    tw_market(&t);
    solve_ok(&t);
    double p0[2], p1[2], p2[2];
    prices(&t, p0);
    t.ext = 40;
    assert_int_equal(crit_policy_set_external_tariff(t.pol, t.ext), 0);
    solve_ok(&t);
    prices(&t, p1);
    assert_true(p1[1] > p0[1] + 1);
    assert_true(tw_get(&t, CRIT_MARKET_TARIFF_REVENUE, 1) > 0);
    t.ext = 0;
    assert_int_equal(crit_policy_set_external_tariff(t.pol, 0), 0);
    assert_int_equal(crit_market_set_policy(t.m, NULL), 0);
    solve_ok(&t);
    prices(&t, p2);
    assert_true(fabs(p2[1] - p0[1]) <= 1e-9 * p0[1]);
    tw_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy_external_tariff_statics),
        cmocka_unit_test(test_policy_dominant_producer_ban),
        cmocka_unit_test(test_policy_floor),
        cmocka_unit_test(test_policy_reference_price),
        cmocka_unit_test(test_policy_levy_revenue_members),
        cmocka_unit_test(test_policy_levy_fixed_point_random),
        cmocka_unit_test(test_policy_levy_fixed_balance),
        cmocka_unit_test(test_policy_levy_free_price),
        cmocka_unit_test(test_policy_levy_free_price_rounding),
        cmocka_unit_test(test_policy_levy_free_price_zero_quota),
        cmocka_unit_test(test_policy_levy_flat),
        cmocka_unit_test(test_policy_levy_zero_quota),
        cmocka_unit_test(test_policy_levy_not_rising),
        cmocka_unit_test(test_policy_bad_input),
        cmocka_unit_test(test_policy_floor_bounds_and_clear),
        cmocka_unit_test(test_policy_null_arguments),
        cmocka_unit_test(test_policy_refusals),
        cmocka_unit_test(test_policy_switching),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests of the market (crit/market.h): the residual of MODEL.md
 * section 3 recomputed here on random worlds, closed forms, degenerate
 * markets, warm starts, bad input and allocation failure.
 */
#define FAILALLOC_FIXTURE
#include "failalloc.h"

#include "market_check.h"

#include "market_internal.h"
#include "msg_has.h"

#include <float.h>

static void solve_ok(tw *t)
{
    int rc = crit_market_solve(t->m);
    if (rc != CRIT_OK)
        fail_msg("solve of %zu economies failed (%d): %s", t->n, rc,
                 crit_error_last());
}

static double info_residual(const tw *t)
{
    crit_market_info info;
    crit_market_info_init(&info);
    assert_int_equal(crit_market_info_get(&info, t->m), CRIT_OK);
    return info.residual;
}

/* ---- random worlds ------------------------------------------------------ */

/* integral of c (q / P0)^e from lo to hi, for q > 0 */
static double power_integral(double c, double e, double P0, double lo,
                             double hi)
{
    if (e == 0)
        return c * (hi - lo);
    if (fabs(e + 1) < 1e-12)
        return c * P0 * log(hi / lo);
    if (!(lo > 0 && hi > 0))
        return c * P0 / (e + 1) * (pow(hi / P0, e + 1) - pow(lo / P0, e + 1));
    /* the difference of the two powers, without cancelling where e + 1 is
       near 0 (an elasticity of 0.999994 lost digits 3e-9 of the
       integral: CRIT_MARKET_SEED=8, world 77,206) */
    return c * P0 * pow(lo / P0, e + 1) * expm1((e + 1) * log(hi / lo)) /
           (e + 1);
}

/*
 * Surplus changes against the prices pref (MODEL.md section 3), from the
 * test's own curves in closed form: the consumer's is the integral of
 * demand from p to pref, the producer's that of the uncovered supply (its
 * capacity's kink included) from pref to p. The largest gap relative to
 * V P0.
 */
static double surplus_gap(const tw *t, const double *pref)
{
    size_t n = t->n;
    double p[TW_MAX], cs[TW_MAX], ps[TW_MAX], V = 0;
    assert_int_equal(crit_market_values(p, n, t->m, CRIT_MARKET_PRICE), 0);
    assert_int_equal(
        crit_market_values(cs, n, t->m, CRIT_MARKET_CONSUMER_SURPLUS_CHANGE),
        0);
    assert_int_equal(
        crit_market_values(ps, n, t->m, CRIT_MARKET_PRODUCER_SURPLUS_CHANGE),
        0);
    for (size_t i = 0; i < n; i++)
        V += t_demand(t, i, p[i]);
    if (!(V > 0)) /* V as the residual takes it (crit/market.h) */
        for (size_t i = 0; i < n; i++) {
            double rel;
            t_release(t, i, p[i], &rel);
            V += t_supply(t, i, p[i]) + rel;
        }
    double M = (V > 0 ? V : 1) * t->p0, r = 0;
    for (size_t i = 0; i < n; i++) {
        const crit_curve_def *c = &t->curve[i];
        double d0 = c->base_demand_t_per_yr * t->g[i] * t->dt;
        double cs_want = d0 > 0 ? power_integral(d0, -c->demand_elasticity,
                                                 t->p0, p[i], pref[i])
                                : 0;
        /* supply a dt min(K, s0 (q / P0)^eta), kinked at qk */
        double s0 = c->base_production_t_per_yr, K = c->capacity_t_per_yr;
        double eta = c->supply_elasticity, ad = t->a[i] * t->dt;
        double lo = fmin(p[i], pref[i]), hi = fmax(p[i], pref[i]), ps_want = 0;
        if (s0 > 0 && eta == 0)
            ps_want = ad * s0 * (hi - lo);
        else if (s0 > 0) {
            double qk = t->p0 * pow(K / s0, 1 / eta),
                   mid = fmin(fmax(qk, lo), hi);
            ps_want =
                ad * (power_integral(s0, eta, t->p0, lo, mid) + K * (hi - mid));
        }
        if (p[i] < pref[i])
            ps_want = -ps_want;
        r = fmax(r, fabs(cs[i] - cs_want) / fmax(M, fabs(cs_want)));
        r = fmax(r, fabs(ps[i] - ps_want) / fmax(M, fabs(ps_want)));
    }
    return r;
}

static void random_worlds(int mechanisms, int count)
{
    count = world_count(count);
    tw_rng = tw_seed(mechanisms ? 0x1234567ull : 0xABCDEF01ull);
    for (int k = 0; k < count; k++) {
        size_t n = 1 + (size_t)(k % 40);
        tw t;
        tw_random(&t, n, mechanisms);
        tw_market(&t);
        int rc = crit_market_solve(t.m);
        if (rc != CRIT_OK)
            fail_msg("world %d (%zu economies): %s", k, n, crit_error_last());
        double r = check_residual(&t);
        if (!(r <= 1e-9))
            fail_msg("world %d (%zu economies): residual %g", k, n, r);
        assert_true(info_residual(&t) <= 1e-9);
        r = check_free_prices(&t);
        if (!(r <= 1e-12))
            fail_msg("world %d: a free price off by %g", k, r);
        double pref[TW_MAX];
        assert_int_equal(crit_market_values(pref, n, t.m, CRIT_MARKET_PRICE),
                         0);
        /* the next period: demand moves, the solve starts warm */
        for (size_t i = 0; i < n; i++)
            t.g[i] *= uniform(0.9, 1.1);
        assert_int_equal(crit_market_set_demand_level(t.m, t.g, n), CRIT_OK);
        rc = crit_market_solve(t.m);
        if (rc != CRIT_OK)
            fail_msg("world %d warm: %s", k, crit_error_last());
        r = check_residual(&t);
        if (!(r <= 1e-9))
            fail_msg("world %d warm: residual %g", k, r);
        r = check_free_prices(&t);
        if (!(r <= 1e-12))
            fail_msg("world %d warm: a free price off by %g", k, r);
        /* surplus changes against the first period's prices */
        assert_int_equal(crit_market_set_reference_prices(t.m, pref, n), 0);
        r = surplus_gap(&t, pref);
        if (!(r <= 1e-10)) /* 1.9e-12 seen in 80,000 worlds */
            fail_msg("world %d: surplus changes off by %g", k, r);
        tw_free(&t);
    }
}

static void test_market_residual_random_plain(void **state)
{
    (void)state;
    random_worlds(0, 400);
}

static void test_market_residual_random_mechanisms(void **state)
{
    (void)state;
    random_worlds(1, 400);
}

/*
 * Worlds of wide magnitudes: quantities over eight orders of magnitude
 * within a world, elasticities from 0.1 to 6, route costs from 1e-8 of
 * the base price to ten times it (a fifth of them free), ad valorem
 * tariffs to 100 %, export taxes and subsidies, quotas down to nothing,
 * stockpile agents with steep ramps. The elasticities keep every
 * equilibrium price well inside a double's range and the agents trade at
 * most what the world consumes, so every solve must succeed, but where a
 * floor's covered supply, disposed of at price 0, is so far above demand
 * that a double cannot resolve its balance to the tolerance of total
 * demand (beyond_double; the error must say so). Here the
 * linear rounds of a cold start could cycle (a tree holding an economy
 * linearised far from its price, where its balance is the small
 * difference of large terms): the solver must give them up, not the
 * solve.
 */
static double log_uniform(double lo, double hi)
{
    return pow(10, uniform(lo, hi));
}

static void tw_random_wide(tw *t, size_t n)
{
    double p0 = log_uniform(-2, 6);
    tw_init(t, n, p0, p0 * log_uniform(0.01, 3));
    double dts[] = {1.0 / 365, 1.0 / 12, 1, 5};
    t->dt = dts[(int)(urand() * 4)];
    double scale = log_uniform(-4, 8);
    for (size_t i = 0; i < n; i++) {
        double s0 = urand() < 0.3 ? 0 : scale * log_uniform(-4, 4);
        double K = urand() < 0.3 ? s0 : s0 * log_uniform(0, 2);
        double eta = urand() < 0.15 ? 0 : log_uniform(-1, 0.8);
        double d0 = urand() < 0.2 ? 0 : scale * log_uniform(-4, 4);
        double eps = urand() < 0.15 ? 0 : log_uniform(-1, 0.8);
        tw_curve(t, i, s0, K, eta, d0, eps);
        tw_member(t, i, urand() < 0.5);
        if (urand() < 0.2)
            t->a[i] = urand();
        t->g[i] = log_uniform(-2, 2);
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            if (i == j)
                continue;
            const char *a = tw_code(i), *b = tw_code(j);
            double c = urand() < 0.2 ? 0 : p0 * log_uniform(-8, 1);
            assert_int_equal(crit_world_set_transport(t->w, "Ga", a, b, c), 0);
            if (urand() < 0.3) {
                double rate = urand(), tariff = p0 * log_uniform(-6, 0);
                assert_int_equal(
                    crit_world_set_tariff(t->w, "Ga", a, b, tariff, rate), 0);
            }
            if (urand() < 0.2)
                assert_int_equal(crit_world_set_export_ban(t->w, "Ga", a, b, 1),
                                 0);
        }
    for (size_t i = 0; i < n; i++) {
        if (urand() < 0.2) /* a subsidy may be refused */
            (void)crit_world_set_export_tax(t->w, "Ga", tw_code(i),
                                            uniform(-0.5, 0.5) * p0, 0);
        if (urand() < 0.3)
            assert_int_equal(
                crit_world_set_export_quota(
                    t->w, "Ga", tw_code(i),
                    urand() < 0.1 ? 0 : scale * log_uniform(-6, 4)),
                0);
    }
    crit_error_clear();
    /* stockpiles trade no more than the world consumes: the residual is
       relative to total demand, and an agent's steep ramp trading far
       more than that would ask for more digits than a double has */
    double demand = 0;
    for (size_t i = 0; i < n; i++)
        demand += t->curve[i].base_demand_t_per_yr * t->g[i];
    for (size_t i = 0; i < n; i++) {
        if (urand() < 0.2) {
            double phi = urand() < 0.5 ? 0 : urand();
            double th = urand();
            tw_floor(t, i, p0 * log_uniform(-2, 1), th, phi);
        }
        if (urand() < 0.3 && t->na < TW_MAX_AGENTS) {
            crit_market_agent_def *d = &t->ag[t->na];
            crit_market_agent_def_init(d);
            double size = demand * log_uniform(-4, 0);
            d->capacity_t = size * 3;
            d->inventory_t = size * uniform(0, 3);
            d->minimum_t = size * uniform(0, 1);
            d->target_t = size * uniform(0, 3);
            d->acquisition_rate_t_per_yr = size * log_uniform(-3, 2);
            d->release_rate_t_per_yr = size * log_uniform(-3, 2);
            d->purchase_trigger_usd_per_t = p0 * log_uniform(-2, 1);
            d->release_trigger_usd_per_t =
                d->purchase_trigger_usd_per_t * log_uniform(0.0001, 1);
            d->smoothing = log_uniform(-2, 0);
            d->cash_usd = urand() < 0.3 ? 0 : size * p0 * log_uniform(-2, 1);
            t->ag_eco[t->na++] = i;
        }
    }
    if (urand() < 0.3) {
        t->ext = p0 * log_uniform(-4, 0.5);
        assert_int_equal(crit_policy_set_external_tariff(t->pol, t->ext), 0);
    }
    if (urand() < 0.3) {
        t->rref = p0 * log_uniform(-1, 1);
        assert_int_equal(crit_policy_set_reference_price(t->pol, t->rref), 0);
    }
}

/*
 * Whether some economy can move more than 1e6 times the least total
 * demand there can be (at Pmax): its capacity, or its agents' rates, per
 * period. The residual is relative to total demand, and past about
 * tolerance / DBL_EPSILON = 4.5e6 a double's rounding of that economy's
 * flows alone can exceed the tolerance.
 */
static int beyond_double(const tw *t)
{
    double least = 0, most = 0;
    for (size_t i = 0; i < t->n; i++) {
        const crit_curve_def *c = &t->curve[i];
        least += t_demand(t, i, t->pmax);
        most = fmax(most, c->capacity_t_per_yr * t->a[i] * t->dt);
    }
    for (size_t k = 0; k < t->na; k++)
        most = fmax(most, (t->ag[k].acquisition_rate_t_per_yr +
                           t->ag[k].release_rate_t_per_yr) *
                              t->dt);
    return most > 1e6 * least;
}

/*
 * Excess supply of economy i of t alone at price p, by the test's curves;
 * *V its demand, or where it has none its supply and release (as the
 * library's V of a world of one economy).
 */
static double own_excess(const tw *t, size_t i, double p, double *V)
{
    double gross, d = t_demand(t, i, p), s = t_supply(t, i, p);
    double e = s + t_release(t, i, p, &gross) - d;
    *V = d > 0 ? d : s + gross;
    return e;
}

/*
 * The neighbouring doubles pl < ph in [0, Pmax] between which economy i's
 * own excess supply (non-decreasing in the price) turns positive, by
 * bisecting the bits of the non-negative doubles; 0 when it is not
 * positive at Pmax (alone, the economy is then at Pmax with a shortage).
 */
static int own_bracket(const tw *t, size_t i, double *pl, double *ph)
{
    double V, p = t->pmax;
    if (!(own_excess(t, i, p, &V) > 0))
        return 0;
    uint64_t lo = 0, hi, mid;
    memcpy(&hi, &p, sizeof p);
    while (hi - lo > 1) {
        mid = lo + (hi - lo) / 2;
        memcpy(&p, &mid, sizeof p);
        if (own_excess(t, i, p, &V) > 0)
            hi = mid;
        else
            lo = mid;
    }
    memcpy(pl, &lo, sizeof *pl);
    memcpy(ph, &hi, sizeof *ph);
    return 1;
}

/*
 * Whether, in a world of one economy, no double balances it to the
 * tolerance, by the test's own curves: its excess supply changes sign
 * between two neighbouring doubles inside (0, Pmax), where neither
 * shortage nor disposal can take it up, and on both it is more than 1e-9
 * of V out of balance (a stockpile releasing 2e-11 t a month over a ramp
 * of 0.006 USD/t into a demand of 1e-19 t).
 */
static int no_double_balances(const tw *t)
{
    double pl, ph, Vl, Vh;
    if (t->n != 1 || !own_bracket(t, 0, &pl, &ph))
        return 0;
    double el = own_excess(t, 0, pl, &Vl), eh = own_excess(t, 0, ph, &Vh);
    return pl > 0 && ph < t->pmax && -el > 1e-9 * Vl && eh > 1e-9 * Vh;
}

/* The economy an error names as the one whose balance moves by more than
   the tolerance from its price to the next double; t->n if none. */
static size_t named_economy(const tw *t, const char *msg)
{
    static const char lead[] = "to the next double, economy '";
    const char *at = strstr(msg, lead);
    size_t n = t->n, i = n;
    if (!at)
        return n;
    at += sizeof lead - 1;
    size_t len = strcspn(at, "'");
    for (size_t k = 0; k < n; k++)
        if (strlen(tw_code(k)) == len && !strncmp(at, tw_code(k), len))
            i = k;
    return i;
}

/*
 * Whether no economy of t can ship anything to another: each one with
 * supply or a stockpile has an export quota of 0 or no open route out,
 * and the others have nothing to pass on. Each economy is then a market
 * of its own.
 */
static int no_trade(const tw *t)
{
    for (size_t i = 0; i < t->n; i++) {
        int source = t->curve[i].base_production_t_per_yr > 0 && t->a[i] > 0;
        for (size_t k = 0; k < t->na; k++)
            source |= t->ag_eco[k] == i;
        double q;
        assert_int_equal(
            crit_world_export_quota_get(&q, t->w, "Ga", tw_code(i)), CRIT_OK);
        if (!source || q == 0)
            continue;
        for (size_t j = 0; j < t->n; j++) {
            double c;
            int32_t ok = 0;
            if (j != i)
                assert_int_equal(crit_world_arc_wedge(&c, &ok, t->w, "Ga",
                                                      tw_code(i), tw_code(j)),
                                 CRIT_OK);
            if (ok)
                return 0;
        }
    }
    return 1;
}

/*
 * Whether, in a world of several economies none of which can trade
 * (no_trade), the economy msg names balances at no double, by the test's
 * own curves. Each economy stands alone, at the bracket where its own
 * excess supply turns positive (own_bracket), or at Pmax with a shortage;
 * V is the total demand there (at the lower double of each bracket, so
 * the larger), else the supply and release. The named economy's bracket
 * lies inside (0, Pmax), and at both its doubles the economy is more than
 * 1e-9 of V out of balance (CRIT_MARKET_SEED=55, world 42,921: a
 * stockpile whose purchases fall by 0.19 t per USD/t on its ramp, in an
 * economy that may not export, beside one without supply whose demand at
 * the choke price is 2e-14 t).
 */
static int isolated_step_beyond(const tw *t, const char *msg)
{
    size_t n = t->n, i = named_economy(t, msg);
    if (n < 2 || i == n || !no_trade(t))
        return 0;
    double V = 0, alt = 0, pl, ph, u;
    for (size_t j = 0; j < n; j++) {
        double p = own_bracket(t, j, &pl, &ph) ? pl : t->pmax, gross;
        V += t_demand(t, j, p);
        alt += t_supply(t, j, p);
        (void)t_release(t, j, p, &gross);
        alt += gross;
    }
    if (!(V > 0))
        V = alt > 0 ? alt : 1;
    if (!own_bracket(t, i, &pl, &ph) || !(pl > 0 && ph < t->pmax))
        return 0;
    return -own_excess(t, i, pl, &u) > 1e-9 * V &&
           own_excess(t, i, ph, &u) > 1e-9 * V;
}

/*
 * Whether, in a world of several economies, a solve that missed the
 * tolerance gave its true reason. msg, the error, names an economy whose
 * balance moves by more than the tolerance from its price to the next
 * double. With the tolerance at 1e-6 the same market must solve, its
 * answer within 1e-6 by the test's own residual, and there, by the test's
 * curves, that economy's own balance must move by more than 1e-9 of V
 * from its price to the next double (CRIT_MARKET_SEED=6: a stockpile
 * releasing 3e-6 t a period over a ramp of 5,400 USD/t, where the total
 * demand is 7e-14 t). The tolerance stays at 1e-6.
 */
static int named_step_beyond(tw *t, const char *msg)
{
    size_t n = t->n, i = named_economy(t, msg);
    if (n < 2 || i == n)
        return 0;
    crit_market_options opt;
    crit_market_options_init(&opt);
    opt.tolerance = 1e-6;
    assert_int_equal(crit_market_set_options(t->m, &opt), CRIT_OK);
    if (crit_market_solve(t->m) != CRIT_OK || !(check_residual(t) <= 1e-6))
        return 0;
    double p[TW_MAX], V = 0, e[2];
    assert_int_equal(crit_market_values(p, n, t->m, CRIT_MARKET_PRICE), 0);
    for (size_t k = 0; k < n; k++)
        V += t_demand(t, k, p[k]);
    for (int side = 0; side < 2; side++) {
        double q = side ? nextafter(p[i], INFINITY) : p[i], gross;
        e[side] =
            t_supply(t, i, q) + t_release(t, i, q, &gross) - t_demand(t, i, q);
    }
    return V > 0 && fabs(e[1] - e[0]) > 1e-9 * V;
}

static void test_market_residual_random_wide(void **state)
{
    (void)state;
    int count = world_count(400);
    tw_rng = tw_seed(0x5EEDF00Dull);
    for (int k = 0; k < count; k++) {
        size_t n = 1 + (size_t)(k % 40);
        tw t;
        tw_random_wide(&t, n);
        tw_market(&t);
        /* cold, then two periods whose demand moves by up to 2x */
        for (int period = 0; period < 3; period++) {
            int rc = crit_market_solve(t.m);
            if (rc == CRIT_ENOCONV && beyond_double(&t) &&
                strstr(crit_error_last(), "a double's rounding alone")) {
                /* 1 world in 200,000: a floor's covered supply 6e7 times
                   demand, disposed of at price 0 */
                for (size_t i = 0; i < n; i++) /* the draws stay in step */
                    for (int q = period; q < 3; q++)
                        (void)log_uniform(-0.3, 0.3);
                break;
            }
            char msg[512];
            snprintf(msg, sizeof msg, "%s", rc ? crit_error_last() : "");
            if (rc == CRIT_ENOCONV && strstr(msg, "moves its balance by") &&
                (no_double_balances(&t) || isolated_step_beyond(&t, msg) ||
                 named_step_beyond(&t, msg))) {
                /* 1 world in 100,000 (CRIT_MARKET_SEED=2, 6 and 55) */
                for (size_t i = 0; i < n; i++)
                    for (int q = period; q < 3; q++)
                        (void)log_uniform(-0.3, 0.3);
                break;
            }
            if (rc != CRIT_OK)
                fail_msg("world %d (%zu economies), period %d: %s", k, n,
                         period, msg);
            double r = check_residual(&t);
            if (!(r <= 1e-9))
                fail_msg("world %d, period %d: residual %g", k, period, r);
            r = check_free_prices(&t);
            if (!(r <= 1e-12))
                fail_msg("world %d, period %d: a free price off by %g", k,
                         period, r);
            for (size_t i = 0; i < n; i++)
                t.g[i] *= log_uniform(-0.3, 0.3);
            assert_int_equal(crit_market_set_demand_level(t.m, t.g, n),
                             CRIT_OK);
        }
        tw_free(&t);
    }
}

/* Warm and cold solves agree on prices where prices are unique. */
static void test_market_warm_equals_cold(void **state)
{
    (void)state;
    tw_rng = 77;
    for (int k = 0; k < 20; k++) {
        tw t;
        tw_random(&t, 2 + (size_t)k, 0);
        for (size_t i = 0; i < t.n; i++) { /* strictly monotone everywhere */
            double d0 = 10 + urand() * 100;
            tw_curve(&t, i, 10 + urand() * 100, 1e9, 0.5, d0, 0.5);
        }
        tw_market(&t);
        solve_ok(&t);
        for (size_t i = 0; i < t.n; i++)
            t.g[i] *= 1.05;
        assert_int_equal(crit_market_set_demand_level(t.m, t.g, t.n), 0);
        solve_ok(&t);
        double warm[TW_MAX], cold[TW_MAX];
        assert_int_equal(crit_market_values(warm, t.n, t.m, CRIT_MARKET_PRICE),
                         0);
        assert_int_equal(crit_market_reset(t.m), 0);
        solve_ok(&t);
        assert_int_equal(crit_market_values(cold, t.n, t.m, CRIT_MARKET_PRICE),
                         0);
        for (size_t i = 0; i < t.n; i++)
            assert_true(fabs(warm[i] - cold[i]) <= 1e-7 * t.p0);
        tw_free(&t);
    }
}

/* ---- a market follows every change ------------------------------------ */

/* Four economies of "Ga": a large exporter, a small one, a member with a
 * little supply and a member without any; routes cost 50 + 10 i + j. */
static void four_economies(tw *t)
{
    tw_init(t, 4, 1000, 1e5);
    tw_curve(t, 0, 800, 1e9, 0.5, 100, 0.5);
    tw_curve(t, 1, 300, 1e9, 0.5, 200, 0.5);
    tw_curve(t, 2, 10, 1e9, 0.5, 400, 0.5);
    tw_curve(t, 3, 0, 0, 0, 400, 0.5);
    for (size_t i = 0; i < 4; i++)
        for (size_t j = 0; j < 4; j++)
            if (i != j)
                assert_int_equal(
                    crit_world_set_transport(t->w, "Ga", tw_code(i), tw_code(j),
                                             50 + 10.0 * i + j),
                    CRIT_OK);
    tw_member(t, 2, 1);
    tw_member(t, 3, 1);
}

/*
 * After change k: solve t's market again; its residual, recomputed here,
 * meets 1e-9, its prices are those of a market created afresh with t's
 * inputs (to 1e-9 P0) and, when must_move, differ from `before` (which
 * then takes the new prices).
 */
static void agrees_with_fresh(tw *t, int k, double before[4], int must_move)
{
    double now[4], fresh[4];
    solve_ok(t);
    double r = check_residual(t);
    if (!(r <= 1e-9))
        fail_msg("change %d: residual %g", k, r);
    assert_int_equal(crit_market_values(now, 4, t->m, CRIT_MARKET_PRICE), 0);
    tw u = *t;
    tw_market(&u);
    solve_ok(&u);
    assert_int_equal(crit_market_values(fresh, 4, u.m, CRIT_MARKET_PRICE), 0);
    crit_market_free(u.m);
    double moved = 0;
    for (size_t i = 0; i < 4; i++) {
        if (!(fabs(now[i] - fresh[i]) <= 1e-9 * t->p0))
            fail_msg("change %d: %s at %.17g, a fresh market %.17g", k,
                     tw_code(i), now[i], fresh[i]);
        moved = fmax(moved, fabs(now[i] - before[i]));
        before[i] = now[i];
    }
    if (must_move && !(moved > 1e-6 * t->p0))
        fail_msg("change %d moved no price", k);
}

/*
 * A market re-reads the world at every solve (and keys its cached route
 * costs on the world's changes): after each kind of change, the market
 * solved again gives the prices of a market created afresh on the changed
 * world, and those prices differ from the ones before the change (every
 * change matters, so a stale cost would show).
 */
static void test_market_sees_world_changes(void **state)
{
    (void)state;
    tw t;
    four_economies(&t);
    t.ext = 30; /* the test's own residual reads it */
    assert_int_equal(crit_policy_set_external_tariff(t.pol, t.ext), CRIT_OK);
    tw_market(&t);
    solve_ok(&t);
    double before[4];
    assert_int_equal(crit_market_values(before, 4, t.m, CRIT_MARKET_PRICE), 0);
    for (int k = 0; k < 9; k++) {
        crit_world *w = t.w;
        int rc = -1;
        switch (k) {
        case 0:
            rc = crit_world_set_transport(w, "Ga", "E00", "E03", 20);
            break;
        case 1:
            rc = crit_world_set_tariff(w, "Ga", "E00", "E02", 90, 0);
            break;
        case 2:
            rc = crit_world_set_export_tax(w, "Ga", "E00", 40, 0);
            break;
        case 3:
            rc = crit_world_set_export_ban(w, "Ga", "E00", "E03", 1);
            break;
        case 4:
            rc = crit_world_set_import_ban(w, "Ga", "E03", "E01", 1);
            break;
        case 5:
            tw_member(&t, 0, 1); /* the world's flag and the test's */
            rc = CRIT_OK;
            break;
        case 6:
            rc = crit_world_set_export_quota(w, "Ga", "E00", 150);
            break;
        case 7:
            rc = crit_world_clear_export_quota(w, "Ga", "E00");
            break;
        case 8:
            tw_curve(&t, 2, 10, 1e9, 0.5, 900, 0.5);
            rc = CRIT_OK;
            break;
        }
        assert_int_equal(rc, CRIT_OK);
        agrees_with_fresh(&t, k, before, 1);
    }
    tw_free(&t);
}

/* Every quantity and flow of markets a and b (n economies) equal to the
   bit; k names the case in a failure. */
static void same_bits(crit_market *a, crit_market *b, size_t n, int k)
{
    double x[16], y[16];
    assert_true(n * n <= 16);
    for (int32_t q = 0; q < CRIT_MARKET_QUANTITY_COUNT; q++) {
        /* the surplus changes need a reference: an error for both */
        int rc = crit_market_values(x, n, a, q);
        assert_int_equal(crit_market_values(y, n, b, q), rc);
        if (rc == CRIT_OK && memcmp(x, y, n * sizeof *x) != 0)
            fail_msg("case %d: quantity %d differs from a fresh market's", k,
                     q);
    }
    assert_int_equal(crit_market_flows(x, n * n, a), CRIT_OK);
    assert_int_equal(crit_market_flows(y, n * n, b), CRIT_OK);
    if (memcmp(x, y, n * n * sizeof *x) != 0)
        fail_msg("case %d: the flows differ from a fresh market's", k);
}

/*
 * A cold solve after the world's curves change is, to the bit, the solve
 * of a market created afresh on the changed world: nothing the market
 * keeps from solve to solve (the coefficients of its curves' series among
 * it) outlives the inputs it came from. Each change moves an elasticity or
 * removes a supply, and a coefficient kept from before moves the solve's
 * steps (its prices only by rounding, which the test of world changes
 * above allows).
 */
static void test_market_cold_after_curve_change(void **state)
{
    (void)state;
    tw t;
    four_economies(&t);
    tw_market(&t);
    solve_ok(&t);
    for (int k = 0; k < 5; k++) {
        switch (k) {
        case 0: /* supply elasticity */
            tw_curve(&t, 0, 800, 1e9, 1.3, 100, 0.5);
            break;
        case 1: /* demand elasticity */
            tw_curve(&t, 1, 300, 1e9, 0.5, 200, 0.8);
            break;
        case 2: /* both back */
            tw_curve(&t, 0, 800, 1e9, 0.5, 100, 0.5);
            tw_curve(&t, 1, 300, 1e9, 0.5, 200, 0.5);
            break;
        case 3: /* no supply: the series of supply has exponent 0 */
            tw_curve(&t, 2, 0, 0, 0.5, 400, 0.5);
            break;
        case 4: /* and supply again */
            tw_curve(&t, 2, 10, 1e9, 0.7, 400, 0.5);
            break;
        }
        assert_int_equal(crit_market_reset(t.m), CRIT_OK);
        solve_ok(&t);
        tw u = t;
        tw_market(&u);
        solve_ok(&u);
        same_bits(t.m, u.m, 4, k);
        crit_market_free(u.m);
    }
    tw_free(&t);
}

/*
 * The next period's warm solve reuses the last solve's trees when the
 * routes and their costs are unchanged; everything else a period can
 * change must still reach it. After each change of the market's own
 * inputs (period length with a binding quota, availability, demand level,
 * the external tariff, a price floor, a stockpile agent), the warm solve
 * gives the prices of a market created afresh with the same inputs, and
 * the prices moved (except for the period length: every quantity of the
 * model, the quota's Q dt included, scales with it, and prices do not).
 */
static void test_market_warm_follows_inputs(void **state)
{
    (void)state;
    tw t;
    four_economies(&t);
    assert_int_equal(crit_world_set_export_quota(t.w, "Ga", "E00", 300),
                     CRIT_OK);
    tw_market(&t);
    solve_ok(&t);
    double before[4];
    assert_int_equal(crit_market_values(before, 4, t.m, CRIT_MARKET_PRICE), 0);
    for (int k = 0; k < 7; k++) {
        switch (k) {
        case 0: /* a month -> a year */
            t.dt = 1;
            assert_int_equal(crit_market_set_period_length(t.m, t.dt), 0);
            break;
        case 1:
            t.a[0] = 0.5;
            assert_int_equal(crit_market_set_availability(t.m, t.a, 4), 0);
            break;
        case 2:
            t.g[2] = 1.5;
            assert_int_equal(crit_market_set_demand_level(t.m, t.g, 4), 0);
            break;
        case 3:
            t.ext = 60;
            assert_int_equal(crit_policy_set_external_tariff(t.pol, t.ext), 0);
            break;
        case 4:
            tw_floor(&t, 1, 5000, 0.5, 0);
            break;
        case 5: {
            crit_market_agent_def *d = &t.ag[0];
            crit_market_agent_def_init(d);
            d->capacity_t = 1e5;
            d->target_t = 1e5;
            d->acquisition_rate_t_per_yr = 3000;
            d->release_rate_t_per_yr = 3000;
            d->purchase_trigger_usd_per_t = 5000;
            d->release_trigger_usd_per_t = 6000;
            d->cash_usd = 1e12;
            t.ag_eco[0] = 3;
            t.na = 1;
            assert_int_equal(crit_market_add_agent(NULL, t.m, "E03", d), 0);
            break;
        }
        case 6: /* back to a month */
            t.dt = 1.0 / 12;
            assert_int_equal(crit_market_set_period_length(t.m, t.dt), 0);
            break;
        }
        agrees_with_fresh(&t, k, before, k != 0 && k != 6);
    }
    double rent[4];
    assert_int_equal(crit_market_values(rent, 4, t.m, CRIT_MARKET_QUOTA_RENT),
                     0);
    assert_true(rent[0] > 0); /* the quota binds throughout */
    tw_free(&t);
}

/* A random world of n economies with elastic curves (as
   tests/bench/bench_market builds them) and its market. */
static void elastic_world(tw *t, size_t n)
{
    tw_random(t, n, 0);
    for (size_t i = 0; i < t->n; i++) {
        double s0 = urand() < 0.25 ? 0 : pow(10, uniform(1, 3));
        double eps = uniform(0.2, 1.2), d0 = pow(10, uniform(1, 3));
        double eta = uniform(0.2, 1.5);
        tw_curve(t, i, s0, s0 * uniform(1.2, 2), eta, d0, eps);
    }
    tw_market(t);
}

/* Solve, check the residual, and return the solve's cost in evaluations
   of every economy's curves (a deterministic count, not a timing). */
static double solve_evaluations(tw *t)
{
    solve_ok(t);
    assert_true(check_residual(t) <= 1e-9);
    crit_market_info info;
    crit_market_info_init(&info);
    assert_int_equal(crit_market_info_get(&info, t->m), CRIT_OK);
    return info.curve_evaluations;
}

/*
 * Cold solves of `count` elastic worlds of nmin to nmax economies: the
 * mean and the largest number of evaluations per solve.
 */
static void cold_evaluations(size_t nmin, size_t nmax, int count, double *mean,
                             double *worst)
{
    double sum = 0;
    *worst = 0;
    for (int k = 0; k < count; k++) {
        tw t;
        size_t n = nmin;
        if (nmax > nmin)
            n += (size_t)(urand() * (double)(nmax - nmin + 1));
        elastic_world(&t, n);
        crit_market_options o;
        crit_market_options_init(&o);
        o.warm_start = 0;
        assert_int_equal(crit_market_set_options(t.m, &o), CRIT_OK);
        double e = solve_evaluations(&t);
        sum += e;
        *worst = fmax(*worst, e);
        tw_free(&t);
    }
    *mean = sum / count;
}

/*
 * Warm solves after every economy's demand moved by 1 %, on elastic
 * worlds: each tree's solve takes Halley's steps (cubic convergence), and
 * after the first step the curves' series stand in for their evaluation
 * (test_market_series): two evaluations, where Halley's steps alone took
 * 2.87 on average and Newton's four.
 */
static void test_market_warm_evaluations(void **state)
{
    (void)state;
    tw_rng = 777;
    double sum = 0, worst = 0;
    int count = 0;
    for (int k = 0; k < 30; k++) {
        tw t;
        elastic_world(&t, 4 + (size_t)(urand() * 29));
        solve_ok(&t);
        for (int r = 0; r < 4; r++) {
            for (size_t i = 0; i < t.n; i++)
                t.g[i] *= r % 2 ? 1 / 1.01 : 1.01;
            assert_int_equal(crit_market_set_demand_level(t.m, t.g, t.n),
                             CRIT_OK);
            double e = solve_evaluations(&t);
            sum += e;
            worst = fmax(worst, e);
            count++;
        }
        tw_free(&t);
    }
    if (!(sum / count < 2.1 && worst <= 3))
        fail_msg("warm solves: %g evaluations on average, %g at most",
                 sum / count, worst);
}

/*
 * On worlds of 16 economies the mean stays below 4.1 (issue 3 aims at 30;
 * the original method took about 90): 3.93 with the curves' series near
 * their last evaluation, 5.09 without; 5.28 without either the series or
 * the curvature's correction of the exact loop's start. No solve needs 8.
 */
static void test_market_cold_evaluations(void **state)
{
    (void)state;
    tw_rng = 4242;
    double mean, worst;
    cold_evaluations(16, 16, 40, &mean, &worst);
    if (!(mean < 4.1 && worst < 8))
        fail_msg("cold solves of 16 economies: %g evaluations on average, "
                 "%g at most",
                 mean, worst);
}

/*
 * On larger worlds (40 to 64 economies) a linear round that puts a price
 * at zero under elastic demand must not end the rounds (the exact method
 * would then find the routes itself, one evaluation of a whole tree per
 * join or split: 28 evaluations on average and 135 at most on these
 * worlds, against 4.7 and 5.9 now).
 */
static void test_market_cold_evaluations_large(void **state)
{
    (void)state;
    tw_rng = 2718;
    double mean, worst;
    cold_evaluations(40, TW_MAX, 12, &mean, &worst);
    if (!(mean < 12 && worst < 30))
        fail_msg("cold solves of 40 to 64 economies: %g evaluations on "
                 "average, %g at most",
                 mean, worst);
}

/* ---- closed forms ------------------------------------------------------- */

static void test_market_one_economy(void **state)
{
    (void)state;
    tw t;
    tw_init(&t, 1, 100, 1000);
    tw_curve(&t, 0, 100, 1000, 0.5, 150, 0.3);
    tw_market(&t);
    solve_ok(&t);
    double p = 100 * pow(150.0 / 100, 1 / 0.8);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 0) - p) <= 1e-10 * p);
    double s = 100 * pow(p / 100, 0.5) / 12;
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRODUCTION, 0) - s) <= 1e-10 * s);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_CONSUMPTION, 0) - s) <= 1e-10 * s);
    assert_true(tw_get(&t, CRIT_MARKET_SHORTAGE, 0) == 0);
    assert_true(check_residual(&t) <= 1e-12);
    /* at capacity: S = K, so D(p) = K gives p = P0 (d0 / K)^(1/eps) */
    tw_curve(&t, 0, 100, 110, 0.5, 150, 0.3);
    solve_ok(&t);
    p = 100 * pow(150.0 / 110, 1 / 0.3);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 0) - p) <= 1e-10 * p);
    tw_free(&t);
}

/*
 * The number that follows `key` in msg (NAN if none).
 */
static double number_after(const char *msg, const char *key)
{
    const char *at = strstr(msg, key);
    return at ? strtod(at + strlen(key), NULL) : NAN;
}

/*
 * t's solve fails, its error naming economy i's step to a neighbouring
 * double as the reason, and that step explains the imbalance the error
 * reports (more than `least` of total demand); the results are not
 * readable.
 */
static void expect_step_explains(tw *t, size_t i, double least)
{
    assert_int_equal(crit_market_solve(t->m), CRIT_ENOCONV);
    char msg[512];
    snprintf(msg, sizeof msg, "%s", crit_error_last());
    assert_int_equal(named_economy(t, msg), i);
    double off = number_after(msg, "is out of balance by ");
    double move = number_after(msg, "moves its balance by ");
    if (!(off > least && move >= off))
        fail_msg("the move named (%g) does not explain the imbalance (%g): %s",
                 move, off, msg);
    assert_int_equal(crit_market_solved(t->m), 0);
}

/*
 * World `seed` of bench_market's sweep of extreme curves, as a test world
 * (1 to 10 economies, quantities from 1e-6 to 1e9 t/yr, elasticities up
 * to 20, every mechanism; the same draws, from the generator's state set
 * from the seed, which is then restored).
 */
static void tw_extreme(tw *t, uint64_t seed)
{
    uint64_t saved = tw_rng;
    tw_rng = seed * 0x9E3779B97F4A7C15ull + 1;
    for (int i = 0; i < 5; i++)
        (void)urand();
    size_t n = 1 + (size_t)(urand() * 10);
    double p0 = pow(10, uniform(-2, 6));
    double pmax = p0 * pow(10, uniform(0.05, 3));
    tw_init(t, n, p0, pmax);
    for (size_t i = 0; i < n; i++) {
        tw_member(t, i, urand() < 0.5);
        double s0 = urand() < 0.3 ? 0 : pow(10, uniform(-6, 9));
        double K = urand() < 0.3 ? s0 : s0 * uniform(1, 3);
        double eta = urand() < 0.15 ? 0 : pow(10, uniform(-2, 1.3));
        double d0 = urand() < 0.3 ? 0 : pow(10, uniform(-6, 9));
        double eps = urand() < 0.15 ? 0 : pow(10, uniform(-2, 1.3));
        tw_curve(t, i, s0, K, eta, d0, eps);
        if (urand() < 0.2) {
            double q = urand() < 0.2 ? 0 : s0 * urand();
            assert_int_equal(
                crit_world_set_export_quota(t->w, "Ga", tw_code(i), q),
                CRIT_OK);
        }
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            if (i == j)
                continue;
            if (urand() < 0.15)
                assert_int_equal(crit_world_set_export_ban(
                                     t->w, "Ga", tw_code(i), tw_code(j), 1),
                                 CRIT_OK);
            else {
                double c = urand() < 0.1 ? 0 : p0 * pow(10, uniform(-4, 0.5));
                assert_int_equal(crit_world_set_transport(
                                     t->w, "Ga", tw_code(i), tw_code(j), c),
                                 CRIT_OK);
            }
            if (urand() < 0.2)
                assert_int_equal(crit_world_set_tariff(t->w, "Ga", tw_code(i),
                                                       tw_code(j),
                                                       p0 * uniform(0, 0.5), 0),
                                 CRIT_OK);
        }
    if (urand() < 0.3) {
        t->ext = p0 * uniform(0, 0.5);
        assert_int_equal(crit_policy_set_external_tariff(t->pol, t->ext),
                         CRIT_OK);
    }
    if (urand() < 0.2) {
        t->rref = p0 * uniform(0.5, 3);
        assert_int_equal(crit_policy_set_reference_price(t->pol, t->rref),
                         CRIT_OK);
    }
    for (size_t i = 0; i < n; i++)
        if (urand() < 0.1) {
            double F = p0 * uniform(0.5, 2), th = urand(),
                   phi = uniform(0, 0.9);
            tw_floor(t, i, F, th, phi);
        }
    const double dts[3] = {1.0 / 12, 0.25, 1};
    t->dt = dts[(int)(urand() * 3)];
    for (size_t i = 0; i < n; i++)
        if (urand() < 0.15) {
            double v[10];
            v[1] = pow(10, uniform(-3, 8));      /* capacity */
            v[0] = v[1] * urand();               /* inventory */
            v[2] = v[0] * urand();               /* minimum */
            v[3] = v[1] * urand();               /* target */
            v[4] = pow(10, uniform(-3, 8));      /* acquisition rate */
            v[5] = pow(10, uniform(-3, 8));      /* release rate */
            v[6] = p0 * uniform(0, 1.5);         /* purchase trigger */
            v[7] = v[6] + p0 * uniform(0.01, 1); /* release trigger */
            v[8] = pow(10, uniform(-3, 0));      /* smoothing */
            v[9] = urand() < 0.3 ? 0 : pow(10, uniform(0, 12)); /* cash */
            tw_agent_values(t, i, v);
        }
    tw_market(t);
    tw_rng = saved;
}

/*
 * A supply that no double balances: E01 offers 46,772 t/yr at P0 with an
 * elasticity of 0.012 and has no demand, and nothing but E02's 4e-6 t/yr
 * takes it; the equilibrium price lies far below the smallest double. The
 * solve ends with E01 at the smallest subnormal price, supplying about
 * 41,700 times total demand. The error names E01's jump as the reason:
 * from that price down to 0 its supply falls to nothing. It named only
 * the step up to the next double, 348 of total demand against the 41,699
 * it explained (world 147,035 of the extreme sweep: tw_extreme; world
 * 943, which showed it first, now ends at price 0, its error naming a
 * price too small for a double).
 */
static void test_market_no_double_names_jump_to_zero(void **state)
{
    (void)state;
    tw t;
    tw_extreme(&t, 147035);
    expect_step_explains(&t, 1, 1);
    tw_free(&t);
}

/*
 * Where total demand at the equilibrium is far below what an economy
 * trades, no double may balance it. E00 has no supply and demand of
 * elasticity 1.5 (3.2e-3 t at the choke price), E01 may not export (a
 * quota of 0), and its stockpile buys 8,500 t more per USD/t less along
 * its ramp: from one double to the next about 2e-9 t, 6e-7 of V. The
 * solve says so, naming E01 and the step, and changes nothing; the test's
 * own curves agree (isolated_step_beyond, as for the wide random test's
 * world 42,921 with CRIT_MARKET_SEED=55).
 */
static void test_market_no_double_tiny_demand(void **state)
{
    (void)state;
    tw t;
    tw_init(&t, 2, 1000, 1e6);
    t.dt = 1;
    tw_curve(&t, 0, 0, 0, 0, 100, 1.5);
    tw_curve(&t, 1, 20, 20, 0.3, 0, 0);
    assert_int_equal(crit_world_set_export_quota(t.w, "Ga", "E01", 0), CRIT_OK);
    const double ag[10] = {0, 1e7, 0, 1e7, 1e7, 0, 1500, 1e5, 0.05, 1e9};
    tw_agent_values(&t, 1, ag);
    tw_market(&t);
    assert_int_equal(crit_market_solve(t.m), CRIT_ENOCONV);
    char msg[512];
    snprintf(msg, sizeof msg, "%s", crit_error_last());
    assert_non_null(strstr(msg, "to the next double, economy 'E01' moves"));
    assert_int_equal(crit_market_solved(t.m), 0);
    assert_true(no_trade(&t));
    assert_true(isolated_step_beyond(&t, msg));
    tw_free(&t);
}

/*
 * An equilibrium price below what a double can hold: P0 (d0 / s0)^(1 /
 * (eta + eps)) with d0 / s0 = 1e-12 and eta + eps = 1/27 is 1e-321 USD/t,
 * where a double keeps about two digits, so no price balances the market;
 * with 1/26 (1e-309 USD/t, subnormal but with four digits left) it solves.
 */
static void test_market_price_below_double(void **state)
{
    (void)state;
    tw t;
    tw_init(&t, 1, 1000, 1e4);
    tw_curve(&t, 0, 1e6, 2e6, 0.5 / 26, 1e-6, 0.5 / 26);
    tw_market(&t);
    solve_ok(&t);
    double p = tw_get(&t, CRIT_MARKET_PRICE, 0);
    assert_true(fabs(p - 1000 * pow(1e-12, 26)) <= 1e-3 * p);
    /* a tree's search down towards 0 went a factor 16 a step, one curve
       evaluation each (303 in this solve); it gallops now, by 16, 256,
       65536... (49) */
    crit_market_info info;
    crit_market_info_init(&info);
    assert_int_equal(crit_market_info_get(&info, t.m), CRIT_OK);
    assert_true(info.curve_evaluations < 100);
    tw_curve(&t, 0, 1e6, 2e6, 0.5 / 27, 1e-6, 0.5 / 27);
    assert_int_equal(crit_market_solve(t.m), CRIT_ENOCONV);
    assert_non_null(strstr(crit_error_last(), "economy 'E00'"));
    assert_non_null(strstr(crit_error_last(), "too small for a double"));
    assert_int_equal(crit_market_solved(t.m), 0);
    /* fixed demand: supply falls to it at p0 (d0 / s0)^(1 / eta), 1e-309
       (subnormal, still 14 digits), then 1e-321 (3 digits: no price
       balances it, and the error says which economy and why) */
    tw_curve(&t, 0, 1e6, 2e6, 1.0 / 26, 1e-6, 0);
    solve_ok(&t);
    p = tw_get(&t, CRIT_MARKET_PRICE, 0);
    assert_true(fabs(p - 1000 * pow(1e-12, 26)) <= 1e-9 * p);
    assert_true(check_residual(&t) <= 1e-9);
    tw_curve(&t, 0, 1e6, 2e6, 1.0 / 27, 1e-6, 0);
    assert_int_equal(crit_market_solve(t.m), CRIT_ENOCONV);
    assert_non_null(
        strstr(crit_error_last(), "economy 'E00' is out of balance"));
    assert_non_null(strstr(crit_error_last(), "too small for a double"));
    assert_int_equal(crit_market_solved(t.m), 0);
    tw_free(&t);
    /* E02's supply exceeds its demand 2e7 times at P0 and its curves'
       elasticities add up to 0.002: it balances near 1e-3663 P0, and its
       demand is infinite at 0. On these routes the exact loop could only
       step back and forth there: the iteration cap's error names it too */
    tw_init(&t, 4, 1.4, 400);
    t.dt = 1;
    tw_curve(&t, 0, 0.04, 0.046, 0.21, 3.2e-5, 0);
    tw_curve(&t, 1, 0.0011, 0.0025, 0.79, 0, 0.016);
    tw_curve(&t, 2, 23.5, 37.3, 0.001, 1.1e-6, 0.001);
    tw_curve(&t, 3, 17.9, 18.4, 0.002, 0.84, 0.001);
    const double c[4][4] = {{0, 0.125, 0, 0.2},
                            {1.7e-8, 0, 6.5e-4, 1.2e-4},
                            {1.16e-3, 5.4, 0, 8.7e-4},
                            {0, 0, 0, 0}};
    tw_routes(&t, 4, &c[0][0], NULL);
    tw_market(&t);
    crit_market_options o;
    crit_market_options_init(&o);
    o.max_iterations = 3000;
    assert_int_equal(crit_market_set_options(t.m, &o), CRIT_OK);
    assert_int_equal(crit_market_solve(t.m), CRIT_ENOCONV);
    assert_non_null(strstr(crit_error_last(), "economy 'E02'"));
    assert_non_null(strstr(crit_error_last(), "too small for a double"));
    assert_int_equal(crit_market_solved(t.m), 0);
    tw_free(&t);
    /* E01 (no demand) supplies 0 at price 0 and 1.2e4 t in a half-year
       period at the smallest double, 100 times what the others use: its
       price lies below every double. With quota gates at E00, E02 and
       E03 (and a stockpile at E00) the exact loop stepped back and forth
       to the cap ("no equilibrium within 20000 iterations", found by
       fuzz_scenario); its jump from 0 to the next double is named now */
    tw_init(&t, 4, 18938.42, 19127.8);
    t.dt = 0.5;
    tw_curve(&t, 0, 4202.17, 20789.3, 0.0273823, 6.31117, 1.0924);
    tw_curve(&t, 1, 52005549.4, 52005562.1, 0.0102274, 0, 0);
    tw_curve(&t, 2, 0, 0, 0.128182, 59.2273, 0.128182);
    tw_curve(&t, 3, 59.2273, 71.8721, 0.128182, 59.2273, 0.0100997);
    const double q[4] = {4465.2, INFINITY, 67.2414, 59.2273};
    const double w[4][4] = {{0, 4551.02, 3993.59, 1256.56},
                            {INFINITY, 0, 3497.04, 85.8693},
                            {0, 22.2323, 0, 6790.37},
                            {86.9422, 2519.38, 1882.28, 0}};
    for (size_t i = 0; i < 4; i++)
        tw_member(&t, i, i == 0 || i == 2);
    tw_routes(&t, 4, &w[0][0], q);
    crit_market_agent_def *ag = &t.ag[t.na];
    crit_market_agent_def_init(ag);
    ag->inventory_t = 970.79;
    ag->capacity_t = 4179.65;
    ag->minimum_t = 615.856;
    ag->acquisition_rate_t_per_yr = ag->release_rate_t_per_yr = 45.5809;
    ag->purchase_trigger_usd_per_t = 8298.93;
    ag->release_trigger_usd_per_t = 8790.46;
    ag->smoothing = 0.0213497;
    ag->cash_usd = 0.597597;
    t.ag_eco[t.na++] = 0;
    tw_market(&t);
    o.max_iterations = 20000;
    o.warm_start = 0;
    assert_int_equal(crit_market_set_options(t.m, &o), CRIT_OK);
    assert_int_equal(crit_market_solve(t.m), CRIT_ENOCONV);
    assert_non_null(strstr(crit_error_last(), "economy 'E01'"));
    assert_non_null(strstr(crit_error_last(), "too small for a double"));
    assert_int_equal(crit_market_solved(t.m), 0);
    tw_free(&t);
}

/*
 * A stockpile buying on a ramp so steep that no double balances the
 * market: the error names the economy and how far its balance moves from
 * one double to the next. Supply 1000 and demand 900 t a year, fixed; the
 * agent buys the 100 t left at buy(p) = amax (B (1 + sigma) - p) / (sigma B).
 */
static void test_market_ramp_too_steep(void **state)
{
    (void)state;
    tw t;
    tw_init(&t, 1, 1000, 1e4);
    t.dt = 1;
    tw_curve(&t, 0, 1000, 1000, 0, 900, 0);
    crit_market_agent_def *d = &t.ag[0];
    crit_market_agent_def_init(d);
    d->capacity_t = 2e12;
    d->target_t = 2e12;
    d->acquisition_rate_t_per_yr = 1000;
    d->purchase_trigger_usd_per_t = 1000;
    d->release_trigger_usd_per_t = 2000;
    d->smoothing = 0.05;
    d->cash_usd = 1e20;
    t.ag_eco[0] = 0;
    t.na = 1;
    tw_market(&t);
    solve_ok(&t); /* 1000 (1050 - p) / 50 = 100 */
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 0) - 1045) <= 1e-12 * 1045);
    assert_true(check_residual(&t) <= 1e-9);
    /* 1e12 t a year over 0.1 USD/t: the next double after p = 1000.1
       (1.1e-13 away) buys 1.1 t more, 1.3e-3 of the demand */
    d->acquisition_rate_t_per_yr = 1e12;
    d->smoothing = 1e-4;
    assert_int_equal(crit_market_set_agent(t.m, 0, d), CRIT_OK);
    assert_int_equal(crit_market_solve(t.m), CRIT_ENOCONV);
    const char *e = crit_error_last();
    assert_non_null(strstr(e, "economy 'E00' is out of balance"));
    const char *why = strstr(e, "economy 'E00' moves its balance by ");
    assert_non_null(why);
    double step = atof(why + strlen("economy 'E00' moves its balance by "));
    assert_true(fabs(step - 1e12 * 0x1p-43 / 0.1 / 900) <= 1e-3 * step);
    assert_int_equal(crit_market_solved(t.m), 0);
    tw_free(&t);
    /* A stockpile releasing 0.11 t a month over 3e-5 USD/t, in a market
       using 2e-9 t a month, and two economies with nothing, on free
       routes: the retries at tighter tolerances could only split and
       join a route forever (the flows' rounding is the balance's), and
       they give up to the first answer and its explanation well within
       the iteration cap */
    tw_init(&t, 3, 0.01335, 0.0149);
    tw_curve(&t, 0, 2e-8, 2.2e-8, 0.011, 2e-8, 0.011);
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 3; j++)
            if (i != j)
                assert_int_equal(crit_world_set_transport(t.w, "Ga", tw_code(i),
                                                          tw_code(j), 0),
                                 CRIT_OK);
    crit_market_agent_def_init(d);
    d->capacity_t = 2.5;
    d->inventory_t = 0.165;
    d->minimum_t = 0.087;
    d->target_t = 0.42;
    d->acquisition_rate_t_per_yr = 12.6;
    d->release_rate_t_per_yr = 1.33;
    d->purchase_trigger_usd_per_t = 0.0045;
    d->release_trigger_usd_per_t = 0.00904;
    d->smoothing = 0.0029;
    d->cash_usd = 0.025;
    t.ag_eco[0] = 0;
    t.na = 1;
    tw_market(&t);
    crit_market_options o;
    crit_market_options_init(&o);
    o.max_iterations = 500;
    assert_int_equal(crit_market_set_options(t.m, &o), CRIT_OK);
    assert_int_equal(crit_market_solve(t.m), CRIT_ENOCONV);
    e = crit_error_last();
    assert_non_null(strstr(e, "is out of balance by"));
    assert_non_null(strstr(e, "economy 'E00' moves its balance by "));
    tw_free(&t);
}

/* Exporter A (S = 200 p/P0, D = 50), importer B (D = 150 P0/p). */
static void two_economies(tw *t, double c)
{
    tw_init(t, 2, 100, 1000);
    tw_curve(t, 0, 200, 1e9, 1, 50, 0);
    tw_curve(t, 1, 0, 0, 0, 150, 1);
    assert_int_equal(crit_world_set_transport(t->w, "Ga", "E00", "E01", c), 0);
    assert_int_equal(crit_world_set_transport(t->w, "Ga", "E01", "E00", c), 0);
}

static void test_market_two_economies_trade(void **state)
{
    (void)state;
    tw t;
    two_economies(&t, 10);
    tw_market(&t);
    solve_ok(&t);
    /* 200 pA/P0 - 50 = 150 P0/(pA + 10): pA^2 - 40 pA - 8500 = 0 ... in
       units of P0 = 100: 2 pA - 50 = 15000/(pA + 10) */
    double pa = (40 + sqrt(40.0 * 40 + 4 * 8000)) / 2;
    (void)pa;
    /* solve 2x^2 - 30x - 500 - 15000 = 0 with x = pA: 2x^2 + 20x - 50x
       - 500 - 15000 = 0 */
    double A = 2, B = -30, C = -15500;
    double x = (-B + sqrt(B * B - 4 * A * C)) / (2 * A);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 0) - x) <= 1e-9 * x);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 1) - x - 10) <= 1e-9 * x);
    double flow = (2 * x - 50) / 12;
    assert_true(fabs(tw_get(&t, CRIT_MARKET_EXPORTS, 0) - flow) <= 1e-9 * flow);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_IMPORTS, 1) - flow) <= 1e-9 * flow);
    assert_true(check_residual(&t) <= 1e-12);
    tw_free(&t);
}

/*
 * Routes dearer than any price (transport, an external tariff or a levy
 * up to the largest double): prices lie in [0, Pmax], so such a route
 * never carries anything, and the market is autarky: E00 at P0 (its
 * supply and demand equal there), E01 (demand 200 P0 / p, no supply)
 * short at Pmax of all its demand. Before, a bound the solver derived
 * from the dearest route overflowed, and a tree that must stop at its
 * bound (E01's, at Pmax) failed the solve with CRIT_EINTERNAL ("a tree
 * has no bound").
 */
static void test_market_routes_dearer_than_any_price(void **state)
{
    (void)state;
    const double cost[] = {1e4, 8e307, 1e308, DBL_MAX};
    for (size_t k = 0; k < 6; k++) {
        tw t;
        tw_init(&t, 2, 100, 1000);
        tw_curve(&t, 0, 100, 1e9, 1, 100, 1);
        tw_curve(&t, 1, 0, 0, 0, 200, 1);
        double c = k < 4 ? cost[k] : 20;
        for (int d = 0; d < 2; d++)
            assert_int_equal(crit_world_set_transport(t.w, "Ga", tw_code(d),
                                                      tw_code(1 - d), c),
                             CRIT_OK);
        if (k >= 4) { /* E01 a member, E00 not: E00 -> E01 carries them */
            tw_member(&t, 1, 1);
            if (k == 4) {
                t.ext = 1e308;
                assert_int_equal(crit_policy_set_external_tariff(t.pol, t.ext),
                                 CRIT_OK);
            } else {
                t.rref = 1e308;
                assert_int_equal(crit_policy_set_reference_price(t.pol, t.rref),
                                 CRIT_OK);
            }
        }
        tw_market(&t);
        solve_ok(&t);
        assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 0) - 100) <=
                    1e-10 * 100);
        assert_true(tw_get(&t, CRIT_MARKET_PRICE, 1) == 1000);
        double d1 = tw_get(&t, CRIT_MARKET_DEMAND, 1);
        assert_true(fabs(d1 - 20 * t.dt) <= 1e-12 * d1);
        assert_true(tw_get(&t, CRIT_MARKET_SHORTAGE, 1) == d1);
        assert_true(tw_get(&t, CRIT_MARKET_EXPORTS, 0) == 0);
        assert_true(tw_get(&t, CRIT_MARKET_EXPORTS, 1) == 0);
        assert_true(check_residual(&t) <= 1e-12);
        crit_market_info info;
        crit_market_info_init(&info);
        assert_int_equal(crit_market_info_get(&info, t.m), CRIT_OK);
        /* the levy's fixed point tau = max(0, Rref - L), L the landed
           price of E00's supply in E01 without the levy: 100 + 20 */
        double tau = k == 5 ? fmax(0, t.rref - (100 + 20)) : 0;
        assert_true(info.levy_usd_per_t == tau);
        assert_true(info.levy_revenue_usd == 0);
        tw_free(&t);
    }
}

static void test_market_two_economies_no_trade(void **state)
{
    (void)state;
    tw t;
    tw_init(&t, 2, 100, 1000);
    /* autarky prices 100 and 100 * (2)^(1/2): a wedge of 50 blocks trade */
    tw_curve(&t, 0, 100, 1e9, 1, 100, 1);
    tw_curve(&t, 1, 100, 1e9, 1, 200, 1);
    assert_int_equal(crit_world_set_transport(t.w, "Ga", "E00", "E01", 50), 0);
    assert_int_equal(crit_world_set_transport(t.w, "Ga", "E01", "E00", 50), 0);
    tw_market(&t);
    solve_ok(&t);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 0) - 100) <= 1e-10 * 100);
    double p1 = 100 * sqrt(2.0);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 1) - p1) <= 1e-10 * p1);
    assert_true(tw_get(&t, CRIT_MARKET_EXPORTS, 0) == 0);
    assert_true(check_residual(&t) <= 1e-12);
    /* a wedge of 20 lets trade equalise up to it: pB = pA + 20 and
       100 pA/P0 - 100 P0/pA = 200 P0/pB - 100 pB/P0 */
    assert_int_equal(crit_world_set_transport(t.w, "Ga", "E00", "E01", 20), 0);
    solve_ok(&t);
    double lo = 100, hi = 141.5;
    for (int it = 0; it < 200; it++) {
        double m = 0.5 * (lo + hi), pb = m + 20;
        double f = (m - 10000 / m) - (20000 / pb - pb);
        if (f > 0)
            hi = m;
        else
            lo = m;
    }
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 0) - lo) <= 1e-9 * lo);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 1) - lo - 20) <= 1e-9 * lo);
    tw_free(&t);
}

static void test_market_quota_binds(void **state)
{
    (void)state;
    tw t;
    two_economies(&t, 10);
    assert_int_equal(crit_world_set_export_quota(t.w, "Ga", "E00", 60), 0);
    tw_market(&t);
    solve_ok(&t);
    /* B: 150 P0/pB = 60 -> pB = 250; A: 200 pA/P0 = 50 + 60 -> pA = 55 */
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 1) - 250) <= 1e-9 * 250);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 0) - 55) <= 1e-9 * 55);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_EXPORTS, 0) - 5) <= 1e-12 * 5);
    double lam = tw_get(&t, CRIT_MARKET_QUOTA_RENT, 0);
    assert_true(fabs(lam - 185) <= 1e-9 * 185);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_QUOTA_RENT_REVENUE, 0) - 185 * 5) <=
                1e-8 * 185 * 5);
    assert_true(check_residual(&t) <= 1e-12);
    /* a quota that does not bind has no rent */
    assert_int_equal(crit_world_set_export_quota(t.w, "Ga", "E00", 1e6), 0);
    solve_ok(&t);
    assert_true(tw_get(&t, CRIT_MARKET_QUOTA_RENT, 0) == 0);
    assert_true(check_residual(&t) <= 1e-12);
    tw_free(&t);
}

/*
 * A warm solve that resumes the last trees after a new period length: a
 * quota gate in the working set takes the new Q dt as its capacity. With
 * dt = 1 a quota of 160 t/yr does not bind (E00 exports 200 pA/P0 - 50 =
 * 150 P0/(pA + 10): about 141 t/yr). Then dt = 1/12 and E01's demand
 * level 1.5: free trade would carry 180 t/yr, so the quota binds at
 * 160/12 t per period: E01 225 P0/pB = 160 -> pB = 140.625; E00 200 pA/P0
 * = 50 + 160 -> pA = 105; the rent pB - pA - 10 = 25.625.
 */
static void test_market_quota_new_period_length(void **state)
{
    (void)state;
    tw t;
    two_economies(&t, 10);
    assert_int_equal(crit_world_set_export_quota(t.w, "Ga", "E00", 160), 0);
    t.dt = 1;
    tw_market(&t);
    solve_ok(&t);
    assert_true(tw_get(&t, CRIT_MARKET_QUOTA_RENT, 0) == 0);
    assert_true(tw_get(&t, CRIT_MARKET_EXPORTS, 0) < 150);
    t.dt = 1.0 / 12;
    t.g[1] = 1.5;
    assert_int_equal(crit_market_set_period_length(t.m, t.dt), CRIT_OK);
    assert_int_equal(crit_market_set_demand_level(t.m, t.g, t.n), CRIT_OK);
    solve_ok(&t);
    assert_true(check_residual(&t) <= 1e-9);
    double ex = tw_get(&t, CRIT_MARKET_EXPORTS, 0);
    assert_true(fabs(ex - 160.0 / 12) <= 1e-9 * 160 / 12);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 1) - 140.625) <= 1e-9 * 140);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 0) - 105) <= 1e-9 * 105);
    double lam = tw_get(&t, CRIT_MARKET_QUOTA_RENT, 0);
    assert_true(fabs(lam - 25.625) <= 1e-8 * 140);
    tw_free(&t);
}

/*
 * Revenues of ad valorem rates (MODEL.md section 2: a rate is converted
 * at P0): E00 taxes its exports 5 USD/t plus 10 %, E01 levies a tariff of
 * 3 USD/t plus 2 % on them, so at P0 = 100 the wedge is 10 + 15 + 5 = 30.
 * E00 supplies 200 p / P0 and uses 50, E01 uses 150 P0 / p:
 * 2 pA - 50 = 15000 / (pA + 30), so 2 pA^2 + 10 pA - 16500 = 0. E00
 * collects 15 USD/t of export tax on its exports, E01 5 USD/t of tariff.
 */
static void test_market_ad_valorem_revenue(void **state)
{
    (void)state;
    tw t;
    two_economies(&t, 10);
    assert_int_equal(crit_world_set_export_tax(t.w, "Ga", "E00", 5, 0.1), 0);
    assert_int_equal(crit_world_set_tariff(t.w, "Ga", "E00", "E01", 3, 0.02),
                     0);
    tw_market(&t);
    solve_ok(&t);
    double pa = (-10 + sqrt(10.0 * 10 + 8 * 16500)) / 4;
    double x = (2 * pa - 50) / 12; /* per period */
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 0) - pa) <= 1e-9 * pa);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 1) - pa - 30) <= 1e-9 * pa);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_EXPORTS, 0) - x) <= 1e-9 * x);
    double tax = tw_get(&t, CRIT_MARKET_EXPORT_TAX_REVENUE, 0);
    double tar = tw_get(&t, CRIT_MARKET_TARIFF_REVENUE, 1);
    if (!(fabs(tax - 15 * x) <= 1e-9 * 15 * x))
        fail_msg("export tax revenue %.17g, not %.17g", tax, 15 * x);
    if (!(fabs(tar - 5 * x) <= 1e-9 * 5 * x))
        fail_msg("tariff revenue %.17g, not %.17g", tar, 5 * x);
    assert_true(tw_get(&t, CRIT_MARKET_EXPORT_TAX_REVENUE, 1) == 0);
    assert_true(tw_get(&t, CRIT_MARKET_TARIFF_REVENUE, 0) == 0);
    assert_true(check_residual(&t) <= 1e-12);
    tw_free(&t);
}

/*
 * The rent of an exporter whose quota is zero, where a price the
 * equilibrium leaves free rises past its route (crit/market.h): the least
 * rent that keeps the route closed. E00 clears alone at 100 USD/t, E01
 * (quota 0) alone at 50 (100 p / P0 = 25 P0 / p). E02 has neither supply
 * nor demand and is reached from E00 for 20 and from E01 for 5; E01 ships
 * nothing, so E02 is at 120, and E01's rent is 120 - 50 - 5 = 65.
 */
static void test_market_zero_quota_rent(void **state)
{
    (void)state;
    const double I = INFINITY;
    tw t;
    tw_init(&t, 3, 100, 1000);
    tw_curve(&t, 0, 100, 1e9, 1, 100, 0.5);
    tw_curve(&t, 1, 100, 1e9, 1, 25, 1);
    tw_curve(&t, 2, 0, 0, 0, 0, 0);
    const double c[3][3] = {{0, I, 20}, {I, 0, 5}, {I, I, 0}};
    const double q[3] = {I, 0, I};
    tw_routes(&t, 3, &c[0][0], q);
    tw_market(&t);
    for (int round = 0; round < 2; round++) { /* cold, then warm */
        double p[3], im[3], ex[3];
        tw_solve_trade(&t, p, im, ex);
        assert_true(fabs(p[0] - 100) <= 1e-9 * 100);
        assert_true(fabs(p[1] - 50) <= 1e-9 * 50);
        assert_true(fabs(p[2] - 120) <= 1e-9 * 120);
        double lam = tw_get(&t, CRIT_MARKET_QUOTA_RENT, 1);
        if (!(fabs(lam - 65) <= 1e-9 * 100))
            fail_msg("round %d: E01's rent %.17g, not 65", round, lam);
        assert_true(tw_get(&t, CRIT_MARKET_QUOTA_RENT_REVENUE, 1) == 0);
    }
    tw_free(&t);
}

/*
 * An economy whose stockpile is on its release ramp is not free to rise
 * (crit/market.h: its agents must release nothing or all they may): its
 * price is where the ramp meets its demand. E01 has no supply, a fixed
 * demand of 30 t a year, and an agent releasing up to 60 t a year on the
 * ramp from T = 50 to 55 USD/t (sigma 0.1): 60 (p - 50) / 5 = 30 at
 * p = 52.5. Supply from E00 (at 100) would land at 110, so E01 trades
 * nothing.
 */
static void test_market_release_ramp_not_free(void **state)
{
    (void)state;
    const double I = INFINITY;
    tw t;
    tw_init(&t, 2, 100, 1000);
    tw_curve(&t, 0, 100, 1e9, 1, 100, 0.5);
    tw_curve(&t, 1, 0, 0, 0, 30, 0);
    const double c[2][2] = {{0, 10}, {I, 0}};
    tw_routes(&t, 2, &c[0][0], NULL);
    const double ag[10] = {1000, 1000, 0, 0, 0, 60, 10, 50, 0.1, 0};
    tw_agent_values(&t, 1, ag);
    tw_market(&t);
    double p[2], im[2], ex[2];
    tw_solve_trade(&t, p, im, ex);
    assert_true(fabs(p[0] - 100) <= 1e-9 * 100);
    if (!(fabs(p[1] - 52.5) <= 1e-9 * 52.5))
        fail_msg("E01 at %.17g, not 52.5", p[1]);
    assert_true(im[1] == 0);
    double rel = tw_get(&t, CRIT_MARKET_STOCK_RELEASE, 1);
    assert_true(fabs(rel - 30 * t.dt) <= 1e-9 * 30 * t.dt);
    tw_free(&t);
}

/*
 * An agent whose purchase trigger is 0 but who has no cash buys nothing,
 * at price 0 too (MODEL.md section 5: buy(p) is at most cash / p): E00's
 * fixed supply of 3 t a month, with no demand, is all disposed of.
 */
static void test_market_zero_trigger_no_cash(void **state)
{
    (void)state;
    tw t;
    tw_init(&t, 1, 100, 1000);
    tw_curve(&t, 0, 36, 36, 0, 0, 0);
    const double ag[10] = {0, 100, 0, 100, 24, 0, 0, 50, 0.05, 0};
    tw_agent_values(&t, 0, ag);
    tw_market(&t);
    solve_ok(&t);
    double buy, rel;
    assert_true(tw_get(&t, CRIT_MARKET_PRICE, 0) == 0);
    assert_int_equal(crit_market_agent_result(&buy, &rel, t.m, 0), 0);
    if (!(buy == 0 && rel == 0))
        fail_msg("the agent buys %g t and releases %g t", buy, rel);
    assert_true(tw_get(&t, CRIT_MARKET_STOCK_PURCHASE, 0) == 0);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_DISPOSAL, 0) - 3) <= 1e-15 * 3);
    assert_true(check_residual(&t) <= 1e-12);
    tw_free(&t);
}

static void test_market_ban_splits(void **state)
{
    (void)state;
    tw t;
    two_economies(&t, 10);
    tw_curve(&t, 1, 50, 1e9, 1, 150, 1);
    assert_int_equal(crit_world_set_export_ban(t.w, "Ga", "E00", "E01", 1), 0);
    tw_market(&t);
    solve_ok(&t);
    /* A: 200 p/P0 = 50 -> 25; B: 50 p/P0 = 150 P0/p -> P0 sqrt(3) */
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 0) - 25) <= 1e-10 * 25);
    double pb = 100 * sqrt(3.0);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 1) - pb) <= 1e-10 * pb);
    assert_true(tw_get(&t, CRIT_MARKET_EXPORTS, 0) == 0);
    assert_true(check_residual(&t) <= 1e-12);
    /* lifting the ban (warm start from a split market) */
    assert_int_equal(crit_world_set_export_ban(t.w, "Ga", "E00", "E01", 0), 0);
    solve_ok(&t);
    assert_true(tw_get(&t, CRIT_MARKET_EXPORTS, 0) > 0);
    assert_true(check_residual(&t) <= 1e-12);
    tw_free(&t);
}

static void test_market_shortage_and_disposal(void **state)
{
    (void)state;
    tw t;
    tw_init(&t, 2, 100, 1000);
    tw_curve(&t, 0, 50, 50, 0, 100, 0);  /* short at every price */
    tw_curve(&t, 1, 100, 100, 0, 40, 0); /* long at every price */
    assert_int_equal(crit_world_set_export_ban(t.w, "Ga", "E01", "E00", 1), 0);
    tw_market(&t);
    solve_ok(&t);
    assert_true(tw_get(&t, CRIT_MARKET_PRICE, 0) == 1000);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_SHORTAGE, 0) - 50.0 / 12) <= 1e-12);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_CONSUMPTION, 0) - 50.0 / 12) <=
                1e-12);
    assert_true(tw_get(&t, CRIT_MARKET_PRICE, 1) == 0);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_DISPOSAL, 1) - 60.0 / 12) <= 1e-12);
    assert_true(check_residual(&t) <= 1e-12);
    /* with trade allowed the surplus covers the shortage: 60 vs 50 */
    assert_int_equal(crit_world_set_export_ban(t.w, "Ga", "E01", "E00", 0), 0);
    solve_ok(&t);
    assert_true(tw_get(&t, CRIT_MARKET_SHORTAGE, 0) == 0);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_IMPORTS, 0) - 50.0 / 12) <= 1e-12);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_DISPOSAL, 1) - 10.0 / 12) <= 1e-12);
    assert_true(tw_get(&t, CRIT_MARKET_PRICE, 1) == 0);
    assert_true(check_residual(&t) <= 1e-12);
    tw_free(&t);
}

/*
 * Shortage is demand left unserved where it is: economies at Pmax joined
 * by routes that cost nothing could have one of them report the others'
 * shortage and a negative consumption. E02 produces 30 t a year and uses
 * 20; E00 and E01 use 100 and 50 and produce nothing. At one price any
 * split is an equilibrium: E02 serves itself and exports the rest, and
 * every economy's shortage is at most its demand, whichever economy the
 * forest starts from (the three orders of the economies).
 */
static void test_market_shortage_stays_with_demand(void **state)
{
    (void)state;
    for (size_t first = 0; first < 3; first++) {
        tw t;
        tw_init(&t, 3, 100, 1000);
        t.dt = 1;
        size_t src = (first + 2) % 3; /* the producer's place */
        for (size_t k = 0; k < 3; k++) {
            size_t i = (first + k) % 3;
            double d[] = {100, 50, 20};
            tw_curve(&t, i, i == src ? 30 : 0, i == src ? 30 : 0, 0, d[k], 0);
        }
        for (size_t i = 0; i < 3; i++)
            for (size_t j = 0; j < 3; j++)
                if (i != j)
                    assert_int_equal(crit_world_set_transport(
                                         t.w, "Ga", tw_code(i), tw_code(j), 0),
                                     CRIT_OK);
        tw_market(&t);
        solve_ok(&t);
        double short_sum = 0;
        for (size_t i = 0; i < 3; i++) {
            assert_true(tw_get(&t, CRIT_MARKET_PRICE, i) == 1000);
            double u = tw_get(&t, CRIT_MARKET_SHORTAGE, i);
            double c = tw_get(&t, CRIT_MARKET_CONSUMPTION, i);
            assert_true(u >= 0 && c >= 0);
            assert_true(u <= tw_get(&t, CRIT_MARKET_DEMAND, i));
            short_sum += u;
        }
        assert_true(fabs(short_sum - 140) <= 1e-12 * 140);
        assert_true(tw_get(&t, CRIT_MARKET_SHORTAGE, src) == 0);
        assert_true(fabs(tw_get(&t, CRIT_MARKET_CONSUMPTION, src) - 20) <=
                    1e-12);
        assert_true(fabs(tw_get(&t, CRIT_MARKET_EXPORTS, src) - 10) <= 1e-12);
        assert_true(check_residual(&t) <= 1e-12);
        tw_free(&t);
    }
}

/*
 * A saturated quota gate carries its fixed flow outside the forest, so the
 * economies' trade can go round a cycle: here E02 (a quota of 330 t a
 * year, met) exports to E03, which sends as much back, every route at no
 * cost and every price at Pmax. Such a flow changes no price or balance,
 * but the shortage passed along trade (shortage stays with demand) went
 * round it and stopped at E02, whose consumption came out at -0.0014 t
 * against a demand of 6e-6 t. The cycle's flow is now taken out. The
 * world is one of 40,000 of test_market_residual_random_wide, reduced to
 * the economies, routes and digits that keep it failing (eight economies;
 * the others trade with nobody but change the solve's path).
 */
static void test_market_trade_cycle_at_pmax(void **state)
{
    (void)state;
    tw t;
    tw_init(&t, 8, 83608.084053321858, 11396129.181121975);
    t.dt = 0.0027397260273972603;
    const double cv[8][5] = {{0.015, 0.17, 5.7, 0.27, 0.41},
                             {5.6e-05, 0.00093, 0.19, 0, 0},
                             {2.4e-05, 0.00038, 0, 0.092, 1.6},
                             {0.00061, 0.00061, 0, 0.25, 0.57},
                             {0, 0, 5.1, 1.5, 0},
                             {0, 0, 0.28, 13, 3.4},
                             {0, 0, 0.55, 0, 0.94},
                             {0.088, 0.23, 0, 200, 0.58}};
    const double a[8] = {0.6, 0.26, 1, 1, 1, 0.9, 1, 1};
    const double g[8] = {0.63, 30, 64, 0.14, 70, 0.15, 25, 0.051};
    const int member[8] = {1, 0, 1, 0, 1, 1, 0, 0};
    tw_economies(&t, 8, cv, a, g, member);
    double c[8][8], q[8];
    for (size_t i = 0; i < 8; i++) {
        q[i] = i == 2 ? 330 : INFINITY;
        for (size_t j = 0; j < 8; j++)
            c[i][j] = i == j ? 0 : INFINITY;
    }
    c[1][7] = c[2][1] = c[2][3] = c[3][2] = c[5][4] = c[7][0] = 0;
    tw_routes(&t, 8, &c[0][0], q);
    const double ag[10] = {7.4680888544681894,   63.992239529485012,
                           8.9692773758457669,   25.044883631963849,
                           1826.268405728847,    31.758634349569071,
                           757657.42606315704,   4926959.1512698652,
                           0.048007308753995538, 2837690.2653697664};
    tw_agent_values(&t, 0, ag);
    tw_market(&t);
    solve_ok(&t);
    assert_true(tw_get(&t, CRIT_MARKET_PRICE, 2) == t.pmax);
    double x[64];
    assert_int_equal(crit_market_flows(x, 64, t.m), CRIT_OK);
    assert_true(x[2 * 8 + 3] == 0 || x[3 * 8 + 2] == 0); /* no cycle */
    for (size_t i = 0; i < 8; i++)
        assert_true(tw_get(&t, CRIT_MARKET_CONSUMPTION, i) >= 0);
    assert_true(check_residual(&t) <= 1e-9);
    tw_free(&t);
}

/*
 * Supply but no demand anywhere: every price is 0 (or so near it that
 * supply is 0) and nothing is produced. The solve stopped with E00 at the cost
 * of the route from E01 (2.4e-8 USD/t), where it produces 1e-29 t: within the
 * solver's tolerances, which scale with the base volumes, but the residual's V
 * is production at the solution (there is no demand), 1e-29 t, so the solve
 * failed with "residual 1 is above the tolerance". Its retries now
 * tighten the tolerance by V over the base volumes. (World 120,281 of
 * test_market_residual_random_wide.)
 */
static void test_market_no_demand_anywhere(void **state)
{
    (void)state;
    tw t;
    tw_init(&t, 2, 1.3909053299851444, 11.981255439050239);
    t.dt = 0.0027397260273972603;
    tw_curve(&t, 0, 1.3571748069031697, 8.0869393040434154, 3.767625633237766,
             0, 1.9916363359424263);
    tw_curve(&t, 1, 47.37573399282293, 47.37573399282293, 1.1300431167373231, 0,
             0.59807585319602485);
    t.g[0] = 6.0168231096618783;
    t.g[1] = 24.913196863256264;
    tw_member(&t, 0, 0);
    tw_member(&t, 1, 0);
    const double c[2][2] = {{0, INFINITY}, {2.4317578623323437e-08, 0}};
    const double q[2] = {INFINITY, INFINITY};
    tw_routes(&t, 2, &c[0][0], q);
    tw_market(&t);
    solve_ok(&t);
    for (size_t i = 0; i < 2; i++) { /* 0, or so near that S(p) is 0 */
        assert_true(tw_get(&t, CRIT_MARKET_PRICE, i) <= 1e-12 * t.p0);
        assert_true(tw_get(&t, CRIT_MARKET_PRODUCTION, i) == 0);
    }
    assert_true(check_residual(&t) <= 1e-9);
    tw_free(&t);
}

/*
 * A supply with nothing to take it: the price is 0, where the supply is
 * 0 too (at any price above, the surplus would need disposal, which only
 * a price of 0 allows). For an elasticity eta above 1 the tree's balance
 * near 0 goes as p^eta, and Newton's steps only divided the price by
 * eta / (eta - 1) each: after 400 steps (one curve evaluation each) the
 * search stopped at, say, 5.8e-214 USD/t for eta 1.5 (158 evaluations in
 * the solve). With a demand of 1e-30 t/yr the root lies just above 0, at
 * P0 (d0 / s0)^(1 / (eta + eps)) (MODEL.md section 3). And a demand
 * with no supply is short at Pmax.
 */
static void test_market_no_demand_root_at_zero(void **state)
{
    (void)state;
    const double etas[] = {0.5, 1.0001, 1.2, 1.5, 3, 8};
    for (size_t k = 0; k < sizeof etas / sizeof *etas; k++) {
        for (int with_demand = 0; with_demand < 2; with_demand++) {
            double eta = etas[k], d0 = with_demand ? 1e-30 : 0;
            tw t;
            tw_init(&t, 1, 1000, 1e4);
            tw_curve(&t, 0, 100, 200, eta, d0, 0.5);
            tw_market(&t);
            double ev = solve_evaluations(&t);
            double p = tw_get(&t, CRIT_MARKET_PRICE, 0);
            double want = d0 > 0 ? 1000 * pow(d0 / 100, 1 / (eta + 0.5)) : 0;
            if (!(fabs(p - want) <= 1e-8 * want) || !(ev < 40))
                fail_msg("eta %g, d0 %g: price %.17g (want %.17g), %g "
                         "evaluations",
                         eta, d0, p, want, ev);
            if (d0 == 0)
                assert_true(tw_get(&t, CRIT_MARKET_PRODUCTION, 0) == 0 &&
                            tw_get(&t, CRIT_MARKET_DISPOSAL, 0) == 0);
            tw_free(&t);
        }
    }
    /* a demand alone rose by 1 + 1 / eps a step towards Pmax, where it is
       short (21 evaluations for eps 8, 76 for 32) */
    const double epss[] = {0.5, 3, 8, 32};
    for (size_t k = 0; k < sizeof epss / sizeof *epss; k++) {
        tw t;
        tw_init(&t, 1, 1000, 1e4);
        tw_curve(&t, 0, 0, 0, 0, 100, epss[k]);
        tw_market(&t);
        double ev = solve_evaluations(&t);
        double want = 100 * t.dt * pow(10, -epss[k]); /* D(Pmax) per period */
        double u = tw_get(&t, CRIT_MARKET_SHORTAGE, 0);
        if (tw_get(&t, CRIT_MARKET_PRICE, 0) != 1e4 ||
            !(fabs(u - want) <= 1e-12 * want) || !(ev < 12))
            fail_msg("eps %g: price %.17g, shortage %g (want %g), %g "
                     "evaluations",
                     epss[k], tw_get(&t, CRIT_MARKET_PRICE, 0), u, want, ev);
        tw_free(&t);
    }
}

/*
 * A linear round whose step undoes itself: linearised at the first
 * round's prices, the curves of this world (E00 and E02 of elasticities 4
 * and 10, quantities from 0.01 to 4e8 t) give trees whose balances are
 * the small differences of terms near 1e27 t, and the arc E00 -> E02
 * leaves the forest (a flow of -1.9e12 t) and is the next to join it,
 * again and again, until the round's cap of 16 steps per node. The round
 * is now given up at the fourth such undoing: 18 iterations instead of
 * 153 (world 198 of the extreme sweep: tw_extreme). (The exact loop then
 * starts from the first round's point: 19 iterations.)
 */
static void test_market_linear_round_undoing_itself(void **state)
{
    (void)state;
    tw t;
    tw_extreme(&t, 198);
    solve_ok(&t);
    assert_true(check_residual(&t) <= 1e-9);
    crit_market_info info;
    crit_market_info_init(&info);
    assert_int_equal(crit_market_info_get(&info, t.m), CRIT_OK);
    if (!(info.iterations < 40))
        fail_msg("%d iterations", (int)info.iterations);
    tw_free(&t);
}

/*
 * World `seed` of the extreme sweep solves (solve_evaluations checks its
 * residual) with fewer than `most` curve evaluations.
 */
static void expect_extreme_evaluations(uint64_t seed, double most)
{
    tw t;
    tw_extreme(&t, seed);
    double ev = solve_evaluations(&t);
    if (!(ev < most))
        fail_msg("world %llu: %g evaluations", (unsigned long long)seed, ev);
    tw_free(&t);
}

/*
 * Three linear rounds finish, and the fourth undoes its own steps and is
 * given up (world 15,492 of the extreme sweep, 9 economies). The exact
 * loop used to start over from the cold start's prices and forest: 187
 * curve evaluations, 71 iterations. It starts now from the third round's
 * point, as a warm solve starts from the last solve's: 27 evaluations,
 * 46 iterations.
 */
static void test_market_gave_up_round_resumes_last_round(void **state)
{
    (void)state;
    expect_extreme_evaluations(15492, 50);
}

/*
 * Newton's steps that cycle: from the fifth linear round on, the rounds
 * alternate between two forests (world 8,443 of the extreme sweep, 8
 * economies), and went on to the twelfth round before the exact loop
 * started: 186 curve evaluations, 228 iterations. Once the last two
 * forests come round again, the next round is linearised halfway between
 * the last two rounds' points; the rounds settle two rounds later: 22
 * evaluations, 162 iterations.
 */
static void test_market_cycling_rounds_damped(void **state)
{
    (void)state;
    expect_extreme_evaluations(8443, 50);
}

/*
 * A stockpile releasing fast over a narrow ramp: from one double to the
 * next its release moves the balance by more than a tree solve's own
 * tolerance (1e-13 of the volume), though by less than the residual's.
 * The tree's search must end on the two neighbouring doubles that bracket
 * the balance. Newton's step there rounds onto an end of the bracket; it
 * used to be rejected for a bisection from the other end, about 40 of
 * them (59 evaluations in the solve for a rate of 1e5 t/yr, 60 for 1e7).
 * The price is one of those two doubles, by the test's own curves.
 */
static void test_market_steep_ramp_ends_on_neighbours(void **state)
{
    (void)state;
    const double rates[] = {1e5, 1e6, 1e7};
    for (size_t k = 0; k < sizeof rates / sizeof *rates; k++) {
        tw t;
        tw_init(&t, 1, 1000, 1e4);
        t.dt = 1.0 / 12;
        tw_curve(&t, 0, 100, 200, 0.5, 100, 0.5);
        const double ag[10] = {1e6,      2e6, 0,   1e6,  0,
                               rates[k], 500, 900, 0.05, 0};
        tw_agent_values(&t, 0, ag);
        tw_market(&t);
        double ev = solve_evaluations(&t);
        double p = tw_get(&t, CRIT_MARKET_PRICE, 0), pl, ph;
        assert_true(own_bracket(&t, 0, &pl, &ph));
        if (!(p == pl || p == ph) || !(ev < 25))
            fail_msg("rate %g: price %.17g, not %.17g or %.17g; %g "
                     "evaluations",
                     rates[k], p, pl, ph, ev);
        tw_free(&t);
    }
}

/*
 * Random worlds of extreme curves, the same draws as bench_market's
 * market_extreme_* sweep (1 to 10 economies, quantities from 1e-6 to 1e9
 * t/yr, elasticities up to 20, every mechanism; world k from seed k):
 * every solve meets the residual by check_residual, or fails with
 * CRIT_ENOCONV saying why no double balances it.
 */
static void test_market_extreme_worlds(void **state)
{
    (void)state;
    int count = world_count(2000), failed = 0;
    for (int k = 1; k <= count; k++) {
        tw t;
        tw_extreme(&t, (uint64_t)k);
        int rc = crit_market_solve(t.m);
        if (rc == CRIT_ENOCONV) {
            failed++;
            const char *msg = crit_error_last();
            if (!strstr(msg, "too small for a double") &&
                !strstr(msg, "moves its balance by") &&
                !strstr(msg, "rounding alone"))
                fail_msg("world %d: %s", k, msg);
        } else if (rc != CRIT_OK)
            fail_msg("world %d: %d %s", k, rc, crit_error_last());
        else {
            double r = check_residual(&t);
            if (!(r <= 1e-9))
                fail_msg("world %d: residual %g", k, r);
        }
        tw_free(&t);
    }
    print_message("%d of %d worlds have no double that balances them\n", failed,
                  count);
}

/*
 * World 32819 of the extreme sweep: E02 may export 2.5e6 t a year and
 * ships 2.2e-6 t a quarter, the whole world's demand, through its quota
 * gate, in a tree where its out-node's price equals its own but for the
 * rounding of the tree's offsets. That difference, 2.8e-17 USD/t, was
 * reported as a quota rent, and times the quota's slack it broke the
 * residual's complementarity term (2.5e-9): the solve failed. A quota
 * that does not bind has no rent.
 */
static void test_market_unbound_quota_has_no_rent(void **state)
{
    (void)state;
    tw t;
    tw_extreme(&t, 32819);
    double Q;
    assert_int_equal(crit_world_export_quota_get(&Q, t.w, "Ga", "E02"),
                     CRIT_OK);
    solve_ok(&t);
    assert_true(check_residual(&t) <= 1e-9);
    double ex = tw_get(&t, CRIT_MARKET_EXPORTS, 2);
    assert_true(ex > 0 && ex < 1e-9 * Q * t.dt);
    assert_true(tw_get(&t, CRIT_MARKET_QUOTA_RENT, 2) == 0);
    tw_free(&t);
}

/*
 * World 496032 of the extreme sweep: E00 alone (its routes banned) with a
 * supply of 3e-16 t and a stockpile whose purchases fall by 7,000 t per
 * USD/t to nothing at 14.43 USD/t; nothing else is demanded, so the
 * residual's scale is those 3e-16 t. From one double to the next below
 * the ramp's end the purchase jumps by 2e-11 t: no double balances it.
 * The tree's search stopped on a bracket two doubles wide, and the error
 * named no reason (the reported price's neighbours do not show the jump).
 * It now stops on neighbouring doubles, and the error names the jump.
 */
static void test_market_no_double_bracket_of_neighbours(void **state)
{
    (void)state;
    tw t;
    tw_extreme(&t, 496032);
    expect_step_explains(&t, 0, 0.5);
    tw_free(&t);
}

/*
 * World 281426 of the extreme sweep fails: no economy is out of balance by
 * more than the tolerance, but a complementarity term is 3.5e-7. The error
 * said only that the residual was above the tolerance ("residual
 * 1.45205e-06 is above the tolerance 1e-09", by the solver of then); it
 * now names the kind of term. (World 168018 showed it first, and is
 * solved since cycling linear rounds are damped. If the solver learns to
 * solve this world too, the test needs another that fails the same way.)
 */
static void test_market_error_names_kind_of_term(void **state)
{
    (void)state;
    tw t;
    tw_extreme(&t, 281426);
    assert_int_equal(crit_market_solve(t.m), CRIT_ENOCONV);
    const char *msg = crit_error_last();
    if (!strstr(msg, "is above the tolerance 1e-09, in its terms of "
                     "complementarity (") ||
        strstr(msg, "out of balance"))
        fail_msg("%s", msg);
    assert_int_equal(crit_market_solved(t.m), 0);
    tw_free(&t);
}

/*
 * Case k, round `round` of a free-price test of n economies: each is at
 * want[i] to 1e-12, and each with quiet[i] trades nothing (to 1e-12 of
 * 100 t).
 */
static void expect_free(int k, int round, size_t n, const double *p,
                        const double *im, const double *ex, const double *want,
                        const int *quiet)
{
    for (size_t i = 0; i < n; i++) {
        if (quiet[i] && !(im[i] <= 1e-12 * 100 && ex[i] <= 1e-12 * 100))
            fail_msg("case %d round %d: E%02zu trades %g in, %g out", k, round,
                     i, im[i], ex[i]);
        if (fabs(p[i] - want[i]) > 1e-12 * want[i])
            fail_msg("case %d round %d: E%02zu at %.17g, not %.17g", k, round,
                     i, p[i], want[i]);
    }
}

/*
 * Economies with neither supply nor demand that trade nothing are in
 * balance at any price their routes allow (and, with a stockpile agent,
 * up to its release trigger): each is reported at the top of that range
 * (crit/market.h). E00 clears alone at 100 USD/t. E01 (empty) can be
 * reached from E00 for 5 and ships to it for 50: anything in [50, 105]
 * clears it, and it is reported at 105. E02 (empty) is reached only
 * through E01, for 7: 112. E03 holds an agent releasing above its trigger
 * T and buying nothing (no cash); reached from E00 for 5, it is at
 * min(105, T) while its inventory is above its minimum, and at 105 when
 * the agent has nothing to release. E04 has no route in: Pmax. Before,
 * each came out wherever the solver's path left it (E02 at 100 here).
 */
static void test_market_free_prices(void **state)
{
    (void)state;
    const double I = INFINITY;
    const double T[3] = {80, 200, 80}, inv[3] = {50, 50, 0};
    for (int k = 0; k < 3; k++) {
        tw t;
        tw_init(&t, 5, 100, 1000);
        tw_curve(&t, 0, 100, 200, 1, 100, 0.5);
        for (size_t i = 1; i < 5; i++)
            tw_curve(&t, i, 0, 0, 0, 0, 0);
        const double c[5][5] = {{0, 5, I, 5, I},
                                {50, 0, 7, I, I},
                                {I, I, 0, I, I},
                                {50, I, I, 0, I},
                                {I, I, I, I, 0}};
        tw_routes(&t, 5, &c[0][0], NULL);
        tw_market(&t);
        crit_market_agent_def d;
        crit_market_agent_def_init(&d);
        d.capacity_t = 100;
        d.inventory_t = inv[k];
        d.target_t = 100;
        d.acquisition_rate_t_per_yr = 10;
        d.release_rate_t_per_yr = 10;
        d.purchase_trigger_usd_per_t = 10;
        d.release_trigger_usd_per_t = T[k];
        assert_int_equal(crit_market_add_agent(NULL, t.m, "E03", &d), 0);
        /* cold, then warm after a change of E00's demand and back (a
           warm solve may leave a flow of 1e-15 t on a route of its last
           forest: rounding) */
        for (int round = 0; round < 3; round++) {
            t.g[0] = round == 1 ? 1.2 : 1;
            assert_int_equal(crit_market_set_demand_level(t.m, t.g, 5),
                             CRIT_OK);
            double p[5], im[5], ex[5];
            tw_solve_trade(&t, p, im, ex);
            double p0 = 100 * pow(t.g[0], 1 / 1.5); /* E00 alone */
            double want[5] = {p0, p0 + 5, p0 + 12,
                              inv[k] > 0 ? fmin(p0 + 5, T[k]) : p0 + 5, t.pmax};
            const int quiet[5] = {1, 1, 1, 1, 1};
            expect_free(k, round, 5, p, im, ex, want, quiet);
        }
        tw_free(&t);
    }
}

/*
 * Economies whose balance does not move from their price up are as free as
 * empty ones, and are reported the same way (crit/market.h). E00 has
 * elastic curves and reaches each of the others: E01 for 5, E02 for 7,
 * E03 for 9, E04 for 11, E05 for 13, E06 for 14. E01 has a fixed supply
 * equal to its fixed demand. E02's supply is at its capacity from 100
 * USD/t up and equals its fixed demand there (below 100 it falls short).
 * E03 has no supply, and a stockpile that releases all it may, 30 t a
 * year, above 21 USD/t, which meets its fixed demand of 30 t a year. E04
 * is E03 with a release trigger of 400, above its price: it releases
 * nothing and imports its demand from E00 (so E00 exports 30 t a year),
 * over a tight route. E05 has a fixed supply of 60 t a year and a fixed
 * demand of 20, and ships the rest to E06 (no supply, a fixed demand of
 * 40) for 2: the two rise together, E06 staying 2 above E05, until supply
 * reaches one of them, E06 at E00's price plus 14 (E05 would take 13).
 * E07 is E02 with a floor of 150 on half its supply (paid at 150, also at
 * its capacity). E01 to E03 and E07 trade nothing and are each reported
 * at E00's price plus its route. Before, E01 to E03 and E05 and E06 came out
 * where the solver's path left them: 100 USD/t each (the cold start's
 * price), 99.2 and 101.2 here, against 126 to 135.
 */
static void test_market_free_prices_flat(void **state)
{
    (void)state;
    const double I = INFINITY;
    tw t;
    tw_init(&t, 8, 100, 1000);
    tw_curve(&t, 0, 100, 200, 1, 100, 0.5);
    tw_curve(&t, 1, 50, 50, 0, 50, 0);
    tw_curve(&t, 2, 40, 40, 1, 40, 0);
    tw_curve(&t, 3, 0, 0, 0, 30, 0);
    tw_curve(&t, 4, 0, 0, 0, 30, 0);
    tw_curve(&t, 5, 60, 60, 0, 20, 0);
    tw_curve(&t, 6, 0, 0, 0, 40, 0);
    tw_curve(&t, 7, 40, 40, 1, 40, 0);
    tw_floor(&t, 7, 150, 0.5, 0.3);
    const double c[8][8] = {
        {0, 5, 7, 9, 11, 13, 14, 15}, {50, 0, I, I, I, I, I, I},
        {50, I, 0, I, I, I, I, I},    {50, I, I, 0, I, I, I, I},
        {50, I, I, I, 0, I, I, I},    {50, I, I, I, I, 0, 2, I},
        {50, I, I, I, I, I, 0, I},    {50, I, I, I, I, I, I, 0}};
    tw_routes(&t, 8, &c[0][0], NULL);
    for (size_t k = 3; k < 5; k++) { /* releases 30 t a year above T */
        const double ag[10] = {1000, 1000, 0, 0, 0, 30, 0, k == 3 ? 20 : 400,
                               0.05, 0};
        tw_agent_values(&t, k, ag);
    }
    tw_market(&t);
    /* cold, then warm after a change of E00's demand and back */
    for (int round = 0; round < 3; round++) {
        t.g[0] = round == 1 ? 1.2 : 1;
        assert_int_equal(crit_market_set_demand_level(t.m, t.g, 8), CRIT_OK);
        double p[8], im[8], ex[8];
        tw_solve_trade(&t, p, im, ex);
        /* E00 exports E04's demand (30 t a year, dt = 1/12) */
        double p0 = p[0];
        double s = 100 * (p0 / 100), d = 100 * t.g[0] * pow(p0 / 100, -0.5);
        assert_true(fabs(s - d - 30) <= 1e-9 * d);
        assert_true(fabs(im[4] - 30.0 / 12) <= 1e-12 * 30);
        assert_true(fabs(ex[5] - 40.0 / 12) <= 1e-12 * 40);
        assert_true(fabs(im[6] - 40.0 / 12) <= 1e-12 * 40);
        const double want[8] = {p0,      p0 + 5,  p0 + 7,  p0 + 9,
                                p0 + 11, p0 + 12, p0 + 14, p0 + 15};
        const int quiet[8] = {0, 1, 1, 1, 0, 0, 0, 1};
        expect_free(0, round, 8, p, im, ex, want, quiet);
    }
    tw_free(&t);
}

/*
 * Quota rent revenue is the rent times the exports, with the rent the
 * results report. E02 may export nothing (a quota of 0) but its gate
 * carries rounding, 8e-17 t; the rule for prices the equilibrium leaves
 * free raises its rent to what keeps its routes closed (0.179 USD/t at
 * first), and the revenue kept the solver's rent (2.07e-17 against
 * 1.49e-17 USD). World 1,762 of test_market_residual_random_wide with
 * CRIT_MARKET_SEED=117, to the bit; the same slip put the wide test's
 * world 76,430 with CRIT_MARKET_SEED=47 1e-9 of V P0 off.
 */
static void test_market_rent_revenue_free_rent(void **state)
{
    (void)state;
    const double I = INFINITY;
    tw t;
    tw_init(&t, 3, 0x1.8e79171eefbe5p-4, 0x1.60299e8cb7c24p+0);
    t.dt = 1;
    const double cv[3][5] = {
        {0x1.fdc8d8c665b7p-3, 0x1.fdc8d8c665b7p-3, 0, 0x1.512be7c60949ep-1,
         0x1.410d75710fcp+1},
        {0x1.2d9db1ce8793bp+15, 0x1.b2ce1eef11074p+16, 0x1.56be4b09d6a6dp-2,
         0x1.35af3622f8945p+15, 0x1.54ffa620f81f8p-1},
        {0, 0, 0x1.f775987e7ca33p-3, 0, 0x1.1b9d59cbb1b2dp+1}};
    const double a[3] = {1, 1, 1};
    const double g[3][3] = {
        {0x1.1f432bb24ddd8p+2, 0x1.9f0264bedfe7ep+2, 0x1.98d73d2d2b66p+4},
        {0x1.46d87e43d4c3bp+1, 0x1.d948bf4d342c9p+1, 0x1.03a05aa7a1b3ap+5},
        {0x1.a6f405481e44ep+0, 0x1.9fe31bf74e4d5p+2, 0x1.867e94f584ca1p+4}};
    const int member[3] = {1, 0, 0};
    tw_economies(&t, 3, cv, a, g[0], member);
    const double c[3][3] = {{0, I, 0x1.dd738a9e7b21bp-20},
                            {I, 0, 0x1.955fa48cec5edp-30},
                            {0x1.a2da1a5b0d293p-7, I, 0}};
    const double q[3] = {I, I, 0};
    tw_routes(&t, 3, &c[0][0], q);
    tw_floor(&t, 2, 0x1.796952fe84fb5p-6, 0x1.eed6aab2120fap-1, 0);
    const double ag[10] = {0x1.1c83836e10904p+15, 0x1.aac02fda620d4p+15,
                           0x1.ef7ac7a7dbb29p+11, 0x1.06d2c6fe30b54p+15,
                           0x1.47ca3b581402cp+19, 0x1.849d90de4181ap+6,
                           0x1.1d22d64742ef5p-7,  0x1.1c6ac0c66f644p-4,
                           0x1.5610c819b31bep-4,  0x1.6d3c1c618ba79p+7};
    tw_agent_values(&t, 2, ag);
    tw_market(&t);
    for (int period = 0; period < 3; period++) {
        memcpy(t.g, g[period], sizeof g[period]);
        assert_int_equal(crit_market_set_demand_level(t.m, t.g, 3), CRIT_OK);
        solve_ok(&t);
        double lam[3], ex[3], rev[3];
        assert_int_equal(
            crit_market_values(lam, 3, t.m, CRIT_MARKET_QUOTA_RENT), 0);
        assert_int_equal(crit_market_values(ex, 3, t.m, CRIT_MARKET_EXPORTS),
                         0);
        assert_int_equal(
            crit_market_values(rev, 3, t.m, CRIT_MARKET_QUOTA_RENT_REVENUE), 0);
        for (size_t i = 0; i < 3; i++)
            if (!(fabs(rev[i] - lam[i] * ex[i]) <= 1e-12 * fabs(rev[i])))
                fail_msg("period %d, E%02zu: rent revenue %.17g, not %.17g",
                         period, i, rev[i], lam[i] * ex[i]);
        assert_true(check_residual(&t) <= 1e-9);
    }
    tw_free(&t);
}

/*
 * A warm solve that went round for ever on rounding: world 12,964 of
 * test_market_residual_random_wide with CRIT_MARKET_SEED=47, as the
 * generator made it (hexadecimal, to the bit), over its three periods.
 * In the third, E01's tree (E01, its out-node and E03, whose export
 * quota is full) balances only to 2.2e-11 t, 1.5 times the flow
 * tolerance, and the route E01 -> E03 carried that much backwards:
 * dropping it, or E01's gate, and joining it again at once repeated to
 * the iteration cap ("no equilibrium within 100000 iterations"). A flow
 * outside its bounds by no more than what its tree's target left at the
 * root, within the solve's tolerance, now stands (tree_flows).
 */
static void test_market_warm_rounding_cycle(void **state)
{
    (void)state;
    const double I = INFINITY;
    tw t;
    tw_init(&t, 5, 0x1.8cb158562c221p+13, 0x1.106ca417bcc5bp+22);
    t.dt = 0x1.6719f3601671ap-9;
    const double cv[5][5] = {
        {0, 0, 0x1.54729d98438b1p-3, 0, 0x1.23a7b94cad97bp-3},
        {0x1.e31a59817cf86p+0, 0x1.a65ad2f7a5cd6p+2, 0x1.84c466714382p+1, 0,
         0x1.299ff8bc18b7fp-3},
        {0x1.7a9c34afc0c62p+5, 0x1.7a9c34afc0c62p+5, 0x1.167c5ff986c5cp-3,
         0x1.464000b18f214p+15, 0x1.5d41fc2243a48p+2},
        {0x1.7b44373298469p+15, 0x1.7b44373298469p+15, 0, 0x1.d64726fd8bfdbp+6,
         0x1.4be7ae30340cep+0},
        {0, 0, 0, 0x1.619b4cf2a8f4ep-5, 0x1.6fead5b098471p-1}};
    const double a[5] = {1, 0x1.572d6721000b6p-2, 1, 1, 1};
    const double g[3][5] = {
        {0x1.b6f43f51a9b07p-5, 0x1.071108d8f5aaep+4, 0x1.353239255470ep-4,
         0x1.5feff11663cp-7, 0x1.5405136684e23p+5},
        {0x1.391126dd55f06p-4, 0x1.2dfefeffac535p+4, 0x1.c559b42cd131cp-5,
         0x1.195ba8af8302fp-6, 0x1.92afda7c4ad98p+4},
        {0x1.4dcf06dc6f9b1p-5, 0x1.c51caaece462p+3, 0x1.0d711fde739abp-4,
         0x1.d9e286ad43fc3p-7, 0x1.b17ac49127b83p+4}};
    const int member[5] = {0, 1, 1, 1, 1};
    tw_economies(&t, 5, cv, a, g[0], member);
    const double c[5][5] = {
        {0, 0x1.3ff7c44815d78p+9, I, 0x1.99e1974b19d0ap+10,
         0x1.c8c2d3ab85391p+9},
        {0x1.35495eb56e352p+8, 0, I, 0x1.c2984e374cfd7p+0, I},
        {0x1.761d5d5d75367p+6, 0x1.42a4bbdee6235p+0, 0, 0x1.e96cabd5bc6ecp-11,
         0},
        {0x1.f370770f5dafcp+15, 0, 0x1.2ddae4006950cp-10, 0, I},
        {0x1.09a7687b0faeep-7, 0x1.6a679aea0cc83p+6, 0x1.04bac182961a4p-6,
         0x1.fbac8ca782222p+10, 0}};
    const double q[5] = {0x1.d64f8cd34c2e2p-10, 0x1.78408f19362b9p+16, I,
                         0x1.77ed670d9c699p+9, 0x1.c9eec516dc64ap+18};
    tw_routes(&t, 5, &c[0][0], q);
    assert_int_equal(crit_world_set_tariff(t.w, "Ga", "E01", "E00",
                                           0x1.2d0fc6fc4d9e7p+2,
                                           0x1.ce4e3a0ba0be3p-1),
                     CRIT_OK);
    assert_int_equal(crit_world_set_tariff(t.w, "Ga", "E03", "E02",
                                           0x1.7b335b88e54ecp+9,
                                           0x1.44508bedafd15p-1),
                     CRIT_OK);
    assert_int_equal(crit_world_set_tariff(t.w, "Ga", "E04", "E01",
                                           0x1.6dd6a6d7518dfp+13,
                                           0x1.e0afe0cbfb87p-1),
                     CRIT_OK);
    t.rref = 0x1.6cda5e55e966ap+13;
    assert_int_equal(crit_policy_set_reference_price(t.pol, t.rref), CRIT_OK);
    const double ag[10] = {0x1.1e25f0af8e12bp+7,  0x1.4d06df44445bap+8,
                           0x1.0671b196adb57p+4,  0x1.2f6bb45b065e3p+7,
                           0x1.0ca5819e1d721p+11, 0x1.d44fb3c622c9bp+6,
                           0x1.1d06131152a76p+8,  0x1.12907df483588p+11,
                           0x1.06f6a388b7785p-1,  0x1.b0baf1afb0bdap+20};
    tw_agent_values(&t, 0, ag);
    tw_market(&t);
    for (int period = 0; period < 3; period++) {
        memcpy(t.g, g[period], sizeof g[period]);
        assert_int_equal(crit_market_set_demand_level(t.m, t.g, 5), CRIT_OK);
        solve_ok(&t);
        assert_true(check_residual(&t) <= 1e-9);
        assert_true(check_free_prices(&t) <= 1e-12);
    }
    tw_free(&t);
}

/*
 * A free economy's exit price counts for those reached through it. E01
 * has neither supply nor demand and passes E00's exports on to E02 (no
 * supply), under an export quota of 10 t a year that binds: its price is
 * E00's plus its route in (5), and its quota rent takes it up to E02's
 * less its route out (5). E03 (empty) is reached only from E01, for 1:
 * supply could land there at E01's exit price, E02's price less 4. Before,
 * the rule took E01's exports to leave at E01's price (74.8 USD/t),
 * so E03 stayed where the solver's path left it (100 here; found by the
 * random check of free prices, CRIT_MARKET_SEED=7, the wide test's world
 * 70, where it was 8e-9 off).
 */
static void test_market_free_prices_quota_exit(void **state)
{
    (void)state;
    const double I = INFINITY;
    tw t;
    tw_init(&t, 4, 100, 1e5);
    tw_curve(&t, 0, 100, 1e6, 1, 50, 0.5);
    tw_curve(&t, 1, 0, 0, 0, 0, 0);
    tw_curve(&t, 2, 0, 0, 0, 100, 0.5);
    tw_curve(&t, 3, 0, 0, 0, 0, 0);
    const double c[4][4] = {
        {0, 5, I, I}, {I, 0, 5, 1}, {I, I, 0, I}, {I, I, I, 0}};
    const double q[4] = {I, 10, I, I};
    tw_routes(&t, 4, &c[0][0], q);
    tw_market(&t);
    double p[4], im[4], ex[4], lam[4];
    for (int round = 0; round < 2; round++) { /* cold, then warm */
        tw_solve_trade(&t, p, im, ex);
        assert_int_equal(
            crit_market_values(lam, 4, t.m, CRIT_MARKET_QUOTA_RENT), 0);
        /* E02 imports 10 t a year: 100 (p / 100)^-0.5 = 10 */
        assert_true(fabs(p[2] - 1e4) <= 1e-9 * 1e4);
        assert_true(fabs(ex[1] - 10 * t.dt) <= 1e-12 * 10);
        assert_true(fabs(p[1] - (p[0] + 5)) <= 1e-12 * p[1]);
        assert_true(fabs(p[1] + lam[1] - (p[2] - 5)) <= 1e-12 * p[2]);
        if (!(fabs(p[3] - (p[2] - 4)) <= 1e-12 * p[2]))
            fail_msg("round %d: E03 at %.17g, not %.17g", round, p[3],
                     p[2] - 4);
    }
    tw_free(&t);
}

/*
 * Economies of that kind that trade only with one another, with no route
 * in from anywhere else, rise by the most that keeps each within its
 * bounds (crit/market.h): the dearest of them, the one at the end of the
 * routes, to Pmax, and the others stay below it by their routes. E00 has
 * a fixed supply of 60 t a year and no demand, E01 a fixed demand of 60
 * and no supply, and E00 ships to E01 for 10: E01 at Pmax (1000), E00 at
 * 990 (a common rise keeps the route that carries the trade tight; each
 * at its own bound would leave it 10 short of tight).
 */
static void test_market_free_pair_rises_to_pmax(void **state)
{
    (void)state;
    const double I = INFINITY;
    tw t;
    tw_init(&t, 2, 100, 1000);
    tw_curve(&t, 0, 60, 60, 0, 0, 0);
    tw_curve(&t, 1, 0, 0, 0, 60, 0);
    const double c[2][2] = {{0, 10}, {I, 0}};
    tw_routes(&t, 2, &c[0][0], NULL);
    tw_market(&t);
    for (int round = 0; round < 2; round++) { /* cold, then warm */
        double p[2], im[2], ex[2];
        tw_solve_trade(&t, p, im, ex);
        assert_true(fabs(ex[0] - 60 * t.dt) <= 1e-12 * 60);
        if (!(fabs(p[1] - 1000) <= 1e-12 * 1000 &&
              fabs(p[0] - 990) <= 1e-12 * 990))
            fail_msg("round %d: E00 at %.17g, E01 at %.17g, not 990 and 1000",
                     round, p[0], p[1]);
    }
    tw_free(&t);
}

static void test_market_autarky_and_parallel_routes(void **state)
{
    (void)state;
    tw t;
    tw_init(&t, 3, 100, 1000);
    tw_curve(&t, 0, 100, 1e9, 1, 100, 1);
    tw_curve(&t, 1, 100, 1e9, 1, 100, 1);
    tw_curve(&t, 2, 0, 0, 0, 100, 1);
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 3; j++)
            if (i != j)
                assert_int_equal(crit_world_set_export_ban(
                                     t.w, "Ga", tw_code(i), tw_code(j), 1),
                                 0);
    tw_market(&t);
    solve_ok(&t);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 0) - 100) <= 1e-10 * 100);
    assert_true(tw_get(&t, CRIT_MARKET_PRICE, 2) == 1000); /* no supply */
    assert_true(check_residual(&t) <= 1e-12);
    /* two identical exporters, one importer: flows split, prices unique */
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(
            crit_world_set_export_ban(t.w, "Ga", tw_code(i), "E02", 0), 0);
        assert_int_equal(
            crit_world_set_transport(t.w, "Ga", tw_code(i), "E02", 5), 0);
    }
    assert_int_equal(crit_market_reset(t.m), 0);
    solve_ok(&t);
    double p0 = tw_get(&t, CRIT_MARKET_PRICE, 0);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 1) - p0) <= 1e-10 * p0);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 2) - p0 - 5) <= 1e-10 * p0);
    /* 2 (p - 10000/p) = 10000/(p + 5) in units of P0 = 100 */
    double f = 2 * (p0 - 10000 / p0) - 10000 / (p0 + 5);
    assert_true(fabs(f) <= 1e-8 * p0);
    assert_true(check_residual(&t) <= 1e-12);
    tw_free(&t);
}

/* Fixed supply and demand at one node, an elastic partner. */
static void test_market_fixed_node(void **state)
{
    (void)state;
    tw t;
    tw_init(&t, 2, 100, 1000);
    tw_curve(&t, 0, 80, 80, 0, 30, 0);
    tw_curve(&t, 1, 10, 1e9, 1, 100, 1);
    tw_market(&t);
    solve_ok(&t);
    /* B imports 50: 10 p/P0 + 50 = 100 P0/p -> p^2 + 500 p - 100000 = 0 */
    double p = (-500 + sqrt(500.0 * 500 + 400000)) / 2;
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 1) - p) <= 1e-10 * p);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 0) - p) <= 1e-10 * p);
    assert_true(check_residual(&t) <= 1e-12);
    tw_free(&t);
}

/* ---- agents and surplus ---------------------------------------------------
 */

static void test_market_agent_buys_and_releases(void **state)
{
    (void)state;
    tw t;
    tw_init(&t, 1, 100, 1000);
    tw_curve(&t, 0, 100, 1e9, 1, 100, 1); /* p = 100 without the agent */
    crit_market_agent_def *d = &t.ag[0];
    crit_market_agent_def_init(d);
    d->capacity_t = 100;
    d->inventory_t = 20;
    d->target_t = 80;
    d->acquisition_rate_t_per_yr = 120; /* 10 t a month */
    d->release_rate_t_per_yr = 120;
    d->purchase_trigger_usd_per_t = 200; /* buys at full rate below 200 */
    d->release_trigger_usd_per_t = 300;
    d->cash_usd = 1e9;
    t.ag_eco[0] = 0;
    t.na = 1;
    tw_market(&t);
    solve_ok(&t);
    /* 100/12 (p/P0) - 10 = 100/12 (P0/p): x - 1/x = 1.2 with x = p/P0 */
    double x = (1.2 + sqrt(1.44 + 4)) / 2, p = 100 * x;
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 0) - p) <= 1e-10 * p);
    double buy, rel;
    assert_int_equal(crit_market_agent_result(&buy, &rel, t.m, 0), 0);
    assert_true(fabs(buy - 10) <= 1e-12 && rel == 0);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_STOCK_PURCHASE, 0) - 10) <= 1e-12);
    assert_true(check_residual(&t) <= 1e-12);
    /* demand ten times higher, supply a tenth: p near 570, far above
       T (1 + sigma) = 262.5, so the agent releases at full rate */
    t.a[0] = 0.1;
    t.g[0] = 10;
    d->release_trigger_usd_per_t = 250;
    assert_int_equal(crit_market_set_agent(t.m, 0, d), 0);
    assert_int_equal(crit_market_set_availability(t.m, t.a, 1), 0);
    assert_int_equal(crit_market_set_demand_level(t.m, t.g, 1), 0);
    solve_ok(&t);
    assert_int_equal(crit_market_agent_result(&buy, &rel, t.m, 0), 0);
    assert_true(buy == 0 && fabs(rel - 10) <= 1e-12);
    assert_true(check_residual(&t) <= 1e-12);
    tw_free(&t);
}

/*
 * An agent still buying at the choke price (its ramp B (1 + sigma) above
 * Pmax) is served only from what reaches its economy: the economy's
 * consumers go without first (MODEL.md section 3: shortage is their demand
 * left unserved, at most their demand), then the agents share the rest in
 * proportion to their purchases. Before, the agent bought its full rate
 * out of the shortage: 50 t a month bought from 10 t of supply, and a
 * consumption of -40 t.
 */
static void test_market_agent_rationed_at_pmax(void **state)
{
    (void)state;
    tw t;
    tw_init(&t, 2, 100, 1000);
    tw_curve(&t, 0, 120, 120, 0, 240, 0); /* 10 t a month, uses 20 */
    tw_curve(&t, 1, 360, 360, 0, 120, 0); /* 30 t a month, uses 10 */
    assert_int_equal(crit_world_set_export_ban(t.w, "Ga", "E01", "E00", 1), 0);
    for (size_t k = 0; k < 2; k++) {
        crit_market_agent_def *d = &t.ag[k];
        crit_market_agent_def_init(d);
        d->capacity_t = d->target_t = 1e6;
        d->acquisition_rate_t_per_yr = k == 0 ? 600 : 1200; /* 50, 100 */
        d->purchase_trigger_usd_per_t = 2000; /* buys at any price */
        d->release_trigger_usd_per_t = 3000;
        d->cash_usd = 1e12;
        t.ag_eco[k] = 0;
    }
    t.na = 1;
    tw_market(&t);
    solve_ok(&t);
    double buy, rel;
    /* alone and cut off: the agent takes all 10 t, consumers nothing */
    assert_true(tw_get(&t, CRIT_MARKET_PRICE, 0) == 1000);
    assert_int_equal(crit_market_agent_result(&buy, &rel, t.m, 0), 0);
    assert_true(fabs(buy - 10) <= 1e-12 * 10 && rel == 0);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_STOCK_PURCHASE, 0) - 10) <=
                1e-12 * 10);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_SHORTAGE, 0) - 20) <= 1e-12 * 20);
    assert_true(tw_get(&t, CRIT_MARKET_CONSUMPTION, 0) == 0);
    assert_true(check_residual(&t) <= 1e-12);
    /* a purchase within the supply is not rationed: 5 t, consumers 5 */
    t.ag[0].acquisition_rate_t_per_yr = 60;
    assert_int_equal(crit_market_set_agent(t.m, 0, &t.ag[0]), 0);
    solve_ok(&t);
    assert_int_equal(crit_market_agent_result(&buy, &rel, t.m, 0), 0);
    assert_true(fabs(buy - 5) <= 1e-12 * 5);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_CONSUMPTION, 0) - 5) <= 1e-12 * 5);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_SHORTAGE, 0) - 15) <= 1e-12 * 15);
    assert_true(check_residual(&t) <= 1e-12);
    /* two agents wanting 50 and 100 t, with the 20 t that E01 exports
       (its price is Pmax less the route's 50): 30 t shared 1:2 */
    t.ag[0].acquisition_rate_t_per_yr = 600;
    assert_int_equal(crit_market_set_agent(t.m, 0, &t.ag[0]), 0);
    assert_int_equal(crit_market_add_agent(NULL, t.m, "E00", &t.ag[1]), 0);
    t.na = 2;
    assert_int_equal(crit_world_set_export_ban(t.w, "Ga", "E01", "E00", 0), 0);
    assert_int_equal(crit_world_set_transport(t.w, "Ga", "E01", "E00", 50), 0);
    solve_ok(&t);
    assert_true(tw_get(&t, CRIT_MARKET_PRICE, 0) == 1000);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_PRICE, 1) - 950) <= 1e-12 * 950);
    double want[] = {10, 20};
    for (size_t k = 0; k < 2; k++) {
        assert_int_equal(crit_market_agent_result(&buy, &rel, t.m, k), 0);
        assert_true(fabs(buy - want[k]) <= 1e-12 * want[k]);
    }
    assert_true(fabs(tw_get(&t, CRIT_MARKET_IMPORTS, 0) - 20) <= 1e-12 * 20);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_STOCK_PURCHASE, 0) - 30) <=
                1e-12 * 30);
    assert_true(tw_get(&t, CRIT_MARKET_CONSUMPTION, 0) == 0);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_CONSUMPTION, 1) - 10) <=
                1e-12 * 10);
    assert_true(tw_get(&t, CRIT_MARKET_SHORTAGE, 1) == 0);
    assert_true(check_residual(&t) <= 1e-12);
    tw_free(&t);
}

/*
 * A purchase trigger of 0 (the bindings' default): the agent buys at price
 * 0 and at no price above it, a step. One economy with a fixed supply of
 * 1 t a month and no demand, the agent buying 2 t a month: the market
 * clears at 0 with the agent taking the 1 t there is (at any price above
 * 0 it would buy nothing and 1 t would be left over). Before, the solve
 * failed: "out of balance by 1 of total demand at 0 USD/t, a price too
 * small for a double to resolve". With 3 t it takes its 2 t and 1 t is
 * disposed of, as the formula gives; two agents share what there is in
 * proportion to their purchases; and where the price is above 0 an agent
 * with a trigger of 0 buys nothing.
 */
static void test_market_agent_zero_trigger(void **state)
{
    (void)state;
    tw t;
    tw_init(&t, 2, 100, 1000);
    tw_curve(&t, 0, 12, 12, 0, 0, 0); /* 1 t a month, no demand */
    tw_curve(&t, 1, 0, 0, 0, 120, 0); /* no supply, 10 t a month */
    assert_int_equal(crit_world_set_export_ban(t.w, "Ga", "E00", "E01", 1), 0);
    double rate[] = {24, 48}; /* 2 and 4 t a month */
    for (size_t k = 0; k < 2; k++) {
        crit_market_agent_def *d = &t.ag[k];
        crit_market_agent_def_init(d);
        d->capacity_t = d->target_t = 100;
        d->acquisition_rate_t_per_yr = rate[k];
        d->purchase_trigger_usd_per_t = 0;
        d->release_trigger_usd_per_t = 50;
        d->cash_usd = 1000;
        t.ag_eco[k] = 0;
    }
    t.na = 1;
    tw_market(&t);
    solve_ok(&t);
    double buy, rel;
    assert_true(tw_get(&t, CRIT_MARKET_PRICE, 0) == 0);
    assert_int_equal(crit_market_agent_result(&buy, &rel, t.m, 0), 0);
    assert_true(fabs(buy - 1) <= 1e-15 && rel == 0);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_STOCK_PURCHASE, 0) - 1) <= 1e-15);
    assert_true(tw_get(&t, CRIT_MARKET_DISPOSAL, 0) == 0);
    assert_true(check_residual(&t) <= 1e-12);
    /* 3 t a month: the formula's 2 t, 1 t disposed of */
    tw_curve(&t, 0, 36, 36, 0, 0, 0);
    solve_ok(&t);
    assert_true(tw_get(&t, CRIT_MARKET_PRICE, 0) == 0);
    assert_int_equal(crit_market_agent_result(&buy, &rel, t.m, 0), 0);
    assert_true(fabs(buy - 2) <= 1e-15);
    assert_true(fabs(tw_get(&t, CRIT_MARKET_DISPOSAL, 0) - 1) <= 1e-15);
    assert_true(check_residual(&t) <= 1e-12);
    /* two agents wanting 2 and 4 t share the 3 t 1:2 */
    assert_int_equal(crit_market_add_agent(NULL, t.m, "E00", &t.ag[1]), 0);
    t.na = 2;
    solve_ok(&t);
    double want[] = {1, 2};
    for (size_t k = 0; k < 2; k++) {
        assert_int_equal(crit_market_agent_result(&buy, &rel, t.m, k), 0);
        assert_true(fabs(buy - want[k]) <= 1e-15 * want[k] + 1e-15);
    }
    assert_true(tw_get(&t, CRIT_MARKET_DISPOSAL, 0) == 0);
    assert_true(check_residual(&t) <= 1e-12);
    /* trade: E01 imports at 0 + 30, and the agents there buy nothing */
    assert_int_equal(crit_world_set_export_ban(t.w, "Ga", "E00", "E01", 0), 0);
    assert_int_equal(crit_world_set_transport(t.w, "Ga", "E00", "E01", 30), 0);
    assert_int_equal(crit_market_clear_agents(t.m), 0);
    for (size_t k = 0; k < 2; k++)
        t.ag_eco[k] = 1;
    for (size_t k = 0; k < 2; k++)
        assert_int_equal(crit_market_add_agent(NULL, t.m, "E01", &t.ag[k]), 0);
    solve_ok(&t);
    assert_true(tw_get(&t, CRIT_MARKET_PRICE, 1) > 0);
    for (size_t k = 0; k < 2; k++) {
        assert_int_equal(crit_market_agent_result(&buy, &rel, t.m, k), 0);
        assert_true(buy == 0);
    }
    assert_true(check_residual(&t) <= 1e-12);
    tw_free(&t);
}

/*
 * Nothing to buy: no economy produces or uses the mineral, and a stockpile
 * at E02 bids for 1e6 to 1e12 t at the choke price. Every price goes to
 * Pmax, where the forest may bring the agent's purchase in as a shortage
 * at E00 or E01 and pass it on over routes that cost nothing; rationing
 * then takes it all back. The answer is that nothing moves: no purchase,
 * shortage, consumption or trade, exactly. Before, the passes that move a
 * shortage along its routes left their rounding behind (the remainder of
 * 7.4e10 t less 5.1e10 t less 2.3e10 t): in 1 world in 50 either a
 * shortage of 1e-9 t at an economy without demand (a consumption of
 * -1e-9 t; fuzz_market found it) or a route still carrying 5e-7 t, which
 * against the residual's scale of 1 t (no demand anywhere) failed the
 * solve with "residual 4.8e-07 is above the tolerance".
 */
static void test_market_agent_rationed_without_supply(void **state)
{
    (void)state;
    int count = world_count(300);
    tw_rng = tw_seed(0xB1D0F2EEull);
    for (int k = 0; k < count; k++) {
        tw t;
        tw_init(&t, 3, 100, 250);
        for (size_t i = 0; i < 3; i++)
            tw_curve(&t, i, 0, 0, 0.5, 0, 0.5);
        double c[9], q[3] = {INFINITY, INFINITY, INFINITY};
        double scale = pow(10, uniform(6, 12));
        for (size_t a = 0; a < 9; a++) {
            double r = urand();
            c[a] = r < 0.3 ? INFINITY : r < 0.65 ? 0 : uniform(0, 10);
        }
        if (urand() < 0.7)
            q[1] = scale * urand();
        if (urand() < 0.3)
            q[0] = scale * urand();
        tw_routes(&t, 3, c, q);
        double rate = scale * uniform(1, 2);
        /* B 245: still buying at 250 */
        const double ag[10] = {0, 10 * scale, 0,    10 * scale, rate,
                               0, 245,        1000, 0.05,       1e30};
        tw_agent_values(&t, 2, ag);
        tw_market(&t);
        int rc = crit_market_solve(t.m);
        if (rc != CRIT_OK)
            fail_msg("world %d: %s", k, crit_error_last());
        double buy, rel, x[9];
        assert_int_equal(crit_market_agent_result(&buy, &rel, t.m, 0), 0);
        assert_true(buy == 0 && rel == 0);
        assert_int_equal(crit_market_flows(x, 9, t.m), CRIT_OK);
        for (size_t i = 0; i < 3; i++) {
            assert_true(tw_get(&t, CRIT_MARKET_SHORTAGE, i) == 0);
            assert_true(tw_get(&t, CRIT_MARKET_CONSUMPTION, i) == 0);
            assert_true(tw_get(&t, CRIT_MARKET_STOCK_PURCHASE, i) == 0);
            for (size_t j = 0; j < 3; j++)
                if (!(x[i * 3 + j] == 0))
                    fail_msg("world %d: %zu -> %zu carries %g t", k, i, j,
                             x[i * 3 + j]);
        }
        assert_true(check_residual(&t) <= 1e-12);
        tw_free(&t);
    }
}

/*
 * A floor of 0 with an upside share (MODEL.md section 4): the covered
 * producers decide on e(p) = p - phi p and the payer receives phi p q,
 * q = theta S(e(p)) dt, and pays nothing. One economy, P0 = 100, supply
 * 100 (p / 100) and demand 100 (p / 100)^-1 t a year, theta = 0.5,
 * phi = 0.4: S~(p) = 0.5 (0.6 p) + 0.5 p = 0.8 p = 10^4 / p, so
 * p^2 = 12,500; q = 0.5 (0.6 p) / 12 and the receipts
 * 0.4 p q = 0.12 p^2 / 12 = 125 USD.
 */
static void test_market_floor_zero_upside(void **state)
{
    (void)state;
    tw t;
    tw_init(&t, 1, 100, 1000);
    tw_curve(&t, 0, 100, 1e9, 1, 100, 1);
    tw_floor(&t, 0, 0, 0.5, 0.4);
    tw_market(&t);
    solve_ok(&t);
    assert_true(check_residual(&t) <= 1e-9);
    double p = tw_get(&t, CRIT_MARKET_PRICE, 0);
    assert_true(fabs(p - sqrt(12500.0)) <= 1e-9 * p);
    double got = tw_get(&t, CRIT_MARKET_CFD_RECEIVED, 0);
    if (!(fabs(got - 125) <= 1e-9 * 125))
        fail_msg("the payer receives %.17g USD, not 125", got);
    assert_true(tw_get(&t, CRIT_MARKET_CFD_PAID, 0) == 0);
    tw_free(&t);
}

static void test_market_surplus(void **state)
{
    (void)state;
    tw t;
    tw_init(&t, 1, 100, 1000);
    tw_curve(&t, 0, 100, 1e9, 1, 100, 1);
    tw_market(&t);
    solve_ok(&t);
    double out[1];
    assert_int_equal(
        crit_market_values(out, 1, t.m, CRIT_MARKET_CONSUMER_SURPLUS_CHANGE),
        CRIT_ESTATE);
    crit_market *base;
    assert_int_equal(crit_market_new(&base, t.w, "Ga"), 0);
    solve_ok(&(tw){.m = base});
    t.a[0] = 0.5;
    assert_int_equal(crit_market_set_availability(t.m, t.a, 1), 0);
    solve_ok(&t);
    assert_int_equal(crit_market_set_reference(t.m, base), 0);
    double p = tw_get(&t, CRIT_MARKET_PRICE, 0); /* 0.5 x = 1/x */
    assert_true(fabs(p - 100 * sqrt(2.0)) <= 1e-9 * p);
    /* CS: integral of (100/12) (100/q) from p to 100 */
    double cs = 100.0 / 12 * 100 * log(100 / p);
    /* PS: integral of 0.5 (100/12) q/100 from 100 to p */
    double ps = 0.5 * 100.0 / 12 / 100 * (p * p - 100 * 100) / 2;
    assert_int_equal(
        crit_market_values(out, 1, t.m, CRIT_MARKET_CONSUMER_SURPLUS_CHANGE),
        0);
    assert_true(fabs(out[0] - cs) <= 1e-9 * fabs(cs));
    assert_int_equal(
        crit_market_values(out, 1, t.m, CRIT_MARKET_PRODUCER_SURPLUS_CHANGE),
        0);
    assert_true(fabs(out[0] - ps) <= 1e-9 * fabs(ps));
    double ref[1] = {p};
    assert_int_equal(crit_market_set_reference_prices(t.m, ref, 1), 0);
    assert_int_equal(
        crit_market_values(out, 1, t.m, CRIT_MARKET_CONSUMER_SURPLUS_CHANGE),
        0);
    assert_true(out[0] == 0);
    /* against a price of 0: demand of elasticity 1 has no finite integral
       from 0 (consumers lose without bound), supply's is 0 up to p */
    ref[0] = 0;
    assert_int_equal(crit_market_set_reference_prices(t.m, ref, 1), 0);
    assert_int_equal(
        crit_market_values(out, 1, t.m, CRIT_MARKET_CONSUMER_SURPLUS_CHANGE),
        0);
    assert_true(out[0] == -INFINITY);
    assert_int_equal(
        crit_market_values(out, 1, t.m, CRIT_MARKET_PRODUCER_SURPLUS_CHANGE),
        0);
    ps = 0.5 * 100.0 / 12 / 100 * p * p / 2;
    assert_true(fabs(out[0] - ps) <= 1e-12 * ps);
    /* demand of elasticity 0.5: (100/12) 100 / 0.5 ((p/100)^0.5 - 0) */
    t.curve[0].demand_elasticity = 0.5;
    assert_int_equal(crit_world_set_curve(t.w, "E00", "Ga", &t.curve[0]), 0);
    solve_ok(&t);
    p = tw_get(&t, CRIT_MARKET_PRICE, 0);
    assert_int_equal(crit_market_set_reference_prices(t.m, ref, 1), 0);
    assert_int_equal(
        crit_market_values(out, 1, t.m, CRIT_MARKET_CONSUMER_SURPLUS_CHANGE),
        0);
    cs = -100.0 / 12 * 100 / 0.5 * sqrt(p / 100);
    assert_true(fabs(out[0] - cs) <= 1e-12 * fabs(cs));
    /* no reference, no surplus */
    assert_int_equal(crit_market_clear_reference(t.m), 0);
    assert_int_equal(
        crit_market_values(out, 1, t.m, CRIT_MARKET_PRODUCER_SURPLUS_CHANGE),
        CRIT_ESTATE);
    assert_non_null(strstr(crit_error_last(), "reference"));
    assert_int_equal(crit_market_clear_reference(NULL), CRIT_EINVAL);
    crit_market_free(base);
    tw_free(&t);
}

/*
 * A solve that reaches its iteration cap fails with CRIT_ENOCONV and a
 * message, and leaves no solution to read, even where the market held
 * one before; with the cap back at its default it solves.
 */
static void test_market_iteration_cap(void **state)
{
    (void)state;
    tw t;
    uint64_t rng = tw_rng; /* the tests after this one draw on */
    tw_rng = 0x1CE1CE1Cull;
    tw_random(&t, 12, 0);
    tw_rng = rng;
    tw_market(&t);
    crit_market_options o;
    crit_market_options_init(&o);
    o.max_iterations = 1;
    assert_int_equal(crit_market_set_options(t.m, &o), CRIT_OK);
    assert_int_equal(crit_market_solve(t.m), CRIT_ENOCONV);
    assert_non_null(strstr(crit_error_last(), "1 iterations"));
    assert_int_equal(crit_market_solved(t.m), 0);
    crit_market_options_init(&o);
    assert_int_equal(crit_market_set_options(t.m, &o), CRIT_OK);
    solve_ok(&t);
    assert_true(check_residual(&t) <= 1e-9);
    crit_market_info info;
    crit_market_info_init(&info);
    assert_int_equal(crit_market_info_get(&info, t.m), CRIT_OK);
    assert_true(info.iterations > 1);
    /* a newer caller's larger info: the same values, its size and its
       tail (a field this library does not know) left alone */
    struct {
        crit_market_info info;
        uint64_t later;
    } big;
    crit_market_info_init(&big.info);
    big.info.size = sizeof big;
    big.later = 0x5eed;
    assert_int_equal(crit_market_info_get(&big.info, t.m), CRIT_OK);
    assert_int_equal(big.info.size, sizeof big);
    assert_int_equal(big.later, 0x5eed);
    assert_int_equal(big.info.iterations, info.iterations);
    assert_true(big.info.residual == info.residual);
    assert_true(big.info.curve_evaluations == info.curve_evaluations);
    o.max_iterations = 1;
    assert_int_equal(crit_market_set_options(t.m, &o), CRIT_OK);
    assert_int_equal(crit_market_reset(t.m), CRIT_OK);
    assert_int_equal(crit_market_solve(t.m), CRIT_ENOCONV);
    assert_int_equal(crit_market_solved(t.m), 0);
    double v[TW_MAX];
    assert_int_equal(crit_market_values(v, t.n, t.m, CRIT_MARKET_PRICE),
                     CRIT_ESTATE);
    assert_int_equal(crit_market_info_get(&info, t.m), CRIT_ESTATE);
    tw_free(&t);
}

/* ---- lifetime, states, bad input ----------------------------------------- */

static void test_market_states(void **state)
{
    (void)state;
    tw t;
    tw_init(&t, 2, 100, 1000);
    tw_curve(&t, 0, 100, 1e9, 1, 100, 1);
    tw_market(&t);
    double v[2];
    static double x[4];
    crit_market_info info;
    crit_market_info_init(&info);
    assert_int_equal(crit_market_values(v, 2, t.m, CRIT_MARKET_PRICE),
                     CRIT_ESTATE);
    assert_int_equal(crit_market_info_get(&info, t.m), CRIT_ESTATE);
    assert_int_equal(crit_market_flows(x, 4, t.m), CRIT_ESTATE);
    solve_ok(&t);
    assert_int_equal(crit_market_solved(t.m), 1);
    assert_int_equal(crit_market_values(v, 3, t.m, CRIT_MARKET_PRICE),
                     CRIT_EBUFSIZE);
    assert_int_equal(crit_market_values(v, 2, t.m, 99), CRIT_EINVAL);
    assert_int_equal(crit_market_flows(x, 3, t.m), CRIT_EBUFSIZE);
    assert_string_equal(crit_market_quantity_name(CRIT_MARKET_PRICE), "price");
    assert_null(crit_market_quantity_name(CRIT_MARKET_QUANTITY_COUNT));
    /* a changed input clears the solution */
    assert_int_equal(crit_market_set_period_length(t.m, 0.25), 0);
    assert_int_equal(crit_market_solved(t.m), 0);
    assert_int_equal(crit_market_values(v, 2, t.m, CRIT_MARKET_PRICE),
                     CRIT_ESTATE);
    /* the world gains an economy: solve refuses until resized */
    crit_economy_def ed;
    crit_economy_def_init(&ed);
    ed.code = "NEW";
    assert_int_equal(crit_world_add_economy(t.w, &ed), 0);
    assert_int_equal(crit_market_solve(t.m), CRIT_ESTATE);
    assert_non_null(strstr(crit_error_last(), "crit_market_resize"));
    assert_int_equal(crit_market_resize(t.m), 0);
    assert_int_equal(crit_market_economy_count(t.m), 3);
    assert_int_equal(crit_market_solve(t.m), 0);
    /* the world may be freed before the market */
    crit_world_free(t.w);
    crit_policy_free(t.pol);
    assert_int_equal(crit_market_solve(t.m), 0);
    crit_market_free(t.m);
}

static void test_market_bad_input(void **state)
{
    (void)state;
    tw t;
    tw_init(&t, 2, 100, 1000);
    tw_curve(&t, 0, 100, 1e9, 1, 100, 1);
    crit_market *m = (crit_market *)&t;
    assert_int_equal(crit_market_new(&m, t.w, "Xx"), CRIT_ENOTFOUND);
    assert_true(m == (crit_market *)&t);
    assert_non_null(strstr(crit_error_last(), "'Xx'"));
    assert_int_equal(crit_market_new(NULL, t.w, "Ga"), CRIT_EINVAL);
    tw_market(&t);
    solve_ok(&t);
    double a[2] = {1, NAN};
    assert_int_equal(crit_market_set_availability(t.m, a, 2), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "availability"));
    assert_non_null(strstr(crit_error_last(), "E01"));
    a[1] = 1.5;
    assert_int_equal(crit_market_set_availability(t.m, a, 2), CRIT_EINVAL);
    assert_int_equal(crit_market_set_availability(t.m, a, 1), CRIT_EINVAL);
    double g[2] = {1, 0};
    assert_int_equal(crit_market_set_demand_level(t.m, g, 2), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "demand level"));
    assert_int_equal(crit_market_set_period_length(t.m, NAN), CRIT_EINVAL);
    assert_int_equal(crit_market_set_period_length(t.m, 0), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "period length"));
    /* nothing changed: the solution is still readable */
    assert_int_equal(crit_market_solved(t.m), 1);
    crit_market_options o;
    crit_market_options_init(&o);
    o.tolerance = NAN;
    assert_int_equal(crit_market_set_options(t.m, &o), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "tolerance"));
    crit_market_options_init(&o);
    o.max_iterations = 0;
    assert_int_equal(crit_market_set_options(t.m, &o), CRIT_EINVAL);
    crit_market_options_init(&o);
    o.size = 4;
    assert_int_equal(crit_market_set_options(t.m, &o), CRIT_EINVAL);
    /* agents: contradictions and NaNs, named */
    crit_market_agent_def d;
    crit_market_agent_def_init(&d);
    d.capacity_t = 10;
    d.purchase_trigger_usd_per_t = 200;
    d.release_trigger_usd_per_t = 150;
    size_t idx = 77;
    assert_int_equal(crit_market_add_agent(&idx, t.m, "E00", &d), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "release trigger"));
    assert_int_equal(idx, 77);
    d.release_trigger_usd_per_t = 250;
    d.cash_usd = NAN;
    assert_int_equal(crit_market_add_agent(&idx, t.m, "E00", &d), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "cash"));
    d.cash_usd = 0;
    d.smoothing = 0;
    assert_int_equal(crit_market_add_agent(&idx, t.m, "E00", &d), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "smoothing"));
    d.smoothing = 0.05;
    d.target_t = 11;
    assert_int_equal(crit_market_add_agent(&idx, t.m, "E00", &d), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "target"));
    d.target_t = 5;
    assert_int_equal(crit_market_add_agent(&idx, t.m, "ZZZ", &d),
                     CRIT_ENOTFOUND);
    assert_int_equal(crit_market_agent_count(t.m), 0);
    assert_int_equal(crit_market_solved(t.m), 1);
    assert_int_equal(crit_market_add_agent(&idx, t.m, "E00", &d), CRIT_OK);
    assert_int_equal(idx, 0);
    assert_int_equal(crit_market_set_agent(t.m, 1, &d), CRIT_ERANGE);
    d.inventory_t = -1;
    assert_int_equal(crit_market_set_agent(t.m, 0, &d), CRIT_EINVAL);
    assert_int_equal(crit_market_clear_agents(t.m), 0);
    assert_int_equal(crit_market_agent_count(t.m), 0);
    /* reference prices out of range, another world's policy */
    double ref[2] = {10, 2000};
    assert_int_equal(crit_market_set_reference_prices(t.m, ref, 2),
                     CRIT_EINVAL);
    tw other;
    tw_init(&other, 1, 100, 1000);
    assert_int_equal(crit_market_set_policy(t.m, other.pol), CRIT_EINVAL);
    tw_free(&other);
    tw_free(&t);
}

/* ---- refusals: code, message, nothing changed ---------------------------- */

#define MS_N 4 /* economies and agents a snapshot holds */

/* Every input and result of a market of at most MS_N economies and
 * agents. */
typedef struct msnap {
    crit_market_options opt;
    const crit_policy *policy;
    double dt;
    size_t n, n_agent;
    int has_ref, warm_valid, solved;
    double avail[MS_N], level[MS_N], ref[MS_N];
    double res[MS_N * CRIT_MARKET_QUANTITY_COUNT], flow[MS_N * MS_N];
    double buy[MS_N], rel[MS_N];
    crit__agent agent[MS_N];
} msnap;

static void msnap_take(msnap *s, const crit_market *m)
{
    memset(s, 0, sizeof *s);
    assert_true(m->n <= MS_N && m->n_agent <= MS_N);
    s->opt = m->opt;
    s->policy = m->policy;
    s->dt = m->dt;
    s->n = m->n;
    s->n_agent = m->n_agent;
    s->has_ref = m->has_ref;
    s->warm_valid = m->warm_valid;
    s->solved = m->solved;
    size_t n = m->n, d = sizeof(double);
    memcpy(s->avail, m->avail, n * d);
    memcpy(s->level, m->level, n * d);
    if (m->has_ref)
        memcpy(s->ref, m->ref_price, n * d);
    if (m->solved) {
        memcpy(s->res, m->res, n * CRIT_MARKET_QUANTITY_COUNT * d);
        memcpy(s->flow, m->flow, n * n * d);
    }
    if (m->n_agent) { /* the agents' block exists once one was added */
        if (m->solved) {
            memcpy(s->buy, m->agent_buy, m->n_agent * d);
            memcpy(s->rel, m->agent_rel, m->n_agent * d);
        }
        memcpy(s->agent, m->agent, m->n_agent * sizeof *m->agent);
    }
}

static void msnap_check(const msnap *a, const crit_market *m)
{
    msnap b;
    msnap_take(&b, m);
    assert_true(a->policy == b.policy);
    assert_true(a->opt.size == b.opt.size &&
                a->opt.tolerance == b.opt.tolerance &&
                a->opt.max_iterations == b.opt.max_iterations &&
                a->opt.warm_start == b.opt.warm_start);
    assert_true(a->dt == b.dt);
    assert_int_equal(a->n, b.n);
    assert_int_equal(a->n_agent, b.n_agent);
    assert_int_equal(a->has_ref, b.has_ref);
    assert_int_equal(a->warm_valid, b.warm_valid);
    assert_int_equal(a->solved, b.solved);
    assert_memory_equal(a->avail, b.avail, sizeof a->avail);
    assert_memory_equal(a->level, b.level, sizeof a->level);
    assert_memory_equal(a->ref, b.ref, sizeof a->ref);
    assert_memory_equal(a->res, b.res, sizeof a->res);
    assert_memory_equal(a->flow, b.flow, sizeof a->flow);
    assert_memory_equal(a->buy, b.buy, sizeof a->buy);
    assert_memory_equal(a->rel, b.rel, sizeof a->rel);
    assert_memory_equal(a->agent, b.agent, sizeof a->agent);
}

/* A refused call: the exact code, a message naming what was wrong, and
 * the market m with every input and result as it was. */
#define REFUSED(m, call, code, ...)                                            \
    do {                                                                       \
        msnap before_;                                                         \
        msnap_take(&before_, (m));                                             \
        crit_error_clear();                                                    \
        assert_int_equal((call), (code));                                      \
        assert_int_equal(crit_error_last_code(), (code));                      \
        msg_has(__VA_ARGS__, (const char *)NULL);                              \
        msnap_check(&before_, (m));                                            \
    } while (0)

/*
 * Two economies, solved, with every input away from its default: options,
 * period, availability, demand level, a policy, an agent at E00 and
 * reference prices. E00 produces and exports to E01, whose demand is
 * elastic; the agent releases at the price E00 settles at.
 */
static void refusal_world(tw *t)
{
    tw_init(t, 2, 100, 1000);
    tw_curve(t, 0, 100, 1e9, 1, 40, 1);
    tw_curve(t, 1, 0, 0, 0, 50, 0.5);
    t->dt = 0.25;
    t->a[0] = 0.9;
    t->g[1] = 1.2;
    const double agent[10] = {8, 10, 2, 5, 12, 12, 50, 60, 0.05, 1e4};
    tw_agent_values(t, 0, agent);
    tw_market(t);
    crit_market_options o;
    crit_market_options_init(&o);
    o.tolerance = 1e-10;
    o.max_iterations = 5000;
    assert_int_equal(crit_market_set_options(t->m, &o), CRIT_OK);
    assert_int_equal(crit_market_solve(t->m), CRIT_OK);
    assert_true(check_residual(t) <= 1e-9);
    double rel;
    assert_int_equal(crit_market_agent_result(NULL, &rel, t->m, 0), CRIT_OK);
    assert_true(rel > 0);
    const double ref[2] = {90, 120};
    assert_int_equal(crit_market_set_reference_prices(t->m, ref, 2), CRIT_OK);
}

/*
 * Every pointer argument NULL in turn: what the header says, CRIT_EINVAL
 * and a message naming it with the market unchanged, 0 from a count, an
 * optional argument accepted (and what its NULL means done).
 */
static void test_market_null_arguments(void **state)
{
    (void)state;
    tw t;
    refusal_world(&t);
    crit_market_options_init(NULL); /* ignored */
    crit_market_agent_def_init(NULL);
    crit_market_info_init(NULL);
    crit_market_free(NULL);
    assert_int_equal(crit_market_economy_count(NULL), 0);
    assert_int_equal(crit_market_agent_count(NULL), 0);
    assert_int_equal(crit_market_solved(NULL), 0);
    crit_market *m = (crit_market *)&t;
    REFUSED(t.m, crit_market_new(NULL, t.w, "Ga"), CRIT_EINVAL,
            "market: NULL argument");
    REFUSED(t.m, crit_market_new(&m, NULL, "Ga"), CRIT_EINVAL,
            "market: NULL argument");
    REFUSED(t.m, crit_market_new(&m, t.w, NULL), CRIT_EINVAL,
            "mineral code is NULL");
    assert_true(m == (crit_market *)&t);
    REFUSED(t.m, crit_market_resize(NULL), CRIT_EINVAL,
            "market resize: market is NULL");
    crit_market_options o;
    crit_market_options_init(&o);
    REFUSED(t.m, crit_market_set_options(NULL, &o), CRIT_EINVAL,
            "market options: market is NULL");
    REFUSED(t.m, crit_market_set_policy(NULL, t.pol), CRIT_EINVAL,
            "market policy: market is NULL");
    REFUSED(t.m, crit_market_set_period_length(NULL, 0.5), CRIT_EINVAL,
            "market period: market is NULL");
    const double one[2] = {1, 1};
    REFUSED(t.m, crit_market_set_availability(NULL, one, 2), CRIT_EINVAL,
            "market availability: market is NULL");
    REFUSED(t.m, crit_market_set_demand_level(NULL, one, 2), CRIT_EINVAL,
            "market demand level: market is NULL");
    size_t idx = 77;
    REFUSED(t.m, crit_market_add_agent(&idx, NULL, "E01", &t.ag[0]),
            CRIT_EINVAL, "add agent: NULL argument");
    REFUSED(t.m, crit_market_add_agent(&idx, t.m, NULL, &t.ag[0]), CRIT_EINVAL,
            "economy code is NULL");
    REFUSED(t.m, crit_market_add_agent(&idx, t.m, "E01", NULL), CRIT_EINVAL,
            "add agent: NULL argument");
    assert_int_equal(idx, 77);
    REFUSED(t.m, crit_market_set_agent(NULL, 0, &t.ag[0]), CRIT_EINVAL,
            "set agent: NULL argument");
    REFUSED(t.m, crit_market_set_agent(t.m, 0, NULL), CRIT_EINVAL,
            "set agent: NULL argument");
    REFUSED(t.m, crit_market_clear_agents(NULL), CRIT_EINVAL,
            "clear agents: market is NULL");
    REFUSED(t.m, crit_market_set_reference(NULL, t.m), CRIT_EINVAL,
            "reference: NULL argument");
    REFUSED(t.m, crit_market_set_reference(t.m, NULL), CRIT_EINVAL,
            "reference: NULL argument");
    REFUSED(t.m, crit_market_set_reference_prices(NULL, one, 2), CRIT_EINVAL,
            "reference prices: NULL argument");
    REFUSED(t.m, crit_market_set_reference_prices(t.m, NULL, 2), CRIT_EINVAL,
            "reference prices: NULL argument");
    REFUSED(t.m, crit_market_clear_reference(NULL), CRIT_EINVAL,
            "clear reference: market is NULL");
    REFUSED(t.m, crit_market_reset(NULL), CRIT_EINVAL,
            "market reset: market is NULL");
    REFUSED(t.m, crit_market_solve(NULL), CRIT_EINVAL,
            "market solve: market is NULL");
    crit_market_info info;
    crit_market_info_init(&info);
    info.residual = -1;
    REFUSED(t.m, crit_market_info_get(NULL, t.m), CRIT_EINVAL,
            "market info: NULL argument");
    REFUSED(t.m, crit_market_info_get(&info, NULL), CRIT_EINVAL,
            "market info: NULL argument");
    assert_true(info.residual == -1);
    double v[2] = {-1, -1}, x[4] = {-1, -1, -1, -1}, buy = -1, rel = -1;
    REFUSED(t.m, crit_market_values(NULL, 2, t.m, CRIT_MARKET_PRICE),
            CRIT_EINVAL, "market values: NULL argument");
    REFUSED(t.m, crit_market_values(v, 2, NULL, CRIT_MARKET_PRICE), CRIT_EINVAL,
            "market values: NULL argument");
    REFUSED(t.m, crit_market_flows(NULL, 4, t.m), CRIT_EINVAL,
            "market flows: NULL argument");
    REFUSED(t.m, crit_market_flows(x, 4, NULL), CRIT_EINVAL,
            "market flows: NULL argument");
    REFUSED(t.m, crit_market_agent_result(&buy, &rel, NULL, 0), CRIT_EINVAL,
            "agent result: market is NULL");
    assert_true(v[0] == -1 && v[1] == -1 && x[0] == -1 && x[3] == -1);
    assert_true(buy == -1 && rel == -1);
    /* the optional ones: either output of agent_result */
    double want[2];
    assert_int_equal(
        crit_market_values(want, 2, t.m, CRIT_MARKET_STOCK_RELEASE), CRIT_OK);
    assert_int_equal(crit_market_agent_result(NULL, NULL, t.m, 0), CRIT_OK);
    assert_int_equal(crit_market_agent_result(NULL, &rel, t.m, 0), CRIT_OK);
    assert_true(rel == want[0] && rel > 0);
    assert_int_equal(crit_market_agent_result(&buy, NULL, t.m, 0), CRIT_OK);
    assert_true(buy == 0);
    /* add_agent's index */
    assert_int_equal(crit_market_add_agent(NULL, t.m, "E01", &t.ag[0]),
                     CRIT_OK);
    assert_int_equal(crit_market_agent_count(t.m), 2);
    /* NULL options, availability and demand level: the defaults */
    assert_int_equal(crit_market_set_options(t.m, NULL), CRIT_OK);
    crit_market_options_init(&o);
    assert_true(t.m->opt.tolerance == o.tolerance &&
                t.m->opt.max_iterations == o.max_iterations &&
                t.m->opt.warm_start == o.warm_start);
    assert_int_equal(crit_market_set_availability(t.m, NULL, 99), CRIT_OK);
    assert_int_equal(crit_market_set_demand_level(t.m, NULL, 0), CRIT_OK);
    for (size_t i = 0; i < 2; i++)
        assert_true(t.m->avail[i] == 1 && t.m->level[i] == 1);
    /* NULL policy: none */
    assert_int_equal(crit_market_set_policy(t.m, NULL), CRIT_OK);
    assert_null(t.m->policy);
    assert_int_equal(crit_market_solve(t.m), CRIT_OK);
    tw_free(&t);
}

/*
 * The refusals of market.c's checks, each with its code, a message that
 * names the problem, and the market's inputs and results as they were:
 * options (warm_start, a newer caller's field), agent definitions of
 * another size, agents out of range, an agent at an economy the market was
 * not sized for, reference prices of the wrong length or out of range, a
 * reference market of another world, mineral or size or with no
 * solution, a policy of another mineral.
 */
static void test_market_refusals(void **state)
{
    (void)state;
    tw t;
    refusal_world(&t);
    crit_market_options o;
    crit_market_options_init(&o);
    o.warm_start = 2;
    REFUSED(t.m, crit_market_set_options(t.m, &o), CRIT_EINVAL,
            "market 'Ga' options: warm_start 2 is not 0 or 1");
    o.warm_start = -1;
    REFUSED(t.m, crit_market_set_options(t.m, &o), CRIT_EINVAL,
            "warm_start -1");
    struct {
        crit_market_options o;
        double later;
    } big;
    memset(&big, 0, sizeof big);
    crit_market_options_init(&big.o);
    big.o.size = sizeof big;
    big.o.tolerance = 1e-10;
    big.o.max_iterations = 5000;
    big.later = 1;
    REFUSED(t.m, crit_market_set_options(t.m, &big.o), CRIT_EUNSUPPORTED,
            "market options: field at byte", "is not known");
    /* agents */
    crit_market_agent_def d = t.ag[0];
    d.size = 8;
    REFUSED(t.m, crit_market_add_agent(NULL, t.m, "E01", &d), CRIT_EINVAL,
            "stockpile agent definition: size 8 is smaller than");
    REFUSED(t.m, crit_market_set_agent(t.m, 0, &d), CRIT_EINVAL,
            "stockpile agent definition: size 8");
    d = t.ag[0];
    d.inventory_t = 0;
    REFUSED(t.m, crit_market_set_agent(t.m, 1, &d), CRIT_ERANGE,
            "market 'Ga': agent 1 is out of range (1 agents)");
    double buy = -1, rel = -1;
    REFUSED(t.m, crit_market_agent_result(&buy, &rel, t.m, 1), CRIT_ERANGE,
            "market 'Ga': agent 1 is out of range (1 agents)");
    REFUSED(t.m, crit_market_agent_result(&buy, &rel, t.m, (size_t)-1),
            CRIT_ERANGE, "is out of range (1 agents)");
    assert_true(buy == -1 && rel == -1);
    /* results: an out-struct too small, an unknown quantity, a buffer of
       the wrong size; no output written */
    crit_market_info info;
    crit_market_info_init(&info);
    info.size = 4;
    info.residual = -1;
    REFUSED(t.m, crit_market_info_get(&info, t.m), CRIT_EINVAL,
            "market info: size 4 is smaller than");
    assert_true(info.residual == -1);
    double v[3] = {-1, -1, -1}, x[4] = {-1, -1, -1, -1};
    REFUSED(t.m, crit_market_values(v, 2, t.m, -1), CRIT_EINVAL,
            "market values: unknown quantity -1");
    REFUSED(t.m, crit_market_values(v, 3, t.m, CRIT_MARKET_DEMAND),
            CRIT_EBUFSIZE,
            "market 'Ga': demand needs 2 values, the buffer holds 3");
    REFUSED(t.m, crit_market_flows(x, 2, t.m), CRIT_EBUFSIZE,
            "market 'Ga': flows need 4 values, the buffer holds 2");
    assert_true(v[0] == -1 && v[1] == -1 && x[0] == -1 && x[1] == -1);
    /* reference prices */
    const double p3[3] = {90, 120, 130};
    REFUSED(t.m, crit_market_set_reference_prices(t.m, p3, 3), CRIT_EINVAL,
            "market 'Ga': 3 reference prices for 2 economies");
    REFUSED(t.m, crit_market_set_reference_prices(t.m, p3, 1), CRIT_EINVAL,
            "market 'Ga': 1 reference prices for 2 economies");
    double p2[2] = {90, NAN};
    REFUSED(t.m, crit_market_set_reference_prices(t.m, p2, 2), CRIT_EINVAL,
            "market 'Ga' economy 'E01': reference price nan must be in "
            "[0, 1000]");
    p2[0] = -1;
    REFUSED(t.m, crit_market_set_reference_prices(t.m, p2, 2), CRIT_EINVAL,
            "economy 'E00': reference price -1");
    /* a reference market of the same world and mineral with no solution:
       never solved, then solved, then an input changed */
    crit_market *r = NULL;
    assert_int_equal(crit_market_new(&r, t.w, "Ga"), CRIT_OK);
    REFUSED(t.m, crit_market_set_reference(t.m, r), CRIT_ESTATE,
            "market 'Ga': the reference market holds no solution");
    REFUSED(r, crit_market_agent_result(&buy, &rel, r, 0), CRIT_ESTATE,
            "market 'Ga' holds no solution (solve it first");
    assert_true(buy == -1 && rel == -1);
    assert_int_equal(crit_market_solve(r), CRIT_OK);
    assert_int_equal(crit_market_set_period_length(r, 0.5), CRIT_OK);
    REFUSED(t.m, crit_market_set_reference(t.m, r), CRIT_ESTATE,
            "the reference market holds no solution");
    /* another world (same codes, solved) */
    tw other;
    tw_init(&other, 2, 100, 1000);
    tw_curve(&other, 0, 100, 1e9, 1, 40, 1);
    tw_market(&other);
    assert_int_equal(crit_market_solve(other.m), CRIT_OK);
    REFUSED(t.m, crit_market_set_reference(t.m, other.m), CRIT_EINVAL,
            "market 'Ga': the reference market belongs to another world or "
            "mineral, or has another size");
    REFUSED(t.m, crit_market_set_policy(t.m, other.pol), CRIT_EINVAL,
            "market 'Ga': the policy belongs to another world or mineral");
    tw_free(&other);
    /* another mineral of the same world (solved) */
    crit_mineral_def md;
    crit_mineral_def_init(&md);
    md.code = "Ge";
    md.base_price_usd_per_t = 100;
    md.choke_price_usd_per_t = 1000;
    assert_int_equal(crit_world_add_mineral(t.w, &md), CRIT_OK);
    crit_curve_def c;
    crit_curve_def_init(&c);
    c.base_production_t_per_yr = c.capacity_t_per_yr = 10;
    c.base_demand_t_per_yr = 10;
    assert_int_equal(crit_world_set_curve(t.w, "E00", "Ge", &c), CRIT_OK);
    crit_market *ge = NULL;
    assert_int_equal(crit_market_new(&ge, t.w, "Ge"), CRIT_OK);
    assert_int_equal(crit_market_solve(ge), CRIT_OK);
    REFUSED(t.m, crit_market_set_reference(t.m, ge), CRIT_EINVAL,
            "market 'Ga': the reference market belongs to another world or "
            "mineral");
    REFUSED(ge, crit_market_set_reference(ge, t.m), CRIT_EINVAL,
            "market 'Ge': the reference market belongs to another world or "
            "mineral");
    crit_policy *pge = NULL;
    assert_int_equal(crit_policy_new(&pge, t.w, "Ge"), CRIT_OK);
    REFUSED(t.m, crit_market_set_policy(t.m, pge), CRIT_EINVAL,
            "market 'Ga': the policy belongs to another world or mineral");
    crit_policy_free(pge);
    crit_market_free(ge);
    /* the world gains an economy: an agent there needs a resize, and a
       market sized for three is no reference for one sized for two */
    crit_economy_def ed;
    crit_economy_def_init(&ed);
    ed.code = "NEW";
    assert_int_equal(crit_world_add_economy(t.w, &ed), CRIT_OK);
    size_t idx = 77;
    REFUSED(t.m, crit_market_add_agent(&idx, t.m, "NEW", &t.ag[0]), CRIT_ESTATE,
            "market 'Ga': economy 'NEW' joined the world after the market "
            "was sized (call crit_market_resize)");
    assert_int_equal(idx, 77);
    crit_market *m3 = NULL;
    assert_int_equal(crit_market_new(&m3, t.w, "Ga"), CRIT_OK);
    assert_int_equal(crit_market_solve(m3), CRIT_OK);
    REFUSED(t.m, crit_market_set_reference(t.m, m3), CRIT_EINVAL,
            "market 'Ga': the reference market belongs to another world or "
            "mineral, or has another size");
    REFUSED(m3, crit_market_set_reference(m3, t.m), CRIT_EINVAL,
            "or has another size");
    /* after the resize both work */
    assert_int_equal(crit_market_resize(t.m), CRIT_OK);
    assert_int_equal(crit_market_add_agent(&idx, t.m, "NEW", &t.ag[0]),
                     CRIT_OK);
    assert_int_equal(idx, 1);
    assert_int_equal(crit_market_set_reference(t.m, m3), CRIT_OK);
    crit_market_free(m3);
    crit_market_free(r);
    tw_free(&t);
}

/*
 * The defaults crit/market.h documents, and the edges of every range:
 * each bound the header includes accepted and stored, the one it excludes
 * refused with its code, a message naming it and the market unchanged. A
 * change of an input clears the solution; the economy count is the
 * market's until it is resized, and a resize keeps the inputs of the
 * economies it had.
 */
static void test_market_defaults_and_bounds(void **state)
{
    (void)state;
    crit_market_options o;
    memset(&o, 0x5a, sizeof o);
    crit_market_options_init(&o);
    assert_int_equal(o.size, sizeof o);
    assert_true(o.tolerance == 1e-9);
    assert_int_equal(o.max_iterations, 100000);
    assert_int_equal(o.warm_start, 1);
    crit_market_agent_def d;
    memset(&d, 0x5a, sizeof d);
    crit_market_agent_def_init(&d);
    assert_int_equal(d.size, sizeof d);
    assert_true(d.smoothing == 0.05);
    const double zero[] = {d.inventory_t,
                           d.capacity_t,
                           d.minimum_t,
                           d.target_t,
                           d.acquisition_rate_t_per_yr,
                           d.release_rate_t_per_yr,
                           d.purchase_trigger_usd_per_t,
                           d.release_trigger_usd_per_t,
                           d.cash_usd};
    for (size_t k = 0; k < sizeof zero / sizeof *zero; k++)
        assert_true(zero[k] == 0);

    /* a new market: dt = 1/12, every a and g 1, no agents, policy or
       reference */
    tw t;
    refusal_world(&t);
    crit_market *fresh = NULL;
    assert_int_equal(crit_market_new(&fresh, t.w, "Ga"), CRIT_OK);
    assert_true(fresh->dt == 1.0 / 12);
    for (size_t i = 0; i < 2; i++)
        assert_true(fresh->avail[i] == 1 && fresh->level[i] == 1);
    assert_int_equal(crit_market_agent_count(fresh), 0);
    assert_null(fresh->policy);
    assert_int_equal(fresh->has_ref, 0);
    crit_market_free(fresh);

    /* options: tolerance in [1e-14, 1), max_iterations >= 1, warm_start 0
       or 1 */
    crit_market_options_init(&o);
    o.tolerance = 1;
    REFUSED(t.m, crit_market_set_options(t.m, &o), CRIT_EINVAL,
            "market 'Ga' options: tolerance 1 must be in [1e-14, 1)");
    o.tolerance = 9.9e-15;
    REFUSED(t.m, crit_market_set_options(t.m, &o), CRIT_EINVAL,
            "tolerance 9.9e-15 must be in [1e-14, 1)");
    o.tolerance = 1e-14;
    o.max_iterations = 1;
    o.warm_start = 0;
    assert_int_equal(crit_market_set_options(t.m, &o), CRIT_OK);
    assert_true(t.m->opt.tolerance == 1e-14);
    assert_int_equal(t.m->opt.max_iterations, 1);
    assert_int_equal(t.m->opt.warm_start, 0);
    o.max_iterations = 0;
    REFUSED(t.m, crit_market_set_options(t.m, &o), CRIT_EINVAL,
            "market 'Ga' options: max_iterations 0 must be at least 1");
    crit_market_options_init(&o);
    o.tolerance = 1e-10;
    o.max_iterations = 5000;
    assert_int_equal(crit_market_set_options(t.m, &o), CRIT_OK);

    /* an agent's release trigger strictly above its purchase trigger */
    crit_market_agent_def same = t.ag[0];
    same.release_trigger_usd_per_t = same.purchase_trigger_usd_per_t;
    REFUSED(t.m, crit_market_set_agent(t.m, 0, &same), CRIT_EINVAL,
            "stockpile agent at economy 'E00' mineral 'Ga': release trigger "
            "50 must be above the purchase trigger 50");

    /* period length in (0, 100] */
    REFUSED(t.m, crit_market_set_period_length(t.m, 100.5), CRIT_EINVAL,
            "market 'Ga': period length 100.5 years must be in (0, 100]");
    REFUSED(t.m, crit_market_set_period_length(t.m, INFINITY), CRIT_EINVAL,
            "period length inf years");
    REFUSED(t.m, crit_market_set_period_length(t.m, -0.5), CRIT_EINVAL,
            "period length -0.5 years");
    /* availability in [0, 1], demand level in (0, 1e300]; a refused array
       leaves every value as it was, the valid ones before the bad one
       too */
    const double a_bad[2] = {1, -0.25}, g_bad[2] = {1, 0};
    REFUSED(t.m, crit_market_set_availability(t.m, a_bad, 2), CRIT_EINVAL,
            "market 'Ga' economy 'E01': availability -0.25 must be in "
            "[0, 1]");
    REFUSED(t.m, crit_market_set_demand_level(t.m, g_bad, 2), CRIT_EINVAL,
            "market 'Ga' economy 'E01': demand level 0 must be in "
            "(0, 1e+300]");
    const double g_inf[2] = {2, INFINITY};
    REFUSED(t.m, crit_market_set_demand_level(t.m, g_inf, 2), CRIT_EINVAL,
            "economy 'E01': demand level inf");
    /* reference prices in [0, Pmax] */
    const double r_bad[2] = {0, 1000.5};
    REFUSED(t.m, crit_market_set_reference_prices(t.m, r_bad, 2), CRIT_EINVAL,
            "market 'Ga' economy 'E01': reference price 1000.5 must be in "
            "[0, 1000]");
    const double r_edge[2] = {0, 1000};
    assert_int_equal(crit_market_set_reference_prices(t.m, r_edge, 2), CRIT_OK);
    assert_true(t.m->ref_price[0] == 0 && t.m->ref_price[1] == 1000);
    /* a reference does not clear the solution; forgetting it makes the
       surplus changes unreadable */
    assert_int_equal(crit_market_solved(t.m), 1);
    assert_int_equal(crit_market_clear_reference(t.m), CRIT_OK);
    double v[2] = {-1, -1};
    REFUSED(t.m,
            crit_market_values(v, 2, t.m, CRIT_MARKET_CONSUMER_SURPLUS_CHANGE),
            CRIT_ESTATE,
            "market 'Ga': consumer_surplus_change needs a reference (call "
            "crit_market_set_reference)");
    assert_true(v[0] == -1 && v[1] == -1);

    /* every accepted change of an input clears the solution */
    const double a_edge[2] = {0, 1}, g_edge[2] = {1e300, 1};
    assert_int_equal(crit_market_set_availability(t.m, a_edge, 2), CRIT_OK);
    assert_int_equal(crit_market_solved(t.m), 0);
    assert_true(t.m->avail[0] == 0 && t.m->avail[1] == 1);
    assert_int_equal(crit_market_solve(t.m), CRIT_OK);
    assert_int_equal(crit_market_set_demand_level(t.m, g_edge, 2), CRIT_OK);
    assert_int_equal(crit_market_solved(t.m), 0);
    assert_true(t.m->level[0] == 1e300 && t.m->level[1] == 1);
    const double g_back[2] = {1, 1.2};
    assert_int_equal(crit_market_set_demand_level(t.m, g_back, 2), CRIT_OK);
    assert_int_equal(crit_market_solve(t.m), CRIT_OK);
    assert_int_equal(crit_market_set_period_length(t.m, 100), CRIT_OK);
    assert_int_equal(crit_market_solved(t.m), 0);
    assert_true(t.m->dt == 100);
    assert_int_equal(crit_market_set_period_length(t.m, 0.25), CRIT_OK);
    assert_int_equal(crit_market_solve(t.m), CRIT_OK);
    assert_int_equal(crit_market_set_policy(t.m, NULL), CRIT_OK);
    assert_int_equal(crit_market_solved(t.m), 0);
    assert_int_equal(crit_market_set_policy(t.m, t.pol), CRIT_OK);
    assert_int_equal(crit_market_solve(t.m), CRIT_OK);
    assert_int_equal(crit_market_set_agent(t.m, 0, &t.ag[0]), CRIT_OK);
    assert_int_equal(crit_market_solved(t.m), 0);
    assert_int_equal(crit_market_solve(t.m), CRIT_OK);
    size_t idx = 77;
    assert_int_equal(crit_market_add_agent(&idx, t.m, "E01", &t.ag[0]),
                     CRIT_OK);
    assert_int_equal(idx, 1);
    assert_int_equal(crit_market_solved(t.m), 0);
    assert_int_equal(crit_market_solve(t.m), CRIT_OK);
    assert_int_equal(crit_market_clear_agents(t.m), CRIT_OK);
    assert_int_equal(crit_market_solved(t.m), 0);
    assert_int_equal(crit_market_agent_count(t.m), 0);

    /* the world gains an economy: the count stays the market's until the
       resize, which keeps the old economies' a and g and gives the new
       one 1 */
    const double a2[2] = {0.5, 0.75};
    assert_int_equal(crit_market_set_availability(t.m, a2, 2), CRIT_OK);
    assert_int_equal(crit_market_solve(t.m), CRIT_OK);
    assert_int_equal(crit_market_set_reference_prices(t.m, r_edge, 2), CRIT_OK);
    crit_economy_def ed;
    crit_economy_def_init(&ed);
    ed.code = "NEW";
    assert_int_equal(crit_world_add_economy(t.w, &ed), CRIT_OK);
    assert_int_equal(crit_market_economy_count(t.m), 2);
    assert_int_equal(crit_market_resize(t.m), CRIT_OK);
    /* the reference, the warm start and the results are dropped */
    assert_int_equal(crit_market_solved(t.m), 0);
    assert_int_equal(t.m->warm_valid, 0);
    assert_int_equal(crit_market_solve(t.m), CRIT_OK);
    double v3[3] = {-1, -1, -1};
    REFUSED(t.m,
            crit_market_values(v3, 3, t.m, CRIT_MARKET_PRODUCER_SURPLUS_CHANGE),
            CRIT_ESTATE, "producer_surplus_change needs a reference");
    assert_true(v3[0] == -1 && v3[2] == -1);
    assert_int_equal(crit_market_economy_count(t.m), 3);
    assert_true(t.m->avail[0] == 0.5 && t.m->avail[1] == 0.75 &&
                t.m->avail[2] == 1);
    assert_true(t.m->level[0] == 1 && t.m->level[1] == 1.2 &&
                t.m->level[2] == 1);
    tw_free(&t);
}

/* The solve allocates nothing; creation fails cleanly at every allocation. */
struct new_ctx {
    crit_world *w;
    crit_market *out;
};

static int op_new(void *p)
{
    struct new_ctx *c = p;
    return crit_market_new(&c->out, c->w, "Ga");
}

static void new_unchanged(void *p)
{
    assert_null(((struct new_ctx *)p)->out);
}

struct agent_ctx {
    crit_market *m;
    crit_market_agent_def d;
};

static int op_agents(void *p)
{
    struct agent_ctx *c = p;
    for (int k = 0; k < 9; k++) {
        int rc = crit_market_add_agent(NULL, c->m, "E00", &c->d);
        if (rc)
            return rc;
    }
    return CRIT_OK;
}

static void agents_unchanged(void *p)
{
    (void)p;
}

static void test_market_alloc_failure(void **state)
{
    (void)state;
    tw t;
    tw_rng = 5;
    tw_random(&t, 12, 1);
    struct new_ctx c = {t.w, NULL};
    uint64_t n = failalloc_run(&fa, FAILALLOC_FROM, op_new, new_unchanged, &c);
    assert_true(n >= 1);
    crit_market_free(c.out);
    c.out = NULL;
    failalloc_run(&fa, FAILALLOC_ONLY, op_new, new_unchanged, &c);
    t.m = c.out;
    assert_int_equal(crit_market_set_policy(t.m, t.pol), 0);
    for (size_t k = 0; k < t.na; k++)
        assert_int_equal(
            crit_market_add_agent(NULL, t.m, tw_code(t.ag_eco[k]), &t.ag[k]),
            0);
    assert_int_equal(crit_market_set_period_length(t.m, t.dt), 0);
    assert_int_equal(crit_market_set_availability(t.m, t.a, t.n), 0);
    assert_int_equal(crit_market_set_demand_level(t.m, t.g, t.n), 0);
    /* solving, warm or cold, allocates nothing */
    uint64_t before = fa.calls;
    solve_ok(&t);
    t.g[0] *= 1.1;
    assert_int_equal(crit_market_set_demand_level(t.m, t.g, t.n), 0);
    solve_ok(&t);
    assert_int_equal(crit_market_reset(t.m), 0);
    solve_ok(&t);
    assert_true(fa.calls == before);
    assert_true(check_residual(&t) <= 1e-9);
    /* agents grow their storage: each failure leaves the count as it was */
    struct agent_ctx ac = {t.m, {0}};
    crit_market_agent_def_init(&ac.d);
    ac.d.release_trigger_usd_per_t = 1;
    assert_int_equal(crit_market_clear_agents(t.m), 0);
    crit_market_free(t.m);
    assert_int_equal(crit_market_new(&t.m, t.w, "Ga"), 0);
    ac.m = t.m;
    (void)agents_unchanged;
    failalloc_fail_from(&fa, 0);
    assert_int_equal(crit_market_add_agent(NULL, t.m, "E00", &ac.d),
                     CRIT_ENOMEM);
    assert_int_equal(crit_market_agent_count(t.m), 0);
    failalloc_disarm(&fa);
    assert_int_equal(op_agents(&ac), 0);
    assert_int_equal(crit_market_agent_count(t.m), 9);
    /* resize fails cleanly too */
    crit_economy_def ed;
    crit_economy_def_init(&ed);
    ed.code = "NEW";
    for (size_t i = 0; i < t.n; i++) /* a subsidy forbids a new economy */
        assert_int_equal(crit_world_set_export_tax(t.w, "Ga", tw_code(i), 0, 0),
                         0);
    if (crit_world_add_economy(t.w, &ed))
        fail_msg("%s", crit_error_last());
    failalloc_fail_from(&fa, 0);
    assert_int_equal(crit_market_resize(t.m), CRIT_ENOMEM);
    failalloc_disarm(&fa);
    assert_int_equal(crit_market_economy_count(t.m), 12);
    assert_int_equal(crit_market_resize(t.m), 0);
    assert_int_equal(crit_market_economy_count(t.m), 13);
    tw_free(&t);
}

/* ---- a warm start's price relaxation ----------------------------------- */

/* The test's own fixed point: p_j = min(p_j, p_i + c_ij) until none falls. */
static void relax_reference(double *p, const double *c, size_t n)
{
    for (int fell = 1; fell;) {
        fell = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) {
                double v = p[i] + c[i * n + j];
                if (j != i && v < p[j]) {
                    p[j] = v;
                    fell = 1;
                }
            }
    }
}

/*
 * The test's own excess supply of economy i at price q > 0 (no floor, no
 * agent) and its first and second derivatives, by pow (MODEL.md section
 * 1); q must not be the capacity's price itself.
 */
static double t_excess(const tw *t, size_t i, double q, double *d1, double *d2)
{
    const crit_curve_def *c = &t->curve[i];
    double S = t_supply(t, i, q), D = t_demand(t, i, q);
    double eta = c->supply_elasticity, eps = c->demand_elasticity;
    int elastic = c->base_production_t_per_yr > 0 &&
                  S < c->capacity_t_per_yr * t->a[i] * t->dt;
    *d1 = (elastic ? eta * S / q : 0) + eps * D / q;
    *d2 = (elastic ? eta * (eta - 1) * S / (q * q) : 0) -
          eps * (eps + 1) * D / (q * q);
    return S - D;
}

/*
 * Economy i's excess supply at q = p (1 + r) after one at p: the solver's
 * (evaluated, or from p by the curves' series) against the test's own by
 * pow. want: 1 if the curves must be evaluated, 0 if the series must
 * serve. The value to within 1e-14 of the gross volume (a few units in
 * the last place), the derivatives (which only steer steps) to 1e-10.
 */
static void series_case(tw *t, size_t i, double p, double r, int want)
{
    double d1, d2, t1, t2;
    int evaluated;
    crit__market_excess(t->m, i, 1.5 * p, &d1, &d2, &evaluated);
    crit__market_excess(t->m, i, p, &d1, &d2, &evaluated);
    assert_true(evaluated); /* a third away from the last evaluation */
    double q = p * (1 + r);
    double e = crit__market_excess(t->m, i, q, &d1, &d2, &evaluated);
    double te = t_excess(t, i, q, &t1, &t2);
    double gross = t_supply(t, i, q) + t_demand(t, i, q);
    if (evaluated != want || !(fabs(e - te) <= 1e-14 * gross) ||
        !(fabs(d1 - t1) <= 1e-10 * fabs(t1)) ||
        !(fabs(d2 - t2) <= 1e-10 * fabs(t2) + 1e-10 * fabs(t1) / q))
        fail_msg("economy %zu at %.17g (r = %g): evaluated %d (want %d), "
                 "E %.17g (test %.17g), E' %.17g (%.17g), E'' %.17g "
                 "(%.17g)",
                 i, q, r, evaluated, want, e, te, d1, t1, d2, t2);
}

/*
 * The value alone at a step near the series' bound (the derivatives,
 * which only steer the steps, are off there by about 5 |k5| |r|^4): still
 * the curves' own number to rounding, from the series (every term of it
 * counts there: r^4 is about 1.5e-14).
 */
static void series_value_case(tw *t, size_t i, double p, double r)
{
    double d1, d2;
    int evaluated;
    crit__market_excess(t->m, i, 1.5 * p, &d1, &d2, &evaluated);
    crit__market_excess(t->m, i, p, &d1, &d2, &evaluated);
    assert_true(evaluated);
    double q = p * (1 + r);
    double e = crit__market_excess(t->m, i, q, &d1, &d2, &evaluated);
    double te = t_excess(t, i, q, &d1, &d2);
    double gross = t_supply(t, i, q) + t_demand(t, i, q);
    if (evaluated || !(fabs(e - te) <= 1e-14 * gross))
        fail_msg("economy %zu at %.17g (r = %g): evaluated %d, E %.17g "
                 "(test %.17g)",
                 i, q, r, evaluated, e, te);
}

/*
 * Near a price just evaluated, the solver takes a plain economy's curves
 * from their series (no exp, no log): the same values to rounding, within
 * the steps its bound allows (about 5e-4 here), and an evaluation beyond.
 * Across the capacity, up and down, the series still gives the kinked
 * supply.
 */
static void test_market_series(void **state)
{
    (void)state;
    tw_rng = 1717;
    static const double near[] = {0,    1e-12, -1e-9, 1e-7,   -3e-6,
                                  1e-5, -4e-5, 1e-4,  -1.5e-4};
    static const double far[] = {3e-3, -7e-3, 0.05, -0.2};
    for (int k = 0; k < 12; k++) {
        tw t;
        elastic_world(&t, 6);
        solve_ok(&t);
        for (size_t i = 0; i < t.n; i++) {
            double p = t.p0 * uniform(0.4, 2.5);
            for (size_t q = 0; q < sizeof near / sizeof *near; q++)
                series_case(&t, i, p, near[q], 0);
            for (size_t q = 0; q < sizeof far / sizeof *far; q++)
                series_case(&t, i, p, far[q], 1);
            series_value_case(&t, i, p, 3.5e-4);
            series_value_case(&t, i, p, -3.5e-4);
        }
        tw_free(&t);
    }
    /* supply reaches its capacity of 1.5 times base at pK */
    tw t;
    tw_init(&t, 1, 1000, 1e6);
    tw_curve(&t, 0, 100, 150, 0.8, 120, 0.6);
    tw_market(&t);
    solve_ok(&t);
    double pK = 1000 * pow(1.5, 1 / 0.8);
    series_case(&t, 0, pK * (1 - 2e-5), 4e-5, 0);  /* up through it */
    series_case(&t, 0, pK * (1 + 2e-5), -4e-5, 0); /* and down */
    series_case(&t, 0, pK * (1 + 1e-4), 1e-4, 0);  /* above it */
    tw_free(&t);
}

/*
 * At a price so small that p / P0 is not a normal double, the curves are
 * still the curves: supply s0 (p / P0)^eta and demand d0 (p / P0)^-eps,
 * here against the test's own by pow on the ratio scaled by 2^600 (exact,
 * and a normal double), the scale taken out by exp2. The ratio had
 * underflowed to 0 (no supply, infinite demand), so a solve whose answer
 * lies there could not say why it missed.
 */
static void test_market_subnormal_price_curves(void **state)
{
    (void)state;
    static const double prices[] = {0x1p-1074, 1e-320, 1e-310, 3e-308};
    for (int k = 0; k < 2; k++) {
        tw t;
        tw_init(&t, 1, 7752.9, 1e6);
        /* a plain economy (both curves), then supply alone */
        tw_curve(&t, 0, 1000, 1e9, 0.01, k ? 0 : 20, 0.05);
        tw_market(&t);
        solve_ok(&t); /* the solver's workspace holds the curves */
        for (size_t q = 0; q < sizeof prices / sizeof *prices; q++) {
            double p = prices[q], d1, d2;
            int evaluated;
            double e = crit__market_excess(t.m, 0, p, &d1, &d2, &evaluated);
            double r = p * 0x1p600 / 7752.9;
            double want =
                t.dt * (1000 * pow(r, 0.01) * exp2(-600 * 0.01) -
                        (k ? 0 : 20 * pow(r, -0.05) * exp2(600 * 0.05)));
            if (!(fabs(e - want) <= 1e-13 * fabs(want)))
                fail_msg("excess at %g USD/t: %.17g, want %.17g", p, e, want);
        }
        tw_free(&t);
    }
}

/*
 * Give a market of n economies (no quota, no tariff) the route costs c
 * (c[i * n + j] for i -> j) and the prices p, relax them inside the
 * solver, and compare with relax_reference to the bit. want: whether the
 * solver should have needed its Dijkstra (-1: either).
 */
static void relax_case(size_t n, const double *c, const double *p, int want)
{
    tw t;
    tw_init(&t, n, 1000, 1e7);
    for (size_t i = 0; i < n; i++) {
        tw_curve(&t, i, 100, 200, 0.5, 100, 0.5);
        for (size_t j = 0; j < n; j++)
            if (j != i)
                assert_int_equal(crit_world_set_transport(t.w, "Ga", tw_code(i),
                                                          tw_code(j),
                                                          c[i * n + j]),
                                 CRIT_OK);
    }
    tw_market(&t);
    solve_ok(&t); /* sets the market's route costs */
    crit_market *m = t.m;
    double want_p[TW_MAX];
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++)
            if (j != i)
                assert_true(m->cost[i * n + j] == c[i * n + j]);
        m->p[i] = want_p[i] = p[i];
    }
    relax_reference(want_p, c, n);
    int dijkstra = crit__market_relax_prices(m);
    if (want >= 0)
        assert_int_equal(dijkstra, want);
    for (size_t i = 0; i < n; i++)
        if (m->p[i] != want_p[i])
            fail_msg("economy %zu: relaxed to %.17g, expected %.17g", i,
                     m->p[i], want_p[i]);
    for (size_t a = 0; a + 1 < m->N; a++)
        assert_int_equal(m->mark[a], 0); /* left clear for the solver */
    tw_free(&t);
}

/*
 * A warm start lowers its prices to feasible ones: by a queue of the
 * economies whose price fell, or, when that takes many steps (a chain
 * walked backwards: n(n - 1)/2 of them), by a Dijkstra from where the
 * queue stopped. Either way the least price over all routes, to the bit.
 */
static void test_market_warm_relaxation(void **state)
{
    (void)state;
    enum { N = 40 };
    static double c[N * N], p[N];
    for (int dir = 0; dir < 2; dir++) {
        /* a chain of cost 1 (dir 0: 0 -> 1 -> ..., dir 1: backwards)
           from the one cheap economy, dearer direct routes from it, and
           every other route dearer still */
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < N; j++)
                c[i * N + j] = 1e4;
        size_t src = dir ? N - 1 : 0;
        for (size_t k = 0; k + 1 < N; k++) {
            size_t a = dir ? N - 1 - k : k, b = dir ? a - 1 : a + 1;
            c[a * N + b] = 1;
            size_t far = dir ? N - 1 - (k + 1) : k + 1;
            if (k + 1 >= 2)
                c[src * N + far] = 2.0 * (double)(k + 1);
        }
        for (size_t i = 0; i < N; i++)
            p[i] = i == src ? 0 : 1e6;
        relax_case(N, c, p, dir);
    }
    /* random routes and prices */
    for (int w = 0; w < 40; w++) {
        size_t n = 2 + (size_t)(urand() * 30);
        for (size_t i = 0; i < n; i++) {
            p[i] = uniform(0, 2000);
            for (size_t j = 0; j < n; j++)
                c[i * n + j] = urand() < 0.3 ? uniform(0, 10) : uniform(0, 500);
        }
        relax_case(n, c, p, -1);
    }
}

/* ---- the residual, term by term (crit__market_residual) ----------------- */

/*
 * Each test solves a small market, alters its stored results (m->res,
 * m->flow) so that one condition of MODEL.md section 3 is violated by a
 * known amount, and compares the residual recomputed by the library with
 * that term computed here from the altered results and the definitions
 * in crit/market.h. Each term is large (above 1e-3), so that the
 * rounding left in the other terms of the solution (near 1e-16) cannot
 * reach the tolerance of the comparison.
 */

/* Quantity q of economy i in the market's stored results. */
static double *res_at(const tw *t, int32_t q, size_t i)
{
    return &t->m->res[(size_t)q * t->n + i];
}

static double *flow_at(const tw *t, size_t i, size_t j)
{
    return &t->m->flow[i * t->n + j];
}

/* V: total demand in the stored results (nonzero in these markets). */
static double res_demand(const tw *t)
{
    double V = 0;
    for (size_t i = 0; i < t->n; i++)
        V += *res_at(t, CRIT_MARKET_DEMAND, i);
    assert_true(V > 0);
    return V;
}

/* Balance of economy i (MODEL.md section 3, 1) from the stored results. */
static double res_balance(const tw *t, size_t i)
{
    return *res_at(t, CRIT_MARKET_PRODUCTION, i) +
           *res_at(t, CRIT_MARKET_STOCK_RELEASE, i) -
           *res_at(t, CRIT_MARKET_STOCK_PURCHASE, i) +
           *res_at(t, CRIT_MARKET_IMPORTS, i) -
           *res_at(t, CRIT_MARKET_EXPORTS, i) +
           *res_at(t, CRIT_MARKET_SHORTAGE, i) -
           *res_at(t, CRIT_MARKET_DISPOSAL, i) -
           *res_at(t, CRIT_MARKET_DEMAND, i);
}

/* Arbitrage gap p_j - p_i - c_ij - lambda_i from the stored results and
   the test's own wedges (the levy tau on arcs from a non-member into a
   member). */
static double res_gap(const tw *t, size_t i, size_t j, double tau)
{
    return *res_at(t, CRIT_MARKET_PRICE, j) - *res_at(t, CRIT_MARKET_PRICE, i) -
           t_wedge(t, i, j, tau) - *res_at(t, CRIT_MARKET_QUOTA_RENT, i);
}

/* The residual recomputed by the library equals want, a term computed
   here (what: which). */
static void assert_residual(const tw *t, double want, const char *what)
{
    assert_true(want > 1e-3); /* far above the solution's rounding */
    double V = t->m->info.total_demand_t;
    double r = crit__market_residual(t->m);
    if (!(fabs(r - want) <= 1e-12 * want))
        fail_msg("%s: residual %.17g, by hand %.17g", what, r, want);
    assert_true(t->m->info.total_demand_t == V); /* info left alone */
}

/* A solved market's own residual: the solve's, and within the tolerance. */
static void assert_solved_residual(const tw *t)
{
    double r = crit__market_residual(t->m);
    assert_true(r == info_residual(t));
    assert_true(r <= 1e-9);
}

/*
 * A star of n economies: E00 supplies 1200 (p / P0) t/yr and uses
 * nothing, E01.. E(n-1) each use 240 P0 / p and supply nothing; routes
 * from E00 cost 5 j, back into it 50, between the users 500 (neither
 * of the last two carries anything). P0 = 100, Pmax = 1000.
 */
static void star_world(tw *t, size_t n)
{
    double c[6 * 6];
    assert_true(n <= 6);
    tw_init(t, n, 100, 1000);
    for (size_t i = 0; i < n; i++) {
        if (i == 0)
            tw_curve(t, i, 1200, 2400, 1, 0, 0);
        else
            tw_curve(t, i, 0, 0, 0, 240, 1);
        for (size_t j = 0; j < n; j++)
            c[i * n + j] = i == 0 ? 5.0 * (double)j : j == 0 ? 50 : 500;
    }
    tw_routes(t, n, c, NULL);
    tw_market(t);
    solve_ok(t);
    assert_solved_residual(t);
    for (size_t j = 1; j < n; j++) /* E00 ships to each */
        assert_true(*flow_at(t, 0, j) > 0);
}

/* Balance |balance_i| / V: each economy's balance off by a quarter of V
   in one of its quantities (demand moves V too; shortage and disposal,
   whose complementarity terms would be larger, have their own test). */
static void test_market_residual_term_balance(void **state)
{
    (void)state;
    tw t;
    star_world(&t, 5);
    const int32_t qs[] = {
        CRIT_MARKET_PRODUCTION,    CRIT_MARKET_EXPORTS,
        CRIT_MARKET_DEMAND,        CRIT_MARKET_IMPORTS,
        CRIT_MARKET_STOCK_RELEASE, CRIT_MARKET_STOCK_PURCHASE};
    double d = 0.25 * res_demand(&t);
    for (size_t k = 0; k < sizeof qs / sizeof *qs; k++)
        for (size_t i = 0; i < t.n; i++) {
            double *q = res_at(&t, qs[k], i), keep = *q;
            *q += d;
            assert_residual(&t, fabs(res_balance(&t, i)) / res_demand(&t),
                            "balance");
            *q = keep;
        }
    assert_solved_residual(&t);
    tw_free(&t);
}

/* Arbitrage max(0, p_j - p_i - c_ij - lambda_i) / P0 into every column
   j of the cost matrix: n = 5 and 6 take max_diff's four-wide loop and
   its tail. E0j's price up by 20 (E00's by 100, above its users' by
   more than the route back costs): the routes into it, empty or not,
   cost less than its price over theirs. */
static void test_market_residual_term_arbitrage(void **state)
{
    (void)state;
    for (size_t n = 5; n <= 6; n++) {
        tw t;
        star_world(&t, n);
        double V = res_demand(&t);
        for (size_t j = 0; j < n; j++) {
            double *p = res_at(&t, CRIT_MARKET_PRICE, j), keep = *p;
            *p += j == 0 ? 100 : 20;
            double want = 0;
            for (size_t i = 0; i < n; i++)
                if (i != j)
                    want = fmax(want, res_gap(&t, i, j, 0) / t.p0);
            if (j == 0) /* E00's exports now leave below their price */
                for (size_t k = 1; k < n; k++) {
                    double cs =
                        *flow_at(&t, 0, k) * -res_gap(&t, 0, k, 0) / (V * t.p0);
                    assert_true(cs < 0.9 * want);
                }
            assert_residual(&t, want, "arbitrage");
            *p = keep;
        }
        assert_solved_residual(&t);
        tw_free(&t);
    }
}

/* Flow complementarity x_ij max(0, p_i + c_ij + lambda_i - p_j) /
   (V P0): each user's price 20 below what its imports cost it. */
static void test_market_residual_term_flow(void **state)
{
    (void)state;
    tw t;
    star_world(&t, 5);
    double V = res_demand(&t);
    for (size_t j = 1; j < t.n; j++) {
        double *p = res_at(&t, CRIT_MARKET_PRICE, j), keep = *p;
        *p -= 20;
        double x = *flow_at(&t, 0, j);
        assert_residual(&t, x * -res_gap(&t, 0, j, 0) / (V * t.p0),
                        "flow complementarity");
        *p = keep;
    }
    tw_free(&t);
}

/*
 * Two economies (two_economies) with E00's quota of 60 t/yr binding:
 * E00 at 55, E01 at 250, quota rent 185 (test_market_quota_binds). The
 * rent enters the arbitrage gap and the flow complementarity; the quota
 * its feasibility and complementarity.
 */
static void quota_world(tw *t, double quota)
{
    two_economies(t, 10);
    assert_int_equal(crit_world_set_export_quota(t->w, "Ga", "E00", quota), 0);
    tw_market(t);
    solve_ok(t);
    assert_solved_residual(t);
}

static void test_market_residual_term_quota_rent(void **state)
{
    (void)state;
    tw t;
    quota_world(&t, 60);
    double V = res_demand(&t), x = *flow_at(&t, 0, 1);
    double *lam = res_at(&t, CRIT_MARKET_QUOTA_RENT, 0), keep = *lam;
    assert_true(*lam > 100);
    /* a rent 50 short: the route's price gap is 50 above its cost */
    *lam -= 50;
    assert_residual(&t, res_gap(&t, 0, 1, 0) / t.p0, "arbitrage with rent");
    /* a rent 50 too high: the exports cost 50 more than E01 pays */
    *lam = keep + 50;
    assert_residual(&t, x * -res_gap(&t, 0, 1, 0) / (V * t.p0),
                    "flow complementarity with rent");
    *lam = keep;
    assert_solved_residual(&t);
    tw_free(&t);
}

/* Quota feasibility max(0, exports_i - Q_i dt) / V: one tonne more
   through E00's quota, from its production to E01's demand (every
   balance holds). */
static void test_market_residual_term_quota(void **state)
{
    (void)state;
    tw t;
    quota_world(&t, 60);
    double qdt = 60 * t.dt;
    *flow_at(&t, 0, 1) += 1;
    *res_at(&t, CRIT_MARKET_EXPORTS, 0) += 1;
    *res_at(&t, CRIT_MARKET_PRODUCTION, 0) += 1;
    *res_at(&t, CRIT_MARKET_IMPORTS, 1) += 1;
    *res_at(&t, CRIT_MARKET_DEMAND, 1) += 1;
    assert_residual(
        &t, (*res_at(&t, CRIT_MARKET_EXPORTS, 0) - qdt) / res_demand(&t),
        "quota feasibility");
    tw_free(&t);
}

/* Quota complementarity lambda_i (Q_i dt - exports_i) / (V P0): a rent of
   10 on a quota far from binding (1e6 t/yr). */
static void test_market_residual_term_quota_slack(void **state)
{
    (void)state;
    tw t;
    quota_world(&t, 1e6);
    double V = res_demand(&t), qdt = 1e6 * t.dt;
    double *lam = res_at(&t, CRIT_MARKET_QUOTA_RENT, 0);
    assert_true(*lam == 0);
    *lam = 10;
    double want =
        *lam * (qdt - *res_at(&t, CRIT_MARKET_EXPORTS, 0)) / (V * t.p0);
    /* above the flow complementarity the rent opens too */
    assert_true(*flow_at(&t, 0, 1) * -res_gap(&t, 0, 1, 0) / (V * t.p0) <
                0.5 * want);
    assert_residual(&t, want, "quota complementarity");
    tw_free(&t);
}

/* Shortage u_i (Pmax - p_i) / (V P0) below Pmax, and disposal v_i p_i /
   (V P0) above 0, each with the balance kept (shortage of demand added,
   disposal of production added); and each negative, divided by V. */
static void test_market_residual_term_shortage_disposal(void **state)
{
    (void)state;
    tw t;
    star_world(&t, 5);
    double V = res_demand(&t), d = 0.5 * V;
    for (size_t i = 0; i < t.n; i++) {
        double p = *res_at(&t, CRIT_MARKET_PRICE, i);
        assert_true(p > 0 && p < t.pmax);
        double *u = res_at(&t, CRIT_MARKET_SHORTAGE, i);
        double *v = res_at(&t, CRIT_MARKET_DISPOSAL, i);
        double *dem = res_at(&t, CRIT_MARKET_DEMAND, i);
        double *prod = res_at(&t, CRIT_MARKET_PRODUCTION, i);
        double dem0 = *dem, prod0 = *prod;
        assert_true(*u == 0 && *v == 0);
        *u = d;
        *dem += d;
        assert_residual(&t, *u * (t.pmax - p) / (res_demand(&t) * t.p0),
                        "shortage below Pmax");
        *u = 0;
        *dem = dem0;
        *v = d;
        *prod += d;
        assert_residual(&t, *v * p / (V * t.p0), "disposal above 0");
        *v = 0;
        *prod = prod0;
        /* negative: E00 has no demand, the users no production */
        double neg = i == 0 ? *prod : *dem;
        assert_true(neg > 0.1 * V);
        if (i == 0) {
            *v = -0.5 * neg;
            *prod += *v;
            assert_residual(&t, -*v / V, "negative disposal");
            *v = 0;
            *prod = prod0;
        } else {
            *u = -0.5 * neg;
            *dem += *u;
            assert_residual(&t, -*u / res_demand(&t), "negative shortage");
            *u = 0;
            *dem = dem0;
        }
    }
    assert_solved_residual(&t);
    tw_free(&t);
}

/* A negative flow -x_ij / V on a route that carries nothing: in every
   column of a user's row, in the four-wide blocks and the tail. */
static void test_market_residual_term_negative_flow(void **state)
{
    (void)state;
    tw t;
    star_world(&t, 6);
    double V = res_demand(&t);
    for (size_t i = 1; i < t.n; i++)
        for (size_t j = 0; j < t.n; j++) {
            if (j == i)
                continue;
            double *x = flow_at(&t, i, j);
            assert_true(*x == 0);
            *x = -0.25 * V;
            assert_residual(&t, 0.25, "negative flow");
            *x = 0;
        }
    assert_solved_residual(&t);
    tw_free(&t);
}

/* A quota rent's sign and place: max(0, -lambda_i) / P0 for every
   economy, |lambda_i| / P0 for one without a quota (the star has none).
   A user's rent of -10 opens no route (its routes out cost 50 and 500
   more than the price gaps they span); a rent of 10 on E00 also costs
   its exports 10 more than they fetch, a smaller term (x_0j / V = 1/4). */
static void test_market_residual_term_rent_sign(void **state)
{
    (void)state;
    tw t;
    star_world(&t, 5);
    double V = res_demand(&t);
    for (size_t i = 0; i < t.n; i++) {
        double *lam = res_at(&t, CRIT_MARKET_QUOTA_RENT, i);
        assert_true(*lam == 0);
        *lam = 10;
        double want = *lam / t.p0;
        for (size_t j = 0; j < t.n; j++) {
            if (j == i)
                continue;
            double cs = *flow_at(&t, i, j) * -res_gap(&t, i, j, 0) / (V * t.p0);
            assert_true(cs < 0.5 * want);
        }
        assert_residual(&t, want, "rent without a quota");
        if (i > 0) {
            *lam = -10;
            for (size_t j = 0; j < t.n; j++)
                if (j != i)
                    assert_true(res_gap(&t, i, j, 0) < 0);
            assert_residual(&t, -*lam / t.p0, "negative rent");
        }
        *lam = 0;
    }
    /* a quota far from binding: its rent's sign alone */
    tw_free(&t);
    quota_world(&t, 1e6);
    double *lam = res_at(&t, CRIT_MARKET_QUOTA_RENT, 1);
    *lam = -10;
    assert_true(res_gap(&t, 1, 0, 0) < 0);
    assert_residual(&t, 10 / t.p0, "negative rent, quota elsewhere");
    tw_free(&t);
}

/* Prices outside [0, Pmax]: max(0, -p_i, p_i - Pmax) / P0, on two
   economies that cannot trade (each bans exports to the other). */
static void test_market_residual_term_price_bounds(void **state)
{
    (void)state;
    tw t;
    tw_init(&t, 2, 100, 1000);
    tw_curve(&t, 0, 100, 200, 1, 100, 1);
    tw_curve(&t, 1, 50, 200, 1, 100, 0.5);
    double c[4] = {0, INFINITY, INFINITY, 0};
    tw_routes(&t, 2, c, NULL);
    tw_market(&t);
    solve_ok(&t);
    assert_solved_residual(&t);
    for (size_t i = 0; i < 2; i++) {
        double *p = res_at(&t, CRIT_MARKET_PRICE, i), keep = *p;
        *p = -30;
        assert_residual(&t, -*p / t.p0, "price below 0");
        *p = t.pmax + 30;
        assert_residual(&t, (*p - t.pmax) / t.p0, "price above Pmax");
        *p = keep;
    }
    assert_solved_residual(&t);
    tw_free(&t);
}

/* A NaN in any quantity or flow the residual reads gives a NaN. */
static void test_market_residual_term_nan(void **state)
{
    (void)state;
    tw t;
    star_world(&t, 5);
    const int32_t qs[] = {CRIT_MARKET_PRICE,         CRIT_MARKET_PRODUCTION,
                          CRIT_MARKET_STOCK_RELEASE, CRIT_MARKET_STOCK_PURCHASE,
                          CRIT_MARKET_IMPORTS,       CRIT_MARKET_EXPORTS,
                          CRIT_MARKET_SHORTAGE,      CRIT_MARKET_DISPOSAL,
                          CRIT_MARKET_DEMAND,        CRIT_MARKET_QUOTA_RENT};
    for (size_t k = 0; k < sizeof qs / sizeof *qs; k++)
        for (size_t i = 0; i < t.n; i++) {
            double *q = res_at(&t, qs[k], i), keep = *q;
            *q = NAN;
            if (!isnan(crit__market_residual(t.m)))
                fail_msg("NaN quantity %d of economy %zu not seen", (int)qs[k],
                         i);
            *q = keep;
        }
    for (size_t i = 0; i < t.n; i++)
        for (size_t j = 0; j < t.n; j++) {
            if (j == i)
                continue;
            double *x = flow_at(&t, i, j), keep = *x;
            *x = NAN;
            if (!isnan(crit__market_residual(t.m)))
                fail_msg("NaN flow %zu -> %zu not seen", i, j);
            *x = keep;
        }
    assert_solved_residual(&t);
    tw_free(&t);
}

/*
 * The reference price's term |tau - max(0, Rref - L(tau))| / P0 (crit/
 * policy.h): E00, not a member, supplies 1200 (p / P0) t/yr to E01, a
 * member using 1200 P0 / p, over a route of 10; the reference price 150
 * is above the landed price without a levy. After the solve the
 * reference price moves, and the levy found no longer holds it.
 */
static void test_market_residual_term_levy(void **state)
{
    (void)state;
    tw t;
    tw_init(&t, 2, 100, 1000);
    tw_curve(&t, 0, 1200, 2400, 1, 0, 0);
    tw_curve(&t, 1, 0, 0, 0, 1200, 1);
    tw_member(&t, 1, 1);
    double c[4] = {0, 10, 10, 0};
    tw_routes(&t, 2, c, NULL);
    assert_int_equal(crit_policy_set_reference_price(t.pol, 150), CRIT_OK);
    tw_market(&t);
    solve_ok(&t);
    assert_solved_residual(&t);
    double tau = t.m->info.levy_usd_per_t;
    assert_true(tau > 10);
    /* L: E00's price, quota rent (none) and route without the levy */
    double L = *res_at(&t, CRIT_MARKET_PRICE, 0) +
               *res_at(&t, CRIT_MARKET_QUOTA_RENT, 0) + t_wedge(&t, 0, 1, 0);
    /* a levy too low, too high, and one not due (Rref below L) */
    const double rref[] = {170, 130, 0.5 * L};
    const char *what[] = {"levy too low", "levy too high", "levy not due"};
    assert_true(130 > L);
    for (size_t k = 0; k < 3; k++) {
        assert_int_equal(crit_policy_set_reference_price(t.pol, rref[k]),
                         CRIT_OK);
        assert_residual(&t, fabs(tau - fmax(0, rref[k] - L)) / t.p0, what[k]);
    }
    assert_int_equal(crit_policy_set_reference_price(t.pol, 150), CRIT_OK);
    assert_solved_residual(&t);
    double keep = t.m->tau;
    t.m->tau = NAN;
    assert_true(isnan(crit__market_residual(t.m)));
    t.m->tau = keep;
    tw_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_market_residual_random_plain),
        cmocka_unit_test(test_market_residual_random_mechanisms),
        cmocka_unit_test(test_market_residual_random_wide),
        cmocka_unit_test(test_market_free_prices),
        cmocka_unit_test(test_market_free_prices_flat),
        cmocka_unit_test(test_market_free_prices_quota_exit),
        cmocka_unit_test(test_market_free_pair_rises_to_pmax),
        cmocka_unit_test(test_market_warm_rounding_cycle),
        cmocka_unit_test(test_market_rent_revenue_free_rent),
        cmocka_unit_test(test_market_warm_equals_cold),
        cmocka_unit_test(test_market_sees_world_changes),
        cmocka_unit_test(test_market_cold_after_curve_change),
        cmocka_unit_test(test_market_warm_follows_inputs),
        cmocka_unit_test(test_market_warm_relaxation),
        cmocka_unit_test(test_market_series),
        cmocka_unit_test(test_market_subnormal_price_curves),
        cmocka_unit_test(test_market_cold_evaluations),
        cmocka_unit_test(test_market_cold_evaluations_large),
        cmocka_unit_test(test_market_warm_evaluations),
        cmocka_unit_test(test_market_one_economy),
        cmocka_unit_test(test_market_price_below_double),
        cmocka_unit_test(test_market_no_double_names_jump_to_zero),
        cmocka_unit_test(test_market_no_double_tiny_demand),
        cmocka_unit_test(test_market_ramp_too_steep),
        cmocka_unit_test(test_market_two_economies_trade),
        cmocka_unit_test(test_market_two_economies_no_trade),
        cmocka_unit_test(test_market_routes_dearer_than_any_price),
        cmocka_unit_test(test_market_quota_binds),
        cmocka_unit_test(test_market_quota_new_period_length),
        cmocka_unit_test(test_market_ad_valorem_revenue),
        cmocka_unit_test(test_market_zero_quota_rent),
        cmocka_unit_test(test_market_release_ramp_not_free),
        cmocka_unit_test(test_market_zero_trigger_no_cash),
        cmocka_unit_test(test_market_ban_splits),
        cmocka_unit_test(test_market_shortage_and_disposal),
        cmocka_unit_test(test_market_shortage_stays_with_demand),
        cmocka_unit_test(test_market_trade_cycle_at_pmax),
        cmocka_unit_test(test_market_no_demand_anywhere),
        cmocka_unit_test(test_market_no_demand_root_at_zero),
        cmocka_unit_test(test_market_linear_round_undoing_itself),
        cmocka_unit_test(test_market_gave_up_round_resumes_last_round),
        cmocka_unit_test(test_market_cycling_rounds_damped),
        cmocka_unit_test(test_market_steep_ramp_ends_on_neighbours),
        cmocka_unit_test(test_market_extreme_worlds),
        cmocka_unit_test(test_market_unbound_quota_has_no_rent),
        cmocka_unit_test(test_market_no_double_bracket_of_neighbours),
        cmocka_unit_test(test_market_error_names_kind_of_term),
        cmocka_unit_test(test_market_autarky_and_parallel_routes),
        cmocka_unit_test(test_market_fixed_node),
        cmocka_unit_test(test_market_agent_buys_and_releases),
        cmocka_unit_test(test_market_agent_rationed_at_pmax),
        cmocka_unit_test(test_market_agent_rationed_without_supply),
        cmocka_unit_test(test_market_agent_zero_trigger),
        cmocka_unit_test(test_market_floor_zero_upside),
        cmocka_unit_test(test_market_surplus),
        cmocka_unit_test(test_market_iteration_cap),
        cmocka_unit_test(test_market_states),
        cmocka_unit_test(test_market_bad_input),
        cmocka_unit_test(test_market_null_arguments),
        cmocka_unit_test(test_market_refusals),
        cmocka_unit_test(test_market_defaults_and_bounds),
        cmocka_unit_test_setup_teardown(test_market_alloc_failure,
                                        failalloc_setup, failalloc_teardown),
        cmocka_unit_test(test_market_residual_term_balance),
        cmocka_unit_test(test_market_residual_term_arbitrage),
        cmocka_unit_test(test_market_residual_term_flow),
        cmocka_unit_test(test_market_residual_term_quota_rent),
        cmocka_unit_test(test_market_residual_term_quota),
        cmocka_unit_test(test_market_residual_term_quota_slack),
        cmocka_unit_test(test_market_residual_term_shortage_disposal),
        cmocka_unit_test(test_market_residual_term_negative_flow),
        cmocka_unit_test(test_market_residual_term_rent_sign),
        cmocka_unit_test(test_market_residual_term_price_bounds),
        cmocka_unit_test(test_market_residual_term_nan),
        cmocka_unit_test(test_market_residual_term_levy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

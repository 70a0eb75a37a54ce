/*
 * market_check.h: shared by test_market.c and test_policy.c.
 *
 * A test world keeps its own copy of every input it gives the library, and
 * check_residual() recomputes the residual of MODEL.md section 3 from the
 * reported prices, flows, shortage, disposal and quota rents with its own
 * evaluation of the curves of MODEL.md sections 1, 4 and 5: it shares no
 * code with the solver. A fixed-seed PRNG builds random worlds.
 */
#ifndef CRIT_TESTS_MARKET_CHECK_H
#define CRIT_TESTS_MARKET_CHECK_H

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crit.h"

#define TW_MAX 64
#define TW_MAX_AGENTS 128

typedef struct tw {
    crit_world *w;
    crit_policy *pol;
    crit_market *m;
    size_t n;
    double p0, pmax, dt, ext, rref;
    double a[TW_MAX], g[TW_MAX];
    int member[TW_MAX];
    crit_curve_def curve[TW_MAX];
    int floor_on[TW_MAX];
    double F[TW_MAX], th[TW_MAX], phi[TW_MAX];
    size_t na;
    size_t ag_eco[TW_MAX_AGENTS];
    crit_market_agent_def ag[TW_MAX_AGENTS];
} tw;

/*
 * A fixed-seed PRNG (xorshift64*) for the worlds. One draw per full
 * expression: C leaves the order of a call's arguments unspecified (gcc
 * evaluates them right to left, clang left to right), and two draws in one
 * call would build a different world with each compiler. Where a call
 * once took several, the draws are made in gcc's order, so the worlds are
 * the ones the tests' bounds were set on.
 */
static uint64_t tw_rng = 0x9E3779B97F4A7C15ull;
static double urand(void)
{
    tw_rng ^= tw_rng >> 12;
    tw_rng ^= tw_rng << 25;
    tw_rng ^= tw_rng >> 27;
    return (double)((tw_rng * 2685821657736338717ull) >> 11) * 0x1.0p-53;
}
static double uniform(double lo, double hi)
{
    return lo + (hi - lo) * urand();
}

/*
 * The seed of a random test's worlds: base, or with CRIT_MARKET_SEED=S
 * set (a stress run outside CTest), base mixed with S, so that each test
 * draws other worlds than CTest's and than the other tests'.
 */
static inline uint64_t tw_seed(uint64_t base)
{
    const char *s = getenv("CRIT_MARKET_SEED");
    if (!s || !*s)
        return base;
    uint64_t x = base ^ (strtoull(s, NULL, 10) * 0x9E3779B97F4A7C15ull);
    return x ? x : base; /* xorshift never leaves 0 */
}

/* Under valgrind (CRIT_TEST_QUICK set by tests/unit/CMakeLists.txt) a
 * sample of the worlds: every size still appears. CRIT_MARKET_WORLDS=N
 * runs N worlds instead (a stress run outside CTest). */
static inline int world_count(int full)
{
    const char *w = getenv("CRIT_MARKET_WORLDS");
    if (w && atoi(w) > 0)
        return atoi(w);
    return getenv("CRIT_TEST_QUICK") ? 80 : full;
}

static const char *tw_code(size_t i)
{
    static char buf[TW_MAX][24];
    snprintf(buf[i], sizeof buf[i], "E%02zu", i);
    return buf[i];
}

/* A world with n economies (codes E00, E01, ...) and mineral "Ga". */
static void tw_init(tw *t, size_t n, double p0, double pmax)
{
    memset(t, 0, sizeof *t);
    t->n = n;
    t->p0 = p0;
    t->pmax = pmax;
    t->dt = 1.0 / 12;
    assert_int_equal(crit_world_new(&t->w), CRIT_OK);
    crit_mineral_def md;
    crit_mineral_def_init(&md);
    md.code = "Ga";
    md.base_price_usd_per_t = p0;
    md.choke_price_usd_per_t = pmax;
    assert_int_equal(crit_world_add_mineral(t->w, &md), CRIT_OK);
    for (size_t i = 0; i < n; i++) {
        crit_economy_def ed;
        crit_economy_def_init(&ed);
        ed.code = tw_code(i);
        assert_int_equal(crit_world_add_economy(t->w, &ed), CRIT_OK);
        t->a[i] = t->g[i] = 1;
        crit_curve_def_init(&t->curve[i]);
    }
    assert_int_equal(crit_policy_new(&t->pol, t->w, "Ga"), CRIT_OK);
}

static void tw_curve(tw *t, size_t i, double s0, double K, double eta,
                     double d0, double eps)
{
    crit_curve_def *c = &t->curve[i];
    c->base_production_t_per_yr = s0;
    c->capacity_t_per_yr = K;
    c->supply_elasticity = eta;
    c->base_demand_t_per_yr = d0;
    c->demand_elasticity = eps;
    assert_int_equal(crit_world_set_curve(t->w, tw_code(i), "Ga", c), CRIT_OK);
}

/*
 * Routes from an n x n matrix c (c[i * n + j] for i -> j; the diagonal is
 * not read): a transport cost, or INFINITY for an export ban. q: NULL, or
 * each economy's export quota (t/yr, INFINITY for none).
 */
static void tw_routes(tw *t, size_t n, const double *c, const double *q)
{
    for (size_t i = 0; i < n; i++) {
        if (q && isfinite(q[i]))
            assert_int_equal(
                crit_world_set_export_quota(t->w, "Ga", tw_code(i), q[i]),
                CRIT_OK);
        for (size_t j = 0; j < n; j++) {
            if (i == j)
                continue;
            double v = c[i * n + j];
            assert_int_equal(
                isinf(v) ? crit_world_set_export_ban(t->w, "Ga", tw_code(i),
                                                     tw_code(j), 1)
                         : crit_world_set_transport(t->w, "Ga", tw_code(i),
                                                    tw_code(j), v),
                CRIT_OK);
        }
    }
}

/*
 * Economies 0..n-1 from tables: curves (s0, K, eta, d0, eps), availability,
 * demand level and membership (worlds reduced from random ones).
 */
static inline void tw_economies(tw *t, size_t n, const double (*cv)[5],
                                const double *a, const double *g,
                                const int *member);

/*
 * Add a stockpile agent at economy eco from its ten numbers: inventory,
 * capacity, minimum, target, acquisition and release rates, purchase and
 * release triggers, smoothing, cash.
 */
static inline void tw_agent_values(tw *t, size_t eco, const double v[10])
{
    crit_market_agent_def *d = &t->ag[t->na];
    crit_market_agent_def_init(d);
    d->inventory_t = v[0];
    d->capacity_t = v[1];
    d->minimum_t = v[2];
    d->target_t = v[3];
    d->acquisition_rate_t_per_yr = v[4];
    d->release_rate_t_per_yr = v[5];
    d->purchase_trigger_usd_per_t = v[6];
    d->release_trigger_usd_per_t = v[7];
    d->smoothing = v[8];
    d->cash_usd = v[9];
    t->ag_eco[t->na++] = eco;
}

static void tw_member(tw *t, size_t i, int member)
{
    t->member[i] = member;
    assert_int_equal(crit_world_set_member(t->w, tw_code(i), member), CRIT_OK);
}

static inline void tw_economies(tw *t, size_t n, const double (*cv)[5],
                                const double *a, const double *g,
                                const int *member)
{
    for (size_t i = 0; i < n; i++) {
        tw_curve(t, i, cv[i][0], cv[i][1], cv[i][2], cv[i][3], cv[i][4]);
        tw_member(t, i, member[i]);
        t->a[i] = a[i];
        t->g[i] = g[i];
    }
}

static void tw_floor(tw *t, size_t i, double F, double th, double phi)
{
    crit_floor_def f;
    crit_floor_def_init(&f);
    f.floor_usd_per_t = F;
    f.covered_share = th;
    f.upside_share = phi;
    assert_int_equal(crit_policy_set_floor(t->pol, tw_code(i), &f), CRIT_OK);
    t->floor_on[i] = 1;
    t->F[i] = F;
    t->th[i] = th;
    t->phi[i] = phi;
}

/* Create the market and give it every input the test world holds. */
static void tw_market(tw *t)
{
    assert_int_equal(crit_market_new(&t->m, t->w, "Ga"), CRIT_OK);
    assert_int_equal(crit_market_set_policy(t->m, t->pol), CRIT_OK);
    assert_int_equal(crit_market_set_period_length(t->m, t->dt), CRIT_OK);
    assert_int_equal(crit_market_set_availability(t->m, t->a, t->n), CRIT_OK);
    assert_int_equal(crit_market_set_demand_level(t->m, t->g, t->n), CRIT_OK);
    for (size_t k = 0; k < t->na; k++)
        assert_int_equal(
            crit_market_add_agent(NULL, t->m, tw_code(t->ag_eco[k]), &t->ag[k]),
            CRIT_OK);
}

static void tw_free(tw *t)
{
    crit_market_free(t->m);
    crit_policy_free(t->pol);
    crit_world_free(t->w);
    t->m = NULL;
    t->pol = NULL;
    t->w = NULL;
}

/* ---- the test's own curves ---- */

/* (p / p0)^e for p > 0; where the ratio would fall below DBL_MIN (losing
   its digits, or underflowing to 0 at a price of a few subnormals when p0
   is large) by the logarithms of the two apart. */
static double t_rel_pow(double p, double p0, double e)
{
    double q = p / p0;
    return q >= DBL_MIN ? pow(q, e) : exp(e * (log(p) - log(p0)));
}

static double t_supply_plain(const tw *t, size_t i, double p)
{
    const crit_curve_def *c = &t->curve[i];
    if (c->base_production_t_per_yr <= 0)
        return 0;
    double x = c->supply_elasticity == 0
                   ? c->base_production_t_per_yr
                   : (p <= 0 ? 0
                             : c->base_production_t_per_yr *
                                   t_rel_pow(p, t->p0, c->supply_elasticity));
    return fmin(c->capacity_t_per_yr, x) * t->a[i] * t->dt;
}

static double t_supply(const tw *t, size_t i, double p)
{
    if (!t->floor_on[i])
        return t_supply_plain(t, i, p);
    double F = t->F[i];
    double e = fmax(p, F) - t->phi[i] * fmax(p - F, 0);
    return t->th[i] * t_supply_plain(t, i, e) +
           (1 - t->th[i]) * t_supply_plain(t, i, p);
}

static double t_demand(const tw *t, size_t i, double p)
{
    const crit_curve_def *c = &t->curve[i];
    double d = c->base_demand_t_per_yr * t->g[i] * t->dt;
    if (d <= 0 || c->demand_elasticity == 0)
        return d;
    return d * t_rel_pow(p, t->p0, -c->demand_elasticity);
}

static void t_agent(const crit_market_agent_def *d, double dt, double p,
                    double *buy, double *rel)
{
    double B = d->purchase_trigger_usd_per_t, T = d->release_trigger_usd_per_t;
    double s = d->smoothing;
    double wb = p <= B ? 1 : p >= B * (1 + s) ? 0 : (B * (1 + s) - p) / (B * s);
    double wr = p <= T ? 0 : p >= T * (1 + s) ? 1 : (p - T) / (T * s);
    double lim = fmin(d->acquisition_rate_t_per_yr * dt,
                      fmax(d->target_t - d->inventory_t, 0));
    if (p > 0)
        lim = fmin(lim, d->cash_usd / p);
    *buy = d->cash_usd > 0 ? lim * wb : 0;
    *rel = fmin(d->release_rate_t_per_yr * dt,
                fmax(d->inventory_t - d->minimum_t, 0)) *
           wr;
}

/* Net release R_i(p) of the agents at i; *gross receives the release. */
static double t_release(const tw *t, size_t i, double p, double *gross)
{
    double r = 0, g = 0;
    for (size_t k = 0; k < t->na; k++)
        if (t->ag_eco[k] == i) {
            double b, l;
            t_agent(&t->ag[k], t->dt, p, &b, &l);
            r += l - b;
            g += l;
        }
    if (gross)
        *gross = g;
    return r;
}

/* What the agents at i whose purchase trigger is 0 buy at p: at 0 only
 * (w_buy is 1 for p <= 0 and 0 from 0 (1 + sigma) on, a step) */
static double t_zero_trigger_buy(const tw *t, size_t i, double p)
{
    double s = 0;
    for (size_t k = 0; k < t->na; k++)
        if (t->ag_eco[k] == i && t->ag[k].purchase_trigger_usd_per_t == 0) {
            double b, l;
            t_agent(&t->ag[k], t->dt, p, &b, &l);
            s += b;
        }
    return s;
}

/*
 * How far rounding can move the purchases of the agents at i at price p:
 * each one's purchase at full weight times (1 + sigma) / sigma, the size
 * of the terms of its ramp's weight (the library writes the ramp
 * 1 - (p - B) / (B sigma), this file (B (1 + sigma) - p) / (B sigma); near
 * its end the weight is a small difference of such terms).
 */
static double t_purchase_scale(const tw *t, size_t i, double p)
{
    double s = 0;
    for (size_t k = 0; k < t->na; k++)
        if (t->ag_eco[k] == i) {
            const crit_market_agent_def *d = &t->ag[k];
            double lim = fmin(d->acquisition_rate_t_per_yr * t->dt,
                              fmax(d->target_t - d->inventory_t, 0));
            if (p > 0)
                lim = fmin(lim, d->cash_usd / p);
            if (d->cash_usd > 0)
                s += lim * (1 + d->smoothing) / d->smoothing;
        }
    return s;
}

static double tw_get(const tw *t, int32_t q, size_t i)
{
    double v[TW_MAX];
    assert_int_equal(crit_market_values(v, t->n, t->m, q), CRIT_OK);
    return v[i];
}

/* Wedge of arc i -> j as the solve saw it, or INFINITY when banned. */
static double t_wedge(const tw *t, size_t i, size_t j, double tau)
{
    double c;
    int32_t allowed;
    assert_int_equal(
        crit_world_arc_wedge(&c, &allowed, t->w, "Ga", tw_code(i), tw_code(j)),
        CRIT_OK);
    if (!allowed)
        return INFINITY;
    if (!t->member[i] && t->member[j])
        c += t->ext + tau;
    return c;
}

/* |a - b| relative to the larger of them and the scale V. */
static double t_gap(double a, double b, double V)
{
    return fabs(a - b) / fmax(V, fmax(fabs(a), fabs(b)));
}

/*
 * The reported node quantities against the flows and the test's own
 * curves, wedges and policy: production, demand, release, imports and
 * exports, consumption as demand less shortage, never negative, shortage
 * at most demand; tariff (the external tariff included), export-tax, levy
 * and quota-rent revenue from the flows, floor payments each way. The
 * largest gap, relative to the larger of the two values and V (V P0 for
 * money).
 */
static double t_reported(const tw *t, const double *p, const double *x,
                         double V, double tau)
{
    size_t n = t->n;
    double q[CRIT_MARKET_QUANTITY_COUNT][TW_MAX];
    for (int32_t k = 0; k < CRIT_MARKET_CONSUMER_SURPLUS_CHANGE; k++)
        assert_int_equal(crit_market_values(q[k], n, t->m, k), 0);
    double tar_in[TW_MAX] = {0}, tax_out[TW_MAX] = {0}, levy_in[TW_MAX] = {0};
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double f = x[i * n + j], tar, tax;
            if (f == 0)
                continue;
            assert_int_equal(crit_world_arc_get(NULL, &tar, &tax, t->w, "Ga",
                                                tw_code(i), tw_code(j)),
                             CRIT_OK);
            if (!t->member[i] && t->member[j]) {
                tar += t->ext;
                levy_in[j] += tau * f;
            }
            tar_in[j] += tar * f;
            tax_out[i] += tax * f;
        }
    double r = 0, M = V * t->p0;
    for (size_t i = 0; i < n; i++) {
        double imp = 0, ex = 0, rel, d = q[CRIT_MARKET_DEMAND][i];
        for (size_t j = 0; j < n; j++) {
            imp += x[j * n + i];
            ex += x[i * n + j];
        }
        t_release(t, i, p[i], &rel);
        r = fmax(r,
                 t_gap(q[CRIT_MARKET_PRODUCTION][i], t_supply(t, i, p[i]), V));
        r = fmax(r, t_gap(d, t_demand(t, i, p[i]), V));
        r = fmax(r, t_gap(q[CRIT_MARKET_STOCK_RELEASE][i], rel, V));
        r = fmax(r, t_gap(q[CRIT_MARKET_IMPORTS][i], imp, V));
        r = fmax(r, t_gap(q[CRIT_MARKET_EXPORTS][i], ex, V));
        double use = q[CRIT_MARKET_CONSUMPTION][i],
               u = q[CRIT_MARKET_SHORTAGE][i];
        r = fmax(r, t_gap(use, d - u, V));
        r = fmax(r, -use / V);
        r = fmax(r, (u - d) / V);
        r = fmax(r, t_gap(q[CRIT_MARKET_TARIFF_REVENUE][i], tar_in[i], M));
        r = fmax(r, t_gap(q[CRIT_MARKET_EXPORT_TAX_REVENUE][i], tax_out[i], M));
        r = fmax(r, t_gap(q[CRIT_MARKET_LEVY_REVENUE][i], levy_in[i], M));
        r = fmax(r, t_gap(q[CRIT_MARKET_QUOTA_RENT_REVENUE][i],
                          q[CRIT_MARKET_QUOTA_RENT][i] * ex, M));
        double paid = 0, got = 0;
        if (t->floor_on[i]) {
            double F = t->F[i];
            double e = fmax(p[i], F) - t->phi[i] * fmax(p[i] - F, 0);
            double cover = t->th[i] * t_supply_plain(t, i, e);
            paid = fmax(F - p[i], 0) * cover;
            got = t->phi[i] * fmax(p[i] - F, 0) * cover;
        }
        r = fmax(r, t_gap(q[CRIT_MARKET_CFD_PAID][i], paid, M));
        r = fmax(r, t_gap(q[CRIT_MARKET_CFD_RECEIVED][i], got, M));
    }
    return r;
}

/*
 * The residual of MODEL.md section 3 (as documented in crit/market.h),
 * from the reported solution and the test's own curves and wedges, and
 * the reported node quantities' gaps (t_reported).
 */
static double check_residual(const tw *t)
{
    size_t n = t->n;
    double p[TW_MAX], u[TW_MAX], v[TW_MAX], lam[TW_MAX], buy[TW_MAX],
        use[TW_MAX];
    static double x[TW_MAX * TW_MAX];
    assert_int_equal(crit_market_values(p, n, t->m, CRIT_MARKET_PRICE), 0);
    assert_int_equal(
        crit_market_values(buy, n, t->m, CRIT_MARKET_STOCK_PURCHASE), 0);
    assert_int_equal(crit_market_values(use, n, t->m, CRIT_MARKET_CONSUMPTION),
                     0);
    assert_int_equal(crit_market_values(u, n, t->m, CRIT_MARKET_SHORTAGE), 0);
    assert_int_equal(crit_market_values(v, n, t->m, CRIT_MARKET_DISPOSAL), 0);
    assert_int_equal(crit_market_values(lam, n, t->m, CRIT_MARKET_QUOTA_RENT),
                     0);
    assert_int_equal(crit_market_flows(x, n * n, t->m), 0);
    crit_market_info info;
    crit_market_info_init(&info);
    assert_int_equal(crit_market_info_get(&info, t->m), 0);
    double tau = info.levy_usd_per_t;
    double V = 0, alt = 0;
    for (size_t i = 0; i < n; i++) {
        V += t_demand(t, i, p[i]);
        double rel;
        t_release(t, i, p[i], &rel);
        alt += t_supply(t, i, p[i]) + rel;
    }
    if (!(V > 0))
        V = alt > 0 ? alt : 1;
    double P0 = t->p0, r = t_reported(t, p, x, V, tau);
    for (size_t i = 0; i < n; i++) {
        double imp = 0, ex = 0;
        for (size_t k = 0; k < n; k++) {
            imp += x[k * n + i];
            ex += x[i * n + k];
        }
        /* the agents' purchases as reported: their curves' unless they
           were rationed at the choke price (to rounding: a tree's offsets
           can leave a price with a shortage one unit in the last place
           below it), which leaves the economy's consumers nothing */
        double rel, net = t_release(t, i, p[i], &rel), want = rel - net;
        /* (the library writes the ramp's weight one way, this file
           another: they agree to parts in 1e13 of the purchase, which can
           be 2e5 times V, and near the ramp's end, where the weight is
           small, to rounding of the full purchase (t_purchase_scale;
           CRIT_MARKET_SEED=25, the wide test's world 42,481: a weight of
           4e-6 on 1.2e5 t, 3e-11 t apart, 1.2e-9 of V)) */
        double tol = 1e-12 * want + 1e-14 * t_purchase_scale(t, i, p[i]);
        /* or, at price 0, cut where the agents whose purchase trigger is
           0 (they buy at 0 and at no higher price: a step) take less than
           they would because less is there: the economy then disposes of
           nothing, and its other agents buy what the formula gives */
        double step = t_zero_trigger_buy(t, i, p[i]);
        int cut_at_zero = step > 0 && v[i] == 0 && buy[i] <= want &&
                          buy[i] >= want - step - tol;
        if (!(p[i] >= t->pmax * (1 - 1e-12) && use[i] == 0 && buy[i] <= want) &&
            !cut_at_zero)
            r = fmax(r, fmax(0, fabs(buy[i] - want) - tol) / V);
        double S = t_supply(t, i, p[i]), D = t_demand(t, i, p[i]);
        double bal = S + rel - buy[i] + imp - ex + u[i] - v[i] - D;
        /* this file's curves (pow) and the library's (series) agree to
           parts in 1e13 of each flow: where an economy's flows are far
           above total demand, that much of them is not its imbalance */
        double gross = S + rel + buy[i] + imp + ex + u[i] + v[i] + D;
        r = fmax(r, fmax(0, fabs(bal) - 1e-12 * gross) / V);
        r = fmax(r, fmax(-u[i], -v[i]) / V);
        r = fmax(r, u[i] * (t->pmax - p[i]) / (V * P0));
        r = fmax(r, v[i] * p[i] / (V * P0));
        r = fmax(r, fmax(-p[i], p[i] - t->pmax) / P0);
        r = fmax(r, -lam[i] / P0);
        double Q;
        assert_int_equal(
            crit_world_export_quota_get(&Q, t->w, "Ga", tw_code(i)), 0);
        if (isfinite(Q)) {
            r = fmax(r, (ex - Q * t->dt) / V);
            r = fmax(r, lam[i] * (Q * t->dt - ex) / (V * P0));
        } else {
            r = fmax(r, lam[i] / P0); /* no quota, no rent */
        }
        for (size_t j = 0; j < n; j++) {
            if (j == i)
                continue;
            double c = t_wedge(t, i, j, tau);
            if (c == INFINITY) {
                r = fmax(r, x[i * n + j] / V); /* nothing on a banned arc */
                continue;
            }
            double gap = p[j] - p[i] - c - lam[i];
            r = fmax(r, gap / P0);
            r = fmax(r, x[i * n + j] * -gap / (V * P0));
            r = fmax(r, -x[i * n + j] / V);
        }
    }
    if (t->rref > 0) {
        /* L(tau): a non-member with a zero export quota lands nothing */
        double L = INFINITY;
        for (size_t i = 0; i < n; i++) {
            double Q;
            assert_int_equal(
                crit_world_export_quota_get(&Q, t->w, "Ga", tw_code(i)), 0);
            for (size_t j = 0; j < n && Q != 0; j++)
                if (i != j && !t->member[i] && t->member[j]) {
                    double c = t_wedge(t, i, j, 0);
                    if (c != INFINITY)
                        L = fmin(L, p[i] + lam[i] + c);
                }
        }
        double want = isfinite(L) ? fmax(0, t->rref - L) : 0;
        r = fmax(r, fabs(tau - want) / P0);
    }
    return r;
}

/*
 * The rule for prices the equilibrium leaves free (crit/market.h), from
 * the reported results and the test's own curves: an economy that trades
 * nothing, whose reported supply, release, purchases and demand sum to 0,
 * whose supply is none, fixed or at its capacity (away from its kink; no
 * floor), whose demand is none or fixed, and whose agents buy nothing and
 * are off their release ramp, must be at min(Pmax, the release trigger of
 * an agent there that releases nothing yet and has something to release,
 * min_i (p_i + lambda_i + c_ik)) over the economies i with a route into
 * it and an export quota that is not 0. Returns the largest gap, relative
 * to that price and P0.
 */
static inline double check_free_prices(const tw *t)
{
    size_t n = t->n;
    double p[TW_MAX], lam[TW_MAX], S[TW_MAX], D[TW_MAX], B[TW_MAX], R[TW_MAX],
        im[TW_MAX], ex[TW_MAX];
    const int32_t qs[8] = {
        CRIT_MARKET_PRICE,          CRIT_MARKET_QUOTA_RENT,
        CRIT_MARKET_PRODUCTION,     CRIT_MARKET_DEMAND,
        CRIT_MARKET_STOCK_PURCHASE, CRIT_MARKET_STOCK_RELEASE,
        CRIT_MARKET_IMPORTS,        CRIT_MARKET_EXPORTS};
    double *out[8] = {p, lam, S, D, B, R, im, ex};
    for (int q = 0; q < 8; q++)
        assert_int_equal(crit_market_values(out[q], n, t->m, qs[q]), 0);
    crit_market_info info;
    crit_market_info_init(&info);
    assert_int_equal(crit_market_info_get(&info, t->m), 0);
    double gap = 0;
    for (size_t k = 0; k < n; k++) {
        const crit_curve_def *c = &t->curve[k];
        if (im[k] != 0 || ex[k] != 0 || S[k] + R[k] - B[k] - D[k] != 0)
            continue;
        double s0 = c->base_production_t_per_yr, eta = c->supply_elasticity;
        if (s0 > 0 && t->a[k] > 0 && eta != 0) {
            if (t->floor_on[k])
                continue;
            double x = s0 * t_rel_pow(p[k], t->p0, eta);
            double K = c->capacity_t_per_yr;
            if (!(x >= K * (1 + 1e-9)))
                continue; /* below its capacity, or at its kink */
        }
        if (c->base_demand_t_per_yr * t->g[k] > 0 && c->demand_elasticity != 0)
            continue;
        double want = t->pmax;
        int agents_flat = 1;
        for (size_t a = 0; a < t->na; a++) {
            if (t->ag_eco[a] != k)
                continue;
            const crit_market_agent_def *d = &t->ag[a];
            double buy, rel, T = d->release_trigger_usd_per_t;
            t_agent(d, t->dt, p[k], &buy, &rel);
            double can = fmin(d->release_rate_t_per_yr * t->dt,
                              fmax(d->inventory_t - d->minimum_t, 0));
            if (buy != 0 ||
                (can > 0 && p[k] > T && p[k] < T * (1 + d->smoothing)))
                agents_flat = 0;
            else if (can > 0 && p[k] <= T)
                want = fmin(want, T);
        }
        if (!agents_flat)
            continue;
        for (size_t i = 0; i < n; i++) {
            double Q,
                w = i == k ? INFINITY : t_wedge(t, i, k, info.levy_usd_per_t);
            assert_int_equal(
                crit_world_export_quota_get(&Q, t->w, "Ga", tw_code(i)), 0);
            if (Q != 0 && w != INFINITY)
                want = fmin(want, p[i] + lam[i] + w);
        }
        gap = fmax(gap, fabs(p[k] - want) / fmax(want, t->p0));
    }
    return gap;
}

/*
 * Solve t's market (it must succeed and pass the test's own residual) and
 * read its prices, imports and exports into p, im and ex (t->n each).
 */
static inline void tw_solve_trade(const tw *t, double *p, double *im,
                                  double *ex)
{
    size_t n = t->n;
    assert_int_equal(crit_market_solve(t->m), CRIT_OK);
    assert_true(check_residual(t) <= 1e-9);
    assert_int_equal(crit_market_values(p, n, t->m, CRIT_MARKET_PRICE), 0);
    assert_int_equal(crit_market_values(im, n, t->m, CRIT_MARKET_IMPORTS), 0);
    assert_int_equal(crit_market_values(ex, n, t->m, CRIT_MARKET_EXPORTS), 0);
}

/*
 * A random world of n economies: random curves (some fixed, some without
 * supply or demand), members, transport costs, tariffs, export taxes and
 * subsidies, bans, quotas, availabilities, demand levels, stockpile
 * agents, floors, an external tariff and a reference price.
 */
static void tw_random(tw *t, size_t n, int mechanisms)
{
    double p0 = pow(10, uniform(1, 4));
    tw_init(t, n, p0, p0 * uniform(2, 20));
    double dts[] = {1.0 / 12, 0.25, 1};
    t->dt = dts[(int)(urand() * 3)];
    for (size_t i = 0; i < n; i++) {
        double s0 = urand() < 0.3 ? 0 : pow(10, uniform(0, 4));
        double K = urand() < 0.3 ? s0 : s0 * uniform(1, 2);
        double eta = urand() < 0.15 ? 0 : uniform(0.05, 2);
        double d0 = urand() < 0.2 ? 0 : pow(10, uniform(0, 4));
        double eps = urand() < 0.15 ? 0 : uniform(0.05, 2);
        tw_curve(t, i, s0, K, eta, d0, eps);
        tw_member(t, i, urand() < 0.5);
        if (urand() < 0.2)
            t->a[i] = uniform(0.3, 1);
        t->g[i] = uniform(0.8, 1.5);
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            if (i == j)
                continue;
            const char *a = tw_code(i), *b = tw_code(j);
            assert_int_equal(crit_world_set_transport(t->w, "Ga", a, b,
                                                      uniform(0, 0.3) * p0),
                             0);
            if (urand() < 0.3) {
                double rate = uniform(0, 0.1), tariff = uniform(0, 0.2) * p0;
                assert_int_equal(
                    crit_world_set_tariff(t->w, "Ga", a, b, tariff, rate), 0);
            }
            if (urand() < 0.12)
                assert_int_equal(crit_world_set_export_ban(t->w, "Ga", a, b, 1),
                                 0);
            if (urand() < 0.05)
                assert_int_equal(crit_world_set_import_ban(t->w, "Ga", b, a, 1),
                                 0);
        }
    for (size_t i = 0; i < n; i++) {
        if (urand() < 0.2) /* a tax, or a subsidy that may be refused */
            (void)crit_world_set_export_tax(t->w, "Ga", tw_code(i),
                                            uniform(-0.05, 0.2) * p0, 0);
        if (urand() < 0.2)
            assert_int_equal(
                crit_world_set_export_quota(
                    t->w, "Ga", tw_code(i),
                    urand() < 0.1
                        ? 0
                        : uniform(0, 1) * t->curve[i].base_production_t_per_yr),
                0);
    }
    crit_error_clear();
    if (!mechanisms)
        return;
    for (size_t i = 0; i < n; i++) {
        if (urand() < 0.15) {
            double phi = urand() < 0.5 ? 0 : uniform(0, 0.9);
            double th = uniform(0, 1);
            tw_floor(t, i, p0 * uniform(0.5, 1.5), th, phi);
        }
        if (urand() < 0.2 && t->na < TW_MAX_AGENTS) {
            crit_market_agent_def *d = &t->ag[t->na];
            crit_market_agent_def_init(d);
            double scale = pow(10, uniform(0, 4));
            d->capacity_t = scale * 3;
            d->inventory_t = scale * uniform(0, 2);
            d->minimum_t = scale * uniform(0, 1);
            d->target_t = scale * uniform(0, 3);
            d->acquisition_rate_t_per_yr = scale * uniform(0, 5);
            d->release_rate_t_per_yr = scale * uniform(0, 5);
            d->purchase_trigger_usd_per_t = p0 * uniform(0.3, 1.2);
            d->release_trigger_usd_per_t =
                d->purchase_trigger_usd_per_t * uniform(1.01, 2);
            d->smoothing = uniform(0.01, 0.3);
            d->cash_usd = urand() < 0.3 ? 0 : scale * p0 * uniform(0, 2);
            t->ag_eco[t->na++] = i;
        }
    }
    if (urand() < 0.3) {
        t->ext = p0 * uniform(0, 0.3);
        assert_int_equal(crit_policy_set_external_tariff(t->pol, t->ext), 0);
    }
    if (urand() < 0.25) {
        t->rref = p0 * uniform(0.5, 2);
        assert_int_equal(crit_policy_set_reference_price(t->pol, t->rref), 0);
    }
}

#endif /* CRIT_TESTS_MARKET_CHECK_H */

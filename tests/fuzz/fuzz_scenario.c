/*
 * libFuzzer target: a scenario run (MODEL.md section 8), through the
 * public API. The bytes build a world of two to four economies and one or
 * two minerals, a horizon of 1 to 36 periods of 1 to 12 months, policies,
 * events of every kind, stockpiles holding minerals with firms and
 * traders, loans financing them (fixed or floating, every amortisation
 * and grace, scheduled draws) and capacity programmes, then run it twice.
 * Every input the library refuses must explain itself. A run that fails
 * must explain itself and return nothing. One that succeeds must give the
 * same bits when run again, and its series must keep what crit/scenario.h
 * and MODEL.md promise: finite values, prices within [0, Pmax], each
 * solve's residual within the tolerance and every economy's balance, no
 * negative flow, each stockpile's cash and every held mineral's inventory
 * conserved period by period, cash never below 0, inventory within
 * [0, capacity], debt service and loan draws equal to their loans', and
 * the public cost equal to its parts. Nothing may stay allocated.
 */
#include <crit.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_bytes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { NMAX = 4, KMAX = 2, SMAX = 2, LMAX = 3 };

static const char *const eco_code[NMAX] = {"E0", "E1", "E2", "E3"};
static const char *const min_code[KMAX] = {"M0", "M1"};

/* Say which property broke, then crash (the fuzzer keeps the input). */
static void fail(const char *what, size_t t, size_t a, size_t b, double v)
{
    fprintf(stderr,
            "fuzz_scenario: %s (period %zu, index %zu, %zu: %.17g): %s\n", what,
            t, a, b, v, crit_error_last());
    abort();
}

/* A refused input must say why; an accepted one leaves no message. */
static int input(int rc)
{
    if (rc != CRIT_OK && crit_error_last()[0] == '\0')
        fail("an input refused without a message", 0, 0, 0, rc);
    crit_error_clear();
    return rc;
}

/* a == b to 1e-9 of the larger of `scale` and the two (sums of terms
   that may cancel: scale is the sum of their magnitudes) */
static int near(double a, double b, double scale)
{
    double m = fmax(scale, fmax(fabs(a), fabs(b)));
    return fabs(a - b) <= 1e-9 * m + 1e-300;
}

/* A scale-free "x >= 0": not below 0 by more than 1e-9 of `scale`. */
static int nonneg(double x, double scale)
{
    return x >= -1e-9 * fabs(scale) - 1e-300;
}

/* Every series of a result, read in full. */
typedef struct series_set {
    double *v[CRIT_SERIES_COUNT];
    size_t len[CRIT_SERIES_COUNT];
} series_set;

static void read_all(series_set *s, const crit_result *r)
{
    for (int32_t k = 0; k < CRIT_SERIES_COUNT; k++) {
        size_t dims[3] = {1, 1, 1}, len = 1;
        int32_t rank = 0;
        if (crit_result_series_shape(dims, &rank, r, k) != CRIT_OK)
            fail("a series without a shape", 0, (size_t)k, 0, 0);
        for (int32_t d = 0; d < rank; d++)
            len *= dims[d];
        s->len[k] = len;
        s->v[k] = malloc(len ? len * sizeof(double) : 1);
        if (!s->v[k])
            abort();
        if (crit_result_series(s->v[k], len, r, k) != CRIT_OK)
            fail("a series not readable", 0, (size_t)k, 0, 0);
    }
}

static void free_all(series_set *s)
{
    for (int32_t k = 0; k < CRIT_SERIES_COUNT; k++)
        free(s->v[k]);
}

typedef struct model {
    size_t n, nk, ns, nl, T;
    double pmax[KMAX];
    size_t loan_of[LMAX]; /* the stockpile each loan finances */
    double commit[LMAX];  /* and its commitment */
    double cash0[SMAX];   /* opening cash */
    int held[SMAX][KMAX];
    double inv0[SMAX][KMAX], cap[SMAX][KMAX];
} model;

/* the value of series k at [t][a][b] (rank 3), [t][a] or [t] */
#define AT3(S, k, t, a, b, A, B) ((S)->v[k][((t) * (A) + (a)) * (B) + (b)])
#define AT2(S, k, t, a, A) ((S)->v[k][(t) * (A) + (a)])

static void check_markets(const series_set *s, const model *md)
{
    size_t T = md->T, K = md->nk, N = md->n;
    crit_market_options opt;
    crit_market_options_init(&opt);
    for (size_t t = 0; t < T; t++)
        for (size_t k = 0; k < K; k++) {
            double res = AT2(s, CRIT_SERIES_RESIDUAL, t, k, K);
            if (!(res <= opt.tolerance))
                fail("a solve's residual above the tolerance", t, k, 0, res);
            double V = 0, alt = 0;
            for (size_t i = 0; i < N; i++) {
                V += AT3(s, CRIT_SERIES_DEMAND, t, k, i, K, N);
                alt += AT3(s, CRIT_SERIES_PRODUCTION, t, k, i, K, N) +
                       AT3(s, CRIT_SERIES_STOCK_RELEASE, t, k, i, K, N);
            }
            if (!(V > 0))
                V = alt > 0 ? alt : 1;
            for (size_t i = 0; i < N; i++) {
#define Q(q) AT3(s, q, t, k, i, K, N)
                double p = Q(CRIT_SERIES_PRICE);
                if (!(p >= 0 && p <= md->pmax[k]))
                    fail("a price outside [0, Pmax]", t, k, i, p);
                /* the stockpiles' purchase ramps end below Pmax (an agent
                   buying at Pmax would take its purchase out of the
                   shortage; MODEL.md does not say who is rationed there),
                   and so do the firms' returns */
                const int32_t flows[] = {
                    CRIT_SERIES_PRODUCTION,    CRIT_SERIES_CONSUMPTION,
                    CRIT_SERIES_DEMAND,        CRIT_SERIES_SHORTAGE,
                    CRIT_SERIES_DISPOSAL,      CRIT_SERIES_IMPORTS,
                    CRIT_SERIES_EXPORTS,       CRIT_SERIES_STOCK_PURCHASE,
                    CRIT_SERIES_STOCK_RELEASE, CRIT_SERIES_QUOTA_RENT};
                for (size_t f = 0; f < sizeof flows / sizeof *flows; f++)
                    if (!(Q(flows[f]) >= 0))
                        fail("a negative market quantity", t, k, i, flows[f]);
                double bal =
                    Q(CRIT_SERIES_PRODUCTION) + Q(CRIT_SERIES_STOCK_RELEASE) -
                    Q(CRIT_SERIES_STOCK_PURCHASE) + Q(CRIT_SERIES_IMPORTS) -
                    Q(CRIT_SERIES_EXPORTS) + Q(CRIT_SERIES_SHORTAGE) -
                    Q(CRIT_SERIES_DISPOSAL) - Q(CRIT_SERIES_DEMAND);
                if (!(fabs(bal) <= opt.tolerance * V * (1 + 1e-6)))
                    fail("an economy out of balance", t, k, i, bal / V);
                if (!near(Q(CRIT_SERIES_CONSUMPTION),
                          Q(CRIT_SERIES_DEMAND) - Q(CRIT_SERIES_SHORTAGE),
                          Q(CRIT_SERIES_DEMAND)))
                    fail("consumption is not demand less shortage", t, k, i,
                         Q(CRIT_SERIES_CONSUMPTION));
#undef Q
            }
        }
}

static void check_stockpiles(const series_set *s, const model *md)
{
    size_t T = md->T, K = md->nk, S = md->ns, L = md->nl;
    for (size_t sp = 0; sp < S; sp++) {
        double cash = md->cash0[sp];
        for (size_t t = 0; t < T; t++) {
#define C(q) AT2(s, q, t, sp, S)
            double in[] = {C(CRIT_SERIES_FEES), C(CRIT_SERIES_SALES),
                           C(CRIT_SERIES_DRAW_PAYMENTS),
                           C(CRIT_SERIES_LOAN_DRAWS),
                           C(CRIT_SERIES_FUNDING_GAP)};
            double out[] = {C(CRIT_SERIES_PURCHASES), C(CRIT_SERIES_HOLDING),
                            C(CRIT_SERIES_REFUNDS),
                            C(CRIT_SERIES_DEBT_SERVICE)};
            double scale = fabs(cash);
            for (size_t q = 0; q < 5; q++) {
                if (!nonneg(in[q], cash + in[q]))
                    fail("a negative cash inflow", t, sp, q, in[q]);
                cash += in[q];
                scale += fabs(in[q]);
            }
            for (size_t q = 0; q < 4; q++) {
                /* debt service may be negative: a floating rate may be
                   (crit_loan_def allows rates above -1) */
                if (q != 3 && !nonneg(out[q], cash + out[q]))
                    fail("a negative cash outflow", t, sp, q, out[q]);
                cash -= out[q];
                scale += fabs(out[q]);
            }
            double closing = C(CRIT_SERIES_CASH);
            if (!near(closing, cash, scale))
                fail("stockpile cash not conserved", t, sp, 0, closing - cash);
            if (!nonneg(closing, scale))
                fail("stockpile cash below 0", t, sp, 0, closing);
            cash = closing;
            /* its loans' debt service and draws */
            double ds = 0, dr = 0, dscale = 0;
            for (size_t l = 0; l < L; l++) {
                if (md->loan_of[l] != sp)
                    continue;
                double i = AT2(s, CRIT_SERIES_LOAN_INTEREST, t, l, L);
                double p = AT2(s, CRIT_SERIES_LOAN_PRINCIPAL, t, l, L);
                double f = AT2(s, CRIT_SERIES_LOAN_FEES, t, l, L);
                ds += i + p + f;
                dscale += fabs(i) + fabs(p) + fabs(f);
                dr += AT2(s, CRIT_SERIES_LOAN_DRAWN, t, l, L);
            }
            if (!near(C(CRIT_SERIES_DEBT_SERVICE), ds, dscale))
                fail("debt service is not its loans'", t, sp, 0, ds);
            if (!near(C(CRIT_SERIES_LOAN_DRAWS), dr, dr))
                fail("loan draws are not its loans'", t, sp, 0, dr);
#undef C
        }
        for (size_t k = 0; k < K; k++) {
            double inv = md->inv0[sp][k], cap = md->cap[sp][k];
            for (size_t t = 0; t < T; t++) {
#define I(q) AT3(s, q, t, sp, k, S, K)
                if (!md->held[sp][k]) {
                    if (I(CRIT_SERIES_INVENTORY) != 0 ||
                        I(CRIT_SERIES_PURCHASED) != 0)
                        fail("a mineral not held has an inventory", t, sp, k,
                             I(CRIT_SERIES_INVENTORY));
                    continue;
                }
                double moves[] = {I(CRIT_SERIES_PURCHASED),
                                  I(CRIT_SERIES_RELEASED), I(CRIT_SERIES_LOST),
                                  I(CRIT_SERIES_DRAWN),
                                  I(CRIT_SERIES_REPLENISHED)};
                double scale = fabs(inv) + cap;
                for (size_t q = 0; q < 5; q++) {
                    if (!nonneg(moves[q], scale))
                        fail("a negative stockpile movement", t, sp, k,
                             moves[q]);
                    scale += fabs(moves[q]);
                }
                inv += moves[0] - moves[1] - moves[2] - moves[3] + moves[4];
                double closing = I(CRIT_SERIES_INVENTORY);
                if (!near(closing, inv, scale))
                    fail("inventory not conserved", t, sp, k, closing - inv);
                if (!nonneg(closing, scale) || !nonneg(cap - closing, scale))
                    fail("inventory outside [0, capacity]", t, sp, k, closing);
                if (!(I(CRIT_SERIES_TARGET) >= 0))
                    fail("a negative target", t, sp, k, I(CRIT_SERIES_TARGET));
                inv = closing;
#undef I
            }
        }
    }
    for (size_t l = 0; l < L; l++)
        for (size_t t = 0; t < T; t++) {
            double b = AT2(s, CRIT_SERIES_LOAN_BALANCE, t, l, L);
            if (!nonneg(b, md->commit[l]))
                fail("a negative loan balance", t, l, 0, b);
        }
}

static void check_totals(const series_set *s, const model *md)
{
    size_t T = md->T, K = md->nk, N = md->n, S = md->ns;
    for (size_t t = 0; t < T; t++) {
        double cfd = 0, cfd_scale = 0, levy = 0, gap = 0;
        for (size_t k = 0; k < K; k++)
            for (size_t i = 0; i < N; i++) {
                double paid = AT3(s, CRIT_SERIES_CFD_PAID, t, k, i, K, N);
                double got = AT3(s, CRIT_SERIES_CFD_RECEIVED, t, k, i, K, N);
                cfd += paid - got;
                cfd_scale += fabs(paid) + fabs(got);
                levy += AT3(s, CRIT_SERIES_LEVY_REVENUE, t, k, i, K, N);
            }
        for (size_t sp = 0; sp < S; sp++)
            gap += AT2(s, CRIT_SERIES_FUNDING_GAP, t, sp, S);
        double net = s->v[CRIT_SERIES_CFD_NET][t];
        double lt = s->v[CRIT_SERIES_LEVY_TOTAL][t];
        double prog = s->v[CRIT_SERIES_PROGRAMME_SPENDING][t];
        if (!near(net, cfd, cfd_scale))
            fail("CfD net is not payments less upside", t, 0, 0, net - cfd);
        if (!near(lt, levy, fabs(levy)))
            fail("levy total is not the levy revenue", t, 0, 0, lt - levy);
        if (!(prog >= 0))
            fail("negative programme spending", t, 0, 0, prog);
        double want = prog + net + gap - lt;
        if (!near(s->v[CRIT_SERIES_PUBLIC_COST][t], want,
                  fabs(prog) + fabs(net) + fabs(gap) + fabs(lt)))
            fail("public cost is not its parts", t, 0, 0,
                 s->v[CRIT_SERIES_PUBLIC_COST][t] - want);
    }
}

static void check_result(const crit_result *r, const crit_scenario *sc,
                         const model *md)
{
    size_t T, K, N, S, L;
    if (crit_result_dims(&T, &K, &N, &S, &L, r) != CRIT_OK || T != md->T ||
        K != md->nk || N != md->n || S != md->ns || L != md->nl)
        fail("a result of the wrong shape", T, K, N, (double)S);
    series_set s;
    read_all(&s, r);
    for (int32_t k = 0; k < CRIT_SERIES_COUNT; k++)
        for (size_t j = 0; j < s.len[k]; j++) {
            double v = s.v[k][j];
            /* cover is NaN where there is nothing to cover */
            int cover =
                k == CRIT_SERIES_COVER_DAYS || k == CRIT_SERIES_COVER_MONTHS;
            if (!(isfinite(v) || (cover && isnan(v))))
                fail("a value that is not finite", j, (size_t)k, 0, v);
        }
    check_markets(&s, md);
    check_stockpiles(&s, md);
    check_totals(&s, md);
    /* the same scenario runs to the same bits */
    crit_result *again = NULL;
    if (crit_scenario_run(&again, sc, NULL, NULL) != CRIT_OK)
        fail("a second run failed", 0, 0, 0, 0);
    series_set s2;
    read_all(&s2, again);
    for (int32_t k = 0; k < CRIT_SERIES_COUNT; k++)
        if (memcmp(s.v[k], s2.v[k], s.len[k] * sizeof(double)) != 0)
            fail("a second run gave other numbers", 0, (size_t)k, 0, 0);
    free_all(&s2);
    free_all(&s);
    crit_result_free(again);
}

static void build_world(reader *r, crit_world *w, model *md)
{
    for (size_t k = 0; k < md->nk; k++) {
        crit_mineral_def d;
        crit_mineral_def_init(&d);
        d.code = min_code[k];
        double p0 = magnitude(r, 0, 5);
        d.base_price_usd_per_t = p0 > 0 ? p0 : 1000;
        d.choke_price_usd_per_t =
            d.base_price_usd_per_t * (1.01 + magnitude(r, -2, 2));
        d.holding_cost_usd_per_t_yr =
            d.base_price_usd_per_t * magnitude(r, -4, -1);
        if (crit_world_add_mineral(w, &d) != CRIT_OK)
            fail("a mineral refused", 0, k, 0, d.base_price_usd_per_t);
        crit_world_mineral_get(&d, w, k);
        md->pmax[k] = d.choke_price_usd_per_t;
    }
    for (size_t i = 0; i < md->n; i++) {
        crit_economy_def e;
        crit_economy_def_init(&e);
        e.code = eco_code[i];
        e.member = i == 0 || (byte(r) & 1); /* E0 always a member */
        if (crit_world_add_economy(w, &e) != CRIT_OK)
            abort();
    }
    for (size_t k = 0; k < md->nk; k++) {
        const char *m = min_code[k];
        crit_mineral_def d;
        crit_mineral_def_init(&d);
        crit_world_mineral_get(&d, w, k);
        double p0 = d.base_price_usd_per_t;
        for (size_t i = 0; i < md->n; i++) {
            crit_curve_def c;
            crit_curve_def_init(&c);
            c.base_production_t_per_yr = magnitude(r, 0, 4);
            c.capacity_t_per_yr =
                c.base_production_t_per_yr * (1 + magnitude(r, -2, 1));
            c.supply_elasticity = magnitude(r, -2, 0.5);
            c.base_demand_t_per_yr = magnitude(r, 0, 4);
            c.demand_elasticity = magnitude(r, -2, 0.5);
            input(crit_world_set_curve(w, eco_code[i], m, &c));
            unsigned f = byte(r);
            if (f & 1)
                input(crit_world_set_export_quota(w, m, eco_code[i],
                                                  magnitude(r, 0, 4)));
            if (f & 2) {
                double specific = p0 * (unit(r) - 0.2);
                input(crit_world_set_export_tax(w, m, eco_code[i], specific,
                                                unit(r) * 0.3));
            }
        }
        for (size_t i = 0; i < md->n; i++)
            for (size_t j = 0; j < md->n; j++) {
                if (i == j)
                    continue;
                unsigned f = byte(r);
                input(crit_world_set_transport(w, m, eco_code[i], eco_code[j],
                                               p0 * magnitude(r, -4, 0)));
                if (f & 1) {
                    double specific = p0 * magnitude(r, -3, -0.5);
                    input(crit_world_set_tariff(w, m, eco_code[i], eco_code[j],
                                                specific, unit(r) * 0.5));
                }
                if (f & 2)
                    input(crit_world_set_export_ban(w, m, eco_code[i],
                                                    eco_code[j], 1));
            }
    }
}

/* A code among `codes` (count of them), or NULL on the extra value. */
static const char *pick(reader *r, const char *const *codes, size_t count)
{
    size_t k = byte(r) % (count + 1);
    return k < count ? codes[k] : NULL;
}

static void add_events(reader *r, crit_scenario *sc, const crit_world *w,
                       const model *md)
{
    size_t ne = byte(r) % 12;
    for (size_t e = 0; e < ne; e++) {
        crit_event_def ev;
        crit_event_def_init(&ev);
        ev.kind = (int32_t)(byte(r) % 15);
        ev.period = (int32_t)(byte(r) % md->T);
        ev.mineral = pick(r, min_code, md->nk);
        ev.economy = pick(r, eco_code, md->n);
        ev.partner = pick(r, eco_code, md->n);
        crit_mineral_def d;
        crit_mineral_def_init(&d);
        crit_world_mineral_get(&d, w, 0);
        double p0 = d.base_price_usd_per_t;
        switch (ev.kind) {
        case CRIT_EVENT_EXPORT_QUOTA:
            ev.value = magnitude(r, 0, 4);
            break;
        case CRIT_EVENT_EXPORT_TAX:
            ev.value = p0 * (unit(r) - 0.2);
            ev.value2 = unit(r) * 0.3;
            break;
        case CRIT_EVENT_OUTAGE:
            ev.value = unit(r);
            break;
        case CRIT_EVENT_DEMAND:
            ev.value = magnitude(r, -1, 1);
            break;
        case CRIT_EVENT_EXTERNAL_TARIFF:
            ev.value = p0 * magnitude(r, -3, 0);
            break;
        case CRIT_EVENT_REFERENCE_PRICE:
            ev.value = p0 * magnitude(r, -1, 1);
            break;
        case CRIT_EVENT_FLOOR:
            ev.value = p0 * magnitude(r, -1, 0.5);
            ev.value2 = unit(r);
            ev.value3 = unit(r);
            break;
        default:
            break;
        }
        /* a kind reads only its fields: the others must be NULL, and a
           refusal of the extra ones must explain itself too */
        if (byte(r) & 1) {
            int k = ev.kind;
            if (k != CRIT_EVENT_EXPORT_BAN && k != CRIT_EVENT_EXPORT_BAN_END)
                ev.partner = NULL;
            if (k == CRIT_EVENT_EXTERNAL_TARIFF ||
                k == CRIT_EVENT_REFERENCE_PRICE || k == CRIT_EVENT_DISRUPTION ||
                k == CRIT_EVENT_DISRUPTION_END)
                ev.economy = NULL;
        }
        input(crit_scenario_add_event(sc, &ev));
    }
}

static void add_policies(reader *r, crit_scenario *sc, crit_world *w,
                         const model *md)
{
    for (size_t k = 0; k < md->nk; k++) {
        unsigned f = byte(r);
        if (!(f & 1))
            continue;
        crit_policy *pol = NULL;
        if (crit_policy_new(&pol, w, min_code[k]) != CRIT_OK)
            abort();
        crit_mineral_def d;
        crit_mineral_def_init(&d);
        crit_world_mineral_get(&d, w, k);
        double p0 = d.base_price_usd_per_t;
        if (f & 2)
            input(
                crit_policy_set_external_tariff(pol, p0 * magnitude(r, -3, 0)));
        if (f & 4)
            input(
                crit_policy_set_reference_price(pol, p0 * magnitude(r, -1, 1)));
        if (f & 8) {
            crit_floor_def fd;
            crit_floor_def_init(&fd);
            fd.floor_usd_per_t = p0 * magnitude(r, -1, 0.5);
            fd.covered_share = unit(r);
            fd.upside_share = unit(r);
            input(crit_policy_set_floor(pol, eco_code[byte(r) % md->n], &fd));
        }
        input(crit_scenario_set_policy(sc, pol));
        crit_policy_free(pol);
    }
}

static void add_stockpiles(reader *r, crit_scenario *sc, const crit_world *w,
                           model *md)
{
    size_t want = byte(r) % (SMAX + 1);
    for (size_t s = 0; s < want; s++) {
        crit_stockpile_def d;
        crit_stockpile_def_init(&d);
        d.economy = eco_code[byte(r) % md->n];
        d.cash_usd = magnitude(r, 3, 9);
        crit_stockpile *sp = NULL;
        if (input(crit_stockpile_new(&sp, w, &d)) != CRIT_OK)
            continue;
        for (size_t k = 0; k < md->nk; k++) {
            if (!(byte(r) & 1))
                continue;
            crit_mineral_def mdef;
            crit_mineral_def_init(&mdef);
            crit_world_mineral_get(&mdef, w, k);
            double p0 = mdef.base_price_usd_per_t;
            crit_stockpile_mineral_def m;
            crit_stockpile_mineral_def_init(&m);
            m.mineral = min_code[k];
            m.capacity_t = magnitude(r, 0, 5);
            m.inventory_t = m.capacity_t * unit(r);
            m.minimum_t = m.capacity_t * unit(r) * 0.5;
            m.target_unit = (int32_t)(byte(r) % 3);
            m.target = m.target_unit == CRIT_TARGET_TONNES
                           ? m.capacity_t * unit(r)
                           : magnitude(r, -1, 2.5);
            m.acquisition_rate_t_per_yr = magnitude(r, -1, 5);
            m.release_rate_t_per_yr = magnitude(r, -1, 5);
            double sigma = magnitude(r, -3, 0);
            if (sigma > 0)
                m.smoothing = sigma;
            m.purchase_trigger_usd_per_t =
                purchase_trigger(md->pmax[k], m.smoothing, unit(r));
            m.release_trigger_usd_per_t =
                m.purchase_trigger_usd_per_t * (1 + magnitude(r, -3, 1)) +
                1e-9 * p0;
            m.emergency_trigger_usd_per_t = p0 * magnitude(r, -1, 1);
            m.loss_rate_per_yr = unit(r) * 0.2;
            input(crit_stockpile_add_mineral(sp, &m));
        }
        size_t np = byte(r) % 4;
        for (size_t q = 0; q < np; q++) {
            crit_participant_def p;
            crit_participant_def_init(&p);
            static const char *const names[] = {"p0", "p1", "p2", "p3"};
            p.name = names[q];
            p.kind = (int32_t)(byte(r) & 1);
            p.upfront_fee_usd = magnitude(r, 0, 7);
            p.annual_fee_usd_per_yr = magnitude(r, 0, 7);
            if (p.kind == CRIT_PARTICIPANT_FIRM) {
                p.mineral = pick(r, min_code, md->nk);
                p.demand_t_per_yr = magnitude(r, 0, 4);
                p.draw_right_t = magnitude(r, 0, 4);
                p.draw_rate_t_per_yr = magnitude(r, 0, 4);
                p.draw_price_usd_per_t = 1000 * magnitude(r, -1, 1);
                p.replenish_rate_t_per_yr = magnitude(r, 0, 4);
            }
            input(crit_stockpile_add_participant(NULL, sp, &p));
        }
        size_t index;
        if (input(crit_scenario_add_stockpile(&index, sc, sp)) == CRIT_OK) {
            size_t ns = md->ns++;
            md->cash0[ns] = crit_stockpile_cash(sp);
            for (size_t k = 0; k < md->nk; k++) {
                size_t slot;
                md->held[ns][k] = crit_stockpile_mineral_slot(
                                      &slot, sp, min_code[k]) == CRIT_OK;
                crit_error_clear();
                if (md->held[ns][k]) {
                    crit_stockpile_mineral_def m;
                    crit_stockpile_mineral_def_init(&m);
                    if (crit_stockpile_mineral_get(&m, sp, slot) != CRIT_OK)
                        abort();
                    md->inv0[ns][k] = m.inventory_t;
                    md->cap[ns][k] = m.capacity_t;
                }
            }
        }
        crit_stockpile_free(sp);
    }
}

static void add_loans(reader *r, crit_scenario *sc, crit_date start, model *md)
{
    size_t want = md->ns ? byte(r) % (LMAX + 1) : 0;
    for (size_t l = 0; l < want; l++) {
        crit_loan_def d;
        crit_loan_def_init(&d);
        d.commitment = magnitude(r, 4, 10);
        if (crit_date_add_months(&d.start, start, (int32_t)(byte(r) % 36) - 24,
                                 0) != CRIT_OK)
            abort();
        static const int32_t freq[] = {1, 2, 4, 12};
        d.frequency = freq[byte(r) % 4];
        int32_t years = 1 + (int32_t)(byte(r) % 20);
        int32_t periods = years * d.frequency;
        if (crit_date_add_months(&d.maturity, d.start, 12 * years, 0) !=
                CRIT_OK ||
            crit_date_add_months(&d.availability_end, d.start,
                                 (int32_t)(byte(r) % (12 * (unsigned)years)),
                                 0) != CRIT_OK)
            abort();
        d.day_count = (int32_t)(byte(r) % 4);
        crit_date cdates[3];
        double crates[3];
        unsigned f = byte(r);
        if (f & 1) { /* floating: a reference curve and a spread */
            d.curve_count = 1 + byte(r) % 3;
            for (size_t c = 0; c < d.curve_count; c++) {
                if (crit_date_add_months(&cdates[c], d.start,
                                         (int32_t)(12 * c + byte(r) % 12),
                                         0) != CRIT_OK)
                    abort();
                crates[c] = unit(r) * 0.12 - 0.01;
            }
            d.curve_dates = cdates;
            d.curve_rates = crates;
            d.spread = unit(r) * 0.03;
        } else
            d.fixed_rate = unit(r) * 0.15;
        d.amortisation = (int32_t)(byte(r) % 4);
        d.grace_mode = (int32_t)(byte(r) % 2);
        d.grace_periods = (int32_t)(byte(r) % (unsigned)periods);
        double profile[240];
        if (d.amortisation == CRIT_LOAN_SCULPTED) {
            d.profile_count = (size_t)(periods - d.grace_periods);
            for (size_t q = 0; q < d.profile_count; q++)
                profile[q] = 0.1 + unit(r);
            d.profile = profile;
        }
        d.upfront_fee_rate = unit(r) * 0.02;
        d.commitment_fee_rate = unit(r) * 0.01;
        crit_date ddates[2];
        double damounts[2];
        d.draw_count = byte(r) % 3;
        int32_t span = crit_date_days_between(d.start, d.availability_end);
        for (size_t q = 0; q < d.draw_count; q++) {
            int32_t at = span > 0 ? (int32_t)(unit(r) * span) : 0;
            if (crit_date_add_days(&ddates[q], d.start, at) != CRIT_OK)
                abort();
            damounts[q] = d.commitment * (0.01 + unit(r) * 0.4);
        }
        d.draw_dates = ddates;
        d.draw_amounts = damounts;
        crit_loan *loan = NULL;
        if (input(crit_loan_new(&loan, &d)) != CRIT_OK)
            continue;
        size_t sp = byte(r) % md->ns;
        if (input(crit_scenario_add_loan(NULL, sc, loan, sp)) == CRIT_OK) {
            md->commit[md->nl] = d.commitment;
            md->loan_of[md->nl++] = sp;
        }
        crit_loan_free(loan);
    }
}

static void add_programmes(reader *r, crit_scenario *sc, const model *md)
{
    size_t want = byte(r) % 3;
    for (size_t q = 0; q < want; q++) {
        crit_programme_def p;
        crit_programme_def_init(&p);
        p.economy = eco_code[byte(r) % md->n];
        p.mineral = min_code[byte(r) % md->nk];
        p.budget_usd = magnitude(r, 5, 10);
        p.capital_intensity_usd_per_t_per_yr = magnitude(r, 2, 6);
        p.lead_time_years = unit(r) * 5;
        p.start_period = (int32_t)(byte(r) % md->T);
        input(crit_scenario_add_programme(sc, &p));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t base_blocks = live_at_start();
    reader r = {data, size};
    model md;
    memset(&md, 0, sizeof md);
    md.n = 2 + byte(&r) % (NMAX - 1);
    md.nk = 1 + byte(&r) % KMAX;
    crit_world *w = NULL;
    crit_scenario *sc = NULL;
    crit_result *res = NULL;
    if (crit_world_new(&w) != CRIT_OK)
        abort();
    build_world(&r, w, &md);
    crit_scenario_def def;
    crit_scenario_def_init(&def);
    /* the bytes read in order, not as arguments (whose order C leaves
       open: gcc and clang would build different scenarios) */
    int32_t year = 2020 + (int32_t)(byte(&r) % 20);
    int32_t month = 1 + (int32_t)(byte(&r) % 12);
    int32_t day = 1 + (int32_t)(byte(&r) % 28);
    if (crit_date_from_ymd(&def.start, year, month, day) != CRIT_OK)
        abort();
    static const int32_t months[] = {1, 2, 3, 4, 6, 12};
    def.periods = 1 + (int32_t)(byte(&r) % 36);
    def.months_per_period = months[byte(&r) % 6];
    def.disruption_from_restrictions = (int32_t)(byte(&r) & 1);
    md.T = (size_t)def.periods;
    if (crit_scenario_new(&sc, w, &def) != CRIT_OK)
        fail("a scenario refused", 0, 0, 0, def.periods);
    add_policies(&r, sc, w, &md);
    add_events(&r, sc, w, &md);
    add_stockpiles(&r, sc, w, &md);
    add_loans(&r, sc, def.start, &md);
    add_programmes(&r, sc, &md);
    /* a cycling solve must stop at the cap, not run the fuzzer dry */
    crit_market_options opt;
    crit_market_options_init(&opt);
    opt.max_iterations = 20000;
    input(crit_scenario_set_market_options(sc, &opt));
    int rc = crit_scenario_run(&res, sc, NULL, NULL);
    if (rc != CRIT_OK) {
        if (res != NULL || crit_error_last()[0] == '\0')
            fail("a failed run without a message, or with a result", 0, 0, 0,
                 rc);
    } else
        check_result(res, sc, &md);
    crit_result_free(res);
    crit_scenario_free(sc);
    crit_world_free(w);
    crit_error_clear();
    if (crit_allocator_live_blocks() != base_blocks)
        fail("blocks left allocated", 0, 0, 0,
             (double)(crit_allocator_live_blocks() - base_blocks));
    return 0;
}

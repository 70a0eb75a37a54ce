/*
 * libFuzzer target: the market solver, through the public API. The bytes
 * build a world of one to eight economies (curves over many orders of
 * magnitude, zero and fixed ones among them, route costs down to nothing,
 * tariffs, bans, quotas, export taxes and subsidies), a policy (external
 * tariff, reference price, floors), stockpile agents, and solve it cold,
 * then warm after a change of demand. Every input the library refuses
 * must explain itself. A solve that succeeds must report a residual
 * within the tolerance and results that keep the model's balance, bounds
 * and signs (checked here from the reported quantities); one that fails
 * must explain itself and hold no solution. Nothing may stay allocated.
 */
#include <crit.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_bytes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { NMAX = 8 };

/* Say which property broke, then crash (the fuzzer keeps the input). */
static void fail(const char *what, size_t i, double v)
{
    fprintf(stderr, "fuzz_market: %s (economy %zu, %.17g): %s\n", what, i, v,
            crit_error_last());
    abort();
}

/* A refused input must say why; an accepted one leaves no message. */
static void input(int rc)
{
    if (rc != CRIT_OK && crit_error_last()[0] == '\0')
        fail("an input refused without a message", 0, rc);
    crit_error_clear();
}

static const char *code(size_t i)
{
    static const char *codes[NMAX] = {"E0", "E1", "E2", "E3",
                                      "E4", "E5", "E6", "E7"};
    return codes[i];
}

/*
 * After a solve: a success holds the residual and every balance within
 * the tolerance, prices within [0, Pmax] and no negative quantity; a
 * failure has a message and no solution.
 */
static void check_solve(int rc, crit_market *m, size_t n, double pmax,
                        size_t agents, const size_t *ag_eco)
{
    if (rc != CRIT_OK) {
        if (crit_error_last()[0] == '\0' || crit_market_solved(m))
            fail("a failed solve without a message, or with a solution", 0, rc);
        crit_error_clear();
        return;
    }
    crit_market_info info;
    crit_market_info_init(&info);
    crit_market_options opt;
    crit_market_options_init(&opt);
    if (crit_market_info_get(&info, m) != CRIT_OK ||
        !(info.residual <= opt.tolerance))
        fail("a solve's residual above the tolerance", 0, info.residual);
    /* every quantity but the surplus changes (those need a reference) */
    double q[CRIT_MARKET_QUANTITY_COUNT][NMAX];
    for (int32_t k = 0; k < CRIT_MARKET_CONSUMER_SURPLUS_CHANGE; k++)
        if (crit_market_values(q[k], n, m, k) != CRIT_OK)
            fail("a solved quantity not readable", 0, k);
    double V = 0, alt = 0;
    for (size_t i = 0; i < n; i++) {
        V += q[CRIT_MARKET_DEMAND][i];
        alt += q[CRIT_MARKET_PRODUCTION][i] + q[CRIT_MARKET_STOCK_RELEASE][i];
    }
    if (!(V > 0))
        V = alt > 0 ? alt : 1;
    for (size_t i = 0; i < n; i++) {
        double p = q[CRIT_MARKET_PRICE][i];
        if (!(p >= 0 && p <= pmax))
            fail("a price outside [0, Pmax]", i, p);
        const int32_t signed_ok[] = {
            CRIT_MARKET_PRODUCTION,    CRIT_MARKET_DEMAND,
            CRIT_MARKET_CONSUMPTION,   CRIT_MARKET_SHORTAGE,
            CRIT_MARKET_DISPOSAL,      CRIT_MARKET_IMPORTS,
            CRIT_MARKET_EXPORTS,       CRIT_MARKET_STOCK_PURCHASE,
            CRIT_MARKET_STOCK_RELEASE, CRIT_MARKET_QUOTA_RENT};
        for (size_t k = 0; k < sizeof signed_ok / sizeof *signed_ok; k++)
            if (!(q[signed_ok[k]][i] >= 0))
                fail("a negative quantity", i, signed_ok[k]);
        double bal =
            q[CRIT_MARKET_PRODUCTION][i] + q[CRIT_MARKET_STOCK_RELEASE][i] -
            q[CRIT_MARKET_STOCK_PURCHASE][i] + q[CRIT_MARKET_IMPORTS][i] -
            q[CRIT_MARKET_EXPORTS][i] + q[CRIT_MARKET_SHORTAGE][i] -
            q[CRIT_MARKET_DISPOSAL][i] - q[CRIT_MARKET_DEMAND][i];
        /* the reported residual rounds its sums the same way: allow a
           few units in the last place of the largest term */
        if (!(fabs(bal) <= opt.tolerance * V * (1 + 1e-6)))
            fail("a balance off by more than the tolerance", i, bal / V);
    }
    /* each economy's purchase and release are its agents' (rationed at
       the choke price or not) */
    double buy[NMAX] = {0}, rel[NMAX] = {0};
    for (size_t k = 0; k < agents; k++) {
        double b, l;
        if (crit_market_agent_result(&b, &l, m, k) != CRIT_OK ||
            !(b >= 0 && l >= 0))
            fail("an agent's result unreadable or negative", ag_eco[k], b);
        buy[ag_eco[k]] += b;
        rel[ag_eco[k]] += l;
    }
    for (size_t i = 0; i < n; i++) {
        double qb = q[CRIT_MARKET_STOCK_PURCHASE][i];
        double ql = q[CRIT_MARKET_STOCK_RELEASE][i];
        if (!(fabs(buy[i] - qb) <= 1e-12 * fmax(buy[i], qb)))
            fail("agents' purchases not the economy's", i, buy[i] - qb);
        if (!(fabs(rel[i] - ql) <= 1e-12 * fmax(rel[i], ql)))
            fail("agents' releases not the economy's", i, rel[i] - ql);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t base_blocks = live_at_start();
    reader r = {data, size};
    size_t n = 1 + byte(&r) % NMAX;
    crit_world *w = NULL;
    crit_policy *pol = NULL;
    crit_market *m = NULL;
    if (crit_world_new(&w) != CRIT_OK)
        abort();
    crit_mineral_def md;
    crit_mineral_def_init(&md);
    md.code = "X";
    double p0 = magnitude(&r, -2, 6);
    md.base_price_usd_per_t = p0 > 0 ? p0 : 1000;
    double pmax = md.base_price_usd_per_t * magnitude(&r, 0.001, 3);
    md.choke_price_usd_per_t = pmax > 0 ? pmax : 0;
    if (crit_world_add_mineral(w, &md) != CRIT_OK) {
        input(CRIT_EINVAL);
        goto out;
    }
    crit_world_mineral_get(&md, w, 0);
    pmax = md.choke_price_usd_per_t;
    p0 = md.base_price_usd_per_t;
    double scale = magnitude(&r, -4, 8);
    for (size_t i = 0; i < n; i++) {
        crit_economy_def ed;
        crit_economy_def_init(&ed);
        ed.code = code(i);
        ed.member = byte(&r) & 1;
        if (crit_world_add_economy(w, &ed) != CRIT_OK)
            abort();
        crit_curve_def c;
        crit_curve_def_init(&c);
        c.base_production_t_per_yr = scale * magnitude(&r, -4, 4);
        c.capacity_t_per_yr = c.base_production_t_per_yr * magnitude(&r, 0, 2);
        c.supply_elasticity = magnitude(&r, -2, 0.8);
        c.base_demand_t_per_yr = scale * magnitude(&r, -4, 4);
        c.demand_elasticity = magnitude(&r, -2, 0.8);
        input(crit_world_set_curve(w, code(i), "X", &c));
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            if (i == j)
                continue;
            unsigned f = byte(&r);
            input(crit_world_set_transport(w, "X", code(i), code(j),
                                           p0 * magnitude(&r, -8, 1)));
            if (f & 1) { /* the bytes read in order, not as arguments */
                double specific = p0 * magnitude(&r, -6, 0);
                input(crit_world_set_tariff(w, "X", code(i), code(j), specific,
                                            unit(&r)));
            }
            if (f & 2)
                input(crit_world_set_export_ban(w, "X", code(i), code(j), 1));
            if (f & 4)
                input(crit_world_set_import_ban(w, "X", code(j), code(i), 1));
        }
    if (crit_policy_new(&pol, w, "X") != CRIT_OK)
        abort();
    size_t agents = 0;
    crit_market_agent_def ag[NMAX];
    size_t ag_eco[NMAX];
    for (size_t i = 0; i < n; i++) {
        unsigned f = byte(&r);
        if (f & 1)
            input(crit_world_set_export_tax(w, "X", code(i),
                                            (unit(&r) - 0.5) * p0, 0));
        if (f & 2)
            input(crit_world_set_export_quota(w, "X", code(i),
                                              scale * magnitude(&r, -6, 4)));
        if (f & 4) {
            crit_floor_def fd;
            crit_floor_def_init(&fd);
            fd.floor_usd_per_t = p0 * magnitude(&r, -2, 1);
            fd.covered_share = unit(&r);
            fd.upside_share = unit(&r);
            input(crit_policy_set_floor(pol, code(i), &fd));
        }
        if (f & 8) {
            crit_market_agent_def *d = &ag[agents];
            crit_market_agent_def_init(d);
            double s = scale * magnitude(&r, -4, 4);
            d->capacity_t = 3 * s;
            d->inventory_t = 3 * s * unit(&r);
            d->minimum_t = s * unit(&r);
            d->target_t = 3 * s * unit(&r);
            d->acquisition_rate_t_per_yr = s * magnitude(&r, -3, 2);
            d->release_rate_t_per_yr = s * magnitude(&r, -3, 2);
            d->smoothing = magnitude(&r, -3, 0);
            d->purchase_trigger_usd_per_t =
                purchase_trigger(pmax, d->smoothing, unit(&r));
            d->release_trigger_usd_per_t =
                d->purchase_trigger_usd_per_t * (1 + magnitude(&r, -4, 1));
            d->cash_usd = s * p0 * magnitude(&r, -2, 1);
            ag_eco[agents++] = i;
        }
    }
    unsigned f = byte(&r);
    if (f & 1)
        input(
            crit_policy_set_external_tariff(pol, p0 * magnitude(&r, -4, 0.5)));
    if (f & 2)
        input(crit_policy_set_reference_price(pol, p0 * magnitude(&r, -1, 1)));
    if (crit_market_new(&m, w, "X") != CRIT_OK)
        abort();
    input(crit_market_set_policy(m, pol));
    const double years[] = {1.0 / 365, 1.0 / 12, 1, 5};
    input(crit_market_set_period_length(m, years[byte(&r) % 4]));
    double level[NMAX], avail[NMAX];
    for (size_t i = 0; i < n; i++) {
        level[i] = magnitude(&r, -2, 2);
        avail[i] = unit(&r) < 0.8 ? 1 : unit(&r);
    }
    input(crit_market_set_demand_level(m, level, n));
    input(crit_market_set_availability(m, avail, n));
    size_t added = 0, added_eco[NMAX]; /* the agents the market took */
    for (size_t k = 0; k < agents; k++) {
        int rc = crit_market_add_agent(NULL, m, code(ag_eco[k]), &ag[k]);
        if (rc == CRIT_OK)
            added_eco[added++] = ag_eco[k];
        input(rc);
    }
    /* a cycling solve must stop at the cap, not run the fuzzer dry */
    crit_market_options opt;
    crit_market_options_init(&opt);
    opt.max_iterations = 20000;
    input(crit_market_set_options(m, &opt));
    check_solve(crit_market_solve(m), m, n, pmax, added, added_eco);
    for (size_t i = 0; i < n; i++)
        level[i] *= magnitude(&r, -0.3, 0.3);
    input(crit_market_set_demand_level(m, level, n));
    check_solve(crit_market_solve(m), m, n, pmax, added, added_eco);
out:
    crit_market_free(m);
    crit_policy_free(pol);
    crit_world_free(w);
    crit_error_clear();
    if (crit_allocator_live_blocks() != base_blocks)
        fail("blocks left allocated", 0,
             (double)(crit_allocator_live_blocks() - base_blocks));
    return 0;
}

/*
 * The market's API: lifetime, workspace, inputs and their validation, and
 * the results. The solver is in market_solve.c.
 */
#include "market_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define INFO_V1 CRIT__SIZE_TO(crit_market_info, period_years)

static const char *const quantity_names[CRIT_MARKET_QUANTITY_COUNT] = {
    "price",
    "production",
    "consumption",
    "demand",
    "shortage",
    "disposal",
    "imports",
    "exports",
    "stock_purchase",
    "stock_release",
    "tariff_revenue",
    "export_tax_revenue",
    "quota_rent",
    "quota_rent_revenue",
    "cfd_paid",
    "cfd_received",
    "levy_revenue",
    "consumer_surplus_change",
    "producer_surplus_change",
};

void crit_market_options_init(crit_market_options *opt)
{
    if (!opt)
        return;
    memset(opt, 0, sizeof *opt);
    opt->size = sizeof *opt;
    opt->tolerance = 1e-9;
    opt->max_iterations = 100000;
    opt->warm_start = 1;
}

void crit_market_agent_def_init(crit_market_agent_def *def)
{
    if (!def)
        return;
    memset(def, 0, sizeof *def);
    def->size = sizeof *def;
    def->smoothing = 0.05;
}

void crit_market_info_init(crit_market_info *info)
{
    if (!info)
        return;
    memset(info, 0, sizeof *info);
    info->size = sizeof *info;
}

const char *crit_market_quantity_name(int32_t quantity)
{
    if (quantity < 0 || quantity >= CRIT_MARKET_QUANTITY_COUNT)
        return NULL;
    return quantity_names[quantity];
}

static const char *mcode(const crit_market *m)
{
    return m->world->min[m->mineral].code;
}

/* ---- the workspace ------------------------------------------------------ */

/* Carve aligned arrays out of one block: a first pass with base NULL
 * measures, a second assigns. */
typedef struct carver {
    unsigned char *base;
    size_t used;
    int overflow;
} carver;

static void *carve(carver *c, size_t count, size_t elem)
{
    size_t bytes = crit__mul_size(count ? count : 1, elem);
    if (bytes == 0 || c->used > ((size_t)-1) - bytes - 16) {
        c->overflow = 1;
        return NULL;
    }
    size_t at = (c->used + 7) & ~(size_t)7;
    c->used = at + bytes;
    return c->base ? c->base + at : NULL;
}

/* Point every workspace array of `m` into a block for n economies. */
static void layout(crit_market *m, carver *c, size_t n)
{
    size_t nm = 2 * n + 1, nn = crit__mul_size(n, n);
    if (n && nn == 0)
        c->overflow = 1;
    double **dn[] = {&m->avail, &m->level, &m->ref_price, &m->cs0,  &m->cK,
                     &m->ceta,  &m->cd0,   &m->ceps,      &m->ca,   &m->cg,
                     &m->fF,    &m->fth,   &m->fphi,      &m->qdt,  &m->lp,
                     &m->lE,    &m->ldE,   &m->lgr,       &m->ld2E, &m->ep,
                     &m->eS,    &m->eD,    &m->eB,        &m->eR,   &m->cav,
                     &m->cdd,   &m->bp,    &m->bX,        &m->bD,   &m->c5};
    for (size_t k = 0; k < sizeof dn / sizeof *dn; k++)
        *dn[k] = carve(c, n, sizeof(double));
    int32_t **in[] = {&m->outnode, &m->agent_head, &m->warm_outnode};
    for (size_t k = 0; k < sizeof in / sizeof *in; k++)
        *in[k] = carve(c, n, sizeof(int32_t));
    m->member = carve(c, n, 1);
    m->kS = carve(c, crit__mul_size(n, 4), sizeof(double));
    m->kD = carve(c, crit__mul_size(n, 4), sizeof(double));
    m->kSa = carve(c, n, sizeof(double));
    m->kDa = carve(c, n, sizeof(double));
    m->gate = carve(c, n, 1);
    m->plain = carve(c, n, 1);
    m->warm_gate = carve(c, n, 1);
    double **dm[] = {&m->p,      &m->Et,    &m->off,   &m->acc,  &m->fix,
                     &m->warm_p, &m->fflow, &m->fcost, &m->fcap, &m->tX,
                     &m->tv,     &m->rmin,  &m->hv,    &m->hp,   &m->tviol,
                     &m->sA,     &m->sB,    &m->sD,    &m->sG,   &m->sF,
                     &m->somin,  &m->somax};
    for (size_t k = 0; k < sizeof dm / sizeof *dm; k++)
        *dm[k] = carve(c, nm, sizeof(double));
    int32_t **im[] = {&m->node_econ, &m->root,  &m->parent_arc, &m->order,
                      &m->ftail,     &m->fhead, &m->tr,         &m->nxt,
                      &m->thead,     &m->ttail, &m->tanc,       &m->rarg,
                      &m->alive,     &m->apos,  &m->pdeg,       &m->pxor,
                      &m->hs};
    for (size_t k = 0; k < sizeof im / sizeof *im; k++)
        *im[k] = carve(c, nm, sizeof(int32_t));
    m->tfar = carve(c, nm, 1);
    m->tdirty = carve(c, nm, 1);
    m->tvid = carve(c, nm, sizeof(size_t));
    size_t pairs = crit__mul_size(nm, nm);
    if (pairs == 0)
        c->overflow = 1;
    m->pm = carve(c, pairs, sizeof(double));
    m->pu = carve(c, pairs, sizeof(int32_t));
    m->ph = carve(c, pairs, sizeof(int32_t));
    m->adj_off = carve(c, nm + 1, sizeof(int32_t));
    m->tree_start = carve(c, nm + 1, sizeof(int32_t));
    m->anchor = carve(c, nm + 1, sizeof(int32_t));
    m->adj = carve(c, 2 * nm, sizeof(int32_t));
    m->mark = carve(c, nm, 1);
    m->farc = carve(c, nm, sizeof(size_t));
    m->warm_farc = carve(c, nm, sizeof(size_t));
    m->lin_p = carve(c, nm, sizeof(double));
    m->lin_farc = carve(c, nm, sizeof(size_t));
    m->lin_gate = carve(c, n, 1);
    m->lin_at = carve(c, n, sizeof(double));
    m->flow_ids = carve(c, nm, sizeof(size_t));
    m->cost = carve(c, nn, sizeof(double));
    m->flow = carve(c, nn, sizeof(double));
    m->res =
        carve(c, crit__mul_size(n, CRIT_MARKET_QUANTITY_COUNT), sizeof(double));
}

/* Allocate a workspace for n economies into `m` (pointers only). */
static int workspace_alloc(crit_market *m, size_t n)
{
    if (n > (size_t)INT32_MAX / 4)
        return crit__error(CRIT_EINVAL,
                           "market: %zu economies are too many for one "
                           "market",
                           n);
    carver c = {0};
    layout(m, &c, n);
    if (c.overflow)
        return crit__error_oom();
    void *b = crit__calloc(1, c.used);
    if (!b)
        return crit__error_oom();
    c.base = b;
    c.used = 0;
    layout(m, &c, n);
    m->block = b;
    m->n = n;
    m->nflow = 0; /* the new flow matrix is zero */
    for (size_t i = 0; i < n; i++) {
        m->avail[i] = m->level[i] = 1;
        m->kSa[i] = m->kDa[i] = NAN; /* no series' coefficients yet */
    }
    return CRIT_OK;
}

int crit_market_new(crit_market **out, const crit_world *world,
                    const char *mineral)
{
    if (!out || !world)
        return crit__error(CRIT_EINVAL, "market: NULL argument");
    size_t k;
    int rc = crit__world_find_mineral(&k, world, mineral);
    if (rc)
        return rc;
    crit_market *m = crit__calloc(1, sizeof *m);
    if (!m)
        return crit__error_oom();
    if ((rc = workspace_alloc(m, world->n_eco))) {
        crit__free(m);
        return rc;
    }
    m->world = crit__world_ref(world);
    m->mineral = k;
    m->dt = 1.0 / 12;
    crit_market_options_init(&m->opt);
    *out = m;
    return CRIT_OK;
}

void crit_market_free(crit_market *market)
{
    if (!market)
        return;
    crit__policy_unref(market->policy);
    crit__world_unref(market->world);
    crit__free(market->agent);
    crit__free(market->block);
    crit__free(market);
}

int crit_market_resize(crit_market *market)
{
    if (!market)
        return crit__error(CRIT_EINVAL, "market resize: market is NULL");
    size_t n = market->world->n_eco, old = market->n;
    crit_market tmp = *market;
    int rc = workspace_alloc(&tmp, n);
    if (rc)
        return rc;
    size_t keep = old < n ? old : n;
    memcpy(tmp.avail, market->avail, keep * sizeof(double));
    memcpy(tmp.level, market->level, keep * sizeof(double));
    crit__free(market->block);
    *market = tmp;
    market->has_ref = 0;
    market->warm_valid = 0;
    market->solved = 0;
    market->cost_ok = 0; /* a new cost matrix */
    market->trees_ok = 0;
    return CRIT_OK;
}

size_t crit_market_economy_count(const crit_market *market)
{
    return market ? market->n : 0;
}

/* ---- inputs ------------------------------------------------------------- */

int crit__market_options_read(crit_market_options *out,
                              const crit_market_options *opt, const char *who)
{
    crit_market_options o;
    crit_market_options_init(&o);
    if (opt) {
        int rc = crit__take_struct(&o, opt, CRIT__MARKET_OPTIONS_V1, sizeof o,
                                   "market options");
        if (rc)
            return rc;
    }
    if (!(o.tolerance >= 1e-14 && o.tolerance < 1))
        return crit__error(CRIT_EINVAL,
                           "%s options: tolerance %g must be in [1e-14, 1)",
                           who, o.tolerance);
    if (o.max_iterations < 1)
        return crit__error(CRIT_EINVAL,
                           "%s options: max_iterations %d must be at least 1",
                           who, (int)o.max_iterations);
    if (o.warm_start != 0 && o.warm_start != 1)
        return crit__error(CRIT_EINVAL,
                           "%s options: warm_start %d is not 0 or 1", who,
                           (int)o.warm_start);
    *out = o;
    return CRIT_OK;
}

int crit_market_set_options(crit_market *market, const crit_market_options *opt)
{
    if (!market)
        return crit__error(CRIT_EINVAL, "market options: market is NULL");
    char who[64];
    snprintf(who, sizeof who, "market '%s'", mcode(market));
    return crit__market_options_read(&market->opt, opt, who);
}

int crit_market_set_policy(crit_market *market, const crit_policy *policy)
{
    if (!market)
        return crit__error(CRIT_EINVAL, "market policy: market is NULL");
    if (policy &&
        (policy->world != market->world || policy->mineral != market->mineral))
        return crit__error(CRIT_EINVAL,
                           "market '%s': the policy belongs to another world "
                           "or mineral",
                           mcode(market));
    if (policy)
        crit__policy_ref(policy);
    crit__policy_unref(market->policy);
    market->policy = (crit_policy *)policy;
    market->solved = 0;
    return CRIT_OK;
}

int crit_market_set_period_length(crit_market *market, double years)
{
    if (!market)
        return crit__error(CRIT_EINVAL, "market period: market is NULL");
    if (!(years > 0 && years <= 100))
        return crit__error(CRIT_EINVAL,
                           "market '%s': period length %g years must be in "
                           "(0, 100]",
                           mcode(market), years);
    market->dt = years;
    market->solved = 0;
    return CRIT_OK;
}

/* Validate then copy a per-economy array; `what` names it. */
static int set_per_economy(crit_market *m, double *dst, const double *src,
                           size_t n, double lo, int lo_open, double hi,
                           const char *what)
{
    if (src) {
        if (n != m->n)
            return crit__error(CRIT_EINVAL,
                               "market '%s': %s has %zu values for %zu "
                               "economies",
                               mcode(m), what, n, m->n);
        for (size_t i = 0; i < n; i++) {
            double v = src[i];
            int ok = isfinite(v) && (lo_open ? v > lo : v >= lo) && v <= hi;
            if (!ok)
                return crit__error(
                    CRIT_EINVAL,
                    "market '%s' economy '%s': %s %g must be in %s%g, %g]",
                    mcode(m), i < m->world->n_eco ? m->world->eco[i].code : "?",
                    what, v, lo_open ? "(" : "[", lo, hi);
        }
    }
    for (size_t i = 0; i < m->n; i++)
        dst[i] = src ? src[i] : 1;
    m->solved = 0;
    return CRIT_OK;
}

int crit_market_set_availability(crit_market *market,
                                 const double *availability, size_t n)
{
    if (!market)
        return crit__error(CRIT_EINVAL, "market availability: market is NULL");
    return set_per_economy(market, market->avail, availability, n, 0, 0, 1,
                           "availability");
}

int crit_market_set_demand_level(crit_market *market, const double *level,
                                 size_t n)
{
    if (!market)
        return crit__error(CRIT_EINVAL, "market demand level: market is NULL");
    return set_per_economy(market, market->level, level, n, 0, 1,
                           CRIT__MAX_DEMAND_LEVEL, "demand level");
}

/* ---- agents -------------------------------------------------------------- */

static int check_agent(const crit_market *m, const char *eco,
                       const crit_market_agent_def *d)
{
    int rc = crit__check_struct_size(d, CRIT__AGENT_DEF_V1, sizeof *d,
                                     "stockpile agent definition");
    if (rc)
        return rc;
    struct {
        double v;
        const char *name;
    } f[] = {
        {d->inventory_t, "inventory"},
        {d->capacity_t, "capacity"},
        {d->minimum_t, "minimum"},
        {d->target_t, "target"},
        {d->acquisition_rate_t_per_yr, "acquisition rate"},
        {d->release_rate_t_per_yr, "release rate"},
        {d->purchase_trigger_usd_per_t, "purchase trigger"},
        {d->release_trigger_usd_per_t, "release trigger"},
        {d->cash_usd, "cash"},
    };
    for (size_t k = 0; k < sizeof f / sizeof *f; k++)
        if (!isfinite(f[k].v) || f[k].v < 0)
            return crit__error(CRIT_EINVAL,
                               "stockpile agent at economy '%s' mineral '%s': "
                               "%s %g must be finite and >= 0",
                               eco, mcode(m), f[k].name, f[k].v);
    if (!(isfinite(d->smoothing) && d->smoothing > 0))
        return crit__error(CRIT_EINVAL,
                           "stockpile agent at economy '%s' mineral '%s': "
                           "smoothing %g must be finite and > 0",
                           eco, mcode(m), d->smoothing);
    const char *over = d->inventory_t > d->capacity_t ? "inventory"
                       : d->minimum_t > d->capacity_t ? "minimum"
                       : d->target_t > d->capacity_t  ? "target"
                                                      : NULL;
    if (over)
        return crit__error(CRIT_EINVAL,
                           "stockpile agent at economy '%s' mineral '%s': %s "
                           "is above the capacity %g",
                           eco, mcode(m), over, d->capacity_t);
    if (!(d->release_trigger_usd_per_t > d->purchase_trigger_usd_per_t))
        return crit__error(CRIT_EINVAL,
                           "stockpile agent at economy '%s' mineral '%s': "
                           "release trigger %g must be above the purchase "
                           "trigger %g",
                           eco, mcode(m), d->release_trigger_usd_per_t,
                           d->purchase_trigger_usd_per_t);
    return CRIT_OK;
}

static void agent_store(crit__agent *a, size_t eco,
                        const crit_market_agent_def *d)
{
    a->eco = eco;
    a->I = d->inventory_t;
    a->Imax = d->capacity_t;
    a->Imin = d->minimum_t;
    a->Itarget = d->target_t;
    a->amax = d->acquisition_rate_t_per_yr;
    a->gmax = d->release_rate_t_per_yr;
    a->B = d->purchase_trigger_usd_per_t;
    a->T = d->release_trigger_usd_per_t;
    a->sigma = d->smoothing;
    a->cash = d->cash_usd;
}

/* Grow the agents' block (agents, results, list links) to hold one more. */
static int agents_reserve(crit_market *m)
{
    if (m->n_agent < m->cap_agent)
        return CRIT_OK;
    size_t cap = m->cap_agent ? 2 * m->cap_agent : 4;
    size_t per = sizeof(crit__agent) + 2 * sizeof(double) + sizeof(int32_t);
    size_t bytes = crit__mul_size(cap, per);
    unsigned char *b = bytes ? crit__calloc(1, bytes) : NULL;
    if (!b)
        return crit__error_oom();
    crit__agent *ag = (crit__agent *)b;
    double *buy = (double *)(ag + cap);
    double *rel = buy + cap;
    int32_t *next = (int32_t *)(rel + cap);
    if (m->n_agent) {
        memcpy(ag, m->agent, m->n_agent * sizeof *ag);
        memcpy(buy, m->agent_buy, m->n_agent * sizeof *buy);
        memcpy(rel, m->agent_rel, m->n_agent * sizeof *rel);
    }
    crit__free(m->agent);
    m->agent = ag;
    m->agent_buy = buy;
    m->agent_rel = rel;
    m->agent_next = next;
    m->cap_agent = cap;
    return CRIT_OK;
}

int crit_market_add_agent(size_t *out_index, crit_market *market,
                          const char *economy, const crit_market_agent_def *def)
{
    if (!market || !def)
        return crit__error(CRIT_EINVAL, "add agent: NULL argument");
    size_t i;
    int rc = crit__world_find_economy(&i, market->world, economy);
    if (rc || (rc = check_agent(market, economy, def)))
        return rc;
    if (i >= market->n)
        return crit__error(CRIT_ESTATE,
                           "market '%s': economy '%s' joined the world after "
                           "the market was sized (call crit_market_resize)",
                           mcode(market), economy);
    if ((rc = agents_reserve(market)))
        return rc;
    agent_store(&market->agent[market->n_agent], i, def);
    if (out_index)
        *out_index = market->n_agent;
    market->n_agent++;
    market->solved = 0;
    return CRIT_OK;
}

int crit_market_set_agent(crit_market *market, size_t index,
                          const crit_market_agent_def *def)
{
    if (!market || !def)
        return crit__error(CRIT_EINVAL, "set agent: NULL argument");
    if (index >= market->n_agent)
        return crit__error(CRIT_ERANGE,
                           "market '%s': agent %zu is out of range (%zu "
                           "agents)",
                           mcode(market), index, market->n_agent);
    size_t eco = market->agent[index].eco;
    int rc = check_agent(market, market->world->eco[eco].code, def);
    if (rc)
        return rc;
    agent_store(&market->agent[index], eco, def);
    market->solved = 0;
    return CRIT_OK;
}

int crit_market_clear_agents(crit_market *market)
{
    if (!market)
        return crit__error(CRIT_EINVAL, "clear agents: market is NULL");
    market->n_agent = 0;
    market->solved = 0;
    return CRIT_OK;
}

size_t crit_market_agent_count(const crit_market *market)
{
    return market ? market->n_agent : 0;
}

/* ---- reference ----------------------------------------------------------- */

int crit_market_set_reference_prices(crit_market *market, const double *prices,
                                     size_t n)
{
    if (!market || !prices)
        return crit__error(CRIT_EINVAL, "reference prices: NULL argument");
    if (n != market->n)
        return crit__error(CRIT_EINVAL,
                           "market '%s': %zu reference prices for %zu "
                           "economies",
                           mcode(market), n, market->n);
    double pmax = market->world->min[market->mineral].pmax;
    for (size_t i = 0; i < n; i++)
        if (!(prices[i] >= 0 && prices[i] <= pmax))
            return crit__error(CRIT_EINVAL,
                               "market '%s' economy '%s': reference price %g "
                               "must be in [0, %g]",
                               mcode(market), market->world->eco[i].code,
                               prices[i], pmax);
    memcpy(market->ref_price, prices, n * sizeof *prices);
    market->has_ref = 1;
    return CRIT_OK;
}

int crit_market_set_reference(crit_market *market, const crit_market *ref)
{
    if (!market || !ref)
        return crit__error(CRIT_EINVAL, "reference: NULL argument");
    if (ref->world != market->world || ref->mineral != market->mineral ||
        ref->n != market->n)
        return crit__error(CRIT_EINVAL,
                           "market '%s': the reference market belongs to "
                           "another world or mineral, or has another size",
                           mcode(market));
    if (!ref->solved)
        return crit__error(CRIT_ESTATE,
                           "market '%s': the reference market holds no "
                           "solution",
                           mcode(market));
    memcpy(market->ref_price, ref->res + CRIT_MARKET_PRICE * ref->n,
           ref->n * sizeof(double));
    market->has_ref = 1;
    return CRIT_OK;
}

int crit_market_clear_reference(crit_market *market)
{
    if (!market)
        return crit__error(CRIT_EINVAL, "clear reference: market is NULL");
    market->has_ref = 0;
    return CRIT_OK;
}

int crit_market_reset(crit_market *market)
{
    if (!market)
        return crit__error(CRIT_EINVAL, "market reset: market is NULL");
    market->warm_valid = 0;
    return CRIT_OK;
}

/* ---- solve --------------------------------------------------------------- */

int crit_market_solve(crit_market *market)
{
    if (!market)
        return crit__error(CRIT_EINVAL, "market solve: market is NULL");
    market->solved = 0;
    if (market->world->n_eco != market->n)
        return crit__error(CRIT_ESTATE,
                           "market '%s': the world has %zu economies but the "
                           "market was sized for %zu (call "
                           "crit_market_resize)",
                           mcode(market), market->world->n_eco, market->n);
    int rc = crit__market_solve(market);
    if (rc == CRIT_OK)
        market->solved = 1;
    return rc;
}

int32_t crit_market_solved(const crit_market *market)
{
    return market && market->solved;
}

static int need_solution(const crit_market *m)
{
    if (!m->solved)
        return crit__error(CRIT_ESTATE,
                           "market '%s' holds no solution (solve it first; "
                           "a failed solve or a changed input clears it)",
                           mcode(m));
    return CRIT_OK;
}

int crit_market_info_get(crit_market_info *out, const crit_market *market)
{
    if (!out || !market)
        return crit__error(CRIT_EINVAL, "market info: NULL argument");
    int rc = crit__check_out_size(out->size, INFO_V1, "market info");
    if (rc || (rc = need_solution(market)))
        return rc;
    crit__copy_out(out, &market->info, sizeof market->info);
    return CRIT_OK;
}

int crit_market_values(double *out, size_t n, const crit_market *market,
                       int32_t quantity)
{
    if (!out || !market)
        return crit__error(CRIT_EINVAL, "market values: NULL argument");
    if (quantity < 0 || quantity >= CRIT_MARKET_QUANTITY_COUNT)
        return crit__error(CRIT_EINVAL, "market values: unknown quantity %d",
                           (int)quantity);
    int rc = need_solution(market);
    if (rc)
        return rc;
    if (n != market->n)
        return crit__error(CRIT_EBUFSIZE,
                           "market '%s': %s needs %zu values, the buffer "
                           "holds %zu",
                           mcode(market), quantity_names[quantity], market->n,
                           n);
    const double *price = market->res + CRIT_MARKET_PRICE * market->n;
    if (quantity == CRIT_MARKET_CONSUMER_SURPLUS_CHANGE ||
        quantity == CRIT_MARKET_PRODUCER_SURPLUS_CHANGE) {
        if (!market->has_ref)
            return crit__error(CRIT_ESTATE,
                               "market '%s': %s needs a reference (call "
                               "crit_market_set_reference)",
                               mcode(market), quantity_names[quantity]);
        for (size_t i = 0; i < n; i++) {
            double p = price[i], r = market->ref_price[i];
            out[i] = quantity == CRIT_MARKET_CONSUMER_SURPLUS_CHANGE
                         ? crit__market_demand_integral(market, i, p, r)
                         : crit__market_supply_integral(market, i, p) -
                               crit__market_supply_integral(market, i, r);
        }
        return CRIT_OK;
    }
    memcpy(out, market->res + (size_t)quantity * market->n, n * sizeof *out);
    return CRIT_OK;
}

int crit_market_flows(double *out, size_t n, const crit_market *market)
{
    if (!out || !market)
        return crit__error(CRIT_EINVAL, "market flows: NULL argument");
    int rc = need_solution(market);
    if (rc)
        return rc;
    if (n != market->n * market->n)
        return crit__error(CRIT_EBUFSIZE,
                           "market '%s': flows need %zu values, the buffer "
                           "holds %zu",
                           mcode(market), market->n * market->n, n);
    memcpy(out, market->flow, n * sizeof *out);
    return CRIT_OK;
}

int crit_market_agent_result(double *out_buy_t, double *out_release_t,
                             const crit_market *market, size_t index)
{
    if (!market)
        return crit__error(CRIT_EINVAL, "agent result: market is NULL");
    int rc = need_solution(market);
    if (rc)
        return rc;
    if (index >= market->n_agent)
        return crit__error(CRIT_ERANGE,
                           "market '%s': agent %zu is out of range (%zu "
                           "agents)",
                           mcode(market), index, market->n_agent);
    if (out_buy_t)
        *out_buy_t = market->agent_buy[index];
    if (out_release_t)
        *out_release_t = market->agent_rel[index];
    return CRIT_OK;
}

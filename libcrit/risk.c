/* Supply-risk indicators from a world's base data (MODEL.md section 10). */
#include "world_internal.h"

#include <math.h>

static int resolve(const crit_world *w, const char *mineral, size_t *k,
                   void *out)
{
    if (!w || !out)
        return crit__error(CRIT_EINVAL, "risk indicator: NULL argument");
    return crit__world_find_mineral(k, w, mineral);
}

static double world_production(const crit_world *w, const crit__mineral *m)
{
    double total = 0;
    for (size_t i = 0; i < w->n_eco; i++)
        total += m->curve[i].s0;
    return total;
}

/*
 * World production divided by `*div`, with `*div` 1 unless the sum is
 * beyond a double (finite productions near DBL_MAX), where it is the
 * largest production: shares are then s0_i / div / total, and stay
 * numbers.
 */
static double scaled_production(const crit_world *w, const crit__mineral *m,
                                double *div)
{
    double total = world_production(w, m), top = 0;
    *div = 1;
    if (isfinite(total))
        return total;
    for (size_t i = 0; i < w->n_eco; i++)
        if (m->curve[i].s0 > top)
            top = m->curve[i].s0;
    *div = top;
    total = 0;
    for (size_t i = 0; i < w->n_eco; i++)
        total += m->curve[i].s0 / top;
    return total;
}

static int no_producer(const crit__mineral *m)
{
    return crit__error(CRIT_EDOMAIN,
                       "mineral '%s': no economy produces it, so shares are "
                       "undefined",
                       m->code);
}

int crit_risk_world_production(double *out, const crit_world *world,
                               const char *mineral)
{
    size_t k = 0;
    int rc = resolve(world, mineral, &k, out);
    if (rc)
        return rc;
    *out = world_production(world, &world->min[k]);
    return CRIT_OK;
}

int crit_risk_hhi(double *out, const crit_world *world, const char *mineral)
{
    size_t k = 0;
    int rc = resolve(world, mineral, &k, out);
    if (rc)
        return rc;
    const crit__mineral *m = &world->min[k];
    double div, total = scaled_production(world, m, &div);
    if (!(total > 0))
        return no_producer(m);
    double hhi = 0;
    for (size_t i = 0; i < world->n_eco; i++) {
        double share = 100.0 * (m->curve[i].s0 / div) / total;
        hhi += share * share;
    }
    *out = hhi;
    return CRIT_OK;
}

int crit_risk_top_producer(size_t *out_economy, double *out_share,
                           const crit_world *world, const char *mineral)
{
    size_t k = 0;
    if (!world)
        return crit__error(CRIT_EINVAL, "risk indicator: NULL argument");
    int rc = crit__world_find_mineral(&k, world, mineral);
    if (rc)
        return rc;
    const crit__mineral *m = &world->min[k];
    double div, total = scaled_production(world, m, &div);
    if (!(total > 0))
        return no_producer(m);
    size_t best = 0;
    for (size_t i = 1; i < world->n_eco; i++)
        if (m->curve[i].s0 > m->curve[best].s0)
            best = i;
    if (out_economy)
        *out_economy = best;
    if (out_share)
        *out_share = m->curve[best].s0 / div / total;
    return CRIT_OK;
}

int crit_risk_self_sufficiency(double *out, const crit_world *world,
                               const char *mineral)
{
    size_t k = 0;
    int rc = resolve(world, mineral, &k, out);
    if (rc)
        return rc;
    const crit__mineral *m = &world->min[k];
    double prod = 0, dem = 0, top = 0;
    for (size_t i = 0; i < world->n_eco; i++)
        if (world->eco[i].member) {
            prod += m->curve[i].s0;
            dem += m->curve[i].d0;
            top = fmax(top, fmax(m->curve[i].s0, m->curve[i].d0));
        }
    /* Whether the members consume any, decided before the rescaling
       below, where a tiny demand may underflow to zero. */
    int has_demand = dem > 0;
    if (!isfinite(prod) || !isfinite(dem)) {
        /* sums beyond a double: the same ratio of sums divided by the
           largest term (a demand that underflows gives +inf, as a ratio
           beyond a double does without rescaling) */
        prod = dem = 0;
        for (size_t i = 0; i < world->n_eco; i++)
            if (world->eco[i].member) {
                prod += m->curve[i].s0 / top;
                dem += m->curve[i].d0 / top;
            }
    }
    if (!has_demand)
        return crit__error(CRIT_EDOMAIN,
                           "mineral '%s': the coalition has %s, so "
                           "self-sufficiency is undefined",
                           m->code,
                           crit_world_member_count(world) ? "no demand for it"
                                                          : "no members");
    *out = prod / dem;
    return CRIT_OK;
}

int crit_risk_net_import_reliance(double *out, const crit_world *world,
                                  const char *economy, const char *mineral)
{
    size_t k = 0, i = 0;
    int rc = resolve(world, mineral, &k, out);
    if (rc || (rc = crit__world_find_economy(&i, world, economy)))
        return rc;
    const crit__curve *c = &world->min[k].curve[i];
    if (!(c->d0 > 0))
        return crit__error(CRIT_EDOMAIN,
                           "economy '%s' mineral '%s': no consumption, so net "
                           "import reliance is undefined",
                           economy, mineral);
    *out = (c->d0 - c->s0) / c->d0;
    return CRIT_OK;
}

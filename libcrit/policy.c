/* Pricing mechanisms of one mineral (MODEL.md section 4). */
#include "policy_internal.h"

#include <math.h>
#include <string.h>

#define FLOOR_DEF_V1 CRIT__SIZE_TO(crit_floor_def, upside_share)

void crit_floor_def_init(crit_floor_def *def)
{
    if (!def)
        return;
    memset(def, 0, sizeof *def);
    def->size = sizeof *def;
    def->covered_share = 1;
}

int crit_policy_new(crit_policy **out, const crit_world *world,
                    const char *mineral)
{
    if (!out || !world)
        return crit__error(CRIT_EINVAL, "policy: NULL argument");
    size_t k;
    int rc = crit__world_find_mineral(&k, world, mineral);
    if (rc)
        return rc;
    crit_policy *p = crit__calloc(1, sizeof *p);
    if (!p)
        return crit__error_oom();
    atomic_init(&p->refs, 1);
    p->world = crit__world_ref(world);
    p->mineral = k;
    *out = p;
    return CRIT_OK;
}

crit_policy *crit__policy_ref(const crit_policy *p)
{
    crit_policy *mp = (crit_policy *)p;
    atomic_fetch_add(&mp->refs, 1);
    return mp;
}

void crit__policy_unref(crit_policy *p)
{
    if (p && atomic_fetch_sub(&p->refs, 1) == 1) {
        crit__world_unref(p->world);
        crit__free(p->floor);
        crit__free(p);
    }
}

void crit_policy_free(crit_policy *policy)
{
    crit__policy_unref(policy);
}

static const char *mineral_code(const crit_policy *p)
{
    return p->world->min[p->mineral].code;
}

static int check_price(const crit_policy *p, double v, const char *what)
{
    if (!isfinite(v) || v < 0)
        return crit__error(CRIT_EINVAL,
                           "policy for mineral '%s': %s %g must be finite "
                           "and >= 0",
                           mineral_code(p), what, v);
    return CRIT_OK;
}

int crit_policy_set_external_tariff(crit_policy *policy, double usd_per_t)
{
    if (!policy)
        return crit__error(CRIT_EINVAL, "external tariff: policy is NULL");
    int rc = check_price(policy, usd_per_t, "external tariff");
    if (rc)
        return rc;
    policy->ext_tariff = usd_per_t;
    return CRIT_OK;
}

double crit_policy_external_tariff(const crit_policy *policy)
{
    return policy ? policy->ext_tariff : 0;
}

int crit_policy_set_reference_price(crit_policy *policy, double usd_per_t)
{
    if (!policy)
        return crit__error(CRIT_EINVAL, "reference price: policy is NULL");
    int rc = check_price(policy, usd_per_t, "reference price");
    if (rc)
        return rc;
    policy->rref = usd_per_t;
    return CRIT_OK;
}

double crit_policy_reference_price(const crit_policy *policy)
{
    return policy ? policy->rref : 0;
}

static crit__floor *find_floor(const crit_policy *p, size_t eco)
{
    for (size_t k = 0; k < p->n_floor; k++)
        if (p->floor[k].eco == eco)
            return &p->floor[k];
    return NULL;
}

int crit_policy_set_floor(crit_policy *policy, const char *economy,
                          const crit_floor_def *def)
{
    if (!policy || !def)
        return crit__error(CRIT_EINVAL, "set floor: NULL argument");
    size_t i;
    int rc = crit__world_find_economy(&i, policy->world, economy);
    if (rc || (rc = crit__check_struct_size(def, FLOOR_DEF_V1, sizeof *def,
                                            "floor definition")))
        return rc;
    const char *m = mineral_code(policy);
    double F = def->floor_usd_per_t, th = def->covered_share,
           phi = def->upside_share;
    if (!isfinite(F) || F < 0)
        return crit__error(CRIT_EINVAL,
                           "floor of economy '%s' mineral '%s': floor price "
                           "%g must be finite and >= 0",
                           economy, m, F);
    if (!(th >= 0 && th <= 1))
        return crit__error(CRIT_EINVAL,
                           "floor of economy '%s' mineral '%s': covered share "
                           "(theta) %g must be in [0, 1]",
                           economy, m, th);
    if (!(phi >= 0 && phi < 1))
        return crit__error(CRIT_EINVAL,
                           "floor of economy '%s' mineral '%s': upside share "
                           "(phi) %g must be in [0, 1)",
                           economy, m, phi);
    crit__floor *f = find_floor(policy, i);
    if (!f) {
        if (policy->n_floor == policy->cap_floor) {
            size_t cap = policy->cap_floor ? 2 * policy->cap_floor : 4;
            size_t bytes = crit__mul_size(cap, sizeof *policy->floor);
            crit__floor *nf = bytes ? crit__realloc(policy->floor, bytes) : 0;
            if (!nf)
                return crit__error_oom();
            policy->floor = nf;
            policy->cap_floor = cap;
        }
        f = &policy->floor[policy->n_floor++];
        f->eco = i;
    }
    f->F = F;
    f->theta = th;
    f->phi = phi;
    return CRIT_OK;
}

int crit_policy_clear_floor(crit_policy *policy, const char *economy)
{
    if (!policy)
        return crit__error(CRIT_EINVAL, "clear floor: policy is NULL");
    size_t i;
    int rc = crit__world_find_economy(&i, policy->world, economy);
    if (rc)
        return rc;
    crit__floor *f = find_floor(policy, i);
    if (f)
        *f = policy->floor[--policy->n_floor];
    return CRIT_OK;
}

int crit_policy_floor_get(crit_floor_def *out, int32_t *out_active,
                          const crit_policy *policy, const char *economy)
{
    if (!out || !policy)
        return crit__error(CRIT_EINVAL, "get floor: NULL argument");
    int rc = crit__check_out_size(out->size, FLOOR_DEF_V1, "floor definition");
    size_t i;
    if (rc || (rc = crit__world_find_economy(&i, policy->world, economy)))
        return rc;
    const crit__floor *f = find_floor(policy, i);
    out->floor_usd_per_t = f ? f->F : 0;
    out->covered_share = f ? f->theta : 1;
    out->upside_share = f ? f->phi : 0;
    if (out_active)
        *out_active = f != NULL;
    return CRIT_OK;
}

/*
 * The world: minerals, economies, curves, wedges, bans and quotas.
 *
 * Every setter validates its whole input first and mutates last, so a
 * failure leaves the world as it was. Growing the per-mineral tables
 * allocates every new table before any old one is released.
 */
#include "world_internal.h"

#include <math.h>
#include <string.h>

#define MIN_STRIDE 4

int crit__is_finite(double x)
{
    return isfinite(x);
}

/* ---- definitions ------------------------------------------------------- */

void crit_mineral_def_init(crit_mineral_def *def)
{
    if (!def)
        return;
    memset(def, 0, sizeof *def);
    def->size = sizeof *def;
}

void crit_economy_def_init(crit_economy_def *def)
{
    if (!def)
        return;
    memset(def, 0, sizeof *def);
    def->size = sizeof *def;
}

void crit_curve_def_init(crit_curve_def *def)
{
    if (!def)
        return;
    memset(def, 0, sizeof *def);
    def->size = sizeof *def;
}

/* ---- codes ------------------------------------------------------------- */

static int is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}
static int is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}
static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int check_economy_code(const char *code)
{
    if (!code)
        return crit__error(CRIT_EINVAL, "economy: code is NULL");
    size_t n = strlen(code);
    int ok = n >= 2 && n <= 16 && is_upper(code[0]);
    for (size_t i = 1; ok && i < n; i++)
        ok = is_upper(code[i]) || is_digit(code[i]) || code[i] == '_';
    if (!ok)
        return crit__error(CRIT_EINVAL,
                           "economy code '%.40s' is malformed: expected 2 to "
                           "16 upper-case letters, digits or '_', starting "
                           "with a letter",
                           code);
    return CRIT_OK;
}

static int check_mineral_code(const char *code)
{
    if (!code)
        return crit__error(CRIT_EINVAL, "mineral: code is NULL");
    size_t n = strlen(code);
    int ok = n >= 1 && n <= 31 && (is_upper(code[0]) || is_lower(code[0]));
    for (size_t i = 1; ok && i < n; i++) {
        char c = code[i];
        ok = is_upper(c) || is_lower(c) || is_digit(c) || c == '_' ||
             c == '-' || c == '.';
    }
    if (!ok)
        return crit__error(CRIT_EINVAL,
                           "mineral code '%.40s' is malformed: expected 1 to "
                           "31 letters, digits, '_', '-' or '.', starting "
                           "with a letter",
                           code);
    return CRIT_OK;
}

static int check_flag(int32_t v, const char *what, const char *code)
{
    if (v != 0 && v != 1)
        return crit__error(CRIT_EINVAL, "%s '%s': %ld is not 0 or 1", what,
                           code, (long)v);
    return CRIT_OK;
}

/* ---- lifetime ---------------------------------------------------------- */

/* Every change to a world goes through one of the functions below, and
   each ends with this. */
static void changed(crit_world *w)
{
    w->rev++;
}

int crit_world_new(crit_world **out)
{
    if (!out)
        return crit__error(CRIT_EINVAL, "world: out is NULL");
    crit_world *w = crit__calloc(1, sizeof *w);
    if (!w)
        return crit__error_oom();
    atomic_init(&w->refs, 1);
    *out = w;
    return CRIT_OK;
}

crit_world *crit__world_ref(const crit_world *w)
{
    crit_world *mw = (crit_world *)w;
    atomic_fetch_add(&mw->refs, 1);
    return mw;
}

static void mineral_release(crit__mineral *m)
{
    crit__free(m->code);
    crit__free(m->name);
    crit__free(m->basis);
    crit__free(m->block);
}

static void economy_release(crit__economy *e)
{
    crit__free(e->code);
    crit__free(e->name);
}

static void world_destroy(crit_world *w)
{
    for (size_t k = 0; k < w->n_min; k++)
        mineral_release(&w->min[k]);
    for (size_t i = 0; i < w->n_eco; i++)
        economy_release(&w->eco[i]);
    crit__free(w->min);
    crit__free(w->eco);
    crit__free(w);
}

void crit__world_unref(crit_world *w)
{
    if (w && atomic_fetch_sub(&w->refs, 1) == 1)
        world_destroy(w);
}

void crit_world_free(crit_world *world)
{
    crit__world_unref(world);
}

/* ---- per-mineral tables ------------------------------------------------ */

/*
 * Allocate one block holding every table of a mineral for `stride`
 * economies, with defaults everywhere (zero, quotas +infinity), and point
 * the table members of `t` into it.
 */
static int tables_alloc(crit__mineral *t, size_t stride)
{
    size_t n2 = crit__mul_size(stride, stride);
    size_t doubles = crit__mul_size(n2, 3);
    size_t vec = crit__mul_size(stride, 3);
    if (n2 == 0 || doubles == 0 || vec == 0)
        return crit__error_oom();
    size_t bytes =
        (doubles + vec) * sizeof(double) + stride * sizeof(crit__curve) + n2;
    unsigned char *b = crit__calloc(1, bytes);
    if (!b)
        return crit__error_oom();
    double *d = (double *)b;
    t->block = b;
    t->transport = d;
    t->tariff = d + n2;
    t->tariff_rate = d + 2 * n2;
    t->xtax = d + 3 * n2;
    t->xtax_rate = t->xtax + stride;
    t->quota = t->xtax_rate + stride;
    t->curve = (crit__curve *)(t->quota + stride);
    t->ban = (unsigned char *)(t->curve + stride);
    for (size_t i = 0; i < stride; i++)
        t->quota[i] = INFINITY;
    return CRIT_OK;
}

/* Copy the first n economies' entries of `src` (stride ss) into `dst`. */
static void tables_copy(crit__mineral *dst, size_t ds, const crit__mineral *src,
                        size_t ss, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        memcpy(dst->transport + i * ds, src->transport + i * ss,
               n * sizeof(double));
        memcpy(dst->tariff + i * ds, src->tariff + i * ss, n * sizeof(double));
        memcpy(dst->tariff_rate + i * ds, src->tariff_rate + i * ss,
               n * sizeof(double));
        memcpy(dst->ban + i * ds, src->ban + i * ss, n);
    }
    memcpy(dst->xtax, src->xtax, n * sizeof(double));
    memcpy(dst->xtax_rate, src->xtax_rate, n * sizeof(double));
    memcpy(dst->quota, src->quota, n * sizeof(double));
    memcpy(dst->curve, src->curve, n * sizeof(crit__curve));
}

/* Move every mineral's tables to a larger `stride`. */
static int set_stride(crit_world *w, size_t stride)
{
    crit__mineral *fresh = NULL;
    if (w->n_min) {
        fresh = crit__calloc(w->n_min, sizeof *fresh);
        if (!fresh)
            return crit__error_oom();
    }
    for (size_t k = 0; k < w->n_min; k++) {
        if (tables_alloc(&fresh[k], stride) != CRIT_OK) {
            for (size_t q = 0; q < k; q++)
                crit__free(fresh[q].block);
            crit__free(fresh);
            return crit__error_oom();
        }
        tables_copy(&fresh[k], stride, &w->min[k], w->stride, w->n_eco);
    }
    for (size_t k = 0; k < w->n_min; k++) {
        crit__mineral *m = &w->min[k];
        crit__free(m->block);
        m->block = fresh[k].block;
        m->transport = fresh[k].transport;
        m->tariff = fresh[k].tariff;
        m->tariff_rate = fresh[k].tariff_rate;
        m->xtax = fresh[k].xtax;
        m->xtax_rate = fresh[k].xtax_rate;
        m->quota = fresh[k].quota;
        m->curve = fresh[k].curve;
        m->ban = fresh[k].ban;
    }
    crit__free(fresh);
    w->stride = stride;
    changed(w);
    return CRIT_OK;
}

/* Grow every mineral's tables to hold at least `need` economies. */
static int grow_stride(crit_world *w, size_t need)
{
    if (need <= w->stride)
        return CRIT_OK;
    size_t stride = w->stride ? w->stride : MIN_STRIDE;
    while (stride < need)
        stride *= 2;
    return set_stride(w, stride);
}

int crit__world_reserve(crit_world *w, size_t economies)
{
    if (economies <= w->stride)
        return CRIT_OK;
    return set_stride(w, economies);
}

/* Make room for one more element in a growable array. */
static int reserve(void **arr, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return CRIT_OK;
    size_t ncap = *cap ? *cap * 2 : 8;
    size_t bytes = crit__mul_size(ncap, elem);
    if (bytes == 0)
        return crit__error_oom();
    void *p = crit__realloc(*arr, bytes);
    if (!p)
        return crit__error_oom();
    *arr = p;
    *cap = ncap;
    return CRIT_OK;
}

/* ---- lookups ----------------------------------------------------------- */

static int find_mineral(const crit_world *w, const char *code, size_t *out)
{
    for (size_t k = 0; k < w->n_min; k++)
        if (strcmp(w->min[k].code, code) == 0) {
            *out = k;
            return 1;
        }
    return 0;
}

static int find_economy(const crit_world *w, const char *code, size_t *out)
{
    for (size_t i = 0; i < w->n_eco; i++)
        if (strcmp(w->eco[i].code, code) == 0) {
            *out = i;
            return 1;
        }
    return 0;
}

int crit__world_find_mineral(size_t *out, const crit_world *w, const char *code)
{
    if (!code)
        return crit__error(CRIT_EINVAL, "mineral code is NULL");
    if (!find_mineral(w, code, out))
        return crit__error(CRIT_ENOTFOUND,
                           "mineral '%.40s' is not in the "
                           "world",
                           code);
    return CRIT_OK;
}

int crit__world_find_economy(size_t *out, const crit_world *w, const char *code)
{
    if (!code)
        return crit__error(CRIT_EINVAL, "economy code is NULL");
    if (!find_economy(w, code, out))
        return crit__error(CRIT_ENOTFOUND,
                           "economy '%.40s' is not in the "
                           "world",
                           code);
    return CRIT_OK;
}

size_t crit_world_mineral_count(const crit_world *world)
{
    return world ? world->n_min : 0;
}

size_t crit_world_economy_count(const crit_world *world)
{
    return world ? world->n_eco : 0;
}

size_t crit_world_member_count(const crit_world *world)
{
    size_t n = 0;
    for (size_t i = 0; world && i < world->n_eco; i++)
        n += world->eco[i].member != 0;
    return n;
}

int crit_world_mineral_index(size_t *out, const crit_world *world,
                             const char *code)
{
    if (!out || !world)
        return crit__error(CRIT_EINVAL, "mineral index: NULL argument");
    return crit__world_find_mineral(out, world, code);
}

int crit_world_economy_index(size_t *out, const crit_world *world,
                             const char *code)
{
    if (!out || !world)
        return crit__error(CRIT_EINVAL, "economy index: NULL argument");
    return crit__world_find_economy(out, world, code);
}

const char *crit_world_mineral_code(const crit_world *world, size_t index)
{
    if (!world || index >= world->n_min)
        return NULL;
    return world->min[index].code;
}

const char *crit_world_economy_code(const crit_world *world, size_t index)
{
    if (!world || index >= world->n_eco)
        return NULL;
    return world->eco[index].code;
}

/* ---- minerals ---------------------------------------------------------- */

#define MINERAL_DEF_V1                                                         \
    CRIT__SIZE_TO(crit_mineral_def, holding_cost_usd_per_t_yr)
#define ECONOMY_DEF_V1 CRIT__SIZE_TO(crit_economy_def, member)
#define CURVE_DEF_V1 CRIT__SIZE_TO(crit_curve_def, demand_elasticity)

static int check_mineral_def(const crit_world *w, const crit_mineral_def *d)
{
    int rc = crit__check_struct_size(d, MINERAL_DEF_V1, sizeof *d,
                                     "mineral definition");
    if (rc)
        return rc;
    if ((rc = check_mineral_code(d->code)))
        return rc;
    size_t dummy;
    if (find_mineral(w, d->code, &dummy))
        return crit__error(CRIT_EEXISTS,
                           "mineral '%s' is already in the "
                           "world",
                           d->code);
    double p0 = d->base_price_usd_per_t, pmax = d->choke_price_usd_per_t;
    if (!isfinite(p0) || p0 <= 0)
        return crit__error(CRIT_EINVAL,
                           "mineral '%s': base price %g must be finite and "
                           "> 0",
                           d->code, p0);
    if (!isfinite(pmax) || pmax < 0)
        return crit__error(CRIT_EINVAL,
                           "mineral '%s': choke price %g must be finite and "
                           "> base price %g (or 0 for 10 times it)",
                           d->code, pmax, p0);
    if (pmax != 0 && pmax <= p0)
        return crit__error(CRIT_EINVAL,
                           "mineral '%s': choke price %g is not above base "
                           "price %g",
                           d->code, pmax, p0);
    if (pmax > CRIT__MAX_CHOKE_PRICE)
        return crit__error(CRIT_EINVAL,
                           "mineral '%s': choke price %g is above %g, the "
                           "most a market solves",
                           d->code, pmax, CRIT__MAX_CHOKE_PRICE);
    if (pmax == 0 && !(10 * p0 <= CRIT__MAX_CHOKE_PRICE))
        return crit__error(CRIT_EINVAL,
                           "mineral '%s': base price %g is too large: the "
                           "choke price 10 times it would be above %g, the "
                           "most a market solves",
                           d->code, p0, CRIT__MAX_CHOKE_PRICE);
    double h = d->holding_cost_usd_per_t_yr;
    if (!isfinite(h) || h < 0)
        return crit__error(CRIT_EINVAL,
                           "mineral '%s': holding cost %g must be finite and "
                           ">= 0",
                           d->code, h);
    return CRIT_OK;
}

int crit_world_add_mineral(crit_world *world, const crit_mineral_def *def)
{
    if (!world || !def)
        return crit__error(CRIT_EINVAL, "add mineral: NULL argument");
    int rc = check_mineral_def(world, def);
    if (rc)
        return rc;
    crit__mineral m = {0};
    m.code = crit__strdup(def->code);
    m.name = crit__strdup(def->name ? def->name : def->code);
    m.basis = crit__strdup(def->basis ? def->basis : "");
    if (!m.code || !m.name || !m.basis)
        goto oom;
    if (tables_alloc(&m, world->stride ? world->stride : MIN_STRIDE))
        goto oom;
    if (reserve((void **)&world->min, &world->cap_min, world->n_min,
                sizeof *world->min))
        goto oom;
    if (!world->stride)
        world->stride = MIN_STRIDE;
    m.p0 = def->base_price_usd_per_t;
    m.pmax = def->choke_price_usd_per_t != 0 ? def->choke_price_usd_per_t
                                             : 10 * m.p0;
    m.holding = def->holding_cost_usd_per_t_yr;
    world->min[world->n_min++] = m;
    changed(world);
    return CRIT_OK;
oom:
    mineral_release(&m);
    return crit__error_oom();
}

int crit_world_mineral_get(crit_mineral_def *out, const crit_world *world,
                           size_t index)
{
    if (!out || !world)
        return crit__error(CRIT_EINVAL, "mineral get: NULL argument");
    int rc =
        crit__check_out_size(out->size, MINERAL_DEF_V1, "mineral definition");
    if (rc)
        return rc;
    if (index >= world->n_min)
        return crit__error(CRIT_ERANGE,
                           "mineral index %zu is out of range "
                           "(the world has %zu)",
                           index, world->n_min);
    const crit__mineral *m = &world->min[index];
    out->code = m->code;
    out->name = m->name;
    out->basis = m->basis;
    out->base_price_usd_per_t = m->p0;
    out->choke_price_usd_per_t = m->pmax;
    out->holding_cost_usd_per_t_yr = m->holding;
    return CRIT_OK;
}

/* ---- economies --------------------------------------------------------- */

int crit_world_add_economy(crit_world *world, const crit_economy_def *def)
{
    if (!world || !def)
        return crit__error(CRIT_EINVAL, "add economy: NULL argument");
    int rc = crit__check_struct_size(def, ECONOMY_DEF_V1, sizeof *def,
                                     "economy definition");
    if (rc || (rc = check_economy_code(def->code)))
        return rc;
    size_t dummy;
    if (find_economy(world, def->code, &dummy))
        return crit__error(CRIT_EEXISTS,
                           "economy '%s' is already in the "
                           "world",
                           def->code);
    if ((rc = check_flag(def->member, "member flag of economy", def->code)))
        return rc;
    /* The arcs to the new economy start with no transport cost and no
     * tariff, so their wedge is the exporter's tax alone. */
    for (size_t k = 0; k < world->n_min; k++) {
        const crit__mineral *m = &world->min[k];
        for (size_t i = 0; i < world->n_eco; i++) {
            double c =
                crit__wedge_of(0, m->xtax[i], m->xtax_rate[i], 0, 0, m->p0);
            if (c < 0)
                return crit__error(
                    CRIT_EINVAL,
                    "economy '%s': mineral '%s' arc %s->%s would have wedge "
                    "%g below zero (the export subsidy of '%s'); add every "
                    "economy before setting export subsidies",
                    def->code, m->code, world->eco[i].code, def->code, c,
                    world->eco[i].code);
        }
    }
    crit__economy e = {0};
    e.code = crit__strdup(def->code);
    e.name = crit__strdup(def->name ? def->name : def->code);
    e.member = def->member;
    if (!e.code || !e.name ||
        reserve((void **)&world->eco, &world->cap_eco, world->n_eco,
                sizeof *world->eco) ||
        grow_stride(world, world->n_eco + 1)) {
        economy_release(&e);
        return crit__error_oom();
    }
    world->eco[world->n_eco++] = e;
    changed(world);
    return CRIT_OK;
}

int crit_world_economy_get(crit_economy_def *out, const crit_world *world,
                           size_t index)
{
    if (!out || !world)
        return crit__error(CRIT_EINVAL, "economy get: NULL argument");
    int rc =
        crit__check_out_size(out->size, ECONOMY_DEF_V1, "economy definition");
    if (rc)
        return rc;
    if (index >= world->n_eco)
        return crit__error(CRIT_ERANGE,
                           "economy index %zu is out of range "
                           "(the world has %zu)",
                           index, world->n_eco);
    out->code = world->eco[index].code;
    out->name = world->eco[index].name;
    out->member = world->eco[index].member;
    return CRIT_OK;
}

int crit_world_set_member(crit_world *world, const char *economy,
                          int32_t member)
{
    if (!world)
        return crit__error(CRIT_EINVAL, "set member: world is NULL");
    size_t i = 0;
    int rc = crit__world_find_economy(&i, world, economy);
    if (rc || (rc = check_flag(member, "member flag of economy", economy)))
        return rc;
    world->eco[i].member = member;
    changed(world);
    return CRIT_OK;
}

/* ---- curves ------------------------------------------------------------ */

static int check_nonneg(double v, const char *field, const char *eco,
                        const char *min)
{
    if (!isfinite(v) || v < 0)
        return crit__error(CRIT_EINVAL,
                           "economy '%s' mineral '%s': %s %g must be finite "
                           "and >= 0",
                           eco, min, field, v);
    return CRIT_OK;
}

/* Resolve (economy, mineral) codes to indices, recording a clear error. */
static int resolve2(const crit_world *w, const char *economy,
                    const char *mineral, size_t *i, size_t *k)
{
    if (!w)
        return crit__error(CRIT_EINVAL, "world is NULL");
    int rc = crit__world_find_mineral(k, w, mineral);
    return rc ? rc : crit__world_find_economy(i, w, economy);
}

int crit__world_set_curve_at(crit_world *world, size_t k, size_t i,
                             const crit_curve_def *def)
{
    const char *economy = world->eco[i].code, *mineral = world->min[k].code;
    int rc;
    if ((rc = crit__check_struct_size(def, CURVE_DEF_V1, sizeof *def,
                                      "curve definition")))
        return rc;
    if ((rc = check_nonneg(def->base_production_t_per_yr, "base production",
                           economy, mineral)) ||
        (rc = check_nonneg(def->capacity_t_per_yr, "capacity", economy,
                           mineral)) ||
        (rc = check_nonneg(def->supply_elasticity, "supply elasticity", economy,
                           mineral)) ||
        (rc = check_nonneg(def->base_demand_t_per_yr, "base demand", economy,
                           mineral)) ||
        (rc = check_nonneg(def->demand_elasticity, "demand elasticity", economy,
                           mineral)))
        return rc;
    if (def->capacity_t_per_yr < def->base_production_t_per_yr)
        return crit__error(CRIT_EINVAL,
                           "economy '%s' mineral '%s': capacity %g is below "
                           "base production %g",
                           economy, mineral, def->capacity_t_per_yr,
                           def->base_production_t_per_yr);
    crit__curve *c = &world->min[k].curve[i];
    c->s0 = def->base_production_t_per_yr;
    c->K = def->capacity_t_per_yr;
    c->eta = def->supply_elasticity;
    c->d0 = def->base_demand_t_per_yr;
    c->eps = def->demand_elasticity;
    changed(world);
    return CRIT_OK;
}

int crit_world_set_curve(crit_world *world, const char *economy,
                         const char *mineral, const crit_curve_def *def)
{
    size_t i = 0, k = 0;
    int rc = resolve2(world, economy, mineral, &i, &k);
    if (rc)
        return rc;
    if (!def)
        return crit__error(CRIT_EINVAL, "set curve: definition is NULL");
    return crit__world_set_curve_at(world, k, i, def);
}

int crit_world_curve_get(crit_curve_def *out, const crit_world *world,
                         const char *economy, const char *mineral)
{
    size_t i = 0, k = 0;
    if (!out)
        return crit__error(CRIT_EINVAL, "curve get: out is NULL");
    int rc = crit__check_out_size(out->size, CURVE_DEF_V1, "curve definition");
    if (rc || (rc = resolve2(world, economy, mineral, &i, &k)))
        return rc;
    const crit__curve *c = &world->min[k].curve[i];
    out->base_production_t_per_yr = c->s0;
    out->capacity_t_per_yr = c->K;
    out->supply_elasticity = c->eta;
    out->base_demand_t_per_yr = c->d0;
    out->demand_elasticity = c->eps;
    return CRIT_OK;
}

/* ---- trade ------------------------------------------------------------- */

/* Resolve (mineral, from, to) to indices; from and to must differ. */
static int resolve_arc(const crit_world *w, const char *mineral,
                       const char *from, const char *to, size_t *k, size_t *i,
                       size_t *j)
{
    if (!w)
        return crit__error(CRIT_EINVAL, "world is NULL");
    int rc = crit__world_find_mineral(k, w, mineral);
    if (rc || (rc = crit__world_find_economy(i, w, from)) ||
        (rc = crit__world_find_economy(j, w, to)))
        return rc;
    if (*i == *j)
        return crit__error(CRIT_EINVAL,
                           "mineral '%s': an arc needs two different "
                           "economies, got '%s' twice",
                           mineral, from);
    return CRIT_OK;
}

static int check_wedge_value(double v, int may_be_negative, const char *field,
                             const char *mineral, const char *from,
                             const char *to)
{
    if (!isfinite(v) || (!may_be_negative && v < 0))
        return crit__error(
            CRIT_EINVAL, "mineral '%s' arc %s->%s: %s %g must be finite%s",
            mineral, from, to, field, v, may_be_negative ? "" : " and >= 0");
    return CRIT_OK;
}

/* Refuse a candidate wedge `c` of arc i->j that is below zero or, from
 * huge components, not finite. */
static int check_arc_wedge(const crit_world *w, const crit__mineral *m,
                           size_t i, size_t j, double c)
{
    if (isfinite(c) && c >= 0)
        return CRIT_OK;
    return crit__error(CRIT_EINVAL,
                       "mineral '%s' arc %s->%s: wedge %g (transport + "
                       "export tax + tariff) would be %s",
                       m->code, w->eco[i].code, w->eco[j].code, c,
                       isfinite(c) ? "below zero" : "infinite");
}

int crit__world_set_transport_at(crit_world *world, size_t k, size_t i,
                                 size_t j, double usd_per_t)
{
    crit__mineral *m = &world->min[k];
    int rc = check_wedge_value(usd_per_t, 0, "transport cost", m->code,
                               world->eco[i].code, world->eco[j].code);
    if (rc)
        return rc;
    size_t a = i * world->stride + j;
    double c = crit__wedge_of(usd_per_t, m->xtax[i], m->xtax_rate[i],
                              m->tariff[a], m->tariff_rate[a], m->p0);
    if ((rc = check_arc_wedge(world, m, i, j, c)))
        return rc;
    m->transport[a] = usd_per_t;
    changed(world);
    return CRIT_OK;
}

int crit_world_set_transport(crit_world *world, const char *mineral,
                             const char *from, const char *to, double usd_per_t)
{
    size_t k = 0, i = 0, j = 0;
    int rc = resolve_arc(world, mineral, from, to, &k, &i, &j);
    return rc ? rc : crit__world_set_transport_at(world, k, i, j, usd_per_t);
}

int crit__world_set_tariff_at(crit_world *world, size_t k, size_t i, size_t j,
                              double usd_per_t, double ad_valorem)
{
    crit__mineral *m = &world->min[k];
    const char *mineral = m->code, *from = world->eco[i].code,
               *to = world->eco[j].code;
    int rc;
    if ((rc = check_wedge_value(usd_per_t, 0, "tariff", mineral, from, to)) ||
        (rc = check_wedge_value(ad_valorem, 0, "ad valorem tariff", mineral,
                                from, to)))
        return rc;
    size_t a = i * world->stride + j;
    double c = crit__wedge_of(m->transport[a], m->xtax[i], m->xtax_rate[i],
                              usd_per_t, ad_valorem, m->p0);
    if ((rc = check_arc_wedge(world, m, i, j, c)))
        return rc;
    m->tariff[a] = usd_per_t;
    m->tariff_rate[a] = ad_valorem;
    changed(world);
    return CRIT_OK;
}

int crit_world_set_tariff(crit_world *world, const char *mineral,
                          const char *from, const char *to, double usd_per_t,
                          double ad_valorem)
{
    size_t k = 0, i = 0, j = 0;
    int rc = resolve_arc(world, mineral, from, to, &k, &i, &j);
    return rc ? rc
              : crit__world_set_tariff_at(world, k, i, j, usd_per_t,
                                          ad_valorem);
}

int crit__world_check_export_tax(const crit_world *world, size_t k, size_t i,
                                 double usd_per_t, double ad_valorem)
{
    const char *mineral = world->min[k].code, *exporter = world->eco[i].code;
    int rc;
    if ((rc = check_wedge_value(usd_per_t, 1, "export tax", mineral, exporter,
                                "*")) ||
        (rc = check_wedge_value(ad_valorem, 1, "ad valorem export tax", mineral,
                                exporter, "*")))
        return rc;
    const crit__mineral *m = &world->min[k];
    double tax = usd_per_t + ad_valorem * m->p0;
    if (!isfinite(tax))
        return check_wedge_value(tax, 1, "export tax", mineral, exporter, "*");
    for (size_t j = 0; j < world->n_eco; j++) {
        if (j == i)
            continue;
        size_t a = i * world->stride + j;
        double c = crit__wedge_of(m->transport[a], usd_per_t, ad_valorem,
                                  m->tariff[a], m->tariff_rate[a], m->p0);
        if ((rc = check_arc_wedge(world, m, i, j, c)))
            return rc;
    }
    return CRIT_OK;
}

int crit__world_set_export_tax_at(crit_world *world, size_t k, size_t i,
                                  double usd_per_t, double ad_valorem)
{
    int rc = crit__world_check_export_tax(world, k, i, usd_per_t, ad_valorem);
    if (rc)
        return rc;
    crit__mineral *m = &world->min[k];
    m->xtax[i] = usd_per_t;
    m->xtax_rate[i] = ad_valorem;
    changed(world);
    return CRIT_OK;
}

int crit_world_set_export_tax(crit_world *world, const char *mineral,
                              const char *exporter, double usd_per_t,
                              double ad_valorem)
{
    size_t k = 0, i = 0;
    int rc = resolve2(world, exporter, mineral, &i, &k);
    return rc ? rc
              : crit__world_set_export_tax_at(world, k, i, usd_per_t,
                                              ad_valorem);
}

int crit__world_set_ban_at(crit_world *world, size_t k, size_t i, size_t j,
                           unsigned bit, int32_t banned)
{
    int rc = check_flag(banned,
                        bit == CRIT__BAN_EXPORT ? "export ban flag of mineral"
                                                : "import ban flag of mineral",
                        world->min[k].code);
    if (rc)
        return rc;
    unsigned char *b = &world->min[k].ban[i * world->stride + j];
    *b = (unsigned char)(banned ? (*b | bit) : (*b & ~bit));
    changed(world);
    return CRIT_OK;
}

static int set_ban(crit_world *world, const char *mineral, const char *from,
                   const char *to, int32_t banned, unsigned bit)
{
    size_t k = 0, i = 0, j = 0;
    int rc = resolve_arc(world, mineral, from, to, &k, &i, &j);
    return rc ? rc : crit__world_set_ban_at(world, k, i, j, bit, banned);
}

int crit_world_set_export_ban(crit_world *world, const char *mineral,
                              const char *exporter, const char *importer,
                              int32_t banned)
{
    return set_ban(world, mineral, exporter, importer, banned,
                   CRIT__BAN_EXPORT);
}

int crit_world_set_import_ban(crit_world *world, const char *mineral,
                              const char *importer, const char *exporter,
                              int32_t banned)
{
    return set_ban(world, mineral, exporter, importer, banned,
                   CRIT__BAN_IMPORT);
}

int crit__world_set_export_quota_at(crit_world *world, size_t k, size_t i,
                                    double t_per_yr)
{
    if (!isfinite(t_per_yr) || t_per_yr < 0)
        return crit__error(CRIT_EINVAL,
                           "economy '%s' mineral '%s': export quota %g must "
                           "be finite and >= 0",
                           world->eco[i].code, world->min[k].code, t_per_yr);
    world->min[k].quota[i] = t_per_yr;
    changed(world);
    return CRIT_OK;
}

int crit_world_set_export_quota(crit_world *world, const char *mineral,
                                const char *exporter, double t_per_yr)
{
    size_t k = 0, i = 0;
    int rc = resolve2(world, exporter, mineral, &i, &k);
    return rc ? rc : crit__world_set_export_quota_at(world, k, i, t_per_yr);
}

int crit_world_clear_export_quota(crit_world *world, const char *mineral,
                                  const char *exporter)
{
    size_t k = 0, i = 0;
    int rc = resolve2(world, exporter, mineral, &i, &k);
    if (rc)
        return rc;
    world->min[k].quota[i] = INFINITY;
    changed(world);
    return CRIT_OK;
}

int crit_world_arc_get(double *out_transport, double *out_tariff,
                       double *out_export_tax, const crit_world *world,
                       const char *mineral, const char *from, const char *to)
{
    size_t k = 0, i = 0, j = 0;
    int rc = resolve_arc(world, mineral, from, to, &k, &i, &j);
    if (rc)
        return rc;
    const crit__mineral *m = &world->min[k];
    size_t a = i * world->stride + j;
    if (out_transport)
        *out_transport = m->transport[a];
    if (out_tariff)
        *out_tariff = m->tariff[a] + m->tariff_rate[a] * m->p0;
    if (out_export_tax)
        *out_export_tax = m->xtax[i] + m->xtax_rate[i] * m->p0;
    return CRIT_OK;
}

int crit_world_arc_wedge(double *out_wedge, int32_t *out_allowed,
                         const crit_world *world, const char *mineral,
                         const char *from, const char *to)
{
    size_t k = 0, i = 0, j = 0;
    int rc = resolve_arc(world, mineral, from, to, &k, &i, &j);
    if (rc)
        return rc;
    const crit__mineral *m = &world->min[k];
    if (out_wedge)
        *out_wedge = crit__wedge(world, m, i, j);
    if (out_allowed)
        *out_allowed = crit__arc_allowed(world, m, i, j);
    return CRIT_OK;
}

int crit_world_export_quota_get(double *out, const crit_world *world,
                                const char *mineral, const char *exporter)
{
    size_t k = 0, i = 0;
    if (!out)
        return crit__error(CRIT_EINVAL, "export quota get: out is NULL");
    int rc = resolve2(world, exporter, mineral, &i, &k);
    if (rc)
        return rc;
    *out = world->min[k].quota[i];
    return CRIT_OK;
}

/* ---- copy and equality ------------------------------------------------- */

int crit_world_copy(crit_world **out, const crit_world *world)
{
    if (!out || !world)
        return crit__error(CRIT_EINVAL, "world copy: NULL argument");
    crit_world *c = NULL; /* gcc -O2 alone cannot see crit_world_new set it */
    int rc = crit_world_new(&c);
    if (rc)
        return rc;
    if (world->n_min) {
        c->min = crit__calloc(world->n_min, sizeof *c->min);
        if (!c->min)
            goto oom;
        c->cap_min = world->n_min;
    }
    if (world->n_eco) {
        c->eco = crit__calloc(world->n_eco, sizeof *c->eco);
        if (!c->eco)
            goto oom;
        c->cap_eco = world->n_eco;
    }
    c->stride = world->stride;
    for (size_t i = 0; i < world->n_eco; i++) {
        const crit__economy *e = &world->eco[i];
        crit__economy *d = &c->eco[c->n_eco];
        d->code = crit__strdup(e->code);
        d->name = crit__strdup(e->name);
        d->member = e->member;
        c->n_eco++;
        if (!d->code || !d->name)
            goto oom;
    }
    for (size_t k = 0; k < world->n_min; k++) {
        const crit__mineral *s = &world->min[k];
        crit__mineral *d = &c->min[c->n_min];
        c->n_min++;
        d->code = crit__strdup(s->code);
        d->name = crit__strdup(s->name);
        d->basis = crit__strdup(s->basis);
        if (!d->code || !d->name || !d->basis || tables_alloc(d, world->stride))
            goto oom;
        d->p0 = s->p0;
        d->pmax = s->pmax;
        d->holding = s->holding;
        tables_copy(d, c->stride, s, world->stride, world->n_eco);
    }
    *out = c;
    return CRIT_OK;
oom:
    world_destroy(c);
    return crit__error_oom();
}

static int same_doubles(const double *a, const double *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(a[i] == b[i]))
            return 0;
    return 1;
}

int32_t crit_world_equal(const crit_world *a, const crit_world *b)
{
    if (!a || !b)
        return 0;
    if (a->n_min != b->n_min || a->n_eco != b->n_eco)
        return 0;
    size_t n = a->n_eco;
    for (size_t i = 0; i < n; i++)
        if (strcmp(a->eco[i].code, b->eco[i].code) ||
            strcmp(a->eco[i].name, b->eco[i].name) ||
            a->eco[i].member != b->eco[i].member)
            return 0;
    for (size_t k = 0; k < a->n_min; k++) {
        const crit__mineral *x = &a->min[k], *y = &b->min[k];
        if (strcmp(x->code, y->code) || strcmp(x->name, y->name) ||
            strcmp(x->basis, y->basis) || x->p0 != y->p0 ||
            x->pmax != y->pmax || x->holding != y->holding)
            return 0;
        if (!same_doubles(x->xtax, y->xtax, n) ||
            !same_doubles(x->xtax_rate, y->xtax_rate, n) ||
            !same_doubles(x->quota, y->quota, n) ||
            !same_doubles((const double *)x->curve, (const double *)y->curve,
                          n * (sizeof(crit__curve) / sizeof(double))))
            return 0;
        for (size_t i = 0; i < n; i++) {
            size_t ra = i * a->stride, rb = i * b->stride;
            if (!same_doubles(x->transport + ra, y->transport + rb, n) ||
                !same_doubles(x->tariff + ra, y->tariff + rb, n) ||
                !same_doubles(x->tariff_rate + ra, y->tariff_rate + rb, n) ||
                memcmp(x->ban + ra, y->ban + rb, n) != 0)
                return 0;
        }
    }
    return 1;
}

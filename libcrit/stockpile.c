/*
 * Stockpiles: definitions, participants, and the bookkeeping of MODEL.md
 * section 5. The conventions are documented in crit/stockpile.h.
 */
#include "stockpile_internal.h"

#include <math.h>
#include <string.h>

#define STOCKPILE_DEF_V1 CRIT__SIZE_TO(crit_stockpile_def, cash_usd)
#define STOCK_DEF_V1 CRIT__SIZE_TO(crit_stockpile_mineral_def, loss_rate_per_yr)
#define PARTICIPANT_DEF_V1                                                     \
    CRIT__SIZE_TO(crit_participant_def, replenish_rate_t_per_yr)

/* Relative slack allowed on a settlement against the caps, for results of
 * a solver that meets its residual but not exact arithmetic. */
#define SETTLE_SLACK CRIT__SETTLE_SLACK

void crit_stockpile_def_init(crit_stockpile_def *def)
{
    if (!def)
        return;
    memset(def, 0, sizeof *def);
    def->size = sizeof *def;
}

void crit_stockpile_mineral_def_init(crit_stockpile_mineral_def *def)
{
    if (!def)
        return;
    memset(def, 0, sizeof *def);
    def->size = sizeof *def;
    def->target_unit = CRIT_TARGET_TONNES;
    def->smoothing = 0.05;
}

void crit_participant_def_init(crit_participant_def *def)
{
    if (!def)
        return;
    memset(def, 0, sizeof *def);
    def->size = sizeof *def;
    def->kind = CRIT_PARTICIPANT_FIRM;
}

/* ---- lifetime ---------------------------------------------------------- */

static void stockpile_release(crit_stockpile *s)
{
    for (size_t k = 0; k < s->n_part; k++)
        crit__free(s->part[k].name);
    crit__free(s->part);
    crit__free(s->stock);
    crit__free(s->name);
    crit__world_unref(s->world);
    crit__free(s);
}

void crit_stockpile_free(crit_stockpile *stockpile)
{
    if (stockpile)
        stockpile_release(stockpile);
}

int crit_stockpile_new(crit_stockpile **out, const crit_world *world,
                       const crit_stockpile_def *def)
{
    return crit__stockpile_new(out, world, def, 1);
}

int crit__stockpile_new(crit_stockpile **out, const crit_world *world,
                        const crit_stockpile_def *def, int member_required)
{
    if (!out || !world || !def)
        return crit__error(CRIT_EINVAL, "stockpile: NULL argument");
    int rc = crit__check_struct_size(def, STOCKPILE_DEF_V1, sizeof *def,
                                     "stockpile definition");
    if (rc)
        return rc;
    const char *name = def->name ? def->name : "stockpile";
    if (!def->economy)
        return crit__error(CRIT_EINVAL, "stockpile '%s': no economy given",
                           name);
    size_t eco;
    if ((rc = crit__world_find_economy(&eco, world, def->economy)))
        return rc;
    if (member_required && !world->eco[eco].member)
        return crit__error(CRIT_EINVAL,
                           "stockpile '%s': economy '%s' is not a member of "
                           "the coalition",
                           name, def->economy);
    if (!crit__is_finite(def->cash_usd) || def->cash_usd < 0)
        return crit__error(CRIT_EINVAL,
                           "stockpile '%s': cash %g must be finite and >= 0",
                           name, def->cash_usd);
    crit_stockpile *s = crit__calloc(1, sizeof *s);
    if (!s)
        return crit__error_oom();
    s->name = crit__strdup(name);
    if (!s->name) {
        crit__free(s);
        return crit__error_oom();
    }
    s->world = crit__world_ref(world);
    s->economy = eco;
    s->cash = def->cash_usd;
    *out = s;
    return CRIT_OK;
}

int crit_stockpile_copy(crit_stockpile **out, const crit_stockpile *stockpile)
{
    if (!out || !stockpile)
        return crit__error(CRIT_EINVAL, "stockpile: NULL argument");
    const crit_stockpile *s = stockpile;
    crit_stockpile *c = crit__calloc(1, sizeof *c);
    if (!c)
        return crit__error_oom();
    *c = *s;
    c->name = NULL;
    c->stock = NULL;
    c->part = NULL;
    c->n_part = 0;
    c->world = NULL;
    c->name = crit__strdup(s->name);
    if (!c->name)
        goto oom;
    if (s->n_stock) {
        c->stock = crit__malloc_array(s->n_stock, sizeof *c->stock);
        if (!c->stock)
            goto oom;
        memcpy(c->stock, s->stock, s->n_stock * sizeof *c->stock);
    }
    c->cap_stock = s->n_stock;
    if (s->n_part) {
        c->part = crit__calloc(s->n_part, sizeof *c->part);
        if (!c->part)
            goto oom;
        for (size_t k = 0; k < s->n_part; k++) {
            c->part[k] = s->part[k];
            c->part[k].name = crit__strdup(s->part[k].name);
            c->n_part = k + 1;
            if (!c->part[k].name)
                goto oom;
        }
    }
    c->cap_part = s->n_part;
    c->world = crit__world_ref(s->world);
    *out = c;
    return CRIT_OK;
oom:
    for (size_t k = 0; k < c->n_part; k++)
        crit__free(c->part[k].name);
    crit__free(c->part);
    crit__free(c->stock);
    crit__free(c->name);
    crit__free(c);
    return crit__error_oom();
}

/* ---- minerals ---------------------------------------------------------- */

static int check_nonneg(const crit_stockpile *s, const char *mineral,
                        const char *field, double v)
{
    if (crit__is_finite(v) && v >= 0)
        return CRIT_OK;
    return crit__error(CRIT_EINVAL,
                       "stockpile '%s' mineral '%s': %s %g must be finite "
                       "and >= 0",
                       s->name, mineral, field, v);
}

static int check_stock_def(const crit_stockpile *s,
                           const crit_stockpile_mineral_def *d)
{
    const char *m = d->mineral;
    int rc;
    if ((rc = check_nonneg(s, m, "inventory", d->inventory_t)) ||
        (rc = check_nonneg(s, m, "capacity", d->capacity_t)) ||
        (rc = check_nonneg(s, m, "minimum", d->minimum_t)) ||
        (rc = check_nonneg(s, m, "target", d->target)) ||
        (rc = check_nonneg(s, m, "acquisition rate",
                           d->acquisition_rate_t_per_yr)) ||
        (rc = check_nonneg(s, m, "release rate", d->release_rate_t_per_yr)) ||
        (rc = check_nonneg(s, m, "purchase trigger",
                           d->purchase_trigger_usd_per_t)) ||
        (rc = check_nonneg(s, m, "release trigger",
                           d->release_trigger_usd_per_t)) ||
        (rc = check_nonneg(s, m, "emergency trigger",
                           d->emergency_trigger_usd_per_t)) ||
        (rc = check_nonneg(s, m, "loss rate", d->loss_rate_per_yr)))
        return rc;
    if (d->capacity_t <= 0)
        return crit__error(CRIT_EINVAL,
                           "stockpile '%s' mineral '%s': capacity %g must be "
                           "> 0",
                           s->name, m, d->capacity_t);
    if (d->inventory_t > d->capacity_t)
        return crit__error(CRIT_EINVAL,
                           "stockpile '%s' mineral '%s': inventory %g is above "
                           "the capacity %g",
                           s->name, m, d->inventory_t, d->capacity_t);
    if (d->minimum_t > d->capacity_t)
        return crit__error(CRIT_EINVAL,
                           "stockpile '%s' mineral '%s': strategic minimum %g "
                           "is above the capacity %g",
                           s->name, m, d->minimum_t, d->capacity_t);
    if (d->target_unit < CRIT_TARGET_TONNES ||
        d->target_unit > CRIT_TARGET_MONTHS_OF_IMPORTS)
        return crit__error(CRIT_EINVAL,
                           "stockpile '%s' mineral '%s': unknown target unit "
                           "%d",
                           s->name, m, (int)d->target_unit);
    if (d->target_unit == CRIT_TARGET_TONNES && d->target > d->capacity_t)
        return crit__error(CRIT_EINVAL,
                           "stockpile '%s' mineral '%s': target %g t is above "
                           "the capacity %g",
                           s->name, m, d->target, d->capacity_t);
    if (d->release_trigger_usd_per_t <= d->purchase_trigger_usd_per_t)
        return crit__error(CRIT_EINVAL,
                           "stockpile '%s' mineral '%s': release trigger %g "
                           "is not above the purchase trigger %g",
                           s->name, m, d->release_trigger_usd_per_t,
                           d->purchase_trigger_usd_per_t);
    if (!crit__is_finite(d->smoothing) || d->smoothing <= 0)
        return crit__error(CRIT_EINVAL,
                           "stockpile '%s' mineral '%s': smoothing %g must be "
                           "finite and > 0",
                           s->name, m, d->smoothing);
    if (d->loss_rate_per_yr > 1)
        return crit__error(CRIT_EINVAL,
                           "stockpile '%s' mineral '%s': loss rate %g is "
                           "above 1 a year",
                           s->name, m, d->loss_rate_per_yr);
    return CRIT_OK;
}

static int find_slot(const crit_stockpile *s, size_t mineral, size_t *out)
{
    for (size_t k = 0; k < s->n_stock; k++) {
        if (s->stock[k].mineral == mineral) {
            *out = k;
            return 1;
        }
    }
    return 0;
}

int crit_stockpile_add_mineral(crit_stockpile *stockpile,
                               const crit_stockpile_mineral_def *def)
{
    if (!stockpile || !def)
        return crit__error(CRIT_EINVAL, "stockpile: NULL argument");
    crit_stockpile *s = stockpile;
    int rc = crit__check_struct_size(def, STOCK_DEF_V1, sizeof *def,
                                     "stockpile mineral definition");
    if (rc)
        return rc;
    if (!def->mineral)
        return crit__error(CRIT_EINVAL, "stockpile '%s': no mineral given",
                           s->name);
    size_t k, dummy;
    if ((rc = crit__world_find_mineral(&k, s->world, def->mineral)))
        return rc;
    if (find_slot(s, k, &dummy))
        return crit__error(CRIT_EEXISTS,
                           "stockpile '%s' already holds mineral '%s'", s->name,
                           def->mineral);
    if ((rc = check_stock_def(s, def)))
        return rc;
    if (s->n_stock == s->cap_stock) {
        size_t cap = s->cap_stock ? 2 * s->cap_stock : 4;
        crit__stock *p = crit__realloc_array(s->stock, cap, sizeof *p);
        if (!p)
            return crit__error_oom();
        s->stock = p;
        s->cap_stock = cap;
    }
    crit__stock *st = &s->stock[s->n_stock++];
    memset(st, 0, sizeof *st);
    crit__copy_in(&st->def, def, sizeof st->def);
    st->def.mineral = NULL;
    st->mineral = k;
    st->inventory = def->inventory_t;
    return CRIT_OK;
}

size_t crit_stockpile_mineral_count(const crit_stockpile *stockpile)
{
    return stockpile ? stockpile->n_stock : 0;
}

const char *crit_stockpile_name(const crit_stockpile *stockpile)
{
    return stockpile ? stockpile->name : NULL;
}

size_t crit_stockpile_economy(const crit_stockpile *stockpile)
{
    return stockpile ? stockpile->economy : 0;
}

int crit_stockpile_mineral_slot(size_t *out, const crit_stockpile *stockpile,
                                const char *mineral)
{
    if (!out || !stockpile || !mineral)
        return crit__error(CRIT_EINVAL, "stockpile: NULL argument");
    size_t k, slot;
    int rc = crit__world_find_mineral(&k, stockpile->world, mineral);
    if (rc)
        return rc;
    if (!find_slot(stockpile, k, &slot))
        return crit__error(CRIT_ENOTFOUND,
                           "stockpile '%s' does not hold mineral '%s'",
                           stockpile->name, mineral);
    *out = slot;
    return CRIT_OK;
}

static int check_slot(const crit_stockpile *s, size_t slot)
{
    if (!s)
        return crit__error(CRIT_EINVAL, "stockpile: NULL argument");
    if (slot >= s->n_stock)
        return crit__error(CRIT_ERANGE,
                           "stockpile '%s': mineral slot %zu is beyond its "
                           "%zu minerals",
                           s->name, slot, s->n_stock);
    return CRIT_OK;
}

int crit_stockpile_mineral_get(crit_stockpile_mineral_def *out,
                               const crit_stockpile *stockpile, size_t slot)
{
    if (!out)
        return crit__error(CRIT_EINVAL, "stockpile: NULL argument");
    int rc = check_slot(stockpile, slot);
    if (rc)
        return rc;
    if ((rc = crit__check_out_size(out->size, STOCK_DEF_V1,
                                   "stockpile mineral definition")))
        return rc;
    const crit__stock *st = &stockpile->stock[slot];
    crit_stockpile_mineral_def v = st->def;
    v.mineral = stockpile->world->min[st->mineral].code;
    v.inventory_t = st->inventory;
    crit__copy_out(out, &v, sizeof v);
    return CRIT_OK;
}

/* ---- participants ------------------------------------------------------ */

static int check_part_num(const char *name, const char *field, double v)
{
    if (crit__is_finite(v) && v >= 0)
        return CRIT_OK;
    return crit__error(CRIT_EINVAL,
                       "participant '%s': %s %g must be finite and >= 0", name,
                       field, v);
}

int crit_stockpile_add_participant(size_t *out_index, crit_stockpile *stockpile,
                                   const crit_participant_def *def)
{
    if (!stockpile || !def)
        return crit__error(CRIT_EINVAL, "stockpile: NULL argument");
    crit_stockpile *s = stockpile;
    int rc = crit__check_struct_size(def, PARTICIPANT_DEF_V1, sizeof *def,
                                     "participant definition");
    if (rc)
        return rc;
    if (!def->name || !def->name[0])
        return crit__error(
            CRIT_EINVAL, "stockpile '%s': a participant needs a name", s->name);
    const char *n = def->name;
    if (def->kind != CRIT_PARTICIPANT_FIRM &&
        def->kind != CRIT_PARTICIPANT_TRADER)
        return crit__error(CRIT_EINVAL, "participant '%s': unknown kind %d", n,
                           (int)def->kind);
    if ((rc = check_part_num(n, "demand", def->demand_t_per_yr)) ||
        (rc = check_part_num(n, "upfront fee", def->upfront_fee_usd)) ||
        (rc = check_part_num(n, "annual fee", def->annual_fee_usd_per_yr)) ||
        (rc = check_part_num(n, "draw right", def->draw_right_t)) ||
        (rc = check_part_num(n, "draw rate", def->draw_rate_t_per_yr)) ||
        (rc = check_part_num(n, "draw price", def->draw_price_usd_per_t)) ||
        (rc = check_part_num(n, "replenishment rate",
                             def->replenish_rate_t_per_yr)))
        return rc;
    int has_terms = def->demand_t_per_yr > 0 || def->draw_right_t > 0 ||
                    def->draw_rate_t_per_yr > 0 ||
                    def->draw_price_usd_per_t > 0 ||
                    def->replenish_rate_t_per_yr > 0;
    if (def->kind == CRIT_PARTICIPANT_TRADER && (def->mineral || has_terms))
        return crit__error(CRIT_EINVAL,
                           "participant '%s': a trader pays fees only (no "
                           "mineral, demand, draw right or replenishment)",
                           n);
    size_t slot = SIZE_MAX;
    if (def->mineral) {
        size_t k;
        if ((rc = crit__world_find_mineral(&k, s->world, def->mineral)))
            return rc;
        if (!find_slot(s, k, &slot))
            return crit__error(CRIT_EINVAL,
                               "participant '%s': stockpile '%s' does not "
                               "hold mineral '%s'",
                               n, s->name, def->mineral);
        if (def->draw_right_t > 0 && def->draw_price_usd_per_t <= 0)
            return crit__error(CRIT_EINVAL,
                               "participant '%s': a draw right needs an "
                               "agreed price > 0",
                               n);
    } else if (has_terms) {
        return crit__error(CRIT_EINVAL,
                           "participant '%s': demand, a draw right or "
                           "replenishment need a mineral",
                           n);
    }
    /* The name first: a failure after growing the array from nothing
     * would leave a new block behind. */
    char *name = crit__strdup(n);
    if (!name)
        return crit__error_oom();
    if (s->n_part == s->cap_part) {
        size_t cap = s->cap_part ? 2 * s->cap_part : 4;
        crit__participant *p = crit__realloc_array(s->part, cap, sizeof *p);
        if (!p) {
            crit__free(name);
            return crit__error_oom();
        }
        s->part = p;
        s->cap_part = cap;
    }
    crit__participant *p = &s->part[s->n_part];
    memset(p, 0, sizeof *p);
    crit__copy_in(&p->def, def, sizeof p->def);
    p->def.name = NULL;
    p->def.mineral = NULL;
    p->name = name;
    p->slot = slot;
    if (out_index)
        *out_index = s->n_part;
    s->n_part++;
    return CRIT_OK;
}

size_t crit_stockpile_participant_count(const crit_stockpile *stockpile)
{
    return stockpile ? stockpile->n_part : 0;
}

static int check_part(const crit_stockpile *s, size_t index)
{
    if (!s)
        return crit__error(CRIT_EINVAL, "stockpile: NULL argument");
    if (index >= s->n_part)
        return crit__error(CRIT_ERANGE,
                           "stockpile '%s': participant %zu is beyond its %zu "
                           "participants",
                           s->name, index, s->n_part);
    return CRIT_OK;
}

int crit_stockpile_participant_get(crit_participant_def *out,
                                   const crit_stockpile *stockpile,
                                   size_t participant)
{
    if (!out)
        return crit__error(CRIT_EINVAL, "stockpile: NULL argument");
    int rc = check_part(stockpile, participant);
    if (rc)
        return rc;
    if ((rc = crit__check_out_size(out->size, PARTICIPANT_DEF_V1,
                                   "participant definition")))
        return rc;
    const crit__participant *p = &stockpile->part[participant];
    crit_participant_def v = p->def;
    v.name = p->name;
    v.mineral =
        p->slot == SIZE_MAX
            ? NULL
            : stockpile->world->min[stockpile->stock[p->slot].mineral].code;
    crit__copy_out(out, &v, sizeof v);
    return CRIT_OK;
}

int crit_stockpile_participant_state(size_t *out_slot, double *out_drawn_t,
                                     double *out_owed_t,
                                     const crit_stockpile *stockpile,
                                     size_t participant)
{
    int rc = check_part(stockpile, participant);
    if (rc)
        return rc;
    const crit__participant *p = &stockpile->part[participant];
    if (out_slot)
        *out_slot = p->slot;
    if (out_drawn_t)
        *out_drawn_t = p->drawn;
    if (out_owed_t)
        *out_owed_t = p->owed;
    return CRIT_OK;
}

/* ---- state ------------------------------------------------------------- */

double crit__stockpile_target(const crit_stockpile *s, size_t slot)
{
    const crit__stock *st = &s->stock[slot];
    const crit_world *w = s->world;
    double v = st->def.target;
    switch (st->def.target_unit) {
    case CRIT_TARGET_DAYS_OF_DEMAND: {
        double d = 0;
        for (size_t k = 0; k < s->n_part; k++)
            if (s->part[k].slot == slot)
                d += s->part[k].def.demand_t_per_yr;
        return v / 365.0 * d;
    }
    case CRIT_TARGET_MONTHS_OF_IMPORTS: {
        const crit__mineral *m = &w->min[st->mineral];
        double net = 0;
        for (size_t i = 0; i < w->n_eco; i++)
            if (w->eco[i].member)
                net += m->curve[i].d0 - m->curve[i].s0;
        return v / 12.0 * (net > 0 ? net : 0);
    }
    default:
        return v;
    }
}

int crit_stockpile_target_t(double *out, const crit_stockpile *stockpile,
                            size_t slot)
{
    if (!out)
        return crit__error(CRIT_EINVAL, "stockpile: NULL argument");
    int rc = check_slot(stockpile, slot);
    if (rc)
        return rc;
    *out = crit__stockpile_target(stockpile, slot);
    return CRIT_OK;
}

int crit_stockpile_inventory_t(double *out, const crit_stockpile *stockpile,
                               size_t slot)
{
    if (!out)
        return crit__error(CRIT_EINVAL, "stockpile: NULL argument");
    int rc = check_slot(stockpile, slot);
    if (rc)
        return rc;
    *out = stockpile->stock[slot].inventory;
    return CRIT_OK;
}

double crit_stockpile_cash(const crit_stockpile *stockpile)
{
    return stockpile ? stockpile->cash : 0;
}

/* A change that would take the cash beyond a double (finite numbers whose
 * product or sum is not): refused, so that the cash stays a number. */
static int cash_overflow(const crit_stockpile *s, const char *what, double usd)
{
    return crit__error(CRIT_EINVAL,
                       "stockpile '%s': %s %g takes the cash %g beyond a "
                       "double",
                       s->name, what, usd, s->cash);
}

int crit_stockpile_add_cash(crit_stockpile *stockpile, double usd)
{
    if (!stockpile)
        return crit__error(CRIT_EINVAL, "stockpile: NULL argument");
    if (!crit__is_finite(usd))
        return crit__error(CRIT_EINVAL,
                           "stockpile '%s': cash change %g is not finite",
                           stockpile->name, usd);
    if (!crit__is_finite(stockpile->cash + usd))
        return cash_overflow(stockpile, "cash change", usd);
    stockpile->cash += usd;
    return CRIT_OK;
}

int crit_stockpile_set_disruption(crit_stockpile *stockpile, size_t slot,
                                  int32_t disrupted)
{
    int rc = check_slot(stockpile, slot);
    if (rc)
        return rc;
    if (disrupted != 0 && disrupted != 1)
        return crit__error(CRIT_EINVAL,
                           "stockpile '%s': disruption flag %d is not 0 or 1",
                           stockpile->name, (int)disrupted);
    crit__stock *st = &stockpile->stock[slot];
    if (disrupted && !st->disrupted)
        for (size_t k = 0; k < stockpile->n_part; k++)
            if (stockpile->part[k].slot == slot)
                stockpile->part[k].drawn = 0;
    st->disrupted = disrupted;
    return CRIT_OK;
}

int32_t crit_stockpile_disrupted(const crit_stockpile *stockpile, size_t slot)
{
    if (!stockpile || slot >= stockpile->n_stock)
        return 0;
    return stockpile->stock[slot].disrupted;
}

/* ---- the agent --------------------------------------------------------- */

static int check_dt(const crit_stockpile *s, double dt)
{
    if (crit__is_finite(dt) && dt > 0)
        return CRIT_OK;
    return crit__error(CRIT_EINVAL,
                       "stockpile '%s': period length %g must be finite and "
                       "> 0",
                       s->name, dt);
}

static int check_price(const crit_stockpile *s, const char *what, double v)
{
    if (crit__is_finite(v) && v >= 0)
        return CRIT_OK;
    return crit__error(CRIT_EINVAL,
                       "stockpile '%s': %s %g must be finite and >= 0", s->name,
                       what, v);
}

/* Participant k's caps on its own: its right, its rates, what it owes */
static void own_caps(double *draw, double *replenish, const crit_stockpile *s,
                     size_t k, double dt)
{
    const crit__participant *p = &s->part[k];
    const crit__stock *st = &s->stock[p->slot];
    *draw = *replenish = 0;
    if (st->disrupted) {
        double q = p->def.draw_right_t - p->drawn;
        if (p->def.draw_rate_t_per_yr > 0 && p->def.draw_rate_t_per_yr * dt < q)
            q = p->def.draw_rate_t_per_yr * dt;
        *draw = q > 0 ? q : 0;
    } else if (p->def.replenish_rate_t_per_yr > 0 && p->owed > 0) {
        double q = p->def.replenish_rate_t_per_yr * dt;
        *replenish = q < p->owed ? q : p->owed;
    }
}

void crit__stockpile_terms(crit__agent_terms *out, const crit_stockpile *s,
                           size_t slot, double dt)
{
    const crit__stock *st = &s->stock[slot];
    const crit_stockpile_mineral_def *d = &st->def;
    double p0 = s->world->min[st->mineral].p0;
    out->inventory = st->inventory * (1 - d->loss_rate_per_yr * dt);
    if (out->inventory < 0)
        out->inventory = 0;
    out->capacity = d->capacity_t;
    out->minimum = d->minimum_t;
    out->target = crit__stockpile_target(s, slot);
    out->amax = d->acquisition_rate_t_per_yr;
    out->gmax = d->release_rate_t_per_yr;
    out->smoothing = d->smoothing;
    if (out->target > out->capacity)
        out->target = out->capacity;
    /* the participants come first: their draws out of the inventory the
       agent sees, their returns out of the room below its target (in all,
       what crit__participant_caps gives them one by one) */
    double draws = 0, returns = 0;
    for (size_t k = 0; k < s->n_part; k++) {
        if (s->part[k].slot != slot)
            continue;
        double dc, rc;
        own_caps(&dc, &rc, s, k, dt);
        draws += dc;
        returns += rc;
    }
    double room = out->capacity - out->inventory;
    if (draws > out->inventory)
        draws = out->inventory;
    if (returns > room)
        returns = room > 0 ? room : 0;
    if (returns > 0) {
        out->target -= returns;
        if (out->target < 0)
            out->target = 0;
    }
    if (st->disrupted) {
        out->inventory -= draws;
        if (out->inventory < 0)
            out->inventory = 0;
        out->amax = 0;
        out->buy_trigger = 0;
        out->release_trigger = d->emergency_trigger_usd_per_t > 0
                                   ? d->emergency_trigger_usd_per_t
                                   : p0;
    } else {
        out->buy_trigger = d->purchase_trigger_usd_per_t;
        out->release_trigger = d->release_trigger_usd_per_t;
    }
}

double crit__agent_buy(const crit__agent_terms *a, double p, double cash,
                       double dt)
{
    double room = a->target - a->inventory;
    double q = a->amax * dt;
    if (room < q)
        q = room;
    if (p > 0 && cash / p < q)
        q = cash / p;
    if (q <= 0 || cash <= 0)
        return 0;
    double b = a->buy_trigger, hi = b * (1 + a->smoothing);
    if (p <= b)
        return q;
    if (p >= hi)
        return 0;
    /* not (hi - p) / (hi - b): once B (1 + sigma) is beyond a double that
       is inf / inf (the market's agents use the same expressions) */
    return q * (1 - (p - b) / b / a->smoothing);
}

double crit__agent_release(const crit__agent_terms *a, double p, double dt)
{
    double q = a->gmax * dt;
    double room = a->inventory - a->minimum;
    if (room < q)
        q = room;
    if (q <= 0)
        return 0;
    double t = a->release_trigger, hi = t * (1 + a->smoothing);
    if (p <= t)
        return 0;
    if (p >= hi)
        return q;
    /* as the purchase's: (p - t) / (hi - t) would be 0 once T (1 + sigma)
       is beyond a double */
    return q * ((p - t) / t / a->smoothing);
}

int crit_stockpile_market_agent(crit_market_agent_def *out,
                                const crit_stockpile *stockpile, size_t slot,
                                double cash_usd, double dt)
{
    if (!out)
        return crit__error(CRIT_EINVAL, "stockpile: NULL argument");
    int rc = check_slot(stockpile, slot);
    if (rc || (rc = check_dt(stockpile, dt)) ||
        (rc = check_price(stockpile, "cash", cash_usd)))
        return rc;
    if ((rc = crit__check_out_size(out->size, CRIT__AGENT_DEF_V1,
                                   "stockpile agent definition")))
        return rc;
    crit__agent_terms a;
    crit__stockpile_terms(&a, stockpile, slot, dt);
    crit_market_agent_def v;
    crit_market_agent_def_init(&v);
    v.inventory_t = a.inventory;
    v.capacity_t = a.capacity;
    v.minimum_t = a.minimum;
    v.target_t = a.target < a.capacity ? a.target : a.capacity;
    v.acquisition_rate_t_per_yr = a.amax;
    v.release_rate_t_per_yr = a.gmax;
    v.purchase_trigger_usd_per_t = a.buy_trigger;
    v.release_trigger_usd_per_t = a.release_trigger;
    v.smoothing = a.smoothing;
    v.cash_usd = cash_usd;
    crit__copy_out(out, &v, sizeof v);
    return CRIT_OK;
}

int crit_stockpile_participant_agent(crit_market_agent_def *out,
                                     const crit_stockpile *stockpile,
                                     size_t participant, double dt)
{
    if (!out)
        return crit__error(CRIT_EINVAL, "stockpile: NULL argument");
    int rc = check_part(stockpile, participant);
    if (rc || (rc = check_dt(stockpile, dt)))
        return rc;
    if ((rc = crit__check_out_size(out->size, CRIT__AGENT_DEF_V1,
                                   "stockpile agent definition")))
        return rc;
    double draw, rep;
    crit__participant_caps(&draw, &rep, stockpile, participant, dt);
    const crit__participant *p = &stockpile->part[participant];
    crit_market_agent_def v;
    crit_market_agent_def_init(&v);
    v.release_trigger_usd_per_t = 1;
    if (draw > 0) {
        v.inventory_t = draw;
        v.capacity_t = draw;
        v.release_rate_t_per_yr = draw / dt;
        v.release_trigger_usd_per_t = p->def.draw_price_usd_per_t;
    } else if (rep > 0) {
        const crit__stock *st = &stockpile->stock[p->slot];
        double pmax = stockpile->world->min[st->mineral].pmax;
        v.capacity_t = rep;
        v.target_t = rep;
        v.acquisition_rate_t_per_yr = rep / dt;
        /* it buys at any price up to 0.1 % below the choke price, and
           nothing at it: at Pmax the market rations demand, and a
           purchase there would come out of the shortage (a consumption
           below zero) */
        v.smoothing = 1e-3;
        v.purchase_trigger_usd_per_t = pmax / (1 + v.smoothing);
        v.release_trigger_usd_per_t = 2 * pmax;
        v.cash_usd = 2 * pmax * rep;
    }
    crit__copy_out(out, &v, sizeof v);
    return CRIT_OK;
}

int crit_stockpile_purchase(double *out, const crit_stockpile *stockpile,
                            size_t slot, double price, double cash_usd,
                            double dt)
{
    if (!out)
        return crit__error(CRIT_EINVAL, "stockpile: NULL argument");
    int rc = check_slot(stockpile, slot);
    if (rc || (rc = check_dt(stockpile, dt)) ||
        (rc = check_price(stockpile, "price", price)) ||
        (rc = check_price(stockpile, "cash", cash_usd)))
        return rc;
    crit__agent_terms a;
    crit__stockpile_terms(&a, stockpile, slot, dt);
    *out = crit__agent_buy(&a, price, cash_usd, dt);
    return CRIT_OK;
}

int crit_stockpile_release(double *out, const crit_stockpile *stockpile,
                           size_t slot, double price, double dt)
{
    if (!out)
        return crit__error(CRIT_EINVAL, "stockpile: NULL argument");
    int rc = check_slot(stockpile, slot);
    if (rc || (rc = check_dt(stockpile, dt)) ||
        (rc = check_price(stockpile, "price", price)))
        return rc;
    crit__agent_terms a;
    crit__stockpile_terms(&a, stockpile, slot, dt);
    *out = crit__agent_release(&a, price, dt);
    return CRIT_OK;
}

/* ---- settlement -------------------------------------------------------- */

int crit_stockpile_settle(crit_stockpile_flows *out, crit_stockpile *stockpile,
                          size_t slot, double price, double purchased_t,
                          double released_t, double dt)
{
    int rc = check_slot(stockpile, slot);
    if (rc || (rc = check_dt(stockpile, dt)) ||
        (rc = check_price(stockpile, "price", price)) ||
        (rc = check_price(stockpile, "purchase", purchased_t)) ||
        (rc = check_price(stockpile, "release", released_t)))
        return rc;
    crit_stockpile *s = stockpile;
    crit__stock *st = &s->stock[slot];
    const char *m = s->world->min[st->mineral].code;
    double I = st->inventory;
    /* losses take at most the inventory (a rate of up to 1 a year over a
       period longer than a year), as in the agent's J */
    double share = st->def.loss_rate_per_yr * dt;
    double lost = share < 1 ? I * share : I;
    double left = I - lost;
    if (released_t > left * (1 + SETTLE_SLACK))
        return crit__error(CRIT_EINVAL,
                           "stockpile '%s' mineral '%s': release %.17g t is "
                           "above the %.17g t left after losses",
                           s->name, m, released_t, left);
    double closing = (left + purchased_t) - released_t;
    double cap = st->def.capacity_t;
    if (closing > cap * (1 + SETTLE_SLACK))
        return crit__error(CRIT_EINVAL,
                           "stockpile '%s' mineral '%s': closing inventory "
                           "%.17g t is above the capacity %.17g",
                           s->name, m, closing, cap);
    if (closing < 0) /* within the slack: the release took what was left */
        released_t = left + purchased_t, closing = 0;
    double holding = s->world->min[st->mineral].holding * I * dt;
    double buy_usd = price * purchased_t, sell_usd = price * released_t;
    double change = (sell_usd - buy_usd) - holding;
    if (!crit__is_finite(s->cash + change))
        return cash_overflow(s, "settlement's cash change", change);
    st->inventory = closing;
    s->cash += change;
    if (out) {
        out->opening_t = I;
        out->purchased_t = purchased_t;
        out->released_t = released_t;
        out->lost_t = lost;
        out->closing_t = closing;
        out->purchase_usd = buy_usd;
        out->sales_usd = sell_usd;
        out->holding_usd = holding;
        out->cash_change_usd = change;
    }
    return CRIT_OK;
}

int crit_stockpile_collect_fees(double *out, crit_stockpile *stockpile,
                                int32_t period, double dt)
{
    if (!stockpile)
        return crit__error(CRIT_EINVAL, "stockpile: NULL argument");
    int rc = check_dt(stockpile, dt);
    if (rc)
        return rc;
    if (period < 0)
        return crit__error(CRIT_EINVAL,
                           "stockpile '%s': period %d must be >= 0",
                           stockpile->name, (int)period);
    double fees = 0;
    for (size_t k = 0; k < stockpile->n_part; k++) {
        const crit_participant_def *d = &stockpile->part[k].def;
        if (period == 0)
            fees += d->upfront_fee_usd;
        fees += d->annual_fee_usd_per_yr * dt;
    }
    if (!crit__is_finite(stockpile->cash + fees))
        return cash_overflow(stockpile, "fees", fees);
    stockpile->cash += fees;
    if (out)
        *out = fees;
    return CRIT_OK;
}

/*
 * The participants of a mineral share its inventory after losses J and
 * the room above it, in the order they were added: each draws at most
 * what those before it leave of J, and returns at most what they leave of
 * the capacity above J (so that draws never exceed the inventory and
 * returns never take it above the capacity, whatever the market does).
 */
void crit__participant_caps(double *draw, double *replenish,
                            const crit_stockpile *s, size_t k, double dt)
{
    const crit__participant *p = &s->part[k];
    *draw = *replenish = 0;
    if (p->slot == SIZE_MAX)
        return;
    const crit__stock *st = &s->stock[p->slot];
    double left = st->inventory * (1 - st->def.loss_rate_per_yr * dt);
    if (!(left > 0))
        left = 0;
    double room = st->def.capacity_t - left;
    if (!(room > 0))
        room = 0;
    for (size_t j = 0; j <= k; j++) {
        if (s->part[j].slot != p->slot)
            continue;
        double d, r;
        own_caps(&d, &r, s, j, dt);
        d = d < left ? d : left;
        r = r < room ? r : room;
        left -= d;
        room -= r;
        if (j == k) {
            *draw = d;
            *replenish = r;
        }
    }
}

int crit_stockpile_participant_caps(double *out_draw_cap_t,
                                    double *out_replenish_cap_t,
                                    const crit_stockpile *stockpile,
                                    size_t participant, double dt)
{
    int rc = check_part(stockpile, participant);
    if (rc || (rc = check_dt(stockpile, dt)))
        return rc;
    double d, r;
    crit__participant_caps(&d, &r, stockpile, participant, dt);
    if (out_draw_cap_t)
        *out_draw_cap_t = d;
    if (out_replenish_cap_t)
        *out_replenish_cap_t = r;
    return CRIT_OK;
}

int crit_stockpile_settle_participant(double *out_cash_usd,
                                      crit_stockpile *stockpile,
                                      size_t participant, double drawn_t,
                                      double replenished_t)
{
    int rc = check_part(stockpile, participant);
    if (rc || (rc = check_price(stockpile, "draw", drawn_t)) ||
        (rc = check_price(stockpile, "replenishment", replenished_t)))
        return rc;
    crit_stockpile *s = stockpile;
    crit__participant *p = &s->part[participant];
    if ((drawn_t > 0 || replenished_t > 0) && p->slot == SIZE_MAX)
        return crit__error(CRIT_EINVAL,
                           "participant '%s' holds no mineral to draw or "
                           "return",
                           p->name);
    if (drawn_t == 0 && replenished_t == 0) {
        if (out_cash_usd)
            *out_cash_usd = 0;
        return CRIT_OK;
    }
    crit__stock *st = &s->stock[p->slot];
    double slack = SETTLE_SLACK * (st->def.capacity_t + drawn_t);
    if (drawn_t > 0 && !st->disrupted)
        return crit__error(CRIT_EINVAL,
                           "participant '%s': draw %g t outside a "
                           "disruption",
                           p->name, drawn_t);
    if (drawn_t > p->def.draw_right_t - p->drawn + slack)
        return crit__error(CRIT_EINVAL,
                           "participant '%s': draw %.17g t is above the "
                           "%.17g t left of its right",
                           p->name, drawn_t, p->def.draw_right_t - p->drawn);
    if (drawn_t > st->inventory + slack)
        return crit__error(CRIT_EINVAL,
                           "participant '%s': draw %.17g t is above the "
                           "inventory %.17g t",
                           p->name, drawn_t, st->inventory);
    if (replenished_t > p->owed + slack)
        return crit__error(CRIT_EINVAL,
                           "participant '%s': return of %.17g t is above the "
                           "%.17g t it owes",
                           p->name, replenished_t, p->owed);
    double closing = (st->inventory - drawn_t) + replenished_t;
    if (closing > st->def.capacity_t + slack)
        return crit__error(CRIT_EINVAL,
                           "participant '%s': return of %.17g t takes the "
                           "inventory above the capacity %.17g",
                           p->name, replenished_t, st->def.capacity_t);
    if (closing < 0)
        drawn_t = st->inventory + replenished_t, closing = 0;
    double cash = p->def.draw_price_usd_per_t * drawn_t -
                  p->def.draw_price_usd_per_t * replenished_t;
    if (!crit__is_finite(s->cash + cash))
        return cash_overflow(s, "participant's cash change", cash);
    st->inventory = closing;
    p->drawn += drawn_t;
    if (p->def.replenish_rate_t_per_yr > 0)
        p->owed = (p->owed + drawn_t) - replenished_t;
    if (p->owed < 0)
        p->owed = 0;
    s->cash += cash;
    if (out_cash_usd)
        *out_cash_usd = cash;
    return CRIT_OK;
}

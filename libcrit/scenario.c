/*
 * Scenarios: definition, validation and the deterministic run of MODEL.md
 * section 8. The conventions are documented in crit/scenario.h.
 */
#include "date_internal.h"
#include "scenario_internal.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#define SCENARIO_DEF_V1                                                        \
    CRIT__SIZE_TO(crit_scenario_def, disruption_from_restrictions)
#define EVENT_DEF_V1 CRIT__SIZE_TO(crit_event_def, value3)
#define MAX_PERIODS 100000

/* ---- series table ------------------------------------------------------ */

enum shape {
    TKE = CRIT__SHAPE_TKE,
    TK = CRIT__SHAPE_TK,
    TSK = CRIT__SHAPE_TSK,
    TS = CRIT__SHAPE_TS,
    TL = CRIT__SHAPE_TL,
    T1 = CRIT__SHAPE_T
};

static const struct {
    const char *name;
    enum shape shape;
} SERIES[CRIT_SERIES_COUNT] = {
    [CRIT_SERIES_PRICE] = {"price", TKE},
    [CRIT_SERIES_PRODUCTION] = {"production", TKE},
    [CRIT_SERIES_CONSUMPTION] = {"consumption", TKE},
    [CRIT_SERIES_DEMAND] = {"demand", TKE},
    [CRIT_SERIES_SHORTAGE] = {"shortage", TKE},
    [CRIT_SERIES_DISPOSAL] = {"disposal", TKE},
    [CRIT_SERIES_IMPORTS] = {"imports", TKE},
    [CRIT_SERIES_EXPORTS] = {"exports", TKE},
    [CRIT_SERIES_STOCK_PURCHASE] = {"stock_purchase", TKE},
    [CRIT_SERIES_STOCK_RELEASE] = {"stock_release", TKE},
    [CRIT_SERIES_TARIFF_REVENUE] = {"tariff_revenue", TKE},
    [CRIT_SERIES_EXPORT_TAX_REVENUE] = {"export_tax_revenue", TKE},
    [CRIT_SERIES_QUOTA_RENT] = {"quota_rent", TKE},
    [CRIT_SERIES_QUOTA_RENT_REVENUE] = {"quota_rent_revenue", TKE},
    [CRIT_SERIES_CFD_PAID] = {"cfd_paid", TKE},
    [CRIT_SERIES_CFD_RECEIVED] = {"cfd_received", TKE},
    [CRIT_SERIES_LEVY_REVENUE] = {"levy_revenue", TKE},
    [CRIT_SERIES_LEVY] = {"levy", TK},
    [CRIT_SERIES_DISRUPTED] = {"disrupted", TK},
    [CRIT_SERIES_RESIDUAL] = {"residual", TK},
    [CRIT_SERIES_INVENTORY] = {"inventory", TSK},
    [CRIT_SERIES_PURCHASED] = {"purchased", TSK},
    [CRIT_SERIES_RELEASED] = {"released", TSK},
    [CRIT_SERIES_LOST] = {"lost", TSK},
    [CRIT_SERIES_DRAWN] = {"drawn", TSK},
    [CRIT_SERIES_REPLENISHED] = {"replenished", TSK},
    [CRIT_SERIES_TARGET] = {"target", TSK},
    [CRIT_SERIES_COVER_DAYS] = {"cover_days", TSK},
    [CRIT_SERIES_COVER_MONTHS] = {"cover_months", TSK},
    [CRIT_SERIES_CASH] = {"cash", TS},
    [CRIT_SERIES_FEES] = {"fees", TS},
    [CRIT_SERIES_SALES] = {"sales", TS},
    [CRIT_SERIES_DRAW_PAYMENTS] = {"draw_payments", TS},
    [CRIT_SERIES_LOAN_DRAWS] = {"loan_draws", TS},
    [CRIT_SERIES_FUNDING_GAP] = {"funding_gap", TS},
    [CRIT_SERIES_PURCHASES] = {"purchases", TS},
    [CRIT_SERIES_HOLDING] = {"holding", TS},
    [CRIT_SERIES_REFUNDS] = {"refunds", TS},
    [CRIT_SERIES_DEBT_SERVICE] = {"debt_service", TS},
    [CRIT_SERIES_LOAN_BALANCE] = {"loan_balance", TL},
    [CRIT_SERIES_LOAN_DRAWN] = {"loan_drawn", TL},
    [CRIT_SERIES_LOAN_INTEREST] = {"loan_interest", TL},
    [CRIT_SERIES_LOAN_PRINCIPAL] = {"loan_principal", TL},
    [CRIT_SERIES_LOAN_FEES] = {"loan_fees", TL},
    [CRIT_SERIES_PROGRAMME_SPENDING] = {"programme_spending", T1},
    [CRIT_SERIES_CFD_NET] = {"cfd_net", T1},
    [CRIT_SERIES_LEVY_TOTAL] = {"levy_total", T1},
    [CRIT_SERIES_PUBLIC_COST] = {"public_cost", T1},
};

const char *crit_series_name(int32_t series)
{
    if (series < 0 || series >= CRIT_SERIES_COUNT)
        return NULL;
    return SERIES[series].name;
}

int crit__series_axes(int32_t series)
{
    return (int)SERIES[series].shape;
}

/* ---- the scenario ------------------------------------------------------ */

void crit_scenario_def_init(crit_scenario_def *def)
{
    if (!def)
        return;
    memset(def, 0, sizeof *def);
    def->size = sizeof *def;
    def->months_per_period = 1;
    def->disruption_from_restrictions = 1;
}

void crit_event_def_init(crit_event_def *def)
{
    if (!def)
        return;
    memset(def, 0, sizeof *def);
    def->size = sizeof *def;
}

/* Scenario ids: a result records its scenario's id and revision, so that
 * saving it with that scenario after a change is refused. */
static atomic_uint_fast64_t last_scenario_id;

/* Every successful change of a scenario ends here. */
static int changed(crit_scenario *s)
{
    s->rev++;
    return CRIT_OK;
}

int crit_scenario_new(crit_scenario **out, const crit_world *world,
                      const crit_scenario_def *def)
{
    if (!out || !world || !def)
        return crit__error(CRIT_EINVAL, "scenario: NULL argument");
    int rc = crit__check_struct_size(def, SCENARIO_DEF_V1, sizeof *def,
                                     "scenario definition");
    if (rc)
        return rc;
    if (!crit_date_is_valid(def->start))
        return crit__error(CRIT_EINVAL,
                           "scenario: start date %d is not a valid date",
                           (int)def->start);
    if (def->periods < 1 || def->periods > MAX_PERIODS)
        return crit__error(CRIT_EINVAL,
                           "scenario: %d periods is outside 1 to %d",
                           (int)def->periods, MAX_PERIODS);
    int32_t mo = def->months_per_period;
    if (mo != 1 && mo != 2 && mo != 3 && mo != 4 && mo != 6 && mo != 12)
        return crit__error(CRIT_EINVAL,
                           "scenario: %d months per period is not 1, 2, 3, "
                           "4, 6 or 12",
                           (int)mo);
    if (def->disruption_from_restrictions != 0 &&
        def->disruption_from_restrictions != 1)
        return crit__error(CRIT_EINVAL,
                           "scenario: disruption_from_restrictions %d is not "
                           "0 or 1",
                           (int)def->disruption_from_restrictions);
    crit_date end;
    if (crit__date_add_months(&end, def->start, def->periods * mo, 0))
        return crit__error(CRIT_EINVAL,
                           "scenario: a horizon of %d periods of %d months "
                           "ends after 9999-12-31",
                           (int)def->periods, (int)mo);
    crit_scenario *s = crit__calloc(1, sizeof *s);
    if (!s)
        return crit__error_oom();
    s->world = crit__world_ref(world);
    s->start = def->start;
    s->periods = def->periods;
    s->months = mo;
    s->auto_disrupt = def->disruption_from_restrictions;
    crit_market_options_init(&s->mopt);
    s->id = (uint64_t)atomic_fetch_add(&last_scenario_id, 1) + 1;
    *out = s;
    return CRIT_OK;
}

void crit_scenario_free(crit_scenario *scenario)
{
    crit_scenario *s = scenario;
    if (!s)
        return;
    crit__free(s->ev);
    for (size_t k = 0; k < s->n_pol; k++)
        crit__free(s->pol[k].floor);
    crit__free(s->pol);
    for (size_t k = 0; k < s->n_sp; k++)
        crit_stockpile_free(s->sp[k]);
    crit__free(s->sp);
    for (size_t k = 0; k < s->n_loan; k++)
        crit_loan_free(s->loan[k]);
    crit__free(s->loan);
    crit__free(s->loan_sp);
    for (size_t k = 0; k < s->n_prog; k++)
        crit__free(s->prog[k].name);
    crit__free(s->prog);
    crit__world_unref(s->world);
    crit__free(s);
}

int32_t crit_scenario_periods(const crit_scenario *scenario)
{
    return scenario ? scenario->periods : 0;
}

const crit_world *crit_scenario_world(const crit_scenario *scenario)
{
    return scenario ? scenario->world : NULL;
}

int crit_scenario_counts(size_t *out_stockpiles, size_t *out_loans,
                         const crit_scenario *scenario)
{
    if (!scenario)
        return crit__error(CRIT_EINVAL, "scenario: NULL argument");
    if (out_stockpiles)
        *out_stockpiles = scenario->n_sp;
    if (out_loans)
        *out_loans = scenario->n_loan;
    return CRIT_OK;
}

const crit_stockpile *crit_scenario_stockpile(const crit_scenario *scenario,
                                              size_t stockpile)
{
    if (!scenario || stockpile >= scenario->n_sp)
        return NULL;
    return scenario->sp[stockpile];
}

int crit_scenario_loan_stockpile(size_t *out_index,
                                 const crit_scenario *scenario, size_t loan)
{
    if (!out_index || !scenario)
        return crit__error(CRIT_EINVAL, "scenario: NULL argument");
    if (loan >= scenario->n_loan)
        return crit__error(
            CRIT_ERANGE, "scenario: loan %lu out of range (%lu loans)",
            (unsigned long)loan, (unsigned long)scenario->n_loan);
    *out_index = scenario->loan_sp[loan];
    return CRIT_OK;
}

/* Grow an array of `elem`-sized items to hold one more. */
static int grow(void **arr, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return CRIT_OK;
    size_t c = *cap ? 2 * *cap : 4;
    void *p = crit__realloc_array(*arr, c, elem);
    if (!p)
        return crit__error_oom();
    *arr = p;
    *cap = c;
    return CRIT_OK;
}

/* ---- events ------------------------------------------------------------ */

static const char *const KIND_NAME[] = {
    "export ban", "export ban end",  "export quota",    "export quota end",
    "export tax", "export tax end",  "outage",          "outage end",
    "demand",     "external tariff", "reference price", "floor",
    "floor end",  "disruption",      "disruption end",
};

/* Look a code up; `need` 1: required, 0: optional (NULL gives CRIT__ALL), -1:
 * must be NULL. */
static int find_code(size_t *out, const crit_scenario *s, const char *code,
                     int economy, int need, const char *field, const ev *e)
{
    const char *kind = KIND_NAME[e->kind];
    if (!code) {
        if (need == 1)
            return crit__error(CRIT_EINVAL,
                               "scenario: %s event at period %d needs %s", kind,
                               (int)e->period, field);
        *out = CRIT__ALL;
        return CRIT_OK;
    }
    if (need == -1) {
        /* "a mineral" -> "takes no mineral" */
        const char *noun = strchr(field, ' ');
        return crit__error(CRIT_EINVAL,
                           "scenario: %s event at period %d takes no %s "
                           "(got '%s')",
                           kind, (int)e->period, noun ? noun + 1 : field, code);
    }
    return economy ? crit__world_find_economy(out, s->world, code)
                   : crit__world_find_mineral(out, s->world, code);
}

static int event_value(const ev *e, const char *what, double v, double lo,
                       double hi, int hi_open)
{
    if (crit__is_finite(v) && v >= lo && (hi_open ? v < hi : v <= hi))
        return CRIT_OK;
    return crit__error(CRIT_EINVAL,
                       "scenario: %s event at period %d: %s %g is outside "
                       "[%g, %g%s",
                       KIND_NAME[e->kind], (int)e->period, what, v, lo, hi,
                       hi_open ? ")" : "]");
}

/*
 * An export tax (or subsidy) event against the world's arcs: transport
 * costs and tariffs do not change during a run, so a subsidy that would
 * take an arc's wedge below zero is refused when the event is added and
 * again when the run starts, not in the period it applies.
 */
static int check_tax_event(const ev *e, const crit_world *w)
{
    if (!crit__world_check_export_tax(w, e->mineral, e->economy, e->v1, e->v2))
        return CRIT_OK;
    char msg[400];
    snprintf(msg, sizeof msg, "%s", crit_error_last());
    return crit__error(CRIT_EINVAL,
                       "scenario: export tax event at period %d: %s",
                       (int)e->period, msg);
}

static int check_event(ev *e, const crit_scenario *s, const crit_event_def *d)
{
    if (d->kind < 0 || d->kind > CRIT_EVENT_DISRUPTION_END)
        return crit__error(CRIT_EINVAL, "scenario: unknown event kind %d",
                           (int)d->kind);
    e->kind = d->kind;
    e->period = d->period;
    e->v1 = d->value;
    e->v2 = d->value2;
    e->v3 = d->value3;
    if (d->period < 0 || d->period >= s->periods)
        return crit__error(CRIT_EINVAL,
                           "scenario: %s event at period %d is outside the "
                           "horizon of %d periods (0 to %d)",
                           KIND_NAME[e->kind], (int)d->period, (int)s->periods,
                           (int)s->periods - 1);
    int need_min = 1, need_eco = 1, need_partner = -1;
    switch (d->kind) {
    case CRIT_EVENT_EXPORT_BAN:
    case CRIT_EVENT_EXPORT_BAN_END:
        need_partner = 0;
        break;
    case CRIT_EVENT_DEMAND:
        need_min = need_eco = 0;
        break;
    case CRIT_EVENT_EXTERNAL_TARIFF:
    case CRIT_EVENT_REFERENCE_PRICE:
        need_eco = -1;
        break;
    case CRIT_EVENT_DISRUPTION:
    case CRIT_EVENT_DISRUPTION_END:
        need_min = 0;
        need_eco = -1;
        break;
    default:
        break;
    }
    int rc;
    if ((rc = find_code(&e->mineral, s, d->mineral, 0, need_min, "a mineral",
                        e)) ||
        (rc = find_code(&e->economy, s, d->economy, 1, need_eco, "an economy",
                        e)) ||
        (rc = find_code(&e->partner, s, d->partner, 1, need_partner,
                        "a partner", e)))
        return rc;
    if (e->partner != CRIT__ALL && e->partner == e->economy)
        return crit__error(CRIT_EINVAL,
                           "scenario: %s event at period %d: economy '%s' "
                           "cannot ban exports to itself",
                           KIND_NAME[e->kind], (int)d->period, d->economy);
    /* the values a kind does not read must be 0, as its unused codes must
       be NULL: a value it would ignore is a mistake */
    int reads = 0;
    switch (d->kind) {
    case CRIT_EVENT_EXPORT_QUOTA:
    case CRIT_EVENT_OUTAGE:
    case CRIT_EVENT_DEMAND:
    case CRIT_EVENT_EXTERNAL_TARIFF:
    case CRIT_EVENT_REFERENCE_PRICE:
        reads = 1;
        break;
    case CRIT_EVENT_EXPORT_TAX:
        reads = 2;
        break;
    case CRIT_EVENT_FLOOR:
        reads = 3;
        break;
    default:
        break;
    }
    const double v[] = {d->value, d->value2, d->value3};
    static const char *const vname[] = {"value", "value2", "value3"};
    for (int q = reads; q < 3; q++)
        if (v[q] != 0)
            return crit__error(CRIT_EINVAL,
                               "scenario: %s event at period %d takes no %s "
                               "(got %g)",
                               KIND_NAME[e->kind], (int)d->period, vname[q],
                               v[q]);
    switch (d->kind) {
    case CRIT_EVENT_EXPORT_QUOTA:
        return event_value(e, "quota", d->value, 0, HUGE_VAL, 1);
    case CRIT_EVENT_EXPORT_TAX:
        if (!crit__is_finite(d->value) || !crit__is_finite(d->value2))
            return crit__error(CRIT_EINVAL,
                               "scenario: export tax event at period %d: "
                               "tax %g + rate %g must be finite",
                               (int)d->period, d->value, d->value2);
        return check_tax_event(e, s->world);
    case CRIT_EVENT_OUTAGE:
        return event_value(e, "availability", d->value, 0, 1, 0);
    case CRIT_EVENT_DEMAND:
        if (!crit__is_finite(d->value) || d->value <= 0)
            return crit__error(CRIT_EINVAL,
                               "scenario: demand event at period %d: level "
                               "%g must be finite and > 0",
                               (int)d->period, d->value);
        if (d->value > CRIT__MAX_DEMAND_LEVEL)
            return crit__error(CRIT_EINVAL,
                               "scenario: demand event at period %d: level "
                               "%g is above %g, the most a market takes",
                               (int)d->period, d->value,
                               CRIT__MAX_DEMAND_LEVEL);
        return CRIT_OK;
    case CRIT_EVENT_EXTERNAL_TARIFF:
        return event_value(e, "tariff", d->value, 0, HUGE_VAL, 1);
    case CRIT_EVENT_REFERENCE_PRICE:
        return event_value(e, "reference price", d->value, 0, HUGE_VAL, 1);
    case CRIT_EVENT_FLOOR:
        if ((rc = event_value(e, "floor", d->value, 0, HUGE_VAL, 1)) ||
            (rc = event_value(e, "covered share", d->value2, 0, 1, 0)) ||
            (rc = event_value(e, "upside share", d->value3, 0, 1, 1)))
            return rc;
        if (e->v2 == 0)
            e->v2 = 1;
        return CRIT_OK;
    default:
        return CRIT_OK;
    }
}

int crit_scenario_add_event(crit_scenario *scenario, const crit_event_def *def)
{
    if (!scenario || !def)
        return crit__error(CRIT_EINVAL, "scenario: NULL argument");
    int rc = crit__check_struct_size(def, EVENT_DEF_V1, sizeof *def,
                                     "event definition");
    if (rc)
        return rc;
    ev e;
    crit_scenario *s = scenario;
    if ((rc = check_event(&e, s, def)) ||
        (rc = grow((void **)&s->ev, &s->cap_ev, s->n_ev, sizeof *s->ev)))
        return rc;
    s->ev[s->n_ev++] = e;
    return changed(s);
}

/* ---- policies, stockpiles, loans, programmes --------------------------- */

int crit_scenario_set_policy(crit_scenario *scenario, const crit_policy *policy)
{
    if (!scenario || !policy)
        return crit__error(CRIT_EINVAL, "scenario: NULL argument");
    crit_scenario *s = scenario;
    if (policy->world != s->world)
        return crit__error(CRIT_EINVAL,
                           "scenario: the policy for mineral '%s' is on "
                           "another world",
                           policy->world->min[policy->mineral].code);
    size_t need = s->world->n_min;
    crit__floor *fl = NULL;
    if (policy->n_floor) {
        fl = crit__malloc_array(policy->n_floor, sizeof *fl);
        if (!fl)
            return crit__error_oom();
        memcpy(fl, policy->floor, policy->n_floor * sizeof *fl);
    }
    if (s->n_pol < need) {
        polset *p = crit__realloc_array(s->pol, need, sizeof *p);
        if (!p) {
            crit__free(fl);
            return crit__error_oom();
        }
        memset(p + s->n_pol, 0, (need - s->n_pol) * sizeof *p);
        s->pol = p;
        s->n_pol = need;
    }
    polset *ps = &s->pol[policy->mineral];
    crit__free(ps->floor);
    ps->set = 1;
    ps->ext = policy->ext_tariff;
    ps->rref = policy->rref;
    ps->n_floor = policy->n_floor;
    ps->floor = fl;
    return changed(s);
}

static int check_stockpile_targets(const crit_stockpile *sp)
{
    for (size_t k = 0; k < sp->n_stock; k++) {
        double t = crit__stockpile_target(sp, k);
        double cap = sp->stock[k].def.capacity_t;
        if (t > cap)
            return crit__error(
                CRIT_EINVAL,
                "stockpile '%s' mineral '%s': target %g t is "
                "above the capacity %g t",
                sp->name, sp->world->min[sp->stock[k].mineral].code, t, cap);
    }
    return CRIT_OK;
}

int crit_scenario_add_stockpile(size_t *out_index, crit_scenario *scenario,
                                const crit_stockpile *stockpile)
{
    if (!scenario || !stockpile)
        return crit__error(CRIT_EINVAL, "scenario: NULL argument");
    crit_scenario *s = scenario;
    if (stockpile->world != s->world)
        return crit__error(CRIT_EINVAL,
                           "scenario: stockpile '%s' is on another world",
                           stockpile->name);
    int rc = check_stockpile_targets(stockpile);
    if (rc)
        return rc;
    /* the copy first: a failure after growing the array from nothing
     * would leave a new block behind */
    crit_stockpile *c = NULL;
    if ((rc = crit_stockpile_copy(&c, stockpile)))
        return rc;
    if ((rc = grow((void **)&s->sp, &s->cap_sp, s->n_sp, sizeof *s->sp))) {
        crit_stockpile_free(c);
        return rc;
    }
    if (out_index)
        *out_index = s->n_sp;
    s->sp[s->n_sp++] = c;
    return changed(s);
}

int crit_scenario_add_loan(size_t *out_index, crit_scenario *scenario,
                           const crit_loan *loan, size_t stockpile)
{
    if (!scenario || !loan)
        return crit__error(CRIT_EINVAL, "scenario: NULL argument");
    crit_scenario *s = scenario;
    if (stockpile >= s->n_sp)
        return crit__error(CRIT_ERANGE,
                           "scenario: a loan for stockpile %zu, but only %zu "
                           "stockpiles were added",
                           stockpile, s->n_sp);
    /* the copy first, and the arrays grown from nothing released again
     * when the second fails, so that a failure leaves no new block */
    crit_loan *c = NULL;
    int rc = crit__loan_copy(&c, loan);
    if (rc)
        return rc;
    if (s->n_loan == s->cap_loan) {
        size_t cap = s->cap_loan ? 2 * s->cap_loan : 4;
        crit_loan **l = crit__realloc_array(s->loan, cap, sizeof *l);
        if (!l)
            goto oom;
        s->loan = l;
        size_t *ls = crit__realloc_array(s->loan_sp, cap, sizeof *ls);
        if (!ls) {
            if (!s->cap_loan) {
                crit__free(s->loan);
                s->loan = NULL;
            }
            goto oom;
        }
        s->loan_sp = ls;
        s->cap_loan = cap;
    }
    if (out_index)
        *out_index = s->n_loan;
    s->loan[s->n_loan] = c;
    s->loan_sp[s->n_loan++] = stockpile;
    return changed(s);
oom:
    crit_loan_free(c);
    return crit__error_oom();
}

/*
 * The capacity of economy e's curve for mineral k once every programme on
 * it that comes online within the horizon is, with `added` t/yr more (a
 * programme being added, 0 if it never comes online): refused when it is
 * not finite, naming the programme. Each programme adds a positive
 * amount, so every sum on the way is below the last.
 */
static int check_programme_capacity(const crit_scenario *s, size_t e, size_t k,
                                    double added, const char *name)
{
    double cap = s->world->min[k].curve[e].K + added;
    for (size_t q = 0; q < s->n_prog; q++) {
        const prog *pg = &s->prog[q];
        int32_t online;
        if (pg->eco == e && pg->min == k &&
            crit_programme_online_period(&online, &pg->def, s->months / 12.0) ==
                CRIT_OK &&
            online < s->periods)
            cap +=
                pg->def.budget_usd / pg->def.capital_intensity_usd_per_t_per_yr;
    }
    if (crit__is_finite(cap))
        return CRIT_OK;
    return crit__error(CRIT_EINVAL,
                       "programme '%s': the capacity of economy '%s' for "
                       "mineral '%s' would not be finite with every "
                       "programme on it online (%g t/yr now)",
                       name, s->world->eco[e].code, s->world->min[k].code,
                       s->world->min[k].curve[e].K);
}

int crit_scenario_add_programme(crit_scenario *scenario,
                                const crit_programme_def *def)
{
    if (!scenario || !def)
        return crit__error(CRIT_EINVAL, "scenario: NULL argument");
    crit_scenario *s = scenario;
    int rc = crit_programme_validate(s->world, def);
    if (rc)
        return rc;
    const char *name = def->name ? def->name : "programme";
    if (def->start_period >= s->periods)
        return crit__error(CRIT_EINVAL,
                           "programme '%s': start period %d is outside the "
                           "horizon of %d periods",
                           name, (int)def->start_period, (int)s->periods);
    /* what the run computes from it, checked now rather than when the
       run starts (the online period) or when it comes online (the
       capacity added to the world's curve, which crit_programme_capacity
       refuses when it is not finite) */
    int32_t online;
    double added = 0;
    if ((rc = crit_programme_online_period(&online, def, s->months / 12.0)) ||
        (rc = crit_programme_capacity(&added, def)))
        return rc;
    prog p;
    memset(&p, 0, sizeof p);
    crit__copy_in(&p.def, def, sizeof p.def); /* its size checked above */
    p.def.economy = p.def.mineral = p.def.name = NULL;
    crit__world_find_economy(&p.eco, s->world, def->economy);
    crit__world_find_mineral(&p.min, s->world, def->mineral);
    if ((rc = check_programme_capacity(s, p.eco, p.min,
                                       online < s->periods ? added : 0, name)))
        return rc;
    /* the name first: a failure after growing the array from nothing
     * would leave a new block behind */
    p.name = crit__strdup(name);
    if (!p.name)
        return crit__error_oom();
    if ((rc = grow((void **)&s->prog, &s->cap_prog, s->n_prog,
                   sizeof *s->prog))) {
        crit__free(p.name);
        return rc;
    }
    s->prog[s->n_prog++] = p;
    return changed(s);
}

int crit_scenario_set_market_options(crit_scenario *scenario,
                                     const crit_market_options *opt)
{
    if (!scenario)
        return crit__error(CRIT_EINVAL, "scenario: NULL argument");
    crit_market_options o;
    int rc = crit__market_options_read(&o, opt, "scenario: market");
    if (rc)
        return rc;
    scenario->mopt = o;
    scenario->has_mopt = opt != NULL;
    return changed(scenario);
}

/* ---- results ----------------------------------------------------------- */

static void shape_of(size_t dims[3], int32_t *rank, const crit_result *r,
                     int32_t series)
{
    dims[0] = r->T;
    dims[1] = dims[2] = 1;
    switch (SERIES[series].shape) {
    case TKE:
        dims[1] = r->M, dims[2] = r->E, *rank = 3;
        break;
    case TK:
        dims[1] = r->M, *rank = 2;
        break;
    case TSK:
        dims[1] = r->S, dims[2] = r->M, *rank = 3;
        break;
    case TS:
        dims[1] = r->S, *rank = 2;
        break;
    case TL:
        dims[1] = r->L, *rank = 2;
        break;
    default:
        *rank = 1;
        break;
    }
}

static size_t series_len(const crit_result *r, int32_t series)
{
    size_t d[3];
    int32_t rank;
    shape_of(d, &rank, r, series);
    return crit__mul_size(crit__mul_size(d[0], d[1]), d[2]);
}

void crit_result_free(crit_result *result)
{
    crit_result *r = result;
    if (!r)
        return;
    for (int q = 0; q < CRIT_SERIES_COUNT; q++)
        crit__free(r->data[q]);
    if (r->sp_name)
        for (size_t s = 0; s < r->S; s++)
            crit__free(r->sp_name[s]);
    crit__free(r->sp_name);
    if (r->loan)
        for (size_t l = 0; l < r->L; l++)
            crit_loan_free(r->loan[l]);
    crit__free(r->loan);
    crit__free(r->dates);
    crit__world_unref(r->world);
    crit__free(r);
}

const crit_world *crit_result_world(const crit_result *result)
{
    return result ? result->world : NULL;
}

int crit_result_dims(size_t *out_periods, size_t *out_minerals,
                     size_t *out_economies, size_t *out_stockpiles,
                     size_t *out_loans, const crit_result *result)
{
    if (!result)
        return crit__error(CRIT_EINVAL, "result: NULL argument");
    if (out_periods)
        *out_periods = result->T;
    if (out_minerals)
        *out_minerals = result->M;
    if (out_economies)
        *out_economies = result->E;
    if (out_stockpiles)
        *out_stockpiles = result->S;
    if (out_loans)
        *out_loans = result->L;
    return CRIT_OK;
}

int crit_result_dates(crit_date *out, size_t n, const crit_result *result)
{
    if (!out || !result)
        return crit__error(CRIT_EINVAL, "result: NULL argument");
    if (n < result->T + 1)
        return crit__error(CRIT_EBUFSIZE, "result: %zu dates do not fit in %zu",
                           result->T + 1, n);
    memcpy(out, result->dates, (result->T + 1) * sizeof *out);
    return CRIT_OK;
}

int crit_result_series_shape(size_t *out_dims, int32_t *out_rank,
                             const crit_result *result, int32_t series)
{
    if (!out_dims || !result)
        return crit__error(CRIT_EINVAL, "result: NULL argument");
    if (series < 0 || series >= CRIT_SERIES_COUNT)
        return crit__error(CRIT_EINVAL, "result: unknown series %d",
                           (int)series);
    int32_t rank;
    shape_of(out_dims, &rank, result, series);
    if (out_rank)
        *out_rank = rank;
    return CRIT_OK;
}

int crit_result_series(double *out, size_t n, const crit_result *result,
                       int32_t series)
{
    if (!out || !result)
        return crit__error(CRIT_EINVAL, "result: NULL argument");
    if (series < 0 || series >= CRIT_SERIES_COUNT)
        return crit__error(CRIT_EINVAL, "result: unknown series %d",
                           (int)series);
    size_t len = series_len(result, series);
    if (n != len)
        return crit__error(CRIT_EBUFSIZE,
                           "result: series '%s' has %zu values, not %zu",
                           SERIES[series].name, len, n);
    if (len)
        memcpy(out, result->data[series], len * sizeof *out);
    return CRIT_OK;
}

const char *crit_result_stockpile_name(const crit_result *result,
                                       size_t stockpile)
{
    if (!result || stockpile >= result->S)
        return NULL;
    return result->sp_name[stockpile];
}

const crit_loan *crit_result_loan(const crit_result *result, size_t loan)
{
    if (!result || loan >= result->L)
        return NULL;
    return result->loan[loan];
}

/* ---- the run ----------------------------------------------------------- */

/* The run's workspace: everything is allocated before period 0. */
typedef struct run {
    const crit_scenario *sc;
    crit_result *r;
    crit_world *w;         /* the run's copy of the world */
    crit_policy **pol;     /* [M] */
    crit_market **mkt;     /* [M] */
    crit_stockpile **sp;   /* [S] the result's stockpiles */
    size_t *agent_stock;   /* [S][M] agent index of (s, mineral k) */
    size_t *agent_part;    /* per stockpile, offset into this by part_base */
    size_t *part_base;     /* [S + 1] */
    size_t *cursor;        /* [L] next schedule row of each loan */
    double *sched_draws;   /* [T][L] scheduled draws by period */
    double *balance;       /* [L] running balance */
    double *avail, *level; /* [M][E] */
    int32_t *declared;     /* [M] */
    int32_t *online;       /* [P] period each programme comes online */
    double *buf;           /* [E] */
    double *net_base;      /* [M] coalition net imports at base, t/yr */
    double *due;           /* [S] payments due this period */
    double *due_draws;     /* [S] scheduled draws this period */
    double *scratch;       /* [T] */
    double dt;
} run;

static double *at(const run *x, int32_t series, size_t t, size_t a, size_t b)
{
    const crit_result *r = x->r;
    size_t d[3];
    int32_t rank;
    shape_of(d, &rank, r, series);
    return &r->data[series][(t * d[1] + a) * d[2] + b];
}

static void run_release(run *x)
{
    size_t M = x->r ? x->r->M : 0;
    if (x->mkt)
        for (size_t k = 0; k < M; k++)
            crit_market_free(x->mkt[k]);
    if (x->pol)
        for (size_t k = 0; k < M; k++)
            crit_policy_free(x->pol[k]);
    crit__free(x->mkt);
    crit__free(x->pol);
    crit__free(x->agent_stock);
    crit__free(x->agent_part);
    crit__free(x->part_base);
    crit__free(x->cursor);
    crit__free(x->sched_draws);
    crit__free(x->balance);
    crit__free(x->avail);
    crit__free(x->level);
    crit__free(x->declared);
    crit__free(x->online);
    crit__free(x->buf);
    crit__free(x->net_base);
    crit__free(x->due);
    crit__free(x->due_draws);
    crit__free(x->scratch);
    if (x->sp && x->r)
        for (size_t s = 0; s < x->r->S; s++)
            crit_stockpile_free(x->sp[s]);
    crit__free(x->sp);
    crit_world_free(x->w);
}

/* Zeroed array of n items (at least one, so that NULL means failure). */
static int zalloc(void **p, size_t n, size_t elem)
{
    *p = crit__calloc(n > 0 ? n : 1, elem);
    return *p ? CRIT_OK : crit__error_oom();
}

static int run_alloc(run *x)
{
    const crit_scenario *sc = x->sc;
    crit_result *r = x->r;
    size_t T = r->T, M = r->M, E = r->E, S = r->S, L = r->L;
    int rc;
    if ((rc = zalloc((void **)&r->dates, T + 1, sizeof *r->dates)))
        return rc;
    for (int q = 0; q < CRIT_SERIES_COUNT; q++) {
        size_t len = series_len(r, q);
        if ((rc = zalloc((void **)&r->data[q], len, sizeof *r->data[q])))
            return rc;
    }
    if ((rc = zalloc((void **)&r->sp_name, S, sizeof *r->sp_name)))
        return rc;
    if ((rc = zalloc((void **)&r->loan, L, sizeof *r->loan)))
        return rc;
    for (size_t s = 0; s < S; s++) {
        r->sp_name[s] = crit__strdup(sc->sp[s]->name);
        if (!r->sp_name[s])
            return crit__error_oom();
    }
    for (size_t l = 0; l < L; l++) {
        if ((rc = crit__loan_copy(&r->loan[l], sc->loan[l])))
            return rc;
    }
    if ((rc = zalloc((void **)&x->sp, S, sizeof *x->sp)))
        return rc;
    for (size_t s = 0; s < S; s++) {
        if ((rc = crit_stockpile_copy(&x->sp[s], sc->sp[s])))
            return rc;
    }
    if ((rc = crit_world_copy(&x->w, sc->world)))
        return rc;
    if ((rc = zalloc((void **)&x->pol, M, sizeof *x->pol)))
        return rc;
    if ((rc = zalloc((void **)&x->mkt, M, sizeof *x->mkt)))
        return rc;
    for (size_t k = 0; k < M; k++) {
        const char *code = x->w->min[k].code;
        if ((rc = crit_policy_new(&x->pol[k], x->w, code)) ||
            (rc = crit_market_new(&x->mkt[k], x->w, code)))
            return rc;
    }
    if ((rc = zalloc((void **)&x->agent_stock, S * M, sizeof *x->agent_stock)))
        return rc;
    if ((rc = zalloc((void **)&x->part_base, S + 1, sizeof *x->part_base)))
        return rc;
    size_t np = 0;
    for (size_t s = 0; s < S; s++) {
        x->part_base[s] = np;
        np += sc->sp[s]->n_part;
    }
    x->part_base[S] = np;
    if ((rc = zalloc((void **)&x->agent_part, np, sizeof *x->agent_part)))
        return rc;
    if ((rc = zalloc((void **)&x->cursor, L, sizeof *x->cursor)))
        return rc;
    if ((rc = zalloc((void **)&x->sched_draws, T * L, sizeof *x->sched_draws)))
        return rc;
    if ((rc = zalloc((void **)&x->balance, L, sizeof *x->balance)))
        return rc;
    if ((rc = zalloc((void **)&x->avail, M * E, sizeof *x->avail)))
        return rc;
    if ((rc = zalloc((void **)&x->level, M * E, sizeof *x->level)))
        return rc;
    if ((rc = zalloc((void **)&x->declared, M, sizeof *x->declared)))
        return rc;
    if ((rc = zalloc((void **)&x->online, sc->n_prog, sizeof *x->online)))
        return rc;
    if ((rc = zalloc((void **)&x->buf, E * E > E ? E * E : E, sizeof *x->buf)))
        return rc;
    if ((rc = zalloc((void **)&x->net_base, M, sizeof *x->net_base)))
        return rc;
    if ((rc = zalloc((void **)&x->due, S, sizeof *x->due)))
        return rc;
    if ((rc = zalloc((void **)&x->due_draws, S, sizeof *x->due_draws)))
        return rc;
    if ((rc = zalloc((void **)&x->scratch, T, sizeof *x->scratch)))
        return rc;
    return CRIT_OK;
}

/* Everything the world might have lost since things were added: the world
 * only grows, so indices stay valid; what may have changed is a target
 * that depends on the world's curves, a capacity that programmes take
 * beyond a double, or an arc's costs under an export tax event. */
int crit__scenario_validate(const crit_scenario *sc)
{
    for (size_t s = 0; s < sc->n_sp; s++) {
        int rc = check_stockpile_targets(sc->sp[s]);
        if (rc)
            return rc;
    }
    for (size_t q = 0; q < sc->n_prog; q++) {
        int rc = check_programme_capacity(sc, sc->prog[q].eco, sc->prog[q].min,
                                          0, sc->prog[q].name);
        if (rc)
            return rc;
    }
    for (size_t q = 0; q < sc->n_ev; q++) {
        int rc = sc->ev[q].kind == CRIT_EVENT_EXPORT_TAX
                     ? check_tax_event(&sc->ev[q], sc->world)
                     : CRIT_OK;
        if (rc)
            return rc;
    }
    return CRIT_OK;
}

/* Set up markets, agents, policies, dates, loans and programmes. */
static int run_setup(run *x)
{
    const crit_scenario *sc = x->sc;
    crit_result *r = x->r;
    crit_world *w = x->w;
    size_t M = r->M, E = r->E, S = r->S, L = r->L, T = r->T;
    int rc;
    x->dt = sc->months / 12.0;
    for (size_t t = 0; t <= T; t++)
        crit__date_add_months(&r->dates[t], sc->start, (int32_t)t * sc->months,
                              0);
    for (size_t k = 0; k < M * E; k++)
        x->avail[k] = x->level[k] = 1;
    for (size_t k = 0; k < M; k++) {
        crit_market *m = x->mkt[k];
        if ((rc = crit_market_set_policy(m, x->pol[k])) ||
            (rc = crit_market_set_period_length(m, x->dt)) ||
            (sc->has_mopt && (rc = crit_market_set_options(m, &sc->mopt))))
            return rc;
        double net = 0;
        const crit__mineral *mn = &sc->world->min[k];
        for (size_t i = 0; i < E; i++)
            if (sc->world->eco[i].member)
                net += mn->curve[i].d0 - mn->curve[i].s0;
        x->net_base[k] = net > 0 ? net : 0;
    }
    /* agents: one per (stockpile, mineral held), one per participant with
     * a mineral, all at the stockpile's economy */
    crit_market_agent_def idle;
    crit_market_agent_def_init(&idle);
    idle.release_trigger_usd_per_t = 1;
    for (size_t s = 0; s < S; s++) {
        const crit_stockpile *sp = x->sp[s];
        const char *eco = w->eco[sp->economy].code;
        for (size_t k = 0; k < M; k++)
            x->agent_stock[s * M + k] = SIZE_MAX;
        for (size_t j = 0; j < sp->n_stock; j++) {
            size_t k = sp->stock[j].mineral;
            if ((rc = crit_market_add_agent(&x->agent_stock[s * M + k],
                                            x->mkt[k], eco, &idle)))
                return rc;
        }
        for (size_t p = 0; p < sp->n_part; p++) {
            size_t *ai = &x->agent_part[x->part_base[s] + p];
            *ai = SIZE_MAX;
            if (sp->part[p].slot == SIZE_MAX)
                continue;
            size_t k = sp->stock[sp->part[p].slot].mineral;
            if ((rc = crit_market_add_agent(ai, x->mkt[k], eco, &idle)))
                return rc;
        }
    }
    /* loans: skip rows before the start (their balance is the opening
     * one), and bin the scheduled draws by period */
    crit_date d0 = r->dates[0];
    for (size_t l = 0; l < L; l++) {
        const crit_loan *ln = r->loan[l];
        size_t n = crit_loan_row_count(ln), c = 0;
        crit_loan_row row;
        double bal = 0;
        while (c < n && crit_loan_row_get(&row, ln, c) == CRIT_OK &&
               row.date < d0) {
            bal = row.closing;
            c++;
        }
        x->cursor[l] = c;
        x->balance[l] = bal;
        for (size_t t = 0; t < T; t++) {
            double sum = 0;
            while (c < n && crit_loan_row_get(&row, ln, c) == CRIT_OK &&
                   row.date <= r->dates[t + 1]) {
                sum += row.draws;
                c++;
            }
            x->sched_draws[t * L + l] = sum;
        }
    }
    for (size_t p = 0; p < sc->n_prog; p++) {
        const prog *pg = &sc->prog[p];
        if ((rc = crit_programme_online_period(&x->online[p], &pg->def, x->dt)))
            return rc;
        double *spend = at(x, CRIT_SERIES_PROGRAMME_SPENDING, 0, 0, 0);
        if ((rc = crit_programme_spending(x->scratch, T, &pg->def, x->dt)))
            return rc;
        for (size_t t = 0; t < T; t++)
            spend[t] += x->scratch[t];
    }
    return CRIT_OK;
}

/* ---- one period -------------------------------------------------------- */

static int period_error(const run *x, size_t t, int rc, const char *what)
{
    char msg[512], date[16];
    snprintf(msg, sizeof msg, "%s", crit_error_last());
    crit_date_format(date, sizeof date, x->r->dates[t]);
    return crit__error(rc, "scenario: period %zu (%s)%s%s: %s", t, date,
                       what[0] ? " " : "", what, msg);
}

static int apply_event(run *x, const ev *e)
{
    const crit_world *o = x->sc->world;
    crit_world *w = x->w;
    size_t E = x->r->E, M = x->r->M, k = e->mineral;
    const char *mc = k == CRIT__ALL ? NULL : w->min[k].code;
    const char *ec = e->economy == CRIT__ALL ? NULL : w->eco[e->economy].code;
    size_t i = e->economy;
    switch (e->kind) {
    case CRIT_EVENT_EXPORT_BAN:
    case CRIT_EVENT_EXPORT_BAN_END:
        for (size_t j = 0; j < E; j++) {
            if (j == i || (e->partner != CRIT__ALL && j != e->partner) ||
                (e->partner == CRIT__ALL && !w->eco[j].member))
                continue;
            int32_t ban = e->kind == CRIT_EVENT_EXPORT_BAN;
            if (!ban && i < o->n_eco && j < o->n_eco)
                ban =
                    (o->min[k].ban[i * o->stride + j] & CRIT__BAN_EXPORT) != 0;
            int rc = crit_world_set_export_ban(w, mc, ec, w->eco[j].code, ban);
            if (rc)
                return rc;
        }
        return CRIT_OK;
    case CRIT_EVENT_EXPORT_QUOTA:
        return crit_world_set_export_quota(w, mc, ec, e->v1);
    case CRIT_EVENT_EXPORT_QUOTA_END: {
        double q = i < o->n_eco ? o->min[k].quota[i] : INFINITY;
        return isinf(q) ? crit_world_clear_export_quota(w, mc, ec)
                        : crit_world_set_export_quota(w, mc, ec, q);
    }
    case CRIT_EVENT_EXPORT_TAX:
        return crit_world_set_export_tax(w, mc, ec, e->v1, e->v2);
    case CRIT_EVENT_EXPORT_TAX_END:
        return crit_world_set_export_tax(
            w, mc, ec, i < o->n_eco ? o->min[k].xtax[i] : 0,
            i < o->n_eco ? o->min[k].xtax_rate[i] : 0);
    case CRIT_EVENT_OUTAGE:
    case CRIT_EVENT_OUTAGE_END:
        x->avail[k * E + i] = e->kind == CRIT_EVENT_OUTAGE ? e->v1 : 1;
        return CRIT_OK;
    case CRIT_EVENT_DEMAND:
        for (size_t kk = 0; kk < M; kk++)
            for (size_t ii = 0; ii < E; ii++)
                if ((k == CRIT__ALL || kk == k) && (i == CRIT__ALL || ii == i))
                    x->level[kk * E + ii] = e->v1;
        return CRIT_OK;
    case CRIT_EVENT_EXTERNAL_TARIFF:
        return crit_policy_set_external_tariff(x->pol[k], e->v1);
    case CRIT_EVENT_REFERENCE_PRICE:
        return crit_policy_set_reference_price(x->pol[k], e->v1);
    case CRIT_EVENT_FLOOR: {
        crit_floor_def f;
        crit_floor_def_init(&f);
        f.floor_usd_per_t = e->v1;
        f.covered_share = e->v2;
        f.upside_share = e->v3;
        return crit_policy_set_floor(x->pol[k], ec, &f);
    }
    case CRIT_EVENT_FLOOR_END:
        return crit_policy_clear_floor(x->pol[k], ec);
    default: /* disruption, disruption end */
        for (size_t kk = 0; kk < M; kk++)
            if (k == CRIT__ALL || kk == k)
                x->declared[kk] = e->kind == CRIT_EVENT_DISRUPTION;
        return CRIT_OK;
    }
}

static int apply_policies(run *x)
{
    const crit_scenario *sc = x->sc;
    for (size_t k = 0; k < sc->n_pol && k < x->r->M; k++) {
        const polset *ps = &sc->pol[k];
        if (!ps->set)
            continue;
        int rc;
        if ((rc = crit_policy_set_external_tariff(x->pol[k], ps->ext)) ||
            (rc = crit_policy_set_reference_price(x->pol[k], ps->rref)))
            return rc;
        for (size_t f = 0; f < ps->n_floor; f++) {
            crit_floor_def d;
            crit_floor_def_init(&d);
            d.floor_usd_per_t = ps->floor[f].F;
            d.covered_share = ps->floor[f].theta;
            d.upside_share = ps->floor[f].phi;
            if ((rc = crit_policy_set_floor(
                     x->pol[k], x->w->eco[ps->floor[f].eco].code, &d)))
                return rc;
        }
    }
    return CRIT_OK;
}

static int restricted(const run *x, size_t k)
{
    const crit_world *w = x->w;
    const crit__mineral *m = &w->min[k];
    for (size_t i = 0; i < w->n_eco; i++) {
        if (!isinf(m->quota[i]))
            return 1;
        const unsigned char *ban = m->ban + i * w->stride;
        size_t n = w->n_eco, j = 0;
        while (j < n) {
            /* few arcs are banned: pass over eight bans at a time */
            uint64_t eight;
            if (j + 8 <= n) {
                memcpy(&eight, ban + j, sizeof eight);
                if (!(eight & (0x0101010101010101ull * CRIT__BAN_EXPORT))) {
                    j += 8;
                    continue;
                }
            }
            for (size_t e = j + 8 < n ? j + 8 : n; j < e; j++)
                if ((ban[j] & CRIT__BAN_EXPORT) && j != i && w->eco[j].member)
                    return 1;
        }
    }
    return 0;
}

/* Payments due and scheduled draws of each stockpile's loans this period,
 * without moving the cursors. */
static void loans_due(run *x, size_t t)
{
    const crit_scenario *sc = x->sc;
    crit_result *r = x->r;
    for (size_t s = 0; s < r->S; s++)
        x->due[s] = x->due_draws[s] = 0;
    for (size_t l = 0; l < r->L; l++) {
        size_t s = sc->loan_sp[l], c = x->cursor[l];
        size_t n = crit_loan_row_count(r->loan[l]);
        crit_loan_row row;
        while (c < n && crit_loan_row_get(&row, r->loan[l], c) == CRIT_OK &&
               row.date <= r->dates[t + 1]) {
            x->due[s] += row.payment;
            c++;
        }
        x->due_draws[s] += x->sched_draws[t * r->L + l];
    }
}

static double undrawn(const run *x, size_t s, crit_date date)
{
    double u = 0;
    for (size_t l = 0; l < x->r->L; l++) {
        double v = 0;
        if (x->sc->loan_sp[l] == s &&
            crit_loan_undrawn(&v, x->r->loan[l], date) == CRIT_OK)
            u += v;
    }
    return u;
}

static int clear_mineral(run *x, size_t t, size_t k)
{
    crit_result *r = x->r;
    size_t E = r->E, M = r->M;
    crit_market *m = x->mkt[k];
    crit_date end = r->dates[t + 1];
    int rc;
    if ((rc = crit_market_set_availability(m, x->avail + k * E, E)) ||
        (rc = crit_market_set_demand_level(m, x->level + k * E, E)))
        return rc;
    crit_market_agent_def a;
    crit_market_agent_def_init(&a);
    for (size_t s = 0; s < r->S; s++) {
        crit_stockpile *sp = x->sp[s];
        size_t idx = x->agent_stock[s * M + k];
        if (idx != SIZE_MAX) {
            size_t slot;
            for (slot = 0; sp->stock[slot].mineral != k; slot++)
                ;
            double liq =
                sp->cash + x->due_draws[s] - x->due[s] + undrawn(x, s, end);
            if ((rc = crit_stockpile_market_agent(&a, sp, slot,
                                                  liq > 0 ? liq : 0, x->dt)) ||
                (rc = crit_market_set_agent(m, idx, &a)))
                return rc;
        }
        for (size_t p = 0; p < sp->n_part; p++) {
            size_t ai = x->agent_part[x->part_base[s] + p];
            if (ai == SIZE_MAX || sp->stock[sp->part[p].slot].mineral != k)
                continue;
            if ((rc = crit_stockpile_participant_agent(&a, sp, p, x->dt)) ||
                (rc = crit_market_set_agent(m, ai, &a)))
                return rc;
        }
    }
    if ((rc = crit_market_solve(m)))
        return rc;
    for (int32_t q = CRIT_SERIES_PRICE; q <= CRIT_SERIES_LEVY_REVENUE; q++)
        if ((rc = crit_market_values(at(x, q, t, k, 0), E, m, q)))
            return rc;
    crit_market_info info;
    crit_market_info_init(&info);
    if ((rc = crit_market_info_get(&info, m)))
        return rc;
    *at(x, CRIT_SERIES_LEVY, t, k, 0) = info.levy_usd_per_t;
    *at(x, CRIT_SERIES_RESIDUAL, t, k, 0) = info.residual;
    for (size_t i = 0; i < E; i++) {
        *at(x, CRIT_SERIES_CFD_NET, t, 0, 0) +=
            *at(x, CRIT_SERIES_CFD_PAID, t, k, i) -
            *at(x, CRIT_SERIES_CFD_RECEIVED, t, k, i);
        *at(x, CRIT_SERIES_LEVY_TOTAL, t, 0, 0) +=
            *at(x, CRIT_SERIES_LEVY_REVENUE, t, k, i);
    }
    /* settle the stockpiles holding k, then their participants */
    for (size_t s = 0; s < r->S; s++) {
        crit_stockpile *sp = x->sp[s];
        size_t idx = x->agent_stock[s * M + k];
        if (idx == SIZE_MAX)
            continue;
        size_t slot;
        for (slot = 0; sp->stock[slot].mineral != k; slot++)
            ;
        double price = *at(x, CRIT_SERIES_PRICE, t, k, sp->economy);
        double buy, rel;
        crit_stockpile_flows f;
        if ((rc = crit_market_agent_result(&buy, &rel, m, idx)) ||
            (rc = crit_stockpile_settle(&f, sp, slot, price, buy, rel, x->dt)))
            return rc;
        *at(x, CRIT_SERIES_PURCHASED, t, s, k) = f.purchased_t;
        *at(x, CRIT_SERIES_RELEASED, t, s, k) = f.released_t;
        *at(x, CRIT_SERIES_LOST, t, s, k) = f.lost_t;
        *at(x, CRIT_SERIES_SALES, t, s, 0) += f.sales_usd;
        *at(x, CRIT_SERIES_PURCHASES, t, s, 0) += f.purchase_usd;
        *at(x, CRIT_SERIES_HOLDING, t, s, 0) += f.holding_usd;
        double demand = 0;
        for (size_t p = 0; p < sp->n_part; p++) {
            const crit__participant *pp = &sp->part[p];
            if (pp->slot != slot)
                continue;
            demand += pp->def.demand_t_per_yr;
            size_t ai = x->agent_part[x->part_base[s] + p];
            double pbuy, prel;
            if ((rc = crit_market_agent_result(&pbuy, &prel, m, ai)) ||
                (rc = crit_stockpile_settle_participant(NULL, sp, p, prel,
                                                        pbuy)))
                return rc;
            double dp = pp->def.draw_price_usd_per_t;
            *at(x, CRIT_SERIES_DRAWN, t, s, k) += prel;
            *at(x, CRIT_SERIES_REPLENISHED, t, s, k) += pbuy;
            *at(x, CRIT_SERIES_DRAW_PAYMENTS, t, s, 0) += dp * prel;
            *at(x, CRIT_SERIES_REFUNDS, t, s, 0) += dp * pbuy;
        }
        double inv = sp->stock[slot].inventory;
        *at(x, CRIT_SERIES_INVENTORY, t, s, k) = inv;
        *at(x, CRIT_SERIES_TARGET, t, s, k) = crit__stockpile_target(sp, slot);
        *at(x, CRIT_SERIES_COVER_DAYS, t, s, k) =
            demand > 0 ? inv / (demand / 365.0) : NAN;
        *at(x, CRIT_SERIES_COVER_MONTHS, t, s, k) =
            x->net_base[k] > 0 ? inv / (x->net_base[k] / 12.0) : NAN;
    }
    return CRIT_OK;
}

static int waterfall(run *x, size_t t)
{
    const crit_scenario *sc = x->sc;
    crit_result *r = x->r;
    crit_date end = r->dates[t + 1];
    int rc;
    for (size_t l = 0; l < r->L; l++) {
        crit_stockpile *sp = x->sp[sc->loan_sp[l]];
        size_t s = sc->loan_sp[l];
        const crit_loan *ln = r->loan[l];
        size_t n = crit_loan_row_count(ln);
        double in = x->sched_draws[t * r->L + l];
        double intr = 0, prin = 0, fees = 0, cap = 0, pay = 0;
        crit_loan_row row;
        while (x->cursor[l] < n &&
               crit_loan_row_get(&row, ln, x->cursor[l]) == CRIT_OK &&
               row.date <= end) {
            intr += row.interest;
            prin += row.principal;
            fees += row.fees;
            cap += row.capitalised;
            pay += row.payment;
            x->cursor[l]++;
        }
        sp->cash += in;
        sp->cash -= pay;
        x->balance[l] += (in + cap) - prin;
        *at(x, CRIT_SERIES_LOAN_DRAWN, t, l, 0) = in;
        *at(x, CRIT_SERIES_LOAN_INTEREST, t, l, 0) = intr;
        *at(x, CRIT_SERIES_LOAN_PRINCIPAL, t, l, 0) = prin;
        *at(x, CRIT_SERIES_LOAN_FEES, t, l, 0) = fees;
        *at(x, CRIT_SERIES_LOAN_DRAWS, t, s, 0) += in;
        *at(x, CRIT_SERIES_DEBT_SERVICE, t, s, 0) += pay;
    }
    /* shortfalls: draw the facilities in order, then a funding gap */
    for (size_t l = 0; l < r->L; l++) {
        size_t s = sc->loan_sp[l];
        crit_stockpile *sp = x->sp[s];
        if (sp->cash >= 0)
            continue;
        double u = 0;
        if ((rc = crit_loan_undrawn(&u, r->loan[l], end)))
            return rc;
        double want = -sp->cash, d = want < u ? want : u;
        if (d <= 0)
            continue;
        if ((rc = crit_loan_draw(r->loan[l], end, d)))
            return rc;
        sp->cash += d;
        x->balance[l] += d;
        *at(x, CRIT_SERIES_LOAN_DRAWN, t, l, 0) += d;
        *at(x, CRIT_SERIES_LOAN_DRAWS, t, s, 0) += d;
    }
    double gaps = 0;
    for (size_t s = 0; s < r->S; s++) {
        crit_stockpile *sp = x->sp[s];
        if (sp->cash < 0) {
            double gap = -sp->cash;
            *at(x, CRIT_SERIES_FUNDING_GAP, t, s, 0) = gap;
            gaps += gap;
            sp->cash += gap;
        }
        *at(x, CRIT_SERIES_CASH, t, s, 0) = sp->cash;
    }
    for (size_t l = 0; l < r->L; l++)
        *at(x, CRIT_SERIES_LOAN_BALANCE, t, l, 0) = x->balance[l];
    *at(x, CRIT_SERIES_PUBLIC_COST, t, 0, 0) =
        ((*at(x, CRIT_SERIES_PROGRAMME_SPENDING, t, 0, 0) +
          *at(x, CRIT_SERIES_CFD_NET, t, 0, 0)) +
         gaps) -
        *at(x, CRIT_SERIES_LEVY_TOTAL, t, 0, 0);
    return CRIT_OK;
}

static int step(run *x, size_t t)
{
    const crit_scenario *sc = x->sc;
    crit_result *r = x->r;
    int rc;
    if (t == 0 && (rc = apply_policies(x)))
        return period_error(x, t, rc, "policies");
    for (size_t e = 0; e < sc->n_ev; e++)
        if ((size_t)sc->ev[e].period == t && (rc = apply_event(x, &sc->ev[e])))
            return period_error(x, t, rc, KIND_NAME[sc->ev[e].kind]);
    for (size_t p = 0; p < sc->n_prog; p++) {
        if ((size_t)x->online[p] != t)
            continue;
        crit_programme_def d = sc->prog[p].def;
        d.name = sc->prog[p].name;
        d.economy = x->w->eco[sc->prog[p].eco].code;
        d.mineral = x->w->min[sc->prog[p].min].code;
        if ((rc = crit_programme_apply(x->w, &d)))
            return period_error(x, t, rc, "programme");
    }
    for (size_t k = 0; k < r->M; k++) {
        int32_t dis = x->declared[k] || (sc->auto_disrupt && restricted(x, k));
        *at(x, CRIT_SERIES_DISRUPTED, t, k, 0) = dis;
        for (size_t s = 0; s < r->S; s++)
            for (size_t j = 0; j < x->sp[s]->n_stock; j++)
                if (x->sp[s]->stock[j].mineral == k)
                    crit_stockpile_set_disruption(x->sp[s], j, dis);
    }
    for (size_t s = 0; s < r->S; s++) {
        double f = 0;
        if ((rc = crit_stockpile_collect_fees(&f, x->sp[s], (int32_t)t, x->dt)))
            return period_error(x, t, rc, "fees");
        *at(x, CRIT_SERIES_FEES, t, s, 0) = f;
    }
    loans_due(x, t);
    for (size_t k = 0; k < r->M; k++) {
        if ((rc = clear_mineral(x, t, k))) {
            char what[64];
            snprintf(what, sizeof what, "mineral '%s'", x->w->min[k].code);
            return period_error(x, t, rc, what);
        }
    }
    if ((rc = waterfall(x, t)))
        return period_error(x, t, rc, "cash waterfall");
    return CRIT_OK;
}

int crit_scenario_run(crit_result **out, const crit_scenario *scenario,
                      crit_scenario_progress_cb progress, void *payload)
{
    if (!out || !scenario)
        return crit__error(CRIT_EINVAL, "scenario: NULL argument");
    const crit_scenario *sc = scenario;
    int rc = crit__scenario_validate(sc);
    if (rc)
        return rc;
    crit_result *r = crit__calloc(1, sizeof *r);
    if (!r)
        return crit__error_oom();
    r->world = crit__world_ref(sc->world);
    r->world_rev = sc->world->rev;
    r->scenario_id = sc->id;
    r->scenario_rev = sc->rev;
    r->scenario_digest = crit__scenario_digest(sc);
    r->T = (size_t)sc->periods;
    r->M = sc->world->n_min;
    r->E = sc->world->n_eco;
    r->S = sc->n_sp;
    r->L = sc->n_loan;
    run x;
    memset(&x, 0, sizeof x);
    x.sc = sc;
    x.r = r;
    rc = run_alloc(&x);
    if (!rc)
        rc = run_setup(&x);
    for (size_t t = 0; !rc && t < r->T; t++) {
        rc = step(&x, t);
        if (!rc && progress && progress((int32_t)t + 1, sc->periods, payload))
            rc = crit__error(CRIT_ECANCELLED,
                             "scenario: cancelled by the progress callback "
                             "after period %zu",
                             t);
    }
    run_release(&x);
    if (rc) {
        crit_result_free(r);
        return rc;
    }
    *out = r;
    return CRIT_OK;
}

/* ---- deep equality (the tests' and the snapshot round trip's) ---------- */

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

static int same_doubles(const double *a, const double *b, size_t n)
{
    return n == 0 || memcmp(a, b, n * sizeof *a) == 0;
}

int crit__loan_same_terms(const crit_loan *a, const crit_loan *b)
{
    crit_loan_def x, y;
    crit__loan_def(&x, a);
    crit__loan_def(&y, b);
    return same_bits(x.commitment, y.commitment) && x.start == y.start &&
           x.maturity == y.maturity &&
           x.availability_end == y.availability_end &&
           x.frequency == y.frequency && x.day_count == y.day_count &&
           x.end_of_month == y.end_of_month &&
           same_bits(x.fixed_rate, y.fixed_rate) &&
           x.curve_count == y.curve_count &&
           (x.curve_count == 0 ||
            (memcmp(x.curve_dates, y.curve_dates,
                    x.curve_count * sizeof *x.curve_dates) == 0 &&
             same_doubles(x.curve_rates, y.curve_rates, x.curve_count))) &&
           same_bits(x.spread, y.spread) && x.amortisation == y.amortisation &&
           x.grace_mode == y.grace_mode && x.grace_periods == y.grace_periods &&
           x.profile_count == y.profile_count &&
           same_doubles(x.profile, y.profile, x.profile_count) &&
           same_bits(x.upfront_fee_rate, y.upfront_fee_rate) &&
           same_bits(x.commitment_fee_rate, y.commitment_fee_rate);
}

static int same_loan(const crit_loan *a, const crit_loan *b)
{
    crit_loan_def x, y;
    crit__loan_def(&x, a);
    crit__loan_def(&y, b);
    return crit__loan_same_terms(a, b) && x.draw_count == y.draw_count &&
           (x.draw_count == 0 ||
            (memcmp(x.draw_dates, y.draw_dates,
                    x.draw_count * sizeof *x.draw_dates) == 0 &&
             same_doubles(x.draw_amounts, y.draw_amounts, x.draw_count)));
}

static int same_stock(const crit__stock *a, const crit__stock *b)
{
    const crit_stockpile_mineral_def *x = &a->def, *y = &b->def;
    return a->mineral == b->mineral && a->disrupted == b->disrupted &&
           same_bits(a->inventory, b->inventory) &&
           same_bits(x->inventory_t, y->inventory_t) &&
           same_bits(x->capacity_t, y->capacity_t) &&
           same_bits(x->minimum_t, y->minimum_t) &&
           x->target_unit == y->target_unit &&
           same_bits(x->target, y->target) &&
           same_bits(x->acquisition_rate_t_per_yr,
                     y->acquisition_rate_t_per_yr) &&
           same_bits(x->release_rate_t_per_yr, y->release_rate_t_per_yr) &&
           same_bits(x->purchase_trigger_usd_per_t,
                     y->purchase_trigger_usd_per_t) &&
           same_bits(x->release_trigger_usd_per_t,
                     y->release_trigger_usd_per_t) &&
           same_bits(x->emergency_trigger_usd_per_t,
                     y->emergency_trigger_usd_per_t) &&
           same_bits(x->smoothing, y->smoothing) &&
           same_bits(x->loss_rate_per_yr, y->loss_rate_per_yr);
}

static int same_participant(const crit__participant *a,
                            const crit__participant *b)
{
    const crit_participant_def *x = &a->def, *y = &b->def;
    return strcmp(a->name, b->name) == 0 && a->slot == b->slot &&
           same_bits(a->drawn, b->drawn) && same_bits(a->owed, b->owed) &&
           x->kind == y->kind &&
           same_bits(x->demand_t_per_yr, y->demand_t_per_yr) &&
           same_bits(x->upfront_fee_usd, y->upfront_fee_usd) &&
           same_bits(x->annual_fee_usd_per_yr, y->annual_fee_usd_per_yr) &&
           same_bits(x->draw_right_t, y->draw_right_t) &&
           same_bits(x->draw_rate_t_per_yr, y->draw_rate_t_per_yr) &&
           same_bits(x->draw_price_usd_per_t, y->draw_price_usd_per_t) &&
           same_bits(x->replenish_rate_t_per_yr, y->replenish_rate_t_per_yr);
}

static int same_stockpile(const crit_stockpile *a, const crit_stockpile *b)
{
    if (strcmp(a->name, b->name) != 0 || a->economy != b->economy ||
        !same_bits(a->cash, b->cash) || a->n_stock != b->n_stock ||
        a->n_part != b->n_part)
        return 0;
    for (size_t k = 0; k < a->n_stock; k++)
        if (!same_stock(&a->stock[k], &b->stock[k]))
            return 0;
    for (size_t k = 0; k < a->n_part; k++)
        if (!same_participant(&a->part[k], &b->part[k]))
            return 0;
    return 1;
}

static int same_polset(const polset *a, const polset *b)
{
    if (a->set != b->set || !same_bits(a->ext, b->ext) ||
        !same_bits(a->rref, b->rref) || a->n_floor != b->n_floor)
        return 0;
    for (size_t f = 0; f < a->n_floor; f++)
        if (a->floor[f].eco != b->floor[f].eco ||
            !same_bits(a->floor[f].F, b->floor[f].F) ||
            !same_bits(a->floor[f].theta, b->floor[f].theta) ||
            !same_bits(a->floor[f].phi, b->floor[f].phi))
            return 0;
    return 1;
}

int crit__scenario_equal(const crit_scenario *a, const crit_scenario *b)
{
    if (!a || !b)
        return 0;
    if (!crit_world_equal(a->world, b->world) || a->start != b->start ||
        a->periods != b->periods || a->months != b->months ||
        a->auto_disrupt != b->auto_disrupt || a->n_ev != b->n_ev ||
        a->n_sp != b->n_sp || a->n_loan != b->n_loan ||
        a->n_prog != b->n_prog || a->has_mopt != b->has_mopt)
        return 0;
    if (a->has_mopt && (!same_bits(a->mopt.tolerance, b->mopt.tolerance) ||
                        a->mopt.max_iterations != b->mopt.max_iterations ||
                        a->mopt.warm_start != b->mopt.warm_start))
        return 0;
    for (size_t k = 0; k < a->n_ev; k++) {
        const ev *x = &a->ev[k], *y = &b->ev[k];
        if (x->period != y->period || x->kind != y->kind ||
            x->mineral != y->mineral || x->economy != y->economy ||
            x->partner != y->partner || !same_bits(x->v1, y->v1) ||
            !same_bits(x->v2, y->v2) || !same_bits(x->v3, y->v3))
            return 0;
    }
    /* policies: a mineral without an entry is the same as one never set */
    size_t np = a->n_pol > b->n_pol ? a->n_pol : b->n_pol;
    for (size_t k = 0; k < np; k++) {
        static const polset none = {0, 0, 0, 0, NULL};
        const polset *x = k < a->n_pol ? &a->pol[k] : &none;
        const polset *y = k < b->n_pol ? &b->pol[k] : &none;
        if (!same_polset(x, y))
            return 0;
    }
    for (size_t k = 0; k < a->n_sp; k++)
        if (!same_stockpile(a->sp[k], b->sp[k]))
            return 0;
    for (size_t k = 0; k < a->n_loan; k++)
        if (a->loan_sp[k] != b->loan_sp[k] ||
            !same_loan(a->loan[k], b->loan[k]))
            return 0;
    for (size_t k = 0; k < a->n_prog; k++) {
        const prog *x = &a->prog[k], *y = &b->prog[k];
        if (strcmp(x->name, y->name) != 0 || x->eco != y->eco ||
            x->min != y->min ||
            !same_bits(x->def.budget_usd, y->def.budget_usd) ||
            !same_bits(x->def.capital_intensity_usd_per_t_per_yr,
                       y->def.capital_intensity_usd_per_t_per_yr) ||
            !same_bits(x->def.lead_time_years, y->def.lead_time_years) ||
            x->def.start_period != y->def.start_period)
            return 0;
    }
    return 1;
}

/* ---- digest: what crit__scenario_equal compares, hashed -------------- */

/* FNV-1a (64 bits) of n bytes after h */
static uint64_t mix(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * UINT64_C(0x100000001b3);
    return h;
}

static uint64_t mix_size(uint64_t h, size_t v)
{
    uint64_t u = v;
    return mix(h, &u, sizeof u);
}

static uint64_t mix_i32(uint64_t h, int32_t v)
{
    return mix(h, &v, sizeof v);
}

/* a double by its bits, as same_bits compares it */
static uint64_t mix_d(uint64_t h, double v)
{
    return mix(h, &v, sizeof v);
}

static uint64_t mix_ds(uint64_t h, const double *v, size_t n)
{
    h = mix_size(h, n);
    return n ? mix(h, v, n * sizeof *v) : h;
}

static uint64_t mix_dates(uint64_t h, const crit_date *v, size_t n)
{
    h = mix_size(h, n);
    return n ? mix(h, v, n * sizeof *v) : h;
}

/* a string with its end, so that "ab","c" and "a","bc" differ */
static uint64_t mix_str(uint64_t h, const char *s)
{
    return mix(h, s, strlen(s) + 1);
}

static uint64_t mix_loan(uint64_t h, const crit_loan *l)
{
    crit_loan_def x;
    crit__loan_def(&x, l);
    h = mix_d(h, x.commitment);
    h = mix_i32(mix_i32(mix_i32(h, x.start), x.maturity), x.availability_end);
    h = mix_i32(mix_i32(mix_i32(h, x.frequency), x.day_count), x.end_of_month);
    h = mix_d(h, x.fixed_rate);
    h = mix_dates(h, x.curve_dates, x.curve_count);
    h = mix_ds(h, x.curve_rates, x.curve_count);
    h = mix_d(h, x.spread);
    h = mix_i32(mix_i32(mix_i32(h, x.amortisation), x.grace_mode),
                x.grace_periods);
    h = mix_ds(h, x.profile, x.profile_count);
    h = mix_d(mix_d(h, x.upfront_fee_rate), x.commitment_fee_rate);
    h = mix_dates(h, x.draw_dates, x.draw_count);
    return mix_ds(h, x.draw_amounts, x.draw_count);
}

static uint64_t mix_stockpile(uint64_t h, const crit_stockpile *sp)
{
    h = mix_str(h, sp->name);
    h = mix_d(mix_size(h, sp->economy), sp->cash);
    h = mix_size(mix_size(h, sp->n_stock), sp->n_part);
    for (size_t k = 0; k < sp->n_stock; k++) {
        const crit__stock *st = &sp->stock[k];
        const crit_stockpile_mineral_def *d = &st->def;
        h = mix_i32(mix_size(h, st->mineral), st->disrupted);
        h = mix_d(mix_d(h, st->inventory), d->inventory_t);
        h = mix_d(mix_d(h, d->capacity_t), d->minimum_t);
        h = mix_d(mix_i32(h, d->target_unit), d->target);
        h = mix_d(mix_d(h, d->acquisition_rate_t_per_yr),
                  d->release_rate_t_per_yr);
        h = mix_d(mix_d(h, d->purchase_trigger_usd_per_t),
                  d->release_trigger_usd_per_t);
        h = mix_d(mix_d(h, d->emergency_trigger_usd_per_t), d->smoothing);
        h = mix_d(h, d->loss_rate_per_yr);
    }
    for (size_t k = 0; k < sp->n_part; k++) {
        const crit__participant *pt = &sp->part[k];
        const crit_participant_def *d = &pt->def;
        h = mix_size(mix_str(h, pt->name), pt->slot);
        h = mix_d(mix_d(h, pt->drawn), pt->owed);
        h = mix_d(mix_i32(h, d->kind), d->demand_t_per_yr);
        h = mix_d(mix_d(h, d->upfront_fee_usd), d->annual_fee_usd_per_yr);
        h = mix_d(mix_d(h, d->draw_right_t), d->draw_rate_t_per_yr);
        h = mix_d(mix_d(h, d->draw_price_usd_per_t),
                  d->replenish_rate_t_per_yr);
    }
    return h;
}

/*
 * A digest of everything crit__scenario_equal compares but the world
 * (the snapshot save compares a result's world itself): equal scenarios
 * have the same digest, so that a result records what it is a run of in
 * a form that a copy of its scenario can be checked against.
 */
uint64_t crit__scenario_digest(const crit_scenario *s)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    h = mix_i32(mix_i32(h, s->start), s->periods);
    h = mix_i32(mix_i32(h, s->months), s->auto_disrupt);
    h = mix_size(mix_size(h, s->n_ev), s->n_sp);
    h = mix_size(mix_size(h, s->n_loan), s->n_prog);
    h = mix_i32(h, s->has_mopt);
    if (s->has_mopt) {
        h = mix_d(h, s->mopt.tolerance);
        h = mix_i32(mix_i32(h, s->mopt.max_iterations), s->mopt.warm_start);
    }
    for (size_t k = 0; k < s->n_ev; k++) {
        const ev *e = &s->ev[k];
        h = mix_i32(mix_i32(h, e->period), e->kind);
        h = mix_size(mix_size(mix_size(h, e->mineral), e->economy), e->partner);
        h = mix_d(mix_d(mix_d(h, e->v1), e->v2), e->v3);
    }
    /* policies: as in the equality, one that is the same as none is
     * left out, and the others go in with their mineral */
    static const polset none = {0, 0, 0, 0, NULL};
    for (size_t k = 0; k < s->n_pol; k++) {
        const polset *ps = &s->pol[k];
        if (same_polset(ps, &none))
            continue;
        h = mix_i32(mix_size(h, k), ps->set);
        h = mix_d(mix_d(h, ps->ext), ps->rref);
        h = mix_size(h, ps->n_floor);
        for (size_t f = 0; f < ps->n_floor; f++) {
            const crit__floor *fl = &ps->floor[f];
            h = mix_d(mix_size(h, fl->eco), fl->F);
            h = mix_d(mix_d(h, fl->theta), fl->phi);
        }
    }
    for (size_t k = 0; k < s->n_sp; k++)
        h = mix_stockpile(h, s->sp[k]);
    for (size_t k = 0; k < s->n_loan; k++)
        h = mix_loan(mix_size(h, s->loan_sp[k]), s->loan[k]);
    for (size_t k = 0; k < s->n_prog; k++) {
        const prog *pg = &s->prog[k];
        h = mix_size(mix_size(mix_str(h, pg->name), pg->eco), pg->min);
        h = mix_d(mix_d(h, pg->def.budget_usd),
                  pg->def.capital_intensity_usd_per_t_per_yr);
        h = mix_i32(mix_d(h, pg->def.lead_time_years), pg->def.start_period);
    }
    return h;
}

size_t crit__result_series_len(const crit_result *r, int32_t series)
{
    return series_len(r, series);
}

int crit__result_equal(const crit_result *a, const crit_result *b)
{
    if (!a || !b)
        return 0;
    if (!crit_world_equal(a->world, b->world) || a->T != b->T || a->M != b->M ||
        a->E != b->E || a->S != b->S || a->L != b->L ||
        memcmp(a->dates, b->dates, (a->T + 1) * sizeof *a->dates) != 0)
        return 0;
    for (int32_t q = 0; q < CRIT_SERIES_COUNT; q++)
        if (!same_doubles(a->data[q], b->data[q], series_len(a, q)))
            return 0;
    for (size_t s = 0; s < a->S; s++)
        if (strcmp(a->sp_name[s], b->sp_name[s]) != 0)
            return 0;
    for (size_t l = 0; l < a->L; l++)
        if (!same_loan(a->loan[l], b->loan[l]))
            return 0;
    return 1;
}

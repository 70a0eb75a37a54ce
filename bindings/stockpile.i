/* stockpile.i: strategic stockpiles, participants and their accounting
 * (crit/stockpile.h).
 *
 * The definition structs carry strings, so they are flattened into
 * crit_swig_* helpers with one argument per field, in the structs' order;
 * reading a mineral, a participant or a settlement's flows back gives one
 * out-parameter per field. The market-agent helpers
 * (crit_stockpile_market_agent, crit_stockpile_participant_agent) fill a
 * crit_market_agent_def for a C caller driving crit_market by hand and are
 * not wrapped; a scenario does that itself. */

CRIT_HANDLE(crit_stockpile, crit_stockpile_free, "stockpile")

%apply double *CRIT_OUT { double *out_draw_cap_t, double *out_replenish_cap_t,
                          double *out_drawn_t, double *out_owed_t,
                          double *out_cash_usd, double *out_inventory_t,
                          double *out_capacity_t, double *out_minimum_t,
                          double *out_target, double *out_acquisition,
                          double *out_release, double *out_purchase_trigger,
                          double *out_release_trigger,
                          double *out_emergency_trigger,
                          double *out_smoothing, double *out_loss_rate,
                          double *out_opening_t, double *out_purchased_t,
                          double *out_released_t, double *out_lost_t,
                          double *out_closing_t, double *out_purchase_usd,
                          double *out_sales_usd, double *out_holding_usd,
                          double *out_cash_change_usd, double *out_demand,
                          double *out_upfront_fee, double *out_annual_fee,
                          double *out_draw_right, double *out_draw_rate,
                          double *out_draw_price, double *out_replenish_rate };
%apply int32_t *CRIT_OUT { int32_t *out_target_unit, int32_t *out_kind };
%apply size_t *CRIT_OUT { size_t *out_slot };
%apply const char **CRIT_OUT { const char **out_name,
                               const char **out_mineral };

%ignore crit_stockpile_def;
%ignore crit_stockpile_def_init;
%ignore crit_stockpile_mineral_def;
%ignore crit_stockpile_mineral_def_init;
%ignore crit_participant_def;
%ignore crit_participant_def_init;
%ignore crit_stockpile_flows;
%ignore crit_stockpile_new;
%ignore crit_stockpile_add_mineral;
%ignore crit_stockpile_add_participant;
%ignore crit_stockpile_mineral_get;
%ignore crit_stockpile_participant_get;
%ignore crit_stockpile_settle;
%ignore crit_stockpile_market_agent;
%ignore crit_stockpile_participant_agent;

%include "crit/stockpile.h"

%inline %{
/* Flat crit_stockpile_new: crit_stockpile_def's fields in order. */
static int crit_swig_stockpile_new(crit_stockpile **out,
                                   const crit_world *world, const char *name,
                                   const char *economy, double cash_usd)
{
    crit_stockpile_def d;
    crit_stockpile_def_init(&d);
    d.name = name;
    d.economy = economy;
    d.cash_usd = cash_usd;
    return crit_stockpile_new(out, world, &d);
}

/* Flat crit_stockpile_add_mineral: crit_stockpile_mineral_def's fields in
 * order. */
static int crit_swig_stockpile_add_mineral(
    crit_stockpile *stockpile, const char *mineral, double inventory_t,
    double capacity_t, double minimum_t, int32_t target_unit, double target,
    double acquisition_rate_t_per_yr, double release_rate_t_per_yr,
    double purchase_trigger_usd_per_t, double release_trigger_usd_per_t,
    double emergency_trigger_usd_per_t, double smoothing,
    double loss_rate_per_yr)
{
    crit_stockpile_mineral_def d;
    crit_stockpile_mineral_def_init(&d);
    d.mineral = mineral;
    d.inventory_t = inventory_t;
    d.capacity_t = capacity_t;
    d.minimum_t = minimum_t;
    d.target_unit = target_unit;
    d.target = target;
    d.acquisition_rate_t_per_yr = acquisition_rate_t_per_yr;
    d.release_rate_t_per_yr = release_rate_t_per_yr;
    d.purchase_trigger_usd_per_t = purchase_trigger_usd_per_t;
    d.release_trigger_usd_per_t = release_trigger_usd_per_t;
    d.emergency_trigger_usd_per_t = emergency_trigger_usd_per_t;
    d.smoothing = smoothing;
    d.loss_rate_per_yr = loss_rate_per_yr;
    return crit_stockpile_add_mineral(stockpile, &d);
}

/* Flat crit_stockpile_mineral_get, fields in order (the mineral's code
 * first, its current inventory as inventory_t). */
static int crit_swig_stockpile_mineral_get(
    const char **out_mineral, double *out_inventory_t, double *out_capacity_t,
    double *out_minimum_t, int32_t *out_target_unit, double *out_target,
    double *out_acquisition, double *out_release,
    double *out_purchase_trigger, double *out_release_trigger,
    double *out_emergency_trigger, double *out_smoothing,
    double *out_loss_rate, const crit_stockpile *stockpile, size_t slot)
{
    crit_stockpile_mineral_def d;
    int rc;
    crit_stockpile_mineral_def_init(&d);
    rc = crit_stockpile_mineral_get(&d, stockpile, slot);
    if (rc < 0)
        return rc;
    *out_mineral = d.mineral;
    *out_inventory_t = d.inventory_t;
    *out_capacity_t = d.capacity_t;
    *out_minimum_t = d.minimum_t;
    *out_target_unit = d.target_unit;
    *out_target = d.target;
    *out_acquisition = d.acquisition_rate_t_per_yr;
    *out_release = d.release_rate_t_per_yr;
    *out_purchase_trigger = d.purchase_trigger_usd_per_t;
    *out_release_trigger = d.release_trigger_usd_per_t;
    *out_emergency_trigger = d.emergency_trigger_usd_per_t;
    *out_smoothing = d.smoothing;
    *out_loss_rate = d.loss_rate_per_yr;
    return rc;
}

/* Flat crit_stockpile_add_participant: crit_participant_def's fields in
 * order. */
static int crit_swig_stockpile_add_participant(
    size_t *out_index, crit_stockpile *stockpile, const char *name,
    int32_t kind, const char *mineral, double demand_t_per_yr,
    double upfront_fee_usd, double annual_fee_usd_per_yr, double draw_right_t,
    double draw_rate_t_per_yr, double draw_price_usd_per_t,
    double replenish_rate_t_per_yr)
{
    crit_participant_def d;
    crit_participant_def_init(&d);
    d.name = name;
    d.kind = kind;
    d.mineral = mineral;
    d.demand_t_per_yr = demand_t_per_yr;
    d.upfront_fee_usd = upfront_fee_usd;
    d.annual_fee_usd_per_yr = annual_fee_usd_per_yr;
    d.draw_right_t = draw_right_t;
    d.draw_rate_t_per_yr = draw_rate_t_per_yr;
    d.draw_price_usd_per_t = draw_price_usd_per_t;
    d.replenish_rate_t_per_yr = replenish_rate_t_per_yr;
    return crit_stockpile_add_participant(out_index, stockpile, &d);
}

/* Flat crit_stockpile_participant_get, fields in order. */
static int crit_swig_stockpile_participant_get(
    const char **out_name, int32_t *out_kind, const char **out_mineral,
    double *out_demand, double *out_upfront_fee, double *out_annual_fee,
    double *out_draw_right, double *out_draw_rate, double *out_draw_price,
    double *out_replenish_rate, const crit_stockpile *stockpile,
    size_t participant)
{
    crit_participant_def d;
    int rc;
    crit_participant_def_init(&d);
    rc = crit_stockpile_participant_get(&d, stockpile, participant);
    if (rc < 0)
        return rc;
    *out_name = d.name;
    *out_kind = d.kind;
    *out_mineral = d.mineral;
    *out_demand = d.demand_t_per_yr;
    *out_upfront_fee = d.upfront_fee_usd;
    *out_annual_fee = d.annual_fee_usd_per_yr;
    *out_draw_right = d.draw_right_t;
    *out_draw_rate = d.draw_rate_t_per_yr;
    *out_draw_price = d.draw_price_usd_per_t;
    *out_replenish_rate = d.replenish_rate_t_per_yr;
    return rc;
}

/* Flat crit_stockpile_settle: crit_stockpile_flows' fields in order. */
static int crit_swig_stockpile_settle(
    double *out_opening_t, double *out_purchased_t, double *out_released_t,
    double *out_lost_t, double *out_closing_t, double *out_purchase_usd,
    double *out_sales_usd, double *out_holding_usd,
    double *out_cash_change_usd, crit_stockpile *stockpile, size_t slot,
    double price, double purchased_t, double released_t, double dt)
{
    crit_stockpile_flows f;
    int rc = crit_stockpile_settle(&f, stockpile, slot, price, purchased_t,
                                   released_t, dt);
    if (rc < 0)
        return rc;
    *out_opening_t = f.opening_t;
    *out_purchased_t = f.purchased_t;
    *out_released_t = f.released_t;
    *out_lost_t = f.lost_t;
    *out_closing_t = f.closing_t;
    *out_purchase_usd = f.purchase_usd;
    *out_sales_usd = f.sales_usd;
    *out_holding_usd = f.holding_usd;
    *out_cash_change_usd = f.cash_change_usd;
    return rc;
}
%}

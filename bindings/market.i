/* market.i: markets and pricing mechanisms (crit/market.h, crit/policy.h).
 *
 * The floor, agent, options and info structs are flattened into crit_swig_*
 * helpers with one argument (or out-parameter) per field, in the structs'
 * order. Per-economy results and the flows come back through the bulk
 * array typemap; per-economy inputs (availability, demand level, reference
 * prices) go in through the input array typemap. crit_market_solve is a
 * long call (Python releases the GIL around it). */

CRIT_HANDLE(crit_policy, crit_policy_free, "policy")
CRIT_HANDLE(crit_market, crit_market_free, "market")

%apply double *CRIT_OUT { double *out_buy_t, double *out_release_t,
                          double *out_floor_usd_per_t,
                          double *out_covered_share, double *out_upside_share,
                          double *out_residual, double *out_curve_evaluations,
                          double *out_levy_usd_per_t,
                          double *out_levy_revenue_usd,
                          double *out_total_demand_t,
                          double *out_period_years };
%apply int32_t *CRIT_OUT { int32_t *out_active, int32_t *out_iterations,
                           int32_t *out_levy_iterations };
%apply size_t *CRIT_OUT { size_t *out_index };
%apply (double *CRIT_ARRAY_OUT, size_t CRIT_ARRAY_N) { (double *out, size_t n) };
%apply (const double *CRIT_ARRAY_IN, size_t CRIT_ARRAY_N) {
    (const double *availability, size_t n), (const double *level, size_t n),
    (const double *prices, size_t n) };

%ignore crit_floor_def;
%ignore crit_floor_def_init;
%ignore crit_policy_set_floor;
%ignore crit_policy_floor_get;
%ignore crit_market_options;
%ignore crit_market_options_init;
%ignore crit_market_set_options;
%ignore crit_market_agent_def;
%ignore crit_market_agent_def_init;
%ignore crit_market_add_agent;
%ignore crit_market_set_agent;
%ignore crit_market_info;
%ignore crit_market_info_init;
%ignore crit_market_info_get;

CRIT_LONG_CALL(crit_market_solve)

%include "crit/policy.h"
%include "crit/market.h"

%inline %{
/* crit_market_set_policy(market, NULL): the handle typemap refuses a NULL
 * policy as a closed one, so detaching has its own function. */
static int crit_swig_market_clear_policy(crit_market *market)
{
    return crit_market_set_policy(market, NULL);
}

/* Flat crit_policy_set_floor. */
static int crit_swig_policy_set_floor(crit_policy *policy, const char *economy,
                                      double floor_usd_per_t,
                                      double covered_share,
                                      double upside_share)
{
    crit_floor_def d;
    crit_floor_def_init(&d);
    d.floor_usd_per_t = floor_usd_per_t;
    d.covered_share = covered_share;
    d.upside_share = upside_share;
    return crit_policy_set_floor(policy, economy, &d);
}

/* Flat crit_policy_floor_get. */
static int crit_swig_policy_floor_get(int32_t *out_active,
                                      double *out_floor_usd_per_t,
                                      double *out_covered_share,
                                      double *out_upside_share,
                                      const crit_policy *policy,
                                      const char *economy)
{
    crit_floor_def d;
    int rc;
    crit_floor_def_init(&d);
    rc = crit_policy_floor_get(&d, out_active, policy, economy);
    if (rc < 0)
        return rc;
    *out_floor_usd_per_t = d.floor_usd_per_t;
    *out_covered_share = d.covered_share;
    *out_upside_share = d.upside_share;
    return rc;
}

/* Flat crit_market_set_options. */
static int crit_swig_market_set_options(crit_market *market, double tolerance,
                                        int32_t max_iterations,
                                        int32_t warm_start)
{
    crit_market_options o;
    crit_market_options_init(&o);
    o.tolerance = tolerance;
    o.max_iterations = max_iterations;
    o.warm_start = warm_start;
    return crit_market_set_options(market, &o);
}

static void crit_swig_agent_fill(crit_market_agent_def *d, double inventory_t,
                                 double capacity_t, double minimum_t,
                                 double target_t,
                                 double acquisition_rate_t_per_yr,
                                 double release_rate_t_per_yr,
                                 double purchase_trigger_usd_per_t,
                                 double release_trigger_usd_per_t,
                                 double smoothing, double cash_usd)
{
    crit_market_agent_def_init(d);
    d->inventory_t = inventory_t;
    d->capacity_t = capacity_t;
    d->minimum_t = minimum_t;
    d->target_t = target_t;
    d->acquisition_rate_t_per_yr = acquisition_rate_t_per_yr;
    d->release_rate_t_per_yr = release_rate_t_per_yr;
    d->purchase_trigger_usd_per_t = purchase_trigger_usd_per_t;
    d->release_trigger_usd_per_t = release_trigger_usd_per_t;
    d->smoothing = smoothing;
    d->cash_usd = cash_usd;
}

/* Flat crit_market_add_agent, crit_market_agent_def's fields in order. */
static int crit_swig_market_add_agent(
    size_t *out_index, crit_market *market, const char *economy,
    double inventory_t, double capacity_t, double minimum_t, double target_t,
    double acquisition_rate_t_per_yr, double release_rate_t_per_yr,
    double purchase_trigger_usd_per_t, double release_trigger_usd_per_t,
    double smoothing, double cash_usd)
{
    crit_market_agent_def d;
    crit_swig_agent_fill(&d, inventory_t, capacity_t, minimum_t, target_t,
                         acquisition_rate_t_per_yr, release_rate_t_per_yr,
                         purchase_trigger_usd_per_t, release_trigger_usd_per_t,
                         smoothing, cash_usd);
    return crit_market_add_agent(out_index, market, economy, &d);
}

/* Flat crit_market_set_agent. */
static int crit_swig_market_set_agent(
    crit_market *market, size_t index, double inventory_t, double capacity_t,
    double minimum_t, double target_t, double acquisition_rate_t_per_yr,
    double release_rate_t_per_yr, double purchase_trigger_usd_per_t,
    double release_trigger_usd_per_t, double smoothing, double cash_usd)
{
    crit_market_agent_def d;
    crit_swig_agent_fill(&d, inventory_t, capacity_t, minimum_t, target_t,
                         acquisition_rate_t_per_yr, release_rate_t_per_yr,
                         purchase_trigger_usd_per_t, release_trigger_usd_per_t,
                         smoothing, cash_usd);
    return crit_market_set_agent(market, index, &d);
}

/* Flat crit_market_info_get, crit_market_info's fields in order. */
static int crit_swig_market_info_get(double *out_residual,
                                     int32_t *out_iterations,
                                     int32_t *out_levy_iterations,
                                     double *out_curve_evaluations,
                                     double *out_levy_usd_per_t,
                                     double *out_levy_revenue_usd,
                                     double *out_total_demand_t,
                                     double *out_period_years,
                                     const crit_market *market)
{
    crit_market_info i;
    int rc;
    crit_market_info_init(&i);
    rc = crit_market_info_get(&i, market);
    if (rc < 0)
        return rc;
    *out_residual = i.residual;
    *out_iterations = i.iterations;
    *out_levy_iterations = i.levy_iterations;
    *out_curve_evaluations = i.curve_evaluations;
    *out_levy_usd_per_t = i.levy_usd_per_t;
    *out_levy_revenue_usd = i.levy_revenue_usd;
    *out_total_demand_t = i.total_demand_t;
    *out_period_years = i.period_years;
    return rc;
}
%}

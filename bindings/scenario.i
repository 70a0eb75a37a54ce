/* scenario.i: scenarios, their deterministic run and its results
 * (crit/scenario.h).
 *
 * The horizon, events, programmes and market options are flattened into
 * crit_swig_* helpers with one argument per field, in the structs' order.
 * crit_scenario_run is a long call (Python releases the GIL around it)
 * and its progress callback goes through the CRIT_PROGRESS typemap, so a
 * language's callable is called after each period and can cancel the
 * run. Series and dates come back through the bulk array typemaps; the
 * result's world is read through its codes (crit_result_world is
 * borrowed and not wrapped), and the schedules of the result's loans
 * through the crit_swig_result_loan_* helpers. */

CRIT_HANDLE(crit_scenario, crit_scenario_free, "scenario")
CRIT_HANDLE(crit_result, crit_result_free, "result")

%apply size_t *CRIT_OUT { size_t *out_periods, size_t *out_minerals,
                          size_t *out_economies, size_t *out_stockpiles,
                          size_t *out_loans, size_t *out_d0, size_t *out_d1,
                          size_t *out_d2 };
%apply int32_t *CRIT_OUT { int32_t *out_rank };
%apply (crit_scenario_progress_cb CRIT_PROGRESS, void *CRIT_PROGRESS_PAYLOAD) {
    (crit_scenario_progress_cb progress, void *payload) };

%ignore crit_scenario_def;
%ignore crit_scenario_def_init;
%ignore crit_event_def;
%ignore crit_event_def_init;
%ignore crit_scenario_new;
%ignore crit_scenario_add_event;
%ignore crit_scenario_add_programme;
%ignore crit_scenario_set_market_options;
%ignore crit_result_world;
%ignore crit_result_series_shape;
%ignore crit_result_loan;

CRIT_LONG_CALL(crit_scenario_run)

%include "crit/scenario.h"

%inline %{
/* Flat crit_scenario_new: crit_scenario_def's fields in order. */
static int crit_swig_scenario_new(crit_scenario **out,
                                  const crit_world *world, crit_date start,
                                  int32_t periods, int32_t months_per_period,
                                  int32_t disruption_from_restrictions)
{
    crit_scenario_def d;
    crit_scenario_def_init(&d);
    d.start = start;
    d.periods = periods;
    d.months_per_period = months_per_period;
    d.disruption_from_restrictions = disruption_from_restrictions;
    return crit_scenario_new(out, world, &d);
}

/* Flat crit_scenario_add_event: crit_event_def's fields in order. */
static int crit_swig_scenario_add_event(crit_scenario *scenario,
                                        int32_t period, int32_t kind,
                                        const char *mineral,
                                        const char *economy,
                                        const char *partner, double value,
                                        double value2, double value3)
{
    crit_event_def d;
    crit_event_def_init(&d);
    d.period = period;
    d.kind = kind;
    d.mineral = mineral;
    d.economy = economy;
    d.partner = partner;
    d.value = value;
    d.value2 = value2;
    d.value3 = value3;
    return crit_scenario_add_event(scenario, &d);
}

/* Flat crit_scenario_add_programme: crit_programme_def's fields. */
static int crit_swig_scenario_add_programme(
    crit_scenario *scenario, const char *name, const char *economy,
    const char *mineral, double budget_usd, double intensity,
    double lead_time_years, int32_t start_period)
{
    crit_programme_def d = crit_swig_programme(
        name, economy, mineral, budget_usd, intensity, lead_time_years,
        start_period);
    return crit_scenario_add_programme(scenario, &d);
}

/* Flat crit_scenario_set_market_options: crit_market_options' fields. */
static int crit_swig_scenario_set_market_options(crit_scenario *scenario,
                                                 double tolerance,
                                                 int32_t max_iterations,
                                                 int32_t warm_start)
{
    crit_market_options o;
    crit_market_options_init(&o);
    o.tolerance = tolerance;
    o.max_iterations = max_iterations;
    o.warm_start = warm_start;
    return crit_scenario_set_market_options(scenario, &o);
}

/* Flat crit_result_series_shape: the three dimensions and the rank. */
static int crit_swig_result_series_shape(size_t *out_d0, size_t *out_d1,
                                         size_t *out_d2, int32_t *out_rank,
                                         const crit_result *result,
                                         int32_t series)
{
    size_t dims[3];
    int rc = crit_result_series_shape(dims, out_rank, result, series);
    if (rc < 0)
        return rc;
    *out_d0 = dims[0];
    *out_d1 = dims[1];
    *out_d2 = dims[2];
    return rc;
}

/* Code of mineral `k` of the result's world (NULL when out of range). */
static const char *crit_swig_result_mineral_code(const crit_result *result,
                                                 size_t k)
{
    return crit_world_mineral_code(crit_result_world(result), k);
}

/* Code of economy `i` of the result's world (NULL when out of range). */
static const char *crit_swig_result_economy_code(const crit_result *result,
                                                 size_t i)
{
    return crit_world_economy_code(crit_result_world(result), i);
}

/* Whether economy `i` of the result's world is a coalition member. */
static int32_t crit_swig_result_economy_member(const crit_result *result,
                                               size_t i)
{
    crit_economy_def e;
    crit_economy_def_init(&e);
    if (crit_world_economy_get(&e, crit_result_world(result), i) != CRIT_OK)
        return 0;
    return e.member;
}

/* Number of schedule rows of the result's loan `loan` (0: no such loan). */
static size_t crit_swig_result_loan_row_count(const crit_result *result,
                                              size_t loan)
{
    return crit_loan_row_count(crit_result_loan(result, loan));
}

/* One schedule column of the result's loan (crit_loan_column). */
static int crit_swig_result_loan_column(double *out, size_t n,
                                        const crit_result *result,
                                        size_t loan, int32_t column)
{
    return crit_loan_column(out, n, crit_result_loan(result, loan), column);
}

/* The schedule dates of the result's loan (crit_loan_dates). */
static int crit_swig_result_loan_dates(crit_date *out, size_t n,
                                       const crit_result *result, size_t loan)
{
    return crit_loan_dates(out, n, crit_result_loan(result, loan));
}
%}

/* programme.i: capacity programmes (crit/programme.h).
 *
 * A programme is a plain definition with strings, so every function is
 * flattened into a crit_swig_* helper taking crit_programme_def's fields
 * in order (name, economy, mineral, budget, capital intensity, lead time,
 * start period) followed by the function's own arguments. Spending comes
 * back through the bulk array typemap. */

%apply int32_t *CRIT_OUT { int32_t *out_period };

%ignore crit_programme_def;
%ignore crit_programme_def_init;
%ignore crit_programme_validate;
%ignore crit_programme_capacity;
%ignore crit_programme_online_period;
%ignore crit_programme_spending;
%ignore crit_programme_apply;

%include "crit/programme.h"

%{
static crit_programme_def crit_swig_programme(const char *name,
                                              const char *economy,
                                              const char *mineral,
                                              double budget_usd,
                                              double intensity,
                                              double lead_time_years,
                                              int32_t start_period)
{
    crit_programme_def d;
    crit_programme_def_init(&d);
    d.name = name;
    d.economy = economy;
    d.mineral = mineral;
    d.budget_usd = budget_usd;
    d.capital_intensity_usd_per_t_per_yr = intensity;
    d.lead_time_years = lead_time_years;
    d.start_period = start_period;
    return d;
}
%}

%inline %{
/* Flat crit_programme_validate. */
static int crit_swig_programme_validate(const crit_world *world,
                                        const char *name, const char *economy,
                                        const char *mineral, double budget_usd,
                                        double intensity,
                                        double lead_time_years,
                                        int32_t start_period)
{
    crit_programme_def d = crit_swig_programme(
        name, economy, mineral, budget_usd, intensity, lead_time_years,
        start_period);
    return crit_programme_validate(world, &d);
}

/* Flat crit_programme_capacity. */
static int crit_swig_programme_capacity(double *out, const char *name,
                                        const char *economy,
                                        const char *mineral, double budget_usd,
                                        double intensity,
                                        double lead_time_years,
                                        int32_t start_period)
{
    crit_programme_def d = crit_swig_programme(
        name, economy, mineral, budget_usd, intensity, lead_time_years,
        start_period);
    return crit_programme_capacity(out, &d);
}

/* Flat crit_programme_online_period. */
static int crit_swig_programme_online_period(
    int32_t *out_period, const char *name, const char *economy,
    const char *mineral, double budget_usd, double intensity,
    double lead_time_years, int32_t start_period, double dt)
{
    crit_programme_def d = crit_swig_programme(
        name, economy, mineral, budget_usd, intensity, lead_time_years,
        start_period);
    return crit_programme_online_period(out_period, &d, dt);
}

/* Flat crit_programme_spending: `n` values into the caller's array. */
static int crit_swig_programme_spending(double *out, size_t n,
                                        const char *name, const char *economy,
                                        const char *mineral, double budget_usd,
                                        double intensity,
                                        double lead_time_years,
                                        int32_t start_period, double dt)
{
    crit_programme_def d = crit_swig_programme(
        name, economy, mineral, budget_usd, intensity, lead_time_years,
        start_period);
    return crit_programme_spending(out, n, &d, dt);
}

/* Flat crit_programme_apply. */
static int crit_swig_programme_apply(crit_world *world, const char *name,
                                     const char *economy, const char *mineral,
                                     double budget_usd, double intensity,
                                     double lead_time_years,
                                     int32_t start_period)
{
    crit_programme_def d = crit_swig_programme(
        name, economy, mineral, budget_usd, intensity, lead_time_years,
        start_period);
    return crit_programme_apply(world, &d);
}
%}

/*
 * Capacity programmes (MODEL.md section 7); see crit/programme.h.
 */
#include "world_internal.h"

#include <math.h>
#include <string.h>

#define PROGRAMME_DEF_V1 CRIT__SIZE_TO(crit_programme_def, start_period)

void crit_programme_def_init(crit_programme_def *def)
{
    if (!def)
        return;
    memset(def, 0, sizeof *def);
    def->size = sizeof *def;
}

static const char *prog_name(const crit_programme_def *d)
{
    return d->name ? d->name : "programme";
}

static int check_numbers(const crit_programme_def *d)
{
    if (!d)
        return crit__error(CRIT_EINVAL, "programme: NULL argument");
    int rc = crit__check_struct_size(d, PROGRAMME_DEF_V1, sizeof *d,
                                     "programme definition");
    if (rc)
        return rc;
    const char *n = prog_name(d);
    if (!crit__is_finite(d->budget_usd) || d->budget_usd <= 0)
        return crit__error(CRIT_EINVAL,
                           "programme '%s': budget %g must be finite and > 0",
                           n, d->budget_usd);
    double c = d->capital_intensity_usd_per_t_per_yr;
    if (!crit__is_finite(c) || c <= 0)
        return crit__error(CRIT_EINVAL,
                           "programme '%s': capital intensity %g must be "
                           "finite and > 0",
                           n, c);
    if (!crit__is_finite(d->lead_time_years) || d->lead_time_years < 0)
        return crit__error(CRIT_EINVAL,
                           "programme '%s': lead time %g must be finite and "
                           ">= 0",
                           n, d->lead_time_years);
    if (d->start_period < 0)
        return crit__error(CRIT_EINVAL,
                           "programme '%s': start period %d must be >= 0", n,
                           (int)d->start_period);
    if (!crit__is_finite(d->budget_usd / c))
        return crit__error(CRIT_EINVAL,
                           "programme '%s': budget %g over capital intensity "
                           "%g adds a capacity of %g t/yr, not finite",
                           n, d->budget_usd, c, d->budget_usd / c);
    return CRIT_OK;
}

int crit_programme_validate(const crit_world *world,
                            const crit_programme_def *def)
{
    int rc = check_numbers(def);
    if (rc)
        return rc;
    if (!world)
        return crit__error(CRIT_EINVAL, "programme: NULL argument");
    const char *n = prog_name(def);
    if (!def->economy || !def->mineral)
        return crit__error(
            CRIT_EINVAL, "programme '%s': economy and mineral are required", n);
    size_t i, k;
    if ((rc = crit__world_find_economy(&i, world, def->economy)) ||
        (rc = crit__world_find_mineral(&k, world, def->mineral)))
        return rc;
    return CRIT_OK;
}

int crit_programme_capacity(double *out, const crit_programme_def *def)
{
    if (!out)
        return crit__error(CRIT_EINVAL, "programme: NULL argument");
    int rc = check_numbers(def);
    if (rc)
        return rc;
    *out = def->budget_usd / def->capital_intensity_usd_per_t_per_yr;
    return CRIT_OK;
}

/* Periods of lead time, ceil(L / dt) forgiving a relative 1e-9. */
static int lead_periods(double *out, const crit_programme_def *d, double dt)
{
    if (!crit__is_finite(dt) || dt <= 0)
        return crit__error(CRIT_EINVAL,
                           "programme '%s': period length %g must be finite "
                           "and > 0",
                           prog_name(d), dt);
    double x = d->lead_time_years / dt;
    double c = ceil(x * (1 - 1e-9));
    if (c + d->start_period > INT32_MAX)
        return crit__error(CRIT_EINVAL,
                           "programme '%s': lead time %g years is %g periods "
                           "of %g years, too many after start period %d "
                           "(the online period must be at most %d)",
                           prog_name(d), d->lead_time_years, c, dt,
                           (int)d->start_period, (int)INT32_MAX);
    *out = c;
    return CRIT_OK;
}

int crit_programme_online_period(int32_t *out, const crit_programme_def *def,
                                 double dt)
{
    if (!out)
        return crit__error(CRIT_EINVAL, "programme: NULL argument");
    double lp = 0;
    int rc = check_numbers(def);
    if (rc || (rc = lead_periods(&lp, def, dt)))
        return rc;
    *out = def->start_period + (int32_t)lp;
    return CRIT_OK;
}

int crit_programme_spending(double *out, size_t n,
                            const crit_programme_def *def, double dt)
{
    if (!out && n > 0)
        return crit__error(CRIT_EINVAL, "programme: NULL argument");
    double lp = 0;
    int rc = check_numbers(def);
    if (rc || (rc = lead_periods(&lp, def, dt)))
        return rc;
    size_t t0 = (size_t)def->start_period;
    size_t len = lp > 0 ? (size_t)lp : 1;
    double each = def->budget_usd / (double)len;
    for (size_t t = 0; t < n; t++)
        out[t] = t >= t0 && t - t0 < len ? each : 0;
    return CRIT_OK;
}

int crit_programme_apply(crit_world *world, const crit_programme_def *def)
{
    int rc = crit_programme_validate(world, def);
    if (rc)
        return rc;
    crit_curve_def c;
    crit_curve_def_init(&c);
    if ((rc = crit_world_curve_get(&c, world, def->economy, def->mineral)))
        return rc;
    double add = def->budget_usd / def->capital_intensity_usd_per_t_per_yr;
    if (!crit__is_finite(c.capacity_t_per_yr + add))
        return crit__error(CRIT_EINVAL,
                           "programme '%s': capacity of economy '%s' mineral "
                           "'%s' would be %g + %g t/yr, not finite",
                           prog_name(def), def->economy, def->mineral,
                           c.capacity_t_per_yr, add);
    c.capacity_t_per_yr += add;
    c.base_production_t_per_yr += add;
    return crit_world_set_curve(world, def->economy, def->mineral, &c);
}

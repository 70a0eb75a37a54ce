/**
 * @file crit/programme.h
 * @brief Capacity programmes (MODEL.md section 7): a budget turned into
 *        production capacity after a lead time.
 *
 * A programme is a plain definition (no handle): budget `B` (USD),
 * capital intensity `c` (USD per t/yr of capacity), lead time `L`
 * (years), the economy and mineral it builds in, and the first period of
 * spending `t0`. With periods of `dt` years:
 *
 *     capacity added   B / c  (t/yr), to both K and s0 of the economy
 *     online period    t1 = t0 + ceil(L / dt)   (t0 when L = 0)
 *     spending         B / (t1 - t0) in each period t0 .. t1 - 1
 *                      (all of B in period t0 when L = 0)
 *
 * so the capacity is there from the first period that starts once the
 * lead time has passed. `ceil` forgives a relative 1e-9, so a lead time
 * of 2 years with monthly periods is 24 periods, not 25.
 *
 * Thread-safety: every function only reads its arguments, except
 * crit_programme_apply(), which needs exclusive access to the world.
 */
#ifndef CRIT_PROGRAMME_H
#define CRIT_PROGRAMME_H

#include "common.h"
#include "world.h"

CRIT_BEGIN_DECLS

/**
 * Definition of a capacity programme. Initialise with
 * crit_programme_def_init().
 */
typedef struct crit_programme_def {
    size_t size;         /**< sizeof(crit_programme_def), set by _init() */
    const char *name;    /**< display name; NULL means "programme" */
    const char *economy; /**< where capacity is built (required) */
    const char *mineral; /**< of which mineral (required) */
    double budget_usd;   /**< B > 0 (USD) */
    double capital_intensity_usd_per_t_per_yr; /**< c > 0: USD per t/yr
                                                    of capacity */
    double lead_time_years;                    /**< L >= 0 */
    int32_t start_period; /**< t0 >= 0, the first period of spending */
} crit_programme_def;

/**
 * Set `def` to its defaults (no codes, every number 0) and `def->size`.
 *
 * @param def the definition; ignored when NULL.
 */
CRIT_API void crit_programme_def_init(crit_programme_def *def);

/**
 * Check a programme against a world.
 *
 * @param world the world it will run in.
 * @param def the programme.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL argument, missing code, a budget
 *         or intensity that is not finite and > 0, a capacity `B / c`
 *         beyond a double, a negative or non-finite lead time, a
 *         negative start period; each named in the message);
 *         `CRIT_ENOTFOUND` (unknown economy or mineral);
 *         `CRIT_EUNSUPPORTED` (unknown non-zero tail of `def`).
 */
CRIT_API int crit_programme_validate(const crit_world *world,
                                     const crit_programme_def *def);

/**
 * Capacity the programme adds, `B / c`.
 *
 * @param out receives the capacity (t/yr); untouched on failure.
 * @param def the programme (its numbers are checked as by
 *        crit_programme_validate(), not its codes).
 * @return `CRIT_OK`, `CRIT_EINVAL` (a NULL argument, a number out of
 *         range) or `CRIT_EUNSUPPORTED`.
 */
CRIT_API int crit_programme_capacity(double *out,
                                     const crit_programme_def *def);

/**
 * First period in which the capacity is available, `t1`.
 *
 * @param out receives the period index; untouched on failure.
 * @param def the programme (its numbers are checked, not its codes).
 * @param dt the period length (years), finite and > 0.
 * @return `CRIT_OK`, `CRIT_EINVAL` (a NULL argument, a number of `def`
 *         or `dt` out of range, a `t1` beyond INT32_MAX) or
 *         `CRIT_EUNSUPPORTED`.
 */
CRIT_API int crit_programme_online_period(int32_t *out,
                                          const crit_programme_def *def,
                                          double dt);

/**
 * Spending of the programme in periods 0 to `n - 1`.
 *
 * @param out receives `n` amounts (USD); the sum over all periods is `B`
 *        when `n >= t1` (`t0 + 1` when `L = 0`). May be NULL when `n` is
 *        0 (the arguments are then only checked). Untouched on failure.
 * @param n the number of periods.
 * @param def the programme (its numbers are checked, not its codes).
 * @param dt the period length (years), finite and > 0.
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL `def`, NULL `out` with `n > 0`,
 *         a number of `def` or `dt` out of range, a `t1` beyond
 *         INT32_MAX) or `CRIT_EUNSUPPORTED`.
 */
CRIT_API int crit_programme_spending(double *out, size_t n,
                                     const crit_programme_def *def, double dt);

/**
 * Add the programme's capacity to a world: `K` and `s0` of its economy for
 * its mineral rise by `B / c`.
 *
 * @param world the world, modified.
 * @param def the programme.
 * @return as crit_programme_validate(), or `CRIT_EINVAL` when the
 *         economy's capacity plus `B / c` is beyond a double. Unchanged
 *         on failure.
 */
CRIT_API int crit_programme_apply(crit_world *world,
                                  const crit_programme_def *def);

CRIT_END_DECLS

#endif /* CRIT_PROGRAMME_H */

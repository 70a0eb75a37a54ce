/**
 * @file crit/risk.h
 * @brief Supply-risk indicators of MODEL.md section 10, computed from a
 *        world's base data (base production `s0` and base demand `d0`).
 *
 * At base every economy produces `s0` and consumes `d0` (the base price
 * lies on both curves), so net imports at base are `d0 - s0`.
 *
 * On failure no output is written and crit_error_last() names the
 * problem.
 *
 * Thread-safety: all functions only read the world and may run
 * concurrently on it.
 */
#ifndef CRIT_RISK_H
#define CRIT_RISK_H

#include "common.h"
#include "world.h"

CRIT_BEGIN_DECLS

/**
 * Herfindahl-Hirschman index of base production shares of a mineral:
 * `sum_i (100 * s0_i / sum_k s0_k)^2`, from 0 to 10,000.
 *
 * @param out receives the index.
 * @param world the world.
 * @param mineral the mineral's code.
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL argument), `CRIT_ENOTFOUND`
 *         (unknown mineral) or `CRIT_EDOMAIN` (no economy produces it).
 */
CRIT_API int crit_risk_hhi(double *out, const crit_world *world,
                           const char *mineral);

/**
 * Largest producer of a mineral at base and its share of world production.
 * Ties go to the economy added first.
 *
 * @param out_economy receives the producer's economy index; may be NULL.
 * @param out_share receives its share, between 0 and 1; may be NULL.
 * @param world the world.
 * @param mineral the mineral's code.
 * @return `CRIT_OK`, `CRIT_EINVAL` (a NULL argument), `CRIT_ENOTFOUND`
 *         (unknown mineral) or `CRIT_EDOMAIN` (no economy produces it).
 */
CRIT_API int crit_risk_top_producer(size_t *out_economy, double *out_share,
                                    const crit_world *world,
                                    const char *mineral);

/**
 * Coalition self-sufficiency in a mineral: members' base production over
 * members' base demand (1 means self-sufficient; above 1, a net exporter).
 *
 * @param out receives the ratio.
 * @param world the world.
 * @param mineral the mineral's code.
 * @return `CRIT_OK`, `CRIT_EINVAL` (a NULL argument), `CRIT_ENOTFOUND`
 *         (unknown mineral) or `CRIT_EDOMAIN` (the coalition has no
 *         members or no demand for the mineral).
 */
CRIT_API int crit_risk_self_sufficiency(double *out, const crit_world *world,
                                        const char *mineral);

/**
 * Net import reliance of an economy on a mineral at base:
 * `(imports - exports) / consumption = (d0 - s0) / d0`. Negative for a
 * net exporter.
 *
 * @param out receives the ratio (1 means every tonne consumed is imported).
 * @param world the world.
 * @param economy the economy's code.
 * @param mineral the mineral's code.
 * @return `CRIT_OK`, `CRIT_EINVAL` (a NULL argument), `CRIT_ENOTFOUND`
 *         (unknown economy or mineral) or `CRIT_EDOMAIN` (the economy
 *         consumes none of it).
 */
CRIT_API int crit_risk_net_import_reliance(double *out, const crit_world *world,
                                           const char *economy,
                                           const char *mineral);

/**
 * World base production of a mineral, `sum_i s0_i` (t/yr).
 *
 * @param out receives the total.
 * @param world the world.
 * @param mineral the mineral's code.
 * @return `CRIT_OK`, `CRIT_EINVAL` (a NULL argument) or
 *         `CRIT_ENOTFOUND` (unknown mineral).
 */
CRIT_API int crit_risk_world_production(double *out, const crit_world *world,
                                        const char *mineral);

CRIT_END_DECLS

#endif /* CRIT_RISK_H */

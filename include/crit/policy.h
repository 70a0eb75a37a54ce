/**
 * @file crit/policy.h
 * @brief The coalition's pricing mechanisms for one mineral (MODEL.md
 *        section 4): a common external tariff, a reference price held by
 *        an adjustable tariff (the variable levy), and price floors by
 *        contract for difference.
 *
 * A policy is a small mutable object for one (world, mineral). A market
 * (crit/market.h) that is given a policy with crit_market_set_policy()
 * keeps a reference to it and reads its current settings at every solve,
 * so a scenario may switch mechanisms on and off between periods without
 * telling the market. Every mechanism is off in a new policy; a value of
 * 0 switches the tariff or the reference price off again.
 *
 * Export restrictions (bans, quotas, export taxes and subsidies) are not
 * here: they are properties of the world (crit/world.h), which the market
 * also re-reads at every solve.
 *
 * Every setter validates its whole input first: on failure the policy is
 * unchanged and crit_error_last() names the field and the value.
 *
 * Thread-safety: functions taking a `const crit_policy *` may run
 * concurrently; a setter needs exclusive access to the policy and must not
 * run while a market that uses it is solving.
 */
#ifndef CRIT_POLICY_H
#define CRIT_POLICY_H

#include "common.h"
#include "world.h"

CRIT_BEGIN_DECLS

/** Opaque policy handle. Create with crit_policy_new(), free with
 *  crit_policy_free(). */
typedef struct crit_policy crit_policy;

/**
 * A price floor by contract for difference on an economy's production
 * (MODEL.md section 4). Covered producers see the effective price
 * `e(p) = max(p, F) - phi * max(p - F, 0)`, and supply becomes
 * `theta * S(e(p)) + (1 - theta) * S(p)`. The payer pays
 * `max(F - p, 0) * q` and receives `phi * max(p - F, 0) * q` per period,
 * with `q = theta * S(e(p)) * dt` the covered volume.
 * Initialise with crit_floor_def_init().
 */
typedef struct crit_floor_def {
    size_t size;            /**< sizeof(crit_floor_def), set by _init() */
    double floor_usd_per_t; /**< floor F, finite and `>= 0` (USD/t) */
    double covered_share;   /**< theta in [0, 1]; _init() sets 1 */
    double upside_share;    /**< phi in [0, 1): the share of the price
                                 above F returned to the payer (a collar);
                                 _init() sets 0 */
} crit_floor_def;

/**
 * Set `def` to its defaults (F = 0, theta = 1, phi = 0) and `def->size`
 * to `sizeof(*def)`.
 *
 * @param def the definition to initialise; ignored when NULL.
 */
CRIT_API void crit_floor_def_init(crit_floor_def *def);

/**
 * Create a policy with every mechanism off for one mineral of a world. The
 * policy takes a reference on the world, so the world may be freed first.
 *
 * @param out receives the policy, owned by the caller and released with
 *        crit_policy_free(); untouched on failure.
 * @param world the world.
 * @param mineral the mineral's code.
 * @return `CRIT_OK`, `CRIT_EINVAL` (a NULL argument), `CRIT_ENOTFOUND`
 *         (unknown mineral) or `CRIT_ENOMEM`.
 */
CRIT_API int crit_policy_new(crit_policy **out, const crit_world *world,
                             const char *mineral);

/**
 * Release a policy. Markets using it keep it alive until they drop it.
 *
 * @param policy the policy; NULL is ignored.
 */
CRIT_API void crit_policy_free(crit_policy *policy);

/**
 * Set the coalition's common external tariff: a specific tariff added to
 * the wedge of every allowed arc from a non-member into a member.
 *
 * @param policy the policy.
 * @param usd_per_t the tariff (USD/t), finite and `>= 0`; 0 switches it
 *        off.
 * @return `CRIT_OK` or `CRIT_EINVAL` (NULL policy, a value that is NaN,
 *         infinite or negative). Unchanged on failure.
 */
CRIT_API int crit_policy_set_external_tariff(crit_policy *policy,
                                             double usd_per_t);

/**
 * The common external tariff.
 *
 * @param policy the policy.
 * @return the tariff in USD/t; 0 when off or when `policy` is NULL.
 */
CRIT_API double crit_policy_external_tariff(const crit_policy *policy);

/**
 * Set the coalition's reference price `Rref`, held by the adjustable
 * tariff: the levy `tau >= 0` added to every arc from a non-member into a
 * member is the fixed point `tau = max(0, Rref - L(tau))` of MODEL.md
 * section 4, where `L(tau)` is the cheapest landed price of non-member
 * supply in a member, `min (p_i + lambda_i + c_ij)` over non-members `i`,
 * members `j` and allowed arcs (`c_ij` includes the external tariff but
 * not `tau`; `lambda_i` is the exporter's quota rent, zero unless its
 * quota binds). A non-member whose export quota is zero lands nothing and
 * is left out (its rent is not pinned down by the equilibrium). A
 * non-member whose price the equilibrium leaves free (with neither
 * supply nor demand, say, or with equal fixed ones) counts at its
 * reported price, the least at which supply reaches it (crit/market.h,
 * "Prices the equilibrium leaves free"): supply could land through it at
 * that price plus its route.
 *
 * @param policy the policy.
 * @param usd_per_t `Rref` (USD/t), finite and `>= 0`; 0 switches the
 *        mechanism off.
 * @return `CRIT_OK` or `CRIT_EINVAL` (NULL policy, a value that is NaN,
 *         infinite or negative). Unchanged on failure.
 */
CRIT_API int crit_policy_set_reference_price(crit_policy *policy,
                                             double usd_per_t);

/**
 * The reference price.
 *
 * @param policy the policy.
 * @return `Rref` in USD/t; 0 when off or when `policy` is NULL.
 */
CRIT_API double crit_policy_reference_price(const crit_policy *policy);

/**
 * Put, or replace, a price floor by contract for difference on an
 * economy's production of the policy's mineral.
 *
 * @param policy the policy.
 * @param economy the covered economy's code.
 * @param def the floor; `F` finite and `>= 0`, `theta` in [0, 1], `phi`
 *        in [0, 1).
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL policy, economy or `def`, a
 *         size below the first version's, or a value out of its range,
 *         named in the message); `CRIT_ENOTFOUND` (unknown
 *         economy); `CRIT_EUNSUPPORTED` (unknown non-zero tail of `def`);
 *         `CRIT_ENOMEM`. Unchanged on failure.
 */
CRIT_API int crit_policy_set_floor(crit_policy *policy, const char *economy,
                                   const crit_floor_def *def);

/**
 * Remove an economy's price floor (no-op when it has none).
 *
 * @param policy the policy.
 * @param economy the economy's code.
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL policy or economy) or
 *         `CRIT_ENOTFOUND` (unknown economy). Unchanged on failure.
 */
CRIT_API int crit_policy_clear_floor(crit_policy *policy, const char *economy);

/**
 * Read an economy's price floor.
 *
 * @param out receives the floor; `out->size` must be set
 *        (crit_floor_def_init()); fields beyond the ones this libcrit
 *        knows are not written.
 * @param out_active receives 1 when the economy has a floor, else 0 (and
 *        `out` is then set to the defaults of crit_floor_def_init());
 *        may be NULL.
 * @param policy the policy.
 * @param economy the economy's code.
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL `out`, policy or economy, or
 *         `out->size` below the first version's) or `CRIT_ENOTFOUND`
 *         (unknown economy). On failure `out` and `out_active` are
 *         untouched.
 */
CRIT_API int crit_policy_floor_get(crit_floor_def *out, int32_t *out_active,
                                   const crit_policy *policy,
                                   const char *economy);

CRIT_END_DECLS

#endif /* CRIT_POLICY_H */

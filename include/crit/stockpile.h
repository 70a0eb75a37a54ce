/**
 * @file crit/stockpile.h
 * @brief Strategic stockpiles (MODEL.md section 5): per-mineral inventory,
 *        capacity, strategic minimum, target, rate limits, triggers,
 *        losses and holding costs; participants with fees, draw rights and
 *        replenishment commitments; traders' participation fees; cash.
 *
 * A stockpile is a mutable state object at one member economy of a world.
 * It holds one or more minerals (crit_stockpile_add_mineral()) and has
 * participants (crit_stockpile_add_participant()). Its state is the
 * inventory of each mineral, its cash, and per participant the tonnes
 * drawn in the current disruption and the tonnes still owed back.
 *
 * The accounting functions below are pure bookkeeping on that state and
 * need no scenario: crit_stockpile_purchase() and crit_stockpile_release()
 * are the agent's curves of MODEL.md section 5, crit_stockpile_settle()
 * applies a clearing result, crit_stockpile_collect_fees() the fees, and
 * crit_stockpile_settle_participant() a participant's draw or
 * replenishment. A scenario (crit/scenario.h) copies a stockpile when it
 * is added and runs these functions on its copy every period.
 *
 * **Within a period** of length `dt` (years), for one mineral with opening
 * inventory `I`, loss rate `delta`, and `J = I max(1 - delta dt, 0)` what
 * is left after the period's losses (they never take more than `I`):
 *
 *     buy(p)     = min(amax dt, max(Itarget - J, 0), cash / p) * w_buy(p)
 *     release(p) = min(gmax dt, max(J - Imin, 0))              * w_rel(p)
 *     w_buy(p) = 1 for p <= B, 0 for p >= B (1 + sigma), linear between
 *     w_rel(p) = 0 for p <= T, 1 for p >= T (1 + sigma), linear between
 *
 * and after clearing at price `p`:
 *
 *     I'    = J + buy - release - draws + replenished
 *     cash' = cash - p buy + p release - h I dt
 *                  + draw_price draws - draw_price replenished
 *
 * with `h` the mineral's holding cost (USD/t/yr, crit_mineral_def). The
 * caps use `J` rather than `I` so that a release can never take the
 * inventory below `Imin` once the period's losses are counted (MODEL.md
 * writes `I` in the caps; with `delta = 0` the two agree).
 *
 * **Disruption.** While a disruption of the mineral is declared, purchases
 * stop (`amax` and `B` are taken as 0, so that `T > B` holds whatever
 * `Temerg` is) and the release trigger is the emergency trigger `Temerg`
 * (default the mineral's base price `P0`). The participants' draw rights
 * come first: the agent's inventory `J` is reduced by what the
 * participants may draw in the period (crit_stockpile_participant_caps()),
 * so that the two never take the same tonnes.
 *
 * **Participants.** A firm pays an upfront fee in period 0 and an annual
 * fee (charged `fee * dt` each period); it states its demand of one
 * mineral (t/yr), used by a target in days of participants' demand. It may
 * hold a draw right (with an agreed price > 0): during each declared
 * disruption of its mineral it may
 * take up to `draw_right_t` tonnes from the inventory, at most
 * `draw_rate_t_per_yr * dt` a period (all of it at once when the rate is
 * 0), whenever the market price is above the agreed `draw_price_usd_per_t`
 * (the draw is a price-responsive release with trigger `T` = the agreed
 * price); it pays the agreed price for each tonne. A firm that commits to
 * replenish (`replenish_rate_t_per_yr > 0`) returns the tonnes it drew
 * once the disruption is over, buying them on the market at up to that
 * rate, and is refunded the agreed price for each tonne returned (a swap
 * of metal). A trader pays fees only.
 *
 * The firms holding one mineral share its inventory after losses `J` and
 * the room above it in the order they were added: each may draw at most
 * what the firms before it leave of `J`, and return at most what they
 * leave of `Imax - J`; and the returns come before the stockpile's own
 * purchases, whose target is reduced by what the firms may return in the
 * period. Draws then never exceed the inventory and returns never take it
 * above the capacity, whatever the market does.
 *
 * **Targets.** In tonnes; in days of the participants' demand of the
 * mineral, `days / 365 * sum of demand_t_per_yr`; or in months of the
 * coalition's net imports at base, `months / 12 * max(0, sum over members
 * of (d0 - s0))` from the world's curves.
 *
 * Money is USD, quantities tonnes, rates per year, prices USD/t.
 *
 * Thread-safety: a stockpile is not locked; functions taking a `const
 * crit_stockpile *` may run concurrently on one stockpile, the others need
 * exclusive access. Distinct stockpiles may be used from distinct threads.
 */
#ifndef CRIT_STOCKPILE_H
#define CRIT_STOCKPILE_H

#include "common.h"
#include "market.h"
#include "world.h"

CRIT_BEGIN_DECLS

/** Opaque stockpile handle. Create with crit_stockpile_new(), free with
 *  crit_stockpile_free(). */
typedef struct crit_stockpile crit_stockpile;

/** Unit of a stockpile's target. Values are fixed forever. */
typedef enum crit_stockpile_target_unit {
    CRIT_TARGET_TONNES = 0,           /**< tonnes */
    CRIT_TARGET_DAYS_OF_DEMAND = 1,   /**< days of the participants' demand */
    CRIT_TARGET_MONTHS_OF_IMPORTS = 2 /**< months of the coalition's net
                                           imports at base */
} crit_stockpile_target_unit;

/** Kind of participant. Values are fixed forever. */
typedef enum crit_participant_kind {
    CRIT_PARTICIPANT_FIRM = 0,  /**< a manufacturer: fees, demand, draw
                                     rights, replenishment */
    CRIT_PARTICIPANT_TRADER = 1 /**< a trader procuring for the stockpile:
                                     participation fees only */
} crit_participant_kind;

/**
 * Definition of a stockpile. Initialise with crit_stockpile_def_init().
 */
typedef struct crit_stockpile_def {
    size_t size;         /**< sizeof(crit_stockpile_def), set by _init() */
    const char *name;    /**< display name; NULL means "stockpile" */
    const char *economy; /**< code of the member economy holding it
                              (required) */
    double cash_usd;     /**< opening cash (equity), finite and >= 0 */
} crit_stockpile_def;

/**
 * One mineral held by a stockpile. Initialise with
 * crit_stockpile_mineral_def_init().
 */
typedef struct crit_stockpile_mineral_def {
    size_t size;                        /**< set by _init() */
    const char *mineral;                /**< the mineral's code (required) */
    double inventory_t;                 /**< opening inventory I, in
                                             [0, capacity] */
    double capacity_t;                  /**< Imax > 0 */
    double minimum_t;                   /**< strategic minimum Imin, in
                                             [0, capacity] */
    int32_t target_unit;                /**< a crit_stockpile_target_unit
                                             (default tonnes) */
    double target;                      /**< target in `target_unit`, >= 0;
                                             the target in tonnes must not
                                             exceed the capacity */
    double acquisition_rate_t_per_yr;   /**< amax >= 0 */
    double release_rate_t_per_yr;       /**< gmax >= 0 */
    double purchase_trigger_usd_per_t;  /**< B >= 0 */
    double release_trigger_usd_per_t;   /**< T > B */
    double emergency_trigger_usd_per_t; /**< Temerg > 0, the release
                                             trigger during a disruption;
                                             0 (default) means P0 */
    double smoothing;                   /**< sigma > 0 (default 0.05) */
    double loss_rate_per_yr;            /**< delta, in [0, 1] */
} crit_stockpile_mineral_def;

/**
 * A participant. Initialise with crit_participant_def_init().
 */
typedef struct crit_participant_def {
    size_t size;                    /**< set by _init() */
    const char *name;               /**< display name (required) */
    int32_t kind;                   /**< a crit_participant_kind (default
                                         firm) */
    const char *mineral;            /**< firm: the mineral of its demand and
                                         draw right, one the stockpile holds;
                                         NULL for fees only. Trader: NULL */
    double demand_t_per_yr;         /**< firm's demand of the mineral, >= 0 */
    double upfront_fee_usd;         /**< paid in period 0, >= 0 */
    double annual_fee_usd_per_yr;   /**< charged `fee * dt` a period, >= 0 */
    double draw_right_t;            /**< tonnes it may draw in each
                                         disruption, >= 0 (firm only) */
    double draw_rate_t_per_yr;      /**< most it draws a year, >= 0; 0 means
                                         the whole right in one period */
    double draw_price_usd_per_t;    /**< agreed price of a draw, >= 0 */
    double replenish_rate_t_per_yr; /**< > 0: commits to return what it
                                         drew after the disruption, at up
                                         to this rate; 0: no commitment */
} crit_participant_def;

/**
 * Totals of one settlement (crit_stockpile_settle()): a frozen plain-value
 * struct. Tonnes and USD of the period.
 */
typedef struct crit_stockpile_flows {
    double opening_t;       /**< inventory before the period */
    double purchased_t;     /**< bought on the market */
    double released_t;      /**< sold on the market */
    double lost_t;          /**< `I min(delta dt, 1)` */
    double closing_t;       /**< inventory after the period */
    double purchase_usd;    /**< `p * purchased` paid */
    double sales_usd;       /**< `p * released` received */
    double holding_usd;     /**< `h * I * dt` paid */
    double cash_change_usd; /**< sales - purchases - holding */
} crit_stockpile_flows;

/**
 * Set `def` to its defaults (no name, no economy, no cash) and `def->size`.
 *
 * @param def the definition; ignored when NULL.
 */
CRIT_API void crit_stockpile_def_init(crit_stockpile_def *def);

/**
 * Set `def` to its defaults (every number 0, target in tonnes, smoothing
 * 0.05, emergency trigger 0 meaning P0) and `def->size`.
 *
 * @param def the definition; ignored when NULL.
 */
CRIT_API void crit_stockpile_mineral_def_init(crit_stockpile_mineral_def *def);

/**
 * Set `def` to its defaults (a firm, every number 0, no mineral) and
 * `def->size`.
 *
 * @param def the definition; ignored when NULL.
 */
CRIT_API void crit_participant_def_init(crit_participant_def *def);

/**
 * Create an empty stockpile (no minerals, no participants) at a member
 * economy. The stockpile takes a reference on the world, which may be
 * freed first.
 *
 * @param out receives the stockpile, owned by the caller and released with
 *        crit_stockpile_free(); untouched on failure.
 * @param world the world.
 * @param def the definition, copied.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL argument, negative or non-finite
 *         cash, an economy that is not a member); `CRIT_ENOTFOUND`
 *         (unknown economy); `CRIT_EUNSUPPORTED` (unknown non-zero tail of
 *         `def`); `CRIT_ENOMEM`.
 */
CRIT_API int crit_stockpile_new(crit_stockpile **out, const crit_world *world,
                                const crit_stockpile_def *def);

/**
 * Release a stockpile and its reference on the world.
 *
 * @param stockpile the stockpile; NULL is ignored.
 */
CRIT_API void crit_stockpile_free(crit_stockpile *stockpile);

/**
 * Deep copy of a stockpile, state included.
 *
 * @param out receives the copy, owned by the caller; untouched on failure.
 * @param stockpile the stockpile.
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL argument) or `CRIT_ENOMEM`.
 */
CRIT_API int crit_stockpile_copy(crit_stockpile **out,
                                 const crit_stockpile *stockpile);

/**
 * Add a mineral to the stockpile.
 *
 * @param stockpile the stockpile.
 * @param def the mineral's definition, copied.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL argument or a value out of range,
 *         named: a capacity that is not > 0; an inventory, minimum or
 *         tonnes target above the capacity; `T <= B`; a negative rate, a
 *         loss rate outside [0, 1]; an unknown target unit);
 *         `CRIT_ENOTFOUND` (unknown mineral); `CRIT_EEXISTS` (the
 *         stockpile already holds it); `CRIT_EUNSUPPORTED`; `CRIT_ENOMEM`.
 *         Unchanged on failure.
 */
CRIT_API int crit_stockpile_add_mineral(crit_stockpile *stockpile,
                                        const crit_stockpile_mineral_def *def);

/**
 * Add a participant.
 *
 * @param out_index receives its index (0, 1, ... in the order added); may
 *        be NULL.
 * @param stockpile the stockpile.
 * @param def the participant, copied.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL argument, no name, a negative or
 *         non-finite number, an unknown kind, a trader with a mineral,
 *         demand or draw right, a draw right or demand without a mineral,
 *         a mineral the stockpile does not hold); `CRIT_ENOTFOUND`
 *         (unknown mineral); `CRIT_EUNSUPPORTED`; `CRIT_ENOMEM`. Unchanged
 *         on failure.
 */
CRIT_API int crit_stockpile_add_participant(size_t *out_index,
                                            crit_stockpile *stockpile,
                                            const crit_participant_def *def);

/**
 * Name of the stockpile, borrowed.
 *
 * @param stockpile the stockpile.
 * @return the name, valid while the stockpile lives; NULL when
 *         `stockpile` is NULL.
 */
CRIT_API const char *crit_stockpile_name(const crit_stockpile *stockpile);

/**
 * Index in the world of the economy holding the stockpile.
 *
 * @param stockpile the stockpile.
 * @return the economy index; 0 when `stockpile` is NULL.
 */
CRIT_API size_t crit_stockpile_economy(const crit_stockpile *stockpile);

/**
 * Number of minerals the stockpile holds.
 *
 * @param stockpile the stockpile; NULL counts as empty.
 * @return the count; 0 when `stockpile` is NULL.
 */
CRIT_API size_t crit_stockpile_mineral_count(const crit_stockpile *stockpile);

/**
 * Whether the stockpile holds a mineral, and where.
 *
 * @param out receives the mineral's slot in the stockpile (0 to
 *        crit_stockpile_mineral_count() - 1, in the order added).
 * @param stockpile the stockpile.
 * @param mineral the mineral's code.
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL argument) or `CRIT_ENOTFOUND`
 *         (the stockpile does not hold it, or no such mineral).
 */
CRIT_API int crit_stockpile_mineral_slot(size_t *out,
                                         const crit_stockpile *stockpile,
                                         const char *mineral);

/**
 * Read a held mineral's definition as given (target in its own unit), with
 * its current inventory in `inventory_t`.
 *
 * @param out receives it; `out->size` must be set; `out->mineral` is
 *        borrowed from the world.
 * @param stockpile the stockpile.
 * @param slot the mineral's slot.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL argument, `out->size` too
 *         small); `CRIT_ERANGE` (no such slot). `out` is untouched on
 *         failure.
 */
CRIT_API int crit_stockpile_mineral_get(crit_stockpile_mineral_def *out,
                                        const crit_stockpile *stockpile,
                                        size_t slot);

/**
 * Number of participants (firms and traders).
 *
 * @param stockpile the stockpile; NULL counts as empty.
 * @return the count.
 */
CRIT_API size_t
crit_stockpile_participant_count(const crit_stockpile *stockpile);

/**
 * Target of a held mineral in tonnes (see the file's description).
 *
 * @param out receives the target (t).
 * @param stockpile the stockpile.
 * @param slot the mineral's slot.
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL argument) or `CRIT_ERANGE` (no such
 *         slot).
 */
CRIT_API int crit_stockpile_target_t(double *out,
                                     const crit_stockpile *stockpile,
                                     size_t slot);

/**
 * Current inventory of a held mineral.
 *
 * @param out receives the inventory (t).
 * @param stockpile the stockpile.
 * @param slot the mineral's slot.
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL argument) or `CRIT_ERANGE` (no such
 *         slot).
 */
CRIT_API int crit_stockpile_inventory_t(double *out,
                                        const crit_stockpile *stockpile,
                                        size_t slot);

/**
 * Current cash of the stockpile (negative while a shortfall is not yet
 * financed).
 *
 * @param stockpile the stockpile.
 * @return the cash in USD; 0 when `stockpile` is NULL.
 */
CRIT_API double crit_stockpile_cash(const crit_stockpile *stockpile);

/**
 * Add to (or, negative, take from) the stockpile's cash: a loan draw, a
 * debt payment, a grant.
 *
 * @param stockpile the stockpile.
 * @param usd the amount, finite.
 * @return `CRIT_OK` or `CRIT_EINVAL` (NULL stockpile, an amount that is
 *         not finite or that takes the cash beyond a double). Unchanged
 *         on failure.
 */
CRIT_API int crit_stockpile_add_cash(crit_stockpile *stockpile, double usd);

/**
 * The agent's purchase curve `buy(p)` of one mineral (see the file's
 * description), in tonnes for the period; 0 during a disruption
 * (crit_stockpile_set_disruption()).
 *
 * @param out receives the tonnes.
 * @param stockpile the stockpile.
 * @param slot the mineral's slot.
 * @param price the price p (USD/t), finite and >= 0.
 * @param cash_usd cash available for purchases, finite and >= 0 (at
 *        `p = 0` any cash > 0 lifts the cash limit; with no cash the
 *        agent buys nothing, whatever the price).
 * @param dt the period length (years), finite and > 0.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL argument, a number out of the
 *         range given above); `CRIT_ERANGE` (no such slot). `out` is untouched
 * on failure.
 */
CRIT_API int crit_stockpile_purchase(double *out,
                                     const crit_stockpile *stockpile,
                                     size_t slot, double price, double cash_usd,
                                     double dt);

/**
 * The agent's release curve `release(p)` of one mineral, in tonnes for the
 * period; during a disruption (crit_stockpile_set_disruption()) the
 * trigger is the emergency trigger.
 *
 * @param out receives the tonnes.
 * @param stockpile the stockpile.
 * @param slot the mineral's slot.
 * @param price the price p (USD/t), finite and >= 0.
 * @param dt the period length (years), finite and > 0.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL argument, a number out of the
 *         range given above); `CRIT_ERANGE` (no such slot). `out` is untouched
 * on failure.
 */
CRIT_API int crit_stockpile_release(double *out,
                                    const crit_stockpile *stockpile,
                                    size_t slot, double price, double dt);

/**
 * The market agent of one held mineral for one period (MODEL.md section
 * 5), ready for crit_market_add_agent() or crit_market_set_agent(): the
 * inventory after the period's losses `J` (less the participants' draw
 * caps during a disruption), the capacity, minimum, target in tonnes (at
 * most the capacity, less the participants' return caps), rate limits,
 * smoothing, and the triggers in force (`amax` = `B` = 0 and `T` =
 * `Temerg` during a disruption). The agent's curves are
 * crit_stockpile_purchase() and crit_stockpile_release().
 *
 * @param out receives the agent; `out->size` must be set
 *        (crit_market_agent_def_init()).
 * @param stockpile the stockpile.
 * @param slot the mineral's slot.
 * @param cash_usd cash the agent may spend this period, finite and >= 0.
 * @param dt the period length (years), finite and > 0.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL argument, `out->size` too
 *         small, a number out of the range given above); `CRIT_ERANGE`
 *         (no such slot). `out` is untouched on failure.
 */
CRIT_API int crit_stockpile_market_agent(crit_market_agent_def *out,
                                         const crit_stockpile *stockpile,
                                         size_t slot, double cash_usd,
                                         double dt);

/**
 * A participant's draw or replenishment of one period as a market agent at
 * the stockpile's economy: during a disruption of its mineral an agent
 * that releases up to the draw cap (crit_stockpile_participant_caps())
 * above the agreed price (`T` = the agreed price, `B` = 0, no purchases);
 * after it, with tonnes owed and a commitment, one that buys up to the
 * replenishment cap at any price up to 0.1 % below the choke price and
 * nothing at it (`B` = `Pmax / (1 + sigma)` with `sigma` = 0.001, `T` =
 * 2 `Pmax`, cash enough for the cap at `Pmax`): at the choke price the
 * market rations demand, and a purchase there would be served ahead of
 * consumers (crit_market_agent_def); otherwise an idle
 * agent (every quantity 0, `B` = 0, `T` = 1).
 *
 * @param out receives the agent; `out->size` must be set.
 * @param stockpile the stockpile.
 * @param participant the participant's index.
 * @param dt the period length (years), finite and > 0.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL argument, `out->size` too
 *         small, a bad `dt`); `CRIT_ERANGE` (no such participant). `out`
 *         is untouched on failure.
 */
CRIT_API int crit_stockpile_participant_agent(crit_market_agent_def *out,
                                              const crit_stockpile *stockpile,
                                              size_t participant, double dt);

/**
 * Apply a period's clearing result for one mineral: losses, purchase,
 * release and holding cost (see the file's description).
 *
 * @param out receives the period's flows; may be NULL.
 * @param stockpile the stockpile.
 * @param slot the mineral's slot.
 * @param price the clearing price at the stockpile's economy (USD/t),
 *        finite and >= 0.
 * @param purchased_t tonnes bought, finite and >= 0.
 * @param released_t tonnes released, finite and >= 0.
 * @param dt the period length (years), finite and > 0.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL stockpile, a bad number, a
 *         release above what is left after losses, a closing inventory
 *         above the capacity, or a cash change that takes the cash beyond
 *         a double); `CRIT_ERANGE` (no such slot). Unchanged on failure,
 *         `out` included.
 */
CRIT_API int crit_stockpile_settle(crit_stockpile_flows *out,
                                   crit_stockpile *stockpile, size_t slot,
                                   double price, double purchased_t,
                                   double released_t, double dt);

/**
 * Collect the fees of one period into the cash: every participant's
 * upfront fee when `period` is 0, plus `annual fee * dt`.
 *
 * @param out receives the fees collected (USD); may be NULL.
 * @param stockpile the stockpile.
 * @param period the period index, >= 0.
 * @param dt the period length (years), finite and > 0.
 * @return `CRIT_OK` or `CRIT_EINVAL` (NULL stockpile, a bad period or
 *         `dt`, fees that take the cash beyond a double). Unchanged on
 *         failure.
 */
CRIT_API int crit_stockpile_collect_fees(double *out, crit_stockpile *stockpile,
                                         int32_t period, double dt);

/**
 * What a participant may draw or must replenish in a period, as an agent:
 * during a disruption of its mineral, it may release up to
 * `min(rate dt, right - drawn so far)` tonnes (rate 0: no rate limit)
 * above the agreed price; afterwards, with a replenishment commitment, it
 * buys back up to `min(replenish rate dt, owed)` tonnes at any price below
 * the choke price. Both are capped by what the participants added before
 * it that hold the same mineral leave: of the inventory after losses `J`
 * for draws, of the room `Imax - J` for returns (see the file's
 * description).
 *
 * @param out_draw_cap_t receives the most it may draw this period (t);
 *        may be NULL.
 * @param out_replenish_cap_t receives the most it returns this period
 *        (t); may be NULL.
 * @param stockpile the stockpile.
 * @param participant the participant's index.
 * @param dt the period length (years), finite and > 0.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL stockpile, a bad `dt`);
 *         `CRIT_ERANGE` (no such participant). A participant holding no
 *         mineral (a trader) has both caps 0.
 */
CRIT_API int crit_stockpile_participant_caps(double *out_draw_cap_t,
                                             double *out_replenish_cap_t,
                                             const crit_stockpile *stockpile,
                                             size_t participant, double dt);

/**
 * Apply a participant's draw and replenishment of one period: the
 * inventory falls by `drawn_t` and rises by `replenished_t`; the cash
 * rises by the agreed price times `drawn_t` and falls by it times
 * `replenished_t`; the tonnes owed move accordingly. Apply it after
 * crit_stockpile_settle() of the same mineral and period.
 *
 * @param out_cash_usd receives the cash change (USD); may be NULL.
 * @param stockpile the stockpile.
 * @param participant the participant's index.
 * @param drawn_t tonnes drawn, finite, >= 0, at most what is left of the
 *        participant's draw right in this disruption and the inventory
 *        (the per-period draw cap of crit_stockpile_participant_caps()
 *        depends on `dt`, which this function does not take: keep a draw
 *        within it yourself).
 * @param replenished_t tonnes returned, finite, >= 0, at most the tonnes
 *        owed, and not taking the inventory above the capacity.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL stockpile, a bad number, a draw
 *         outside a disruption of the mineral, a draw or return by a
 *         participant holding no mineral, a value above its bound, named,
 *         or a cash change that takes the cash beyond a double);
 *         `CRIT_ERANGE` (no such participant). Unchanged on failure.
 */
CRIT_API int crit_stockpile_settle_participant(double *out_cash_usd,
                                               crit_stockpile *stockpile,
                                               size_t participant,
                                               double drawn_t,
                                               double replenished_t);

/**
 * Start or end a disruption of one held mineral for the participants'
 * draw rights: starting one resets the tonnes drawn in it to 0.
 *
 * @param stockpile the stockpile.
 * @param slot the mineral's slot.
 * @param disrupted 1 when a disruption begins, 0 when it ends.
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL stockpile, a flag not 0 or 1) or
 *         `CRIT_ERANGE` (no such slot).
 */
CRIT_API int crit_stockpile_set_disruption(crit_stockpile *stockpile,
                                           size_t slot, int32_t disrupted);

/**
 * Whether a disruption of a held mineral is declared.
 *
 * @param stockpile the stockpile.
 * @param slot the mineral's slot.
 * @return 1 while declared; 0 otherwise, for a NULL stockpile or a slot
 *         it does not have.
 */
CRIT_API int32_t crit_stockpile_disrupted(const crit_stockpile *stockpile,
                                          size_t slot);

/**
 * Read a participant's definition.
 *
 * @param out receives it; `out->size` must be set; its strings are
 *        borrowed from the stockpile (name) and the world (mineral).
 * @param stockpile the stockpile.
 * @param participant the participant's index.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL argument, `out->size` too
 *         small); `CRIT_ERANGE` (no such participant). `out` is untouched
 *         on failure.
 */
CRIT_API int crit_stockpile_participant_get(crit_participant_def *out,
                                            const crit_stockpile *stockpile,
                                            size_t participant);

/**
 * A participant's mineral slot (or `SIZE_MAX` when it has none) and its
 * state.
 *
 * @param out_slot receives the slot; may be NULL.
 * @param out_drawn_t receives the tonnes drawn in the current disruption;
 *        may be NULL.
 * @param out_owed_t receives the tonnes it still owes back; may be NULL.
 * @param stockpile the stockpile.
 * @param participant the participant's index.
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL stockpile) or `CRIT_ERANGE` (no
 *         such participant); the outputs are untouched on failure.
 */
CRIT_API int crit_stockpile_participant_state(size_t *out_slot,
                                              double *out_drawn_t,
                                              double *out_owed_t,
                                              const crit_stockpile *stockpile,
                                              size_t participant);

CRIT_END_DECLS

#endif /* CRIT_STOCKPILE_H */

/**
 * @file crit/scenario.h
 * @brief Scenarios and their deterministic run (MODEL.md section 8): a
 *        world, policies, stockpiles, loans, programmes, a horizon of
 *        calendar periods and events; the run records every series into a
 *        result read in bulk into caller arrays.
 *
 * **Building.** crit_scenario_new() takes a reference on a world and a
 * horizon: a start date, a number of periods and their length in whole
 * months (`dt = months / 12` years; period `t` covers the dates
 * `(d_t, d_{t+1}]`, `d_t = start + t * months`, and period 0 also `d_0`).
 * Stockpiles, loans, policies and programmes are copied when added, so a
 * caller may change or free its own objects afterwards; the world is read
 * as it is when the scenario runs. Everything is validated when added
 * (codes, periods inside the horizon, values), and again against the
 * world when the run starts, before anything is computed.
 *
 * **The run** (crit_scenario_run()) copies the world, the stockpiles and
 * the loans, then for each period in order:
 *
 * 1. applies the events of the period in the order they were added
 *    (period 0 first applies the policies given by
 *    crit_scenario_set_policy()), and the programmes that come online
 *    (crit/programme.h);
 * 2. marks each mineral disrupted or not (a declared disruption, or, when
 *    `disruption_from_restrictions` is 1, an active export ban against a
 *    member or an active export quota) and tells the stockpiles;
 * 3. collects the participants' fees into each stockpile's cash;
 * 4. clears the minerals in world order with one crit_market per mineral
 *    (allocated once, reused and warm-started across periods), each
 *    stockpile holding the mineral being an agent at its economy with the
 *    cash it can reach (its cash, plus the period's scheduled loan draws
 *    and what its loans can still lend on demand, less the debt service
 *    due in the period) and
 *    each participant's draw or replenishment another; after each
 *    mineral, settles the stockpiles (crit_stockpile_settle(),
 *    crit_stockpile_settle_participant()), so the next mineral sees the
 *    cash left;
 * 5. runs each stockpile's cash waterfall: its loans' scheduled draws in
 *    (rows whose date falls in the period, before any draw on demand),
 *    then the payments of those rows out (interest, principal, fees);
 *    a negative cash is drawn on the stockpile's loans in the order added,
 *    dated `d_{t+1}`, while they have undrawn commitment in their
 *    availability period; what is still missing is the period's funding
 *    gap, recorded and covered (cash is set back to 0): never dropped.
 *
 * A solve that fails stops the run with its error, naming the period and
 * the mineral; nothing is returned.
 *
 * **Conservation.** Per stockpile, closing cash = opening cash + fees +
 * sales + draw payments + loan draws + funding gaps - purchases - holding
 * costs - replenishment refunds - debt service, and per held mineral
 * closing inventory = opening + purchased - released - lost - drawn +
 * replenished, each over any span of periods; the market's stockpile
 * purchase and release at an economy are the sums of the agents' there.
 *
 * Thread-safety: a scenario is not locked. crit_scenario_run() only reads
 * the scenario and its world, so several runs of one scenario may go on
 * at once in distinct threads provided nothing modifies them meanwhile.
 * A result is immutable and may be read from any thread.
 */
#ifndef CRIT_SCENARIO_H
#define CRIT_SCENARIO_H

#include "common.h"
#include "date.h"
#include "loan.h"
#include "market.h"
#include "policy.h"
#include "programme.h"
#include "stockpile.h"
#include "world.h"

CRIT_BEGIN_DECLS

/** Opaque scenario handle. Create with crit_scenario_new(), free with
 *  crit_scenario_free(). */
typedef struct crit_scenario crit_scenario;

/** Opaque result of a run. Created by crit_scenario_run(), freed with
 *  crit_result_free(). */
typedef struct crit_result crit_result;

/**
 * Horizon and options of a scenario. Initialise with
 * crit_scenario_def_init().
 */
typedef struct crit_scenario_def {
    size_t size;               /**< sizeof(crit_scenario_def), set by _init() */
    crit_date start;           /**< first day of period 0 (required) */
    int32_t periods;           /**< number of periods, 1 to 100000 */
    int32_t months_per_period; /**< 1 (default), 2, 3, 4, 6 or 12 */
    int32_t disruption_from_restrictions; /**< 1 (default): an export ban
                                               against a member or an
                                               export quota disrupts the
                                               mineral; 0: only declared
                                               disruptions count */
} crit_scenario_def;

/** Kinds of events. Values are fixed forever. */
typedef enum crit_event_kind {
    CRIT_EVENT_EXPORT_BAN = 0,       /**< `economy` bans exports of `mineral`
                                          to `partner` (NULL: to every
                                          member) */
    CRIT_EVENT_EXPORT_BAN_END = 1,   /**< ends that ban: each of those
                                          destinations back to the
                                          world's own ban (one the world
                                          itself has stays) */
    CRIT_EVENT_EXPORT_QUOTA = 2,     /**< `economy` limits its exports of
                                          `mineral` to `value` t/yr */
    CRIT_EVENT_EXPORT_QUOTA_END = 3, /**< lifts the quota (back to the
                                          world's) */
    CRIT_EVENT_EXPORT_TAX = 4,       /**< `economy` taxes exports of
                                          `mineral`: `value` USD/t plus
                                          `value2` ad valorem */
    CRIT_EVENT_EXPORT_TAX_END = 5,   /**< back to the world's export tax */
    CRIT_EVENT_OUTAGE = 6,           /**< availability `a` of `economy`'s
                                          supply of `mineral` = `value` in
                                          [0, 1] */
    CRIT_EVENT_OUTAGE_END = 7,       /**< availability back to 1 */
    CRIT_EVENT_DEMAND = 8,           /**< demand level `g` = `value` in
                                          (0, 1e300] (as a market takes) of
                                          `economy` (NULL: every economy)
                                          for `mineral` (NULL: every
                                          mineral) */
    CRIT_EVENT_EXTERNAL_TARIFF = 9,  /**< the coalition's external tariff
                                          on `mineral` = `value` USD/t
                                          (0: off) */
    CRIT_EVENT_REFERENCE_PRICE = 10, /**< reference price held by the
                                          adjustable tariff = `value`
                                          USD/t (0: off) */
    CRIT_EVENT_FLOOR = 11,           /**< CfD floor on `economy`'s
                                          production: `value` USD/t,
                                          covered share `value2` (0, the
                                          default, means 1), upside share
                                          `value3` */
    CRIT_EVENT_FLOOR_END = 12,       /**< removes that floor */
    CRIT_EVENT_DISRUPTION = 13,      /**< declares a disruption of
                                          `mineral` (NULL: every mineral) */
    CRIT_EVENT_DISRUPTION_END = 14   /**< ends a declared disruption */
} crit_event_kind;

/**
 * An event at the start of a period. Initialise with
 * crit_event_def_init(). Which fields a kind reads is listed with the
 * kind; the others must be left NULL or 0 (crit_scenario_add_event()
 * refuses a code or a non-zero value the kind does not read).
 */
typedef struct crit_event_def {
    size_t size;         /**< sizeof(crit_event_def), set by _init() */
    int32_t period;      /**< period at whose start it applies, from 0 to
                              the number of periods - 1 */
    int32_t kind;        /**< a crit_event_kind */
    const char *mineral; /**< mineral's code */
    const char *economy; /**< the acting or affected economy's code */
    const char *partner; /**< a ban's destination */
    double value;        /**< main value (see the kind) */
    double value2;       /**< second value (see the kind) */
    double value3;       /**< third value (see the kind) */
} crit_event_def;

/**
 * Series recorded by a run, read with crit_result_series(). Each has a
 * shape (crit_result_series_shape()): per period, mineral and economy
 * (`[t][k][i]`, the quantities of crit_market_quantity in the same
 * order); per period and mineral (`[t][k]`); per period, stockpile and
 * mineral (`[t][s][k]`, 0 where the stockpile does not hold the mineral);
 * per period and stockpile (`[t][s]`); per period and loan (`[t][l]`);
 * per period (`[t]`). Tonnes and USD are per period, prices USD/t.
 * Values are fixed forever.
 */
typedef enum crit_series {
    CRIT_SERIES_PRICE = 0,          /**< [t][k][i] p_i */
    CRIT_SERIES_PRODUCTION,         /**< [t][k][i] supply after floors */
    CRIT_SERIES_CONSUMPTION,        /**< [t][k][i] */
    CRIT_SERIES_DEMAND,             /**< [t][k][i] */
    CRIT_SERIES_SHORTAGE,           /**< [t][k][i] demand unserved */
    CRIT_SERIES_DISPOSAL,           /**< [t][k][i] */
    CRIT_SERIES_IMPORTS,            /**< [t][k][i] */
    CRIT_SERIES_EXPORTS,            /**< [t][k][i] */
    CRIT_SERIES_STOCK_PURCHASE,     /**< [t][k][i] bought by agents at i */
    CRIT_SERIES_STOCK_RELEASE,      /**< [t][k][i] released by agents at i */
    CRIT_SERIES_TARIFF_REVENUE,     /**< [t][k][i] USD */
    CRIT_SERIES_EXPORT_TAX_REVENUE, /**< [t][k][i] USD */
    CRIT_SERIES_QUOTA_RENT,         /**< [t][k][i] USD/t */
    CRIT_SERIES_QUOTA_RENT_REVENUE, /**< [t][k][i] USD */
    CRIT_SERIES_CFD_PAID,           /**< [t][k][i] floor payments, USD */
    CRIT_SERIES_CFD_RECEIVED,       /**< [t][k][i] upside returned, USD */
    CRIT_SERIES_LEVY_REVENUE,       /**< [t][k][i] USD, members */
    CRIT_SERIES_LEVY,               /**< [t][k] levy tau, USD/t */
    CRIT_SERIES_DISRUPTED,          /**< [t][k] 1 when disrupted */
    CRIT_SERIES_RESIDUAL,           /**< [t][k] the solve's residual */
    CRIT_SERIES_INVENTORY,          /**< [t][s][k] closing inventory, t */
    CRIT_SERIES_PURCHASED,          /**< [t][s][k] t */
    CRIT_SERIES_RELEASED,           /**< [t][s][k] t */
    CRIT_SERIES_LOST,               /**< [t][s][k] t */
    CRIT_SERIES_DRAWN,              /**< [t][s][k] taken by participants */
    CRIT_SERIES_REPLENISHED,        /**< [t][s][k] returned by them */
    CRIT_SERIES_TARGET,             /**< [t][s][k] target, t */
    CRIT_SERIES_COVER_DAYS,         /**< [t][s][k] inventory in days of
                                         the participants' demand (NaN
                                         without demand) */
    CRIT_SERIES_COVER_MONTHS,       /**< [t][s][k] inventory in months of
                                         the coalition's net imports at
                                         base (MODEL.md section 10; NaN
                                         without net imports) */
    CRIT_SERIES_CASH,               /**< [t][s] closing cash, USD */
    CRIT_SERIES_FEES,               /**< [t][s] USD in */
    CRIT_SERIES_SALES,              /**< [t][s] USD in */
    CRIT_SERIES_DRAW_PAYMENTS,      /**< [t][s] USD in from participants */
    CRIT_SERIES_LOAN_DRAWS,         /**< [t][s] USD in */
    CRIT_SERIES_FUNDING_GAP,        /**< [t][s] USD covered from outside */
    CRIT_SERIES_PURCHASES,          /**< [t][s] USD out */
    CRIT_SERIES_HOLDING,            /**< [t][s] USD out */
    CRIT_SERIES_REFUNDS,            /**< [t][s] USD out to participants */
    CRIT_SERIES_DEBT_SERVICE,       /**< [t][s] USD out: interest,
                                         principal and fees */
    CRIT_SERIES_LOAN_BALANCE,       /**< [t][l] outstanding, USD */
    CRIT_SERIES_LOAN_DRAWN,         /**< [t][l] drawn in the period */
    CRIT_SERIES_LOAN_INTEREST,      /**< [t][l] interest paid */
    CRIT_SERIES_LOAN_PRINCIPAL,     /**< [t][l] principal repaid */
    CRIT_SERIES_LOAN_FEES,          /**< [t][l] fees paid */
    CRIT_SERIES_PROGRAMME_SPENDING, /**< [t] USD */
    CRIT_SERIES_CFD_NET,            /**< [t] floor payments less upside,
                                         every mineral, USD */
    CRIT_SERIES_LEVY_TOTAL,         /**< [t] levy revenue, USD */
    CRIT_SERIES_PUBLIC_COST,        /**< [t] programme spending + CfD net
                                         + funding gaps - levy revenue */
    CRIT_SERIES_COUNT               /**< number of series */
} crit_series;

/** Progress callback of crit_scenario_run(): called after each period
 *  with the number of periods done and the total. Return 0 to go on,
 *  anything else to cancel the run (it then returns CRIT_ECANCELLED). */
typedef int (*crit_scenario_progress_cb)(int32_t done, int32_t total,
                                         void *payload);

/**
 * Set `def` to its defaults (no start date, 0 periods, monthly periods,
 * disruptions from restrictions) and `def->size`.
 *
 * @param def the definition; ignored when NULL.
 */
CRIT_API void crit_scenario_def_init(crit_scenario_def *def);

/**
 * Set `def` to its defaults (period 0, kind export ban, no codes, values
 * 0) and `def->size`.
 *
 * @param def the definition; ignored when NULL.
 */
CRIT_API void crit_event_def_init(crit_event_def *def);

/**
 * Create a scenario on a world, with no events, policies, stockpiles,
 * loans or programmes. It takes a reference on the world.
 *
 * @param out receives the scenario, owned by the caller and released with
 *        crit_scenario_free(); untouched on failure.
 * @param world the world.
 * @param def the horizon.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL argument, an invalid start date,
 *         a number of periods outside 1 to 100000, months per period not
 *         1, 2, 3, 4, 6 or 12, a flag not 0 or 1, a horizon ending after
 *         9999-12-31); `CRIT_EUNSUPPORTED`; `CRIT_ENOMEM`.
 */
CRIT_API int crit_scenario_new(crit_scenario **out, const crit_world *world,
                               const crit_scenario_def *def);

/**
 * Release a scenario. Results of its runs stay valid.
 *
 * @param scenario the scenario; NULL is ignored.
 */
CRIT_API void crit_scenario_free(crit_scenario *scenario);

/**
 * Add an event.
 *
 * @param scenario the scenario.
 * @param def the event, copied.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL argument, a period outside the
 *         horizon, an unknown kind, a missing or superfluous code, a
 *         non-zero value the kind does not read, a value out of range, a ban of
 * an economy on itself, an export tax or subsidy that would take the wedge of
 * one of the economy's arcs in the world below zero); `CRIT_ENOTFOUND` (unknown
 * economy or mineral); `CRIT_EUNSUPPORTED`; `CRIT_ENOMEM`. Unchanged on
 * failure.
 */
CRIT_API int crit_scenario_add_event(crit_scenario *scenario,
                                     const crit_event_def *def);

/**
 * Use a policy's current settings (external tariff, reference price,
 * floors) as the mechanisms of its mineral from period 0. Events may
 * switch them later. A second policy for the same mineral replaces the
 * first.
 *
 * @param scenario the scenario.
 * @param policy a policy on the scenario's world, read now.
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL argument, or a policy on another
 *         world) or `CRIT_ENOMEM`. Unchanged on failure.
 */
CRIT_API int crit_scenario_set_policy(crit_scenario *scenario,
                                      const crit_policy *policy);

/**
 * Add a copy of a stockpile, in its current state.
 *
 * @param out_index receives its index (0, 1, ...); may be NULL.
 * @param scenario the scenario.
 * @param stockpile a stockpile on the scenario's world.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL argument, another world, a target
 *         in tonnes above the capacity); `CRIT_ENOMEM`. Unchanged on
 *         failure.
 */
CRIT_API int crit_scenario_add_stockpile(size_t *out_index,
                                         crit_scenario *scenario,
                                         const crit_stockpile *stockpile);

/**
 * Add a copy of a loan facility (with its draws so far) financing a
 * stockpile: its scheduled draws go into the stockpile's cash, its
 * payments come out of it, and the stockpile's shortfalls draw it on
 * demand (crit_loan_draw()).
 *
 * @param out_index receives its index (0, 1, ...); may be NULL.
 * @param scenario the scenario.
 * @param loan the loan.
 * @param stockpile the index of a stockpile already added.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL argument); `CRIT_ERANGE` (no
 *         such stockpile); `CRIT_ENOMEM`. Unchanged on failure.
 */
CRIT_API int crit_scenario_add_loan(size_t *out_index, crit_scenario *scenario,
                                    const crit_loan *loan, size_t stockpile);

/**
 * Add a capacity programme.
 *
 * @param scenario the scenario.
 * @param def the programme, copied (crit_programme_validate() against the
 *        world; its start period must lie in the horizon).
 * @return `CRIT_OK`, the errors of crit_programme_validate(),
 *         `CRIT_EINVAL` (NULL argument, start period after the horizon, a
 *         lead time of more than 2^31 periods, a budget over capital
 *         intensity that is not a finite capacity, or a curve capacity
 *         that would not be finite once it and the programmes already on
 *         that curve have come online within the horizon; the run checks
 *         that again against the world as it is then) or `CRIT_ENOMEM`.
 *         Unchanged on failure.
 */
CRIT_API int crit_scenario_add_programme(crit_scenario *scenario,
                                         const crit_programme_def *def);

/**
 * Set the market solver's options for every mineral.
 *
 * @param scenario the scenario.
 * @param opt the options (crit_market_options_init()); NULL restores the
 *        defaults.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL scenario, `opt->size` too small,
 *         a tolerance, max_iterations or warm_start out of the range of
 *         crit_market_options, named); `CRIT_EUNSUPPORTED`. Unchanged on
 *         failure.
 */
CRIT_API int crit_scenario_set_market_options(crit_scenario *scenario,
                                              const crit_market_options *opt);

/**
 * Number of periods of the horizon.
 *
 * @param scenario the scenario.
 * @return the count; 0 when `scenario` is NULL.
 */
CRIT_API int32_t crit_scenario_periods(const crit_scenario *scenario);

/**
 * The world the scenario runs on. Borrowed: the scenario holds a
 * reference on it, so it stays valid while the scenario lives (even after
 * the caller frees its own handle of it); do not free it. A loaded
 * scenario (crit_io_load_scenario()) is the only holder of its world, and
 * this is how to reach it. The world is read when the scenario runs.
 *
 * @param scenario the scenario.
 * @return the world; NULL when `scenario` is NULL.
 *
 * Thread-safe on a `const` scenario.
 */
CRIT_API const crit_world *crit_scenario_world(const crit_scenario *scenario);

/**
 * Numbers of stockpiles and loans added to the scenario.
 *
 * @param out_stockpiles receives the number of stockpiles; may be NULL.
 * @param out_loans receives the number of loans; may be NULL.
 * @param scenario the scenario.
 * @return `CRIT_OK` or `CRIT_EINVAL` (NULL scenario).
 */
CRIT_API int crit_scenario_counts(size_t *out_stockpiles, size_t *out_loans,
                                  const crit_scenario *scenario);

/**
 * A stockpile of the scenario, as it was added (its opening state).
 *
 * @param scenario the scenario.
 * @param stockpile its index, in the order of crit_scenario_add_stockpile().
 * @return the stockpile, borrowed: valid until the scenario is freed, not
 *         to be freed or changed; NULL for a bad argument.
 */
CRIT_API const crit_stockpile *
crit_scenario_stockpile(const crit_scenario *scenario, size_t stockpile);

/**
 * The index of the stockpile a loan of the scenario finances.
 *
 * @param out_index receives the stockpile's index.
 * @param scenario the scenario.
 * @param loan the loan's index, in the order of crit_scenario_add_loan().
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL argument) or `CRIT_ERANGE` (no
 *         such loan).
 */
CRIT_API int crit_scenario_loan_stockpile(size_t *out_index,
                                          const crit_scenario *scenario,
                                          size_t loan);

/**
 * Run the scenario deterministically (see the file's description).
 *
 * @param out receives the result, owned by the caller and released with
 *        crit_result_free(); untouched on failure.
 * @param scenario the scenario.
 * @param progress called after each period; may be NULL.
 * @param payload passed to `progress`.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL argument, or the world changed
 *         so that an event, stockpile or programme no longer fits it,
 *         named); the error of a market solve that failed (named with its
 *         period and mineral); `CRIT_ECANCELLED` (the callback stopped the
 *         run); `CRIT_ENOMEM`.
 */
CRIT_API int crit_scenario_run(crit_result **out, const crit_scenario *scenario,
                               crit_scenario_progress_cb progress,
                               void *payload);

/**
 * Release a result and its reference on the world.
 *
 * @param result the result; NULL is ignored.
 */
CRIT_API void crit_result_free(crit_result *result);

/**
 * The world the scenario ran on, as it was given (before the run's events
 * and programmes, which only changed the run's copy). Borrowed: valid
 * while the result lives; use it for codes and names.
 *
 * @param result the result.
 * @return the world; NULL when `result` is NULL.
 */
CRIT_API const crit_world *crit_result_world(const crit_result *result);

/**
 * Sizes of the result's dimensions.
 *
 * @param out_periods receives the number of periods; may be NULL.
 * @param out_minerals receives the number of minerals; may be NULL.
 * @param out_economies receives the number of economies; may be NULL.
 * @param out_stockpiles receives the number of stockpiles; may be NULL.
 * @param out_loans receives the number of loans; may be NULL.
 * @param result the result.
 * @return `CRIT_OK` or `CRIT_EINVAL` (NULL result).
 */
CRIT_API int crit_result_dims(size_t *out_periods, size_t *out_minerals,
                              size_t *out_economies, size_t *out_stockpiles,
                              size_t *out_loans, const crit_result *result);

/**
 * The periods' first days `d_0 .. d_{T-1}`, and the end of the horizon
 * `d_T` last.
 *
 * @param out receives periods + 1 dates.
 * @param n the capacity of `out`, at least periods + 1.
 * @param result the result.
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL argument) or `CRIT_EBUFSIZE`
 *         (nothing written).
 */
CRIT_API int crit_result_dates(crit_date *out, size_t n,
                               const crit_result *result);

/**
 * Shape of a series: its rank (1 to 3) and dimensions, e.g. `{periods,
 * minerals, economies}` for the price.
 *
 * @param out_dims receives 3 sizes; those past the rank are 1.
 * @param out_rank receives the rank; may be NULL.
 * @param result the result.
 * @param series a crit_series.
 * @return `CRIT_OK` or `CRIT_EINVAL` (NULL argument, unknown series).
 */
CRIT_API int crit_result_series_shape(size_t *out_dims, int32_t *out_rank,
                                      const crit_result *result,
                                      int32_t series);

/**
 * Read a whole series into a caller array, row-major in the order of its
 * shape (`out[(t * M + k) * E + i]` for a `[t][k][i]` series).
 *
 * @param out receives the product of the dimensions values.
 * @param n the capacity of `out`: exactly that product.
 * @param result the result.
 * @param series a crit_series.
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL argument, unknown series) or
 *         `CRIT_EBUFSIZE` (`n` is not the size; nothing written).
 */
CRIT_API int crit_result_series(double *out, size_t n,
                                const crit_result *result, int32_t series);

/**
 * Name of a series, such as `"price"` or `"loan_balance"` (the names of
 * the bindings' tables).
 *
 * @param series a crit_series.
 * @return a static string; NULL for an unknown series.
 */
CRIT_API const char *crit_series_name(int32_t series);

/**
 * Name of a stockpile of the result, borrowed.
 *
 * @param result the result.
 * @param stockpile its index.
 * @return the name, valid while the result lives; NULL for a bad
 *         argument.
 */
CRIT_API const char *crit_result_stockpile_name(const crit_result *result,
                                                size_t stockpile);

/**
 * The loans of the result as they stand at the end of the horizon (their
 * draws on demand included): a schedule to read with crit/loan.h.
 *
 * @param result the result.
 * @param loan its index.
 * @return the loan, borrowed: valid while the result lives, not to be
 *         freed or drawn; NULL for a bad argument.
 */
CRIT_API const crit_loan *crit_result_loan(const crit_result *result,
                                           size_t loan);

CRIT_END_DECLS

#endif /* CRIT_SCENARIO_H */

/**
 * @file crit/market.h
 * @brief One market (a world's mineral in one period) solved to the
 *        spatial price equilibrium of MODEL.md section 3, with the
 *        pricing mechanisms of section 4 and the price-responsive
 *        stockpile agents of section 5.
 *
 * A market is a solver object in the manner of GSL's solvers: created
 * once for a (world, mineral) with its whole workspace sized for the
 * world, then solved as often as needed. crit_market_solve() allocates
 * nothing and starts from the previous solution (prices and the set of
 * trading routes) unless told not to. At every solve it re-reads the
 * world's current curves, wedges, bans and quotas and the current
 * settings of its policy, so a scenario may change them between periods.
 *
 * Per-period inputs held by the market: the period length `dt` (years,
 * default 1/12), the availability `a_i` in [0, 1] and demand level
 * `g_i > 0` of each economy (default 1), and the stockpile agents.
 *
 * Every quantity is per period: a curve in t/yr delivers `rate * dt`
 * tonnes. Prices are USD/t, money is USD.
 *
 * **What "solved" means.** With `V` the total demand at the solution
 * (sum of `D_i(p_i)`; when that is zero, total production plus stockpile
 * release; when that is zero too, 1 tonne), the residual is the largest of
 * - `|balance_i| / V` for every economy, where balance is
 *   `S~_i + R_i + imports_i - exports_i + u_i - v_i - D_i` (`R_i` the
 *   agents' releases less their purchases as reported: see
 *   crit_market_agent_def on rationing at the choke price and at 0);
 * - `max(0, p_j - p_i - c_ij - lambda_i) / P0` for every allowed arc;
 * - `x_ij * max(0, p_i + c_ij + lambda_i - p_j) / (V * P0)`;
 * - `max(0, exports_i - Q_i dt) / V` and `lambda_i * (Q_i dt -
 *   exports_i) / (V * P0)` for every quota; `max(0, -lambda_i) / P0` for
 *   every economy, and `|lambda_i| / P0` for one without a quota (a rent
 *   is never negative, and only a quota has one);
 * - `u_i * (Pmax - p_i) / (V * P0)` (shortage only at the choke price),
 *   `v_i * p_i / (V * P0)` (disposal only at price zero);
 * - `max(0, -p_i, p_i - Pmax) / P0`, and every negative flow, shortage or
 *   disposal divided by `V`;
 * - with a reference price, `|tau - max(0, Rref - L(tau))| / P0`.
 *
 * Here `c_ij` is the world's wedge plus, on arcs from a non-member into a
 * member, the external tariff and the levy. A solve succeeds only when
 * this residual is at most the tolerance (default 1e-9); otherwise it
 * returns an error and the results are not readable.
 *
 * **Prices the equilibrium leaves free.** An economy's own balance does
 * not move from its price up when its supply is none (`s0 = 0` or
 * availability 0), fixed, or at its capacity (a floor's covered share
 * too), its demand none (`d0 = 0` or demand level 0) or fixed, and its
 * stockpile agents (if any) buy nothing and either release nothing or
 * release all they may (at or above `T (1 + sigma)`). Where that balance
 * is 0, the economy is in balance at any price its routes allow (unless
 * supply passes through it), up to the release trigger of an agent with
 * something to release. It is reported at the highest of those prices:
 * the least price at which supply can reach it, `min_i (p_i + lambda_i +
 * c_ik)` over the economies `i` with an allowed route into it and an
 * export quota that is not zero (through other such economies where that
 * is cheaper), at most that trigger and `Pmax`; where supply does pass
 * through it, that is its price anyway. Economies of that kind that trade
 * only with one another (one ships a fixed surplus to another's fixed
 * shortfall), none of them short at `Pmax`, disposing at 0 or exporting
 * under a binding quota, are in balance at any common rise of their
 * prices, and rise by the most that keeps each of them within those
 * bounds. Such prices are then a function of the world, not of the
 * solver's path, and so is `L(tau)` (crit_policy_set_reference_price()).
 * An exporter whose quota is zero ships nothing, and its quota rent is
 * left free above the gap to its dearest route; where such an economy's
 * price rises past that, the rent reported is the least that keeps the
 * route closed.
 *
 * **Thread-safety.** A market is not locked: a solve or any function that
 * changes a market needs that market to itself. The functions that take
 * a `const crit_market *` (counts, results, flows, information, agent
 * results, and crit_io_csv_export_market()) only read it and may run at
 * once on the same market while nothing changes it. Distinct markets may
 * solve at once, even on the same world and policy, provided nothing
 * modifies that world or policy meanwhile.
 */
#ifndef CRIT_MARKET_H
#define CRIT_MARKET_H

#include "common.h"
#include "policy.h"
#include "world.h"

CRIT_BEGIN_DECLS

/** Opaque market handle. Create with crit_market_new(), free with
 *  crit_market_free(). */
typedef struct crit_market crit_market;

/**
 * Solver options. Initialise with crit_market_options_init().
 */
typedef struct crit_market_options {
    size_t size;            /**< sizeof(crit_market_options), set by _init() */
    double tolerance;       /**< residual a solve must reach; default 1e-9,
                                 at least 1e-14 and below 1 */
    int32_t max_iterations; /**< cap on active-set iterations per solve
                                 (summed over the levy search); default
                                 100000, at least 1 */
    int32_t warm_start;     /**< 1 (default): start from the previous
                                 solution; 0: start cold every time */
} crit_market_options;

/**
 * A stockpile as a price-responsive agent at an economy (MODEL.md section
 * 5). Within the period it buys
 * `min(amax dt, max(Itarget - I, 0), cash / p) * w_buy(p)` and releases
 * `min(gmax dt, max(I - Imin, 0)) * w_rel(p)`, where `w_buy` is 1 below
 * the purchase trigger `B`, 0 above `B (1 + sigma)` and linear between,
 * and `w_rel` is 0 below the release trigger `T`, 1 above `T (1 + sigma)`
 * and linear between. During a declared disruption the caller passes the
 * emergency trigger as `T`. The agent's state (inventory, cash) is the
 * caller's: the market reports what it bought and released, and the
 * caller updates the state for the next period.
 *
 * An agent whose ramp ends above the choke price (`B (1 + sigma) > Pmax`)
 * still buys at `Pmax`, where the market rations: it outbids consumers,
 * but cannot buy what is not there. Where the agents' purchases at an
 * economy at `Pmax` exceed what reaches it (after the economy's own
 * consumers got nothing), they are cut to it, shared in proportion to
 * their purchases: the economy's consumption is 0, its shortage equals
 * its demand, and crit_market_agent_result() and
 * `CRIT_MARKET_STOCK_PURCHASE` report what was bought, less than the
 * formula above.
 *
 * An agent whose purchase trigger `B` is 0 (the bindings' default) buys
 * at price 0 and at no price above it: its `w_buy` steps from 1 to 0
 * there. Where its economy's price is 0, such agents take what the
 * economy would otherwise dispose of, up to the formula's purchases,
 * shared in proportion to them; where that is less, they buy less than
 * the formula and the economy disposes of nothing (at a step any
 * purchase between the two is in balance, and at any price above 0 they
 * would buy nothing while supply was left over).
 * Initialise with crit_market_agent_def_init().
 */
typedef struct crit_market_agent_def {
    size_t size;                       /**< set by _init() */
    double inventory_t;                /**< I >= 0 (t) */
    double capacity_t;                 /**< Imax >= I, Itarget, Imin (t) */
    double minimum_t;                  /**< strategic minimum Imin >= 0 (t) */
    double target_t;                   /**< target Itarget >= 0 (t) */
    double acquisition_rate_t_per_yr;  /**< amax >= 0 (t/yr) */
    double release_rate_t_per_yr;      /**< gmax >= 0 (t/yr) */
    double purchase_trigger_usd_per_t; /**< B >= 0 (USD/t) */
    double release_trigger_usd_per_t;  /**< T > B (USD/t) */
    double smoothing;                  /**< sigma > 0; _init() sets 0.05 */
    double cash_usd;                   /**< cash available to buy, >= 0 */
} crit_market_agent_def;

/**
 * Per-economy results, read with crit_market_values(). Quantities are
 * tonnes per period, money is USD per period, prices are USD/t.
 */
typedef enum crit_market_quantity {
    CRIT_MARKET_PRICE = 0,      /**< p_i (USD/t) */
    CRIT_MARKET_PRODUCTION,     /**< S~_i(p_i): supply after floors (t) */
    CRIT_MARKET_CONSUMPTION,    /**< D_i(p_i) - u_i (t) */
    CRIT_MARKET_DEMAND,         /**< D_i(p_i) (t) */
    CRIT_MARKET_SHORTAGE,       /**< u_i: demand unserved at Pmax (t) */
    CRIT_MARKET_DISPOSAL,       /**< v_i: supply disposed of at price 0 (t) */
    CRIT_MARKET_IMPORTS,        /**< sum_k x_ki (t) */
    CRIT_MARKET_EXPORTS,        /**< sum_j x_ij (t) */
    CRIT_MARKET_STOCK_PURCHASE, /**< bought by agents at i (t) */
    CRIT_MARKET_STOCK_RELEASE,  /**< released by agents at i (t) */
    CRIT_MARKET_TARIFF_REVENUE, /**< sum_k tariff_ki x_ki collected by i,
                                     the external tariff included, the
                                     levy not (USD) */
    CRIT_MARKET_EXPORT_TAX_REVENUE, /**< export tax times exports of i;
                                         negative for a subsidy (USD) */
    CRIT_MARKET_QUOTA_RENT,         /**< lambda_i (USD/t) */
    CRIT_MARKET_QUOTA_RENT_REVENUE, /**< lambda_i * exports_i (USD) */
    CRIT_MARKET_CFD_PAID,     /**< floor payments to i's producers (USD) */
    CRIT_MARKET_CFD_RECEIVED, /**< upside returned by them (USD) */
    CRIT_MARKET_LEVY_REVENUE, /**< tau times i's imports from
                                   non-members, members only (USD) */
    CRIT_MARKET_CONSUMER_SURPLUS_CHANGE, /**< `integral from p_i to
                                      pref_i of D_i(q) dq` (USD); needs a
                                      reference (crit_market_set_reference) */
    CRIT_MARKET_PRODUCER_SURPLUS_CHANGE, /**< `integral from pref_i to p_i
                                      of S_i(q) dq` with the uncovered
                                      supply curve `S_i` (availability
                                      included); CfD payments are reported
                                      apart (USD); needs a reference */
    CRIT_MARKET_QUANTITY_COUNT           /**< number of quantities */
} crit_market_quantity;

/**
 * Summary of the last solve. Initialise with crit_market_info_init()
 * (which sets `size`), then read with crit_market_info_get().
 */
typedef struct crit_market_info {
    size_t size;              /**< set by _init() */
    double residual;          /**< r of MODEL.md section 3 (see above) */
    int32_t iterations;       /**< active-set iterations, all levy steps */
    int32_t levy_iterations;  /**< market solves spent on the levy fixed
                                   point (1 without a reference price) */
    double curve_evaluations; /**< cost in evaluations of every economy's
                                   supply, demand and agent curves (near
                                   a price just evaluated, their Taylor
                                   series, exact to rounding, stand in
                                   and are not counted) */
    double levy_usd_per_t;    /**< tau (0 without a reference price) */
    double levy_revenue_usd;  /**< tau times imports of members from
                                   non-members */
    double total_demand_t;    /**< V (t per period) */
    double period_years;      /**< dt of the solve */
} crit_market_info;

/**
 * Set the options to their defaults and `opt->size` to `sizeof(*opt)`.
 *
 * @param opt the options; ignored when NULL.
 */
CRIT_API void crit_market_options_init(crit_market_options *opt);

/**
 * Set an agent definition to its defaults (every number 0, smoothing
 * 0.05) and `def->size` to `sizeof(*def)`.
 *
 * @param def the definition; ignored when NULL.
 */
CRIT_API void crit_market_agent_def_init(crit_market_agent_def *def);

/**
 * Set `info->size` to `sizeof(*info)` and every field to 0.
 *
 * @param info the summary; ignored when NULL.
 */
CRIT_API void crit_market_info_init(crit_market_info *info);

/**
 * Create a market for one mineral of a world and allocate its whole
 * workspace, sized for the world's current economies: about 85 n^2 bytes
 * for n economies, 126 KB for the default world's 33 and 3.4 MB for 200
 * (the solver keeps the cheapest route between every two groups of
 * trading economies). The market takes a reference on the world (the
 * world may be freed first). Period inputs start at their defaults:
 * `dt = 1/12`, every `a_i = g_i = 1`, no agents, no policy, no reference.
 *
 * @param out receives the market, owned by the caller and released with
 *        crit_market_free(); untouched on failure.
 * @param world the world.
 * @param mineral the mineral's code.
 * @return `CRIT_OK`, `CRIT_EINVAL` (a NULL argument), `CRIT_ENOTFOUND`
 *         (unknown mineral) or `CRIT_ENOMEM`.
 */
CRIT_API int crit_market_new(crit_market **out, const crit_world *world,
                             const char *mineral);

/**
 * Release a market and its references on its world and policy.
 *
 * @param market the market; NULL is ignored.
 */
CRIT_API void crit_market_free(crit_market *market);

/**
 * Re-size the workspace after economies were added to the world. A solve
 * on a world whose economy count differs from the market's returns
 * `CRIT_ESTATE` until this is called. The new economies get `a = g = 1`;
 * the others keep their inputs; agents are kept; the warm start, the
 * reference and the results are dropped. On failure the market is
 * unchanged.
 *
 * @param market the market.
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL market) or `CRIT_ENOMEM`.
 */
CRIT_API int crit_market_resize(crit_market *market);

/**
 * Number of economies the market is sized for: the length of every
 * per-economy array it takes or gives.
 *
 * @param market the market.
 * @return the count; 0 when `market` is NULL.
 */
CRIT_API size_t crit_market_economy_count(const crit_market *market);

/**
 * Set the solver options.
 *
 * @param market the market.
 * @param opt the options; NULL restores the defaults.
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL market, `opt->size` below the
 *         first version's, or a value out of range, named) or
 *         `CRIT_EUNSUPPORTED` (unknown non-zero tail of `opt`). Unchanged
 *         on failure.
 */
CRIT_API int crit_market_set_options(crit_market *market,
                                     const crit_market_options *opt);

/**
 * Attach a policy (its mechanisms apply from the next solve) or detach it.
 * The market keeps a reference on the policy and reads it at every solve.
 *
 * @param market the market.
 * @param policy a policy for the same world and mineral, or NULL for none.
 * @return `CRIT_OK` or `CRIT_EINVAL` (NULL market, or a policy of another
 *         world or mineral). Unchanged on failure.
 */
CRIT_API int crit_market_set_policy(crit_market *market,
                                    const crit_policy *policy);

/**
 * Set the period length.
 *
 * @param market the market.
 * @param years `dt` in years, finite, `> 0` and `<= 100`.
 * @return `CRIT_OK` or `CRIT_EINVAL` (NULL market, a length out of
 *         range). Unchanged on failure; results of a previous solve are
 *         no longer readable after a change.
 */
CRIT_API int crit_market_set_period_length(crit_market *market, double years);

/**
 * Set every economy's availability `a_i` (the share of its supply curve
 * available this period; below 1 during an outage).
 *
 * @param market the market.
 * @param availability `n` values in [0, 1], by economy index; NULL sets
 *        every `a_i` to 1.
 * @param n crit_market_economy_count() (ignored when `availability` is
 *        NULL).
 * @return `CRIT_OK` or `CRIT_EINVAL` (NULL market, wrong `n`, a value
 *         out of range, named with its economy). Unchanged on failure.
 */
CRIT_API int crit_market_set_availability(crit_market *market,
                                          const double *availability, size_t n);

/**
 * Set every economy's demand level `g_i` (1 at base).
 *
 * @param market the market.
 * @param level `n` values in (0, 1e300]; NULL sets every `g_i` to 1.
 * @param n crit_market_economy_count() (ignored when `level` is NULL).
 * @return `CRIT_OK` or `CRIT_EINVAL` (NULL market, wrong `n`, a value
 *         out of range, named with its economy). Unchanged on failure.
 */
CRIT_API int crit_market_set_demand_level(crit_market *market,
                                          const double *level, size_t n);

/**
 * Add a stockpile agent at an economy.
 *
 * @param out_index receives the agent's index (0, 1, ... in the order
 *        added); may be NULL; untouched on failure.
 * @param market the market.
 * @param economy the economy's code.
 * @param def the agent; every number finite and `>= 0`, `Imin`, `I` and
 *        `Itarget` at most `Imax`, `T > B`, `sigma > 0`.
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL market, economy or `def`,
 *         `def->size` below the first version's, a value out of range or
 *         a contradiction such as `T <= B`, named), `CRIT_ENOTFOUND`
 *         (unknown economy), `CRIT_ESTATE` (the economy joined the world
 *         after the market was sized: call crit_market_resize()),
 *         `CRIT_EUNSUPPORTED` (unknown non-zero tail of `def`) or
 *         `CRIT_ENOMEM`. Unchanged on failure.
 */
CRIT_API int crit_market_add_agent(size_t *out_index, crit_market *market,
                                   const char *economy,
                                   const crit_market_agent_def *def);

/**
 * Replace the definition (state and triggers) of an agent, e.g. its new
 * inventory and cash for the next period.
 *
 * @param market the market.
 * @param index the agent's index.
 * @param def as for crit_market_add_agent().
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL market or `def`, or `def` as
 *         for crit_market_add_agent()), `CRIT_ERANGE` (no such agent) or
 *         `CRIT_EUNSUPPORTED`. Unchanged on failure.
 */
CRIT_API int crit_market_set_agent(crit_market *market, size_t index,
                                   const crit_market_agent_def *def);

/**
 * Remove every agent.
 *
 * @param market the market.
 * @return `CRIT_OK` or `CRIT_EINVAL` (NULL market).
 */
CRIT_API int crit_market_clear_agents(crit_market *market);

/**
 * Number of agents.
 *
 * @param market the market.
 * @return the count; 0 when `market` is NULL.
 */
CRIT_API size_t crit_market_agent_count(const crit_market *market);

/**
 * Use another solved market's prices as the reference for the surplus
 * changes. The prices are copied: `ref` may change or be freed later.
 *
 * @param market the market.
 * @param ref a solved market of the same world and mineral with the same
 *        economy count.
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL, or another world, mineral or
 *         size) or `CRIT_ESTATE` (`ref` holds no solution). Unchanged on
 *         failure.
 */
CRIT_API int crit_market_set_reference(crit_market *market,
                                       const crit_market *ref);

/**
 * Use stored prices as the reference for the surplus changes.
 *
 * @param market the market.
 * @param prices `n` prices (USD/t) in [0, Pmax], by economy index, copied.
 * @param n crit_market_economy_count().
 * @return `CRIT_OK` or `CRIT_EINVAL` (NULL argument, wrong `n`, a price
 *         out of range, named with its economy). Unchanged on failure.
 */
CRIT_API int crit_market_set_reference_prices(crit_market *market,
                                              const double *prices, size_t n);

/**
 * Forget the reference (the surplus changes are then not readable).
 *
 * @param market the market.
 * @return `CRIT_OK` or `CRIT_EINVAL` (NULL market).
 */
CRIT_API int crit_market_clear_reference(crit_market *market);

/**
 * Forget the previous solution, so the next solve starts cold.
 *
 * @param market the market.
 * @return `CRIT_OK` or `CRIT_EINVAL` (NULL market).
 */
CRIT_API int crit_market_reset(crit_market *market);

/**
 * Solve the market: find the spatial price equilibrium of the current
 * world, policy and period inputs, with the levy fixed point when the
 * policy has a reference price. Allocates nothing.
 *
 * Method: the equilibrium is the minimum of the convex dual
 * `sum_i Phi_i(p_i) + sum_i Q_i dt max(0, p_i' - p_i)` (with
 * `Phi_i' = S~_i + R_i - D_i`, prices boxed in [0, Pmax] and
 * `p_j <= p_i' + c_ij` on allowed arcs, where `p_i'` is the price at the
 * exporter's quota gate), solved exactly by a primal active-set method:
 * the working set is a spanning forest of tight arcs; each tree has one
 * free price found by safeguarded Newton (Halley) steps on its monotone
 * balance; blocking arcs join trees and arcs with flows outside their
 * bounds are dropped.
 * Every price of a tree moves along one line, so the solver keeps, for
 * every ordered pair of trees, the cheapest arc between them and, per
 * tree, the earliest moment one of its arcs turns tight; a join or a
 * split updates only the rows and columns of the trees it changes (only
 * the start of a solve scans every arc). A cold start first takes Newton
 * steps on the whole equilibrium (the same active set on the curves
 * linearised at the current prices, one evaluation of every curve per
 * step; a price at zero under elastic demand is linearised halfway
 * between its last point and zero, and steps that cycle between the same
 * forests halfway between the last two points) until the forest stops
 * changing; the exact method then finishes from there (or, where a step
 * did not settle, from the last that did), taking an economy's curves
 * from their Taylor series at its last evaluation while the price is
 * close enough for the series to be exact to rounding. `iterations`
 * counts the active-set iterations of both.
 *
 * @param market the market.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL market, or an input the world or
 *         policy holds that the solve cannot use, named);
 *         `CRIT_ESTATE` (the world's economy count changed since the
 *         market was sized: call crit_market_resize());
 *         `CRIT_ENOCONV` (the residual tolerance or the iteration cap was
 *         not met, or an economy's equilibrium price is too small for a
 *         double, named; a missed tolerance names the economy whose
 *         balance is furthest off, with its price, and an economy whose
 *         balance moves by more than the tolerance from its price to the
 *         next double up or down, if one does; where no balance is off by
 *         more than the tolerance, the kind of term that is: balance or
 *         sign of a price, complementarity, signs and quotas, arbitrage,
 *         or the levy against the reference price; a levy that cannot hold
 *         the reference price because the landed price of non-member
 *         supply jumps across it, with both sides of the jump: a price
 *         the equilibrium does not pin down that the rule above does not
 *         cover would do that; none is known to remain).
 *         On any failure the results are not readable.
 */
CRIT_API int crit_market_solve(crit_market *market);

/**
 * Whether the market holds a readable solution.
 *
 * @param market the market.
 * @return 1 after a successful solve (until an input of the market
 *         changes or the next solve), else 0 (0 when `market` is NULL).
 */
CRIT_API int32_t crit_market_solved(const crit_market *market);

/**
 * Summary of the last successful solve.
 *
 * @param out receives it; `out->size` must be set
 *        (crit_market_info_init()); fields beyond it are not written.
 *        Untouched on failure.
 * @param market the market.
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL argument, `out->size` below the
 *         first version's) or `CRIT_ESTATE` (no solution).
 */
CRIT_API int crit_market_info_get(crit_market_info *out,
                                  const crit_market *market);

/**
 * Read one per-economy result of the last successful solve.
 *
 * @param out receives `n` values by economy index.
 * @param n crit_market_economy_count().
 * @param market the market.
 * @param quantity a crit_market_quantity.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL, unknown quantity);
 *         `CRIT_EBUFSIZE` (`n` differs from the economy count);
 *         `CRIT_ESTATE` (no solution, or a surplus change without a
 *         reference). `out` is untouched on failure.
 */
CRIT_API int crit_market_values(double *out, size_t n,
                                const crit_market *market, int32_t quantity);

/**
 * Name of a quantity, such as `"price"` or `"consumer_surplus_change"`
 * (the column names of the bindings' tables).
 *
 * @param quantity a crit_market_quantity.
 * @return a static string; NULL for an unknown quantity.
 */
CRIT_API const char *crit_market_quantity_name(int32_t quantity);

/**
 * Read the bilateral flows `x_ij` (t per period) of the last solve.
 * Flows on parallel routes need not be unique; node totals are.
 *
 * @param out receives `n` values, row-major by exporter: `x_ij` at
 *        `out[i * m + j]` with `m` the economy count; the diagonal is 0.
 * @param n the square of crit_market_economy_count().
 * @param market the market.
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL argument), `CRIT_EBUFSIZE` (`n`
 *         is not the square of the economy count) or `CRIT_ESTATE` (no
 *         solution). `out` is untouched on failure.
 */
CRIT_API int crit_market_flows(double *out, size_t n,
                               const crit_market *market);

/**
 * What one agent bought and released in the last solve (a purchase less
 * than its formula only where it was rationed at the choke price: see
 * crit_market_agent_def).
 *
 * @param out_buy_t receives the purchase (t per period); may be NULL.
 * @param out_release_t receives the release (t per period); may be NULL.
 * @param market the market.
 * @param index the agent's index.
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL market), `CRIT_ERANGE` (no such
 *         agent) or `CRIT_ESTATE` (no solution). The outputs are
 *         untouched on failure.
 */
CRIT_API int crit_market_agent_result(double *out_buy_t, double *out_release_t,
                                      const crit_market *market, size_t index);

CRIT_END_DECLS

#endif /* CRIT_MARKET_H */

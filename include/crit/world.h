/**
 * @file crit/world.h
 * @brief The world: minerals, economies, coalition membership, supply and
 *        demand curves, and the trade wedges, bans and quotas between
 *        economies (MODEL.md sections 1 and 2).
 *
 * A world is a mutable container. Every setter validates its whole input
 * before it changes anything: on failure the world is exactly as it was,
 * and crit_error_last() names the field and the value that was wrong.
 *
 * Units: prices in USD per tonne of the mineral's reporting basis (USD/t),
 * quantities in tonnes, rates per year (t/yr), elasticities dimensionless
 * (demand elasticity given as a magnitude, `>= 0`).
 *
 * Codes: an economy's code is an ISO 3166-1 alpha-3 code or a region code:
 * 2 to 16 characters, upper-case letters, digits or `_`, starting with a
 * letter (`"USA"`, `"EU"`, `"ROW"`). A mineral's code is 1 to 31
 * characters, letters, digits, `_`, `-` or `.`, starting with a letter
 * (`"Ga"`, `"NdPr"`, `"graphite"`). Codes are case-sensitive and unique
 * within a world.
 *
 * Thread-safety: a world is not locked. Functions taking a `const
 * crit_world *` may run concurrently on the same world; a function taking
 * a `crit_world *` needs exclusive access to it. Distinct worlds may be
 * used from distinct threads at once.
 */
#ifndef CRIT_WORLD_H
#define CRIT_WORLD_H

#include "common.h"

CRIT_BEGIN_DECLS

/** Opaque world handle. Create with crit_world_new(), free with
 *  crit_world_free(). */
typedef struct crit_world crit_world;

/**
 * Definition of a mineral (MODEL.md section 1). Initialise with
 * crit_mineral_def_init() before setting fields: `size` lets later
 * versions of libcrit append fields without breaking older callers.
 */
typedef struct crit_mineral_def {
    size_t size;       /**< sizeof(crit_mineral_def), set by _init() */
    const char *code;  /**< unique code, e.g. "Ga" (required) */
    const char *name;  /**< display name; NULL means the code */
    const char *basis; /**< reporting basis, e.g. "contained Ga";
                            NULL means "" */
    double base_price_usd_per_t;      /**< base price P0 > 0 (USD/t) */
    double choke_price_usd_per_t;     /**< choke price Pmax > P0 (USD/t),
                                           at most 1e300; 0 means 10 * P0 */
    double holding_cost_usd_per_t_yr; /**< cost of holding stocks, >= 0 */
} crit_mineral_def;

/**
 * Definition of an economy. Initialise with crit_economy_def_init().
 */
typedef struct crit_economy_def {
    size_t size;      /**< sizeof(crit_economy_def), set by _init() */
    const char *code; /**< unique code, e.g. "USA" or "ROW" (required) */
    const char *name; /**< display name; NULL means the code */
    int32_t member;   /**< 1 if a member of the coalition, else 0 */
} crit_economy_def;

/**
 * Supply and demand of one economy for one mineral (MODEL.md section 1):
 * `S(p) = min(K, s0 (p/P0)^eta)`, `D(p) = d0 (p/P0)^-eps`.
 * Initialise with crit_curve_def_init() (all zero: no supply, no demand).
 */
typedef struct crit_curve_def {
    size_t size; /**< sizeof(crit_curve_def), set by _init() */
    double base_production_t_per_yr; /**< s0 >= 0 */
    double capacity_t_per_yr;        /**< K >= s0 */
    double supply_elasticity;        /**< eta >= 0 */
    double base_demand_t_per_yr;     /**< d0 >= 0 */
    double demand_elasticity;        /**< eps >= 0 (a magnitude) */
} crit_curve_def;

/**
 * Set every field of `def` to its default and `def->size` to
 * `sizeof(*def)`: code NULL, name NULL, basis NULL, prices 0 (so a base
 * price must be given), holding cost 0.
 *
 * @param def the definition to initialise; ignored when NULL.
 */
CRIT_API void crit_mineral_def_init(crit_mineral_def *def);

/**
 * Set every field of `def` to its default (code NULL, name NULL, not a
 * member) and `def->size` to `sizeof(*def)`.
 *
 * @param def the definition to initialise; ignored when NULL.
 */
CRIT_API void crit_economy_def_init(crit_economy_def *def);

/**
 * Set every field of `def` to zero (no supply, no demand) and `def->size`
 * to `sizeof(*def)`.
 *
 * @param def the definition to initialise; ignored when NULL.
 */
CRIT_API void crit_curve_def_init(crit_curve_def *def);

/**
 * Create an empty world.
 *
 * @param out receives the new world, owned by the caller and released with
 *        crit_world_free(); untouched on failure.
 * @return `CRIT_OK`, `CRIT_EINVAL` (out is NULL) or `CRIT_ENOMEM`.
 */
CRIT_API int crit_world_new(crit_world **out);

/**
 * Release a world. Objects that hold a reference to it (markets,
 * scenarios) keep it alive until they are freed too, so handles may be
 * freed in any order.
 *
 * @param world the world; NULL is ignored.
 */
CRIT_API void crit_world_free(crit_world *world);

/**
 * Deep copy of a world: the copy shares nothing with the original.
 *
 * @param out receives the copy, owned by the caller; untouched on failure.
 * @param world the world to copy.
 * @return `CRIT_OK`, `CRIT_EINVAL` (a NULL argument) or `CRIT_ENOMEM`.
 */
CRIT_API int crit_world_copy(crit_world **out, const crit_world *world);

/**
 * Compare two worlds field by field (codes, names, curves, wedges, bans,
 * quotas, membership) with exact floating-point equality.
 *
 * @param a first world.
 * @param b second world.
 * @return 1 when equal, 0 when they differ or either is NULL.
 */
CRIT_API int32_t crit_world_equal(const crit_world *a, const crit_world *b);

/* ---- minerals ---------------------------------------------------------- */

/**
 * Add a mineral. Every economy starts with no supply or demand of it, no
 * transport cost, no tariff, no export tax, no ban and no quota.
 *
 * @param world the world.
 * @param def the mineral's definition, copied (strings included).
 * @return `CRIT_OK`; `CRIT_EINVAL` for a NULL argument, a malformed code,
 *         a price that is not finite, `P0 <= 0`, `Pmax <= P0`, a
 *         `Pmax` (given, or 10 `P0`) above 1e300, or a
 *         negative or non-finite holding cost; `CRIT_EEXISTS` for a code
 *         already used; `CRIT_EUNSUPPORTED` when `def->size` is larger than
 *         this library knows and the unknown tail is not zero;
 *         `CRIT_ENOMEM`. The world is unchanged on failure.
 */
CRIT_API int crit_world_add_mineral(crit_world *world,
                                    const crit_mineral_def *def);

/**
 * Number of minerals in the world.
 *
 * @param world the world; NULL counts as empty.
 * @return the count.
 */
CRIT_API size_t crit_world_mineral_count(const crit_world *world);

/**
 * Index of the mineral with the given code. Indices run from 0 to
 * crit_world_mineral_count() - 1 in the order minerals were added.
 *
 * @param out receives the index; untouched on failure.
 * @param world the world.
 * @param code the mineral's code.
 * @return `CRIT_OK`, `CRIT_EINVAL` (a NULL argument) or `CRIT_ENOTFOUND`.
 */
CRIT_API int crit_world_mineral_index(size_t *out, const crit_world *world,
                                      const char *code);

/**
 * Read a mineral's definition.
 *
 * @param out receives the definition; its strings are borrowed from the
 *        world and stay valid until the world is modified or freed. The
 *        choke price is the effective one (never 0). `out->size` must be
 *        set (crit_mineral_def_init()); fields past it are not written.
 * @param world the world.
 * @param index the mineral's index.
 * @return `CRIT_OK`, `CRIT_EINVAL` (a NULL argument or `out->size` too
 *         small) or `CRIT_ERANGE` (no such index).
 */
CRIT_API int crit_world_mineral_get(crit_mineral_def *out,
                                    const crit_world *world, size_t index);

/**
 * Code of a mineral, borrowed from the world.
 *
 * @param world the world.
 * @param index the mineral's index.
 * @return the code, valid while the world lives; NULL when `world` is NULL
 *         or `index` is out of range.
 */
CRIT_API const char *crit_world_mineral_code(const crit_world *world,
                                             size_t index);

/* ---- economies --------------------------------------------------------- */

/**
 * Add an economy. It starts with no supply or demand of any mineral and no
 * trade wedges, bans or quotas.
 *
 * @param world the world.
 * @param def the economy's definition, copied.
 * @return `CRIT_OK`; `CRIT_EINVAL` (a NULL argument, a malformed code,
 *         `member` other than 0 or 1, or an existing export subsidy that
 *         would give an arc to the new economy, which has no transport
 *         cost or tariff yet, a wedge below zero: add economies before
 *         setting subsidies); `CRIT_EEXISTS` (code in use);
 *         `CRIT_EUNSUPPORTED` (unknown non-zero tail of `def`);
 *         `CRIT_ENOMEM`. The world is unchanged on failure.
 */
CRIT_API int crit_world_add_economy(crit_world *world,
                                    const crit_economy_def *def);

/**
 * Number of economies in the world.
 *
 * @param world the world; NULL counts as empty.
 * @return the count.
 */
CRIT_API size_t crit_world_economy_count(const crit_world *world);

/**
 * Index of the economy with the given code (0-based, in the order added).
 *
 * @param out receives the index; untouched on failure.
 * @param world the world.
 * @param code the economy's code.
 * @return `CRIT_OK`, `CRIT_EINVAL` (a NULL argument) or `CRIT_ENOTFOUND`.
 */
CRIT_API int crit_world_economy_index(size_t *out, const crit_world *world,
                                      const char *code);

/**
 * Read an economy's definition.
 *
 * @param out receives it; strings are borrowed from the world, valid until
 *        it is modified or freed. `out->size` must be set.
 * @param world the world.
 * @param index the economy's index.
 * @return `CRIT_OK`, `CRIT_EINVAL` or `CRIT_ERANGE`.
 */
CRIT_API int crit_world_economy_get(crit_economy_def *out,
                                    const crit_world *world, size_t index);

/**
 * Code of an economy, borrowed from the world.
 *
 * @param world the world.
 * @param index the economy's index.
 * @return the code, valid while the world lives; NULL when `world` is NULL
 *         or `index` is out of range.
 */
CRIT_API const char *crit_world_economy_code(const crit_world *world,
                                             size_t index);

/**
 * Make an economy a member of the coalition, or not.
 *
 * @param world the world.
 * @param economy the economy's code.
 * @param member 1 to join, 0 to leave.
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL argument, member not 0 or 1) or
 *         `CRIT_ENOTFOUND` (unknown economy). Unchanged on failure.
 */
CRIT_API int crit_world_set_member(crit_world *world, const char *economy,
                                   int32_t member);

/**
 * Number of coalition members.
 *
 * @param world the world; NULL counts as empty.
 * @return the count.
 */
CRIT_API size_t crit_world_member_count(const crit_world *world);

/* ---- supply and demand ------------------------------------------------- */

/**
 * Set an economy's supply and demand curve for a mineral.
 *
 * @param world the world.
 * @param economy the economy's code.
 * @param mineral the mineral's code.
 * @param def the curve; every value finite and `>= 0`, and
 *        `capacity >= base production`.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL argument or an invalid value,
 *         named in the message); `CRIT_ENOTFOUND` (unknown code);
 *         `CRIT_EUNSUPPORTED` (unknown non-zero tail of `def`). Unchanged
 *         on failure.
 */
CRIT_API int crit_world_set_curve(crit_world *world, const char *economy,
                                  const char *mineral,
                                  const crit_curve_def *def);

/**
 * Read an economy's curve for a mineral (all zero if never set).
 *
 * @param out receives the curve; `out->size` must be set.
 * @param world the world.
 * @param economy the economy's code.
 * @param mineral the mineral's code.
 * @return `CRIT_OK`, `CRIT_EINVAL` or `CRIT_ENOTFOUND`.
 */
CRIT_API int crit_world_curve_get(crit_curve_def *out, const crit_world *world,
                                  const char *economy, const char *mineral);

/* ---- trade (MODEL.md section 2) ---------------------------------------- */

/**
 * Set the transport cost of a mineral from one economy to another.
 *
 * @param world the world.
 * @param mineral the mineral's code.
 * @param from the exporting economy's code.
 * @param to the importing economy's code (not `from`).
 * @param usd_per_t the cost, finite and `>= 0`.
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL argument, `from == to`, invalid
 *         value, or a wedge of the arc that would fall below zero) or
 *         `CRIT_ENOTFOUND`. Unchanged on failure.
 */
CRIT_API int crit_world_set_transport(crit_world *world, const char *mineral,
                                      const char *from, const char *to,
                                      double usd_per_t);

/**
 * Set the import tariff that economy `to` levies on a mineral from `from`.
 * The tariff is a specific part plus an ad valorem rate; the rate is
 * converted to USD/t at the mineral's base price P0, so the wedge is
 * `usd_per_t + ad_valorem * P0`.
 *
 * @param world the world.
 * @param mineral the mineral's code.
 * @param from the exporting economy's code.
 * @param to the importing economy's code (not `from`).
 * @param usd_per_t specific tariff, finite and `>= 0`.
 * @param ad_valorem rate (0.25 is 25 %), finite and `>= 0`.
 * @return `CRIT_OK`, `CRIT_EINVAL` or `CRIT_ENOTFOUND`. Unchanged on
 *         failure.
 */
CRIT_API int crit_world_set_tariff(crit_world *world, const char *mineral,
                                   const char *from, const char *to,
                                   double usd_per_t, double ad_valorem);

/**
 * Set the export tax an economy levies on every export of a mineral. A
 * negative tax is an export subsidy; it is allowed as long as every wedge
 * `transport + export tax + tariff` from this exporter stays `>= 0`
 * (checked on every arc, banned or not, so that lifting a ban can never
 * expose a negative wedge).
 *
 * @param world the world.
 * @param mineral the mineral's code.
 * @param exporter the exporting economy's code.
 * @param usd_per_t specific tax (USD/t), finite.
 * @param ad_valorem rate, finite; converted at P0.
 * @return `CRIT_OK`, `CRIT_EINVAL` (including a wedge below zero, named
 *         with its arc) or `CRIT_ENOTFOUND`. Unchanged on failure.
 */
CRIT_API int crit_world_set_export_tax(crit_world *world, const char *mineral,
                                       const char *exporter, double usd_per_t,
                                       double ad_valorem);

/**
 * Ban, or lift a ban on, exports of a mineral from `exporter` to
 * `importer`. An arc is closed when either the exporter's export ban or
 * the importer's import ban is on; the two are kept separately.
 *
 * @param world the world.
 * @param mineral the mineral's code.
 * @param exporter the banning economy's code.
 * @param importer the destination's code (not `exporter`).
 * @param banned 1 to ban, 0 to lift.
 * @return `CRIT_OK`, `CRIT_EINVAL` or `CRIT_ENOTFOUND`. Unchanged on
 *         failure.
 */
CRIT_API int crit_world_set_export_ban(crit_world *world, const char *mineral,
                                       const char *exporter,
                                       const char *importer, int32_t banned);

/**
 * Ban, or lift a ban on, imports of a mineral into `importer` from
 * `exporter`.
 *
 * @param world the world.
 * @param mineral the mineral's code.
 * @param importer the banning economy's code.
 * @param exporter the origin's code (not `importer`).
 * @param banned 1 to ban, 0 to lift.
 * @return `CRIT_OK`, `CRIT_EINVAL` or `CRIT_ENOTFOUND`. Unchanged on
 *         failure.
 */
CRIT_API int crit_world_set_import_ban(crit_world *world, const char *mineral,
                                       const char *importer,
                                       const char *exporter, int32_t banned);

/**
 * Limit an economy's total exports of a mineral.
 *
 * @param world the world.
 * @param mineral the mineral's code.
 * @param exporter the economy's code.
 * @param t_per_yr the quota Q (t/yr), finite and `>= 0`.
 * @return `CRIT_OK`, `CRIT_EINVAL` or `CRIT_ENOTFOUND`. Unchanged on
 *         failure.
 */
CRIT_API int crit_world_set_export_quota(crit_world *world, const char *mineral,
                                         const char *exporter, double t_per_yr);

/**
 * Remove an economy's export quota on a mineral (no-op when none is set).
 *
 * @param world the world.
 * @param mineral the mineral's code.
 * @param exporter the economy's code.
 * @return `CRIT_OK`, `CRIT_EINVAL` or `CRIT_ENOTFOUND`.
 */
CRIT_API int crit_world_clear_export_quota(crit_world *world,
                                           const char *mineral,
                                           const char *exporter);

/**
 * Read the components of one arc's trade wedge.
 *
 * @param out_transport receives the transport cost (USD/t); may be NULL.
 * @param out_tariff receives the importer's tariff on the arc in USD/t,
 *        specific part plus ad valorem rate times P0; may be NULL.
 * @param out_export_tax receives the exporter's tax in USD/t (negative for
 *        a subsidy), specific plus rate times P0; may be NULL.
 * @param world the world.
 * @param mineral the mineral's code.
 * @param from the exporter's code.
 * @param to the importer's code (not `from`).
 * @return `CRIT_OK`, `CRIT_EINVAL` or `CRIT_ENOTFOUND`.
 */
CRIT_API int crit_world_arc_get(double *out_transport, double *out_tariff,
                                double *out_export_tax, const crit_world *world,
                                const char *mineral, const char *from,
                                const char *to);

/**
 * Total wedge `c_ij = transport + export tax + tariff` (USD/t) of an arc,
 * and whether trade on it is allowed.
 *
 * @param out_wedge receives `c_ij` (>= 0); may be NULL.
 * @param out_allowed receives 1 when no ban closes the arc, else 0; may be
 *        NULL.
 * @param world the world.
 * @param mineral the mineral's code.
 * @param from the exporter's code.
 * @param to the importer's code (not `from`).
 * @return `CRIT_OK`, `CRIT_EINVAL` or `CRIT_ENOTFOUND`.
 */
CRIT_API int crit_world_arc_wedge(double *out_wedge, int32_t *out_allowed,
                                  const crit_world *world, const char *mineral,
                                  const char *from, const char *to);

/**
 * Read an economy's export quota on a mineral.
 *
 * @param out receives the quota in t/yr, or +infinity when there is none.
 * @param world the world.
 * @param mineral the mineral's code.
 * @param exporter the economy's code.
 * @return `CRIT_OK`, `CRIT_EINVAL` or `CRIT_ENOTFOUND`.
 */
CRIT_API int crit_world_export_quota_get(double *out, const crit_world *world,
                                         const char *mineral,
                                         const char *exporter);

CRIT_END_DECLS

#endif /* CRIT_WORLD_H */

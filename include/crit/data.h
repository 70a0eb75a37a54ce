/**
 * @file crit/data.h
 * @brief The embedded default world, built from the U.S. Geological Survey
 *        (USGS) Mineral Commodity Summaries, and the provenance of each of
 *        its numbers.
 *
 * crit_world_default() returns a world compiled into the library: no file
 * is read at run time. Its minerals are those of the 2025 U.S. list of
 * critical minerals for which USGS publishes world production by country;
 * its economies are the coalition (the Minerals Security Partnership),
 * China, every country with at least 5 % of world production of one of
 * the minerals, and a rest-of-world region `"ROW"` (docs/data.md).
 *
 * Base production and capacity come from the USGS world tables, U.S.
 * consumption and prices from the USGS salient statistics; what USGS does
 * not publish (consumption outside the United States, elasticities,
 * capacity where USGS gives none, price conversions) comes from
 * libcrit's assumptions table. The base year is an equilibrium: every
 * mineral's world base demand equals its world base production, and the
 * default trade wedges are zero, so solving the default world at base
 * gives every node the base price `P0` and every economy its USGS
 * production.
 *
 * Every number can be traced to its source with crit_data_source(), and
 * every record can be listed with crit_data_record_count() and
 * crit_data_record_get(). Records and the version string are static: they
 * live as long as the library is loaded and are safe to read from any
 * thread.
 *
 * To change an assumption, load the default world and use the setters of
 * crit/world.h (crit_world_set_curve(), crit_world_set_transport(), ...),
 * or rebuild libcrit with your own tables (docs/data.md).
 */
#ifndef CRIT_DATA_H
#define CRIT_DATA_H

#include "common.h"
#include "world.h"

CRIT_BEGIN_DECLS

/**
 * Where one number of the default world comes from. Initialise with
 * crit_data_record_init(). Every string is static, owned by the library,
 * and never NULL.
 *
 * Fields (`field`), with `economy` and unit:
 * - `"production"`, `"capacity"`, `"demand"`: an economy's base
 *   production `s0`, capacity `K` and base demand `d0`, t/yr;
 * - `"base_price"` (USD/t), `"choke_price"` (USD/t), `"holding_cost"`
 *   (USD/t/yr), `"world_production"` (t/yr), `"supply_elasticity"`,
 *   `"demand_elasticity"`, `"transport_rate"` (share of the base price on
 *   every arc): mineral-wide, `economy` is `""`;
 * - `"us_consumption"`, `"us_imports"`, `"us_exports"` (t/yr) and
 *   `"us_net_import_reliance"` (a ratio, 0.79 for 79 %): the USGS salient
 *   statistics as published, economy `"USA"`; `value` is NaN where USGS
 *   publishes a code instead of a number (`W`, `NA`, `E`, a bound), which
 *   `note` then quotes;
 * - `"member"`: coalition membership (1 or 0), mineral `""`.
 */
typedef struct crit_data_record {
    size_t size;         /**< sizeof(crit_data_record), set by _init() */
    const char *mineral; /**< mineral code, or "" for an economy's record */
    const char *economy; /**< economy code, or "" for a mineral-wide value */
    const char *field;   /**< what the value is (see above) */
    double value;        /**< the value in the default world, in `unit` */
    const char *unit;    /**< "t/yr", "USD/t", "USD/t/yr" or "1" */
    const char *source;  /**< the table: the USGS release and file, or
                              libcrit's assumptions or economies table */
    int32_t year;        /**< the data year of a USGS value, 0 otherwise */
    const char *rows;    /**< line numbers in that file, comma-separated
                              ("1868", "1864,1866"); "" when none */
    const char *note;    /**< how the value was derived, quoting USGS */
} crit_data_record;

/**
 * Set every field of `rec` to empty (strings "", value 0) and `rec->size`
 * to `sizeof(*rec)`.
 *
 * @param rec the record to initialise; ignored when NULL.
 */
CRIT_API void crit_data_record_init(crit_data_record *rec);

/**
 * Build the default world from the embedded USGS-based tables.
 *
 * @param out receives the new world, owned by the caller and released
 *        with crit_world_free(); untouched on failure.
 * @return `CRIT_OK`, `CRIT_EINVAL` (out is NULL) or `CRIT_ENOMEM`.
 *
 * Thread-safe: each call builds an independent world.
 */
CRIT_API int crit_world_default(crit_world **out);

/**
 * Version of the embedded data: the USGS release, its file and checksum,
 * the data year, and the revision of libcrit's assumptions table, e.g.
 * "USGS Mineral Commodity Summaries 2026 data release v1.0, ... year 2025;
 * libcrit assumptions r1 (...)".
 *
 * @return a static string, never NULL.
 */
CRIT_API const char *crit_data_version(void);

/**
 * Number of provenance records of the default world.
 *
 * @return the count.
 */
CRIT_API size_t crit_data_record_count(void);

/**
 * Read one provenance record by index.
 *
 * @param out receives the record; `out->size` must be set
 *        (crit_data_record_init()). Its strings are static.
 * @param index from 0 to crit_data_record_count() - 1.
 * @return `CRIT_OK`, `CRIT_EINVAL` (out NULL or `out->size` too small) or
 *         `CRIT_ERANGE` (no such index); `out` is untouched on failure.
 */
CRIT_API int crit_data_record_get(crit_data_record *out, size_t index);

/**
 * Find where a number of the default world comes from.
 *
 * @param out receives the record; `out->size` must be set. Its strings are
 *        static.
 * @param mineral the mineral's code; NULL or "" for an economy's record
 *        (`"member"`).
 * @param economy the economy's code; NULL or "" for a mineral-wide value.
 * @param field the field, e.g. "production" (see crit_data_record).
 * @return `CRIT_OK`; `CRIT_EINVAL` (out or field NULL, `out->size` too
 *         small); `CRIT_ENOTFOUND` (no such record: an economy with
 *         neither production nor demand of the mineral has none).
 *         `out` is untouched on failure.
 */
CRIT_API int crit_data_source(crit_data_record *out, const char *mineral,
                              const char *economy, const char *field);

CRIT_END_DECLS

#endif /* CRIT_DATA_H */

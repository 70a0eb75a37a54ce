/**
 * @file crit/io.h
 * @brief Persistence: the versioned, compressed snapshot format, and CSV
 *        (plain or gzip) import and export of world data.
 *
 * A snapshot is one binary file holding a world: a fixed header followed
 * by checksummed, deflate-compressed chunks. Its layout, byte order
 * (little-endian, encoded byte by byte) and compatibility rules are in
 * `docs/format.md`. Files are written atomically: a crash at any moment
 * leaves either the previous file or the complete new one at the target
 * path. Reading checks every length, count and CRC and every value (with
 * the same rules as the world API) before it returns a world; on failure
 * nothing is allocated and the message names the chunk and its offset.
 *
 * The CSV tables (`docs/format.md` lists their columns) carry the world's
 * minerals, economies, curves, arcs (transport, tariffs, bans) and export
 * policies (taxes, quotas), one table per file, plus a tidy export of the
 * world's data as series (one row per mineral, economy, series and
 * period). A file whose name ends in `.gz` is gzip-compressed by default;
 * gzip input is recognised by its content, whatever the name. Numbers
 * are read and written with a `.` decimal point whatever the program's
 * locale: the CSV functions switch the calling thread to the C locale
 * (uselocale()) while they parse or render, and switch it back.
 *
 * Every allocation, zlib's included, goes through the allocator hook of
 * crit/alloc.h.
 *
 * Thread-safety: these functions may run concurrently on distinct
 * worlds, and concurrently on the same `const crit_world *`. Two saves to
 * the same path at once each stay atomic; the last rename wins.
 */
#ifndef CRIT_IO_H
#define CRIT_IO_H

#include "common.h"
#include "market.h"
#include "scenario.h"
#include "world.h"

CRIT_BEGIN_DECLS

/** Major version of the snapshot format this library writes and reads.
 *  Files with a larger major version are refused (`CRIT_EVERSION`). */
#define CRIT_IO_FORMAT_MAJOR 1
/** Minor version of the snapshot format this library writes. Files with
 *  a larger minor version are read; chunks this library does not know are
 *  skipped. */
#define CRIT_IO_FORMAT_MINOR 1

/**
 * Options of crit_io_save(). Initialise with crit_io_save_options_init().
 */
typedef struct crit_io_save_options {
    size_t size;   /**< sizeof(crit_io_save_options), set by _init() */
    int32_t level; /**< deflate level of every chunk, 0 (stored) to 9
                        (smallest), or -1 for the default (6, and 1 with
                        zlib's run-length strategy for the series of a
                        result, most of its file) */
} crit_io_save_options;

/**
 * Options of the snapshot readers. Initialise with
 * crit_io_load_options_init().
 */
typedef struct crit_io_load_options {
    size_t size; /**< sizeof(crit_io_load_options), set by _init() */
    uint64_t max_uncompressed_bytes; /**< refuse a file whose chunks
                                          decompress to more than this in
                                          total; 0 means the default,
                                          1 GiB */
} crit_io_load_options;

/**
 * Set `options` to the defaults (`level` -1: deflate level 6, and 1 with
 * the run-length strategy for the series of a result) and
 * `options->size` to `sizeof(*options)`.
 *
 * @param options the options; ignored when NULL.
 */
CRIT_API void crit_io_save_options_init(crit_io_save_options *options);

/**
 * Set `options` to the defaults (a 1 GiB limit on decompressed data) and
 * `options->size` to `sizeof(*options)`.
 *
 * @param options the options; ignored when NULL.
 */
CRIT_API void crit_io_load_options_init(crit_io_load_options *options);

/**
 * Save a world to a snapshot file, atomically: the data goes to a
 * temporary file beside the target (`<path>.tmp.<pid>.<n>`), which is
 * flushed and `fsync`ed, then renamed over `path`, and the directory is
 * `fsync`ed. On failure the temporary file is removed and `path` is
 * untouched; a process killed mid-save may leave a temporary file behind
 * (never a torn `path`), see `docs/format.md`.
 *
 * @param path the target file's path.
 * @param world the world to save.
 * @param options NULL for the defaults.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL argument, bad option);
 *         `CRIT_EUNSUPPORTED` (unknown non-zero tail of `options`);
 *         `CRIT_EIO` (the file system refused, with the system's reason);
 *         `CRIT_ENOMEM`.
 *
 * Thread-safe on a `const` world.
 */
CRIT_API int crit_io_save(const char *path, const crit_world *world,
                          const crit_io_save_options *options);

/**
 * Load a world from a snapshot file.
 *
 * @param out receives the new world, owned by the caller and released with
 *        crit_world_free(); untouched on failure.
 * @param path the snapshot's path.
 * @param options NULL for the defaults.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL argument, or a value in the file
 *         that the world API refuses); `CRIT_EIO` (cannot open or read the
 *         file, or it is not a regular file); `CRIT_EFORMAT` (not a
 *         snapshot, truncated, a CRC mismatch, a bad length or count, a
 *         corrupt compressed stream, data over the size limit);
 *         `CRIT_EVERSION` (a newer major format version);
 *         `CRIT_EUNSUPPORTED`; `CRIT_ENOMEM`. The message names the file,
 *         the chunk and its byte offset.
 */
CRIT_API int crit_io_load(crit_world **out, const char *path,
                          const crit_io_load_options *options);

/**
 * Load a world from a snapshot held in memory (the bytes of a file).
 *
 * @param out receives the new world, owned by the caller; untouched on
 *        failure.
 * @param data the snapshot's bytes, borrowed for the call; may be NULL
 *        when `size` is 0.
 * @param size the number of bytes.
 * @param options NULL for the defaults.
 * @return as crit_io_load(), without `CRIT_EIO`.
 */
CRIT_API int crit_io_load_memory(crit_world **out, const void *data,
                                 size_t size,
                                 const crit_io_load_options *options);

/**
 * Save a scenario, and optionally the result of one of its runs, to a
 * snapshot file, atomically (as crit_io_save()). The file holds the
 * scenario's world as crit_io_save() writes it, so crit_io_load() (and
 * any reader of format 1.0) opens it as a world; then the scenario's
 * definition (calendar, market options, events, policies, stockpiles with
 * their participants and state, loans with their draws, programmes) and
 * the result's dates, stockpile names, loans and every series, in the
 * chunks `docs/format.md` describes (format 1.1).
 *
 * @param path the target file's path.
 * @param scenario the scenario to save.
 * @param result NULL, or a result of crit_scenario_run() on `scenario`
 *        (or on an equal scenario).
 * @param options NULL for the defaults.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL argument, bad option, a result
 *         whose world, periods, stockpiles (their count or names) or
 *         loans (their count or terms) are not the scenario's, or whose
 *         world (the scenario's, shared) changed since the run, a result
 *         of this scenario run before a change of it (an event, policy,
 *         stockpile, loan, programme or market options added or set since;
 *         a result loaded with it counts as run then), a result of
 *         another scenario that is no longer equal to this one, a
 *         scenario whose world changed so that an event,
 *         stockpile or programme no longer fits it, named as
 *         crit_scenario_run() names it: crit_io_load_scenario() could
 *         not rebuild it); `CRIT_EUNSUPPORTED` (options tail, a series too
 *         large for one chunk); `CRIT_EIO`; `CRIT_ENOMEM`.
 *
 * Thread-safe on a `const` scenario and result (no run of them at once).
 */
CRIT_API int crit_io_save_scenario(const char *path,
                                   const crit_scenario *scenario,
                                   const crit_result *result,
                                   const crit_io_save_options *options);

/**
 * Load a scenario, and optionally its saved result, from a snapshot file
 * written by crit_io_save_scenario(). Everything is checked before
 * anything is built, as crit_io_load() does, and the scenario is rebuilt
 * through the public scenario, policy, stockpile and loan functions, so
 * every value meets the API's rules. A result must have the scenario's
 * shape and calendar. Re-running the loaded scenario gives the saved
 * result bit for bit (on the same build of libcrit and machine).
 *
 * @param out_scenario receives the new scenario, owned by the caller
 *        (crit_scenario_free()); untouched on failure.
 * @param out_result NULL to ignore any saved result; otherwise receives
 *        the saved result (crit_result_free()), or NULL when the file
 *        holds none; untouched on failure.
 * @param path the snapshot's path.
 * @param options NULL for the defaults.
 * @return as crit_io_load(); `CRIT_EFORMAT` also when the file holds a
 *         world without a scenario, or a result whose dimensions, period
 *         dates or stockpile names are not the scenario's, or whose loans
 *         are not the scenario's with draws added (the same terms, every
 *         scheduled draw among theirs) (the dates, names and loans are
 *         read only when `out_result` is given).
 */
CRIT_API int crit_io_load_scenario(crit_scenario **out_scenario,
                                   crit_result **out_result, const char *path,
                                   const crit_io_load_options *options);

/**
 * Load a scenario and its optional result from a snapshot held in
 * memory; see crit_io_load_scenario().
 *
 * @param out_scenario receives the new scenario; untouched on failure.
 * @param out_result NULL, or receives the result or NULL; untouched on
 *        failure.
 * @param data the snapshot's bytes, borrowed for the call; may be NULL
 *        when `size` is 0.
 * @param size the number of bytes.
 * @param options NULL for the defaults.
 * @return as crit_io_load_scenario(), without `CRIT_EIO`.
 */
CRIT_API int crit_io_load_scenario_memory(crit_scenario **out_scenario,
                                          crit_result **out_result,
                                          const void *data, size_t size,
                                          const crit_io_load_options *options);

/** The CSV tables (columns in `docs/format.md`). Values never change. */
typedef enum crit_csv_table {
    CRIT_CSV_MINERALS = 1,  /**< code, name, basis, prices, holding cost */
    CRIT_CSV_ECONOMIES = 2, /**< code, name, member */
    CRIT_CSV_CURVES = 3,    /**< supply and demand per economy, mineral */
    CRIT_CSV_ARCS = 4,      /**< transport, tariff, bans per arc */
    CRIT_CSV_EXPORTS = 5,   /**< export tax and quota per exporter */
    CRIT_CSV_SERIES = 6     /**< tidy export: mineral, economy, series,
                                 period, value (export only) */
} crit_csv_table;

/**
 * Options of the CSV functions. Initialise with
 * crit_io_csv_options_init().
 */
typedef struct crit_io_csv_options {
    size_t size;      /**< sizeof(crit_io_csv_options), set by _init() */
    int32_t compress; /**< export: 1 gzip, 0 plain, -1 (default) gzip
                           when the path ends in ".gz"; import ignores it
                           and recognises gzip by its content */
} crit_io_csv_options;

/**
 * Set `options` to the defaults (compress = -1) and `options->size` to
 * `sizeof(*options)`.
 *
 * @param options the options; ignored when NULL.
 */
CRIT_API void crit_io_csv_options_init(crit_io_csv_options *options);

/**
 * Import one CSV table into a copy of a world. The first line names the
 * columns (any order; the optional ones may be left out); each following
 * line is one row, applied in order through the world API's setters, so
 * every row is validated by the same rules (an arcs row is taken as one
 * arc: its transport cost and tariff are set in the order that keeps the
 * wedge in between from falling below both the old one and the row's). Fields
 * may be quoted as in RFC 4180. Plain text or gzip, recognised by content.
 *
 * @param out receives the new world (the base's copy with the rows
 *        applied), owned by the caller; untouched on failure.
 * @param base the world to start from, not modified; NULL starts from an
 *        empty world.
 * @param table which table the file holds, a crit_csv_table other than
 *        `CRIT_CSV_SERIES`.
 * @param path the file's path.
 * @param options NULL for the defaults.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL `out` or `path`, a bad table,
 *         bad option, or a row the world API refuses); `CRIT_EFORMAT`
 *         (malformed CSV, unknown or missing column, an empty code, a
 *         field that is not a number, a flag such as `member` or a ban
 *         that is not 0 or 1, an arc row whose `from` and `to` are the
 *         same economy); `CRIT_ENOTFOUND` (a row names an unknown mineral or
 *         economy); `CRIT_EEXISTS` (a code defined twice);
 *         `CRIT_EUNSUPPORTED` (unknown non-zero tail of `options`);
 *         `CRIT_EIO`; `CRIT_ENOMEM`. The message names the file, the line
 *         and the column.
 */
CRIT_API int crit_io_csv_import(crit_world **out, const crit_world *base,
                                int32_t table, const char *path,
                                const crit_io_csv_options *options);

/**
 * Import one CSV table held in memory; see crit_io_csv_import().
 *
 * @param out receives the new world; untouched on failure.
 * @param base the world to start from; NULL for an empty one.
 * @param table a crit_csv_table other than `CRIT_CSV_SERIES`.
 * @param data the file's bytes (plain or gzip), borrowed for the call;
 *        may be NULL when `size` is 0 (an empty file, `CRIT_EFORMAT`).
 * @param size the number of bytes.
 * @param name the name used in messages (e.g. the file name); NULL means
 *        "(memory)".
 * @return as crit_io_csv_import(), without `CRIT_EIO` and
 *         `CRIT_EUNSUPPORTED`.
 */
CRIT_API int crit_io_csv_import_memory(crit_world **out, const crit_world *base,
                                       int32_t table, const void *data,
                                       size_t size, const char *name);

/**
 * Export one table of a world as CSV, atomically (as crit_io_save()).
 * Numbers are written with 17 significant digits, so importing the file
 * gives back the same values. `CRIT_CSV_SERIES` writes the tidy layout
 * `mineral,economy,series,period,value`: one row per mineral, economy,
 * series and period (the world's base data is period 0).
 *
 * @param path the target file's path.
 * @param world the world.
 * @param table which table, a crit_csv_table.
 * @param options NULL for the defaults.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL argument, a table that is not a
 *         crit_csv_table, bad option); `CRIT_EUNSUPPORTED` (unknown
 *         non-zero tail of `options`); `CRIT_EIO`; `CRIT_ENOMEM`.
 *
 * Thread-safe on a `const` world.
 */
CRIT_API int crit_io_csv_export(const char *path, const crit_world *world,
                                int32_t table,
                                const crit_io_csv_options *options);

/**
 * Export the results of a solved market as tidy CSV, atomically (as
 * crit_io_save()): the `series` layout `mineral,economy,series,period,
 * value`, one row per economy and crit_market_quantity (named by
 * crit_market_quantity_name(); the surplus changes only when the market
 * has a reference), after five rows with an empty economy summarising the
 * solve (`residual`, `levy_usd_per_t`, `levy_revenue_usd`,
 * `total_demand_t`, `period_years`). Units as in crit/market.h: tonnes
 * and USD per period, prices USD/t. Bilateral flows are not included.
 *
 * @param path the target file's path.
 * @param market the market, solved.
 * @param period the period number written in every row.
 * @param options NULL for the defaults (gzip when `path` ends in ".gz").
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL argument, bad option);
 *         `CRIT_ESTATE` (the market has no solution); `CRIT_EUNSUPPORTED`
 *         (unknown non-zero tail of `options`); `CRIT_EIO`; `CRIT_ENOMEM`.
 *
 * Not thread-safe with a solve of the same market.
 */
CRIT_API int crit_io_csv_export_market(const char *path,
                                       const crit_market *market,
                                       int32_t period,
                                       const crit_io_csv_options *options);

/**
 * Export every series of a scenario's result as tidy CSV, atomically (as
 * crit_io_save()): one row per series, period and label, with the columns
 * `mineral,economy,series,period,value,date,stockpile,loan`. The first
 * five are the `series` layout of crit_io_csv_export(); `date` is the
 * period's first day, ISO 8601 (`YYYY-MM-DD`); `stockpile` the
 * stockpile's name and `loan` the loan's index, for the series that have
 * them. A label the series does not have is an empty cell (e.g. the
 * economy of a `[t][k]` series). Series come in crit_series order, named by
 * crit_series_name(), each in the row-major order of its shape
 * (crit_result_series_shape()); series without values (no stockpile, no
 * loan) have no rows. Periods are numbered from 0; values have 17
 * significant digits and the units of crit/scenario.h.
 *
 * @param path the target file's path.
 * @param result the result.
 * @param options NULL for the defaults (gzip when `path` ends in ".gz").
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL argument, bad option);
 *         `CRIT_EUNSUPPORTED` (unknown non-zero tail of `options`);
 *         `CRIT_EIO`; `CRIT_ENOMEM`.
 *
 * Thread-safe on a `const` result.
 */
CRIT_API int crit_io_csv_export_result(const char *path,
                                       const crit_result *result,
                                       const crit_io_csv_options *options);

CRIT_END_DECLS

#endif /* CRIT_IO_H */

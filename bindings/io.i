/* io.i: snapshots and CSV (crit/io.h).
 *
 * The options structs are flattened into arguments by crit_swig_io_*
 * helpers (0 or -1 keep the defaults), and CSV import has two forms, from
 * an empty world or from a base world, since a closed or NULL handle is
 * refused by the handle typemap. The languages' layers make these
 * World.save / World.load / World.read_csv / World.to_csv,
 * Market.to_csv, Scenario.save / load_scenario and Result.to_csv.
 * Scenario saves have two forms, with and without a result, for the same
 * reason; loading gives the scenario and the result (None/nil when the
 * file holds none). Included last, after the market and scenario
 * handles it uses. Every helper that touches a file is named
 * crit_swig_io_* (io_* in the modules): critlua's sandbox refuses
 * those. */

%ignore crit_io_save_options;
%ignore crit_io_load_options;
%ignore crit_io_csv_options;
%ignore crit_io_save_options_init;
%ignore crit_io_load_options_init;
%ignore crit_io_csv_options_init;
%ignore crit_io_save;
%ignore crit_io_load;
%ignore crit_io_load_memory;
%ignore crit_io_csv_import;
%ignore crit_io_csv_import_memory;
%ignore crit_io_csv_export;
%ignore crit_io_csv_export_market;
%ignore crit_io_csv_export_result;
%ignore crit_io_save_scenario;
%ignore crit_io_load_scenario;
%ignore crit_io_load_scenario_memory;

%apply SWIGTYPE **CRIT_OWNED_OUT { crit_scenario **out_scenario,
                                   crit_result **out_result };

%include "crit/io.h"

%inline %{
/* crit_io_save with a deflate level (-1: the default). */
static int crit_swig_io_save(const char *path, const crit_world *world,
                             int32_t level)
{
    crit_io_save_options o;
    crit_io_save_options_init(&o);
    o.level = level;
    return crit_io_save(path, world, &o);
}

/* crit_io_load with a decompressed-size limit (0: the default, 1 GiB). */
static int crit_swig_io_load(crit_world **out, const char *path,
                             uint64_t max_uncompressed_bytes)
{
    crit_io_load_options o;
    crit_io_load_options_init(&o);
    o.max_uncompressed_bytes = max_uncompressed_bytes;
    return crit_io_load(out, path, &o);
}

/* crit_io_csv_import into a copy of `world`. */
static int crit_swig_io_csv_import(crit_world **out, const crit_world *world,
                                   int32_t table, const char *path)
{
    return crit_io_csv_import(out, world, table, path, NULL);
}

/* crit_io_csv_import into an empty world. */
static int crit_swig_io_csv_import_new(crit_world **out, int32_t table,
                                       const char *path)
{
    return crit_io_csv_import(out, NULL, table, path, NULL);
}

/* crit_io_csv_export; compress: -1 by the name's ".gz", 0 plain, 1 gzip. */
static int crit_swig_io_csv_export(const char *path, const crit_world *world,
                                   int32_t table, int32_t compress)
{
    crit_io_csv_options o;
    crit_io_csv_options_init(&o);
    o.compress = compress;
    return crit_io_csv_export(path, world, table, &o);
}

/* crit_io_csv_export_market; compress as crit_swig_io_csv_export. */
static int crit_swig_io_csv_export_market(const char *path,
                                          const crit_market *market,
                                          int32_t period, int32_t compress)
{
    crit_io_csv_options o;
    crit_io_csv_options_init(&o);
    o.compress = compress;
    return crit_io_csv_export_market(path, market, period, &o);
}

/* crit_io_save_scenario without a result; level as crit_swig_io_save. */
static int crit_swig_io_save_scenario(const char *path,
                                      const crit_scenario *scenario,
                                      int32_t level)
{
    crit_io_save_options o;
    crit_io_save_options_init(&o);
    o.level = level;
    return crit_io_save_scenario(path, scenario, NULL, &o);
}

/* crit_io_save_scenario with the result of a run. */
static int crit_swig_io_save_scenario_result(const char *path,
                                             const crit_scenario *scenario,
                                             const crit_result *result,
                                             int32_t level)
{
    crit_io_save_options o;
    crit_io_save_options_init(&o);
    o.level = level;
    return crit_io_save_scenario(path, scenario, result, &o);
}

/* crit_io_load_scenario: the scenario, then the result or NULL. */
static int crit_swig_io_load_scenario(crit_scenario **out_scenario,
                                      crit_result **out_result,
                                      const char *path,
                                      uint64_t max_uncompressed_bytes)
{
    crit_io_load_options o;
    crit_io_load_options_init(&o);
    o.max_uncompressed_bytes = max_uncompressed_bytes;
    return crit_io_load_scenario(out_scenario, out_result, path, &o);
}

/* crit_io_csv_export_result; compress as crit_swig_io_csv_export. */
static int crit_swig_io_csv_export_result(const char *path,
                                          const crit_result *result,
                                          int32_t compress)
{
    crit_io_csv_options o;
    crit_io_csv_options_init(&o);
    o.compress = compress;
    return crit_io_csv_export_result(path, result, &o);
}
%}

/* data.i: the default world and its provenance (crit/data.h).
 *
 * crit_world_default() returns an owned world through CRIT_OWNED_OUT
 * (world.i). The provenance record carries static strings, so the two
 * functions filling it are replaced by flat crit_swig_* helpers with one
 * out-parameter per field; the strings are copied by the wrapper. */

%apply const char **CRIT_OUT { const char **out_mineral,
                               const char **out_economy,
                               const char **out_field,
                               const char **out_unit,
                               const char **out_source,
                               const char **out_rows,
                               const char **out_note };
%apply double *CRIT_OUT { double *out_value };
%apply int32_t *CRIT_OUT { int32_t *out_year };

%ignore crit_data_record;
%ignore crit_data_record_init;
%ignore crit_data_record_get;
%ignore crit_data_source;

%include "crit/data.h"

%inline %{
static void crit_swig_data_unpack(const crit_data_record *r,
                                  const char **out_mineral,
                                  const char **out_economy,
                                  const char **out_field, double *out_value,
                                  const char **out_unit,
                                  const char **out_source, int32_t *out_year,
                                  const char **out_rows,
                                  const char **out_note)
{
    *out_mineral = r->mineral;
    *out_economy = r->economy;
    *out_field = r->field;
    *out_value = r->value;
    *out_unit = r->unit;
    *out_source = r->source;
    *out_year = r->year;
    *out_rows = r->rows;
    *out_note = r->note;
}

/* Flat crit_data_record_get: returns mineral, economy, field, value,
 * unit, source, year, rows and note of record `index`. */
static int crit_swig_data_record_get(const char **out_mineral,
                                     const char **out_economy,
                                     const char **out_field,
                                     double *out_value,
                                     const char **out_unit,
                                     const char **out_source,
                                     int32_t *out_year,
                                     const char **out_rows,
                                     const char **out_note, size_t index)
{
    crit_data_record rec;
    int rc;
    crit_data_record_init(&rec);
    rc = crit_data_record_get(&rec, index);
    if (rc < 0)
        return rc;
    crit_swig_data_unpack(&rec, out_mineral, out_economy, out_field,
                          out_value, out_unit, out_source, out_year, out_rows,
                          out_note);
    return 0;
}

/* Flat crit_data_source: the same fields for one (mineral, economy,
 * field); mineral and economy may be NULL or "". */
static int crit_swig_data_source(const char **out_mineral,
                                 const char **out_economy,
                                 const char **out_field, double *out_value,
                                 const char **out_unit,
                                 const char **out_source, int32_t *out_year,
                                 const char **out_rows,
                                 const char **out_note, const char *mineral,
                                 const char *economy, const char *field)
{
    crit_data_record rec;
    int rc;
    crit_data_record_init(&rec);
    rc = crit_data_source(&rec, mineral, economy, field);
    if (rc < 0)
        return rc;
    crit_swig_data_unpack(&rec, out_mineral, out_economy, out_field,
                          out_value, out_unit, out_source, out_year, out_rows,
                          out_note);
    return 0;
}
%}
%ignore crit_swig_data_unpack;

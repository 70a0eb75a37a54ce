/*
 * CSV import and export of world data (docs/format.md, "CSV tables").
 * Import parses RFC 4180 text (plain, or gzip recognised by its magic),
 * maps the header to the table's columns and applies each row to a copy
 * of the base world through the public setters, so rows are validated by
 * the world's own rules; the copy is handed out only when every row
 * passed.
 */
#include "io_internal.h"
#include "market_internal.h"
#include "scenario_internal.h"
#include "world_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define CSV_GZIP_LIMIT ((size_t)256 << 20) /* decompressed CSV, bytes */
#define MAX_COLS 16
/* the first published size of crit_io_csv_options */
#define CSV_OPTIONS_V1 CRIT__SIZE_TO(crit_io_csv_options, compress)

void crit_io_csv_options_init(crit_io_csv_options *options)
{
    if (!options)
        return;
    memset(options, 0, sizeof *options);
    options->size = sizeof *options;
    options->compress = -1;
}

/* ---- tables ------------------------------------------------------------ */

typedef struct table_def {
    const char *name;
    const char *cols[MAX_COLS]; /* NULL-terminated */
    unsigned required;          /* bit c: column c is required */
} table_def;

enum { MIN_CODE, MIN_NAME, MIN_BASIS, MIN_P0, MIN_PMAX, MIN_HOLD };
enum { ECO_CODE, ECO_NAME, ECO_MEMBER };
enum { CUR_ECO, CUR_MIN, CUR_S0, CUR_K, CUR_ETA, CUR_D0, CUR_EPS };
enum {
    ARC_MIN,
    ARC_FROM,
    ARC_TO,
    ARC_TRANSPORT,
    ARC_TARIFF,
    ARC_TARIFF_RATE,
    ARC_XBAN,
    ARC_IBAN
};
enum { EXP_MIN, EXP_ECO, EXP_TAX, EXP_TAX_RATE, EXP_QUOTA };

static const table_def TABLES[] = {
    {NULL, {NULL}, 0},
    {"minerals",
     {"code", "name", "basis", "base_price_usd_per_t", "choke_price_usd_per_t",
      "holding_cost_usd_per_t_yr", NULL},
     1u << MIN_CODE | 1u << MIN_P0},
    {"economies", {"code", "name", "member", NULL}, 1u << ECO_CODE},
    {"curves",
     {"economy", "mineral", "base_production_t_per_yr", "capacity_t_per_yr",
      "supply_elasticity", "base_demand_t_per_yr", "demand_elasticity", NULL},
     1u << CUR_ECO | 1u << CUR_MIN},
    {"arcs",
     {"mineral", "from", "to", "transport_usd_per_t", "tariff_usd_per_t",
      "tariff_ad_valorem", "export_ban", "import_ban", NULL},
     1u << ARC_MIN | 1u << ARC_FROM | 1u << ARC_TO},
    {"exports",
     {"mineral", "economy", "export_tax_usd_per_t", "export_tax_ad_valorem",
      "export_quota_t_per_yr", NULL},
     1u << EXP_MIN | 1u << EXP_ECO},
    {"series", {"mineral", "economy", "series", "period", "value", NULL}, 0},
};

static int check_table(int32_t table, int import)
{
    if (table < CRIT_CSV_MINERALS || table > CRIT_CSV_SERIES ||
        (import && table == CRIT_CSV_SERIES))
        return crit__error(CRIT_EINVAL, "csv: table %ld is not %s", (long)table,
                           import ? "one of the importable tables (1 to 5)"
                                  : "a crit_csv_table");
    return CRIT_OK;
}

/* ---- parsing ----------------------------------------------------------- */

typedef struct parser {
    const char *name; /* for messages */
    const char *p, *end;
    size_t line;     /* line of the current position */
    size_t row_line; /* line the current row starts on */
    crit__buf text;  /* unescaped fields of the row, NUL-separated */
    size_t off[MAX_COLS + 1];
    size_t n_fields;
    uint32_t quoted; /* bit i: field i was quoted */
} parser;
_Static_assert(MAX_COLS <= 32, "parser.quoted has a bit per field");

static int perr(const parser *ps, size_t col, const char *colname,
                const char *fmt, ...) CRIT__PRINTF(4, 5);
static int perr(const parser *ps, size_t col, const char *colname,
                const char *fmt, ...)
{
    char detail[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    if (col == 0)
        return crit__error(CRIT_EFORMAT, "csv %s line %zu: %s", ps->name,
                           ps->row_line, detail);
    return crit__error(CRIT_EFORMAT, "csv %s line %zu column %zu (%s): %s",
                       ps->name, ps->row_line, col, colname, detail);
}

/*
 * Read the next row into ps->text / ps->off. Returns 1 with a row, 0 at
 * the end of the input, or a negative status. Blank lines are skipped.
 */
static int next_row(parser *ps)
{
    ps->text.len = 0;
    ps->n_fields = 0;
    ps->quoted = 0;
    /* skip blank lines */
    while (ps->p < ps->end && (*ps->p == '\n' || *ps->p == '\r')) {
        if (*ps->p == '\n')
            ps->line++;
        ps->p++;
    }
    if (ps->p >= ps->end)
        return 0;
    ps->row_line = ps->line;
    for (;;) {
        if (ps->n_fields == MAX_COLS)
            return perr(ps, 0, NULL, "more than %d fields", MAX_COLS);
        ps->off[ps->n_fields++] = ps->text.len;
        int rc;
        if (ps->p < ps->end && *ps->p == '"') {
            size_t start_line = ps->line;
            ps->quoted |= 1u << (ps->n_fields - 1);
            ps->p++;
            for (;;) {
                if (ps->p >= ps->end)
                    return crit__error(CRIT_EFORMAT,
                                       "csv %s line %zu column %zu: quoted "
                                       "field not closed",
                                       ps->name, start_line, ps->n_fields);
                char c = *ps->p++;
                if (c == '"') {
                    if (ps->p < ps->end && *ps->p == '"')
                        ps->p++;
                    else
                        break;
                }
                if (c == '\n')
                    ps->line++;
                if (c == '\0')
                    return perr(ps, ps->n_fields, "?", "NUL byte in a field");
                if ((rc = crit__buf_put(&ps->text, &c, 1)))
                    return rc;
            }
            if (ps->p < ps->end && *ps->p != ',' && *ps->p != '\n' &&
                *ps->p != '\r')
                return perr(ps, 0, NULL,
                            "field %zu: text after a closing quote",
                            ps->n_fields);
        } else {
            const char *s = ps->p;
            while (ps->p < ps->end && *ps->p != ',' && *ps->p != '\n' &&
                   *ps->p != '\r') {
                if (*ps->p == '"')
                    return perr(ps, 0, NULL,
                                "field %zu: a quote inside an unquoted field",
                                ps->n_fields);
                if (*ps->p == '\0')
                    return perr(ps, 0, NULL, "field %zu: NUL byte",
                                ps->n_fields);
                ps->p++;
            }
            if ((rc = crit__buf_put(&ps->text, s, (size_t)(ps->p - s))))
                return rc;
        }
        if ((rc = crit__buf_put(&ps->text, "", 1)))
            return rc;
        if (ps->p >= ps->end)
            break;
        if (*ps->p == ',') {
            ps->p++;
            continue;
        }
        /* end of line: \n, \r\n or a lone \r */
        if (*ps->p == '\r')
            ps->p++;
        if (ps->p < ps->end && *ps->p == '\n') {
            ps->p++;
        }
        ps->line++;
        break;
    }
    return 1;
}

static const char *field(const parser *ps, size_t i)
{
    return (const char *)ps->text.data + ps->off[i];
}

/* ---- rows -------------------------------------------------------------- */

typedef struct row {
    parser *ps;
    const table_def *t;
    int col[MAX_COLS]; /* table column -> field index, -1 when absent */
} row;

/* The text of table column c, or NULL when absent or empty. */
static const char *cell(const row *r, int c)
{
    if (r->col[c] < 0)
        return NULL;
    const char *s = field(r->ps, (size_t)r->col[c]);
    return *s ? s : NULL;
}

/* The text of a name column c: as cell(), but a quoted empty field ("")
   is an empty name, where an empty field means the default (the code). */
static const char *name_cell(const row *r, int c)
{
    const char *s = cell(r, c);
    if (s || r->col[c] < 0)
        return s;
    return r->ps->quoted >> r->col[c] & 1u ? "" : NULL;
}

/* Record `code` with a message naming the file, line and column c. */
static int row_fail(const row *r, int c, int code, const char *detail)
{
    size_t col = r->col[c] >= 0 ? (size_t)r->col[c] + 1 : 0;
    if (!col)
        return crit__error(code, "csv %s line %zu: %s", r->ps->name,
                           r->ps->row_line, detail);
    return crit__error(code, "csv %s line %zu column %zu (%s): %s", r->ps->name,
                       r->ps->row_line, col, r->t->cols[c], detail);
}

static int row_err(const row *r, int c, const char *fmt, ...)
    CRIT__PRINTF(3, 4);
static int row_err(const row *r, int c, const char *fmt, ...)
{
    char detail[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    return row_fail(r, c, CRIT_EFORMAT, detail);
}

/* Re-record a world API failure with the file, line and column. */
static int setter_err(const row *r, int c, int rc)
{
    if (rc == CRIT_ENOMEM)
        return rc;
    char msg[400];
    snprintf(msg, sizeof msg, "%s", crit_error_last());
    return row_fail(r, c, rc, msg);
}

/*
 * setter_err for a setter of a specific and an ad valorem part (a tariff,
 * an export tax): the column of the part its message names.
 */
static int pair_err(const row *r, int c_specific, int c_rate, int rc)
{
    return setter_err(
        r, strstr(crit_error_last(), "ad valorem") ? c_rate : c_specific, rc);
}

static int num(const row *r, int c, double dflt, double *out)
{
    const char *s = cell(r, c);
    *out = dflt; /* also on error */
    if (!s)
        return CRIT_OK;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0')
        return row_err(r, c, "'%.40s' is not a number", s);
    *out = v;
    return CRIT_OK;
}

static int flag(const row *r, int c, int32_t *out)
{
    const char *s = cell(r, c);
    *out = -1; /* also on error */
    if (!s)
        return CRIT_OK;
    if ((s[0] != '0' && s[0] != '1') || s[1] != '\0')
        return row_err(r, c, "'%.40s' is not 0 or 1", s);
    *out = s[0] - '0';
    return CRIT_OK;
}

/* Which column a failed multi-field setter refers to, from the field its
   message names (the world API names the field). */
static int blame(const char *msg, const char *const *fields, const int *cols,
                 int fallback)
{
    for (int i = 0; fields[i]; i++)
        if (strstr(msg, fields[i]))
            return cols[i];
    return fallback;
}

static int apply_mineral(crit_world *w, const row *r)
{
    crit_mineral_def d;
    crit_mineral_def_init(&d);
    int rc;
    d.code = cell(r, MIN_CODE);
    d.name = name_cell(r, MIN_NAME);
    d.basis = cell(r, MIN_BASIS);
    if (!d.code)
        return row_err(r, MIN_CODE, "empty code");
    if ((rc = num(r, MIN_P0, 0, &d.base_price_usd_per_t)) ||
        (rc = num(r, MIN_PMAX, 0, &d.choke_price_usd_per_t)) ||
        (rc = num(r, MIN_HOLD, 0, &d.holding_cost_usd_per_t_yr)))
        return rc;
    if ((rc = crit_world_add_mineral(w, &d))) {
        static const char *const f[] = {"holding cost", "choke price",
                                        "base price", NULL};
        static const int c[] = {MIN_HOLD, MIN_PMAX, MIN_P0};
        return setter_err(r, blame(crit_error_last(), f, c, MIN_CODE), rc);
    }
    return CRIT_OK;
}

static int apply_economy(crit_world *w, const row *r)
{
    crit_economy_def d;
    crit_economy_def_init(&d);
    d.code = cell(r, ECO_CODE);
    d.name = name_cell(r, ECO_NAME);
    if (!d.code)
        return row_err(r, ECO_CODE, "empty code");
    int32_t m;
    int rc = flag(r, ECO_MEMBER, &m);
    if (rc)
        return rc;
    d.member = m < 0 ? 0 : m;
    if ((rc = crit_world_add_economy(w, &d)))
        return setter_err(r, ECO_CODE, rc);
    return CRIT_OK;
}

static int apply_curve(crit_world *w, const row *r)
{
    const char *eco = cell(r, CUR_ECO), *min = cell(r, CUR_MIN);
    crit_curve_def d;
    crit_curve_def_init(&d);
    int rc;
    if ((rc = num(r, CUR_S0, 0, &d.base_production_t_per_yr)) ||
        (rc =
             num(r, CUR_K, d.base_production_t_per_yr, &d.capacity_t_per_yr)) ||
        (rc = num(r, CUR_ETA, 0, &d.supply_elasticity)) ||
        (rc = num(r, CUR_D0, 0, &d.base_demand_t_per_yr)) ||
        (rc = num(r, CUR_EPS, 0, &d.demand_elasticity)))
        return rc;
    if ((rc = crit_world_set_curve(w, eco ? eco : "", min ? min : "", &d))) {
        static const char *const f[] = {"mineral '",       "capacity",
                                        "base production", "supply elasticity",
                                        "base demand",     "demand elasticity",
                                        "economy '",       NULL};
        static const int c[] = {CUR_MIN, CUR_K,   CUR_S0, CUR_ETA,
                                CUR_D0,  CUR_EPS, CUR_ECO};
        /* "economy 'X' mineral 'Y': <field>": look past the codes */
        const char *msg = crit_error_last(), *colon = strstr(msg, "': ");
        int col = colon ? blame(colon, f + 1, c + 1, CUR_ECO)
                        : blame(msg, f, c, CUR_ECO);
        if (rc == CRIT_ENOTFOUND)
            col = strstr(msg, "mineral") == msg ? CUR_MIN : CUR_ECO;
        return setter_err(r, col, rc);
    }
    return CRIT_OK;
}

static int apply_arc(crit_world *w, const row *r)
{
    const char *m = cell(r, ARC_MIN), *f = cell(r, ARC_FROM),
               *t = cell(r, ARC_TO);
    m = m ? m : "";
    f = f ? f : "";
    t = t ? t : "";
    double transport, tariff, rate;
    int32_t xban, iban;
    int rc;
    if ((rc = num(r, ARC_TRANSPORT, NAN, &transport)) ||
        (rc = num(r, ARC_TARIFF, NAN, &tariff)) ||
        (rc = num(r, ARC_TARIFF_RATE, NAN, &rate)) ||
        (rc = flag(r, ARC_XBAN, &xban)) || (rc = flag(r, ARC_IBAN, &iban)))
        return rc;
    /* resolve the codes first, so that the error names the right column */
    size_t k, i, j;
    if ((rc = crit__world_find_mineral(&k, w, m)))
        return setter_err(r, ARC_MIN, rc);
    if ((rc = crit__world_find_economy(&i, w, f)))
        return setter_err(r, ARC_FROM, rc);
    if ((rc = crit__world_find_economy(&j, w, t)))
        return setter_err(r, ARC_TO, rc);
    if (i == j)
        return row_err(r, ARC_TO, "an arc needs two different economies");
    /* an empty cell leaves that part of the arc as it is */
    size_t a = i * w->stride + j;
    int set_transport = cell(r, ARC_TRANSPORT) != NULL;
    int set_tariff = cell(r, ARC_TARIFF) || cell(r, ARC_TARIFF_RATE);
    /* the tariff is set as a pair: an empty cell keeps its part */
    tariff = cell(r, ARC_TARIFF) ? tariff : w->min[k].tariff[a];
    rate = cell(r, ARC_TARIFF_RATE) ? rate : w->min[k].tariff_rate[a];
    /* The row is one arc: under an export subsidy, a lower transport cost
     * with a higher tariff is refused if the transport cost goes first
     * (the wedge in between would be below zero). A lower transport cost
     * goes second, so that the wedge in between is never below both the
     * old one and the row's. */
    int tariff_first =
        set_transport && set_tariff && transport < w->min[k].transport[a];
    for (int step = 0; step < 2; step++) {
        if (step == tariff_first && set_transport &&
            (rc = crit_world_set_transport(w, m, f, t, transport)))
            return setter_err(r, ARC_TRANSPORT, rc);
        if (step != tariff_first && set_tariff &&
            (rc = crit_world_set_tariff(w, m, f, t, tariff, rate)))
            return pair_err(r, ARC_TARIFF, ARC_TARIFF_RATE, rc);
    }
    if (xban >= 0 && (rc = crit_world_set_export_ban(w, m, f, t, xban)))
        return setter_err(r, ARC_XBAN, rc);
    if (iban >= 0 && (rc = crit_world_set_import_ban(w, m, t, f, iban)))
        return setter_err(r, ARC_IBAN, rc);
    return CRIT_OK;
}

static int apply_export(crit_world *w, const row *r)
{
    const char *m = cell(r, EXP_MIN), *e = cell(r, EXP_ECO);
    m = m ? m : "";
    e = e ? e : "";
    double tax, rate;
    int rc;
    size_t k, i;
    if ((rc = crit__world_find_mineral(&k, w, m)))
        return setter_err(r, EXP_MIN, rc);
    if ((rc = crit__world_find_economy(&i, w, e)))
        return setter_err(r, EXP_ECO, rc);
    if ((rc = num(r, EXP_TAX, 0, &tax)) ||
        (rc = num(r, EXP_TAX_RATE, 0, &rate)))
        return rc;
    if (cell(r, EXP_TAX) || cell(r, EXP_TAX_RATE)) {
        /* the tax is set as a pair: an empty cell keeps its part, as in
           the arcs table */
        rc = crit_world_set_export_tax(
            w, m, e, cell(r, EXP_TAX) ? tax : w->min[k].xtax[i],
            cell(r, EXP_TAX_RATE) ? rate : w->min[k].xtax_rate[i]);
        if (rc)
            return pair_err(r, EXP_TAX, EXP_TAX_RATE, rc);
    }
    const char *q = cell(r, EXP_QUOTA);
    if (q && strcmp(q, "none") == 0)
        rc = crit_world_clear_export_quota(w, m, e);
    else if (q) {
        double v;
        if ((rc = num(r, EXP_QUOTA, 0, &v)))
            return rc;
        rc = crit_world_set_export_quota(w, m, e, v);
    }
    return rc ? setter_err(r, EXP_QUOTA, rc) : CRIT_OK;
}

static int import_text(crit_world *w, int32_t table, const char *text, size_t n,
                       const char *name);

/* import_text's arguments, for a run in the C locale (crit__in_c_locale:
   numbers read with a '.' whatever the program's locale) */
typedef struct import_job {
    crit_world *w;
    int32_t table;
    const char *text;
    size_t n;
    const char *name;
} import_job;

static int run_import(void *ctx)
{
    const import_job *j = ctx;
    return import_text(j->w, j->table, j->text, j->n, j->name);
}

static int import_text(crit_world *w, int32_t table, const char *text, size_t n,
                       const char *name)
{
    parser ps = {0};
    ps.name = name;
    ps.p = text;
    ps.end = text + n;
    ps.line = 1;
    if (n >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        ps.p += 3; /* UTF-8 byte order mark */
    row r = {&ps, &TABLES[table], {0}};
    int rc = next_row(&ps);
    if (rc == 0)
        rc = crit__error(CRIT_EFORMAT,
                         "csv %s line 1: empty file, expected a header for "
                         "table %s",
                         name, r.t->name);
    if (rc < 0)
        goto done;
    for (int c = 0; c < MAX_COLS; c++)
        r.col[c] = -1;
    for (size_t f = 0; f < ps.n_fields; f++) {
        const char *h = field(&ps, f);
        int c = 0;
        while (r.t->cols[c] && strcmp(r.t->cols[c], h) != 0)
            c++;
        if (!r.t->cols[c]) {
            rc = perr(&ps, f + 1, h,
                      "unknown column for table %s (known: see "
                      "docs/format.md)",
                      r.t->name);
            goto done;
        }
        if (r.col[c] >= 0) {
            rc = perr(&ps, f + 1, h, "column given twice");
            goto done;
        }
        r.col[c] = (int)f;
    }
    for (int c = 0; r.t->cols[c]; c++)
        if ((r.t->required >> c & 1u) && r.col[c] < 0) {
            rc = perr(&ps, 0, NULL, "table %s needs a column '%s'", r.t->name,
                      r.t->cols[c]);
            goto done;
        }
    size_t header_fields = ps.n_fields;
    while ((rc = next_row(&ps)) == 1) {
        if (ps.n_fields != header_fields) {
            rc = perr(&ps, 0, NULL, "%zu fields, the header has %zu",
                      ps.n_fields, header_fields);
            goto done;
        }
        switch (table) {
        case CRIT_CSV_MINERALS:
            rc = apply_mineral(w, &r);
            break;
        case CRIT_CSV_ECONOMIES:
            rc = apply_economy(w, &r);
            break;
        case CRIT_CSV_CURVES:
            rc = apply_curve(w, &r);
            break;
        case CRIT_CSV_ARCS:
            rc = apply_arc(w, &r);
            break;
        default:
            rc = apply_export(w, &r);
            break;
        }
        if (rc)
            goto done;
    }
done:
    crit__buf_free(&ps.text);
    return rc < 0 ? rc : CRIT_OK;
}

static int import_bytes(crit_world **out, const crit_world *base, int32_t table,
                        const unsigned char *data, size_t size,
                        const char *name)
{
    crit__buf plain = {0};
    const char *text = (const char *)data;
    size_t n = size;
    int rc;
    if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
        char what[300];
        snprintf(what, sizeof what, "csv %s", name);
        if ((rc =
                 crit__inflate_all(&plain, data, size, CSV_GZIP_LIMIT, what))) {
            crit__buf_free(&plain);
            return rc;
        }
        text = (const char *)plain.data;
        n = plain.len;
    }
    crit_world *w = NULL;
    rc = base ? crit_world_copy(&w, base) : crit_world_new(&w);
    if (!rc) {
        import_job job = {w, table, text ? text : "", n, name};
        rc = crit__in_c_locale(run_import, &job);
    }
    crit__buf_free(&plain);
    if (rc) {
        crit_world_free(w);
        return rc;
    }
    *out = w;
    return CRIT_OK;
}

int crit_io_csv_import_memory(crit_world **out, const crit_world *base,
                              int32_t table, const void *data, size_t size,
                              const char *name)
{
    if (!out || (!data && size))
        return crit__error(CRIT_EINVAL, "csv import: NULL argument");
    int rc = check_table(table, 1);
    if (rc)
        return rc;
    char label[300];
    if (name)
        snprintf(label, sizeof label, "'%.250s'", name);
    else
        snprintf(label, sizeof label, "(memory)");
    return import_bytes(out, base, table, data, size, label);
}

int crit_io_csv_import(crit_world **out, const crit_world *base, int32_t table,
                       const char *path, const crit_io_csv_options *options)
{
    if (!out || !path)
        return crit__error(CRIT_EINVAL, "csv import: NULL argument");
    int rc = check_table(table, 1);
    if (rc)
        return rc;
    if (options &&
        (rc = crit__check_struct_size(options, CSV_OPTIONS_V1, sizeof *options,
                                      "csv options")))
        return rc;
    unsigned char *data;
    size_t size;
    if ((rc = crit__read_file(&data, &size, path, "csv")))
        return rc;
    char label[300];
    snprintf(label, sizeof label, "'%.250s'", path);
    rc = import_bytes(out, base, table, data, size, label);
    crit__free(data);
    return rc;
}

/* ---- export ------------------------------------------------------------ */

static int put_text(crit__buf *b, const char *s)
{
    size_t n = strlen(s);
    int quote = n > 0 && (s[0] == ' ' || s[n - 1] == ' ');
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!quote)
        return crit__buf_put(b, s, n);
    int rc = crit__buf_put(b, "\"", 1);
    for (size_t i = 0; i < n && !rc; i++)
        rc = s[i] == '"' ? crit__buf_put(b, "\"\"", 2)
                         : crit__buf_put(b, &s[i], 1);
    return rc ? rc : crit__buf_put(b, "\"", 1);
}

/* A name: an empty one is written "" (an empty field would read back as
   the default, the code). */
static int put_name(crit__buf *b, const char *s)
{
    return *s ? put_text(b, s) : crit__buf_put(b, "\"\"", 2);
}

static int put_num(crit__buf *b, double v)
{
    char s[40];
    int n = snprintf(s, sizeof s, "%.17g", v);
    return crit__buf_put(b, s, (size_t)n);
}

static int put_sep(crit__buf *b, char c)
{
    return crit__buf_put(b, &c, 1);
}

static int put_header(crit__buf *b, int32_t table)
{
    int rc = CRIT_OK;
    const table_def *t = &TABLES[table];
    for (int c = 0; t->cols[c] && !rc; c++)
        if (!(rc = c ? put_sep(b, ',') : CRIT_OK))
            rc = crit__buf_put(b, t->cols[c], strlen(t->cols[c]));
    return rc ? rc : put_sep(b, '\n');
}

/* One tidy row: mineral,economy,series,period,value. */
static int put_series(crit__buf *b, const char *mineral, const char *economy,
                      const char *series, double value)
{
    int rc;
    if ((rc = put_text(b, mineral)) || (rc = put_sep(b, ',')) ||
        (rc = put_text(b, economy)) || (rc = put_sep(b, ',')) ||
        (rc = crit__buf_put(b, series, strlen(series))) ||
        (rc = crit__buf_put(b, ",0,", 3)) || (rc = put_num(b, value)))
        return rc;
    return put_sep(b, '\n');
}

static int curve_is_zero(const crit__curve *c)
{
    return c->s0 == 0 && c->K == 0 && c->eta == 0 && c->d0 == 0 && c->eps == 0;
}

static int render(crit__buf *b, const crit_world *w, int32_t table)
{
    int rc = put_header(b, table);
    size_t n = w->n_eco;
    if (table == CRIT_CSV_ECONOMIES)
        for (size_t i = 0; i < n && !rc; i++) {
            const crit__economy *e = &w->eco[i];
            if ((rc = put_text(b, e->code)) || (rc = put_sep(b, ',')) ||
                (rc = put_name(b, e->name)) ||
                (rc = crit__buf_put(b, e->member ? ",1\n" : ",0\n", 3)))
                break;
        }
    for (size_t k = 0; k < w->n_min && !rc; k++) {
        const crit__mineral *m = &w->min[k];
        if (table == CRIT_CSV_MINERALS) {
            if ((rc = put_text(b, m->code)) || (rc = put_sep(b, ',')) ||
                (rc = put_name(b, m->name)) || (rc = put_sep(b, ',')) ||
                (rc = put_text(b, m->basis)) || (rc = put_sep(b, ',')) ||
                (rc = put_num(b, m->p0)) || (rc = put_sep(b, ',')) ||
                (rc = put_num(b, m->pmax)) || (rc = put_sep(b, ',')) ||
                (rc = put_num(b, m->holding)))
                break;
            rc = put_sep(b, '\n');
            continue;
        }
        if (table == CRIT_CSV_SERIES &&
            ((rc = put_series(b, m->code, "", "base_price_usd_per_t", m->p0)) ||
             (rc = put_series(b, m->code, "", "choke_price_usd_per_t",
                              m->pmax)) ||
             (rc = put_series(b, m->code, "", "holding_cost_usd_per_t_yr",
                              m->holding))))
            break;
        for (size_t i = 0; i < n && !rc; i++) {
            const char *ec = w->eco[i].code;
            const crit__curve *c = &m->curve[i];
            if (table == CRIT_CSV_CURVES && !curve_is_zero(c)) {
                double v[5] = {c->s0, c->K, c->eta, c->d0, c->eps};
                if ((rc = put_text(b, ec)) || (rc = put_sep(b, ',')) ||
                    (rc = put_text(b, m->code)))
                    break;
                for (int f = 0; f < 5 && !rc; f++)
                    if (!(rc = put_sep(b, ',')))
                        rc = put_num(b, v[f]);
                if (!rc)
                    rc = put_sep(b, '\n');
            } else if (table == CRIT_CSV_EXPORTS &&
                       (m->xtax[i] != 0 || m->xtax_rate[i] != 0 ||
                        isfinite(m->quota[i]))) {
                if ((rc = put_text(b, m->code)) || (rc = put_sep(b, ',')) ||
                    (rc = put_text(b, ec)) || (rc = put_sep(b, ',')) ||
                    (rc = put_num(b, m->xtax[i])) || (rc = put_sep(b, ',')) ||
                    (rc = put_num(b, m->xtax_rate[i])) ||
                    (rc = put_sep(b, ',')))
                    break;
                rc = isfinite(m->quota[i]) ? put_num(b, m->quota[i])
                                           : crit__buf_put(b, "none", 4);
                if (!rc)
                    rc = put_sep(b, '\n');
            } else if (table == CRIT_CSV_SERIES) {
                static const char *const names[] = {
                    "base_production_t_per_yr", "capacity_t_per_yr",
                    "supply_elasticity",        "base_demand_t_per_yr",
                    "demand_elasticity",        "export_tax_usd_per_t",
                    "export_tax_ad_valorem",    "export_quota_t_per_yr"};
                double v[8] = {c->s0,           c->K,       c->eta,
                               c->d0,           c->eps,     m->xtax[i],
                               m->xtax_rate[i], m->quota[i]};
                int count = isfinite(m->quota[i]) ? 8 : 7;
                for (int f = 0; f < count && !rc; f++)
                    rc = put_series(b, m->code, ec, names[f], v[f]);
            } else if (table == CRIT_CSV_ARCS) {
                for (size_t j = 0; j < n && !rc; j++) {
                    size_t a = i * w->stride + j;
                    if (i == j || (m->transport[a] == 0 && m->tariff[a] == 0 &&
                                   m->tariff_rate[a] == 0 && m->ban[a] == 0))
                        continue;
                    if ((rc = put_text(b, m->code)) || (rc = put_sep(b, ',')) ||
                        (rc = put_text(b, ec)) || (rc = put_sep(b, ',')) ||
                        (rc = put_text(b, w->eco[j].code)) ||
                        (rc = put_sep(b, ',')) ||
                        (rc = put_num(b, m->transport[a])) ||
                        (rc = put_sep(b, ',')) ||
                        (rc = put_num(b, m->tariff[a])) ||
                        (rc = put_sep(b, ',')) ||
                        (rc = put_num(b, m->tariff_rate[a])))
                        break;
                    char bans[6] = {
                        ',', (m->ban[a] & CRIT__BAN_EXPORT) ? '1' : '0', ',',
                        (m->ban[a] & CRIT__BAN_IMPORT) ? '1' : '0', '\n'};
                    rc = crit__buf_put(b, bans, 5);
                }
            }
        }
    }
    return rc;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The export options' compression: -1 (the default) means gzip when the
 * path ends in ".gz". */
static int export_compression(int *out, const char *path,
                              const crit_io_csv_options *options)
{
    int compress = -1;
    if (options) {
        int rc = crit__check_struct_size(options, CSV_OPTIONS_V1,
                                         sizeof *options, "csv options");
        if (rc)
            return rc;
        if (options->compress < -1 || options->compress > 1)
            return crit__error(CRIT_EINVAL,
                               "csv export: compress %ld is not -1, 0 or 1",
                               (long)options->compress);
        compress = options->compress;
    }
    *out = compress < 0 ? ends_with(path, ".gz") : compress;
    return CRIT_OK;
}

/* Write rendered text (gzipped if asked) atomically to path, unless
 * rendering failed (rc); frees the text either way. */
static int write_export(const char *path, crit__buf *text, int compress, int rc)
{
    crit__buf gz = {0};
    if (!rc && compress)
        rc = crit__gzip(&gz, text->data, text->len, 6);
    if (!rc)
        rc = compress ? crit__write_file_atomic(path, gz.data, gz.len)
                      : crit__write_file_atomic(path, text->data, text->len);
    crit__buf_free(text);
    crit__buf_free(&gz);
    return rc;
}

/* One export: the compression the options and the name ask for, the
 * text rendered by fn(ctx) in the C locale, written atomically. */
typedef int (*render_fn)(crit__buf *b, const void *ctx);

typedef struct render_job {
    render_fn fn;
    crit__buf *text;
    const void *ctx;
} render_job;

/* numbers written with a '.' whatever the program's locale */
static int run_render(void *ctx)
{
    const render_job *j = ctx;
    return j->fn(j->text, j->ctx);
}

static int export_csv(const char *path, const crit_io_csv_options *options,
                      render_fn fn, const void *ctx)
{
    int compress = 0;
    int rc = export_compression(&compress, path, options);
    if (rc)
        return rc;
    crit__buf text = {0};
    render_job job = {fn, &text, ctx};
    rc = crit__in_c_locale(run_render, &job);
    return write_export(path, &text, compress, rc);
}

typedef struct world_table {
    const crit_world *world;
    int32_t table;
} world_table;

static int render_world(crit__buf *b, const void *ctx)
{
    const world_table *c = ctx;
    return render(b, c->world, c->table);
}

int crit_io_csv_export(const char *path, const crit_world *world, int32_t table,
                       const crit_io_csv_options *options)
{
    if (!path || !world)
        return crit__error(CRIT_EINVAL, "csv export: NULL argument");
    int rc = check_table(table, 0);
    if (rc)
        return rc;
    world_table c = {world, table};
    return export_csv(path, options, render_world, &c);
}

/* ---- market results ---------------------------------------------------- */

static int put_result(crit__buf *b, const char *mineral, const char *economy,
                      const char *series, int32_t period, double value)
{
    char per[24];
    int n = snprintf(per, sizeof per, ",%ld,", (long)period);
    int rc;
    if ((rc = put_text(b, mineral)) || (rc = put_sep(b, ',')) ||
        (rc = put_text(b, economy)) || (rc = put_sep(b, ',')) ||
        (rc = crit__buf_put(b, series, strlen(series))) ||
        (rc = crit__buf_put(b, per, (size_t)n)) || (rc = put_num(b, value)))
        return rc;
    return put_sep(b, '\n');
}

typedef struct market_period {
    const crit_market *market;
    int32_t period;
} market_period;

static int render_market(crit__buf *b, const void *ctx)
{
    const crit_market *market = ((const market_period *)ctx)->market;
    int32_t period = ((const market_period *)ctx)->period;
    crit_market_info info;
    crit_market_info_init(&info);
    int rc = crit_market_info_get(&info, market);
    if (rc)
        return rc;
    const crit_world *w = market->world;
    const char *mineral = w->min[market->mineral].code;
    size_t n = market->n;
    double *v = crit__malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return crit__error_oom();
    rc = put_header(b, CRIT_CSV_SERIES);
    const struct {
        const char *name;
        double value;
    } summary[] = {{"residual", info.residual},
                   {"levy_usd_per_t", info.levy_usd_per_t},
                   {"levy_revenue_usd", info.levy_revenue_usd},
                   {"total_demand_t", info.total_demand_t},
                   {"period_years", info.period_years}};
    for (size_t s = 0; s < sizeof summary / sizeof *summary && !rc; s++)
        rc = put_result(b, mineral, "", summary[s].name, period,
                        summary[s].value);
    for (int32_t q = 0; q < CRIT_MARKET_QUANTITY_COUNT && !rc; q++) {
        int vr = crit_market_values(v, n, market, q);
        if (vr == CRIT_ESTATE && q >= CRIT_MARKET_CONSUMER_SURPLUS_CHANGE)
            continue; /* surplus changes exist only with a reference */
        if ((rc = vr))
            break;
        const char *name = crit_market_quantity_name(q);
        for (size_t i = 0; i < n && i < w->n_eco && !rc; i++)
            rc = put_result(b, mineral, w->eco[i].code, name, period, v[i]);
    }
    crit__free(v);
    return rc;
}

int crit_io_csv_export_market(const char *path, const crit_market *market,
                              int32_t period,
                              const crit_io_csv_options *options)
{
    if (!path || !market)
        return crit__error(CRIT_EINVAL, "csv market export: NULL argument");
    market_period c = {market, period};
    return export_csv(path, options, render_market, &c);
}

/* ---- scenario results -------------------------------------------------- */

/* One row of a result: mineral,economy,series,period,value,date,stockpile,
 * loan; labels a series does not have are empty (NULL), loan < 0 none. */
static int put_result_row(crit__buf *b, const char *mineral,
                          const char *economy, const char *series, size_t t,
                          const char *date, double value, const char *stockpile,
                          long loan)
{
    char per[32];
    int n = snprintf(per, sizeof per, ",%lu,", (unsigned long)t);
    int rc;
    if ((mineral && (rc = put_text(b, mineral))) || (rc = put_sep(b, ',')) ||
        (economy && (rc = put_text(b, economy))) || (rc = put_sep(b, ',')) ||
        (rc = crit__buf_put(b, series, strlen(series))) ||
        (rc = crit__buf_put(b, per, (size_t)n)) || (rc = put_num(b, value)) ||
        (rc = put_sep(b, ',')) || (rc = crit__buf_put(b, date, strlen(date))) ||
        (rc = put_sep(b, ',')) ||
        (stockpile && (rc = put_text(b, stockpile))) || (rc = put_sep(b, ',')))
        return rc;
    if (loan >= 0) {
        n = snprintf(per, sizeof per, "%ld", loan);
        if ((rc = crit__buf_put(b, per, (size_t)n)))
            return rc;
    }
    return put_sep(b, '\n');
}

static int render_result(crit__buf *b, const void *ctx)
{
    const crit_result *r = ctx;
    static const char header[] =
        "mineral,economy,series,period,value,date,stockpile,loan\n";
    int rc = crit__buf_put(b, header, sizeof header - 1);
    const crit_world *w = r->world;
    for (int32_t q = 0; q < CRIT_SERIES_COUNT && !rc; q++) {
        const char *name = crit_series_name(q);
        int axes = crit__series_axes(q);
        size_t d[3];
        int32_t rank;
        if ((rc = crit_result_series_shape(d, &rank, r, q)))
            break;
        size_t inner = d[1] * d[2];
        const double *v = r->data[q];
        for (size_t t = 0; t < r->T && !rc; t++) {
            char date[16];
            if ((rc = crit_date_format(date, sizeof date, r->dates[t])))
                break;
            for (size_t a = 0; a < d[1] && !rc; a++)
                for (size_t c = 0; c < d[2] && !rc; c++) {
                    const char *mineral = NULL, *economy = NULL, *sp = NULL;
                    long loan = -1;
                    switch (axes) {
                    case CRIT__SHAPE_TKE:
                        mineral = w->min[a].code, economy = w->eco[c].code;
                        break;
                    case CRIT__SHAPE_TK:
                        mineral = w->min[a].code;
                        break;
                    case CRIT__SHAPE_TSK:
                        sp = r->sp_name[a], mineral = w->min[c].code;
                        break;
                    case CRIT__SHAPE_TS:
                        sp = r->sp_name[a];
                        break;
                    case CRIT__SHAPE_TL:
                        loan = (long)a;
                        break;
                    default:
                        break;
                    }
                    rc = put_result_row(b, mineral, economy, name, t, date,
                                        v[t * inner + a * d[2] + c], sp, loan);
                }
        }
    }
    return rc;
}

int crit_io_csv_export_result(const char *path, const crit_result *result,
                              const crit_io_csv_options *options)
{
    if (!path || !result)
        return crit__error(CRIT_EINVAL, "csv result export: NULL argument");
    return export_csv(path, options, render_result, result);
}

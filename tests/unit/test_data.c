/*
 * The default world (crit/data.h) checked against the committed USGS
 * table itself: this test reads libcrit/data/usgs/MCS2026_Commodities_Data.csv
 * with its own small CSV reader and compares the library's indicators
 * (crit/risk.h) with the USGS values, and checks the calibration
 * identities that make the base year an equilibrium (MODEL.md sections 1
 * to 3): world base demand equals world base production for every mineral,
 * every wedge is zero, and the integrated market clears at P0 only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data_internal.h"
#include "failalloc.h"

#ifndef CRIT_TEST_USGS_CSV
#error "CRIT_TEST_USGS_CSV must name the committed USGS table"
#endif

/* ---- a small reader for the USGS long table --------------------------- */

enum {
    C_CHAPTER,
    C_SECTION,
    C_COMMODITY,
    C_COUNTRY,
    C_STAT,
    C_DETAIL,
    C_UNIT,
    C_YEAR,
    C_VALUE,
    C_NCOLS = 12
};

typedef struct {
    char *f[C_NCOLS];
    int line;
} usgs_row;

static usgs_row *rows;
static size_t nrows;
static char *text;

/* Parse one CSV field starting at *p (quotes doubled inside quotes),
 * writing it in place; returns its start and advances *p past the comma or
 * newline. */
static char *field(char **p, int *end_of_line)
{
    char *s = *p, *w = *p, *start = *p;
    if (*s == '"') {
        s++;
        for (;;) {
            if (*s == '"' && s[1] == '"') {
                *w++ = '"';
                s += 2;
            } else if (*s == '"') {
                s++;
                break;
            } else {
                assert_true(*s != '\0');
                *w++ = *s++;
            }
        }
    } else {
        while (*s && *s != ',' && *s != '\n' && *s != '\r')
            *w++ = *s++;
    }
    if (*s == '\r')
        s++;
    *end_of_line = *s != ',';
    if (*s)
        s++;
    *w = '\0';
    *p = s;
    return start;
}

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == ' ')
        s[--n] = '\0';
}

static int load_usgs(void **state)
{
    (void)state;
    FILE *f = fopen(CRIT_TEST_USGS_CSV, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = malloc((size_t)n + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
    text[n] = '\0';
    fclose(f);
    rows = calloc(10000, sizeof *rows);
    assert_non_null(rows);
    char *p = text;
    int line = 0;
    while (*p) {
        usgs_row r;
        int eol = 0, k = 0;
        line++;
        while (!eol) {
            char *v = field(&p, &eol);
            if (k < C_NCOLS)
                r.f[k] = v;
            k++;
        }
        assert_int_equal(k, C_NCOLS);
        r.line = line;
        for (int i = 0; i < C_NCOLS; i++)
            trim(r.f[i]);
        if (line > 1) {
            assert_true(nrows < 10000);
            rows[nrows++] = r;
        }
    }
    return 0;
}

static int unload_usgs(void **state)
{
    (void)state;
    free(rows);
    free(text);
    return 0;
}

/* The one 2025 row of a chapter/commodity/country/detail in a section
 * starting with `section`. */
static const usgs_row *usgs_find(const char *section, const char *chapter,
                                 const char *commodity, const char *country,
                                 const char *detail)
{
    const usgs_row *found = NULL;
    for (size_t i = 0; i < nrows; i++) {
        const usgs_row *r = &rows[i];
        if (strcmp(r->f[C_YEAR], "2025") == 0 &&
            strncmp(r->f[C_SECTION], section, strlen(section)) == 0 &&
            strcmp(r->f[C_CHAPTER], chapter) == 0 &&
            strcmp(r->f[C_COMMODITY], commodity) == 0 &&
            strcmp(r->f[C_COUNTRY], country) == 0 &&
            strcmp(r->f[C_DETAIL], detail) == 0) {
            assert_null(found);
            found = r;
        }
    }
    if (!found)
        fail_msg("no USGS row %s / %s / %s / %s", chapter, commodity, country,
                 detail);
    return found;
}

/* A USGS number: thousands separators removed; the zero dash is 0. */
static double usgs_number(const usgs_row *r)
{
    const char *v = r->f[C_VALUE];
    if (strcmp(v, "\x97") == 0)
        return 0;
    char buf[64];
    size_t k = 0;
    for (; *v && k + 1 < sizeof buf; v++)
        if (*v != ',')
            buf[k++] = *v;
    buf[k] = '\0';
    char *end;
    double x = strtod(buf, &end);
    if (*end != '\0' || k == 0)
        fail_msg("line %d: '%s' is not a number", r->line, r->f[C_VALUE]);
    return x;
}

static double tonnes(const usgs_row *r)
{
    const char *u = r->f[C_UNIT];
    double k = strcmp(u, "metric tons") == 0            ? 1
               : strcmp(u, "thousand metric tons") == 0 ? 1e3
               : strcmp(u, "kilograms") == 0            ? 1e-3
                                                        : -1;
    assert_true(k > 0);
    return usgs_number(r) * k;
}

/* World production of a mineral in the USGS table: the rounded total, and
 * the sum of the numeric country rows. */
static void usgs_world(double *out_total, double *out_rows, const char *chapter,
                       const char *commodity, const char *detail)
{
    char rounded[200];
    *out_total = -1;
    *out_rows = 0;
    for (size_t i = 0; i < nrows; i++) {
        const usgs_row *r = &rows[i];
        if (strcmp(r->f[C_YEAR], "2025") != 0 ||
            strncmp(r->f[C_SECTION], "World", 5) != 0 ||
            strcmp(r->f[C_CHAPTER], chapter) != 0 ||
            strcmp(r->f[C_COMMODITY], commodity) != 0)
            continue;
        snprintf(rounded, sizeof rounded, "%s: rounded", detail);
        int total = strncmp(r->f[C_COUNTRY], "World total", 11) == 0;
        if (total && strcmp(r->f[C_DETAIL], rounded) == 0) {
            *out_total = tonnes(r);
            continue;
        }
        snprintf(rounded, sizeof rounded, "%s, rounded", detail);
        if (total && strcmp(r->f[C_DETAIL], rounded) == 0) {
            *out_total = tonnes(r);
            continue;
        }
        const char *v = r->f[C_VALUE];
        if (!total && strcmp(r->f[C_DETAIL], detail) == 0 &&
            strcmp(v, "W") != 0 && strcmp(v, "NA") != 0)
            *out_rows += tonnes(r);
    }
    assert_true(*out_total > 0);
}

/* ---- helpers on the default world ------------------------------------- */

static crit_world *world;

static int setup_world(void **state)
{
    (void)state;
    return crit_world_default(&world) == CRIT_OK ? 0 : -1;
}

static int teardown_world(void **state)
{
    (void)state;
    crit_world_free(world);
    world = NULL;
    return 0;
}

static crit_curve_def curve(const char *economy, const char *mineral)
{
    crit_curve_def c;
    crit_curve_def_init(&c);
    assert_int_equal(crit_world_curve_get(&c, world, economy, mineral),
                     CRIT_OK);
    return c;
}

static double world_production(const char *mineral)
{
    double x = -1;
    assert_int_equal(crit_risk_world_production(&x, world, mineral), CRIT_OK);
    return x;
}

/* The world total the library must reproduce (docs/data.md): the USGS
 * world total, unless the economies the library lists alone add up to
 * more, in which case the sum of the USGS country rows. */
static double expected_world(const char *mineral, const char *chapter,
                             const char *commodity, const char *detail)
{
    double total, sum_rows, listed = 0;
    usgs_world(&total, &sum_rows, chapter, commodity, detail);
    for (size_t i = 0; i < crit_world_economy_count(world); i++) {
        const char *e = crit_world_economy_code(world, i);
        if (strcmp(e, "ROW") != 0)
            listed += curve(e, mineral).base_production_t_per_yr;
    }
    return listed <= total * (1 + 1e-12) ? total : sum_rows;
}

struct mineral_src {
    const char *code, *chapter, *commodity, *detail;
};

/* Read from libcrit/data/minerals.csv's selection: every mineral of the
 * default world and the USGS series of its world production. */
static const struct mineral_src minerals[] = {
    {"REE", "RARE EARTHS", "Rare Earths", "Mine production"},
    {"Ga", "GALLIUM", "Gallium", "Primary production"},
    {"Sb", "ANTIMONY", "Antimony", "Mine production"},
    {"graphite", "GRAPHITE (NATURAL)", "Graphite (Natural)", "Mine production"},
    {"Li", "LITHIUM", "Lithium", "Mine production"},
    {"Co", "COBALT", "Cobalt", "Mine production"},
    {"Ni", "NICKEL", "Nickel", "Mine production"},
    {"W", "TUNGSTEN", "Tungsten", "Mine production"},
    {"Mn", "MANGANESE", "Manganese", "Mine production"},
    {"Pt", "PLATINUM-GROUP METALS", "Platinum", "Mine production: Platinum"},
    {"Pd", "PLATINUM-GROUP METALS", "Palladium", "Mine production: Palladium"},
    {"Sn", "TIN", "Tin", "Mine production"},
    {"Ti", "TITANIUM AND TITANIUM DIOXIDE", "Titanium Sponge Metal",
     "Titanium sponge metal production"},
    {"V", "VANADIUM", "Vanadium", "Mine production"},
    {"Nb", "NIOBIUM (COLUMBIUM)", "Niobium (Columbium)", "Mine production"},
    {"Ta", "TANTALUM", "Tantalum", "Mine production"},
    {"Al", "ALUMINUM", "Aluminum", "Smelter production"},
    {"Bi", "BISMUTH", "Bismuth", "Refinery production"},
    {"In", "INDIUM", "Indium", "Refinery production"},
    {"Mg", "MAGNESIUM METAL", "Magnesium Metal", "Smelter production"},
    {"Te", "TELLURIUM", "Tellurium", "Refinery production"},
    {"Be", "BERYLLIUM", "Beryllium", "Mine production"},
    {"Cu", "COPPER", "Copper", "Mine production"},
    {"CaF2", "FLUORSPAR", "Fluorspar", "Mine production"},
    {"Zn", "ZINC", "Zinc", "Mine production"},
    {"Pb", "LEAD", "Lead", "Mine production"},
    {"Ag", "SILVER", "Silver", "Mine production"},
    {"Re", "RHENIUM", "Rhenium", "Mine production"},
    {"Cr", "CHROMIUM", "Chromium", "Mine production"},
};
#define N_MINERALS (sizeof minerals / sizeof minerals[0])

static const struct mineral_src *src_of(const char *code)
{
    for (size_t k = 0; k < N_MINERALS; k++)
        if (strcmp(minerals[k].code, code) == 0)
            return &minerals[k];
    fail_msg("mineral %s", code);
    return NULL;
}

static double close_rel(double a, double b)
{
    return fabs(a - b) <= 1e-12 * fmax(fabs(a), fabs(b));
}

/* ---- tests ------------------------------------------------------------ */

static void test_minerals_and_economies(void **state)
{
    (void)state;
    assert_int_equal(crit_world_mineral_count(world), N_MINERALS);
    for (size_t k = 0; k < N_MINERALS; k++) {
        size_t idx;
        assert_int_equal(
            crit_world_mineral_index(&idx, world, minerals[k].code), CRIT_OK);
    }
    /* The coalition: the Minerals Security Partnership, EU folded in. */
    const char *members[] = {"USA", "EU",  "JPN", "KOR", "GBR",
                             "CAN", "AUS", "IND", "NOR"};
    assert_int_equal(crit_world_member_count(world), 9);
    for (size_t i = 0; i < 9; i++) {
        crit_economy_def e;
        crit_economy_def_init(&e);
        size_t idx;
        assert_int_equal(crit_world_economy_index(&idx, world, members[i]),
                         CRIT_OK);
        assert_int_equal(crit_world_economy_get(&e, world, idx), CRIT_OK);
        assert_int_equal(e.member, 1);
    }
    size_t idx;
    assert_int_equal(crit_world_economy_index(&idx, world, "CHN"), CRIT_OK);
    assert_int_equal(crit_world_economy_index(&idx, world, "ROW"), CRIT_OK);
    /* Members of the EU are not economies of their own. */
    assert_int_equal(crit_world_economy_index(&idx, world, "DEU"),
                     CRIT_ENOTFOUND);
    assert_int_equal(crit_world_economy_index(&idx, world, "POL"),
                     CRIT_ENOTFOUND);
}

/* Every country with at least 5 % of USGS world production of a mineral is
 * an economy of its own, with its USGS production. */
static void test_large_producers_are_economies(void **state)
{
    (void)state;
    static const struct {
        const char *country, *economy;
    } iso[] = {{"China", "CHN"},        {"Congo (Kinshasa)", "COD"},
               {"Indonesia", "IDN"},    {"Australia", "AUS"},
               {"Chile", "CHL"},        {"Russia", "RUS"},
               {"South Africa", "ZAF"}, {"Brazil", "BRA"},
               {"Burma", "MMR"},        {"Peru", "PER"},
               {"Gabon", "GAB"},        {"Argentina", "ARG"}};
    size_t checked = 0;
    for (size_t k = 0; k < N_MINERALS; k++) {
        const struct mineral_src *m = &minerals[k];
        double w = world_production(m->code);
        for (size_t c = 0; c < sizeof iso / sizeof iso[0]; c++) {
            for (size_t i = 0; i < nrows; i++) {
                const usgs_row *r = &rows[i];
                if (strcmp(r->f[C_YEAR], "2025") != 0 ||
                    strncmp(r->f[C_SECTION], "World", 5) != 0 ||
                    strcmp(r->f[C_CHAPTER], m->chapter) != 0 ||
                    strcmp(r->f[C_COMMODITY], m->commodity) != 0 ||
                    strcmp(r->f[C_DETAIL], m->detail) != 0 ||
                    strcmp(r->f[C_COUNTRY], iso[c].country) != 0)
                    continue;
                const char *val = r->f[C_VALUE];
                if (strcmp(val, "W") == 0 || strcmp(val, "NA") == 0)
                    continue;
                double v = tonnes(r);
                if (v < 0.05 * w)
                    continue;
                crit_curve_def cv = curve(iso[c].economy, m->code);
                assert_true(close_rel(cv.base_production_t_per_yr, v));
                checked++;
            }
        }
    }
    assert_true(checked > 30);
}

static void test_world_totals_match_usgs(void **state)
{
    (void)state;
    size_t exact = 0;
    for (size_t k = 0; k < N_MINERALS; k++) {
        const struct mineral_src *m = &minerals[k];
        double total, sum_rows;
        usgs_world(&total, &sum_rows, m->chapter, m->commodity, m->detail);
        double want =
            expected_world(m->code, m->chapter, m->commodity, m->detail);
        double got = world_production(m->code);
        if (!close_rel(got, want))
            fail_msg("%s: world production %.17g, USGS %.17g", m->code, got,
                     want);
        /* Where the sum of the rows is used, it stays within USGS's
         * rounding of the total. */
        assert_true(fabs(got - total) <= 0.035 * total);
        exact += got == total;
    }
    assert_true(exact >= N_MINERALS - 3);
}

static void test_china_rare_earth_share(void **state)
{
    (void)state;
    const usgs_row *chn = usgs_find("World", "RARE EARTHS", "Rare Earths",
                                    "China", "Mine production");
    const struct mineral_src *m = src_of("REE");
    double w = expected_world("REE", m->chapter, m->commodity, m->detail);
    size_t top;
    double share;
    assert_int_equal(crit_risk_top_producer(&top, &share, world, "REE"),
                     CRIT_OK);
    assert_string_equal(crit_world_economy_code(world, top), "CHN");
    assert_true(close_rel(share, tonnes(chn) / w));
    /* China mined about two thirds of the world's rare earths in 2025. */
    assert_true(share > 0.6 && share < 0.8);
}

static void test_congo_cobalt_share(void **state)
{
    (void)state;
    const usgs_row *cod = usgs_find("World", "COBALT", "Cobalt",
                                    "Congo (Kinshasa)", "Mine production");
    double w = expected_world("Co", "COBALT", "Cobalt", "Mine production");
    size_t top;
    double share;
    assert_int_equal(crit_risk_top_producer(&top, &share, world, "Co"),
                     CRIT_OK);
    assert_string_equal(crit_world_economy_code(world, top), "COD");
    assert_true(close_rel(share, tonnes(cod) / w));
}

static void test_china_gallium_share(void **state)
{
    (void)state;
    const usgs_row *chn =
        usgs_find("World", "GALLIUM", "Gallium", "China", "Primary production");
    double w = expected_world("Ga", "GALLIUM", "Gallium", "Primary production");
    size_t top;
    double share;
    assert_int_equal(crit_risk_top_producer(&top, &share, world, "Ga"),
                     CRIT_OK);
    assert_string_equal(crit_world_economy_code(world, top), "CHN");
    assert_true(close_rel(share, tonnes(chn) / w));
    assert_true(share > 0.98);
    /* Capacity comes from the USGS capacity table. */
    const usgs_row *cap = usgs_find("World", "GALLIUM", "Gallium", "China",
                                    "Production capacity");
    assert_true(close_rel(curve("CHN", "Ga").capacity_t_per_yr, tonnes(cap)));
}

/* U.S. net import reliance: MODEL.md section 10's (d0 - s0) / d0 with the
 * USGS consumption as d0 and the USGS U.S. production as s0. */
static void test_us_net_import_reliance(void **state)
{
    (void)state;
    static const struct {
        const char *code, *consumption, *nir;
    } cases[] = {
        {"Ga", "Consumption, reported",
         "Net import reliance as a percentage of reported consumption"},
        {"graphite", "Consumption, apparent",
         "Net import reliance as a percentage of apparent consumption"},
        {"Mn", "Consumption, apparent, manganese content",
         "Net import reliance as a percentage of apparent consumption, "
         "manganese content"},
        {"Nb", "Consumption: Apparent",
         "Net import reliance as a percentage of apparent consumption"},
        {"Ta", "Consumption, apparent",
         "Net import reliance as a percentage of apparent consumption"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct mineral_src *m = src_of(cases[i].code);
        const usgs_row *nir = usgs_find("Salient", m->chapter, m->commodity,
                                        "United States", cases[i].nir);
        const usgs_row *cons = usgs_find("Salient", m->chapter, m->commodity,
                                         "United States", cases[i].consumption);
        const usgs_row *prod = usgs_find("World", m->chapter, m->commodity,
                                         "United States", m->detail);
        /* These minerals: no U.S. primary production, 100 % reliance. */
        assert_true(usgs_number(nir) == 100);
        double got;
        assert_int_equal(
            crit_risk_net_import_reliance(&got, world, "USA", cases[i].code),
            CRIT_OK);
        assert_true(close_rel(got, usgs_number(nir) / 100));
        assert_true(close_rel(curve("USA", cases[i].code).base_demand_t_per_yr,
                              tonnes(cons)));
        assert_true(tonnes(prod) == 0);
        /* The USGS figure itself, through the provenance records. */
        crit_data_record rec;
        crit_data_record_init(&rec);
        assert_int_equal(crit_data_source(&rec, cases[i].code, "USA",
                                          "us_net_import_reliance"),
                         CRIT_OK);
        assert_true(rec.value == usgs_number(nir) / 100);
    }
    /* Cobalt: the library counts primary (mine) production only, USGS
     * counts secondary production as domestic supply too. */
    const usgs_row *cons =
        usgs_find("Salient", "COBALT", "Cobalt", "United States",
                  "Consumption (includes secondary): Apparent");
    const usgs_row *mine = usgs_find("World", "COBALT", "Cobalt",
                                     "United States", "Mine production");
    double got;
    assert_int_equal(crit_risk_net_import_reliance(&got, world, "USA", "Co"),
                     CRIT_OK);
    assert_true(close_rel(got, (tonnes(cons) - tonnes(mine)) / tonnes(cons)));
    crit_data_record rec;
    crit_data_record_init(&rec);
    assert_int_equal(
        crit_data_source(&rec, "Co", "USA", "us_net_import_reliance"), CRIT_OK);
    const usgs_row *nir = usgs_find(
        "Salient", "COBALT", "Cobalt", "United States",
        "Net import reliance as a percentage of apparent consumption");
    assert_true(rec.value == usgs_number(nir) / 100);
    /* Rare earths: USGS says net exporter (E) of mineral concentrates, and
     * so does the library. */
    const usgs_row *ree = usgs_find(
        "Salient", "RARE EARTHS", "Rare Earths", "United States",
        "Net import reliance as a percentage of apparent consumption: "
        "Mineral concentrates");
    assert_string_equal(ree->f[C_VALUE], "E");
    assert_int_equal(crit_risk_net_import_reliance(&got, world, "USA", "REE"),
                     CRIT_OK);
    assert_true(got < 0);
}

/* MODEL.md sections 1-3: with zero wedges the minerals clear on one
 * integrated market; world demand equals world production at P0, so P0 is
 * the equilibrium price, and excess demand changes sign around it. */
static void test_base_year_equilibrium_identities(void **state)
{
    (void)state;
    for (size_t k = 0; k < crit_world_mineral_count(world); k++) {
        const char *m = crit_world_mineral_code(world, k);
        crit_mineral_def def;
        crit_mineral_def_init(&def);
        assert_int_equal(crit_world_mineral_get(&def, world, k), CRIT_OK);
        assert_true(def.base_price_usd_per_t > 0);
        double S = 0, D = 0, Zlo = 0, Zhi = 0;
        size_t n = crit_world_economy_count(world);
        for (size_t i = 0; i < n; i++) {
            const char *e = crit_world_economy_code(world, i);
            crit_curve_def c = curve(e, m);
            if (c.base_production_t_per_yr == 0 && c.base_demand_t_per_yr == 0)
                continue; /* no curve: the economy is absent from it */
            assert_true(c.base_production_t_per_yr >= 0);
            assert_true(c.capacity_t_per_yr >= c.base_production_t_per_yr);
            assert_true(c.base_demand_t_per_yr >= 0);
            assert_true(c.supply_elasticity > 0);
            assert_true(c.demand_elasticity > 0);
            S += c.base_production_t_per_yr;
            D += c.base_demand_t_per_yr;
            for (int side = 0; side < 2; side++) {
                double r = side ? 1.01 : 0.99;
                double s =
                    fmin(c.capacity_t_per_yr, c.base_production_t_per_yr *
                                                  pow(r, c.supply_elasticity));
                double d =
                    c.base_demand_t_per_yr * pow(r, -c.demand_elasticity);
                *(side ? &Zhi : &Zlo) += d - s;
            }
            for (size_t j = 0; j < n; j++) {
                if (i == j)
                    continue;
                double wedge = -1;
                int32_t allowed = 0;
                assert_int_equal(
                    crit_world_arc_wedge(&wedge, &allowed, world, m, e,
                                         crit_world_economy_code(world, j)),
                    CRIT_OK);
                assert_true(wedge == 0);
                assert_int_equal(allowed, 1);
            }
        }
        if (!close_rel(S, D))
            fail_msg("%s: world demand %.17g != production %.17g", m, D, S);
        assert_true(close_rel(S, world_production(m)));
        assert_true(Zlo > 0);
        assert_true(Zhi < 0);
    }
}

static void test_provenance(void **state)
{
    (void)state;
    const usgs_row *cod = usgs_find("World", "COBALT", "Cobalt",
                                    "Congo (Kinshasa)", "Mine production");
    crit_data_record rec;
    crit_data_record_init(&rec);
    assert_int_equal(crit_data_source(&rec, "Co", "COD", "production"),
                     CRIT_OK);
    char line[16];
    snprintf(line, sizeof line, "%d", cod->line);
    assert_string_equal(rec.rows, line);
    assert_int_equal(rec.year, 2025);
    assert_non_null(strstr(rec.source, "MCS2026_Commodities_Data.csv"));
    assert_true(rec.value == tonnes(cod));
    assert_string_equal(rec.unit, "t/yr");
    /* Every curve value has a record equal to it. */
    for (size_t k = 0; k < crit_world_mineral_count(world); k++) {
        const char *m = crit_world_mineral_code(world, k);
        for (size_t i = 0; i < crit_world_economy_count(world); i++) {
            const char *e = crit_world_economy_code(world, i);
            crit_curve_def c = curve(e, m);
            if (c.base_production_t_per_yr == 0 && c.base_demand_t_per_yr == 0)
                continue;
            assert_int_equal(crit_data_source(&rec, m, e, "production"),
                             CRIT_OK);
            assert_true(rec.value == c.base_production_t_per_yr);
            assert_int_equal(crit_data_source(&rec, m, e, "demand"), CRIT_OK);
            assert_true(rec.value == c.base_demand_t_per_yr);
            assert_int_equal(crit_data_source(&rec, m, e, "capacity"), CRIT_OK);
            assert_true(rec.value == c.capacity_t_per_yr);
            assert_true(rec.note[0] != '\0');
        }
        crit_mineral_def def;
        crit_mineral_def_init(&def);
        crit_world_mineral_get(&def, world, k);
        assert_int_equal(crit_data_source(&rec, m, NULL, "base_price"),
                         CRIT_OK);
        assert_true(rec.value == def.base_price_usd_per_t);
        assert_true(rec.rows[0] != '\0');
    }
    /* Cobalt's price: LME cash, dollars per pound, to USD per tonne. */
    const usgs_row *p =
        usgs_find("Salient", "COBALT", "Cobalt", "United States",
                  "Price, average, dollars per pound: London Metal Exchange "
                  "(LME), cash");
    crit_mineral_def def;
    crit_mineral_def_init(&def);
    size_t idx;
    crit_world_mineral_index(&idx, world, "Co");
    crit_world_mineral_get(&def, world, idx);
    assert_true(fabs(def.base_price_usd_per_t -
                     usgs_number(p) * 1e6 / 453.59237) < 1e-6);
    assert_int_equal(crit_data_source(&rec, "", "USA", "member"), CRIT_OK);
    assert_true(rec.value == 1);

    /* Errors, and the listing. */
    assert_int_equal(crit_data_source(&rec, "Co", "GAB", "production"),
                     CRIT_ENOTFOUND);
    assert_int_equal(crit_data_source(&rec, "Co", "COD", NULL), CRIT_EINVAL);
    assert_int_equal(crit_data_source(NULL, "Co", "COD", "production"),
                     CRIT_EINVAL);
    crit_data_record small;
    crit_data_record_init(&small);
    small.size = sizeof(size_t);
    assert_int_equal(crit_data_record_get(&small, 0), CRIT_EINVAL);
    size_t n = crit_data_record_count();
    assert_true(n > 100);
    assert_int_equal(crit_data_record_get(&rec, n), CRIT_ERANGE);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(crit_data_record_get(&rec, i), CRIT_OK);
        assert_non_null(rec.field);
        assert_non_null(rec.source);
        assert_true(rec.note[0] != '\0');
    }
    const char *v = crit_data_version();
    assert_non_null(strstr(v, "Mineral Commodity Summaries 2026"));
    assert_non_null(strstr(v, "year 2025"));
    assert_non_null(strstr(v, "assumptions r"));
}

/* Every mineral-wide number of the default world equals its provenance
 * record: prices, holding cost, the elasticities of each curve and the
 * transport cost (rate times P0) of every arc; every economy's
 * membership equals its "member" record. */
static void test_default_world_matches_its_records(void **state)
{
    (void)state;
    crit_data_record rec;
    crit_data_record_init(&rec);
    size_t n = crit_world_economy_count(world);
    for (size_t k = 0; k < crit_world_mineral_count(world); k++) {
        const char *m = crit_world_mineral_code(world, k);
        crit_mineral_def def;
        crit_mineral_def_init(&def);
        assert_int_equal(crit_world_mineral_get(&def, world, k), CRIT_OK);
        assert_int_equal(crit_data_source(&rec, m, "", "choke_price"), CRIT_OK);
        assert_true(close_rel(def.choke_price_usd_per_t, rec.value));
        assert_int_equal(crit_data_source(&rec, m, "", "holding_cost"),
                         CRIT_OK);
        assert_true(close_rel(def.holding_cost_usd_per_t_yr, rec.value));
        double eta, eps, rate;
        assert_int_equal(crit_data_source(&rec, m, "", "supply_elasticity"),
                         CRIT_OK);
        eta = rec.value;
        assert_int_equal(crit_data_source(&rec, m, "", "demand_elasticity"),
                         CRIT_OK);
        eps = rec.value;
        assert_int_equal(crit_data_source(&rec, m, "", "transport_rate"),
                         CRIT_OK);
        rate = rec.value;
        for (size_t i = 0; i < n; i++) {
            const char *e = crit_world_economy_code(world, i);
            crit_curve_def c = curve(e, m);
            if (c.base_production_t_per_yr != 0 ||
                c.base_demand_t_per_yr != 0) {
                assert_true(c.supply_elasticity == eta);
                assert_true(c.demand_elasticity == eps);
            }
            for (size_t j = 0; j < n; j++) {
                if (i == j)
                    continue;
                double tr = -1;
                assert_int_equal(
                    crit_world_arc_get(&tr, NULL, NULL, world, m, e,
                                       crit_world_economy_code(world, j)),
                    CRIT_OK);
                assert_true(close_rel(tr, rate * def.base_price_usd_per_t));
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        crit_economy_def e;
        crit_economy_def_init(&e);
        assert_int_equal(crit_world_economy_get(&e, world, i), CRIT_OK);
        assert_int_equal(crit_data_source(&rec, "", e.code, "member"), CRIT_OK);
        assert_true(rec.value == (e.member ? 1 : 0));
    }
}

static void test_default_world_is_valid_and_independent(void **state)
{
    (void)state;
    crit_world *a = NULL, *copy = NULL;
    assert_int_equal(crit_world_default(&a), CRIT_OK);
    assert_int_equal(crit_world_equal(a, world), 1);
    assert_int_equal(crit_world_copy(&copy, a), CRIT_OK);
    crit_curve_def c;
    crit_curve_def_init(&c);
    c.base_production_t_per_yr = 1;
    c.capacity_t_per_yr = 1;
    assert_int_equal(crit_world_set_curve(a, "USA", "Ga", &c), CRIT_OK);
    assert_int_equal(crit_world_equal(a, world), 0);
    assert_int_equal(crit_world_equal(copy, world), 1);
    crit_world_free(a);
    crit_world_free(copy);
    assert_int_equal(crit_world_default(NULL), CRIT_EINVAL);
}

/* ---- allocation failure ----------------------------------------------- */

static failalloc fa;

static int op_default(void *p)
{
    return crit_world_default((crit_world **)p);
}

static void default_unchanged(void *p)
{
    assert_null(*(crit_world **)p);
}

static void test_default_world_alloc_failure(void **state)
{
    (void)state;
    crit_world_free(world);
    world = NULL;
    assert_int_equal(failalloc_install(&fa), 0);
    crit_world *out = NULL;
    uint64_t n =
        failalloc_run(&fa, FAILALLOC_FROM, op_default, default_unchanged, &out);
    assert_true(n > 0);
    crit_world_free(out);
    out = NULL;
    failalloc_run(&fa, FAILALLOC_ONLY, op_default, default_unchanged, &out);
    crit_world_free(out);
    assert_int_equal(failalloc_uninstall(&fa), 0);
    assert_int_equal(crit_world_default(&world), CRIT_OK);
}

/* Refused calls: NULL outputs and fields, a too small record, an index
 * past the table; NULL codes read as "" and init ignores NULL. */
static void test_data_refused_calls(void **state)
{
    (void)state;
    crit_data_record_init(NULL);
    crit_data_record rec;
    crit_data_record_init(&rec);
    crit_error_clear();
    assert_int_equal(crit_world_default(NULL), CRIT_EINVAL);
    assert_string_equal(crit_error_last(), "default world: out is NULL");
    assert_int_equal(crit_data_record_get(NULL, 0), CRIT_EINVAL);
    assert_string_equal(crit_error_last(), "data record: out is NULL");
    assert_int_equal(crit_data_source(NULL, "Co", "USA", "production"),
                     CRIT_EINVAL);
    assert_string_equal(crit_error_last(), "data record: out is NULL");
    size_t n = crit_data_record_count();
    assert_int_equal(crit_data_record_get(&rec, n), CRIT_ERANGE);
    assert_non_null(strstr(crit_error_last(), "out of range"));
    rec.size = 8;
    assert_int_equal(crit_data_record_get(&rec, 0), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "data record: size 8"));
    assert_int_equal(crit_data_source(&rec, "Co", "USA", "production"),
                     CRIT_EINVAL);
    crit_data_record_init(&rec);
    assert_string_equal(rec.field, "");
    /* a NULL mineral is "", an economy's own record */
    assert_int_equal(crit_data_source(&rec, NULL, "USA", "member"), CRIT_OK);
    assert_string_equal(rec.mineral, "");
    assert_string_equal(rec.field, "member");
    assert_int_equal(crit_data_source(&rec, NULL, NULL, "member"),
                     CRIT_ENOTFOUND);
    assert_non_null(strstr(crit_error_last(), "no record of field 'member' "
                                              "for mineral '', economy ''"));
    assert_string_equal(rec.economy, "USA");
}

/* Init sets every string to "" (never NULL, crit/data.h), the numbers to
 * 0 and the size; a refused read leaves every field of the record as it
 * was. */
static void test_data_record_init_and_refusals_untouched(void **state)
{
    (void)state;
    crit_data_record rec;
    memset(&rec, 0xA5, sizeof rec);
    crit_data_record_init(&rec);
    assert_int_equal(rec.size, sizeof rec);
    const char *strings[] = {rec.mineral, rec.economy, rec.field, rec.unit,
                             rec.source,  rec.rows,    rec.note};
    for (size_t k = 0; k < sizeof strings / sizeof *strings; k++) {
        assert_non_null(strings[k]);
        assert_string_equal(strings[k], "");
    }
    assert_true(rec.value == 0);
    assert_int_equal(rec.year, 0);

    assert_int_equal(crit_data_source(&rec, "Co", "COD", "production"),
                     CRIT_OK);
    crit_data_record before = rec;
    size_t n = crit_data_record_count();
    crit_error_clear();
    assert_int_equal(crit_data_record_get(&rec, n), CRIT_ERANGE);
    assert_int_equal(crit_error_last_code(), CRIT_ERANGE);
    char want[96];
    snprintf(want, sizeof want, "data record %zu: out of range (%zu records)",
             n, n);
    assert_string_equal(crit_error_last(), want);
    assert_memory_equal(&rec, &before, sizeof rec);
    assert_int_equal(crit_data_source(&rec, "Co", "GAB", "production"),
                     CRIT_ENOTFOUND);
    assert_int_equal(crit_error_last_code(), CRIT_ENOTFOUND);
    assert_string_equal(crit_error_last(),
                        "data source: no record of field 'production' for "
                        "mineral 'Co', economy 'GAB' in the default world");
    assert_memory_equal(&rec, &before, sizeof rec);
    assert_int_equal(crit_data_source(&rec, "Co", "COD", NULL), CRIT_EINVAL);
    assert_int_equal(crit_error_last_code(), CRIT_EINVAL);
    assert_string_equal(crit_error_last(), "data source: field is NULL");
    assert_memory_equal(&rec, &before, sizeof rec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minerals_and_economies),
        cmocka_unit_test(test_large_producers_are_economies),
        cmocka_unit_test(test_world_totals_match_usgs),
        cmocka_unit_test(test_china_rare_earth_share),
        cmocka_unit_test(test_congo_cobalt_share),
        cmocka_unit_test(test_china_gallium_share),
        cmocka_unit_test(test_us_net_import_reliance),
        cmocka_unit_test(test_base_year_equilibrium_identities),
        cmocka_unit_test(test_provenance),
        cmocka_unit_test(test_default_world_matches_its_records),
        cmocka_unit_test(test_default_world_is_valid_and_independent),
        cmocka_unit_test(test_default_world_alloc_failure),
        cmocka_unit_test(test_data_refused_calls),
        cmocka_unit_test(test_data_record_init_and_refusals_untouched),
    };
    int rc = load_usgs(NULL);
    rc = rc || setup_world(NULL);
    if (rc)
        return 1;
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    teardown_world(NULL);
    unload_usgs(NULL);
    return rc;
}

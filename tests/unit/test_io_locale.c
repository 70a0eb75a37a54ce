/*
 * CSV text and messages do not depend on the program's locale: a program
 * that called setlocale(LC_ALL, "") in a German locale (decimal comma;
 * Python's locale.setlocale() and Lua's os.setlocale() do the same) still
 * writes and reads numbers with a '.', gets messages with a '.', and
 * keeps its own locale afterwards.
 *
 * CTest runs this program with LOCPATH pointing at a de_DE.UTF-8 locale
 * that localedef built for the suite (tests/unit/CMakeLists.txt), so the
 * test needs no locale installed on the machine.
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io_worlds.h"
#include "scenario_fixtures.h"
#include "snap_edit.h"

#define COMMA_LOCALE "de_DE.UTF-8"
#define PERIODS 12 /* the full scenario's events reach period 11 */

static char dir[64];

/* The whole program runs in the decimal-comma locale; a test that cannot
 * have it fails (it is not skipped). */
static int setup(void **state)
{
    (void)state;
    if (!setlocale(LC_ALL, COMMA_LOCALE)) {
        fprintf(stderr,
                "test_io_locale: no locale %s (LOCPATH=%s); CTest builds it "
                "with localedef from Debian's locales package "
                "(scripts/setup.sh installs it)\n",
                COMMA_LOCALE, getenv("LOCPATH") ? getenv("LOCPATH") : "");
        return -1;
    }
    snprintf(dir, sizeof dir, "/tmp/crit_locale_XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    setlocale(LC_ALL, "C");
    return rmdir(dir);
}

/* The locale is the one the test set: printf writes a decimal comma. */
static void assert_comma_locale(void)
{
    char s[16];
    snprintf(s, sizeof s, "%.1f", 2.5);
    assert_string_equal(s, "2,5");
    assert_string_equal(localeconv()->decimal_point, ",");
}

/* A number written with a '.', read whatever the locale. */
static double c_strtod(const char *s, char **end)
{
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    assert_non_null(c);
    locale_t prev = uselocale(c);
    double v = strtod(s, end);
    uselocale(prev);
    freelocale(c);
    return v;
}

/* Every line has `fields` fields (commas outside quotes + 1): a number
 * written with a decimal comma would add one. */
static void assert_fields(const char *text, size_t n, int fields)
{
    int in_quotes = 0, commas = 0, lines = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = text[i];
        if (ch == '"')
            in_quotes = !in_quotes;
        else if (ch == ',' && !in_quotes)
            commas++;
        else if (ch == '\n' && !in_quotes) {
            if (commas != fields - 1)
                fail_msg("line %d has %d fields, not %d", lines + 1, commas + 1,
                         fields);
            commas = 0;
            lines++;
        }
    }
    assert_true(lines > 1);
}

static char *slurp_text(const char *path, size_t *n)
{
    unsigned char *d = snap_slurp(path, n);
    char *t = realloc(d, *n + 1);
    assert_non_null(t);
    t[*n] = '\0';
    return t;
}

static void test_csv_world_round_trip(void **state)
{
    (void)state;
    assert_comma_locale();
    crit_world *w, *cur = NULL;
    assert_int_equal(io_test_world(&w, 7, 3), CRIT_OK);
    static const int32_t order[5] = {CRIT_CSV_ECONOMIES, CRIT_CSV_MINERALS,
                                     CRIT_CSV_CURVES, CRIT_CSV_ARCS,
                                     CRIT_CSV_EXPORTS};
    char p[128];
    for (int t = 0; t < 5; t++) {
        snprintf(p, sizeof p, "%s/t%d.csv", dir, t);
        assert_int_equal(crit_io_csv_export(p, w, order[t], NULL), CRIT_OK);
        assert_comma_locale();
        size_t n;
        char *text = slurp_text(p, &n);
        if (order[t] == CRIT_CSV_MINERALS) {
            /* P0 of M0.x is 1000.5, its holding cost 25 */
            assert_non_null(strstr(text, "1000.5"));
            assert_null(strstr(text, "1000,5"));
        }
        free(text);
        crit_world *next = NULL;
        assert_int_equal(crit_io_csv_import(&next, cur, order[t], p, NULL),
                         CRIT_OK);
        assert_comma_locale();
        crit_world_free(cur);
        cur = next;
        unlink(p);
    }
    /* every number came back to the bit */
    assert_true(crit_world_equal(w, cur));
    crit_world_free(cur);
    crit_world_free(w);
}

static void test_csv_import_reads_points(void **state)
{
    (void)state;
    static const char economies[] = "code,member\nUSA,1\nCHN,0\n";
    static const char minerals[] = "code,base_price_usd_per_t\nGe,2500.25\n";
    static const char arcs[] =
        "mineral,from,to,transport_usd_per_t,tariff_ad_valorem\n"
        "Ge,CHN,USA,12.5,0.125\n";
    crit_world *e = NULL, *m = NULL, *a = NULL;
    assert_int_equal(crit_io_csv_import_memory(&e, NULL, CRIT_CSV_ECONOMIES,
                                               economies, strlen(economies),
                                               "e.csv"),
                     CRIT_OK);
    assert_int_equal(crit_io_csv_import_memory(&m, e, CRIT_CSV_MINERALS,
                                               minerals, strlen(minerals),
                                               "m.csv"),
                     CRIT_OK);
    assert_int_equal(crit_io_csv_import_memory(&a, m, CRIT_CSV_ARCS, arcs,
                                               strlen(arcs), "a.csv"),
                     CRIT_OK);
    assert_comma_locale();
    crit_mineral_def md;
    crit_mineral_def_init(&md);
    assert_int_equal(crit_world_mineral_get(&md, a, 0), CRIT_OK);
    assert_true(md.base_price_usd_per_t == 2500.25);
    double wedge;
    int32_t allowed;
    assert_int_equal(
        crit_world_arc_wedge(&wedge, &allowed, a, "Ge", "CHN", "USA"), CRIT_OK);
    assert_true(wedge == 12.5 + 0.125 * 2500.25);
    assert_int_equal(allowed, 1);
    /* and a decimal comma is what it always was: not a number (quoted, so
     * that the field reaches the number parser whole) */
    static const char comma[] = "code,base_price_usd_per_t\nGe,\"2500,25\"\n";
    crit_world *bad = NULL;
    assert_int_equal(crit_io_csv_import_memory(&bad, e, CRIT_CSV_MINERALS,
                                               comma, strlen(comma), "c.csv"),
                     CRIT_EFORMAT);
    assert_null(bad);
    assert_non_null(strstr(crit_error_last(), "'2500,25' is not a number"));
    crit_world_free(a);
    crit_world_free(m);
    crit_world_free(e);
}

static void test_csv_market_and_result_exports(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_market *m = NULL;
    assert_int_equal(crit_market_new(&m, w, "Ga"), CRIT_OK);
    assert_int_equal(crit_market_solve(m), CRIT_OK);
    char p[128];
    snprintf(p, sizeof p, "%s/market.csv", dir);
    assert_int_equal(crit_io_csv_export_market(p, m, 0, NULL), CRIT_OK);
    assert_comma_locale();
    size_t n;
    char *text = slurp_text(p, &n);
    assert_fields(text, n, 5); /* mineral,economy,series,period,value */
    double prices[3];
    assert_int_equal(crit_market_values(prices, 3, m, CRIT_MARKET_PRICE),
                     CRIT_OK);
    const char *key = "\nGa,USA,price,0,";
    const char *row = strstr(text, key);
    assert_non_null(row);
    char *end;
    double v = c_strtod(row + strlen(key), &end);
    assert_true(*end == '\n');
    assert_true(v == prices[0]);                       /* 17 digits: exact */
    assert_true(prices[0] != (double)(long)prices[0]); /* has a fraction */
    free(text);
    unlink(p);

    crit_scenario *s = full_scenario(w, PERIODS);
    crit_result *r = NULL;
    assert_int_equal(crit_scenario_run(&r, s, NULL, NULL), CRIT_OK);
    snprintf(p, sizeof p, "%s/result.csv", dir);
    assert_int_equal(crit_io_csv_export_result(p, r, NULL), CRIT_OK);
    assert_comma_locale();
    text = slurp_text(p, &n);
    /* mineral,economy,series,period,value,date,stockpile,loan */
    assert_fields(text, n, 8);
    free(text);
    unlink(p);
    crit_result_free(r);
    crit_scenario_free(s);
    crit_market_free(m);
    crit_world_free(w);
}

/* A thread with a locale of its own (uselocale) has it back afterwards,
 * the same object; a thread on the global locale stays on it. */
static void test_thread_locale_kept(void **state)
{
    (void)state;
    crit_world *w;
    assert_int_equal(io_test_world(&w, 3, 1), CRIT_OK);
    char p[128];
    snprintf(p, sizeof p, "%s/m.csv", dir);
    assert_true(uselocale((locale_t)0) == LC_GLOBAL_LOCALE);
    assert_int_equal(crit_io_csv_export(p, w, CRIT_CSV_MINERALS, NULL),
                     CRIT_OK);
    assert_true(uselocale((locale_t)0) == LC_GLOBAL_LOCALE);

    /* the global locale's copy: newlocale() of a name under LOCPATH
     * leaks glibc's copy of the path (valgrind) */
    locale_t own = duplocale(LC_GLOBAL_LOCALE);
    assert_non_null(own);
    uselocale(own);
    crit_world *back = NULL;
    assert_int_equal(
        crit_io_csv_import(&back, NULL, CRIT_CSV_MINERALS, p, NULL), CRIT_OK);
    assert_true(uselocale((locale_t)0) == own);
    assert_int_equal(crit_io_csv_export(p, w, CRIT_CSV_MINERALS, NULL),
                     CRIT_OK);
    assert_true(uselocale((locale_t)0) == own);
    /* a failed import restores it too */
    crit_world *bad = NULL;
    static const char nan[] = "code,base_price_usd_per_t\nM0.x,x\n";
    assert_int_equal(crit_io_csv_import_memory(&bad, w, CRIT_CSV_MINERALS, nan,
                                               strlen(nan), "x.csv"),
                     CRIT_EFORMAT);
    assert_true(uselocale((locale_t)0) == own);
    assert_comma_locale();
    uselocale(LC_GLOBAL_LOCALE);
    freelocale(own);
    crit_mineral_def a, b;
    crit_mineral_def_init(&a);
    crit_mineral_def_init(&b);
    assert_int_equal(crit_world_mineral_get(&a, w, 0), CRIT_OK);
    assert_int_equal(crit_world_mineral_get(&b, back, 0), CRIT_OK);
    assert_true(b.base_price_usd_per_t == a.base_price_usd_per_t);
    assert_true(b.base_price_usd_per_t == 1000.5);
    unlink(p);
    crit_world_free(back);
    crit_world_free(w);
}

/* A message reads the same in every locale: its numbers have a '.', as
 * in the CSV files, the docs and Python's messages (a decimal comma made
 * "choke price 1,5 is not above base price 2,5" ambiguous where commas
 * also separate). The thread keeps its locale, global or its own. */
static void test_messages_have_a_point(void **state)
{
    (void)state;
    crit_world *w = NULL;
    assert_int_equal(crit_world_new(&w), CRIT_OK);
    crit_mineral_def d;
    crit_mineral_def_init(&d);
    d.code = "Ga";
    d.base_price_usd_per_t = 2.5;
    d.choke_price_usd_per_t = 1.5;
    assert_int_equal(crit_world_add_mineral(w, &d), CRIT_EINVAL);
    assert_string_equal(crit_error_last(),
                        "mineral 'Ga': choke price 1.5 is not above base "
                        "price 2.5");
    assert_true(uselocale((locale_t)0) == LC_GLOBAL_LOCALE);
    assert_comma_locale();
    locale_t own = duplocale(LC_GLOBAL_LOCALE);
    assert_non_null(own);
    uselocale(own);
    d.base_price_usd_per_t = -0.25;
    assert_int_equal(crit_world_add_mineral(w, &d), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "base price -0.25 must be"));
    assert_true(uselocale((locale_t)0) == own);
    assert_comma_locale();
    uselocale(LC_GLOBAL_LOCALE);
    freelocale(own);
    assert_int_equal(crit_world_mineral_count(w), 0);
    crit_world_free(w);
}

/*
 * A message whose numbers are formatted apart and then passed to the
 * message as a string (the solve's explanation of why a balance failed:
 * how far one double moves it) has a '.' too. A stockpile buying 1e12 t a
 * year over a ramp of 0.1 USD/t (test_market_ramp_too_steep): no double
 * balances the market, and the message gives the step.
 */
static void test_solve_message_has_a_point(void **state)
{
    (void)state;
    assert_comma_locale();
    crit_world *w = NULL;
    assert_int_equal(crit_world_new(&w), CRIT_OK);
    crit_mineral_def md;
    crit_mineral_def_init(&md);
    md.code = "Ga";
    md.base_price_usd_per_t = 1000;
    md.choke_price_usd_per_t = 1e4;
    assert_int_equal(crit_world_add_mineral(w, &md), CRIT_OK);
    crit_economy_def ed;
    crit_economy_def_init(&ed);
    ed.code = "E00";
    assert_int_equal(crit_world_add_economy(w, &ed), CRIT_OK);
    crit_curve_def cd;
    crit_curve_def_init(&cd);
    cd.base_production_t_per_yr = 1000;
    cd.capacity_t_per_yr = 1000;
    cd.supply_elasticity = 0;
    cd.base_demand_t_per_yr = 900;
    cd.demand_elasticity = 0;
    assert_int_equal(crit_world_set_curve(w, "E00", "Ga", &cd), CRIT_OK);
    crit_market *m = NULL;
    assert_int_equal(crit_market_new(&m, w, "Ga"), CRIT_OK);
    assert_int_equal(crit_market_set_period_length(m, 1), CRIT_OK);
    crit_market_agent_def d;
    crit_market_agent_def_init(&d);
    d.capacity_t = 2e12;
    d.target_t = 2e12;
    d.acquisition_rate_t_per_yr = 1000;
    d.purchase_trigger_usd_per_t = 1000;
    d.release_trigger_usd_per_t = 2000;
    d.smoothing = 0.05;
    d.cash_usd = 1e20;
    assert_int_equal(crit_market_add_agent(NULL, m, "E00", &d), CRIT_OK);
    assert_int_equal(crit_market_solve(m), CRIT_OK);
    d.acquisition_rate_t_per_yr = 1e12;
    d.smoothing = 1e-4;
    assert_int_equal(crit_market_set_agent(m, 0, &d), CRIT_OK);
    assert_int_equal(crit_market_solve(m), CRIT_ENOCONV);
    const char *e = crit_error_last();
    const char *why = strstr(e, "economy 'E00' moves its balance by ");
    assert_non_null(why);
    why += strlen("economy 'E00' moves its balance by ");
    char *end = NULL;
    double step = c_strtod(why, &end);
    if (*end != '\0')
        fail_msg("the step is not one number with a '.': %s", why);
    assert_true(step > 0);
    assert_comma_locale();
    crit_market_free(m);
    crit_world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_world_round_trip),
        cmocka_unit_test(test_csv_import_reads_points),
        cmocka_unit_test(test_csv_market_and_result_exports),
        cmocka_unit_test(test_thread_locale_kept),
        cmocka_unit_test(test_messages_have_a_point),
        cmocka_unit_test(test_solve_message_has_a_point),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * Scenarios and results in snapshots (format 1.1): round trips (identical
 * scenario and result, and a re-run of the loaded scenario bit-identical
 * to the saved result), the world part readable by crit_io_load, bad
 * input (truncation at every byte, a flipped bit in every chunk, wrong
 * CRC, values refused by the modules' own rules, structure), and
 * allocation failure while saving and loading. The tidy CSV export of a
 * result, read back row by row against crit_result_series.
 */
#define FAILALLOC_FIXTURE
#include "failalloc.h"

#include "io_internal.h"
#include "scenario_internal.h"

#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "scenario_fixtures.h"
#include "snap_edit.h"

#define PERIODS 12

static char *tmp_path(const char *tag)
{
    static char buf[4][256];
    static int k;
    char *p = buf[k++ % 4];
    snprintf(p, 256, "/tmp/crit_io_scen_%ld_%s.crit", (long)getpid(), tag);
    return p;
}

/* The saved bytes of the full scenario, with its result when asked. */
static unsigned char *saved(size_t *n, int with_result)
{
    crit_world *w = small_world();
    crit_scenario *s = full_scenario(w, PERIODS);
    crit_result *r = NULL;
    if (with_result)
        assert_int_equal(crit_scenario_run(&r, s, NULL, NULL), CRIT_OK);
    const char *p = tmp_path("saved");
    assert_int_equal(crit_io_save_scenario(p, s, r, NULL), CRIT_OK);
    unsigned char *d = snap_slurp(p, n);
    unlink(p);
    crit_result_free(r);
    crit_scenario_free(s);
    crit_world_free(w);
    return d;
}

/* With CRIT_IO_SCENARIO_SEED=DIR set, write the fuzz target's seeds
 * (tests/fuzz/corpus/snapshot/scenario*.crit) there. */
static void write_seeds(const char *dir)
{
    for (int with = 0; with < 2; with++) {
        size_t n;
        unsigned char *d = saved(&n, with);
        char p[512];
        snprintf(p, sizeof p, "%s/scenario%s.crit", dir, with ? "_result" : "");
        FILE *f = fopen(p, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(d, 1, n, f), n);
        fclose(f);
        free(d);
    }
}

static void test_io_scenario_roundtrip_and_rerun(void **state)
{
    (void)state;
    if (getenv("CRIT_IO_SCENARIO_SEED"))
        write_seeds(getenv("CRIT_IO_SCENARIO_SEED"));
    crit_world *w = small_world();
    crit_scenario *s = full_scenario(w, PERIODS);
    crit_result *r = NULL;
    assert_int_equal(crit_scenario_run(&r, s, NULL, NULL), CRIT_OK);
    const char *p = tmp_path("rt");
    assert_int_equal(crit_io_save_scenario(p, s, r, NULL), CRIT_OK);

    crit_scenario *s2 = NULL;
    crit_result *r2 = NULL;
    assert_int_equal(crit_io_load_scenario(&s2, &r2, p, NULL), CRIT_OK);
    assert_non_null(s2);
    assert_non_null(r2);
    assert_true(crit__scenario_equal(s, s2));
    assert_true(crit__result_equal(r, r2));
    /* the loaded scenario runs to the saved result, bit for bit */
    crit_result *r3 = NULL;
    assert_int_equal(crit_scenario_run(&r3, s2, NULL, NULL), CRIT_OK);
    assert_true(crit__result_equal(r, r3));
    /* and the loaded result reads like the original */
    double a[PERIODS * 2 * 3], b[PERIODS * 2 * 3];
    assert_int_equal(crit_result_series(a, PERIODS * 6, r, CRIT_SERIES_PRICE),
                     CRIT_OK);
    assert_int_equal(crit_result_series(b, PERIODS * 6, r2, CRIT_SERIES_PRICE),
                     CRIT_OK);
    assert_memory_equal(a, b, sizeof a);

    /* the world part is a world to crit_io_load, and to a 1.0 reader's
     * rules: a minor version, WRLD first, CEND last */
    crit_world *w2 = NULL;
    assert_int_equal(crit_io_load(&w2, p, NULL), CRIT_OK);
    assert_true(crit_world_equal(w, w2));
    crit_world_free(w2);
    size_t n;
    unsigned char *d = snap_slurp(p, &n);
    assert_int_equal(d[8] | d[9] << 8, CRIT_IO_FORMAT_MAJOR);
    assert_int_equal(d[10] | d[11] << 8, 1);
    free(d);

    /* without asking for the result; and a file without one */
    crit_scenario *s4 = NULL;
    assert_int_equal(crit_io_load_scenario(&s4, NULL, p, NULL), CRIT_OK);
    assert_true(crit__scenario_equal(s, s4));
    crit_scenario_free(s4);
    assert_int_equal(crit_io_save_scenario(p, s, NULL, NULL), CRIT_OK);
    crit_result *r5 = (crit_result *)&r5; /* a sentinel: must become NULL */
    assert_int_equal(crit_io_load_scenario(&s4, &r5, p, NULL), CRIT_OK);
    assert_null(r5);
    assert_true(crit__scenario_equal(s, s4));
    crit_scenario_free(s4);

    /* a world-only file is not a scenario */
    assert_int_equal(crit_io_save(p, w, NULL), CRIT_OK);
    s4 = NULL;
    assert_int_equal(crit_io_load_scenario(&s4, NULL, p, NULL), CRIT_EFORMAT);
    assert_null(s4);
    assert_non_null(strstr(crit_error_last(), "no scenario"));

    /* a result of another scenario is refused */
    crit_scenario *other = full_scenario(w, PERIODS + 1);
    assert_int_equal(crit_io_save_scenario(p, other, r, NULL), CRIT_EINVAL);
    crit_scenario_free(other);

    unlink(p);
    crit_result_free(r);
    crit_result_free(r2);
    crit_result_free(r3);
    crit_scenario_free(s);
    crit_scenario_free(s2);
    crit_world_free(w);
}

/*
 * A floating-rate loan (a reference curve of three dates plus a spread)
 * with a sculpted profile goes through a file with its curve and profile
 * (equal scenarios, the same loan series bit for bit when run), and a
 * scenario whose curve differs by one rate is not equal.
 */
static crit_scenario *floating_scenario(crit_world *w, double last_rate)
{
    crit_scenario *s = new_scenario(w, PERIODS);
    crit_stockpile *sp = usa_stockpile(w, "vault", 0);
    crit_stockpile_mineral_def m;
    crit_stockpile_mineral_def_init(&m);
    m.mineral = "Ga";
    m.capacity_t = 100;
    m.target = 50;
    m.acquisition_rate_t_per_yr = 120;
    m.purchase_trigger_usd_per_t = 1200;
    m.release_trigger_usd_per_t = 2000;
    assert_int_equal(crit_stockpile_add_mineral(sp, &m), CRIT_OK);
    assert_int_equal(crit_scenario_add_stockpile(NULL, s, sp), CRIT_OK);
    crit_stockpile_free(sp);
    crit_loan_def ld;
    crit_loan_def_init(&ld);
    ld.commitment = 1e6;
    ld.start = ymd(2026, 1, 1);
    ld.maturity = ymd(2028, 1, 1);
    ld.availability_end = ymd(2026, 6, 30);
    ld.frequency = 4;
    crit_date cd[] = {ymd(2026, 1, 1), ymd(2026, 7, 1), ymd(2027, 1, 1)};
    double cr[] = {0.03, 0.035, last_rate};
    ld.curve_count = 3;
    ld.curve_dates = cd;
    ld.curve_rates = cr;
    ld.spread = 0.012;
    ld.amortisation = CRIT_LOAN_SCULPTED;
    ld.grace_periods = 2;
    double prof[] = {1, 2, 3, 4, 5, 6};
    ld.profile_count = 6;
    ld.profile = prof;
    crit_date dd[] = {ymd(2026, 1, 1), ymd(2026, 4, 1)};
    double da[] = {4e5, 3e5};
    ld.draw_count = 2;
    ld.draw_dates = dd;
    ld.draw_amounts = da;
    add_loan(s, &ld);
    return s;
}

static void test_io_scenario_floating_loan(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = floating_scenario(w, 0.04);
    const char *p = tmp_path("float");
    assert_int_equal(crit_io_save_scenario(p, s, NULL, NULL), CRIT_OK);
    crit_scenario *s2 = NULL;
    assert_int_equal(crit_io_load_scenario(&s2, NULL, p, NULL), CRIT_OK);
    assert_true(crit__scenario_equal(s, s2));
    crit_result *r = NULL, *r2 = NULL;
    assert_int_equal(crit_scenario_run(&r, s, NULL, NULL), CRIT_OK);
    assert_int_equal(crit_scenario_run(&r2, s2, NULL, NULL), CRIT_OK);
    assert_true(crit__result_equal(r, r2));
    double a[PERIODS], b[PERIODS];
    int32_t q[] = {CRIT_SERIES_LOAN_INTEREST, CRIT_SERIES_LOAN_PRINCIPAL};
    for (int k = 0; k < 2; k++) {
        assert_int_equal(crit_result_series(a, PERIODS, r, q[k]), CRIT_OK);
        assert_int_equal(crit_result_series(b, PERIODS, r2, q[k]), CRIT_OK);
        assert_memory_equal(a, b, sizeof a);
    }
    /* the curve reaches the schedule: one whose 2027 rate is 5 % instead
       of 4 % is another scenario, with another result (the sculpted debt
       service is sized on every period's rate) */
    crit_scenario *s3 = floating_scenario(w, 0.05);
    assert_false(crit__scenario_equal(s, s3));
    crit_result_free(r2);
    r2 = NULL;
    assert_int_equal(crit_scenario_run(&r2, s3, NULL, NULL), CRIT_OK);
    assert_false(crit__result_equal(r, r2));
    unlink(p);
    crit_result_free(r);
    crit_result_free(r2);
    crit_scenario_free(s);
    crit_scenario_free(s2);
    crit_scenario_free(s3);
    crit_world_free(w);
}

/*
 * Every value of an event and every term of a loan goes through a file:
 * the full fixture's events carry only `value`, and its loan starts on the
 * 1st with end_of_month 0, so an event's value2 or value3, or a loan's
 * end_of_month, dropped on the way went unseen. Here an export tax with an
 * ad valorem part, a floor with both shares, and a loan signed on a
 * month's last day that rolls to month ends.
 */
static void test_io_scenario_event_values_and_month_end_loan(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = new_scenario(w, PERIODS);
    add_event3(s, 1, CRIT_EVENT_EXPORT_TAX, "Sb", "CHN", 3, 0.05, 0);
    add_event3(s, 2, CRIT_EVENT_FLOOR, "Ga", "USA", 1500, 0.5, 0.25);
    add_stockpile(s, usa_stockpile(w, "vault", 0));
    crit_loan_def ld;
    fixture_loan_def(&ld, 1000);
    ld.start = ymd(2026, 1, 31);
    ld.maturity = ymd(2028, 1, 31);
    ld.end_of_month = 1;
    add_loan_drawn(s, ld, ymd(2026, 1, 31), 1000);

    const char *p = tmp_path("values");
    assert_int_equal(crit_io_save_scenario(p, s, NULL, NULL), CRIT_OK);
    crit_scenario *s2 = NULL;
    assert_int_equal(crit_io_load_scenario(&s2, NULL, p, NULL), CRIT_OK);
    unlink(p);
    assert_int_equal(s2->n_ev, 2);
    assert_true(s2->ev[0].v1 == 3 && s2->ev[0].v2 == 0.05);
    assert_true(s2->ev[1].v1 == 1500 && s2->ev[1].v2 == 0.5 &&
                s2->ev[1].v3 == 0.25);
    assert_int_equal(s2->n_loan, 1);
    crit_loan_def got;
    crit__loan_def(&got, s2->loan[0]);
    assert_int_equal(got.end_of_month, 1);
    assert_int_equal(got.start, ld.start);
    assert_true(crit__scenario_equal(s, s2));
    /* the loan pays on month ends (2026-02-28, ...), as the original */
    crit_loan_row a, b;
    assert_int_equal(crit_loan_row_get(&a, s->loan[0], 1), CRIT_OK);
    assert_int_equal(crit_loan_row_get(&b, s2->loan[0], 1), CRIT_OK);
    assert_int_equal(a.date, ymd(2026, 2, 28));
    assert_int_equal(b.date, a.date);
    crit_result *r = NULL, *r2 = NULL;
    assert_int_equal(crit_scenario_run(&r, s, NULL, NULL), CRIT_OK);
    assert_int_equal(crit_scenario_run(&r2, s2, NULL, NULL), CRIT_OK);
    assert_true(crit__result_equal(r, r2));
    crit_result_free(r);
    crit_result_free(r2);
    crit_scenario_free(s2);
    crit_scenario_free(s);
    crit_world_free(w);
}

/*
 * A scenario starting on a month's last day: its periods start on
 * `d_t = start + t * months` (crit/scenario.h), the same day number of
 * later months (2026-02-28, 03-28, 04-28, 05-28, no roll to month ends),
 * and a result saved with it must load against that calendar.
 */
static void test_io_scenario_month_end_start(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario_def sd;
    crit_scenario_def_init(&sd);
    sd.start = ymd(2026, 2, 28);
    sd.periods = 3;
    crit_scenario *s = NULL;
    assert_int_equal(crit_scenario_new(&s, w, &sd), CRIT_OK);
    crit_result *r = NULL;
    assert_int_equal(crit_scenario_run(&r, s, NULL, NULL), CRIT_OK);
    crit_date want[] = {ymd(2026, 2, 28), ymd(2026, 3, 28), ymd(2026, 4, 28),
                        ymd(2026, 5, 28)};
    assert_memory_equal(r->dates, want, sizeof want);
    const char *p = tmp_path("feb28");
    assert_int_equal(crit_io_save_scenario(p, s, r, NULL), CRIT_OK);
    crit_scenario *s2 = NULL;
    crit_result *r2 = NULL;
    assert_int_equal(crit_io_load_scenario(&s2, &r2, p, NULL), CRIT_OK);
    unlink(p);
    assert_non_null(r2);
    assert_memory_equal(r2->dates, want, sizeof want);
    assert_true(crit__result_equal(r, r2));
    crit_result_free(r2);
    crit_scenario_free(s2);
    crit_result_free(r);
    crit_scenario_free(s);
    crit_world_free(w);
}

/*
 * Every index in a scenario file is the world's (docs/format.md), and the
 * full fixture's are all 0 where it matters (its stockpile and floor at
 * USA, economy 0; its firms' minerals in slot order; one stockpile): a
 * writer putting 0, or a slot for a mineral, went unseen. Here a stockpile
 * at JPN (economy 1) holding Sb before Ga, with a firm on Ga (mineral 0,
 * slot 1) and cash taken below 0; a second stockpile, at USA, with cash
 * -0, financed by the loan (stockpile 1); a floor for JPN, in a policy
 * with an external tariff (the fixture's has none). Each comes back where
 * it was, read through the public getters where there are some.
 */
static void test_io_scenario_indices_roundtrip(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = new_scenario(w, 3);
    crit_stockpile_def sd;
    crit_stockpile_def_init(&sd);
    sd.name = "north";
    sd.economy = "JPN";
    sd.cash_usd = 100;
    crit_stockpile *sp = NULL;
    assert_int_equal(crit_stockpile_new(&sp, w, &sd), CRIT_OK);
    const char *order[] = {"Sb", "Ga"};
    double p0[] = {100, 1000};
    for (int k = 0; k < 2; k++) {
        crit_stockpile_mineral_def m;
        crit_stockpile_mineral_def_init(&m);
        m.mineral = order[k];
        m.capacity_t = 50;
        m.inventory_t = 5 + k;
        m.purchase_trigger_usd_per_t = 1.2 * p0[k];
        m.release_trigger_usd_per_t = 2 * p0[k];
        assert_int_equal(crit_stockpile_add_mineral(sp, &m), CRIT_OK);
    }
    crit_participant_def pd;
    crit_participant_def_init(&pd);
    pd.name = "ga firm";
    pd.mineral = "Ga";
    pd.demand_t_per_yr = 10;
    pd.draw_right_t = 2;
    pd.draw_price_usd_per_t = 1000;
    assert_int_equal(crit_stockpile_add_participant(NULL, sp, &pd), CRIT_OK);
    assert_int_equal(crit_stockpile_add_cash(sp, -250), CRIT_OK);
    add_stockpile(s, sp);
    sp = usa_stockpile(w, "south", -0.0);
    crit_stockpile_mineral_def m;
    crit_stockpile_mineral_def_init(&m);
    m.mineral = "Ga";
    m.capacity_t = 20;
    m.purchase_trigger_usd_per_t = 1200;
    m.release_trigger_usd_per_t = 2000;
    assert_int_equal(crit_stockpile_add_mineral(sp, &m), CRIT_OK);
    add_stockpile(s, sp);
    crit_loan_def ld;
    fixture_loan_def(&ld, 1000);
    crit_loan *loan = NULL;
    assert_int_equal(crit_loan_new(&loan, &ld), CRIT_OK);
    assert_int_equal(crit_scenario_add_loan(NULL, s, loan, 1), CRIT_OK);
    crit_loan_free(loan);
    crit_policy *pol = NULL;
    assert_int_equal(crit_policy_new(&pol, w, "Ga"), CRIT_OK);
    crit_floor_def f;
    crit_floor_def_init(&f);
    f.floor_usd_per_t = 1500;
    f.covered_share = 0.5;
    assert_int_equal(crit_policy_set_floor(pol, "JPN", &f), CRIT_OK);
    assert_int_equal(crit_policy_set_external_tariff(pol, 25), CRIT_OK);
    assert_int_equal(crit_scenario_set_policy(s, pol), CRIT_OK);
    crit_policy_free(pol);

    const char *p = tmp_path("indices");
    assert_int_equal(crit_io_save_scenario(p, s, NULL, NULL), CRIT_OK);
    crit_scenario *s2 = NULL;
    assert_int_equal(crit_io_load_scenario(&s2, NULL, p, NULL), CRIT_OK);
    unlink(p);
    size_t ns = 0, nl = 0, idx = 99;
    assert_int_equal(crit_scenario_counts(&ns, &nl, s2), CRIT_OK);
    assert_int_equal(ns, 2);
    assert_int_equal(nl, 1);
    const crit_stockpile *a = crit_scenario_stockpile(s2, 0);
    assert_string_equal(crit_stockpile_name(a), "north");
    assert_int_equal(crit_stockpile_economy(a), 1); /* JPN */
    assert_true(crit_stockpile_cash(a) == -150.0);
    crit_stockpile_mineral_def got;
    crit_stockpile_mineral_def_init(&got);
    assert_int_equal(crit_stockpile_mineral_get(&got, a, 0), CRIT_OK);
    assert_string_equal(got.mineral, "Sb");
    assert_true(got.inventory_t == 5);
    crit_participant_def gp;
    crit_participant_def_init(&gp);
    assert_int_equal(crit_stockpile_participant_get(&gp, a, 0), CRIT_OK);
    assert_string_equal(gp.mineral, "Ga");
    size_t slot = 99;
    assert_int_equal(crit_stockpile_participant_state(&slot, NULL, NULL, a, 0),
                     CRIT_OK);
    assert_int_equal(slot, 1);
    const crit_stockpile *b = crit_scenario_stockpile(s2, 1);
    assert_int_equal(crit_stockpile_economy(b), 0); /* USA */
    /* cash -0 stays -0 (a run's cash series starts from it) */
    assert_true(crit__f64_bits(crit_stockpile_cash(b)) ==
                0x8000000000000000ull);
    assert_int_equal(crit_scenario_loan_stockpile(&idx, s2, 0), CRIT_OK);
    assert_int_equal(idx, 1);
    /* no getter for a scenario's policies: its table, Ga's floor at JPN */
    assert_true(s2->n_pol >= 1 && s2->pol[0].set);
    assert_int_equal(s2->pol[0].n_floor, 1);
    assert_int_equal(s2->pol[0].floor[0].eco, 1);
    assert_true(s2->pol[0].ext == 25);
    assert_true(crit__scenario_equal(s, s2));
    crit_scenario_free(s2);
    crit_scenario_free(s);
    crit_world_free(w);
}

/*
 * A settlement may leave an inventory a hair above the capacity (within
 * its slack: crit_stockpile_settle refuses only a closing inventory
 * beyond capacity (1 + 1e-9)); a scenario holding such a stockpile is
 * saved and must load again, equal bit for bit. Before, the reader
 * refused every inventory above the capacity, so a file the API wrote
 * could not be read. An inventory beyond what a settlement can leave is
 * still refused.
 */
static void test_io_scenario_inventory_within_settle_slack(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = new_scenario(w, PERIODS);
    crit_stockpile *sp = usa_stockpile(w, "full", 1e6);
    crit_stockpile_mineral_def m;
    crit_stockpile_mineral_def_init(&m);
    m.mineral = "Ga";
    m.inventory_t = 100;
    m.capacity_t = 100;
    m.purchase_trigger_usd_per_t = 1000;
    m.release_trigger_usd_per_t = 2000;
    assert_int_equal(crit_stockpile_add_mineral(sp, &m), CRIT_OK);
    /* a purchase of 5e-8 t into a full slot: within the slack */
    assert_int_equal(crit_stockpile_settle(NULL, sp, 0, 1000, 5e-8, 0, 0.25),
                     CRIT_OK);
    double inv = 0;
    assert_int_equal(crit_stockpile_inventory_t(&inv, sp, 0), CRIT_OK);
    assert_true(inv > 100);
    /* a firm's return may leave more, up to capacity + 1e-9 (capacity +
     * its draw): draw the whole slot, buy it back, then draw and return
     * in one settlement */
    m.mineral = "Sb";
    m.purchase_trigger_usd_per_t = 100;
    m.release_trigger_usd_per_t = 200;
    assert_int_equal(crit_stockpile_add_mineral(sp, &m), CRIT_OK);
    crit_participant_def pd;
    crit_participant_def_init(&pd);
    pd.name = "firm";
    pd.mineral = "Sb";
    pd.draw_right_t = 1000;
    pd.draw_price_usd_per_t = 100;
    pd.replenish_rate_t_per_yr = 1000;
    assert_int_equal(crit_stockpile_add_participant(NULL, sp, &pd), CRIT_OK);
    assert_int_equal(crit_stockpile_set_disruption(sp, 1, 1), CRIT_OK);
    assert_int_equal(crit_stockpile_settle_participant(NULL, sp, 0, 100, 0),
                     CRIT_OK);
    assert_int_equal(crit_stockpile_settle(NULL, sp, 1, 100, 100, 0, 1e-9),
                     CRIT_OK);
    assert_int_equal(
        crit_stockpile_settle_participant(NULL, sp, 0, 100, 100 + 1.9e-7),
        CRIT_OK);
    double inv_sb = 0;
    assert_int_equal(crit_stockpile_inventory_t(&inv_sb, sp, 1), CRIT_OK);
    assert_true(inv_sb > 100 * (1 + 1.5e-9));
    assert_int_equal(crit_scenario_add_stockpile(NULL, s, sp), CRIT_OK);
    crit_stockpile_free(sp);

    const char *p = tmp_path("slack");
    assert_int_equal(crit_io_save_scenario(p, s, NULL, NULL), CRIT_OK);
    crit_scenario *s2 = NULL;
    assert_int_equal(crit_io_load_scenario(&s2, NULL, p, NULL), CRIT_OK);
    assert_true(crit__scenario_equal(s, s2));
    assert_int_equal(
        crit_stockpile_inventory_t(&inv, crit_scenario_stockpile(s2, 0), 0),
        CRIT_OK);
    assert_true(inv > 100);
    assert_int_equal(
        crit_stockpile_inventory_t(&inv, crit_scenario_stockpile(s2, 0), 1),
        CRIT_OK);
    assert_true(inv == inv_sb);
    crit_scenario_free(s2);

    /* one tonne above the capacity is beyond any settlement's slack */
    size_t n;
    unsigned char *d = snap_slurp(p, &n);
    unlink(p);
    size_t at = snap_find(d, n, "STCK", 0);
    size_t rl = 0;
    unsigned char *raw = snap_raw(d, at, &rl);
    size_t pos = 4 + crit__get_u32(raw) + 4 + 8 + 4 + 4 + 4 + 11 * 8;
    assert_true(pos + 8 <= rl);
    assert_true(crit__bits_f64(crit__get_u64(raw + pos)) > 100);
    crit__put_u64(raw + pos, crit__f64_bits(101));
    size_t n2 = 0;
    unsigned char *e = snap_with(d, n, at, NULL, raw, rl, 0, &n2);
    s2 = (crit_scenario *)&s2;
    assert_int_equal(crit_io_load_scenario_memory(&s2, NULL, e, n2, NULL),
                     CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "inventory 101 t is outside"));
    free(e);
    free(raw);
    free(d);
    crit_scenario_free(s);
    crit_world_free(w);
}

/*
 * A result's loan, drawn on demand by the run before one of its scheduled
 * draws, loads with the same undrawn amount, bit for bit. The file holds
 * the draws in date order; before, the run's loan summed them in the
 * order they were made and the loaded one in date order, which here
 * differ by one ulp.
 */
static void test_io_scenario_result_loan_undrawn_exact(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = new_scenario(w, 24);
    crit_stockpile *sp = usa_stockpile(w, "v", 0);
    crit_stockpile_mineral_def m;
    crit_stockpile_mineral_def_init(&m);
    m.mineral = "Ga";
    m.inventory_t = 10;
    m.capacity_t = 200;
    m.target = 150;
    m.acquisition_rate_t_per_yr = 240;
    m.purchase_trigger_usd_per_t = 5000;
    m.release_trigger_usd_per_t = 9000;
    assert_int_equal(crit_stockpile_add_mineral(sp, &m), CRIT_OK);
    assert_int_equal(crit_scenario_add_stockpile(NULL, s, sp), CRIT_OK);
    crit_stockpile_free(sp);
    crit_loan_def ld;
    fixture_loan_def(&ld, 1e6);
    /* after the run's first draws */
    add_loan_drawn(s, ld, ymd(2027, 12, 1), 300000);
    crit_result *r = NULL;
    assert_int_equal(crit_scenario_run(&r, s, NULL, NULL), CRIT_OK);
    const crit_loan *l1 = crit_result_loan(r, 0);
    crit_loan_def got;
    crit__loan_def(&got, l1);
    assert_true(got.draw_count > 2); /* drawn on demand */
    const char *p = tmp_path("undrawn");
    assert_int_equal(crit_io_save_scenario(p, s, r, NULL), CRIT_OK);
    crit_scenario *s2 = NULL;
    crit_result *r2 = NULL;
    assert_int_equal(crit_io_load_scenario(&s2, &r2, p, NULL), CRIT_OK);
    unlink(p);
    assert_true(crit__result_equal(r, r2));
    const crit_loan *l2 = crit_result_loan(r2, 0);
    double u1 = -1, u2 = -2;
    assert_int_equal(crit_loan_undrawn(&u1, l1, ymd(2026, 6, 1)), CRIT_OK);
    assert_int_equal(crit_loan_undrawn(&u2, l2, ymd(2026, 6, 1)), CRIT_OK);
    assert_true(u1 > 0);
    assert_memory_equal(&u1, &u2, sizeof u1);
    crit_result_free(r);
    crit_result_free(r2);
    crit_scenario_free(s);
    crit_scenario_free(s2);
    crit_world_free(w);
}

/*
 * The world is read as it is when the scenario runs: an economy holding
 * a stockpile may leave the coalition after the stockpile was added (the
 * run takes it). Such a scenario is saved and must load again, equal;
 * before, the reader rebuilt the stockpile with crit_stockpile_new, which
 * refuses an economy that is not a member, so the file could not be read.
 */
static void test_io_scenario_stockpile_economy_left_coalition(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = full_scenario(w, PERIODS);
    assert_int_equal(crit_world_set_member(w, "USA", 0), CRIT_OK);
    crit_result *r = NULL;
    assert_int_equal(crit_scenario_run(&r, s, NULL, NULL), CRIT_OK);
    const char *p = tmp_path("member");
    assert_int_equal(crit_io_save_scenario(p, s, r, NULL), CRIT_OK);
    crit_scenario *s2 = NULL;
    crit_result *r2 = NULL;
    assert_int_equal(crit_io_load_scenario(&s2, &r2, p, NULL), CRIT_OK);
    unlink(p);
    assert_true(crit__scenario_equal(s, s2));
    assert_true(crit__result_equal(r, r2));
    crit_result *r3 = NULL;
    assert_int_equal(crit_scenario_run(&r3, s2, NULL, NULL), CRIT_OK);
    assert_true(crit__result_equal(r, r3));
    crit_result_free(r);
    crit_result_free(r2);
    crit_result_free(r3);
    crit_scenario_free(s);
    crit_scenario_free(s2);
    crit_world_free(w);
}

/*
 * A scenario whose world changed so that it no longer fits (here an
 * export subsidy event against an arc whose transport cost was lowered
 * since, which the run refuses) is refused by the save too, naming what
 * no longer fits, and the target is left as it was: before, the save
 * wrote a file that the reader, which rebuilds the scenario through
 * crit_scenario_add_event, refused, so the scenario was written where
 * nothing could read it back.
 */
static void test_io_scenario_save_refuses_what_no_longer_fits(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = new_scenario(w, PERIODS);
    /* a subsidy; the transport cost is 10 */
    add_event3(s, 1, CRIT_EVENT_EXPORT_TAX, "Sb", "CHN", -5, 0, 0);
    const char *p = tmp_path("nofit");
    assert_int_equal(crit_io_save(p, w, NULL), CRIT_OK); /* the old file */
    size_t n0;
    unsigned char *old = snap_slurp(p, &n0);
    assert_int_equal(crit_world_set_transport(w, "Sb", "CHN", "USA", 2),
                     CRIT_OK);
    crit_result *r = NULL;
    assert_int_equal(crit_scenario_run(&r, s, NULL, NULL), CRIT_EINVAL);
    char want[512];
    snprintf(want, sizeof want, "%s", crit_error_last());
    assert_int_equal(crit_io_save_scenario(p, s, NULL, NULL), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), want));
    size_t n1;
    unsigned char *now = snap_slurp(p, &n1);
    assert_int_equal(n1, n0);
    assert_memory_equal(now, old, n0);
    free(now);
    free(old);
    /* put back, it saves and loads */
    assert_int_equal(crit_world_set_transport(w, "Sb", "CHN", "USA", 10),
                     CRIT_OK);
    assert_int_equal(crit_io_save_scenario(p, s, NULL, NULL), CRIT_OK);
    crit_scenario *s2 = NULL;
    assert_int_equal(crit_io_load_scenario(&s2, NULL, p, NULL), CRIT_OK);
    assert_true(crit__scenario_equal(s, s2));
    unlink(p);
    crit_scenario_free(s2);
    crit_scenario_free(s);
    crit_world_free(w);
}

/*
 * A result holds a reference on the scenario's world, which the caller
 * may change after the run: the result is then not a run of the scenario
 * as it is, and saving the two together is refused (re-running the
 * loaded scenario would not give the saved result). Before, the save
 * compared the result's world with the scenario's, the same object, and
 * wrote the pair.
 */
static void test_io_scenario_save_refuses_result_of_changed_world(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = full_scenario(w, PERIODS);
    crit_result *r = NULL;
    assert_int_equal(crit_scenario_run(&r, s, NULL, NULL), CRIT_OK);
    const char *p = tmp_path("changed");
    assert_int_equal(crit_io_save_scenario(p, s, r, NULL), CRIT_OK);
    crit_curve_def c;
    crit_curve_def_init(&c);
    assert_int_equal(crit_world_curve_get(&c, w, "USA", "Ga"), CRIT_OK);
    c.base_demand_t_per_yr *= 2;
    assert_int_equal(crit_world_set_curve(w, "USA", "Ga", &c), CRIT_OK);
    assert_int_equal(crit_io_save_scenario(p, s, r, NULL), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "changed since the run"));
    /* the scenario alone saves, and a new run of it with it */
    assert_int_equal(crit_io_save_scenario(p, s, NULL, NULL), CRIT_OK);
    crit_result *r2 = NULL;
    assert_int_equal(crit_scenario_run(&r2, s, NULL, NULL), CRIT_OK);
    assert_false(crit__result_equal(r, r2));
    assert_int_equal(crit_io_save_scenario(p, s, r2, NULL), CRIT_OK);
    crit_scenario *s3 = NULL;
    crit_result *r3 = NULL;
    assert_int_equal(crit_io_load_scenario(&s3, &r3, p, NULL), CRIT_OK);
    unlink(p);
    assert_true(crit__result_equal(r2, r3));
    /* a loaded result is a run of the loaded scenario's world */
    assert_int_equal(crit_io_save_scenario(p, s3, r3, NULL), CRIT_OK);
    unlink(p);
    crit_result_free(r);
    crit_result_free(r2);
    crit_result_free(r3);
    crit_scenario_free(s);
    crit_scenario_free(s3);
    crit_world_free(w);
}

/*
 * The same for a change of the scenario itself after the run (an event, a
 * policy, market options...): the result is not a run of it as it is.
 * Before, the save wrote the pair, and a re-run of the loaded scenario
 * did not give the saved result. A result of an equal scenario (a loaded
 * copy) is still a run of it.
 */
static void
test_io_scenario_save_refuses_result_of_changed_scenario(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = full_scenario(w, PERIODS);
    crit_result *r = NULL;
    assert_int_equal(crit_scenario_run(&r, s, NULL, NULL), CRIT_OK);
    const char *p = tmp_path("changed_scenario");
    assert_int_equal(crit_io_save_scenario(p, s, r, NULL), CRIT_OK);
    /* an equal copy, loaded without the result */
    crit_scenario *copy = NULL;
    assert_int_equal(crit_io_load_scenario(&copy, NULL, p, NULL), CRIT_OK);
    unlink(p);
    assert_true(crit__scenario_equal(s, copy));
    assert_int_equal(crit_io_save_scenario(p, copy, r, NULL), CRIT_OK);
    unlink(p);
    /* a demand shock in the last period changes what the run gives */
    add_event(s, PERIODS - 1, CRIT_EVENT_DEMAND, "Ga", "USA", NULL, 1.5);
    assert_int_equal(crit_io_save_scenario(p, s, r, NULL), CRIT_EINVAL);
    assert_non_null(
        strstr(crit_error_last(), "the scenario changed since the run"));
    assert_int_equal(access(p, F_OK), -1); /* nothing written */
    crit_result *r2 = NULL;
    assert_int_equal(crit_scenario_run(&r2, s, NULL, NULL), CRIT_OK);
    assert_false(crit__result_equal(r, r2));
    assert_int_equal(crit_io_save_scenario(p, s, r2, NULL), CRIT_OK);
    unlink(p);
    /* market options count as a change too, even the same ones again */
    crit_market_options o;
    crit_market_options_init(&o);
    assert_int_equal(crit_scenario_set_market_options(s, &o), CRIT_OK);
    assert_int_equal(crit_io_save_scenario(p, s, r2, NULL), CRIT_EINVAL);
    /* a failed change is no change */
    crit_scenario *fresh = new_scenario(w, PERIODS);
    crit_result *r3 = NULL;
    assert_int_equal(crit_scenario_run(&r3, fresh, NULL, NULL), CRIT_OK);
    o.max_iterations = 0;
    assert_int_equal(crit_scenario_set_market_options(fresh, &o), CRIT_EINVAL);
    assert_int_equal(crit_io_save_scenario(p, fresh, r3, NULL), CRIT_OK);
    /* a loaded pair, then a change of the loaded scenario */
    crit_scenario *s4 = NULL;
    crit_result *r4 = NULL;
    assert_int_equal(crit_io_load_scenario(&s4, &r4, p, NULL), CRIT_OK);
    unlink(p);
    assert_int_equal(crit_io_save_scenario(p, s4, r4, NULL), CRIT_OK);
    unlink(p);
    add_event(s4, 0, CRIT_EVENT_DEMAND, "Ga", "USA", NULL, 1.5);
    assert_int_equal(crit_io_save_scenario(p, s4, r4, NULL), CRIT_EINVAL);
    crit_result_free(r);
    crit_result_free(r2);
    crit_result_free(r3);
    crit_result_free(r4);
    crit_scenario_free(s);
    crit_scenario_free(copy);
    crit_scenario_free(fresh);
    crit_scenario_free(s4);
    crit_world_free(w);
}

/*
 * A copy does not launder a stale pair: a result of an equal copy is
 * accepted only while the copy is still equal. A run of a loaded copy,
 * then a change of the original: the result is not a run of the original
 * as it is now; and a run of the original, then a change of it, then a
 * copy of it as changed: the result is not a run of that copy. Before,
 * the save checked the scenario's identity alone where the result was of
 * the same scenario, and wrote both pairs (a re-run of the loaded
 * scenario did not give the saved result).
 */
static void
test_io_scenario_save_refuses_stale_result_through_copy(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = full_scenario(w, PERIODS);
    crit_result *r = NULL;
    assert_int_equal(crit_scenario_run(&r, s, NULL, NULL), CRIT_OK);
    const char *p = tmp_path("stale_copy");
    assert_int_equal(crit_io_save_scenario(p, s, NULL, NULL), CRIT_OK);
    crit_scenario *copy = NULL;
    assert_int_equal(crit_io_load_scenario(&copy, NULL, p, NULL), CRIT_OK);
    unlink(p);
    crit_result *rc = NULL;
    assert_int_equal(crit_scenario_run(&rc, copy, NULL, NULL), CRIT_OK);
    assert_true(crit__result_equal(r, rc));
    /* equal still: either run goes with either */
    assert_int_equal(crit_io_save_scenario(p, s, rc, NULL), CRIT_OK);
    unlink(p);
    assert_int_equal(crit_io_save_scenario(p, copy, r, NULL), CRIT_OK);
    unlink(p);
    /* a loaded result goes with an equal scenario other than the one
     * loaded with it, as the result it was saved from does */
    assert_int_equal(crit_io_save_scenario(p, s, r, NULL), CRIT_OK);
    crit_scenario *sl = NULL;
    crit_result *rl = NULL;
    assert_int_equal(crit_io_load_scenario(&sl, &rl, p, NULL), CRIT_OK);
    unlink(p);
    assert_int_equal(crit_io_save_scenario(p, s, rl, NULL), CRIT_OK);
    unlink(p);
    assert_int_equal(crit_io_save_scenario(p, copy, rl, NULL), CRIT_OK);
    unlink(p);
    crit_result_free(rl);
    crit_scenario_free(sl);
    /* the original changes: the copy's run is no run of it */
    add_event(s, PERIODS - 1, CRIT_EVENT_DEMAND, "Ga", "USA", NULL, 1.5);
    crit_result *r2 = NULL;
    assert_int_equal(crit_scenario_run(&r2, s, NULL, NULL), CRIT_OK);
    assert_false(crit__result_equal(rc, r2));
    assert_int_equal(crit_io_save_scenario(p, s, rc, NULL), CRIT_EINVAL);
    assert_int_equal(access(p, F_OK), -1); /* nothing written */
    /* a copy of the original as changed: the run before the change is no
     * run of it, the run after is */
    assert_int_equal(crit_io_save_scenario(p, s, NULL, NULL), CRIT_OK);
    crit_scenario *copy2 = NULL;
    assert_int_equal(crit_io_load_scenario(&copy2, NULL, p, NULL), CRIT_OK);
    unlink(p);
    assert_true(crit__scenario_equal(s, copy2));
    assert_int_equal(crit_io_save_scenario(p, copy2, r, NULL), CRIT_EINVAL);
    assert_int_equal(access(p, F_OK), -1);
    assert_int_equal(crit_io_save_scenario(p, copy2, r2, NULL), CRIT_OK);
    unlink(p);
    /* and the unchanged copy still goes with the run before the change */
    assert_int_equal(crit_io_save_scenario(p, copy, r, NULL), CRIT_OK);
    unlink(p);
    crit_result_free(r);
    crit_result_free(rc);
    crit_result_free(r2);
    crit_scenario_free(s);
    crit_scenario_free(copy);
    crit_scenario_free(copy2);
    crit_world_free(w);
}

/*
 * The save refuses a result that the reader would refuse with its
 * scenario: one of another scenario on the same world and calendar with
 * as many stockpiles and loans, whose stockpile is named otherwise, or
 * whose loan has other terms. Before, the save wrote the pair (it checked
 * the world and the counts alone) and the reader refused the file
 * ("stockpile 0 is 'vault', the scenario's 'depot'").
 */
static void test_io_scenario_save_refuses_result_of_other_scenario(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *a = full_scenario(w, PERIODS);
    crit_result *r = NULL;
    assert_int_equal(crit_scenario_run(&r, a, NULL, NULL), CRIT_OK);
    const char *p = tmp_path("other");
    /* the same but for the stockpile's name */
    crit_scenario *b = new_scenario(w, PERIODS);
    crit_stockpile *named = usa_stockpile(w, "depot", 0);
    assert_int_equal(crit_scenario_add_stockpile(NULL, b, named), CRIT_OK);
    crit_stockpile_free(named);
    crit_loan_def ld;
    fixture_loan_def(&ld, 150000);
    crit_loan *loan = NULL;
    assert_int_equal(crit_loan_new(&loan, &ld), CRIT_OK);
    assert_int_equal(crit_scenario_add_loan(NULL, b, loan, 0), CRIT_OK);
    assert_int_equal(crit_io_save_scenario(p, b, r, NULL), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "stockpile 0 is 'vault', the "
                                              "scenario's 'depot'"));
    /* named alike, but a loan of other terms (no fees, no scheduled
     * draw) */
    crit_scenario *c = new_scenario(w, PERIODS);
    assert_int_equal(
        crit_scenario_add_stockpile(NULL, c, crit_scenario_stockpile(a, 0)),
        CRIT_OK);
    assert_int_equal(crit_scenario_add_loan(NULL, c, loan, 0), CRIT_OK);
    assert_int_equal(crit_io_save_scenario(p, c, r, NULL), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "loan 0 is not a run of the "
                                              "scenario's: its terms differ"));
    /* the same definitions on another world (one freight differs), and on
     * this world over one period more: the first check names them (the
     * later digest of the definitions leaves the world out) */
    crit_world *w2 = small_world();
    assert_int_equal(crit_world_set_transport(w2, "Ga", "CHN", "USA", 150),
                     CRIT_OK);
    assert_false(crit_world_equal(w, w2));
    crit_scenario *d = full_scenario(w2, PERIODS);
    crit_scenario *e = full_scenario(w, PERIODS + 1);
    crit_scenario *de[] = {d, e};
    for (int k = 0; k < 2; k++) {
        assert_int_equal(crit_io_save_scenario(p, de[k], r, NULL), CRIT_EINVAL);
        assert_non_null(strstr(crit_error_last(),
                               "the result is not a run of this scenario "
                               "(its world, periods, stockpiles or loans "
                               "differ)"));
    }
    assert_int_equal(access(p, F_OK), -1);
    crit_scenario_free(d);
    crit_scenario_free(e);
    crit_world_free(w2);
    crit_loan_free(loan);
    crit_result_free(r);
    crit_scenario_free(a);
    crit_scenario_free(b);
    crit_scenario_free(c);
    crit_world_free(w);
}

static void test_io_scenario_equal_detects_difference(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *a = full_scenario(w, PERIODS);
    crit_scenario *b = full_scenario(w, PERIODS);
    assert_true(crit__scenario_equal(a, b));
    add_event(b, 1, CRIT_EVENT_DEMAND, NULL, NULL, NULL, 1.2);
    assert_false(crit__scenario_equal(a, b));
    crit_result *ra = NULL, *rb = NULL;
    assert_int_equal(crit_scenario_run(&ra, a, NULL, NULL), CRIT_OK);
    assert_int_equal(crit_scenario_run(&rb, b, NULL, NULL), CRIT_OK);
    assert_false(crit__result_equal(ra, rb));
    crit_result_free(ra);
    crit_result_free(rb);
    crit_scenario_free(a);
    crit_scenario_free(b);
    crit_world_free(w);
}

/* Load from memory, expecting failure, nothing returned and nothing
 * leaked (the failalloc teardown checks leaks). */
static int load_fails(const unsigned char *d, size_t n)
{
    crit_scenario *s = NULL;
    crit_result *r = NULL;
    int rc = crit_io_load_scenario_memory(&s, &r, d, n, NULL);
    assert_null(s);
    assert_null(r);
    return rc;
}

static void test_io_scenario_truncated_at_every_byte(void **state)
{
    (void)state;
    size_t n;
    unsigned char *d = saved(&n, 0);
    for (size_t k = 0; k < n; k++)
        assert_int_equal(load_fails(d, k), CRIT_EFORMAT);
    free(d);
}

static void test_io_scenario_flipped_bit_per_chunk(void **state)
{
    (void)state;
    size_t n;
    unsigned char *d = saved(&n, 1);
    size_t off[128];
    size_t nc = snap_chunks(d, n, off, 128);
    assert_true(nc > 10);
    for (size_t c = 0; c < nc; c++) {
        size_t end = c + 1 < nc ? off[c + 1] : n;
        /* every bit of the chunk's header, and some of its payload */
        for (size_t b = off[c]; b < end; b += (b < off[c] + 24 ? 1 : 7))
            for (int bit = 0; bit < 8; bit += 3) {
                d[b] ^= (unsigned char)(1u << bit);
                assert_int_not_equal(load_fails(d, n), CRIT_OK);
                d[b] ^= (unsigned char)(1u << bit);
            }
    }
    free(d);
}

static void test_io_scenario_wrong_crc_names_chunk(void **state)
{
    (void)state;
    size_t n;
    unsigned char *d = saved(&n, 1);
    size_t off[128];
    size_t nc = snap_chunks(d, n, off, 128);
    const char *want[] = {"SCEN", "EVNT", "POLI", "STCK",
                          "LOAN", "PROG", "RSLT", "RSER"};
    for (size_t t = 0; t < sizeof want / sizeof *want; t++) {
        size_t c = 0;
        while (c < nc && memcmp(d + off[c], want[t], 4) != 0)
            c++;
        assert_true(c < nc);
        d[off[c] + 4] ^= 1;
        assert_int_equal(load_fails(d, n), CRIT_EFORMAT);
        char where[64];
        snprintf(where, sizeof where, "chunk %s at offset %zu", want[t],
                 off[c]);
        assert_non_null(strstr(crit_error_last(), where));
        assert_non_null(strstr(crit_error_last(), "CRC-32"));
        d[off[c] + 4] ^= 1;
    }
    free(d);
}

/* SCEN: periods (bytes 4..7) = 0, which crit_scenario_new refuses */
static void zero_periods(unsigned char *raw, size_t len)
{
    (void)len;
    crit__put_u32(raw + 4, 0);
}
/* EVNT: the first event's kind becomes 99, unknown to the scenario
 * module (payload: count, then period, kind, mineral, ...) */
static void bad_kind(unsigned char *raw, size_t len)
{
    (void)len;
    crit__put_u32(raw + 8, 99);
}
/* EVNT: the first event's mineral index past the world's minerals */
static void bad_index(unsigned char *raw, size_t len)
{
    (void)len;
    crit__put_u32(raw + 12, 7);
}
/* STCK: the stockpile's cash becomes NaN */
static void nan_cash(unsigned char *raw, size_t len)
{
    (void)len;
    size_t name = crit__get_u32(raw);
    crit__put_u64(raw + 4 + name + 4, 0x7ff8000000000000ull);
}

static void test_io_scenario_values_use_module_rules(void **state)
{
    (void)state;
    size_t n, m;
    unsigned char *d = saved(&n, 0), *e;

    /* (without a result: with one, its dimensions no longer match) */
    e = snap_edit(d, n, snap_find(d, n, "SCEN", 0), zero_periods, &m);
    assert_int_equal(load_fails(e, m), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "chunk SCEN at offset"));
    assert_non_null(strstr(crit_error_last(), "0 periods is outside"));
    free(e);
    e = snap_edit(d, n, snap_find(d, n, "SCEN", 0), zero_periods, &m);
    free(d);
    d = saved(&n, 1);
    free(e);
    e = snap_edit(d, n, snap_find(d, n, "SCEN", 0), zero_periods, &m);
    assert_int_equal(load_fails(e, m), CRIT_EFORMAT);
    assert_non_null(strstr(crit_error_last(), "do not match the scenario"));
    free(e);

    e = snap_edit(d, n, snap_find(d, n, "EVNT", 0), bad_kind, &m);
    assert_int_equal(load_fails(e, m), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "chunk EVNT at offset"));
    assert_non_null(strstr(crit_error_last(), "unknown event kind 99"));
    free(e);

    e = snap_edit(d, n, snap_find(d, n, "EVNT", 0), bad_index, &m);
    assert_int_equal(load_fails(e, m), CRIT_EFORMAT);
    assert_non_null(strstr(crit_error_last(), "event mineral 7"));
    free(e);

    e = snap_edit(d, n, snap_find(d, n, "STCK", 0), nan_cash, &m);
    assert_int_equal(load_fails(e, m), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "chunk STCK at offset"));
    free(e);
    free(d);
}

/* RSER (the first is the price): transform id (bytes 8..11) 2, unknown */
static void bad_transform(unsigned char *raw, size_t len)
{
    (void)len;
    crit__put_u32(raw + 8, 2);
}
/* RSER: the period deltas (transform 1) rebuilt into the values and
 * written back as plain planes (transform 0), as another writer may */
static void to_plain(unsigned char *raw, size_t len)
{
    size_t n = crit__get_u32(raw + 4), stride = n / PERIODS;
    assert_int_equal(len, 12 + 8 * n);
    assert_int_equal(crit__get_u32(raw + 8), 1);
    unsigned char *p = raw + 12;
    uint64_t *u = malloc(n * sizeof *u);
    assert_non_null(u);
    for (size_t i = 0; i < n; i++) {
        u[i] = 0;
        for (int b = 0; b < 8; b++)
            u[i] |= (uint64_t)p[(size_t)b * n + i] << (8 * b);
        if (i >= stride)
            u[i] += u[i - stride];
    }
    for (size_t i = 0; i < n; i++)
        for (int b = 0; b < 8; b++)
            p[(size_t)b * n + i] = (unsigned char)(u[i] >> (8 * b));
    crit__put_u32(raw + 8, 0);
    free(u);
}

/* The series' values go through the period deltas bit for bit, whatever
 * their pattern: NaN payloads, -0, infinities, subnormals, and deltas
 * that wrap around 2^64 either way; a plain (transform 0) chunk reads
 * the same; an unknown transform is refused, naming the chunk. */
static void test_io_scenario_series_transform(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = full_scenario(w, PERIODS);
    crit_result *r = NULL;
    assert_int_equal(crit_scenario_run(&r, s, NULL, NULL), CRIT_OK);
    static const uint64_t pat[] = {
        0x7ff8000000000001ull, 0xfff0000000000abcull, 0x8000000000000000ull,
        0x0000000000000000ull, 0x7ff0000000000000ull, 0xfff0000000000000ull,
        0x0000000000000001ull, 0xffffffffffffffffull, 0x000fffffffffffffull,
        0x7ff4000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000001ull};
    size_t np = sizeof pat / sizeof *pat;
    size_t n = crit__result_series_len(r, CRIT_SERIES_PRICE);
    for (size_t i = 0; i < n; i++) {
        uint64_t u = pat[(i * 7 + i / 5) % np];
        memcpy(&r->data[CRIT_SERIES_PRICE][i], &u, sizeof u);
    }
    const char *p = tmp_path("tr");
    assert_int_equal(crit_io_save_scenario(p, s, r, NULL), CRIT_OK);
    crit_scenario *s2 = NULL;
    crit_result *r2 = NULL;
    assert_int_equal(crit_io_load_scenario(&s2, &r2, p, NULL), CRIT_OK);
    assert_true(crit__result_equal(r, r2));
    assert_memory_equal(r->data[CRIT_SERIES_PRICE], r2->data[CRIT_SERIES_PRICE],
                        n * sizeof(double));
    crit_result_free(r2);
    crit_scenario_free(s2);

    size_t dn, m;
    unsigned char *d = snap_slurp(p, &dn), *e;
    unlink(p);
    e = snap_edit(d, dn, snap_find(d, dn, "RSER", 0), to_plain, &m);
    r2 = NULL;
    s2 = NULL;
    assert_int_equal(crit_io_load_scenario_memory(&s2, &r2, e, m, NULL),
                     CRIT_OK);
    assert_true(crit__result_equal(r, r2));
    crit_result_free(r2);
    crit_scenario_free(s2);
    free(e);

    size_t off[128];
    size_t nc = snap_chunks(d, dn, off, 128), c = 0;
    while (c < nc && memcmp(d + off[c], "RSER", 4) != 0)
        c++;
    assert_true(c < nc);
    e = snap_edit(d, dn, snap_find(d, dn, "RSER", 0), bad_transform, &m);
    assert_int_equal(load_fails(e, m), CRIT_EFORMAT);
    char where[64];
    snprintf(where, sizeof where, "chunk RSER at offset %zu", off[c]);
    assert_non_null(strstr(crit_error_last(), where));
    assert_non_null(strstr(crit_error_last(), "unknown value transform 2"));
    /* the scenario alone is still checked the same */
    s2 = NULL;
    assert_int_equal(crit_io_load_scenario_memory(&s2, NULL, e, m, NULL),
                     CRIT_EFORMAT);
    assert_null(s2);
    free(e);
    free(d);
    crit_result_free(r);
    crit_scenario_free(s);
    crit_world_free(w);
}

/* ---- hostile files: each check of the scenario chunks, reached by
 * editing a saved file (every CRC recomputed) so that only the property
 * under test is wrong ---- */

/* Loading (with the result asked for) fails with `code`, a message naming
 * "chunk TYPE at offset N: detail" (the nth chunk of `type` in d), both
 * outputs untouched and nothing leaked. */
static void expect_fail(const unsigned char *d, size_t n, int code,
                        const char *type, size_t nth, const char *detail)
{
    uint64_t live = crit_allocator_live_blocks();
    crit_scenario *s = (crit_scenario *)(uintptr_t)1;
    crit_result *r = (crit_result *)(uintptr_t)1;
    int rc = crit_io_load_scenario_memory(&s, &r, d, n, NULL);
    char want[400];
    snprintf(want, sizeof want, "chunk %s at offset %zu: %s", type,
             snap_find(d, n, type, nth), detail);
    if (rc != code || !strstr(crit_error_last(), want))
        fail_msg("expected %s containing '%s', got %s: %s",
                 crit_error_name(code), want, crit_error_name(rc),
                 crit_error_last());
    assert_ptr_equal(s, (crit_scenario *)(uintptr_t)1);
    assert_ptr_equal(r, (crit_result *)(uintptr_t)1);
    assert_int_equal(crit_allocator_live_blocks(), live);
}

/* The documented layouts (docs/format.md) of the chunks edited below. */
#define SCEN_FLAG 16   /* u8 market options set */
#define SCEN_TOL 17    /* f64 tolerance */
#define SCEN_N_SP 33   /* u32 stockpiles */
#define SCEN_N_LOAN 37 /* u32 loans */
/* STCK: name, economy, cash, mineral count, then per mineral 108 bytes:
 * mineral, target unit, 11 f64, inventory f64 (at 96), disrupted */
static size_t stck_minerals(const unsigned char *raw)
{
    return 4 + crit__get_u32(raw) + 4 + 8 + 4;
}
/* the participants: after the count, name, kind, mineral, 9 f64 */
static size_t stck_first_participant(const unsigned char *raw)
{
    size_t m = stck_minerals(raw);
    return m + 108 * crit__get_u32(raw + m - 4) + 4;
}

static size_t cut_to_10(unsigned char *raw, size_t len)
{
    (void)raw, (void)len;
    return 10;
}
static size_t cut_to_8(unsigned char *raw, size_t len)
{
    (void)raw, (void)len;
    return 8;
}
static size_t cut_8(unsigned char *raw, size_t len)
{
    (void)raw;
    return len - 8;
}
static size_t cut_1(unsigned char *raw, size_t len)
{
    (void)raw;
    return len - 1;
}
static size_t count_plus_1(unsigned char *raw, size_t len)
{
    crit__put_u32(raw, crit__get_u32(raw) + 1);
    return len;
}
static size_t policy_mineral_none(unsigned char *raw, size_t len)
{
    crit__put_u32(raw + 4, 0xFFFFFFFFu); /* POLI: count, then mineral */
    return len;
}
static size_t flag_2(unsigned char *raw, size_t len)
{
    raw[SCEN_FLAG] = 2;
    return len;
}
static size_t many_stockpiles(unsigned char *raw, size_t len)
{
    crit__put_u32(raw + SCEN_N_SP, 1u << 24);
    return len;
}
static size_t no_stockpiles(unsigned char *raw, size_t len)
{
    crit__put_u32(raw + SCEN_N_SP, 0);
    return len;
}
static size_t two_stockpiles(unsigned char *raw, size_t len)
{
    crit__put_u32(raw + SCEN_N_SP, 2);
    return len;
}
static size_t no_loans(unsigned char *raw, size_t len)
{
    crit__put_u32(raw + SCEN_N_LOAN, 0);
    return len;
}
static size_t loan_stockpile_1(unsigned char *raw, size_t len)
{
    crit__put_u32(raw, 1); /* LOAN: u32 stockpile index, of 1 */
    return len;
}
static size_t result_three_minerals(unsigned char *raw, size_t len)
{
    crit__put_u32(raw + 4, 3); /* RSLT: T, then M */
    return len;
}
static size_t result_two_stockpiles(unsigned char *raw, size_t len)
{
    crit__put_u32(raw + 12, 2); /* RSLT: T, M, E, then S */
    return len;
}
static size_t options_bad_tolerance(unsigned char *raw, size_t len)
{
    raw[SCEN_FLAG] = 1;
    crit__put_u64(raw + SCEN_TOL, 0xbff0000000000000ull); /* -1 */
    return len;
}
static size_t count_1000(unsigned char *raw, size_t len)
{
    crit__put_u32(raw, 1000);
    return len;
}
static size_t name_nul(unsigned char *raw, size_t len)
{
    raw[5] = '\0'; /* "vault" -> "v\0ult" */
    return len;
}
static size_t name_too_long(unsigned char *raw, size_t len)
{
    crit__put_u32(raw, 0xFFFF);
    return len;
}
static size_t inventory_over_capacity(unsigned char *raw, size_t len)
{
    crit__put_u64(raw + stck_minerals(raw) + 96,
                  0x41cdcd6500000000ull); /* 1e9 */
    return len;
}
static size_t stock_mineral_2(unsigned char *raw, size_t len)
{
    crit__put_u32(raw + stck_minerals(raw), 2); /* of 2 minerals */
    return len;
}
static size_t inventory_inf(unsigned char *raw, size_t len)
{
    crit__put_u64(raw + stck_minerals(raw) + 96, 0x7ff0000000000000ull);
    return len;
}
static size_t inventory_negative(unsigned char *raw, size_t len)
{
    crit__put_u64(raw + stck_minerals(raw) + 96, crit__f64_bits(-1));
    return len;
}
static size_t participant_drawn_negative(unsigned char *raw, size_t len)
{
    size_t p = stck_first_participant(raw);
    p += 4 + crit__get_u32(raw + p) + 4 + 4; /* name, kind, mineral */
    crit__put_u64(raw + p + 7 * 8, 0xbff0000000000000ull); /* drawn -1 */
    return len;
}
/* POLI (the fixture's: one policy, for Ga, with one floor, at USA; 56
 * bytes): a second entry for the same mineral, and a second floor for the
 * same economy, each with other values. A writer never repeats either;
 * before, the reader kept the last and dropped the first. */
static size_t policy_twice(unsigned char *raw, size_t len)
{
    assert_int_equal(len, 56);
    crit__put_u32(raw, 2);
    memcpy(raw + 56, raw + 4, 52);
    crit__put_u64(raw + 56 + 4, crit__f64_bits(7)); /* external tariff */
    return 108;
}
static size_t floor_twice(unsigned char *raw, size_t len)
{
    assert_int_equal(len, 56);
    crit__put_u32(raw + 24, 2);
    memcpy(raw + 56, raw + 28, 28);
    crit__put_u64(raw + 56 + 4, crit__f64_bits(1200)); /* floor price */
    return 84;
}
/* STCK: state no settlement can leave. The trader (the third
 * participant) holds no mineral, so it never draws or owes; a firm that
 * does not replenish (rate 0) never owes. Before, both loaded. */
/* Where the trader's values begin (after its name, kind and mineral) */
static size_t trader_values_at(unsigned char *raw)
{
    size_t p = stck_first_participant(raw);
    for (int i = 0; i < 2; i++)
        p += 4 + crit__get_u32(raw + p) + 4 + 4 + 9 * 8;
    assert_int_equal(crit__get_u32(raw + p), 6); /* "trader" */
    return p + 4 + 6 + 4 + 4;
}
static size_t trader_drawn(unsigned char *raw, size_t len)
{
    size_t p = trader_values_at(raw);
    crit__put_u64(raw + p + 7 * 8, crit__f64_bits(1)); /* drawn */
    return len;
}
static size_t trader_owed(unsigned char *raw, size_t len)
{
    size_t p = trader_values_at(raw);
    crit__put_u64(raw + p + 8 * 8, crit__f64_bits(1)); /* owed */
    return len;
}
static size_t participant_owed_inf(unsigned char *raw, size_t len)
{
    size_t p = stck_first_participant(raw);
    p += 4 + crit__get_u32(raw + p) + 4 + 4; /* name, kind, mineral */
    crit__put_u64(raw + p + 8 * 8, 0x7ff0000000000000ull); /* owed +inf */
    return len;
}
static size_t owed_without_replenishment(unsigned char *raw, size_t len)
{
    size_t p = stck_first_participant(raw);
    p += 4 + crit__get_u32(raw + p) + 4 + 4;           /* name, kind, mineral */
    crit__put_u64(raw + p + 6 * 8, crit__f64_bits(0)); /* replenish rate */
    crit__put_u64(raw + p + 8 * 8, crit__f64_bits(1)); /* owed */
    return len;
}
/* RSLT: the loan after the dims, dates and the stockpile name "vault";
 * the fixture's has no curve and no profile, its first draw the
 * scenario's scheduled 2000 on 2026-01-01 (at 88). A run only adds
 * draws to the scenario's loan: other terms (here the commitment), or a
 * scheduled draw that is not there, are not a run of it. Before, both
 * loaded. */
#define RSLT_LOAN (20 + 4 * (PERIODS + 1) + 4 + 5)
static size_t result_loan_commitment(unsigned char *raw, size_t len)
{
    assert_true(crit__bits_f64(crit__get_u64(raw + RSLT_LOAN)) == 150000);
    crit__put_u64(raw + RSLT_LOAN, crit__f64_bits(160000));
    return len;
}
static size_t result_loan_first_draw(unsigned char *raw, size_t len)
{
    size_t p = RSLT_LOAN + 92;
    assert_true(crit__bits_f64(crit__get_u64(raw + p)) == 2000);
    crit__put_u64(raw + p, crit__f64_bits(2001));
    return len;
}
static size_t series_99(unsigned char *raw, size_t len)
{
    crit__put_u32(raw, 99);
    return len;
}
static size_t series_count(unsigned char *raw, size_t len)
{
    crit__put_u32(raw, CRIT_SERIES_COUNT); /* one past the last */
    return len;
}
static size_t series_0(unsigned char *raw, size_t len)
{
    crit__put_u32(raw, 0);
    return len;
}
static size_t series_count_plus_1(unsigned char *raw, size_t len)
{
    crit__put_u32(raw + 4, crit__get_u32(raw + 4) + 1);
    return len;
}
static size_t second_date_plus_1(unsigned char *raw, size_t len)
{
    crit__put_u32(raw + 24, crit__get_u32(raw + 24) + 1); /* dates at 20 */
    return len;
}
static size_t second_date_invalid(unsigned char *raw, size_t len)
{
    crit__put_u32(raw + 24, 0x7FFFFFFFu); /* no calendar date */
    return len;
}
static size_t stockpile_name_changed(unsigned char *raw, size_t len)
{
    size_t at = 20 + 4 * (PERIODS + 1); /* after the dims and dates */
    assert_int_equal(crit__get_u32(raw + at), 5);
    raw[at + 4 + 4] = 'x'; /* "vault" -> "vaulx" */
    return len;
}

typedef struct scen_case {
    const char *type; /* the chunk edited */
    size_t nth;
    snap_resize_fn edit;
    int code;
    const char *at; /* the chunk the message names, its nth */
    size_t at_nth;
    const char *detail;
} scen_case;

static void test_io_scenario_layout_errors(void **state)
{
    (void)state;
    size_t n, m;
    unsigned char *d = saved(&n, 1), *e;
    char unknown[80], repeated[160], count[120], values[120], stck[120],
        dims[160], short_prog[120], events[120], dims_m[160], unknown48[80],
        stock_min[120], values1[120];
    size_t rser0 = snap_find(d, n, "RSER", 0);
    size_t s0 = crit__get_u32(d + rser0); /* not raw: read it below */
    (void)s0;
    /* the first RSER chunk's series, its value count */
    uLongf rl = (uLongf)crit__get_u64(d + rser0 + 16);
    unsigned char *raw = malloc(rl);
    assert_int_equal(uncompress(raw, &rl, d + rser0 + 24,
                                (uLong)crit__get_u64(d + rser0 + 8)),
                     Z_OK);
    int32_t q0 = (int32_t)crit__get_u32(raw);
    uint32_t v0 = crit__get_u32(raw + 4);
    free(raw);
    snprintf(unknown, sizeof unknown,
             "series 99 is unknown (0 to %d are known)", CRIT_SERIES_COUNT - 1);
    snprintf(repeated, sizeof repeated,
             "a second RSER chunk for series '%s' (the first at offset %zu)",
             crit_series_name(0), rser0);
    snprintf(count, sizeof count, "series '%s' has %lu values, its shape %lu",
             crit_series_name(q0), (unsigned long)v0 + 1, (unsigned long)v0);
    snprintf(values, sizeof values,
             "series values at payload byte 12 runs past the payload's end "
             "(%lu bytes)",
             (unsigned long)(12 + 8 * v0 - 8));
    snprintf(values1, sizeof values1,
             "series values at payload byte 12 runs past the payload's end "
             "(%lu bytes)",
             (unsigned long)(12 + 8 * v0 - 1));
    snprintf(stck, sizeof stck,
             "a second chunk of this type (the first at offset %zu)",
             snap_find(d, n, "EVNT", 0));
    snprintf(dims, sizeof dims,
             "dimensions %d periods, 2 minerals, 3 economies, 2 stockpiles, 1 "
             "loans do not match the scenario",
             PERIODS);
    size_t sl;
    unsigned char *sraw = snap_raw(d, snap_find(d, n, "STCK", 0), &sl);
    snprintf(stock_min, sizeof stock_min,
             "stockpile mineral 2 at payload byte %zu is not below 2",
             stck_minerals(sraw));
    free(sraw);
    snprintf(unknown48, sizeof unknown48,
             "series %d is unknown (0 to %d are known)", CRIT_SERIES_COUNT,
             CRIT_SERIES_COUNT - 1);
    snprintf(dims_m, sizeof dims_m,
             "dimensions %d periods, 3 minerals, 3 economies, 1 stockpiles, 1 "
             "loans do not match the scenario",
             PERIODS);
    assert_int_equal(q0, 0);
    /* PROG one byte short: its last field, the i32 start period, has 3 of
       its 4 bytes */
    size_t pl;
    free(snap_raw(d, snap_find(d, n, "PROG", 0), &pl));
    snprintf(short_prog, sizeof short_prog,
             "start period at payload byte %zu runs past the payload's end "
             "(%zu bytes)",
             pl - 4, pl - 1);
    /* EVNT with one event more than its 44-byte events fill */
    size_t el;
    free(snap_raw(d, snap_find(d, n, "EVNT", 0), &el));
    assert_int_equal((el - 4) % 44, 0);
    snprintf(events, sizeof events,
             "event count %zu at payload byte 0 does not fit the payload",
             (el - 4) / 44 + 1);
    const scen_case cases[] = {
        {"SCEN", 0, cut_to_10, CRIT_EFORMAT, "SCEN", 0,
         "months per period at payload byte 8 runs past the payload's end "
         "(10 bytes)"},
        {"SCEN", 0, flag_2, CRIT_EFORMAT, "SCEN", 0,
         "market options flag 2 is not 0 or 1"},
        {"SCEN", 0, many_stockpiles, CRIT_EFORMAT, "SCEN", 0,
         "16777216 stockpiles and 1 loans: at most 16777215 of each"},
        {"SCEN", 0, options_bad_tolerance, CRIT_EINVAL, "SCEN", 0,
         "scenario: market options"},
        {"SCEN", 0, no_stockpiles, CRIT_EFORMAT, "STCK", 0,
         "more STCK chunks than the 0 stockpiles of the SCEN chunk"},
        {"SCEN", 0, no_loans, CRIT_EFORMAT, "LOAN", 0,
         "more LOAN chunks than the 0 loans of the SCEN chunk"},
        {"SCEN", 0, two_stockpiles, CRIT_EFORMAT, "SCEN", 0,
         "declares 2 stockpiles and 1 loans, the file has 1 STCK and 1 LOAN "
         "chunks"},
        {"EVNT", 0, count_1000, CRIT_EFORMAT, "EVNT", 0,
         "event count 1000 at payload byte 0 does not fit the payload"},
        {"STCK", 0, name_nul, CRIT_EFORMAT, "STCK", 0,
         "stockpile name at payload byte 4 contains a NUL byte"},
        {"STCK", 0, name_too_long, CRIT_EFORMAT, "STCK", 0,
         "stockpile name at payload byte 4 runs past the payload's end"},
        {"STCK", 0, inventory_over_capacity, CRIT_EINVAL, "STCK", 0,
         "stockpile 'vault' mineral 'Ga': inventory 1e+09 t is outside [0, "
         "capacity 200 t]"},
        {"STCK", 0, stock_mineral_2, CRIT_EFORMAT, "STCK", 0, stock_min},
        {"STCK", 0, inventory_negative, CRIT_EINVAL, "STCK", 0,
         "stockpile 'vault' mineral 'Ga': inventory -1 t is outside [0, "
         "capacity 200 t]"},
        {"STCK", 0, participant_drawn_negative, CRIT_EINVAL, "STCK", 0,
         "participant 'Ga': drawn -1 t and owed 0 t must be finite and >= 0"},
        {"STCK", 0, trader_drawn, CRIT_EINVAL, "STCK", 0,
         "participant 'trader' holds no mineral: drawn 1 t and owed 0 t "
         "must be 0"},
        {"STCK", 0, trader_owed, CRIT_EINVAL, "STCK", 0,
         "participant 'trader' holds no mineral: drawn 0 t and owed 1 t "
         "must be 0"},
        {"STCK", 0, participant_owed_inf, CRIT_EINVAL, "STCK", 0,
         "participant 'Ga': drawn 0 t and owed inf t must be finite and >= "
         "0"},
        {"STCK", 0, owed_without_replenishment, CRIT_EINVAL, "STCK", 0,
         "participant 'Ga' does not replenish: owed 1 t must be 0"},
        {"RSLT", 0, cut_to_10, CRIT_EFORMAT, "RSLT", 0,
         "economies at payload byte 8 runs past the payload's end (10 "
         "bytes)"},
        {"RSLT", 0, second_date_plus_1, CRIT_EFORMAT, "RSLT", 0,
         "period 1 starts on 2026-02-02, the scenario's calendar on "
         "2026-02-01"},
        {"RSLT", 0, second_date_invalid, CRIT_EFORMAT, "RSLT", 0,
         "period 1 starts on 2147483647, the scenario's calendar on "
         "2026-02-01"},
        {"RSLT", 0, stockpile_name_changed, CRIT_EFORMAT, "RSLT", 0,
         "stockpile 0 is 'vaulx', the scenario's 'vault'"},
        {"POLI", 0, policy_twice, CRIT_EFORMAT, "POLI", 0,
         "a second policy for mineral 'Ga'"},
        {"POLI", 0, floor_twice, CRIT_EFORMAT, "POLI", 0,
         "policy for mineral 'Ga': a second floor for economy 'USA'"},
        {"RSLT", 0, result_loan_commitment, CRIT_EFORMAT, "RSLT", 0,
         "loan 0 is not a run of the scenario's: its terms differ"},
        {"RSLT", 0, result_loan_first_draw, CRIT_EFORMAT, "RSLT", 0,
         "loan 0 is not a run of the scenario's: it lacks the scenario's "
         "draw 0"},
        {"RSER", 0, cut_to_8, CRIT_EFORMAT, "RSER", 0,
         "payload of 8 bytes is shorter than 12"},
        {"RSER", 0, series_99, CRIT_EFORMAT, "RSER", 0, unknown},
        {"RSER", 0, series_count, CRIT_EFORMAT, "RSER", 0, unknown48},
        {"RSER", 1, series_0, CRIT_EFORMAT, "RSER", 1, repeated},
        {"RSER", 0, series_count_plus_1, CRIT_EFORMAT, "RSER", 0, count},
        {"RSER", 0, cut_8, CRIT_EFORMAT, "RSER", 0, values},
        {"RSER", 0, cut_1, CRIT_EFORMAT, "RSER", 0, values1},
        {"LOAN", 0, loan_stockpile_1, CRIT_EFORMAT, "LOAN", 0,
         "loan stockpile 1 at payload byte 0 is not below 1"},
        {"RSLT", 0, result_two_stockpiles, CRIT_EFORMAT, "RSLT", 0, dims},
        {"RSLT", 0, result_three_minerals, CRIT_EFORMAT, "RSLT", 0, dims_m},
        {"PROG", 0, cut_1, CRIT_EFORMAT, "PROG", 0, short_prog},
        {"EVNT", 0, count_plus_1, CRIT_EFORMAT, "EVNT", 0, events},
        {"POLI", 0, policy_mineral_none, CRIT_EFORMAT, "POLI", 0,
         "policy mineral 4294967295 at payload byte 4 is not below 2"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        e = snap_resize(d, n, snap_find(d, n, cases[c].type, cases[c].nth),
                        cases[c].edit, &m);
        expect_fail(e, m, cases[c].code, cases[c].at, cases[c].at_nth,
                    cases[c].detail);
        free(e);
    }

    /* out_result NULL ignores the saved result (crit/io.h): a result
       whose dimensions are not the scenario's is not read */
    e = snap_resize(d, n, snap_find(d, n, "RSLT", 0), result_two_stockpiles,
                    &m);
    crit_scenario *alone = NULL;
    assert_int_equal(crit_io_load_scenario_memory(&alone, NULL, e, m, NULL),
                     CRIT_OK);
    crit_world *fw = small_world();
    crit_scenario *want = full_scenario(fw, PERIODS);
    assert_true(crit__scenario_equal(want, alone));
    crit_scenario_free(want);
    crit_world_free(fw);
    crit_scenario_free(alone);
    free(e);

    /* chunks missing, repeated or out of order */
    e = malloc(n);
    memcpy(e, d, n);
    snap_retype(e, snap_find(e, n, "SCEN", 0),
                "XCEN"); /* an unknown type: skipped */
    expect_fail(e, n, CRIT_EFORMAT, "EVNT", 0, "comes before the SCEN chunk");
    memcpy(e, d, n);
    snap_retype(e, snap_find(e, n, "PROG", 0), "XROG");
    expect_fail(e, n, CRIT_EFORMAT, "SCEN", 0, "the file has no PROG chunk");
    memcpy(e, d, n);
    size_t evnt = snap_find(e, n, "EVNT", 0);
    e[evnt + 24 + 1] ^= 0x01; /* the zlib header's check bits */
    snap_fix_crc(e, evnt);
    expect_fail(e, n, CRIT_EFORMAT, "EVNT", 0,
                "corrupt compressed data (incorrect header check)");
    memcpy(e, d, n);
    snap_retype(e, snap_find(e, n, "POLI", 0), "XOLI");
    expect_fail(e, n, CRIT_EFORMAT, "SCEN", 0, "the file has no POLI chunk");
    memcpy(e, d, n);
    snap_retype(e, snap_find(e, n, "EVNT", 0), "XVNT");
    expect_fail(e, n, CRIT_EFORMAT, "SCEN", 0, "the file has no EVNT chunk");
    memcpy(e, d, n);
    snap_retype(e, snap_find(e, n, "PROG", 0), "EVNT");
    expect_fail(e, n, CRIT_EFORMAT, "EVNT", 1, stck);
    memcpy(e, d, n);
    snap_retype(e, snap_find(e, n, "LOAN", 0), "XOAN");
    expect_fail(e, n, CRIT_EFORMAT, "SCEN", 0,
                "declares 1 stockpiles and 1 loans, the file has 1 STCK and 0 "
                "LOAN chunks");
    memcpy(e, d, n);
    snap_retype(e, snap_find(e, n, "RSER", 0), "XSER");
    snprintf(count, sizeof count,
             "the result has no RSER chunk for series '%s'",
             crit_series_name(0));
    expect_fail(e, n, CRIT_EFORMAT, "RSLT", 0, count);
    free(e);
    free(d);
}

/* An inventory must be finite: with a capacity of DBL_MAX the bound
 * capacity (1 + 3e-9) is +inf, and an inventory of +inf is still refused
 * (docs/format.md: within [0, capacity (1 + 3e-9)], finite). */
static void test_io_scenario_inventory_must_be_finite(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = new_scenario(w, 3);
    crit_stockpile *sp = usa_stockpile(w, "big", 0);
    crit_stockpile_mineral_def m;
    crit_stockpile_mineral_def_init(&m);
    m.mineral = "Ga";
    m.capacity_t = DBL_MAX;
    m.purchase_trigger_usd_per_t = 1000;
    m.release_trigger_usd_per_t = 2000;
    assert_int_equal(crit_stockpile_add_mineral(sp, &m), CRIT_OK);
    add_stockpile(s, sp);
    const char *p = tmp_path("inf");
    assert_int_equal(crit_io_save_scenario(p, s, NULL, NULL), CRIT_OK);
    size_t n, m2;
    unsigned char *d = snap_slurp(p, &n);
    unlink(p);
    unsigned char *e =
        snap_resize(d, n, snap_find(d, n, "STCK", 0), inventory_inf, &m2);
    expect_fail(e, m2, CRIT_EINVAL, "STCK", 0,
                "stockpile 'big' mineral 'Ga': inventory inf t is outside");
    free(e);
    free(d);
    crit_scenario_free(s);
    crit_world_free(w);
}

/* A loan may schedule the same draw twice (date and amount); a run keeps
 * both, so a result whose loan holds it once lacks the second (each of
 * the run's draws stands for one of the scenario's). RSLT of a 3-period
 * scenario with one stockpile "vault": the loan after the dims (20), the
 * 4 dates and the name (9); its draws at 88 (no curve, no profile). */
#define RSLT_LOAN3 (20 + 4 * 4 + 4 + 5)
static size_t drop_second_draw(unsigned char *raw, size_t len)
{
    size_t at = RSLT_LOAN3 + 84, k = crit__get_u32(raw + at);
    assert_true(k >= 2);
    size_t d1 = at + 4 + 12;
    assert_int_equal(crit__get_u32(raw + at + 4), crit__get_u32(raw + d1));
    assert_true(crit__bits_f64(crit__get_u64(raw + d1 + 4)) == 1000);
    crit__put_u32(raw + at, (uint32_t)k - 1);
    memmove(raw + d1, raw + d1 + 12, len - d1 - 12);
    return len - 12;
}

static void test_io_scenario_result_loan_repeated_draw(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = new_scenario(w, 3);
    add_stockpile(s, usa_stockpile(w, "vault", 0));
    crit_loan_def ld;
    fixture_loan_def(&ld, 5000);
    crit_date dd[] = {ymd(2026, 1, 1), ymd(2026, 1, 1)};
    double da[] = {1000, 1000};
    ld.draw_count = 2;
    ld.draw_dates = dd;
    ld.draw_amounts = da;
    add_loan(s, &ld);
    crit_result *r = NULL;
    assert_int_equal(crit_scenario_run(&r, s, NULL, NULL), CRIT_OK);
    const char *p = tmp_path("twice");
    assert_int_equal(crit_io_save_scenario(p, s, r, NULL), CRIT_OK);
    size_t n, m;
    unsigned char *d = snap_slurp(p, &n);
    unlink(p);
    crit_scenario *s2 = NULL;
    crit_result *r2 = NULL;
    assert_int_equal(crit_io_load_scenario_memory(&s2, &r2, d, n, NULL),
                     CRIT_OK);
    assert_true(crit__result_equal(r, r2));
    crit_result_free(r2);
    crit_scenario_free(s2);
    unsigned char *e =
        snap_resize(d, n, snap_find(d, n, "RSLT", 0), drop_second_draw, &m);
    expect_fail(e, m, CRIT_EFORMAT, "RSLT", 0,
                "loan 0 is not a run of the scenario's: it lacks the "
                "scenario's draw 1");
    free(e);
    free(d);
    crit_result_free(r);
    crit_scenario_free(s);
    crit_world_free(w);
}

/* Market options set on a scenario go through a file (the SCEN chunk's
 * flag 1 and the three values). */
static void test_io_scenario_market_options_roundtrip(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = full_scenario(w, PERIODS);
    crit_market_options o;
    crit_market_options_init(&o);
    o.tolerance = 3e-9;
    o.max_iterations = 77;
    o.warm_start = 0;
    assert_int_equal(crit_scenario_set_market_options(s, &o), CRIT_OK);
    const char *p = tmp_path("mopt");
    assert_int_equal(crit_io_save_scenario(p, s, NULL, NULL), CRIT_OK);
    crit_scenario *s2 = NULL;
    assert_int_equal(crit_io_load_scenario(&s2, NULL, p, NULL), CRIT_OK);
    assert_true(crit__scenario_equal(s, s2));
    assert_int_equal(s2->has_mopt, 1);
    assert_true(s2->mopt.tolerance == 3e-9);
    assert_int_equal(s2->mopt.max_iterations, 77);
    assert_int_equal(s2->mopt.warm_start, 0);
    /* and they matter to equality: the same scenario without them differs */
    crit_scenario *s3 = full_scenario(w, PERIODS);
    assert_false(crit__scenario_equal(s3, s2));
    unlink(p);
    crit_scenario_free(s3);
    crit_scenario_free(s2);
    crit_scenario_free(s);
    crit_world_free(w);
}

/* NULL arguments: CRIT_EINVAL, outputs untouched, nothing written. */
static void test_io_scenario_null_arguments(void **state)
{
    (void)state;
    size_t n;
    unsigned char *d = saved(&n, 0);
    crit_world *w = small_world();
    crit_scenario *s = full_scenario(w, PERIODS);
    const char *p = tmp_path("null");
    unlink(p);
    assert_int_equal(crit_io_save_scenario(NULL, s, NULL, NULL), CRIT_EINVAL);
    assert_int_equal(crit_io_save_scenario(p, NULL, NULL, NULL), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "NULL argument"));
    assert_int_equal(access(p, F_OK), -1);
    crit_scenario *out = (crit_scenario *)(uintptr_t)1;
    crit_result *res = (crit_result *)(uintptr_t)1;
    assert_int_equal(crit_io_load_scenario(NULL, &res, p, NULL), CRIT_EINVAL);
    assert_int_equal(crit_io_load_scenario(&out, &res, NULL, NULL),
                     CRIT_EINVAL);
    assert_int_equal(crit_io_load_scenario_memory(NULL, &res, d, n, NULL),
                     CRIT_EINVAL);
    assert_int_equal(crit_io_load_scenario_memory(&out, &res, NULL, n, NULL),
                     CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "NULL argument"));
    /* NULL data of size 0 is an empty file */
    assert_int_equal(crit_io_load_scenario_memory(&out, &res, NULL, 0, NULL),
                     CRIT_EFORMAT);
    assert_non_null(strstr(crit_error_last(), "too short"));
    assert_ptr_equal(out, (crit_scenario *)(uintptr_t)1);
    assert_ptr_equal(res, (crit_result *)(uintptr_t)1);
    /* the result's CSV export checks its options */
    crit_result *r = NULL;
    assert_int_equal(crit_scenario_run(&r, s, NULL, NULL), CRIT_OK);
    crit_io_csv_options co;
    crit_io_csv_options_init(&co);
    co.compress = 2;
    assert_int_equal(crit_io_csv_export_result(p, r, &co), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "compress 2"));
    assert_int_equal(access(p, F_OK), -1);
    crit_result_free(r);
    crit_scenario_free(s);
    crit_world_free(w);
    free(d);
}

/* ---- allocation failure ---- */

typedef struct actx {
    crit_scenario *s, *out;
    crit_result *r, *out_r;
    const char *path;
} actx;

static int op_save(void *p)
{
    actx *c = p;
    return crit_io_save_scenario(c->path, c->s, c->r, NULL);
}
static void save_unchanged(void *p)
{
    (void)p;
}
static int op_load(void *p)
{
    actx *c = p;
    return crit_io_load_scenario(&c->out, &c->out_r, c->path, NULL);
}
static void load_unchanged(void *p)
{
    actx *c = p;
    assert_null(c->out);
    assert_null(c->out_r);
}

static void test_io_scenario_allocation_failure(void **state)
{
    (void)state;
    crit_world *w = small_world();
    actx c = {full_scenario(w, PERIODS), NULL, NULL, NULL, tmp_path("oom")};
    assert_int_equal(crit_scenario_run(&c.r, c.s, NULL, NULL), CRIT_OK);
    failalloc_run(&fa, FAILALLOC_FROM, op_save, save_unchanged, &c);
    failalloc_run(&fa, FAILALLOC_FROM, op_load, load_unchanged, &c);
    assert_true(crit__scenario_equal(c.s, c.out));
    assert_true(crit__result_equal(c.r, c.out_r));
    crit_scenario_free(c.out);
    crit_result_free(c.out_r);
    c.out = NULL;
    c.out_r = NULL;
    failalloc_run(&fa, FAILALLOC_ONLY, op_load, load_unchanged, &c);
    crit_scenario_free(c.out);
    crit_result_free(c.out_r);
    unlink(c.path);
    crit_result_free(c.r);
    crit_scenario_free(c.s);
    crit_world_free(w);
}

/* An explicit deflate level applies to the series too: level 0 stores
 * them, so the file holds at least their 8 bytes per value; the default
 * compresses them. */
/* Whether every chunk of `type` in d holds its raw payload deflated by
 * zlib at `level` with `strategy` (32 KiB window, memLevel 8: deflateInit's
 * defaults), byte for byte. */
static int chunks_deflated_as(const unsigned char *d, size_t n,
                              const char *type, int level, int strategy)
{
    size_t off, k = 0;
    while ((off = snap_find(d, n, type, k++))) {
        size_t rn;
        unsigned char *raw = snap_raw(d, off, &rn);
        z_stream z;
        memset(&z, 0, sizeof z);
        assert_int_equal(deflateInit2(&z, level, Z_DEFLATED, 15, 8, strategy),
                         Z_OK);
        uLong bound = deflateBound(&z, (uLong)rn);
        unsigned char *out = malloc(bound);
        z.next_in = raw;
        z.avail_in = (uInt)rn;
        z.next_out = out;
        z.avail_out = (uInt)bound;
        assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
        size_t zn = z.total_out;
        deflateEnd(&z);
        int same = zn == crit__get_u64(d + off + 8) &&
                   memcmp(out, d + off + 24, zn) == 0;
        free(out);
        free(raw);
        if (!same)
            return 0;
    }
    return k > 1;
}

static void test_io_scenario_level_applies_to_series(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = full_scenario(w, PERIODS);
    crit_result *r = NULL;
    assert_int_equal(crit_scenario_run(&r, s, NULL, NULL), CRIT_OK);
    size_t values = 0;
    for (int32_t q = 0; q < CRIT_SERIES_COUNT; q++)
        values += crit__result_series_len(r, q);
    crit_io_save_options o;
    crit_io_save_options_init(&o);
    o.level = 0;
    const char *p = tmp_path("lvl");
    size_t n0, nd;
    assert_int_equal(crit_io_save_scenario(p, s, r, &o), CRIT_OK);
    free(snap_slurp(p, &n0));
    crit_result *back = NULL;
    crit_scenario *sb = NULL;
    assert_int_equal(crit_io_load_scenario(&sb, &back, p, NULL), CRIT_OK);
    assert_true(crit__result_equal(r, back));
    assert_int_equal(crit_io_save_scenario(p, s, r, NULL), CRIT_OK);
    free(snap_slurp(p, &nd));
    assert_true(n0 >= 8 * values);
    assert_true(nd < n0 / 2);
    /* crit/io.h: by default level 6, and level 1 with the run-length
       strategy for the series; a level given applies to every chunk, with
       the default strategy */
    unsigned char *d = snap_slurp(p, &nd);
    assert_true(chunks_deflated_as(d, nd, "RSER", 1, Z_RLE));
    assert_true(chunks_deflated_as(d, nd, "MINR", 6, Z_DEFAULT_STRATEGY));
    assert_true(chunks_deflated_as(d, nd, "STCK", 6, Z_DEFAULT_STRATEGY));
    free(d);
    o.level = 6;
    assert_int_equal(crit_io_save_scenario(p, s, r, &o), CRIT_OK);
    d = snap_slurp(p, &nd);
    assert_true(chunks_deflated_as(d, nd, "RSER", 6, Z_DEFAULT_STRATEGY));
    assert_true(chunks_deflated_as(d, nd, "MINR", 6, Z_DEFAULT_STRATEGY));
    free(d);
    unlink(p);
    crit_result_free(back);
    crit_scenario_free(sb);
    crit_result_free(r);
    crit_scenario_free(s);
    crit_world_free(w);
}

/* The getters through which the bindings wrap a loaded scenario. */
static void test_io_scenario_getters(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = full_scenario(w, PERIODS);
    const char *p = tmp_path("get");
    assert_int_equal(crit_io_save_scenario(p, s, NULL, NULL), CRIT_OK);
    crit_scenario *s2 = NULL;
    assert_int_equal(crit_io_load_scenario(&s2, NULL, p, NULL), CRIT_OK);
    unlink(p);
    assert_ptr_equal(crit_scenario_world(s), w);
    const crit_world *w2 = crit_scenario_world(s2);
    assert_non_null(w2);
    assert_true(w2 != w && crit_world_equal(w2, w));
    assert_null(crit_scenario_world(NULL));
    size_t ns = 99, nl = 99, ns2, nl2;
    assert_int_equal(crit_scenario_counts(&ns, &nl, s), CRIT_OK);
    assert_int_equal(ns, s->n_sp);
    assert_int_equal(nl, s->n_loan);
    assert_true(ns > 0 && nl > 0);
    assert_int_equal(crit_scenario_counts(&ns2, &nl2, s2), CRIT_OK);
    assert_int_equal(ns2, ns);
    assert_int_equal(nl2, nl);
    assert_int_equal(crit_scenario_counts(NULL, NULL, s), CRIT_OK);
    assert_int_equal(crit_scenario_counts(&ns, &nl, NULL), CRIT_EINVAL);
    for (size_t j = 0; j < ns; j++) {
        const crit_stockpile *a = crit_scenario_stockpile(s, j);
        const crit_stockpile *b = crit_scenario_stockpile(s2, j);
        assert_ptr_equal(a, s->sp[j]);
        assert_string_equal(crit_stockpile_name(a), crit_stockpile_name(b));
        assert_int_equal(crit_stockpile_economy(a), crit_stockpile_economy(b));
    }
    assert_null(crit_scenario_stockpile(s, ns));
    assert_null(crit_scenario_stockpile(NULL, 0));
    for (size_t l = 0; l < nl; l++) {
        size_t a = 99, b = 98;
        assert_int_equal(crit_scenario_loan_stockpile(&a, s, l), CRIT_OK);
        assert_int_equal(crit_scenario_loan_stockpile(&b, s2, l), CRIT_OK);
        assert_int_equal(a, s->loan_sp[l]);
        assert_int_equal(a, b);
    }
    size_t untouched = 7;
    assert_int_equal(crit_scenario_loan_stockpile(&untouched, s, nl),
                     CRIT_ERANGE);
    assert_int_equal(untouched, 7);
    assert_int_equal(crit_scenario_loan_stockpile(NULL, s, 0), CRIT_EINVAL);
    /* the loaded scenario holds the only reference: its world lives with
     * it, as the bindings rely on */
    crit_scenario_free(s2);
    crit_scenario_free(s);
    crit_world_free(w);
}

/* ---- tidy CSV export of a result --------------------------------------- */

static size_t index_of(const char *const *names, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    fail_msg("unknown label '%s'", s);
    return 0;
}

/* Split a CSV line (no quotes in this fixture's labels) into 8 fields. */
static void split8(char *line, char *f[8])
{
    assert_null(strchr(line, '"'));
    for (int i = 0; i < 8; i++) {
        f[i] = line;
        char *c = strchr(line, i < 7 ? ',' : '\n');
        assert_non_null(c);
        *c = 0;
        line = c + 1;
    }
    assert_int_equal(*line, 0);
}

/* Check a tidy export's text against the result: every row's value is
 * the series' value at the row's labels, bit for bit, its date the
 * period's first day, and every value of every series has exactly one
 * row. */
static void check_result_csv(char *text, const crit_result *r)
{
    const crit_world *w = crit_result_world(r);
    size_t T, M, E, S, L;
    assert_int_equal(crit_result_dims(&T, &M, &E, &S, &L, r), CRIT_OK);
    const char *mins[8], *ecos[8], *sps[8];
    for (size_t k = 0; k < M; k++)
        mins[k] = crit_world_mineral_code(w, k);
    for (size_t i = 0; i < E; i++)
        ecos[i] = crit_world_economy_code(w, i);
    for (size_t s = 0; s < S; s++)
        sps[s] = crit_result_stockpile_name(r, s);
    crit_date dates[PERIODS + 1];
    assert_int_equal(crit_result_dates(dates, T + 1, r), CRIT_OK);
    double *v[CRIT_SERIES_COUNT];
    unsigned char *seen[CRIT_SERIES_COUNT];
    size_t dims[CRIT_SERIES_COUNT][3], total = 0;
    int32_t rank[CRIT_SERIES_COUNT];
    for (int32_t q = 0; q < CRIT_SERIES_COUNT; q++) {
        assert_int_equal(crit_result_series_shape(dims[q], &rank[q], r, q),
                         CRIT_OK);
        size_t n = dims[q][0] * dims[q][1] * dims[q][2];
        v[q] = malloc((n ? n : 1) * sizeof(double));
        seen[q] = calloc(n ? n : 1, 1);
        assert_int_equal(crit_result_series(v[q], n, r, q), CRIT_OK);
        total += n;
    }
    char *line = text;
    char *nl = strchr(line, '\n');
    assert_non_null(nl);
    *nl = 0;
    assert_string_equal(line,
                        "mineral,economy,series,period,value,date,stockpile,"
                        "loan");
    line = nl + 1;
    size_t rows = 0;
    while (*line) {
        nl = strchr(line, '\n');
        assert_non_null(nl);
        char *next = nl + 1, *f[8];
        char save = *next;
        *next = 0;
        split8(line, f);
        *next = save;
        int32_t q = 0;
        while (q < CRIT_SERIES_COUNT && strcmp(crit_series_name(q), f[2]) != 0)
            q++;
        assert_true(q < CRIT_SERIES_COUNT);
        size_t t = (size_t)strtoul(f[3], NULL, 10);
        assert_true(t < T);
        char iso[16];
        assert_int_equal(crit_date_format(iso, sizeof iso, dates[t]), CRIT_OK);
        assert_string_equal(f[5], iso);
        size_t a = 0, c = 0;
        if (dims[q][2] == E && *f[1]) { /* [t][k][i] */
            a = index_of(mins, M, f[0]), c = index_of(ecos, E, f[1]);
            assert_string_equal(f[6], "");
            assert_string_equal(f[7], "");
        } else if (*f[6]) { /* [t][s][k] or [t][s] */
            a = index_of(sps, S, f[6]);
            if (*f[0])
                c = index_of(mins, M, f[0]);
            assert_string_equal(f[1], "");
            assert_string_equal(f[7], "");
        } else if (*f[7]) { /* [t][l] */
            a = (size_t)strtoul(f[7], NULL, 10);
            assert_true(a < L);
            assert_string_equal(f[0], "");
        } else if (*f[0]) { /* [t][k] */
            a = index_of(mins, M, f[0]);
            assert_string_equal(f[1], "");
        } else /* [t]: a series of rank 2 or 3 has a label even when its
                  axis has one entry (the one loan, index 0) */
            assert_int_equal(rank[q], 1);
        assert_true(a < dims[q][1] && c < dims[q][2]);
        size_t at = (t * dims[q][1] + a) * dims[q][2] + c;
        assert_int_equal(seen[q][at], 0);
        seen[q][at] = 1;
        double x = strtod(f[4], NULL);
        assert_memory_equal(&x, &v[q][at], sizeof x);
        rows++;
        line = next;
    }
    assert_int_equal(rows, total);
    for (int32_t q = 0; q < CRIT_SERIES_COUNT; q++) {
        free(v[q]);
        free(seen[q]);
    }
}

static void test_io_csv_export_result(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = full_scenario(w, PERIODS);
    crit_result *r = NULL;
    assert_int_equal(crit_scenario_run(&r, s, NULL, NULL), CRIT_OK);
    size_t L;
    assert_int_equal(crit_result_dims(NULL, NULL, NULL, NULL, &L, r), CRIT_OK);
    assert_true(L > 0); /* the fixture has loans: every axis is covered */
    char plain[256], gzp[256];
    snprintf(plain, sizeof plain, "/tmp/crit_io_scen_%ld_r.csv",
             (long)getpid());
    snprintf(gzp, sizeof gzp, "/tmp/crit_io_scen_%ld_r.csv.gz", (long)getpid());
    assert_int_equal(crit_io_csv_export_result(plain, r, NULL), CRIT_OK);
    assert_int_equal(crit_io_csv_export_result(gzp, r, NULL), CRIT_OK);
    size_t n, ng;
    unsigned char *text = snap_slurp(plain, &n);
    unsigned char *gz = snap_slurp(gzp, &ng);
    /* the .gz name compresses: gzip magic, and zlib's own gzip reader
     * gives back the plain file's bytes */
    assert_true(ng > 2 && gz[0] == 0x1f && gz[1] == 0x8b);
    assert_true(ng < n);
    gzFile g = gzopen(gzp, "rb");
    assert_non_null(g);
    unsigned char *back = malloc(n + 1);
    assert_int_equal(gzread(g, back, (unsigned)n + 1), (int)n);
    gzclose(g);
    assert_memory_equal(back, text, n);
    /* compress = 0 writes plain text whatever the name */
    crit_io_csv_options o;
    crit_io_csv_options_init(&o);
    o.compress = 0;
    assert_int_equal(crit_io_csv_export_result(gzp, r, &o), CRIT_OK);
    size_t n2;
    unsigned char *text2 = snap_slurp(gzp, &n2);
    assert_int_equal(n2, n);
    assert_memory_equal(text2, text, n);
    char *z = malloc(n + 1);
    memcpy(z, text, n);
    z[n] = 0;
    check_result_csv(z, r);
    /* bad arguments */
    o.compress = 2;
    assert_int_equal(crit_io_csv_export_result(plain, r, &o), CRIT_EINVAL);
    assert_int_equal(crit_io_csv_export_result(NULL, r, NULL), CRIT_EINVAL);
    assert_int_equal(crit_io_csv_export_result(plain, NULL, NULL), CRIT_EINVAL);
    free(z);
    free(text2);
    free(back);
    free(gz);
    free(text);
    unlink(plain);
    unlink(gzp);
    crit_result_free(r);
    crit_scenario_free(s);
    crit_world_free(w);
}

typedef struct ectx {
    const crit_result *r;
    const char *path;
} ectx;

static int op_export(void *p)
{
    ectx *c = p;
    return crit_io_csv_export_result(c->path, c->r, NULL);
}
static void export_unchanged(void *p)
{
    ectx *c = p;
    assert_int_equal(access(c->path, F_OK), -1);
}

static void test_io_csv_export_result_allocation_failure(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = full_scenario(w, PERIODS);
    crit_result *r = NULL;
    assert_int_equal(crit_scenario_run(&r, s, NULL, NULL), CRIT_OK);
    char path[256];
    snprintf(path, sizeof path, "/tmp/crit_io_scen_%ld_oom.csv.gz",
             (long)getpid());
    unlink(path);
    ectx c = {r, path};
    failalloc_run(&fa, FAILALLOC_FROM, op_export, export_unchanged, &c);
    unlink(path);
    failalloc_run(&fa, FAILALLOC_ONLY, op_export, export_unchanged, &c);
    unlink(path);
    crit_result_free(r);
    crit_scenario_free(s);
    crit_world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_io_scenario_roundtrip_and_rerun),
        cmocka_unit_test(test_io_scenario_floating_loan),
        cmocka_unit_test(test_io_scenario_event_values_and_month_end_loan),
        cmocka_unit_test(test_io_scenario_month_end_start),
        cmocka_unit_test(test_io_scenario_indices_roundtrip),
        cmocka_unit_test(test_io_scenario_result_loan_repeated_draw),
        cmocka_unit_test(test_io_scenario_inventory_must_be_finite),
        cmocka_unit_test(test_io_scenario_equal_detects_difference),
        cmocka_unit_test(
            test_io_scenario_save_refuses_result_of_other_scenario),
        cmocka_unit_test(test_io_scenario_save_refuses_result_of_changed_world),
        cmocka_unit_test(
            test_io_scenario_save_refuses_result_of_changed_scenario),
        cmocka_unit_test(
            test_io_scenario_save_refuses_stale_result_through_copy),
        cmocka_unit_test(test_io_scenario_save_refuses_what_no_longer_fits),
        cmocka_unit_test(test_io_scenario_stockpile_economy_left_coalition),
        cmocka_unit_test(test_io_scenario_result_loan_undrawn_exact),
        cmocka_unit_test(test_io_scenario_inventory_within_settle_slack),
        cmocka_unit_test(test_io_scenario_truncated_at_every_byte),
        cmocka_unit_test(test_io_scenario_flipped_bit_per_chunk),
        cmocka_unit_test(test_io_scenario_wrong_crc_names_chunk),
        cmocka_unit_test(test_io_scenario_values_use_module_rules),
        cmocka_unit_test(test_io_scenario_layout_errors),
        cmocka_unit_test(test_io_scenario_market_options_roundtrip),
        cmocka_unit_test(test_io_scenario_null_arguments),
        cmocka_unit_test(test_io_scenario_allocation_failure),
        cmocka_unit_test(test_io_scenario_getters),
        cmocka_unit_test(test_io_scenario_level_applies_to_series),
        cmocka_unit_test(test_io_scenario_series_transform),
        cmocka_unit_test(test_io_csv_export_result),
        cmocka_unit_test(test_io_csv_export_result_allocation_failure),
    };
    return cmocka_run_group_tests(tests, failalloc_setup, failalloc_teardown);
}

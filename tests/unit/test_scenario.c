/*
 * Scenarios: validation up front, events, and the conservation of money
 * and tonnes over a whole run, checked from the recorded series alone
 * (every dollar and tonne accounted for), plus the market's balance per
 * period and mineral, determinism, cancellation and allocation failure.
 */
#define FAILALLOC_FIXTURE
#include "failalloc.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "scenario_internal.h"

static void near(double got, double want, double tol, const char *what)
{
    double scale = fabs(want) > 1 ? fabs(want) : 1;
    if (!(fabs(got - want) <= tol * scale)) {
        print_error("%s: got %.17g, expected %.17g\n", what, got, want);
        fail();
    }
}

#include "scenario_fixtures.h"
#include "msg_has.h"

typedef struct all_series {
    size_t T, M, E, S, L;
    double *v[CRIT_SERIES_COUNT];
} all_series;

static void read_all(all_series *a, const crit_result *r)
{
    assert_int_equal(crit_result_dims(&a->T, &a->M, &a->E, &a->S, &a->L, r),
                     CRIT_OK);
    for (int q = 0; q < CRIT_SERIES_COUNT; q++) {
        size_t d[3];
        int32_t rank;
        assert_int_equal(crit_result_series_shape(d, &rank, r, q), CRIT_OK);
        size_t n = d[0] * d[1] * d[2];
        a->v[q] = test_malloc((n ? n : 1) * sizeof(double));
        assert_int_equal(crit_result_series(a->v[q], n, r, q), CRIT_OK);
    }
}

static void free_all(all_series *a)
{
    for (int q = 0; q < CRIT_SERIES_COUNT; q++)
        test_free(a->v[q]);
}

static double tke(const all_series *a, int q, size_t t, size_t k, size_t i)
{
    return a->v[q][(t * a->M + k) * a->E + i];
}

static double tsk(const all_series *a, int q, size_t t, size_t s, size_t k)
{
    return a->v[q][(t * a->S + s) * a->M + k];
}

static double ts(const all_series *a, int q, size_t t, size_t s)
{
    return a->v[q][t * a->S + s];
}

static double tl(const all_series *a, int q, size_t t, size_t l)
{
    return a->v[q][t * a->L + l];
}

static void test_scenario_validation(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario_def d;
    crit_scenario_def_init(&d);
    crit_scenario *s = NULL;
    assert_int_equal(crit_scenario_new(&s, w, &d), CRIT_EINVAL); /* date */
    d.start = ymd(2026, 1, 1);
    assert_int_equal(crit_scenario_new(&s, w, &d), CRIT_EINVAL); /* 0 periods */
    d.periods = 12;
    d.months_per_period = 5;
    assert_int_equal(crit_scenario_new(&s, w, &d), CRIT_EINVAL);
    assert_null(s);
    s = new_scenario(w, 12);
    assert_int_equal(crit_scenario_periods(s), 12);
    crit_event_def e;
    crit_event_def_init(&e);
    e.kind = CRIT_EVENT_EXPORT_BAN;
    e.period = 12;
    e.mineral = "Ga";
    e.economy = "CHN";
    assert_int_equal(crit_scenario_add_event(s, &e), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "export ban event at period 12 "
                                              "is outside the horizon"));
    e.period = 3;
    e.economy = "XYZ";
    assert_int_equal(crit_scenario_add_event(s, &e), CRIT_ENOTFOUND);
    assert_non_null(strstr(crit_error_last(), "XYZ"));
    e.economy = "CHN";
    e.mineral = "Uo";
    assert_int_equal(crit_scenario_add_event(s, &e), CRIT_ENOTFOUND);
    e.mineral = "Ga";
    e.partner = "CHN";
    assert_int_equal(crit_scenario_add_event(s, &e), CRIT_EINVAL);
    e.partner = NULL;
    e.kind = CRIT_EVENT_OUTAGE;
    e.value = 1.5;
    assert_int_equal(crit_scenario_add_event(s, &e), CRIT_EINVAL);
    e.kind = CRIT_EVENT_DEMAND;
    e.value = 0;
    assert_int_equal(crit_scenario_add_event(s, &e), CRIT_EINVAL);
    e.kind = CRIT_EVENT_EXTERNAL_TARIFF;
    e.value = 1;
    assert_int_equal(crit_scenario_add_event(s, &e), CRIT_EINVAL); /* eco */
    e.kind = 99;
    assert_int_equal(crit_scenario_add_event(s, &e), CRIT_EINVAL);

    /* a loan whose draws exceed its commitment never gets this far */
    crit_loan_def ld;
    crit_loan_def_init(&ld);
    ld.commitment = 100;
    ld.start = ymd(2026, 1, 1);
    ld.maturity = ymd(2028, 1, 1);
    ld.availability_end = ymd(2026, 6, 30);
    crit_date dd[] = {ymd(2026, 1, 1), ymd(2026, 2, 1)};
    double da[] = {60, 60};
    ld.draw_count = 2;
    ld.draw_dates = dd;
    ld.draw_amounts = da;
    crit_loan *loan = NULL;
    assert_int_equal(crit_loan_new(&loan, &ld), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "commitment"));
    ld.draw_count = 1;
    assert_int_equal(crit_loan_new(&loan, &ld), CRIT_OK);
    assert_int_equal(crit_scenario_add_loan(NULL, s, loan, 0), CRIT_ERANGE);

    /* a target above the capacity */
    crit_stockpile *sp = usa_stockpile(w, NULL, 0);
    crit_stockpile_mineral_def m;
    crit_stockpile_mineral_def_init(&m);
    m.mineral = "Ga";
    m.capacity_t = 10;
    m.target_unit = CRIT_TARGET_MONTHS_OF_IMPORTS;
    m.target = 3; /* 3/12 of 850 t */
    m.release_trigger_usd_per_t = 1;
    assert_int_equal(crit_stockpile_add_mineral(sp, &m), CRIT_OK);
    assert_int_equal(crit_scenario_add_stockpile(NULL, s, sp), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "above the capacity"));
    crit_programme_def pg;
    crit_programme_def_init(&pg);
    pg.economy = "USA";
    pg.mineral = "Ga";
    pg.budget_usd = 1;
    pg.capital_intensity_usd_per_t_per_yr = 1;
    pg.start_period = 12;
    assert_int_equal(crit_scenario_add_programme(s, &pg), CRIT_EINVAL);
    crit_stockpile_free(sp);
    crit_loan_free(loan);
    crit_scenario_free(s);
    crit_world_free(w);
}

static void test_scenario_conservation(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = full_scenario(w, 24);
    crit_result *r = NULL;
    assert_int_equal(crit_scenario_run(&r, s, NULL, NULL), CRIT_OK);
    all_series a;
    read_all(&a, r);
    assert_int_equal(a.T, 24);
    assert_int_equal(a.S, 1);
    assert_int_equal(a.L, 1);

    /* tonnes: the market balances every period and mineral, and the
     * market's stockpile trade at USA is the agents' */
    for (size_t t = 0; t < a.T; t++)
        for (size_t k = 0; k < a.M; k++) {
            double net = 0, vol = 0;
            for (size_t i = 0; i < a.E; i++) {
                net += tke(&a, CRIT_SERIES_PRODUCTION, t, k, i) +
                       tke(&a, CRIT_SERIES_STOCK_RELEASE, t, k, i) -
                       tke(&a, CRIT_SERIES_STOCK_PURCHASE, t, k, i) -
                       tke(&a, CRIT_SERIES_CONSUMPTION, t, k, i) -
                       tke(&a, CRIT_SERIES_DISPOSAL, t, k, i);
                vol += tke(&a, CRIT_SERIES_DEMAND, t, k, i);
            }
            near(net / vol, 0, 1e-8, "world balance");
            near(tke(&a, CRIT_SERIES_STOCK_PURCHASE, t, k, 0),
                 tsk(&a, CRIT_SERIES_PURCHASED, t, 0, k) +
                     tsk(&a, CRIT_SERIES_REPLENISHED, t, 0, k),
                 1e-12, "stock purchase");
            near(tke(&a, CRIT_SERIES_STOCK_RELEASE, t, k, 0),
                 tsk(&a, CRIT_SERIES_RELEASED, t, 0, k) +
                     tsk(&a, CRIT_SERIES_DRAWN, t, 0, k),
                 1e-12, "stock release");
        }
    /* tonnes in the stockpile: opening 10 t of each mineral */
    for (size_t k = 0; k < a.M; k++) {
        double inv = 10;
        for (size_t t = 0; t < a.T; t++) {
            inv += tsk(&a, CRIT_SERIES_PURCHASED, t, 0, k) -
                   tsk(&a, CRIT_SERIES_RELEASED, t, 0, k) -
                   tsk(&a, CRIT_SERIES_LOST, t, 0, k) -
                   tsk(&a, CRIT_SERIES_DRAWN, t, 0, k) +
                   tsk(&a, CRIT_SERIES_REPLENISHED, t, 0, k);
            near(tsk(&a, CRIT_SERIES_INVENTORY, t, 0, k), inv, 1e-10,
                 "inventory");
        }
    }
    /* money in the stockpile: opening cash 500 */
    double cash = 500, drawn = 0, prin = 0;
    for (size_t t = 0; t < a.T; t++) {
        double in = ts(&a, CRIT_SERIES_FEES, t, 0) +
                    ts(&a, CRIT_SERIES_SALES, t, 0) +
                    ts(&a, CRIT_SERIES_DRAW_PAYMENTS, t, 0) +
                    ts(&a, CRIT_SERIES_LOAN_DRAWS, t, 0) +
                    ts(&a, CRIT_SERIES_FUNDING_GAP, t, 0);
        double out = ts(&a, CRIT_SERIES_PURCHASES, t, 0) +
                     ts(&a, CRIT_SERIES_HOLDING, t, 0) +
                     ts(&a, CRIT_SERIES_REFUNDS, t, 0) +
                     ts(&a, CRIT_SERIES_DEBT_SERVICE, t, 0);
        cash += in - out;
        near(ts(&a, CRIT_SERIES_CASH, t, 0), cash, 1e-9, "cash");
        assert_true(ts(&a, CRIT_SERIES_CASH, t, 0) >= 0);
        /* debt service is the loan's interest, principal and fees */
        near(ts(&a, CRIT_SERIES_DEBT_SERVICE, t, 0),
             tl(&a, CRIT_SERIES_LOAN_INTEREST, t, 0) +
                 tl(&a, CRIT_SERIES_LOAN_PRINCIPAL, t, 0) +
                 tl(&a, CRIT_SERIES_LOAN_FEES, t, 0),
             1e-12, "debt service");
        near(ts(&a, CRIT_SERIES_LOAN_DRAWS, t, 0),
             tl(&a, CRIT_SERIES_LOAN_DRAWN, t, 0), 1e-12, "loan draws");
        drawn += tl(&a, CRIT_SERIES_LOAN_DRAWN, t, 0);
        prin += tl(&a, CRIT_SERIES_LOAN_PRINCIPAL, t, 0);
        /* grace is interest only: the balance is draws less principal */
        near(tl(&a, CRIT_SERIES_LOAN_BALANCE, t, 0), drawn - prin, 1e-12,
             "loan balance");
    }
    assert_true(drawn > 2000); /* drawn on demand beyond the first draw */
    /* the loan of the result carries the same draws */
    crit_loan_totals lt;
    assert_int_equal(crit_loan_totals_get(&lt, crit_result_loan(r, 0)),
                     CRIT_OK);
    near(lt.draws, drawn, 1e-12, "loan's own draws");
    /* fees: 2000 upfront, then 3000 a year */
    double fees = 0;
    for (size_t t = 0; t < a.T; t++)
        fees += ts(&a, CRIT_SERIES_FEES, t, 0);
    near(fees, 2000 + 2 * 3000, 1e-12, "fees");

    /* events: the Ga ban to USA disrupts periods 2-5, the Sb quota 4-8,
     * the declaration period 10 */
    for (size_t t = 0; t < a.T; t++) {
        int ga = t >= 2 && t < 6, sb = (t >= 4 && t < 9) || t == 10;
        assert_int_equal(a.v[CRIT_SERIES_DISRUPTED][t * a.M + 0], ga);
        assert_int_equal(a.v[CRIT_SERIES_DISRUPTED][t * a.M + 1], sb);
        for (size_t k = 0; k < a.M; k++)
            assert_true(a.v[CRIT_SERIES_RESIDUAL][t * a.M + k] <= 1e-9);
    }
    /* the programme: 1e6 spent over periods 1-6, 100 t/yr more from 7 */
    double spent = 0;
    for (size_t t = 0; t < a.T; t++) {
        double v = a.v[CRIT_SERIES_PROGRAMME_SPENDING][t];
        near(v, t >= 1 && t <= 6 ? 1e6 / 6 : 0, 1e-12, "spending");
        spent += v;
    }
    near(spent, 1e6, 1e-12, "programme budget");
    /* the floor pays while on (periods 0-10), nothing after */
    for (size_t t = 0; t < a.T; t++) {
        double paid = tke(&a, CRIT_SERIES_CFD_PAID, t, 0, 0);
        if (t >= 11)
            near(paid, 0, 0, "floor off");
        near(a.v[CRIT_SERIES_CFD_NET][t],
             paid - tke(&a, CRIT_SERIES_CFD_RECEIVED, t, 0, 0), 1e-12,
             "cfd net");
    }
    assert_true(tke(&a, CRIT_SERIES_CFD_PAID, 0, 0, 0) > 0);
    /* public cost */
    for (size_t t = 0; t < a.T; t++)
        near(a.v[CRIT_SERIES_PUBLIC_COST][t],
             a.v[CRIT_SERIES_PROGRAMME_SPENDING][t] +
                 a.v[CRIT_SERIES_CFD_NET][t] +
                 ts(&a, CRIT_SERIES_FUNDING_GAP, t, 0) -
                 a.v[CRIT_SERIES_LEVY_TOTAL][t],
             1e-12, "public cost");
    /* dates */
    crit_date dates[25];
    assert_int_equal(crit_result_dates(dates, 24, r), CRIT_EBUFSIZE);
    assert_int_equal(crit_result_dates(dates, 25, r), CRIT_OK);
    assert_int_equal(dates[0], ymd(2026, 1, 1));
    assert_int_equal(dates[24], ymd(2028, 1, 1));
    assert_string_equal(crit_result_stockpile_name(r, 0), "vault");
    assert_null(crit_result_stockpile_name(r, 1));
    assert_string_equal(crit_series_name(CRIT_SERIES_LOAN_BALANCE),
                        "loan_balance");
    assert_null(crit_series_name(CRIT_SERIES_COUNT));
    double one;
    assert_int_equal(crit_result_series(&one, 1, r, CRIT_SERIES_PRICE),
                     CRIT_EBUFSIZE);
    free_all(&a);

    /* determinism: a second run gives the same numbers, bit for bit */
    crit_result *r2 = NULL;
    assert_int_equal(crit_scenario_run(&r2, s, NULL, NULL), CRIT_OK);
    all_series b;
    read_all(&a, r);
    read_all(&b, r2);
    for (int q = 0; q < CRIT_SERIES_COUNT; q++) {
        size_t d[3];
        int32_t rank;
        crit_result_series_shape(d, &rank, r, q);
        assert_memory_equal(a.v[q], b.v[q], d[0] * d[1] * d[2] * 8);
    }
    free_all(&a);
    free_all(&b);
    crit_result_free(r2);
    crit_scenario_free(s);
    crit_world_free(w); /* the result keeps it alive */
    assert_string_equal(crit_world_mineral_code(crit_result_world(r), 1), "Sb");
    crit_result_free(r);
}

/* The disrupted flag of the first period of a one-period run. */
static int disrupted_once(crit_world *w)
{
    crit_scenario *s = new_scenario(w, 1);
    crit_result *r = NULL;
    assert_int_equal(crit_scenario_run(&r, s, NULL, NULL), CRIT_OK);
    double v = -1;
    assert_int_equal(crit_result_series(&v, 1, r, CRIT_SERIES_DISRUPTED),
                     CRIT_OK);
    crit_result_free(r);
    crit_scenario_free(s);
    assert_true(v == 0 || v == 1);
    return v == 1;
}

/*
 * Disruption from restrictions (crit_scenario_def): an exporter's ban on
 * a member disrupts, wherever the member stands among 19 economies (the
 * bans are looked at eight at a time, then the rest); a ban on a
 * non-member, an importer's own ban and no restriction do not; a quota
 * does.
 */
static void test_scenario_disruption_from_restrictions(void **state)
{
    (void)state;
    enum { N = 19 };
    crit_world *w = NULL;
    assert_int_equal(crit_world_new(&w), CRIT_OK);
    crit_mineral_def md;
    crit_mineral_def_init(&md);
    md.code = "X";
    md.base_price_usd_per_t = 1000;
    assert_int_equal(crit_world_add_mineral(w, &md), CRIT_OK);
    char code[N][8];
    for (int i = 0; i < N; i++) {
        snprintf(code[i], sizeof code[i], "E%02d", i);
        crit_economy_def e;
        crit_economy_def_init(&e);
        e.code = code[i];
        e.member = i % 2; /* the odd ones */
        assert_int_equal(crit_world_add_economy(w, &e), CRIT_OK);
        crit_curve_def c;
        crit_curve_def_init(&c);
        c.base_production_t_per_yr = 100;
        c.capacity_t_per_yr = 200;
        c.supply_elasticity = 0.5;
        c.base_demand_t_per_yr = 100;
        c.demand_elasticity = 0.5;
        assert_int_equal(crit_world_set_curve(w, code[i], "X", &c), CRIT_OK);
    }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            if (i != j)
                assert_int_equal(
                    crit_world_set_transport(w, "X", code[i], code[j], 50),
                    CRIT_OK);
    assert_int_equal(disrupted_once(w), 0);
    int cols[] = {0, 1, 6, 7, 8, 9, 14, 15, 16, 17, 18};
    for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
        int j = cols[c], i = (j + 5) % N;
        assert_int_equal(crit_world_set_export_ban(w, "X", code[i], code[j], 1),
                         CRIT_OK);
        assert_int_equal(disrupted_once(w), j % 2);
        assert_int_equal(crit_world_set_export_ban(w, "X", code[i], code[j], 0),
                         CRIT_OK);
        /* the importer's own ban is not a restriction on it */
        assert_int_equal(crit_world_set_import_ban(w, "X", code[j], code[i], 1),
                         CRIT_OK);
        assert_int_equal(disrupted_once(w), 0);
        assert_int_equal(crit_world_set_import_ban(w, "X", code[j], code[i], 0),
                         CRIT_OK);
    }
    assert_int_equal(crit_world_set_export_quota(w, "X", code[18], 50),
                     CRIT_OK);
    assert_int_equal(disrupted_once(w), 1);
    crit_world_free(w);
}

static int stop_at_3(int32_t done, int32_t total, void *payload)
{
    int *calls = payload;
    assert_int_equal(total, 24);
    assert_int_equal(done, ++*calls);
    return done == 3;
}

static void test_scenario_cancel(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = full_scenario(w, 24);
    crit_result *r = NULL;
    int calls = 0;
    assert_int_equal(crit_scenario_run(&r, s, stop_at_3, &calls),
                     CRIT_ECANCELLED);
    assert_null(r);
    assert_int_equal(calls, 3);
    crit_scenario_free(s);
    crit_world_free(w);
}

typedef struct run_ctx {
    crit_scenario *s;
    crit_result *r;
} run_ctx;

static int op_run(void *p)
{
    run_ctx *c = p;
    return crit_scenario_run(&c->r, c->s, NULL, NULL);
}

static void run_unchanged(void *p)
{
    assert_null(((run_ctx *)p)->r);
}

static int count_calls(int32_t done, int32_t total, void *payload)
{
    (void)done;
    (void)total;
    ++*(int *)payload;
    return 0;
}

/*
 * An export subsidy event that would take an arc's wedge below zero
 * (Ga's transport costs 100 USD/t) is refused when added, and, where the
 * world's costs fell after it was added, when the run starts: before any
 * period is computed, not in the period it applies.
 */
static void test_scenario_export_subsidy_checked(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = new_scenario(w, 6);
    crit_event_def e;
    crit_event_def_init(&e);
    e.kind = CRIT_EVENT_EXPORT_TAX;
    e.period = 3;
    e.mineral = "Ga";
    e.economy = "CHN";
    e.value = -150;
    assert_int_equal(crit_scenario_add_event(s, &e), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(),
                           "export tax event at period 3: mineral 'Ga' arc "
                           "CHN->USA: wedge -50"));
    e.value = -60; /* with -0.05 of P0 (50): 10 USD/t below zero */
    e.value2 = -0.05;
    assert_int_equal(crit_scenario_add_event(s, &e), CRIT_EINVAL);
    e.value2 = -0.02; /* 20 USD/t left on every arc */
    assert_int_equal(crit_scenario_add_event(s, &e), CRIT_OK);
    crit_result *r = NULL;
    assert_int_equal(crit_scenario_run(&r, s, NULL, NULL), CRIT_OK);
    crit_result_free(r);
    r = NULL;
    /* the world's route CHN->JPN gets cheaper than the subsidy */
    assert_int_equal(crit_world_set_transport(w, "Ga", "CHN", "JPN", 70),
                     CRIT_OK);
    int calls = 0;
    assert_int_equal(crit_scenario_run(&r, s, count_calls, &calls),
                     CRIT_EINVAL);
    assert_null(r);
    assert_int_equal(calls, 0);
    assert_non_null(strstr(crit_error_last(),
                           "export tax event at period 3: mineral 'Ga' arc "
                           "CHN->JPN: wedge -10"));
    crit_scenario_free(s);
    crit_world_free(w);
}

/* ---- refused calls ------------------------------------------------------ */

/* A refused call: the exact code, a message naming what was wrong, and
 * the scenario `s` still equal to `twin`, built the same way. */
#define REFUSED(s, twin, call, code, ...)                                      \
    do {                                                                       \
        crit_error_clear();                                                    \
        assert_int_equal((call), (code));                                      \
        assert_int_equal(crit_error_last_code(), (code));                      \
        msg_has(__VA_ARGS__, (const char *)NULL);                              \
        assert_true(crit__scenario_equal((s), (twin)));                        \
    } while (0)

static crit_event_def event(int32_t period, int32_t kind, const char *mineral,
                            const char *economy, const char *partner,
                            double value)
{
    crit_event_def e;
    crit_event_def_init(&e);
    e.period = period;
    e.kind = kind;
    e.mineral = mineral;
    e.economy = economy;
    e.partner = partner;
    e.value = value;
    return e;
}

static crit_programme_def programme(double budget, double intensity,
                                    double lead)
{
    crit_programme_def pg;
    crit_programme_def_init(&pg);
    pg.name = "mine";
    pg.economy = "USA";
    pg.mineral = "Ga";
    pg.budget_usd = budget;
    pg.capital_intensity_usd_per_t_per_yr = intensity;
    pg.lead_time_years = lead;
    return pg;
}

/* Every NULL pointer argument: CRIT_EINVAL and a message, the documented
 * neutral value of a getter, an accepted NULL where it is optional. */
static void test_scenario_null_arguments(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = full_scenario(w, 12), *twin = full_scenario(w, 12);
    crit_scenario_def d;
    crit_scenario_def_init(&d);
    d.start = ymd(2026, 1, 1);
    d.periods = 12;
    crit_scenario *out = (crit_scenario *)&d;
    REFUSED(s, twin, crit_scenario_new(NULL, w, &d), CRIT_EINVAL, "NULL");
    REFUSED(s, twin, crit_scenario_new(&out, NULL, &d), CRIT_EINVAL, "NULL");
    REFUSED(s, twin, crit_scenario_new(&out, w, NULL), CRIT_EINVAL, "NULL");
    assert_ptr_equal(out, &d);
    crit_event_def e = event(1, CRIT_EVENT_DISRUPTION, NULL, NULL, NULL, 0);
    REFUSED(s, twin, crit_scenario_add_event(NULL, &e), CRIT_EINVAL, "NULL");
    REFUSED(s, twin, crit_scenario_add_event(s, NULL), CRIT_EINVAL, "NULL");
    crit_policy *pol = NULL;
    assert_int_equal(crit_policy_new(&pol, w, "Sb"), CRIT_OK);
    REFUSED(s, twin, crit_scenario_set_policy(NULL, pol), CRIT_EINVAL, "NULL");
    REFUSED(s, twin, crit_scenario_set_policy(s, NULL), CRIT_EINVAL, "NULL");
    crit_policy_free(pol);
    size_t idx = 77;
    const crit_stockpile *sp = crit_scenario_stockpile(s, 0);
    assert_non_null(sp);
    REFUSED(s, twin, crit_scenario_add_stockpile(&idx, NULL, sp), CRIT_EINVAL,
            "NULL");
    REFUSED(s, twin, crit_scenario_add_stockpile(&idx, s, NULL), CRIT_EINVAL,
            "NULL");
    const crit_loan *loan = crit_result_loan(NULL, 0);
    assert_null(loan);
    crit_loan_def ld;
    crit_loan_def_init(&ld);
    ld.commitment = 100;
    ld.start = ymd(2026, 1, 1);
    ld.maturity = ymd(2027, 1, 1);
    ld.availability_end = ymd(2026, 6, 30);
    crit_loan *ln = NULL;
    assert_int_equal(crit_loan_new(&ln, &ld), CRIT_OK);
    REFUSED(s, twin, crit_scenario_add_loan(&idx, NULL, ln, 0), CRIT_EINVAL,
            "NULL");
    REFUSED(s, twin, crit_scenario_add_loan(&idx, s, NULL, 0), CRIT_EINVAL,
            "NULL");
    REFUSED(s, twin, crit_scenario_add_loan(&idx, s, ln, 3), CRIT_ERANGE,
            "a loan for stockpile 3, but only 1 stockpiles were added");
    crit_loan_free(ln);
    crit_programme_def pg = programme(1e6, 1e4, 0);
    REFUSED(s, twin, crit_scenario_add_programme(NULL, &pg), CRIT_EINVAL,
            "NULL");
    REFUSED(s, twin, crit_scenario_add_programme(s, NULL), CRIT_EINVAL, "NULL");
    crit_market_options o;
    crit_market_options_init(&o);
    REFUSED(s, twin, crit_scenario_set_market_options(NULL, &o), CRIT_EINVAL,
            "NULL");
    assert_int_equal(idx, 77);

    /* getters */
    crit_scenario_def_init(NULL); /* ignored */
    crit_event_def_init(NULL);
    assert_int_equal(crit_scenario_periods(NULL), 0);
    assert_null(crit_scenario_world(NULL));
    assert_null(crit_scenario_stockpile(NULL, 0));
    assert_null(crit_scenario_stockpile(s, 1));
    size_t ns = 77, nl = 77;
    REFUSED(s, twin, crit_scenario_counts(&ns, &nl, NULL), CRIT_EINVAL, "NULL");
    assert_true(ns == 77 && nl == 77);
    assert_int_equal(crit_scenario_counts(NULL, NULL, s), CRIT_OK);
    assert_int_equal(crit_scenario_counts(NULL, &nl, s), CRIT_OK);
    assert_int_equal(nl, 1);
    REFUSED(s, twin, crit_scenario_loan_stockpile(NULL, s, 0), CRIT_EINVAL,
            "NULL");
    REFUSED(s, twin, crit_scenario_loan_stockpile(&idx, NULL, 0), CRIT_EINVAL,
            "NULL");
    REFUSED(s, twin, crit_scenario_loan_stockpile(&idx, s, 1), CRIT_ERANGE,
            "scenario: loan 1 out of range (1 loans)");
    assert_int_equal(idx, 77);

    crit_result *r = (crit_result *)&d;
    REFUSED(s, twin, crit_scenario_run(NULL, s, NULL, NULL), CRIT_EINVAL,
            "NULL");
    REFUSED(s, twin, crit_scenario_run(&r, NULL, NULL, NULL), CRIT_EINVAL,
            "NULL");
    assert_ptr_equal(r, &d);
    crit_scenario_free(NULL);
    crit_scenario_free(twin);
    crit_scenario_free(s);

    /* a result's readers */
    s = new_scenario(w, 2);
    r = NULL;
    assert_int_equal(crit_scenario_run(&r, s, NULL, NULL), CRIT_OK);
    crit_result_free(NULL);
    assert_null(crit_result_world(NULL));
    assert_null(crit_result_stockpile_name(NULL, 0));
    assert_null(crit_result_loan(NULL, 0));
    assert_null(crit_result_loan(r, 0));
    assert_null(crit_series_name(-1));
    size_t T = 77;
    crit_error_clear();
    assert_int_equal(crit_result_dims(&T, NULL, NULL, NULL, NULL, NULL),
                     CRIT_EINVAL);
    msg_has("result: NULL argument", NULL);
    assert_int_equal(T, 77);
    assert_int_equal(crit_result_dims(NULL, NULL, NULL, NULL, NULL, r),
                     CRIT_OK);
    crit_date dates[3] = {0, 0, 0};
    assert_int_equal(crit_result_dates(NULL, 3, r), CRIT_EINVAL);
    assert_int_equal(crit_result_dates(dates, 3, NULL), CRIT_EINVAL);
    msg_has("result: NULL argument", NULL);
    assert_int_equal(crit_result_dates(dates, 2, r), CRIT_EBUFSIZE);
    msg_has("result: 3 dates do not fit in 2", NULL);
    assert_true(dates[0] == 0 && dates[2] == 0);
    size_t dims[3] = {7, 7, 7};
    int32_t rank = 7;
    assert_int_equal(crit_result_series_shape(NULL, &rank, r, 0), CRIT_EINVAL);
    assert_int_equal(crit_result_series_shape(dims, &rank, NULL, 0),
                     CRIT_EINVAL);
    msg_has("result: NULL argument", NULL);
    assert_int_equal(crit_result_series_shape(dims, &rank, r, -1), CRIT_EINVAL);
    msg_has("result: unknown series -1", NULL);
    assert_int_equal(
        crit_result_series_shape(dims, &rank, r, CRIT_SERIES_COUNT),
        CRIT_EINVAL);
    char want[40];
    snprintf(want, sizeof want, "unknown series %d", (int)CRIT_SERIES_COUNT);
    msg_has(want, NULL);
    assert_true(dims[0] == 7 && rank == 7);
    assert_int_equal(
        crit_result_series_shape(dims, NULL, r, CRIT_SERIES_LOAN_BALANCE),
        CRIT_OK);
    assert_true(dims[0] == 2 && dims[1] == 0 && dims[2] == 1);
    double v[2] = {-7, -7};
    assert_int_equal(crit_result_series(NULL, 2, r, CRIT_SERIES_CFD_NET),
                     CRIT_EINVAL);
    assert_int_equal(crit_result_series(v, 2, NULL, CRIT_SERIES_CFD_NET),
                     CRIT_EINVAL);
    msg_has("result: NULL argument", NULL);
    assert_int_equal(crit_result_series(v, 2, r, 99), CRIT_EINVAL);
    msg_has("result: unknown series 99", NULL);
    assert_int_equal(crit_result_series(v, 3, r, CRIT_SERIES_CFD_NET),
                     CRIT_EBUFSIZE);
    msg_has("series 'cfd_net' has 2 values, not 3", NULL);
    assert_true(v[0] == -7 && v[1] == -7);
    crit_result_free(r);
    crit_scenario_free(s);
    crit_world_free(w);
}

/* A value the event's kind does not read is refused, as an unused code
 * is (crit_event_def: "the others must be left NULL or 0"), NaN included;
 * the values a kind reads still pass. */
static void test_scenario_event_unused_values_refused(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = full_scenario(w, 12), *twin = full_scenario(w, 12);
    crit_event_def e =
        event(1, CRIT_EVENT_EXPORT_QUOTA_END, "Ga", "CHN", NULL, 600);
    REFUSED(s, twin, crit_scenario_add_event(s, &e), CRIT_EINVAL,
            "export quota end event at period 1 takes no value (got 600)");
    e = event(2, CRIT_EVENT_DISRUPTION, "Ga", NULL, NULL, 0);
    e.value3 = NAN;
    REFUSED(s, twin, crit_scenario_add_event(s, &e), CRIT_EINVAL,
            "disruption event at period 2 takes no value3 (got nan)");
    e = event(3, CRIT_EVENT_OUTAGE, "Ga", "CHN", NULL, 0.5);
    e.value2 = 0.2;
    REFUSED(s, twin, crit_scenario_add_event(s, &e), CRIT_EINVAL,
            "outage event at period 3 takes no value2 (got 0.2)");
    e = event(3, CRIT_EVENT_EXPORT_TAX, "Ga", "CHN", NULL, 5);
    e.value2 = 0.01;
    e.value3 = 1;
    REFUSED(s, twin, crit_scenario_add_event(s, &e), CRIT_EINVAL,
            "export tax event at period 3 takes no value3 (got 1)");
    e.value3 = 0;
    assert_int_equal(crit_scenario_add_event(s, &e), CRIT_OK);
    e = event(4, CRIT_EVENT_FLOOR, "Ga", "USA", NULL, 1500);
    e.value2 = 0.5;
    e.value3 = 0.25;
    assert_int_equal(crit_scenario_add_event(s, &e), CRIT_OK);
    crit_scenario_free(twin);
    crit_scenario_free(s);
    crit_world_free(w);
}

/* Definitions refused when given, each by name, the scenario unchanged. */
static void test_scenario_bad_definitions(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = full_scenario(w, 12), *twin = full_scenario(w, 12);
    crit_scenario_def d;
    crit_scenario_def_init(&d);
    d.start = ymd(2026, 1, 1);
    d.periods = 12;
    crit_scenario *out = NULL;
    d.size = 8;
    REFUSED(s, twin, crit_scenario_new(&out, w, &d), CRIT_EINVAL,
            "scenario definition: size 8");
    d.size = sizeof d;
    d.start = CRIT_DATE_MAX + 1;
    REFUSED(s, twin, crit_scenario_new(&out, w, &d), CRIT_EINVAL,
            "scenario: start date 2932897 is not a valid date");
    d.start = ymd(2026, 1, 1);
    d.periods = 100001;
    REFUSED(s, twin, crit_scenario_new(&out, w, &d), CRIT_EINVAL,
            "scenario: 100001 periods is outside 1 to 100000");
    d.periods = 12;
    d.disruption_from_restrictions = 2;
    REFUSED(s, twin, crit_scenario_new(&out, w, &d), CRIT_EINVAL,
            "scenario: disruption_from_restrictions 2 is not 0 or 1");
    d.disruption_from_restrictions = 0;
    d.start = ymd(9999, 7, 1);
    d.months_per_period = 3;
    d.periods = 2; /* to 10000-01-01 */
    REFUSED(s, twin, crit_scenario_new(&out, w, &d), CRIT_EINVAL,
            "a horizon of 2 periods of 3 months ends after 9999-12-31");
    assert_null(out);
    d.periods = 1; /* to 9999-10-01 */
    assert_int_equal(crit_scenario_new(&out, w, &d), CRIT_OK);
    crit_scenario_free(out);

    /* events */
    struct {
        crit_event_def e;
        int code;
        const char *msg;
    } bad[] = {
        {event(1, CRIT_EVENT_EXPORT_QUOTA, NULL, "CHN", NULL, 5), CRIT_EINVAL,
         "export quota event at period 1 needs a mineral"},
        {event(1, CRIT_EVENT_OUTAGE, "Ga", NULL, NULL, 0.5), CRIT_EINVAL,
         "outage event at period 1 needs an economy"},
        {event(1, CRIT_EVENT_EXPORT_QUOTA, "Ga", "CHN", "USA", 5), CRIT_EINVAL,
         "export quota event at period 1 takes no partner (got 'USA')"},
        {event(2, CRIT_EVENT_DISRUPTION, "Ga", "USA", NULL, 0), CRIT_EINVAL,
         "disruption event at period 2 takes no economy (got 'USA')"},
        {event(1, CRIT_EVENT_EXPORT_BAN, "Ga", "CHN", "XYZ", 0), CRIT_ENOTFOUND,
         "'XYZ'"},
        {event(-1, CRIT_EVENT_DISRUPTION, NULL, NULL, NULL, 0), CRIT_EINVAL,
         "disruption event at period -1 is outside the horizon of 12 periods "
         "(0 to 11)"},
        {event(1, -1, "Ga", "CHN", NULL, 0), CRIT_EINVAL,
         "scenario: unknown event kind -1"},
        {event(1, CRIT_EVENT_DISRUPTION_END + 1, NULL, NULL, NULL, 0),
         CRIT_EINVAL, "scenario: unknown event kind 15"},
        {event(1, CRIT_EVENT_EXPORT_QUOTA, "Ga", "CHN", NULL, -1), CRIT_EINVAL,
         "export quota event at period 1: quota -1 is outside [0, inf)"},
        {event(1, CRIT_EVENT_OUTAGE, "Ga", "CHN", NULL, NAN), CRIT_EINVAL,
         "outage event at period 1: availability nan is outside [0, 1]"},
        {event(1, CRIT_EVENT_EXTERNAL_TARIFF, "Ga", NULL, NULL, -2),
         CRIT_EINVAL, "external tariff event at period 1: tariff -2"},
        {event(1, CRIT_EVENT_EXTERNAL_TARIFF, "Ga", NULL, NULL, -0.5),
         CRIT_EINVAL, "external tariff event at period 1: tariff -0.5"},
        {event(1, CRIT_EVENT_REFERENCE_PRICE, "Ga", NULL, NULL, -0.5),
         CRIT_EINVAL,
         "reference price event at period 1: reference price -0.5"},
        {event(1, CRIT_EVENT_REFERENCE_PRICE, "Ga", NULL, NULL, INFINITY),
         CRIT_EINVAL,
         "reference price event at period 1: reference price "
         "inf"},
        {event(1, CRIT_EVENT_FLOOR, "Ga", "USA", NULL, -1), CRIT_EINVAL,
         "floor event at period 1: floor -1"},
        {event(1, CRIT_EVENT_EXPORT_TAX, "Ga", "CHN", NULL, NAN), CRIT_EINVAL,
         "export tax event at period 1: tax nan + rate 0 must be finite"},
        {event(1, CRIT_EVENT_DEMAND, NULL, NULL, NULL, NAN), CRIT_EINVAL,
         "demand event at period 1: level nan must be finite and > 0"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        REFUSED(s, twin, crit_scenario_add_event(s, &bad[i].e), bad[i].code,
                bad[i].msg);
    crit_event_def e = event(1, CRIT_EVENT_EXPORT_TAX, "Ga", "CHN", NULL, 0);
    e.value2 = NAN;
    REFUSED(s, twin, crit_scenario_add_event(s, &e), CRIT_EINVAL,
            "export tax event at period 1: tax 0 + rate nan must be finite");
    e = event(1, CRIT_EVENT_FLOOR, "Ga", "USA", NULL, 1500);
    e.value2 = 1.5;
    REFUSED(s, twin, crit_scenario_add_event(s, &e), CRIT_EINVAL,
            "floor event at period 1: covered share 1.5 is outside [0, 1]");
    e.value2 = 0.5;
    e.value3 = 1;
    REFUSED(s, twin, crit_scenario_add_event(s, &e), CRIT_EINVAL,
            "floor event at period 1: upside share 1 is outside [0, 1)");
    e.value3 = 0;
    e.size = 8;
    REFUSED(s, twin, crit_scenario_add_event(s, &e), CRIT_EINVAL,
            "event definition: size 8");

    /* another world's policy and stockpile */
    crit_world *other = small_world();
    crit_policy *pol = NULL;
    assert_int_equal(crit_policy_new(&pol, other, "Sb"), CRIT_OK);
    REFUSED(s, twin, crit_scenario_set_policy(s, pol), CRIT_EINVAL,
            "scenario: the policy for mineral 'Sb' is on another world");
    crit_policy_free(pol);
    crit_stockpile_def sd;
    crit_stockpile_def_init(&sd);
    sd.name = "abroad";
    sd.economy = "JPN";
    crit_stockpile *sp = NULL;
    assert_int_equal(crit_stockpile_new(&sp, other, &sd), CRIT_OK);
    size_t idx = 77;
    REFUSED(s, twin, crit_scenario_add_stockpile(&idx, s, sp), CRIT_EINVAL,
            "scenario: stockpile 'abroad' is on another world");
    assert_int_equal(idx, 77);
    crit_stockpile_free(sp);
    crit_world_free(other);

    /* programmes */
    crit_programme_def pg = programme(0, 1e4, 0);
    REFUSED(s, twin, crit_scenario_add_programme(s, &pg), CRIT_EINVAL,
            "programme 'mine': budget 0 must be finite and > 0");
    pg = programme(1e6, 1e4, 0);
    pg.economy = "XYZ";
    REFUSED(s, twin, crit_scenario_add_programme(s, &pg), CRIT_ENOTFOUND,
            "'XYZ'");

    /* market options */
    crit_market_options o;
    crit_market_options_init(&o);
    o.size = 8;
    REFUSED(s, twin, crit_scenario_set_market_options(s, &o), CRIT_EINVAL,
            "market options: size 8");
    crit_market_options_init(&o);
    o.tolerance = 0;
    REFUSED(s, twin, crit_scenario_set_market_options(s, &o), CRIT_EINVAL,
            "scenario: market options: tolerance 0 must be in [1e-14, 1)");
    crit_market_options_init(&o);
    o.max_iterations = 0;
    REFUSED(s, twin, crit_scenario_set_market_options(s, &o), CRIT_EINVAL,
            "scenario: market options: max_iterations 0 must be at least 1");
    crit_market_options_init(&o);
    o.warm_start = 2;
    REFUSED(s, twin, crit_scenario_set_market_options(s, &o), CRIT_EINVAL,
            "scenario: market options: warm_start 2 is not 0 or 1");
    /* NULL restores the defaults: the same as never set */
    crit_market_options_init(&o);
    o.max_iterations = 50;
    assert_int_equal(crit_scenario_set_market_options(s, &o), CRIT_OK);
    assert_false(crit__scenario_equal(s, twin));
    assert_int_equal(crit_scenario_set_market_options(s, NULL), CRIT_OK);
    assert_true(crit__scenario_equal(s, twin));
    crit_scenario_free(twin);
    crit_scenario_free(s);
    crit_world_free(w);
}

/*
 * A programme is checked when added for what the run computes from it:
 * a lead time of more periods than an int32 holds (refused when the run
 * started, "lead time 1e+12 years is 1.2e+13 periods"), and a budget
 * over capital intensity that overflows to an infinite capacity (refused
 * in the period it came online, after the periods before it had been
 * computed, "base production inf must be finite").
 */
static void test_scenario_programme_checked_when_added(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = full_scenario(w, 12), *twin = full_scenario(w, 12);
    crit_programme_def pg = programme(1e6, 1e4, 1e12);
    REFUSED(s, twin, crit_scenario_add_programme(s, &pg), CRIT_EINVAL,
            "programme 'mine': lead time 1e+12 years is", "too many");
    pg = programme(1e300, 1e-10, 0.25);
    pg.start_period = 2;
    REFUSED(s, twin, crit_scenario_add_programme(s, &pg), CRIT_EINVAL,
            "programme 'mine': budget 1e+300 over capital intensity 1e-10 "
            "adds a capacity of inf t/yr, not finite");
    /* the longest lead time that fits: never online in the horizon */
    pg = programme(1e6, 1e4, 1e8);
    assert_int_equal(crit_scenario_add_programme(s, &pg), CRIT_OK);
    assert_int_equal(crit_scenario_add_programme(twin, &pg), CRIT_OK);
    /* two programmes of 1e308 t/yr each on USA's Ga: the second would
       take the capacity beyond a double once both are online */
    pg = programme(1e308, 1, 0.25);
    assert_int_equal(crit_scenario_add_programme(s, &pg), CRIT_OK);
    assert_int_equal(crit_scenario_add_programme(twin, &pg), CRIT_OK);
    pg.name = "second";
    REFUSED(s, twin, crit_scenario_add_programme(s, &pg), CRIT_EINVAL,
            "programme 'second': the capacity of economy 'USA' for mineral "
            "'Ga' would not be finite with every programme on it online");
    /* it fits where it never comes online in the horizon, and on another
       curve, of another economy or mineral */
    pg.lead_time_years = 1e8;
    assert_int_equal(crit_scenario_add_programme(s, &pg), CRIT_OK);
    pg.lead_time_years = 0.25;
    pg.mineral = "Sb";
    assert_int_equal(crit_scenario_add_programme(s, &pg), CRIT_OK);
    pg.mineral = "Ga";
    pg.economy = "CHN";
    assert_int_equal(crit_scenario_add_programme(s, &pg), CRIT_OK);
    crit_scenario_free(twin);
    crit_scenario_free(s);
    crit_world_free(w);
}

/* A capacity raised in the world after a programme was added, so that
 * the programme would take it beyond a double: the run refuses it before
 * computing anything (before, it failed in the programme's online
 * period). */
static void test_scenario_run_rechecks_programmes(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = new_scenario(w, 3);
    crit_programme_def pg = programme(1e308, 1, 0.25);
    /* online at period 3, after the 3 monthly periods: it plays no part,
       and a second one like it fits */
    assert_int_equal(crit_scenario_add_programme(s, &pg), CRIT_OK);
    assert_int_equal(crit_scenario_add_programme(s, &pg), CRIT_OK);
    pg.lead_time_years = 1.0 / 12; /* online at period 1 */
    assert_int_equal(crit_scenario_add_programme(s, &pg), CRIT_OK);
    crit_curve_def c;
    crit_curve_def_init(&c);
    assert_int_equal(crit_world_curve_get(&c, w, "USA", "Ga"), CRIT_OK);
    c.capacity_t_per_yr = 1e308;
    assert_int_equal(crit_world_set_curve(w, "USA", "Ga", &c), CRIT_OK);
    crit_result *r = NULL;
    int calls = 0;
    crit_error_clear();
    assert_int_equal(crit_scenario_run(&r, s, count_calls, &calls),
                     CRIT_EINVAL);
    msg_has("programme 'mine': the capacity of economy 'USA' for mineral "
            "'Ga' would not be finite",
            "(1e+308 t/yr now)", NULL);
    assert_null(r);
    assert_int_equal(calls, 0);
    crit_scenario_free(s);
    crit_world_free(w);
}

/* The world changed after a stockpile was added so that its target (in
 * months of net imports) is above its capacity: the run refuses it
 * before computing anything. */
static void test_scenario_run_rechecks_targets(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = new_scenario(w, 3);
    crit_stockpile *sp = usa_stockpile(w, "depot", 0);
    crit_stockpile_mineral_def m;
    crit_stockpile_mineral_def_init(&m);
    m.mineral = "Ga";
    m.capacity_t = 300;
    m.target_unit = CRIT_TARGET_MONTHS_OF_IMPORTS;
    m.target = 3; /* 3/12 of 850 t: 212.5 t */
    m.release_trigger_usd_per_t = 1;
    assert_int_equal(crit_stockpile_add_mineral(sp, &m), CRIT_OK);
    assert_int_equal(crit_scenario_add_stockpile(NULL, s, sp), CRIT_OK);
    crit_stockpile_free(sp);
    crit_result *r = NULL;
    assert_int_equal(crit_scenario_run(&r, s, NULL, NULL), CRIT_OK);
    crit_result_free(r);
    r = NULL;
    /* USA's demand of Ga doubles: net imports 1450 t/yr, 362.5 t */
    crit_curve_def c;
    crit_curve_def_init(&c);
    assert_int_equal(crit_world_curve_get(&c, w, "USA", "Ga"), CRIT_OK);
    c.base_demand_t_per_yr = 1200;
    assert_int_equal(crit_world_set_curve(w, "USA", "Ga", &c), CRIT_OK);
    int calls = 0;
    crit_error_clear();
    assert_int_equal(crit_scenario_run(&r, s, count_calls, &calls),
                     CRIT_EINVAL);
    msg_has("stockpile 'depot' mineral 'Ga': target 362.5 t is above the "
            "capacity 300 t",
            NULL);
    assert_null(r);
    assert_int_equal(calls, 0);
    crit_scenario_free(s);
    crit_world_free(w);
}

/*
 * A demand event's level is checked when the event is added against what
 * the market takes (crit_market_set_demand_level(): at most 1e300), not
 * only when the run reaches its period: before, a level of 1e301 was
 * accepted, and the run computed period 0 and then failed in period 1 with
 * the market's "demand level 1e+301 must be in (0, 1e+300]".
 */
static void test_scenario_demand_event_checked_when_added(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = new_scenario(w, 3), *twin = new_scenario(w, 3);
    crit_event_def e = event(1, CRIT_EVENT_DEMAND, "Ga", NULL, NULL, 1e301);
    REFUSED(s, twin, crit_scenario_add_event(s, &e), CRIT_EINVAL,
            "demand event at period 1: level 1e+301 is above 1e+300, the "
            "most a market takes");
    e.value = 1e300; /* the largest the market takes: runs */
    assert_int_equal(crit_scenario_add_event(s, &e), CRIT_OK);
    crit_result *r = NULL;
    assert_int_equal(crit_scenario_run(&r, s, NULL, NULL), CRIT_OK);
    crit_result_free(r);
    crit_scenario_free(twin);
    crit_scenario_free(s);
    crit_world_free(w);
}

static void test_scenario_alloc_failure(void **state)
{
    (void)state;
    crit_world *w = small_world();
    run_ctx c = {full_scenario(w, 12), NULL};
    failalloc_run(&fa, FAILALLOC_FROM, op_run, run_unchanged, &c);
    crit_result_free(c.r);
    c.r = NULL;
    failalloc_run(&fa, FAILALLOC_ONLY, op_run, run_unchanged, &c);
    crit_result_free(c.r);
    crit_scenario_free(c.s);
    crit_world_free(w);
}

/*
 * Adding the first stockpile, loan or programme to a scenario grows its
 * array from nothing; an allocation failing after that (the stockpile's
 * copy, the loan's copy or its index array, the programme's name) must
 * not leave the new array behind: the scenario is as it was and no block
 * is left live. Before, each of these left one block (the grown array).
 */
typedef struct add_ctx {
    crit_scenario *s, *twin;
    const crit_stockpile *sp;
    const crit_loan *loan;
    crit_programme_def pg;
    size_t index;
} add_ctx;

static int op_add_stockpile(void *p)
{
    add_ctx *c = p;
    return crit_scenario_add_stockpile(&c->index, c->s, c->sp);
}

static int op_add_loan(void *p)
{
    add_ctx *c = p;
    return crit_scenario_add_loan(&c->index, c->s, c->loan, 0);
}

static int op_add_programme(void *p)
{
    add_ctx *c = p;
    return crit_scenario_add_programme(c->s, &c->pg);
}

static void add_unchanged(void *p)
{
    add_ctx *c = p;
    assert_int_equal(c->index, 77);
    assert_true(crit__scenario_equal(c->s, c->twin));
}

static void test_scenario_add_alloc_failure(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *full = full_scenario(w, 12);
    add_ctx c = {0};
    c.sp = crit_scenario_stockpile(full, 0);
    crit_result *r = NULL;
    assert_int_equal(crit_scenario_run(&r, full, NULL, NULL), CRIT_OK);
    c.loan = crit_result_loan(r, 0);
    assert_non_null(c.sp);
    assert_non_null(c.loan);
    crit_programme_def_init(&c.pg);
    c.pg.economy = "USA";
    c.pg.mineral = "Sb";
    c.pg.budget_usd = 1e6;
    c.pg.capital_intensity_usd_per_t_per_yr = 1e4;
    failalloc_mode modes[] = {FAILALLOC_FROM, FAILALLOC_ONLY};
    for (int m = 0; m < 2; m++) {
        c.s = new_scenario(w, 12);
        c.twin = new_scenario(w, 12);
        c.index = 77;
        failalloc_run(&fa, modes[m], op_add_stockpile, add_unchanged, &c);
        assert_int_equal(c.index, 0);
        assert_int_equal(crit_scenario_add_stockpile(NULL, c.twin, c.sp),
                         CRIT_OK);
        assert_true(crit__scenario_equal(c.s, c.twin));
        c.index = 77;
        failalloc_run(&fa, modes[m], op_add_loan, add_unchanged, &c);
        assert_int_equal(c.index, 0);
        assert_int_equal(crit_scenario_add_loan(NULL, c.twin, c.loan, 0),
                         CRIT_OK);
        assert_true(crit__scenario_equal(c.s, c.twin));
        c.index = 77;
        failalloc_run(&fa, modes[m], op_add_programme, add_unchanged, &c);
        assert_int_equal(crit_scenario_add_programme(c.twin, &c.pg), CRIT_OK);
        assert_true(crit__scenario_equal(c.s, c.twin));
        crit_scenario_free(c.twin);
        crit_scenario_free(c.s);
    }
    crit_result_free(r);
    crit_scenario_free(full);
    crit_world_free(w);
}

/* ---- the digest follows the equality ------------------------------------ */

/* One change to the full scenario, by a public mutator */
typedef void (*scenario_change)(crit_world *w, crit_scenario *s);

static void ch_event(crit_world *w, crit_scenario *s)
{
    (void)w;
    add_event(s, 3, CRIT_EVENT_DEMAND, "Ga", "USA", NULL, 1.5);
}

static void ch_event_value(crit_world *w, crit_scenario *s)
{
    (void)w;
    add_event(s, 3, CRIT_EVENT_DEMAND, "Ga", "USA", NULL, 1.25);
}

static void ch_ban(crit_world *w, crit_scenario *s)
{
    (void)w;
    add_event(s, 2, CRIT_EVENT_EXPORT_BAN, "Sb", "CHN", "USA", 0);
}

static void ch_ban_partner(crit_world *w, crit_scenario *s)
{
    (void)w;
    add_event(s, 2, CRIT_EVENT_EXPORT_BAN, "Sb", "CHN", "JPN", 0);
}

static void ch_floor_event(crit_world *w, crit_scenario *s)
{
    (void)w;
    add_event3(s, 2, CRIT_EVENT_FLOOR, "Sb", "USA", 50, 0.5, 0.1);
}

static void ch_floor_event_upside(crit_world *w, crit_scenario *s)
{
    (void)w;
    add_event3(s, 2, CRIT_EVENT_FLOOR, "Sb", "USA", 50, 0.5, 0.2);
}

static void policy_with(crit_world *w, crit_scenario *s, double ext,
                        double rref, double floor, double theta, double phi)
{
    crit_policy *pol = NULL;
    assert_int_equal(crit_policy_new(&pol, w, "Ga"), CRIT_OK);
    if (ext > 0)
        assert_int_equal(crit_policy_set_external_tariff(pol, ext), CRIT_OK);
    assert_int_equal(crit_policy_set_reference_price(pol, rref), CRIT_OK);
    crit_floor_def f;
    crit_floor_def_init(&f);
    f.floor_usd_per_t = floor;
    f.covered_share = theta;
    f.upside_share = phi;
    assert_int_equal(crit_policy_set_floor(pol, "USA", &f), CRIT_OK);
    assert_int_equal(crit_scenario_set_policy(s, pol), CRIT_OK);
    crit_policy_free(pol);
}

/* full_scenario's Ga policy is rref 1000, a floor of 1500 on half */
static void ch_external_tariff(crit_world *w, crit_scenario *s)
{
    policy_with(w, s, 50, 1000, 1500, 0.5, 0);
}

static void ch_reference(crit_world *w, crit_scenario *s)
{
    policy_with(w, s, 0, 1100, 1500, 0.5, 0);
}

static void ch_floor(crit_world *w, crit_scenario *s)
{
    policy_with(w, s, 0, 1000, 1400, 0.5, 0);
}

static void ch_floor_share(crit_world *w, crit_scenario *s)
{
    policy_with(w, s, 0, 1000, 1500, 0.6, 0);
}

static void ch_floor_upside(crit_world *w, crit_scenario *s)
{
    policy_with(w, s, 0, 1000, 1500, 0.5, 0.2);
}

static void ch_sb_policy(crit_world *w, crit_scenario *s)
{
    crit_policy *pol = NULL;
    assert_int_equal(crit_policy_new(&pol, w, "Sb"), CRIT_OK);
    assert_int_equal(crit_policy_set_external_tariff(pol, 5), CRIT_OK);
    assert_int_equal(crit_scenario_set_policy(s, pol), CRIT_OK);
    crit_policy_free(pol);
}

static void options_with(crit_scenario *s, double tol, int32_t iters,
                         int32_t warm)
{
    crit_market_options o;
    crit_market_options_init(&o);
    o.tolerance = tol;
    o.max_iterations = iters;
    o.warm_start = warm;
    assert_int_equal(crit_scenario_set_market_options(s, &o), CRIT_OK);
}

static void ch_tolerance(crit_world *w, crit_scenario *s)
{
    (void)w;
    options_with(s, 1e-10, 100000, 1);
}

static void ch_iterations(crit_world *w, crit_scenario *s)
{
    (void)w;
    options_with(s, 1e-9, 5000, 1);
}

static void ch_warm(crit_world *w, crit_scenario *s)
{
    (void)w;
    options_with(s, 1e-9, 100000, 0);
}

static void ch_options(crit_world *w, crit_scenario *s)
{
    (void)w;
    options_with(s, 1e-9, 100000, 1);
}

/* a second stockpile, with its one field `k` other than the first's */
static void stockpile_with(crit_world *w, crit_scenario *s, int k)
{
    crit_stockpile *sp = usa_stockpile(w, "second", k == 0 ? 90 : 100);
    crit_stockpile_mineral_def m;
    crit_stockpile_mineral_def_init(&m);
    m.mineral = "Ga";
    m.inventory_t = 10;
    m.capacity_t = 200;
    m.release_trigger_usd_per_t = 2000;
    m.loss_rate_per_yr = k == 1 ? 0.02 : 0.01;
    m.smoothing = k == 2 ? 0.06 : 0.05;
    assert_int_equal(crit_stockpile_add_mineral(sp, &m), CRIT_OK);
    if (k == 4)
        assert_int_equal(crit_stockpile_set_disruption(sp, 0, 1), CRIT_OK);
    crit_participant_def p;
    crit_participant_def_init(&p);
    p.name = "firm";
    p.mineral = "Ga";
    p.draw_right_t = k == 3 ? 6 : 5;
    p.draw_price_usd_per_t = 1000;
    assert_int_equal(crit_stockpile_add_participant(NULL, sp, &p), CRIT_OK);
    assert_int_equal(crit_scenario_add_stockpile(NULL, s, sp), CRIT_OK);
    crit_stockpile_free(sp);
}

static void ch_stockpile(crit_world *w, crit_scenario *s)
{
    stockpile_with(w, s, -1);
}

static void ch_stockpile_cash(crit_world *w, crit_scenario *s)
{
    stockpile_with(w, s, 0);
}

static void ch_stockpile_loss(crit_world *w, crit_scenario *s)
{
    stockpile_with(w, s, 1);
}

static void ch_stockpile_smoothing(crit_world *w, crit_scenario *s)
{
    stockpile_with(w, s, 2);
}

static void ch_participant(crit_world *w, crit_scenario *s)
{
    stockpile_with(w, s, 3);
}

static void ch_stockpile_disrupted(crit_world *w, crit_scenario *s)
{
    stockpile_with(w, s, 4);
}

static void loan_with(crit_scenario *s, double rate, double commitment)
{
    crit_loan_def ld;
    fixture_loan_def(&ld, commitment);
    ld.fixed_rate = rate;
    add_loan(s, &ld);
}

static void ch_loan(crit_world *w, crit_scenario *s)
{
    (void)w;
    loan_with(s, 0.05, 1000);
}

static void ch_loan_fee(crit_world *w, crit_scenario *s)
{
    (void)w;
    crit_loan_def ld;
    fixture_loan_def(&ld, 1000);
    ld.commitment_fee_rate = 0.01;
    add_loan(s, &ld);
}

static void ch_loan_drawn(crit_world *w, crit_scenario *s)
{
    (void)w;
    crit_loan_def ld;
    fixture_loan_def(&ld, 1000);
    add_loan_drawn(s, ld, ymd(2026, 1, 1), 100);
}

static void ch_loan_rate(crit_world *w, crit_scenario *s)
{
    (void)w;
    loan_with(s, 0.06, 1000);
}

static void ch_loan_commitment(crit_world *w, crit_scenario *s)
{
    (void)w;
    loan_with(s, 0.05, 1001);
}

static void programme_with(crit_scenario *s, double budget, double lead,
                           int32_t start)
{
    crit_programme_def pg;
    crit_programme_def_init(&pg);
    pg.name = "second";
    pg.economy = "JPN";
    pg.mineral = "Ga";
    pg.budget_usd = budget;
    pg.capital_intensity_usd_per_t_per_yr = 1e4;
    pg.lead_time_years = lead;
    pg.start_period = start;
    assert_int_equal(crit_scenario_add_programme(s, &pg), CRIT_OK);
}

static void ch_programme(crit_world *w, crit_scenario *s)
{
    (void)w;
    programme_with(s, 1e6, 0.5, 1);
}

static void ch_programme_budget(crit_world *w, crit_scenario *s)
{
    (void)w;
    programme_with(s, 2e6, 0.5, 1);
}

static void ch_programme_lead(crit_world *w, crit_scenario *s)
{
    (void)w;
    programme_with(s, 1e6, 0.75, 1);
}

static void ch_programme_start(crit_world *w, crit_scenario *s)
{
    (void)w;
    programme_with(s, 1e6, 0.5, 2);
}

/*
 * A result records its scenario's digest (crit__scenario_digest), and a
 * snapshot save takes a result of another scenario only while the two
 * digests agree: the digest must differ wherever crit__scenario_equal
 * does. Built twice the same way, the full scenario is equal and has one
 * digest; after any one change by a public mutator (and after two
 * changes that differ in one number only) the two differ in both.
 */
static void test_scenario_digest_follows_equality(void **state)
{
    (void)state;
    crit_world *w = small_world();
    static const scenario_change changes[] = {
        ch_event,
        ch_event_value,
        ch_ban,
        ch_ban_partner,
        ch_floor_event,
        ch_floor_event_upside,
        ch_external_tariff,
        ch_reference,
        ch_floor,
        ch_floor_share,
        ch_floor_upside,
        ch_sb_policy,
        ch_tolerance,
        ch_iterations,
        ch_warm,
        ch_options,
        ch_stockpile,
        ch_stockpile_cash,
        ch_stockpile_loss,
        ch_stockpile_smoothing,
        ch_participant,
        ch_stockpile_disrupted,
        ch_loan,
        ch_loan_fee,
        ch_loan_drawn,
        ch_loan_rate,
        ch_loan_commitment,
        ch_programme,
        ch_programme_budget,
        ch_programme_lead,
        ch_programme_start,
    };
    size_t nc = sizeof changes / sizeof *changes;
    crit_scenario *a = full_scenario(w, 12), *b = full_scenario(w, 12);
    assert_true(crit__scenario_equal(a, b));
    assert_true(crit__scenario_digest(a) == crit__scenario_digest(b));
    uint64_t base = crit__scenario_digest(a);
    crit_scenario_free(b);
    /* each change against the scenario without it, and against each
       other (pairs that differ in one number: ch_event and
       ch_event_value, the policies, the options, ...) */
    uint64_t d[sizeof changes / sizeof *changes];
    crit_scenario *changed[sizeof changes / sizeof *changes];
    for (size_t k = 0; k < nc; k++) {
        b = full_scenario(w, 12);
        changes[k](w, b);
        assert_false(crit__scenario_equal(a, b));
        d[k] = crit__scenario_digest(b);
        if (d[k] == base)
            fail_msg("change %zu leaves the digest as it was", k);
        for (size_t j = 0; j < k; j++) {
            if (d[j] == d[k])
                fail_msg("changes %zu and %zu give one digest", j, k);
            if (crit__scenario_equal(changed[j], b))
                fail_msg("changes %zu and %zu give equal scenarios", j, k);
        }
        /* the same change made twice the same way: equal again */
        crit_scenario *c = full_scenario(w, 12);
        changes[k](w, c);
        assert_true(crit__scenario_equal(b, c));
        assert_true(crit__scenario_digest(c) == d[k]);
        crit_scenario_free(c);
        changed[k] = b;
    }
    for (size_t k = 0; k < nc; k++)
        crit_scenario_free(changed[k]);
    /* the horizon: periods, start, period length */
    b = full_scenario(w, 13);
    assert_true(crit__scenario_digest(b) != base);
    crit_scenario_free(b);
    crit_scenario_def sd;
    crit_scenario_def_init(&sd);
    sd.start = ymd(2026, 2, 1);
    sd.periods = 12;
    assert_int_equal(crit_scenario_new(&b, w, &sd), CRIT_OK);
    crit_scenario *c = new_scenario(w, 12);
    assert_false(crit__scenario_equal(b, c));
    assert_true(crit__scenario_digest(b) != crit__scenario_digest(c));
    crit_scenario_free(b);
    sd.start = ymd(2026, 1, 1);
    sd.months_per_period = 3;
    assert_int_equal(crit_scenario_new(&b, w, &sd), CRIT_OK);
    assert_false(crit__scenario_equal(b, c));
    assert_true(crit__scenario_digest(b) != crit__scenario_digest(c));
    crit_scenario_free(b);
    /* and disruptions from restrictions */
    sd.months_per_period = 1;
    sd.disruption_from_restrictions = 0;
    assert_int_equal(crit_scenario_new(&b, w, &sd), CRIT_OK);
    assert_false(crit__scenario_equal(b, c));
    assert_true(crit__scenario_digest(b) != crit__scenario_digest(c));
    crit_scenario_free(b);
    crit_scenario_free(c);
    crit_scenario_free(a);
    crit_world_free(w);
}

/* Run `s` and read every series of its result into `a`. */
static crit_result *run_read(all_series *a, const crit_scenario *s)
{
    crit_result *r = NULL;
    assert_int_equal(crit_scenario_run(&r, s, NULL, NULL), CRIT_OK);
    read_all(a, r);
    return r;
}

/* Free what run_read() and the test made. */
static void release(all_series *a, crit_result *r, crit_scenario *s,
                    crit_world *w)
{
    free_all(a);
    crit_result_free(r);
    crit_scenario_free(s);
    crit_world_free(w);
}

/*
 * Outages and demand changes take effect in the period of their event and
 * last until the next one (MODEL.md sections 1 and 8): CHN's Ga
 * availability a is 0.5 in periods 2-3; demand level g is 1.2 everywhere
 * from period 3, then 1.5 at USA from period 5 (set, not compounded). Checked
 * against section 1's curves at the recorded prices, per period (dt = 1/12):
 * production = min(K, s0 (p/P0)^eta) a dt, demand = d0 (p/P0)^-eps g dt.
 */
static void test_scenario_outage_and_demand_events_per_period(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = new_scenario(w, 7);
    add_event(s, 2, CRIT_EVENT_OUTAGE, "Ga", "CHN", NULL, 0.5);
    add_event(s, 4, CRIT_EVENT_OUTAGE_END, "Ga", "CHN", NULL, 0);
    add_event(s, 3, CRIT_EVENT_DEMAND, "Ga", NULL, NULL, 1.2);
    add_event(s, 5, CRIT_EVENT_DEMAND, "Ga", "USA", NULL, 1.5);
    all_series a;
    crit_result *r = run_read(&a, s);
    const double s0[] = {50, 0, 950}, d0[] = {600, 300, 100}, dt = 1.0 / 12;
    for (size_t t = 0; t < a.T; t++)
        for (size_t i = 0; i < a.E; i++) {
            double p = tke(&a, CRIT_SERIES_PRICE, t, 0, i) / 1000;
            double av = i == 2 && t >= 2 && t < 4 ? 0.5 : 1;
            double g = t < 3 ? 1 : i == 0 && t >= 5 ? 1.5 : 1.2;
            double sup = fmin(1.5 * s0[i], s0[i] * pow(p, 0.3)) * av * dt;
            char what[64];
            snprintf(what, sizeof what, "production t=%zu i=%zu", t, i);
            near(tke(&a, CRIT_SERIES_PRODUCTION, t, 0, i), sup, 1e-9, what);
            snprintf(what, sizeof what, "demand t=%zu i=%zu", t, i);
            near(tke(&a, CRIT_SERIES_DEMAND, t, 0, i),
                 d0[i] * pow(p, -0.2) * g * dt, 1e-9, what);
        }
    release(&a, r, s, w);
}

/* JPN's gallium curves in small_world() replaced: base production and
   capacity (t/yr) at a supply elasticity of 0.3, base demand (t/yr) at a
   demand elasticity of 0.2. */
static void jpn_curve(crit_world *w, double production, double capacity,
                      double demand)
{
    crit_curve_def c;
    crit_curve_def_init(&c);
    c.base_production_t_per_yr = production;
    c.capacity_t_per_yr = capacity;
    c.supply_elasticity = 0.3;
    c.base_demand_t_per_yr = demand;
    c.demand_elasticity = 0.2;
    assert_int_equal(crit_world_set_curve(w, "JPN", "Ga", &c), CRIT_OK);
}

/*
 * Stockpile cover (MODEL.md section 10, series COVER_MONTHS and
 * COVER_DAYS): months of the coalition's base net imports, member demand
 * less member production summed over members (JPN, made a net exporter
 * here, offsets USA: (600 - 50) + (100 - 200) = 450 t/yr; CHN is not a
 * member), and days of the participants' demand (500 t/yr).
 */
static void test_scenario_stockpile_cover(void **state)
{
    (void)state;
    crit_world *w = small_world();
    jpn_curve(w, 200, 300, 100);
    crit_scenario *s = new_scenario(w, 3);
    crit_stockpile *sp = usa_stockpile(w, NULL, 1e6);
    crit_stockpile_mineral_def m;
    crit_stockpile_mineral_def_init(&m);
    m.mineral = "Ga";
    m.inventory_t = 40;
    m.capacity_t = 100;
    m.target = 40;
    m.acquisition_rate_t_per_yr = 240;
    m.release_rate_t_per_yr = 480;
    m.purchase_trigger_usd_per_t = 1200;
    m.release_trigger_usd_per_t = 2000;
    assert_int_equal(crit_stockpile_add_mineral(sp, &m), CRIT_OK);
    crit_participant_def p;
    crit_participant_def_init(&p);
    p.name = "firm";
    p.mineral = "Ga";
    p.demand_t_per_yr = 500;
    assert_int_equal(crit_stockpile_add_participant(NULL, sp, &p), CRIT_OK);
    add_stockpile(s, sp);
    all_series a;
    crit_result *r = run_read(&a, s);
    for (size_t t = 0; t < a.T; t++) {
        double inv = tsk(&a, CRIT_SERIES_INVENTORY, t, 0, 0);
        assert_true(inv > 0);
        near(tsk(&a, CRIT_SERIES_COVER_MONTHS, t, 0, 0), inv / (450.0 / 12),
             1e-12, "cover months");
        near(tsk(&a, CRIT_SERIES_COVER_DAYS, t, 0, 0), inv / (500.0 / 365),
             1e-12, "cover days");
    }
    release(&a, r, s, w);
}

/*
 * What the events leave in force at a period for one mineral: CHN's
 * export restrictions, and the coalition's policy (a floor on USA's
 * production where floor > 0).
 */
typedef struct in_force {
    int ban_usa, ban_jpn;                /* CHN's bans */
    double quota, tax, tax_rate, tariff; /* quota INFINITY: none */
    double reference, floor, covered, upside;
} in_force;

/*
 * A market on a copy of `base` with `x` in force for `mineral`, solved for
 * a period of `dt` years.
 */
static crit_market *solved_under(const crit_world *base, const char *mineral,
                                 const in_force *x, double dt)
{
    crit_world *w = NULL;
    assert_int_equal(crit_world_copy(&w, base), CRIT_OK);
    assert_int_equal(
        crit_world_set_export_ban(w, mineral, "CHN", "USA", x->ban_usa),
        CRIT_OK);
    assert_int_equal(
        crit_world_set_export_ban(w, mineral, "CHN", "JPN", x->ban_jpn),
        CRIT_OK);
    assert_int_equal(
        isinf(x->quota)
            ? crit_world_clear_export_quota(w, mineral, "CHN")
            : crit_world_set_export_quota(w, mineral, "CHN", x->quota),
        CRIT_OK);
    assert_int_equal(
        crit_world_set_export_tax(w, mineral, "CHN", x->tax, x->tax_rate),
        CRIT_OK);
    crit_policy *pol = NULL;
    assert_int_equal(crit_policy_new(&pol, w, mineral), CRIT_OK);
    assert_int_equal(crit_policy_set_external_tariff(pol, x->tariff), CRIT_OK);
    assert_int_equal(crit_policy_set_reference_price(pol, x->reference),
                     CRIT_OK);
    if (x->floor > 0) {
        crit_floor_def f;
        crit_floor_def_init(&f);
        f.floor_usd_per_t = x->floor;
        f.covered_share = x->covered;
        f.upside_share = x->upside;
        assert_int_equal(crit_policy_set_floor(pol, "USA", &f), CRIT_OK);
    }
    crit_market *m = NULL;
    assert_int_equal(crit_market_new(&m, w, mineral), CRIT_OK);
    assert_int_equal(crit_market_set_policy(m, pol), CRIT_OK);
    assert_int_equal(crit_market_set_period_length(m, dt), CRIT_OK);
    assert_int_equal(crit_market_solve(m), CRIT_OK);
    crit_policy_free(pol);
    crit_world_free(w);
    return m;
}

/*
 * Period t of mineral k of a run against a market solved apart: every
 * per-economy series (the market's quantities, price to levy revenue, in
 * the same order) and the levy.
 */
static void market_matches(const all_series *a, size_t t, size_t k,
                           const crit_market *m)
{
    for (int q = CRIT_SERIES_PRICE; q <= CRIT_SERIES_LEVY_REVENUE; q++) {
        double want[3];
        assert_int_equal(crit_market_values(want, 3, m, q), CRIT_OK);
        for (size_t i = 0; i < 3; i++) {
            char what[96];
            snprintf(what, sizeof what, "%s t=%zu k=%zu i=%zu",
                     crit_series_name(q), t, k, i);
            near(tke(a, q, t, k, i), want[i], 1e-9, what);
        }
    }
    crit_market_info info;
    crit_market_info_init(&info);
    assert_int_equal(crit_market_info_get(&info, m), CRIT_OK);
    near(a->v[CRIT_SERIES_LEVY][t * a->M + k], info.levy_usd_per_t, 1e-9,
         "levy");
}

/*
 * Period t (of `dt` years) of mineral k of a run against the market solved
 * apart with `x` in force (market_matches). Returns the market's prices
 * in `p`.
 */
static void period_matches(double p[3], const all_series *a, size_t t, size_t k,
                           const crit_world *base, const in_force *x, double dt)
{
    crit_market *m = solved_under(base, k ? "Sb" : "Ga", x, dt);
    market_matches(a, t, k, m);
    assert_int_equal(crit_market_values(p, 3, m, CRIT_MARKET_PRICE), CRIT_OK);
    crit_market_free(m);
}

/* 1 when two price vectors differ by more than 1 % somewhere. */
static int prices_differ(const double *p, const double *q)
{
    for (int i = 0; i < 3; i++)
        if (fabs(p[i] - q[i]) > 0.01 * fabs(q[i]))
            return 1;
    return 0;
}

/*
 * Restriction events, each period checked against a market solved apart
 * on the world as the events leave it (period_matches). The world bans Ga
 * from CHN to USA and caps CHN's Ga exports at 800 t/yr (binding), and
 * taxes CHN's Sb exports 5 USD/t. Ga: CHN bans both members (period 1);
 * the ban's end (2) returns to the world's own ban, which stays; a
 * quota of 300 t/yr (3), and its end (4) returns to the world's 800, not
 * to no quota; a ban on JPN alone (9) and its end (10); the end of a ban
 * on USA that only the world imposes (11) leaves it. Sb: a tax of 12
 * USD/t plus 10 % (5), and its end (6) returns to the world's 5 USD/t,
 * not to no tax; an external tariff of 20 USD/t (7), then 0 (8). Where an
 * end returns to the world's restriction, the test checks that no
 * restriction would have given other prices.
 */
static void test_scenario_restriction_events(void **state)
{
    (void)state;
    crit_world *w = small_world();
    assert_int_equal(crit_world_set_export_ban(w, "Ga", "CHN", "USA", 1),
                     CRIT_OK);
    assert_int_equal(crit_world_set_export_quota(w, "Ga", "CHN", 800), CRIT_OK);
    assert_int_equal(crit_world_set_export_tax(w, "Sb", "CHN", 5, 0), CRIT_OK);
    crit_scenario *s = new_scenario(w, 12);
    add_event(s, 1, CRIT_EVENT_EXPORT_BAN, "Ga", "CHN", NULL, 0);
    add_event(s, 2, CRIT_EVENT_EXPORT_BAN_END, "Ga", "CHN", NULL, 0);
    add_event(s, 3, CRIT_EVENT_EXPORT_QUOTA, "Ga", "CHN", NULL, 300);
    add_event(s, 4, CRIT_EVENT_EXPORT_QUOTA_END, "Ga", "CHN", NULL, 0);
    add_event3(s, 5, CRIT_EVENT_EXPORT_TAX, "Sb", "CHN", 12, 0.1, 0);
    add_event(s, 6, CRIT_EVENT_EXPORT_TAX_END, "Sb", "CHN", NULL, 0);
    add_event(s, 7, CRIT_EVENT_EXTERNAL_TARIFF, "Sb", NULL, NULL, 20);
    add_event(s, 8, CRIT_EVENT_EXTERNAL_TARIFF, "Sb", NULL, NULL, 0);
    add_event(s, 9, CRIT_EVENT_EXPORT_BAN, "Ga", "CHN", "JPN", 0);
    add_event(s, 10, CRIT_EVENT_EXPORT_BAN_END, "Ga", "CHN", "JPN", 0);
    add_event(s, 11, CRIT_EVENT_EXPORT_BAN_END, "Ga", "CHN", "USA", 0);
    all_series a;
    crit_result *r = run_read(&a, s);
    for (size_t t = 0; t < 12; t++) {
        in_force ga = {.ban_usa = 1,
                       .ban_jpn = t == 1 || t == 9,
                       .quota = t == 3 ? 300 : 800};
        in_force sb = {.quota = INFINITY,
                       .tax = t == 5 ? 12 : 5,
                       .tax_rate = t == 5 ? 0.1 : 0,
                       .tariff = t == 7 ? 20 : 0};
        for (size_t k = 0; k < 2; k++) {
            double want[3];
            period_matches(want, &a, t, k, w, k ? &sb : &ga, 1.0 / 12);
            /* the world's restriction, not none, is what shows */
            in_force none = k ? sb : ga;
            if (k == 0 && (t == 2 || t == 11))
                none.ban_usa = 0;
            else if (k == 0 && t == 4)
                none.quota = INFINITY;
            else if (k == 1 && t == 6)
                none.tax = 0;
            else
                continue;
            double other[3];
            crit_market *m = solved_under(w, k ? "Sb" : "Ga", &none, 1.0 / 12);
            assert_int_equal(crit_market_values(other, 3, m, CRIT_MARKET_PRICE),
                             CRIT_OK);
            crit_market_free(m);
            assert_true(prices_differ(other, want));
        }
    }
    release(&a, r, s, w);
}

/*
 * Policy events, each period checked against a market solved apart with
 * the policy as the events leave it (period_matches). Ga: a reference
 * price of 1,400 USD/t held by the levy (period 1), off again (2); a
 * floor of 1,500 USD/t on half of USA's production with a quarter of the
 * upside (3), replaced by one of 800 USD/t whose covered share 0 means
 * all of it, with half the upside (4), removed (5). Sb: the scenario's
 * policy (an external tariff of 10 USD/t) from period 0, the tariff off
 * (2), a reference price of 120 USD/t (3). The test checks that the levy
 * binds and each floor pays where it should, so that a lost value shows.
 */
static void test_scenario_policy_events(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = new_scenario(w, 6);
    crit_policy *pol = NULL;
    assert_int_equal(crit_policy_new(&pol, w, "Sb"), CRIT_OK);
    assert_int_equal(crit_policy_set_external_tariff(pol, 10), CRIT_OK);
    assert_int_equal(crit_scenario_set_policy(s, pol), CRIT_OK);
    crit_policy_free(pol);
    add_event(s, 1, CRIT_EVENT_REFERENCE_PRICE, "Ga", NULL, NULL, 1400);
    add_event(s, 2, CRIT_EVENT_REFERENCE_PRICE, "Ga", NULL, NULL, 0);
    add_event3(s, 3, CRIT_EVENT_FLOOR, "Ga", "USA", 1500, 0.5, 0.25);
    add_event3(s, 4, CRIT_EVENT_FLOOR, "Ga", "USA", 800, 0, 0.5);
    add_event(s, 5, CRIT_EVENT_FLOOR_END, "Ga", "USA", NULL, 0);
    add_event(s, 2, CRIT_EVENT_EXTERNAL_TARIFF, "Sb", NULL, NULL, 0);
    add_event(s, 3, CRIT_EVENT_REFERENCE_PRICE, "Sb", NULL, NULL, 120);
    all_series a;
    crit_result *r = run_read(&a, s);
    for (size_t t = 0; t < 6; t++) {
        in_force ga = {.quota = INFINITY, .reference = t == 1 ? 1400 : 0};
        if (t == 3) {
            ga.floor = 1500;
            ga.covered = 0.5;
            ga.upside = 0.25;
        } else if (t == 4) {
            ga.floor = 800;
            ga.covered = 1;
            ga.upside = 0.5;
        }
        in_force sb = {.quota = INFINITY,
                       .tariff = t < 2 ? 10 : 0,
                       .reference = t >= 3 ? 120 : 0};
        double p[3];
        period_matches(p, &a, t, 0, w, &ga, 1.0 / 12);
        period_matches(p, &a, t, 1, w, &sb, 1.0 / 12);
    }
    /* what the checks rest on */
    assert_true(a.v[CRIT_SERIES_LEVY][1 * a.M + 0] > 1);
    assert_true(a.v[CRIT_SERIES_LEVY][3 * a.M + 1] > 0.1);
    assert_true(tke(&a, CRIT_SERIES_CFD_PAID, 3, 0, 0) > 0);
    assert_true(tke(&a, CRIT_SERIES_CFD_RECEIVED, 4, 0, 0) > 0);
    release(&a, r, s, w);
}

/*
 * A stockpile at the second economy (JPN) buys there: the market's
 * stockpile purchases stand at JPN and nowhere else, and are what the
 * stockpile records; it pays JPN's price (cheaper freight from CHN makes
 * it differ from USA's, the first economy's).
 */
static void test_scenario_stockpile_at_another_economy(void **state)
{
    (void)state;
    crit_world *w = small_world();
    assert_int_equal(crit_world_set_transport(w, "Ga", "CHN", "JPN", 40),
                     CRIT_OK);
    crit_scenario *s = new_scenario(w, 4);
    crit_stockpile_def sd;
    crit_stockpile_def_init(&sd);
    sd.economy = "JPN";
    sd.cash_usd = 1e7;
    crit_stockpile *sp = NULL;
    assert_int_equal(crit_stockpile_new(&sp, w, &sd), CRIT_OK);
    crit_stockpile_mineral_def m;
    crit_stockpile_mineral_def_init(&m);
    m.mineral = "Ga";
    m.inventory_t = 10;
    m.capacity_t = 200;
    m.target = 100;
    m.acquisition_rate_t_per_yr = 240;
    m.release_rate_t_per_yr = 480;
    m.purchase_trigger_usd_per_t = 5000;
    m.release_trigger_usd_per_t = 9000;
    assert_int_equal(crit_stockpile_add_mineral(sp, &m), CRIT_OK);
    add_stockpile(s, sp);
    all_series a;
    crit_result *r = run_read(&a, s);
    double bought = 0;
    for (size_t t = 0; t < a.T; t++) {
        double got = tsk(&a, CRIT_SERIES_PURCHASED, t, 0, 0);
        assert_true(got > 0);
        bought += got;
        near(tke(&a, CRIT_SERIES_STOCK_PURCHASE, t, 0, 1), got, 1e-12,
             "purchase at JPN");
        assert_true(tke(&a, CRIT_SERIES_STOCK_PURCHASE, t, 0, 0) == 0);
        assert_true(tke(&a, CRIT_SERIES_STOCK_PURCHASE, t, 0, 2) == 0);
        double pj = tke(&a, CRIT_SERIES_PRICE, t, 0, 1);
        assert_true(fabs(pj - tke(&a, CRIT_SERIES_PRICE, t, 0, 0)) > 10);
        near(ts(&a, CRIT_SERIES_PURCHASES, t, 0), got * pj, 1e-12,
             "paid at JPN's price");
        near(tsk(&a, CRIT_SERIES_INVENTORY, t, 0, 0), 10 + bought, 1e-12,
             "inventory");
    }
    release(&a, r, s, w);
}

/*
 * The cash waterfall when payments outrun the stockpile's cash (MODEL.md
 * section 6, crit_scenario_run() step 5: a shortfall is drawn on the
 * stockpile's loans in the order added while they are available, and what
 * is still missing is a funding gap). A stockpile that never trades, with
 * 10 USD, and two loans. A: 1,200 at 12 % (30/360, monthly, interest only
 * for 11 periods), a 5 % upfront fee, no scheduled draw, available to 31
 * March. B, added second: 1 USD at 0 %, available all year. January: A's
 * fee of 60 leaves -50, drawn on A on 1 February. February: A's interest
 * 50 * 1 % = 0.5, drawn on A on 1 March. From March A is no longer
 * available and its interest is 50.5 * 1 % = 0.505 a month: drawn on B
 * while B lasts (0.505, then its last 0.495), then a funding gap (0.01,
 * then 0.505 a month). Cash stays 0.
 */
static void test_scenario_shortfall_drawn_then_gap(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = new_scenario(w, 6);
    crit_stockpile *sp = usa_stockpile(w, NULL, 10);
    add_stockpile(s, sp);
    crit_loan_def ld;
    crit_loan_def_init(&ld);
    ld.commitment = 1200;
    ld.start = ymd(2026, 1, 1);
    ld.maturity = ymd(2027, 1, 1);
    ld.availability_end = ymd(2026, 3, 31);
    ld.fixed_rate = 0.12;
    ld.grace_periods = 11;
    ld.upfront_fee_rate = 0.05;
    add_loan(s, &ld);
    ld.commitment = 1;
    ld.availability_end = ymd(2026, 12, 31);
    ld.fixed_rate = 0;
    ld.upfront_fee_rate = 0;
    add_loan(s, &ld);
    all_series a;
    crit_result *r = run_read(&a, s);
    const double service[] = {60, 0.5, 0.505, 0.505, 0.505, 0.505};
    const double drawn[2][6] = {{50, 0.5, 0, 0, 0, 0},
                                {0, 0, 0.505, 0.495, 0, 0}};
    const double gap[] = {0, 0, 0, 0.01, 0.505, 0.505};
    double balance[2] = {0, 0};
    for (size_t t = 0; t < a.T; t++) {
        char what[64];
        snprintf(what, sizeof what, "debt service t=%zu", t);
        near(ts(&a, CRIT_SERIES_DEBT_SERVICE, t, 0), service[t], 1e-12, what);
        for (size_t l = 0; l < 2; l++) {
            snprintf(what, sizeof what, "loan %zu drawn t=%zu", l, t);
            near(tl(&a, CRIT_SERIES_LOAN_DRAWN, t, l), drawn[l][t], 1e-12,
                 what);
            balance[l] += drawn[l][t];
            near(tl(&a, CRIT_SERIES_LOAN_BALANCE, t, l), balance[l], 1e-12,
                 "balance");
        }
        snprintf(what, sizeof what, "draws t=%zu", t);
        near(ts(&a, CRIT_SERIES_LOAN_DRAWS, t, 0), drawn[0][t] + drawn[1][t],
             1e-12, what);
        snprintf(what, sizeof what, "gap t=%zu", t);
        near(ts(&a, CRIT_SERIES_FUNDING_GAP, t, 0), gap[t], 1e-12, what);
        near(a.v[CRIT_SERIES_PUBLIC_COST][t], gap[t], 1e-12, what);
        assert_true(ts(&a, CRIT_SERIES_CASH, t, 0) == 0);
    }
    /* the result's loans hold the draws on demand, dated at the ends of
       their periods */
    const crit_loan *rl = crit_result_loan(r, 0);
    crit_loan_totals lt;
    assert_int_equal(crit_loan_totals_get(&lt, rl), CRIT_OK);
    near(lt.draws, 50.5, 1e-12, "drawn on A");
    crit_loan_row row;
    assert_int_equal(crit_loan_row_get(&row, rl, 1), CRIT_OK);
    assert_int_equal(row.date, ymd(2026, 2, 1));
    near(row.draws, 50, 1e-12, "draw on 1 February");
    assert_int_equal(crit_loan_row_get(&row, rl, 2), CRIT_OK);
    near(row.draws, 0.5, 1e-12, "draw on 1 March");
    assert_int_equal(crit_loan_totals_get(&lt, crit_result_loan(r, 1)),
                     CRIT_OK);
    near(lt.draws, 1, 1e-12, "drawn on B");
    release(&a, r, s, w);
}

/* A mineral of base price p0 in stockpile sp, empty, with this capacity
   (its target too) and rate (t/yr, to buy and to release), buying below
   5 p0 and releasing above 9 p0. */
static void add_buyer(crit_stockpile *sp, const char *mineral, double p0,
                      double capacity, double rate)
{
    crit_stockpile_mineral_def m;
    crit_stockpile_mineral_def_init(&m);
    m.mineral = mineral;
    m.capacity_t = capacity;
    m.target = capacity;
    m.acquisition_rate_t_per_yr = rate;
    m.release_rate_t_per_yr = rate;
    m.purchase_trigger_usd_per_t = 5 * p0;
    m.release_trigger_usd_per_t = 9 * p0;
    assert_int_equal(crit_stockpile_add_mineral(sp, &m), CRIT_OK);
}

/* Ga and Sb in stockpile sp by add_buyer (Ga's P0 is 1000, Sb's 100). */
static void add_ga_and_sb(crit_stockpile *sp, double capacity, double rate)
{
    add_buyer(sp, "Ga", 1000, capacity, rate);
    add_buyer(sp, "Sb", 100, capacity, rate);
}

/*
 * Minerals share a stockpile's cash in mineral order (MODEL.md section 8):
 * a stockpile with 1,000 USD and no loan, buying Ga and Sb below triggers
 * far above their prices at rates its cash cannot pay for. Ga, cleared
 * first, takes all the cash (1,000 USD at the period's Ga price at USA);
 * Sb, cleared second, finds none and buys nothing. Period 1 finds no
 * cash either; the holding cost of what it holds is a funding gap.
 */
static void test_scenario_minerals_share_cash_in_order(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = new_scenario(w, 2);
    crit_stockpile *sp = usa_stockpile(w, NULL, 1000);
    add_ga_and_sb(sp, 1000, 12000);
    add_stockpile(s, sp);
    all_series a;
    crit_result *r = run_read(&a, s);
    double ga = tsk(&a, CRIT_SERIES_PURCHASED, 0, 0, 0);
    near(ts(&a, CRIT_SERIES_PURCHASES, 0, 0), 1000, 1e-12, "all the cash");
    near(ga * tke(&a, CRIT_SERIES_PRICE, 0, 0, 0), 1000, 1e-12, "on Ga");
    assert_true(fabs(tsk(&a, CRIT_SERIES_PURCHASED, 0, 0, 1)) < 1e-9);
    assert_true(fabs(ts(&a, CRIT_SERIES_CASH, 0, 0)) < 1e-9);
    assert_true(ts(&a, CRIT_SERIES_FUNDING_GAP, 0, 0) == 0);
    /* period 1: no cash to buy with, and Ga's holding cost, 20 USD/t/yr
       on what period 0 bought, is a gap */
    for (size_t k = 0; k < 2; k++)
        assert_true(fabs(tsk(&a, CRIT_SERIES_PURCHASED, 1, 0, k)) < 1e-9);
    near(ts(&a, CRIT_SERIES_HOLDING, 1, 0), ga * 20 / 12, 1e-12, "holding");
    near(ts(&a, CRIT_SERIES_FUNDING_GAP, 1, 0), ga * 20 / 12, 1e-9, "gap");
    assert_true(ts(&a, CRIT_SERIES_CASH, 1, 0) == 0);
    release(&a, r, s, w);
}

/*
 * Periods of three months (crit_scenario_def.months_per_period): dates a
 * quarter apart; each period's market solved for a quarter (tonnes per
 * quarter), as a market solved apart is; a loan's monthly rows fall three
 * to a period. The loan: 1,200 drawn at its start, 12 % (30/360), interest
 * only: 12 USD a month, 36 a quarter, paid from the stockpile's cash.
 */
static void test_scenario_quarterly_periods(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario_def d;
    crit_scenario_def_init(&d);
    d.start = ymd(2026, 1, 1);
    d.periods = 4;
    d.months_per_period = 3;
    crit_scenario *s = NULL;
    assert_int_equal(crit_scenario_new(&s, w, &d), CRIT_OK);
    add_event(s, 2, CRIT_EVENT_EXPORT_BAN, "Ga", "CHN", "USA", 0);
    crit_stockpile *sp = usa_stockpile(w, NULL, 0);
    add_stockpile(s, sp);
    crit_loan_def ld;
    crit_loan_def_init(&ld);
    ld.commitment = 1200;
    ld.start = ymd(2026, 1, 1);
    ld.maturity = ymd(2028, 1, 1);
    ld.availability_end = ymd(2026, 1, 31);
    ld.fixed_rate = 0.12;
    ld.grace_periods = 23;
    add_loan_drawn(s, ld, ymd(2026, 1, 1), 1200);
    all_series a;
    crit_result *r = run_read(&a, s);
    crit_date dates[5];
    assert_int_equal(crit_result_dates(dates, 5, r), CRIT_OK);
    for (int q = 0; q < 5; q++)
        assert_int_equal(dates[q], ymd(2026 + q / 4, 1 + 3 * (q % 4), 1));
    for (size_t t = 0; t < a.T; t++) {
        in_force ga = {.ban_usa = t >= 2, .quota = INFINITY};
        in_force sb = {.quota = INFINITY};
        double p[3];
        period_matches(p, &a, t, 0, w, &ga, 0.25);
        period_matches(p, &a, t, 1, w, &sb, 0.25);
        /* CHN's production, a quarter of its yearly supply at its price */
        double pc = tke(&a, CRIT_SERIES_PRICE, t, 1, 2) / 100;
        near(tke(&a, CRIT_SERIES_PRODUCTION, t, 1, 2),
             fmin(1425, 950 * pow(pc, 0.3)) * 0.25, 1e-9, "quarter's supply");
        near(ts(&a, CRIT_SERIES_DEBT_SERVICE, t, 0), 36, 1e-12, "interest");
        near(tl(&a, CRIT_SERIES_LOAN_DRAWN, t, 0), t == 0 ? 1200 : 0, 1e-12,
             "drawn");
        near(ts(&a, CRIT_SERIES_CASH, t, 0), 1200 - 36.0 * (double)(t + 1),
             1e-12, "cash");
    }
    release(&a, r, s, w);
}

/*
 * A programme definition whose size ends at its last field (start_period;
 * the struct's tail padding after it is not the caller's, and the size
 * check accepts it), at the very end of a heap block of just that many
 * bytes: the scenario takes it without reading beyond it (under ASan or
 * valgrind a copy of the whole struct read the padding past the block),
 * and runs as with the same programme from a whole struct.
 */
static void test_scenario_programme_of_its_own_size(void **state)
{
    (void)state;
    crit_programme_def pg;
    crit_programme_def_init(&pg);
    pg.economy = "USA";
    pg.mineral = "Ga";
    pg.budget_usd = 4e6;
    pg.capital_intensity_usd_per_t_per_yr = 2e4;
    pg.lead_time_years = 0.25;
    pg.start_period = 1;
    size_t v1 =
        offsetof(crit_programme_def, start_period) + sizeof pg.start_period;
    crit_programme_def pv1 = pg;
    pv1.size = v1;
    void *tight = malloc(v1);
    assert_non_null(tight);
    memcpy(tight, &pv1, v1);
    all_series a[2];
    crit_result *r[2];
    crit_world *w = small_world();
    crit_scenario *s[2];
    for (int k = 0; k < 2; k++) {
        s[k] = new_scenario(w, 12);
        assert_int_equal(crit_scenario_add_programme(
                             s[k], k ? (const crit_programme_def *)tight : &pg),
                         CRIT_OK);
        r[k] = run_read(&a[k], s[k]);
    }
    free(tight);
    for (int q = 0; q < CRIT_SERIES_COUNT; q++) {
        size_t d[3];
        int32_t rank;
        assert_int_equal(crit_result_series_shape(d, &rank, r[0], q), CRIT_OK);
        size_t len = d[0] * d[1] * d[2];
        assert_memory_equal(a[0].v[q], a[1].v[q], len * sizeof(double));
    }
    /* and the programme was there: its budget is public spending */
    double spent = 0;
    for (size_t t = 0; t < a[1].T; t++)
        spent += a[1].v[CRIT_SERIES_PUBLIC_COST][t];
    near(spent, 4e6, 1e-12, "programme spending");
    for (int k = 0; k < 2; k++) {
        free_all(&a[k]);
        crit_result_free(r[k]);
        crit_scenario_free(s[k]);
    }
    crit_world_free(w);
}

/* The prices of `mineral` in a market on `w` solved apart for a month. */
static void prices_on(double *p, size_t n, const crit_world *w,
                      const char *mineral)
{
    crit_market *m = NULL;
    assert_int_equal(crit_market_new(&m, w, mineral), CRIT_OK);
    assert_int_equal(crit_market_set_period_length(m, 1.0 / 12), CRIT_OK);
    assert_int_equal(crit_market_solve(m), CRIT_OK);
    assert_int_equal(crit_market_values(p, n, m, CRIT_MARKET_PRICE), CRIT_OK);
    crit_market_free(m);
}

/*
 * An export ban without a partner bans exports to every member and to no
 * one else (crit_event_kind): with ROW, a second non-member that imports
 * Ga, CHN's ban (period 1) closes its arcs to USA and JPN but not to ROW,
 * and its end (2) opens them again; JPN's ban (3), a member's, closes its
 * arc to USA (the other member) and leaves its own node alone. Each
 * period's Ga prices are those of a market solved apart on the world with
 * those bans; a ban of CHN's exports to ROW as well would give others.
 */
static void test_scenario_ban_on_every_member(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_economy_def e;
    crit_economy_def_init(&e);
    e.code = "ROW";
    assert_int_equal(crit_world_add_economy(w, &e), CRIT_OK);
    crit_curve_def c;
    crit_curve_def_init(&c);
    c.base_demand_t_per_yr = 200;
    c.demand_elasticity = 0.2;
    const char *min[] = {"Ga", "Sb"}, *eco[] = {"USA", "JPN", "CHN"};
    const double p0[] = {1000, 100};
    for (int k = 0; k < 2; k++) {
        assert_int_equal(crit_world_set_curve(w, "ROW", min[k], &c), CRIT_OK);
        for (int i = 0; i < 3; i++) {
            assert_int_equal(
                crit_world_set_transport(w, min[k], eco[i], "ROW", 0.1 * p0[k]),
                CRIT_OK);
            assert_int_equal(
                crit_world_set_transport(w, min[k], "ROW", eco[i], 0.1 * p0[k]),
                CRIT_OK);
        }
    }
    c.base_production_t_per_yr = 200;
    c.capacity_t_per_yr = 300;
    c.supply_elasticity = 0.3;
    c.base_demand_t_per_yr = 300;
    assert_int_equal(crit_world_set_curve(w, "JPN", "Ga", &c), CRIT_OK);
    crit_scenario *s = new_scenario(w, 4);
    add_event(s, 1, CRIT_EVENT_EXPORT_BAN, "Ga", "CHN", NULL, 0);
    add_event(s, 2, CRIT_EVENT_EXPORT_BAN_END, "Ga", "CHN", NULL, 0);
    add_event(s, 3, CRIT_EVENT_EXPORT_BAN, "Ga", "JPN", NULL, 0);
    all_series a;
    crit_result *r = run_read(&a, s);
    for (size_t t = 0; t < 4; t++) {
        crit_world *x = NULL;
        assert_int_equal(crit_world_copy(&x, w), CRIT_OK);
        for (int j = 0; j < 2 && t == 1; j++)
            assert_int_equal(
                crit_world_set_export_ban(x, "Ga", "CHN", eco[j], 1), CRIT_OK);
        if (t == 3)
            assert_int_equal(
                crit_world_set_export_ban(x, "Ga", "JPN", "USA", 1), CRIT_OK);
        double want[4];
        prices_on(want, 4, x, "Ga");
        for (size_t i = 0; i < 4; i++) {
            char what[64];
            snprintf(what, sizeof what, "Ga price t=%zu i=%zu", t, i);
            near(tke(&a, CRIT_SERIES_PRICE, t, 0, i), want[i], 1e-9, what);
        }
        if (t == 1) {
            double other[4];
            assert_int_equal(
                crit_world_set_export_ban(x, "Ga", "CHN", "ROW", 1), CRIT_OK);
            prices_on(other, 4, x, "Ga");
            assert_true(fabs(other[3] - want[3]) > 0.01 * want[3]);
        }
        crit_world_free(x);
    }
    release(&a, r, s, w);
}

/*
 * The end of an export ban returns the arc to the world's own export ban
 * only: USA's own import ban on Ga from CHN keeps the arc closed, but is
 * no export restriction, so after CHN's ban on USA (period 1) ends (2) Ga
 * is no longer disrupted (crit_scenario_def.disruption_from_restrictions).
 */
static void test_scenario_ban_end_keeps_import_ban(void **state)
{
    (void)state;
    crit_world *w = small_world();
    assert_int_equal(crit_world_set_import_ban(w, "Ga", "USA", "CHN", 1),
                     CRIT_OK);
    crit_scenario *s = new_scenario(w, 3);
    add_event(s, 1, CRIT_EVENT_EXPORT_BAN, "Ga", "CHN", "USA", 0);
    add_event(s, 2, CRIT_EVENT_EXPORT_BAN_END, "Ga", "CHN", "USA", 0);
    all_series a;
    crit_result *r = run_read(&a, s);
    for (size_t t = 0; t < 3; t++) {
        assert_int_equal(a.v[CRIT_SERIES_DISRUPTED][t * a.M + 0], t == 1);
        double want[3];
        prices_on(want, 3, w, "Ga");
        for (size_t i = 0; i < 3; i++)
            near(tke(&a, CRIT_SERIES_PRICE, t, 0, i), want[i], 1e-9, "price");
    }
    release(&a, r, s, w);
}

/*
 * The end of an export tax event returns to the world's export tax, its
 * ad valorem rate included: CHN taxes Sb exports 5 USD/t plus 5 % in the
 * world; a tax of 12 USD/t plus 10 % (period 1) ends (2). Periods 0 and 2
 * match a market solved apart with the world's tax, which the tax
 * without its rate would not.
 */
static void test_scenario_tax_end_restores_rate(void **state)
{
    (void)state;
    crit_world *w = small_world();
    assert_int_equal(crit_world_set_export_tax(w, "Sb", "CHN", 5, 0.05),
                     CRIT_OK);
    crit_scenario *s = new_scenario(w, 3);
    add_event3(s, 1, CRIT_EVENT_EXPORT_TAX, "Sb", "CHN", 12, 0.1, 0);
    add_event(s, 2, CRIT_EVENT_EXPORT_TAX_END, "Sb", "CHN", NULL, 0);
    all_series a;
    crit_result *r = run_read(&a, s);
    for (size_t t = 0; t < 3; t++) {
        in_force sb = {.quota = INFINITY,
                       .tax = t == 1 ? 12 : 5,
                       .tax_rate = t == 1 ? 0.1 : 0.05};
        double want[3], other[3];
        period_matches(want, &a, t, 1, w, &sb, 1.0 / 12);
        sb.tax_rate = 0;
        crit_market *m = solved_under(w, "Sb", &sb, 1.0 / 12);
        assert_int_equal(crit_market_values(other, 3, m, CRIT_MARKET_PRICE),
                         CRIT_OK);
        crit_market_free(m);
        assert_true(prices_differ(other, want));
    }
    release(&a, r, s, w);
}

/*
 * A disruption declared without a mineral disrupts every mineral, and
 * its end without a mineral ends it for every mineral (crit_event_kind),
 * with no restriction in force.
 */
static void test_scenario_disruption_of_every_mineral(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = new_scenario(w, 3);
    add_event(s, 1, CRIT_EVENT_DISRUPTION, NULL, NULL, NULL, 0);
    add_event(s, 2, CRIT_EVENT_DISRUPTION_END, NULL, NULL, NULL, 0);
    all_series a;
    crit_result *r = run_read(&a, s);
    for (size_t t = 0; t < 3; t++)
        for (size_t k = 0; k < 2; k++)
            assert_int_equal(a.v[CRIT_SERIES_DISRUPTED][t * a.M + k], t == 1);
    release(&a, r, s, w);
}

/*
 * With disruption_from_restrictions 0 only declared disruptions count
 * (crit_scenario_def): CHN's ban on USA (period 1) and its quota (2) do
 * not disrupt Ga; the declaration (3) does.
 */
static void test_scenario_only_declared_disruptions(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario_def d;
    crit_scenario_def_init(&d);
    d.start = ymd(2026, 1, 1);
    d.periods = 4;
    d.disruption_from_restrictions = 0;
    crit_scenario *s = NULL;
    assert_int_equal(crit_scenario_new(&s, w, &d), CRIT_OK);
    add_event(s, 1, CRIT_EVENT_EXPORT_BAN, "Ga", "CHN", "USA", 0);
    add_event(s, 2, CRIT_EVENT_EXPORT_BAN_END, "Ga", "CHN", "USA", 0);
    add_event(s, 2, CRIT_EVENT_EXPORT_QUOTA, "Ga", "CHN", NULL, 100);
    add_event(s, 3, CRIT_EVENT_DISRUPTION, "Ga", NULL, NULL, 0);
    all_series a;
    crit_result *r = run_read(&a, s);
    for (size_t t = 0; t < a.T; t++)
        assert_int_equal(a.v[CRIT_SERIES_DISRUPTED][t * a.M + 0], t == 3);
    release(&a, r, s, w);
}

/*
 * Each event takes effect in its own period, whatever the order the
 * events were added in (crit_scenario_run() step 1): here each end or
 * later level is added before the event it follows. CHN's Ga
 * availability is 0.5 in periods 1-2 only; the Ga demand level is 1.2 in
 * period 1 and 1.5 from period 2. Production and demand are checked
 * against MODEL.md section 1's curves at the recorded prices.
 */
static void test_scenario_events_in_their_period(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = new_scenario(w, 5);
    add_event(s, 3, CRIT_EVENT_OUTAGE_END, "Ga", "CHN", NULL, 0);
    add_event(s, 1, CRIT_EVENT_OUTAGE, "Ga", "CHN", NULL, 0.5);
    add_event(s, 2, CRIT_EVENT_DEMAND, "Ga", NULL, NULL, 1.5);
    add_event(s, 1, CRIT_EVENT_DEMAND, "Ga", NULL, NULL, 1.2);
    all_series a;
    crit_result *r = run_read(&a, s);
    const double s0[] = {50, 0, 950}, d0[] = {600, 300, 100}, dt = 1.0 / 12;
    for (size_t t = 0; t < a.T; t++)
        for (size_t i = 0; i < a.E; i++) {
            double p = tke(&a, CRIT_SERIES_PRICE, t, 0, i) / 1000;
            double av = i == 2 && t >= 1 && t < 3 ? 0.5 : 1;
            double g = t == 0 ? 1 : t == 1 ? 1.2 : 1.5;
            char what[64];
            snprintf(what, sizeof what, "production t=%zu i=%zu", t, i);
            near(tke(&a, CRIT_SERIES_PRODUCTION, t, 0, i),
                 fmin(1.5 * s0[i], s0[i] * pow(p, 0.3)) * av * dt, 1e-9, what);
            snprintf(what, sizeof what, "demand t=%zu i=%zu", t, i);
            near(tke(&a, CRIT_SERIES_DEMAND, t, 0, i),
                 d0[i] * pow(p, -0.2) * g * dt, 1e-9, what);
        }
    release(&a, r, s, w);
}

/*
 * The cash a stockpile's agent can reach in a period (crit_scenario_run()
 * step 4): its cash, plus the period's scheduled loan draws and what its
 * loans can still lend on demand, less the debt service due in the
 * period. No cash but a trader's fee of 100 USD a period. Loan A, 1,200
 * at 12 % (30/360, interest only), draws 1,000 at the start and pays a
 * 1 % upfront fee (12) then and the month's interest (10) on 1 February:
 * 22 due in period 0, with 200 undrawn; loan B has 300 undrawn. The
 * stockpile buys Ga far below its trigger, limited by cash alone: period
 * 0's purchases are 100 + 1,000 - 22 + 200 + 300 USD, and A then B are
 * drawn for the 500 missing. Period 1: the fee less A's interest on
 * 1,200 (12), nothing left to draw; the holding cost is a gap.
 */
static void test_scenario_cash_within_reach(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = new_scenario(w, 2);
    crit_stockpile *sp = usa_stockpile(w, NULL, 0);
    add_buyer(sp, "Ga", 1000, 1000, 12000);
    crit_participant_def p;
    crit_participant_def_init(&p);
    p.name = "trader";
    p.kind = CRIT_PARTICIPANT_TRADER;
    p.annual_fee_usd_per_yr = 1200;
    assert_int_equal(crit_stockpile_add_participant(NULL, sp, &p), CRIT_OK);
    add_stockpile(s, sp);
    crit_loan_def ld;
    fixture_loan_def(&ld, 1200);
    ld.maturity = ymd(2027, 1, 1);
    ld.availability_end = ymd(2026, 12, 31);
    ld.fixed_rate = 0.12;
    ld.grace_periods = 11;
    ld.upfront_fee_rate = 0.01;
    add_loan_drawn(s, ld, ymd(2026, 1, 1), 1000);
    ld.commitment = 300;
    ld.fixed_rate = 0;
    ld.upfront_fee_rate = 0;
    add_loan(s, &ld);
    all_series a;
    crit_result *r = run_read(&a, s);
    const double fee = 1200.0 / 12, due0 = 12 + 1000 * 0.01, due1 = 1200 * 0.01;
    near(ts(&a, CRIT_SERIES_FEES, 0, 0), fee, 1e-12, "fee");
    near(ts(&a, CRIT_SERIES_DEBT_SERVICE, 0, 0), due0, 1e-12, "due 0");
    double reach = fee + 1000 - due0 + 200 + 300;
    near(ts(&a, CRIT_SERIES_PURCHASES, 0, 0), reach, 1e-12, "purchases 0");
    double bought = tsk(&a, CRIT_SERIES_PURCHASED, 0, 0, 0);
    near(bought * tke(&a, CRIT_SERIES_PRICE, 0, 0, 0), reach, 1e-12, "tonnes");
    near(tl(&a, CRIT_SERIES_LOAN_DRAWN, 0, 0), 1200, 1e-12, "A drawn");
    near(tl(&a, CRIT_SERIES_LOAN_DRAWN, 0, 1), 300, 1e-12, "B drawn");
    assert_true(ts(&a, CRIT_SERIES_FUNDING_GAP, 0, 0) == 0);
    assert_true(fabs(ts(&a, CRIT_SERIES_CASH, 0, 0)) < 1e-9);
    near(ts(&a, CRIT_SERIES_DEBT_SERVICE, 1, 0), due1, 1e-12, "due 1");
    near(ts(&a, CRIT_SERIES_PURCHASES, 1, 0), fee - due1, 1e-12, "purchases 1");
    double holding = bought * 20 / 12;
    near(ts(&a, CRIT_SERIES_HOLDING, 1, 0), holding, 1e-12, "holding");
    near(ts(&a, CRIT_SERIES_FUNDING_GAP, 1, 0), holding, 1e-9, "gap");
    release(&a, r, s, w);
}

/*
 * A stockpile reaches only its own loans (crit_scenario_run() step 4):
 * "a" has 100 USD and buys Ga limited by cash alone; "b", which holds
 * nothing, has a loan with 300 undrawn. "a" spends its 100 USD, and the
 * loan is not drawn.
 */
static void test_scenario_cash_of_another_stockpile(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = new_scenario(w, 1);
    add_stockpile(s, usa_stockpile(w, "b", 0));
    crit_stockpile *sp = usa_stockpile(w, "a", 100);
    add_buyer(sp, "Ga", 1000, 1000, 12000);
    add_stockpile(s, sp);
    crit_loan_def ld;
    fixture_loan_def(&ld, 300);
    add_loan(s, &ld); /* stockpile 0, "b" */
    all_series a;
    crit_result *r = run_read(&a, s);
    near(ts(&a, CRIT_SERIES_PURCHASES, 0, 1), 100, 1e-12, "a's purchases");
    assert_true(ts(&a, CRIT_SERIES_FUNDING_GAP, 0, 1) == 0);
    assert_true(tl(&a, CRIT_SERIES_LOAN_DRAWN, 0, 0) == 0);
    release(&a, r, s, w);
}

/*
 * A target in days of the participants' demand and the cover in days
 * (crit/stockpile.h "Targets", series TARGET and COVER_DAYS) sum the
 * demand of every firm holding the mineral: two firms of 300 and 200
 * t/yr, a target of 60 days = 60 / 365 * 500 t.
 */
static void test_scenario_target_of_two_firms(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = new_scenario(w, 3);
    crit_stockpile *sp = usa_stockpile(w, NULL, 1e6);
    crit_stockpile_mineral_def m;
    crit_stockpile_mineral_def_init(&m);
    m.mineral = "Ga";
    m.inventory_t = 40;
    m.capacity_t = 200;
    m.target_unit = CRIT_TARGET_DAYS_OF_DEMAND;
    m.target = 60;
    m.acquisition_rate_t_per_yr = 240;
    m.release_rate_t_per_yr = 480;
    m.purchase_trigger_usd_per_t = 1200;
    m.release_trigger_usd_per_t = 2000;
    assert_int_equal(crit_stockpile_add_mineral(sp, &m), CRIT_OK);
    const char *firm[] = {"a", "b"};
    const double demand[] = {300, 200};
    for (int f = 0; f < 2; f++) {
        crit_participant_def p;
        crit_participant_def_init(&p);
        p.name = firm[f];
        p.mineral = "Ga";
        p.demand_t_per_yr = demand[f];
        assert_int_equal(crit_stockpile_add_participant(NULL, sp, &p), CRIT_OK);
    }
    add_stockpile(s, sp);
    all_series a;
    crit_result *r = run_read(&a, s);
    for (size_t t = 0; t < a.T; t++) {
        near(tsk(&a, CRIT_SERIES_TARGET, t, 0, 0), 60.0 / 365 * 500, 1e-12,
             "target");
        double inv = tsk(&a, CRIT_SERIES_INVENTORY, t, 0, 0);
        assert_true(inv > 40);
        near(tsk(&a, CRIT_SERIES_COVER_DAYS, t, 0, 0), inv / (500.0 / 365),
             1e-12, "cover days");
    }
    release(&a, r, s, w);
}

/*
 * Cover without a measure (series COVER_DAYS and COVER_MONTHS): NaN
 * where no participant states a demand, and where the members are net
 * exporters at base (JPN, producing 1,000 t/yr against its 300 of demand,
 * more than offsets USA's 550 of net imports).
 */
static void test_scenario_cover_without_measure(void **state)
{
    (void)state;
    crit_world *w = small_world();
    jpn_curve(w, 1000, 1000, 300);
    crit_scenario *s = new_scenario(w, 2);
    crit_stockpile *sp = usa_stockpile(w, NULL, 0);
    crit_stockpile_mineral_def m;
    crit_stockpile_mineral_def_init(&m);
    m.mineral = "Ga";
    m.inventory_t = 40;
    m.capacity_t = 100;
    m.purchase_trigger_usd_per_t = 100;
    m.release_trigger_usd_per_t = 9000;
    assert_int_equal(crit_stockpile_add_mineral(sp, &m), CRIT_OK);
    add_stockpile(s, sp);
    all_series a;
    crit_result *r = run_read(&a, s);
    for (size_t t = 0; t < a.T; t++) {
        near(tsk(&a, CRIT_SERIES_INVENTORY, t, 0, 0), 40, 0, "inventory");
        assert_true(isnan(tsk(&a, CRIT_SERIES_COVER_DAYS, t, 0, 0)));
        assert_true(isnan(tsk(&a, CRIT_SERIES_COVER_MONTHS, t, 0, 0)));
    }
    release(&a, r, s, w);
}

/*
 * A stockpile stops buying a mineral while its disruption is declared
 * (crit/stockpile.h "Disruption"), and only that mineral's: it buys Ga
 * and Sb far below their purchase triggers in periods 0 and 2, and in
 * period 1, when Ga's disruption is declared, Sb alone.
 */
static void test_scenario_no_purchase_in_disruption(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = new_scenario(w, 3);
    crit_stockpile *sp = usa_stockpile(w, NULL, 1e6);
    add_ga_and_sb(sp, 100, 120);
    add_stockpile(s, sp);
    add_event(s, 1, CRIT_EVENT_DISRUPTION, "Ga", NULL, NULL, 0);
    add_event(s, 2, CRIT_EVENT_DISRUPTION_END, "Ga", NULL, NULL, 0);
    all_series a;
    crit_result *r = run_read(&a, s);
    for (size_t t = 0; t < a.T; t++) {
        near(tsk(&a, CRIT_SERIES_PURCHASED, t, 0, 0), t == 1 ? 0 : 10, 1e-12,
             "Ga bought");
        near(tsk(&a, CRIT_SERIES_PURCHASED, t, 0, 1), 10, 1e-12, "Sb bought");
    }
    release(&a, r, s, w);
}

/*
 * A programme's capacity comes online once, in its online period
 * t1 = t0 + ceil(L / dt) (crit/programme.h), at its own economy: 4e6 USD
 * at 2e4 USD per t/yr adds 200 t/yr to JPN's Ga capacity and base
 * production (0 before) from period 1 + ceil(0.25 * 12) = 4, and nothing
 * to USA's (75 and 50). Production is checked against MODEL.md section
 * 1's supply curve at the recorded prices.
 */
static void test_scenario_programme_online_once(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = new_scenario(w, 7);
    crit_programme_def pg = programme(4e6, 2e4, 0.25);
    pg.economy = "JPN";
    pg.start_period = 1;
    assert_int_equal(crit_scenario_add_programme(s, &pg), CRIT_OK);
    all_series a;
    crit_result *r = run_read(&a, s);
    for (size_t t = 0; t < a.T; t++)
        for (size_t i = 0; i < 2; i++) {
            double p = tke(&a, CRIT_SERIES_PRICE, t, 0, i) / 1000;
            double add = i == 1 && t >= 4 ? 200 : 0, s0 = i ? 0 : 50;
            char what[64];
            snprintf(what, sizeof what, "production t=%zu i=%zu", t, i);
            near(tke(&a, CRIT_SERIES_PRODUCTION, t, 0, i),
                 fmin(1.5 * s0 + add, (s0 + add) * pow(p, 0.3)) / 12, 1e-9,
                 what);
        }
    release(&a, r, s, w);
}

/*
 * Programme spending adds up over programmes (crit/programme.h: B / (t1 -
 * t0) in each period t0 .. t1 - 1): 1.2e6 USD from period 0 with a lead
 * time of 3 months (4e5 in periods 0-2), and 6e5 from period 1 with 6
 * months (1e5 in periods 1-6). The public cost is that spending alone.
 */
static void test_scenario_programmes_spending_add_up(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = new_scenario(w, 8);
    crit_programme_def pg = programme(1.2e6, 1e4, 0.25);
    assert_int_equal(crit_scenario_add_programme(s, &pg), CRIT_OK);
    pg = programme(6e5, 1e4, 0.5);
    pg.start_period = 1;
    assert_int_equal(crit_scenario_add_programme(s, &pg), CRIT_OK);
    all_series a;
    crit_result *r = run_read(&a, s);
    for (size_t t = 0; t < a.T; t++) {
        double want = (t < 3 ? 4e5 : 0) + (t >= 1 && t < 7 ? 1e5 : 0);
        near(a.v[CRIT_SERIES_PROGRAMME_SPENDING][t], want, 1e-12, "spending");
        near(a.v[CRIT_SERIES_PUBLIC_COST][t], want, 1e-12, "public cost");
    }
    release(&a, r, s, w);
}

/* The run rechecks a scenario's only programme against the world as it
 * is when it starts (test_scenario_run_rechecks_programmes has three). */
static void test_scenario_run_rechecks_only_programme(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = new_scenario(w, 3);
    crit_programme_def pg = programme(1e308, 1, 1.0 / 12);
    assert_int_equal(crit_scenario_add_programme(s, &pg), CRIT_OK);
    crit_curve_def c;
    crit_curve_def_init(&c);
    assert_int_equal(crit_world_curve_get(&c, w, "USA", "Ga"), CRIT_OK);
    c.capacity_t_per_yr = 1e308;
    assert_int_equal(crit_world_set_curve(w, "USA", "Ga", &c), CRIT_OK);
    crit_result *r = NULL;
    int calls = 0;
    crit_error_clear();
    assert_int_equal(crit_scenario_run(&r, s, count_calls, &calls),
                     CRIT_EINVAL);
    msg_has("programme 'mine': the capacity of economy 'USA' for mineral "
            "'Ga' would not be finite",
            NULL);
    assert_null(r);
    assert_int_equal(calls, 0);
    crit_scenario_free(s);
    crit_world_free(w);
}

/*
 * The scenario's own policy holds from period 0 with all its settings
 * (crit_scenario_set_policy()): on Ga, a reference price of 1,400 USD/t,
 * a floor of 1,500 USD/t on half of JPN's production (JPN produces here,
 * and the floor pays) and one of 500 USD/t on all of USA's with a quarter
 * of the upside (it receives). Each period matches a market solved apart
 * with that policy.
 */
static void test_scenario_policy_from_period_0(void **state)
{
    (void)state;
    crit_world *w = small_world();
    jpn_curve(w, 200, 300, 300);
    crit_policy *pol = NULL;
    assert_int_equal(crit_policy_new(&pol, w, "Ga"), CRIT_OK);
    assert_int_equal(crit_policy_set_reference_price(pol, 1400), CRIT_OK);
    crit_floor_def f;
    crit_floor_def_init(&f);
    f.floor_usd_per_t = 1500;
    f.covered_share = 0.5;
    assert_int_equal(crit_policy_set_floor(pol, "JPN", &f), CRIT_OK);
    f.floor_usd_per_t = 500;
    f.covered_share = 1;
    f.upside_share = 0.25;
    assert_int_equal(crit_policy_set_floor(pol, "USA", &f), CRIT_OK);
    crit_scenario *s = new_scenario(w, 2);
    assert_int_equal(crit_scenario_set_policy(s, pol), CRIT_OK);
    all_series a;
    crit_result *r = run_read(&a, s);
    crit_market *m = NULL;
    assert_int_equal(crit_market_new(&m, w, "Ga"), CRIT_OK);
    assert_int_equal(crit_market_set_policy(m, pol), CRIT_OK);
    assert_int_equal(crit_market_set_period_length(m, 1.0 / 12), CRIT_OK);
    assert_int_equal(crit_market_solve(m), CRIT_OK);
    for (size_t t = 0; t < a.T; t++)
        market_matches(&a, t, 0, m);
    /* what the checks rest on */
    assert_true(a.v[CRIT_SERIES_LEVY][0] > 1);
    assert_true(tke(&a, CRIT_SERIES_CFD_PAID, 0, 0, 1) > 0);
    assert_true(tke(&a, CRIT_SERIES_CFD_RECEIVED, 0, 0, 0) > 0);
    crit_market_free(m);
    crit_policy_free(pol);
    release(&a, r, s, w);
}

/*
 * The residual series is each solve's residual (MODEL.md section 3): in
 * period 0 of a run with nothing in it, each mineral's market is the
 * world's, solved from the same start as a market solved apart, so the
 * two residuals are the same double (not 0: the solve is not exact).
 */
static void test_scenario_residual_recorded(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = new_scenario(w, 1);
    all_series a;
    crit_result *r = run_read(&a, s);
    const char *min[] = {"Ga", "Sb"};
    for (size_t k = 0; k < 2; k++) {
        crit_market *m = NULL;
        assert_int_equal(crit_market_new(&m, w, min[k]), CRIT_OK);
        assert_int_equal(crit_market_set_period_length(m, 1.0 / 12), CRIT_OK);
        assert_int_equal(crit_market_solve(m), CRIT_OK);
        crit_market_info info;
        crit_market_info_init(&info);
        assert_int_equal(crit_market_info_get(&info, m), CRIT_OK);
        assert_true(info.residual > 0 && info.residual <= 1e-9);
        assert_true(a.v[CRIT_SERIES_RESIDUAL][k] == info.residual);
        crit_market_free(m);
    }
    release(&a, r, s, w);
}

/* Values at the closed ends of their ranges are taken: a horizon of
 * 100,000 periods (crit_scenario_def); availability 0 and 1, a quota,
 * tariff, reference price and floor of 0, a covered share of 1
 * (crit_event_kind). */
static void test_scenario_event_values_at_edges(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario_def d;
    crit_scenario_def_init(&d);
    d.start = ymd(1, 1, 1);
    d.periods = 100000;
    crit_scenario *s = NULL;
    assert_int_equal(crit_scenario_new(&s, w, &d), CRIT_OK);
    assert_int_equal(crit_scenario_periods(s), 100000);
    crit_scenario_free(s);
    s = new_scenario(w, 2);
    add_event(s, 0, CRIT_EVENT_OUTAGE, "Ga", "CHN", NULL, 0);
    add_event(s, 1, CRIT_EVENT_OUTAGE, "Ga", "CHN", NULL, 1);
    add_event(s, 1, CRIT_EVENT_EXPORT_QUOTA, "Sb", "CHN", NULL, 0);
    add_event(s, 1, CRIT_EVENT_EXTERNAL_TARIFF, "Sb", NULL, NULL, 0);
    add_event(s, 1, CRIT_EVENT_REFERENCE_PRICE, "Sb", NULL, NULL, 0);
    add_event3(s, 1, CRIT_EVENT_FLOOR, "Ga", "USA", 0, 1, 0);
    crit_scenario_free(s);
    crit_world_free(w);
}

/*
 * Indices and counts: two stockpiles and three loans, the first loan
 * financing the second stockpile; the indices returned when adding, the
 * stockpile of each loan, the counts, and the result's loans and
 * stockpile names by index (NULL just past the last).
 */
static void test_scenario_indices_and_counts(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = new_scenario(w, 1);
    const char *name[] = {"first", "second"};
    for (size_t k = 0; k < 2; k++) {
        crit_stockpile *sp = usa_stockpile(w, name[k], 0);
        size_t idx = 99;
        assert_int_equal(crit_scenario_add_stockpile(&idx, s, sp), CRIT_OK);
        assert_int_equal(idx, k);
        crit_stockpile_free(sp);
    }
    crit_loan_def ld;
    fixture_loan_def(&ld, 1000);
    crit_loan *loan = NULL;
    assert_int_equal(crit_loan_new(&loan, &ld), CRIT_OK);
    const size_t of[] = {1, 0, 1};
    for (size_t l = 0; l < 3; l++) {
        size_t idx = 99;
        assert_int_equal(crit_scenario_add_loan(&idx, s, loan, of[l]), CRIT_OK);
        assert_int_equal(idx, l);
    }
    crit_loan_free(loan);
    size_t ns = 0, nl = 0;
    assert_int_equal(crit_scenario_counts(&ns, &nl, s), CRIT_OK);
    assert_int_equal(ns, 2);
    assert_int_equal(nl, 3);
    for (size_t l = 0; l < 3; l++) {
        size_t sp = 99;
        assert_int_equal(crit_scenario_loan_stockpile(&sp, s, l), CRIT_OK);
        assert_int_equal(sp, of[l]);
    }
    crit_result *r = NULL;
    assert_int_equal(crit_scenario_run(&r, s, NULL, NULL), CRIT_OK);
    for (size_t l = 0; l < 3; l++)
        assert_non_null(crit_result_loan(r, l));
    assert_null(crit_result_loan(r, 3));
    assert_string_equal(crit_result_stockpile_name(r, 1), "second");
    assert_null(crit_result_stockpile_name(r, 2));
    crit_result_free(r);
    crit_scenario_free(s);
    crit_world_free(w);
}

/* Every series is named after its enum constant in lower case (the names
 * of the bindings' tables). */
static void test_scenario_series_names(void **state)
{
    (void)state;
#define S(x)                                                                   \
    {                                                                          \
        CRIT_SERIES_##x, #x                                                    \
    }
    static const struct {
        int32_t series;
        const char *upper;
    } all[] = {
        S(PRICE),
        S(PRODUCTION),
        S(CONSUMPTION),
        S(DEMAND),
        S(SHORTAGE),
        S(DISPOSAL),
        S(IMPORTS),
        S(EXPORTS),
        S(STOCK_PURCHASE),
        S(STOCK_RELEASE),
        S(TARIFF_REVENUE),
        S(EXPORT_TAX_REVENUE),
        S(QUOTA_RENT),
        S(QUOTA_RENT_REVENUE),
        S(CFD_PAID),
        S(CFD_RECEIVED),
        S(LEVY_REVENUE),
        S(LEVY),
        S(DISRUPTED),
        S(RESIDUAL),
        S(INVENTORY),
        S(PURCHASED),
        S(RELEASED),
        S(LOST),
        S(DRAWN),
        S(REPLENISHED),
        S(TARGET),
        S(COVER_DAYS),
        S(COVER_MONTHS),
        S(CASH),
        S(FEES),
        S(SALES),
        S(DRAW_PAYMENTS),
        S(LOAN_DRAWS),
        S(FUNDING_GAP),
        S(PURCHASES),
        S(HOLDING),
        S(REFUNDS),
        S(DEBT_SERVICE),
        S(LOAN_BALANCE),
        S(LOAN_DRAWN),
        S(LOAN_INTEREST),
        S(LOAN_PRINCIPAL),
        S(LOAN_FEES),
        S(PROGRAMME_SPENDING),
        S(CFD_NET),
        S(LEVY_TOTAL),
        S(PUBLIC_COST),
    };
#undef S
    assert_int_equal(sizeof all / sizeof *all, CRIT_SERIES_COUNT);
    for (size_t q = 0; q < sizeof all / sizeof *all; q++) {
        char lower[32];
        size_t n = 0;
        for (; all[q].upper[n]; n++)
            lower[n] = (char)tolower((unsigned char)all[q].upper[n]);
        lower[n] = 0;
        assert_string_equal(crit_series_name(all[q].series), lower);
    }
}

/*
 * Results are equal only with the same stockpiles (crit__result_equal,
 * which a snapshot's round trip relies on): a run without a stockpile, one
 * with an idle stockpile "a", and one with the same stockpile named "b"
 * differ pairwise; a second run of each is equal to the first.
 */
static void test_scenario_result_equality(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_result *r[3][2];
    for (int k = 0; k < 3; k++) {
        crit_scenario *s = new_scenario(w, 2);
        if (k)
            add_stockpile(s, usa_stockpile(w, k == 1 ? "a" : "b", 0));
        for (int n = 0; n < 2; n++)
            assert_int_equal(crit_scenario_run(&r[k][n], s, NULL, NULL),
                             CRIT_OK);
        crit_scenario_free(s);
    }
    for (int k = 0; k < 3; k++)
        for (int j = 0; j < 3; j++)
            assert_int_equal(crit__result_equal(r[k][0], r[j][1]), k == j);
    for (int k = 0; k < 3; k++)
        for (int n = 0; n < 2; n++)
            crit_result_free(r[k][n]);
    crit_world_free(w);
}

/* A programme without a name is called "programme" in messages
 * (crit_programme_def.name). */
static void test_scenario_programme_default_name(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_scenario *s = new_scenario(w, 3), *twin = new_scenario(w, 3);
    crit_programme_def pg = programme(1e6, 1e4, 0.25);
    pg.name = NULL;
    pg.start_period = 3;
    REFUSED(s, twin, crit_scenario_add_programme(s, &pg), CRIT_EINVAL,
            "programme 'programme': start period 3 is outside the horizon");
    crit_scenario_free(twin);
    crit_scenario_free(s);
    crit_world_free(w);
}

/*
 * A scenario whose policies were set before the world gained a mineral
 * and one set after are equal and have one digest: the second's entry
 * for the new mineral, no policy, counts as none.
 */
static void test_scenario_digest_after_world_grows(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_policy *pol = NULL;
    assert_int_equal(crit_policy_new(&pol, w, "Ga"), CRIT_OK);
    assert_int_equal(crit_policy_set_external_tariff(pol, 10), CRIT_OK);
    crit_scenario *a = new_scenario(w, 2);
    assert_int_equal(crit_scenario_set_policy(a, pol), CRIT_OK);
    crit_mineral_def m;
    crit_mineral_def_init(&m);
    m.code = "Li";
    m.base_price_usd_per_t = 10;
    assert_int_equal(crit_world_add_mineral(w, &m), CRIT_OK);
    crit_scenario *b = new_scenario(w, 2);
    assert_int_equal(crit_scenario_set_policy(b, pol), CRIT_OK);
    assert_true(crit__scenario_equal(a, b));
    assert_true(crit__scenario_digest(a) == crit__scenario_digest(b));
    crit_scenario_free(b);
    crit_scenario_free(a);
    crit_policy_free(pol);
    crit_world_free(w);
}

int main(void)
{
#define T(name)                                                                \
    cmocka_unit_test_setup_teardown(name, failalloc_setup, failalloc_teardown)
    const struct CMUnitTest tests[] = {
        T(test_scenario_validation),
        T(test_scenario_conservation),
        T(test_scenario_disruption_from_restrictions),
        T(test_scenario_cancel),
        T(test_scenario_export_subsidy_checked),
        T(test_scenario_null_arguments),
        T(test_scenario_bad_definitions),
        T(test_scenario_event_unused_values_refused),
        T(test_scenario_programme_checked_when_added),
        T(test_scenario_run_rechecks_targets),
        T(test_scenario_run_rechecks_programmes),
        T(test_scenario_demand_event_checked_when_added),
        T(test_scenario_alloc_failure),
        T(test_scenario_add_alloc_failure),
        T(test_scenario_digest_follows_equality),
        T(test_scenario_outage_and_demand_events_per_period),
        T(test_scenario_stockpile_cover),
        T(test_scenario_restriction_events),
        T(test_scenario_policy_events),
        T(test_scenario_stockpile_at_another_economy),
        T(test_scenario_shortfall_drawn_then_gap),
        T(test_scenario_minerals_share_cash_in_order),
        T(test_scenario_quarterly_periods),
        T(test_scenario_programme_of_its_own_size),
        T(test_scenario_ban_on_every_member),
        T(test_scenario_ban_end_keeps_import_ban),
        T(test_scenario_tax_end_restores_rate),
        T(test_scenario_disruption_of_every_mineral),
        T(test_scenario_only_declared_disruptions),
        T(test_scenario_events_in_their_period),
        T(test_scenario_cash_within_reach),
        T(test_scenario_cash_of_another_stockpile),
        T(test_scenario_target_of_two_firms),
        T(test_scenario_cover_without_measure),
        T(test_scenario_no_purchase_in_disruption),
        T(test_scenario_programme_online_once),
        T(test_scenario_programmes_spending_add_up),
        T(test_scenario_run_rechecks_only_programme),
        T(test_scenario_policy_from_period_0),
        T(test_scenario_residual_recorded),
        T(test_scenario_event_values_at_edges),
        T(test_scenario_indices_and_counts),
        T(test_scenario_series_names),
        T(test_scenario_result_equality),
        T(test_scenario_programme_default_name),
        T(test_scenario_digest_after_world_grows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* What the headers promise of threads, through the public API: several
 * runs of one scenario at once (crit/scenario.h), markets solved at once
 * on one shared world and policy (crit/market.h), the default world and
 * the embedded data built and read at once (crit/data.h), the thread-local
 * last error and the allocator's live-block count (crit/error.h,
 * crit/alloc.h), loans and stockpiles shared read-only or used one per
 * thread (crit/loan.h, crit/stockpile.h), risk indicators, copies and
 * comparisons of one shared world (crit/risk.h, crit/world.h), and
 * snapshots and CSV files written and read at once, one thread in a
 * decimal-comma locale (crit/io.h), and the date functions
 * (crit/date.h): each giving the bits the same work
 * alone gives. scripts/test.sh also builds this test with
 * ThreadSanitizer, which fails it on any data race.
 *
 * CTest runs it with LOCPATH pointing at the de_DE.UTF-8 locale that
 * localedef builds for the unit tests (tests/unit/CMakeLists.txt); where
 * that locale is missing, the comma thread runs in a copy of the C locale
 * instead, and the test says so on stderr. */
#define _POSIX_C_SOURCE 200809L /* newlocale(), uselocale(), mkdtemp() */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <crit.h>

#include "../../examples/c/project_vault.h"

enum { THREADS = 2, MINERALS_MAX = 64, ECONOMIES_MAX = 64 };

/* Every series of a result, one block. */
typedef struct series_bits {
    double *v;
    size_t len;
} series_bits;

/* Number of values of series k of r, 0 on an error. */
static size_t series_len(const crit_result *r, int32_t k)
{
    size_t dims[3] = {1, 1, 1}, n = 1;
    int32_t rank = 0;
    if (crit_result_series_shape(dims, &rank, r, k) != CRIT_OK)
        return 0;
    for (int32_t d = 0; d < rank; d++)
        n *= dims[d];
    return n;
}

/* Every series of r into s (called in the threads: no cmocka assertion,
   which may not run outside the test's own thread). */
static int read_series(series_bits *s, const crit_result *r)
{
    size_t len = 0, at = 0;
    for (int32_t k = 0; k < CRIT_SERIES_COUNT; k++)
        len += series_len(r, k);
    s->v = malloc(len * sizeof(double));
    s->len = len;
    if (!s->v)
        return CRIT_ENOMEM;
    for (int32_t k = 0; k < CRIT_SERIES_COUNT; k++) {
        size_t n = series_len(r, k);
        int rc = crit_result_series(s->v + at, n, r, k);
        if (rc)
            return rc;
        at += n;
    }
    return CRIT_OK;
}

typedef struct run_job {
    const crit_scenario *sc;
    int rc;
    series_bits out;
} run_job;

static void *run_thread(void *arg)
{
    run_job *j = arg;
    crit_result *r = NULL;
    j->rc = crit_scenario_run(&r, j->sc, NULL, NULL);
    if (j->rc == CRIT_OK)
        j->rc = read_series(&j->out, r);
    crit_result_free(r);
    return NULL;
}

/* The Project Vault scenario (examples/c/project_vault.h) run in two
   threads at once, and alone: the same bits. */
static void test_threads_scenario_runs(void **state)
{
    (void)state;
    crit_world *w = NULL;
    crit_scenario *sc = NULL;
    assert_int_equal(crit_world_default(&w), CRIT_OK);
    assert_int_equal(pv_build(&sc, w), CRIT_OK);
    run_job alone = {sc, -1, {NULL, 0}}, job[THREADS];
    run_thread(&alone);
    assert_int_equal(alone.rc, CRIT_OK);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        job[i] = alone;
        job[i].rc = -1;
        job[i].out.v = NULL;
        assert_int_equal(pthread_create(&t[i], NULL, run_thread, &job[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_int_equal(job[i].rc, CRIT_OK);
        assert_int_equal(job[i].out.len, alone.out.len);
        assert_memory_equal(job[i].out.v, alone.out.v,
                            alone.out.len * sizeof(double));
        free(job[i].out.v);
    }
    free(alone.out.v);
    crit_scenario_free(sc);
    crit_world_free(w);
}

typedef struct solve_job {
    const crit_world *w;
    const crit_policy *p; /* NULL: none */
    const char *pm;       /* p's mineral: the only market solved with p */
    int rc;
    double price[MINERALS_MAX][ECONOMIES_MAX];
} solve_job;

/* Solve every mineral's market of the world, cold, and keep the prices. */
static void *solve_thread(void *arg)
{
    solve_job *j = arg;
    size_t nk = crit_world_mineral_count(j->w),
           n = crit_world_economy_count(j->w);
    j->rc = CRIT_OK;
    for (size_t k = 0; k < nk && j->rc == CRIT_OK; k++) {
        crit_market *m = NULL;
        if (j->p && strcmp(crit_world_mineral_code(j->w, k), j->pm) != 0)
            continue;
        j->rc = crit_market_new(&m, j->w, crit_world_mineral_code(j->w, k));
        if (j->rc == CRIT_OK && j->p)
            j->rc = crit_market_set_policy(m, j->p);
        if (j->rc == CRIT_OK && (j->rc = crit_market_solve(m)) == CRIT_OK)
            j->rc = crit_market_values(j->price[k], n, m, CRIT_MARKET_PRICE);
        crit_market_free(m);
    }
    return NULL;
}

/* Markets of one shared world, and policy when p is not NULL, solved in
   two threads at once, and alone: the same bits. */
static void check_markets(const crit_world *w, const crit_policy *p,
                          const char *pm)
{
    assert_true(crit_world_mineral_count(w) <= MINERALS_MAX);
    assert_true(crit_world_economy_count(w) <= ECONOMIES_MAX);
    static solve_job alone, job[THREADS];
    memset(&alone, 0, sizeof alone);
    alone.w = w;
    alone.p = p;
    alone.pm = pm;
    solve_thread(&alone);
    assert_int_equal(alone.rc, CRIT_OK);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        memset(&job[i], 0, sizeof job[i]);
        job[i].w = w;
        job[i].p = p;
        job[i].pm = pm;
        assert_int_equal(pthread_create(&t[i], NULL, solve_thread, &job[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_int_equal(job[i].rc, CRIT_OK);
        assert_memory_equal(job[i].price, alone.price, sizeof alone.price);
    }
}

static void test_threads_markets(void **state)
{
    (void)state;
    crit_world *w = NULL;
    assert_int_equal(crit_world_default(&w), CRIT_OK);
    check_markets(w, NULL, NULL);
    crit_world_free(w);
}

/* The same for the gallium markets, with one policy shared by all of them
   (crit/policy.h: its const functions may run at once). */
static void test_threads_markets_policy(void **state)
{
    (void)state;
    crit_world *w = NULL;
    crit_policy *p = NULL;
    assert_int_equal(crit_world_default(&w), CRIT_OK);
    assert_int_equal(crit_policy_new(&p, w, "Ga"), CRIT_OK);
    assert_int_equal(crit_policy_set_external_tariff(p, 25000), CRIT_OK);
    check_markets(w, p, "Ga");
    crit_policy_free(p);
    crit_world_free(w);
}

/* ---- work that gives numbers: each thread's against the work alone ---- */

enum { VALUES_MAX = 4096 };

/* One thread's work (or the work alone, index -1): the numbers it read in
   v, and the line of its first failed check (0: none). The threads may not
   use cmocka's assertions. */
typedef struct job {
    void (*work)(struct job *);
    const void *in; /* what the threads share */
    int index;
    int line;
    uint64_t hash; /* of the strings and bytes it read, see mix() */
    size_t n;
    double v[VALUES_MAX];
} job;

#define CHECK(j, cond)                                                         \
    do {                                                                       \
        if (!(cond) && !(j)->line)                                             \
            (j)->line = __LINE__;                                              \
    } while (0)

static void put(job *j, double x)
{
    CHECK(j, j->n < VALUES_MAX);
    if (j->n < VALUES_MAX)
        j->v[j->n++] = x;
}

/* FNV-1a over bytes: strings and files are compared by their hash. */
static void mix(job *j, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        j->hash = (j->hash ^ c[i]) * 1099511628211u;
}

static void mix_str(job *j, const char *s)
{
    CHECK(j, s != NULL);
    if (s)
        mix(j, s, strlen(s) + 1);
}

static void *job_thread(void *arg)
{
    job *j = arg;
    j->work(j);
    return NULL;
}

static void job_reset(job *j, void (*work)(job *), const void *in, int index)
{
    memset(j, 0, sizeof *j);
    j->work = work;
    j->in = in;
    j->index = index;
    j->hash = 14695981039346656037u;
}

/* work alone, then in THREADS threads at once: every thread passes its
   checks and reads the numbers, strings and bytes the work alone read. */
static void check_threads(void (*work)(job *), const void *in)
{
    static job alone, jobs[THREADS];
    job_reset(&alone, work, in, -1);
    work(&alone);
    assert_int_equal(alone.line, 0);
    assert_true(alone.n > 0);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        job_reset(&jobs[i], work, in, i);
        assert_int_equal(pthread_create(&t[i], NULL, job_thread, &jobs[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_int_equal(jobs[i].line, 0);
        assert_int_equal(jobs[i].n, alone.n);
        assert_memory_equal(jobs[i].v, alone.v, alone.n * sizeof(double));
        assert_true(jobs[i].hash == alone.hash);
    }
}

/* ---- the default world, the embedded data, versions, codes ------------ */

static void work_default(job *j)
{
    const crit_world *ref = j->in;
    crit_world *w = NULL, *c = NULL;
    CHECK(j, crit_world_default(&w) == CRIT_OK);
    if (!w)
        return;
    CHECK(j, crit_world_equal(w, ref));
    put(j, (double)crit_world_mineral_count(w));
    put(j, (double)crit_world_economy_count(w));
    put(j, (double)crit_world_member_count(w));
    /* a copy of the shared world, changed in this thread alone */
    CHECK(j, crit_world_copy(&c, ref) == CRIT_OK);
    if (c) {
        CHECK(j, crit_world_equal(c, w));
        CHECK(j, crit_world_set_transport(c, crit_world_mineral_code(c, 0),
                                          crit_world_economy_code(c, 0),
                                          crit_world_economy_code(c, 1),
                                          1000.0 + j->index) == CRIT_OK);
        CHECK(j, !crit_world_equal(c, ref));
        crit_world_free(c);
    }
    CHECK(j, crit_world_equal(w, ref));
    crit_world_free(w);

    mix_str(j, crit_data_version());
    size_t n = crit_data_record_count();
    put(j, (double)n);
    for (size_t i = 0; i < n; i++) {
        crit_data_record r, s;
        crit_data_record_init(&r);
        CHECK(j, crit_data_record_get(&r, i) == CRIT_OK);
        mix_str(j, r.mineral);
        mix_str(j, r.economy);
        mix_str(j, r.field);
        mix_str(j, r.unit);
        mix_str(j, r.source);
        mix_str(j, r.rows);
        mix_str(j, r.note);
        mix(j, &r.value, sizeof r.value);
        mix(j, &r.year, sizeof r.year);
        if (i % 64 == 0) {
            crit_data_record_init(&s);
            CHECK(j, crit_data_source(&s, r.mineral, r.economy, r.field) ==
                         CRIT_OK);
            mix(j, &s.value, sizeof s.value);
        }
    }

    mix_str(j, crit_version_string());
    CHECK(j, strcmp(crit_version_string(), CRIT_VERSION_STRING) == 0);
    CHECK(j, crit_version_number() == CRIT_VERSION_NUMBER);
    int32_t ma = -1, mi = -1, pa = -1;
    crit_version(&ma, &mi, &pa);
    CHECK(j, ma == CRIT_VERSION_MAJOR && mi == CRIT_VERSION_MINOR &&
                 pa == CRIT_VERSION_PATCH);
    for (int32_t code = -40; code <= 1; code++) {
        mix_str(j, crit_strerror(code));
        mix_str(j, crit_error_name(code));
    }
}

/* Default worlds built at once are each the one built alone; the data,
   version and code functions read the same from every thread. */
static void test_threads_default_world(void **state)
{
    (void)state;
    crit_world *ref = NULL;
    assert_int_equal(crit_world_default(&ref), CRIT_OK);
    check_threads(work_default, ref);
    crit_world_free(ref);
}

/* ---- dates ------------------------------------------------------------ */

static void work_dates(job *j)
{
    crit_date d = 0, e = 0;
    CHECK(j, crit_date_parse(&d, "2024-02-29") == CRIT_OK);
    for (int32_t k = 0; k < 200; k++) {
        char s[16];
        int32_t y = 0, m = 0, dd = 0;
        CHECK(j, crit_date_add_months(&e, d, k, k % 2) == CRIT_OK);
        CHECK(j, crit_date_format(s, sizeof s, e) == CRIT_OK);
        mix_str(j, s);
        CHECK(j, crit_date_to_ymd(&y, &m, &dd, e) == CRIT_OK);
        put(j, y * 10000 + m * 100 + dd);
        put(j, crit_date_days_in_month(y, m));
        put(j, crit_date_days_between(d, e));
        for (int32_t c = 0; c < 4; c++) {
            double f = 0;
            CHECK(j, crit_day_count_year_fraction(&f, c, d, e) == CRIT_OK);
            put(j, f);
            mix_str(j, crit_day_count_name(c));
        }
    }
}

/* The date functions, pure, from every thread at once. */
static void test_threads_dates(void **state)
{
    (void)state;
    check_threads(work_dates, NULL);
}

/* ---- the last error, the allocator's count ---------------------------- */

enum { ERROR_ROUNDS = 50 };

static void work_errors(job *j)
{
    const crit_world *w = j->in;
    int passed = 0;
    for (int k = 0; k < ERROR_ROUNDS; k++) {
        char code[32];
        snprintf(code, sizeof code, "X%d-%d", j->index, k);
        crit_error_clear();
        CHECK(j, crit_error_last()[0] == '\0');
        CHECK(j, crit_error_last_code() == CRIT_OK);
        size_t at = 0;
        CHECK(j, crit_world_mineral_index(&at, w, code) == CRIT_ENOTFOUND);
        CHECK(j, strstr(crit_error_last(), code) != NULL);
        CHECK(j, crit_error_last_code() == CRIT_ENOTFOUND);
        /* an object of this thread's: the count of live blocks is above 0
           while it lives, whatever the other threads allocate */
        crit_world *c = NULL;
        CHECK(j, crit_world_copy(&c, w) == CRIT_OK);
        CHECK(j, crit_allocator_live_blocks() > 0);
        crit_world_free(c);
        /* a success does not clear the message */
        CHECK(j, strstr(crit_error_last(), code) != NULL);
        CHECK(j, crit_world_new(NULL) == CRIT_EINVAL);
        CHECK(j, crit_error_last_code() == CRIT_EINVAL);
        CHECK(j, strcmp(crit_error_last(), "world: out is NULL") == 0);
        passed++;
    }
    put(j, passed);
}

/* Each thread reads back its own failures; the count of live blocks is
   the same after the threads as before. */
static void test_threads_errors_and_allocator(void **state)
{
    (void)state;
    crit_world *w = NULL;
    assert_int_equal(crit_world_default(&w), CRIT_OK);
    uint64_t live = crit_allocator_live_blocks();
    check_threads(work_errors, w);
    assert_true(crit_allocator_live_blocks() == live);
    crit_error_clear();
    crit_world_free(w);
    assert_true(crit_allocator_live_blocks() == 0);
}

/* ---- loans ------------------------------------------------------------ */

typedef struct loan_input {
    crit_loan_def def;
    crit_date curve_dates[2], draw_date[3];
    double curve_rates[2], draw_amount[3];
} loan_input;

static void loan_input_init(loan_input *in)
{
    crit_loan_def *d = &in->def;
    crit_loan_def_init(d);
    assert_int_equal(crit_date_parse(&d->start, "2026-01-15"), CRIT_OK);
    assert_int_equal(crit_date_add_months(&d->maturity, d->start, 120, 0),
                     CRIT_OK);
    assert_int_equal(
        crit_date_add_months(&d->availability_end, d->start, 24, 0), CRIT_OK);
    d->commitment = 1e9;
    d->frequency = 4;
    d->day_count = CRIT_DAY_COUNT_ACT_360;
    in->curve_dates[0] = d->start;
    assert_int_equal(crit_date_add_months(&in->curve_dates[1], d->start, 36, 0),
                     CRIT_OK);
    in->curve_rates[0] = 0.031;
    in->curve_rates[1] = 0.0425;
    d->curve_count = 2;
    d->curve_dates = in->curve_dates;
    d->curve_rates = in->curve_rates;
    d->spread = 0.0175;
    d->grace_periods = 4;
    d->upfront_fee_rate = 0.01;
    d->commitment_fee_rate = 0.005;
    in->draw_date[0] = d->start;
    in->draw_amount[0] = 3e8;
    d->draw_count = 1;
    d->draw_dates = in->draw_date;
    d->draw_amounts = in->draw_amount;
    /* the draws crit_loan_draw() makes */
    assert_int_equal(crit_date_add_months(&in->draw_date[1], d->start, 7, 0),
                     CRIT_OK);
    in->draw_amount[1] = 2.5e8;
    assert_int_equal(crit_date_add_months(&in->draw_date[2], d->start, 13, 0),
                     CRIT_OK);
    in->draw_amount[2] = 1.25e8;
}

/* Everything a const loan gives. */
static void read_loan(job *j, const crit_loan *l)
{
    size_t rows = crit_loan_row_count(l);
    put(j, (double)rows);
    CHECK(j, rows > 0 && rows <= 64);
    if (rows == 0 || rows > 64)
        return;
    double col[64];
    for (int32_t c = 0; c < CRIT_LOAN_COLUMNS; c++) {
        CHECK(j, crit_loan_column(col, rows, l, c) == CRIT_OK);
        for (size_t r = 0; r < rows; r++)
            put(j, col[r]);
    }
    crit_date dates[64];
    CHECK(j, crit_loan_dates(dates, rows, l) == CRIT_OK);
    mix(j, dates, rows * sizeof *dates);
    crit_loan_row row;
    CHECK(j, crit_loan_row_get(&row, l, rows / 2) == CRIT_OK);
    put(j, row.payment);
    size_t at = 0;
    CHECK(j, crit_loan_row_at(&at, l, dates[rows / 3]) == CRIT_OK);
    put(j, (double)at);
    double undrawn = 0;
    CHECK(j, crit_loan_undrawn(&undrawn, l, dates[2]) == CRIT_OK);
    put(j, undrawn);
    crit_loan_totals tot;
    CHECK(j, crit_loan_totals_get(&tot, l) == CRIT_OK);
    put(j, tot.interest);
    put(j, tot.fees);
    put(j, tot.payment);
    static const double rates[] = {0, 0.03, 0.07, 0.15};
    for (size_t k = 0; k < sizeof rates / sizeof *rates; k++) {
        double npv = 0;
        CHECK(j, crit_loan_npv(&npv, l, rates[k]) == CRIT_OK);
        put(j, npv);
    }
    double irr = 0, wal = 0;
    CHECK(j, crit_loan_irr(&irr, l) == CRIT_OK);
    CHECK(j, crit_loan_wal(&wal, l) == CRIT_OK);
    put(j, irr);
    put(j, wal);
    size_t nf = crit_loan_flow_count(l);
    CHECK(j, nf > 0 && nf <= 128);
    if (nf == 0 || nf > 128)
        return;
    crit_date fd[128];
    double fa[128], v = 0;
    CHECK(j, crit_loan_flows(fd, fa, nf, l) == CRIT_OK);
    for (size_t k = 0; k < nf; k++)
        put(j, fa[k]);
    CHECK(j, crit_loan_flows_npv(&v, fd, fa, nf, fd[0], 0.05) == CRIT_OK);
    put(j, v);
    CHECK(j, crit_loan_flows_irr(&v, fd, fa, nf) == CRIT_OK);
    put(j, v);
}

/* A loan of this thread's, drawn here, then read. */
static void work_loan_own(job *j)
{
    const loan_input *in = j->in;
    crit_loan *l = NULL;
    CHECK(j, crit_loan_new(&l, &in->def) == CRIT_OK);
    if (!l)
        return;
    for (int k = 1; k < 3; k++)
        CHECK(j, crit_loan_draw(l, in->draw_date[k], in->draw_amount[k]) ==
                     CRIT_OK);
    read_loan(j, l);
    crit_loan_free(l);
}

static void work_loan_shared(job *j)
{
    read_loan(j, j->in);
}

/* One const loan read by every thread at once, and loans built and drawn
   one per thread: the schedule, NPV, IRR and flows of the loan alone. */
static void test_threads_loans(void **state)
{
    (void)state;
    static loan_input in;
    loan_input_init(&in);
    check_threads(work_loan_own, &in);
    crit_loan *l = NULL;
    assert_int_equal(crit_loan_new(&l, &in.def), CRIT_OK);
    for (int k = 1; k < 3; k++)
        assert_int_equal(crit_loan_draw(l, in.draw_date[k], in.draw_amount[k]),
                         CRIT_OK);
    check_threads(work_loan_shared, l);
    crit_loan_free(l);
}

/* ---- stockpiles ------------------------------------------------------- */

static const char *const SP_MINERALS[] = {"Ga", "Sb", "W"};
enum { SP_SLOTS = 3 };

/* A stockpile of the USA on world w: the first `slots` of SP_MINERALS, a
   firm and a trader. */
static crit_stockpile *test_stockpile(const crit_world *w, int slots)
{
    crit_stockpile *sp = NULL;
    crit_stockpile_def d;
    crit_stockpile_def_init(&d);
    d.name = "threads";
    d.economy = "USA";
    d.cash_usd = 5e8;
    assert_int_equal(crit_stockpile_new(&sp, w, &d), CRIT_OK);
    for (int k = 0; k < slots; k++) {
        crit_mineral_def m;
        crit_mineral_def_init(&m);
        size_t at = 0;
        assert_int_equal(crit_world_mineral_index(&at, w, SP_MINERALS[k]),
                         CRIT_OK);
        assert_int_equal(crit_world_mineral_get(&m, w, at), CRIT_OK);
        crit_stockpile_mineral_def s;
        crit_stockpile_mineral_def_init(&s);
        s.mineral = SP_MINERALS[k];
        s.capacity_t = 1000 * (k + 1);
        s.inventory_t = 200 * (k + 1);
        s.minimum_t = 50;
        s.target = 600 * (k + 1);
        s.acquisition_rate_t_per_yr = 400;
        s.release_rate_t_per_yr = 800;
        s.purchase_trigger_usd_per_t = 0.9 * m.base_price_usd_per_t;
        s.release_trigger_usd_per_t = 1.5 * m.base_price_usd_per_t;
        s.loss_rate_per_yr = 0.01;
        assert_int_equal(crit_stockpile_add_mineral(sp, &s), CRIT_OK);
    }
    crit_participant_def p;
    crit_participant_def_init(&p);
    p.name = "firm";
    p.mineral = "Ga";
    p.demand_t_per_yr = 120;
    p.upfront_fee_usd = 1e6;
    p.annual_fee_usd_per_yr = 2e5;
    p.draw_right_t = 60;
    p.draw_price_usd_per_t = 5e5;
    p.replenish_rate_t_per_yr = 30;
    assert_int_equal(crit_stockpile_add_participant(NULL, sp, &p), CRIT_OK);
    crit_participant_def_init(&p);
    p.name = "trader";
    p.kind = CRIT_PARTICIPANT_TRADER;
    p.annual_fee_usd_per_yr = 5e4;
    assert_int_equal(crit_stockpile_add_participant(NULL, sp, &p), CRIT_OK);
    return sp;
}

static void put_agent(job *j, const crit_market_agent_def *a)
{
    put(j, a->inventory_t);
    put(j, a->capacity_t);
    put(j, a->minimum_t);
    put(j, a->target_t);
    put(j, a->acquisition_rate_t_per_yr);
    put(j, a->release_rate_t_per_yr);
    put(j, a->purchase_trigger_usd_per_t);
    put(j, a->release_trigger_usd_per_t);
    put(j, a->smoothing);
    put(j, a->cash_usd);
}

/* Everything a const stockpile gives. */
static void read_stockpile(job *j, const crit_stockpile *sp)
{
    const double dt = 1.0 / 12;
    mix_str(j, crit_stockpile_name(sp));
    put(j, (double)crit_stockpile_economy(sp));
    put(j, crit_stockpile_cash(sp));
    size_t slots = crit_stockpile_mineral_count(sp);
    put(j, (double)slots);
    for (size_t k = 0; k < slots; k++) {
        size_t slot = 99;
        CHECK(j, crit_stockpile_mineral_slot(&slot, sp, SP_MINERALS[k]) ==
                     CRIT_OK);
        CHECK(j, slot == k);
        double v = 0;
        CHECK(j, crit_stockpile_target_t(&v, sp, k) == CRIT_OK);
        put(j, v);
        CHECK(j, crit_stockpile_inventory_t(&v, sp, k) == CRIT_OK);
        put(j, v);
        put(j, crit_stockpile_disrupted(sp, k));
        crit_stockpile_mineral_def m;
        crit_stockpile_mineral_def_init(&m);
        CHECK(j, crit_stockpile_mineral_get(&m, sp, k) == CRIT_OK);
        put(j, m.purchase_trigger_usd_per_t);
        for (int q = 0; q < 3; q++) {
            double price = m.purchase_trigger_usd_per_t * (0.5 + q);
            CHECK(j, crit_stockpile_purchase(&v, sp, k, price, 1e8, dt) ==
                         CRIT_OK);
            put(j, v);
            CHECK(j, crit_stockpile_release(&v, sp, k, price, dt) == CRIT_OK);
            put(j, v);
        }
        crit_market_agent_def a;
        crit_market_agent_def_init(&a);
        CHECK(j, crit_stockpile_market_agent(&a, sp, k, 1e8, dt) == CRIT_OK);
        put_agent(j, &a);
    }
    size_t parts = crit_stockpile_participant_count(sp);
    put(j, (double)parts);
    for (size_t i = 0; i < parts; i++) {
        crit_participant_def p;
        crit_participant_def_init(&p);
        CHECK(j, crit_stockpile_participant_get(&p, sp, i) == CRIT_OK);
        mix_str(j, p.name);
        double draw = 0, back = 0, drawn = 0, owed = 0;
        size_t slot = 0;
        CHECK(j, crit_stockpile_participant_caps(&draw, &back, sp, i, dt) ==
                     CRIT_OK);
        put(j, draw);
        put(j, back);
        CHECK(j, crit_stockpile_participant_state(&slot, &drawn, &owed, sp,
                                                  i) == CRIT_OK);
        put(j, drawn);
        put(j, owed);
        if (p.kind == CRIT_PARTICIPANT_FIRM) {
            crit_market_agent_def a;
            crit_market_agent_def_init(&a);
            CHECK(j,
                  crit_stockpile_participant_agent(&a, sp, i, dt) == CRIT_OK);
            put_agent(j, &a);
        }
    }
}

static void work_stockpile_shared(job *j)
{
    read_stockpile(j, j->in);
}

/* A copy of the shared stockpile, run through a disrupted period in this
   thread (the copy shares the world: a reference taken and dropped). */
static void work_stockpile_own(job *j)
{
    const double dt = 1.0 / 12;
    crit_stockpile *sp = NULL;
    CHECK(j, crit_stockpile_copy(&sp, j->in) == CRIT_OK);
    if (!sp)
        return;
    double v = 0;
    CHECK(j, crit_stockpile_add_cash(sp, 2.5e7) == CRIT_OK);
    CHECK(j, crit_stockpile_collect_fees(&v, sp, 0, dt) == CRIT_OK);
    put(j, v);
    CHECK(j, crit_stockpile_set_disruption(sp, 0, 1) == CRIT_OK);
    for (size_t k = 0; k < crit_stockpile_mineral_count(sp); k++) {
        crit_stockpile_mineral_def m;
        crit_stockpile_mineral_def_init(&m);
        CHECK(j, crit_stockpile_mineral_get(&m, sp, k) == CRIT_OK);
        double price = m.release_trigger_usd_per_t * 1.2, rel = 0;
        CHECK(j, crit_stockpile_release(&rel, sp, k, price, dt) == CRIT_OK);
        crit_stockpile_flows f;
        CHECK(j,
              crit_stockpile_settle(&f, sp, k, price, 0, rel, dt) == CRIT_OK);
        put(j, f.closing_t);
        put(j, f.cash_change_usd);
    }
    double draw = 0, back = 0;
    CHECK(j,
          crit_stockpile_participant_caps(&draw, &back, sp, 0, dt) == CRIT_OK);
    CHECK(j,
          crit_stockpile_settle_participant(&v, sp, 0, draw / 2, 0) == CRIT_OK);
    put(j, v);
    read_stockpile(j, sp);
    crit_stockpile_free(sp);
}

/* One const stockpile read by every thread at once, and copies of it
   changed one per thread: the numbers of the same work alone. */
static void test_threads_stockpiles(void **state)
{
    (void)state;
    crit_world *w = NULL;
    assert_int_equal(crit_world_default(&w), CRIT_OK);
    crit_stockpile *sp = test_stockpile(w, SP_SLOTS);
    crit_world_free(w); /* the stockpile keeps it */
    check_threads(work_stockpile_shared, sp);
    check_threads(work_stockpile_own, sp);
    crit_stockpile_free(sp);
    assert_true(crit_allocator_live_blocks() == 0);
}

/* ---- risk indicators -------------------------------------------------- */

static void work_risk(job *j)
{
    const crit_world *w = j->in;
    size_t nk = crit_world_mineral_count(w), n = crit_world_economy_count(w);
    for (size_t k = 0; k < nk; k++) {
        const char *m = crit_world_mineral_code(w, k);
        double v = 0;
        size_t top = 0;
        int rc = crit_risk_hhi(&v, w, m);
        put(j, rc);
        put(j, rc ? 0 : v);
        rc = crit_risk_top_producer(&top, &v, w, m);
        put(j, rc);
        put(j, rc ? 0 : v);
        put(j, rc ? 0 : (double)top);
        rc = crit_risk_self_sufficiency(&v, w, m);
        put(j, rc);
        put(j, rc ? 0 : v);
        rc = crit_risk_world_production(&v, w, m);
        put(j, rc);
        put(j, rc ? 0 : v);
        for (size_t i = 0; i < n; i++) {
            rc = crit_risk_net_import_reliance(
                &v, w, crit_world_economy_code(w, i), m);
            put(j, rc);
            put(j, rc ? 0 : v);
        }
    }
}

/* The risk indicators of one shared world, from every thread at once. */
static void test_threads_risk(void **state)
{
    (void)state;
    crit_world *w = NULL;
    assert_int_equal(crit_world_default(&w), CRIT_OK);
    check_threads(work_risk, w);
    crit_world_free(w);
}

/* ---- snapshots and CSV, one thread in a decimal-comma locale ---------- */

#define COMMA_LOCALE "de_DE.UTF-8"
enum { CSV_TABLES = 5 };

typedef struct io_input {
    const crit_world *small, *big;
    const crit_scenario *sc;
    const crit_result *r;
    const crit_market *m; /* solved */
    locale_t comma;       /* thread 0's locale */
    char decimal;         /* its decimal point */
    char dir[64];
} io_input;

/* A small world with every kind of value, numbers with decimals. */
static crit_world *io_world(void)
{
    crit_world *w = NULL;
    assert_int_equal(crit_world_new(&w), CRIT_OK);
    static const char *const eco[] = {"CHN", "USA", "DEU", "JPN"};
    for (int i = 0; i < 4; i++) {
        crit_economy_def e;
        crit_economy_def_init(&e);
        e.code = eco[i];
        e.name = i == 2 ? "Deutschland, \"DE\"" : NULL;
        e.member = i > 0;
        assert_int_equal(crit_world_add_economy(w, &e), CRIT_OK);
    }
    static const char *const min[] = {"Ga", "Sb"};
    for (int k = 0; k < 2; k++) {
        crit_mineral_def m;
        crit_mineral_def_init(&m);
        m.code = min[k];
        m.base_price_usd_per_t = 600000.5 / (k + 1);
        m.choke_price_usd_per_t = 2.4e6 / (k + 1);
        m.holding_cost_usd_per_t_yr = 1200.25;
        assert_int_equal(crit_world_add_mineral(w, &m), CRIT_OK);
        for (int i = 0; i < 4; i++) {
            crit_curve_def c;
            crit_curve_def_init(&c);
            c.base_production_t_per_yr = i == 0 ? 750.5 : 10.25 * i;
            c.capacity_t_per_yr = c.base_production_t_per_yr * 1.3;
            c.supply_elasticity = 0.35;
            c.base_demand_t_per_yr = 100.125 * (i + 1);
            c.demand_elasticity = 0.2 + 0.05 * i;
            assert_int_equal(crit_world_set_curve(w, eco[i], min[k], &c),
                             CRIT_OK);
            for (int o = 0; o < 4; o++)
                if (o != i)
                    assert_int_equal(
                        crit_world_set_transport(w, min[k], eco[i], eco[o],
                                                 120.5 + 0.1 * (i * 4 + o)),
                        CRIT_OK);
        }
        assert_int_equal(
            crit_world_set_tariff(w, min[k], "CHN", "USA", 33.3, 0.075),
            CRIT_OK);
        assert_int_equal(
            crit_world_set_export_tax(w, min[k], "CHN", 10.5, 0.15), CRIT_OK);
        assert_int_equal(crit_world_set_export_quota(w, min[k], "CHN", 500.75),
                         CRIT_OK);
        assert_int_equal(crit_world_set_export_ban(w, min[k], "CHN", "JPN", 1),
                         CRIT_OK);
    }
    return w;
}

/* The thread's locale has not changed: the one it set, and its decimal
   point in printf. */
static void check_locale(job *j, locale_t mine, char decimal)
{
    char s[16];
    CHECK(j, uselocale((locale_t)0) == mine);
    snprintf(s, sizeof s, "%.1f", 2.5);
    CHECK(j, s[0] == '2' && s[1] == decimal && s[2] == '5');
}

/* The hash of a file's bytes. */
static void mix_file(job *j, const char *path)
{
    FILE *f = fopen(path, "rb");
    CHECK(j, f != NULL);
    if (!f)
        return;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        mix(j, buf, n);
    fclose(f);
}

static void work_io(job *j)
{
    const io_input *in = j->in;
    /* thread 0 in the comma locale; the others, and the work alone, in
       the program's ("C") */
    locale_t mine = LC_GLOBAL_LOCALE;
    char decimal = '.';
    if (j->index == 0) {
        mine = in->comma;
        decimal = in->decimal;
        uselocale(mine);
    }
    check_locale(j, mine, decimal);
    char p[128];
    int id = j->index + 1;

    /* snapshots of both worlds, saved and loaded */
    const crit_world *worlds[2] = {in->small, in->big};
    for (int k = 0; k < 2; k++) {
        crit_world *back = NULL;
        snprintf(p, sizeof p, "%s/w%d-%d.crit", in->dir, id, k);
        CHECK(j, crit_io_save(p, worlds[k], NULL) == CRIT_OK);
        mix_file(j, p);
        CHECK(j, crit_io_load(&back, p, NULL) == CRIT_OK);
        CHECK(j, back && crit_world_equal(back, worlds[k]));
        crit_world_free(back);
        unlink(p);
    }
    /* every thread saves to one path at once: the last rename wins, and
       the file is whole (test_threads_io loads it afterwards) */
    snprintf(p, sizeof p, "%s/same.crit", in->dir);
    CHECK(j, crit_io_save(p, in->small, NULL) == CRIT_OK);

    /* a CSV round trip of every table, gzip for some */
    static const int32_t order[CSV_TABLES] = {
        CRIT_CSV_ECONOMIES, CRIT_CSV_MINERALS, CRIT_CSV_CURVES, CRIT_CSV_ARCS,
        CRIT_CSV_EXPORTS};
    crit_world *cur = NULL;
    for (int t = 0; t < CSV_TABLES; t++) {
        snprintf(p, sizeof p, "%s/t%d-%d.csv%s", in->dir, id, t,
                 t % 2 ? ".gz" : "");
        CHECK(j, crit_io_csv_export(p, in->small, order[t], NULL) == CRIT_OK);
        check_locale(j, mine, decimal);
        if (t % 2 == 0)
            mix_file(j, p); /* gzip bytes may change with zlib */
        crit_world *next = NULL;
        CHECK(j, crit_io_csv_import(&next, cur, order[t], p, NULL) == CRIT_OK);
        check_locale(j, mine, decimal);
        crit_world_free(cur);
        cur = next;
        unlink(p);
    }
    CHECK(j, cur && crit_world_equal(cur, in->small));
    crit_world_free(cur);
    /* the tidy series of the shared world, market and result */
    snprintf(p, sizeof p, "%s/s%d.csv", in->dir, id);
    CHECK(j,
          crit_io_csv_export(p, in->small, CRIT_CSV_SERIES, NULL) == CRIT_OK);
    mix_file(j, p);
    CHECK(j, crit_io_csv_export_market(p, in->m, 0, NULL) == CRIT_OK);
    mix_file(j, p);
    CHECK(j, crit_io_csv_export_result(p, in->r, NULL) == CRIT_OK);
    check_locale(j, mine, decimal);
    mix_file(j, p);
    unlink(p);

    /* the shared scenario and result, saved and loaded */
    snprintf(p, sizeof p, "%s/sc%d.crit", in->dir, id);
    CHECK(j, crit_io_save_scenario(p, in->sc, in->r, NULL) == CRIT_OK);
    mix_file(j, p);
    crit_scenario *sc = NULL;
    crit_result *r = NULL;
    CHECK(j, crit_io_load_scenario(&sc, &r, p, NULL) == CRIT_OK);
    CHECK(j, sc && r);
    if (sc && r) {
        CHECK(j, crit_world_equal(crit_scenario_world(sc),
                                  crit_scenario_world(in->sc)));
        series_bits a = {NULL, 0}, b = {NULL, 0};
        CHECK(j, read_series(&a, r) == CRIT_OK);
        CHECK(j, read_series(&b, in->r) == CRIT_OK);
        CHECK(j, a.len == b.len && a.v && b.v &&
                     memcmp(a.v, b.v, a.len * sizeof(double)) == 0);
        put(j, (double)a.len);
        free(a.v);
        free(b.v);
    }
    crit_result_free(r);
    crit_scenario_free(sc);
    unlink(p);
    check_locale(j, mine, decimal);
    if (j->index == 0)
        uselocale(LC_GLOBAL_LOCALE);
}

/* A scenario of a few periods on world w, with a stockpile and a loan. */
static crit_scenario *io_scenario(const crit_world *w)
{
    crit_scenario *sc = NULL;
    crit_scenario_def d;
    crit_scenario_def_init(&d);
    assert_int_equal(crit_date_parse(&d.start, "2026-01-01"), CRIT_OK);
    d.periods = 3;
    assert_int_equal(crit_scenario_new(&sc, w, &d), CRIT_OK);
    crit_stockpile *sp = test_stockpile(w, 2);
    assert_int_equal(crit_scenario_add_stockpile(NULL, sc, sp), CRIT_OK);
    crit_stockpile_free(sp);
    static loan_input li;
    loan_input_init(&li);
    li.def.start = d.start;
    li.draw_date[0] = d.start;
    crit_loan *l = NULL;
    assert_int_equal(crit_loan_new(&l, &li.def), CRIT_OK);
    assert_int_equal(crit_scenario_add_loan(NULL, sc, l, 0), CRIT_OK);
    crit_loan_free(l);
    return sc;
}

/* Snapshots and CSV files written and read by every thread at once, on
   distinct paths (and on one path), of shared const worlds, scenario,
   result and market, one thread in a decimal-comma locale and the others
   in "C": each thread gets the world back to the bit, the bytes the work
   alone writes, and keeps its own locale. */
static void test_threads_io(void **state)
{
    (void)state;
    static io_input in;
    memset(&in, 0, sizeof in);
    crit_world *small = io_world(), *big = NULL;
    assert_int_equal(crit_world_default(&big), CRIT_OK);
    in.small = small;
    in.big = big;
    crit_scenario *sc = io_scenario(small);
    crit_result *r = NULL;
    assert_int_equal(crit_scenario_run(&r, sc, NULL, NULL), CRIT_OK);
    crit_market *m = NULL;
    assert_int_equal(crit_market_new(&m, small, "Ga"), CRIT_OK);
    assert_int_equal(crit_market_solve(m), CRIT_OK);
    in.sc = sc;
    in.r = r;
    in.m = m;
    /* setlocale() and duplocale() rather than newlocale(), which leaks
       a block under valgrind when LOCPATH is set */
    in.decimal = ',';
    if (setlocale(LC_ALL, COMMA_LOCALE)) {
        in.comma = duplocale(LC_GLOBAL_LOCALE);
    } else {
        fprintf(stderr,
                "test_threads_io: no locale %s (LOCPATH=%s): the comma "
                "thread runs in a copy of the C locale instead\n",
                COMMA_LOCALE, getenv("LOCPATH") ? getenv("LOCPATH") : "");
        in.comma = duplocale(LC_GLOBAL_LOCALE);
        in.decimal = '.';
    }
    assert_non_null(setlocale(LC_ALL, "C"));
    assert_true(in.comma != (locale_t)0);
    snprintf(in.dir, sizeof in.dir, "/tmp/crit_threads_XXXXXX");
    assert_non_null(mkdtemp(in.dir));

    check_threads(work_io, &in);

    char p[128];
    snprintf(p, sizeof p, "%s/same.crit", in.dir);
    crit_world *back = NULL;
    assert_int_equal(crit_io_load(&back, p, NULL), CRIT_OK);
    assert_true(crit_world_equal(back, small));
    crit_world_free(back);
    assert_int_equal(unlink(p), 0);
    assert_int_equal(rmdir(in.dir), 0); /* no temporary file left */
    freelocale(in.comma);
    crit_market_free(m);
    crit_result_free(r);
    crit_scenario_free(sc);
    crit_world_free(big);
    crit_world_free(small);
    assert_true(crit_allocator_live_blocks() == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_scenario_runs),
        cmocka_unit_test(test_threads_markets),
        cmocka_unit_test(test_threads_markets_policy),
        cmocka_unit_test(test_threads_default_world),
        cmocka_unit_test(test_threads_dates),
        cmocka_unit_test(test_threads_errors_and_allocator),
        cmocka_unit_test(test_threads_loans),
        cmocka_unit_test(test_threads_stockpiles),
        cmocka_unit_test(test_threads_risk),
        cmocka_unit_test(test_threads_io),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

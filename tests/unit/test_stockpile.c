/*
 * Stockpiles: validation, targets, the agent's curves of MODEL.md section
 * 5, and the bookkeeping of inventory, cash, fees, draws and
 * replenishment. Expected values are computed by hand in the comments.
 */
#define FAILALLOC_FIXTURE
#include "failalloc.h"
#include "msg_has.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void near(double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol * (fabs(want) > 1 ? fabs(want) : 1))) {
        print_error("got %.17g, expected %.17g\n", got, want);
        fail();
    }
}

/* USA (member, d0 900, s0 100), JPN (member, d0 300, s0 0), CHN (not a
 * member, s0 1100, d0 0) for mineral "Ga" (P0 1000, holding 12 USD/t/yr)
 * and "Sb" (P0 50). Members' net imports at base: 900 + 300 - 100 =
 * 1100 t/yr. */
static crit_world *small_world(void)
{
    crit_world *w = NULL;
    assert_int_equal(crit_world_new(&w), CRIT_OK);
    const char *eco[] = {"USA", "JPN", "CHN"};
    for (int i = 0; i < 3; i++) {
        crit_economy_def e;
        crit_economy_def_init(&e);
        e.code = eco[i];
        e.member = i < 2;
        assert_int_equal(crit_world_add_economy(w, &e), CRIT_OK);
    }
    crit_mineral_def m;
    crit_mineral_def_init(&m);
    m.code = "Ga";
    m.base_price_usd_per_t = 1000;
    m.holding_cost_usd_per_t_yr = 12;
    assert_int_equal(crit_world_add_mineral(w, &m), CRIT_OK);
    m.code = "Sb";
    m.base_price_usd_per_t = 50;
    m.holding_cost_usd_per_t_yr = 0;
    assert_int_equal(crit_world_add_mineral(w, &m), CRIT_OK);
    double s0[] = {100, 0, 1100}, d0[] = {900, 300, 0};
    for (int i = 0; i < 3; i++) {
        crit_curve_def c;
        crit_curve_def_init(&c);
        c.base_production_t_per_yr = s0[i];
        c.capacity_t_per_yr = 2 * s0[i];
        c.base_demand_t_per_yr = d0[i];
        assert_int_equal(crit_world_set_curve(w, eco[i], "Ga", &c), CRIT_OK);
    }
    return w;
}

static crit_stockpile *new_stockpile(crit_world *w, double cash)
{
    crit_stockpile_def d;
    crit_stockpile_def_init(&d);
    d.name = "vault";
    d.economy = "USA";
    d.cash_usd = cash;
    crit_stockpile *s = NULL;
    assert_int_equal(crit_stockpile_new(&s, w, &d), CRIT_OK);
    return s;
}

/* Ga: I 100, Imax 1000, Imin 20, target 500 t, amax 1200 t/yr (100 a
 * month), gmax 600 t/yr (50 a month), B 1000, T 1500, sigma 0.1, loss
 * 12 % a year (1 % a month). */
static void ga_def(crit_stockpile_mineral_def *d)
{
    crit_stockpile_mineral_def_init(d);
    d->mineral = "Ga";
    d->inventory_t = 100;
    d->capacity_t = 1000;
    d->minimum_t = 20;
    d->target = 500;
    d->acquisition_rate_t_per_yr = 1200;
    d->release_rate_t_per_yr = 600;
    d->purchase_trigger_usd_per_t = 1000;
    d->release_trigger_usd_per_t = 1500;
    d->smoothing = 0.1;
    d->loss_rate_per_yr = 0.12;
}

/* A firm "maker" holding Ga with a draw right of `right` t at 800 USD/t,
 * drawn at up to `rate` t/yr (0: all at once) and returned at up to
 * `replenish` t/yr (0: no commitment). */
static void add_maker(crit_stockpile *s, double right, double rate,
                      double replenish)
{
    crit_participant_def p;
    crit_participant_def_init(&p);
    p.name = "maker";
    p.mineral = "Ga";
    p.draw_right_t = right;
    p.draw_rate_t_per_yr = rate;
    p.draw_price_usd_per_t = 800;
    p.replenish_rate_t_per_yr = replenish;
    assert_int_equal(crit_stockpile_add_participant(NULL, s, &p), CRIT_OK);
}

/* ---- refused calls ------------------------------------------------------ */

/* Everything a stockpile's getters show, as numbers. */
enum { SNAP_MAX = 128 };
typedef struct sp_snap {
    size_t n;
    double v[SNAP_MAX];
} sp_snap;

static void snap_add(sp_snap *s, double x)
{
    assert_true(s->n < SNAP_MAX);
    s->v[s->n++] = x;
}

static void snap_take(sp_snap *s, const crit_stockpile *sp)
{
    memset(s, 0, sizeof *s);
    size_t ns = crit_stockpile_mineral_count(sp);
    size_t np = crit_stockpile_participant_count(sp);
    snap_add(s, crit_stockpile_cash(sp));
    snap_add(s, (double)ns);
    snap_add(s, (double)np);
    for (size_t k = 0; k < ns; k++) {
        crit_stockpile_mineral_def m;
        crit_stockpile_mineral_def_init(&m);
        assert_int_equal(crit_stockpile_mineral_get(&m, sp, k), CRIT_OK);
        double v[] = {m.inventory_t,
                      m.capacity_t,
                      m.minimum_t,
                      m.target_unit,
                      m.target,
                      m.acquisition_rate_t_per_yr,
                      m.release_rate_t_per_yr,
                      m.purchase_trigger_usd_per_t,
                      m.release_trigger_usd_per_t,
                      m.emergency_trigger_usd_per_t,
                      m.smoothing,
                      m.loss_rate_per_yr,
                      crit_stockpile_disrupted(sp, k)};
        for (size_t i = 0; i < sizeof v / sizeof *v; i++)
            snap_add(s, v[i]);
    }
    for (size_t k = 0; k < np; k++) {
        crit_participant_def p;
        crit_participant_def_init(&p);
        assert_int_equal(crit_stockpile_participant_get(&p, sp, k), CRIT_OK);
        size_t slot;
        double drawn, owed;
        assert_int_equal(
            crit_stockpile_participant_state(&slot, &drawn, &owed, sp, k),
            CRIT_OK);
        double v[] = {slot == SIZE_MAX ? -1 : (double)slot,
                      drawn,
                      owed,
                      p.kind,
                      p.demand_t_per_yr,
                      p.upfront_fee_usd,
                      p.annual_fee_usd_per_yr,
                      p.draw_right_t,
                      p.draw_rate_t_per_yr,
                      p.draw_price_usd_per_t,
                      p.replenish_rate_t_per_yr};
        for (size_t i = 0; i < sizeof v / sizeof *v; i++)
            snap_add(s, v[i]);
    }
}

/* A refused call: the exact code, a message naming what was wrong (every
 * string given), and the stockpile `sp` exactly as before. */
#define REFUSED(sp, call, code, ...)                                           \
    do {                                                                       \
        sp_snap before_, after_;                                               \
        snap_take(&before_, (sp));                                             \
        crit_error_clear();                                                    \
        assert_int_equal((call), (code));                                      \
        assert_int_equal(crit_error_last_code(), (code));                      \
        msg_has(__VA_ARGS__, (const char *)NULL);                              \
        snap_take(&after_, (sp));                                              \
        assert_int_equal(before_.n, after_.n);                                 \
        assert_memory_equal(before_.v, after_.v, after_.n * sizeof *after_.v); \
    } while (0)

static void test_stockpile_defaults(void **state)
{
    (void)state;
    crit_stockpile_mineral_def d;
    crit_stockpile_mineral_def_init(&d);
    assert_int_equal(d.size, sizeof d);
    assert_int_equal(d.target_unit, CRIT_TARGET_TONNES);
    assert_true(d.smoothing == 0.05);
    assert_true(d.emergency_trigger_usd_per_t == 0);
    crit_participant_def p;
    crit_participant_def_init(&p);
    assert_int_equal(p.kind, CRIT_PARTICIPANT_FIRM);
    assert_null(p.mineral);
    crit_stockpile_def_init(NULL);
    crit_stockpile_mineral_def_init(NULL);
    crit_participant_def_init(NULL);
}

static void test_stockpile_validation(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_stockpile_def d;
    crit_stockpile_def_init(&d);
    crit_stockpile *s = (crit_stockpile *)&d;
    d.economy = "CHN";
    assert_int_equal(crit_stockpile_new(&s, w, &d), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "not a member"));
    assert_ptr_equal(s, &d);
    d.economy = "XYZ";
    assert_int_equal(crit_stockpile_new(&s, w, &d), CRIT_ENOTFOUND);
    d.economy = "USA";
    d.cash_usd = -1;
    assert_int_equal(crit_stockpile_new(&s, w, &d), CRIT_EINVAL);
    d.cash_usd = NAN;
    assert_int_equal(crit_stockpile_new(&s, w, &d), CRIT_EINVAL);
    assert_int_equal(crit_stockpile_new(NULL, w, &d), CRIT_EINVAL);

    s = new_stockpile(w, 0);
    crit_stockpile_mineral_def m;
    ga_def(&m);
    m.release_trigger_usd_per_t = 1000;
    assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "release trigger 1000 is not "
                                              "above the purchase trigger"));
    ga_def(&m);
    m.inventory_t = 1001;
    assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_EINVAL);
    ga_def(&m);
    m.target = 2000;
    assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "target 2000 t is above"));
    ga_def(&m);
    m.capacity_t = 0;
    assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_EINVAL);
    ga_def(&m);
    m.loss_rate_per_yr = 1.5;
    assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_EINVAL);
    ga_def(&m);
    m.target_unit = 7;
    assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_EINVAL);
    ga_def(&m);
    m.smoothing = 0;
    assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_EINVAL);
    ga_def(&m);
    m.mineral = "Xx";
    assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_ENOTFOUND);
    assert_int_equal(crit_stockpile_mineral_count(s), 0);
    ga_def(&m);
    assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_OK);
    assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_EEXISTS);
    assert_int_equal(crit_stockpile_mineral_count(s), 1);

    crit_participant_def p;
    crit_participant_def_init(&p);
    assert_int_equal(crit_stockpile_add_participant(NULL, s, &p), CRIT_EINVAL);
    p.name = "trader";
    p.kind = CRIT_PARTICIPANT_TRADER;
    p.mineral = "Ga";
    assert_int_equal(crit_stockpile_add_participant(NULL, s, &p), CRIT_EINVAL);
    crit_participant_def_init(&p);
    p.name = "firm";
    p.mineral = "Sb"; /* not held */
    assert_int_equal(crit_stockpile_add_participant(NULL, s, &p), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "does not hold mineral 'Sb'"));
    p.mineral = NULL;
    p.draw_right_t = 5;
    assert_int_equal(crit_stockpile_add_participant(NULL, s, &p), CRIT_EINVAL);
    p.mineral = "Ga";
    p.annual_fee_usd_per_yr = -1;
    assert_int_equal(crit_stockpile_add_participant(NULL, s, &p), CRIT_EINVAL);
    p.annual_fee_usd_per_yr = 0;
    p.kind = 5;
    assert_int_equal(crit_stockpile_add_participant(NULL, s, &p), CRIT_EINVAL);
    assert_int_equal(crit_stockpile_participant_count(s), 0);

    size_t slot = 9;
    assert_int_equal(crit_stockpile_mineral_slot(&slot, s, "Sb"),
                     CRIT_ENOTFOUND);
    assert_int_equal(crit_stockpile_mineral_slot(&slot, s, "Ga"), CRIT_OK);
    assert_int_equal(slot, 0);
    double v;
    assert_int_equal(crit_stockpile_inventory_t(&v, s, 1), CRIT_ERANGE);
    assert_int_equal(crit_stockpile_settle(NULL, s, 0, -1, 0, 0, 1.0 / 12),
                     CRIT_EINVAL);
    assert_int_equal(crit_stockpile_settle(NULL, s, 0, 1, 0, 0, 0),
                     CRIT_EINVAL);
    assert_int_equal(crit_stockpile_add_cash(s, INFINITY), CRIT_EINVAL);
    assert_string_equal(crit_stockpile_name(s), "vault");
    assert_int_equal(crit_stockpile_economy(s), 0);
    crit_stockpile_free(s);
    crit_stockpile_free(NULL);
    crit_world_free(w);
}

static void test_stockpile_targets(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_stockpile *s = new_stockpile(w, 0);
    crit_stockpile_mineral_def m;
    ga_def(&m);
    m.target_unit = CRIT_TARGET_DAYS_OF_DEMAND;
    m.target = 60;
    assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_OK);
    crit_participant_def p;
    crit_participant_def_init(&p);
    p.name = "A";
    p.mineral = "Ga";
    p.demand_t_per_yr = 365;
    assert_int_equal(crit_stockpile_add_participant(NULL, s, &p), CRIT_OK);
    p.name = "B";
    p.demand_t_per_yr = 730;
    size_t idx = 0;
    assert_int_equal(crit_stockpile_add_participant(&idx, s, &p), CRIT_OK);
    assert_int_equal(idx, 1);
    p.name = "T";
    p.kind = CRIT_PARTICIPANT_TRADER;
    p.mineral = NULL;
    p.demand_t_per_yr = 0;
    assert_int_equal(crit_stockpile_add_participant(NULL, s, &p), CRIT_OK);
    double t = 0;
    /* 60 days of 365 + 730 t/yr: 60 / 365 * 1095 = 180 t */
    assert_int_equal(crit_stockpile_target_t(&t, s, 0), CRIT_OK);
    near(t, 180, 1e-15);

    crit_participant_def got;
    crit_participant_def_init(&got);
    assert_int_equal(crit_stockpile_participant_get(&got, s, 1), CRIT_OK);
    assert_string_equal(got.name, "B");
    assert_string_equal(got.mineral, "Ga");
    assert_true(got.demand_t_per_yr == 730);
    assert_int_equal(crit_stockpile_participant_get(&got, s, 2), CRIT_OK);
    assert_null(got.mineral);
    assert_int_equal(got.kind, CRIT_PARTICIPANT_TRADER);
    assert_int_equal(crit_stockpile_participant_get(&got, s, 3), CRIT_ERANGE);
    crit_stockpile_free(s);

    /* 3 months of members' net imports: 3 / 12 * 1100 = 275 t */
    s = new_stockpile(w, 0);
    ga_def(&m);
    m.target_unit = CRIT_TARGET_MONTHS_OF_IMPORTS;
    m.target = 3;
    assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_OK);
    assert_int_equal(crit_stockpile_target_t(&t, s, 0), CRIT_OK);
    near(t, 275, 1e-15);
    crit_stockpile_mineral_def back;
    crit_stockpile_mineral_def_init(&back);
    assert_int_equal(crit_stockpile_mineral_get(&back, s, 0), CRIT_OK);
    assert_string_equal(back.mineral, "Ga");
    assert_true(back.target == 3);
    assert_int_equal(back.target_unit, CRIT_TARGET_MONTHS_OF_IMPORTS);
    crit_stockpile_free(s);

    /* members that export on balance have no net imports: for Sb, USA
       produces 500 t/yr and uses 100, so 3 months of max(0, 100 - 500)
       is 0 t, not -100 */
    crit_curve_def c;
    crit_curve_def_init(&c);
    c.base_production_t_per_yr = 500;
    c.capacity_t_per_yr = 1000;
    c.base_demand_t_per_yr = 100;
    assert_int_equal(crit_world_set_curve(w, "USA", "Sb", &c), CRIT_OK);
    s = new_stockpile(w, 0);
    ga_def(&m);
    m.mineral = "Sb";
    m.target_unit = CRIT_TARGET_MONTHS_OF_IMPORTS;
    m.target = 3;
    assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_OK);
    t = -1;
    assert_int_equal(crit_stockpile_target_t(&t, s, 0), CRIT_OK);
    near(t, 0, 0);
    crit_stockpile_free(s);

    /* the same 275 t with a capacity of 150 t: the agent aims at the
       capacity, so from J = 99 it buys the 51 t of room, not amax dt */
    s = new_stockpile(w, 0);
    ga_def(&m);
    m.capacity_t = 150;
    m.target_unit = CRIT_TARGET_MONTHS_OF_IMPORTS;
    m.target = 3;
    assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_OK);
    assert_int_equal(crit_stockpile_target_t(&t, s, 0), CRIT_OK);
    near(t, 275, 1e-15);
    crit_market_agent_def a;
    crit_market_agent_def_init(&a);
    assert_int_equal(crit_stockpile_market_agent(&a, s, 0, 1e9, 1.0 / 12),
                     CRIT_OK);
    near(a.target_t, 150, 0);
    double q = -1;
    assert_int_equal(crit_stockpile_purchase(&q, s, 0, 900, 1e9, 1.0 / 12),
                     CRIT_OK);
    near(q, 51, 1e-15);
    crit_stockpile_free(s);
    crit_world_free(w);
}

static void test_stockpile_agent_curves(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_stockpile *s = new_stockpile(w, 0);
    crit_stockpile_mineral_def m;
    ga_def(&m);
    assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_OK);
    double dt = 1.0 / 12, q = -1;
    /* J = 100 * (1 - 0.01) = 99; room to target 401; amax dt = 100 */
    crit_market_agent_def a;
    crit_market_agent_def_init(&a);
    assert_int_equal(crit_stockpile_market_agent(&a, s, 0, 7, dt), CRIT_OK);
    near(a.inventory_t, 99, 1e-15);
    near(a.target_t, 500, 0);
    near(a.capacity_t, 1000, 0);
    near(a.minimum_t, 20, 0);
    near(a.acquisition_rate_t_per_yr, 1200, 0);
    near(a.release_rate_t_per_yr, 600, 0);
    near(a.purchase_trigger_usd_per_t, 1000, 0);
    near(a.release_trigger_usd_per_t, 1500, 0);
    near(a.smoothing, 0.1, 0);
    near(a.cash_usd, 7, 0);
    assert_int_equal(crit_stockpile_purchase(&q, s, 0, 900, 1e9, dt), CRIT_OK);
    near(q, 100, 1e-15);
    /* halfway up the ramp B..1.1B: half */
    assert_int_equal(crit_stockpile_purchase(&q, s, 0, 1050, 1e9, dt), CRIT_OK);
    near(q, 50, 1e-12);
    assert_int_equal(crit_stockpile_purchase(&q, s, 0, 1100, 1e9, dt), CRIT_OK);
    near(q, 0, 0);
    /* cash limit: 45,000 / 900 = 50 t */
    assert_int_equal(crit_stockpile_purchase(&q, s, 0, 900, 45000, dt),
                     CRIT_OK);
    near(q, 50, 1e-15);
    /* no cash: nothing, even at a price of 0 */
    q = -1;
    assert_int_equal(crit_stockpile_purchase(&q, s, 0, 0, 0, dt), CRIT_OK);
    near(q, 0, 0);
    /* release: cap min(50, 99 - 20) = 50; ramp 1500..1650 */
    assert_int_equal(crit_stockpile_release(&q, s, 0, 1500, dt), CRIT_OK);
    near(q, 0, 0);
    assert_int_equal(crit_stockpile_release(&q, s, 0, 1575, dt), CRIT_OK);
    near(q, 25, 1e-12);
    assert_int_equal(crit_stockpile_release(&q, s, 0, 2000, dt), CRIT_OK);
    near(q, 50, 1e-15);
    /* near the strategic minimum: J = 30 * 0.99 = 29.7 leaves 9.7 t above
       Imin = 20; at J = 19.8, below it, nothing */
    for (int k = 0; k < 2; k++) {
        crit_stockpile *low = new_stockpile(w, 0);
        crit_stockpile_mineral_def lm;
        ga_def(&lm);
        lm.inventory_t = k == 0 ? 30 : 20;
        assert_int_equal(crit_stockpile_add_mineral(low, &lm), CRIT_OK);
        assert_int_equal(crit_stockpile_release(&q, low, 0, 2000, dt), CRIT_OK);
        near(q, k == 0 ? 9.7 : 0, k == 0 ? 1e-14 : 0);
        crit_stockpile_free(low);
    }
    /* B = 0: w_buy(0) = 1 (p <= B), so at a price of 0 it buys its cap
       min(amax dt, Itarget - J) = min(100, 401) = 100 */
    {
        crit_stockpile *free_buyer = new_stockpile(w, 0);
        crit_stockpile_mineral_def bm;
        ga_def(&bm);
        bm.purchase_trigger_usd_per_t = 0;
        assert_int_equal(crit_stockpile_add_mineral(free_buyer, &bm), CRIT_OK);
        assert_int_equal(crit_stockpile_purchase(&q, free_buyer, 0, 0, 1e9, dt),
                         CRIT_OK);
        near(q, 100, 1e-15);
        crit_stockpile_free(free_buyer);
    }
    /* a disruption: no purchases, release above Temerg = P0 = 1000 */
    assert_int_equal(crit_stockpile_set_disruption(s, 0, 1), CRIT_OK);
    assert_int_equal(crit_stockpile_disrupted(s, 0), 1);
    assert_int_equal(crit_stockpile_purchase(&q, s, 0, 0, 1e9, dt), CRIT_OK);
    near(q, 0, 0);
    assert_int_equal(crit_stockpile_release(&q, s, 0, 1050, dt), CRIT_OK);
    near(q, 25, 1e-12);
    assert_int_equal(crit_stockpile_market_agent(&a, s, 0, 7, dt), CRIT_OK);
    near(a.purchase_trigger_usd_per_t, 0, 0);
    near(a.acquisition_rate_t_per_yr, 0, 0);
    near(a.release_trigger_usd_per_t, 1000, 0);
    a.size = 8;
    assert_int_equal(crit_stockpile_market_agent(&a, s, 0, 7, dt), CRIT_EINVAL);
    assert_int_equal(crit_stockpile_set_disruption(s, 0, 2), CRIT_EINVAL);
    assert_int_equal(crit_stockpile_set_disruption(s, 0, 0), CRIT_OK);
    crit_stockpile_free(s);
    crit_world_free(w);
}

/* Wide ramps whose tops B (1 + sigma) and T (1 + sigma) are beyond a
 * double: the weights are still MODEL.md's linear ones, w_buy(p) =
 * (B (1 + sigma) - p) / (B sigma) and w_rel(p) = (p - T) / (T sigma).
 * Ga with sigma 1e306, J = 99, room 401, amax dt = 100:
 *   p 1500, cash 1e9:   w = 1 - 500 / 1e309, 1 to a double; buy 100
 *   p 1e308, cash 1e308: cash / p = 1 t; w = 1 - (1e308 - 1000) / 1e309
 *                        = 0.9 + 1e-306; buy 0.9 t                    */
static void test_stockpile_ramps_beyond_a_double(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_stockpile *s = new_stockpile(w, 0);
    crit_stockpile_mineral_def m;
    ga_def(&m);
    m.smoothing = 1e306;
    assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_OK);
    double dt = 1.0 / 12, q = -1;
    assert_int_equal(crit_stockpile_purchase(&q, s, 0, 1500, 1e9, dt), CRIT_OK);
    near(q, 100, 1e-15);
    assert_int_equal(crit_stockpile_purchase(&q, s, 0, 1e308, 1e308, dt),
                     CRIT_OK);
    near(q, 0.9, 1e-15);
    /* below the trigger the ramp plays no part */
    assert_int_equal(crit_stockpile_purchase(&q, s, 0, 1000, 1e9, dt), CRIT_OK);
    near(q, 100, 1e-15);
    /* the release's ramp from T = 1500 to T (1 + sigma), beyond a double:
       w = (p - T) / (T sigma); at 1.5e308, 0.1 of min(gmax dt = 50,
       J - Imin = 79), 5 t (before, 0: (p - T) / inf) */
    assert_int_equal(crit_stockpile_release(&q, s, 0, 1.5e308, dt), CRIT_OK);
    near(q, 5, 1e-15);
    assert_int_equal(crit_stockpile_release(&q, s, 0, 1500, dt), CRIT_OK);
    assert_true(q == 0);
    crit_stockpile_free(s);
    crit_world_free(w);
}

static crit_stockpile *full_stockpile(crit_world *w);

/* Finite amounts whose sum or product is not: refused by name, and the
 * stockpile (its cash above all) unchanged. */
static void test_stockpile_cash_stays_finite(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_stockpile *s = full_stockpile(w);
    assert_int_equal(crit_stockpile_add_cash(s, 1.7e308), CRIT_OK);
    REFUSED(s, crit_stockpile_add_cash(s, 1e308), CRIT_EINVAL,
            "stockpile 'vault'", "cash change 1e+308", "beyond a double");
    /* 500 t at 1e306 USD/t: 5e308 USD */
    REFUSED(s, crit_stockpile_settle(NULL, s, 0, 1e306, 500, 0, 1.0 / 12),
            CRIT_EINVAL, "stockpile 'vault'", "beyond a double");
    /* a trader's fee of 1e308 a year over a period of 10 years */
    crit_participant_def p;
    crit_participant_def_init(&p);
    p.name = "rich";
    p.kind = CRIT_PARTICIPANT_TRADER;
    p.annual_fee_usd_per_yr = 1e308;
    assert_int_equal(crit_stockpile_add_participant(NULL, s, &p), CRIT_OK);
    REFUSED(s, crit_stockpile_collect_fees(NULL, s, 1, 10), CRIT_EINVAL,
            "stockpile 'vault'", "fees", "beyond a double");
    /* a draw of 20 t at an agreed price of 1e307 USD/t: 2e308 USD */
    crit_participant_def_init(&p);
    p.name = "firm";
    p.mineral = "Ga";
    p.draw_right_t = 30;
    p.draw_price_usd_per_t = 1e307;
    size_t k = 0;
    assert_int_equal(crit_stockpile_add_participant(&k, s, &p), CRIT_OK);
    assert_int_equal(crit_stockpile_set_disruption(s, 0, 1), CRIT_OK);
    REFUSED(s, crit_stockpile_settle_participant(NULL, s, k, 20, 0),
            CRIT_EINVAL, "stockpile 'vault'", "beyond a double");
    crit_stockpile_free(s);
    crit_world_free(w);
}

/* Three monthly periods with losses of 1 % a month and holding cost of
 * 12 USD/t/yr (1 USD/t a month on the opening inventory):
 *   t0: I 100, buy 100 at 900     -> I 199,     cash 1e5 - 90000 - 100
 *   t1: I 199, release 50 at 2000 -> I 147.01,  cash + 100000 - 199
 *   t2: I 147.01, nothing         -> I 145.5399, cash - 147.01        */
static void test_stockpile_settle_sequence(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_stockpile *s = new_stockpile(w, 1e5);
    crit_stockpile_mineral_def m;
    ga_def(&m);
    assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_OK);
    double dt = 1.0 / 12;
    crit_stockpile_flows f;
    assert_int_equal(crit_stockpile_settle(&f, s, 0, 900, 100, 0, dt), CRIT_OK);
    near(f.lost_t, 1, 1e-15);
    near(f.closing_t, 199, 1e-15);
    near(f.purchase_usd, 90000, 1e-15);
    near(f.holding_usd, 100, 1e-15);
    near(crit_stockpile_cash(s), 1e5 - 90000 - 100, 1e-15);
    /* the definition read back carries the current inventory, not the
       opening 100 t */
    crit_stockpile_mineral_def back;
    crit_stockpile_mineral_def_init(&back);
    assert_int_equal(crit_stockpile_mineral_get(&back, s, 0), CRIT_OK);
    near(back.inventory_t, 199, 1e-15);
    near(back.capacity_t, 1000, 0);
    assert_int_equal(crit_stockpile_settle(&f, s, 0, 2000, 0, 50, dt), CRIT_OK);
    near(f.closing_t, 199 * 0.99 - 50, 1e-14);
    near(f.sales_usd, 100000, 1e-15);
    near(crit_stockpile_cash(s), 9900 + 100000 - 199, 1e-14);
    assert_int_equal(crit_stockpile_settle(&f, s, 0, 1000, 0, 0, dt), CRIT_OK);
    double I = 0;
    assert_int_equal(crit_stockpile_inventory_t(&I, s, 0), CRIT_OK);
    near(I, 147.01 * 0.99, 1e-14);
    near(crit_stockpile_cash(s), 109701 - 147.01, 1e-14);
    /* a release above what is left, or an inventory above capacity */
    assert_int_equal(crit_stockpile_settle(NULL, s, 0, 1000, 0, 146, dt),
                     CRIT_EINVAL);
    assert_int_equal(crit_stockpile_settle(NULL, s, 0, 1000, 900, 0, dt),
                     CRIT_EINVAL);
    assert_int_equal(crit_stockpile_inventory_t(&I, s, 0), CRIT_OK);
    near(I, 147.01 * 0.99, 1e-14);
    crit_stockpile_free(s);
    crit_world_free(w);
}

/* Fees: two firms (upfront 1000 and 500, annual 1200 and 0) and a trader
 * (annual 600): period 0 collects 1500 + (1200 + 600) / 12 = 1650, later
 * periods 150. */
static void test_stockpile_fees(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_stockpile *s = new_stockpile(w, 0);
    crit_stockpile_mineral_def m;
    ga_def(&m);
    assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_OK);
    crit_participant_def p;
    crit_participant_def_init(&p);
    p.name = "A";
    p.mineral = "Ga";
    p.upfront_fee_usd = 1000;
    p.annual_fee_usd_per_yr = 1200;
    assert_int_equal(crit_stockpile_add_participant(NULL, s, &p), CRIT_OK);
    crit_participant_def_init(&p);
    p.name = "B";
    p.upfront_fee_usd = 500;
    assert_int_equal(crit_stockpile_add_participant(NULL, s, &p), CRIT_OK);
    crit_participant_def_init(&p);
    p.name = "T";
    p.kind = CRIT_PARTICIPANT_TRADER;
    p.annual_fee_usd_per_yr = 600;
    assert_int_equal(crit_stockpile_add_participant(NULL, s, &p), CRIT_OK);
    double f = 0, dt = 1.0 / 12;
    assert_int_equal(crit_stockpile_collect_fees(&f, s, 0, dt), CRIT_OK);
    near(f, 1650, 1e-15);
    for (int t = 1; t < 12; t++) {
        assert_int_equal(crit_stockpile_collect_fees(&f, s, t, dt), CRIT_OK);
        near(f, 150, 1e-15);
    }
    /* a year: 1500 upfront + 1800 annual */
    near(crit_stockpile_cash(s), 3300, 1e-13);
    assert_int_equal(crit_stockpile_collect_fees(&f, s, -1, dt), CRIT_EINVAL);
    crit_stockpile_free(s);
    crit_world_free(w);
}

/* A firm with a draw right of 30 t at 800 USD/t, at most 240 t/yr (20 a
 * month), committed to replenish at 120 t/yr (10 a month). */
static void test_stockpile_draw_rights(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_stockpile *s = new_stockpile(w, 0);
    crit_stockpile_mineral_def m;
    ga_def(&m);
    m.loss_rate_per_yr = 0;
    assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_OK);
    crit_participant_def p;
    crit_participant_def_init(&p);
    p.name = "maker";
    p.mineral = "Ga";
    p.draw_right_t = 30;
    p.draw_rate_t_per_yr = 240;
    assert_int_equal(crit_stockpile_add_participant(NULL, s, &p), CRIT_EINVAL);
    p.draw_price_usd_per_t = 800;
    p.replenish_rate_t_per_yr = 120;
    assert_int_equal(crit_stockpile_add_participant(NULL, s, &p), CRIT_OK);
    double dt = 1.0 / 12, d, r, cash;
    assert_int_equal(crit_stockpile_participant_caps(&d, &r, s, 0, dt),
                     CRIT_OK);
    near(d, 0, 0);
    near(r, 0, 0);
    assert_int_equal(crit_stockpile_settle_participant(NULL, s, 0, 1, 0),
                     CRIT_EINVAL); /* no disruption */
    assert_int_equal(crit_stockpile_set_disruption(s, 0, 1), CRIT_OK);
    assert_int_equal(crit_stockpile_participant_caps(&d, &r, s, 0, dt),
                     CRIT_OK);
    near(d, 20, 1e-15);
    crit_market_agent_def a;
    crit_market_agent_def_init(&a);
    assert_int_equal(crit_stockpile_participant_agent(&a, s, 0, dt), CRIT_OK);
    near(a.inventory_t, 20, 1e-15);
    near(a.release_rate_t_per_yr * dt, 20, 1e-14);
    near(a.release_trigger_usd_per_t, 800, 0);
    near(a.target_t, 0, 0);
    assert_int_equal(crit_stockpile_settle_participant(&cash, s, 0, 20, 0),
                     CRIT_OK);
    near(cash, 16000, 0);
    /* 10 t left of the right */
    assert_int_equal(crit_stockpile_participant_caps(&d, &r, s, 0, dt),
                     CRIT_OK);
    near(d, 10, 1e-15);
    assert_int_equal(crit_stockpile_settle_participant(NULL, s, 0, 11, 0),
                     CRIT_EINVAL);
    assert_int_equal(crit_stockpile_settle_participant(NULL, s, 0, 10, 0),
                     CRIT_OK);
    assert_int_equal(crit_stockpile_participant_caps(&d, &r, s, 0, dt),
                     CRIT_OK);
    near(d, 0, 0);
    size_t slot;
    double drawn, owed;
    assert_int_equal(
        crit_stockpile_participant_state(&slot, &drawn, &owed, s, 0), CRIT_OK);
    assert_int_equal(slot, 0);
    near(drawn, 30, 0);
    near(owed, 30, 0);
    /* the disruption ends: 10 t a month are returned, 800 refunded each */
    assert_int_equal(crit_stockpile_set_disruption(s, 0, 0), CRIT_OK);
    double I = 0, total = 24000;
    for (int t = 0; t < 3; t++) {
        assert_int_equal(crit_stockpile_participant_caps(&d, &r, s, 0, dt),
                         CRIT_OK);
        near(r, 10, 1e-14);
        assert_int_equal(crit_stockpile_participant_agent(&a, s, 0, dt),
                         CRIT_OK);
        near(a.target_t, 10, 1e-14);
        near(a.inventory_t, 0, 0);
        /* Pmax = 10 P0: it buys at any price up to Pmax / 1.001, and
           nothing at Pmax */
        near(a.purchase_trigger_usd_per_t, 10000 / 1.001, 1e-15);
        near(a.purchase_trigger_usd_per_t * (1 + a.smoothing), 10000, 1e-15);
        assert_int_equal(crit_stockpile_settle_participant(&cash, s, 0, 0, r),
                         CRIT_OK);
        near(cash, -8000, 1e-12);
        total += cash;
    }
    assert_int_equal(crit_stockpile_participant_caps(&d, &r, s, 0, dt),
                     CRIT_OK);
    near(r, 0, 1e-13);
    assert_int_equal(crit_stockpile_inventory_t(&I, s, 0), CRIT_OK);
    near(I, 100, 1e-13); /* every tonne back */
    near(crit_stockpile_cash(s), 0, 1e-9);
    near(total, 0, 1e-9);
    /* a new disruption renews the right */
    assert_int_equal(crit_stockpile_set_disruption(s, 0, 1), CRIT_OK);
    assert_int_equal(crit_stockpile_participant_caps(&d, NULL, s, 0, dt),
                     CRIT_OK);
    near(d, 20, 1e-15);
    crit_stockpile_free(s);
    crit_world_free(w);
}

/*
 * Two firms share one mineral's inventory and room in the order they were
 * added. Ga: I 10, Imax 20, target 20 t, no losses; each firm may draw
 * 8 t at once and returns at up to 100 t a month. In the disruption the
 * first may draw 8 t and the second the 2 t left (each alone would see
 * 8), and the stockpile's own agent sees none left; after it, returns
 * come out of the room below the capacity before the agent's purchases.
 */
static void test_stockpile_participants_share(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_stockpile *s = new_stockpile(w, 1e6);
    crit_stockpile_mineral_def m;
    ga_def(&m);
    m.inventory_t = 10;
    m.capacity_t = 20;
    m.minimum_t = 0;
    m.target = 20;
    m.loss_rate_per_yr = 0;
    assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_OK);
    crit_participant_def p;
    crit_participant_def_init(&p);
    p.mineral = "Ga";
    p.draw_right_t = 8;
    p.draw_price_usd_per_t = 800;
    p.replenish_rate_t_per_yr = 1200;
    p.name = "first";
    assert_int_equal(crit_stockpile_add_participant(NULL, s, &p), CRIT_OK);
    p.name = "second";
    assert_int_equal(crit_stockpile_add_participant(NULL, s, &p), CRIT_OK);
    double dt = 1.0 / 12, d0, d1, r0, r1, q;
    assert_int_equal(crit_stockpile_set_disruption(s, 0, 1), CRIT_OK);
    assert_int_equal(crit_stockpile_participant_caps(&d0, &r0, s, 0, dt),
                     CRIT_OK);
    assert_int_equal(crit_stockpile_participant_caps(&d1, &r1, s, 1, dt),
                     CRIT_OK);
    near(d0, 8, 0);
    near(d1, 2, 0);
    crit_market_agent_def a;
    crit_market_agent_def_init(&a);
    assert_int_equal(crit_stockpile_participant_agent(&a, s, 1, dt), CRIT_OK);
    near(a.inventory_t, 2, 0);
    assert_int_equal(crit_stockpile_market_agent(&a, s, 0, 1e6, dt), CRIT_OK);
    near(a.inventory_t, 0, 0); /* the rights come first */
    /* both draw in full: the inventory holds them */
    assert_int_equal(crit_stockpile_settle(NULL, s, 0, 2000, 0, 0, dt),
                     CRIT_OK);
    assert_int_equal(crit_stockpile_settle_participant(NULL, s, 0, d0, 0),
                     CRIT_OK);
    assert_int_equal(crit_stockpile_settle_participant(NULL, s, 1, d1, 0),
                     CRIT_OK);
    double I;
    assert_int_equal(crit_stockpile_inventory_t(&I, s, 0), CRIT_OK);
    near(I, 0, 0);
    /* after the disruption the stockpile buys 15 t on its own: the room
       left (5 t) goes to the first firm, the second waits */
    assert_int_equal(crit_stockpile_set_disruption(s, 0, 0), CRIT_OK);
    assert_int_equal(crit_stockpile_settle(NULL, s, 0, 500, 15, 0, dt),
                     CRIT_OK);
    assert_int_equal(crit_stockpile_participant_caps(&d0, &r0, s, 0, dt),
                     CRIT_OK);
    assert_int_equal(crit_stockpile_participant_caps(&d1, &r1, s, 1, dt),
                     CRIT_OK);
    near(r0, 5, 0);
    near(r1, 0, 0);
    /* and its own agent buys nothing more: its target less the returns
       is what it holds */
    assert_int_equal(crit_stockpile_market_agent(&a, s, 0, 1e6, dt), CRIT_OK);
    near(a.target_t, 15, 0);
    assert_int_equal(crit_stockpile_purchase(&q, s, 0, 500, 1e6, dt), CRIT_OK);
    near(q, 0, 0);
    assert_int_equal(crit_stockpile_settle(NULL, s, 0, 500, q, 0, dt), CRIT_OK);
    assert_int_equal(crit_stockpile_settle_participant(NULL, s, 0, 0, r0),
                     CRIT_OK);
    assert_int_equal(crit_stockpile_inventory_t(&I, s, 0), CRIT_OK);
    near(I, 20, 0);
    /* full: nobody may return more until the stockpile releases */
    assert_int_equal(crit_stockpile_participant_caps(&d0, &r0, s, 0, dt),
                     CRIT_OK);
    assert_int_equal(crit_stockpile_participant_caps(&d1, &r1, s, 1, dt),
                     CRIT_OK);
    near(r0, 0, 0);
    near(r1, 0, 0);
    crit_stockpile_free(s);
    crit_world_free(w);
}

/* A disruption with an emergency trigger given (1200, not P0 = 1000):
 * the release ramp runs from 1200 to 1200 (1 + 0.1) = 1320. J = 99, cap
 * min(gmax dt = 50, J - Imin = 79) = 50: nothing at 1100 (which is above
 * P0 (1 + sigma) = 1100, where the default trigger would release all 50),
 * half of 50 at 1260, all of it at 1320. */
static void test_stockpile_emergency_trigger_given(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_stockpile *s = new_stockpile(w, 0);
    crit_stockpile_mineral_def m;
    ga_def(&m);
    m.emergency_trigger_usd_per_t = 1200;
    assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_OK);
    double dt = 1.0 / 12, q = -1;
    assert_int_equal(crit_stockpile_set_disruption(s, 0, 1), CRIT_OK);
    crit_market_agent_def a;
    crit_market_agent_def_init(&a);
    assert_int_equal(crit_stockpile_market_agent(&a, s, 0, 7, dt), CRIT_OK);
    near(a.release_trigger_usd_per_t, 1200, 0);
    assert_int_equal(crit_stockpile_release(&q, s, 0, 1100, dt), CRIT_OK);
    near(q, 0, 0);
    assert_int_equal(crit_stockpile_release(&q, s, 0, 1260, dt), CRIT_OK);
    near(q, 25, 1e-12);
    assert_int_equal(crit_stockpile_release(&q, s, 0, 1320, dt), CRIT_OK);
    near(q, 50, 1e-15);
    /* after it, the ordinary trigger T = 1500 again */
    assert_int_equal(crit_stockpile_set_disruption(s, 0, 0), CRIT_OK);
    assert_int_equal(crit_stockpile_release(&q, s, 0, 1320, dt), CRIT_OK);
    near(q, 0, 0);
    crit_stockpile_free(s);
    crit_world_free(w);
}

/* A scenario declares a disruption again every period it lasts: only its
 * start renews the right. A firm with a right of 30 t, 20 t a month, and
 * no commitment to replenish draws 20 t; declared again, 10 t are left of
 * the right; it owes nothing back (no commitment). Ended and declared
 * anew, the whole right again: 20 t this month. */
static void test_stockpile_disruption_declared_each_period(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_stockpile *s = new_stockpile(w, 0);
    crit_stockpile_mineral_def m;
    ga_def(&m);
    m.loss_rate_per_yr = 0;
    assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_OK);
    add_maker(s, 30, 240, 0);
    double dt = 1.0 / 12, d = -1, r = -1, drawn = -1, owed = -1;
    assert_int_equal(crit_stockpile_set_disruption(s, 0, 1), CRIT_OK);
    assert_int_equal(crit_stockpile_participant_caps(&d, &r, s, 0, dt),
                     CRIT_OK);
    near(d, 20, 1e-15);
    assert_int_equal(crit_stockpile_settle_participant(NULL, s, 0, 20, 0),
                     CRIT_OK);
    assert_int_equal(crit_stockpile_set_disruption(s, 0, 1), CRIT_OK);
    assert_int_equal(crit_stockpile_participant_caps(&d, &r, s, 0, dt),
                     CRIT_OK);
    near(d, 10, 1e-15);
    assert_int_equal(
        crit_stockpile_participant_state(NULL, &drawn, &owed, s, 0), CRIT_OK);
    near(drawn, 20, 0);
    near(owed, 0, 0);
    assert_int_equal(crit_stockpile_set_disruption(s, 0, 0), CRIT_OK);
    assert_int_equal(crit_stockpile_participant_caps(&d, &r, s, 0, dt),
                     CRIT_OK);
    near(d, 0, 0);
    near(r, 0, 0); /* nothing to return */
    assert_int_equal(crit_stockpile_set_disruption(s, 0, 1), CRIT_OK);
    assert_int_equal(crit_stockpile_participant_caps(&d, &r, s, 0, dt),
                     CRIT_OK);
    near(d, 20, 1e-15);
    assert_int_equal(crit_stockpile_participant_state(NULL, &drawn, NULL, s, 0),
                     CRIT_OK);
    near(drawn, 0, 0);
    crit_stockpile_free(s);
    crit_world_free(w);
}

/* Returns above the stockpile's own target: the agent's target is the
 * target less the returns, but never below 0. Ga: I 10, target 5 t, no
 * losses; a firm draws its 8 t in a disruption and returns up to 100 t a
 * month after it: this month the 8 t it owes, so the agent's target is
 * max(5 - 8, 0) = 0 and it buys nothing. */
static void test_stockpile_returns_above_target(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_stockpile *s = new_stockpile(w, 1e6);
    crit_stockpile_mineral_def m;
    ga_def(&m);
    m.inventory_t = 10;
    m.minimum_t = 0;
    m.target = 5;
    m.loss_rate_per_yr = 0;
    assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_OK);
    add_maker(s, 8, 0, 1200);
    double dt = 1.0 / 12, d = -1, r = -1, q = -1;
    assert_int_equal(crit_stockpile_set_disruption(s, 0, 1), CRIT_OK);
    assert_int_equal(crit_stockpile_settle_participant(NULL, s, 0, 8, 0),
                     CRIT_OK);
    assert_int_equal(crit_stockpile_set_disruption(s, 0, 0), CRIT_OK);
    assert_int_equal(crit_stockpile_participant_caps(&d, &r, s, 0, dt),
                     CRIT_OK);
    near(r, 8, 0);
    crit_market_agent_def a;
    crit_market_agent_def_init(&a);
    assert_int_equal(crit_stockpile_market_agent(&a, s, 0, 1e6, dt), CRIT_OK);
    near(a.inventory_t, 2, 0);
    near(a.target_t, 0, 0);
    assert_int_equal(crit_stockpile_purchase(&q, s, 0, 500, 1e6, dt), CRIT_OK);
    near(q, 0, 0);
    crit_stockpile_free(s);
    crit_world_free(w);
}

static void test_stockpile_copy_is_independent(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_stockpile *s = new_stockpile(w, 10);
    crit_stockpile_mineral_def m;
    ga_def(&m);
    assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_OK);
    crit_participant_def p;
    crit_participant_def_init(&p);
    p.name = "A";
    assert_int_equal(crit_stockpile_add_participant(NULL, s, &p), CRIT_OK);
    crit_stockpile *c = NULL;
    assert_int_equal(crit_stockpile_copy(&c, s), CRIT_OK);
    crit_world_free(w); /* the stockpiles keep it alive */
    assert_int_equal(crit_stockpile_settle(NULL, c, 0, 100, 10, 0, 1.0 / 12),
                     CRIT_OK);
    double a, b;
    crit_stockpile_inventory_t(&a, s, 0);
    crit_stockpile_inventory_t(&b, c, 0);
    near(a, 100, 0);
    near(b, 109, 1e-15);
    near(crit_stockpile_cash(s), 10, 0);
    near(crit_stockpile_cash(c), 10 - 1000 - 100, 1e-15);
    /* the copy grows on its own: a second mineral in it, not in s */
    crit_stockpile_mineral_def sb;
    ga_def(&sb);
    sb.mineral = "Sb";
    sb.inventory_t = 7;
    assert_int_equal(crit_stockpile_add_mineral(c, &sb), CRIT_OK);
    assert_int_equal(crit_stockpile_mineral_count(c), 2);
    assert_int_equal(crit_stockpile_mineral_count(s), 1);
    crit_stockpile_inventory_t(&b, c, 1);
    near(b, 7, 0);
    crit_stockpile_inventory_t(&b, c, 0);
    near(b, 109, 1e-15);
    crit_stockpile_free(s);
    crit_participant_def got;
    crit_participant_def_init(&got);
    assert_int_equal(crit_stockpile_participant_get(&got, c, 0), CRIT_OK);
    assert_string_equal(got.name, "A");
    crit_stockpile_free(c);
}

/* A strategic minimum above the opening inventory is within its range
 * [0, capacity]: accepted, and the agent releases nothing while J = 99 t
 * is below Imin = 500 t. */
static void test_stockpile_minimum_above_inventory(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_stockpile *s = new_stockpile(w, 0);
    crit_stockpile_mineral_def m;
    ga_def(&m);
    m.minimum_t = 500;
    assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_OK);
    crit_stockpile_mineral_def back;
    crit_stockpile_mineral_def_init(&back);
    assert_int_equal(crit_stockpile_mineral_get(&back, s, 0), CRIT_OK);
    near(back.minimum_t, 500, 0);
    double q = -1;
    assert_int_equal(crit_stockpile_release(&q, s, 0, 2000, 1.0 / 12), CRIT_OK);
    near(q, 0, 0);
    crit_stockpile_free(s);
    crit_world_free(w);
}

/* A release above what is left after losses, within the settlement's
 * relative slack of 1e-9: the release is what was left (100 t with no
 * losses), the closing inventory 0 and the sales p * 100. */
static void test_stockpile_release_within_slack(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_stockpile *s = new_stockpile(w, 0);
    crit_stockpile_mineral_def m;
    ga_def(&m);
    m.minimum_t = 0;
    m.loss_rate_per_yr = 0;
    assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_OK);
    double dt = 1.0 / 12;
    crit_stockpile_flows f;
    assert_int_equal(
        crit_stockpile_settle(&f, s, 0, 2000, 0, 100 * (1 + 1e-10), dt),
        CRIT_OK);
    near(f.released_t, 100, 0);
    near(f.closing_t, 0, 0);
    near(f.sales_usd, 200000, 0);
    /* holding 12 USD/t/yr on the opening 100 t for a month: 100 */
    near(f.cash_change_usd, 200000 - 100, 1e-15);
    near(crit_stockpile_cash(s), 200000 - 100, 1e-15);
    crit_stockpile_free(s);
    crit_world_free(w);
}

/* Firms of two minerals: each reads back its own mineral, and each
 * shares only its own mineral's inventory. Sb (slot 1) and Ga (slot 0)
 * both hold 10 t with no losses; the Sb firm, added first, has a right
 * of 8 t, the Ga firm too: in a disruption of both, each may draw 8 t
 * (the Sb firm's draw does not come out of Ga). */
static void test_stockpile_participants_of_two_minerals(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_stockpile *s = new_stockpile(w, 1e6);
    crit_stockpile_mineral_def m;
    const char *codes[] = {"Ga", "Sb"};
    for (int k = 0; k < 2; k++) {
        ga_def(&m);
        m.mineral = codes[k];
        m.inventory_t = 10;
        m.capacity_t = 20;
        m.minimum_t = 0;
        m.target = 20;
        m.loss_rate_per_yr = 0;
        assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_OK);
    }
    crit_participant_def p;
    crit_participant_def_init(&p);
    p.draw_right_t = 8;
    p.draw_price_usd_per_t = 800;
    p.name = "sb firm";
    p.mineral = "Sb";
    assert_int_equal(crit_stockpile_add_participant(NULL, s, &p), CRIT_OK);
    p.name = "ga firm";
    p.mineral = "Ga";
    assert_int_equal(crit_stockpile_add_participant(NULL, s, &p), CRIT_OK);
    crit_participant_def got;
    crit_participant_def_init(&got);
    assert_int_equal(crit_stockpile_participant_get(&got, s, 0), CRIT_OK);
    assert_string_equal(got.name, "sb firm");
    assert_string_equal(got.mineral, "Sb");
    assert_int_equal(crit_stockpile_participant_get(&got, s, 1), CRIT_OK);
    assert_string_equal(got.mineral, "Ga");
    size_t slot = 9;
    assert_int_equal(crit_stockpile_participant_state(&slot, NULL, NULL, s, 0),
                     CRIT_OK);
    assert_int_equal(slot, 1);
    double dt = 1.0 / 12, d0 = -1, d1 = -1, r0 = -1, r1 = -1;
    assert_int_equal(crit_stockpile_set_disruption(s, 0, 1), CRIT_OK);
    assert_int_equal(crit_stockpile_set_disruption(s, 1, 1), CRIT_OK);
    assert_int_equal(crit_stockpile_participant_caps(&d0, &r0, s, 0, dt),
                     CRIT_OK);
    assert_int_equal(crit_stockpile_participant_caps(&d1, &r1, s, 1, dt),
                     CRIT_OK);
    near(d0, 8, 0);
    near(d1, 8, 0);
    near(r0, 0, 0);
    near(r1, 0, 0);
    crit_market_agent_def a;
    crit_market_agent_def_init(&a);
    assert_int_equal(crit_stockpile_participant_agent(&a, s, 1, dt), CRIT_OK);
    near(a.inventory_t, 8, 0);
    /* and the Ga agent sees J less the Ga firm's 8 t only: 2 t */
    assert_int_equal(crit_stockpile_market_agent(&a, s, 0, 1e6, dt), CRIT_OK);
    near(a.inventory_t, 2, 0);
    crit_stockpile_free(s);
    crit_world_free(w);
}

/* The stockpile of the refusal tests: "vault" at USA with 5000 USD, Ga
 * (ga_def) in slot 0, a firm "maker" with a draw right on Ga (30 t at
 * 800 USD/t, 240 t/yr, replenishing at 120 t/yr) and a trader "T". */
static crit_stockpile *full_stockpile(crit_world *w)
{
    crit_stockpile *s = new_stockpile(w, 5000);
    crit_stockpile_mineral_def m;
    ga_def(&m);
    assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_OK);
    crit_participant_def p;
    crit_participant_def_init(&p);
    p.name = "maker";
    p.mineral = "Ga";
    p.demand_t_per_yr = 365;
    p.annual_fee_usd_per_yr = 120;
    p.draw_right_t = 30;
    p.draw_rate_t_per_yr = 240;
    p.draw_price_usd_per_t = 800;
    p.replenish_rate_t_per_yr = 120;
    assert_int_equal(crit_stockpile_add_participant(NULL, s, &p), CRIT_OK);
    crit_participant_def_init(&p);
    p.name = "T";
    p.kind = CRIT_PARTICIPANT_TRADER;
    p.annual_fee_usd_per_yr = 600;
    assert_int_equal(crit_stockpile_add_participant(NULL, s, &p), CRIT_OK);
    return s;
}

/* The getters' out-structs from a newer caller, larger than this
 * library's: filled with what an exact-size caller gets, the caller's
 * size kept and its tail (a field this library does not know) left
 * alone. */
static void test_stockpile_out_structs_of_a_newer_caller(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_stockpile *s = full_stockpile(w);
    double dt = 0.25;
    struct {
        crit_stockpile_mineral_def d;
        uint64_t later;
    } mb;
    crit_stockpile_mineral_def m;
    crit_stockpile_mineral_def_init(&m);
    crit_stockpile_mineral_def_init(&mb.d);
    mb.d.size = sizeof mb;
    mb.later = 0x5eed;
    assert_int_equal(crit_stockpile_mineral_get(&m, s, 0), CRIT_OK);
    assert_int_equal(crit_stockpile_mineral_get(&mb.d, s, 0), CRIT_OK);
    assert_int_equal(mb.d.size, sizeof mb);
    assert_int_equal(mb.later, 0x5eed);
    assert_string_equal(mb.d.mineral, "Ga");
    assert_true(mb.d.inventory_t == 100 && m.inventory_t == 100);
    assert_true(mb.d.capacity_t == 1000 && mb.d.minimum_t == 20);
    assert_true(mb.d.loss_rate_per_yr == m.loss_rate_per_yr &&
                m.loss_rate_per_yr == 0.12);

    struct {
        crit_participant_def d;
        uint64_t later;
    } pb;
    crit_participant_def_init(&pb.d);
    pb.d.size = sizeof pb;
    pb.later = 0x5eed;
    assert_int_equal(crit_stockpile_participant_get(&pb.d, s, 0), CRIT_OK);
    assert_int_equal(pb.d.size, sizeof pb);
    assert_int_equal(pb.later, 0x5eed);
    assert_string_equal(pb.d.name, "maker");
    assert_string_equal(pb.d.mineral, "Ga");
    assert_true(pb.d.replenish_rate_t_per_yr == 120);

    /* the agents a market takes: the stockpile's and a drawing firm's */
    struct {
        crit_market_agent_def d;
        uint64_t later;
    } ab;
    crit_market_agent_def a;
    crit_market_agent_def_init(&a);
    crit_market_agent_def_init(&ab.d);
    ab.d.size = sizeof ab;
    ab.later = 0x5eed;
    assert_int_equal(crit_stockpile_market_agent(&a, s, 0, 1e6, dt), CRIT_OK);
    assert_int_equal(crit_stockpile_market_agent(&ab.d, s, 0, 1e6, dt),
                     CRIT_OK);
    assert_int_equal(ab.d.size, sizeof ab);
    assert_int_equal(ab.later, 0x5eed);
    /* 100 t less a quarter's loss at 12 % a year */
    assert_true(ab.d.inventory_t == a.inventory_t &&
                a.inventory_t == 100 * (1 - 0.12 * dt));
    assert_true(ab.d.release_trigger_usd_per_t == 1500 &&
                ab.d.cash_usd == 1e6 && ab.d.smoothing == 0.1);
    assert_int_equal(crit_stockpile_set_disruption(s, 0, 1), CRIT_OK);
    crit_market_agent_def_init(&a);
    crit_market_agent_def_init(&ab.d);
    ab.d.size = sizeof ab;
    assert_int_equal(crit_stockpile_participant_agent(&a, s, 0, dt), CRIT_OK);
    assert_int_equal(crit_stockpile_participant_agent(&ab.d, s, 0, dt),
                     CRIT_OK);
    assert_int_equal(ab.d.size, sizeof ab);
    assert_int_equal(ab.later, 0x5eed);
    /* its 30 t right, at up to 240 t/yr (60 t in a quarter) */
    assert_true(a.inventory_t == 30 && ab.d.inventory_t == 30);
    assert_true(ab.d.release_rate_t_per_yr == a.release_rate_t_per_yr &&
                a.release_rate_t_per_yr == 30 / dt);
    assert_true(ab.d.release_trigger_usd_per_t == 800);
    crit_stockpile_free(s);
    crit_world_free(w);
}

/* Every NULL pointer argument of every function: CRIT_EINVAL and a
 * message where a status is returned, the documented neutral value of a
 * getter, and an accepted NULL where an output is optional. */
static void test_stockpile_null_arguments(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_stockpile *s = full_stockpile(w);
    crit_stockpile_def d;
    crit_stockpile_def_init(&d);
    d.economy = "USA";
    crit_stockpile *out = (crit_stockpile *)&d;
    REFUSED(s, crit_stockpile_new(NULL, w, &d), CRIT_EINVAL, "NULL");
    REFUSED(s, crit_stockpile_new(&out, NULL, &d), CRIT_EINVAL, "NULL");
    REFUSED(s, crit_stockpile_new(&out, w, NULL), CRIT_EINVAL, "NULL");
    REFUSED(s, crit_stockpile_copy(NULL, s), CRIT_EINVAL, "NULL");
    REFUSED(s, crit_stockpile_copy(&out, NULL), CRIT_EINVAL, "NULL");
    assert_ptr_equal(out, &d);

    crit_stockpile_mineral_def m;
    ga_def(&m);
    m.mineral = "Sb";
    REFUSED(s, crit_stockpile_add_mineral(NULL, &m), CRIT_EINVAL, "NULL");
    REFUSED(s, crit_stockpile_add_mineral(s, NULL), CRIT_EINVAL, "NULL");
    crit_participant_def p;
    crit_participant_def_init(&p);
    p.name = "other";
    size_t idx = 77;
    REFUSED(s, crit_stockpile_add_participant(&idx, NULL, &p), CRIT_EINVAL,
            "NULL");
    REFUSED(s, crit_stockpile_add_participant(&idx, s, NULL), CRIT_EINVAL,
            "NULL");
    assert_int_equal(idx, 77);

    size_t slot = 77;
    REFUSED(s, crit_stockpile_mineral_slot(NULL, s, "Ga"), CRIT_EINVAL, "NULL");
    REFUSED(s, crit_stockpile_mineral_slot(&slot, NULL, "Ga"), CRIT_EINVAL,
            "NULL");
    REFUSED(s, crit_stockpile_mineral_slot(&slot, s, NULL), CRIT_EINVAL,
            "NULL");
    assert_int_equal(slot, 77);
    crit_stockpile_mineral_def_init(&m);
    REFUSED(s, crit_stockpile_mineral_get(NULL, s, 0), CRIT_EINVAL, "NULL");
    REFUSED(s, crit_stockpile_mineral_get(&m, NULL, 0), CRIT_EINVAL, "NULL");
    assert_null(m.mineral);
    crit_participant_def_init(&p);
    REFUSED(s, crit_stockpile_participant_get(NULL, s, 0), CRIT_EINVAL, "NULL");
    REFUSED(s, crit_stockpile_participant_get(&p, NULL, 0), CRIT_EINVAL,
            "NULL");
    assert_null(p.name);
    double v = -7, v2 = -7;
    REFUSED(s, crit_stockpile_target_t(NULL, s, 0), CRIT_EINVAL, "NULL");
    REFUSED(s, crit_stockpile_target_t(&v, NULL, 0), CRIT_EINVAL, "NULL");
    REFUSED(s, crit_stockpile_inventory_t(NULL, s, 0), CRIT_EINVAL, "NULL");
    REFUSED(s, crit_stockpile_inventory_t(&v, NULL, 0), CRIT_EINVAL, "NULL");
    REFUSED(s, crit_stockpile_add_cash(NULL, 1), CRIT_EINVAL, "NULL");
    double dt = 1.0 / 12;
    REFUSED(s, crit_stockpile_purchase(NULL, s, 0, 900, 1e6, dt), CRIT_EINVAL,
            "NULL");
    REFUSED(s, crit_stockpile_purchase(&v, NULL, 0, 900, 1e6, dt), CRIT_EINVAL,
            "NULL");
    REFUSED(s, crit_stockpile_release(NULL, s, 0, 2000, dt), CRIT_EINVAL,
            "NULL");
    REFUSED(s, crit_stockpile_release(&v, NULL, 0, 2000, dt), CRIT_EINVAL,
            "NULL");
    crit_market_agent_def a;
    crit_market_agent_def_init(&a);
    REFUSED(s, crit_stockpile_market_agent(NULL, s, 0, 10, dt), CRIT_EINVAL,
            "NULL");
    REFUSED(s, crit_stockpile_market_agent(&a, NULL, 0, 10, dt), CRIT_EINVAL,
            "NULL");
    REFUSED(s, crit_stockpile_participant_agent(NULL, s, 0, dt), CRIT_EINVAL,
            "NULL");
    REFUSED(s, crit_stockpile_participant_agent(&a, NULL, 0, dt), CRIT_EINVAL,
            "NULL");
    assert_true(a.inventory_t == 0 && a.release_trigger_usd_per_t == 0);
    REFUSED(s, crit_stockpile_settle(NULL, NULL, 0, 900, 0, 0, dt), CRIT_EINVAL,
            "NULL");
    REFUSED(s, crit_stockpile_collect_fees(&v, NULL, 0, dt), CRIT_EINVAL,
            "NULL");
    REFUSED(s, crit_stockpile_participant_caps(&v, &v2, NULL, 0, dt),
            CRIT_EINVAL, "NULL");
    REFUSED(s, crit_stockpile_settle_participant(&v, NULL, 0, 0, 0),
            CRIT_EINVAL, "NULL");
    REFUSED(s, crit_stockpile_set_disruption(NULL, 0, 1), CRIT_EINVAL, "NULL");
    REFUSED(s, crit_stockpile_participant_state(&slot, &v, &v2, NULL, 0),
            CRIT_EINVAL, "NULL");
    assert_true(v == -7 && v2 == -7 && slot == 77);

    /* getters: their documented neutral values */
    assert_null(crit_stockpile_name(NULL));
    assert_int_equal(crit_stockpile_economy(NULL), 0);
    assert_int_equal(crit_stockpile_mineral_count(NULL), 0);
    assert_int_equal(crit_stockpile_participant_count(NULL), 0);
    assert_true(crit_stockpile_cash(NULL) == 0);
    assert_int_equal(crit_stockpile_disrupted(NULL, 0), 0);
    assert_int_equal(crit_stockpile_disrupted(s, 1), 0); /* no such slot */

    /* optional outputs may be NULL: the call still does its work */
    sp_snap before;
    snap_take(&before, s);
    assert_int_equal(crit_stockpile_participant_state(NULL, NULL, NULL, s, 0),
                     CRIT_OK);
    assert_int_equal(crit_stockpile_participant_caps(NULL, NULL, s, 0, dt),
                     CRIT_OK);
    assert_int_equal(crit_stockpile_settle_participant(NULL, s, 0, 0, 0),
                     CRIT_OK);
    sp_snap after;
    snap_take(&after, s);
    assert_memory_equal(before.v, after.v, after.n * sizeof *after.v);
    assert_int_equal(crit_stockpile_add_participant(NULL, s, &p), CRIT_EINVAL);
    p.name = "late";
    assert_int_equal(crit_stockpile_add_participant(NULL, s, &p), CRIT_OK);
    assert_int_equal(crit_stockpile_participant_count(s), 3);
    /* 1 USD/t a month of holding on 100 t, 12 % a year of losses */
    assert_int_equal(crit_stockpile_settle(NULL, s, 0, 900, 10, 0, dt),
                     CRIT_OK);
    assert_int_equal(crit_stockpile_inventory_t(&v, s, 0), CRIT_OK);
    near(v, 109, 1e-15);
    near(crit_stockpile_cash(s), 5000 - 9000 - 100, 1e-15);
    /* fees: the maker's 10 a month, the trader's 50 */
    assert_int_equal(crit_stockpile_collect_fees(NULL, s, 1, dt), CRIT_OK);
    near(crit_stockpile_cash(s), 5000 - 9100 + 60, 1e-15);
    crit_stockpile_free(s);
    crit_world_free(w);
}

/* Definitions refused, each by name, the stockpile unchanged. */
static void test_stockpile_bad_definitions(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_stockpile *s = full_stockpile(w);
    crit_stockpile_def d;
    crit_stockpile_def_init(&d);
    d.name = "depot";
    crit_stockpile *out = NULL;
    REFUSED(s, crit_stockpile_new(&out, w, &d), CRIT_EINVAL,
            "stockpile 'depot': no economy given");
    d.economy = "USA";
    d.size = 8;
    REFUSED(s, crit_stockpile_new(&out, w, &d), CRIT_EINVAL,
            "stockpile definition: size 8");
    assert_null(out);

    crit_stockpile_mineral_def m;
    ga_def(&m);
    m.mineral = "Sb";
    m.size = 8;
    REFUSED(s, crit_stockpile_add_mineral(s, &m), CRIT_EINVAL,
            "stockpile mineral definition: size 8");
    ga_def(&m);
    m.mineral = NULL;
    REFUSED(s, crit_stockpile_add_mineral(s, &m), CRIT_EINVAL,
            "stockpile 'vault': no mineral given");
    struct {
        const char *field;
        double *at;
        double bad;
    } nums[] = {
        {"inventory", &m.inventory_t, -1},
        {"capacity", &m.capacity_t, NAN},
        {"minimum", &m.minimum_t, -5},
        {"target", &m.target, INFINITY},
        {"acquisition rate", &m.acquisition_rate_t_per_yr, -1},
        {"release rate", &m.release_rate_t_per_yr, NAN},
        {"purchase trigger", &m.purchase_trigger_usd_per_t, -1},
        {"release trigger", &m.release_trigger_usd_per_t, INFINITY},
        {"emergency trigger", &m.emergency_trigger_usd_per_t, -1},
        {"loss rate", &m.loss_rate_per_yr, -0.5},
    };
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) {
        ga_def(&m);
        m.mineral = "Sb";
        *nums[i].at = nums[i].bad;
        REFUSED(s, crit_stockpile_add_mineral(s, &m), CRIT_EINVAL,
                "stockpile 'vault' mineral 'Sb'", nums[i].field,
                "must be finite and >= 0");
    }
    ga_def(&m);
    m.mineral = "Sb";
    m.minimum_t = 1001;
    REFUSED(s, crit_stockpile_add_mineral(s, &m), CRIT_EINVAL,
            "mineral 'Sb': strategic minimum 1001 is above the capacity 1000");
    /* a capacity of 0 is refused as such, with nothing above it */
    ga_def(&m);
    m.mineral = "Sb";
    m.inventory_t = m.capacity_t = m.minimum_t = m.target = 0;
    REFUSED(s, crit_stockpile_add_mineral(s, &m), CRIT_EINVAL,
            "stockpile 'vault' mineral 'Sb': capacity 0 must be > 0");
    /* T below B: each value in its place */
    ga_def(&m);
    m.mineral = "Sb";
    m.release_trigger_usd_per_t = 900;
    REFUSED(s, crit_stockpile_add_mineral(s, &m), CRIT_EINVAL,
            "mineral 'Sb': release trigger 900 is not above the purchase "
            "trigger 1000");
    ga_def(&m);
    m.mineral = "Sb";
    m.smoothing = NAN;
    REFUSED(s, crit_stockpile_add_mineral(s, &m), CRIT_EINVAL,
            "mineral 'Sb': smoothing nan must be finite and > 0");

    crit_participant_def p;
    crit_participant_def_init(&p);
    p.name = "firm";
    p.size = 8;
    REFUSED(s, crit_stockpile_add_participant(NULL, s, &p), CRIT_EINVAL,
            "participant definition: size 8");
    crit_participant_def_init(&p);
    p.name = "";
    REFUSED(s, crit_stockpile_add_participant(NULL, s, &p), CRIT_EINVAL,
            "stockpile 'vault': a participant needs a name");
    p.name = "firm";
    p.mineral = "Xx";
    REFUSED(s, crit_stockpile_add_participant(NULL, s, &p), CRIT_ENOTFOUND,
            "'Xx'");
    p.mineral = NULL;
    p.draw_price_usd_per_t = NAN;
    REFUSED(s, crit_stockpile_add_participant(NULL, s, &p), CRIT_EINVAL,
            "participant 'firm': draw price nan must be finite and >= 0");
    /* a commitment to replenish is a term: it needs a mineral, and a
       trader may not make one */
    crit_participant_def_init(&p);
    p.name = "firm";
    p.replenish_rate_t_per_yr = 5;
    REFUSED(s, crit_stockpile_add_participant(NULL, s, &p), CRIT_EINVAL,
            "participant 'firm': demand, a draw right or replenishment need "
            "a mineral");
    p.name = "broker";
    p.kind = CRIT_PARTICIPANT_TRADER;
    REFUSED(s, crit_stockpile_add_participant(NULL, s, &p), CRIT_EINVAL,
            "participant 'broker': a trader pays fees only");
    crit_stockpile_free(s);
    crit_world_free(w);
}

/* Look-ups and period inputs out of range: a slot or participant beyond
 * the stockpile's, a too small out-struct, a bad price, cash or period
 * length. */
static void test_stockpile_bad_calls(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_stockpile *s = full_stockpile(w);
    double dt = 1.0 / 12, v = -7, v2 = -7;
    size_t slot = 77;
    REFUSED(s, crit_stockpile_mineral_slot(&slot, s, "Xx"), CRIT_ENOTFOUND,
            "'Xx'");
    REFUSED(s, crit_stockpile_mineral_slot(&slot, s, "Sb"), CRIT_ENOTFOUND,
            "stockpile 'vault' does not hold mineral 'Sb'");
    assert_int_equal(slot, 77);
    crit_stockpile_mineral_def m;
    crit_stockpile_mineral_def_init(&m);
    REFUSED(s, crit_stockpile_mineral_get(&m, s, 1), CRIT_ERANGE,
            "stockpile 'vault': mineral slot 1 is beyond its 1 minerals");
    m.size = 8;
    REFUSED(s, crit_stockpile_mineral_get(&m, s, 0), CRIT_EINVAL,
            "stockpile mineral definition: size 8");
    assert_null(m.mineral);
    crit_participant_def p;
    crit_participant_def_init(&p);
    REFUSED(s, crit_stockpile_participant_get(&p, s, 2), CRIT_ERANGE,
            "stockpile 'vault': participant 2 is beyond its 2 participants");
    p.size = 8;
    REFUSED(s, crit_stockpile_participant_get(&p, s, 0), CRIT_EINVAL,
            "participant definition: size 8");
    assert_null(p.name);
    REFUSED(s, crit_stockpile_participant_state(&slot, &v, &v2, s, 2),
            CRIT_ERANGE, "participant 2");
    REFUSED(s, crit_stockpile_target_t(&v, s, 1), CRIT_ERANGE,
            "mineral slot 1");
    REFUSED(s, crit_stockpile_set_disruption(s, 1, 1), CRIT_ERANGE,
            "mineral slot 1");
    REFUSED(s, crit_stockpile_add_cash(s, NAN), CRIT_EINVAL,
            "stockpile 'vault': cash change nan is not finite");

    crit_market_agent_def a;
    crit_market_agent_def_init(&a);
    REFUSED(s, crit_stockpile_market_agent(&a, s, 1, 10, dt), CRIT_ERANGE,
            "mineral slot 1");
    REFUSED(s, crit_stockpile_market_agent(&a, s, 0, 10, 0), CRIT_EINVAL,
            "stockpile 'vault': period length 0 must be finite and > 0");
    REFUSED(s, crit_stockpile_market_agent(&a, s, 0, -1, dt), CRIT_EINVAL,
            "stockpile 'vault': cash -1 must be finite and >= 0");
    REFUSED(s, crit_stockpile_participant_agent(&a, s, 2, dt), CRIT_ERANGE,
            "participant 2");
    REFUSED(s, crit_stockpile_participant_agent(&a, s, 0, NAN), CRIT_EINVAL,
            "period length nan");
    a.size = 8;
    REFUSED(s, crit_stockpile_participant_agent(&a, s, 0, dt), CRIT_EINVAL,
            "stockpile agent definition: size 8");
    assert_true(a.inventory_t == 0 && a.release_trigger_usd_per_t == 0);

    REFUSED(s, crit_stockpile_purchase(&v, s, 1, 900, 1e6, dt), CRIT_ERANGE,
            "mineral slot 1");
    REFUSED(s, crit_stockpile_purchase(&v, s, 0, 900, 1e6, INFINITY),
            CRIT_EINVAL, "period length inf");
    REFUSED(s, crit_stockpile_purchase(&v, s, 0, -900, 1e6, dt), CRIT_EINVAL,
            "stockpile 'vault': price -900 must be finite and >= 0");
    REFUSED(s, crit_stockpile_purchase(&v, s, 0, 900, NAN, dt), CRIT_EINVAL,
            "cash nan");
    REFUSED(s, crit_stockpile_release(&v, s, 1, 2000, dt), CRIT_ERANGE,
            "mineral slot 1");
    REFUSED(s, crit_stockpile_release(&v, s, 0, 2000, -dt), CRIT_EINVAL,
            "period length");
    REFUSED(s, crit_stockpile_release(&v, s, 0, NAN, dt), CRIT_EINVAL,
            "price nan");
    assert_true(v == -7);

    crit_stockpile_flows f;
    memset(&f, 0xff, sizeof f);
    crit_stockpile_flows untouched = f;
    REFUSED(s, crit_stockpile_settle(&f, s, 1, 900, 0, 0, dt), CRIT_ERANGE,
            "mineral slot 1");
    REFUSED(s, crit_stockpile_settle(&f, s, 0, 900, -1, 0, dt), CRIT_EINVAL,
            "purchase -1 must be finite");
    REFUSED(s, crit_stockpile_settle(&f, s, 0, 900, 0, NAN, dt), CRIT_EINVAL,
            "release nan must be finite");
    /* J = 99 t after the month's losses: a release of 100 is refused */
    REFUSED(s, crit_stockpile_settle(&f, s, 0, 900, 0, 100, dt), CRIT_EINVAL,
            "mineral 'Ga': release 100 t is above the 99 t left after "
            "losses");
    REFUSED(s, crit_stockpile_settle(&f, s, 0, 900, 902, 0, dt), CRIT_EINVAL,
            "mineral 'Ga': closing inventory 1001 t is above the capacity "
            "1000");
    assert_memory_equal(&f, &untouched, sizeof f);
    REFUSED(s, crit_stockpile_collect_fees(&v, s, 0, 0), CRIT_EINVAL,
            "period length 0");
    REFUSED(s, crit_stockpile_collect_fees(&v, s, -2, dt), CRIT_EINVAL,
            "stockpile 'vault': period -2 must be >= 0");
    REFUSED(s, crit_stockpile_participant_caps(&v, &v2, s, 2, dt), CRIT_ERANGE,
            "participant 2");
    REFUSED(s, crit_stockpile_participant_caps(&v, &v2, s, 0, 0), CRIT_EINVAL,
            "period length 0");
    assert_true(v == -7 && v2 == -7);
    /* the trader holds no mineral: no caps, an idle agent */
    assert_int_equal(crit_stockpile_participant_caps(&v, &v2, s, 1, dt),
                     CRIT_OK);
    assert_true(v == 0 && v2 == 0);
    crit_market_agent_def_init(&a);
    assert_int_equal(crit_stockpile_participant_agent(&a, s, 1, dt), CRIT_OK);
    assert_true(a.inventory_t == 0 && a.capacity_t == 0 &&
                a.release_trigger_usd_per_t == 1);
    crit_stockpile_free(s);
    crit_world_free(w);
}

/* Draws and returns a participant may not make. Ga: I 10, Imax 20, no
 * losses; "maker" may draw 30 t at 800 (no rate limit) and returns at
 * 1200 t/yr; "T" is a trader. */
static void test_stockpile_bad_participant_settlements(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_stockpile *s = new_stockpile(w, 0);
    crit_stockpile_mineral_def m;
    ga_def(&m);
    m.inventory_t = 10;
    m.capacity_t = 20;
    m.minimum_t = 0;
    m.target = 20;
    m.loss_rate_per_yr = 0;
    assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_OK);
    add_maker(s, 30, 0, 1200);
    crit_participant_def p;
    crit_participant_def_init(&p);
    p.name = "T";
    p.kind = CRIT_PARTICIPANT_TRADER;
    assert_int_equal(crit_stockpile_add_participant(NULL, s, &p), CRIT_OK);
    double cash = -7, dt = 1.0 / 12;
    REFUSED(s, crit_stockpile_settle_participant(&cash, s, 2, 0, 0),
            CRIT_ERANGE, "participant 2");
    REFUSED(s, crit_stockpile_settle_participant(&cash, s, 0, -1, 0),
            CRIT_EINVAL, "stockpile 'vault': draw -1 must be finite");
    REFUSED(s, crit_stockpile_settle_participant(&cash, s, 0, 0, NAN),
            CRIT_EINVAL, "replenishment nan must be finite");
    REFUSED(s, crit_stockpile_settle_participant(&cash, s, 1, 1, 0),
            CRIT_EINVAL, "participant 'T' holds no mineral to draw or return");
    REFUSED(s, crit_stockpile_settle_participant(&cash, s, 0, 0, 5),
            CRIT_EINVAL,
            "participant 'maker': return of 5 t is above the 0 t "
            "it owes");
    assert_int_equal(crit_stockpile_set_disruption(s, 0, 1), CRIT_OK);
    REFUSED(s, crit_stockpile_settle_participant(&cash, s, 0, 20, 0),
            CRIT_EINVAL,
            "participant 'maker': draw 20 t is above the "
            "inventory 10 t");
    assert_true(cash == -7);
    /* nothing drawn or returned, by a trader too: no cash */
    assert_int_equal(crit_stockpile_settle_participant(&cash, s, 1, 0, 0),
                     CRIT_OK);
    assert_true(cash == 0);
    /* draws 8 (I 2), the disruption ends, the stockpile buys 16 (I 18):
     * 8 owed, 2 t of room */
    assert_int_equal(crit_stockpile_settle_participant(&cash, s, 0, 8, 0),
                     CRIT_OK);
    near(cash, 6400, 0);
    assert_int_equal(crit_stockpile_set_disruption(s, 0, 0), CRIT_OK);
    assert_int_equal(crit_stockpile_settle(NULL, s, 0, 100, 16, 0, dt),
                     CRIT_OK);
    REFUSED(s, crit_stockpile_settle_participant(&cash, s, 0, 0, 8),
            CRIT_EINVAL,
            "participant 'maker': return of 8 t takes the "
            "inventory above the capacity 20");
    assert_int_equal(crit_stockpile_settle_participant(&cash, s, 0, 0, 2),
                     CRIT_OK);
    near(cash, -1600, 0);
    /* a return a hair above what is owed (within the settlement slack)
     * leaves nothing owed, never a negative debt */
    assert_int_equal(crit_stockpile_settle(NULL, s, 0, 100, 0, 10, dt),
                     CRIT_OK);
    assert_int_equal(
        crit_stockpile_settle_participant(NULL, s, 0, 0, 6 * (1 + 1e-12)),
        CRIT_OK);
    double owed = -1;
    assert_int_equal(crit_stockpile_participant_state(NULL, NULL, &owed, s, 0),
                     CRIT_OK);
    assert_true(owed == 0);
    crit_stockpile_free(s);
    crit_world_free(w);
}

/*
 * Losses never take more than the inventory: with a loss rate of 1 a year
 * over a period of 2 years, everything is lost (J = 0), the agent sees
 * nothing to release, and the settlement of an idle period closes at 0
 * (it was refused, "release 0 t is above the -100 t left after losses").
 */
static void test_stockpile_losses_capped_at_inventory(void **state)
{
    (void)state;
    crit_world *w = small_world();
    crit_stockpile *s = new_stockpile(w, 1e6);
    crit_stockpile_mineral_def m;
    ga_def(&m);
    m.loss_rate_per_yr = 1;
    assert_int_equal(crit_stockpile_add_mineral(s, &m), CRIT_OK);
    double dt = 2, q = -1;
    crit_market_agent_def a;
    crit_market_agent_def_init(&a);
    assert_int_equal(crit_stockpile_market_agent(&a, s, 0, 0, dt), CRIT_OK);
    near(a.inventory_t, 0, 0);
    assert_int_equal(crit_stockpile_release(&q, s, 0, 1e4, dt), CRIT_OK);
    near(q, 0, 0);
    crit_stockpile_flows f;
    assert_int_equal(crit_stockpile_settle(&f, s, 0, 1000, 0, 0, dt), CRIT_OK);
    near(f.lost_t, 100, 0);
    near(f.closing_t, 0, 0);
    /* holding 12 USD/t/yr on the opening 100 t for 2 years */
    near(f.holding_usd, 2400, 1e-15);
    near(crit_stockpile_cash(s), 1e6 - 2400, 1e-15);
    /* a purchase in such a period is what closes */
    assert_int_equal(crit_stockpile_settle(&f, s, 0, 1000, 50, 0, dt), CRIT_OK);
    near(f.lost_t, 0, 0);
    near(f.closing_t, 50, 0);
    assert_int_equal(crit_stockpile_settle(&f, s, 0, 1000, 5, 0, dt), CRIT_OK);
    near(f.lost_t, 50, 0);
    near(f.closing_t, 5, 0);
    crit_stockpile_free(s);
    crit_world_free(w);
}

/* ---- allocation failure ------------------------------------------------ */

typedef struct alloc_ctx {
    crit_world *w;
    crit_stockpile *s, *out;
} alloc_ctx;

static int op_new(void *p)
{
    alloc_ctx *c = p;
    crit_stockpile_def d;
    crit_stockpile_def_init(&d);
    d.economy = "USA";
    return crit_stockpile_new(&c->out, c->w, &d);
}

static int op_copy(void *p)
{
    alloc_ctx *c = p;
    return crit_stockpile_copy(&c->out, c->s);
}

static void out_unchanged(void *p)
{
    assert_null(((alloc_ctx *)p)->out);
}

static int op_add(void *p)
{
    alloc_ctx *c = p;
    crit_stockpile_mineral_def m;
    ga_def(&m);
    return crit_stockpile_add_mineral(c->s, &m);
}

static int op_add_participant(void *p)
{
    alloc_ctx *c = p;
    crit_participant_def d;
    crit_participant_def_init(&d);
    d.name = "firm";
    d.mineral = "Ga";
    return crit_stockpile_add_participant(NULL, c->s, &d);
}

static void add_unchanged(void *p)
{
    alloc_ctx *c = p;
    assert_int_equal(crit_stockpile_mineral_count(c->s), 0);
}

static void add_participant_unchanged(void *p)
{
    alloc_ctx *c = p;
    assert_int_equal(crit_stockpile_participant_count(c->s), 0);
}

static void test_stockpile_alloc_failure(void **state)
{
    (void)state;
    failalloc_mode modes[] = {FAILALLOC_FROM, FAILALLOC_ONLY};
    for (int k = 0; k < 2; k++) {
        alloc_ctx c = {small_world(), NULL, NULL};
        failalloc_run(&fa, modes[k], op_new, out_unchanged, &c);
        c.s = c.out;
        c.out = NULL;
        failalloc_run(&fa, modes[k], op_add, add_unchanged, &c);
        failalloc_run(&fa, modes[k], op_add_participant,
                      add_participant_unchanged, &c);
        failalloc_run(&fa, modes[k], op_copy, out_unchanged, &c);
        assert_int_equal(crit_stockpile_participant_count(c.out), 1);
        crit_stockpile_free(c.out);
        crit_stockpile_free(c.s);
        crit_world_free(c.w);
    }
}

int main(void)
{
#define T(name)                                                                \
    cmocka_unit_test_setup_teardown(name, failalloc_setup, failalloc_teardown)
    const struct CMUnitTest tests[] = {
        T(test_stockpile_defaults),
        T(test_stockpile_validation),
        T(test_stockpile_targets),
        T(test_stockpile_agent_curves),
        T(test_stockpile_ramps_beyond_a_double),
        T(test_stockpile_cash_stays_finite),
        T(test_stockpile_settle_sequence),
        T(test_stockpile_fees),
        T(test_stockpile_draw_rights),
        T(test_stockpile_participants_share),
        T(test_stockpile_emergency_trigger_given),
        T(test_stockpile_disruption_declared_each_period),
        T(test_stockpile_returns_above_target),
        T(test_stockpile_copy_is_independent),
        T(test_stockpile_minimum_above_inventory),
        T(test_stockpile_release_within_slack),
        T(test_stockpile_participants_of_two_minerals),
        T(test_stockpile_out_structs_of_a_newer_caller),
        T(test_stockpile_null_arguments),
        T(test_stockpile_bad_definitions),
        T(test_stockpile_bad_calls),
        T(test_stockpile_bad_participant_settlements),
        T(test_stockpile_losses_capped_at_inventory),
        T(test_stockpile_alloc_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

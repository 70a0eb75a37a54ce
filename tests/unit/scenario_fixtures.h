/*
 * scenario_fixtures.h: a small world and a scenario using every part of a
 * scenario (stockpile with firms and a trader, a loan, a programme, a
 * policy with a floor, every kind of event), shared by test_scenario.c
 * and test_io_scenario.c. Header-only, for one cmocka program each.
 */
#ifndef CRIT_TEST_SCENARIO_FIXTURES_H
#define CRIT_TEST_SCENARIO_FIXTURES_H

#include <crit.h>

/* USA, JPN (members), CHN (not); Ga (P0 1000) and Sb (P0 100). CHN
 * produces, the members consume; freight 10 % of P0 on every arc. */
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
    const char *min[] = {"Ga", "Sb"};
    double p0[] = {1000, 100};
    for (int k = 0; k < 2; k++) {
        crit_mineral_def m;
        crit_mineral_def_init(&m);
        m.code = min[k];
        m.base_price_usd_per_t = p0[k];
        m.holding_cost_usd_per_t_yr = 0.02 * p0[k];
        assert_int_equal(crit_world_add_mineral(w, &m), CRIT_OK);
        double s0[] = {50, 0, 950}, d0[] = {600, 300, 100};
        for (int i = 0; i < 3; i++) {
            crit_curve_def c;
            crit_curve_def_init(&c);
            c.base_production_t_per_yr = s0[i];
            c.capacity_t_per_yr = 1.5 * s0[i];
            c.supply_elasticity = 0.3;
            c.base_demand_t_per_yr = d0[i];
            c.demand_elasticity = 0.2;
            assert_int_equal(crit_world_set_curve(w, eco[i], min[k], &c),
                             CRIT_OK);
            for (int j = 0; j < 3; j++)
                if (i != j)
                    assert_int_equal(crit_world_set_transport(w, min[k], eco[i],
                                                              eco[j],
                                                              0.1 * p0[k]),
                                     CRIT_OK);
        }
    }
    return w;
}

static crit_date ymd(int y, int m, int d)
{
    crit_date out = 0;
    assert_int_equal(crit_date_from_ymd(&out, y, m, d), CRIT_OK);
    return out;
}

static crit_scenario *new_scenario(crit_world *w, int32_t periods)
{
    crit_scenario_def d;
    crit_scenario_def_init(&d);
    d.start = ymd(2026, 1, 1);
    d.periods = periods;
    crit_scenario *s = NULL;
    assert_int_equal(crit_scenario_new(&s, w, &d), CRIT_OK);
    return s;
}

/* An event with its partner and all three values (0 or NULL where its
 * kind does not read them). */
static inline void add_event_v(crit_scenario *s, int32_t period, int32_t kind,
                               const char *mineral, const char *economy,
                               const char *partner, double value, double value2,
                               double value3)
{
    crit_event_def e;
    crit_event_def_init(&e);
    e.period = period;
    e.kind = kind;
    e.mineral = mineral;
    e.economy = economy;
    e.partner = partner;
    e.value = value;
    e.value2 = value2;
    e.value3 = value3;
    assert_int_equal(crit_scenario_add_event(s, &e), CRIT_OK);
}

static void add_event(crit_scenario *s, int32_t period, int32_t kind,
                      const char *mineral, const char *economy,
                      const char *partner, double value)
{
    add_event_v(s, period, kind, mineral, economy, partner, value, 0, 0);
}

/* An event without a partner, with all three values. */
static inline void add_event3(crit_scenario *s, int32_t period, int32_t kind,
                              const char *mineral, const char *economy,
                              double value, double value2, double value3)
{
    add_event_v(s, period, kind, mineral, economy, NULL, value, value2, value3);
}

/* Add a stockpile to a scenario, which copies it, and free it. */
static inline void add_stockpile(crit_scenario *s, crit_stockpile *sp)
{
    assert_int_equal(crit_scenario_add_stockpile(NULL, s, sp), CRIT_OK);
    crit_stockpile_free(sp);
}

/* A stockpile `name` (NULL: the default) at USA with `cash_usd`; the
 * caller adds its minerals, adds it to a scenario (which copies it) and
 * frees it. */
static crit_stockpile *usa_stockpile(crit_world *w, const char *name,
                                     double cash_usd)
{
    crit_stockpile_def sd;
    crit_stockpile_def_init(&sd);
    sd.name = name;
    sd.economy = "USA";
    sd.cash_usd = cash_usd;
    crit_stockpile *sp = NULL;
    assert_int_equal(crit_stockpile_new(&sp, w, &sd), CRIT_OK);
    return sp;
}

/* The fixtures' loan terms: `commitment` USD at a fixed 5 % from
 * 2026-01-01 to 2031-01-01, available to the end of 2027; the caller sets
 * the rest (grace, fees, draws). */
static void fixture_loan_def(crit_loan_def *ld, double commitment)
{
    crit_loan_def_init(ld);
    ld->commitment = commitment;
    ld->start = ymd(2026, 1, 1);
    ld->maturity = ymd(2031, 1, 1);
    ld->availability_end = ymd(2027, 12, 31);
    ld->fixed_rate = 0.05;
}

/* Add a loan of `ld` financing stockpile 0 (the scenario keeps a copy). */
static void add_loan(crit_scenario *s, const crit_loan_def *ld)
{
    crit_loan *loan = NULL;
    assert_int_equal(crit_loan_new(&loan, ld), CRIT_OK);
    assert_int_equal(crit_scenario_add_loan(NULL, s, loan, 0), CRIT_OK);
    crit_loan_free(loan);
}

/* The same with one scheduled draw of `amount` on `date`. */
static void add_loan_drawn(crit_scenario *s, crit_loan_def ld, crit_date date,
                           double amount)
{
    ld.draw_count = 1;
    ld.draw_dates = &date;
    ld.draw_amounts = &amount;
    add_loan(s, &ld);
}

/* The full scenario: a stockpile at USA holding both minerals (60 days of
 * its two firms' demand), a trader, a loan drawn on demand, a programme,
 * policies, and every kind of event. */
static crit_scenario *full_scenario(crit_world *w, int32_t periods)
{
    crit_scenario *s = new_scenario(w, periods);
    crit_stockpile *sp = usa_stockpile(w, "vault", 500);
    const char *min[] = {"Ga", "Sb"};
    double p0[] = {1000, 100};
    for (int k = 0; k < 2; k++) {
        crit_stockpile_mineral_def m;
        crit_stockpile_mineral_def_init(&m);
        m.mineral = min[k];
        m.inventory_t = 10;
        m.capacity_t = 200;
        m.minimum_t = 5;
        m.target_unit = CRIT_TARGET_DAYS_OF_DEMAND;
        m.target = 60;
        m.acquisition_rate_t_per_yr = 240;
        m.release_rate_t_per_yr = 480;
        m.purchase_trigger_usd_per_t = 1.2 * p0[k];
        m.release_trigger_usd_per_t = 2 * p0[k];
        m.loss_rate_per_yr = 0.01;
        assert_int_equal(crit_stockpile_add_mineral(sp, &m), CRIT_OK);
        crit_participant_def p;
        crit_participant_def_init(&p);
        p.name = min[k];
        p.mineral = min[k];
        p.demand_t_per_yr = 500;
        p.upfront_fee_usd = 1000;
        p.annual_fee_usd_per_yr = 1200;
        p.draw_right_t = 20;
        p.draw_rate_t_per_yr = 120;
        p.draw_price_usd_per_t = p0[k];
        p.replenish_rate_t_per_yr = 60;
        assert_int_equal(crit_stockpile_add_participant(NULL, sp, &p), CRIT_OK);
    }
    crit_participant_def t;
    crit_participant_def_init(&t);
    t.name = "trader";
    t.kind = CRIT_PARTICIPANT_TRADER;
    t.annual_fee_usd_per_yr = 600;
    assert_int_equal(crit_stockpile_add_participant(NULL, sp, &t), CRIT_OK);
    assert_int_equal(crit_scenario_add_stockpile(NULL, s, sp), CRIT_OK);
    crit_stockpile_free(sp);

    crit_loan_def ld;
    fixture_loan_def(&ld, 150000);
    ld.grace_periods = 6;
    ld.commitment_fee_rate = 0.005;
    ld.upfront_fee_rate = 0.01;
    add_loan_drawn(s, ld, ymd(2026, 1, 1), 2000);

    crit_programme_def pg;
    crit_programme_def_init(&pg);
    pg.economy = "USA";
    pg.mineral = "Sb";
    pg.budget_usd = 1e6;
    pg.capital_intensity_usd_per_t_per_yr = 1e4; /* 100 t/yr */
    pg.lead_time_years = 0.5;
    pg.start_period = 1;
    assert_int_equal(crit_scenario_add_programme(s, &pg), CRIT_OK);

    crit_policy *pol = NULL;
    assert_int_equal(crit_policy_new(&pol, w, "Ga"), CRIT_OK);
    assert_int_equal(crit_policy_set_reference_price(pol, 1000), CRIT_OK);
    crit_floor_def f;
    crit_floor_def_init(&f);
    f.floor_usd_per_t = 1500;
    f.covered_share = 0.5;
    assert_int_equal(crit_policy_set_floor(pol, "USA", &f), CRIT_OK);
    assert_int_equal(crit_scenario_set_policy(s, pol), CRIT_OK);
    crit_policy_free(pol);

    add_event(s, 2, CRIT_EVENT_EXPORT_BAN, "Ga", "CHN", "USA", 0);
    add_event(s, 6, CRIT_EVENT_EXPORT_BAN_END, "Ga", "CHN", "USA", 0);
    add_event(s, 4, CRIT_EVENT_EXPORT_QUOTA, "Sb", "CHN", NULL, 600);
    add_event(s, 9, CRIT_EVENT_EXPORT_QUOTA_END, "Sb", "CHN", NULL, 0);
    add_event(s, 3, CRIT_EVENT_OUTAGE, "Sb", "CHN", NULL, 0.7);
    add_event(s, 5, CRIT_EVENT_OUTAGE_END, "Sb", "CHN", NULL, 0);
    add_event(s, 7, CRIT_EVENT_DEMAND, NULL, NULL, NULL, 1.1);
    add_event(s, 8, CRIT_EVENT_EXTERNAL_TARIFF, "Sb", NULL, NULL, 5);
    add_event(s, 8, CRIT_EVENT_EXPORT_TAX, "Sb", "CHN", NULL, 3);
    add_event(s, 10, CRIT_EVENT_EXPORT_TAX_END, "Sb", "CHN", NULL, 0);
    add_event(s, 10, CRIT_EVENT_DISRUPTION, "Sb", NULL, NULL, 0);
    add_event(s, 11, CRIT_EVENT_DISRUPTION_END, "Sb", NULL, NULL, 0);
    add_event(s, 11, CRIT_EVENT_FLOOR_END, "Ga", "USA", NULL, 0);
    add_event(s, 11, CRIT_EVENT_REFERENCE_PRICE, "Ga", NULL, NULL, 0);
    return s;
}

#endif /* CRIT_TEST_SCENARIO_FIXTURES_H */

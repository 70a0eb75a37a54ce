/*
 * Capacity programmes (MODEL.md section 7): capacity B / c, the online
 * period after the lead time, the spending profile, and the effect on a
 * world's curve. Expected values are hand-computed.
 */
#define FAILALLOC_FIXTURE
#include "failalloc.h"

#include <math.h>
#include <string.h>

static crit_world *one_world(void)
{
    crit_world *w = NULL;
    assert_int_equal(crit_world_new(&w), CRIT_OK);
    crit_economy_def e;
    crit_economy_def_init(&e);
    e.code = "USA";
    e.member = 1;
    assert_int_equal(crit_world_add_economy(w, &e), CRIT_OK);
    crit_mineral_def m;
    crit_mineral_def_init(&m);
    m.code = "REE";
    m.base_price_usd_per_t = 12550;
    assert_int_equal(crit_world_add_mineral(w, &m), CRIT_OK);
    crit_curve_def c;
    crit_curve_def_init(&c);
    c.base_production_t_per_yr = 45000;
    c.capacity_t_per_yr = 50000;
    c.base_demand_t_per_yr = 10000;
    assert_int_equal(crit_world_set_curve(w, "USA", "REE", &c), CRIT_OK);
    return w;
}

/* USD 2.5 billion at USD 100,000 per t/yr: 25,000 t/yr, online after 3
 * years (36 monthly periods) from period 6. */
static void agency(crit_programme_def *d)
{
    crit_programme_def_init(d);
    d->name = "agency";
    d->economy = "USA";
    d->mineral = "REE";
    d->budget_usd = 2.5e9;
    d->capital_intensity_usd_per_t_per_yr = 1e5;
    d->lead_time_years = 3;
    d->start_period = 6;
}

static void test_programme_capacity_and_timing(void **state)
{
    (void)state;
    crit_programme_def d;
    agency(&d);
    double cap = 0;
    assert_int_equal(crit_programme_capacity(&cap, &d), CRIT_OK);
    assert_true(cap == 25000);
    int32_t t1 = 0;
    assert_int_equal(crit_programme_online_period(&t1, &d, 1.0 / 12), CRIT_OK);
    assert_int_equal(t1, 42);
    /* 2.5 years in quarters: 10 quarters exactly; 2.6 years: 11 */
    d.lead_time_years = 2.5;
    assert_int_equal(crit_programme_online_period(&t1, &d, 0.25), CRIT_OK);
    assert_int_equal(t1, 16);
    d.lead_time_years = 2.6;
    assert_int_equal(crit_programme_online_period(&t1, &d, 0.25), CRIT_OK);
    assert_int_equal(t1, 17);
    d.lead_time_years = 0;
    assert_int_equal(crit_programme_online_period(&t1, &d, 0.25), CRIT_OK);
    assert_int_equal(t1, 6);
    assert_int_equal(crit_programme_online_period(&t1, &d, 0), CRIT_EINVAL);
}

static void test_programme_spending(void **state)
{
    (void)state;
    crit_programme_def d;
    agency(&d);
    double s[60];
    assert_int_equal(crit_programme_spending(s, 60, &d, 1.0 / 12), CRIT_OK);
    double sum = 0;
    for (int t = 0; t < 60; t++) {
        double want = t >= 6 && t < 42 ? 2.5e9 / 36 : 0;
        assert_true(s[t] == want);
        sum += s[t];
    }
    assert_true(fabs(sum - 2.5e9) <= 1e-6);
    d.lead_time_years = 0;
    assert_int_equal(crit_programme_spending(s, 10, &d, 1.0 / 12), CRIT_OK);
    for (int t = 0; t < 10; t++)
        assert_true(s[t] == (t == 6 ? 2.5e9 : 0));
    assert_int_equal(crit_programme_spending(NULL, 10, &d, 1.0), CRIT_EINVAL);
}

static void test_programme_validation_and_apply(void **state)
{
    (void)state;
    crit_world *w = one_world();
    crit_programme_def d;
    agency(&d);
    assert_int_equal(crit_programme_validate(w, &d), CRIT_OK);
    d.economy = "JPN";
    assert_int_equal(crit_programme_validate(w, &d), CRIT_ENOTFOUND);
    agency(&d);
    d.mineral = NULL;
    assert_int_equal(crit_programme_validate(w, &d), CRIT_EINVAL);
    agency(&d);
    d.budget_usd = 0;
    assert_int_equal(crit_programme_validate(w, &d), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "programme 'agency': budget 0"));
    agency(&d);
    d.capital_intensity_usd_per_t_per_yr = NAN;
    assert_int_equal(crit_programme_validate(w, &d), CRIT_EINVAL);
    agency(&d);
    d.lead_time_years = -1;
    assert_int_equal(crit_programme_apply(w, &d), CRIT_EINVAL);
    agency(&d);
    d.start_period = -2;
    assert_int_equal(crit_programme_validate(w, &d), CRIT_EINVAL);
    agency(&d);
    assert_int_equal(crit_programme_apply(w, &d), CRIT_OK);
    crit_curve_def c;
    crit_curve_def_init(&c);
    assert_int_equal(crit_world_curve_get(&c, w, "USA", "REE"), CRIT_OK);
    assert_true(c.capacity_t_per_yr == 75000);
    assert_true(c.base_production_t_per_yr == 70000);
    assert_true(c.base_demand_t_per_yr == 10000);
    crit_world_free(w);
}

int main(void)
{
#define T(name)                                                                \
    cmocka_unit_test_setup_teardown(name, failalloc_setup, failalloc_teardown)
    const struct CMUnitTest tests[] = {
        T(test_programme_capacity_and_timing),
        T(test_programme_spending),
        T(test_programme_validation_and_apply),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Capacity programmes (MODEL.md section 7): capacity B / c, the online
 * period after the lead time, the spending profile, and the effect on a
 * world's curve. Expected values are hand-computed.
 */
#define FAILALLOC_FIXTURE
#include "failalloc.h"
#include "msg_has.h"

#include <math.h>
#include <stdarg.h>
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

/* A lead time whose quotient by the period length is a whole number in
 * decimal but lands just above it in binary: 2.1 years of 0.3-year
 * periods is 7 periods (2.1 / 0.3 is 7.000000000000001 as doubles), 0.14
 * years of 0.02 is 7 too. The online period is t0 + 7 = 13 and the
 * budget is spent in 7 equal parts, periods 6 to 12. */
static void test_programme_lead_time_whole_periods(void **state)
{
    (void)state;
    crit_programme_def d;
    agency(&d);
    static const double lead[2] = {2.1, 0.14}, dt[2] = {0.3, 0.02};
    for (int i = 0; i < 2; i++) {
        d.lead_time_years = lead[i];
        int32_t t1 = 0;
        assert_int_equal(crit_programme_online_period(&t1, &d, dt[i]), CRIT_OK);
        assert_int_equal(t1, 13);
        double s[16];
        assert_int_equal(crit_programme_spending(s, 16, &d, dt[i]), CRIT_OK);
        for (int t = 0; t < 16; t++)
            assert_true(s[t] == (t >= 6 && t < 13 ? 2.5e9 / 7 : 0));
    }
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

/* A refused call: the exact code, a message naming what was wrong, and
 * the world `w` exactly as `before`. */
#define REFUSED(w, before, call, code, ...)                                    \
    do {                                                                       \
        crit_error_clear();                                                    \
        assert_int_equal((call), (code));                                      \
        assert_int_equal(crit_error_last_code(), (code));                      \
        msg_has(__VA_ARGS__, (const char *)NULL);                              \
        assert_true(crit_world_equal((w), (before)));                          \
    } while (0)

/* Every pointer argument NULL in turn: a clear CRIT_EINVAL and no output,
 * except the one documented as optional (spending's `out` when n is 0). */
static void test_programme_null_arguments(void **state)
{
    (void)state;
    crit_world *w = one_world(), *before = NULL;
    assert_int_equal(crit_world_copy(&before, w), CRIT_OK);
    crit_programme_def_init(NULL); /* ignored */
    crit_programme_def d;
    agency(&d);
    REFUSED(w, before, crit_programme_validate(NULL, &d), CRIT_EINVAL,
            "programme: NULL argument");
    REFUSED(w, before, crit_programme_validate(w, NULL), CRIT_EINVAL,
            "programme: NULL argument");
    REFUSED(w, before, crit_programme_apply(NULL, &d), CRIT_EINVAL,
            "programme: NULL argument");
    REFUSED(w, before, crit_programme_apply(w, NULL), CRIT_EINVAL,
            "programme: NULL argument");
    double cap = -1;
    REFUSED(w, before, crit_programme_capacity(NULL, &d), CRIT_EINVAL,
            "programme: NULL argument");
    REFUSED(w, before, crit_programme_capacity(&cap, NULL), CRIT_EINVAL,
            "programme: NULL argument");
    assert_true(cap == -1);
    int32_t t1 = -1;
    REFUSED(w, before, crit_programme_online_period(NULL, &d, 1), CRIT_EINVAL,
            "programme: NULL argument");
    REFUSED(w, before, crit_programme_online_period(&t1, NULL, 1), CRIT_EINVAL,
            "programme: NULL argument");
    assert_int_equal(t1, -1);
    double s[3] = {-1, -1, -1};
    REFUSED(w, before, crit_programme_spending(NULL, 3, &d, 1), CRIT_EINVAL,
            "programme: NULL argument");
    REFUSED(w, before, crit_programme_spending(s, 3, NULL, 1), CRIT_EINVAL,
            "programme: NULL argument");
    assert_true(s[0] == -1 && s[1] == -1 && s[2] == -1);
    /* no periods: no buffer needed, the definition is still checked */
    assert_int_equal(crit_programme_spending(NULL, 0, &d, 1), CRIT_OK);
    d.budget_usd = -5;
    REFUSED(w, before, crit_programme_spending(NULL, 0, &d, 1), CRIT_EINVAL,
            "programme 'agency': budget -5");
    /* a NULL name is "programme", the codes are required */
    agency(&d);
    d.name = NULL;
    d.budget_usd = 0;
    REFUSED(w, before, crit_programme_capacity(&cap, &d), CRIT_EINVAL,
            "programme 'programme': budget 0");
    agency(&d);
    d.economy = NULL;
    REFUSED(w, before, crit_programme_apply(w, &d), CRIT_EINVAL,
            "programme 'agency': economy and mineral are required");
    crit_world_free(before);
    crit_world_free(w);
}

/*
 * Every refusal names the programme and the value, writes no output and
 * leaves the world as it was: a definition of another size, a capacity
 * B / c or a world capacity beyond a double, an online period beyond
 * INT32_MAX, a bad period length.
 */
static void test_programme_refusals(void **state)
{
    (void)state;
    crit_world *w = one_world(), *before = NULL;
    assert_int_equal(crit_world_copy(&before, w), CRIT_OK);
    crit_programme_def d;
    double cap = -1, s[2] = {-1, -1};
    int32_t t1 = -1;
    agency(&d);
    d.size = 8;
    REFUSED(w, before, crit_programme_apply(w, &d), CRIT_EINVAL,
            "programme definition: size 8 is smaller than");
    REFUSED(w, before, crit_programme_capacity(&cap, &d), CRIT_EINVAL,
            "programme definition: size 8");
    /* a newer caller's definition: a zero tail is fine, another not */
    struct {
        crit_programme_def d;
        double later;
    } big;
    memset(&big, 0, sizeof big);
    agency(&big.d);
    big.d.size = sizeof big;
    big.later = 1;
    REFUSED(w, before, crit_programme_validate(w, &big.d), CRIT_EUNSUPPORTED,
            "programme definition: field at byte", "is not known");
    big.later = 0;
    assert_int_equal(crit_programme_validate(w, &big.d), CRIT_OK);
    /* each number's own refusal at the edge of its range: an intensity
       of 0 (not the infinite capacity B / 0), a start period of -1 */
    agency(&d);
    d.capital_intensity_usd_per_t_per_yr = 0;
    REFUSED(w, before, crit_programme_apply(w, &d), CRIT_EINVAL,
            "programme 'agency': capital intensity 0 must be finite and > 0");
    agency(&d);
    d.start_period = -1;
    REFUSED(w, before, crit_programme_validate(w, &d), CRIT_EINVAL,
            "programme 'agency': start period -1 must be >= 0");
    /* a missing mineral code is named as such */
    agency(&d);
    d.mineral = NULL;
    REFUSED(w, before, crit_programme_apply(w, &d), CRIT_EINVAL,
            "programme 'agency': economy and mineral are required");
    /* B / c beyond a double: no capacity of infinity */
    agency(&d);
    d.budget_usd = 1e300;
    d.capital_intensity_usd_per_t_per_yr = 1e-300;
    REFUSED(w, before, crit_programme_capacity(&cap, &d), CRIT_EINVAL,
            "programme 'agency': budget 1e+300 over capital intensity 1e-300 "
            "adds a capacity of inf t/yr, not finite");
    REFUSED(w, before, crit_programme_apply(w, &d), CRIT_EINVAL,
            "programme 'agency'", "not finite");
    assert_true(cap == -1);
    /* B / c finite, but the world's capacity plus it is not */
    crit_curve_def c;
    crit_curve_def_init(&c);
    c.base_production_t_per_yr = 1e308;
    c.capacity_t_per_yr = 1.5e308;
    assert_int_equal(crit_world_set_curve(w, "USA", "REE", &c), CRIT_OK);
    crit_world_free(before);
    assert_int_equal(crit_world_copy(&before, w), CRIT_OK);
    d.budget_usd = 1e308;
    d.capital_intensity_usd_per_t_per_yr = 1;
    assert_int_equal(crit_programme_capacity(&cap, &d), CRIT_OK);
    assert_true(cap == 1e308);
    REFUSED(w, before, crit_programme_apply(w, &d), CRIT_EINVAL,
            "programme 'agency': capacity of economy 'USA' mineral 'REE' "
            "would be 1.5e+308 + 1e+308 t/yr, not finite");
    /* the online period must be an int32_t: a long lead time, or a late
       start plus a short one */
    agency(&d);
    d.lead_time_years = 1e9;
    REFUSED(w, before, crit_programme_online_period(&t1, &d, 1.0 / 12),
            CRIT_EINVAL,
            "programme 'agency': lead time 1e+09 years is 1.2e+10 periods of "
            "0.0833333 years, too many after start period 6 (the online "
            "period must be at most 2147483647)");
    REFUSED(w, before, crit_programme_spending(s, 2, &d, 1.0 / 12), CRIT_EINVAL,
            "1.2e+10 periods");
    agency(&d);
    d.start_period = INT32_MAX;
    d.lead_time_years = 1;
    REFUSED(w, before, crit_programme_online_period(&t1, &d, 1), CRIT_EINVAL,
            "lead time 1 years is 1 periods of 1 years, too many after start "
            "period 2147483647");
    assert_int_equal(t1, -1);
    /* without a lead time the last period itself is fine */
    d.lead_time_years = 0;
    assert_int_equal(crit_programme_online_period(&t1, &d, 1), CRIT_OK);
    assert_int_equal(t1, INT32_MAX);
    t1 = -1;
    /* the period length: finite and > 0 */
    agency(&d);
    REFUSED(w, before, crit_programme_online_period(&t1, &d, NAN), CRIT_EINVAL,
            "programme 'agency': period length nan");
    REFUSED(w, before, crit_programme_spending(s, 2, &d, -1), CRIT_EINVAL,
            "programme 'agency': period length -1 must be finite and > 0");
    REFUSED(w, before, crit_programme_spending(s, 2, &d, INFINITY), CRIT_EINVAL,
            "period length inf");
    assert_int_equal(t1, -1);
    assert_true(s[0] == -1 && s[1] == -1);
    crit_world_free(before);
    crit_world_free(w);
}

int main(void)
{
#define T(name)                                                                \
    cmocka_unit_test_setup_teardown(name, failalloc_setup, failalloc_teardown)
    const struct CMUnitTest tests[] = {
        T(test_programme_capacity_and_timing),
        T(test_programme_spending),
        T(test_programme_lead_time_whole_periods),
        T(test_programme_validation_and_apply),
        T(test_programme_null_arguments),
        T(test_programme_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

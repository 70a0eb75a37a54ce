/* The world through the public API only: <crit.h> and libcrit.so. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <crit.h>

static int setup(void **state)
{
    crit_world *w = NULL;
    if (crit_world_new(&w) != CRIT_OK)
        return -1;
    crit_mineral_def m;
    crit_mineral_def_init(&m);
    m.code = "Ga";
    m.name = "gallium";
    m.basis = "contained Ga";
    m.base_price_usd_per_t = 400;
    crit_economy_def e;
    crit_economy_def_init(&e);
    crit_curve_def c;
    crit_curve_def_init(&c);
    c.base_production_t_per_yr = 750;
    c.capacity_t_per_yr = 900;
    c.base_demand_t_per_yr = 300;
    if (crit_world_add_mineral(w, &m) != CRIT_OK)
        return -1;
    const char *codes[] = {"CHN", "USA", "ROW"};
    for (int i = 0; i < 3; i++) {
        e.code = codes[i];
        e.member = i == 1;
        if (crit_world_add_economy(w, &e) != CRIT_OK)
            return -1;
    }
    if (crit_world_set_curve(w, "CHN", "Ga", &c) != CRIT_OK)
        return -1;
    c.base_production_t_per_yr = 0;
    c.capacity_t_per_yr = 0;
    c.base_demand_t_per_yr = 100;
    if (crit_world_set_curve(w, "USA", "Ga", &c) != CRIT_OK)
        return -1;
    c.base_production_t_per_yr = 250;
    c.capacity_t_per_yr = 300;
    c.base_demand_t_per_yr = 600;
    if (crit_world_set_curve(w, "ROW", "Ga", &c) != CRIT_OK)
        return -1;
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    crit_world_free(*state);
    return crit_allocator_live_blocks() == 0 ? 0 : -1;
}

static void test_api_version_macros_match_library(void **state)
{
    (void)state;
    assert_int_equal(crit_version_number(), CRIT_VERSION_NUMBER);
    assert_string_equal(crit_version_string(), CRIT_VERSION_STRING);
    int32_t major, minor, patch;
    crit_version(&major, &minor, &patch);
    assert_int_equal(major, CRIT_VERSION_MAJOR);
    assert_int_equal(minor, CRIT_VERSION_MINOR);
    assert_int_equal(patch, CRIT_VERSION_PATCH);
    assert_int_equal(CRIT_VERSION_NUMBER, major * 10000 + minor * 100 + patch);
}

static void test_api_world_values(void **state)
{
    crit_world *w = *state;
    assert_int_equal(crit_world_mineral_count(w), 1);
    assert_int_equal(crit_world_economy_count(w), 3);
    assert_int_equal(crit_world_member_count(w), 1);
    assert_string_equal(crit_world_economy_code(w, 2), "ROW");
    size_t i;
    assert_int_equal(crit_world_economy_index(&i, w, "USA"), CRIT_OK);
    assert_int_equal(i, 1);
    crit_mineral_def m;
    crit_mineral_def_init(&m);
    assert_int_equal(crit_world_mineral_get(&m, w, 0), CRIT_OK);
    assert_string_equal(m.name, "gallium");
    assert_true(m.choke_price_usd_per_t == 4000);
    crit_curve_def c;
    crit_curve_def_init(&c);
    assert_int_equal(crit_world_curve_get(&c, w, "ROW", "Ga"), CRIT_OK);
    assert_true(c.base_production_t_per_yr == 250);
    assert_true(c.base_demand_t_per_yr == 600);

    /* Wedge: 30 transport + 5% of 400 tariff + 10 export tax = 60. */
    assert_int_equal(crit_world_set_transport(w, "Ga", "CHN", "USA", 30),
                     CRIT_OK);
    assert_int_equal(crit_world_set_tariff(w, "Ga", "CHN", "USA", 0, 0.05),
                     CRIT_OK);
    assert_int_equal(crit_world_set_export_tax(w, "Ga", "CHN", 10, 0), CRIT_OK);
    double wedge;
    int32_t allowed;
    assert_int_equal(
        crit_world_arc_wedge(&wedge, &allowed, w, "Ga", "CHN", "USA"), CRIT_OK);
    assert_true(wedge == 60);
    assert_int_equal(allowed, 1);
    assert_int_equal(crit_world_set_import_ban(w, "Ga", "USA", "CHN", 1),
                     CRIT_OK);
    assert_int_equal(
        crit_world_arc_wedge(NULL, &allowed, w, "Ga", "CHN", "USA"), CRIT_OK);
    assert_int_equal(allowed, 0);
    double q;
    assert_int_equal(crit_world_export_quota_get(&q, w, "Ga", "CHN"), CRIT_OK);
    assert_true(isinf(q));

    /* Risk: shares 750/1000 and 250/1000. */
    double hhi, share, nir;
    assert_int_equal(crit_risk_hhi(&hhi, w, "Ga"), CRIT_OK);
    assert_true(fabs(hhi - (75.0 * 75 + 25.0 * 25)) < 1e-9);
    assert_int_equal(crit_risk_top_producer(&i, &share, w, "Ga"), CRIT_OK);
    assert_int_equal(i, 0);
    assert_true(share == 0.75);
    assert_int_equal(crit_risk_net_import_reliance(&nir, w, "ROW", "Ga"),
                     CRIT_OK);
    assert_true(fabs(nir - 350.0 / 600) < 1e-15);
}

static void test_api_world_copy(void **state)
{
    crit_world *w = *state, *c = NULL;
    assert_int_equal(crit_world_copy(&c, w), CRIT_OK);
    assert_true(crit_world_equal(c, w));
    assert_int_equal(crit_world_set_member(c, "CHN", 1), CRIT_OK);
    assert_false(crit_world_equal(c, w));
    assert_int_equal(crit_world_member_count(w), 1);
    crit_world_free(c);
}

static void test_api_errors_and_messages(void **state)
{
    crit_world *w = *state;
    crit_world *before = NULL;
    assert_int_equal(crit_world_copy(&before, w), CRIT_OK);
    crit_error_clear();
    assert_string_equal(crit_error_last(), "");

    crit_curve_def c;
    crit_curve_def_init(&c);
    c.base_production_t_per_yr = 750;
    c.capacity_t_per_yr = 600;
    assert_int_equal(crit_world_set_curve(w, "CHN", "Ga", &c), CRIT_EINVAL);
    assert_int_equal(crit_error_last_code(), CRIT_EINVAL);
    assert_string_equal(crit_error_last(),
                        "economy 'CHN' mineral 'Ga': capacity 600 is below "
                        "base production 750");
    assert_string_equal(crit_strerror(CRIT_EINVAL), "invalid argument");
    assert_string_equal(crit_error_name(CRIT_EINVAL), "CRIT_EINVAL");

    c.capacity_t_per_yr = NAN;
    assert_int_equal(crit_world_set_curve(w, "CHN", "Ga", &c), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "capacity nan"));

    crit_mineral_def m;
    crit_mineral_def_init(&m);
    m.code = "Li";
    m.base_price_usd_per_t = 10;
    m.choke_price_usd_per_t = 10;
    assert_int_equal(crit_world_add_mineral(w, &m), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "choke price 10"));

    crit_economy_def e;
    crit_economy_def_init(&e);
    e.code = "usa";
    assert_int_equal(crit_world_add_economy(w, &e), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "'usa'"));
    e.code = "USA";
    assert_int_equal(crit_world_add_economy(w, &e), CRIT_EEXISTS);
    assert_string_equal(crit_error_name(crit_error_last_code()),
                        "CRIT_EEXISTS");

    assert_int_equal(crit_world_set_export_tax(w, "Ga", "CHN", -1, 0),
                     CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "below zero"));
    assert_int_equal(crit_world_set_transport(w, "Ga", "CHN", "CHN", 1),
                     CRIT_EINVAL);
    size_t k;
    assert_int_equal(crit_world_mineral_index(&k, w, "Co"), CRIT_ENOTFOUND);
    assert_string_equal(crit_error_last(), "mineral 'Co' is not in the world");

    double v;
    assert_int_equal(crit_risk_self_sufficiency(&v, w, "Ga"), CRIT_OK);
    assert_true(v == 0); /* USA produces none of its 100 */
    assert_int_equal(crit_world_set_member(w, "USA", 0), CRIT_OK);
    assert_int_equal(crit_risk_self_sufficiency(&v, w, "Ga"), CRIT_EDOMAIN);
    assert_int_equal(crit_world_set_member(w, "USA", 1), CRIT_OK);

    assert_true(crit_world_equal(w, before));
    crit_world_free(before);
}

/*
 * A struct's first published size runs to the end of its last field: a
 * caller whose size leaves out the tail padding (crit_economy_def ends in
 * an int32_t after pointers: 28 of sizeof 32 bytes here) is accepted by
 * the setter and the getter, which writes nothing past it; one byte less
 * is refused, naming both sizes. Before, the first size was sizeof itself,
 * which an appended field would have raised for callers built before it.
 */
static void test_api_size_to_the_last_field(void **state)
{
    crit_world *w = *state;
    size_t v1 = offsetof(crit_economy_def, member) + sizeof(int32_t);
    struct {
        crit_economy_def d;
        unsigned char beyond[16];
    } buf;
    memset(&buf, 0, sizeof buf);
    buf.d.size = v1;
    buf.d.code = "KOR";
    buf.d.name = "Korea";
    buf.d.member = 1;
    assert_int_equal(crit_world_add_economy(w, &buf.d), CRIT_OK);
    size_t n = crit_world_economy_count(w);
    memset(&buf, 0xab, sizeof buf);
    buf.d.size = v1;
    assert_int_equal(crit_world_economy_get(&buf.d, w, n - 1), CRIT_OK);
    assert_int_equal(buf.d.size, v1);
    assert_string_equal(buf.d.code, "KOR");
    assert_string_equal(buf.d.name, "Korea");
    assert_int_equal(buf.d.member, 1);
    const unsigned char *b = (const unsigned char *)&buf.d + v1;
    for (size_t i = 0; i < sizeof buf - v1; i++)
        assert_int_equal(b[i], 0xab);
    buf.d.size = v1 - 1;
    assert_int_equal(crit_world_economy_get(&buf.d, w, 0), CRIT_EINVAL);
    char want[96];
    snprintf(want, sizeof want, "size %zu is smaller than %zu", v1 - 1, v1);
    assert_non_null(strstr(crit_error_last(), want));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_api_version_macros_match_library,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_api_world_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api_world_copy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api_errors_and_messages, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_api_size_to_the_last_field, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

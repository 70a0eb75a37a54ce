/* Compile-time version macros against the run-time functions
 * (libcrit/version.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "crit_internal.h"

static int setup(void **state)
{
    (void)state;
    crit_error_clear();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return 0;
}

static void test_version_string_matches_macros(void **state)
{
    (void)state;
    char want[64];
    snprintf(want, sizeof want, "%d.%d.%d", CRIT_VERSION_MAJOR,
             CRIT_VERSION_MINOR, CRIT_VERSION_PATCH);
    assert_string_equal(CRIT_VERSION_STRING, want);
    assert_string_equal(crit_version_string(), want);
}

static void test_version_number_formula(void **state)
{
    (void)state;
    assert_int_equal(CRIT_VERSION_NUMBER, CRIT_VERSION_MAJOR * 10000 +
                                              CRIT_VERSION_MINOR * 100 +
                                              CRIT_VERSION_PATCH);
    assert_int_equal(crit_version_number(), CRIT_VERSION_NUMBER);
    /* Components stay below 100 so the number is unambiguous. */
    assert_true(CRIT_VERSION_MINOR >= 0 && CRIT_VERSION_MINOR < 100);
    assert_true(CRIT_VERSION_PATCH >= 0 && CRIT_VERSION_PATCH < 100);
    assert_true(CRIT_VERSION_MAJOR >= 1);
}

static void test_version_components(void **state)
{
    (void)state;
    int32_t major = -1, minor = -1, patch = -1;
    crit_version(&major, &minor, &patch);
    assert_int_equal(major, CRIT_VERSION_MAJOR);
    assert_int_equal(minor, CRIT_VERSION_MINOR);
    assert_int_equal(patch, CRIT_VERSION_PATCH);
    int a = 0, b = 0, c = 0;
    assert_int_equal(sscanf(crit_version_string(), "%d.%d.%d", &a, &b, &c), 3);
    assert_int_equal(a, major);
    assert_int_equal(b, minor);
    assert_int_equal(c, patch);
}

static void test_version_accepts_null_components(void **state)
{
    (void)state;
    int32_t minor = -1;
    crit_version(NULL, &minor, NULL);
    assert_int_equal(minor, CRIT_VERSION_MINOR);
    crit_version(NULL, NULL, NULL);
    assert_string_equal(crit_error_last(), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_version_string_matches_macros,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_version_number_formula, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_version_components, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_version_accepts_null_components,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Calendar dates and day counts. Expected values are computed by hand from
 * the definitions, written out in the comments beside each case.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "date_internal.h"

static crit_date ymd(int32_t y, int32_t m, int32_t d)
{
    crit_date out = 0;
    assert_int_equal(crit_date_from_ymd(&out, y, m, d), CRIT_OK);
    return out;
}

static void check_ymd(crit_date date, int32_t y, int32_t m, int32_t d)
{
    int32_t oy = 0, om = 0, od = 0;
    assert_int_equal(crit_date_to_ymd(&oy, &om, &od, date), CRIT_OK);
    if (oy != y || om != m || od != d) {
        print_error("date %d is %d-%d-%d, expected %d-%d-%d\n", date, oy, om,
                    od, y, m, d);
        fail();
    }
}

static void check_yf(int32_t dc, crit_date a, crit_date b, double expected)
{
    double yf = -99;
    assert_int_equal(crit_day_count_year_fraction(&yf, dc, a, b), CRIT_OK);
    if (fabs(yf - expected) > 1e-15) {
        print_error("%s year fraction %.17g, expected %.17g\n",
                    crit_day_count_name(dc), yf, expected);
        fail();
    }
}

static void test_date_known_serials(void **state)
{
    (void)state;
    /* Day 0 is 1970-01-01; 2000-01-01 is 30 years later including the
     * 7 leap days of 1972..1996: 30 * 365 + 7 = 10957; + 31 (January) +
     * 29 (February 2000) = 11017 for 2000-03-01. */
    assert_int_equal(ymd(1970, 1, 1), 0);
    assert_int_equal(ymd(2000, 1, 1), 10957);
    assert_int_equal(ymd(2000, 3, 1), 11017);
    assert_int_equal(ymd(1969, 12, 31), -1);
    assert_int_equal(ymd(1, 1, 1), CRIT_DATE_MIN);
    assert_int_equal(ymd(9999, 12, 31), CRIT_DATE_MAX);
    check_ymd(CRIT_DATE_MIN, 1, 1, 1);
    check_ymd(CRIT_DATE_MAX, 9999, 12, 31);
    check_ymd(11017, 2000, 3, 1);
    check_ymd(-1, 1969, 12, 31);
}

/* Walk every day of 1600..2400 (two 400-year cycles) and check that the
 * serial increases by one per day and converts back. */
static void test_date_walk_every_day(void **state)
{
    (void)state;
    crit_date expect = ymd(1600, 1, 1);
    for (int32_t y = 1600; y <= 2400; y++)
        for (int32_t m = 1; m <= 12; m++) {
            int32_t dim = crit_date_days_in_month(y, m);
            for (int32_t d = 1; d <= dim; d++) {
                crit_date s;
                assert_int_equal(crit_date_from_ymd(&s, y, m, d), CRIT_OK);
                assert_int_equal(s, expect);
                int32_t oy, om, od;
                crit__date_split(s, &oy, &om, &od);
                assert_true(oy == y && om == m && od == d);
                expect++;
            }
        }
    /* 801 years: 801 * 365 + leap days (1600..2400 has 801/4 rounded up
     * = 201 multiples of 4, minus 1700, 1800, 1900, 2100, 2200, 2300) */
    assert_int_equal(expect - ymd(1600, 1, 1), 801 * 365 + 201 - 6);
}

static void test_date_leap_years(void **state)
{
    (void)state;
    assert_int_equal(crit_date_is_leap_year(2024), 1);
    assert_int_equal(crit_date_is_leap_year(2000), 1);
    assert_int_equal(crit_date_is_leap_year(1900), 0);
    assert_int_equal(crit_date_is_leap_year(2023), 0);
    assert_int_equal(crit_date_days_in_month(2024, 2), 29);
    assert_int_equal(crit_date_days_in_month(2100, 2), 28);
    assert_int_equal(crit_date_days_in_month(2023, 4), 30);
    assert_int_equal(crit_date_days_in_month(2023, 12), 31);
    assert_int_equal(crit_date_days_in_month(2023, 13), 0);
    assert_int_equal(crit_date_days_in_month(2023, 0), 0);
}

static void test_date_invalid(void **state)
{
    (void)state;
    crit_date d = 12345;
    assert_int_equal(crit_date_from_ymd(&d, 2023, 2, 29), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "February 2023"));
    assert_non_null(strstr(crit_error_last(), "28 days"));
    assert_int_equal(crit_date_from_ymd(&d, 1900, 2, 29), CRIT_EINVAL);
    assert_int_equal(crit_date_from_ymd(&d, 2023, 4, 31), CRIT_EINVAL);
    assert_int_equal(crit_date_from_ymd(&d, 2023, 13, 1), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "month 13"));
    assert_int_equal(crit_date_from_ymd(&d, 2023, 1, 0), CRIT_EINVAL);
    assert_int_equal(crit_date_from_ymd(&d, 0, 1, 1), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "year 0"));
    assert_int_equal(crit_date_from_ymd(&d, 10000, 1, 1), CRIT_EINVAL);
    assert_int_equal(crit_date_from_ymd(NULL, 2000, 1, 1), CRIT_EINVAL);
    assert_int_equal(d, 12345);
    assert_int_equal(crit_date_from_ymd(&d, 2000, 2, 29), CRIT_OK);

    int32_t y = -5;
    assert_int_equal(crit_date_to_ymd(&y, NULL, NULL, CRIT_DATE_MAX + 1),
                     CRIT_EINVAL);
    assert_int_equal(crit_date_to_ymd(&y, NULL, NULL, CRIT_DATE_MIN - 1),
                     CRIT_EINVAL);
    assert_int_equal(y, -5);
    assert_int_equal(crit_date_is_valid(CRIT_DATE_MAX), 1);
    assert_int_equal(crit_date_is_valid(CRIT_DATE_MAX + 1), 0);
}

static void test_date_parse_format(void **state)
{
    (void)state;
    crit_date d = 7;
    assert_int_equal(crit_date_parse(&d, "2024-02-29"), CRIT_OK);
    assert_int_equal(d, ymd(2024, 2, 29));
    char buf[11];
    assert_int_equal(crit_date_format(buf, sizeof buf, d), CRIT_OK);
    assert_string_equal(buf, "2024-02-29");
    assert_int_equal(crit_date_format(buf, sizeof buf, CRIT_DATE_MIN), CRIT_OK);
    assert_string_equal(buf, "0001-01-01");

    d = 7;
    const char *bad[] = {"2023-02-29", "2024-2-29",   "2024-02-29x",
                         "24-02-29",   "2024/02/29",  "",
                         "2024-13-01", "2024-02-2a ", "0000-01-01"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(crit_date_parse(&d, bad[i]), CRIT_EINVAL);
    assert_int_equal(d, 7);
    assert_int_equal(crit_date_parse(&d, NULL), CRIT_EINVAL);

    memset(buf, 'z', sizeof buf);
    assert_int_equal(crit_date_format(buf, 10, 0), CRIT_EBUFSIZE);
    assert_int_equal(buf[0], 'z');
    assert_int_equal(crit_date_format(buf, 11, CRIT_DATE_MAX + 1), CRIT_EINVAL);
}

static crit_date plus_months(crit_date d, int32_t n, int32_t eom)
{
    crit_date out = 0;
    assert_int_equal(crit_date_add_months(&out, d, n, eom), CRIT_OK);
    return out;
}

static void test_date_add_months_end_of_month(void **state)
{
    (void)state;
    /* The day is kept where it exists, else clipped to the month's end. */
    assert_int_equal(plus_months(ymd(2024, 1, 31), 1, 0), ymd(2024, 2, 29));
    assert_int_equal(plus_months(ymd(2023, 1, 31), 1, 0), ymd(2023, 2, 28));
    assert_int_equal(plus_months(ymd(2024, 3, 31), -1, 0), ymd(2024, 2, 29));
    assert_int_equal(plus_months(ymd(2023, 8, 31), -6, 0), ymd(2023, 2, 28));
    assert_int_equal(plus_months(ymd(2024, 2, 29), 12, 0), ymd(2025, 2, 28));
    assert_int_equal(plus_months(ymd(2024, 2, 29), 48, 0), ymd(2028, 2, 29));
    assert_int_equal(plus_months(ymd(2023, 11, 15), 2, 0), ymd(2024, 1, 15));
    assert_int_equal(plus_months(ymd(2024, 1, 15), -13, 0), ymd(2022, 12, 15));
    assert_int_equal(plus_months(ymd(2024, 1, 15), 0, 0), ymd(2024, 1, 15));
    /* Without the rule a month end does not stay a month end... */
    assert_int_equal(plus_months(ymd(2023, 2, 28), 1, 0), ymd(2023, 3, 28));
    assert_int_equal(plus_months(ymd(2024, 4, 30), 1, 0), ymd(2024, 5, 30));
    /* ...with it, it does; other dates are unaffected. */
    assert_int_equal(plus_months(ymd(2023, 2, 28), 1, 1), ymd(2023, 3, 31));
    assert_int_equal(plus_months(ymd(2024, 4, 30), 1, 1), ymd(2024, 5, 31));
    assert_int_equal(plus_months(ymd(2024, 2, 29), 12, 1), ymd(2025, 2, 28));
    assert_int_equal(plus_months(ymd(2023, 2, 28), 12, 1), ymd(2024, 2, 29));
    assert_int_equal(plus_months(ymd(2024, 2, 28), 1, 1), ymd(2024, 3, 28));

    crit_date out = 99;
    assert_int_equal(crit_date_add_months(&out, ymd(9999, 12, 1), 1, 0),
                     CRIT_ERANGE);
    assert_int_equal(crit_date_add_months(&out, ymd(1, 1, 15), -1, 0),
                     CRIT_ERANGE);
    assert_int_equal(crit_date_add_months(&out, 0, 1, 2), CRIT_EINVAL);
    crit_error_clear();
    assert_int_equal(crit_date_add_months(&out, 0, 1, -1), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "end_of_month -1 is not 0 or 1"));
    assert_int_equal(crit_date_add_months(&out, CRIT_DATE_MAX + 1, 1, 0),
                     CRIT_EINVAL);
    assert_int_equal(out, 99);
}

static void test_date_add_days_and_between(void **state)
{
    (void)state;
    crit_date out = 0;
    assert_int_equal(crit_date_add_days(&out, ymd(2024, 2, 28), 1), CRIT_OK);
    assert_int_equal(out, ymd(2024, 2, 29));
    assert_int_equal(crit_date_add_days(&out, ymd(2024, 2, 28), 2), CRIT_OK);
    assert_int_equal(out, ymd(2024, 3, 1));
    assert_int_equal(crit_date_add_days(&out, ymd(2023, 3, 1), -1), CRIT_OK);
    assert_int_equal(out, ymd(2023, 2, 28));
    /* The first and last dates themselves are reachable. */
    assert_int_equal(crit_date_add_days(&out, ymd(9999, 12, 30), 1), CRIT_OK);
    assert_int_equal(out, CRIT_DATE_MAX);
    assert_int_equal(crit_date_add_days(&out, CRIT_DATE_MAX, 0), CRIT_OK);
    assert_int_equal(out, CRIT_DATE_MAX);
    assert_int_equal(crit_date_add_days(&out, ymd(1, 1, 2), -1), CRIT_OK);
    assert_int_equal(out, CRIT_DATE_MIN);
    assert_int_equal(
        crit_date_add_days(&out, CRIT_DATE_MAX, CRIT_DATE_MIN - CRIT_DATE_MAX),
        CRIT_OK);
    assert_int_equal(out, CRIT_DATE_MIN);
    out = 5;
    assert_int_equal(crit_date_add_days(&out, CRIT_DATE_MAX, 1), CRIT_ERANGE);
    assert_int_equal(crit_date_add_days(&out, CRIT_DATE_MIN, -1), CRIT_ERANGE);
    assert_int_equal(crit_date_add_days(&out, CRIT_DATE_MAX, INT32_MAX),
                     CRIT_ERANGE);
    assert_int_equal(out, 5);
    /* 2024 is a leap year: 366 days; 2023: 365. */
    assert_int_equal(crit_date_days_between(ymd(2024, 1, 1), ymd(2025, 1, 1)),
                     366);
    assert_int_equal(crit_date_days_between(ymd(2023, 3, 1), ymd(2023, 2, 1)),
                     -28);
    /* the whole valid range fits; serials beyond it do not overflow */
    assert_int_equal(crit_date_days_between(CRIT_DATE_MIN, CRIT_DATE_MAX),
                     CRIT_DATE_MAX - CRIT_DATE_MIN);
    assert_int_equal(crit_date_days_between(INT32_MIN, INT32_MAX), INT32_MAX);
    assert_int_equal(crit_date_days_between(INT32_MAX, INT32_MIN), INT32_MIN);
    assert_int_equal(crit_date_days_between(INT32_MAX, -1),
                     INT32_MIN); /* fits */
    assert_int_equal(crit_date_days_between(INT32_MAX, -2), INT32_MIN);
    assert_int_equal(crit_date_days_between(-2, INT32_MAX), INT32_MAX);
    assert_int_equal(crit_date_days_between(-1, INT32_MAX),
                     INT32_MAX); /* fits */
}

static void test_date_day_count_act(void **state)
{
    (void)state;
    crit_date a = ymd(2024, 1, 31), b = ymd(2024, 2, 29); /* 29 days */
    check_yf(CRIT_DAY_COUNT_ACT_360, a, b, 29.0 / 360);
    check_yf(CRIT_DAY_COUNT_ACT_365F, a, b, 29.0 / 365);
    /* A whole leap year under ACT/365F is 366/365, under ACT/360 366/360. */
    check_yf(CRIT_DAY_COUNT_ACT_365F, ymd(2024, 1, 1), ymd(2025, 1, 1),
             366.0 / 365);
    check_yf(CRIT_DAY_COUNT_ACT_360, ymd(2024, 1, 1), ymd(2025, 1, 1),
             366.0 / 360);
    check_yf(CRIT_DAY_COUNT_ACT_360, b, a, -29.0 / 360);
    check_yf(CRIT_DAY_COUNT_ACT_360, a, a, 0);
}

static void test_date_day_count_30_360(void **state)
{
    (void)state;
    int32_t dc = CRIT_DAY_COUNT_30_360;
    /* 01-31 -> 02-29: D1 31 -> 30, D2 = 29: 30*(2-1) + (29-30) = 29. */
    check_yf(dc, ymd(2024, 1, 31), ymd(2024, 2, 29), 29.0 / 360);
    /* 02-29 -> 03-31: D1 = 29 is below 30, so D2 stays 31:
     * 30*1 + (31-29) = 32 (30E/360 would give 31). */
    check_yf(dc, ymd(2024, 2, 29), ymd(2024, 3, 31), 32.0 / 360);
    /* 02-28 -> 03-31 in 2023 (Feb 28 is a month end, still D1 = 28):
     * 30 + 3 = 33. */
    check_yf(dc, ymd(2023, 2, 28), ymd(2023, 3, 31), 33.0 / 360);
    /* 12-31 -> next 01-31: D1 31 -> 30, D2 31 -> 30 because D1 >= 30:
     * 360*1 + 30*(1-12) + 0 = 30. */
    check_yf(dc, ymd(2023, 12, 31), ymd(2024, 1, 31), 30.0 / 360);
    /* 03-30 -> 03-31: D2 31 -> 30 (D1 = 30): 0 days. */
    check_yf(dc, ymd(2024, 3, 30), ymd(2024, 3, 31), 0.0);
    /* 01-15 -> 18 months later: 360 + 30*6 = 540 days = 1.5 years. */
    check_yf(dc, ymd(2024, 1, 15), ymd(2025, 7, 15), 1.5);
    /* 05-31 -> 06-30: D1 -> 30, D2 = 30: 30 days. */
    check_yf(dc, ymd(2024, 5, 31), ymd(2024, 6, 30), 30.0 / 360);
    /* swapped dates: minus the forward fraction, not the formula applied
     * backwards */
    check_yf(dc, ymd(2024, 3, 31), ymd(2024, 2, 29), -32.0 / 360);
}

static void test_date_day_count_act_act_isda(void **state)
{
    (void)state;
    int32_t dc = CRIT_DAY_COUNT_ACT_ACT_ISDA;
    /* Within the leap year 2024: 29 days / 366. */
    check_yf(dc, ymd(2024, 1, 31), ymd(2024, 2, 29), 29.0 / 366);
    /* 2023-12-31 -> 2024-01-31: 1 day in 2023 / 365 + 30 days in 2024 /
     * 366. */
    check_yf(dc, ymd(2023, 12, 31), ymd(2024, 1, 31), 1.0 / 365 + 30.0 / 366);
    /* 2023-07-01 -> 2025-03-01: Jul 1 - Jan 1 2024 is 184 days of 2023,
     * then all of 2024 (1 year), then 59 days of 2025. */
    check_yf(dc, ymd(2023, 7, 1), ymd(2025, 3, 1),
             184.0 / 365 + 1 + 59.0 / 365);
    /* 2024-07-01 -> 2025-07-01: 184 days of 2024 / 366 + 181 of 2025 /
     * 365. */
    check_yf(dc, ymd(2024, 7, 1), ymd(2025, 7, 1), 184.0 / 366 + 181.0 / 365);
    /* A whole calendar year is exactly 1, leap or not. */
    check_yf(dc, ymd(2024, 1, 1), ymd(2025, 1, 1), 1.0);
    check_yf(dc, ymd(2025, 7, 1), ymd(2024, 7, 1),
             -(184.0 / 366 + 181.0 / 365));
}

static void test_date_day_count_errors(void **state)
{
    (void)state;
    double yf = 3;
    assert_int_equal(crit_day_count_year_fraction(&yf, 4, 0, 1), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "convention 4"));
    assert_int_equal(crit_day_count_year_fraction(&yf, -1, 0, 1), CRIT_EINVAL);
    assert_int_equal(crit_day_count_year_fraction(&yf, 0, CRIT_DATE_MIN - 1, 1),
                     CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "start"));
    assert_int_equal(crit_day_count_year_fraction(&yf, 0, 0, CRIT_DATE_MAX + 1),
                     CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "end"));
    assert_int_equal(crit_day_count_year_fraction(NULL, 0, 0, 1), CRIT_EINVAL);
    assert_true(yf == 3);
    assert_string_equal(crit_day_count_name(CRIT_DAY_COUNT_ACT_360), "ACT/360");
    assert_string_equal(crit_day_count_name(CRIT_DAY_COUNT_ACT_365F),
                        "ACT/365F");
    assert_string_equal(crit_day_count_name(CRIT_DAY_COUNT_30_360), "30/360");
    assert_string_equal(crit_day_count_name(CRIT_DAY_COUNT_ACT_ACT_ISDA),
                        "ACT/ACT ISDA");
    assert_string_equal(crit_day_count_name(9), "unknown");
}

/* Refused calls: NULL outputs, dates outside the range, text that is not
 * YYYY-MM-DD; each with its code and a message, the output untouched. */
static void test_date_refused_calls(void **state)
{
    (void)state;
    crit_date d = 12345;
    crit_error_clear();
    assert_int_equal(crit_date_parse(&d, "2026-0a-01"), CRIT_EINVAL);
    assert_non_null(
        strstr(crit_error_last(), "date '2026-0a-01': not in the form"));
    assert_int_equal(crit_date_parse(&d, "+026-01-01"), CRIT_EINVAL);
    assert_int_equal(crit_date_parse(&d, "2026-01-0 "), CRIT_EINVAL);
    /* Only '0' to '9' are digits: the characters either side of them,
     * '/' and ':', would read as -1 and 10 and make dates of these
     * (1924-01-01, 3024-01-01, 2024-10-01, 2024-01-09). */
    const char *not_digits[] = {"2/24-01-01", "2:24-01-01", "2024-0:-01",
                                "2024-01-/9"};
    for (size_t i = 0; i < sizeof not_digits / sizeof *not_digits; i++) {
        crit_error_clear();
        assert_int_equal(crit_date_parse(&d, not_digits[i]), CRIT_EINVAL);
        assert_non_null(strstr(crit_error_last(), not_digits[i]));
        assert_non_null(
            strstr(crit_error_last(), "not in the form YYYY-MM-DD"));
    }
    assert_int_equal(crit_date_parse(&d, NULL), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "date: NULL argument"));
    assert_int_equal(crit_date_parse(NULL, "2026-01-01"), CRIT_EINVAL);
    assert_int_equal(d, 12345);
    crit_error_clear();
    assert_int_equal(crit_date_format(NULL, 11, ymd(2026, 1, 1)), CRIT_EINVAL);
    assert_string_equal(crit_error_last(), "date: NULL output");
    char buf[11] = "untouched";
    assert_int_equal(crit_date_format(buf, sizeof buf, CRIT_DATE_MIN - 1),
                     CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "serial -719163 is outside"));
    assert_string_equal(buf, "untouched");
    crit_error_clear();
    assert_int_equal(crit_date_add_days(NULL, ymd(2026, 1, 1), 1), CRIT_EINVAL);
    assert_string_equal(crit_error_last(), "date: NULL output");
    assert_int_equal(crit_date_add_days(&d, CRIT_DATE_MAX + 1, -1),
                     CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "serial 2932897 is outside"));
    crit_error_clear();
    assert_int_equal(crit_date_add_months(NULL, ymd(2026, 1, 1), 1, 0),
                     CRIT_EINVAL);
    assert_string_equal(crit_error_last(), "date: NULL output");
    assert_int_equal(d, 12345);
    /* every output of crit_date_to_ymd() is optional, and each is
       written without the others */
    assert_int_equal(crit_date_to_ymd(NULL, NULL, NULL, ymd(2026, 1, 1)),
                     CRIT_OK);
    int32_t part = 0;
    assert_int_equal(crit_date_to_ymd(&part, NULL, NULL, ymd(2026, 7, 19)),
                     CRIT_OK);
    assert_int_equal(part, 2026);
    assert_int_equal(crit_date_to_ymd(NULL, &part, NULL, ymd(2026, 7, 19)),
                     CRIT_OK);
    assert_int_equal(part, 7);
    assert_int_equal(crit_date_to_ymd(NULL, NULL, &part, ymd(2026, 7, 19)),
                     CRIT_OK);
    assert_int_equal(part, 19);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_known_serials),
        cmocka_unit_test(test_date_walk_every_day),
        cmocka_unit_test(test_date_leap_years),
        cmocka_unit_test(test_date_invalid),
        cmocka_unit_test(test_date_parse_format),
        cmocka_unit_test(test_date_add_months_end_of_month),
        cmocka_unit_test(test_date_add_days_and_between),
        cmocka_unit_test(test_date_day_count_act),
        cmocka_unit_test(test_date_day_count_30_360),
        cmocka_unit_test(test_date_day_count_act_act_isda),
        cmocka_unit_test(test_date_day_count_errors),
        cmocka_unit_test(test_date_refused_calls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

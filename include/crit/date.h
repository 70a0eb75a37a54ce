/**
 * @file crit/date.h
 * @brief Calendar dates and day-count conventions (MODEL.md section 6).
 *
 * A date is a plain value: a `crit_date` is the number of days since
 * 1970-01-01 (day 0) in the proleptic Gregorian calendar, with no time of
 * day and no time zone. Negative values are dates before 1970. libcrit
 * accepts dates from 0001-01-01 (serial -719162) to 9999-12-31 (serial
 * 2932896); a date outside that range is rejected with `CRIT_EINVAL` (as
 * an input) or `CRIT_ERANGE` (when arithmetic would leave it).
 *
 * Because a date is a day number, the number of days between two dates is
 * their difference, and dates compare with `<` and `==`.
 *
 * Day counts turn two dates into a year fraction (see crit_day_count):
 * ACT/360, ACT/365F, 30/360 bond basis and ACT/ACT (ISDA).
 *
 * Thread-safety: every function here is pure and thread-safe.
 */
#ifndef CRIT_DATE_H
#define CRIT_DATE_H

#include "common.h"

CRIT_BEGIN_DECLS

/** A calendar date: days since 1970-01-01, proleptic Gregorian. */
typedef int32_t crit_date;

/** Serial number of 0001-01-01, the earliest date libcrit accepts. */
#define CRIT_DATE_MIN (-719162)
/** Serial number of 9999-12-31, the latest date libcrit accepts. */
#define CRIT_DATE_MAX 2932896

/**
 * Day-count conventions: how the time between two dates becomes a year
 * fraction. Values are fixed forever; pass them as `int32_t`.
 */
typedef enum crit_day_count {
    /** Actual days / 360. */
    CRIT_DAY_COUNT_ACT_360 = 0,
    /** Actual days / 365, whatever the year. */
    CRIT_DAY_COUNT_ACT_365F = 1,
    /** 30/360 bond basis (ISDA 2006 section 4.16(f)):
     *  `(360 (Y2-Y1) + 30 (M2-M1) + (D2-D1)) / 360`, where D1 = 31 becomes
     *  30, and D2 = 31 becomes 30 when D1 (as given) is 30 or 31. */
    CRIT_DAY_COUNT_30_360 = 2,
    /** ACT/ACT (ISDA): days falling in a leap year / 366 plus days falling
     *  in a non-leap year / 365. */
    CRIT_DAY_COUNT_ACT_ACT_ISDA = 3
} crit_day_count;

/**
 * Build a date from year, month and day.
 *
 * @param out receives the date; untouched on failure.
 * @param year 1 to 9999.
 * @param month 1 to 12.
 * @param day 1 to the number of days in that month (February 29 only in a
 *        leap year: divisible by 4, and not by 100 unless by 400).
 * @return `CRIT_OK`; `CRIT_EINVAL` when `out` is NULL or the date does not
 *         exist (the message names the field, e.g. `date 2023-02-29:
 *         day 29 is not in February 2023, which has 28 days`).
 */
CRIT_API int crit_date_from_ymd(crit_date *out, int32_t year, int32_t month,
                                int32_t day);

/**
 * Split a date into year, month and day.
 *
 * @param out_year receives the year (1 to 9999); may be NULL.
 * @param out_month receives the month (1 to 12); may be NULL.
 * @param out_day receives the day of the month (1 to 31); may be NULL.
 * @param date the date.
 * @return `CRIT_OK`; `CRIT_EINVAL` when `date` is outside
 *         [CRIT_DATE_MIN, CRIT_DATE_MAX] (nothing is written).
 */
CRIT_API int crit_date_to_ymd(int32_t *out_year, int32_t *out_month,
                              int32_t *out_day, crit_date date);

/**
 * Parse an ISO 8601 calendar date written `YYYY-MM-DD` (exactly four,
 * two and two digits, nothing before or after).
 *
 * @param out receives the date; untouched on failure.
 * @param text the text, NUL-terminated.
 * @return `CRIT_OK`; `CRIT_EINVAL` when an argument is NULL, the text is
 *         not in that form, or the date does not exist.
 */
CRIT_API int crit_date_parse(crit_date *out, const char *text);

/**
 * Write a date as `YYYY-MM-DD` followed by a NUL (11 bytes in all).
 *
 * @param out the buffer to write to.
 * @param n its size in bytes, at least 11.
 * @param date the date.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL buffer or date out of range) or
 *         `CRIT_EBUFSIZE` (`n < 11`). On failure nothing is written.
 */
CRIT_API int crit_date_format(char *out, size_t n, crit_date date);

/**
 * Whether a serial number is a date libcrit accepts.
 *
 * @param date the serial number.
 * @return 1 when `CRIT_DATE_MIN <= date <= CRIT_DATE_MAX`, else 0.
 */
CRIT_API int32_t crit_date_is_valid(crit_date date);

/**
 * Whether a year is a leap year of the Gregorian calendar: divisible by 4,
 * and not by 100 unless also by 400 (2000 and 2024 are, 1900 and 2023 are
 * not).
 *
 * @param year any year.
 * @return 1 for a leap year, else 0.
 */
CRIT_API int32_t crit_date_is_leap_year(int32_t year);

/**
 * Number of days in a month.
 *
 * @param year the year (decides February).
 * @param month 1 to 12.
 * @return 28 to 31; 0 when `month` is not 1 to 12.
 */
CRIT_API int32_t crit_date_days_in_month(int32_t year, int32_t month);

/**
 * Add a number of days to a date.
 *
 * @param out receives the date; untouched on failure.
 * @param date a valid date.
 * @param days days to add, negative to go back.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL `out` or invalid `date`) or
 *         `CRIT_ERANGE` (the result is outside 0001-01-01 to 9999-12-31).
 */
CRIT_API int crit_date_add_days(crit_date *out, crit_date date, int32_t days);

/**
 * Add a number of calendar months to a date.
 *
 * The day of the month is kept where the target month has it; otherwise
 * it becomes the target month's last day (January 31 + 1 month is
 * February 28, or February 29 in a leap year; August 31 - 6 months is
 * February 28/29). With `end_of_month` set, a date that is the last day of
 * its month gives the last day of the target month (February 28, 2023 + 1
 * month is March 31, 2023; April 30 + 1 month is May 31); other dates are
 * unaffected.
 *
 * @param out receives the date; untouched on failure.
 * @param date a valid date.
 * @param months months to add, negative to go back.
 * @param end_of_month 1 for the end-of-month rule above, 0 for none.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL `out`, invalid `date`,
 *         `end_of_month` not 0 or 1) or `CRIT_ERANGE` (result out of range).
 */
CRIT_API int crit_date_add_months(crit_date *out, crit_date date,
                                  int32_t months, int32_t end_of_month);

/**
 * Actual number of days from one date to another, `to - from`.
 *
 * For valid dates (crit_date_is_valid()) the difference always fits. Any
 * two serials are accepted without undefined behaviour: a difference
 * beyond an `int32_t`, which only serials outside the valid range give,
 * is returned as `INT32_MAX` or `INT32_MIN`.
 *
 * @param from the first date.
 * @param to the second date.
 * @return the signed number of days (negative when `to` is earlier).
 */
CRIT_API int32_t crit_date_days_between(crit_date from, crit_date to);

/**
 * Year fraction between two dates under a day-count convention.
 *
 * For `end >= start` the fraction follows the definition of the
 * convention (see crit_day_count). For `end < start` it is minus the
 * fraction from `end` to `start`, so that swapping the dates changes only
 * the sign.
 *
 * Examples: from 2024-01-31 to 2024-02-29 is 29/360 under ACT/360,
 * 29/365 under ACT/365F, 29/360 under 30/360, 29/366 under ACT/ACT; from
 * 2023-12-31 to 2024-01-31 under ACT/ACT (ISDA) is 1/365 + 30/366.
 *
 * @param out receives the fraction (years); untouched on failure.
 * @param day_count one of the crit_day_count values.
 * @param start first date.
 * @param end second date.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL `out`, an unknown convention, a
 *         date out of range).
 */
CRIT_API int crit_day_count_year_fraction(double *out, int32_t day_count,
                                          crit_date start, crit_date end);

/**
 * Name of a day-count convention: `"ACT/360"`, `"ACT/365F"`, `"30/360"`,
 * `"ACT/ACT ISDA"`.
 *
 * @param day_count one of the crit_day_count values.
 * @return a static string; `"unknown"` for any other value. Never NULL.
 */
CRIT_API const char *crit_day_count_name(int32_t day_count);

CRIT_END_DECLS

#endif /* CRIT_DATE_H */

/*
 * Calendar dates (days since 1970-01-01, proleptic Gregorian) and day-count
 * conventions.
 *
 * The conversions count in a calendar whose year starts on March 1, so
 * that the leap day is the last day of the year and the month lengths
 * from March on follow the 153-days-per-5-months pattern; years are
 * grouped into 400-year eras of 146097 days.
 */
#include "date_internal.h"

#include <stdio.h>
#include <string.h>

/* Days from 0000-03-01 to 1970-01-01. */
#define EPOCH_SHIFT 719468
#define DAYS_PER_ERA 146097

int32_t crit_date_is_leap_year(int32_t year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int32_t crit_date_days_in_month(int32_t year, int32_t month)
{
    static const int32_t days[12] = {31, 28, 31, 30, 31, 30,
                                     31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && crit_date_is_leap_year(year))
        return 29;
    return days[month - 1];
}

int32_t crit_date_is_valid(crit_date date)
{
    return date >= CRIT_DATE_MIN && date <= CRIT_DATE_MAX;
}

int32_t crit_date_days_between(crit_date from, crit_date to)
{
    int64_t d = (int64_t)to - from; /* no overflow in 64 bits */
    return d > INT32_MAX ? INT32_MAX : d < INT32_MIN ? INT32_MIN : (int32_t)d;
}

/* Serial number of a date known to exist with 1 <= year <= 9999. */
crit_date crit__date_serial(int32_t y, int32_t m, int32_t d)
{
    int32_t ys = m <= 2 ? y - 1 : y; /* year counted from March */
    int32_t era = ys / 400;          /* ys >= 0 here */
    int32_t yoe = ys - era * 400;
    int32_t mp = m > 2 ? m - 3 : m + 9; /* March = 0 */
    int32_t doy = (153 * mp + 2) / 5 + d - 1;
    int32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * DAYS_PER_ERA + doe - EPOCH_SHIFT;
}

/* Split a valid serial number (CRIT_DATE_MIN..CRIT_DATE_MAX). */
void crit__date_split(crit_date date, int32_t *y, int32_t *m, int32_t *d)
{
    int32_t z = date + EPOCH_SHIFT; /* >= 0 in the accepted range */
    int32_t era = z / DAYS_PER_ERA;
    int32_t doe = z - era * DAYS_PER_ERA;
    int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int32_t mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

static const char *month_name(int32_t m)
{
    static const char *names[12] = {
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December"};
    return names[m - 1];
}

int crit_date_from_ymd(crit_date *out, int32_t year, int32_t month, int32_t day)
{
    if (!out)
        return crit__error(CRIT_EINVAL, "date: NULL output");
    if (year < 1 || year > 9999)
        return crit__error(CRIT_EINVAL,
                           "date %d-%02d-%02d: year %d is outside 1 to 9999",
                           year, month, day, year);
    if (month < 1 || month > 12)
        return crit__error(CRIT_EINVAL,
                           "date %04d-%02d-%02d: month %d is outside 1 to 12",
                           year, month, day, month);
    int32_t dim = crit_date_days_in_month(year, month);
    if (day < 1 || day > dim)
        return crit__error(CRIT_EINVAL,
                           "date %04d-%02d-%02d: day %d is not in %s %d, "
                           "which has %d days",
                           year, month, day, day, month_name(month), year, dim);
    *out = crit__date_serial(year, month, day);
    return CRIT_OK;
}

static int bad_date(const char *what, crit_date date)
{
    return crit__error(CRIT_EINVAL,
                       "%s: serial %d is outside %d (0001-01-01) to %d "
                       "(9999-12-31)",
                       what, date, CRIT_DATE_MIN, CRIT_DATE_MAX);
}

int crit_date_to_ymd(int32_t *out_year, int32_t *out_month, int32_t *out_day,
                     crit_date date)
{
    if (!crit_date_is_valid(date))
        return bad_date("date", date);
    int32_t y, m, d;
    crit__date_split(date, &y, &m, &d);
    if (out_year)
        *out_year = y;
    if (out_month)
        *out_month = m;
    if (out_day)
        *out_day = d;
    return CRIT_OK;
}

static int digits(const char *s, int n, int32_t *value)
{
    int32_t v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *value = v;
    return 1;
}

int crit_date_parse(crit_date *out, const char *text)
{
    if (!out || !text)
        return crit__error(CRIT_EINVAL, "date: NULL argument");
    int32_t y, m, d;
    if (strlen(text) != 10 || text[4] != '-' || text[7] != '-' ||
        !digits(text, 4, &y) || !digits(text + 5, 2, &m) ||
        !digits(text + 8, 2, &d))
        return crit__error(CRIT_EINVAL,
                           "date '%.40s': not in the form YYYY-MM-DD", text);
    return crit_date_from_ymd(out, y, m, d);
}

int crit_date_format(char *out, size_t n, crit_date date)
{
    if (!out)
        return crit__error(CRIT_EINVAL, "date: NULL output");
    if (!crit_date_is_valid(date))
        return bad_date("date", date);
    if (n < 11)
        return crit__error(CRIT_EBUFSIZE,
                           "date: buffer of %zu bytes is below the 11 needed",
                           n);
    int32_t y, m, d;
    crit__date_split(date, &y, &m, &d);
    snprintf(out, n, "%04d-%02d-%02d", (int)y, (int)m, (int)d);
    return CRIT_OK;
}

int crit_date_add_days(crit_date *out, crit_date date, int32_t days)
{
    if (!out)
        return crit__error(CRIT_EINVAL, "date: NULL output");
    if (!crit_date_is_valid(date))
        return bad_date("date", date);
    int64_t r = (int64_t)date + days;
    if (r < CRIT_DATE_MIN || r > CRIT_DATE_MAX)
        return crit__error(CRIT_ERANGE,
                           "date %d + %d days: the result is outside "
                           "0001-01-01 to 9999-12-31",
                           date, days);
    *out = (crit_date)r;
    return CRIT_OK;
}

int crit__date_add_months(crit_date *out, crit_date date, int32_t months,
                          int32_t end_of_month)
{
    int32_t y, m, d;
    crit__date_split(date, &y, &m, &d);
    int64_t idx = (int64_t)y * 12 + (m - 1) + months;
    if (idx < 12 || idx > 9999 * 12 + 11)
        return CRIT_ERANGE;
    int32_t ny = (int32_t)(idx / 12), nm = (int32_t)(idx % 12) + 1;
    int32_t dim = crit_date_days_in_month(ny, nm);
    int32_t nd = d > dim ? dim : d;
    if (end_of_month && d == crit_date_days_in_month(y, m))
        nd = dim;
    *out = crit__date_serial(ny, nm, nd);
    return CRIT_OK;
}

int crit_date_add_months(crit_date *out, crit_date date, int32_t months,
                         int32_t end_of_month)
{
    if (!out)
        return crit__error(CRIT_EINVAL, "date: NULL output");
    if (!crit_date_is_valid(date))
        return bad_date("date", date);
    if (end_of_month != 0 && end_of_month != 1)
        return crit__error(CRIT_EINVAL, "date: end_of_month %d is not 0 or 1",
                           end_of_month);
    if (crit__date_add_months(out, date, months, end_of_month))
        return crit__error(CRIT_ERANGE,
                           "date %d + %d months: the result is outside "
                           "0001-01-01 to 9999-12-31",
                           date, months);
    return CRIT_OK;
}

/* ---- day counts -------------------------------------------------------- */

static double thirty_360(crit_date start, crit_date end)
{
    int32_t y1, m1, d1, y2, m2, d2;
    crit__date_split(start, &y1, &m1, &d1);
    crit__date_split(end, &y2, &m2, &d2);
    if (d2 == 31 && d1 >= 30)
        d2 = 30;
    if (d1 == 31)
        d1 = 30;
    int32_t days = 360 * (y2 - y1) + 30 * (m2 - m1) + (d2 - d1);
    return days / 360.0;
}

static double act_act_isda(crit_date start, crit_date end)
{
    int32_t y1, m1, d1, y2, m2, d2;
    crit__date_split(start, &y1, &m1, &d1);
    crit__date_split(end, &y2, &m2, &d2);
    double b1 = crit_date_is_leap_year(y1) ? 366.0 : 365.0;
    if (y1 == y2)
        return (end - start) / b1;
    double b2 = crit_date_is_leap_year(y2) ? 366.0 : 365.0;
    crit_date jan1_after = crit__date_serial(y1 + 1, 1, 1);
    crit_date jan1_end = crit__date_serial(y2, 1, 1);
    return (jan1_after - start) / b1 + (y2 - y1 - 1) + (end - jan1_end) / b2;
}

double crit__year_fraction(int32_t day_count, crit_date start, crit_date end)
{
    if (end < start)
        return -crit__year_fraction(day_count, end, start);
    switch (day_count) {
    case CRIT_DAY_COUNT_ACT_360:
        return (end - start) / 360.0;
    case CRIT_DAY_COUNT_ACT_365F:
        return (end - start) / 365.0;
    case CRIT_DAY_COUNT_30_360:
        return thirty_360(start, end);
    default:
        return act_act_isda(start, end);
    }
}

int crit__day_count_is_valid(int32_t day_count)
{
    return day_count >= CRIT_DAY_COUNT_ACT_360 &&
           day_count <= CRIT_DAY_COUNT_ACT_ACT_ISDA;
}

int crit_day_count_year_fraction(double *out, int32_t day_count,
                                 crit_date start, crit_date end)
{
    if (!out)
        return crit__error(CRIT_EINVAL, "day count: NULL output");
    if (!crit__day_count_is_valid(day_count))
        return crit__error(CRIT_EINVAL,
                           "day count: convention %d is not one of 0 "
                           "(ACT/360) to 3 (ACT/ACT ISDA)",
                           day_count);
    if (!crit_date_is_valid(start))
        return bad_date("day count start", start);
    if (!crit_date_is_valid(end))
        return bad_date("day count end", end);
    *out = crit__year_fraction(day_count, start, end);
    return CRIT_OK;
}

const char *crit_day_count_name(int32_t day_count)
{
    switch (day_count) {
    case CRIT_DAY_COUNT_ACT_360:
        return "ACT/360";
    case CRIT_DAY_COUNT_ACT_365F:
        return "ACT/365F";
    case CRIT_DAY_COUNT_30_360:
        return "30/360";
    case CRIT_DAY_COUNT_ACT_ACT_ISDA:
        return "ACT/ACT ISDA";
    default:
        return "unknown";
    }
}

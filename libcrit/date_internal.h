/* Date and day-count helpers shared with the loan module. Not installed. */
#ifndef CRIT_DATE_INTERNAL_H
#define CRIT_DATE_INTERNAL_H

#include "crit_internal.h"

/* Serial number of a date known to exist (1 <= y <= 9999). */
crit_date crit__date_serial(int32_t y, int32_t m, int32_t d);
/* Year, month and day of a serial in [CRIT_DATE_MIN, CRIT_DATE_MAX]. */
void crit__date_split(crit_date date, int32_t *y, int32_t *m, int32_t *d);
/* Month arithmetic on a valid date without recording an error: CRIT_OK,
 * or CRIT_ERANGE when the result leaves the accepted range. */
int crit__date_add_months(crit_date *out, crit_date date, int32_t months,
                          int32_t end_of_month);
/* Whether day_count is one of the crit_day_count values. */
int crit__day_count_is_valid(int32_t day_count);
/* Year fraction of two valid dates under a valid convention. */
double crit__year_fraction(int32_t day_count, crit_date start, crit_date end);

#endif /* CRIT_DATE_INTERNAL_H */

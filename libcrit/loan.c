/*
 * Loan facilities: validation, payment dates, the schedule, NPV, IRR and
 * weighted average life. The conventions are documented in crit/loan.h.
 *
 * A loan keeps its draws sorted by date (stable: draws on one date stay
 * in the order they were made) and its schedule as one array per column.
 * Any draw recomputes the whole schedule, which allocates nothing.
 */
#include "date_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Draws may exceed the commitment by this relative slack, so that a
 * commitment split into parts that do not add up exactly in floating
 * point can still be drawn in full. */
#define DRAW_SLACK 1e-12
/* the first published size of crit_loan_def */
#define LOAN_DEF_V1 CRIT__SIZE_TO(crit_loan_def, draw_amounts)
#define IRR_MAX_ITER 200

struct crit_loan {
    crit_loan_def def; /* array pointers point at the copies below */
    crit_date *curve_dates;
    double *curve_rates;
    double *profile;
    size_t n_draws, cap_draws;
    crit_date *draw_dates;
    double *draw_amounts;
    double drawn; /* sum of draw_amounts, in their (date) order */
    size_t n_rows;
    crit_date *dates;
    double *cols; /* CRIT_LOAN_COLUMNS arrays of n_rows, column-major */
};

void crit_loan_def_init(crit_loan_def *def)
{
    if (!def)
        return;
    memset(def, 0, sizeof *def);
    def->size = sizeof *def;
    def->frequency = 12;
    def->day_count = CRIT_DAY_COUNT_30_360;
    def->amortisation = CRIT_LOAN_ANNUITY;
    def->grace_mode = CRIT_LOAN_GRACE_INTEREST_ONLY;
}

/* ---- payment dates ----------------------------------------------------- */

/* Number of periods of a validated definition, and (when dates is not
 * NULL) the n + 1 dates from start to maturity. */
static size_t roll_dates(const crit_loan_def *d, crit_date *dates)
{
    int32_t step = 12 / d->frequency;
    size_t k = 0;
    if (dates)
        dates[0] = d->start;
    for (;;) {
        crit_date next;
        if (crit__date_add_months(&next, d->start, (int32_t)(k + 1) * step,
                                  d->end_of_month) ||
            next >= d->maturity) {
            k++;
            if (dates)
                dates[k] = d->maturity;
            return k;
        }
        k++;
        if (dates)
            dates[k] = next;
    }
}

/* ---- validation -------------------------------------------------------- */

static int fmt_date(char buf[11], crit_date date)
{
    if (crit_date_is_valid(date)) {
        int32_t y, m, dd;
        crit__date_split(date, &y, &m, &dd);
        buf[0] = (char)('0' + y / 1000);
        buf[1] = (char)('0' + y / 100 % 10);
        buf[2] = (char)('0' + y / 10 % 10);
        buf[3] = (char)('0' + y % 10);
        buf[4] = '-';
        buf[5] = (char)('0' + m / 10);
        buf[6] = (char)('0' + m % 10);
        buf[7] = '-';
        buf[8] = (char)('0' + dd / 10);
        buf[9] = (char)('0' + dd % 10);
        buf[10] = '\0';
    } else {
        memcpy(buf, "invalid", 8);
    }
    return 0;
}

static int check_date(const char *field, crit_date date)
{
    if (crit_date_is_valid(date))
        return CRIT_OK;
    return crit__error(CRIT_EINVAL,
                       "loan: %s %d is not a date from 0001-01-01 to "
                       "9999-12-31",
                       field, date);
}

static int check_dates(const crit_loan_def *d)
{
    char a[11], b[11], c[11];
    int rc;
    if ((rc = check_date("start", d->start)) ||
        (rc = check_date("maturity", d->maturity)) ||
        (rc = check_date("availability_end", d->availability_end)))
        return rc;
    fmt_date(a, d->start);
    fmt_date(b, d->maturity);
    fmt_date(c, d->availability_end);
    if (d->maturity <= d->start)
        return crit__error(CRIT_EINVAL,
                           "loan: maturity %s is not after start %s", b, a);
    if (d->availability_end < d->start || d->availability_end >= d->maturity)
        return crit__error(CRIT_EINVAL,
                           "loan: availability_end %s is not from start %s "
                           "to before maturity %s",
                           c, a, b);
    return CRIT_OK;
}

static int check_terms(const crit_loan_def *d)
{
    if (!isfinite(d->commitment) || d->commitment <= 0)
        return crit__error(CRIT_EINVAL,
                           "loan: commitment %g must be finite and > 0",
                           d->commitment);
    if (d->frequency != 1 && d->frequency != 2 && d->frequency != 4 &&
        d->frequency != 12)
        return crit__error(CRIT_EINVAL,
                           "loan: frequency %d is not 1, 2, 4 or 12 payments "
                           "a year",
                           d->frequency);
    if (!crit__day_count_is_valid(d->day_count))
        return crit__error(CRIT_EINVAL,
                           "loan: day_count %d is not a crit_day_count "
                           "(0 to 3)",
                           d->day_count);
    if (d->end_of_month != 0 && d->end_of_month != 1)
        return crit__error(CRIT_EINVAL, "loan: end_of_month %d is not 0 or 1",
                           d->end_of_month);
    if (d->amortisation < CRIT_LOAN_ANNUITY ||
        d->amortisation > CRIT_LOAN_SCULPTED)
        return crit__error(CRIT_EINVAL,
                           "loan: amortisation %d is not a "
                           "crit_loan_amortisation (0 to 3)",
                           d->amortisation);
    if (d->grace_mode != CRIT_LOAN_GRACE_INTEREST_ONLY &&
        d->grace_mode != CRIT_LOAN_GRACE_CAPITALISED)
        return crit__error(CRIT_EINVAL,
                           "loan: grace_mode %d is not 0 (interest only) or "
                           "1 (capitalised)",
                           d->grace_mode);
    if (!isfinite(d->upfront_fee_rate) || d->upfront_fee_rate < 0)
        return crit__error(CRIT_EINVAL,
                           "loan: upfront_fee_rate %g must be finite and "
                           ">= 0",
                           d->upfront_fee_rate);
    if (!isfinite(d->commitment_fee_rate) || d->commitment_fee_rate < 0)
        return crit__error(CRIT_EINVAL,
                           "loan: commitment_fee_rate %g must be finite and "
                           ">= 0",
                           d->commitment_fee_rate);
    return CRIT_OK;
}

static int check_rates(const crit_loan_def *d)
{
    if (!isfinite(d->fixed_rate) || !isfinite(d->spread))
        return crit__error(CRIT_EINVAL,
                           "loan: fixed_rate %g and spread %g must be finite",
                           d->fixed_rate, d->spread);
    if (d->curve_count == 0) {
        if (d->spread != 0)
            return crit__error(CRIT_EINVAL,
                               "loan: spread %g is given without a reference "
                               "curve (curve_count is 0)",
                               d->spread);
        if (d->fixed_rate <= -1)
            return crit__error(CRIT_EINVAL,
                               "loan: fixed_rate %g is not above -1",
                               d->fixed_rate);
        return CRIT_OK;
    }
    if (d->fixed_rate != 0)
        return crit__error(CRIT_EINVAL,
                           "loan: fixed_rate %g and a reference curve are "
                           "both given (set fixed_rate to 0 for a floating "
                           "rate)",
                           d->fixed_rate);
    if (!d->curve_dates || !d->curve_rates)
        return crit__error(CRIT_EINVAL,
                           "loan: curve_count is %zu but curve_dates or "
                           "curve_rates is NULL",
                           d->curve_count);
    for (size_t i = 0; i < d->curve_count; i++) {
        crit_date t = d->curve_dates[i];
        double r = d->curve_rates[i];
        if (!crit_date_is_valid(t))
            return crit__error(CRIT_EINVAL,
                               "loan: curve date %zu (%d) is not a date from "
                               "0001-01-01 to 9999-12-31",
                               i, t);
        if (i > 0 && t <= d->curve_dates[i - 1]) {
            char a[11], b[11];
            fmt_date(a, d->curve_dates[i - 1]);
            fmt_date(b, t);
            return crit__error(CRIT_EINVAL,
                               "loan: curve date %zu (%s) is not after curve "
                               "date %zu (%s)",
                               i, b, i - 1, a);
        }
        if (!isfinite(r) || !(r + d->spread > -1))
            return crit__error(CRIT_EINVAL,
                               "loan: curve rate %zu (%g) plus spread %g must "
                               "be finite and above -1",
                               i, r, d->spread);
    }
    return CRIT_OK;
}

static int check_schedule(const crit_loan_def *d, size_t n)
{
    if (d->grace_periods < 0 || (size_t)d->grace_periods >= n)
        return crit__error(CRIT_EINVAL,
                           "loan: grace_periods %d is not from 0 to %zu (the "
                           "loan has %zu periods)",
                           d->grace_periods, n - 1, n);
    size_t m = n - (size_t)d->grace_periods;
    if (d->amortisation != CRIT_LOAN_SCULPTED) {
        if (d->profile_count != 0)
            return crit__error(CRIT_EINVAL,
                               "loan: profile_count is %zu but amortisation "
                               "is not sculpted",
                               d->profile_count);
        return CRIT_OK;
    }
    if (d->profile_count != m)
        return crit__error(CRIT_EINVAL,
                           "loan: sculpted profile_count %zu is not the %zu "
                           "amortising periods (%zu periods less %d of "
                           "grace)",
                           d->profile_count, m, n, d->grace_periods);
    if (!d->profile)
        return crit__error(CRIT_EINVAL, "loan: sculpted profile is NULL");
    double sum = 0;
    for (size_t i = 0; i < m; i++) {
        double w = d->profile[i];
        if (!isfinite(w) || w < 0)
            return crit__error(CRIT_EINVAL,
                               "loan: profile weight %zu (%g) must be finite "
                               "and >= 0",
                               i, w);
        sum += w;
    }
    if (!(sum > 0) || !isfinite(sum))
        return crit__error(CRIT_EINVAL,
                           "loan: sculpted profile sums to %g, not a finite "
                           "value > 0",
                           sum);
    return CRIT_OK;
}

/* An on-demand draw's index for check_draw: it has no place in the
   definition's list, and its messages give it no number. */
#define ON_DEMAND ((size_t)-1)

/* How messages name draw i: "draw 2" (its index in the definition's list)
   or "on-demand draw". */
static const char *draw_name(char *buf, size_t n, size_t i)
{
    if (i == ON_DEMAND)
        return "on-demand draw";
    snprintf(buf, n, "draw %zu", i);
    return buf;
}

static int check_draw(const crit_loan_def *d, size_t i, crit_date t,
                      double amount, double drawn_before)
{
    char a[11], b[11], c[11], w[32];
    if (!isfinite(amount) || amount <= 0)
        return crit__error(CRIT_EINVAL,
                           "loan: %s amount %g must be finite and > 0",
                           draw_name(w, sizeof w, i), amount);
    if (!crit_date_is_valid(t))
        return crit__error(CRIT_EINVAL,
                           "loan: %s date %d is not a date from "
                           "0001-01-01 to 9999-12-31",
                           draw_name(w, sizeof w, i), t);
    fmt_date(a, t);
    fmt_date(b, d->start);
    fmt_date(c, d->availability_end);
    if (t < d->start)
        return crit__error(CRIT_EINVAL,
                           "loan: %s of %g on %s is before start %s",
                           draw_name(w, sizeof w, i), amount, a, b);
    if (t > d->availability_end)
        return crit__error(CRIT_EINVAL,
                           "loan: %s of %g on %s is after the end of "
                           "availability %s",
                           draw_name(w, sizeof w, i), amount, a, c);
    if (drawn_before + amount > d->commitment * (1 + DRAW_SLACK))
        return crit__error(CRIT_EINVAL,
                           "loan: %s of %g would bring draws to %.17g, "
                           "above the commitment %.17g",
                           draw_name(w, sizeof w, i), amount,
                           drawn_before + amount, d->commitment);
    return CRIT_OK;
}

static int check_draws(const crit_loan_def *d)
{
    if (d->draw_count == 0)
        return CRIT_OK;
    if (!d->draw_dates || !d->draw_amounts)
        return crit__error(CRIT_EINVAL,
                           "loan: draw_count is %zu but draw_dates or "
                           "draw_amounts is NULL",
                           d->draw_count);
    double drawn = 0;
    for (size_t i = 0; i < d->draw_count; i++) {
        int rc = check_draw(d, i, d->draw_dates[i], d->draw_amounts[i], drawn);
        if (rc)
            return rc;
        drawn += d->draw_amounts[i];
    }
    return CRIT_OK;
}

static int check_def(const crit_loan_def *d, size_t *out_n)
{
    int rc =
        crit__check_struct_size(d, LOAN_DEF_V1, sizeof *d, "loan definition");
    if (rc || (rc = check_terms(d)) || (rc = check_dates(d)) ||
        (rc = check_rates(d)))
        return rc;
    size_t n = roll_dates(d, NULL);
    if ((rc = check_schedule(d, n)) || (rc = check_draws(d)))
        return rc;
    *out_n = n;
    return CRIT_OK;
}

/* ---- the schedule ------------------------------------------------------ */

static double *col(const crit_loan *l, int c)
{
    return l->cols + (size_t)c * l->n_rows;
}

/* Annual rate of a period starting on `t`; `*pos` walks the curve
 * forward as t increases. */
static double rate_at(const crit_loan *l, crit_date t, size_t *pos)
{
    const crit_loan_def *d = &l->def;
    if (d->curve_count == 0)
        return d->fixed_rate;
    while (*pos + 1 < d->curve_count && d->curve_dates[*pos + 1] <= t)
        (*pos)++;
    return d->curve_rates[*pos] + d->spread;
}

/* Principal share of the level-annuity payment: q / ((1+q)^m - 1). */
static double annuity_principal_factor(double q, size_t m)
{
    if (q == 0)
        return 1.0 / (double)m;
    return q / expm1((double)m * log1p(q));
}

/*
 * Sculpted principal per unit of balance at profile index j: the debt
 * service w_j / S less the interest q, where S = sum_{i>=j} w_i
 * (1+q)^-(i-j+1) = (w_j + T) / (1+q) with T = sum_{i>j} w_i (1+q)^-(i-j).
 * It is computed as (w_j - q T) / (w_j + T), the same number without the
 * cancellation of (1+q) w_j / (w_j + T) - q: where no weight follows (T =
 * 0) it is exactly 1 and the period repays the whole balance, not the
 * balance give or take a rounding that later periods would carry. With no
 * weight left at all the debt service is 0: -q.
 */
static double sculpted_principal_factor(const crit_loan *l, size_t j, double q)
{
    size_t m = l->def.profile_count;
    double t = 0;
    for (size_t i = m; i-- > j + 1;)
        t = (l->profile[i] + t) / (1 + q);
    double w = l->profile[j];
    return w + t > 0 ? (w - q * t) / (w + t) : -q;
}

static void compute(crit_loan *l)
{
    const crit_loan_def *d = &l->def;
    size_t n = l->n_rows - 1, j = 0, pos = 0;
    double *open = col(l, CRIT_LOAN_COL_OPENING);
    double *drw = col(l, CRIT_LOAN_COL_DRAWS);
    double *intr = col(l, CRIT_LOAN_COL_INTEREST);
    double *cap = col(l, CRIT_LOAN_COL_CAPITALISED);
    double *prin = col(l, CRIT_LOAN_COL_PRINCIPAL);
    double *fees = col(l, CRIT_LOAN_COL_FEES);
    double *pay = col(l, CRIT_LOAN_COL_PAYMENT);
    double *close = col(l, CRIT_LOAN_COL_CLOSING);
    double *rate = col(l, CRIT_LOAN_COL_RATE);
    int32_t dc = d->day_count;
    double cfr = d->commitment_fee_rate;
    crit_date ae = d->availability_end;
    double undrawn = d->commitment;

    /* row 0: draws on the start date and the upfront fee */
    double d0 = 0;
    while (j < l->n_draws && l->draw_dates[j] == d->start)
        d0 += l->draw_amounts[j++];
    undrawn -= d0;
    open[0] = 0;
    drw[0] = d0;
    intr[0] = cap[0] = prin[0] = rate[0] = 0;
    fees[0] = d->upfront_fee_rate * d->commitment;
    pay[0] = (intr[0] + prin[0]) + fees[0];
    close[0] = ((open[0] + drw[0]) + cap[0]) - prin[0];

    size_t g = (size_t)d->grace_periods;
    for (size_t k = 1; k <= n; k++) {
        crit_date a = l->dates[k - 1], b = l->dates[k];
        double r = rate_at(l, a, &pos);
        double bal = close[k - 1];
        double acc = bal * crit__year_fraction(dc, a, b);
        double sum_draws = 0, fee = 0;
        crit_date t = a; /* commitment fee accrued up to t */
        for (; j < l->n_draws && l->draw_dates[j] <= b; j++) {
            crit_date td = l->draw_dates[j];
            double amt = l->draw_amounts[j];
            acc += amt * crit__year_fraction(dc, td, b);
            sum_draws += amt;
            if (cfr > 0 && td > t) {
                fee += (undrawn > 0 ? undrawn : 0) *
                       crit__year_fraction(dc, t, td);
                t = td;
            }
            undrawn -= amt;
        }
        if (cfr > 0 && ae > t) {
            crit_date e = b < ae ? b : ae;
            fee += (undrawn > 0 ? undrawn : 0) * crit__year_fraction(dc, t, e);
        }
        double accrued = r * acc, p = 0, c = 0, paid = accrued;
        if (k <= g) {
            if (d->grace_mode == CRIT_LOAN_GRACE_CAPITALISED) {
                c = accrued;
                paid = 0;
            }
        } else if (k < n) {
            size_t m = n - k + 1;
            double q = r / d->frequency;
            switch (d->amortisation) {
            case CRIT_LOAN_ANNUITY:
                p = bal * annuity_principal_factor(q, m);
                break;
            case CRIT_LOAN_EQUAL_PRINCIPAL:
                p = bal / (double)m;
                break;
            case CRIT_LOAN_SCULPTED:
                p = bal * sculpted_principal_factor(l, k - g - 1, q);
                break;
            default: /* bullet */
                break;
            }
        }
        open[k] = bal;
        drw[k] = sum_draws;
        intr[k] = paid;
        cap[k] = c;
        rate[k] = r;
        fees[k] = cfr * fee;
        double owed = (bal + sum_draws) + c;
        if (k == n)
            p = owed;
        prin[k] = p;
        pay[k] = (paid + p) + fees[k];
        close[k] = owed - p;
    }
}

/* ---- lifetime ---------------------------------------------------------- */

static void loan_release(crit_loan *l)
{
    crit__free(l->curve_dates);
    crit__free(l->curve_rates);
    crit__free(l->profile);
    crit__free(l->draw_dates);
    crit__free(l->draw_amounts);
    crit__free(l->dates);
    crit__free(l->cols);
    crit__free(l);
}

void crit_loan_free(crit_loan *loan)
{
    if (loan)
        loan_release(loan);
}

/* Insert a draw keeping the arrays sorted by date; equal dates keep their
 * order. Capacity must be available. */
static void insert_draw(crit_loan *l, crit_date t, double amount)
{
    size_t i = l->n_draws;
    while (i > 0 && l->draw_dates[i - 1] > t) {
        l->draw_dates[i] = l->draw_dates[i - 1];
        l->draw_amounts[i] = l->draw_amounts[i - 1];
        i--;
    }
    l->draw_dates[i] = t;
    l->draw_amounts[i] = amount;
    l->n_draws++;
}

/* The sum of the draws in date order, not in the order they came: a copy
 * or a loaded snapshot, which take them in date order, then has the same
 * bits (crit_loan_undrawn). */
static void sum_draws(crit_loan *l)
{
    double sum = 0;
    for (size_t k = 0; k < l->n_draws; k++)
        sum += l->draw_amounts[k];
    l->drawn = sum;
}

static void *dup_array(const void *src, size_t count, size_t elem, int *fail)
{
    if (count == 0 || *fail)
        return NULL;
    void *p = crit__malloc_array(count, elem);
    if (!p)
        *fail = 1;
    else
        memcpy(p, src, count * elem);
    return p;
}

int crit_loan_new(crit_loan **out, const crit_loan_def *def)
{
    if (!out || !def)
        return crit__error(CRIT_EINVAL, "loan: NULL argument");
    size_t n;
    int rc = check_def(def, &n);
    if (rc)
        return rc;

    crit_loan *l = crit__calloc(1, sizeof *l);
    if (!l)
        return crit__error_oom();
    crit__copy_in(&l->def, def, sizeof l->def);
    l->n_rows = n + 1;
    int fail = 0;
    l->curve_dates =
        dup_array(def->curve_dates, def->curve_count, sizeof(crit_date), &fail);
    l->curve_rates =
        dup_array(def->curve_rates, def->curve_count, sizeof(double), &fail);
    l->profile =
        dup_array(def->profile, def->profile_count, sizeof(double), &fail);
    size_t cap = def->draw_count ? def->draw_count : 4;
    if (!fail) {
        l->draw_dates = crit__malloc_array(cap, sizeof(crit_date));
        l->draw_amounts = crit__malloc_array(cap, sizeof(double));
        l->dates = crit__malloc_array(n + 1, sizeof(crit_date));
        l->cols =
            crit__malloc_array((n + 1) * CRIT_LOAN_COLUMNS, sizeof(double));
        fail = !l->draw_dates || !l->draw_amounts || !l->dates || !l->cols;
    }
    if (fail) {
        loan_release(l);
        return crit__error_oom();
    }
    l->def.curve_dates = l->curve_dates;
    l->def.curve_rates = l->curve_rates;
    l->def.profile = l->profile;
    l->def.draw_count = 0;
    l->def.draw_dates = NULL;
    l->def.draw_amounts = NULL;
    l->cap_draws = cap;
    for (size_t i = 0; i < def->draw_count; i++)
        insert_draw(l, def->draw_dates[i], def->draw_amounts[i]);
    sum_draws(l);
    roll_dates(&l->def, l->dates);
    compute(l);
    *out = l;
    return CRIT_OK;
}

/* Double the draw arrays' capacity when full. Both new arrays are
 * allocated before the old ones are released, so a failure changes
 * nothing. */
static int grow_draws(crit_loan *l)
{
    if (l->n_draws < l->cap_draws)
        return CRIT_OK;
    size_t cap = l->cap_draws * 2;
    crit_date *dd = crit__malloc_array(cap, sizeof *dd);
    double *da = crit__malloc_array(cap, sizeof *da);
    if (!dd || !da) {
        crit__free(dd);
        crit__free(da);
        return crit__error_oom();
    }
    memcpy(dd, l->draw_dates, l->n_draws * sizeof *dd);
    memcpy(da, l->draw_amounts, l->n_draws * sizeof *da);
    crit__free(l->draw_dates);
    crit__free(l->draw_amounts);
    l->draw_dates = dd;
    l->draw_amounts = da;
    l->cap_draws = cap;
    return CRIT_OK;
}

int crit_loan_draw(crit_loan *loan, crit_date date, double amount)
{
    if (!loan)
        return crit__error(CRIT_EINVAL, "loan: NULL argument");
    int rc = check_draw(&loan->def, ON_DEMAND, date, amount, loan->drawn);
    if (rc || (rc = grow_draws(loan)))
        return rc;
    insert_draw(loan, date, amount);
    sum_draws(loan);
    compute(loan);
    return CRIT_OK;
}

int crit_loan_undrawn(double *out, const crit_loan *loan, crit_date date)
{
    if (!out || !loan)
        return crit__error(CRIT_EINVAL, "loan: NULL argument");
    double u = loan->def.commitment - loan->drawn;
    if (date < loan->def.start || date > loan->def.availability_end || u < 0)
        u = 0;
    *out = u;
    return CRIT_OK;
}

/* ---- reading the schedule ---------------------------------------------- */

size_t crit_loan_row_count(const crit_loan *loan)
{
    return loan ? loan->n_rows : 0;
}

int crit_loan_row_get(crit_loan_row *out, const crit_loan *loan, size_t index)
{
    if (!out || !loan)
        return crit__error(CRIT_EINVAL, "loan: NULL argument");
    if (index >= loan->n_rows)
        return crit__error(CRIT_ERANGE,
                           "loan: row %zu is beyond the %zu rows of the "
                           "schedule",
                           index, loan->n_rows);
    size_t i = index;
    out->date = loan->dates[i];
    out->opening = col(loan, CRIT_LOAN_COL_OPENING)[i];
    out->draws = col(loan, CRIT_LOAN_COL_DRAWS)[i];
    out->interest = col(loan, CRIT_LOAN_COL_INTEREST)[i];
    out->capitalised = col(loan, CRIT_LOAN_COL_CAPITALISED)[i];
    out->principal = col(loan, CRIT_LOAN_COL_PRINCIPAL)[i];
    out->fees = col(loan, CRIT_LOAN_COL_FEES)[i];
    out->payment = col(loan, CRIT_LOAN_COL_PAYMENT)[i];
    out->closing = col(loan, CRIT_LOAN_COL_CLOSING)[i];
    out->rate = col(loan, CRIT_LOAN_COL_RATE)[i];
    return CRIT_OK;
}

int crit_loan_row_at(size_t *out, const crit_loan *loan, crit_date date)
{
    if (!out || !loan)
        return crit__error(CRIT_EINVAL, "loan: NULL argument");
    if (date < loan->def.start || date > loan->def.maturity) {
        char a[11], b[11], c[11];
        fmt_date(a, date);
        fmt_date(b, loan->def.start);
        fmt_date(c, loan->def.maturity);
        return crit__error(CRIT_ERANGE,
                           "loan: date %s is outside the loan's life, %s to "
                           "%s",
                           a, b, c);
    }
    /* first row whose date is >= date */
    size_t lo = 0, hi = loan->n_rows - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (loan->dates[mid] < date)
            lo = mid + 1;
        else
            hi = mid;
    }
    *out = lo;
    return CRIT_OK;
}

static int check_out(const void *out, size_t n, const crit_loan *loan)
{
    if (!out || !loan)
        return crit__error(CRIT_EINVAL, "loan: NULL argument");
    if (n < loan->n_rows)
        return crit__error(CRIT_EBUFSIZE,
                           "loan: buffer of %zu values is below the %zu rows "
                           "of the schedule",
                           n, loan->n_rows);
    return CRIT_OK;
}

int crit_loan_column(double *out, size_t n, const crit_loan *loan,
                     int32_t column)
{
    int rc = check_out(out, n, loan);
    if (rc)
        return rc;
    if (column < 0 || column >= CRIT_LOAN_COLUMNS)
        return crit__error(CRIT_EINVAL,
                           "loan: column %d is not a crit_loan_column_id (0 "
                           "to %d)",
                           column, CRIT_LOAN_COLUMNS - 1);
    memcpy(out, col(loan, column), loan->n_rows * sizeof *out);
    return CRIT_OK;
}

int crit_loan_dates(crit_date *out, size_t n, const crit_loan *loan)
{
    int rc = check_out(out, n, loan);
    if (rc)
        return rc;
    memcpy(out, loan->dates, loan->n_rows * sizeof *out);
    return CRIT_OK;
}

int crit_loan_totals_get(crit_loan_totals *out, const crit_loan *loan)
{
    if (!out || !loan)
        return crit__error(CRIT_EINVAL, "loan: NULL argument");
    crit_loan_totals t = {0, 0, 0, 0, 0, 0};
    for (size_t i = 0; i < loan->n_rows; i++) {
        t.draws += col(loan, CRIT_LOAN_COL_DRAWS)[i];
        t.interest += col(loan, CRIT_LOAN_COL_INTEREST)[i];
        t.capitalised += col(loan, CRIT_LOAN_COL_CAPITALISED)[i];
        t.principal += col(loan, CRIT_LOAN_COL_PRINCIPAL)[i];
        t.fees += col(loan, CRIT_LOAN_COL_FEES)[i];
        t.payment += col(loan, CRIT_LOAN_COL_PAYMENT)[i];
    }
    *out = t;
    return CRIT_OK;
}

/* ---- cash flows, NPV, IRR, WAL ----------------------------------------- */

/* Visit the lender's flows in date order; returns their number. */
static size_t visit_flows(const crit_loan *l, crit_date *dates, double *amts)
{
    const double *pay = col(l, CRIT_LOAN_COL_PAYMENT);
    size_t n = 0, j = 0;
    for (size_t k = 0; k < l->n_rows; k++) {
        for (; j < l->n_draws && l->draw_dates[j] <= l->dates[k]; j++, n++)
            if (dates) {
                dates[n] = l->draw_dates[j];
                amts[n] = -l->draw_amounts[j];
            }
        if (pay[k] != 0) {
            if (dates) {
                dates[n] = l->dates[k];
                amts[n] = pay[k];
            }
            n++;
        }
    }
    return n;
}

size_t crit_loan_flow_count(const crit_loan *loan)
{
    return loan ? visit_flows(loan, NULL, NULL) : 0;
}

int crit_loan_flows(crit_date *out_dates, double *out_amounts, size_t n,
                    const crit_loan *loan)
{
    if (!out_dates || !out_amounts || !loan)
        return crit__error(CRIT_EINVAL, "loan: NULL argument");
    size_t count = visit_flows(loan, NULL, NULL);
    if (n < count)
        return crit__error(CRIT_EBUFSIZE,
                           "loan: buffer of %zu values is below the %zu cash "
                           "flows",
                           n, count);
    visit_flows(loan, out_dates, out_amounts);
    return CRIT_OK;
}

/* NPV and its derivative in y of flows at times t (years). */
static double npv_at(const crit_date *dates, const double *amts, size_t n,
                     crit_date base, double y, double *deriv)
{
    double lg = log1p(y), f = 0, fp = 0;
    for (size_t i = 0; i < n; i++) {
        double t = (dates[i] - base) / 365.0;
        double v = amts[i] * exp(-t * lg);
        f += v;
        fp -= t * v;
    }
    if (deriv)
        *deriv = fp / (1 + y);
    return f;
}

static int check_flows(const crit_date *dates, const double *amounts, size_t n)
{
    if (n > 0 && (!dates || !amounts))
        return crit__error(CRIT_EINVAL, "cash flows: NULL array");
    for (size_t i = 0; i < n; i++) {
        if (!crit_date_is_valid(dates[i]))
            return crit__error(CRIT_EINVAL,
                               "cash flow %zu: date %d is not a date from "
                               "0001-01-01 to 9999-12-31",
                               i, dates[i]);
        if (!isfinite(amounts[i]))
            return crit__error(CRIT_EINVAL,
                               "cash flow %zu: amount %g is not finite", i,
                               amounts[i]);
    }
    return CRIT_OK;
}

static int check_rate(double rate)
{
    if (!isfinite(rate) || rate <= -1)
        return crit__error(
            CRIT_EINVAL, "discount rate %g must be finite and above -1", rate);
    return CRIT_OK;
}

int crit_loan_flows_npv(double *out, const crit_date *dates,
                        const double *amounts, size_t n, crit_date base,
                        double rate)
{
    if (!out)
        return crit__error(CRIT_EINVAL, "cash flows: NULL output");
    int rc = check_flows(dates, amounts, n);
    if (rc || (rc = check_rate(rate)))
        return rc;
    if (!crit_date_is_valid(base))
        return crit__error(CRIT_EINVAL,
                           "cash flows: base date %d is not a date from "
                           "0001-01-01 to 9999-12-31",
                           base);
    *out = npv_at(dates, amounts, n, base, rate, NULL);
    return CRIT_OK;
}

/* Refine the root of the NPV in a bracket [lo, hi] over which it changes
 * sign (negative at lo when lo_neg): Newton safeguarded by bisection. */
static int irr_refine(double *out, const crit_date *dates, const double *amts,
                      size_t n, crit_date base, double lo, double hi,
                      int lo_neg)
{
    double x = 0.5 * (lo + hi);
    for (int it = 0; it < IRR_MAX_ITER; it++) {
        double fp, f = npv_at(dates, amts, n, base, x, &fp);
        if (f == 0) {
            *out = x;
            return CRIT_OK;
        }
        if ((f < 0) == lo_neg)
            lo = x;
        else
            hi = x;
        double next = fp != 0 ? x - f / fp : lo - 1;
        if (!(next > lo && next < hi))
            next = 0.5 * (lo + hi);
        if (fabs(next - x) <= 1e-14 * (1 + fabs(x)) ||
            hi - lo <= 1e-15 * (1 + fabs(x))) {
            *out = next;
            return CRIT_OK;
        }
        x = next;
    }
    return crit__error(CRIT_ENOCONV,
                       "IRR: no convergence in %d iterations (bracket %.17g "
                       "to %.17g)",
                       IRR_MAX_ITER, lo, hi);
}

static int irr_solve(double *out, const crit_date *dates, const double *amts,
                     size_t n)
{
    static const double grid[] = {
        -0.99, -0.9, -0.75, -0.5, -0.3, -0.2, -0.1, -0.05, -0.02, 0,  0.02,
        0.05,  0.1,  0.2,   0.3,  0.5,  0.75, 1,    2,     5,     10, 100};
    const size_t ng = sizeof grid / sizeof *grid;
    size_t pos = 0, neg = 0;
    crit_date base = CRIT_DATE_MAX;
    for (size_t i = 0; i < n; i++) {
        pos += amts[i] > 0;
        neg += amts[i] < 0;
        if (dates[i] < base)
            base = dates[i];
    }
    if (pos == 0 || neg == 0)
        return crit__error(CRIT_EDOMAIN,
                           "no IRR: the %zu nonzero cash flows are all %s",
                           pos + neg, pos ? "positive" : "negative or none");
    /* candidates: the grid rates where the NPV is 0, and one root in each
     * bracket where it changes sign; the nearest to 0 wins */
    double fv[sizeof grid / sizeof *grid], best = NAN;
    for (size_t i = 0; i < ng; i++) {
        fv[i] = npv_at(dates, amts, n, base, grid[i], NULL);
        if (fv[i] == 0 && !(fabs(best) <= fabs(grid[i])))
            best = grid[i];
    }
    /* brackets in order of their distance to 0, while one may hold a root
     * nearer than the best so far (both brackets next to 0 are at 0) */
    unsigned char done[sizeof grid / sizeof *grid] = {0};
    for (;;) {
        size_t b = ng;
        double bd = INFINITY;
        for (size_t i = 0; i + 1 < ng; i++) {
            if (done[i] || !isfinite(fv[i]) || !isfinite(fv[i + 1]) ||
                fv[i] == 0 || fv[i + 1] == 0 || (fv[i] < 0) == (fv[i + 1] < 0))
                continue;
            double dist = grid[i + 1] <= 0 ? -grid[i + 1]
                          : grid[i] > 0    ? grid[i]
                                           : 0;
            if (dist < bd) {
                bd = dist;
                b = i;
            }
        }
        if (b == ng || bd >= fabs(best))
            break;
        done[b] = 1;
        double x = 0;
        int rc = irr_refine(&x, dates, amts, n, base, grid[b], grid[b + 1],
                            fv[b] < 0);
        if (rc)
            return rc;
        if (!(fabs(best) <= fabs(x)))
            best = x;
    }
    if (isnan(best))
        return crit__error(CRIT_EDOMAIN,
                           "no IRR: the NPV of the cash flows does not change "
                           "sign between -99%% and 10000%% a year");
    *out = best;
    return CRIT_OK;
}

int crit_loan_flows_irr(double *out, const crit_date *dates,
                        const double *amounts, size_t n)
{
    if (!out)
        return crit__error(CRIT_EINVAL, "cash flows: NULL output");
    int rc = check_flows(dates, amounts, n);
    if (rc)
        return rc;
    return irr_solve(out, dates, amounts, n);
}

/* The lender's flows of a loan in a caller-free way: the schedule is small,
 * so they are gathered on the stack when they fit, else allocated. */
typedef struct flows {
    crit_date *dates;
    double *amts;
    size_t n;
    crit_date sd[256];
    double sa[256];
} flows;

static int flows_get(flows *f, const crit_loan *l)
{
    f->n = visit_flows(l, NULL, NULL);
    f->dates = f->sd;
    f->amts = f->sa;
    if (f->n > 256) {
        f->dates = crit__malloc_array(f->n, sizeof(crit_date));
        f->amts = crit__malloc_array(f->n, sizeof(double));
        if (!f->dates || !f->amts) {
            crit__free(f->dates);
            crit__free(f->amts);
            return crit__error_oom();
        }
    }
    visit_flows(l, f->dates, f->amts);
    return CRIT_OK;
}

static void flows_release(flows *f)
{
    if (f->dates != f->sd) {
        crit__free(f->dates);
        crit__free(f->amts);
    }
}

int crit_loan_npv(double *out, const crit_loan *loan, double rate)
{
    if (!out || !loan)
        return crit__error(CRIT_EINVAL, "loan: NULL argument");
    int rc = check_rate(rate);
    if (rc)
        return rc;
    const double *pay = col(loan, CRIT_LOAN_COL_PAYMENT);
    double lg = log1p(rate), v = 0;
    crit_date s = loan->def.start;
    for (size_t j = 0; j < loan->n_draws; j++)
        v -= loan->draw_amounts[j] *
             exp(-((loan->draw_dates[j] - s) / 365.0) * lg);
    for (size_t k = 0; k < loan->n_rows; k++)
        v += pay[k] * exp(-((loan->dates[k] - s) / 365.0) * lg);
    *out = v;
    return CRIT_OK;
}

int crit_loan_irr(double *out, const crit_loan *loan)
{
    if (!out || !loan)
        return crit__error(CRIT_EINVAL, "loan: NULL argument");
    flows f;
    int rc = flows_get(&f, loan);
    if (rc)
        return rc;
    rc = irr_solve(out, f.dates, f.amts, f.n);
    flows_release(&f);
    return rc;
}

int crit_loan_wal(double *out, const crit_loan *loan)
{
    if (!out || !loan)
        return crit__error(CRIT_EINVAL, "loan: NULL argument");
    const double *prin = col(loan, CRIT_LOAN_COL_PRINCIPAL);
    double num = 0, den = 0;
    for (size_t k = 1; k < loan->n_rows; k++) {
        num += prin[k] * ((loan->dates[k] - loan->def.start) / 365.0);
        den += prin[k];
    }
    if (!(den > 0))
        return crit__error(CRIT_EDOMAIN,
                           "loan: no principal is repaid (nothing drawn), so "
                           "the weighted average life is undefined");
    *out = num / den;
    return CRIT_OK;
}

/* ---- copies (for the scenario engine) ---------------------------------- */

void crit__loan_def(crit_loan_def *out, const crit_loan *loan)
{
    *out = loan->def;
    out->draw_count = loan->n_draws;
    out->draw_dates = loan->draw_dates;
    out->draw_amounts = loan->draw_amounts;
}

int crit__loan_copy(crit_loan **out, const crit_loan *loan)
{
    crit_loan_def d;
    crit__loan_def(&d, loan);
    return crit_loan_new(out, &d);
}

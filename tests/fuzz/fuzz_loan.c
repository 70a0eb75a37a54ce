/*
 * libFuzzer target: loan facilities and their schedules (crit/loan.h,
 * MODEL.md section 6), through the public API. The bytes build a
 * definition (start dates on and off month ends, stubs, every frequency,
 * day count, amortisation and grace mode, fixed rates or a reference curve
 * with a spread, negative rates among them, sculpted profiles, fees,
 * scheduled draws) and then draw on demand. Every refused definition or
 * draw must explain itself, and a refused draw must leave the loan as it
 * was. A schedule must keep what crit/loan.h promises: rows dated from
 * the start to the maturity, each closing balance the next opening one,
 * payment = interest + principal + fees and closing = opening + draws +
 * capitalised - principal exactly, a last closing balance of exactly 0,
 * the period's rate from the fixed rate or the curve at its first day,
 * interest at that rate on the opening balance and on each draw from its
 * date, no principal in grace, capitalised interest only there, bullet
 * principal only at maturity, the upfront fee in row 0, totals that are
 * the columns' sums, the lender's flows summing to payments less draws,
 * NPV at the IRR near 0 and the undrawn commitment. Nothing may stay
 * allocated.
 */
#include <crit.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_bytes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { DRAWS_MAX = 8, CURVE_MAX = 4, ROWS_MAX = 1200 };

/* Say which property broke, then crash (the fuzzer keeps the input). */
static void fail(const char *what, size_t row, double got, double want)
{
    fprintf(stderr, "fuzz_loan: %s (row %zu: %.17g, expected %.17g): %s\n",
            what, row, got, want, crit_error_last());
    abort();
}

/* A refused input must say why; an accepted one leaves no message. */
static int input(int rc)
{
    if (rc != CRIT_OK && crit_error_last()[0] == '\0')
        fail("an input refused without a message", 0, rc, 0);
    crit_error_clear();
    return rc;
}

static int close_to(double got, double want, double scale)
{
    return fabs(got - want) <= 1e-12 * fmax(scale, fabs(want)) + 1e-300;
}

static double yf(int32_t day_count, crit_date a, crit_date b)
{
    double v = 0;
    if (crit_day_count_year_fraction(&v, day_count, a, b) != CRIT_OK)
        fail("a year fraction refused", 0, a, b);
    return v;
}

typedef struct facility {
    crit_loan_def def;
    crit_date cdates[CURVE_MAX];
    double crates[CURVE_MAX];
    double profile[ROWS_MAX];
    /* every draw, scheduled and on demand */
    crit_date dd[DRAWS_MAX];
    double da[DRAWS_MAX];
    size_t nd;
} facility;

/* The annual rate of a period starting on d (crit/loan.h, "Interest"). */
static double rate_at(const crit_loan_def *d, crit_date day)
{
    if (d->curve_count == 0)
        return d->fixed_rate;
    size_t k = 0;
    while (k + 1 < d->curve_count && d->curve_dates[k + 1] <= day)
        k++;
    return d->curve_rates[k] + d->spread;
}

static void check_schedule(const crit_loan *loan, const facility *f)
{
    const crit_loan_def *d = &f->def;
    size_t n = crit_loan_row_count(loan);
    if (n < 2 || n > ROWS_MAX)
        fail("a schedule of the wrong length", n, (double)n, 2);
    static crit_loan_row row[ROWS_MAX];
    for (size_t k = 0; k < n; k++)
        if (crit_loan_row_get(&row[k], loan, k) != CRIT_OK)
            fail("a row not readable", k, 0, 0);
    if (row[0].date != d->start || row[n - 1].date != d->maturity)
        fail("rows not from start to maturity", 0, row[0].date, d->start);
    double drawn = 0, scale = d->commitment;
    crit_loan_totals sum;
    memset(&sum, 0, sizeof sum);
    for (size_t k = 0; k < n; k++) {
        const crit_loan_row *r = &row[k];
        if (k > 0 && !(r->date > row[k - 1].date))
            fail("row dates not increasing", k, r->date, row[k - 1].date);
        if (r->opening != (k ? row[k - 1].closing : 0))
            fail("an opening balance not the last closing one", k, r->opening,
                 k ? row[k - 1].closing : 0);
        if (r->payment != r->interest + r->principal + r->fees)
            fail("payment is not interest + principal + fees", k, r->payment,
                 r->interest + r->principal + r->fees);
        if (r->closing != r->opening + r->draws + r->capitalised - r->principal)
            fail("closing is not opening + draws + capitalised - principal", k,
                 r->closing, r->opening + r->draws + r->capitalised);
        /* the draws dated in the row's period, and their interest */
        double dr = 0, accrue = 0;
        for (size_t j = 0; j < f->nd; j++) {
            int in = k == 0 ? f->dd[j] == d->start
                            : f->dd[j] > row[k - 1].date && f->dd[j] <= r->date;
            if (in) {
                dr += f->da[j];
                if (k > 0)
                    accrue += f->da[j] * yf(d->day_count, f->dd[j], r->date);
            }
        }
        if (!close_to(r->draws, dr, scale))
            fail("a row's draws are not those dated in it", k, r->draws, dr);
        drawn += r->draws;
        if (k == 0) {
            if (r->interest != 0 || r->capitalised != 0 || r->principal != 0)
                fail("row 0 with interest or principal", k, r->interest, 0);
            if (!close_to(r->fees, d->upfront_fee_rate * d->commitment, scale))
                fail("row 0's fee is not the upfront fee", k, r->fees,
                     d->upfront_fee_rate * d->commitment);
        } else {
            double rate = rate_at(d, row[k - 1].date);
            if (r->rate != rate)
                fail("a period's rate is not the curve's at its first day", k,
                     r->rate, rate);
            accrue += r->opening * yf(d->day_count, row[k - 1].date, r->date);
            double want = rate * accrue;
            if (!close_to(r->interest + r->capitalised, want,
                          fabs(rate) * (scale + fabs(r->opening))))
                fail("interest is not the rate on the balance and the draws", k,
                     r->interest + r->capitalised, want);
            int grace = (int32_t)k <= d->grace_periods && k + 1 < n;
            if (grace && r->principal != 0)
                fail("principal repaid in grace", k, r->principal, 0);
            if (r->capitalised != 0 &&
                !(grace && d->grace_mode == CRIT_LOAN_GRACE_CAPITALISED))
                fail("interest capitalised outside a capitalised grace", k,
                     r->capitalised, 0);
            if (d->amortisation == CRIT_LOAN_BULLET && k + 1 < n &&
                r->principal != 0)
                fail("bullet principal before maturity", k, r->principal, 0);
            if (d->amortisation != CRIT_LOAN_SCULPTED &&
                !(r->principal >= -1e-9 * scale))
                fail("negative principal", k, r->principal, 0);
            if (!(r->fees >= 0))
                fail("a negative fee", k, r->fees, 0);
            if (row[k - 1].date >= d->availability_end && r->fees != 0)
                fail("a commitment fee after availability", k, r->fees, 0);
        }
        sum.draws += r->draws;
        sum.interest += r->interest;
        sum.capitalised += r->capitalised;
        sum.principal += r->principal;
        sum.fees += r->fees;
        sum.payment += r->payment;
    }
    if (row[n - 1].closing != 0)
        fail("a balance left at maturity", n - 1, row[n - 1].closing, 0);
    if (!(drawn <= d->commitment * (1 + 1e-12)))
        fail("draws above the commitment", 0, drawn, d->commitment);
    crit_loan_totals t;
    if (crit_loan_totals_get(&t, loan) != CRIT_OK)
        fail("totals not readable", 0, 0, 0);
    double tot_scale = scale + fabs(sum.interest) + sum.fees;
    if (!close_to(t.draws, sum.draws, tot_scale) ||
        !close_to(t.interest, sum.interest, tot_scale) ||
        !close_to(t.capitalised, sum.capitalised, tot_scale) ||
        !close_to(t.principal, sum.principal, tot_scale) ||
        !close_to(t.fees, sum.fees, tot_scale) ||
        !close_to(t.payment, sum.payment, tot_scale))
        fail("totals are not the columns' sums", 0, t.payment, sum.payment);
    if (!close_to(t.principal, t.draws + t.capitalised, tot_scale))
        fail("principal repaid is not draws + capitalised", 0, t.principal,
             t.draws + t.capitalised);
    /* the lender's flows: minus the draws, plus the payments */
    size_t nf = crit_loan_flow_count(loan);
    if (nf > DRAWS_MAX + ROWS_MAX)
        fail("too many flows", 0, (double)nf, 0);
    static crit_date fd[DRAWS_MAX + ROWS_MAX];
    static double fa[DRAWS_MAX + ROWS_MAX];
    if (crit_loan_flows(fd, fa, nf, loan) != CRIT_OK)
        fail("flows not readable", 0, 0, 0);
    double net = 0, gross = 0, npv0;
    for (size_t i = 0; i < nf; i++) {
        if (i > 0 && fd[i] < fd[i - 1])
            fail("flows not in date order", i, fd[i], fd[i - 1]);
        net += fa[i];
        gross += fabs(fa[i]);
    }
    if (!close_to(net, t.payment - t.draws, gross))
        fail("flows do not sum to payments less draws", 0, net,
             t.payment - t.draws);
    if (crit_loan_npv(&npv0, loan, 0) != CRIT_OK || !close_to(npv0, net, gross))
        fail("NPV at 0 is not the flows' sum", 0, npv0, net);
    double irr, npv;
    if (input(crit_loan_irr(&irr, loan)) == CRIT_OK &&
        (crit_loan_npv(&npv, loan, irr) != CRIT_OK ||
         !(fabs(npv) <= 1e-6 * gross)))
        fail("NPV at the IRR is not 0", 0, npv, 0);
    double wal, years = (d->maturity - d->start) / 365.0;
    if (input(crit_loan_wal(&wal, loan)) == CRIT_OK &&
        d->amortisation != CRIT_LOAN_SCULPTED &&
        !(wal >= -1e-12 && wal <= years * (1 + 1e-12)))
        fail("a weighted average life outside the loan's life", 0, wal, years);
    double undrawn;
    if (crit_loan_undrawn(&undrawn, loan, d->availability_end) != CRIT_OK ||
        !close_to(undrawn, d->commitment - drawn, scale))
        fail("undrawn is not the commitment less the draws", 0, undrawn,
             d->commitment - drawn);
    if (crit_loan_undrawn(&undrawn, loan, d->maturity) != CRIT_OK ||
        undrawn != 0)
        fail("undrawn after availability", 0, undrawn, 0);
}

/* A date from 1990 to 2060: a day of the month, or a month's last day. */
static crit_date some_date(reader *r)
{
    int32_t y = 1990 + (int32_t)(byte(r) % 71), m = 1 + (int32_t)(byte(r) % 12);
    unsigned b = byte(r);
    int32_t last = crit_date_days_in_month(y, m);
    int32_t day = b & 1 ? last : 1 + (int32_t)((b >> 1) % (unsigned)last);
    crit_date out;
    if (crit_date_from_ymd(&out, y, m, day) != CRIT_OK)
        abort();
    return out;
}

static void build(reader *r, facility *f)
{
    crit_loan_def *d = &f->def;
    crit_loan_def_init(d);
    d->commitment = magnitude(r, 3, 10);
    d->start = some_date(r);
    d->end_of_month = (int32_t)(byte(r) & 1);
    static const int32_t freq[] = {1, 2, 4, 12};
    d->frequency = freq[byte(r) % 4];
    /* whole periods, or a stub of a few days more */
    int32_t months = (12 / d->frequency) * (1 + (int32_t)(byte(r) % 60));
    crit_date m;
    if (crit_date_add_months(&m, d->start, months, d->end_of_month) !=
            CRIT_OK ||
        crit_date_add_days(&d->maturity, m, (int32_t)(byte(r) % 4) * 9) !=
            CRIT_OK)
        abort();
    int32_t life = crit_date_days_between(d->start, d->maturity);
    d->availability_end = d->start + (int32_t)(unit(r) * life);
    d->day_count = (int32_t)(byte(r) % 4);
    unsigned flags = byte(r);
    if (flags & 1) { /* floating */
        d->curve_count = 1 + byte(r) % CURVE_MAX;
        crit_date c = d->start - (int32_t)(byte(r) % 400);
        for (size_t k = 0; k < d->curve_count; k++) {
            f->cdates[k] = c;
            f->crates[k] = unit(r) * 0.2 - 0.02;
            c += 1 + (int32_t)(unit(r) * 2000);
        }
        d->curve_dates = f->cdates;
        d->curve_rates = f->crates;
        d->spread = unit(r) * 0.05 - 0.005;
    } else
        d->fixed_rate = unit(r) * 0.2 - 0.01;
    d->amortisation = (int32_t)(byte(r) % 4);
    d->grace_mode = (int32_t)(byte(r) % 2);
    /* periods: the roll from the start until it reaches the maturity */
    size_t periods = 0;
    for (crit_date p = d->start; p < d->maturity && periods < ROWS_MAX;) {
        periods++;
        if (crit_date_add_months(&p, d->start,
                                 (int32_t)periods * (12 / d->frequency),
                                 d->end_of_month) != CRIT_OK)
            abort();
    }
    d->grace_periods = (int32_t)(byte(r) % (unsigned)periods);
    if (d->amortisation == CRIT_LOAN_SCULPTED) {
        d->profile_count = periods - (size_t)d->grace_periods;
        for (size_t k = 0; k < d->profile_count; k++)
            f->profile[k] = unit(r) < 0.2 ? 0 : magnitude(r, -1, 1);
        d->profile = f->profile;
    }
    d->upfront_fee_rate = flags & 2 ? unit(r) * 0.03 : 0;
    d->commitment_fee_rate = flags & 4 ? unit(r) * 0.02 : 0;
    d->draw_count = byte(r) % 5;
    int32_t avail = d->availability_end - d->start;
    double left = d->commitment;
    for (size_t k = 0; k < d->draw_count; k++) {
        f->dd[k] = d->start + (byte(r) & 1 ? 0 : (int32_t)(unit(r) * avail));
        f->da[k] = left * (0.05 + 0.5 * unit(r));
        left -= f->da[k];
    }
    d->draw_dates = f->dd;
    d->draw_amounts = f->da;
    f->nd = d->draw_count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t base_blocks = live_at_start();
    reader r = {data, size};
    static facility f;
    memset(&f, 0, sizeof f);
    build(&r, &f);
    crit_loan *loan = NULL;
    if (input(crit_loan_new(&loan, &f.def)) == CRIT_OK) {
        check_schedule(loan, &f);
        /* draws on demand, some of them refused */
        size_t want = byte(&r) % 4;
        for (size_t k = 0; k < want && f.nd < DRAWS_MAX; k++) {
            int32_t span = f.def.maturity - f.def.start + 60;
            crit_date day = f.def.start - 30 + (int32_t)(unit(&r) * span);
            double undrawn = 0;
            crit_loan_undrawn(&undrawn, loan, day);
            double amount =
                (undrawn > 0 ? undrawn : f.def.commitment) * (unit(&r) * 1.2);
            crit_loan_totals before, after;
            crit_loan_totals_get(&before, loan);
            size_t rows = crit_loan_row_count(loan);
            if (input(crit_loan_draw(loan, day, amount)) == CRIT_OK) {
                f.dd[f.nd] = day;
                f.da[f.nd++] = amount;
                check_schedule(loan, &f);
            } else {
                crit_loan_totals_get(&after, loan);
                if (memcmp(&before, &after, sizeof before) != 0 ||
                    crit_loan_row_count(loan) != rows)
                    fail("a refused draw changed the loan", 0, amount, 0);
            }
        }
    }
    crit_loan_free(loan);
    crit_error_clear();
    if (crit_allocator_live_blocks() != base_blocks)
        fail("blocks left allocated", 0,
             (double)(crit_allocator_live_blocks() - base_blocks), 0);
    return 0;
}

/**
 * @file crit/loan.h
 * @brief Loan facilities and their repayment schedules (MODEL.md
 *        section 6): commitment, availability period, scheduled and
 *        on-demand draws, fixed or floating rate, grace period,
 *        amortisation, fees; totals, NPV, IRR and weighted average life.
 *
 * Amounts are in the facility's currency (USD for the scenarios of
 * libcrit); rates are annual decimals (0.045 is 4.5 %); dates are
 * crit_date values (crit/date.h).
 *
 * **Payment dates.** The schedule rolls forward from the start date: the
 * k-th payment date is `start + k * 12/frequency` months
 * (crit_date_add_months() with the definition's `end_of_month` flag),
 * always counted from the start date, until the maturity date, which is
 * the last payment date. When the maturity date is not on the roll, the
 * last period is a short stub ending at maturity. No business-day
 * adjustment is made.
 *
 * **Rows.** A schedule of `n` periods has `n + 1` rows. Row 0 is dated at
 * the start date: it carries the draws made on the start date and the
 * upfront fee, no interest and no principal. Row `k` (1 to `n`) is dated
 * at the k-th payment date `d_k`, covers the period `(d_{k-1}, d_k]`, and
 * carries the draws dated in it, the interest of the period, the
 * commitment fee of the period and the principal due at `d_k`. Its
 * columns (crit_loan_column):
 *
 *     opening      balance after row k-1 (0 in row 0)
 *     draws        draws dated in the period
 *     interest     interest paid in cash at d_k
 *     capitalised  interest added to the balance at d_k (capitalised grace)
 *     principal    principal repaid at d_k
 *     fees         upfront fee (row 0) or commitment fee of the period
 *     payment      interest + principal + fees: the borrower's cash out
 *     closing      opening + draws + capitalised - principal
 *
 * Both identities hold exactly in floating point (they are how the two
 * columns are computed, in that order of operations). The last row's
 * principal is the whole remaining balance, `opening + draws +
 * capitalised`, so its closing balance is exactly 0. Debt service
 * (interest and principal without fees) is `payment - fees`.
 *
 * **Interest.** The period's annual rate `r_k` is the fixed rate, or the
 * reference curve at the period's first day `d_{k-1}` plus the spread (set
 * in advance). Interest accrues on the opening balance over the whole
 * period and on each draw from its date to `d_k`:
 * `r_k * (opening * yf(d_{k-1}, d_k) + sum_j draw_j * yf(t_j, d_k))`,
 * `yf` the definition's day count.
 *
 * **Grace and amortisation.** The first `grace_periods` periods repay no
 * principal; their interest is paid (CRIT_LOAN_GRACE_INTEREST_ONLY) or
 * added to the balance (CRIT_LOAN_GRACE_CAPITALISED). From then on, with
 * `m` periods left including the current one and `q = r_k / frequency`
 * the nominal periodic rate, the principal of period k is computed from
 * its opening balance `B`:
 *
 *     level annuity    B q / ((1 + q)^m - 1)  (B / m when q = 0): the
 *                      principal part of the level payment
 *                      B q / (1 - (1 + q)^-m)
 *     equal principal  B / m
 *     bullet           0 (everything at maturity)
 *     sculpted         debt service in proportion to the caller's profile
 *                      w (one weight per amortising period, at the
 *                      nominal rate q): payment
 *                      B w_j / sum_{i>=j} w_i (1 + q)^-(i-j+1), principal
 *                      that payment minus B q (exactly B in a period that
 *                      no weight follows: the balance is then 0)
 *
 * and the last period repays everything that is left. Recomputing from
 * the opening balance each period gives the closed-form schedule while
 * nothing changes, and re-amortises the balance over the remaining
 * periods after a draw or a change of the floating rate. Interest follows
 * the day count, principal the nominal periodic rate, as QuantLib's
 * amortising fixed-rate bonds do: under 30/360 with whole periods the
 * interest of a period is exactly `B q`, and the level-annuity payment is
 * exactly `B q / (1 - (1 + q)^-m)`. A sculpted period whose share of debt
 * service is below its interest has negative principal (the balance
 * grows). A sculpted profile of equal weights is the level annuity.
 *
 * **Fees.** The upfront fee, `upfront_fee_rate * commitment`, is paid at
 * the start date (row 0). The commitment fee accrues at
 * `commitment_fee_rate` a year on the undrawn commitment, day by day
 * under the day count, from the start date to the end of the
 * availability period, and is paid with the period's payment.
 *
 * **Draws.** Scheduled draws come with the definition; crit_loan_draw()
 * adds one on demand (a scenario draws the facility when a stockpile's
 * cash is short). A draw must fall within the availability period
 * `[start, availability_end]` (which ends before maturity) and fit in the
 * undrawn commitment. Every draw recomputes the whole schedule.
 *
 * **NPV, IRR, time.** The lender's cash flows are minus each draw at its
 * date and plus each row's payment at the row's date (fees included).
 * NPV and IRR discount them with annual compounding over ACT/365F years
 * from the start date: `sum_i cf_i (1 + y)^-t_i`, `t_i = (date_i -
 * start) / 365`. The weighted average life is `sum_k principal_k t_k /
 * sum_k principal_k` in the same years.
 *
 * Thread-safety: a loan is not locked. Functions taking a `const
 * crit_loan *` may run concurrently on one loan; crit_loan_draw() needs
 * exclusive access. Distinct loans may be used from distinct threads.
 */
#ifndef CRIT_LOAN_H
#define CRIT_LOAN_H

#include "common.h"
#include "date.h"

CRIT_BEGIN_DECLS

/** Opaque loan facility. Create with crit_loan_new(), free with
 *  crit_loan_free(). */
typedef struct crit_loan crit_loan;

/** How principal is repaid once the grace period is over. Values are
 *  fixed forever; pass them as `int32_t`. */
typedef enum crit_loan_amortisation {
    CRIT_LOAN_ANNUITY = 0,         /**< level annuity */
    CRIT_LOAN_EQUAL_PRINCIPAL = 1, /**< equal principal instalments */
    CRIT_LOAN_BULLET = 2,          /**< all principal at maturity */
    CRIT_LOAN_SCULPTED = 3         /**< debt service follows a profile */
} crit_loan_amortisation;

/** What happens to interest during the grace period. */
typedef enum crit_loan_grace {
    CRIT_LOAN_GRACE_INTEREST_ONLY = 0, /**< interest is paid */
    CRIT_LOAN_GRACE_CAPITALISED = 1    /**< interest is added to the balance */
} crit_loan_grace;

/** Columns of a schedule, for crit_loan_column(). Values are fixed. */
typedef enum crit_loan_column_id {
    CRIT_LOAN_COL_OPENING = 0,     /**< opening balance */
    CRIT_LOAN_COL_DRAWS = 1,       /**< draws in the period */
    CRIT_LOAN_COL_INTEREST = 2,    /**< interest paid */
    CRIT_LOAN_COL_CAPITALISED = 3, /**< interest added to the balance */
    CRIT_LOAN_COL_PRINCIPAL = 4,   /**< principal repaid */
    CRIT_LOAN_COL_FEES = 5,        /**< upfront and commitment fees */
    CRIT_LOAN_COL_PAYMENT = 6,     /**< interest + principal + fees */
    CRIT_LOAN_COL_CLOSING = 7,     /**< closing balance */
    CRIT_LOAN_COL_RATE = 8         /**< annual rate of the period (row 0: 0) */
} crit_loan_column_id;

/** Number of crit_loan_column_id values. */
#define CRIT_LOAN_COLUMNS 9

/**
 * Definition of a loan facility. Initialise with crit_loan_def_init(),
 * then set at least the commitment, the dates and a rate. Arrays are
 * borrowed only for the duration of crit_loan_new(), which copies them.
 */
typedef struct crit_loan_def {
    size_t size;                /**< sizeof(crit_loan_def), set by _init() */
    double commitment;          /**< L > 0: the most that may be drawn in all */
    crit_date start;            /**< start (signing) date; the schedule rolls
                                     from it */
    crit_date maturity;         /**< final payment date, after start */
    crit_date availability_end; /**< last day draws are allowed, from
                                     start to before maturity */
    int32_t frequency;    /**< payments a year: 1, 2, 4 or 12 (default 12) */
    int32_t day_count;    /**< a crit_day_count (default 30/360) */
    int32_t end_of_month; /**< 1: a month-end start rolls to month ends;
                               0 (default): see crit_date_add_months() */
    double fixed_rate;    /**< annual rate when no curve is given; must be
                               0 when one is */
    size_t curve_count;   /**< number of reference-curve points; 0 for a
                               fixed rate */
    const crit_date *curve_dates; /**< strictly increasing dates: rate i
                                       applies from date i to date i+1;
                                       the first also before its date */
    const double *curve_rates;    /**< annual reference rates */
    double spread;           /**< added to the curve (annual); 0 for fixed */
    int32_t amortisation;    /**< a crit_loan_amortisation (default annuity) */
    int32_t grace_mode;      /**< a crit_loan_grace (default interest only) */
    int32_t grace_periods;   /**< periods without principal, below the
                                  number of periods (default 0) */
    size_t profile_count;    /**< sculpted only: one weight per amortising
                                  period (periods - grace_periods) */
    const double *profile;   /**< sculpted only: weights >= 0, sum > 0 */
    double upfront_fee_rate; /**< fraction of the commitment paid at
                                  start, >= 0 */
    double commitment_fee_rate;  /**< annual rate on the undrawn amount
                                      during availability, >= 0 */
    size_t draw_count;           /**< number of scheduled draws */
    const crit_date *draw_dates; /**< dates of scheduled draws, any order */
    const double *draw_amounts;  /**< amounts, each > 0 */
} crit_loan_def;

/**
 * One row of a schedule: a frozen plain-value struct (its fields never
 * change). See the file's description for what each field means.
 */
typedef struct crit_loan_row {
    crit_date date;     /**< start date (row 0) or payment date */
    double opening;     /**< opening balance */
    double draws;       /**< draws in the period */
    double interest;    /**< interest paid */
    double capitalised; /**< interest added to the balance */
    double principal;   /**< principal repaid */
    double fees;        /**< fees paid */
    double payment;     /**< interest + principal + fees */
    double closing;     /**< opening + draws + capitalised - principal */
    double rate;        /**< annual interest rate of the period */
} crit_loan_row;

/**
 * Sums of a schedule's columns over all rows: a frozen plain-value struct.
 */
typedef struct crit_loan_totals {
    double draws;       /**< total drawn */
    double interest;    /**< total interest paid */
    double capitalised; /**< total interest capitalised */
    double principal;   /**< total principal repaid (= draws + capitalised) */
    double fees;        /**< total fees */
    double payment;     /**< total paid by the borrower */
} crit_loan_totals;

/**
 * Set `def` to its defaults and `def->size` to `sizeof(*def)`: commitment
 * 0 and all dates 0 (so they must be set), monthly payments, 30/360, no
 * end-of-month rule, fixed rate 0, no curve, level annuity, no grace
 * (interest-only when some is set), no fees, no scheduled draws.
 *
 * @param def the definition to initialise; ignored when NULL.
 */
CRIT_API void crit_loan_def_init(crit_loan_def *def);

/**
 * Create a loan facility and compute its schedule.
 *
 * Everything is validated before anything is allocated; the message of a
 * failure names the field and its value (`loan: draw 2 of 5e+09 on
 * 2027-03-01 is after the end of availability 2026-12-31`).
 *
 * @param out receives the loan, owned by the caller and released with
 *        crit_loan_free(); untouched on failure.
 * @param def the definition; its arrays are copied.
 * @return `CRIT_OK`; `CRIT_EINVAL` for a NULL argument or an invalid
 *         field: a commitment that is not finite and > 0; an invalid date,
 *         a maturity not after start, an availability end outside [start,
 *         maturity); a frequency other than 1, 2, 4, 12; an unknown day
 *         count, amortisation or grace mode; a non-finite rate, spread or
 *         fee, a negative fee, an annual rate (fixed, or curve + spread)
 *         not above -1; both a fixed rate and a curve; curve dates not
 *         strictly increasing; a grace period not below the number of
 *         periods; a sculpted profile of the wrong length, with a
 *         negative or non-finite weight or a sum that is not > 0; a draw
 *         that is not finite and > 0, dated outside availability, or
 *         draws summing to more than the commitment. `CRIT_ENOMEM`.
 */
CRIT_API int crit_loan_new(crit_loan **out, const crit_loan_def *def);

/**
 * Release a loan.
 *
 * @param loan the loan; NULL is ignored.
 */
CRIT_API void crit_loan_free(crit_loan *loan);

/**
 * Draw the facility on demand and recompute the schedule.
 *
 * @param loan the loan.
 * @param date the draw date, within the availability period.
 * @param amount the amount, finite, > 0 and at most the undrawn
 *        commitment (crit_loan_undrawn()).
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL loan, bad amount, date outside
 *         availability, amount above the undrawn commitment) or
 *         `CRIT_ENOMEM`. On failure the loan is unchanged.
 */
CRIT_API int crit_loan_draw(crit_loan *loan, crit_date date, double amount);

/**
 * Undrawn commitment available for a draw on a date: the commitment less
 * every draw so far (wherever dated; summed in date order, so that a copy
 * of the loan or one loaded from a snapshot gives the same bits), or 0
 * outside the availability period.
 *
 * @param out receives the amount.
 * @param loan the loan.
 * @param date the date asked about.
 * @return `CRIT_OK` or `CRIT_EINVAL` (NULL argument).
 */
CRIT_API int crit_loan_undrawn(double *out, const crit_loan *loan,
                               crit_date date);

/**
 * Number of rows of the schedule: the number of payment periods plus one
 * (row 0 at the start date).
 *
 * @param loan the loan.
 * @return the row count; 0 when `loan` is NULL.
 */
CRIT_API size_t crit_loan_row_count(const crit_loan *loan);

/**
 * One row of the schedule.
 *
 * @param out receives the row.
 * @param loan the loan.
 * @param index 0 to crit_loan_row_count() - 1.
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL argument) or `CRIT_ERANGE`.
 */
CRIT_API int crit_loan_row_get(crit_loan_row *out, const crit_loan *loan,
                               size_t index);

/**
 * Index of the row whose period contains a date: 0 for the start date, k
 * for a date in `(d_{k-1}, d_k]`. A scenario uses it to find what is due
 * in the period it is stepping through.
 *
 * @param out receives the row index.
 * @param loan the loan.
 * @param date a date from start to maturity.
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL argument) or `CRIT_ERANGE` (date
 *         before start or after maturity).
 */
CRIT_API int crit_loan_row_at(size_t *out, const crit_loan *loan,
                              crit_date date);

/**
 * Read one column of the schedule into a caller array.
 *
 * @param out receives crit_loan_row_count() values, one per row.
 * @param n the capacity of `out`, at least the row count.
 * @param loan the loan.
 * @param column a crit_loan_column_id.
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL argument, unknown column) or
 *         `CRIT_EBUFSIZE` (`n` below the row count; nothing written).
 */
CRIT_API int crit_loan_column(double *out, size_t n, const crit_loan *loan,
                              int32_t column);

/**
 * Read the rows' dates into a caller array.
 *
 * @param out receives crit_loan_row_count() dates.
 * @param n the capacity of `out`, at least the row count.
 * @param loan the loan.
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL argument) or `CRIT_EBUFSIZE`
 *         (nothing written).
 */
CRIT_API int crit_loan_dates(crit_date *out, size_t n, const crit_loan *loan);

/**
 * Sums of the schedule's columns.
 *
 * @param out receives the totals.
 * @param loan the loan.
 * @return `CRIT_OK` or `CRIT_EINVAL` (NULL argument).
 */
CRIT_API int crit_loan_totals_get(crit_loan_totals *out, const crit_loan *loan);

/**
 * Number of the lender's cash flows: one per draw and one per row with a
 * nonzero payment.
 *
 * @param loan the loan.
 * @return the count; 0 when `loan` is NULL.
 */
CRIT_API size_t crit_loan_flow_count(const crit_loan *loan);

/**
 * The lender's cash flows in date order (draws negative, payments
 * positive; on a date with both, the draw first), as used by
 * crit_loan_npv() and crit_loan_irr().
 *
 * @param out_dates receives crit_loan_flow_count() dates.
 * @param out_amounts receives as many amounts.
 * @param n the capacity of each array, at least the flow count.
 * @param loan the loan.
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL argument) or `CRIT_EBUFSIZE`
 *         (nothing written).
 */
CRIT_API int crit_loan_flows(crit_date *out_dates, double *out_amounts,
                             size_t n, const crit_loan *loan);

/**
 * Net present value of the lender's cash flows at the start date,
 * `sum_i cf_i (1 + rate)^-t_i` with `t_i` in ACT/365F years from start.
 * The borrower's NPV is its negative.
 *
 * @param out receives the NPV.
 * @param loan the loan.
 * @param rate annual discount rate, finite and > -1.
 * @return `CRIT_OK` or `CRIT_EINVAL` (NULL argument, a bad rate).
 */
CRIT_API int crit_loan_npv(double *out, const crit_loan *loan, double rate);

/**
 * Internal rate of return of the lender's cash flows (fees included): the
 * annual rate at which crit_loan_npv() is 0. It is also the borrower's
 * all-in cost. See crit_loan_flows_irr() for the method.
 *
 * @param out receives the rate.
 * @param loan the loan.
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL argument), `CRIT_EDOMAIN` (no
 *         IRR: nothing drawn, or no sign change), `CRIT_ENOCONV` or
 *         `CRIT_ENOMEM` (a schedule of more than 256 cash flows gathers
 *         them in allocated memory).
 */
CRIT_API int crit_loan_irr(double *out, const crit_loan *loan);

/**
 * Weighted average life: `sum_k principal_k t_k / sum_k principal_k`,
 * `t_k` in ACT/365F years from the start date to row k's date.
 *
 * @param out receives the life in years.
 * @param loan the loan.
 * @return `CRIT_OK`, `CRIT_EINVAL` (NULL argument) or `CRIT_EDOMAIN`
 *         (nothing drawn, so no principal).
 */
CRIT_API int crit_loan_wal(double *out, const crit_loan *loan);

/**
 * Net present value of any dated cash-flow stream at a base date,
 * `sum_i amounts_i (1 + rate)^-t_i`, `t_i = (dates_i - base) / 365`
 * (annual compounding, ACT/365F; flows before the base date are
 * compounded forward).
 *
 * @param out receives the NPV.
 * @param dates the flows' dates, any order.
 * @param amounts the flows, finite.
 * @param n the number of flows (0 gives 0).
 * @param base the date values are discounted to.
 * @param rate annual rate, finite and > -1.
 * @return `CRIT_OK` or `CRIT_EINVAL` (NULL `out`, NULL array with n > 0,
 *         invalid date, base date included, non-finite amount or bad
 *         rate).
 */
CRIT_API int crit_loan_flows_npv(double *out, const crit_date *dates,
                                 const double *amounts, size_t n,
                                 crit_date base, double rate);

/**
 * Internal rate of return of a dated cash-flow stream: the annual rate `y
 * > -1` with crit_loan_flows_npv() = 0 (times from the earliest date).
 *
 * Method: the NPV is evaluated on a grid of rates from -99 % to
 * 10,000 %; each sign change between neighbouring grid rates brackets a
 * root, which a Newton iteration safeguarded by bisection refines to
 * 1e-14 relative. Where the flows change sign more than once several
 * IRRs may exist: of the grid rates where the NPV is 0 and the roots so
 * bracketed, the one nearest to 0 % is returned (on either side of 0 %:
 * brackets are refined nearest first while they may hold a nearer root).
 * Two roots between the same neighbouring grid rates give no sign change
 * there and are not seen.
 *
 * @param out receives the rate.
 * @param dates the flows' dates.
 * @param amounts the flows.
 * @param n the number of flows.
 * @return `CRIT_OK`; `CRIT_EINVAL` (NULL `out`, NULL array with n > 0,
 *         invalid date, non-finite amount); `CRIT_EDOMAIN` when no
 *         IRR exists: every nonzero flow has the same sign, or the NPV
 *         does not change sign on the grid; `CRIT_ENOCONV` if the
 *         iteration does not converge (not expected once bracketed).
 */
CRIT_API int crit_loan_flows_irr(double *out, const crit_date *dates,
                                 const double *amounts, size_t n);

CRIT_END_DECLS

#endif /* CRIT_LOAN_H */

/* loan.i: calendar dates and day counts (crit/date.h), loan facilities and
 * schedules (crit/loan.h).
 *
 * crit_loan_def carries arrays (reference curve, sculpted profile,
 * scheduled draws), so loans are built through a small binding-side
 * handle, crit_swig_loan_spec: points, weights and draws are appended one
 * at a time, then crit_swig_loan_new() takes the spec and the scalar
 * fields. Rows and totals come back field by field through the generic
 * out-parameter typemaps. Functions on caller arrays (columns, dates,
 * flows, NPV and IRR of arbitrary streams) are not wrapped: the language
 * layers build columns from rows. Dates are crit_date day numbers. */

%apply int32_t *CRIT_OUT { crit_date *out, int32_t *out_year,
                           int32_t *out_month, int32_t *out_day,
                           crit_date *out_date };
%apply double *CRIT_OUT { double *out, double *out_opening,
                          double *out_draws, double *out_interest,
                          double *out_capitalised, double *out_principal,
                          double *out_fees, double *out_payment,
                          double *out_closing, double *out_rate };
%apply size_t *CRIT_OUT { size_t *out };

%ignore crit_date_format;
%include "crit/date.h"

%{
/* Arrays of a loan definition, appended to one item at a time. */
typedef struct crit_swig_loan_spec {
    size_t n_curve, n_profile, n_draws;
    crit_date *curve_dates;
    double *curve_rates;
    double *profile;
    crit_date *draw_dates;
    double *draw_amounts;
} crit_swig_loan_spec;

static void crit_swig_loan_spec_free(crit_swig_loan_spec *s)
{
    if (!s)
        return;
    free(s->curve_dates);
    free(s->curve_rates);
    free(s->profile);
    free(s->draw_dates);
    free(s->draw_amounts);
    free(s);
}

/* Grow *p to hold n + 1 elements of `size` bytes; 0 or CRIT_ENOMEM. */
static int crit_swig_grow(void **p, size_t n, size_t size)
{
    void *q = realloc(*p, (n + 1) * size);
    if (!q)
        return CRIT_ENOMEM;
    *p = q;
    return 0;
}
%}

CRIT_HANDLE(crit_swig_loan_spec, crit_swig_loan_spec_free, "loan spec")
CRIT_HANDLE(crit_loan, crit_loan_free, "loan")
%apply SWIGTYPE **CRIT_OWNED_OUT { crit_swig_loan_spec **out };

%ignore crit_loan_def;
%ignore crit_loan_def_init;
%ignore crit_loan_new;
%ignore crit_loan_row;
%ignore crit_loan_row_get;
%ignore crit_loan_totals;
%ignore crit_loan_totals_get;
%apply (double *CRIT_ARRAY_OUT, size_t CRIT_ARRAY_N) { (double *out, size_t n) };
%apply (int32_t *CRIT_ARRAY_OUT, size_t CRIT_ARRAY_N) { (crit_date *out, size_t n) };
%ignore crit_loan_flows;
%ignore crit_loan_flows_npv;
%ignore crit_loan_flows_irr;

%include "crit/loan.h"

%inline %{
/* A new, empty spec: no curve, no profile, no draws. */
static int crit_swig_loan_spec_new(crit_swig_loan_spec **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? 0 : CRIT_ENOMEM;
}

/* Append a reference-curve point: the rate (annual) from `date` on. */
static int crit_swig_loan_spec_add_curve_point(crit_swig_loan_spec *spec,
                                               crit_date date, double rate)
{
    if (crit_swig_grow((void **)&spec->curve_dates, spec->n_curve,
                       sizeof(crit_date)) ||
        crit_swig_grow((void **)&spec->curve_rates, spec->n_curve,
                       sizeof(double)))
        return CRIT_ENOMEM;
    spec->curve_dates[spec->n_curve] = date;
    spec->curve_rates[spec->n_curve++] = rate;
    return 0;
}

/* Append a sculpted-profile weight (one per amortising period). */
static int crit_swig_loan_spec_add_weight(crit_swig_loan_spec *spec,
                                          double weight)
{
    if (crit_swig_grow((void **)&spec->profile, spec->n_profile,
                       sizeof(double)))
        return CRIT_ENOMEM;
    spec->profile[spec->n_profile++] = weight;
    return 0;
}

/* Append a scheduled draw. */
static int crit_swig_loan_spec_add_draw(crit_swig_loan_spec *spec,
                                        crit_date date, double amount)
{
    if (crit_swig_grow((void **)&spec->draw_dates, spec->n_draws,
                       sizeof(crit_date)) ||
        crit_swig_grow((void **)&spec->draw_amounts, spec->n_draws,
                       sizeof(double)))
        return CRIT_ENOMEM;
    spec->draw_dates[spec->n_draws] = date;
    spec->draw_amounts[spec->n_draws++] = amount;
    return 0;
}

/* Flat crit_loan_new: crit_loan_def's scalar fields in order, its arrays
 * from the spec (which the loan copies; the spec may be freed after). */
static int crit_swig_loan_new(crit_loan **out,
                              const crit_swig_loan_spec *spec,
                              double commitment, crit_date start,
                              crit_date maturity, crit_date availability_end,
                              int32_t frequency, int32_t day_count,
                              int32_t end_of_month, double fixed_rate,
                              double spread, int32_t amortisation,
                              int32_t grace_mode, int32_t grace_periods,
                              double upfront_fee_rate,
                              double commitment_fee_rate)
{
    crit_loan_def d;
    crit_loan_def_init(&d);
    d.commitment = commitment;
    d.start = start;
    d.maturity = maturity;
    d.availability_end = availability_end;
    d.frequency = frequency;
    d.day_count = day_count;
    d.end_of_month = end_of_month;
    d.fixed_rate = fixed_rate;
    d.curve_count = spec->n_curve;
    d.curve_dates = spec->curve_dates;
    d.curve_rates = spec->curve_rates;
    d.spread = spread;
    d.amortisation = amortisation;
    d.grace_mode = grace_mode;
    d.grace_periods = grace_periods;
    d.profile_count = spec->n_profile;
    d.profile = spec->profile;
    d.upfront_fee_rate = upfront_fee_rate;
    d.commitment_fee_rate = commitment_fee_rate;
    d.draw_count = spec->n_draws;
    d.draw_dates = spec->draw_dates;
    d.draw_amounts = spec->draw_amounts;
    return crit_loan_new(out, &d);
}

/* Flat crit_loan_row_get, fields in crit_loan_row's order. */
static int crit_swig_loan_row_get(crit_date *out_date, double *out_opening,
                                  double *out_draws, double *out_interest,
                                  double *out_capitalised,
                                  double *out_principal, double *out_fees,
                                  double *out_payment, double *out_closing,
                                  double *out_rate, const crit_loan *loan,
                                  size_t index)
{
    crit_loan_row r;
    int rc = crit_loan_row_get(&r, loan, index);
    if (rc < 0)
        return rc;
    *out_date = r.date;
    *out_opening = r.opening;
    *out_draws = r.draws;
    *out_interest = r.interest;
    *out_capitalised = r.capitalised;
    *out_principal = r.principal;
    *out_fees = r.fees;
    *out_payment = r.payment;
    *out_closing = r.closing;
    *out_rate = r.rate;
    return rc;
}

/* Flat crit_loan_totals_get, fields in crit_loan_totals' order. */
static int crit_swig_loan_totals_get(double *out_draws, double *out_interest,
                                     double *out_capitalised,
                                     double *out_principal, double *out_fees,
                                     double *out_payment,
                                     const crit_loan *loan)
{
    crit_loan_totals t;
    int rc = crit_loan_totals_get(&t, loan);
    if (rc < 0)
        return rc;
    *out_draws = t.draws;
    *out_interest = t.interest;
    *out_capitalised = t.capitalised;
    *out_principal = t.principal;
    *out_fees = t.fees;
    *out_payment = t.payment;
    return rc;
}
%}

/* The date and loan API through the shared library and <crit.h> only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>

#include <crit.h>

/* A 15-year monthly level annuity of 10 bn at 5 % (30/360) with a 1 %
 * upfront fee: the payment is B q / (1 - (1+q)^-n) and the last closing
 * balance is exactly 0. */
static void test_api_loan_annuity(void **state)
{
    (void)state;
    crit_loan_def d;
    crit_loan_def_init(&d);
    assert_int_equal(crit_date_parse(&d.start, "2026-02-15"), CRIT_OK);
    assert_int_equal(crit_date_add_months(&d.maturity, d.start, 180, 0),
                     CRIT_OK);
    d.availability_end = d.start;
    d.commitment = 1e10;
    d.fixed_rate = 0.05;
    d.upfront_fee_rate = 0.01;
    crit_date dd = d.start;
    double da = 1e10;
    d.draw_count = 1;
    d.draw_dates = &dd;
    d.draw_amounts = &da;
    crit_loan *l = NULL;
    assert_int_equal(crit_loan_new(&l, &d), CRIT_OK);
    assert_int_equal(crit_loan_row_count(l), 181);
    double q = 0.05 / 12, A = 1e10 * q / (1 - pow(1 + q, -180.0));
    double pay[181], close[181];
    assert_int_equal(crit_loan_column(pay, 181, l, CRIT_LOAN_COL_PAYMENT),
                     CRIT_OK);
    assert_int_equal(crit_loan_column(close, 181, l, CRIT_LOAN_COL_CLOSING),
                     CRIT_OK);
    assert_true(pay[0] == 1e8);
    for (int k = 1; k <= 180; k++)
        assert_true(fabs(pay[k] - A) < 1e-11 * A);
    assert_true(close[180] == 0.0);
    crit_loan_row r;
    assert_int_equal(crit_loan_row_get(&r, l, 180), CRIT_OK);
    char buf[11];
    assert_int_equal(crit_date_format(buf, sizeof buf, r.date), CRIT_OK);
    assert_string_equal(buf, "2041-02-15");
    crit_loan_free(l);
    assert_int_equal(crit_allocator_live_blocks(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_loan_annuity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

// The QuantLib peer of bench_loan: the same loans as amortizing fixed-rate
// bonds, timed here, their per-period interest and principal written out
// for bench_loan to compare with libcrit's schedules.
//
// Usage: bench_loan_quantlib SPEC OUT
// SPEC: a first line "loans reps", then one loan per line:
//   year month day periods frequency rate amount grace amortisation daycount
// (amortisation 0 annuity, 1 equal principal, 2 bullet; daycount as
// crit_day_count). OUT receives, per loan, the interest then the principal
// of each period as doubles, and a last line on stdout: "seconds <best>".
#include <ql/cashflows/coupon.hpp>
#include <ql/instruments/bonds/amortizingfixedratebond.hpp>
#include <ql/time/calendars/nullcalendar.hpp>
#include <ql/time/daycounters/actual360.hpp>
#include <ql/time/daycounters/actual365fixed.hpp>
#include <ql/time/daycounters/actualactual.hpp>
#include <ql/time/daycounters/thirty360.hpp>
#include <ql/time/schedule.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>

using namespace QuantLib;

namespace {

struct Spec {
    int y, m, d, n, freq;
    double rate, amount;
    int grace, amort, dc;
};

DayCounter day_counter(int dc)
{
    switch (dc) {
    case 0:
        return Actual360();
    case 1:
        return Actual365Fixed();
    case 2:
        return Thirty360(Thirty360::BondBasis);
    default:
        return ActualActual(ActualActual::ISDA);
    }
}

// Opening balance of each period under libcrit's conventions: constant
// through the grace period, then the closed-form balance of the chosen
// amortisation at the nominal periodic rate q = rate / frequency.
std::vector<Real> notionals(const Spec& s)
{
    std::vector<Real> out(s.n);
    int m = s.n - s.grace;
    double q = s.rate / s.freq, gm = std::pow(1 + q, m);
    for (int k = 0; k < s.n; k++) {
        int j = k - s.grace; // amortising payments made before period k+1
        if (j <= 0 || s.amort == 2)
            out[k] = s.amount;
        else if (s.amort == 1)
            out[k] = s.amount * (1.0 - double(j) / m);
        else
            out[k] = s.amount * (gm - std::pow(1 + q, j)) / (gm - 1);
    }
    return out;
}

// Build the bond and read its interest and principal per period.
void run(const Spec& s, double* interest, double* principal)
{
    Date start(s.d, Month(s.m), s.y);
    Period tenor(Frequency(s.freq));
    Date maturity = start + Period(s.n * (12 / s.freq), Months);
    Schedule sched(start, maturity, tenor, NullCalendar(), Unadjusted,
                   Unadjusted, DateGeneration::Forward, false);
    AmortizingFixedRateBond bond(0, notionals(s), sched,
                                 std::vector<Rate>(1, s.rate),
                                 day_counter(s.dc), Unadjusted, start);
    const Leg& leg = bond.cashflows();
    int ci = 0;
    std::size_t p = 1;
    for (int k = 0; k < s.n; k++)
        principal[k] = 0;
    for (const auto& cf : leg) {
        if (auto c = ext::dynamic_pointer_cast<Coupon>(cf)) {
            interest[ci++] = c->amount();
        } else {
            while (sched.date(p) < cf->date())
                p++;
            principal[p - 1] += cf->amount();
        }
    }
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s SPEC OUT\n", argv[0]);
        return 2;
    }
    std::FILE* in = std::fopen(argv[1], "r");
    if (!in) {
        std::perror(argv[1]);
        return 1;
    }
    int count = 0, reps = 0;
    if (std::fscanf(in, "%d %d", &count, &reps) != 2 || count <= 0 ||
        reps <= 0)
        return 1;
    std::vector<Spec> specs(count);
    std::size_t total = 0;
    for (auto& s : specs) {
        if (std::fscanf(in, "%d %d %d %d %d %lf %lf %d %d %d", &s.y, &s.m,
                        &s.d, &s.n, &s.freq, &s.rate, &s.amount, &s.grace,
                        &s.amort, &s.dc) != 10)
            return 1;
        total += s.n;
    }
    std::fclose(in);
    std::vector<double> interest(total), principal(total);
    double best = 1e300;
    for (int r = 0; r < reps; r++) {
        auto t0 = std::chrono::steady_clock::now();
        std::size_t off = 0;
        for (const auto& s : specs) {
            run(s, &interest[off], &principal[off]);
            off += s.n;
        }
        std::chrono::duration<double> dt = std::chrono::steady_clock::now() - t0;
        if (dt.count() < best)
            best = dt.count();
    }
    std::FILE* out = std::fopen(argv[2], "wb");
    if (!out) {
        std::perror(argv[2]);
        return 1;
    }
    std::size_t off = 0;
    for (const auto& s : specs) {
        std::fwrite(&interest[off], sizeof(double), s.n, out);
        std::fwrite(&principal[off], sizeof(double), s.n, out);
        off += s.n;
    }
    std::fclose(out);
    std::printf("seconds %.9g\n", best);
    return 0;
}

"""crit.Loan and the date helpers, checked against closed forms."""

import datetime as dt
import math

import pytest

import crit


def annuity_loan(**kw):
    args = dict(rate=0.06, draws=[("2025-01-15", 1e6)])
    args.update(kw)
    return crit.Loan(1e6, "2025-01-15", dt.date(2035, 1, 15), **args)


def test_dates_round_trip():
    assert crit.to_day("1970-01-01") == 0
    assert crit.to_day(dt.date(2000, 3, 1)) == 11017
    assert crit.to_day(dt.datetime(2000, 3, 1, 15, 30)) == 11017
    assert crit.to_date(11017) == dt.date(2000, 3, 1)
    assert crit.add_months("2024-01-31", 1) == dt.date(2024, 2, 29)
    assert crit.add_months("2023-02-28", 1, end_of_month=True) == \
        dt.date(2023, 3, 31)
    with pytest.raises(crit.InvalidArgumentError, match="February 2023"):
        crit.to_day("2023-02-29")
    with pytest.raises(TypeError):
        crit.to_day(1.5)


def test_year_fractions():
    # 2023-12-31 -> 2024-01-31: 1/365 + 30/366 (ACT/ACT ISDA); 30/360:
    # both 31sts become 30, 360 - 330 = 30 days
    assert crit.year_fraction("2023-12-31", "2024-01-31", "ACT/ACT ISDA") \
        == pytest.approx(1 / 365 + 30 / 366, rel=1e-15)
    assert crit.year_fraction("2023-12-31", "2024-01-31", "30/360") == \
        pytest.approx(30 / 360, rel=1e-15)
    with pytest.raises(crit.InvalidArgumentError, match="day_count"):
        crit.year_fraction("2024-01-01", "2024-02-01", "ACT/999")


def test_annuity_schedule_frame():
    with annuity_loan() as loan:
        assert len(loan) == 121
        df = loan.schedule()
        assert list(df.columns) == list(crit._loan.COLUMNS)
        assert df.index[0] == dt.datetime(2025, 1, 15)
        assert df.index[-1] == dt.datetime(2035, 1, 15)
        q, n = 0.005, 120
        a = 1e6 * q / (1 - (1 + q) ** -n)
        assert df.payment.iloc[1:].to_numpy() == \
            pytest.approx([a] * n, rel=1e-11)
        # the identities hold exactly, the last balance is exactly 0
        assert (df.payment == df.interest + df.principal + df.fees).all()
        assert (df.closing == df.opening + df.draws + df.capitalised
                - df.principal).all()
        assert df.closing.iloc[-1] == 0.0
        t = loan.totals()
        assert t.principal == pytest.approx(1e6, rel=1e-12)
        assert t.interest == pytest.approx(n * a - 1e6, rel=1e-9)
        assert loan.row(1)["date"] == dt.date(2025, 2, 15)


def test_bulk_columns_fill_numpy_in_place():
    import numpy as np
    with annuity_loan() as loan:
        n = len(loan)
        out = np.full(n, -1.0)
        crit._core.loan_column(out, loan._h, 2)  # interest, no copy
        rows = [loan.row(k)["interest"] for k in range(n)]
        assert out.tolist() == rows
        days = np.zeros(n, dtype=np.int32)
        crit._core.loan_dates(days, loan._h)
        assert days[1] - days[0] == 31  # 2025-01-15 -> 2025-02-15
        with pytest.raises(TypeError):
            crit._core.loan_column(np.zeros(n, dtype=np.float32), loan._h, 2)
        with pytest.raises(crit.Error) as e:  # EBUFSIZE, nothing written
            crit._core.loan_column(short := np.full(n - 1, 7.0), loan._h, 2)
        assert e.value.name == "CRIT_EBUFSIZE"
        assert (short == 7.0).all()


def test_on_demand_draw_and_errors():
    loan = crit.Loan(1e6, "2025-01-15", "2030-01-15", rate=0.05,
                     availability_end="2026-01-15", commitment_fee=0.004,
                     amortisation="bullet")
    assert loan.totals().draws == 0
    with pytest.raises(crit.DomainError):
        loan.irr()
    loan.draw("2025-06-15", 4e5)
    assert loan.undrawn("2025-07-01") == 6e5
    assert loan.row_at("2025-06-15") == 5
    with pytest.raises(crit.InvalidArgumentError, match="above the commitment"):
        loan.draw("2025-07-15", 7e5)
    with pytest.raises(crit.InvalidArgumentError, match="after the end"):
        loan.draw("2026-02-15", 1.0)
    assert loan.totals().draws == 4e5
    with pytest.raises(crit.IndexOutOfRangeError):
        loan.row_at("2031-01-01")
    loan.close()
    loan.close()
    with pytest.raises(crit.StateError):
        loan.totals()


def test_validation_names_the_field():
    with pytest.raises(crit.InvalidArgumentError, match="frequency 3"):
        annuity_loan(frequency=3)
    with pytest.raises(crit.InvalidArgumentError, match="amortisation"):
        annuity_loan(amortisation="balloon")
    with pytest.raises(crit.InvalidArgumentError, match="profile_count 2"):
        annuity_loan(amortisation="sculpted", profile=[1, 2])
    with pytest.raises(crit.InvalidArgumentError, match="maturity"):
        crit.Loan(1.0, "2025-01-01", "2024-01-01", rate=0.05)


def test_irr_npv_wal_known():
    # 100 for 365 days at 10 % ACT/365F, bullet: IRR 10 %, WAL 1 year
    with crit.Loan(100, "2025-01-01", "2026-01-01", rate=0.10, frequency=1,
                   day_count="ACT/365F", amortisation="bullet",
                   draws=[("2025-01-01", 100)]) as loan:
        assert loan.irr() == pytest.approx(0.10, rel=1e-13)
        assert loan.npv(0.05) == pytest.approx(-100 + 110 / 1.05, rel=1e-13)
        assert loan.wal() == pytest.approx(1.0, rel=1e-15)


def test_floating_and_capitalised_grace():
    curve = [("2020-01-01", 0.03), ("2026-01-15", 0.05)]
    with annuity_loan(rate=None, curve=curve, spread=0.01, grace_periods=6,
                      grace="capitalised") as loan:
        df = loan.schedule()
        assert df.rate.iloc[1] == 0.03 + 0.01
        assert df.rate.iloc[-1] == 0.05 + 0.01
        assert (df.payment.iloc[1:7] == 0).all()
        assert df.closing.iloc[6] == pytest.approx(1e6 * (1 + 0.04 / 12) ** 6,
                                                   rel=1e-12)
        assert not math.isnan(loan.irr())


def test_defaults_and_types():
    # 30/360 by default: Jan 31 -> Mar 1 is (60 - 29) / 360 (day 31 -> 30)
    assert crit.year_fraction("2026-01-31", "2026-03-01") == \
        pytest.approx(31 / 360, rel=1e-15)
    with pytest.raises(TypeError, match="got bool"):
        crit.to_day(True)
    # the upfront fee, a fraction of the commitment, is paid at start; the
    # commitment fee accrues on nothing (availability ends at start)
    with crit.Loan(1e6, "2026-01-15", "2028-01-15", rate=0.04,
                   draws=[("2026-01-15", 1e6)], upfront_fee=0.01,
                   commitment_fee=0.5) as loan:
        assert loan.row(0)["fees"] == pytest.approx(1e4, rel=1e-15)
        assert loan.totals().fees == pytest.approx(1e4, rel=1e-15)


def test_schedule_is_indexed_by_date():
    with annuity_loan() as loan:
        df = loan.schedule()
        assert df.index.name == "date"
        assert str(df.index[1].date()) == "2025-02-15"

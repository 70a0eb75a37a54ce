"""crit.Loan: loan facilities and their schedules (MODEL.md section 6).

Dates are accepted as datetime.date (or datetime.datetime, whose time is
ignored), "YYYY-MM-DD" strings, or libcrit day numbers (int, days since
1970-01-01). The conventions are those of crit/loan.h; docs/loans.md
explains them with a worked example.
"""

import datetime as _dt
from dataclasses import dataclass
from operator import index as _index  # an int, never a truncated float

from . import _core
from ._handle import _Handle

_EPOCH = _dt.date(1970, 1, 1)

DAY_COUNTS = {
    "ACT/360": _core.CRIT_DAY_COUNT_ACT_360,
    "ACT/365F": _core.CRIT_DAY_COUNT_ACT_365F,
    "30/360": _core.CRIT_DAY_COUNT_30_360,
    "ACT/ACT ISDA": _core.CRIT_DAY_COUNT_ACT_ACT_ISDA,
}
AMORTISATIONS = {
    "annuity": _core.CRIT_LOAN_ANNUITY,
    "equal_principal": _core.CRIT_LOAN_EQUAL_PRINCIPAL,
    "bullet": _core.CRIT_LOAN_BULLET,
    "sculpted": _core.CRIT_LOAN_SCULPTED,
}
GRACE_MODES = {
    "interest_only": _core.CRIT_LOAN_GRACE_INTEREST_ONLY,
    "capitalised": _core.CRIT_LOAN_GRACE_CAPITALISED,
}
COLUMNS = ("opening", "draws", "interest", "capitalised", "principal",
           "fees", "payment", "closing", "rate")


def to_day(value):
    """to_day(value) -> int: a date as a libcrit day number.

    value: datetime.date, datetime.datetime (time ignored), "YYYY-MM-DD"
    or an int day number. Raises crit.InvalidArgumentError for a string
    that is not a real date, TypeError for another type.
    """
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return (value - _EPOCH).days
    if isinstance(value, str):
        return _core.date_parse(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise TypeError(f"expected a date, 'YYYY-MM-DD' or a day number, got "
                    f"{type(value).__name__}")


def to_date(day):
    """to_date(day: int) -> datetime.date of a libcrit day number."""
    return _EPOCH + _dt.timedelta(days=int(day))


def add_months(date, months, end_of_month=False):
    """add_months(date, months: int, end_of_month: bool = False)
    -> datetime.date

    Calendar-month arithmetic of crit_date_add_months(): the day is kept
    where the target month has it, else clipped to the month's end
    (Jan 31 + 1 month = Feb 28/29); with end_of_month, a month end stays a
    month end.
    """
    return to_date(_core.date_add_months(to_day(date), _index(months),
                                         1 if end_of_month else 0))


def year_fraction(start, end, day_count="30/360"):
    """year_fraction(start, end, day_count: str = "30/360") -> float

    Year fraction under "ACT/360", "ACT/365F", "30/360" (bond basis) or
    "ACT/ACT ISDA"; negative when end is before start.
    """
    return _core.day_count_year_fraction(_choice(day_count, DAY_COUNTS,
                                                 "day_count"),
                                         to_day(start), to_day(end))


def _choice(value, table, field):
    try:
        return table[value]
    except (KeyError, TypeError):
        raise _core_error(f"loan: {field} {value!r} is not one of "
                          f"{', '.join(table)}") from None


def _core_error(message):
    from ._errors import ERRORS
    return ERRORS[-1](-1, message)  # CRIT_EINVAL


@dataclass(frozen=True)
class LoanTotals:
    """Sums of a schedule's columns over all rows."""
    draws: float
    interest: float
    capitalised: float
    principal: float
    fees: float
    payment: float


class Loan(_Handle):
    """Loan(commitment, start, maturity, *, rate=None, curve=None,
    spread=0.0, availability_end=None, draws=(), frequency=12,
    day_count="30/360", end_of_month=False, amortisation="annuity",
    grace_periods=0, grace="interest_only", profile=None,
    upfront_fee=0.0, commitment_fee=0.0) -> a loan facility

    commitment: the most that may be drawn (> 0). start, maturity: dates
    (see to_day); payments roll from start every 12/frequency months.
    rate: the fixed annual rate (0.045 is 4.5 %); or curve: a list of
    (date, annual rate) points, piecewise constant, plus spread.
    availability_end: last day a draw is allowed (default: start).
    draws: scheduled draws, a list of (date, amount). frequency: 1, 2, 4
    or 12. day_count: "ACT/360", "ACT/365F", "30/360", "ACT/ACT ISDA".
    amortisation: "annuity", "equal_principal", "bullet" or "sculpted"
    (then profile: one weight per period after the grace periods).
    grace: "interest_only" or "capitalised". upfront_fee: fraction of the
    commitment paid at start; commitment_fee: annual rate on the undrawn
    amount during availability.

    Raises crit.InvalidArgumentError naming the field on bad input. Use it
    as a context manager or call close(); later use raises
    crit.StateError.
    """

    __slots__ = ("_h",)
    _close = staticmethod(_core.loan_close)

    def __init__(self, commitment, start, maturity, *, rate=None,
                 curve=None, spread=0.0, availability_end=None, draws=(),
                 frequency=12, day_count="30/360", end_of_month=False,
                 amortisation="annuity", grace_periods=0,
                 grace="interest_only", profile=None, upfront_fee=0.0,
                 commitment_fee=0.0):
        self._h = None
        start_day = to_day(start)
        spec = _core.loan_spec_new()
        try:
            for date, r in (curve or ()):
                _core.loan_spec_add_curve_point(spec, to_day(date), float(r))
            for w in (profile or ()):
                _core.loan_spec_add_weight(spec, float(w))
            for date, amount in draws:
                _core.loan_spec_add_draw(spec, to_day(date), float(amount))
            self._h = _core.loan_new(
                spec, float(commitment), start_day, to_day(maturity),
                start_day if availability_end is None
                else to_day(availability_end),
                _index(frequency), _choice(day_count, DAY_COUNTS, "day_count"),
                1 if end_of_month else 0,
                0.0 if rate is None else float(rate), float(spread),
                _choice(amortisation, AMORTISATIONS, "amortisation"),
                _choice(grace, GRACE_MODES, "grace"), _index(grace_periods),
                float(upfront_fee), float(commitment_fee))
        finally:
            _core.loan_spec_close(spec)

    def __len__(self):
        """Number of schedule rows: periods + 1 (row 0 at the start)."""
        return _core.loan_row_count(self._h)

    def __repr__(self):
        if self._h is None:
            return "<crit.Loan (closed)>"
        return f"<crit.Loan: {len(self) - 1} periods>"

    # ---- draws --------------------------------------------------------

    def draw(self, date, amount):
        """draw(date, amount: float) -> None

        Draw the facility on demand and recompute the schedule. Raises
        crit.InvalidArgumentError (outside availability, above the undrawn
        commitment, amount not > 0); the loan is then unchanged.
        """
        _core.loan_draw(self._h, to_day(date), float(amount))

    def undrawn(self, date):
        """undrawn(date) -> float: commitment still available on date (0
        outside the availability period)."""
        return _core.loan_undrawn(self._h, to_day(date))

    # ---- the schedule -------------------------------------------------

    def row_at(self, date):
        """row_at(date) -> int: the row whose period contains date (0 for
        the start date). Raises crit.IndexOutOfRangeError outside the loan's life."""
        return _core.loan_row_at(self._h, to_day(date))

    def row(self, index):
        """row(index: int) -> dict of the row's date (datetime.date) and
        its COLUMNS."""
        values = _core.loan_row_get(self._h, index)
        out = {"date": to_date(values[0])}
        out.update(zip(COLUMNS, values[1:]))
        return out

    def schedule(self):
        """schedule() -> pandas.DataFrame indexed by date: one row per
        payment date (row 0 at the start) with the columns opening, draws,
        interest, capitalised, principal, fees, payment, closing, rate.
        payment = interest + principal + fees and closing = opening +
        draws + capitalised - principal hold exactly."""
        import numpy as np
        import pandas as pd
        n = len(self)
        days = np.empty(n, dtype=np.int32)
        _core.loan_dates(days, self._h)
        cols = np.empty((len(COLUMNS), n))
        for i in range(len(COLUMNS)):
            _core.loan_column(cols[i], self._h, i)
        dates = days.astype("datetime64[D]")
        frame = pd.DataFrame({name: cols[i] for i, name in enumerate(COLUMNS)},
                             index=pd.DatetimeIndex(dates, name="date"))
        return frame

    def totals(self):
        """totals() -> LoanTotals: sums of the columns."""
        return LoanTotals(*_core.loan_totals_get(self._h))

    # ---- measures -----------------------------------------------------

    def npv(self, rate):
        """npv(rate: float) -> float: NPV at the start date of the lender's
        cash flows (-draws, +payments), annual compounding over ACT/365F
        years."""
        return _core.loan_npv(self._h, float(rate))

    def irr(self):
        """irr() -> float: the annual rate at which npv() is 0 (the
        lender's yield and the borrower's all-in cost, fees included).
        Raises crit.DomainError where none exists (nothing drawn)."""
        return _core.loan_irr(self._h)

    def wal(self):
        """wal() -> float: weighted average life in ACT/365F years.
        Raises crit.DomainError when nothing is drawn."""
        return _core.loan_wal(self._h)

"""crit.Stockpile, crit.Programme, crit.Scenario and crit.Result: strategic
stockpiles, capacity programmes, scenarios and their deterministic runs
(MODEL.md sections 5, 7 and 8; docs/stockpiles.md, docs/scenarios.md).

Money is USD, quantities tonnes, rates per year, prices USD/t. Dates are
accepted as for crit.Loan (datetime.date, "YYYY-MM-DD" or a day number).
"""

import sys
from operator import index as _index  # an int, never a truncated float
from dataclasses import dataclass

import numpy as np

from . import _core
from ._handle import _Handle
from ._errors import _raise
from ._loan import COLUMNS as _LOAN_COLUMNS, to_date, to_day

# Status codes of crit/error.h raised by this layer.
_EINVAL, _ENOTFOUND, _ERANGE, _EBUFSIZE = -1, -3, -5, -12

TARGET_UNITS = {
    "tonnes": _core.CRIT_TARGET_TONNES,
    "days_of_demand": _core.CRIT_TARGET_DAYS_OF_DEMAND,
    "months_of_imports": _core.CRIT_TARGET_MONTHS_OF_IMPORTS,
}
_TARGET_UNIT_NAMES = {v: k for k, v in TARGET_UNITS.items()}
PARTICIPANT_KINDS = {
    "firm": _core.CRIT_PARTICIPANT_FIRM,
    "trader": _core.CRIT_PARTICIPANT_TRADER,
}
_KIND_NAMES = {v: k for k, v in PARTICIPANT_KINDS.items()}

#: Event kinds by name ("export_ban", "export_quota_end", ...), from the
#: crit_event_kind values of the loaded library.
EVENT_KINDS = {name[len("CRIT_EVENT_"):].lower(): getattr(_core, name)
               for name in dir(_core) if name.startswith("CRIT_EVENT_")}

#: Names of the series a run records, in crit_series order.
SERIES = tuple(_core.series_name(q)
               for q in range(_core.CRIT_SERIES_COUNT))

# The axes of each series after the period, by crit_series ranges.
_AXES = {}
for _q in range(_core.CRIT_SERIES_COUNT):
    if _q < _core.CRIT_SERIES_LEVY:
        _AXES[SERIES[_q]] = ("mineral", "economy")
    elif _q < _core.CRIT_SERIES_INVENTORY:
        _AXES[SERIES[_q]] = ("mineral",)
    elif _q < _core.CRIT_SERIES_CASH:
        _AXES[SERIES[_q]] = ("stockpile", "mineral")
    elif _q < _core.CRIT_SERIES_LOAN_BALANCE:
        _AXES[SERIES[_q]] = ("stockpile",)
    elif _q < _core.CRIT_SERIES_PROGRAMME_SPENDING:
        _AXES[SERIES[_q]] = ("loan",)
    else:
        _AXES[SERIES[_q]] = ()
del _q


def _choice(value, table, what):
    try:
        return table[value]
    except (KeyError, TypeError):
        _raise(_EINVAL, f"{what} {value!r} is not one of {', '.join(table)}")


# ---- stockpiles -------------------------------------------------------


@dataclass(frozen=True)
class StockpileMineral:
    """A mineral held by a stockpile, as defined (target in its own unit),
    with its current inventory."""
    mineral: str
    inventory: float
    capacity: float
    minimum: float
    target_unit: str
    target: float
    acquisition_rate: float
    release_rate: float
    purchase_trigger: float
    release_trigger: float
    emergency_trigger: float
    smoothing: float
    loss_rate: float


@dataclass(frozen=True)
class Participant:
    """A participant: a firm (fees, demand, draw right, replenishment) or a
    trader (fees only)."""
    name: str
    kind: str
    mineral: str
    demand: float
    upfront_fee: float
    annual_fee: float
    draw_right: float
    draw_rate: float
    draw_price: float
    replenish_rate: float


@dataclass(frozen=True)
class StockpileFlows:
    """What one settlement did (tonnes and USD of the period)."""
    opening: float
    purchased: float
    released: float
    lost: float
    closing: float
    purchase_usd: float
    sales_usd: float
    holding_usd: float
    cash_change_usd: float


class Stockpile(_Handle):
    """Stockpile(world: crit.World, economy: str, *, name: str = None,
    cash: float = 0.0) -> an empty stockpile at a member economy.

    Add minerals with add_mineral() and participants with
    add_participant(); a scenario copies it, in its current state, when it
    is added. The accounting methods (purchase(), release(), settle(),
    collect_fees(), settle_participant()) are the bookkeeping of MODEL.md
    section 5 on this object's own state. Invalid input raises a
    crit.Error naming the field and changes nothing.
    """

    __slots__ = ("_h", "_world", "_economy")
    _close = staticmethod(_core.stockpile_close)

    def __init__(self, world, economy, *, name=None, cash=0.0):
        self._h = None
        self._h = _core.stockpile_new(world._h, name, economy, float(cash))
        self._world = world
        # its code, kept: the stockpile keeps the world alive, and its
        # economy stays readable after world.close()
        self._economy = world.economy_codes[_core.stockpile_economy(self._h)]

    @classmethod
    def _wrap(cls, handle, world, economy):
        self = cls.__new__(cls)
        self._h = handle
        self._world = world
        self._economy = economy
        return self

    def __repr__(self):
        if self._h is None:
            return "<crit.Stockpile (closed)>"
        return (f"<crit.Stockpile {self.name!r} at {self.economy}: "
                f"{len(self.minerals)} minerals, "
                f"{self.participant_count} participants>")

    def copy(self):
        """copy() -> Stockpile: a deep copy, state included."""
        return Stockpile._wrap(_core.stockpile_copy(self._h), self._world,
                               self._economy)

    @property
    def name(self):
        """The display name."""
        return _core.stockpile_name(self._h)

    @property
    def economy(self):
        """Code of the member economy holding it."""
        _core.stockpile_economy(self._h)  # crit.StateError once closed
        return self._economy

    # ---- minerals ------------------------------------------------------

    def add_mineral(self, mineral, *, capacity, release_trigger,
                    inventory=0.0, minimum=0.0, target=0.0,
                    target_unit="tonnes", acquisition_rate=0.0,
                    release_rate=0.0, purchase_trigger=0.0,
                    emergency_trigger=0.0, smoothing=0.05, loss_rate=0.0):
        """add_mineral(mineral: str, *, capacity, release_trigger,
        inventory=0, minimum=0, target=0, target_unit="tonnes",
        acquisition_rate=0, release_rate=0, purchase_trigger=0,
        emergency_trigger=0, smoothing=0.05, loss_rate=0) -> None

        Hold a mineral: capacity, inventory, minimum in tonnes; target in
        target_unit ("tonnes", "days_of_demand" of the participants, or
        "months_of_imports" of the coalition at base); rates in t/yr;
        triggers in USD/t (release above release_trigger, buy below
        purchase_trigger, which must be lower; emergency_trigger 0 means
        the base price P0); loss_rate a share a year.
        """
        _core.stockpile_add_mineral(
            self._h, mineral, float(inventory), float(capacity),
            float(minimum), _choice(target_unit, TARGET_UNITS, "target_unit"),
            float(target), float(acquisition_rate), float(release_rate),
            float(purchase_trigger), float(release_trigger),
            float(emergency_trigger), float(smoothing), float(loss_rate))

    def _slot(self, mineral):
        return _core.stockpile_mineral_slot(self._h, mineral)

    @property
    def minerals(self):
        """Codes of the minerals held, in the order added."""
        return [_core.stockpile_mineral_get(self._h, s)[0]
                for s in range(_core.stockpile_mineral_count(self._h))]

    def mineral(self, mineral):
        """mineral(mineral: str) -> StockpileMineral. Raises
        crit.NotFoundError when it is not held."""
        v = _core.stockpile_mineral_get(self._h, self._slot(mineral))
        return StockpileMineral(v[0], v[1], v[2], v[3],
                                _TARGET_UNIT_NAMES.get(v[4], v[4]), *v[5:])

    def inventory(self, mineral):
        """inventory(mineral: str) -> float: current inventory (t)."""
        return _core.stockpile_inventory_t(self._h, self._slot(mineral))

    def target(self, mineral):
        """target(mineral: str) -> float: the target in tonnes."""
        return _core.stockpile_target_t(self._h, self._slot(mineral))

    @property
    def cash(self):
        """Current cash (USD); negative while a shortfall is unfinanced."""
        return _core.stockpile_cash(self._h)

    def add_cash(self, usd):
        """add_cash(usd: float) -> None: a loan draw, a grant (or, negative,
        a payment)."""
        _core.stockpile_add_cash(self._h, float(usd))

    # ---- participants --------------------------------------------------

    def add_participant(self, name, *, kind="firm", mineral=None,
                        demand=0.0, upfront_fee=0.0, annual_fee=0.0,
                        draw_right=0.0, draw_rate=0.0, draw_price=0.0,
                        replenish_rate=0.0):
        """add_participant(name: str, *, kind="firm", mineral=None,
        demand=0, upfront_fee=0, annual_fee=0, draw_right=0, draw_rate=0,
        draw_price=0, replenish_rate=0) -> int (its index)

        A firm ("firm") states its demand (t/yr) of one held mineral, pays
        an upfront fee (USD, period 0) and an annual fee (USD/yr), and may
        hold a draw right (tonnes per disruption, at most draw_rate t/yr,
        0: all at once) at the agreed draw_price (USD/t), replenished
        afterwards at replenish_rate t/yr. A trader ("trader") pays fees
        only.
        """
        return _core.stockpile_add_participant(
            self._h, name, _choice(kind, PARTICIPANT_KINDS, "kind"), mineral,
            float(demand), float(upfront_fee), float(annual_fee),
            float(draw_right), float(draw_rate), float(draw_price),
            float(replenish_rate))

    @property
    def participant_count(self):
        """Number of participants (firms and traders)."""
        return _core.stockpile_participant_count(self._h)

    def participant(self, index):
        """participant(index: int) -> Participant."""
        v = _core.stockpile_participant_get(self._h, index)
        return Participant(v[0], _KIND_NAMES.get(v[1], v[1]), *v[2:])

    @property
    def participants(self):
        """Every participant, in the order added."""
        return [self.participant(i) for i in range(self.participant_count)]

    def participant_state(self, index):
        """participant_state(index: int) -> (drawn, owed): tonnes drawn in
        the current disruption and tonnes still owed back."""
        _, drawn, owed = _core.stockpile_participant_state(self._h, index)
        return drawn, owed

    def participant_caps(self, index, dt):
        """participant_caps(index: int, dt: float) -> (draw_cap,
        replenish_cap): the most it may draw and must return this period
        (t) for periods of dt years."""
        return tuple(_core.stockpile_participant_caps(self._h, index,
                                                      float(dt)))

    # ---- accounting ----------------------------------------------------

    def purchase(self, mineral, price, cash, dt):
        """purchase(mineral, price, cash, dt) -> float: the agent's
        purchase curve buy(p) (t in the period) with `cash` USD available;
        0 during a disruption."""
        return _core.stockpile_purchase(self._h, self._slot(mineral),
                                        float(price), float(cash), float(dt))

    def release(self, mineral, price, dt):
        """release(mineral, price, dt) -> float: the agent's release curve
        release(p) (t in the period)."""
        return _core.stockpile_release(self._h, self._slot(mineral),
                                       float(price), float(dt))

    def settle(self, mineral, price, purchased, released, dt):
        """settle(mineral, price, purchased, released, dt)
        -> StockpileFlows: apply a period's clearing (losses, purchase,
        release, holding cost) to the inventory and the cash."""
        return StockpileFlows(*_core.stockpile_settle(
            self._h, self._slot(mineral), float(price), float(purchased),
            float(released), float(dt)))

    def collect_fees(self, period, dt):
        """collect_fees(period: int, dt: float) -> float: collect a period's
        fees into the cash (upfront fees in period 0); returns them."""
        return _core.stockpile_collect_fees(self._h, _index(period), float(dt))

    def settle_participant(self, index, drawn=0.0, replenished=0.0):
        """settle_participant(index, drawn=0, replenished=0) -> float:
        apply a participant's draw and replenishment (t); returns the cash
        change (USD)."""
        return _core.stockpile_settle_participant(self._h, index,
                                                  float(drawn),
                                                  float(replenished))

    def set_disruption(self, mineral, disrupted=True):
        """set_disruption(mineral, disrupted=True) -> None: start (resetting
        the tonnes drawn) or end a disruption of a held mineral."""
        _core.stockpile_set_disruption(self._h, self._slot(mineral),
                                       1 if disrupted else 0)

    def disrupted(self, mineral):
        """disrupted(mineral) -> bool."""
        return bool(_core.stockpile_disrupted(self._h, self._slot(mineral)))


# ---- programmes -------------------------------------------------------


@dataclass(frozen=True)
class Programme:
    """Programme(economy, mineral, budget, capital_intensity, *,
    lead_time=0.0, start_period=0, name=None): a capacity programme
    (MODEL.md section 7), a plain value.

    budget in USD, capital_intensity in USD per t/yr of capacity,
    lead_time in years. The capacity budget / capital_intensity (t/yr)
    comes online in period start_period + ceil(lead_time / dt); the
    budget is spent evenly over the periods before.
    """
    economy: str
    mineral: str
    budget: float
    capital_intensity: float
    lead_time: float = 0.0
    start_period: int = 0
    name: str = None

    def _fields(self):
        return (self.name, self.economy, self.mineral, float(self.budget),
                float(self.capital_intensity), float(self.lead_time),
                _index(self.start_period))

    @property
    def capacity(self):
        """Capacity added, budget / capital_intensity (t/yr)."""
        return _core.programme_capacity(*self._fields())

    def online_period(self, dt):
        """online_period(dt: float) -> int: first period with the capacity,
        for periods of dt years."""
        return _core.programme_online_period(*self._fields(), float(dt))

    def spending(self, periods, dt):
        """spending(periods: int, dt: float) -> numpy.ndarray of the USD
        spent in each of periods 0 .. periods - 1."""
        out = np.empty(_index(periods))
        _core.programme_spending(out, *self._fields(), float(dt))
        return out

    def validate(self, world):
        """validate(world) -> None: raise the crit.Error a scenario would."""
        _core.programme_validate(world._h, *self._fields())

    def apply(self, world):
        """apply(world) -> None: add the capacity to the world's curve of
        the economy (K and s0 rise by the capacity)."""
        _core.programme_apply(world._h, *self._fields())


# ---- scenarios ----------------------------------------------------------


class ProgressBar:
    """ProgressBar(file=sys.stderr, width=40): a text progress bar, a
    progress callback for Scenario.run()."""

    def __init__(self, file=None, width=40):
        self.file = sys.stderr if file is None else file
        self.width = width
        self._drawn = -1

    def __call__(self, done, total):
        n = self.width * done // max(total, 1)
        if n == self._drawn and done < total:
            return  # redraw only when the bar grows
        self._drawn = n
        end = "\n" if done >= total else ""
        self.file.write(f"\r[{'#' * n}{'.' * (self.width - n)}] "
                        f"{done}/{total}{end}")
        self.file.flush()


class Scenario(_Handle):
    """Scenario(world: crit.World, start, periods: int, *,
    months_per_period: int = 1, disruption_from_restrictions: bool = True)
    -> a scenario with no events, stockpiles, loans or programmes.

    start: the first day of period 0 (a date, "YYYY-MM-DD" or a day
    number); periods last months_per_period months (1, 2, 3, 4, 6 or 12).
    Stockpiles, loans, policies and programmes are copied when added;
    the world is read as it is when run() is called. Every addition is
    validated at once and raises a crit.Error naming what is wrong.
    """

    __slots__ = ("_h", "_world", "_stockpiles", "_loans", "_calls")
    _close = staticmethod(_core.scenario_close)

    def __init__(self, world, start, periods, *, months_per_period=1,
                 disruption_from_restrictions=True):
        self._h = None
        self._calls = []  # runs in progress (_Handle._long_call)
        self._h = _core.scenario_new(world._h, to_day(start), _index(periods),
                                     _index(months_per_period),
                                     1 if disruption_from_restrictions
                                     else 0)
        self._world = world
        self._stockpiles = []  # (name, economy) of each stockpile added
        self._loans = []  # stockpile index of each loan added

    @classmethod
    def _wrap_loaded(cls, handle):
        """A Scenario around a loaded handle; its world is borrowed from
        the scenario (it lives as long as the scenario's handle and is
        closed with it)."""
        from ._world import World
        self = cls.__new__(cls)
        self._h = handle
        self._calls = []
        world = World._wrap(_core.scenario_world(handle))
        world._owner = handle
        self._world = world
        ns, nl = _core.scenario_counts(handle)
        self._stockpiles = []
        for j in range(ns):
            sp = _core.scenario_stockpile(handle, j)
            self._stockpiles.append((
                _core.stockpile_name(sp),
                world.economy_codes[_core.stockpile_economy(sp)]))
        self._loans = [_core.scenario_loan_stockpile(handle, k)
                       for k in range(nl)]
        return self

    def close(self):
        """close() -> None: free it now; a loaded scenario's world (which
        is the scenario's own) is closed with it."""
        h = self._h
        if h is not None and getattr(self._world, "_owner", None) is h:
            self._world._h = None
        super().close()

    def save(self, path, result=None, *, level=None):
        """save(path, result=None, *, level=None) -> None

        Write the scenario (its world, definition, stockpiles, loans and
        programmes) and, when given, the Result of one of its runs to a
        snapshot file atomically (format 1.1, docs/format.md). level is
        the deflate level 0-9 of every chunk (None: 6, and 1 with
        run-length encoding for the result's series). Raises
        crit.InvalidArgumentError when the result is not this
        scenario's."""
        lv = -1 if level is None else _index(level)
        if result is None:
            _core.io_save_scenario(path, self._h, lv)
        else:
            _core.io_save_scenario_result(path, self._h,
                                          result._h, lv)

    def __repr__(self):
        if self._h is None:
            return "<crit.Scenario (closed)>"
        return (f"<crit.Scenario: {self.periods} periods, "
                f"{len(self._stockpiles)} stockpiles, "
                f"{len(self._loans)} loans>")

    @property
    def periods(self):
        """Number of periods of the horizon."""
        return _core.scenario_periods(self._h)

    @property
    def world(self):
        """The crit.World the scenario runs on."""
        return self._world

    def add_event(self, kind, period, *, mineral=None, economy=None,
                  partner=None, value=0.0, value2=0.0, value3=0.0):
        """add_event(kind: str, period: int, *, mineral=None, economy=None,
        partner=None, value=0, value2=0, value3=0) -> None

        An event at the start of a period; kind is one of EVENT_KINDS
        ("export_ban", "export_ban_end", "export_quota" (value t/yr),
        "export_quota_end", "export_tax" (value USD/t, value2 ad valorem),
        "export_tax_end", "outage" (value: availability), "outage_end",
        "demand" (value: level), "external_tariff", "reference_price"
        (value USD/t, 0: off), "floor" (value USD/t, value2 covered share,
        value3 upside share), "floor_end", "disruption",
        "disruption_end"). docs/scenarios.md lists the fields each reads.
        """
        _core.scenario_add_event(self._h, _index(period),
                                 _choice(kind, EVENT_KINDS, "event kind"),
                                 mineral, economy, partner, float(value),
                                 float(value2), float(value3))

    def set_policy(self, policy):
        """set_policy(policy: crit.Policy) -> None: its current settings
        (external tariff, reference price, floors) apply from period 0."""
        _core.scenario_set_policy(self._h, policy._h)

    def add_stockpile(self, stockpile):
        """add_stockpile(stockpile: Stockpile) -> int: add a copy of it, in
        its current state; returns its index."""
        index = _core.scenario_add_stockpile(self._h, stockpile._h)
        self._stockpiles.append((stockpile.name, stockpile.economy))
        return index

    def add_loan(self, loan, stockpile=0):
        """add_loan(loan: crit.Loan, stockpile: int = 0) -> int: add a copy
        of a loan financing the stockpile of that index; returns its
        index."""
        index = _core.scenario_add_loan(self._h, loan._h, _index(stockpile))
        self._loans.append(_index(stockpile))
        return index

    def add_programme(self, programme):
        """add_programme(programme: Programme) -> None."""
        _core.scenario_add_programme(self._h, *programme._fields())

    def set_market_options(self, *, tolerance=1e-9, max_iterations=100000,
                           warm_start=True):
        """set_market_options(*, tolerance=1e-9, max_iterations=100000,
        warm_start=True) -> None: the market solver's options for every
        mineral."""
        _core.scenario_set_market_options(self._h, float(tolerance),
                                          _index(max_iterations),
                                          1 if warm_start else 0)

    def run(self, progress=None):
        """run(progress=None) -> Result

        Run the scenario deterministically. The GIL is released while it
        runs. progress: None, True (a text bar on stderr, ProgressBar) or a
        callable f(done, total) called after each period with the GIL
        held; returning False cancels the run (crit.CancelledError), and
        an exception it raises cancels the run and is re-raised here.
        Ctrl-C cancels too. A failed market solve raises the solver's
        error naming the period and the mineral. Closing the scenario
        meanwhile (from the callback or another thread) frees it once the
        run returns.
        """
        if progress is True:
            progress = ProgressBar()
        elif progress is False:
            progress = None
        handle = self._long_call(_core.scenario_run, progress)
        return Result(handle, list(self._stockpiles), list(self._loans))


# ---- results -------------------------------------------------------------


class Result(_Handle):
    """The result of Scenario.run(): every series of MODEL.md section 8,
    per period. Tonnes and USD are per period, prices USD/t.

    series(name) gives a numpy array filled in place by the library;
    values() one line of it over the periods; to_frame() a tidy
    pandas.DataFrame; wide() a table by date. The names are in
    crit.SERIES.
    """

    __slots__ = ("_h", "periods", "minerals", "economies", "members",
                 "stockpiles", "loans", "_stockpile_economies",
                 "_loan_stockpiles")
    _close = staticmethod(_core.result_close)

    def __init__(self, handle, stockpiles=(), loans=()):
        self._h = handle
        t, m, e, s, l = _core.result_dims(handle)
        self.periods = t
        self.minerals = [_core.result_mineral_code(handle, k)
                         for k in range(m)]
        self.economies = [_core.result_economy_code(handle, i)
                          for i in range(e)]
        self.members = [c for i, c in enumerate(self.economies)
                        if _core.result_economy_member(handle, i)]
        self.stockpiles = [_core.result_stockpile_name(handle, j)
                           for j in range(s)]
        st = list(stockpiles)
        self._stockpile_economies = ([x[1] for x in st] if len(st) == s
                                     else [None] * s)
        lo = list(loans)
        self._loan_stockpiles = lo if len(lo) == l else [None] * l
        self.loans = l

    def __repr__(self):
        if self._h is None:
            return "<crit.Result (closed)>"
        return (f"<crit.Result: {self.periods} periods, "
                f"{len(self.minerals)} minerals, {len(self.economies)} "
                f"economies, {len(self.stockpiles)} stockpiles, "
                f"{self.loans} loans>")

    # ---- dates ---------------------------------------------------------

    @property
    def dates(self):
        """numpy datetime64[D] array of periods + 1 dates: each period's
        first day, then the end of the horizon."""
        days = np.empty(self.periods + 1, dtype=np.int32)
        _core.result_dates(days, self._h)
        return days.astype("datetime64[D]")

    @property
    def period_dates(self):
        """pandas.DatetimeIndex of each period's first day."""
        import pandas as pd
        return pd.DatetimeIndex(self.dates[:-1], name="date")

    # ---- series --------------------------------------------------------

    @staticmethod
    def _series_id(name):
        try:
            return SERIES.index(name)
        except ValueError:
            _raise(_EINVAL, f"result: unknown series '{name}' (one of "
                   f"{', '.join(SERIES)})")

    @staticmethod
    def axes(name):
        """axes(name) -> tuple: the axes of a series, e.g. ("period",
        "mineral", "economy") for "price"."""
        Result._series_id(name)
        return ("period",) + _AXES[name]

    def shape(self, name):
        """shape(name) -> tuple: the shape of series(name)."""
        d0, d1, d2, rank = _core.result_series_shape(self._h,
                                                     self._series_id(name))
        return (d0, d1, d2)[:rank]

    def series(self, name, out=None):
        """series(name: str, out=None) -> numpy.ndarray

        The whole series, shaped as axes(name) says (e.g. [period, mineral,
        economy] for "price"), filled in place by the library in one call.
        out: an optional float64 C-contiguous array of that shape to fill
        (no allocation)."""
        q = self._series_id(name)
        shape = self.shape(name)
        if out is None:
            out = np.empty(shape)
        elif out.shape != shape:
            _raise(_EBUFSIZE, f"result: series '{name}' has shape {shape}, the "
                   f"array {out.shape}")
        _core.result_series(out, self._h, q)
        return out

    def _index(self, axis, value):
        """The index along `axis` ("mineral", "economy", "stockpile" or
        "loan") of a code or name (str; loans have none) or of an index
        (int, in range). Another type, a bool included, is a TypeError."""
        labels = {"mineral": self.minerals, "economy": self.economies,
                  "stockpile": self.stockpiles}.get(axis)
        if isinstance(value, (int, np.integer)) and \
                not isinstance(value, (bool, np.bool_)):
            # in range, as the Lua binding's: numpy would take -1 for the
            # last one
            count = self.loans if labels is None else len(labels)
            if not 0 <= value < count:
                _raise(_ERANGE, f"result: {axis} {int(value)} out of range "
                       f"(the run has {count})")
            return int(value)
        if labels is not None and isinstance(value, str):
            if value in labels:
                return labels.index(value)
            _raise(_ENOTFOUND, f"result: no {axis} {value!r}")
        what = {"mineral": "a code (str) or an index (int)",
                "economy": "a code (str) or an index (int)",
                "stockpile": "a name (str) or an index (int)"}
        raise TypeError(f"result: a {axis} is "
                        f"{what.get(axis, 'an index (int)')}, not "
                        f"{type(value).__name__}")

    def values(self, name, *, mineral=None, economy=None, stockpile=None,
               loan=None):
        """values(name, *, mineral=None, economy=None, stockpile=None,
        loan=None) -> numpy.ndarray of one value per period: the series at
        the given mineral, economy (codes), stockpile (name or index, default
        0) or loan (index, default 0), as its axes need."""
        data = self.series(name)
        given = {"mineral": mineral, "economy": economy,
                 "stockpile": 0 if stockpile is None else stockpile,
                 "loan": 0 if loan is None else loan}
        index = [slice(None)]
        for axis in _AXES[name]:
            if given[axis] is None:
                _raise(_EINVAL, f"result: series '{name}' needs a {axis}")
            index.append(self._index(axis, given[axis]))
        return data[tuple(index)].copy()

    def wide(self, name, *, mineral=None, stockpile=None):
        """wide(name, *, mineral=None, stockpile=None) -> pandas.DataFrame
        indexed by period start date: for a [period, mineral, economy]
        series one column per economy of the mineral; [period, mineral]:
        per mineral; [period, stockpile, mineral]: per mineral of the
        stockpile (default 0); [period, stockpile]: per stockpile;
        [period, loan]: per loan; [period]: one column, the series."""
        import pandas as pd
        data = self.series(name)
        axes = _AXES[name]
        if axes == ("mineral", "economy"):
            if mineral is None:
                _raise(_EINVAL, f"result: series '{name}' needs a mineral")
            data, cols = data[:, self._index("mineral", mineral)], \
                self.economies
        elif axes == ("stockpile", "mineral"):
            s = self._index("stockpile", 0 if stockpile is None else stockpile)
            data, cols = data[:, s], self.minerals
        elif axes == ("mineral",):
            cols = self.minerals
        elif axes == ("stockpile",):
            cols = self.stockpiles
        elif axes == ("loan",):
            cols = list(range(self.loans))
        else:
            data, cols = data[:, None], [name]
        return pd.DataFrame(data, index=self.period_dates,
                            columns=pd.Index(cols, name=axes[-1] if axes
                                             else "series"))

    def to_csv(self, path, *, compress=None):
        """to_csv(path, *, compress=None) -> None

        Write every series as tidy CSV, atomically: the columns mineral,
        economy, series, period, value, date (ISO), stockpile and loan
        (docs/format.md), one row per value. compress: None gzips when the
        name ends in ".gz", True or False force it."""
        c = -1 if compress is None else (1 if compress else 0)
        _core.io_csv_export_result(path, self._h, c)

    def to_frame(self, series=None):
        """to_frame(series=None) -> pandas.DataFrame, tidy: one row per
        series, period and label, with the columns series, period, date
        (the period's first day), mineral, economy, stockpile, loan and
        value. A label a series does not have is None; a stockpile's rows
        carry its economy, a loan's rows its stockpile and economy.
        series: a name or a list of names (default: every series)."""
        import pandas as pd
        names = SERIES if series is None else (
            [series] if isinstance(series, str) else list(series))
        T = self.periods
        dates = self.dates[:-1]
        frames = []
        for name in names:
            data = self.series(name)
            if data.size == 0:
                continue
            n = data.size // T
            cols = {"series": np.full(data.size, name, dtype=object),
                    "period": np.repeat(np.arange(T), n),
                    "date": np.repeat(dates, n)}
            labels = {a: np.full(data.size, None, dtype=object)
                      for a in ("mineral", "economy", "stockpile", "loan")}
            axes = _AXES[name]
            inner = 1
            for axis, size in zip(reversed(axes), reversed(data.shape[1:])):
                idx = np.tile(np.repeat(np.arange(size), inner),
                              data.size // (size * inner))
                if axis == "mineral":
                    labels["mineral"] = np.array(self.minerals,
                                                 dtype=object)[idx]
                elif axis == "economy":
                    labels["economy"] = np.array(self.economies,
                                                 dtype=object)[idx]
                elif axis == "stockpile":
                    labels["stockpile"] = np.array(self.stockpiles,
                                                   dtype=object)[idx]
                    labels["economy"] = np.array(self._stockpile_economies,
                                                 dtype=object)[idx]
                else:
                    labels["loan"] = idx
                    owner = np.array(
                        [None if s is None else self.stockpiles[s]
                         for s in self._loan_stockpiles], dtype=object)
                    labels["stockpile"] = owner[idx]
                    eco = np.array(
                        [None if s is None else self._stockpile_economies[s]
                         for s in self._loan_stockpiles], dtype=object)
                    labels["economy"] = eco[idx]
                inner *= size
            cols.update(labels)
            cols["value"] = data.reshape(-1)
            frames.append(pd.DataFrame(cols))
        if not frames:
            frames.append(pd.DataFrame({c: [] for c in (
                "series", "period", "date", "mineral", "economy",
                "stockpile", "loan", "value")}))
        frame = pd.concat(frames, ignore_index=True)
        return frame[["series", "period", "date", "mineral", "economy",
                      "stockpile", "loan", "value"]]

    # ---- loans -----------------------------------------------------------

    def loan_schedule(self, loan=0):
        """loan_schedule(loan: int = 0) -> pandas.DataFrame: the loan's
        schedule as it stands at the end of the horizon (draws on demand
        included), indexed by date, with the columns of
        crit.Loan.schedule()."""
        import pandas as pd
        loan = self._index("loan", loan)
        n = _core.result_loan_row_count(self._h, loan)
        days = np.empty(n, dtype=np.int32)
        _core.result_loan_dates(days, self._h, loan)
        cols = np.empty((len(_LOAN_COLUMNS), n))
        for i in range(len(_LOAN_COLUMNS)):
            _core.result_loan_column(cols[i], self._h, loan, i)
        return pd.DataFrame({c: cols[i] for i, c in enumerate(_LOAN_COLUMNS)},
                            index=pd.DatetimeIndex(
                                days.astype("datetime64[D]"), name="date"))

    def date(self, period):
        """date(period: int) -> datetime.date: the period's first day
        (date(periods): the end of the horizon). Raises
        crit.IndexOutOfRangeError for another period."""
        period = _index(period)
        if not 0 <= period <= self.periods:
            _raise(_ERANGE, f"result: period {period} out of range (0 to "
                   f"{self.periods})")
        return to_date(int(self.dates[period].astype(np.int64)))

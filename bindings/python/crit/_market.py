"""crit.Market and crit.Policy: one mineral's market in one period, solved to
its spatial price equilibrium, and the coalition's pricing mechanisms."""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from . import _core
from ._handle import _Handle
from ._errors import _raise

#: Names of the per-economy results, in crit_market_quantity order: the
#: columns of Market.nodes().
QUANTITIES = tuple(_core.market_quantity_name(q)
                   for q in range(_core.CRIT_MARKET_QUANTITY_COUNT))
_SURPLUS = ("consumer_surplus_change", "producer_surplus_change")


@dataclass(frozen=True)
class Floor:
    """A price floor by contract for difference (MODEL.md section 4):
    floor F (USD/t), covered share theta in [0, 1], upside share phi in
    [0, 1) returned to the payer above F."""
    floor: float
    covered_share: float
    upside_share: float


@dataclass(frozen=True)
class SolveInfo:
    """Summary of a solve: the residual of MODEL.md section 3, active-set
    iterations, market solves spent on the levy, the cost in evaluations of
    every economy's curves, the levy tau (USD/t) and its revenue (USD), the
    total demand V (t per period) and the period length (years)."""
    residual: float
    iterations: int
    levy_iterations: int
    curve_evaluations: float
    levy: float
    levy_revenue: float
    total_demand: float
    period_years: float


class Policy(_Handle):
    """Policy(world: crit.World, mineral: str) -> the pricing mechanisms
    of one mineral, every one off.

    A market given this policy reads its settings at every solve, so they
    may change between periods. Setting external_tariff or reference_price
    to 0 switches it off. Invalid values raise crit.InvalidArgumentError
    naming the field, and change nothing.
    """

    __slots__ = ("_h",)
    _close = staticmethod(_core.policy_close)

    def __init__(self, world, mineral):
        self._h = _core.policy_new(world._h, mineral)

    def __repr__(self):
        if self._h is None:
            return "<crit.Policy (closed)>"
        return (f"<crit.Policy: external tariff {self.external_tariff:g} "
                f"USD/t, reference price {self.reference_price:g} USD/t>")

    @property
    def external_tariff(self):
        """The coalition's common external tariff (USD/t) on every arc
        from a non-member into a member; 0 when off."""
        return _core.policy_external_tariff(self._h)

    @external_tariff.setter
    def external_tariff(self, usd_per_t):
        _core.policy_set_external_tariff(self._h, usd_per_t)

    @property
    def reference_price(self):
        """The reference price Rref (USD/t) held by the adjustable tariff
        (the levy fixed point tau = max(0, Rref - L(tau))); 0 when off."""
        return _core.policy_reference_price(self._h)

    @reference_price.setter
    def reference_price(self, usd_per_t):
        _core.policy_set_reference_price(self._h, usd_per_t)

    def set_floor(self, economy, floor, covered_share=1.0, upside_share=0.0):
        """set_floor(economy: str, floor: float, covered_share: float = 1.0,
        upside_share: float = 0.0) -> None: put or replace a CfD price floor
        (USD/t) on a share of the economy's production."""
        _core.policy_set_floor(self._h, economy, floor, covered_share,
                               upside_share)

    def clear_floor(self, economy):
        """clear_floor(economy: str) -> None: remove the economy's floor."""
        _core.policy_clear_floor(self._h, economy)

    def floor(self, economy):
        """floor(economy: str) -> Floor or None."""
        active, f, th, phi = _core.policy_floor_get(self._h, economy)
        return Floor(f, th, phi) if active else None


def _as_mapping(values):
    """values as a dict code -> value when it is a mapping: a dict (any
    collections.abc.Mapping) or a pandas.Series indexed by codes (str
    labels); None for a sequence, a Series with a positional index
    included."""
    if isinstance(values, Mapping):
        return dict(values)
    items = getattr(values, "items", None)
    index = getattr(values, "index", None)
    if items is not None and index is not None and not callable(index) \
            and len(index) and all(isinstance(k, str) for k in index):
        return dict(items())
    return None


def _per_economy(values, codes, what):
    """An array in economy order from None, a mapping code -> value (the
    others 1) or a sequence."""
    if values is None:
        return None
    mapping = _as_mapping(values)
    if mapping is not None:
        out = np.ones(len(codes))
        index = {c: i for i, c in enumerate(codes)}
        for code, v in mapping.items():
            if code not in index:
                _raise(-3, f"{what}: economy '{code}' is not in the market")
            out[index[code]] = v
        return out
    return np.ascontiguousarray(values, dtype=np.float64)


class Market(_Handle):
    """Market(world: crit.World, mineral: str, *, policy: Policy = None,
    period_length: float = 1/12, tolerance: float = 1e-9,
    max_iterations: int = 100000, warm_start: bool = True) -> a market.

    One mineral of a world in one period (MODEL.md sections 3 to 5). The
    market keeps the world (and its policy) alive and reads their current
    state at every solve(), which starts from the previous solution unless
    warm_start is False. Results (nodes(), flows(), info) describe the last
    successful solve; a failed solve raises (crit.NoConvergenceError when
    the residual tolerance is not met) and leaves no readable results, as
    does any change to the market's own inputs.
    """

    __slots__ = ("_h", "_codes", "_policy", "_has_ref", "_world", "_period",
                 "_calls")
    _close = staticmethod(_core.market_close)

    def __init__(self, world, mineral, *, policy=None, period_length=1 / 12,
                 tolerance=1e-9, max_iterations=100000, warm_start=True):
        self._calls = []  # solves in progress (_Handle._long_call)
        self._h = _core.market_new(world._h, mineral)
        self._world = world
        self._codes = world.economy_codes
        self._policy = None
        self._has_ref = False
        self.set_options(tolerance=tolerance, max_iterations=max_iterations,
                         warm_start=warm_start)
        self.period_length = period_length
        if policy is not None:
            self.policy = policy

    def __repr__(self):
        if self._h is None:
            return "<crit.Market (closed)>"
        state = "solved" if self.solved else "not solved"
        return f"<crit.Market: {len(self._codes)} economies, {state}>"

    @property
    def economy_codes(self):
        """The economies, in the order of every per-economy array."""
        return list(self._codes)

    def resize(self):
        """resize() -> None: take in economies added to the world since the
        market was created (a solve refuses until then). Drops the warm
        start, the reference and the results."""
        _core.market_resize(self._h)
        self._codes = self._world.economy_codes
        self._has_ref = False

    # ---- inputs -------------------------------------------------------

    def set_options(self, *, tolerance=1e-9, max_iterations=100000,
                    warm_start=True):
        """set_options(*, tolerance=1e-9, max_iterations=100000,
        warm_start=True) -> None: the residual a solve must reach, the cap
        on active-set iterations, and whether to start from the previous
        solution."""
        _core.market_set_options(self._h, tolerance, max_iterations,
                                 1 if warm_start else 0)

    @property
    def policy(self):
        """The Policy whose mechanisms apply (None for none)."""
        return self._policy

    @policy.setter
    def policy(self, policy):
        if policy is None:
            _core.market_clear_policy(self._h)
        else:
            _core.market_set_policy(self._h, policy._h)
        self._policy = policy

    @property
    def period_length(self):
        """Period length dt in years (default 1/12): a curve in t/yr
        delivers rate * dt tonnes in the period."""
        return self._period

    @period_length.setter
    def period_length(self, years):
        _core.market_set_period_length(self._h, years)
        self._period = years

    def set_availability(self, values=None):
        """set_availability(values=None) -> None: each economy's supply
        availability a in [0, 1] (below 1 during an outage), as a mapping
        code -> a (a dict, or a pandas.Series indexed by code; the others
        1), a sequence in economy order, or None for all 1."""
        arr = _per_economy(values, self._codes, "availability")
        _core.market_set_availability(self._h, arr)

    def set_demand_level(self, values=None):
        """set_demand_level(values=None) -> None: each economy's demand
        level g > 0 (1 at base), as for set_availability()."""
        arr = _per_economy(values, self._codes, "demand level")
        _core.market_set_demand_level(self._h, arr)

    def add_agent(self, economy, *, release_trigger, purchase_trigger=0.0,
                  inventory=0.0, capacity=None, minimum=0.0, target=0.0,
                  acquisition_rate=0.0, release_rate=0.0, smoothing=0.05,
                  cash=0.0):
        """add_agent(economy: str, *, release_trigger, purchase_trigger=0,
        inventory=0, capacity=None, minimum=0, target=0,
        acquisition_rate=0, release_rate=0, smoothing=0.05, cash=0) -> int

        Add a stockpile agent (MODEL.md section 5) at an economy: tonnes,
        t/yr, USD/t and USD; capacity defaults to the largest of inventory,
        target and minimum. It buys below the purchase trigger and releases
        above the release trigger (which must be higher). Returns the
        agent's index for set_agent() and agent_result().
        """
        args = self._agent_args(release_trigger, purchase_trigger, inventory,
                                capacity, minimum, target, acquisition_rate,
                                release_rate, smoothing, cash)
        return _core.market_add_agent(self._h, economy, *args)

    def set_agent(self, index, *, release_trigger, purchase_trigger=0.0,
                  inventory=0.0, capacity=None, minimum=0.0, target=0.0,
                  acquisition_rate=0.0, release_rate=0.0, smoothing=0.05,
                  cash=0.0):
        """set_agent(index: int, **fields) -> None: replace an agent's state
        and triggers (the fields of add_agent())."""
        args = self._agent_args(release_trigger, purchase_trigger, inventory,
                                capacity, minimum, target, acquisition_rate,
                                release_rate, smoothing, cash)
        _core.market_set_agent(self._h, index, *args)

    @staticmethod
    def _agent_args(release_trigger, purchase_trigger, inventory, capacity,
                    minimum, target, acquisition_rate, release_rate,
                    smoothing, cash):
        if capacity is None:
            capacity = max(inventory, target, minimum)
        return (inventory, capacity, minimum, target, acquisition_rate,
                release_rate, purchase_trigger, release_trigger, smoothing,
                cash)

    def clear_agents(self):
        """clear_agents() -> None: remove every agent."""
        _core.market_clear_agents(self._h)

    @property
    def agent_count(self):
        """Number of stockpile agents."""
        return _core.market_agent_count(self._h)

    def set_reference(self, reference):
        """set_reference(reference) -> None: the prices against which the
        surplus changes are measured: a solved Market of the same world and
        mineral, a mapping code -> price (a dict, or a pandas.Series
        indexed by code such as a column of nodes()), or a sequence in
        economy order."""
        if isinstance(reference, Market):
            _core.market_set_reference(self._h, reference._h)
        else:
            mapping = _as_mapping(reference)
            if mapping is not None:
                reference = mapping
                for code in reference:
                    if code not in self._codes:
                        _raise(-3, f"reference prices: economy '{code}' is "
                               "not in the market")
                missing = set(self._codes) - set(reference)
                if missing:
                    _raise(-1, "reference prices: no price for " +
                           ", ".join(sorted(missing)))
                reference = [reference[c] for c in self._codes]
            arr = np.ascontiguousarray(reference, dtype=np.float64)
            _core.market_set_reference_prices(self._h, arr)
        self._has_ref = True

    def clear_reference(self):
        """clear_reference() -> None: no surplus changes from now on."""
        _core.market_clear_reference(self._h)
        self._has_ref = False

    def reset(self):
        """reset() -> None: forget the previous solution (the next solve
        starts cold)."""
        _core.market_reset(self._h)

    # ---- solving and results --------------------------------------------

    def solve(self):
        """solve() -> SolveInfo: find the equilibrium (the GIL is released
        meanwhile). Raises crit.NoConvergenceError when the residual
        tolerance is not met, crit.StateError when the world gained
        economies (call resize()). Closing the market in another thread
        meanwhile frees it once the solve returns (which then raises
        crit.StateError)."""
        self._long_call(_core.market_solve)
        return self.info

    @property
    def solved(self):
        """True while the market holds a readable solution."""
        return bool(_core.market_solved(self._h))

    @property
    def info(self):
        """SolveInfo of the last solve (raises crit.StateError if none)."""
        return SolveInfo(*_core.market_info_get(self._h))

    def values(self, quantity):
        """values(quantity: str) -> numpy.ndarray: one per-economy result
        (a name in crit.QUANTITIES) in economy order."""
        try:
            q = QUANTITIES.index(quantity)
        except ValueError:
            _raise(-1, f"market: unknown quantity '{quantity}' "
                   f"(one of {', '.join(QUANTITIES)})")
        out = np.empty(len(self._codes))
        _core.market_values(out, self._h, q)
        return out

    def nodes(self):
        """nodes() -> pandas.DataFrame: every per-economy result, one row
        per economy (indexed by code), one column per quantity; the surplus
        columns only when a reference is set. Tonnes and USD are per
        period, prices USD/t."""
        import pandas as pd
        cols = [q for q in QUANTITIES
                if self._has_ref or q not in _SURPLUS]
        data = {q: self.values(q) for q in cols}
        frame = pd.DataFrame(data, index=pd.Index(self._codes,
                                                  name="economy"))
        return frame

    def flows(self):
        """flows() -> pandas.DataFrame: bilateral flows x_ij (t per
        period), exporters as rows, importers as columns. Flows on parallel
        routes need not be unique; node totals are."""
        import pandas as pd
        n = len(self._codes)
        out = np.empty(n * n)
        _core.market_flows(out, self._h)
        return pd.DataFrame(out.reshape(n, n),
                            index=pd.Index(self._codes, name="exporter"),
                            columns=pd.Index(self._codes, name="importer"))

    def agent_result(self, index):
        """agent_result(index: int) -> (bought, released): tonnes in the
        period."""
        return tuple(_core.market_agent_result(self._h, index))

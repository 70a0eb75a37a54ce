"""crit.World: the world of minerals, economies, curves and trade policy."""

import math
from dataclasses import dataclass

from . import _core
from ._handle import _Handle
from ._errors import ERRORS


@dataclass(frozen=True)
class Mineral:
    """A mineral: prices in USD per tonne of its reporting basis."""
    code: str
    name: str
    basis: str
    base_price: float
    choke_price: float
    holding_cost: float


@dataclass(frozen=True)
class Economy:
    """An economy and whether it belongs to the coalition."""
    code: str
    name: str
    member: bool


@dataclass(frozen=True)
class Curve:
    """Supply S(p) = min(K, s0 (p/P0)^eta) and demand D(p) = d0 (p/P0)^-eps
    of one economy for one mineral (t/yr)."""
    base_production: float
    capacity: float
    supply_elasticity: float
    base_demand: float
    demand_elasticity: float


@dataclass(frozen=True)
class Wedge:
    """The trade wedge of one arc (USD/t): total = transport + tariff +
    export_tax; allowed is False when a ban closes the arc."""
    transport: float
    tariff: float
    export_tax: float
    total: float
    allowed: bool


_DomainError = ERRORS[-7]  # CRIT_EDOMAIN: indicator undefined


def _nan_if_undefined(fn, *args):
    try:
        return fn(*args)
    except _DomainError:
        return math.nan


class World(_Handle):
    """World() -> a new, empty world.

    A world holds minerals, economies (with coalition membership), the
    supply and demand curve of every economy for every mineral, and the
    trade wedges, bans and quotas between economies (MODEL.md sections 1
    and 2). Prices are USD/t, quantities t/yr.

    Use it as a context manager or call close() to free it at once; any
    use after close() raises crit.StateError. Every setter validates its
    input first: on error (a crit.Error subclass naming the field) the
    world is unchanged.
    """

    # _owner: for a world borrowed from a loaded scenario, the scenario's
    # handle, kept alive while this wrapper lives
    __slots__ = ("_h", "_owner")
    _close = staticmethod(_core.world_close)

    def __init__(self):
        self._h = _core.world_new()

    @classmethod
    def default(cls):
        """World.default() -> World: the default world, built from the USGS
        Mineral Commodity Summaries 2026 data compiled into libcrit (29
        critical minerals, the coalition, China, every country with at
        least 5 % of world production of a mineral, and ROW). Its base year
        is an equilibrium at the USGS prices. See provenance() and
        docs/data.md for where each number comes from."""
        return cls._wrap(_core.world_default())

    @staticmethod
    def provenance():
        """provenance() -> pandas.DataFrame: where every number of the
        default world comes from, one row per value, with a ``source``
        column (the USGS table or libcrit's assumptions table), ``year``,
        ``rows`` (line numbers in that file) and ``note``; see
        crit.data_source()."""
        from ._data import provenance_frame
        return provenance_frame()

    @classmethod
    def _wrap(cls, handle):
        self = cls.__new__(cls)
        self._h = handle
        return self

    def copy(self):
        """copy() -> World: a deep copy sharing nothing with this world."""
        return World._wrap(_core.world_copy(self._h))

    __copy__ = copy

    def __deepcopy__(self, memo):
        return self.copy()

    def __eq__(self, other):
        if not isinstance(other, World):
            return NotImplemented
        return bool(_core.world_equal(self._h, other._h))

    __hash__ = None

    def __repr__(self):
        if self._h is None:
            return "<crit.World (closed)>"
        return (f"<crit.World: {_core.world_mineral_count(self._h)} minerals, "
                f"{_core.world_economy_count(self._h)} economies "
                f"({_core.world_member_count(self._h)} members)>")

    # ---- minerals -----------------------------------------------------

    def add_mineral(self, code, base_price, *, name=None, basis=None,
                    choke_price=None, holding_cost=0.0):
        """add_mineral(code: str, base_price: float, *, name: str = None,
        basis: str = None, choke_price: float = None,
        holding_cost: float = 0.0) -> None

        Add a mineral with base price P0 (USD/t, > 0). name defaults to the
        code, basis to "", choke_price (Pmax > P0) to 10 * P0; holding_cost
        is USD/t/yr, >= 0. Raises crit.InvalidArgumentError (bad value),
        crit.AlreadyExistsError (code in use).
        """
        _core.world_add_mineral(self._h, code, base_price, name, basis,
                                0.0 if choke_price is None else choke_price,
                                holding_cost)

    def mineral(self, code):
        """mineral(code: str) -> Mineral. Raises crit.NotFoundError."""
        return self._mineral_at(_core.world_mineral_index(self._h, code))

    def _mineral_at(self, index):
        code, name, basis, p0, pmax, hold = _core.world_mineral_get(
            self._h, index)
        return Mineral(code, name, basis, p0, pmax, hold)

    @property
    def minerals(self):
        """The minerals, as a list of Mineral in the order added."""
        return [self._mineral_at(i)
                for i in range(_core.world_mineral_count(self._h))]

    @property
    def mineral_codes(self):
        """The mineral codes, in the order added."""
        return [_core.world_mineral_code(self._h, i)
                for i in range(_core.world_mineral_count(self._h))]

    def minerals_frame(self):
        """minerals_frame() -> pandas.DataFrame indexed by mineral code."""
        import pandas as pd
        rows = [vars(m) for m in self.minerals]
        cols = list(Mineral.__dataclass_fields__)
        return pd.DataFrame(rows, columns=cols).set_index("code")

    # ---- economies ----------------------------------------------------

    def add_economy(self, code, name=None, member=False):
        """add_economy(code: str, name: str = None, member: bool = False)
        -> None

        Add an economy (ISO alpha-3 or region code such as "ROW"), in the
        coalition when member is true. Raises crit.InvalidArgumentError,
        crit.AlreadyExistsError.
        """
        _core.world_add_economy(self._h, code, name, 1 if member else 0)

    def set_member(self, economy, member=True):
        """set_member(economy: str, member: bool = True) -> None: join or
        leave the coalition. Raises crit.NotFoundError."""
        _core.world_set_member(self._h, economy, 1 if member else 0)

    def economy(self, code):
        """economy(code: str) -> Economy. Raises crit.NotFoundError."""
        return self._economy_at(_core.world_economy_index(self._h, code))

    def _economy_at(self, index):
        code, name, member = _core.world_economy_get(self._h, index)
        return Economy(code, name, bool(member))

    @property
    def economies(self):
        """The economies, as a list of Economy in the order added."""
        return [self._economy_at(i)
                for i in range(_core.world_economy_count(self._h))]

    @property
    def economy_codes(self):
        """The economy codes, in the order added."""
        return [_core.world_economy_code(self._h, i)
                for i in range(_core.world_economy_count(self._h))]

    @property
    def members(self):
        """Codes of the coalition members, in the order added."""
        return [e.code for e in self.economies if e.member]

    def economies_frame(self):
        """economies_frame() -> pandas.DataFrame indexed by economy code."""
        import pandas as pd
        rows = [vars(e) for e in self.economies]
        cols = list(Economy.__dataclass_fields__)
        return pd.DataFrame(rows, columns=cols).set_index("code")

    # ---- supply and demand --------------------------------------------

    def set_curve(self, economy, mineral, *, base_production=0.0,
                  capacity=None, supply_elasticity=0.0, base_demand=0.0,
                  demand_elasticity=0.0):
        """set_curve(economy: str, mineral: str, *,
        base_production: float = 0.0, capacity: float = None,
        supply_elasticity: float = 0.0, base_demand: float = 0.0,
        demand_elasticity: float = 0.0) -> None

        Set the economy's supply and demand of the mineral (t/yr; the
        elasticities dimensionless, demand's as a magnitude >= 0).
        capacity defaults to base_production (no spare capacity). Raises
        crit.InvalidArgumentError (a value that is negative, not finite, or
        capacity below base production), crit.NotFoundError.
        """
        if capacity is None:
            capacity = base_production
        _core.world_set_curve(self._h, economy, mineral, base_production,
                              capacity, supply_elasticity, base_demand,
                              demand_elasticity)

    def curve(self, economy, mineral):
        """curve(economy: str, mineral: str) -> Curve (all zero if never
        set). Raises crit.NotFoundError."""
        return Curve(*_core.world_curve_get(self._h, economy, mineral))

    # ---- trade --------------------------------------------------------

    def set_transport(self, mineral, exporter, importer, usd_per_t):
        """set_transport(mineral: str, exporter: str, importer: str,
        usd_per_t: float) -> None: transport cost of the arc (>= 0)."""
        _core.world_set_transport(self._h, mineral, exporter, importer,
                                  usd_per_t)

    def set_tariff(self, mineral, exporter, importer, usd_per_t=0.0,
                   ad_valorem=0.0):
        """set_tariff(mineral: str, exporter: str, importer: str,
        usd_per_t: float = 0.0, ad_valorem: float = 0.0) -> None

        The importer's tariff on the arc: a specific part (USD/t) plus an
        ad valorem rate (0.25 is 25 %) converted at the base price P0.
        """
        _core.world_set_tariff(self._h, mineral, exporter, importer,
                               usd_per_t, ad_valorem)

    def set_export_tax(self, mineral, exporter, usd_per_t=0.0,
                       ad_valorem=0.0):
        """set_export_tax(mineral: str, exporter: str, usd_per_t: float = 0.0,
        ad_valorem: float = 0.0) -> None

        The exporter's tax on every export of the mineral; negative is a
        subsidy, refused if any of its arcs' wedges would fall below zero.
        """
        _core.world_set_export_tax(self._h, mineral, exporter, usd_per_t,
                                   ad_valorem)

    def set_export_ban(self, mineral, exporter, importer, banned=True):
        """set_export_ban(mineral: str, exporter: str, importer: str,
        banned: bool = True) -> None: the exporter bans (or stops banning)
        exports to the importer."""
        _core.world_set_export_ban(self._h, mineral, exporter, importer,
                                   1 if banned else 0)

    def set_import_ban(self, mineral, importer, exporter, banned=True):
        """set_import_ban(mineral: str, importer: str, exporter: str,
        banned: bool = True) -> None: the importer bans (or stops banning)
        imports from the exporter."""
        _core.world_set_import_ban(self._h, mineral, importer, exporter,
                                   1 if banned else 0)

    def set_export_quota(self, mineral, exporter, t_per_yr):
        """set_export_quota(mineral: str, exporter: str, t_per_yr: float)
        -> None: cap the exporter's total exports of the mineral."""
        _core.world_set_export_quota(self._h, mineral, exporter, t_per_yr)

    def clear_export_quota(self, mineral, exporter):
        """clear_export_quota(mineral: str, exporter: str) -> None"""
        _core.world_clear_export_quota(self._h, mineral, exporter)

    def export_quota(self, mineral, exporter):
        """export_quota(mineral: str, exporter: str) -> float: the quota in
        t/yr, math.inf when there is none."""
        return _core.world_export_quota_get(self._h, mineral, exporter)

    def wedge(self, mineral, exporter, importer):
        """wedge(mineral: str, exporter: str, importer: str) -> Wedge: the
        arc's transport, tariff and export tax (USD/t), their total and
        whether trade on it is allowed."""
        transport, tariff, tax = _core.world_arc_get(self._h, mineral,
                                                     exporter, importer)
        total, allowed = _core.world_arc_wedge(self._h, mineral, exporter,
                                               importer)
        return Wedge(transport, tariff, tax, total, bool(allowed))

    # ---- supply-risk indicators (MODEL.md section 10) ------------------

    def hhi(self, mineral):
        """hhi(mineral: str) -> float: Herfindahl-Hirschman index of base
        production shares, 0 to 10,000. Raises crit.DomainError when no
        economy produces the mineral."""
        return _core.risk_hhi(self._h, mineral)

    def top_producer(self, mineral):
        """top_producer(mineral: str) -> (str, float): the largest producer
        at base and its share of world production (0 to 1)."""
        index, share = _core.risk_top_producer(self._h, mineral)
        return _core.world_economy_code(self._h, index), share

    def self_sufficiency(self, mineral):
        """self_sufficiency(mineral: str) -> float: coalition base
        production over coalition base demand."""
        return _core.risk_self_sufficiency(self._h, mineral)

    def net_import_reliance(self, economy, mineral):
        """net_import_reliance(economy: str, mineral: str) -> float:
        (d0 - s0) / d0, negative for a net exporter."""
        return _core.risk_net_import_reliance(self._h, economy, mineral)

    def world_production(self, mineral):
        """world_production(mineral: str) -> float: sum of base production
        (t/yr)."""
        return _core.risk_world_production(self._h, mineral)

    def risk_table(self):
        """risk_table() -> pandas.DataFrame

        One row per mineral (indexed by code): world_production, hhi,
        top_producer, top_share, self_sufficiency, and one
        net_import_reliance_<CODE> column per coalition member. Indicators
        that are undefined (no production, no demand) are NaN (top_producer
        None).
        """
        import pandas as pd
        members = self.members
        rows = []
        for m in self.mineral_codes:
            try:
                top, share = self.top_producer(m)
            except _DomainError:
                top, share = None, math.nan
            row = {
                "mineral": m,
                "world_production": self.world_production(m),
                "hhi": _nan_if_undefined(self.hhi, m),
                "top_producer": top,
                "top_share": share,
                "self_sufficiency": _nan_if_undefined(self.self_sufficiency,
                                                      m),
            }
            for e in members:
                row["net_import_reliance_" + e] = _nan_if_undefined(
                    self.net_import_reliance, e, m)
            rows.append(row)
        cols = ["mineral", "world_production", "hhi", "top_producer",
                "top_share", "self_sufficiency"] + \
            ["net_import_reliance_" + e for e in members]
        return pd.DataFrame(rows, columns=cols).set_index("mineral")

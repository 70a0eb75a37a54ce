"""Snapshots and CSV for crit.World (crit/io.h): save/load, read_csv,
to_csv and the tidy pandas export. Errors are crit.Error subclasses whose
message names the file and the chunk and byte offset (snapshots) or the
line and column (CSV)."""

import os
import tempfile
from operator import index as _index  # an int, never a truncated float

from . import _core
from ._errors import _raise
from ._market import Market
from ._scenario import Result, Scenario
from ._world import World

#: CSV table names (docs/format.md) and their crit_csv_table values.
TABLES = {"minerals": 1, "economies": 2, "curves": 3, "arcs": 4,
          "exports": 5, "series": 6}


def _table(name):
    if isinstance(name, str) and name in TABLES:
        return TABLES[name]
    _raise(-1, f"unknown CSV table {name!r}; expected one of "
           f"{', '.join(TABLES)}")


def _limit(max_uncompressed_bytes):
    """A byte limit: a whole number >= 0 (a float is a TypeError, as for
    every count of this package)."""
    n = _index(max_uncompressed_bytes)
    if n < 0:
        _raise(-1, f"max_uncompressed_bytes {n} is negative")
    return n


def load(path, *, max_uncompressed_bytes=0):
    """load(path, *, max_uncompressed_bytes=0) -> World

    Load a snapshot written by World.save(). Everything is checked before
    a world is returned (lengths, CRCs, every value by the world's rules);
    files decompressing to more than max_uncompressed_bytes (0: 1 GiB)
    are refused. Raises crit.FormatError, crit.VersionError (a newer
    format), crit.InputOutputError, crit.InvalidArgumentError (a bad value)."""
    return World._wrap(_core.io_load(path, _limit(max_uncompressed_bytes)))


def load_scenario(path, *, max_uncompressed_bytes=0):
    """load_scenario(path, *, max_uncompressed_bytes=0)
    -> (Scenario, Result or None)

    Load a snapshot written by Scenario.save(): the scenario (its world is
    the one the file holds, reached as scenario.world and closed with the
    scenario) and the saved result, or None when the file holds none.
    Re-running the scenario gives the saved result bit for bit. Checked
    in full first, as load(); a file with a world alone raises
    crit.FormatError."""
    sh, rh = _core.io_load_scenario(path, _limit(max_uncompressed_bytes))
    scenario = Scenario._wrap_loaded(sh)
    if rh is None:
        return scenario, None
    return scenario, Result(rh, list(scenario._stockpiles),
                            list(scenario._loans))


def read_csv(path, table, *, base=None):
    """read_csv(path, table, *, base=None) -> World

    Read one CSV table (plain or gzip) into a copy of `base` (a World, or
    None for an empty one); `table` is "economies", "minerals", "curves",
    "arcs" or "exports" (import them in that order). Every row goes
    through the world's setters; errors name the file, line and column."""
    t = _table(table)
    if base is None:
        return World._wrap(_core.io_csv_import_new(t, path))
    return World._wrap(_core.io_csv_import(base._h, t, path))


def _save(self, path, *, level=None):
    """save(path, *, level=None) -> None

    Write the world to a snapshot file atomically (a temporary file
    beside it, fsync, rename). level is the deflate level 0-9 (None: 6)."""
    _core.io_save(path, self._h, -1 if level is None else _index(level))


def _read_csv(self, path, table):
    """read_csv(path, table) -> World: a copy of this world with the rows of
    one CSV table applied (see crit.read_csv)."""
    return read_csv(path, table, base=self)


def _to_csv(self, path, table="series", *, compress=None):
    """to_csv(path, table="series", *, compress=None) -> None

    Write one table as CSV, atomically: "minerals", "economies", "curves",
    "arcs", "exports" (the layouts read_csv reads) or "series", the tidy
    layout mineral,economy,series,period,value. compress: None gzips when
    the name ends in ".gz", True or False force it."""
    c = -1 if compress is None else (1 if compress else 0)
    _core.io_csv_export(path, self._h, _table(table), c)


def _to_frame(self):
    """to_frame() -> pandas.DataFrame

    The world's data in tidy form, one row per mineral, economy, series
    and period: columns mineral, economy ("" for a mineral's own series
    such as base_price_usd_per_t), series, period (0: the base data) and
    value."""
    import pandas as pd

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "series.csv")
        self.to_csv(path, "series", compress=False)
        return pd.read_csv(path, keep_default_na=False,
                           dtype={"mineral": str, "economy": str,
                                  "series": str, "period": "int64",
                                  "value": "float64"})


def _market_to_csv(self, path, period=0, *, compress=None):
    """to_csv(path, period=0, *, compress=None) -> None

    Write the results of the last solve as tidy CSV (mineral, economy,
    series, period, value): five summary rows (residual, levy, total
    demand, period length) and one row per economy and quantity, at the
    given period number. compress as in World.to_csv. Raises
    crit.StateError when the market has no solution."""
    c = -1 if compress is None else (1 if compress else 0)
    _core.io_csv_export_market(path, self._h, _index(period), c)


Market.to_csv = _market_to_csv
World.save = _save
World.load = staticmethod(load)
World.read_csv = _read_csv
World.to_csv = _to_csv
World.to_frame = _to_frame

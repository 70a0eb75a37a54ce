"""libcrit for Python: critical-minerals supply chains and coalition policy.

    >>> import crit
    >>> with crit.World() as w:
    ...     w.add_mineral("Ga", 600_000.0, name="Gallium")
    ...     w.add_economy("USA", member=True)

The package wraps the C library libcrit (through the private extension
``crit._core``). Every libcrit status code is raised as a subclass of
:class:`crit.Error` (``crit.InvalidArgumentError`` for CRIT_EINVAL,
``crit.NotFoundError`` for CRIT_ENOTFOUND, ...); see ``crit.ERRORS``.
"""

from . import _core


def _check_version(compiled, loaded):
    """Raise ImportError unless the extension and libcrit.so agree."""
    if compiled != loaded:
        raise ImportError(
            f"crit._core was built against libcrit {compiled} but the loaded "
            f"libcrit.so is {loaded}; rebuild the bindings or fix the "
            f"library path")


_check_version(_core.COMPILED_VERSION_NUMBER, _core.version_number())

from ._errors import ERRORS, Error  # noqa: E402
from ._world import Curve, Economy, Mineral, Wedge, World  # noqa: E402
from ._loan import (Loan, LoanTotals, add_months, to_date,  # noqa: E402
                    to_day, year_fraction)
from ._data import Source, data_records, data_source, data_version  # noqa: E402,E501
from ._io import (TABLES as CSV_TABLES, load, load_scenario,  # noqa: E402
                  read_csv)
from ._market import (QUANTITIES, Floor, Market, Policy,  # noqa: E402
                      SolveInfo)
from ._scenario import (EVENT_KINDS, SERIES, Participant,  # noqa: E402
                        ProgressBar, Programme, Result, Scenario, Stockpile,
                        StockpileFlows, StockpileMineral)

# One module attribute per error class: crit.InvalidArgumentError, ...
globals().update({cls.__name__: cls for cls in ERRORS.values()})

__version__ = _core.version_string()


def version():
    """version() -> str: version of the loaded libcrit, e.g. "1.0.0"."""
    return _core.version_string()


def version_number():
    """version_number() -> int: MAJOR * 10000 + MINOR * 100 + PATCH."""
    return _core.version_number()


def strerror(code):
    """strerror(code: int) -> str: the static text of a status code."""
    return _core.strerror(code)


__all__ = ["World", "Mineral", "Economy", "Curve", "Wedge", "Error",
           "Loan", "LoanTotals", "add_months", "to_date", "to_day",
           "year_fraction",
           "Source", "data_source", "data_records", "data_version",
           "load", "load_scenario", "read_csv", "CSV_TABLES",
           "Market", "Policy", "Floor", "SolveInfo", "QUANTITIES",
           "Stockpile", "StockpileMineral", "StockpileFlows", "Participant",
           "Programme", "Scenario", "Result", "ProgressBar", "SERIES",
           "EVENT_KINDS",
           "ERRORS", "version", "version_number", "strerror"] + \
    [cls.__name__ for cls in ERRORS.values()]

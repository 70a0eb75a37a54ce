"""The default world's provenance (crit/data.h): where every number of
crit.World.default() comes from."""

from dataclasses import dataclass

from . import _core


@dataclass(frozen=True)
class Source:
    """Where one number of the default world comes from.

    mineral and economy are codes ("" for an economy-wide or mineral-wide
    value); field is what the value is ("production", "capacity",
    "demand", "base_price", "world_production", "us_net_import_reliance",
    ...; see docs/data.md); value is in unit ("t/yr", "USD/t", "USD/t/yr"
    or "1"), NaN where USGS publishes a code instead of a number; source
    names the table (the USGS release and file, or libcrit's assumptions
    table), year its data year (0 for an assumption), rows the line
    numbers used in that file, and note how the value was derived.
    """
    mineral: str
    economy: str
    field: str
    value: float
    unit: str
    source: str
    year: int
    rows: str
    note: str


def data_version():
    """data_version() -> str: the USGS release, file checksum, data year and
    assumptions revision the default world was built from."""
    return _core.data_version()


def data_source(mineral, economy, field):
    """data_source(mineral: str | None, economy: str | None, field: str)
    -> Source

    Where a number of the default world comes from, e.g.
    ``crit.data_source("Co", "COD", "production")``. Use None (or "") for
    a mineral-wide value's economy or an economy record's mineral. Raises
    crit.NotFoundError when there is no such record.
    """
    return Source(*_core.data_source(mineral, economy, field))


def data_records():
    """data_records() -> list[Source]: every provenance record."""
    return [Source(*_core.data_record_get(i))
            for i in range(_core.data_record_count())]


def provenance_frame():
    """provenance_frame() -> pandas.DataFrame: every provenance record, one
    row each, with the columns of Source (mineral, economy, field, value,
    unit, source, year, rows, note)."""
    import pandas as pd
    cols = list(Source.__dataclass_fields__)
    return pd.DataFrame([vars(r) for r in data_records()], columns=cols)

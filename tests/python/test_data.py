"""crit.World.default() and the provenance of its numbers, checked against
the committed USGS table (read here with the csv module)."""

import csv
import math
import pathlib

import pytest

import crit

USGS = (pathlib.Path(__file__).resolve().parents[2] / "libcrit" / "data" /
        "usgs" / "MCS2026_Commodities_Data.csv")


def usgs_rows():
    with open(USGS, newline="", encoding="cp1252") as f:
        reader = csv.reader(f)
        header = next(reader)
        for line, fields in enumerate(reader, start=2):
            yield line, dict(zip(header, (x.strip() for x in fields)))


def usgs_value(chapter, commodity, country, detail):
    found = [(line, r) for line, r in usgs_rows()
             if r["Year"] == "2025" and r["MCS chapter"] == chapter and
             r["Commodity"] == commodity and r["Country"] == country and
             r["Statistics_detail"] == detail]
    assert len(found) == 1
    line, r = found[0]
    return line, float(r["Value"].replace(",", ""))


@pytest.fixture(scope="module")
def world():
    with crit.World.default() as w:
        yield w


def test_default_world(world):
    assert "REE" in world.mineral_codes and "Ga" in world.mineral_codes
    assert world.members == ["USA", "EU", "JPN", "KOR", "GBR", "CAN", "AUS",
                             "IND", "NOR"]
    assert world.economy_codes[-1] == "ROW"
    assert crit.World.default() == world


def test_shares_against_usgs(world):
    _, chn = usgs_value("RARE EARTHS", "Rare Earths", "China",
                        "Mine production")
    _, total = usgs_value("RARE EARTHS", "Rare Earths", "World total",
                          "Mine production: rounded")
    top, share = world.top_producer("REE")
    assert top == "CHN"
    assert share == pytest.approx(chn / total, rel=1e-12)
    assert world.world_production("REE") == total
    _, cod = usgs_value("COBALT", "Cobalt", "Congo (Kinshasa)",
                        "Mine production")
    top, share = world.top_producer("Co")
    assert top == "COD"
    assert share == pytest.approx(
        cod / world.world_production("Co"), rel=1e-12)


def test_base_year_balance(world):
    for m in world.mineral_codes:
        curves = [world.curve(e, m) for e in world.economy_codes]
        supply = sum(c.base_production for c in curves)
        demand = sum(c.base_demand for c in curves)
        assert demand == pytest.approx(supply, rel=1e-12)


def test_provenance_frame():
    df = crit.World.provenance()
    assert list(df.columns) == ["mineral", "economy", "field", "value",
                                "unit", "source", "year", "rows", "note"]
    assert len(df) == len(crit.data_records())
    row = df[(df.mineral == "Co") & (df.economy == "COD") &
             (df.field == "production")].iloc[0]
    line, value = usgs_value("COBALT", "Cobalt", "Congo (Kinshasa)",
                             "Mine production")
    assert row.value == value
    assert row.rows == str(line)
    assert "MCS2026_Commodities_Data.csv" in row.source
    assert row.year == 2025
    assumed = df[(df.mineral == "Co") & (df.field == "demand_elasticity")]
    assert "assumptions" in assumed.iloc[0].source


def test_data_source_and_version():
    s = crit.data_source("Ga", None, "base_price")
    _, price = usgs_value("GALLIUM", "Gallium", "United States",
                          "Price, average unit value of imports, dollars "
                          "per kilogram")
    assert s.value == price * 1000
    assert s.unit == "USD/t"
    # USGS publishes lithium's reliance as a bound (>50): NaN, quoted.
    nir = crit.data_source("Li", "USA", "us_net_import_reliance")
    assert math.isnan(nir.value) and ">50" in nir.note
    nir = crit.data_source("Co", "USA", "us_net_import_reliance")
    assert nir.value == 0.79
    m = crit.data_source(None, "NOR", "member")
    assert m.value == 1 and "MSP" in m.note
    with pytest.raises(crit.NotFoundError):
        crit.data_source("Co", "GAB", "production")
    assert "Mineral Commodity Summaries 2026" in crit.data_version()

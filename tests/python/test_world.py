"""crit.World: build a world, read it back, trade wedges, copies."""

import copy
import math

import pytest

import crit
from conftest import GA, GA_P0


def test_minerals_read_back(world):
    ga, ge = world.minerals
    assert ga == crit.Mineral("Ga", "Gallium", "contained Ga", GA_P0,
                              10 * GA_P0, 1200.0)
    # Defaults: name is the code, basis "", the given choke price.
    assert ge == crit.Mineral("Ge", "Ge", "", 1_400_000.0, 5_000_000.0, 0.0)
    assert world.mineral("Ge") == ge
    assert world.mineral_codes == ["Ga", "Ge"]


def test_economies_read_back(world):
    assert world.economy_codes == ["CHN", "USA", "JPN", "ROW"]
    assert world.economy("CHN") == crit.Economy("CHN", "China", False)
    assert world.economy("JPN") == crit.Economy("JPN", "JPN", True)
    assert world.members == ["USA", "JPN"]
    world.set_member("JPN", False)
    world.set_member("CHN")
    assert world.members == ["CHN", "USA"]


def test_curves_read_back(world):
    for e, values in GA.items():
        assert world.curve(e, "Ga") == crit.Curve(*values)
    # Never set: all zero.
    assert world.curve("USA", "Ge") == crit.Curve(0.0, 0.0, 0.0, 0.0, 0.0)
    # capacity defaults to base production.
    world.set_curve("USA", "Ge", base_production=5.0, base_demand=9.0)
    assert world.curve("USA", "Ge") == crit.Curve(5.0, 5.0, 0.0, 9.0, 0.0)


def test_frames(world):
    minerals = world.minerals_frame()
    assert list(minerals.index) == ["Ga", "Ge"]
    assert minerals.loc["Ga", "base_price"] == GA_P0
    assert minerals.loc["Ge", "choke_price"] == 5_000_000.0
    economies = world.economies_frame()
    assert list(economies["member"]) == [False, True, True, False]
    assert economies.loc["USA", "name"] == "United States"


def test_wedge_components(world):
    assert world.wedge("Ga", "CHN", "USA") == crit.Wedge(0, 0, 0, 0, True)
    world.set_transport("Ga", "CHN", "USA", 150.0)
    world.set_tariff("Ga", "CHN", "USA", usd_per_t=1000.0, ad_valorem=0.25)
    world.set_export_tax("Ga", "CHN", usd_per_t=500.0, ad_valorem=0.1)
    w = world.wedge("Ga", "CHN", "USA")
    tariff = 1000.0 + 0.25 * GA_P0
    tax = 500.0 + 0.1 * GA_P0
    assert w.transport == 150.0
    assert w.tariff == pytest.approx(tariff, rel=1e-15)
    assert w.export_tax == pytest.approx(tax, rel=1e-15)
    assert w.total == pytest.approx(150.0 + tariff + tax, rel=1e-15)
    assert w.allowed
    # The export tax applies to every destination; the tariff does not.
    other = world.wedge("Ga", "CHN", "JPN")
    assert other.export_tax == pytest.approx(tax, rel=1e-15)
    assert other.tariff == 0.0


def test_bans_and_quotas(world):
    world.set_export_ban("Ga", "CHN", "USA")
    assert not world.wedge("Ga", "CHN", "USA").allowed
    assert world.wedge("Ga", "CHN", "JPN").allowed
    world.set_import_ban("Ga", "USA", "CHN")
    world.set_export_ban("Ga", "CHN", "USA", banned=False)
    # The importer's ban still closes the arc.
    assert not world.wedge("Ga", "CHN", "USA").allowed
    world.set_import_ban("Ga", "USA", "CHN", banned=False)
    assert world.wedge("Ga", "CHN", "USA").allowed

    assert world.export_quota("Ga", "CHN") == math.inf
    world.set_export_quota("Ga", "CHN", 400.0)
    assert world.export_quota("Ga", "CHN") == 400.0
    world.clear_export_quota("Ga", "CHN")
    assert world.export_quota("Ga", "CHN") == math.inf


def test_copy_and_equality(world):
    twin = world.copy()
    assert twin == world and twin is not world
    twin.set_transport("Ga", "CHN", "USA", 10.0)
    assert twin != world
    assert world.wedge("Ga", "CHN", "USA").transport == 0.0
    assert copy.copy(world) == world
    assert copy.deepcopy(world) == world
    twin.close()
    assert world != 3


def test_repr(world):
    assert repr(world) == \
        "<crit.World: 2 minerals, 4 economies (2 members)>"

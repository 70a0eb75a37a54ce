"""Supply-risk indicators, checked against sums computed here."""

import math

import pytest

from conftest import GA

S0 = {e: v[0] for e, v in GA.items()}
D0 = {e: v[3] for e, v in GA.items()}
MEMBERS = ["USA", "JPN"]


def test_hhi(world):
    total = sum(S0.values())
    expected = sum((100.0 * s / total) ** 2 for s in S0.values())
    assert world.hhi("Ga") == pytest.approx(expected, rel=1e-12)
    assert world.world_production("Ga") == pytest.approx(total)


def test_top_producer(world):
    code, share = world.top_producer("Ga")
    assert code == "CHN"
    assert share == pytest.approx(750.0 / 800.0, rel=1e-12)


def test_self_sufficiency(world):
    expected = sum(S0[e] for e in MEMBERS) / sum(D0[e] for e in MEMBERS)
    assert world.self_sufficiency("Ga") == pytest.approx(expected, rel=1e-12)


def test_net_import_reliance(world):
    for e in GA:
        assert world.net_import_reliance(e, "Ga") == pytest.approx(
            (D0[e] - S0[e]) / D0[e], rel=1e-12)
    assert world.net_import_reliance("CHN", "Ga") < 0  # a net exporter


def test_undefined_indicators_raise_domain_error(world):
    import crit
    with pytest.raises(crit.DomainError, match="no economy produces it"):
        world.hhi("Ge")
    with pytest.raises(crit.DomainError, match="no consumption"):
        world.net_import_reliance("USA", "Ge")


def test_risk_table(world):
    t = world.risk_table()
    assert list(t.index) == ["Ga", "Ge"]
    assert list(t.columns) == [
        "world_production", "hhi", "top_producer", "top_share",
        "self_sufficiency", "net_import_reliance_USA",
        "net_import_reliance_JPN"]
    assert t.loc["Ga", "hhi"] == pytest.approx(world.hhi("Ga"))
    assert t.loc["Ga", "top_producer"] == "CHN"
    assert t.loc["Ga", "net_import_reliance_JPN"] == pytest.approx(0.5)
    # Ge: nobody produces or consumes it.
    assert t.loc["Ge", "world_production"] == 0.0
    assert t.loc["Ge", "top_producer"] is None
    for col in ["hhi", "top_share", "self_sufficiency",
                "net_import_reliance_USA", "net_import_reliance_JPN"]:
        assert math.isnan(t.loc["Ge", col]), col

"""Shared fixtures: a small world whose indicators the tests compute by
hand (MODEL.md section 10)."""

import pytest

import crit

# economy -> (s0, K, eta, d0, eps) for Ga; members USA, JPN.
GA = {
    "CHN": (750.0, 900.0, 0.5, 300.0, 0.3),
    "USA": (10.0, 20.0, 0.8, 120.0, 0.4),
    "JPN": (40.0, 40.0, 0.0, 80.0, 0.2),
    "ROW": (0.0, 0.0, 0.0, 300.0, 0.25),
}
GA_P0 = 600_000.0


@pytest.fixture
def world():
    w = crit.World()
    w.add_mineral("Ga", GA_P0, name="Gallium", basis="contained Ga",
                  holding_cost=1200.0)
    w.add_mineral("Ge", 1_400_000.0, choke_price=5_000_000.0)
    w.add_economy("CHN", name="China")
    w.add_economy("USA", name="United States", member=True)
    w.add_economy("JPN", member=True)
    w.add_economy("ROW")
    for e, (s0, k, eta, d0, eps) in GA.items():
        w.set_curve(e, "Ga", base_production=s0, capacity=k,
                    supply_elasticity=eta, base_demand=d0,
                    demand_elasticity=eps)
    yield w
    w.close()

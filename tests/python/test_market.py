"""crit.Market and crit.Policy: closed forms, the residual recomputed from
the DataFrames, mechanisms, errors."""

import math

import numpy as np
import pytest

import crit


def two_economies(transport=10.0):
    """Non-member exporter CHN (S = 200 p/P0, D = 50 P0/p) and member
    importer USA (S = 20 p/P0, D = 150 P0/p), P0 = 100."""
    w = crit.World()
    w.add_mineral("Ga", 100.0, choke_price=1000.0)
    w.add_economy("CHN")
    w.add_economy("USA", member=True)
    w.set_curve("CHN", "Ga", base_production=200, capacity=1e9,
                supply_elasticity=1, base_demand=50, demand_elasticity=1)
    w.set_curve("USA", "Ga", base_production=20, capacity=1e9,
                supply_elasticity=1, base_demand=150, demand_elasticity=1)
    w.set_transport("Ga", "CHN", "USA", transport)
    w.set_transport("Ga", "USA", "CHN", transport)
    return w


def residual(world, market, policy=None):
    """Balance and arbitrage of MODEL.md section 3 from nodes() and
    flows(), with the world's wedges plus, from a non-member into a
    member, the policy's external tariff and the levy."""
    nodes, flows = market.nodes(), market.flows()
    V = nodes["demand"].sum()
    r = 0.0
    for c in nodes.index:
        n = nodes.loc[c]
        bal = (n.production + n.stock_release - n.stock_purchase +
               flows[c].sum() - flows.loc[c].sum() + n.shortage -
               n.disposal - n.demand)
        r = max(r, abs(bal) / V)
    p0 = world.mineral("Ga").base_price
    for a in nodes.index:
        for b in nodes.index:
            if a == b:
                continue
            wd = world.wedge("Ga", a, b)
            if not wd.allowed:
                continue
            c = wd.total
            if policy is not None and not world.economy(a).member and \
                    world.economy(b).member:
                c += policy.external_tariff + market.info.levy
            gap = nodes.price[b] - nodes.price[a] - c - nodes.quota_rent[a]
            r = max(r, gap / p0, flows.loc[a, b] * -gap / (V * p0))
    return r


def test_two_economies_closed_form():
    with two_economies() as w, crit.Market(w, "Ga") as m:
        info = m.solve()
        assert info.residual <= 1e-9
        nodes = m.nodes()
        # 200 x - 50/x = 150/(x + 0.1) + ... solved directly:
        pa = nodes.price["CHN"]
        assert nodes.price["USA"] == pytest.approx(pa + 10, rel=1e-12)
        x, y = pa / 100, (pa + 10) / 100
        excess = (200 * x - 50 / x) / 12
        assert excess == pytest.approx((150 / y - 20 * y) / 12, rel=1e-9)
        assert nodes.exports["CHN"] == pytest.approx(excess, rel=1e-9)
        assert list(nodes.columns) == [q for q in crit.QUANTITIES
                                       if "surplus" not in q]
        assert list(nodes.index) == ["CHN", "USA"]
        flows = m.flows()
        assert flows.shape == (2, 2)
        assert flows.loc["CHN", "USA"] == pytest.approx(excess, rel=1e-9)
        assert flows.loc["USA", "CHN"] == 0
        assert residual(w, m) <= 1e-9
        assert isinstance(m.values("price"), np.ndarray)


def test_reference_price_and_surplus():
    with two_economies() as w, crit.Policy(w, "Ga") as p, \
            crit.Market(w, "Ga", policy=p) as m, crit.Market(w, "Ga") as base:
        base.solve()
        p.reference_price = 130.0
        m.set_reference(base)
        info = m.solve()
        nodes = m.nodes()
        assert nodes.price["USA"] == pytest.approx(130.0, rel=1e-9)
        assert info.levy == pytest.approx(130 - nodes.price["CHN"] - 10,
                                          rel=1e-9)
        assert info.levy_revenue == pytest.approx(
            info.levy * nodes.imports["USA"], rel=1e-9)
        assert nodes.levy_revenue["USA"] == pytest.approx(info.levy_revenue)
        # consumers of USA lose: integral of D from the base price to 130
        pb = base.nodes().price["USA"]
        cs = 150 / 12 * 100 * math.log(pb / 130)
        assert nodes.consumer_surplus_change["USA"] == pytest.approx(cs,
                                                                     rel=1e-9)
        assert residual(w, m, p) <= 1e-9
        p.reference_price = 0
        m.solve()
        assert m.info.levy == 0


def test_tariff_floor_agents_availability():
    with two_economies() as w, crit.Policy(w, "Ga") as p, \
            crit.Market(w, "Ga", policy=p) as m:
        m.solve()
        before = m.nodes().price
        p.external_tariff = 20.0
        m.solve()
        after = m.nodes()
        assert after.price["USA"] > before["USA"]
        assert after.price["CHN"] < before["CHN"]
        assert after.tariff_revenue["USA"] == pytest.approx(
            20 * after.imports["USA"], rel=1e-12)
        p.set_floor("USA", 150.0, covered_share=0.5)
        assert p.floor("USA") == crit.Floor(150.0, 0.5, 0.0)
        assert p.floor("CHN") is None
        m.solve()
        floored = m.nodes()
        assert floored.production["USA"] > after.production["USA"]
        assert floored.cfd_paid["USA"] > 0
        i = m.add_agent("USA", purchase_trigger=50, release_trigger=200,
                        inventory=10, capacity=100, target=80,
                        acquisition_rate=120, release_rate=120, cash=1e6)
        assert i == 0 and m.agent_count == 1
        m.set_availability({"CHN": 0.1})
        m.solve()
        bought, released = m.agent_result(0)
        assert bought == 0 and released > 0
        assert m.nodes().stock_release["USA"] == pytest.approx(released)
        assert residual(w, m, p) <= 1e-9


def test_errors_and_states():
    with two_economies() as w:
        with pytest.raises(crit.NotFoundError, match="'Xx'"):
            crit.Market(w, "Xx")
        m = crit.Market(w, "Ga")
        with pytest.raises(crit.StateError):
            m.nodes()
        with pytest.raises(crit.InvalidArgumentError, match="period length"):
            m.period_length = 0
        with pytest.raises(crit.InvalidArgumentError, match="availability"):
            m.set_availability([1.0, 2.0])
        with pytest.raises(crit.NotFoundError):
            m.set_availability({"ZZZ": 1.0})
        with pytest.raises(crit.InvalidArgumentError, match="release trigger"):
            m.add_agent("USA", purchase_trigger=100, release_trigger=50)
        p = crit.Policy(w, "Ga")
        with pytest.raises(crit.InvalidArgumentError, match="theta"):
            p.set_floor("USA", 100, covered_share=1.5)
        with pytest.raises(crit.InvalidArgumentError, match="external tariff"):
            p.external_tariff = float("nan")
        m.solve()
        with pytest.raises(crit.InvalidArgumentError, match="unknown"):
            m.values("nothing")
        # the world gains an economy: solve refuses until resize()
        w.add_economy("JPN", member=True)
        with pytest.raises(crit.StateError, match="resize"):
            m.solve()
        m.resize()
        assert m.economy_codes == ["CHN", "USA", "JPN"]
        m.solve()
        assert m.flows().shape == (3, 3)
        m.close()
        with pytest.raises(crit.StateError):
            m.solve()
        p.close()


def test_close_in_another_thread_while_solving():
    """solve() releases the GIL: a close() in another thread meanwhile
    frees the market only once the solve has returned, which then raises
    crit.StateError; before, libcrit went on solving the freed market (a
    use after free, caught by ASan within a few rounds)."""
    import threading
    with crit.World.default() as w:
        for _ in range(100):
            m = crit.Market(w, "Ga", warm_start=False)
            started = threading.Event()
            failures = []

            def solve_until_closed():
                started.set()
                try:
                    while True:
                        m.reset()
                        m.solve()
                except crit.StateError as e:
                    if "market is closed" not in str(e):
                        failures.append(e)
                except BaseException as e:  # noqa: B902
                    failures.append(e)
            t = threading.Thread(target=solve_until_closed)
            t.start()
            started.wait()
            m.close()
            t.join()
            assert failures == [] and m.closed


def test_policy_detaches_with_none():
    """market.policy = None detaches the policy (crit_market_set_policy
    with NULL); before, the closed-handle check refused None as 'policy is
    closed'. A closed Policy is still refused, not taken for None."""
    with two_economies() as w, crit.Policy(w, "Ga") as p, \
            crit.Market(w, "Ga") as m:
        m.solve()
        free_price = m.nodes().price["USA"]
        p.external_tariff = 20.0
        m.policy = p
        m.solve()
        assert m.nodes().price["USA"] > free_price + 1
        m.policy = None
        assert m.policy is None
        m.solve()
        assert m.nodes().price["USA"] == pytest.approx(free_price, rel=1e-12)
        closed = crit.Policy(w, "Ga")
        closed.close()
        with pytest.raises(crit.StateError, match="policy is closed"):
            m.policy = closed
        assert m.policy is None


def test_reference_mapping_refuses_unknown_economies():
    """A mapping of reference prices naming an economy the market does not
    have is refused by name, as set_availability() does; before, the
    unknown key was silently ignored."""
    with two_economies() as w, crit.Market(w, "Ga") as m:
        with pytest.raises(crit.NotFoundError, match="'JPN'"):
            m.set_reference({"CHN": 90.0, "USA": 110.0, "JPN": 100.0})
        m.set_reference({"CHN": 90.0, "USA": 110.0})
        m.solve()
        assert "consumer_surplus_change" in m.nodes().columns


def test_constructor_options_and_defaults_reach_the_library():
    """warm_start given to the constructor, a floor's default covered
    share (1) and an agent's default capacity (the largest of inventory,
    target and minimum) reach libcrit."""
    with two_economies() as w:
        with crit.Market(w, "Ga", warm_start=False) as cold, \
                crit.Market(w, "Ga") as warm:
            first = cold.solve().iterations
            assert first > 1 and cold.solve().iterations == first
            assert warm.solve().iterations == first
            assert warm.solve().iterations < first
        with crit.Policy(w, "Ga") as p:
            p.set_floor("USA", 150.0)
            assert p.floor("USA") == crit.Floor(150.0, 1.0, 0.0)
        with crit.Market(w, "Ga") as m:
            # capacity 30 (the minimum), not 0, which libcrit refuses
            assert m.add_agent("USA", release_trigger=200.0,
                               minimum=30.0) == 0


def test_partial_mappings_leave_the_others_at_one():
    """A mapping of availabilities or demand levels names some economies;
    the others are 1, as the same values given as a sequence."""
    with two_economies() as w, crit.Market(w, "Ga") as m:
        for setter, mapping, seq in (
                (m.set_availability, {"CHN": 0.5}, [0.5, 1.0]),
                (m.set_demand_level, {"USA": 1.2}, [1.0, 1.2])):
            setter(seq)
            m.solve()
            expect = m.nodes()
            setter(mapping)
            m.solve()
            np.testing.assert_allclose(m.nodes().to_numpy(),
                                       expect.to_numpy(), rtol=1e-12)
            setter(None)


def test_reference_mapping_needs_every_economy_and_clears():
    """A mapping of reference prices must price every economy (refused
    naming the missing ones, not a KeyError); clear_reference() drops the
    surplus columns again."""
    with two_economies() as w, crit.Market(w, "Ga") as m:
        with pytest.raises(crit.InvalidArgumentError,
                           match="reference prices: no price for USA"):
            m.set_reference({"CHN": 90.0})
        m.set_reference({"CHN": 90.0, "USA": 110.0})
        m.solve()
        assert "producer_surplus_change" in m.nodes().columns
        m.clear_reference()
        m.solve()
        assert list(m.nodes().columns) == [q for q in crit.QUANTITIES
                                           if "surplus" not in q]


def test_set_options_defaults_labels_and_a_refused_period():
    """set_options() with no argument restores the defaults (warm start
    on); a refused period length leaves the old one; nodes() and flows()
    name their axes."""
    with two_economies() as w, crit.Market(w, "Ga", warm_start=False) as m:
        m.set_options()
        first = m.solve().iterations
        assert m.solve().iterations < first
        with pytest.raises(crit.InvalidArgumentError,
                           match="period length 0 years"):
            m.period_length = 0
        assert m.period_length == 1 / 12
        assert m.nodes().index.name == "economy"
        flows = m.flows()
        assert (flows.index.name, flows.columns.name) == ("exporter",
                                                          "importer")


def test_a_series_indexed_by_code_is_a_mapping():
    """A pandas Series indexed by economy code (a column of nodes(), in
    any order) is a mapping code -> value, as a dict is; before, its
    values were taken in position order, silently giving CHN's value to
    USA once the Series was sorted. A Series with a positional index is
    still a sequence."""
    import pandas as pd
    with two_economies() as w, crit.Market(w, "Ga") as base, \
            crit.Market(w, "Ga") as m:
        base.solve()
        ref = base.nodes().price
        m.set_reference(ref.sort_index(ascending=False))
        m.solve()
        np.testing.assert_allclose(
            m.nodes().consumer_surplus_change.to_numpy(), 0.0, atol=1e-9)
        for setter in (m.set_availability, m.set_demand_level):
            setter({"CHN": 0.5})
            m.solve()
            expect = m.nodes()
            setter(pd.Series({"USA": 1.0, "CHN": 0.5}))
            m.solve()
            np.testing.assert_allclose(m.nodes().to_numpy(),
                                       expect.to_numpy(), rtol=1e-12)
            setter(pd.Series([0.5, 1.0]))
            m.solve()
            np.testing.assert_allclose(m.nodes().to_numpy(),
                                       expect.to_numpy(), rtol=1e-12)
            setter(None)
        with pytest.raises(crit.NotFoundError, match="'JPN'"):
            m.set_availability(pd.Series({"JPN": 0.5}))


def test_economy_codes_is_a_copy():
    """Changing the list economy_codes returns changes nothing in the
    market (nodes() and flows() are still labelled by the world's
    codes)."""
    with two_economies() as w, crit.Market(w, "Ga") as m:
        codes = m.economy_codes
        codes.reverse()
        codes.append("JPN")
        assert m.economy_codes == ["CHN", "USA"]
        m.solve()
        assert list(m.nodes().index) == ["CHN", "USA"]

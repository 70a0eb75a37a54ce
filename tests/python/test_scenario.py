"""crit.Stockpile, crit.Programme, crit.Scenario and crit.Result against
independent computations (MODEL.md sections 5, 7 and 8)."""

import gzip
import threading

import numpy as np
import pytest

import crit
from conftest import GA_P0

DT = 1 / 12


# ---- stockpiles -------------------------------------------------------


def test_stockpile_outlives_its_world_handle(world):
    # a stockpile keeps its world alive: closing the World object leaves
    # the stockpile, and its copy, whole (before, .economy read the closed
    # world and raised crit.StateError)
    sp = crit.Stockpile(world, "JPN", name="depot", cash=5.0)
    sp.add_mineral("Ga", capacity=10.0, inventory=4.0,
                   release_trigger=2 * GA_P0)
    world.close()
    assert sp.economy == "JPN" and sp.minerals == ["Ga"] and sp.cash == 5.0
    c = sp.copy()
    assert c.economy == "JPN" and c.mineral("Ga").inventory == 4.0
    sp.close()
    c.close()
    with pytest.raises(crit.StateError):
        sp.economy


def test_stockpile_definition_round_trips(world):
    with crit.Stockpile(world, "USA", name="vault", cash=2e6) as sp:
        sp.add_mineral("Ga", capacity=100.0, inventory=30.0, minimum=5.0,
                       target=60.0, acquisition_rate=120.0,
                       release_rate=240.0, purchase_trigger=500_000.0,
                       release_trigger=900_000.0, loss_rate=0.01)
        i = sp.add_participant("maker", mineral="Ga", demand=365.0,
                               upfront_fee=1e5, annual_fee=1.2e6,
                               draw_right=20.0, draw_price=600_000.0,
                               replenish_rate=24.0)
        j = sp.add_participant("house", kind="trader", annual_fee=5e5)
        assert (i, j) == (0, 1)
        assert sp.name == "vault" and sp.economy == "USA"
        assert sp.minerals == ["Ga"]
        m = sp.mineral("Ga")
        assert (m.inventory, m.capacity, m.minimum, m.target) == \
            (30.0, 100.0, 5.0, 60.0)
        assert m.target_unit == "tonnes" and m.smoothing == 0.05
        assert sp.participant(0).draw_right == 20.0
        assert sp.participant(1).kind == "trader"
        assert sp.cash == 2e6
        assert sp.target("Ga") == 60.0
    assert sp.closed
    with pytest.raises(crit.StateError):
        sp.cash


def test_stockpile_target_in_days_of_demand(world):
    sp = crit.Stockpile(world, "USA")
    sp.add_mineral("Ga", capacity=1000.0, target=60.0,
                   target_unit="days_of_demand", release_trigger=1e6)
    sp.add_participant("a", mineral="Ga", demand=200.0)
    sp.add_participant("b", mineral="Ga", demand=165.0)
    assert sp.target("Ga") == pytest.approx(60 / 365 * 365.0, rel=1e-15)


def test_stockpile_errors_name_the_field(world):
    sp = crit.Stockpile(world, "USA")
    with pytest.raises(crit.InvalidArgumentError, match="capacity"):
        sp.add_mineral("Ga", capacity=0.0, release_trigger=1.0)
    with pytest.raises(crit.NotFoundError):
        sp.add_mineral("Xx", capacity=1.0, release_trigger=1.0)
    with pytest.raises(crit.InvalidArgumentError, match="target_unit"):
        sp.add_mineral("Ga", capacity=1.0, release_trigger=1.0,
                       target_unit="barrels")
    with pytest.raises(crit.InvalidArgumentError):
        crit.Stockpile(world, "CHN")  # not a member
    assert sp.minerals == []


def test_stockpile_purchase_settle_and_fees(world):
    sp = crit.Stockpile(world, "USA", cash=1e9)
    sp.add_mineral("Ga", capacity=100.0, inventory=10.0, target=50.0,
                   acquisition_rate=120.0, purchase_trigger=700_000.0,
                   release_trigger=1_000_000.0, loss_rate=0.12)
    sp.add_participant("maker", mineral="Ga", upfront_fee=1e5,
                       annual_fee=1.2e6)
    # below B the weight is 1: min(amax dt, target - J, cash / p)
    J = 10.0 * (1 - 0.12 * DT)
    assert sp.purchase("Ga", 600_000.0, 1e9, DT) == \
        pytest.approx(min(120 * DT, 50 - J), rel=1e-14)
    assert sp.purchase("Ga", 600_000.0, 3e6, DT) == \
        pytest.approx(3e6 / 600_000.0, rel=1e-14)
    # above B (1 + sigma) it buys nothing
    assert sp.purchase("Ga", 700_000.0 * 1.06, 1e9, DT) == 0.0
    f = sp.settle("Ga", 600_000.0, 8.0, 0.0, DT)
    hold = world.mineral("Ga").holding_cost
    assert f.opening == 10.0
    assert f.lost == pytest.approx(10.0 * 0.12 * DT, rel=1e-14)
    assert f.closing == pytest.approx(J + 8.0, rel=1e-14)
    assert f.purchase_usd == 8.0 * 600_000.0
    assert f.holding_usd == pytest.approx(hold * 10.0 * DT, rel=1e-14)
    assert f.cash_change_usd == pytest.approx(
        -f.purchase_usd - f.holding_usd, rel=1e-14)
    assert sp.inventory("Ga") == pytest.approx(J + 8.0, rel=1e-14)
    assert sp.cash == pytest.approx(1e9 + f.cash_change_usd, rel=1e-14)
    fees = sp.collect_fees(0, DT)
    assert fees == pytest.approx(1e5 + 1.2e6 * DT, rel=1e-14)
    assert sp.collect_fees(1, DT) == pytest.approx(1.2e6 * DT, rel=1e-14)


def maker_stockpile(world):
    """A stockpile at USA holding 40 t of Ga, and a firm "maker" with a
    draw right of 15 t at 600,000 USD/t, replenished at 12 t/yr."""
    sp = crit.Stockpile(world, "USA")
    sp.add_mineral("Ga", capacity=100.0, inventory=40.0,
                   release_trigger=1e6)
    sp.add_participant("maker", mineral="Ga", draw_right=15.0,
                       draw_price=600_000.0, replenish_rate=12.0)
    return sp


def test_stockpile_draw_rights(world):
    sp = maker_stockpile(world)
    assert sp.participant_caps(0, DT) == (0.0, 0.0)
    sp.set_disruption("Ga")
    assert sp.disrupted("Ga")
    draw_cap, _ = sp.participant_caps(0, DT)
    assert draw_cap == 15.0  # rate 0: the whole right at once
    assert sp.settle_participant(0, drawn=15.0) == 15.0 * 600_000.0
    assert sp.participant_state(0) == (15.0, 15.0)
    sp.set_disruption("Ga", False)
    assert sp.participant_caps(0, DT)[1] == pytest.approx(12.0 * DT)
    copy = sp.copy()
    sp.close()
    assert copy.inventory("Ga") == 25.0
    copy.close()


# ---- programmes ---------------------------------------------------------


def test_programme_capacity_and_spending():
    p = crit.Programme("USA", "Ga", budget=1e9, capital_intensity=1e7,
                       lead_time=2.0, start_period=3)
    assert p.capacity == 100.0
    assert p.online_period(DT) == 3 + 24  # ceil forgives 1e-9: not 25
    assert p.online_period(0.25) == 3 + 8
    s = p.spending(40, DT)
    assert (s[:3] == 0).all() and (s[27:] == 0).all()
    assert s[3:27] == pytest.approx(np.full(24, 1e9 / 24), rel=1e-15)
    assert s.sum() == pytest.approx(1e9, rel=1e-14)
    with pytest.raises(crit.InvalidArgumentError, match="budget"):
        crit.Programme("USA", "Ga", budget=-1.0,
                       capital_intensity=1.0).capacity


def test_programme_apply_and_validate(world):
    p = crit.Programme("USA", "Ga", budget=1e8, capital_intensity=1e7)
    before = world.curve("USA", "Ga")
    p.apply(world)
    after = world.curve("USA", "Ga")
    assert after.capacity == before.capacity + 10.0
    assert after.base_production == before.base_production + 10.0
    with pytest.raises(crit.NotFoundError):
        crit.Programme("USA", "Xx", budget=1.0,
                       capital_intensity=1.0).validate(world)


# ---- scenarios ------------------------------------------------------------

T = 12
FEE0, FEE = 2e5, 1.2e6


def build(world, *, cash=1e9, loan=None, periods=T):
    sc = crit.Scenario(world, "2026-01-01", periods)
    sp = crit.Stockpile(world, "USA", name="vault", cash=cash)
    # B far above any price: the purchase weight is 1, so the stockpile
    # buys min(amax dt, target - I) every period: 10 t a month to 50 t
    sp.add_mineral("Ga", capacity=60.0, target=50.0, acquisition_rate=120.0,
                   purchase_trigger=5 * GA_P0, release_trigger=6 * GA_P0)
    sp.add_participant("maker", mineral="Ga", demand=100.0,
                       upfront_fee=FEE0, annual_fee=FEE)
    sc.add_stockpile(sp)
    sp.close()
    if loan is not None:
        sc.add_loan(loan, 0)
    sc.add_programme(crit.Programme("JPN", "Ga", budget=1.2e9,
                                    capital_intensity=1e7, lead_time=0.5,
                                    start_period=1, name="jpn"))
    return sc


def test_scenario_run_inventory_and_money(world):
    with build(world) as sc, sc.run() as r:
        assert r.periods == T and r.minerals == ["Ga", "Ge"]
        assert r.economies == ["CHN", "USA", "JPN", "ROW"]
        assert r.members == ["USA", "JPN"] and r.stockpiles == ["vault"]
        inv = r.values("inventory", mineral="Ga")
        expect = np.minimum(50.0, 10.0 * np.arange(1, T + 1))
        np.testing.assert_allclose(inv, expect, rtol=1e-12)
        price = r.values("price", mineral="Ga", economy="USA")
        bought = r.values("purchased", mineral="Ga")
        np.testing.assert_allclose(r.values("purchases"), price * bought,
                                   rtol=1e-12)
        fees = r.values("fees")
        assert fees[0] == pytest.approx(FEE0 + FEE * DT, rel=1e-14)
        np.testing.assert_allclose(fees[1:], FEE * DT, rtol=1e-14)
        # the market's stockpile purchase at USA is the agent's
        np.testing.assert_allclose(
            r.values("stock_purchase", mineral="Ga", economy="USA"), bought,
            rtol=1e-12)


def test_result_indices_are_checked(world):
    # an index out of range is refused as in Lua, never wrapped by numpy
    # (-1 would be the last mineral) nor left to an IndexError
    with build(world) as sc, sc.run() as r:
        ga = r.values("price", mineral="Ga", economy="USA")
        np.testing.assert_array_equal(
            r.values("price", mineral=0, economy=1), ga)
        for kw in ({"mineral": -1, "economy": "USA"},
                   {"mineral": 2, "economy": "USA"},
                   {"mineral": "Ga", "economy": 4}):
            with pytest.raises(crit.IndexOutOfRangeError, match="out of range"):
                r.values("price", **kw)
        with pytest.raises(crit.IndexOutOfRangeError, match="stockpile -1"):
            r.values("inventory", mineral="Ga", stockpile=-1)
        # no loans: an empty series (reading it read past the empty
        # buffer under ASan before the array typemaps returned nothing)
        assert r.series("loan_balance").shape == (r.periods, 0)
        with pytest.raises(crit.IndexOutOfRangeError, match="loan 0"):
            r.values("loan_balance")
        with pytest.raises(crit.IndexOutOfRangeError,
                           match=r"loan 0 out of range \(the run has 0\)"):
            r.loan_schedule()
        # a code is a str and an index an int: a bool, bytes or a float
        # is neither (True was mineral 1, b"Ga" "no mineral")
        for kw, what in (({"mineral": True}, "a mineral is a code .* bool"),
                         ({"mineral": b"Ga"}, "not bytes"),
                         ({"mineral": 0.0}, "not float"),
                         ({"stockpile": False}, "a stockpile is a name")):
            args = {"mineral": "Ga", "economy": "USA"}
            args.update(kw)
            series = "inventory" if "stockpile" in kw else "price"
            if "stockpile" in kw:
                del args["economy"]
            with pytest.raises(TypeError, match=what):
                r.values(series, **args)
        with pytest.raises(TypeError, match="a loan is an index"):
            r.values("loan_balance", loan="0")


def test_scenario_conservation(world):
    loan = crit.Loan(5e7, "2026-01-01", "2031-01-01", rate=0.05,
                     availability_end="2027-06-30")
    with build(world, cash=1e6, loan=loan) as sc, sc.run() as r:
        g = r.values
        inv = g("inventory", mineral="Ga")
        opening = np.concatenate([[0.0], inv[:-1]])
        np.testing.assert_allclose(
            inv, opening + g("purchased", mineral="Ga")
            - g("released", mineral="Ga") - g("lost", mineral="Ga")
            - g("drawn", mineral="Ga") + g("replenished", mineral="Ga"),
            rtol=1e-12, atol=1e-9)
        cash = g("cash")
        opening = np.concatenate([[1e6], cash[:-1]])
        inflow = (g("fees") + g("sales") + g("draw_payments")
                  + g("loan_draws") + g("funding_gap"))
        outflow = (g("purchases") + g("holding") + g("refunds")
                   + g("debt_service"))
        np.testing.assert_allclose(cash, opening + inflow - outflow,
                                   rtol=1e-9, atol=1e-3)
        # the purchases needed the loan, drawn on demand; no gap while it
        # was available
        assert g("loan_draws").sum() > 0
        assert (g("funding_gap") == 0).all()
        balance = g("loan_balance")
        np.testing.assert_allclose(balance, np.cumsum(g("loan_drawn"))
                                   - np.cumsum(g("loan_principal")),
                                   rtol=1e-12)
        sched = r.loan_schedule(0)
        assert sched["draws"].sum() == pytest.approx(g("loan_drawn").sum(),
                                                     rel=1e-12)
    loan.close()


def test_scenario_programme_and_public_cost(world):
    with build(world) as sc, sc.run() as r:
        p = crit.Programme("JPN", "Ga", budget=1.2e9, capital_intensity=1e7,
                           lead_time=0.5, start_period=1)
        spend = r.values("programme_spending")
        np.testing.assert_allclose(spend, p.spending(T, DT), rtol=1e-15)
        np.testing.assert_allclose(
            r.values("public_cost"),
            spend + r.values("cfd_net") + r.values("funding_gap")
            - r.values("levy_total"), rtol=1e-12)
        # JPN's production jumps when the 120 t/yr come online (period 7)
        prod = r.values("production", mineral="Ga", economy="JPN")
        t1 = p.online_period(DT)
        assert t1 == 7
        assert prod[t1] > prod[t1 - 1] + 5.0


def test_result_arrays_dates_and_frame(world):
    with build(world) as sc, sc.run() as r:
        price = r.series("price")
        assert price.shape == (T, 2, 4) and price.dtype == np.float64
        assert price.flags.c_contiguous
        out = np.zeros((T, 2, 4))
        assert r.series("price", out=out) is out
        np.testing.assert_array_equal(out, price)
        with pytest.raises(crit.BufferSizeError):
            r.series("price", out=np.zeros((T, 4, 2)))
        assert r.axes("inventory") == ("period", "stockpile", "mineral")
        assert r.dates[0] == np.datetime64("2026-01-01")
        assert r.dates[-1] == np.datetime64("2027-01-01")
        assert len(r.dates) == T + 1
        assert str(r.period_dates[3].date()) == "2026-04-01"
        frame = r.to_frame(["price", "inventory", "cash"])
        assert list(frame.columns) == ["series", "period", "date", "mineral",
                                       "economy", "stockpile", "loan",
                                       "value"]
        assert len(frame) == T * 8 + T * 2 + T
        row = frame[(frame.series == "price") & (frame.period == 5)
                    & (frame.mineral == "Ga") & (frame.economy == "JPN")]
        assert row.value.item() == price[5, 0, 2]
        inv = frame[(frame.series == "inventory") & (frame.mineral == "Ga")]
        assert (inv.economy == "USA").all() and (inv.stockpile == "vault").all()
        np.testing.assert_array_equal(inv.value.to_numpy(),
                                      r.values("inventory", mineral="Ga"))
        wide = r.wide("price", mineral="Ga")
        assert list(wide.columns) == r.economies
        np.testing.assert_array_equal(wide["USA"].to_numpy(), price[:, 0, 1])
        with pytest.raises(crit.InvalidArgumentError, match="unknown series"):
            r.series("prices")
        with pytest.raises(crit.NotFoundError):
            r.values("price", mineral="Ga", economy="XXX")
    with pytest.raises(crit.StateError):
        r.series("price")


def test_scenario_validation_errors(world):
    sc = crit.Scenario(world, "2026-01-01", 12)
    with pytest.raises(crit.InvalidArgumentError, match="outside the horizon"):
        sc.add_event("export_ban", 12, mineral="Ga", economy="CHN",
                     partner="USA")
    with pytest.raises(crit.NotFoundError):
        sc.add_event("export_ban", 2, mineral="Ga", economy="XXX")
    with pytest.raises(crit.InvalidArgumentError, match="event kind"):
        sc.add_event("embargo", 2, mineral="Ga", economy="CHN")
    with pytest.raises(crit.InvalidArgumentError):
        crit.Scenario(world, "2026-01-01", 0)
    sc.close()
    sc.close()
    with pytest.raises(crit.StateError):
        sc.add_event("disruption", 0)


def test_progress_callback_and_cancel(world):
    with build(world) as sc:
        calls = []
        sc.run(lambda done, total: calls.append((done, total))).close()
        assert calls == [(t, T) for t in range(1, T + 1)]

        class Stop(Exception):
            pass

        def boom(done, total):
            if done == 4:
                raise Stop("at 4")
        with pytest.raises(Stop, match="at 4"):
            sc.run(boom)
        with pytest.raises(crit.CancelledError, match="cancelled"):
            sc.run(lambda done, total: done < 3)
        with pytest.raises(TypeError):
            sc.run(progress=42)
        # the scenario is unchanged and runs again
        sc.run().close()


def test_progress_bar(world, capsys):
    with build(world) as sc:
        import io
        buf = io.StringIO()
        sc.run(crit.ProgressBar(file=buf, width=12)).close()
        assert buf.getvalue().endswith(f"[{'#' * 12}] {T}/{T}\n")


def test_runs_in_threads_release_the_gil(world):
    """Two runs at once in threads (callbacks take the GIL back) give the
    same numbers as one run alone."""
    with build(world, periods=24) as sc:
        with sc.run() as r:
            ref = r.series("price")
        out = [None, None]
        ticks = []

        def work(j):
            with sc.run(lambda d, t: ticks.append(j)) as res:
                out[j] = res.series("price")
        threads = [threading.Thread(target=work, args=(j,)) for j in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for o in out:
            np.testing.assert_array_equal(o, ref)
        assert sorted(ticks) == [0] * 24 + [1] * 24


def test_cover_days(world):
    with build(world) as sc, sc.run() as r:
        cover = r.values("cover_days", mineral="Ga")
        inv = r.values("inventory", mineral="Ga")
        np.testing.assert_allclose(cover, inv / (100.0 / 365), rtol=1e-12)
        # a mineral the stockpile does not hold reads 0
        assert (r.values("cover_days", mineral="Ge") == 0).all()
        # members' net imports at base: (120 - 10) + (80 - 40) t/yr, before
        # JPN's programme comes online in period 7
        months = r.values("cover_months", mineral="Ga")
        np.testing.assert_allclose(months[:7], inv[:7] / (150.0 / 12),
                                   rtol=1e-12)


# ---- snapshots and the tidy CSV of a result -------------------------------


def _assert_same_result(a, b):
    assert (a.periods, a.minerals, a.economies, a.stockpiles, a.loans) == \
        (b.periods, b.minerals, b.economies, b.stockpiles, b.loans)
    np.testing.assert_array_equal(a.dates, b.dates)
    for name in crit.SERIES:
        x, y = a.series(name), b.series(name)
        assert x.shape == y.shape
        # bit for bit (NaN-safe)
        assert x.tobytes() == y.tobytes(), name


def test_scenario_save_load_round_trip(world, tmp_path):
    loan = crit.Loan(5e7, "2026-01-01", "2031-01-01", rate=0.05,
                     availability_end="2027-06-30")
    path = tmp_path / "s.crit"
    with build(world, cash=1e6, loan=loan) as sc, sc.run() as r:
        sc.save(path, r)
        s2, r2 = crit.load_scenario(path)
        with s2, r2:
            assert s2.periods == T
            assert s2.world == world and s2.world is not world
            _assert_same_result(r, r2)
            # the loaded result carries the stockpile's economy and the
            # loan's stockpile, as a run's result does
            f, f2 = r.to_frame(), r2.to_frame()
            assert f.equals(f2)
            with s2.run() as r3:
                _assert_same_result(r, r3)
        # without a result
        sc.save(tmp_path / "s0.crit", level=1)
        s3, none = crit.load_scenario(tmp_path / "s0.crit")
        assert none is None
        with s3, s3.run() as r4:
            _assert_same_result(r, r4)


def test_loaded_scenario_world_is_borrowed(world, tmp_path):
    with build(world) as sc:
        sc.save(tmp_path / "s.crit")
    s2, _ = crit.load_scenario(tmp_path / "s.crit")
    w = s2.world
    # the world outlives the Python scenario object while referenced
    del s2
    import gc
    gc.collect()
    assert w.mineral_codes == world.mineral_codes
    s3, _ = crit.load_scenario(tmp_path / "s.crit")
    w3 = s3.world
    s3.close()
    assert w3.closed  # closed with its scenario, never left dangling
    with pytest.raises(crit.StateError):
        w3.mineral_codes


def test_scenario_save_load_errors(world, tmp_path):
    world.save(tmp_path / "w.crit")
    with pytest.raises(crit.FormatError):
        crit.load_scenario(tmp_path / "w.crit")
    with pytest.raises(crit.InputOutputError):
        crit.load_scenario(tmp_path / "missing.crit")
    with build(world) as sc, build(world, periods=T + 1) as other, \
            other.run() as r:
        with pytest.raises(crit.InvalidArgumentError):
            sc.save(tmp_path / "bad.crit", r)
    assert not (tmp_path / "bad.crit").exists()


def test_result_to_csv(world, tmp_path):
    import pandas as pd
    loan = crit.Loan(5e7, "2026-01-01", "2031-01-01", rate=0.05,
                     availability_end="2027-06-30")
    with build(world, cash=1e6, loan=loan) as sc, sc.run() as r:
        r.to_csv(tmp_path / "r.csv.gz")
        with gzip.open(tmp_path / "r.csv.gz", "rt") as f:
            assert f.readline().strip() == \
                "mineral,economy,series,period,value,date,stockpile,loan"
        df = pd.read_csv(tmp_path / "r.csv.gz", keep_default_na=False,
                         dtype={"value": "float64", "loan": str},
                         float_precision="round_trip")
        assert len(df) == sum(r.series(n).size for n in crit.SERIES)
        price = df[(df.series == "price") & (df.mineral == "Ga") &
                   (df.economy == "USA")]
        assert price.value.to_numpy().tobytes() == \
            r.values("price", mineral="Ga", economy="USA").tobytes()
        assert list(price.date) == [str(d) for d in r.dates[:-1]]
        bal = df[df.series == "loan_balance"]
        assert set(bal.loan) == {"0"}  # text: empty cells elsewhere
        assert set(df[df.series != "loan_balance"].loan) <= {"", "0"}
        assert bal.value.to_numpy().tobytes() == \
            np.ascontiguousarray(r.series("loan_balance")[:, 0]).tobytes()


def test_close_from_progress_callback_frees_after_the_run(world):
    """Closing the scenario from its own progress callback marks it closed
    at once and frees it only when the run returns; before, the run went
    on with the freed scenario (a use after free, caught by ASan)."""
    with build(world) as ref_sc, ref_sc.run() as ref:
        expected = ref.series("price")
    sc = build(world)
    closed = []

    def close_at_2(done, total):
        if done == 2:
            sc.close()
            sc.close()  # twice is harmless
        closed.append(sc.closed)

    with sc.run(close_at_2) as r:
        np.testing.assert_array_equal(r.series("price"), expected)
    assert closed == [False] + [True] * (T - 1)
    with pytest.raises(crit.StateError, match="scenario is closed"):
        sc.periods
    with pytest.raises(crit.StateError, match="scenario is closed"):
        sc.run()


def test_whole_numbers_are_not_truncated(world):
    """Counts, periods and indices must be integers (numpy's included);
    before, int() truncated 12.9 periods to 12, a period 2.7 to 2 and a
    loan frequency 4.9 to 4, and took the string "3" for 3."""
    with pytest.raises(TypeError):
        crit.Scenario(world, "2026-01-01", 12.9)
    with pytest.raises(TypeError):
        crit.Scenario(world, "2026-01-01", 12, months_per_period="3")
    with pytest.raises(TypeError):
        crit.Loan(1e6, "2026-01-01", "2030-01-01", rate=0.05, frequency=4.9)
    with crit.Scenario(world, "2026-01-01", np.int64(12)) as sc:
        assert sc.periods == 12
        with pytest.raises(TypeError):
            sc.add_event("outage", 2.7, mineral="Ga", economy="USA",
                         value=0.5)
        sc.add_event("outage", np.int32(2), mineral="Ga", economy="USA",
                     value=0.5)


def test_participant_state_drawn_and_owed(world):
    sp = maker_stockpile(world)
    sp.set_disruption("Ga")
    sp.settle_participant(0, drawn=15.0)
    sp.set_disruption("Ga", False)
    sp.settle_participant(0, replenished=1.0)
    assert sp.participant_state(0) == (15.0, 14.0)  # (drawn, owed)
    with pytest.raises(TypeError):
        sp.collect_fees(1.5, DT)  # a period number, never truncated
    sp.close()


def test_floor_event_is_the_policy_floor(world):
    """A "floor" event from period 0 (value2 the covered share, value3 the
    upside share) gives the market a Policy with that floor gives."""
    with crit.Scenario(world, "2026-01-01", 2) as sc:
        sc.add_event("floor", 0, mineral="Ga", economy="USA",
                     value=900_000.0, value2=0.5, value3=0.25)
        with sc.run() as r:
            paid = r.values("cfd_paid", mineral="Ga", economy="USA")
            price = r.values("price", mineral="Ga", economy="USA")
    with crit.Policy(world, "Ga") as p, \
            crit.Market(world, "Ga", policy=p) as m:
        p.set_floor("USA", 900_000.0, covered_share=0.5, upside_share=0.25)
        m.solve()
        n = m.nodes()
        assert paid[0] > 0
        assert paid[0] == pytest.approx(n.cfd_paid["USA"], rel=1e-9)
        assert price[0] == pytest.approx(n.price["USA"], rel=1e-9)


def test_disruption_from_restrictions_option(world):
    """An export ban against a member disrupts the mineral only when
    disruption_from_restrictions is true (the default)."""
    got = []
    for kw in ({}, {"disruption_from_restrictions": False}):
        with crit.Scenario(world, "2026-01-01", 3, **kw) as sc:
            sc.add_event("export_ban", 1, mineral="Ga", economy="CHN",
                         partner="USA")
            with sc.run() as r:
                got.append(r.values("disrupted", mineral="Ga").tolist())
    assert got == [[0.0, 1.0, 1.0], [0.0, 0.0, 0.0]]


def test_loan_rows_name_their_stockpile_and_labels(world):
    """A loan on the second stockpile: its tidy rows carry that stockpile
    and its economy; wide() names its column axis; date() and
    loan_schedule() check the period and the loan."""
    import datetime
    with crit.Scenario(world, "2026-01-01", 3) as sc:
        for name, economy in (("a", "USA"), ("b", "JPN")):
            with crit.Stockpile(world, economy, name=name) as sp:
                sp.add_mineral("Ga", capacity=10.0, release_trigger=1e7)
                sc.add_stockpile(sp)
        with crit.Loan(1e6, "2026-01-01", "2028-01-01", rate=0.05) as loan:
            assert sc.add_loan(loan, 1) == 0
        with sc.run() as r:
            f = r.to_frame("loan_balance")
            assert f.stockpile.tolist() == ["b"] * 3
            assert f.economy.tolist() == ["JPN"] * 3
            assert f.loan.tolist() == [0] * 3
            for name, axis in (("price", "economy"), ("levy", "mineral"),
                               ("inventory", "mineral"),
                               ("cash", "stockpile"),
                               ("loan_balance", "loan"),
                               ("public_cost", "series")):
                kw = {"mineral": "Ga"} if name == "price" else {}
                assert r.wide(name, **kw).columns.name == axis, name
            assert r.date(2) == datetime.date(2026, 3, 1)
            assert r.date(0) == datetime.date(2026, 1, 1)
            with pytest.raises(crit.IndexOutOfRangeError,
                               match=r"loan 1 out of range \(the run has 1\)"):
                r.loan_schedule(1)
            with pytest.raises(TypeError, match="a loan is an index"):
                r.loan_schedule(True)


def test_result_period_and_loan_are_not_truncated(world):
    """Result.date() and Result.loan_schedule() take whole numbers in
    range, as every other period and index (numpy's included); before,
    int() truncated a period 1.9 to 1 and a loan 0.5 to 0, and numpy took
    period -1 for the end of the horizon."""
    loan = crit.Loan(5e7, "2026-01-01", "2031-01-01", rate=0.05,
                     availability_end="2027-06-30")
    with build(world, loan=loan) as sc, sc.run() as r:
        with pytest.raises(TypeError):
            r.date(1.9)
        with pytest.raises(TypeError):
            r.loan_schedule(0.5)
        assert r.date(np.int64(1)) == r.date(1)
        assert str(r.date(T)) == "2027-01-01"  # the end of the horizon
        for bad in (-1, T + 1):
            with pytest.raises(crit.IndexOutOfRangeError,
                               match=f"period {bad} out of range"):
                r.date(bad)
        assert len(r.loan_schedule(np.int32(0))) == len(r.loan_schedule())
    loan.close()


def test_market_options_progress_false_save_level_and_cash(world, tmp_path):
    """set_market_options() reaches the run (tolerance checked, the
    iteration cap applied); run(progress=False) runs without a bar;
    save(level=) sets the deflate level; add_cash() takes a payment."""
    with build(world) as sc:
        with pytest.raises(crit.InvalidArgumentError,
                           match="tolerance -1 must be in"):
            sc.set_market_options(tolerance=-1.0)
        sc.set_market_options(max_iterations=1)
        with pytest.raises(crit.NoConvergenceError,
                           match="within 1 iterations"):
            sc.run()
        sc.set_market_options()
        with sc.run(progress=False) as r:
            assert r.periods == T
            sizes = []
            for level in (0, 9):
                p = tmp_path / f"s{level}.crit"
                sc.save(p, r, level=level)
                sizes.append(p.stat().st_size)
            assert sizes[1] < sizes[0]
    with crit.Stockpile(world, "USA", cash=1e6) as sp:
        sp.add_cash(-4e5)
        assert sp.cash == 6e5


def test_loaded_result_keeps_the_loan_owners(world, tmp_path):
    """A loan on the second stockpile, saved and loaded: the loaded
    result's tidy rows still name that stockpile and its economy."""
    with crit.Scenario(world, "2026-01-01", 2) as sc:
        for name, economy in (("a", "USA"), ("b", "JPN")):
            with crit.Stockpile(world, economy, name=name) as sp:
                sp.add_mineral("Ga", capacity=10.0, release_trigger=1e7)
                sc.add_stockpile(sp)
        with crit.Loan(1e6, "2026-01-01", "2028-01-01", rate=0.05) as loan:
            sc.add_loan(loan, 1)
        with sc.run() as r:
            sc.save(tmp_path / "s.crit", r)
    s2, r2 = crit.load_scenario(tmp_path / "s.crit")
    with s2, r2:
        f = r2.to_frame("loan_balance")
        assert f.stockpile.tolist() == ["b", "b"]
        assert f.economy.tolist() == ["JPN", "JPN"]

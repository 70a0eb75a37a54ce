"""crit.plot with the Agg backend: the figures' data, not their pixels."""

import numpy as np
import pytest

import crit

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import crit.plot  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture
def runs(world):
    """A base run and one with a common external tariff on Ga from period
    2."""
    out = []
    for tariff in (False, True):
        sc = crit.Scenario(world, "2026-01-01", 6)
        sp = crit.Stockpile(world, "USA", name="vault", cash=1e9)
        sp.add_mineral("Ga", capacity=60.0, target=30.0,
                       acquisition_rate=120.0, purchase_trigger=3e6,
                       release_trigger=4e6)
        sc.add_stockpile(sp)
        sc.add_loan(crit.Loan(1e8, "2026-01-01", "2030-01-01", rate=0.04,
                              amortisation="bullet",
                              availability_end="2026-06-30",
                              draws=[("2026-03-01", 2e7)]), 0)
        if tariff:
            sc.add_event("external_tariff", 2, mineral="Ga", value=1e5)
        out.append(sc.run())
        sc.close()
        sp.close()
    yield out
    for r in out:
        r.close()
    plt.close("all")


def group(r, economies):
    """Consumption-weighted price of Ga over the economies, by hand."""
    p = r.series("price")[:, 0]
    c = r.series("consumption")[:, 0]
    idx = [r.economies.index(e) for e in economies]
    return (p[:, idx] * c[:, idx]).sum(1) / c[:, idx].sum(1)


def test_price_fan_one_run_gives_lines(runs):
    r = runs[1]
    ax = crit.plot.price_fan(r, "Ga")
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["members", "non-members"]
    np.testing.assert_allclose(lines[0].get_ydata(), group(r, ["USA", "JPN"]),
                               rtol=1e-12)
    np.testing.assert_allclose(lines[1].get_ydata(), group(r, ["CHN", "ROW"]),
                               rtol=1e-12)
    # the tariff opens a gap between members and the others
    gap = lines[0].get_ydata() - lines[1].get_ydata()
    assert abs(gap[1]) < 1e-6 and gap[3] > 1e4
    assert len(ax.collections) == 0


def test_price_fan_several_runs_gives_bands(runs):
    ax = crit.plot.price_fan(runs + [runs[1]], "Ga",
                             groups={"USA": ["USA"]}, quantiles=(0.1, 0.5, 0.9))
    (line,) = ax.get_lines()
    lines = np.array([r.series("price")[:, 0, 1] for r in runs + [runs[1]]])
    np.testing.assert_allclose(line.get_ydata(), np.median(lines, axis=0))
    (band,) = ax.collections
    ys = band.get_paths()[0].vertices[:, 1]
    lo = np.quantile(lines, 0.1, axis=0)
    hi = np.quantile(lines, 0.9, axis=0)
    assert ys.min() == pytest.approx(lo.min()) and \
        ys.max() == pytest.approx(hi.max())


def test_inventory_and_loan_balance(runs):
    r = runs[0]
    ax = crit.plot.inventory(r)
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["Ga", "Ga target"]
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(),
                                  r.values("inventory", mineral="Ga"))
    np.testing.assert_array_equal(ax.get_lines()[1].get_ydata(),
                                  r.values("target", mineral="Ga"))
    ax = crit.plot.inventory(r, unit="cover_months", ax=plt.subplots()[1])
    assert len(ax.get_lines()) == 1
    with pytest.raises(crit.InvalidArgumentError):
        crit.plot.inventory(r, unit="barrels")
    ax = crit.plot.loan_balance(r)
    (line,) = ax.get_lines()
    np.testing.assert_allclose(line.get_ydata(), r.values("loan_balance") / 1e9)
    assert line.get_ydata()[-1] == pytest.approx(0.02)
    assert ax.get_ylabel() == "USD billion"
    # unknown codes and indices: the crit errors Result.values raises
    with pytest.raises(crit.NotFoundError, match="no mineral 'Xx'"):
        crit.plot.inventory(r, minerals=["Xx"])
    with pytest.raises(crit.NotFoundError, match="no economy 'XXX'"):
        crit.plot.group_price(r, "Ga", ["USA", "XXX"])
    with pytest.raises(crit.NotFoundError, match="no mineral 'Xx'"):
        crit.plot.price_fan(r, "Xx")
    with pytest.raises(crit.IndexOutOfRangeError, match="loan -1"):
        crit.plot.loan_balance(r, loans=[-1])


def test_import_crit_does_not_import_matplotlib():
    import subprocess
    import sys
    code = "import sys, crit; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "False"


def test_group_price_weights_by_consumption(world):
    """Prices that differ inside a group (transport between the members)
    are weighted by consumption; a group consuming nothing gets the plain
    mean of its prices."""
    world.add_economy("AUS")  # produces, consumes nothing
    world.set_curve("AUS", "Ga", base_production=50.0, capacity=50.0)
    codes = world.economy_codes
    for a in codes:
        for b in codes:
            if a != b:  # dearer into JPN
                world.set_transport("Ga", a, b,
                                    40_000.0 if b == "JPN" else 10_000.0)
    with crit.Scenario(world, "2026-01-01", 3) as sc, sc.run() as r:
        p = r.series("price")[:, 0]
        c = r.series("consumption")[:, 0]
        usa, jpn, aus = (r.economies.index(e) for e in ("USA", "JPN", "AUS"))
        assert abs(p[0, usa] - p[0, jpn]) > 1000.0
        assert c[0, aus] == 0.0
        expect = (p[:, usa] * c[:, usa] + p[:, jpn] * c[:, jpn]) / \
            (c[:, usa] + c[:, jpn])
        np.testing.assert_allclose(
            crit.plot.group_price(r, "Ga", ["USA", "JPN"]), expect,
            rtol=1e-12)
        np.testing.assert_allclose(
            crit.plot.group_price(r, "Ga", ["AUS"]), p[:, aus], rtol=1e-15)


def test_price_fan_bands_pair_the_quantiles(runs):
    """The default quantiles pair 5-95 % and 25-75 %, labels and values
    (two runs: every quantile differs where the runs do)."""
    ax = crit.plot.price_fan(runs, "Ga", groups={"USA": ["USA"]})
    assert [c.get_label() for c in ax.collections] == [
        "USA 5-95 %", "USA 25-75 %"]
    lines = np.array([r.series("price")[:, 0, 1] for r in runs])
    for band, (lo, hi) in zip(ax.collections, ((0.05, 0.95), (0.25, 0.75))):
        ys = band.get_paths()[0].vertices[:, 1]
        assert ys.min() == pytest.approx(np.quantile(lines, lo, axis=0).min())
        assert ys.max() == pytest.approx(np.quantile(lines, hi, axis=0).max())

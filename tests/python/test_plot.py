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


def test_import_crit_does_not_import_matplotlib():
    import subprocess
    import sys
    code = "import sys, crit; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "False"

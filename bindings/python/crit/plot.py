"""crit.plot: the charts analysts expect from a scenario run, drawn with
matplotlib (imported only when a chart is drawn; Debian python3-matplotlib).

    >>> import crit.plot
    >>> ax = crit.plot.price_fan(result, "Ga")
    >>> ax.figure.savefig("ga.png")

Each function draws on `ax` (a new figure's axes when None) and returns
the axes; the plotted numbers are the result's series, so a test can read
them back from the lines.
"""

import numpy as np

__all__ = ["group_price", "price_fan", "inventory", "loan_balance"]


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt
        _, ax = plt.subplots()
    return ax


def _results(results):
    from ._scenario import Result
    if isinstance(results, Result):
        return [results]
    results = list(results)
    if not results:
        raise ValueError("expected at least one crit.Result")
    return results


def _default_groups(result):
    members = set(result.members)
    return {"members": [e for e in result.economies if e in members],
            "non-members": [e for e in result.economies
                            if e not in members]}


def group_price(result, mineral, economies):
    """group_price(result, mineral, economies) -> numpy.ndarray: per period,
    the price of `mineral` over `economies` (codes) weighted by their
    consumption; the plain mean in a period where they consume nothing."""
    k = result._index("mineral", mineral)
    idx = [result._index("economy", e) for e in economies]
    price = result.series("price")[:, k, idx]
    weight = result.series("consumption")[:, k, idx]
    total = weight.sum(axis=1)
    mean = price.mean(axis=1)
    weighted = (price * weight).sum(axis=1) / np.where(total > 0, total, 1)
    return np.where(total > 0, weighted, mean)


def price_fan(results, mineral, *, groups=None,
              quantiles=(0.05, 0.25, 0.5, 0.75, 0.95), ax=None):
    """price_fan(results, mineral, *, groups=None, quantiles=(0.05, 0.25,
    0.5, 0.75, 0.95), ax=None) -> matplotlib Axes

    Prices of one mineral over time for groups of economies (default: the
    coalition's members and the others), each group's price weighted by
    its consumption (group_price()). results: one crit.Result, which gives
    one line per group, or several runs (on the same horizon), which give
    per group the median line and shaded bands between the quantiles
    taken in pairs from the outside in (5-95 %, 25-75 % by default).
    groups: a mapping label -> economy codes.
    """
    runs = _results(results)
    ax = _axes(ax)
    first = runs[0]
    groups = _default_groups(first) if groups is None else dict(groups)
    dates = first.period_dates
    q = sorted(quantiles)
    for label, economies in groups.items():
        lines = np.array([group_price(r, mineral, economies) for r in runs])
        if len(runs) == 1:
            ax.plot(dates, lines[0], label=label)
            continue
        (line,) = ax.plot(dates, np.median(lines, axis=0), label=label)
        for i in range(len(q) // 2):
            lo = np.quantile(lines, q[i], axis=0)
            hi = np.quantile(lines, q[-1 - i], axis=0)
            ax.fill_between(dates, lo, hi, color=line.get_color(),
                            alpha=0.15 + 0.1 * i, linewidth=0,
                            label=f"{label} {100 * q[i]:g}-{100 * q[-1 - i]:g} %")
    ax.set_title(f"{mineral}: price inside and outside the coalition")
    ax.set_ylabel("USD/t")
    ax.legend()
    return ax


def inventory(result, *, stockpile=0, minerals=None, unit="tonnes",
              target=True, ax=None):
    """inventory(result, *, stockpile=0, minerals=None, unit="tonnes",
    target=True, ax=None) -> matplotlib Axes

    A stockpile's closing inventory over time, one line per mineral
    (default: every mineral it holds, i.e. with a target or an inventory).
    unit: "tonnes", "cover_days" (days of the participants' demand) or
    "cover_months" (months of the coalition's net imports). With
    target=True and unit "tonnes", each mineral's target is drawn dashed.
    """
    from ._scenario import _EINVAL
    from ._errors import _raise
    series = {"tonnes": "inventory", "cover_days": "cover_days",
              "cover_months": "cover_months"}
    if unit not in series:
        _raise(_EINVAL, f"plot.inventory: unit {unit!r} is not one of "
               f"{', '.join(series)}")
    ax = _axes(ax)
    s = result._index("stockpile", stockpile)
    values = result.series(series[unit])[:, s]
    targets = result.series("target")[:, s]
    tonnes = result.series("inventory")[:, s]
    if minerals is None:
        minerals = [m for k, m in enumerate(result.minerals)
                    if (targets[:, k] > 0).any() or (tonnes[:, k] > 0).any()]
    dates = result.period_dates
    for m in minerals:
        k = result._index("mineral", m)
        (line,) = ax.plot(dates, values[:, k], label=m)
        if target and unit == "tonnes":
            ax.plot(dates, targets[:, k], linestyle="--",
                    color=line.get_color(), label=f"{m} target")
    ax.set_title(f"Stockpile '{result.stockpiles[s]}': inventory")
    ax.set_ylabel({"tonnes": "t", "cover_days": "days of demand",
                   "cover_months": "months of net imports"}[unit])
    ax.legend()
    return ax


def loan_balance(result, *, loans=None, scale=1e9, ax=None):
    """loan_balance(result, *, loans=None, scale=1e9, ax=None)
    -> matplotlib Axes

    Outstanding balance of each loan (default: all) at each period's end,
    divided by scale (USD billion by default)."""
    ax = _axes(ax)
    balance = result.series("loan_balance")
    dates = result.period_dates
    for l in range(result.loans) if loans is None else loans:
        l = result._index("loan", l)
        ax.plot(dates, balance[:, l] / scale, label=f"loan {l}")
    ax.set_title("Loan balance")
    ax.set_ylabel("USD billion" if scale == 1e9 else f"USD / {scale:g}")
    ax.legend()
    return ax

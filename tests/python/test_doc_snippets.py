"""The Python snippets of docs/loans.md and docs/scenarios.md run, each
document's blocks in order, and build what the documents say they build.
(The tutorial and docs/model.md have their own tests, which also check
what they print.)"""

import contextlib
import io
import os
import pathlib
import re

import numpy as np

DOCS = pathlib.Path(__file__).parents[2] / "docs"


def run_doc(name):
    """Run the document's ```python blocks in one namespace; returns it
    and what they wrote to stderr."""
    doc = DOCS / name
    code = "\n".join(re.findall(r"```python\n(.*?)```", doc.read_text(),
                                re.S))
    assert code, f"{name} has no python block"
    ns, err = {}, io.StringIO()
    os.environ.setdefault("MPLBACKEND", "Agg")
    with contextlib.redirect_stderr(err):
        exec(compile(code, str(doc), "exec"), ns)
    return ns, err.getvalue()


def test_loans_doc():
    ns, _ = run_doc("loans.md")
    df = ns["df"]
    # the three draws the document lists, 10e9 in all, and all of it
    # repaid by maturity (a loan's principal repayments are its draws)
    assert df["draws"].sum() == 10e9
    assert np.isclose(df["principal"].sum(), 10e9, rtol=1e-12)
    assert str(df.index[0])[:10] == "2026-03-01"
    assert np.isclose(df["closing"].iloc[-1], 0, atol=1e-3)
    # semi-annual over 15 years: 30 payment dates and the start
    assert len(df) == 31


def test_scenarios_doc():
    ns, err = run_doc("scenarios.md")
    r = ns["result"]
    assert r.periods == 120
    assert r.stockpiles == ["vault"]
    assert "120/120" in err  # the progress bar the document asks for
    inv = r.values("inventory", mineral="Ga")
    # from an empty start, at up to 2 t a year (2/12 t a month), to at
    # most its capacity of 3 t
    assert 0 < inv[0] <= 2.0 / 12 * (1 + 1e-12)
    assert np.all(np.diff(inv) <= 2.0 / 12 * (1 + 1e-12))
    assert np.all(inv <= 3.0 * (1 + 1e-12))

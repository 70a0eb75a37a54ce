"""Project Vault from C, Python and Lua: the same assumptions and the same
key numbers (they call the same C code, so they agree to the last bit;
the test allows 1e-12 relative)."""

import math
import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PY_EXAMPLE = ROOT / "examples" / "python" / "project_vault.py"
LUA_EXAMPLE = ROOT / "examples" / "lua" / "project_vault.lua"
REPORT = os.environ.get("CRIT_TEST_REPORT")
CRITLUA = os.environ.get("CRIT_TEST_CRITLUA")

sys.path.insert(0, str(PY_EXAMPLE.parent))
import project_vault  # noqa: E402


def lines(out):
    """name,value lines -> [(name, value)] in order (values as text)."""
    rows = [line.split(",", 1) for line in out.splitlines() if line]
    assert all(len(r) == 2 for r in rows), out
    return [(name, value) for name, value in rows]


def run(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True, check=True,
                          timeout=300).stdout


def py_run(*args):
    return run(sys.executable, str(PY_EXAMPLE), *args)


def agree(a, b, what):
    assert [n for n, _ in a] == [n for n, _ in b], what
    for (name, x), (_, y) in zip(a, b):
        try:
            fx, fy = float(x), float(y)
        except ValueError:
            assert x == y, f"{what}: {name}: {x} != {y}"
            continue
        assert math.isclose(fx, fy, rel_tol=1e-12, abs_tol=0.0) or \
            fx == fy, f"{what}: {name}: {x} != {y}"


@pytest.fixture(scope="module")
def c_assumptions():
    if not REPORT:
        pytest.skip("crit-report not built (CRIT_TEST_REPORT unset)")
    return lines(run(REPORT, "--assumptions"))


@pytest.fixture(scope="module")
def c_keys():
    if not REPORT:
        pytest.skip("crit-report not built (CRIT_TEST_REPORT unset)")
    return lines(run(REPORT, "--csv"))


def test_python_assumptions_are_the_c_table(c_assumptions):
    agree(c_assumptions, lines(py_run("--assumptions")), "Python vs C")
    assert [n for n, _ in c_assumptions] == list(project_vault.ASSUMPTIONS)
    assert len(c_assumptions) == 36


def test_lua_assumptions_are_the_c_table(c_assumptions):
    if not CRITLUA:
        pytest.skip("critlua not built")
    agree(c_assumptions, lines(run(CRITLUA, str(LUA_EXAMPLE),
                                   "--assumptions")), "Lua vs C")


def test_key_numbers_agree_across_languages(c_keys):
    py = lines(py_run("--csv"))
    agree(c_keys, py, "Python vs C")
    if CRITLUA:
        agree(c_keys, lines(run(CRITLUA, str(LUA_EXAMPLE), "--csv")),
              "Lua vs C")
    keys = dict((n, float(v)) for n, v in c_keys)
    assert len(keys) == 61
    # the scenario did something: the ban split Ga prices at USA and CHN
    assert keys["price.Ga.USA.12"] > keys["price.Ga.CHN.12"]
    assert keys["total.programme_spending"] == pytest.approx(7.5e9,
                                                             rel=1e-12)


def test_key_numbers_in_process_match_the_script(c_keys):
    """The importable module gives the same numbers as its --csv."""
    with project_vault.run() as r:
        mine = [(n, f"{v:.17g}") for n, v in project_vault.key_numbers(r)]
        import io
        buf = io.StringIO()
        project_vault.report(r, file=buf)
    agree(c_keys, mine, "in-process Python vs C")
    assert "Project Vault, 2026-02-01 to 2036-02-01" in buf.getvalue()

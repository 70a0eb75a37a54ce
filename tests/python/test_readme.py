"""The README's tour stays true: its C, Python and Lua snippets are
extracted from README.md and run against the build tree, and what they
print is checked against the text around them."""

import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


def snippet(lang):
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        text = f.read()
    blocks = re.findall(r"```" + lang + r"\n(.*?)```", text, re.S)
    assert len(blocks) == 1, f"README.md should have one {lang} block"
    return blocks[0]


def test_readme_python_tour():
    out = subprocess.run([sys.executable, "-c", snippet("python")],
                         capture_output=True, text=True, check=True).stdout
    assert "CHN" in out
    assert "economy 'CHN' mineral 'Ga': capacity 600 is below base " \
           "production 900" in out
    # half of the dominant producer offline: the price rises above P0
    prices = [float(x) for x in re.findall(r"CHN\s+([0-9.e+]+)", out)]
    assert prices and prices[-1] > 580000.0


def test_readme_lua_tour(tmp_path):
    critlua = os.environ.get("CRIT_TEST_CRITLUA")
    if not critlua:
        pytest.skip("the Lua binding is not built")
    script = tmp_path / "tour.lua"
    script.write_text(snippet("lua"))
    out = subprocess.run([critlua, str(script)], capture_output=True,
                         text=True, check=True).stdout.splitlines()
    assert float(out[0]) > 580000.0
    assert out[1].split("\t")[:2] == ["false", "CRIT_EINVAL"]
    assert "capacity 600 is below base production 900" in out[1]


def test_readme_c_tour(tmp_path):
    cc = os.environ["CRIT_TEST_CC"]
    src = tmp_path / "tour.c"
    src.write_text(snippet("c"))
    exe = tmp_path / "tour"
    flags = os.environ.get("CRIT_TEST_CFLAGS", "").split(";")
    libdir = os.environ["CRIT_TEST_LIBDIR"]
    subprocess.run([cc, "-std=c99", "-Wall", "-Wextra", "-Werror",
                    *[f for f in flags if f], str(src), "-o", str(exe),
                    "-L" + libdir, "-lcrit", "-Wl,-rpath," + libdir],
                   check=True)
    out = subprocess.run([str(exe)], capture_output=True, text=True,
                         check=True).stdout
    assert "largest gallium producer: CHN (99 %)" in out
    price = float(re.search(r"gallium price: (\d+) USD/t", out).group(1))
    assert 580000.0 < price <= 5800000.0

"""examples/python/project_vault.ipynb runs headless (nbclient, an
ipykernel started for the test) and prints the key numbers crit-report
prints."""

import os
import pathlib
import subprocess
import sys

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOK = (pathlib.Path(__file__).resolve().parents[2] / "examples" /
            "python" / "project_vault.ipynb")


def test_notebook_runs_and_agrees_with_c(monkeypatch):
    # the kernel (ipykernel's own python3 spec: this interpreter) gets the
    # crit package and the example on its path, and the Agg backend
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [os.environ.get("PYTHONPATH", ""), str(NOTEBOOK.parent)]))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    printed = "".join(o.get("text", "") for c in nb.cells
                      if c.cell_type == "code" for o in c.outputs
                      if o.get("name") == "stdout")
    names = [line.split(",")[0] for line in printed.splitlines()
             if line.startswith(("price.", "total.", "cash."))]
    assert len(names) >= 40
    report = os.environ.get("CRIT_TEST_REPORT")
    if report:
        expect = subprocess.run([report, "--csv"], capture_output=True,
                                text=True, check=True).stdout
        for line in expect.splitlines():
            assert line in printed.splitlines(), line

"""docs/tutorial-python.md: its snippets run, in order, and every
`print(...)  # -> text` prints exactly text."""

import contextlib
import io
import pathlib
import re

DOC = pathlib.Path(__file__).parents[2] / "docs" / "tutorial-python.md"


def test_tutorial_runs_and_prints_what_it_says():
    code = "\n".join(re.findall(r"```python\n(.*?)```", DOC.read_text(),
                                re.S))
    expected = re.findall(r"^\s*print\(.*\)\s+# -> (.*)$", code, re.M)
    assert len(expected) >= 10
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(DOC), "exec"), {})
    printed = iter(out.getvalue().splitlines())
    for want in expected:
        # Lines without a "# ->" comment (a DataFrame) are skipped.
        assert want in printed, f"never printed: {want}"

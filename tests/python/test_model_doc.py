"""docs/model.md: its Python snippets run, in order, and every
`print(...)  # -> text` prints exactly text (the worked example's numbers
come from the library)."""

import contextlib
import io
import pathlib
import re

DOC = pathlib.Path(__file__).parents[2] / "docs" / "model.md"


def test_model_doc_runs_and_prints_what_it_says():
    code = "\n".join(re.findall(r"```python\n(.*?)```", DOC.read_text(),
                                re.S))
    expected = re.findall(r"^\s*print\(.*\)\s+# -> (.*)$", code, re.M)
    assert len(expected) >= 10
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(DOC), "exec"), {})
    printed = out.getvalue().splitlines()
    assert printed == expected

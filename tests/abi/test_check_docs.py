#!/usr/bin/python3
"""Unit test of the doc checker (check_docs.py) on fixture headers: it
accepts a documented header and reports exactly the undocumented items of
another, so the doc-coverage test of the real headers can fail."""

import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import check_docs  # noqa: E402

FIX = os.path.join(HERE, "fixtures")


class CheckDocsTest(unittest.TestCase):
    def test_documented_header_passes(self):
        self.assertEqual(check_docs.check_header(
            os.path.join(FIX, "documented.h")), [])

    def test_undocumented_items_are_each_reported(self):
        errors = check_docs.check_header(os.path.join(FIX, "undocumented.h"))
        text = "\n".join(errors)
        expected = [
            "macro CRIT_FIXTURE_LIMIT: no /** doc comment",
            "type crit_fixture: no /** doc comment",
            "type crit_fixture_plain: no /** doc comment",
            "crit_fixture_bare: no /** doc comment",
            "crit_fixture_noparam: parameter 'count' has no @param",
            "crit_fixture_noreturn: returns int but has no @return",
            "crit_fixture_stale: @param 'flags' names no parameter",
            "crit_fixture_plain_comment: no /** doc comment",
        ]
        for e in expected:
            self.assertIn(e, text)
        self.assertEqual(len(errors), len(expected), text)

    def test_command_line_fails_on_undocumented_header(self):
        script = os.path.join(HERE, "check_docs.py")
        bad = subprocess.run([sys.executable, script,
                              os.path.join(FIX, "undocumented.h")],
                             capture_output=True, text=True)
        self.assertEqual(bad.returncode, 1, bad.stdout + bad.stderr)
        self.assertIn("crit_fixture_bare", bad.stdout)
        good = subprocess.run([sys.executable, script,
                               os.path.join(FIX, "documented.h")],
                              capture_output=True, text=True)
        self.assertEqual(good.returncode, 0, good.stdout + good.stderr)

    def test_param_names(self):
        names = check_docs.crit_headers.param_names
        self.assertEqual(names("void"), [])
        self.assertEqual(names("const char *const *codes, size_t n"),
                         ["codes", "n"])
        self.assertEqual(names("int (*cb)(int a, int b), void *payload"),
                         ["cb", "payload"])
        self.assertEqual(names("double out[3]"), ["out"])


if __name__ == "__main__":
    unittest.main()

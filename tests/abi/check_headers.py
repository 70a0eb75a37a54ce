#!/usr/bin/python3
"""Every public header compiles on its own, as C99 and as C++.

Usage: check_headers.py CC CXX INCLUDE_DIR...   (CXX may be "")

For each public header (crit.h, crit/*.h, found at run time so that new
headers are covered without reconfiguring) a one-line translation unit
`#include <crit/x.h>` is compiled with -std=c99 -pedantic and strict
warnings as errors, then as C++11 when a C++ compiler is given. A second
unit includes the header twice, to prove its include guard. Also checks
that crit.h includes every crit/*.h.
"""

import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import crit_headers  # noqa: E402

C_FLAGS = ["-std=c99", "-pedantic", "-Wall", "-Wextra", "-Werror",
           "-Wstrict-prototypes", "-Wmissing-prototypes", "-Wshadow",
           "-Wundef", "-Wconversion"]
CXX_FLAGS = ["-std=c++11", "-pedantic", "-Wall", "-Wextra", "-Werror",
             "-Wshadow", "-Wundef", "-Wold-style-cast"]


def compile_tu(compiler, flags, incs, text, suffix, tmp):
    src = os.path.join(tmp, "tu" + suffix)
    with open(src, "w", encoding="utf-8") as f:
        f.write(text)
    cmd = [compiler] + flags + incs + ["-fsyntax-only", src]
    r = subprocess.run(cmd, capture_output=True, text=True)
    return r.returncode, " ".join(cmd), r.stdout + r.stderr


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    cc, cxx, include_dirs = argv[1], argv[2], argv[3:]
    incs = ["-I" + d for d in include_dirs]
    headers = crit_headers.public_headers(include_dirs)
    errors = []
    checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        for path, inc in headers:
            once = f"#include <{inc}>\n"
            twice = once + once
            units = [(cc, C_FLAGS, once, ".c", "C99"),
                     (cc, C_FLAGS, twice, ".c", "C99, included twice")]
            if cxx:
                units.append((cxx, CXX_FLAGS, once, ".cpp", "C++11"))
            for compiler, flags, text, suffix, what in units:
                rc, cmd, out = compile_tu(compiler, flags, incs, text, suffix,
                                          tmp)
                checked += 1
                if rc != 0:
                    errors.append(f"{inc} does not compile on its own as "
                                  f"{what}:\n  {cmd}\n{out}")

    umbrella = [p for p, inc in headers if inc == "crit.h"]
    if not umbrella:
        errors.append("no crit.h found in " + " ".join(include_dirs))
    else:
        with open(umbrella[0], encoding="utf-8") as f:
            included = set(re.findall(r'#\s*include\s*["<]([^">]+)[">]',
                                      f.read()))
        for _path, inc in headers:
            if inc != "crit.h" and inc not in included:
                errors.append(f"crit.h does not include {inc}")

    print(f"{len(headers)} public headers, {checked} translation units"
          + ("" if cxx else " (no C++ compiler: C only)"))
    for e in errors:
        print("error: " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

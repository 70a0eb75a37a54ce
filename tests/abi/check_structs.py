#!/usr/bin/python3
"""The public structs keep the growth rule that the ABI check relies on.

Usage: check_structs.py ABIGNORE INCLUDE_DIR...

docs/conventions.md: a struct that may grow starts with `size_t size`, and
the ABI check (abi.sh, with the suppressions in ABIGNORE) accepts fields
appended to it by its name alone. So, for every `typedef struct crit_x
{...} crit_x;` of the public headers: it starts with `size_t size` if
and only if its name matches the `name_regexp` of ABIGNORE's struct
suppression. A size-first struct whose name does not match could never
grow without failing the ABI check; a matching one without the size
could grow without the library knowing which version a caller has.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import crit_headers  # noqa: E402

_STRUCT_RE = re.compile(
    r"\btypedef\s+struct\s+(crit_\w+)\s*\{(.*?)\}\s*(\w+)\s*;", re.S)


def growth_regexp(abignore_text):
    """The name_regexp of the [suppress_type] section for structs."""
    found = re.findall(r"^\s*name_regexp\s*=\s*(\S+)\s*$", abignore_text,
                       re.M)
    if len(found) != 1:
        raise ValueError(f"expected one name_regexp, found {len(found)}")
    return re.compile(found[0])


def structs(text):
    """(name, first member as written, line) of each typedef'd struct."""
    code = crit_headers.strip_comments(text)
    out = []
    for m in _STRUCT_RE.finditer(code):
        name, body, alias = m.group(1), m.group(2), m.group(3)
        if alias != name:
            raise ValueError(f"struct {name} is typedef'd as {alias}")
        first = " ".join(body.split(";", 1)[0].split())
        out.append((name, first, code.count("\n", 0, m.start()) + 1))
    return out


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        rx = growth_regexp(f.read())
    errors, seen = [], 0
    for path, inc in crit_headers.public_headers(argv[2:]):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for name, first, line in structs(text):
            seen += 1
            sized = first == "size_t size"
            grows = rx.search(name) is not None
            where = f"{inc}:{line}: struct {name}"
            if sized and not grows:
                errors.append(f"{where} starts with size_t size, but its "
                              f"name does not match {rx.pattern}: a field "
                              "appended to it would fail the ABI check")
            elif grows and not sized:
                errors.append(f"{where} matches {rx.pattern} but does not "
                              "start with size_t size")
    if seen == 0:
        errors.append("no public struct found: is the include path right?")
    for e in errors:
        print(e)
    print(f"{seen} public structs checked, {len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/python3
"""Check libcrit.so's exports against the version script and the headers.

Usage: check_exports.py NM LIBCRIT_SO LIBCRIT_MAP INCLUDE_DIR...

Fails (exit 1) when:
  - a defined dynamic symbol does not start with crit_, is not listed in
    the version script, or carries another version node than the script's;
  - the version script lists a symbol twice, a node's symbols are not in
    alphabetical order, or a node name is not CRIT_<major>.<minor>;
  - a CRIT_API function of a public header is not exported;
  - the version script lists a symbol that no public header declares or
    that the library does not export.
"""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import crit_headers  # noqa: E402


def exported(nm, lib):
    """{symbol: version node} for every defined dynamic symbol, without the
    version-node marker symbols themselves."""
    out = subprocess.run([nm, "-D", "--defined-only", lib], check=True,
                         capture_output=True, text=True).stdout
    syms = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) < 3:
            continue
        kind, full = f[1], f[2]
        name, _, version = full.partition("@")
        version = version.lstrip("@")
        if kind == "A" and version in ("", name) and re.fullmatch(
                r"CRIT_\d+\.\d+", name):
            # the node's own absolute symbol: GNU nm prints it bare,
            # llvm-nm (CMake's choice under clang) as CRIT_1.0@@CRIT_1.0
            continue
        syms[name] = version
    return syms


def main(argv):
    if len(argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    nm, lib, map_path, include_dirs = argv[1], argv[2], argv[3], argv[4:]
    errors = []

    with open(map_path, encoding="utf-8") as f:
        nodes = crit_headers.parse_map(f.read())
    if not nodes:
        errors.append(f"{map_path}: no version node found")
    listed = {}
    for node, syms, _parent in nodes:
        if not re.fullmatch(r"CRIT_\d+\.\d+", node):
            errors.append(f"{map_path}: node {node} is not named "
                          "CRIT_<major>.<minor>")
        if syms != sorted(syms):
            first = next(a for a, b in zip(syms, sorted(syms)) if a != b)
            errors.append(f"{map_path}: node {node} is not in alphabetical "
                          f"order (first out of place: {first})")
        for s in syms:
            if s in listed:
                errors.append(f"{map_path}: {s} listed twice "
                              f"({listed[s]} and {node})")
            listed.setdefault(s, node)
            if "*" in s or "?" in s:
                errors.append(f"{map_path}: {node} exports the pattern "
                              f"{s}; list symbols one by one")

    exports = exported(nm, lib)
    for name, version in sorted(exports.items()):
        if not name.startswith("crit_"):
            errors.append(f"{lib}: exports {name}, which does not start "
                          "with crit_")
        if name not in listed:
            errors.append(f"{lib}: exports {name}, which "
                          f"{os.path.basename(map_path)} does not list")
        elif version != listed[name]:
            errors.append(f"{lib}: {name} has version '{version}', the "
                          f"version script says {listed[name]}")

    declared = {}
    headers = crit_headers.public_headers(include_dirs)
    for path, inc in headers:
        with open(path, encoding="utf-8") as f:
            for d in crit_headers.api_declarations(f.read()):
                if d["name"] is None:
                    errors.append(f"{path}:{d['line']}: CRIT_API on "
                                  f"something that is not a function: "
                                  f"{d['decl']}")
                    continue
                declared[d["name"]] = f"{path}:{d['line']}"
    for name, where in sorted(declared.items()):
        if name not in exports:
            errors.append(f"{where}: {name} is declared CRIT_API but "
                          "libcrit.so does not export it (missing from "
                          "the version script or not defined?)")
    for name, node in sorted(listed.items()):
        if name not in declared:
            errors.append(f"{map_path}: {name} ({node}) is declared in no "
                          "public header")
        if name not in exports:
            errors.append(f"{map_path}: {name} ({node}) is not exported "
                          "by libcrit.so (not defined in the library?)")

    print(f"{len(headers)} public headers, {len(declared)} CRIT_API "
          f"functions, {len(listed)} symbols in "
          f"{len(nodes)} version node(s), {len(exports)} exported")
    for e in errors:
        print("error: " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

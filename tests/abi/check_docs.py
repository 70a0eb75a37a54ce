#!/usr/bin/python3
"""Doc-comment coverage of libcrit's public headers.

Usage: check_docs.py INCLUDE_DIR_OR_HEADER...

Fails (exit 1) when, in a public header (crit.h, crit/*.h, or headers
named directly):
  - a CRIT_API function is not immediately preceded by a /** ... */ block;
  - that block lacks `@param name` for one of the parameters, names a
    parameter the function does not have, or lacks `@return` while the
    function returns something other than void;
  - a typedef, struct, union or enum at file scope, or a public macro
    (not an include guard, not CRIT__internal), has no doc comment right
    before it (macros may instead be documented by a `@def NAME` block).
Doxygen's own warnings (tests/abi doxygen test) complement this check for
struct members and enumerators.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import crit_headers  # noqa: E402

_PARAM_RE = re.compile(r"[@\\]param(?:\s*\[[^\]]*\])?\s+([A-Za-z_]\w*)")
_RETURN_RE = re.compile(r"[@\\](?:return|returns|retval)\b")
_DEF_RE = re.compile(r"[@\\]def\s+([A-Za-z_]\w*)")


def doc_block_before(text, pos):
    """The /** ... */ block that ends right before offset pos (only
    whitespace in between), or None."""
    head = text[:pos].rstrip()
    if not head.endswith("*/"):
        return None
    start = head.rfind("/*")
    if start < 0:
        return None
    block = head[start:]
    if not (block.startswith("/**") or block.startswith("/*!")):
        return None
    if block.startswith("/**<") or block.startswith("/*!<"):
        return None  # documents the previous member, not what follows
    return block


def line_of(text, pos):
    return text.count("\n", 0, pos) + 1


def check_functions(path, text):
    errors = []
    for d in crit_headers.api_declarations(text):
        where = f"{path}:{d['line']}"
        name = d["name"] or d["decl"]
        block = doc_block_before(text, d["start"])
        if block is None:
            errors.append(f"{where}: {name}: no /** doc comment right "
                          "before the declaration")
            continue
        documented = _PARAM_RE.findall(block)
        for p in d["params"]:
            if p not in documented:
                errors.append(f"{where}: {name}: parameter '{p}' has no "
                              "@param")
        for p in documented:
            if p not in d["params"]:
                errors.append(f"{where}: {name}: @param '{p}' names no "
                              "parameter")
        if not crit_headers.is_void(d["ret"]) and not _RETURN_RE.search(block):
            errors.append(f"{where}: {name}: returns {d['ret']} but has no "
                          "@return")
    return errors


def top_level_statements(code):
    """(offset, kind, name) of file-scope typedefs, structs, unions and
    enums in comment-free code; brace depth tracks file scope."""
    found = []
    depth = 0
    i = 0
    stmt_start = True
    tok = re.compile(r"\b(typedef|struct|union|enum)\b")
    while i < len(code):
        c = code[i]
        if c == "#":  # skip preprocessor lines, with continuations
            while i < len(code) and code[i] != "\n":
                i += 2 if code[i] == "\\" else 1
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == ";" and depth == 0:
            stmt_start = True
        elif depth == 0 and stmt_start and not c.isspace():
            stmt_start = False
            m = tok.match(code, i)
            if m:
                found.append((i, code[i:code.find(";", i) if ";" in code[i:]
                                      else len(code)]))
        i += 1
    return found


def type_name(stmt):
    """Name a file-scope type statement declares, or None for a plain
    forward declaration of a struct that is typedef'd elsewhere."""
    s = " ".join(stmt.split())
    if s.startswith("typedef"):
        fp = re.search(r"\(\s*\*\s*(\w+)\s*\)", re.sub(r"\{.*\}", "{}", s))
        if fp:
            return fp.group(1)
        ids = re.findall(r"[A-Za-z_]\w*", re.sub(r"\{.*\}", "", s))
        return ids[-1] if ids else None
    m = re.match(r"(struct|union|enum)\s+(\w+)\s*\{", s)
    return m.group(2) if m else None


def check_types(path, text, code):
    errors = []
    for off, stmt in top_level_statements(code):
        if stmt.lstrip().startswith("extern"):
            continue
        name = type_name(stmt)
        if name is None:
            continue
        if doc_block_before(text, off) is None:
            errors.append(f"{path}:{line_of(text, off)}: type {name}: no "
                          "/** doc comment right before it")
    return errors


def check_macros(path, text, code):
    errors = []
    documented_defs = set()
    for block in re.findall(r"/\*[*!].*?\*/", text, re.S):
        documented_defs.update(_DEF_RE.findall(block))
    guards = set(re.findall(r"#\s*ifndef\s+(\w+)", code))
    seen = set()
    for m in re.finditer(r"^[ \t]*#[ \t]*define[ \t]+(\w+)", code, re.M):
        name = m.group(1)
        if name.startswith("CRIT__") or name in seen:
            continue
        rest = code[m.end():code.find("\n", m.end())].strip()
        if name in guards and rest == "":
            continue  # include guard
        seen.add(name)
        if name in documented_defs:
            continue
        if doc_block_before(text, m.start()) is None:
            errors.append(f"{path}:{line_of(text, m.start())}: macro "
                          f"{name}: no /** doc comment right before it "
                          "(or a @def block)")
    return errors


def check_header(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    code = crit_headers.strip_comments(text)
    return (check_functions(path, text) + check_types(path, text, code)
            + check_macros(path, text, code))


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    paths = []
    for a in argv[1:]:
        if os.path.isdir(a):
            paths += [p for p, _inc in crit_headers.public_headers([a])]
        else:
            paths.append(a)
    errors = []
    for p in paths:
        errors += check_header(p)
    print(f"{len(paths)} headers checked")
    for e in errors:
        print("error: " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

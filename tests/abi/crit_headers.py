"""Shared parsing of libcrit's public headers and linker version script.

Used by the export check (check_exports.py), the doc-comment check
(check_docs.py) and the stand-alone header check (check_headers.py). Only
the subset of C that libcrit's public headers use is understood: one
declaration per statement, `CRIT_API` before every exported function.
"""

import os
import re


def public_headers(include_dirs):
    """Every public header under the given include directories:
    crit.h and crit/*.h, as (path, name used in #include) pairs, sorted."""
    found = {}
    for d in include_dirs:
        top = os.path.join(d, "crit.h")
        if os.path.isfile(top):
            found.setdefault("crit.h", top)
        sub = os.path.join(d, "crit")
        if os.path.isdir(sub):
            for f in sorted(os.listdir(sub)):
                if f.endswith(".h"):
                    found.setdefault("crit/" + f, os.path.join(sub, f))
    return sorted((path, inc) for inc, path in found.items())


def strip_comments(text):
    """Replace comments by spaces, keeping newlines (so offsets and line
    numbers stay valid) and leaving string literals alone."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


_API_RE = re.compile(r"\bCRIT_API\b")
_FUNC_RE = re.compile(r"\b(crit_\w+)\s*\(")


def api_declarations(text):
    """CRIT_API declarations of a header's text: a list of dicts with
    name, start (offset of CRIT_API), line, decl (the declaration up to its
    semicolon, comments removed), ret (return type), params (names)."""
    code = strip_comments(text)
    decls = []
    for m in _API_RE.finditer(code):
        line_start = code.rfind("\n", 0, m.start()) + 1
        if code[line_start:m.start()].lstrip().startswith("#"):
            continue  # the macro's own definition
        end = code.find(";", m.end())
        if end < 0:
            end = len(code)
        decl = " ".join(code[m.end() : end].split())
        f = _FUNC_RE.search(decl)
        if not f:
            decls.append(dict(name=None, start=m.start(), decl=decl,
                              line=text.count("\n", 0, m.start()) + 1,
                              ret="", params=[]))
            continue
        ret = decl[: f.start()].strip()
        plist = decl[f.end() : decl.rfind(")")]
        decls.append(dict(name=f.group(1), start=m.start(), decl=decl,
                          line=text.count("\n", 0, m.start()) + 1,
                          ret=ret, params=param_names(plist)))
    return decls


def param_names(plist):
    """Names of the parameters of a C parameter list (without the outer
    parentheses); [] for `void` or an empty list."""
    parts, depth, cur = [], 0, ""
    for c in plist:
        if c == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += c in "(["
        depth -= c in ")]"
        cur += c
    parts.append(cur)
    names = []
    for p in parts:
        p = p.strip()
        if not p or p == "void" or p == "...":
            continue
        # A function-pointer parameter: int (*name)(args).
        fp = re.search(r"\(\s*\*\s*(\w+)\s*\)", p)
        if fp:
            names.append(fp.group(1))
            continue
        p = re.sub(r"\[[^\]]*\]", "", p)
        ids = re.findall(r"[A-Za-z_]\w*", p)
        names.append(ids[-1] if ids else "")
    return names


def is_void(ret):
    """True when a return type (as written after CRIT_API) is plain void."""
    return " ".join(ret.split()) == "void"


def parse_map(text):
    """Parse a GNU ld version script. Returns a list of
    (node name, [global symbols in order], parent node or None)."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"#[^\n]*", " ", text)
    nodes = []
    for m in re.finditer(r"([A-Za-z_][\w.]*)\s*\{(.*?)\}\s*([\w.]*)\s*;",
                         text, re.S):
        name, body, parent = m.group(1), m.group(2), m.group(3) or None
        syms = []
        scope = None
        for tok in re.split(r"\s*;\s*", body):
            tok = tok.strip()
            lab = re.match(r"(global|local)\s*:\s*(.*)", tok, re.S)
            if lab:
                scope, tok = lab.group(1), lab.group(2).strip()
            if not tok:
                continue
            if scope in (None, "global"):
                syms.append(tok)
        nodes.append((name, syms, parent))
    return nodes

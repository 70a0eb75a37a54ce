#!/usr/bin/python3
"""Build libcrit's default world from USGS Mineral Commodity Summaries data.

Reads the USGS MCS long-format table (the MCS 2026 data release,
MCS2026_Commodities_Data.csv) and libcrit's own selection and assumption
tables (minerals.csv, economies.csv, countries.csv, assumptions.csv), and
writes a C source file of constant tables that libcrit compiles in, so the
default world needs no file at run time.

Every USGS cell it uses is parsed strictly: numbers with thousands
separators, the zero dash, and the codes W (withheld), NA (not available),
E (net exporter) and bounds such as >50 or <25. Anything else stops the
build with FILE:LINE:COLUMN, the column's name and the offending value.

Standard library only (Debian's /usr/bin/python3). Usage:

    gen_default_world.py --usgs MCS.csv --minerals minerals.csv \\
        --economies economies.csv --countries countries.csv \\
        --assumptions assumptions.csv --year 2025 \\
        --release "USGS MCS 2026 data release" --out data_tables.c
"""

import argparse
import csv
import hashlib
import io
import os
import re
import sys

USGS_HEADER = [
    "MCS chapter", "Section", "Commodity", "Country", "Statistics",
    "Statistics_detail", "Unit", "Year", "Value", "Notes",
    "Is critical mineral 2025", "Other notes",
]
MINERALS_HEADER = [
    "code", "name", "basis", "chapter", "commodity", "production",
    "capacity", "us_consumption", "us_imports", "us_exports", "us_nir",
]
ECONOMIES_HEADER = ["code", "name", "member", "include", "source"]
COUNTRIES_HEADER = ["usgs_country", "economy"]
ASSUMPTIONS_HEADER = ["kind", "mineral", "economy", "key", "value", "source"]
ASSUMPTION_KINDS = {
    "revision", "price_component", "demand_weight", "demand_share",
    "supply_elasticity", "demand_elasticity", "capacity_headroom",
    "transport_rate", "choke_multiple", "holding_cost_rate",
}

# Quantity units of the USGS tables, in tonnes.
QUANTITY_UNITS = {
    "metric tons": 1.0,
    "thousand metric tons": 1e3,
    "million metric tons": 1e6,
    "kilograms": 1e-3,
}
# Price units, in USD per tonne of the unit's basis.
PRICE_UNITS = {
    "dollars per metric ton": 1.0,
    "dollars per kilogram": 1e3,
    "dollars per pound": 1e6 / 453.59237,
    "cents per pound": 1e4 / 453.59237,
    "dollars per troy ounce": 1e6 / 31.1034768,
    "dollars per dry metric ton unit": 100.0,
}

ZERO_DASH = "\u2014"  # USGS prints zero as an em dash
NUMBER_RE = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
CODE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,30}$")
ECON_RE = re.compile(r"^[A-Z][A-Z0-9_]{1,15}$")


class GenError(Exception):
    """A problem with an input: the message names file, line and column."""


class Cell:
    """One cell of an input table, with where it came from."""

    def __init__(self, path, line, col, name, text):
        self.path, self.line, self.col, self.name, self.text = (
            path, line, col, name, text)

    def where(self):
        return "%s:%d:%d" % (self.path, self.line, self.col)

    def fail(self, message):
        raise GenError("%s: %s (column '%s', value %r)" % (
            self.where(), message, self.name, self.text))


class Row:
    """A record of a table: cells by column name, and its line number."""

    def __init__(self, path, line, header, fields):
        self.path, self.line = path, line
        self.cells = {h: Cell(path, line, i + 1, h, f)
                      for i, (h, f) in enumerate(zip(header, fields))}

    def __getitem__(self, name):
        return self.cells[name].text.strip()

    def cell(self, name):
        return self.cells[name]


def decode(path, data, encoding):
    """Decode a file; a UTF-8 BOM wins over the declared encoding."""
    if data.startswith(b"\xef\xbb\xbf"):
        data, encoding = data[3:], "utf-8"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise GenError("%s:%d:%d: byte 0x%02x is not valid %s" % (
            path, line, col, data[e.start], encoding))


def read_table(path, header, encoding="utf-8"):
    """Read a CSV file whose first line must be exactly `header`."""
    with open(path, "rb") as f:
        raw = f.read()
    text = decode(path, raw, encoding)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = []
    first_line = 1
    try:
        for fields in reader:
            line = first_line
            first_line = reader.line_num + 1
            if line == 1:
                got = [h.strip() for h in fields]
                if got != header:
                    raise GenError(
                        "%s:1:1: unexpected header %r; expected %r" % (
                            path, got, header))
                continue
            if not fields or all(not f.strip() for f in fields):
                continue
            if len(fields) != len(header):
                raise GenError(
                    "%s:%d:%d: %d fields where the header has %d" % (
                        path, line, min(len(fields), len(header)) + 1,
                        len(fields), len(header)))
            rows.append(Row(path, line, header, fields))
    except csv.Error as e:
        raise GenError("%s:%d:1: malformed CSV: %s" % (
            path, reader.line_num, e))
    if first_line == 1:
        raise GenError("%s:1:1: empty file" % path)
    return rows, hashlib.sha256(raw).hexdigest()


# ---- USGS values -------------------------------------------------------

class Value:
    """A parsed USGS cell: kind is num, W, NA, E, gt or lt."""

    def __init__(self, kind, number, text):
        self.kind, self.number, self.text = kind, number, text


def parse_value(cell):
    t = cell.text.replace("\u00a0", " ").strip()
    if t == ZERO_DASH:
        return Value("num", 0.0, t)
    if t in ("W", "NA", "E"):
        return Value(t, None, t)
    if t[:1] in (">", "<") and NUMBER_RE.match(t[1:].strip()):
        return Value("gt" if t[0] == ">" else "lt",
                     float(t[1:].strip().replace(",", "")), t)
    if NUMBER_RE.match(t):
        return Value("num", float(t.replace(",", "")), t)
    cell.fail("not a USGS value (expected a number such as 1,234.5, "
              "'\u2014', W, NA, E or a bound such as >50)")


def need_number(cell, what):
    v = parse_value(cell)
    if v.kind != "num":
        cell.fail("%s must be a number, not the USGS code %s" % (
            what, v.text))
    return v.number


def quantity_factor(row):
    unit = row["Unit"]
    if unit not in QUANTITY_UNITS:
        row.cell("Unit").fail("unknown quantity unit")
    return QUANTITY_UNITS[unit]


def price_factor(row):
    unit = row["Unit"]
    if unit not in PRICE_UNITS:
        row.cell("Unit").fail("unknown price unit")
    return PRICE_UNITS[unit]


class Usgs:
    """Index of the USGS long table."""

    def __init__(self, path, encoding, year):
        self.path = path
        self.name = os.path.basename(path)
        self.rows, self.sha256 = read_table(path, USGS_HEADER, encoding)
        self.year = year
        for r in self.rows:
            y = r["Year"]
            if not re.match(r"^\d{4}(?:[-\u2013]\d{2,4})?$", y):
                r.cell("Year").fail("not a year")

    def select(self, section_prefix, chapter, commodity, detail,
               country=None):
        out = []
        for r in self.rows:
            if (r["Year"] == self.year and r["MCS chapter"] == chapter and
                    r["Section"].startswith(section_prefix) and
                    r["Commodity"].lower() == commodity.lower() and
                    r["Statistics_detail"] == detail and
                    (country is None or r["Country"] == country)):
                out.append(r)
        return out

    def one(self, spec_cell, section_prefix, chapter, commodity, detail,
            country=None):
        rows = self.select(section_prefix, chapter, commodity, detail,
                           country)
        if len(rows) != 1:
            spec_cell.fail("%s: %d rows of %s for %s / %s / %r / %s in %s" % (
                "no row" if not rows else "ambiguous", len(rows),
                self.year, chapter, commodity, detail, country or "any",
                self.name))
        return rows[0]


# ---- libcrit's tables --------------------------------------------------

def parse_float(cell, lo=None, hi=None):
    try:
        x = float(cell.text.strip())
    except ValueError:
        cell.fail("not a number")
    if x != x or x in (float("inf"), float("-inf")):
        cell.fail("not a finite number")
    if lo is not None and x < lo:
        cell.fail("below %g" % lo)
    if hi is not None and x > hi:
        cell.fail("above %g" % hi)
    return x


class Assumptions:
    def __init__(self, path):
        self.path = path
        self.rows, self.sha256 = read_table(path, ASSUMPTIONS_HEADER)
        self.by = {}
        for r in self.rows:
            if r["kind"] not in ASSUMPTION_KINDS:
                r.cell("kind").fail("unknown kind; known: %s" % ", ".join(
                    sorted(ASSUMPTION_KINDS)))
            if not r["source"]:
                r.cell("source").fail("every assumption needs a source or "
                                      "its reasoning")
            key = (r["kind"], r["mineral"], r["economy"], r["key"])
            if key in self.by:
                r.cell("kind").fail("duplicate of line %d" %
                                    self.by[key].line)
            self.by[key] = r

    def scalar(self, kind, mineral, lo, hi):
        r = self.by.get((kind, mineral, "", "")) or self.by.get(
            (kind, "*", "", ""))
        if r is None:
            raise GenError("%s: no '%s' row for mineral %s and no default "
                           "('*') row" % (self.path, kind, mineral))
        return parse_float(r.cell("value"), lo, hi), r

    def of_kind(self, kind, mineral=None):
        return [r for r in self.rows if r["kind"] == kind and
                (mineral is None or r["mineral"] == mineral)]


def c_string(s):
    out = ['"']
    for b in s.encode("utf-8"):
        c = chr(b)
        if c in '"\\?':
            out.append("\\" + c)
        elif 32 <= b < 127:
            out.append(c)
        else:
            out.append("\\%03o" % b)
    out.append('"')
    return "".join(out)


def c_double(x):
    r = repr(float(x))
    if r in ("nan", "inf", "-inf"):
        return {"nan": "NAN", "inf": "INFINITY", "-inf": "-INFINITY"}[r]
    return r


def fmt_num(x):
    return ("%.6g" % x) if abs(x) < 1e6 else ("%.0f" % x)


# ---- the build ---------------------------------------------------------

class Record:
    def __init__(self, mineral, economy, field, value, unit, source, year,
                 rows, note):
        self.t = (mineral, economy, field, value, unit, source, year, rows,
                  note)


def lines_of(rows):
    return ",".join(str(r.line) for r in sorted(rows, key=lambda r: r.line))


def build(args):
    usgs = Usgs(args.usgs, args.usgs_encoding, args.year)
    minerals, _ = read_table(args.minerals, MINERALS_HEADER)
    economies, _ = read_table(args.economies, ECONOMIES_HEADER)
    countries, _ = read_table(args.countries, COUNTRIES_HEADER)
    asm = Assumptions(args.assumptions)
    usgs_src = "%s, %s" % (args.release, usgs.name)
    asm_src = "libcrit assumptions table, %s" % os.path.basename(
        args.assumptions)
    records = []

    # economies ----------------------------------------------------------
    eco = {}
    for r in economies:
        code = r["code"]
        if not ECON_RE.match(code):
            r.cell("code").fail("malformed economy code")
        if code in eco:
            r.cell("code").fail("duplicate economy")
        if r["member"] not in ("0", "1"):
            r.cell("member").fail("member must be 0 or 1")
        if r["include"] not in ("always", "auto"):
            r.cell("include").fail("include must be 'always' or 'auto'")
        if not r["source"]:
            r.cell("source").fail("every economy needs a source")
        eco[code] = r
    for must in ("USA", "CHN", "ROW"):
        if must not in eco:
            raise GenError("%s: economy %s is required" % (
                args.economies, must))
    if eco["ROW"]["include"] != "always":
        eco["ROW"].cell("include").fail("ROW must be 'always'")
    country_of = {}
    for r in countries:
        if r["economy"] not in eco:
            r.cell("economy").fail("not an economy of %s" % args.economies)
        if r["usgs_country"] in country_of:
            r.cell("usgs_country").fail("duplicate country")
        country_of[r["usgs_country"]] = r

    # minerals: the USGS rows they use -----------------------------------
    specs = []
    seen = set()
    for m in minerals:
        code = m["code"]
        if not CODE_RE.match(code):
            m.cell("code").fail("malformed mineral code")
        if code in seen:
            m.cell("code").fail("duplicate mineral")
        seen.add(code)
        for col in ("name", "basis", "chapter", "commodity", "production"):
            if not m[col]:
                m.cell(col).fail("required")
        sel = lambda detail, country=None: usgs.select(  # noqa: E731
            "World", m["chapter"], m["commodity"], detail, country)
        prod = [r for r in sel(m["production"])
                if not r["Country"].startswith("World total")]
        if not prod:
            m.cell("production").fail("no country rows of %s in %s" % (
                args.year, usgs.name))
        totals = [r for r in usgs.select(
            "World", m["chapter"], m["commodity"],
            m["production"] + ": rounded") + usgs.select(
            "World", m["chapter"], m["commodity"],
            m["production"] + ", rounded")
            if r["Country"].startswith("World total")]
        if len(totals) != 1:
            m.cell("production").fail("%d 'World total' rows in %s" % (
                len(totals), usgs.name))
        for r in prod + totals:
            flag = r["Is critical mineral 2025"]
            if flag != "Yes":
                r.cell("Is critical mineral 2025").fail(
                    "not on the 2025 U.S. list of critical minerals")
        countries_seen = set()
        for r in prod:
            c = r["Country"]
            if c not in country_of:
                r.cell("Country").fail("country not in %s" % args.countries)
            if c in countries_seen:
                r.cell("Country").fail("duplicate country row")
            countries_seen.add(c)
        cap = []
        if m["capacity"]:
            cap = [r for r in sel(m["capacity"])
                   if not r["Country"].startswith("World total")]
            if not cap:
                m.cell("capacity").fail("no capacity rows")
            for r in cap:
                if r["Country"] not in country_of:
                    r.cell("Country").fail("country not in %s" %
                                           args.countries)
        specs.append((m, prod, totals[0], cap))

    # which economies: members, 'always', and >= 5 % producers ----------
    included = {c for c, r in eco.items() if r["include"] == "always"}
    for m, prod, total, _ in specs:
        world = need_number(total.cell("Value"), "a world total")
        qf = quantity_factor(total)
        for r in prod:
            v = parse_value(r.cell("Value"))
            if r["Country"] == "Other countries":
                continue  # a USGS aggregate, always folded into ROW
            if v.kind == "num" and world > 0 and \
                    v.number * quantity_factor(r) >= 0.05 * world * qf:
                e = country_of[r["Country"]]["economy"]
                if e == "ROW":
                    r.cell("Country").fail(
                        "produces at least 5 %% of world %s but %s folds it "
                        "into ROW: give it an economy" % (
                            m["code"], args.countries))
                included.add(e)
    order = [r["code"] for r in economies if r["code"] in included]
    order.remove("ROW")
    order.append("ROW")
    eidx = {c: i for i, c in enumerate(order)}
    for c in order:
        r = eco[c]
        records.append(Record("", c, "member", float(r["member"]), "1",
                              "libcrit economies table, economies.csv", 0,
                              str(r.line), r["source"]))

    def econ(country):
        e = country_of[country]["economy"]
        return e if e in eidx else "ROW"

    # default weights
    weights_default = {}
    for r in asm.of_kind("demand_weight", "*"):
        if r["economy"] not in eco:
            r.cell("economy").fail("unknown economy")
        weights_default[r["economy"]] = (
            parse_float(r.cell("value"), 0.0, 1.0), r)
    wsum = sum(w for w, _ in weights_default.values())
    if abs(wsum - 1.0) > 1e-9:
        raise GenError("%s: default demand weights sum to %.12g, not 1" % (
            args.assumptions, wsum))

    out_min, out_curves = [], []
    for m, prod, total, cap in specs:
        code = m["code"]
        qf_total = quantity_factor(total)
        world_usgs = need_number(total.cell("Value"), "a world total") * \
            qf_total
        s0 = {e: 0.0 for e in order}
        rows_of = {e: [] for e in order}
        withheld = []
        for r in prod:
            v = parse_value(r.cell("Value"))
            if v.kind in ("W", "NA"):
                withheld.append(r)
                continue
            if v.kind != "num":
                r.cell("Value").fail("a production figure cannot be %s" %
                                     v.text)
            e = econ(r["Country"])
            s0[e] += v.number * quantity_factor(r)
            rows_of[e].append(r)
        explicit = sum(v for e, v in s0.items() if e != "ROW")
        folded = s0["ROW"]
        if world_usgs - explicit >= 0:
            s0["ROW"] = world_usgs - explicit
            world = world_usgs
            world_note = ("USGS world total %s t (line %d); ROW is the world "
                          "total less the economies listed" % (
                              fmt_num(world_usgs), total.line))
        else:
            world = explicit + folded
            world_note = (
                "the listed economies add up to more than the USGS world "
                "total %s t (line %d), which USGS rounds independently; the "
                "world is the sum of the country rows, %s t" % (
                    fmt_num(world_usgs), total.line, fmt_num(world)))
        rows_of["ROW"].append(total)

        # capacity
        headroom, h_row = asm.scalar("capacity_headroom", code, 1.0, 100.0)
        K, k_note, k_rows = {}, {}, {}
        cap_by = {}
        for r in cap:
            cap_by.setdefault(econ(r["Country"]), []).append(r)
        for e in order:
            rs = cap_by.get(e, []) if e != "ROW" else []
            vals = [parse_value(r.cell("Value")) for r in rs]
            if rs and all(v.kind == "num" for v in vals):
                k = sum(v.number * quantity_factor(r)
                        for v, r in zip(vals, rs))
                if k >= s0[e] and not (k == 0 and s0[e] > 0):
                    K[e] = k
                    k_note[e] = "USGS capacity"
                    k_rows[e] = ("usgs", rs)
                    continue
                K[e] = s0[e]
                k_note[e] = ("USGS capacity %s t is below production; "
                             "capacity set to production" % fmt_num(k))
                k_rows[e] = ("usgs", rs)
                continue
            K[e] = s0[e] * headroom
            k_note[e] = ("production times the capacity headroom %g "
                         "(USGS gives no capacity)" % headroom)
            k_rows[e] = ("asm", [h_row])

        # demand
        d0 = {}
        d_note, d_rows = {}, {}
        us_cons = None
        if m["us_consumption"]:
            r = usgs.one(m.cell("us_consumption"), "Salient",
                         m["chapter"], m["commodity"], m["us_consumption"],
                         "United States")
            v = parse_value(r.cell("Value"))
            if v.kind == "num":
                us_cons = (v.number * quantity_factor(r), r)
            records.append(Record(
                code, "USA", "us_consumption",
                v.number * quantity_factor(r) if v.kind == "num"
                else float("nan"), "t/yr", usgs_src, int(args.year),
                str(r.line), "%s: %s %s" % (r["Statistics_detail"], v.text,
                                            r["Unit"])))
        if us_cons is not None:
            d0["USA"] = us_cons[0]
            d_note["USA"] = "U.S. consumption from the USGS salient " \
                "statistics"
            d_rows["USA"] = ("usgs", [us_cons[1]])
        for r in asm.of_kind("demand_share", code):
            e = r["economy"]
            if e not in eco:
                r.cell("economy").fail("unknown economy")
            if e not in eidx or e in d0:
                r.cell("economy").fail("economy %s is not in the default "
                                       "world or already has a demand" % e)
            if r["value"] == "production":
                d0[e] = s0[e]
                d_note[e] = "demand equals production (%s)" % r["source"]
            else:
                d0[e] = parse_float(r.cell("value"), 0.0, 1.0) * world
                d_note[e] = "share %s of world production" % r["value"]
            d_rows[e] = ("asm", [r])
        rest = world - sum(d0.values())
        if rest < -1e-9 * world:
            raise GenError(
                "%s: mineral %s: U.S. consumption and demand shares (%s t) "
                "exceed world production (%s t)" % (
                    args.assumptions, code, fmt_num(sum(d0.values())),
                    fmt_num(world)))
        rest = max(rest, 0.0)
        w = {}
        for e, (x, r) in weights_default.items():
            target = e if e in eidx else "ROW"
            if target in d0:
                continue
            w.setdefault(target, [0.0, []])
            w[target][0] += x
            w[target][1].append(r)
        for r in asm.of_kind("demand_weight", code):
            e = r["economy"]
            if e not in eidx:
                r.cell("economy").fail("not an economy of the default world")
            if e not in d0:
                w[e] = [parse_float(r.cell("value"), 0.0, 1.0), [r]]
        if "ROW" not in w or w["ROW"][0] <= 0:
            raise GenError("%s: mineral %s: ROW needs a positive demand "
                           "weight" % (args.assumptions, code))
        wt = sum(x for x, _ in w.values())
        for e, (x, rs) in w.items():
            d0[e] = rest * x / wt
            d_note[e] = ("%.4g of the world production not consumed by "
                         "economies with known demand, in proportion to "
                         "its demand weight %g" % (x / wt, x))
            d_rows[e] = ("asm", rs)
        for e in order:
            d0.setdefault(e, 0.0)
        # ROW takes the rounding, so world demand equals world production.
        d0["ROW"] = world - sum(v for e, v in d0.items() if e != "ROW")
        if d0["ROW"] < 0:
            d0["ROW"] = 0.0

        eta, eta_row = asm.scalar("supply_elasticity", code, 0.0, 10.0)
        eps, eps_row = asm.scalar("demand_elasticity", code, 0.0, 10.0)
        tr, tr_row = asm.scalar("transport_rate", code, 0.0, 10.0)
        choke, ch_row = asm.scalar("choke_multiple", code, 1.0 + 1e-9, 1e6)
        hold, ho_row = asm.scalar("holding_cost_rate", code, 0.0, 10.0)

        # price
        comps = asm.of_kind("price_component", code)
        if not comps:
            m.cell("code").fail("no price_component row in %s" %
                                args.assumptions)
        p0, p_rows, p_terms = 0.0, [], []
        for c in comps:
            commodity, _, detail = c["key"].partition("|")
            if not detail:
                c.cell("key").fail("expected 'Commodity|Statistics_detail'")
            r = usgs.one(c.cell("key"), "Salient", m["chapter"], commodity,
                         detail, "United States")
            if r["Statistics"] != "Price":
                r.cell("Statistics").fail("not a price row")
            weight = parse_float(c.cell("value"), 0.0)
            val = need_number(r.cell("Value"), "a price")
            p0 += weight * val * price_factor(r)
            p_rows.append(r)
            p_terms.append("%g x %s %s (line %d)" % (
                weight, r["Value"], r["Unit"], r.line))
        if not p0 > 0:
            m.cell("code").fail("base price is not positive")
        records.append(Record(code, "", "base_price", p0, "USD/t", usgs_src,
                              int(args.year), lines_of(p_rows),
                              "sum of " + " + ".join(p_terms) +
                              ", converted to USD per tonne of " +
                              m["basis"] + "; weights from " + asm_src))
        records.append(Record(code, "", "world_production", world, "t/yr",
                              usgs_src, int(args.year), str(total.line),
                              world_note))
        for field, x, r, unit in (
                ("supply_elasticity", eta, eta_row, "1"),
                ("demand_elasticity", eps, eps_row, "1"),
                ("transport_rate", tr, tr_row, "1"),
                ("choke_price", choke * p0, ch_row, "USD/t"),
                ("holding_cost", hold * p0, ho_row, "USD/t/yr")):
            records.append(Record(code, "", field, x, unit, asm_src, 0,
                                  str(r.line), r["source"]))
        for field in ("us_imports", "us_exports"):
            if not m[field]:
                continue
            rs = [usgs.one(m.cell(field), "Salient", m["chapter"],
                           m["commodity"], d.strip(), "United States")
                  for d in m[field].split(";")]
            vals = [parse_value(r.cell("Value")) for r in rs]
            total_v = float("nan")
            if all(v.kind == "num" for v in vals):
                total_v = sum(v.number * quantity_factor(r)
                              for v, r in zip(vals, rs))
            records.append(Record(
                code, "USA", field, total_v, "t/yr", usgs_src,
                int(args.year), lines_of(rs), "; ".join(
                    "%s: %s %s" % (r["Statistics_detail"], v.text, r["Unit"])
                    for v, r in zip(vals, rs)) +
                ("" if len(rs) == 1 else " (summed)")))
        if m["us_nir"]:
            r = usgs.one(m.cell("us_nir"), "Salient", m["chapter"],
                         m["commodity"], m["us_nir"], "United States")
            v = parse_value(r.cell("Value"))
            records.append(Record(
                code, "USA", "us_net_import_reliance",
                v.number / 100 if v.kind == "num" else float("nan"), "1",
                usgs_src, int(args.year), str(r.line),
                "%s: %s%s" % (r["Statistics_detail"], v.text,
                              {"E": " (net exporter)", "W": " (withheld)",
                               "NA": " (not available)",
                               "gt": " (a lower bound)",
                               "lt": " (an upper bound)"}.get(v.kind, ""))))

        for e in order:
            if s0[e] == 0 and d0[e] == 0:
                continue
            out_curves.append((len(out_min), eidx[e], s0[e], K[e], eta,
                               d0[e], eps))
            if e == "ROW":
                pnote = world_note
                if withheld:
                    pnote += "; withheld or unavailable: " + ", ".join(
                        "%s %s (line %d)" % (r["Country"], r["Value"], r.line)
                        for r in withheld)
            else:
                pnote = "; ".join("%s %s %s" % (r["Country"], r["Value"],
                                                r["Unit"])
                                  for r in rows_of[e]) or "no production row"
            records.append(Record(code, e, "production", s0[e], "t/yr",
                                  usgs_src, int(args.year),
                                  lines_of(rows_of[e]), pnote))
            kind, rs = k_rows[e]
            records.append(Record(
                code, e, "capacity", K[e], "t/yr",
                usgs_src if kind == "usgs" else asm_src,
                int(args.year) if kind == "usgs" else 0, lines_of(rs),
                k_note[e]))
            kind, rs = d_rows.get(e, ("asm", []))
            records.append(Record(
                code, e, "demand", d0[e], "t/yr",
                usgs_src if kind == "usgs" else asm_src,
                int(args.year) if kind == "usgs" else 0, lines_of(rs),
                d_note.get(e, "the rest of world production")))
        out_min.append((code, m["name"], m["basis"], p0, choke * p0,
                        hold * p0, tr))

    rev = asm.by.get(("revision", "*", "", ""))
    if rev is None:
        raise GenError("%s: no 'revision' row" % args.assumptions)
    version = "%s (%s, sha256 %s), year %s; libcrit assumptions r%s " \
        "(sha256 %s)" % (args.release, usgs.name, usgs.sha256[:12],
                         args.year, rev["value"], asm.sha256[:12])
    return version, out_min, [(c, eco[c]["name"], int(eco[c]["member"]))
                              for c in order], out_curves, records


def emit(out, version, minerals, economies, curves, records, argv):
    w = []
    w.append("/* Generated by libcrit/data/gen_default_world.py; do not "
             "edit.\n * Inputs: %s */\n" % " ".join(
                 os.path.basename(a) for a in argv))
    w.append('#include "data_internal.h"\n\n#include <math.h>\n\n')
    w.append("const char crit__data_version_string[] = %s;\n\n" %
             c_string(version))
    w.append("const crit__data_mineral crit__data_minerals[] = {\n")
    for code, name, basis, p0, pmax, hold, tr in minerals:
        w.append("    {%s, %s, %s, %s, %s, %s, %s},\n" % (
            c_string(code), c_string(name), c_string(basis), c_double(p0),
            c_double(pmax), c_double(hold), c_double(tr)))
    w.append("};\nconst size_t crit__data_mineral_count = %d;\n\n" %
             len(minerals))
    w.append("const crit__data_economy crit__data_economies[] = {\n")
    for code, name, member in economies:
        w.append("    {%s, %s, %d},\n" % (c_string(code), c_string(name),
                                          member))
    w.append("};\nconst size_t crit__data_economy_count = %d;\n\n" %
             len(economies))
    w.append("const crit__data_curve crit__data_curves[] = {\n")
    for mi, ei, s0, k, eta, d0, eps in curves:
        w.append("    {%d, %d, %s, %s, %s, %s, %s},\n" % (
            mi, ei, c_double(s0), c_double(k), c_double(eta), c_double(d0),
            c_double(eps)))
    w.append("};\nconst size_t crit__data_curve_count = %d;\n\n" %
             len(curves))
    w.append("const crit__data_rec crit__data_records[] = {\n")
    for rec in records:
        mi, ec, field, value, unit, source, year, rows, note = rec.t
        w.append("    {%s, %s, %s, %s, %s, %s, %d, %s, %s},\n" % (
            c_string(mi), c_string(ec), c_string(field), c_double(value),
            c_string(unit), c_string(source), year, c_string(rows),
            c_string(note)))
    w.append("};\nconst size_t crit__data_record_count = %d;\n" %
             len(records))
    text = "".join(w)
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="ascii", newline="\n") as f:
        f.write(text)
    os.replace(tmp, out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--usgs", required=True)
    ap.add_argument("--usgs-encoding", default="cp1252")
    ap.add_argument("--minerals", required=True)
    ap.add_argument("--economies", required=True)
    ap.add_argument("--countries", required=True)
    ap.add_argument("--assumptions", required=True)
    ap.add_argument("--year", default="2025")
    ap.add_argument("--release", default="USGS Mineral Commodity Summaries "
                    "2026 data release v1.0, doi:10.5066/P1WKQ63T")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    try:
        result = build(args)
    except GenError as e:
        sys.stderr.write("gen_default_world: error: %s\n" % e)
        return 1
    except OSError as e:
        sys.stderr.write("gen_default_world: error: %s\n" % e)
        return 1
    emit(args.out, *result, [args.usgs, args.minerals, args.economies,
                             args.countries, args.assumptions])
    return 0


if __name__ == "__main__":
    sys.exit(main())

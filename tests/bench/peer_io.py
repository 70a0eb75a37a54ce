"""Peer for bench_io: the same world data as nested lists in Python,
saved as json + gzip and loaded back. Reads the world from the CSV tables
bench_io exported (not timed); prints "save_s load_s bytes" (best of
`reps`), saving with gzip's default level (9) and fsync, like crit_io_save.
With "scenario", the data also holds a scenario's result: every series
from DIR/result.csv (crit_io_csv_export_result's tidy rows, in each
series' row-major order) as nested lists of the shape DIR/shapes.txt gives
("name d0 d1 d2" per series).

Usage: peer_io.py DIR REPS [scenario]
"""
import csv
import gzip
import json
import os
import sys
import time


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def world(d):
    eco = read(os.path.join(d, "economies.csv"))
    codes = [e["code"] for e in eco]
    idx = {c: i for i, c in enumerate(codes)}
    n = len(codes)
    mins = []
    by_code = {}
    for m in read(os.path.join(d, "minerals.csv")):
        rec = {
            "code": m["code"], "name": m["name"], "basis": m["basis"],
            "base_price_usd_per_t": float(m["base_price_usd_per_t"]),
            "choke_price_usd_per_t": float(m["choke_price_usd_per_t"]),
            "holding_cost_usd_per_t_yr": float(m["holding_cost_usd_per_t_yr"]),
        }
        for f in ("base_production_t_per_yr", "capacity_t_per_yr",
                  "supply_elasticity", "base_demand_t_per_yr",
                  "demand_elasticity", "export_tax_usd_per_t",
                  "export_tax_ad_valorem"):
            rec[f] = [0.0] * n
        rec["export_quota_t_per_yr"] = [None] * n
        for f in ("transport_usd_per_t", "tariff_usd_per_t",
                  "tariff_ad_valorem", "ban"):
            rec[f] = [[0.0 if f != "ban" else 0] * n for _ in range(n)]
        mins.append(rec)
        by_code[m["code"]] = rec
    for c in read(os.path.join(d, "curves.csv")):
        rec, i = by_code[c["mineral"]], idx[c["economy"]]
        for f in ("base_production_t_per_yr", "capacity_t_per_yr",
                  "supply_elasticity", "base_demand_t_per_yr",
                  "demand_elasticity"):
            rec[f][i] = float(c[f])
    for a in read(os.path.join(d, "arcs.csv")):
        rec, i, j = by_code[a["mineral"]], idx[a["from"]], idx[a["to"]]
        for f in ("transport_usd_per_t", "tariff_usd_per_t",
                  "tariff_ad_valorem"):
            rec[f][i][j] = float(a[f])
        rec["ban"][i][j] = int(a["export_ban"]) | 2 * int(a["import_ban"])
    for x in read(os.path.join(d, "exports.csv")):
        rec, i = by_code[x["mineral"]], idx[x["economy"]]
        rec["export_tax_usd_per_t"][i] = float(x["export_tax_usd_per_t"])
        rec["export_tax_ad_valorem"][i] = float(x["export_tax_ad_valorem"])
        q = x["export_quota_t_per_yr"]
        rec["export_quota_t_per_yr"][i] = None if q == "none" else float(q)
    return {"economies": eco, "minerals": mins}


def nest(values, dims):
    """Nested lists of the shape dims (trailing 1s dropped) over a flat,
    row-major list."""
    while len(dims) > 1 and dims[-1] == 1:
        dims = dims[:-1]
    if len(dims) == 1:
        return list(values)
    step = len(values) // dims[0] if dims[0] else 0
    return [nest(values[i * step:(i + 1) * step], dims[1:])
            for i in range(dims[0])]


def result(d):
    values = {}
    for row in read(os.path.join(d, "result.csv")):
        values.setdefault(row["series"], []).append(float(row["value"]))
    out = {"dates": sorted({row["date"] for row in
                            read(os.path.join(d, "result.csv"))})}
    with open(os.path.join(d, "shapes.txt")) as f:
        for line in f:
            name, *dims = line.split()
            dims = [int(x) for x in dims]
            out[name] = nest(values.get(name, []), dims)
    return out


def main():
    d, reps = sys.argv[1], int(sys.argv[2])
    w = world(d)
    if len(sys.argv) > 3 and sys.argv[3] == "scenario":
        w = {"world": w, "result": result(d)}
    path = os.path.join(d, "peer.json.gz")
    best_save = best_load = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        with open(path, "wb") as raw:
            with gzip.GzipFile(fileobj=raw, mode="wb") as f:
                f.write(json.dumps(w).encode())
            raw.flush()
            os.fsync(raw.fileno())
        best_save = min(best_save, time.perf_counter() - t0)
        t0 = time.perf_counter()
        with gzip.open(path, "rb") as f:
            back = json.loads(f.read())
        best_load = min(best_load, time.perf_counter() - t0)
        assert back == w or back.keys() == w.keys()
    print(best_save, best_load, os.path.getsize(path))


main()

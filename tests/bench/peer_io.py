"""Peer for bench_io: the same world data as nested lists in Python,
saved as json + gzip and loaded back. Reads the world from the CSV tables
bench_io exported (not timed); prints "save_s load_s bytes" (best of
`reps`), saving with gzip's default level (9) and fsync, like crit_io_save.

Usage: peer_io.py DIR REPS
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


def main():
    d, reps = sys.argv[1], int(sys.argv[2])
    w = world(d)
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
        assert back["minerals"][0]["code"] == w["minerals"][0]["code"]
    print(best_save, best_load, os.path.getsize(path))


main()

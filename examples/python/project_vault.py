"""The Project Vault scenario in Python: the same scenario as
examples/c/project_vault.h, built from the same assumptions on libcrit's
default world.

    python3 project_vault.py                 a short report
    python3 project_vault.py --csv           the key numbers, full precision
    python3 project_vault.py --assumptions   the assumptions, one a line

`--csv` prints exactly what `crit-report --csv` and
examples/lua/project_vault.lua print; tests/python/test_project_vault.py
checks that the three agree, and that the three assumption tables are the
same. The public facts behind the scenario and the reasons for each
mapping choice are in examples/c/project_vault.h and docs/scenarios.md.
"""

import datetime as dt
import sys

import crit

# ---- ASSUMPTIONS: every number not on the public record --------------------
# (the same table, in the same order, as pv in examples/c/project_vault.h)
ASSUMPTIONS = {
    "start_year": 2026, "start_month": 2,  # first period
    "periods": 120,                        # monthly periods
    "transport_share": 0.02,       # freight on every arc, share of P0
    "target_days": 60,             # the stockpile's target (public: 60)
    "capacity_over_target": 1.5,   # warehouse capacity / target
    "build_years": 1.0,            # years to reach the target at full rate
    "purchase_trigger": 1.05,      # B as a multiple of P0
    "release_trigger": 1.5,        # T as a multiple of P0
    "upfront_fee_share": 0.01,     # firm's upfront fee, share of the value
                                   # of its part of the target
    "annual_fee_share": 0.07,      # its annual fee: the carrying cost
    "traders": 3,                  # trading houses procuring
    "trader_fee": 5e6,             # USD/yr each
    "loan_amount": 10e9,           # public: USD 10 billion
    "loan_years": 15,              # public: 15
    "loan_rate": 0.045,            # annual fixed rate
    "loan_availability_months": 36,  # draws allowed for this long
    "loan_amortisation": "bullet",   # principal at maturity
    "private_capital": 1.67e9,     # public: USD 1.67 billion
    "ban_start": 6, "ban_end": 42,  # periods of the Ga/Sb ban
    "licence_start": 12,           # period REE licensing begins
    "licence_share": 0.5,          # CHN REE export quota, share of CHN s0
    "ndpr_floor_usd_per_t": 110000,  # public: USD 110/kg NdPr oxide
    "ndpr_share_of_reo": 0.20,     # NdPr oxide per tonne of REO
    "ndpr_covered_t": 1300,        # NdPr oxide a year under the floor
    "defence_ga": 1e9, "defence_sb": 1.5e9, "defence_w": 2.5e9,
    # defence (public total about USD 5 billion; the split is assumed)
    "ga_intensity": 1e7, "sb_intensity": 1e5, "w_intensity": 2.5e5,
    # USD per t/yr: 100 t/yr Ga, 15,000 t/yr Sb, 10,000 t/yr W
    "defence_lead_years": 3,
    "ree_budget": 2.5e9,           # public: USD 2.5 billion
    "ree_intensity": 50000, "ree_lead_years": 4,
}


def build(world, a=ASSUMPTIONS):
    """build(world) -> crit.Scenario: Project Vault on `world` (which gets
    freight on every arc), as pv_build() in project_vault.h."""
    codes = world.economy_codes
    for m in world.minerals:
        for i in codes:
            for j in codes:
                if i != j:
                    world.set_transport(m.code, i, j,
                                        a["transport_share"] * m.base_price)
    start = dt.date(a["start_year"], a["start_month"], 1)
    sc = crit.Scenario(world, start, a["periods"])

    # The stockpile holds every mineral the United States imports net,
    # sized at 60 days of its participants' demand: one manufacturers'
    # group per mineral, whose demand is U.S. demand.
    with crit.Stockpile(world, "USA", name="Project Vault",
                        cash=a["private_capital"]) as sp:
        for m in world.minerals:
            c = world.curve("USA", m.code)
            d = c.base_demand
            if d <= c.base_production:
                continue  # not a net importer
            p0 = m.base_price
            target = a["target_days"] / 365.0 * d
            sp.add_mineral(m.code,
                           capacity=a["capacity_over_target"] * target,
                           target_unit="days_of_demand",
                           target=a["target_days"],
                           acquisition_rate=target / a["build_years"],
                           release_rate=2 * target,  # empty in six months
                           purchase_trigger=a["purchase_trigger"] * p0,
                           release_trigger=a["release_trigger"] * p0)
            sp.add_participant(f"{m.code} manufacturers", mineral=m.code,
                               demand=d,
                               upfront_fee=a["upfront_fee_share"] * target
                               * p0,
                               annual_fee=a["annual_fee_share"] * target * p0,
                               draw_right=target / 2, draw_price=p0,
                               replenish_rate=target)
        for i in range(a["traders"]):
            sp.add_participant(f"trader {i + 1}", kind="trader",
                               annual_fee=a["trader_fee"])
        sc.add_stockpile(sp)

    # The EXIM loan: drawn on demand, interest only during availability
    availability_end = (crit.add_months(start,
                                        a["loan_availability_months"])
                        - dt.timedelta(days=1))
    with crit.Loan(a["loan_amount"], start,
                   crit.add_months(start, 12 * a["loan_years"]),
                   rate=a["loan_rate"], availability_end=availability_end,
                   amortisation=a["loan_amortisation"]) as loan:
        sc.add_loan(loan, 0)

    # Reference prices at P0 held by adjustable tariffs, for the minerals
    # under restriction; the NdPr floor on U.S. REO
    for code in ("Ga", "Sb", "REE"):
        with crit.Policy(world, code) as pol:
            pol.reference_price = world.mineral(code).base_price
            if code == "REE":
                s0 = world.curve("USA", "REE").base_production
                pol.set_floor("USA",
                              a["ndpr_floor_usd_per_t"]
                              * a["ndpr_share_of_reo"],
                              covered_share=a["ndpr_covered_t"]
                              / a["ndpr_share_of_reo"] / s0)
            sc.set_policy(pol)

    # China's ban on Ga and Sb to the United States, then REE licensing
    for code in ("Ga", "Sb"):
        sc.add_event("export_ban", a["ban_start"], mineral=code,
                     economy="CHN", partner="USA")
        sc.add_event("export_ban_end", a["ban_end"], mineral=code,
                     economy="CHN", partner="USA")
    sc.add_event("export_quota", a["licence_start"], mineral="REE",
                 economy="CHN",
                 value=a["licence_share"]
                 * world.curve("CHN", "REE").base_production)

    # Capacity programmes
    for code, budget, intensity in (("Ga", a["defence_ga"],
                                     a["ga_intensity"]),
                                    ("Sb", a["defence_sb"],
                                     a["sb_intensity"]),
                                    ("W", a["defence_w"], a["w_intensity"])):
        sc.add_programme(crit.Programme(
            "USA", code, budget, intensity,
            lead_time=a["defence_lead_years"], name=f"defence: {code}"))
    sc.add_programme(crit.Programme(
        "USA", "REE", a["ree_budget"], a["ree_intensity"],
        lead_time=a["ree_lead_years"], name="domestic rare earths"))
    return sc


def run(progress=None):
    """run(progress=None) -> crit.Result of Project Vault on the default
    world."""
    with crit.World.default() as world, build(world) as sc:
        return sc.run(progress)


def key_numbers(r):
    """key_numbers(result) -> list of (name, value): the numbers
    `crit-report --csv` prints, summed in the same order as there."""
    price, shortage = r.series("price"), r.series("shortage")
    inv, cover = r.series("inventory"), r.series("cover_days")
    T = r.periods
    out = []
    members = set(r.members)
    for m in ("Ga", "Sb", "REE"):
        k = r.minerals.index(m)
        for e in ("USA", "EU", "CHN"):
            i = r.economies.index(e)
            for t in (0, 12, 36, T - 1):
                out.append((f"price.{m}.{e}.{t}", float(price[t, k, i])))
        sh = 0.0
        for t in range(T):
            for i, e in enumerate(r.economies):
                if e in members:
                    sh += float(shortage[t, k, i])
        out.append((f"shortage.{m}", sh))
        out.append((f"inventory.{m}.end", float(inv[T - 1, 0, k])))
        out.append((f"cover_days.{m}.end", float(cover[T - 1, 0, k])))
    for name, series in (("public_cost", "public_cost"),
                         ("funding_gap", "funding_gap"),
                         ("cfd_net", "cfd_net"),
                         ("levy_revenue", "levy_total"),
                         ("programme_spending", "programme_spending")):
        v = r.series(series).reshape(T, -1)[:, 0]
        total = 0.0
        for t in range(T):
            total += float(v[t])
        out.append((f"total.{name}", total))
    bal = r.series("loan_balance")
    for t in range(11, T, 12):
        out.append((f"loan_balance.{t}", float(bal[t, 0])))
    out.append(("cash.end", float(r.series("cash")[T - 1, 0])))
    return out


def report(r, file=sys.stdout):
    """Print a short report: prices, stockpile cover, loan, public cost."""
    p = print
    dates = r.dates
    T = r.periods
    p(f"Project Vault, {dates[0]} to {dates[-1]} ({T} monthly periods)",
      file=file)
    p("\nPrices (USD/t) inside (USA, EU) and outside (CHN, ROW) the "
      "coalition", file=file)
    price = r.series("price")
    at = [0, 6, 12, 24, 42, 60, T - 1]
    p("           " + "".join(f"{str(dates[t])[:7]:>11}" for t in at),
      file=file)
    for m in ("Ga", "Sb", "REE"):
        k = r.minerals.index(m)
        for n, e in enumerate(("USA", "EU", "CHN", "ROW")):
            i = r.economies.index(e)
            p(f"  {m if n == 0 else '':4} {e:4} "
              + "".join(f"{price[t, k, i]:11.0f}" for t in at), file=file)
    cover = r.wide("cover_days")
    held = [m for m in r.minerals if r.values("target", mineral=m)[0] > 0]
    p(f"\nStockpile '{r.stockpiles[0]}': cover in days of participants' "
      f"demand at the end: " + ", ".join(
          f"{m} {cover[m].iloc[-1]:.1f}" for m in held), file=file)
    bal = r.values("loan_balance")
    p(f"Loan balance at the end: USD {bal[-1] / 1e6:.1f} million; cost to "
      f"the public purse: USD {r.values('public_cost').sum() / 1e6:.1f} "
      f"million", file=file)


def main(argv):
    if "--assumptions" in argv:
        for name, value in ASSUMPTIONS.items():
            print(f"{name},{value:.17g}" if not isinstance(value, str)
                  else f"{name},{value}")
        return 0
    with run() as r:
        if "--csv" in argv:
            for name, value in key_numbers(r):
                print(f"{name},{value:.17g}")
        else:
            report(r)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

/*
 * crit-report: the README's main job. Loads the default world (built from
 * USGS Mineral Commodity Summaries data, crit/data.h), prints its
 * minerals, economies and coalition, a supply-risk table for every
 * mineral, and then runs the Project Vault scenario (project_vault.h) and
 * reports prices inside and outside the coalition, shortages, stockpile
 * cover, the loan and the cost to the public purse.
 *
 * `crit-report --csv` prints only the scenario's key numbers, one per
 * line, at full precision: the Python and Lua examples print the same
 * lines, and a test compares them. `crit-report --assumptions` prints the
 * scenario's assumptions (project_vault.h) the same way, for a test that
 * the three languages build the scenario from the same numbers.
 */
#include <crit.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "project_vault.h"

static void print_world(const crit_world *w)
{
    printf("libcrit %s: the default world\n", crit_version_string());
    printf("Data: %s\n", crit_data_version());

    printf("\nMinerals (base price P0 in USD per tonne of the basis; USGS "
           "prices of 2025)\n");
    printf("  %-9s %-17s %14s  %s\n", "code", "name", "P0 (USD/t)", "basis");
    for (size_t k = 0; k < crit_world_mineral_count(w); k++) {
        crit_mineral_def m;
        crit_mineral_def_init(&m);
        if (crit_world_mineral_get(&m, w, k) == CRIT_OK)
            printf("  %-9s %-17s %14.0f  %s\n", m.code, m.name,
                   m.base_price_usd_per_t, m.basis);
    }

    size_t n = crit_world_economy_count(w);
    printf("\nEconomies (* = coalition member, %zu of %zu)\n",
           crit_world_member_count(w), n);
    for (size_t i = 0; i < n; i++) {
        crit_economy_def e;
        crit_economy_def_init(&e);
        if (crit_world_economy_get(&e, w, i) != CRIT_OK)
            continue;
        int last = i % 3 == 2 || i + 1 == n;
        printf("  %c %-4s %-*s%s", e.member ? '*' : ' ', e.code, last ? 0 : 32,
               e.name, last ? "\n" : "");
    }
}

/* A ratio as a whole percentage in `width` columns, "-" when it is
 * undefined, and, for net import reliance, "E" for a net exporter (as
 * USGS prints it). */
static void print_pct(int rc, double v, int width, int exporter_code)
{
    if (rc == CRIT_OK && exporter_code && v < 0)
        printf(" %*s", width, "E");
    else if (rc == CRIT_OK && isfinite(v))
        printf(" %*.0f%%", width - 1, 100 * v);
    else
        printf(" %*s", width, "-");
}

static void print_risk(const crit_world *w)
{
    printf("\nSupply risk at base: world production (t/yr), HHI of "
           "production shares\n(0-10000), largest producer and its share, "
           "coalition self-sufficiency, and\nthe members' net import "
           "reliance (NIR; E = net exporter)\n\n");
    printf("  %-9s %12s %6s %-4s %5s %6s |", "mineral", "world t/yr", "HHI",
           "top", "share", "self");
    for (size_t i = 0; i < crit_world_economy_count(w); i++) {
        crit_economy_def e;
        crit_economy_def_init(&e);
        if (crit_world_economy_get(&e, w, i) == CRIT_OK && e.member)
            printf(" %6s", e.code);
    }
    printf("\n");
    for (size_t k = 0; k < crit_world_mineral_count(w); k++) {
        const char *m = crit_world_mineral_code(w, k);
        double total = 0, hhi = 0, share = 0, ss = 0;
        size_t top = 0;
        crit_risk_world_production(&total, w, m);
        int rh = crit_risk_hhi(&hhi, w, m);
        int rt = crit_risk_top_producer(&top, &share, w, m);
        printf("  %-9s %12.0f", m, total);
        if (rh == CRIT_OK)
            printf(" %6.0f", hhi);
        else
            printf(" %6s", "-");
        printf(" %-4s", rt == CRIT_OK ? crit_world_economy_code(w, top) : "-");
        print_pct(rt, share, 5, 0);
        int rs = crit_risk_self_sufficiency(&ss, w, m);
        print_pct(rs, ss, 6, 0);
        printf(" |");
        for (size_t i = 0; i < crit_world_economy_count(w); i++) {
            crit_economy_def e;
            crit_economy_def_init(&e);
            if (crit_world_economy_get(&e, w, i) != CRIT_OK || !e.member)
                continue;
            double nir = 0;
            int rn = crit_risk_net_import_reliance(&nir, w, e.code, m);
            print_pct(rn, nir, 6, 1);
        }
        printf("\n");
    }
    printf("\nSources: USGS Mineral Commodity Summaries 2026 (production, "
           "U.S. consumption,\nprices); demand outside the United States "
           "from libcrit's assumptions table.\nEvery number: "
           "crit_data_source(); see docs/data.md.\n");
}

/* ---- the Project Vault scenario ---------------------------------------- */

typedef struct series {
    size_t dims[3];
    double *v;
} series;

static int get(series *out, const crit_result *r, int32_t q)
{
    int32_t rank;
    int rc = crit_result_series_shape(out->dims, &rank, r, q);
    if (rc)
        return rc;
    size_t n = out->dims[0] * out->dims[1] * out->dims[2];
    out->v = malloc((n ? n : 1) * sizeof *out->v);
    if (!out->v)
        return CRIT_ENOMEM;
    return crit_result_series(out->v, n, r, q);
}

static double v3(const series *s, size_t t, size_t a, size_t b)
{
    return s->v[(t * s->dims[1] + a) * s->dims[2] + b];
}

/* The scenario's key numbers (shared with the Python and Lua examples):
 * for each of Ga, Sb, REE, prices in the USA, the EU and China at four
 * dates, the members' shortage over the horizon, the stockpile's
 * inventory at the end; then the loan and the public cost. */
typedef struct key {
    char name[64];
    double value;
} key;

static size_t key_numbers(key *k, size_t cap, const crit_result *r)
{
    const crit_world *w = crit_result_world(r);
    series price, shortage, inv, cover, bal, cost, gap, cfd, levy, prog, cash;
    get(&price, r, CRIT_SERIES_PRICE);
    get(&shortage, r, CRIT_SERIES_SHORTAGE);
    get(&inv, r, CRIT_SERIES_INVENTORY);
    get(&cover, r, CRIT_SERIES_COVER_DAYS);
    get(&bal, r, CRIT_SERIES_LOAN_BALANCE);
    get(&cost, r, CRIT_SERIES_PUBLIC_COST);
    get(&gap, r, CRIT_SERIES_FUNDING_GAP);
    get(&cfd, r, CRIT_SERIES_CFD_NET);
    get(&levy, r, CRIT_SERIES_LEVY_TOTAL);
    get(&prog, r, CRIT_SERIES_PROGRAMME_SPENDING);
    get(&cash, r, CRIT_SERIES_CASH);
    size_t T = price.dims[0], n = 0;
    const char *min[] = {"Ga", "Sb", "REE"};
    const char *eco[] = {"USA", "EU", "CHN"};
    size_t at[] = {0, 12, 36, T - 1};
    for (int m = 0; m < 3; m++) {
        size_t k0;
        crit_world_mineral_index(&k0, w, min[m]);
        for (int e = 0; e < 3; e++) {
            size_t i;
            crit_world_economy_index(&i, w, eco[e]);
            for (int t = 0; t < 4; t++) {
                snprintf(k[n].name, sizeof k[n].name, "price.%s.%s.%zu", min[m],
                         eco[e], at[t]);
                k[n++].value = v3(&price, at[t], k0, i);
            }
        }
        double sh = 0;
        for (size_t t = 0; t < T; t++)
            for (size_t i = 0; i < price.dims[2]; i++) {
                crit_economy_def ed;
                crit_economy_def_init(&ed);
                crit_world_economy_get(&ed, w, i);
                if (ed.member)
                    sh += v3(&shortage, t, k0, i);
            }
        snprintf(k[n].name, sizeof k[n].name, "shortage.%s", min[m]);
        k[n++].value = sh;
        snprintf(k[n].name, sizeof k[n].name, "inventory.%s.end", min[m]);
        k[n++].value = v3(&inv, T - 1, 0, k0);
        snprintf(k[n].name, sizeof k[n].name, "cover_days.%s.end", min[m]);
        k[n++].value = v3(&cover, T - 1, 0, k0);
    }
    double sums[5] = {0};
    for (size_t t = 0; t < T; t++) {
        sums[0] += v3(&cost, t, 0, 0);
        sums[1] += v3(&gap, t, 0, 0);
        sums[2] += v3(&cfd, t, 0, 0);
        sums[3] += v3(&levy, t, 0, 0);
        sums[4] += v3(&prog, t, 0, 0);
    }
    const char *names[] = {"public_cost", "funding_gap", "cfd_net",
                           "levy_revenue", "programme_spending"};
    for (int j = 0; j < 5; j++) {
        snprintf(k[n].name, sizeof k[n].name, "total.%s", names[j]);
        k[n++].value = sums[j];
    }
    for (size_t t = 11; t < T; t += 12) {
        snprintf(k[n].name, sizeof k[n].name, "loan_balance.%zu", t);
        k[n++].value = v3(&bal, t, 0, 0);
    }
    snprintf(k[n].name, sizeof k[n].name, "cash.end");
    k[n++].value = v3(&cash, T - 1, 0, 0);
    series *all[] = {&price, &shortage, &inv,  &cover, &bal, &cost,
                     &gap,   &cfd,      &levy, &prog,  &cash};
    for (size_t j = 0; j < sizeof all / sizeof *all; j++)
        free(all[j]->v);
    (void)cap;
    return n;
}

static void print_scenario(const crit_result *r)
{
    const crit_world *w = crit_result_world(r);
    series price, shortage, inv, cover, bal, cost, gap, cfd, levy, prog, intr,
        fees, draws, target;
    get(&target, r, CRIT_SERIES_TARGET);
    get(&price, r, CRIT_SERIES_PRICE);
    get(&shortage, r, CRIT_SERIES_SHORTAGE);
    get(&inv, r, CRIT_SERIES_INVENTORY);
    get(&cover, r, CRIT_SERIES_COVER_DAYS);
    get(&bal, r, CRIT_SERIES_LOAN_BALANCE);
    get(&cost, r, CRIT_SERIES_PUBLIC_COST);
    get(&gap, r, CRIT_SERIES_FUNDING_GAP);
    get(&cfd, r, CRIT_SERIES_CFD_NET);
    get(&levy, r, CRIT_SERIES_LEVY_TOTAL);
    get(&prog, r, CRIT_SERIES_PROGRAMME_SPENDING);
    get(&intr, r, CRIT_SERIES_LOAN_INTEREST);
    get(&fees, r, CRIT_SERIES_FEES);
    get(&draws, r, CRIT_SERIES_LOAN_DRAWS);
    size_t T = price.dims[0], M = price.dims[1], E = price.dims[2];
    crit_date dates[1024];
    crit_result_dates(dates, sizeof dates / sizeof *dates, r);
    char d0[16], dT[16];
    crit_date_format(d0, sizeof d0, dates[0]);
    crit_date_format(dT, sizeof dT, dates[T]);
    printf("\n\nProject Vault scenario, %s to %s (%zu monthly periods)\n", d0,
           dT, T);
    printf("China bans Ga and Sb exports to the United States from period %d "
           "to %d;\nlicenses REE exports (quota %.0f %% of its output) from "
           "period %d. Reference\nprices at P0 held by adjustable tariffs; "
           "NdPr floor USD %.0f/kg by CfD.\nAssumptions: "
           "examples/c/project_vault.h (one table); docs/scenarios.md.\n",
           (int)pv.ban_start, (int)pv.ban_end, 100 * pv.licence_share,
           (int)pv.licence_start, pv.ndpr_floor_usd_per_t / 1000);

    printf("\nPrices (USD/t) inside (USA, EU, JPN) and outside (CHN, ROW) "
           "the coalition\n");
    const char *min[] = {"Ga", "Sb", "REE"};
    const char *eco[] = {"USA", "EU", "JPN", "CHN", "ROW"};
    size_t at[] = {0, 6, 12, 24, 42, 60, T - 1};
    printf("  %-4s %-8s", "", "");
    for (size_t j = 0; j < sizeof at / sizeof *at; j++) {
        char ds[16];
        crit_date_format(ds, sizeof ds, dates[at[j]]);
        printf(" %11.7s", ds);
    }
    printf("\n");
    for (int m = 0; m < 3; m++) {
        size_t k;
        crit_world_mineral_index(&k, w, min[m]);
        for (int e = 0; e < 5; e++) {
            size_t i;
            crit_world_economy_index(&i, w, eco[e]);
            printf("  %-4s %-8s", e ? "" : min[m], eco[e]);
            for (size_t j = 0; j < sizeof at / sizeof *at; j++)
                printf(" %11.0f", v3(&price, at[j], k, i));
            printf("\n");
        }
    }

    printf("\nShortages: demand unserved at the choke price, tonnes over the "
           "horizon\n");
    int any = 0;
    for (size_t k = 0; k < M; k++) {
        double in = 0, out = 0;
        for (size_t t = 0; t < T; t++)
            for (size_t i = 0; i < E; i++) {
                crit_economy_def ed;
                crit_economy_def_init(&ed);
                crit_world_economy_get(&ed, w, i);
                if (ed.member)
                    in += v3(&shortage, t, k, i);
                else
                    out += v3(&shortage, t, k, i);
            }
        if (in > 0 || out > 0) {
            printf("  %-9s members %12.1f   others %12.1f\n",
                   crit_world_mineral_code(w, k), in, out);
            any = 1;
        }
    }
    if (!any)
        printf("  none: every market cleared below its choke price\n");

    printf("\nStockpile '%s': cover in days of participants' demand "
           "(target %.0f)\n",
           crit_result_stockpile_name(r, 0), pv.target_days);
    printf("  %-9s %8s %8s %8s %8s %14s\n", "mineral", "yr 1", "yr 2", "yr 5",
           "yr 10", "tonnes, end");
    for (size_t k = 0; k < M; k++) {
        if (!(v3(&target, 0, 0, k) > 0))
            continue; /* not held */
        printf("  %-9s", crit_world_mineral_code(w, k));
        size_t yr[] = {11, 23, 59, T - 1};
        for (int j = 0; j < 4; j++)
            printf(" %8.1f", yr[j] < T ? v3(&cover, yr[j], 0, k) : 0.0);
        printf(" %14.1f\n", v3(&inv, T - 1, 0, k));
    }

    printf("\nLoan (USD %.0f billion, %d years, %.2f %% assumed) and public "
           "cost, USD million\n",
           pv.loan_amount / 1e9, (int)pv.loan_years, 100 * pv.loan_rate);
    printf("  %-6s %12s %12s %12s %12s %12s %12s\n", "year", "loan bal.",
           "interest", "fees in", "CfD net", "programmes", "public cost");
    double tot[5] = {0};
    for (size_t y = 0; y * 12 < T; y++) {
        double s[5] = {0};
        for (size_t t = y * 12; t < T && t < y * 12 + 12; t++) {
            s[0] += v3(&intr, t, 0, 0);
            s[1] += v3(&fees, t, 0, 0);
            s[2] += v3(&cfd, t, 0, 0);
            s[3] += v3(&prog, t, 0, 0);
            s[4] += v3(&cost, t, 0, 0);
        }
        size_t last = y * 12 + 11 < T ? y * 12 + 11 : T - 1;
        printf("  %-6zu %12.1f %12.1f %12.1f %12.1f %12.1f %12.1f\n", y + 1,
               v3(&bal, last, 0, 0) / 1e6, s[0] / 1e6, s[1] / 1e6, s[2] / 1e6,
               s[3] / 1e6, s[4] / 1e6);
        for (int j = 0; j < 5; j++)
            tot[j] += s[j];
    }
    double g = 0, lv = 0;
    for (size_t t = 0; t < T; t++)
        g += v3(&gap, t, 0, 0), lv += v3(&levy, t, 0, 0);
    printf("  %-6s %12s %12.1f %12.1f %12.1f %12.1f %12.1f\n", "total", "",
           tot[0] / 1e6, tot[1] / 1e6, tot[2] / 1e6, tot[3] / 1e6,
           tot[4] / 1e6);
    printf(
        "\nCost to the public purse over the horizon: USD %.1f million "
        "(programmes\n%.1f + CfD net %.1f + stockpile funding gaps %.1f - "
        "levy revenue %.1f).\nThe loan is repaid in one bullet at its maturity "
        "(%d), from the sale or\nrollover of the stock; its balance at the "
        "end of the horizon is USD %.1f million.\n",
        tot[4] / 1e6, tot[3] / 1e6, tot[2] / 1e6, g / 1e6, lv / 1e6,
        (int)(pv.start_year + pv.loan_years), v3(&bal, T - 1, 0, 0) / 1e6);
    series *all[] = {&price, &shortage, &inv,  &cover, &bal,  &cost,  &gap,
                     &cfd,   &levy,     &prog, &intr,  &fees, &draws, &target};
    for (size_t j = 0; j < sizeof all / sizeof *all; j++)
        free(all[j]->v);
}

/* The assumptions of project_vault.h, one `name,value` line each in the
 * table's order (numbers at full precision, the amortisation by name). */
static void print_assumptions(void)
{
    static const char *const amortisation[] = {"annuity", "equal_principal",
                                               "bullet", "sculpted"};
#define N(field) printf(#field ",%.17g\n", (double)pv.field)
    N(start_year);
    N(start_month);
    N(periods);
    N(transport_share);
    N(target_days);
    N(capacity_over_target);
    N(build_years);
    N(purchase_trigger);
    N(release_trigger);
    N(upfront_fee_share);
    N(annual_fee_share);
    N(traders);
    N(trader_fee);
    N(loan_amount);
    N(loan_years);
    N(loan_rate);
    N(loan_availability_months);
    printf("loan_amortisation,%s\n", amortisation[pv.loan_amortisation]);
    N(private_capital);
    N(ban_start);
    N(ban_end);
    N(licence_start);
    N(licence_share);
    N(ndpr_floor_usd_per_t);
    N(ndpr_share_of_reo);
    N(ndpr_covered_t);
    N(defence_ga);
    N(defence_sb);
    N(defence_w);
    N(ga_intensity);
    N(sb_intensity);
    N(w_intensity);
    N(defence_lead_years);
    N(ree_budget);
    N(ree_intensity);
    N(ree_lead_years);
#undef N
}

static int run_vault(crit_result **out)
{
    crit_world *w = NULL;
    crit_scenario *sc = NULL;
    int rc = crit_world_default(&w);
    if (!rc)
        rc = pv_build(&sc, w);
    if (!rc)
        rc = crit_scenario_run(out, sc, NULL, NULL);
    crit_scenario_free(sc);
    crit_world_free(w);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--assumptions")) {
        print_assumptions();
        return 0;
    }
    int csv = argc > 1 && !strcmp(argv[1], "--csv");
    crit_world *w = NULL;
    crit_result *r = NULL;
    int rc = csv ? CRIT_OK : crit_world_default(&w);
    if (!rc && !csv) {
        print_world(w);
        print_risk(w);
    }
    if (!rc)
        rc = run_vault(&r);
    if (rc != CRIT_OK) {
        fprintf(stderr, "crit-report: %s: %s\n", crit_strerror(rc),
                crit_error_last());
        crit_world_free(w);
        return 1;
    }
    if (csv) {
        key k[128];
        size_t n = key_numbers(k, 128, r);
        for (size_t j = 0; j < n; j++)
            printf("%s,%.17g\n", k[j].name, k[j].value);
    } else {
        print_scenario(r);
    }
    crit_result_free(r);
    crit_world_free(w);
    return 0;
}

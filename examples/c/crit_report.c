/*
 * crit-report: the README's main job. Loads the default world (built from
 * USGS Mineral Commodity Summaries data, crit/data.h), prints its
 * minerals, economies and coalition, and a supply-risk table for every
 * mineral.
 */
#include <crit.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

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

int main(void)
{
    crit_world *w = NULL;
    int rc = crit_world_default(&w);
    if (rc != CRIT_OK) {
        fprintf(stderr, "crit-report: %s: %s\n", crit_strerror(rc),
                crit_error_last());
        return 1;
    }
    print_world(w);
    print_risk(w);
    crit_world_free(w);
    return 0;
}

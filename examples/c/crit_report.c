/*
 * crit-report: the README's main job. Loads a world, prints its minerals,
 * economies and coalition, and a supply-risk table for every mineral.
 */
#include <crit.h>

#include <stdio.h>

#include "demo_world.h"

static void print_world(const crit_world *w)
{
    printf("libcrit %s\n\nMinerals\n", crit_version_string());
    printf("  %-10s %-26s %-16s %14s %14s\n", "code", "name", "basis",
           "P0 (USD/t)", "Pmax (USD/t)");
    for (size_t k = 0; k < crit_world_mineral_count(w); k++) {
        crit_mineral_def m;
        crit_mineral_def_init(&m);
        if (crit_world_mineral_get(&m, w, k) == CRIT_OK)
            printf("  %-10s %-26s %-16s %14.0f %14.0f\n", m.code, m.name,
                   m.basis, m.base_price_usd_per_t, m.choke_price_usd_per_t);
    }
    printf("\nEconomies (* = coalition member, %zu of %zu)\n",
           crit_world_member_count(w), crit_world_economy_count(w));
    for (size_t i = 0; i < crit_world_economy_count(w); i++) {
        crit_economy_def e;
        crit_economy_def_init(&e);
        if (crit_world_economy_get(&e, w, i) == CRIT_OK)
            printf("  %c %-5s %s\n", e.member ? '*' : ' ', e.code, e.name);
    }
}

/* Print a ratio as a percentage, or "n/a" when it is undefined. */
static void print_pct(int rc, double v)
{
    if (rc == CRIT_OK)
        printf(" %8.1f%%", 100 * v);
    else
        printf(" %9s", "n/a");
}

static void print_risk(const crit_world *w)
{
    printf("\nSupply risk at base (HHI 0-10000; NIR = net import reliance)\n");
    printf("  %-10s %14s %7s %-5s %9s %9s |", "mineral", "world (t/yr)", "HHI",
           "top", "share", "self-suff");
    for (size_t i = 0; i < crit_world_economy_count(w); i++) {
        crit_economy_def e;
        crit_economy_def_init(&e);
        crit_world_economy_get(&e, w, i);
        if (e.member)
            printf(" %9s", e.code);
    }
    printf("\n");
    for (size_t k = 0; k < crit_world_mineral_count(w); k++) {
        const char *m = crit_world_mineral_code(w, k);
        double total = 0, hhi = 0, share = 0, ss = 0;
        size_t top = 0;
        crit_risk_world_production(&total, w, m);
        int rh = crit_risk_hhi(&hhi, w, m);
        int rt = crit_risk_top_producer(&top, &share, w, m);
        printf("  %-10s %14.0f", m, total);
        if (rh == CRIT_OK)
            printf(" %7.0f", hhi);
        else
            printf(" %7s", "n/a");
        printf(" %-5s", rt == CRIT_OK ? crit_world_economy_code(w, top) : "-");
        print_pct(rt, share);
        int rs = crit_risk_self_sufficiency(&ss, w, m);
        print_pct(rs, ss);
        printf(" |");
        for (size_t i = 0; i < crit_world_economy_count(w); i++) {
            crit_economy_def e;
            crit_economy_def_init(&e);
            crit_world_economy_get(&e, w, i);
            if (!e.member)
                continue;
            double nir = 0;
            int rn = crit_risk_net_import_reliance(&nir, w, e.code, m);
            print_pct(rn, nir);
        }
        printf("\n");
    }
}

int main(void)
{
    crit_world *w = NULL;
    int rc = crit_demo_world(&w);
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

/*
 * Deterministic test worlds for the io tests, the io benchmark and the
 * fuzz seed corpus: every kind of datum a world holds (names, bases,
 * default and explicit choke prices, curves, transport, specific and ad
 * valorem tariffs, export taxes and subsidies, both kinds of ban, quotas,
 * membership), built through the public API only.
 */
#ifndef CRIT_TEST_IO_WORLDS_H
#define CRIT_TEST_IO_WORLDS_H

#include <crit.h>

#include <stdio.h>

/* Returns a crit status; *out is set only on success. */
static int io_test_world(crit_world **out, size_t n_eco, size_t n_min)
{
    crit_world *w;
    int rc = crit_world_new(&w);
    if (rc)
        return rc;
    char code[32], name[64], basis[64];
    for (size_t i = 0; i < n_eco && !rc; i++) {
        crit_economy_def e;
        crit_economy_def_init(&e);
        snprintf(code, sizeof code, "E%03zu", i);
        snprintf(name, sizeof name, "Economy %zu, \"quoted\"", i);
        e.code = code;
        e.name = i % 4 == 1 ? NULL : name;
        e.member = i % 3 == 0;
        rc = crit_world_add_economy(w, &e);
    }
    for (size_t k = 0; k < n_min && !rc; k++) {
        crit_mineral_def m;
        crit_mineral_def_init(&m);
        snprintf(code, sizeof code, "M%zu.x", k);
        snprintf(name, sizeof name, "Mineral %zu", k);
        snprintf(basis, sizeof basis, "contained M%zu", k);
        m.code = code;
        m.name = name;
        m.basis = k % 2 ? basis : NULL;
        m.base_price_usd_per_t = 1000.0 * (double)(k + 1) + 0.5;
        m.choke_price_usd_per_t = k % 3 ? 0 : 12.25 * m.base_price_usd_per_t;
        m.holding_cost_usd_per_t_yr = 25.0 + (double)k;
        rc = crit_world_add_mineral(w, &m);
        if (rc)
            break;
        char mc[32];
        snprintf(mc, sizeof mc, "%s", code);
        for (size_t i = 0; i < n_eco && !rc; i++) {
            char ec[32], ej[32];
            snprintf(ec, sizeof ec, "E%03zu", i);
            if ((i + k) % 3 != 2) {
                crit_curve_def c;
                crit_curve_def_init(&c);
                c.base_production_t_per_yr = (double)((i * 37 + k * 11) % 500);
                c.capacity_t_per_yr = c.base_production_t_per_yr * 1.25 + 1;
                c.supply_elasticity = 0.1 * (double)(i % 7);
                c.base_demand_t_per_yr = (double)((i * 53 + k * 7) % 400) + 0.5;
                c.demand_elasticity = 0.05 * (double)(i % 9);
                rc = crit_world_set_curve(w, ec, mc, &c);
            }
            for (size_t j = 0; j < n_eco && !rc; j++) {
                if (i == j)
                    continue;
                snprintf(ej, sizeof ej, "E%03zu", j);
                double t = 20.0 + (double)((i * 7 + j * 13 + k) % 200) * 0.25;
                rc = crit_world_set_transport(w, mc, ec, ej, t);
                if (!rc && (i + 2 * j + k) % 10 == 0)
                    rc = crit_world_set_tariff(w, mc, ec, ej, 5.0,
                                               (i + j) % 2 ? 0.25 : 0.1);
                if (!rc && (i * 3 + j + k) % 17 == 0)
                    rc = crit_world_set_export_ban(w, mc, ec, ej, 1);
                if (!rc && (i + j * 5 + k) % 19 == 0)
                    rc = crit_world_set_import_ban(w, mc, ej, ec, 1);
            }
            if (!rc && i % 5 == 2) /* a subsidy: flooding the market */
                rc = crit_world_set_export_tax(w, mc, ec, -5.0, -0.0001);
            else if (!rc && i % 5 == 3)
                rc = crit_world_set_export_tax(w, mc, ec, 2.5, 0.05);
            if (!rc && i % 6 == 4)
                rc = crit_world_set_export_quota(w, mc, ec, 100.0 + (double)i);
        }
    }
    if (rc) {
        crit_world_free(w);
        return rc;
    }
    *out = w;
    return 0;
}

#endif

#include "demo_world.h"

#include <stddef.h>

struct demo_mineral {
    const char *code, *name, *basis;
    double p0; /* USD/t */
};

struct demo_economy {
    const char *code, *name;
    int32_t member;
};

/* Base production and demand, t/yr, per economy (same order as below). */
struct demo_curve {
    const char *mineral, *economy;
    double s0, d0;
};

static const struct demo_mineral minerals[] = {
    {"Ga", "Gallium", "contained Ga", 400000.0},
    {"NdPr", "Neodymium-praseodymium", "NdPr oxide", 60000.0},
    {"graphite", "Natural graphite", "graphite", 1000.0},
};

static const struct demo_economy economies[] = {
    {"CHN", "China", 0},         {"USA", "United States", 1},
    {"JPN", "Japan", 1},         {"AUS", "Australia", 1},
    {"EU", "European Union", 1}, {"KOR", "Republic of Korea", 1},
    {"MOZ", "Mozambique", 0},    {"ROW", "Rest of world", 0},
};

static const struct demo_curve curves[] = {
    {"Ga", "CHN", 750, 450},
    {"Ga", "USA", 0, 20},
    {"Ga", "JPN", 3, 110},
    {"Ga", "EU", 0, 60},
    {"Ga", "KOR", 2, 50},
    {"Ga", "ROW", 5, 70},
    {"NdPr", "CHN", 62000, 55000},
    {"NdPr", "USA", 1500, 1500},
    {"NdPr", "JPN", 0, 6000},
    {"NdPr", "AUS", 6500, 0},
    {"NdPr", "EU", 0, 3500},
    {"NdPr", "KOR", 0, 1000},
    {"NdPr", "ROW", 4000, 7000},
    {"graphite", "CHN", 1270000, 1000000},
    {"graphite", "USA", 0, 80000},
    {"graphite", "JPN", 0, 60000},
    {"graphite", "EU", 20000, 150000},
    {"graphite", "KOR", 0, 60000},
    {"graphite", "MOZ", 75000, 0},
    {"graphite", "ROW", 235000, 250000},
};

int crit_demo_world(crit_world **out)
{
    crit_world *w = NULL;
    int rc = crit_world_new(&w);
    for (size_t k = 0; !rc && k < sizeof minerals / sizeof *minerals; k++) {
        crit_mineral_def d;
        crit_mineral_def_init(&d);
        d.code = minerals[k].code;
        d.name = minerals[k].name;
        d.basis = minerals[k].basis;
        d.base_price_usd_per_t = minerals[k].p0;
        rc = crit_world_add_mineral(w, &d);
    }
    for (size_t i = 0; !rc && i < sizeof economies / sizeof *economies; i++) {
        crit_economy_def d;
        crit_economy_def_init(&d);
        d.code = economies[i].code;
        d.name = economies[i].name;
        d.member = economies[i].member;
        rc = crit_world_add_economy(w, &d);
    }
    for (size_t c = 0; !rc && c < sizeof curves / sizeof *curves; c++) {
        crit_curve_def d;
        crit_curve_def_init(&d);
        d.base_production_t_per_yr = curves[c].s0;
        d.capacity_t_per_yr = curves[c].s0 * 1.2;
        d.supply_elasticity = 0.5;
        d.base_demand_t_per_yr = curves[c].d0;
        d.demand_elasticity = 0.3;
        rc = crit_world_set_curve(w, curves[c].economy, curves[c].mineral, &d);
    }
    if (rc) {
        crit_world_free(w);
        return rc;
    }
    *out = w;
    return 0;
}

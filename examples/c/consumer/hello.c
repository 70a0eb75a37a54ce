/*
 * A program that uses an *installed* libcrit, built either with
 * pkg-config (Makefile) or with CMake's find_package(crit)
 * (CMakeLists.txt). It checks that the headers it was compiled with match
 * the library it runs with, builds a two-economy world and prints the
 * concentration of its production.
 */
#include <crit.h>

#include <stdio.h>

static int fail(const char *what, int rc)
{
    fprintf(stderr, "hello: %s: %s (%s)\n", what, crit_strerror(rc),
            crit_error_last());
    return 1;
}

int main(void)
{
    crit_world *world = NULL;
    crit_mineral_def mineral;
    crit_economy_def economy;
    crit_curve_def curve;
    size_t top = 0;
    double hhi = 0.0, share = 0.0;
    int rc;

    printf("libcrit %s (headers %s)\n", crit_version_string(),
           CRIT_VERSION_STRING);
    if (crit_version_number() / 10000 != CRIT_VERSION_MAJOR) {
        fprintf(stderr, "hello: library and headers differ in major "
                        "version\n");
        return 1;
    }

    rc = crit_world_new(&world);
    if (rc != CRIT_OK)
        return fail("crit_world_new", rc);

    crit_mineral_def_init(&mineral);
    mineral.code = "Ga";
    mineral.base_price_usd_per_t = 400000.0;
    rc = crit_world_add_mineral(world, &mineral);

    crit_economy_def_init(&economy);
    economy.code = "AAA";
    economy.member = 1;
    if (rc == CRIT_OK)
        rc = crit_world_add_economy(world, &economy);
    economy.code = "BBB";
    economy.member = 0;
    if (rc == CRIT_OK)
        rc = crit_world_add_economy(world, &economy);

    /* AAA produces 30 t/yr, BBB 10 t/yr: shares 75% and 25%. */
    crit_curve_def_init(&curve);
    curve.base_production_t_per_yr = 30.0;
    curve.capacity_t_per_yr = 40.0;
    curve.base_demand_t_per_yr = 5.0;
    if (rc == CRIT_OK)
        rc = crit_world_set_curve(world, "AAA", "Ga", &curve);
    curve.base_production_t_per_yr = 10.0;
    curve.capacity_t_per_yr = 10.0;
    curve.base_demand_t_per_yr = 35.0;
    if (rc == CRIT_OK)
        rc = crit_world_set_curve(world, "BBB", "Ga", &curve);
    if (rc == CRIT_OK)
        rc = crit_risk_hhi(&hhi, world, "Ga");
    if (rc == CRIT_OK)
        rc = crit_risk_top_producer(&top, &share, world, "Ga");
    if (rc != CRIT_OK) {
        crit_world_free(world);
        return fail("building the world", rc);
    }

    printf("Ga: HHI %.0f, largest producer %s with %.0f%%\n", hhi,
           crit_world_economy_code(world, top), 100.0 * share);
    crit_world_free(world);
    return 0;
}

#define _POSIX_C_SOURCE 200809L
/*
 * bench_scenario: the time of one deterministic Project Vault run on the
 * default world (every mineral, 120 monthly periods), as crit-report runs
 * it (examples/c/project_vault.h). The scenario is built once; the run is
 * repeated and the median reported. No peer: nothing else runs this
 * model.
 */
#include <crit.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../../examples/c/project_vault.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(void)
{
    crit_world *w = NULL;
    crit_scenario *sc = NULL;
    int rc = crit_world_default(&w);
    if (!rc)
        rc = pv_build(&sc, w);
    if (rc) {
        fprintf(stderr, "bench_scenario: %s\n", crit_error_last());
        return 1;
    }
    enum { REPS = 7 };
    double t[REPS];
    for (int r = 0; r < REPS; r++) {
        crit_result *res = NULL;
        double t0 = now();
        rc = crit_scenario_run(&res, sc, NULL, NULL);
        t[r] = now() - t0;
        crit_result_free(res);
        if (rc) {
            fprintf(stderr, "bench_scenario: %s\n", crit_error_last());
            return 1;
        }
    }
    qsort(t, REPS, sizeof *t, cmp);
    /* the run's size goes into the name: DESIGN.md's BENCH line has no
       other fields */
    printf("BENCH name=scenario_project_vault_run_m%zu_p%d value=%.4f "
           "unit=s\n",
           crit_world_mineral_count(w), (int)pv.periods, t[REPS / 2]);
    crit_scenario_free(sc);
    crit_world_free(w);
    return 0;
}

/*
 * bench_io: snapshot save and load throughput and file size on a large
 * world, against a peer (Python's json + gzip of the same data, nested
 * lists, run by tests/bench/peer_io.py in the same run). Built, not run by
 * CTest. Throughput is MB/s (10^6 bytes) of uncompressed state: the bytes
 * of the world's values as the snapshot holds them (8 per double, 1 per
 * ban flag), the same for both sides. Times are the best of REPS runs and
 * include fsync on both sides.
 *
 * Usage: bench_io [economies minerals [random]]   (default 160 economies,
 * 30 minerals). The default world (tests/unit/io_worlds.h) is regular;
 * "random" overwrites its curves, transport costs and tariffs with
 * pseudo-random values rounded as data usually is (whole tonnes, cents,
 * two-decimal elasticities), a harder case for both compressors.
 *
 * Then the same for a scenario with its result (the io_scenario_* lines):
 * the Project Vault scenario (examples/c/project_vault.h) on the default
 * world, run once, saved with crit_io_save_scenario and loaded with
 * crit_io_load_scenario. Its state is the world's values as above plus
 * 8 bytes per value of every result series and 4 per period date; the
 * peer saves and loads the same world and the result's series as nested
 * lists of their shapes (the scenario's definition, a few kB that only
 * libcrit's file holds, is not counted).
 */
#define _POSIX_C_SOURCE 200809L

#include <crit.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../unit/io_worlds.h"

#include "../../examples/c/project_vault.h"

#define REPS 5

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

/* Uniform in [lo, hi), rounded to `dec` decimals (splitmix64). */
static double uniform(double lo, double hi, int dec)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    z ^= z >> 31;
    double u = (double)(z >> 11) / 9007199254740992.0;
    double scale = dec == 0 ? 1 : dec == 1 ? 10 : dec == 2 ? 100 : 1000;
    return (double)(int64_t)((lo + u * (hi - lo)) * scale) / scale;
}

static int check(int rc, const char *what);

static void randomise(crit_world *w)
{
    size_t n = crit_world_economy_count(w), m = crit_world_mineral_count(w);
    for (size_t k = 0; k < m; k++) {
        const char *mc = crit_world_mineral_code(w, k);
        for (size_t i = 0; i < n; i++) {
            const char *ec = crit_world_economy_code(w, i);
            crit_curve_def c;
            crit_curve_def_init(&c);
            c.base_production_t_per_yr = uniform(0, 1e5, 0);
            c.capacity_t_per_yr =
                c.base_production_t_per_yr + uniform(0, 2e4, 0);
            c.supply_elasticity = uniform(0, 1.5, 2);
            c.base_demand_t_per_yr = uniform(0, 1e5, 0);
            c.demand_elasticity = uniform(0, 1, 2);
            check(crit_world_set_curve(w, ec, mc, &c), "curve");
            check(crit_world_set_export_tax(w, mc, ec, 0, 0), "tax");
            for (size_t j = 0; j < n; j++) {
                if (i == j)
                    continue;
                const char *ej = crit_world_economy_code(w, j);
                check(
                    crit_world_set_transport(w, mc, ec, ej, uniform(5, 400, 2)),
                    "transport");
                double r = uniform(0, 1, 2);
                check(crit_world_set_tariff(w, mc, ec, ej,
                                            r < 0.2 ? uniform(0, 50, 2) : 0,
                                            r < 0.1 ? 0.25 : 0),
                      "tariff");
            }
        }
    }
}

static int check(int rc, const char *what)
{
    if (rc != CRIT_OK) {
        fprintf(stderr, "bench_io: %s: %s\n", what, crit_error_last());
        exit(1);
    }
    return rc;
}

/* The bytes of a world's values as a snapshot holds them (see main). */
static double world_state(const crit_world *w)
{
    double n = (double)crit_world_economy_count(w);
    double m = (double)crit_world_mineral_count(w);
    return m * (8.0 * (3 + 8 * n + 3 * n * (n - 1)) + n * (n - 1));
}

/* Run the peer on DIR; 1 when it printed its three numbers. */
static int run_peer(const char *dir, const char *extra, double out[3])
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s %s/peer_io.py %s %d%s", CRIT_BENCH_PYTHON,
             CRIT_BENCH_DIR, dir, REPS, extra);
    FILE *p = popen(cmd, "r");
    int ok = p && fscanf(p, "%lf %lf %lf", &out[0], &out[1], &out[2]) == 3;
    if (p)
        pclose(p);
    return ok;
}

static void export_world_csv(const char *dir, const crit_world *w)
{
    static const char *names[] = {"",       "minerals", "economies",
                                  "curves", "arcs",     "exports"};
    char path[512];
    for (int t = 1; t <= 5; t++) {
        snprintf(path, sizeof path, "%s/%s.csv", dir, names[t]);
        check(crit_io_csv_export(path, w, t, NULL), "csv export");
    }
}

static void remove_dir(const char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_io: could not remove %s\n", dir);
}

static int same_result(const crit_result *a, const crit_result *b)
{
    for (int32_t q = 0; q < CRIT_SERIES_COUNT; q++) {
        size_t da[3], db[3];
        check(crit_result_series_shape(da, NULL, a, q), "shape");
        check(crit_result_series_shape(db, NULL, b, q), "shape");
        size_t len = da[0] * da[1] * da[2];
        if (memcmp(da, db, sizeof da) != 0)
            return 0;
        double *x = malloc((len ? len : 1) * sizeof *x);
        double *y = malloc((len ? len : 1) * sizeof *y);
        if (!x || !y)
            exit(1);
        check(crit_result_series(x, len, a, q), "series");
        check(crit_result_series(y, len, b, q), "series");
        int same = memcmp(x, y, len * sizeof *x) == 0;
        free(x);
        free(y);
        if (!same)
            return 0;
    }
    return 1;
}

/* Save and load the Project Vault scenario with its result. */
static int bench_scenario(const char *dir)
{
    crit_world *w = NULL;
    crit_scenario *sc = NULL;
    crit_result *res = NULL;
    check(crit_world_default(&w), "default world");
    check(pv_build(&sc, w), "project vault");
    check(crit_scenario_run(&res, sc, NULL, NULL), "run");
    size_t T;
    check(crit_result_dims(&T, NULL, NULL, NULL, NULL, res), "dims");
    double state = world_state(w) + 4.0 * (double)(T + 1);
    char path[512];
    snprintf(path, sizeof path, "%s/shapes.txt", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return 1;
    for (int32_t q = 0; q < CRIT_SERIES_COUNT; q++) {
        size_t d[3];
        check(crit_result_series_shape(d, NULL, res, q), "shape");
        state += 8.0 * (double)(d[0] * d[1] * d[2]);
        fprintf(f, "%s %zu %zu %zu\n", crit_series_name(q), d[0], d[1], d[2]);
    }
    fclose(f);
    snprintf(path, sizeof path, "%s/scenario.crit", dir);
    double save = 1e30, load = 1e30;
    for (int r = 0; r < REPS; r++) {
        crit_scenario *s2 = NULL;
        crit_result *r2 = NULL;
        double t0 = now();
        check(crit_io_save_scenario(path, sc, res, NULL), "save scenario");
        double t1 = now();
        check(crit_io_load_scenario(&s2, &r2, path, NULL), "load scenario");
        double t2 = now();
        if (!r2 || !same_result(res, r2)) {
            fprintf(stderr, "bench_io: scenario round trip differs\n");
            return 1;
        }
        crit_result_free(r2);
        crit_scenario_free(s2);
        save = t1 - t0 < save ? t1 - t0 : save;
        load = t2 - t1 < load ? t2 - t1 : load;
    }
    struct stat st;
    stat(path, &st);
    /* the peer's input: the world's tables and the result's tidy CSV */
    export_world_csv(dir, w);
    snprintf(path, sizeof path, "%s/result.csv", dir);
    check(crit_io_csv_export_result(path, res, NULL), "result csv");
    double peer[3];
    int ok = run_peer(dir, " scenario", peer);
    double mb = state / 1e6;
    printf("# scenario: Project Vault on the default world (%zu economies, "
           "%zu minerals), %zu periods, with its result; state %.1f MB; "
           "file %.2f MB\n",
           crit_world_economy_count(w), crit_world_mineral_count(w), T, mb,
           (double)st.st_size / 1e6);
    if (!ok) {
        fprintf(stderr, "bench_io: the Python peer failed (scenario)\n");
        printf("BENCH name=io_scenario_save_throughput value=%.1f unit=MB/s\n",
               mb / save);
        printf("BENCH name=io_scenario_load_throughput value=%.1f unit=MB/s\n",
               mb / load);
        printf("BENCH name=io_scenario_file_size value=%.0f unit=bytes\n",
               (double)st.st_size);
    } else {
        printf("BENCH name=io_scenario_save_throughput value=%.1f unit=MB/s "
               "peer=python_json_gzip peer_value=%.1f ratio=%.1f\n",
               mb / save, mb / peer[0], peer[0] / save);
        printf("BENCH name=io_scenario_load_throughput value=%.1f unit=MB/s "
               "peer=python_json_gzip peer_value=%.1f ratio=%.1f\n",
               mb / load, mb / peer[1], peer[1] / load);
        printf("BENCH name=io_scenario_file_size value=%.0f unit=bytes "
               "peer=python_json_gzip peer_value=%.0f ratio=%.2f\n",
               (double)st.st_size, peer[2], peer[2] / (double)st.st_size);
    }
    crit_result_free(res);
    crit_scenario_free(sc);
    crit_world_free(w);
    return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
    size_t n = 160, m = 30;
    int random = argc == 4 && strcmp(argv[3], "random") == 0;
    if (argc >= 3) {
        n = (size_t)strtoul(argv[1], NULL, 10);
        m = (size_t)strtoul(argv[2], NULL, 10);
    }
    char dir[] = "/tmp/bench_io_XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    crit_world *w = NULL, *back = NULL;
    check(io_test_world(&w, n, m), "build world");
    if (random)
        randomise(w);
    double state = world_state(w);
    char path[256];
    snprintf(path, sizeof path, "%s/world.crit", dir);
    double save = 1e30, load = 1e30;
    for (int r = 0; r < REPS; r++) {
        double t0 = now();
        check(crit_io_save(path, w, NULL), "save");
        double t1 = now();
        check(crit_io_load(&back, path, NULL), "load");
        double t2 = now();
        if (!crit_world_equal(w, back)) {
            fprintf(stderr, "bench_io: round trip differs\n");
            return 1;
        }
        crit_world_free(back);
        save = t1 - t0 < save ? t1 - t0 : save;
        load = t2 - t1 < load ? t2 - t1 : load;
    }
    struct stat st;
    stat(path, &st);
    /* the peer's input: the world as CSV tables (not timed) */
    export_world_csv(dir, w);
    double peer[3];
    int ok = run_peer(dir, "", peer);
    double psave = peer[0], pload = peer[1], psize = peer[2];
    printf("# world: %zu economies, %zu minerals%s; state %.1f MB; "
           "file %.2f MB\n",
           n, m, random ? " (random values)" : "", state / 1e6,
           (double)st.st_size / 1e6);
    double mb = state / 1e6;
    const char *tag = random ? "_random" : "";
    if (!ok) {
        fprintf(stderr, "bench_io: the Python peer failed\n");
        printf("BENCH name=io_save_throughput%s value=%.1f unit=MB/s\n", tag,
               mb / save);
        printf("BENCH name=io_load_throughput%s value=%.1f unit=MB/s\n", tag,
               mb / load);
        printf("BENCH name=io_file_size%s value=%.0f unit=bytes\n", tag,
               (double)st.st_size);
        crit_world_free(w);
        bench_scenario(dir);
        remove_dir(dir);
        return 1;
    }
    printf("BENCH name=io_save_throughput%s value=%.1f unit=MB/s "
           "peer=python_json_gzip peer_value=%.1f ratio=%.1f\n",
           tag, mb / save, mb / psave, psave / save);
    printf("BENCH name=io_load_throughput%s value=%.1f unit=MB/s "
           "peer=python_json_gzip peer_value=%.1f ratio=%.1f\n",
           tag, mb / load, mb / pload, pload / load);
    /* for size, ratio is how many times smaller libcrit's file is */
    printf("BENCH name=io_file_size%s value=%.0f unit=bytes "
           "peer=python_json_gzip peer_value=%.0f ratio=%.2f\n",
           tag, (double)st.st_size, psize, psize / (double)st.st_size);
    crit_world_free(w);
    int rc = bench_scenario(dir);
    remove_dir(dir);
    return rc;
}

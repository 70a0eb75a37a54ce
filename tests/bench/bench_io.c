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
    crit_world *w, *back = NULL;
    check(io_test_world(&w, n, m), "build world");
    if (random)
        randomise(w);
    double state = (double)m * (8.0 * (double)(3 + 8 * n + 3 * n * (n - 1)) +
                                (double)(n * (n - 1)));
    char path[256], cmd[1024];
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
    static const char *names[] = {"",       "minerals", "economies",
                                  "curves", "arcs",     "exports"};
    for (int t = 1; t <= 5; t++) {
        snprintf(cmd, sizeof cmd, "%s/%s.csv", dir, names[t]);
        check(crit_io_csv_export(cmd, w, t, NULL), "csv export");
    }
    snprintf(cmd, sizeof cmd, "%s %s/peer_io.py %s %d", CRIT_BENCH_PYTHON,
             CRIT_BENCH_DIR, dir, REPS);
    FILE *p = popen(cmd, "r");
    double psave = 0, pload = 0, psize = 0;
    int ok = p && fscanf(p, "%lf %lf %lf", &psave, &pload, &psize) == 3;
    if (p)
        pclose(p);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_io: could not remove %s\n", dir);
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
    return 0;
}

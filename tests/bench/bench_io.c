/*
 * bench_io: snapshot save and load throughput and file size on a large
 * world, against a peer (Python's json + gzip of the same data, nested
 * lists, run by tests/bench/peer_io.py in the same run). Built, not run by
 * CTest. Throughput is MB/s (10^6 bytes) of uncompressed state: the bytes
 * of the world's values as the snapshot holds them (8 per double, 1 per
 * ban flag), the same for both sides. Times are the best of REPS runs and
 * include fsync on both sides.
 *
 * Usage: bench_io [economies minerals]   (default 160 economies, 30
 * minerals)
 */
#define _POSIX_C_SOURCE 200809L

#include <crit.h>

#include <stdio.h>
#include <stdlib.h>
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
    if (argc == 3) {
        n = (size_t)strtoul(argv[1], NULL, 10);
        m = (size_t)strtoul(argv[2], NULL, 10);
    }
    char dir[] = "/tmp/bench_io_XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    crit_world *w, *back = NULL;
    check(io_test_world(&w, n, m), "build world");
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
    printf("# world: %zu economies, %zu minerals; state %.1f MB; "
           "file %.2f MB\n",
           n, m, state / 1e6, (double)st.st_size / 1e6);
    double mb = state / 1e6;
    if (!ok) {
        fprintf(stderr, "bench_io: the Python peer failed\n");
        printf("BENCH name=io_save_throughput value=%.1f unit=MB/s\n",
               mb / save);
        printf("BENCH name=io_load_throughput value=%.1f unit=MB/s\n",
               mb / load);
        printf("BENCH name=io_file_size value=%.0f unit=bytes\n",
               (double)st.st_size);
        crit_world_free(w);
        return 1;
    }
    printf("BENCH name=io_save_throughput value=%.1f unit=MB/s "
           "peer=python_json_gzip peer_value=%.1f ratio=%.1f\n",
           mb / save, mb / psave, psave / save);
    printf("BENCH name=io_load_throughput value=%.1f unit=MB/s "
           "peer=python_json_gzip peer_value=%.1f ratio=%.1f\n",
           mb / load, mb / pload, pload / load);
    /* for size, ratio is how many times smaller libcrit's file is */
    printf("BENCH name=io_file_size value=%.0f unit=bytes "
           "peer=python_json_gzip peer_value=%.0f ratio=%.2f\n",
           (double)st.st_size, psize, psize / (double)st.st_size);
    crit_world_free(w);
    return 0;
}

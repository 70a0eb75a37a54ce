/*
 * The io module through <crit.h> and libcrit.so only: a snapshot and a CSV
 * round trip, and a refused file, prove that the io symbols are exported
 * and work from outside the library.
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <crit.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static crit_world *small_world(void)
{
    crit_world *w;
    assert_int_equal(crit_world_new(&w), CRIT_OK);
    crit_economy_def e;
    crit_economy_def_init(&e);
    e.code = "CHN";
    assert_int_equal(crit_world_add_economy(w, &e), CRIT_OK);
    e.code = "USA";
    e.member = 1;
    assert_int_equal(crit_world_add_economy(w, &e), CRIT_OK);
    crit_mineral_def m;
    crit_mineral_def_init(&m);
    m.code = "Ga";
    m.base_price_usd_per_t = 600000;
    assert_int_equal(crit_world_add_mineral(w, &m), CRIT_OK);
    assert_int_equal(crit_world_set_transport(w, "Ga", "CHN", "USA", 120.5),
                     CRIT_OK);
    assert_int_equal(crit_world_set_export_ban(w, "Ga", "CHN", "USA", 1),
                     CRIT_OK);
    return w;
}

static void test_io_api_snapshot_and_csv(void **state)
{
    (void)state;
    char dir[] = "/tmp/crit_api_io_XXXXXX", path[128];
    assert_non_null(mkdtemp(dir));
    crit_world *w = small_world(), *back = NULL, *e = NULL, *m = NULL,
               *a = NULL;
    snprintf(path, sizeof path, "%s/w.crit", dir);
    crit_io_save_options so;
    crit_io_save_options_init(&so);
    so.level = 1;
    assert_int_equal(crit_io_save(path, w, &so), CRIT_OK);
    assert_int_equal(crit_io_load(&back, path, NULL), CRIT_OK);
    assert_true(crit_world_equal(w, back));
    unlink(path);

    static const int32_t tables[3] = {CRIT_CSV_ECONOMIES, CRIT_CSV_MINERALS,
                                      CRIT_CSV_ARCS};
    crit_world **steps[3] = {&e, &m, &a};
    const crit_world *base = NULL;
    for (int t = 0; t < 3; t++) {
        snprintf(path, sizeof path, "%s/t%d.csv.gz", dir, t);
        assert_int_equal(crit_io_csv_export(path, w, tables[t], NULL), CRIT_OK);
        assert_int_equal(
            crit_io_csv_import(steps[t], base, tables[t], path, NULL), CRIT_OK);
        base = *steps[t];
        unlink(path);
    }
    assert_true(crit_world_equal(w, a));
    rmdir(dir);

    const char junk[] = "not a snapshot";
    crit_world *none = NULL;
    assert_int_equal(crit_io_load_memory(&none, junk, sizeof junk, NULL),
                     CRIT_EFORMAT);
    assert_null(none);
    assert_non_null(strstr(crit_error_last(), "wrong magic"));
    crit_world *worlds[] = {w, back, e, m, a};
    for (int i = 0; i < 5; i++)
        crit_world_free(worlds[i]);
    assert_int_equal(crit_allocator_live_blocks(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_io_api_snapshot_and_csv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * libFuzzer target: the CSV importer, through the public API. The first
 * byte picks the table (1 to 5, modulo); the rest is the file, plain or
 * gzip. Rows apply to a copy of a small fixed world (economies E000 to
 * E003, minerals M0.x and M1.x), so that references resolve. A success
 * must give a world that copies and compares equal to itself; a failure
 * must explain itself and leave nothing allocated.
 */
#include <crit.h>

#include <stdint.h>
#include <stdlib.h>

#include "../unit/io_worlds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static crit_world *base;
    static uint64_t base_blocks;
    if (!base) {
        if (io_test_world(&base, 4, 2) != CRIT_OK)
            abort();
        base_blocks = crit_allocator_live_blocks();
    }
    if (size == 0)
        return 0;
    int32_t table = 1 + data[0] % 5;
    crit_world *w = NULL;
    if (crit_io_csv_import_memory(&w, base, table, data + 1, size - 1,
                                  "fuzz.csv") == CRIT_OK) {
        crit_world *c = NULL;
        if (crit_world_copy(&c, w) == CRIT_OK && !crit_world_equal(c, w))
            abort();
        crit_world_free(c);
        crit_world_free(w);
    } else if (w != NULL || crit_error_last()[0] == '\0') {
        abort();
    }
    if (crit_allocator_live_blocks() != base_blocks)
        abort();
    return 0;
}

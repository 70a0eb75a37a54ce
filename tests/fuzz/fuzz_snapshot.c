/*
 * libFuzzer target: the snapshot reader, through the public API. Any
 * input must either load into a world that copies and compares equal to
 * itself, or fail cleanly; either way nothing may stay allocated. The
 * same input then goes to the scenario reader (format 1.1), which must
 * load a scenario and result that free cleanly, or fail cleanly.
 */
#include <crit.h>

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    crit_io_load_options options;
    crit_io_load_options_init(&options);
    options.max_uncompressed_bytes = 64u << 20;
    crit_world *w = NULL;
    if (crit_io_load_memory(&w, data, size, &options) == CRIT_OK) {
        crit_world *c = NULL;
        if (crit_world_copy(&c, w) == CRIT_OK && !crit_world_equal(c, w))
            abort();
        crit_world_free(c);
        crit_world_free(w);
    } else if (w != NULL || crit_error_last()[0] == '\0') {
        abort(); /* a failure sets no output and always explains itself */
    }
    if (crit_allocator_live_blocks() != 0)
        abort();
    crit_scenario *s = NULL;
    crit_result *r = NULL;
    if (crit_io_load_scenario_memory(&s, &r, data, size, &options) == CRIT_OK) {
        if (s == NULL)
            abort();
        crit_result_free(r);
        crit_scenario_free(s);
    } else if (s != NULL || r != NULL || crit_error_last()[0] == '\0') {
        abort();
    }
    if (crit_allocator_live_blocks() != 0)
        abort();
    return 0;
}

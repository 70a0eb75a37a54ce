/* The allocator hook (libcrit/alloc.c) and the test allocator of
 * failalloc.h that the other test programs rely on. */
#define FAILALLOC_FIXTURE
#include "failalloc.h"

#include <stdio.h>

#include "crit_internal.h"

/* ---- the hook ----------------------------------------------------------- */

static void test_alloc_blocks_go_through_the_hook(void **state)
{
    (void)state;
    void *p = crit__malloc(100);
    assert_non_null(p);
    assert_int_equal(fa.calls, 1);
    assert_int_equal(fa.live_blocks, 1);
    assert_int_equal(fa.live_bytes, 100);
    assert_int_equal(crit_allocator_live_blocks(), 1);
    memset(p, 0x5a, 100);
    crit__free(p);
    assert_int_equal(fa.live_blocks, 0);
    assert_int_equal(fa.frees, 1);
    assert_int_equal(crit_allocator_live_blocks(), 0);
    assert_int_equal(fa.peak_bytes, 100);
}

/* A block of 0 bytes is a real block of 1 byte, distinct from any other. */
static void test_alloc_zero_size_is_a_real_block(void **state)
{
    (void)state;
    void *p = crit__malloc(0);
    void *q = crit__calloc(0, 8);
    assert_non_null(p);
    assert_non_null(q);
    assert_ptr_not_equal(p, q);
    /* the hook's functions are never asked for 0 bytes: 1 each */
    assert_int_equal(fa.live_bytes, 2);
    assert_int_equal(crit_allocator_live_blocks(), 2);
    crit__free(p);
    crit__free(q);
    crit__free(NULL); /* ignored, not counted */
    assert_int_equal(crit_allocator_live_blocks(), 0);
    assert_int_equal(fa.frees, 2);
}

static void test_alloc_calloc_zeroes(void **state)
{
    (void)state;
    unsigned char *p = crit__calloc(37, 3);
    assert_non_null(p);
    assert_int_equal(fa.live_bytes, 111);
    for (size_t i = 0; i < 111; i++)
        assert_int_equal(p[i], 0);
    crit__free(p);
}

/* An allocator whose blocks are never zero: libcrit's calloc through a
 * caller's allocator zeroes what it is given, the 1-byte block of a
 * 0-byte request too. */
static void *dirty_malloc(size_t size, void *payload)
{
    (void)payload;
    void *p = malloc(size);
    if (p)
        memset(p, 0xa5, size);
    return p;
}

static void *dirty_realloc(void *ptr, size_t size, void *payload)
{
    (void)payload;
    return realloc(ptr, size);
}

static void dirty_free(void *ptr, void *payload)
{
    (void)payload;
    free(ptr);
}

static void test_alloc_calloc_zeroes_a_dirty_block(void **state)
{
    (void)state;
    const crit_allocator dirty = {dirty_malloc, dirty_realloc, dirty_free,
                                  NULL};
    assert_int_equal(crit_allocator_set(&dirty), CRIT_OK);
    unsigned char *p = crit__calloc(37, 3);
    unsigned char *q = crit__calloc(0, 8);
    unsigned char *r = crit__malloc(4);
    assert_non_null(p);
    assert_non_null(q);
    assert_non_null(r);
    assert_int_equal(r[0], 0xa5); /* the allocator's own, not zeroed */
    for (size_t i = 0; i < 111; i++)
        assert_int_equal(p[i], 0);
    assert_int_equal(q[0], 0);
    crit__free(p);
    crit__free(q);
    crit__free(r);
    assert_int_equal(crit_allocator_set(NULL), CRIT_OK);
}

/* Without an allocator of the caller's, a zeroed block comes from the C
 * library's calloc: zeroed, counted, and freed by the same hook. */
static void test_alloc_default_calloc(void **state)
{
    (void)state;
    assert_int_equal(crit_allocator_set(NULL), CRIT_OK);
    size_t sizes[] = {0, 1, 111, (size_t)1 << 20}; /* the last by mmap */
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        unsigned char *p = crit__calloc(sizes[k], 1);
        assert_non_null(p);
        assert_int_equal(crit_allocator_live_blocks(), 1);
        for (size_t i = 0; i < sizes[k]; i++)
            if (p[i] != 0)
                fail_msg("byte %zu of %zu is %d", i, sizes[k], p[i]);
        crit__free(p);
        assert_int_equal(crit_allocator_live_blocks(), 0);
    }
    assert_null(crit__calloc(SIZE_MAX / 2 + 1, 2));
    assert_int_equal(crit_allocator_live_blocks(), 0);
}

static void test_alloc_calloc_overflow_fails_without_allocating(void **state)
{
    (void)state;
    assert_int_equal(crit__mul_size(SIZE_MAX / 2 + 1, 2), 0);
    assert_int_equal(crit__mul_size(3, 5), 15);
    assert_int_equal(crit__mul_size(0, SIZE_MAX), 0);
    assert_null(crit__calloc(SIZE_MAX / 2 + 1, 2));
    assert_null(crit__calloc(SIZE_MAX, SIZE_MAX));
    assert_int_equal(fa.calls, 0);
    assert_int_equal(crit_allocator_live_blocks(), 0);
}

/* The array allocators refuse a count times size past SIZE_MAX without
 * asking the hook (crit__malloc of crit__mul_size's 0 would have handed
 * out a 1-byte block), and a refused resize leaves the block as it was. */
static void test_alloc_array_overflow_fails_without_allocating(void **state)
{
    (void)state;
    assert_null(crit__malloc_array(SIZE_MAX / 2 + 1, 2));
    assert_null(crit__malloc_array(SIZE_MAX, SIZE_MAX));
    assert_int_equal(fa.calls, 0);
    assert_int_equal(crit_allocator_live_blocks(), 0);
    double *p = crit__malloc_array(3, sizeof *p);
    assert_non_null(p);
    assert_int_equal(fa.live_bytes, 3 * sizeof *p);
    p[0] = 1.5;
    p[2] = 2.5;
    uint64_t calls = fa.calls;
    assert_null(crit__realloc_array(p, SIZE_MAX / 4, 8));
    assert_int_equal(fa.calls, calls);
    assert_true(p[0] == 1.5 && p[2] == 2.5);
    double *q = crit__realloc_array(p, 1000, sizeof *q);
    assert_non_null(q);
    assert_true(q[0] == 1.5 && q[2] == 2.5);
    assert_int_equal(fa.live_bytes, 1000 * sizeof *q);
    assert_int_equal(crit_allocator_live_blocks(), 1);
    crit__free(q);
    /* a zero count is still a real block, as crit__malloc(0) is */
    p = crit__malloc_array(0, sizeof *p);
    assert_non_null(p);
    crit__free(p);
    assert_int_equal(crit_allocator_live_blocks(), 0);
}

static void test_alloc_realloc_keeps_data_and_count(void **state)
{
    (void)state;
    char *p = crit__realloc(NULL, 4); /* NULL: a fresh block */
    assert_non_null(p);
    memcpy(p, "abc", 4);
    assert_int_equal(crit_allocator_live_blocks(), 1);
    p = crit__realloc(p, 4000);
    assert_non_null(p);
    assert_string_equal(p, "abc");
    assert_int_equal(crit_allocator_live_blocks(), 1);
    assert_int_equal(fa.live_bytes, 4000);
    assert_int_equal(fa.peak_bytes, 4000);
    crit__free(p);
}

static void test_alloc_failed_realloc_leaves_block_valid(void **state)
{
    (void)state;
    char *p = crit__strdup("gallium");
    assert_non_null(p);
    failalloc_fail_from(&fa, 0);
    assert_null(crit__realloc(p, 1000));
    failalloc_disarm(&fa);
    assert_string_equal(p, "gallium");
    assert_int_equal(crit_allocator_live_blocks(), 1);
    assert_int_equal(fa.live_bytes, 8);
    crit__free(p);
}

static void test_alloc_strdup_copies(void **state)
{
    (void)state;
    const char *src = "NdPr oxide";
    char *p = crit__strdup(src);
    assert_non_null(p);
    assert_ptr_not_equal(p, src);
    assert_string_equal(p, src);
    assert_int_equal(fa.live_bytes, strlen(src) + 1);
    crit__free(p);
    failalloc_fail_from(&fa, 0);
    assert_null(crit__strdup(src));
    failalloc_disarm(&fa);
}

/* ---- crit_allocator_set ------------------------------------------------- */

static void *other_malloc(size_t size, void *payload)
{
    (*(int *)payload)++;
    return malloc(size);
}

static void *other_realloc(void *ptr, size_t size, void *payload)
{
    (*(int *)payload)++;
    return realloc(ptr, size);
}

static void other_free(void *ptr, void *payload)
{
    (*(int *)payload)++;
    free(ptr);
}

static void test_alloc_set_refused_while_blocks_live(void **state)
{
    (void)state;
    void *a = crit__malloc(10), *b = crit__malloc(20);
    int calls = 0;
    crit_allocator other = {other_malloc, other_realloc, other_free, &calls};
    assert_int_equal(crit_allocator_set(&other), CRIT_ESTATE);
    assert_non_null(strstr(crit_error_last(), "2 block(s)"));
    assert_int_equal(crit_allocator_set(NULL), CRIT_ESTATE);
    /* Still ours: the next block and the frees go through failalloc. */
    void *c = crit__malloc(5);
    assert_int_equal(fa.live_blocks, 3);
    crit__free(a);
    crit__free(b);
    crit__free(c);
    assert_int_equal(calls, 0);
    assert_int_equal(fa.live_blocks, 0);
}

static void test_alloc_set_rejects_missing_function(void **state)
{
    (void)state;
    int calls = 0;
    crit_allocator bad[3] = {
        {NULL, other_realloc, other_free, &calls},
        {other_malloc, NULL, other_free, &calls},
        {other_malloc, other_realloc, NULL, &calls},
    };
    for (int i = 0; i < 3; i++) {
        assert_int_equal(crit_allocator_set(&bad[i]), CRIT_EINVAL);
        assert_non_null(strstr(crit_error_last(), "malloc_fn"));
    }
    void *p = crit__malloc(1); /* failalloc is still installed */
    assert_int_equal(fa.live_blocks, 1);
    crit__free(p);
    assert_int_equal(calls, 0);
}

static void test_alloc_set_and_restore(void **state)
{
    (void)state;
    int calls = 0;
    crit_allocator other = {other_malloc, other_realloc, other_free, &calls};
    assert_int_equal(crit_allocator_set(&other), CRIT_OK);
    char *p = crit__malloc(8);
    p = crit__realloc(p, 16);
    crit__free(p);
    assert_int_equal(calls, 3); /* payload passed to each function */
    assert_int_equal(fa.calls, 0);

    /* NULL restores the C library's allocator. */
    assert_int_equal(crit_allocator_set(NULL), CRIT_OK);
    p = crit__malloc(8);
    assert_int_equal(crit_allocator_live_blocks(), 1);
    crit__free(p);
    assert_int_equal(calls, 3);
    assert_int_equal(crit_allocator_live_blocks(), 0);

    /* Back to failalloc for the teardown. */
    crit_allocator mine = {failalloc_malloc_cb, failalloc_realloc_cb,
                           failalloc_free_cb, &fa};
    assert_int_equal(crit_allocator_set(&mine), CRIT_OK);
}

static void test_alloc_world_objects_are_counted(void **state)
{
    (void)state;
    crit_world *w = NULL;
    assert_int_equal(crit_world_new(&w), CRIT_OK);
    assert_true(crit_allocator_live_blocks() > 0);
    assert_int_equal(crit_allocator_live_blocks(), fa.live_blocks);
    assert_int_equal(crit_allocator_set(NULL), CRIT_ESTATE);
    crit_world_free(w);
    assert_int_equal(crit_allocator_live_blocks(), 0);
}

/* ---- failalloc itself --------------------------------------------------- */

static void test_alloc_failalloc_from_fails_every_later_one(void **state)
{
    (void)state;
    failalloc_fail_from(&fa, 2);
    void *a = crit__malloc(1), *b = crit__malloc(1);
    assert_non_null(a);
    assert_non_null(b);
    for (int i = 0; i < 5; i++)
        assert_null(crit__malloc(1));
    assert_int_equal(fa.failures, 5);
    assert_int_equal(fa.calls, 7);
    assert_int_equal(fa.allocs, 2);
    failalloc_disarm(&fa);
    void *c = crit__malloc(1);
    assert_non_null(c);
    crit__free(a);
    crit__free(b);
    crit__free(c);
}

static void test_alloc_failalloc_only_fails_one(void **state)
{
    (void)state;
    void *early = crit__malloc(1); /* counting starts at arming */
    failalloc_fail_only(&fa, 1);
    void *a = crit__malloc(1);
    void *b = crit__malloc(1);
    void *c = crit__malloc(1);
    assert_non_null(a);
    assert_null(b);
    assert_non_null(c);
    assert_int_equal(fa.failures, 1);
    failalloc_disarm(&fa);
    crit__free(early);
    crit__free(a);
    crit__free(c);
}

/* A three-allocation operation with correct clean-up, and one that leaks
 * on its failure path: failalloc_run must pass the first and must have
 * something to catch in the second (checked through its counters). */
struct three {
    void *out;
};

static int op_three(void *p)
{
    struct three *t = p;
    void *a = crit__malloc(10);
    void *b = crit__malloc(20);
    void *c = crit__malloc(30);
    if (!a || !b || !c) {
        crit__free(a);
        crit__free(b);
        crit__free(c);
        return crit__error_oom();
    }
    crit__free(a);
    crit__free(b);
    t->out = c;
    return CRIT_OK;
}

static void three_unchanged(void *p)
{
    assert_null(((struct three *)p)->out);
}

static void test_alloc_failalloc_run_counts_allocations(void **state)
{
    (void)state;
    struct three t = {NULL};
    assert_int_equal(
        failalloc_run(&fa, FAILALLOC_FROM, op_three, three_unchanged, &t), 3);
    assert_non_null(t.out);
    assert_int_equal(fa.live_bytes, 30);
    crit__free(t.out);
    t.out = NULL;
    uint64_t failures = fa.failures;
    assert_int_equal(
        failalloc_run(&fa, FAILALLOC_ONLY, op_three, three_unchanged, &t), 3);
    /* N = 0, 1, 2 each failed exactly one allocation. */
    assert_int_equal(fa.failures - failures, 3);
    crit__free(t.out);
}

/* An operation that leaks its first block when the second allocation
 * fails: the counters failalloc_run() compares must show the leak. */
static int op_leaky(void *p)
{
    void **leaked = p;
    void *a = crit__malloc(10);
    void *b = crit__malloc(20);
    if (!a || !b) {
        *leaked = a;
        return crit__error_oom();
    }
    crit__free(a);
    crit__free(b);
    return CRIT_OK;
}

static void test_alloc_failalloc_sees_a_leak(void **state)
{
    (void)state;
    void *leaked = NULL;
    uint64_t live = crit_allocator_live_blocks();
    failalloc_fail_from(&fa, 1);
    assert_int_equal(op_leaky(&leaked), CRIT_ENOMEM);
    failalloc_disarm(&fa);
    assert_non_null(leaked);
    assert_int_equal(crit_allocator_live_blocks(), live + 1);
    assert_int_equal(fa.live_blocks, 1);
    assert_int_equal(fa.live_bytes, 10);
    crit__free(leaked);
    assert_int_equal(crit_allocator_live_blocks(), live);
}

/* A block resized to 0 bytes stays a real block of 1 byte (the hook's
 * functions are never asked for 0 bytes), counted once. */
static void test_alloc_realloc_to_zero_is_a_real_block(void **state)
{
    (void)state;
    char *p = crit__malloc(8);
    assert_non_null(p);
    char *q = crit__realloc(p, 0);
    assert_non_null(q);
    assert_int_equal(fa.live_blocks, 1);
    assert_int_equal(fa.live_bytes, 1);
    assert_int_equal(crit_allocator_live_blocks(), 1);
    q[0] = 'x';
    crit__free(q);
    assert_int_equal(crit_allocator_live_blocks(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_alloc_blocks_go_through_the_hook,
                                        failalloc_setup, failalloc_teardown),
        cmocka_unit_test_setup_teardown(test_alloc_zero_size_is_a_real_block,
                                        failalloc_setup, failalloc_teardown),
        cmocka_unit_test_setup_teardown(test_alloc_calloc_zeroes,
                                        failalloc_setup, failalloc_teardown),
        cmocka_unit_test(test_alloc_calloc_zeroes_a_dirty_block),
        cmocka_unit_test(test_alloc_default_calloc),
        cmocka_unit_test_setup_teardown(
            test_alloc_calloc_overflow_fails_without_allocating,
            failalloc_setup, failalloc_teardown),
        cmocka_unit_test_setup_teardown(
            test_alloc_array_overflow_fails_without_allocating, failalloc_setup,
            failalloc_teardown),
        cmocka_unit_test_setup_teardown(test_alloc_realloc_keeps_data_and_count,
                                        failalloc_setup, failalloc_teardown),
        cmocka_unit_test_setup_teardown(
            test_alloc_failed_realloc_leaves_block_valid, failalloc_setup,
            failalloc_teardown),
        cmocka_unit_test_setup_teardown(test_alloc_strdup_copies,
                                        failalloc_setup, failalloc_teardown),
        cmocka_unit_test_setup_teardown(
            test_alloc_realloc_to_zero_is_a_real_block, failalloc_setup,
            failalloc_teardown),
        cmocka_unit_test_setup_teardown(
            test_alloc_set_refused_while_blocks_live, failalloc_setup,
            failalloc_teardown),
        cmocka_unit_test_setup_teardown(test_alloc_set_rejects_missing_function,
                                        failalloc_setup, failalloc_teardown),
        cmocka_unit_test_setup_teardown(test_alloc_set_and_restore,
                                        failalloc_setup, failalloc_teardown),
        cmocka_unit_test_setup_teardown(test_alloc_world_objects_are_counted,
                                        failalloc_setup, failalloc_teardown),
        cmocka_unit_test_setup_teardown(
            test_alloc_failalloc_from_fails_every_later_one, failalloc_setup,
            failalloc_teardown),
        cmocka_unit_test_setup_teardown(test_alloc_failalloc_only_fails_one,
                                        failalloc_setup, failalloc_teardown),
        cmocka_unit_test_setup_teardown(
            test_alloc_failalloc_run_counts_allocations, failalloc_setup,
            failalloc_teardown),
        cmocka_unit_test_setup_teardown(test_alloc_failalloc_sees_a_leak,
                                        failalloc_setup, failalloc_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

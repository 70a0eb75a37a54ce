/* Status codes, their texts and names, the thread-local last error, and
 * the options-struct size check (libcrit/error.c). */
/* pthread barriers are POSIX, hidden by -std=c11 otherwise. */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "crit_internal.h"

/* The table as documented: fixed values, written out by hand so that a
 * renumbered or renamed code fails here. */
static const struct {
    int32_t code;
    const char *name;
    const char *text;
} expected[] = {
    {0, "CRIT_OK", "success"},
    {-1, "CRIT_EINVAL", "invalid argument"},
    {-2, "CRIT_ENOMEM", "out of memory"},
    {-3, "CRIT_ENOTFOUND", "not found"},
    {-4, "CRIT_EEXISTS", "already exists"},
    {-5, "CRIT_ERANGE", "index out of range"},
    {-6, "CRIT_ESTATE", "operation not allowed in the current state"},
    {-7, "CRIT_EDOMAIN", "result undefined for these inputs"},
    {-8, "CRIT_ENOCONV", "solver did not converge"},
    {-9, "CRIT_EIO", "input/output error"},
    {-10, "CRIT_EFORMAT", "malformed data"},
    {-11, "CRIT_EVERSION", "unsupported version"},
    {-12, "CRIT_EBUFSIZE", "output buffer too small"},
    {-13, "CRIT_EUNSUPPORTED", "unsupported option or feature"},
    {-14, "CRIT_ECANCELLED", "cancelled by a callback"},
    {-15, "CRIT_EINTERNAL", "internal error"},
};
#define N_EXPECTED (sizeof expected / sizeof expected[0])

static int setup(void **state)
{
    (void)state;
    crit_error_clear();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    crit_error_clear();
    return 0;
}

static void test_error_codes_have_fixed_values(void **state)
{
    (void)state;
    assert_int_equal(CRIT_OK, 0);
    assert_int_equal(CRIT_EINVAL, -1);
    assert_int_equal(CRIT_ENOMEM, -2);
    assert_int_equal(CRIT_ENOTFOUND, -3);
    assert_int_equal(CRIT_EEXISTS, -4);
    assert_int_equal(CRIT_ERANGE, -5);
    assert_int_equal(CRIT_ESTATE, -6);
    assert_int_equal(CRIT_EDOMAIN, -7);
    assert_int_equal(CRIT_ENOCONV, -8);
    assert_int_equal(CRIT_EIO, -9);
    assert_int_equal(CRIT_EFORMAT, -10);
    assert_int_equal(CRIT_EVERSION, -11);
    assert_int_equal(CRIT_EBUFSIZE, -12);
    assert_int_equal(CRIT_EUNSUPPORTED, -13);
    assert_int_equal(CRIT_ECANCELLED, -14);
    assert_int_equal(CRIT_EINTERNAL, -15);
}

static void test_error_table_matches_documented_list(void **state)
{
    (void)state;
    size_t n = 0;
#define COUNT_ENTRY(name, value, text) n++;
    CRIT_ERROR_TABLE(COUNT_ENTRY)
#undef COUNT_ENTRY
    /* A new code must be added to `expected` (and never renumber one). */
    assert_int_equal(n, N_EXPECTED);
}

static void test_error_strerror_and_name_of_every_code(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_EXPECTED; i++) {
        assert_string_equal(crit_strerror(expected[i].code), expected[i].text);
        assert_string_equal(crit_error_name(expected[i].code),
                            expected[i].name);
    }
}

static void test_error_unknown_codes(void **state)
{
    (void)state;
    const int32_t unknown[] = {1, 42, -16, -1000, INT32_MIN, INT32_MAX};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        assert_string_equal(crit_strerror(unknown[i]), "unknown error");
        assert_string_equal(crit_error_name(unknown[i]), "CRIT_UNKNOWN");
    }
}

static void test_error_last_starts_empty_and_clears(void **state)
{
    (void)state;
    assert_non_null(crit_error_last());
    assert_string_equal(crit_error_last(), "");
    assert_int_equal(crit_error_last_code(), CRIT_OK);
    assert_int_equal(crit__error(CRIT_ERANGE, "index %d of %s", 7, "x"),
                     CRIT_ERANGE);
    assert_string_equal(crit_error_last(), "index 7 of x");
    assert_int_equal(crit_error_last_code(), CRIT_ERANGE);
    crit_error_clear();
    assert_string_equal(crit_error_last(), "");
    assert_int_equal(crit_error_last_code(), CRIT_OK);
}

static void test_error_success_does_not_clear(void **state)
{
    (void)state;
    crit_world *w = NULL;
    assert_int_equal(crit_world_new(NULL), CRIT_EINVAL);
    char before[512];
    snprintf(before, sizeof before, "%s", crit_error_last());
    assert_non_null(strstr(before, "out"));
    assert_int_equal(crit_world_new(&w), CRIT_OK);
    assert_string_equal(crit_error_last(), before);
    assert_int_equal(crit_error_last_code(), CRIT_EINVAL);
    crit_world_free(w);
}

static void test_error_oom_message(void **state)
{
    (void)state;
    assert_int_equal(crit__error_oom(), CRIT_ENOMEM);
    assert_string_equal(crit_error_last(), "out of memory");
    assert_int_equal(crit_error_last_code(), CRIT_ENOMEM);
}

static void test_error_long_message_is_truncated(void **state)
{
    (void)state;
    char big[2000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    crit__error(CRIT_EINVAL, "field %s", big);
    size_t n = strlen(crit_error_last());
    assert_true(n > 400 && n < 512);
    assert_memory_equal(crit_error_last(), "field aaaa", 10);
}

/* A message may quote a string that is itself the last message (a caller
 * passing crit_error_last() back in as a code); formatting must not read
 * the buffer it is writing. */
static void test_error_message_may_quote_last_message(void **state)
{
    (void)state;
    crit__error(CRIT_EINVAL, "add mineral: NULL argument");
    crit__error(CRIT_ENOTFOUND, "mineral '%.40s' is not in the world",
                crit_error_last());
    assert_string_equal(crit_error_last(), "mineral 'add mineral: NULL "
                                           "argument' is not in the world");
}

/* ---- thread-locality ---------------------------------------------------- */

struct thread_arg {
    pthread_barrier_t *barrier;
    int code;
    const char *word;
    int ok;
};

static void *thread_main(void *p)
{
    struct thread_arg *a = p;
    int fresh = crit_error_last()[0] == '\0' && crit_error_last_code() == 0;
    crit__error(a->code, "thread %s failed", a->word);
    /* Both threads have recorded their error before either reads it. */
    pthread_barrier_wait(a->barrier);
    char want[64];
    snprintf(want, sizeof want, "thread %s failed", a->word);
    a->ok = fresh && strcmp(crit_error_last(), want) == 0 &&
            crit_error_last_code() == a->code;
    pthread_barrier_wait(a->barrier);
    return NULL;
}

static void test_error_last_is_thread_local(void **state)
{
    (void)state;
    crit__error(CRIT_EIO, "main thread failed");
    pthread_barrier_t barrier;
    assert_int_equal(pthread_barrier_init(&barrier, NULL, 2), 0);
    struct thread_arg a = {&barrier, CRIT_EFORMAT, "one", 0};
    struct thread_arg b = {&barrier, CRIT_EDOMAIN, "two", 0};
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, thread_main, &a), 0);
    assert_int_equal(pthread_create(&tb, NULL, thread_main, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    pthread_barrier_destroy(&barrier);
    assert_true(a.ok);
    assert_true(b.ok);
    assert_string_equal(crit_error_last(), "main thread failed");
    assert_int_equal(crit_error_last_code(), CRIT_EIO);
}

/* ---- crit__check_struct_size -------------------------------------------- */

struct def_v2 {
    size_t size;
    double a;
    double added_later;
};

static void test_error_struct_size_checks(void **state)
{
    (void)state;
    struct def_v2 d = {sizeof d, 1.0, 0.0};
    size_t v1 = offsetof(struct def_v2, added_later);

    /* Exact size and a newer caller's zero tail are accepted. */
    d.size = v1;
    assert_int_equal(crit__check_struct_size(&d, v1, v1, "thing"), CRIT_OK);
    d.size = sizeof d;
    assert_int_equal(crit__check_struct_size(&d, v1, v1, "thing"), CRIT_OK);

    /* Too small: EINVAL naming the struct and the size. */
    d.size = 8;
    assert_int_equal(crit__check_struct_size(&d, v1, v1, "thing"), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "thing"));
    assert_non_null(strstr(crit_error_last(), "size 8"));
    d.size = 0;
    assert_int_equal(crit__check_struct_size(&d, v1, v1, "thing"), CRIT_EINVAL);

    /* Unknown non-zero tail: EUNSUPPORTED naming the first byte set. */
    d.size = sizeof d;
    d.added_later = 2.0;
    assert_int_equal(crit__check_struct_size(&d, v1, v1, "thing"),
                     CRIT_EUNSUPPORTED);
    char where[32];
    size_t first = v1;
    const unsigned char *bytes = (const unsigned char *)&d.added_later;
    while (bytes[first - v1] == 0)
        first++;
    snprintf(where, sizeof where, "byte %zu", first);
    assert_non_null(strstr(crit_error_last(), "thing"));
    assert_non_null(strstr(crit_error_last(), where));
    assert_non_null(strstr(crit_error_last(), CRIT_VERSION_STRING));
}

/* ---- crit__copy_out ------------------------------------------------------ */

/*
 * A getter's value copied into an out-struct of an older caller (smaller:
 * only its bytes written, nothing past them), an exact one, and a newer
 * one (larger: its tail left alone); the caller's size stays in each.
 */
static void test_error_copy_out_writes_the_callers_size(void **state)
{
    (void)state;
    struct def_v2 value = {sizeof value, 1.5, 2.5};
    size_t v1 = offsetof(struct def_v2, added_later);
    /* older caller: a v1 struct followed by bytes that are not its own */
    struct {
        struct def_v2 d;
        double beyond;
    } buf;
    memset(&buf, 0xab, sizeof buf);
    buf.d.size = v1;
    crit__copy_out(&buf.d, &value, sizeof value);
    assert_int_equal(buf.d.size, v1);
    assert_true(buf.d.a == 1.5);
    const unsigned char *b = (const unsigned char *)&buf.d + v1;
    for (size_t i = 0; i < sizeof buf - v1; i++)
        assert_int_equal(b[i], 0xab);
    /* exact */
    struct def_v2 d = {sizeof d, 0, 0};
    crit__copy_out(&d, &value, sizeof value);
    assert_int_equal(d.size, sizeof d);
    assert_true(d.a == 1.5 && d.added_later == 2.5);
    /* newer caller, larger than this library's value */
    memset(&buf, 0xcd, sizeof buf);
    buf.d.size = sizeof buf;
    crit__copy_out(&buf.d, &value, sizeof value);
    assert_int_equal(buf.d.size, sizeof buf);
    assert_true(buf.d.a == 1.5 && buf.d.added_later == 2.5);
    b = (const unsigned char *)&buf.beyond;
    for (size_t i = 0; i < sizeof buf.beyond; i++)
        assert_int_equal(b[i], 0xcd);
}

/* A version-1 caller's struct that ends in an int32_t: its sizeof has
 * tail padding that CRIT__SIZE_TO leaves out. */
struct def_pad {
    size_t size;
    double a;
    int32_t b;
};

/*
 * crit__take_struct: a caller's struct read through a local one of this
 * library's size: an older caller's fields, the local defaults past its
 * size (not the bytes that follow its struct), the local size; a newer
 * caller's unknown tail refused, the local untouched.
 */
static void test_error_take_struct_reads_the_callers_size(void **state)
{
    (void)state;
    size_t v1 = CRIT__SIZE_TO(struct def_v2, a);
    assert_int_equal(v1, offsetof(struct def_v2, added_later));
    assert_int_equal(CRIT__SIZE_TO(struct def_pad, b),
                     offsetof(struct def_pad, b) + sizeof(int32_t));
    assert_true(CRIT__SIZE_TO(struct def_pad, b) < sizeof(struct def_pad));
    struct {
        struct def_v2 d;
        double beyond;
    } buf;
    memset(&buf, 0xab, sizeof buf);
    buf.d.size = v1;
    buf.d.a = 4.5;
    struct def_v2 local = {sizeof local, 1.0, 7.0}; /* the defaults */
    assert_int_equal(crit__take_struct(&local, &buf.d, v1, sizeof local, "t"),
                     CRIT_OK);
    assert_int_equal(local.size, sizeof local);
    assert_true(local.a == 4.5 && local.added_later == 7.0);
    /* a caller as large: every field */
    struct def_v2 same = {sizeof same, 2.0, 3.0};
    assert_int_equal(crit__take_struct(&local, &same, v1, sizeof local, "t"),
                     CRIT_OK);
    assert_true(local.a == 2.0 && local.added_later == 3.0);
    /* a newer caller: a zero tail is read as far as known, a tail that is
       not zero refused with nothing copied */
    memset(&buf, 0, sizeof buf);
    buf.d.size = sizeof buf;
    buf.d.a = 5.0;
    assert_int_equal(crit__take_struct(&local, &buf.d, v1, sizeof local, "t"),
                     CRIT_OK);
    assert_true(local.a == 5.0 && local.added_later == 0.0);
    buf.beyond = 1.0;
    buf.d.a = 6.0;
    assert_int_equal(crit__take_struct(&local, &buf.d, v1, sizeof local, "t"),
                     CRIT_EUNSUPPORTED);
    assert_true(local.a == 5.0);
    /* smaller than version 1 */
    buf.d.size = v1 - 1;
    assert_int_equal(crit__take_struct(&local, &buf.d, v1, sizeof local, "t"),
                     CRIT_EINVAL);
    assert_true(local.a == 5.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_error_codes_have_fixed_values,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_error_table_matches_documented_list, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_error_strerror_and_name_of_every_code, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_unknown_codes, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_error_last_starts_empty_and_clears,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_success_does_not_clear,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_oom_message, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_error_long_message_is_truncated,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_error_message_may_quote_last_message, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_last_is_thread_local, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_error_struct_size_checks, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_error_copy_out_writes_the_callers_size, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_error_take_struct_reads_the_callers_size, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

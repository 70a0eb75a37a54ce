/*
 * The snapshot format: round trips, the documented byte layout, every
 * kind of damaged input, allocation failure, and atomic replacement under
 * SIGKILL.
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <math.h>
#include <zlib.h>

#include "failalloc.h"
#include "io_internal.h"
#include "io_worlds.h"
#include "msg_has.h"
#include "snap_edit.h"
#include "world_internal.h"

/* ---- helpers ----------------------------------------------------------- */

static char tmpdir[64];

static int setup_dir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/crit_io_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
    (void)state;
    DIR *d = opendir(tmpdir);
    struct dirent *e;
    char p[512];
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(p, sizeof p, "%s/%s", tmpdir, e->d_name);
        chmod(p, 0700);
        if (rmdir(p) != 0)
            unlink(p);
    }
    if (d)
        closedir(d);
    return rmdir(tmpdir);
}

static void path_in(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", tmpdir, name);
}

static void spit(const char *path, const unsigned char *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    fclose(f);
}

/* A small snapshot in memory (caller frees). */
static unsigned char *small_snapshot(size_t *size, crit_world **world)
{
    char p[256];
    crit_world *w;
    assert_int_equal(io_test_world(&w, 3, 2), CRIT_OK);
    path_in(p, sizeof p, "small.crit");
    assert_int_equal(crit_io_save(p, w, NULL), CRIT_OK);
    if (world)
        *world = w;
    else
        crit_world_free(w);
    return snap_slurp(p, size);
}

/* Load must fail with `code` and a message containing `needle`, leaking
   nothing. */
static void expect_load_error(const unsigned char *p, size_t n, int code,
                              const char *needle)
{
    uint64_t live = crit_allocator_live_blocks();
    crit_world *w = (crit_world *)(uintptr_t)1;
    int rc = crit_io_load_memory(&w, p, n, NULL);
    if (rc != code || (needle && !strstr(crit_error_last(), needle)))
        fail_msg("expected %s containing '%s', got %s: %s",
                 crit_error_name(code), needle ? needle : "",
                 crit_error_name(rc), crit_error_last());
    assert_ptr_equal(w, (crit_world *)(uintptr_t)1);
    assert_int_equal(crit_allocator_live_blocks(), live);
}

/* ---- round trips ------------------------------------------------------- */

static void roundtrip(size_t n_eco, size_t n_min, int level)
{
    char p[256];
    crit_world *w, *back = NULL;
    assert_int_equal(io_test_world(&w, n_eco, n_min), CRIT_OK);
    path_in(p, sizeof p, "rt.crit");
    crit_io_save_options so;
    crit_io_save_options_init(&so);
    so.level = level;
    assert_int_equal(crit_io_save(p, w, &so), CRIT_OK);
    assert_int_equal(crit_io_load(&back, p, NULL), CRIT_OK);
    assert_non_null(back);
    assert_true(crit_world_equal(w, back));
    /* spot-check through the API, independently of crit_world_equal */
    if (n_eco > 3 && n_min > 0) {
        double t1, t2, q1, q2;
        const char *m = crit_world_mineral_code(w, 0);
        assert_int_equal(
            crit_world_arc_get(&t1, NULL, NULL, w, m, "E002", "E003"), CRIT_OK);
        assert_int_equal(
            crit_world_arc_get(&t2, NULL, NULL, back, m, "E002", "E003"),
            CRIT_OK);
        assert_true(t1 == t2);
        crit_world_export_quota_get(&q1, w, m, "E002");
        crit_world_export_quota_get(&q2, back, m, "E002");
        assert_true(q1 == q2);
    }
    crit_world_free(back);
    crit_world_free(w);
}

static void test_io_roundtrip_small(void **state)
{
    (void)state;
    roundtrip(0, 0, -1);
    roundtrip(5, 0, -1);
    roundtrip(0, 3, -1);
    roundtrip(1, 1, 0);
    roundtrip(6, 3, 9);
}

/* A loaded world's tables are sized for exactly its economies (not the
 * doubling growth of crit_world_add_economy); a reserved world still
 * grows, keeping every value. */
static void test_io_load_tables_exact_size(void **state)
{
    (void)state;
    char p[256];
    crit_world *w, *back = NULL;
    assert_int_equal(io_test_world(&w, 37, 3), CRIT_OK);
    assert_true(w->stride > 37); /* built by doubling */
    path_in(p, sizeof p, "exact.crit");
    assert_int_equal(crit_io_save(p, w, NULL), CRIT_OK);
    assert_int_equal(crit_io_load(&back, p, NULL), CRIT_OK);
    unlink(p);
    assert_int_equal(back->stride, 37);
    assert_true(crit_world_equal(w, back));
    crit_world_free(back);
    crit_world_free(w);

    crit_world *g;
    assert_int_equal(crit_world_new(&g), CRIT_OK);
    assert_int_equal(crit__world_reserve(g, 3), CRIT_OK);
    assert_int_equal(g->stride, 3);
    static const char *codes[] = {"AA", "BB", "CC", "DD"};
    crit_economy_def d;
    crit_economy_def_init(&d);
    for (int i = 0; i < 3; i++) {
        d.code = codes[i];
        assert_int_equal(crit_world_add_economy(g, &d), CRIT_OK);
    }
    crit_mineral_def md;
    crit_mineral_def_init(&md);
    md.code = "Ga";
    md.base_price_usd_per_t = 100;
    assert_int_equal(crit_world_add_mineral(g, &md), CRIT_OK);
    assert_int_equal(crit_world_set_transport(g, "Ga", "CC", "BB", 7), CRIT_OK);
    assert_int_equal(g->stride, 3);
    assert_int_equal(crit__world_reserve(g, 2), CRIT_OK); /* never shrinks */
    assert_int_equal(g->stride, 3);
    d.code = codes[3];
    assert_int_equal(crit_world_add_economy(g, &d), CRIT_OK);
    assert_true(g->stride >= 4);
    double t = 0;
    assert_int_equal(crit_world_arc_get(&t, NULL, NULL, g, "Ga", "CC", "BB"),
                     CRIT_OK);
    assert_true(t == 7);
    assert_int_equal(crit_world_arc_get(&t, NULL, NULL, g, "Ga", "DD", "BB"),
                     CRIT_OK);
    assert_true(t == 0);
    crit_world_free(g);
}

static void test_io_roundtrip_medium(void **state)
{
    (void)state;
    roundtrip(40, 6, -1);
}

/* A world that differs from the saved one must not compare equal after
   loading: guards against a round trip that loads something else. */
static void test_io_roundtrip_detects_difference(void **state)
{
    (void)state;
    char p[256];
    crit_world *w, *back;
    assert_int_equal(io_test_world(&w, 4, 2), CRIT_OK);
    path_in(p, sizeof p, "diff.crit");
    assert_int_equal(crit_io_save(p, w, NULL), CRIT_OK);
    assert_int_equal(crit_world_set_transport(w, "M1.x", "E000", "E001", 999),
                     CRIT_OK);
    assert_int_equal(crit_io_load(&back, p, NULL), CRIT_OK);
    assert_false(crit_world_equal(w, back));
    crit_world_free(back);
    crit_world_free(w);
}

/* Values without a short decimal form, and -0, go out as raw bit
   patterns; all must come back bit for bit. */
static void test_io_roundtrip_exact_doubles(void **state)
{
    (void)state;
    static const double taxes[] = {-0.0,
                                   0.1 + 0.2,
                                   1.0 / 3.0,
                                   3.141592653589793,
                                   4.9406564584124654e-324,
                                   2.2250738585072014e-308,
                                   1e-300,
                                   123456789012345678.0,
                                   9007199254740993.0,
                                   0.30000000000000004,
                                   -7.25,
                                   1e22};
    size_t n = sizeof taxes / sizeof *taxes;
    crit_world *w, *back;
    assert_int_equal(io_test_world(&w, n, 1), CRIT_OK);
    char code[16], p[256];
    for (size_t i = 0; i < n; i++) {
        snprintf(code, sizeof code, "E%03zu", i);
        for (size_t j = 0; j < n; j++) { /* room for any subsidy */
            char to[16];
            snprintf(to, sizeof to, "E%03zu", j);
            if (i != j)
                assert_int_equal(crit_world_set_transport(w, "M0.x", code, to,
                                                          1e23 + (double)j),
                                 CRIT_OK);
        }
        assert_int_equal(crit_world_set_export_tax(w, "M0.x", code, taxes[i],
                                                   taxes[n - 1 - i] * 1e-30),
                         CRIT_OK);
    }
    path_in(p, sizeof p, "exact.crit");
    assert_int_equal(crit_io_save(p, w, NULL), CRIT_OK);
    assert_int_equal(crit_io_load(&back, p, NULL), CRIT_OK);
    assert_true(crit_world_equal(w, back));
    for (size_t i = 0; i < n; i++) {
        double a, b;
        snprintf(code, sizeof code, "E%03zu", i);
        const char *other = i ? "E000" : "E001";
        assert_int_equal(
            crit_world_arc_get(NULL, NULL, &a, w, "M0.x", code, other),
            CRIT_OK);
        assert_int_equal(
            crit_world_arc_get(NULL, NULL, &b, back, "M0.x", code, other),
            CRIT_OK);
        assert_memory_equal(&a, &b, sizeof a); /* bits, -0 included */
        /* the export tax as set, bit for bit (the getter adds rate * P0,
           which hides a -0 specific part) */
        double rate = taxes[n - 1 - i] * 1e-30;
        assert_memory_equal(&back->min[0].xtax[i], &taxes[i], sizeof a);
        assert_memory_equal(&back->min[0].xtax_rate[i], &rate, sizeof a);
    }
    crit_world_free(back);
    crit_world_free(w);
}

/* ---- the documented layout (docs/format.md) ---------------------------- */

static void test_io_layout_is_documented_little_endian(void **state)
{
    (void)state;
    size_t n;
    unsigned char *p = small_snapshot(&n, NULL);
    static const unsigned char magic[8] = {0x89, 'C',  'R',  'T',
                                           '\r', '\n', 0x1a, '\n'};
    assert_memory_equal(p, magic, 8);
    assert_int_equal(p[8], 1); /* major 1, little-endian u16 */
    assert_int_equal(p[9], 0);
    assert_int_equal(p[10], 0); /* minor 0 */
    assert_int_equal(p[11], 0);
    assert_int_equal(crit__get_u32(p + 12), 0); /* flags */
    assert_int_equal(crit__get_u32(p + 16), (uint32_t)crc32(0, p, 16));
    size_t offs[16];
    size_t count = snap_chunks(p, n, offs, 16);
    assert_int_equal(count, 5); /* WRLD ECON MINR MINR CEND */
    assert_memory_equal(p + offs[0], "WRLD", 4);
    assert_memory_equal(p + offs[1], "ECON", 4);
    assert_memory_equal(p + offs[2], "MINR", 4);
    assert_memory_equal(p + offs[3], "MINR", 4);
    assert_memory_equal(p + offs[4], "CEND", 4);
    /* WRLD: u32 economies = 3, u32 minerals = 2, byte by byte */
    unsigned char raw[8];
    uLongf rn = sizeof raw;
    assert_int_equal(crit__get_u64(p + offs[0] + 16), 8);
    assert_int_equal(uncompress(raw, &rn, p + offs[0] + 24,
                                (uLong)crit__get_u64(p + offs[0] + 8)),
                     Z_OK);
    const unsigned char want[8] = {3, 0, 0, 0, 2, 0, 0, 0};
    assert_memory_equal(raw, want, 8);
    /* MINR: "M0.x", then the base price 1000.5 in the value block */
    uLongf mn = (uLongf)crit__get_u64(p + offs[2] + 16);
    unsigned char *m = malloc(mn);
    assert_int_equal(uncompress(m, &mn, p + offs[2] + 24,
                                (uLong)crit__get_u64(p + offs[2] + 8)),
                     Z_OK);
    assert_int_equal(crit__get_u32(m), 4);
    assert_memory_equal(m + 4, "M0.x", 4);
    size_t pos = 8 + 4 + strlen("Mineral 0");
    pos += 4 + crit__get_u32(m + pos); /* basis */
    assert_int_equal(crit__get_u32(m + pos), 3);
    pos += 4;
    /* values: D scale bytes, then zigzag LEB128 varints; the first is
       P0 = 1000.5 = 10005 / 10^1: scale 1, zigzag 20010 = AA 9C 01 */
    size_t nd = 3 + 8 * 3 + 3 * 3 * 2;
    assert_int_equal(m[pos], 1);
    const unsigned char p0[3] = {0xAA, 0x9C, 0x01};
    assert_memory_equal(m + pos + nd, p0, 3);
    assert_true(mn > pos + nd + 3 + 6);
    free(m);
    free(p);
}

/* ---- damaged input ----------------------------------------------------- */

static void test_io_truncated_at_every_byte(void **state)
{
    (void)state;
    size_t n;
    unsigned char *p = small_snapshot(&n, NULL);
    for (size_t len = 0; len < n; len++) {
        uint64_t live = crit_allocator_live_blocks();
        crit_world *w = NULL;
        int rc = crit_io_load_memory(&w, p, len, NULL);
        if (rc != CRIT_EFORMAT)
            fail_msg("prefix of %zu/%zu bytes: %s", len, n,
                     crit_error_name(rc));
        assert_null(w);
        assert_non_null(strstr(crit_error_last(), "offset"));
        assert_int_equal(crit_allocator_live_blocks(), live);
    }
    free(p);
}

/* Every prefix of a file, each in a buffer of exactly its length (so a
 * read past it is a sanitizer error): the message says what is missing
 * where, by the layout of docs/format.md: the 8-byte magic, the versions
 * (bytes 8 to 11), the rest of the 20-byte header, then for each chunk
 * nothing at all (no CEND yet), part of its 24-byte header, or part of its
 * stored payload; once the WRLD chunk is read, a file too short for its
 * two minerals (32 bytes each at least, see below) says so first. */
static void test_io_truncated_prefix_names_what_is_missing(void **state)
{
    (void)state;
    size_t n, offs[16];
    unsigned char *p = small_snapshot(&n, NULL);
    size_t count = snap_chunks(p, n, offs, 16);
    assert_int_equal(count, 5);
    for (size_t len = 0; len < n; len++) {
        unsigned char *q = malloc(len ? len : 1);
        assert_non_null(q);
        memcpy(q, p, len);
        char want[160];
        if (len < 8)
            snprintf(want, sizeof want,
                     "header at offset 0: file too short (%zu bytes) to be a "
                     "libcrit snapshot",
                     len);
        else if (len < 12)
            snprintf(want, sizeof want,
                     "header at offset 8: file too short (%zu bytes) for the "
                     "format version",
                     len);
        else if (len < 20)
            snprintf(want, sizeof want,
                     "header at offset 0: file too short (%zu bytes) for the "
                     "20-byte header",
                     len);
        else {
            size_t k = count - 1;
            while (offs[k] > len)
                k--;
            char type[5] = {0};
            memcpy(type, p + offs[k], 4);
            if (k > 0 && len - 20 < 2 * 32) /* WRLD read: 2 minerals */
                snprintf(want, sizeof want,
                         "chunk WRLD at offset 20: counts of 3 economies and 2 "
                         "minerals do not fit in a file of %zu bytes",
                         len);
            else if (len == offs[k])
                snprintf(want, sizeof want,
                         "offset %zu: the file ends without its CEND chunk",
                         len);
            else if (len < offs[k] + 24)
                snprintf(want, sizeof want,
                         "chunk at offset %zu: truncated chunk header (%zu of "
                         "24 bytes)",
                         offs[k], len - offs[k]);
            else
                snprintf(want, sizeof want,
                         "chunk %s at offset %zu: stored length %llu runs past "
                         "the end of the file (%zu bytes left)",
                         type, offs[k],
                         (unsigned long long)crit__get_u64(p + offs[k] + 8),
                         len - offs[k] - 24);
        }
        expect_load_error(q, len, CRIT_EFORMAT, want);
        free(q);
    }
    free(p);
}

/* The WRLD counts against the file's length: each mineral needs a MINR
 * chunk, a 24-byte header and a zlib stream of at least 8 bytes (RFC 1950
 * header 2, the shortest deflate block 2, Adler-32 4); at most 2^24 - 1
 * economies or minerals (what crit_io_save writes). */
static void test_io_wrld_counts_fit_the_file(void **state)
{
    (void)state;
    size_t n, qn;
    unsigned char *p = small_snapshot(&n, NULL);
    size_t left = n - 20; /* from the WRLD chunk to the end */
    struct {
        uint32_t eco, min;
    } cases[] = {
        {3, (uint32_t)(left / 32 + 1)}, /* 24 a mineral would still fit */
        {3, (1u << 24) - 1},
        {1u << 24, 2},
        {3, 1u << 24},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        assert_true(cases[c].min * (uint64_t)24 <= left || c > 0);
        unsigned char wr[8];
        crit__put_u32(wr, cases[c].eco);
        crit__put_u32(wr + 4, cases[c].min);
        unsigned char *q = snap_with(p, n, 20, NULL, wr, 8, 0, &qn);
        char want[160];
        snprintf(want, sizeof want,
                 "chunk WRLD at offset 20: counts of %lu economies and %lu "
                 "minerals do not fit in a file of %zu bytes",
                 (unsigned long)cases[c].eco, (unsigned long)cases[c].min, qn);
        expect_load_error(q, qn, CRIT_EFORMAT, want);
        free(q);
    }
    free(p);
}

static void test_io_flipped_bit_everywhere(void **state)
{
    (void)state;
    size_t n;
    unsigned char *p = small_snapshot(&n, NULL);
    for (size_t byte = 0; byte < n; byte++)
        for (int bit = 0; bit < 8; bit++) {
            uint64_t live = crit_allocator_live_blocks();
            p[byte] ^= (unsigned char)(1u << bit);
            crit_world *w = NULL;
            int rc = crit_io_load_memory(&w, p, n, NULL);
            p[byte] ^= (unsigned char)(1u << bit);
            if (rc != CRIT_EFORMAT && rc != CRIT_EVERSION)
                fail_msg("bit %d of byte %zu: %s (%s)", bit, byte,
                         crit_error_name(rc), crit_error_last());
            assert_null(w);
            assert_non_null(strstr(crit_error_last(), "offset"));
            assert_int_equal(crit_allocator_live_blocks(), live);
        }
    free(p);
}

static void test_io_wrong_crc_names_chunk_and_offset(void **state)
{
    (void)state;
    size_t n, offs[16];
    unsigned char *p = small_snapshot(&n, NULL);
    snap_chunks(p, n, offs, 16);
    p[offs[3] + 4] ^= 0xff;
    char want[64];
    snprintf(want, sizeof want, "chunk MINR at offset %zu: CRC-32", offs[3]);
    expect_load_error(p, n, CRIT_EFORMAT, want);
    free(p);
}

static void test_io_length_past_end(void **state)
{
    (void)state;
    size_t n, offs[16];
    unsigned char *p = small_snapshot(&n, NULL);
    snap_chunks(p, n, offs, 16);
    crit__put_u64(p + offs[1] + 8, (uint64_t)1 << 62);
    expect_load_error(p, n, CRIT_EFORMAT, "runs past the end of the file");
    crit__put_u64(p + offs[1] + 8, n - offs[1] - 24 + 1);
    expect_load_error(p, n, CRIT_EFORMAT, "chunk ECON at offset");
    free(p);
}

/* A chunk whose payload inflates to far more than it declares, or than
   the load limit: refused without allocating the bomb. */
static void test_io_compressed_bomb(void **state)
{
    (void)state;
    size_t big = 64u << 20; /* 64 MiB of zeros, ~64 KiB compressed */
    unsigned char *zeros = calloc(1, big);
    uLongf zn = compressBound(big);
    unsigned char *file = malloc(20 + 24 + zn);
    assert_int_equal(compress2(file + 44, &zn, zeros, big, 9), Z_OK);
    free(zeros);
    size_t n, offs[16];
    unsigned char *good = small_snapshot(&n, NULL);
    memcpy(file, good, 20);
    memcpy(file + 20, "WRLD", 4);
    crit__put_u64(file + 28, zn);
    /* declared honestly: over the 16 MiB limit we set */
    crit__put_u64(file + 36, big);
    snap_fix_crc(file, 20);
    crit_io_load_options lo;
    crit_io_load_options_init(&lo);
    lo.max_uncompressed_bytes = 16u << 20;
    uint64_t live = crit_allocator_live_blocks();
    crit_world *w = NULL;
    assert_int_equal(crit_io_load_memory(&w, file, 44 + zn, &lo), CRIT_EFORMAT);
    assert_non_null(strstr(crit_error_last(), "exceeds the limit"));
    assert_non_null(strstr(crit_error_last(), "chunk WRLD at offset 20"));
    /* declared as 8 bytes: inflating stops at 8, the lie is caught */
    crit__put_u64(file + 36, 8);
    snap_fix_crc(file, 20);
    assert_int_equal(crit_io_load_memory(&w, file, 44 + zn, NULL),
                     CRIT_EFORMAT);
    assert_non_null(strstr(crit_error_last(), "declared size"));
    /* declared absurdly large for its compressed size (within the default
       limit: the ratio is what refuses it) */
    crit__put_u64(file + 36, (uint64_t)zn * 2000);
    snap_fix_crc(file, 20);
    assert_int_equal(crit_io_load_memory(&w, file, 44 + zn, NULL),
                     CRIT_EFORMAT);
    assert_non_null(strstr(crit_error_last(), "is impossible for"));
    assert_null(w);
    assert_int_equal(crit_allocator_live_blocks(), live);
    snap_chunks(good, n, offs, 16);
    free(good);
    free(file);
}

static void test_io_wrong_magic_empty_and_short(void **state)
{
    (void)state;
    size_t n;
    unsigned char *p = small_snapshot(&n, NULL);
    expect_load_error(p, 0, CRIT_EFORMAT, "too short");
    expect_load_error(NULL, 0, CRIT_EFORMAT, "too short");
    p[1] = 'X';
    expect_load_error(p, n, CRIT_EFORMAT, "wrong magic");
    const char *text = "code,name\nGa,Gallium\n";
    expect_load_error((const unsigned char *)text, strlen(text), CRIT_EFORMAT,
                      "not a libcrit snapshot");
    free(p);
}

static void test_io_newer_major_refused_newer_minor_read(void **state)
{
    (void)state;
    size_t n, offs[16];
    crit_world *w;
    unsigned char *p = small_snapshot(&n, &w);
    crit__put_u16(p + 8, 2);
    crit__put_u32(p + 16, (uint32_t)crc32(0, p, 16));
    expect_load_error(p, n, CRIT_EVERSION, "format version 2.0 is newer");
    /* 1.7 with an unknown chunk before CEND and header flags: read */
    crit__put_u16(p + 8, 1);
    crit__put_u16(p + 10, 7);
    crit__put_u32(p + 12, 0x80);
    crit__put_u32(p + 16, (uint32_t)crc32(0, p, 16));
    size_t count = snap_chunks(p, n, offs, 16);
    size_t end = offs[count - 1];
    unsigned char extra[64];
    const char payload[] = "a chunk from the future";
    uLongf zn = sizeof extra - 24;
    assert_int_equal(
        compress(extra + 24, &zn, (const Bytef *)payload, sizeof payload),
        Z_OK);
    memcpy(extra, "XTRA", 4);
    crit__put_u64(extra + 8, zn);
    crit__put_u64(extra + 16, sizeof payload);
    unsigned char *q = malloc(n + 24 + zn);
    memcpy(q, p, end);
    memcpy(q + end, extra, 24 + zn);
    memcpy(q + end + 24 + zn, p + end, n - end);
    snap_fix_crc(q, end);
    crit_world *back = NULL;
    assert_int_equal(crit_io_load_memory(&back, q, n + 24 + zn, NULL), CRIT_OK);
    assert_true(crit_world_equal(w, back));
    /* its CRC is still checked */
    q[end + 30] ^= 1;
    expect_load_error(q, n + 24 + zn, CRIT_EFORMAT, "chunk XTRA at offset");
    crit_world_free(back);
    crit_world_free(w);
    free(q);
    free(p);
}

/* Offset in a MINR payload of the value block, and its value count. */
static size_t value_block(const unsigned char *raw, size_t *nd)
{
    size_t pos = 4 + crit__get_u32(raw);
    pos += 4 + crit__get_u32(raw + pos);
    pos += 4 + crit__get_u32(raw + pos);
    size_t ne = crit__get_u32(raw + pos);
    *nd = 3 + 8 * ne + 3 * ne * (ne - 1);
    return pos + 4;
}

/* Offset of value v's varint (its scale must not be 0xFF). */
static size_t varint_of(const unsigned char *raw, size_t v)
{
    size_t nd, block = value_block(raw, &nd), p = block + nd;
    for (size_t i = 0; i < v; i++) {
        if (raw[block + i] == 0xFF)
            p += 8;
        else
            while (raw[p++] & 0x80)
                ;
    }
    assert_true(raw[block + v] != 0xFF);
    return p;
}

static void set_p0_negative(unsigned char *raw, size_t n)
{
    (void)n;
    raw[varint_of(raw, 0)] ^= 1; /* zigzag: the sign of value 0, P0 */
}

static void set_capacity_negative(unsigned char *raw, size_t n)
{
    (void)n;
    raw[varint_of(raw, 3 + 3)] ^= 1; /* capacity of economy 0 (3 of them) */
}

/* The writer takes the first scale e = 0, 1, ..., 17 that gives a value
 * back exactly (docs/format.md), up to 17: 3e-17 is 3 / 10^17, scale 17
 * and one varint byte, not an 8-byte pattern; 0.1 + 0.2 has no short
 * decimal form and is written raw (scale 0xFF). A mantissa may be 2^53
 * itself (|m| <= 2^53): a quota of 2^53 t is scale 0, zigzag 2^54. */
static void test_io_layout_first_exact_scale(void **state)
{
    (void)state;
    crit_world *w;
    assert_int_equal(io_test_world(&w, 3, 2), CRIT_OK);
    assert_int_equal(crit_world_set_export_tax(w, "M0.x", "E000", 2.5, 3e-17),
                     CRIT_OK);
    assert_int_equal(crit_world_set_export_tax(w, "M0.x", "E001", 0.1 + 0.2, 0),
                     CRIT_OK);
    assert_int_equal(
        crit_world_set_export_quota(w, "M0.x", "E001", 9007199254740992.0),
        CRIT_OK);
    char p[256];
    path_in(p, sizeof p, "scales.crit");
    assert_int_equal(crit_io_save(p, w, NULL), CRIT_OK);
    size_t n, en;
    unsigned char *d = snap_slurp(p, &n);
    size_t off = snap_find(d, n, "MINR", 0);
    unsigned char *raw = snap_raw(d, off, &en);
    size_t nd, block = value_block(raw, &nd);
    /* export taxes of economy i: specific at 3 + 5 * 3 + i, ad valorem at
       3 + 6 * 3 + i */
    assert_int_equal(raw[block + 18], 1);         /* 2.5 = 25 / 10 */
    assert_int_equal(raw[block + 21], 17);        /* 3e-17 = 3 / 10^17 */
    assert_int_equal(raw[varint_of(raw, 21)], 6); /* zigzag 3 */
    assert_int_equal(raw[block + 19], 0xFF);      /* 0.1 + 0.2 */
    assert_int_equal(raw[block + 22], 0);         /* 0 */
    /* export quota of economy 1 at 3 + 7 * 3 + 1: 2^53, scale 0; zigzag
       2^54 in LEB128 is seven 0x80 bytes (bits 0 to 48), then 2^54 >> 49 */
    assert_int_equal(raw[block + 25], 0);
    static const unsigned char two54[8] = {0x80, 0x80, 0x80, 0x80,
                                           0x80, 0x80, 0x80, 0x20};
    assert_memory_equal(raw + varint_of(raw, 25), two54, 8);
    crit_world *back = NULL;
    assert_int_equal(crit_io_load(&back, p, NULL), CRIT_OK);
    assert_true(crit_world_equal(w, back));
    unlink(p);
    free(raw);
    free(d);
    crit_world_free(back);
    crit_world_free(w);
}

/* Where economy 0's export quota (3 economies) is stored: none, so +inf,
   a raw pattern (scale 0xFF). */
static size_t quota_0_at(unsigned char *raw)
{
    size_t nd, block = value_block(raw, &nd), p = block + nd;
    size_t v = 3 + 7 * 3;
    for (size_t i = 0; i < v; i++) {
        if (raw[block + i] == 0xFF)
            p += 8;
        else
            while (raw[p++] & 0x80)
                ;
    }
    assert_int_equal(raw[block + v], 0xFF);
    return p;
}

/* Economy 0's export quota, +inf (none), made -inf */
static void set_quota_minus_inf(unsigned char *raw, size_t n)
{
    (void)n;
    size_t p = quota_0_at(raw);
    assert_true(crit__bits_f64(crit__get_u64(raw + p)) == INFINITY);
    crit__put_u64(raw + p, crit__f64_bits(-INFINITY));
}

/* Economy 0's export quota, +inf (none), made a NaN: not "no quota" */
static void set_quota_nan(unsigned char *raw, size_t n)
{
    (void)n;
    crit__put_u64(raw + quota_0_at(raw), 0x7ff8000000000000ull);
}

/* ECON: the first economy's member byte (after its code and name) 2 */
static void set_member_2(unsigned char *raw, size_t n)
{
    (void)n;
    size_t pos = 4;
    pos += 4 + crit__get_u32(raw + pos); /* code */
    pos += 4 + crit__get_u32(raw + pos); /* name */
    assert_true(raw[pos] <= 1);
    raw[pos] = 2;
}

static void set_bad_ban(unsigned char *raw, size_t n)
{
    raw[n - 1] = 0x04;
}

static void set_economy_code_bad(unsigned char *raw, size_t n)
{
    (void)n;
    raw[8] = 'e'; /* first economy's code "E000" -> "e000" */
}

static void test_io_bad_values_use_world_rules(void **state)
{
    (void)state;
    size_t n, en;
    unsigned char *p = small_snapshot(&n, NULL), *q;
    size_t offs[16];
    snap_chunks(p, n, offs, 16);
    char want[128];

    q = snap_edit(p, n, snap_at(p, n, 2), set_p0_negative, &en);
    snprintf(want, sizeof want,
             "chunk MINR at offset %zu: mineral 'M0.x': base price", offs[2]);
    expect_load_error(q, en, CRIT_EINVAL, want);
    free(q);

    q = snap_edit(p, n, snap_at(p, n, 3), set_capacity_negative, &en);
    expect_load_error(q, en, CRIT_EINVAL, "economy 'E000' mineral 'M1.x'");
    free(q);

    q = snap_edit(p, n, snap_at(p, n, 3), set_bad_ban, &en);
    expect_load_error(q, en, CRIT_EFORMAT, "ban byte 0x04");
    free(q);

    /* +inf is "no quota"; -inf is a quota the world API refuses, not none,
       and so is a NaN */
    const struct {
        void (*edit)(unsigned char *, size_t);
        const char *value;
    } bad_quota[] = {{set_quota_minus_inf, "-inf"}, {set_quota_nan, "nan"}};
    for (size_t k = 0; k < 2; k++) {
        q = snap_edit(p, n, snap_at(p, n, 2), bad_quota[k].edit, &en);
        snprintf(want, sizeof want,
                 "chunk MINR at offset %zu: economy 'E000' mineral 'M0.x': "
                 "export quota %s must be finite and >= 0",
                 offs[2], bad_quota[k].value);
        expect_load_error(q, en, CRIT_EINVAL, want);
        free(q);
    }

    /* the member byte is 0 or 1 (docs/format.md), not any non-zero */
    q = snap_edit(p, n, snap_at(p, n, 1), set_member_2, &en);
    snprintf(want, sizeof want,
             "chunk ECON at offset %zu: member flag of economy 'E000': 2 is "
             "not 0 or 1",
             offs[1]);
    expect_load_error(q, en, CRIT_EINVAL, want);
    free(q);

    q = snap_edit(p, n, snap_at(p, n, 1), set_economy_code_bad, &en);
    snprintf(want, sizeof want, "chunk ECON at offset %zu: economy code",
             offs[1]);
    expect_load_error(q, en, CRIT_EINVAL, want);
    free(q);
    free(p);
}

/* Transport E002->E000 of a 3-economy mineral (23.5, scale 1) made 0.2,
   written as a non-minimal varint of the same length. */
static void set_transport_2_0_small(unsigned char *raw, size_t n)
{
    (void)n;
    size_t v = 3 + 8 * 3 + (2 * 2 + 0); /* first matrix, arc (2, 0) */
    size_t p = varint_of(raw, v), len = 1;
    while (raw[p + len - 1] & 0x80)
        len++;
    assert_true(len >= 2);
    raw[p] = 0x84; /* zigzag 4: n = 2 */
    for (size_t i = 1; i + 1 < len; i++)
        raw[p + i] = 0x80;
    raw[p + len - 1] = 0x00;
}

/* A file made only of valid values can still hold an impossible world:
   E002's export subsidy with a small transport cost makes a wedge
   negative.
   The world's own rule refuses it. */
static void test_io_negative_wedge_refused(void **state)
{
    (void)state;
    size_t n, en;
    unsigned char *p = small_snapshot(&n, NULL);
    double x;
    crit_world *w;
    assert_int_equal(io_test_world(&w, 3, 2), CRIT_OK);
    assert_int_equal(
        crit_world_arc_get(NULL, NULL, &x, w, "M0.x", "E002", "E000"), CRIT_OK);
    assert_true(x < 0); /* the fixture has the subsidy this test needs */
    crit_world_free(w);
    unsigned char *q =
        snap_edit(p, n, snap_at(p, n, 2), set_transport_2_0_small, &en);
    expect_load_error(q, en, CRIT_EINVAL,
                      "mineral 'M0.x' arc E002->E000: wedge");
    free(q);
    free(p);
}

/* ---- hostile files: each check of the reader, reached by editing a valid
 * snapshot (small_snapshot: WRLD, ECON, MINR M0.x, MINR M1.x, CEND; three
 * economies) so that only the property under test is wrong. Every CRC is
 * recomputed, so the check under test is the one that fires. ------------ */

static void expect_load_error_opt(const unsigned char *p, size_t n,
                                  const crit_io_load_options *o, int code,
                                  const char *needle)
{
    uint64_t live = crit_allocator_live_blocks();
    crit_world *w = (crit_world *)(uintptr_t)1;
    int rc = crit_io_load_memory(&w, p, n, o);
    if (rc != code || !strstr(crit_error_last(), needle))
        fail_msg("expected %s containing '%s', got %s: %s",
                 crit_error_name(code), needle, crit_error_name(rc),
                 crit_error_last());
    assert_ptr_equal(w, (crit_world *)(uintptr_t)1);
    assert_int_equal(crit_allocator_live_blocks(), live);
}

/* "chunk TYPE at offset N: detail" for chunk idx of p. */
static const char *at_chunk(const unsigned char *p, size_t n, size_t idx,
                            const char *type, const char *detail)
{
    static char buf[4][512];
    static int k;
    size_t offs[16] = {0};
    assert_true(idx < snap_chunks(p, n, offs, 16));
    char *b = buf[k++ % 4];
    snprintf(b, 512, "chunk %s at offset %zu: %s", type, offs[idx], detail);
    return b;
}

static void test_io_header_version_older(void **state)
{
    (void)state;
    size_t n;
    unsigned char *p = small_snapshot(&n, NULL);
    crit__put_u16(p + 8, 0);
    crit__put_u16(p + 10, 9);
    crit__put_u32(p + 16, (uint32_t)crc32(0, p, 16));
    expect_load_error(p, n, CRIT_EVERSION,
                      "header at offset 8: format version 0.9 is older than "
                      "any this library reads");
    free(p);
}

/* WRLD first and once, ECON once, MINR as often as WRLD says, CEND last
 * and empty with nothing after it. */
static void test_io_chunk_order_and_counts(void **state)
{
    (void)state;
    size_t n, qn;
    unsigned char *p = small_snapshot(&n, NULL), *q = malloc(n + 8);
    size_t offs[16];
    snap_chunks(p, n, offs, 16);

    memcpy(q, p, n);
    snap_retype(q, snap_at(q, n, 0), "ECON");
    expect_load_error(
        q, n, CRIT_EFORMAT,
        at_chunk(q, n, 0, "ECON", "the first chunk must be WRLD"));
    memcpy(q, p, n);
    snap_retype(q, snap_at(q, n, 1), "WRLD");
    expect_load_error(q, n, CRIT_EFORMAT,
                      at_chunk(q, n, 1, "WRLD", "a second WRLD chunk"));
    memcpy(q, p, n);
    snap_retype(q, snap_at(q, n, 2), "ECON");
    expect_load_error(q, n, CRIT_EFORMAT,
                      at_chunk(q, n, 2, "ECON", "a second ECON chunk"));
    memcpy(q, p, n);
    snap_retype(q, snap_at(q, n, 1), "XCON"); /* an unknown type, skipped */
    expect_load_error(q, n, CRIT_EFORMAT,
                      at_chunk(q, n, 4, "CEND", "the file has no ECON chunk"));
    memcpy(q, p, n);
    snap_retype(q, snap_at(q, n, 3), "XINR");
    expect_load_error(q, n, CRIT_EFORMAT,
                      at_chunk(q, n, 4, "CEND",
                               "the file has 1 MINR chunks, the WRLD chunk "
                               "declares 2"));
    /* CEND must be empty, and last */
    memcpy(q, p, n);
    crit__put_u64(q + offs[4] + 16, 1);
    snap_fix_crc(q, offs[4]);
    expect_load_error(
        q, n, CRIT_EFORMAT,
        at_chunk(q, n, 4, "CEND", "end chunk declares 1 bytes of payload"));
    memcpy(q, p, n);
    memcpy(q + n, "abc", 3);
    char want[128];
    snprintf(want, sizeof want,
             "chunk CEND at offset %zu: 3 bytes follow the end chunk (from "
             "offset %zu)",
             offs[4], n);
    expect_load_error(q, n + 3, CRIT_EFORMAT, want);
    free(q);

    /* WRLD: 1 mineral declared, 2 MINR chunks; a payload of 4 bytes */
    unsigned char wr[8];
    crit__put_u32(wr, 3);
    crit__put_u32(wr + 4, 1);
    q = snap_with(p, n, snap_at(p, n, 0), NULL, wr, 8, 0, &qn);
    expect_load_error(q, qn, CRIT_EFORMAT,
                      at_chunk(q, qn, 3, "MINR",
                               "more MINR chunks than the 1 minerals the WRLD "
                               "chunk declares"));
    free(q);
    q = snap_with(p, n, snap_at(p, n, 0), NULL, wr, 4, 0, &qn);
    expect_load_error(
        q, qn, CRIT_EFORMAT,
        at_chunk(q, qn, 0, "WRLD", "payload of 4 bytes is shorter than 8"));
    free(q);
    free(p);
}

/* The zlib stream of a chunk: corrupt, shorter than declared, followed by
 * unused bytes, declared impossibly large for its size, or larger than a
 * chunk can be. */
static void test_io_compressed_stream_errors(void **state)
{
    (void)state;
    size_t n, qn, rn, offs[16] = {0};
    unsigned char *p = small_snapshot(&n, NULL), *q = malloc(n);
    snap_chunks(p, n, offs, 16);

    memcpy(q, p, n);
    q[offs[1] + 24 + 1] ^= 0x01; /* zlib header check (FLG) */
    snap_fix_crc(q, offs[1]);
    expect_load_error(q, n, CRIT_EFORMAT,
                      at_chunk(q, n, 1, "ECON",
                               "corrupt compressed data (incorrect header "
                               "check)"));

    memcpy(q, p, n);
    uint64_t raw_len = crit__get_u64(p + offs[1] + 16);
    crit__put_u64(q + offs[1] + 16, raw_len + 1);
    snap_fix_crc(q, offs[1]);
    char detail[128];
    snprintf(detail, sizeof detail,
             "compressed stream ends early (%llu of %llu bytes)",
             (unsigned long long)raw_len, (unsigned long long)raw_len + 1);
    expect_load_error(q, n, CRIT_EFORMAT, at_chunk(q, n, 1, "ECON", detail));
    free(q);

    unsigned char *raw = snap_raw(p, snap_at(p, n, 1), &rn);
    q = snap_with(p, n, snap_at(p, n, 1), NULL, raw, rn, 2, &qn);
    expect_load_error(
        q, qn, CRIT_EFORMAT,
        at_chunk(q, qn, 1, "ECON", "2 bytes follow the compressed stream"));
    free(q);
    free(raw);

    /* WRLD declares more than deflate can expand its stored bytes to, but
       less than the load limit */
    q = malloc(n);
    memcpy(q, p, n);
    uint64_t stored = crit__get_u64(p + 20 + 8);
    crit__put_u64(q + 20 + 16, stored * 1032 + 65);
    snap_fix_crc(q, 20);
    snprintf(detail, sizeof detail,
             "declared size %llu is impossible for %llu compressed bytes",
             (unsigned long long)(stored * 1032 + 65),
             (unsigned long long)stored);
    expect_load_error(q, n, CRIT_EFORMAT, at_chunk(q, n, 0, "WRLD", detail));
    free(q);

    /* 4 GiB declared for 4 MB stored: possible for deflate, within a
       limit of 2^64 - 1, but more than one chunk may hold */
    size_t big = 4161800; /* 4161800 * 1032 + 64 >= 2^32 */
    q = calloc(1, 20 + 24 + big);
    assert_non_null(q);
    memcpy(q, p, 20);
    memcpy(q + 20, "WRLD", 4);
    crit__put_u64(q + 28, big);
    crit__put_u64(q + 36, (uint64_t)1 << 32);
    snap_fix_crc(q, 20);
    crit_io_load_options lo;
    crit_io_load_options_init(&lo);
    lo.max_uncompressed_bytes = UINT64_MAX;
    expect_load_error_opt(q, 20 + 24 + big, &lo, CRIT_EFORMAT,
                          "chunk WRLD at offset 20: declared size 4294967296 "
                          "(4161800 stored) is more than a chunk may hold "
                          "(4294967295 bytes)");
    free(q);
    free(p);
}

/* zlib's Adler-32 of a chunk's inflated bytes is written but not checked
 * (docs/format.md: the chunk's CRC-32 already covers every stored byte):
 * a chunk whose Adler-32 trailer is wrong, its CRC-32 fixed, loads. */
static void test_io_adler32_not_checked(void **state)
{
    (void)state;
    size_t n;
    crit_world *w, *back = NULL;
    unsigned char *p = small_snapshot(&n, &w);
    for (size_t c = 0; c < 4; c++) { /* WRLD, ECON, both MINR */
        size_t off = snap_at(p, n, c);
        size_t stored = (size_t)crit__get_u64(p + off + 8);
        p[off + 24 + stored - 1] ^= 0x5a; /* the trailer's last byte */
        snap_fix_crc(p, off);
    }
    assert_int_equal(crit_io_load_memory(&back, p, n, NULL), CRIT_OK);
    assert_true(crit_world_equal(w, back));
    crit_world_free(back);
    crit_world_free(w);
    free(p);
}

/* ECON: count, truncated fields, a string longer than the payload */
static size_t econ_count_2(unsigned char *raw, size_t n)
{
    crit__put_u32(raw, 2);
    return n;
}
static size_t cut_to_3(unsigned char *raw, size_t n)
{
    (void)raw, (void)n;
    return 3;
}
static size_t cut_last(unsigned char *raw, size_t n)
{
    (void)raw;
    return n - 1;
}
static size_t econ_code_too_long(unsigned char *raw, size_t n)
{
    crit__put_u32(raw + 4, 0xFFFFFF00u);
    return n;
}

static void test_io_econ_layout_errors(void **state)
{
    (void)state;
    size_t n, qn;
    unsigned char *p = small_snapshot(&n, NULL), *q;
    static const struct {
        snap_resize_fn edit;
        const char *detail;
    } cases[] = {
        {econ_count_2, "holds 2 economies, the WRLD chunk says 3"},
        {cut_to_3, "economy count at payload byte 0 runs past the payload's "
                   "end (3 bytes)"},
        {cut_last, "member flag at payload byte"},
        {econ_code_too_long, "economy code at payload byte 8 runs past the "
                             "payload's end"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        q = snap_resize(p, n, snap_at(p, n, 1), cases[c].edit, &qn);
        expect_load_error(q, qn, CRIT_EFORMAT,
                          at_chunk(q, qn, 1, "ECON", cases[c].detail));
        free(q);
    }
    /* the first pass checks ECON whole before reading on: with a MINR
       chunk after it damaged too, the ECON chunk is named */
    size_t rn, nd, n2;
    q = snap_resize(p, n, snap_at(p, n, 1), cut_last, &qn);
    unsigned char *raw = snap_raw(q, snap_at(q, qn, 2), &rn);
    raw[value_block(raw, &nd)] = 18;
    unsigned char *q2 =
        snap_with(q, qn, snap_at(q, qn, 2), NULL, raw, rn, 0, &n2);
    expect_load_error(
        q2, n2, CRIT_EFORMAT,
        at_chunk(q2, n2, 1, "ECON", "member flag at payload byte"));
    free(q2);
    free(raw);
    free(q);
    free(p);
}

/* MINR: strings, economy count, the value block (scale bytes, raw values,
 * varints, mantissas) and the ban bytes, each against the payload */
static size_t minr_code_nul(unsigned char *raw, size_t n)
{
    raw[4] = '\0'; /* "M0.x" -> "\0" "0.x" */
    return n;
}
static size_t minr_count_2(unsigned char *raw, size_t n)
{
    size_t nd;
    crit__put_u32(raw + value_block(raw, &nd) - 4, 2);
    return n;
}
static size_t minr_no_room_for_scales(unsigned char *raw, size_t n)
{
    (void)n;
    size_t nd, b = value_block(raw, &nd);
    return b + nd - 1;
}
static size_t minr_scale_18(unsigned char *raw, size_t n)
{
    size_t nd;
    raw[value_block(raw, &nd)] = 18;
    return n;
}
static size_t minr_raw_value_cut(unsigned char *raw, size_t n)
{
    (void)n;
    size_t nd, b = value_block(raw, &nd);
    raw[b] = 0xFF; /* value 0: 8 raw bytes, of which 7 are there */
    return b + nd + 7;
}
static size_t minr_varint_cut(unsigned char *raw, size_t n)
{
    (void)n;
    size_t nd, b = value_block(raw, &nd);
    assert_true(raw[b] != 0xFF);
    return b + nd; /* the scale bytes and no value */
}
static size_t minr_varint_11_bytes(unsigned char *raw, size_t n)
{
    size_t v = varint_of(raw, 0);
    assert_true(v + 11 <= n);
    memset(raw + v, 0x80, 11);
    return n;
}
/* Eleven bytes whose last one ends the varint: ten continuation bytes are
   the most a varint may have, so the eleventh is refused even though the
   value (0) would fit. */
static size_t minr_varint_ends_at_11(unsigned char *raw, size_t n)
{
    size_t v = varint_of(raw, 0);
    assert_true(v + 11 <= n);
    memset(raw + v, 0x80, 10);
    raw[v + 10] = 0x00;
    return n;
}
/* Value 0 (P0) rewritten as the varint of zigzag z, scale 0. */
static size_t set_p0_zigzag(unsigned char *raw, size_t n, uint64_t z)
{
    size_t nd, b = value_block(raw, &nd), v = varint_of(raw, 0), len = 1;
    while (raw[v + len - 1] & 0x80)
        len++;
    unsigned char var[10];
    size_t k = 0;
    for (; z >= 0x80; z >>= 7)
        var[k++] = (unsigned char)(z | 0x80);
    var[k++] = (unsigned char)z;
    memmove(raw + v + k, raw + v + len, n - v - len);
    memcpy(raw + v, var, k);
    raw[b] = 0;
    return n - len + k;
}
/* Value 2 (the holding cost, 0 allowed) as a 10-byte varint whose last
   byte holds bits 63 to 69: z = 2^64, a mantissa of 2^63. Kept to 64 bits
   z would wrap to 0, a valid holding cost. */
static size_t minr_varint_past_64_bits(unsigned char *raw, size_t n)
{
    size_t nd, b = value_block(raw, &nd), v = varint_of(raw, 2), len = 1;
    assert_int_equal(raw[b + 2], 0); /* 25: scale 0 */
    while (raw[v + len - 1] & 0x80)
        len++;
    unsigned char var[10] = {0x80, 0x80, 0x80, 0x80, 0x80,
                             0x80, 0x80, 0x80, 0x80, 0x02};
    memmove(raw + v + 10, raw + v + len, n - v - len);
    memcpy(raw + v, var, 10);
    return n - len + 10;
}
static size_t minr_mantissa_2p53(unsigned char *raw, size_t n)
{
    return set_p0_zigzag(raw, n, (uint64_t)1 << 54); /* +2^53 */
}
static size_t minr_mantissa_over_2p53(unsigned char *raw, size_t n)
{
    return set_p0_zigzag(raw, n, ((uint64_t)1 << 54) + 1); /* -(2^53 + 1) */
}

static void test_io_minr_layout_errors(void **state)
{
    (void)state;
    size_t n, qn, rn;
    unsigned char *p = small_snapshot(&n, NULL), *q;
    unsigned char *raw = snap_raw(p, snap_at(p, n, 2), &rn);
    size_t nd, block = value_block(raw, &nd);
    assert_int_equal(nd, 3 + 8 * 3 + 3 * 3 * 2);
    char scales[128], bans[128];
    snprintf(scales, sizeof scales,
             "tables of %zu values need more than the %zu bytes left in the "
             "payload",
             nd, nd - 1);
    snprintf(bans, sizeof bans,
             "6 ban bytes at payload byte %zu run past the payload's end (%zu "
             "bytes)",
             rn - 6, rn - 1);
    char vb[64];
    snprintf(vb, sizeof vb, "value block at payload byte %zu: ", block);
    struct {
        snap_resize_fn edit;
        int code;
        const char *detail;
    } cases[] = {
        {cut_to_3, CRIT_EFORMAT,
         "mineral code at payload byte 0 runs past the payload's end (3 "
         "bytes)"},
        {minr_code_nul, CRIT_EFORMAT,
         "mineral code at payload byte 4 contains a NUL byte"},
        {minr_count_2, CRIT_EFORMAT,
         "has tables for 2 economies, the WRLD chunk says 3"},
        {minr_no_room_for_scales, CRIT_EFORMAT, scales},
        {minr_scale_18, CRIT_EFORMAT,
         "a scale byte is neither 0 to 17 nor 0xFF"},
        {minr_raw_value_cut, CRIT_EFORMAT, "a value runs past the payload"},
        {minr_varint_cut, CRIT_EFORMAT, "a value runs past the payload"},
        {minr_varint_11_bytes, CRIT_EFORMAT,
         "a varint is longer than 10 bytes"},
        {minr_varint_ends_at_11, CRIT_EFORMAT,
         "a varint is longer than 10 bytes"},
        {minr_mantissa_over_2p53, CRIT_EFORMAT,
         "a decimal mantissa exceeds 2^53"},
        {cut_last, CRIT_EFORMAT, bans},
        /* 2^53 itself is a valid mantissa: the format passes it and the
           world's rule refuses P0 = 2^53 above Pmax */
        {minr_mantissa_2p53, CRIT_EINVAL, "mineral 'M0.x': choke price"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        q = snap_resize(p, n, snap_at(p, n, 2), cases[c].edit, &qn);
        char want[256];
        int in_block = c >= 4 && c <= 9;
        snprintf(want, sizeof want, "%s%s", in_block ? vb : "",
                 cases[c].detail);
        expect_load_error(q, qn, cases[c].code,
                          at_chunk(q, qn, 2, "MINR", want));
        free(q);
    }

    /* a varint's bits past 64 are not dropped: 2^63 exceeds 2^53 */
    q = snap_resize(p, n, snap_at(p, n, 2), minr_varint_past_64_bits, &qn);
    char past[128];
    snprintf(past, sizeof past, "%sa decimal mantissa exceeds 2^53", vb);
    expect_load_error(q, qn, CRIT_EFORMAT, at_chunk(q, qn, 2, "MINR", past));
    free(q);

    /* the decoded values count against the load limit: one byte short of
       the first mineral's values */
    size_t en, wn;
    free(snap_raw(p, snap_at(p, n, 1), &en));
    free(snap_raw(p, snap_at(p, n, 0), &wn));
    crit_io_load_options lo;
    crit_io_load_options_init(&lo);
    lo.max_uncompressed_bytes = wn + en + rn + nd * 8 - 1;
    char detail[160];
    snprintf(detail, sizeof detail,
             "%zu values exceed the limit (%zu bytes left of the load "
             "options' maximum)",
             nd, nd * 8 - 1);
    expect_load_error_opt(p, n, &lo, CRIT_EFORMAT,
                          at_chunk(p, n, 2, "MINR", detail));
    free(raw);
    free(p);
}

static void test_io_path_errors(void **state)
{
    (void)state;
    char p[256];
    crit_world *w = (crit_world *)(uintptr_t)1;
    assert_int_equal(crit_io_load(&w, tmpdir, NULL), CRIT_EIO);
    assert_non_null(strstr(crit_error_last(), "a directory"));
    path_in(p, sizeof p, "missing.crit");
    assert_int_equal(crit_io_load(&w, p, NULL), CRIT_EIO);
    assert_non_null(strstr(crit_error_last(), "missing.crit"));
    path_in(p, sizeof p, "empty.crit");
    spit(p, (const unsigned char *)"", 0);
    assert_int_equal(crit_io_load(&w, p, NULL), CRIT_EFORMAT);
    char named[320];
    snprintf(named, sizeof named, "snapshot '%s': header at offset 0", p);
    assert_non_null(strstr(crit_error_last(), named));
    assert_ptr_equal(w, (crit_world *)(uintptr_t)1);

    crit_world *v;
    assert_int_equal(io_test_world(&v, 2, 1), CRIT_OK);
    path_in(p, sizeof p, "no/such/dir/x.crit");
    uint64_t live = crit_allocator_live_blocks();
    assert_int_equal(crit_io_save(p, v, NULL), CRIT_EIO);
    assert_non_null(strstr(crit_error_last(), "no/such/dir"));
    assert_int_equal(crit_allocator_live_blocks(), live); /* zlib's too */
    crit_io_save_options so;
    crit_io_save_options_init(&so);
    so.level = 10;
    path_in(p, sizeof p, "x.crit");
    assert_int_equal(crit_io_save(p, v, &so), CRIT_EINVAL);
    assert_int_equal(crit_io_save(NULL, v, NULL), CRIT_EINVAL);
    assert_int_equal(crit_io_save(p, NULL, NULL), CRIT_EINVAL);
    assert_int_equal(crit_io_load(NULL, p, NULL), CRIT_EINVAL);
    crit_world_free(v);
}

static size_t count_files(void);

/* A path without a directory part is in the working directory; a target
 * that is a directory cannot be replaced: CRIT_EIO naming it, the
 * temporary file removed, the directory as it was. */
static void test_io_save_relative_and_over_directory(void **state)
{
    (void)state;
    crit_world *w, *back = NULL;
    assert_int_equal(io_test_world(&w, 2, 1), CRIT_OK);
    char cwd[512], p[256];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(tmpdir), 0);
    int rc = crit_io_save("rel.crit", w, NULL);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(rc, CRIT_OK);
    path_in(p, sizeof p, "rel.crit");
    assert_int_equal(crit_io_load(&back, p, NULL), CRIT_OK);
    assert_true(crit_world_equal(w, back));
    crit_world_free(back);
    unlink(p);

    path_in(p, sizeof p, "adir");
    assert_int_equal(mkdir(p, 0700), 0);
    size_t files = count_files();
    assert_int_equal(crit_io_save(p, w, NULL), CRIT_EIO);
    assert_non_null(strstr(crit_error_last(), "cannot rename the temporary "
                                              "file over"));
    assert_non_null(strstr(crit_error_last(), "adir"));
    assert_int_equal(crit_io_csv_export(p, w, CRIT_CSV_MINERALS, NULL),
                     CRIT_EIO);
    assert_int_equal(count_files(), files); /* no temporary file left */
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    rmdir(p);
    crit_world_free(w);
}

/*
 * A file its reader may not open is CRIT_EIO, naming the file and the
 * reason, with nothing returned. Root reads files whatever their
 * permission bits, and these tests run as root in CI, so the loads run in
 * a child that gives up root first (to nobody, 65534), with the directory
 * opened to others for it; the child reports by its exit status.
 */
static int unreadable_loads(const char *p)
{
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
        return 3;
    crit_world *w = (crit_world *)(uintptr_t)1;
    if (crit_io_load(&w, p, NULL) != CRIT_EIO ||
        w != (crit_world *)(uintptr_t)1 ||
        !strstr(crit_error_last(), "Permission denied") ||
        !strstr(crit_error_last(), p))
        return 1;
    if (crit_io_csv_import(&w, NULL, CRIT_CSV_ECONOMIES, p, NULL) != CRIT_EIO ||
        w != (crit_world *)(uintptr_t)1 ||
        !strstr(crit_error_last(), "Permission denied") ||
        !strstr(crit_error_last(), p))
        return 2;
    return 0;
}

static void test_io_unreadable_file(void **state)
{
    (void)state;
    char p[256];
    size_t n;
    unsigned char *d = small_snapshot(&n, NULL);
    path_in(p, sizeof p, "locked.crit");
    spit(p, d, n);
    free(d);
    assert_int_equal(chmod(p, 0), 0);
    assert_int_equal(chmod(tmpdir, 0711), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(unreadable_loads(p));
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_equal(chmod(tmpdir, 0700), 0);
    assert_true(WIFEXITED(status));
    if (WEXITSTATUS(status) == 3) {
        print_message("skipped: running as root without the right to give "
                      "it up (setuid)\n");
        skip();
    }
    /* 1: the snapshot reader, 2: the CSV reader failed the check */
    assert_int_equal(WEXITSTATUS(status), 0);
}

/*
 * A save that cannot write its temporary file (a file size limit,
 * RLIMIT_FSIZE, reached mid-write: EFBIG) is CRIT_EIO naming the file and
 * the reason; the file it would have replaced is as it was, and no
 * temporary file is left beside it. Both writers: the snapshot's
 * (streamed) and the CSV tables' (one buffer). The limit and the ignored
 * SIGXFSZ are the process's, so the saves run in a child, which reports
 * by its exit status.
 */
static int limited_saves(const char *p, const crit_world *w)
{
    struct rlimit lim = {1024, 1024};
    if (signal(SIGXFSZ, SIG_IGN) == SIG_ERR || setrlimit(RLIMIT_FSIZE, &lim))
        return 3;
    const char *why = "cannot write the temporary file of";
    if (crit_io_save(p, w, NULL) != CRIT_EIO ||
        !strstr(crit_error_last(), why) || !strstr(crit_error_last(), p) ||
        !strstr(crit_error_last(), "File too large"))
        return 1;
    if (crit_io_csv_export(p, w, CRIT_CSV_CURVES, NULL) != CRIT_EIO ||
        !strstr(crit_error_last(), why) || !strstr(crit_error_last(), p) ||
        !strstr(crit_error_last(), "File too large"))
        return 2;
    return 0;
}

static void test_io_save_write_error(void **state)
{
    (void)state;
    crit_world *w = NULL;
    assert_int_equal(crit_world_default(&w), CRIT_OK);
    char dir[256], p[300];
    path_in(dir, sizeof dir, "limited");
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(p, sizeof p, "%s/kept.crit", dir);
    const unsigned char old[] = "the file as it was\n";
    spit(p, old, sizeof old);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(limited_saves(p, w));
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    crit_world_free(w);
    assert_true(WIFEXITED(status));
    /* 1: the snapshot writer, 2: the CSV writer failed the check */
    assert_int_equal(WEXITSTATUS(status), 0);
    size_t n = 0;
    unsigned char *back = snap_slurp(p, &n);
    assert_int_equal(n, sizeof old);
    assert_memory_equal(back, old, sizeof old);
    free(back);
    /* nothing else in the directory: no temporary file left */
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.' && strcmp(e->d_name, "kept.crit") != 0)
            fail_msg("left behind: %s", e->d_name);
    closedir(d);
    assert_int_equal(unlink(p), 0);
    assert_int_equal(rmdir(dir), 0);
}

/* A path that is not a regular file (a character device: a FIFO would
 * block the open) is CRIT_EIO naming it, for every reader, with nothing
 * returned and nothing leaked; it is not read as an empty file. */
static void test_io_not_a_regular_file(void **state)
{
    (void)state;
    struct stat st;
    if (stat("/dev/null", &st) != 0 || !S_ISCHR(st.st_mode)) {
        print_message("skipped: no character device /dev/null\n");
        skip();
    }
    uint64_t live = crit_allocator_live_blocks();
    crit_world *w = (crit_world *)(uintptr_t)1;
    assert_int_equal(crit_io_load(&w, "/dev/null", NULL), CRIT_EIO);
    assert_non_null(
        strstr(crit_error_last(), "snapshot '/dev/null': not a regular file"));
    assert_int_equal(
        crit_io_csv_import(&w, NULL, CRIT_CSV_ECONOMIES, "/dev/null", NULL),
        CRIT_EIO);
    assert_non_null(
        strstr(crit_error_last(), "csv '/dev/null': not a regular file"));
    assert_ptr_equal(w, (crit_world *)(uintptr_t)1);
    crit_scenario *s = (crit_scenario *)(uintptr_t)1;
    assert_int_equal(crit_io_load_scenario(&s, NULL, "/dev/null", NULL),
                     CRIT_EIO);
    assert_non_null(
        strstr(crit_error_last(), "snapshot '/dev/null': not a regular file"));
    assert_ptr_equal(s, (crit_scenario *)(uintptr_t)1);
    assert_int_equal(crit_allocator_live_blocks(), live);
}

/* ---- allocation failure (tests/unit/failalloc.h) ----------------------- */

static size_t count_files(void)
{
    DIR *d = opendir(tmpdir);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

typedef struct fa_ctx {
    const char *path;
    crit_world *w, *out;
    size_t files;
} fa_ctx;

static int op_save(void *p)
{
    fa_ctx *c = p;
    return crit_io_save(c->path, c->w, NULL);
}

static void save_unchanged(void *p)
{
    fa_ctx *c = p;
    assert_int_equal(count_files(), c->files); /* no temp, no target */
}

static int op_load(void *p)
{
    fa_ctx *c = p;
    return crit_io_load(&c->out, c->path, NULL);
}

static void load_unchanged(void *p)
{
    assert_null(((fa_ctx *)p)->out);
}

static void test_io_allocation_failure(void **state)
{
    (void)state;
    static failalloc fa;
    assert_int_equal(failalloc_install(&fa), 0);
    char p[256];
    path_in(p, sizeof p, "fa.crit");
    unlink(p);
    fa_ctx c = {p, NULL, NULL, count_files()};
    assert_int_equal(io_test_world(&c.w, 5, 2), CRIT_OK);
    assert_true(
        failalloc_run(&fa, FAILALLOC_FROM, op_save, save_unchanged, &c) > 3);
    unlink(p);
    assert_true(
        failalloc_run(&fa, FAILALLOC_ONLY, op_save, save_unchanged, &c) > 3);
    failalloc_mode modes[2] = {FAILALLOC_FROM, FAILALLOC_ONLY};
    for (int m = 0; m < 2; m++) {
        assert_true(failalloc_run(&fa, modes[m], op_load, load_unchanged, &c) >
                    10);
        assert_true(crit_world_equal(c.w, c.out));
        crit_world_free(c.out);
        c.out = NULL;
    }
    crit_world_free(c.w);
    assert_int_equal(failalloc_uninstall(&fa), 0);
}

/* ---- atomic replacement under SIGKILL ---------------------------------- */

static void writer_loop(const char *path, crit_world *a, crit_world *b)
{
    for (unsigned i = 0;; i++)
        if (crit_io_save(path, i % 2 ? a : b, NULL) != CRIT_OK)
            _exit(3);
}

static void test_io_atomic_under_sigkill(void **state)
{
    (void)state;
    char p[256];
    path_in(p, sizeof p, "atomic.crit");
    crit_world *a, *b;
    assert_int_equal(io_test_world(&a, 60, 3), CRIT_OK);
    assert_int_equal(io_test_world(&b, 59, 4), CRIT_OK);
    assert_int_equal(crit_io_save(p, a, NULL), CRIT_OK);
    unsigned seed = (unsigned)time(NULL);
    srand(seed);
    int kills = 0, strays = 0, got_a = 0, got_b = 0;
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (kills = 0; kills < 200; kills++) {
        clock_gettime(CLOCK_MONOTONIC, &t);
        if (kills >= 50 && t.tv_sec - t0.tv_sec > 20)
            break; /* bounded in time, e.g. under valgrind */
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
            writer_loop(p, a, b);
        struct timespec d = {0, (long)(rand() % 20000) * 1000};
        nanosleep(&d, NULL);
        kill(pid, SIGKILL);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFSIGNALED(status));
        crit_world *got = NULL;
        int rc = crit_io_load(&got, p, NULL);
        if (rc != CRIT_OK)
            fail_msg("after kill %d (seed %u): %s", kills, seed,
                     crit_error_last());
        int is_a = crit_world_equal(got, a), is_b = crit_world_equal(got, b);
        assert_true(is_a || is_b);
        got_a += is_a;
        got_b += is_b;
        crit_world_free(got);
        /* a writer killed mid-save leaves its temporary file: count and
           remove them (docs/format.md) */
        DIR *dir = opendir(tmpdir);
        struct dirent *e;
        char q[512];
        while ((e = readdir(dir)))
            if (strstr(e->d_name, "atomic.crit.tmp.")) {
                strays++;
                snprintf(q, sizeof q, "%s/%s", tmpdir, e->d_name);
                unlink(q);
            }
        closedir(dir);
    }
    print_message("%d kills: %d old/new A, %d B, %d temporary files left by "
                  "killed writers\n",
                  kills, got_a, got_b, strays);
    assert_true(kills >= 50);
    crit_world_free(a);
    crit_world_free(b);
}

/* ---- CSV --------------------------------------------------------------- */

static const int32_t csv_order[5] = {CRIT_CSV_ECONOMIES, CRIT_CSV_MINERALS,
                                     CRIT_CSV_CURVES, CRIT_CSV_ARCS,
                                     CRIT_CSV_EXPORTS};

static void test_io_csv_roundtrip(void **state)
{
    (void)state;
    crit_world *w, *cur = NULL;
    assert_int_equal(io_test_world(&w, 7, 3), CRIT_OK);
    char p[256];
    for (int t = 0; t < 5; t++) {
        /* odd tables gzip-compressed, chosen by the name */
        snprintf(p, sizeof p, "%s/t%d.csv%s", tmpdir, t, t % 2 ? ".gz" : "");
        assert_int_equal(crit_io_csv_export(p, w, csv_order[t], NULL), CRIT_OK);
        size_t n;
        unsigned char *d = snap_slurp(p, &n);
        assert_true((d[0] == 0x1f && d[1] == 0x8b) == (t % 2));
        free(d);
        crit_world *next = NULL;
        assert_int_equal(crit_io_csv_import(&next, cur, csv_order[t], p, NULL),
                         CRIT_OK);
        crit_world_free(cur);
        cur = next;
    }
    assert_true(crit_world_equal(w, cur));
    crit_world_free(cur);
    crit_world_free(w);
}

static crit_world *csv_mem(const crit_world *base, int32_t table,
                           const char *text)
{
    crit_world *out = NULL;
    int rc = crit_io_csv_import_memory(&out, base, table, text, strlen(text),
                                       "t.csv");
    if (rc)
        fail_msg("%s: %s", crit_error_name(rc), crit_error_last());
    return out;
}

static void test_io_csv_hand_written(void **state)
{
    (void)state;
    /* BOM, CRLF, reordered and omitted optional columns, quoted fields
       with commas, quotes and a line break, blank lines */
    crit_world *e =
        csv_mem(NULL, CRIT_CSV_ECONOMIES,
                "\xef\xbb\xbfmember,code\r\n1,USA\r\n\r\n0,CHN\r\n");
    crit_world *m = csv_mem(e, CRIT_CSV_MINERALS,
                            "code,base_price_usd_per_t,name\n"
                            "Ga,1000,\"Gallium, \"\"refined\"\"\nmetal\"\n"
                            "Ge,2500.5,\n");
    crit_world *c = csv_mem(m, CRIT_CSV_CURVES,
                            "mineral,economy,base_production_t_per_yr\n"
                            "Ga,CHN,750\n");
    crit_world *a = csv_mem(c, CRIT_CSV_ARCS,
                            "mineral,from,to,tariff_ad_valorem,export_ban\n"
                            "Ga,CHN,USA,0.25,1\n");
    crit_world *x = csv_mem(a, CRIT_CSV_EXPORTS,
                            "mineral,economy,export_quota_t_per_yr\n"
                            "Ga,CHN,10\n");
    crit_mineral_def md;
    crit_mineral_def_init(&md);
    assert_int_equal(crit_world_mineral_get(&md, x, 0), CRIT_OK);
    assert_string_equal(md.name, "Gallium, \"refined\"\nmetal");
    assert_true(md.choke_price_usd_per_t == 10000); /* default 10 P0 */
    assert_int_equal(crit_world_mineral_get(&md, x, 1), CRIT_OK);
    assert_string_equal(md.name, "Ge"); /* empty name: the code */
    assert_true(md.base_price_usd_per_t == 2500.5);
    assert_int_equal(crit_world_member_count(x), 1);
    crit_curve_def cd;
    crit_curve_def_init(&cd);
    assert_int_equal(crit_world_curve_get(&cd, x, "CHN", "Ga"), CRIT_OK);
    assert_true(cd.base_production_t_per_yr == 750);
    assert_true(cd.capacity_t_per_yr == 750); /* defaults to s0 */
    double wedge, quota;
    int32_t allowed;
    assert_int_equal(
        crit_world_arc_wedge(&wedge, &allowed, x, "Ga", "CHN", "USA"), CRIT_OK);
    assert_true(wedge == 250); /* 0.25 * P0 */
    assert_int_equal(allowed, 0);
    assert_int_equal(crit_world_export_quota_get(&quota, x, "Ga", "CHN"),
                     CRIT_OK);
    assert_true(quota == 10);
    /* every step copied its base: the first world is still bare */
    assert_int_equal(crit_world_mineral_count(e), 0);
    crit_world *worlds[] = {e, m, c, a, x};
    for (int i = 0; i < 5; i++)
        crit_world_free(worlds[i]);
}

/* An empty name is a name: it is written as a quoted empty field, which
 * reads back as the empty string, where an unquoted empty field means the
 * column's default (the code). Number columns take "" as their default,
 * as spreadsheets that quote every field write a missing value. */
static void test_io_csv_empty_names_survive(void **state)
{
    (void)state;
    crit_world *w = NULL;
    assert_int_equal(crit_world_new(&w), CRIT_OK);
    crit_economy_def e;
    crit_economy_def_init(&e);
    e.code = "USA";
    e.name = "";
    assert_int_equal(crit_world_add_economy(w, &e), CRIT_OK);
    crit_mineral_def md;
    crit_mineral_def_init(&md);
    md.code = "Ga";
    md.name = "";
    md.base_price_usd_per_t = 1000;
    assert_int_equal(crit_world_add_mineral(w, &md), CRIT_OK);
    char p[256];
    crit_world *cur = NULL;
    for (int t = 0; t < 2; t++) {
        path_in(p, sizeof p, t ? "names_m.csv" : "names_e.csv");
        int32_t table = t ? CRIT_CSV_MINERALS : CRIT_CSV_ECONOMIES;
        assert_int_equal(crit_io_csv_export(p, w, table, NULL), CRIT_OK);
        size_t n;
        unsigned char *d = snap_slurp(p, &n);
        char *text = malloc(n + 1);
        assert_non_null(text);
        memcpy(text, d, n);
        text[n] = '\0';
        assert_non_null(strstr(text, t ? "\nGa,\"\"," : "\nUSA,\"\","));
        free(text);
        free(d);
        crit_world *next = NULL;
        assert_int_equal(crit_io_csv_import(&next, cur, table, p, NULL),
                         CRIT_OK);
        crit_world_free(cur);
        cur = next;
        unlink(p);
    }
    assert_true(crit_world_equal(w, cur));
    crit_economy_def got;
    crit_economy_def_init(&got);
    assert_int_equal(crit_world_economy_get(&got, cur, 0), CRIT_OK);
    assert_string_equal(got.name, "");
    crit_world_free(cur);
    /* by hand: "" is empty, nothing is the default; "" in a number column
     * is the default too */
    crit_world *h = csv_mem(NULL, CRIT_CSV_ECONOMIES,
                            "code,name,member\nUSA,\"\",\"\"\nCHN,,1\n");
    crit_world *m = csv_mem(h, CRIT_CSV_MINERALS,
                            "code,name,base_price_usd_per_t,"
                            "choke_price_usd_per_t\nGa,\"\",1000,\"\"\n");
    assert_int_equal(crit_world_economy_get(&got, m, 0), CRIT_OK);
    assert_string_equal(got.name, "");
    assert_int_equal(got.member, 0);
    assert_int_equal(crit_world_economy_get(&got, m, 1), CRIT_OK);
    assert_string_equal(got.name, "CHN");
    crit_mineral_def gm;
    crit_mineral_def_init(&gm);
    assert_int_equal(crit_world_mineral_get(&gm, m, 0), CRIT_OK);
    assert_string_equal(gm.name, "");
    assert_true(gm.choke_price_usd_per_t == 10000);
    crit_world_free(m);
    crit_world_free(h);
    crit_world_free(w);
}

/* gzip input may be several gzip members one after another (what `cat
 * a.gz b.gz` makes; a valid gzip file, RFC 1952): every member is read,
 * and a member cut short is an error, not the end of the data. */
static void test_io_csv_gzip_members_concatenated(void **state)
{
    (void)state;
    char p[256];
    path_in(p, sizeof p, "members.csv.gz");
    const char *part[] = {"code,member\nUSA,1\n", "CHN,0\nJPN,1\n"};
    for (int i = 0; i < 2; i++) {
        gzFile g = gzopen(p, i ? "ab" : "wb"); /* "ab": a second member */
        assert_non_null(g);
        assert_int_equal(gzwrite(g, part[i], (unsigned)strlen(part[i])),
                         (int)strlen(part[i]));
        assert_int_equal(gzclose(g), Z_OK);
    }
    crit_world *w = NULL;
    assert_int_equal(crit_io_csv_import(&w, NULL, CRIT_CSV_ECONOMIES, p, NULL),
                     CRIT_OK);
    assert_int_equal(crit_world_economy_count(w), 3);
    assert_string_equal(crit_world_economy_code(w, 2), "JPN");
    assert_int_equal(crit_world_member_count(w), 2);
    crit_world_free(w);
    /* the second member without its 8-byte trailer */
    size_t n;
    unsigned char *d = snap_slurp(p, &n);
    uint64_t live = crit_allocator_live_blocks();
    w = (crit_world *)(uintptr_t)1;
    assert_int_equal(crit_io_csv_import_memory(&w, NULL, CRIT_CSV_ECONOMIES, d,
                                               n - 8, "cut.csv.gz"),
                     CRIT_EFORMAT);
    assert_non_null(strstr(crit_error_last(),
                           "csv 'cut.csv.gz': compressed data ends before its "
                           "end marker"));
    assert_ptr_equal(w, (crit_world *)(uintptr_t)1);
    assert_int_equal(crit_allocator_live_blocks(), live);
    free(d);
    unlink(p);
}

/* The limit on decompressed gzip input (256 MiB for CSV, docs/format.md),
 * through the function that enforces it with a small limit: exactly the
 * limit is read, one byte more is CRIT_EFORMAT naming the input, with
 * nothing kept; and inflating stops at the limit, so a bomb does not grow
 * the buffer to its full size before it is refused. */
static void test_io_gzip_limit(void **state)
{
    (void)state;
    size_t big = 1u << 20;
    unsigned char *zeros = calloc(1, big);
    assert_non_null(zeros);
    crit__buf gz = {0}, out = {0};
    assert_int_equal(crit__gzip(&gz, zeros, big, 9), CRIT_OK);
    free(zeros);
    assert_int_equal(crit__inflate_all(&out, gz.data, gz.len, big, "z"),
                     CRIT_OK);
    assert_int_equal(out.len, big);
    crit__buf_free(&out);
    assert_int_equal(
        crit__inflate_all(&out, gz.data, gz.len, big - 1, "csv 'z.csv.gz'"),
        CRIT_EFORMAT);
    assert_non_null(strstr(crit_error_last(),
                           "csv 'z.csv.gz': decompresses to more than "
                           "1048575 bytes"));
    assert_int_equal(out.len, 0);
    crit__buf_free(&out);
    assert_int_equal(crit__inflate_all(&out, gz.data, gz.len, 1000, "bomb"),
                     CRIT_EFORMAT);
    assert_non_null(
        strstr(crit_error_last(), "bomb: decompresses to more than 1000"));
    assert_int_equal(out.len, 0);
    assert_true(out.cap <= 65536); /* one step of the buffer, not 1 MiB */
    crit__buf_free(&out);
    crit__buf_free(&gz);
}

static void csv_error(const crit_world *base, int32_t table, const char *text,
                      int code, const char *needle)
{
    uint64_t live = crit_allocator_live_blocks();
    crit_world *out = (crit_world *)(uintptr_t)1;
    int rc = crit_io_csv_import_memory(&out, base, table, text, strlen(text),
                                       "bad.csv");
    if (rc != code || !strstr(crit_error_last(), needle))
        fail_msg("expected %s with '%s', got %s: %s", crit_error_name(code),
                 needle, crit_error_name(rc), crit_error_last());
    assert_ptr_equal(out, (crit_world *)(uintptr_t)1);
    assert_int_equal(crit_allocator_live_blocks(), live);
}

static void test_io_csv_errors_name_file_line_column(void **state)
{
    (void)state;
    crit_world *e = csv_mem(NULL, CRIT_CSV_ECONOMIES, "code\nUSA\nCHN\n");
    crit_world *m =
        csv_mem(e, CRIT_CSV_MINERALS, "code,base_price_usd_per_t\nGa,1000\n");
    const int32_t M = CRIT_CSV_MINERALS;
    csv_error(NULL, M, "code,base_price_usd_per_t\nGa,1000\nGe,abc\n",
              CRIT_EFORMAT,
              "csv 'bad.csv' line 3 column 2 (base_price_usd_per_t): 'abc' "
              "is not a number");
    csv_error(NULL, M, "code,base_price_usd_per_t\nGa,-1\n", CRIT_EINVAL,
              "line 2 column 2 (base_price_usd_per_t): mineral 'Ga': base "
              "price -1");
    csv_error(NULL, M,
              "code,holding_cost_usd_per_t_yr,base_price_usd_per_t\n"
              "Ga,-3,5\n",
              CRIT_EINVAL, "line 2 column 2 (holding_cost_usd_per_t_yr)");
    csv_error(NULL, M, "code,base_price_usd_per_t\nGa,1\nGa,2\n", CRIT_EEXISTS,
              "line 3 column 1 (code): mineral 'Ga' is already");
    csv_error(NULL, M, "code,base_price_usd_per_t\n1x,1\n", CRIT_EINVAL,
              "line 2 column 1 (code): mineral code '1x' is malformed");
    csv_error(NULL, M, "code,price\nGa,1\n", CRIT_EFORMAT,
              "line 1 column 2 (price): unknown column");
    csv_error(NULL, M, "code,name\nGa,x\n", CRIT_EFORMAT,
              "line 1: table minerals needs a column 'base_price_usd_per_t'");
    csv_error(NULL, M, "code,base_price_usd_per_t\nGa,1,2\n", CRIT_EFORMAT,
              "line 2: 3 fields, the header has 2");
    csv_error(NULL, M, "code,base_price_usd_per_t\n\"Ga,1\n", CRIT_EFORMAT,
              "line 2 column 1: quoted field not closed");
    /* malformed too: a column twice, a short row, text after a quote */
    csv_error(NULL, M, "code,base_price_usd_per_t,code\nGa,1,Gb\n",
              CRIT_EFORMAT, "line 1 column 3 (code): column given twice");
    csv_error(NULL, M, "code,base_price_usd_per_t\nGa,1\nGe\n", CRIT_EFORMAT,
              "csv 'bad.csv' line 3: 1 fields, the header has 2");
    csv_error(NULL, M, "code,base_price_usd_per_t\n\"Ga\"x,1\n", CRIT_EFORMAT,
              "line 2: field 1: text after a closing quote");
    csv_error(NULL, M, "", CRIT_EFORMAT, "line 1: empty file");
    csv_error(m, CRIT_CSV_CURVES,
              "economy,mineral,capacity_t_per_yr\nUSA,Ga,5\nFRA,Ga,1\n",
              CRIT_ENOTFOUND, "line 3 column 1 (economy): economy 'FRA'");
    csv_error(m, CRIT_CSV_CURVES,
              "economy,mineral,base_production_t_per_yr,capacity_t_per_yr\n"
              "USA,Ga,5,4\n",
              CRIT_EINVAL,
              "line 2 column 4 (capacity_t_per_yr): economy 'USA' mineral "
              "'Ga': capacity 4 is below");
    csv_error(m, CRIT_CSV_ARCS,
              "mineral,from,to,transport_usd_per_t\n"
              "Ga,USA,CHN,-1\n",
              CRIT_EINVAL, "line 2 column 4 (transport_usd_per_t)");
    csv_error(m, CRIT_CSV_ARCS, "mineral,from,to,import_ban\nGa,USA,USA,1\n",
              CRIT_EFORMAT, "line 2 column 3 (to): an arc needs two");
    csv_error(m, CRIT_CSV_ARCS, "mineral,from,to,export_ban\nGa,USA,CHN,2\n",
              CRIT_EFORMAT, "line 2 column 4 (export_ban): '2' is not 0 or 1");
    /* a flag is the one character 0 or 1, not a text starting with it */
    csv_error(m, CRIT_CSV_ARCS, "mineral,from,to,import_ban\nGa,USA,CHN,10\n",
              CRIT_EFORMAT, "line 2 column 4 (import_ban): '10' is not 0 or 1");
    csv_error(NULL, CRIT_CSV_ECONOMIES, "code,member\nUSA,1\nCHN,0x\n",
              CRIT_EFORMAT, "line 3 column 2 (member): '0x' is not 0 or 1");
    csv_error(m, CRIT_CSV_EXPORTS,
              "mineral,economy,export_tax_usd_per_t\nGa,USA,-1\n", CRIT_EINVAL,
              "line 2 column 3 (export_tax_usd_per_t): mineral 'Ga' arc "
              "USA->CHN: wedge -1");
    csv_error(m, CRIT_CSV_EXPORTS,
              "mineral,economy,export_quota_t_per_yr\nXx,USA,1\n",
              CRIT_ENOTFOUND, "line 2 column 1 (mineral)");
    /* gzip that is corrupt */
    unsigned char gz[] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3};
    crit_world *out = NULL;
    assert_int_equal(
        crit_io_csv_import_memory(&out, NULL, M, gz, sizeof gz, "g.csv.gz"),
        CRIT_EFORMAT);
    assert_non_null(strstr(crit_error_last(), "g.csv.gz"));
    assert_int_equal(
        crit_io_csv_import_memory(&out, NULL, CRIT_CSV_SERIES, "a", 1, NULL),
        CRIT_EINVAL);
    char p[256];
    assert_int_equal(crit_io_csv_import(&out, NULL, M, tmpdir, NULL), CRIT_EIO);
    assert_non_null(strstr(crit_error_last(), "directory"));
    path_in(p, sizeof p, "nope.csv");
    assert_int_equal(crit_io_csv_import(&out, NULL, M, p, NULL), CRIT_EIO);
    assert_null(out);
    crit_world_free(m);
    crit_world_free(e);
}

/* NULL arguments and option structs of every function of crit/io.h: a
 * clear CRIT_EINVAL (or CRIT_EUNSUPPORTED for an unknown non-zero tail of
 * options), outputs untouched, nothing written. */
static void test_io_null_arguments_and_options(void **state)
{
    (void)state;
    crit_io_save_options_init(NULL); /* ignored */
    crit_io_load_options_init(NULL);
    crit_io_csv_options_init(NULL);
    size_t n;
    crit_world *w;
    unsigned char *p = small_snapshot(&n, &w);
    char path[256];
    path_in(path, sizeof path, "opts.crit");
    crit_world *out = (crit_world *)(uintptr_t)1;
    size_t files = count_files();

    /* option structs: not initialised (size 0), or larger than this
       library knows with a non-zero tail */
    struct {
        crit_io_save_options o;
        uint64_t tail;
    } sbig;
    memset(&sbig, 0, sizeof sbig);
    crit_io_save_options_init(&sbig.o);
    sbig.o.size = 0;
    assert_int_equal(crit_io_save(path, w, &sbig.o), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "save options: size 0"));
    sbig.o.size = sizeof sbig;
    sbig.tail = 1;
    assert_int_equal(crit_io_save(path, w, &sbig.o), CRIT_EUNSUPPORTED);
    assert_non_null(strstr(crit_error_last(), "save options: field at byte"));
    sbig.tail = 0; /* a zero tail is fine */
    assert_int_equal(crit_io_save(path, w, &sbig.o), CRIT_OK);
    unlink(path);
    assert_int_equal(count_files(), files);

    struct {
        crit_io_load_options o;
        uint64_t tail;
    } lbig;
    memset(&lbig, 0, sizeof lbig);
    assert_int_equal(crit_io_load_memory(&out, p, n, &lbig.o), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "load options: size 0"));
    crit_io_load_options_init(&lbig.o);
    lbig.o.size = sizeof lbig;
    lbig.tail = 7;
    assert_int_equal(crit_io_load_memory(&out, p, n, &lbig.o),
                     CRIT_EUNSUPPORTED);
    spit(path, p, n);
    assert_int_equal(crit_io_load(&out, path, &lbig.o), CRIT_EUNSUPPORTED);
    unlink(path);
    assert_ptr_equal(out, (crit_world *)(uintptr_t)1);

    /* snapshots */
    assert_int_equal(crit_io_load_memory(NULL, p, n, NULL), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "out is NULL"));
    assert_int_equal(crit_io_load_memory(&out, NULL, n, NULL), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "data is NULL"));
    assert_int_equal(crit_io_load(&out, NULL, NULL), CRIT_EINVAL);
    assert_ptr_equal(out, (crit_world *)(uintptr_t)1);

    /* CSV import */
    const char *csv = "code\nUSA\n";
    const int32_t E = CRIT_CSV_ECONOMIES;
    assert_int_equal(crit_io_csv_import_memory(NULL, NULL, E, csv, 9, "x.csv"),
                     CRIT_EINVAL);
    assert_int_equal(crit_io_csv_import_memory(&out, NULL, E, NULL, 9, "x"),
                     CRIT_EINVAL);
    assert_int_equal(crit_io_csv_import_memory(&out, NULL, E, NULL, 0, "x"),
                     CRIT_EFORMAT); /* NULL with size 0: an empty file */
    assert_non_null(strstr(crit_error_last(), "csv 'x' line 1: empty file"));
    assert_int_equal(crit_io_csv_import_memory(&out, NULL, 0, csv, 9, "x"),
                     CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "csv: table 0 is not one of"));
    /* no name: the messages say "(memory)" */
    assert_int_equal(
        crit_io_csv_import_memory(&out, NULL, E, "code\n1\n", 7, NULL),
        CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "csv (memory) line 2 column 1"));
    path_in(path, sizeof path, "e.csv");
    spit(path, (const unsigned char *)csv, 9);
    assert_int_equal(crit_io_csv_import(NULL, NULL, E, path, NULL),
                     CRIT_EINVAL);
    assert_int_equal(crit_io_csv_import(&out, NULL, E, NULL, NULL),
                     CRIT_EINVAL);
    assert_int_equal(
        crit_io_csv_import(&out, NULL, CRIT_CSV_SERIES, path, NULL),
        CRIT_EINVAL);
    crit_io_csv_options co;
    memset(&co, 0, sizeof co);
    assert_int_equal(crit_io_csv_import(&out, NULL, E, path, &co), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "csv options: size 0"));
    assert_ptr_equal(out, (crit_world *)(uintptr_t)1);
    unlink(path);

    /* CSV export */
    files = count_files();
    path_in(path, sizeof path, "x.csv");
    assert_int_equal(crit_io_csv_export(NULL, w, E, NULL), CRIT_EINVAL);
    assert_int_equal(crit_io_csv_export(path, NULL, E, NULL), CRIT_EINVAL);
    assert_int_equal(crit_io_csv_export(path, w, 7, NULL), CRIT_EINVAL);
    assert_non_null(
        strstr(crit_error_last(), "csv: table 7 is not a crit_csv"));
    assert_int_equal(crit_io_csv_export(path, w, E, &co), CRIT_EINVAL);
    crit_io_csv_options_init(&co);
    co.compress = 2;
    assert_int_equal(crit_io_csv_export(path, w, E, &co), CRIT_EINVAL);
    assert_non_null(strstr(crit_error_last(), "compress 2 is not -1, 0 or 1"));
    crit_market *m;
    assert_int_equal(crit_market_new(&m, w, "M0.x"), CRIT_OK);
    assert_int_equal(crit_market_solve(m), CRIT_OK);
    assert_int_equal(crit_io_csv_export_market(NULL, m, 0, NULL), CRIT_EINVAL);
    assert_int_equal(crit_io_csv_export_market(path, NULL, 0, NULL),
                     CRIT_EINVAL);
    assert_int_equal(crit_io_csv_export_market(path, m, 0, &co), CRIT_EINVAL);
    assert_int_equal(crit_io_csv_export_result(NULL, NULL, NULL), CRIT_EINVAL);
    assert_int_equal(count_files(), files); /* nothing written */
    crit_market_free(m);
    crit_world_free(w);
    free(p);
}

/* The defaults crit/io.h documents: crit_io_save_options_init() gives
 * level -1 (the default), so a save with initialised options is the save
 * with NULL options byte for byte; level 0 is deflate's stored blocks
 * (RFC 1950 header 78 01, one final stored block of the raw length, RFC
 * 1951); a level outside -1 to 9 is refused and writes nothing. */
static void test_io_save_options_defaults_and_levels(void **state)
{
    (void)state;
    crit_io_save_options so;
    memset(&so, 0x5a, sizeof so);
    crit_io_save_options_init(&so);
    assert_int_equal(so.size, sizeof so);
    assert_int_equal(so.level, -1);
    crit_io_load_options lo;
    memset(&lo, 0x5a, sizeof lo);
    crit_io_load_options_init(&lo);
    assert_int_equal(lo.size, sizeof lo);
    assert_int_equal(lo.max_uncompressed_bytes, 0);

    crit_world *w;
    assert_int_equal(io_test_world(&w, 3, 2), CRIT_OK);
    char a[256], b[256];
    path_in(a, sizeof a, "null.crit");
    path_in(b, sizeof b, "init.crit");
    assert_int_equal(crit_io_save(a, w, NULL), CRIT_OK);
    assert_int_equal(crit_io_save(b, w, &so), CRIT_OK);
    size_t an, bn;
    unsigned char *pa = snap_slurp(a, &an), *pb = snap_slurp(b, &bn);
    assert_int_equal(an, bn);
    assert_memory_equal(pa, pb, an);
    free(pb);

    so.level = 0;
    assert_int_equal(crit_io_save(b, w, &so), CRIT_OK);
    pb = snap_slurp(b, &bn);
    size_t off = snap_find(pb, bn, "MINR", 0);
    uint64_t stored = crit__get_u64(pb + off + 8),
             raw = crit__get_u64(pb + off + 16);
    const unsigned char *z = pb + off + 24;
    assert_true(raw > 0 && raw < 65535);
    assert_int_equal(z[0], 0x78); /* deflate, 32 KiB window */
    assert_int_equal(z[1], 0x01); /* FLEVEL 0, FCHECK */
    assert_int_equal(z[2], 0x01); /* BFINAL 1, BTYPE 00: stored */
    assert_int_equal(z[3] | z[4] << 8, raw);
    assert_int_equal((z[5] | z[6] << 8) ^ 0xffff, raw);
    assert_int_equal(stored, 2 + 5 + raw + 4); /* header, block, Adler-32 */
    crit_world *back = NULL;
    assert_int_equal(crit_io_load(&back, b, NULL), CRIT_OK);
    assert_true(crit_world_equal(w, back));
    crit_world_free(back);
    free(pb);

    /* stored blocks are the largest output deflate gives: worlds of 1 to
       48 economies, each chunk's stored size near its bound */
    for (size_t ne = 1; ne <= 48; ne++) {
        crit_world *v;
        assert_int_equal(io_test_world(&v, ne, 1), CRIT_OK);
        assert_int_equal(crit_io_save(b, v, &so), CRIT_OK);
        assert_int_equal(crit_io_load(&back, b, NULL), CRIT_OK);
        assert_true(crit_world_equal(v, back));
        crit_world_free(back);
        crit_world_free(v);
    }

    size_t files = count_files();
    unlink(b);
    files--;
    for (int32_t bad = -2; bad <= 10; bad += 12) {
        so.level = bad;
        assert_int_equal(crit_io_save(b, w, &so), CRIT_EINVAL);
        char want[64];
        snprintf(want, sizeof want, "deflate level %d is not -1 or 0 to 9",
                 (int)bad);
        assert_non_null(strstr(crit_error_last(), want));
        assert_int_equal(count_files(), files); /* nothing written */
    }
    unlink(a);
    free(pa);
    crit_world_free(w);
}

/* Rows the world API refuses, in the arcs, exports and curves tables: the
 * code, and the column that names the culprit. */
static void test_io_csv_setter_errors_name_column(void **state)
{
    (void)state;
    crit_world *e = csv_mem(NULL, CRIT_CSV_ECONOMIES, "code\nUSA\nCHN\n");
    crit_world *m =
        csv_mem(e, CRIT_CSV_MINERALS, "code,base_price_usd_per_t\nGa,1000\n");
    const int32_t A = CRIT_CSV_ARCS, X = CRIT_CSV_EXPORTS;
    const char *arcs = "mineral,from,to,tariff_usd_per_t,tariff_ad_valorem\n";
    char t[256];
    static const struct {
        const char *row;
        int code;
        const char *where;
    } arc_cases[] = {
        {"Xx,USA,CHN,1,0\n", CRIT_ENOTFOUND,
         "column 1 (mineral): mineral 'Xx'"},
        {"Ga,FRA,CHN,1,0\n", CRIT_ENOTFOUND, "column 2 (from): economy 'FRA'"},
        {"Ga,USA,FRA,1,0\n", CRIT_ENOTFOUND, "column 3 (to): economy 'FRA'"},
        {"Ga,USA,CHN,-1,0\n", CRIT_EINVAL, "column 4 (tariff_usd_per_t)"},
        {"Ga,USA,CHN,0,-0.5\n", CRIT_EINVAL, "column 5 (tariff_ad_valorem)"},
        /* "nan" is a number to strtod, and not an empty cell */
        {"Ga,USA,CHN,,nan\n", CRIT_EINVAL, "column 5 (tariff_ad_valorem)"},
    };
    for (size_t c = 0; c < sizeof arc_cases / sizeof *arc_cases; c++) {
        snprintf(t, sizeof t, "%s%s", arcs, arc_cases[c].row);
        char want[160];
        snprintf(want, sizeof want, "csv 'bad.csv' line 2 %s",
                 arc_cases[c].where);
        csv_error(m, A, t, arc_cases[c].code, want);
    }
    csv_error(m, X, "mineral,economy,export_tax_usd_per_t\nGa,FRA,1\n",
              CRIT_ENOTFOUND, "line 2 column 2 (economy): economy 'FRA'");
    csv_error(m, X, "mineral,economy,export_tax_usd_per_t\nGa,USA,x\n",
              CRIT_EFORMAT,
              "line 2 column 3 (export_tax_usd_per_t): 'x' is not a number");
    csv_error(m, X, "mineral,economy,export_quota_t_per_yr\nGa,USA,lots\n",
              CRIT_EFORMAT,
              "line 2 column 3 (export_quota_t_per_yr): 'lots' is not a "
              "number");
    csv_error(m, X, "mineral,economy,export_quota_t_per_yr\nGa,USA,-5\n",
              CRIT_EINVAL, "line 2 column 3 (export_quota_t_per_yr)");
    csv_error(m, CRIT_CSV_CURVES,
              "economy,mineral,supply_elasticity\nUSA,Ga,0.3x\n", CRIT_EFORMAT,
              "line 2 column 3 (supply_elasticity): '0.3x' is not a number");
    crit_world_free(m);
    crit_world_free(e);
}

/* An arcs row sets the parts of an arc whose cells are not empty
 * (docs/format.md); the others keep the base world's values. */
static void test_io_csv_arc_empty_cells_keep_values(void **state)
{
    (void)state;
    crit_world *e = csv_mem(NULL, CRIT_CSV_ECONOMIES, "code\nUSA\nCHN\n");
    crit_world *m =
        csv_mem(e, CRIT_CSV_MINERALS, "code,base_price_usd_per_t\nGa,1000\n");
    crit_world *a = csv_mem(m, CRIT_CSV_ARCS,
                            "mineral,from,to,transport_usd_per_t,"
                            "tariff_usd_per_t,tariff_ad_valorem,export_ban\n"
                            "Ga,CHN,USA,7,5,0.1,1\n");
    /* a file with only the ad valorem column; another with an empty
       specific tariff cell and an empty ban cell */
    crit_world *b = csv_mem(a, CRIT_CSV_ARCS,
                            "mineral,from,to,tariff_ad_valorem\n"
                            "Ga,CHN,USA,0.2\n");
    crit_world *c =
        csv_mem(b, CRIT_CSV_ARCS,
                "mineral,from,to,tariff_usd_per_t,tariff_ad_valorem,"
                "export_ban,transport_usd_per_t\n"
                "Ga,CHN,USA,,0.3,,\n");
    crit_world *d = csv_mem(c, CRIT_CSV_ARCS,
                            "mineral,from,to,tariff_usd_per_t\n"
                            "Ga,CHN,USA,6\n");
    const crit_world *ws[] = {a, b, c, d};
    const double tariff[] = {5, 5, 5, 6}, rate[] = {0.1, 0.2, 0.3, 0.3};
    for (int k = 0; k < 4; k++) {
        const crit__mineral *g = &ws[k]->min[0];
        size_t at = 1 * ws[k]->stride + 0; /* CHN -> USA */
        assert_true(g->transport[at] == 7);
        assert_true(g->tariff[at] == tariff[k]);
        assert_true(g->tariff_rate[at] == rate[k]);
        assert_int_equal(g->ban[at], CRIT__BAN_EXPORT);
    }
    crit_world *all[] = {e, m, a, b, c, d};
    for (int k = 0; k < 6; k++)
        crit_world_free(all[k]);
}

/*
 * An arcs row is one arc: under the exporter's subsidy (export tax -100),
 * a row that lowers the transport cost and raises the tariff to a wedge of
 * zero is taken whatever its columns' order, as the same two API calls in
 * the right order take it. Before, the transport cost was set first and
 * the row was refused ("wedge -100 ... would be below zero"). A row whose
 * own wedge is below zero is still refused.
 */
static void test_io_csv_arc_row_applied_as_one(void **state)
{
    (void)state;
    crit_world *e = csv_mem(NULL, CRIT_CSV_ECONOMIES, "code\nUSA\nCHN\n");
    crit_world *m =
        csv_mem(e, CRIT_CSV_MINERALS, "code,base_price_usd_per_t\nGa,1000\n");
    crit_world *a = csv_mem(m, CRIT_CSV_ARCS,
                            "mineral,from,to,transport_usd_per_t\n"
                            "Ga,CHN,USA,100\n");
    crit_world *x = csv_mem(a, CRIT_CSV_EXPORTS,
                            "mineral,economy,export_tax_usd_per_t\n"
                            "Ga,CHN,-100\n");
    crit_world *b = csv_mem(x, CRIT_CSV_ARCS,
                            "mineral,from,to,transport_usd_per_t,"
                            "tariff_usd_per_t\n"
                            "Ga,CHN,USA,0,100\n");
    crit_world *want = NULL;
    assert_int_equal(crit_world_copy(&want, x), CRIT_OK);
    assert_int_equal(crit_world_set_tariff(want, "Ga", "CHN", "USA", 100, 0),
                     CRIT_OK);
    assert_int_equal(crit_world_set_transport(want, "Ga", "CHN", "USA", 0),
                     CRIT_OK);
    assert_true(crit_world_equal(b, want));
    double wedge = -1;
    assert_int_equal(crit_world_arc_wedge(&wedge, NULL, b, "Ga", "CHN", "USA"),
                     CRIT_OK);
    assert_true(wedge == 0);
    /* the tariff column first: the same */
    crit_world *c = csv_mem(x, CRIT_CSV_ARCS,
                            "mineral,from,to,tariff_usd_per_t,"
                            "transport_usd_per_t\n"
                            "Ga,CHN,USA,100,0\n");
    assert_true(crit_world_equal(c, want));
    /* a wedge of -1 is refused, the base untouched */
    const char *bad = "mineral,from,to,transport_usd_per_t,tariff_usd_per_t\n"
                      "Ga,CHN,USA,0,99\n";
    crit_world *out = NULL;
    crit_error_clear();
    assert_int_equal(crit_io_csv_import_memory(&out, x, CRIT_CSV_ARCS, bad,
                                               strlen(bad), "t.csv"),
                     CRIT_EINVAL);
    msg_has("csv 't.csv' line 2", "wedge -1", "would be below zero", NULL);
    assert_null(out);
    double tr = -1;
    assert_int_equal(crit_world_arc_get(&tr, NULL, NULL, x, "Ga", "CHN", "USA"),
                     CRIT_OK);
    assert_true(tr == 100);
    crit_world *all[] = {e, m, a, x, b, c, want};
    for (int k = 0; k < 7; k++)
        crit_world_free(all[k]);
}

/* So does an exports row: an empty cell keeps the exporter's specific
 * tax, its ad valorem tax or its quota as the base world has it. */
static void test_io_csv_export_empty_cells_keep_values(void **state)
{
    (void)state;
    crit_world *e = csv_mem(NULL, CRIT_CSV_ECONOMIES, "code\nUSA\nCHN\n");
    crit_world *m =
        csv_mem(e, CRIT_CSV_MINERALS, "code,base_price_usd_per_t\nGa,1000\n");
    crit_world *a = csv_mem(m, CRIT_CSV_EXPORTS,
                            "mineral,economy,export_tax_usd_per_t,"
                            "export_tax_ad_valorem,export_quota_t_per_yr\n"
                            "Ga,CHN,40,0.1,500\n");
    crit_world *b = csv_mem(a, CRIT_CSV_EXPORTS,
                            "mineral,economy,export_tax_ad_valorem\n"
                            "Ga,CHN,0.2\n");
    crit_world *c = csv_mem(b, CRIT_CSV_EXPORTS,
                            "mineral,economy,export_tax_usd_per_t,"
                            "export_tax_ad_valorem,export_quota_t_per_yr\n"
                            "Ga,CHN,30,,\n");
    crit_world *d = csv_mem(c, CRIT_CSV_EXPORTS,
                            "mineral,economy,export_quota_t_per_yr\n"
                            "Ga,CHN,none\n");
    const crit_world *ws[] = {a, b, c, d};
    const double tax[] = {40, 40, 30, 30}, rate[] = {0.1, 0.2, 0.2, 0.2};
    const double quota[] = {500, 500, 500, INFINITY};
    for (int k = 0; k < 4; k++) {
        double t, q;
        assert_int_equal(
            crit_world_arc_get(NULL, NULL, &t, ws[k], "Ga", "CHN", "USA"),
            CRIT_OK);
        assert_true(ws[k]->min[0].xtax[1] == tax[k]);
        assert_true(ws[k]->min[0].xtax_rate[1] == rate[k]);
        /* the export tax on the arc: specific plus ad valorem of P0 */
        assert_true(fabs(t - (tax[k] + rate[k] * 1000)) <= 1e-12 * t);
        assert_int_equal(crit_world_export_quota_get(&q, ws[k], "Ga", "CHN"),
                         CRIT_OK);
        assert_true(q == quota[k]);
    }
    crit_world *all[] = {e, m, a, b, c, d};
    for (int k = 0; k < 6; k++)
        crit_world_free(all[k]);
}

static size_t count_lines(const unsigned char *p, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += p[i] == '\n';
    return k;
}

static void test_io_csv_tidy_series(void **state)
{
    (void)state;
    crit_world *w;
    assert_int_equal(io_test_world(&w, 7, 3), CRIT_OK);
    char p[256];
    path_in(p, sizeof p, "series.csv");
    crit_io_csv_options o;
    crit_io_csv_options_init(&o);
    o.compress = 0;
    assert_int_equal(crit_io_csv_export(p, w, CRIT_CSV_SERIES, &o), CRIT_OK);
    size_t n, quotas = 0;
    unsigned char *d = snap_slurp(p, &n);
    for (size_t k = 0; k < 3; k++)
        for (size_t i = 0; i < 7; i++) {
            double q;
            crit_world_export_quota_get(&q, w, crit_world_mineral_code(w, k),
                                        crit_world_economy_code(w, i));
            quotas += q != INFINITY;
        }
    assert_true(quotas > 0);
    /* header + 3 per mineral + 7 per (mineral, economy) + quotas */
    assert_int_equal(count_lines(d, n), 1 + 3 * 3 + 3 * 7 * 7 + quotas);
    d[n - 1] = '\0';
    assert_memory_equal(d, "mineral,economy,series,period,value\n", 36);
    assert_non_null(
        strstr((char *)d, "\nM0.x,,base_price_usd_per_t,0,1000.5\n"));
    /* E000 of M1.x: s0 = (0 * 37 + 1 * 11) % 500 = 11 */
    assert_non_null(
        strstr((char *)d, "\nM1.x,E000,base_production_t_per_yr,0,11\n"));
    free(d);
    crit_world_free(w);
}

static void test_io_csv_market_results(void **state)
{
    (void)state;
    crit_world *w;
    assert_int_equal(io_test_world(&w, 5, 1), CRIT_OK);
    crit_market *m;
    assert_int_equal(crit_market_new(&m, w, "M0.x"), CRIT_OK);
    char p[256];
    path_in(p, sizeof p, "market.csv.gz");
    assert_int_equal(crit_io_csv_export_market(p, m, 3, NULL), CRIT_ESTATE);
    assert_int_equal(crit_market_solve(m), CRIT_OK);
    assert_int_equal(crit_io_csv_export_market(p, m, 3, NULL), CRIT_OK);
    size_t n;
    unsigned char *gz = snap_slurp(p, &n);
    crit__buf text = {0};
    assert_int_equal(crit__inflate_all(&text, gz, n, 1u << 20, "t"), CRIT_OK);
    assert_int_equal(crit__buf_put(&text, "", 1), CRIT_OK);
    const char *t = (const char *)text.data;
    /* header, 5 summary rows, 5 economies x the quantities less the two
       surplus changes (no reference price) */
    assert_int_equal(count_lines(text.data, text.len),
                     1 + 5 + 5 * (CRIT_MARKET_QUANTITY_COUNT - 2));
    double prices[5], v;
    assert_int_equal(crit_market_values(prices, 5, m, CRIT_MARKET_PRICE),
                     CRIT_OK);
    char key[64];
    for (int i = 0; i < 5; i++) {
        snprintf(key, sizeof key, "\nM0.x,E%03d,price,3,", i);
        const char *row = strstr(t, key);
        assert_non_null(row);
        v = strtod(row + strlen(key), NULL);
        assert_true(v == prices[i]); /* 17 digits: exact */
    }
    assert_non_null(strstr(t, "\nM0.x,,residual,3,"));
    assert_null(strstr(t, "consumer_surplus_change"));
    crit__buf_free(&text);
    free(gz);
    crit_market_free(m);
    crit_world_free(w);
}

typedef struct csv_fa_ctx {
    const char *path;
    const crit_world *w;
    crit_world *out;
    size_t files;
} csv_fa_ctx;

static int op_csv_export(void *p)
{
    csv_fa_ctx *c = p;
    return crit_io_csv_export(c->path, c->w, CRIT_CSV_ARCS, NULL);
}

static void csv_export_unchanged(void *p)
{
    assert_int_equal(count_files(), ((csv_fa_ctx *)p)->files);
}

static int op_csv_import(void *p)
{
    csv_fa_ctx *c = p;
    return crit_io_csv_import(&c->out, c->w, CRIT_CSV_ARCS, c->path, NULL);
}

static void csv_import_unchanged(void *p)
{
    assert_null(((csv_fa_ctx *)p)->out);
}

static void test_io_csv_allocation_failure(void **state)
{
    (void)state;
    static failalloc fa;
    assert_int_equal(failalloc_install(&fa), 0);
    char p[256];
    path_in(p, sizeof p, "fa.csv.gz");
    unlink(p);
    crit_world *w, *bare;
    assert_int_equal(io_test_world(&w, 4, 2), CRIT_OK);
    assert_int_equal(io_test_world(&bare, 4, 2), CRIT_OK);
    csv_fa_ctx c = {p, w, NULL, count_files()};
    assert_true(failalloc_run(&fa, FAILALLOC_FROM, op_csv_export,
                              csv_export_unchanged, &c) > 2);
    c.w = bare;
    assert_true(failalloc_run(&fa, FAILALLOC_FROM, op_csv_import,
                              csv_import_unchanged, &c) > 2);
    crit_world_free(c.out);
    c.out = NULL;
    assert_true(failalloc_run(&fa, FAILALLOC_ONLY, op_csv_import,
                              csv_import_unchanged, &c) > 2);
    crit_world_free(c.out);
    crit_world_free(w);
    crit_world_free(bare);
    assert_int_equal(failalloc_uninstall(&fa), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_io_roundtrip_small),
        cmocka_unit_test(test_io_roundtrip_medium),
        cmocka_unit_test(test_io_load_tables_exact_size),
        cmocka_unit_test(test_io_roundtrip_detects_difference),
        cmocka_unit_test(test_io_roundtrip_exact_doubles),
        cmocka_unit_test(test_io_layout_is_documented_little_endian),
        cmocka_unit_test(test_io_layout_first_exact_scale),
        cmocka_unit_test(test_io_truncated_at_every_byte),
        cmocka_unit_test(test_io_truncated_prefix_names_what_is_missing),
        cmocka_unit_test(test_io_wrld_counts_fit_the_file),
        cmocka_unit_test(test_io_flipped_bit_everywhere),
        cmocka_unit_test(test_io_wrong_crc_names_chunk_and_offset),
        cmocka_unit_test(test_io_length_past_end),
        cmocka_unit_test(test_io_compressed_bomb),
        cmocka_unit_test(test_io_wrong_magic_empty_and_short),
        cmocka_unit_test(test_io_newer_major_refused_newer_minor_read),
        cmocka_unit_test(test_io_bad_values_use_world_rules),
        cmocka_unit_test(test_io_negative_wedge_refused),
        cmocka_unit_test(test_io_header_version_older),
        cmocka_unit_test(test_io_chunk_order_and_counts),
        cmocka_unit_test(test_io_compressed_stream_errors),
        cmocka_unit_test(test_io_adler32_not_checked),
        cmocka_unit_test(test_io_econ_layout_errors),
        cmocka_unit_test(test_io_minr_layout_errors),
        cmocka_unit_test(test_io_null_arguments_and_options),
        cmocka_unit_test(test_io_save_options_defaults_and_levels),
        cmocka_unit_test(test_io_path_errors),
        cmocka_unit_test(test_io_save_relative_and_over_directory),
        cmocka_unit_test(test_io_unreadable_file),
        cmocka_unit_test(test_io_save_write_error),
        cmocka_unit_test(test_io_not_a_regular_file),
        cmocka_unit_test(test_io_allocation_failure),
        cmocka_unit_test(test_io_atomic_under_sigkill),
        cmocka_unit_test(test_io_csv_roundtrip),
        cmocka_unit_test(test_io_csv_hand_written),
        cmocka_unit_test(test_io_csv_empty_names_survive),
        cmocka_unit_test(test_io_csv_gzip_members_concatenated),
        cmocka_unit_test(test_io_gzip_limit),
        cmocka_unit_test(test_io_csv_errors_name_file_line_column),
        cmocka_unit_test(test_io_csv_setter_errors_name_column),
        cmocka_unit_test(test_io_csv_arc_empty_cells_keep_values),
        cmocka_unit_test(test_io_csv_arc_row_applied_as_one),
        cmocka_unit_test(test_io_csv_export_empty_cells_keep_values),
        cmocka_unit_test(test_io_csv_tidy_series),
        cmocka_unit_test(test_io_csv_market_results),
        cmocka_unit_test(test_io_csv_allocation_failure),
    };
    return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}

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
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <math.h>
#include <zlib.h>

#include "failalloc.h"
#include "io_internal.h"
#include "io_worlds.h"
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

static unsigned char *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *p = malloc((size_t)n + 1);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *size = (size_t)n;
    return p;
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
    return slurp(p, size);
}

/* Offsets of the chunks of a snapshot, found by following the lengths. */
static size_t chunk_offsets(const unsigned char *p, size_t n, size_t *offs,
                            size_t max)
{
    size_t count = 0, off = 20;
    while (off + 24 <= n && count < max) {
        offs[count++] = off;
        off += 24 + (size_t)crit__get_u64(p + off + 8);
    }
    assert_int_equal(off, n);
    return count;
}

/* Fix a chunk's CRC after its header or payload was edited. */
static void fix_crc(unsigned char *p, size_t off)
{
    uint32_t c = (uint32_t)crc32(0, p + off, 4);
    c = (uint32_t)crc32(c, p + off + 16, 8);
    c = (uint32_t)crc32(c, p + off + 24, (uInt)crit__get_u64(p + off + 8));
    crit__put_u32(p + off + 4, c);
}

/*
 * Rebuild a snapshot with chunk `idx`'s payload replaced: the raw payload
 * is inflated, passed to `edit`, deflated and checksummed again, so that
 * only the edited value is wrong.
 */
typedef void (*edit_fn)(unsigned char *raw, size_t n);
static unsigned char *edit_chunk(const unsigned char *p, size_t n, size_t idx,
                                 edit_fn edit, size_t *out_n)
{
    size_t offs[64];
    size_t count = chunk_offsets(p, n, offs, 64);
    assert_true(idx < count);
    size_t off = offs[idx], stored = (size_t)crit__get_u64(p + off + 8);
    uLongf raw_n = (uLongf)crit__get_u64(p + off + 16);
    unsigned char *raw = malloc(raw_n + 1);
    assert_int_equal(uncompress(raw, &raw_n, p + off + 24, stored), Z_OK);
    edit(raw, raw_n);
    uLongf z_n = compressBound(raw_n);
    unsigned char *out = malloc(n + z_n + 24);
    memcpy(out, p, off + 24);
    assert_int_equal(compress(out + off + 24, &z_n, raw, raw_n), Z_OK);
    crit__put_u64(out + off + 8, z_n);
    size_t rest = off + 24 + stored;
    memcpy(out + off + 24 + z_n, p + rest, n - rest);
    fix_crc(out, off);
    free(raw);
    *out_n = n - stored + z_n;
    return out;
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
    size_t count = chunk_offsets(p, n, offs, 16);
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
    chunk_offsets(p, n, offs, 16);
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
    chunk_offsets(p, n, offs, 16);
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
    fix_crc(file, 20);
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
    fix_crc(file, 20);
    assert_int_equal(crit_io_load_memory(&w, file, 44 + zn, NULL),
                     CRIT_EFORMAT);
    assert_non_null(strstr(crit_error_last(), "declared size"));
    /* declared absurdly large for its compressed size */
    crit__put_u64(file + 36, (uint64_t)zn * 2000);
    fix_crc(file, 20);
    assert_int_equal(crit_io_load_memory(&w, file, 44 + zn, &lo), CRIT_EFORMAT);
    assert_null(w);
    assert_int_equal(crit_allocator_live_blocks(), live);
    chunk_offsets(good, n, offs, 16);
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
    size_t count = chunk_offsets(p, n, offs, 16);
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
    fix_crc(q, end);
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
    chunk_offsets(p, n, offs, 16);
    char want[128];

    q = edit_chunk(p, n, 2, set_p0_negative, &en);
    snprintf(want, sizeof want,
             "chunk MINR at offset %zu: mineral 'M0.x': base price", offs[2]);
    expect_load_error(q, en, CRIT_EINVAL, want);
    free(q);

    q = edit_chunk(p, n, 3, set_capacity_negative, &en);
    expect_load_error(q, en, CRIT_EINVAL, "economy 'E000' mineral 'M1.x'");
    free(q);

    q = edit_chunk(p, n, 3, set_bad_ban, &en);
    expect_load_error(q, en, CRIT_EFORMAT, "ban byte 0x04");
    free(q);

    q = edit_chunk(p, n, 1, set_economy_code_bad, &en);
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
    unsigned char *q = edit_chunk(p, n, 2, set_transport_2_0_small, &en);
    expect_load_error(q, en, CRIT_EINVAL,
                      "mineral 'M0.x' arc E002->E000: wedge");
    free(q);
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
    assert_non_null(strstr(crit_error_last(), "empty.crit"));
    assert_ptr_equal(w, (crit_world *)(uintptr_t)1);

    crit_world *v;
    assert_int_equal(io_test_world(&v, 2, 1), CRIT_OK);
    path_in(p, sizeof p, "no/such/dir/x.crit");
    assert_int_equal(crit_io_save(p, v, NULL), CRIT_EIO);
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

/* Permission bits do not stop root from reading, and these tests run as
   root in CI: there the case is skipped rather than faked. */
static void test_io_unreadable_file(void **state)
{
    (void)state;
    if (geteuid() == 0) {
        print_message("skipped: running as root, which reads files "
                      "whatever their permission bits\n");
        skip();
    }
    char p[256];
    size_t n;
    unsigned char *d = small_snapshot(&n, NULL);
    path_in(p, sizeof p, "locked.crit");
    spit(p, d, n);
    chmod(p, 0);
    crit_world *w = NULL;
    assert_int_equal(crit_io_load(&w, p, NULL), CRIT_EIO);
    assert_non_null(strstr(crit_error_last(), "ermission"));
    free(d);
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
        unsigned char *d = slurp(p, &n);
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
    unsigned char *d = slurp(p, &n);
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
    unsigned char *gz = slurp(p, &n);
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
        cmocka_unit_test(test_io_truncated_at_every_byte),
        cmocka_unit_test(test_io_flipped_bit_everywhere),
        cmocka_unit_test(test_io_wrong_crc_names_chunk_and_offset),
        cmocka_unit_test(test_io_length_past_end),
        cmocka_unit_test(test_io_compressed_bomb),
        cmocka_unit_test(test_io_wrong_magic_empty_and_short),
        cmocka_unit_test(test_io_newer_major_refused_newer_minor_read),
        cmocka_unit_test(test_io_bad_values_use_world_rules),
        cmocka_unit_test(test_io_negative_wedge_refused),
        cmocka_unit_test(test_io_path_errors),
        cmocka_unit_test(test_io_unreadable_file),
        cmocka_unit_test(test_io_allocation_failure),
        cmocka_unit_test(test_io_atomic_under_sigkill),
        cmocka_unit_test(test_io_csv_roundtrip),
        cmocka_unit_test(test_io_csv_hand_written),
        cmocka_unit_test(test_io_csv_errors_name_file_line_column),
        cmocka_unit_test(test_io_csv_tidy_series),
        cmocka_unit_test(test_io_csv_market_results),
        cmocka_unit_test(test_io_csv_allocation_failure),
    };
    return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}

/*
 * Editing saved snapshot files (docs/format.md) for the tests of the
 * readers: find a chunk, take its inflated payload, put one back (deflated
 * again, optionally followed by garbage inside the stored payload), rename
 * it, and fix its CRC, so that only the property under test is wrong.
 * A chunk: type (4 bytes), CRC-32 (4), stored length (u64), raw length
 * (u64), stored payload; the CRC covers the type, the raw length and the
 * stored payload. Files start with a 20-byte header. Include after
 * <cmocka.h>; every function asserts what it needs.
 */
#ifndef CRIT_TEST_SNAP_EDIT_H
#define CRIT_TEST_SNAP_EDIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "io_internal.h"

/* The bytes of the file at path (caller frees; one spare byte). */
static inline unsigned char *snap_slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *d = malloc((size_t)len + 1);
    assert_non_null(d);
    assert_int_equal(fread(d, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return d;
}

/* Offsets of up to max chunks, by following the stored lengths. */
static inline size_t snap_chunks(const unsigned char *p, size_t n, size_t *offs,
                                 size_t max)
{
    size_t count = 0, off = 20;
    while (off + 24 <= n && count < max) {
        offs[count++] = off;
        off += 24 + (size_t)crit__get_u64(p + off + 8);
    }
    return count;
}

/* Offset of chunk idx (which must exist). */
static inline size_t snap_at(const unsigned char *p, size_t n, size_t idx)
{
    size_t offs[128] = {0};
    assert_true(idx < snap_chunks(p, n, offs, 128));
    return offs[idx];
}

/* Offset of the nth chunk of `type`, 0 when there is none. */
static inline size_t snap_find(const unsigned char *p, size_t n,
                               const char *type, size_t nth)
{
    size_t offs[128] = {0};
    size_t nc = snap_chunks(p, n, offs, 128);
    for (size_t c = 0; c < nc; c++)
        if (memcmp(p + offs[c], type, 4) == 0 && nth-- == 0)
            return offs[c];
    return 0;
}

/* Fix the CRC of the chunk at off after its header or payload changed. */
static inline void snap_fix_crc(unsigned char *p, size_t off)
{
    uint32_t c = (uint32_t)crc32(0, p + off, 4);
    c = (uint32_t)crc32(c, p + off + 16, 8);
    c = (uint32_t)crc32(c, p + off + 24, (uInt)crit__get_u64(p + off + 8));
    crit__put_u32(p + off + 4, c);
}

/* Rename the chunk at off in place, its CRC fixed. */
static inline void snap_retype(unsigned char *p, size_t off, const char *type)
{
    assert_true(off >= 20);
    memcpy(p + off, type, 4);
    snap_fix_crc(p, off);
}

/* The inflated payload of the chunk at off, with 64 spare bytes. */
static inline unsigned char *snap_raw(const unsigned char *p, size_t off,
                                      size_t *raw_n)
{
    assert_true(off >= 20); /* 0: snap_find found no such chunk */
    size_t stored = (size_t)crit__get_u64(p + off + 8);
    uLongf rn = (uLongf)crit__get_u64(p + off + 16);
    unsigned char *raw = malloc(rn + 64);
    assert_non_null(raw);
    assert_int_equal(uncompress(raw, &rn, p + off + 24, stored), Z_OK);
    *raw_n = rn;
    return raw;
}

/* A copy of the file whose chunk at off holds `raw` (deflated, followed by
 * `trail` bytes of garbage inside the stored payload), of type `type`
 * (NULL: unchanged), with its lengths and CRC set. */
static inline unsigned char *snap_with(const unsigned char *p, size_t n,
                                       size_t off, const char *type,
                                       const unsigned char *raw, size_t raw_n,
                                       size_t trail, size_t *out_n)
{
    size_t stored = (size_t)crit__get_u64(p + off + 8);
    uLongf zn = compressBound(raw_n);
    unsigned char *q = malloc(n + zn + trail + 24);
    assert_non_null(q);
    memcpy(q, p, off + 24);
    assert_int_equal(compress(q + off + 24, &zn, raw, raw_n), Z_OK);
    memset(q + off + 24 + zn, 0xA5, trail);
    size_t rest = off + 24 + stored, at = off + 24 + zn + trail;
    memcpy(q + at, p + rest, n - rest);
    if (type)
        memcpy(q + off, type, 4);
    crit__put_u64(q + off + 8, zn + trail);
    crit__put_u64(q + off + 16, raw_n);
    snap_fix_crc(q, off);
    *out_n = at + n - rest;
    return q;
}

/* An edit of a raw payload that may change its length by up to 64 bytes
 * and returns the new one. */
typedef size_t (*snap_resize_fn)(unsigned char *raw, size_t len);

/* A copy of the file whose chunk at off has its raw payload edited by
 * `edit`. */
static inline unsigned char *snap_resize(const unsigned char *p, size_t n,
                                         size_t off, snap_resize_fn edit,
                                         size_t *out_n)
{
    size_t rn;
    unsigned char *raw = snap_raw(p, off, &rn);
    rn = edit(raw, rn);
    unsigned char *q = snap_with(p, n, off, NULL, raw, rn, 0, out_n);
    free(raw);
    return q;
}

/* The same where `edit` keeps the length. */
static inline unsigned char *
snap_edit(const unsigned char *p, size_t n, size_t off,
          void (*edit)(unsigned char *raw, size_t len), size_t *out_n)
{
    size_t rn;
    unsigned char *raw = snap_raw(p, off, &rn);
    edit(raw, rn);
    unsigned char *q = snap_with(p, n, off, NULL, raw, rn, 0, out_n);
    free(raw);
    return q;
}

#endif

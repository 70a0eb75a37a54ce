/*
 * Shared by the io module's files (io.c: snapshots, io_csv.c: CSV,
 * io_file.c: files, buffers and zlib glue). Not installed; zlib types stay
 * in here and in the .c files, never in a public header.
 */
#ifndef CRIT_IO_INTERNAL_H
#define CRIT_IO_INTERNAL_H

#include "crit_internal.h"

#include <stdint.h>
#include <string.h>
#include <zlib.h>

/* ---- growable byte buffers ---- */
typedef struct crit__buf {
    unsigned char *data;
    size_t len, cap;
} crit__buf;

/* Make room for `more` bytes past len; CRIT_ENOMEM (recorded) on failure. */
int crit__buf_reserve(crit__buf *b, size_t more);
int crit__buf_put(crit__buf *b, const void *p, size_t n);
void crit__buf_free(crit__buf *b);

/* ---- little-endian encoding, byte by byte (independent of the host) ---- */
static inline void crit__put_u16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}
static inline void crit__put_u32(unsigned char *p, uint32_t v)
{
    for (int b = 0; b < 4; b++)
        p[b] = (unsigned char)(v >> (8 * b));
}
static inline void crit__put_u64(unsigned char *p, uint64_t v)
{
    for (int b = 0; b < 8; b++)
        p[b] = (unsigned char)(v >> (8 * b));
}
static inline uint16_t crit__get_u16(const unsigned char *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}
static inline uint32_t crit__get_u32(const unsigned char *p)
{
    uint32_t v = 0;
    for (int b = 3; b >= 0; b--)
        v = (v << 8) | p[b];
    return v;
}
static inline uint64_t crit__get_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int b = 7; b >= 0; b--)
        v = (v << 8) | p[b];
    return v;
}
/* IEEE 754 binary64 bit pattern of a double, and back. */
static inline uint64_t crit__f64_bits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}
static inline double crit__bits_f64(uint64_t u)
{
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

/* ---- zlib through the allocator hook ---- */
void *crit__zalloc(void *opaque, unsigned items, unsigned size);
void crit__zfree(void *opaque, void *ptr);
/* CRC-32 of any length (zlib's crc32 takes a uInt length). */
uint32_t crit__crc32(uint32_t crc, const unsigned char *p, size_t n);

/*
 * Inflate a whole zlib or gzip stream (gzip members may be concatenated)
 * from `in` into `out`, appending; refuses to produce more than `limit`
 * bytes. `what` names the input in messages. CRIT_EFORMAT on a corrupt
 * stream or one over the limit.
 */
int crit__inflate_all(crit__buf *out, const unsigned char *in, size_t n,
                      size_t limit, const char *what);
/* Compress `in` as one gzip member appended to `out`. */
int crit__gzip(crit__buf *out, const unsigned char *in, size_t n, int level);

/* ---- files ---- */
/* Read a whole regular file. `*out` is freed with crit__free. */
int crit__read_file(unsigned char **out, size_t *out_size, const char *path,
                    const char *what);

/*
 * Atomic replacement of a file: crit__atomic_open creates a temporary file
 * `<path>.tmp.<pid>.<n>` beside the target; crit__atomic_commit flushes
 * and fsyncs it, renames it over the target and fsyncs the directory;
 * crit__atomic_abort closes and removes it. After open, exactly one of
 * commit or abort must be called; commit aborts by itself on failure.
 */
typedef struct crit__atomic_file {
    int fd;
    char *tmp, *dir;
    const char *path;
} crit__atomic_file;

int crit__atomic_open(crit__atomic_file *f, const char *path);
int crit__atomic_write(crit__atomic_file *f, const void *p, size_t n);
int crit__atomic_commit(crit__atomic_file *f);
void crit__atomic_abort(crit__atomic_file *f);

/* Write a whole buffer to `path` atomically. */
int crit__write_file_atomic(const char *path, const unsigned char *p, size_t n);

/* ---- the snapshot's world part, for the scenario chunks (io.c) ---- */
#define CRIT__CHUNK_TYPE(a, b, c, d)                                           \
    ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 |                \
     (uint32_t)(d) << 24)

typedef struct crit__snap_writer crit__snap_writer;
/* Deflate `raw` as one chunk of `type` and write it; level
 * CRIT__LEVEL_SAVE is the save's level, CRIT__LEVEL_SERIES the save's
 * level for a result's series (CRIT__DEFAULT_SERIES_LEVEL and Z_RLE when
 * the options ask for the default), else 0 to 9. */
#define CRIT__LEVEL_SAVE (-2)
#define CRIT__LEVEL_SERIES (-3)
/* The series' byte planes are most of a result's file and of its save
 * time. By default they are deflated at this level with the run-length
 * strategy (Z_RLE): their period deltas are mostly zero runs, which it
 * codes smaller than level 5 and in about half the time
 * (tests/bench/bench_io); a level given in the options is used with the
 * default strategy, as for every other chunk. */
#define CRIT__DEFAULT_SERIES_LEVEL 1
int crit__snap_write_chunk(crit__snap_writer *w, uint32_t type,
                           const crit__buf *raw, int level);
/* crit_io_save with `extra` called after the world's chunks, before CEND;
 * the header then says format 1.CRIT_IO_FORMAT_MINOR (1.0 without). */
int crit__snap_save(const char *path, const crit_world *world,
                    const crit_io_save_options *options,
                    int (*extra)(crit__snap_writer *w, void *ctx), void *ctx);

/* A chunk kept for the caller: its offset in the file, its inflated
 * payload (owned by the loader). */
typedef struct crit__snap_chunk {
    uint32_t type;
    size_t offset;
    unsigned char *raw;
    size_t raw_len;
} crit__snap_chunk;

typedef struct crit__snap {
    const char *name; /* for messages */
    uint32_t n_eco, n_min;
    crit__snap_chunk *extra;
    size_t n_extra;
} crit__snap;

/* crit_io_load_memory that also inflates (within the size limit) the
 * chunks whose type `is_extra` accepts, and calls `check` with them after
 * the world's chunks passed their checks and before anything is built.
 * `check` may take the chunks (set snap->extra to NULL and n_extra to 0;
 * it then frees each raw and the array with crit__free). */
int crit__snap_load(crit_world **out, const unsigned char *data, size_t size,
                    const crit_io_load_options *options, const char *name,
                    int (*is_extra)(uint32_t type),
                    int (*check)(void *ctx, crit__snap *snap), void *ctx);
/* Record "<name>: chunk TYPE at offset N: <detail>"; returns code. */
int crit__snap_error(const char *name, int code, uint32_t type, size_t offset,
                     const char *fmt, ...) CRIT__PRINTF(5, 6);
/* Read a snapshot file; *out_name is "snapshot '<path>'" (crit__free). */
int crit__snap_read_file(unsigned char **out_data, size_t *out_size,
                         char **out_name, const char *path);

#endif /* CRIT_IO_INTERNAL_H */

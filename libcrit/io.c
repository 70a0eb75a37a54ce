/*
 * The snapshot format (docs/format.md): a 20-byte header, then chunks of
 * [type 4][crc32 4][stored length 8][raw length 8][zlib stream], all
 * integers little-endian. Reading runs in two passes: the first checks
 * the header, every chunk's bounds, CRC, order and count, inflates the
 * known chunks into private buffers and checks their structure; only then
 * does the second build a private world through the world's own
 * index-based setters (the rules of the API), published on success.
 */
#include "io_internal.h"
#include "world_internal.h"

#include <math.h>
#include <stdio.h>

#define HEADER_SIZE 20
#define CHUNK_HEADER 24
#define MAX_COUNT (1u << 24)    /* economies or minerals in one file */
#define DEFLATE_MAX_RATIO 1032u /* deflate's best compression ratio */
#define DEFAULT_LEVEL 6
/* the first published sizes of the options structs */
#define SAVE_OPTIONS_V1 CRIT__SIZE_TO(crit_io_save_options, level)
#define LOAD_OPTIONS_V1                                                        \
    CRIT__SIZE_TO(crit_io_load_options, max_uncompressed_bytes)
#define DEFAULT_LIMIT ((uint64_t)1 << 30)

/*
 * A fuzzing build (CRIT_FUZZ) ignores CRC-32 and Adler-32 mismatches, as
 * libpng and others do under this conventional macro: a fuzzer cannot
 * forge checksums, and would otherwise never get past them to the
 * parsing and validation behind. Never defined in a normal build.
 */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define SKIP_CHECKSUMS 1
#else
#define SKIP_CHECKSUMS 0
#endif

static const unsigned char MAGIC[8] = {0x89, 'C',  'R',  'T',
                                       '\r', '\n', 0x1a, '\n'};

#define TYPE(a, b, c, d)                                                       \
    ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 |                \
     (uint32_t)(d) << 24)
#define T_WRLD TYPE('W', 'R', 'L', 'D')
#define T_ECON TYPE('E', 'C', 'O', 'N')
#define T_MINR TYPE('M', 'I', 'N', 'R')
#define T_CEND TYPE('C', 'E', 'N', 'D')

void crit_io_save_options_init(crit_io_save_options *options)
{
    if (!options)
        return;
    memset(options, 0, sizeof *options);
    options->size = sizeof *options;
    options->level = -1;
}

void crit_io_load_options_init(crit_io_load_options *options)
{
    if (!options)
        return;
    memset(options, 0, sizeof *options);
    options->size = sizeof *options;
}

/* ---- encoding helpers -------------------------------------------------- */

static int put_u32(crit__buf *b, uint32_t v)
{
    unsigned char p[4];
    crit__put_u32(p, v);
    return crit__buf_put(b, p, 4);
}

static int put_str(crit__buf *b, const char *s)
{
    size_t n = strlen(s);
    if (n > UINT32_MAX)
        return crit__error(CRIT_EUNSUPPORTED, "snapshot: string too long");
    int rc = put_u32(b, (uint32_t)n);
    return rc ? rc : crit__buf_put(b, s, n);
}

/*
 * Doubles are stored as decimals where that is exact (docs/format.md):
 * value v is written as a scale byte e and the integer n = v * 10^e, when
 * n / 10^e (one correctly rounded IEEE division) gives back v's exact bit
 * pattern and |n| <= 2^53; n goes out as a zigzag LEB128 varint. Anything
 * else (-0, infinities, NaN, values with no short decimal form) is scale
 * 0xFF followed by its 8-byte pattern. A block of D values is the D scale
 * bytes, then the D numbers. World data is mostly short decimals (prices
 * in cents, round elasticities, zeros), which this makes 1 to 3 bytes that
 * deflate compresses well, where raw doubles would stay near 8.
 */
#define SCALE_RAW 0xFFu
#define MAX_SCALE 17u
#define MAX_EXACT 9007199254740992.0 /* 2^53 */

static const double POW10[MAX_SCALE + 1] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,
                                            1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                            1e12, 1e13, 1e14, 1e15, 1e16, 1e17};

static unsigned decimal_scale(double v, int64_t *out)
{
    uint64_t bits = crit__f64_bits(v);
    for (unsigned e = 0; e <= MAX_SCALE; e++) {
        double t = v * POW10[e];
        if (!(fabs(t) <= MAX_EXACT))
            break; /* too large, or not finite */
        int64_t n = (int64_t)t;
        if ((double)n != t)
            continue;
        if (crit__f64_bits((double)n / POW10[e]) == bits) {
            *out = n;
            return e;
        }
    }
    return SCALE_RAW;
}

/* Encode nd values at dst (room for 11 * nd bytes); returns bytes used. */
static size_t encode_values(unsigned char *dst, const double *v, size_t nd)
{
    unsigned char *p = dst + nd;
    for (size_t i = 0; i < nd; i++) {
        int64_t n = 0;
        unsigned e = decimal_scale(v[i], &n);
        dst[i] = (unsigned char)e;
        if (e == SCALE_RAW) {
            crit__put_u64(p, crit__f64_bits(v[i]));
            p += 8;
            continue;
        }
        uint64_t z = n < 0 ? ((uint64_t)(-(n + 1)) << 1) | 1u
                           : (uint64_t)n << 1; /* zigzag */
        while (z >= 0x80) {
            *p++ = (unsigned char)(z | 0x80);
            z >>= 7;
        }
        *p++ = (unsigned char)z;
    }
    return (size_t)(p - dst);
}

/*
 * Check (out NULL) or decode a block of nd values in p[0, len). Returns
 * the bytes it takes, or 0 with *why set when it is malformed.
 */
static size_t decode_values(double *out, const unsigned char *p, size_t len,
                            size_t nd, const char **why)
{
    if (len < nd) {
        *why = "scale bytes run past the payload";
        return 0;
    }
    size_t pos = nd;
    for (size_t i = 0; i < nd; i++) {
        unsigned e = p[i];
        if (e == SCALE_RAW) {
            if (len - pos < 8) {
                *why = "a value runs past the payload";
                return 0;
            }
            if (out)
                out[i] = crit__bits_f64(crit__get_u64(p + pos));
            pos += 8;
            continue;
        }
        if (e > MAX_SCALE) {
            *why = "a scale byte is neither 0 to 17 nor 0xFF";
            return 0;
        }
        uint64_t z = 0;
        for (unsigned shift = 0;; shift += 7) {
            if (pos == len || shift > 63) {
                *why = pos == len ? "a value runs past the payload"
                                  : "a varint is longer than 10 bytes";
                return 0;
            }
            unsigned char b = p[pos++];
            if (shift == 63 && (b & 0x7e)) { /* bits past 2^64 */
                *why = "a decimal mantissa exceeds 2^53";
                return 0;
            }
            z |= (uint64_t)(b & 0x7f) << shift;
            if (!(b & 0x80))
                break;
        }
        uint64_t mag = (z >> 1) + (z & 1); /* |n| */
        if (mag > (uint64_t)MAX_EXACT) {
            *why = "a decimal mantissa exceeds 2^53";
            return 0;
        }
        if (out) {
            double n = (z & 1) ? -(double)mag : (double)mag;
            out[i] = e ? n / POW10[e] : n;
        }
    }
    return pos;
}

/* Number of doubles in a MINR chunk for n economies. */
static uint64_t minr_doubles(uint64_t n)
{
    return 3 + 8 * n + 3 * n * (n ? n - 1 : 0);
}

/* ---- writing ----------------------------------------------------------- */

struct crit__snap_writer {
    crit__atomic_file file;
    z_stream z;
    crit__buf out;       /* compressed payload of the current chunk */
    int level;           /* the save's level */
    int series_level;    /* for CRIT__LEVEL_SERIES */
    int series_strategy; /* deflate strategy for CRIT__LEVEL_SERIES */
};
typedef crit__snap_writer writer;

static int write_chunk(writer *w, uint32_t type, const crit__buf *raw)
{
    return crit__snap_write_chunk(w, type, raw, CRIT__LEVEL_SAVE);
}

int crit__snap_write_chunk(crit__snap_writer *w, uint32_t type,
                           const crit__buf *raw, int level)
{
    int rc;
    if (raw->len > UINT32_MAX / 2)
        return crit__error(CRIT_EUNSUPPORTED,
                           "snapshot save: a chunk of %zu bytes is too large "
                           "(too many economies)",
                           raw->len);
    int zrc = deflateReset(&w->z), strategy = Z_DEFAULT_STRATEGY;
    if (level == CRIT__LEVEL_SAVE)
        level = w->level;
    else if (level == CRIT__LEVEL_SERIES) {
        level = w->series_level;
        strategy = w->series_strategy;
    }
    if (zrc == Z_OK)
        zrc = deflateParams(&w->z, level, strategy);
    if (zrc == Z_MEM_ERROR)
        return crit__error_oom();
    if (zrc != Z_OK)
        return crit__error(CRIT_EINTERNAL, "snapshot: zlib error %d", zrc);
    uLong bound = deflateBound(&w->z, (uLong)raw->len);
    w->out.len = 0;
    if ((rc = crit__buf_reserve(&w->out, CHUNK_HEADER + (size_t)bound)))
        return rc;
    unsigned char *payload = w->out.data + CHUNK_HEADER;
    w->z.next_in = raw->data;
    w->z.avail_in = (uInt)raw->len;
    w->z.next_out = payload;
    w->z.avail_out = (uInt)bound;
    zrc = deflate(&w->z, Z_FINISH);
    if (zrc == Z_MEM_ERROR)
        return crit__error_oom();
    if (zrc != Z_STREAM_END)
        return crit__error(CRIT_EINTERNAL, "snapshot: zlib error %d", zrc);
    size_t stored = (size_t)w->z.total_out;
    unsigned char *h = w->out.data;
    crit__put_u32(h, type);
    crit__put_u64(h + 8, stored);
    crit__put_u64(h + 16, raw->len);
    /* the CRC covers the type, the raw length and the stored payload */
    uint32_t crc = crit__crc32(0, h, 4);
    crc = crit__crc32(crc, h + 16, 8);
    crc = crit__crc32(crc, payload, stored);
    crit__put_u32(h + 4, crc);
    return crit__atomic_write(&w->file, w->out.data, CHUNK_HEADER + stored);
}

static int encode_world_chunks(writer *w, const crit_world *world)
{
    crit__buf raw = {0};
    int rc;
    size_t n = world->n_eco;
    /* WRLD: counts */
    if ((rc = put_u32(&raw, (uint32_t)n)) ||
        (rc = put_u32(&raw, (uint32_t)world->n_min)) ||
        (rc = write_chunk(w, T_WRLD, &raw)))
        goto done;
    /* ECON: every economy */
    raw.len = 0;
    if ((rc = put_u32(&raw, (uint32_t)n)))
        goto done;
    for (size_t i = 0; i < n; i++) {
        unsigned char member = (unsigned char)world->eco[i].member;
        if ((rc = put_str(&raw, world->eco[i].code)) ||
            (rc = put_str(&raw, world->eco[i].name)) ||
            (rc = crit__buf_put(&raw, &member, 1)))
            goto done;
    }
    if ((rc = write_chunk(w, T_ECON, &raw)))
        goto done;
    /* MINR: one per mineral */
    size_t nd = (size_t)minr_doubles(n), offdiag = n * (n ? n - 1 : 0);
    unsigned char *bans = crit__malloc(offdiag ? offdiag : 1);
    double *vals = crit__malloc(nd * sizeof *vals);
    if (!vals || !bans) {
        crit__free(vals);
        crit__free(bans);
        rc = crit__error_oom();
        goto done;
    }
    for (size_t k = 0; k < world->n_min && !rc; k++) {
        const crit__mineral *m = &world->min[k];
        raw.len = 0;
        if ((rc = put_str(&raw, m->code)) || (rc = put_str(&raw, m->name)) ||
            (rc = put_str(&raw, m->basis)) ||
            (rc = put_u32(&raw, (uint32_t)n)) ||
            (rc = crit__buf_reserve(&raw, nd * 11 + offdiag)))
            break;
        double *v = vals;
        *v++ = m->p0;
        *v++ = m->pmax;
        *v++ = m->holding;
        for (size_t i = 0; i < n; i++) {
            v[i] = m->curve[i].s0;
            v[n + i] = m->curve[i].K;
            v[2 * n + i] = m->curve[i].eta;
            v[3 * n + i] = m->curve[i].d0;
            v[4 * n + i] = m->curve[i].eps;
        }
        v += 5 * n;
        memcpy(v, m->xtax, n * sizeof *v);
        memcpy(v + n, m->xtax_rate, n * sizeof *v);
        memcpy(v + 2 * n, m->quota, n * sizeof *v);
        v += 3 * n;
        unsigned char *ban = bans;
        size_t a = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) {
                if (i == j)
                    continue;
                size_t s = i * world->stride + j;
                v[a] = m->transport[s];
                v[offdiag + a] = m->tariff[s];
                v[2 * offdiag + a] = m->tariff_rate[s];
                ban[a] = m->ban[s];
                a++;
            }
        raw.len += encode_values(raw.data + raw.len, vals, nd);
        memcpy(raw.data + raw.len, bans, offdiag);
        raw.len += offdiag;
        rc = write_chunk(w, T_MINR, &raw);
    }
    crit__free(vals);
    crit__free(bans);
    if (rc)
        goto done;
done:
    crit__buf_free(&raw);
    return rc;
}

int crit_io_save(const char *path, const crit_world *world,
                 const crit_io_save_options *options)
{
    return crit__snap_save(path, world, options, NULL, NULL);
}

int crit__snap_save(const char *path, const crit_world *world,
                    const crit_io_save_options *options,
                    int (*extra)(crit__snap_writer *w, void *ctx), void *ctx)
{
    if (!path || !world)
        return crit__error(CRIT_EINVAL, "snapshot save: NULL argument");
    int level = DEFAULT_LEVEL, series_level = CRIT__DEFAULT_SERIES_LEVEL;
    int series_strategy = Z_RLE;
    if (options) {
        int rc = crit__check_struct_size(options, SAVE_OPTIONS_V1,
                                         sizeof *options, "save options");
        if (rc)
            return rc;
        if (options->level < -1 || options->level > 9)
            return crit__error(CRIT_EINVAL,
                               "snapshot save: deflate level %ld is not "
                               "-1 or 0 to 9",
                               (long)options->level);
        if (options->level >= 0) {
            level = series_level = options->level;
            series_strategy = Z_DEFAULT_STRATEGY;
        }
    }
    if (world->n_eco >= MAX_COUNT || world->n_min >= MAX_COUNT)
        return crit__error(CRIT_EUNSUPPORTED,
                           "snapshot save: more than %u economies or "
                           "minerals",
                           MAX_COUNT - 1);
    writer w = {0};
    w.level = level;
    w.series_level = series_level;
    w.series_strategy = series_strategy;
    w.z.zalloc = crit__zalloc;
    w.z.zfree = crit__zfree;
    int zrc = deflateInit(&w.z, level);
    if (zrc == Z_MEM_ERROR)
        return crit__error_oom();
    if (zrc != Z_OK)
        return crit__error(CRIT_EINTERNAL, "snapshot: zlib error %d", zrc);
    int rc = crit__atomic_open(&w.file, path);
    if (rc) {
        deflateEnd(&w.z);
        return rc;
    }
    unsigned char h[HEADER_SIZE];
    memcpy(h, MAGIC, 8);
    crit__put_u16(h + 8, CRIT_IO_FORMAT_MAJOR);
    /* a world alone needs no reader newer than 1.0 */
    crit__put_u16(h + 10, extra ? CRIT_IO_FORMAT_MINOR : 0);
    crit__put_u32(h + 12, 0); /* flags: none defined in 1.x */
    crit__put_u32(h + 16, crit__crc32(0, h, 16));
    crit__buf end = {0};
    if ((rc = crit__atomic_write(&w.file, h, sizeof h)) ||
        (rc = encode_world_chunks(&w, world)) ||
        (extra && (rc = extra(&w, ctx))) ||
        (rc = write_chunk(&w, T_CEND, &end)))
        crit__atomic_abort(&w.file);
    else
        rc = crit__atomic_commit(&w.file);
    deflateEnd(&w.z);
    crit__buf_free(&w.out);
    return rc;
}

/* ---- reading, pass 1: structure ---------------------------------------- */

typedef struct chunk {
    size_t offset; /* of the chunk header in the file */
    unsigned char *raw;
    size_t raw_len;
    double *vals; /* MINR: the decoded values */
    size_t bans;  /* MINR: offset of the ban bytes in raw */
} chunk;

typedef struct reader {
    const char *name; /* for messages: "snapshot 'path'" */
    const unsigned char *data;
    size_t size;
    uint64_t budget; /* decompressed bytes still allowed */
    uint32_t n_eco, n_min;
    chunk econ;
    chunk *minr; /* [n_min] */
    size_t n_minr;
    int (*is_extra)(uint32_t type); /* chunks kept for the caller */
    crit__snap_chunk *extra;
    size_t n_extra, cap_extra;
} reader;

static void type_name(char out[5], uint32_t type)
{
    for (int b = 0; b < 4; b++) {
        unsigned char c = (unsigned char)(type >> (8 * b));
        out[b] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    out[4] = '\0';
}

#define RERR(r, code, type, off, ...) rerr(r, code, type, off, __VA_ARGS__)

static int rerr(const reader *r, int code, uint32_t type, size_t offset,
                const char *fmt, ...) CRIT__PRINTF(5, 6);
static int rerr(const reader *r, int code, uint32_t type, size_t offset,
                const char *fmt, ...)
{
    char detail[384], t[5];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    if (type == 0)
        return crit__error(code, "%s: header at offset %zu: %s", r->name,
                           offset, detail);
    type_name(t, type);
    return crit__error(code, "%s: chunk %s at offset %zu: %s", r->name, t,
                       offset, detail);
}

static int inflate_chunk(reader *r, chunk *c, uint32_t type,
                         const unsigned char *in, size_t stored,
                         uint64_t raw_len)
{
    if (raw_len > r->budget)
        return RERR(r, CRIT_EFORMAT, type, c->offset,
                    "decompressed size %llu exceeds the limit (%llu bytes "
                    "left of the load options' maximum)",
                    (unsigned long long)raw_len, (unsigned long long)r->budget);
    if (raw_len > (uint64_t)stored * DEFLATE_MAX_RATIO + 64)
        return RERR(r, CRIT_EFORMAT, type, c->offset,
                    "declared size %llu is impossible for %zu compressed "
                    "bytes",
                    (unsigned long long)raw_len, stored);
    /* zlib counts in 32 bits; the writer stays below 2 GiB a chunk */
    if (raw_len > SIZE_MAX || stored > UINT32_MAX || raw_len > UINT32_MAX)
        return RERR(r, CRIT_EFORMAT, type, c->offset,
                    "declared size %llu (%zu stored) is more than a chunk "
                    "may hold (%lu bytes)",
                    (unsigned long long)raw_len, stored,
                    (unsigned long)UINT32_MAX);
    r->budget -= raw_len;
    c->raw_len = (size_t)raw_len;
    c->raw = crit__malloc(c->raw_len);
    if (!c->raw)
        return crit__error_oom();
    z_stream z = {0};
    z.zalloc = crit__zalloc;
    z.zfree = crit__zfree;
    int zrc = inflateInit(&z);
    if (zrc == Z_MEM_ERROR)
        return crit__error_oom();
    if (zrc != Z_OK)
        return RERR(r, CRIT_EINTERNAL, type, c->offset, "zlib error %d", zrc);
    /* The chunk's CRC-32, checked before this, already covers every
     * stored byte: zlib's Adler-32 of the output would check the same
     * bytes a second time (a fuzzing build checks neither). */
    inflateValidate(&z, 0);
    z.next_in = (unsigned char *)in;
    z.avail_in = (uInt)stored;
    z.next_out = c->raw;
    z.avail_out = (uInt)c->raw_len;
    zrc = inflate(&z, Z_FINISH);
    size_t produced = (size_t)z.total_out, left = z.avail_in;
    const char *msg = z.msg;
    inflateEnd(&z);
    if (zrc == Z_MEM_ERROR)
        return crit__error_oom();
    if (zrc == Z_STREAM_END && produced == c->raw_len && left == 0)
        return CRIT_OK;
    if (zrc == Z_STREAM_END && produced != c->raw_len)
        return RERR(r, CRIT_EFORMAT, type, c->offset,
                    "compressed stream ends early (%zu of %zu bytes)", produced,
                    c->raw_len);
    if (zrc == Z_STREAM_END)
        return RERR(r, CRIT_EFORMAT, type, c->offset,
                    "%zu bytes follow the compressed stream in the payload",
                    left);
    if (zrc == Z_DATA_ERROR || zrc == Z_NEED_DICT)
        return RERR(r, CRIT_EFORMAT, type, c->offset,
                    "corrupt compressed data (%s)", msg ? msg : "data error");
    return RERR(r, CRIT_EFORMAT, type, c->offset,
                "compressed data does not match its declared size %zu",
                c->raw_len);
}

/* A cursor over a chunk's decompressed payload. */
typedef struct cursor {
    const reader *r;
    const chunk *c;
    uint32_t type;
    size_t pos;
} cursor;

static int cur_need(cursor *cu, size_t n, const char *what)
{
    if (n > cu->c->raw_len - cu->pos)
        return RERR(cu->r, CRIT_EFORMAT, cu->type, cu->c->offset,
                    "%s at payload byte %zu runs past the payload's end "
                    "(%zu bytes)",
                    what, cu->pos, cu->c->raw_len);
    return CRIT_OK;
}

static int cur_u32(cursor *cu, uint32_t *out, const char *what)
{
    int rc = cur_need(cu, 4, what);
    if (rc)
        return rc;
    *out = crit__get_u32(cu->c->raw + cu->pos);
    cu->pos += 4;
    return CRIT_OK;
}

/* A string: u32 length, bytes without NUL. `*out` points into the raw
   payload and is not terminated; `*len` is its length. */
static int cur_str(cursor *cu, const char **out, size_t *len, const char *what)
{
    uint32_t n;
    int rc = cur_u32(cu, &n, what);
    if (rc || (rc = cur_need(cu, n, what)))
        return rc;
    const char *s = (const char *)cu->c->raw + cu->pos;
    if (memchr(s, '\0', n))
        return RERR(cu->r, CRIT_EFORMAT, cu->type, cu->c->offset,
                    "%s at payload byte %zu contains a NUL byte", what,
                    cu->pos);
    *out = s;
    *len = n;
    cu->pos += n;
    return CRIT_OK;
}

static int check_econ(reader *r)
{
    cursor cu = {r, &r->econ, T_ECON, 0};
    uint32_t n;
    int rc = cur_u32(&cu, &n, "economy count");
    if (rc)
        return rc;
    if (n != r->n_eco)
        return RERR(r, CRIT_EFORMAT, T_ECON, r->econ.offset,
                    "holds %lu economies, the WRLD chunk says %lu",
                    (unsigned long)n, (unsigned long)r->n_eco);
    for (uint32_t i = 0; i < n; i++) {
        const char *s;
        size_t len;
        if ((rc = cur_str(&cu, &s, &len, "economy code")) ||
            (rc = cur_str(&cu, &s, &len, "economy name")) ||
            (rc = cur_need(&cu, 1, "member flag")))
            return rc;
        cu.pos++;
    }
    return CRIT_OK;
}

static int check_minr(reader *r, chunk *c)
{
    cursor cu = {r, c, T_MINR, 0};
    const char *s;
    size_t len;
    uint32_t n;
    int rc;
    if ((rc = cur_str(&cu, &s, &len, "mineral code")) ||
        (rc = cur_str(&cu, &s, &len, "mineral name")) ||
        (rc = cur_str(&cu, &s, &len, "mineral basis")) ||
        (rc = cur_u32(&cu, &n, "economy count")))
        return rc;
    if (n != r->n_eco)
        return RERR(r, CRIT_EFORMAT, T_MINR, c->offset,
                    "has tables for %lu economies, the WRLD chunk says %lu",
                    (unsigned long)n, (unsigned long)r->n_eco);
    uint64_t nd = minr_doubles(n), nb = (uint64_t)n * (n ? n - 1 : 0);
    if (nd > c->raw_len - cu.pos)
        return RERR(r, CRIT_EFORMAT, T_MINR, c->offset,
                    "tables of %llu values need more than the %zu bytes "
                    "left in the payload",
                    (unsigned long long)nd, c->raw_len - cu.pos);
    /* the decoded values count against the size limit too */
    if (nd * 8 > r->budget)
        return RERR(r, CRIT_EFORMAT, T_MINR, c->offset,
                    "%llu values exceed the limit (%llu bytes left of the "
                    "load options' maximum)",
                    (unsigned long long)nd, (unsigned long long)r->budget);
    r->budget -= nd * 8;
    c->vals = crit__malloc((size_t)nd * sizeof *c->vals);
    if (!c->vals)
        return crit__error_oom();
    const char *why = NULL;
    size_t used = decode_values(c->vals, c->raw + cu.pos, c->raw_len - cu.pos,
                                (size_t)nd, &why);
    if (!used)
        return RERR(r, CRIT_EFORMAT, T_MINR, c->offset,
                    "value block at payload byte %zu: %s", cu.pos, why);
    c->bans = cu.pos + used;
    if (nb > c->raw_len - c->bans)
        return RERR(r, CRIT_EFORMAT, T_MINR, c->offset,
                    "%llu ban bytes at payload byte %zu run past the "
                    "payload's end (%zu bytes)",
                    (unsigned long long)nb, c->bans, c->raw_len);
    /* bytes past `need` belong to a newer minor version: ignored */
    return CRIT_OK;
}

static void reader_release(reader *r)
{
    crit__free(r->econ.raw);
    for (size_t k = 0; k < r->n_minr; k++) {
        crit__free(r->minr[k].raw);
        crit__free(r->minr[k].vals);
    }
    crit__free(r->minr);
    for (size_t k = 0; k < r->n_extra; k++)
        crit__free(r->extra[k].raw);
    crit__free(r->extra);
}

static int check_header(reader *r)
{
    if (r->size < 8)
        return RERR(r, CRIT_EFORMAT, 0, 0,
                    "file too short (%zu bytes) to be a libcrit snapshot",
                    r->size);
    if (memcmp(r->data, MAGIC, 8) != 0)
        return RERR(r, CRIT_EFORMAT, 0, 0,
                    "not a libcrit snapshot (wrong magic number)");
    if (r->size < 12)
        return RERR(r, CRIT_EFORMAT, 0, 8,
                    "file too short (%zu bytes) for the format version",
                    r->size);
    unsigned major = crit__get_u16(r->data + 8),
             minor = crit__get_u16(r->data + 10);
    if (major > CRIT_IO_FORMAT_MAJOR)
        return RERR(r, CRIT_EVERSION, 0, 8,
                    "format version %u.%u is newer than this library reads "
                    "(%d.x); upgrade libcrit",
                    major, minor, CRIT_IO_FORMAT_MAJOR);
    if (r->size < HEADER_SIZE)
        return RERR(r, CRIT_EFORMAT, 0, 0,
                    "file too short (%zu bytes) for the %d-byte header",
                    r->size, HEADER_SIZE);
    uint32_t want = crit__get_u32(r->data + 16),
             got = crit__crc32(0, r->data, 16);
    if (want != got && !SKIP_CHECKSUMS)
        return RERR(r, CRIT_EFORMAT, 0, 16,
                    "header CRC-32 0x%08lx does not match its content "
                    "(0x%08lx)",
                    (unsigned long)want, (unsigned long)got);
    if (major < CRIT_IO_FORMAT_MAJOR)
        return RERR(r, CRIT_EVERSION, 0, 8,
                    "format version %u.%u is older than any this library "
                    "reads",
                    major, minor);
    return CRIT_OK;
}

static int read_chunks(reader *r)
{
    int rc = check_header(r);
    if (rc)
        return rc;
    size_t off = HEADER_SIZE, end_off = 0;
    int seen_wrld = 0, seen_end = 0;
    chunk c = {0, NULL, 0, NULL, 0}; /* the WRLD chunk, read and dropped */
    while (!seen_end) {
        if (off == r->size)
            return crit__error(CRIT_EFORMAT,
                               "%s: offset %zu: the file ends without its "
                               "CEND chunk (truncated?)",
                               r->name, off);
        if (r->size - off < CHUNK_HEADER)
            return crit__error(CRIT_EFORMAT,
                               "%s: chunk at offset %zu: truncated chunk "
                               "header (%zu of %d bytes)",
                               r->name, off, r->size - off, CHUNK_HEADER);
        const unsigned char *h = r->data + off;
        uint32_t type = crit__get_u32(h), want = crit__get_u32(h + 4);
        uint64_t stored = crit__get_u64(h + 8), raw_len = crit__get_u64(h + 16);
        if (stored > r->size - off - CHUNK_HEADER)
            return RERR(r, CRIT_EFORMAT, type, off,
                        "stored length %llu runs past the end of the file "
                        "(%zu bytes left)",
                        (unsigned long long)stored,
                        r->size - off - CHUNK_HEADER);
        const unsigned char *payload = h + CHUNK_HEADER;
        uint32_t got = crit__crc32(0, h, 4);
        got = crit__crc32(got, h + 16, 8);
        got = crit__crc32(got, payload, (size_t)stored);
        if (got != want && !SKIP_CHECKSUMS)
            return RERR(r, CRIT_EFORMAT, type, off,
                        "CRC-32 0x%08lx does not match its content "
                        "(0x%08lx)",
                        (unsigned long)want, (unsigned long)got);
        if (!seen_wrld && type != T_WRLD)
            return RERR(r, CRIT_EFORMAT, type, off,
                        "the first chunk must be WRLD");
        if (type == T_WRLD) {
            if (seen_wrld)
                return RERR(r, CRIT_EFORMAT, type, off, "a second WRLD chunk");
            c.offset = off;
            if ((rc = inflate_chunk(r, &c, type, payload, (size_t)stored,
                                    raw_len)))
                goto fail_chunk;
            if (c.raw_len < 8) {
                rc = RERR(r, CRIT_EFORMAT, type, off,
                          "payload of %zu bytes is shorter than 8", c.raw_len);
                goto fail_chunk;
            }
            r->n_eco = crit__get_u32(c.raw);
            r->n_min = crit__get_u32(c.raw + 4);
            crit__free(c.raw);
            c.raw = NULL;
            seen_wrld = 1;
            /* each mineral takes a chunk header and a payload */
            uint64_t min_bytes = (uint64_t)r->n_min * (CHUNK_HEADER + 8);
            if (r->n_eco >= MAX_COUNT || r->n_min >= MAX_COUNT ||
                min_bytes > r->size - off)
                return RERR(r, CRIT_EFORMAT, type, off,
                            "counts of %lu economies and %lu minerals do "
                            "not fit in a file of %zu bytes",
                            (unsigned long)r->n_eco, (unsigned long)r->n_min,
                            r->size);
            if (r->n_min) {
                r->minr = crit__calloc(r->n_min, sizeof *r->minr);
                if (!r->minr)
                    return crit__error_oom();
            }
        } else if (type == T_ECON) {
            if (r->econ.raw)
                return RERR(r, CRIT_EFORMAT, type, off, "a second ECON chunk");
            r->econ.offset = off;
            if ((rc = inflate_chunk(r, &r->econ, type, payload, (size_t)stored,
                                    raw_len)) ||
                (rc = check_econ(r)))
                return rc;
        } else if (type == T_MINR) {
            if (r->n_minr == r->n_min)
                return RERR(r, CRIT_EFORMAT, type, off,
                            "more MINR chunks than the %lu minerals the WRLD "
                            "chunk declares",
                            (unsigned long)r->n_min);
            chunk *m = &r->minr[r->n_minr++];
            m->offset = off;
            if ((rc = inflate_chunk(r, m, type, payload, (size_t)stored,
                                    raw_len)) ||
                (rc = check_minr(r, m)))
                return rc;
        } else if (type == T_CEND) {
            if (raw_len != 0)
                return RERR(r, CRIT_EFORMAT, type, off,
                            "end chunk declares %llu bytes of payload",
                            (unsigned long long)raw_len);
            seen_end = 1;
            end_off = off;
        } else if (r->is_extra && r->is_extra(type)) {
            if (r->n_extra == r->cap_extra) {
                size_t cap = r->cap_extra ? 2 * r->cap_extra : 16;
                crit__snap_chunk *p =
                    crit__realloc_array(r->extra, cap, sizeof *p);
                if (!p)
                    return crit__error_oom();
                r->extra = p;
                r->cap_extra = cap;
            }
            chunk x = {off, NULL, 0, NULL, 0};
            if ((rc = inflate_chunk(r, &x, type, payload, (size_t)stored,
                                    raw_len))) {
                crit__free(x.raw);
                return rc;
            }
            crit__snap_chunk *e = &r->extra[r->n_extra++];
            e->type = type;
            e->offset = off;
            e->raw = x.raw;
            e->raw_len = x.raw_len;
        }
        /* any other type: a chunk of a newer minor version, skipped */
        off += CHUNK_HEADER + (size_t)stored;
    }
    /* the file as a whole: named at its end chunk */
    if (off != r->size)
        return RERR(r, CRIT_EFORMAT, T_CEND, end_off,
                    "%zu bytes follow the end chunk (from offset %zu)",
                    r->size - off, off);
    if (!r->econ.raw)
        return RERR(r, CRIT_EFORMAT, T_CEND, end_off,
                    "the file has no ECON chunk");
    if (r->n_minr != r->n_min)
        return RERR(r, CRIT_EFORMAT, T_CEND, end_off,
                    "the file has %zu MINR chunks, the WRLD chunk declares %lu",
                    r->n_minr, (unsigned long)r->n_min);
    return CRIT_OK;
fail_chunk:
    crit__free(c.raw);
    return rc;
}

/* ---- reading, pass 2: build ------------------------------------------- */

/* Re-record the world API's message for a value, prefixed with where. */
static int value_error(const reader *r, int rc, uint32_t type, size_t offset)
{
    if (rc == CRIT_ENOMEM)
        return rc;
    char msg[512];
    snprintf(msg, sizeof msg, "%s", crit_error_last());
    return RERR(r, rc, type, offset, "%s", msg);
}

/* Copy a length-counted string out of a payload, NUL-terminated. */
static char *dup_n(const char *s, size_t n)
{
    char *p = crit__malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static int build_economies(const reader *r, crit_world *w)
{
    cursor cu = {r, &r->econ, T_ECON, 4};
    for (uint32_t i = 0; i < r->n_eco; i++) {
        const char *code, *name;
        size_t lc, ln;
        /* pass 1 checked the layout; a failure here is still an error,
           never a read of what was not set */
        int rc;
        if ((rc = cur_str(&cu, &code, &lc, "economy code")) ||
            (rc = cur_str(&cu, &name, &ln, "economy name")) ||
            (rc = cur_need(&cu, 1, "member flag")))
            return rc;
        unsigned char member = r->econ.raw[cu.pos++];
        char *c = dup_n(code, lc), *nm = dup_n(name, ln);
        rc = CRIT_ENOMEM;
        if (c && nm) {
            crit_economy_def d;
            crit_economy_def_init(&d);
            d.code = c;
            d.name = nm;
            d.member = member;
            rc = crit_world_add_economy(w, &d);
        } else
            crit__error_oom();
        crit__free(c);
        crit__free(nm);
        if (rc)
            return value_error(r, rc, T_ECON, r->econ.offset);
    }
    return CRIT_OK;
}

static int build_mineral(const reader *r, crit_world *w, const chunk *c)
{
    cursor cu = {r, c, T_MINR, 0};
    const char *code, *name, *basis;
    size_t lc, ln, lb;
    uint32_t n;
    int rc; /* pass 1 checked the layout, as for the economies */
    if ((rc = cur_str(&cu, &code, &lc, "mineral code")) ||
        (rc = cur_str(&cu, &name, &ln, "mineral name")) ||
        (rc = cur_str(&cu, &basis, &lb, "mineral basis")) ||
        (rc = cur_u32(&cu, &n, "economy count")))
        return rc;
    size_t nd = (size_t)minr_doubles(n), off = n * (size_t)(n ? n - 1 : 0);
    const unsigned char *ban = c->raw + c->bans;
    const double *vals = c->vals;
    (void)nd;
#define V(idx) vals[idx]
    char *sc = dup_n(code, lc), *sn = dup_n(name, ln), *sb = dup_n(basis, lb);
    rc = CRIT_ENOMEM;
    if (sc && sn && sb) {
        crit_mineral_def d;
        crit_mineral_def_init(&d);
        d.code = sc;
        d.name = sn;
        d.basis = sb;
        d.base_price_usd_per_t = V(0);
        d.choke_price_usd_per_t = V(1);
        d.holding_cost_usd_per_t_yr = V(2);
        rc = crit_world_add_mineral(w, &d);
    } else
        crit__error_oom();
    crit__free(sc);
    crit__free(sn);
    crit__free(sb);
    if (rc) {
        return value_error(r, rc, T_MINR, c->offset);
    }
    size_t k = w->n_min - 1;
    for (size_t i = 0; i < n && !rc; i++) {
        crit_curve_def d;
        crit_curve_def_init(&d);
        d.base_production_t_per_yr = V(3 + i);
        d.capacity_t_per_yr = V(3 + n + i);
        d.supply_elasticity = V(3 + 2 * n + i);
        d.base_demand_t_per_yr = V(3 + 3 * n + i);
        d.demand_elasticity = V(3 + 4 * n + i);
        rc = crit__world_set_curve_at(w, k, i, &d);
    }
    size_t arcs = 3 + 8 * (size_t)n, a = 0;
    for (size_t i = 0; i < n && !rc; i++)
        for (size_t j = 0; j < n && !rc; a += (i != j), j++) {
            if (i == j)
                continue;
            unsigned b = ban[a];
            if (b & ~(CRIT__BAN_EXPORT | CRIT__BAN_IMPORT)) {
                return RERR(r, CRIT_EFORMAT, T_MINR, c->offset,
                            "arc %s->%s: ban byte 0x%02x is not a "
                            "combination of 1 (export) and 2 (import)",
                            w->eco[i].code, w->eco[j].code, b);
            }
            if ((rc = crit__world_set_transport_at(w, k, i, j, V(arcs + a))) ||
                (rc = crit__world_set_tariff_at(w, k, i, j, V(arcs + off + a),
                                                V(arcs + 2 * off + a))) ||
                (b & CRIT__BAN_EXPORT &&
                 (rc = crit__world_set_ban_at(w, k, i, j, CRIT__BAN_EXPORT,
                                              1))) ||
                (b & CRIT__BAN_IMPORT &&
                 (rc =
                      crit__world_set_ban_at(w, k, i, j, CRIT__BAN_IMPORT, 1))))
                break;
        }
    /* export taxes last: they are checked against every arc's wedge */
    for (size_t i = 0; i < n && !rc; i++) {
        double q = V(3 + 7 * n + i);
        rc = crit__world_set_export_tax_at(w, k, i, V(3 + 5 * n + i),
                                           V(3 + 6 * n + i));
        if (!rc && !(isinf(q) && q > 0)) /* +inf: no quota */
            rc = crit__world_set_export_quota_at(w, k, i, q);
    }
#undef V
    return rc ? value_error(r, rc, T_MINR, c->offset) : CRIT_OK;
}

int crit__snap_load(crit_world **out, const unsigned char *data, size_t size,
                    const crit_io_load_options *options, const char *name,
                    int (*is_extra)(uint32_t type),
                    int (*check)(void *ctx, crit__snap *snap), void *ctx)
{
    if (!out)
        return crit__error(CRIT_EINVAL, "%s: out is NULL", name);
    reader r = {0};
    r.name = name;
    r.data = data;
    r.size = size;
    r.budget = DEFAULT_LIMIT;
    r.is_extra = is_extra;
    if (options) {
        int rc = crit__check_struct_size(options, LOAD_OPTIONS_V1,
                                         sizeof *options, "load options");
        if (rc)
            return rc;
        if (options->max_uncompressed_bytes)
            r.budget = options->max_uncompressed_bytes;
    }
    crit_world *w = NULL;
    int rc = read_chunks(&r);
    if (!rc && check) {
        crit__snap snap = {name, r.n_eco, r.n_min, r.extra, r.n_extra};
        rc = check(ctx, &snap);
        r.extra = snap.extra; /* NULL when check took them */
        r.n_extra = snap.n_extra;
    }
    if (!rc)
        rc = crit_world_new(&w);
    if (!rc)
        rc = crit__world_reserve(w, r.n_eco);
    if (!rc)
        rc = build_economies(&r, w);
    for (size_t k = 0; k < r.n_minr && !rc; k++)
        rc = build_mineral(&r, w, &r.minr[k]);
    reader_release(&r);
    if (rc) {
        crit_world_free(w);
        return rc;
    }
    *out = w;
    return CRIT_OK;
}

static int load(crit_world **out, const unsigned char *data, size_t size,
                const crit_io_load_options *options, const char *name)
{
    return crit__snap_load(out, data, size, options, name, NULL, NULL, NULL);
}

int crit__snap_error(const char *name, int code, uint32_t type, size_t offset,
                     const char *fmt, ...)
{
    char detail[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    reader r = {0};
    r.name = name;
    return rerr(&r, code, type, offset, "%s", detail);
}

int crit__snap_read_file(unsigned char **out_data, size_t *out_size,
                         char **out_name, const char *path)
{
    int rc = crit__read_file(out_data, out_size, path, "snapshot");
    if (rc)
        return rc;
    size_t n = strlen(path) + 16;
    *out_name = crit__malloc(n);
    if (!*out_name) {
        crit__free(*out_data);
        return crit__error_oom();
    }
    snprintf(*out_name, n, "snapshot '%s'", path);
    return CRIT_OK;
}

int crit_io_load_memory(crit_world **out, const void *data, size_t size,
                        const crit_io_load_options *options)
{
    if (!data && size)
        return crit__error(CRIT_EINVAL, "snapshot load: data is NULL");
    static const unsigned char empty[1];
    return load(out, data ? data : empty, size, options, "snapshot (memory)");
}

int crit_io_load(crit_world **out, const char *path,
                 const crit_io_load_options *options)
{
    if (!out || !path)
        return crit__error(CRIT_EINVAL, "snapshot load: NULL argument");
    unsigned char *data;
    size_t size;
    char *name;
    int rc = crit__snap_read_file(&data, &size, &name, path);
    if (rc)
        return rc;
    rc = load(out, data, size, options, name);
    crit__free(name);
    crit__free(data);
    return rc;
}

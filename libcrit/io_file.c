/*
 * The io module's plumbing: byte buffers, zlib wired to the allocator
 * hook, reading whole files, and atomic replacement of a file (temporary
 * file beside the target, fsync, rename, fsync of the directory).
 */
#define _POSIX_C_SOURCE 200809L

#include "io_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- buffers ----------------------------------------------------------- */

int crit__buf_reserve(crit__buf *b, size_t more)
{
    if (more <= b->cap - b->len)
        return CRIT_OK;
    if (more > SIZE_MAX / 2 - b->len)
        return crit__error_oom();
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len < more)
        cap *= 2;
    unsigned char *p = crit__realloc(b->data, cap);
    if (!p)
        return crit__error_oom();
    b->data = p;
    b->cap = cap;
    return CRIT_OK;
}

int crit__buf_put(crit__buf *b, const void *p, size_t n)
{
    int rc = crit__buf_reserve(b, n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    return CRIT_OK;
}

void crit__buf_free(crit__buf *b)
{
    crit__free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* ---- zlib -------------------------------------------------------------- */

void *crit__zalloc(void *opaque, unsigned items, unsigned size)
{
    (void)opaque;
    size_t n = crit__mul_size(items, size);
    return n ? crit__malloc(n) : NULL;
}

void crit__zfree(void *opaque, void *ptr)
{
    (void)opaque;
    crit__free(ptr);
}

uint32_t crit__crc32(uint32_t crc, const unsigned char *p, size_t n)
{
    uLong c = crc;
    while (n > 0) {
        uInt step = n > 0x40000000u ? 0x40000000u : (uInt)n;
        c = crc32(c, p, step);
        p += step;
        n -= step;
    }
    return (uint32_t)c;
}

static int zlib_error(int zrc, const char *what)
{
    if (zrc == Z_MEM_ERROR)
        return crit__error_oom();
    return crit__error(CRIT_EINTERNAL, "%s: zlib error %d", what, zrc);
}

int crit__inflate_all(crit__buf *out, const unsigned char *in, size_t n,
                      size_t limit, const char *what)
{
    z_stream z = {0};
    z.zalloc = crit__zalloc;
    z.zfree = crit__zfree;
    int zrc = inflateInit2(&z, 15 + 32); /* zlib or gzip, by header */
    if (zrc != Z_OK)
        return zlib_error(zrc, what);
    size_t start = out->len;
    int rc = CRIT_OK;
    for (;;) {
        if (out->len - start >= limit) {
            rc = crit__error(CRIT_EFORMAT,
                             "%s: decompresses to more than %zu bytes", what,
                             limit);
            break;
        }
        if ((rc = crit__buf_reserve(out, 65536)))
            break;
        size_t room = out->cap - out->len;
        if (room > limit - (out->len - start))
            room = limit - (out->len - start) + 1; /* one byte to detect */
        uInt in_step = n > 0x40000000u ? 0x40000000u : (uInt)n;
        uInt out_step = room > 0x40000000u ? 0x40000000u : (uInt)room;
        z.next_in = (unsigned char *)in;
        z.avail_in = in_step;
        z.next_out = out->data + out->len;
        z.avail_out = out_step;
        zrc = inflate(&z, Z_NO_FLUSH);
        size_t used = in_step - z.avail_in;
        in += used;
        n -= used;
        out->len += out_step - z.avail_out;
        if (zrc == Z_STREAM_END) {
            /* concatenated gzip members continue; anything else ends it */
            if (n == 0)
                break;
            if ((zrc = inflateReset(&z)) != Z_OK) {
                rc = zlib_error(zrc, what);
                break;
            }
            continue;
        }
        if (zrc == Z_MEM_ERROR) {
            rc = crit__error_oom();
            break;
        }
        if (zrc == Z_NEED_DICT || zrc == Z_DATA_ERROR) {
            rc = crit__error(CRIT_EFORMAT, "%s: corrupt compressed data (%s)",
                             what, z.msg ? z.msg : "zlib data error");
            break;
        }
        if (zrc == Z_BUF_ERROR && n == 0 && z.avail_out != 0) {
            rc = crit__error(CRIT_EFORMAT,
                             "%s: compressed data ends before its end marker",
                             what);
            break;
        }
    }
    if (out->len - start > limit && rc == CRIT_OK)
        rc =
            crit__error(CRIT_EFORMAT, "%s: decompresses to more than %zu bytes",
                        what, limit);
    inflateEnd(&z);
    if (rc)
        out->len = start;
    return rc;
}

int crit__gzip(crit__buf *out, const unsigned char *in, size_t n, int level)
{
    z_stream z = {0};
    z.zalloc = crit__zalloc;
    z.zfree = crit__zfree;
    int zrc =
        deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    if (zrc != Z_OK)
        return zlib_error(zrc, "gzip");
    size_t start = out->len;
    int rc = CRIT_OK;
    for (;;) {
        if ((rc = crit__buf_reserve(out, 65536)))
            break;
        uInt in_step = n > 0x40000000u ? 0x40000000u : (uInt)n;
        size_t room = out->cap - out->len;
        uInt out_step = room > 0x40000000u ? 0x40000000u : (uInt)room;
        z.next_in = (unsigned char *)in;
        z.avail_in = in_step;
        z.next_out = out->data + out->len;
        z.avail_out = out_step;
        zrc = deflate(&z, n == in_step ? Z_FINISH : Z_NO_FLUSH);
        in += in_step - z.avail_in;
        n -= in_step - z.avail_in;
        out->len += out_step - z.avail_out;
        if (zrc == Z_STREAM_END)
            break;
        if (zrc != Z_OK && zrc != Z_BUF_ERROR) {
            rc = zlib_error(zrc, "gzip");
            break;
        }
    }
    deflateEnd(&z);
    if (rc)
        out->len = start;
    return rc;
}

/* ---- reading ----------------------------------------------------------- */

static int sys_error(const char *what, const char *path, int err)
{
    char msg[128];
    if (strerror_r(err, msg, sizeof msg) != 0)
        snprintf(msg, sizeof msg, "error %d", err);
    return crit__error(CRIT_EIO, "%s '%s': %s", what, path, msg);
}

int crit__read_file(unsigned char **out, size_t *out_size, const char *path,
                    const char *what)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return sys_error(what, path, errno);
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int err = errno;
        close(fd);
        return sys_error(what, path, err);
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return crit__error(CRIT_EIO, "%s '%s': not a regular file%s", what,
                           path, S_ISDIR(st.st_mode) ? " (a directory)" : "");
    }
    if ((uint64_t)st.st_size > SIZE_MAX - 1) {
        close(fd);
        return crit__error(CRIT_EIO, "%s '%s': too large to read", what, path);
    }
    size_t size = (size_t)st.st_size, got = 0;
    unsigned char *p = crit__malloc(size ? size : 1);
    if (!p) {
        close(fd);
        return crit__error_oom();
    }
    while (got < size) {
        ssize_t r = read(fd, p + got, size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int err = errno;
            crit__free(p);
            close(fd);
            return sys_error(what, path, err);
        }
        if (r == 0)
            break; /* the file shrank: take what is there */
        got += (size_t)r;
    }
    close(fd);
    *out = p;
    *out_size = got;
    return CRIT_OK;
}

/* ---- atomic replacement ------------------------------------------------ */

/* The directory holding `path`, allocated up front so that nothing can
   fail for want of memory after the rename. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return crit__strdup(".");
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    char *dir = crit__malloc(n + 1);
    if (dir) {
        memcpy(dir, path, n);
        dir[n] = '\0';
    }
    return dir;
}

static atomic_uint tmp_counter;

int crit__atomic_open(crit__atomic_file *f, const char *path)
{
    f->fd = -1;
    f->path = path;
    size_t n = strlen(path) + 64;
    f->tmp = crit__malloc(n);
    f->dir = dir_of(path);
    if (!f->tmp || !f->dir) {
        crit__free(f->tmp);
        crit__free(f->dir);
        return crit__error_oom();
    }
    for (int attempt = 0; attempt < 100; attempt++) {
        snprintf(f->tmp, n, "%s.tmp.%ld.%u", path, (long)getpid(),
                 atomic_fetch_add(&tmp_counter, 1));
        f->fd = open(f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (f->fd >= 0)
            return CRIT_OK;
        if (errno != EEXIST)
            break;
    }
    int rc = sys_error("cannot create a temporary file beside", path, errno);
    crit__free(f->tmp);
    crit__free(f->dir);
    f->tmp = NULL;
    f->dir = NULL;
    return rc;
}

int crit__atomic_write(crit__atomic_file *f, const void *p, size_t n)
{
    const unsigned char *c = p;
    while (n > 0) {
        ssize_t w = write(f->fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return sys_error("cannot write the temporary file of", f->path,
                             errno);
        c += w;
        n -= (size_t)w;
    }
    return CRIT_OK;
}

void crit__atomic_abort(crit__atomic_file *f)
{
    if (f->fd >= 0)
        close(f->fd);
    if (f->tmp)
        unlink(f->tmp);
    crit__free(f->tmp);
    crit__free(f->dir);
    f->fd = -1;
    f->tmp = NULL;
    f->dir = NULL;
}

/* fsync the directory, so that the rename is durable. */
static int sync_dir(const char *dir, const char *path)
{
    int rc = CRIT_OK;
    int fd = open(dir, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return sys_error("cannot open the directory of", path, errno);
    /* some file systems cannot sync a directory: not an error */
    if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
        rc = sys_error("cannot sync the directory of", path, errno);
    close(fd);
    return rc;
}

int crit__atomic_commit(crit__atomic_file *f)
{
    int rc = CRIT_OK;
    if (fsync(f->fd) != 0)
        rc = sys_error("cannot sync the temporary file of", f->path, errno);
    else if (close(f->fd) != 0) {
        f->fd = -1;
        rc = sys_error("cannot close the temporary file of", f->path, errno);
    } else {
        f->fd = -1;
        if (rename(f->tmp, f->path) != 0)
            rc = sys_error("cannot rename the temporary file over", f->path,
                           errno);
    }
    if (rc) {
        crit__atomic_abort(f);
        return rc;
    }
    crit__free(f->tmp);
    f->tmp = NULL;
    /* the new file is in place; a failure here only means it may not
       survive a power cut yet */
    rc = sync_dir(f->dir, f->path);
    crit__free(f->dir);
    f->dir = NULL;
    return rc;
}

int crit__write_file_atomic(const char *path, const unsigned char *p, size_t n)
{
    crit__atomic_file f;
    int rc = crit__atomic_open(&f, path);
    if (rc)
        return rc;
    if ((rc = crit__atomic_write(&f, p, n))) {
        crit__atomic_abort(&f);
        return rc;
    }
    return crit__atomic_commit(&f);
}

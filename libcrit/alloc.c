/*
 * The allocator hook. Every block libcrit allocates goes through
 * crit__malloc/crit__realloc/crit__free, which call the installed
 * allocator and keep a count of live blocks, so that the allocator cannot
 * be swapped under blocks it did not allocate.
 */
#include "crit_internal.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void *default_malloc(size_t size, void *payload)
{
    (void)payload;
    return malloc(size);
}

static void *default_realloc(void *ptr, size_t size, void *payload)
{
    (void)payload;
    return realloc(ptr, size);
}

static void default_free(void *ptr, void *payload)
{
    (void)payload;
    free(ptr);
}

static crit_allocator current = {default_malloc, default_realloc, default_free,
                                 NULL};
static atomic_uint_fast64_t live_blocks;

int crit_allocator_set(const crit_allocator *allocator)
{
    if (allocator && (!allocator->malloc_fn || !allocator->realloc_fn ||
                      !allocator->free_fn))
        return crit__error(CRIT_EINVAL,
                           "allocator: malloc_fn, realloc_fn and free_fn "
                           "must all be given");
    uint64_t live = atomic_load(&live_blocks);
    if (live != 0)
        return crit__error(CRIT_ESTATE,
                           "allocator: %llu block(s) allocated by the current "
                           "allocator are still live; free every libcrit "
                           "object first",
                           (unsigned long long)live);
    if (allocator)
        current = *allocator;
    else
        current = (crit_allocator){default_malloc, default_realloc,
                                   default_free, NULL};
    return CRIT_OK;
}

uint64_t crit_allocator_live_blocks(void)
{
    return atomic_load(&live_blocks);
}

/* Whether count * size does not fit in a size_t. */
static int mul_overflows(size_t count, size_t size)
{
    return size != 0 && count > SIZE_MAX / size;
}

size_t crit__mul_size(size_t count, size_t size)
{
    return mul_overflows(count, size) ? 0 : count * size;
}

void *crit__malloc(size_t size)
{
    if (size == 0)
        size = 1;
    void *p = current.malloc_fn(size, current.payload);
    if (p)
        atomic_fetch_add(&live_blocks, 1);
    return p;
}

void *crit__malloc_array(size_t count, size_t size)
{
    if (mul_overflows(count, size))
        return NULL;
    return crit__malloc(count * size);
}

void *crit__realloc_array(void *ptr, size_t count, size_t size)
{
    if (mul_overflows(count, size))
        return NULL;
    return crit__realloc(ptr, count * size);
}

void *crit__calloc(size_t count, size_t size)
{
    if (mul_overflows(count, size))
        return NULL;
    size_t total = count * size;
    if (current.malloc_fn == default_malloc) {
        /* the C library's own: fresh pages from the system are already
           zero, so a large block is not written twice */
        void *p = calloc(total ? total : 1, 1);
        if (p)
            atomic_fetch_add(&live_blocks, 1);
        return p;
    }
    void *p = crit__malloc(total);
    if (p)
        memset(p, 0, total ? total : 1);
    return p;
}

void *crit__realloc(void *ptr, size_t size)
{
    if (!ptr)
        return crit__malloc(size);
    if (size == 0)
        size = 1;
    return current.realloc_fn(ptr, size, current.payload);
}

void crit__free(void *ptr)
{
    if (!ptr)
        return;
    current.free_fn(ptr, current.payload);
    atomic_fetch_sub(&live_blocks, 1);
}

char *crit__strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = crit__malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

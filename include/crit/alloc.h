/**
 * @file crit/alloc.h
 * @brief The allocator hook through which every libcrit allocation goes.
 *
 * By default libcrit uses the C library's `malloc`, `realloc` and `free`.
 * A host (an embedding application, a test harness that injects failures,
 * a tracking allocator) may install its own functions. All memory that
 * libcrit allocates, including memory allocated on its behalf by zlib, is
 * obtained through the functions installed here.
 */
#ifndef CRIT_ALLOC_H
#define CRIT_ALLOC_H

#include "common.h"

CRIT_BEGIN_DECLS

/** Allocate `size` bytes (`size > 0`); NULL on failure. */
typedef void *(*crit_malloc_cb)(size_t size, void *payload);
/** Resize `ptr` (never NULL) to `size > 0` bytes; NULL on failure, leaving
 *  `ptr` valid. */
typedef void *(*crit_realloc_cb)(void *ptr, size_t size, void *payload);
/** Release `ptr` (never NULL). */
typedef void (*crit_free_cb)(void *ptr, void *payload);

/**
 * A set of allocation functions. All three must be given. `payload` is
 * passed unchanged to each of them.
 */
typedef struct crit_allocator {
    crit_malloc_cb malloc_fn;   /**< allocate */
    crit_realloc_cb realloc_fn; /**< resize */
    crit_free_cb free_fn;       /**< release */
    void *payload;              /**< passed to each function */
} crit_allocator;

/**
 * Install the allocator used for every later allocation.
 *
 * @param allocator the functions to use, copied by libcrit; NULL restores
 *        the C library's allocator.
 * @return `CRIT_OK`; `CRIT_EINVAL` when a function pointer is NULL;
 *         `CRIT_ESTATE` when memory allocated through the current allocator
 *         is still live (every libcrit object must be freed first, so that
 *         no block is released by an allocator that did not allocate it).
 *         On failure the allocator in use does not change.
 *
 * Not thread-safe: call it while no other thread uses libcrit, typically
 * once at start-up or in a test harness.
 */
CRIT_API int crit_allocator_set(const crit_allocator *allocator);

/**
 * Number of blocks currently allocated through libcrit's allocator hook
 * and not yet released.
 *
 * @return the count of live blocks; 0 once every libcrit object is freed.
 *
 * Thread-safe. Useful in leak checks of a host's tests.
 */
CRIT_API uint64_t crit_allocator_live_blocks(void);

CRIT_END_DECLS

#endif /* CRIT_ALLOC_H */

/**
 * @file crit/error.h
 * @brief Status codes and the thread-local description of the last failure.
 *
 * Every fallible libcrit function returns an `int`: `CRIT_OK` (0) on
 * success or one of the negative codes below. The codes are part of the ABI
 * and are never renumbered; new codes are only appended.
 *
 * When a function fails it also records a message for the calling thread,
 * read with crit_error_last(). The message names what was wrong and where,
 * for example `economy 'CHN' mineral 'Ga': capacity 600 is below base
 * production 750`. A successful call does not clear it.
 */
#ifndef CRIT_ERROR_H
#define CRIT_ERROR_H

#include "common.h"

CRIT_BEGIN_DECLS

/**
 * The status code table, as an X-macro: `X(name, value, text)`.
 * It is the single source of the enum below, of crit_strerror() and of the
 * exception classes of the bindings.
 */
#define CRIT_ERROR_TABLE(X)                                                    \
    X(CRIT_OK, 0, "success")                                                   \
    X(CRIT_EINVAL, -1, "invalid argument")                                     \
    X(CRIT_ENOMEM, -2, "out of memory")                                        \
    X(CRIT_ENOTFOUND, -3, "not found")                                         \
    X(CRIT_EEXISTS, -4, "already exists")                                      \
    X(CRIT_ERANGE, -5, "index out of range")                                   \
    X(CRIT_ESTATE, -6, "operation not allowed in the current state")           \
    X(CRIT_EDOMAIN, -7, "result undefined for these inputs")                   \
    X(CRIT_ENOCONV, -8, "solver did not converge")                             \
    X(CRIT_EIO, -9, "input/output error")                                      \
    X(CRIT_EFORMAT, -10, "malformed data")                                     \
    X(CRIT_EVERSION, -11, "unsupported version")                               \
    X(CRIT_EBUFSIZE, -12, "output buffer too small")                           \
    X(CRIT_EUNSUPPORTED, -13, "unsupported option or feature")                 \
    X(CRIT_ECANCELLED, -14, "cancelled by a callback")                         \
    X(CRIT_EINTERNAL, -15, "internal error")

/** Status codes returned by libcrit functions. Values never change. */
typedef enum crit_status {
#define CRIT__ERROR_ENUM(name, value, text) name = value,
    CRIT_ERROR_TABLE(CRIT__ERROR_ENUM)
#undef CRIT__ERROR_ENUM
} crit_status;

/**
 * Static description of a status code.
 *
 * @param code a value returned by a libcrit function.
 * @return a static, lower-case string such as `"out of memory"`; for a
 *         value that is not a libcrit code, `"unknown error"`. Never NULL.
 *
 * Thread-safe.
 */
CRIT_API const char *crit_strerror(int32_t code);

/**
 * Symbolic name of a status code, such as `"CRIT_ENOMEM"`.
 *
 * @param code a value returned by a libcrit function.
 * @return a static string; `"CRIT_UNKNOWN"` for a value that is not a
 *         libcrit code. Never NULL.
 *
 * Thread-safe. The bindings use it to name their exception classes.
 */
CRIT_API const char *crit_error_name(int32_t code);

/**
 * Message describing the last failure on the calling thread.
 *
 * @return a string owned by libcrit, valid until the next libcrit call on
 *         this thread; `""` when nothing has failed on this thread since
 *         the start or the last crit_error_clear(). Never NULL.
 *
 * Thread-safe: each thread has its own last error.
 */
CRIT_API const char *crit_error_last(void);

/**
 * Status code of the last failure on the calling thread.
 *
 * @return the negative code recorded with crit_error_last(), or `CRIT_OK`
 *         when nothing has failed since the last crit_error_clear().
 *
 * Thread-safe.
 */
CRIT_API int32_t crit_error_last_code(void);

/**
 * Forget the last failure of the calling thread.
 *
 * Thread-safe.
 */
CRIT_API void crit_error_clear(void);

CRIT_END_DECLS

#endif /* CRIT_ERROR_H */

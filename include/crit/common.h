/**
 * @file crit/common.h
 * @brief Export macro, C linkage guards and the basic types every libcrit
 *        header shares.
 *
 * This header is C99-clean and compiles on its own. It has no functions.
 */
#ifndef CRIT_COMMON_H
#define CRIT_COMMON_H

#include <stddef.h>
#include <stdint.h>

/**
 * @def CRIT_BEGIN_DECLS
 * Opens a block of declarations with C linkage when compiled as C++;
 * expands to nothing in C. Every public header wraps its declarations in
 * CRIT_BEGIN_DECLS ... CRIT_END_DECLS.
 */
/**
 * @def CRIT_END_DECLS
 * Closes a block opened by CRIT_BEGIN_DECLS.
 */
#ifdef __cplusplus
#define CRIT_BEGIN_DECLS extern "C" {
#define CRIT_END_DECLS }
#else
#define CRIT_BEGIN_DECLS
#define CRIT_END_DECLS
#endif

/**
 * @def CRIT_API
 * Marks a declaration as part of libcrit's public ABI. The library is built
 * with hidden visibility, so only what carries this macro is exported.
 */
#if defined(_WIN32) || defined(__CYGWIN__)
#if defined(CRIT_BUILDING_LIBRARY)
#define CRIT_API __declspec(dllexport)
#elif defined(CRIT_STATIC)
#define CRIT_API
#else
#define CRIT_API __declspec(dllimport)
#endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#define CRIT_API __attribute__((visibility("default")))
#else
#define CRIT_API
#endif

#endif /* CRIT_COMMON_H */

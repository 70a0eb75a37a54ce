/*
 * Declarations shared between libcrit's source files. Not installed.
 * Internal functions are named crit__<name>.
 */
#ifndef CRIT_INTERNAL_H
#define CRIT_INTERNAL_H

#include "crit.h"

#include <stdarg.h>

#if defined(__GNUC__)
#define CRIT__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CRIT__PRINTF(f, a)
#endif

/* ---- allocation (alloc.c): every allocation goes through these ---- */
void *crit__malloc(size_t size);
void *crit__calloc(size_t count, size_t size);
void *crit__realloc(void *ptr, size_t size);
void crit__free(void *ptr);
char *crit__strdup(const char *s);
/* Multiply count by size, 0 on overflow (callers test for it: crit__malloc
   takes 0 for 1 byte). */
size_t crit__mul_size(size_t count, size_t size);
/* An array of count elements of size bytes: NULL when count * size does
   not fit in a size_t, as when the memory is not there. */
void *crit__malloc_array(size_t count, size_t size);
void *crit__realloc_array(void *ptr, size_t count, size_t size);

/* ---- errors (error.c) ---- */
/* Record a failure for this thread and return `code`. */
int crit__error(int code, const char *fmt, ...) CRIT__PRINTF(2, 3);
int crit__error_oom(void);
/* snprintf in the C locale, as crit__error formats: for a part of a
   message formatted apart (its numbers with a '.' whatever the program's
   locale). */
void crit__format(char *buf, size_t n, const char *fmt, ...) CRIT__PRINTF(3, 4);

/*
 * The size of `type` up to the end of its member `field`: a size-first
 * struct's first published size is that of its version 1 up to its last
 * field, so that it stays the same when fields are appended later (as
 * sizeof would not) and a caller built against version 1 keeps working.
 */
#define CRIT__SIZE_TO(type, field)                                             \
    (offsetof(type, field) + sizeof(((type *)0)->field))
/*
 * Check an options or definition struct whose first member is `size_t
 * size`: `min` is the size of its first published version (CRIT__SIZE_TO),
 * `known` the size this library was built with. A larger size is accepted
 * only when the unknown tail is all zero. The library then reads only the
 * fields below the caller's `size` (a field appended later reads as its
 * default for an older caller; crit__take_struct does both).
 */
int crit__check_struct_size(const void *def, size_t min, size_t known,
                            const char *what);
/*
 * crit__check_struct_size, then the caller's first `size` bytes (at most
 * `known`) copied over `local`, a struct of this library's type set to its
 * _init() defaults, whose `size` becomes `known`: read `local` after.
 */
int crit__take_struct(void *local, const void *def, size_t min, size_t known,
                      const char *what);
/*
 * The copy of crit__take_struct alone, for a struct already checked: the
 * caller's first `size` bytes (at most `known`, never the whole struct: a
 * caller's may end at its last field, before the tail padding) over
 * `local`, whose `size` becomes `known`.
 */
void crit__copy_in(void *local, const void *def, size_t known);
/*
 * Check the size of a getter's out-struct: smaller than `min` (its first
 * published version) is an error; larger is a newer caller, whose fields
 * past ours are left alone (and no error is recorded, since the call
 * succeeds).
 */
int crit__check_out_size(size_t size, size_t min, const char *what);
/*
 * Fill a getter's size-first out-struct (its size checked by
 * crit__check_out_size) from this library's value of it, `known` bytes:
 * only the first min(out's size, known) bytes are written, and out's size
 * stays. A caller built against an older, smaller struct gets the fields
 * it knows and nothing past its end; a newer, larger one keeps its own
 * tail (its _init()'s defaults).
 */
void crit__copy_out(void *out, const void *value, size_t known);
/*
 * fn(ctx) with the calling thread in the C locale (a '.' in numbers,
 * whatever the program's locale), the thread's own locale given back
 * after; returns fn's status, or CRIT_ENOMEM without running fn where no
 * C locale object can be had.
 */
int crit__in_c_locale(int (*fn)(void *ctx), void *ctx);
/* The first published size of crit_market_agent_def, which a market reads
   and a stockpile fills */
#define CRIT__AGENT_DEF_V1 CRIT__SIZE_TO(crit_market_agent_def, cash_usd)
/* The first published size of crit_market_options, which a market and a
   scenario read */
#define CRIT__MARKET_OPTIONS_V1 CRIT__SIZE_TO(crit_market_options, warm_start)

/* ---- markets (market.c) ---- */
/* The largest demand level g a market takes (crit_market_set_demand_level);
   a scenario's demand events are held to it when they are added. */
#define CRIT__MAX_DEMAND_LEVEL 1e300
/* Market options as a market and a scenario take them: `opt` (NULL: the
   defaults) read into `out` and checked, messages starting "<who>
   options: ". `out` is left as it was on failure. */
int crit__market_options_read(crit_market_options *out,
                              const crit_market_options *opt, const char *who);

/* The largest choke price a mineral takes (crit_world_add_mineral): the
   solver's arithmetic on prices (a tree's target beyond its bound, a few
   times Pmax) stays far from overflow. */
#define CRIT__MAX_CHOKE_PRICE 1e300

/* ---- loans (loan.c) ---- */
/* Deep copy of a loan, its draws (scheduled and on demand) included. */
int crit__loan_copy(crit_loan **out, const crit_loan *loan);
/* The definition that crit__loan_copy builds a copy from: the loan's own,
 * with every draw made so far (scheduled or on demand) as its scheduled
 * draws. The arrays point into the loan. */
void crit__loan_def(crit_loan_def *out, const crit_loan *loan);

/* ---- validation helpers (world.c) ---- */
int crit__is_finite(double x);

#endif /* CRIT_INTERNAL_H */

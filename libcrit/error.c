/* Status codes, their messages, and the thread-local last error. */
#define _POSIX_C_SOURCE 200809L /* newlocale(), uselocale() */

#include "crit_internal.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#define CRIT__ERROR_MSG_MAX 512

static _Thread_local char last_message[CRIT__ERROR_MSG_MAX];
static _Thread_local int32_t last_code;

const char *crit_strerror(int32_t code)
{
    switch (code) {
#define CRIT__ERROR_CASE(name, value, text)                                    \
    case value:                                                                \
        return text;
        CRIT_ERROR_TABLE(CRIT__ERROR_CASE)
#undef CRIT__ERROR_CASE
    default:
        return "unknown error";
    }
}

const char *crit_error_name(int32_t code)
{
    switch (code) {
#define CRIT__ERROR_NAME(name, value, text)                                    \
    case value:                                                                \
        return #name;
        CRIT_ERROR_TABLE(CRIT__ERROR_NAME)
#undef CRIT__ERROR_NAME
    default:
        return "CRIT_UNKNOWN";
    }
}

const char *crit_error_last(void)
{
    return last_message;
}

int32_t crit_error_last_code(void)
{
    return last_code;
}

void crit_error_clear(void)
{
    last_message[0] = '\0';
    last_code = CRIT_OK;
}

/*
 * Numbers are written and read with a '.' whatever the program's locale:
 * in a program that called setlocale(LC_ALL, "") in a German or French
 * locale (Python's locale.setlocale() and Lua's os.setlocale() call it
 * too), strtod() and printf() use a decimal comma. The CSV functions
 * parse and render, and messages are formatted, with the calling thread
 * in the C locale (uselocale() changes that thread's only), which is
 * given back the locale it had. glibc hands out its static C locale
 * object for this newlocale() call, so it allocates nothing.
 *
 * c_locale_enter returns the C locale object, and in *prev the thread's
 * locale to give back (c_locale_leave); (locale_t)0 where none can be had
 * (no memory), the thread's locale kept.
 */
static locale_t c_locale_enter(locale_t *prev)
{
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    *prev = c != (locale_t)0 ? uselocale(c) : (locale_t)0;
    return c;
}

static void c_locale_leave(locale_t c, locale_t prev)
{
    if (c == (locale_t)0)
        return;
    uselocale(prev);
    freelocale(c);
}

int crit__in_c_locale(int (*fn)(void *ctx), void *ctx)
{
    locale_t prev;
    locale_t c = c_locale_enter(&prev);
    if (c == (locale_t)0)
        return crit__error_oom();
    int rc = fn(ctx);
    c_locale_leave(c, prev);
    return rc;
}

/*
 * vsnprintf in the C locale; where that locale cannot be had, in the
 * thread's own rather than not at all (a message is not lost). The format
 * attribute keeps fmt a checked format for clang's -Wformat-nonliteral
 * (in -Wformat=2).
 */
static void vformat_c(char *buf, size_t n, const char *fmt, va_list ap)
    CRIT__PRINTF(3, 0);
static void vformat_c(char *buf, size_t n, const char *fmt, va_list ap)
{
    locale_t prev;
    locale_t c = c_locale_enter(&prev);
    vsnprintf(buf, n, fmt, ap);
    c_locale_leave(c, prev);
}

int crit__error(int code, const char *fmt, ...)
{
    /* Format into a local buffer: an argument may point into
     * last_message (a caller passing crit_error_last() back in). A
     * message reads the same in every locale (the C locale's '.', as in
     * the CSV files and the docs). */
    char buf[CRIT__ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vformat_c(buf, sizeof buf, fmt, ap);
    va_end(ap);
    memcpy(last_message, buf, strlen(buf) + 1);
    last_code = code;
    return code;
}

void crit__format(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vformat_c(buf, n, fmt, ap);
    va_end(ap);
}

int crit__error_oom(void)
{
    /* No formatting: keep the out-of-memory path allocation-free. */
    strcpy(last_message, "out of memory");
    last_code = CRIT_ENOMEM;
    return CRIT_ENOMEM;
}

int crit__check_out_size(size_t size, size_t min, const char *what)
{
    if (size < min)
        return crit__error(CRIT_EINVAL,
                           "%s: size %zu is smaller than %zu (call the "
                           "_init() function first)",
                           what, size, min);
    return CRIT_OK;
}

int crit__take_struct(void *local, const void *def, size_t min, size_t known,
                      const char *what)
{
    int rc = crit__check_struct_size(def, min, known, what);
    if (rc)
        return rc;
    crit__copy_in(local, def, known);
    return CRIT_OK;
}

void crit__copy_in(void *local, const void *def, size_t known)
{
    size_t size = *(const size_t *)def;
    memcpy(local, def, size < known ? size : known);
    memcpy(local, &known, sizeof known);
}

void crit__copy_out(void *out, const void *value, size_t known)
{
    size_t size;
    memcpy(&size, out, sizeof size);
    memcpy(out, value, size < known ? size : known);
    memcpy(out, &size, sizeof size);
}

int crit__check_struct_size(const void *def, size_t min, size_t known,
                            const char *what)
{
    size_t size = *(const size_t *)def;
    if (size < min)
        return crit__error(CRIT_EINVAL,
                           "%s: size %zu is smaller than %zu (call the "
                           "_init() function first)",
                           what, size, min);
    if (size > known) {
        const unsigned char *tail = (const unsigned char *)def + known;
        for (size_t i = 0; i < size - known; i++)
            if (tail[i] != 0)
                return crit__error(CRIT_EUNSUPPORTED,
                                   "%s: field at byte %zu is not known to "
                                   "libcrit %s",
                                   what, known + i, CRIT_VERSION_STRING);
    }
    return CRIT_OK;
}

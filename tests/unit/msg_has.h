/*
 * msg_has: assert that libcrit's last error message contains every string
 * of a NULL-ended list (the unit tests' REFUSED macros use it to check that
 * a refusal names what was wrong). Include after <cmocka.h>.
 */
#ifndef CRIT_TEST_MSG_HAS_H
#define CRIT_TEST_MSG_HAS_H

#include <stdarg.h>
#include <string.h>

#include "crit.h"

static inline void msg_has(const char *first, ...)
{
    va_list ap;
    va_start(ap, first);
    for (const char *s = first; s; s = va_arg(ap, const char *))
        if (!strstr(crit_error_last(), s))
            fail_msg("message \"%s\" lacks \"%s\"", crit_error_last(), s);
    va_end(ap);
}

#endif

/* Run-time version of the library. */
#include "crit_internal.h"

const char *crit_version_string(void)
{
    return CRIT_VERSION_STRING;
}

int32_t crit_version_number(void)
{
    return CRIT_VERSION_NUMBER;
}

void crit_version(int32_t *major, int32_t *minor, int32_t *patch)
{
    if (major)
        *major = CRIT_VERSION_MAJOR;
    if (minor)
        *minor = CRIT_VERSION_MINOR;
    if (patch)
        *patch = CRIT_VERSION_PATCH;
}

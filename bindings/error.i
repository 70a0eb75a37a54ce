/* error.i: status codes, messages and versions (crit/error.h,
 * crit/version.h). The exception classes of each language are built at
 * import from error_name() and strerror(), so the C table stays their
 * single source. */

%ignore crit_version; /* three int32_t pointers: use the two below */

/* Version of the headers this extension was compiled against, compared at
 * import with version_number() of the loaded libcrit. */
%constant int32_t COMPILED_VERSION_NUMBER = CRIT_VERSION_NUMBER;
%constant const char *COMPILED_VERSION_STRING = CRIT_VERSION_STRING;

/* crit/error.h builds its enum from an X-macro table that SWIG cannot
 * parse, so its functions are declared here; the codes are reached by
 * walking error_name() from -1 down to the first "CRIT_UNKNOWN". */
const char *crit_strerror(int32_t code);
const char *crit_error_name(int32_t code);
const char *crit_error_last(void);
int32_t crit_error_last_code(void);
void crit_error_clear(void);

const char *crit_version_string(void);
int32_t crit_version_number(void);

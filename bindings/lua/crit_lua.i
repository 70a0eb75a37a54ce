/*
 * crit_lua.i: Lua 5.4 entry file of the libcrit bindings. It builds the
 * raw module `crit_core` (luaopen_crit_core); crit_lua_open.c wraps it
 * with the hand-written layer crit.lua into the module `crit`.
 * See ../crit.i for the structure and how to add a module.
 */
%module crit_core

%{
#include <crit.h>
#include "crit_lua.h"

#define CRIT_RAISE(code, message)                                              \
    do {                                                                       \
        crit_lua_push_error(L, (code), (message));                             \
        SWIG_fail;                                                             \
    } while (0)
%}

/* ---- generic typemaps (see ../crit.i) --------------------------------- */

%typemap(out) int {
    if ($1 < 0)
        CRIT_RAISE($1, crit_error_last());
}
/* int32_t is a value (a count, a flag, a version), not a status. */
%typemap(out) int32_t "lua_pushinteger(L, (lua_Integer)$1); SWIG_arg++;"
/* Counts and indices are Lua integers (SWIG's default pushes a float). */
%typemap(out) size_t "lua_pushinteger(L, (lua_Integer)$1); SWIG_arg++;"

%typemap(in, numinputs=0) double *CRIT_OUT (double tmp = 0), size_t *CRIT_OUT (size_t tmp = 0),
    int32_t *CRIT_OUT (int32_t tmp = 0), const char **CRIT_OUT (const char *tmp = NULL)
    "$1 = ($1_ltype)&tmp;"
%typemap(argout) double *CRIT_OUT
    "lua_pushnumber(L, (lua_Number)*$1); SWIG_arg++;"
%typemap(argout) size_t *CRIT_OUT
    "lua_pushinteger(L, (lua_Integer)*$1); SWIG_arg++;"
%typemap(argout) int32_t *CRIT_OUT
    "lua_pushinteger(L, (lua_Integer)*$1); SWIG_arg++;"
%typemap(argout) const char **CRIT_OUT
    "if (*$1) lua_pushstring(L, *$1); else lua_pushnil(L); SWIG_arg++;"

%typemap(in, numinputs=0) SWIGTYPE **CRIT_OWNED_OUT ($*1_ltype tmp = NULL)
    "$1 = &tmp;"
%typemap(argout) SWIGTYPE **CRIT_OWNED_OUT
    "SWIG_NewPointerObj(L, *$1, $*1_descriptor, 1); SWIG_arg++;"

/* Strings: a string (or a number, which Lua converts) or nil (NULL,
 * which the library refuses where it needs a string). A NUL byte inside
 * would end the string early in C, so that "US\0A" named "US": it raises
 * instead (SWIG's default cut it silently). */
%typemap(in, checkfn="SWIG_lua_isnilstring", fragment="SWIG_lua_isnilstring") const char * {
    size_t len = 0;
    $1 = ($1_ltype)lua_tolstring(L, $input, &len);
    if ($1 && strlen($1) != len)
        CRIT_RAISE(CRIT_EINVAL,
                   "$symname: argument '$1_name' contains a NUL byte");
}

/* A size_t index from Lua: an integer >= 0 (SWIG's default accepts any
 * number and casts). */
%typemap(in, checkfn="lua_isinteger") size_t {
    lua_Integer v = lua_tointeger(L, $input);
    if (v < 0)
        CRIT_RAISE(CRIT_ERANGE, "$symname: argument '$1_name' is negative");
    $1 = (size_t)v;
}

/* An int32_t (a count, a period, a day number, an enum value) from Lua: a
 * whole number in int32_t's range (SWIG's default casts any number: 12.9
 * periods became 12, and 2^40 is undefined behaviour). */
%typemap(in, checkfn="lua_isnumber") int32_t {
    int exact = 0;
    lua_Integer v = lua_tointegerx(L, $input, &exact);
    if (!exact || v < INT32_MIN || v > INT32_MAX)
        CRIT_RAISE(CRIT_EINVAL,
                   lua_pushfstring(L, "$symname: argument %d must be a whole "
                                      "number from -2147483648 to 2147483647",
                                   (int)($input)));
    $1 = ($1_ltype)v;
}

/* Bulk arrays: Lua passes the length n and gets a table of n values. */
%define CRIT_LUA_ARRAY(CTYPE, PUSH)
%typemap(in, checkfn="lua_isnumber") (CTYPE *CRIT_ARRAY_OUT, size_t CRIT_ARRAY_N) {
    int exact = 0;
    lua_Integer n = lua_tointegerx(L, $input, &exact);
    if (!exact || n < 0 || (lua_Unsigned)n > (lua_Unsigned)(SIZE_MAX / sizeof(CTYPE)))
        CRIT_RAISE(CRIT_EINVAL, "array length must be a whole number >= 0");
    $2 = (size_t)n;
    $1 = (CTYPE *)calloc($2 ? $2 : 1, sizeof(CTYPE));
    if (!$1)
        CRIT_RAISE(CRIT_ENOMEM, "out of memory");
}
%typemap(argout) (CTYPE *CRIT_ARRAY_OUT, size_t CRIT_ARRAY_N) {
    size_t i;
    lua_createtable(L, (int)$2, 0);
    for (i = 0; i < $2; i++) {
        PUSH(L, $1[i]);
        lua_rawseti(L, -2, (lua_Integer)(i + 1));
    }
    SWIG_arg++;
}
%typemap(freearg) (CTYPE *CRIT_ARRAY_OUT, size_t CRIT_ARRAY_N) "free($1);"
%enddef
CRIT_LUA_ARRAY(double, lua_pushnumber)
CRIT_LUA_ARRAY(int32_t, lua_pushinteger)

/* Read-only input arrays: a table of numbers (its sequence part). */
%typemap(in, checkfn="lua_istable") (const double *CRIT_ARRAY_IN, size_t CRIT_ARRAY_N) (double *buf = NULL) {
    size_t i, n = (size_t)lua_rawlen(L, $input);
    buf = (double *)calloc(n ? n : 1, sizeof(double));
    if (!buf)
        CRIT_RAISE(CRIT_ENOMEM, "out of memory");
    for (i = 0; i < n; i++) {
        int ok = 0;
        lua_rawgeti(L, $input, (lua_Integer)(i + 1));
        buf[i] = lua_tonumberx(L, -1, &ok);
        lua_pop(L, 1);
        if (!ok)
            CRIT_RAISE(CRIT_EINVAL, "array: every element must be a number");
    }
    $1 = ($1_ltype)buf;
    $2 = n;
}
%typemap(freearg) (const double *CRIT_ARRAY_IN, size_t CRIT_ARRAY_N) "free(buf$argnum);"

/* Progress callbacks: a function f(done, total) or nil, called in a
 * protected call; returning false cancels the run, and an error raised in
 * it cancels the run and is re-raised (the same value) once the run has
 * returned CRIT_ECANCELLED. */
%{
typedef struct crit_lua_progress {
    lua_State *L;
    int fn;      /* stack index of the function; 0 for none */
    int err_ref; /* registry reference of the error it raised */
} crit_lua_progress;

static int crit_lua_progress_cb(int32_t done, int32_t total, void *payload)
{
    crit_lua_progress *p = (crit_lua_progress *)payload;
    lua_State *L = p->L;
    int stop;
    if (!p->fn)
        return 0;
    lua_pushvalue(L, p->fn);
    lua_pushinteger(L, (lua_Integer)done);
    lua_pushinteger(L, (lua_Integer)total);
    if (lua_pcall(L, 2, 1, 0) != LUA_OK) {
        p->err_ref = luaL_ref(L, LUA_REGISTRYINDEX);
        return 1;
    }
    stop = lua_isboolean(L, -1) && !lua_toboolean(L, -1);
    lua_pop(L, 1);
    return stop;
}
%}
%typemap(in) (crit_scenario_progress_cb CRIT_PROGRESS, void *CRIT_PROGRESS_PAYLOAD) (crit_lua_progress prog = {NULL, 0, LUA_NOREF}) {
    prog.L = L;
    prog.fn = 0;
    prog.err_ref = LUA_NOREF;
    if (!lua_isnoneornil(L, $input)) {
        if (!lua_isfunction(L, $input))
            CRIT_RAISE(CRIT_EINVAL, "progress must be a function or nil");
        prog.fn = lua_absindex(L, $input);
    }
    $1 = crit_lua_progress_cb;
    $2 = &prog;
}
/* On failure the wrapper raises the value on top of the stack: put the
 * callback's own error there. */
%typemap(freearg) (crit_scenario_progress_cb CRIT_PROGRESS, void *CRIT_PROGRESS_PAYLOAD) {
    if (prog$argnum.err_ref != LUA_NOREF) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, prog$argnum.err_ref);
        luaL_unref(L, LUA_REGISTRYINDEX, prog$argnum.err_ref);
    }
}

/* Lua has no lock to release. */
%define CRIT_LONG_CALL(NAME)
%enddef

/* TYPE_close(handle): free now, leave a NULL pointer that the check
 * typemap of CRIT_HANDLE refuses. Closing twice is a no-op. */
%define CRIT_HANDLE_CLOSE(TYPE, FREE)
%native(TYPE##_close) int crit_lua_close_##TYPE(lua_State *L);
%{
static int crit_lua_close_##TYPE(lua_State *L)
{
    void *ptr = NULL;
    swig_lua_userdata *usr;
    if (lua_isnil(L, 1) ||
        !SWIG_IsOK(SWIG_ConvertPtr(L, 1, &ptr, SWIGTYPE_p_##TYPE, 0)))
        return luaL_argerror(L, 1, "expected a " #TYPE);
    usr = (swig_lua_userdata *)lua_touserdata(L, 1);
    if (usr && usr->ptr) {
        if (usr->own)
            FREE((TYPE *)usr->ptr);
        usr->own = 0;
        usr->ptr = NULL;
    }
    return 0;
}
%}
%enddef

%include "../crit.i"

/* raise(code, message): raise a libcrit error from Lua, the same value the
 * wrappers raise (used by crit.lua). error_metatable(): its metatable. */
%native(raise) int crit_lua_raise(lua_State *L);
%native(error_metatable) int crit_lua_error_metatable(lua_State *L);

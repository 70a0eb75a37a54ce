/* Shared by the SWIG-generated Lua module, its opener and critlua. */
#ifndef CRIT_LUA_H
#define CRIT_LUA_H

#include <lua.h>

/* Push a libcrit error value: a table {code = int, name = "CRIT_E...",
 * message = str} whose metatable ("crit.Error") prints it as
 * "CRIT_EINVAL: message". */
void crit_lua_push_error(lua_State *L, int code, const char *message);

/* crit_core.raise(code, message): push an error value and raise it. */
int crit_lua_raise(lua_State *L);

/* crit_core.error_metatable(): the metatable of every error value. */
int crit_lua_error_metatable(lua_State *L);

/* luaopen_crit_core: the SWIG module; luaopen_crit: it plus crit.lua. */
int luaopen_crit_core(lua_State *L);
int luaopen_crit(lua_State *L);

/* luaopen_crit without file access, for critlua: every function of
 * crit_core named io_* (snapshots and CSV, read or write) is replaced by
 * one that raises CRIT_EUNSUPPORTED, before crit.lua sees the table. A
 * binding that touches files must therefore be named io_* in crit_core
 * (crit_swig_io_* in bindings/io.i). */
int luaopen_crit_sandboxed(lua_State *L);

#endif

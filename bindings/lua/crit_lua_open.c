/* The Lua module `crit`: SWIG's raw module crit_core, wrapped by the
 * hand-written layer crit.lua (compiled in, so that critlua needs no file
 * on disk), and the error values both raise. */
#include "crit_lua.h"

#include <crit.h>
#include <lauxlib.h>
#include <string.h>

#include "crit_lua_layer.h" /* crit_lua_layer[], generated from crit.lua */

#define CRIT_LUA_ERROR_MT "crit.Error"

static int error_tostring(lua_State *L)
{
    lua_getfield(L, 1, "name");
    lua_getfield(L, 1, "message");
    lua_pushfstring(L, "%s: %s", luaL_optstring(L, -2, "CRIT_UNKNOWN"),
                    luaL_optstring(L, -1, ""));
    return 1;
}

static void push_error_metatable(lua_State *L)
{
    if (luaL_newmetatable(L, CRIT_LUA_ERROR_MT)) {
        lua_pushcfunction(L, error_tostring);
        lua_setfield(L, -2, "__tostring");
    }
}

void crit_lua_push_error(lua_State *L, int code, const char *message)
{
    lua_createtable(L, 0, 3);
    lua_pushinteger(L, code);
    lua_setfield(L, -2, "code");
    lua_pushstring(L, crit_error_name(code));
    lua_setfield(L, -2, "name");
    lua_pushstring(L, message && *message ? message : crit_strerror(code));
    lua_setfield(L, -2, "message");
    push_error_metatable(L);
    lua_setmetatable(L, -2);
}

int crit_lua_raise(lua_State *L)
{
    lua_Integer code = luaL_checkinteger(L, 1);
    const char *message = luaL_optstring(L, 2, "");
    crit_lua_push_error(L, (int)code, message);
    return lua_error(L);
}

int crit_lua_error_metatable(lua_State *L)
{
    push_error_metatable(L);
    return 1;
}

/* The replacement of a file-accessing function in the sandbox: raises
 * CRIT_EUNSUPPORTED naming the function (upvalue 1). */
static int refuse_files(lua_State *L)
{
    const char *name = lua_tostring(L, lua_upvalueindex(1));
    crit_lua_push_error(
        L, CRIT_EUNSUPPORTED,
        lua_pushfstring(L,
                        "crit: %s: files cannot be read or written from "
                        "critlua's sandbox",
                        name ? name : "?"));
    return lua_error(L);
}

/* Replace every function of the core table at `core` whose name starts
 * with "io_" (all of libcrit's file access: snapshots and CSV) by
 * refuse_files. The table is changed in place, so the layer, the core
 * table and anything else that reaches it see only the refusals. */
static void remove_file_access(lua_State *L, int core)
{
    int names, i, n = 0;
    lua_newtable(L); /* the names, collected first: no change mid-traversal */
    names = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, core) != 0) {
        lua_pop(L, 1); /* value */
        if (lua_type(L, -1) == LUA_TSTRING &&
            strncmp(lua_tostring(L, -1), "io_", 3) == 0) {
            lua_pushvalue(L, -1);
            lua_rawseti(L, names, ++n);
        }
    }
    for (i = 1; i <= n; i++) {
        lua_rawgeti(L, names, i);
        lua_pushvalue(L, -1); /* the name, for the upvalue */
        lua_pushcclosure(L, refuse_files, 1);
        lua_rawset(L, core);
    }
    lua_pop(L, 1); /* names */
}

static int open_crit(lua_State *L, int sandboxed)
{
    int core;
    lua_pushcfunction(L, luaopen_crit_core);
    lua_call(L, 0, 1);
    core = lua_gettop(L);
    if (sandboxed)
        remove_file_access(L, core);
    if (luaL_loadbufferx(L, crit_lua_layer, sizeof crit_lua_layer - 1,
                         "=crit.lua", "t") != LUA_OK)
        return lua_error(L);
    lua_pushvalue(L, core);
    lua_call(L, 1, 1);
    return 1;
}

int luaopen_crit(lua_State *L)
{
    return open_crit(L, 0);
}

int luaopen_crit_sandboxed(lua_State *L)
{
    return open_crit(L, 1);
}

/* The Lua module `crit`: SWIG's raw module crit_core, wrapped by the
 * hand-written layer crit.lua (compiled in, so that critlua needs no file
 * on disk), and the error values both raise. */
#include "crit_lua.h"

#include <crit.h>
#include <lauxlib.h>

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

int luaopen_crit(lua_State *L)
{
    int core;
    lua_pushcfunction(L, luaopen_crit_core);
    lua_call(L, 0, 1);
    core = lua_gettop(L);
    if (luaL_loadbufferx(L, crit_lua_layer, sizeof crit_lua_layer - 1,
                         "=crit.lua", "t") != LUA_OK)
        return lua_error(L);
    lua_pushvalue(L, core);
    lua_call(L, 1, 1);
    return 1;
}

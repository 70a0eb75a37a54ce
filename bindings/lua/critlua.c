/*
 * critlua: run a libcrit scenario script in a sandboxed Lua 5.4.
 *
 *   critlua SCRIPT [ARG...]
 *
 * The script sees the base library without its file and code loaders
 * (dofile, loadfile, and load of binary chunks), string, table, math and
 * utf8, and `require "crit"`, preloaded; nothing else can be required.
 * There is no io, os, debug or package.loadlib, and crit cannot touch
 * files: its snapshot and CSV functions (crit.load, w:save, crit.read_csv,
 * w:to_csv, ...) raise CRIT_EUNSUPPORTED. The script's arguments
 * are in the global table `arg` (arg[0] is the script), as with lua.
 *
 * Exit status: 0 on success, 1 when the script fails (its error and a
 * traceback go to stderr), 2 on a usage error or an unreadable script.
 */
#include "crit_lua.h"

#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <string.h>

#define CRITLUA_EXIT_SCRIPT 1
#define CRITLUA_EXIT_USAGE 2

/* load(chunk [, name [, mode [, env]]]) for text chunks only: precompiled
 * chunks can break the interpreter's memory safety. */
static int sandbox_load(lua_State *L)
{
    int nargs = lua_gettop(L) >= 4 ? 4 : 3; /* an absent env is not nil */
    lua_settop(L, nargs);
    lua_pushliteral(L, "t");
    lua_replace(L, 3);
    lua_getfield(L, LUA_REGISTRYINDEX, "critlua.load");
    lua_insert(L, 1);
    lua_call(L, nargs, LUA_MULTRET);
    return lua_gettop(L);
}

static void open_sandbox(lua_State *L)
{
    static const luaL_Reg libs[] = {{LUA_GNAME, luaopen_base},
                                    {LUA_LOADLIBNAME, luaopen_package},
                                    {LUA_STRLIBNAME, luaopen_string},
                                    {LUA_TABLIBNAME, luaopen_table},
                                    {LUA_MATHLIBNAME, luaopen_math},
                                    {LUA_UTF8LIBNAME, luaopen_utf8},
                                    {NULL, NULL}};
    static const char *const removed[] = {"dofile", "loadfile", NULL};
    const luaL_Reg *lib;
    const char *const *name;

    for (lib = libs; lib->func; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1);
        lua_pop(L, 1);
    }
    for (name = removed; *name; name++) {
        lua_pushnil(L);
        lua_setglobal(L, *name);
    }

    /* load: text only. The original is kept in the registry. */
    lua_getglobal(L, "load");
    lua_setfield(L, LUA_REGISTRYINDEX, "critlua.load");
    lua_pushcfunction(L, sandbox_load);
    lua_setglobal(L, "load");

    /* package: only the preload searcher, no paths, no loadlib. */
    lua_getglobal(L, LUA_LOADLIBNAME);
    lua_getfield(L, -1, "searchers");
    lua_rawgeti(L, -1, 1); /* the preload searcher */
    lua_newtable(L);
    lua_insert(L, -2);
    lua_rawseti(L, -2, 1);
    lua_setfield(L, -3, "searchers");
    lua_pop(L, 1); /* old searchers */
    lua_pushliteral(L, "");
    lua_setfield(L, -2, "path");
    lua_pushliteral(L, "");
    lua_setfield(L, -2, "cpath");
    lua_pushnil(L);
    lua_setfield(L, -2, "loadlib");
    lua_pushnil(L);
    lua_setfield(L, -2, "searchpath"); /* it opens files */
    lua_getfield(L, -1, "preload");
    lua_pushcfunction(L, luaopen_crit_sandboxed);
    lua_setfield(L, -2, "crit");
    lua_pop(L, 2); /* preload, package */
}

/* Message handler: the error as text (a libcrit error value through its
 * __tostring) followed by a traceback. */
static int message_handler(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
            msg = lua_tostring(L, -1);
        else
            msg = lua_pushfstring(L, "(error object is a %s value)",
                                  luaL_typename(L, 1));
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

static int run(lua_State *L, int argc, char **argv)
{
    int i;
    lua_createtable(L, argc - 2, 1);
    for (i = 1; i < argc; i++) {
        lua_pushstring(L, argv[i]);
        lua_rawseti(L, -2, i - 1);
    }
    lua_setglobal(L, "arg");

    if (luaL_loadfilex(L, argv[1], "t") != LUA_OK) {
        fprintf(stderr, "critlua: %s\n", lua_tostring(L, -1));
        return CRITLUA_EXIT_USAGE;
    }
    lua_pushcfunction(L, message_handler);
    lua_insert(L, 1);
    for (i = 2; i < argc; i++)
        lua_pushstring(L, argv[i]);
    if (lua_pcall(L, argc - 2, 0, 1) != LUA_OK) {
        fprintf(stderr, "critlua: %s\n", lua_tostring(L, -1));
        return CRITLUA_EXIT_SCRIPT;
    }
    return 0;
}

int main(int argc, char **argv)
{
    lua_State *L;
    int status;

    if (argc < 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: critlua SCRIPT [ARG...]\n"
                        "Runs a libcrit scenario script in a sandboxed "
                        "Lua 5.4 with `require \"crit\"`.\n");
        return CRITLUA_EXIT_USAGE;
    }
    L = luaL_newstate();
    if (L == NULL) {
        fprintf(stderr, "critlua: cannot create a Lua state\n");
        return CRITLUA_EXIT_SCRIPT;
    }
    open_sandbox(L);
    status = run(L, argc, argv);
    lua_close(L);
    return status;
}

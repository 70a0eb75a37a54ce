-- critlua's sandbox: only safe libraries, no files, no processes.
assert(io == nil and os == nil and debug == nil)
assert(dofile == nil and loadfile == nil)
assert(package.loadlib == nil and package.searchpath == nil)
assert(package.path == "" and package.cpath == "")
assert(#package.searchers == 1)
assert(type(string.format) == "function" and type(table.concat) == "function"
       and type(math.sqrt) == "function" and type(utf8.char) == "function")
-- Only preloaded modules can be required.
assert(not pcall(require, "io"))
assert(not pcall(require, "os"))
-- load() takes text only.
assert(load("return 1 + 1")() == 2)
local f, err = load(string.dump(function() return 1 end))
assert(f == nil and err:find("binary chunk"))
local g = load("return x", "chunk", "b", {x = 3})
assert(g() == 3) -- mode is forced to text; env is kept
-- The script's arguments.
assert(arg[0]:find("sandbox%.lua$") and arg[1] == "first" and arg[2] == "2")
assert(select("#", ...) == 2 and select(1, ...) == "first")
-- crit is preloaded.
local crit = require "crit"
local w <close> = crit.World()
w:add_economy("USA", {member = true})
assert(#w:members() == 1)
print("sandbox.lua: ok")

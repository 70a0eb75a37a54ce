-- critlua's sandbox: crit cannot read or write files. arg[1] is a path
-- that must stay absent (the test checks it afterwards), arg[2] an
-- existing readable file. Every file function of crit raises
-- CRIT_EUNSUPPORTED before touching the file system: opening arg[2]
-- would give EFORMAT or ENOTFOUND instead.
local crit = require "crit"
local out, existing = arg[1], arg[2]
assert(out and existing, "usage: critlua sandbox_files.lua OUT EXISTING")

local w <close> = crit.World()
w:add_economy("CHN")
w:add_economy("USA", {member = true})
w:add_mineral("Ga", 600000)
w:set_curve("CHN", "Ga", {base_production = 750, capacity = 900,
                          base_demand = 300})
w:set_curve("USA", "Ga", {base_demand = 200})
local m <close> = crit.Market(w, "Ga")
m:solve()

local function refused(what, f, ...)
  local ok, e = pcall(f, ...)
  assert(not ok, what .. " was allowed")
  assert(crit.is_error(e) and e.code == crit.codes.EUNSUPPORTED,
         what .. ": " .. tostring(e))
  assert(e.message:find("critlua's sandbox", 1, true), e.message)
end

refused("save", w.save, w, out)
refused("save level 9", w.save, w, out, {level = 9})
refused("to_csv", w.to_csv, w, out, "economies")
refused("to_csv series", w.to_csv, w, out .. ".gz")
refused("market to_csv", m.to_csv, m, out)
refused("load", crit.load, existing)
refused("read_csv", crit.read_csv, existing, "economies")
refused("read_csv base", w.read_csv, w, existing, "curves")
local sc <close> = crit.Scenario(w, {start = "2026-01-01", periods = 2})
local r <close> = sc:run()
refused("scenario save", sc.save, sc, out)
refused("scenario save with result", sc.save, sc, out, {result = r})
refused("load_scenario", crit.load_scenario, existing)
refused("result to_csv", r.to_csv, r, out .. ".gz")
-- the layer's tables hold no other way to the raw functions
for k, v in pairs(crit) do
  assert(type(k) ~= "string" or not k:find("^io_"), "crit." .. k)
end
-- nor does require
assert(not pcall(require, "crit_core"))
print("sandbox_files.lua: ok")

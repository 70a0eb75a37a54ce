-- The Lua binding: build a world, read it back, indicators computed here,
-- errors as pcall-able values, use after close, <close>, versions.
-- Runs under lua5.4 (require "crit" from LUA_CPATH) and under critlua.
local crit = require "crit"

local function close_to(a, b, rel)
  return math.abs(a - b) <= (rel or 1e-12) * math.max(1, math.abs(b))
end

local function check_error(code_name, pattern, fn, ...)
  local ok, e = pcall(fn, ...)
  assert(not ok, "expected an error")
  assert(crit.is_error(e), "not a crit error: " .. tostring(e))
  assert(e.code == crit.codes[code_name],
         "expected " .. code_name .. ", got " .. tostring(e))
  assert(e.name == "CRIT_" .. code_name, e.name)
  assert(e.message:find(pattern), "message '" .. e.message
         .. "' lacks '" .. pattern .. "'")
  assert(tostring(e) == e.name .. ": " .. e.message)
  return e
end

-- versions and codes --------------------------------------------------------
assert(crit.VERSION == crit.version())
local major, minor, patch = crit.VERSION:match("^(%d+)%.(%d+)%.(%d+)$")
assert(crit.version_number() == major * 10000 + minor * 100 + patch)
assert(crit.codes.EINVAL == -1 and crit.codes.ENOTFOUND == -3
       and crit.codes.ESTATE == -6 and crit.codes.EDOMAIN == -7)
local n = 0
for name, code in pairs(crit.codes) do
  assert(crit.error_name(code) == "CRIT_" .. name)
  n = n + 1
end
assert(n >= 15)
assert(crit.strerror(crit.codes.ENOTFOUND) == "not found")

-- a world -------------------------------------------------------------------
local GA = { -- s0, K, eta, d0, eps
  CHN = {750, 900, 0.5, 300, 0.3},
  USA = {10, 20, 0.8, 120, 0.4},
  JPN = {40, 40, 0, 80, 0.2},
  ROW = {0, 0, 0, 300, 0.25},
}
local ORDER = {"CHN", "USA", "JPN", "ROW"}
local P0 = 600000

local w <close> = crit.World()
w:add_mineral("Ga", P0, {name = "Gallium", basis = "contained Ga",
                         holding_cost = 1200})
w:add_mineral("Ge", 1400000, {choke_price = 5000000})
w:add_economy("CHN", {name = "China"})
w:add_economy("USA", {name = "United States", member = true})
w:add_economy("JPN", {member = true})
w:add_economy("ROW")
for _, e in ipairs(ORDER) do
  local c = GA[e]
  w:set_curve(e, "Ga", {base_production = c[1], capacity = c[2],
                        supply_elasticity = c[3], base_demand = c[4],
                        demand_elasticity = c[5]})
end
assert(tostring(w) == "crit.World: 2 minerals, 4 economies (2 members)")

local ga = w:mineral("Ga")
assert(ga.code == "Ga" and ga.name == "Gallium" and ga.basis == "contained Ga")
assert(ga.base_price == P0 and ga.choke_price == 10 * P0
       and ga.holding_cost == 1200)
local ms = w:minerals()
assert(#ms == 2 and ms[2].code == "Ge" and ms[2].name == "Ge"
       and ms[2].basis == "" and ms[2].choke_price == 5000000)
assert(table.concat(w:mineral_codes(), ",") == "Ga,Ge")
assert(table.concat(w:economy_codes(), ",") == "CHN,USA,JPN,ROW")
assert(table.concat(w:members(), ",") == "USA,JPN")
local chn = w:economy("CHN")
assert(chn.name == "China" and chn.member == false)
assert(w:economies()[3].member == true)

for _, e in ipairs(ORDER) do
  local c, got = GA[e], w:curve(e, "Ga")
  assert(got.base_production == c[1] and got.capacity == c[2]
         and got.supply_elasticity == c[3] and got.base_demand == c[4]
         and got.demand_elasticity == c[5], e)
end
w:set_curve("USA", "Ge", {base_production = 5, base_demand = 9})
assert(w:curve("USA", "Ge").capacity == 5) -- defaults to base production
w:set_curve("USA", "Ge", {})
assert(w:curve("USA", "Ge").base_demand == 0)

-- wedges, bans, quotas -----------------------------------------------------
w:set_transport("Ga", "CHN", "USA", 150)
w:set_tariff("Ga", "CHN", "USA", 1000, 0.25)
w:set_export_tax("Ga", "CHN", 500, 0.1)
local wd = w:wedge("Ga", "CHN", "USA")
assert(wd.transport == 150 and wd.allowed)
assert(close_to(wd.tariff, 1000 + 0.25 * P0))
assert(close_to(wd.export_tax, 500 + 0.1 * P0))
assert(close_to(wd.total, 150 + 1000 + 0.25 * P0 + 500 + 0.1 * P0))
w:set_export_ban("Ga", "CHN", "USA")
assert(not w:wedge("Ga", "CHN", "USA").allowed)
w:set_export_ban("Ga", "CHN", "USA", false)
w:set_import_ban("Ga", "USA", "CHN", true)
assert(not w:wedge("Ga", "CHN", "USA").allowed)
w:set_import_ban("Ga", "USA", "CHN", false)
assert(w:wedge("Ga", "CHN", "USA").allowed)
assert(w:export_quota("Ga", "CHN") == math.huge)
w:set_export_quota("Ga", "CHN", 400)
assert(w:export_quota("Ga", "CHN") == 400)
w:clear_export_quota("Ga", "CHN")
assert(w:export_quota("Ga", "CHN") == math.huge)

-- indicators, by hand -------------------------------------------------------
local total, hhi = 0, 0
for _, c in pairs(GA) do total = total + c[1] end
for _, c in pairs(GA) do hhi = hhi + (100 * c[1] / total) ^ 2 end
assert(close_to(w:hhi("Ga"), hhi))
assert(close_to(w:world_production("Ga"), total))
local top, share = w:top_producer("Ga")
assert(top == "CHN" and close_to(share, 750 / total))
assert(close_to(w:self_sufficiency("Ga"), (10 + 40) / (120 + 80)))
for e, c in pairs(GA) do
  assert(close_to(w:net_import_reliance(e, "Ga"), (c[4] - c[1]) / c[4]), e)
end
local rt = w:risk_table()
assert(#rt == 2 and rt[1].mineral == "Ga" and rt[2].mineral == "Ge")
assert(close_to(rt[1].hhi, hhi) and rt[1].top_producer == "CHN")
assert(close_to(rt[1].top_share, 750 / total))
assert(close_to(rt[1].net_import_reliance.JPN, 0.5))
assert(rt[2].world_production == 0 and rt[2].hhi == nil
       and rt[2].top_producer == nil and rt[2].self_sufficiency == nil
       and rt[2].net_import_reliance.USA == nil)

-- errors --------------------------------------------------------------------
check_error("EINVAL", "capacity 600 is below base production 750",
            w.set_curve, w, "CHN", "Ga", {base_production = 750,
                                          capacity = 600})
assert(w:curve("CHN", "Ga").capacity == 900) -- unchanged
check_error("EINVAL", "base demand", w.set_curve, w, "CHN", "Ga",
            {base_demand = 0 / 0})
check_error("EINVAL", "base price %-5", w.add_mineral, w, "Li", -5)
check_error("EINVAL", "unknown option 'nmae'", w.add_mineral, w, "Li", 5,
            {nmae = "Lithium"})
check_error("EEXISTS", "'Ga'", w.add_mineral, w, "Ga", 5)
check_error("ENOTFOUND", "XYZ", w.set_curve, w, "XYZ", "Ga", {})
check_error("EINVAL", "below zero", w.set_export_tax, w, "Ga", "ROW", -1)
check_error("EDOMAIN", "no economy produces it", w.hhi, w, "Ge")
assert(#w:minerals() == 2)

-- copies and closing ------------------------------------------------------
local twin = w:copy()
assert(twin == w)
twin:set_transport("Ga", "CHN", "JPN", 10)
assert(twin ~= w and w:wedge("Ga", "CHN", "JPN").transport == 0)
twin:close()
assert(twin:closed())
twin:close() -- twice is harmless
assert(tostring(twin) == "crit.World (closed)")
check_error("ESTATE", "world is closed", twin.minerals, twin)
check_error("ESTATE", "world is closed", twin.add_economy, twin, "CAN")
check_error("ESTATE", "world is closed", twin.copy, twin)

local escaped
do
  local scoped <close> = crit.World()
  scoped:add_economy("USA")
  escaped = scoped
end
assert(escaped:closed()) -- __close ran at the end of the block
check_error("ESTATE", "world is closed", escaped.economies, escaped)

-- A C string ends at a NUL byte: "KOR\0X" named "KOR" before, silently.
check_error("EINVAL", "argument 'code' contains a NUL byte",
            w.add_economy, w, "KOR\0X")
check_error("EINVAL", "argument 'code' contains a NUL byte",
            w.economy, w, "USA\0X")
check_error("EINVAL", "argument 'economy' contains a NUL byte",
            w.curve, w, "CHN\0X", "Ga")
check_error("ENOTFOUND", "'KOR'", w.economy, w, "KOR")

-- Errors propagate through error() unchanged and print well uncaught.
local ok, e = pcall(function() w:mineral("Nb") end)
assert(not ok and crit.is_error(e) and e.code == crit.codes.ENOTFOUND)

-- set_member joins by default, leaves with false
do
  local v <close> = crit.World()
  v:add_economy("CAN")
  v:set_member("CAN")
  assert(v:economy("CAN").member == true)
  v:set_member("CAN", false)
  assert(v:economy("CAN").member == false)
end

print("test_world.lua: ok")

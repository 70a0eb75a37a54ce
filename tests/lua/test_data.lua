-- crit.World.default() and the provenance of its numbers (crit/data.h).
-- Runs under lua5.4 (require "crit" from LUA_CPATH) and under critlua.
local crit = require "crit"

local w <close> = crit.World.default()
assert(tostring(w):find("29 minerals"), tostring(w))
local members = w:members()
assert(#members == 9 and members[1] == "USA")

-- World demand equals world production for every mineral (the base year
-- is an equilibrium at the USGS prices).
for _, m in ipairs(w:mineral_codes()) do
  local s, d = 0, 0
  for _, e in ipairs(w:economy_codes()) do
    local c = w:curve(e, m)
    s = s + c.base_production
    d = d + c.base_demand
  end
  assert(math.abs(s - d) <= 1e-12 * s, m)
end

-- Provenance: China's rare-earth production is a USGS row.
local top, share = w:top_producer("REE")
assert(top == "CHN")
local rec = crit.data_source("REE", "CHN", "production")
assert(rec.value == w:curve("CHN", "REE").base_production)
assert(rec.year == 2025 and rec.unit == "t/yr")
assert(rec.source:find("MCS2026_Commodities_Data.csv", 1, true))
assert(tonumber(rec.rows) > 1)
local world = crit.data_source("REE", nil, "world_production")
assert(math.abs(share - rec.value / world.value) <= 1e-12)
local ok, e = pcall(crit.data_source, "Co", "GAB", "production")
assert(not ok and e.code == crit.codes.ENOTFOUND)
local records = crit.data_records()
assert(#records > 1000 and records[1].field == "member")
assert(crit.data_version():find("Mineral Commodity Summaries 2026", 1, true))

print("test_data.lua: ok")

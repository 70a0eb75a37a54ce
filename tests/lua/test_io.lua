-- Snapshots and CSV from Lua: round trips and errors as pcall-able values.
-- Runs under lua5.4 (random file names in /tmp, removed at the end). Under
-- critlua, whose sandbox has no os or io and where crit cannot touch files
-- (sandbox_files.lua tests that in detail), it checks one refusal only.
local crit = require "crit"

if not os then
  local ok, e = pcall(crit.load, "/dev/null")
  assert(not ok and e.code == crit.codes.EUNSUPPORTED, tostring(e))
  print("test_io.lua: ok")
  return
end
local base = string.format("/tmp/crit_lua_io_%d_%d", math.random(1 << 30),
                           math.random(1 << 30))

local w <close> = crit.World()
w:add_economy("CHN")
w:add_economy("USA", {member = true})
w:add_mineral("Ga", 600000, {name = "Gallium, refined", holding_cost = 1200})
w:set_curve("CHN", "Ga", {base_production = 750, capacity = 900,
                          supply_elasticity = 0.5, base_demand = 300,
                          demand_elasticity = 0.3})
w:set_transport("Ga", "CHN", "USA", 120)
w:set_tariff("Ga", "CHN", "USA", 0, 0.25)
w:set_export_quota("Ga", "CHN", 400)

-- a NUL byte would end the path early in C, naming another file
local ok, e = pcall(w.save, w, base .. ".crit\0.txt")
assert(not ok and e.code == crit.codes.EINVAL
       and e.message:find("contains a NUL byte"), tostring(e))
assert(io.open(base .. ".crit") == nil)

-- snapshot round trip
w:save(base .. ".crit", {level = 9})
local back <close> = crit.load(base .. ".crit")
assert(back == w)
assert(back:curve("CHN", "Ga").capacity == 900)
w:set_transport("Ga", "CHN", "USA", 121)
assert(not (back == w))
w:set_transport("Ga", "CHN", "USA", 120)

ok, e = pcall(crit.load, base .. ".crit", {max_uncompressed_bytes = 10})
assert(not ok and e.code == crit.codes.EFORMAT
       and e.message:find("exceeds the limit"), tostring(e))

-- CSV round trip, one table gzip
local cur
for i, t in ipairs({"economies", "minerals", "curves", "arcs", "exports"}) do
  local p = base .. "_" .. t .. ".csv" .. (i == 3 and ".gz" or "")
  w:to_csv(p, t)
  cur = cur and cur:read_csv(p, t) or crit.read_csv(p, t)
end
assert(cur == w)

-- compress forces gzip, or not, whatever the name
w:to_csv(base .. "_z.csv", "minerals", {compress = true})
w:to_csv(base .. "_p.csv.gz", "minerals", {compress = false})
do
  local f = assert(io.open(base .. "_z.csv", "rb"))
  assert(f:read(2) == "\x1f\x8b")
  f:close()
  f = assert(io.open(base .. "_p.csv.gz", "rb"))
  assert(f:read(5) == "code,")
  f:close()
  os.remove(base .. "_z.csv")
  os.remove(base .. "_p.csv.gz")
end

-- errors
local ok, e = pcall(crit.load, base .. "_economies.csv")
assert(not ok and crit.is_error(e) and e.code == crit.codes.EFORMAT, tostring(e))
assert(e.message:find("not a libcrit snapshot"), e.message)
ok, e = pcall(crit.read_csv, base .. "_curves.csv.gz", "curves")
assert(not ok and e.code == crit.codes.ENOTFOUND, tostring(e))
assert(e.message:find("line 2 column 2 %(mineral%)"), e.message)
ok, e = pcall(w.save, w, base .. ".crit", {level = 10})
assert(not ok and e.code == crit.codes.EINVAL, tostring(e))
ok, e = pcall(w.to_csv, w, base .. ".csv", "prices")
assert(not ok and e.code == crit.codes.EINVAL, tostring(e))

-- a solved market's results, tidy
local m <close> = crit.Market(w, "Ga")
ok, e = pcall(m.to_csv, m, base .. "_market.csv")
assert(not ok and e.code == crit.codes.ESTATE, tostring(e))
m:solve()
m:to_csv(base .. "_market.csv", 4)
do
  local f = assert(io.open(base .. "_market.csv"))
  local text = f:read("a")
  f:close()
  local price = m:values("price")[1]
  local row = text:match("\nGa,CHN,price,4,([^\n]+)\n")
  assert(row and tonumber(row) == price, tostring(row))
end

-- tidy series, read back
w:to_csv(base .. "_series.csv")
do
  local f = assert(io.open(base .. "_series.csv"))
  local text = f:read("a")
  f:close()
  assert(text:find("^mineral,economy,series,period,value\n"))
  assert(text:find("\nGa,CHN,capacity_t_per_yr,0,900\n"))
  assert(text:find("\nGa,CHN,export_quota_t_per_yr,0,400\n"))
end
do
  for _, suffix in ipairs({".crit", "_economies.csv", "_minerals.csv",
                           "_curves.csv.gz", "_arcs.csv", "_exports.csv",
                           "_series.csv", "_market.csv"}) do
    os.remove(base .. suffix)
  end
end
print("test_io.lua: ok")

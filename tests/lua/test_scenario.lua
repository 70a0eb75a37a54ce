-- The Lua binding of stockpiles, programmes, scenarios and results,
-- checked against independent computations (MODEL.md sections 5, 7, 8).
-- Runs under lua5.4 (require "crit" from LUA_CPATH) and under critlua.
local crit = require "crit"

local function close_to(a, b, rel)
  return math.abs(a - b) <= (rel or 1e-12) * math.max(1, math.abs(b))
end

local P0, DT = 600000, 1 / 12

local function small_world()
  local w = crit.World()
  w:add_mineral("Ga", P0, {holding_cost = 1200})
  w:add_economy("CHN")
  w:add_economy("USA", {member = true})
  w:add_economy("JPN", {member = true})
  w:add_economy("ROW")
  local curves = {CHN = {750, 900, 0.5, 300, 0.3}, USA = {10, 20, 0.8, 120, 0.4},
                  JPN = {40, 40, 0, 80, 0.2}, ROW = {0, 0, 0, 300, 0.25}}
  for e, c in pairs(curves) do
    w:set_curve(e, "Ga", {base_production = c[1], capacity = c[2],
      supply_elasticity = c[3], base_demand = c[4], demand_elasticity = c[5]})
  end
  return w
end

local w <close> = small_world()

-- stockpile accounting: buy(p) = min(amax dt, target - J, cash / p) below B
do
  local sp <close> = crit.Stockpile(w, {economy = "USA", name = "vault",
                                        cash = 1e9})
  sp:add_mineral{mineral = "Ga", capacity = 100, inventory = 10, target = 50,
                 acquisition_rate = 120, purchase_trigger = 700000,
                 release_trigger = 1e6, loss_rate = 0.12}
  assert(sp:add_participant{name = "maker", mineral = "Ga", upfront_fee = 1e5,
                            annual_fee = 1.2e6} == 0)
  assert(sp:add_participant{name = "house", kind = "trader"} == 1)
  assert(sp:economy() == "USA" and sp:name() == "vault")
  -- the economy stays readable after its world is closed (the stockpile
  -- keeps the world alive), in a copy too; not after the stockpile is
  do
    local w2 <close> = w:copy()
    local sp2 <close> = crit.Stockpile(w2, {economy = "JPN"})
    local sp3 <close> = sp2:copy()
    w2:close()
    assert(sp2:economy() == "JPN" and sp3:economy() == "JPN")
    sp2:close()
    local ok, e = pcall(sp2.economy, sp2)
    assert(not ok and e.name == "CRIT_ESTATE", tostring(e))
  end
  assert(sp:mineral("Ga").target_unit == "tonnes")
  assert(sp:participant(1).kind == "trader")
  local J = 10 * (1 - 0.12 * DT)
  assert(close_to(sp:purchase("Ga", P0, 1e9, DT), math.min(120 * DT, 50 - J)))
  assert(close_to(sp:purchase("Ga", P0, 3e6, DT), 3e6 / P0))
  local f = sp:settle("Ga", P0, 8, 0, DT)
  assert(close_to(f.closing, J + 8) and close_to(f.lost, 10 * 0.12 * DT))
  assert(close_to(f.holding_usd, 1200 * 10 * DT))
  assert(close_to(sp:cash(), 1e9 - 8 * P0 - 1200 * 10 * DT))
  assert(close_to(sp:collect_fees(0, DT), 1e5 + 1.2e6 * DT))
  assert(tostring(sp) == "crit.Stockpile 'vault': 1 minerals, 2 participants")
  local twin <close> = sp:copy()
  assert(twin:economy() == "USA" and twin:name() == "vault")
  local ok, e = pcall(sp.add_mineral, sp, {mineral = "Ga", capacity = 1,
                                           release_trigger = 1})
  assert(not ok and e.name == "CRIT_EEXISTS")
  local empty <close> = crit.Stockpile(w, {economy = "JPN"})
  ok, e = pcall(empty.add_mineral, empty, {mineral = "Ga", capacity = 0,
                                           release_trigger = 1})
  assert(not ok and e.name == "CRIT_EINVAL" and e.message:find("capacity"))
  ok, e = pcall(empty.add_mineral, empty, {mineral = "Ga", capacity = 1,
                                     release_trigger = 1, target_unit = "kg"})
  assert(not ok and e.name == "CRIT_EINVAL")
  ok, e = pcall(crit.Stockpile, w, {economy = "CHN"})
  assert(not ok and e.name == "CRIT_EINVAL")
end

-- draw rights: fields read back, a draw then a replenishment
do
  local sp <close> = crit.Stockpile(w, {economy = "USA"})
  sp:add_mineral{mineral = "Ga", capacity = 100, inventory = 40,
                 release_trigger = 1e6}
  sp:add_participant{name = "maker", mineral = "Ga", draw_right = 15,
                     draw_rate = 24, draw_price = 600000, replenish_rate = 12}
  local pt = sp:participant(0)
  assert(pt.kind == "firm" and pt.draw_right == 15 and pt.draw_rate == 24
         and pt.draw_price == 600000 and pt.replenish_rate == 12)
  sp:set_disruption("Ga")
  assert(sp:disrupted("Ga"))
  assert(sp:settle_participant(0, 2) == 2 * 600000)
  sp:set_disruption("Ga", false)
  assert(not sp:disrupted("Ga"))
  sp:settle_participant(0, 0, 0.5)
  local drawn, owed = sp:participant_state(0)
  assert(drawn == 2 and owed == 1.5, drawn .. " " .. owed)
end

-- programmes: capacity B / c, online at t0 + ceil(L / dt), even spending
do
  local p = crit.Programme{economy = "USA", mineral = "Ga", budget = 1e9,
                           capital_intensity = 1e7, lead_time = 2,
                           start_period = 3}
  assert(p:capacity() == 100 and p:online_period(DT) == 27)
  local s, sum = p:spending(40, DT), 0
  for t = 1, 40 do
    sum = sum + s[t]
    if t <= 3 or t > 27 then assert(s[t] == 0)
    else assert(close_to(s[t], 1e9 / 24)) end
  end
  assert(close_to(sum, 1e9))
  local ok, e = pcall(crit.Programme{economy = "USA", mineral = "Xx",
    budget = 1, capital_intensity = 1}.validate, crit.Programme{
    economy = "USA", mineral = "Xx", budget = 1, capital_intensity = 1}, w)
  assert(not ok and e.name == "CRIT_ENOTFOUND")
end

-- a scenario: the stockpile buys 10 t a month up to its 50 t target
local T = 12
local function build()
  local sc = crit.Scenario(w, {start = "2026-01-01", periods = T})
  local sp <close> = crit.Stockpile(w, {economy = "USA", name = "vault",
                                        cash = 1e6})
  sp:add_mineral{mineral = "Ga", capacity = 60, target = 50,
                 acquisition_rate = 120, purchase_trigger = 5 * P0,
                 release_trigger = 6 * P0}
  sp:add_participant{name = "maker", mineral = "Ga", demand = 100,
                     upfront_fee = 2e5, annual_fee = 1.2e6}
  assert(sc:add_stockpile(sp) == 0)
  local loan <close> = crit.Loan{commitment = 5e7, start = "2026-01-01",
    maturity = "2031-01-01", rate = 0.05, availability_end = "2027-06-30"}
  assert(sc:add_loan(loan, 0) == 0)
  sc:add_programme(crit.Programme{economy = "JPN", mineral = "Ga",
    budget = 1.2e9, capital_intensity = 1e7, lead_time = 0.5,
    start_period = 1})
  return sc
end

do
  local sc <close> = build()
  local seen = {}
  local r <close> = sc:run{progress = function(done, total)
    seen[#seen + 1] = done .. "/" .. total
  end}
  assert(#seen == T and seen[1] == "1/12" and seen[T] == "12/12")
  assert(r.periods == T and #r.minerals == 1 and r.members[1] == "USA")
  assert(r.stockpiles[1] == "vault" and r.loans == 1)
  local dates = r:dates()
  assert(#dates == T + 1 and dates[1] == "2026-01-01"
         and dates[T + 1] == "2027-01-01")
  local inv = r:values("inventory", {mineral = "Ga"})
  for t = 1, T do assert(close_to(inv[t], math.min(50, 10 * t)), t) end
  -- the flat series: price[t][k][i] at ((t * K) + k) * E + i + 1
  local flat, shape = r:series("price")
  assert(shape[1] == T and shape[2] == 1 and shape[3] == 4 and #flat == T * 4)
  local usa = r:values("price", {mineral = "Ga", economy = "USA"})
  for t = 0, T - 1 do assert(flat[t * 4 + 1 + 1] == usa[t + 1]) end
  -- conservation of tonnes and dollars, recomputed here
  local g = function(name, opts) return r:values(name, opts) end
  local m = {mineral = "Ga"}
  local bought, rel, lost = g("purchased", m), g("released", m), g("lost", m)
  local drawn, back = g("drawn", m), g("replenished", m)
  local cash, prev_i, prev_c = g("cash"), 0, 1e6
  local ins = {g("fees"), g("sales"), g("draw_payments"), g("loan_draws"),
               g("funding_gap")}
  local outs = {g("purchases"), g("holding"), g("refunds"), g("debt_service")}
  for t = 1, T do
    assert(close_to(inv[t], prev_i + bought[t] - rel[t] - lost[t] - drawn[t]
                    + back[t], 1e-12))
    local c = prev_c
    for _, s in ipairs(ins) do c = c + s[t] end
    for _, s in ipairs(outs) do c = c - s[t] end
    assert(close_to(cash[t], c, 1e-9), t)
    assert(close_to(outs[1][t], usa[t] * bought[t], 1e-12))
    prev_i, prev_c = inv[t], cash[t]
  end
  local draws = 0
  for t = 1, T do draws = draws + ins[4][t] end
  assert(draws > 0)
  local sched = r:loan_schedule(0)
  local sd = 0
  for _, row in ipairs(sched) do sd = sd + row.draws end
  assert(close_to(sd, draws, 1e-12))
  local spend = g("programme_spending")
  for t = 1, T do
    assert(close_to(spend[t], (t >= 2 and t <= 7) and 1.2e9 / 6 or 0, 1e-15))
  end
  local ax = r:axes("inventory")
  assert(#ax == 3 and ax[1] == "period" and ax[2] == "stockpile"
         and ax[3] == "mineral")
  local cs = r:shape("cash")
  assert(#cs == 2 and cs[1] == T and cs[2] == 1 and #r:shape("levy") == 2)
  assert(#r:axes("cash") == 2 and #r:axes("public_cost") == 1)
  local ok, e = pcall(r.values, r, "price", {mineral = "Ga"})
  assert(not ok and e.name == "CRIT_EINVAL" and e.message:find("economy"))
  ok, e = pcall(r.series, r, "prices")
  assert(not ok and e.message:find("unknown series"))

  -- an error in the callback cancels the run and comes back as it was
  local marker = {}
  ok, e = pcall(sc.run, sc, {progress = function(done)
    if done == 4 then error(marker) end
  end})
  assert(not ok and e == marker)
  ok, e = pcall(sc.run, sc, {progress = function(done) return done < 3 end})
  assert(not ok and e.name == "CRIT_ECANCELLED")
  ok, e = pcall(sc.run, sc, {progress = 42})
  assert(not ok and e.name == "CRIT_EINVAL")
  r:close()
  ok, e = pcall(r.series, r, "price")
  assert(not ok and e.name == "CRIT_ESTATE")
end

-- result indices in range; a loan past the last is refused by the layer
do
  local sc <close> = build()
  local r <close> = sc:run()
  local ok, e = pcall(r.values, r, "inventory", {mineral = "Ga",
                                                 stockpile = -1})
  assert(not ok and e.name == "CRIT_ERANGE"
         and e.message:find("stockpile %-1 out of range"), tostring(e))
  ok, e = pcall(r.loan_schedule, r, 1)
  assert(not ok and e.name == "CRIT_ERANGE"
         and e.message == "result: loan 1 out of range", tostring(e))
  -- a loan is an integer index: a string or a float is a crit error
  -- (the string was a raw Lua compare error)
  for _, bad in ipairs({"0", 0.5}) do
    ok, e = pcall(r.loan_schedule, r, bad)
    assert(not ok and e.name == "CRIT_EINVAL"
           and e.message:find("result: a loan is an integer index, got ", 1,
                              true), tostring(e))
  end
end

-- a "floor" event (value2 the covered share, value3 the upside share) is
-- the floor a Policy gives the market of period 0
do
  local sc <close> = crit.Scenario(w, {start = "2026-01-01", periods = 2})
  sc:add_event{kind = "floor", period = 0, mineral = "Ga", economy = "USA",
               value = 900000, value2 = 0.5, value3 = 0.25}
  local r <close> = sc:run()
  local paid = r:values("cfd_paid", {mineral = "Ga", economy = "USA"})
  local pol <close> = crit.Policy(w, "Ga")
  pol:set_floor("USA", {floor = 900000, covered_share = 0.5,
                        upside_share = 0.25})
  local m <close> = crit.Market(w, "Ga", {policy = pol})
  m:solve()
  assert(paid[1] > 0 and close_to(paid[1], m:nodes().USA.cfd_paid, 1e-9))
end

-- an export ban against a member disrupts the mineral only with
-- disruption_from_restrictions (the default)
for _, flag in ipairs({true, false}) do
  local sc <close> = crit.Scenario(w, {start = "2026-01-01", periods = 3,
    disruption_from_restrictions = flag})
  sc:add_event{kind = "export_ban", period = 1, mineral = "Ga",
               economy = "CHN", partner = "USA"}
  local r <close> = sc:run()
  local d = r:values("disrupted", {mineral = "Ga"})
  local on = flag and 1 or 0
  assert(d[1] == 0 and d[2] == on and d[3] == on, tostring(flag))
end

-- the market options reach the run
do
  local sc <close> = build()
  sc:set_market_options{max_iterations = 1}
  local ok, e = pcall(sc.run, sc)
  assert(not ok and e.name == "CRIT_ENOCONV"
         and e.message:find("within 1 iterations"), tostring(e))
  ok, e = pcall(sc.set_market_options, sc, {tolerance = -1})
  assert(not ok and e.name == "CRIT_EINVAL"
         and e.message:find("tolerance %-1"), tostring(e))
end

-- validation before anything runs; use after close
do
  local sc = crit.Scenario(w, {start = "2026-01-01", periods = 12})
  local ok, e = pcall(sc.add_event, sc, {kind = "export_ban", period = 12,
    mineral = "Ga", economy = "CHN", partner = "USA"})
  assert(not ok and e.message:find("outside the horizon"))
  ok, e = pcall(sc.add_event, sc, {kind = "embargo", period = 1})
  assert(not ok and e.name == "CRIT_EINVAL")
  sc:close()
  sc:close()
  ok, e = pcall(sc.run, sc)
  assert(not ok and e.name == "CRIT_ESTATE")
end

-- snapshots of a scenario and its result, and the result's tidy CSV
-- (under critlua, where crit touches no file, only the refusals)
local function same_series(a, b)
  assert(a.periods == b.periods and a.loans == b.loans)
  for i, n in ipairs(a.stockpiles) do assert(b.stockpiles[i] == n) end
  for q = 1, #crit.SERIES do
    local name = crit.SERIES[q]
    local x, y = a:series(name), b:series(name)
    assert(#x == #y, name)
    for i = 1, #x do
      assert(x[i] == y[i] or (x[i] ~= x[i] and y[i] ~= y[i]), name)
    end
  end
end
if not os then
  local sc <close> = build()
  local r <close> = sc:run()
  for what, f in pairs{
    save = function() sc:save("/tmp/crit_sandbox.crit", {result = r}) end,
    load = function() crit.load_scenario("/dev/null") end,
    to_csv = function() r:to_csv("/tmp/crit_sandbox.csv") end} do
    local ok, e = pcall(f)
    assert(not ok and e.code == crit.codes.EUNSUPPORTED, what)
  end
else
  local path = string.format("/tmp/crit_lua_scen_%d_%d", math.random(1 << 30),
                             math.random(1 << 30))
  local sc <close> = build()
  local r <close> = sc:run()
  sc:save(path .. ".crit", {result = r, level = 1})
  local s2, r2 = crit.load_scenario(path .. ".crit")
  local _s2 <close> = s2
  local _r2 <close> = r2
  assert(s2:periods() == T and s2:world() == w)
  same_series(r, r2)
  local r3 <close> = s2:run()
  same_series(r, r3)
  -- without a result
  sc:save(path .. "_0.crit")
  local s3, none = crit.load_scenario(path .. "_0.crit")
  local _s3 <close> = s3
  assert(none == nil)
  local r4 <close> = s3:run()
  same_series(r, r4)
  -- the loaded world is closed with its scenario, never left dangling
  local w3 = s3:world()
  s3:close()
  assert(w3:closed())
  -- a world alone is not a scenario
  w:save(path .. "_w.crit")
  local ok, e = pcall(crit.load_scenario, path .. "_w.crit")
  assert(not ok and e.name == "CRIT_EFORMAT", tostring(e))
  -- the tidy CSV: header, one row per value, the price rows
  r:to_csv(path .. ".csv")
  local f = assert(io.open(path .. ".csv"))
  assert(f:read("l") == "mineral,economy,series,period,value,date,stockpile,loan")
  local rows, price = 0, {}
  for line in f:lines() do
    rows = rows + 1
    local m, e2, s, t, v, d = line:match("^([^,]*),([^,]*),([^,]*),(%d+),([^,]*),([^,]*),")
    if s == "price" and m == "Ga" and e2 == "USA" then
      price[tonumber(t) + 1] = tonumber(v)
      assert(d == r:dates()[tonumber(t) + 1])
    end
  end
  f:close()
  local total = 0
  for q = 1, #crit.SERIES do total = total + #r:series(crit.SERIES[q]) end
  assert(rows == total, rows .. " rows, " .. total .. " values")
  local usa = r:values("price", {mineral = "Ga", economy = "USA"})
  for t = 1, T do assert(price[t] == usa[t], t) end
  -- the deflate level of a scenario without a result
  sc:save(path .. "_l0.crit", {level = 0})
  sc:save(path .. "_l9.crit", {level = 9})
  do
    local a = io.open(path .. "_l0.crit", "rb")
    local b = io.open(path .. "_l9.crit", "rb")
    assert(b:seek("end") < a:seek("end"))
    a:close()
    b:close()
    os.remove(path .. "_l0.crit")
    os.remove(path .. "_l9.crit")
  end
  -- compress forces gzip whatever the name; the load limit applies
  r:to_csv(path .. "_z.csv", {compress = true})
  f = assert(io.open(path .. "_z.csv", "rb"))
  assert(f:read(2) == "\x1f\x8b")
  f:close()
  os.remove(path .. "_z.csv")
  ok, e = pcall(crit.load_scenario, path .. ".crit",
                {max_uncompressed_bytes = 10})
  assert(not ok and e.name == "CRIT_EFORMAT"
         and e.message:find("exceeds the limit"), tostring(e))
  for _, suffix in ipairs{".crit", "_0.crit", "_w.crit", ".csv"} do
    os.remove(path .. suffix)
  end
end

-- closing the scenario from its own progress callback: closed at once,
-- freed once the run returns (the run went on with the freed scenario, a
-- use after free caught by ASan)
do
  local ref <close> = build()
  local expected <close> = ref:run()
  local sc = build()
  local closed = {}
  local r <close> = sc:run{progress = function(done)
    if done == 2 then sc:close(); sc:close() end
    closed[#closed + 1] = sc:closed()
  end}
  assert(#closed == T and not closed[1] and closed[2] and closed[T])
  local a, b = r:series("price"), expected:series("price")
  for k = 1, #b do assert(a[k] == b[k], k) end
  local ok, e = pcall(sc.periods, sc)
  assert(not ok and e.name == "CRIT_ESTATE", tostring(e))
  -- an error raised after closing is still the callback's own
  local sc2 = build()
  ok, e = pcall(sc2.run, sc2, {progress = function(done)
    if done == 3 then sc2:close(); error({mine = true}) end
  end})
  assert(not ok and type(e) == "table" and e.mine and sc2:closed())
end

print("test_scenario.lua: ok")

-- The Lua binding of markets and policies, checked against closed forms.
-- Runs under lua5.4 (require "crit" from LUA_CPATH) and under critlua.
local crit = require "crit"

local function close_to(a, b, rel)
  return math.abs(a - b) <= (rel or 1e-12) * math.max(1, math.abs(b))
end

local w <close> = crit.World()
w:add_mineral("Ga", 100, {choke_price = 1000})
w:add_economy("CHN")
w:add_economy("USA", {member = true})
w:set_curve("CHN", "Ga", {base_production = 200, capacity = 1e9,
  supply_elasticity = 1, base_demand = 50, demand_elasticity = 1})
w:set_curve("USA", "Ga", {base_production = 20, capacity = 1e9,
  supply_elasticity = 1, base_demand = 150, demand_elasticity = 1})
w:set_transport("Ga", "CHN", "USA", 10)

local p <close> = crit.Policy(w, "Ga")
local m <close> = crit.Market(w, "Ga", {policy = p})
local info = m:solve()
assert(info.residual <= 1e-9)
local nodes, flows = m:nodes(), m:flows()
assert(close_to(nodes.USA.price, nodes.CHN.price + 10))
local x, y = nodes.CHN.price / 100, nodes.USA.price / 100
local excess = (200 * x - 50 / x) / 12
assert(close_to(excess, (150 / y - 20 * y) / 12, 1e-9))
assert(close_to(flows.CHN.USA, excess, 1e-9) and flows.USA.CHN == 0)
assert(close_to(nodes.CHN.exports, excess, 1e-9))
assert(nodes.CHN.consumer_surplus_change == nil) -- no reference yet
assert(#crit.QUANTITIES == 19 and crit.QUANTITIES[1] == "price")

-- the reference price is held by the levy
p:set_reference_price(130)
info = m:solve()
assert(close_to(m:nodes().USA.price, 130, 1e-9))
assert(close_to(info.levy, 130 - m:nodes().CHN.price - 10, 1e-9))
p:set_reference_price(0)

-- a floor and an agent; availability by code
p:set_floor("USA", {floor = 150, covered_share = 0.5})
assert(p:floor("USA").covered_share == 0.5 and p:floor("CHN") == nil)
local i = m:add_agent("USA", {purchase_trigger = 50, release_trigger = 110,
  inventory = 10, capacity = 100, target = 80, acquisition_rate = 120,
  release_rate = 120, cash = 1e6})
assert(i == 0)
m:set_availability({CHN = 0.1})
m:solve()
local bought, released = m:agent_result(0)
assert(bought == 0 and released > 0)
-- an index below 0 is out of range, as one past the end is
for _, bad in ipairs({1, -1}) do
  local ok, e = pcall(m.agent_result, m, bad)
  assert(not ok and e.name == "CRIT_ERANGE", tostring(e))
end
local ok_neg, e_neg = pcall(m.agent_result, m, -1)
assert(not ok_neg and e_neg.message:find("argument 'index' is negative"),
       tostring(e_neg))
assert(m:nodes().USA.cfd_paid > 0)

-- a floor covers all production by default; an agent buys with its cash
-- (below the purchase trigger, with no cash, it buys nothing); the period
-- length reaches the solve
p:set_floor("CHN", {floor = 10})
local fl = p:floor("CHN")
assert(fl.floor == 10 and fl.covered_share == 1 and fl.upside_share == 0)
p:clear_floor("CHN")
do
  local mm <close> = crit.Market(w, "Ga", {period_length = 0.25})
  assert(mm:solve().period_years == 0.25)
  for _, cash in ipairs({1e6, 0}) do
    mm:clear_agents()
    mm:add_agent("USA", {purchase_trigger = 1000, release_trigger = 2000,
      capacity = 100, target = 80, acquisition_rate = 120, cash = cash})
    mm:solve()
    local got = mm:agent_result(0)
    assert((got > 0) == (cash > 0), cash)
  end
end

-- a reference as an array in economy order; solved() before and after;
-- resize() takes in a new economy
do
  local v <close> = w:copy()
  local mm <close> = crit.Market(v, "Ga")
  assert(mm:solved() == false)
  mm:set_reference({90, 110})
  mm:solve()
  assert(mm:solved() == true and mm:nodes().USA.consumer_surplus_change)
  v:add_economy("JPN", {member = true})
  mm:resize()
  assert(#mm.codes == 3 and mm.codes[3] == "JPN")
  mm:solve()
  assert(mm:nodes().JPN.price ~= nil and mm:flows().JPN.USA ~= nil)
end

-- errors are Lua errors with the library's code and message
local ok, e = pcall(p.set_floor, p, "USA", {floor = 100, covered_share = 2})
assert(not ok and e.name == "CRIT_EINVAL" and e.message:find("theta"))
ok, e = pcall(crit.Market, w, "Xx")
assert(not ok and e.name == "CRIT_ENOTFOUND")
ok, e = pcall(m.add_agent, m, "USA", {purchase_trigger = 100,
  release_trigger = 50})
assert(not ok and e.message:find("release trigger"))
m:set_period_length(0.25)
ok, e = pcall(m.nodes, m)
assert(not ok and e.name == "CRIT_ESTATE")
-- m:set_policy(nil) detaches the policy (it raised CRIT_ESTATE "policy is
-- closed"); a closed policy is still refused
do
  local q <close> = crit.Policy(w, "Ga")
  local mm <close> = crit.Market(w, "Ga")
  mm:solve()
  local free = mm:nodes().USA.price
  q:set_external_tariff(20)
  mm:set_policy(q)
  mm:solve()
  assert(mm:nodes().USA.price > free + 1)
  mm:set_policy(nil)
  mm:solve()
  assert(close_to(mm:nodes().USA.price, free))
  local closed = crit.Policy(w, "Ga")
  closed:close()
  ok, e = pcall(mm.set_policy, mm, closed)
  assert(not ok and e.name == "CRIT_ESTATE", tostring(e))
end

-- reference prices by code: an unknown economy is refused by name (it was
-- ignored), a missing one named
do
  local mm <close> = crit.Market(w, "Ga")
  ok, e = pcall(mm.set_reference, mm, {CHN = 90, USA = 110, JPN = 100})
  assert(not ok and e.name == "CRIT_ENOTFOUND" and e.message:find("'JPN'"),
    tostring(e))
  ok, e = pcall(mm.set_reference, mm, {CHN = 90})
  assert(not ok and e.name == "CRIT_EINVAL" and e.message:find("USA"),
    tostring(e))
  mm:set_reference({CHN = 90, USA = 110})
  mm:solve()
  assert(mm:nodes().USA.consumer_surplus_change ~= nil)
end

-- whole numbers only where the C API takes an int32_t (12.9 periods was
-- taken as 12, 2^40 as -2147483648)
do
  for _, bad in ipairs({12.9, 2^40, 2^31, -2^31 - 1, 0 / 0}) do
    ok, e = pcall(crit.Scenario, w, {start = "2026-01-01", periods = bad})
    assert(not ok and e.name == "CRIT_EINVAL"
      and e.message:find("whole number"), tostring(e))
  end
  local sc <close> = crit.Scenario(w, {start = "2026-01-01", periods = 12.0})
  assert(sc:periods() == 12)
end
print("test_market.lua: ok")

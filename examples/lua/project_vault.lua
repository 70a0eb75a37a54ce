-- The Project Vault scenario in Lua: the same scenario as
-- examples/c/project_vault.h, built from the same assumptions on libcrit's
-- default world. Runs under critlua or lua5.4 with crit.so on LUA_CPATH:
--
--   critlua project_vault.lua                 a short report
--   critlua project_vault.lua --csv           the key numbers, full precision
--   critlua project_vault.lua --assumptions   the assumptions, one a line
--
-- `--csv` prints exactly what `crit-report --csv` and
-- examples/python/project_vault.py print; tests/python/test_project_vault.py
-- checks that the three agree, and that the assumption tables are the same.
local crit = require "crit"

-- ---- ASSUMPTIONS: every number not on the public record -------------------
-- (the same table, in the same order, as pv in examples/c/project_vault.h)
local ASSUMPTIONS = {
  {"start_year", 2026}, {"start_month", 2}, -- first period
  {"periods", 120},                         -- monthly periods
  {"transport_share", 0.02},      -- freight on every arc, share of P0
  {"target_days", 60},            -- the stockpile's target (public: 60)
  {"capacity_over_target", 1.5},  -- warehouse capacity / target
  {"build_years", 1.0},           -- years to reach the target at full rate
  {"purchase_trigger", 1.05},     -- B as a multiple of P0
  {"release_trigger", 1.5},       -- T as a multiple of P0
  {"upfront_fee_share", 0.01},    -- firm's upfront fee, share of the value
                                  -- of its part of the target
  {"annual_fee_share", 0.07},     -- its annual fee: the carrying cost
  {"traders", 3},                 -- trading houses procuring
  {"trader_fee", 5e6},            -- USD/yr each
  {"loan_amount", 10e9},          -- public: USD 10 billion
  {"loan_years", 15},             -- public: 15
  {"loan_rate", 0.045},           -- annual fixed rate
  {"loan_availability_months", 36}, -- draws allowed for this long
  {"loan_amortisation", "bullet"},  -- principal at maturity
  {"private_capital", 1.67e9},    -- public: USD 1.67 billion
  {"ban_start", 6}, {"ban_end", 42}, -- periods of the Ga/Sb ban
  {"licence_start", 12},          -- period REE licensing begins
  {"licence_share", 0.5},         -- CHN REE export quota, share of CHN s0
  {"ndpr_floor_usd_per_t", 110000}, -- public: USD 110/kg NdPr oxide
  {"ndpr_share_of_reo", 0.20},    -- NdPr oxide per tonne of REO
  {"ndpr_covered_t", 1300},       -- NdPr oxide a year under the floor
  -- defence (public total about USD 5 billion; the split is assumed)
  {"defence_ga", 1e9}, {"defence_sb", 1.5e9}, {"defence_w", 2.5e9},
  -- USD per t/yr: 100 t/yr Ga, 15,000 t/yr Sb, 10,000 t/yr W
  {"ga_intensity", 1e7}, {"sb_intensity", 1e5}, {"w_intensity", 2.5e5},
  {"defence_lead_years", 3},
  {"ree_budget", 2.5e9},          -- public: USD 2.5 billion
  {"ree_intensity", 50000}, {"ree_lead_years", 4},
}
local a = {}
for _, kv in ipairs(ASSUMPTIONS) do a[kv[1]] = kv[2] end

--- build(world) -> scenario: Project Vault on world (which gets freight on
--- every arc), as pv_build() in project_vault.h.
local function build(w)
  local codes = w:economy_codes()
  for _, m in ipairs(w:minerals()) do
    for _, i in ipairs(codes) do
      for _, j in ipairs(codes) do
        if i ~= j then
          w:set_transport(m.code, i, j, a.transport_share * m.base_price)
        end
      end
    end
  end
  local start = string.format("%04d-%02d-01", a.start_year, a.start_month)
  local sc = crit.Scenario(w, {start = start, periods = a.periods})

  -- The stockpile holds every mineral the United States imports net, sized
  -- at 60 days of its participants' demand: one manufacturers' group per
  -- mineral, whose demand is U.S. demand.
  do
    local sp <close> = crit.Stockpile(w, {economy = "USA",
      name = "Project Vault", cash = a.private_capital})
    for _, m in ipairs(w:minerals()) do
      local c = w:curve("USA", m.code)
      local d = c.base_demand
      if d > c.base_production then
        local p0 = m.base_price
        local target = a.target_days / 365.0 * d
        sp:add_mineral{mineral = m.code,
          capacity = a.capacity_over_target * target,
          target_unit = "days_of_demand", target = a.target_days,
          acquisition_rate = target / a.build_years,
          release_rate = 2 * target, -- empty in six months
          purchase_trigger = a.purchase_trigger * p0,
          release_trigger = a.release_trigger * p0}
        sp:add_participant{name = m.code .. " manufacturers",
          mineral = m.code, demand = d,
          upfront_fee = a.upfront_fee_share * target * p0,
          annual_fee = a.annual_fee_share * target * p0,
          draw_right = target / 2, draw_price = p0, replenish_rate = target}
      end
    end
    for i = 1, a.traders do
      sp:add_participant{name = "trader " .. i, kind = "trader",
                         annual_fee = a.trader_fee}
    end
    sc:add_stockpile(sp)
  end

  -- The EXIM loan: drawn on demand, interest only during availability
  do
    local loan <close> = crit.Loan{commitment = a.loan_amount, start = start,
      maturity = crit.add_months(start, 12 * a.loan_years),
      availability_end = crit.add_months(start, a.loan_availability_months)
        - 1,
      rate = a.loan_rate, amortisation = a.loan_amortisation}
    sc:add_loan(loan, 0)
  end

  -- Reference prices at P0 held by adjustable tariffs, for the minerals
  -- under restriction; the NdPr floor on U.S. REO
  for _, code in ipairs({"Ga", "Sb", "REE"}) do
    local pol <close> = crit.Policy(w, code)
    pol:set_reference_price(w:mineral(code).base_price)
    if code == "REE" then
      local s0 = w:curve("USA", "REE").base_production
      pol:set_floor("USA", {floor = a.ndpr_floor_usd_per_t
        * a.ndpr_share_of_reo,
        covered_share = a.ndpr_covered_t / a.ndpr_share_of_reo / s0})
    end
    sc:set_policy(pol)
  end

  -- China's ban on Ga and Sb to the United States, then REE licensing
  for _, code in ipairs({"Ga", "Sb"}) do
    sc:add_event{kind = "export_ban", period = a.ban_start, mineral = code,
                 economy = "CHN", partner = "USA"}
    sc:add_event{kind = "export_ban_end", period = a.ban_end, mineral = code,
                 economy = "CHN", partner = "USA"}
  end
  sc:add_event{kind = "export_quota", period = a.licence_start,
    mineral = "REE", economy = "CHN",
    value = a.licence_share * w:curve("CHN", "REE").base_production}

  -- Capacity programmes
  for _, p in ipairs({{"Ga", a.defence_ga, a.ga_intensity},
                      {"Sb", a.defence_sb, a.sb_intensity},
                      {"W", a.defence_w, a.w_intensity}}) do
    sc:add_programme(crit.Programme{economy = "USA", mineral = p[1],
      budget = p[2], capital_intensity = p[3],
      lead_time = a.defence_lead_years, name = "defence: " .. p[1]})
  end
  sc:add_programme(crit.Programme{economy = "USA", mineral = "REE",
    budget = a.ree_budget, capital_intensity = a.ree_intensity,
    lead_time = a.ree_lead_years, name = "domestic rare earths"})
  return sc
end

local function index_of(list, v)
  for i, x in ipairs(list) do if x == v then return i - 1 end end
  error("no " .. v)
end

--- key_numbers(result) -> array of {name, value}: what `crit-report
--- --csv` prints, summed in the same order as there.
local function key_numbers(r)
  local T, K, E = r.periods, #r.minerals, #r.economies
  local price = r:series("price")
  local shortage = r:series("shortage")
  local inv = r:series("inventory")   -- [t][0][k]: stockpile 0
  local cover = r:series("cover_days")
  local member = {}
  for _, e in ipairs(r.members) do member[e] = true end
  local out = {}
  local function add(name, v) out[#out + 1] = {name, v} end
  for _, m in ipairs({"Ga", "Sb", "REE"}) do
    local k = index_of(r.minerals, m)
    for _, e in ipairs({"USA", "EU", "CHN"}) do
      local i = index_of(r.economies, e)
      for _, t in ipairs({0, 12, 36, T - 1}) do
        add(string.format("price.%s.%s.%d", m, e, t),
            price[(t * K + k) * E + i + 1])
      end
    end
    local sh = 0.0
    for t = 0, T - 1 do
      for i = 0, E - 1 do
        if member[r.economies[i + 1]] then
          sh = sh + shortage[(t * K + k) * E + i + 1]
        end
      end
    end
    add("shortage." .. m, sh)
    add("inventory." .. m .. ".end", inv[(T - 1) * K + k + 1])
    add("cover_days." .. m .. ".end", cover[(T - 1) * K + k + 1])
  end
  for _, s in ipairs({{"public_cost", "public_cost"},
                      {"funding_gap", "funding_gap"}, {"cfd_net", "cfd_net"},
                      {"levy_revenue", "levy_total"},
                      {"programme_spending", "programme_spending"}}) do
    local v, total = r:values(s[2]), 0.0
    for t = 1, T do total = total + v[t] end
    add("total." .. s[1], total)
  end
  local bal = r:values("loan_balance")
  for t = 11, T - 1, 12 do add("loan_balance." .. t, bal[t + 1]) end
  add("cash.end", r:values("cash")[T])
  return out
end

local function report(r)
  local dates = r:dates()
  print(string.format("Project Vault, %s to %s (%d monthly periods)",
    dates[1], dates[#dates], r.periods))
  print("\nPrices (USD/t) inside (USA, EU) and outside (CHN, ROW) the "
    .. "coalition")
  local at = {0, 6, 12, 24, 42, 60, r.periods - 1}
  local line = "           "
  for _, t in ipairs(at) do
    line = line .. string.format("%11s", dates[t + 1]:sub(1, 7))
  end
  print(line)
  for _, m in ipairs({"Ga", "Sb", "REE"}) do
    for n, e in ipairs({"USA", "EU", "CHN", "ROW"}) do
      local p = r:values("price", {mineral = m, economy = e})
      line = string.format("  %-4s %-4s ", n == 1 and m or "", e)
      for _, t in ipairs(at) do
        line = line .. string.format("%11.0f", p[t + 1])
      end
      print(line)
    end
  end
  local bal, cost = r:values("loan_balance"), r:values("public_cost")
  local total = 0
  for _, c in ipairs(cost) do total = total + c end
  print(string.format("\nLoan balance at the end: USD %.1f million; cost to "
    .. "the public purse: USD %.1f million", bal[#bal] / 1e6, total / 1e6))
end

local args = arg or {}
local mode = args[1]
if mode == "--assumptions" then
  for _, kv in ipairs(ASSUMPTIONS) do
    if type(kv[2]) == "string" then
      print(kv[1] .. "," .. kv[2])
    else
      print(string.format("%s,%.17g", kv[1], kv[2]))
    end
  end
else
  local w <close> = crit.World.default()
  local sc <close> = build(w)
  local r <close> = sc:run()
  if mode == "--csv" then
    for _, kv in ipairs(key_numbers(r)) do
      print(string.format("%s,%.17g", kv[1], kv[2]))
    end
  else
    report(r)
  end
end

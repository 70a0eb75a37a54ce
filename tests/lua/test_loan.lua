-- The Lua binding of dates and loans, checked against closed forms.
-- Runs under lua5.4 (require "crit" from LUA_CPATH) and under critlua.
local crit = require "crit"

local function close_to(a, b, rel)
  return math.abs(a - b) <= (rel or 1e-12) * math.max(1, math.abs(b))
end

-- dates
assert(crit.date("1970-01-01") == 0 and crit.date("2000-03-01") == 11017)
assert(crit.date_string(crit.add_months("2024-01-31", 1)) == "2024-02-29")
assert(crit.date_string(crit.add_months("2023-02-28", 1, true))
       == "2023-03-31")
assert(close_to(crit.year_fraction("2023-12-31", "2024-01-31",
                                   "ACT/ACT ISDA"), 1 / 365 + 30 / 366))
-- the defaults: 30/360 (Jan 31 -> Mar 1 is (60 - 29) / 360), no month-end
assert(close_to(crit.year_fraction("2026-01-31", "2026-03-01"), 31 / 360))
assert(crit.date_string(crit.add_months("2023-02-28", 1)) == "2023-03-28")
local ok, e = pcall(crit.date, "2023-02-29")
assert(not ok and e.name == "CRIT_EINVAL" and e.message:find("February 2023"))

-- a 10-year monthly annuity: payment B q / (1 - (1+q)^-n), closing 0
do
  local loan <close> = crit.Loan{commitment = 1e6, start = "2025-01-15",
    maturity = "2035-01-15", rate = 0.06, draws = {{"2025-01-15", 1e6}}}
  assert(#loan == 121)
  assert(math.type(#loan) == "integer") -- counts are Lua integers
  local q, n = 0.005, 120
  local a = 1e6 * q / (1 - (1 + q) ^ -n)
  local rows = loan:schedule()
  assert(rows[1].date == "2025-01-15" and rows[121].date == "2035-01-15")
  for k = 2, 121 do
    local r = rows[k]
    assert(close_to(r.payment, a, 1e-11), k)
    assert(r.payment == r.interest + r.principal + r.fees)
    assert(r.closing == r.opening + r.draws + r.capitalised - r.principal)
  end
  assert(rows[121].closing == 0)
  assert(close_to(loan:totals().principal, 1e6))
  local interest = loan:column("interest")
  assert(#interest == 121)
  for k = 1, 121 do assert(interest[k] == rows[k].interest, k) end
  local ok, e = pcall(loan.column, loan, "nonsense")
  assert(not ok and e.code == -1 and e.message:find("nonsense"), tostring(e))
end

-- a floating rate plus spread, six capitalised grace periods
do
  local loan <close> = crit.Loan{commitment = 1e6, start = "2025-01-15",
    maturity = "2035-01-15", curve = {{"2020-01-01", 0.03},
    {"2026-01-15", 0.05}}, spread = 0.01, grace_periods = 6,
    grace = "capitalised", draws = {{"2025-01-15", 1e6}}}
  local rows = loan:schedule()
  assert(rows[2].rate == 0.03 + 0.01 and rows[121].rate == 0.05 + 0.01)
  for k = 2, 7 do assert(rows[k].payment == 0, k) end
  assert(rows[8].payment > 0)
  assert(close_to(rows[7].closing, 1e6 * (1 + 0.04 / 12) ^ 6))
end

-- sculpted: the debt service follows the profile 1:3; by hand, P1 + 0.1 *
-- 100 = x and (100 - P1) * 1.1 = 3x give P1 = 80 / 4.1
do
  local loan <close> = crit.Loan{commitment = 100, start = "2025-01-01",
    maturity = "2027-01-01", rate = 0.1, frequency = 1,
    draws = {{"2025-01-01", 100}}, amortisation = "sculpted",
    profile = {1, 3}}
  local rows = loan:schedule()
  assert(close_to(rows[2].principal, 80 / 4.1))
  assert(close_to(rows[3].payment, 3 * rows[2].payment))
end

-- on demand, errors, IRR of a known stream, use after close
local loan = crit.Loan{commitment = 100, start = "2025-01-01",
  maturity = "2026-01-01", availability_end = "2025-06-30", rate = 0.10,
  frequency = 1, day_count = "ACT/365F", amortisation = "bullet"}
ok, e = pcall(loan.irr, loan)
assert(not ok and e.name == "CRIT_EDOMAIN")
ok, e = pcall(loan.draw, loan, "2025-07-01", 10)
assert(not ok and e.message:find("after the end of availability"))
loan:draw("2025-01-01", 100)
assert(loan:undrawn("2025-02-01") == 0)
assert(close_to(loan:irr(), 0.10, 1e-13))
assert(close_to(loan:wal(), 1.0))
assert(loan:row_at("2025-06-01") == 1)
ok, e = pcall(crit.Loan, {commitment = 1, start = "2025-01-01",
  maturity = "2026-01-01", rate = 0.05, frequency = 3})
assert(not ok and e.message:find("frequency 3"))
ok, e = pcall(crit.Loan, {commitment = 1, start = "2025-01-01",
  maturity = "2026-01-01", rate = 0.05, amortisation = "balloon"})
assert(not ok and e.message:find("amortisation"))
loan:close()
ok, e = pcall(loan.irr, loan)
assert(not ok and e.name == "CRIT_ESTATE")

print("test_loan.lua: ok")

-- crit.lua: the Lua layer of libcrit's binding. It is compiled into crit.so
-- (and critlua) and run by luaopen_crit with the raw SWIG module crit_core
-- as its argument; what it returns is the module `require "crit"` gives.
--
-- Errors: every libcrit failure is raised as a Lua error whose value is a
-- table {code = -1, name = "CRIT_EINVAL", message = "..."}; tostring()
-- gives "CRIT_EINVAL: ...". crit.codes.EINVAL == -1, crit.is_error(v).

local core = ...

local M = {}

if core.COMPILED_VERSION_NUMBER ~= core.version_number() then
  error(string.format("crit: module built against libcrit %d but the loaded "
    .. "libcrit is %d; rebuild it or fix the library path",
    core.COMPILED_VERSION_NUMBER, core.version_number()), 0)
end

M.VERSION = core.version_string()
M.version = core.version_string
M.version_number = core.version_number
M.strerror = core.strerror
M.error_name = core.error_name

-- crit.codes: EINVAL = -1, ... from the library's own table.
M.codes = {}
do
  local code = -1
  while core.error_name(code) ~= "CRIT_UNKNOWN" do
    M.codes[core.error_name(code):sub(6)] = code
    code = code - 1
  end
end
local codes = M.codes

local error_mt = core.error_metatable()

--- crit.is_error(v) -> boolean: whether v is a libcrit error value.
function M.is_error(v)
  return getmetatable(v) == error_mt
end

local raise = core.raise

local function options(opts, allowed, fn)
  if opts == nil then return {} end
  if type(opts) ~= "table" then
    raise(codes.EINVAL, fn .. ": options must be a table, got " .. type(opts))
  end
  for k in pairs(opts) do
    if not allowed[k] then
      raise(codes.EINVAL, fn .. ": unknown option '" .. tostring(k) .. "'")
    end
  end
  return opts
end

local function flag(v, default)
  if v == nil then v = default end
  return v and 1 or 0
end

-- Value of fn(...), or nil where the indicator is undefined (EDOMAIN).
local function defined(fn, ...)
  local ok, v = pcall(fn, ...)
  if ok then return v end
  if M.is_error(v) and v.code == codes.EDOMAIN then return nil end
  error(v, 0)
end

---------------------------------------------------------------------------
-- crit.World
---------------------------------------------------------------------------

local World = {}
World.__index = World
World.__name = "crit.World"

local function wrap(h)
  return setmetatable({_h = h}, World)
end

--- crit.World() -> world: a new, empty world. Free it with w:close() or
--- `local w <close> = crit.World()`; the collector frees it otherwise.
setmetatable(World, {__call = function() return wrap(core.world_new()) end})
M.World = World

function World:close()
  local h = self._h
  self._h = nil
  if h then core.world_close(h) end
end

function World:closed() return self._h == nil end

World.__close = World.close

function World.__eq(a, b)
  return core.world_equal(a._h, b._h) == 1
end

function World:__tostring()
  if not self._h then return "crit.World (closed)" end
  return string.format("crit.World: %d minerals, %d economies (%d members)",
    core.world_mineral_count(self._h), core.world_economy_count(self._h),
    core.world_member_count(self._h))
end

--- w:copy() -> world: a deep copy.
function World:copy() return wrap(core.world_copy(self._h)) end

-- minerals ---------------------------------------------------------------

local mineral_opts = {name = true, basis = true, choke_price = true,
                      holding_cost = true}

--- w:add_mineral(code, base_price [, {name=, basis=, choke_price=,
--- holding_cost=}]): prices USD/t; choke_price defaults to 10 * base_price.
function World:add_mineral(code, base_price, opts)
  local o = options(opts, mineral_opts, "add_mineral")
  core.world_add_mineral(self._h, code, base_price, o.name, o.basis,
    o.choke_price or 0, o.holding_cost or 0)
end

local function mineral_at(h, i)
  local code, name, basis, p0, pmax, hold = core.world_mineral_get(h, i)
  return {code = code, name = name, basis = basis, base_price = p0,
          choke_price = pmax, holding_cost = hold}
end

--- w:mineral(code) -> {code, name, basis, base_price, choke_price,
--- holding_cost}
function World:mineral(code)
  return mineral_at(self._h, core.world_mineral_index(self._h, code))
end

--- w:minerals() -> array of mineral tables, in the order added.
function World:minerals()
  local t = {}
  for i = 0, core.world_mineral_count(self._h) - 1 do
    t[#t + 1] = mineral_at(self._h, i)
  end
  return t
end

--- w:mineral_codes() -> array of codes.
function World:mineral_codes()
  local t = {}
  for i = 0, core.world_mineral_count(self._h) - 1 do
    t[#t + 1] = core.world_mineral_code(self._h, i)
  end
  return t
end

-- economies --------------------------------------------------------------

local economy_opts = {name = true, member = true}

--- w:add_economy(code [, {name=, member=false}])
function World:add_economy(code, opts)
  local o = options(opts, economy_opts, "add_economy")
  core.world_add_economy(self._h, code, o.name, flag(o.member, false))
end

--- w:set_member(code [, member=true])
function World:set_member(code, member)
  core.world_set_member(self._h, code, flag(member, true))
end

local function economy_at(h, i)
  local code, name, member = core.world_economy_get(h, i)
  return {code = code, name = name, member = member == 1}
end

--- w:economy(code) -> {code, name, member}
function World:economy(code)
  return economy_at(self._h, core.world_economy_index(self._h, code))
end

--- w:economies() -> array of economy tables, in the order added.
function World:economies()
  local t = {}
  for i = 0, core.world_economy_count(self._h) - 1 do
    t[#t + 1] = economy_at(self._h, i)
  end
  return t
end

--- w:economy_codes() -> array of codes.
function World:economy_codes()
  local t = {}
  for i = 0, core.world_economy_count(self._h) - 1 do
    t[#t + 1] = core.world_economy_code(self._h, i)
  end
  return t
end

--- w:members() -> array of the coalition members' codes.
function World:members()
  local t = {}
  for _, e in ipairs(self:economies()) do
    if e.member then t[#t + 1] = e.code end
  end
  return t
end

-- supply and demand -------------------------------------------------------

local curve_opts = {base_production = true, capacity = true,
                    supply_elasticity = true, base_demand = true,
                    demand_elasticity = true}

--- w:set_curve(economy, mineral, {base_production=, capacity=,
--- supply_elasticity=, base_demand=, demand_elasticity=}): t/yr; fields
--- default to 0, capacity to base_production.
function World:set_curve(economy, mineral, opts)
  local o = options(opts, curve_opts, "set_curve")
  local s0 = o.base_production or 0
  core.world_set_curve(self._h, economy, mineral, s0, o.capacity or s0,
    o.supply_elasticity or 0, o.base_demand or 0, o.demand_elasticity or 0)
end

--- w:curve(economy, mineral) -> table with the fields of set_curve.
function World:curve(economy, mineral)
  local s0, k, eta, d0, eps = core.world_curve_get(self._h, economy, mineral)
  return {base_production = s0, capacity = k, supply_elasticity = eta,
          base_demand = d0, demand_elasticity = eps}
end

-- trade -------------------------------------------------------------------

--- w:set_transport(mineral, exporter, importer, usd_per_t)
function World:set_transport(mineral, exporter, importer, usd_per_t)
  core.world_set_transport(self._h, mineral, exporter, importer, usd_per_t)
end

--- w:set_tariff(mineral, exporter, importer [, usd_per_t=0, ad_valorem=0])
function World:set_tariff(mineral, exporter, importer, usd_per_t, ad_valorem)
  core.world_set_tariff(self._h, mineral, exporter, importer, usd_per_t or 0,
    ad_valorem or 0)
end

--- w:set_export_tax(mineral, exporter [, usd_per_t=0, ad_valorem=0])
function World:set_export_tax(mineral, exporter, usd_per_t, ad_valorem)
  core.world_set_export_tax(self._h, mineral, exporter, usd_per_t or 0,
    ad_valorem or 0)
end

--- w:set_export_ban(mineral, exporter, importer [, banned=true])
function World:set_export_ban(mineral, exporter, importer, banned)
  core.world_set_export_ban(self._h, mineral, exporter, importer,
    flag(banned, true))
end

--- w:set_import_ban(mineral, importer, exporter [, banned=true])
function World:set_import_ban(mineral, importer, exporter, banned)
  core.world_set_import_ban(self._h, mineral, importer, exporter,
    flag(banned, true))
end

--- w:set_export_quota(mineral, exporter, t_per_yr)
function World:set_export_quota(mineral, exporter, t_per_yr)
  core.world_set_export_quota(self._h, mineral, exporter, t_per_yr)
end

--- w:clear_export_quota(mineral, exporter)
function World:clear_export_quota(mineral, exporter)
  core.world_clear_export_quota(self._h, mineral, exporter)
end

--- w:export_quota(mineral, exporter) -> t/yr, math.huge when none.
function World:export_quota(mineral, exporter)
  return core.world_export_quota_get(self._h, mineral, exporter)
end

--- w:wedge(mineral, exporter, importer) -> {transport, tariff, export_tax,
--- total, allowed} (USD/t; allowed false when a ban closes the arc)
function World:wedge(mineral, exporter, importer)
  local h = self._h
  local transport, tariff, tax = core.world_arc_get(h, mineral, exporter,
    importer)
  local total, allowed = core.world_arc_wedge(h, mineral, exporter, importer)
  return {transport = transport, tariff = tariff, export_tax = tax,
          total = total, allowed = allowed == 1}
end

-- supply-risk indicators (MODEL.md section 10) ----------------------------

--- w:hhi(mineral) -> 0..10000; raises EDOMAIN when nobody produces it.
function World:hhi(mineral) return core.risk_hhi(self._h, mineral) end

--- w:top_producer(mineral) -> code, share
function World:top_producer(mineral)
  local i, share = core.risk_top_producer(self._h, mineral)
  return core.world_economy_code(self._h, i), share
end

--- w:self_sufficiency(mineral) -> members' production / members' demand
function World:self_sufficiency(mineral)
  return core.risk_self_sufficiency(self._h, mineral)
end

--- w:net_import_reliance(economy, mineral) -> (d0 - s0) / d0
function World:net_import_reliance(economy, mineral)
  return core.risk_net_import_reliance(self._h, economy, mineral)
end

--- w:world_production(mineral) -> t/yr
function World:world_production(mineral)
  return core.risk_world_production(self._h, mineral)
end

--- w:risk_table() -> array, one row per mineral: {mineral,
--- world_production, hhi, top_producer, top_share, self_sufficiency,
--- net_import_reliance = {[member code] = ratio}}; undefined values are nil.
function World:risk_table()
  local rows, members = {}, self:members()
  for _, m in ipairs(self:mineral_codes()) do
    local row = {mineral = m, world_production = self:world_production(m),
                 hhi = defined(self.hhi, self, m),
                 self_sufficiency = defined(self.self_sufficiency, self, m),
                 net_import_reliance = {}}
    local ok, top, share = pcall(self.top_producer, self, m)
    if ok then
      row.top_producer, row.top_share = top, share
    elseif not (M.is_error(top) and top.code == codes.EDOMAIN) then
      error(top, 0)
    end
    for _, e in ipairs(members) do
      row.net_import_reliance[e] = defined(self.net_import_reliance, self, e,
        m)
    end
    rows[#rows + 1] = row
  end
  return rows
end

---------------------------------------------------------------------------
-- dates and crit.Loan (crit/date.h, crit/loan.h)
---------------------------------------------------------------------------

--- crit.date(d) -> integer: a date as a libcrit day number (days since
--- 1970-01-01); d is "YYYY-MM-DD" or already a day number.
local function day(d)
  if math.type(d) == "integer" then return d end
  if type(d) == "string" then return core.date_parse(d) end
  raise(codes.EINVAL, "date: expected 'YYYY-MM-DD' or a day number, got "
    .. type(d))
end
M.date = day

--- crit.date_string(day) -> "YYYY-MM-DD".
function M.date_string(d)
  local y, m, dd = core.date_to_ymd(day(d))
  return string.format("%04d-%02d-%02d", y, m, dd)
end

--- crit.add_months(d, months [, end_of_month]) -> day number (see
--- crit_date_add_months: Jan 31 + 1 month is Feb 28/29).
function M.add_months(d, months, eom)
  return core.date_add_months(day(d), months, flag(eom, false))
end

local day_counts = {["ACT/360"] = core.CRIT_DAY_COUNT_ACT_360,
                    ["ACT/365F"] = core.CRIT_DAY_COUNT_ACT_365F,
                    ["30/360"] = core.CRIT_DAY_COUNT_30_360,
                    ["ACT/ACT ISDA"] = core.CRIT_DAY_COUNT_ACT_ACT_ISDA}
local amortisations = {annuity = core.CRIT_LOAN_ANNUITY,
                       equal_principal = core.CRIT_LOAN_EQUAL_PRINCIPAL,
                       bullet = core.CRIT_LOAN_BULLET,
                       sculpted = core.CRIT_LOAN_SCULPTED}
local grace_modes = {interest_only = core.CRIT_LOAN_GRACE_INTEREST_ONLY,
                     capitalised = core.CRIT_LOAN_GRACE_CAPITALISED}

local function choice(v, tbl, field)
  local c = tbl[v]
  if c == nil then
    raise(codes.EINVAL, "loan: " .. field .. " '" .. tostring(v)
      .. "' is not a known value")
  end
  return c
end

--- crit.year_fraction(start, end_ [, day_count = "30/360"]) -> number.
function M.year_fraction(a, b, dc)
  return core.day_count_year_fraction(choice(dc or "30/360", day_counts,
    "day_count"), day(a), day(b))
end

local Loan = {}
Loan.__index = Loan
Loan.__name = "crit.Loan"
M.LOAN_COLUMNS = {"opening", "draws", "interest", "capitalised",
                  "principal", "fees", "payment", "closing", "rate"}

local loan_opts = {commitment = true, start = true, maturity = true,
                   rate = true, curve = true, spread = true,
                   availability_end = true, draws = true, frequency = true,
                   day_count = true, end_of_month = true,
                   amortisation = true, grace_periods = true, grace = true,
                   profile = true, upfront_fee = true, commitment_fee = true}

--- crit.Loan{commitment=, start=, maturity=, rate= | curve={{date, rate},
--- ...} and spread=, availability_end= (default start), draws={{date,
--- amount}, ...}, frequency=12, day_count="30/360", end_of_month=false,
--- amortisation="annuity" | "equal_principal" | "bullet" | "sculpted",
--- profile={weights}, grace_periods=0, grace="interest_only" |
--- "capitalised", upfront_fee=0, commitment_fee=0} -> loan.
--- Conventions as in crit/loan.h and docs/loans.md.
setmetatable(Loan, {__call = function(_, opts)
  local o = options(opts, loan_opts, "Loan")
  local spec <close> = setmetatable({h = core.loan_spec_new()},
    {__close = function(s) core.loan_spec_close(s.h) end})
  for _, p in ipairs(o.curve or {}) do
    core.loan_spec_add_curve_point(spec.h, day(p[1]), p[2])
  end
  for _, w in ipairs(o.profile or {}) do
    core.loan_spec_add_weight(spec.h, w)
  end
  for _, d in ipairs(o.draws or {}) do
    core.loan_spec_add_draw(spec.h, day(d[1]), d[2])
  end
  local start = day(o.start)
  local h = core.loan_new(spec.h, o.commitment, start, day(o.maturity),
    o.availability_end and day(o.availability_end) or start,
    o.frequency or 12, choice(o.day_count or "30/360", day_counts,
    "day_count"), flag(o.end_of_month, false), o.rate or 0, o.spread or 0,
    choice(o.amortisation or "annuity", amortisations, "amortisation"),
    choice(o.grace or "interest_only", grace_modes, "grace"),
    o.grace_periods or 0, o.upfront_fee or 0, o.commitment_fee or 0)
  return setmetatable({_h = h}, Loan)
end})
M.Loan = Loan

function Loan:close()
  local h = self._h
  self._h = nil
  if h then core.loan_close(h) end
end
Loan.__close = Loan.close
function Loan:closed() return self._h == nil end

--- #loan: number of schedule rows (periods + 1; row 0 at the start).
function Loan:__len() return core.loan_row_count(self._h) end

function Loan:__tostring()
  if not self._h then return "crit.Loan (closed)" end
  return string.format("crit.Loan: %d periods", #self - 1)
end

--- loan:draw(date, amount): an on-demand draw; recomputes the schedule.
function Loan:draw(d, amount) core.loan_draw(self._h, day(d), amount) end

--- loan:undrawn(date) -> commitment still available on that date.
function Loan:undrawn(d) return core.loan_undrawn(self._h, day(d)) end

--- loan:row_at(date) -> index (0-based) of the row whose period holds date.
function Loan:row_at(d) return core.loan_row_at(self._h, day(d)) end

--- loan:row(index) -> {date = "YYYY-MM-DD", day =, opening =, ...}, index
--- 0-based like the C API.
function Loan:row(i)
  local v = table.pack(core.loan_row_get(self._h, i))
  local r = {day = v[1], date = M.date_string(v[1])}
  for j, name in ipairs(M.LOAN_COLUMNS) do r[name] = v[j + 1] end
  return r
end

--- loan:column(name) -> array of one schedule column ("interest", ...),
--- one value per row, read in one call.
function Loan:column(name)
  for j, col in ipairs(M.LOAN_COLUMNS) do
    if col == name then
      return core.loan_column(#self, self._h, j - 1)
    end
  end
  raise(codes.EINVAL, string.format("loan column '%s' is unknown", tostring(name)))
end

--- loan:schedule() -> array of rows (schedule[1] is row 0, at the start).
function Loan:schedule()
  local rows = {}
  for i = 0, #self - 1 do rows[i + 1] = self:row(i) end
  return rows
end

--- loan:totals() -> {draws, interest, capitalised, principal, fees, payment}.
function Loan:totals()
  local d, i, c, p, f, pay = core.loan_totals_get(self._h)
  return {draws = d, interest = i, capitalised = c, principal = p, fees = f,
          payment = pay}
end

--- loan:npv(rate), loan:irr(), loan:wal(): see crit/loan.h (annual
--- compounding, ACT/365F years from the start date).
function Loan:npv(rate) return core.loan_npv(self._h, rate) end
function Loan:irr() return core.loan_irr(self._h) end
function Loan:wal() return core.loan_wal(self._h) end

-- the default world (crit/data.h) ------------------------------------------

--- crit.World.default() -> world: the default world, built from the USGS
--- Mineral Commodity Summaries 2026 data compiled into libcrit; see
--- crit.data_source() and docs/data.md for where each number comes from.
function World.default() return wrap(core.world_default()) end

--- crit.data_version() -> string: USGS release, checksum, data year and
--- assumptions revision of the default world.
M.data_version = core.data_version

local function source(mineral, economy, field, value, unit, src, year, rows,
                      note)
  return {mineral = mineral, economy = economy, field = field, value = value,
          unit = unit, source = src, year = year, rows = rows, note = note}
end

--- crit.data_source(mineral, economy, field) -> {mineral, economy, field,
--- value, unit, source, year, rows, note}: where a number of the default
--- world comes from; mineral or economy may be nil for an economy's or a
--- mineral-wide record. Raises CRIT_ENOTFOUND when there is none.
function M.data_source(mineral, economy, field)
  return source(core.data_source(mineral, economy, field))
end

--- crit.data_records() -> array of the tables crit.data_source() returns,
--- one per number of the default world.
function M.data_records()
  local out = {}
  for i = 0, core.data_record_count() - 1 do
    out[#out + 1] = source(core.data_record_get(i))
  end
  return out
end

---------------------------------------------------------------------------
-- snapshots and CSV (crit/io.h)
---------------------------------------------------------------------------

--- CSV table names (docs/format.md) and their crit_csv_table values.
M.csv_tables = {minerals = 1, economies = 2, curves = 3, arcs = 4,
                exports = 5, series = 6}

local function csv_table(name)
  local t = M.csv_tables[name]
  if not t then
    raise(codes.EINVAL, "unknown CSV table '" .. tostring(name) .. "'")
  end
  return t
end

--- w:save(path [, {level=}]): write a snapshot atomically; level is the
--- deflate level 0-9 (default 6).
function World:save(path, opts)
  local o = options(opts, {level = true}, "save")
  core.io_save(path, self._h, o.level or -1)
end

--- crit.load(path [, {max_uncompressed_bytes=}]) -> world: read a snapshot,
--- checked in full first; errors name the chunk and byte offset.
function M.load(path, opts)
  local o = options(opts, {max_uncompressed_bytes = true}, "load")
  return wrap(core.io_load(path, o.max_uncompressed_bytes or 0))
end

--- crit.read_csv(path, table [, {base=world}]) -> world: one CSV table
--- ("economies", "minerals", "curves", "arcs", "exports") applied to a copy
--- of base (or an empty world); errors name the file, line and column.
function M.read_csv(path, table, opts)
  local o = options(opts, {base = true}, "read_csv")
  local t = csv_table(table)
  if o.base then return wrap(core.io_csv_import(o.base._h, t, path)) end
  return wrap(core.io_csv_import_new(t, path))
end

--- w:read_csv(path, table) -> world: a copy of w with the table's rows.
function World:read_csv(path, table)
  return M.read_csv(path, table, {base = self})
end

--- w:to_csv(path [, table [, {compress=}]]): write one table ("series",
--- the tidy mineral,economy,series,period,value layout, by default);
--- compress: nil gzips when path ends in ".gz", true/false force it.
function World:to_csv(path, table, opts)
  local o = options(opts, {compress = true}, "to_csv")
  local c = -1
  if o.compress ~= nil then c = o.compress and 1 or 0 end
  core.io_csv_export(path, self._h, csv_table(table or "series"), c)
end

---------------------------------------------------------------------------
-- crit.Policy and crit.Market (crit/policy.h, crit/market.h)
---------------------------------------------------------------------------

--- crit.QUANTITIES: names of the per-economy results, in order (the keys
--- of the rows m:nodes() returns).
M.QUANTITIES = {}
for q = 0, core.CRIT_MARKET_QUANTITY_COUNT - 1 do
  M.QUANTITIES[q + 1] = core.market_quantity_name(q)
end
local quantity_index = {}
for i, name in ipairs(M.QUANTITIES) do quantity_index[name] = i - 1 end

local Policy = {}
Policy.__index = Policy
Policy.__name = "crit.Policy"

--- crit.Policy(world, mineral) -> policy: the pricing mechanisms of one
--- mineral, every one off. A market given it reads it at every solve.
setmetatable(Policy, {__call = function(_, world, mineral)
  return setmetatable({_h = core.policy_new(world._h, mineral)}, Policy)
end})
M.Policy = Policy

function Policy:close()
  local h = self._h
  self._h = nil
  if h then core.policy_close(h) end
end
Policy.__close = Policy.close
function Policy:closed() return self._h == nil end

--- p:set_external_tariff(usd_per_t): on every arc from a non-member into
--- a member; 0 switches it off. p:external_tariff() reads it.
function Policy:set_external_tariff(v)
  core.policy_set_external_tariff(self._h, v)
end
function Policy:external_tariff() return core.policy_external_tariff(self._h) end

--- p:set_reference_price(usd_per_t): the reference price held by the
--- adjustable tariff (levy); 0 switches it off.
function Policy:set_reference_price(v)
  core.policy_set_reference_price(self._h, v)
end
function Policy:reference_price() return core.policy_reference_price(self._h) end

local floor_opts = {floor = true, covered_share = true, upside_share = true}

--- p:set_floor(economy, {floor=, covered_share=1, upside_share=0}): a
--- price floor by contract for difference on the economy's production.
function Policy:set_floor(economy, opts)
  local o = options(opts, floor_opts, "set_floor")
  core.policy_set_floor(self._h, economy, o.floor or 0, o.covered_share or 1,
    o.upside_share or 0)
end

--- p:clear_floor(economy): remove the economy's floor.
function Policy:clear_floor(economy) core.policy_clear_floor(self._h, economy) end

--- p:floor(economy) -> {floor=, covered_share=, upside_share=} or nil.
function Policy:floor(economy)
  local on, f, th, phi = core.policy_floor_get(self._h, economy)
  if on == 0 then return nil end
  return {floor = f, covered_share = th, upside_share = phi}
end

local Market = {}
Market.__index = Market
Market.__name = "crit.Market"

local market_opts = {policy = true, period_length = true, tolerance = true,
                     max_iterations = true, warm_start = true}

local function economy_codes(world)
  local out = {}
  for i = 0, core.world_economy_count(world._h) - 1 do
    out[i + 1] = core.world_economy_code(world._h, i)
  end
  return out
end

--- crit.Market(world, mineral [, {policy=, period_length=1/12,
--- tolerance=1e-9, max_iterations=100000, warm_start=true}]) -> market:
--- one mineral of a world in one period (MODEL.md sections 3 to 5).
setmetatable(Market, {__call = function(_, world, mineral, opts)
  local o = options(opts, market_opts, "Market")
  local m = setmetatable({_h = core.market_new(world._h, mineral),
                          _world = world, codes = economy_codes(world),
                          _has_ref = false}, Market)
  core.market_set_options(m._h, o.tolerance or 1e-9,
    o.max_iterations or 100000, flag(o.warm_start, true))
  core.market_set_period_length(m._h, o.period_length or 1 / 12)
  if o.policy then m:set_policy(o.policy) end
  return m
end})
M.Market = Market

function Market:close()
  local h = self._h
  self._h = nil
  if h then core.market_close(h) end
end
Market.__close = Market.close
function Market:closed() return self._h == nil end

--- m:resize(): take in economies added to the world since creation.
function Market:resize()
  core.market_resize(self._h)
  self.codes = economy_codes(self._world)
  self._has_ref = false
end

--- m:set_policy(policy or nil)
function Market:set_policy(p)
  if p == nil then
    core.market_clear_policy(self._h)
  else
    core.market_set_policy(self._h, p._h)
  end
  self._policy = p
end

--- m:set_period_length(years)
function Market:set_period_length(v) core.market_set_period_length(self._h, v) end

-- {code = value} or an array in economy order -> array; others default 1.
local function per_economy(self, values, what)
  if values == nil then return {} end
  local out, named = {}, false
  for k in pairs(values) do if type(k) == "string" then named = true end end
  if not named then return values end
  local index = {}
  for i, c in ipairs(self.codes) do out[i] = 1; index[c] = i end
  for k, v in pairs(values) do
    if not index[k] then
      raise(codes.ENOTFOUND, what .. ": economy '" .. tostring(k)
        .. "' is not in the market")
    end
    out[index[k]] = v
  end
  return out
end

--- m:set_availability({CHN = 0.5} or {a1, a2, ...} or nil for all 1)
function Market:set_availability(values)
  local arr = per_economy(self, values, "availability")
  if values == nil then arr = {} for i = 1, #self.codes do arr[i] = 1 end end
  core.market_set_availability(self._h, arr)
end

--- m:set_demand_level({USA = 1.1} or {g1, g2, ...} or nil for all 1)
function Market:set_demand_level(values)
  local arr = per_economy(self, values, "demand level")
  if values == nil then arr = {} for i = 1, #self.codes do arr[i] = 1 end end
  core.market_set_demand_level(self._h, arr)
end

local agent_opts = {inventory = true, capacity = true, minimum = true,
                    target = true, acquisition_rate = true,
                    release_rate = true, purchase_trigger = true,
                    release_trigger = true, smoothing = true, cash = true}

local function agent_args(o)
  local cap = o.capacity or math.max(o.inventory or 0, o.target or 0,
                                     o.minimum or 0)
  return o.inventory or 0, cap, o.minimum or 0, o.target or 0,
    o.acquisition_rate or 0, o.release_rate or 0, o.purchase_trigger or 0,
    o.release_trigger or 0, o.smoothing or 0.05, o.cash or 0
end

--- m:add_agent(economy, {inventory=, capacity=, minimum=, target=,
--- acquisition_rate=, release_rate=, purchase_trigger=, release_trigger=,
--- smoothing=0.05, cash=}) -> index (0-based): a stockpile agent.
function Market:add_agent(economy, opts)
  local o = options(opts, agent_opts, "add_agent")
  return core.market_add_agent(self._h, economy, agent_args(o))
end

--- m:set_agent(index, {...}): replace an agent's state and triggers.
function Market:set_agent(index, opts)
  local o = options(opts, agent_opts, "set_agent")
  core.market_set_agent(self._h, index, agent_args(o))
end

function Market:clear_agents() core.market_clear_agents(self._h) end

--- m:set_reference(other_market or {code = price} or {p1, p2, ...})
function Market:set_reference(ref)
  if getmetatable(ref) == Market then
    core.market_set_reference(self._h, ref._h)
  else
    local arr = ref
    if ref[1] == nil then
      arr = {}
      local index = {}
      for i, c in ipairs(self.codes) do index[c] = i end
      for k, v in pairs(ref) do
        if not index[k] then
          raise(codes.ENOTFOUND, "reference prices: economy '" .. tostring(k)
            .. "' is not in the market")
        end
        arr[index[k]] = v
      end
      for i, c in ipairs(self.codes) do
        if arr[i] == nil then
          raise(codes.EINVAL, "reference prices: no price for " .. c)
        end
      end
    end
    core.market_set_reference_prices(self._h, arr)
  end
  self._has_ref = true
end

function Market:clear_reference()
  core.market_clear_reference(self._h)
  self._has_ref = false
end

--- m:reset(): the next solve starts cold.
function Market:reset() core.market_reset(self._h) end

local function info(h)
  local r, it, lit, ev, levy, rev, v, dt = core.market_info_get(h)
  return {residual = r, iterations = it, levy_iterations = lit,
          curve_evaluations = ev, levy = levy, levy_revenue = rev,
          total_demand = v, period_years = dt}
end

--- m:solve() -> info {residual=, iterations=, levy_iterations=,
--- curve_evaluations=, levy=, levy_revenue=, total_demand=, period_years=}
function Market:solve()
  core.market_solve(self._h)
  return info(self._h)
end

function Market:solved() return core.market_solved(self._h) == 1 end
function Market:info() return info(self._h) end

--- m:values(quantity) -> array in economy order (see crit.QUANTITIES)
function Market:values(quantity)
  local q = quantity_index[quantity]
  if not q then
    raise(codes.EINVAL, "market: unknown quantity '" .. tostring(quantity)
      .. "'")
  end
  return core.market_values(#self.codes, self._h, q)
end

--- m:nodes() -> {CODE = {price=, production=, ...}, ...}: every result
--- per economy (the surplus changes only with a reference).
function Market:nodes()
  local out = {}
  for _, c in ipairs(self.codes) do out[c] = {} end
  for q, name in ipairs(M.QUANTITIES) do
    if self._has_ref or not name:find("surplus") then
      local v = core.market_values(#self.codes, self._h, q - 1)
      for i, c in ipairs(self.codes) do out[c][name] = v[i] end
    end
  end
  return out
end

--- m:flows() -> {EXPORTER = {IMPORTER = tonnes, ...}, ...}
function Market:flows()
  local n = #self.codes
  local v = core.market_flows(n * n, self._h)
  local out = {}
  for i, a in ipairs(self.codes) do
    out[a] = {}
    for j, b in ipairs(self.codes) do out[a][b] = v[(i - 1) * n + j] end
  end
  return out
end

--- m:agent_result(index) -> bought, released (tonnes in the period)
function Market:agent_result(index)
  return core.market_agent_result(self._h, index)
end

--- m:to_csv(path [, period [, {compress=}]]): the last solve's results as
--- tidy CSV (mineral, economy, series, period, value); compress as in
--- w:to_csv. Raises ESTATE when the market has no solution.
function Market:to_csv(path, period, opts)
  local o = options(opts, {compress = true}, "to_csv")
  local c = -1
  if o.compress ~= nil then c = o.compress and 1 or 0 end
  core.io_csv_export_market(path, self._h, period or 0, c)
end

---------------------------------------------------------------------------
-- crit.Stockpile, crit.Programme, crit.Scenario and results
-- (crit/stockpile.h, crit/programme.h, crit/scenario.h)
---------------------------------------------------------------------------

local target_units = {tonnes = core.CRIT_TARGET_TONNES,
                      days_of_demand = core.CRIT_TARGET_DAYS_OF_DEMAND,
                      months_of_imports = core.CRIT_TARGET_MONTHS_OF_IMPORTS}
local target_unit_names = {}
for k, v in pairs(target_units) do target_unit_names[v] = k end
local participant_kinds = {firm = core.CRIT_PARTICIPANT_FIRM,
                           trader = core.CRIT_PARTICIPANT_TRADER}
local participant_kind_names = {}
for k, v in pairs(participant_kinds) do participant_kind_names[v] = k end

local function pick(v, tbl, what)
  local c = tbl[v]
  if c == nil then
    raise(codes.EINVAL, what .. " '" .. tostring(v) .. "' is not a known value")
  end
  return c
end

local Stockpile = {}
Stockpile.__index = Stockpile
Stockpile.__name = "crit.Stockpile"

local stockpile_opts = {economy = true, name = true, cash = true}

--- crit.Stockpile(world, {economy=, name=, cash=0}) -> stockpile: an empty
--- stockpile at a member economy (MODEL.md section 5).
setmetatable(Stockpile, {__call = function(_, world, opts)
  local o = options(opts, stockpile_opts, "Stockpile")
  local h = core.stockpile_new(world._h, o.name, o.economy, o.cash or 0)
  -- its economy's code, kept: the stockpile keeps the world alive, and
  -- sp:economy() stays readable after world:close(), as in Python
  return setmetatable({_h = h, _world = world,
    _economy = core.world_economy_code(world._h, core.stockpile_economy(h))},
    Stockpile)
end})
M.Stockpile = Stockpile

function Stockpile:close()
  local h = self._h
  self._h = nil
  if h then core.stockpile_close(h) end
end
Stockpile.__close = Stockpile.close
function Stockpile:closed() return self._h == nil end

function Stockpile:__tostring()
  if not self._h then return "crit.Stockpile (closed)" end
  return string.format("crit.Stockpile '%s': %d minerals, %d participants",
    self:name(), core.stockpile_mineral_count(self._h),
    core.stockpile_participant_count(self._h))
end

--- sp:copy() -> stockpile: a deep copy, state included.
function Stockpile:copy()
  return setmetatable({_h = core.stockpile_copy(self._h),
                       _world = self._world, _economy = self._economy},
                      Stockpile)
end

function Stockpile:name() return core.stockpile_name(self._h) end

--- sp:economy() -> code of the economy holding it.
function Stockpile:economy()
  core.stockpile_economy(self._h) -- CRIT_ESTATE once closed
  return self._economy
end

local stockpile_mineral_opts = {mineral = true, inventory = true,
  capacity = true, minimum = true, target_unit = true, target = true,
  acquisition_rate = true, release_rate = true, purchase_trigger = true,
  release_trigger = true, emergency_trigger = true, smoothing = true,
  loss_rate = true}

--- sp:add_mineral{mineral=, capacity=, release_trigger=, inventory=0,
--- minimum=0, target=0, target_unit="tonnes" | "days_of_demand" |
--- "months_of_imports", acquisition_rate=0, release_rate=0,
--- purchase_trigger=0, emergency_trigger=0 (P0), smoothing=0.05,
--- loss_rate=0}: tonnes, t/yr, USD/t.
function Stockpile:add_mineral(opts)
  local o = options(opts, stockpile_mineral_opts, "add_mineral")
  core.stockpile_add_mineral(self._h, o.mineral, o.inventory or 0,
    o.capacity or 0, o.minimum or 0,
    pick(o.target_unit or "tonnes", target_units, "target_unit"),
    o.target or 0, o.acquisition_rate or 0, o.release_rate or 0,
    o.purchase_trigger or 0, o.release_trigger or 0,
    o.emergency_trigger or 0, o.smoothing or 0.05, o.loss_rate or 0)
end

local function slot(self, mineral)
  return core.stockpile_mineral_slot(self._h, mineral)
end

--- sp:minerals() -> array of the codes held, in the order added.
function Stockpile:minerals()
  local t = {}
  for s = 0, core.stockpile_mineral_count(self._h) - 1 do
    t[#t + 1] = (core.stockpile_mineral_get(self._h, s))
  end
  return t
end

--- sp:mineral(code) -> {mineral, inventory, capacity, minimum, target_unit,
--- target, acquisition_rate, release_rate, purchase_trigger,
--- release_trigger, emergency_trigger, smoothing, loss_rate}
function Stockpile:mineral(code)
  local v = table.pack(core.stockpile_mineral_get(self._h, slot(self, code)))
  return {mineral = v[1], inventory = v[2], capacity = v[3], minimum = v[4],
          target_unit = target_unit_names[v[5]], target = v[6],
          acquisition_rate = v[7], release_rate = v[8],
          purchase_trigger = v[9], release_trigger = v[10],
          emergency_trigger = v[11], smoothing = v[12], loss_rate = v[13]}
end

--- sp:inventory(code), sp:target(code) -> tonnes; sp:cash() -> USD.
function Stockpile:inventory(code)
  return core.stockpile_inventory_t(self._h, slot(self, code))
end
function Stockpile:target(code)
  return core.stockpile_target_t(self._h, slot(self, code))
end
function Stockpile:cash() return core.stockpile_cash(self._h) end
function Stockpile:add_cash(usd) core.stockpile_add_cash(self._h, usd) end

local participant_opts = {name = true, kind = true, mineral = true,
  demand = true, upfront_fee = true, annual_fee = true, draw_right = true,
  draw_rate = true, draw_price = true, replenish_rate = true}

--- sp:add_participant{name=, kind="firm" | "trader", mineral=, demand=0,
--- upfront_fee=0, annual_fee=0, draw_right=0, draw_rate=0, draw_price=0,
--- replenish_rate=0} -> index (0-based)
function Stockpile:add_participant(opts)
  local o = options(opts, participant_opts, "add_participant")
  return core.stockpile_add_participant(self._h, o.name,
    pick(o.kind or "firm", participant_kinds, "kind"), o.mineral,
    o.demand or 0, o.upfront_fee or 0, o.annual_fee or 0, o.draw_right or 0,
    o.draw_rate or 0, o.draw_price or 0, o.replenish_rate or 0)
end

function Stockpile:participant_count()
  return core.stockpile_participant_count(self._h)
end

--- sp:participant(index) -> {name, kind, mineral, demand, upfront_fee,
--- annual_fee, draw_right, draw_rate, draw_price, replenish_rate}
function Stockpile:participant(i)
  local v = table.pack(core.stockpile_participant_get(self._h, i))
  return {name = v[1], kind = participant_kind_names[v[2]], mineral = v[3],
          demand = v[4], upfront_fee = v[5], annual_fee = v[6],
          draw_right = v[7], draw_rate = v[8], draw_price = v[9],
          replenish_rate = v[10]}
end

--- sp:purchase(code, price, cash, dt), sp:release(code, price, dt) ->
--- tonnes: the agent's curves (MODEL.md section 5).
function Stockpile:purchase(code, price, cash, dt)
  return core.stockpile_purchase(self._h, slot(self, code), price, cash, dt)
end
function Stockpile:release(code, price, dt)
  return core.stockpile_release(self._h, slot(self, code), price, dt)
end

--- sp:settle(code, price, purchased, released, dt) -> {opening, purchased,
--- released, lost, closing, purchase_usd, sales_usd, holding_usd,
--- cash_change_usd}
function Stockpile:settle(code, price, bought, released, dt)
  local v = table.pack(core.stockpile_settle(self._h, slot(self, code),
    price, bought, released, dt))
  return {opening = v[1], purchased = v[2], released = v[3], lost = v[4],
          closing = v[5], purchase_usd = v[6], sales_usd = v[7],
          holding_usd = v[8], cash_change_usd = v[9]}
end

--- sp:collect_fees(period, dt) -> USD collected into the cash.
function Stockpile:collect_fees(period, dt)
  return core.stockpile_collect_fees(self._h, period, dt)
end

--- sp:set_disruption(code [, on=true]); sp:disrupted(code) -> boolean
function Stockpile:set_disruption(code, on)
  core.stockpile_set_disruption(self._h, slot(self, code), flag(on, true))
end
function Stockpile:disrupted(code)
  return core.stockpile_disrupted(self._h, slot(self, code)) == 1
end

--- sp:participant_caps(index, dt) -> draw_cap, replenish_cap (t)
function Stockpile:participant_caps(i, dt)
  return core.stockpile_participant_caps(self._h, i, dt)
end

--- sp:settle_participant(index, drawn, replenished) -> cash change (USD)
function Stockpile:settle_participant(i, drawn, replenished)
  return core.stockpile_settle_participant(self._h, i, drawn or 0,
    replenished or 0)
end

--- sp:participant_state(index) -> drawn, owed (t)
function Stockpile:participant_state(i)
  local _, drawn, owed = core.stockpile_participant_state(self._h, i)
  return drawn, owed
end

-- programmes ----------------------------------------------------------------

local Programme = {}
Programme.__index = Programme
Programme.__name = "crit.Programme"
local programme_opts = {name = true, economy = true, mineral = true,
  budget = true, capital_intensity = true, lead_time = true,
  start_period = true}

--- crit.Programme{economy=, mineral=, budget=, capital_intensity=,
--- lead_time=0, start_period=0, name=} -> programme: a plain value
--- (MODEL.md section 7): budget USD, capital intensity USD per t/yr,
--- lead time in years.
setmetatable(Programme, {__call = function(_, opts)
  local o = options(opts, programme_opts, "Programme")
  return setmetatable({name = o.name, economy = o.economy,
    mineral = o.mineral, budget = o.budget or 0,
    capital_intensity = o.capital_intensity or 0,
    lead_time = o.lead_time or 0, start_period = o.start_period or 0},
    Programme)
end})
M.Programme = Programme

local function programme_fields(p)
  return p.name, p.economy, p.mineral, p.budget, p.capital_intensity,
    p.lead_time, p.start_period
end

--- p:capacity() -> t/yr added; p:online_period(dt) -> first period with
--- it; p:spending(n, dt) -> array of n amounts (USD); p:validate(world);
--- p:apply(world).
function Programme:capacity()
  return core.programme_capacity(programme_fields(self))
end
function Programme:online_period(dt)
  local n, e, m, b, c, l, t0 = programme_fields(self)
  return core.programme_online_period(n, e, m, b, c, l, t0, dt)
end
function Programme:spending(n, dt)
  local name, e, m, b, c, l, t0 = programme_fields(self)
  return core.programme_spending(n, name, e, m, b, c, l, t0, dt)
end
function Programme:validate(world)
  core.programme_validate(world._h, programme_fields(self))
end
function Programme:apply(world)
  core.programme_apply(world._h, programme_fields(self))
end

-- scenarios -------------------------------------------------------------------

--- crit.EVENT_KINDS: {export_ban = 0, ...}, crit.SERIES: series names in
--- order (the names result:series() takes).
M.EVENT_KINDS = {}
for name, v in pairs(core) do
  if type(name) == "string" and name:sub(1, 11) == "CRIT_EVENT_" then
    M.EVENT_KINDS[name:sub(12):lower()] = v
  end
end
M.SERIES = {}
local series_index = {}
for q = 0, core.CRIT_SERIES_COUNT - 1 do
  M.SERIES[q + 1] = core.series_name(q)
  series_index[M.SERIES[q + 1]] = q
end
local function series_axes(q)
  if q < core.CRIT_SERIES_LEVY then return {"mineral", "economy"} end
  if q < core.CRIT_SERIES_INVENTORY then return {"mineral"} end
  if q < core.CRIT_SERIES_CASH then return {"stockpile", "mineral"} end
  if q < core.CRIT_SERIES_LOAN_BALANCE then return {"stockpile"} end
  if q < core.CRIT_SERIES_PROGRAMME_SPENDING then return {"loan"} end
  return {}
end

local Scenario = {}
Scenario.__index = Scenario
Scenario.__name = "crit.Scenario"
local scenario_opts = {start = true, periods = true,
  months_per_period = true, disruption_from_restrictions = true}

--- crit.Scenario(world, {start=, periods=, months_per_period=1,
--- disruption_from_restrictions=true}) -> scenario (MODEL.md section 8).
setmetatable(Scenario, {__call = function(_, world, opts)
  local o = options(opts, scenario_opts, "Scenario")
  if o.start == nil then raise(codes.EINVAL, "Scenario: start is required") end
  return setmetatable({_h = core.scenario_new(world._h, day(o.start),
    o.periods or 0, o.months_per_period or 1,
    flag(o.disruption_from_restrictions, true)), _world = world}, Scenario)
end})
M.Scenario = Scenario

function Scenario:close()
  local h = self._h
  self._h = nil
  -- a loaded scenario's world is borrowed from it: it closes with it
  if h and self._world._owner == h then self._world._h = nil end
  -- closed from a progress callback: sc:run frees it once the run returns
  if h and not self._running then core.scenario_close(h) end
end
Scenario.__close = Scenario.close
function Scenario:closed() return self._h == nil end
function Scenario:periods() return core.scenario_periods(self._h) end

function Scenario:__tostring()
  if not self._h then return "crit.Scenario (closed)" end
  return string.format("crit.Scenario: %d periods", self:periods())
end

local event_opts = {kind = true, period = true, mineral = true,
  economy = true, partner = true, value = true, value2 = true, value3 = true}

--- sc:add_event{kind=, period=, mineral=, economy=, partner=, value=0,
--- value2=0, value3=0}: kind is a key of crit.EVENT_KINDS.
function Scenario:add_event(opts)
  local o = options(opts, event_opts, "add_event")
  core.scenario_add_event(self._h, o.period or 0,
    pick(o.kind, M.EVENT_KINDS, "event kind"), o.mineral, o.economy,
    o.partner, o.value or 0, o.value2 or 0, o.value3 or 0)
end

--- sc:set_policy(policy): its settings apply from period 0.
function Scenario:set_policy(p) core.scenario_set_policy(self._h, p._h) end

--- sc:add_stockpile(stockpile) -> index: a copy in its current state.
function Scenario:add_stockpile(sp)
  return core.scenario_add_stockpile(self._h, sp._h)
end

--- sc:add_loan(loan [, stockpile=0]) -> index: a copy, financing the
--- stockpile of that index.
function Scenario:add_loan(loan, sp)
  return core.scenario_add_loan(self._h, loan._h, sp or 0)
end

--- sc:add_programme(programme)
function Scenario:add_programme(p)
  core.scenario_add_programme(self._h, programme_fields(p))
end

--- sc:set_market_options{tolerance=1e-9, max_iterations=100000,
--- warm_start=true}
function Scenario:set_market_options(opts)
  local o = options(opts, {tolerance = true, max_iterations = true,
                           warm_start = true}, "set_market_options")
  core.scenario_set_market_options(self._h, o.tolerance or 1e-9,
    o.max_iterations or 100000, flag(o.warm_start, true))
end

local Result = {}
Result.__index = Result
Result.__name = "crit.Result"
local wrap_result

--- sc:run([{progress = function(done, total) end}]) -> result. The
--- callback runs after each period; returning false cancels the run
--- (CRIT_ECANCELLED), and an error raised in it cancels the run and is
--- re-raised as it was.
function Scenario:run(opts)
  local o = options(opts, {progress = true}, "run")
  local h = self._h
  if not h or not o.progress then
    return wrap_result(core.scenario_run(h, o.progress))
  end
  -- the callback may close the scenario: free it after the run, not under
  -- it (a callback's error is re-raised as it was)
  local outer = self._running
  self._running = true
  local ok, r = pcall(core.scenario_run, h, o.progress)
  self._running = outer
  if not outer and self._h == nil then core.scenario_close(h) end
  if not ok then error(r, 0) end
  return wrap_result(r)
end

wrap_result = function(h)
  local T, K, E, S, L = core.result_dims(h)
  local r = setmetatable({_h = h, periods = T, minerals = {}, economies = {},
                          members = {}, stockpiles = {}, loans = L}, Result)
  for k = 0, K - 1 do r.minerals[k + 1] = core.result_mineral_code(h, k) end
  for i = 0, E - 1 do
    r.economies[i + 1] = core.result_economy_code(h, i)
    if core.result_economy_member(h, i) == 1 then
      r.members[#r.members + 1] = r.economies[i + 1]
    end
  end
  for s = 0, S - 1 do r.stockpiles[s + 1] = core.result_stockpile_name(h, s) end
  return r
end

function Result:close()
  local h = self._h
  self._h = nil
  if h then core.result_close(h) end
end
Result.__close = Result.close
function Result:closed() return self._h == nil end

function Result:__tostring()
  if not self._h then return "crit.Result (closed)" end
  return string.format("crit.Result: %d periods, %d minerals, %d economies",
    self.periods, #self.minerals, #self.economies)
end

--- r:dates() -> array of periods + 1 "YYYY-MM-DD": each period's first
--- day, then the end of the horizon. r:days() the same as day numbers.
function Result:days()
  return core.result_dates(self.periods + 1, self._h)
end
function Result:dates()
  local out = {}
  for i, d in ipairs(self:days()) do out[i] = M.date_string(d) end
  return out
end

local function qid(name)
  local q = series_index[name]
  if not q then
    raise(codes.EINVAL, "result: unknown series '" .. tostring(name) .. "'")
  end
  return q
end

--- r:shape(name) -> {d1, ...} (periods first); r:axes(name) -> {"period",
--- ...}.
function Result:shape(name)
  local d0, d1, d2, rank = core.result_series_shape(self._h, qid(name))
  return table.move({d0, d1, d2}, 1, rank, 1, {})
end
function Result:axes(name)
  local a = {"period"}
  for _, x in ipairs(series_axes(qid(name))) do a[#a + 1] = x end
  return a
end

--- r:series(name) -> flat, shape: the whole series read in one call, flat
--- in row-major order of its shape (flat[((t * K) + k) * E + i + 1] for
--- a [period][mineral][economy] series, t, k, i from 0).
function Result:series(name)
  local q = qid(name)
  local shape = self:shape(name)
  local n = 1
  for _, d in ipairs(shape) do n = n * d end
  return core.result_series(n, self._h, q), shape
end

local function label_index(list, v, what)
  if math.type(v) == "integer" then return v end
  for i, x in ipairs(list) do if x == v then return i - 1 end end
  raise(codes.ENOTFOUND, "result: no " .. what .. " '" .. tostring(v) .. "'")
end

--- r:values(name [, {mineral=, economy=, stockpile=0, loan=0}]) -> array
--- of one value per period (index 1 is period 0). Codes or names select;
--- a stockpile or loan may also be a 0-based index.
function Result:values(name, opts)
  local o = options(opts, {mineral = true, economy = true, stockpile = true,
                           loan = true}, "values")
  local flat, shape = self:series(name)
  local lists = {mineral = self.minerals, economy = self.economies,
                 stockpile = self.stockpiles}
  local offset, stride = 0, 1
  local axes = series_axes(qid(name))
  for j = #axes, 1, -1 do
    local a = axes[j]
    local v = o[a]
    if v == nil and (a == "stockpile" or a == "loan") then v = 0 end
    if v == nil then
      raise(codes.EINVAL, "result: series '" .. name .. "' needs a " .. a)
    end
    local idx = label_index(lists[a] or {}, v, a)
    if idx < 0 or idx >= shape[j + 1] then
      raise(codes.ERANGE, "result: " .. a .. " " .. tostring(v)
        .. " out of range")
    end
    offset = offset + idx * stride
    stride = stride * shape[j + 1]
  end
  local out = {}
  for t = 0, self.periods - 1 do out[t + 1] = flat[t * stride + offset + 1] end
  return out
end

--- r:loan_schedule([loan=0]) -> array of rows {date, day, opening, ...}:
--- the loan as it stands at the end of the horizon.
function Result:loan_schedule(l)
  l = l or 0
  if math.type(l) ~= "integer" then
    raise(codes.EINVAL, "result: a loan is an integer index, got "
      .. (math.type(l) or type(l)) .. " " .. tostring(l))
  end
  if l < 0 or l >= self.loans then
    raise(codes.ERANGE, "result: loan " .. tostring(l) .. " out of range")
  end
  local n = core.result_loan_row_count(self._h, l)
  local days = core.result_loan_dates(n, self._h, l)
  local cols = {}
  for j, name in ipairs(M.LOAN_COLUMNS) do
    cols[name] = core.result_loan_column(n, self._h, l, j - 1)
  end
  local rows = {}
  for i = 1, n do
    local r = {day = days[i], date = M.date_string(days[i])}
    for _, name in ipairs(M.LOAN_COLUMNS) do r[name] = cols[name][i] end
    rows[i] = r
  end
  return rows
end

---------------------------------------------------------------------------
-- Scenario snapshots and a result's tidy CSV (crit/io.h)
---------------------------------------------------------------------------

--- sc:save(path [, {result=, level=}]): write the scenario, and the result
--- of one of its runs when given, to a snapshot atomically; level is the
--- deflate level 0-9 for every chunk (default 6, and 1 with run-length
--- encoding for the result's series).
function Scenario:save(path, opts)
  local o = options(opts, {result = true, level = true}, "save")
  if o.result then
    core.io_save_scenario_result(path, self._h, o.result._h, o.level or -1)
  else
    core.io_save_scenario(path, self._h, o.level or -1)
  end
end

--- crit.load_scenario(path [, {max_uncompressed_bytes=}]) -> scenario,
--- result or nil: read a snapshot written by sc:save, checked in full
--- first. The scenario's world (sc:world()) is the one the file holds,
--- borrowed from the scenario: it lives while the scenario lives and is
--- closed with it.
function M.load_scenario(path, opts)
  local o = options(opts, {max_uncompressed_bytes = true}, "load_scenario")
  local sh, rh = core.io_load_scenario(path, o.max_uncompressed_bytes or 0)
  local w = setmetatable({_h = core.scenario_world(sh), _owner = sh}, World)
  local sc = setmetatable({_h = sh, _world = w}, Scenario)
  if rh then return sc, wrap_result(rh) end
  return sc, nil
end

--- sc:world() -> the world the scenario runs on.
function Scenario:world() return self._world end

--- r:to_csv(path [, {compress=}]): every series as tidy CSV, the columns
--- mineral,economy,series,period,value,date,stockpile,loan (docs/format.md);
--- compress: nil gzips when path ends in ".gz", true/false force it.
function Result:to_csv(path, opts)
  local o = options(opts, {compress = true}, "to_csv")
  local c = -1
  if o.compress ~= nil then c = o.compress and 1 or 0 end
  core.io_csv_export_result(path, self._h, c)
end

return M

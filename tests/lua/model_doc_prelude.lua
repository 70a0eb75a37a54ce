-- What docs/model.md's Lua snippet assumes: `crit`, the worked example's
-- world `w` (five economies, gallium, routes of 20,000 USD/t) and a
-- policy `p` on it with the reference price of the example's last step.
crit = require "crit"
w = crit.World()
w:add_mineral("Ga", 600000)
local curves = {  -- code, member, s0, K, eta, d0, eps (t/yr)
  {"CHN", false, 700, 900, 0.5, 300, 0.4},
  {"ROW", false, 40, 60, 0.6, 60, 0.4},
  {"USA", true, 10, 30, 0.8, 120, 0.3},
  {"JPN", true, 20, 40, 0.8, 150, 0.3},
  {"EU", true, 30, 50, 0.8, 160, 0.3}}
for _, c in ipairs(curves) do
  w:add_economy(c[1], {member = c[2]})
  w:set_curve(c[1], "Ga", {base_production = c[3], capacity = c[4],
                           supply_elasticity = c[5], base_demand = c[6],
                           demand_elasticity = c[7]})
end
for _, a in ipairs(curves) do
  for _, b in ipairs(curves) do
    if a ~= b then w:set_transport("Ga", a[1], b[1], 20000) end
  end
end
p = crit.Policy(w, "Ga")
p.reference_price = 600000

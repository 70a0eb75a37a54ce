/* world.i: the world (crit/world.h).
 *
 * The definition structs carry borrowed strings, so the functions taking
 * or filling them are replaced by flat crit_swig_* helpers with one
 * argument (or out-parameter) per field; the languages' own layers turn
 * those into keyword arguments, dataclasses and tables. */

CRIT_HANDLE(crit_world, crit_world_free, "world")

%apply double *CRIT_OUT { double *out, double *out_wedge,
                          double *out_transport, double *out_tariff,
                          double *out_export_tax };
%apply size_t *CRIT_OUT { size_t *out };
%apply int32_t *CRIT_OUT { int32_t *out_allowed, int32_t *out_member };
%apply const char **CRIT_OUT { const char **out_code, const char **out_name,
                               const char **out_basis };
%apply double *CRIT_OUT { double *out_base_price_usd_per_t,
                          double *out_choke_price_usd_per_t,
                          double *out_holding_cost_usd_per_t_yr,
                          double *out_base_production_t_per_yr,
                          double *out_capacity_t_per_yr,
                          double *out_supply_elasticity,
                          double *out_base_demand_t_per_yr,
                          double *out_demand_elasticity };

%ignore crit_mineral_def;
%ignore crit_economy_def;
%ignore crit_curve_def;
%ignore crit_mineral_def_init;
%ignore crit_economy_def_init;
%ignore crit_curve_def_init;
%ignore crit_world_add_mineral;
%ignore crit_world_mineral_get;
%ignore crit_world_add_economy;
%ignore crit_world_economy_get;
%ignore crit_world_set_curve;
%ignore crit_world_curve_get;

%include "crit/world.h"

%inline %{
/* Flat crit_world_add_mineral: name and basis may be NULL; a choke price
 * of 0 means 10 * P0. */
static int crit_swig_world_add_mineral(crit_world *world, const char *code,
                                       double base_price_usd_per_t,
                                       const char *name, const char *basis,
                                       double choke_price_usd_per_t,
                                       double holding_cost_usd_per_t_yr)
{
    crit_mineral_def def;
    crit_mineral_def_init(&def);
    def.code = code;
    def.name = name;
    def.basis = basis;
    def.base_price_usd_per_t = base_price_usd_per_t;
    def.choke_price_usd_per_t = choke_price_usd_per_t;
    def.holding_cost_usd_per_t_yr = holding_cost_usd_per_t_yr;
    return crit_world_add_mineral(world, &def);
}

/* Flat crit_world_mineral_get: returns code, name, basis, base price,
 * effective choke price and holding cost; the strings are copied by the
 * wrapper before anything can change the world. */
static int crit_swig_world_mineral_get(const char **out_code,
                                       const char **out_name,
                                       const char **out_basis,
                                       double *out_base_price_usd_per_t,
                                       double *out_choke_price_usd_per_t,
                                       double *out_holding_cost_usd_per_t_yr,
                                       const crit_world *world, size_t index)
{
    crit_mineral_def def;
    int rc;
    crit_mineral_def_init(&def);
    rc = crit_world_mineral_get(&def, world, index);
    if (rc < 0)
        return rc;
    *out_code = def.code;
    *out_name = def.name;
    *out_basis = def.basis;
    *out_base_price_usd_per_t = def.base_price_usd_per_t;
    *out_choke_price_usd_per_t = def.choke_price_usd_per_t;
    *out_holding_cost_usd_per_t_yr = def.holding_cost_usd_per_t_yr;
    return rc;
}

/* Flat crit_world_add_economy: name may be NULL, member is 0 or 1. */
static int crit_swig_world_add_economy(crit_world *world, const char *code,
                                       const char *name, int32_t member)
{
    crit_economy_def def;
    crit_economy_def_init(&def);
    def.code = code;
    def.name = name;
    def.member = member;
    return crit_world_add_economy(world, &def);
}

/* Flat crit_world_economy_get: returns code, name and membership. */
static int crit_swig_world_economy_get(const char **out_code,
                                       const char **out_name,
                                       int32_t *out_member,
                                       const crit_world *world, size_t index)
{
    crit_economy_def def;
    int rc;
    crit_economy_def_init(&def);
    rc = crit_world_economy_get(&def, world, index);
    if (rc < 0)
        return rc;
    *out_code = def.code;
    *out_name = def.name;
    *out_member = def.member;
    return rc;
}

/* Flat crit_world_set_curve, fields in crit_curve_def's order. */
static int crit_swig_world_set_curve(crit_world *world, const char *economy,
                                     const char *mineral,
                                     double base_production_t_per_yr,
                                     double capacity_t_per_yr,
                                     double supply_elasticity,
                                     double base_demand_t_per_yr,
                                     double demand_elasticity)
{
    crit_curve_def def;
    crit_curve_def_init(&def);
    def.base_production_t_per_yr = base_production_t_per_yr;
    def.capacity_t_per_yr = capacity_t_per_yr;
    def.supply_elasticity = supply_elasticity;
    def.base_demand_t_per_yr = base_demand_t_per_yr;
    def.demand_elasticity = demand_elasticity;
    return crit_world_set_curve(world, economy, mineral, &def);
}

/* Flat crit_world_curve_get, fields in crit_curve_def's order. */
static int crit_swig_world_curve_get(double *out_base_production_t_per_yr,
                                     double *out_capacity_t_per_yr,
                                     double *out_supply_elasticity,
                                     double *out_base_demand_t_per_yr,
                                     double *out_demand_elasticity,
                                     const crit_world *world,
                                     const char *economy, const char *mineral)
{
    crit_curve_def def;
    int rc;
    crit_curve_def_init(&def);
    rc = crit_world_curve_get(&def, world, economy, mineral);
    if (rc < 0)
        return rc;
    *out_base_production_t_per_yr = def.base_production_t_per_yr;
    *out_capacity_t_per_yr = def.capacity_t_per_yr;
    *out_supply_elasticity = def.supply_elasticity;
    *out_base_demand_t_per_yr = def.base_demand_t_per_yr;
    *out_demand_elasticity = def.demand_elasticity;
    return rc;
}
%}

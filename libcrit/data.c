/*
 * The default world: built from the generated tables (data_internal.h)
 * through the world module's public setters, so it is validated like any
 * world a user builds.
 */
#include "data_internal.h"

#include <string.h>

void crit_data_record_init(crit_data_record *rec)
{
    if (!rec)
        return;
    memset(rec, 0, sizeof *rec);
    rec->size = sizeof *rec;
    rec->mineral = rec->economy = rec->field = "";
    rec->unit = rec->source = rec->rows = rec->note = "";
}

const char *crit_data_version(void)
{
    return crit__data_version_string;
}

size_t crit_data_record_count(void)
{
    return crit__data_record_count;
}

/* the first published size of crit_data_record: an older caller's is
   never smaller */
#define DATA_RECORD_V1 CRIT__SIZE_TO(crit_data_record, note)

static int check_out(const crit_data_record *out)
{
    if (!out)
        return crit__error(CRIT_EINVAL, "data record: out is NULL");
    return crit__check_out_size(out->size, DATA_RECORD_V1, "data record");
}

static void fill(crit_data_record *out, const crit__data_rec *r)
{
    out->mineral = r->mineral;
    out->economy = r->economy;
    out->field = r->field;
    out->value = r->value;
    out->unit = r->unit;
    out->source = r->source;
    out->year = r->year;
    out->rows = r->rows;
    out->note = r->note;
}

int crit_data_record_get(crit_data_record *out, size_t index)
{
    int rc = check_out(out);
    if (rc != CRIT_OK)
        return rc;
    if (index >= crit__data_record_count)
        return crit__error(CRIT_ERANGE,
                           "data record %zu: out of range (%zu records)", index,
                           crit__data_record_count);
    fill(out, &crit__data_records[index]);
    return CRIT_OK;
}

int crit_data_source(crit_data_record *out, const char *mineral,
                     const char *economy, const char *field)
{
    int rc = check_out(out);
    if (rc != CRIT_OK)
        return rc;
    if (!field)
        return crit__error(CRIT_EINVAL, "data source: field is NULL");
    if (!mineral)
        mineral = "";
    if (!economy)
        economy = "";
    for (size_t i = 0; i < crit__data_record_count; i++) {
        const crit__data_rec *r = &crit__data_records[i];
        if (strcmp(r->field, field) == 0 && strcmp(r->mineral, mineral) == 0 &&
            strcmp(r->economy, economy) == 0) {
            fill(out, r);
            return CRIT_OK;
        }
    }
    return crit__error(CRIT_ENOTFOUND,
                       "data source: no record of field '%.40s' for mineral "
                       "'%.40s', economy '%.40s' in the default world",
                       field, mineral, economy);
}

static int build(crit_world *w)
{
    int rc = CRIT_OK;
    for (size_t k = 0; k < crit__data_mineral_count && rc == CRIT_OK; k++) {
        const crit__data_mineral *m = &crit__data_minerals[k];
        crit_mineral_def def;
        crit_mineral_def_init(&def);
        def.code = m->code;
        def.name = m->name;
        def.basis = m->basis;
        def.base_price_usd_per_t = m->p0;
        def.choke_price_usd_per_t = m->pmax;
        def.holding_cost_usd_per_t_yr = m->holding;
        rc = crit_world_add_mineral(w, &def);
    }
    for (size_t i = 0; i < crit__data_economy_count && rc == CRIT_OK; i++) {
        const crit__data_economy *e = &crit__data_economies[i];
        crit_economy_def def;
        crit_economy_def_init(&def);
        def.code = e->code;
        def.name = e->name;
        def.member = e->member;
        rc = crit_world_add_economy(w, &def);
    }
    for (size_t c = 0; c < crit__data_curve_count && rc == CRIT_OK; c++) {
        const crit__data_curve *cv = &crit__data_curves[c];
        crit_curve_def def;
        crit_curve_def_init(&def);
        def.base_production_t_per_yr = cv->s0;
        def.capacity_t_per_yr = cv->K;
        def.supply_elasticity = cv->eta;
        def.base_demand_t_per_yr = cv->d0;
        def.demand_elasticity = cv->eps;
        rc = crit_world_set_curve(w, crit__data_economies[cv->economy].code,
                                  crit__data_minerals[cv->mineral].code, &def);
    }
    for (size_t k = 0; k < crit__data_mineral_count && rc == CRIT_OK; k++) {
        const crit__data_mineral *m = &crit__data_minerals[k];
        if (m->transport_rate == 0)
            continue;
        for (size_t i = 0; i < crit__data_economy_count && rc == CRIT_OK; i++)
            for (size_t j = 0; j < crit__data_economy_count && rc == CRIT_OK;
                 j++)
                if (i != j)
                    rc = crit_world_set_transport(w, m->code,
                                                  crit__data_economies[i].code,
                                                  crit__data_economies[j].code,
                                                  m->transport_rate * m->p0);
    }
    return rc;
}

int crit_world_default(crit_world **out)
{
    if (!out)
        return crit__error(CRIT_EINVAL, "default world: out is NULL");
    crit_world *w = NULL;
    int rc = crit_world_new(&w);
    if (rc != CRIT_OK)
        return rc;
    rc = build(w);
    if (rc != CRIT_OK) {
        crit_world_free(w);
        return rc;
    }
    *out = w;
    return CRIT_OK;
}

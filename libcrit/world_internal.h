/*
 * The layout of a world, shared by the modules that read it (risk, market,
 * io). Only world.c mutates it.
 */
#ifndef CRIT_WORLD_INTERNAL_H
#define CRIT_WORLD_INTERNAL_H

#include "crit_internal.h"

#include <stdatomic.h>

#define CRIT__BAN_EXPORT 1u /* the exporter bans the arc */
#define CRIT__BAN_IMPORT 2u /* the importer bans the arc */

typedef struct crit__curve {
    double s0;  /* base production, t/yr */
    double K;   /* capacity, t/yr */
    double eta; /* supply elasticity */
    double d0;  /* base demand, t/yr */
    double eps; /* demand elasticity (magnitude) */
} crit__curve;

/*
 * Per-mineral tables are dense and indexed by economy; matrices are
 * row-major by exporter: entry (i, j) is at [i * stride + j]. All tables
 * of a mineral live in one block.
 */
typedef struct crit__mineral {
    char *code, *name, *basis;
    double p0, pmax, holding;
    void *block;         /* owns every table below */
    double *transport;   /* [stride * stride] USD/t */
    double *tariff;      /* [stride * stride] specific, USD/t */
    double *tariff_rate; /* [stride * stride] ad valorem */
    double *xtax;        /* [stride] specific, USD/t */
    double *xtax_rate;   /* [stride] ad valorem */
    double *quota;       /* [stride] t/yr, +INFINITY when none */
    crit__curve *curve;  /* [stride] */
    unsigned char *ban;  /* [stride * stride] CRIT__BAN_* bits */
} crit__mineral;

typedef struct crit__economy {
    char *code, *name;
    int32_t member;
} crit__economy;

struct crit_world {
    atomic_int refs;
    size_t n_min, cap_min;
    crit__mineral *min;
    size_t n_eco, cap_eco;
    crit__economy *eco;
    size_t stride; /* economy capacity of the per-mineral tables */
    uint64_t rev;  /* bumped by every change: markets key their cached
                      cost tables on it */
};

/* Take and drop references; the world is freed when the last one goes. */
crit_world *crit__world_ref(const crit_world *w);
/* Size every mineral's tables (and those of minerals added later) for
 * exactly `economies` economies when that is more than they hold, so a
 * world whose size is known (a snapshot's) is built without the doubling
 * growth of crit_world_add_economy and its spare room. */
int crit__world_reserve(crit_world *w, size_t economies);
void crit__world_unref(crit_world *w);

/* Index lookups that record a clear error naming `what` on failure. */
int crit__world_find_mineral(size_t *out, const crit_world *w,
                             const char *code);
int crit__world_find_economy(size_t *out, const crit_world *w,
                             const char *code);

/*
 * Wedge from its parts. The one formula for c_ij: the setters check a
 * candidate wedge with it, so that a wedge they accept is >= 0 exactly as
 * crit__wedge computes it, rounding included.
 */
static inline double crit__wedge_of(double transport, double xtax,
                                    double xtax_rate, double tariff,
                                    double tariff_rate, double p0)
{
    return transport + xtax + xtax_rate * p0 + tariff + tariff_rate * p0;
}

/*
 * Index-based setters: the validation and effect of the public setters
 * (which resolve codes and call these), for indices already known to be in
 * range, with i != j for arcs. Shared with io so that a loaded file goes
 * through exactly the rules of the API without a look-up per value.
 */
int crit__world_set_curve_at(crit_world *w, size_t k, size_t i,
                             const crit_curve_def *def);
int crit__world_set_transport_at(crit_world *w, size_t k, size_t i, size_t j,
                                 double usd_per_t);
int crit__world_set_tariff_at(crit_world *w, size_t k, size_t i, size_t j,
                              double usd_per_t, double ad_valorem);
int crit__world_set_export_tax_at(crit_world *w, size_t k, size_t i,
                                  double usd_per_t, double ad_valorem);
/* What crit__world_set_export_tax_at() checks, without the change: the
   values, and every arc's wedge from i with that tax. */
int crit__world_check_export_tax(const crit_world *w, size_t k, size_t i,
                                 double usd_per_t, double ad_valorem);
/* bit is CRIT__BAN_EXPORT or CRIT__BAN_IMPORT; banned must be 0 or 1. */
int crit__world_set_ban_at(crit_world *w, size_t k, size_t i, size_t j,
                           unsigned bit, int32_t banned);
int crit__world_set_export_quota_at(crit_world *w, size_t k, size_t i,
                                    double t_per_yr);

/* Wedge c_ij of mineral m from economy i to j (i != j). */
static inline double crit__wedge(const crit_world *w, const crit__mineral *m,
                                 size_t i, size_t j)
{
    size_t a = i * w->stride + j;
    return crit__wedge_of(m->transport[a], m->xtax[i], m->xtax_rate[i],
                          m->tariff[a], m->tariff_rate[a], m->p0);
}

static inline int crit__arc_allowed(const crit_world *w, const crit__mineral *m,
                                    size_t i, size_t j)
{
    return i != j && m->ban[i * w->stride + j] == 0;
}

#endif /* CRIT_WORLD_INTERNAL_H */

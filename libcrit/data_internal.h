/*
 * The embedded default world: tables generated at build time by
 * libcrit/data/gen_default_world.py from the USGS data in libcrit/data/usgs
 * and libcrit's assumptions table (data_tables.c in the build directory).
 */
#ifndef CRIT_DATA_INTERNAL_H
#define CRIT_DATA_INTERNAL_H

#include "crit_internal.h"

typedef struct crit__data_mineral {
    const char *code, *name, *basis;
    double p0;             /* base price, USD/t */
    double pmax;           /* choke price, USD/t */
    double holding;        /* holding cost, USD/t/yr */
    double transport_rate; /* transport cost on every arc, share of p0 */
} crit__data_mineral;

typedef struct crit__data_economy {
    const char *code, *name;
    int32_t member;
} crit__data_economy;

/* One economy's curve for one mineral (indices into the tables above). */
typedef struct crit__data_curve {
    int32_t mineral, economy;
    double s0, K, eta, d0, eps;
} crit__data_curve;

typedef struct crit__data_rec {
    const char *mineral, *economy, *field;
    double value;
    const char *unit, *source;
    int32_t year;
    const char *rows, *note;
} crit__data_rec;

extern const char crit__data_version_string[];
extern const crit__data_mineral crit__data_minerals[];
extern const size_t crit__data_mineral_count;
extern const crit__data_economy crit__data_economies[];
extern const size_t crit__data_economy_count;
extern const crit__data_curve crit__data_curves[];
extern const size_t crit__data_curve_count;
extern const crit__data_rec crit__data_records[];
extern const size_t crit__data_record_count;

#endif /* CRIT_DATA_INTERNAL_H */

/*
 * The layout of a policy, read by the market at every solve. Only
 * policy.c mutates it.
 */
#ifndef CRIT_POLICY_INTERNAL_H
#define CRIT_POLICY_INTERNAL_H

#include "world_internal.h"

typedef struct crit__floor {
    size_t eco;   /* economy index */
    double F;     /* floor, USD/t */
    double theta; /* covered share in [0, 1] */
    double phi;   /* upside share in [0, 1) */
} crit__floor;

struct crit_policy {
    atomic_int refs;
    crit_world *world;
    size_t mineral;
    double ext_tariff; /* USD/t, 0 = off */
    double rref;       /* USD/t, 0 = off */
    size_t n_floor, cap_floor;
    crit__floor *floor;
};

crit_policy *crit__policy_ref(const crit_policy *p);
void crit__policy_unref(crit_policy *p);

#endif /* CRIT_POLICY_INTERNAL_H */

/*
 * The layout of a stockpile, shared with the scenario engine. Only
 * stockpile.c and scenario.c touch it.
 */
#ifndef CRIT_STOCKPILE_INTERNAL_H
#define CRIT_STOCKPILE_INTERNAL_H

#include "world_internal.h"

typedef struct crit__stock {
    crit_stockpile_mineral_def def; /* as given; def.mineral is NULL */
    size_t mineral;                 /* index in the world */
    double inventory;               /* I (t) */
    int32_t disrupted;              /* a disruption is declared */
} crit__stock;

typedef struct crit__participant {
    crit_participant_def def; /* as given; name and mineral are NULL */
    char *name;
    size_t slot;  /* mineral slot, SIZE_MAX for none */
    double drawn; /* tonnes drawn in the current disruption */
    double owed;  /* tonnes still to be returned */
} crit__participant;

struct crit_stockpile {
    crit_world *world; /* a reference */
    char *name;
    size_t economy;
    double cash;
    size_t n_stock, cap_stock;
    crit__stock *stock;
    size_t n_part, cap_part;
    crit__participant *part;
};

/* The agent of one mineral in one period, as MODEL.md section 5 uses it. */
typedef struct crit__agent_terms {
    double inventory; /* J = I (1 - delta dt) */
    double capacity, minimum, target;
    double amax, gmax; /* t/yr */
    double buy_trigger, release_trigger, smoothing;
} crit__agent_terms;

/*
 * The relative slack of a settlement: crit_stockpile_settle and
 * crit_stockpile_settle_participant take a release, a draw or a return
 * that rounding puts a hair beyond its bound, and may leave a closing
 * inventory up to about capacity (1 + 2 slack) (the own settlement up to
 * capacity (1 + slack), a firm's return up to capacity + slack (capacity
 * + its draw)).
 */
#define CRIT__SETTLE_SLACK 1e-9

/* The most inventory settlements can leave in a slot of capacity `cap`:
   what a snapshot's stockpile may hold. */
static inline double crit__stockpile_max_inventory(double cap)
{
    return cap * (1 + 3 * CRIT__SETTLE_SLACK);
}

/* crit_stockpile_new(), with the rule that the economy be a member of
 * the coalition only when `member_required`: a snapshot's stockpile may
 * sit at an economy that left the coalition after it was added to its
 * scenario (the world is read as it is when the scenario runs). */
int crit__stockpile_new(crit_stockpile **out, const crit_world *world,
                        const crit_stockpile_def *def, int member_required);

double crit__stockpile_target(const crit_stockpile *s, size_t slot);
void crit__stockpile_terms(crit__agent_terms *out, const crit_stockpile *s,
                           size_t slot, double dt);
double crit__agent_buy(const crit__agent_terms *a, double p, double cash,
                       double dt);
double crit__agent_release(const crit__agent_terms *a, double p, double dt);
void crit__participant_caps(double *draw, double *replenish,
                            const crit_stockpile *s, size_t k, double dt);

#endif /* CRIT_STOCKPILE_INTERNAL_H */

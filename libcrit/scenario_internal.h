/*
 * The layout of a scenario and of a result, shared by scenario.c and the
 * snapshot code that saves and loads them (io_scenario.c). Only
 * scenario.c builds them; io_scenario.c goes through its public functions
 * to build and reads these fields to save and compare.
 */
#ifndef CRIT_SCENARIO_INTERNAL_H
#define CRIT_SCENARIO_INTERNAL_H

#include "policy_internal.h"
#include "stockpile_internal.h"

#include <crit/scenario.h>

#define CRIT__ALL SIZE_MAX /* "every economy / mineral" in an event */

typedef struct ev {
    int32_t period, kind;
    size_t mineral, economy, partner; /* CRIT__ALL where none or every */
    double v1, v2, v3;
} ev;

typedef struct prog {
    crit_programme_def def; /* codes NULL: see eco and min */
    char *name;
    size_t eco, min;
} prog;

typedef struct polset {
    int set;
    double ext, rref;
    size_t n_floor;
    crit__floor *floor;
} polset;

struct crit_scenario {
    crit_world *world;
    crit_date start;
    int32_t periods, months, auto_disrupt;
    size_t n_ev, cap_ev;
    ev *ev;
    size_t n_pol; /* minerals covered by pol (world count when allocated) */
    polset *pol;
    size_t n_sp, cap_sp;
    crit_stockpile **sp;
    size_t n_loan, cap_loan;
    crit_loan **loan;
    size_t *loan_sp;
    size_t n_prog, cap_prog;
    prog *prog;
    int has_mopt;
    crit_market_options mopt;
    uint64_t id;  /* unique to this scenario in the process */
    uint64_t rev; /* bumped by every change (crit__scenario_changed) */
};

struct crit_result {
    crit_world *world;
    uint64_t world_rev; /* world->rev when it ran (or was loaded): a
                           change since means it is not a run of it */
    uint64_t scenario_id, scenario_rev; /* the scenario's id and rev then:
                           the same id with another rev means that
                           scenario changed since */
    uint64_t scenario_digest; /* crit__scenario_digest then: a result of
                                 another scenario (a copy) is a run of
                                 it only while their digests agree */
    size_t T, M, E, S, L;
    crit_date *dates;
    double *data[CRIT_SERIES_COUNT];
    char **sp_name;
    crit_loan **loan;
};

/* The axes of a series (crit_series' comments): per period, mineral and
 * economy; period and mineral; period, stockpile and mineral; period and
 * stockpile; period and loan; period alone. */
enum {
    CRIT__SHAPE_TKE,
    CRIT__SHAPE_TK,
    CRIT__SHAPE_TSK,
    CRIT__SHAPE_TS,
    CRIT__SHAPE_TL,
    CRIT__SHAPE_T
};
/* The axes (a CRIT__SHAPE_*) of a series, which must be valid. */
int crit__series_axes(int32_t series);

/* Deep equality, bit for bit on doubles (internal: the tests' and the
 * snapshot round trip's). Worlds compare with crit_world_equal. */
int crit__scenario_equal(const crit_scenario *a, const crit_scenario *b);
/* A digest of what crit__scenario_equal compares but the world: equal
 * scenarios have equal digests (a result records its scenario's). */
uint64_t crit__scenario_digest(const crit_scenario *s);
int crit__result_equal(const crit_result *a, const crit_result *b);
/* What the run checks again against the world before computing anything
 * (the world may have changed since the scenario was built): stockpile
 * targets, programme capacities and export tax events. The snapshot save
 * checks it too, since its reader rebuilds the scenario through the
 * functions that check the same against the world. */
int crit__scenario_validate(const crit_scenario *sc);

/* Whether two loans have the same terms, bit for bit (their draws aside):
 * the deep equality's comparison, and the snapshot's check that a
 * result's loan is the scenario's with draws added. */
int crit__loan_same_terms(const crit_loan *a, const crit_loan *b);
/* Number of values of a series in a result (its shape's product). */
size_t crit__result_series_len(const crit_result *r, int32_t series);

#endif /* CRIT_SCENARIO_INTERNAL_H */

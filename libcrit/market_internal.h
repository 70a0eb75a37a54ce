/*
 * The layout of a market: inputs, the solver's workspace (allocated once,
 * sized for the world's economies) and the stored results. market.c owns
 * the API and validation, market_solve.c the equilibrium solver.
 */
#ifndef CRIT_MARKET_INTERNAL_H
#define CRIT_MARKET_INTERNAL_H

#include "policy_internal.h"

/* A stockpile agent (MODEL.md section 5), state per period. */
typedef struct crit__agent {
    size_t eco;
    double I, Imax, Imin, Itarget;
    double amax, gmax; /* t/yr */
    double B, T, sigma;
    double cash;
} crit__agent;

/* State of an exporter's quota gate arc (economy -> its out-node). */
enum { CRIT__GATE_LOW = 0, CRIT__GATE_TREE = 1, CRIT__GATE_UP = 2 };

struct crit_market {
    crit_world *world;
    size_t mineral;
    crit_policy *policy; /* NULL: no mechanisms */
    crit_market_options opt;
    double dt;
    size_t n; /* economies the workspace is sized for */

    /* ---- inputs per economy [n] ---- */
    double *avail, *level, *ref_price;
    int has_ref;

    /* ---- agents (allocated by add_agent, never in solve) ---- */
    crit__agent *agent;
    double *agent_buy, *agent_rel; /* results [cap_agent] */
    int32_t *agent_next;           /* per-node lists [cap_agent] */
    size_t n_agent, cap_agent;

    /* ---- workspace, one block ---- */
    void *block;
    /* per economy [n] */
    double *cs0, *cK, *ceta, *cd0, *ceps, *ca, *cg; /* curves of the solve */
    double *fF, *fth, *fphi;                        /* floor, fF < 0: none */
    double *qdt;                                    /* Q dt, INFINITY none */
    double *lp, *lE, *ldE, *lgr; /* the curves linearised at lp (lin) */
    double *ld2E; /* and their curvature there (0 where not finite) */
    double *ep, *eS, *eD, *eB, *eR; /* last evaluation: price and parts */
    double *cav, *cdd; /* ca dt and cd0 cg dt: supply's and demand's scale */
    /* a plain economy's last exact evaluation (price, supply per year
       before its capacity, demand; bp NaN: none this solve) and the
       coefficients of its curves' series there (plain_eval) */
    double *bp, *bX, *bD, *c5;
    double *kS, *kD;   /* [4 n] */
    double *kSa, *kDa; /* the exponents kS, kD and c5 are for (NaN: none) */
    int32_t *outnode, *agent_head, *warm_outnode;
    unsigned char *member, *gate;
    unsigned char *plain; /* 0, or a plain economy's kind (plain_eval) */
    /* per node [2n + 1] */
    double *p, *Et, *off, *acc, *fix;
    int32_t *node_econ, *root, *parent_arc, *order, *adj_off, *adj, *tree_start;
    int32_t *anchor, *tr, *nxt, *pdeg, *pxor;
    /* (in the loop: parent_arc, each node's forest arc to its parent, -1 at
       its tree's root; nxt, each tree's list from its root, parents before
       children; pdeg and pxor, scratch) */
    unsigned char *mark;
    /* per tree slot of the loop [2n + 1]: line, members, earliest hit */
    double *tX, *tv, *rmin;
    /* scratch [2n + 1] of the scans of arcs by head: the head's slot or
       node (hs), its tree's speed (hv), its price or offset (hp) */
    double *hv, *hp;
    int32_t *hs;
    int32_t *thead, *ttail, *tanc, *rarg, *alive, *apos;
    unsigned char *tfar;
    /* per tree slot: its flows are not known (tdirty); else the worst
       bound's excess among its arcs (tviol, 0: none) and that arc's id */
    unsigned char *tdirty;
    double *tviol;
    size_t *tvid;
    /* per tree slot, on linearised curves (tree_sums): sums over its
       economies of lE - ldE lp (sA), ldE off (sB), ldE (sD), lgr (sG),
       over its nodes of fix (sF); its economies' least and largest offset */
    double *sA, *sB, *sD, *sG, *sF, *somin, *somax;
    /* per pair of tree slots [(2n + 1)^2]: cheapest arc, reduced cost */
    double *pm;
    int32_t *pu, *ph;
    double *warm_p;
    /* forest arcs [2n + 1] */
    size_t *farc, *warm_farc;
    double *fflow, *fcost, *fcap;
    int32_t *ftail, *fhead;
    unsigned char *warm_gate;
    /* matrices [n * n] */
    double *cost;
    double *flow;     /* result: zero but at flow_ids */
    size_t *flow_ids; /* [2n + 1] the trade arcs written last, nflow */
    /* results [CRIT_MARKET_QUANTITY_COUNT * n] */
    double *res;

    /* ---- solver state ---- */
    size_t N, Z, nq, nf, ntree, warm_nf, nalive, nflow;
    int warm_valid;
    double p0, pmax, cmax, vscale, rel_tol;
    double cmax_fixed; /* the largest cost of an arc without the levy */
    int lin;           /* 1: node_eval uses the linearised curves */
    int retry;  /* a solve again at a tighter tolerance: it may give up */
    int curved; /* the next resume starts tree solves from the curvature */
    double node_evals;
    int32_t iterations;
    double tnow;  /* the loop's time, in [0, 1) */
    int trees_ok; /* the loop's trees hold for the forest and prices */
    double tau;   /* levy in force for the current cost matrix */
    /* the cost matrix holds for world revision cost_rev, external tariff
       cost_ext and levy tau when cost_ok */
    uint64_t cost_rev;
    double cost_ext;
    int cost_ok;

    /* ---- results ---- */
    int solved;
    crit_market_info info;

    /* ---- the loop's undo check and the residual's parts (rarely read:
       after the hot fields, which keep their places) ---- */
    /* the arc that left the forest last in this loop, the iteration count
       then, and the splits running whose arc came back at once */
    size_t left_arc;
    int32_t left_at;
    int undos;
    /* the residual's largest balance, complementarity, sign and arbitrage
       terms (residual) */
    double rterm[4];
    /* a cold start's last linear round that finished: its prices [2n + 1],
       forest arcs [2n + 1] (lin_nf of them) and gates [n], where the exact
       loop starts when a later round gives up */
    double *lin_p;
    size_t *lin_farc;
    unsigned char *lin_gate;
    size_t lin_nf;
    /* where the next linear round linearises the economies' curves when
       the rounds cycle [n] */
    double *lin_at;
};

/* The solver (market_solve.c). Inputs validated by the caller. */
int crit__market_solve(crit_market *m);

/*
 * Lower the prices m->p of a solve's nodes to the largest feasible ones
 * below them (a warm start's first step); 1 when it finished by its
 * Dijkstra, 0 when the queue emptied first. Exposed for the tests.
 */
int crit__market_relax_prices(crit_market *m);

/*
 * Economy i's excess supply per period at price p and its first and second
 * derivatives, as a solve gets them from the curves of the market's last
 * solve: by evaluating them, or near the last evaluation by their series
 * (market_solve.c, plain_eval); *evaluated says which. Exposed for the
 * tests; the next evaluation may start from this one.
 */
double crit__market_excess(crit_market *m, size_t i, double p, double *dE,
                           double *d2E, int *evaluated);

/*
 * The residual r of MODEL.md section 3 (as crit/market.h defines it),
 * recomputed from the market's stored results exactly as a solve checks
 * them: the terms of the prices, quantities, quota rents and flows in
 * m->res and m->flow against the route costs m->cost, the quotas m->qdt
 * and the levy m->tau, and, when the policy's reference price is on, the
 * levy's term against that price as it is now. NaN when a term is NaN.
 * m->info is left as it was (the solve's own check sets its V). Exposed
 * for the tests, which alter the results to check each term.
 */
double crit__market_residual(crit_market *m);

/* Supply S_i(p) per period without floor, for the surplus integrals. */
double crit__market_supply_integral(const crit_market *m, size_t i, double p);
double crit__market_demand_integral(const crit_market *m, size_t i, double lo,
                                    double hi);

#endif /* CRIT_MARKET_INTERNAL_H */

/*
 * The spatial price equilibrium solver (MODEL.md section 3).
 *
 * The equilibrium prices minimise the convex dual
 *
 *     sum_a Phi_a(p_a) + sum_i Q_i dt max(0, p_o(i) - p_i)
 *     subject to p_j <= p_o(i) + c_ij on allowed arcs, 0 <= p_a <= Pmax,
 *
 * where Phi_a' = E_a = S~_a + R_a - D_a (non-decreasing), and o(i) is the
 * "out-node" of an exporter with a quota: its exports leave through a gate
 * arc i -> o(i) of capacity Q_i dt, and lambda_i = max(0, p_o(i) - p_i).
 * The price box is written as arcs from and to a ground node Z of price 0:
 * Z -> a with cost Pmax carries the shortage u_a, a -> Z with cost 0 the
 * disposal v_a. Every constraint is then an arc with a cost, and gates are
 * the only arcs with a finite capacity (a kink in the objective rather
 * than a constraint).
 *
 * A primal active-set method on this dual: the working set is a forest of
 * tight arcs; each tree has one free price (its root's), and its best value
 * solves the tree's balance, a monotone scalar equation, by safeguarded
 * Halley steps (Newton's with the curvature). Prices move from the current
 * point towards the trees' targets until an arc outside the forest becomes
 * tight (it joins two trees); at the targets, tree flows follow from the
 * balances, and an arc whose flow lies outside [0, capacity] leaves the
 * forest (a gate with a flow above its capacity is then saturated and
 * carries Q dt as a fixed flow). The objective falls at every step; with
 * no arc to drop the point is the equilibrium. The solver allocates
 * nothing.
 *
 * The trees are kept from step to step rather than rebuilt. Every tree
 * moves on a line in the loop's time tau in [0, 1] and reaches its target
 * at tau = 1, so the time at which an arc between two trees turns tight
 * only changes when one of its trees does. For every ordered pair of trees
 * the solver keeps the cheapest arc between them (its reduced cost c_uh +
 * off_u - off_h does not change while the trees do not), and for every
 * tree the earliest such time over its row. A join merges two trees' rows
 * and columns by one offset shift (O(trees)) and solves one tree target; a
 * row whose earliest arc went into the join keeps its old time as a lower
 * bound and is scanned again only if it comes first. Each tree's list of
 * nodes has parents before children (a join turns the absorbed tree's path
 * to its old root round), so when every tree is at its target the flows
 * of the trees that changed follow from one pass over their lists from the
 * end. An arc that leaves splits its tree in place; a pair's cheapest arc
 * stays with the side that has it, and the other side keeps its cost only
 * as a lower bound, scanned again only if it comes first. Only the first
 * loop of a solve scans every arc. On the linear model each tree keeps the
 * sums that give its balance at any price, so a join adds them in O(1).
 *
 * A cold start begins with Newton's method on the whole equilibrium: the
 * curves linearised at the current prices (one evaluation of each), the
 * same active set run to the equilibrium of that linear model (its tree
 * targets evaluate no curve), and again from there (damped where the
 * rounds cycle), until a round leaves the forest unchanged. The exact loop
 * then resumes from that forest and those prices, so its tree solves start
 * next to their roots (one Newton step on the linearised balance plus the
 * curvature, curved_start). On the linear model a tree's target is one
 * exact Newton step.
 *
 * A tree's exact steps after its first move its prices by little, and
 * there a plain economy's curves come from their Taylor series at its last
 * evaluation, exact to rounding (plain_eval): a tree solve costs about one
 * evaluation of its curves plus arithmetic.
 */
#include "market_internal.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define NONE ((size_t)-1)
/* pu, ph of a pair whose cost is a lower bound, not its cheapest arc's */
#define STALE (-2)

/* ---- curves ------------------------------------------------------------ */

/*
 * 1 / p for p > 0, at most DBL_MAX: at a subnormal price a supply that
 * underflowed to zero then has a zero derivative, not 0 * inf.
 */
static inline double inv_price(double p)
{
    double ip = p > 0 ? 1 / p : 0;
    return ip < DBL_MAX ? ip : DBL_MAX;
}

/*
 * log(p / P0) for a price p > 0. Where the ratio falls below DBL_MIN it
 * would lose its digits in the subnormals or underflow to 0 (a logarithm
 * of -inf: no supply at all where the curve still gives, say, 0.3 t a
 * year at a subnormal price), so the two logarithms are taken apart there.
 */
static inline double log_rel(const crit_market *m, double p)
{
    if (p == m->p0) /* a cold start's prices: no call to log */
        return 0;
    double q = p / m->p0;
    return q >= DBL_MIN ? log(q) : log(p) - log(m->p0);
}

/*
 * An elastic supply per period (s0 > 0, eta != 0, price > 0) with its
 * derivatives: av min(x, K), where x = s0 e^(eta L) is the supply per year
 * before the capacity (in *x).
 */
static inline double elastic_supply(double s0, double K, double av, double eta,
                                    double L, double ip, double *x, double *ds,
                                    double *d2s)
{
    *x = L == 0 ? s0 : s0 * exp(eta * L); /* exp(0) is 1 */
    *ds = *d2s = 0;
    if (*x >= K)
        return av * K;
    *ds = av * eta * *x * ip;
    *d2s = *ds * (eta - 1) * ip;
    return av * *x;
}

/* An elastic demand per period d0 e^(-eps L) (price > 0), derivatives */
static inline double elastic_demand(double d0, double eps, double L, double ip,
                                    double *dD, double *d2D)
{
    double D = L == 0 ? d0 : d0 * exp(-eps * L);
    *dD = -eps * D * ip;
    *d2D = -(eps + 1) * *dD * ip;
    return D;
}

/*
 * S_i(p) per period without a floor; *ds its derivative and *d2s its
 * second. L is log(p / P0) and ip is inv_price(p) (one logarithm and one
 * division serve the supply and the demand curve).
 */
static inline double supply_at(const crit_market *m, size_t i, double p,
                               double L, double ip, double *ds, double *d2s)
{
    double s0 = m->cs0[i], av = m->ca[i] * m->dt, x;
    *ds = *d2s = 0;
    if (s0 <= 0 || av <= 0)
        return 0;
    if (m->ceta[i] == 0)
        return av * s0;
    if (p <= 0)
        return 0;
    return elastic_supply(s0, m->cK[i], av, m->ceta[i], L, ip, &x, ds, d2s);
}

static double supply_plain(const crit_market *m, size_t i, double p, double *ds,
                           double *d2s)
{
    return supply_at(m, i, p, p > 0 ? log_rel(m, p) : 0, inv_price(p), ds, d2s);
}

typedef struct parts {
    double supply, demand, buy, rel;
} parts;

/*
 * The end of an evaluation of economy i at price p from its parts: keeps
 * them as the last evaluation (the results reuse it), and returns the
 * excess supply with its derivatives and gross volume.
 */
static inline double eval_parts(crit_market *m, size_t i, double p, double S,
                                double D, double buy, double rel, double dS,
                                double d2S, double dR, double d2R, double dD,
                                double d2D, double *dE, double *d2E,
                                double *gross)
{
    m->ep[i] = p;
    m->eS[i] = S;
    m->eD[i] = D;
    m->eB[i] = buy;
    m->eR[i] = rel;
    *dE = dS + dR - dD;
    *d2E = d2S + d2R - d2D;
    *gross = S + D + buy + rel;
    return S + rel - buy - D;
}

/* One agent's purchase and release at price p, with derivatives (the
   release is piecewise linear; *d2buy the purchase's second). */
/* What an agent may buy in the period before price and cash: its rate
   and what is left to its target */
static inline double purchase_limit(const crit__agent *ag, double dt)
{
    return fmin(ag->amax * dt, fmax(ag->Itarget - ag->I, 0));
}

static void agent_eval(const crit__agent *ag, double dt, double p, double *buy,
                       double *dbuy, double *d2buy, double *rel, double *drel)
{
    double B = ag->B, s = ag->sigma, wb, dwb = 0;
    if (B == 0)
        wb = 0; /* buys at 0 only: zero_trigger_agents */
    else if (p <= B)
        wb = 1;
    else if (p >= B * (1 + s))
        wb = 0;
    else {
        wb = 1 - (p - B) / B / s; /* as crit__agent_buy: B s may be inf */
        dwb = -1 / (B * s);
    }
    *buy = *dbuy = *d2buy = 0;
    double lim = purchase_limit(ag, dt);
    if (wb > 0 && lim > 0 && ag->cash > 0) {
        double q = lim, dq = 0, d2q = 0;
        if (p > 0 && ag->cash / p < lim) {
            q = ag->cash / p;
            dq = -q / p;
            d2q = -2 * dq / p;
        }
        *buy = q * wb;
        *dbuy = dq * wb + q * dwb;
        *d2buy = d2q * wb + 2 * dq * dwb;
    }
    double T = ag->T, wr, dwr = 0;
    if (p <= T)
        wr = 0;
    else if (p >= T * (1 + s))
        wr = 1;
    else {
        wr = (p - T) / T / s;
        dwr = 1 / (T * s);
    }
    double rl = fmin(ag->gmax * dt, fmax(ag->I - ag->Imin, 0));
    *rel = rl * wr;
    *drel = rl * dwr;
}

/*
 * Plain economies (m->plain): elastic demand, and elastic supply below or
 * at its capacity or none; no floor, no agent. That is most economies of
 * most solves, and plain_eval evaluates them without the general case's
 * tests, through the same elastic_supply, elastic_demand and eval_parts
 * as node_eval (so the same bits).
 *
 * Near its last evaluation in the solve (price bp; supply per year before
 * the capacity, bX; demand bD), a plain economy's curves are binomial
 * series in r = (p - bp) / bp: S = min(bX (1 + r)^eta, K) a dt and
 * D = bD (1 + r)^-eps, with (1 + r)^a = 1 + k1 r + k2 r^2 + k3 r^3 +
 * k4 r^4 + R. By Lagrange's form |R| <= |k5| |r|^5 (1 + xi)^(a - 5) with
 * |xi| <= |r|, and (1 + xi)^(a - 5) < 2 for |r| <= 2^-7 and |a| < 50; so
 * where 4 |k5| |r|^5 <= 2^-54 (c5 holds 4 |k5| of the larger of the two
 * curves' k5) the series is the curve to within half a unit in the last
 * place of its value before rounding: the same number as an evaluation,
 * to rounding, for a third of its cost and without exp or log (its
 * derivatives, which only steer the steps, are off by about 5 |k5| |r|^4,
 * of the order of 1e-13 of the exponent). Every step of a tree's solve
 * after its first lands there (Halley's steps shrink cubically), so a warm
 * solve evaluates every curve twice instead of three times, and a cold one
 * about once less. m->node_evals counts the evaluations only.
 */
enum { PLAIN_ELASTIC = 1, PLAIN_NO_SUPPLY = 2 };

/* k1..k4 of (1 + r)^a into k, and 4 |k5| into *c5 (INFINITY, so never
   the series, for |a| >= 50) */
static void series_coefficients(double a, double k[4], double *c5)
{
    k[0] = a;
    k[1] = k[0] * (a - 1) * 0.5;
    k[2] = k[1] * (a - 2) * (1.0 / 3);
    k[3] = k[2] * (a - 3) * 0.25;
    *c5 = fabs(a) < 50 ? 4 * fabs(k[3] * (a - 4) * 0.2) : INFINITY;
}

/* (1 + r)^a from its coefficients, with its first and second derivatives
   in r */
static inline double series(const double k[4], double r, double *d1, double *d2)
{
    *d1 = k[0] + r * (2 * k[1] + r * (3 * k[2] + r * 4 * k[3]));
    *d2 = 2 * k[1] + r * (6 * k[2] + r * 12 * k[3]);
    return 1 + r * (k[0] + r * (k[1] + r * (k[2] + r * k[3])));
}

/* node_eval of plain economy i at a price p > 0 by its curves, which
   become the series' base */
static double plain_exact(crit_market *m, size_t i, double p, double *dE,
                          double *d2E, double *gross)
{
    m->node_evals += 1;
    double L = log_rel(m, p), ip = inv_price(p), x = 0;
    double S = 0, ds = 0, d2s = 0, dD, d2D;
    if (m->plain[i] == PLAIN_ELASTIC)
        S = elastic_supply(m->cs0[i], m->cK[i], m->cav[i], m->ceta[i], L, ip,
                           &x, &ds, &d2s);
    double D = elastic_demand(m->cdd[i], m->ceps[i], L, ip, &dD, &d2D);
    m->bp[i] = p;
    m->bX[i] = x;
    m->bD[i] = D;
    return eval_parts(m, i, p, S, D, 0, 0, ds, d2s, 0, 0, dD, d2D, dE, d2E,
                      gross);
}

/* node_eval of plain economy i at a price p > 0: by the series near the
   last evaluation (bp NaN: none), else by the curves */
static inline double plain_eval(crit_market *m, size_t i, double p, double *dE,
                                double *d2E, double *gross)
{
    double bp = m->bp[i], ib = 1 / bp, r = (p - bp) * ib, r2 = r * r;
    if (!(fabs(r) <= 0x1p-7 && r2 * r2 * fabs(r) * m->c5[i] <= 0x1p-54))
        return plain_exact(m, i, p, dE, d2E, gross);
    double av = m->cav[i], bX = m->bX[i], bD = m->bD[i];
    double S = 0, ds = 0, d2s = 0, s1, s2, q1, q2;
    double x = bX * series(m->kS + 4 * i, r, &s1, &s2);
    if (m->plain[i] == PLAIN_ELASTIC) {
        if (x >= m->cK[i])
            S = av * m->cK[i];
        else {
            double f = av * bX * ib;
            ds = f * s1;
            d2s = f * ib * s2;
            S = av * x;
        }
    }
    double D = bD * series(m->kD + 4 * i, r, &q1, &q2);
    return eval_parts(m, i, p, S, D, 0, 0, ds, d2s, 0, 0, bD * ib * q1,
                      bD * ib * ib * q2, dE, d2E, gross);
}

/*
 * Excess supply E_i(p) = S~_i + R_i - D_i of economy i per period, its
 * first and second derivatives, its gross volume (for tolerances) and
 * optionally its parts.
 */
static double node_eval(crit_market *m, size_t i, double p, double *dE,
                        double *d2E, double *gross, parts *out)
{
    if (m->lin) {
        *dE = m->ldE[i];
        *d2E = 0;
        *gross = m->lgr[i];
        return m->lE[i] + m->ldE[i] * (p - m->lp[i]);
    }
    if (m->plain[i] && p > 0 && !out)
        return plain_eval(m, i, p, dE, d2E, gross);
    m->node_evals += 1;
    if (p < 0)
        p = 0;
    double L = p > 0 ? log_rel(m, p) : 0, ip = inv_price(p);
    double ds, d2s, S = supply_at(m, i, p, L, ip, &ds, &d2s);
    if (m->fF[i] >= 0 && m->fth[i] > 0) {
        double F = m->fF[i], th = m->fth[i], phi = m->fphi[i];
        double e = p < F ? F : p - phi * (p - F);
        double de = p < F ? 0 : 1 - phi, dse, d2se;
        double Se = supply_plain(m, i, e, &dse, &d2se);
        S = th * Se + (1 - th) * S;
        ds = th * dse * de + (1 - th) * ds;
        d2s = th * d2se * de * de + (1 - th) * d2s;
    }
    double D = 0, dD = 0, d2D = 0, d0 = m->cd0[i] * m->cg[i] * m->dt;
    if (d0 > 0) {
        if (m->ceps[i] == 0)
            D = d0;
        else if (p <= 0) {
            D = INFINITY;
            dD = -INFINITY;
            d2D = INFINITY;
        } else
            D = elastic_demand(d0, m->ceps[i], L, ip, &dD, &d2D);
    }
    double buy = 0, rel = 0, dR = 0, d2R = 0;
    for (int32_t k = m->agent_head[i]; k >= 0; k = m->agent_next[k]) {
        double b, db, d2b, r, dr;
        agent_eval(&m->agent[k], m->dt, p, &b, &db, &d2b, &r, &dr);
        buy += b;
        rel += r;
        dR += dr - db;
        d2R -= d2b;
    }
    if (out) {
        out->supply = S;
        out->demand = D;
        out->buy = buy;
        out->rel = rel;
    }
    return eval_parts(m, i, p, S, D, buy, rel, ds, d2s, dR, d2R, dD, d2D, dE,
                      d2E, gross);
}

/* ---- arcs ---------------------------------------------------------------- */

/*
 * Arc ids: [0, n^2) trade arc i -> j (from i's out-node), n^2 + i the gate
 * of i, n^2 + n + a the shortage arc Z -> a, n^2 + 2n + a the disposal arc
 * a -> Z.
 */
static void arc_ends(const crit_market *m, size_t id, int32_t *t, int32_t *h,
                     double *c, double *cap)
{
    size_t n = m->n, nn = n * n;
    *cap = INFINITY;
    if (id < nn) {
        size_t i = id / n, j = id % n;
        *t = m->outnode[i];
        *h = (int32_t)j;
        *c = m->cost[id];
    } else if (id < nn + n) {
        size_t i = id - nn;
        *t = (int32_t)i;
        *h = m->outnode[i];
        *c = 0;
        *cap = m->qdt[i];
    } else if (id < nn + 2 * n) {
        *t = (int32_t)m->Z;
        *h = (int32_t)(id - nn - n);
        *c = m->pmax;
    } else {
        *t = (int32_t)(id - nn - 2 * n);
        *h = (int32_t)m->Z;
        *c = 0;
    }
}

static int is_econ(const crit_market *m, int32_t a)
{
    return (size_t)a < m->n;
}

/* ---- the forest ---------------------------------------------------------- */

/* Add arc id to the forest, with its ends, cost and capacity. */
static void forest_add(crit_market *m, size_t id)
{
    size_t k = m->nf++;
    m->farc[k] = id;
    arc_ends(m, id, &m->ftail[k], &m->fhead[k], &m->fcost[k], &m->fcap[k]);
}

/*
 * Remove forest arc k; the last arc takes its slot. parent_arc stays that
 * of the forest left (where it held the forest's): the end below arc k
 * becomes its side's root, and the moved arc's child follows it.
 */
static void forest_remove(crit_market *m, size_t k)
{
    int32_t *pa = m->parent_arc, t = m->ftail[k];
    size_t last = --m->nf;
    pa[pa[t] == (int32_t)k ? t : m->fhead[k]] = -1;
    if (k != last) {
        t = m->ftail[last];
        pa[pa[t] == (int32_t)last ? t : m->fhead[last]] = (int32_t)k;
    }
    m->farc[k] = m->farc[last];
    m->fflow[k] = m->fflow[last];
    m->ftail[k] = m->ftail[last];
    m->fhead[k] = m->fhead[last];
    m->fcost[k] = m->fcost[last];
    m->fcap[k] = m->fcap[last];
}

/* Whether the forest holds every gate and nothing else (a cold start). */
static int gates_only(const crit_market *m)
{
    size_t nn = m->n * m->n;
    if (m->nf != m->nq)
        return 0;
    for (size_t k = 0; k < m->nf; k++)
        if (m->farc[k] < nn || m->farc[k] >= nn + m->n)
            return 0;
    return 1;
}

/*
 * build_forest's trees when the forest holds only the gates: the ground
 * alone, then each economy (its tree's root and anchor) with its out-node
 * if it has one, at the economy's price (a gate costs nothing). The order
 * is pairs_single's: the ground's tree is slot 0, economy j's slot j + 1.
 */
static void gates_forest(crit_market *m)
{
    size_t n = m->n, nn = n * n, Z = m->Z, q = 0, t = 0;
    for (size_t k = 0; k < m->nf; k++)
        m->parent_arc[m->outnode[m->farc[k] - nn]] = (int32_t)k;
    m->tree_start[t] = (int32_t)q;
    m->anchor[t++] = (int32_t)Z;
    m->order[q++] = (int32_t)Z;
    m->parent_arc[Z] = -1;
    m->off[Z] = 0;
    m->p[Z] = 0;
    for (size_t i = 0; i < n; i++) {
        m->tree_start[t] = (int32_t)q;
        m->anchor[t++] = (int32_t)i;
        m->order[q++] = (int32_t)i;
        m->parent_arc[i] = -1;
        m->off[i] = 0;
        int32_t o = m->outnode[i];
        if (o != (int32_t)i) {
            m->order[q++] = o;
            m->off[o] = 0;
            m->p[o] = m->p[i];
        }
    }
    m->tree_start[t] = (int32_t)q;
    m->ntree = t;
}

/*
 * Rebuild the trees of the forest by breadth-first search from their roots
 * (the ground node first, then by index), giving each node its offset from
 * its tree's anchor, and recompute prices from the anchors so tree arcs
 * are exactly tight. Returns -1 if the arcs contain a cycle (a bug).
 */
static int build_forest(crit_market *m)
{
    size_t N = m->N, Z = m->Z;
    if (gates_only(m)) { /* a cold start: the search's result, directly */
        gates_forest(m);
        return 0;
    }
    for (size_t a = 0; a <= N; a++)
        m->adj_off[a] = 0;
    for (size_t a = 0; a < N; a++) {
        m->root[a] = -1;
        m->parent_arc[a] = 0; /* a fill cursor until the search */
    }
    for (size_t k = 0; k < m->nf; k++) {
        m->adj_off[m->ftail[k] + 1]++;
        m->adj_off[m->fhead[k] + 1]++;
    }
    for (size_t a = 0; a < N; a++)
        m->adj_off[a + 1] += m->adj_off[a];
    for (size_t k = 0; k < m->nf; k++) {
        m->adj[m->adj_off[m->ftail[k]] + (m->parent_arc[m->ftail[k]]++)] =
            (int32_t)k;
        m->adj[m->adj_off[m->fhead[k]] + (m->parent_arc[m->fhead[k]]++)] =
            (int32_t)k;
    }
    size_t norder = 0;
    m->ntree = 0;
    for (size_t s0 = 0; s0 < N; s0++) {
        size_t s = s0 == 0 ? Z : s0 - 1;
        if (m->root[s] >= 0)
            continue;
        m->tree_start[m->ntree] = (int32_t)norder;
        m->root[s] = (int32_t)s;
        m->off[s] = 0;
        m->parent_arc[s] = -1;
        size_t q = norder;
        m->order[norder++] = (int32_t)s;
        /* the anchor: the ground node, else the first economy reached
           with the lowest offset */
        int32_t anchor = (int32_t)s;
        int econ_anchor = is_econ(m, anchor);
        for (; q < norder; q++) {
            int32_t u = m->order[q];
            for (int32_t e = m->adj_off[u]; e < m->adj_off[u + 1]; e++) {
                int32_t k = m->adj[e];
                int32_t v = m->ftail[k] == u ? m->fhead[k] : m->ftail[k];
                if (m->root[v] >= 0) {
                    if (k != m->parent_arc[u])
                        return -1;
                    continue;
                }
                m->root[v] = (int32_t)s;
                m->parent_arc[v] = k;
                m->order[norder++] = v;
                double ov =
                    m->off[u] + (v == m->fhead[k] ? m->fcost[k] : -m->fcost[k]);
                m->off[v] = ov;
                if (s != Z && is_econ(m, v) &&
                    (!econ_anchor || ov < m->off[anchor])) {
                    anchor = v;
                    econ_anchor = 1;
                }
            }
        }
        m->anchor[m->ntree++] = anchor;
    }
    m->tree_start[m->ntree] = (int32_t)norder;
    /*
     * Each tree's free price is that of its cheapest economy (its anchor),
     * and offsets are measured from it: a price near zero then keeps its
     * full relative precision.
     */
    for (size_t t = 0; t < m->ntree; t++) {
        int32_t q0 = m->tree_start[t], q1 = m->tree_start[t + 1];
        int32_t anchor = m->anchor[t];
        double shift = m->off[anchor];
        double base = (size_t)anchor == Z ? 0 : m->p[anchor];
        for (int32_t q = q0; q < q1; q++) {
            int32_t a = m->order[q];
            m->off[a] -= shift;
            m->p[a] = base + m->off[a];
        }
    }
    return m->nf + m->ntree == N ? 0 : -1;
}

/* Fixed flows of saturated gates: net inflow per node into m->fix. */
static void fixed_flows(crit_market *m)
{
    for (size_t a = 0; a < m->N; a++)
        m->fix[a] = 0;
    for (size_t g = 0; g < m->nq; g++) { /* out-node n + g, of economy i */
        size_t i = (size_t)m->node_econ[m->n + g];
        if (m->gate[i] == CRIT__GATE_UP) {
            m->fix[i] = 0 - m->qdt[i]; /* +0 for a zero quota */
            m->fix[m->n + g] = m->qdt[i];
        }
    }
}

/* Balance of tree s at anchor price x: fills Et at the evaluated prices. */
static double tree_G(crit_market *m, int32_t s, double x, double F, double *dG,
                     double *d2G, double *gross)
{
    double G = F, d = 0, d2 = 0, g = fabs(F);
    for (int32_t a = m->thead[s]; a >= 0; a = m->nxt[a]) {
        if (!is_econ(m, a))
            continue;
        double de, d2e, ga, pa = x + m->off[a];
        /* node_eval's own first test, here so that plain_eval (the
           series) is inlined into the hot loop */
        m->Et[a] = m->plain[a] && pa > 0
                       ? plain_eval(m, (size_t)a, pa, &de, &d2e, &ga)
                       : node_eval(m, (size_t)a, pa, &de, &d2e, &ga, NULL);
        G += m->Et[a];
        d += de;
        d2 += d2e;
        g += ga;
    }
    *dG = d;
    *d2G = d2;
    *gross = g;
    return G;
}

/*
 * Target of tree s from its anchor price x: the anchor price that balances
 * it, by safeguarded Newton on the monotone G (Halley's step where the
 * curvature changes Newton's by at most a factor of 2: cubic convergence,
 * so one evaluation fewer from a warm start) within the prices that keep
 * every economy of the tree in [0, Pmax]. When G has no root there, the
 * target lies beyond the bound (tfar) so that the tree stops on the bound's
 * arc. Sets tX[s] and tfar[s]; in the exact loop, Et at the target.
 */
static void tree_solve(crit_market *m, int32_t s, double x)
{
    m->tfar[s] = 0;
    m->tdirty[s] = 1;
    if ((size_t)m->tanc[s] == m->Z) { /* the ground's tree does not move */
        m->tX[s] = 0;
        if (!m->lin)
            for (int32_t a = m->thead[s]; a >= 0; a = m->nxt[a])
                if (is_econ(m, a)) {
                    double de, d2e, ga;
                    m->Et[a] = node_eval(m, (size_t)a, m->off[a], &de, &d2e,
                                         &ga, NULL);
                }
        return;
    }
    double F = 0, lo = -INFINITY, hi = INFINITY, G, dG, d2G = 0, gross;
    if (m->lin) { /* the linear model, from the tree's sums (its usual
                     case, one exact step, is tree_target_linear's) */
        F = m->sF[s];
        lo = -m->somin[s];
        hi = m->pmax - m->somax[s];
        dG = m->sD[s];
        G = F + m->sA[s] + m->sB[s] + x * dG;
        gross = fabs(F) + m->sG[s];
    } else {
        const double *restrict off = m->off, *restrict fix = m->fix;
        const int32_t *restrict nxt = m->nxt;
        int32_t n = (int32_t)m->n;
        for (int32_t a = m->thead[s]; a >= 0; a = nxt[a]) {
            F += fix[a];
            if (a < n) {
                double o = off[a];
                lo = -o > lo ? -o : lo;
                hi = m->pmax - o < hi ? m->pmax - o : hi;
            }
        }
        G = tree_G(m, s, x, F, &dG, &d2G, &gross);
    }
    double far = 2 * (m->pmax + m->cmax) + 1;
    double target = x;
    double tol = m->rel_tol * gross;
    if (fabs(G) <= tol && isfinite(G))
        goto done;
    if (!isfinite(lo)) { /* out-nodes only: G is the constant F */
        target = G < 0 ? x + far : x - far;
        m->tfar[s] = 1;
        goto done;
    }
    double xl = NAN, xr = NAN, dxold = INFINITY, shrink = 1.0 / 16;
    int onesided = 0; /* steps towards a bound without a bracket */
    int nudged = 0;   /* the last step was to the next double */
    if (G < 0)
        xl = x;
    else
        xr = x;
    for (int it = 0; it < 400; it++) {
        double xn = NAN;
        if (dG > 0 && isfinite(G)) {
            xn = x - G / dG;
            /* Halley's step: the curvature too (cubic convergence), when
               it changes Newton's step by at most a factor of 2 */
            double c = G * d2G / (dG * dG);
            if (fabs(c) <= 1)
                xn = x - 2 * G / (dG * (2 - c));
        }
        if (!isnan(xl) && !isnan(xr)) {
            /* Newton's root within rounding of an end of the bracket
               (its step rounds onto that end, or back to x): the double
               next to that end inside the bracket closes it where no
               double balances the tree within the tolerance (a curve so
               steep that the bracket used to shrink by some 40
               bisections, from the other end), or moves the bracket by
               that double; not twice running */
            double next = NAN, end = xn < 0.5 * (xl + xr) ? xl : xr;
            if (!nudged && fabs(xn - end) <= 2 * DBL_EPSILON * fabs(end))
                next = nextafter(end, end == xl ? INFINITY : -INFINITY);
            nudged = next > xl && next < xr;
            if (nudged)
                xn = next;
            else if (!(xn > xl && xn < xr) || fabs(xn - x) > 0.5 * dxold) {
                /* bisect; geometrically in the lowest node's price when
                   the bracket spans orders of magnitude near zero. From
                   0, down by a factor 16, 256, 65536... (a root down to
                   the smallest double is bracketed in about 9 steps);
                   a product below DBL_MIN would lose its digits or
                   underflow to 0, so its roots are taken apart there */
                double yl = xl - lo, yr = xr - lo, g = yl * yr;
                xn = NAN;
                if (yl > 0 && yr > 16 * yl)
                    xn = lo + (g >= DBL_MIN ? sqrt(g) : sqrt(yl) * sqrt(yr));
                else if (yl == 0) {
                    xn = lo + fmax(yr * shrink, DBL_TRUE_MIN);
                    shrink *= shrink;
                }
                if (!(xn > xl && xn < xr)) /* arithmetically otherwise */
                    xn = 0.5 * (xl + xr);
            }
        } else if (G < 0) {
            if (x >= hi) {
                target = hi + far;
                m->tfar[s] = 1;
                goto done;
            }
            /* a demand alone, of elasticity eps, rises by 1 + 1 / eps a
               step: after three steps up, hi is tried (as lo below) */
            if (!(xn > x) || xn > hi || ++onesided > 3)
                xn = hi;
        } else {
            if (x <= lo) {
                target = lo - far;
                m->tfar[s] = 1;
                goto done;
            }
            /* Where the root is lo itself (a supply of elasticity above 1
               with nothing to take it: G ~ (x - lo)^eta), Newton's steps
               only shrink the distance to it by a constant factor, and
               would crawl for hundreds of steps towards a price that is
               0 to rounding: after three steps down, lo is tried (it
               gives the bracket if the root lies above it) */
            if (!(xn < x) || xn < lo || ++onesided > 3)
                xn = lo;
        }
        dxold = fabs(xn - x);
        x = xn;
        G = tree_G(m, s, x, F, &dG, &d2G, &gross);
        target = x;
        tol = m->rel_tol * gross;
        if (fabs(G) <= tol && isfinite(G))
            break;
        if (G < 0)
            xl = x;
        else
            xr = x;
        /* a bracket of two neighbouring doubles (in the subnormals
           too, where they are DBL_TRUE_MIN apart): first a test that
           needs no call, true up to four doubles apart, then the exact
           one (a double left between them may be where the balance
           jumps, and the solve's error then names the jump) */
        if (!isnan(xl) && !isnan(xr) &&
            !(xr - xl >
              fmax(2 * DBL_EPSILON * fmax(fabs(xl), fabs(xr)), DBL_TRUE_MIN)) &&
            !(nextafter(xl, INFINITY) < xr))
            break;
    }
done:
    m->tX[s] = target;
}

/*
 * A tree's target on the linearised curves, for a tree with an economy
 * and a rising, finite balance: one exact Newton step from the tree's
 * sums, or beyond the bound it passes. 0 for any other tree (tree_solve
 * takes it). A small function apart, so that a join does not pay for the
 * general solve's frame.
 */
static inline int tree_target_linear(crit_market *m, int32_t s, double x)
{
    if ((size_t)m->tanc[s] == m->Z)
        return 0;
    double F = m->sF[s], lo = -m->somin[s], dG = m->sD[s];
    double G = F + m->sA[s] + m->sB[s] + x * dG;
    if (!(dG > 0) || !isfinite(G) || !isfinite(lo))
        return 0;
    double target = x, tol = m->rel_tol * (fabs(F) + m->sG[s]);
    int far = 0;
    if (!(fabs(G) <= tol)) {
        double xn = x - G / dG, hi = m->pmax - m->somax[s];
        double beyond = 2 * (m->pmax + m->cmax) + 1;
        far = 1;
        if (G < 0 && xn > hi)
            target = hi + beyond;
        else if (G > 0 && xn < lo)
            target = lo - beyond;
        else {
            target = xn;
            far = 0;
        }
    }
    m->tfar[s] = (unsigned char)far;
    m->tdirty[s] = 1;
    m->tX[s] = target;
    return 1;
}

/* Target of tree s from its anchor price x (tree_solve). */
static inline void tree_target(crit_market *m, int32_t s, double x)
{
    if (!(m->lin && tree_target_linear(m, s, x)))
        tree_solve(m, s, x);
}

/*
 * The sums of tree s that give its linearised balance at any anchor price
 * x in O(1): F + sA + sB + x sD (tree_target). A join adds the two trees'
 * sums, the absorbed one's shifted; a split and a new linearisation sum
 * again.
 */
static void tree_sums(crit_market *m, int32_t s)
{
    const double *restrict off = m->off, *restrict fix = m->fix;
    const double *restrict lE = m->lE, *restrict ldE = m->ldE;
    const double *restrict lp = m->lp, *restrict lgr = m->lgr;
    const int32_t *restrict nxt = m->nxt;
    int32_t n = (int32_t)m->n;
    double A = 0, B = 0, D = 0, G = 0, F = 0, lo = INFINITY, hi = -INFINITY;
    for (int32_t a = m->thead[s]; a >= 0; a = nxt[a]) {
        F += fix[a];
        if (a < n) {
            double o = off[a], d = ldE[a];
            A += lE[a] - d * lp[a];
            B += d * o;
            D += d;
            G += lgr[a];
            lo = o < lo ? o : lo;
            hi = o > hi ? o : hi;
        }
    }
    m->sA[s] = A;
    m->sB[s] = B;
    m->sD[s] = D;
    m->sG[s] = G;
    m->sF[s] = F;
    m->somin[s] = lo;
    m->somax[s] = hi;
}

/* ---- the step ------------------------------------------------------------ */

/*
 * While the loop runs, tree s moves on a line in the loop's time tau: its
 * anchor's price is tX[s] - tv[s] (1 - tau), so every tree reaches its
 * target at tau = 1, and p_a = that price + off[a]. Only a merged tree
 * changes its line, so the time at which an arc between two other trees
 * turns tight does not change when a join happens elsewhere.
 */
static inline double tree_price(const crit_market *m, int32_t s)
{
    return m->tX[s] - m->tv[s] * (1 - m->tnow);
}

/*
 * Time at which the cheapest arc from tree s into tree t turns tight
 * (pm holds its reduced cost c_uh + off_u - off_h), INFINITY when the
 * trees do not move towards each other. Only the head's tree moving up
 * faster than the tail's closes an arc.
 */
static inline double pair_hit(const crit_market *m, int32_t s, int32_t t)
{
    double c = m->pm[(size_t)s * m->N + (size_t)t];
    double dv = m->tv[t] - m->tv[s];
    if (!(dv > 0) || c == INFINITY)
        return INFINITY;
    double slack = c + tree_price(m, s) - tree_price(m, t);
    return m->tnow + (slack > 0 ? slack / dv : 0);
}

/*
 * Keep in (*best, *arg) the earliest hit of the arcs offered: an arc whose
 * slack closes at speed dv > 0 turns tight slack / dv after now (at once
 * when the slack is <= 0); the division is made only when it wins.
 */
static inline void earliest(double slack, double dv, int32_t t, double *best,
                            int32_t *arg)
{
    if (!(dv > 0))
        return;
    if (slack < 0)
        slack = 0;
    if (slack < *best * dv) {
        *best = slack / dv;
        *arg = t;
    }
}

/* The earliest hit of the arcs leaving tree s. */
static void row_scan(crit_market *m, int32_t s)
{
    const double *restrict pm = m->pm + (size_t)s * m->N;
    const double *restrict tv = m->tv, *restrict tX = m->tX;
    const int32_t *restrict alive = m->alive;
    double r = 1 - m->tnow, vs = tv[s], ps = tX[s] - vs * r;
    double best = INFINITY;
    int32_t arg = -1;
    for (size_t k = 0, na = m->nalive; k < na; k++) {
        int32_t t = alive[k]; /* t == s: no speed difference */
        earliest(pm[t] + ps - (tX[t] - tv[t] * r), tv[t] - vs, t, &best, &arg);
    }
    m->rmin[s] = m->tnow + best;
    m->rarg[s] = arg;
}

/* Time at which the quota gate of i turns tight, from either side. */
static double gate_hit(const crit_market *m, size_t i)
{
    int32_t o = m->outnode[i], si = m->tr[i], so = m->tr[o];
    if (si == so)
        return INFINITY;
    double pi = tree_price(m, si) + m->off[i];
    double po = tree_price(m, so) + m->off[o];
    double s, dv;
    if (m->gate[i] == CRIT__GATE_LOW) {
        s = pi - po;
        dv = m->tv[so] - m->tv[si];
    } else {
        s = po - pi;
        dv = m->tv[si] - m->tv[so];
    }
    if (!(dv > 0))
        return INFINITY;
    return m->tnow + (s > 0 ? s / dv : 0);
}

/* Id of the arc u -> h that is not a gate. */
static size_t arc_id(const crit_market *m, int32_t u, int32_t h)
{
    size_t n = m->n, nn = n * n;
    if ((size_t)h == m->Z)
        return nn + 2 * n + (size_t)u;
    if ((size_t)u == m->Z)
        return nn + n + (size_t)h;
    return (size_t)m->node_econ[u] * n + (size_t)h;
}

static inline void pair_set(crit_market *m, size_t k, double v, int32_t u,
                            int32_t h)
{
    m->pm[k] = v;
    m->pu[k] = u;
    m->ph[k] = h;
}

/*
 * Pairs and earliest hits when trees may hold several economies: the
 * cheapest arc between every two trees from a scan of every arc, then
 * every row's earliest hit.
 */
static void pairs_scan_all(crit_market *m)
{
    size_t N = m->N, n = m->n, T = m->ntree;
    { /* restrict ends with the block: row_scan reads the pairs after it */
        double *restrict pm = m->pm;
        int32_t *restrict pu = m->pu, *restrict ph = m->ph;
        const int32_t *restrict tr = m->tr;
        const double *restrict off = m->off;
        for (size_t s = 0; s < T; s++)
            for (size_t t = 0; t < T; t++)
                pm[s * N + t] = INFINITY;
        /* every tree's economies in ascending order (a counting sort into
           ord, tree t from ts[t] to ts[t + 1]), so that a row looks only
           at its arcs into other trees and, as a scan of the row would,
           keeps the first of equal ones */
        int32_t *restrict ts = m->adj_off, *restrict ord = m->hs;
        for (size_t t = 0; t <= T; t++)
            ts[t] = 0;
        for (size_t j = 0; j < n; j++)
            ts[tr[j] + 1]++;
        for (size_t t = 0; t < T; t++)
            ts[t + 1] += ts[t];
        for (size_t j = 0; j < n; j++)
            ord[ts[tr[j]]++] = (int32_t)j;
        for (size_t t = T; t > 0; t--)
            ts[t] = ts[t - 1];
        ts[0] = 0;
        for (size_t i = 0; i < n; i++) {
            int32_t u = m->outnode[i];
            size_t su = (size_t)tr[u];
            double ou = off[u];
            const double *restrict row = m->cost + i * n;
            double *restrict prow = pm + su * N;
            for (size_t t = 0; t < T; t++) {
                if (t == su)
                    continue;
                double best = prow[t];
                int32_t bh = -1;
                for (int32_t q = ts[t]; q < ts[t + 1]; q++) {
                    int32_t j = ord[q];
                    double v = row[j] + ou - off[j]; /* INFINITY: no arc */
                    if (v < best) {
                        best = v;
                        bh = j;
                    }
                }
                if (bh >= 0) {
                    prow[t] = best;
                    pu[su * N + t] = u;
                    ph[su * N + t] = bh;
                }
            }
        }
    }
    int32_t Z = (int32_t)m->Z;
    size_t sz = (size_t)m->tr[Z];
    for (size_t a = 0; a < n; a++) {
        size_t sa = (size_t)m->tr[a];
        if (sa == sz)
            continue;
        double v = m->off[a] - m->off[Z]; /* disposal a -> Z, cost 0 */
        if (v < m->pm[sa * N + sz])
            pair_set(m, sa * N + sz, v, (int32_t)a, Z);
        v = m->pmax + m->off[Z] - m->off[a]; /* shortage Z -> a */
        if (v < m->pm[sz * N + sa])
            pair_set(m, sz * N + sa, v, Z, (int32_t)a);
    }
    for (size_t t = 0; t < T; t++)
        row_scan(m, (int32_t)t);
}

/*
 * Pairs and earliest hits when the forest holds only gates (a cold start):
 * every economy is alone in its tree with its out-node, so a tree's arcs
 * are one row of the cost matrix and its disposal arc, and the ground is
 * alone with its shortage arcs. gates_forest gives the ground slot 0 and
 * economy j slot j + 1, so a row's pairs are its costs in slot order: one
 * pass per row stores them, another finds the row's earliest hit (as
 * row_scan would, at tau = 0).
 */
static void pairs_single(crit_market *m)
{
    size_t N = m->N, n = m->n, Z = m->Z;
    double *restrict pm = m->pm, *restrict rmin = m->rmin;
    int32_t *restrict pu = m->pu, *restrict ph = m->ph,
                      *restrict rarg = m->rarg;
    const double *restrict off = m->off, *restrict tv = m->tv,
                           *restrict tX = m->tX;
    /* per economy as a head (slot j + 1): its speed and its price now */
    double *restrict hv = m->hv, *restrict hp = m->hp;
    for (size_t j = 0; j < n; j++) {
        hv[j] = tv[j + 1];
        hp[j] = tX[j + 1] - tv[j + 1] + off[j];
    }
    double pz = tX[0] - tv[0], vz = tv[0]; /* the ground's tree */
    for (size_t i = 0; i <= n; i++) {
        /* row i: the tree of economy i, or (i == n) the ground's, which
           reaches every economy by a shortage arc */
        int32_t u = i < n ? m->outnode[i] : (int32_t)Z;
        size_t su = i < n ? i + 1 : 0;
        const double *restrict row = i < n ? m->cost + i * n : NULL;
        double ou = off[u], vs = tv[su], ps = tX[su] - vs + ou;
        double *restrict prow = pm + su * N;
        int32_t *restrict urow = pu + su * N, *restrict hrow = ph + su * N;
        double best = INFINITY;
        int32_t arg = -1;
        /* the ground first (slot order, so that ties go as in row_scan):
           disposal i -> Z at no cost */
        double v = i < n ? off[i] - off[Z] : INFINITY;
        prow[0] = v;
        urow[0] = (int32_t)i;
        hrow[0] = (int32_t)Z;
        if (i < n)
            earliest(v + (ps - ou) - pz, vz - vs, 0, &best, &arg);
        /* trade (INFINITY: no arc, as for j == i) or shortage */
        double *restrict pj = prow + 1;
        int32_t *restrict uj = urow + 1, *restrict hj = hrow + 1;
        if (row)
            for (size_t j = 0; j < n; j++)
                pj[j] = row[j] + ou - off[j];
        else
            for (size_t j = 0; j < n; j++)
                pj[j] = m->pmax + ou - off[j];
        for (size_t j = 0; j < n; j++) {
            uj[j] = u;
            hj[j] = (int32_t)j;
        }
        for (size_t j = 0; j < n; j++) {
            double c = row ? row[j] : m->pmax;
            earliest(c + ps - hp[j], hv[j] - vs, (int32_t)(j + 1), &best, &arg);
        }
        rmin[su] = best;
        rarg[su] = arg;
    }
}

/*
 * The loop's trees from the forest just built: slots, member lists,
 * targets of the trees with a marked node (the others are at their
 * targets), lines, and the cheapest arc from every tree into every other.
 */
static void trees_init(crit_market *m)
{
    size_t N = m->N, n = m->n, T = m->ntree;
    m->tnow = 0;
    m->nalive = T;
    for (size_t t = 0; t < N; t++) /* free slots after the live ones */
        m->alive[t] = m->apos[t] = (int32_t)t;
    for (size_t t = 0; t < T; t++) {
        int32_t q0 = m->tree_start[t], q1 = m->tree_start[t + 1];
        int dirty = 0;
        m->tanc[t] = m->anchor[t];
        m->thead[t] = m->order[q0];
        m->ttail[t] = m->order[q1 - 1];
        for (int32_t q = q0; q < q1; q++) {
            int32_t a = m->order[q];
            m->tr[a] = (int32_t)t;
            m->nxt[a] = q + 1 < q1 ? m->order[q + 1] : -1;
            dirty |= m->mark[a];
            m->mark[a] = 0;
        }
        double x = (size_t)m->anchor[t] == m->Z ? 0 : m->p[m->anchor[t]];
        m->tfar[t] = 0;
        m->tdirty[t] = 1;
        if (m->lin)
            tree_sums(m, (int32_t)t);
        m->tX[t] = x;
        if (dirty)
            tree_target(m, (int32_t)t, x);
        m->tv[t] = m->tX[t] - x;
    }
    size_t gates = 0;
    for (size_t k = 0; k < m->nf; k++)
        gates += m->farc[k] >= n * n && m->farc[k] < n * n + n;
    if (gates == m->nf && m->nf == m->nq) /* every gate, and only gates */
        pairs_single(m);
    else
        pairs_scan_all(m);
}

/*
 * Where tree s's exact solve should start after the linear rounds: its
 * anchor price x is the root of the linearised balance, so one Newton step
 * on the balance with the curves' curvature added (known from the last
 * linearisation; no evaluation) lands much nearer the exact root. x when
 * that step is not defined or moves the price by more than 10 %.
 */
static double curved_start(const crit_market *m, int32_t s, double x)
{
    if ((size_t)m->tanc[s] == m->Z)
        return x;
    double g = 0, d = 0;
    for (int32_t a = m->thead[s]; a >= 0; a = m->nxt[a]) {
        if (!is_econ(m, a))
            continue;
        double da = x + m->off[a] - m->lp[a];
        g += 0.5 * m->ld2E[a] * da * da;
        d += m->ldE[a] + m->ld2E[a] * da;
    }
    if (!(d > 0) || !isfinite(g))
        return x;
    double h = x - g / d;
    return fabs(h - x) < 0.1 * fabs(x) ? h : x;
}

/*
 * The loop's trees as the last loop left them (the same forest and costs,
 * every tree at its target): only the targets change, for new curves (a
 * later round of the same solve, or the next period's solve).
 */
static void trees_resume(crit_market *m, int curved)
{
    size_t nn = m->n * m->n;
    for (size_t k = 0; k < m->nf; k++) /* a new period length moves Q dt */
        if (m->farc[k] >= nn && m->farc[k] < nn + m->n)
            m->fcap[k] = m->qdt[m->farc[k] - nn];
    fixed_flows(m);
    m->tnow = 0;
    for (size_t q = 0; q < m->nalive; q++) {
        int32_t s = m->alive[q];
        double x = m->tX[s];
        if (m->lin)
            tree_sums(m, s);
        tree_target(m, s, curved ? curved_start(m, s, x) : x);
        m->tv[s] = m->tX[s] - x;
    }
    for (size_t q = 0; q < m->nalive; q++)
        row_scan(m, m->alive[q]);
}

/*
 * Tree M hangs from tree K by forest arc f at M's node x, not M's root:
 * the path from x to the root turns round (each node's parent arc becomes
 * that of the node before it on the path, x's is f), M's offsets shift by
 * delta, and M's nodes join K's list, parents before children: the path
 * from x, then M's other nodes in their order (their parents come before
 * them there, or lie on the path).
 */
static void join_reroot(crit_market *m, int32_t M, int32_t K, int32_t x,
                        int32_t f, double delta)
{
    int32_t *restrict pa = m->parent_arc, *restrict nxt = m->nxt;
    int32_t *restrict path = m->pdeg, *restrict rest = m->pxor;
    unsigned char *restrict w = m->mark;
    size_t np = 0, nr = 0;
    for (int32_t v = x, pk = f;;) {
        int32_t up = pa[v];
        pa[v] = pk;
        w[v] = 1;
        path[np++] = v;
        if (up < 0)
            break;
        v = m->ftail[up] == v ? m->fhead[up] : m->ftail[up];
        pk = up;
    }
    for (int32_t a = m->thead[M]; a >= 0; a = nxt[a]) {
        m->off[a] += delta;
        m->tr[a] = K;
        if (w[a])
            w[a] = 0;
        else
            rest[nr++] = a;
    }
    int32_t t = m->ttail[K];
    for (size_t q = 0; q < np; q++)
        t = nxt[t] = path[q];
    for (size_t q = 0; q < nr; q++)
        t = nxt[t] = rest[q];
    nxt[t] = -1;
    m->ttail[K] = t;
}

/*
 * Arc id, now tight, joins two trees: the tree whose anchor stays (the
 * ground's, else the cheaper economy's) absorbs the other, whose offsets
 * shift by one constant; the pairs of the merged tree follow from the two
 * trees' pairs by that shift, its target is solved again and the rows that
 * saw either tree are brought up to date.
 */
static void join(crit_market *m, size_t id)
{
    forest_add(m, id);
    size_t f = m->nf - 1, N = m->N;
    int32_t u = m->ftail[f], h = m->fhead[f];
    double c = m->fcost[f];
    int32_t A = m->tr[u], B = m->tr[h];
    double PA = tree_price(m, A), PB = tree_price(m, B);
    int32_t aA = m->tanc[A], aB = m->tanc[B];
    int keepA;
    if ((size_t)aA == m->Z || (size_t)aB == m->Z)
        keepA = (size_t)aA == m->Z;
    else if (is_econ(m, aA) != is_econ(m, aB))
        keepA = is_econ(m, aA);
    else
        keepA = PA <= PB;
    int32_t K = keepA ? A : B, M = keepA ? B : A;
    double PK = keepA ? PA : PB;
    /* p_h = p_u + c fixes the absorbed tree's offsets */
    double delta =
        keepA ? m->off[u] + c - m->off[h] : m->off[h] - c - m->off[u];
    /* M hangs from the arc's end x in it: x becomes M's root, and the path
       from x to M's old root (its list's head) turns round */
    int32_t x = keepA ? h : u, *restrict pa = m->parent_arc;
    int32_t *restrict nxt = m->nxt;
    if (pa[x] < 0) {
        pa[x] = (int32_t)f;
        for (int32_t a = m->thead[M]; a >= 0; a = nxt[a]) {
            m->off[a] += delta;
            m->tr[a] = K;
        }
        nxt[m->ttail[K]] = m->thead[M];
        m->ttail[K] = m->ttail[M];
    } else
        join_reroot(m, M, K, x, (int32_t)f, delta);
    int32_t pos = m->apos[M], last = m->alive[--m->nalive];
    m->alive[pos] = last;
    m->apos[last] = pos;
    m->alive[m->nalive] = M; /* free */
    m->apos[M] = (int32_t)m->nalive;
    if (m->lin) {
        m->sA[K] += m->sA[M];
        m->sB[K] += m->sB[M] + delta * m->sD[M];
        m->sD[K] += m->sD[M];
        m->sG[K] += m->sG[M];
        m->sF[K] += m->sF[M];
        double lo = m->somin[M] + delta, hi = m->somax[M] + delta;
        if (lo < m->somin[K])
            m->somin[K] = lo;
        if (hi > m->somax[K])
            m->somax[K] = hi;
    }
    tree_target(m, K, PK);
    double r = 1 - m->tnow, vK = (m->tX[K] - PK) / r, now = m->tnow;
    m->tv[K] = vK;
    /*
     * One pass over the other trees X: the merged tree's pairs with X are
     * the cheaper of the two trees' (by the shift), its own earliest hit is
     * the earliest over X, and X's row learns of the merged tree. A row whose
     * cheapest arc went into the join keeps its old minimum as a lower bound
     * of its other arcs (stale, rarg -1) unless the merged tree comes at or
     * before it; a hit is divided out only when it can win.
     */
    const int32_t *restrict alive = m->alive;
    double *restrict pm = m->pm, *restrict rmin = m->rmin;
    int32_t *restrict pu = m->pu, *restrict ph = m->ph,
                      *restrict rarg = m->rarg;
    const double *restrict tv = m->tv, *restrict tX = m->tX;
    double pK = m->tX[K] - vK * r, best = INFINITY;
    int32_t arg = -1;
    for (size_t q = 0, na = m->nalive; q < na; q++) {
        size_t X = (size_t)alive[q];
        if (X == (size_t)K)
            continue;
        size_t kx = (size_t)K * N + X, mx = (size_t)M * N + X;
        size_t xk = X * N + (size_t)K, xm = X * N + (size_t)M;
        double ckx = pm[kx], v = pm[mx] + delta;
        if (v < ckx) {
            pm[kx] = ckx = v;
            pu[kx] = pu[mx];
            ph[kx] = ph[mx];
        }
        double cxk = pm[xk];
        v = pm[xm] - delta;
        if (v < cxk) {
            pm[xk] = cxk = v;
            pu[xk] = pu[xm];
            ph[xk] = ph[xm];
        }
        double vX = tv[X], pX = tX[X] - vX * r;
        double dv = vX - vK; /* K -> X closes when X rises faster */
        earliest(ckx + pK - pX, dv, (int32_t)X, &best, &arg);
        double lim = rmin[X] - now, rel = INFINITY;
        dv = -dv; /* X -> K */
        if (dv > 0 && cxk != INFINITY) {
            double slack = cxk + pX - pK;
            if (slack < 0)
                slack = 0;
            if (slack <= lim * dv)
                rel = slack / dv;
        }
        int32_t ra = rarg[X];
        if (ra == K || ra == M) {
            if (rel <= lim) {
                rmin[X] = now + rel;
                rarg[X] = K;
            } else
                rarg[X] = -1;
        } else if (rel < lim) {
            rmin[X] = now + rel;
            rarg[X] = K;
        }
    }
    rmin[K] = now + best;
    rarg[K] = arg;
}

/*
 * The cheapest of the arcs from u to heads hn[q0..q1) (offsets ho): trade
 * at the costs of u's row, else shortage at cost c (INFINITY: none).
 */
static inline void heads_min(const double *restrict row, double c, double ou,
                             const int32_t *restrict hn,
                             const double *restrict ho, size_t q0, size_t q1,
                             int32_t u, double *best, int32_t *bu, int32_t *bh)
{
    if (!row && c == INFINITY)
        return;
    double b = *best;
    int32_t arg = -1;
    for (size_t q = q0; q < q1; q++) {
        double v = (row ? row[hn[q]] : c) + ou - ho[q];
        if (v < b) {
            b = v;
            arg = (int32_t)q;
        }
    }
    if (arg >= 0) {
        *best = b;
        *bu = u;
        *bh = hn[arg];
    }
}

/*
 * The cheapest arc from a member of list a to a member of list b (the
 * first of equals in list order, tails before heads).
 */
static void pair_scan(crit_market *m, int32_t a, int32_t b, size_t k)
{
    const double *restrict off = m->off;
    int32_t Z = (int32_t)m->Z, n = (int32_t)m->n;
    /* list b's economies in list order, and where the ground comes among
       them (no arc enters an out-node but its gate) */
    int32_t *restrict hn = m->hs;
    double *restrict ho = m->hp;
    size_t nb = 0, zq = NONE;
    for (int32_t h = b; h >= 0; h = m->nxt[h])
        if (h < n) {
            hn[nb] = h;
            ho[nb++] = off[h];
        } else if (h == Z)
            zq = nb;
    size_t mid = zq == NONE ? nb : zq;
    double best = INFINITY;
    int32_t bu = -1, bh = -1;
    for (int32_t u = a; u >= 0; u = m->nxt[u]) {
        /* u's arcs: trade to economies (a row of costs; none from an
           economy whose exports leave by its gate), shortage from the
           ground to economies, disposal from an economy to the ground */
        const double *restrict row = NULL;
        double shortage = INFINITY, ou = off[u];
        if (u == Z)
            shortage = m->pmax;
        else {
            int32_t i = m->node_econ[u];
            if (m->outnode[i] == u)
                row = m->cost + (size_t)i * (size_t)n;
        }
        heads_min(row, shortage, ou, hn, ho, 0, mid, u, &best, &bu, &bh);
        if (zq != NONE && u < n && ou - off[Z] < best) { /* disposal */
            best = ou - off[Z];
            bu = u;
            bh = Z;
        }
        heads_min(row, shortage, ou, hn, ho, mid, nb, u, &best, &bu, &bh);
    }
    pair_set(m, k, best, bu, bh);
}

/*
 * Whether the pair that row s's earliest hit comes from holds its cheapest
 * arc; if it holds only a lower bound of its cost (a split left it STALE),
 * the pair is scanned now and 0 returned: the row must be scanned again.
 */
static int pair_fresh(crit_market *m, int32_t s)
{
    int32_t t = m->rarg[s];
    size_t k = (size_t)s * m->N + (size_t)t;
    if (m->pu[k] != STALE)
        return 1;
    pair_scan(m, m->thead[s], m->thead[t], k);
    return 0;
}

/*
 * Forest arc k leaves (every tree at its target, the flows just computed
 * by tree_flows): its tree splits in two. The side with the tree's anchor
 * keeps the slot, the other side takes a free slot and its cheapest
 * economy as anchor. A cheapest arc between the tree and another tree that
 * lies on one side stays that side's (shifted for the new anchor); the
 * other side keeps its cost only as a lower bound of its own (STALE), as
 * do the pairs between the two sides (0: the arcs inside a tree are not
 * cheaper than the difference of their prices). A STALE pair is scanned
 * only when its hit comes first (pair_fresh): most never are. The two
 * sides get new targets; every other tree rests at its target.
 */
static void split(crit_market *m, size_t k)
{
    size_t N = m->N;
    int32_t x = m->ftail[k], y = m->fhead[k];
    int32_t c = m->parent_arc[x] == (int32_t)k ? x : y;
    int32_t C = m->tr[c];
    unsigned char *w = m->mark; /* all zero while the loop runs */
    int32_t *parent = m->parent_arc;
    /* the subtree below the arc (the tree's list has parents first), whose
       root c becomes */
    w[c] = 1;
    for (int32_t a = m->thead[C]; a >= 0; a = m->nxt[a]) {
        int32_t pk = parent[a];
        if (a != c && pk >= 0)
            w[a] = w[m->ftail[pk] == a ? m->fhead[pk] : m->ftail[pk]];
    }
    forest_remove(m, k);
    fixed_flows(m);
    unsigned char flip = w[m->tanc[C]];
    int32_t hR = -1, tR = -1, hW = -1, tW = -1, aW = -1;
    for (int32_t a = m->thead[C], next; a >= 0; a = next) {
        next = m->nxt[a];
        m->nxt[a] = -1;
        w[a] ^= flip; /* 1: the side that leaves the slot */
        if (w[a]) {
            if (tW >= 0)
                m->nxt[tW] = a;
            else
                hW = a;
            tW = a;
            if (aW < 0 ||
                (is_econ(m, a) && (!is_econ(m, aW) || m->off[a] < m->off[aW])))
                aW = a;
        } else {
            if (tR >= 0)
                m->nxt[tR] = a;
            else
                hR = a;
            tR = a;
        }
    }
    int32_t W = m->alive[m->nalive];
    m->apos[W] = (int32_t)m->nalive++;
    double delta = -m->off[aW];
    for (int32_t a = hW; a >= 0; a = m->nxt[a]) {
        m->off[a] += delta;
        m->tr[a] = W;
    }
    m->thead[C] = hR;
    m->ttail[C] = tR;
    m->thead[W] = hW;
    m->ttail[W] = tW;
    m->tanc[W] = aW;
    m->tX[W] = m->tX[C] - delta;
    /* pairs with the other trees, then between the two sides */
    for (size_t q = 0; q < m->nalive; q++) {
        size_t X = (size_t)m->alive[q];
        if (X == (size_t)C || X == (size_t)W)
            continue;
        size_t cx = (size_t)C * N + X, wx = (size_t)W * N + X;
        size_t xc = X * N + (size_t)C, xw = X * N + (size_t)W;
        double v = m->pm[cx];
        int32_t u = m->pu[cx];
        if (v == INFINITY)
            m->pm[wx] = INFINITY;
        else if (u == STALE)
            pair_set(m, wx, v + delta, STALE, STALE);
        else if (w[u]) {
            pair_set(m, wx, v + delta, u, m->ph[cx]);
            pair_set(m, cx, v, STALE, STALE);
        } else
            pair_set(m, wx, v + delta, STALE, STALE);
        v = m->pm[xc];
        int32_t h = m->ph[xc];
        if (v == INFINITY)
            m->pm[xw] = INFINITY;
        else if (h == STALE)
            pair_set(m, xw, v - delta, STALE, STALE);
        else if (w[h]) {
            pair_set(m, xw, v - delta, m->pu[xc], h);
            pair_set(m, xc, v, STALE, STALE);
        } else
            pair_set(m, xw, v - delta, STALE, STALE);
    }
    /* reduced cost >= 0 in the old offsets, W's shifted by delta */
    pair_set(m, (size_t)C * N + (size_t)W, -delta, STALE, STALE);
    pair_set(m, (size_t)W * N + (size_t)C, delta, STALE, STALE);
    for (int32_t a = hW; a >= 0; a = m->nxt[a])
        w[a] = 0;
    /* targets: the two sides move, the rest stays */
    for (size_t q = 0; q < m->nalive; q++)
        m->tv[m->alive[q]] = 0;
    m->tnow = 0;
    int32_t side[2] = {C, W};
    for (int e = 0; e < 2; e++) {
        int32_t s = side[e];
        double p = m->tX[s];
        if (m->lin)
            tree_sums(m, s);
        tree_target(m, s, p);
        m->tv[s] = m->tX[s] - p;
    }
    row_scan(m, C);
    row_scan(m, W);
    for (size_t q = 0; q < m->nalive; q++) {
        int32_t X = m->alive[q];
        if (X == C || X == W)
            continue;
        double hc = pair_hit(m, X, C), hw = pair_hit(m, X, W);
        m->rmin[X] = hc <= hw ? hc : hw;
        m->rarg[X] = hc <= hw ? C : W;
    }
}

/*
 * Start the loop's time again at the current point (keeps 1 - tau away
 * from zero, so a merged tree's speed stays well conditioned). Hit times
 * map affinely; their order does not change.
 */
static void new_epoch(crit_market *m)
{
    double r = 1 - m->tnow;
    for (size_t q = 0; q < m->nalive; q++) {
        int32_t s = m->alive[q];
        m->tv[s] *= r;
        if (m->rmin[s] != INFINITY)
            m->rmin[s] = fmax(0, (m->rmin[s] - m->tnow) / r);
    }
    m->tnow = 0;
}

/*
 * Prices and flows of the trees at their targets (every tree there): a
 * tree whose flows are not known (tdirty) gets its nodes' prices (and
 * their linear balances on linearised curves) and its arcs' flows from
 * the balances, by a pass over its list from the end (children before
 * parents): a node's arc to its parent carries the balance of the node
 * and all below it. Each tree keeps the worst excess over its arcs'
 * bounds [0, capacity] beyond the tolerance (tviol; none where it is no
 * more than the balance left at the root, which the tree's target could
 * not close, and that is within the solve's tolerance); the others'
 * stand.
 * Sets *drop to the forest arc with the worst of all (the first in index
 * order of equals), or NONE. Returns -1 if a list's parents are not a
 * tree's (a bug).
 */
static int tree_flows(crit_market *m, size_t *drop)
{
    int32_t n = (int32_t)m->n;
    const int32_t *restrict pa = m->parent_arc, *restrict nxt = m->nxt;
    const int32_t *restrict ft = m->ftail, *restrict fh = m->fhead;
    double *restrict acc = m->acc, *restrict flow = m->fflow;
    double *restrict p = m->p, *restrict Et = m->Et;
    const double *restrict fix = m->fix, *restrict cap = m->fcap;
    const double *restrict off = m->off, *restrict lE = m->lE,
                           *restrict ldE = m->ldE, *restrict lp = m->lp;
    int32_t *restrict list = m->hs;
    double tol = m->rel_tol * m->vscale, worst = 0;
    size_t dk = NONE;
    int lin = m->lin;
    for (size_t q = 0; q < m->nalive; q++) {
        int32_t s = m->alive[q];
        double v = 0;
        size_t vk = NONE;
        if (m->tdirty[s]) {
            double X = m->tX[s];
            size_t len = 0;
            for (int32_t a = m->thead[s]; a >= 0; a = nxt[a]) {
                double pr = X + off[a], e = fix[a];
                p[a] = pr;
                if (a < n) {
                    if (lin)
                        Et[a] = lE[a] + ldE[a] * (pr - lp[a]);
                    e += Et[a];
                }
                acc[a] = e;
                list[len++] = a;
            }
            if (pa[list[0]] >= 0)
                return -1;
            for (size_t r = len; r-- > 1;) {
                int32_t a = list[r], k = pa[a];
                if (k < 0)
                    return -1;
                int32_t t = ft[k];
                double f = t == a ? acc[a] : -acc[a];
                acc[t == a ? fh[k] : t] += acc[a];
                flow[k] = f;
                double x = f < -tol ? -f : f - cap[k];
                if (x > tol && (x > v || (x == v && (size_t)k < vk))) {
                    v = x;
                    vk = (size_t)k;
                }
            }
            /* what is left at the root is the balance the tree's target
               could not close (the ground's tree has no target): where
               that is within the solve's tolerance, a flow outside its
               bounds by no more than it is as good as within them (else
               dropping its arc and joining it again can go round for
               ever, on the same rounding) */
            double left = fabs(acc[list[0]]);
            if (vk != NONE && m->tanc[s] != (int32_t)m->Z &&
                left <= m->opt.tolerance * m->vscale && !(v > tol + left)) {
                v = 0;
                vk = NONE;
            }
            m->tdirty[s] = 0;
            m->tviol[s] = v;
            m->tvid[s] = vk == NONE ? 0 : m->farc[vk];
        } else if (m->tviol[s] > 0) {
            v = m->tviol[s];
            for (vk = 0; vk < m->nf && m->farc[vk] != m->tvid[s]; vk++)
                ;
            if (vk == m->nf)
                return -1;
        }
        if (vk != NONE && (v > worst || (v == worst && vk < dk))) {
            worst = v;
            dk = vk;
        }
    }
    *drop = dk;
    return 0;
}

/* ---- start ------------------------------------------------------------- */

static void cold_start(crit_market *m)
{
    size_t n = m->n;
    m->trees_ok = 0;
    for (size_t a = 0; a < m->N; a++)
        m->p[a] = m->p0;
    m->p[m->Z] = 0;
    m->nf = 0;
    for (size_t i = 0; i < n; i++) {
        m->gate[i] = CRIT__GATE_LOW;
        if (m->outnode[i] != (int32_t)i) {
            m->gate[i] = CRIT__GATE_TREE;
            forest_add(m, n * n + i);
        }
    }
}

/*
 * Relax economy i's arcs: p_j <= p_o(i) + c_ij. With a queue (a ring of
 * n + 1 places; `queued` marks who is in it), an economy whose price falls
 * and whose own arcs leave from it (no quota gate) joins it.
 */
static void relax_row(crit_market *m, size_t i, int32_t *queue,
                      unsigned char *queued, size_t *tail)
{
    size_t n = m->n;
    double pt_ = m->p[m->outnode[i]];
    const double *restrict row = m->cost + i * n;
    double *restrict p = m->p;
    for (size_t j = 0; j < n; j++) {
        double v = pt_ + row[j];
        if (v < p[j] && j != i) {
            p[j] = v;
            if (queue && m->outnode[j] == (int32_t)j && !queued[j]) {
                queued[j] = 1;
                queue[*tail] = (int32_t)j;
                *tail = *tail == n ? 0 : *tail + 1;
            }
        }
    }
}

/* The same by a dense Dijkstra over every node: O(N^2) at worst. */
static void relax_dijkstra(crit_market *m)
{
    size_t n = m->n, Nn = m->N - 1;
    for (size_t a = 0; a < Nn; a++)
        m->mark[a] = 0;
    for (size_t it = 0; it < Nn; it++) {
        size_t best = NONE;
        for (size_t a = 0; a < Nn; a++)
            if (!m->mark[a] && (best == NONE || m->p[a] < m->p[best]))
                best = a;
        m->mark[best] = 1;
        /* an out-node's arcs are its exporter's; an economy with a
           quota has none of its own */
        if (best >= n)
            relax_row(m, (size_t)m->node_econ[best], NULL, NULL, NULL);
        else if (m->outnode[best] == (int32_t)best)
            relax_row(m, best, NULL, NULL, NULL);
    }
    for (size_t a = 0; a < Nn; a++)
        m->mark[a] = 0;
}

/*
 * Lower prices to the largest feasible ones below them: p_j <= p_o(i) +
 * c_ij on every allowed arc. One pass over every economy's arcs, then
 * again over the arcs of those whose price fell, until none falls: few
 * after a warm start's small changes. Costs are >= 0, so each price ends
 * as the least over all routes of a starting price plus the costs on the
 * way; rounding is monotone, so that holds to the bit whatever the order.
 * Queue order can make some worlds fall in many small steps (O(n^3)): past
 * 4n rows from the queue, a Dijkstra finishes from the prices reached.
 * Returns 1 when the Dijkstra ran (for the tests).
 */
int crit__market_relax_prices(crit_market *m)
{
    size_t n = m->n, head = 0, tail = 0, budget = 4 * n;
    int32_t *queue = m->hs;
    unsigned char *queued = m->mark;
    for (size_t a = 0; a < n; a++)
        queued[a] = 0;
    for (size_t i = 0; i < n; i++)
        relax_row(m, i, queue, queued, &tail);
    while (head != tail) {
        if (budget-- == 0) {
            relax_dijkstra(m); /* clears the marks */
            return 1;
        }
        size_t i = (size_t)queue[head];
        head = head == n ? 0 : head + 1;
        queued[i] = 0;
        relax_row(m, i, queue, queued, &tail);
    }
    return 0;
}

/*
 * Start the loop from a point kept earlier: prices P of the economies
 * and, when the nodes are the same (same, the out-nodes of quotas), of
 * the out-nodes, with gates G and forest arcs F[0..nF) (those still open).
 * The prices are brought into the box and made feasible, and the arcs no
 * longer tight leave. -1 when the arcs hold a cycle.
 */
static int start_from(crit_market *m, const double *P, const unsigned char *G,
                      const size_t *F, size_t nF, int same)
{
    size_t n = m->n;
    m->trees_ok = 0;
    for (size_t a = 0; a < m->N; a++)
        m->p[a] = m->p0;
    for (size_t a = 0; a < n; a++)
        m->p[a] = P[a];
    m->p[m->Z] = 0;
    m->nf = 0;
    for (size_t i = 0; i < n; i++)
        m->gate[i] = CRIT__GATE_LOW;
    if (same) {
        for (size_t a = n; a < m->Z; a++)
            m->p[a] = P[a];
        for (size_t i = 0; i < n; i++)
            m->gate[i] = G[i];
        for (size_t k = 0; k < nF; k++) {
            size_t id = F[k];
            if (id < n * n && m->cost[id] == INFINITY)
                continue;
            forest_add(m, id);
        }
        if (build_forest(m))
            return -1;
    }
    for (size_t a = 0; a < m->Z; a++)
        m->p[a] = fmin(fmax(m->p[a], 0), m->pmax);
    crit__market_relax_prices(m);
    /* keep the forest arcs that are still tight */
    double tol = 1e-12 * m->pmax;
    size_t k = 0;
    while (k < m->nf) {
        int32_t t = m->ftail[k], h = m->fhead[k];
        double pt_ = (size_t)t == m->Z ? 0 : m->p[t];
        double ph = (size_t)h == m->Z ? 0 : m->p[h];
        if (fabs(ph - pt_ - m->fcost[k]) <= tol)
            k++;
        else
            forest_remove(m, k);
    }
    /* gates: in the forest, or on the side their prices say */
    for (size_t i = 0; i < n; i++)
        m->mark[i] = 0;
    for (size_t q = 0; q < m->nf; q++)
        if (m->farc[q] >= n * n && m->farc[q] < n * n + n)
            m->mark[m->farc[q] - n * n] = 1;
    for (size_t i = 0; i < n; i++) {
        int32_t o = m->outnode[i];
        if (o == (int32_t)i)
            m->gate[i] = CRIT__GATE_LOW;
        else if (m->mark[i])
            m->gate[i] = CRIT__GATE_TREE;
        else
            m->gate[i] = m->p[o] > m->p[i] ? CRIT__GATE_UP : CRIT__GATE_LOW;
    }
    return 0;
}

/* Start from the last solve's results (a warm solve). */
static int warm_start(crit_market *m)
{
    int same = 1;
    for (size_t i = 0; i < m->n; i++)
        same &= m->warm_outnode[i] == m->outnode[i];
    return start_from(m, m->warm_p, m->warm_gate, m->warm_farc, m->warm_nf,
                      same);
}

/* ---- the active-set loop ----------------------------------------------- */

/*
 * The error of a solve whose economy i balances only below the smallest
 * double: why says how it shows (its demand infinite at price 0, or the
 * price the solve stopped at).
 */
static int below_double(const crit_market *m, size_t i, const char *why)
{
    return crit__error(
        CRIT_ENOCONV, "market '%s': no price balances economy '%s': %s",
        m->world->min[m->mineral].code, m->world->eco[i].code, why);
}

/* below_double for economy i of elastic demand, put at price 0 */
static int demand_at_zero(const crit_market *m, size_t i)
{
    return below_double(m, i,
                        "its demand is elastic, so infinite at price 0, and "
                        "its equilibrium price is too small for a double");
}

/*
 * How far economy a's excess supply moves (per period) from price p to a
 * neighbouring double: the next one up, and with `down` the next one down
 * too where p > 0 (from the smallest subnormal to 0 an elastic supply
 * falls to nothing), the larger of the two. Evaluates the curves at p
 * last, so the last evaluation kept is at p.
 */
static double double_step(crit_market *m, size_t a, double p, int down)
{
    double de, d2e, g, el = NAN;
    double eu = node_eval(m, a, nextafter(p, INFINITY), &de, &d2e, &g, NULL);
    if (down && p > 0)
        el = node_eval(m, a, nextafter(p, 0), &de, &d2e, &g, NULL);
    double e0 = node_eval(m, a, p, &de, &d2e, &g, NULL);
    double t = fabs(eu - e0);
    return isnan(el) ? t : fmax(t, fabs(el - e0));
}

/*
 * Whether economy a's excess supply moves by more than the tolerance (of
 * the solve's volume) from price p to the next double: below DBL_MIN no
 * double may then balance its tree (an elastic supply that is 0 at price 0
 * and thousands of tonnes at 5e-324 USD/t).
 */
static int ulp_jump(crit_market *m, size_t a, double p)
{
    return !(double_step(m, a, p, 0) <= m->opt.tolerance * m->vscale);
}

/*
 * Why a solve still stepping after CRIT__LINEAR_STEPS steps per node goes
 * back and forth, where it is an economy that balances only below the
 * smallest double: one of elastic demand at price 0 (its demand infinite)
 * or at a subnormal price short of its curve, else any economy at a
 * subnormal price, or at 0 short of supply (its supply, zero there,
 * exceeds its demand at the next double), or at 0 where its balance jumps
 * by more than the tolerance to the next double. The error, or CRIT_OK.
 */
static int stuck_below_double(crit_market *m)
{
    for (size_t a = 0; a < m->n; a++) {
        double pa = tree_price(m, m->tr[a]) + m->off[a];
        if (m->Et[a] == -INFINITY ||
            (m->ceps[a] > 0 && pa < DBL_MIN && m->Et[a] < 0))
            return demand_at_zero(m, a);
    }
    for (size_t a = 0; a < m->n; a++) {
        double pa = tree_price(m, m->tr[a]) + m->off[a];
        if (pa < DBL_MIN && (pa > 0 || m->Et[a] < 0 || ulp_jump(m, a, pa))) {
            char why[96];
            crit__format(why, sizeof why,
                         "its equilibrium price is too small for a double (the "
                         "solve stopped at %g USD/t)",
                         pa);
            return below_double(m, a, why);
        }
    }
    return CRIT_OK;
}

/* Linearised rounds of a cold start at most (each costs one evaluation). */
#define CRIT__LINEAR_ROUNDS 12

/*
 * Steps a linear round may take per node (and a constant) before the cold
 * start gives the linear rounds up (as_loop returns CRIT__GAVE_UP). A
 * round takes one to four steps per node (3.6 at most over 1,800 rounds
 * of random worlds of up to 200 economies). Where a linearisation far
 * from the equilibrium makes a tree's balance the small difference of
 * large terms, rounding can make a step undo the last one forever; the
 * rounds only choose the exact loop's start, so they are abandoned
 * rather than the solve.
 */
#define CRIT__LINEAR_STEPS 16
#define CRIT__GAVE_UP 1

/*
 * Such an undoing shows as an arc that leaves the forest and is the next
 * to join it again, the forest as it was (every one of 102 rounds that
 * reached the cap in 3,000 random worlds of extreme curves did only that,
 * with one arc or two in turn). A linear round that does so this many
 * times running is given up at once.
 */
#define CRIT__LINEAR_UNDOS 4

/*
 * The loop from the current forest and feasible prices (every tree dirty)
 * to the equilibrium of the current curves (linearised when m->lin).
 * Returns CRIT_OK, or CRIT_ENOCONV when the iteration cap is reached, or
 * CRIT_EINTERNAL on an inconsistent forest; on linearised curves, or
 * in a retry at a tighter tolerance (m->retry), CRIT__GAVE_UP after
 * CRIT__LINEAR_STEPS steps per node; on linearised curves, also after
 * CRIT__LINEAR_UNDOS undoings running.
 */
static int as_loop(crit_market *m)
{
    int64_t cap =
        (int64_t)m->iterations + CRIT__LINEAR_STEPS * (int64_t)m->N + 64;
    size_t n = m->n, nn = n * n;
    const char *code = m->world->min[m->mineral].code;
    int resume = m->trees_ok, curved = m->curved;
    m->trees_ok = m->curved = 0;
    m->left_arc = NONE;
    m->left_at = m->undos = 0;
    if (!resume)
        for (size_t a = 0; a < m->N; a++)
            m->mark[a] = 1;
    if (resume)
        trees_resume(m, curved);
    else if (build_forest(m))
        return crit__error(CRIT_EINTERNAL,
                           "market '%s': the working set is not a forest",
                           code);
    else {
        fixed_flows(m);
        trees_init(m);
    }
    for (;;) {
        for (;;) {
            if (m->iterations >= cap) {
                if (m->lin || m->retry)
                    return CRIT__GAVE_UP;
                int rc = stuck_below_double(m);
                if (rc)
                    return rc;
            }
            if (m->iterations >= m->opt.max_iterations)
                return crit__error(CRIT_ENOCONV,
                                   "market '%s': no equilibrium within %d "
                                   "iterations",
                                   code, (int)m->opt.max_iterations);
            m->iterations++;
            /* the first arc to turn tight before the targets */
            double best;
            int32_t bs;
            size_t bg = NONE;
            for (;;) {
                best = 1;
                bs = -1;
                for (size_t q = 0; q < m->nalive; q++) {
                    int32_t s = m->alive[q];
                    if (m->rmin[s] < best) {
                        best = m->rmin[s];
                        bs = s;
                    }
                }
                if (bs < 0 || (m->rarg[bs] >= 0 && pair_fresh(m, bs)))
                    break;
                row_scan(m, bs); /* a stale row or pair came first */
            }
            for (size_t g = 0; g < m->nq; g++) {
                size_t i = (size_t)m->node_econ[n + g];
                double t = gate_hit(m, i);
                if (t < best) {
                    best = t;
                    bs = -1;
                    bg = i;
                }
            }
            if (bs < 0 && bg == NONE)
                break;
            if (best > m->tnow)
                m->tnow = best;
            size_t id;
            if (bg != NONE) {
                id = nn + bg;
                m->gate[bg] = CRIT__GATE_TREE;
            } else {
                size_t k = (size_t)bs * m->N + (size_t)m->rarg[bs];
                id = arc_id(m, m->pu[k], m->ph[k]);
            }
            join(m, id);
            if (m->tnow > 0.5)
                new_epoch(m);
        }
        /* every tree at its target: the flows say which arc must go */
        for (size_t q = 0; q < m->nalive; q++)
            if (m->tfar[m->alive[q]])
                return crit__error(CRIT_EINTERNAL,
                                   "market '%s': a tree has no bound", code);
        fixed_flows(m);
        size_t k;
        if (tree_flows(m, &k))
            return crit__error(CRIT_EINTERNAL,
                               "market '%s': the working set is not a forest",
                               code);
        if (k == NONE) {
            m->trees_ok = 1;
            return CRIT_OK;
        }
        size_t id = m->farc[k];
        if (id >= nn && id < nn + n)
            m->gate[id - nn] =
                m->fflow[k] > m->fcap[k] ? CRIT__GATE_UP : CRIT__GATE_LOW;
        /* the one step since the last split (and the pass that found no
           other) took its arc back: the forest's last arc */
        if (m->lin && m->iterations == m->left_at + 2 &&
            m->farc[m->nf - 1] == m->left_arc) {
            if (++m->undos >= CRIT__LINEAR_UNDOS)
                return CRIT__GAVE_UP;
        } else
            m->undos = 0;
        m->left_arc = id;
        m->left_at = m->iterations;
        split(m, k);
    }
}

/*
 * Linearise every economy's curves at a price, at[a] for economy a (its
 * current price, or where cycling rounds are damped). A price at zero
 * under elastic demand has no finite linearisation: after the first round
 * such an economy is linearised at half its last point instead (the rounds
 * only choose the exact loop's start; a point moves at most halfway to
 * zero per round). -1 when a value is still not finite.
 */
static int linearise(crit_market *m, const double *at, int first)
{
    for (size_t a = 0; a < m->n; a++) {
        double x = at[a], de, d2e, g;
        double e = node_eval(m, a, x, &de, &d2e, &g, NULL);
        if (!(isfinite(e) && isfinite(de) && isfinite(g))) {
            if (first)
                return -1;
            x = 0.5 * m->lp[a];
            e = node_eval(m, a, x, &de, &d2e, &g, NULL);
            if (!isfinite(e) || !isfinite(de) || !isfinite(g))
                return -1;
        }
        m->lp[a] = x;
        m->ld2E[a] = isfinite(d2e) ? d2e : 0;
        m->lE[a] = e;
        m->ldE[a] = de;
        m->lgr[a] = g;
    }
    return 0;
}

/* An order-free fingerprint of the forest's arcs. */
static void forest_print(const crit_market *m, size_t fp[3])
{
    fp[0] = m->nf;
    fp[1] = fp[2] = 0;
    for (size_t k = 0; k < m->nf; k++) {
        size_t x = m->farc[k] * 0x9E3779B97F4A7C15ull;
        fp[1] += x;
        fp[2] ^= x ^ (x >> 29);
    }
}

static int same_print(const size_t a[3], const size_t b[3])
{
    return a[0] == b[0] && a[1] == b[1] && a[2] == b[2];
}

/*
 * Solve for the current cost matrix. Returns CRIT_OK, or CRIT_ENOCONV when
 * the iteration cap is reached, or CRIT_EINTERNAL on an inconsistent
 * forest.
 *
 * A cold start first runs the loop on linearised curves (Newton's method
 * on the whole equilibrium, each step an exact solve of the linear
 * complementarity problem by the same active set, with no curve
 * evaluation inside): one evaluation of every curve per round, until a
 * round leaves the forest unchanged (or CRIT__LINEAR_ROUNDS rounds). Two
 * rounds whose forests repeat those of two earlier rounds in turn show
 * Newton's steps cycling, and the next round is linearised halfway between
 * the last two rounds' points instead (a damped step). The exact loop then
 * starts from that forest and those prices, where it usually needs one
 * tree solve per tree. The linear rounds only choose the starting point:
 * the exact loop alone decides the solution, from any start; a round that
 * does not finish within its steps (CRIT__LINEAR_STEPS) gives the rounds
 * up, and the exact loop starts from the last round that finished (its
 * prices and forest, as a warm solve starts from the last solve's), or
 * from the cold start's prices when the first round gave up.
 */
static int active_set(crit_market *m, int warm)
{
    int rc;
    if (warm && m->warm_valid) {
        /* with the last solve's trees still valid, as_loop resumes them */
        if (!m->trees_ok && warm_start(m))
            cold_start(m);
    } else {
        cold_start(m);
        /* the fingerprints of the rounds' forests */
        size_t fp[CRIT__LINEAR_ROUNDS][3];
        int cycling = 0;
        for (int outer = 0; outer < CRIT__LINEAR_ROUNDS; outer++) {
            if (linearise(m, cycling ? m->lin_at : m->p, outer == 0))
                break;
            m->lin = 1;
            rc = as_loop(m);
            m->lin = 0;
            if (rc == CRIT__GAVE_UP) {
                /* the exact loop from the last round that finished (every
                   round but the first follows one), else the start */
                if (outer == 0 || start_from(m, m->lin_p, m->lin_gate,
                                             m->lin_farc, m->lin_nf, 1))
                    cold_start(m);
                break;
            }
            if (rc)
                return rc;
            /* the last round's forest again ends the rounds: Newton's
               step has converged */
            forest_print(m, fp[outer]);
            if (outer > 0 && same_print(fp[outer], fp[outer - 1]))
                break;
            /* the last two rounds' forests again, in turn: the steps
               cycle, and the next round is linearised halfway between this
               round's point and the last's */
            cycling = 0;
            for (int k = 1; k < outer - 1 && !cycling; k++)
                cycling = same_print(fp[outer], fp[k]) &&
                          same_print(fp[outer - 1], fp[k - 1]);
            if (cycling)
                for (size_t a = 0; a < m->n; a++)
                    m->lin_at[a] = 0.5 * (m->p[a] + m->lin_p[a]);
            /* a round may follow: keep this one's point */
            memcpy(m->lin_p, m->p, m->N * sizeof *m->p);
            memcpy(m->lin_farc, m->farc, m->nf * sizeof *m->farc);
            memcpy(m->lin_gate, m->gate, m->n);
            m->lin_nf = m->nf;
        }
        m->curved = m->trees_ok; /* the exact loop resumes those trees */
    }
    return as_loop(m);
}

/* ---- setting up a solve ------------------------------------------------ */

/* Copy the world's and the policy's data into the workspace. */
static void load(crit_market *m)
{
    const crit_world *w = m->world;
    const crit__mineral *mn = &w->min[m->mineral];
    size_t n = m->n;
    m->p0 = mn->p0;
    m->pmax = mn->pmax;
    m->nq = 0;
    double vs = 0, vk = 0;
    for (size_t i = 0; i < n; i++) {
        const crit__curve *c = &mn->curve[i];
        m->cs0[i] = c->s0;
        m->cK[i] = c->K;
        m->ceta[i] = c->eta;
        m->cd0[i] = c->d0;
        m->ceps[i] = c->eps;
        m->ca[i] = m->avail[i];
        m->cg[i] = m->level[i];
        m->member[i] = (unsigned char)(w->eco[i].member != 0);
        m->fF[i] = -1;
        m->qdt[i] = mn->quota[i] * m->dt;
        m->outnode[i] = (int32_t)i;
        m->agent_head[i] = -1;
        m->ep[i] = NAN;
        vs += (c->d0 * m->level[i] + c->s0 * m->avail[i]) * m->dt;
        vk += c->K * m->avail[i] * m->dt;
    }
    for (size_t i = 0; i < n; i++) {
        m->node_econ[i] = (int32_t)i;
        if (isfinite(mn->quota[i])) {
            m->node_econ[n + m->nq] = (int32_t)i;
            m->outnode[i] = (int32_t)(n + m->nq++);
        }
    }
    m->Z = n + m->nq;
    m->N = m->Z + 1;
    for (size_t k = m->n_agent; k-- > 0;) {
        size_t e = m->agent[k].eco;
        m->agent_next[k] = m->agent_head[e];
        m->agent_head[e] = (int32_t)k;
        vs += (m->agent[k].amax + m->agent[k].gmax) * m->dt;
    }
    if (m->policy)
        for (size_t k = 0; k < m->policy->n_floor; k++) {
            const crit__floor *f = &m->policy->floor[k];
            if (f->eco < n) {
                m->fF[f->eco] = f->F;
                m->fth[f->eco] = f->theta;
                m->fphi[f->eco] = f->phi;
            }
        }
    m->vscale = vs > 0 ? vs : vk > 0 ? vk : 1;
    for (size_t i = 0; i < n; i++) {
        m->cav[i] = m->ca[i] * m->dt;
        m->cdd[i] = m->cd0[i] * m->cg[i] * m->dt;
        int supply = m->cs0[i] > 0 && m->cav[i] > 0;
        m->plain[i] = 0;
        if ((!supply || m->ceta[i] != 0) && m->cdd[i] > 0 && m->ceps[i] != 0 &&
            m->agent_head[i] < 0 && !(m->fF[i] >= 0 && m->fth[i] > 0))
            m->plain[i] = supply ? PLAIN_ELASTIC : PLAIN_NO_SUPPLY;
        m->bp[i] = NAN; /* no evaluation yet of these curves */
        double as = supply ? m->ceta[i] : 0, ad = -m->ceps[i];
        if (m->plain[i] && (as != m->kSa[i] || ad != m->kDa[i])) {
            /* the series' coefficients (plain_eval), kept while the
               exponents stay */
            double c5s, c5d;
            series_coefficients(as, m->kS + 4 * i, &c5s);
            series_coefficients(ad, m->kD + 4 * i, &c5d);
            m->c5[i] = c5s > c5d ? c5s : c5d;
            m->kSa[i] = as;
            m->kDa[i] = ad;
        }
    }
}

/*
 * Costs of every arc with the external tariff and the levy tau. Only the
 * arcs from a non-member into a member carry them, so when nothing but
 * tau changed (each step of the levy's fixed point), only those arcs are
 * computed again; the largest of the others is kept in cmax_fixed.
 */
static void set_costs(crit_market *m, double tau)
{
    const crit_world *w = m->world;
    const crit__mineral *mn = &w->min[m->mineral];
    size_t n = m->n;
    double ext = m->policy ? m->policy->ext_tariff : 0;
    double p0 = mn->p0;
    int same = m->cost_ok && m->cost_rev == w->rev && m->cost_ext == ext;
    if (same && m->tau == tau)
        return; /* nothing they depend on changed */
    m->trees_ok = 0;
    double cfix = same ? m->cmax_fixed : 0, clev = 0;
    for (size_t i = 0; i < n; i++) {
        if (same && m->member[i])
            continue; /* a member's exports carry no levy */
        /* crit__wedge_of, with the row's pointers */
        size_t a = i * w->stride;
        const unsigned char *restrict ban = mn->ban + a;
        const double *restrict tr = mn->transport + a, *restrict ta =
                                                           mn->tariff + a;
        const double *restrict rate = mn->tariff_rate + a;
        double xt = mn->xtax[i], xr = mn->xtax_rate[i];
        double lev = m->member[i] ? 0 : ext + tau;
        double *restrict row = m->cost + i * n;
        for (size_t j = 0; j < n; j++) {
            int levied = !m->member[i] && m->member[j];
            if (same && !levied)
                continue;
            double c = INFINITY;
            if (ban[j] == 0 && j != i) {
                c = crit__wedge_of(tr[j], xt, xr, ta[j], rate[j], p0);
                if (c < 0)
                    c = 0;
                if (m->member[j])
                    c += lev;
                /* cmax bounds how far a tree's price may travel before
                   an arc turns tight; an arc dearer than Pmax never does
                   (prices lie in [0, Pmax]), and its cost (up to the
                   largest double, or inf from a huge levy: no arc) is
                   left out so that no bound overflows */
                if (c <= m->pmax) {
                    if (levied && c > clev)
                        clev = c;
                    else if (!levied && c > cfix)
                        cfix = c;
                }
            }
            row[j] = c;
        }
    }
    m->cmax_fixed = cfix;
    m->cmax = cfix > clev ? cfix : clev;
    m->tau = tau;
    m->cost_rev = w->rev;
    m->cost_ext = ext;
    m->cost_ok = 1;
}

/*
 * Economy i's quota rent at price p: its out-node's price above p where
 * its quota binds (the gate saturated), else 0. Where the gate carries
 * less than Q dt, in a tree or below it, the out-node's price equals the
 * exporter's but for the rounding of the tree's offsets, a few units in
 * the last place: as a rent, times the quota's slack, that broke the
 * residual's complementarity term in a world whose quota is 3e8 times
 * what the world consumes.
 */
static inline double quota_rent(const crit_market *m, size_t i, double p)
{
    int32_t o = m->outnode[i];
    return o != (int32_t)i && m->gate[i] == CRIT__GATE_UP && m->p[o] > p
               ? m->p[o] - p
               : 0;
}

/* The price economy i's exports leave at, from the results: p_i + lambda_i */
static inline double exit_price(const crit_market *m, const double *P,
                                const double *lam, size_t i)
{
    return lam[i] > 0 ? m->p[m->outnode[i]] : P[i];
}

/*
 * Cheapest landed price of non-member supply in a member, levy excluded.
 * A non-member whose export quota is zero lands nothing: its quota rent,
 * and so the price its exports would leave at, is not pinned down by the
 * equilibrium (any rent above the gap to its dearest route holds), so it
 * is left out.
 */
static double landed(const crit_market *m)
{
    size_t n = m->n;
    const double *P = m->res + (size_t)CRIT_MARKET_PRICE * n;
    const double *lam = m->res + (size_t)CRIT_MARKET_QUOTA_RENT * n;
    double L = INFINITY; /* from the reported prices (free_prices) */
    for (size_t i = 0; i < n; i++) {
        if (m->member[i] || m->qdt[i] == 0)
            continue;
        double pi = exit_price(m, P, lam, i);
        for (size_t j = 0; j < n; j++)
            if (m->member[j] && m->cost[i * n + j] != INFINITY) {
                double v = pi + m->cost[i * n + j] - m->tau;
                if (v < L)
                    L = v;
            }
    }
    return L;
}

/* ---- results ------------------------------------------------------------ */

/*
 * One pass of shortage_to_importers over the routes in use: from an
 * economy with a shortage (only the part above its demand, with
 * excess_only), as much as the route carries moves to its importer. A
 * route left with no more than its exporter's rounding (noise, from
 * shortage_to_importers) moves whole, so that no trade of rounding stays
 * behind where the shortage it carried has gone (the exporter's shortage
 * then ends at 0, not a rounding below it). Returns whether anything
 * moved.
 */
static int shortage_pass(crit_market *m, int excess_only, const double *noise)
{
    size_t n = m->n;
    double *R = m->res;
#define Q(q, i) R[(size_t)(q)*n + (i)]
    int moved = 0;
    for (size_t k = 0; k < m->nflow; k++) {
        size_t id = m->flow_ids[k], i = id / n, j = id % n;
        double u = Q(CRIT_MARKET_SHORTAGE, i), x = m->flow[id];
        double give = excess_only ? u - Q(CRIT_MARKET_DEMAND, i) : u;
        if (!(give > 0) || !(x > 0))
            continue;
        double d = give < x ? give : x;
        if (x - d <= noise[i])
            d = x;
        Q(CRIT_MARKET_SHORTAGE, i) = u > d ? u - d : 0;
        Q(CRIT_MARKET_SHORTAGE, j) += d;
        m->flow[id] = x - d;
        moved = 1;
    }
#undef Q
    return moved;
}

/*
 * Where economies at Pmax are joined by routes that cost nothing, the
 * forest may bring their shortage in at one of them, which then exports
 * it to the others: that economy's consumption could even come out
 * negative. Shortage is demand left unserved (MODEL.md section 3), and
 * at one price any split of it is an equilibrium: an economy that
 * exports serves its own demand first, so its shortage moves along the
 * routes it exports on, to their importers (at most n passes along the
 * routes in use; a forest, but for a saturated quota gate's fixed flow
 * that can close a cycle, where the passes end wherever they are). Then
 * any shortage above an economy's demand moves on the same way. Balances
 * do not change (the exporter's shortage and exports fall by the same
 * amount, the importer's imports fall and its shortage rises by it), and
 * the importer is at Pmax too (its price is the exporter's plus the
 * route's cost, at most Pmax). Only an agent still buying at Pmax (its
 * ramp B (1 + sigma) above it) can leave an economy a shortage above its
 * demand: the agent's purchase came out of supply that is not there. Such
 * agents are served from what reaches their economy once its consumers
 * have nothing (their bid is above the consumers' choke price; MODEL.md
 * section 5 does not say who is rationed there), in proportion to their
 * purchases: the economy's purchase and shortage fall by the excess (the
 * whole purchase where what is left of it is rounding), and hv[i] keeps
 * the share of the purchase served (1: not rationed). Returns whether any
 * agent was rationed.
 */
static int shortage_to_importers(crit_market *m)
{
    size_t n = m->n;
    double *R = m->res;
#define Q(q, i) R[(size_t)(q)*n + (i)]
    /* an economy's share can exceed its demand by the rounding of the
       flows (parts in 1e13 of the trade through it, as where a shortage
       entering at two economies reaches a third through one of them, the
       remainder of 7.4e10 t less 5.1e10 t less 2.3e10 t left behind; or
       of the economy's own volume where its stockpiles trade far more
       than the world uses: 4e-20 t of a balance of 6e-5 t bought and
       sold, in a market using 1e-8 t), or by what a tree's balance may
       miss within the solve's tolerance (where no double balances a
       stockpile's steep ramp, 3e-18 t passed on from a quota gate's
       out-node in a market using 1e-8 t): it keeps its demand. Its
       rounding: 1e-12 of the largest of total demand, its own volume and
       what its shortage and trade carry before the passes move them.
       Where no one demands anything, the market's volume is its supply
       and its stockpiles' releases, or 1 t without those either (as for
       the residual): a shortage of 1.4e-22 t left at an economy with
       nothing of its own, by agents trading 9e-6 t elsewhere, or of
       5e-21 t in a market where nothing moves, is rounding too. */
    double V = 0, alt = 0;
    int rationed = 0;
    for (size_t i = 0; i < n; i++) {
        V += Q(CRIT_MARKET_DEMAND, i);
        alt += Q(CRIT_MARKET_PRODUCTION, i) + Q(CRIT_MARKET_STOCK_RELEASE, i);
    }
    if (!(V > 0))
        V = alt > 0 ? alt : 1;
    double *noise = m->hp;
    for (size_t i = 0; i < n; i++)
        noise[i] = Q(CRIT_MARKET_SHORTAGE, i);
    for (size_t k = 0; k < m->nflow; k++) {
        size_t id = m->flow_ids[k];
        noise[id / n] += m->flow[id];
        noise[id % n] += m->flow[id];
    }
    for (size_t i = 0; i < n; i++) {
        double own = Q(CRIT_MARKET_PRODUCTION, i) + Q(CRIT_MARKET_DEMAND, i) +
                     Q(CRIT_MARKET_STOCK_PURCHASE, i) +
                     Q(CRIT_MARKET_STOCK_RELEASE, i);
        double v = noise[i] > own ? noise[i] : own;
        noise[i] = 1e-12 * (V > v ? V : v);
    }
    for (size_t pass = 0; pass < n && shortage_pass(m, 0, noise); pass++)
        ;
    for (size_t pass = 0; pass < n && shortage_pass(m, 1, noise); pass++)
        ;
    for (size_t i = 0; i < n; i++) {
        double d = Q(CRIT_MARKET_DEMAND, i),
               over = Q(CRIT_MARKET_SHORTAGE, i) - d;
        double b = Q(CRIT_MARKET_STOCK_PURCHASE, i);
        double tiny = noise[i];
        if (tiny < m->opt.tolerance * V)
            tiny = m->opt.tolerance * V;
        m->hv[i] = 1;
        if (over > tiny && b > 0) { /* agents buying at Pmax */
            double cut = over < b ? over : b;
            if (b - cut <= tiny) /* nothing reaches them but rounding */
                cut = b;
            Q(CRIT_MARKET_STOCK_PURCHASE, i) = b - cut;
            Q(CRIT_MARKET_SHORTAGE, i) =
                cut >= over ? d : Q(CRIT_MARKET_SHORTAGE, i) - cut;
            m->hv[i] = (b - cut) / b;
            over -= cut; /* <= 0, but where the excess is more than the
                            agents bought */
            rationed = 1;
        }
        if (over > 0 && over <= tiny)
            Q(CRIT_MARKET_SHORTAGE, i) = d;
        Q(CRIT_MARKET_CONSUMPTION, i) = d - Q(CRIT_MARKET_SHORTAGE, i);
    }
#undef Q
    return rationed;
}

/*
 * A saturated quota gate carries its fixed flow outside the forest, so an
 * exporter and its out-node can sit in two trees joined elsewhere, and the
 * economies' trade can then go round a cycle (a world of 28 economies at
 * Pmax: 14 -> 7 -> 17 -> 14, 0.9 t on each). On a cycle that carries flow
 * every route is tight, and the prices' differences round it sum to 0, so
 * its costs and quota rents are all 0: the flow round it changes no price,
 * balance or condition of MODEL.md section 3. It is taken out, the least
 * flow on the cycle each time (that arc to exactly 0), until none is left,
 * so that trade runs from where it is produced to where it is used and a
 * shortage can follow it (shortage_to_importers). Uses the scratch arrays
 * adj_off, adj, hs, pdeg, pxor and mark (left zero).
 */
static void cancel_cycles(crit_market *m)
{
    size_t n = m->n, nf = m->nflow;
    const size_t *ids = m->flow_ids;
    double *x = m->flow;
    int32_t *off = m->adj_off, *out = m->adj; /* trade arcs by exporter */
    int32_t *st = m->hs, *cur = m->pdeg, *via = m->pxor;
    unsigned char *color = m->mark; /* 1: on the path, 2: done */
    for (size_t i = 0; i <= n; i++)
        off[i] = 0;
    for (size_t k = 0; k < nf; k++)
        off[ids[k] / n + 1]++;
    for (size_t i = 0; i < n; i++) {
        off[i + 1] += off[i];
        via[i] = off[i];
    }
    for (size_t k = 0; k < nf; k++)
        out[via[ids[k] / n]++] = (int32_t)k;
    for (int found = 1; found;) {
        found = 0;
        for (size_t i = 0; i < n; i++)
            color[i] = 0;
        for (size_t s = 0; s < n && !found; s++) {
            if (color[s])
                continue;
            size_t top = 0; /* the path st[0..top], st[q] entered by via[q] */
            st[0] = (int32_t)s;
            cur[0] = off[s];
            color[s] = 1;
            for (;;) {
                int32_t u = st[top];
                if (cur[top] == off[u + 1]) {
                    color[u] = 2;
                    if (top-- == 0)
                        break;
                    continue;
                }
                int32_t k = out[cur[top]++];
                size_t v = ids[k] % n;
                if (!(x[ids[k]] > 0) || color[v] == 2)
                    continue;
                if (color[v] == 0) {
                    st[++top] = (int32_t)v;
                    cur[top] = off[v];
                    via[top] = k;
                    color[v] = 1;
                    continue;
                }
                /* a cycle: v's place on the path, then the arcs after it
                   and k */
                size_t q0 = top;
                while ((size_t)st[q0] != v)
                    q0--;
                double least = x[ids[k]];
                for (size_t q = q0 + 1; q <= top; q++)
                    least = fmin(least, x[ids[via[q]]]);
                x[ids[k]] -= least;
                for (size_t q = q0 + 1; q <= top; q++)
                    x[ids[via[q]]] -= least;
                found = 1;
                break;
            }
        }
    }
    for (size_t i = 0; i < n; i++)
        color[i] = 0;
}

/* Whether economy i's elastic supply is at its capacity at price p (and
   so above it), as elastic_supply finds it */
static int at_capacity(const crit_market *m, size_t i, double p)
{
    if (!(p > 0))
        return 0;
    double x, ds, d2s;
    elastic_supply(m->cs0[i], m->cK[i], m->cav[i], m->ceta[i], log_rel(m, p),
                   inv_price(p), &x, &ds, &d2s);
    return x >= m->cK[i];
}

/*
 * Whether economy i's supply and demand stay as they are at price p at
 * every price above it: none, fixed, or a supply at its capacity (a
 * floor's covered share too, at the price it is paid, which does not
 * fall as p rises); none, or a fixed demand.
 */
static int flat_curves(const crit_market *m, size_t i, double p)
{
    if (m->cdd[i] > 0 && m->ceps[i] != 0)
        return 0;
    if (m->cs0[i] <= 0 || m->cav[i] <= 0 || m->ceta[i] == 0)
        return 1; /* no supply, or a fixed one (a floor's share too) */
    double S = m->res[(size_t)CRIT_MARKET_PRODUCTION * m->n + i];
    if (S < m->cav[i] * m->cK[i] * (1 - 1e-9) || !at_capacity(m, i, p))
        return 0; /* (the first test spares most a logarithm) */
    if (m->fF[i] >= 0 && m->fth[i] > 0) {
        double F = m->fF[i];
        return at_capacity(m, i, p < F ? F : p - m->fphi[i] * (p - F));
    }
    return 1;
}

/* Economy i's own balance in the results: S + R - B - D */
static double own_balance(const crit_market *m, size_t i)
{
    size_t n = m->n;
    const double *R = m->res;
#define Q(q) R[(size_t)(q)*n + i]
    return Q(CRIT_MARKET_PRODUCTION) + Q(CRIT_MARKET_STOCK_RELEASE) -
           Q(CRIT_MARKET_STOCK_PURCHASE) - Q(CRIT_MARKET_DEMAND);
#undef Q
}

/*
 * The highest price to which economy i (flat_curves) keeps its own
 * balance, as far as its agents go: none may buy at its price (its
 * purchases would fall as the price rises) nor be on its release ramp;
 * one that releases all it may (at or above T (1 + sigma)) goes on doing
 * so above, and one that releases nothing yet, with something to release,
 * starts at its trigger T. So the least such trigger, else Pmax; -1 when
 * an agent buys or its release would still grow.
 */
static double free_top(const crit_market *m, size_t i, double p)
{
    double top = m->pmax;
    for (int32_t k = m->agent_head[i]; k >= 0; k = m->agent_next[k]) {
        const crit__agent *ag = &m->agent[k];
        double buy, db, d2b, rel, dr;
        agent_eval(ag, m->dt, p, &buy, &db, &d2b, &rel, &dr);
        if (buy != 0 || dr != 0)
            return -1;
        if (rel == 0 && fmin(ag->gmax * m->dt, fmax(ag->I - ag->Imin, 0)) > 0 &&
            ag->T < top)
            top = ag->T;
    }
    return top;
}

/* The root of economy i's set in the union-find forest up (path halving) */
static int32_t set_root(int32_t *up, int32_t i)
{
    while (up[i] != i) {
        up[i] = up[up[i]];
        i = up[i];
    }
    return i;
}

/* The floor's payments of economy i at price p into the results (none
   without a floor) */
static void cfd_payments(crit_market *m, size_t i, double p)
{
    if (!(m->fF[i] >= 0 && m->fth[i] > 0))
        return;
    double *R = m->res;
    size_t n = m->n;
    double F = m->fF[i], ds, d2s;
    double e = p < F ? F : p - m->fphi[i] * (p - F);
    double q = m->fth[i] * supply_plain(m, i, e, &ds, &d2s);
    R[(size_t)CRIT_MARKET_CFD_PAID * n + i] = p < F ? (F - p) * q : 0;
    R[(size_t)CRIT_MARKET_CFD_RECEIVED * n + i] =
        p > F ? m->fphi[i] * (p - F) * q : 0;
}

/*
 * Routes from an economy whose exports leave at price e (row: its costs,
 * +inf where banned) into the free economies fr[q0, q1) (rr: their sets):
 * each lowers an economy's cap to e plus its cost where that is less, and
 * its set's rise with it.
 */
static inline void
offer_routes(double e, const double *restrict row, const double *restrict P,
             const int32_t *restrict fr, const int32_t *restrict rr, size_t q0,
             size_t q1, double *restrict cap, double *restrict rise)
{
    for (size_t q = q0; q < q1; q++) {
        size_t k = (size_t)fr[q];
        if (e + row[k] < cap[k]) {
            cap[k] = e + row[k];
            double d = cap[k] - P[k];
            if (d < rise[rr[q]])
                rise[rr[q]] = d;
        }
    }
}

/*
 * Free economy i's price once its set r is settled: a set of one at its
 * cap, as it is (the least price at which supply reaches it), a larger set
 * raised by its rise; never below the price the solve left.
 */
static inline double settled_price(const double *P, const double *cap,
                                   const double *rise, const int32_t *size,
                                   int32_t r, size_t i)
{
    double v = size[r] == 1 ? cap[i] : P[i] + rise[r];
    if (v > cap[i]) /* rounding: the rise is at most cap[i] - P[i] */
        v = cap[i];
    return v > P[i] ? v : P[i];
}

/*
 * Prices the equilibrium leaves free (crit/market.h). An economy whose
 * curves and agents keep its own balance as it is from its price up
 * (flat_curves, free_top) can rise in price, with every economy it trades
 * with on that footing, without changing any quantity: raising a set's
 * prices together keeps its routes tight and its balances met. The sets
 * are those linked by trade (a flow above rounding, 1e-12 of the solve's
 * volume) among such economies. A set of one is free when its own balance
 * is exactly 0, whatever it trades (where supply passes through it, a
 * route in is tight, and that is its price already, to rounding; a warm
 * solve can leave rounding on a route out of it); a larger set, when
 * nothing beyond rounding crosses its edge and none of it is short at
 * Pmax or disposes at 0, and none of it exports under a binding quota.
 * A free set rises by the most that keeps it in the range: each member at
 * most its agents' trigger (free_top) and Pmax, and at most the price at
 * which supply reaches it from outside the set (the exit price of an
 * economy with a route in, plus the route). Sets that feed one another
 * are settled cheapest first (Dijkstra over their rises: every route's
 * slack is >= 0), after one pass over the routes in from the rest: O(n)
 * per free economy. Raising a price keeps every route out of the set
 * feasible, and the routes into it stay feasible by construction, but for
 * those from an exporter whose quota is zero: it ships nothing, so it is
 * no source, and its rent (free above the gap to its dearest route) rises
 * to keep them closed. So a price the equilibrium leaves free, and L(tau)
 * with it, is a function of the world, not of the solver's path.
 */
static void free_prices(crit_market *m)
{
    size_t n = m->n, nfree = 0;
    double *R = m->res;
    double *P = R + (size_t)CRIT_MARKET_PRICE * n;
    double *lam = R + (size_t)CRIT_MARKET_QUOTA_RENT * n;
    const double *U = R + (size_t)CRIT_MARKET_SHORTAGE * n;
    const double *V = R + (size_t)CRIT_MARKET_DISPOSAL * n;
    double ftol = 1e-12 * m->vscale;
    int32_t *up = m->pdeg, *size = m->pxor, *fr = m->hs, *rr = m->adj;
    double *cap = m->acc; /* a candidate's highest price so far */
    double *rise = m->hp; /* a free set's rise so far (at its root), else NaN */
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        up[i] = -1; /* not a candidate */
        if (!flat_curves(m, i, P[i]))
            continue;
        cap[i] = free_top(m, i, P[i]);
        if (cap[i] >= P[i]) {
            up[i] = (int32_t)i;
            size[i] = 1;
            any = 1;
        }
    }
    if (!any)
        return;
    /* sets: candidates linked by trade */
    int linked = 0;
    for (size_t k = 0; k < m->nflow; k++) {
        size_t id = m->flow_ids[k], i = id / n, j = id % n;
        if (m->flow[id] > ftol && up[i] >= 0 && up[j] >= 0) {
            int32_t a = set_root(up, (int32_t)i), b = set_root(up, (int32_t)j);
            if (a != b) {
                up[a] = b;
                size[b] += size[a];
                linked = 1;
            }
        }
    }
    if (linked) /* each candidate's root, once */
        for (size_t i = 0; i < n; i++)
            if (up[i] >= 0)
                up[i] = set_root(up, (int32_t)i);
    for (size_t i = 0; i < n; i++)
        if (up[i] == (int32_t)i)
            rise[i] = size[i] > 1 || own_balance(m, i) == 0 ? INFINITY : NAN;
    /* a larger set: nothing across its edge (a flow between candidates
       joined their sets), no shortage or disposal, no binding quota */
    for (size_t k = 0; linked && k < m->nflow; k++) {
        size_t id = m->flow_ids[k], i = id / n, j = id % n;
        if (m->flow[id] > ftol && up[i] != up[j]) {
            if (up[i] >= 0 && size[up[i]] > 1)
                rise[up[i]] = NAN;
            if (up[j] >= 0 && size[up[j]] > 1)
                rise[up[j]] = NAN;
        }
    }
    for (size_t i = 0; linked && i < n; i++)
        if (up[i] >= 0 && size[up[i]] > 1 &&
            (U[i] > ftol || V[i] > ftol || lam[i] > 0))
            rise[up[i]] = NAN;
    for (size_t i = 0; i < n; i++)
        if (up[i] >= 0 && !isnan(rise[up[i]])) {
            int32_t r = up[i];
            double d = cap[i] - P[i];
            fr[nfree] = (int32_t)i;
            rr[nfree++] = r;
            if (d < rise[r])
                rise[r] = d;
        }
    if (nfree == 0)
        return;
    /* the routes in from every economy outside the free sets (one whose
       export quota is zero ships nothing, and the price its exports would
       leave at, its quota rent, is not pinned down) */
    for (size_t i = 0; i < n; i++) {
        if ((up[i] >= 0 && !isnan(rise[up[i]])) || m->qdt[i] == 0)
            continue;
        offer_routes(exit_price(m, P, lam, i), m->cost + i * n, P, fr, rr, 0,
                     nfree, cap, rise);
    }
    /* then from one another, the least rise first (Dijkstra: the rise a
       route offers is the rise of its source plus its slack, >= 0);
       fr[0, q) are settled, a set at a time */
    for (size_t q = 0; q < nfree;) {
        size_t best = q;
        for (size_t t = q + 1; t < nfree; t++)
            if (rise[rr[t]] < rise[rr[best]])
                best = t;
        int32_t r = rr[best];
        size_t q0 = q;
        for (size_t t = size[r] == 1 ? best : q; t < nfree; t++)
            if (rr[t] == r) { /* the set's members to the front */
                int32_t k = fr[t];
                fr[t] = fr[q];
                rr[t] = rr[q];
                fr[q] = k;
                rr[q++] = r;
                if (size[r] == 1)
                    break;
            }
        for (size_t s0 = q0; s0 < q; s0++) {
            size_t i = (size_t)fr[s0];
            if (m->qdt[i] == 0)
                continue;
            /* its exports leave at its settled price plus its quota
               rent there */
            double v = settled_price(P, cap, rise, size, r, i);
            offer_routes(v + quota_rent(m, i, v), m->cost + i * n, P, fr, rr, q,
                         nfree, cap, rise);
        }
    }
    for (size_t q = 0; q < nfree; q++) {
        size_t k = (size_t)fr[q];
        double v = settled_price(P, cap, rise, size, up[k], k);
        if (v > P[k]) {
            P[k] = v;
            cfd_payments(m, k, v); /* its supply stays, its price moved */
        }
        lam[k] = quota_rent(m, k, P[k]);
    }
    /* an exporter whose quota is zero keeps its routes into them closed
       by its rent, which the equilibrium leaves free above that */
    for (size_t i = 0; i < n; i++) {
        if (m->qdt[i] != 0)
            continue;
        const double *row = m->cost + i * n;
        for (size_t q = 0; q < nfree; q++) {
            size_t k = (size_t)fr[q];
            double gap = P[k] - P[i] - row[k]; /* -inf: no route */
            if (k != i && gap > lam[i])
                lam[i] = gap;
        }
    }
}

/* What an agent whose purchase trigger is 0 buys at price 0 */
static double zero_price_buy(const crit__agent *ag, double dt)
{
    double lim = purchase_limit(ag, dt);
    return lim > 0 && ag->cash > 0 ? lim : 0;
}

/*
 * Agents whose purchase trigger B is 0 buy at price 0 and at no price
 * above it (MODEL.md section 5: w_buy is 1 for p <= B and 0 from
 * B (1 + sigma), both 0): a step that the balance cannot cross where what
 * is left at price 0 is less than they buy, since the market then clears
 * neither with their full purchase nor without it. The solve leaves them
 * out (agent_eval), and at an economy whose price is 0 they take what it
 * disposes of, up to their purchases, shared in proportion to them: all
 * the formula gives where there is that much, less where there is not (a
 * purchase anywhere in [0, the formula's] is in balance at a step).
 */
static void zero_trigger_agents(crit_market *m)
{
    size_t n = m->n;
    double *R = m->res;
    for (size_t i = 0; i < n; i++) {
        double *v = &R[(size_t)CRIT_MARKET_DISPOSAL * n + i];
        if (R[(size_t)CRIT_MARKET_PRICE * n + i] != 0 || !(*v > 0))
            continue;
        double want = 0;
        for (int32_t k = m->agent_head[i]; k >= 0; k = m->agent_next[k])
            if (m->agent[k].B == 0)
                want += zero_price_buy(&m->agent[k], m->dt);
        if (!(want > 0))
            continue;
        double take = *v < want ? *v : want, share = take / want;
        for (int32_t k = m->agent_head[i]; k >= 0; k = m->agent_next[k])
            if (m->agent[k].B == 0)
                m->agent_buy[k] = zero_price_buy(&m->agent[k], m->dt) * share;
        R[(size_t)CRIT_MARKET_STOCK_PURCHASE * n + i] += take;
        *v = take < want ? 0 : *v - want;
    }
}

static void compute_results(crit_market *m)
{
    size_t n = m->n, nn = n * n;
    const crit_world *w = m->world;
    const crit__mineral *mn = &w->min[m->mineral];
    double ext = m->policy ? m->policy->ext_tariff : 0;
    double *R = m->res;
    int any_short = 0, rationed = 0; /* a shortage anywhere; agents cut */
    memset(R, 0, CRIT_MARKET_QUANTITY_COUNT * n * sizeof *R);
    /* the flow matrix is zero but where the last results wrote it */
    for (size_t k = 0; k < m->nflow; k++)
        m->flow[m->flow_ids[k]] = 0;
    m->nflow = 0;
#define Q(q, i) R[(size_t)(q)*n + (i)]
    for (size_t k = 0; k < m->nf; k++) {
        size_t id = m->farc[k];
        double f = m->fflow[k] > 0 ? m->fflow[k] : 0;
        if (id < nn) {
            m->flow[id] = f;
            m->flow_ids[m->nflow++] = id;
        } else if (id >= nn + n && id < nn + 2 * n)
            Q(CRIT_MARKET_SHORTAGE, id - nn - n) = f;
        else if (id >= nn + 2 * n)
            Q(CRIT_MARKET_DISPOSAL, id - nn - 2 * n) = f;
    }
    for (size_t g = 0; g < m->nq; g++) /* only a saturated gate closes one */
        if (m->gate[m->node_econ[n + g]] == CRIT__GATE_UP) {
            cancel_cycles(m);
            break;
        }
    for (size_t i = 0; i < n; i++) {
        double p = fmin(fmax(m->p[i], 0), m->pmax);
        if (p != m->p[i])
            m->trees_ok = 0; /* the trees no longer give every price */
        m->p[i] = p;
        parts pa;
        if (p == m->ep[i]) {
            pa.supply = m->eS[i];
            pa.demand = m->eD[i];
            pa.buy = m->eB[i];
            pa.rel = m->eR[i];
        } else {
            double de, d2e, g;
            node_eval(m, i, p, &de, &d2e, &g, &pa);
        }
        Q(CRIT_MARKET_PRICE, i) = p;
        Q(CRIT_MARKET_PRODUCTION, i) = pa.supply;
        Q(CRIT_MARKET_DEMAND, i) = pa.demand;
        Q(CRIT_MARKET_CONSUMPTION, i) = pa.demand - Q(CRIT_MARKET_SHORTAGE, i);
        if (Q(CRIT_MARKET_SHORTAGE, i) > 0)
            any_short = 1;
        Q(CRIT_MARKET_STOCK_PURCHASE, i) = pa.buy;
        Q(CRIT_MARKET_STOCK_RELEASE, i) = pa.rel;
        Q(CRIT_MARKET_QUOTA_RENT, i) = quota_rent(m, i, p);
        cfd_payments(m, i, p);
    }
    if (any_short)
        rationed = shortage_to_importers(m);
    /* trade: only forest arcs carry a flow; taken in the order of their
       ids (exporter, then importer), as a scan of the matrix would */
    int32_t *ids = m->adj;
    size_t nt = 0;
    for (size_t k = 0; k < m->nf; k++) {
        size_t id = m->farc[k];
        if (id >= nn || m->flow[id] == 0)
            continue;
        size_t q = nt++;
        for (; q > 0 && (size_t)ids[q - 1] > id; q--)
            ids[q] = ids[q - 1];
        ids[q] = (int32_t)id;
    }
    for (size_t k = 0; k < nt; k++) {
        size_t i = (size_t)ids[k] / n, j = (size_t)ids[k] % n;
        double xt = mn->xtax[i] + mn->xtax_rate[i] * m->p0;
        {
            double x = m->flow[i * n + j];
            size_t a = i * w->stride + j;
            double tar = mn->tariff[a] + mn->tariff_rate[a] * m->p0;
            int ext_arc = !m->member[i] && m->member[j];
            if (ext_arc) {
                tar += ext;
                Q(CRIT_MARKET_LEVY_REVENUE, j) += m->tau * x;
            }
            Q(CRIT_MARKET_EXPORTS, i) += x;
            Q(CRIT_MARKET_IMPORTS, j) += x;
            Q(CRIT_MARKET_TARIFF_REVENUE, j) += tar * x;
            Q(CRIT_MARKET_EXPORT_TAX_REVENUE, i) += xt * x;
        }
    }
    double levy = 0;
    for (size_t i = 0; i < n; i++)
        levy += Q(CRIT_MARKET_LEVY_REVENUE, i);
    for (size_t k = 0; k < m->n_agent; k++) {
        double b, db, d2b, r, dr;
        agent_eval(&m->agent[k], m->dt, m->p[m->agent[k].eco], &b, &db, &d2b,
                   &r, &dr);
        m->agent_buy[k] = rationed ? b * m->hv[m->agent[k].eco] : b;
        m->agent_rel[k] = r;
    }
    free_prices(m);
    if (m->n_agent)
        zero_trigger_agents(m);
    /* after free_prices, which settles the rents of the economies whose
       price the equilibrium leaves free */
    for (size_t i = 0; i < n; i++)
        Q(CRIT_MARKET_QUOTA_RENT_REVENUE, i) =
            Q(CRIT_MARKET_QUOTA_RENT, i) * Q(CRIT_MARKET_EXPORTS, i);
    m->info.levy_usd_per_t = m->tau;
    m->info.levy_revenue_usd = levy;
#undef Q
}

/* max(acc, v); a NaN v sets *bad, and the residual is then NaN (no
   branch: a maximum and an unordered compare). */
static inline double worst(double acc, double v, int *bad)
{
    *bad |= v != v;
    return v > acc ? v : acc;
}

/*
 * The largest a[j] - b[j] over j < n (-inf for n = 0; a NaN difference is
 * skipped). Four running maxima, so that each comparison does not wait for
 * the one before.
 */
static double max_diff(const double *restrict a, const double *restrict b,
                       size_t n)
{
    double t0 = -INFINITY, t1 = -INFINITY, t2 = -INFINITY, t3 = -INFINITY;
    size_t j = 0;
    for (; j + 4 <= n; j += 4) {
        double e0 = a[j] - b[j], e1 = a[j + 1] - b[j + 1];
        double e2 = a[j + 2] - b[j + 2], e3 = a[j + 3] - b[j + 3];
        t0 = e0 > t0 ? e0 : t0;
        t1 = e1 > t1 ? e1 : t1;
        t2 = e2 > t2 ? e2 : t2;
        t3 = e3 > t3 ? e3 : t3;
    }
    for (; j < n; j++) {
        double e = a[j] - b[j];
        t0 = e > t0 ? e : t0;
    }
    t0 = t1 > t0 ? t1 : t0;
    t2 = t3 > t2 ? t3 : t2;
    return t2 > t0 ? t2 : t0;
}

/* Whether one of x[0..3] is not 0 (a NaN is not 0; -0 is), by their
   bits: no comparison of doubles to wait on. */
static inline int any_nonzero4(const double *x)
{
    uint64_t b[4];
    memcpy(b, x, sizeof b);
    return ((b[0] | b[1] | b[2] | b[3]) << 1) != 0;
}

/* Economy i's balance (MODEL.md section 3, 1) in results R of n economies:
   what it has less what it uses, per period. */
static inline double node_balance(const double *R, size_t n, size_t i)
{
#define Q(q) R[(size_t)(q)*n + i]
    return Q(CRIT_MARKET_PRODUCTION) + Q(CRIT_MARKET_STOCK_RELEASE) -
           Q(CRIT_MARKET_STOCK_PURCHASE) + Q(CRIT_MARKET_IMPORTS) -
           Q(CRIT_MARKET_EXPORTS) + Q(CRIT_MARKET_SHORTAGE) -
           Q(CRIT_MARKET_DISPOSAL) - Q(CRIT_MARKET_DEMAND);
#undef Q
}

/*
 * The residual of MODEL.md section 3 from the stored results, but for the
 * reference price's term (levy_residual adds it).
 */
static double residual(crit_market *m)
{
    size_t n = m->n;
    const double *R = m->res;
#define Q(q, i) R[(size_t)(q)*n + (i)]
    double V = 0, alt = 0;
    for (size_t i = 0; i < n; i++) {
        V += Q(CRIT_MARKET_DEMAND, i);
        alt += Q(CRIT_MARKET_PRODUCTION, i) + Q(CRIT_MARKET_STOCK_RELEASE, i);
    }
    if (!(V > 0))
        V = alt > 0 ? alt : 1;
    m->info.total_demand_t = V;
    double P0 = m->p0;
    double iV = 1 / V, iP = 1 / P0, iVP = 1 / (V * P0);
    const double *price = &Q(CRIT_MARKET_PRICE, 0);
    /* four running worst values (balance, complementarity, sign and
       bounds, arbitrage), so that each comparison does not wait for the
       one before; the worst of them is the worst of all terms */
    double rb = 0, rc = 0, rs = 0, ra = 0;
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        double p = price[i], u = Q(CRIT_MARKET_SHORTAGE, i);
        double v = Q(CRIT_MARKET_DISPOSAL, i),
               lam = Q(CRIT_MARKET_QUOTA_RENT, i);
        double ex = Q(CRIT_MARKET_EXPORTS, i);
        double bal = node_balance(R, n, i);
        rb = worst(rb, fabs(bal) * iV, &bad);
        rc = worst(rc, u * (m->pmax - p) * iVP, &bad);
        rc = worst(rc, v * p * iVP, &bad);
        rs = worst(rs, -u * iV, &bad);
        rs = worst(rs, -v * iV, &bad);
        rb = worst(rb, -p * iP, &bad);
        ra = worst(ra, (p - m->pmax) * iP, &bad);
        /* a rent is never negative, and without a quota it is 0 */
        rs = worst(rs, -lam * iP, &bad);
        if (isfinite(m->qdt[i])) {
            rs = worst(rs, (ex - m->qdt[i]) * iV, &bad);
            rc = worst(rc, lam * (m->qdt[i] - ex) * iVP, &bad);
        } else {
            rc = worst(rc, lam * iP, &bad);
        }
        const double *restrict crow = m->cost + i * n;
        const double *restrict xrow = m->flow + i * n;
        /* the worst arbitrage gap p_j - p_i - c_ij - lambda_i (a banned
           arc's infinite cost gives -inf; a NaN price is caught by its
           own row's price terms above) */
        double top = max_diff(price, crow, n);
        double worst_cs = 0, worst_neg = 0;
        /* the arcs that carry a flow (few: four without one are passed
           over together; a NaN flow is not 0 and counts) */
        for (size_t j0 = 0; j0 < n; j0 += 4) {
            size_t j1 = j0 + 4 < n ? j0 + 4 : n;
            if (j1 == j0 + 4 && !any_nonzero4(xrow + j0))
                continue;
            for (size_t j = j0; j < j1; j++) {
                double x = xrow[j];
                if (x == 0)
                    continue;
                double gap = price[j] - p - crow[j] - lam;
                worst_cs = worst(worst_cs, -x * gap, &bad);
                worst_neg = worst(worst_neg, -x, &bad);
            }
        }
        ra = worst(ra, (top - p - lam) * iP, &bad);
        rc = worst(rc, worst_cs * iVP, &bad);
        rs = worst(rs, worst_neg * iV, &bad);
    }
    double r = worst(worst(rb, rc, &bad), worst(rs, ra, &bad), &bad);
    m->rterm[0] = rb;
    m->rterm[1] = rc;
    m->rterm[2] = rs;
    m->rterm[3] = ra;
#undef Q
    return bad ? NAN : r;
}

/*
 * Which kind of the residual's terms is the largest (residual() keeps
 * each kind's largest), in words, for the error of a solve that missed
 * the tolerance without an economy out of balance by more than it.
 */
static const char *worst_kind(const crit_market *m)
{
    static const char *const kinds[4] = {
        "an economy's balance or a negative price",
        "complementarity (a shortage below Pmax, disposal above 0, a quota "
        "rent where the quota does not bind, a flow on a route that is not "
        "tight)",
        "signs and quotas (a negative shortage, disposal, rent or flow, "
        "exports above a quota)",
        "arbitrage (a price above Pmax, a route whose prices differ by more "
        "than its cost and the exporter's rent)"};
    int k = 0;
    for (int q = 1; q < 4; q++)
        if (m->rterm[q] > m->rterm[k])
            k = q;
    return m->rterm[k] > m->opt.tolerance
               ? kinds[k]
               : "the levy against the reference price";
}

/*
 * The economy whose balance term of the residual is the largest, and that
 * term (for the message of a solve that missed the tolerance).
 */
static size_t worst_balance(const crit_market *m, double *term)
{
    size_t n = m->n, worst_i = 0;
    *term = 0;
    for (size_t i = 0; i < n; i++) {
        double t = fabs(node_balance(m->res, n, i)) / m->info.total_demand_t;
        if (t > *term) {
            *term = t;
            worst_i = i;
        }
    }
    return worst_i;
}

/*
 * The economy whose balance moves most from its price to a neighbouring
 * double, up or down (double_step), and that move as a term of the
 * residual (for the message of a solve that missed the tolerance).
 */
static size_t steepest(crit_market *m, double *step)
{
    size_t worst_i = 0;
    const double *price = m->res + CRIT_MARKET_PRICE * m->n;
    *step = 0;
    for (size_t i = 0; i < m->n; i++) {
        double t = double_step(m, i, price[i], 1) / m->info.total_demand_t;
        if (t > *step) {
            *step = t;
            worst_i = i;
        }
    }
    return worst_i;
}

/* Residual r of the same results with the reference price Rref's term:
   the levy against max(0, Rref - L(tau)). */
static double levy_residual(const crit_market *m, double r, double rref)
{
    double L = landed(m);
    double want = isfinite(L) ? fmax(0, rref - L) : 0;
    int bad = 0;
    r = worst(r, fabs(m->tau - want) * (1 / m->p0), &bad);
    return bad ? NAN : r;
}

/* One equilibrium for the current costs, tightening tolerances if needed. */
static int solve_once(crit_market *m, int warm, double *r)
{
    m->rel_tol = 1e-13;
    int rc = CRIT_OK;
    for (int round = 0; round < 4; round++) {
        m->retry = round > 0;
        rc = active_set(m, warm || round > 0);
        m->retry = 0;
        if (rc == CRIT__GAVE_UP) { /* the last round's results stand */
            memcpy(m->p, m->warm_p, m->N * sizeof *m->p);
            m->trees_ok = 0;
            return CRIT_OK;
        }
        if (rc)
            return rc;
        compute_results(m);
        *r = residual(m);
        m->warm_valid = 1;
        memcpy(m->warm_p, m->p, m->N * sizeof *m->p);
        memcpy(m->warm_farc, m->farc, m->nf * sizeof *m->farc);
        memcpy(m->warm_gate, m->gate, m->n);
        memcpy(m->warm_outnode, m->outnode, m->n * sizeof *m->outnode);
        m->warm_nf = m->nf;
        if (*r <= m->opt.tolerance)
            return CRIT_OK;
        m->rel_tol *= 1e-2;
        /* the solve's tolerances scale with the base volumes, the
           residual with V at the solution: where V is far below them (no
           demand, and production near 0 at prices near 0), so is the next
           round's tolerance */
        double shrink = m->info.total_demand_t / m->vscale;
        if (shrink < 1 && 1e-13 * shrink < m->rel_tol)
            m->rel_tol = 1e-13 * shrink;
    }
    return CRIT_OK;
}

static int has_levy_arc(const crit_market *m)
{
    size_t n = m->n;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            if (!m->member[i] && m->member[j] && m->cost[i * n + j] != INFINITY)
                return 1;
    return 0;
}

/*
 * The levy fixed point tau = max(0, Rref - L(tau)): h(tau) = tau + L(tau) -
 * Rref is non-decreasing and h(Rref) >= 0, so a root (or tau = 0 when
 * h(0) >= 0) is bracketed in [0, Rref]. Fixed-point steps until the
 * bracket closes from above, then the Illinois variant of regula falsi.
 * The market holds the equilibrium at zero levy on entry.
 */
static int levy_search(crit_market *m, double rref, int32_t *solves, double *r)
{
    double a = 0, ha = landed(m) - rref, b = rref, hb = NAN;
    double La = ha + rref, Lb = NAN; /* L at the bracket's ends */
    if (ha >= 0)
        return CRIT_OK;
    double tau = fmin(rref, -ha), tol = 1e-11 * m->p0;
    double xp = 0, hp = ha; /* the previous point, for secant steps */
    int side = 0;
    for (int it = 0; it < 200; it++) {
        set_costs(m, tau);
        int rc = solve_once(m, 1, r);
        ++*solves;
        if (rc)
            return rc;
        double L = landed(m), h = tau + L - rref;
        if (fabs(h) <= tol)
            return CRIT_OK;
        if (h < 0) {
            if (side == -1 && !isnan(hb))
                hb *= 0.5;
            a = tau;
            ha = h;
            La = L;
            side = -1;
        } else {
            if (side == 1)
                ha *= 0.5;
            b = tau;
            hb = h;
            Lb = L;
            side = 1;
        }
        double next;
        if (isnan(hb)) {
            /* no point above the root yet: secant through the last two
               points, else the fixed-point step; never beyond Rref.
               Where tau + L(tau) did not rise (flat: the cheapest
               non-member's supply does not answer to its price, so the
               levy only lowers that price until it reaches 0; or falling,
               though MODEL.md section 4 says it does not: a world with a
               stockpile agent did), steps that double, not ones of -h
               each */
            next = h > hp ? tau - h * (tau - xp) / (h - hp)
                          : tau + fmax(-h, 2 * (tau - xp));
            if (!(next > tau))
                next = tau - h;
            next = fmin(next, rref);
            if (!(next > a))
                next = 0.5 * (a + b);
        } else {
            next = a - ha * (b - a) / (hb - ha);
            if (!(next > a && next < b))
                next = 0.5 * (a + b);
        }
        xp = tau;
        hp = h;
        tau = next;
        if (!(b - a > 1e-15 * rref))
            break;
    }
    const char *code = m->world->min[m->mineral].code;
    if (!isnan(Lb) && !(b - a > 1e-15 * rref))
        /* tau + L(tau) crosses Rref in a jump, between two neighbouring
           levies: L is not continuous there (a price the equilibrium
           does not pin down and free_prices does not settle would move
           it; none is known to remain) */
        return crit__error(CRIT_ENOCONV,
                           "market '%s': no levy holds the reference price "
                           "%g USD/t: the cheapest landed price of "
                           "non-member supply jumps from %g USD/t at a levy "
                           "of %.17g to %g at %.17g",
                           code, rref, La, a, Lb, b);
    return crit__error(CRIT_ENOCONV,
                       "market '%s': the levy fixed point did not converge "
                       "(bracket [%g, %g] USD/t)",
                       code, a, b);
}

int crit__market_solve(crit_market *m)
{
    /*
     * The last solve's trees carry over to a warm solve when the nodes
     * (quota out-nodes) and the route costs are the same: set_costs
     * clears trees_ok when the costs change.
     */
    size_t last_N = m->N;
    int keep = m->trees_ok && m->warm_valid && m->opt.warm_start;
    load(m);
    keep = keep && m->N == last_N;
    for (size_t i = 0; keep && i < m->n; i++)
        keep = m->outnode[i] == m->warm_outnode[i];
    m->trees_ok = keep;
    m->node_evals = 0;
    m->iterations = 0;
    double rref = m->policy ? m->policy->rref : 0;
    int warm = m->opt.warm_start != 0;
    double r;
    int rc;
    int32_t solves = 1;
    set_costs(m, 0);
    if (!m->warm_valid)
        warm = 0;
    rc = solve_once(m, warm, &r);
    if (rc == CRIT_OK && rref > 0 && has_levy_arc(m))
        rc = levy_search(m, rref, &solves, &r);
    m->info.iterations = m->iterations;
    m->info.levy_iterations = solves;
    m->info.curve_evaluations = m->n ? m->node_evals / (double)m->n : 0;
    m->info.period_years = m->dt;
    if (rc)
        return rc;
    if (rref > 0) /* r is the last solve's, without the levy's term */
        r = levy_residual(m, r, rref);
    m->info.residual = r;
    if (isnan(r)) /* an infinite quantity in the results */
        for (size_t i = 0; i < m->n; i++)
            if (m->res[CRIT_MARKET_DEMAND * m->n + i] == INFINITY)
                return demand_at_zero(m, i);
    if (!(r <= m->opt.tolerance)) {
        const char *code = m->world->min[m->mineral].code;
        double b, step;
        size_t i = worst_balance(m, &b);
        if (!(b > m->opt.tolerance))
            return crit__error(CRIT_ENOCONV,
                               "market '%s': residual %g is above the "
                               "tolerance %g, in its terms of %s",
                               code, r, m->opt.tolerance, worst_kind(m));
        /* why no double does: the economy's own volume so far above
           total demand that a double's rounding of it exceeds the
           tolerance (supply disposed of at price 0, a floor's covered
           supply, stockpiles trading far more than the world uses), a
           price in the subnormals, or a curve so steep (a stockpile's
           narrow ramp) that from one double to the next its economy's
           balance moves by more than the tolerance (the balance of its
           tree then lands on one of its economies) */
        double p = m->res[CRIT_MARKET_PRICE * m->n + i];
        const double *R = m->res;
        size_t n = m->n;
        const int32_t terms[] = {
            CRIT_MARKET_PRODUCTION,     CRIT_MARKET_STOCK_RELEASE,
            CRIT_MARKET_STOCK_PURCHASE, CRIT_MARKET_IMPORTS,
            CRIT_MARKET_EXPORTS,        CRIT_MARKET_SHORTAGE,
            CRIT_MARKET_DISPOSAL,       CRIT_MARKET_DEMAND};
        double vol = 0;
        for (size_t q = 0; q < sizeof terms / sizeof *terms; q++)
            vol = fmax(vol, fabs(R[(size_t)terms[q] * n + i]));
        vol /= m->info.total_demand_t;
        char why[200] = "";
        size_t k = steepest(m, &step);
        if (b <= 64 * DBL_EPSILON * vol)
            crit__format(why, sizeof why,
                         "; its largest flow is %.3g times total demand, where "
                         "a double's rounding alone is %.3g of it",
                         vol, DBL_EPSILON * vol);
        else if (p < DBL_MIN)
            snprintf(why, sizeof why,
                     ", a price too small for a double to resolve");
        else if (step > m->opt.tolerance)
            crit__format(why, sizeof why,
                         "; from its price to the next double, economy '%s' "
                         "moves its balance by %g",
                         m->world->eco[k].code, step);
        return crit__error(
            CRIT_ENOCONV,
            "market '%s': residual %g is above the tolerance %g: economy "
            "'%s' is out of balance by %g of total demand at %g USD/t%s",
            code, r, m->opt.tolerance, m->world->eco[i].code, b, p, why);
    }
    return CRIT_OK;
}

double crit__market_excess(crit_market *m, size_t i, double p, double *dE,
                           double *d2E, int *evaluated)
{
    double before = m->node_evals, g;
    int lin = m->lin;
    m->lin = 0;
    double e = node_eval(m, i, p, dE, d2E, &g, NULL);
    m->lin = lin;
    *evaluated = m->node_evals != before;
    return e;
}

double crit__market_residual(crit_market *m)
{
    double V = m->info.total_demand_t;
    double r = residual(m);
    m->info.total_demand_t = V;
    double rref = m->policy ? m->policy->rref : 0;
    return rref > 0 ? levy_residual(m, r, rref) : r;
}

/* ---- surplus integrals ------------------------------------------------- */

double crit__market_supply_integral(const crit_market *m, size_t i, double p)
{
    double s0 = m->cs0[i], av = m->ca[i] * m->dt, eta = m->ceta[i];
    if (s0 <= 0 || av <= 0 || p <= 0)
        return 0;
    if (eta == 0)
        return av * s0 * p;
    double K = m->cK[i];
    double pk = m->p0 * pow(K / s0, 1 / eta);
    double x = fmin(p, pk);
    double v = s0 * m->p0 * pow(x / m->p0, eta + 1) / (eta + 1);
    if (p > pk)
        v += K * (p - pk);
    return av * v;
}

/* integral of D_i from lo to hi (both > 0, or eps = 0) */
double crit__market_demand_integral(const crit_market *m, size_t i, double lo,
                                    double hi)
{
    double d0 = m->cd0[i] * m->cg[i] * m->dt, eps = m->ceps[i];
    if (d0 <= 0 || lo == hi)
        return 0;
    if (eps == 0)
        return d0 * (hi - lo);
    if (lo <= 0 || hi <= 0) {
        if (eps >= 1)
            return lo <= 0 ? INFINITY : -INFINITY;
        double k = 1 - eps;
        return d0 * m->p0 / k * (pow(hi / m->p0, k) - pow(lo / m->p0, k));
    }
    double k = 1 - eps, L1 = log(hi / m->p0), L2 = log(lo / m->p0);
    double dl = L1 - L2;
    double f = k == 0 ? dl : expm1(k * dl) / k;
    return d0 * m->p0 * exp(k * L2) * f;
}

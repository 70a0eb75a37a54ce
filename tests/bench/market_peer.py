#!/usr/bin/env python3
"""Reference solver for bench_market: the same spatial price equilibrium,
solved with scipy as the convex program it is.

The equilibrium prices minimise the dual (MODEL.md section 3)

    sum_i Phi_i(p_i) + sum_i Q_i dt lambda_i
    subject to  p_j <= p_i + lambda_i + c_ij  on every allowed arc,
                0 <= p_i <= Pmax,  lambda_i >= 0,

with Phi_i' = S_i - D_i (supply minus demand per period), so Phi_i is the
integral of the curves of MODEL.md section 1. scipy's SLSQP solves it with
exact gradients and the constant constraint Jacobian.

Usage: market_peer.py INSTANCES OUT. INSTANCES is written by bench_market
(one instance after another: a header line "n P0 Pmax dt repeats batches",
n lines
"s0 K eta d0 eps a g quota member", then n lines of n wedges with "inf"
for a banned arc). OUT receives, per instance, a line "seconds_per_solve"
and a line with the n prices. The time is the mean of a batch of
`repeats` solves, the best of `batches` batches (bench_market reports the
same statistic for libcrit).
"""
import sys
import time

import numpy as np
from scipy.optimize import minimize


def read_instances(path):
    with open(path) as f:
        tokens = f.read().split()
    pos = 0
    out = []
    while pos < len(tokens):
        n = int(tokens[pos])
        p0, pmax, dt = (float(x) for x in tokens[pos + 1:pos + 4])
        repeats, batches = int(tokens[pos + 4]), int(tokens[pos + 5])
        pos += 6
        eco = np.array(tokens[pos:pos + 9 * n], dtype=float).reshape(n, 9)
        pos += 9 * n
        cost = np.array(tokens[pos:pos + n * n], dtype=float).reshape(n, n)
        pos += n * n
        out.append(dict(n=n, p0=p0, pmax=pmax, dt=dt, repeats=repeats,
                        batches=batches, eco=eco, cost=cost))
    return out


class Dual:
    """Objective, gradient and constraints of one instance, in units of
    P0 for prices and of total base demand for quantities."""

    def __init__(self, inst):
        e = inst["eco"]
        self.n = inst["n"]
        self.p0 = inst["p0"]
        self.xmax = inst["pmax"] / self.p0
        dt = inst["dt"]
        self.s0, self.K, self.eta = e[:, 0], e[:, 1], e[:, 2]
        self.d0, self.eps = e[:, 3] * e[:, 6] * dt, e[:, 4]
        self.av = e[:, 5] * dt
        quota = e[:, 7]
        self.qi = np.nonzero(np.isfinite(quota))[0]
        self.qdt = quota[self.qi] * dt
        self.scale = max(self.d0.sum() + (self.s0 * self.av).sum(), 1e-300)
        # the price at which supply reaches capacity, in units of P0
        with np.errstate(divide="ignore"):
            self.xk = np.where(
                (self.eta > 0) & (self.s0 > 0),
                (self.K / np.maximum(self.s0, 1e-300)) ** (1 / np.maximum(self.eta, 1e-300)),
                np.inf)
        nq = len(self.qi)
        rows = []
        cols = []
        vals = []
        rhs = []
        col_of = {i: self.n + k for k, i in enumerate(self.qi)}
        cost = inst["cost"] / self.p0
        r = 0
        for i in range(self.n):
            for j in range(self.n):
                if i == j or not np.isfinite(cost[i, j]):
                    continue
                # p_i + lambda_i + c_ij - p_j >= 0
                rows += [r, r]
                cols += [i, j]
                vals += [1.0, -1.0]
                if i in col_of:
                    rows.append(r)
                    cols.append(col_of[i])
                    vals.append(1.0)
                rhs.append(cost[i, j])
                r += 1
        self.A = np.zeros((r, self.n + nq))
        self.A[rows, cols] = vals
        self.b = np.array(rhs)

    def supply(self, x):
        """Supply per period and its integral from 0, per economy."""
        s0, eta, K, av = self.s0, self.eta, self.K, self.av
        xc = np.minimum(x, self.xk)
        s = np.where(eta > 0, s0 * xc ** eta, s0)
        s = np.minimum(s, np.where(eta > 0, K, s0))
        integ = np.where(eta > 0, s0 * xc ** (eta + 1) / (eta + 1), s0 * x)
        above = x > self.xk  # never where xk is infinite
        integ = integ + np.where(above, K * (x - np.where(above, self.xk, x)),
                                 0.0)
        return av * s, av * integ

    def demand(self, x):
        """Demand per period and its integral from 1 (the base price)."""
        d0, eps = self.d0, self.eps
        d = d0 * x ** (-eps)
        k = 1 - eps
        with np.errstate(divide="ignore", invalid="ignore"):
            integ = np.where(np.abs(k) > 1e-12, d0 * (x ** k - 1) / k,
                             d0 * np.log(x))
        return d, integ

    def fun(self, z):
        x = z[:self.n]
        _, si = self.supply(x)
        _, di = self.demand(x)
        return (si.sum() - di.sum() + (self.qdt * z[self.n:]).sum()) / self.scale

    def jac(self, z):
        x = z[:self.n]
        s, _ = self.supply(x)
        d, _ = self.demand(x)
        return np.concatenate([s - d, self.qdt]) / self.scale

    def solve(self):
        n, nq = self.n, len(self.qi)
        z0 = np.concatenate([np.ones(n), np.zeros(nq)])
        bounds = [(1e-9, self.xmax)] * n + [(0, None)] * nq
        cons = []
        if len(self.b):
            cons = [dict(type="ineq", fun=lambda z: self.A @ z + self.b,
                         jac=lambda z: self.A)]
        res = minimize(self.fun, z0, jac=self.jac, bounds=bounds,
                       constraints=cons, method="SLSQP",
                       options=dict(ftol=1e-15, maxiter=2000))
        if not res.success:
            raise RuntimeError("SLSQP: " + res.message)
        return res.x[:n] * self.p0


def main():
    instances = read_instances(sys.argv[1])
    with open(sys.argv[2], "w") as out:
        for inst in instances:
            dual = Dual(inst)
            reps = max(1, inst["repeats"])
            secs = float("inf")
            for _ in range(max(1, inst["batches"])):
                t0 = time.perf_counter()
                for _ in range(reps):
                    prices = dual.solve()
                secs = min(secs, (time.perf_counter() - t0) / reps)
            out.write("%.9g\n" % secs)
            out.write(" ".join("%.17g" % p for p in prices) + "\n")


if __name__ == "__main__":
    main()

"""The horizon relaxation as a program, and how its pooled version is solved on a region.

:mod:`benchmarks.horizon` builds a :class:`_Relaxation`; on a region even the
pooled program (:mod:`benchmarks.families`) has some 370,000 columns, and the
simplex does not finish within the benchmark's time. :func:`solve_pooled`
solves it by interior point without crossover and does not trust HiGHS's
objective: it turns the row duals HiGHS returns (any duals, converged or not)
into a bound by weak duality, :func:`dual_bound`. That bound holds for every
point of the program whatever the solver's tolerances or status, so a
time-limited solve still gives a valid (weaker) bound.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from benchmarks.relax import _Program

__all__ = ["IPM_COLUMNS", "dual_bound", "hopeless", "solve_pooled"]

IPM_COLUMNS = 50_000  # above this many columns, interior point instead of the simplex
KEPT_SHARE = 0.6  # of the time left, for a member's kept solve when its shortfall follows


@dataclass
class _Relaxation:
    """The program of :mod:`benchmarks.horizon`, with the rows every member shares."""

    program: _Program
    kept_cols: list[int]  # one per kept column (cost 1 when maximising kept)
    short_cols: list[int]  # one per date with a target (cost 1 when minimising shortfall)
    # per class: (cases at risk, columns meeting a deadline in time, fixed in-time count)
    in_time: dict[str, tuple[int, list[int], int]]
    reachable: dict[str, int]  # per class, free cases with a column meeting their deadline
    pinned_kept: int  # pinned cases, kept by rule, outside the columns
    pooled: bool  # sessions pooled into families (:mod:`benchmarks.families`)
    exact_columns: int  # columns the exact program has (an upper estimate when pooled)


def hopeless(relax: _Relaxation, caps: dict[str, int]) -> bool:
    """Does a class need more cases in time than it has cases that can be in time?

    Then the member holds no schedule (as the solver would find, each case
    giving at most one), and needs no solve.
    """
    for name, cap in caps.items():
        total, _, fixed = relax.in_time.get(name, (0, [], 0))
        if total - cap - fixed > relax.reachable.get(name, 0):
            return True
    return False


def dual_bound(arrays: dict[str, Any], cost: Any, y: Any, *, maximize: bool) -> float:
    """A bound on ``max`` (or ``min``) ``cost . x`` over ``lo <= A x <= hi``, ``l <= x <= u``.

    For any row multipliers ``y``: ``c.x = (c - A'y).x + y.(A x)``, and each
    term is at most its largest value over the column's box and the row's
    range (weak duality). A multiplier whose row is unbounded on its side is
    set to zero first, so the bound is finite. Valid for every ``y``; tight
    for the optimal duals.
    """
    import numpy as np

    lo, hi = arrays["row_lo"], arrays["row_hi"]
    c = cost if maximize else -cost  # as a maximisation
    y = np.where((y > 0) & ~np.isfinite(hi), 0.0, y)
    y = np.where((y < 0) & ~np.isfinite(lo), 0.0, y)
    reduced = c - np.bincount(
        arrays["index"], weights=arrays["value"] * y[arrays["row_of"]], minlength=len(c)
    )
    columns = np.where(reduced > 0, reduced * arrays["upper"], reduced * arrays["lower"]).sum()
    rows = np.where(y > 0, y * np.where(y > 0, hi, 0.0), y * np.where(y < 0, lo, 0.0)).sum()
    bound = float(columns + rows)
    return bound if maximize else -bound


def solve_pooled(
    relax: _Relaxation, members: list[dict[str, int]], time_limit: float
) -> list[tuple[float | None, bool]]:
    """Kept (max) then shortfall (min) of every member, on one HiGHS instance.

    The members differ only in the lower bounds of the in-time rows (one row
    per class, always there, free when the member leaves the class free) and
    the goals only in the costs, so the program is handed to HiGHS once. On a
    large program each solve is by interior point without crossover (on the
    region about 140 s at load 5, where the simplex, even from the previous
    optimal basis, had not finished in twice that). Each value is
    :func:`dual_bound` of HiGHS's row duals (``None``: the member is
    infeasible; NaN: no duals), with whether HiGHS reported it optimal.
    """
    import highspy
    import numpy as np

    started = time.monotonic()
    prog = relax.program
    base_rows = len(prog.row_lo)
    base_index = len(prog.index)
    rows = {}
    for name, (_, cols, _) in relax.in_time.items():
        rows[name] = len(prog.row_lo)
        prog.row([(j, 1.0) for j in cols], -math.inf, math.inf)
    try:
        h = prog.highs(maximize=True, integer=False, time_limit=time_limit)
        starts = np.asarray(prog.starts)
        arrays = {
            "row_lo": np.asarray(prog.row_lo, dtype=np.float64),
            "row_hi": np.asarray(prog.row_hi, dtype=np.float64),
            "lower": np.asarray(prog.lower, dtype=np.float64),
            "upper": np.asarray(prog.upper, dtype=np.float64),
            "index": np.asarray(prog.index, dtype=np.int64),
            "value": np.asarray(prog.value, dtype=np.float64),
            "row_of": np.repeat(np.arange(len(prog.row_lo)), np.diff(starts)),
        }
    finally:
        del prog.row_lo[base_rows:], prog.row_hi[base_rows:], prog.starts[base_rows + 1 :]
        del prog.index[base_index:], prog.value[base_index:]
    n = len(prog.cost)
    if n > IPM_COLUMNS:
        h.setOptionValue("solver", "ipm")
        h.setOptionValue("run_crossover", "off")
    every = np.arange(n, dtype=np.int32)
    out: list[tuple[float | None, bool]] = []
    runs = 2 * sum(not hopeless(relax, caps) for caps in members)
    for caps in members:
        if hopeless(relax, caps):
            out += [(None, True), (None, True)]
            continue
        for name, row in rows.items():
            total, _, fixed = relax.in_time[name]
            need = total - caps[name] - fixed if name in caps else 0
            low = float(need) if need > 0 else -math.inf
            h.changeRowBounds(row, low, math.inf)
            arrays["row_lo"][row] = low
        for kept in (True, False):
            cost = np.zeros(n)
            cost[relax.kept_cols if kept else relax.short_cols] = 1.0
            h.changeColsCost(n, every, cost)
            sense = highspy.ObjSense.kMaximize if kept else highspy.ObjSense.kMinimize
            h.changeObjectiveSense(sense)
            left = time_limit - (time.monotonic() - started)
            # kept first, and the larger share: it is the bound the date-by-date one cannot
            # give; the shortfall's LP barely passes the dates' (185 against 185 on the region)
            share = left * KEPT_SHARE if kept and runs > 1 else left / max(1, runs)
            h.setOptionValue("time_limit", max(0.05, share))
            runs -= 1
            h.run()
            status = h.modelStatusToString(h.getModelStatus())
            solution = h.getSolution()
            if status == "Infeasible":
                out.append((None, True))
            elif not solution.dual_valid:
                out.append((math.nan, False))
            else:
                y = np.asarray(solution.row_dual, dtype=np.float64)
                # HiGHS's sign convention aside: either sign gives a valid bound, take the better
                pick = max if not kept else min
                value = pick(dual_bound(arrays, cost, s * y, maximize=kept) for s in (1.0, -1.0))
                out.append((value, status == "Optimal"))
    return out

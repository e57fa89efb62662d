"""The decomposition's master of the weighted delay solved by CP-SAT and, as a MIP, by HiGHS.

``python -m benchmarks.master_mip hospital-14 --seconds 40``: one default search (2
workers, seed 0, ``--time-limit``), then the master of ``optimizer/model/master.py`` with
every level before the weighted delay fixed at that search's values (as
``search/prove.py`` builds it, without the dates' caps or cuts), solved three ways within
``--seconds``: CP-SAT with one worker and its strongest linear relaxation (the project's
master solver), CP-SAT with two default workers, and HiGHS (one thread) on the same model
read as a MIP. A row per instance goes to ``--out``.

The model is read from CP-SAT's proto: its variables with their bounds, its linear rows,
``exactly_one`` and ``bool_and`` (the only constraints the master has), a row with one
enforcement literal as a big-M row over the bounds of its terms. The MIP then has the
same integer points as the master: both solvers answer for the same problem.
"""

from __future__ import annotations

import argparse
import math
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.suite import SUITE, build
from benchmarks.tables import append_rows

ROOT = Path(__file__).resolve().parent.parent
Row = tuple[dict[int, float], float, float]  # terms by variable, lower, upper


def master_proto(name: str, time_limit: float) -> Any:
    """The delay's master of instance ``name``, earlier levels fixed at a search's values."""
    from optimizer.facts.levels import LevelKind
    from optimizer.model.build import add_hint, build_model
    from optimizer.model.master import build_master
    from optimizer.search.driver import search_solution
    from optimizer.search.options import SolveOptions

    scenario = build(next(i for i in SUITE if i.name == name))
    options = SolveOptions.checked(time_limit=time_limit, workers=2, seed=0)
    cand, found = search_solution(scenario, options, None)  # type: ignore[arg-type]
    levels = build_model(cand).levels
    k = next(n for n, lv in enumerate(levels) if lv.kind is LevelKind.DELAY)
    master = build_master(cand)
    for n in range(k):
        master.model.add(master.levels[n].expr <= levels[n].value(found))
    master.model.minimize(master.levels[k].expr)
    add_hint(master, cand, found)
    return master.model, levels[k].value(found), levels[k].unit


def _literal(lit: int) -> tuple[int, int, int]:
    """A literal as ``coef * x + const`` over its variable."""
    return (lit, 1, 0) if lit >= 0 else (-lit - 1, -1, 1)


def mip_rows(proto: Any) -> tuple[list[int], list[int], list[Row]]:
    """The variables' bounds and the rows of a CP-SAT proto holding linear, ``exactly_one``
    and ``bool_and`` constraints (at most one enforcement literal on a linear one)."""
    lo = [v.domain[0] for v in proto.variables]
    hi = [v.domain[-1] for v in proto.variables]
    rows: list[Row] = []
    for c in proto.constraints:
        kind, enforced = c.WhichOneof("constraint"), list(c.enforcement_literal)
        if kind == "exactly_one" and not enforced:
            terms: dict[int, float] = {}
            const = 0
            for lit in c.exactly_one.literals:
                v, a, b = _literal(lit)
                terms[v] = terms.get(v, 0) + a
                const += b
            rows.append((terms, 1 - const, 1 - const))
        elif kind == "bool_and":  # every enforcement literal true: each literal true
            for lit in c.bool_and.literals:
                v, a, b = _literal(lit)
                terms, const = {v: a}, b
                for e in enforced:
                    ve, ae, be = _literal(e)
                    terms[ve] = terms.get(ve, 0) - ae
                    const -= be
                rows.append((terms, 1 - len(enforced) - const, math.inf))
        elif kind == "linear" and len(enforced) <= 1:
            rows.extend(_linear(c, enforced, lo, hi))
        else:
            raise ValueError(f"a constraint the master does not have: {kind}")
    return lo, hi, rows


def _linear(c: Any, enforced: list[int], lo: list[int], hi: list[int]) -> list[Row]:
    terms: dict[int, float] = {}
    for v, a in zip(c.linear.vars, c.linear.coeffs, strict=True):
        terms[v] = terms.get(v, 0) + a
    dom = list(c.linear.domain)
    lb = -math.inf if dom[0] <= -(2**61) else dom[0]
    ub = math.inf if dom[-1] >= 2**61 else dom[-1]
    if not enforced:
        return [(terms, lb, ub)]
    least = sum(a * (lo[v] if a > 0 else hi[v]) for v, a in terms.items())
    most = sum(a * (hi[v] if a > 0 else lo[v]) for v, a in terms.items())
    ve, ae, be = _literal(enforced[0])
    out: list[Row] = []
    if ub < most:  # sum <= ub + M (1 - e)
        m = most - ub
        out.append(({**terms, ve: terms.get(ve, 0) + m * ae}, -math.inf, ub + m - m * be))
    if lb > least:  # sum >= lb - M (1 - e)
        m = lb - least
        out.append(({**terms, ve: terms.get(ve, 0) - m * ae}, lb - m + m * be, math.inf))
    return out


def message(model: Any) -> Any:
    """The model's proto as a protobuf message (OR-Tools' own proto object has no oneof)."""
    import tempfile

    from ortools.sat import cp_model_pb2

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.pb"
        model.export_to_file(str(path))
        return cp_model_pb2.CpModelProto.FromString(path.read_bytes())


def by_highs(model: Any, seconds: float) -> tuple[str, float | None, float, float]:
    """HiGHS (one thread) on the model read as a MIP: status, value, bound, seconds."""
    import highspy
    import numpy as np

    proto = message(model)
    lo, hi, rows = mip_rows(proto)
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", seconds)
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_rel_gap", 0.0)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(lo), len(rows)
    cost = np.zeros(len(lo))
    for v, a in zip(proto.objective.vars, proto.objective.coeffs, strict=True):
        cost[v] += a
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = (
        cost,
        np.array(lo, np.float64),
        np.array(hi, np.float64),
    )
    lp.row_lower_ = np.array([r[1] for r in rows], np.float64)
    lp.row_upper_ = np.array([r[2] for r in rows], np.float64)
    start, index, value = [0], list[int](), list[float]()
    for terms, _, _ in rows:
        index.extend(terms)
        value.extend(terms.values())
        start.append(len(index))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_, lp.a_matrix_.index_ = np.array(start), np.array(index)
    lp.a_matrix_.value_ = np.array(value, np.float64)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * len(lo)
    h.passModel(lp)
    began = time.monotonic()
    h.run()
    info = h.getInfo()
    status = h.modelStatusToString(h.getModelStatus())
    found = info.objective_function_value if info.primal_solution_status else None
    return status, found, info.mip_dual_bound, time.monotonic() - began


def by_cp_sat(model: Any, seconds: float, workers: int) -> tuple[str, float, float, float]:
    """CP-SAT on the master: one worker with linearization 2 (the master's solver, as
    ``date_cuts.master_solver``), else ``workers`` default workers."""
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 0
    if workers == 1:
        solver.parameters.linearization_level = 2
    began = time.monotonic()
    status = solver.solve(model)
    took = time.monotonic() - began
    return solver.status_name(status), solver.objective_value, solver.best_objective_bound, took


def measure(name: str, time_limit: float, seconds: float) -> dict[str, object]:
    model, found, unit = master_proto(name, time_limit)
    row: dict[str, object] = {"instance": name, "search_s": time_limit, "seconds": seconds,
                              "found": round(found * unit)}  # fmt: skip
    solves: dict[str, Callable[[], tuple[str, float | None, float, float]]] = {
        "cpsat1": lambda: by_cp_sat(model, seconds, 1),
        "cpsat2": lambda: by_cp_sat(model, seconds, 2),
        "highs": lambda: by_highs(model, seconds),
    }
    for key, run in solves.items():
        status, value, bound, took = run()
        row |= {
            f"{key}_status": status,
            f"{key}_value": None if value is None else round(value * unit),
            f"{key}_bound": round(bound * unit),
            f"{key}_s": round(took, 1),
        }
    row["load"] = round(os.getloadavg()[0], 1)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances", nargs="+")
    parser.add_argument("--time-limit", type=float, default=10.0, help="the search's seconds")
    parser.add_argument("--seconds", type=float, default=40.0, help="each solver's seconds")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "benchmarks/results/issue20-s37-master-mip.csv"
    )
    args = parser.parse_args(argv)
    rows = [measure(name, args.time_limit, args.seconds) for name in args.instances]
    for row in rows:
        print(row, flush=True)
    append_rows(args.out, rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

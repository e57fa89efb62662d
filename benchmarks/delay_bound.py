"""How far below the weighted delay found its bound is: the decomposition's master with each
date's caps and proven cuts (``optimizer/search/date_cuts.py``), given some seconds.

``python -m benchmarks.delay_bound hospital-14 --seconds 10 30``: one default search
(2 workers, seed 0, ``--time-limit``), then, with every level before the weighted delay
fixed at that search's values, the dates' relaxations of the kept level (its caps ``C_d``)
and the decomposition (``benchmarks/results/issue20-s28-delay-bound.csv`` gets a row per
instance and budget). The bound holds for the problem with those earlier levels' values:
the run's own, proven when its summary says so.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from benchmarks.suite import SUITE, build
from benchmarks.tables import append_rows

ROOT = Path(__file__).resolve().parent.parent


def measure(name: str, time_limit: float, seconds: float, rounds: int) -> dict[str, object]:
    """One instance: the search's weighted delay, and the bound reached in ``seconds``."""
    from optimizer.facts.levels import LevelKind
    from optimizer.model.build import build_model
    from optimizer.model.master import build_master
    from optimizer.search.benders import decompose
    from optimizer.search.days import search_days
    from optimizer.search.driver import search_solution
    from optimizer.search.options import SolveOptions
    from optimizer.search.outcome import Budget
    from optimizer.search.runner import Runner
    from optimizer.search.stop import StopFlag

    scenario = build(next(i for i in SUITE if i.name == name))
    options = SolveOptions.checked(time_limit=time_limit, workers=2, seed=0)
    cand, found = search_solution(scenario, options, None)  # type: ignore[arg-type]
    began = time.monotonic()
    built = build_model(cand)
    runner = Runner(built, cand, 0, 2, StopFlag())
    levels = built.levels
    k = next(n for n, lv in enumerate(levels) if lv.kind is LevelKind.DELAY)
    kept = next(lv for lv in levels if lv.kind.kept)
    days = search_days(runner, kept, found, Budget(seconds / 4, None, None))
    master = build_master(cand)
    values = [lv.value(found) for lv in levels]
    for n in range(k):
        master.model.add(master.levels[n].expr <= values[n])
    left = max(0.05, seconds - (time.monotonic() - began))
    out = decompose(runner, master, levels, k, found, Budget(left, None, None), rounds)
    best = values[k] if out.found is None else levels[k].value(out.found)
    unit = levels[k].unit
    return {
        "instance": name,
        "search_s": time_limit,
        "bound_s": seconds,
        "found": round(values[k] * unit),
        "found_after": round(best * unit),
        "bound": None if out.bound is None else round(out.bound * unit),
        "kept_bound": None if days.bound is None else -days.bound,
        "rounds": out.rounds,
        "cuts": out.cuts,
        "wall_s": round(time.monotonic() - began, 1),
        "load": round(os.getloadavg()[0], 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances", nargs="+")
    parser.add_argument("--time-limit", type=float, default=10.0, help="the search's seconds")
    parser.add_argument("--seconds", type=float, nargs="+", default=[10.0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument(
        "--out", type=Path, default=ROOT / "benchmarks/results/issue20-s28-delay-bound.csv"
    )
    args = parser.parse_args(argv)
    rows = []
    for name in args.instances:
        for seconds in args.seconds:
            row = measure(name, args.time_limit, seconds, args.rounds)
            print(row, flush=True)
            rows.append(row)
    append_rows(args.out, rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""A generated instance of the suite at other seeds: the solver against first fit on other
draws than the suite's.

```
python -m benchmarks.seeds [--only university] [--seeds 1 3 4 5 6] [--time-limit 60]
                           [--set window_tie_break=0] [--bound-time-limit 120]
                           [--out benchmarks/results/seeds.csv]
```

The suite's generated instances are built with seed 1 (``benchmarks/suite.py``); the
hold-out instances the issues measure are other draws of the same kind. Per instance and
seed, each run in a fresh interpreter (its peak memory its own): the disrupted scenario of
``generate(seed=S, ...)``, first fit on every option (the benchmark's baseline), then the
search (2 workers, search seed 0, the time limit), both judged by the independent checker
and scored by ``evaluate``; with ``--bound-time-limit``, the benchmark's HiGHS bounds of
kept and shortfall (``benchmarks/run.py``, for schedules missing no more deadlines than the
search's). ``--set NAME=VALUE`` changes a ``[solver]`` setting
(``SolverParams``) for the search, to compare a setting on the same seeds. The load
average is read before and after: quote runs on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.blocks import run_child
from benchmarks.suite import SUITE, build

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2


def part(
    name: str, seed: int, time_limit: float, settings: dict[str, Any], bound_s: float = 0.0
) -> dict[str, Any]:
    """One seed of instance ``name``: first fit's and the search's scores, and with
    ``bound_s`` the benchmark's HiGHS bounds given that long (``benchmarks/run.py``)."""
    from benchmarks.run import first_fit_result, scenario_bounds
    from optimizer.check import check_schedule, evaluate
    from optimizer.search.driver import search
    from optimizer.search.options import SolveOptions

    sc = build(next(i for i in SUITE if i.name == name), seed)
    base = first_fit_result(sc)
    b = evaluate(sc, base.schedule)
    load = os.getloadavg()[0]
    began = time.monotonic()
    solver = sc.policy.solver.model_copy(update=settings)
    options = SolveOptions(seed=0, time_limit=time_limit, workers=WORKERS, params=solver)
    result = search(sc, options, started=began)
    s = evaluate(sc, result.schedule)
    planned = result.summary["totals"]["planned"]
    bounds = scenario_bounds(sc, bound_s, s["misses_by_class"]) if bound_s else {}
    kept_bound, short_bound = bounds.get("kept"), bounds.get("shortfall")
    return {
        "instance": name,
        "generator_seed": seed,
        "settings": json.dumps(settings, sort_keys=True),
        "time_limit_s": time_limit,
        "wall_s": round(result.wall_time_s, 1),
        "planned": planned,
        "misses": s["deadline_misses"],
        "misses_baseline": b["deadline_misses"],
        "shortfall": s["shortfall"],
        "shortfall_baseline": b["shortfall"],
        "kept": s["kept"],
        "kept_baseline": b["kept"],
        "kept_bound": kept_bound,
        "gap_kept_vs_bound": None
        if kept_bound is None
        else round((kept_bound - s["kept"]) / planned, 4),
        "shortfall_bound": short_bound,
        "gap_shortfall_vs_bound": None
        if short_bound is None
        else round((s["shortfall"] - short_bound) / planned, 4),
        "delay": round(s["weighted_delay"], 2),
        "delay_baseline": round(b["weighted_delay"], 2),
        "delay_vs_baseline": round(s["weighted_delay"] / b["weighted_delay"] - 1, 4)
        if b["weighted_delay"]
        else None,
        "violations": len(check_schedule(sc, result.schedule, result.summary)),
        "violations_baseline": len(check_schedule(sc, base.schedule, base.summary)),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "load_before": round(load, 1),
        "load_after": round(os.getloadavg()[0], 1),
    }


def _setting(text: str) -> tuple[str, Any]:
    """``NAME=VALUE`` of ``--set``, its value read as JSON (else kept as text)."""
    name, _, value = text.partition("=")
    try:
        return name, json.loads(value)
    except json.JSONDecodeError:
        return name, value


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="+", default=["university"])
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 3, 4, 5, 6])
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--bound-time-limit", type=float, default=0.0, help="0: no bounds")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/seeds.csv")
    ap.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        name, seed, limit, settings, bound_s = args.child
        row = part(name, int(seed), float(limit), json.loads(settings), float(bound_s))
        print(json.dumps(row))
        return 0
    settings = json.dumps(dict(_setting(s) for s in args.set))
    for name in args.only:
        if next((i for i in SUITE if i.name == name and i.source == "generated"), None) is None:
            ap.error(f"{name} is not a generated instance of the suite")
        for seed in args.seeds:
            cmd = [sys.executable, "-m", "benchmarks.seeds", "--child", name, str(seed),
                   str(args.time_limit), settings, str(args.bound_time_limit)]  # fmt: skip
            run_child(cmd, args.out, f"{name} seed {seed}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

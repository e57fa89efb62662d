"""The start's windows in rounds on Dask (``optimizer/search/parallel_windows.py``) against
the windows one by one (``optimizer/search/neighbourhoods.py``).

```
python -m benchmarks.rounds [--only university] [--time-limit 60] [--dask-workers 0 1 2]
                            [--work-limit W] [--out benchmarks/results/issue20-s28-dask.csv]
```

Per instance: the search with its windows one by one (`[solver] window_rounds = false`), then with
the windows in rounds, for each ``--dask-workers`` (0: the rounds in this process, the default;
1, 2: a local Dask cluster of that many worker processes), each run in a fresh
interpreter, 2 search workers and seed 0 (``--work-limit``: 1 worker and that
work limit instead of the time limit: the same schedule whatever the workers).
Every schedule is judged by the independent checker and scored by ``evaluate``.
Per run: the windows solved, kept, and per second of the windows' stage; with
rounds, the rounds, the tasks' seconds (model built and solved, summed over the
workers) and the CP-SAT part of them: ``windows / round`` and ``task s / window``
project what more workers would give. The load average is read before and after.
"""

from __future__ import annotations

import argparse
import hashlib
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
    name: str, time_limit: float, work_limit: float | None, dask: int | None
) -> dict[str, Any]:
    """One run: windows one by one (``dask`` None) or in rounds on ``dask`` workers."""
    from optimizer.check import check_schedule, evaluate
    from optimizer.search.driver import search
    from optimizer.search.options import SolveOptions

    instance = next(i for i in SUITE if i.name == name)
    sc = build(instance)
    load = os.getloadavg()[0]
    began = time.monotonic()
    limits: dict[str, Any] = {"time_limit": time_limit, "workers": WORKERS}
    if work_limit is not None:
        limits = {"work_limit": work_limit, "workers": 1}
    if dask is None:  # the windows one by one: no longer the default
        limits["params"] = sc.policy.solver.model_copy(update={"window_rounds": False})
    options = SolveOptions(seed=0, dask_workers=dask, **limits)
    result = search(sc, options, started=began)
    score = evaluate(sc, result.schedule)
    summary = result.summary
    w = summary["run"].get("start_windows") or {}
    seconds = w.get("seconds") or 0
    rounds = w.get("rounds") or 0
    digest = hashlib.sha256(result.schedule.to_csv(index=False).encode()).hexdigest()
    return {
        "instance": name,
        "windows": "one by one" if dask is None else f"rounds, {dask} Dask worker(s)",
        "time_limit_s": None if work_limit is not None else time_limit,
        "work_limit": work_limit,
        "wall_s": round(result.wall_time_s, 1),
        "planned": summary["totals"]["planned"],
        "misses": score["deadline_misses"],
        "shortfall": score["shortfall"],
        "kept": score["kept"],
        "delay": round(score["weighted_delay"], 2),
        "violations": len(check_schedule(sc, result.schedule, summary)),
        "windows_solved": w.get("windows"),
        "windows_kept": w.get("improved"),
        "windows_s": seconds,
        "windows_per_s": round(w["windows"] / seconds, 2) if seconds else None,
        "rounds": rounds or None,
        "windows_per_round": round(w["windows"] / rounds, 2) if rounds else None,
        "task_s_per_window": round(w["tasks_s"] / w["windows"], 3) if rounds else None,
        "solve_s_per_window": round(w["solve_s"] / w["windows"], 3) if rounds else None,
        "rounds_s": w.get("rounds_s"),
        "refused_beds": w.get("refused_beds"),
        "schedule_sha256": digest[:16],
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "load_before": round(load, 1),
        "load_after": round(os.getloadavg()[0], 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="+", default=["university"])
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--work-limit", type=float, default=None)
    ap.add_argument("--dask-workers", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--no-serial", action="store_true", help="Skip the windows one by one.")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/issue20-s28-dask.csv")
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        name, limit, work, dask = args.child
        row = part(name, float(limit), None if work == "none" else float(work),
                   None if dask == "none" else int(dask))  # fmt: skip
        print(json.dumps(row))
        return 0
    runs: list[int | None] = ([] if args.no_serial else [None]) + list(args.dask_workers)
    work = "none" if args.work_limit is None else str(args.work_limit)
    for name in args.only:
        for n in runs:
            cmd = [sys.executable, "-m", "benchmarks.rounds", "--child", name,
                   str(args.time_limit), work, "none" if n is None else str(n)]  # fmt: skip
            run_child(cmd, args.out, f"{name} {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The block search on Dask (``optimizer/search/blocks.py``) against the current search.

```
python -m benchmarks.blocks --only university [--time-limit 60] [--blocks 7]
                            [--dask-workers 1 2] [--out benchmarks/results/issue20-blocks.csv]
```

Per instance: the current search (``solve``, 2 workers, seed 0), then the block
search with each number of local Dask workers, each in a fresh interpreter
(its peak memory its own; the Dask workers' peak is their own column), every
schedule judged by the independent checker and scored by ``evaluate``. The
load average is read before and after each run: on a shared machine no time
here means much without it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.suite import SUITE, build
from benchmarks.tables import append_rows

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2


def part_blocks_only(
    name: str, work_limit: float, block_days: int, dask_workers: int
) -> dict[str, Any]:
    """The blocks alone (no search of the whole model after, no reasons): their schedule,
    as the checker scores it, and their times, with a work limit (the same schedule with
    any number of workers)."""
    from optimizer.check import evaluate
    from optimizer.facts.candidates import build_candidates
    from optimizer.search.blocks import _frame, improve_in_blocks
    from optimizer.search.driver import search_solution
    from optimizer.search.options import SolveOptions
    from optimizer.search.stop import StopFlag

    instance = next(i for i in SUITE if i.name == name)
    sc = build(instance)
    load = os.getloadavg()[0]
    began = time.monotonic()
    options = SolveOptions(work_limit=work_limit, workers=1, seed=0, block_days=block_days,
                           dask_workers=dask_workers)  # fmt: skip
    found, run, _rest = improve_in_blocks(sc, options, search_solution, stop=StopFlag(),
                                          started=began)  # fmt: skip
    wall = time.monotonic() - began
    cand = build_candidates(sc, max_options=sc.policy.solver.max_built_options)
    score = evaluate(sc, _frame(cand, found))
    return {
        "instance": name,
        "search": f"blocks only, {dask_workers} Dask worker(s), work limit {work_limit:g}",
        "wall_s": round(wall, 1),
        "misses": score["deadline_misses"],
        "misses_by_class": "/".join(map(str, score["misses_by_class"])),
        "shortfall": score["shortfall"],
        "kept": score["kept"],
        "delay": round(score["weighted_delay"], 2),
        "blocks": json.dumps(run.summary()),
        "schedule_sha256": hashlib.sha256(repr(found).encode()).hexdigest()[:16],
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "load_before": round(load, 1),
        "load_after": round(os.getloadavg()[0], 1),
    }


def part(name: str, time_limit: float, block_days: int, dask_workers: int | None) -> dict[str, Any]:
    """One run: the current search (``dask_workers`` None) or the block search."""
    from optimizer.check import check_schedule, evaluate
    from optimizer.search.driver import search
    from optimizer.search.options import SolveOptions

    instance = next(i for i in SUITE if i.name == name)
    sc = build(instance)
    load = os.getloadavg()[0]
    began = time.monotonic()
    extra: dict[str, Any] = {}
    if dask_workers is not None:
        extra = {"block_days": block_days, "dask_workers": dask_workers}
    options = SolveOptions(time_limit=time_limit, workers=WORKERS, seed=0, **extra)
    result = search(sc, options, started=began)
    score = evaluate(sc, result.schedule)
    summary = result.summary
    return {
        "instance": name,
        "search": "current" if dask_workers is None else f"blocks, {dask_workers} Dask worker(s)",
        "time_limit_s": time_limit,
        "wall_s": round(result.wall_time_s, 1),
        "planned": summary["totals"]["planned"],
        "misses": score["deadline_misses"],
        "shortfall": score["shortfall"],
        "kept": score["kept"],
        "delay": round(score["weighted_delay"], 2),
        "violations": len(check_schedule(sc, result.schedule, summary)),
        "levels": "; ".join(
            f"{lv['name']}={lv['value']} {lv['status']}" for lv in summary["solver"]["levels"]
        ),
        "blocks": json.dumps(summary["run"].get("blocks")),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "children_peak_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
        "load_before": round(load, 1),
        "load_after": round(os.getloadavg()[0], 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="+", default=["university"])
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--blocks", type=int, default=7, help="Dates per block.")
    ap.add_argument("--dask-workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--no-current", action="store_true", help="Skip the current search.")
    ap.add_argument(
        "--blocks-only",
        type=float,
        metavar="WORK",
        default=None,
        help="Only the blocks, with this work limit (no current search).",
    )
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/issue20-blocks.csv")
    ap.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        name, limit, days, workers, only = args.child
        n = None if workers == "none" else int(workers)
        if only != "none":
            assert n is not None
            print(json.dumps(part_blocks_only(name, float(only), int(days), n)))
        else:
            print(json.dumps(part(name, float(limit), int(days), n)))
        return 0
    current = args.no_current or args.blocks_only is not None
    runs: list[int | None] = ([] if current else [None]) + list(args.dask_workers)
    for name in args.only:
        for n in runs:
            workers = "none" if n is None else str(n)
            only = "none" if args.blocks_only is None else str(args.blocks_only)
            cmd = [sys.executable, "-m", "benchmarks.blocks", "--child", name,
                   str(args.time_limit), str(args.blocks), workers, only]  # fmt: skip
            run_child(cmd, args.out, f"{name} {n}")
    return 0


def run_child(cmd: list[str], out: Path, label: str) -> None:
    """One run in a fresh interpreter (its peak memory its own): its JSON row printed and
    appended to the CSV ``out``, or a line saying it failed."""
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        print(f"{label}: failed: {(proc.stderr.strip().splitlines() or ['?'])[-1]}")
        return
    row = json.loads(lines[-1])
    print(json.dumps(row), flush=True)
    append_rows(out, [row])


if __name__ == "__main__":
    raise SystemExit(main())

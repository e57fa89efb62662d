"""Where a time-limited run's time goes, stage by stage: does it keep its time limit?

``python -m benchmarks.stages university --time-limit 60`` builds one instance of
the suite (:mod:`benchmarks.suite`), solves it as the benchmark does (2 workers,
seed 0), and prints when each stage began (the progress records the CLI's
terminal line shows), the wall time against the limit, the peak memory, the
load average, and the independent checker's verdict on the schedule.
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import time
from typing import Any

from benchmarks.suite import SUITE, build


class _Stages(logging.Handler):
    """Prints each stage and level record with the seconds since the run began."""

    def __init__(self, started: float) -> None:
        super().__init__(logging.DEBUG)
        self.started = started

    def emit(self, record: logging.LogRecord) -> None:
        what: Any = getattr(record, "stage", None) or getattr(record, "progress", None)
        if what is not None:
            print(f"{time.monotonic() - self.started:8.1f} s  {what}", flush=True)


def main(argv: list[str] | None = None) -> int:
    from benchmarks.run import first_fit_result
    from optimizer import solve
    from optimizer.check import check_schedule, evaluate
    from optimizer.search.progress import progress_log

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance", choices=[i.name for i in SUITE])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--draw", type=int, default=1, help="the generator's seed (the suite's is 1)"
    )
    parser.add_argument("--baseline", action="store_true", help="also score the first fit")
    args = parser.parse_args(argv)
    instance = next(i for i in SUITE if i.name == args.instance)
    began = time.monotonic()
    sc = build(instance, args.draw)
    print(f"built {instance.name}: {len(sc.cases)} cases in {time.monotonic() - began:.1f} s")
    started = time.monotonic()
    progress_log.addHandler(_Stages(started))
    progress_log.setLevel(logging.DEBUG)
    result = solve(sc, time_limit=args.time_limit, workers=args.workers, seed=0, started=started)
    wall = time.monotonic() - started
    violations = check_schedule(sc, result.schedule, result.summary)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    reasons = result.summary["run"].get("reasons_short")
    print(
        f"wall {wall:.1f} s = {wall / args.time_limit:.2f} x the limit; "
        f"status {result.summary['solver']['status']}; violations {len(violations)}; "
        f"peak {peak:.0f} MB; load {os.getloadavg()[0]:.1f}; reasons {reasons}"
    )
    score = evaluate(sc, result.schedule)
    print(
        f"kept {score['kept']}, shortfall {score['shortfall']}, misses "
        f"{sum(score['misses_by_class'])}, weighted delay {score['weighted_delay']:.0f}; "
        f"options note: {result.summary['run'].get('options_restricted')}"
    )
    if args.baseline:  # the first fit on every option (the benchmark's baseline), untimed
        b = evaluate(sc, first_fit_result(sc).schedule)
        print(
            f"baseline: kept {b['kept']}, shortfall {b['shortfall']}, misses "
            f"{sum(b['misses_by_class'])}, weighted delay {b['weighted_delay']:.0f}"
        )
    return 0 if not violations else 1


if __name__ == "__main__":
    raise SystemExit(main())

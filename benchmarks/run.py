"""The solver measured side by side with the first-fit baseline and an independent bound.

For each instance of the suite (generated hospitals, a university hospital,
IHTC-2024 instances and the OR-utilization quarter, all disrupted) this runs,
each in its own subprocess so peak memory is the instance's own:

- the solver, ``optimizer.solve(..., workers=2)`` within the instance's time limit;
- the solver with a near-zero time limit: how soon the API hands back a valid
  schedule (its first-fit fallback, after building the model);
- the baseline: first fit by urgency (``optimizer.construct.first_fit``);
- the HiGHS bounds of :mod:`benchmarks.bounds` (built from the scenario alone).

Every schedule is judged by the independent checker (``check_schedule``,
violations must be 0) and scored by ``evaluate``, not by the solver's own
report. It prints the comparison, the solver's per-level status, a scaling
table, and appends the rows to a CSV with the date and git commit, so runs can
be compared over time.

Run from the repository: ``python -m benchmarks.run [--quick] [--time-limit S]
[--large-time-limit S] [--external DIR] [--out benchmarks/results/latest.csv]``. The
public data sets are looked up as :mod:`benchmarks.external` says (beside the
repository, or ``$OR_RESCHEDULER_EXTERNAL``, or ``--external``).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.external import ENVIRONMENT_VARIABLE, ihtc_dir, or_utilization_csv

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
FIRST_VALID_LIMIT = 0.05  # seconds: the solver's smallest useful budget
SHORT_LEVEL_NAMES = {
    "deadline": "miss",
    "shortfall": "short",
    "planned": "kept",
    "weighted delay": "delay",
    "patients moved": "moved",
    "minutes shifted": "shift",
}


@dataclass(frozen=True)
class Instance:
    """One benchmark instance: how to build it, and which time limit it gets."""

    name: str
    source: str  # "generated", "ihtc", "or_utilization"
    params: dict[str, Any]
    large: bool = False  # the university-sized time limit
    quick: bool = False  # also in --quick
    scaling_only: bool = False  # a size point of the scaling table, not a target instance


SUITE: tuple[Instance, ...] = (
    Instance("gen-5x5x15", "generated", dict(rooms=5, days=5, cases_per_day=15), scaling_only=True),
    Instance("hospital-11", "generated", dict(rooms=11, days=10, cases_per_day=30), quick=True),
    Instance("hospital-15", "generated", dict(rooms=15, days=10, cases_per_day=40)),
    Instance(
        "gen-30x15x120", "generated", dict(rooms=30, days=15, cases_per_day=120), scaling_only=True
    ),
    Instance("university", "generated", dict(rooms=60, days=20, cases_per_day=250), large=True),
    Instance("ihtc-small05", "ihtc", dict(file="small05.json"), quick=True),
    Instance("ihtc-i05", "ihtc", dict(file="i05.json")),
    Instance("ihtc-i13", "ihtc", dict(file="i13.json")),
    Instance("orutil-2wk", "or_utilization", dict(weeks=2), quick=True),
    Instance("orutil-quarter", "or_utilization", dict(weeks=None), large=True),
)

COLUMNS = [
    "instance", "source", "rooms", "days", "cases", "planned",
    "kept_solver", "kept_baseline", "kept_bound",
    "ratio_solver", "ratio_baseline", "ratio_bound",
    "misses_solver", "misses_baseline",
    "shortfall_solver", "shortfall_baseline", "shortfall_bound",
    "delay_solver", "delay_baseline", "delay_bound", "delay_bound_method",
    "gap_kept_vs_bound", "gap_delay_vs_bound",
    "status", "limiting_level", "levels",
    "time_limit_s", "first_valid_s", "wall_s", "baseline_s", "solver_to_baseline",
    "cp_sat_s", "outside_cp_sat_s", "bound_s", "bound_proven",
    "peak_mb", "violations_solver", "violations_baseline",
    "options", "timestamp", "commit",
]  # fmt: skip


# -- building the instances ------------------------------------------------------


def build(instance: Instance) -> Any:
    """The disrupted scenario of an instance (deterministic: seed 1 / 0)."""
    if instance.source == "generated":
        from optimizer.generate import generate

        return generate(seed=1, **instance.params).disrupted
    from optimizer.importers._common import with_demo_disruption

    if instance.source == "ihtc":
        from optimizer.importers import import_ihtc

        return with_demo_disruption(import_ihtc(ihtc_dir() / instance.params["file"]), seed=0)
    from optimizer.importers import import_or_utilization

    plan = import_or_utilization(or_utilization_csv(), weeks=instance.params["weeks"])
    return with_demo_disruption(plan, seed=0)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def part_solve(instance: Instance, time_limit: float) -> dict[str, Any]:
    """Baseline then solver on one instance, both checked and scored independently."""
    from optimizer import solve
    from optimizer.check import check_schedule, evaluate
    from optimizer.construct import first_fit
    from optimizer.model.candidates import build_candidates
    from optimizer.result import make_result

    sc = build(instance)
    started = time.monotonic()
    cand = build_candidates(sc)
    baseline_solution = first_fit(cand)
    baseline_s = time.monotonic() - started
    baseline = make_result(
        sc, cand, baseline_solution, [], wall_time=baseline_s, interrupted=False, settings={}
    )
    options = sum(len(o) for o in cand.room_options)
    del cand, baseline_solution

    result = solve(sc, time_limit=time_limit, workers=WORKERS, seed=0)
    summary = result.summary
    solver = summary["solver"]
    return {
        "rooms": len(sc.rooms),
        "days": len({s.date for s in sc.sessions}),
        "cases": len(sc.cases),
        "planned": summary["totals"]["planned"],
        "options": options,
        "baseline_s": baseline_s,
        "wall_s": result.wall_time_s,
        "solver": evaluate(sc, result.schedule),
        "baseline": evaluate(sc, baseline.schedule),
        "violations_solver": [str(v) for v in check_schedule(sc, result.schedule, summary)],
        "violations_baseline": [str(v) for v in check_schedule(sc, baseline.schedule)],
        "status": solver["status"],
        "limiting_level": solver["limiting_level"],
        "levels": solver["levels"],
        "peak_mb": _peak_mb(),
    }


def part_first_valid(instance: Instance) -> dict[str, Any]:
    """How soon ``solve`` returns a valid schedule when given (almost) no time."""
    from optimizer import solve
    from optimizer.check import check_schedule

    sc = build(instance)
    started = time.monotonic()
    result = solve(sc, time_limit=FIRST_VALID_LIMIT, workers=WORKERS, seed=0)
    wall = time.monotonic() - started
    return {"first_valid_s": wall, "valid": not check_schedule(sc, result.schedule)}


def part_bound(instance: Instance, time_limit: float) -> dict[str, Any]:
    """The HiGHS bounds, built from the scenario alone."""
    from benchmarks.bounds import kept_upper_bound, weighted_delay_lower_bound

    sc = build(instance)
    started = time.monotonic()
    kept = kept_upper_bound(sc, time_limit=time_limit / 2)
    delay = weighted_delay_lower_bound(sc, time_limit=time_limit / 2)
    return {
        "kept": kept.bound,
        "planned": kept.planned,
        "shortfall": kept.shortfall_lower,
        "kept_proven": kept.proven,
        "delay": delay.bound,
        "delay_method": delay.method,
        "bound_s": time.monotonic() - started,
    }


PARTS: dict[str, Callable[[Instance, float], dict[str, Any]]] = {
    "solve": part_solve,
    "first": lambda inst, _limit: part_first_valid(inst),
    "bound": part_bound,
}


def run_part(instance: Instance, part: str, time_limit: float) -> dict[str, Any]:
    """Run one part in a fresh interpreter: its peak memory is its own."""
    # As a module from the repository, so the child imports this checkout's packages.
    cmd = [sys.executable, "-m", "benchmarks.run", "--child", instance.name, part,
           str(time_limit)]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {"error": (proc.stderr.strip().splitlines() or ["no output"])[-1]}
    out: dict[str, Any] = json.loads(lines[-1])
    return out


# -- the table -------------------------------------------------------------------


def _ratio(kept: float | None, planned: int) -> float | None:
    return None if kept is None or not planned else kept / planned


def _level_text(levels: list[dict[str, Any]]) -> str:
    """Per level: short name, status, gap to CP-SAT's own bound, wall time."""
    parts = []
    for lv in levels:
        name = next((s for k, s in SHORT_LEVEL_NAMES.items() if lv["name"].startswith(k)), "?")
        status = "OPT" if lv["status"] == "OPTIMAL" else lv["status"][:4]
        gap = "-"
        if lv["best_bound"] is not None:
            v, b = lv["value"], lv["best_bound"]
            gap = "0" if v == b else f"{abs(v - b) / max(abs(v), 1e-9):.1%}"
        trivial = "" if lv["searched"] else "*"
        parts.append(f"{name}:{status}{trivial}/{gap}/{lv['wall_time_s']:.1f}s")
    return " ".join(parts)


def measure(instance: Instance, time_limit: float, bound_limit: float) -> dict[str, Any]:
    solved = run_part(instance, "solve", time_limit)
    if "error" in solved:
        return {"instance": instance.name, "source": instance.source, "status": solved["error"]}
    first = run_part(instance, "first", time_limit)
    bound = run_part(instance, "bound", bound_limit)
    s, b = solved["solver"], solved["baseline"]
    planned = solved["planned"]
    kept_bound = bound.get("kept")
    delay_bound = bound.get("delay")
    cp_sat = sum(lv["wall_time_s"] for lv in solved["levels"])
    return {
        "instance": instance.name,
        "source": instance.source,
        "rooms": solved["rooms"],
        "days": solved["days"],
        "cases": solved["cases"],
        "planned": planned,
        "kept_solver": s["kept"],
        "kept_baseline": b["kept"],
        "kept_bound": kept_bound,
        "ratio_solver": _ratio(s["kept"], planned),
        "ratio_baseline": _ratio(b["kept"], planned),
        "ratio_bound": _ratio(kept_bound, planned),
        "misses_solver": s["deadline_misses"],
        "misses_baseline": b["deadline_misses"],
        "shortfall_solver": s["shortfall"],
        "shortfall_baseline": b["shortfall"],
        "shortfall_bound": bound.get("shortfall"),
        "delay_solver": round(s["weighted_delay"], 2),
        "delay_baseline": round(b["weighted_delay"], 2),
        "delay_bound": None if delay_bound is None else round(delay_bound, 2),
        "delay_bound_method": bound.get("delay_method", bound.get("error")),
        "gap_kept_vs_bound": None if not kept_bound else (kept_bound - s["kept"]) / kept_bound,
        "gap_delay_vs_bound": None
        if delay_bound is None or not s["weighted_delay"]
        else (s["weighted_delay"] - delay_bound) / s["weighted_delay"],
        "status": solved["status"],
        "limiting_level": solved["limiting_level"],
        "levels": _level_text(solved["levels"]),
        "time_limit_s": time_limit,
        "first_valid_s": first.get("first_valid_s") if first.get("valid") else None,
        "wall_s": solved["wall_s"],
        "baseline_s": solved["baseline_s"],
        "solver_to_baseline": solved["wall_s"] / max(solved["baseline_s"], 1e-6),
        "cp_sat_s": cp_sat,
        "outside_cp_sat_s": solved["wall_s"] - cp_sat,
        "bound_s": bound.get("bound_s"),
        "bound_proven": bound.get("kept_proven"),
        "peak_mb": solved["peak_mb"],
        "violations_solver": len(solved["violations_solver"]),
        "violations_baseline": len(solved["violations_baseline"]),
        "options": solved["options"],
    }


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"
    return str(value)


def _pct(value: Any) -> str:
    return "-" if value is None else f"{value:.1%}"


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    print("  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True)))
    for r in rows:
        print("  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)))


def report(records: list[dict[str, Any]]) -> None:
    ok = [r for r in records if "kept_solver" in r]
    print("\nComparison (kept / delay scored by optimizer.check.evaluate; bound = HiGHS)")
    print_table(
        ["instance", "rooms", "days", "cases", "kept s/b/UB", "ratio s/b/UB", "miss s/b",
         "short s/b/LB", "delay s/b/LB", "gap kept", "gap delay", "viol s/b"],
        [
            [
                r["instance"], _fmt(r["rooms"]), _fmt(r["days"]), _fmt(r["cases"]),
                f"{r['kept_solver']}/{r['kept_baseline']}/{_fmt(r['kept_bound'])}",
                f"{_pct(r['ratio_solver'])}/{_pct(r['ratio_baseline'])}/{_pct(r['ratio_bound'])}",
                f"{r['misses_solver']}/{r['misses_baseline']}",
                f"{r['shortfall_solver']}/{r['shortfall_baseline']}/{_fmt(r['shortfall_bound'])}",
                f"{r['delay_solver']:.0f}/{r['delay_baseline']:.0f}/{_fmt(r['delay_bound'])}",
                _pct(r["gap_kept_vs_bound"]), _pct(r["gap_delay_vs_bound"]),
                f"{r['violations_solver']}/{r['violations_baseline']}",
            ]
            for r in ok
        ],
    )  # fmt: skip
    print("\nSolver time and memory (ratios are what to quote; seconds are this machine's)")
    print_table(
        ["instance", "limit", "status", "first valid/limit", "wall/limit", "solver/baseline",
         "outside CP-SAT/wall", "peak MB"],
        [
            [
                r["instance"], _fmt(r["time_limit_s"]), r["status"],
                _fmt(r["first_valid_s"] and r["first_valid_s"] / r["time_limit_s"]),
                _fmt(r["wall_s"] / r["time_limit_s"]), _fmt(r["solver_to_baseline"]),
                _pct(r["outside_cp_sat_s"] / r["wall_s"]), _fmt(r["peak_mb"]),
            ]
            for r in ok
        ],
    )  # fmt: skip
    print("\nPer level: status (* = met at its trivial bound, no search) / gap to CP-SAT's bound "
          "/ CP-SAT wall time")  # fmt: skip
    for r in ok:
        print(f"  {r['instance']:>15}  {r['levels']}")
    gen = sorted((r for r in ok if r["source"] == "generated"), key=lambda r: r["cases"])
    if gen:
        base = gen[0]
        print(f"\nScaling (generated instances; times relative to {base['instance']})")
        print_table(
            ["instance", "cases", "options", "options x", "baseline x", "first valid x",
             "outside CP-SAT x", "peak MB"],
            [
                [
                    r["instance"], _fmt(r["cases"]), _fmt(r["options"]),
                    _fmt(r["options"] / base["options"]),
                    _fmt(r["baseline_s"] / base["baseline_s"]),
                    _fmt(r["first_valid_s"] / base["first_valid_s"])
                    if r["first_valid_s"] and base["first_valid_s"] else "-",
                    _fmt(r["outside_cp_sat_s"] / base["outside_cp_sat_s"]),
                    _fmt(r["peak_mb"]),
                ]
                for r in gen
            ],
        )  # fmt: skip
    failed = [r for r in records if "kept_solver" not in r]
    for r in failed:
        print(f"\n{r['instance']}: FAILED: {r['status']}")


def git_commit() -> str:
    proc = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True, cwd=ROOT, check=False)  # fmt: skip
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "optimizer"],
                           capture_output=True, text=True, cwd=ROOT, check=False)  # fmt: skip
    commit = proc.stdout.strip() or "unknown"
    return commit + ("+dirty" if dirty.stdout.strip() else "")


def write_csv(records: list[dict[str, Any]], out: Path) -> None:
    """Append to ``out`` (header only when new), so successive runs can be compared."""
    out.parent.mkdir(parents=True, exist_ok=True)
    new = not out.exists()
    stamp = dt.datetime.now().isoformat(timespec="seconds")
    commit = git_commit()
    with out.open("a", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, extrasaction="ignore")
        if new:
            writer.writeheader()
        for r in records:
            writer.writerow({**r, "timestamp": stamp, "commit": commit})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke check, under ~2 min")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=10.0,
        help="solver seconds for hospital-sized instances (default 10)",
    )
    parser.add_argument(
        "--large-time-limit",
        type=float,
        default=60.0,
        help="solver seconds for the university and the quarter (default 60)",
    )
    parser.add_argument(
        "--bound-time-limit",
        type=float,
        default=None,
        help="HiGHS seconds per instance (default: as the solver's)",
    )
    parser.add_argument("--only", nargs="*", help="run these instances only")
    parser.add_argument(
        "--external",
        type=Path,
        default=None,
        help=f"folder of the public data sets (default: ${ENVIRONMENT_VARIABLE}, "
        "else ../shared/external beside the repository)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/latest.csv")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)  # NAME PART LIMIT
    args = parser.parse_args(argv)  # fmt: skip

    if args.external is not None:
        # The parts run in subprocesses, which inherit the environment.
        os.environ[ENVIRONMENT_VARIABLE] = str(args.external.resolve())
    by_name = {i.name: i for i in SUITE}
    if args.child:
        name, part, limit = args.child
        print(json.dumps(PARTS[part](by_name[name], float(limit))))
        return 0

    chosen = [i for i in SUITE if (i.quick or not args.quick)]
    if args.only:
        chosen = [by_name[n] for n in args.only]
    records = []
    for inst in chosen:
        limit = args.large_time_limit if inst.large else args.time_limit
        bound_limit = args.bound_time_limit or limit
        started = time.monotonic()
        print(f"{inst.name}: solving ({limit:g} s, {WORKERS} workers)...", flush=True)
        records.append(measure(inst, limit, bound_limit))
        print(f"  done in {time.monotonic() - started:.0f} s", flush=True)
    report(records)
    write_csv(records, args.out)
    print(f"\nappended {len(records)} rows to {args.out}")
    bad = [r for r in records if r.get("violations_solver", 1)]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

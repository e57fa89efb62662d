"""The solver measured side by side with the first-fit baseline and an independent bound.

For each instance of the suite (generated hospitals, a university hospital,
IHTC-2024 instances and the OR-utilization quarter, all disrupted) this runs,
each in its own subprocess so peak memory is the instance's own:

- the solver, ``optimizer.solve(..., workers=2)`` within the instance's time limit;
- the solver with a near-zero time limit: how soon the API hands back a valid
  schedule (its first-fit fallback, after building the model);
- the baseline: first fit by urgency (``optimizer.search.construct.first_fit``);
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
from pathlib import Path
from typing import Any

from benchmarks.external import ENVIRONMENT_VARIABLE
from benchmarks.horizon import urgency_order
from benchmarks.suite import SUITE, Instance, build, verdict
from benchmarks.tables import report

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
FIRST_VALID_LIMIT = 0.1  # seconds: the smallest time limit solve accepts
SHORT_LEVEL_NAMES = {
    "deadline": "miss",
    "shortfall": "short",
    "planned": "kept",
    "weighted delay": "delay",
    "waiting time": "wait",
    "patients moved": "moved",
    "minutes shifted": "shift",
}


COLUMNS = [
    "instance", "source", "kind", "rooms", "days", "cases", "planned",
    "verdict",
    "kept_solver", "kept_baseline", "kept_bound", "kept_bound_by_date",
    "ratio_solver", "ratio_baseline", "ratio_bound",
    "misses_solver", "misses_baseline", "misses_by_class_solver", "misses_by_class_baseline",
    "shortfall_solver", "shortfall_baseline", "shortfall_bound", "shortfall_bound_by_date",
    "delay_solver", "delay_baseline", "delay_bound", "delay_bound_method",
    "gap_kept_vs_bound", "gap_shortfall_vs_bound", "gap_delay_vs_bound",
    "horizon_method", "horizon_columns",
    "status", "limiting_level", "levels",
    "time_limit_s", "first_valid_s", "wall_s", "baseline_s", "solver_to_baseline",
    "cp_sat_s", "outside_cp_sat_s", "bound_s", "bound_proven",
    "peak_mb", "first_valid_peak_mb", "violations_solver", "violations_baseline",
    "options", "timestamp", "commit",
]  # fmt: skip
MEMORY_CAP_GB = 10.0  # address space of each part: the machine is shared, a runaway part stops


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def first_fit_result(sc: Any) -> Any:
    """The benchmark's baseline, untimed: first fit on the options the solver starts from,
    its checked result without the reasons' searches (``benchmarks/stages.py``,
    ``benchmarks/seeds.py``)."""
    from optimizer.explain import ReasonsBudget
    from optimizer.facts.candidates import build_candidates
    from optimizer.result.result import make_result
    from optimizer.scenario.params import SolverParams
    from optimizer.search.construct import first_fit

    cand = build_candidates(sc, max_options=SolverParams().max_built_options)
    return make_result(sc, cand, first_fit(cand), [], wall_time=0.0, interrupted=False,
                       settings={}, reasons_budget=ReasonsBudget(searches=0))  # fmt: skip


def part_solve(instance: Instance, time_limit: float, _arg: Any = None) -> dict[str, Any]:
    """Baseline then solver on one instance, both checked and scored independently."""
    from optimizer import solve
    from optimizer.check import check_schedule, evaluate
    from optimizer.facts.candidates import build_candidates
    from optimizer.result.result import make_result
    from optimizer.scenario.params import SolverParams
    from optimizer.search.construct import first_fit

    sc = build(instance)
    started = time.monotonic()
    # The options the solver starts from: all of them, except on a region (see
    # SolverParams.max_built_options), where the full set does not fit in memory.
    cand = build_candidates(sc, max_options=SolverParams().max_built_options)
    baseline_solution = first_fit(cand)
    baseline_s = time.monotonic() - started
    baseline = make_result(
        sc, cand, baseline_solution, [], wall_time=baseline_s, interrupted=False, settings={}
    )
    options = sum(len(o) for o in cand.room_options)
    baseline_score = evaluate(sc, baseline.schedule)
    baseline_violations = [str(v) for v in check_schedule(sc, baseline.schedule)]
    del cand, baseline_solution, baseline

    result = solve(sc, time_limit=time_limit, workers=WORKERS, seed=0)
    summary = result.summary
    solver = summary["solver"]
    return {
        "rooms": len(sc.rooms),
        "days": len({s.date for s in sc.sessions}),
        "cases": len(sc.cases),
        "planned": summary["totals"]["planned"],
        "weighted_kept": sc.policy.level3 == "weighted",
        "classes": urgency_order(sc),
        "options": options,
        "baseline_s": baseline_s,
        "wall_s": result.wall_time_s,
        "solver": evaluate(sc, result.schedule),
        "baseline": baseline_score,
        "violations_solver": [str(v) for v in check_schedule(sc, result.schedule, summary)],
        "violations_baseline": baseline_violations,
        "status": solver["status"],
        "limiting_level": solver["limiting_level"],
        "levels": solver["levels"],
        "peak_mb": _peak_mb(),
    }


def part_first_valid(instance: Instance, _limit: float, _arg: Any = None) -> dict[str, Any]:
    """How soon ``solve`` returns a valid schedule when given (almost) no time."""
    from optimizer import solve
    from optimizer.check import check_schedule

    sc = build(instance)
    started = time.monotonic()
    result = solve(sc, time_limit=FIRST_VALID_LIMIT, workers=WORKERS, seed=0)
    wall = time.monotonic() - started
    valid = not check_schedule(sc, result.schedule)
    return {"first_valid_s": wall, "valid": valid, "peak_mb": _peak_mb()}


def part_bound(instance: Instance, time_limit: float, misses: Any = None) -> dict[str, Any]:
    """The HiGHS bounds, built from the scenario alone (and the solver's misses per class).

    A quarter of the time to the date-by-date bound, to the horizon relaxation
    (given ``misses``) what is left of three quarters, a quarter to the delay
    bound.
    """
    return scenario_bounds(build(instance), time_limit, misses)


def scenario_bounds(sc: Any, time_limit: float, misses: Any = None) -> dict[str, Any]:
    """:func:`part_bound`'s bounds of the scenario ``sc`` itself."""
    from benchmarks.bounds import kept_upper_bound, weighted_delay_lower_bound
    from benchmarks.horizon import horizon_bounds

    started = time.monotonic()
    kept = kept_upper_bound(sc, time_limit=time_limit / 4)
    out: dict[str, Any] = {
        "kept_by_date": kept.bound,
        "planned": kept.planned,
        "shortfall_by_date": kept.shortfall_lower,
        "kept_proven": kept.proven,
    }
    if misses is not None:
        try:
            left = 0.75 * time_limit - (time.monotonic() - started)
            hb = horizon_bounds(sc, misses, time_limit=max(1.0, left), per_date=kept)
        except RuntimeError as exc:
            out["horizon_error"] = str(exc)
        else:
            out |= {
                "kept": hb.kept,
                "shortfall": hb.shortfall,
                "horizon_method": hb.method,
                "horizon_columns": hb.columns,
                "kept_proven": kept.proven and hb.proven,
            }
    delay = weighted_delay_lower_bound(sc, time_limit=time_limit / 4)
    out |= {"delay": delay.bound, "delay_method": delay.method}
    out["bound_s"] = time.monotonic() - started
    out["peak_mb"] = _peak_mb()
    return out


PARTS: dict[str, Callable[[Instance, float, Any], dict[str, Any]]] = {
    "solve": part_solve,
    "first": part_first_valid,
    "bound": part_bound,
}


def _cap_memory(gigabytes: float) -> Callable[[], None]:
    def limit() -> None:
        cap = int(gigabytes * 1024**3)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    return limit


def run_part(
    instance: Instance, part: str, time_limit: float, arg: Any = None, *, memory_gb: float
) -> dict[str, Any]:
    """Run one part in a fresh interpreter: its peak memory is its own, its address space capped."""
    # As a module from the repository, so the child imports this checkout's packages.
    cmd = [sys.executable, "-m", "benchmarks.run", "--child", instance.name, part,
           str(time_limit), json.dumps(arg)]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False,
                          preexec_fn=_cap_memory(memory_gb))  # fmt: skip
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        if "MemoryError" in proc.stderr or "bad_alloc" in proc.stderr or proc.returncode < 0:
            last = f"{part}: stopped at the {memory_gb:g} GB address-space cap ({last})"
        return {"error": last}
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


def _gap(a: float | None, b: float | None, planned: int) -> float | None:
    """``(a - b) / planned``: a gap in cases, as a share of the planned cases."""
    return None if a is None or b is None or not planned else (a - b) / planned


def measure(
    instance: Instance, time_limit: float, bound_limit: float, memory_gb: float
) -> dict[str, Any]:
    head = {"instance": instance.name, "source": instance.source, "kind": instance.kind}
    solved = run_part(instance, "solve", time_limit, memory_gb=memory_gb)
    first = run_part(instance, "first", time_limit, memory_gb=memory_gb)
    if "error" in solved:
        return {
            **head,
            "status": solved["error"],
            "first_valid_s": first.get("first_valid_s"),
            "first_valid_peak_mb": first.get("peak_mb"),
            "first_error": first.get("error"),
        }
    s, b = solved["solver"], solved["baseline"]
    bound = run_part(instance, "bound", bound_limit, s["misses_by_class"], memory_gb=memory_gb)
    planned = solved["planned"]
    kept_bound = bound.get("kept")
    short_bound = bound.get("shortfall")
    delay_bound = bound.get("delay")
    cp_sat = sum(lv["wall_time_s"] for lv in solved["levels"])
    classes = solved["classes"]
    return {
        **head,
        "rooms": solved["rooms"],
        "days": solved["days"],
        "cases": solved["cases"],
        "planned": planned,
        "verdict": verdict(s, b, classes, weighted_kept=solved["weighted_kept"]),
        "kept_solver": s["kept"],
        "kept_baseline": b["kept"],
        "kept_bound": kept_bound,
        "kept_bound_by_date": bound.get("kept_by_date"),
        "ratio_solver": _ratio(s["kept"], planned),
        "ratio_baseline": _ratio(b["kept"], planned),
        "ratio_bound": _ratio(kept_bound, planned),
        "misses_solver": s["deadline_misses"],
        "misses_baseline": b["deadline_misses"],
        "misses_by_class_solver": "/".join(map(str, s["misses_by_class"])),
        "misses_by_class_baseline": "/".join(map(str, b["misses_by_class"])),
        "shortfall_solver": s["shortfall"],
        "shortfall_baseline": b["shortfall"],
        "shortfall_bound": short_bound,
        "shortfall_bound_by_date": bound.get("shortfall_by_date"),
        "delay_solver": round(s["weighted_delay"], 2),
        "delay_baseline": round(b["weighted_delay"], 2),
        "delay_bound": None if delay_bound is None else round(delay_bound, 2),
        "delay_bound_method": bound.get("delay_method", bound.get("error")),
        "gap_kept_vs_bound": _gap(kept_bound, s["kept"], planned),
        "gap_shortfall_vs_bound": _gap(s["shortfall"], short_bound, planned),
        "gap_delay_vs_bound": None
        if delay_bound is None or not s["weighted_delay"]
        else (s["weighted_delay"] - delay_bound) / s["weighted_delay"],
        "horizon_method": bound.get("horizon_method", bound.get("horizon_error")),
        "horizon_columns": bound.get("horizon_columns"),
        "status": solved["status"],
        "limiting_level": solved["limiting_level"],
        "levels": _level_text(solved["levels"]),
        "raw_levels": solved["levels"],
        "time_limit_s": time_limit,
        "first_valid_s": first.get("first_valid_s") if first.get("valid") else None,
        "first_valid_peak_mb": first.get("peak_mb"),
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


def git_commit() -> str:
    proc = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True, cwd=ROOT, check=False)  # fmt: skip
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "optimizer"],
                           capture_output=True, text=True, cwd=ROOT, check=False)  # fmt: skip
    commit = proc.stdout.strip() or "unknown"
    return commit + ("+dirty" if dirty.stdout.strip() else "")


def write_csv(records: list[dict[str, Any]], out: Path) -> None:
    """Append to ``out`` (header only when new), so successive runs can be compared.

    A file written with other columns (an older version of this script) is
    kept beside it as ``<name>.before-<first timestamp>.csv`` and a new one begun.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        with out.open(encoding="utf-8") as fh:
            reader = csv.reader(fh)
            header = next(reader, [])
            first = next(reader, [])
        if header != COLUMNS:
            stamp_at = header.index("timestamp") if "timestamp" in header else -1
            when = first[stamp_at] if 0 <= stamp_at < len(first) else "unknown"
            old = out.with_name(f"{out.stem}.before-{when.replace(':', '')}{out.suffix}")
            out.rename(old)
            print(f"{out} had other columns: kept as {old}")
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
        help="HiGHS seconds per instance (default: twice the solver's)",
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
    parser.add_argument(
        "--memory-cap-gb",
        type=float,
        default=MEMORY_CAP_GB,
        help=f"address-space cap of each part, GB (default {MEMORY_CAP_GB:g}; the target "
        "is a peak under 4 GB, reported as peak MB)",
    )
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)  # NAME PART LIMIT JSON
    args = parser.parse_args(argv)  # fmt: skip

    if args.external is not None:
        # The parts run in subprocesses, which inherit the environment.
        os.environ[ENVIRONMENT_VARIABLE] = str(args.external.resolve())
    by_name = {i.name: i for i in SUITE}
    if args.child:
        name, part, limit, arg = args.child
        print(json.dumps(PARTS[part](by_name[name], float(limit), json.loads(arg))))
        return 0

    chosen = [i for i in SUITE if (i.quick or not args.quick)]
    if args.only:
        chosen = [by_name[n] for n in args.only]
    records = []
    for inst in chosen:
        limit = args.large_time_limit if inst.large else args.time_limit
        bound_limit = args.bound_time_limit or 2 * limit
        started = time.monotonic()
        print(f"{inst.name}: solving ({limit:g} s, {WORKERS} workers)...", flush=True)
        records.append(measure(inst, limit, bound_limit, args.memory_cap_gb))
        print(f"  done in {time.monotonic() - started:.0f} s", flush=True)
    report(records)
    write_csv(records, args.out)
    print(f"\nappended {len(records)} rows to {args.out}")
    bad = [r for r in records if r.get("violations_solver", 1)]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

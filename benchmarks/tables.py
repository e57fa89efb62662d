"""The benchmark's printed tables: solver / baseline / bounds side by side, and the targets.

Pure formatting of the records :func:`benchmarks.run.measure` returns.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

GAP_TARGET = 0.005  # of planned cases: kept and shortfall within this of their bounds
FIRST_VALID_TARGET_S = 10.0
MEMORY_TARGET_MB = 4096.0
PROVEN_LEVELS = ("deadline", "shortfall", "planned", "weighted delay")  # levels 1-4


def append_rows(out: Path, rows: Sequence[dict[str, Any]]) -> None:
    """``rows`` appended to the CSV ``out``, its header (the first row's keys) written when
    the file is new: the measurement scripts' results, run after run."""
    new = not out.exists()
    with out.open("a", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        if new:
            writer.writeheader()
        writer.writerows(rows)


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


def _pair(r: dict[str, Any], key: str, bound: str | None = None) -> str:
    out = f"{_fmt(r[key + '_solver'])}/{_fmt(r[key + '_baseline'])}"
    return out if bound is None else f"{out}/{_fmt(r.get(bound))}"


def side_by_side(ok: list[dict[str, Any]]) -> None:
    print("\nSolver / baseline / bounds (scored by optimizer.check.evaluate; bounds = HiGHS,"
          " for schedules missing no more deadlines than the solver)")  # fmt: skip
    print_table(
        ["instance", "cases", "solver vs baseline", "miss s/b (by class)", "short s/b/LB",
         "kept s/b/UB", "delay s/b/LB", "gap kept", "gap short", "first valid s", "peak MB",
         "viol s/b"],
        [
            [
                r["instance"], _fmt(r["cases"]), r["verdict"],
                f"{r['misses_by_class_solver']} / {r['misses_by_class_baseline']}",
                _pair(r, "shortfall", "shortfall_bound"), _pair(r, "kept", "kept_bound"),
                f"{r['delay_solver']:.0f}/{r['delay_baseline']:.0f}/{_fmt(r['delay_bound'])}",
                _pct(r["gap_kept_vs_bound"]), _pct(r["gap_shortfall_vs_bound"]),
                _fmt(r["first_valid_s"]), _fmt(r["peak_mb"]),
                f"{r['violations_solver']}/{r['violations_baseline']}",
            ]
            for r in ok
        ],
    )  # fmt: skip
    print("  gap kept = (UB - solver) / planned; gap short = (solver - LB) / planned; UB and LB"
          " from benchmarks.horizon (one relaxation over the horizon, deadlines as the solver"
          " met them), capped by the date-by-date bound of benchmarks.bounds")  # fmt: skip


def _level_status(r: dict[str, Any], prefixes: tuple[str, ...]) -> tuple[bool, float]:
    levels = [lv for lv in r["raw_levels"] if lv["name"].startswith(prefixes)]
    proven = bool(levels) and all(lv["status"] == "OPTIMAL" for lv in levels)
    return proven, sum(lv["wall_time_s"] for lv in levels)


def targets(records: list[dict[str, Any]]) -> list[list[str]]:
    """Each instance's targets from issue 14: what was measured, and whether it is met."""
    rows: list[list[str]] = []

    def add(r: dict[str, Any], what: str, value: str, met: bool | None) -> None:
        rows.append(
            [r["instance"], what, value, "-" if met is None else ("met" if met else "NOT met")]
        )

    for r in records:
        if "kept_solver" not in r:
            add(r, "a valid schedule", str(r["status"]), False)
            if r.get("first_valid_s") is not None:
                add(r, "first valid schedule", f"{r['first_valid_s']:.1f} s", None)
            continue
        first = r["first_valid_s"]
        if r["kind"] == "hospital" and r["instance"] == "hospital-14":
            proven, wall = _level_status(r, PROVEN_LEVELS)
            add(r, "levels 1-4 proven in 10 s", f"{'proven' if proven else 'not proven'}, "
                f"{wall:.1f} s CP-SAT", proven and r["time_limit_s"] <= 10)  # fmt: skip
        if r["kind"] in ("university", "region"):
            add(r, "no worse than the baseline", r["verdict"], not r["verdict"].startswith("worse"))
            add(r, "first valid <= 10 s", _fmt(first) + " s",
                first is not None and first <= FIRST_VALID_TARGET_S)  # fmt: skip
            peak = max(r["peak_mb"], r.get("first_valid_peak_mb") or 0)
            add(r, "peak memory < 4 GB", f"{peak:.0f} MB", peak < MEMORY_TARGET_MB)
        if r["kind"] == "university":
            for key, label in (("gap_kept_vs_bound", "kept"), ("gap_shortfall_vs_bound", "short")):
                gap = r[key]
                add(r, f"{label} within 0.5 % of planned of its bound", _pct(gap),
                    None if gap is None else gap <= GAP_TARGET)  # fmt: skip
            add(r, "delay no worse than baseline",
                f"{r['delay_solver']:.0f} vs {r['delay_baseline']:.0f}",
                r["delay_solver"] <= r["delay_baseline"])  # fmt: skip
    return rows


def report(records: list[dict[str, Any]]) -> None:
    ok = [r for r in records if "kept_solver" in r]
    side_by_side(ok)
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
    print("\nTargets (issue 14)")
    print_table(["instance", "target", "measured", ""], targets(records))
    failed = [r for r in records if "kept_solver" not in r]
    for r in failed:
        print(f"\n{r['instance']}: FAILED: {r['status']}")

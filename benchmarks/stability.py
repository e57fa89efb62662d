"""Stable answers, measured: every needless change is a patient called for nothing.

``python -m benchmarks.stability [SCENARIO_DIR]`` (default ``data/cannes_demo``)
solves the scenario several times and prints three figures:

- two default runs (the default time limit, 2 workers): the share of cases placed
  differently (target: at most 2 %);
- the call list with a short limit against the one with the default limit
  (target: within 10 %);
- one room closed on one date: the cases changed on the other dates (target:
  none, unless an earlier level gains, which the line then shows).

A case is "placed differently" when its status, date, room, start or partner
differs. ``--work-limit W`` runs every solve with one worker and that work
limit instead (deterministic: the two runs then agree exactly).
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from optimizer import load_scenario
from optimizer.result.result import Result
from optimizer.scenario import Scenario
from optimizer.scenario.edit import close_room
from optimizer.search.driver import solve

Place = tuple[str, str, str, str, str]


def places(result: Result) -> dict[str, Place]:
    """Where each case goes: status, date, room, start, partner."""
    return {
        r.case_id: tuple(  # type: ignore[misc]
            str(c.get(k) or "") for k in ("status", "date", "room_id", "start", "partner_id")
        )
        for r in result.rows
        for c in [r.cells()]
    }


def changed(a: Result, b: Result) -> list[str]:
    """The cases placed differently in ``a`` and ``b``."""
    pa, pb = places(a), places(b)
    return sorted(c for c in pa if pa[c] != pb.get(c))


def level_values(result: Result) -> list[float]:
    return [lv.value for lv in result.levels]


@dataclass(frozen=True)
class Closure:
    """What closing one room on one date changed on the other dates."""

    room: str
    date: str
    elsewhere: list[str]  # cases holding an appointment changed, both dates other dates
    earlier_level_gains: bool  # the closed run is better on a level before "patients moved"


def closure_effect(base: Result, closed: Result, room: str, date: str) -> Closure:
    pa, pb = places(base), places(closed)
    planned = {c.case_id: str(c.planned_date or "") for c in base.scenario.cases}
    # A waiting-list patient who holds no appointment is called in whatever slot the plan
    # gives: a change of that slot calls nobody for nothing, so it is not counted.
    holds = {c.case_id for c in base.scenario.cases if c.planned_date or c.announced_date}
    elsewhere = [
        c
        for c in changed(base, closed)
        if c in holds and date not in (pa[c][1], pb[c][1], planned.get(c, ""))
    ]
    va, vb = level_values(base), level_values(closed)
    names = [lv.name for lv in base.levels]
    moved = next((k for k, n in enumerate(names) if n.startswith("patients moved")), len(names))
    # the closed run has less capacity: it can only gain on a level by a different choice
    sense = [-1 if n.startswith("planned cases kept") else 1 for n in names]  # kept: more
    gains = any(s * b < s * a for s, a, b in zip(sense[:moved], va, vb, strict=False))
    return Closure(room, date, elsewhere, gains)


def busiest_room_date(scenario: Scenario) -> tuple[str, str]:
    """A room and date to close: the open one with the most planned cases among the
    dates after the first (so the closure has dates before and after it)."""
    counts: dict[tuple[str, str], int] = {}
    first = scenario.policy.start_date
    open_ = {(s.room_id, s.date) for s in scenario.sessions}
    for c in scenario.cases:
        if (
            c.planned_room
            and c.planned_date
            and c.planned_date > first
            and (c.planned_room, c.planned_date) in open_
        ):
            key = (c.planned_room, c.planned_date.isoformat())
            counts[key] = counts.get(key, 0) + 1
    return max(sorted(counts), key=lambda k: counts[k])


def run(
    folder: Path,
    *,
    short: float,
    long: float | None,
    work_limit: float | None,
    room: str | None,
    date: str | None,
) -> dict[str, Any]:
    scenario = load_scenario(folder)

    def solved(sc: Scenario, limit: float | None) -> Result:
        if work_limit is not None:
            return solve(sc, work_limit=work_limit, workers=1, seed=0)
        return solve(sc, time_limit=limit, workers=2)

    first, second = solved(scenario, long), solved(scenario, long)
    pa, pb = places(first), places(second)
    other_date = [c for c in changed(first, second) if pa[c][:2] != pb[c][:2]]
    quick = solved(scenario, short)
    if room is None or date is None:
        room, date = busiest_room_date(scenario)
    closed = solved(close_room(scenario, room, dt.date.fromisoformat(date)), long)
    n = len(scenario.cases)
    calls_long, calls_short = len(first.calls), len(quick.calls)
    effect = closure_effect(first, closed, room, date)
    return {
        "cases": n,
        "two_runs_differ": len(changed(first, second)),
        "two_runs_share": len(changed(first, second)) / n,
        "two_runs_other_date": len(other_date),
        "calls_long": calls_long,
        "calls_short": calls_short,
        "calls_ratio": calls_short / max(1, calls_long),
        "closure": effect,
        "levels": (level_values(first), level_values(second), level_values(quick)),
        "walls": (first.wall_time_s, second.wall_time_s, quick.wall_time_s, closed.wall_time_s),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", nargs="?", default="data/cannes_demo", type=Path)
    ap.add_argument("--short", type=float, default=6.0, help="the short limit, s (default 6)")
    ap.add_argument("--long", type=float, default=None, help="the long limit (default: 30 s)")
    ap.add_argument("--work-limit", type=float, default=None)
    ap.add_argument("--room", default=None)
    ap.add_argument("--date", default=None)
    a = ap.parse_args(argv)
    out = run(
        a.scenario,
        short=a.short,
        long=a.long,
        work_limit=a.work_limit,
        room=a.room,
        date=a.date,
    )
    cl: Closure = out["closure"]
    print(f"cases: {out['cases']}")
    print(
        f"two runs: {out['two_runs_differ']} cases placed differently "
        f"({100 * out['two_runs_share']:.1f} %; target <= 2 %), "
        f"{out['two_runs_other_date']} of them on another date or status"
    )
    print(
        f"call list: {out['calls_short']} with {a.short:g} s, {out['calls_long']} with the "
        f"default ({100 * (out['calls_ratio'] - 1):+.0f} %; target within 10 %)"
    )
    print(
        f"{cl.room} closed on {cl.date}: {len(cl.elsewhere)} cases changed on other dates"
        + (" (an earlier level gains)" if cl.earlier_level_gains else "")
        + (f": {', '.join(cl.elsewhere[:20])}" if cl.elsewhere else "")
    )
    print("levels (run 1, run 2, short):", *out["levels"], sep="\n  ")
    print("wall times, s:", ", ".join(f"{w:.1f}" for w in out["walls"]))


if __name__ == "__main__":
    main()

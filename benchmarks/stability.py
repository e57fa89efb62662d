"""Stable answers, measured: every needless change is a patient called for nothing.

``python -m benchmarks.stability [SCENARIO_DIR]`` (default ``data/cannes_demo``)
solves the scenario several times and prints three figures:

- two default runs (the default time limit, 2 workers): the share of cases placed
  differently (target: at most 2 %);
- the call list with a short limit against the one with the default limit
  (target: within 10 %);
- one room closed on one date: the cases changed on the other dates (target:
  none, unless an earlier level gains, which the line then shows: the closed
  scenario is solved again, level by level, with those cases where the first run
  has them; a level on which that is proven worse than the closed run is the gain
  the changes bought, ``--alone-work``).

A case is "placed differently" when its status, date, room, start or partner
differs. ``--work-limit W`` runs every solve with one worker and that work
limit instead (deterministic: the two runs then agree exactly).
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from optimizer import load_scenario
from optimizer.facts.candidates import build_candidates
from optimizer.facts.levels import LevelKind
from optimizer.model.build import build_model
from optimizer.result.result import Result
from optimizer.scenario import Scenario
from optimizer.scenario.edit import close_room
from optimizer.search.driver import solve
from optimizer.search.outcome import Budget
from optimizer.search.runner import Runner
from optimizer.search.stop import StopFlag

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
    # Of those: the cases on another date (or status), and the cases left on their date
    # but moved within it, on a date whose cases are the same in both runs (a tie no level
    # decides: none is ever needed).
    redated: list[str] = field(default_factory=list)
    same_dates: list[str] = field(default_factory=list)
    # The level before "patients moved" on which the closed run gains over every schedule
    # that leaves the cases ``elsewhere`` (or only those moved within their date) where the
    # first run has them (proven: see alone_costs), or None (no gain proven or not checked).
    # The closed run has less capacity than the first: a change on other dates is needed
    # only when it gains on such a level.
    gains_on: str | None = None
    rearranged_gains_on: str | None = None

    @property
    def earlier_level_gains(self) -> bool:
        return self.gains_on is not None


def closure_effect(
    base: Result, closed: Result, room: str, date: str, *, work: float = 0.0
) -> Closure:
    """The cases changed on other dates; with ``work`` > 0, whether leaving them alone
    (all of them, then those moved within their date) costs an earlier level
    (:func:`alone_costs`, each level's solve given ``work``)."""
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
    redated = [c for c in elsewhere if pa[c][:2] != pb[c][:2]]
    on_a, on_b = _cases_by_date(pa), _cases_by_date(pb)
    same_dates = [c for c in elsewhere if c not in redated and on_a[pa[c][1]] == on_b[pa[c][1]]]
    rearranged = [c for c in elsewhere if c not in redated]
    gains = rearranged_gains = None
    if work and elsewhere:
        gains = alone_costs(base, closed, elsewhere, date, work)
        if rearranged and redated:
            rearranged_gains = alone_costs(base, closed, rearranged, date, work)
        elif rearranged:
            rearranged_gains = gains
    return Closure(room, date, elsewhere, redated, same_dates, gains, rearranged_gains)


def _cases_by_date(where: dict[str, Place]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for c, p in where.items():
        out.setdefault(p[1], set()).add(c)
    return out


def alone_costs(
    base: Result, closed: Result, elsewhere: list[str], date: str, work: float
) -> str | None:
    """The first level before "patients moved" on which every schedule of the closed
    scenario that leaves ``elsewhere``'s cases where ``base`` has them (or puts them on
    ``date``) is proven worse than ``closed``; ``None`` when no level is proven so.

    The levels are solved in their order (one worker, ``work`` each), each fixed at the
    closed run's value before the next: a level whose bound is above that value is the
    gain the changes bought."""
    assert base.solution is not None and closed.solution is not None
    cand = build_candidates(closed.scenario)
    built = build_model(cand)
    v, model = built.variables, built.model
    ids = [c.case_id for c in cand.cases]
    closed_day = cand.day_of[dt.date.fromisoformat(date)]
    for i in (ids.index(c) for c in elsewhere):
        p = base.solution[i]
        if p is None:
            same = v.unscheduled.get(i)
        elif p.partner is not None:
            same = next((lit for t, lit in v.transfers.get(i, []) if t.partner == p.partner), None)
        else:
            same = v.room.get((i, p.day, p.room))  # type: ignore[arg-type]
            if same is not None:
                model.add(v.start[i, p.day] == p.start).only_enforce_if(same)
        if same is not None:  # else not an option of this model: left free
            model.add_bool_or([x for x in (same, v.day.get((i, closed_day))) if x is not None])
    runner = Runner(built, cand, seed=0, workers=1, stop=StopFlag())
    for level in built.levels:
        if level.kind in (LevelKind.MOVED, LevelKind.SHIFTED):
            break
        target = level.value(closed.solution)
        model.minimize(level.expr)
        out = runner.whole(closed.solution, Budget(None, work, None))
        if out.bound is not None and out.bound > target:
            return level.name
        if out.found is None or level.value(out.found) > target:
            return None  # neither found as good nor proven worse
        model.add(level.expr <= target)
    return None


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
    alone_work: float = 2.0,
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
    effect = closure_effect(first, closed, room, date, work=alone_work)
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
    ap.add_argument(
        "--alone-work",
        type=float,
        default=2.0,
        help="work of each level's solve that checks whether leaving the other dates alone "
        "costs an earlier level (default 2; 0: not checked)",
    )
    a = ap.parse_args(argv)
    out = run(
        a.scenario,
        short=a.short,
        long=a.long,
        work_limit=a.work_limit,
        room=a.room,
        date=a.date,
        alone_work=a.alone_work,
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
        + (f" (needed: leaving them alone is proven worse on {cl.gains_on})" if cl.gains_on else "")
        + (f": {', '.join(cl.elsewhere[:20])}" if cl.elsewhere else "")
    )
    if cl.elsewhere:
        moved_within = len(cl.elsewhere) - len(cl.redated)
        print(
            f"  {len(cl.redated)} on another date or status; {moved_within} moved within "
            f"their date"
            + (
                f" (needed: leaving them alone is proven worse on {cl.rearranged_gains_on})"
                if cl.rearranged_gains_on
                else ""
            )
            + f", {len(cl.same_dates)} of them on a date whose cases are the same in both runs"
        )
    print("levels (run 1, run 2, short):", *out["levels"], sep="\n  ")
    print("wall times, s:", ", ".join(f"{w:.1f}" for w in out["walls"]))


if __name__ == "__main__":
    main()

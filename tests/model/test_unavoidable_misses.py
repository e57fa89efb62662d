"""A deadline level's floor counts the cases no option places in time, and the region's pinned
model keeps the options that could make up for what its starting schedules lose."""

from __future__ import annotations

import datetime as dt

from optimizer.facts.budget import pin_to_starts
from optimizer.facts.candidates import build_candidates
from optimizer.facts.levels import LevelKind
from optimizer.facts.solution import Placement
from optimizer.model.build import build_model
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session

D0 = dt.date(2024, 4, 15)


def _scenario(*cases: Case) -> Scenario:
    days = [D0 + dt.timedelta(days=k) for k in range(3)]
    return Scenario(
        cases=cases,
        rooms=(Room(room_id="R1"), Room(room_id="R2")),
        sessions=tuple(
            Session(date=d, room_id=r, start=480, end=720) for d in days for r in ("R1", "R2")
        ),
        policy=Policy(start_date=days[0], end_date=days[-1]),
    )


def _case(case_id: str, **kw: object) -> Case:
    return Case(case_id=case_id, specialty="gen", surgeon_id="S" + case_id, duration_min=60,
                urgency="P2", **kw)  # type: ignore[arg-type]  # fmt: skip


def test_a_case_released_after_its_deadline_is_the_levels_floor():
    """Case ``late`` is due on day 0 and released on day 1: no schedule keeps its deadline, so
    its class's level starts at 1 (met: proven without a search); ``ok``, due on day 1 and
    free to go on day 0, adds nothing to the floor."""
    sc = _scenario(
        _case("late", due_date=D0, release_date=D0 + dt.timedelta(days=1)),
        _case("ok", due_date=D0 + dt.timedelta(days=1)),
    )
    built = build_model(build_candidates(sc))
    misses = [lv for lv in built.levels if lv.kind.misses]
    assert sum(lv.lower_bound for lv in misses) == 1


def test_the_pinned_model_keeps_what_could_make_up_for_the_starts():
    """No start places ``due`` (due day 1) nor keeps ``planned`` (planned day 0 in R1): the
    pinned options hold every option of ``due`` up to day 1 (not day 2) and every option of
    ``planned`` on day 0 (both rooms); ``placed``, kept by the start, only its own place."""
    sc = _scenario(
        _case("due", due_date=D0 + dt.timedelta(days=1)),
        _case("planned", planned_date=D0, planned_room="R1", planned_start=480),
        _case("placed", planned_date=D0, planned_room="R2", planned_start=480),
    )
    cand = build_candidates(sc)
    start: list[Placement | None] = [None, None, Placement(day=0, room=1, start=480)]
    pinned = pin_to_starts(cand, [start])
    assert {(o.day, o.room) for o in pinned.room_options[0]} == {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert {(o.day, o.room) for o in pinned.room_options[1]} == {(0, 0), (0, 1)}
    assert {(o.day, o.room) for o in pinned.room_options[2]} == {(0, 1)}


def test_settle_scores_only_what_a_move_within_a_date_changes():
    """settled() skips the levels of dates alone and scores per-case levels on a date's
    cases alone: the kinds say which is which."""
    assert LevelKind.MISSES_OF_CLASS.by_dates and LevelKind.WAITING.by_dates
    assert not LevelKind.MOVED.by_dates and not LevelKind.ANNOUNCED.by_dates
    assert LevelKind.SHIFTED.per_case and not LevelKind.SHORTFALL.per_case
    assert not LevelKind.COST.per_case

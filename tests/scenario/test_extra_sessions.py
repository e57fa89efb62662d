"""extra_sessions.csv and the policy's levers: read, validated where they are, written back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from optimizer.scenario import load_scenario, write_scenario
from optimizer.scenario.schema import ExtraSession
from tests.scenario.test_validation import C1, C2, cases, where, write

EXTRA = "extra_sessions.csv"
HEADER = "date,room_id,start,end,specialty,cost\n"
# OR2 is closed on 17/04 (added); OR1's 16/04 session is 08:00-16:00 (lengthened)
GOOD = HEADER + "2024-04-17,OR2,08:00,12:00,,2.5\n2024-04-16,OR1,07:30,18:00,,\n"
POLICY = "start_date = 2024-04-16\nend_date = 2024-04-17\n"


def test_extra_sessions_load_and_round_trip(tmp_path: Path) -> None:
    """An added and a lengthened session; an empty cost is 1; the writer reads back the same."""
    sc = load_scenario(write(tmp_path / "s", {EXTRA: GOOD}))
    assert sc.warnings == ()
    assert sc.extra_sessions == (
        ExtraSession(date=dt.date(2024, 4, 17), room_id="OR2", start=480, end=720, cost=2.5),
        ExtraSession(date=dt.date(2024, 4, 16), room_id="OR1", start=450, end=1080, cost=1.0),
    )
    back = load_scenario(write_scenario(sc, tmp_path / "copy"))
    assert back.extra_sessions == sc.extra_sessions
    assert back.sessions == sc.sessions  # solve's capacity is untouched


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("2024-04-17,OR9,08:00,12:00,,\n", [(EXTRA, 2, "room_id")]),
        ("2024-04-17,OR2,12:00,08:00,,\n", [(EXTRA, 2, "end")]),
        ("2024-04-17,OR2,08:00,12:00,,-1\n", [(EXTRA, 2, "cost")]),
        ("2024-04-17,OR2,08:00,12:00,,cheap\n", [(EXTRA, 2, "cost")]),
        ("2024-04-17,OR2,08:00,12:00,,nan\n", [(EXTRA, 2, "cost")]),
        ("2024-04-17,OR2,08:00,12:00,,\n2024-04-17,OR2,13:00,15:00,,\n", [(EXTRA, 3, "date")]),
        # a lengthening must contain the session's hours (08:00-16:00) and be longer
        ("2024-04-16,OR1,09:00,18:00,,\n", [(EXTRA, 2, "start")]),
        ("2024-04-16,OR1,08:00,15:00,,\n", [(EXTRA, 2, "end")]),
        ("2024-04-16,OR1,08:00,16:00,,\n", [(EXTRA, 2, "end")]),
        # ... and keeps its specialty (the 17/04 OR1 session is reserved to orthopaedics)
        ("2024-04-17,OR1,08:00,18:00,general,\n", [(EXTRA, 2, "specialty")]),
        ("2024-04-16,,08:00,18:00,,\n", [(EXTRA, 2, "room_id")]),
    ],
    ids=[
        "unknown room",
        "start after end",
        "negative cost",
        "cost not a number",
        "cost nan",
        "two for one room and date",
        "lengthening starts later",
        "lengthening ends earlier",
        "lengthening with the same hours",
        "lengthening with another specialty",
        "empty room",
    ],
)
def test_bad_extra_sessions_are_named(
    tmp_path: Path, rows: str, expected: list[tuple[str, int, str]]
) -> None:
    assert where(write(tmp_path / "s", {EXTRA: HEADER + rows})) == expected


def test_extra_sessions_without_a_required_column(tmp_path: Path) -> None:
    folder = write(tmp_path / "s", {EXTRA: "date,room_id,start\n2024-04-17,OR2,08:00\n"})
    assert where(folder) == [(EXTRA, 1, "end")]


def test_an_extra_session_outside_the_horizon_is_a_warning(tmp_path: Path) -> None:
    sc = load_scenario(write(tmp_path / "s", {EXTRA: HEADER + "2024-05-02,OR2,08:00,12:00,,\n"}))
    assert any("outside the horizon" in w for w in sc.warnings)


def test_policy_levers_load(tmp_path: Path) -> None:
    """Overtime, a reserve across all sessions and one per specialty; defaults: none."""
    policy = POLICY + (
        "overtime_max_min = 45\novertime_cost_per_min = 2.5\nreserve_min = 60\n"
        "[reserve]\northopaedics = 90\n"
    )
    sc = load_scenario(write(tmp_path / "s", {"policy.toml": policy}))
    p = sc.policy
    assert (p.overtime_max_min, p.overtime_cost_per_min, p.reserve_min) == (45, 2.5, 60)
    assert p.reserves == [(None, 60), ("orthopaedics", 90)]
    assert load_scenario(write_scenario(sc, tmp_path / "copy")).policy == p
    plain = load_scenario(write(tmp_path / "plain", {})).policy
    assert (plain.overtime_max_min, plain.reserve_min, plain.reserves) == (0, 0, [])


@pytest.mark.parametrize(
    ("lines", "column"),
    [
        ("overtime_max_min = -5\n", "overtime_max_min"),
        ("overtime_max_min = 30.5\n", "overtime_max_min"),
        ('overtime_cost_per_min = "high"\n', "overtime_cost_per_min"),
        ("reserve_min = 2000\n", "reserve_min"),
        ("reserve = 60\n", "reserve"),
        ('[reserve]\northopaedics = "an hour"\n', "reserve.orthopaedics"),
    ],
)
def test_bad_levers_are_named(tmp_path: Path, lines: str, column: str) -> None:
    problems = where(write(tmp_path / "s", {"policy.toml": POLICY + lines}))
    assert [(f, c) for f, _row, c in problems] == [("policy.toml", column)]
    assert all(row is not None for _f, row, _c in problems)


def test_pinned_elective_cases_that_leave_no_reserve_are_bad_input(tmp_path: Path) -> None:
    """C2 (P1a, pinned, 60 min + 30 turnover) in OR2's 4 h session, OR1's 8 h beside it:
    720 session minutes - 90 = 630 free; a reserve of 700 cannot be kept."""
    ok = load_scenario(write(tmp_path / "ok", {"policy.toml": POLICY + "reserve_min = 600\n"}))
    assert ok.policy.reserve_min == 600
    bad = write(tmp_path / "bad", {"policy.toml": POLICY + "reserve_min = 700\n"})
    assert where(bad) == [("policy.toml", 3, "reserve_min")]
    # an emergency may use the reserve: the same pin as EMERGENCY is fine
    emergency = C2.replace(",P1a,", ",EMERGENCY,")
    folder = write(
        tmp_path / "em",
        {"policy.toml": POLICY + "reserve_min = 700\n", "cases.csv": cases(C1, emergency)},
    )
    assert load_scenario(folder).policy.reserve_min == 700

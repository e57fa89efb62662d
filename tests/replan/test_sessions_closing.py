"""``replan --sessions`` says which rooms a listed date closes.

The file replaces a listed date's sessions entirely (the documented rule, unchanged): a
file with one row for 18/04 R1 also closes R2 and R3 that date. The re-plan did so
without a word; now it warns, per date, naming the rooms, in English and French.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

import optimizer
from optimizer.cli import cli
from optimizer.replan.command import prepare
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session
from optimizer.scenario.warning_words import warning_text
from tests.replan.test_replan import D1, D2, D3, SEARCH, write

ROOMS = ("R1", "R2", "R3")


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Day 1's result: R1, R2 and R3 open 08:00-12:00 on each of three days; one case."""
    sessions = [Session(date=d, room_id=r, start=480, end=720) for d in (D1, D2, D3) for r in ROOMS]
    scenario = Scenario(
        cases=(Case(case_id="A", specialty="gen", surgeon_id="S", duration_min=60,
                    urgency="P3", planned_date=D1, planned_room="R1", planned_start=480),),
        rooms=tuple(Room(room_id=r) for r in ROOMS),
        sessions=tuple(sessions),
        policy=Policy(start_date=D1, end_date=D3),
    )  # fmt: skip
    result = optimizer.solve(scenario, workers=1, work_limit=1, seed=0)
    return optimizer.write_result(result, tmp_path_factory.mktemp("r") / "day1")


def test_a_listed_date_names_the_rooms_it_closes(first: Path, tmp_path: Path) -> None:
    """One row for 18/04 R1: R2 and R3 have no session that date any more, said once for
    that date, in both languages; the rule itself is unchanged (they are closed)."""
    one = write(tmp_path / "s.csv", f"date,room_id,start,end\n{D3},R1,08:00,11:00\n")
    morning = prepare(first, D2, sessions=one)
    assert {s.room_id for s in morning.scenario.sessions if s.date == D3} == {"R1"}
    said = [w for w in morning.scenario.warnings if "had a session" in w]
    assert said == [
        f"{one}: {D3}: room(s) R2, R3 had a session and have none now (the file lists this "
        "date without them)"
    ]
    assert warning_text(said[0], "en") == (
        f"{one}: 18/04: R2, R3 have no session any more (the file lists this date without them)"
    )
    assert warning_text(said[0], "fr") == (
        f"{one} : 18/04 : les salles R2, R3 n'ont plus de vacation (le fichier donne cette "
        "date sans elles)"
    )


def test_a_room_the_file_closes_itself_is_not_warned_about(first: Path, tmp_path: Path) -> None:
    """R2 closed by its own row (empty start and end) is meant: only R3 is named, in the
    singular."""
    rows = f"date,room_id,start,end\n{D3},R1,08:00,12:00\n{D3},R2,,\n"
    morning = prepare(first, D2, sessions=write(tmp_path / "s.csv", rows))
    said = [warning_text(w, "fr") for w in morning.scenario.warnings if "had a session" in w]
    assert len(said) == 1 and said[0].endswith(
        "18/04 : la salle R3 n'a plus de vacation (le fichier donne cette date sans elle)"
    )


def test_a_date_given_whole_says_nothing(first: Path, tmp_path: Path) -> None:
    """Every room listed for 18/04 (one shorter): nothing closes, no warning."""
    rows = "date,room_id,start,end\n" + "".join(f"{D3},{r},08:00,11:00\n" for r in ROOMS)
    morning = prepare(first, D2, sessions=write(tmp_path / "s.csv", rows))
    assert not [w for w in morning.scenario.warnings if "had a session" in w]


def test_replan_prints_it(first: Path, tmp_path: Path) -> None:
    """The command prints the warning and still writes the re-plan (exit 0)."""
    one = write(tmp_path / "s.csv", f"date,room_id,start,end\n{D3},R1,08:00,12:00\n")
    out = tmp_path / "day2"
    args = ["replan", str(first), "--today", str(D2), "--sessions", str(one), "--out", str(out)]
    res = CliRunner().invoke(cli, [*args, *SEARCH])
    assert res.exit_code == 0, res.output
    assert "18/04: R2, R3 have no session any more" in res.output


def _rows(*days: dt.date) -> str:
    return "".join(f"{d},{r},08:00,11:00\n" for d in days for r in ROOMS)


def test_a_row_before_today_gets_one_warning(first: Path, tmp_path: Path) -> None:
    """Rows dated before --today got two warnings: "fall outside the horizon ... not used"
    from the loader and "before --today ... ignored" from the re-plan. One now, the one
    that says why."""
    given = write(tmp_path / "s.csv", "date,room_id,start,end\n" + _rows(D1, D2))
    morning = prepare(first, D2, sessions=given)
    assert [w for w in morning.scenario.warnings if str(given) in w] == [
        f"{given}: 3 session(s) before --today {D2} are ignored"
    ]


def test_a_row_after_the_previous_horizon_is_not_said_unused(first: Path, tmp_path: Path) -> None:
    """A date after the previous horizon extends it (the documented rule) and its session is
    used; the loader still warned it "falls outside the horizon ... and is not used"."""
    later = D3 + dt.timedelta(days=1)
    given = write(tmp_path / "s.csv", "date,room_id,start,end\n" + _rows(D2, later))
    morning = prepare(first, D2, sessions=given)
    assert morning.scenario.policy.end_date == later
    assert {s.room_id for s in morning.scenario.sessions if s.date == later} == set(ROOMS)
    assert [w for w in morning.scenario.warnings if str(given) in w] == []

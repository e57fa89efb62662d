"""``replan --now`` with ``--sessions`` taking away the room of a case under way: the error
names the row of the sessions file the user wrote, and says a case is under way there."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import optimizer
from optimizer.cli import cli
from optimizer.replan.command import prepare
from optimizer.scenario import ScenarioError
from tests.replan.test_replan import D2, SEARCH, hospital, write

HEADER = "date,room_id,start,end\n"


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Day 2 as solved: D at 08:00 and E at 09:30 in R1 (08:00-12:00); at 10:00 both have
    begun."""
    result = optimizer.solve(hospital(), workers=1, work_limit=2, seed=0)
    return optimizer.write_result(result, tmp_path_factory.mktemp("r") / "day1")


def _problems(first: Path, sessions: Path) -> list[tuple[str, int | None, str | None, str]]:
    with pytest.raises(ScenarioError) as exc:
        prepare(first, D2, sessions=sessions, now=600)
    return [(p.file, p.row, p.column, p.message) for p in exc.value.problems]


def test_a_row_closing_the_room_of_a_case_under_way_is_named(first: Path, tmp_path: Path) -> None:
    """Regression: "the re-planned cases.csv, column fixed_room: case E is fixed in room R1,
    which has no session on 2024-04-17", a file the user never wrote. Row 2 of the sessions
    file closes R1 on day 2, where D and E began before 10:00: that row is named, with what
    is under way there and until when."""
    sessions = write(tmp_path / "s.csv", HEADER + f"{D2},R1,,\n")
    found = _problems(first, sessions)
    assert [(f, r, c) for f, r, c, _ in found] == [(str(sessions), 2, "start")] * 2
    said = " / ".join(m for *_, m in found)
    assert "re-planned" not in said and "fixed" not in said
    assert "this row closes room R1 on 2024-04-17" in said
    assert "case E is under way there from 09:30 to 10:30 (--now 10:00)" in said
    assert "case D is under way there from 08:00 to 09:00" in said


def test_new_hours_cutting_a_case_under_way_are_named(first: Path, tmp_path: Path) -> None:
    """Row 2 opens R1 on day 2 from 10:00 only: D and E began before; that row's start."""
    sessions = write(tmp_path / "s.csv", HEADER + f"{D2},R1,10:00,12:00\n")
    found = _problems(first, sessions)
    assert [(f, r, c) for f, r, c, _ in found] == [(str(sessions), 2, "start")] * 2
    assert "this row gives room R1 on 2024-04-17 10:00-12:00" in found[0][3]


def test_a_date_listed_without_the_room_of_a_case_under_way(first: Path, tmp_path: Path) -> None:
    """The file lists day 2 with R2 only, which closes R1 there: no row to name, the
    column room_id and the date said."""
    sessions = write(tmp_path / "s.csv", HEADER + f"{D2},R2,08:00,12:00\n")
    found = _problems(first, sessions)
    assert [(f, r, c) for f, r, c, _ in found] == [(str(sessions), None, "room_id")] * 2
    assert "the file lists 2024-04-17 without room R1, which closes it" in found[0][3]


def test_the_command_says_it_and_writes_nothing(first: Path, tmp_path: Path) -> None:
    """The command exits 2, names the file and row, and writes nothing."""
    sessions = write(tmp_path / "s.csv", HEADER + f"{D2},R1,,\n")
    out = tmp_path / "out"
    args = ["replan", str(first), "--today", str(D2), "--now", "10:00", "--sessions",
            str(sessions), "--out", str(out), *SEARCH]  # fmt: skip
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 2 and not out.exists()
    assert f"{sessions}, row 2, column start: this row closes room R1" in res.output
    assert "under way" in res.output and "re-planned" not in res.output

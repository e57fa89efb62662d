"""Capacity edits: rooms opened or re-timed, surgeons absent, dates as planners type them,
and the ``capacity`` command that writes a new scenario folder."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from optimizer import load_scenario
from optimizer.scenario import Scenario, ScenarioError
from optimizer.scenario.capacity import (
    change_capacity,
    open_rooms,
    parse_day,
    parse_hours,
    parse_rooms,
    surgeon_absent,
)
from optimizer.scenario.schema import Room
from optimizer.scenario.template import write_workbook
from tests.support.paths import DEMO

D0, D1 = dt.date(2024, 4, 15), dt.date(2024, 4, 16)


def _hours(s: Scenario, room: str, date: dt.date) -> tuple[int, int] | None:
    found = [(x.start, x.end) for x in s.sessions if x.room_id == room and x.date == date]
    return found[0] if found else None


def test_parse_day_takes_the_year_of_the_horizon(tiny_hospital: Scenario) -> None:
    """``16/04`` is the 16 April of the horizon; full and ISO dates are read as written."""
    assert parse_day("16/04", tiny_hospital) == D1
    assert parse_day("15/04/2024", tiny_hospital) == D0
    assert parse_day("2024-04-16", tiny_hospital) == D1
    with pytest.raises(ScenarioError, match="no date of the horizon"):
        parse_day("20/05", tiny_hospital)
    with pytest.raises(ScenarioError, match="--dates"):
        parse_day("tomorrow", tiny_hospital)


def test_parse_day_outside_the_horizon_where_a_date_may_lie_there(
    tiny_hospital: Scenario,
) -> None:
    """Bug: the date a patient can come from, typed ``20/05`` (after a horizon of 15-16/04),
    was refused as "no date of the horizon" while ``2024-05-20`` was taken. With
    ``in_horizon=False``, ``DD/MM`` is the nearest such date to the horizon: the year's,
    or the next year's across New Year."""
    assert parse_day("20/05", tiny_hospital, "until", in_horizon=False) == dt.date(2024, 5, 20)
    assert parse_day("16/04", tiny_hospital, "until", in_horizon=False) == D1
    assert parse_day("10/04", tiny_hospital, "until", in_horizon=False) == dt.date(2024, 4, 10)
    policy = tiny_hospital.policy.model_copy(
        update={"start_date": dt.date(2024, 12, 30), "end_date": dt.date(2025, 1, 3)}
    )
    winter = tiny_hospital.model_copy(update={"policy": policy})
    assert parse_day("10/01", winter, "until", in_horizon=False) == dt.date(2025, 1, 10)
    assert parse_day("20/12", winter, "until", in_horizon=False) == dt.date(2024, 12, 20)
    with pytest.raises(ScenarioError, match="no date of the horizon"):
        parse_day("31/02", tiny_hospital, "until", in_horizon=False)


def test_parse_rooms_reads_a_room_id_with_a_comma_whole(tiny_hospital: Scenario) -> None:
    """``capacity --close "Salle 1, Nord"`` was read as rooms "Salle 1" and "Nord", neither
    listed (exit 2): a room id may hold a comma, so the longest known id wins."""
    rooms = (*tiny_hospital.rooms, Room(room_id="Salle 1, Nord"), Room(room_id="Salle 1"))
    sc = tiny_hospital.model_copy(update={"rooms": rooms})
    assert parse_rooms("Salle 1, Nord", sc) == ["Salle 1, Nord"]
    assert parse_rooms("R1,Salle 1, Nord , Salle 1", sc) == ["R1", "Salle 1, Nord", "Salle 1"]
    assert parse_rooms("R1,,OR99", sc) == ["R1", "OR99"]
    assert parse_rooms("", sc) == []


def test_parse_hours() -> None:
    """Hours are ``HH:MM-HH:MM`` with the start first."""
    assert parse_hours("08:00-13:30") == (480, 810)
    # as French planners write hours, the times read as every time cell reads them
    assert parse_hours("8h-13h30") == parse_hours("8h00 – 13h30") == (480, 810)
    with pytest.raises(ScenarioError, match="not before"):
        parse_hours("13:00-08:00")
    with pytest.raises(ScenarioError, match="HH:MM-HH:MM"):
        parse_hours("morning")


def test_open_rooms_retimes_an_open_room_and_leaves_the_original(tiny_hospital: Scenario) -> None:
    """An open room gets the new hours; the scenario given is unchanged (a pure edit)."""
    longer = open_rooms(tiny_hospital, "R1", D1, start="08:00", end="12:00")
    assert _hours(longer, "R1", D1) == (480, 720)
    assert _hours(tiny_hospital, "R1", D1) == (480, 540)


def test_close_then_open_gives_a_session_back(tiny_hospital: Scenario) -> None:
    """A room closed by ``change_capacity`` is opened again, with the hours asked."""
    closed = change_capacity(tiny_hospital, close=["R1"], dates=["16/04"])
    assert _hours(closed, "R1", D1) is None
    reopened = change_capacity(closed, open_=["R1"], hours="09:00-11:00", dates=["16/04"])
    assert _hours(reopened, "R1", D1) == (540, 660)
    assert len(reopened.sessions) == len(tiny_hospital.sessions)


def test_open_outside_the_horizon_is_refused(tiny_hospital: Scenario) -> None:
    """A date the scenario does not plan is named, not silently added."""
    with pytest.raises(ScenarioError, match="outside the horizon"):
        open_rooms(tiny_hospital, "R1", "2024-04-20", start="08:00", end="12:00")


def test_change_capacity_refuses_unclear_requests(tiny_hospital: Scenario) -> None:
    """No room, a room both closed and opened, opening without hours: each said plainly."""
    with pytest.raises(ScenarioError, match="say which rooms"):
        change_capacity(tiny_hospital)
    with pytest.raises(ScenarioError, match="both closed and opened"):
        change_capacity(tiny_hospital, close=["R1"], open_=["R1"], hours="08:00-09:00")
    with pytest.raises(ScenarioError, match="needs its hours"):
        change_capacity(tiny_hospital, open_=["R1"])
    with pytest.raises(ScenarioError, match="room R9 is not listed"):
        change_capacity(tiny_hospital, close=["R9"])


def test_surgeon_absent_not_listed_before(tiny_hospital: Scenario) -> None:
    """A surgeon free whenever a room is open becomes listed, with no window on the date."""
    absent = surgeon_absent(tiny_hospital, "SA", "15/04/2024")
    windows = [(w.date, w.start, w.end) for w in absent.surgeon_windows if w.surgeon_id == "SA"]
    assert windows == [(D1, 0, 1440)]


def test_surgeon_absent_on_their_only_date_stays_listed(tiny_hospital: Scenario) -> None:
    """A surgeon whose only window is on the date stays listed (one minute before the
    horizon), so they operate on no date, rather than becoming free on every date."""
    from optimizer.scenario.schema import SurgeonWindow

    listed = tiny_hospital.model_copy(
        update={"surgeon_windows": (SurgeonWindow(surgeon_id="SB", date=D0, start=480, end=600),)}
    )
    absent = surgeon_absent(listed, "SB", D0)
    windows = [(w.date, w.start, w.end) for w in absent.surgeon_windows if w.surgeon_id == "SB"]
    assert windows == [(dt.date(2024, 4, 14), 0, 1)]


def test_surgeon_absent_listed_loses_that_dates_windows() -> None:
    """A listed surgeon keeps every window but those of the date."""
    demo = load_scenario(DEMO)
    absent = surgeon_absent(demo, "ENT01", "2024-04-16")
    before = [w for w in demo.surgeon_windows if w.surgeon_id == "ENT01"]
    after = [w for w in absent.surgeon_windows if w.surgeon_id == "ENT01"]
    assert D1 in {w.date for w in before} and D1 not in {w.date for w in after}
    assert len(after) == len(before) - sum(w.date == D1 for w in before)
    with pytest.raises(ScenarioError, match="operates no case"):
        surgeon_absent(demo, "NOBODY", D1)


def _capacity(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "optimizer", "capacity", *args], capture_output=True, text=True
    )


def test_capacity_command_closes_two_rooms_on_two_dates(tmp_path: Path) -> None:
    """The issue's example: OR02 and OR04 closed on 17/04 and 18/04, nothing else changed."""
    out = tmp_path / "lost"
    r = _capacity(str(DEMO), "--close", "OR02,OR04", "--dates", "17/04,18/04", "--out", str(out))
    assert r.returncode == 0, r.stderr
    demo, lost = load_scenario(DEMO), load_scenario(out)
    gone = {(s.date.isoformat(), s.room_id) for s in demo.sessions} - {
        (s.date.isoformat(), s.room_id) for s in lost.sessions
    }
    assert gone == {(d, r) for d in ("2024-04-17", "2024-04-18") for r in ("OR02", "OR04")}
    assert len(lost.cases) == len(demo.cases)
    assert "4 sessions closed" in r.stdout


def test_capacity_command_bad_input_writes_nothing(tmp_path: Path) -> None:
    """An unknown room: exit 2, the problem named, no folder, no traceback."""
    out = tmp_path / "lost"
    r = _capacity(str(DEMO), "--close", "OR99", "--out", str(out))
    assert r.returncode == 2
    assert "room OR99 is not listed" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    r = _capacity(str(DEMO), "--close", "OR01", "--out", str(tmp_path / "full"))
    assert r.returncode == 2 and (tmp_path / "full" / "keep.txt").read_text() == "mine"


def test_closing_a_pinned_cases_room_names_no_false_row() -> None:
    """Closing the room of a pinned case (C2, pinned in OR2 on 16/04, row 3 of cases.csv)
    is refused by the data model. Its problem named ``cases, row 1``: the case's position in
    memory printed as a spreadsheet row, a row that holds another case (found by fuzzing).
    Now ``cases.csv``, the column, and the case by its id, with no row (the scenario edited
    in memory has none)."""
    base = load_scenario(Path(__file__).parents[1] / "corpus" / "valid_base")
    for request in ({"close": ["OR2"]}, {"open_": ["OR2"], "hours": "10:00-12:00"}):
        with pytest.raises(ScenarioError) as err:
            change_capacity(base, dates=["16/04"], **request)  # type: ignore[arg-type]
        [p] = err.value.problems
        assert (p.file, p.row) == ("cases.csv", None), p
        assert "C2" in p.message


def test_closing_a_pinned_cases_room_names_its_row_in_the_folder_read(tmp_path: Path) -> None:
    """The capacity command closing the room of a pinned case said "cases.csv, colonne
    planned_room : le cas C2 est verrouillé…", the file and column but not the row. Given
    the folder the scenario was read from, the row the case is on there is named, numbered
    as the loader numbers it (header row 1, a blank line counted: C2 is on row 4 here); a
    workbook's problem names its sheet and row."""
    folder = tmp_path / "base"
    shutil.copytree(Path(__file__).parents[1] / "corpus" / "valid_base", folder)
    header, first, *rest = (folder / "cases.csv").read_text(encoding="utf-8").splitlines()
    (folder / "cases.csv").write_text("\n".join([header, first, "", *rest]) + "\n", "utf-8")
    base = load_scenario(folder)
    with pytest.raises(ScenarioError) as err:
        change_capacity(base, dates=["16/04"], close=["OR2"], source=folder)
    [p] = err.value.problems
    assert (p.file, p.row, p.column) == ("cases.csv", 4, "planned_room"), p
    assert "C2" in p.message
    book = write_workbook(tmp_path / "base.xlsx", base)
    with pytest.raises(ScenarioError) as err:
        change_capacity(load_scenario(book), dates=["16/04"], close=["OR2"], source=book)
    [p] = err.value.problems
    assert (p.file, p.row, p.column) == ("cases", 3, "planned_room"), p


def test_capacity_command_names_the_pinned_cases_row(tmp_path: Path) -> None:
    """The command itself names the row: ``cases.csv, row 3``, exit status 2, nothing
    written."""
    out = tmp_path / "out"
    corpus = Path(__file__).parents[1] / "corpus" / "valid_base"
    r = _capacity(str(corpus), "--close", "OR2", "--dates", "16/04", "--out", str(out))
    assert r.returncode == 2 and not out.exists()
    assert "cases.csv, row 3, column planned_room: case C2 is pinned" in r.stderr, r.stderr


def test_each_problem_names_the_option_that_holds_it(tiny_hospital: Scenario) -> None:
    """An unknown room was named ``rooms, column room_id`` and a date after the horizon
    ``sessions: no session of these rooms on these dates to close``; each now names its
    option (``--close``, ``--open``, ``--dates``) and says what is wrong with it."""
    with pytest.raises(ScenarioError) as err:
        change_capacity(tiny_hospital, close=["R9"])
    assert [(p.file, p.message) for p in err.value.problems] == [
        ("--close", "room R9 is not listed in rooms.csv")
    ]
    with pytest.raises(ScenarioError) as err:
        change_capacity(tiny_hospital, open_=["R7"], hours="08:00-09:00")
    assert [(p.file, p.message) for p in err.value.problems] == [
        ("--open", "room R7 is not listed in rooms.csv")
    ]
    first, last = tiny_hospital.policy.start_date, tiny_hospital.policy.end_date
    for dates, typed in ((["2024-06-01"], "'2024-06-01'"), ([], "''")):
        with pytest.raises(ScenarioError) as err:
            change_capacity(tiny_hospital, close=["R1"], dates=dates)
        assert [(p.file, p.message) for p in err.value.problems] == [
            ("--dates", f"{typed} is no date of the horizon {first} to {last}")
        ]


def test_capacity_command_says_its_problems_in_the_policys_language(tmp_path: Path) -> None:
    """A French scenario's option problems were said in English (the loader's are French)."""
    scenario = tmp_path / "fr"
    shutil.copytree(DEMO, scenario)
    policy = scenario / "policy.toml"
    policy.write_text('language = "fr"\n' + policy.read_text(encoding="utf-8"), encoding="utf-8")
    out = str(tmp_path / "lost")
    r = _capacity(str(scenario), "--open", "OR03", "--hours", "13:00-08:00", "--out", out)
    assert r.returncode == 2, r.stderr
    assert "--hours : '13:00-08:00' : le début n'est pas avant la fin" in r.stderr, r.stderr
    r = _capacity(str(scenario), "--close", "OR99", "--out", out)
    assert "--close : la salle OR99 ne figure pas dans rooms.csv" in r.stderr, r.stderr

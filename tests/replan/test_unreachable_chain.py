"""Two results on one morning (``replan`` then ``insert``), and the next morning an
``unreachable`` patient: the appointment given back is the last one they were actually told."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import optimizer
from optimizer.replan.command import prepare, replan, write_replanned
from optimizer.replan.insert import insert, write_insert
from optimizer.scenario import ScenarioError
from optimizer.scenario.problem_words import message
from tests.replan.test_replan import D1, D2, D3, hospital, rows, write

SEARCH = {"workers": 1, "work_limit": 2, "seed": 0}


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """R0 solves day 1 (D on day 2 at 08:00); R1 re-plans R0 on day 1 with R1 opening at
    09:00 on day 2, so D moves to 11:00 and R1's calls.csv lists D; I1 inserts the urgent U
    into R1 the same morning and keeps D at 11:00 (its calls.csv does not list D) but moves
    A from day 1 to day 3 (it lists A)."""
    root = tmp_path_factory.mktemp("chain")
    r0 = optimizer.write_result(optimizer.solve(hospital(), **SEARCH), root / "r0")
    sessions = write(root / "s.csv", f"date,room_id,start,end\n{D2},R1,09:00,12:00\n")
    r1 = write_replanned(*replan(r0, D1, sessions=sessions, **SEARCH), root / "r1")
    urgent = write(root / "u.csv", "case_id,specialty,surgeon_id,duration_min,urgency\n"
                                   "U,gen,S_U,30,P1a\n")  # fmt: skip
    i1 = write_insert(*insert(r1, urgent, D1, top=1, **SEARCH), root / "i1") / "result"
    return {"root": root, "r1": r1, "i1": i1}


def _slot(case: optimizer.Case) -> tuple[object, object, object]:
    return case.announced_date, case.announced_room, case.announced_start


def test_unreachable_after_the_earlier_call_of_the_morning_gets_what_they_knew(
    chain: dict[str, Path],
) -> None:
    """Regression: D, moved by R1 (08:00 -> 11:00, its call did not reach the patient) and
    kept there by I1 (no call), reported unreachable against I1 the next morning, was given
    back R1's 11:00, a slot the patient never heard of. It gets R0's 08:00, the one they
    knew; the re-plan then calls D (R1 opens at 09:00 on day 2: 08:00 cannot be kept)."""
    called_r1 = {r["case_id"]: r for r in rows(chain["r1"] / "calls.csv")}
    called_i1 = {r["case_id"] for r in rows(chain["i1"] / "calls.csv")}
    assert called_r1["D"]["old_start"] == "08:00" and called_r1["D"]["new_start"] == "11:00"
    assert "D" not in called_i1 and "A" in called_i1
    events = write(chain["root"] / "e.csv", "case_id,event,until\nD,unreachable,\n")
    morning, result = replan(chain["i1"], D2, events=events, **SEARCH)
    [d] = [c for c in morning.scenario.cases if c.case_id == "D"]
    assert _slot(d) == (D2, "R1", 480)
    assert d.known_date is None  # on a new morning nothing is remembered
    out = write_replanned(morning, result, chain["root"] / "day2")
    [call] = [r for r in rows(out / "calls.csv") if r["case_id"] == "D"]
    assert call["old_start"] == "08:00"


def test_unreachable_after_the_last_call_gets_the_slot_before_it(chain: dict[str, Path]) -> None:
    """A, moved by I1 (its calls.csv lists A) and reported unreachable: I1's call is the one
    that did not reach them; they knew the slot I1 moved them from (R1's, day 1 08:00)."""
    events = write(chain["root"] / "e2.csv", "case_id,event,until\nA,unreachable,\n")
    [a] = [c for c in prepare(chain["i1"], D2, events=events).scenario.cases if c.case_id == "A"]
    assert _slot(a) == (D1, "R1", 480)


def test_the_insert_remembers_what_the_earlier_call_changed(chain: dict[str, Path]) -> None:
    """I1's scenario/cases.csv carries, for D, what the patient held before R1's call
    (known_*: R0's 08:00); a case nobody called this morning has none."""
    cases = {r["case_id"]: r for r in rows(chain["i1"] / "scenario" / "cases.csv")}
    d, e = cases["D"], cases["E"]
    assert (d["announced_start"], d["known_date"], d["known_start"]) == ("11:00", str(D2), "08:00")
    assert e["known_date"] == "" and e["announced_start"] == "09:30"


def test_a_known_room_without_its_date_is_bad_input(chain: dict[str, Path], tmp_path: Path) -> None:
    """A hand-edited cases.csv with D's known_date cleared but its room and start left: file,
    row and column known_date are named (in French too)."""
    folder = tmp_path / "scenario"
    shutil.copytree(chain["i1"] / "scenario", folder)
    path = folder / "cases.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = next(i for i, line in enumerate(lines) if line.startswith("D,"))
    cells = lines[row].split(",")
    cells[header.index("known_date")] = ""
    lines[row] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        optimizer.load_scenario(folder)
    [p] = exc.value.problems
    assert (p.file, p.row, p.column) == ("cases.csv", row + 1, "known_date")
    assert message(p.message, "fr") == (
        "la salle ou l'heure d'un rendez-vous antérieur est donnée sans sa date"
    )


@pytest.fixture(scope="module")
def called_in(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """W (120 min) fits nowhere in R0 (day 3 has no session; day 2 has 60 min left): it
    waits. R1 re-plans R0 on day 1 with R1 open on day 3 from 08:00 to 16:00: W is called in
    for day 3, its first appointment. I1 inserts U the same morning and leaves W there
    (no call)."""
    base = hospital()
    cases = tuple(c.model_copy(update={"duration_min": 120}) if c.case_id == "W" else c
                  for c in base.cases)  # fmt: skip
    sessions = tuple(s for s in base.sessions if s.date != D3)
    scenario = optimizer.Scenario(cases=cases, rooms=base.rooms, sessions=sessions,
                                  partners=base.partners, policy=base.policy)  # fmt: skip
    root = tmp_path_factory.mktemp("called_in")
    r0 = optimizer.write_result(optimizer.solve(scenario, **SEARCH), root / "r0")
    opened = write(root / "s.csv", f"date,room_id,start,end\n{D3},R1,08:00,16:00\n")
    r1 = write_replanned(*replan(r0, D1, sessions=opened, **SEARCH), root / "r1")
    urgent = write(root / "u.csv", "case_id,specialty,surgeon_id,duration_min,urgency\n"
                                   "U,gen,S_U,30,P1a\n")  # fmt: skip
    i1 = write_insert(*insert(r1, urgent, D1, top=1, **SEARCH), root / "i1") / "result"
    return {"root": root, "r0": r0, "r1": r1, "i1": i1}


def test_unreachable_waiting_patient_called_in_earlier_that_morning_is_called_again(
    called_in: dict[str, Path],
) -> None:
    """Regression: W, called in by R1 (a waiting patient: no appointment before), kept there
    by I1 the same morning (no call), reported unreachable against I1 the next morning,
    kept R1's slot as if told and was not called: the patient never heard of it and would
    not come. I1 remembers that W held nothing before R1's call (``known_none``); the next
    morning W has no appointment and is called in for the date it gets."""
    assert {r["case_id"]: r["status"] for r in rows(called_in["r0"] / "schedule.csv")}["W"] == (
        "unscheduled"
    )
    assert "W" in {r["case_id"] for r in rows(called_in["r1"] / "calls.csv")}
    assert "W" not in {r["case_id"] for r in rows(called_in["i1"] / "calls.csv")}
    [w_i1] = [c for c in optimizer.load_scenario(called_in["i1"] / "scenario").cases
              if c.case_id == "W"]  # fmt: skip
    assert w_i1.known_none and w_i1.known_date is None
    events = write(called_in["root"] / "e.csv", "case_id,event,until\nW,unreachable,\n")
    morning, result = replan(called_in["i1"], D2, events=events, **SEARCH)
    [w] = [c for c in morning.scenario.cases if c.case_id == "W"]
    assert _slot(w) == (None, None, None) and not w.known_none
    out = write_replanned(morning, result, called_in["root"] / "day2")
    [placed] = [r for r in rows(out / "schedule.csv") if r["case_id"] == "W"]
    assert placed["status"] == "scheduled"
    [call] = [r for r in rows(out / "calls.csv") if r["case_id"] == "W"]
    assert call["old_date"] == "" and call["new_date"] == placed["date"]

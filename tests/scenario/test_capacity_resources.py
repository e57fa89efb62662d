"""Staff and equipment lost on some dates: ``capacity --resource NAME=N`` and
:func:`~optimizer.scenario.capacity_resources.set_resources` under it.

resources.csv's rule: a resource with no row for a date is unlimited that date. The edit
replaces the rows of the dates given and keeps every other row.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from optimizer import load_scenario
from optimizer.check import check_result_folder
from optimizer.scenario import ScenarioError
from optimizer.scenario.capacity import change_capacity
from optimizer.scenario.capacity_resources import parse_resource_counts, set_resources
from optimizer.scenario.problem_words import problem_text
from optimizer.scenario.schema import Room
from tests.scenario.test_capacity_surgeons import _rows, _run

D0, D1 = dt.date(2024, 4, 15), dt.date(2024, 4, 16)


def _clock(text: str) -> int:
    return int(text[:2]) * 60 + int(text[3:])


def test_those_dates_replaced_every_other_row_kept_a_resource_together(
    small_hospital: Path,
) -> None:
    """The file lists by date (15/04: anaesthetist 3, c_arm, navigation, icu_bed; 16/04:
    the same). anaesthetist=1 on 15/04: its two rows come first, by date (1 on 15/04, 2 on
    16/04 as before), the other resources' rows as they were; ward_bed (no row before) gets
    its row at the end; a second edit of the same date replaces, never adds, a row."""
    before = load_scenario(small_hospital)
    assert [(r.resource, r.date, r.capacity) for r in before.resources][:2] == [
        ("anaesthetist", D0, 3), ("c_arm", D0, 1)
    ]  # fmt: skip
    after = set_resources(before, [("anaesthetist", 1), ("ward_bed", 4)], [D0])
    rows = [(r.resource, r.date, r.capacity) for r in after.resources]
    others = [(r.resource, r.date, r.capacity) for r in before.resources
              if r.resource != "anaesthetist"]  # fmt: skip
    assert rows == [("anaesthetist", D0, 1), ("anaesthetist", D1, 2), *others,
                    ("ward_bed", D0, 4)]  # fmt: skip
    again = set_resources(after, [("anaesthetist", 0)], ["2024-04-15"])
    assert [r.capacity for r in again.resources if r.resource == "anaesthetist"] == [0, 2]
    assert after.capacity["anaesthetist", D0] == 1 and ("ward_bed", D1) not in after.capacity
    assert after.cases == before.cases and after.sessions == before.sessions


def test_each_resource_problem_names_the_option(small_hospital: Path) -> None:
    """A pair that is not NAME=N, a count that is not a whole number >= 0, a name twice;
    equipment fixed in one room or in two (their rooms named, --close said as the way); an
    unknown name, with the nearest one or with those known: each a problem of --resource."""
    asked = [
        ("anaesthetist", ["'anaesthetist' is not NAME=N (a resource and its capacity, as "
                          "anaesthetist=3)"]),
        ("=2,c_arm=", ["'=2' is not NAME=N (a resource and its capacity, as anaesthetist=3)",
                       "'c_arm=' is not NAME=N (a resource and its capacity, as "
                       "anaesthetist=3)"]),
        ("c_arm=-1,icu_bed=1.5,navigation=two",
         ["'c_arm=-1': the capacity is not a whole number from 0 to 100,000",
          "'icu_bed=1.5': the capacity is not a whole number from 0 to 100,000",
          "'navigation=two': the capacity is not a whole number from 0 to 100,000"]),
        ("c_arm=1,c_arm=2", ["resource c_arm is given twice"]),
    ]  # fmt: skip
    for text, said in asked:
        with pytest.raises(ScenarioError) as err:
            parse_resource_counts(text)
        assert [(p.file, p.message) for p in err.value.problems] == [
            ("--resource", s) for s in said
        ], text
    assert parse_resource_counts(" anaesthetist = 0 , c_arm=2") == [("anaesthetist", 0),
                                                                   ("c_arm", 2)]  # fmt: skip

    scenario = load_scenario(small_hospital)
    assert {r.room_id: set(r.equipment) for r in scenario.rooms} == {
        "OR01": set(), "OR02": {"laminar_flow"}, "OR03": {"robot"}
    }  # fmt: skip
    rooms = tuple(Room(room_id=r.room_id, specialties=r.specialties, equipment=r.equipment
                       | ({"robot"} if r.room_id == "OR01" else set()))
                  for r in scenario.rooms)  # fmt: skip
    two_robots = scenario.model_copy(update={"rooms": rooms})
    with pytest.raises(ScenarioError) as err:
        change_capacity(two_robots, resources=[("laminar_flow", 0), ("robot", 1),
                                               ("c_ram", 1), ("oxygen", 2)])  # fmt: skip
    assert [(p.file, p.message) for p in err.value.problems] == [
        ("--resource", "laminar_flow is equipment fixed in room OR02, not a mobile pool: to do "
                       "without it on these dates, close that room (--close OR02)"),
        ("--resource", "robot is equipment fixed in rooms OR01, OR03, not a mobile pool: to do "
                       "without it on these dates, close them (--close OR01,OR03)"),
        ("--resource", "resource c_ram is neither a reserved name nor a mobile pool of "
                       "resources.csv (did you mean c_arm?)"),
        ("--resource", "resource oxygen is neither a reserved name nor a mobile pool of "
                       "resources.csv (known: anaesthetist, c_arm, icu_bed, navigation, "
                       "ward_bed)"),
    ]  # fmt: skip
    # the desk asks for one date, and closes rooms on its grid: its own way, in both languages
    with pytest.raises(ScenarioError) as err:
        set_resources(two_robots, [("laminar_flow", 0), ("robot", 1)], [D0], "resource",
                      on_desk=True)  # fmt: skip
    said = [[problem_text(p, lang) for p in err.value.problems] for lang in ("en", "fr")]
    assert said == [
        ["resource: laminar_flow is equipment fixed in room OR02, not a mobile pool: to do "
         "without it, close that room on that date",
         "resource: robot is equipment fixed in rooms OR01, OR03, not a mobile pool: to do "
         "without it, close those rooms on that date"],
        ["resource : laminar_flow est un équipement fixe de la salle OR02, pas un parc mobile :"
         " pour s'en passer, fermez cette salle à cette date",
         "resource : robot est un équipement fixe des salles OR01, OR03, pas un parc mobile :"
         " pour s'en passer, fermez ces salles à cette date"],
    ]  # fmt: skip


def test_one_anaesthetist_on_a_date_binds_the_solve(small_hospital: Path, tmp_path: Path) -> None:
    """anaesthetist=1 on 15/04 (3 that date before; the plan runs cases needing anaesthesia
    in parallel there): the new folder validates, every other row, the cases, sessions and
    windows are as they were; solved, the checker finds nothing, and schedule.csv never
    has two cases needing anaesthesia running at once on 15/04."""
    before = load_scenario(small_hospital)
    needs = {c.case_id for c in before.cases if c.anaesthesia != "local"}
    planned = sorted((c.planned_start, c.planned_start + c.duration_min) for c in before.cases
                     if c.case_id in needs and c.planned_date == D0
                     and c.planned_start is not None)  # fmt: skip
    assert any(b[0] < a[1] for a, b in zip(planned, planned[1:], strict=False)), planned

    out, result = tmp_path / "one", tmp_path / "result"
    r = _run("capacity", str(small_hospital), "--resource", "anaesthetist=1", "--dates",
             "15/04", "--out", str(out))  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "Resource set on 1 date: anaesthetists 1." in r.stdout
    assert _run("validate", str(out)).returncode == 0
    after = load_scenario(out)
    assert after.capacity["anaesthetist", D0] == 1
    assert {k: v for k, v in after.capacity.items() if k != ("anaesthetist", D0)} == {
        k: v for k, v in before.capacity.items() if k != ("anaesthetist", D0)
    }
    assert (after.cases, after.sessions, after.surgeon_windows) == (
        before.cases, before.sessions, before.surgeon_windows
    )  # fmt: skip

    r = _run("solve", str(out), "--out", str(result), "--work-limit", "2", "--workers", "1")
    assert r.returncode == 0, r.stderr
    assert check_result_folder(after, result) == []
    running = sorted((_clock(row["start"]), _clock(row["end"]))
                     for row in _rows(result / "schedule.csv")
                     if row["case_id"] in needs and row["room_id"]
                     and row["date"] == D0.isoformat())  # fmt: skip
    assert running, "no case needing anaesthesia operated on 15/04"
    assert all(b[0] >= a[1] for a, b in zip(running, running[1:], strict=False)), running


def test_a_resource_new_on_some_dates_is_said_unlimited_elsewhere(
    small_hospital: Path, tmp_path: Path
) -> None:
    """A scenario with no anaesthetist row, anaesthetist=2 on 15/04 only: the command says
    so; the new folder's warning (validate, solve) says the truth, that 16/04 stays
    unlimited, not that it has none."""
    scenario = tmp_path / "scenario"
    shutil.copytree(small_hospital, scenario)
    path = scenario / "resources.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(x for x in lines if ",anaesthetist," not in x), encoding="utf-8")
    out = tmp_path / "two"
    r = _run("capacity", str(scenario), "--resource", "anaesthetist=2", "--dates", "15/04",
             "--out", str(out))  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert [row for row in _rows(out / "resources.csv") if row["resource"] == "anaesthetist"] == [
        {"date": "2024-04-15", "resource": "anaesthetist", "capacity": "2"}
    ]
    r = _run("validate", str(out))
    assert r.returncode == 0
    assert ("resources.csv: anaesthetist is given for 1 of the 2 dates of the horizon; it is "
            "unlimited on the dates without a row") in r.stderr  # fmt: skip


def test_a_fixed_equipment_writes_nothing_and_is_said_in_french(
    small_hospital: Path, tmp_path: Path
) -> None:
    """``--resource laminar_flow=0,c_ram=1`` in a French scenario: exit 2, the option
    named, the room to close and the nearest pool said in French, no traceback, no folder;
    a count that is not a whole number too."""
    scenario = tmp_path / "fr"
    shutil.copytree(small_hospital, scenario)
    policy = scenario / "policy.toml"
    policy.write_text('language = "fr"\n' + policy.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    r = _run("capacity", str(scenario), "--resource", "laminar_flow=0,c_ram=1", "--out", str(out))
    assert r.returncode == 2
    assert ("--resource : laminar_flow est un équipement fixe de la salle OR02, pas un parc "
            "mobile : pour s'en passer à ces dates, fermez cette salle (--close OR02)"
            ) in r.stderr, r.stderr  # fmt: skip
    assert ("--resource : la ressource c_ram n'est ni un nom réservé ni un parc mobile de "
            "resources.csv (peut-être c_arm ?)") in r.stderr  # fmt: skip
    assert "Traceback" not in r.stderr and not out.exists()
    r = _run("capacity", str(scenario), "--resource", "icu_bed=-1", "--out", str(out))
    assert r.returncode == 2 and not out.exists()
    assert "'icu_bed=-1' : la capacité n'est pas un nombre entier de 0 à 100" in r.stderr

    r = _run("capacity", str(scenario), "--resource", "icu_bed=1,c_arm=1", "--dates",
             "15/04,16/04", "--out", str(out))  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert ("Capacités fixées pour 2 jours : lits de réanimation 1, amplificateur de "
            "brillance 1.") in r.stdout  # fmt: skip


def test_resources_alone_are_enough_to_change(small_hospital: Path) -> None:
    """--resource alone is a change (no 'say which rooms ...'): the scenario comes back with
    icu_bed at 0 on every date of the horizon (no --dates)."""
    scenario = load_scenario(small_hospital)
    changed = change_capacity(scenario, resources=[("icu_bed", 0)])
    assert {d: changed.capacity["icu_bed", d] for d in (D0, D1)} == {D0: 0, D1: 0}

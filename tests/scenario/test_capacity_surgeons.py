"""A surgeon absent or given hours on some dates: ``capacity --surgeon-off`` and
``--surgeon ... --hours``, and :func:`~optimizer.scenario.capacity.surgeon_hours` under them.

surgeons.csv's rule: a surgeon it lists operates only inside their windows; one it does
not list is free whenever a room is open. So a surgeon not listed who is absent on a date
is listed from then on, with the whole day on every other date of the horizon.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from optimizer import load_scenario
from optimizer.scenario import Scenario, ScenarioError
from optimizer.scenario.capacity import change_capacity, horizon_dates, surgeon_hours
from optimizer.scenario.schema import SurgeonWindow

D0, D1 = dt.date(2024, 4, 15), dt.date(2024, 4, 16)


def _windows(s: Scenario, surgeon: str) -> list[tuple[dt.date, int, int]]:
    return [(w.date, w.start, w.end) for w in s.surgeon_windows if w.surgeon_id == surgeon]


def test_a_surgeon_not_listed_given_hours_is_free_the_whole_day_elsewhere(
    tiny_hospital: Scenario,
) -> None:
    """SA (not in surgeons.csv) limited to 08:00-12:00 on 16/04: that window on 16/04, and
    00:00-24:00 (every session of the date inside it) on 15/04; others still not listed."""
    limited = surgeon_hours(tiny_hospital, "SA", "16/04/2024", (480, 720))
    assert _windows(limited, "SA") == [(D0, 0, 1440), (D1, 480, 720)]
    assert {w.surgeon_id for w in limited.surgeon_windows} == {"SA"}
    assert limited.cases == tiny_hospital.cases


def test_a_listed_surgeon_given_hours_keeps_their_other_dates(tiny_hospital: Scenario) -> None:
    """SB, listed on both dates, limited on 16/04: 16/04's windows (two of them) replaced,
    15/04's kept as they were; SC's rows stay before SB's, SD's after."""
    from optimizer.scenario.schema import Case

    rows = [("SC", D0, 480, 600), ("SB", D1, 480, 540), ("SB", D0, 600, 900),
            ("SB", D1, 600, 700), ("SD", D0, 480, 600)]  # fmt: skip
    windows = tuple(SurgeonWindow(surgeon_id=s, date=d, start=a, end=b) for s, d, a, b in rows)
    case = Case(case_id="X", specialty="general", surgeon_id="SB", duration_min=30,
                urgency="P3")  # fmt: skip
    scenario = tiny_hospital.model_copy(
        update={"surgeon_windows": windows, "cases": (*tiny_hospital.cases, case)}
    )
    limited = surgeon_hours(scenario, "SB", D1, (780, 840))
    assert [(w.surgeon_id, w.date, w.start, w.end) for w in limited.surgeon_windows] == [
        ("SC", D0, 480, 600), ("SB", D0, 600, 900), ("SB", D1, 780, 840), ("SD", D0, 480, 600)
    ]  # fmt: skip
    absent = surgeon_hours(scenario, "SB", [D0, D1], None)
    assert _windows(absent, "SB") == [(D0 - dt.timedelta(days=1), 0, 1)]  # listed, no date


def test_each_surgeon_problem_names_its_option(tiny_hospital: Scenario) -> None:
    """An unknown surgeon (the nearest known one suggested), one both absent and given
    hours, hours missing, hours for rooms and surgeons at once: each named by its option,
    said so that the planner knows what to change."""
    cases = (*tiny_hospital.cases,)
    assert {c.surgeon_id for c in cases} == {"SA", "SB", "SE"}
    renamed = tiny_hospital.model_copy(
        update={"cases": tuple(c.model_copy(update={"surgeon_id": "MARTIN"})
                               if c.surgeon_id == "SA" else c for c in cases)}
    )  # fmt: skip
    asked: list[tuple[dict[str, object], list[tuple[str, str]]]] = [
        ({"surgeons_off": ["MATRIN", "SZ"]},
         [("--surgeon-off", "surgeon MATRIN operates no case (did you mean MARTIN?)"),
          ("--surgeon-off", "surgeon SZ operates no case")]),
        ({"surgeons_off": ["SB"], "surgeons": ["SB"], "hours": "08:00-09:00"},
         [("--surgeon-off/--surgeon", "surgeon SB is both absent and given hours")]),
        ({"surgeons": ["SB"]},
         [("--hours", "the hours of the surgeons (--surgeon) are missing")]),
        ({"surgeons": ["SB"], "open_": ["R1"], "hours": "08:00-09:00"},
         [("--hours", "these hours are for the rooms (--open) or for the surgeons "
                      "(--surgeon), not both: give each its own command")]),
        ({"hours": "08:00-09:00"},
         [("--close/--open/--surgeon-off/--surgeon/--resource",
           "say which rooms, surgeons or resources to change")]),
        ({"surgeons": ["SB"], "hours": "09:00-08:00"},
         [("--hours", "'09:00-08:00': the start is not before the end")]),
    ]  # fmt: skip
    for request, said in asked:
        with pytest.raises(ScenarioError) as err:
            change_capacity(renamed, **request)  # type: ignore[arg-type]
        assert [(p.file, p.message) for p in err.value.problems] == said, request


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "optimizer", *args], capture_output=True, text=True
    )


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_surgeons_off_on_a_date_operate_nothing_that_date(
    small_hospital: Path, tmp_path: Path
) -> None:
    """GEN02 (taken out of surgeons.csv: free whenever a room is open) and URO02 (listed)
    absent on 15/04, where they had 2 and 4 cases planned. The new folder validates; solved,
    neither operates a case that date; the cases, every other surgeon's windows and URO02's
    other windows are as they were; GEN02's other date holds every session of that date."""
    scenario = tmp_path / "scenario"
    shutil.copytree(small_hospital, scenario)
    windows = scenario / "surgeons.csv"
    lines = windows.read_text(encoding="utf-8").splitlines(keepends=True)
    windows.write_text("".join(x for x in lines if not x.startswith("GEN02,")), encoding="utf-8")
    before = load_scenario(scenario)
    off = {"GEN02", "URO02"}
    planned = [c for c in before.cases if c.surgeon_id in off and c.planned_date == D0]
    assert len(planned) == 6 and "GEN02" not in {w.surgeon_id for w in before.surgeon_windows}

    out = tmp_path / "off"
    r = _run("capacity", str(scenario), "--surgeon-off", "GEN02,URO02", "--dates", "15/04",
             "--out", str(out))  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "Surgeons absent on 1 date: GEN02, URO02." in r.stdout
    assert _run("validate", str(out)).returncode == 0
    after = load_scenario(out)
    assert after.cases == before.cases and after.sessions == before.sessions
    others = [w for w in before.surgeon_windows if w.surgeon_id not in off]
    assert [w for w in after.surgeon_windows if w.surgeon_id not in off] == others
    uro = [w for w in before.surgeon_windows if w.surgeon_id == "URO02" and w.date != D0]
    assert [w for w in after.surgeon_windows if w.surgeon_id == "URO02"] == uro
    gen = after.windows_by_surgeon["GEN02"]
    assert D0 not in gen
    for day in horizon_dates(after)[1:]:
        sessions = [(s.start, s.end) for s in after.sessions if s.date == day]
        assert sessions and all(any(a <= s and e <= b for a, b in gen[day])
                                for s, e in sessions)  # fmt: skip

    result = tmp_path / "result"
    r = _run("solve", str(out), "--out", str(result), "--work-limit", "2", "--workers", "1")
    assert r.returncode == 0, r.stderr
    surgeon_of = {c.case_id: c.surgeon_id for c in after.cases}
    operated = [(surgeon_of[row["case_id"]], row["date"]) for row in _rows(result / "schedule.csv")
                if row["room_id"]]  # fmt: skip
    assert not [x for x in operated if x[0] in off and x[1] == D0.isoformat()], operated
    assert any(s in off for s, _ in operated)  # on the other date they still operate


def test_surgeon_hours_on_a_date_bind_the_solve(small_hospital: Path, tmp_path: Path) -> None:
    """URO02 limited to 08:00-10:00 on 15/04 (four cases planned there, up to 18:00): solved,
    each of URO02's cases operated that date lies inside 08:00-10:00."""
    planned = [c for c in load_scenario(small_hospital).cases
               if c.surgeon_id == "URO02" and c.planned_date == D0]  # fmt: skip
    assert any(c.planned_start + c.duration_min > 600 for c in planned)  # type: ignore[operator]
    out, result = tmp_path / "limited", tmp_path / "result"
    r = _run("capacity", str(small_hospital), "--surgeon", "URO02", "--hours", "08:00-10:00",
             "--dates", "2024-04-15", "--out", str(out))  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "Surgeon operating only from 08:00 to 10:00 on 1 date: URO02." in r.stdout
    r = _run("solve", str(out), "--out", str(result), "--work-limit", "2", "--workers", "1")
    assert r.returncode == 0, r.stderr
    uro = {c.case_id for c in load_scenario(out).cases if c.surgeon_id == "URO02"}
    that_day = [
        (row["start"], row["end"])
        for row in _rows(result / "schedule.csv")
        if row["case_id"] in uro and row["room_id"] and row["date"] == "2024-04-15"
    ]
    assert all(a >= "08:00" and b <= "10:00" for a, b in that_day), that_day


def test_an_unknown_surgeon_writes_nothing_and_is_said_in_french(
    small_hospital: Path, tmp_path: Path
) -> None:
    """``--surgeon-off UOR02`` in a French scenario: exit 2, the option named, the nearest
    surgeon suggested, in French, no traceback, no folder."""
    scenario = tmp_path / "fr"
    shutil.copytree(small_hospital, scenario)
    policy = scenario / "policy.toml"
    policy.write_text('language = "fr"\n' + policy.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "off"
    r = _run("capacity", str(scenario), "--surgeon-off", "UOR02", "--out", str(out))
    assert r.returncode == 2
    assert "--surgeon-off : le chirurgien UOR02 n'opère aucun cas (peut-être URO02 ?)" in (
        r.stderr
    ), r.stderr
    assert "Traceback" not in r.stderr and not out.exists()

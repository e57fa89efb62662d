"""The importers turn public data into valid scenarios whose plan obeys the contract."""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.external import ENVIRONMENT_VARIABLE, ihtc_dir, or_utilization_csv
from optimizer.cli import cli
from optimizer.importers import import_ihtc, import_or_utilization
from optimizer.importers.ihtc import IhtcPatient, urgency_of
from optimizer.importers.or_utilization import booked_turnover
from optimizer.scenario import Scenario, ScenarioError, load_scenario, write_scenario

IHTC_DIR = ihtc_dir()
OR_CSV = or_utilization_csv()
IHTC_FILES = sorted(IHTC_DIR.glob("*.json"))
OR_HEADER = (
    "index,Encounter ID,Date,OR Suite,Service,CPT Code,CPT Description,Booked Time (min),"
    "OR Schedule,Wheels In,Start Time,End Time,Wheels Out"
)

# Only the tests that read the public data skip without it, each saying which data it needs.
needs_ihtc = pytest.mark.skipif(
    not IHTC_DIR.is_dir(),
    reason=f"IHTC-2024 instances not found in {IHTC_DIR} (set ${ENVIRONMENT_VARIABLE})",
)
needs_or_csv = pytest.mark.skipif(
    not OR_CSV.is_file(),
    reason=f"OR-utilization data not found at {OR_CSV} (set ${ENVIRONMENT_VARIABLE})",
)


def plan_violations(scenario: Scenario) -> list[str]:
    """Every way the planned cases break the contract at full capacity (written independently)."""
    out: list[str] = []
    turnover = scenario.policy.turnover_min
    sessions = {(s.date, s.room_id): s for s in scenario.sessions}
    rooms = {r.room_id: r for r in scenario.rooms}
    windows: dict[tuple[str, dt.date], list[tuple[int, int]]] = defaultdict(list)
    for w in scenario.surgeon_windows:
        windows[w.surgeon_id, w.date].append((w.start, w.end))
    has_windows = {w.surgeon_id for w in scenario.surgeon_windows}
    by_room: dict[tuple[dt.date, str], list[tuple[int, int, str]]] = defaultdict(list)
    by_surgeon: dict[tuple[dt.date, str], list[tuple[int, int, str]]] = defaultdict(list)
    for c in scenario.cases:
        if c.planned_date is None:
            if c.planned_room is not None or c.planned_start is not None:
                out.append(f"{c.case_id}: room or start without a date")
            continue
        assert c.planned_room is not None and c.planned_start is not None, c.case_id
        start, end = c.planned_start, c.planned_start + c.duration_min
        s = sessions.get((c.planned_date, c.planned_room))
        if s is None:
            out.append(f"{c.case_id}: no session of {c.planned_room} on {c.planned_date}")
        elif start < s.start or end > s.end:
            out.append(f"{c.case_id}: outside the session")
        elif s.specialty is not None and s.specialty != c.specialty:
            out.append(f"{c.case_id}: session reserved to {s.specialty}")
        if not rooms[c.planned_room].hosts(c.specialty):
            out.append(f"{c.case_id}: room {c.planned_room} does not host {c.specialty}")
        if c.release_date is not None and c.planned_date < c.release_date:
            out.append(f"{c.case_id}: planned before its release date")
        if c.due_date is not None and c.planned_date > c.due_date:
            out.append(f"{c.case_id}: planned after its due date")
        if c.planned_date < scenario.policy.start_date or c.planned_date > scenario.policy.end_date:
            out.append(f"{c.case_id}: planned outside the horizon")
        if c.surgeon_id in has_windows and not any(
            a <= start and end <= b for a, b in windows[c.surgeon_id, c.planned_date]
        ):
            out.append(f"{c.case_id}: outside its surgeon's windows")
        by_room[c.planned_date, c.planned_room].append((start, end, c.case_id))
        by_surgeon[c.planned_date, c.surgeon_id].append((start, end, c.case_id))
    for spans in by_room.values():
        spans.sort()
        for (_, end_a, a), (start_b, _, b) in zip(spans, spans[1:], strict=False):
            if start_b < end_a + turnover:
                out.append(f"{a} and {b}: less than {turnover} min apart in the room")
    for spans in by_surgeon.values():
        spans.sort()
        for (_, end_a, a), (start_b, _, b) in zip(spans, spans[1:], strict=False):
            if start_b < end_a:
                out.append(f"{a} and {b}: same surgeon at the same time")
    return out


def all_kept_schedule(scenario: Scenario) -> pd.DataFrame:
    """The plan as a schedule.csv: planned cases kept, waiting cases unscheduled."""
    rows = []
    for c in scenario.cases:
        if c.planned_date is None:
            rows.append([c.case_id, "unscheduled", "", "", "", "", "", "", "waiting list"])
            continue
        assert c.planned_start is not None and c.planned_room is not None
        end = c.planned_start + c.duration_min
        rows.append(
            [
                c.case_id,
                "kept",
                c.planned_date.isoformat(),
                c.planned_room,
                f"{c.planned_start // 60:02d}:{c.planned_start % 60:02d}",
                f"{end // 60:02d}:{end % 60:02d}",
                "",
                "0",
                "",
            ]
        )
    cols = ["case_id", "status", "date", "room_id", "start", "end", "partner_id"]
    return pd.DataFrame(rows, columns=[*cols, "delay_days", "reason"], dtype=str)


def assert_round_trip(scenario: Scenario, folder: Path) -> None:
    back = load_scenario(write_scenario(scenario, folder))
    assert back.cases == scenario.cases
    assert back.rooms == scenario.rooms
    assert back.sessions == scenario.sessions
    assert back.surgeon_windows == scenario.surgeon_windows
    assert back.policy == scenario.policy


# -- IHTC-2024 -----------------------------------------------------------


@needs_ihtc
@pytest.mark.parametrize("path", IHTC_FILES, ids=lambda p: p.stem)
def test_ihtc_instances_import_to_a_plan_that_obeys_the_rules(path: Path, tmp_path: Path) -> None:
    """Every public IHTC instance gives one case per patient, its theatres' open days as
    sessions, its surgeons' working days as windows, and a plan obeying the rules."""
    raw = json.loads(path.read_text())
    scenario = import_ihtc(path)
    assert [c.case_id for c in scenario.cases] == [p["id"] for p in raw["patients"]]
    assert len(scenario.sessions) == sum(
        1 for t in raw["operating_theaters"] for m in t["availability"] if m > 0
    )
    assert len(scenario.surgeon_windows) == sum(
        1 for s in raw["surgeons"] for m in s["max_surgery_time"] if m > 0
    )
    assert (scenario.policy.end_date - scenario.policy.start_date).days + 1 == raw["days"]
    assert plan_violations(scenario) == []
    # Every mandatory patient of the public instances fits the first-fit plan.
    assert all(c.planned_date is not None for c in scenario.cases if c.due_date is not None)
    assert_round_trip(scenario, tmp_path / "scenario")


@needs_ihtc
def test_ihtc_toy_mapping_by_hand() -> None:
    """On toy.json: day d is start_date + d, theatre minutes and surgeon limits
    start at 08:00, release and due days become dates, optional patients are P4."""
    start = dt.date(2024, 5, 6)
    scenario = import_ihtc(IHTC_DIR / "toy.json", start_date=start)
    raw = json.loads((IHTC_DIR / "toy.json").read_text())
    assert scenario.policy.start_date == start
    assert scenario.policy.end_date == start + dt.timedelta(days=raw["days"] - 1)
    assert scenario.policy.turnover_min == 0
    t0 = raw["operating_theaters"][0]
    first = next(s for s in scenario.sessions if s.date == start)
    # toy's theatre t0 is open 720 minutes on day 0: 08:00 to 20:00.
    assert (first.room_id, first.start, first.end) == (t0["id"], 480, 480 + 720)
    s0 = raw["surgeons"][0]
    # toy's surgeon s0 is absent on day 0 and works 480 minutes on day 1: 08:00 to 16:00.
    assert s0["max_surgery_time"][:2] == [0, 480]
    window = min(scenario.surgeon_windows, key=lambda w: w.date)
    assert (window.date, window.start, window.end) == (start + dt.timedelta(days=1), 480, 960)
    for p, c in zip(raw["patients"], scenario.cases, strict=True):
        assert c.release_date == start + dt.timedelta(days=p["surgery_release_day"])
        assert c.specialty == "surgery" and c.surgeon_id == p["surgeon_id"]
        assert c.duration_min == p["surgery_duration"]
        if p["mandatory"]:
            assert c.due_date == start + dt.timedelta(days=p["surgery_due_day"])
            assert c.urgency in ("P1b", "P2", "P3")
        else:
            assert c.due_date is None and c.urgency == "P4"


def test_ihtc_urgency_follows_how_long_a_patient_may_wait() -> None:
    """A mandatory patient due within 3 days of release is P1b, within 4 weeks P2, later P3."""

    def patient(release: int, due: int | None) -> IhtcPatient:
        return IhtcPatient("p", due is not None, release, due, 60, "s0")

    assert urgency_of(patient(2, 5)) == "P1b"
    assert urgency_of(patient(2, 6)) == "P2"
    assert urgency_of(patient(0, 28)) == "P2"
    assert urgency_of(patient(0, 29)) == "P3"
    assert urgency_of(patient(4, None)) == "P4"


@needs_ihtc
def test_ihtc_same_seed_same_plan() -> None:
    """The synthesised plan is reproducible: the same seed gives the same scenario."""
    path = IHTC_DIR / "small09.json"
    assert import_ihtc(path, seed=7) == import_ihtc(path, seed=7)
    assert plan_violations(import_ihtc(path, seed=7)) == []


def _instance(days: int, patients: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "days": days,
        "patients": patients,
        "surgeons": extra.get("surgeons", [{"id": "s0", "max_surgery_time": [480] * days}]),
        "operating_theaters": extra.get(
            "operating_theaters", [{"id": "t0", "availability": [480] * days}]
        ),
        "weights": {"patient_delay": 1, "unscheduled_optional": 1},
    }


def test_ihtc_first_fit_leaves_what_does_not_fit_on_the_waiting_list(tmp_path: Path) -> None:
    """One 480-min theatre-day and one surgeon: 300 + 200 min cannot share a day, so the
    optional patient released on day 0 goes to day 1, and a third that only fits day 1
    waits; the mandatory one (due day 0) goes first at 08:00."""
    patients = [
        {"id": "opt", "mandatory": False, "surgery_release_day": 0, "surgery_duration": 200,
         "surgeon_id": "s0"},
        {"id": "mand", "mandatory": True, "surgery_release_day": 0, "surgery_due_day": 0,
         "surgery_duration": 300, "surgeon_id": "s0"},
        {"id": "late", "mandatory": False, "surgery_release_day": 1, "surgery_duration": 400,
         "surgeon_id": "s0"},
    ]  # fmt: skip
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(_instance(2, patients)))
    start = dt.date(2024, 4, 15)
    cases = {c.case_id: c for c in import_ihtc(path).cases}
    assert (cases["mand"].planned_date, cases["mand"].planned_start) == (start, 480)
    day1 = start + dt.timedelta(days=1)
    assert (cases["opt"].planned_date, cases["opt"].planned_start) == (day1, 480)
    assert cases["late"].planned_date is None and cases["late"].planned_room is None


@st.composite
def ihtc_instances(draw: st.DrawFn) -> dict[str, Any]:
    """Small IHTC-like instances with random opening minutes, limits and patients."""
    days = draw(st.integers(1, 5))
    minutes = st.lists(st.sampled_from([0, 120, 240, 480, 600]), min_size=days, max_size=days)
    n_surgeons = draw(st.integers(1, 3))
    surgeons = [{"id": f"s{i}", "max_surgery_time": draw(minutes)} for i in range(n_surgeons)]
    theatres = [
        {"id": f"t{i}", "availability": draw(minutes)} for i in range(draw(st.integers(1, 3)))
    ]
    patients = []
    for i in range(draw(st.integers(0, 12))):
        release = draw(st.integers(0, days - 1))
        p: dict[str, Any] = {
            "id": f"p{i}",
            "mandatory": draw(st.booleans()),
            "surgery_release_day": release,
            "surgery_duration": draw(st.sampled_from([30, 60, 90, 120, 240])),
            "surgeon_id": f"s{draw(st.integers(0, n_surgeons - 1))}",
        }
        if p["mandatory"]:
            p["surgery_due_day"] = draw(st.integers(release, days - 1))
        patients.append(p)
    return _instance(days, patients, surgeons=surgeons, operating_theaters=theatres)


@settings(max_examples=40, deadline=None)
@given(raw=ihtc_instances(), seed=st.integers(0, 3))
def test_ihtc_any_instance_gives_a_plan_that_obeys_the_rules(
    raw: dict[str, Any], seed: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Whatever the opening minutes, surgeon limits and patients, the synthesised plan
    respects sessions, windows, surgeon non-overlap, release and due days."""
    path = tmp_path_factory.mktemp("ihtc") / "instance.json"
    path.write_text(json.dumps(raw))
    scenario = import_ihtc(path, seed=seed)
    assert len(scenario.cases) == len(raw["patients"])
    assert plan_violations(scenario) == []


@pytest.mark.parametrize(
    ("content", "column", "words"),
    [
        ("{not json", None, "not valid JSON"),
        ("[1, 2]", None, "not a JSON object"),
        (json.dumps({"days": 2, "surgeons": [], "operating_theaters": []}), "patients",
         "missing"),
        (json.dumps(_instance(2, [{"id": "p0", "mandatory": True, "surgery_release_day": 0,
                                   "surgery_duration": 60, "surgeon_id": "s0"}])),
         "patients[0].surgery_due_day", "missing"),
        (json.dumps(_instance(2, [{"id": "p0", "mandatory": False, "surgery_release_day": 0,
                                   "surgery_duration": "long", "surgeon_id": "s0"}])),
         "patients[0].surgery_duration", "not a whole number"),
        (json.dumps(_instance(2, [{"id": "p0", "mandatory": False, "surgery_release_day": 0,
                                   "surgery_duration": 60, "surgeon_id": "s9"}])),
         "patients[0].surgeon_id", "not listed"),
        (json.dumps(_instance(2, [], operating_theaters=[{"id": "t0", "availability": [60]}])),
         "operating_theaters[0].availability", "one per day"),
    ],
)  # fmt: skip
def test_ihtc_bad_file_is_named_not_a_traceback(
    content: str, column: str | None, words: str, tmp_path: Path
) -> None:
    """A broken instance raises ScenarioError naming the file, the JSON path and the fault."""
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(ScenarioError) as info:
        import_ihtc(path)
    assert any(
        p.file == str(path) and p.column == column and words in p.message
        for p in info.value.problems
    ), info.value.problems


def test_missing_files_are_bad_input(tmp_path: Path) -> None:
    """A file that is not there is a ScenarioError for either importer."""
    for run in (import_ihtc, import_or_utilization):
        with pytest.raises(ScenarioError, match="file not found"):
            run(tmp_path / "nope")


# -- OR utilization ------------------------------------------------------


@needs_or_csv
def test_or_utilization_quarter_keeps_the_booked_plan() -> None:
    """The whole quarter: one case per row with booked minutes, date and room; the
    turnover the suite books (15 min) is found; few starts are moved, and only later."""
    with OR_CSV.open(newline="") as fh:
        rows = {r["Encounter ID"]: r for r in csv.DictReader(fh)}
    scenario = import_or_utilization(OR_CSV)
    assert len(scenario.cases) == len(rows) == 2172
    assert len(scenario.rooms) == 8 and len({c.specialty for c in scenario.cases}) == 10
    assert len({c.planned_date for c in scenario.cases}) == 62
    assert scenario.policy.turnover_min == 15
    moved = 0
    for c in scenario.cases:
        row = rows[c.case_id]
        booked = dt.datetime.strptime(row["OR Schedule"], "%m/%d/%y %H:%M")
        assert c.planned_date == booked.date()
        assert c.planned_room == f"OR{row['OR Suite']}"
        assert c.specialty == row["Service"]
        assert c.duration_min == int(row["Booked Time (min)"])
        assert c.planned_start is not None
        assert c.planned_start >= booked.hour * 60 + booked.minute
        moved += c.planned_start != booked.hour * 60 + booked.minute
    assert 0 < moved <= 0.03 * len(rows)
    assert f"{moved} booked start(s) moved later" in scenario.warnings[0]
    assert plan_violations(scenario) == []
    urgencies = [c.urgency for c in scenario.cases]
    assert sum(u in ("P3", "P4") for u in urgencies) > 0.7 * len(urgencies)
    assert {"P1b", "P2"} <= set(urgencies) <= {"P1b", "P2", "P3", "P4"}


@needs_or_csv
def test_or_utilization_rooms_host_the_services_they_were_used_for() -> None:
    """A room hosts exactly the services booked in it, and each synthesised surgeon
    works one service in one room on one date."""
    scenario = import_or_utilization(OR_CSV, weeks=3)
    used: dict[str, set[str]] = defaultdict(set)
    surgeon_spots: dict[str, set[tuple[str, str, dt.date | None]]] = defaultdict(set)
    for c in scenario.cases:
        assert c.planned_room is not None
        used[c.planned_room].add(c.specialty)
        surgeon_spots[c.surgeon_id].add((c.specialty, c.planned_room, c.planned_date))
    assert {r.room_id: set(r.specialties) for r in scenario.rooms} == used
    assert all(len(spots) == 1 for spots in surgeon_spots.values())
    assert scenario.surgeon_windows == ()


@needs_or_csv
def test_or_utilization_weeks_keeps_the_first_weeks_and_their_urgency(tmp_path: Path) -> None:
    """weeks=2 keeps the cases of the first 14 days; a case's urgency does not depend
    on how much of the file is imported; the plan obeys the rules and round-trips."""
    full = {c.case_id: c for c in import_or_utilization(OR_CSV, seed=3).cases}
    two = import_or_utilization(OR_CSV, seed=3, weeks=2)
    first = min(c.planned_date for c in full.values() if c.planned_date)
    expected = {
        cid
        for cid, c in full.items()
        if c.planned_date and c.planned_date < first + dt.timedelta(days=14)
    }
    assert {c.case_id for c in two.cases} == expected
    assert all(c.urgency == full[c.case_id].urgency for c in two.cases)
    assert two.policy.start_date == first
    assert two.policy.end_date == max(c.planned_date for c in two.cases if c.planned_date)
    assert plan_violations(two) == []
    assert_round_trip(two, tmp_path / "two-weeks")


def test_or_utilization_overlapping_bookings_are_shifted_minimally(tmp_path: Path) -> None:
    """Rooms 2-5 book six 60-min cases 15 min apart (20 gaps of 15 min); room 1 books
    C over B: the turnover is 15 min, and only C and the case it pushes (D) move.
    By hand, room 1: A 07:00-08:00, B 08:15-09:15, C (30 min, booked 08:30) -> 09:30,
    D (booked 10:00) -> 10:15."""
    lines = [
        OR_HEADER,
        '0,1,1/3/22,1,ENT,1,"x",60,1/3/22 7:00,,,,',
        '1,2,1/3/22,1,ENT,1,"x",60,1/3/22 8:15,,,,',
        '2,3,1/3/22,1,ENT,1,"x",30,1/3/22 8:30,,,,',
        '3,4,1/3/22,1,ENT,1,"x",60,1/3/22 10:00,,,,',
    ]
    for room in range(2, 6):
        for k in range(6):
            start = 7 * 60 + 75 * k
            lines.append(
                f'0,{room}{k:02d},1/3/22,{room},Urology,1,"x",60,'
                f"1/3/22 {start // 60}:{start % 60:02d},,,,"
            )
    path = tmp_path / "or.csv"
    path.write_text("\n".join(lines) + "\n")
    scenario = import_or_utilization(path, date_order="month-first")
    assert scenario.policy.turnover_min == 15
    starts = {c.case_id: c.planned_start for c in scenario.cases}
    assert [starts[cid] for cid in "1234"] == [420, 495, 570, 615]
    assert starts["500"] == 420 and starts["505"] == 420 + 5 * 75
    assert "2 booked start(s) moved later" in scenario.warnings[0]
    assert "kept by 22 of 23 consecutive booked pairs" in scenario.warnings[0]
    # Every room-day ends well before 17:00: the default 07:00-17:00 session.
    assert {(s.start, s.end) for s in scenario.sessions} == {(420, 1020)}
    assert plan_violations(scenario) == []


def test_booked_turnover_is_what_nearly_all_pairs_keep() -> None:
    """The turnover is the 5 % quantile of the booked gaps, down to whole 5 minutes."""
    assert booked_turnover([15] * 97 + [-45] * 3) == 15
    assert booked_turnover([15] * 90 + [-45] * 10) == 0
    assert booked_turnover([22] * 100) == 20
    assert booked_turnover([]) == 30


@pytest.mark.parametrize(
    ("line", "column", "words"),
    [
        ('0,1,13/45/22,1,ENT,1,"x",60,1/3/22 7:00,,,,', "Date", "not a date"),
        ('0,1,1/3/22,1,ENT,1,"x",sixty,1/3/22 7:00,,,,', "Booked Time (min)", "whole minutes"),
        ('0,1,1/3/22,1,ENT,1,"x",60,1/3/22,,,,', "OR Schedule", "date and time"),
        ('0,1,1/3/22,1,ENT,1,"x",60,1/4/22 7:00,,,,', "OR Schedule", "not on 2022-01-03"),
        ('0,1,1/3/22,,ENT,1,"x",60,1/3/22 7:00,,,,', "OR Suite", "empty"),
    ],
)
def test_or_utilization_bad_cell_is_named_by_row_and_column(
    line: str, column: str, words: str, tmp_path: Path
) -> None:
    """A cell that cannot be read is a ScenarioError naming row 2 and its column."""
    path = tmp_path / "or.csv"
    path.write_text(OR_HEADER + "\n" + line + "\n")
    with pytest.raises(ScenarioError) as info:
        import_or_utilization(path, date_order="month-first")
    assert [(p.row, p.column) for p in info.value.problems] == [(2, column)]
    assert words in info.value.problems[0].message


def test_or_utilization_missing_column_is_bad_input(tmp_path: Path) -> None:
    """A file without the booked-minutes column is refused, naming the column."""
    path = tmp_path / "or.csv"
    path.write_text("Encounter ID,Date,OR Suite,Service,OR Schedule\n1,1/3/22,1,ENT,1/3/22 7:00\n")
    with pytest.raises(ScenarioError) as info:
        import_or_utilization(path)
    assert [p.column for p in info.value.problems] == ["Booked Time (min)"]


# -- against the independent checker ----------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("toy", marks=needs_ihtc),
        pytest.param("small09", marks=needs_ihtc),
        pytest.param("i13", marks=needs_ihtc),
        pytest.param("or_utilization", marks=needs_or_csv),
    ],
)
def test_all_kept_plan_passes_the_checker(source: str) -> None:
    """The imported plan, every planned case kept and waiting cases unscheduled, breaks
    no rule of the contract according to the independent checker."""
    from optimizer.check import check_schedule

    if source == "or_utilization":
        scenario = import_or_utilization(OR_CSV, weeks=2)
    else:
        scenario = import_ihtc(IHTC_DIR / f"{source}.json")
    assert check_schedule(scenario, all_kept_schedule(scenario)) == []


# -- command line ----------------------------------------------------------


@needs_ihtc
def test_cli_import_ihtc_writes_a_valid_disrupted_folder(tmp_path: Path) -> None:
    """import-ihtc writes a folder that validate accepts; --disrupt closes sessions
    but keeps every case, --no-disrupt keeps the imported capacity."""
    runner = CliRunner()
    instance = str(IHTC_DIR / "i13.json")
    full, hit = tmp_path / "full", tmp_path / "hit"
    r = runner.invoke(cli, ["import-ihtc", instance, str(full), "--no-disrupt", "--seed", "1"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["import-ihtc", instance, str(hit), "--start-date", "2024-04-16"])
    assert r.exit_code == 0, r.output
    for folder in (full, hit):
        assert runner.invoke(cli, ["validate", str(folder)]).exit_code == 0
    a, b = load_scenario(full), load_scenario(hit)
    assert a.policy.start_date == dt.date(2024, 4, 15)
    assert b.policy.start_date == dt.date(2024, 4, 16)
    assert len(b.sessions) < len(a.sessions) and len(b.cases) == len(a.cases)


@needs_or_csv
def test_cli_import_or_utilization_runs_as_a_module(tmp_path: Path) -> None:
    """python -m optimizer import-or-utilization --weeks 1 writes a folder that validates."""
    out = tmp_path / "or"
    cmd = [sys.executable, "-m", "optimizer"]
    r = subprocess.run(
        [*cmd, "import-or-utilization", str(OR_CSV), str(out), "--weeks", "1"],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    r = subprocess.run([*cmd, "validate", str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


@needs_ihtc
def test_cli_bad_input_exits_2_without_traceback(tmp_path: Path) -> None:
    """A missing instance, a broken CSV or a non-empty output folder: exit 2, the
    problem named, nothing written."""
    runner = CliRunner()
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("Date\n1/3/22\n")
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    cases = [
        (["import-ihtc", str(tmp_path / "nope.json"), str(tmp_path / "o1")], "file not found"),
        (["import-or-utilization", str(bad_csv), str(tmp_path / "o2")], "column is missing"),
        (["import-ihtc", str(IHTC_DIR / "toy.json"), str(busy)], "not empty"),
    ]
    for args, words in cases:
        r = runner.invoke(cli, args)
        assert r.exit_code == 2, r.output
        assert words in r.output and "Traceback" not in r.output
    assert not (tmp_path / "o1").exists() and not (tmp_path / "o2").exists()
    assert [p.name for p in busy.iterdir()] == ["notes.txt"]


@needs_or_csv
def test_plan_check_of_these_tests_catches_a_broken_plan() -> None:
    """The tests' own rule check is not vacuous: a longer turnover than the suite books
    and a surgeon moved into another room's cases are both reported."""
    scenario = import_or_utilization(OR_CSV, weeks=1)
    tighter = scenario.model_copy(
        update={"policy": scenario.policy.model_copy(update={"turnover_min": 30})}
    )
    assert any("less than 30 min apart" in v for v in plan_violations(tighter))
    one_surgeon = scenario.model_copy(
        update={"cases": tuple(c.model_copy(update={"surgeon_id": "x"}) for c in scenario.cases)}
    )
    assert any("same surgeon" in v for v in plan_violations(one_surgeon))

"""``export --format ics``: one calendar per room, parsed by icalendar, one event per case
operated there."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from pathlib import Path

from icalendar import Calendar

from optimizer import solve, write_result
from optimizer.export import export_result
from optimizer.export.ics import file_name, file_names
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session
from tests.support.export_fixtures import CLOSED, D1, NOW, RISKY, read_rows

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
HERE = {"kept", "postponed", "scheduled"}


def test_one_calendar_per_room_with_its_operations(export_folder: Path, tmp_path: Path):
    """Each room's file parses, holds the time zone and exactly the cases schedule.csv
    operates in that room, at their clock times in Paris."""
    out = tmp_path / "cal"
    export_result(export_folder, "ics", out, now=NOW.replace(tzinfo=PARIS))
    names = file_names(["R1", CLOSED])
    assert sorted(p.name for p in out.iterdir()) == sorted(names.values())
    schedule = [r for r in read_rows(export_folder / "schedule.csv") if r["status"] in HERE]
    seen = []
    for room, name in names.items():
        cal = Calendar.from_ical((out / name).read_bytes())
        assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
        events = cal.walk("VEVENT")
        rows = {r["case_id"]: r for r in schedule if r["room_id"] == room}
        uids = [str(e["UID"]).removesuffix("@or-rescheduler") for e in events]
        assert sorted(uids) == sorted(rows)
        for event, uid in zip(events, uids, strict=True):
            row = rows[uid]
            start = dt.datetime.fromisoformat(f"{row['date']}T{row['start']}").replace(tzinfo=PARIS)
            assert event.decoded("DTSTART") == start
            assert event.decoded("DTSTART").utcoffset() == dt.timedelta(hours=2)
            assert str(event["LOCATION"]) == room
        starts = [e.decoded("DTSTART") for e in events]
        assert starts == sorted(starts)  # in time order
        seen += uids
    assert sorted(seen) == sorted(r["case_id"] for r in schedule)  # each case once
    assert RISKY in seen


def test_file_names_are_safe_and_distinct():
    """A room id with a slash, a space, a reserved name or only a case difference still
    gets its own plain file name."""
    assert file_name("R1") == "R1.ics"
    assert file_name("Salle 2/B").startswith("Salle_2_B-") and "/" not in file_name("Salle 2/B")
    assert file_name("../etc") != "../etc.ics" and "/" not in file_name("../etc")
    assert file_name("CON") != "CON.ics"
    names = file_names(["OR 1", "OR_1", "or1", "OR1", ""])
    assert len({n.lower() for n in names.values()}) == 5
    assert all("/" not in n and not n.startswith(".") for n in names.values())


def test_calendar_name_of_a_risky_room_is_escaped_text(tmp_path: Path):
    """Regression: ``X-WR-CALNAME`` was written unescaped, so a room id with a comma or a
    semicolon broke RFC 5545's TEXT, and one with a line break made icalendar raise
    an AssertionError (no export at all). Every line now is at most 75 octets, and the
    name reads back as the room's."""
    room = 'Salle 3, étage; "B"\nnord'
    case = Case(case_id="C1", specialty="gen", surgeon_id="S1", duration_min=60, urgency="P2",
                planned_date=D1, planned_room=room, planned_start=480)  # fmt: skip
    scenario = Scenario(
        cases=(case,), rooms=(Room(room_id=room),),
        sessions=(Session(date=D1, room_id=room, start=480, end=720),),
        policy=Policy(start_date=D1, end_date=D1),
    )  # fmt: skip
    folder = write_result(solve(scenario, workers=1, work_limit=1, seed=0), tmp_path / "res")
    out = tmp_path / "cal"
    export_result(folder, "ics", out, now=NOW.replace(tzinfo=PARIS))
    (data,) = [p.read_bytes() for p in out.iterdir()]
    assert b'X-WR-CALNAME:Room Salle 3\\, \xc3\xa9tage\\; "B"\\nnord\r\n' in data
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    Calendar.from_ical(data)  # parses
    unfolded = data.decode("utf-8").replace("\r\n ", "")
    (name,) = [s for s in unfolded.split("\r\n") if s.startswith("X-WR-CALNAME:")]
    text = re.sub(r"\\([\\;,nN])", lambda m: m[1].replace("n", "\n").replace("N", "\n"), name)
    assert text.removeprefix("X-WR-CALNAME:") == f"Room {room}"  # RFC 5545's TEXT, read back


def test_event_summary_names_specialty_and_class_in_the_policys_language(tmp_path: Path):
    """Regression (QA): a French calendar's events read "Intervention C1 : orthopaedics
    (EMERGENCY)", the ids in English inside French words; the summary now names them as the
    report does ("orthopédie", "urgence"), and CATEGORIES keeps the specialty's id."""
    case = Case(case_id="C1", specialty="orthopaedics", surgeon_id="S1", duration_min=60,
                urgency="EMERGENCY", planned_date=D1, planned_room="R1",
                planned_start=480)  # fmt: skip
    scenario = Scenario(
        cases=(case,), rooms=(Room(room_id="R1"),),
        sessions=(Session(date=D1, room_id="R1", start=480, end=720),),
        policy=Policy(start_date=D1, end_date=D1, language="fr"),
    )  # fmt: skip
    folder = write_result(solve(scenario, workers=1, work_limit=1, seed=0), tmp_path / "res")
    out = tmp_path / "cal"
    export_result(folder, "ics", out, now=NOW.replace(tzinfo=PARIS))
    (event,) = Calendar.from_ical((out / "R1.ics").read_bytes()).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Intervention C1 : orthopédie (urgence)"
    assert event["CATEGORIES"].cats == ["orthopaedics"]

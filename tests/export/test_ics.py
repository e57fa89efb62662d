"""``export --format ics``: one calendar per room, parsed by icalendar, one event per case
operated there."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

from icalendar import Calendar

from optimizer.export import export_result
from optimizer.export.ics import file_name, file_names
from tests.support.export_fixtures import CLOSED, NOW, RISKY, read_rows

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

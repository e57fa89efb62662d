"""``export --format fhir``: a transaction Bundle the FHIR models read, with exactly the
appointments the contract says."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from pathlib import Path
from urllib.parse import unquote

from fhir.resources.R4B.appointment import Appointment
from fhir.resources.R4B.bundle import Bundle

from optimizer import solve, write_result
from optimizer.export import export_result
from optimizer.export.fhir import CASE_SYSTEM, fhir_id
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session
from tests.support.export_fixtures import (
    NOW,
    RISKY,
    read_rows,
    write_export_result,
)

FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}\Z")
HERE = {"kept", "postponed", "scheduled"}


def export_bundle(folder: Path, out: Path, zone: str = "Europe/Paris") -> Bundle:
    export_result(folder, "fhir", out, now=NOW.replace(tzinfo=zoneinfo.ZoneInfo(zone)))
    return Bundle.model_validate_json(out.read_text(encoding="utf-8"))


def appointments(bundle: Bundle) -> dict[str, Appointment]:
    out = {}
    for entry in bundle.entry:
        resource = entry.resource
        assert isinstance(resource, Appointment)
        (identifier,) = resource.identifier
        assert identifier.system == CASE_SYSTEM
        out[identifier.value] = resource
    return out


def test_bundle_holds_every_case_operated_here_or_called(export_folder: Path, tmp_path: Path):
    """One Appointment per case operated here (booked) or whose appointment here is gone
    (cancelled, with why): the waiting case operated here is in, no case twice."""
    bundle = export_bundle(export_folder, tmp_path / "b.json")
    assert bundle.type == "transaction"
    schedule = {r["case_id"]: r for r in read_rows(export_folder / "schedule.csv")}
    called = {r["case_id"] for r in read_rows(export_folder / "calls.csv")}
    expected = {cid for cid, r in schedule.items() if r["status"] in HERE} | called
    got = appointments(bundle)
    assert len(bundle.entry) == len(got) == len(expected)
    assert set(got) == expected
    assert RISKY in got and "W1" in got and "LONG" in got  # "W1" waited; "LONG": no date
    for cid, appointment in got.items():
        row = schedule[cid]
        if row["status"] in HERE:
            assert appointment.status == "booked"
            assert appointment.cancelationReason is None
        else:
            assert appointment.status == "cancelled"
            assert appointment.cancelationReason.text == row["reason"]
        assert appointment.serviceType[0].text == "gen"


def test_each_entry_is_a_conditional_update_on_the_case_id(export_folder: Path, tmp_path: Path):
    """PUT Appointment?identifier=SYSTEM|ID, the id as written once the URL is decoded."""
    bundle = export_bundle(export_folder, tmp_path / "b.json")
    for entry in bundle.entry:
        assert entry.request.method == "PUT"
        base, _, query = entry.request.url.partition("?")
        assert base == "Appointment"
        system, _, value = unquote(query.removeprefix("identifier=")).partition("|")
        assert system == CASE_SYSTEM
        assert value == entry.resource.identifier[0].value


def test_times_carry_the_hospitals_offset(export_folder: Path, tmp_path: Path):
    """A booked appointment starts and ends at the schedule's clock times, with Paris's
    summer offset (+02:00 in April); a cancelled one keeps the slot the patient held."""
    bundle = export_bundle(export_folder, tmp_path / "b.json")
    got = appointments(bundle)
    schedule = {r["case_id"]: r for r in read_rows(export_folder / "schedule.csv")}
    for cid, row in schedule.items():
        if row["status"] in HERE:
            start = dt.datetime.fromisoformat(f"{row['date']}T{row['start']}:00+02:00")
            end = dt.datetime.fromisoformat(f"{row['date']}T{row['end']}:00+02:00")
            assert (got[cid].start, got[cid].end) == (start, end)
            assert got[cid].start.utcoffset() == dt.timedelta(hours=2)
    b1 = got["B1"]  # transferred: held Salle 2/B 08:00 on 16/04, 90 min
    assert b1.start == dt.datetime.fromisoformat("2024-04-16T08:00:00+02:00")
    assert b1.end == dt.datetime.fromisoformat("2024-04-16T09:30:00+02:00")


def test_participants_are_the_case_surgeon_and_room_as_valid_fhir_ids(
    export_folder: Path, tmp_path: Path
):
    """Patient/<case>, Practitioner/<surgeon>, Location/<room>; an id FHIR does not allow
    (a space, a slash, an accent) is encoded, the same way every time."""
    bundle = export_bundle(export_folder, tmp_path / "b.json")
    got = appointments(bundle)
    risky = [p.actor.reference for p in got[RISKY].participant]
    assert risky == [f"Patient/{fhir_id(RISKY)}", "Practitioner/SB3",
                     f"Location/{fhir_id('Salle 2/B')}"]  # fmt: skip
    assert fhir_id(RISKY) == fhir_id(RISKY) != RISKY
    assert fhir_id("R1") == "R1"
    for appointment in got.values():
        for p in appointment.participant:
            kind, _, ident = p.actor.reference.partition("/")
            assert kind in {"Patient", "Practitioner", "Location"}
            assert FHIR_ID.match(ident), ident


def test_the_offset_follows_the_policy_timezone(tmp_path: Path):
    """policy.toml ``timezone = "America/Guadeloupe"``: the same clock times at -04:00."""
    folder = write_export_result(tmp_path / "r", timezone="America/Guadeloupe")
    got = appointments(export_bundle(folder, tmp_path / "b.json", "America/Guadeloupe"))
    assert got["A1"].start == dt.datetime.fromisoformat("2024-04-16T08:00:00-04:00")
    assert got["A1"].start.utcoffset() == dt.timedelta(hours=-4)


def test_a_specialty_with_two_spaces_is_still_a_code(tmp_path: Path):
    """Regression: a specialty typed with two spaces (``general  surgery``, which the files
    and the data model accept) made the export raise pydantic's ValidationError: a FHIR
    code holds single spaces only. The code is now the specialty with its spaces
    collapsed; the text stays the specialty as written."""
    d = dt.date(2024, 4, 16)
    case = Case(case_id="C1", specialty="general  surgery", surgeon_id="S1", duration_min=60,
                urgency="P2", planned_date=d, planned_room="R1", planned_start=480)  # fmt: skip
    scenario = Scenario(
        cases=(case,), rooms=(Room(room_id="R1"),),
        sessions=(Session(date=d, room_id="R1", start=480, end=720),),
        policy=Policy(start_date=d, end_date=d),
    )  # fmt: skip
    folder = write_result(solve(scenario, workers=1, work_limit=1, seed=0), tmp_path / "res")
    (service,) = appointments(export_bundle(folder, tmp_path / "b.json"))["C1"].serviceType
    assert service.text == "general  surgery"
    assert [c.code for c in service.coding] == ["general surgery"]

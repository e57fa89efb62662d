"""``export --format hl7``: one SIU message per row of calls.csv, each parsed by hl7apy."""

from __future__ import annotations

import shutil
import zoneinfo
from pathlib import Path

from hl7apy.core import Message
from hl7apy.parser import parse_message

from optimizer.export import export_result
from tests.support.export_fixtures import CLOSED, NOW, RISKY, hl7_unescape, read_rows

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def export_messages(folder: Path, out: Path) -> list[Message]:
    export_result(folder, "hl7", out, now=NOW.replace(tzinfo=PARIS))
    data = out.read_bytes().decode("utf-8")
    texts = data.split("\r\r")
    assert texts[-1] == ""  # the last message ends with its blank line too
    return [parse_message(t, find_groups=True) for t in texts[:-1]]


def segments(message: Message) -> list[str]:
    names = []
    for child in message.children:
        if child.classname == "Group":
            for grand in child.children:
                if grand.classname == "Group":
                    names += [s.name for s in grand.children]
                else:
                    names.append(grand.name)
        else:
            names.append(child.name)
    return names


def value(field: object) -> str:
    return hl7_unescape(str(field.to_er7()))  # type: ignore[attr-defined]


def test_one_message_per_call_with_the_event_its_change_needs(export_folder: Path, tmp_path: Path):
    """S12 for a waiting-list patient given a date who held none (W1), S13 for a new slot
    here (B2, the risky id, and N1: planned, left without an appointment by an earlier
    revision, it is no waiting-list case), S15 for a transfer (B1) or no date (LONG);
    calls.csv's order kept."""
    messages = export_messages(export_folder, tmp_path / "m.hl7")
    calls = read_rows(export_folder / "calls.csv")
    assert len(messages) == len(calls)
    events = {}
    for message, call in zip(messages, calls, strict=True):
        assert message.name == "SIU_S12"  # the structure all three events share
        assert value(message.msh.msh_12) == "2.5"
        pid = message.siu_s12_patient.pid
        assert value(pid.pid_3) == call["case_id"]  # patient id = case id, as written
        events[call["case_id"]] = value(message.msh.msh_9)
    assert events == {
        "B1": "SIU^S15^SIU_S12",
        "B2": "SIU^S13^SIU_S12",
        "LONG": "SIU^S15^SIU_S12",
        RISKY: "SIU^S13^SIU_S12",
        "N1": "SIU^S13^SIU_S12",
        "W1": "SIU^S12^SIU_S12",
    }
    controls = [value(m.msh.msh_10) for m in messages]
    assert len(set(controls)) == len(controls)


def test_each_message_names_the_slot_the_surgeon_and_the_room(export_folder: Path, tmp_path: Path):
    """MSH, SCH, PID, RGS, AIL (room), AIP (surgeon); the new slot for a booking, the
    slot held for a cancellation, with the hospital's offset."""
    messages = export_messages(export_folder, tmp_path / "m.hl7")
    calls = {r["case_id"]: r for r in read_rows(export_folder / "calls.csv")}
    for message in messages:
        assert segments(message) == ["MSH", "SCH", "PID", "RGS", "AIL", "AIP"]
        cid = value(message.siu_s12_patient.pid.pid_3)
        call = calls[cid]
        resources = message.siu_s12_resources
        ail = resources.siu_s12_location_resource.ail
        aip = resources.siu_s12_personnel_resource.aip
        assert value(aip.aip_3) == call["surgeon_id"]
        here = call["status"] not in ("transferred", "unscheduled")
        date, room, start = (
            (call["new_date"], call["new_room"], call["new_start"]) if here
            else (call["old_date"], call["old_room"], call["old_start"])
        )  # fmt: skip
        assert value(ail.ail_3.pl_2) == room
        stamp = date.replace("-", "") + start.replace(":", "") + "+0200"
        assert value(message.sch.sch_11.tq_4) == stamp
        assert value(ail.ail_6) == value(aip.aip_6) == stamp
        assert value(message.sch.sch_25) == ("Booked" if here else "Cancelled")
    b3 = next(m for m in messages if value(m.siu_s12_patient.pid.pid_3) == RISKY)
    assert value(b3.siu_s12_resources.siu_s12_location_resource.ail.ail_3.pl_2) == CLOSED


def test_a_value_cannot_break_out_of_its_field(export_folder: Path, tmp_path: Path):
    """The risky id (every separator of HL7, a backslash) is escaped: the message still
    has its six segments and the id reads back whole."""
    out = tmp_path / "m.hl7"
    export_result(export_folder, "hl7", out, now=NOW.replace(tzinfo=PARIS))
    raw = out.read_text(encoding="utf-8")
    assert RISKY not in raw
    assert raw.count("MSH|") == len(read_rows(export_folder / "calls.csv"))


def _fields(text: str, segment: str) -> list[str]:
    """The fields of ``segment`` in one message's ER7 text: index k is ``SEG-k`` (a ``|``
    inside a value is escaped, so splitting on it is safe)."""
    [line] = [s for s in text.split("\r") if s.startswith(segment + "|")]
    return line.split("|")


def test_the_names_the_data_does_not_hold_stay_empty(export_folder: Path, tmp_path: Path):
    """PID-5 (the patient's name), SCH-16 (filler contact person) and SCH-20 (entered by
    person) are empty in every message, as the module says: the result names no person.
    The identifiers they stand beside are there (PID-3, SCH-1, SCH-6)."""
    out = tmp_path / "m.hl7"
    messages = export_messages(export_folder, out)
    texts = out.read_bytes().decode("utf-8").split("\r\r")[:-1]
    assert len(texts) == len(messages) == len(read_rows(export_folder / "calls.csv"))
    for text, message in zip(texts, messages, strict=True):
        pid, sch = _fields(text, "PID"), _fields(text, "SCH")
        assert pid[5:6] in ([], [""]), pid
        assert sch[16] == sch[20] == "", sch
        assert value(message.siu_s12_patient.pid.pid_5) == ""
        assert value(message.sch.sch_16) == value(message.sch.sch_20) == ""
        assert pid[3] and sch[1] and sch[6]
        assert value(message.siu_s12_patient.pid.pid_3) == hl7_unescape(pid[3])


def test_a_long_reason_is_cut_to_the_length_v2_5_allows(export_folder: Path, tmp_path: Path):
    """SCH-6.2 (the event reason's text) holds at most 199 characters in HL7 v2.5: a reason
    longer than that (the demo's run to 575) is cut, an ellipsis at its end."""
    from optimizer.export.hl7 import CE_TEXT_MAX, _cut

    assert _cut("x" * 575, CE_TEXT_MAX) == "x" * 198 + "…"
    assert _cut("short", CE_TEXT_MAX) == "short"
    for message in export_messages(export_folder, tmp_path / "m.hl7"):
        assert len(value(message.sch.sch_6.ce_2)) <= CE_TEXT_MAX


def test_planned_patient_left_without_appointment_is_rescheduled_not_new(
    export_folder: Path, tmp_path: Path
):
    """Regression (QA, bug 1): a planned case that an outcome left without an appointment
    (cancelled on the day, declined: calls.csv's old cells empty) and is given a date again
    was sent SIU^S12, the event of a waiting-list case given a date; it is SIU^S13, and its
    resources are updated (U), not added (A). W1, never planned, stays an S12."""
    messages = export_messages(export_folder, tmp_path / "m.hl7")
    by_case = {value(m.siu_s12_patient.pid.pid_3): m for m in messages}
    calls = {r["case_id"]: r for r in read_rows(export_folder / "calls.csv")}
    assert calls["N1"]["old_date"] == "" and calls["N1"]["status"] == "postponed"
    n1 = by_case["N1"]
    assert value(n1.msh.msh_9) == "SIU^S13^SIU_S12"
    assert value(n1.siu_s12_resources.rgs.rgs_2) == "U"
    assert value(by_case["W1"].msh.msh_9) == "SIU^S12^SIU_S12"


def test_control_ids_are_stable_for_a_folder_and_apart_between_folders(
    export_folder: Path, tmp_path: Path
):
    """Regression (QA exports): MSH-10 was the second of the export and a counter
    (``20240416063000000001``...): the nightly job exporting two result folders (a re-plan
    and an insert) in the same second sent two different messages under one control id,
    which a receiver drops as a duplicate; and the same folder exported again (a retried
    job) got new ids, so a receiver could not tell a resent message from a new one. The id
    is now a digest of the folder's messages: the same folder gives the same ids whatever
    the time, another folder other ids, each at most the 20 characters of v2.5's MSH-10."""
    first = [value(m.msh.msh_10) for m in export_messages(export_folder, tmp_path / "a.hl7")]
    later = tmp_path / "b.hl7"
    export_result(export_folder, "hl7", later, now=NOW.replace(tzinfo=PARIS, hour=23))
    again = [value(m.msh.msh_10) for m in (parse_message(t, find_groups=True)
             for t in later.read_bytes().decode("utf-8").split("\r\r")[:-1])]  # fmt: skip
    assert again == first and len(set(first)) == len(first)
    assert all(0 < len(c) <= 20 for c in first)
    other = tmp_path / "other"
    shutil.copytree(export_folder, other)
    calls = other / "calls.csv"
    lines = calls.read_bytes().split(b"\n")
    calls.write_bytes(b"\n".join(lines[:1] + lines[2:]))  # one call fewer: another export
    others = [value(m.msh.msh_10) for m in export_messages(other, tmp_path / "c.hl7")]
    assert len(others) == len(first) - 1
    assert not set(others) & set(first)

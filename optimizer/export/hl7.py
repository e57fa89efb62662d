"""HL7 v2.5 SIU messages for the changed appointments, built with ``hl7apy``.

One message per row of ``calls.csv``: ``SIU^S12`` (new appointment) for a
waiting-list case given a date while it held none, ``SIU^S13`` (rescheduled) for a new
date or slot here (a planned case too that an outcome had left without an appointment:
cancelled on the day, declined; it is no waiting-list case), ``SIU^S15`` (cancelled)
for a case transferred or left without a date. Each holds ``MSH``, ``SCH``, ``PID``
(patient id = case id), ``RGS``, ``AIL`` (the room) and ``AIP`` (the surgeon), in the
order of the SIU_S12 structure that all three events share.

Segments end with a carriage return, as HL7 wants; messages are separated
by an empty segment, which reads as a blank line. Every text is escaped
(``|^~\\&``) and a line break in it becomes a space, so no value can start
a segment of its own. ``PID-5`` (the patient's name) stays empty: the data
holds no names, and the systems match the patient on ``PID-3``. ``SCH-16``
(filler contact person) and ``SCH-20`` (entered by person) stay empty too:
a result folder names neither, and a made-up person would be worse than none.
HL7 v2.5 marks all three required; a receiving interface that insists fills
them from its own configuration.

``MSH-10`` (message control id) is a digest of the message and of the whole export,
not of the clock: the same result folder gives the same ids on every run (a retried
job resends what a receiver can recognise), and two folders exported in the same
second do not share one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from hl7apy import v2_5
from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.core import Message

from ..result.calls import on_waiting_list
from .appointments import Call, Decisions, TimedSlot

SENDING_APPLICATION = "OR-RESCHEDULER"
CE_TEXT_MAX = 199  # HL7 v2.5's length of a CE's text (CE-2), SCH-6's included
CONTROL_ID_LENGTH = 20  # HL7 v2.5's length of MSH-10
SEGMENT_END = "\r"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def event_of(call: Call) -> str:
    """The SIU trigger event of a call: S12, S13 or S15 (see the module's docstring)."""
    if call.new is None:
        return "S15"
    return "S12" if call.old is None and on_waiting_list(call.case) else "S13"


def messages(decisions: Decisions, now: dt.datetime) -> list[str]:
    """The messages, in the order of ``calls.csv``, each as ER7 text (segments joined by
    carriage returns); ``now`` is the time of the messages (``MSH-7``)."""
    built = [_message(call) for call in decisions.calls]
    # the control ids are digests of what is sent, built before MSH-7 and MSH-10 are set
    bodies = [str(m.to_er7()).encode("utf-8") for m in built]
    export = hashlib.sha256(decisions.folder.scenario.policy.start_date.isoformat().encode())
    for body in bodies:
        export.update(hashlib.sha256(body).digest())
    texts = []
    for n, (m, body) in enumerate(zip(built, bodies, strict=True)):
        digest = hashlib.sha256(export.digest() + n.to_bytes(8, "big") + body)
        m.msh.msh_7.ts_1 = now.strftime("%Y%m%d%H%M%S%z")
        m.msh.msh_10 = digest.hexdigest()[:CONTROL_ID_LENGTH].upper()
        texts.append(str(m.to_er7()).replace("\r", SEGMENT_END))
    return texts


def hl7_text(decisions: Decisions, now: dt.datetime) -> str:
    """The file: the messages, separated by a blank line."""
    return "".join(m + SEGMENT_END + SEGMENT_END for m in messages(decisions, now))


def _message(call: Call) -> Message:
    """The message of ``call``, its time (``MSH-7``) and control id (``MSH-10``) not set."""
    event = event_of(call)
    action = {"S12": "A", "S13": "U", "S15": "D"}[event]
    slot = call.new if call.new is not None else call.old
    m = Message("SIU_S12", version="2.5", validation_level=VALIDATION_LEVEL.TOLERANT)
    m.msh.msh_3.hd_1 = SENDING_APPLICATION
    m.msh.msh_9 = f"SIU^{event}^SIU_S12"
    # hl7apy would put the clock and a random id there; messages() sets the time and digest
    m.msh.msh_7.ts_1 = "0"
    m.msh.msh_10 = "0"
    m.msh.msh_11.pt_1 = "P"
    m.msh.msh_18 = "UNICODE UTF-8"

    sch = m.add_segment("SCH")
    sch.sch_1.ei_1 = _text(call.case.case_id)  # placer appointment id: the case
    sch.sch_6.ce_1 = _text(call.status)  # event reason
    if call.reason:  # CE-2 holds at most 199 characters in v2.5: the reason cut to fit
        sch.sch_6.ce_2 = _text(_cut(call.reason, CE_TEXT_MAX))
    sch.sch_9 = str(call.case.duration_min)
    sch.sch_10.ce_1 = "min"
    _timing(sch.sch_11, slot)
    sch.sch_25.ce_1 = "Cancelled" if event == "S15" else "Booked"

    patient = m.add_group("SIU_S12_PATIENT")
    pid = patient.add_segment("PID")
    pid.pid_1 = "1"
    pid.pid_3.cx_1 = _text(call.case.case_id)

    resources = m.add_group("SIU_S12_RESOURCES")
    rgs = resources.add_segment("RGS")
    rgs.rgs_1 = "1"
    rgs.rgs_2 = action
    ail = resources.add_group("SIU_S12_LOCATION_RESOURCE").add_segment("AIL")
    ail.ail_1 = "1"
    ail.ail_2 = action
    if slot is not None and slot.room:
        ail.ail_3.pl_2 = v2_5.IS(_clean(slot.room))
    ail.ail_4.ce_1 = "OR"  # an operating room
    _start(ail.ail_6, ail.ail_9, ail.ail_10, slot, call)
    aip = resources.add_group("SIU_S12_PERSONNEL_RESOURCE").add_segment("AIP")
    aip.aip_1 = "1"
    aip.aip_2 = action
    aip.aip_3.xcn_1 = _text(call.case.surgeon_id)
    aip.aip_4.ce_1 = "SURGEON"
    _start(aip.aip_6, aip.aip_9, aip.aip_10, slot, call)
    return m


def _timing(field: object, slot: TimedSlot | None) -> None:
    """``SCH-11``: the start and end of the slot (TQ components 4 and 5)."""
    if slot is not None and slot.start is not None:
        field.tq_4.ts_1 = _instant(slot.start)  # type: ignore[attr-defined]
    if slot is not None and slot.end is not None:
        field.tq_5.ts_1 = _instant(slot.end)  # type: ignore[attr-defined]


def _start(
    start: object, duration: object, units: object, slot: TimedSlot | None, call: Call
) -> None:
    """A resource's start (``AIx-6``), duration (``AIx-9``) and its unit (``AIx-10``)."""
    if slot is None or slot.start is None:
        return
    start.ts_1 = _instant(slot.start)  # type: ignore[attr-defined]
    duration.value = str(call.case.duration_min)  # type: ignore[attr-defined]
    units.ce_1 = "min"  # type: ignore[attr-defined]


def _instant(moment: dt.datetime) -> str:
    """An HL7 time with the hospital's offset: ``202404150800+0200``."""
    return moment.strftime("%Y%m%d%H%M%z")


def _clean(text: str) -> str:
    """A value on one line, its escape character escaped (hl7apy escapes the separators,
    but leaves a backslash that looks like an escape sequence as it is)."""
    return _CONTROL.sub(" ", text).replace("\\", "\\E\\")


def _cut(text: str, most: int) -> str:
    """``text``, cut to ``most`` characters (the last one an ellipsis) when longer."""
    return text if len(text) <= most else text[: most - 1] + "…"


def _text(text: str) -> v2_5.ST:
    return v2_5.ST(_clean(text))

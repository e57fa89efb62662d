"""A FHIR R4 transaction Bundle of Appointments, built and checked with ``fhir.resources``.

R4B's models serve: their ``Appointment`` is R4's (``fhir.resources`` no
longer ships R4 for pydantic 2). Each entry is a conditional update on the
case's identifier (``PUT Appointment?identifier=SYSTEM|ID``), so the server
creates the appointment the first time and updates it after every re-plan.

A re-planned folder's ``done.csv`` adds the cases that left the list that morning,
which its scenario no longer holds: ``withdrawn`` and ``transferred`` ones are sent
``cancelled`` (why in ``cancelationReason``, coded with their ``done.csv`` status), a case
operated (``done``) is sent ``fulfilled`` at its slot. Only what ``done.csv`` says is
written: no ``start`` without the slot's start (a withdrawn case, one reported done
before its day), no surgeon nor specialty. A case reported done without its slot is
left out: FHIR allows no ``fulfilled`` appointment without its start and end, and any
other status would be false.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from typing import Any
from urllib.parse import quote

from fhir.resources.R4B.bundle import Bundle

from .. import i18n
from ..facts.schedule_file import DONE, TRANSFERRED, WITHDRAWN
from .appointments import Appointment, Decisions, Left, TimedSlot

CASE_SYSTEM = "urn:or-rescheduler:case-id"  # the identifier system of the case ids
SPECIALTY_SYSTEM = "urn:or-rescheduler:specialty"
CAUSE_SYSTEM = "urn:or-rescheduler:cause"  # the codes of schedule.csv's ``cause``
LEFT_SYSTEM = "urn:or-rescheduler:done-status"  # the codes of done.csv's ``status``
_FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}\Z")
_NAMESPACE = uuid.UUID("6f1c9a52-6b7e-4d1e-9a3c-2f1f4f0f2a11")  # fullUrls of this tool


def fhir_id(value: str) -> str:
    """``value`` itself when it is a valid FHIR id, else a stable encoding of it.

    A FHIR id is 1 to 64 letters, digits, ``-`` and ``.``; any other id (a
    space, an accent, a slash) becomes ``x-`` and 40 hex digits of its SHA-256,
    the same for the same id on every run.
    """
    if _FHIR_ID.match(value) and not value.startswith("x-"):
        return value
    return "x-" + hashlib.sha256(value.encode("utf-8")).hexdigest()[:40]


def bundle_json(decisions: Decisions, now: dt.datetime) -> str:
    """The Bundle, as JSON: one entry per case operated here or whose appointment changed,
    then one per case that left the list that morning (see the module's docstring)."""
    lang = decisions.folder.scenario.policy.language
    entries = [_entry(a.case.case_id, _appointment(a)) for a in decisions.exported]
    entries += [_entry(gone.case_id, _left(gone, lang)) for gone in sent_left(decisions)]
    bundle = Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "type": "transaction",
            "timestamp": now.isoformat(timespec="seconds"),
            "entry": entries,
        }
    )
    return bundle.model_dump_json(indent=2) + "\n"


def sent_left(decisions: Decisions) -> tuple[Left, ...]:
    """The cases that left the list that the Bundle speaks of: all but one reported done
    without its slot."""
    return tuple(gone for gone in decisions.left if gone.status != DONE or gone.fulfilled)


def _entry(case_id: str, resource: dict[str, Any]) -> dict[str, Any]:
    return {
        "fullUrl": f"urn:uuid:{uuid.uuid5(_NAMESPACE, case_id)}",
        "resource": resource,
        "request": {
            "method": "PUT",
            "url": f"Appointment?identifier={quote(CASE_SYSTEM, safe=':')}|"
            f"{quote(case_id, safe='')}",
        },
    }


def _appointment(a: Appointment) -> dict[str, Any]:
    """An R4 ``Appointment``: booked where it is operated, cancelled (with why) where its
    appointment here is gone."""
    case = a.case
    resource: dict[str, Any] = {
        "resourceType": "Appointment",
        "identifier": [{"system": CASE_SYSTEM, "value": case.case_id}],
        "status": "booked" if a.booked else "cancelled",
        "serviceType": [
            {
                # a FHIR code holds no run of whitespace: "general  surgery" is one space apart
                "coding": [{"system": SPECIALTY_SYSTEM, "code": " ".join(case.specialty.split())}],
                "text": case.specialty,
            }
        ],
        "minutesDuration": case.duration_min,
    }
    if not a.booked:
        reason: dict[str, Any] = {"text": a.reason or a.status}
        if a.cause:
            reason["coding"] = [{"system": CAUSE_SYSTEM, "code": a.cause}]
        resource["cancelationReason"] = reason
    _timing(resource, a.slot)
    if a.booked and a.reason:
        resource["comment"] = a.reason
    status = "accepted" if a.booked else "needs-action"  # the patient is to be called
    people = [f"Patient/{fhir_id(case.case_id)}", f"Practitioner/{fhir_id(case.surgeon_id)}"]
    resource["participant"] = _participants(people, a.slot, status)
    return resource


def _left(gone: Left, lang: i18n.Lang) -> dict[str, Any]:
    """The ``Appointment`` of a case that left the list: ``fulfilled`` where it was operated,
    else ``cancelled`` with why; the patient (no surgeon: ``done.csv`` names none) and the
    room when the row gives it."""
    resource: dict[str, Any] = {
        "resourceType": "Appointment",
        "identifier": [{"system": CASE_SYSTEM, "value": gone.case_id}],
        "status": "fulfilled" if gone.fulfilled else "cancelled",
    }
    if not gone.fulfilled:
        if gone.status == TRANSFERRED and gone.partner_id:
            partner = i18n.partner(lang, gone.partner_id)
            why = i18n.text(lang, "export.fhir.transferred_to", partner=partner)
        else:
            why = i18n.text(lang, f"export.fhir.{gone.status}")
        coding = [{"system": LEFT_SYSTEM, "code": gone.status}]
        resource["cancelationReason"] = {"coding": coding, "text": why}
    _timing(resource, gone.slot)
    # a withdrawn patient gave the appointment up; a transferred one was operated elsewhere
    status = "declined" if gone.status in (WITHDRAWN, TRANSFERRED) else "accepted"
    resource["participant"] = _participants([f"Patient/{fhir_id(gone.case_id)}"], gone.slot,
                                            status)  # fmt: skip
    return resource


def _timing(resource: dict[str, Any], slot: TimedSlot | None) -> None:
    """``start`` and ``end`` when the slot gives both (FHIR: both or neither)."""
    if slot is not None and slot.start is not None and slot.end is not None:
        resource["start"] = slot.start.isoformat(timespec="seconds")
        resource["end"] = slot.end.isoformat(timespec="seconds")


def _participants(people: list[str], slot: TimedSlot | None, status: str) -> list[dict[str, Any]]:
    """``people``, and the room when the slot gives it, each required with ``status``."""
    actors = [*people, f"Location/{fhir_id(slot.room)}"] if slot and slot.room else people
    return [
        {"actor": {"reference": ref}, "required": "required", "status": status} for ref in actors
    ]

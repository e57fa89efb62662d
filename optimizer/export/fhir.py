"""A FHIR R4 transaction Bundle of Appointments, built and checked with ``fhir.resources``.

R4B's models serve: their ``Appointment`` is R4's (``fhir.resources`` no
longer ships R4 for pydantic 2). Each entry is a conditional update on the
case's identifier (``PUT Appointment?identifier=SYSTEM|ID``), so the server
creates the appointment the first time and updates it after every re-plan.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from typing import Any
from urllib.parse import quote

from fhir.resources.R4B.bundle import Bundle

from .appointments import Appointment, Decisions

CASE_SYSTEM = "urn:or-rescheduler:case-id"  # the identifier system of the case ids
SPECIALTY_SYSTEM = "urn:or-rescheduler:specialty"
CAUSE_SYSTEM = "urn:or-rescheduler:cause"  # the codes of schedule.csv's ``cause``
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
    """The Bundle, as JSON: one entry per case operated here or whose appointment changed."""
    entries = [_entry(a) for a in decisions.exported]
    bundle = Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "type": "transaction",
            "timestamp": now.isoformat(timespec="seconds"),
            "entry": entries,
        }
    )
    return bundle.model_dump_json(indent=2) + "\n"


def _entry(appointment: Appointment) -> dict[str, Any]:
    case_id = appointment.case.case_id
    return {
        "fullUrl": f"urn:uuid:{uuid.uuid5(_NAMESPACE, case_id)}",
        "resource": _appointment(appointment),
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
    slot = a.slot
    if slot is not None and slot.start is not None and slot.end is not None:
        resource["start"] = slot.start.isoformat(timespec="seconds")
        resource["end"] = slot.end.isoformat(timespec="seconds")
    if a.booked and a.reason:
        resource["comment"] = a.reason
    status = "accepted" if a.booked else "needs-action"  # the patient is to be called
    actors = [f"Patient/{fhir_id(case.case_id)}", f"Practitioner/{fhir_id(case.surgeon_id)}"]
    if slot is not None and slot.room:
        actors.append(f"Location/{fhir_id(slot.room)}")
    resource["participant"] = [
        {"actor": {"reference": ref}, "required": "required", "status": status} for ref in actors
    ]
    return resource

"""One iCalendar file (RFC 5545) per room, built with ``icalendar``: its operations.

Each room's calendar holds the hospital's time zone (``VTIMEZONE``, so that
it is a valid calendar even on a room left without cases) and one event per
case operated there. An event's ``UID`` is the case's, so that a calendar
imported again after a re-plan moves the event instead of doubling it. File
names come from the room id, made safe (see :func:`file_name`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from icalendar import Calendar, Event, Timezone, vText

from .. import i18n
from .appointments import Appointment, Decisions

PRODID = "-//or-rescheduler//surgical schedule//EN"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
# names a Windows machine refuses for a file, whatever the extension
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(1, 10)}
)
MAX_STEM = 80


def file_name(room_id: str) -> str:
    """A file name for a room's calendar, safe on every system and distinct per room.

    The room id itself when it holds only letters, digits, ``.``, ``_`` and
    ``-`` (and is not a reserved name); otherwise those characters are kept,
    the others become ``_``, and 8 hex digits of the id's SHA-256 keep two
    rooms apart (``OR 1`` and ``OR_1`` do not share a file).
    """
    stem = _UNSAFE.sub("_", room_id)[:MAX_STEM].strip(".")
    if stem != room_id or not stem or stem.lower().split(".")[0] in _RESERVED:
        digest = hashlib.sha256(room_id.encode("utf-8")).hexdigest()[:8]
        stem = f"{stem or 'room'}-{digest}"
    return f"{stem}.ics"


def file_names(rooms: list[str]) -> dict[str, str]:
    """:func:`file_name` of each room, made distinct where two would differ only by case
    (``or1`` and ``OR1`` are one file on Windows and macOS)."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for room in rooms:
        name = file_name(room)
        if name.lower() in taken:
            digest = hashlib.sha256(room.encode("utf-8")).hexdigest()[:8]
            name = f"{name.removesuffix('.ics')}-{digest}.ics"
        taken.add(name.lower())
        names[room] = name
    return names


def calendars(decisions: Decisions, now: dt.datetime) -> dict[str, bytes]:
    """The files, by name: one per room of the scenario, in its order; ``now`` stamps the
    events (``DTSTAMP``)."""
    scenario = decisions.folder.scenario
    lang = scenario.policy.language
    by_room: dict[str, list[Appointment]] = {r.room_id: [] for r in scenario.rooms}
    for a in decisions.appointments:
        if a.booked and a.slot is not None and a.slot.room is not None:
            by_room.setdefault(a.slot.room, []).append(a)
    first = scenario.policy.start_date
    last = scenario.policy.end_date + dt.timedelta(days=1)  # overtime past midnight
    zone = Timezone.from_tzinfo(decisions.zone, first_date=first, last_date=last)
    stamp = now.astimezone(dt.UTC)
    files = {}
    names = file_names(list(by_room))
    for room, booked in by_room.items():
        cal = Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        # icalendar writes an X- property's text as it is: vText escapes it as RFC 5545's
        # TEXT (its default type), so a room id with a comma or a line break stays one value
        cal.add("x-wr-calname", vText(i18n.text(lang, "export.ics.calendar", room=room)))
        cal.add("x-wr-timezone", scenario.policy.timezone)
        cal.add_component(zone)
        for a in sorted(booked, key=_when):
            cal.add_component(_event(a, room, stamp, lang))
        files[names[room]] = cal.to_ical()
    return files


def _when(a: Appointment) -> tuple[dt.datetime, str]:
    assert a.slot is not None and a.slot.start is not None
    return a.slot.start, a.case.case_id


def _event(a: Appointment, room: str, stamp: dt.datetime, lang: i18n.Lang) -> Event:
    case = a.case
    assert a.slot is not None and a.slot.start is not None and a.slot.end is not None
    status = i18n.catalogue(lang).get(f"report.status.{a.status}", a.status)
    description = i18n.text(lang, "export.ics.description", surgeon=case.surgeon_id,
                            status=status)  # fmt: skip
    if a.reason:
        description += "\n" + i18n.text(lang, "export.ics.why", reason=a.reason)
    event = Event()
    event.add("uid", f"{case.case_id}@or-rescheduler")
    event.add("dtstamp", stamp)
    event.add("dtstart", a.slot.start)
    event.add("dtend", a.slot.end)
    # the specialty and class as staff say them ("orthopédie", "urgence"); CATEGORIES
    # keeps the specialty's id, for a program to filter on
    event.add("summary", i18n.text(lang, "export.ics.summary", case=case.case_id,
                                   specialty=i18n.name(lang, "specialty", case.specialty),
                                   urgency=i18n.name(lang, "urgency", case.urgency)))  # fmt: skip
    event.add("location", room)
    event.add("description", description)
    event.add("categories", [case.specialty])
    event.add("status", "CONFIRMED")
    return event

"""The day sheets: per date and room, the revised list in time order and a timeline bar.

A room's timeline has two lanes on one time axis shared by the whole day:
the original plan (the cases planned in that room that date) and the revised
schedule, over the room's open session. What differs from the plan is marked:
in the plan lane, a case that left the room or its time; in the revised lane,
a case moved in time, from another room, from another date or from the
waiting list.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from ..clock import format_time
from ..facts.booking import Slot
from ..result.calls import old_slot, on_waiting_list
from ..scenario.schema import Case, Scenario, Session
from .words import Words

Row = dict[str, str | None]

WIDTH = 1000  # SVG user units across a timeline
LABEL_W = 70  # left column of room names
RIGHT_PAD = 20  # room for the last hour's label
LANE_H = 18
MIN_LABEL_W = 48  # a block narrower than this shows no case id


@dataclass(frozen=True)
class Block:
    """One case drawn on a lane: ``kind`` is a CSS class (same, moved, new, left)."""

    x: float
    w: float
    label: str
    kind: str
    title: str


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass
class Timeline:
    session: tuple[float, float] | None
    plan: list[Block] = field(default_factory=list)
    revised: list[Block] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)


@dataclass(frozen=True)
class SheetLine:
    """One case of a room's revised list, in time order."""

    start: str
    end: str
    case_id: str
    surgeon: str
    specialty: str
    urgency: str
    flags: str
    equipment: str
    change: str
    kind: str


@dataclass(frozen=True)
class LeftLine:
    """A case planned in this room that date and now elsewhere: where it went, in words."""

    start: str  # its planned (or announced) start here
    case_id: str
    went: str  # "postponed to 25/04 (room OR05, 13:00)"


@dataclass
class RoomSheet:
    room_id: str
    session: str  # "08:00-16:00 (orthopaedics)", or "closed" in words
    closed: bool
    timeline: Timeline
    lines: list[SheetLine]
    left: list[LeftLine]

    @property
    def rows(self) -> int:
        """Rows the room takes in the day's table (at least one: "no case")."""
        return max(1, len(self.lines) + len(self.left))


@dataclass
class DaySheet:
    date: str  # ISO
    heading: str
    title: str  # the weekday in full, for the page's title
    rooms: list[RoomSheet]
    operated: int
    planned: int


def _minutes(hhmm: str | None) -> int | None:
    if not hhmm:
        return None
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def _new_slot(w: Words, row: Row) -> str:
    """Where a case went, in words: ``postponed to 25/04 (OR05 13:00)`` and so on."""
    status = row["status"]
    if status == "transferred":
        return w(
            "went_transferred",
            where=w.transferred_to(row["partner_id"] or ""),
            date=w.day(row["date"]),
        )
    if status == "unscheduled":
        return w("went_unscheduled")
    return w(f"went_{status}", date=w.day(row["date"]), room=row["room_id"], start=row["start"])


def day_sheets(w: Words, scenario: Scenario, schedule: tuple[Row, ...]) -> list[DaySheet]:
    """One sheet per horizon date with an open session, a planned case or an operated case."""
    policy = scenario.policy
    operated: dict[tuple[str, str], list[tuple[Case, Row]]] = defaultdict(list)
    planned: dict[tuple[str, str], list[tuple[Case, Row]]] = defaultdict(list)
    for case, row in zip(scenario.cases, schedule, strict=True):
        if row["room_id"] and row["date"] and row["start"]:
            operated[row["date"], row["room_id"]].append((case, row))
        old = old_slot(case)
        if old is not None and old.room is not None and old.start is not None:
            planned[old.date.isoformat(), old.room].append((case, row))
    sessions = {(s.date.isoformat(), s.room_id): s for s in scenario.sessions}
    room_order = {r.room_id: k for k, r in enumerate(scenario.rooms)}
    sheets = []
    for d in policy.dates:
        iso = d.isoformat()
        rooms = sorted(
            {r for (dd, r) in (*sessions, *operated, *planned) if dd == iso},
            key=lambda r: (room_order.get(r, len(room_order)), r),
        )
        if not rooms:
            continue
        lo, hi = _axis(iso, rooms, operated, planned, scenario)
        sheet = DaySheet(
            date=iso,
            heading=w.weekday(d),
            title=w.weekday_long(d),
            rooms=[
                _room_sheet(
                    w, iso, r, sessions.get((iso, r)), operated[iso, r], planned[iso, r], lo, hi
                )
                for r in rooms
            ],
            operated=sum(len(operated[iso, r]) for r in rooms),
            planned=sum(len(planned[iso, r]) for r in rooms),
        )
        sheets.append(sheet)
    return sheets


def _axis(
    iso: str,
    rooms: list[str],
    operated: dict[tuple[str, str], list[tuple[Case, Row]]],
    planned: dict[tuple[str, str], list[tuple[Case, Row]]],
    scenario: Scenario,
) -> tuple[int, int]:
    """The day's time axis, whole hours around every session and case of the day."""
    spans: list[tuple[int, int]] = []
    for r in rooms:
        s = scenario.session_by_key.get((dt.date.fromisoformat(iso), r))
        if s is not None:
            spans.append((s.start, s.end))
        for case, row in operated[iso, r]:
            a = _minutes(row["start"])
            if a is not None:
                spans.append((a, a + case.duration_min))
        for case, _row in planned[iso, r]:
            if (a := _old_start(case)) is not None:
                spans.append((a, a + case.duration_min))
    if not spans:
        return 8 * 60, 18 * 60
    lo = min(a for a, _ in spans) // 60 * 60
    hi = -(-max(b for _, b in spans) // 60) * 60
    return lo, max(hi, lo + 60)


def _room_sheet(
    w: Words,
    iso: str,
    room: str,
    session: Session | None,
    here: list[tuple[Case, Row]],
    plan: list[tuple[Case, Row]],
    lo: int,
    hi: int,
) -> RoomSheet:
    scale = (WIDTH - LABEL_W - RIGHT_PAD) / (hi - lo)

    def x(minute: int) -> float:
        return round(LABEL_W + (minute - lo) * scale, 1)

    def block(case: Case, start: int, kind: str, title: str) -> Block:
        width = round(case.duration_min * scale, 1)
        label = case.case_id if width >= MIN_LABEL_W else ""
        return Block(x(start), width, label, kind, title)

    tl = Timeline(session=None)
    tl.ticks = [Tick(x(m), format_time(m)) for m in range(lo, hi + 1, 60)]
    text = w("room_closed")
    closed = True
    if session is not None:
        closed = False
        tl.session = (x(session.start), x(session.end))
        hours = f"{format_time(session.start)}-{format_time(session.end)}"
        text = (
            w("session_block", hours=hours, specialty=w.specialty(session.specialty))
            if session.specialty
            else w("session_open", hours=hours)
        )

    lines = []
    for case, row in sorted(here, key=lambda cr: (_minutes(cr[1]["start"]) or 0, cr[0].case_id)):
        start = _minutes(row["start"]) or 0
        kind, change = _change(w, case, row, iso, room)
        tl.revised.append(block(case, start, kind, f"{case.case_id} {row['start']}-{row['end']}"))
        lines.append(
            SheetLine(
                start=row["start"] or "",
                end=row["end"] or "",
                case_id=case.case_id,
                surgeon=case.surgeon_id,
                specialty=w.specialty(case.specialty),
                urgency=w.urgency(case.urgency),
                flags=", ".join(w.flag(f) for f in sorted(case.flags)),
                equipment=w.equipment(case.equipment),
                change=change,
                kind=kind,
            )
        )
    left = []
    for case, row in sorted(plan, key=lambda cr: (_old_start(cr[0]) or 0, cr[0].case_id)):
        old_start = _old_start(case)
        assert old_start is not None  # the plan side lists cases with a room and a start
        stayed = row["date"] == iso and row["room_id"] == room
        moved = stayed and row["start"] != format_time(old_start)
        kind = "moved" if moved else ("same" if stayed else "left")
        tl.plan.append(block(case, old_start, kind, case.case_id))
        if not stayed:
            left.append(LeftLine(format_time(old_start), case.case_id, _new_slot(w, row)))
    return RoomSheet(room, text, closed, tl, lines, left)


def _old_start(case: Case) -> int | None:
    """The start of the appointment the patient holds (announced, else planned), in minutes."""
    old = old_slot(case)
    return None if old is None else old.start


def _change(w: Words, case: Case, row: Row, iso: str, room: str) -> tuple[str, str]:
    """How a revised line differs from the plan: (CSS kind, words); ("same", "") if not."""
    old = old_slot(case)
    if old is None and not on_waiting_list(case):  # planned, left without an appointment
        assert case.planned_date is not None  # (cancelled, declined): against its plan
        old = Slot(case.planned_date, case.planned_room, case.planned_start)
    if old is None:
        return "new", w("change_waiting")
    if old.date.isoformat() != iso:
        return "new", w("change_from_date", date=w.day(old.date))
    start = "" if old.start is None else format_time(old.start)
    if old.room is not None and old.room != room:
        return "moved", w("change_from_room", room=old.room, start=start)
    if old.start is not None and start != row["start"]:
        return "moved", w("change_from_time", start=start)
    return "same", ""

"""One reader per CSV file of the folder: rows to schema objects, every id's row kept.

Each reader parses the cells it needs (:mod:`.cells`), checks what a row says
against the files read before it (a session's room must be in ``rooms.csv``,
a case's equipment fixed in a room or a mobile pool) and builds the schema's
objects from the rows without problems. It keeps the row of every id listed,
even on rows with problems, so that an id is never reported as unknown
because its own row had a mistake.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from ..clock import MINUTES_PER_DAY, format_time
from .announced import check_announced
from .case_columns import read_case_extras
from .cells import (
    parse_announced_count,
    parse_bool,
    parse_capacity,
    parse_date,
    parse_duration,
    parse_end_time,
    parse_list,
    parse_time,
    show,
)
from .layout import RESERVED_HINT, RESOURCES
from .reading import Reader, Spec, Table
from .schema import (
    ANAESTHESIA,
    FLAGS,
    RESERVED_RESOURCES,
    Case,
    PartnerCapacity,
    ResourceCapacity,
    Room,
    Session,
    SurgeonWindow,
)
from .typos import did_you_mean, unlisted_hint

_ROOM_SPEC: Spec = (
    ("room_id", None, True),
    ("specialties", parse_list, False),
    ("equipment", parse_list, False),
)
SESSION_SPEC: Spec = (
    ("date", parse_date, True),
    ("room_id", None, True),
    ("start", parse_time, True),
    ("end", parse_end_time, True),
    ("specialty", None, False),
)
_WINDOW_SPEC: Spec = (
    ("surgeon_id", None, True),
    ("date", parse_date, True),
    ("start", parse_time, True),
    ("end", parse_end_time, True),
)
_RESOURCE_SPEC: Spec = (
    ("date", parse_date, True),
    ("resource", None, True),
    ("capacity", parse_capacity, True),
)
_PARTNER_SPEC: Spec = (
    ("partner_id", None, True),
    ("date", parse_date, True),
    ("specialty", None, True),
    ("capacity", parse_capacity, True),
)
_CASE_SPEC: Spec = (
    ("case_id", None, True), ("specialty", None, True), ("surgeon_id", None, True),
    ("duration_min", parse_duration, True), ("urgency", None, True),
    ("planned_date", parse_date, False), ("planned_room", None, False),
    ("planned_start", parse_time, False), ("release_date", parse_date, False),
    ("due_date", parse_date, False), ("equipment", parse_list, False),
    ("anaesthesia", str.lower, False), ("needs_icu", parse_bool, False),
    ("transferable", parse_bool, False), ("pinned", parse_bool, False),
    ("flags", parse_list, False),
    ("announced_date", parse_date, False), ("announced_room", None, False),
    ("announced_start", parse_time, False), ("announced_count", parse_announced_count, False),
    ("listed_date", parse_date, False),
)  # fmt: skip


@dataclass
class Read:
    """What one file gave: the objects built and the row of every id listed."""

    loaded: bool  # the file was read (so its ids are known, even from rows with problems)
    rows: dict[Any, int] = field(default_factory=dict)
    items: list[Any] = field(default_factory=list)


@dataclass
class Rooms(Read):
    # Equipment fixed in a room, by name: the first room listing it, from every row (a row
    # with other problems still names its equipment), so a case's needs can be checked.
    fixed_in: dict[str, str] = field(default_factory=dict)
    whole: bool = True  # every row was read, so ``fixed_in`` is all the fixed equipment


@dataclass
class Sessions(Read):
    dates: set[dt.date] = field(default_factory=set)  # every date read, even on rows with problems
    unsure: set[tuple[dt.date, str]] = field(default_factory=set)  # (date, room) of such rows
    named: bool = True  # every row gave its date and room: a (date, room) not read has no session


@dataclass
class Windows(Read):
    unsure: set[str] = field(default_factory=set)  # surgeons with a window on a row with problems
    named: bool = True  # every row gave its surgeon


@dataclass
class Resources(Read):
    pools: frozenset[str] = frozenset()
    capacity: dict[tuple[str, dt.date], int] = field(default_factory=dict)
    named: bool = True  # every row gave its resource name: ``pools`` is every pool


def names_known(loader: Reader, read: Read, named: bool, file: str) -> bool:
    """Whether the names an optional file gives are all known: it was read and every row gave
    one, or it is absent (a file that could not be read leaves them unknown)."""
    return named if read.loaded else loader.clean(file)


def _duplicate(
    loader: Reader, seen: dict[Any, int], key: Any, file: str, row: int, col: str, what: str
) -> bool:
    """Record ``key`` as listed on ``row``; report it if an earlier row lists it already."""
    first = seen.get(key)
    if first is not None:
        loader.error(file, row, col, f"{what} is already listed on row {first}")
        return True
    seen[key] = row
    return False


def read_rooms(loader: Reader, t: Table | None) -> Rooms:
    out = Rooms(loaded=t is not None)
    if t is None:
        return out
    out.whole = t.whole
    for row, cells in t.rows:
        before = loader.per_file[t.file]
        rid, specs, equip = loader.values(t, row, cells, _ROOM_SPEC)
        if rid is not None:
            _duplicate(loader, out.rows, rid, t.file, row, "room_id", f"room {rid}")
        specs, equip = specs or (), equip or ()
        for name in equip:
            out.fixed_in.setdefault(name, rid if rid is not None else f"of row {row}")
            if name in RESERVED_RESOURCES:
                loader.error(
                    t.file,
                    row,
                    "equipment",
                    f"{name} is a reserved resource name "
                    "(resources.csv), not equipment fixed in a room",
                )
        if loader.per_file[t.file] == before:
            out.items.append(
                Room(room_id=rid, specialties=frozenset(specs), equipment=frozenset(equip))
            )
    return out


def read_sessions(loader: Reader, t: Table | None, rooms: Read) -> Sessions:
    out = Sessions(loaded=t is not None)
    if t is None:
        return out
    out.named = t.whole
    room_by_id = {r.room_id: r for r in rooms.items}
    for row, cells in t.rows:
        before = loader.per_file[t.file]
        d, rid, start, end, block = loader.values(t, row, cells, SESSION_SPEC)
        if rid is not None and rooms.loaded and rid not in rooms.rows:
            hint = unlisted_hint(rid, rooms.rows)
            loader.error(t.file, row, "room_id", f"room {rid} is not listed in rooms.csv{hint}")
        if start is not None and end is not None and start >= end:
            loader.error(
                t.file,
                row,
                "end",
                f"the session ends at {format_time(end)}, "
                f"not after it starts ({format_time(start)})",
            )
        if d is not None and rid is not None:
            _duplicate(
                loader,
                out.rows,
                (d, rid),
                t.file,
                row,
                "date",
                f"a session of room {rid} on {d} (a room has at most one session a date); this one",
            )
        if d is not None:
            out.dates.add(d)
        if loader.per_file[t.file] > before:
            if d is None or rid is None:
                out.named = False
            else:
                out.unsure.add((d, rid))
            continue
        warn_block_elsewhere(loader, f"{t.file}, row {row}", room_by_id, rid, block, "session")
        out.items.append(Session(date=d, room_id=rid, start=start, end=end, specialty=block))
    return out


def warn_block_elsewhere(
    loader: Reader, where: str, room_by_id: Mapping[str, Room], rid: str | None,
    block: str | None, what: str,
) -> None:  # fmt: skip
    """A session (``what``: or an extra session) reserved to a specialty its room does not
    host: no case can use it, said as a warning."""
    room = room_by_id.get(rid) if rid is not None else None
    if block and room is not None and not room.hosts(block):
        loader.warn(
            f"{where}: room {rid} does not host {block}, the specialty the {what} is reserved "
            f"to; no case can use it{did_you_mean(block, room.specialties)}"
        )


def read_windows(loader: Reader, t: Table | None) -> Windows:
    out = Windows(loaded=t is not None)
    if t is None:
        return out
    out.named = t.whole
    for row, cells in t.rows:
        before = loader.per_file[t.file]
        sid, d, start, end = loader.values(t, row, cells, _WINDOW_SPEC)
        if start is not None and end is not None and start >= end:
            loader.error(
                t.file,
                row,
                "end",
                f"the window ends at {format_time(end)}, "
                f"not after it starts ({format_time(start)})",
            )
        if loader.per_file[t.file] == before:
            out.items.append(SurgeonWindow(surgeon_id=sid, date=d, start=start, end=end))
        elif sid is None:
            out.named = False
        else:
            out.unsure.add(sid)
    return out


def read_resources(loader: Reader, t: Table | None, rooms: Rooms) -> Resources:
    out = Resources(loaded=t is not None)
    if t is None:
        return out
    out.named = t.whole
    first_row: dict[str, int] = {}
    for row, cells in t.rows:
        before = loader.per_file[t.file]
        d, name, cap = loader.values(t, row, cells, _RESOURCE_SPEC)
        if name is not None:
            first_row.setdefault(name, row)
        else:
            out.named = False
        if d is not None and name is not None:
            _duplicate(
                loader,
                out.rows,
                (name, d),
                t.file,
                row,
                "resource",
                f"the capacity of {name} on {d}",
            )
        if loader.per_file[t.file] == before:
            assert d is not None and name is not None and cap is not None
            out.items.append(ResourceCapacity(date=d, resource=name, capacity=cap))
            out.capacity[name, d] = cap
    out.pools = frozenset(first_row) - RESERVED_RESOURCES
    fixed_in = rooms.fixed_in
    for name in sorted(out.pools & fixed_in.keys()):
        loader.error(
            t.file,
            first_row[name],
            "resource",
            f"{name} is both equipment fixed in room {fixed_in[name]} (rooms.csv) and "
            "a mobile pool here; an equipment name must be one or the other",
        )
    return out


def read_partners(loader: Reader, t: Table | None) -> Read:
    out = Read(loaded=t is not None)
    if t is None:
        return out
    for row, cells in t.rows:
        before = loader.per_file[t.file]
        pid, d, spec, cap = loader.values(t, row, cells, _PARTNER_SPEC)
        if pid is not None and d is not None and spec is not None:
            _duplicate(
                loader,
                out.rows,
                (pid, d, spec),
                t.file,
                row,
                "specialty",
                f"partner {pid}, {spec} on {d}",
            )
        if loader.per_file[t.file] == before:
            out.items.append(PartnerCapacity(partner_id=pid, date=d, specialty=spec, capacity=cap))
    return out


def read_cases(
    loader: Reader,
    t: Table | None,
    class_names: frozenset[str] | None,
    rooms: Rooms,
    resources: Resources,
    partner_ids: frozenset[str] = frozenset(),
) -> Read:
    out = Read(loaded=t is not None)
    if t is None:
        return out
    f = t.file
    fixed = frozenset(rooms.fixed_in) - RESERVED_RESOURCES
    # Equipment can be checked when every name both files give is known, even from rows
    # with other problems (a bad capacity does not hide the pool it names).
    pools_known = names_known(loader, resources, resources.named, RESOURCES)
    equipment_known = rooms.loaded and rooms.whole and pools_known
    lower_classes = {c.lower(): c for c in class_names or ()}
    room_ids = set(rooms.rows) if rooms.loaded else None
    seen = out.rows
    j_date, j_room, j_start = (
        t.index.get(c) for c in ("planned_date", "planned_room", "planned_start")
    )
    for row, cells in t.rows:
        before = loader.per_file[f]
        (cid, spec, sid, dur, urg, pdate, proom, pstart, release, due, equip, anaes, icu,
         transferable, pinned, flags, adate, aroom, astart,
         acount, listed) = loader.values(t, row, cells, _CASE_SPEC)  # fmt: skip
        if cid is not None:  # inline _duplicate: this loop runs once per case
            first = seen.get(cid)
            if first is None:
                seen[cid] = row
            else:
                loader.error(f, row, "case_id", f"case {cid} is already listed on row {first}")
        if urg is not None and class_names is not None and urg not in class_names:
            hint = lower_classes.get(urg.lower())
            known = f"did you mean {hint}?" if hint else f"known: {', '.join(sorted(class_names))}"
            loader.error(f, row, "urgency", f"{show(urg)} is not an urgency class ({known})")
        if anaes is not None and anaes not in ANAESTHESIA:
            loader.error(f, row, "anaesthesia", f"{show(anaes)} is not general, regional or local")
        equip = equip or ()
        flags = tuple(x.lower() for x in flags) if flags else ()
        for flag in flags:
            if flag not in FLAGS:
                loader.error(
                    f, row, "flags", f"{show(flag)} is not a flag (known: {', '.join(FLAGS)})"
                )
        if proom is not None and rooms.loaded and proom not in rooms.rows:
            hint = unlisted_hint(proom, rooms.rows)
            loader.error(f, row, "planned_room", f"room {proom} is not listed in rooms.csv{hint}")
        # Whether each planned cell was given at all (it may be given but bad).
        has_date = j_date is not None and cells[j_date] != ""
        has_room = j_room is not None and cells[j_room] != ""
        has_start = j_start is not None and cells[j_start] != ""
        if (has_room or has_start) and not has_date:
            loader.error(
                f, row, "planned_date", "a planned room or start is given without a planned date"
            )
        if pstart is not None and dur is not None and pstart + dur > MINUTES_PER_DAY:
            # A night case in a hospital's export: bad input only where it must stay.
            said = f"the case would end after midnight ({format_time(pstart)} + {dur} min)"
            if pinned:
                loader.error(f, row, "planned_start", said)
            else:
                loader.warn(f"{f}, row {row}: {said}; it cannot keep its planned slot")
        if pinned and not (has_date and has_room and has_start):
            given = zip(
                ("planned_date", "planned_room", "planned_start"),
                (has_date, has_room, has_start),
                strict=True,
            )
            missing = [c for c, v in given if not v]
            loader.error(
                f,
                row,
                "pinned",
                "a pinned case needs a planned date, room and start "
                f"({', '.join(missing)} missing)",
            )
        check_announced(
            loader, t, row, cells, (pdate, dur, adate, aroom, astart), room_ids, partner_ids
        )
        extras = read_case_extras(
            loader, t, row, cells, (dur, icu, pinned, pdate, release), room_ids
        )
        if due is not None and pdate is not None and due < pdate:
            loader.error(
                f, row, "due_date", f"the due date {due} is before the planned date {pdate}"
            )
        if listed is not None and pdate is not None and listed > pdate:
            loader.error(
                f, row, "listed_date", f"listed on {listed}, after the planned date {pdate}"
            )
        if due is not None and release is not None and due < release:
            loader.error(
                f, row, "due_date", f"the due date {due} is before the release date {release}"
            )
        for name in equip:
            if name in RESERVED_RESOURCES:
                hint = RESERVED_HINT[name]
                loader.error(
                    f,
                    row,
                    "equipment",
                    f"{name} is a reserved resource name, not equipment (use the {hint})",
                )
            elif equipment_known and name not in fixed and name not in resources.pools:
                loader.error(
                    f,
                    row,
                    "equipment",
                    f"{name} is neither fixed in a room "
                    "(rooms.csv) nor a mobile pool (resources.csv)"
                    f"{did_you_mean(name, fixed | resources.pools)}",
                )
        if loader.per_file[f] > before:
            continue
        # The cells are checked above, with messages naming the column; the Case is
        # still validated by pydantic, which costs less than model_construct does.
        try:
            case = Case(
                case_id=cid,
                specialty=spec,
                surgeon_id=sid,
                duration_min=dur,
                urgency=urg,
                planned_date=pdate,
                planned_room=proom,
                planned_start=pstart,
                release_date=release,
                due_date=due,
                equipment=equip,
                anaesthesia=anaes or "general",
                needs_icu=bool(icu),
                transferable=bool(transferable),
                pinned=bool(pinned),
                flags=frozenset(flags),
                announced_date=adate,
                announced_room=aroom,
                announced_start=astart,
                announced_count=acount or 0,
                listed_date=listed,
                **extras.fields(),
            )
        except ValidationError as exc:  # every rule is checked above; this is a last guard
            for err in exc.errors():
                loader.error(f, row, None, str(err.get("msg", "invalid value")))
            continue
        out.items.append(case)
    return out

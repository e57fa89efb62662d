"""Cases held in place stay there: pinned ones at their planned slot, the planner's
overrides (``fixed_date``, ``fixed_room``, ``fixed_start``) where they say.

A held case that cannot be operated there would make every schedule break the
contract, so it is bad input, found when the folder is read rather than by
the solver, and named by the case's row and the column of the slot it comes
from (``planned_*`` for a pinned case, ``fixed_*`` for an override). A fixed
date (and room) without a start must have a session that can host the case
there; a whole slot must fit its session, its room and its surgeon's hours,
and the held cases must fit together (rooms, surgeons, sequencing, shared
resources, beds). Each check runs only when the files it needs were read
without problems.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from .. import rules
from ..clock import format_time
from .layout import CASES, RESOURCES, ROOMS, SESSIONS, SURGEONS
from .readers import Read, Resources
from .reading import Reader
from .schema import ANAESTHETIST, BEDS, Case, FixedSlot, Policy, Room, Session


@dataclass(frozen=True)
class _Held:
    """A case held in place, with the words and columns its problems are told in."""

    case: Case
    slot: FixedSlot

    @property
    def word(self) -> str:
        return "pinned" if self.slot.columns == "planned" else "fixed"

    def col(self, part: str) -> str:
        return f"{self.slot.columns}_{part}"


INDUCTION = "anaesthetist induction"  # the held cases in their induction, per date
BED_WORDS = {BEDS[0]: "an ICU bed", BEDS[1]: "a ward bed"}


def _span(c: Case, start: int) -> str:
    return f"{format_time(start)}-{format_time(start + c.duration_min)}"


def check_pinned(
    loader: Reader,
    cases: Read,
    rooms: Read,
    sessions: Read,
    windows: Read,
    resources: Resources,
    policy: Policy,
) -> None:
    """Each held case of the horizon must fit where it is held, and all of them together.

    Its date in the horizon and after its release; for a whole slot its room's
    session (times, block), its room (specialty, fixed equipment) and its
    surgeon's windows; for a date (and room) alone, some session there that can
    host it; then :func:`_check_pinned_together` and the capacities of the shared
    resources and beds.
    """
    f = CASES
    row_of: Mapping[str, int] = cases.rows
    room_by_id = {r.room_id: r for r in rooms.items}
    session_by_key = {(s.date, s.room_id): s for s in sessions.items}
    rooms_ok, sessions_ok = loader.clean(ROOMS, RESOURCES), loader.clean(SESSIONS)
    windows_ok, resources_ok = loader.clean(SURGEONS), loader.clean(RESOURCES)
    merged = rules.windows_by_surgeon(windows.items) if windows_ok else {}
    placed: list[_Held] = []
    for c in cases.items:
        slot = c.fixed_slot
        if slot is None:
            continue
        held = _Held(c, slot)
        row, cid, d, word = row_of[c.case_id], c.case_id, slot.date, held.word
        if held.word == "pinned" and d > policy.end_date:
            continue  # outside this run: written as unscheduled
        before = loader.per_file[f]
        if d < policy.start_date or d > policy.end_date:
            when = "before the horizon starts" if d < policy.start_date else "after it ends"
            edge = policy.start_date if d < policy.start_date else policy.end_date
            undo = "unpin it" if word == "pinned" else "change or clear fixed_date"
            loader.error(
                f, row, held.col("date"), f"case {cid} is {word} on {d}, {when} ({edge}); {undo}"
            )
            continue
        if c.release_date is not None and c.release_date > d:
            loader.error(
                f,
                row,
                "release_date",
                f"case {cid} is {word} on {d}, before its release date {c.release_date}",
            )
        spans = merged.get(c.surgeon_id)
        if slot.full:
            _check_slot(loader, held, row, session_by_key, room_by_id, sessions_ok, rooms_ok,
                        resources, spans)  # fmt: skip
        elif sessions_ok and rooms_ok:
            _check_date(loader, held, row, sessions.items, room_by_id, resources, spans)
        if resources_ok:
            _check_zero(loader, held, row, resources)
        if loader.per_file[f] == before:
            placed.append(held)
    whole = [h for h in placed if h.slot.full]
    _check_pinned_together(loader, whole, row_of, policy.turnover_min)
    if resources_ok:
        _check_pinned_capacity(loader, whole, row_of, resources, policy.anaesthetist_rooms)
        _check_beds(loader, placed, row_of, resources)


def _check_slot(
    loader: Reader,
    held: _Held,
    row: int,
    session_by_key: Mapping[tuple[dt.date, str], Session],
    room_by_id: Mapping[str, Room],
    sessions_ok: bool,
    rooms_ok: bool,
    resources: Resources,
    spans: Mapping[dt.date, tuple[tuple[int, int], ...]] | None,
) -> None:
    """A whole slot (date, room, start): its session, its room, its surgeon's hours."""
    f, c, slot, word = CASES, held.case, held.slot, held.word
    assert slot.room is not None and slot.start is not None
    cid, d, start, end = c.case_id, slot.date, slot.start, slot.start + c.duration_min
    s = session_by_key.get((d, slot.room))
    if sessions_ok and s is None:
        loader.error(
            f,
            row,
            held.col("room"),
            f"case {cid} is {word} in room {slot.room}, which has no session on {d}",
        )
    elif s is not None and (start < s.start or end > s.end):
        loader.error(
            f,
            row,
            held.col("start"),
            f"{word} case {cid} ({_span(c, start)}) does not fit "
            f"the session of room {slot.room} on {d} "
            f"({format_time(s.start)}-{format_time(s.end)})",
        )
    elif s is not None and not rules.session_admits(s.specialty, c.specialty):
        loader.error(
            f,
            row,
            held.col("room"),
            f"{word} case {cid} ({c.specialty}) is in room "
            f"{slot.room} on {d}, whose session is reserved to "
            f"{s.specialty}",
        )
    room = room_by_id.get(slot.room)
    if rooms_ok and room is not None:
        if not rules.room_hosts_specialty(room, c.specialty):
            loader.error(
                f,
                row,
                held.col("room"),
                f"{word} case {cid}: room {slot.room} does not host {c.specialty}",
            )
        absent = rules.missing_equipment(room, rules.fixed_needed(c.equipment, resources.pools))
        if absent:
            loader.error(
                f,
                row,
                "equipment",
                f"{word} case {cid} needs {', '.join(absent)}, "
                f"which room {slot.room} does not have",
            )
    if spans is not None and not rules.within_windows(spans, d, (start, end)):
        loader.error(
            f,
            row,
            held.col("start"),
            f"{word} case {cid} ({_span(c, start)}) is outside "
            f"the windows of surgeon {c.surgeon_id} on {d} (surgeons.csv)",
        )


def _check_date(
    loader: Reader,
    held: _Held,
    row: int,
    sessions: list[Session],
    room_by_id: Mapping[str, Room],
    resources: Resources,
    spans: Mapping[dt.date, tuple[tuple[int, int], ...]] | None,
) -> None:
    """A date (and perhaps a room) alone: some session there hosts the case, long enough,
    inside its surgeon's hours."""
    c, slot = held.case, held.slot
    fixed = rules.fixed_needed(c.equipment, resources.pools)
    there = [
        s
        for s in sessions
        if s.date == slot.date
        and (slot.room is None or s.room_id == slot.room)
        and rules.hosts_case(room_by_id[s.room_id], s.specialty, c.specialty, fixed)
    ]
    dur = c.duration_min
    long_enough = [s for s in there if s.end - s.start >= dur]
    fits = [
        s
        for s in long_enough
        if spans is None
        or any(max(a, s.start) + dur <= min(b, s.end) for a, b in spans.get(slot.date, ()))
    ]
    if fits:
        return
    where = f"room {slot.room}" if slot.room is not None else "any room"
    if not there:
        why = f"{where} has no session on {slot.date} that hosts it"
    elif not long_enough:
        why = f"no session of {where} on {slot.date} is {dur} min long"
    else:
        why = f"surgeon {c.surgeon_id} has no {dur} min inside a session of {where} (surgeons.csv)"
    column = held.col("room" if slot.room is not None else "date")
    loader.error(CASES, row, column, f"case {c.case_id} is {held.word} on {slot.date}, but {why}")


def _check_zero(loader: Reader, held: _Held, row: int, resources: Resources) -> None:
    """A case held on a date without a start, needing a resource that has none that date
    (whole slots are checked with the others in :func:`_check_pinned_capacity`, beds in
    :func:`_check_beds`)."""
    c, d = held.case, held.slot.date
    if held.slot.full:
        return
    need = [ANAESTHETIST] if c.needs_anaesthetist else []
    need += [e for e in c.equipment if e in resources.pools]
    for name in need:
        if resources.capacity.get((name, d)) == 0:
            loader.error(
                CASES,
                row,
                held.col("date"),
                f"{held.word} case {c.case_id} needs {name} on {d}, which has none (resources.csv)",
            )
            return


def _start(h: _Held) -> int:
    assert h.slot.start is not None
    return h.slot.start


def _both(a: _Held, b: _Held) -> str:
    """How two held cases are called together: pinned, fixed, or pinned and fixed."""
    return a.word if a.word == b.word else "pinned and fixed"


def _check_pinned_together(
    loader: Reader, placed: list[_Held], row_of: Mapping[str, int], turnover: int
) -> None:
    """Cases held at whole slots must not collide in a room or for a surgeon, and keep the
    sequencing rule."""
    f = CASES
    by_room: dict[tuple[dt.date, str], list[_Held]] = defaultdict(list)
    by_surgeon: dict[tuple[dt.date, str], list[_Held]] = defaultdict(list)
    for h in placed:
        assert h.slot.room is not None
        by_room[h.slot.date, h.slot.room].append(h)
        by_surgeon[h.slot.date, h.case.surgeon_id].append(h)

    for (d, rid), group in by_room.items():
        group.sort(key=_start)
        for ha, hb in zip(group, group[1:], strict=False):
            a, b = ha.case, hb.case
            if _start(hb) < _start(ha) + a.duration_min + turnover:
                loader.error(
                    f,
                    row_of[b.case_id],
                    hb.col("start"),
                    f"{_both(ha, hb)} cases {a.case_id} ({_span(a, _start(ha))}, row "
                    f"{row_of[a.case_id]}) and {b.case_id} ({_span(b, _start(hb))}) in room "
                    f"{rid} on {d} are less than the turnover ({turnover} min) apart",
                )
        for i, ha in enumerate(group):
            for hb in group[i + 1 :]:
                if problem := _sequencing_problem(ha.case, hb.case):
                    loader.error(
                        f,
                        row_of[hb.case.case_id],
                        "flags",
                        f"{problem} in room {rid} on {d}, but both are {_both(ha, hb)} "
                        f"(row {row_of[ha.case.case_id]} and this row)",
                    )
    for (d, sid), group in by_surgeon.items():
        group.sort(key=_start)
        for i, ha in enumerate(group):
            for hb in group[i + 1 :]:
                a, b = ha.case, hb.case
                if _start(hb) >= _start(ha) + a.duration_min:
                    break
                loader.error(
                    f,
                    row_of[b.case_id],
                    hb.col("start"),
                    f"{_both(ha, hb)} cases {a.case_id} ({_span(a, _start(ha))}, row "
                    f"{row_of[a.case_id]}) and {b.case_id} ({_span(b, _start(hb))}) overlap "
                    f"for surgeon {sid} on {d}",
                )


# What the loader says when two pinned cases break rule 6, by the rule they break.
_OUT_OF_ORDER = {
    rules.LATEX_ALLERGY: "latex-allergy case {then} must come before case {first}",
    rules.PAEDIATRIC: "paediatric case {then} must come before case {first}",
    rules.INFECTIOUS: "infectious case {first} must come after case {then}",
}


def _sequencing_problem(first: Case, then: Case) -> str | None:
    """Why ``then`` may not follow ``first`` in a room (contract rule 6), or ``None``."""
    rule = rules.precedence_rule(then.flags, first.flags)
    if rule is None:
        return None
    return _OUT_OF_ORDER[rule.flag].format(first=first.case_id, then=then.case_id)


def _check_pinned_capacity(
    loader: Reader,
    placed: list[_Held],
    row_of: Mapping[str, int],
    resources: Resources,
    rooms_each: int,
) -> None:
    """Cases held at whole slots alone must not need more anaesthetists (running cases, or
    inductions at once) or pool units than given."""
    f = CASES
    users: dict[tuple[str, dt.date], list[tuple[int, int, _Held]]] = defaultdict(list)
    for h in placed:
        c, d, start = h.case, h.slot.date, _start(h)
        if c.needs_anaesthetist:
            users[ANAESTHETIST, d].append((start, start + c.duration_min, h))
            if c.induction_min:
                users[INDUCTION, d].append((start, start + c.induction_min, h))
        for e in c.equipment:
            if e in resources.pools:
                users[e, d].append((start, start + c.duration_min, h))
    for (name, d), group in users.items():
        res = ANAESTHETIST if name == INDUCTION else name
        cap = resources.capacity.get((res, d))
        if cap is None:
            continue
        if name == ANAESTHETIST:
            cap *= rooms_each
        column = "equipment" if res != ANAESTHETIST else "anaesthesia"
        running: list[int] = []  # end times of the held cases running, as a heap
        for start, end, h in sorted(group, key=lambda u: u[0]):
            while running and running[0] <= start:
                heapq.heappop(running)
            heapq.heappush(running, end)
            if len(running) > cap:
                c = h.case
                what = "be in their induction" if name == INDUCTION else f"use {name}"
                column = "induction_min" if name == INDUCTION else column
                loader.error(
                    f,
                    row_of[c.case_id],
                    column,
                    f"{h.word} case {c.case_id} ({_span(c, start)}) makes {len(running)} "
                    f"{h.word} cases {what} at once on {d}; the capacity is {cap} "
                    "(resources.csv)",
                )


def _check_beds(
    loader: Reader, placed: list[_Held], row_of: Mapping[str, int], resources: Resources
) -> None:
    """Cases held on a date alone must not need more beds than given on a date of their stays."""
    holders: dict[tuple[str, dt.date], list[_Held]] = defaultdict(list)
    for h in placed:
        for bed, k in h.case.bed_stay:
            holders[bed, h.slot.date + dt.timedelta(days=k)].append(h)
    for (bed, d), group in holders.items():
        cap = resources.capacity.get((bed, d))
        if cap is None or len(group) <= cap:
            continue
        column = "needs_icu" if bed == BEDS[0] else "ward_days"
        others = "pinned" if all(h.word == "pinned" for h in group) else "pinned or fixed"
        for h in group[cap:]:
            c = h.case
            loader.error(
                CASES,
                row_of[c.case_id],
                column,
                f"{h.word} case {c.case_id} needs {BED_WORDS[bed]} on {d}, but the "
                f"{cap} bed(s) of that date (resources.csv) are taken by other "
                f"{others} cases",
            )

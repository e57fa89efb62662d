"""Cases held in place stay there: pinned ones at their planned slot, the planner's
overrides (``fixed_date``, ``fixed_room``, ``fixed_start``) where they say.

A held case that cannot be operated there would make every schedule break the
contract, so it is bad input, named by the case and the column of the slot it
comes from (``planned_*`` for a pinned case, ``fixed_*`` for an override). A
fixed date (and room) without a start must have a session there that can host
the case, long enough, inside its surgeon's hours; a whole slot must fit its
session, its room and its surgeon's hours; and the held cases must fit
together: rooms, surgeons and sequencing for whole slots, anaesthetists
(running cases and inductions) and pools for whole slots, beds over the stays
of every held case. Part of the data model's invariants (:mod:`.invariants`).
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import rules
from ..clock import format_time
from .flaw import ALL_KNOWN, Flaw, Known
from .layout import ANAESTHETIST, ICU_BED

if TYPE_CHECKING:
    from .schema import Case, FixedSlot, Policy, Room, Session, SurgeonWindow

Spans = Mapping[dt.date, tuple[tuple[int, int], ...]]
INDUCTION = "anaesthetist induction"  # the held cases in their induction, per date
BED_WORDS = {ICU_BED: "an ICU bed", "ward_bed": "a ward bed"}


@dataclass(frozen=True)
class Held:
    """Case ``index`` held at ``slot``, with the words its problems are told in."""

    index: int
    case: Case
    slot: FixedSlot

    @property
    def word(self) -> str:
        return "pinned" if self.slot.columns == "planned" else "fixed"

    def col(self, part: str) -> str:
        return f"{self.slot.columns}_{part}"

    @property
    def start(self) -> int:
        assert self.slot.start is not None
        return self.slot.start

    @property
    def span(self) -> str:
        return f"{format_time(self.start)}-{format_time(self.start + self.case.duration_min)}"


def held_flaws(
    cases: Sequence[Case],
    rooms: Sequence[Room],
    sessions: Sequence[Session],
    windows: Sequence[SurgeonWindow],
    capacity: Mapping[tuple[str, dt.date], int],
    pools: frozenset[str],
    policy: Policy,
    known: Known = ALL_KNOWN,
) -> list[Flaw]:
    """Each held case of the horizon (pinned, or fixed by the planner) fits where it is
    held, and all of them together.

    A check needing a collection not ``known`` is skipped (in code, all are known).
    """

    room_by_id = {r.room_id: r for r in rooms}
    unsure = known.unsure_sessions
    session_by_key = {(s.date, s.room_id): s for s in sessions if (s.date, s.room_id) not in unsure}
    merged = rules.windows_by_surgeon(windows) if known.windows else {}
    for sid in known.unsure_surgeons:  # some of their hours unknown: not checked
        merged.pop(sid, None)
    out: list[Flaw] = []
    placed: list[Held] = []
    for i, c in enumerate(cases):
        slot = c.fixed_slot
        if slot is None:
            continue
        h = Held(i, c, slot)
        cid, d, word = c.case_id, slot.date, h.word
        if word == "pinned" and d > policy.end_date:
            continue  # outside this run: written as unscheduled
        before = len(out)
        if not policy.start_date <= d <= policy.end_date:
            if not known.horizon:
                continue
            early = d < policy.start_date
            when = "before the horizon starts" if early else "after it ends"
            edge = policy.start_date if early else policy.end_date
            undo = "unpin it" if word == "pinned" else "change or clear fixed_date"
            out.append(
                Flaw(
                    "cases",
                    i,
                    h.col("date"),
                    f"case {cid} is {word} on {d}, {when} ({edge}); {undo}",
                )
            )
            continue
        if c.release_date is not None and c.release_date > d:
            out.append(
                Flaw(
                    "cases",
                    i,
                    "release_date",
                    f"case {cid} is {word} on {d}, before its release date {c.release_date}",
                )
            )
        spans = merged.get(c.surgeon_id)
        if slot.full:
            out += _slot_flaws(h, session_by_key, room_by_id, known, pools, spans)
        elif known.sessions and known.rooms and all(k[0] != d for k in unsure):
            out += _date_flaws(h, sessions, room_by_id, pools, spans)
        if known.resources and not slot.full:
            out += _zero_flaws(h, capacity, pools)
        if len(out) == before:
            placed.append(h)
    whole = [h for h in placed if h.slot.full]
    out += _together(whole, policy.turnover_min)
    if known.resources:
        out += _capacity(whole, capacity, pools, policy.anaesthetist_rooms)
        out += _beds(placed, capacity)
    return out


def _slot_flaws(
    h: Held,
    session_by_key: Mapping[tuple[dt.date, str], Session],
    room_by_id: Mapping[str, Room],
    known: Known,
    pools: frozenset[str],
    spans: Spans | None,
) -> list[Flaw]:
    """A whole slot (date, room, start): its session, its room, its surgeon's hours."""

    c, slot, word, i = h.case, h.slot, h.word, h.index
    assert slot.room is not None
    cid, d, start, end = c.case_id, slot.date, h.start, h.start + c.duration_min
    out: list[Flaw] = []
    s = session_by_key.get((d, slot.room))
    if known.sessions and s is None and (d, slot.room) not in known.unsure_sessions:
        out.append(
            Flaw(
                "cases",
                i,
                h.col("room"),
                f"case {cid} is {word} in room {slot.room}, which has no session on {d}",
            )
        )
    elif s is not None and (start < s.start or end > s.end):
        out.append(
            Flaw(
                "cases",
                i,
                h.col("start"),
                f"{word} case {cid} ({h.span}) does not fit the session of room "
                f"{slot.room} on {d} ({format_time(s.start)}-{format_time(s.end)})",
            )
        )
    elif s is not None and not rules.session_admits(s.specialty, c.specialty):
        out.append(
            Flaw(
                "cases",
                i,
                h.col("room"),
                f"{word} case {cid} ({c.specialty}) is in room {slot.room} on {d}, whose "
                f"session is reserved to {s.specialty}",
            )
        )
    room = room_by_id.get(slot.room)
    if known.rooms and room is not None:
        if not rules.room_hosts_specialty(room, c.specialty):
            out.append(
                Flaw(
                    "cases",
                    i,
                    h.col("room"),
                    f"{word} case {cid}: room {slot.room} does not host {c.specialty}",
                )
            )
        absent = rules.missing_equipment(room, rules.fixed_needed(c.equipment, pools))
        if absent:
            out.append(
                Flaw(
                    "cases",
                    i,
                    "equipment",
                    f"{word} case {cid} needs {', '.join(absent)}, which room "
                    f"{slot.room} does not have",
                )
            )
    if spans is not None and not rules.within_windows(spans, d, (start, end)):
        out.append(
            Flaw(
                "cases",
                i,
                h.col("start"),
                f"{word} case {cid} ({h.span}) is outside the windows of surgeon "
                f"{c.surgeon_id} on {d} (surgeons.csv)",
            )
        )
    return out


def _date_flaws(
    h: Held,
    sessions: Sequence[Session],
    room_by_id: Mapping[str, Room],
    pools: frozenset[str],
    spans: Spans | None,
) -> list[Flaw]:
    """A date (and perhaps a room) alone: some session there hosts the case, long enough,
    inside its surgeon's hours."""

    c, slot, dur = h.case, h.slot, h.case.duration_min
    fixed = rules.fixed_needed(c.equipment, pools)
    there = [
        s
        for s in sessions
        if s.date == slot.date
        and (slot.room is None or s.room_id == slot.room)
        and s.room_id in room_by_id
        and rules.hosts_case(room_by_id[s.room_id], s.specialty, c.specialty, fixed)
    ]
    long_enough = [s for s in there if s.end - s.start >= dur]
    hours = () if spans is None else spans.get(slot.date, ())
    if any(
        spans is None or any(max(a, s.start) + dur <= min(b, s.end) for a, b in hours)
        for s in long_enough
    ):
        return []
    where = f"room {slot.room}" if slot.room is not None else "any room"
    if not there:
        why = f"{where} has no session on {slot.date} that hosts it"
    elif not long_enough:
        why = f"no session of {where} on {slot.date} is {dur} min long"
    else:
        why = f"surgeon {c.surgeon_id} has no {dur} min inside a session of {where} (surgeons.csv)"
    column = h.col("room" if slot.room is not None else "date")
    return [
        Flaw("cases", h.index, column, f"case {c.case_id} is {h.word} on {slot.date}, but {why}")
    ]


def _zero_flaws(
    h: Held, capacity: Mapping[tuple[str, dt.date], int], pools: frozenset[str]
) -> list[Flaw]:
    """A case held on a date without a start needing a resource that has none that date
    (whole slots are checked in :func:`_capacity`, beds in :func:`_beds`)."""

    c, d = h.case, h.slot.date
    need = [ANAESTHETIST] if c.needs_anaesthetist else []
    need += [e for e in c.equipment if e in pools]
    for name in need:
        if capacity.get((name, d)) == 0:
            return [
                Flaw(
                    "cases",
                    h.index,
                    h.col("date"),
                    f"{h.word} case {c.case_id} needs {name} on {d}, which has none "
                    "(resources.csv)",
                )
            ]
    return []


def _both(a: Held, b: Held) -> str:
    """How two held cases are called together: both pinned, both fixed, or one of each."""
    return f"both {a.word}" if a.word == b.word else "one pinned, one fixed"


def _together(placed: list[Held], turnover: int) -> list[Flaw]:
    """Cases held at whole slots must not collide in a room or for a surgeon, and keep the
    sequencing rule."""

    out: list[Flaw] = []
    by_room: dict[tuple[dt.date, str], list[Held]] = defaultdict(list)
    by_surgeon: dict[tuple[dt.date, str], list[Held]] = defaultdict(list)
    for h in placed:
        assert h.slot.room is not None
        by_room[h.slot.date, h.slot.room].append(h)
        by_surgeon[h.slot.date, h.case.surgeon_id].append(h)
    for (d, rid), group in by_room.items():
        group.sort(key=lambda h: h.start)
        for ha, hb in zip(group, group[1:], strict=False):
            if hb.start < ha.start + ha.case.duration_min + turnover:
                apart = f"in room {rid} on {d} are less than the turnover ({turnover} min) apart"
                out.append(_clash(ha, hb, apart))
        for k, ha in enumerate(group):
            for hb in group[k + 1 :]:
                if problem := _sequencing_problem(ha.case, hb.case):
                    out.append(
                        Flaw(
                            "cases",
                            hb.index,
                            "flags",
                            f"{problem} in room {rid} on {d}, but neither can move: "
                            f"{_both(ha, hb)} (row {{0}} and this row)",
                            (ha.index,),
                        )
                    )
    for (_d, sid), group in by_surgeon.items():
        group.sort(key=lambda h: h.start)
        for k, ha in enumerate(group):
            for hb in group[k + 1 :]:
                if hb.start >= ha.start + ha.case.duration_min:
                    break
                out.append(_clash(ha, hb, f"overlap for surgeon {sid} on {hb.slot.date}"))
    return out


def _clash(ha: Held, hb: Held, what: str) -> Flaw:
    """Two held cases too close in time, told at the later one's start (the earlier one's
    row named in the message)."""
    return Flaw(
        "cases",
        hb.index,
        hb.col("start"),
        f"cases {ha.case.case_id} ({ha.span}, row {{0}}) "
        f"and {hb.case.case_id} ({hb.span}), {_both(ha, hb)}, {what}",
        (ha.index,),
    )


# What is said when two held cases break rule 6, by the rule they break.
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


def _capacity(
    placed: list[Held],
    capacity: Mapping[tuple[str, dt.date], int],
    pools: frozenset[str],
    rooms_each: int,
) -> list[Flaw]:
    """Cases held at whole slots alone must not need more anaesthetists (running cases, or
    inductions at once) or pool units than given."""

    out: list[Flaw] = []
    users: dict[tuple[str, dt.date], list[tuple[int, int, Held]]] = defaultdict(list)
    for h in placed:
        c, d = h.case, h.slot.date
        if c.needs_anaesthetist:
            users[ANAESTHETIST, d].append((h.start, h.start + c.duration_min, h))
            if c.induction_min:
                users[INDUCTION, d].append((h.start, h.start + c.induction_min, h))
        for e in c.equipment:
            if e in pools:
                users[e, d].append((h.start, h.start + c.duration_min, h))
    for (name, d), group in users.items():
        res = ANAESTHETIST if name == INDUCTION else name
        cap = capacity.get((res, d))
        if cap is None:
            continue
        if name == ANAESTHETIST:
            cap *= rooms_each
        column = {ANAESTHETIST: "anaesthesia", INDUCTION: "induction_min"}.get(name, "equipment")
        what = "in their induction" if name == INDUCTION else f"using {name}"
        running: list[int] = []  # end times of the held cases running, as a heap
        for start, end, h in sorted(group, key=lambda u: u[0]):
            while running and running[0] <= start:
                heapq.heappop(running)
            heapq.heappush(running, end)
            if len(running) > cap:
                out.append(
                    Flaw(
                        "cases",
                        h.index,
                        column,
                        f"{h.word} case {h.case.case_id} ({h.span}) brings to {len(running)} "
                        f"the pinned or fixed cases {what} at once on {d}; the capacity is "
                        f"{cap} (resources.csv)",
                    )
                )
    return out


def _beds(placed: list[Held], capacity: Mapping[tuple[str, dt.date], int]) -> list[Flaw]:
    """Held cases alone must not need more beds than given on a date of their stays."""

    out: list[Flaw] = []
    holders: dict[tuple[str, dt.date], list[Held]] = defaultdict(list)
    for h in placed:
        for bed, k in h.case.bed_stay:
            holders[bed, h.slot.date + dt.timedelta(days=k)].append(h)
    for (bed, d), group in holders.items():
        cap = capacity.get((bed, d))
        if cap is None or len(group) <= cap:
            continue
        column = "needs_icu" if bed == ICU_BED else "ward_days"
        others = "pinned" if all(h.word == "pinned" for h in group) else "pinned or fixed"
        for h in group[cap:]:
            out.append(
                Flaw(
                    "cases",
                    h.index,
                    column,
                    f"{h.word} case {h.case.case_id} needs {BED_WORDS[bed]} on {d}, but "
                    f"other cases ({others}) already take that date's capacity ({cap}, "
                    "resources.csv)",
                )
            )
    return out

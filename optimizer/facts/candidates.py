"""Where and when each case could go: the options every solver path shares.

Built once per scenario, with dense indices inside (ids stay outside). A case's
options are the (date, room) pairs whose session hosts it, with the start times
allowed by the session and the surgeon's windows, plus the partner transfers it
may take. The CP-SAT model, the constructive schedule and the explanations all
read these, so a rule is encoded once.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import NamedTuple

from ..rules import fixed_needed, hosts_case, notice_allows
from ..scenario.schema import ANAESTHETIST, Case, Scenario
from .budget import allowed_days
from .budget import pin_to_starts as pin_to_starts
from .budget import restrict as restrict
from .levers import Levers, build_levers
from .solution import Placement

Span = tuple[int, int]  # inclusive range of allowed start minutes


class RoomOption(NamedTuple):
    """Case ``case`` may start in room ``room`` on date ``day`` at any minute of ``starts``.

    A named tuple, not a frozen dataclass: a region has millions of options, built in
    half the time."""

    case: int
    day: int
    room: int
    starts: tuple[Span, ...]


@dataclass(frozen=True)
class TransferOption:
    case: int
    partner: int  # index into Candidates.partner_slots
    day: int


@dataclass(frozen=True)
class PartnerSlot:
    partner_id: str
    day: int
    specialty: str
    capacity: int


@dataclass(frozen=True)
class AnnouncedSlot:
    """A case's announced appointment: its horizon day (``None``: outside the horizon),
    its room (``None``: not announced, or ``has_room`` and unknown here) and start; or,
    for an announced transfer (``announced_room`` a partner's id), that ``partner``."""

    day: int | None
    room: int | None
    has_room: bool
    start: int | None
    partner: str | None = None

    def transfer_kept(self, cand: Candidates, p: Placement | None) -> bool:
        """Whether ``p`` keeps this announced transfer: to that partner, on that day."""
        return (
            self.partner is not None
            and p is not None
            and p.partner is not None
            and p.day == self.day
            and cand.partner_slots[p.partner].partner_id == self.partner
        )


@dataclass
class Candidates:
    """All options of all cases, indexed densely.

    ``dates[d]`` is the d-th calendar date of the horizon; ``rooms[r]`` the r-th
    room id. Cases outside the run (planned after the horizon) have no options.
    """

    scenario: Scenario
    dates: list[dt.date]
    rooms: list[str]
    room_options: list[list[RoomOption]]  # per case
    transfer_options: list[list[TransferOption]]  # per case
    partner_slots: list[PartnerSlot]
    session_span: dict[tuple[int, int], Span]  # (day, room) -> widest (start, end) usable
    out_of_run: list[bool]  # planned after the horizon
    earliest_day: list[int | None]
    deadline_day: list[int | None]  # index of the deadline if inside the horizon
    planned_day: list[int | None]  # index of the planned date if inside the horizon
    pinned: list[bool]  # held: pinned, or fixed by the planner (operated, in its options only)
    day_of: dict[dt.date, int] = field(default_factory=dict)
    # Options built only on the planned date, the dates to the deadline and the
    # first ``days_ahead`` other dates (see build_candidates); None: all of them.
    days_ahead: int | None = None
    levers: Levers | None = None  # extra sessions, overtime, reserve (None: none at all)
    # cases given their planned date alone (a waiting case: its first date) because the
    # options' deadline passed before their turn (see build_candidates)
    cut_short: int = 0

    def on_date(self, cases: Collection[int], d: int, held: Collection[int]) -> Candidates:
        """A date's own options: ``cases`` with their options on date ``d`` only, every other
        case none (left out of a model built from them), no transfer, ``held`` pinned."""
        n = len(self.cases)
        return replace(
            self,
            room_options=[
                [o for o in self.room_options[i] if o.day == d] if i in cases else []
                for i in range(n)
            ],
            transfer_options=[[] for _ in range(n)],
            pinned=[i in held for i in range(n)],
        )

    def regular_starts(self, opt: RoomOption) -> tuple[Span, ...]:
        """The starts of ``opt`` inside the regular session, without overtime: where the
        constructive schedule may place a case (it takes no extra session, no overtime)."""
        lev = self.levers
        if lev is None or not (lev.overtime or lev.extras):
            return opt.starts
        base = lev.base_span.get((opt.day, opt.room))
        if base is None:
            return ()
        hi = base[1] - self.cases[opt.case].duration_min
        return tuple(
            (max(a, base[0]), min(b, hi)) for a, b in opt.starts if max(a, base[0]) <= min(b, hi)
        )

    @cached_property
    def cases(self) -> Sequence[Case]:
        # cached: read millions of times by the first fit and the levels' values
        return self.scenario.cases

    @cached_property
    def room_index(self) -> dict[str, int]:
        return {r: i for i, r in enumerate(self.rooms)}

    @cached_property
    def planned_room(self) -> list[int | None]:
        return [
            self.room_index.get(c.planned_room) if c.planned_room is not None else None
            for c in self.cases
        ]

    @cached_property
    def weight(self) -> list[float]:
        classes = self.scenario.policy.urgency
        return [classes[c.urgency].weight for c in self.cases]

    @cached_property
    def rank(self) -> list[int]:
        ranks = self.scenario.policy.urgency_rank
        return [ranks[c.urgency] for c in self.cases]

    @cached_property
    def announced(self) -> list[AnnouncedSlot | None]:
        """Per case: its announced appointment in indices (``None``: none announced)."""
        out: list[AnnouncedSlot | None] = []
        for c in self.cases:
            if c.announced_date is None or c.pinned:  # a pinned case stays as planned anyway
                out.append(None)
                continue
            day = self.day_of.get(c.announced_date)
            if c.announced_room in self.partner_ids:  # a transfer announced (a re-plan's)
                out.append(AnnouncedSlot(day, None, False, None, c.announced_room))
                continue
            room = self.room_index.get(c.announced_room) if c.announced_room else None
            out.append(AnnouncedSlot(day, room, c.announced_room is not None,
                                     c.announced_start))  # fmt: skip
        return out

    @cached_property
    def waited(self) -> list[int]:
        """Per case: the days its patient had waited by the date its delay counts from (the
        planned date, or the first date for a waiting case), from its ``listed_date``."""
        out = []
        for i, c in enumerate(self.cases):
            listed = self.scenario.listed(c)
            out.append(max((self.dates[0] - listed).days + self.base_day(i), 0))
        return out

    @cached_property
    def partner_ids(self) -> frozenset[str]:
        """The partners' ids (an announced room that is one is an announced transfer)."""
        return frozenset(p.partner_id for p in self.scenario.partners) - set(self.room_index)

    def base_day(self, i: int) -> int:
        """Day index from which delay counts: planned date (may be < 0 for backlog) or day 0."""
        return self.base_days[i]

    @cached_property
    def base_days(self) -> list[int]:
        """:meth:`base_day` of every case (read millions of times by the levels' values)."""
        first = self.dates[0]
        return [0 if c.planned_date is None else (c.planned_date - first).days for c in self.cases]

    def capacity(self, resource: str, day: int) -> int | None:
        """Capacity of ``resource`` on horizon day ``day`` (a bed's may be asked for a
        ``day`` past the horizon: stays run on); ``None``: unlimited."""
        dates = self.dates
        date = dates[day] if day < len(dates) else dates[0] + dt.timedelta(days=day)
        return self.scenario.capacity.get((resource, date))

    def stay(self, i: int, day: int) -> list[tuple[str, int]]:
        """The beds case ``i`` operated on ``day`` holds where they are counted: ``(bed,
        day)`` for each date of its stay that has a capacity row (the others are
        unlimited)."""
        return [
            (bed, day + k)
            for bed, k in self.bed_stays[i]
            if self.capacity(bed, day + k) is not None
        ]

    @cached_property
    def bed_stays(self) -> list[tuple[tuple[str, int], ...]]:
        """Per case, :attr:`Case.bed_stay` (a property that builds its tuple at every call)."""
        return [c.bed_stay for c in self.cases]

    def anaesthetist_capacity(self, day: int) -> tuple[int, int] | None:
        """``(inductions, running)`` at once on ``day``: the anaesthetists, and the cases
        needing anaesthesia they may supervise together; ``None``: unlimited."""
        cap = self.capacity(ANAESTHETIST, day)
        if cap is None:
            return None
        return cap, cap * self.scenario.policy.anaesthetist_rooms

    @cached_property
    def transfer_cost(self) -> list[float]:
        """Per case: the cost of sending it to a partner, above any safe postponement."""
        classes = self.scenario.policy.urgency
        finite = [c.weight * c.max_delay_days for c in classes.values() if c.max_delay_days]
        default = 1.0 + (max(finite) if finite else 0.0)
        out = []
        for c in self.cases:
            own = classes[c.urgency].transfer_cost
            out.append(own if own is not None else default)
        return out


def build_candidates(
    scenario: Scenario,
    *,
    extras: bool = False,
    most_extras: int | None = None,
    max_options: int | None = None,
    resources: bool = False,
    deadline: float | None = None,
) -> Candidates:
    """Enumerate every feasible (date, room) and transfer option of every case.

    With ``extras`` (``whatif``), the scenario's extra sessions are options too:
    a case may be placed in their rooms and hours, which the model opens only
    when it takes them (at most ``most_extras`` of them). With overtime
    allowed, a case may end up to ``overtime_max_min`` past its session's end.

    With ``max_options``, a scenario whose options would exceed it (estimated
    from the sessions, before any is built: a region's 50,000 cases have tens of
    millions) gets, per case, only its planned date, the dates up to its
    deadline and its first ``k`` other dates with a session, ``k`` as large as
    the budget allows; :attr:`Candidates.days_ahead` is then ``k`` (else ``None``).

    With ``resources`` (``whatif``), the extra beds and anaesthetists are options too: a
    date whose capacity is 0 is open to a case when more could be added there.

    With a ``deadline`` (a ``time.monotonic()``: a time-limited run), the cases are built
    most urgent first, and once it has passed each case left gets its planned date alone
    (a waiting case: its first date), counted in :attr:`Candidates.cut_short`: a region's
    options take minutes on a loaded machine, and the time limit is a promise.
    """
    policy = scenario.policy
    dates = policy.dates
    day_of = {d: i for i, d in enumerate(dates)}
    rooms = [r.room_id for r in scenario.rooms]
    room_idx = {r: i for i, r in enumerate(rooms)}
    levers = build_levers(
        scenario, day_of, room_idx, extras=extras, most_extras=most_extras, resources=resources
    )
    blocks = {(day_of[s.date], room_idx[s.room_id]): s.specialty
              for s in scenario.sessions if s.date in day_of}  # fmt: skip
    for o in levers.extras:
        if o.base is None:
            blocks[o.day, o.room] = scenario.extra_sessions[o.index].specialty
    sessions_by_day: list[list[tuple[int, int, int, str | None]]] = [[] for _ in dates]
    session_span: dict[tuple[int, int], Span] = {}
    for d, r in sorted(blocks):
        span = levers.usable_span(d, r)
        assert span is not None
        sessions_by_day[d].append((r, span[0], span[1], blocks[d, r]))
        session_span[d, r] = span
    pool_names = scenario.pool_names
    windows = scenario.windows_by_surgeon
    partners = sorted(
        (p for p in scenario.partners if p.date in day_of and p.capacity > 0),
        key=lambda p: (p.date, p.partner_id, p.specialty),
    )
    partner_slots = [
        PartnerSlot(p.partner_id, day_of[p.date], p.specialty, p.capacity) for p in partners
    ]
    cap = scenario.capacity
    # (specialty, fixed equipment) -> per day, the sessions that can host such a case
    compatible: dict[tuple[str, tuple[str, ...]], list[list[tuple[int, int, int]]]] = {}

    def hosts(c: Case) -> list[list[tuple[int, int, int]]]:
        fixed = fixed_needed(c.equipment, pool_names)
        key = (c.specialty, fixed)
        if key not in compatible:
            compatible[key] = [
                [
                    (r, s0, s1)
                    for r, s0, s1, block in day_sessions
                    if hosts_case(scenario.rooms[r], block, c.specialty, fixed)
                ]
                for day_sessions in sessions_by_day
            ]
        return compatible[key]

    # (surgeon with hours or None, hosting key, day) -> per hosting session: its room, its
    # length and its span cut to the surgeon's hours; shared by the cases that have them alike
    # (a region's 50,000 cases would otherwise cut the same spans millions of times)
    cut: dict[tuple[str | None, tuple[str, tuple[str, ...]], int], list[Clipped]] = {}
    # the day begun (policy.now): no start before it that date (a case held at its start, one
    # under way, has its one option without a cut)
    today, now = day_of.get(policy.start_date) if policy.now else None, policy.now or 0

    def clipped(c: Case, key: tuple[str, tuple[str, ...]], d: int) -> list[Clipped]:
        surgeon = c.surgeon_id if c.surgeon_id in windows else None
        found = cut.get((surgeon, key, d))
        if found is None:
            hours = None if surgeon is None else windows[surgeon].get(dates[d], ())
            found = cut[surgeon, key, d] = [
                (r, s1 - s0, _clip(max(s0, now) if d == today else s0, s1, hours))
                for r, s0, s1 in hosts(c)[d]
            ]
        return found

    # a start span's tuple, one object for every option that has it (millions on a region)
    same_starts: dict[Span, tuple[Span, ...]] = {}

    allowed, days_ahead = allowed_days(scenario, day_of, hosts, max_options)
    n = len(scenario.cases)
    room_options: list[list[RoomOption]] = [[] for _ in range(n)]
    transfer_options: list[list[TransferOption]] = [[] for _ in range(n)]
    out_of_run = [False] * n
    earliest: list[int | None] = [None] * n
    deadline_day: list[int | None] = [None] * n
    planned_day: list[int | None] = [None] * n
    pinned = [False] * n
    # with a deadline, the most urgent first: past it, the cases left get one date only
    order = range(n) if deadline is None else _most_urgent_first(scenario)
    late, cut_short = False, 0
    for step, i in enumerate(order):
        c = scenario.cases[i]
        opts, transfers = room_options[i], transfer_options[i]
        outside = c.planned_date is not None and c.planned_date > policy.end_date
        out_of_run[i] = outside
        planned_day[i] = day_of.get(c.planned_date) if c.planned_date is not None else None
        dl = scenario.deadline(c)
        deadline_day[i] = day_of.get(dl) if dl is not None else None
        first = max(d for d in (policy.start_date, c.planned_date, c.release_date) if d is not None)
        # held: pinned, or fixed by the planner (only the options there, and operated)
        slot = c.fixed_slot if not outside else None
        is_pinned = slot is not None
        # a changed announced appointment keeps out of the notice period (rules.notice_allows)
        notice = policy.notice_days if c.announced_date is not None and not is_pinned else 0
        if c.planned_date is None and c.announced_date is None:
            notice = policy.waiting_notice_days  # a waiting patient needs calling in too
        announced_day = day_of.get(c.announced_date) if c.announced_date is not None else None
        deadline_index = (dl - policy.start_date).days if dl is not None else None
        pinned[i] = is_pinned
        earliest[i] = day_of.get(first) if not outside else None
        if outside or first > policy.end_date:
            continue
        if slot is not None and slot.full:  # one place: taken as it is (the loader checked it)
            assert slot.start is not None and slot.room is not None
            opts.append(RoomOption(i, day_of[slot.date], room_idx[slot.room],
                                   ((slot.start, slot.start),)))  # fmt: skip
            continue
        held_day = day_of[slot.date] if slot is not None else None
        held_room = room_idx[slot.room] if slot is not None and slot.room is not None else None
        pools_needed = [e for e in c.equipment if e in pool_names]
        away = _away_days(scenario, c, day_of)  # the patient cannot come (unavailable.csv)
        surgeon_windows = windows.get(c.surgeon_id)
        by_day = hosts(c)
        key = (c.specialty, fixed_needed(c.equipment, pool_names))
        stay = c.bed_stay
        dur = c.duration_min
        days_allowed = allowed[i] if allowed is not None else None
        if deadline is not None and not late and step % 256 == 0:
            late = time.monotonic() > deadline
        if late and slot is None:  # its planned date only (a waiting case: its first date)
            pd = planned_day[i]
            days_allowed = {pd if pd is not None else day_of[first]}
            if announced_day is not None:  # a re-plan: the date the patient was given too
                days_allowed.add(announced_day)
            cut_short += 1
        for d in range(day_of[first], len(dates)):
            if held_day is not None:
                if d != held_day:
                    continue
            elif (
                not by_day[d]
                or not notice_allows(d, notice, announced_day, deadline_index)
                or (days_allowed is not None and d not in days_allowed)
                or d in away
            ):
                continue
            date = dates[d]
            if stay and any(
                cap.get((bed, date + dt.timedelta(days=k))) == 0 and not levers.offered(bed, d + k)
                for bed, k in stay
            ):
                continue
            if (
                c.needs_anaesthetist
                and cap.get((ANAESTHETIST, date)) == 0
                and not levers.offered(ANAESTHETIST, d)
            ):
                continue
            if pools_needed and any(cap.get((p, date)) == 0 for p in pools_needed):
                continue
            if surgeon_windows is not None and not surgeon_windows.get(date, ()):
                continue
            for r, length, clips in clipped(c, key, d):
                if length < dur or (held_room is not None and r != held_room):
                    continue
                if len(clips) == 1:  # the common case, without a tuple built to test it
                    lo, hi = clips[0]
                    if hi - lo >= dur:
                        span = (lo, hi - dur)
                        starts = same_starts.get(span)
                        if starts is None:
                            starts = same_starts[span] = (span,)
                        opts.append(RoomOption(i, d, r, starts))
                    continue
                spans = tuple((lo, hi - dur) for lo, hi in clips if hi - lo >= dur)
                if spans:
                    opts.append(RoomOption(i, d, r, spans))
        if c.transferable and slot is None:
            for k, p in enumerate(partner_slots):
                if (
                    p.specialty == c.specialty
                    and p.day >= day_of[first]
                    and p.day not in away
                    and notice_allows(p.day, notice, announced_day, deadline_index)
                ):
                    transfers.append(TransferOption(i, k, p.day))

    return Candidates(
        scenario=scenario,
        dates=dates,
        rooms=rooms,
        room_options=room_options,
        transfer_options=transfer_options,
        partner_slots=partner_slots,
        session_span=session_span,
        out_of_run=out_of_run,
        earliest_day=earliest,
        deadline_day=deadline_day,
        planned_day=planned_day,
        pinned=pinned,
        day_of=day_of,
        levers=None if levers.none else levers,
        days_ahead=days_ahead,
        cut_short=cut_short,
    )


def _most_urgent_first(scenario: Scenario) -> list[int]:
    """The cases by deadline (none last), then urgency class, then input order."""
    rank, cases = scenario.policy.urgency_rank, scenario.cases
    deadline = [scenario.deadline(c) or dt.date.max for c in cases]
    return sorted(range(len(cases)), key=lambda i: (deadline[i], rank[cases[i].urgency], i))


Clipped = tuple[int, int, tuple[Span, ...]]  # room, session length, its span in the hours


def _clip(s0: int, s1: int, hours: tuple[Span, ...] | None) -> tuple[Span, ...]:
    """The session ``[s0, s1]`` cut to the surgeon's ``hours`` (``None``: no hours listed)."""
    if hours is None:
        return ((s0, s1),)
    return tuple((max(w0, s0), min(w1, s1)) for w0, w1 in hours if max(w0, s0) <= min(w1, s1))


def _away_days(scenario: Scenario, case: Case, day_of: dict[dt.date, int]) -> frozenset[int]:
    """The horizon days on which the patient of ``case`` cannot come."""
    ranges = scenario.unavailable_by_case.get(case.case_id)
    if not ranges:
        return frozenset()
    return frozenset(d for date, d in day_of.items() if any(u.covers(date) for u in ranges))

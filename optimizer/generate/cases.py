"""The cases: drawn by specialty, packed into each day's sessions, then pinned, dated, waiting.

Every draw goes through the one generator ``rng`` it is given, in the order
:func:`optimizer.generate.generate` calls these functions.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..rules import INFECTIOUS, LATEX_ALLERGY, PAEDIATRIC, sequence_key
from ..scenario.schema import (
    ANAESTHESIA,
    Anaesthesia,
    Case,
    Policy,
    Room,
    Session,
    Unavailability,
)
from .capacity import largest_remainder
from .specialties import (
    DAY_END,
    DAY_START,
    MAX_DURATION,
    MIN_DURATION,
    PLANNED_URGENCY,
    URGENT_CLASSES,
    WAITING_URGENCY,
    Specialty,
)


@dataclass
class Draft:
    """A case while the plan is being built (mutable until it gets its id).

    Its fields are those of :class:`~optimizer.scenario.schema.Case` but the id,
    so :func:`to_case` hands them all over and ``Case`` (``extra="forbid"``)
    refuses any that drifts.
    """

    specialty: str
    surgeon_id: str
    duration_min: int
    urgency: str
    planned_date: dt.date | None = None
    planned_room: str | None = None
    planned_start: int | None = None
    release_date: dt.date | None = None
    due_date: dt.date | None = None
    equipment: tuple[str, ...] = ()
    anaesthesia: Anaesthesia = "general"
    needs_icu: bool = False
    transferable: bool = False
    pinned: bool = False
    flags: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class CaseTraits:
    """What drawn cases may carry, as :func:`optimizer.generate.generate` was asked.

    ``partner_share`` maps a specialty to the partners that take it (empty
    without partners): only its cases can be transferable.
    """

    use_pools: bool  # mobile equipment (resources.csv has the pools)
    use_flags: bool  # sequencing flags
    partner_share: dict[str, list[tuple[str, float]]]


def draw_duration(rng: np.random.Generator, spec: Specialty, longest: int) -> int:
    """A lognormal case duration in 5-minute steps, clipped to 15..min(600, longest)."""
    sigma2 = math.log(1 + spec.cv**2)
    mu = math.log(spec.mean_min) - sigma2 / 2
    minutes = 5 * round(float(rng.lognormal(mu, math.sqrt(sigma2))) / 5)
    return int(min(max(minutes, MIN_DURATION), MAX_DURATION, longest))


def pick(rng: np.random.Generator, choices: Sequence[tuple[str, float]]) -> str:
    p = np.array([w for _, w in choices])
    return choices[int(rng.choice(len(choices), p=p / p.sum()))][0]


def draw_case(
    rng: np.random.Generator,
    spec: Specialty,
    room: Room,
    surgeon_id: str,
    duration_min: int,
    urgency: Sequence[tuple[str, float]],
    traits: CaseTraits,
) -> Draft:
    """A case of ``spec`` for ``room``: urgency, anaesthesia, equipment, ICU, flags.

    Fixed equipment is only needed when ``room`` has it, so the case fits there.
    """
    equipment = [e for e, p in spec.fixed if e in room.equipment and rng.random() < p]
    if traits.use_pools:
        equipment += [e for e, p in spec.pools if rng.random() < p]
    flag: frozenset[str] = frozenset()
    if traits.use_flags:
        u = rng.random()
        # One flag at most: a latex and infectious case could not be both first and last.
        if u < 0.02:
            flag = frozenset({LATEX_ALLERGY})
        elif u < 0.02 + spec.paediatric:
            flag = frozenset({PAEDIATRIC})
        elif u < 0.04 + spec.paediatric:
            flag = frozenset({INFECTIOUS})
    transferable = spec.name in traits.partner_share and rng.random() < spec.transferable
    draft = Draft(
        specialty=spec.name,
        surgeon_id=surgeon_id,
        duration_min=duration_min,
        urgency=pick(rng, urgency),
        anaesthesia=ANAESTHESIA[int(rng.choice(3, p=spec.anaesthesia))],
        equipment=tuple(sorted(equipment)),
        needs_icu=bool(rng.random() < spec.icu),
        flags=flag,
        transferable=bool(transferable),
    )
    # As in Cannes, urgent cases can go to a partner of the region that takes them.
    if spec.name in traits.partner_share and draft.urgency in URGENT_CLASSES:
        draft.transferable = True
    return draft


def plan_day(
    rng: np.random.Generator,
    sessions: list[Session],
    room_by_id: dict[str, Room],
    by_name: dict[str, Specialty],
    surgeons: dict[str, list[str]],
    busy: dict[str, set[dt.date]],
    cases_per_day: int,
    turnover: int,
    traits: CaseTraits,
) -> list[Draft]:
    """Fill one day's room sessions, each with one surgeon and cases packed from the start."""
    if not sessions:
        return []
    d = sessions[0].date
    total = round(cases_per_day * float(rng.uniform(0.9, 1.1)))
    # Rooms get cases in proportion to how many of their specialty fit a session.
    fit = [(s.end - s.start) / (by_name[str(s.specialty)].mean_min + turnover) for s in sessions]
    targets = largest_remainder(fit, total)
    lists: list[list[Draft]] = [[] for _ in sessions]
    cursor = [s.start for s in sessions]
    used: set[str] = set()
    chosen: list[str] = []
    for s in sessions:
        pool = [x for x in surgeons[str(s.specialty)] if x not in used]
        sid = pool[int(rng.integers(len(pool)))]
        used.add(sid)
        chosen.append(sid)

    def place(i: int) -> bool:
        s = sessions[i]
        spec = by_name[str(s.specialty)]
        left = s.end - cursor[i]
        if left < MIN_DURATION:
            return False
        for _ in range(4):
            dur = draw_duration(rng, spec, s.end - s.start)
            if dur <= left:
                break
        else:
            dur = left - left % 5
        x = draw_case(
            rng,
            spec,
            room_by_id[s.room_id],
            chosen[i],
            dur,
            PLANNED_URGENCY,
            traits,
        )
        x.planned_date, x.planned_room = d, s.room_id
        lists[i].append(x)
        cursor[i] += dur + turnover
        return True

    missing = 0
    for i, target in enumerate(targets):
        for k in range(target):
            if not place(i):
                missing += target - k
                break
    # Cases that did not fit their room go where most time is left.
    while missing > 0:
        i = max(range(len(sessions)), key=lambda j: (sessions[j].end - cursor[j], -j))
        if not place(i):
            break
        missing -= 1

    out: list[Draft] = []
    for i, s in enumerate(sessions):
        if not lists[i]:
            continue
        busy.setdefault(chosen[i], set()).add(d)
        t = s.start
        # Rule 6's order; the sort is stable, so unflagged cases stay in draw order.
        for x in sorted(lists[i], key=lambda x: sequence_key(x.flags)):
            x.planned_start = t
            t += x.duration_min + turnover
            out.append(x)
    return out


def pin(rng: np.random.Generator, drafts: list[Draft], fraction: float) -> None:
    """Pin a few planned cases to their slot (patient admitted); pinned cases stay here."""
    n = round(fraction * len(drafts))
    for i in sorted(int(j) for j in rng.permutation(len(drafts))[:n]):
        drafts[i].pinned = True
        drafts[i].transferable = False


def draw_due_dates(rng: np.random.Generator, drafts: list[Draft]) -> None:
    """A few planned cases have a due date tighter than their class (e.g. a cancer pathway)."""
    for x in drafts:
        if rng.random() < 0.04 and x.urgency in ("P2", "P3") and x.planned_date is not None:
            x.due_date = x.planned_date + dt.timedelta(days=int(rng.integers(2, 15)))


def waiting_list(
    rng: np.random.Generator,
    n: int,
    specs: list[Specialty],
    rooms: list[Room],
    surgeons: dict[str, list[str]],
    policy: Policy,
    traits: CaseTraits,
) -> list[Draft]:
    """Waiting-list cases: no planned date, some not ready before a release date."""
    span = (policy.end_date - policy.start_date).days + 1
    weights = [(s.name, s.room_share) for s in specs]
    by_name = {s.name: s for s in specs}
    out: list[Draft] = []
    for _ in range(n):
        spec = by_name[pick(rng, weights)]
        hosts = [r for r in rooms if r.hosts(spec.name)]
        room = hosts[int(rng.integers(len(hosts)))]
        pool = surgeons[spec.name]
        surgeon = pool[int(rng.integers(len(pool)))]
        duration = draw_duration(rng, spec, DAY_END - DAY_START)
        x = draw_case(rng, spec, room, surgeon, duration, WAITING_URGENCY, traits)
        if rng.random() < 0.3:
            x.release_date = policy.start_date + dt.timedelta(days=int(rng.integers(span)))
        if rng.random() < 0.1:
            base = x.release_date or policy.start_date
            x.due_date = base + dt.timedelta(days=int(rng.integers(7, 22)))
        out.append(x)
    return out


def to_case(case_id: str, x: Draft) -> Case:
    """The validated case of a finished draft."""
    return Case(case_id=case_id, **vars(x))


UNAVAILABLE_SHARE = 0.03  # of the cases, patients who say they cannot come a few days


def patients_side(
    rng: np.random.Generator, cases: tuple[Case, ...], policy: Policy
) -> tuple[tuple[Case, ...], tuple[Unavailability, ...]]:
    """When each patient was put on the list, and a few who cannot come a few days.

    A planned case was listed 1 to 36 weeks before its date, a waiting case as long before
    the first date. A patient away is away from the day after the planned date (the plan
    stays valid; a case the attack postpones meets it), or, waiting, some days of the
    horizon; pinned cases are never away.
    """
    listed = []
    for c in cases:
        base = c.planned_date or policy.start_date
        weeks = int(rng.integers(1, 37))
        listed.append(c.model_copy(update={"listed_date": base - dt.timedelta(weeks=weeks)}))
    span = (policy.end_date - policy.start_date).days + 1
    free = [c for c in listed if not c.pinned]
    n = max(1, round(UNAVAILABLE_SHARE * len(free))) if free else 0
    away = []
    for k in sorted(rng.choice(len(free), size=min(n, len(free)), replace=False)):
        c = free[int(k)]
        first = (c.planned_date + dt.timedelta(days=1) if c.planned_date is not None
                 else policy.start_date + dt.timedelta(days=int(rng.integers(span))))  # fmt: skip
        last = first + dt.timedelta(days=int(rng.integers(1, 6)))
        away.append(Unavailability(case_id=c.case_id, from_date=first, to_date=last,
                                   reason="patient away"))  # fmt: skip
    return tuple(listed), tuple(away)

"""Realistic synthetic scenarios: a valid original plan, then a disruption.

The generator builds what a hospital's planning office would have on the
morning of an attack: a surgical list for a few weeks, planned room by room,
that obeys every rule of the data contract under full capacity. Only then is
capacity taken away (:func:`optimizer.disrupt.disrupt`), so that every broken
rule in the disrupted scenario is the attack's doing, not the generator's.

How the plan is made valid by construction:

- each room-day serves one specialty (the session's block) and one surgeon,
  and a surgeon operates in at most one room a day, so surgeons never overlap;
- cases are packed from the session start with the policy's turnover between
  them, and only as many as fit before the session ends;
- within a room-day, latex-allergy cases come first, then paediatric ones,
  infectious ones last (a case carries at most one flag, so the order exists);
- a case needs fixed equipment only when its room has it;
- surgeon windows, anaesthetist, pool and ICU capacities are then set to cover
  the plan (never below its peak use), with realistic slack.

Everything is drawn from one ``numpy.random.default_rng(seed)`` in a fixed
order over sorted ids: the same arguments give the same files, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .disrupt import disrupt, peak_concurrency
from .rules import INFECTIOUS, LATEX_ALLERGY, PAEDIATRIC, sequence_key
from .scenario.layout import FILES, POLICY_FILE
from .scenario.schema import (
    ANAESTHESIA,
    ANAESTHETIST,
    ICU_BED,
    Anaesthesia,
    Case,
    PartnerCapacity,
    Policy,
    ResourceCapacity,
    Room,
    Scenario,
    Session,
    SurgeonWindow,
)
from .scenario.writer import write_scenario

DAY_START = 8 * 60
DAY_END = 18 * 60
MIN_DURATION = 15
MAX_DURATION = 600
UNDISRUPTED_SUFFIX = "_undisrupted"

# Session opening hours and how often each occurs: mostly full days, some half days.
SESSION_HOURS: tuple[tuple[int, int], ...] = (
    (DAY_START, DAY_END),
    (DAY_START, 16 * 60),
    (DAY_START, 13 * 60),
    (13 * 60, DAY_END),
)
SESSION_HOURS_P = (0.85, 0.05, 0.05, 0.05)

PLANNED_URGENCY = (
    ("EMERGENCY", 0.02),
    ("P1a", 0.04),
    ("P1b", 0.08),
    ("P2", 0.30),
    ("P3", 0.32),
    ("P4", 0.24),
)
WAITING_URGENCY = (("P2", 0.35), ("P3", 0.38), ("P4", 0.27))
POOLS = ("c_arm", "navigation")


@dataclass(frozen=True)
class Specialty:
    """How one specialty operates: durations, room share, equipment and risks."""

    name: str
    code: str  # prefix of its surgeons' ids
    mean_min: float  # mean case duration (lognormal)
    cv: float  # standard deviation / mean
    room_share: float  # share of the suite's room time
    anaesthesia: tuple[float, float, float]  # general, regional, local
    icu: float  # probability a case needs an ICU bed
    paediatric: float
    pools: tuple[tuple[str, float], ...] = ()  # mobile equipment and how often it is needed
    fixed: tuple[tuple[str, float], ...] = ()  # fixed equipment, needed when the room has it
    transferable: float = 0.15  # share of cases a partner could take
    affinity: tuple[str, ...] = ()  # specialties its rooms also host


SPECIALTIES: tuple[Specialty, ...] = (
    Specialty(
        name="general_surgery",
        code="GEN",
        mean_min=140,
        cv=0.7,
        room_share=0.2,
        anaesthesia=(0.92, 0.05, 0.03),
        icu=0.05,
        paediatric=0.04,
        pools=(("c_arm", 0.05),),
        fixed=(("robot", 0.15),),
        affinity=("urology", "gynaecology", "vascular"),
    ),
    Specialty(
        name="orthopaedics",
        code="ORT",
        mean_min=100,
        cv=0.6,
        room_share=0.2,
        anaesthesia=(0.6, 0.38, 0.02),
        icu=0.01,
        paediatric=0.04,
        pools=(("c_arm", 0.3), ("navigation", 0.08)),
        fixed=(("laminar_flow", 0.5),),
        affinity=("general_surgery",),
    ),
    Specialty(
        name="ophthalmology",
        code="OPH",
        mean_min=35,
        cv=0.6,
        room_share=0.1,
        anaesthesia=(0.15, 0.35, 0.5),
        icu=0.0,
        paediatric=0.08,
        affinity=("ent",),
    ),
    Specialty(
        name="urology",
        code="URO",
        mean_min=80,
        cv=0.7,
        room_share=0.12,
        anaesthesia=(0.7, 0.25, 0.05),
        icu=0.01,
        paediatric=0.03,
        pools=(("c_arm", 0.1),),
        fixed=(("robot", 0.3),),
        affinity=("gynaecology", "general_surgery"),
    ),
    Specialty(
        name="gynaecology",
        code="GYN",
        mean_min=110,
        cv=0.7,
        room_share=0.12,
        anaesthesia=(0.85, 0.12, 0.03),
        icu=0.01,
        paediatric=0.0,
        fixed=(("robot", 0.2),),
        affinity=("urology", "general_surgery"),
    ),
    Specialty(
        name="ent",
        code="ENT",
        mean_min=75,
        cv=0.7,
        room_share=0.1,
        anaesthesia=(0.9, 0.02, 0.08),
        icu=0.01,
        paediatric=0.12,
        pools=(("navigation", 0.15),),
        affinity=("ophthalmology", "general_surgery"),
    ),
    Specialty(
        name="vascular",
        code="VAS",
        mean_min=150,
        cv=0.7,
        room_share=0.09,
        anaesthesia=(0.8, 0.18, 0.02),
        icu=0.15,
        paediatric=0.0,
        pools=(("c_arm", 0.6),),
        affinity=("neurovascular", "general_surgery"),
    ),
    Specialty(
        name="neurovascular",
        code="NVA",
        mean_min=180,
        cv=0.7,
        room_share=0.07,
        anaesthesia=(0.95, 0.05, 0.0),
        icu=0.4,
        paediatric=0.0,
        pools=(("c_arm", 0.5), ("navigation", 0.5)),
        transferable=1.0,
        affinity=("vascular",),
    ),
)

# Partner hospitals of the Cannes area and the share of the specialty's daily
# cases each can take on a working day.
URGENT_CLASSES = frozenset({"EMERGENCY", "P1a", "P1b"})
PARTNERS: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = (
    ("CHU_Nice", (("neurovascular", 0.6), ("vascular", 0.3), ("general_surgery", 0.1))),
    ("CH_Antibes", (("orthopaedics", 0.15), ("general_surgery", 0.1), ("gynaecology", 0.15))),
    ("CH_Grasse", (("ophthalmology", 0.15), ("ent", 0.15), ("urology", 0.15))),
)


@dataclass(frozen=True)
class GeneratedScenario:
    """A generated plan and the same plan after the attack.

    ``plan`` has full capacity: every planned case fits where it is planned.
    ``disrupted`` has the same cases with the attack's reduced capacity; it is
    ``plan`` itself when the scenario was generated without disruption.
    """

    plan: Scenario
    disrupted: Scenario
    attack_dates: tuple[dt.date, ...] = ()

    @property
    def is_disrupted(self) -> bool:
        return self.disrupted is not self.plan


@dataclass
class _Draft:
    """A case while the plan is being built (mutable until it gets its id)."""

    specialty: Specialty
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


def working_days(start: dt.date, n: int) -> list[dt.date]:
    """The first ``n`` Monday-to-Friday dates from ``start`` on."""
    out: list[dt.date] = []
    d = start
    while len(out) < n:
        if d.weekday() < 5:
            out.append(d)
        d += dt.timedelta(days=1)
    return out


def generate(
    *,
    rooms: int = 11,
    days: int = 10,
    cases_per_day: int = 30,
    seed: int = 0,
    start_date: dt.date = dt.date(2024, 4, 15),
    waiting_cases: int | None = None,
    surgeon_windows: bool = True,
    blocks: bool = True,
    resources: bool = True,
    partners: bool = True,
    flags: bool = True,
    pinned_fraction: float = 0.03,
    disruption: bool = True,
    attack_day: int = 1,
    closed_fraction: float = 1 / 3,
    anaesthetist_loss: int | None = None,
) -> GeneratedScenario:
    """Generate a surgical plan that obeys the contract, and its disrupted twin.

    Parameters
    ----------
    rooms, days, cases_per_day
        Operating rooms, working days (Monday to Friday, from the first
        working day on or after ``start_date``) and planned cases per working
        day across the suite (about; fewer when they do not fit the sessions).
    waiting_cases
        Cases on the waiting list (no planned date); default a tenth of the
        planned cases.
    surgeon_windows, blocks, resources, partners, flags
        Whether to write surgeon windows (``surgeons.csv``), session blocks
        (``sessions.specialty``), shared resources (``resources.csv``: the
        anaesthetists, ``c_arm`` and ``navigation`` pools, ICU beds), partner
        hospitals (``partners.csv`` and transferable cases) and sequencing
        flags.
    pinned_fraction
        Share of planned cases pinned to their planned slot.
    disruption, attack_day, closed_fraction, anaesthetist_loss
        Whether to disrupt; the index of the working day the attack hits (1 =
        the second working day); the share of sessions it closes on that day
        and the next; anaesthetists lost on those days (default 40 % of the
        rooms). See :func:`optimizer.disrupt.disrupt`.

    Returns
    -------
    GeneratedScenario
        The full-capacity plan and the disrupted scenario.
    """
    if rooms < 1 or days < 1 or cases_per_day < 0:
        raise ValueError("rooms and days must be at least 1 and cases_per_day at least 0")
    if not 0.0 <= pinned_fraction <= 1.0:
        raise ValueError(f"pinned_fraction must be between 0 and 1, not {pinned_fraction}")
    if disruption and not 0 <= attack_day < days:
        raise ValueError(f"attack_day must be between 0 and {days - 1}, not {attack_day}")

    rng = np.random.default_rng(seed)
    dates = working_days(start_date, days)
    policy = Policy(start_date=dates[0], end_date=dates[-1])
    turnover = policy.turnover_min
    specs = _specialties(rooms)
    by_name = {s.name: s for s in specs}
    partner_share = _partner_share(by_name) if partners else {}

    suite = _rooms(rng, rooms, specs, by_name)
    room_list = [room for room, _ in suite]
    sessions = _sessions(rng, suite, dates)
    surgeons = _surgeon_pools(sessions, specs)

    drafts: list[_Draft] = []
    busy: dict[str, set[dt.date]] = {}  # surgeon -> dates operating
    room_by_id = {r.room_id: r for r in room_list}
    for d in dates:
        todays = [s for s in sessions if s.date == d]
        drafts += _plan_day(
            rng,
            todays,
            room_by_id,
            by_name,
            surgeons,
            busy,
            cases_per_day,
            turnover,
            resources,
            flags,
            partner_share,
        )

    planned = len(drafts)
    _pin(rng, drafts, pinned_fraction)
    _due_dates(rng, drafts)
    n_waiting = round(0.1 * planned) if waiting_cases is None else waiting_cases
    drafts += _waiting(
        rng, n_waiting, specs, room_list, surgeons, policy, resources, flags, partner_share
    )

    width = max(5, len(str(len(drafts))))
    cases = tuple(_case(f"C{i:0{width}d}", x) for i, x in enumerate(drafts, start=1))
    if not blocks:
        sessions = [
            Session(date=s.date, room_id=s.room_id, start=s.start, end=s.end) for s in sessions
        ]

    plan = Scenario(
        cases=cases,
        rooms=tuple(room_list),
        sessions=tuple(sessions),
        surgeon_windows=_windows(rng, surgeons, busy, sessions, dates) if surgeon_windows else (),
        resources=_resources(cases, sessions, policy, rooms) if resources else (),
        partners=_partners(partner_share, cases, dates),
        policy=policy,
        name=f"generated-{rooms}r{days}d{cases_per_day}c-seed{seed}",
    )
    if not disruption:
        return GeneratedScenario(plan=plan, disrupted=plan)
    loss = round(0.4 * rooms) if anaesthetist_loss is None else anaesthetist_loss
    attack_dates = tuple(dates[attack_day : attack_day + 2])
    disrupted = disrupt(
        plan,
        attack_date=dates[attack_day],
        closed_fraction=closed_fraction,
        attack_days=2,
        recovery_fraction=closed_fraction / 2,
        recovery_days=3,
        anaesthetist_loss=loss,
        seed=seed,
    )
    disrupted = disrupted.model_copy(update={"name": plan.name + "-disrupted"})
    return GeneratedScenario(plan=plan, disrupted=disrupted, attack_dates=attack_dates)


def undisrupted_folder(out_dir: str | Path) -> Path:
    """Where :func:`write_generated` puts the full-capacity plan: ``OUT`` + ``_undisrupted``."""
    out = Path(out_dir)
    return out.with_name(out.name + UNDISRUPTED_SUFFIX)


def write_generated(gen: GeneratedScenario, out_dir: str | Path) -> list[Path]:
    """Write the scenario to solve in ``out_dir``, the original plan beside it.

    ``out_dir`` gets the disrupted scenario; ``OUT_undisrupted`` (a sibling
    folder) the full-capacity plan. Without disruption only ``out_dir`` is
    written, with the plan. Scenario files already in a folder are replaced,
    so that a file from an earlier run (say ``surgeons.csv``) cannot linger.

    Returns
    -------
    list[Path]
        The folders written, the one to solve first.
    """
    targets = [(Path(out_dir), gen.disrupted)]
    if gen.is_disrupted:
        targets.append((undisrupted_folder(out_dir), gen.plan))
    for folder, scenario in targets:
        for name in (*FILES, POLICY_FILE):
            (folder / name).unlink(missing_ok=True)
        write_scenario(scenario, folder)
    return [folder for folder, _ in targets]


# -- building blocks ------------------------------------------------------


def _specialties(n_rooms: int) -> list[Specialty]:
    """All specialties, or the ones with most room time when rooms are fewer."""
    if n_rooms >= len(SPECIALTIES):
        return list(SPECIALTIES)
    keep = sorted(SPECIALTIES, key=lambda s: -s.room_share)[:n_rooms]
    return [s for s in SPECIALTIES if s in keep]


def _largest_remainder(weights: Sequence[float], total: int, minimum: int = 0) -> list[int]:
    """Split ``total`` into whole parts proportional to ``weights``, each at least ``minimum``."""
    base = [minimum] * len(weights)
    rest = total - minimum * len(weights)
    if rest <= 0 or not weights:
        return base
    s = sum(weights)
    exact = [rest * w / s for w in weights]
    parts = [math.floor(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[: rest - sum(parts)]:
        parts[i] += 1
    return [b + p for b, p in zip(base, parts, strict=True)]


def _partner_share(by_name: dict[str, Specialty]) -> dict[str, list[tuple[str, float]]]:
    """Specialty -> partners that take it, for the specialties this suite has."""
    out: dict[str, list[tuple[str, float]]] = {}
    for pid, shares in PARTNERS:
        for spec, share in shares:
            if spec in by_name:
                out.setdefault(spec, []).append((pid, share))
    return out


def _rooms(
    rng: np.random.Generator, n: int, specs: list[Specialty], by_name: dict[str, Specialty]
) -> list[tuple[Room, Specialty]]:
    """Rooms with a main specialty by room share, 0-2 related ones, and fixed equipment."""
    counts = _largest_remainder([s.room_share for s in specs], n, minimum=1)
    primaries = [s for s, k in zip(specs, counts, strict=True) for _ in range(k)]
    width = max(2, len(str(n)))
    robot_hosts = {"general_surgery", "urology", "gynaecology"}
    robot_candidates = [i for i, s in enumerate(primaries) if s.name in robot_hosts]
    n_robot = min(len(robot_candidates), max(1, round(n / 6)))
    robots = {robot_candidates[int(i)] for i in rng.permutation(len(robot_candidates))[:n_robot]}
    out: list[tuple[Room, Specialty]] = []
    for i, primary in enumerate(primaries):
        related = [a for a in primary.affinity if a in by_name]
        k = min(len(related), int(rng.choice(3, p=(0.35, 0.45, 0.2))))
        chosen = sorted(related[int(j)] for j in rng.permutation(len(related))[:k])
        equipment: set[str] = set()
        if primary.name == "orthopaedics":
            equipment.add("laminar_flow")
        if i in robots:
            equipment.add("robot")
        room = Room(
            room_id=f"OR{i + 1:0{width}d}",
            specialties=frozenset([primary.name, *chosen]),
            equipment=frozenset(equipment),
        )
        out.append((room, primary))
    return out


def _sessions(
    rng: np.random.Generator, rooms: list[tuple[Room, Specialty]], dates: list[dt.date]
) -> list[Session]:
    """One session per room and working day, blocked to the main specialty most days."""
    out: list[Session] = []
    for d in dates:
        for room, primary in rooms:
            start, end = SESSION_HOURS[int(rng.choice(len(SESSION_HOURS), p=SESSION_HOURS_P))]
            others = sorted(room.specialties - {primary.name})
            block = primary.name
            if others and rng.random() < 0.2:
                block = others[int(rng.integers(len(others)))]
            out.append(Session(date=d, room_id=room.room_id, start=start, end=end, specialty=block))
    return out


def _surgeon_pools(sessions: list[Session], specs: list[Specialty]) -> dict[str, list[str]]:
    """Surgeons per specialty: enough for its busiest day, plus a quarter in reserve."""
    most: dict[str, int] = {s.name: 0 for s in specs}
    per_day: dict[tuple[dt.date, str], int] = {}
    for s in sessions:
        assert s.specialty is not None
        per_day[s.date, s.specialty] = per_day.get((s.date, s.specialty), 0) + 1
    for (_, spec), k in per_day.items():
        most[spec] = max(most[spec], k)
    size = {name: k + max(1, math.ceil(k / 4)) for name, k in most.items()}
    return {s.name: [f"{s.code}{j + 1:02d}" for j in range(size[s.name])] for s in specs}


def _duration(rng: np.random.Generator, spec: Specialty, longest: int) -> int:
    """A lognormal case duration in 5-minute steps, clipped to 15..min(600, longest)."""
    sigma2 = math.log(1 + spec.cv**2)
    mu = math.log(spec.mean_min) - sigma2 / 2
    minutes = 5 * round(float(rng.lognormal(mu, math.sqrt(sigma2))) / 5)
    return int(min(max(minutes, MIN_DURATION), MAX_DURATION, longest))


def _pick(rng: np.random.Generator, choices: Sequence[tuple[str, float]]) -> str:
    p = np.array([w for _, w in choices])
    return choices[int(rng.choice(len(choices), p=p / p.sum()))][0]


def _draw(
    rng: np.random.Generator,
    spec: Specialty,
    room: Room,
    surgeon_id: str,
    duration_min: int,
    urgency: Sequence[tuple[str, float]],
    use_pools: bool,
    use_flags: bool,
    partner_share: dict[str, list[tuple[str, float]]],
) -> _Draft:
    """A case of ``spec`` for ``room``: urgency, anaesthesia, equipment, ICU, flags.

    Fixed equipment is only needed when ``room`` has it, so the case fits there.
    """
    equipment = [e for e, p in spec.fixed if e in room.equipment and rng.random() < p]
    if use_pools:
        equipment += [e for e, p in spec.pools if rng.random() < p]
    flag: frozenset[str] = frozenset()
    if use_flags:
        u = rng.random()
        # One flag at most: a latex and infectious case could not be both first and last.
        if u < 0.02:
            flag = frozenset({LATEX_ALLERGY})
        elif u < 0.02 + spec.paediatric:
            flag = frozenset({PAEDIATRIC})
        elif u < 0.04 + spec.paediatric:
            flag = frozenset({INFECTIOUS})
    transferable = spec.name in partner_share and rng.random() < spec.transferable
    draft = _Draft(
        specialty=spec,
        surgeon_id=surgeon_id,
        duration_min=duration_min,
        urgency=_pick(rng, urgency),
        anaesthesia=ANAESTHESIA[int(rng.choice(3, p=spec.anaesthesia))],
        equipment=tuple(sorted(equipment)),
        needs_icu=bool(rng.random() < spec.icu),
        flags=flag,
        transferable=bool(transferable),
    )
    # As in Cannes, urgent cases can go to a partner of the region that takes them.
    if spec.name in partner_share and draft.urgency in URGENT_CLASSES:
        draft.transferable = True
    return draft


def _plan_day(
    rng: np.random.Generator,
    sessions: list[Session],
    room_by_id: dict[str, Room],
    by_name: dict[str, Specialty],
    surgeons: dict[str, list[str]],
    busy: dict[str, set[dt.date]],
    cases_per_day: int,
    turnover: int,
    use_pools: bool,
    use_flags: bool,
    partner_share: dict[str, list[tuple[str, float]]],
) -> list[_Draft]:
    """Fill one day's room sessions, each with one surgeon and cases packed from the start."""
    if not sessions:
        return []
    d = sessions[0].date
    total = round(cases_per_day * float(rng.uniform(0.9, 1.1)))
    # Rooms get cases in proportion to how many of their specialty fit a session.
    fit = [(s.end - s.start) / (by_name[str(s.specialty)].mean_min + turnover) for s in sessions]
    targets = _largest_remainder(fit, total)
    lists: list[list[_Draft]] = [[] for _ in sessions]
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
            dur = _duration(rng, spec, s.end - s.start)
            if dur <= left:
                break
        else:
            dur = left - left % 5
        x = _draw(
            rng,
            spec,
            room_by_id[s.room_id],
            chosen[i],
            dur,
            PLANNED_URGENCY,
            use_pools,
            use_flags,
            partner_share,
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

    out: list[_Draft] = []
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


def _pin(rng: np.random.Generator, drafts: list[_Draft], fraction: float) -> None:
    """Pin a few planned cases to their slot (patient admitted); pinned cases stay here."""
    n = round(fraction * len(drafts))
    for i in sorted(int(j) for j in rng.permutation(len(drafts))[:n]):
        drafts[i].pinned = True
        drafts[i].transferable = False


def _due_dates(rng: np.random.Generator, drafts: list[_Draft]) -> None:
    """A few planned cases have a due date tighter than their class (e.g. a cancer pathway)."""
    for x in drafts:
        if rng.random() < 0.04 and x.urgency in ("P2", "P3") and x.planned_date is not None:
            x.due_date = x.planned_date + dt.timedelta(days=int(rng.integers(2, 15)))


def _waiting(
    rng: np.random.Generator,
    n: int,
    specs: list[Specialty],
    rooms: list[Room],
    surgeons: dict[str, list[str]],
    policy: Policy,
    use_pools: bool,
    use_flags: bool,
    partner_share: dict[str, list[tuple[str, float]]],
) -> list[_Draft]:
    """Waiting-list cases: no planned date, some not ready before a release date."""
    span = (policy.end_date - policy.start_date).days + 1
    weights = [(s.name, s.room_share) for s in specs]
    by_name = {s.name: s for s in specs}
    out: list[_Draft] = []
    for _ in range(n):
        spec = by_name[_pick(rng, weights)]
        hosts = [r for r in rooms if r.hosts(spec.name)]
        room = hosts[int(rng.integers(len(hosts)))]
        pool = surgeons[spec.name]
        surgeon = pool[int(rng.integers(len(pool)))]
        duration = _duration(rng, spec, DAY_END - DAY_START)
        x = _draw(
            rng, spec, room, surgeon, duration, WAITING_URGENCY, use_pools, use_flags, partner_share
        )
        if rng.random() < 0.3:
            x.release_date = policy.start_date + dt.timedelta(days=int(rng.integers(span)))
        if rng.random() < 0.1:
            base = x.release_date or policy.start_date
            x.due_date = base + dt.timedelta(days=int(rng.integers(7, 22)))
        out.append(x)
    return out


def _case(case_id: str, x: _Draft) -> Case:
    return Case(
        case_id=case_id,
        specialty=x.specialty.name,
        surgeon_id=x.surgeon_id,
        duration_min=x.duration_min,
        urgency=x.urgency,
        planned_date=x.planned_date,
        planned_room=x.planned_room,
        planned_start=x.planned_start,
        release_date=x.release_date,
        due_date=x.due_date,
        equipment=x.equipment,
        anaesthesia=x.anaesthesia,
        needs_icu=x.needs_icu,
        transferable=x.transferable,
        pinned=x.pinned,
        flags=x.flags,
    )


def _windows(
    rng: np.random.Generator,
    surgeons: dict[str, list[str]],
    busy: dict[str, set[dt.date]],
    sessions: list[Session],
    dates: list[dt.date],
) -> tuple[SurgeonWindow, ...]:
    """Each surgeon's availability: the whole day when operating, else a full day, half or none."""
    # An operating surgeon is available across every session's hours, so covers their own.
    lo = min([DAY_START, *(s.start for s in sessions)])
    hi = max([DAY_END, *(s.end for s in sessions)])
    out: list[SurgeonWindow] = []
    for sid in sorted(x for pool in surgeons.values() for x in pool):
        for d in dates:
            if d in busy.get(sid, ()):
                start, end = lo, hi
            else:
                u = rng.random()
                if u < 0.25:
                    continue  # consultations, teaching or leave
                if u < 0.33:
                    start, end = DAY_START, 13 * 60
                elif u < 0.41:
                    start, end = 13 * 60, DAY_END
                else:
                    start, end = DAY_START, DAY_END
            out.append(SurgeonWindow(surgeon_id=sid, date=d, start=start, end=end))
    return tuple(out)


def _resources(
    cases: tuple[Case, ...], sessions: list[Session], policy: Policy, n_rooms: int
) -> tuple[ResourceCapacity, ...]:
    """Capacities on every horizon date that cover the plan's peak use, with some slack.

    Anaesthetists: at least 80 % of the open rooms; pools: a fixed fleet (one
    C-arm for five rooms, one navigation system for ten); ICU beds: the daily
    average plus one. Weekends carry the weekday values (no session runs then);
    every date has a row so no resource is half-given.
    """
    on: dict[dt.date, list[Case]] = {}
    for c in cases:
        if c.planned_date is not None:
            on.setdefault(c.planned_date, []).append(c)
    rooms_open: dict[dt.date, int] = {}
    for s in sessions:
        rooms_open[s.date] = rooms_open.get(s.date, 0) + 1
    anaes = {
        d: max(
            peak_concurrency(c for c in cs if c.needs_anaesthetist), math.ceil(0.8 * rooms_open[d])
        )
        for d, cs in on.items()
    }
    pool_fleet = {
        "c_arm": max(1, math.ceil(n_rooms / 5)),
        "navigation": max(1, math.ceil(n_rooms / 10)),
    }
    for pool in POOLS:
        for cs in on.values():
            pool_fleet[pool] = max(
                pool_fleet[pool], peak_concurrency(c for c in cs if pool in c.equipment)
            )
    icu = {d: sum(c.needs_icu for c in cs) for d, cs in on.items()}
    icu_base = math.ceil(sum(icu.values()) / max(1, len(rooms_open))) + 1
    anaes_base = max(anaes.values(), default=math.ceil(0.8 * n_rooms))
    out: list[ResourceCapacity] = []
    for d in policy.dates:
        out.append(
            ResourceCapacity(date=d, resource=ANAESTHETIST, capacity=anaes.get(d, anaes_base))
        )
        for pool in POOLS:
            out.append(ResourceCapacity(date=d, resource=pool, capacity=pool_fleet[pool]))
        out.append(
            ResourceCapacity(date=d, resource=ICU_BED, capacity=max(icu.get(d, 0), icu_base))
        )
    return tuple(out)


def _partners(
    partner_share: dict[str, list[tuple[str, float]]],
    cases: tuple[Case, ...],
    dates: list[dt.date],
) -> tuple[PartnerCapacity, ...]:
    """Partner capacity on working days: a share of the specialty's average daily cases."""
    daily: dict[str, float] = {}
    for c in cases:
        if c.planned_date is not None:
            daily[c.specialty] = daily.get(c.specialty, 0.0) + 1 / len(dates)
    rows: list[PartnerCapacity] = []
    for spec, shares in sorted(partner_share.items()):
        for pid, share in shares:
            cap = max(1, round(share * daily.get(spec, 0.0)))
            rows += [
                PartnerCapacity(partner_id=pid, date=d, specialty=spec, capacity=cap) for d in dates
            ]
    return tuple(sorted(rows, key=lambda p: (p.partner_id, p.date, p.specialty)))

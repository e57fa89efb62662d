"""Realistic synthetic scenarios: a valid original plan, then a disruption.

The generator builds what a hospital's planning office would have on the
morning of an attack: a surgical list for a few weeks, planned room by room,
that obeys every rule of the data contract under full capacity. Only then is
capacity taken away (:func:`optimizer.generate.disrupt.disrupt`), so that every broken
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
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..scenario.contacts import Hospital
from ..scenario.layout import FILES, POLICY_FILE
from ..scenario.schema import Policy, Scenario, Session
from ..scenario.writer import write_scenario
from .capacity import (
    draw_rooms,
    draw_sessions,
    draw_windows,
    partner_capacities,
    partner_shares,
    resource_capacities,
    surgeon_pools,
)
from .cases import (
    CaseTraits,
    Draft,
    draw_due_dates,
    patients_side,
    pin,
    plan_day,
    to_case,
    waiting_list,
)
from .disrupt import disrupt
from .realism import with_realism
from .specialties import HOSPITAL, PARTNER_CONTACTS, SPECIALTIES, Specialty, specialties_for

__all__ = [
    "SPECIALTIES",
    "UNDISRUPTED_SUFFIX",
    "GeneratedScenario",
    "Specialty",
    "generate",
    "undisrupted_folder",
    "working_days",
    "write_generated",
]

UNDISRUPTED_SUFFIX = "_undisrupted"
# A waiting-list patient given a date is called in at least a day ahead (README, "Notice for
# the waiting list"): nobody can be told at 07:00 to come in that morning.
WAITING_NOTICE_DAYS = 1


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
    stays: bool = False,
    anaesthetist_rooms: int = 1,
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
        rooms). See :func:`optimizer.generate.disrupt.disrupt`.
    stays, anaesthetist_rooms
        Lengths of stay in ICU and on the ward, with ``icu_bed`` and
        ``ward_bed`` rows the plan fits (past the horizon too); how many rooms
        one anaesthetist supervises (above 1: inductions are drawn too). See
        :mod:`optimizer.generate.realism`; off by default, so the files are
        those of before.

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
    specs = specialties_for(rooms)
    by_name = {s.name: s for s in specs}
    partner_share = partner_shares(by_name) if partners else {}
    partner_ids = sorted({p for shares in partner_share.values() for p, _ in shares})
    policy = Policy(  # with partners, the Cannes area's hospitals: their letters' contacts
        start_date=dates[0],
        end_date=dates[-1],
        hospital=HOSPITAL if partners else Hospital(),
        partners={p: PARTNER_CONTACTS[p] for p in partner_ids},
    )
    turnover = policy.turnover_min
    traits = CaseTraits(use_pools=resources, use_flags=flags, partner_share=partner_share)

    suite = draw_rooms(rng, rooms, specs, by_name)
    room_list = [room for room, _ in suite]
    sessions = draw_sessions(rng, suite, dates)
    surgeons = surgeon_pools(sessions, specs)

    drafts: list[Draft] = []
    busy: dict[str, set[dt.date]] = {}  # surgeon -> dates operating
    room_by_id = {r.room_id: r for r in room_list}
    for d in dates:
        todays = [s for s in sessions if s.date == d]
        drafts += plan_day(
            rng,
            todays,
            room_by_id,
            by_name,
            surgeons,
            busy,
            cases_per_day,
            turnover,
            traits,
        )

    planned = len(drafts)
    pin(rng, drafts, pinned_fraction)
    draw_due_dates(rng, drafts)
    n_waiting = round(0.1 * planned) if waiting_cases is None else waiting_cases
    drafts += waiting_list(rng, n_waiting, specs, room_list, surgeons, policy, traits)

    width = max(5, len(str(len(drafts))))
    cases = tuple(to_case(f"C{i:0{width}d}", x) for i, x in enumerate(drafts, start=1))
    # the patients' side, from a generator of its own so that the rest draws as before: when
    # each was listed, a few away some days; a waiting patient is called in a day ahead
    cases, unavailable = patients_side(np.random.default_rng([seed, 22]), cases, policy)
    policy = policy.model_copy(update={"waiting_notice_days": WAITING_NOTICE_DAYS})
    if not blocks:
        sessions = [
            Session(date=s.date, room_id=s.room_id, start=s.start, end=s.end) for s in sessions
        ]

    plan = Scenario(
        cases=cases,
        rooms=tuple(room_list),
        sessions=tuple(sessions),
        surgeon_windows=draw_windows(rng, surgeons, busy, sessions, dates)
        if surgeon_windows
        else (),
        resources=resource_capacities(cases, sessions, policy, rooms) if resources else (),
        partners=partner_capacities(partner_share, cases, dates),
        unavailable=unavailable,
        policy=policy,
        name=f"generated-{rooms}r{days}d{cases_per_day}c-seed{seed}",
    )
    if stays or anaesthetist_rooms > 1:
        plan = with_realism(plan, seed, stays=stays, anaesthetist_rooms=anaesthetist_rooms)
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

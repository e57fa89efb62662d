"""More beds or anaesthetists as options (``extra_resources.csv``, ``whatif`` only).

An option raises the capacity of one resource on one date by up to ``most``
units at ``cost`` hundredths each. What a schedule needs of it is a plain
fact of its placements: the beds its cases hold that date over their stays,
or the anaesthetists its cases need at once (``max(inductions at once,
ceil(running cases at once / anaesthetist_rooms))``, the contract's two
rules); the units taken are what that exceeds the capacity by. The CP-SAT
side is :mod:`optimizer.model.capacity`; the constructive schedule and the
settling keep to the capacities as given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..scenario.schema import ANAESTHETIST, Case, ExtraResource, Scenario
from .levels import scaled
from .solution import Solution


@dataclass(frozen=True)
class ResourceOption:
    """Row ``index`` of ``scenario.extra_resources``: ``resource`` on day ``day`` (days from
    ``start_date``; a bed's may be past the horizon), capacity ``base``, up to ``most`` more
    at ``cost`` hundredths each."""

    index: int
    resource: str
    day: int
    base: int
    most: int
    cost: int


def build_resource_options(scenario: Scenario) -> tuple[ResourceOption, ...]:
    """The scenario's extra resources a schedule of its horizon can use: beds from its first
    date on (stays run past the horizon), anaesthetists inside it."""
    policy = scenario.policy
    out = []
    for k, e in enumerate(scenario.extra_resources):
        day = (e.date - policy.start_date).days
        if day < 0 or (e.resource == ANAESTHETIST and e.date > policy.end_date):
            continue
        base = scenario.capacity[e.resource, e.date]  # an invariant: the row exists
        out.append(ResourceOption(k, e.resource, day, base, e.extra, scaled(e.cost)))
    return tuple(out)


def resources_needed(
    options: Sequence[ResourceOption],
    cases: Sequence[Case],
    solution: Solution,
    anaesthetist_rooms: int,
) -> dict[int, int]:
    """Per option (its position), the units the schedule needs beyond the capacity (> 0 only)."""
    if not options:
        return {}
    held: dict[tuple[str, int], int] = defaultdict(int)
    on_day: dict[int, list[int]] = defaultdict(list)
    for i, p in enumerate(solution):
        if p is None or not p.here:
            continue
        on_day[p.day].append(i)
        for bed, k in cases[i].bed_stay:
            held[bed, p.day + k] += 1
    out = {}
    for n, o in enumerate(options):
        if o.resource == ANAESTHETIST:
            need = anaesthetists_needed(cases, solution, on_day.get(o.day, ()), anaesthetist_rooms)
        else:
            need = held.get((o.resource, o.day), 0)
        if need > o.base:
            out[n] = need - o.base
    return out


def anaesthetists_needed(
    cases: Sequence[Case], solution: Solution, day_cases: Sequence[int], rooms: int
) -> int:
    """The fewest anaesthetists for the cases ``day_cases`` of one date as placed: one per
    induction at once, one per ``rooms`` running cases at once (half-open intervals)."""
    running: list[tuple[int, int]] = []
    inducting: list[tuple[int, int]] = []
    for i in day_cases:
        c, p = cases[i], solution[i]
        if not c.needs_anaesthetist or p is None or p.start is None:
            continue
        running.append((p.start, p.start + c.duration_min))
        if c.induction_min:
            inducting.append((p.start, p.start + c.induction_min))
    return max(_peak(inducting), -(-_peak(running) // rooms))


def _peak(spans: Sequence[tuple[int, int]]) -> int:
    """The most spans ``[start, end)`` at one moment (an end before a start at the same time)."""
    events = sorted([(a, 1) for a, _ in spans] + [(b, -1) for _, b in spans])
    most = now = 0
    for _t, step in events:
        now += step
        most = max(most, now)
    return most


def taken_rows(
    scenario: Scenario, options: Sequence[ResourceOption], units: Mapping[int, int]
) -> tuple[ExtraResource, ...]:
    """The rows of ``extra_resources`` taken, ``extra`` being the units taken, in the
    scenario's order (what :meth:`Scenario.with_extra_resources` makes real)."""
    return tuple(
        scenario.extra_resources[options[n].index].model_copy(update={"extra": units[n]})
        for n in sorted(units, key=lambda n: options[n].index)
    )

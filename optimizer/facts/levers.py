"""Capacity beyond the sessions, as the candidates see it: extra sessions, overtime, reserve.

Three levers a crisis cell pulls besides moving cases (and a fourth,
``whatif``'s more beds or anaesthetists, in :mod:`.resource_levers`):

* **Extra sessions** (``extra_sessions.csv``, ``whatif`` only): a closed room
  reopened (*added*) or a session given longer hours (*lengthened*). Each is
  an option the model may take at its cost; a case may use its room or hours
  only when it is taken.
* **Overtime** (``overtime_max_min``, ``overtime_cost_per_min``): a session
  may run past its end by up to that many minutes, each minute at that cost.
  It never starts a session earlier, and a surgeon's windows still bind.
* **Emergency reserve** (``reserve_min``, ``[reserve]``): per date, minutes
  of session time kept free of elective cases (every class but those with
  ``max_delay_days = 0``) for the emergencies that will come; across all
  sessions, or in the sessions that can host a specialty. A date keeps its
  reserve when ``session minutes - elective minutes >= min(reserve, session
  minutes)``, an elective case taking its duration plus the turnover; so a date
  whose sessions are shorter than the reserve takes no elective case there.
  Overtime minutes are not session minutes.

This module holds the plain facts (no CP-SAT): which options exist, the hours
each room-date may use, the reserve groups, and :func:`capacity_use`, what a
schedule uses of them and what that costs. The CP-SAT side is
:mod:`optimizer.model.capacity`; the constructive schedule keeps to the regular
hours and the reserve; the independent checker rederives every rule itself.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from ..scenario.schema import Case, Scenario
from .levels import scaled
from .resource_levers import ResourceOption, build_resource_options, resources_needed
from .solution import Solution

Span = tuple[int, int]


@dataclass(frozen=True)
class ExtraOption:
    """Extra session ``index`` (of ``scenario.extra_sessions``) as an option of room-date
    (``day``, ``room``): hours ``start``-``end`` at ``cost`` hundredths. ``base`` is the
    regular session it lengthens, ``None`` for an added session."""

    index: int
    day: int
    room: int
    start: int
    end: int
    cost: int
    base: Span | None

    @property
    def added_minutes(self) -> int:
        """Session minutes it adds to the room-date."""
        own = self.end - self.start
        return own if self.base is None else own - (self.base[1] - self.base[0])


@dataclass(frozen=True)
class ReserveGroup:
    """One reserve to keep on one date: ``minutes`` free of elective cases in ``rooms``.

    ``specialty`` is ``None`` for the reserve across all sessions. ``base_min``
    counts the regular session minutes of those rooms that date; ``extras`` the
    extra sessions there, with the minutes each would add.
    """

    day: int
    specialty: str | None
    minutes: int
    rooms: frozenset[int]
    base_min: int
    extras: tuple[tuple[int, int], ...] = ()  # (position in Levers.extras, minutes added)

    def allowance(self, chosen_min: int = 0) -> int:
        """Elective minutes the group may take, ``chosen_min`` extra minutes being open."""
        return max(0, self.base_min + chosen_min - self.minutes)


@dataclass(frozen=True)
class Levers:
    """The levers of one scenario, with dense day and room indices."""

    overtime: int  # minutes a session may run past its end
    overtime_cost: int  # hundredths per minute
    turnover: int
    base_span: Mapping[tuple[int, int], Span]  # regular hours of each room-date
    extras: tuple[ExtraOption, ...] = ()
    reserves: tuple[ReserveGroup, ...] = ()
    elective: tuple[bool, ...] = ()  # per case
    extra_at: Mapping[tuple[int, int], int] = field(default_factory=dict)  # -> position
    groups_of: Mapping[tuple[int, int], tuple[int, ...]] = field(default_factory=dict)
    most_extras: int | None = None  # at most this many extra sessions (a point of the curve)
    keeps_reserve: bool = False  # the policy keeps a reserve (even where no session is open)
    resources: tuple[ResourceOption, ...] = ()  # more beds or anaesthetists (whatif)
    resource_at: Mapping[tuple[str, int], int] = field(default_factory=dict)  # -> position
    anaesthetist_rooms: int = 1

    @property
    def none(self) -> bool:
        """No lever at all: the model is exactly the one without them."""
        return not (self.overtime or self.extras or self.keeps_reserve or self.resources)

    @property
    def priced(self) -> bool:
        """Something to pay for: an extra session or resource, or overtime that costs."""
        return bool(self.extras or self.resources) or (self.overtime > 0 and self.overtime_cost > 0)

    def offered(self, resource: str, day: int) -> int:
        """Units of ``resource`` that could be added on ``day`` (0: none on offer)."""
        n = self.resource_at.get((resource, day))
        return 0 if n is None else self.resources[n].most

    def usable_span(self, day: int, room: int) -> Span | None:
        """The widest hours a case may use in a room-date (extra hours and overtime)."""
        base = self.base_span.get((day, room))
        k = self.extra_at.get((day, room))
        lo, hi = base if base is not None else (None, None)
        if k is not None:
            e = self.extras[k]
            lo = e.start if lo is None else min(lo, e.start)
            hi = e.end if hi is None else max(hi, e.end)
        if lo is None or hi is None:
            return None
        return (lo, hi + self.overtime)


def build_levers(
    scenario: Scenario,
    day_of: Mapping[dt.date, int],
    room_index: Mapping[str, int],
    *,
    extras: bool,
    most_extras: int | None = None,
    resources: bool = False,
) -> Levers:
    """The levers of ``scenario``; its extra sessions only when ``extras`` (``whatif``), at
    most ``most_extras`` of them; its extra beds and anaesthetists only when ``resources``."""
    policy = scenario.policy
    base: dict[tuple[int, int], Span] = {}
    block: dict[tuple[int, int], str | None] = {}
    for s in scenario.sessions:
        if s.date in day_of:
            key = (day_of[s.date], room_index[s.room_id])
            base[key] = (s.start, s.end)
            block[key] = s.specialty
    options: list[ExtraOption] = []
    if extras:
        for k, e in enumerate(scenario.extra_sessions):
            if e.date not in day_of:
                continue
            key = (day_of[e.date], room_index[e.room_id])
            options.append(
                ExtraOption(k, key[0], key[1], e.start, e.end, scaled(e.cost), base.get(key))
            )
            if key not in base:
                block[key] = e.specialty
    extra_at = {(o.day, o.room): n for n, o in enumerate(options)}
    reserves: list[ReserveGroup] = []
    groups_of: dict[tuple[int, int], list[int]] = defaultdict(list)
    rooms = scenario.rooms
    for specialty, minutes in policy.reserves:
        for d in sorted(set(day_of.values())):
            keys = [
                key
                for key, b in block.items()
                if key[0] == d
                and (
                    specialty is None or (rooms[key[1]].hosts(specialty) and b in (None, specialty))
                )
            ]
            if not keys:
                continue
            for key in keys:
                groups_of[key].append(len(reserves))
            reserves.append(
                ReserveGroup(
                    day=d,
                    specialty=specialty,
                    minutes=minutes,
                    rooms=frozenset(r for _d, r in keys),
                    base_min=sum(base[k][1] - base[k][0] for k in keys if k in base),
                    extras=tuple(
                        (extra_at[k], options[extra_at[k]].added_minutes)
                        for k in sorted(keys)
                        if k in extra_at
                    ),
                )
            )
    more = build_resource_options(scenario) if resources else ()
    return Levers(
        overtime=policy.overtime_max_min,
        overtime_cost=scaled(policy.overtime_cost_per_min),
        turnover=policy.turnover_min,
        base_span=base,
        extras=tuple(options),
        reserves=tuple(reserves),
        elective=tuple(policy.is_elective(c.urgency) for c in scenario.cases),
        extra_at=extra_at,
        groups_of={k: tuple(v) for k, v in groups_of.items()},
        most_extras=most_extras if options else None,
        keeps_reserve=bool(policy.reserves),
        resources=more,
        resource_at={(o.resource, o.day): n for n, o in enumerate(more)},
        anaesthetist_rooms=policy.anaesthetist_rooms,
    )


@dataclass(frozen=True)
class Use:
    """What a schedule uses of the levers, the cheapest way its placements allow."""

    extras: frozenset[int]  # positions in Levers.extras
    overtime: Mapping[tuple[int, int], int]  # minutes past the end, per room-date (> 0 only)
    elective_min: tuple[int, ...]  # per reserve group
    cost: int  # hundredths: extra sessions, extra resources and overtime
    exact: bool = True  # False: too many optional sessions on a date to try them all
    resources: Mapping[int, int] = field(default_factory=dict)  # Levers.resources -> units


MAX_EXACT = 12  # optional extra sessions on one date searched exhaustively


def capacity_use(levers: Levers, cases: Sequence[Case], solution: Solution) -> Use:
    """The extra sessions and overtime a schedule needs, at least cost, and its reserve use.

    A room-date's cases span ``[first start, last end)``. An added session with a
    case in it is needed, and so is a lengthened one when a case starts before
    the regular hours or ends past them beyond the overtime allowed. Others may
    still pay: a lengthening that costs less than the overtime it saves, an
    extra session whose minutes let a date keep its reserve. Dates are
    independent, so each date's optional sessions are searched exhaustively
    (the cheapest set that keeps every reserve; the fewest first when their
    number is bounded, as on the curve, so that the count stays within the
    bound), the model's own cost for these placements. Overtime is what runs
    past the end of the hours in use.
    """
    fewest = levers.most_extras is not None
    spans: dict[tuple[int, int], list[int]] = {}
    load = [0] * len(levers.reserves)
    for i, p in enumerate(solution):
        if p is None or p.room is None or p.start is None:
            continue
        key = (p.day, p.room)
        end = p.start + cases[i].duration_min
        span = spans.setdefault(key, [p.start, end])
        span[0], span[1] = min(span[0], p.start), max(span[1], end)
        if levers.elective and levers.elective[i]:
            for g in levers.groups_of.get(key, ()):
                load[g] += cases[i].duration_min + levers.turnover
    per_min = levers.overtime_cost
    forced: set[int] = set()
    trades: set[int] = set()  # lengthenings that may cost less than the overtime they save
    optional: dict[int, list[int]] = defaultdict(list)  # per day
    for n, e in enumerate(levers.extras):
        key = (e.day, e.room)
        used = spans.get(key)
        base = e.base
        if used is not None and (
            base is None or used[0] < base[0] or used[1] > base[1] + levers.overtime
        ):
            forced.add(n)
            continue
        trade = used is not None and base is not None and per_min > 0 and used[1] > base[1]
        if trade:
            trades.add(n)
        if trade or any(load[g] for g in levers.groups_of.get(key, ())):
            optional[e.day].append(n)

    def overtime_of(key: tuple[int, int], chosen: AbstractSet[int]) -> int:
        used = spans.get(key)
        if used is None:
            return 0
        k = levers.extra_at.get(key)
        if k is not None and k in chosen:
            return max(0, used[1] - levers.extras[k].end)
        base = levers.base_span.get(key)
        assert base is not None, f"a case in room-date {key}, which has no session"
        return max(0, used[1] - base[1])

    def keeps_reserves(day: int, chosen: AbstractSet[int]) -> bool:
        for g, group in enumerate(levers.reserves):
            if group.day == day and load[g]:
                extra = sum(m for n, m in group.extras if n in chosen)
                if load[g] > group.allowance(extra):
                    return False
        return True

    def price(chosen: AbstractSet[int], keys: list[tuple[int, int]]) -> int:
        cost = sum(levers.extras[n].cost for n in chosen)
        return cost + per_min * sum(overtime_of(k, chosen) for k in keys)

    chosen: set[int] = set(forced)
    exact = True
    for day, opts in sorted(optional.items()):
        keys = [k for k in spans if k[0] == day]
        if keeps_reserves(day, chosen):
            # more sessions only add minutes: each trade is judged on its own room-date
            for n in opts:
                own = [(levers.extras[n].day, levers.extras[n].room)]
                if n in trades and not fewest and price(chosen | {n}, own) < price(chosen, own):
                    chosen.add(n)
            continue
        if len(opts) <= MAX_EXACT:
            subsets = [
                frozenset(n for j, n in enumerate(opts) if mask >> j & 1)
                for mask in range(1 << len(opts))
            ]
        else:  # too many to try all: the sessions adding most minutes first
            exact = False
            ranked = sorted(opts, key=lambda n: (-levers.extras[n].added_minutes, n))
            subsets = [frozenset(ranked[:j]) for j in range(len(ranked) + 1)]
        feasible = [x for x in subsets if keeps_reserves(day, chosen | x)]
        assert feasible, f"no choice of extra sessions keeps the reserves of day {day}"

        best: tuple[tuple[int, ...], frozenset[int]] | None = None
        for x in feasible:
            cost = price(chosen | x, keys)
            order = (len(x), cost) if fewest else (cost, len(x))
            if best is None or (*order, *sorted(x)) < best[0]:
                best = ((*order, *sorted(x)), x)
        assert best is not None
        chosen |= best[1]
    overtime = {k: m for k in sorted(spans) if (m := overtime_of(k, chosen))}
    cost = sum(levers.extras[n].cost for n in chosen) + per_min * sum(overtime.values())
    units = resources_needed(levers.resources, cases, solution, levers.anaesthetist_rooms)
    cost += sum(levers.resources[n].cost * u for n, u in units.items())
    return Use(frozenset(chosen), overtime, tuple(load), cost, exact, units)


def lever_sections(
    levers: Levers | None,
    scenario: Scenario,
    dates: Sequence[dt.date],
    rooms: Sequence[str],
    solution: Solution,
) -> dict[str, object]:
    """What ``summary.json`` says of the levers a schedule uses, by id: ``overtime`` (when
    the policy allows it) and ``reserve`` (when it keeps one). Empty without either."""
    if levers is None:
        return {}
    use = capacity_use(levers, scenario.cases, solution)
    policy = scenario.policy
    out: dict[str, object] = {}
    if levers.overtime:
        used = [
            {"date": dates[d].isoformat(), "room_id": rooms[r], "minutes": m}
            for (d, r), m in sorted(use.overtime.items())
        ]
        out["overtime"] = {
            "max_min": levers.overtime,
            "cost_per_min": policy.overtime_cost_per_min,
            "used": used,
            "total_min": sum(use.overtime.values()),
            "cost": round(policy.overtime_cost_per_min * sum(use.overtime.values()), 2),
        }
    if levers.keeps_reserve:
        rows = []
        for g, group in enumerate(levers.reserves):
            hours = group.base_min + sum(m for n, m in group.extras if n in use.extras)
            free = hours - use.elective_min[g]
            rows.append(
                {
                    "date": dates[group.day].isoformat(),
                    "specialty": group.specialty,
                    "reserve_min": group.minutes,
                    "session_min": hours,
                    "elective_min": use.elective_min[g],
                    "free_min": free,
                    "kept": free >= min(group.minutes, hours),
                }
            )
        out["reserve"] = rows
    return out

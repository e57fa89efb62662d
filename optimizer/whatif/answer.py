"""The answer to "what would it take": per date, the sessions and resources to add and what
they keep.

Built from two results: the schedule with the capacity as it is (``baseline``)
and the schedule with the chosen extra sessions and resources (``result``,
whose scenario holds them as ordinary sessions and capacities). Every number
here is read from those two results, so the answer says only what the
schedules show.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..model.objective import need
from ..result.result import LevelReport, Result
from ..scenario.schema import ExtraResource, ExtraSession, Scenario
from .resources import describe_resource, resource_rows
from .sessions import describe, kind

WHATIF_COLUMNS = (
    "date",
    "planned",
    "kept_now",
    "kept_with",
    "added_sessions",
    "added_cost",
    "target_met",
    # beyond the contract: how close a date gets
    "needed",
    "short_by",
    "ratio_now",
    "ratio_with",
    "added_resources",
)


@dataclass(frozen=True)
class DateAnswer:
    """One date below target (or given a session): now, and with the sessions added."""

    date: dt.date
    planned: int
    needed: int  # kept cases the target asks for on this date
    kept_now: int
    kept_with: int
    added: tuple[ExtraSession, ...]  # the sessions added on this date
    added_cost: float  # their cost, and the resources'
    resources: tuple[ExtraResource, ...] = ()  # the beds and anaesthetists added (units)

    @property
    def target_met(self) -> bool:
        return self.kept_with >= self.needed

    @property
    def short_by(self) -> int:
        return max(0, self.needed - self.kept_with)

    def cells(self, scenario: Scenario) -> list[Any]:
        return [
            self.date.isoformat(),
            self.planned,
            self.kept_now,
            self.kept_with,
            "; ".join(describe(scenario, e) for e in self.added),
            _cost(self.added_cost),
            self.target_met,
            self.needed,
            self.short_by,
            round(self.kept_now / self.planned, 4) if self.planned else None,
            round(self.kept_with / self.planned, 4) if self.planned else None,
            "; ".join(describe_resource(e) for e in self.resources),
        ]


@dataclass(frozen=True)
class WhatIf:
    """The least-cost extra capacity that reaches the target, and the schedule with it.

    ``cost_level`` is how the added cost was minimised (``None`` when nothing
    was searched: every date already meets the target); ``proven`` says whether
    the answer is proven least-cost: CP-SAT proved optimal every level up to
    and including the added cost (deadline misses, shortfall, added cost).
    """

    scenario: Scenario
    baseline: Result
    added: tuple[ExtraSession, ...]
    result: Result
    cost_level: LevelReport | None
    proven: bool
    dates: tuple[DateAnswer, ...] = field(default=())
    added_resources: tuple[ExtraResource, ...] = ()  # ``extra``: the units taken

    @property
    def interrupted(self) -> bool:
        """A search was stopped early (Ctrl-C, SIGTERM): the answer is the best so far."""
        return self.baseline.interrupted or self.result.interrupted

    @property
    def sessions_cost(self) -> float:
        return sum(e.cost for e in self.added)

    @property
    def resources_cost(self) -> float:
        return sum(e.cost * e.extra for e in self.added_resources)

    @property
    def added_cost(self) -> float:
        """Sessions, resources and overtime: the value of the added-cost level (the sessions'
        cost if nothing was searched)."""
        if self.cost_level is not None:
            return self.cost_level.value
        return self.sessions_cost + self.resources_cost

    @property
    def summary(self) -> dict[str, Any]:
        """What ``whatif.json`` holds."""
        sc = self.scenario
        lv = self.cost_level
        now, with_ = self.baseline.summary["totals"], self.result.summary["totals"]
        # a part of the added cost when the policy allows it and the cost was searched
        overtime = None if lv is None else self.result.summary.get("overtime")
        return {
            "target_ratio": sc.policy.target_ratio,
            "proven_least_cost": self.proven,
            "interrupted": self.interrupted,
            "cost_level": None
            if lv is None
            else {
                "name": lv.name,
                "value": lv.value,
                "best_bound": lv.best_bound,
                "status": lv.status,
            },  # fmt: skip
            "added_cost": _cost(self.added_cost),
            "sessions_cost": _cost(self.sessions_cost),
            **(
                {"overtime_min": overtime["total_min"], "overtime_cost": _cost(overtime["cost"])}
                if overtime is not None
                else {}
            ),  # fmt: skip
            "added_sessions": [
                {
                    "date": e.date.isoformat(),
                    "room_id": e.room_id,
                    "kind": kind(sc, e),
                    "hours": describe(sc, e).split(" ")[1],
                    "cost": e.cost,
                }
                for e in self.added
            ],  # fmt: skip
            **(
                {
                    "resources_cost": _cost(self.resources_cost),
                    "added_resources": resource_rows(
                        self.added_resources, self.baseline, self.result, as_dicts=True
                    ),
                }
                if sc.extra_resources
                else {}
            ),  # fmt: skip
            "dates": [dict(zip(WHATIF_COLUMNS, d.cells(sc), strict=True)) for d in self.dates],
            "dates_target_met": {"now": now["dates_target_met"], "with": with_["dates_target_met"]},
            "deadline_misses": {"now": now["deadline_misses"], "with": with_["deadline_misses"]},
            "kept": {"now": now["kept"], "with": with_["kept"], "planned": now["planned"]},
        }


def _cost(value: float) -> float:
    """Costs carry two decimals (the model counts in hundredths)."""
    return round(value, 2)


def answer(
    scenario: Scenario,
    baseline: Result,
    added: tuple[ExtraSession, ...],
    result: Result,
    cost_level: LevelReport | None,
    proven: bool,
    resources: tuple[ExtraResource, ...] = (),
) -> WhatIf:
    """Put the answer together: one row per date below target now, or given a session or a
    resource."""
    now = {d["date"]: d for d in baseline.summary["dates"]}
    later = {d["date"]: d for d in result.summary["dates"]}
    on: dict[str, list[ExtraSession]] = defaultdict(list)
    for e in added:
        on[e.date.isoformat()].append(e)
    more: dict[str, list[ExtraResource]] = defaultdict(list)
    for r in resources:
        more[r.date.isoformat()].append(r)
    target = scenario.policy.target_ratio
    shown = {iso for iso, d in now.items() if not d["target_met"]} | set(on) | set(more)
    nothing = {"planned": 0, "kept": 0}  # a date with sessions added but no case planned
    dates = []
    for iso in sorted(shown):
        d, w = now.get(iso, nothing), later.get(iso, nothing)
        extras = tuple(sorted(on.get(iso, ()), key=lambda e: e.room_id))
        units = tuple(more.get(iso, ()))
        dates.append(
            DateAnswer(
                date=dt.date.fromisoformat(iso),
                planned=d["planned"],
                needed=need(d["planned"], target),
                kept_now=d["kept"],
                kept_with=w["kept"],
                added=extras,
                added_cost=sum(e.cost for e in extras) + sum(r.cost * r.extra for r in units),
                resources=units,
            )
        )
    return WhatIf(scenario, baseline, added, result, cost_level, proven, tuple(dates), resources)

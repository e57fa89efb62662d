"""The summary of a result as typed objects: what ``summary.json`` holds, with names and types.

A result builds its :class:`Summary` once, from its typed rows and levels;
``Result.summary`` and ``summary.json`` are its :meth:`Summary.to_dict`, key
for key and in order. :meth:`Summary.from_dict` reads a ``summary.json`` back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..facts.levels import LevelKind
from ..scenario.schema import Scenario
from .status import SolveStatus


@dataclass(frozen=True)
class DateKpi:
    """One horizon date with planned cases: how many go ahead, against the target."""

    date: dt.date
    planned: int
    kept: int
    ratio: float
    target_met: bool

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> DateKpi:
        return cls(
            date=dt.date.fromisoformat(d["date"]),
            planned=d["planned"],
            kept=d["kept"],
            ratio=d["ratio"],
            target_met=d["target_met"],
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "planned": self.planned,
            "kept": self.kept,
            "ratio": self.ratio,
            "target_met": self.target_met,
        }


@dataclass(frozen=True)
class Totals:
    """The horizon's figures: cases per status, deadline misses, dates on target."""

    planned: int
    kept: int
    ratio: float | None
    postponed: int
    transferred: int
    unscheduled: int
    scheduled: int
    deadline_misses: int
    dates_target_met: int
    dates_with_plan: int
    # The statuses above said apart, as the report's first page does: of the cases planned on
    # a date of the horizon (``planned``), and of the others (waiting list, planned before or
    # after the horizon). ``None``: a summary.json written before they were.
    split: SplitTotals | None = None

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Totals:
        given = {k: d[k] for k in SPLIT_KEYS if k in d}
        rest = {k: v for k, v in d.items() if k not in SPLIT_KEYS}
        return cls(**rest, split=SplitTotals(**given) if given else None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "planned": self.planned,
            "kept": self.kept,
            "ratio": self.ratio,
            "postponed": self.postponed,
            "transferred": self.transferred,
            "unscheduled": self.unscheduled,
            "scheduled": self.scheduled,
            "deadline_misses": self.deadline_misses,
            "dates_target_met": self.dates_target_met,
            "dates_with_plan": self.dates_with_plan,
            **(dataclasses.asdict(self.split) if self.split is not None else {}),
        }


@dataclass(frozen=True)
class SplitTotals:
    """What became of the cases planned on a date of the horizon, and of the others."""

    planned_postponed: int
    planned_transferred: int
    planned_unscheduled: int
    others_given_date: int  # operated here: a waiting case scheduled, a backlog one postponed
    others_transferred: int
    others_unscheduled: int


SPLIT_KEYS = tuple(f.name for f in dataclasses.fields(SplitTotals))


def planned_here(scenario: Scenario) -> list[bool]:
    """Per case, whether it is planned on a date of the horizon: one the kept ratio counts."""
    p = scenario.policy
    return [
        c.planned_date is not None and p.start_date <= c.planned_date <= p.end_date
        for c in scenario.cases
    ]


def split_totals(scenario: Scenario, statuses: Iterable[str]) -> SplitTotals:
    """The statuses (one per case of ``scenario``, in its order) of the planned cases apart
    from the others' (waiting list, backlog, planned after the horizon): what a result writes
    in ``summary.json``, and what the report counts for a summary.json written before."""
    planned: Counter[str] = Counter()
    others: Counter[str] = Counter()
    for here, status in zip(planned_here(scenario), statuses, strict=True):
        (planned if here else others)[status] += 1
    return SplitTotals(
        planned_postponed=planned["postponed"],
        planned_transferred=planned["transferred"],
        planned_unscheduled=planned["unscheduled"],
        others_given_date=others["scheduled"] + others["postponed"],
        others_transferred=others["transferred"],
        others_unscheduled=others["unscheduled"],
    )


@dataclass(frozen=True)
class Transfer:
    """Cases sent to one partner on one date."""

    partner_id: str
    date: dt.date
    cases: int

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Transfer:
        return cls(d["partner_id"], dt.date.fromisoformat(d["date"]), d["cases"])

    def to_dict(self) -> dict[str, Any]:
        return {"partner_id": self.partner_id, "date": self.date.isoformat(), "cases": self.cases}


@dataclass(frozen=True)
class LevelReport:
    """How one objective level was solved: what the search reports and the summary writes.

    In :class:`Summary` (as in ``summary.json``) the wall time is rounded to the ms.
    """

    name: str
    value: float
    best_bound: float | None
    status: str
    wall_time_s: float
    searched: bool = True
    # The deadline level: misses per urgency class (most urgent first), and the
    # lexicographically smallest vector of misses its bound allows (None: no bound).
    # summary.json calls the first ``misses_by_class``.
    by_class: Mapping[str, int] | None = None
    bound_by_class: Mapping[str, int] | None = None
    # what the level is (its name is the words shown); summary.json does not hold it,
    # so a summary read back compares equal without it
    kind: LevelKind | None = field(default=None, compare=False)

    @property
    def proven(self) -> bool:
        return self.status == "OPTIMAL"

    @property
    def misses_by_class(self) -> Mapping[str, int] | None:
        """:attr:`by_class` under its name in ``summary.json`` (and on ``LevelSummary``)."""
        return self.by_class

    def gap(self) -> float | None:
        if self.best_bound is None:
            return None
        if self.value == self.best_bound:
            return 0.0
        return abs(self.value - self.best_bound) / max(abs(self.value), 1e-9)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> LevelReport:
        return cls(
            name=d["name"],
            value=d["value"],
            best_bound=d["best_bound"],
            status=d["status"],
            wall_time_s=d["wall_time_s"],
            searched=d["searched"],
            by_class=d.get("misses_by_class"),
            bound_by_class=d.get("bound_by_class"),
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "value": self.value,
            "best_bound": self.best_bound,
            "status": self.status,
            "searched": self.searched,
            "wall_time_s": self.wall_time_s,
        }
        if self.by_class is not None:
            out["misses_by_class"] = dict(self.by_class)
            out["bound_by_class"] = (
                None if self.bound_by_class is None else dict(self.bound_by_class)
            )
        return out


# The summary's name for a level before the two were one type.
LevelSummary = LevelReport


@dataclass(frozen=True)
class SolverReport:
    """How the search went: status, the limiting level's value and bound, every level."""

    status: SolveStatus
    objective: float
    best_bound: float | None
    gap: float | None
    limiting_level: str | None
    wall_time_s: float
    levels: tuple[LevelReport, ...]
    level3: str

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SolverReport:
        return cls(
            status=SolveStatus(d["status"]),
            objective=d["objective"],
            best_bound=d["best_bound"],
            gap=d["gap"],
            limiting_level=d["limiting_level"],
            wall_time_s=d["wall_time_s"],
            levels=tuple(LevelReport.from_dict(lv) for lv in d["levels"]),
            level3=d["level3"],
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "objective": self.objective,
            "best_bound": self.best_bound,
            "gap": self.gap,
            "limiting_level": self.limiting_level,
            "wall_time_s": self.wall_time_s,
            "levels": [lv.to_dict() for lv in self.levels],
            "level3": self.level3,
        }


_RUN_FIRST = ("scenario", "input_sha256", "horizon")
_RUN_LAST = ("version", "ortools_version")


@dataclass(frozen=True)
class RunInfo:
    """What was run: the scenario and its hash, the horizon, the settings, the versions."""

    scenario: str
    input_sha256: str
    horizon: tuple[dt.date, dt.date]
    settings: Mapping[str, Any]
    version: str
    ortools_version: str

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> RunInfo:
        start, end = d["horizon"]
        return cls(
            scenario=d["scenario"],
            input_sha256=d["input_sha256"],
            horizon=(dt.date.fromisoformat(start), dt.date.fromisoformat(end)),
            settings={k: v for k, v in d.items() if k not in _RUN_FIRST + _RUN_LAST},
            version=d["version"],
            ortools_version=d["ortools_version"],
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "input_sha256": self.input_sha256,
            "horizon": [d.isoformat() for d in self.horizon],
            **self.settings,
            "version": self.version,
            "ortools_version": self.ortools_version,
        }


_TYPED = frozenset(
    ("target_ratio", "dates", "totals", "deadline_misses", "deadline_misses_by_class",
     "transfers", "solver", "interrupted", "run")
)  # fmt: skip


@dataclass(frozen=True)
class Summary:
    """What ``summary.json`` holds, typed.

    Attributes
    ----------
    target_ratio
        The share of each date's planned cases meant to go ahead.
    dates
        One :class:`DateKpi` per horizon date with planned cases.
    totals
        The horizon's :class:`Totals`.
    deadline_misses
        Ids of the cases operated after their deadline or not at all.
    deadline_misses_by_class
        How many misses per urgency class.
    transfers
        Cases per partner and date.
    solver
        How the search went (:class:`SolverReport`).
    interrupted
        Whether the user stopped the search.
    run
        What was run (:class:`RunInfo`).
    """

    target_ratio: float
    dates: tuple[DateKpi, ...]
    totals: Totals
    deadline_misses: tuple[str, ...]
    deadline_misses_by_class: Mapping[str, int]
    transfers: tuple[Transfer, ...]
    solver: SolverReport
    interrupted: bool
    run: RunInfo
    # what some runs add (overtime and reserve, extra sessions added, announced
    # appointments), kept as written, by key
    more: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Summary:
        """Read a summary dict (``Result.summary``, or ``summary.json`` loaded)."""
        return cls(
            target_ratio=d["target_ratio"],
            dates=tuple(DateKpi.from_dict(x) for x in d["dates"]),
            totals=Totals.from_dict(d["totals"]),
            deadline_misses=tuple(d["deadline_misses"]),
            deadline_misses_by_class=dict(d["deadline_misses_by_class"]),
            transfers=tuple(Transfer.from_dict(x) for x in d["transfers"]),
            solver=SolverReport.from_dict(d["solver"]),
            interrupted=d["interrupted"],
            run=RunInfo.from_dict(d["run"]),
            more={k: v for k, v in d.items() if k not in _TYPED},
        )

    def to_dict(self) -> dict[str, Any]:
        """The dict ``summary.json`` holds, key for key and in the same order."""
        return {
            "target_ratio": self.target_ratio,
            "dates": [x.to_dict() for x in self.dates],
            "totals": self.totals.to_dict(),
            "deadline_misses": list(self.deadline_misses),
            "deadline_misses_by_class": dict(self.deadline_misses_by_class),
            "transfers": [x.to_dict() for x in self.transfers],
            "solver": self.solver.to_dict(),
            **{k: v for k, v in self.more.items() if k != "announced"},
            "interrupted": self.interrupted,
            "run": self.run.to_dict(),
            **({"announced": self.more["announced"]} if "announced" in self.more else {}),
        }

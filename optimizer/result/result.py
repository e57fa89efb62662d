"""The user's view of a solution: the revised schedule, KPIs per date, and the summary.

Built once from a solution in indices; DataFrames are made here, at the API
boundary, for notebooks and exports.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import importlib.metadata
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd

from .. import check as checker
from ..check import Violation
from ..clock import format_time
from ..explain import reasons
from ..facts.candidates import Candidates
from ..facts.levels import LevelKind
from ..facts.levers import lever_sections
from ..facts.solution import Solution
from ..i18n import DEFAULT_LANG, Lang
from ..model.objective import need
from ..scenario.schema import ExtraResource, ExtraSession, Scenario
from . import analysis
from .announced import announced_summary
from .calls import CALLS_COLUMNS, call_rows
from .status import SolveStatus
from .summary import Summary

# The contract's columns of schedule.csv, then the project's additions.
CONTRACT_COLUMNS = (
    "case_id",
    "status",
    "date",
    "room_id",
    "start",
    "end",
    "partner_id",
    "delay_days",
    "reason",
)
SCHEDULE_COLUMNS = [
    *CONTRACT_COLUMNS,
    "cause",
    "blocking",
    "urgency",
    "deadline",
    "deadline_missed",
]


@dataclass(frozen=True)
class LevelReport:
    """How one objective level was solved."""

    name: str
    value: float
    best_bound: float | None
    status: str
    wall_time_s: float
    searched: bool = True
    # The deadline level: misses per urgency class (most urgent first), and the
    # lexicographically smallest vector of misses its bound allows (None: no bound).
    by_class: dict[str, int] | None = None
    bound_by_class: dict[str, int] | None = None
    kind: LevelKind | None = None  # what the level is (its name is the words shown)

    @property
    def proven(self) -> bool:
        return self.status == "OPTIMAL"

    def gap(self) -> float | None:
        if self.best_bound is None:
            return None
        if self.value == self.best_bound:
            return 0.0
        return abs(self.value - self.best_bound) / max(abs(self.value), 1e-9)


@dataclass(frozen=True)
class Result:
    """A revised schedule and how it was found.

    ``schedule`` has one row per input case (contract columns, ``cause`` and
    ``blocking``, plus ``urgency``,
    ``deadline`` and ``deadline_missed``); ``kpis`` one row per horizon date
    with planned cases; ``summary`` is what ``summary.json`` holds.
    ``violations`` is what the independent checker found when the result was
    made (:func:`make_result` checks every result once): ``()`` for a valid
    schedule, ``None`` for a result nobody checked, which
    :func:`optimizer.write_result` refuses, as it refuses a failing one.
    """

    scenario: Scenario
    rows: tuple[dict[str, Any], ...]
    levels: tuple[LevelReport, ...]
    wall_time_s: float
    interrupted: bool
    settings: dict[str, Any] = field(default_factory=dict)
    violations: tuple[Violation, ...] | None = None
    # overtime used, reserve kept (model.levers.lever_sections)
    levers: dict[str, Any] = field(default_factory=dict)
    # the extra sessions made real in ``scenario`` (whatif), None when none were on offer
    added: tuple[ExtraSession, ...] | None = None
    # the extra beds and anaesthetists made real in ``scenario`` (whatif), None when none
    # were on offer; ``extra`` is the units taken
    added_resources: tuple[ExtraResource, ...] | None = None
    # the solution in indices, to start another search from (a hint); not compared
    solution: Solution | None = field(default=None, repr=False, compare=False)

    def check(self) -> list[Violation]:
        """Judge the schedule and summary with the independent checker (:mod:`optimizer.check`,
        which shares no code with the model): the rules it breaks, ``[]`` if none."""
        return checker.check_schedule(self.scenario, self.schedule, self.summary)

    def checked(self) -> Result:
        """This result with :attr:`violations` filled in by :meth:`check`."""
        return dataclasses.replace(self, violations=tuple(self.check()))

    @property
    def schedule(self) -> pd.DataFrame:
        """One row per case (a copy: edit it freely; the result keeps its own)."""
        return self._schedule.copy()

    @cached_property
    def _schedule(self) -> pd.DataFrame:  # built once: the rows never change
        df = pd.DataFrame(list(self.rows), columns=SCHEDULE_COLUMNS)
        df["delay_days"] = df["delay_days"].astype("Int64")
        return df

    @property
    def calls(self) -> pd.DataFrame:
        """The patients to call (``calls.csv``): see :mod:`optimizer.result.calls`."""
        return pd.DataFrame(call_rows(self.scenario, self.rows), columns=CALLS_COLUMNS)

    @property
    def status(self) -> SolveStatus:
        """OPTIMAL when every level is proven, else the status of the first level that is not."""
        limiting = self.limiting_level
        if limiting is None:
            return SolveStatus.OPTIMAL
        return SolveStatus.INTERRUPTED if self.interrupted else SolveStatus(limiting.status)

    @property
    def limiting_level(self) -> LevelReport | None:
        return next((lv for lv in self.levels if not lv.proven), None)

    @property
    def kpis(self) -> pd.DataFrame:
        return pd.DataFrame(_per_date(self.scenario, self.rows))

    @cached_property
    def typed_summary(self) -> Summary:
        """:attr:`summary` as typed objects, built once; its ``to_dict()`` is the dict, key
        for key."""
        return Summary.from_dict(self._summary)

    @property
    def plan(self) -> pd.DataFrame:
        """:attr:`schedule` with each case's specialty, surgeon, duration and planned slot."""
        return analysis.plan(self)

    def kpis_by(self, by: str | list[str]) -> pd.DataFrame:
        """Cases planned, kept, postponed... and mean delay per group: see

        :func:`optimizer.result.analysis.kpis_by` (``by="specialty"``,
        ``["specialty", "urgency"]``)."""
        return analysis.kpis_by(self, by)

    @property
    def causes(self) -> pd.DataFrame:
        """Why each case not kept is not: see :func:`optimizer.result.analysis.causes`."""
        return analysis.causes(self)

    @property
    def deadline_misses(self) -> list[str]:
        return [r["case_id"] for r in self.rows if r["deadline_missed"]]

    @property
    def summary(self) -> dict[str, Any]:
        """What ``summary.json`` holds (a copy: edit it freely; the result keeps its own)."""
        return copy.deepcopy(self._summary)

    @cached_property
    def _summary(self) -> dict[str, Any]:  # built once: nothing it reads changes
        sc = self.scenario
        dates = _per_date(sc, self.rows)
        planned = sum(d["planned"] for d in dates)
        kept = sum(d["kept"] for d in dates)
        status = Counter(r["status"] for r in self.rows)
        limiting = self.limiting_level or (self.levels[-1] if self.levels else None)
        transfers = Counter(
            (r["partner_id"], r["date"]) for r in self.rows if r["status"] == "transferred"
        )
        out: dict[str, Any] = {
            "target_ratio": sc.policy.target_ratio,
            "dates": dates,
            "totals": {
                "planned": planned,
                "kept": kept,
                "ratio": round(kept / planned, 4) if planned else None,
                "postponed": status["postponed"],
                "transferred": status["transferred"],
                "unscheduled": status["unscheduled"],
                "scheduled": status["scheduled"],
                "deadline_misses": len(self.deadline_misses),
                "dates_target_met": sum(d["target_met"] for d in dates),
                "dates_with_plan": len(dates),
            },
            "deadline_misses": self.deadline_misses,
            "deadline_misses_by_class": dict(
                Counter(r["urgency"] for r in self.rows if r["deadline_missed"])
            ),
            "transfers": [
                {"partner_id": p, "date": d, "cases": n} for (p, d), n in sorted(transfers.items())
            ],
            "solver": {
                "status": self.status.value,
                "objective": limiting.value if limiting else 0,
                "best_bound": limiting.best_bound if limiting else 0,
                "gap": limiting.gap() if limiting else 0.0,
                "limiting_level": limiting.name if limiting and not limiting.proven else None,
                "wall_time_s": round(self.wall_time_s, 3),
                "levels": [
                    {
                        "name": lv.name,
                        "value": lv.value,
                        "best_bound": lv.best_bound,
                        "status": lv.status,
                        "searched": lv.searched,
                        "wall_time_s": round(lv.wall_time_s, 3),
                        **(
                            {"misses_by_class": lv.by_class, "bound_by_class": lv.bound_by_class}
                            if lv.by_class is not None
                            else {}
                        ),
                    }
                    for lv in self.levels
                ],
                "level3": sc.policy.level3,
            },
            **self.levers,
            **({} if self.added is None else {"extra_sessions_added": _added(self.added)}),
            **_more(self.added_resources),
            "interrupted": self.interrupted,
            "run": {
                "scenario": sc.name,
                "input_sha256": sc.input_hash,
                "horizon": [sc.policy.start_date.isoformat(), sc.policy.end_date.isoformat()],
                **self.settings,
                "version": _version("or-rescheduler"),
                "ortools_version": _version("ortools"),
            },
        }
        if any(c.announced or c.announced_count for c in sc.cases):
            out["announced"] = announced_summary(sc, self.rows)
        return out


def _added(added: tuple[ExtraSession, ...]) -> list[dict[str, Any]]:
    return [
        {"date": e.date.isoformat(), "room_id": e.room_id, "start": format_time(e.start),
         "end": format_time(e.end), "cost": e.cost}
        for e in added
    ]  # fmt: skip


def _more(added: tuple[ExtraResource, ...] | None) -> dict[str, Any]:
    """``extra_resources_added``: the beds and anaesthetists whatif added (nothing if none
    were on offer)."""
    if added is None:
        return {}
    return {
        "extra_resources_added": [
            {"resource": e.resource, "date": e.date.isoformat(), "units": e.extra,
             "cost_per_unit": e.cost}
            for e in added
        ]
    }  # fmt: skip


def _version(pkg: str) -> str:
    try:
        return importlib.metadata.version(pkg)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _per_date(scenario: Scenario, rows: tuple[dict[str, Any], ...]) -> list[dict[str, Any]]:
    policy = scenario.policy
    planned: Counter[dt.date] = Counter()
    kept: Counter[dt.date] = Counter()
    for c, r in zip(scenario.cases, rows, strict=True):
        d = c.planned_date
        if d is not None and policy.start_date <= d <= policy.end_date:
            planned[d] += 1
            kept[d] += r["status"] == "kept"
    out = []
    for d in sorted(planned):
        n, k = planned[d], kept[d]
        out.append(
            {
                "date": d.isoformat(),
                "planned": n,
                "kept": k,
                "ratio": round(k / n, 4),
                "target_met": k >= need(n, policy.target_ratio),
            }
        )
    return out


def schedule_rows(
    cand: Candidates, solution: Solution, lang: Lang = DEFAULT_LANG
) -> tuple[dict[str, Any], ...]:
    why = reasons(cand, solution, lang)
    rows = []
    for i, c in enumerate(cand.cases):
        p = solution[i]
        dl = cand.scenario.deadline(c)
        dl_day = cand.deadline_day[i]
        row: dict[str, Any] = {
            "case_id": c.case_id,
            "status": "unscheduled",
            "date": None,
            "room_id": None,
            "start": None,
            "end": None,
            "partner_id": None,
            "delay_days": None,
            "reason": why[i][2],
            "cause": why[i][0] or None,
            "blocking": why[i][1] or None,
            "urgency": c.urgency,
            "deadline": dl.isoformat() if dl is not None else None,
            "deadline_missed": dl_day is not None and (p is None or p.day > dl_day),
        }
        if p is not None:
            date = cand.dates[p.day]
            row["date"] = date.isoformat()
            if c.planned_date is not None:
                row["delay_days"] = (date - c.planned_date).days
            if p.partner is not None:
                row["status"] = "transferred"
                row["partner_id"] = cand.partner_slots[p.partner].partner_id
            else:
                assert p.room is not None and p.start is not None
                row["room_id"] = cand.rooms[p.room]
                row["start"] = format_time(p.start)
                row["end"] = format_time(p.start + c.duration_min)
                if c.planned_date is None:
                    row["status"] = "scheduled"
                elif date == c.planned_date:
                    row["status"] = "kept"
                else:
                    row["status"] = "postponed"
        rows.append(row)
    return tuple(rows)


def make_result(
    scenario: Scenario,
    cand: Candidates,
    solution: Solution,
    levels: list[LevelReport],
    *,
    wall_time: float,
    interrupted: bool,
    settings: dict[str, Any],
    added: tuple[ExtraSession, ...] | None = None,
    added_resources: tuple[ExtraResource, ...] | None = None,
    lang: Lang = DEFAULT_LANG,
) -> Result:
    """The result of ``solution``, checked once by the independent checker.

    ``added``: the extra sessions ``scenario`` holds as real sessions (whatif), listed
    in the summary as ``extra_sessions_added``; ``added_resources`` likewise the extra
    beds and anaesthetists its capacities hold (``extra_resources_added``)."""
    return Result(
        scenario=scenario,
        rows=schedule_rows(cand, solution, lang),
        levels=tuple(levels),
        wall_time_s=wall_time,
        interrupted=interrupted,
        settings=settings,
        levers=lever_sections(cand.levers, scenario, cand.dates, cand.rooms, solution),
        added=added,
        added_resources=added_resources,
        solution=list(solution),
    ).checked()

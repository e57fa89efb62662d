"""The user's view of a solution: the revised schedule, KPIs per date, and the summary.

Built once from a solution in indices: the rows are typed where they are made
(:mod:`optimizer.result.row`), the typed :class:`Summary` is built from them
once, and the DataFrames are derived from them, once, at the API boundary for
notebooks and exports.
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
from ..explain import ReasonsBudget, reasons
from ..facts.candidates import Candidates
from ..facts.levers import lever_sections
from ..facts.solution import Solution
from ..i18n import DEFAULT_LANG, Lang
from ..model.objective import need
from ..scenario.schema import ExtraResource, ExtraSession, Scenario
from . import analysis
from .announced import announced_summary
from .calls import CALLS_COLUMNS, call_rows
from .collector import collector_paused
from .row import CONTRACT_COLUMNS, SCHEDULE_COLUMNS, ScheduleRow, schedule_frame, schedule_rows
from .status import SolveStatus
from .summary import (
    DateKpi,
    LevelReport,
    RunInfo,
    SolverReport,
    Summary,
    Totals,
    Transfer,
    planned_here,
    split_totals,
)

__all__ = [
    "CONTRACT_COLUMNS",
    "SCHEDULE_COLUMNS",
    "LevelReport",
    "Result",
    "ScheduleRow",
    "make_result",
    "schedule_rows",
]

# The columns of :attr:`Result.kpis` and their types (DateKpi's fields, as summary.json).
KPI_DTYPES = {"date": "str", "planned": "int64", "kept": "int64", "ratio": "float64",
              "target_met": "bool"}  # fmt: skip


@dataclass(frozen=True)
class Result:
    """A revised schedule and how it was found.

    ``rows`` holds one :class:`ScheduleRow` per input case, in the scenario's
    order; ``schedule`` is the same as a DataFrame (contract columns, ``cause``
    and ``blocking``, plus ``urgency``, ``deadline`` and ``deadline_missed``);
    ``kpis`` one row per horizon date with planned cases; ``summary`` is what
    ``summary.json`` holds (``typed_summary``: the same, typed).
    ``violations`` is what the independent checker found when the result was
    made (:func:`make_result` checks every result once): ``()`` for a valid
    schedule, ``None`` for a result nobody checked, which
    :func:`optimizer.write_result` refuses, as it refuses a failing one.
    """

    scenario: Scenario
    rows: tuple[ScheduleRow, ...]
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

    # The DataFrames are built once from the rows; each access hands out a shallow
    # copy-on-write copy (no data copied), so that editing it never changes the result.
    @property
    def schedule(self) -> pd.DataFrame:
        """One row per case: :attr:`rows` as a DataFrame (edit it freely; the result keeps
        its own)."""
        return self._schedule.copy(deep=False)

    @cached_property
    def _schedule(self) -> pd.DataFrame:
        return schedule_frame(self.rows)

    @property
    def calls(self) -> pd.DataFrame:
        """The patients to call (``calls.csv``): see :mod:`optimizer.result.calls`."""
        return self._calls.copy(deep=False)

    @cached_property
    def _calls(self) -> pd.DataFrame:
        placed = [(r.booking, r.call_reason or r.reason) for r in self.rows]
        return pd.DataFrame(call_rows(self.scenario, placed), columns=CALLS_COLUMNS)

    @property
    def kpis(self) -> pd.DataFrame:
        """The kept ratio per date with planned cases, against the target."""
        return self._kpis.copy(deep=False)

    @cached_property
    def _kpis(self) -> pd.DataFrame:
        # its columns and types even with no planned date (a waiting list only)
        rows = [d.to_dict() for d in self.typed_summary.dates]
        return pd.DataFrame(rows, columns=list(KPI_DTYPES)).astype(KPI_DTYPES)

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
        return list(self.typed_summary.deadline_misses)

    @property
    def summary(self) -> dict[str, Any]:
        """What ``summary.json`` holds (a copy: edit it freely; the result keeps its own)."""
        return copy.deepcopy(self._summary)

    @cached_property
    def _summary(self) -> dict[str, Any]:
        return self.typed_summary.to_dict()

    @cached_property
    def typed_summary(self) -> Summary:
        """What ``summary.json`` holds, typed; built once from the rows and the levels."""
        sc, rows = self.scenario, self.rows
        dates = _per_date(sc, rows)
        planned = sum(d.planned for d in dates)
        kept = sum(d.kept for d in dates)
        status = Counter(r.status for r in rows)
        missed = [r for r in rows if r.deadline_missed]
        limiting = self.limiting_level or (self.levels[-1] if self.levels else None)
        transfers = Counter(
            (r.partner_id, r.date)
            for r in rows
            if r.status == "transferred" and r.partner_id is not None and r.date is not None
        )
        more: dict[str, Any] = dict(self.levers)
        if self.added is not None:
            more["extra_sessions_added"] = _added(self.added)
        more.update(_more(self.added_resources))
        if any(c.announced or c.announced_count for c in sc.cases):
            more["announced"] = announced_summary(sc, [r.booking for r in rows])
        return Summary(
            target_ratio=sc.policy.target_ratio,
            dates=dates,
            totals=Totals(
                planned=planned,
                kept=kept,
                ratio=round(kept / planned, 4) if planned else None,
                postponed=status["postponed"],
                transferred=status["transferred"],
                unscheduled=status["unscheduled"],
                scheduled=status["scheduled"],
                deadline_misses=len(missed),
                dates_target_met=sum(d.target_met for d in dates),
                dates_with_plan=len(dates),
                split=split_totals(sc, (r.status for r in rows)),
            ),
            deadline_misses=tuple(r.case_id for r in missed),
            deadline_misses_by_class=dict(Counter(r.urgency for r in missed)),
            transfers=tuple(Transfer(p, d, n) for (p, d), n in sorted(transfers.items())),
            solver=SolverReport(
                status=self.status,
                objective=limiting.value if limiting else 0,
                best_bound=limiting.best_bound if limiting else 0,
                gap=limiting.gap() if limiting else 0.0,
                limiting_level=limiting.name if limiting and not limiting.proven else None,
                wall_time_s=round(self.wall_time_s, 3),
                levels=tuple(
                    dataclasses.replace(lv, wall_time_s=round(lv.wall_time_s, 3))
                    for lv in self.levels
                ),
                level3=sc.policy.level3,
            ),
            interrupted=self.interrupted,
            run=RunInfo(
                scenario=sc.name,
                input_sha256=sc.input_hash,
                horizon=(sc.policy.start_date, sc.policy.end_date),
                settings=self.settings,
                version=_version("or-rescheduler"),
                ortools_version=_version("ortools"),
            ),
            more=more,
        )


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


def _per_date(scenario: Scenario, rows: tuple[ScheduleRow, ...]) -> tuple[DateKpi, ...]:
    policy = scenario.policy
    planned: Counter[dt.date] = Counter()
    kept: Counter[dt.date] = Counter()
    for c, r, here in zip(scenario.cases, rows, planned_here(scenario), strict=True):
        d = c.planned_date
        if d is not None and here:
            planned[d] += 1
            kept[d] += r.status == "kept"
    return tuple(
        DateKpi(
            date=d,
            planned=planned[d],
            kept=kept[d],
            ratio=round(kept[d] / planned[d], 4),
            target_met=kept[d] >= need(planned[d], policy.target_ratio),
        )
        for d in sorted(planned)
    )


@collector_paused()  # the reasons and the checker's lookups: millions of objects on a region
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
    reasons_budget: ReasonsBudget | None = None,
) -> Result:
    """The result of ``solution``, checked once by the independent checker.

    ``added``: the extra sessions ``scenario`` holds as real sessions (whatif), listed
    in the summary as ``extra_sessions_added``; ``added_resources`` likewise the extra
    beds and anaesthetists its capacities hold (``extra_resources_added``).
    ``reasons_budget``: what each case's reason may cost (:mod:`optimizer.explain.budget`);
    when it is spent, the summary's ``run.reasons_short`` counts the cases given the short
    form."""
    why = reasons(cand, solution, lang, reasons_budget)
    if why.short:
        settings = {
            **settings,
            "reasons_short": {
                "cases": why.short,
                "explained": why.explained,
                "searches": why.searches,
            },
        }
    return Result(
        scenario=scenario,
        rows=schedule_rows(cand, solution, lang, why),
        levels=tuple(levels),
        wall_time_s=wall_time,
        interrupted=interrupted,
        settings=settings,
        levers=lever_sections(cand.levers, scenario, cand.dates, cand.rooms, solution),
        added=added,
        added_resources=added_resources,
        solution=list(solution),
    ).checked()

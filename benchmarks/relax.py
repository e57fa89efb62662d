"""What the HiGHS bounds share: the scenario read as facts per date, and a program for HiGHS.

Used by :mod:`benchmarks.bounds` (date by date, and the weighted delay),
:mod:`benchmarks.horizon` and :mod:`benchmarks.families`. Built from the
:class:`~optimizer.scenario.Scenario` alone, nothing from the model.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from optimizer.rules import merge_spans
from optimizer.scenario.schema import ANAESTHETIST, ICU_BED, Case, Scenario, Session

Span = tuple[int, int]


# -- small interval arithmetic ------------------------------------------------


def _length(spans: Iterable[Span]) -> int:
    return sum(b - a for a, b in merge_spans(spans))


def _overlap(a: Sequence[Span], b: Sequence[Span]) -> int:
    """Minutes covered by both unions of spans."""
    total = 0
    for a0, a1 in merge_spans(a):
        for b0, b1 in merge_spans(b):
            total += max(0, min(a1, b1) - max(a0, b0))
    return total


# -- the scenario read as facts per date --------------------------------------


@dataclass
class _Day:
    """What is open on one date, and what each resource can give that date."""

    date: dt.date
    sessions: list[Session]
    open_minutes: int  # length of the union of the open sessions

    def span(self) -> list[Span]:
        return [(s.start, s.end) for s in self.sessions]


@dataclass
class _Facts:
    scenario: Scenario
    days: dict[dt.date, _Day]
    turnover: int
    pools: frozenset[str]

    def fits(self, case: Case, session: Session) -> bool:
        """Could ``case`` be operated in ``session`` at all (room, block, equipment, length)?"""
        sc = self.scenario
        room = sc.room_by_id[session.room_id]
        if not room.hosts(case.specialty):
            return False
        if session.specialty is not None and session.specialty != case.specialty:
            return False
        if any(e not in room.equipment for e in case.equipment if e not in self.pools):
            return False
        windows = sc.windows_by_surgeon.get(case.surgeon_id)
        if windows is None:
            return session.end - session.start >= case.duration_min
        return any(
            min(b, session.end) - max(a, session.start) >= case.duration_min
            for a, b in windows.get(session.date, ())
        )

    def may_operate_on(self, case: Case, date: dt.date) -> bool:
        """Do the date's resource capacities allow the case at all (none at zero)?"""
        cap = self.scenario.capacity
        if case.needs_icu and cap.get((ICU_BED, date)) == 0:
            return False
        if case.needs_anaesthetist and cap.get((ANAESTHETIST, date)) == 0:
            return False
        return all(cap.get((e, date)) != 0 for e in case.equipment if e in self.pools)

    def surgeon_minutes(self, surgeon_id: str, date: dt.date) -> int:
        """Most minutes the surgeon can operate on ``date``: windows inside open sessions."""
        day = self.days[date]
        windows = self.scenario.windows_by_surgeon.get(surgeon_id)
        if windows is None:
            return day.open_minutes
        return _overlap(list(windows.get(date, ())), day.span())

    def timed_resources(self, case: Case) -> list[str]:
        names = [e for e in case.equipment if e in self.pools]
        if case.needs_anaesthetist:
            names.append(ANAESTHETIST)
        return names


def _facts(scenario: Scenario) -> _Facts:
    """The scenario's open sessions by date; each runs ``overtime_max_min`` past its end, as
    a case may (the checker's rule 2), so that every bound holds when the policy allows it."""
    policy = scenario.policy
    overtime = policy.overtime_max_min
    by_date: dict[dt.date, list[Session]] = defaultdict(list)
    for s in scenario.sessions:
        if policy.start_date <= s.date <= policy.end_date:
            longer = s.model_copy(update={"end": s.end + overtime})
            by_date[s.date].append(longer if overtime else s)
    days = {
        d: _Day(d, sorted(ss, key=lambda s: s.room_id), _length((s.start, s.end) for s in ss))
        for d, ss in sorted(by_date.items())
    }
    return _Facts(scenario, days, policy.turnover_min, scenario.pool_names)


def _earliest(scenario: Scenario, case: Case) -> dt.date:
    return max(d for d in (scenario.policy.start_date, case.planned_date, case.release_date) if d)


def _out_of_run(scenario: Scenario, case: Case) -> bool:
    return case.planned_date is not None and case.planned_date > scenario.policy.end_date


def _need(planned: int, target: float) -> int:
    """Fewest kept cases among ``planned`` for the exact ratio to reach ``target``."""
    return min(planned, math.ceil(Fraction(repr(target)) * planned))


# -- a linear program, handed to HiGHS in one piece ---------------------------


@dataclass
class _Program:
    """Columns and rows collected in Python, passed to HiGHS row-wise at once."""

    cost: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    row_lo: list[float] = field(default_factory=list)
    row_hi: list[float] = field(default_factory=list)
    starts: list[int] = field(default_factory=lambda: [0])
    index: list[int] = field(default_factory=list)
    value: list[float] = field(default_factory=list)

    def column(self, cost: float, lower: float = 0.0, upper: float = 1.0) -> int:
        self.cost.append(cost)
        self.lower.append(lower)
        self.upper.append(upper)
        return len(self.cost) - 1

    def row(self, terms: Sequence[tuple[int, float]], lo: float, hi: float) -> None:
        for j, a in terms:
            self.index.append(j)
            self.value.append(a)
        self.starts.append(len(self.index))
        self.row_lo.append(lo)
        self.row_hi.append(hi)

    def solve(
        self, *, maximize: bool, integer: bool, time_limit: float
    ) -> tuple[str, float | None]:
        """Solve; return HiGHS's status and a *valid bound* on the optimum (or None).

        For a MIP that is the dual bound (valid even when the time limit stops
        it); for an LP, the optimal value.
        """
        h = self.highs(maximize=maximize, integer=integer, time_limit=time_limit)
        h.run()
        status = h.modelStatusToString(h.getModelStatus())
        info = h.getInfo()
        if integer:
            bound = float(info.mip_dual_bound)
            return status, bound if math.isfinite(bound) else None
        if status == "Optimal":
            return status, float(info.objective_function_value)
        return status, None

    def highs(self, *, maximize: bool, integer: bool, time_limit: float) -> Any:
        """A HiGHS instance holding the program, one thread, seed 0, not yet run."""
        import highspy
        import numpy as np

        h = highspy.Highs()  # type: ignore[no-untyped-call]
        h.setOptionValue("output_flag", False)
        h.setOptionValue("time_limit", max(0.05, time_limit))
        h.setOptionValue("random_seed", 0)
        h.setOptionValue("threads", 1)
        lp = highspy.HighsLp()
        lp.num_col_ = len(self.cost)
        lp.num_row_ = len(self.row_lo)
        lp.col_cost_ = np.asarray(self.cost, dtype=np.float64)
        lp.col_lower_ = np.asarray(self.lower, dtype=np.float64)
        lp.col_upper_ = np.asarray(self.upper, dtype=np.float64)
        lp.row_lower_ = np.asarray(self.row_lo, dtype=np.float64)
        lp.row_upper_ = np.asarray(self.row_hi, dtype=np.float64)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.num_col_ = lp.num_col_
        lp.a_matrix_.num_row_ = lp.num_row_
        lp.a_matrix_.start_ = np.asarray(self.starts, dtype=np.int32)
        lp.a_matrix_.index_ = np.asarray(self.index, dtype=np.int32)
        lp.a_matrix_.value_ = np.asarray(self.value, dtype=np.float64)
        lp.sense_ = highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
        if integer:
            lp.integrality_ = [highspy.HighsVarType.kInteger] * lp.num_col_
        h.passModel(lp)
        return h

"""Bounds on kept and shortfall for schedules whose deadline misses are no worse than a given one.

:func:`benchmarks.bounds.kept_upper_bound` relaxes each date on its own and
ignores deadlines: it bounds every schedule, including those that miss
deadlines the solver meets. The solver's levels come in order: deadline
misses first, then the target shortfall, then planned cases kept. So the
yardstick for kept (and for the shortfall) is the best a schedule can do
*without missing more deadlines than the solver did*: a postponed case with
a deadline must then be operated (or sent to a partner) by that deadline, and
it competes for the capacity of the later dates with the cases planned there.

:func:`horizon_bounds` builds one relaxation over the whole horizon, from
the :class:`~optimizer.scenario.Scenario` alone (the capacity families of
:mod:`benchmarks.bounds`):

- for each planned case, a column per session of its planned date that could
  host it (kept); for each case with a deadline in the horizon, a column per
  session of every date up to the deadline, and per partner slot by then;
- each case in at most one column; per session the durations plus one
  turnover each fit its length plus one turnover; surgeons, anaesthetists,
  mobile pools, ICU beds and partners keep their capacities per date;
- the cases kept on a date are at most the date-by-date MIP bound of
  :func:`~benchmarks.bounds.kept_upper_bound` (valid for every schedule);
- the misses per urgency class are those of the reference schedule, read
  lexicographically: a schedule is "no worse" when its vector of misses per
  class (most urgent first) is lexicographically at most the reference's. That
  set is a union: either every class misses at most as many, or for some class
  ``j`` the more urgent classes miss at most as many and ``j`` misses fewer
  (less urgent classes free). Each member is relaxed and solved; the bound is
  the weakest of them.

Cases that neither are planned in the horizon nor have a deadline there are
left out (they could only take capacity away). Up to :data:`MIP_COLUMNS`
columns the relaxation is a MIP whose dual bound is used (valid whether or
not HiGHS finishes); above, its LP relaxation.

On a region the program above has some six million columns (a column per
case, date and session); building it in Python and solving it take far longer
than the benchmark gives the bound. Above :data:`EXACT_COLUMNS` columns the
following relaxations are made, each valid for every schedule the exact
program admits:

- each date's sessions that host the same specialties with the same fixed
  equipment are pooled into one family (:mod:`benchmarks.families`: a case
  in a session goes to its family, the family's row is the sum of its
  sessions' rows), which leaves some 370,000 columns on the region;
- the LP only, by interior point, its value taken by weak duality from the
  row duals HiGHS returns (:mod:`benchmarks.horizon_lp`), so a solve stopped
  by the time limit still gives a valid bound.

A member whose misses a class cannot meet (more cases must be in time than
have a column in time, as the region's 208 P2 cases released after their
deadline) holds no schedule and is not solved, on every path.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.bounds import KeptBound, kept_upper_bound
from benchmarks.families import family_fits, session_families
from benchmarks.horizon_lp import _Relaxation, hopeless, solve_pooled
from benchmarks.relax import _facts, _need, _Program
from optimizer.scenario.schema import ICU_BED, Case, Scenario

__all__ = ["MIP_COLUMNS", "HorizonBound", "horizon_bounds", "urgency_order"]

MIP_COLUMNS = 20_000  # above this many columns, the LP relaxation only
EXACT_COLUMNS = 1_000_000  # above this many columns, sessions pooled into families
TOLERANCE = 1e-6


@dataclass(frozen=True)
class HorizonBound:
    """What no schedule with deadline misses no worse than ``misses`` can beat.

    Attributes
    ----------
    misses
        The reference misses per urgency class, most urgent first (as
        :func:`optimizer.check.evaluate` gives them).
    kept
        Upper bound on planned cases kept on their planned date.
    shortfall
        Lower bound on the shortfall below the kept-ratio target (level 2).
    planned
        Planned cases in the horizon (the denominator of the ratios).
    method
        ``"MIP"`` (dual bound of the integer relaxation), ``"LP"``, or ``"LP pooled"``
        (sessions pooled, :mod:`benchmarks.families`).
    proven
        Every relaxation solved to optimality (else a dual bound is used).
    columns
        Columns of the largest relaxation solved.
    per_date
        The date-by-date bound (ignoring deadlines) it started from.
    wall_time_s
        Time spent, the date-by-date bound included.
    """

    misses: tuple[int, ...]
    kept: int
    shortfall: int
    planned: int
    method: str
    proven: bool
    columns: int
    per_date: KeptBound
    wall_time_s: float


def urgency_order(scenario: Scenario) -> list[str]:
    """Class names, most urgent first, as :func:`optimizer.check.evaluate` orders its misses."""
    return [
        c.name
        for c in sorted(
            scenario.policy.urgency.values(),
            key=lambda c: (
                c.max_delay_days is None,
                c.max_delay_days if c.max_delay_days is not None else 0,
                -c.weight,
                c.name,
            ),
        )
    ]


def _deadline(scenario: Scenario, case: Case) -> dt.date | None:
    """The case's deadline if it lies in the horizon (the checker counts only those)."""
    dl = scenario.deadline(case)
    policy = scenario.policy
    if dl is None or not policy.start_date <= dl <= policy.end_date:
        return None
    return dl


def _build(scenario: Scenario, per_date: KeptBound, pooled: bool = False) -> _Relaxation:
    facts = _facts(scenario)
    groups = session_families(facts, pooled=pooled)
    group_of = {(d, s.room_id): f.key for d, fs in groups.items() for f in fs for s in f.sessions}
    capacity = {(d, f.key): f.capacity for d, fs in groups.items() for f in fs}
    policy = scenario.policy
    prog = _Program()
    kept_cols: list[int] = []
    kept_on: dict[dt.date, list[int]] = defaultdict(list)
    planned_count: dict[dt.date, int] = defaultdict(int)
    pinned_kept: dict[dt.date, int] = defaultdict(int)
    in_time: dict[str, list[int]] = defaultdict(list)
    at_risk: dict[str, int] = defaultdict(int)
    fixed_in_time: dict[str, int] = defaultdict(int)
    reachable: dict[str, int] = defaultdict(int)
    # capacity family -> [(column, use)], and what pinned cases already take
    load: dict[tuple[object, ...], list[tuple[int, float]]] = defaultdict(list)
    fixed_use: dict[tuple[object, ...], float] = defaultdict(float)
    exact_columns = 0

    def families(
        c: Case, date: dt.date, group: object | None
    ) -> list[tuple[tuple[object, ...], float]]:
        out: list[tuple[tuple[object, ...], float]] = []
        if group is not None:  # None: a pinned case's room has no session that date
            out.append((("session", date, group), c.duration_min + facts.turnover))
        out.append((("surgeon", date, c.surgeon_id), c.duration_min))
        out += [(("timed", date, n), c.duration_min) for n in facts.timed_resources(c)]
        if c.needs_icu:
            out.append((("icu", date), 1.0))
        return out

    for c in scenario.cases:
        if c.planned_date is not None and c.planned_date > policy.end_date:
            continue  # outside this run
        planned = c.planned_date
        if planned is not None and not policy.start_date <= planned <= policy.end_date:
            planned = None
        if planned is not None:
            planned_count[planned] += 1
        dl = _deadline(scenario, c)
        if dl is not None:
            at_risk[c.urgency] += 1
        if c.pinned and c.planned_date in facts.days and c.planned_room is not None:
            assert c.planned_date is not None
            group = group_of.get((c.planned_date, c.planned_room))
            for key, use in families(c, c.planned_date, group):
                fixed_use[key] += use
            pinned_kept[c.planned_date] += 1
            if dl is not None and c.planned_date <= dl:
                fixed_in_time[c.urgency] += 1
            continue
        first = max(d for d in (policy.start_date, c.planned_date, c.release_date) if d)
        dates: list[dt.date] = []
        if planned is not None and planned >= first:
            dates.append(planned)
        if dl is not None:
            dates += [d for d in facts.days if first <= d <= dl and d != planned]
        terms: list[tuple[int, float]] = []
        terms_from = len(prog.cost)  # this case's columns are numbered from here
        for date in dates:
            if date not in groups or not facts.may_operate_on(c, date):
                continue
            for fam in groups[date]:
                if not family_fits(facts, c, date, fam):
                    continue
                exact_columns += len(fam.sessions)
                j = prog.column(0.0)
                terms.append((j, 1.0))
                for key, use in families(c, date, fam.key):
                    load[key].append((j, use))
                if date == planned:
                    kept_cols.append(j)
                    kept_on[date].append(j)
                if dl is not None and date <= dl:
                    in_time[c.urgency].append(j)
        if dl is not None and c.transferable:
            for p in scenario.partners:
                if p.specialty == c.specialty and first <= p.date <= dl and p.capacity:
                    j = prog.column(0.0)
                    terms.append((j, 1.0))
                    load["partner", p.partner_id, p.date, p.specialty].append((j, 1.0))
                    in_time[c.urgency].append(j)
        if terms:
            prog.row(terms, 0.0, 1.0)
        if dl is not None and in_time[c.urgency] and in_time[c.urgency][-1] >= terms_from:
            reachable[c.urgency] += 1

    sc = scenario
    for key, terms in load.items():
        kind = key[0]
        cap: float | None
        if kind == "session":
            cap = capacity[key[1], key[2]]  # type: ignore[index]
        elif kind == "surgeon":
            cap = facts.surgeon_minutes(key[2], key[1])  # type: ignore[arg-type]
        elif kind == "timed":
            per = sc.capacity.get((key[2], key[1]))  # type: ignore[arg-type]
            cap = None if per is None else per * facts.days[key[1]].open_minutes  # type: ignore[index]
        elif kind == "icu":
            cap = sc.capacity.get((ICU_BED, key[1]))  # type: ignore[arg-type]
        else:
            cap = sum(
                p.capacity for p in sc.partners if (p.partner_id, p.date, p.specialty) == key[1:]
            )
        if cap is not None and sum(a for _, a in terms) > cap - fixed_use[key]:
            prog.row(terms, -math.inf, max(0.0, cap - fixed_use[key]))

    short_cols: list[int] = []
    for date, count in sorted(planned_count.items()):
        kept_free = kept_on.get(date, [])
        # a date's kept cases never exceed its date-by-date bound
        cap = per_date.per_date.get(date)
        if cap is not None and kept_free and len(kept_free) > cap - pinned_kept[date]:
            prog.row([(j, 1.0) for j in kept_free], -math.inf, max(0, cap - pinned_kept[date]))
        need = _need(count, policy.target_ratio) - pinned_kept[date]
        if need <= 0:
            continue
        short = prog.column(0.0, 0.0, float(need))
        short_cols.append(short)
        # short >= need - kept  <=>  short + kept >= need
        prog.row([(short, 1.0), *((j, 1.0) for j in kept_free)], float(need), math.inf)
    return _Relaxation(
        prog,
        kept_cols,
        short_cols,
        {u: (at_risk[u], in_time[u], fixed_in_time[u]) for u in at_risk},
        dict(reachable),
        sum(pinned_kept.values()),
        pooled,
        exact_columns,
    )


def _members(order: Sequence[str], misses: Sequence[int]) -> list[dict[str, int]]:
    """Caps on misses per class whose union holds every lexicographically no worse vector."""
    members = [dict(zip(order, misses, strict=True))]
    for j, m in enumerate(misses):
        if m > 0:
            members.append({**dict(zip(order[:j], misses[:j], strict=True)), order[j]: m - 1})
    return members


def _solve_member(
    relax: _Relaxation, caps: dict[str, int], *, kept: bool, integer: bool, time_limit: float
) -> tuple[float | None, bool]:
    """Solve one member for kept (max) or shortfall (min); None if it is infeasible."""
    prog = relax.program
    base_rows = len(prog.row_lo)
    base_index = len(prog.index)
    for name, cap in caps.items():
        total, cols, fixed = relax.in_time.get(name, (0, [], 0))
        need = total - cap - fixed  # in-time cases the free columns must supply
        if need > 0:
            prog.row([(j, 1.0) for j in cols], float(need), math.inf)
    cost = [0.0] * len(prog.cost)
    for j in relax.kept_cols if kept else relax.short_cols:
        cost[j] = 1.0
    saved = prog.cost
    prog.cost = cost
    try:
        status, value = prog.solve(maximize=kept, integer=integer, time_limit=time_limit)
    finally:
        prog.cost = saved
        del prog.row_lo[base_rows:], prog.row_hi[base_rows:], prog.starts[base_rows + 1 :]
        del prog.index[base_index:], prog.value[base_index:]
    if status == "Infeasible":
        return None, True
    if value is None and integer:  # the MIP did not finish its root: the LP instead
        return _solve_member(relax, caps, kept=kept, integer=False, time_limit=time_limit)
    if value is None:  # out of time: no bound from this member (the caller falls back)
        return math.nan, False
    return value, status == "Optimal"


def horizon_bounds(
    scenario: Scenario,
    misses: Sequence[int],
    *,
    time_limit: float = 30.0,
    per_date: KeptBound | None = None,
    integer: bool | None = None,
    pooled: bool | None = None,
) -> HorizonBound:
    """Bounds on kept and shortfall over schedules missing no more deadlines than ``misses``.

    Parameters
    ----------
    scenario
        The disrupted scenario.
    misses
        The reference schedule's misses per urgency class, most urgent first
        (:func:`urgency_order`; ``evaluate(...)["misses_by_class"]``).
    time_limit
        Seconds for HiGHS over every member (a time-limited MIP still gives a
        valid dual bound).
    per_date
        The date-by-date bound, if already computed (else computed here, with
        a third of the time).
    integer
        Force the MIP (True) or the LP (False); default: MIP up to
        :data:`MIP_COLUMNS` columns.
    pooled
        Pool each date's sessions into families (:mod:`benchmarks.families`,
        always the LP, one HiGHS instance warm-started from member to member)
        or keep each session (False); default: pooled when the exact program
        would have more than :data:`EXACT_COLUMNS` columns.
    """
    started = time.monotonic()
    order = urgency_order(scenario)
    if len(misses) != len(order):
        raise ValueError(f"misses has {len(misses)} classes, the policy {len(order)}")
    if per_date is None:
        per_date = kept_upper_bound(scenario, time_limit=time_limit / 3)
    relax = _build(scenario, per_date, pooled=pooled is not False)
    if pooled is None and relax.exact_columns <= EXACT_COLUMNS:
        relax = _build(scenario, per_date, pooled=False)
    columns = len(relax.program.cost)
    use_mip = not relax.pooled and (columns <= MIP_COLUMNS if integer is None else integer)
    members = _members(order, misses)
    kept_best = -math.inf
    short_best = math.inf
    proven = True
    timed_out = False
    jobs = 2 * len(members)
    if relax.pooled:
        results = solve_pooled(relax, members, time_limit - (time.monotonic() - started))
    for k, caps in enumerate(members):
        for goal in (True, False):
            left = time_limit - (time.monotonic() - started)
            share = max(0.5, left / max(1, jobs))
            jobs -= 1
            if hopeless(relax, caps):
                value, exact = None, True
            elif relax.pooled:
                value, exact = results[2 * k + (not goal)]
            else:
                value, exact = _solve_member(
                    relax, caps, kept=goal, integer=use_mip, time_limit=share
                )
            proven = proven and exact
            if value is None:  # this member holds no schedule at all
                continue
            if math.isnan(value):  # HiGHS ran out of time: the date-by-date bound stands
                timed_out = True
                value = per_date.bound - relax.pinned_kept if goal else 0.0
            if goal:
                kept_best = max(kept_best, value)
            else:
                short_best = min(short_best, value)
    if kept_best == -math.inf:
        raise RuntimeError(
            "every member of the relaxation is infeasible: the reference "
            "misses cannot be those of a valid schedule"
        )
    kept = min(per_date.bound, relax.pinned_kept + math.floor(kept_best + TOLERANCE))
    shortfall = max(per_date.shortfall_lower, math.ceil(short_best - TOLERANCE))
    return HorizonBound(
        misses=tuple(misses),
        kept=kept,
        shortfall=shortfall,
        planned=per_date.planned,
        method=("MIP" if use_mip else "LP")
        + (" pooled" if relax.pooled else "")
        + (" (timed out: date-by-date bound)" if timed_out else ""),
        proven=proven,
        columns=columns,
        per_date=per_date,
        wall_time_s=time.monotonic() - started,
    )

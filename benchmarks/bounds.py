"""Independent bounds on what any revised schedule can achieve, from relaxations solved by HiGHS.

The benchmarks need a yardstick that is not the solver's own claim: CP-SAT's
bound comes from the same model it searches, so a modelling slip would show
in both. These bounds are built from the :class:`~optimizer.scenario.Scenario`
alone (nothing from ``optimizer.model``, no CP-SAT) by relaxing the contract's
rules into capacities that every valid schedule must respect:

- a room session holds cases whose durations plus one turnover each fit in
  its length plus one turnover (``n`` cases need ``n - 1`` turnovers);
- a surgeon operates at most the minutes of their windows that lie inside the
  open sessions of the date (one case at a time);
- anaesthetists and mobile pools give at most ``capacity x`` open minutes of
  the date; ICU beds at most ``capacity`` cases a date; partners their capacity.

Start times, sequencing flags and the exact instant-by-instant resource use
are dropped, so the relaxations can only do better than a real schedule:

- :func:`kept_upper_bound`: at most this many planned cases go ahead on
  their planned date (a MIP per date, its dual bound if it does not finish),
  and so at least this much shortfall below the target;
- :func:`weighted_delay_lower_bound`: the urgency-weighted delay is at least
  this (each case to a date, rooms pooled per specialty and equipment, LP or
  MIP dual bound).

HiGHS (``highspy``) is a development dependency, which is why this module lives
in ``benchmarks/`` and not in the product package; it is imported inside the
functions so that importing this module does not need it.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from benchmarks.families import family_fits, session_families
from benchmarks.relax import (
    _earliest,
    _Facts,
    _facts,
    _need,
    _out_of_run,
    _Program,
)
from optimizer.scenario.schema import ICU_BED, Case, Scenario, Session

__all__ = ["DelayBound", "KeptBound", "kept_upper_bound", "weighted_delay_lower_bound"]

DATE_SECONDS = 10.0  # most HiGHS seconds for one date's MIP in the date-by-date bound


# -- planned cases kept --------------------------------------------------------


@dataclass(frozen=True)
class KeptBound:
    """At most ``bound`` planned cases can go ahead on their planned date.

    Attributes
    ----------
    bound
        Upper bound on planned cases kept over the horizon.
    planned
        Cases planned on a horizon date (the denominator of the kept ratio).
    per_date
        The bound date by date (they add up to ``bound``).
    shortfall_lower
        Hence at least this many cases short of the kept-ratio target, summed
        over dates (a lower bound on objective level 2).
    proven
        Every date's relaxation was solved to optimality (else a dual bound or
        LP value is used for the dates that were not).
    wall_time_s
        Time spent building and solving.
    """

    bound: int
    planned: int
    per_date: dict[dt.date, int]
    shortfall_lower: int
    proven: bool
    wall_time_s: float


def kept_upper_bound(scenario: Scenario, *, time_limit: float = 10.0) -> KeptBound:
    """Upper bound on the planned cases that go ahead, from a relaxation per date.

    A case can only go ahead on its planned date, so the dates are independent:
    per date, a binary ``x[case, session]`` for each planned case and each open
    session that could host it; at most one session per case; per session the
    durations plus turnovers fit; per surgeon, anaesthetists, pools and ICU beds
    the capacities of the module docstring. Pinned cases are always kept and
    use their room. Maximise the cases kept; the dual bound of the MIP is valid
    whether or not it finishes within its share of ``time_limit``. The dates
    that need no solve (every case fits its planned room) are read first, so
    the time goes to the dates that need a MIP (on the region, the five dates
    of the disruption out of forty), at most :data:`DATE_SECONDS` each.
    """
    started = time.monotonic()
    facts = _facts(scenario)
    policy = scenario.policy
    planned_on: dict[dt.date, list[Case]] = defaultdict(list)
    for c in scenario.cases:
        if c.planned_date is not None and policy.start_date <= c.planned_date <= policy.end_date:
            planned_on[c.planned_date].append(c)

    per_date: dict[dt.date, int] = {}
    proven = True
    dates = sorted(planned_on)
    pending: dict[dt.date, tuple[_Program, int, int]] = {}
    for date in dates:
        read = _day_program(facts, date, planned_on[date])
        if isinstance(read[0], _Program):
            pending[date] = read
        else:
            per_date[date] = read[0]
    for k, (date, (prog, pinned, free)) in enumerate(sorted(pending.items())):
        left = time_limit - (time.monotonic() - started)
        share = max(0.05, min(DATE_SECONDS, left / (len(pending) - k)))
        per_date[date], exact = _solve_day(prog, pinned, free, share)
        proven = proven and exact
    shortfall = sum(
        max(0, _need(len(planned_on[d]), policy.target_ratio) - per_date[d]) for d in dates
    )
    return KeptBound(
        bound=sum(per_date.values()),
        planned=sum(len(v) for v in planned_on.values()),
        per_date=per_date,
        shortfall_lower=shortfall,
        proven=proven,
        wall_time_s=time.monotonic() - started,
    )


def _day_program(
    facts: _Facts, date: dt.date, planned: list[Case]
) -> tuple[int, bool] | tuple[_Program, int, int]:
    """One date's bound and True when no solve is needed, else its MIP, pinned and free counts."""
    pinned = [c for c in planned if c.pinned]
    day = facts.days.get(date)
    if day is None:  # no room open that date: only pinned cases (if any) go ahead
        return len(pinned), True
    options: dict[str, list[Session]] = {
        c.case_id: [s for s in day.sessions if facts.fits(c, s)]
        for c in planned
        if not c.pinned
        and (c.release_date is None or c.release_date <= date)
        and facts.may_operate_on(c, date)
    }
    free = [c for c in planned if options.get(c.case_id)]
    if not free:
        return len(pinned), True
    if _planned_rooms_fit(facts, date, pinned, free):
        return len(pinned) + len(free), True

    prog = _Program()
    x: dict[tuple[str, str], int] = {}
    for c in free:
        terms = []
        for s in options[c.case_id]:
            x[c.case_id, s.room_id] = j = prog.column(1.0)
            terms.append((j, 1.0))
        prog.row(terms, 0.0, 1.0)
    for row, cap in _day_rows(facts, date, pinned, free, options, x):
        prog.row(row, -math.inf, cap)
    return prog, len(pinned), len(free)


def _solve_day(prog: _Program, pinned: int, free: int, time_limit: float) -> tuple[int, bool]:
    """Bound on the cases kept on one date, and whether it is the relaxation's optimum."""
    status, value = prog.solve(maximize=True, integer=True, time_limit=time_limit)
    if value is None:  # the MIP did not even finish its root: the LP relaxation instead
        status, value = prog.solve(maximize=True, integer=False, time_limit=time_limit)
    if value is None:
        return pinned + free, False
    best = min(free, math.floor(value + 1e-6))
    return pinned + best, status == "Optimal"


def _planned_rooms_fit(facts: _Facts, date: dt.date, pinned: list[Case], free: list[Case]) -> bool:
    """Does keeping every case in its planned room satisfy the relaxation?

    Then the relaxation's optimum is every case, and no solve is needed.
    """
    day = facts.days[date]
    sessions = {s.room_id: s for s in day.sessions}
    load: dict[str, int] = defaultdict(int)
    for c in [*pinned, *free]:
        s = sessions.get(c.planned_room or "")
        if s is None or (not c.pinned and not facts.fits(c, s)):
            return False
        load[s.room_id] += c.duration_min + facts.turnover
    if any(load[r] > s.end - s.start + facts.turnover for r, s in sessions.items()):
        return False
    return _shared_capacities_hold(facts, date, [*pinned, *free])


def _shared_capacities_hold(facts: _Facts, date: dt.date, cases: list[Case]) -> bool:
    sc = facts.scenario
    day = facts.days[date]
    surgeon: dict[str, int] = defaultdict(int)
    timed: dict[str, int] = defaultdict(int)
    icu = 0
    for c in cases:
        surgeon[c.surgeon_id] += c.duration_min
        for name in facts.timed_resources(c):
            timed[name] += c.duration_min
        icu += c.needs_icu
    if any(m > facts.surgeon_minutes(s, date) for s, m in surgeon.items()):
        return False
    for name, m in timed.items():
        cap = sc.capacity.get((name, date))
        if cap is not None and m > cap * day.open_minutes:
            return False
    icu_cap = sc.capacity.get((ICU_BED, date))
    return icu_cap is None or icu <= icu_cap


def _day_rows(
    facts: _Facts,
    date: dt.date,
    pinned: list[Case],
    free: list[Case],
    options: dict[str, list[Session]],
    x: dict[tuple[str, str], int],
) -> list[tuple[list[tuple[int, float]], float]]:
    """The capacity rows of one date, pinned cases' use taken off the right-hand side."""
    sc = facts.scenario
    day = facts.days[date]
    rows: list[tuple[list[tuple[int, float]], float]] = []

    def add(terms: list[tuple[int, float]], used: float, cap: float) -> None:
        # A row that cannot bind is left out; one that pinned cases fill up caps at zero.
        if terms and sum(a for _, a in terms) > cap - used:
            rows.append((terms, max(0.0, cap - used)))

    per_session: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for c in free:
        for s in options[c.case_id]:
            per_session[s.room_id].append(
                (x[c.case_id, s.room_id], c.duration_min + facts.turnover)
            )
    for s in day.sessions:
        used = sum(c.duration_min + facts.turnover for c in pinned if c.planned_room == s.room_id)
        add(per_session[s.room_id], used, s.end - s.start + facts.turnover)

    def case_terms(c: Case, coef: float) -> list[tuple[int, float]]:
        return [(x[c.case_id, s.room_id], coef) for s in options[c.case_id]]

    by_surgeon: dict[str, list[Case]] = defaultdict(list)
    for c in free:
        by_surgeon[c.surgeon_id].append(c)
    for sid, cases in by_surgeon.items():
        used = sum(c.duration_min for c in pinned if c.surgeon_id == sid)
        terms = [t for c in cases for t in case_terms(c, c.duration_min)]
        add(terms, used, facts.surgeon_minutes(sid, date))

    names = {n for c in free for n in facts.timed_resources(c)}
    for name in sorted(names):
        cap = sc.capacity.get((name, date))
        if cap is None:
            continue
        used = sum(c.duration_min for c in pinned if name in facts.timed_resources(c))
        terms = [
            t
            for c in free
            if name in facts.timed_resources(c)
            for t in case_terms(c, c.duration_min)
        ]
        add(terms, used, cap * day.open_minutes)
    icu_cap = sc.capacity.get((ICU_BED, date))
    if icu_cap is not None:
        used = sum(1 for c in pinned if c.needs_icu)
        add([t for c in free if c.needs_icu for t in case_terms(c, 1.0)], used, icu_cap)
    return rows


# -- urgency-weighted delay ----------------------------------------------------


@dataclass(frozen=True)
class DelayBound:
    """The urgency-weighted delay of any revised schedule is at least ``bound``.

    ``method`` says which relaxation value it is: ``"MIP optimal"``, ``"MIP
    dual bound"`` (time limit reached) or ``"LP"``; ``bound`` is ``None`` when
    HiGHS found neither in time.
    """

    bound: float | None
    method: str
    wall_time_s: float


def _transfer_cost(scenario: Scenario, case: Case) -> float:
    """As the contract's checker: the class's cost, else more than any safe postponement."""
    own = scenario.policy.urgency[case.urgency].transfer_cost
    if own is not None:
        return own
    finite = [
        c.weight * c.max_delay_days
        for c in scenario.policy.urgency.values()
        if c.max_delay_days is not None
    ]
    return 1.0 + (max(finite) if finite else 0.0)


DELAY_COLUMNS = 300_000  # above this many (case, date) columns, later dates are merged


def weighted_delay_lower_bound(
    scenario: Scenario,
    *,
    time_limit: float = 10.0,
    integer: bool = True,
    window: int | None = None,
) -> DelayBound:
    """Lower bound on the urgency-weighted delay (objective level 4).

    Each case in the run goes to one date on or after its earliest (planned,
    release, horizon start) where some session could host it, or to a partner
    slot, or stays unscheduled; it costs ``weight x days late`` (the horizon's
    length past its base date when unscheduled, the transfer cost when sent
    away), as :func:`optimizer.check.evaluate` counts. Per date, the cases of a
    specialty (and of a specialty with given fixed equipment) fit in the total
    length plus turnovers of the sessions that could host them; surgeons,
    anaesthetists, pools, ICU beds and partners keep their capacities. Rooms
    are pooled, so the bound is weaker than :func:`kept_upper_bound`'s
    per-session rows, but the model stays small enough for a whole hospital.

    With ``integer``, a MIP is tried within ``time_limit`` after the LP (not
    with a window: too large), and the larger of the LP value and the MIP's
    dual bound is returned.

    ``window``: each case gets a column for its first ``window`` dates that
    could host it and one for "later", which costs the delay of the first
    later date and takes no capacity. Every later date costs at least that
    (and more capacity), so this is a relaxation; it only loses on cases the
    relaxation would push past the window. Default: every date, unless there
    would be more than :data:`DELAY_COLUMNS` (case, date) pairs, then as many
    dates as keeps to about that many columns (the region: 49,941 cases over
    40 dates). ``method`` then says ``"(window N)"``.
    """
    started = time.monotonic()
    facts = _facts(scenario)
    policy = scenario.policy
    start = policy.start_date
    horizon = (policy.end_date - start).days + 1
    prog = _Program()
    # Per date: (use per case, columns) of each capacity family.
    load: dict[tuple[Any, ...], list[tuple[int, float]]] = defaultdict(list)
    fixed_use: dict[tuple[Any, ...], float] = defaultdict(float)
    pooled = session_families(facts, pooled=True)  # to ask "some session of the date?"
    if window is None:
        free = [c for c in scenario.cases if not _out_of_run(scenario, c) and not c.pinned]
        pairs = sum(sum(d >= _earliest(scenario, c) for d in facts.days) for c in free)
        if pairs > DELAY_COLUMNS:
            window = max(1, DELAY_COLUMNS // max(1, len(free)))

    def families(c: Case, date: dt.date) -> list[tuple[tuple[Any, ...], float]]:
        fixed = frozenset(e for e in c.equipment if e not in facts.pools)
        out: list[tuple[tuple[Any, ...], float]] = [
            (("rooms", date, None, frozenset()), c.duration_min + facts.turnover),
            (("rooms", date, c.specialty, frozenset()), c.duration_min + facts.turnover),
            (("surgeon", date, c.surgeon_id), c.duration_min),
        ]
        if fixed:
            out.append((("rooms", date, c.specialty, fixed), c.duration_min + facts.turnover))
        out += [(("timed", date, n), c.duration_min) for n in facts.timed_resources(c)]
        if c.needs_icu:
            out.append((("icu", date), 1.0))
        return out

    for c in scenario.cases:
        if _out_of_run(scenario, c):
            continue
        weight = policy.urgency[c.urgency].weight
        base = (c.planned_date - start).days if c.planned_date is not None else 0
        if c.pinned and c.planned_date in facts.days:
            # Exactly as planned: no delay, and the capacity it takes is not anyone else's.
            for key, use in families(c, c.planned_date):
                fixed_use[key] += use
            continue
        terms: list[tuple[int, float]] = []
        first = _earliest(scenario, c)
        explicit = 0
        for date in facts.days:
            if date < first or not facts.may_operate_on(c, date):
                continue
            if not any(family_fits(facts, c, date, f) for f in pooled[date]):
                continue
            if window is not None and explicit == window:  # every later date, at its least
                terms.append((prog.column(weight * ((date - start).days - base)), 1.0))
                break
            explicit += 1
            j = prog.column(weight * ((date - start).days - base))
            terms.append((j, 1.0))
            for key, use in families(c, date):
                load[key].append((j, use))
        if c.transferable:
            for p in scenario.partners:
                if p.specialty == c.specialty and first <= p.date <= policy.end_date and p.capacity:
                    j = prog.column(_transfer_cost(scenario, c))
                    terms.append((j, 1.0))
                    load["partner", p.partner_id, p.date, p.specialty].append((j, 1.0))
        terms.append((prog.column(weight * (horizon - base)), 1.0))
        prog.row(terms, 1.0, 1.0)

    for key, terms in load.items():
        cap = _family_capacity(facts, key)
        if cap is not None and sum(a for _, a in terms) > cap - fixed_use[key]:
            prog.row(terms, -math.inf, max(0.0, cap - fixed_use[key]))

    status, lp = prog.solve(maximize=False, integer=False, time_limit=time_limit)
    best, method = lp, "LP"
    left = time_limit - (time.monotonic() - started)
    if integer and window is None and lp is not None and left > 0.5:  # windowed: too large
        status, mip = prog.solve(maximize=False, integer=True, time_limit=left)
        if mip is not None and mip >= lp:
            best = mip
            method = "MIP optimal" if status == "Optimal" else "MIP dual bound"
    bound = None
    if best is not None:  # solver tolerances: give away a hair rather than overclaim
        bound = max(0.0, best - 1e-6 * max(1.0, abs(best)))
    if window is not None:
        method += f" (window {window})"
    return DelayBound(bound, method, time.monotonic() - started)


def _family_capacity(facts: _Facts, key: tuple[Any, ...]) -> float | None:
    """Capacity of one family row of the delay relaxation (None: unlimited)."""
    sc = facts.scenario
    kind = key[0]
    if kind == "rooms":
        _, date, specialty, fixed = key
        total = 0
        for s in facts.days[date].sessions:
            room = sc.room_by_id[s.room_id]
            if specialty is not None:
                if not room.hosts(specialty) or s.specialty not in (None, specialty):
                    continue
                if not fixed <= room.equipment:
                    continue
            total += s.end - s.start + facts.turnover
        return total
    if kind == "surgeon":
        return facts.surgeon_minutes(key[2], key[1])
    if kind == "timed":
        cap = sc.capacity.get((key[2], key[1]))
        return None if cap is None else cap * facts.days[key[1]].open_minutes
    if kind == "icu":
        return sc.capacity.get((ICU_BED, key[1]))
    if kind == "partner":
        _, pid, date, specialty = key
        return sum(
            p.capacity
            for p in sc.partners
            if p.partner_id == pid and p.date == date and p.specialty == specialty
        )
    raise ValueError(f"unknown capacity family {kind!r}")

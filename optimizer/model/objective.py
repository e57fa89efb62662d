"""The lexicographic objective: one linear expression per level, most important first.

1. deadline misses, one sub-level per urgency class, most urgent first;
2. total shortfall below the kept-ratio target, in cases, over the dates;
   (re-planning) announced appointments changed, a date change counting
   :data:`DATE_CHANGE` and a room or time change :data:`ROOM_OR_TIME_CHANGE`
   (only when some case has an announced appointment);
3. planned cases that go ahead on their planned date (or their urgency-weighted count);
4. urgency-weighted delay of postponed, scheduled, transferred and unscheduled cases;
   (patients listed before their planned date) waiting time: between cases the delay
   level cannot tell apart, the one who has waited longer goes first;
5. disruption of the cases that go ahead: patients moved (room or start),
6. then minutes shifted.

Each level is also evaluated on a plain :class:`Solution`, so a constructive
schedule is scored exactly as CP-SAT scores it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from ortools.sat.python import cp_model

from ..facts.candidates import Candidates
from ..facts.levels import DATE_CHANGE, ROOM_OR_TIME_CHANGE, SCALE, LevelKind, scaled
from ..facts.solution import Placement, Solution
from .variables import Variables

Term = Callable[[int, Placement | None], int]
"""Case ``i``'s part of a level's value when placed at ``p``."""


@dataclass(frozen=True)
class Level:
    """One level: CP-SAT minimises ``expr``; ``value`` scores a solution the same way.

    ``kind`` is what it is (found by it, never by ``name``, the words shown);
    ``urgency`` the class of a per-class deadline level.
    """

    kind: LevelKind
    name: str
    expr: cp_model.LinearExprT
    value: Callable[[Solution], int]
    lower_bound: int  # a bound that, once reached, proves the level optimal
    unit: float = 1.0  # multiply by this to report in the user's units
    per_day: bool = False  # improved by moves within a date (searched date by date first)
    # An encoded value (or bound) read back as counts per urgency class, most urgent
    # first: the weighted deadline level reports misses, not weights.
    by_class: Callable[[int], dict[str, int]] | None = None
    # Improved only on dates that lose planned cases (the shortfall, the cases kept):
    # the window search visits those dates first.
    on_lossy_dates: bool = False
    urgency: str | None = None
    # The level's value as a sum over the cases of ``term(i, sol[i])`` (``None``: not such a
    # sum, as the shortfall): a merge of a few moved cases is scored by their terms alone
    # (search/scores.py).
    term: Term | None = None

    @property
    def dates_only(self) -> bool:
        """Its value depends on the dates (and transfers) alone, not on rooms or times: the
        decomposition's master (model/master.py) bounds it."""
        k = self.kind
        return k.misses or k.kept or k in (LevelKind.SHORTFALL, LevelKind.DELAY)


def _summed(term: Term, cases: list[int]) -> Callable[[Solution], int]:
    """The value of a level that is a sum of ``term`` over ``cases``."""
    return lambda sol: sum(term(i, sol[i]) for i in cases)


def need(planned: int, target: float) -> int:
    """Fewest kept cases among ``planned`` for the exact ratio to reach ``target``.

    Raises
    ------
    ValueError
        ``planned`` is below 0, or ``target`` is not a ratio from 0 to 1 (an analyst's
        ``need(10, 90)`` said 10, as if 90 meant 90 %).
    """
    if planned < 0 or not 0 <= target <= 1:
        raise ValueError(
            f"need({planned!r}, {target!r}): planned is a count of cases (0 or more) and "
            "target a ratio from 0 to 1 (0.9 for 90 %)"
        )
    t = Fraction(repr(target))
    k = -(-t * planned // 1)  # ceil
    return min(planned, int(k))


def build_levels(model: cp_model.CpModel, cand: Candidates, v: Variables) -> list[Level]:
    """Every level, in the order they are met (one builder each)."""
    planned_on: dict[int, list[int]] = {}
    for i in range(len(cand.cases)):
        pd = cand.planned_day[i]
        if pd is not None:
            planned_on.setdefault(pd, []).append(i)
    levels = misses_levels(cand, v)
    levels.append(shortfall_level(model, cand, v, planned_on))
    announced = announced_level(model, cand, v)
    if announced is not None:
        levels.append(announced)
    levels.append(kept_level(cand, v, planned_on))
    levels.append(delay_level(cand, v))
    waiting = waiting_level(cand, v)
    if waiting is not None:
        levels.append(waiting)
    return levels + disruption_levels(model, cand, v)


def misses_levels(cand: Candidates, v: Variables) -> list[Level]:
    """1. Deadline misses: one level weighing each class above all less urgent ones
    together, or (too many cases at risk for exact weights) one level per class."""
    policy = cand.scenario.policy
    n = len(cand.cases)
    levels: list[Level] = []
    at_risk: dict[int, list[int]] = {}
    for i in range(n):
        if cand.deadline_day[i] is not None and not cand.out_of_run[i]:
            at_risk.setdefault(cand.rank[i], []).append(i)
    names = {r: name for name, r in policy.urgency_rank.items()}

    def in_time(i: int) -> list[cp_model.IntVar]:
        dl = cand.deadline_day[i]
        assert dl is not None
        lits = [v.day[i, d] for d in v.days_of.get(i, []) if d <= dl]
        lits += [lit for t, lit in v.transfers.get(i, []) if t.day <= dl]
        return lits

    def unavoidable(cases: list[int]) -> int:
        """The cases no schedule places in time (no option by the deadline): the level's
        floor, so that a schedule already there is proven without a search. Every option
        up to a deadline is in ``cand`` (facts.budget keeps them), unless the options were
        cut short by the clock: then 0."""
        return 0 if cand.cut_short else sum(1 for i in cases if not in_time(i))

    # One miss of a class outweighs every miss of all less urgent classes together.
    ranks = sorted(at_risk)
    factor: dict[int, int] = {}
    w = 1
    for rank in reversed(ranks):
        factor[rank] = w
        w *= len(at_risk[rank]) + 1
    if ranks and w < 2**50:
        expr = sum(
            factor[r] * (len(at_risk[r]) - sum(sum(in_time(i)) for i in at_risk[r])) for r in ranks
        )

        def counts(encoded: int) -> dict[str, int]:
            """Mixed radix: each class's digit is at most its cases, so the reading is unique;
            for a bound, the counts are the lexicographically smallest vector it allows."""
            out = {}
            for r in ranks:
                out[names[r]], encoded = divmod(encoded, factor[r])
            return out

        weighted = _missed(cand, {i: factor[r] for r in ranks for i in at_risk[r]})
        cases = [i for r in ranks for i in at_risk[r]]
        levels.append(
            Level(
                LevelKind.MISSES,
                "deadline misses (most urgent first)",
                expr,
                _summed(weighted, cases),
                sum(factor[r] * unavoidable(at_risk[r]) for r in ranks),
                by_class=counts,
                term=weighted,
            )
        )
    else:  # too many at-risk cases for exact weights: one level per class
        for rank in ranks:
            cases = at_risk[rank]
            expr = len(cases) - sum(sum(in_time(i)) for i in cases)
            missed = _missed(cand, dict.fromkeys(cases, 1))
            levels.append(
                Level(
                    LevelKind.MISSES_OF_CLASS,
                    f"deadline misses ({names[rank]})",
                    expr,
                    _summed(missed, cases),
                    unavoidable(cases),
                    urgency=names[rank],
                    term=missed,
                )
            )

    return levels


def _missed(cand: Candidates, factor: dict[int, int]) -> Term:
    """A deadline miss of case ``i`` weighs ``factor[i]`` (0: a case this level does not
    count)."""

    def missed(i: int, p: Placement | None) -> int:
        f = factor.get(i, 0)
        dl = cand.deadline_day[i]
        return f if f and dl is not None and (p is None or p.day > dl) else 0

    return missed


def shortfall_level(
    model: cp_model.CpModel, cand: Candidates, v: Variables, planned_on: dict[int, list[int]]
) -> Level:
    """2. Cases short of the kept-ratio target, summed over the dates."""
    policy = cand.scenario.policy
    shortfalls = []
    needs: dict[int, int] = {}
    for d, cases in sorted(planned_on.items()):
        needs[d] = need(len(cases), policy.target_ratio)
        kept = [v.day[i, d] for i in cases if (i, d) in v.day]
        if needs[d] == 0:
            continue
        short = v.new_shortfall(d, needs[d], cases)
        model.add(short >= needs[d] - sum(kept))
        shortfalls.append(short)

    def kept_on(sol: Solution, d: int) -> int:
        return sum(1 for i in planned_on[d] if (p := sol[i]) is not None and p.here and p.day == d)

    return Level(
        LevelKind.SHORTFALL,
        "shortfall below target",
        sum(shortfalls),
        lambda sol: sum(max(0, needs[d] - kept_on(sol, d)) for d in planned_on),
        0,
        on_lossy_dates=True,
    )


def kept_level(cand: Candidates, v: Variables, planned_on: dict[int, list[int]]) -> Level:
    """3. Planned cases that go ahead on their planned date (or their urgency-weighted count)."""
    weighted = cand.scenario.policy.level3 == "weighted"
    gain = {
        i: (scaled(cand.weight[i]) if weighted else 1)
        for cases in planned_on.values()
        for i in cases
    }
    kept = [(i, d) for d, cases in planned_on.items() for i in cases if (i, d) in v.day]
    best_possible = sum(gain[i] for i, _ in kept)

    planned = cand.planned_day

    def kept_term(i: int, p: Placement | None) -> int:
        d = planned[i]
        return -gain[i] if d is not None and p is not None and p.here and p.day == d else 0

    return Level(
        LevelKind.KEPT_WEIGHTED if weighted else LevelKind.KEPT,
        "planned cases kept" + (" (urgency-weighted)" if weighted else ""),
        _sum([v.day[key] for key in kept], [-gain[i] for i, _ in kept]),
        _summed(kept_term, list(gain)),
        -best_possible,
        unit=-(1 / SCALE) if weighted else -1.0,
        on_lossy_dates=True,
        term=kept_term,
    )


def delay_level(cand: Candidates, v: Variables) -> Level:
    """4. Urgency-weighted delay of every case not kept (a transfer at its own cost)."""
    n = len(cand.cases)
    horizon = len(cand.dates)
    lits: list[cp_model.IntVar] = []
    coeffs: list[int] = []
    for i in range(n):
        if cand.out_of_run[i]:
            continue
        w = scaled(cand.weight[i])
        base = cand.base_day(i)
        for d in v.days_of.get(i, []):
            if d - base:
                lits.append(v.day[i, d])
                coeffs.append(w * (d - base))
        for _t, lit in v.transfers.get(i, []):
            lits.append(lit)
            coeffs.append(scaled(cand.transfer_cost[i]))
        lits.append(v.unscheduled[i])
        coeffs.append(w * (horizon - base))

    out, bases = cand.out_of_run, cand.base_days
    weight = [scaled(w) for w in cand.weight]
    cost = [scaled(c) for c in cand.transfer_cost]

    def delay(i: int, p: Placement | None) -> int:
        if out[i]:
            return 0
        if p is not None and p.partner is not None:
            return cost[i]
        return weight[i] * ((horizon if p is None else p.day) - bases[i])

    return Level(
        LevelKind.DELAY,
        "weighted delay",
        _sum(lits, coeffs),
        _summed(delay, list(range(n))),
        0,
        unit=1 / SCALE,
        term=delay,
    )


def disruption_levels(model: cp_model.CpModel, cand: Candidates, v: Variables) -> list[Level]:
    """5. and 6. Disruption of the cases that go ahead on their date: patients moved (room
    or start), then minutes shifted (one set of variables serves both)."""
    n = len(cand.cases)
    moved_terms = []
    shift_terms = []
    trackable = []
    for i in range(n):
        c = cand.cases[i]
        pd, r = cand.planned_day[i], cand.planned_room[i]
        if pd is None or (i, pd) not in v.day or cand.pinned[i]:
            continue
        y, s = v.day[i, pd], v.start[i, pd]
        trackable.append(i)
        stay = v.new_stay(i)
        if r is not None and (i, pd, r) in v.room:
            model.add_implication(stay, v.room[i, pd, r])
        elif r is not None:
            model.add(stay == 0)
        else:
            model.add_implication(stay, y)
        if c.planned_start is not None:
            model.add(s == c.planned_start).only_enforce_if(stay)
            shift = v.new_shift(i)
            model.add(shift >= s - c.planned_start).only_enforce_if(y)
            model.add(shift >= c.planned_start - s).only_enforce_if(y)
            shift_terms.append(shift)
        moved_terms.append(y - stay)

    tracked = set(trackable)

    def on_date(i: int, p: Placement | None) -> bool:
        return i in tracked and p is not None and p.here and p.day == cand.planned_day[i]

    def moved(i: int, p: Placement | None) -> int:
        if not on_date(i, p):
            return 0
        assert p is not None
        c = cand.cases[i]
        same_room = c.planned_room is None or p.room == cand.planned_room[i]
        return not (same_room and (c.planned_start is None or p.start == c.planned_start))

    def shifted(i: int, p: Placement | None) -> int:
        start = cand.cases[i].planned_start
        if not on_date(i, p) or start is None or p is None or p.start is None:
            return 0
        return abs(p.start - start)

    measures: tuple[tuple[LevelKind, str, cp_model.LinearExprT, Term], ...] = (
        (LevelKind.MOVED, "patients moved (room or start)", sum(moved_terms), moved),
        (LevelKind.SHIFTED, "minutes shifted", sum(shift_terms), shifted),
    )
    return [
        Level(kind, text, expr, _summed(term, trackable), 0, per_day=True, term=term)
        for kind, text, expr, term in measures
    ]


def _sum(lits: list[cp_model.IntVar], coeffs: list[int]) -> cp_model.LinearExprT:
    """``sum(c * x)`` of the terms in their order, as one weighted sum (a level has a term
    per case and date: built term by term, it was a tenth of a window model's building);
    0 when there is none, as ``sum`` gives."""
    return cp_model.LinearExpr.weighted_sum(lits, coeffs) if lits else 0


WAITING = "waiting time (longest waits first)"


def waiting_level(cand: Candidates, v: Variables) -> Level | None:
    """Each day of delay weighs as much as the patient had already waited by the date the delay
    counts from: ``weight × waited × delay``, so that, of two cases of a class one of which must
    slip, the one listed more recently does. ``None`` when no case in the run was listed before
    that date (a scenario without ``listed_date`` is solved as before).

    A level of its own after the weighted delay, not a finer weight inside it: the delay level
    keeps its meaning and its bound, and waiting time only orders what it leaves equal.
    """
    horizon = len(cand.dates)
    waited = cand.waited
    cases = [i for i in range(len(cand.cases)) if waited[i] > 0 and not cand.out_of_run[i]]
    if not cases:
        return None
    per_day = {i: scaled(cand.weight[i]) * waited[i] for i in cases}
    lits: list[cp_model.IntVar] = []
    coeffs: list[int] = []
    for i in cases:
        base = cand.base_day(i)
        for d in v.days_of.get(i, []):
            if d > base:
                lits.append(v.day[i, d])
                coeffs.append(per_day[i] * (d - base))
        for t, lit in v.transfers.get(i, []):
            if t.day > base:
                lits.append(lit)
                coeffs.append(per_day[i] * (t.day - base))
        lits.append(v.unscheduled[i])
        coeffs.append(per_day[i] * max(horizon - base, 0))

    def waiting(i: int, p: Placement | None) -> int:
        if i not in per_day:
            return 0
        day = horizon if p is None else p.day
        return per_day[i] * max(day - cand.base_day(i), 0)

    return Level(
        LevelKind.WAITING,
        WAITING,
        _sum(lits, coeffs),
        _summed(waiting, cases),
        0,
        unit=1 / SCALE,
        term=waiting,
    )


def announced_level(model: cp_model.CpModel, cand: Candidates, v: Variables) -> Level | None:
    """Fewest announced appointments changed; ``None`` when no case has one in this run.

    Per announced case the change costs ``DATE_CHANGE`` unless it is operated
    here on its announced date (an announced transfer: unless it is transferred to
    that partner on that date, then nothing), then ``ROOM_OR_TIME_CHANGE`` unless it also
    holds its announced room and start (where they were announced):
    ``DATE_CHANGE - on_date - as_announced`` with both weights as they are.
    """
    assert DATE_CHANGE == 2 * ROOM_OR_TIME_CHANGE == 2  # the expression below relies on it
    cases = [i for i, slot in enumerate(cand.announced) if slot is not None]
    cases = [i for i in cases if not cand.out_of_run[i]]
    if not cases:
        return None
    terms: list[cp_model.LinearExprT] = []
    floor = 0
    for i in cases:
        slot = cand.announced[i]
        assert slot is not None
        if slot.partner is not None:  # an announced transfer: kept by that very transfer
            kept = [
                lit
                for t, lit in v.transfers.get(i, [])
                if t.day == slot.day and cand.partner_slots[t.partner].partner_id == slot.partner
            ]
            terms.append(DATE_CHANGE - DATE_CHANGE * sum(kept) if kept else DATE_CHANGE)
            floor += 0 if kept else DATE_CHANGE
            continue
        on_date = v.day.get((i, slot.day)) if slot.day is not None else None
        if on_date is None:  # the announced date is not an option: a date change for sure
            terms.append(DATE_CHANGE)
            floor += DATE_CHANGE
            continue
        if not slot.has_room and slot.start is None:  # only the date was announced
            terms.append(DATE_CHANGE - 2 * on_date)
            continue
        assert slot.day is not None
        room_lit = v.room.get((i, slot.day, slot.room)) if slot.room is not None else None
        if slot.has_room and room_lit is None:  # that room is not an option that day
            terms.append(DATE_CHANGE - on_date)
            floor += ROOM_OR_TIME_CHANGE
            continue
        held = v.new_as_announced(i)
        model.add_implication(held, room_lit if room_lit is not None else on_date)
        if slot.start is not None:
            model.add(v.start[i, slot.day] == slot.start).only_enforce_if(held)
        terms.append(DATE_CHANGE - on_date - held)

    counted = set(cases)

    def changed(i: int, p: Placement | None) -> int:
        slot = cand.announced[i]
        if slot is None or i not in counted:
            return 0
        if slot.partner is not None:
            return 0 if slot.transfer_kept(cand, p) else DATE_CHANGE
        if p is None or not p.here or p.day != slot.day:
            return DATE_CHANGE
        if (slot.has_room and p.room != slot.room) or (
            slot.start is not None and p.start != slot.start
        ):
            return ROOM_OR_TIME_CHANGE
        return 0

    return Level(
        LevelKind.ANNOUNCED,
        f"announced appointments changed (a date {DATE_CHANGE}, a room or time "
        f"{ROOM_OR_TIME_CHANGE})",
        sum(terms),
        _summed(changed, cases),
        floor,
        term=changed,
    )

"""One level's search: on the whole model, or window by window on large ones."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from ..facts.levels import LevelKind
from ..facts.solution import Solution
from ..model.objective import Level
from ..scenario.params import SolverParams
from .benders import delay_by_master
from .days import DaysOutcome, search_days
from .delay import improve_delay
from .outcome import Budget, Outcome
from .prove import proven_beside
from .runner import Runner, searched_whole
from .windows import search_windows


def search_level(
    runner: Runner, incumbent: Solution, level: Level, budget: Budget, params: SolverParams
) -> Outcome:
    """Search ``level`` (already the model's objective) from ``incumbent``.

    The levels of planned cases kept (shortfall, kept) are first bounded and
    searched date by date (``days.py``): often that proves them. Then, large
    models are searched window by window only; a level improved by moves within
    a date, or only on the dates that lose planned cases, gets a quick pass date
    by date first, then the whole model gets the rest of its budget, for the
    bound; any other level is one solve of the whole model.
    """
    return dates_first(
        runner, incumbent, level, budget, params,
        lambda start, left: _search(runner, start, level, left, params),
        lambda days: _less(budget, days.work, days.wall),
    )  # fmt: skip


METHOD = "dates' relaxations (each date's planned cases, every rule of the date)"


def dates_first(
    runner: Runner,
    incumbent: Solution,
    level: Level,
    budget: Budget,
    params: SolverParams,
    search: Callable[[Solution, Budget], Outcome],
    left: Callable[[DaysOutcome], Budget],
) -> Outcome:
    """A level of planned cases kept (``level.on_lossy_dates``) bounded and searched date by
    date first (``days.py``, ``params.days_share`` of ``budget``), then by ``search`` from
    there with what is ``left``, unless the dates proved it; the weighted delay improved
    date by date first (``delay.py``, ``params.delay_share``); any other level by ``search``."""
    if level.kind is LevelKind.DELAY:  # the decomposition's master beside it, if due
        work = max(params.delay_proof_work, budget.work or 0.0)
        steps = partial(_delay_first, runner, incumbent, level, budget, params, search)
        return proven_beside(runner, level, incumbent, Budget(budget.seconds, work, None), steps)
    if not level.on_lossy_dates:
        return search(incumbent, budget)
    days = search_days(runner, level, incumbent, _part(budget, params.days_share))
    start = days.found or incumbent
    if days.bound is not None and level.value(start) <= days.bound:
        return Outcome(days.found, "OPTIMAL", days.bound, days.work, days.wall, METHOD)
    return _after_days(days, search(start, left(days)))


def _delay_first(
    runner: Runner,
    incumbent: Solution,
    level: Level,
    budget: Budget,
    params: SolverParams,
    search: Callable[[Solution, Budget], Outcome],
) -> Outcome:
    """The weighted delay improved date by date (``delay.py``) with ``params.delay_share`` of
    the level's time (of its work when no clock governs: each date's own work bound makes
    the steps the same on any machine), then searched by ``search`` with the rest."""
    part = _part(budget, params.delay_share)
    if part.seconds is not None:
        part = Budget(part.seconds, None, None)
    k = runner.built.levels.index(level)
    first = improve_delay(runner, incumbent, level, k, part, params.delay_date_work)
    spent = 0.0 if budget.seconds is not None else first.work
    if params.delay_master_share > 0 and runner.cand.levers is None:
        left = _less(budget, spent, first.wall)
        more = delay_by_master(
            runner, first.found or incumbent, k, _part(left, params.delay_master_share)
        )
        found = more.found or first.found
        work, wall = first.work + more.work, first.wall + more.wall
        days = DaysOutcome(found, more.bound, work, wall)
        if more.bound is not None and level.value(found or incumbent) <= more.bound:
            return Outcome(found, "OPTIMAL", more.bound, work, wall, more.method)
        spent = 0.0 if budget.seconds is not None else work
        rest = search(found or incumbent, _less(budget, spent, wall))
        return _after_days(days, rest, more.method)
    rest = search(first.found or incumbent, _less(budget, spent, first.wall))
    return _after_days(DaysOutcome(first.found, None, first.work, first.wall), rest, None)


def _after_days(days: DaysOutcome, rest: Outcome, how: str | None = METHOD) -> Outcome:
    """The level's outcome from its dates' search (``days``) then the ``rest`` from there:
    the better bound says how it was proven (the dates' relaxations, or the rest's)."""
    bound = days.bound
    method = how
    if rest.bound is not None and (bound is None or rest.bound > bound):
        bound, method = rest.bound, rest.method
    status = rest.status
    if status == "UNKNOWN" and days.found is not None:  # the dates found a better schedule
        status = "FEASIBLE"
    return Outcome(
        rest.found or days.found,
        status,
        bound,
        days.work + rest.work,
        days.wall + rest.wall,
        method,
    )


def _part(budget: Budget, share: float) -> Budget:
    """``share`` of ``budget``'s seconds and work."""
    return Budget(
        None if budget.seconds is None else budget.seconds * share,
        None if budget.work is None else budget.work * share,
        None,
    )


def _less(budget: Budget, work: float, wall: float) -> Budget:
    """What is left of ``budget`` once ``work`` and ``wall`` are spent."""
    return Budget(
        None if budget.seconds is None else max(0.05, budget.seconds - wall),
        None if budget.work is None else max(0.01, budget.work - work),
        None if budget.share is None else max(0.05, budget.share - wall),
    )


def _search(
    runner: Runner, incumbent: Solution, level: Level, budget: Budget, params: SolverParams
) -> Outcome:
    if not searched_whole(runner.built, params):
        return _windows_only(runner, incumbent, level, budget, params)
    if not (level.per_day or level.on_lossy_dates):  # the delay: improved date by date already
        return runner.whole(incumbent, budget)
    return _day_by_day_then_whole(runner, incumbent, level, budget, params)


def _windows_only(
    runner: Runner, incumbent: Solution, level: Level, budget: Budget, params: SolverParams
) -> Outcome:
    seconds = budget.seconds
    if seconds is not None and budget.share is not None:
        # Window steps keep improving for long on big instances: leave later
        # levels a fair part of the time.
        seconds = min(seconds, max(budget.share, params.lns_level_fraction * seconds))
    return search_windows(
        runner, incumbent, level, Budget(seconds, budget.work, budget.share), params
    )


def _day_by_day_then_whole(
    runner: Runner, incumbent: Solution, level: Level, budget: Budget, params: SolverParams
) -> Outcome:
    seconds, work, share = budget.seconds, budget.work, budget.share
    # The steady date-by-date pass (see search_windows) may take the level's time: it
    # ends when a round of dates brings nothing, and the whole model gets the rest
    # (its schedule is taken only when strictly better, see the driver).
    steady = params.steady_days and work is None and level.per_day
    first_s = seconds if seconds is None or steady else seconds / 3
    quick = search_windows(
        runner,
        incumbent,
        level,
        Budget(
            first_s,
            None if work is None else work / 3,
            share,
        ),
        params,
        width=1,
    )
    more = runner.whole(
        quick.found or incumbent,
        Budget(
            None if seconds is None else seconds - quick.wall,
            None if work is None else work - quick.work,
            None if share is None else max(0.05, share - quick.wall),
        ),
    )
    status = "FEASIBLE" if more.found is None and quick.found is not None else more.status
    return Outcome(
        more.found or quick.found,
        status,
        more.bound,
        quick.work + more.work,
        quick.wall + more.wall,
    )

"""One level's search: on the whole model, or window by window on large ones."""

from __future__ import annotations

from ..facts.solution import Solution
from ..model.objective import Level
from ..scenario.params import SolverParams
from .outcome import Budget, Outcome
from .runner import Runner
from .windows import search_windows


def search_level(
    runner: Runner, incumbent: Solution, level: Level, budget: Budget, params: SolverParams
) -> Outcome:
    """Search ``level`` (already the model's objective) from ``incumbent``.

    Large models are searched window by window only; a level improved by moves
    within a date gets a quick pass date by date first, then the whole model
    gets the rest of its budget, for the bound; any other level is one solve of
    the whole model.
    """
    if len(runner.built.variables.room) > params.lns_min_options:
        return _windows_only(runner, incumbent, level, budget, params)
    if not level.per_day:
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
    # The steady date-by-date pass (see search_windows) may take half the level's time
    # (its fair share at least): it ends when a round of dates brings nothing, and the
    # whole model gets the rest (its schedule is taken only when strictly better).
    steady = params.steady_days and work is None
    first_s = seconds
    if seconds is not None:
        first_s = (
            min(seconds, max(share or 0.0, params.lns_level_fraction * seconds))
            if steady
            else seconds / 3
        )
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

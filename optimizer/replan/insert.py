"""``insert``: urgent cases slotted into a result on the morning they arrive, with options.

The morning is the re-plan's (same done cases, same announced appointments,
:func:`optimizer.replan.command.prepare`), with the new cases added. The
first option is that scenario solved as it is; each other option sends the
first new case to another date it could use (its patient is held away from
the other dates, in a copy of the scenario used for that search only), so
the options are genuinely different: another date, room or partner for the
new case, or other cases moved. Every option is scored on the real
scenario's objective levels (the ones ``summary.json`` names), listed best
first, and the one chosen is written as a result folder of the real
scenario, checked by the independent checker like any other.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..clock import format_time
from ..explain.budget import ReasonsBudget
from ..explain.facts import Booking
from ..explain.indices import bookings_from_solution
from ..facts.candidates import Candidates
from ..facts.levels import LevelKind
from ..facts.solution import Solution
from ..i18n import Refusal
from ..model.build import objective_levels
from ..model.objective import Level
from ..result.calls import call_rows
from ..result.output import write_atomically, write_result, write_safe_csv
from ..result.result import LevelReport, Result, make_result
from ..scenario import Problem, ScenarioError
from ..scenario.schema import Scenario, Unavailability
from .command import Morning, prepare, write_extra

OPTION_COLUMNS = ["rank", "case_id", "status", "date", "room_id", "start", "partner_id",
                  "moved", "moved_cases"]  # fmt: skip
RUN_KEYS = ("seed", "workers", "time_limit_s", "work_limit", "wall_clock", "level_workers")
OPTIONS_CSV, RESULT = "options.csv", "result"
INSERT_MARKERS = (OPTIONS_CSV, RESULT)  # a previous insert's folder, which --out may replace
TRIES_PER_OPTION = 2  # other dates searched per option asked beyond the first
# The chosen option's result (its reasons, the checker, the files) takes about this many
# times what reading the folder and building the options and levels took; measured on 3,326
# cases: 1.9 s (the result 1.7, its files 0.2) for 1.0 s. Kept from the searches' time.
FINISH_FACTOR = 2.0
MIN_SEARCH_S = 0.1  # SolveOptions' least time limit: a search then gives its first fit
# Share of the searches' time the first option has (the case where it fits best): on 3,400
# cases at 3 s, an even share (a sixth) left the urgent case unscheduled
FIRST_SHARE = 0.5
# An option's search makes no result: the [solver] values that keep time for one, at zero
NO_RESULT = {"finish_share": 0.0, "write_s": 0.0, "write_s_per_case": 0.0}


class InsertError(Refusal, ValueError):
    """``--choose`` asks for an option that is not there (said from the ``replan``
    catalogue, by default in the policy's language)."""


@dataclass(frozen=True)
class Option:
    """One way to slot the new cases in: their rows, the other cases moved, the costs."""

    solution: Solution
    rows: tuple[dict[str, Any], ...]  # the new cases' schedule rows, in the file's order
    moved: tuple[str, ...]
    costs: tuple[float, ...]  # per level, in the user's units (as summary.json reports)
    order: tuple[int, ...]  # per level, the model's integer value (what is minimised)
    # per level, what it counts (the summary's report of the option applied needs it: the
    # levels themselves take a model's variables to build, 2 s on 3,400 cases)
    kinds: tuple[LevelKind, ...]
    # how the search that found it ran (seed, workers, limits: summary.json's ``run``), and
    # how long it took
    settings: Mapping[str, Any] = field(default_factory=dict)
    wall_time_s: float = 0.0


def insert(
    result_dir: str | Path,
    cases: str | Path,
    today: dt.date,
    *,
    top: int = 3,
    started: float | None = None,
    now: int | None = None,
    **search: Any,
) -> tuple[Morning, list[Option], list[str]]:
    """The ``top`` best options for the cases of ``cases`` on the morning of ``today``
    (``now``: the time of day they arrive, minutes after midnight: the cases begun before
    it stay where they are, and nothing starts before it today).

    ``search`` takes :func:`optimizer.solve`'s options, and ``stop`` (a
    :class:`~optimizer.search.StopFlag` that ends the searches early); a ``time_limit`` is
    the budget of all the searches together, counted from ``started`` (a
    ``time.monotonic()``, the CLI's before reading anything; default: now), and governs
    nothing under a ``work_limit`` (each search's, the same options on any machine).
    Returns the morning, the options best first and the names of the objective levels
    (the cost columns).

    Raises
    ------
    ScenarioError
        The result folder or ``cases`` is bad input, or ``cases`` holds no case.
    """
    from ..search.driver import search_found
    from ..search.options import SolveOptions

    began = time.monotonic()  # the preparing below is measured from here, not from started
    started = began if started is None else started
    morning = prepare(Path(result_dir), today, cases=Path(cases), now=now)
    real = morning.scenario
    new_ids = [c.case_id for c in morning.plan.scenario.cases[morning.plan.carried :]]
    if not new_ids:  # a header and no row: as bad as an empty file, said the same way
        no_case = "the file has a header but no case: add one row per case to insert"
        raise ScenarioError([Problem(str(cases), None, None, no_case)], real.policy.language)
    cand = morning.candidates
    levels = objective_levels(cand)
    names = [lv.name for lv in levels]
    index = {c.case_id: i for i, c in enumerate(real.cases)}
    first_new = index[new_ids[0]]
    budget = search.pop("time_limit", None)
    stop = search.pop("stop", None)
    days = _other_days(cand, first_new)
    tries = min(len(days), TRIES_PER_OPTION * max(top - 1, 0))
    end = None  # when the searches end: the chosen option's result is kept from the budget
    # the folder read, the options and levels built: what the chosen option's result and
    # each search's fixed cost scale with (not the process's start-up before ``began``)
    prepared = time.monotonic() - began
    # a work limit governs each search, the wall clock none (search.driver): every date
    # tried is searched, whatever the machine's speed, for the same options byte for byte
    if budget is not None and search.get("work_limit") is None:
        end = started + budget - FINISH_FACTOR * prepared

    def option(scenario: Scenario, limit: float | None) -> Option:
        given = {**search, "time_limit": limit if limit is not None else budget}
        opts = SolveOptions.checked(**{k: v for k, v in given.items() if v is not None})
        # no result is made of an option's search, nor written: none of its limit is kept
        # for them (a fifth of it was, and went to the dates searched after it)
        params = (opts.params or scenario.policy.solver).model_copy(update=NO_RESULT)
        found = search_found(scenario, opts.model_copy(update={"params": params}), stop=stop)
        scored = _score(real, cand, levels, found.solution, new_ids, index)
        # How it searched, as solve and replan say it; not what a search proved (proved_by):
        # an option is scored on the real scenario's levels, none proven (see chosen_result).
        settings = {k: found.settings[k] for k in RUN_KEYS if k in found.settings}
        if budget is not None:  # what was asked: the budget of all the searches together
            settings["time_limit_s"] = budget
        return dataclasses.replace(scored, settings=settings, wall_time_s=found.wall_time_s)

    # the case where it fits best first, with its share of the time (FIRST_SHARE); then
    # each other date while what is left holds a search: one costs at least what no limit
    # shortens (its options, first fit and result: about what preparing took, 1.0 s on 3,326
    # cases, where a search given 0.3 s took 1.25), or what the first took past its limit
    first = None if end is None else max(MIN_SEARCH_S, FIRST_SHARE * (end - time.monotonic()))
    options = [option(real, first)]
    beyond = 0.0 if first is None else max(prepared, options[0].wall_time_s - first)
    for n, day in enumerate(days[:tries]):
        limit = None
        if end is not None:
            limit = (end - time.monotonic()) / (tries - n) - beyond
            if limit < MIN_SEARCH_S:
                break
        held = _held_to(real, new_ids[0], cand.dates[day])
        options.append(option(held, limit))
    unique: dict[tuple[Any, ...], Option] = {}
    for o in sorted(options, key=lambda o: o.order):
        key = (tuple(tuple(sorted(r.items())) for r in o.rows), o.moved)
        unique.setdefault(key, o)
    return morning, list(unique.values())[:top], names


def _other_days(cand: Candidates, i: int) -> list[int]:
    """The days case ``i`` could go on (a room or a partner), earliest first."""
    days = {o.day for o in cand.room_options[i]} | {t.day for t in cand.transfer_options[i]}
    return sorted(days)


def _held_to(scenario: Scenario, case_id: str, date: dt.date) -> Scenario:
    """A copy of ``scenario`` where the patient of ``case_id`` can come on ``date`` only."""
    policy = scenario.policy
    away = []
    if date > policy.start_date:
        away.append((policy.start_date, date - dt.timedelta(days=1)))
    if date < policy.end_date:
        away.append((date + dt.timedelta(days=1), policy.end_date))
    held = tuple(Unavailability(case_id=case_id, from_date=a, to_date=b) for a, b in away)
    return scenario.model_copy(update={"unavailable": (*scenario.unavailable, *held)})


def _score(
    real: Scenario,
    cand: Candidates,
    levels: Sequence[Level],
    solution: Solution,
    new_ids: Sequence[str],
    index: dict[str, int],
) -> Option:
    # the places and the calls are what is scored: no reason, no check (the chosen
    # option's result has them; here they cost 0.5 s an option on 3,325 cases)
    placed = bookings_from_solution(cand, solution)
    rows = tuple(_cells(placed[index[c]]) for c in new_ids)
    moved = tuple(
        sorted(
            call["case_id"]
            for call in call_rows(real, [(b, None) for b in placed])
            if call["case_id"] not in new_ids and call["old_date"]
        )
    )
    order = tuple(lv.value(solution) for lv in levels)
    costs = tuple(_in_units(lv, raw) for lv, raw in zip(levels, order, strict=True))
    return Option(list(solution), rows, moved, costs, order, tuple(lv.kind for lv in levels))


def _cells(b: Booking) -> dict[str, Any]:
    """Where an option puts a new case, as ``schedule.csv`` writes it."""
    return {"status": b.status, "date": None if b.date is None else b.date.isoformat(),
            "room_id": b.room, "start": None if b.start is None else format_time(b.start),
            "partner_id": b.partner}  # fmt: skip


def _in_units(level: Level, raw: int) -> float:
    """A level's value as ``summary.json`` reports it (misses as a count)."""
    if level.by_class is not None:
        return float(sum(level.by_class(raw).values()))
    value = raw * level.unit
    return float(value) if not math.isclose(value, round(value)) else float(round(value))


def option_rows(options: Sequence[Option], new_ids: Sequence[str]) -> list[list[Any]]:
    """The rows of ``options.csv``, best first (``;``-separated cells for several cases)."""
    out = []
    for rank, o in enumerate(options, start=1):
        cells = [";".join(str(r[k] or "") for r in o.rows)
                 for k in ("status", "date", "room_id", "start", "partner_id")]  # fmt: skip
        out.append([rank, ";".join(new_ids), *cells, len(o.moved), ";".join(o.moved), *o.costs])
    return out


def result_budget(scenario: Scenario, started: float, time_limit: float | None) -> ReasonsBudget:
    """What the chosen option's reasons may cost, as a ``solve`` of ``scenario`` begun at
    ``started`` (a ``time.monotonic()``) with ``time_limit`` gives them
    (:meth:`~optimizer.search.start.Clock.reasons_budget`): no search of a date's starts
    begun once only the checker's time is left (past the first
    ``reasons_min_searches``); without a clock (a work limit), a count. Unbudgeted, the
    reasons of a 3,325-case hospital's option took 2.5 s past the searches' end, and
    ``insert --time-limit 3`` ran 9.9 s."""
    from ..search.start import Clock

    params = scenario.policy.solver
    clock = Clock.of(started, time_limit, len(scenario.cases), params)
    return clock.reasons_budget(params)


def chosen_result(morning: Morning, options: Sequence[Option], names: Sequence[str],
                  choose: int, reasons_budget: ReasonsBudget | None = None) -> Result:  # fmt: skip
    """Option ``choose`` (from 1) as a result of the real scenario, checked; its reasons
    within ``reasons_budget`` (:func:`result_budget`; ``None``: every reason in full)."""
    if not 1 <= choose <= len(options):
        lang = morning.scenario.policy.language
        raise InsertError("replan.insert.no_option", lang=lang, choose=choose, n=len(options))
    o = options[choose - 1]
    real = morning.scenario
    cand = morning.candidates
    reports = [
        LevelReport(name=name, value=v, best_bound=None, status="FEASIBLE", wall_time_s=0.0,
                    searched=False, kind=kind)
        for name, v, kind in zip(names, o.costs, o.kinds, strict=True)
    ]  # fmt: skip
    # the run block of solve and replan (seed, workers, limits), and the option applied
    settings = {**o.settings, "inserted_option": choose}
    # its reasons in the policy's language, as solve and replan write them
    return make_result(real, cand, o.solution, reports, wall_time=o.wall_time_s,
                       interrupted=False, settings=settings, lang=real.policy.language,
                       reasons_budget=reasons_budget)  # fmt: skip


def write_insert(
    morning: Morning,
    options: Sequence[Option],
    names: Sequence[str],
    out_dir: str | Path,
    *,
    choose: int = 1,
    reasons_budget: ReasonsBudget | None = None,
) -> Path:
    """``DIR/options.csv`` and ``DIR/result/`` (option ``choose`` applied, checked), the
    folder replaced as a whole, atomically: only a new or empty one, or a previous insert's
    (:func:`~optimizer.result.output.check_out_dir` with ``INSERT_MARKERS``); the chosen
    option's reasons within ``reasons_budget`` (:func:`result_budget`)."""
    result = chosen_result(morning, options, names, choose, reasons_budget)
    new_ids = [c.case_id for c in morning.plan.scenario.cases[morning.plan.carried :]]

    def fill(tmp: Path) -> None:
        write_result(result, tmp / RESULT, extra=lambda f: write_extra(morning, result, f))
        rows = option_rows(options, new_ids)
        write_safe_csv(tmp / OPTIONS_CSV, [*OPTION_COLUMNS, *names], rows)

    return write_atomically(out_dir, fill, markers=INSERT_MARKERS)

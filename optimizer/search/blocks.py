"""The block search: the horizon cut into date blocks solved apart, in parallel on Dask.

At a region's scale one model of the whole horizon is too heavy to search. Here
the horizon is cut into disjoint blocks of ``block_days`` dates; each block is a
scenario of its own (:mod:`.block_scenario`: its dates, its cases, the beds the
other blocks leave it) solved by the ordinary search with one worker and a part
of the budget, started from the current schedule's placements. The blocks are
independent, so they run as tasks on a Dask cluster (a local one by default, a
running one by its scheduler's address), or one after the other in this
process: a block's task is a pure function of picklable inputs, so both give the
same answer, with a work limit byte for byte.

The blocks' answers are merged into the current schedule in block order; a
merge is kept only when the independent checker passes it and its levels, as
the checker recomputes them, are lexicographically no worse (all blocks at once,
else block by block). The next round cuts the horizon again, the boundaries
shifted by half a block, so that cases can cross the old ones. The ordinary
search of the whole model then starts from the result with the budget left.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..check import check_schedule, evaluate
from ..check.contract import COLUMNS
from ..clock import format_time
from ..facts.candidates import Candidates, build_candidates
from ..facts.solution import Solution
from ..scenario.schema import Scenario
from .block_scenario import (
    Part,
    Slot,
    assign,
    block_scenario,
    date_blocks,
    hint_of,
    to_placements,
    to_slots,
)
from .cluster import task_client
from .construct import first_fit, keep_first
from .options import SolveOptions
from .progress import report_stage
from .start import refuse_unplaced_held
from .stop import StopFlag

log = logging.getLogger("optimizer.solve")

# The part of the budget the blocks take; the whole model's search has the rest.
BLOCK_SHARE = 0.5
ROUNDS = 2  # rounds of blocks, each with its boundaries shifted by half a block

Searcher = Callable[[Scenario, SolveOptions, Solution], tuple[Candidates, Solution]]


@dataclass(frozen=True)
class BlockTask:
    """One block to solve: its scenario, its cases' current places, the search's options."""

    scenario: Scenario
    hint: tuple[Slot | None, ...]
    options: SolveOptions


def solve_block(task: BlockTask, searcher: Searcher) -> tuple[Slot | None, ...]:
    """The block's cases' places after ``searcher`` (the driver's search without its
    result) searched it from ``task.hint``: what runs on a Dask worker."""
    cand, found = searcher(task.scenario, task.options, to_placements(task.scenario, task.hint))
    return tuple(to_slots(cand, found, range(len(found))))


@dataclass
class BlockRun:
    """What the block search did, for the summary's ``run.blocks``."""

    block_days: int
    cluster: str
    rounds: int = 0
    blocks_solved: int = 0
    blocks_kept: int = 0
    seconds: float = 0.0  # from the run's start to the end of the blocks
    blocks_seconds: float = 0.0  # of which the rounds: the blocks' tasks and the merges

    def summary(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["seconds"] = round(self.seconds, 1)
        out["blocks_seconds"] = round(self.blocks_seconds, 1)
        return out


def improve_in_blocks(
    scenario: Scenario,
    options: SolveOptions,
    searcher: Searcher,
    *,
    stop: StopFlag,
    started: float,
) -> tuple[Solution, BlockRun, SolveOptions]:
    """The better of the two starting schedules (first fit, keep first) improved block by
    block; what was done; and the options the search of the whole model gets (the budget
    left, the blocks' options cleared).

    Placements are in the indices of ``build_candidates(scenario,
    max_options=params.max_built_options)``, as :func:`~optimizer.search.start.make_start`
    builds them (a hint for the whole model's search). A stop request ends the blocks
    after the round under way.

    Raises
    ------
    ScenarioError
        Fixed cases that cannot all be operated together (as the whole search says).
    """
    assert options.block_days is not None
    params = scenario.policy.solver if options.params is None else options.params
    seed = scenario.policy.seed if options.seed is None else options.seed
    report_stage("options")
    cand = build_candidates(scenario, max_options=params.max_built_options)
    report_stage("first_fit")
    incumbent = first_fit(cand, keep_in_place=True)
    report_stage("starts")
    other = keep_first(cand)  # the other start of the whole model's search (start.py)
    refuse_unplaced_held(cand, [incumbent, other])  # bad input, as the whole search says
    best = _score(cand, incumbent)
    assert best is not None, "the first-fit schedule breaks a rule"
    score = _score(cand, other)
    if score is not None and score < best:
        incumbent, best = other, score
    width = options.block_days
    dates = cand.dates
    time_limit = options.time_limit
    if time_limit is None and options.work_limit is None:
        time_limit = scenario.policy.time_limit_s or params.default_time_limit_s
    with _client(options, width, len(dates)) as (client, cluster):
        run = BlockRun(width, cluster)
        for r in range(ROUNDS):
            if stop.requested:
                break
            blocks = date_blocks(dates, width, r * (width // 2))
            tasks = []
            for b, part in zip(blocks, assign(cand, incumbent, blocks), strict=True):
                if part.members:
                    sub = block_scenario(cand, incumbent, b, part)
                    hint = hint_of(cand, incumbent, b, part)
                    tasks.append((part, BlockTask(sub, hint, _block_options(options, seed))))
            budget = _per_block(options, time_limit, started, r, len(tasks), client)
            if budget is None:
                break
            report_stage("blocks")
            began = time.monotonic()
            answers = list(_map(client, searcher, [
                BlockTask(t.scenario, t.hint, t.options.model_copy(update=budget))
                for _p, t in tasks
            ]))  # fmt: skip
            run.rounds += 1
            run.blocks_solved += len(tasks)
            moves = [
                _members_moves(cand, incumbent, part, task, answer)
                for (part, task), answer in zip(tasks, answers, strict=True)
            ]
            incumbent, best, kept = _merge(cand, incumbent, best, moves)
            run.blocks_kept += kept
            run.blocks_seconds += time.monotonic() - began
    run.seconds = time.monotonic() - started
    rest: dict[str, Any] = {"block_days": None, "scheduler": None, "dask_workers": None}
    if options.work_limit is not None:
        rest["work_limit"] = max(0.01, options.work_limit * (1 - BLOCK_SHARE))
    return incumbent, run, options.model_copy(update=rest)


def _block_options(options: SolveOptions, seed: int) -> SolveOptions:
    """A block's search: one worker (the parallelism is the blocks'), the run's seed and
    tuning, no blocks of its own."""
    return SolveOptions(
        seed=seed, workers=1, max_options=options.max_options, params=options.params,
        cpsat_params=options.cpsat_params,
    )  # fmt: skip


def _per_block(
    options: SolveOptions,
    time_limit: float | None,
    started: float,
    round_: int,
    blocks: int,
    client: Any,
) -> dict[str, float] | None:
    """A block's budget in round ``round_``: its part of the blocks' share of the work
    limit, else of the time left (the blocks running ``slots`` at a time); ``None``: no
    time is left for a round."""
    if blocks == 0:
        return None
    if options.work_limit is not None:
        return {"work_limit": max(0.01, options.work_limit * BLOCK_SHARE / (ROUNDS * blocks))}
    assert time_limit is not None
    share_end = started + time_limit * BLOCK_SHARE
    left = (share_end - time.monotonic()) / (ROUNDS - round_)
    if left < 0.5:
        return None
    slots = 1 if client is None else max(1, len(client.scheduler_info()["workers"]))
    waves = -(-blocks // slots)
    return {"time_limit": max(0.1, left / waves)}


@contextmanager
def _client(options: SolveOptions, width: int, dates: int) -> Iterator[tuple[Any, str]]:
    """A Dask client and words for the summary: of the cluster at ``options.scheduler``,
    else of a local cluster of ``options.dask_workers`` processes (at most one a block);
    none with ``dask_workers=0``: the blocks are solved here, one after the other."""
    blocks = -(-dates // width)
    workers = 0 if options.dask_workers == 0 else min(options.dask_workers or 2, blocks)
    with task_client(options.scheduler, workers) as (client, where, _slots):
        yield client, where


def _map(client: Any, searcher: Searcher, tasks: Sequence[BlockTask]) -> Iterator[Any]:
    """Each task's answer, in task order: on ``client``, else here one after the other."""
    if client is None:
        for t in tasks:
            yield solve_block(t, searcher)
        return
    futures = [client.submit(solve_block, t, searcher, pure=False, retries=1) for t in tasks]
    try:
        yield from client.gather(futures)
    finally:
        client.cancel(futures)


def _members_moves(
    cand: Candidates,
    incumbent: Solution,
    part: Part,
    task: BlockTask,
    answer: Sequence[Slot | None],
) -> tuple[list[int], tuple[Slot | None, ...]]:
    """The block's members and their answered places (a guest's are its own block's); a
    member operated on another block's dates (nowhere in the block's hint) that the block
    did not bring in stays where it is."""
    guests = set(part.guests)
    now = to_slots(cand, incumbent, part.cases)
    slots = tuple(
        was if s is None and hint is None else s
        for i, was, hint, s in zip(part.cases, now, task.hint, answer, strict=True)
        if i not in guests
    )
    return part.members, slots


def _merge(
    cand: Candidates,
    incumbent: Solution,
    best: tuple[Any, ...],
    answers: Sequence[tuple[list[int], tuple[Slot | None, ...]]],
) -> tuple[Solution, tuple[Any, ...], int]:
    """``incumbent`` with the answers kept: all at once when the checker passes the
    merge and it is no worse, else each, in order, that is so; the score and how many."""
    changed = [(m, a) for m, a in answers if tuple(to_slots(cand, incumbent, m)) != a]
    if not changed:
        return incumbent, best, 0
    merged = _with(cand, incumbent, changed)
    score = _score(cand, merged)
    log.info("blocks: %d of %d changed; levels %s, before %s", len(changed), len(answers),
             score, best)  # fmt: skip
    if score is not None and score <= best:
        return merged, score, len(changed)
    kept = 0
    for m, a in changed:
        trial = _with(cand, incumbent, [(m, a)])
        score = _score(cand, trial)
        log.info("block of %d cases: levels %s, before %s", len(m), score, best)
        if score is not None and score <= best:
            incumbent, best, kept = trial, score, kept + 1
    return incumbent, best, kept


def _with(
    cand: Candidates,
    incumbent: Solution,
    answers: Sequence[tuple[list[int], Sequence[Slot | None]]],
) -> Solution:
    """``incumbent`` with each answer's cases in their new places."""
    out = list(incumbent)
    for m, a in answers:
        for i, p in zip(m, to_placements(cand.scenario, a, m), strict=True):
            out[i] = p
    return out


def _score(cand: Candidates, solution: Solution) -> tuple[Any, ...] | None:
    """The levels of ``solution`` as the independent checker recomputes them, in the
    search's order (smaller is better); ``None`` when the checker finds a broken rule."""
    scenario = cand.scenario
    frame = _frame(cand, solution)
    if check_schedule(scenario, frame):
        return None
    kpi = evaluate(scenario, frame)
    kept = kpi["kept_weighted"] if scenario.policy.level3 == "weighted" else kpi["kept"]
    return (
        *kpi["misses_by_class"],
        kpi["shortfall"],
        kpi["announced_changed"],
        -round(100 * kept),
        round(100 * kpi["weighted_delay"]),
        round(100 * kpi["waiting"]),
        kpi["moved"],
        kpi["shift_min"],
    )


def _frame(cand: Candidates, solution: Solution) -> pd.DataFrame:
    """``solution`` as the contract's schedule columns, for the checker alone: its reasons
    are written by the final result, so each row that needs one says only that."""
    rows = []
    for c, p in zip(cand.cases, solution, strict=True):
        row: dict[str, Any] = dict.fromkeys(COLUMNS)
        row.update(case_id=c.case_id, status="unscheduled", reason="(block search)")
        if p is not None:
            date: dt.date = cand.dates[p.day]
            row["date"] = date
            if c.planned_date is not None:
                row["delay_days"] = (date - c.planned_date).days
            if p.partner is not None:
                row.update(
                    status="transferred", partner_id=cand.partner_slots[p.partner].partner_id
                )
            else:
                assert p.start is not None and p.room is not None
                row.update(
                    room_id=cand.rooms[p.room],
                    start=format_time(p.start),
                    end=format_time(p.start + c.duration_min),
                    status="scheduled"
                    if c.planned_date is None
                    else ("kept" if date == c.planned_date else "postponed"),
                    reason=None if date == c.planned_date else row["reason"],
                )
        rows.append(row)
    return pd.DataFrame(rows, columns=list(COLUMNS))

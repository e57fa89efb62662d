"""An urgent case from the page: ``insert``'s options listed, the one the planner picks applied.

The insert run calls :func:`optimizer.replan.insert.insert` (what the ``insert``
command calls) and writes option 1 applied, with ``options.csv`` beside it, as
its result folder; picking another option makes a new run with that option
applied (:func:`~optimizer.replan.insert.chosen_result`, checked like any
schedule). The options' schedules are kept in memory only: after a restart the
planner inserts again (the page says so).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..clock import parse_clock
from ..explain.budget import ReasonsBudget
from ..facts.schedule_file import unescape_cell
from ..replan.command import Morning
from ..replan.insert import (
    OPTION_COLUMNS,
    Option,
    chosen_result,
    insert,
    option_rows,
    result_budget,
)
from ..result.output import write_result, write_safe_csv
from ..result.result import Result
from ..scenario import Problem, Scenario
from ..scenario.capacity import parse_day
from ..search import StopFlag
from ..search.options import default_workers
from ..search.pipeline import checked_and_written, judged
from .errors import DeskError, Place, required, sent_as, shown
from .runs import Printed, Work

OPTIONS = "options.csv"
# What the page asks of an urgent case (columns of cases.csv); the rest take their defaults.
URGENT_COLUMNS = ("case_id", "specialty", "surgeon_id", "duration_min", "urgency",
                  "release_date", "equipment", "needs_icu", "transferable")  # fmt: skip
URGENT_REQUIRED = ("case_id", "specialty", "surgeon_id", "duration_min", "urgency")
MAX_TOP = 20  # options an insert run lists at most
# insert's answer (the morning, the options, the names of the levels) and the search's settings
Found = tuple[Morning, list[Option], list[str], dict[str, Any]]


@dataclass(frozen=True)
class Urgent:
    """What a request asks: the morning, the time the case arrives (``None``: the day has
    not begun), the new case's ``cases.csv`` row, how many options."""

    today: dt.date
    now: int | None
    row: dict[str, str]
    top: int


def urgent_case(folder: Path, previous: Scenario, body: dict[str, Any]) -> Urgent:
    """What an urgent case's request asks, its bad input refused now (the re-plan's own
    problems, named)."""
    from ..replan.command import prepare

    when = body.get("today")
    today = parse_day(str(when), previous, "today") if when else previous.policy.start_date
    arrives = str(body.get("now") or "").strip()
    now = parse_clock(arrives) if arrives else None
    if arrives and now is None:
        raise DeskError("bad_now", value=shown(arrives))
    row = {k: str(body.get(k) or "").strip() for k in URGENT_COLUMNS}
    for name in URGENT_REQUIRED:
        required(row, name)
    given = body.get("top") or 3
    top = int(given) if str(given).isdigit() else 0
    if not 1 <= top <= MAX_TOP:
        raise DeskError("bad_top", value=shown(given), hi=MAX_TOP)
    with tempfile.TemporaryDirectory(prefix="desk-insert-") as tmp:
        cases = _cases_file(Path(tmp), row)
        with sent_as(cases, _in_urgent_case):
            prepare(folder, today, cases=cases, now=now)
    return Urgent(today, now, row, top)


def _in_urgent_case(problem: Problem) -> Place:
    """Where a problem of the urgent case's ``cases.csv`` row sits in the request: its
    field (the request's fields are the columns), or the case as a whole."""
    if problem.column is None:
        return Place("urgent", {})
    return Place("urgent_field", {"field": problem.column})


def picked(kept: dict[str, Found], run_id: str, body: dict[str, Any]) -> tuple[Found, int]:
    """The options of insert run ``run_id`` and the one (from 1) a request picks."""
    found = kept.get(run_id)
    if found is None:
        raise DeskError("options_gone", 409, run=run_id)
    given = required(body, "option")
    choose = int(given) if given.isdigit() else 0
    if not 1 <= choose <= len(found[1]):
        raise DeskError("bad_option_number", value=shown(given), n=len(found[1]), run=run_id)
    return found, choose


def _cases_file(folder: Path, row: dict[str, str]) -> Path:
    path = folder / "urgent_cases.csv"
    write_safe_csv(path, list(URGENT_COLUMNS), [[row.get(h, "") for h in URGENT_COLUMNS]])
    return path


def insert_work(
    folder: Path, asked: Urgent, search: dict[str, Any], kept: dict[str, Found]
) -> Work:
    """The work of an insert run: the options ``asked``, option 1 applied, the options kept
    (under the run's id) for the planner to pick another."""

    def work(stop: StopFlag, out: Path, printed: Printed) -> Result:
        started = time.monotonic()  # the time limit bounds the searches and the result alike
        with tempfile.TemporaryDirectory(prefix="desk-insert-") as tmp:
            cases = _cases_file(Path(tmp), asked.row)
            morning, options, names = insert(folder, cases, asked.today, top=asked.top,
                                             now=asked.now, started=started, stop=stop,
                                             **search)  # fmt: skip
        seed = search.get("seed", morning.scenario.policy.seed)
        settings = {"seed": seed, "workers": search.get("workers") or default_workers(),
                    "time_limit_s": search.get("time_limit"),
                    "work_limit": search.get("work_limit")}  # fmt: skip
        found = kept[out.name] = (morning, options, names, settings)
        # option 1's reasons within the limit, as ``insert``'s command gives them
        clock = None if search.get("work_limit") is not None else search.get("time_limit")
        return write_option(found, 1, out, printed, result_budget(morning.scenario, started, clock))

    return work


def choose_work(found: Found, choose: int) -> Work:
    """The work of a run applying option ``choose`` (from 1) of an earlier insert run."""

    def work(stop: StopFlag, out: Path, printed: Printed) -> Result:
        return write_option(found, choose, out, printed)

    return work


def write_option(
    found: Found, choose: int, out: Path, printed: Printed, budget: ReasonsBudget | None = None
) -> Result:
    """Option ``choose`` applied as the result folder ``out`` (checked; ``done.csv`` and
    ``options.csv`` beside it, as ``insert --out`` writes them), its reasons within
    ``budget`` (``None``: each in full, for an option the planner picks later)."""
    from ..replan.command import write_extra

    morning, options, names, settings = found
    new_ids = [c.case_id for c in morning.plan.scenario.cases[morning.plan.carried :]]

    def write(result: Result) -> None:
        def beside(folder: Path) -> None:
            write_extra(morning, result, folder)
            write_safe_csv(folder / OPTIONS, [*OPTION_COLUMNS, *names],
                           option_rows(options, new_ids))  # fmt: skip
            printed(folder)

        write_result(result, out, extra=beside, xlsx=True)

    def make() -> Result:
        result = chosen_result(morning, options, names, choose, budget)
        return judged(dataclasses.replace(result, settings={**settings, **result.settings}))

    return checked_and_written(out, make, lambda r: r.violations or (), write)


def read_options(folder: Path) -> list[dict[str, Any]] | None:
    """The rows of a run's ``options.csv`` (``None`` if the run was no insert): the new
    case's slot, the cases moved and the cost per objective level (``costs``)."""
    path = folder / OPTIONS
    if not path.is_file():
        return None
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = [{k: unescape_cell(v or "") for k, v in r.items()} for r in csv.DictReader(fh)]
    out = []
    for r in rows:
        out.append(
            {**{k: r[k] for k in OPTION_COLUMNS},
             "rank": int(r["rank"]), "moved": int(r["moved"]),
             "costs": {k: float(v) for k, v in r.items() if k not in OPTION_COLUMNS}}
        )  # fmt: skip
    return out

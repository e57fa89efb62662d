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
from pathlib import Path
from typing import Any

from ..replan.command import Morning
from ..replan.insert import OPTION_COLUMNS, Option, chosen_result, insert, option_rows
from ..result.output import unescape_cell, write_result, write_safe_csv
from ..result.result import Result
from ..search import StopFlag
from ..search.driver import default_workers
from ..search.pipeline import checked_and_written, judged
from .runs import Printed, Work

OPTIONS = "options.csv"
# insert's answer (the morning, the options, the names of the levels) and the search's settings
Found = tuple[Morning, list[Option], list[str], dict[str, Any]]


def insert_work(
    folder: Path,
    today: dt.date,
    columns: list[str],
    row: dict[str, str],
    top: int,
    search: dict[str, Any],
    kept: dict[str, Found],
) -> Work:
    """The work of an insert run: the ``top`` options, option 1 applied, the options kept
    (under the run's id) for the planner to pick another."""

    def work(stop: StopFlag, out: Path, printed: Printed) -> Result:
        with tempfile.TemporaryDirectory(prefix="desk-insert-") as tmp:
            cases = Path(tmp) / "urgent_cases.csv"
            write_safe_csv(cases, columns, [[row.get(h, "") for h in columns]])
            morning, options, names = insert(folder, cases, today, top=top, **search)
        seed = search.get("seed", morning.scenario.policy.seed)
        settings = {"seed": seed, "workers": search.get("workers") or default_workers(),
                    "time_limit_s": search.get("time_limit"),
                    "work_limit": search.get("work_limit")}  # fmt: skip
        found = kept[out.name] = (morning, options, names, settings)
        return write_option(found, 1, out, printed)

    return work


def choose_work(found: Found, choose: int) -> Work:
    """The work of a run applying option ``choose`` (from 1) of an earlier insert run."""

    def work(stop: StopFlag, out: Path, printed: Printed) -> Result:
        return write_option(found, choose, out, printed)

    return work


def write_option(found: Found, choose: int, out: Path, printed: Printed) -> Result:
    """Option ``choose`` applied as the result folder ``out`` (checked; ``done.csv`` and
    ``options.csv`` beside it, as ``insert --out`` writes them)."""
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
        result = chosen_result(morning, options, names, choose)
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

"""Reading a result folder for the report: its files only, nothing recomputed by the solver.

The report is made from what a result folder holds (``schedule.csv``,
``summary.json``, ``calls.csv`` and ``scenario/``), so a folder copied to a
USB stick or received by mail can be printed without the run that made it.
A folder that is not a whole result is refused with each problem named by
file, row and column, like a bad scenario.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..facts.schedule_file import canonical_cells, read_rows, read_schedule
from ..result.calls import CALLS_COLUMNS, call_rows
from ..result.output import SCENARIO_COPY, load_scenario_or_copy
from ..result.row import CONTRACT_COLUMNS
from ..scenario import Problem, Scenario, ScenarioError

SCHEDULE = "schedule.csv"
CALL_DATES, CALL_TIMES = ("old_date", "new_date"), ("old_start", "new_start")
SUMMARY = "summary.json"
CALLS = "calls.csv"
SCHEDULE_NEEDS = CONTRACT_COLUMNS


class ResultFolderError(ValueError):
    """The folder is not a whole result folder; ``problems`` names each one."""

    def __init__(self, folder: Path, problems: list[Problem]) -> None:
        self.folder = folder
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class ResultFolder:
    """What a result folder holds, read and cross-checked.

    ``schedule`` has one row per case of ``scenario``, in the scenario's order,
    every cell a string or ``None`` (empty); ``calls`` likewise, in the file's order.
    """

    path: Path
    scenario: Scenario
    schedule: tuple[dict[str, str | None], ...]
    summary: dict[str, Any]
    calls: tuple[dict[str, str | None], ...]
    # the line of each case's row in schedule.csv, to name a bad cell
    schedule_lines: Mapping[str, int] = field(default_factory=dict)
    # the line of each row of calls.csv (0: recomputed, the folder has no calls.csv)
    calls_lines: tuple[int, ...] = ()


def _read_calls(path: Path, problems: list[Problem]) -> list[tuple[int, dict[str, str | None]]]:
    """The rows of ``calls.csv`` with their row numbers, read as ``schedule.csv`` is."""
    try:
        table = read_rows(path, CALLS, CALLS_COLUMNS)
    except ScenarioError as exc:
        problems += exc.problems
        return []
    problems += table.problems
    for row, cells in table.rows:  # the dates and times report and letters read
        problems += canonical_cells(CALLS, row, cells, CALL_DATES, CALL_TIMES)
    return [(row, {k: v or None for k, v in cells.items()}) for row, cells in table.rows]


def read_result_folder(folder: str | Path) -> ResultFolder:
    """Read the result folder ``folder`` for reporting.

    ``calls.csv`` is recomputed from the schedule and the scenario when a folder
    written before it existed lacks it (the same function writes it).

    Raises
    ------
    ResultFolderError
        A file is missing or unreadable, or the schedule and the scenario disagree.
    ScenarioError
        ``scenario/`` is not a valid scenario.
    """
    path = Path(folder)
    problems: list[Problem] = []
    if not path.is_dir():
        raise ResultFolderError(path, [Problem(str(path), None, None, "is not a folder")])
    for name in (SCHEDULE, SUMMARY, SCENARIO_COPY):
        if not (path / name).exists():
            # the callers' header says "not a whole result folder": each line, what is missing
            problems.append(Problem(name, None, None, "is missing"))
    if problems:
        raise ResultFolderError(path, problems)
    scenario = load_scenario_or_copy(path)  # the folder's scenario/, checked above
    try:  # the reader replan and explain use: every cell a command reads is checked
        checked = read_schedule(path / SCHEDULE, SCHEDULE, scenario, SCHEDULE_NEEDS)
    except ScenarioError as exc:
        checked = None
        problems += exc.problems
    try:
        summary = json.loads((path / SUMMARY).read_text(encoding="utf-8"))
        if not isinstance(summary, dict) or not {"dates", "totals", "solver"} <= summary.keys():
            problems.append(Problem(SUMMARY, None, None, "lacks dates, totals or solver"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(Problem(SUMMARY, None, None, f"is not valid JSON ({exc})"))
        summary = {}
    calls = _read_calls(path / CALLS, problems) if (path / CALLS).exists() else None
    if checked is None or problems:
        raise ResultFolderError(path, problems)
    schedule = tuple({k: v or None for k, v in row.items()} for row in checked.rows)
    if calls is None:
        placed = [(b, row["reason"]) for b, row in zip(checked.bookings, schedule, strict=True)]
        made = call_rows(scenario, placed)
        calls = [(0, {k: (None if v is None else str(v)) for k, v in c.items()}) for c in made]
    return ResultFolder(
        path,
        scenario,
        schedule,
        summary,
        tuple(c for _, c in calls),
        checked.lines,
        tuple(row for row, _ in calls),
    )

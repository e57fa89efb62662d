"""Reading a result folder for the report: its files only, nothing recomputed by the solver.

The report is made from what a result folder holds (``schedule.csv``,
``summary.json``, ``calls.csv`` and ``scenario/``), so a folder copied to a
USB stick or received by mail can be printed without the run that made it.
A folder that is not a whole result is refused with each problem named by
file, row and column, like a bad scenario.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..result.calls import CALLS_COLUMNS, call_rows, placed_of_cells
from ..result.output import SCENARIO_COPY, load_scenario_or_copy, unescape_cell
from ..result.row import CONTRACT_COLUMNS
from ..scenario import Problem, Scenario

SCHEDULE = "schedule.csv"
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


def _read_csv(
    path: Path, name: str, needs: tuple[str, ...] | list[str], problems: list[Problem]
) -> list[dict[str, str | None]] | None:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(name, None, None, f"cannot be read ({exc})"))
        return None
    if not rows:
        problems.append(Problem(name, None, None, "is empty: no header row"))
        return None
    header = [h.strip() for h in rows[0]]
    missing = [c for c in needs if c not in header]
    if missing:
        problems.append(Problem(name, 1, None, f"has no column {', '.join(missing)}"))
        return None
    out = []
    for cells in rows[1:]:
        if not any(c.strip() for c in cells):
            continue
        cells = cells + [""] * (len(header) - len(cells))
        out.append(
            {h: (unescape_cell(c.strip()) or None) for h, c in zip(header, cells, strict=False)}
        )
    return out


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
            problems.append(Problem(name, None, None, "is missing: not a whole result folder"))
    if problems:
        raise ResultFolderError(path, problems)
    scenario = load_scenario_or_copy(path)  # the folder's scenario/, checked above
    rows = _read_csv(path / SCHEDULE, SCHEDULE, SCHEDULE_NEEDS, problems)
    try:
        summary = json.loads((path / SUMMARY).read_text(encoding="utf-8"))
        if not isinstance(summary, dict) or not {"dates", "totals", "solver"} <= summary.keys():
            problems.append(Problem(SUMMARY, None, None, "lacks dates, totals or solver"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(Problem(SUMMARY, None, None, f"is not valid JSON ({exc})"))
        summary = {}
    calls = None
    if (path / CALLS).exists():
        calls = _read_csv(path / CALLS, CALLS, CALLS_COLUMNS, problems)
    if rows is None or problems:
        raise ResultFolderError(path, problems)
    ids = frozenset(c.case_id for c in scenario.cases)
    by_id: dict[str, dict[str, str | None]] = {}
    lines: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        cid = row["case_id"]
        if cid is None or cid not in ids:
            problems.append(
                Problem(SCHEDULE, line, "case_id", f"{cid!r} is not a case of scenario/")
            )
        elif cid in by_id:
            problems.append(Problem(SCHEDULE, line, "case_id", f"{cid} appears twice"))
        else:
            by_id[cid] = row
            lines[cid] = line
    absent = [c.case_id for c in scenario.cases if c.case_id not in by_id]
    if absent:
        shown = ", ".join(absent[:5]) + (" ..." if len(absent) > 5 else "")
        problems.append(Problem(SCHEDULE, None, "case_id", f"no row for case {shown}"))
    if problems:
        raise ResultFolderError(path, problems)
    schedule = tuple(by_id[c.case_id] for c in scenario.cases)
    if calls is None:
        try:
            placed = placed_of_cells(schedule)
        except ValueError as exc:  # a date or start that is not one
            raise ResultFolderError(path, [Problem(SCHEDULE, None, None, str(exc))]) from None
        calls = [
            {k: (None if v is None else str(v)) for k, v in call.items()}
            for call in call_rows(scenario, placed)
        ]
    return ResultFolder(path, scenario, schedule, summary, tuple(calls), lines)

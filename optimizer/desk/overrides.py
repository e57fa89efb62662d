"""What the desk needs around the planner's overrides (the edit itself is
:mod:`optimizer.scenario.override`): a case's slot in a run, to pin it there, and
the overrides of the working scenario, for the page."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from ..clock import format_time
from ..facts.schedule_file import unescape_cell
from ..scenario import Scenario
from .errors import DeskError, shown


def slot_in_run(folder: Path, case_id: str) -> tuple[str, str, str]:
    """The date, room and start of ``case_id`` in a run's ``schedule.csv``.

    Raises
    ------
    DeskError
        The case is not in the run, or not operated in one of the hospital's rooms there.
    """
    with (folder / "schedule.csv").open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if unescape_cell(row["case_id"]) != case_id:
                continue
            date, room, start = (unescape_cell(row[k] or "") for k in ("date", "room_id", "start"))
            if not (date and room and start):
                raise DeskError("no_room_in_run", case=case_id, run=folder.name)
            return date, room, start
    raise DeskError("no_case_in_run", 404, case=shown(case_id), run=folder.name)


def overrides(scenario: Scenario) -> list[dict[str, Any]]:
    """The cases the planner fixed, with where (``room_id`` and ``start`` may be empty)."""
    return [
        {
            "case_id": c.case_id,
            "date": c.fixed_date.isoformat(),
            "room_id": c.fixed_room,
            "start": None if c.fixed_start is None else format_time(c.fixed_start),
        }  # fmt: skip
        for c in scenario.cases
        if c.fixed_date is not None
    ]

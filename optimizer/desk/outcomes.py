"""The outcomes a planner records on a run (a call's answer, a case done, cancelled or
withdrawn): which the run can take, and the events file its re-plan reads."""

from __future__ import annotations

from pathlib import Path

from ..scenario import Problem
from .errors import DeskError, Place, shown
from .outputs import case_dates, case_ids

CALL_OUTCOMES = ("confirmed", "declined", "unreachable")


def in_outcomes(problem: Problem, run_id: str, events: list[dict[str, str]]) -> Place:
    """Where a problem of the events file the desk wrote from ``events`` sits: the outcome
    recorded for a case (row 2 is the first event), by the field the planner sent."""
    k = (problem.row or 0) - 2
    if not 0 <= k < len(events):
        return Place("outcomes", {"run": run_id})
    case = shown(events[k]["case_id"])
    field = {"case_id": None, "event": "outcome"}.get(problem.column or "", problem.column)
    if field is None:
        return Place("outcome", {"case": case})
    return Place("outcome_field", {"case": case, "field": field})


def may_record(folder: Path, run_id: str, case_id: str, outcome: str) -> None:
    """Refuse an outcome the re-plan of the run would refuse (``replan --events``), now,
    before the journal holds it: a call's outcome (confirmed, declined, unreachable) is for
    a case on the run's call list; ``done`` and ``withdrawn`` for a case the run holds;
    ``cancelled`` (on the day) for a case the run gave a date."""
    if outcome in CALL_OUTCOMES:
        if case_id not in case_ids(folder / "calls.csv"):
            raise DeskError("not_called", 404, case=shown(case_id), run=run_id)
        return
    dates = case_dates(folder / "schedule.csv")
    if case_id not in dates:
        raise DeskError("no_case_in_run", 404, case=shown(case_id), run=run_id)
    if outcome == "cancelled" and not dates[case_id]:
        raise DeskError("not_scheduled", 409, case=shown(case_id), run=run_id)


def write_events(path: Path, rows: list[dict[str, str]]) -> None:
    _write_rows(path, ["case_id", "event", "until"], rows)


def _write_rows(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    """A CSV file for the API's readers, cells escaped as every output is."""
    from ..result.output import write_safe_csv

    write_safe_csv(path, header, [[r.get(h, "") for h in header] for r in rows])

"""The outcomes a planner records on a run (a call's answer, a case done, cancelled or
withdrawn): which the run can take, taking one back, and the events file its re-plan reads.

An outcome recorded by mistake is taken back by a ``retracted`` entry of the journal that
names it (the journal only grows: who recorded it, who took it back, and when, stay there).
From then on it counts nowhere (:meth:`Journal.outcomes`, which the page, the re-plan's
events and the call list all read): the outcome recorded for the case before it, if any,
stands again, as an undo brings it back (it was replaced only by the mistaken one).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from ..scenario import Problem
from .errors import DeskError, Place, shown
from .journal import Entry, Journal
from .outputs import case_dates, case_ids

CALL_OUTCOMES = ("confirmed", "declined", "unreachable")
# what happened to a case on its day, which the page offers beside it: ``done`` is not
# among them, a case whose day has passed being taken as done by the re-plan already
DAY_OUTCOMES = ("cancelled", "withdrawn")


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
    refused = _refusal(outcome, case_dates(folder / "schedule.csv").get(case_id))
    if refused is not None:
        raise DeskError(refused, _STATUS[refused], case=shown(case_id), run=run_id)


def day_outcomes(folder: Path) -> dict[str, tuple[str, ...]]:
    """What the page offers to record beside each case of a run (its day sheets, its cases
    not kept), by case id: those of :data:`DAY_OUTCOMES` that :func:`may_record` takes,
    by the same rule, read from the run's ``schedule.csv`` once."""
    return {
        case_id: tuple(o for o in DAY_OUTCOMES if _refusal(o, date) is None)
        for case_id, date in case_dates(folder / "schedule.csv").items()
    }


_STATUS = {"no_case_in_run": 404, "not_scheduled": 409}


def _refusal(outcome: str, date: str | None) -> str | None:
    """Why ``done``, ``cancelled`` or ``withdrawn`` cannot be recorded for a case the run
    gives ``date`` (``""``: no date; ``None``: the run does not hold it), or ``None``."""
    if date is None:
        return "no_case_in_run"
    if outcome == "cancelled" and not date:
        return "not_scheduled"
    return None


def events_of(journal: Journal, run_id: str) -> list[dict[str, str]]:
    """Every outcome standing on a run (recorded and not taken back), by case id, as
    ``replan --events`` rows: the re-plan reads them as that file."""
    return [
        {"case_id": case_id, "event": str(entry.details.get("outcome")),
         "until": str(entry.details.get("until") or "")}
        for case_id, entry in sorted(journal.outcomes(run_id).items())
    ]  # fmt: skip


# one retraction at a time: the outcome checked as standing is the one taken back
_RETRACTING = threading.Lock()


def retract(
    journal: Journal, who: str, run_id: str, case_id: str, body: dict[str, Any]
) -> dict[str, Any]:
    """Take back the outcome standing on ``case_id`` of a run, recorded by mistake: a
    ``retracted`` entry naming it. ``entry_id`` (optional; the page sends it) is the entry
    the caller saw: if another has been recorded or taken back since, nothing is done.
    Answers what stands now (the earlier outcome, or none) and what was taken back."""
    given = str(body.get("entry_id") if body.get("entry_id") is not None else "").strip()
    if given and not (given.isascii() and given.isdigit()):
        raise DeskError("bad_entry", entry=shown(given))
    with _RETRACTING:
        wrong = journal.outcomes(run_id).get(case_id)
        if wrong is None:
            raise DeskError("no_outcome", 404, case=shown(case_id), run=run_id)
        if given and int(given) != wrong.entry_id:
            raise DeskError("outcome_changed", 409, case=shown(case_id), run=run_id)
        journal.add(who, "retracted", run_id=run_id, case_id=case_id, retracts=wrong.entry_id,
                    outcome=wrong.details.get("outcome"), until=wrong.details.get("until"),
                    recorded_by=wrong.who)  # fmt: skip
    return {"case_id": case_id, **_standing(journal.outcomes(run_id).get(case_id)),
            "retracted": _standing(wrong)}  # fmt: skip


def _standing(entry: Entry | None) -> dict[str, Any]:
    """An outcome as the API answers it (all ``None`` when no outcome stands)."""
    if entry is None:
        return {"outcome": None, "until": None, "entry_id": None, "who": None}
    return {"outcome": entry.details.get("outcome"), "until": entry.details.get("until"),
            "entry_id": entry.entry_id, "who": entry.who}  # fmt: skip


def write_events(path: Path, rows: list[dict[str, str]]) -> None:
    _write_rows(path, ["case_id", "event", "until"], rows)


def _write_rows(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    """A CSV file for the API's readers, cells escaped as every output is."""
    from ..result.output import write_safe_csv

    write_safe_csv(path, header, [[r.get(h, "") for h in header] for r in rows])

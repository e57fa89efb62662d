"""Why each case is where it is: causes from facts, reasons in words, what would let it go ahead.

- :mod:`.facts` indexes the final schedule against the full scenario;
- :mod:`.verdict` names the limit that binds a case on one date;
- :mod:`.causes` turns that into a :class:`Finding` (the contract's ``cause``
  code, the ``blocking`` ids, and message parts with their fields);
- :mod:`.words` renders a finding in English or French;
- :mod:`.counterfactual` asks the solver what it would take for a case to go
  ahead as planned (the ``explain`` command).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..facts.candidates import Candidates
from ..facts.solution import Solution
from ..i18n import DEFAULT_LANG, Lang
from .budget import ReasonsBudget, Spending
from .called import call_part, call_reason, call_said, said_reason
from .causes import find_cause, find_causes
from .facts import Booking, bookings_from_schedule
from .findings import CAUSES, Finding
from .indices import bookings_from_solution
from .words import render

__all__ = [
    "CAUSES",
    "Booking",
    "Finding",
    "Reasons",
    "ReasonsBudget",
    "bookings_from_schedule",
    "bookings_from_solution",
    "call_part",
    "call_reason",
    "call_said",
    "said_reason",
    "find_cause",
    "find_causes",
    "reasons",
    "render",
]


@dataclass(frozen=True)
class Reasons:
    """Each case's ``(cause, blocking, reason)`` (all empty where the case is kept as
    planned; a waiting case given a date on time has a reason, what its patient is called
    in for, and no cause), and what the reasons' budget let through: the cases explained,
    those given the short form, the searches of a date's starts run. ``calls`` holds each
    case's reason as ``calls.csv`` says it (:func:`~.called.call_said`: from the appointment
    the patient holds)."""

    rows: list[tuple[str, str, str]]
    explained: int
    short: int
    searches: int
    calls: list[str]


def reasons(
    cand: Candidates,
    solution: Solution,
    lang: Lang = DEFAULT_LANG,
    budget: ReasonsBudget | None = None,
) -> Reasons:
    """Each case's reason, in full until ``budget`` is spent (default: no budget).

    Computed from the full scenario (``cand.scenario``) and the final schedule,
    whatever options the solver was restricted to.
    """
    spending = Spending(budget or ReasonsBudget())
    bookings = bookings_from_solution(cand, solution)
    findings = find_causes(cand.scenario, bookings, spending)
    said = list(zip(findings, cand.scenario.cases, bookings, strict=True))
    rows = [_row(f, said_reason(f, c, b, lang)) for f, c, b in said]
    calls = [call_said(f, c, b, lang) for f, c, b in said]
    given = [f for f in findings if f is not None]
    return Reasons(rows, len(given), sum(f.short for f in given), spending.searches, calls)


def _row(f: Finding | None, reason: str) -> tuple[str, str, str]:
    """A row's ``(cause, blocking, reason)``: the one place a finding becomes a row."""
    if f is None:
        return "", "", reason
    return f.cause, ";".join(f.blocking), reason

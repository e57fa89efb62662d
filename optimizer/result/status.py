"""How a solve ended, as an enum: what ``Result.status`` and ``summary.json`` say."""

from __future__ import annotations

from enum import StrEnum


class SolveStatus(StrEnum):
    """The status of a solve, from the statuses of its objective levels.

    A :class:`str` subclass: ``result.status == "OPTIMAL"`` holds as before,
    and ``summary.json`` holds the member's value.

    Attributes
    ----------
    OPTIMAL
        Every level proven best.
    FEASIBLE
        A valid schedule; the budget ran out before some level was proven best.
    UNKNOWN
        The search found no better schedule in its budget; the schedule is the
        first fit (still valid, checked).
    INTERRUPTED
        Stopped by the user (Ctrl-C or a stop flag) before every level was proven.

    CP-SAT's ``INFEASIBLE`` and ``MODEL_INVALID`` never make a result: the
    search raises :class:`~optimizer.search.InternalError` for them (a known
    feasible schedule makes them bugs), and a status name this enum does not
    know raises ``ValueError`` rather than passing unseen.
    """

    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    UNKNOWN = "UNKNOWN"
    INTERRUPTED = "INTERRUPTED"

"""``done.csv``: the cases that left the list this morning (operated, transferred, withdrawn)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..clock import format_time
from ..facts.schedule_file import DONE_COLUMNS
from .morning import DoneCase

__all__ = ["DONE_COLUMNS", "done_rows"]


def done_rows(done: Iterable[DoneCase]) -> list[list[Any]]:
    """``done.csv`` rows, in the previous result's order."""
    out = []
    for d in done:
        s = d.slot
        date = room = start = end = partner = None
        if s is not None:
            date, room, partner = s.date.isoformat() if s.date else None, s.room, s.partner
            if s.start is not None:
                start, end = format_time(s.start), format_time(s.start + d.case.duration_min)
        out.append([d.case.case_id, d.status, date, room, start, end, partner, d.source])
    return out

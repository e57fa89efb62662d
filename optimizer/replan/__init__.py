"""Re-planning each morning from the previous result, keeping announced appointments stable.

:func:`optimizer.replan.command.prepare` reads a result folder and what
happened since and builds the next scenario; :func:`optimizer.solve` solves
it like any other. The command line's
``replan`` does both and writes ``done.csv`` and ``calls.csv`` too.
"""

from ..facts.booking import Booking
from ..result.announced import announced_change
from .morning import DoneCase, NextMorning, next_morning

__all__ = [
    "Booking",
    "DoneCase",
    "NextMorning",
    "announced_change",
    "next_morning",
]

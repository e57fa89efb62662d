"""Clock times and dates as planners write them: ``HH:MM`` (or ``8h30``) and ``DD/MM``.

A neutral module: it imports nothing from the rest of the package, so the
scenario files, the schedule, the reasons and the CLI can all use it without
depending on one another. Clock times are whole minutes after midnight.
"""

from __future__ import annotations

import datetime as dt
import re

MINUTES_PER_DAY = 24 * 60

# HH:MM, or 8h30 and 10h as French planners write a time (in a cell or an option alike)
_CLOCK = re.compile(r"([0-9]{1,2})(?::([0-9]{2})|[hH]([0-9]{2})?)\Z")


def format_time(minutes: int) -> str:
    """Minutes after midnight as ``HH:MM``."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_clock(text: str, *, allow_24: bool = False) -> int | None:
    """``HH:MM`` (ASCII digits) to minutes after midnight; ``None`` if it is not a clock time.

    ``8h30`` and ``10h`` are read too, as French planners write a time. ``24:00``
    (midnight at the end of the day) is read only with ``allow_24``, where an end
    time is read.
    """
    m = _CLOCK.match(text)
    if m:
        h, mi = int(m.group(1)), int(m.group(2) or m.group(3) or 0)
        if (h < 24 and mi < 60) or (allow_24 and h == 24 and mi == 0):
            return h * 60 + mi
    return None


def format_day_month(day: dt.date) -> str:
    """A date as ``DD/MM``, as the reasons of the schedule name it."""
    return day.strftime("%d/%m")

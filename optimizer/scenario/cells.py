"""Reading one cell of a scenario file: dates, clock times, numbers, booleans, lists.

Each parser turns the trimmed text of a cell into a value or raises
:class:`CellError` with a sentence in the planner's words; the reader adds
the file, row and column. The bounds come from :mod:`.limits`, the same
constants the schema's fields use.
"""

from __future__ import annotations

import datetime as dt
import re

from ..clock import parse_clock
from . import limits

TRUE = frozenset({"true", "1", "yes"})
FALSE = frozenset({"false", "0", "no"})
# As a French Excel writes them (VRAI/FAUX) or a French planner types them (oui/non).
FRENCH_TRUE = frozenset({"vrai", "oui"})
FRENCH_FALSE = frozenset({"faux", "non"})

_INT = re.compile(r"[+-]?[0-9]+\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
FRENCH_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})\Z")
_SECONDS = re.compile(r"[0-9]{1,2}:[0-9]{2}:00\Z")
DECIMAL_COMMA = re.compile(r"[+-]?[0-9]*,[0-9]+\Z")


class CellError(Exception):
    """A cell could not be read; the message says why, in the planner's words."""


def show(text: str) -> str:
    """A cell's text for a message: quoted, and cut short if long."""
    return repr(text if len(text) <= 40 else text[:37] + "...")


def parse_date(text: str) -> dt.date:
    """``YYYY-MM-DD``, or ``DD/MM/YYYY`` as a French Excel writes it, to a date between the
    years 1900 and 2999 (ASCII digits only)."""
    if _DATE.match(text):
        try:
            return sane_date(dt.date.fromisoformat(text))
        except ValueError:
            raise CellError(f"{show(text)} is not a date of the calendar") from None
    if m := FRENCH_DATE.match(text):
        try:
            return sane_date(dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))))
        except ValueError:
            raise CellError(f"{show(text)} is not a date of the calendar (DD/MM/YYYY)") from None
    raise CellError(f"{show(text)} is not a date of the form YYYY-MM-DD (or DD/MM/YYYY)")


def sane_date(d: dt.date) -> dt.date:
    """``d`` itself, or :class:`CellError` if it is too far off to be meant."""
    # Far-off dates are typing errors, and date arithmetic near year 9999 overflows.
    if not limits.MIN_DATE <= d <= limits.MAX_DATE:
        raise CellError(
            f"{d} is not a plausible date (years {limits.MIN_DATE.year} to {limits.MAX_DATE.year})"
        )
    return d


def parse_time(text: str, *, allow_24: bool = False) -> int:
    """``HH:MM`` to minutes after midnight; ``24:00`` only where an end time is read."""
    minutes = parse_clock(text, allow_24=allow_24)
    if minutes is None and _SECONDS.match(text):  # 08:00:00: Excel's time with seconds
        minutes = parse_clock(text[:-3], allow_24=allow_24)
    if minutes is None:
        last = "24:00" if allow_24 else "23:59"
        raise CellError(f"{show(text)} is not a clock time HH:MM between 00:00 and {last}")
    return minutes


def parse_end_time(text: str) -> int:
    """An end time: ``24:00`` (midnight at the end of the day) is allowed."""
    return parse_time(text, allow_24=True)


def parse_int(text: str, lo: int, hi: int, unit: str) -> int:
    """A whole number between ``lo`` and ``hi`` (ASCII digits, an optional sign)."""
    if not _INT.match(text):
        raise CellError(f"{show(text)} is not a whole number of {unit}")
    if len(text.lstrip("+-0")) > 15:  # far out of any range; int() of it would be slow
        raise CellError(f"{show(text)} {unit} is out of range: it must be {lo} to {hi}")
    value = int(text)
    if not lo <= value <= hi:
        raise CellError(f"{value} {unit} is out of range: it must be {lo} to {hi}")
    return value


def parse_duration(text: str) -> int:
    """A case's duration in minutes, within the bounds of ``Case.duration_min``."""
    return parse_int(text, limits.MIN_DURATION_MIN, limits.MAX_DURATION_MIN, "minutes")


def parse_capacity(text: str) -> int:
    """A number of units of a resource (or of cases a partner takes)."""
    return parse_int(text, 0, limits.MAX_CAPACITY, "units")


def parse_cost(text: str) -> float:
    """A cost (an extra session's): a number from 0 to ``MAX_EXTRA_COST``."""
    try:
        value = float(text.replace(",", ".") if DECIMAL_COMMA.match(text) else text)
    except ValueError:
        raise CellError(f"{show(text)} is not a number (e.g. 1 or 2.5)") from None
    if not 0 <= value <= limits.MAX_EXTRA_COST:  # also refuses nan and inf
        raise CellError(
            f"{show(text)} is out of range: a cost is 0 to {limits.MAX_EXTRA_COST:,.0f}"
        )
    return value


def parse_announced_count(text: str) -> int:
    """How many times an appointment was changed and re-announced (``announced_count``)."""
    return parse_int(text, 0, limits.MAX_ANNOUNCED_COUNT, "re-announcements")


def parse_bool(text: str) -> bool:
    """``true``/``false``, ``1``/``0``, ``yes``/``no``, ``vrai``/``faux``, ``oui``/``non``,
    in any case."""
    low = text.lower()
    if low in TRUE or low in FRENCH_TRUE:
        return True
    if low in FALSE or low in FRENCH_FALSE:
        return False
    raise CellError(
        f"{show(text)} is not true or false (1/0, yes/no, VRAI/FAUX and oui/non are accepted too)"
    )


def parse_list(text: str) -> tuple[str, ...]:
    """A ``;``-separated list: items trimmed, empty ones dropped, duplicates once."""
    return tuple(dict.fromkeys(x.strip() for x in text.split(";") if x.strip()))


def format_bool(value: bool) -> str:
    """A boolean cell as the writer writes it."""
    return "true" if value else "false"


def format_date(day: dt.date | None) -> str:
    """A date cell as the writer writes it; empty for none."""
    return "" if day is None else day.isoformat()

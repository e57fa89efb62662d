"""Slashed dates as a spreadsheet exports them: day first or month first, told by the file.

``03/04/2022`` is 3 April to a French Excel and 4 March to an American one, and
nothing in the cell says which. A careful reader looks at the whole file: one
date with a field above 12 settles its order (``13/04/2022`` can only be day
first). A file whose every date reads both ways is not guessed: the caller says
the order (``date_order``, ``--date-order``), or the file is refused, naming
the first cell that could be read both ways.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Literal, get_args

from ..scenario import Problem, ScenarioError
from ..scenario.limits import MAX_DATE, MIN_DATE

DateOrder = Literal["day-first", "month-first"]
DATE_ORDERS: tuple[DateOrder, ...] = get_args(DateOrder)
_SLASHED = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{2}|[0-9]{4})\Z")
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})\Z")
_SHAPE = {"day-first": "day/month/year", "month-first": "month/day/year"}


def _calendar(m: re.Match[str], order: DateOrder) -> dt.date:
    """The date a slashed match stands for in ``order``; :class:`ValueError` if none."""
    first, second, year = (int(g) for g in m.groups())
    if len(m.group(3)) == 2:  # as Python's %y reads it: 69..99 is 19xx, 00..68 20xx
        year += 1900 if year >= 69 else 2000
    return dt.date(year, second, first) if order == "day-first" else dt.date(year, first, second)


def parse_date(text: str, order: DateOrder) -> dt.date:
    """``text`` (``YYYY-MM-DD``, or slashed in ``order``, the year of 2 or 4 digits) as a
    date between the years 1900 and 2999; :class:`ValueError` with a sentence if not."""
    try:
        if m := _ISO.match(text):
            day = dt.date(*(int(g) for g in m.groups()))
        elif m := _SLASHED.match(text):
            day = _calendar(m, order)
        else:
            raise ValueError
    except ValueError:
        raise ValueError(f"{text!r} is not a date ({_SHAPE[order]}, or YYYY-MM-DD)") from None
    # As the scenario loader does: a far-off date is a typing error, and the
    # folder written with it would be refused by the loader.
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValueError(
            f"{day} is not a plausible date (years {MIN_DATE.year} to {MAX_DATE.year})"
        )
    return day


def _readings(m: re.Match[str]) -> dict[DateOrder, dt.date]:
    """The orders a slashed date reads in, each with the date it then is."""
    out: dict[DateOrder, dt.date] = {}
    for order in DATE_ORDERS:
        try:
            out[order] = _calendar(m, order)
        except ValueError:
            continue
    return out


def date_order_of(
    file: str, cells: Iterable[tuple[int, str, str]], given: DateOrder | None = None
) -> DateOrder:
    """The order of the slashed dates in ``cells`` (row, column, text), from the dates
    themselves, else ``given``.

    ``given`` wins when stated (a date it cannot read is then named at its own
    cell). Without it, dates that read one way only must all agree, and a file
    whose dates all read both ways (``03/04/2022``) is refused.

    Raises
    ------
    ScenarioError
        The dates disagree, or none tells the order and ``given`` is ``None``.
    """
    if given is not None:
        return given
    witness: dict[DateOrder, tuple[int, str, str]] = {}
    both_ways: tuple[int, str, str, dict[DateOrder, dt.date]] | None = None
    for row, column, text in cells:
        m = _SLASHED.match(text)
        if m is None:
            continue
        readings = _readings(m)
        if len(readings) == 1:
            witness.setdefault(next(iter(readings)), (row, column, text))
        elif both_ways is None and len(set(readings.values())) == 2:
            both_ways = (row, column, text, readings)
    if len(witness) == 2:
        (r1, c1, t1, o1), (r2, c2, t2, o2) = sorted((*w, o) for o, w in witness.items())
        message = (
            f"{t2!r} reads only {_WAY[o2]}, but {t1!r} (row {r1}, column {c1}) only "
            f"{_WAY[o1]}: the file mixes two date orders; correct the dates that do not "
            "follow the file's order"
        )
        raise ScenarioError([Problem(file, r2, c2, message)])
    if witness:
        return next(iter(witness))
    if both_ways is None:  # no slashed date, or none that reads differently: any order will do
        return "month-first"
    row, column, text, readings = both_ways
    message = (
        f"{text!r} reads as {readings['day-first']} (day first) or as "
        f"{readings['month-first']} (month first), and no date in the file has a day above "
        "12 to tell which order it uses; say it with --date-order day-first or "
        "--date-order month-first"
    )
    raise ScenarioError([Problem(file, row, column, message)])


_WAY = {"day-first": "day first (day/month/year)", "month-first": "month first (month/day/year)"}

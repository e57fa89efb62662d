"""Reading ``schedule.csv`` and every cell of a schedule into its meaning.

A cell that cannot be read is reported as a ``format`` violation and takes its
row out of the rule checks, so one bad cell never hides the rest.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .contract import COLUMNS, Violation


def read_schedule_csv(path: str | Path) -> pd.DataFrame:
    """Read ``schedule.csv`` as text, undoing the formula neutralisation.

    Every cell is a string (an empty cell is ``""``); a cell that starts with
    ``'`` loses exactly one leading ``'``, as the contract tells a reader to do.
    """
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    header = [h.strip() for h in rows[0]]
    body = [[_unescape(cell) for cell in r] + [""] * (len(header) - len(r)) for r in rows[1:] if r]
    return pd.DataFrame([r[: len(header)] for r in body], columns=header, dtype=object)


def _unescape(cell: str) -> str:
    return cell[1:] if cell.startswith("'") else cell


class _Malformed(ValueError):
    """A cell that cannot be read as what its column holds."""


# The contract's columns read into their meaning: deliberately the checker's own row, not
# optimizer/result/row.py's (the judge shares no code with what it judges).
@dataclass(frozen=True)
class Row:
    """One schedule row with every cell read into its meaning."""

    case_id: str
    status: str
    date: dt.date | None
    room_id: str | None
    start: int | None
    end: int | None
    partner_id: str | None
    delay_days: int | None
    reason: str


@dataclass
class Table:
    """A schedule as written: the ids and statuses of all rows, and the rows that could be read."""

    ids: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    rows: list[Row | None] = field(default_factory=list)
    problems: list[Violation] = field(default_factory=list)


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if type(value) is int:  # the common cells read fast (pd.isna is slow on one value)
        return False
    if type(value) is float:
        return value != value
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text(value: Any) -> str | None:
    return None if _is_empty(value) else str(value).strip()


def _date(value: Any) -> dt.date | None:
    if _is_empty(value):
        return None
    if isinstance(value, dt.datetime):  # also pd.Timestamp; checked before date, its base
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise _Malformed("is not a date of the form YYYY-MM-DD")


def _minutes(value: Any) -> int | None:
    if _is_empty(value):
        return None
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute
    if isinstance(value, str):
        parts = value.strip().split(":")
        if len(parts) == 2 and all(p.isdigit() and 1 <= len(p) <= 2 for p in parts):
            h, m = int(parts[0]), int(parts[1])
            if m < 60 and (h < 24 or (h == 24 and m == 0)):
                return h * 60 + m
        raise _Malformed("is not a clock time HH:MM")
    return _whole(value, "is not a clock time HH:MM")


def _whole(value: Any, complaint: str) -> int:
    if isinstance(value, bool):
        raise _Malformed(complaint)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            raise _Malformed(complaint) from None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise _Malformed(complaint) from None
    if not math.isfinite(number) or number != int(number):
        raise _Malformed(complaint)
    return int(number)


def _days(value: Any) -> int | None:
    return None if _is_empty(value) else _whole(value, "is not a whole number of days")


_READERS = {
    "date": _date,
    "room_id": _text,
    "start": _minutes,
    "end": _minutes,
    "partner_id": _text,
    "delay_days": _days,
}


def read_table(schedule: pd.DataFrame) -> Table:
    """Read every row; a cell that cannot be read takes its row out of the rule checks."""
    table = Table()
    missing = [c for c in COLUMNS if c not in schedule.columns]
    if missing:
        table.problems.append(
            Violation("format", None, f"the schedule has no column {', '.join(missing)}")
        )
        return table
    for record in schedule[list(COLUMNS)].to_dict("records"):
        # ids compare exactly as written: the API may give ids the loader would trim
        case_id = "" if _is_empty(record["case_id"]) else str(record["case_id"])
        status = _text(record["status"]) or ""
        table.ids.append(case_id)
        table.statuses.append(status)
        values: dict[str, Any] = {}
        bad: list[str] = []
        for column, reader in _READERS.items():
            try:
                values[column] = reader(record[column])
            except _Malformed as exc:
                bad.append(column)
                who = f"case {case_id}" if case_id else "a row without case id"
                table.problems.append(
                    Violation("format", case_id or None, f"{column} of {who} {exc}")
                )
        if bad:
            table.rows.append(None)
            continue
        table.rows.append(
            Row(
                case_id=case_id,
                status=status,
                reason=_text(record["reason"]) or "",
                **values,
            )
        )
    return table

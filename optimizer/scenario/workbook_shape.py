"""How a workbook's sheets are laid out, said when it is not as the readers need: a required
sheet missing (the closest title present, or all of them), a header with merged cells."""

from __future__ import annotations

import re
from typing import Any

from .reading import printable
from .typos import edits
from .workbook_cells import Merged, OddCell, cell_ref

_EXTENSION = re.compile(r"\.(csv|txt|xlsx?|xlsm)$")
_SHOWN_TITLES = 12


def nearest_sheet(sheet: str, titles: tuple[str, ...]) -> str | None:
    """The title among ``titles`` (sheets not read) a missing ``sheet`` is most likely named:
    the same name with a file's extension (``cases.csv``), a beginning or a longer form of it
    (``cas``, ``cases 2``), or one or two letters off (``csaes``); ``None`` if none is."""
    best: tuple[int, str] | None = None
    for title in titles:
        low = _EXTENSION.sub("", title.strip().lower()).strip()
        if low == sheet:
            d = 0
        elif len(low) >= 3 and (sheet.startswith(low) or low.startswith(sheet)):
            d = 1
        else:
            d = 1 + edits(low, sheet)
            if d > 3 or len(low) < 4:
                continue
        if best is None or (d, title) < best:
            best = (d, title)
    return None if best is None else best[1]


def missing_sheet(sheet: str, others: tuple[str, ...], titles: tuple[str, ...]) -> str:
    """Why a required ``sheet`` is not read: the title of ``others`` (the sheets not read)
    it is likely misnamed as, else the titles the workbook has (``Interventions`` where
    ``cases`` is needed is no near name, but the planner sees it in the list)."""
    said = "this required sheet is missing from the workbook"
    near = nearest_sheet(sheet, others)
    if near is not None:
        return f"{said} (did you mean {near!r}?)"
    if not titles:
        return said
    shown = ", ".join(repr(printable(t)) for t in titles[:_SHOWN_TITLES])
    if len(titles) > _SHOWN_TITLES:
        shown += ", ..."
    return f"{said} (sheets found: {shown}): add it, or rename the sheet that holds its rows"


def header_merges(merges: list[OddCell | Merged], grid: list[list[Any]], width: int) -> list[str]:
    """A problem for each range merged across row 1 that hides a column's name: a column
    inside the header (of ``width`` columns), or one holding data below. A range merged
    down from row 1 is a merged data cell, said with the others."""
    out = []
    for m in merges:
        if not isinstance(m, Merged) or m.row != 0 or m.last_row != 0:
            continue
        hidden = range(m.column + 1, m.last_column + 1)
        if any(j < width for j in hidden) or any(
            j < len(rec) and rec[j] not in (None, "") for rec in grid[1:] for j in hidden
        ):
            first, last = cell_ref(0, m.column), cell_ref(0, m.last_column)
            out.append(
                f"cells {first}:{last} of the header are merged: Excel keeps the name in "
                f"{first} only; unmerge them and type each column's name"
            )
    return out

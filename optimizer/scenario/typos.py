"""Typos caught where they are made: an id that matches nothing but is close to a known one.

A surgeon id one letter off those of ``surgeons.csv`` is read as a surgeon
always available; a specialty no room hosts leaves its cases unscheduled.
Both are valid input, so they are warnings, naming the rows and the nearest
known id ("did you mean urology?"), as unknown urgency classes are named.
An id is "near" another when one or two letters differ, are missing or are
swapped (one for ids of up to five letters), in any case; ids that differ
only in their digits (``S12``, ``S13``; ``OR1``, ``OR10``) are a numbered
series, not a typo, so a surgeon simply absent from ``surgeons.csv`` gets no
warning.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Container, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from .layout import CASES, PARTNERS, SURGEONS

if TYPE_CHECKING:
    from .readers import Read
    from .reading import Reader

_DIGITS = re.compile(r"[0-9]+")
_SHOWN_ROWS = 10
_MOST_ZEROS = 8  # the leading zeros an id of a hospital's system may carry (000123)


def _max_edits(text: str) -> int:
    return 1 if len(text) <= 5 else 2


def _deletions(text: str, most: int) -> set[str]:
    """``text`` with up to ``most`` of its letters deleted (the symmetric-delete index)."""
    out, level = {text}, {text}
    for _ in range(most):
        level = {t[:i] + t[i + 1 :] for t in level for i in range(len(t))}
        out |= level
    return out


def edits(a: str, b: str) -> int:
    """How many letters to insert, delete, change or swap with the next to turn ``a`` into
    ``b`` (the optimal string alignment distance: ``robto`` is one swap from ``robot``)."""
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, start=1):
        row = [i]
        for j, cb in enumerate(b, start=1):
            d = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                d = min(d, rows[-2][j - 2] + 1)
            row.append(d)
        rows.append(row)
    return rows[-1][-1]


class Nearest:
    """The known ids, indexed so that the near ones of an id are found without comparing
    it with every known id (lists of hundreds of surgeons, thousands of unknown ids)."""

    def __init__(self, known: Iterable[str]) -> None:
        self.known = frozenset(known)
        self._index: dict[str, set[str]] = defaultdict(set)
        for name in self.known:
            for variant in _deletions(name.lower(), 2):
                self._index[variant].add(name)

    def __call__(self, name: str) -> str | None:
        """The known id ``name`` is most likely a typo of; ``None`` if none is near."""
        if name in self.known or len(name) < 3:
            return None
        low = name.lower()
        found: set[str] = set()
        for variant in _deletions(low, _max_edits(name)):
            found |= self._index.get(variant, set())
        best: tuple[int, str] | None = None
        for other in found:
            if _DIGITS.sub("#", other.lower()) == _DIGITS.sub("#", low) and other.lower() != low:
                continue  # a numbered series: S12 and S13 are two surgeons
            d = edits(low, other.lower())
            if d <= max(_max_edits(name), _max_edits(other)) and (
                best is None or (d, other) < best
            ):
                best = (d, other)
        return None if best is None else best[1]


def rows_text(rows: list[int]) -> str:
    """``row 5``, ``rows 5, 9 and 12``, or the first ten and how many more."""
    rows = sorted(rows)
    if len(rows) == 1:
        return f"row {rows[0]}"
    shown = ", ".join(map(str, rows[:_SHOWN_ROWS]))
    if len(rows) > _SHOWN_ROWS:
        return f"rows {shown} and {len(rows) - _SHOWN_ROWS} more"
    head, last = shown.rsplit(", ", 1)
    return f"rows {head} and {last}"


def warn_typos(loader: Reader, cases: Read, windows: Read, partners: Read) -> None:
    """Surgeons of ``cases.csv`` near one of ``surgeons.csv``, and partners' specialties near
    a case's: warnings naming the rows and the nearest known id.

    (Specialties no room hosts are warned of with the cases no room can host,
    :func:`~.warnings.warn_unreachable`; equipment and rooms that are unknown
    are errors, whose messages carry the same "did you mean".)
    """
    if windows.items:
        listed = Nearest(w.surgeon_id for w in windows.items)
        named = ((c.surgeon_id, cases.rows[c.case_id]) for c in cases.items)
        for sid, rows, near in _near_misses(listed, named):
            loader.warn(
                f"{CASES}, {rows_text(rows)}: surgeon {sid} is not in {SURGEONS}, so "
                f"taken as available whenever a room is open; did you mean {near}?"
            )
    if partners.items and cases.items:
        specialties = Nearest(c.specialty for c in cases.items)
        named = ((key[2], row) for key, row in partners.rows.items())
        for spec, rows, near in _near_misses(specialties, named):
            loader.warn(
                f"{PARTNERS}, {rows_text(rows)}: no case is of specialty {spec}; "
                f"did you mean {near}?"
            )


def _near_misses(
    listed: Nearest, named: Iterable[tuple[str, int]]
) -> list[tuple[str, list[int], str]]:
    """The names (each with its row) not listed but near a listed one, by name: each with
    its rows and the nearest listed name."""
    rows_of: dict[str, list[int]] = defaultdict(list)
    for name, row in named:
        if name not in listed.known:
            rows_of[name].append(row)
    found = ((name, rows, listed(name)) for name, rows in sorted(rows_of.items()))
    return [(name, rows, near) for name, rows, near in found if near is not None]


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """`` (did you mean X?)`` when ``name`` is near one of ``known``, else nothing."""
    near = _index(frozenset(known))(name)
    return "" if near is None else f" (did you mean {near}?)"


def leading_zeros(name: str, known: Container[str]) -> str | None:
    """The known id that ``name`` is with leading zeros added or taken off (``1`` for ``01``,
    ``00123`` for ``123``); None if there is none.

    Excel drops them from an id typed as a number: ``01`` in a text cell and ``1`` in a
    number cell are one id written two ways. :class:`Nearest` rightly takes ids differing
    in digits for a numbered series, so this is a rule of its own.
    """
    if not (name.isascii() and name.isdigit()):
        return None
    bare = name.lstrip("0")
    for zeros in range(_MOST_ZEROS + 1):
        other = "0" * zeros + bare
        if other != name and other in known:
            return other
    return None


def unlisted_hint(name: str, known: Collection[str]) -> str:
    """What may explain an id missing from ``known``, said after "is not listed in
    rooms.csv": the same id with its leading zeros dropped by Excel (", which has 1: ..."),
    or a near one (" (did you mean OR10?)"); nothing if neither."""
    same = leading_zeros(name, known)
    if same is not None:
        return f", which has {same}: Excel may have dropped leading zeros; type the ids as text"
    return did_you_mean(name, known)


@lru_cache(maxsize=16)
def _index(known: frozenset[str]) -> Nearest:
    return Nearest(known)  # the same rooms or equipment for every row of a file

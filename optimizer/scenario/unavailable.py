"""``unavailable.csv``: the dates each patient cannot come, checked against the cases."""

from __future__ import annotations

from .cells import parse_date
from .invariants import held_inside
from .readers import Read
from .reading import Reader, Spec, Table
from .schema import Case, Unavailability
from .typos import unlisted_hint

_SPEC: Spec = (
    ("case_id", None, True),
    ("from", parse_date, True),
    ("to", parse_date, True),
    ("reason", None, False),
)


def read_unavailable(loader: Reader, t: Table | None, cases: Read) -> Read:
    """Each row a range of dates a patient cannot come, both ends included.

    A row naming a case ``cases.csv`` does not list, a ``from`` after its
    ``to``, or a range over the planned date of a pinned case (which must be
    operated that very date) is bad input, named by file, row and column.
    """
    out = Read(loaded=t is not None)
    if t is None:
        return out
    by_id: dict[str, Case] = {c.case_id: c for c in cases.items}
    for row, cells in t.rows:
        before = loader.per_file[t.file]
        cid, first, last, reason = loader.values(t, row, cells, _SPEC)
        if cid is not None and cases.loaded and cid not in cases.rows:
            hint = unlisted_hint(cid, cases.rows)
            loader.error(t.file, row, "case_id", f"case {cid} is not listed in cases.csv{hint}")
        if first is not None and last is not None and first > last:
            loader.error(t.file, row, "to", f"the range ends on {last}, before it starts ({first})")
        case = by_id.get(cid) if cid is not None else None
        held = None
        if case is not None and first is not None and last is not None:
            held = held_inside(case, first, last)
        if held is not None:
            loader.error(t.file, row, "from", held)
        if loader.per_file[t.file] == before:
            out.items.append(
                Unavailability(case_id=cid, from_date=first, to_date=last, reason=reason or None)
            )
    return out

"""The starts worth trying for a case in a slot, read from sorted lists instead of listed.

A verdict tries, in each slot, its ends and the minutes just before or after
each case of the same room, surgeon or resources that date: the first free
start after any conflict is the end of a case (plus turnover in the room), so
these include every left end of the free stretches. On a university's day the
anaesthetists alone give hundreds of such minutes per slot; the lists here are
built once per date (and room, surgeon or resource) and asked by range, so
that a stretch where the same cases are in the way costs a few bisections, not
one test per minute.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from typing import Protocol


class _Held(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


Source = tuple[list[int], int]  # sorted minutes and the case's duration to take off them


def sources(holds: Iterable[_Held], turnover: int, duration: int) -> list[Source]:
    """The starts around ``holds`` (just after each, with and without turnover; just before
    each), as two sorted lists: the second is shifted by the case's ``duration``."""
    held = list(holds)
    ends = sorted({x for h in held for x in (h.end, h.end + turnover)})
    begins = sorted({x for h in held for x in (h.start, h.start - turnover)})
    return [(ends, 0), (begins, duration)]


class Starts:
    """The starts of one span of a slot: its two ends and the sources' minutes inside it."""

    def __init__(self, lists: Sequence[Source], span: tuple[int, int]) -> None:
        self.lists = lists
        self.lo, self.hi = span

    def between(self, a: int, b: int) -> list[int]:
        """The starts in ``[a, b]`` (inside the span), in order."""
        out = {t for t in (self.lo, self.hi) if a <= t <= b}
        for xs, off in self.lists:
            out.update(x - off for x in xs[bisect_left(xs, a + off) : bisect_right(xs, b + off)])
        return sorted(out)

    def nearest(self, a: int, b: int, target: int | None) -> int | None:
        """The start in ``[a, b]`` nearest ``target`` (the first if none), the earlier on a tie;
        ``None``: no start there."""
        found = [t for t in (self.lo, self.hi) if a <= t <= b]
        for xs, off in self.lists:
            lo, hi = bisect_left(xs, a + off), bisect_right(xs, b + off)
            if lo == hi:
                continue
            k = lo if target is None else bisect_left(xs, target + off, lo, hi)
            if k > lo:
                found.append(xs[k - 1] - off)
            if k < hi:
                found.append(xs[k] - off)
        if not found:
            return None
        if target is None:
            return min(found)
        return min(found, key=lambda t: (abs(t - target), t))

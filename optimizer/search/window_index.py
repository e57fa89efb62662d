"""Which cases a window of dates holds, read from indexes instead of a scan of every case.

A window (:func:`.neighbourhoods.window_candidates`) frees the cases placed on its dates,
the cases planned on them and the cases placed later or nowhere that have an option there,
and holds the other cases of its dates and those sharing a counted bed with its free ones.
Found by a scan of every case, that cost each window of a region (50,000 cases) a third of
a second, more than its model's solve on a university; here a window looks only at the
cases of its own dates and rooms: :class:`OptionIndex` lists them from the run's options
(built once per search: the options do not change), :class:`Placed` from one schedule (kept
up to date as windows are merged). The rule that decides each case is the same.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from ..facts.candidates import Candidates, RoomOption, TransferOption
from ..facts.solution import Placement, Solution


class OptionIndex:
    """Each case's options by date, and the cases with an option on each date and room,
    each read from the candidates once (a university has 405,904 options: a filter of them
    all per window would cost more than its model)."""

    def __init__(self, cand: Candidates) -> None:
        self.cand = cand
        self._by_day: dict[int, dict[int, list[RoomOption]]] = {}
        self._at: dict[int, dict[int, list[int]]] | None = None
        self._transfers: dict[int, list[int]] = {}

    def on(self, i: int, day: int) -> list[RoomOption]:
        """Case ``i``'s options on ``day``, in the candidates' order."""
        by_day = self._by_day.get(i)
        if by_day is None:
            by_day = {}
            for o in self.cand.room_options[i]:
                by_day.setdefault(o.day, []).append(o)
            self._by_day[i] = by_day
        return by_day.get(day, [])

    def could_come(self, day: int, rooms: frozenset[int] | None) -> Iterable[int]:
        """The cases with an option on ``day`` in one of ``rooms`` (``None``: any room), or a
        transfer on ``day`` (with repeats): a case not placed in a window joins it only by
        one of those."""
        if self._at is None:
            self._build()
        assert self._at is not None
        at = self._at.get(day, {})
        for r in at if rooms is None else rooms:
            yield from at.get(r, ())
        yield from self._transfers.get(day, ())

    def _build(self) -> None:
        at: dict[int, dict[int, list[int]]] = {}
        for i, options in enumerate(self.cand.room_options):
            for o in options:
                cases = at.setdefault(o.day, {}).setdefault(o.room, [])
                if not cases or cases[-1] != i:
                    cases.append(i)
        for i, transfers in enumerate(self.cand.transfer_options):
            for d in {t.day for t in transfers}:
                self._transfers.setdefault(d, []).append(i)
        self._at = at


class Placed:
    """One schedule's cases by the date they are placed on (operated or transferred), and the
    operated cases holding each counted (bed, day); :meth:`move` follows the schedule's
    changes."""

    def __init__(self, cand: Candidates, sol: Solution) -> None:
        self.cand = cand
        self.sol = sol
        self.on: dict[int, set[int]] = {}
        self.beds: dict[tuple[str, int], set[int]] | None = {} if any(cand.bed_stays) else None
        for i, p in enumerate(sol):
            self._add(i, p)

    def _add(self, i: int, p: Placement | None) -> None:
        if p is None:
            return
        self.on.setdefault(p.day, set()).add(i)
        if self.beds is not None and p.here:
            for key in self.cand.stay(i, p.day):
                self.beds.setdefault(key, set()).add(i)

    def move(self, sol: Solution, moves: dict[int, Placement | None]) -> None:
        """``sol`` is the schedule followed now: the one before with ``moves`` made."""
        for i, p in moves.items():
            old = self.sol[i]
            if old is not None:
                self.on[old.day].discard(i)
                if self.beds is not None and old.here:
                    for key in self.cand.stay(i, old.day):
                        self.beds[key].discard(i)
            self._add(i, p)
        self.sol = sol


@dataclass(frozen=True)
class WindowCases:
    """A window's cases (``members``, sorted), each one's options in the window (free
    cases: every option of the window and their current place; held ones: their place),
    and the members held where they are. A case outside it has no option."""

    members: list[int]
    room_options: dict[int, list[RoomOption]]
    transfers: dict[int, list[TransferOption]]
    held: frozenset[int]

    def out_of_run(self, cand: Candidates, i: int) -> bool:
        """A case left out counts the same in every answer: out of the run, the delay and
        waiting levels skip it (a smaller model). Not one with a deadline or an announced
        slot: the levels that count those would change shape."""
        return cand.out_of_run[i] or (
            i not in self.room_options
            and cand.deadline_day[i] is None
            and cand.announced[i] is None
        )


def window_cases(
    cand: Candidates,
    placed: Placed,
    dates: range,
    rooms: frozenset[int] | None,
    index: OptionIndex,
    taken: Collection[int] = (),
) -> WindowCases:
    """The cases of the window ``dates`` x ``rooms`` around ``placed.sol``, as
    :func:`.neighbourhoods.window_candidates` says, looking only at the cases placed on
    ``dates``, planned on them, or with an option there."""
    incumbent = placed.sol
    inside = set(dates)
    last = dates[-1]
    maybe: set[int] = set()
    for d in dates:
        maybe.update(placed.on.get(d, ()))
        maybe.update(index.could_come(d, rooms))
    room_options: dict[int, list[RoomOption]] = {}
    transfers: dict[int, list[TransferOption]] = {}
    stays: set[tuple[str, int]] = set()
    for i in sorted(maybe):
        p = incumbent[i]
        pd = cand.planned_day[i]
        if cand.pinned[i] or (p is not None and p.here and p.day == pd and pd not in inside):
            continue
        if i in taken:
            continue
        placed_in = p is not None and p.day in inside
        if placed_in and p is not None and p.here and rooms is not None and p.room not in rooms:
            continue  # operated on a window date, in another room: held (below)
        mine = [o for d in dates for o in index.on(i, d) if rooms is None or o.room in rooms]
        away = [t for t in cand.transfer_options[i] if t.day in inside]
        # placed after the window, nowhere, or sent to a partner: it could come in
        later = p is None or p.day > last or p.partner is not None
        if not (placed_in or ((pd in inside or later) and (mine or away))):
            continue
        if p is not None and not placed_in:  # its way back: where it is, as it is
            if p.here:
                mine.append(at_place(i, p))
            else:
                away += transfer_at(cand, i, p)
        room_options[i], transfers[i] = mine, away
        if placed.beds is not None:
            for o in mine:
                stays.update(cand.stay(i, o.day))
    # held where they are: the other cases operated on a window date (held, or in another
    # room) and those holding a bed the window's cases may need
    near: set[int] = set()
    for d in dates:
        near.update(placed.on.get(d, ()))
    if placed.beds is not None:
        for key in stays:
            near.update(placed.beds.get(key, ()))
    held: list[int] = []
    for i in sorted(near - room_options.keys()):
        p = incumbent[i]
        assert p is not None
        if not (p.day in inside or (p.here and bool(stays.intersection(cand.stay(i, p.day))))):
            continue
        if p.here:
            room_options[i], transfers[i] = [at_place(i, p)], []
        else:
            room_options[i], transfers[i] = [], transfer_at(cand, i, p)
        held.append(i)
    return WindowCases(sorted(room_options), room_options, transfers, frozenset(held))


def at_place(i: int, p: Placement) -> RoomOption:
    """Case ``i``'s option at ``p`` exactly (its room, its start)."""
    assert p.room is not None and p.start is not None
    return RoomOption(i, p.day, p.room, ((p.start, p.start),))


def transfer_at(cand: Candidates, i: int, p: Placement) -> list[TransferOption]:
    """Case ``i``'s transfer option at ``p`` (its partner, its date)."""
    return [t for t in cand.transfer_options[i] if (t.day, t.partner) == (p.day, p.partner)]

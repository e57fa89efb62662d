"""A window's cases read from indexes (search/window_index.py) are the ones a scan of every
case finds (the rule of :func:`.neighbourhoods.window_candidates`, restated below as it was
written before the indexes), on random scenarios with stays, for schedules the index
followed move by move."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.facts.candidates import Candidates, RoomOption, TransferOption, build_candidates
from optimizer.facts.solution import Placement, Solution
from optimizer.search.construct import first_fit
from optimizer.search.window_index import OptionIndex, Placed, at_place, transfer_at, window_cases
from tests.support.strategies import realistic_scenarios, scenarios


def _scan(
    cand: Candidates, sol: Solution, dates: range, rooms: frozenset[int] | None, taken: set[int]
) -> tuple[dict[int, list[RoomOption]], dict[int, list[TransferOption]], set[int]]:
    """Every case read, in order: the free ones with their options, then the held ones."""
    inside, last = set(dates), dates[-1]
    options: dict[int, list[RoomOption]] = {}
    transfers: dict[int, list[TransferOption]] = {}
    stays: set[tuple[str, int]] = set()
    for i, p in enumerate(sol):
        pd = cand.planned_day[i]
        if cand.pinned[i] or (p is not None and p.here and p.day == pd and pd not in inside):
            continue
        placed_in = p is not None and p.day in inside
        if i in taken or (placed_in and p and p.here and rooms is not None and p.room not in rooms):
            continue
        mine = [o for o in cand.room_options[i] if o.day in inside]
        mine = [o for o in mine if rooms is None or o.room in rooms]
        mine.sort(key=lambda o: o.day)  # by date, each date's in the candidates' order
        away = [t for t in cand.transfer_options[i] if t.day in inside]
        later = p is None or p.day > last or p.partner is not None
        if not (placed_in or ((pd in inside or later) and (mine or away))):
            continue
        if p is not None and not placed_in:
            if p.here:
                mine.append(at_place(i, p))
            else:
                away += transfer_at(cand, i, p)
        options[i], transfers[i] = mine, away
        for o in mine:
            stays.update(cand.stay(i, o.day))
    held = set()
    for i, p in enumerate(sol):
        if i in options or p is None:
            continue
        if p.day in inside or (p.here and stays.intersection(cand.stay(i, p.day))):
            options[i] = [at_place(i, p)] if p.here else []
            transfers[i] = [] if p.here else transfer_at(cand, i, p)
            held.add(i)
    return options, transfers, held


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(realistic_scenarios(), scenarios(max_cases=12)), st.data())
def test_the_indexed_window_is_the_scanned_one(scenario: object, data: st.DataObject) -> None:
    """Free and held cases, their options in order, for windows of random dates and rooms
    (some cases taken by another window), on a schedule the index followed through moves."""
    from optimizer.scenario.schema import Scenario

    assert isinstance(scenario, Scenario)
    cand = build_candidates(scenario)
    index = OptionIndex(cand)
    sol = first_fit(cand, keep_in_place=True)
    placed = Placed(cand, sol)
    horizon, n = len(cand.dates), len(cand.cases)
    for _ in range(3):
        first = data.draw(st.integers(0, horizon - 1))
        dates = range(first, min(horizon, first + data.draw(st.integers(1, 2))))
        rooms = data.draw(st.none() | st.frozensets(st.integers(0, len(cand.rooms) - 1)))
        taken = data.draw(st.sets(st.integers(0, n - 1))) if n else set()
        got = window_cases(cand, placed, dates, rooms, index, taken)
        options, transfers, held = _scan(cand, sol, dates, rooms, taken)
        assert got.members == sorted(options)
        assert got.room_options == options and got.transfers == transfers
        assert got.held == held
        # a merge: some cases to one of their options, out, or (a hint's place the options
        # lost) anywhere
        moves: dict[int, Placement | None] = {}
        for i in data.draw(st.sets(st.integers(0, n - 1), max_size=3)) if n else ():
            opts = cand.room_options[i]
            how = data.draw(st.integers(0, 2))
            if how == 0 and opts:
                o = data.draw(st.sampled_from(opts))
                moves[i] = Placement(o.day, o.room, o.starts[0][0])
            elif how == 1:
                day = data.draw(st.integers(0, horizon - 1))
                moves[i] = Placement(day, data.draw(st.integers(0, len(cand.rooms) - 1)), 480)
            else:
                moves[i] = None
        sol = list(sol)
        for i, p in moves.items():
            sol[i] = p
        placed.move(sol, moves)

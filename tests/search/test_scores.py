"""A merge scored by the cases it moves (search/scores.py) gives each level's own value
(model/objective.py, the whole schedule read), on random scenarios, schedules and moves:
the rounds' decisions are the ones a whole scoring would take."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.facts.candidates import Candidates, build_candidates
from optimizer.facts.solution import Placement, Solution
from optimizer.scenario.schema import Scenario
from optimizer.search.neighbourhoods import scoring_levels
from optimizer.search.scores import Scores
from tests.model.test_announced import announced_scenarios
from tests.support.strategies import realistic_scenarios, scenarios

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _placement(draw: st.DrawFn, cand: Candidates, i: int) -> Placement | None:
    """Anywhere a level may see case ``i``: nowhere, one of its options or transfers, or
    any date of the horizon (or past it: a value reads the date alone)."""
    options = cand.room_options[i]
    transfers = cand.transfer_options[i]
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return None
    if kind == 1 and options:
        o = draw(st.sampled_from(options))
        return Placement(o.day, o.room, o.starts[0][0])
    if kind == 2 and transfers:
        t = draw(st.sampled_from(transfers))
        return Placement(t.day, partner=t.partner)
    day = draw(st.integers(0, len(cand.dates)))
    pd = cand.planned_day[i]
    if pd is not None and draw(st.booleans()):
        day = pd  # kept (or not: another room) on its planned date
    return Placement(day, draw(st.integers(0, max(0, len(cand.rooms) - 1))), 480)


@st.composite
def moves_on(draw: st.DrawFn, scenario: st.SearchStrategy[Scenario]) -> tuple[
    Candidates, Solution, list[dict[int, Placement | None]]
]:  # fmt: skip
    """A scenario's candidates, a schedule of them, and a few rounds of moves."""
    cand = build_candidates(draw(scenario))
    n = len(cand.cases)
    sol = [_placement(draw, cand, i) for i in range(n)]
    steps = []
    for _ in range(draw(st.integers(1, 5))):
        moved = draw(st.sets(st.integers(0, n - 1), max_size=n)) if n else set()
        steps.append({i: _placement(draw, cand, i) for i in sorted(moved)})
    return cand, sol, steps


def _check(cand: Candidates, sol: Solution, steps: list[dict[int, Placement | None]]) -> None:
    levels = scoring_levels(cand)
    scores = Scores(cand, levels, sol)
    assert scores.whole == []  # every level restated by its terms, none scored whole
    for moves in steps:
        trial = list(scores.sol)
        for i, p in moves.items():
            trial[i] = p
        full = [lv.value(trial) for lv in levels]
        assert scores.after(moves) == full
        assert scores.after(moves, upto=0) == full[:1]
        if full < scores.values or len(moves) % 2:  # taken or not, as a merge would
            scores.move(trial, moves)
            assert scores.values == full


@PROPERTY
@given(moves_on(scenarios(max_cases=12)))
def test_the_moved_cases_score_as_the_whole_schedule(
    drawn: tuple[Candidates, Solution, list[dict[int, Placement | None]]],
) -> None:
    """Deadlines, partners, waiting times, weighted or counted kept cases: each level's
    value after the moves, read from the moved cases alone, is the whole schedule's."""
    _check(*drawn)


@PROPERTY
@given(moves_on(realistic_scenarios()))
def test_the_moved_cases_score_as_the_whole_schedule_with_stays(
    drawn: tuple[Candidates, Solution, list[dict[int, Placement | None]]],
) -> None:
    _check(*drawn)


@PROPERTY
@given(moves_on(announced_scenarios()))
def test_announced_appointments_changed_score_as_the_whole_schedule(
    drawn: tuple[Candidates, Solution, list[dict[int, Placement | None]]],
) -> None:
    """The announced level: a date, a room or start, a transfer kept or not."""
    _check(*drawn)


def test_a_level_whose_terms_do_not_add_up_is_scored_whole() -> None:
    """A level the terms do not restate (here: the delay's value doubled, as a changed rule
    would) is scored whole, so the merges still decide by the level's own value."""
    import dataclasses

    from optimizer.facts.levels import LevelKind
    from tests.support.stays import hospital_with_stays

    cand = build_candidates(hospital_with_stays(ward_beds=1))
    levels = [
        dataclasses.replace(lv, value=lambda sol, f=lv.value: 2 * f(sol))
        if lv.kind is LevelKind.DELAY
        else lv
        for lv in scoring_levels(cand)
    ]
    sol: Solution = [None] * len(cand.cases)
    scores = Scores(cand, levels, sol)
    assert scores.whole == ["weighted delay"]
    i = next(i for i, o in enumerate(cand.room_options) if o)
    o = cand.room_options[i][0]
    moves = {i: Placement(o.day, o.room, o.starts[0][0])}
    trial = list(sol)
    trial[i] = moves[i]
    assert scores.after(moves) == [lv.value(trial) for lv in levels]

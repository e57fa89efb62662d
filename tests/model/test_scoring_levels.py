"""``objective_levels`` (what ``insert`` scores its options with) is built on each case's
options on its planned date only; its levels must score every schedule as the whole model's
levels do, names, kinds and units included."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from optimizer.facts.candidates import build_candidates
from optimizer.facts.solution import Placement, Solution
from optimizer.model.build import build_model, objective_levels
from optimizer.scenario.schema import Scenario
from optimizer.search.construct import first_fit, keep_first
from tests.model.test_announced import PROPERTY, announced_scenarios
from tests.support.strategies import realistic_scenarios, scenarios


def _scored_alike(scenario: Scenario, schedules: list[Solution]) -> None:
    cand = build_candidates(scenario)
    whole = build_model(cand).levels
    light = objective_levels(cand)
    assert [(lv.name, lv.kind, lv.unit) for lv in light] == [
        (lv.name, lv.kind, lv.unit) for lv in whole
    ]
    for schedule in [first_fit(cand), keep_first(cand), *schedules]:
        assert [lv.value(schedule) for lv in light] == [lv.value(schedule) for lv in whole]


@PROPERTY
@given(st.one_of(announced_scenarios(), realistic_scenarios(), scenarios()), st.data())
def test_the_light_levels_score_any_schedule_as_the_model_does(scenario, data):
    """First fit, keep-first, and a schedule moved at random (cases out, on other dates or
    rooms, transferred): the same value on every level."""
    cand = build_candidates(scenario)
    moved: Solution = list(first_fit(cand))
    for i in range(len(moved)):
        choices = [None, *cand.room_options[i], *cand.transfer_options[i]]
        pick = data.draw(st.integers(0, len(choices) - 1))
        if pick == 0:
            moved[i] = None
        elif pick <= len(cand.room_options[i]):
            o = cand.room_options[i][pick - 1]
            moved[i] = Placement(day=o.day, room=o.room, start=o.starts[0][0])
        else:
            t = cand.transfer_options[i][pick - 1 - len(cand.room_options[i])]
            moved[i] = Placement(day=t.day, partner=t.partner)
    _scored_alike(scenario, [moved])

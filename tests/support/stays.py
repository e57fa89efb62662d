"""A small generated hospital whose stays cross dates, for the searches that cut the horizon
(date blocks, windows of dates), which must count every stay reaching their dates; and
what the independent checker finds wrong with a search's schedule."""

from __future__ import annotations

from optimizer.check import check_schedule
from optimizer.facts.candidates import Candidates
from optimizer.facts.solution import Solution
from optimizer.generate import generate
from optimizer.result.result import make_result
from optimizer.scenario.schema import WARD_BED, ResourceCapacity, Scenario


def hospital_with_stays(ward_beds: int) -> Scenario:
    """4 rooms x 8 dates: ICU patients stay three days, every tenth patient two days on a
    ward of ``ward_beds`` beds."""
    sc = generate(rooms=4, days=8, cases_per_day=12, seed=3).disrupted
    cases = tuple(
        c.model_copy(update={"icu_days": 3 if c.needs_icu else 1, "ward_days": 2 * (k % 10 == 0)})
        for k, c in enumerate(sc.cases)
    )
    wards = tuple(ResourceCapacity(date=d, resource=WARD_BED, capacity=ward_beds)
                  for d in sc.policy.dates)  # fmt: skip
    fields = {name: getattr(sc, name) for name in Scenario.model_fields}
    fields.update(cases=cases, resources=sc.resources + wards)
    return Scenario(**fields)


def violations(scenario: Scenario, cand: Candidates, schedule: Solution) -> list[str]:
    """What the independent checker finds wrong with a search's ``schedule``, as text."""
    result = make_result(scenario, cand, schedule, [], wall_time=0.0, interrupted=False,
                         settings={})  # fmt: skip
    return [str(v) for v in check_schedule(scenario, result.schedule)]

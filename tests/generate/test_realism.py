"""The generator's lengths of stay and anaesthetists for several rooms: the plan obeys
the contract with them (beds checked past the horizon, inductions staggered), the beds
are given past the horizon, and without them the files are those of before."""

from __future__ import annotations

from optimizer.check import check_schedule
from optimizer.generate import generate
from optimizer.generate.realism import MAJOR_SURGERY_MIN, bed_occupancy
from optimizer.scenario.schema import ICU_BED
from tests.generate.test_generate import plan_schedule


def test_stays_and_two_room_anaesthetists_in_a_plan_that_obeys_the_contract() -> None:
    """ICU and ward stays, bed rows after the horizon, two rooms per anaesthetist with
    inductions: the plan kept as planned passes the independent checker."""
    gen = generate(rooms=5, days=4, cases_per_day=16, seed=4, stays=True, anaesthetist_rooms=2)
    plan = gen.plan
    assert plan.policy.anaesthetist_rooms == 2
    assert any(c.ward_days for c in plan.cases) and any(c.induction_min for c in plan.cases)
    assert any(c.icu_days > 1 for c in plan.cases if c.needs_icu)
    beds = {(r.resource, r.date) for r in plan.resources if r.resource.endswith("_bed")}
    assert any(d > plan.policy.end_date for _, d in beds)  # stays run past the horizon
    assert check_schedule(plan, plan_schedule(plan)) == []
    assert gen.disrupted.policy.anaesthetist_rooms == 2


def test_without_them_the_plan_is_as_before() -> None:
    """The defaults draw nothing new: same cases and resources as asking for none."""
    a = generate(rooms=4, days=3, cases_per_day=12, seed=4)
    b = generate(rooms=4, days=3, cases_per_day=12, seed=4, stays=False, anaesthetist_rooms=1)
    assert a.disrupted.cases == b.disrupted.cases and a.disrupted.resources == b.disrupted.resources
    assert not any(c.ward_days or c.induction_min for c in a.plan.cases)
    assert not any(r.resource == "ward_bed" for r in a.plan.resources)


def test_major_surgery_goes_to_icu_and_the_icu_keeps_its_usual_beds() -> None:
    """With stays, every case of three hours or more under general anaesthesia needs ICU
    (without them these six do not); on working days the ICU gives at least the plan's
    mean occupancy, so the busiest date is full and a quieter one has beds free; other
    dates give exactly what the plan holds. The plan still passes the checker."""
    plan = generate(rooms=5, days=4, cases_per_day=16, seed=4, stays=True).plan
    plain = generate(rooms=5, days=4, cases_per_day=16, seed=4).plan
    major = [c.case_id for c in plan.cases
             if c.anaesthesia == "general" and c.duration_min >= MAJOR_SURGERY_MIN]  # fmt: skip
    needs = {c.case_id: c.needs_icu for c in plan.cases}
    assert len(major) == 6 and all(needs[i] for i in major)
    assert not any(c.needs_icu for c in plain.cases if c.case_id in major)
    held = bed_occupancy(plan.cases)
    working = {s.date for s in plan.sessions}
    icu = {r.date: r.capacity for r in plan.resources if r.resource == ICU_BED}
    usual = round(sum(held[ICU_BED, d] for d in working) / len(working))
    assert all(icu[d] == max(held[ICU_BED, d], usual) for d in working)
    assert all(icu[d] == held[ICU_BED, d] for d in icu if d not in working)
    busiest = max(working, key=lambda d: held[ICU_BED, d])
    assert icu[busiest] == held[ICU_BED, busiest] > usual
    assert any(icu[d] > held[ICU_BED, d] for d in working)
    assert check_schedule(plan, plan_schedule(plan)) == []

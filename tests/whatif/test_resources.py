"""whatif with more beds or anaesthetists on offer (extra_resources.csv): the model takes one
where it lets a case go ahead that could not otherwise, at its cost, and the checker judges
the schedule against the capacities so raised."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from pathlib import Path

import pytest

from optimizer.check import check_schedule
from optimizer.check.whatif import check_whatif_folder, with_added
from optimizer.scenario.schema import (
    Case,
    ExtraResource,
    Policy,
    ResourceCapacity,
    Room,
    Scenario,
    Session,
)
from optimizer.search import SolveOptions, solve
from optimizer.whatif import whatif, write_whatif
from optimizer.whatif.text import whatif_lines
from tests.support.whatif_fixtures import CLASSES, D1, D2, FAST, hm, level, random_world

LIMITS = SolveOptions(**FAST)


def two_cases(resource: str, capacity: int, offer: tuple[ExtraResource, ...]) -> Scenario:
    """Two 4-hour elective cases planned on D1 at 08:00 in R1 and R2 (08:00-12:00 each), both
    under general anaesthesia and needing one night in ICU; ``resource`` has ``capacity`` on
    D1 (the other unlimited). Target 100 %: both must go ahead on D1."""
    cases = tuple(
        Case(case_id=f"C{k}", specialty="gen", surgeon_id=f"S{k}", duration_min=240,
             urgency="elective", planned_date=D1, planned_room=f"R{k}",
             planned_start=hm("08:00"), needs_icu=True, anaesthesia="general")
        for k in (1, 2)
    )  # fmt: skip
    sessions = tuple(
        Session(date=d, room_id=r, start=hm("08:00"), end=hm("12:00"))
        for d in (D1, D2)
        for r in ("R1", "R2")
    )
    return Scenario(
        cases=cases,
        rooms=(Room(room_id="R1"), Room(room_id="R2")),
        sessions=sessions,
        resources=(ResourceCapacity(date=D1, resource=resource, capacity=capacity),),
        extra_resources=offer,
        policy=Policy(start_date=D1, end_date=D2, target_ratio=1.0, urgency=CLASSES),
    )


def checked(sc: Scenario, ans: object, tmp_path: Path) -> None:
    """The answer's schedule passes the checker with the capacities raised, on its own too,
    and its folder passes the whatif folder's checks."""
    assert hasattr(ans, "result")
    result = ans.result  # type: ignore[attr-defined]
    with_them, problems = with_added(sc, [], ans.added_resources)  # type: ignore[attr-defined]
    assert problems == []
    assert check_schedule(with_them, result.schedule, result.summary) == []
    assert check_schedule(result.scenario, result.schedule, result.summary) == []
    write_whatif(ans, tmp_path / "w")  # type: ignore[arg-type]
    assert check_whatif_folder(sc, tmp_path / "w") == []


def test_one_more_icu_bed_lets_the_second_case_go_ahead(tmp_path: Path) -> None:
    """One ICU bed on D1: only one of the two goes ahead (1/2). One more at 800 keeps both:
    two are offered, one is taken (the least cost, proven)."""
    offer = (ExtraResource(resource="icu_bed", date=D1, extra=2, cost=800.0),)
    sc = two_cases("icu_bed", 1, offer)
    plain = solve(sc, **FAST)
    assert plain.summary["totals"]["kept"] == 1  # solve never uses the offer
    ans = whatif(sc, options=LIMITS)
    assert [(e.resource, e.date, e.extra, e.cost) for e in ans.added_resources] == [
        ("icu_bed", D1, 1, 800.0)
    ]
    assert ans.added == ()
    (row,) = ans.dates
    assert (row.kept_now, row.kept_with, row.target_met, row.added_cost) == (1, 2, True, 800.0)
    assert ans.added_cost == 800.0 and ans.proven
    assert ans.result.scenario.capacity["icu_bed", D1] == 2
    assert ans.summary["added_resources"][0]["cases"]  # the case the bed lets go ahead
    checked(sc, ans, tmp_path)
    lines = whatif_lines(ans, [], None, "fr")
    assert any("1 lit de réanimation" in line and "coût 800" in line for line in lines)
    assert any("1 ICU bed" in line for line in whatif_lines(ans, [], None, "en"))


def test_one_more_anaesthetist_lets_the_second_case_go_ahead(tmp_path: Path) -> None:
    """One anaesthetist on D1 for one room: the two 4-hour cases cannot both run (1/2); one
    more at 1200 keeps both."""
    offer = (ExtraResource(resource="anaesthetist", date=D1, extra=1, cost=1200.0),)
    sc = two_cases("anaesthetist", 1, offer)
    ans = whatif(sc, options=LIMITS)
    assert [(e.resource, e.extra) for e in ans.added_resources] == [("anaesthetist", 1)]
    (row,) = ans.dates
    assert (row.kept_now, row.kept_with, row.added_cost) == (1, 2, 1200.0)
    assert ans.proven
    checked(sc, ans, tmp_path)


def test_nothing_is_taken_where_it_buys_nothing(tmp_path: Path) -> None:
    """Two ICU beds already: both cases go ahead, nothing is searched or added."""
    offer = (ExtraResource(resource="icu_bed", date=D1, extra=1, cost=800.0),)
    sc = two_cases("icu_bed", 2, offer)
    ans = whatif(sc, options=LIMITS)
    assert ans.added_resources == () and ans.dates == ()
    checked(sc, ans, tmp_path)


def test_the_checker_refuses_more_than_offered() -> None:
    offer = (ExtraResource(resource="icu_bed", date=D1, extra=1, cost=800.0),)
    sc = two_cases("icu_bed", 1, offer)
    too_many = ExtraResource(resource="icu_bed", date=D1, extra=2, cost=800.0)
    _, problems = with_added(sc, [], [too_many])
    assert [v.rule for v in problems] == ["whatif"]
    cheaper = ExtraResource(resource="icu_bed", date=D1, extra=1, cost=1.0)
    assert with_added(sc, [], [cheaper])[1]
    elsewhere = ExtraResource(resource="icu_bed", date=D1 + dt.timedelta(days=1), extra=1)
    assert with_added(sc, [], [elsewhere])[1]


def resource_world(seed: int) -> Scenario:
    """A random small world (as :func:`random_world`, its extra sessions left out) whose cases
    may need ICU, the ward and an anaesthetist, with bed and anaesthetist rows and one or two
    of them on offer (1 or 2 units, cost 1 to 5 each)."""
    rng = random.Random(seed)
    base = random_world(seed)
    cases = tuple(
        c.model_copy(update={
            "needs_icu": (icu := rng.random() < 0.4), "icu_days": rng.choice([1, 2]) if icu else 1,
            "ward_days": rng.choice([0, 1, 2]), "anaesthesia": rng.choice(["general", "local"]),
        })
        for c in base.cases
    )  # fmt: skip
    d3 = D2 + dt.timedelta(days=1)  # after the horizon: stays run on
    rows = [ResourceCapacity(date=d, resource="icu_bed", capacity=rng.randint(0, 1))
            for d in (D1, D2, d3)]  # fmt: skip
    rows += [ResourceCapacity(date=d, resource="ward_bed", capacity=rng.randint(0, 2))
             for d in (D1, D2, d3)]  # fmt: skip
    rows += [ResourceCapacity(date=D1, resource="anaesthetist", capacity=1)]
    offer = tuple(
        ExtraResource(resource=r.resource, date=r.date, extra=rng.choice([1, 2]),
                      cost=float(rng.randint(1, 5)))
        for r in rng.sample(rows, rng.choice([1, 2]))
    )  # fmt: skip
    fields = {name: getattr(base, name) for name in Scenario.model_fields}
    fields.update(cases=cases, resources=tuple(rows), extra_sessions=(), extra_resources=offer)
    return Scenario(**fields)


def resources_brute_force(sc: Scenario) -> tuple[float, float, float]:
    """The best (deadline misses, shortfall, added cost) over every number of units of every
    offer, each made real and solved by the normal solver."""
    best: tuple[float, float, float] | None = None
    offers = sc.extra_resources
    for units in itertools.product(*(range(e.extra + 1) for e in offers)):
        taken = [e.model_copy(update={"extra": u}) for e, u in zip(offers, units, strict=True) if u]
        result = solve(sc.with_extra_resources(taken), **FAST)
        assert all(lv.proven for lv in result.levels[:2])
        key = (
            level(result, "deadline misses"),
            level(result, "shortfall"),
            round(sum(e.cost * e.extra for e in taken), 2),
        )
        best = key if best is None else min(best, key)
    assert best is not None
    return best


@pytest.mark.parametrize("seed", range(4))
def test_least_cost_resources_equal_the_brute_force(seed: int, tmp_path: Path) -> None:
    """Random small worlds with beds over the stays and anaesthetists: whatif's (misses,
    shortfall, added cost) is the best over every number of units of every offer, and its
    schedule passes the checker against the capacities it raised."""
    sc = resource_world(seed)
    ans = whatif(sc, options=LIMITS)
    checked(sc, ans, tmp_path)
    if ans.cost_level is None:  # nothing below target
        return
    assert ans.proven
    got = (
        level(ans.result, "deadline misses"),
        level(ans.result, "shortfall"),
        round(ans.added_cost, 2),
    )
    assert got == resources_brute_force(sc)

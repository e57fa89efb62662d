"""The planner's overrides (``fixed_date``, ``fixed_room``, ``fixed_start``): the model and
the first fit operate the case exactly there, its planned date and deadline unchanged; the
checker catches a schedule that does not; fixed cases that cannot fit together are bad
input; on random scenarios with a case fixed, every schedule passes the checker."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from optimizer import solve
from optimizer.check import check_schedule
from optimizer.facts.candidates import build_candidates
from optimizer.model.variables import add_variables
from optimizer.result.result import make_result
from optimizer.scenario import ScenarioError
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session
from optimizer.search.construct import first_fit, unplaced_held
from tests.support.strategies import realistic_scenarios

D0 = dt.date(2024, 4, 15)
D1, D2 = D0 + dt.timedelta(days=1), D0 + dt.timedelta(days=2)


def case(cid: str, **kw: object) -> Case:
    fields: dict[str, object] = {
        "case_id": cid,
        "specialty": "gen",
        "surgeon_id": f"S{cid}",
        "duration_min": 60,
        "urgency": "P3",
        "planned_date": D0,
    }
    fields.update(kw)
    return Case.model_validate(fields)  # fmt: skip


def hospital(cases: list[Case], end: int = 720) -> Scenario:
    """R1 and R2 open 08:00-12:00 (or ``end``) on D0, D1, D2; no turnover."""
    return Scenario(
        cases=tuple(cases),
        rooms=(Room(room_id="R1"), Room(room_id="R2")),
        sessions=tuple(
            Session(date=d, room_id=r, start=480, end=end)
            for d in (D0, D1, D2)
            for r in ("R1", "R2")
        ),
        policy=Policy(start_date=D0, end_date=D2, turnover_min=0),
    )


@pytest.mark.parametrize(("forced_day", "ok"), [(None, True), (0, False), (1, True)])
def test_a_fixed_date_leaves_the_model_that_date_only(forced_day, ok):
    """Fixed on D1: its only options are D1's, it must be operated (feasible alone), and
    forcing it onto its planned date D0 is infeasible."""
    cand = build_candidates(hospital([case("a", fixed_date=D1)]))
    assert {o.day for o in cand.room_options[0]} == {1} and cand.transfer_options[0] == []
    model = cp_model.CpModel()
    v = add_variables(model, cand)
    if forced_day is not None:
        if (0, forced_day) in v.day:
            model.add(v.day[0, forced_day] == 1)
        else:
            model.add_bool_or([])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert (solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)) is ok


def test_solve_honours_every_kind_of_override():
    """a fixed at D1 R2 10:00, b on D2 in R1, c on D1 alone: each operated there, the delay
    still counted from the planned date D0, the reason saying the planner fixed it."""
    cases = [
        case("a", fixed_date=D1, fixed_room="R2", fixed_start=600),
        case("b", fixed_date=D2, fixed_room="R1"),
        case("c", fixed_date=D1),
        case("d"),
    ]
    result = solve(hospital(cases), workers=1, work_limit=2, seed=0)
    rows = result.schedule.set_index("case_id")
    assert (rows.loc["a", "date"], rows.loc["a", "room_id"], rows.loc["a", "start"]) == (
        D1.isoformat(), "R2", "10:00"
    )  # fmt: skip
    assert (rows.loc["b", "date"], rows.loc["b", "room_id"]) == (D2.isoformat(), "R1")
    assert rows.loc["c", "date"] == D1.isoformat() and rows.loc["c", "delay_days"] == 1
    assert rows.loc["d", "status"] == "kept"
    assert rows.loc["a", "cause"] == "other" and "planner" in rows.loc["a", "reason"]
    assert check_schedule(result.scenario, result.schedule, result.summary) == []


def test_the_checker_catches_a_case_not_where_it_was_fixed():
    """The solved schedule with a's start moved: rule 'fixed' names a."""
    sc = hospital([case("a", fixed_date=D1, fixed_room="R2", fixed_start=600)])
    result = solve(sc, workers=1, work_limit=1, seed=0)
    moved = result.schedule.copy()
    moved.loc[moved["case_id"] == "a", ["start", "end"]] = ["09:00", "10:00"]
    violations = check_schedule(sc, moved)
    assert [(v.rule, v.case_id) for v in violations] == [("fixed", "a")]


def test_fixed_cases_that_cannot_fit_together_are_bad_input():
    """Three 4-hour cases fixed on D1, two rooms of 4 hours: the third is named, as bad
    input, with its column."""
    cases = [case(c, duration_min=240, fixed_date=D1) for c in "abc"]
    with pytest.raises(ScenarioError) as info:
        solve(hospital(cases), workers=1, work_limit=1, seed=0)
    assert [(p.file, p.column) for p in info.value.problems] == [("cases.csv", "fixed_date")]
    assert "case c is fixed on 2024-04-16" in info.value.problems[0].message


@st.composite
def with_a_fixed_case(draw: st.DrawFn) -> Scenario:
    """A realistic random scenario with one case fixed on a date of its options (and perhaps
    in a room, at a start, of that option: only when no case is pinned, as the loader
    would refuse a whole slot that collides with a pinned one)."""
    sc = draw(realistic_scenarios(max_cases=6))
    cand = build_candidates(sc)
    movable = [i for i, opts in enumerate(cand.room_options) if opts and not cand.pinned[i]]
    if not movable:
        return sc
    i = draw(st.sampled_from(movable))
    opt = draw(st.sampled_from(cand.room_options[i]))
    update: dict[str, object] = {"fixed_date": cand.dates[opt.day]}
    if draw(st.booleans()):
        update["fixed_room"] = cand.rooms[opt.room]
        if not any(cand.pinned) and draw(st.booleans()):
            update["fixed_start"] = opt.starts[0][0]
    cases = list(sc.cases)
    cases[i] = cases[i].model_copy(update=update)
    return sc.model_copy(
        update={"cases": tuple(Case.model_validate(c.model_dump()) for c in cases)}
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(with_a_fixed_case())
def test_schedules_with_a_fixed_case_pass_the_checker(scenario):
    """The first fit places the fixed case there (without pinned cases it always fits) and
    passes the checker; so does the solver. Beside pinned cases (of its surgeon, say) it may
    not fit: then the solve refuses the scenario as bad input, naming the case."""
    scenario = Scenario.model_validate(scenario.model_dump())
    cand = build_candidates(scenario)
    solution = first_fit(cand)
    if unplaced_held(cand, solution):  # found by this test: a pinned case of the same surgeon
        assert any(cand.pinned)
        with pytest.raises(ScenarioError, match="cannot be operated there together"):
            solve(scenario, time_limit=3, workers=1)
        return
    made = make_result(scenario, cand, solution, [], wall_time=0.0, interrupted=False, settings={})
    assert check_schedule(scenario, made.schedule, made.summary) == []
    result = solve(scenario, time_limit=3, workers=1)
    assert check_schedule(result.scenario, result.schedule, result.summary) == []


def test_explain_says_the_planner_fixed_it(tmp_path):
    """explain on a case moved by an override says so, and how to undo it, in both languages."""
    from click.testing import CliRunner

    from optimizer import write_result
    from optimizer.cli import cli

    sc = hospital([case("a", fixed_date=D1, fixed_room="R2", fixed_start=600), case("d")])
    out = write_result(solve(sc, workers=1, work_limit=1, seed=0), tmp_path / "r")
    en = CliRunner().invoke(cli, ["explain", "a", str(out)])
    assert en.exit_code == 0 and "The planner fixed it on 16/04: clear its fixed date" in en.output
    fr = CliRunner().invoke(cli, ["explain", "a", str(out), "--lang", "fr"])
    assert "placé le 16/04 par l'équipe de planification" in fr.output

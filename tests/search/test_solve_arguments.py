"""One argument check for the API and the CLI, and the search's validated parameters."""

from __future__ import annotations

import datetime as dt
import math

import click
import pytest
from click.testing import CliRunner
from pydantic import ValidationError

import optimizer
from optimizer import SolveArgumentError, SolverParams
from optimizer.cli import SolveOption, cli
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session
from optimizer.search.options import SolveOptions, allowed_range

D1 = dt.date(2024, 4, 16)


def tiny() -> Scenario:
    """One planned case, one session: solved at once."""
    return Scenario(
        cases=(
            Case(
                case_id="A",
                specialty="gen",
                surgeon_id="S",
                duration_min=60,
                urgency="P2",
                planned_date=D1,
                planned_room="R1",
                planned_start=480,
            ),
        ),  # fmt: skip
        rooms=(Room(room_id="R1"),),
        sessions=(Session(date=D1, room_id="R1", start=480, end=720),),
        policy=Policy(start_date=D1, end_date=D1),
    )


@pytest.mark.parametrize(
    ("argument", "value", "allowed"),
    [
        ("target", 5.0, "from 0 to 1"),
        ("target", math.nan, "from 0 to 1"),
        ("time_limit", math.inf, "from 0.1 to 604800"),
        ("time_limit", 0.0, "from 0.1 to 604800"),
        ("work_limit", -1.0, "from 0.01 to 604800"),
        ("seed", 2**31, "from 0 to 2147483647"),
        ("seed", -1, "from 0 to 2147483647"),
        ("workers", 0, "from 1 to 64"),
        ("max_options", 0, "at least 1"),
    ],
)
def test_solve_refuses_an_argument_out_of_range_and_names_it(argument, value, allowed):
    """`optimizer.solve(scenario, target=5.0)` and the like raise a ValueError naming the
    argument and its allowed range, before any search."""
    with pytest.raises(SolveArgumentError) as err:
        optimizer.solve(tiny(), **{argument: value})
    assert isinstance(err.value, ValueError)
    assert f"{argument}=" in str(err.value) and allowed in str(err.value)


def test_the_cli_options_are_the_api_arguments_with_the_same_ranges():
    """Every numeric option of `solve` converts through SolveOptions: a CLI range cannot
    drift from the API's."""
    command = cli.commands["solve"]
    checked = {p.name: p.type for p in command.params if isinstance(p.type, SolveOption)}
    assert set(checked) == {
        "time_limit", "work_limit", "target", "seed", "workers", "block_days", "dask_workers"
    }  # fmt: skip
    for name, kind in checked.items():
        assert kind.field == name and name in SolveOptions.model_fields
    with pytest.raises(click.BadParameter, match="from 0 to 1"):
        checked["target"].convert("5", None, None)
    assert checked["seed"].convert("7", None, None) == 7
    with pytest.raises(click.BadParameter, match="from 0 to 64"):
        checked["dask_workers"].convert("-1", None, None)


def test_the_cli_says_the_same_range_as_the_api(tmp_path):
    """`solve --target 5` exits 2 with the API's wording of the range, nothing written."""
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["solve", str(tmp_path), "--out", str(out), "--target", "5"])
    assert result.exit_code == 2
    assert allowed_range("target") in result.output and not out.exists()


def test_solver_params_are_validated_and_frozen():
    """SolverParams refuses a value out of range or an unknown name, and cannot be changed."""
    with pytest.raises(ValidationError):
        SolverParams(window_days=0)
    with pytest.raises(ValidationError):
        SolverParams(lns_level_fraction=math.nan)
    with pytest.raises(ValidationError):
        SolverParams(num_workers=2)  # a CP-SAT parameter: that is cpsat_params
    params = SolverParams()
    with pytest.raises(ValidationError):
        params.window_days = 3  # type: ignore[misc]


def test_solve_takes_params_and_cpsat_params():
    """`params` (a SolverParams or a mapping of its fields) and `cpsat_params` reach the
    search; an unknown SolverParams name is refused with its name."""
    a = optimizer.solve(tiny(), workers=1, work_limit=1, params=SolverParams(window_days=2))
    b = optimizer.solve(
        tiny(),
        workers=1,
        work_limit=1,
        params={"window_days": 2},
        cpsat_params={"log_to_stdout": False},
    )
    assert a.rows == b.rows and a.violations == ()
    with pytest.raises(SolveArgumentError, match="params.num_workers"):
        optimizer.solve(tiny(), params={"num_workers": 2})


def test_checked_arguments_keep_their_type_in_the_summary():
    """A whole-number time limit is reported as given (``5``, not ``5.0``): checking the
    arguments changes no byte of summary.json."""
    run = optimizer.solve(tiny(), workers=1, work_limit=1, time_limit=5).summary["run"]
    assert repr(run["time_limit_s"]) == "5" and repr(run["work_limit"]) == "1"


def test_one_options_object_travels_to_the_search(tiny_hospital: Scenario) -> None:
    """optimizer.solve's keyword options and one SolveOptions give the same schedule; both
    at once is refused, naming the keywords."""
    from optimizer.search import SolveOptions

    by_keywords = optimizer.solve(tiny_hospital, workers=1, work_limit=1, seed=0)
    options = SolveOptions(workers=1, work_limit=1, seed=0)
    by_object = optimizer.solve(tiny_hospital, options=options)
    assert by_object.rows == by_keywords.rows
    with pytest.raises(optimizer.SolveArgumentError, match="give options or seed, not both"):
        optimizer.solve(tiny_hospital, options=options, seed=1)
    with pytest.raises(optimizer.SolveArgumentError, match="workers"):
        SolveOptions.given({"workers": 0, "out_dir": "x"})


def test_a_wrong_argument_is_named_before_any_work() -> None:
    """A path for the scenario, a CP-SAT parameter misspelt or of the wrong type: a
    SolveArgumentError naming it, not an AttributeError from deep in the search."""
    with pytest.raises(SolveArgumentError, match="scenario: a Scenario is expected"):
        optimizer.solve("scenario/")  # type: ignore[arg-type]
    with pytest.raises(SolveArgumentError, match="'nope' is not a CP-SAT parameter"):
        optimizer.solve(tiny(), cpsat_params={"nope": 1})
    with pytest.raises(SolveArgumentError, match="num_workers='x' is not a value"):
        optimizer.solve(tiny(), cpsat_params={"num_workers": "x"})

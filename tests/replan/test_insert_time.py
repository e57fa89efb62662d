"""``insert --time-limit``: the work done outside the searches is cut down.

On 3,434 cases (``insert r_big --time-limit 3``) the command took 17 s: the whole CP-SAT
model was built twice (4.6 s and 4.1 s) only to read its objective levels, and each
option was given its full reasons (1.5 s) only to be scored. The levels are now built on
the variables alone (``model.build.objective_levels``), an option is scored without
searching reasons, and the searches share what the limit leaves from the command's start.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import optimizer
import optimizer.replan.insert as insert_module
from optimizer.facts.candidates import build_candidates
from optimizer.model.build import build_model, objective_levels
from optimizer.replan.insert import insert, write_insert
from optimizer.search.options import SolveOptions
from tests.replan.test_replan import D2, hospital, write

HEADER = "case_id,specialty,surgeon_id,duration_min,urgency\n"


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = optimizer.solve(hospital(), workers=1, work_limit=2, seed=0)
    return optimizer.write_result(result, tmp_path_factory.mktemp("r") / "day1")


class Enough(Exception):
    """Raised by :func:`searches_limits`'s spy once it has seen the searches asked for."""


def searches_limits(
    monkeypatch: pytest.MonkeyPatch, stop_after: int | None = None
) -> list[float | None]:
    """The time limit each of ``insert``'s searches is given, in order, as they run; with
    ``stop_after``, once that many are seen :class:`Enough` is raised instead of searching
    (for a test that reads the limits alone)."""
    import optimizer.search.driver as driver

    limits: list[float | None] = []
    found = driver.search_found

    def spy(scenario: optimizer.Scenario, options: SolveOptions, **kw: Any) -> Any:
        limits.append(options.time_limit)
        if stop_after is not None and len(limits) >= stop_after:
            raise Enough
        return found(scenario, options, **kw)

    monkeypatch.setattr(driver, "search_found", spy)
    return limits


def test_insert_never_builds_the_whole_model_to_score(
    first: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Scoring the options and applying the chosen one build no CP-SAT model of the rules
    (the searches build their own)."""
    built: list[int] = []

    def counted(*args: object, **kwargs: object) -> object:
        built.append(1)
        return build_model(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(insert_module, "build_model", counted, raising=False)
    urgent = write(tmp_path / "u.csv", HEADER + "U,gen,S_U,60,P1b\n")
    morning, options, names = insert(first, urgent, D2, top=2, workers=1, work_limit=1, seed=0)
    write_insert(morning, options, names, tmp_path / "out")
    assert built == []


def test_the_levels_alone_score_as_the_whole_model_does(first: Path, tmp_path: Path) -> None:
    """``objective_levels`` gives the same names and the same values as the whole model's
    levels, for every option of an insert."""
    urgent = write(tmp_path / "u.csv", HEADER + "U,gen,S_U,60,P1b\n")
    morning, options, _ = insert(first, urgent, D2, top=3, workers=1, work_limit=1, seed=0)
    cand = build_candidates(morning.scenario)
    whole, alone = build_model(cand).levels, objective_levels(cand)
    assert [lv.name for lv in alone] == [lv.name for lv in whole]
    for o in options:
        assert [lv.value(o.solution) for lv in alone] == [lv.value(o.solution) for lv in whole]


def test_the_start_up_before_insert_is_not_counted_as_its_preparing(
    demo_folder: Path, demo_result_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI counts the limit from the process's start (Python and the imports, 1 to 1.4 s
    here): that time is spent, but the chosen option's result (FINISH_FACTOR times the
    preparing) does not grow with it. Counted as preparing, it left the demo's ``insert``
    (7 s) one search of 0.3 s and ended at 0.49 of its limit."""
    import time

    demo, day1 = optimizer.load_scenario(demo_folder), demo_result_folder
    # the first search's limit is all this test reads: insert is stopped there
    limits = searches_limits(monkeypatch, stop_after=1)
    c = demo.cases[0]
    urgent = write(tmp_path / "u.csv", HEADER + f"U,{c.specialty},{c.surgeon_id},60,P1b\n")
    start_up, limit = 8.0, 20.0
    today = demo.policy.start_date + dt.timedelta(days=1)
    with pytest.raises(Enough):
        insert(day1, urgent, today, top=3, started=time.monotonic() - start_up,
               time_limit=limit, workers=1, seed=0)  # fmt: skip
    # the first search has half of what is left once the result's time is kept (twice the
    # preparing p, 0.3 s quiet): 0.5 * (12 - 3 p) s; counted from the start-up, it had
    # 0.5 * (20 - 8 - p - 2 (8 + p)) s, below 0, so 0.1 s
    assert limits[0] >= 1.5


@pytest.mark.parametrize("limit", [["--time-limit", "3"], ["--work-limit", "1"]])
def test_the_chosen_options_reasons_keep_the_time_limit(
    first: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: list[str]
) -> None:
    """The chosen option's reasons had no budget: on a 3,325-case hospital they took 2.5 s
    past the searches' end (``insert --time-limit 3`` ran 9.9 s). They now stop as a
    solve's do: no search of a date's starts begun once only the checker's time is left;
    with a work limit, a count (the same reasons on any machine)."""
    import time

    from click.testing import CliRunner

    from optimizer.cli import cli

    budgets: list[object] = []
    make = insert_module.make_result

    def spy(*args: object, **kwargs: object) -> object:
        budgets.append(kwargs.get("reasons_budget"))
        return make(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(insert_module, "make_result", spy)
    urgent = write(tmp_path / "u.csv", HEADER + "U,gen,S_U,60,P1b\n")
    began = time.monotonic()
    argv = ["insert", str(first), "--cases", str(urgent), "--today", D2.isoformat(),
            "--out", str(tmp_path / "o"), "--workers", "1", *limit]  # fmt: skip
    run = CliRunner().invoke(cli, argv)
    assert run.exit_code == 0, run.output
    chosen = budgets[-1]  # the options' scores search no reason (budget of 0 searches)
    assert isinstance(chosen, insert_module.ReasonsBudget)
    if limit[0] == "--time-limit":
        assert chosen.deadline is not None and chosen.deadline <= began + 3.0 + 1.0
        assert chosen.floor > 0
    else:
        assert chosen.deadline is None and chosen.searches is not None

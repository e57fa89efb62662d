"""The run's clock leaves the model's build its time: on a large run, building the model and
settling the best start came after the starting schedules and took the run 10 s past a 60-s
limit (a region); the starts now end ``Clock.model_s`` before the search's end."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from optimizer.generate import generate
from optimizer.result.result import Result
from optimizer.scenario import Scenario
from optimizer.scenario.params import SolverParams
from optimizer.search import start
from optimizer.search.driver import search
from optimizer.search.options import SolveOptions
from optimizer.search.start import Clock, make_start


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return generate(rooms=5, days=5, cases_per_day=15, seed=3).disrupted


def _starts(scenario: Scenario, params: SolverParams) -> int:
    clock = Clock.of(time.monotonic(), 20.0, len(scenario.cases), params)
    return len(make_start(scenario, params, clock, None, params.max_options, None).starts)


def test_the_starts_leave_the_model_its_time(scenario: Scenario) -> None:
    """With more kept for the model (90 % of the limit) than the search has (80 %: the
    result keeps 20 % of a 20-s limit, its most), only first fit is made; with the default
    reserve, the other starts too."""
    default = SolverParams()
    assert _starts(scenario, default) > 1
    reserved = default.model_copy(
        update={"model_s_per_case": 1.0, "model_share": 0.9, "finish_s_per_case": 1.0}
    )
    assert _starts(scenario, reserved) == 1


def test_the_reserve_follows_the_machine_and_the_cap() -> None:
    """Per case, or the options' time times model_factor on a slow machine, at most
    model_share of the limit; none without a clock (a work-limited run is unchanged)."""
    params = SolverParams()
    clock = Clock.of(0.0, 60.0, 50_000, params)
    assert clock.model_s == pytest.approx(params.model_s_per_case * 50_000)
    slow = clock.after_options(10.0, 50_000, params)
    assert slow.model_s == pytest.approx(params.model_factor * 10.0)
    assert clock.after_options(100.0, 50_000, params).model_s == pytest.approx(30.0)
    assert Clock.of(0.0, None, 50_000, params).start_left() is None


def test_a_workbook_written_after_the_result_is_kept_from_the_limit(
    scenario: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``solve --xlsx`` on 3,325 cases ended 1.3 s past its limit: writing schedule.xlsx came
    after the time kept for the result. Its time per case (``write_s_per_case``) now ends the
    search sooner and is kept past the checker's, before and after the options are built;
    the pipeline keeps it only when a workbook is asked for."""
    params = SolverParams().model_copy(update={"write_s_per_case": 0.001})
    plain = Clock.of(0.0, 60.0, 3_000, SolverParams())
    kept = Clock.of(0.0, 60.0, 3_000, params)
    assert plain.search_end is not None and kept.search_end is not None
    assert plain.search_end - kept.search_end == pytest.approx(3.0)
    assert kept.check_s - plain.check_s == pytest.approx(3.0)
    built, built_kept = (
        plain.after_options(1.0, 3_000, SolverParams()),
        kept.after_options(1.0, 3_000, params),
    )
    assert built.search_end is not None and built_kept.search_end is not None
    assert built.search_end - built_kept.search_end == pytest.approx(3.0)

    from optimizer.search import pipeline

    seen: list[float] = []

    def spy(scenario: Scenario, options: SolveOptions, **_: object) -> Result:
        given = options.params or scenario.policy.solver
        seen.append(given.write_s_per_case)
        return search(scenario, options, **_)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "search", spy)
    quick = SolveOptions(work_limit=0.2, workers=1, seed=0)
    pipeline.solve_and_write(scenario, tmp_path / "plain", quick)
    pipeline.solve_and_write(scenario, tmp_path / "book", quick, xlsx=True)
    base = pipeline.RESULT_S_PER_CASE  # the result folder's files, kept always
    assert seen == [pytest.approx(base), pytest.approx(base + pipeline.XLSX_S_PER_CASE)]
    assert (tmp_path / "book" / "schedule.xlsx").is_file()


@pytest.mark.parametrize(
    ("flags", "kept"), [(["--report"], 0.0009), (["--report", "--xlsx"], 0.0014), ([], 0.0001)]
)
def test_a_report_written_after_the_result_is_kept_from_the_limit(
    small_hospital: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    flags: list[str],
    kept: float,
) -> None:
    """``solve --report`` writes report.html once the result folder is written, and its time
    was not kept: 2.5 s on 3,325 cases, whose ``solve --xlsx --report --time-limit 10`` ran
    15.1 s. The command now keeps it (per case) as the workbook's, beside it."""
    from click.testing import CliRunner

    from optimizer.cli import cli
    from optimizer.search import pipeline

    seen: list[float] = []
    exits: list[float] = []

    def spy(scenario: Scenario, options: SolveOptions, **_: object) -> Result:
        seen.append((options.params or scenario.policy.solver).write_s_per_case)
        exits.append((options.params or scenario.policy.solver).write_s)
        return search(scenario, options, **_)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "search", spy)
    argv = ["solve", str(small_hospital), "--out", str(tmp_path / "o"), "--work-limit", "0.2",
            "--workers", "1", "--quiet", *flags]  # fmt: skip
    run = CliRunner().invoke(cli, argv)
    assert run.exit_code == 0, run.output
    assert seen == [pytest.approx(kept)]
    assert exits == [pipeline.EXIT_S]  # the process's exit, after the folder, kept too


def test_the_time_kept_after_the_result_ends_the_search_sooner() -> None:
    """The result folder's files (0.23 s on 3,325 cases) and the process's exit (0.15 to
    0.25 s) came after the time the clock kept: ``solve --time-limit 3`` of a 670-case
    hospital ran 3.34 s. ``write_s`` is kept whatever the size, beside ``write_s_per_case``."""
    params = SolverParams().model_copy(update={"write_s": 0.25, "write_s_per_case": 0.0001})
    plain = Clock.of(0.0, 3.0, 1_000, SolverParams())
    kept = Clock.of(0.0, 3.0, 1_000, params)
    assert plain.search_end is not None and kept.search_end is not None
    assert plain.search_end - kept.search_end == pytest.approx(0.35)
    built = kept.after_options(0.1, 1_000, params)
    assert built.search_end is not None
    assert plain.after_options(0.1, 1_000, SolverParams()).search_end == pytest.approx(
        built.search_end + 0.35
    )


def test_the_options_have_their_share_of_the_time_left_when_they_begin(
    demo_folder: Path,
) -> None:
    """The options' deadline was ``options_share`` of the limit from the run's start; since
    the CLI counts from the process's start (imports 1 to 1.4 s), at 3 s it had passed
    before the options began and the demo's were cut (2 deadline misses, not 1). A run
    begun 2 s before its options, given 6 s, now builds them all."""
    from optimizer import load_scenario, solve

    demo = load_scenario(demo_folder)
    result = solve(demo, time_limit=6.0, workers=1, seed=0, started=time.monotonic() - 2.0)
    assert result.summary["run"]["options_restricted"] is None
    clock = Clock(started=0.0, time_limit=3.0, search_end=2.5)
    deadline = start.options_deadline(clock, 1.3, SolverParams())
    assert deadline == pytest.approx(1.3 + SolverParams().options_share * 1.7)

"""Regression tests of issue 19's command-line defects: even help, results always judged."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

import optimizer
from optimizer.cli import cli
from optimizer.result.result import Result
from optimizer.scenario import Scenario, write_scenario

FAST = ["--workers", "1", "--work-limit", "1", "--seed", "0"]


def test_every_command_has_an_example_and_every_option_a_description() -> None:
    """Each command's --help ends with an example; no option is left without words."""
    for name, command in cli.commands.items():
        assert command.epilog and "python -m optimizer" in command.epilog, name
        for param in command.params:
            if isinstance(param, click.Option) and param.name != "help":
                assert param.help, f"{name} {param.opts}"


def test_report_option_names_the_out_folder() -> None:
    """--report writes into --out, where the commands have one: not "RESULT_DIR"."""
    for name in ("solve", "replan"):
        [option] = [p for p in cli.commands[name].params if p.name == "make_report"]
        assert isinstance(option, click.Option) and "--out" in (option.help or ""), name


def test_an_unchecked_result_is_judged_before_it_is_written(
    tiny_hospital: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A result nobody checked (violations None) is checked by solve, then written: it is
    not taken as clean, nor refused by write_result with a generic internal error."""
    from optimizer.search import pipeline

    real = pipeline.search

    def unchecked(*args: Any, **kwargs: Any) -> Result:
        return dataclasses.replace(real(*args, **kwargs), violations=None)

    monkeypatch.setattr(pipeline, "search", unchecked)
    folder = write_scenario(tiny_hospital, tmp_path / "tiny")
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["solve", str(folder), "--out", str(out), "-q", *FAST])
    assert res.exit_code == 0, res.output
    assert (out / "schedule.csv").is_file()


def test_explain_speaks_the_policy_language(tiny_hospital: Scenario, tmp_path: Path) -> None:
    """explain without --lang uses the policy's language, as report does."""
    french = tiny_hospital.model_copy(
        update={"policy": tiny_hospital.policy.model_copy(update={"language": "fr"})}
    )
    result = optimizer.solve(french, workers=1, work_limit=1, seed=0)
    out = optimizer.write_result(result, tmp_path / "r")
    shown = CliRunner().invoke(cli, ["explain", "B", str(out)])
    english = CliRunner().invoke(cli, ["explain", "B", str(out), "--lang", "en"])
    assert shown.exit_code == 0 and english.exit_code == 0, shown.output
    assert shown.output != english.output


@pytest.mark.parametrize("address", ["notanaddress", "tcp://host:notaport"])
def test_a_malformed_scheduler_is_refused_where_no_cluster_is_used(
    tiny_hospital: Scenario, tmp_path: Path, address: str
) -> None:
    """A small scenario uses no cluster (no blocks, no window rounds): a --scheduler that is
    no address is still refused before any work, exit 2, nothing written (it was taken
    without a word, exit 0)."""
    folder = write_scenario(tiny_hospital, tmp_path / "sc")
    out = tmp_path / "out"
    args = ["solve", str(folder), "--out", str(out), "--work-limit", "1", "--workers", "1",
            "--scheduler", address]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert "is not a Dask scheduler's address" in result.output
    assert "nothing was written" in result.output
    assert not out.exists()

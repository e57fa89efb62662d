"""``generate --days 1``: a valid number of days, which the default attack day refused."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from optimizer import load_scenario
from optimizer.cli import cli


def test_one_day_without_an_attack_day_attacks_that_day(tmp_path: Path) -> None:
    """``--days 1`` failed with "--attack-day: must be below --days (1)", an option the
    planner never gave (its default is the second day). The attack now falls on the only
    day; an attack day given past it is still refused."""
    out = tmp_path / "one"
    args = ["generate", str(out), "--days", "1", "--rooms", "3", "--cases-per-day", "8"]
    run = CliRunner().invoke(cli, args)
    assert run.exit_code == 0, run.output
    full = load_scenario(tmp_path / "one_undisrupted")
    assert len(load_scenario(out).sessions) < len(full.sessions)
    run = CliRunner().invoke(cli, [*args, "--force", "--attack-day", "1"])
    assert run.exit_code == 2 and "--attack-day" in run.output, run.output


def test_an_out_inside_a_file_is_refused_with_exit_2(tmp_path: Path) -> None:
    """``generate afile/x``: the folder cannot be made inside a file. Refused (exit 2,
    the file named), nothing written; before, an internal error after the generation."""
    afile = tmp_path / "afile"
    afile.write_text("", encoding="utf-8")
    run = CliRunner().invoke(cli, ["generate", str(afile / "x"), "--rooms", "2", "--days", "2"])
    assert run.exit_code == 2, run.output
    assert f"{afile} is a file, not a folder" in run.output
    assert "internal error" not in run.output
    assert afile.read_text(encoding="utf-8") == ""

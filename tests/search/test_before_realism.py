"""A scenario with none of the realism inputs (stays, anaesthetists for several rooms,
inductions, the desk's overrides) gives, byte for byte, the schedule and the calls
``main`` gave before they existed (one worker, a seed, a work limit; see the README
beside the files)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from optimizer.cli import cli

HERE = Path(__file__).parent / "before_realism"


def test_the_same_schedule_as_before_the_realism_rules(tmp_path: Path) -> None:
    """Same scenario, seed, one worker and work limit: the same schedule.csv and calls.csv."""
    out = tmp_path / "out"
    args = ["solve", str(HERE / "scenario"), "--out", str(out)]
    args += ["--seed", "1", "--workers", "1", "--work-limit", "2"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    bom = b"\xef\xbb\xbf"  # calls.csv gained a byte order mark since (for spreadsheets)
    for name in ("schedule.csv", "calls.csv"):
        got = (out / name).read_bytes().removeprefix(bom)
        assert got == (HERE / name).read_bytes().removeprefix(bom), name

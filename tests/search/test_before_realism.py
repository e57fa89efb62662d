"""A scenario with none of the realism inputs (stays, anaesthetists for several rooms,
inductions, the desk's overrides) gives the schedule and the calls ``main`` gave before
they existed, row for row and column for column, the reasons' words aside (one worker, a
seed, a work limit; see the README beside the files)."""

from __future__ import annotations

import csv
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
    assert _placements(out / "schedule.csv") == _placements(HERE / "schedule.csv")
    # calls.csv: the same calls, plus the waiting-list patients given a date, whom the
    # contract has called in since (with the column `call` it added)
    calls = _placements(out / "calls.csv")
    assert [c for c in calls if c["old_date"]] == _placements(HERE / "calls.csv")
    assert all(c["status"] == "scheduled" for c in calls if not c["old_date"])


def _placements(path: Path) -> list[dict[str, str]]:
    """Every row and column but the reason's words, which have been reworded since, and
    calls.csv's column `call`, added since (its byte order mark is left out too)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = csv.DictReader(fh)
        return [{k: v for k, v in r.items() if k not in ("reason", "call")} for r in rows]

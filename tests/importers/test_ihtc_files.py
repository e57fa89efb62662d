"""The IHTC importer at the edges of what its options allow: the horizon it makes from
``start_date`` and ``days`` is one the scenario loader accepts, or it is refused."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from optimizer.cli import cli
from optimizer.importers import import_ihtc
from optimizer.scenario import ScenarioError


def instance(tmp_path: Path, days: int) -> Path:
    """One theatre, one surgeon, one optional 60-min patient, open every day."""
    raw = {
        "days": days,
        "patients": [
            {
                "id": "p0",
                "mandatory": False,
                "surgery_release_day": 0,
                "surgery_duration": 60,
                "surgeon_id": "s0",
            }
        ],
        "surgeons": [{"id": "s0", "max_surgery_time": [480] * days}],
        "operating_theaters": [{"id": "t0", "availability": [480] * days}],
    }
    path = tmp_path / "i.json"
    path.write_text(json.dumps(raw))
    return path


@pytest.mark.parametrize(
    "start", [dt.date(2999, 12, 25), dt.date(9999, 12, 25), dt.date(1899, 12, 31)]
)
def test_a_horizon_past_the_plausible_dates_is_refused(start: dt.date, tmp_path: Path) -> None:
    """Regression (start date near 2999): --start-date 2999-12-25 on a 14-day instance
    wrote a folder (exit 0) that validate refused (3000-01-07 is not a plausible date);
    with the API, a start in 9999 stopped with OverflowError."""
    with pytest.raises(ScenarioError) as info:
        import_ihtc(instance(tmp_path, 14), start_date=start)
    [problem] = info.value.problems
    assert problem.column == "days" and "1900 to 2999" in problem.message


def test_the_last_plausible_horizon_imports(tmp_path: Path) -> None:
    """A horizon that ends on 2999-12-31 is still one the loader accepts."""
    scenario = import_ihtc(instance(tmp_path, 7), start_date=dt.date(2999, 12, 25))
    assert scenario.policy.end_date == dt.date(2999, 12, 31)


def test_cli_start_date_refusal_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    """The command says it with exit status 2, no traceback, no folder."""
    out = tmp_path / "out"
    args = ["import-ihtc", str(instance(tmp_path, 14)), str(out), "--start-date", "2999-12-25"]
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 2, r.output
    assert "column days" in r.output and "Traceback" not in r.output
    assert not out.exists()


def test_json_nested_too_deeply_is_bad_input(tmp_path: Path) -> None:
    """Regression (deep JSON): 100,000 nested brackets stopped the command with
    'internal error: RecursionError' (exit 1); it is bad input naming the file."""
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ScenarioError) as info:
        import_ihtc(path)
    assert "nested too deeply" in info.value.problems[0].message

"""A case longer than every session that could host it is warned about, not refused.

Such a case cannot be operated here at all; ``validate`` said nothing, and the planner
learnt it only from an ``unscheduled`` row after the solve.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from optimizer import solve
from optimizer.cli import cli
from optimizer.scenario import load_scenario
from tests.scenario.test_validation import BASE, C1, C2, C3, cases, write

# Row 5 of cases.csv: 500 min of orthopaedics with a laser. Only OR1 has the laser; its
# sessions last 480 min on 16/04 and on 17/04: none is long enough.
LONG = "C4,orthopaedics,S1,500,P3,,,,,,laser,general,false,false,false,"
# Row 6: 300 min of general surgery: OR2 (any specialty) is open 240 min, but OR1 hosts
# general surgery on 16/04 for 480: it fits there, no warning.
FITS = "C5,general,S3,300,P3,,,,,,,general,false,false,false,"
WARNING = (
    "cases.csv, row 5, column duration_min: case C4 (500 min) is longer than every session "
    "that can host it (the longest: 480 min); it can only be transferred or left unscheduled"
)


def test_a_case_longer_than_every_session_that_could_host_it_is_warned(tmp_path: Path) -> None:
    """C4 (500 min, laser) is warned about by file, row, column, id, duration and the
    longest session; C5 (300 min), which fits OR1 on 16/04, is not. The scenario loads and
    solves: C4 is unscheduled."""
    folder = write(tmp_path / "s", {"cases.csv": cases(C1, C2, C3, LONG, FITS)})
    scenario = load_scenario(folder)
    assert WARNING in scenario.warnings
    assert not [w for w in scenario.warnings if "C5" in w]
    result = solve(scenario, work_limit=1.0, workers=1, seed=0)
    row = result.schedule.set_index("case_id").loc["C4"]
    assert row["status"] == "unscheduled"


def test_overtime_counts_in_the_longest_session(tmp_path: Path) -> None:
    """With 30 min of overtime allowed, OR1's 480 min take a 500-min case: no warning."""
    policy = BASE["policy.toml"] + "overtime_max_min = 30\n"
    folder = write(tmp_path / "s", {"cases.csv": cases(C1, C2, C3, LONG), "policy.toml": policy})
    assert not [w for w in load_scenario(folder).warnings if "C4" in w]


def test_validate_says_it_in_english_and_french(tmp_path: Path) -> None:
    """``validate`` prints the warning in the policy's language and exits 0."""
    files = {"cases.csv": cases(C1, C2, C3, LONG)}
    result = CliRunner().invoke(cli, ["validate", str(write(tmp_path / "en", files))])
    assert result.exit_code == 0, result.output
    assert "case C4 (500 min) is longer than every session that can host it" in result.output
    french = {**files, "policy.toml": BASE["policy.toml"] + 'language = "fr"\n'}
    result = CliRunner().invoke(cli, ["validate", str(write(tmp_path / "fr", french))])
    assert result.exit_code == 0, result.output
    assert (
        "cases.csv, ligne 5, colonne duration_min : l'intervention C4 (500 min) est plus "
        "longue que toute vacation d'une salle qui peut l'accueillir (la plus longue : "
        "480 min) ; elle ne peut qu'être transférée ou rester non programmée"
    ) in result.output

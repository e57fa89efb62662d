"""A ``--today`` the previous result cannot be re-planned on (before its first date, after
its last one), refused in the policy's language: a French hospital read "Le scénario a 1
problème : --today : 2024-04-12 is before the previous result's first date 2024-04-15"
(found by the month-long daily-loop pass). Exit status 2, nothing written, in English word
for word as before."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import result, small_result
from tests.cli.test_french_errors import FAST, assert_french, in_french, run

__all__ = ["result", "small_result"]  # the command-line tests' solved small hospital


def _replan(result: Path, tmp_path: Path, today: str) -> tuple[int, str]:
    out = tmp_path / "out"
    code, said = run("replan", str(result), "--today", today, "--out", str(out), *FAST)
    assert not out.exists()
    return code, said


def test_a_morning_before_the_previous_result_in_french(result: Path, tmp_path: Path) -> None:
    in_french(result)
    code, said = _replan(result, tmp_path, "2024-04-12")
    assert code == 2
    assert_french(said)
    assert "--today : le 12/04/2024 tombe avant le 15/04/2024, premier jour" in said
    assert "is before" not in said and "Rien n'a été écrit." in said


def test_a_morning_after_the_horizon_in_french(result: Path, tmp_path: Path) -> None:
    in_french(result)
    code, said = _replan(result, tmp_path, "2024-06-03")
    assert code == 2
    assert_french(said)
    assert "--today : le 03/06/2024 tombe après le " in said
    assert "--sessions" in said and "is after" not in said


def test_english_stays_as_it_was(result: Path, tmp_path: Path) -> None:
    code, said = _replan(result, tmp_path, "2024-04-12")
    assert code == 2
    assert "--today: 2024-04-12 is before the previous result's first date 2024-04-15" in said
    code, said = _replan(result, tmp_path, "2024-06-03")
    assert code == 2
    assert "--today: 2024-06-03 is after the previous horizon's last date" in said

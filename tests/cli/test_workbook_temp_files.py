"""No workbook goes through the machine's temporary folder on its way to the result.

openpyxl writes each sheet to a file ``openpyxl.XXXX`` in ``/tmp`` before it zips it;
a job killed in that moment (a nightly batch's time-out, the OOM killer) left the call
list's sheet there, patients' appointments outside the result folder that no later run
removes (several were found in a shared ``/tmp``). The sheets are now made in memory,
so a kill leaves at most the temporary folder beside the result, which the next run
removes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl.worksheet import _writer

from optimizer.cli import cli


@pytest.fixture
def temp_files(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The temporary files openpyxl makes for its sheets during the test, by name."""
    made: list[str] = []
    original = _writer.create_temporary_file

    def spy(suffix: str = "") -> str:
        name: str = original(suffix)
        made.append(name)
        return name

    monkeypatch.setattr(_writer, "create_temporary_file", spy)
    return made


def test_workbooks_of_a_result_use_no_temporary_file(
    small_hospital: Path, tmp_path: Path, temp_files: list[str]
) -> None:
    """``solve --xlsx`` writes ``calls.xlsx`` and ``schedule.xlsx`` without a sheet in /tmp."""
    out = tmp_path / "result"
    args = ["solve", str(small_hospital), "--out", str(out), "--work-limit", "0.3",
            "--workers", "1", "--xlsx", "--quiet"]  # fmt: skip
    done = CliRunner().invoke(cli, args)
    assert done.exit_code == 0, done.output
    assert (out / "calls.xlsx").is_file() and (out / "schedule.xlsx").is_file()
    assert temp_files == []


def test_template_of_a_scenario_uses_no_temporary_file(
    small_hospital: Path, tmp_path: Path, temp_files: list[str]
) -> None:
    """``template --from DIR`` (every case of the scenario) writes no sheet in /tmp."""
    book = tmp_path / "scenario.xlsx"
    done = CliRunner().invoke(cli, ["template", str(book), "--from", str(small_hospital)])
    assert done.exit_code == 0, done.output
    assert book.is_file()
    assert temp_files == []

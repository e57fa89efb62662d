"""The exit statuses a nightly job reads, as the README's table says them.

The README said 1 is "an internal error (a bug)"; a full disk or a folder the job
may not write also ends with 1 (said plainly, nothing written), and a Ctrl-C in a
command with no search to stop ends with 130. These tests hold the table to the
program: the statuses through :func:`optimizer.cli.main`, as the installed command
runs them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import optimizer.cli.scenarios as scenarios_cli
from optimizer.cli import main


def _status(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr(sys, "argv", ["or-rescheduler", *args])
    with pytest.raises(SystemExit) as ended:
        main()
    return int(ended.value.code or 0)


def test_an_out_that_cannot_be_written_is_status_1_nothing_written(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    small_result: Path,
    tmp_path: Path,
) -> None:
    """``export --out`` under a file (no folder can be made there): 1, said, no traceback."""
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    out = blocker / "bundle.json"
    assert _status(monkeypatch, "export", str(small_result), "--format", "fhir",
                   "--out", str(out)) == 1  # fmt: skip
    err = capsys.readouterr().err
    assert "cannot write" in err and "nothing was written" in err
    assert "Traceback" not in err
    assert blocker.read_text() == "x"


def test_ctrl_c_in_a_command_without_a_search_is_status_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], small_hospital: Path
) -> None:
    """Ctrl-C while ``validate`` reads: 130 and ``Aborted.``, no traceback."""

    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(scenarios_cli, "load_scenario", interrupted)
    assert _status(monkeypatch, "validate", str(small_hospital)) == 130
    err = capsys.readouterr().err
    assert "Aborted." in err and "Traceback" not in err


def test_readme_names_every_exit_status(repo_root: Path) -> None:
    """The README's table of exit statuses has a row for 0, 2, 1 and 130."""
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    table = readme.split("For a script, in full:", 1)[1].split("\n\n", 2)[1]
    rows = {line.split("|")[1].strip() for line in table.splitlines()[2:]}
    assert rows == {"0", "1", "2", "130"}

"""The desk's log names a failed or unreadable run and the kind of fault, never the fault's
text: a message may quote a cell of the planner's files (a patient's name typed into a time
column), and the log holds no more than ids."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from optimizer.desk.errors import DeskError
from optimizer.desk.journal import Journal
from optimizer.desk.outputs import readable
from optimizer.desk.runs import Job, Runner
from optimizer.scenario import Problem, ScenarioError

MARK = "PIIMARK Mme Dupont 06 12 34 56 78"


def test_a_failed_run_is_logged_without_its_message(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    journal = Journal(tmp_path)
    runner = Runner(tmp_path, journal)
    run_id = journal.new_run("solve", "planner", {})

    def work(*_: object) -> object:
        raise ValueError(f"'{MARK}' is not a clock time")

    with caplog.at_level(logging.INFO, logger="optimizer"):
        runner.submit(Job(run_id, "fr", work))  # type: ignore[arg-type]
        for _ in range(200):
            record = journal.run(run_id)
            if record is not None and record.state == "failed":
                break
            time.sleep(0.05)
        runner.close()
    assert journal.run(run_id).state == "failed"  # type: ignore[union-attr]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert f"run {run_id} failed: ValueError" in logged
    assert "PIIMARK" not in logged
    journal.close()


def test_an_unreadable_run_is_logged_without_its_message(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        caplog.at_level(logging.WARNING, logger="optimizer"),
        pytest.raises(DeskError),
        readable(tmp_path / "0001"),
    ):
        raise ScenarioError([Problem("cases.csv", 2, "start", f"'{MARK}' is no time")])
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "0001" in logged and "ScenarioError" in logged
    assert "PIIMARK" not in logged

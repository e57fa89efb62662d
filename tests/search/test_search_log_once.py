"""``solve --log``: CP-SAT's search log goes through the ``optimizer.cpsat`` logger (the CLI
sends it to stderr), and only there.

Regression: with ``log_search`` CP-SAT also wrote every line to stdout itself, so a
terminal showed each line twice, and ``solve --log --json > summary.json`` wrote the log
into the JSON.
"""

from __future__ import annotations

import logging

import pytest

from optimizer.search import solve
from tests.support.whatif_fixtures import one_room_day


def test_the_search_log_goes_through_the_logger_and_not_to_stdout(
    capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """A tiny solve with the log on: the logger has CP-SAT's lines; stdout (file descriptor 1,
    where CP-SAT's C++ writes) has none."""
    with caplog.at_level(logging.INFO):
        solve(one_room_day(3), workers=1, work_limit=0.5, seed=0, log_search=True)
    out, _ = capfd.readouterr()
    assert "Starting CP-SAT solver" in caplog.text
    assert "CP-SAT" not in out, out[:500]

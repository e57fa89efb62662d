"""The progress line of a long solve: what it shows, and that it leaves no trace."""

from __future__ import annotations

import io
import logging

from optimizer.cli.progress import TerminalProgress
from optimizer.search.progress import progress_log, report_progress
from tests.support.report_fixtures import small_scenario, solved


def test_progress_line_shows_level_best_and_bound() -> None:
    """Each report redraws one line (carriage return, clear) with the level in words."""
    stream = io.StringIO()
    with TerminalProgress(stream, "fr"):
        report_progress(3, 6, "planned cases kept", 247.0, 251.0)
    out = stream.getvalue()
    assert "critère 3/6 interventions maintenues" in out
    assert "obtenu 247" in out and "au mieux 251" in out
    assert out.endswith("\r\x1b[K")  # the line is cleared for what follows
    assert progress_log.level == logging.NOTSET and progress_log.propagate


def test_the_search_reports_every_level() -> None:
    """A solve reports each level it searches, in order, with the value it ends at."""
    seen = []

    class Listen(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if hasattr(record, "progress"):  # construction stages carry a ``stage``
                seen.append(record.progress)

    handler = Listen()
    progress_log.addHandler(handler)
    progress_log.setLevel(logging.DEBUG)
    try:
        result = solved(small_scenario())
    finally:
        progress_log.removeHandler(handler)
        progress_log.setLevel(logging.NOTSET)
    searched = [lv for lv in result.levels if lv.searched]
    assert seen and {p.level for p in seen} == {lv.name for lv in searched}
    assert [p.index for p in seen] == sorted(p.index for p in seen)
    last = {p.level: p for p in seen}
    for lv in searched:
        assert last[lv.name].best == lv.value

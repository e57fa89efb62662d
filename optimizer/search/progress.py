"""Progress of a long search: which level, the best value so far and the bound.

The search reports through the ``optimizer.search.progress`` logger (a record per
event, carrying a :class:`Progress` in its ``progress`` attribute), so the
solver knows nothing of terminals; the CLI shows the records as one line on
stderr that it rewrites in place, and only when stderr is a terminal
(:class:`optimizer.cli.progress.TerminalProgress`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

progress_log = logging.getLogger("optimizer.search.progress")


@dataclass(frozen=True)
class Progress:
    """Where the search stands: level ``index`` of ``total`` (1-based), in the level's units."""

    index: int
    total: int
    level: str
    best: float
    bound: float | None


@dataclass(frozen=True)
class Stage:
    """What the run is doing before (or after) the levels' search: one of
    :data:`STAGES`, so that a long construction is never a silent one."""

    name: str


# Each stage's words are ``cli.progress.stages.<name>`` in the catalogues.
STAGES = ("options", "first_fit", "starts", "windows", "blocks", "model", "result")


def report_stage(name: str) -> None:
    """Tell whoever listens that the run has entered stage ``name`` (see :data:`STAGES`)."""
    assert name in STAGES, name
    if progress_log.isEnabledFor(logging.DEBUG):
        progress_log.debug("stage %s", name, extra={"stage": Stage(name)})


def report_progress(index: int, total: int, level: str, best: float, bound: float | None) -> None:
    """Tell whoever listens (the CLI's terminal line) where the search stands."""
    if progress_log.isEnabledFor(logging.DEBUG):
        progress = Progress(index, total, level, best, bound)
        progress_log.debug(
            "level %d/%d %s: best %s, bound %s",
            index,
            total,
            level,
            best,
            bound,
            extra={"progress": progress},
        )

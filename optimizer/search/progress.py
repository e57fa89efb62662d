"""Progress of a long search: which level, the best value so far and the bound.

The search reports through the ``optimizer.search.progress`` logger (a record per
event, carrying a :class:`Progress` in its ``progress`` attribute), so the
solver knows nothing of terminals; the CLI shows the records as one line on
stderr that it rewrites in place, and only when stderr is a terminal.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from dataclasses import dataclass
from typing import IO

from .. import i18n
from ..i18n import Lang

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
STAGES = ("options", "first_fit", "starts", "model", "result")


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


class TerminalProgress(logging.Handler):
    """One status line on a terminal: elapsed time, level, best so far, bound.

    A ticker refreshes the elapsed time every second between records. Use as a
    context manager: the line is cleared on exit, so what follows prints clean.
    """

    def __init__(self, stream: IO[str], lang: Lang) -> None:
        super().__init__(logging.DEBUG)
        self.stream, self.lang = stream, lang
        self.started = time.monotonic()
        self.last: Progress | Stage | None = None
        self._lock_line = threading.Lock()
        self._stop = threading.Event()
        self._ticker = threading.Thread(target=self._tick, name="progress", daemon=True)

    def __enter__(self) -> TerminalProgress:
        progress_log.addHandler(self)
        progress_log.setLevel(logging.DEBUG)
        progress_log.propagate = False
        self._ticker.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._ticker.join()
        progress_log.removeHandler(self)
        progress_log.setLevel(logging.NOTSET)
        progress_log.propagate = True
        with self._lock_line:
            self.stream.write("\r\x1b[K")
            self.stream.flush()

    def emit(self, record: logging.LogRecord) -> None:
        progress = getattr(record, "progress", None)
        stage = getattr(record, "stage", None)
        if isinstance(progress, Progress) or isinstance(stage, Stage):
            self.last = progress if isinstance(progress, Progress) else stage
            self._draw()

    def _tick(self) -> None:
        while not self._stop.wait(1.0):
            self._draw()

    def _draw(self) -> None:
        p = self.last
        if p is None:
            return
        from ..report.words import Words

        elapsed = f"{time.monotonic() - self.started:5.0f}"
        if isinstance(p, Stage):
            what = i18n.text(self.lang, f"cli.progress.stages.{p.name}")
            self._write(i18n.text(self.lang, "cli.progress.stage", elapsed=elapsed, what=what))
            return
        none = i18n.text(self.lang, "cli.progress.no_bound")
        line = i18n.text(
            self.lang,
            "cli.progress.line",
            elapsed=elapsed,
            index=p.index,
            total=p.total,
            level=Words(self.lang).level(p.level),
            best=f"{p.best:g}",
            bound=none if p.bound is None else f"{p.bound:g}",
        )
        self._write(line)

    def _write(self, line: str) -> None:
        width = shutil.get_terminal_size().columns - 1  # a wrapped line could not be rewritten
        with self._lock_line:
            self.stream.write("\r\x1b[K" + line[:width])
            self.stream.flush()

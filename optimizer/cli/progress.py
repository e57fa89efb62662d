"""The search's progress on a terminal: one line on stderr, rewritten in place.

The search only logs its :class:`~optimizer.search.progress.Progress` and
:class:`~optimizer.search.progress.Stage` events; the terminal is the command line's.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from typing import IO

from .. import i18n
from ..i18n import Lang
from ..report.words import Words
from ..search.progress import Progress, Stage, progress_log


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

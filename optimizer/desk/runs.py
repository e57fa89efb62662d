"""The desk's runs: one solve at a time, the others queued, live progress, stop, result folders.

Each run becomes ``DATA/runs/<run_id>/``, a result folder of the contract
(``scenario/``, ``schedule.csv``, ``calls.csv``, ``summary.json``) with its
``report.html``, ``letters.html`` and the workbooks (``schedule.xlsx``,
``calls.xlsx``), written in one atomic step through the API's pipeline
(:mod:`optimizer.search.pipeline`) once the independent checker has passed the
schedule: a solve killed with the server leaves no half-written
run, only a temporary folder that the next start removes. The work itself is
the API's (:func:`optimizer.solve`, :func:`optimizer.replan.command.prepare`):
a run here is a solve the commands could have made.
"""

from __future__ import annotations

import logging
import queue
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import i18n
from ..i18n import Lang
from ..report import read_result_folder, write_folder_report
from ..report.letters import write_folder_letters
from ..result.result import Result
from ..scenario import ScenarioError
from ..scenario.problem_words import problem_text
from ..search import StopFlag
from ..search.progress import Progress, progress_log
from .errors import Number
from .journal import Journal

log = logging.getLogger("optimizer.desk")

RUNS = "runs"
# What the search may be told from the page; the rest comes from the desk's defaults.
SEARCH_KEYS = ("time_limit", "work_limit", "target", "seed", "workers")


# Writes report.html and letters.html into a result folder being written.
Printed = Callable[[Path], None]
# A run's work: through the API's pipeline (optimizer.search.pipeline), write the checked
# result to the folder given, with the printed pages in the same atomic step.
Work = Callable[[StopFlag, Path, Printed], Result]


@dataclass
class Job:
    """A run waiting for its turn: ``work(stop, folder, printed)`` solves and writes it."""

    run_id: str
    lang: Lang
    work: Work
    stop: StopFlag = field(default_factory=StopFlag)


@dataclass
class Live:
    """What the page polls while a run is queued or running."""

    state: str = "queued"
    started: float | None = None
    progress: Progress | None = None


class Runner:
    """One worker thread that takes the queued runs in order."""

    def __init__(self, data: Path, journal: Journal) -> None:
        self.folder = data / RUNS
        self.folder.mkdir(parents=True, exist_ok=True)
        self.journal = journal
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._live: dict[str, Live] = {}
        self._jobs: dict[str, Job] = {}
        self._current: str | None = None
        self._lock = threading.Lock()
        self.queueing = threading.Lock()  # held by whoever numbers and submits a run
        self._recover()
        self._handler = _ProgressHandler(self)
        progress_log.addHandler(self._handler)
        progress_log.setLevel(logging.DEBUG)
        self._thread = threading.Thread(target=self._loop, name="desk-runs", daemon=True)
        self._thread.start()

    def _recover(self) -> None:
        """After a restart: runs the last server did not finish failed; their leftovers go."""
        for run in self.journal.unfinished():
            lang: Lang = "fr" if run.params.get("lang") == "fr" else "en"
            said = i18n.text(lang, "desk.run_messages.interrupted")
            self.journal.set_state(run.run_id, "failed", said)
        for stale in self.folder.glob(".*"):
            shutil.rmtree(stale, ignore_errors=True)

    def close(self) -> None:
        """Stop the running solve (its best schedule so far is written) and the worker."""
        with self._lock:
            jobs = list(self._jobs.values())
        for job in jobs:
            job.stop.request()
        self._queue.put(None)
        self._thread.join(timeout=60)
        progress_log.removeHandler(self._handler)

    def submit(self, job: Job) -> None:
        with self._lock:
            self._live[job.run_id] = Live()
            self._jobs[job.run_id] = job
        self._queue.put(job)

    def stop(self, run_id: str) -> bool:
        """Ask a queued or running solve to end with its best schedule so far."""
        with self._lock:
            job = self._jobs.get(run_id)
        if job is None:
            return False
        job.stop.request()
        return True

    def live(self, run_id: str) -> Live | None:
        with self._lock:
            return self._live.get(run_id)

    def ahead_of(self, run_id: str) -> int:
        """How many runs will go before this queued one (the running one included)."""
        with self._lock:
            order = list(self._jobs)
        return order.index(run_id) if run_id in order else 0

    def path(self, run_id: str) -> Path:
        return self.folder / run_id

    def _loop(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            self._run(job)

    def _run(self, job: Job) -> None:
        with self._lock:
            self._current = job.run_id
            self._live[job.run_id] = Live("running", time.time())
        self.journal.set_state(job.run_id, "running")
        log.info("run %s started", job.run_id)
        state, message = "failed", ""
        try:

            def printed(tmp: Path) -> None:
                folder = read_result_folder(tmp)
                write_folder_report(folder, job.lang)
                write_folder_letters(folder, job.lang)

            result = job.work(job.stop, self.path(job.run_id), printed)
            state = "done"
            if result.summary.get("interrupted"):
                message = i18n.text(job.lang, "desk.run_messages.stopped")
        except Exception as exc:  # the page shows it; the server stays up
            message = _plain(exc, job.lang)
            # its type only: a message may quote a cell (a patient's data)
            log.warning("run %s failed: %s", job.run_id, type(exc).__name__)
        finally:
            self.journal.set_state(job.run_id, state, message)
            with self._lock:
                self._current = None
                self._jobs.pop(job.run_id, None)
                self._live.pop(job.run_id, None)
        log.info("run %s %s", job.run_id, state)

    def _progress(self, progress: Progress) -> None:
        with self._lock:
            if self._current is not None and self._current in self._live:
                self._live[self._current].progress = progress


def _plain(exc: Exception, lang: Lang) -> str:
    """What went wrong, in the run's language: the problems when the input was at fault
    (each named by file, row and column), else that the log says more (a bug's words are
    the log's, not the planner's)."""
    if isinstance(exc, ScenarioError) and exc.problems:
        return "; ".join(problem_text(p, lang) for p in exc.problems[:10])
    return i18n.text(lang, "desk.run_messages.crashed")


class _ProgressHandler(logging.Handler):
    def __init__(self, runner: Runner) -> None:
        super().__init__(logging.DEBUG)
        self.runner = runner

    def emit(self, record: logging.LogRecord) -> None:
        progress = getattr(record, "progress", None)
        if isinstance(progress, Progress):
            self.runner._progress(progress)


def search_options(given: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """The search's options of a run: what the page asked, else the desk's defaults."""
    out = {k: v for k, v in defaults.items() if v is not None}
    out.update({k: given[k] for k in SEARCH_KEYS if given.get(k) is not None})
    return out


def option_bounds(name: str) -> tuple[Number, Number]:
    """The smallest and largest value the search accepts for option ``name`` (from
    :class:`~optimizer.search.options.SolveOptions`' own schema), as a refusal writes them."""
    from ..search.options import SolveOptions

    field = SolveOptions.model_json_schema()["properties"][name]
    bounds = next(b for b in field["anyOf"] if b.get("type") != "null")
    lo, hi = bounds.get("ge", bounds.get("minimum")), bounds.get("le", bounds.get("maximum"))
    return Number(lo), Number(hi)

"""The one pipeline of every command that makes a schedule: check where it goes, solve,
refuse a result the independent checker fails, write it.

The API and every command (``solve``, ``replan``, ``whatif``, the desk) go through
:func:`checked_and_written`; the command line only maps its exceptions to the contract's
exit statuses (:mod:`optimizer.cli`). Nothing is written unless the checker passed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from ..check import Violation
from ..result.output import (
    RESULT_MARKERS,
    ScheduleRefused,
    check_out_dir,
    write_result,
)
from ..result.result import Result
from ..scenario.schema import Scenario
from .driver import search
from .options import SolveOptions
from .stop import StopFlag

T = TypeVar("T")
# Seconds per case that writing schedule.xlsx takes (3,325 cases: 1.3 s beside the CSV
# files' 0.3 s), kept from a time-limited run that writes one
XLSX_S_PER_CASE = 0.0005
# Seconds per case that writing report.html takes after the result folder (``--report``):
# 3,325 cases 2.5 s, 670 cases 0.26 s, the demo 0.17 s (load 3); kept likewise. Unkept,
# solve --xlsx --report --time-limit 10 of 3,325 cases ran 15.1 s.
REPORT_S_PER_CASE = 0.0008


# Seconds per case that writing the result folder takes (schedule.csv, calls, summary.json,
# scenario/): 0.23 s for 3,325 cases, 0.06 s for the demo (load 3); kept always.
RESULT_S_PER_CASE = 0.0001
# Seconds the command line's process takes to exit once the folder is written (Python's
# teardown: 0.15 to 0.25 s here); kept by the commands (``after_s``).
EXIT_S = 0.25


def written_after(xlsx: bool, report: bool) -> float:
    """Seconds per case the files written after the search take (see the constants)."""
    return RESULT_S_PER_CASE + XLSX_S_PER_CASE * xlsx + REPORT_S_PER_CASE * report


def checked_and_written(
    out_dir: str | Path,
    make: Callable[[], T],
    judge: Callable[[T], Sequence[Violation]],
    write: Callable[[T], object],
    *,
    markers: tuple[str, ...] = RESULT_MARKERS,
) -> T:
    """Refuse ``out_dir`` before any work if it may not be replaced, ``make`` the answer,
    ``judge`` it with the checker, and ``write`` it only if no rule is broken.

    Raises
    ------
    OutputFolderError
        ``out_dir`` holds files that are not a previous result (nothing was done).
    ScheduleRefused
        The checker found a broken rule (a bug): nothing was written.
    OSError
        The folder could not be written (a full disk...): nothing was written.
    """
    check_out_dir(out_dir, markers)
    found = make()
    broken = tuple(judge(found))
    if broken:
        shown = "; ".join(str(v) for v in broken[:5])
        raise ScheduleRefused(
            f"the schedule breaks the contract's rules (a bug, please report it); nothing was "
            f"written: {shown}",
            broken,
        )
    write(found)
    return found


def judged(result: Result) -> Result:
    """``result`` with the checker's verdict: the one made with it, else made now (a result
    nobody checked is never taken as clean)."""
    return result if result.violations is not None else result.checked()


def solve_and_write(
    scenario: Scenario,
    out_dir: str | Path,
    options: SolveOptions,
    *,
    stop: StopFlag | None = None,
    started: float | None = None,
    begun: float | None = None,
    extra: Callable[[Result, Path], None] | None = None,
    xlsx: bool = False,
    report: bool = False,
    after_s: float = 0.0,
) -> Result:
    """Solve ``scenario`` with ``options`` and write the checked result to ``out_dir``
    (:func:`checked_and_written`); ``extra(result, folder)`` adds files in the same atomic
    step (``replan``'s ``done.csv``). ``started`` is the run's start as a ``time.time()``
    (for the folders a killed run left), ``begun`` as a ``time.monotonic()`` (the time
    limit counts from it: :func:`~optimizer.search.driver.search`). ``xlsx``: also write
    ``schedule.xlsx``; ``report``: the caller writes ``report.html`` once this returns.
    Their time, the result folder's and ``after_s`` (what the caller does once this
    returns, whatever the size: the command line's exit, :data:`EXIT_S`) are kept from the
    time limit, as the checker's is."""

    params = scenario.policy.solver if options.params is None else options.params
    per_case = params.write_s_per_case + written_after(xlsx, report)
    kept = params.model_copy(
        update={"write_s_per_case": per_case, "write_s": params.write_s + after_s}
    )
    options = options.model_copy(update={"params": kept})

    def write(result: Result) -> None:
        fill = None if extra is None else (lambda folder: extra(result, folder))
        write_result(result, out_dir, started=started, extra=fill, xlsx=xlsx)

    def make() -> Result:
        return judged(search(scenario, options, stop=stop, started=begun))

    return checked_and_written(out_dir, make, lambda r: r.violations or (), write)

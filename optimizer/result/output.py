"""Writing a result folder: atomically, and safe to open in a spreadsheet.

Files are written into a temporary folder beside the target and moved in
place at the end, so a crash, a kill or a full disk leaves the old result or
the new one, never a mix; an existing folder is replaced only when it is a
previous result, never a scenario or someone's documents. A CSV cell a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
tab or carriage return), or that starts with ``'``, gets one more leading
``'``; :func:`unescape_cell` strips exactly one to read the value back.
"""

from __future__ import annotations

import csv
import ctypes
import errno
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from ..check import Violation
from ..facts.schedule_file import unescape_cell as unescape_cell  # where it is written
from ..i18n import Refusal
from ..scenario import Problem, Scenario, ScenarioError, load_scenario, write_scenario
from ..scenario.atomic import folder_mode
from .result import Result
from .workbook import calls_sheet, schedule_sheets, write_workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")

# renameat2(RENAME_EXCHANGE) swaps the old result and the new one in one step (Linux).
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _load_renameat2() -> Any:
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError, TypeError):
        return None
    fn.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    fn.restype = ctypes.c_int
    return fn


_renameat2 = _load_renameat2()


def escape_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def write_safe_csv(
    path: Path, header: list[str], rows: Iterable[Iterable[Any]], *, bom: bool = False
) -> None:
    """Write a CSV file, formula-safe; ``bom``: with a UTF-8 byte order mark, so that a
    spreadsheet reads its accents as UTF-8 (the call list, opened in Excel)."""
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        # CRLF line ends (RFC 4180): the csv module then quotes any cell holding a line break
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow([escape_cell(h) for h in header])
        for row in rows:
            w.writerow([escape_cell(v) for v in row])
        fh.flush()
        os.fsync(fh.fileno())


class OutputFolderError(Refusal, ValueError):
    """The result folder given would replace something that is not a result, or what the
    command reads: refused, said from the ``output`` catalogue (``str()``: in English)."""


SCENARIO_FILES = ("cases.csv", "rooms.csv", "sessions.csv")
RESULT_MARKERS = ("schedule.csv", "summary.json")


def check_out_dir(out_dir: str | Path, markers: tuple[str, ...] = RESULT_MARKERS) -> None:
    """Refuse a result folder whose replacement would destroy someone's files.

    The result folder is replaced as a whole, so it must be new, empty, a
    symbolic link (only the link is replaced) or a previous result (it holds
    ``schedule.csv`` or ``summary.json``, or another of ``markers``, and no
    scenario file). Anything else
    (a scenario folder, a folder of documents, a file, the current folder)
    is refused before any work is done.
    """
    target = Path(os.path.abspath(out_dir))
    if target.is_symlink() or not os.path.lexists(target):
        return
    if not target.is_dir():
        raise OutputFolderError("output.is_file", out=out_dir)
    try:
        here = Path.cwd().resolve()
    except OSError:  # the current folder was deleted
        here = None
    if here is not None and here.is_relative_to(target.resolve()):
        raise OutputFolderError("output.holds_current", out=out_dir)
    names = {p.name for p in target.iterdir()}
    if not names:
        return
    scenario = sorted(names.intersection(SCENARIO_FILES))
    if scenario:
        raise OutputFolderError("output.holds_scenario", out=out_dir, files=", ".join(scenario))
    if not names.intersection(markers):
        raise OutputFolderError("output.not_a_result", out=out_dir)


def check_apart(out: str | Path, inputs: Iterable[str | Path | None]) -> None:
    """Refuse an output that would overwrite or hold what the command reads.

    The output (a folder or a file) is replaced as a whole, so an output that is one of
    ``inputs`` or holds one would delete it (``whatif RESULT --out RESULT`` replaced the
    result it read). One inside an input folder destroys nothing (an export written into
    the result folder it exports): it passes. Paths are compared once symbolic links are
    followed; a ``None`` input (an option not given) is skipped. Called before any work.

    Raises
    ------
    OutputFolderError
        Naming the output and the input it would overwrite or hold.
    """
    target = Path(os.path.realpath(out))
    for given in inputs:
        if given is None:
            continue
        source = Path(os.path.realpath(given))
        if target == source:
            raise OutputFolderError("output.is_input", out=out, input=given)
        if source.is_relative_to(target):
            raise OutputFolderError("output.holds_input", out=out, input=given)


def write_atomically(
    out_dir: str | Path,
    fill: Callable[[Path], None],
    *,
    started: float | None = None,
    markers: tuple[str, ...] = RESULT_MARKERS,
) -> Path:
    """Call ``fill(tmp)`` to write files into a fresh folder, then swap it in as ``out_dir``.

    ``started`` (a ``time.time()``) is when the run began: temporary folders beside
    ``out_dir`` older than that were left by a killed run and are removed.

    Raises
    ------
    OutputFolderError
        ``out_dir`` exists and is not a previous result (see :func:`check_out_dir`).
    """
    check_out_dir(out_dir, markers)
    out_dir = Path(os.path.abspath(out_dir))
    parent = out_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(parent, out_dir.name, started)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=parent))
    try:
        fill(tmp)
        os.chmod(tmp, folder_mode())
        _fsync_dir(tmp)
        if not os.path.lexists(out_dir):
            os.rename(tmp, out_dir)
        elif _exchange(tmp, out_dir):
            _remove(tmp)  # now the old result
        else:
            _replace_in_two_steps(tmp, out_dir)
        _fsync_dir(parent)
    except BaseException:
        _remove(tmp)
        raise
    return out_dir


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2``); False where unsupported."""
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):  # this filesystem cannot swap
        return False
    raise OSError(code, os.strerror(code), str(b))


def _replace_in_two_steps(tmp: Path, out_dir: Path) -> None:
    """Move the old result aside, then the new one in; put the old back if that fails.

    A kill between the two renames leaves no ``out_dir`` and the old result in
    ``.NAME.old-*``, never a mix.
    """
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    os.rmdir(old)
    os.rename(out_dir, old)
    try:
        os.rename(tmp, out_dir)
    except BaseException:
        os.rename(old, out_dir)
        raise
    _remove(old)


def _remove(path: Path) -> None:
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    """Make the folder's entries durable: a power cut after the swap keeps the new result."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # a folder cannot be opened on some systems; the files are synced
        return
    try:
        os.fsync(fd)
    except OSError:  # some filesystems cannot sync a folder
        pass
    finally:
        os.close(fd)


STALE_AFTER_S = 600  # a temporary folder lives for the few seconds of writing, not minutes


def _remove_stale(parent: Path, name: str, started: float | None) -> None:
    """Temporary folders left beside the result by a killed run.

    A folder counts as left over when it is older than this run (``started``) or
    older than any write lasts (:data:`STALE_AFTER_S`); a run writing the same
    result right now keeps its own.
    """
    cutoff = time.time() - STALE_AFTER_S
    if started is not None:
        cutoff = max(cutoff, started)
    for pattern in (f".{name}.new-*", f".{name}.old-*"):
        for stale in parent.glob(pattern):
            try:
                if stale.lstat().st_mtime < cutoff:
                    _remove(stale)
            except OSError:
                pass


SCENARIO_COPY = "scenario"
CALLS_WORKBOOK = "calls.xlsx"
SCHEDULE_WORKBOOK = "schedule.xlsx"


def load_scenario_or_copy(folder: Path) -> Scenario:
    """The scenario of ``folder``: a scenario folder, or a result folder's ``scenario/`` copy
    (as solved: the next morning's starting point after a re-plan).

    Raises
    ------
    ScenarioError
        As :func:`~optimizer.scenario.load_scenario` does; in a copy, files named
        ``scenario/cases.csv``...
    """
    copy = folder / SCENARIO_COPY
    if not ((folder / "schedule.csv").is_file() and copy.is_dir()):
        return load_scenario(folder)
    try:
        return load_scenario(copy)
    except ScenarioError as exc:
        raise ScenarioError(
            [Problem(f"{SCENARIO_COPY}/{p.file}", p.row, p.column, p.message) for p in exc.problems]
        ) from None


class ScheduleRefused(RuntimeError):
    """A result not checked, or whose schedule breaks the contract's rules: not written.

    A broken rule is a bug of the solver, never the user's mistake.
    """

    def __init__(self, message: str, violations: tuple[Violation, ...] = ()) -> None:
        super().__init__(message)
        self.violations = violations


def refuse_unless_valid(result: Result) -> None:
    """Raise :class:`ScheduleRefused` unless the independent checker passed ``result``
    (a ``TypeError`` when it is not a :class:`Result` at all)."""
    from .result import Result  # the result module builds on this one

    if not isinstance(result, Result):
        raise TypeError(
            "result must be an optimizer.Result (from optimizer.solve), "
            f"not {type(result).__name__}"
        )
    if result.violations is None:
        raise ScheduleRefused(
            "the result was never checked against the contract's rules; nothing was "
            "written (make it with optimizer.solve or result.checked())"
        )
    if result.violations:
        shown = "; ".join(f"rule {v.rule}: {v.message}" for v in result.violations[:5])
        more = len(result.violations) - 5
        raise ScheduleRefused(
            "the schedule breaks the contract's rules (a bug, please report it); nothing was "
            f"written: {shown}" + (f" (and {more} more)" if more > 0 else ""),
            result.violations,
        )


def write_result(
    result: Result,
    out_dir: str | Path,
    *,
    started: float | None = None,
    extra: Callable[[Path], None] | None = None,
    xlsx: bool = False,
) -> Path:
    """Write ``schedule.csv``, ``calls.csv``, ``calls.xlsx``, ``summary.json`` and
    ``scenario/`` in ``out_dir``; with ``xlsx``, ``schedule.xlsx`` too.

    ``scenario/`` is the scenario as solved (``policy.toml`` with the effective
    target), so that the folder alone can be checked, reported on and re-planned.
    ``calls.csv`` carries a byte order mark and ``calls.xlsx`` the same rows, its
    headers in the policy's language: the secretaries open them in Excel.

    The folder is replaced as a whole, atomically (see :func:`write_atomically`);
    ``started`` is when the run began, to clean what killed runs left beside it;
    ``extra(folder)`` writes more files (``replan``'s ``done.csv``) in the same step.

    Raises
    ------
    ScheduleRefused
        The result was not checked, or the independent checker found a broken
        rule: nothing is written (see :attr:`Result.violations`).
    """
    refuse_unless_valid(result)
    df = result.schedule
    header = list(df.columns)
    rows = [[None if _is_na(v) else v for v in rec] for rec in df.itertuples(index=False)]
    summary = result.summary
    calls = result.calls
    call_rows = [[None if _is_na(v) else v for v in rec] for rec in calls.itertuples(index=False)]
    lang = result.scenario.policy.language

    def fill(tmp: Path) -> None:
        write_safe_csv(tmp / "schedule.csv", header, rows)
        write_safe_csv(tmp / "calls.csv", list(calls.columns), call_rows, bom=True)
        call_table = (list(calls.columns), call_rows)
        write_workbook(tmp / CALLS_WORKBOOK, [calls_sheet(*call_table, lang)], lang)
        if xlsx:
            sheets = schedule_sheets(
                result.scenario, (header, rows), call_table, summary["dates"], lang
            )
            write_workbook(tmp / SCHEDULE_WORKBOOK, sheets, lang)
        with (tmp / "summary.json").open("w", encoding="utf-8") as fh:
            # strict JSON: a NaN or an infinity is a bug to report, not a file to write
            json.dump(summary, fh, indent=2, ensure_ascii=False, allow_nan=False)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        write_scenario(result.scenario, tmp / SCENARIO_COPY)
        if extra is not None:
            extra(tmp)

    return write_atomically(out_dir, fill, started=started)


def _is_na(v: Any) -> bool:
    return v is None or (not isinstance(v, str) and bool(pd.isna(v)))

"""Writing a result folder: atomically, and safe to open in a spreadsheet.

Files are written into a temporary folder beside the target and moved in
place at the end, so a crash, a kill or a full disk leaves the old result or
the new one, never a mix. A CSV cell a spreadsheet would run as a formula
(starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return), or that
starts with ``'``, gets one more leading ``'``; :func:`unescape_cell` strips
exactly one to read the value back.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from .result import Result

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def escape_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def unescape_cell(text: str) -> str:
    return text[1:] if text.startswith("'") else text


def write_safe_csv(path: Path, header: list[str], rows: Iterable[Iterable[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        # CRLF line ends (RFC 4180): the csv module then quotes any cell holding a line break
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow([escape_cell(h) for h in header])
        for row in rows:
            w.writerow([escape_cell(v) for v in row])
        fh.flush()
        os.fsync(fh.fileno())


def write_atomically(out_dir: Path, fill: Callable[[Path], None]) -> Path:
    """Call ``fill(tmp)`` to write files into a fresh folder, then swap it in as ``out_dir``."""
    out_dir = Path(out_dir)
    parent = out_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(parent, out_dir.name)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=parent))
    try:
        fill(tmp)
        os.chmod(tmp, 0o755)
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=parent))
            os.rmdir(old)
            os.rename(out_dir, old)
            os.rename(tmp, out_dir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir


STALE_AFTER_S = 600  # a temporary folder lives for the few seconds of writing, not minutes


def _remove_stale(parent: Path, name: str) -> None:
    """Temporary folders left beside the result by a killed run (older than any live write)."""
    now = time.time()
    for pattern in (f".{name}.new-*", f".{name}.old-*"):
        for stale in parent.glob(pattern):
            try:
                if stale.is_dir() and now - stale.stat().st_mtime > STALE_AFTER_S:
                    shutil.rmtree(stale, ignore_errors=True)
            except OSError:
                pass


def write_result(result: Result, out_dir: str | Path) -> Path:
    """Write ``schedule.csv`` and ``summary.json`` (per the contract) into ``out_dir``."""
    df = result.schedule
    header = list(df.columns)
    rows = [[None if _is_na(v) else v for v in rec] for rec in df.itertuples(index=False)]
    summary = result.summary

    def fill(tmp: Path) -> None:
        write_safe_csv(tmp / "schedule.csv", header, rows)
        with (tmp / "summary.json").open("w", encoding="utf-8") as fh:
            json.dump(summary, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())

    return write_atomically(Path(out_dir), fill)


def _is_na(v: Any) -> bool:
    return v is None or (not isinstance(v, str) and bool(pd.isna(v)))

"""The journal of the morning: runs, calls and their outcomes, capacity edits, overrides, who.

An embedded SQLite file under the desk's data folder, so that the desk can be
restarted and the crisis cell can audit who changed what. The run folders
stay the contract's result folders; the journal only says what each run was,
who asked for it and how it ended. Every write is one transaction.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

JOURNAL_FILE = "journal.sqlite"

# The authors of the entries no planner wrote, as the journal stores them (``GET
# /api/journal`` gives them so): the desk itself (the scenario it loads at its start) and
# a script that calls the API without naming a planner. The page says them in its
# language (``desk.authors``).
DESK = "desk"
API = "api"
AUTHORS = (DESK, API)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    who TEXT NOT NULL,
    created REAL NOT NULL,
    finished REAL,
    parent TEXT,
    params TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS entries (
    entry_id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    who TEXT NOT NULL,
    what TEXT NOT NULL,
    run_id TEXT,
    case_id TEXT,
    details TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class RunRecord:
    """A run as the journal knows it; ``state`` one of queued, running, done, failed."""

    run_id: str
    kind: str
    state: str
    who: str
    created: float
    finished: float | None
    parent: str | None
    params: dict[str, Any]
    message: str


@dataclass(frozen=True)
class Entry:
    """One thing a planner did: ``what`` (closed, opened, outcome, retracted, override ...)
    and its details."""

    entry_id: int
    at: float
    who: str
    what: str
    run_id: str | None
    case_id: str | None
    details: dict[str, Any]


class Journal:
    """The SQLite journal; safe to share between the server's threads."""

    def __init__(self, data: Path) -> None:
        data.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(data / JOURNAL_FILE, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        self._db.commit()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _write(self, sql: str, args: tuple[Any, ...]) -> int:
        with self._lock, self._db:
            cur = self._db.execute(sql, args)
            return int(cur.lastrowid or 0)

    def _read(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return list(self._db.execute(sql, args).fetchall())

    # runs
    def new_run(
        self, kind: str, who: str, params: dict[str, Any], parent: str | None = None
    ) -> str:
        """A queued run's id, ``0001``, ``0002`` ... (sortable, its folder under ``runs/``),
        taken and written down in one step: two runs asked at once get an id each."""
        with self._lock, self._db:
            rows = self._db.execute("SELECT MAX(CAST(run_id AS INTEGER)) FROM runs").fetchall()
            run_id = f"{(rows[0][0] or 0) + 1:04d}"
            self._db.execute(
                "INSERT INTO runs (run_id, kind, state, who, created, parent, params) "
                "VALUES (?, ?, 'queued', ?, ?, ?, ?)",
                (run_id, kind, who, time.time(), parent, json.dumps(params, sort_keys=True)),
            )
        return run_id

    def add_run(
        self, run_id: str, kind: str, who: str, params: dict[str, Any], parent: str | None = None
    ) -> None:
        """A queued run under the id given (as a server killed mid-solve leaves one)."""
        self._write(
            "INSERT INTO runs (run_id, kind, state, who, created, parent, params) "
            "VALUES (?, ?, 'queued', ?, ?, ?, ?)",
            (run_id, kind, who, time.time(), parent, json.dumps(params, sort_keys=True)),
        )

    def set_state(self, run_id: str, state: str, message: str = "") -> None:
        finished = time.time() if state in ("done", "failed") else None
        self._write(
            "UPDATE runs SET state = ?, message = ?, finished = ? WHERE run_id = ?",
            (state, message, finished, run_id),
        )

    def run(self, run_id: str) -> RunRecord | None:
        rows = self._read(f"SELECT {_RUN_COLUMNS} FROM runs WHERE run_id = ?", (run_id,))
        return _run(rows[0]) if rows else None

    def runs(self) -> list[RunRecord]:
        """Every run, the latest first."""
        rows = self._read(f"SELECT {_RUN_COLUMNS} FROM runs ORDER BY run_id DESC")
        return [_run(r) for r in rows]

    def unfinished(self) -> list[RunRecord]:
        return [r for r in self.runs() if r.state in ("queued", "running")]

    # entries
    def add(
        self,
        who: str,
        what: str,
        *,
        run_id: str | None = None,
        case_id: str | None = None,
        **details: Any,
    ) -> int:
        """Write down that ``who`` did ``what``; the entry's id."""
        return self._write(
            "INSERT INTO entries (at, who, what, run_id, case_id, details) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (time.time(), who, what, run_id, case_id, json.dumps(details, sort_keys=True)),
        )

    def entries(self, what: str | None = None, run_id: str | None = None) -> list[Entry]:
        """Entries in the order written, of one kind and one run if asked."""
        sql = "SELECT entry_id, at, who, what, run_id, case_id, details FROM entries WHERE 1=1"
        args: list[Any] = []
        if what is not None:
            sql, args = sql + " AND what = ?", [*args, what]
        if run_id is not None:
            sql, args = sql + " AND run_id = ?", [*args, run_id]
        rows = self._read(sql + " ORDER BY entry_id", tuple(args))
        return [Entry(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6])) for r in rows]

    def outcomes(self, run_id: str) -> dict[str, Entry]:
        """The outcome that stands per case of ``run_id``: the last one recorded that no
        ``retracted`` entry took back. An outcome replaces the one before it; taking it back
        brings that one back, as an undo does (the journal itself only grows)."""
        recorded: dict[str, list[Entry]] = {}
        for e in self.entries(run_id=run_id):
            if e.case_id is None or e.what not in ("outcome", "retracted"):
                continue
            kept = recorded.setdefault(e.case_id, [])
            if e.what == "outcome":
                kept.append(e)
            else:
                kept[:] = [x for x in kept if x.entry_id != e.details.get("retracts")]
        return {case_id: kept[-1] for case_id, kept in recorded.items() if kept}


_RUN_COLUMNS = "run_id, kind, state, who, created, finished, parent, params, message"


def _run(row: tuple[Any, ...]) -> RunRecord:
    run_id, kind, state, who, created, finished, parent, params, message = row
    return RunRecord(
        run_id, kind, state, who, created, finished, parent, json.loads(params), message
    )

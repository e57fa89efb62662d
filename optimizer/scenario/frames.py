"""A scenario from pandas DataFrames, one per file of the folder, and back.

The frames go through exactly the loader's validation: each frame's cells, as
the text the file would hold, are the rows the loader's own readers take
(:func:`~optimizer.scenario.loader.assemble`; no CSV text is written or parsed).
There is no second validator to drift apart from the first; only the names in
the messages change, from
``cases.csv, row 5`` (a spreadsheet's numbering, the header being row 1) to
``cases, row 3`` (the frame's row position, counted from 0 as ``iloc`` does:
with the default index, the row's label), in the messages' text too.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..clock import format_time
from . import limits
from .errors import Problem, ScenarioError
from .layout import FILES, POLICY_FILE
from .loader import assemble
from .reading import Reader, Table
from .schema import FRAMES_OF, Policy, Scenario
from .writer import csv_text, policy_toml, scenario_tables

# Keyword of each file's frame (its name without .csv), in the order of the folder's files.
FRAME_OF_FILE: dict[str, str] = {file: file.removesuffix(".csv") for file in FILES}
POLICY_FRAME = "policy"
_HEADER_ROW = 1  # a spreadsheet's number of the header row
_FIRST_ROW = 2  # ... and of the first data row


class FrameReader(Reader):
    """A :class:`Reader` whose tables are DataFrames' cells and whose policy is a
    :class:`Policy` (taken as it stands) or the text of a ``policy.toml``."""

    def __init__(self, frames: Mapping[str, pd.DataFrame], policy: Policy | bytes | None) -> None:
        super().__init__(Path("."))
        self.frames = dict(frames)
        self.policy = policy

    def given_policy(self) -> Policy | None:
        if not isinstance(self.policy, Policy):
            return None
        # The input's fingerprint is the one of the policy.toml this policy writes.
        self._take(POLICY_FILE, policy_toml(self.policy).encode("utf-8"), limits.MAX_POLICY_BYTES)
        return self.policy

    def read_bytes(self, name: str, required: bool, limit: int) -> bytes | None:
        data = self.policy if name == POLICY_FILE and isinstance(self.policy, bytes) else None
        if data is None:
            if required:
                frame = FRAME_OF_FILE.get(name, POLICY_FRAME)
                self.error(name, None, None, f"the {frame} frame is required")
            return None
        return self._take(name, data, limit)

    def _take(self, name: str, data: bytes, limit: int) -> bytes | None:
        if len(data) > limit:
            self.error(name, None, None, f"it is larger than {limit // 2**20} MB: it is refused")
            return None
        self.digest.update(name.encode() + b"\0" + data + b"\0")
        return data

    def read_csv(self, name: str) -> Table | None:
        frame = self.frames.get(name)
        if frame is None:
            self.read_bytes(name, FILES[name][0], limits.MAX_FILE_BYTES)  # a required one: said
            return None
        header, rows = frame_cells(frame, name)
        # The digest is the one of the CSV file these cells make, as for a folder.
        data = self._take(name, csv_text(header, rows).encode("utf-8"), limits.MAX_FILE_BYTES)
        if data is None:
            return None
        if not any(header) and not rows:
            self.empty(name)
            return None
        return self.table(name, [h.strip() for h in header], iter(rows))


def cell_text(value: Any) -> str:
    """A DataFrame cell as the text the CSV file would hold.

    Missing values (``None``, ``NaN``, ``NaT``, ``pd.NA``) are empty cells;
    booleans ``true``/``false``; whole floats (a column with a missing value
    is float in pandas) whole numbers; dates ISO; times ``HH:MM``; lists,
    tuples and sets ``;``-separated (sets sorted). The loader then parses the
    text and names whatever it cannot use.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return ""
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, pd.Timestamp | dt.datetime):
        stamp = pd.Timestamp(value)
        return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return format_time(value.hour * 60 + value.minute)
    if isinstance(value, set | frozenset):
        return ";".join(sorted(map(cell_text, value)))
    if isinstance(value, list | tuple | np.ndarray):
        return ";".join(map(cell_text, value))
    return str(value)


def frame_cells(frame: pd.DataFrame, file: str) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of one frame as the file's text cells; rows count by position.

    An index named after columns of the file (``cases.set_index("case_id")``)
    is a column again; any other index is ignored.
    """
    _, required, optional = FILES[file]
    names = [n for n in frame.index.names if n is not None]
    if names and all(n in required or n in optional for n in names):
        frame = frame.reset_index()
    header = [str(c) for c in frame.columns]
    rows = [[cell_text(v) for v in rec] for rec in frame.itertuples(index=False, name=None)]
    return header, rows


def _frame_row(row: int) -> int:
    return row - _FIRST_ROW


_FILE_NAME = re.compile("|".join(re.escape(f) for f in FRAME_OF_FILE))
_FILE_ROW = re.compile(rf"({_FILE_NAME.pattern}), row (\d+)")
_ROW = re.compile(r"\brow (\d+)\b")


def _frame_text(text: str, rows_of_frame: bool) -> str:
    """A message or warning of the loader in the frames' words: frame names, frame rows.

    ``rows_of_frame``: a bare "row N" in the text is a row of the same file.
    """
    if rows_of_frame:
        text = _ROW.sub(lambda m: f"row {_frame_row(int(m.group(1)))}", text)
    else:
        text = _FILE_ROW.sub(lambda m: f"{m.group(1)}, row {_frame_row(int(m.group(2)))}", text)
    return _FILE_NAME.sub(lambda m: FRAME_OF_FILE[m.group(0)], text)


def _frame_problem(p: Problem) -> Problem:
    """The loader's problem, named by frame and frame row rather than file and file row."""
    frame = FRAME_OF_FILE.get(p.file)
    if frame is None:
        if p.file != POLICY_FILE:
            return p
        # The TOML's line stays its line.
        return Problem(POLICY_FRAME, p.row, p.column, _frame_text(p.message, False))
    row = None if p.row is None or p.row < _FIRST_ROW else _frame_row(p.row)
    return Problem(frame, row, p.column, _frame_text(p.message, True))


def scenario_from_frames(
    cases: pd.DataFrame,
    rooms: pd.DataFrame,
    sessions: pd.DataFrame,
    surgeons: pd.DataFrame | None = None,
    resources: pd.DataFrame | None = None,
    partners: pd.DataFrame | None = None,
    extra_sessions: pd.DataFrame | None = None,
    unavailable: pd.DataFrame | None = None,
    extra_resources: pd.DataFrame | None = None,
    *,
    policy: Policy | str | None = None,
    name: str = "",
) -> Scenario:
    """Build a scenario from DataFrames, one per file of a scenario folder.

    Each frame has the columns of its file in the data contract (as
    :func:`scenario_frames` gives them); the frames are checked exactly as
    :func:`~optimizer.load_scenario` checks the files, by the same code.

    Parameters
    ----------
    cases, rooms, sessions
        The required files' tables (``cases.csv``, ``rooms.csv``, ``sessions.csv``).
    surgeons, resources, partners, extra_sessions, unavailable, extra_resources
        The optional files' tables; ``None`` as if the file were absent.
    policy
        A :class:`Policy`, or the text of a ``policy.toml``; ``None`` for the
        defaults (horizon from the sessions' first and last dates).
    name
        The scenario's name (a folder's name when loaded from files).

    Returns
    -------
    Scenario
        With ``warnings`` for the soft problems, as the loader gives them.

    Raises
    ------
    ScenarioError
        Listing every problem found, each named by frame (``cases``,
        ``rooms``... and ``policy``), row (the frame's row position, from 0;
        ``None`` for a problem with the columns or the whole frame) and column.
    """
    frames_given = (cases, rooms, sessions, surgeons, resources, partners, extra_sessions,
                    unavailable, extra_resources)  # fmt: skip
    given = dict(zip(FRAME_OF_FILE, frames_given, strict=True))
    frames: dict[str, pd.DataFrame] = {}
    toml: Policy | bytes | None = None
    for file, frame in given.items():
        if frame is None:
            continue
        if not isinstance(frame, pd.DataFrame):
            what = type(frame).__name__
            kind = FRAME_OF_FILE[file]
            raise ScenarioError([Problem(kind, None, None, f"a DataFrame is needed, not {what}")])
        frames[file] = frame
    if isinstance(policy, Policy):
        toml = policy
    elif isinstance(policy, str):
        toml = policy.encode("utf-8")
    elif policy is not None:
        what = type(policy).__name__
        raise ScenarioError(
            [Problem(POLICY_FRAME, None, None, f"a Policy or TOML text is needed, not {what}")]
        )
    try:
        scenario = assemble(FrameReader(frames, toml), name, "frames")
    except ScenarioError as exc:
        raise ScenarioError([_frame_problem(p) for p in exc.problems]) from None
    if not scenario.warnings:
        return scenario
    warnings = tuple(_frame_text(w, False) for w in scenario.warnings)
    return scenario.model_copy(update={"warnings": warnings})


def scenario_frames(scenario: Scenario) -> dict[str, pd.DataFrame]:
    """The scenario as DataFrames, one per file, keyed as :func:`scenario_from_frames` takes them.

    The cells are the contract's text (what the CSV files hold: dates ISO,
    times ``HH:MM``, lists ``;``-separated, booleans ``true``/``false``), with
    ``duration_min`` and ``capacity`` as integers and empty cells as ``None``;
    every frame is there, empty optional ones with their columns. The frames
    are copies: edit them freely, then build a new scenario with
    ``scenario_from_frames(**frames, policy=scenario.policy)``.
    """
    out: dict[str, pd.DataFrame] = {}
    for file, (header, rows) in scenario_tables(scenario).items():
        frame = pd.DataFrame(rows, columns=header, dtype=object)
        frame = frame.where(frame != "", None)
        for col in ("duration_min", "capacity"):
            if col in frame.columns:
                frame[col] = frame[col].astype("int64")
        out[FRAME_OF_FILE[file]] = frame
    return out


FRAMES_OF.append(scenario_frames)

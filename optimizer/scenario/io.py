"""Reading and writing scenario folders (CSV and TOML), per the data contract.

The loader never stops at the first problem: it reads every file, checks every
cell and every cross-reference, and raises one :class:`ScenarioError` listing
them all, each named by file, row (as a spreadsheet numbers it: the header is
row 1; in ``policy.toml``, the line) and column (the key in ``policy.toml``).
Whatever the bytes in the files, the only exception that leaves
:func:`load_scenario` is :class:`ScenarioError`.

Checks are ordered so that one mistake is reported once: a file that cannot be
read is one problem, and the checks that would need it are skipped rather than
repeated for every row that refers to it (a missing ``rooms.csv`` does not
make every session an "unknown room"). An id listed on a row that has other
problems still counts as listed.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import heapq
import io
import re
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from .errors import Problem, ScenarioError
from .robustness_policy import read_robustness, robustness_toml
from .schema import (
    ANAESTHETIST,
    FLAGS,
    ICU_BED,
    RESERVED_RESOURCES,
    Case,
    PartnerCapacity,
    Policy,
    ResourceCapacity,
    Room,
    Scenario,
    Session,
    SurgeonWindow,
    UrgencyClass,
    default_urgency_classes,
)

T = TypeVar("T")

# Refuse inputs beyond sane sizes with a sentence, not by running out of memory.
MAX_FILE_BYTES = 100 * 1024 * 1024  # a 500,000-case list is about 50 MB
MAX_POLICY_BYTES = 1024 * 1024
MAX_ROWS = 500_000
MAX_HORIZON_DAYS = 400
MAX_CAPACITY = 100_000
MAX_DELAY_DAYS = 3650
MAX_WEIGHT = 1e6
MAX_TRANSFER_COST = 1e9
MAX_SEED = 2**31 - 1  # CP-SAT's random seed is a 32-bit integer
MAX_TIME_LIMIT_S = 7 * 24 * 3600.0
MIN_DATE, MAX_DATE = dt.date(1900, 1, 1), dt.date(2999, 12, 31)
# Past this many problems in one file, the rest are counted, not listed.
MAX_PROBLEMS_PER_FILE = 1000

FILES: dict[str, tuple[bool, tuple[str, ...], tuple[str, ...]]] = {
    # file: (required, required columns, optional columns)
    "cases.csv": (
        True,
        ("case_id", "specialty", "surgeon_id", "duration_min", "urgency"),
        (
            "planned_date",
            "planned_room",
            "planned_start",
            "release_date",
            "due_date",
            "equipment",
            "anaesthesia",
            "needs_icu",
            "transferable",
            "pinned",
            "flags",
        ),
    ),
    "rooms.csv": (True, ("room_id",), ("specialties", "equipment")),
    "sessions.csv": (True, ("date", "room_id", "start", "end"), ("specialty",)),
    "surgeons.csv": (False, ("surgeon_id", "date", "start", "end"), ()),
    "resources.csv": (False, ("date", "resource", "capacity"), ()),
    "partners.csv": (False, ("partner_id", "date", "specialty", "capacity"), ()),
}
POLICY_FILE = "policy.toml"
CASES, ROOMS, SESSIONS = "cases.csv", "rooms.csv", "sessions.csv"
SURGEONS, RESOURCES, PARTNERS = "surgeons.csv", "resources.csv", "partners.csv"
TRUE = frozenset({"true", "1", "yes"})
FALSE = frozenset({"false", "0", "no"})
ANAESTHESIA = ("general", "regional", "local")
POLICY_KEYS = frozenset(
    {
        "start_date",
        "end_date",
        "target_ratio",
        "turnover_min",
        "urgency",
        "level3",
        "seed",
        "time_limit_s",
        "robustness",
    }
)
CLASS_KEYS = ("max_delay_days", "weight", "transfer_cost")
LEVEL3 = ("count", "weighted")

_INT = re.compile(r"[+-]?[0-9]+\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})\Z")
# Bytes that are not UTF-8 survive decoding as lone surrogates (surrogateescape).
_NOT_UTF8 = re.compile("[\udc80-\udcff]")


# -- cells -----------------------------------------------------------------


class _Bad(Exception):
    """A cell could not be read; the message says why, in the planner's words."""


def _show(text: str) -> str:
    """A cell's text for a message: quoted, and cut short if long."""
    return repr(text if len(text) <= 40 else text[:37] + "...")


def parse_date(text: str) -> dt.date:
    """``YYYY-MM-DD`` (ASCII digits only) to a date between the years 1900 and 2999."""
    if _DATE.match(text):
        try:
            return _sane_date(dt.date.fromisoformat(text))
        except ValueError:
            raise _Bad(f"{_show(text)} is not a date of the calendar") from None
    raise _Bad(f"{_show(text)} is not a date of the form YYYY-MM-DD")


def _sane_date(d: dt.date) -> dt.date:
    # Far-off dates are typing errors, and date arithmetic near year 9999 overflows.
    if not MIN_DATE <= d <= MAX_DATE:
        raise _Bad(f"{d} is not a plausible date (years {MIN_DATE.year} to {MAX_DATE.year})")
    return d


def parse_time(text: str, *, allow_24: bool = False) -> int:
    """``HH:MM`` to minutes after midnight; ``24:00`` only where an end time is read."""
    m = _TIME.match(text)
    if m:
        h, mi = int(m.group(1)), int(m.group(2))
        if (h < 24 and mi < 60) or (allow_24 and h == 24 and mi == 0):
            return h * 60 + mi
    last = "24:00" if allow_24 else "23:59"
    raise _Bad(f"{_show(text)} is not a clock time HH:MM between 00:00 and {last}")


def parse_end_time(text: str) -> int:
    """An end time: ``24:00`` (midnight at the end of the day) is allowed."""
    return parse_time(text, allow_24=True)


def parse_int(text: str, lo: int, hi: int, unit: str) -> int:
    """A whole number between ``lo`` and ``hi`` (ASCII digits, an optional sign)."""
    if not _INT.match(text):
        raise _Bad(f"{_show(text)} is not a whole number of {unit}")
    if len(text.lstrip("+-0")) > 15:  # far out of any range; int() of it would be slow
        raise _Bad(f"{_show(text)} {unit} is out of range: it must be {lo} to {hi}")
    value = int(text)
    if not lo <= value <= hi:
        raise _Bad(f"{value} {unit} is out of range: it must be {lo} to {hi}")
    return value


def parse_duration(text: str) -> int:
    return parse_int(text, 1, 1440, "minutes")


def parse_capacity(text: str) -> int:
    return parse_int(text, 0, MAX_CAPACITY, "units")


def parse_partner_capacity(text: str) -> int:
    return parse_int(text, 0, MAX_CAPACITY, "cases")


def parse_bool(text: str) -> bool:
    """``true``/``false``, ``1``/``0``, ``yes``/``no``, in any case."""
    low = text.lower()
    if low in TRUE:
        return True
    if low in FALSE:
        return False
    raise _Bad(f"{_show(text)} is not true or false (1/0 and yes/no are accepted too)")


def parse_list(text: str) -> tuple[str, ...]:
    """A ``;``-separated list: items trimmed, empty ones dropped, duplicates once."""
    return tuple(dict.fromkeys(x.strip() for x in text.split(";") if x.strip()))


def format_time(minutes: int) -> str:
    """Minutes after midnight as ``HH:MM``."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# -- files -----------------------------------------------------------------


# Columns to read from a row: (column, parser or None for text as is, required).
_Spec = tuple[tuple[str, Callable[[str], Any] | None, bool], ...]


@dataclass
class _Table:
    """The rows of one CSV file as trimmed text, each with its spreadsheet row number."""

    file: str
    index: dict[str, int]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    not_utf8: bool = False  # some cells may hold bytes that are not UTF-8
    _compiled: dict[int, list[tuple[str, int | None, Callable[[str], Any] | None, bool]]] = field(
        default_factory=dict
    )

    def compiled(
        self, spec: _Spec
    ) -> list[tuple[str, int | None, Callable[[str], Any] | None, bool]]:
        """``spec`` with each column's position in this file (``None``: not given), once."""
        out = self._compiled.get(id(spec))
        if out is None:
            out = [(col, self.index.get(col), parse, req) for col, parse, req in spec]
            self._compiled[id(spec)] = out
        return out


class _Loader:
    """Collects problems and warnings while the files are read."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[Problem] = []
        self.warnings: list[str] = []
        self.digest = hashlib.sha256()
        self.per_file: dict[str, int] = defaultdict(int)

    def error(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.per_file[file] += 1
        if self.per_file[file] <= MAX_PROBLEMS_PER_FILE:
            self.problems.append(Problem(file, row, column, _printable(message)))

    def warn(self, message: str) -> None:
        self.warnings.append(_printable(message))

    def clean(self, *files: str) -> bool:
        """True when none of ``files`` has a problem so far."""
        return not any(self.per_file.get(f) for f in files)

    def finish(self) -> None:
        """Raise the collected problems, saying how many were left unlisted."""
        for file, n in sorted(self.per_file.items()):
            if n > MAX_PROBLEMS_PER_FILE:
                self.problems.append(
                    Problem(
                        file,
                        None,
                        None,
                        f"{n - MAX_PROBLEMS_PER_FILE} more problems in this file are not "
                        f"listed; fix the ones listed and validate again",
                    )
                )
        if self.problems:
            raise ScenarioError(self.problems)

    # -- reading files ---------------------------------------------------
    def read_bytes(self, name: str, required: bool, limit: int) -> bytes | None:
        path = self.folder / name
        try:
            if not path.exists():
                if required:
                    self.error(name, None, None, "this required file is missing from the folder")
                return None
            if not path.is_file():
                self.error(name, None, None, "this is not a regular file")
                return None
            with path.open("rb") as fh:
                data = fh.read(limit + 1)
        except OSError as exc:
            self.error(name, None, None, f"the file cannot be read ({exc.strerror or exc})")
            return None
        if len(data) > limit:
            self.error(
                name, None, None, f"the file is larger than {limit // 2**20} MB: it is refused"
            )
            return None
        self.digest.update(name.encode() + b"\0" + data + b"\0")
        return data

    def decode(self, name: str, data: bytes) -> tuple[str, bool] | None:
        """The text of a file and whether some bytes were not UTF-8; ``None`` if not text."""
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            self.error(name, None, None, "the file is saved as UTF-16; save it as 'CSV UTF-8'")
            return None
        if data.startswith(b"PK\x03\x04"):
            self.error(
                name, None, None, "this is a spreadsheet workbook, not CSV: save it as 'CSV UTF-8'"
            )
            return None
        data = data.removeprefix(codecs.BOM_UTF8)
        if b"\0" in data:
            self.error(name, None, None, "the file holds binary data (NUL bytes), not text")
            return None
        try:
            return data.decode("utf-8"), False
        except UnicodeDecodeError:
            return data.decode("utf-8", "surrogateescape"), True

    def read_csv(self, name: str) -> _Table | None:
        """Read one CSV file; ``None`` when it is absent or unusable (the reason is recorded)."""
        required, req_cols, opt_cols = FILES[name]
        data = self.read_bytes(name, required, MAX_FILE_BYTES)
        if data is None:
            return None
        decoded = self.decode(name, data)
        if decoded is None:
            return None
        text, not_utf8 = decoded
        if not text.strip():
            expected = ", ".join(req_cols)
            if required:
                self.error(
                    name, None, None, f"the file is empty: it needs a header row ({expected})"
                )
            else:
                self.warn(f"{name} is empty; it is ignored")
            return None
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = [h.strip().lstrip("\ufeff") for h in next(reader)]  # a doubled BOM too
        except csv.Error as exc:
            self.error(name, 1, None, _csv_message(exc))
            return None
        if not any(header):
            self.error(name, 1, None, f"the first row must be the header ({', '.join(req_cols)})")
            return None
        before = self.per_file[name]
        for j, h in enumerate(header):
            if _NOT_UTF8.search(h):
                self.error(name, 1, None, f"header cell {j + 1} is not UTF-8 text")
        present = set(header)
        for col in req_cols:
            if col not in present:
                hint = next((h for h in header if h.lower() == col), None)
                found = f" (found {hint!r}: column names are lower case)" if hint else ""
                self.error(name, 1, col, f"this required column is missing from the header{found}")
        for col in sorted({h for h in header if h and header.count(h) > 1}):
            self.error(name, 1, col, "this column appears more than once in the header")
        if self.per_file[name] > before:
            return None
        known = set(req_cols) | set(opt_cols)
        extra = [h for h in header if h and h not in known]
        if extra:
            self.warn(f"{name}: unknown column(s) ignored: {', '.join(extra)}")
        table = _Table(name, {h: j for j, h in enumerate(header) if h}, not_utf8=not_utf8)
        width = len(header)
        rows = table.rows
        strip = str.strip
        row = 1
        try:
            for rec in reader:
                row += 1
                if row - 1 > MAX_ROWS:
                    self.error(name, None, None, f"the file has more than {MAX_ROWS} rows: refused")
                    return None
                if len(rec) > width:
                    if any(c.strip() for c in rec[width:]):
                        self.error(
                            name,
                            row,
                            None,
                            f"the row has {len(rec)} cells but the header has {width} columns "
                            "(a comma inside a cell must be quoted)",
                        )
                        continue
                    del rec[width:]
                cells = list(map(strip, rec))
                if not any(cells):
                    continue  # a blank line
                if len(cells) < width:
                    cells.extend([""] * (width - len(cells)))
                rows.append((row, cells))
        except csv.Error as exc:
            self.error(name, row + 1, None, _csv_message(exc) + "; the rest is not read")
        return table

    def values(self, t: _Table, row: int, cells: list[str], spec: _Spec) -> list[Any]:
        """Parse the cells of one row named in ``spec``: ``None`` for empty or bad ones.

        A bad cell, or an empty one that is required, is recorded as a problem.
        One call per row (not per cell) keeps 100,000-case lists fast.
        """
        out: list[Any] = []
        for col, j, parse, required in t.compiled(spec):
            text = "" if j is None else cells[j]
            if not text:
                if required and j is not None:  # a missing column is reported once, at row 1
                    self.error(t.file, row, col, "this cell is empty but a value is required")
                out.append(None)
            elif t.not_utf8 and _NOT_UTF8.search(text):
                self.error(
                    t.file,
                    row,
                    col,
                    "this cell holds characters that are not UTF-8 (the file is probably saved "
                    "as Latin-1 or Windows-1252): save it as 'CSV UTF-8'",
                )
                out.append(None)
            elif parse is None:
                out.append(text)
            else:
                try:
                    out.append(parse(text))
                except _Bad as exc:
                    self.error(t.file, row, col, str(exc))
                    out.append(None)
        return out


def _printable(text: str) -> str:
    """Make any text safe to print (no lone surrogates left from undecodable bytes)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _csv_message(exc: csv.Error) -> str:
    msg = str(exc)
    if "field larger than field limit" in msg:
        return f"a cell is longer than {csv.field_size_limit()} characters"
    return f"the row is not valid CSV ({msg})"


# -- policy.toml ---------------------------------------------------------

_TOML_KEY = r'(?:"(?:[^"\\]|\\.)*"|\'[^\']*\'|[A-Za-z0-9_-]+)'
_TOML_HEADER = re.compile(rf"\s*\[\s*({_TOML_KEY}(?:\s*\.\s*{_TOML_KEY})*)\s*\]")
_TOML_ASSIGN = re.compile(rf"\s*({_TOML_KEY}(?:\s*\.\s*{_TOML_KEY})*)\s*=")
_TOML_PART = re.compile(_TOML_KEY)


def _toml_path(dotted: str) -> tuple[str, ...]:
    parts = []
    for raw in _TOML_PART.findall(dotted):
        if raw[:1] in "\"'":
            raw = raw[1:-1]
        parts.append(raw)
    return tuple(parts)


def _toml_lines(text: str) -> dict[tuple[str, ...], int]:
    """The line of each table and key, by path: tomllib gives no positions (best effort)."""
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        if m := _TOML_HEADER.match(line):
            table = _toml_path(m.group(1))
            lines.setdefault(table, number)
        elif m := _TOML_ASSIGN.match(line):
            lines.setdefault(table + _toml_path(m.group(1)), number)
    return lines


@dataclass
class _PolicyDraft:
    """What ``policy.toml`` says, read before the horizon can be settled."""

    start: dt.date | None = None
    end: dt.date | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    urgency: dict[str, UrgencyClass] | None = None  # None: the default classes
    class_names: frozenset[str] | None = frozenset(default_urgency_classes())
    lines: dict[tuple[str, ...], int] = field(default_factory=dict)

    def line(self, *path: str) -> int | None:
        """The line of a key, or of the nearest enclosing table."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _read_policy(loader: _Loader) -> _PolicyDraft:
    f = POLICY_FILE
    draft = _PolicyDraft()
    data = loader.read_bytes(f, False, MAX_POLICY_BYTES)
    if data is None:
        return draft
    try:
        text = data.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        loader.error(f, line, None, "the file is not UTF-8 text: save it as UTF-8")
        draft.class_names = None
        return draft
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"at line (\d+)", str(exc))
        loader.error(f, int(m.group(1)) if m else None, None, f"the file is not valid TOML: {exc}")
        draft.class_names = None  # unknown: cases' classes cannot be checked
        return draft
    except RecursionError:
        loader.error(f, None, None, "the file is not valid TOML: it is nested too deeply")
        draft.class_names = None
        return draft
    draft.lines = _toml_lines(text)

    def bad(key: str, message: str, *path: str) -> None:
        loader.error(f, draft.line(*(path or (key,))), key, message)

    for key in raw:
        if key not in POLICY_KEYS:
            loader.warn(f"{f}: unknown key {key!r} ignored")
    draft.start = _toml_date(raw, "start_date", bad)
    draft.end = _toml_date(raw, "end_date", bad)

    if "target_ratio" in raw:
        v = raw["target_ratio"]
        if not _is_number(v) or not 0 <= v <= 1:
            bad("target_ratio", f"{v!r} is not a ratio between 0 and 1 (e.g. 0.9)")
        else:
            draft.fields["target_ratio"] = float(v)
    for key, lo, hi, what in (
        ("turnover_min", 0, 1440, "a whole number of minutes"),
        ("seed", 0, MAX_SEED, "a whole number"),
    ):
        if key in raw:
            v = raw[key]
            if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
                bad(key, f"{v!r} is not {what} between {lo} and {hi}")
            else:
                draft.fields[key] = v
    if "time_limit_s" in raw:
        v = raw["time_limit_s"]
        if not _is_number(v) or not 0 < v <= MAX_TIME_LIMIT_S:
            bad("time_limit_s", f"{v!r} is not a number of seconds above 0 and at most one week")
        else:
            draft.fields["time_limit_s"] = float(v)
    if "level3" in raw:
        v = raw["level3"]
        if v not in LEVEL3:
            bad("level3", f"{v!r} is not one of {', '.join(map(repr, LEVEL3))}")
        else:
            draft.fields["level3"] = v
    if "urgency" in raw:
        _read_urgency(loader, draft, raw["urgency"])
    if "robustness" in raw:
        settings = read_robustness(raw["robustness"], bad, loader.warn)
        if settings is not None:
            draft.fields["robustness"] = settings
    return draft


def _toml_date(raw: dict[str, Any], key: str, bad: Callable[..., None]) -> dt.date | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return parse_date(value)
        except _Bad as exc:
            bad(key, str(exc))
            return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        try:
            return _sane_date(value)
        except _Bad as exc:
            bad(key, str(exc))
            return None
    bad(key, f"{value!r} is not a date: write it as {key} = 2024-04-16")
    return None


def _read_urgency(loader: _Loader, draft: _PolicyDraft, tables: object) -> None:
    """The ``[urgency.NAME]`` tables: they replace the default classes as a whole."""
    f = POLICY_FILE
    if not isinstance(tables, dict) or not tables:
        loader.error(
            f,
            draft.line("urgency"),
            "urgency",
            "urgency classes are given as tables [urgency.NAME] with max_delay_days and weight",
        )
        draft.class_names = None  # unknown: cases' classes cannot be checked
        return
    classes: dict[str, UrgencyClass] = {}
    draft.class_names = frozenset(tables)
    for name, table in tables.items():
        where = f"urgency.{name}"
        line = draft.line("urgency", name)
        if not name or name != name.strip() or ";" in name:
            loader.error(
                f,
                line,
                where,
                f"{name!r} cannot be a class name (empty, spaces around it or a ';')",
            )
            continue
        if not isinstance(table, dict):
            loader.error(f, line, where, "a table with max_delay_days and weight is expected")
            continue
        for key in table:
            if key not in CLASS_KEYS:
                loader.warn(f"{f}: unknown key {where}.{key} ignored")
        ok = True
        delay = table.get("max_delay_days")
        if delay is not None and (
            isinstance(delay, bool)
            or not isinstance(delay, int)
            or not 0 <= delay <= MAX_DELAY_DAYS
        ):
            loader.error(
                f,
                draft.line("urgency", name, "max_delay_days"),
                f"{where}.max_delay_days",
                f"{delay!r} is not a whole number of days between 0 and {MAX_DELAY_DAYS}",
            )
            ok = False
        for key, hi in (("weight", MAX_WEIGHT), ("transfer_cost", MAX_TRANSFER_COST)):
            v = table.get(key)
            if v is not None and (not _is_number(v) or not 0 <= v <= hi):
                loader.error(
                    f,
                    draft.line("urgency", name, key),
                    f"{where}.{key}",
                    f"{v!r} is not a number between 0 and {hi:,.0f}",
                )
                ok = False
        if ok:
            kwargs = {k: table[k] for k in CLASS_KEYS if k in table}
            classes[name] = UrgencyClass(name=name, **kwargs)
    draft.urgency = classes


def _settle_policy(
    loader: _Loader, draft: _PolicyDraft, session_dates: Iterable[dt.date]
) -> Policy | None:
    """The horizon (policy dates, else the sessions' first and last dates) and the policy."""
    f = POLICY_FILE
    dates = sorted(set(session_dates))
    start = draft.start or (dates[0] if dates else None)
    end = draft.end or (dates[-1] if dates else None)
    if start is None or end is None:
        if loader.clean(SESSIONS, f):
            loader.error(
                SESSIONS,
                None,
                None,
                "there is no session and policy.toml gives no start_date and end_date: "
                "the horizon is unknown",
            )
        return None
    where = "policy.toml end_date" if draft.end else "the latest session date"
    since = "policy.toml start_date" if draft.start else "the earliest session date"
    if end < start:
        msg = f"the horizon ends ({end}, {where}) before it starts ({start}, {since})"
        if draft.end or draft.start:
            key = "end_date" if draft.end else "start_date"
            loader.error(f, draft.line(key), key, msg)
        else:  # cannot happen with dates from sessions alone; kept for safety
            loader.error(SESSIONS, None, "date", msg)
        return None
    days = (end - start).days + 1
    if days > MAX_HORIZON_DAYS:
        msg = (
            f"the horizon {start} to {end} is {days} days long; at most {MAX_HORIZON_DAYS} "
            "days are planned in one run"
        )
        if draft.end or draft.start:
            key = "end_date" if draft.end else "start_date"
            loader.error(f, draft.line(key), key, msg)
        else:
            loader.error(
                SESSIONS,
                None,
                "date",
                msg + " (set start_date and end_date in policy.toml to plan a part of it)",
            )
        return None
    if draft.class_names is None or loader.per_file.get(f):
        return None
    kwargs: dict[str, Any] = dict(draft.fields)
    if draft.urgency is not None:
        kwargs["urgency"] = draft.urgency
    try:
        return Policy(start_date=start, end_date=end, **kwargs)
    except ValidationError as exc:  # every rule is checked above; this is a last guard
        for err in exc.errors():
            loader.error(f, None, None, str(err.get("msg", "invalid value")))
        return None


# -- the folder ------------------------------------------------------------


def load_scenario(folder: str | Path) -> Scenario:
    """Read and validate a scenario folder.

    Parameters
    ----------
    folder
        A folder with ``cases.csv``, ``rooms.csv``, ``sessions.csv`` and the
        optional ``surgeons.csv``, ``resources.csv``, ``partners.csv`` and
        ``policy.toml``, as the data contract describes them.

    Returns
    -------
    Scenario
        With ``warnings`` for the soft problems (unknown columns and keys,
        resources given for some dates only, ...).

    Raises
    ------
    ScenarioError
        Listing every problem found, each with file, row and column.
    """
    folder = Path(folder)
    try:
        is_dir = folder.is_dir()
    except (OSError, ValueError):
        is_dir = False
    if not is_dir:
        what = "this folder does not exist" if not _exists(folder) else "this is not a folder"
        raise ScenarioError([Problem(_printable(str(folder)), None, None, what)])
    loader = _Loader(folder)
    tables = {name: loader.read_csv(name) for name in FILES}
    draft = _read_policy(loader)

    rooms = _read_rooms(loader, tables[ROOMS])
    sessions = _read_sessions(loader, tables[SESSIONS], rooms)
    policy = _settle_policy(loader, draft, (s.date for s in sessions.items))
    windows = _read_windows(loader, tables[SURGEONS])
    resources = _read_resources(loader, tables[RESOURCES], rooms)
    partners = _read_partners(loader, tables[PARTNERS])
    cases = _read_cases(loader, tables[CASES], draft.class_names, rooms, resources)
    if policy is not None:
        _check_pinned(loader, cases, rooms, sessions, windows, resources, policy)
        _warn_horizon(loader, policy, sessions.items, resources.items)
    _warn_unreachable(loader, cases.items, rooms.items, resources.pools)

    if policy is None and not loader.problems:  # cannot happen: kept as a last guard
        loader.error(POLICY_FILE, None, None, "the policy could not be settled")
    loader.finish()
    assert policy is not None
    try:
        return Scenario(
            cases=tuple(cases.items),
            rooms=tuple(rooms.items),
            sessions=tuple(sessions.items),
            surgeon_windows=tuple(windows.items),
            resources=tuple(resources.items),
            partners=tuple(partners.items),
            policy=policy,
            name=_printable(folder.name),
            input_hash=loader.digest.hexdigest(),
            warnings=tuple(loader.warnings),
        )
    except ValidationError as exc:  # every rule is checked above; this is a last guard
        raise ScenarioError(
            [Problem(str(folder), None, None, str(e.get("msg"))) for e in exc.errors()]
        ) from None


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


_ROOM_SPEC: _Spec = (
    ("room_id", None, True),
    ("specialties", parse_list, False),
    ("equipment", parse_list, False),
)
_SESSION_SPEC: _Spec = (
    ("date", parse_date, True),
    ("room_id", None, True),
    ("start", parse_time, True),
    ("end", parse_end_time, True),
    ("specialty", None, False),
)
_WINDOW_SPEC: _Spec = (
    ("surgeon_id", None, True),
    ("date", parse_date, True),
    ("start", parse_time, True),
    ("end", parse_end_time, True),
)
_RESOURCE_SPEC: _Spec = (
    ("date", parse_date, True),
    ("resource", None, True),
    ("capacity", parse_capacity, True),
)
_PARTNER_SPEC: _Spec = (
    ("partner_id", None, True),
    ("date", parse_date, True),
    ("specialty", None, True),
    ("capacity", parse_capacity, True),
)
_CASE_SPEC: _Spec = (
    ("case_id", None, True), ("specialty", None, True), ("surgeon_id", None, True),
    ("duration_min", parse_duration, True), ("urgency", None, True),
    ("planned_date", parse_date, False), ("planned_room", None, False),
    ("planned_start", parse_time, False), ("release_date", parse_date, False),
    ("due_date", parse_date, False), ("equipment", parse_list, False),
    ("anaesthesia", str.lower, False), ("needs_icu", parse_bool, False),
    ("transferable", parse_bool, False), ("pinned", parse_bool, False),
    ("flags", parse_list, False),
)  # fmt: skip


@dataclass
class _Read:
    """What one file gave: the objects built and the row of every id listed."""

    loaded: bool  # the file was read (so its ids are known, even from rows with problems)
    rows: dict[Any, int] = field(default_factory=dict)
    items: list[Any] = field(default_factory=list)


@dataclass
class _Resources(_Read):
    pools: frozenset[str] = frozenset()
    capacity: dict[tuple[str, dt.date], int] = field(default_factory=dict)


def _duplicate(
    loader: _Loader, seen: dict[Any, int], key: Any, file: str, row: int, col: str, what: str
) -> bool:
    """Record ``key`` as listed on ``row``; report it if an earlier row lists it already."""
    first = seen.get(key)
    if first is not None:
        loader.error(file, row, col, f"{what} is already listed on row {first}")
        return True
    seen[key] = row
    return False


def _read_rooms(loader: _Loader, t: _Table | None) -> _Read:
    out = _Read(loaded=t is not None)
    if t is None:
        return out
    for row, cells in t.rows:
        before = loader.per_file[t.file]
        rid, specs, equip = loader.values(t, row, cells, _ROOM_SPEC)
        if rid is not None:
            _duplicate(loader, out.rows, rid, t.file, row, "room_id", f"room {rid}")
        specs, equip = specs or (), equip or ()
        for name in equip:
            if name in RESERVED_RESOURCES:
                loader.error(
                    t.file,
                    row,
                    "equipment",
                    f"{name} is a reserved resource name "
                    "(resources.csv), not equipment fixed in a room",
                )
        if loader.per_file[t.file] == before:
            out.items.append(
                Room(room_id=rid, specialties=frozenset(specs), equipment=frozenset(equip))
            )
    return out


def _read_sessions(loader: _Loader, t: _Table | None, rooms: _Read) -> _Read:
    out = _Read(loaded=t is not None)
    if t is None:
        return out
    room_by_id = {r.room_id: r for r in rooms.items}
    for row, cells in t.rows:
        before = loader.per_file[t.file]
        d, rid, start, end, block = loader.values(t, row, cells, _SESSION_SPEC)
        if rid is not None and rooms.loaded and rid not in rooms.rows:
            loader.error(t.file, row, "room_id", f"room {rid} is not listed in rooms.csv")
        if start is not None and end is not None and start >= end:
            loader.error(
                t.file,
                row,
                "end",
                f"the session ends at {format_time(end)}, "
                f"not after it starts ({format_time(start)})",
            )
        if d is not None and rid is not None:
            _duplicate(
                loader,
                out.rows,
                (d, rid),
                t.file,
                row,
                "date",
                f"a session of room {rid} on {d} (a room has at most one session a date); this one",
            )
        if loader.per_file[t.file] > before:
            continue
        room = room_by_id.get(rid) if rid is not None else None
        if block and room is not None and not room.hosts(block):
            loader.warn(
                f"{t.file}, row {row}: room {rid} does not host {block}, the "
                "specialty the session is reserved to; no case can use it"
            )
        out.items.append(Session(date=d, room_id=rid, start=start, end=end, specialty=block))
    return out


def _read_windows(loader: _Loader, t: _Table | None) -> _Read:
    out = _Read(loaded=t is not None)
    if t is None:
        return out
    for row, cells in t.rows:
        before = loader.per_file[t.file]
        sid, d, start, end = loader.values(t, row, cells, _WINDOW_SPEC)
        if start is not None and end is not None and start >= end:
            loader.error(
                t.file,
                row,
                "end",
                f"the window ends at {format_time(end)}, "
                f"not after it starts ({format_time(start)})",
            )
        if loader.per_file[t.file] == before:
            out.items.append(SurgeonWindow(surgeon_id=sid, date=d, start=start, end=end))
    return out


def _read_resources(loader: _Loader, t: _Table | None, rooms: _Read) -> _Resources:
    out = _Resources(loaded=t is not None)
    if t is None:
        return out
    first_row: dict[str, int] = {}
    for row, cells in t.rows:
        before = loader.per_file[t.file]
        d, name, cap = loader.values(t, row, cells, _RESOURCE_SPEC)
        if name is not None:
            first_row.setdefault(name, row)
        if d is not None and name is not None:
            _duplicate(
                loader,
                out.rows,
                (name, d),
                t.file,
                row,
                "resource",
                f"the capacity of {name} on {d}",
            )
        if loader.per_file[t.file] == before:
            assert d is not None and name is not None and cap is not None
            out.items.append(ResourceCapacity(date=d, resource=name, capacity=cap))
            out.capacity[name, d] = cap
    out.pools = frozenset(first_row) - RESERVED_RESOURCES
    fixed_in: dict[str, str] = {}
    for r in rooms.items:
        for e in r.equipment:
            fixed_in.setdefault(e, r.room_id)
    for name in sorted(out.pools & fixed_in.keys()):
        loader.error(
            t.file,
            first_row[name],
            "resource",
            f"{name} is both equipment fixed in room {fixed_in[name]} (rooms.csv) and "
            "a mobile pool here; an equipment name must be one or the other",
        )
    return out


def _read_partners(loader: _Loader, t: _Table | None) -> _Read:
    out = _Read(loaded=t is not None)
    if t is None:
        return out
    for row, cells in t.rows:
        before = loader.per_file[t.file]
        pid, d, spec, cap = loader.values(t, row, cells, _PARTNER_SPEC)
        if pid is not None and d is not None and spec is not None:
            _duplicate(
                loader,
                out.rows,
                (pid, d, spec),
                t.file,
                row,
                "specialty",
                f"partner {pid}, {spec} on {d}",
            )
        if loader.per_file[t.file] == before:
            out.items.append(PartnerCapacity(partner_id=pid, date=d, specialty=spec, capacity=cap))
    return out


def _read_cases(
    loader: _Loader,
    t: _Table | None,
    class_names: frozenset[str] | None,
    rooms: _Read,
    resources: _Resources,
) -> _Read:
    out = _Read(loaded=t is not None)
    if t is None:
        return out
    f = t.file
    fixed = frozenset(e for r in rooms.items for e in r.equipment)
    # Equipment can be checked only when both files that name it were read cleanly.
    equipment_known = rooms.loaded and loader.clean(ROOMS, RESOURCES)
    lower_classes = {c.lower(): c for c in class_names or ()}
    seen = out.rows
    j_date, j_room, j_start = (
        t.index.get(c) for c in ("planned_date", "planned_room", "planned_start")
    )
    for row, cells in t.rows:
        before = loader.per_file[f]
        (cid, spec, sid, dur, urg, pdate, proom, pstart, release, due, equip, anaes, icu,
         transferable, pinned, flags) = loader.values(t, row, cells, _CASE_SPEC)  # fmt: skip
        if cid is not None:  # inline _duplicate: this loop runs once per case
            first = seen.get(cid)
            if first is None:
                seen[cid] = row
            else:
                loader.error(f, row, "case_id", f"case {cid} is already listed on row {first}")
        if urg is not None and class_names is not None and urg not in class_names:
            hint = lower_classes.get(urg.lower())
            known = f"did you mean {hint}?" if hint else f"known: {', '.join(sorted(class_names))}"
            loader.error(f, row, "urgency", f"{_show(urg)} is not an urgency class ({known})")
        if anaes is not None and anaes not in ANAESTHESIA:
            loader.error(f, row, "anaesthesia", f"{_show(anaes)} is not general, regional or local")
        equip = equip or ()
        flags = tuple(x.lower() for x in flags) if flags else ()
        for flag in flags:
            if flag not in FLAGS:
                loader.error(
                    f, row, "flags", f"{_show(flag)} is not a flag (known: {', '.join(FLAGS)})"
                )
        if proom is not None and rooms.loaded and proom not in rooms.rows:
            loader.error(f, row, "planned_room", f"room {proom} is not listed in rooms.csv")
        # Whether each planned cell was given at all (it may be given but bad).
        has_date = j_date is not None and cells[j_date] != ""
        has_room = j_room is not None and cells[j_room] != ""
        has_start = j_start is not None and cells[j_start] != ""
        if (has_room or has_start) and not has_date:
            loader.error(
                f, row, "planned_date", "a planned room or start is given without a planned date"
            )
        if pstart is not None and dur is not None and pstart + dur > 1440:
            loader.error(
                f,
                row,
                "planned_start",
                f"the case would end after midnight ({format_time(pstart)} + {dur} min)",
            )
        if pinned and not (has_date and has_room and has_start):
            given = zip(
                ("planned_date", "planned_room", "planned_start"),
                (has_date, has_room, has_start),
                strict=True,
            )
            missing = [c for c, v in given if not v]
            loader.error(
                f,
                row,
                "pinned",
                "a pinned case needs a planned date, room and start "
                f"({', '.join(missing)} missing)",
            )
        if due is not None and pdate is not None and due < pdate:
            loader.error(
                f, row, "due_date", f"the due date {due} is before the planned date {pdate}"
            )
        if due is not None and release is not None and due < release:
            loader.error(
                f, row, "due_date", f"the due date {due} is before the release date {release}"
            )
        for name in equip:
            if name in RESERVED_RESOURCES:
                hint = "needs_icu" if name == ICU_BED else "anaesthesia"
                loader.error(
                    f,
                    row,
                    "equipment",
                    f"{name} is a reserved resource name, not equipment (use the {hint} column)",
                )
            elif equipment_known and name not in fixed and name not in resources.pools:
                loader.error(
                    f,
                    row,
                    "equipment",
                    f"{name} is neither fixed in a room "
                    "(rooms.csv) nor a mobile pool (resources.csv)",
                )
        if loader.per_file[f] > before:
            continue
        out.items.append(
            _trusted_case(
                {
                    "case_id": cid,
                    "specialty": spec,
                    "surgeon_id": sid,
                    "duration_min": dur,
                    "urgency": urg,
                    "planned_date": pdate,
                    "planned_room": proom,
                    "planned_start": pstart,
                    "release_date": release,
                    "due_date": due,
                    "equipment": equip,
                    "anaesthesia": anaes or "general",
                    "needs_icu": bool(icu),
                    "transferable": bool(transferable),
                    "pinned": bool(pinned),
                    "flags": frozenset(flags),
                }
            )
        )
    return out


_CASE_FIELDS = frozenset(Case.model_fields)
_new_case = Case.__new__
_set = object.__setattr__


def _trusted_case(values: dict[str, Any]) -> Case:
    """A :class:`Case` from values this module has fully checked, without validating again.

    Every constraint of ``Case`` (non-empty ids, duration 1..1440, start before
    midnight, anaesthesia, flags, a pinned case's planned date, room and start)
    is checked cell by cell above, with a better message. Validating 100,000
    cases a second time through pydantic would take most of the loading time;
    this builds the instance as ``model_construct`` does, at a fraction of its
    cost. The fuzz tests revalidate every scenario the loader returns, so a
    check missing here cannot go unnoticed.
    """
    assert values.keys() == _CASE_FIELDS
    case = _new_case(Case)
    _set(case, "__dict__", values)
    _set(case, "__pydantic_fields_set__", set(_CASE_FIELDS))
    _set(case, "__pydantic_extra__", None)
    _set(case, "__pydantic_private__", None)
    return case


# -- pinned cases -----------------------------------------------------------


def _merged_windows(
    windows: Iterable[SurgeonWindow],
) -> dict[str, dict[dt.date, list[tuple[int, int]]]]:
    """Each surgeon's windows per date, touching or overlapping ones merged."""
    raw: dict[str, dict[dt.date, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for w in windows:
        raw[w.surgeon_id][w.date].append((w.start, w.end))
    out: dict[str, dict[dt.date, list[tuple[int, int]]]] = {}
    for sid, per_date in raw.items():
        out[sid] = {}
        for d, spans in per_date.items():
            merged: list[tuple[int, int]] = []
            for a, b in sorted(spans):
                if merged and a <= merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(merged[-1][1], b))
                else:
                    merged.append((a, b))
            out[sid][d] = merged
    return out


def _span(c: Case) -> str:
    assert c.planned_start is not None
    return f"{format_time(c.planned_start)}-{format_time(c.planned_start + c.duration_min)}"


def _check_pinned(
    loader: _Loader,
    cases: _Read,
    rooms: _Read,
    sessions: _Read,
    windows: _Read,
    resources: _Resources,
    policy: Policy,
) -> None:
    """Pinned cases stay exactly as planned: each must fit there, and all of them together.

    A pinned case that cannot be kept would make every schedule break the
    contract, so it is bad input, found here rather than by the solver.
    Each check runs only when the files it needs were read without problems.
    """
    f = CASES
    row_of: Mapping[str, int] = cases.rows
    room_by_id = {r.room_id: r for r in rooms.items}
    session_by_key = {(s.date, s.room_id): s for s in sessions.items}
    rooms_ok, sessions_ok = loader.clean(ROOMS, RESOURCES), loader.clean(SESSIONS)
    windows_ok, resources_ok = loader.clean(SURGEONS), loader.clean(RESOURCES)
    merged = _merged_windows(windows.items) if windows_ok else {}
    placed: list[Case] = []
    for c in cases.items:
        if not c.pinned:
            continue
        assert c.planned_date is not None and c.planned_room is not None
        assert c.planned_start is not None
        if c.planned_date > policy.end_date:
            continue  # outside this run: written as unscheduled
        row, cid, d = row_of[c.case_id], c.case_id, c.planned_date
        before = loader.per_file[f]
        start, end = c.planned_start, c.planned_start + c.duration_min
        if d < policy.start_date:
            loader.error(
                f,
                row,
                "planned_date",
                f"case {cid} is pinned on {d}, before the "
                f"horizon starts ({policy.start_date}); unpin it",
            )
            continue
        if c.release_date is not None and c.release_date > d:
            loader.error(
                f,
                row,
                "release_date",
                f"case {cid} is pinned on {d}, before its release date {c.release_date}",
            )
        s = session_by_key.get((d, c.planned_room))
        if sessions_ok and s is None:
            loader.error(
                f,
                row,
                "planned_room",
                f"case {cid} is pinned in room {c.planned_room}, which has no session on {d}",
            )
        elif s is not None and (start < s.start or end > s.end):
            loader.error(
                f,
                row,
                "planned_start",
                f"pinned case {cid} ({_span(c)}) does not fit "
                f"the session of room {c.planned_room} on {d} "
                f"({format_time(s.start)}-{format_time(s.end)})",
            )
        elif s is not None and s.specialty and s.specialty != c.specialty:
            loader.error(
                f,
                row,
                "planned_room",
                f"pinned case {cid} ({c.specialty}) is in room "
                f"{c.planned_room} on {d}, whose session is reserved to "
                f"{s.specialty}",
            )
        room = room_by_id.get(c.planned_room)
        if rooms_ok and room is not None:
            if not room.hosts(c.specialty):
                loader.error(
                    f,
                    row,
                    "planned_room",
                    f"pinned case {cid}: room {c.planned_room} does not host {c.specialty}",
                )
            absent = [
                e for e in c.equipment if e not in resources.pools and e not in room.equipment
            ]
            if absent:
                loader.error(
                    f,
                    row,
                    "equipment",
                    f"pinned case {cid} needs {', '.join(absent)}, "
                    f"which room {c.planned_room} does not have",
                )
        spans = merged.get(c.surgeon_id)
        if spans is not None and not any(a <= start and end <= b for a, b in spans.get(d, ())):
            loader.error(
                f,
                row,
                "planned_start",
                f"pinned case {cid} ({_span(c)}) is outside "
                f"the windows of surgeon {c.surgeon_id} on {d} (surgeons.csv)",
            )
        if loader.per_file[f] == before:
            placed.append(c)
    _check_pinned_together(loader, placed, row_of, policy.turnover_min)
    if resources_ok:
        _check_pinned_capacity(loader, placed, row_of, resources)


def _check_pinned_together(
    loader: _Loader, placed: list[Case], row_of: Mapping[str, int], turnover: int
) -> None:
    """Pinned cases must not collide in a room or for a surgeon, and keep the sequencing rule."""
    f = CASES
    by_room: dict[tuple[dt.date, str], list[Case]] = defaultdict(list)
    by_surgeon: dict[tuple[dt.date, str], list[Case]] = defaultdict(list)
    for c in placed:
        assert c.planned_date is not None and c.planned_room is not None
        by_room[c.planned_date, c.planned_room].append(c)
        by_surgeon[c.planned_date, c.surgeon_id].append(c)

    def start(c: Case) -> int:
        assert c.planned_start is not None
        return c.planned_start

    for (d, rid), group in by_room.items():
        group.sort(key=start)
        for a, b in zip(group, group[1:], strict=False):
            if start(b) < start(a) + a.duration_min + turnover:
                loader.error(
                    f,
                    row_of[b.case_id],
                    "planned_start",
                    f"pinned cases {a.case_id} ({_span(a)}, row {row_of[a.case_id]}) "
                    f"and {b.case_id} ({_span(b)}) in room {rid} on {d} are less than "
                    f"the turnover ({turnover} min) apart",
                )
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if problem := _sequencing_problem(a, b):
                    loader.error(
                        f,
                        row_of[b.case_id],
                        "flags",
                        f"{problem} in room {rid} on {d}, but both are pinned "
                        f"(row {row_of[a.case_id]} and this row)",
                    )
    for (d, sid), group in by_surgeon.items():
        group.sort(key=start)
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if start(b) >= start(a) + a.duration_min:
                    break
                loader.error(
                    f,
                    row_of[b.case_id],
                    "planned_start",
                    f"pinned cases {a.case_id} ({_span(a)}, row {row_of[a.case_id]}) "
                    f"and {b.case_id} ({_span(b)}) overlap for surgeon {sid} on {d}",
                )


def _sequencing_problem(first: Case, then: Case) -> str | None:
    """Why ``then`` may not follow ``first`` in a room (contract rule 6), or ``None``."""
    a, b = first.flags, then.flags
    if "latex_allergy" in b and "latex_allergy" not in a:
        return f"latex-allergy case {then.case_id} must come before case {first.case_id}"
    if "paediatric" in b and not {"latex_allergy", "paediatric"} & a:
        return f"paediatric case {then.case_id} must come before case {first.case_id}"
    if "infectious" in a and "infectious" not in b:
        return f"infectious case {first.case_id} must come after case {then.case_id}"
    return None


def _check_pinned_capacity(
    loader: _Loader, placed: list[Case], row_of: Mapping[str, int], resources: _Resources
) -> None:
    """Pinned cases alone must not need more anaesthetists, pool units or ICU beds than given."""
    f = CASES
    users: dict[tuple[str, dt.date], list[Case]] = defaultdict(list)
    icu: dict[dt.date, list[Case]] = defaultdict(list)
    for c in placed:
        assert c.planned_date is not None
        if c.needs_anaesthetist:
            users[ANAESTHETIST, c.planned_date].append(c)
        for e in c.equipment:
            if e in resources.pools:
                users[e, c.planned_date].append(c)
        if c.needs_icu:
            icu[c.planned_date].append(c)
    for (name, d), group in users.items():
        cap = resources.capacity.get((name, d))
        if cap is None:
            continue
        column = "anaesthesia" if name == ANAESTHETIST else "equipment"
        running: list[int] = []  # end times of the pinned cases running, as a heap
        for c in sorted(group, key=lambda c: c.planned_start or 0):
            assert c.planned_start is not None
            while running and running[0] <= c.planned_start:
                heapq.heappop(running)
            heapq.heappush(running, c.planned_start + c.duration_min)
            if len(running) > cap:
                loader.error(
                    f,
                    row_of[c.case_id],
                    column,
                    f"pinned case {c.case_id} ({_span(c)}) makes {len(running)} pinned "
                    f"cases use {name} at once on {d}; the capacity is {cap} "
                    "(resources.csv)",
                )
    for d, group in icu.items():
        cap = resources.capacity.get((ICU_BED, d))
        if cap is not None and len(group) > cap:
            for c in group[cap:]:
                loader.error(
                    f,
                    row_of[c.case_id],
                    "needs_icu",
                    f"pinned case {c.case_id} needs an ICU bed on {d}, but the "
                    f"{cap} bed(s) of that date (resources.csv) are taken by other "
                    "pinned cases",
                )


# -- warnings ----------------------------------------------------------------


def _warn_horizon(
    loader: _Loader,
    policy: Policy,
    sessions: list[Session],
    resources: list[ResourceCapacity],
) -> None:
    """Soft problems about dates: sessions outside the horizon, resources given for some dates."""
    start, end = policy.start_date, policy.end_date
    outside = sum(1 for s in sessions if not start <= s.date <= end)
    if outside:
        loader.warn(
            f"{SESSIONS}: {outside} session(s) fall outside the horizon {start} to "
            f"{end} and are not used"
        )
    horizon_days = (end - start).days + 1
    dates_of: dict[str, set[dt.date]] = defaultdict(set)
    for r in resources:
        if start <= r.date <= end:
            dates_of[r.resource].add(r.date)
    for name in sorted(dates_of):
        n = len(dates_of[name])
        if n < horizon_days:
            loader.warn(
                f"{RESOURCES}: {name} is given for {n} of the {horizon_days} dates of the "
                "horizon; it is unlimited on the dates without a row"
            )


def _warn_unreachable(
    loader: _Loader, cases: list[Case], rooms: list[Room], pools: frozenset[str]
) -> None:
    """Cases that no room can host: they can only be transferred or left unscheduled."""
    if not rooms:
        return
    counts: dict[tuple[str, tuple[str, ...]], int] = defaultdict(int)
    for c in cases:
        counts[c.specialty, tuple(sorted(e for e in c.equipment if e not in pools))] += 1
    for (spec, fixed), n in sorted(counts.items()):
        if not any(r.hosts(spec) and r.equipment.issuperset(fixed) for r in rooms):
            needs = f" with {', '.join(fixed)}" if fixed else ""
            loader.warn(
                f"{CASES}: {n} case(s) of {spec} need a room{needs} and no room "
                "hosts that; they can only be transferred or left unscheduled"
            )


# -- writing -----------------------------------------------------------------


def _iso(d: dt.date | None) -> str:
    return "" if d is None else d.isoformat()


def _bool(b: bool) -> str:
    return "true" if b else "false"


def scenario_tables(scenario: Scenario) -> dict[str, tuple[list[str], list[list[str]]]]:
    """The scenario as CSV tables (header, rows), in the contract's format."""
    cases = [
        [
            c.case_id,
            c.specialty,
            c.surgeon_id,
            str(c.duration_min),
            c.urgency,
            _iso(c.planned_date),
            c.planned_room or "",
            "" if c.planned_start is None else format_time(c.planned_start),
            _iso(c.release_date),
            _iso(c.due_date),
            ";".join(c.equipment),
            c.anaesthesia,
            _bool(c.needs_icu),
            _bool(c.transferable),
            _bool(c.pinned),
            ";".join(f for f in FLAGS if f in c.flags),
        ]
        for c in scenario.cases
    ]
    return {
        CASES: (list(FILES[CASES][1] + FILES[CASES][2]), cases),
        ROOMS: (
            ["room_id", "specialties", "equipment"],
            [
                [r.room_id, ";".join(sorted(r.specialties)), ";".join(sorted(r.equipment))]
                for r in scenario.rooms
            ],
        ),
        SESSIONS: (
            ["date", "room_id", "start", "end", "specialty"],
            [
                [
                    s.date.isoformat(),
                    s.room_id,
                    format_time(s.start),
                    format_time(s.end),
                    s.specialty or "",
                ]
                for s in scenario.sessions
            ],
        ),
        SURGEONS: (
            ["surgeon_id", "date", "start", "end"],
            [
                [w.surgeon_id, w.date.isoformat(), format_time(w.start), format_time(w.end)]
                for w in scenario.surgeon_windows
            ],
        ),
        RESOURCES: (
            ["date", "resource", "capacity"],
            [[r.date.isoformat(), r.resource, str(r.capacity)] for r in scenario.resources],
        ),
        PARTNERS: (
            ["partner_id", "date", "specialty", "capacity"],
            [
                [p.partner_id, p.date.isoformat(), p.specialty, str(p.capacity)]
                for p in scenario.partners
            ],
        ),
    }


def _toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = ['"']
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def policy_toml(policy: Policy) -> str:
    """``policy.toml`` text that loads back to the same policy."""
    lines = [
        f"start_date = {policy.start_date.isoformat()}",
        f"end_date = {policy.end_date.isoformat()}",
        f"target_ratio = {float(policy.target_ratio)!r}",
        f"turnover_min = {policy.turnover_min}",
        f"level3 = {_toml_string(policy.level3)}",
    ]
    if policy.seed:  # written only when set, so that existing folders stay byte for byte
        lines.append(f"seed = {policy.seed}")
    if policy.time_limit_s is not None:
        lines.append(f"time_limit_s = {float(policy.time_limit_s)!r}")
    lines.append("")
    lines += robustness_toml(policy.robustness)
    for cls in policy.urgency.values():
        lines.append(f"[urgency.{_toml_string(cls.name)}]")
        if cls.max_delay_days is not None:
            lines.append(f"max_delay_days = {cls.max_delay_days}")
        lines.append(f"weight = {float(cls.weight)!r}")
        if cls.transfer_cost is not None:
            lines.append(f"transfer_cost = {float(cls.transfer_cost)!r}")
        lines.append("")
    return "\n".join(lines)


def write_csv(path: Path, header: Iterable[str], rows: Iterable[Iterable[str]]) -> None:
    """Write one CSV file: UTF-8, ``\\n`` line ends, quoting only where needed.

    The csv module quotes a cell only when it holds a character of the line
    terminator, so a bare ``\\r`` inside an id would split its row when read
    back; such rows (rare) are written with every cell quoted.
    """
    with path.open("w", encoding="utf-8", newline="") as fh:
        plain = csv.writer(fh, lineterminator="\n")
        quoted = csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_ALL)
        plain.writerow(list(header))
        for r in rows:
            cells = list(r)
            (quoted if any("\r" in c for c in cells) else plain).writerow(cells)


def write_scenario(scenario: Scenario, folder: str | Path) -> Path:
    """Write a scenario folder that :func:`load_scenario` reads back unchanged.

    An optional file is written when the scenario has rows for it, or when
    the folder already holds one (then with its header only), so that a file
    left from an earlier scenario cannot change this one.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, (header, rows) in scenario_tables(scenario).items():
        if rows or FILES[name][0] or (folder / name).exists():
            write_csv(folder / name, header, rows)
    (folder / POLICY_FILE).write_text(policy_toml(scenario.policy), encoding="utf-8")
    return folder

"""Reading and writing scenario folders (CSV and TOML), per the data contract.

The loader never stops at the first problem: it reads every file, checks every
cell and every cross-reference, and raises one :class:`ScenarioError` listing
them all, each named by file, row (as a spreadsheet numbers it) and column.
Whatever the bytes in the files, the only exception that leaves
:func:`load_scenario` is :class:`ScenarioError`.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from .errors import Problem, ScenarioError
from .schema import (
    FLAGS,
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
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_ROWS = 500_000
MAX_HORIZON_DAYS = 400
MAX_CAPACITY = 100_000

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
TRUE = {"true", "1", "yes"}
FALSE = {"false", "0", "no"}


class _Bad(Exception):
    """A cell could not be read; the message completes 'column X: ...'."""


def parse_date(text: str) -> dt.date:
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _Bad(f"{text!r} is not a date of the form YYYY-MM-DD") from None


def parse_time(text: str, *, allow_24: bool = False) -> int:
    """``HH:MM`` to minutes after midnight; ``24:00`` only as an end time."""
    parts = text.split(":")
    ok = len(parts) == 2 and all(p.isdigit() and len(p) in (1, 2) for p in parts)
    if ok:
        h, m = int(parts[0]), int(parts[1])
        if (h < 24 and m < 60) or (allow_24 and h == 24 and m == 0):
            return h * 60 + m
    raise _Bad(f"{text!r} is not a clock time HH:MM between 00:00 and 23:59")


def parse_int(text: str, lo: int, hi: int, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise _Bad(f"{text!r} is not a whole number of {what}") from None
    if not lo <= value <= hi:
        raise _Bad(f"{value} {what} is out of range ({lo} to {hi})")
    return value


def parse_bool(text: str) -> bool:
    low = text.lower()
    if low in TRUE:
        return True
    if low in FALSE:
        return False
    raise _Bad(f"{text!r} is not true/false (or 1/0, yes/no)")


def parse_list(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(x.strip() for x in text.split(";") if x.strip()))


def format_time(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass
class _Rows:
    """The rows of one CSV file, read as text, with their spreadsheet row numbers."""

    file: str
    columns: tuple[str, ...]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


class _Loader:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[Problem] = []
        self.warnings: list[str] = []
        self.digest = hashlib.sha256()

    def error(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(file, row, column, message))

    # -- reading files ---------------------------------------------------
    def read_text(self, name: str, required: bool) -> str | None:
        path = self.folder / name
        if not path.is_file():
            if required:
                self.error(name, None, None, f"the file is missing from {self.folder}")
            return None
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                self.error(name, None, None, f"the file is too large ({size} bytes)")
                return None
            data = path.read_bytes()
        except OSError as exc:
            self.error(name, None, None, f"the file cannot be read ({exc.strerror})")
            return None
        self.digest.update(name.encode() + b"\0" + data + b"\0")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            self.error(
                name,
                line,
                None,
                "the file is not UTF-8 text (save it as 'CSV UTF-8' from the spreadsheet)",
            )
            return None
        if "\x00" in text:
            self.error(name, None, None, "the file holds binary data (NUL bytes), not text")
            return None
        return text

    def read_csv(self, name: str) -> _Rows | None:
        required, req_cols, opt_cols = FILES[name]
        text = self.read_text(name, required)
        if text is None:
            return None
        if not text.strip():
            self.error(name, None, None, "the file is empty: it needs at least a header row")
            return None
        try:
            records = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as exc:
            self.error(name, None, None, f"the file is not valid CSV ({exc})")
            return None
        header = [h.strip() for h in records[0]]
        problems_before = len(self.problems)
        for col in req_cols:
            if col not in header:
                self.error(name, 1, col, "this required column is missing from the header")
        dupes = sorted({h for h in header if h and header.count(h) > 1})
        for col in dupes:
            self.error(name, 1, col, "this column appears more than once in the header")
        if len(self.problems) > problems_before:
            return None
        known = set(req_cols) | set(opt_cols)
        extra = [h for h in header if h not in known]
        if extra:
            self.warnings.append(f"{name}: unknown column(s) ignored: {', '.join(extra)}")
        if len(records) - 1 > MAX_ROWS:
            self.error(name, None, None, f"too many rows ({len(records) - 1}; at most {MAX_ROWS})")
            return None
        out = _Rows(name, tuple(header))
        for i, rec in enumerate(records[1:], start=2):
            if not any(cell.strip() for cell in rec):
                continue  # blank line
            if len(rec) > len(header) and any(c.strip() for c in rec[len(header) :]):
                self.error(
                    name, i, None, f"the row has {len(rec)} cells but the header {len(header)}"
                )
                continue
            cells = {h: (rec[j].strip() if j < len(rec) else "") for j, h in enumerate(header)}
            out.rows.append((i, cells))
        return out

    def cell(
        self,
        rows: _Rows,
        row: int,
        cells: dict[str, str],
        col: str,
        parse: Callable[[str], T],
        *,
        required: bool = False,
    ) -> T | None:
        """Parse one cell; record a problem and return ``None`` if it is bad or empty."""
        text = cells.get(col, "")
        if text == "":
            if required:
                self.error(rows.file, row, col, "this cell is empty but a value is required")
            return None
        try:
            return parse(text)
        except _Bad as exc:
            self.error(rows.file, row, col, str(exc))
            return None

    # -- policy ---------------------------------------------------------
    def read_policy(self) -> dict[str, Any]:
        text = self.read_text(POLICY_FILE, False)
        if text is None:
            return {}
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            self.error(POLICY_FILE, None, None, f"the file is not valid TOML ({exc})")
            return {}
        return data


def _build(
    loader: _Loader, file: str, row: int, factory: Callable[..., T], **kwargs: Any
) -> T | None:
    """Build a model object, turning pydantic errors into problems for that row."""
    try:
        return factory(**kwargs)
    except ValidationError as exc:
        for err in exc.errors():
            loc = err.get("loc") or ()
            col = str(loc[0]) if loc else None
            loader.error(file, row, col, err.get("msg", "invalid value").removeprefix("Value error, "))
        return None


def _policy(loader: _Loader, raw: dict[str, Any], session_dates: list[dt.date]) -> Policy | None:
    f = POLICY_FILE
    known = {"start_date", "end_date", "target_ratio", "turnover_min", "urgency", "level3", "seed",
             "time_limit_s", "transfer_cost"}
    for key in raw:
        if key not in known:
            loader.warnings.append(f"{f}: unknown key {key!r} ignored")

    def as_date(key: str) -> dt.date | None:
        value = raw.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return parse_date(value)
            except _Bad as exc:
                loader.error(f, None, key, str(exc))
                return None
        loader.error(f, None, key, f"{value!r} is not a date")
        return None

    start = as_date("start_date") or (min(session_dates) if session_dates else None)
    end = as_date("end_date") or (max(session_dates) if session_dates else None)
    if start is None or end is None:
        if not any(p.file == f for p in loader.problems):
            loader.error(
                "sessions.csv",
                None,
                None,
                "there is no session and policy.toml gives no start_date/end_date: "
                "the horizon is unknown",
            )
        return None
    if (end - start).days + 1 > MAX_HORIZON_DAYS:
        loader.error(f, None, "end_date", f"the horizon is longer than {MAX_HORIZON_DAYS} days")
        return None
    kwargs: dict[str, Any] = {"start_date": start, "end_date": end}
    for key, typ in (("target_ratio", (int, float)), ("turnover_min", (int,)),
                     ("seed", (int,)), ("time_limit_s", (int, float))):
        if key in raw:
            value = raw[key]
            if isinstance(value, bool) or not isinstance(value, typ):
                loader.error(f, None, key, f"{value!r} is not a number")
            elif isinstance(value, float) and not math.isfinite(value):
                loader.error(f, None, key, f"{value!r} is not a finite number")
            else:
                kwargs[key] = value
    if "level3" in raw:
        kwargs["level3"] = raw["level3"]
    urgency = raw.get("urgency")
    if urgency is not None:
        if not isinstance(urgency, dict) or not urgency:
            loader.error(f, None, "urgency", "[urgency.NAME] tables are expected")
        else:
            classes: dict[str, UrgencyClass] = {}
            for name, table in urgency.items():
                where = f"urgency.{name}"
                if not isinstance(table, dict):
                    loader.error(f, None, where, "a table with max_delay_days and weight is expected")
                    continue
                for key in table:
                    if key not in {"max_delay_days", "weight", "transfer_cost"}:
                        loader.warnings.append(f"{f}: unknown key {where}.{key} ignored")
                fields = {k: table[k] for k in ("max_delay_days", "weight", "transfer_cost") if k in table}
                bad = [k for k, v in fields.items() if isinstance(v, bool) or not isinstance(v, (int, float))
                       or (isinstance(v, float) and not math.isfinite(v))
                       or (k == "max_delay_days" and not isinstance(v, int))]
                for k in bad:
                    loader.error(f, None, f"{where}.{k}", f"{fields[k]!r} is not a valid number")
                if bad:
                    continue
                if fields.get("max_delay_days", 0) > 3650 or fields.get("weight", 0) > 1e6:
                    loader.error(f, None, where, "the delay or weight is absurdly large")
                    continue
                cls = _build(loader, f, 0, UrgencyClass, name=str(name), **fields)
                if cls is not None:
                    classes[str(name)] = cls
            kwargs["urgency"] = classes or default_urgency_classes()
    try:
        return Policy(**kwargs)
    except ValidationError as exc:
        for err in exc.errors():
            loc = err.get("loc") or ()
            loader.error(f, None, str(loc[0]) if loc else None,
                         err.get("msg", "invalid value").removeprefix("Value error, "))
        return None


def load_scenario(folder: str | Path) -> Scenario:
    """Read and validate a scenario folder.

    Raises
    ------
    ScenarioError
        Listing every problem found, each with file, row and column.
    """
    folder = Path(folder)
    loader = _Loader(folder)
    if not folder.is_dir():
        raise ScenarioError([Problem(str(folder), None, None, "this is not a scenario folder")])
    tables = {name: loader.read_csv(name) for name in FILES}
    raw_policy = loader.read_policy()
    f_cases, f_rooms, f_sess = "cases.csv", "rooms.csv", "sessions.csv"

    # rooms
    rooms: list[Room] = []
    room_rows: dict[str, int] = {}
    if (t := tables[f_rooms]) is not None:
        for row, cells in t.rows:
            rid = loader.cell(t, row, cells, "room_id", str, required=True)
            if rid is None:
                continue
            if rid in room_rows:
                loader.error(f_rooms, row, "room_id", f"room {rid} is already listed on row {room_rows[rid]}")
                continue
            room_rows[rid] = row
            specs = loader.cell(t, row, cells, "specialties", parse_list) or ()
            equip = loader.cell(t, row, cells, "equipment", parse_list) or ()
            room = _build(loader, f_rooms, row, Room, room_id=rid, specialties=frozenset(specs),
                          equipment=frozenset(equip))
            if room is not None:
                rooms.append(room)
    room_ids = set(room_rows)

    # sessions
    sessions: list[Session] = []
    sess_rows: dict[tuple[dt.date, str], int] = {}
    if (t := tables[f_sess]) is not None:
        for row, cells in t.rows:
            d = loader.cell(t, row, cells, "date", parse_date, required=True)
            rid = loader.cell(t, row, cells, "room_id", str, required=True)
            start = loader.cell(t, row, cells, "start", parse_time, required=True)
            end = loader.cell(t, row, cells, "end", lambda s: parse_time(s, allow_24=True), required=True)
            spec = loader.cell(t, row, cells, "specialty", str)
            if rid is not None and tables[f_rooms] is not None and rid not in room_ids:
                loader.error(f_sess, row, "room_id", f"room {rid} is not listed in rooms.csv")
                continue
            if None in (d, rid, start, end):
                continue
            assert d is not None and rid is not None and start is not None and end is not None
            if start >= end:
                loader.error(f_sess, row, "end", f"the session ends ({format_time(end)}) "
                             f"before or when it starts ({format_time(start)})")
                continue
            if (d, rid) in sess_rows:
                loader.error(f_sess, row, "room_id", f"room {rid} already has a session on {d} "
                             f"(row {sess_rows[d, rid]}); a room has at most one session a date")
                continue
            sess_rows[d, rid] = row
            room = next((r for r in rooms if r.room_id == rid), None)
            if spec and room is not None and not room.hosts(spec):
                loader.warnings.append(
                    f"{f_sess}, row {row}: room {rid} does not host {spec}, the session's block")
            s = _build(loader, f_sess, row, Session, date=d, room_id=rid, start=start, end=end,
                       specialty=spec)
            if s is not None:
                sessions.append(s)

    policy = _policy(loader, raw_policy, sorted({s.date for s in sessions}))

    # surgeons
    windows: list[SurgeonWindow] = []
    if (t := tables["surgeons.csv"]) is not None:
        for row, cells in t.rows:
            sid = loader.cell(t, row, cells, "surgeon_id", str, required=True)
            d = loader.cell(t, row, cells, "date", parse_date, required=True)
            start = loader.cell(t, row, cells, "start", parse_time, required=True)
            end = loader.cell(t, row, cells, "end", lambda s: parse_time(s, allow_24=True), required=True)
            if None in (sid, d, start, end):
                continue
            assert start is not None and end is not None
            if start >= end:
                loader.error("surgeons.csv", row, "end", "the window ends before or when it starts")
                continue
            w = _build(loader, "surgeons.csv", row, SurgeonWindow, surgeon_id=sid, date=d,
                       start=start, end=end)
            if w is not None:
                windows.append(w)

    # resources
    resources: list[ResourceCapacity] = []
    res_rows: dict[tuple[dt.date, str], int] = {}
    if (t := tables["resources.csv"]) is not None:
        for row, cells in t.rows:
            d = loader.cell(t, row, cells, "date", parse_date, required=True)
            name = loader.cell(t, row, cells, "resource", str, required=True)
            cap = loader.cell(t, row, cells, "capacity",
                              lambda s: parse_int(s, 0, MAX_CAPACITY, "units"), required=True)
            if None in (d, name, cap):
                continue
            assert d is not None and name is not None
            if (d, name) in res_rows:
                loader.error("resources.csv", row, "resource",
                             f"{name} on {d} is already given on row {res_rows[d, name]}")
                continue
            res_rows[d, name] = row
            resources.append(ResourceCapacity(date=d, resource=name, capacity=cap))
    pools = {r.resource for r in resources} - RESERVED_RESOURCES
    fixed = {e for r in rooms for e in r.equipment}
    for name in sorted(pools & fixed):
        loader.error("resources.csv", None, "resource",
                     f"{name} is both fixed in a room (rooms.csv) and a mobile pool")
    for name in sorted(RESERVED_RESOURCES & fixed):
        loader.error("rooms.csv", None, "equipment", f"{name} is a reserved resource name, not equipment")
    if policy is not None:
        horizon = set(policy.dates)
        for name in sorted({r.resource for r in resources}):
            have = {r.date for r in resources if r.resource == name} & horizon
            if have and have != horizon:
                loader.warnings.append(
                    f"resources.csv: {name} is given for some dates of the horizon but not "
                    f"others; it is unlimited on the dates without a row")

    # partners
    partners: list[PartnerCapacity] = []
    part_rows: dict[tuple[str, dt.date, str], int] = {}
    if (t := tables["partners.csv"]) is not None:
        for row, cells in t.rows:
            pid = loader.cell(t, row, cells, "partner_id", str, required=True)
            d = loader.cell(t, row, cells, "date", parse_date, required=True)
            spec = loader.cell(t, row, cells, "specialty", str, required=True)
            cap = loader.cell(t, row, cells, "capacity",
                              lambda s: parse_int(s, 0, MAX_CAPACITY, "cases"), required=True)
            if None in (pid, d, spec, cap):
                continue
            assert pid is not None and d is not None and spec is not None
            if (pid, d, spec) in part_rows:
                loader.error("partners.csv", row, "specialty",
                             f"partner {pid}, {spec} on {d} is already given on row "
                             f"{part_rows[pid, d, spec]}")
                continue
            part_rows[pid, d, spec] = row
            partners.append(PartnerCapacity(partner_id=pid, date=d, specialty=spec, capacity=cap))

    # cases
    cases: list[Case] = []
    case_rows: dict[str, int] = {}
    if (t := tables[f_cases]) is not None:
        classes = policy.urgency if policy is not None else default_urgency_classes()
        for row, cells in t.rows:
            c = _read_case(loader, t, row, cells, classes, room_ids, pools, fixed,
                           tables[f_rooms] is not None)
            if c is None:
                continue
            if c.case_id in case_rows:
                loader.error(f_cases, row, "case_id",
                             f"case {c.case_id} is already listed on row {case_rows[c.case_id]}")
                continue
            case_rows[c.case_id] = row
            cases.append(c)

    if policy is not None:
        _check_pinned(loader, cases, case_rows, rooms, sessions, windows, policy)

    if loader.problems:
        raise ScenarioError(loader.problems)
    assert policy is not None
    try:
        return Scenario(
            cases=tuple(cases), rooms=tuple(rooms), sessions=tuple(sessions),
            surgeon_windows=tuple(windows), resources=tuple(resources), partners=tuple(partners),
            policy=policy, name=folder.name, input_hash=loader.digest.hexdigest(),
            warnings=tuple(loader.warnings),
        )
    except ValidationError as exc:  # every rule is checked above; this is a last guard
        raise ScenarioError([Problem(str(folder), None, None, str(e.get("msg"))) for e in exc.errors()]) from None


def _read_case(
    loader: _Loader,
    t: _Rows,
    row: int,
    cells: dict[str, str],
    classes: dict[str, UrgencyClass],
    room_ids: set[str],
    pools: set[str],
    fixed: set[str],
    rooms_known: bool,
) -> Case | None:
    f = t.file
    before = len(loader.problems)
    cid = loader.cell(t, row, cells, "case_id", str, required=True)
    spec = loader.cell(t, row, cells, "specialty", str, required=True)
    sid = loader.cell(t, row, cells, "surgeon_id", str, required=True)
    dur = loader.cell(t, row, cells, "duration_min", lambda s: parse_int(s, 1, 1440, "minutes"),
                      required=True)
    urg = loader.cell(t, row, cells, "urgency", str, required=True)
    if urg is not None and urg not in classes:
        loader.error(f, row, "urgency", f"{urg!r} is not an urgency class (known: "
                     f"{', '.join(classes)})")
    pdate = loader.cell(t, row, cells, "planned_date", parse_date)
    proom = loader.cell(t, row, cells, "planned_room", str)
    pstart = loader.cell(t, row, cells, "planned_start", parse_time)
    release = loader.cell(t, row, cells, "release_date", parse_date)
    due = loader.cell(t, row, cells, "due_date", parse_date)
    equip = loader.cell(t, row, cells, "equipment", parse_list) or ()
    anaes = loader.cell(t, row, cells, "anaesthesia", str)
    if anaes is not None:
        anaes = anaes.lower()
        if anaes not in ("general", "regional", "local"):
            loader.error(f, row, "anaesthesia", f"{anaes!r} is not general, regional or local")
    icu = loader.cell(t, row, cells, "needs_icu", parse_bool) or False
    transferable = loader.cell(t, row, cells, "transferable", parse_bool) or False
    pinned = loader.cell(t, row, cells, "pinned", parse_bool) or False
    flags = loader.cell(t, row, cells, "flags", parse_list) or ()
    for flag in flags:
        if flag not in FLAGS:
            loader.error(f, row, "flags", f"{flag!r} is not a flag (known: {', '.join(FLAGS)})")
    if proom is not None and rooms_known and proom not in room_ids:
        loader.error(f, row, "planned_room", f"room {proom} is not listed in rooms.csv")
    if (proom is not None or pstart is not None) and pdate is None and not cells.get("planned_date"):
        loader.error(f, row, "planned_date", "a planned room or start is given without a planned date")
    if pstart is not None and dur is not None and pstart + dur > 1440:
        loader.error(f, row, "planned_start", "the case would end after midnight")
    if pinned and (not cells.get("planned_date") or not cells.get("planned_room")
                   or not cells.get("planned_start")):
        loader.error(f, row, "pinned", "a pinned case needs a planned date, room and start")
    if due is not None and pdate is not None and due < pdate:
        loader.error(f, row, "due_date", f"the due date {due} is before the planned date {pdate}")
    if due is not None and release is not None and due < release:
        loader.error(f, row, "due_date", f"the due date {due} is before the release date {release}")
    for name in equip:
        if name in RESERVED_RESOURCES:
            loader.error(f, row, "equipment", f"{name} is a reserved resource, not equipment")
        elif name not in fixed and name not in pools:
            loader.error(f, row, "equipment", f"{name} is neither fixed in a room (rooms.csv) "
                         "nor a mobile pool (resources.csv)")
    if len(loader.problems) > before:
        return None
    return _build(
        loader, f, row, Case, case_id=cid, specialty=spec, surgeon_id=sid, duration_min=dur,
        urgency=urg, planned_date=pdate, planned_room=proom, planned_start=pstart,
        release_date=release, due_date=due, equipment=tuple(equip), anaesthesia=anaes or "general",
        needs_icu=icu, transferable=transferable, pinned=pinned, flags=frozenset(flags),
    )


def _check_pinned(
    loader: _Loader,
    cases: list[Case],
    case_rows: dict[str, int],
    rooms: list[Room],
    sessions: list[Session],
    windows: list[SurgeonWindow],
    policy: Policy,
) -> None:
    """A pinned case must fit where it is pinned, and pinned cases must not collide."""
    f = "cases.csv"
    by_key = {(s.date, s.room_id): s for s in sessions}
    room_by_id = {r.room_id: r for r in rooms}
    placed: list[Case] = []
    for c in cases:
        if not c.pinned:
            continue
        assert c.planned_date is not None and c.planned_room is not None
        assert c.planned_start is not None
        row = case_rows[c.case_id]
        if c.planned_date > policy.end_date:
            continue  # outside this run: written as unscheduled
        if c.planned_date < policy.start_date:
            loader.error(f, row, "pinned", f"case {c.case_id} is pinned on {c.planned_date}, "
                         f"before the horizon starts ({policy.start_date})")
            continue
        s = by_key.get((c.planned_date, c.planned_room))
        end = c.planned_start + c.duration_min
        if s is None:
            loader.error(f, row, "planned_room", f"case {c.case_id} is pinned in room "
                         f"{c.planned_room}, which has no session on {c.planned_date}")
            continue
        if c.planned_start < s.start or end > s.end:
            loader.error(f, row, "planned_start", f"pinned case {c.case_id} "
                         f"({format_time(c.planned_start)}-{format_time(end)}) does not fit the "
                         f"session of room {c.planned_room} ({format_time(s.start)}-{format_time(s.end)})")
            continue
        room = room_by_id.get(c.planned_room)
        if room is not None and not room.hosts(c.specialty):
            loader.error(f, row, "planned_room",
                         f"pinned case {c.case_id}: room {c.planned_room} does not host {c.specialty}")
        placed.append(c)
    turnover = policy.turnover_min
    for i, a in enumerate(placed):
        for b in placed[i + 1 :]:
            if a.planned_date != b.planned_date:
                continue
            assert a.planned_start is not None and b.planned_start is not None
            a0, a1 = a.planned_start, a.planned_start + a.duration_min
            b0, b1 = b.planned_start, b.planned_start + b.duration_min
            if a.planned_room == b.planned_room and a0 < b1 + turnover and b0 < a1 + turnover:
                loader.error(f, case_rows[b.case_id], "planned_start",
                             f"pinned cases {a.case_id} and {b.case_id} overlap in room "
                             f"{a.planned_room} (turnover {turnover} min included)")
            elif a.surgeon_id == b.surgeon_id and a0 < b1 and b0 < a1:
                loader.error(f, case_rows[b.case_id], "planned_start",
                             f"pinned cases {a.case_id} and {b.case_id} overlap for surgeon "
                             f"{a.surgeon_id}")


# -- writing -------------------------------------------------------------


def _iso(d: dt.date | None) -> str:
    return "" if d is None else d.isoformat()


def _bool(b: bool) -> str:
    return "true" if b else "false"


def scenario_tables(scenario: Scenario) -> dict[str, tuple[list[str], list[list[str]]]]:
    """The scenario as CSV tables (header, rows), in the contract's format."""
    cases = [
        [c.case_id, c.specialty, c.surgeon_id, str(c.duration_min), c.urgency, _iso(c.planned_date),
         c.planned_room or "", "" if c.planned_start is None else format_time(c.planned_start),
         _iso(c.release_date), _iso(c.due_date), ";".join(c.equipment), c.anaesthesia,
         _bool(c.needs_icu), _bool(c.transferable), _bool(c.pinned),
         ";".join(f for f in FLAGS if f in c.flags)]
        for c in scenario.cases
    ]
    tables: dict[str, tuple[list[str], list[list[str]]]] = {
        "cases.csv": (list(FILES["cases.csv"][1] + FILES["cases.csv"][2]), cases),
        "rooms.csv": (["room_id", "specialties", "equipment"],
                      [[r.room_id, ";".join(sorted(r.specialties)), ";".join(sorted(r.equipment))]
                       for r in scenario.rooms]),
        "sessions.csv": (["date", "room_id", "start", "end", "specialty"],
                         [[s.date.isoformat(), s.room_id, format_time(s.start), format_time(s.end),
                           s.specialty or ""] for s in scenario.sessions]),
    }
    if scenario.surgeon_windows:
        tables["surgeons.csv"] = (["surgeon_id", "date", "start", "end"],
                                  [[w.surgeon_id, w.date.isoformat(), format_time(w.start),
                                    format_time(w.end)] for w in scenario.surgeon_windows])
    if scenario.resources:
        tables["resources.csv"] = (["date", "resource", "capacity"],
                                   [[r.date.isoformat(), r.resource, str(r.capacity)]
                                    for r in scenario.resources])
    if scenario.partners:
        tables["partners.csv"] = (["partner_id", "date", "specialty", "capacity"],
                                  [[p.partner_id, p.date.isoformat(), p.specialty, str(p.capacity)]
                                   for p in scenario.partners])
    return tables


def policy_toml(policy: Policy) -> str:
    """``policy.toml`` text that loads back to the same policy."""
    lines = [
        f"start_date = {policy.start_date.isoformat()}",
        f"end_date = {policy.end_date.isoformat()}",
        f"target_ratio = {policy.target_ratio!r}",
        f"turnover_min = {policy.turnover_min}",
        f'level3 = "{policy.level3}"',
        "",
    ]
    for cls in policy.urgency.values():
        lines.append(f'[urgency."{cls.name}"]')
        if cls.max_delay_days is not None:
            lines.append(f"max_delay_days = {cls.max_delay_days}")
        lines.append(f"weight = {float(cls.weight)!r}")
        if cls.transfer_cost is not None:
            lines.append(f"transfer_cost = {float(cls.transfer_cost)!r}")
        lines.append("")
    return "\n".join(lines)


def write_csv(path: Path, header: Iterable[str], rows: Iterable[Iterable[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(list(header))
        for r in rows:
            w.writerow(list(r))


def write_scenario(scenario: Scenario, folder: str | Path) -> Path:
    """Write a scenario folder that :func:`load_scenario` reads back unchanged."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, (header, rows) in scenario_tables(scenario).items():
        write_csv(folder / name, header, rows)
    (folder / POLICY_FILE).write_text(policy_toml(scenario.policy), encoding="utf-8")
    return folder


def iter_problems(exc: ScenarioError) -> Iterator[str]:
    for p in exc.problems:
        yield str(p)

"""``policy.toml``: targets, urgency classes and solver settings, read with their lines.

:mod:`tomllib` gives no positions, so a small line tracker finds the line of
each table and key (best effort) for the messages. The policy is read in two
steps: :func:`read_policy` before the sessions are known, and
:func:`settle_policy` once they are, since the horizon defaults to the
sessions' first and last dates.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..i18n import LANGUAGES, Lang
from . import limits
from .cells import CellError, parse_date, parse_time, sane_date
from .contacts import read_contacts
from .layout import POLICY_FILE, SESSIONS
from .params import SolverParams
from .reading import Reader
from .robustness_policy import read_robustness
from .schema import LEVEL3, Policy, UrgencyClass, default_urgency_classes, is_timezone

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
        # the levers (see model/levers.py): overtime and the emergency reserve
        "overtime_max_min",
        "overtime_cost_per_min",
        "reserve_min",
        "reserve",
        "notice_days",
        "waiting_notice_days",
        "now",
        "anaesthetist_rooms",
        "language",
        "timezone",
        "solver",
        "robustness",
        "hospital",  # who the patients call (see contacts.py)
        "partners",
    }
)
CLASS_KEYS = ("max_delay_days", "weight", "transfer_cost")

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
class PolicyDraft:
    """What ``policy.toml`` says, read before the horizon can be settled."""

    start: dt.date | None = None
    end: dt.date | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    urgency: dict[str, UrgencyClass] | None = None  # None: the default classes
    class_names: frozenset[str] | None = frozenset(default_urgency_classes())
    lines: dict[tuple[str, ...], int] = field(default_factory=dict)

    @classmethod
    def of(cls, policy: Policy) -> PolicyDraft:
        """A policy made in code, as it stands (the horizon included): no text read again."""
        fixed = ("start_date", "end_date", "urgency")
        fields = {k: getattr(policy, k) for k in Policy.model_fields if k not in fixed}
        urgency = dict(policy.urgency)
        return cls(policy.start_date, policy.end_date, fields, urgency, frozenset(urgency))

    def line(self, *path: str) -> int | None:
        """The line of a key, or of the nearest enclosing table."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _whole(lo: int, hi: int) -> Callable[[object], bool]:
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and lo <= v <= hi


def _scalar_keys() -> list[tuple[str, Callable[[Any], bool], str, Callable[[Any], Any]]]:
    """The policy's one-value keys, in the order their problems are told: the key, what a
    valid value is, what an invalid one is not, and how a valid one is kept."""
    keep: Callable[[Any], Any] = lambda v: v  # noqa: E731
    out: list[tuple[str, Callable[[Any], bool], str, Callable[[Any], Any]]] = [
        ("target_ratio", lambda v: _is_number(v) and 0 <= v <= 1,
         "is not a ratio between 0 and 1 (e.g. 0.9)", float),
    ]  # fmt: skip
    for key, lo, hi, what in (
        ("turnover_min", 0, limits.MAX_TURNOVER_MIN, "a whole number of minutes"),
        ("seed", 0, limits.MAX_SEED, "a whole number"),
        ("notice_days", 0, limits.MAX_HORIZON_DAYS, "a whole number of days"),
        ("waiting_notice_days", 0, limits.MAX_HORIZON_DAYS, "a whole number of days"),
        ("anaesthetist_rooms", 1, 4, "a whole number of rooms"),
    ):
        out.append((key, _whole(lo, hi), f"is not {what} between {lo} and {hi}", keep))
    return out + [
        ("time_limit_s", lambda v: _is_number(v) and 0 < v <= limits.MAX_TIME_LIMIT_S,
         "is not a number of seconds above 0 and at most one week", float),
        ("level3", lambda v: v in LEVEL3, f"is not one of {', '.join(map(repr, LEVEL3))}", keep),
        ("language", lambda v: v in LANGUAGES,
         f"is not one of {', '.join(map(repr, LANGUAGES))}", keep),
        ("timezone", is_timezone, "is not a time zone name such as 'Europe/Paris'", keep),
        ("now", _is_clock, "is not a time of day such as \"10:00\"", _clock),
    ]  # fmt: skip


def _is_clock(value: object) -> bool:
    """``now``: a time of day, written ``"HH:MM"`` (or TOML's own ``10:00:00``)."""
    if isinstance(value, dt.time):
        return value.second == 0 and value.microsecond == 0 and value.tzinfo is None
    if not isinstance(value, str):
        return False
    try:
        parse_time(value)
    except CellError:
        return False
    return True


def _clock(value: Any) -> int:
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute
    return parse_time(value)


def policy_language(folder: Path) -> Lang | None:
    """The language ``folder``'s ``policy.toml`` asks for, read alone and unchecked (None
    when it names none or cannot be read): for what a command says before it reads the
    scenario, such as the ``--out`` it refuses. The loader reads and checks it with the rest."""
    try:
        with (folder / POLICY_FILE).open("rb") as fh:
            raw = tomllib.loads(fh.read(limits.MAX_POLICY_BYTES).decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    return next((lang for lang in LANGUAGES if raw.get("language") == lang), None)


def read_policy(loader: Reader) -> PolicyDraft:
    """What the policy says: ``policy.toml``, or the rows of a workbook's ``policy`` sheet."""
    given = loader.given_policy()
    if given is not None:
        return PolicyDraft.of(given)
    f = POLICY_FILE
    draft = PolicyDraft()
    rows = loader.policy_rows()
    if rows is not None:
        raw, draft.lines = rows.raw, rows.lines
    else:
        toml = _read_toml(loader, draft)
        if toml is None:
            return draft
        raw = toml

    def bad(key: str, message: str, *path: str) -> None:
        loader.error(f, draft.line(*(path or (key,))), key, message)

    for key in raw:
        if key not in POLICY_KEYS:
            loader.warn(f"{f}: unknown key {key!r} ignored")
    draft.start = _toml_date(raw, "start_date", bad)
    draft.end = _toml_date(raw, "end_date", bad)

    for key, ok, complaint, convert in _scalar_keys():
        if key in raw:
            v = raw[key]
            if ok(v):
                draft.fields[key] = convert(v)
            else:
                bad(key, f"{v!r} {complaint}")
    if "solver" in raw:
        _read_solver(loader, draft, raw["solver"])
    if "robustness" in raw:
        settings = read_robustness(raw["robustness"], bad, loader.warn)
        if settings is not None:
            draft.fields["robustness"] = settings
    draft.fields.update(read_contacts(raw, bad, loader.warn))
    if "urgency" in raw:
        _read_urgency(loader, draft, raw["urgency"])
    _read_levers(loader, draft, raw, bad)
    return draft


def _read_toml(loader: Reader, draft: PolicyDraft) -> dict[str, Any] | None:
    """``policy.toml`` as :mod:`tomllib` reads it; ``None`` when absent or unreadable."""
    f = POLICY_FILE
    data = loader.read_bytes(f, False, limits.MAX_POLICY_BYTES)
    if data is None:
        return None
    try:
        text = data.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        loader.error(f, line, None, "the file is not UTF-8 text: save it as UTF-8")
        draft.class_names = None
        return None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"at line (\d+)", str(exc))
        loader.error(f, int(m.group(1)) if m else None, None, f"the file is not valid TOML: {exc}")
        draft.class_names = None  # unknown: cases' classes cannot be checked
        return None
    except RecursionError:
        loader.error(f, None, None, "the file is not valid TOML: it is nested too deeply")
        draft.class_names = None
        return None
    draft.lines = _toml_lines(text)
    return raw


def _read_levers(
    loader: Reader, draft: PolicyDraft, raw: dict[str, Any], bad: Callable[..., None]
) -> None:
    """Overtime and the emergency reserve: ``overtime_max_min``, ``overtime_cost_per_min``,
    ``reserve_min`` and the ``[reserve]`` table of specialty = minutes."""
    for key, hi in (
        ("overtime_max_min", limits.MAX_OVERTIME_MIN),
        ("reserve_min", limits.MAX_RESERVE_MIN),
    ):
        if key in raw:
            v = raw[key]
            if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= hi:
                bad(key, f"{v!r} is not a whole number of minutes between 0 and {hi}")
            else:
                draft.fields[key] = v
    if "overtime_cost_per_min" in raw:
        v = raw["overtime_cost_per_min"]
        if not _is_number(v) or not 0 <= v <= limits.MAX_EXTRA_COST:
            top = f"{limits.MAX_EXTRA_COST:,.0f}"
            bad("overtime_cost_per_min", f"{v!r} is not a cost between 0 and {top}")
        else:
            draft.fields["overtime_cost_per_min"] = float(v)
    if "reserve" not in raw:
        return
    table = raw["reserve"]
    if not isinstance(table, dict):
        bad("reserve", "the reserve is a table [reserve] of specialty = minutes (e.g. ent = 60)")
        return
    reserve: dict[str, int] = {}
    for name, v in table.items():
        hi = limits.MAX_RESERVE_MIN
        if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= hi or not name:
            loader.error(
                POLICY_FILE,
                draft.line("reserve", name),
                f"reserve.{name}",
                f"{v!r} is not a whole number of minutes between 0 and {hi}",
            )
        else:
            reserve[name] = v
    draft.fields["reserve"] = reserve


def _read_solver(loader: Reader, draft: PolicyDraft, table: object) -> None:
    """The ``[solver]`` table: :class:`SolverParams`, field for field."""
    if not isinstance(table, dict):
        loader.error(POLICY_FILE, draft.line("solver"), "solver", "[solver] must be a table")
        return
    try:
        draft.fields["solver"] = SolverParams.model_validate(table)
    except ValidationError as exc:
        for err in exc.errors():
            key = str(err["loc"][0]) if err["loc"] else ""
            where = f"solver.{key}" if key else "solver"
            message = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
            value = f"{err['input']!r}: " if err["type"] != "extra_forbidden" else ""
            loader.error(POLICY_FILE, draft.line("solver", key), where, value + message)


def _toml_date(raw: dict[str, Any], key: str, bad: Callable[..., None]) -> dt.date | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return parse_date(value)
        except CellError as exc:
            bad(key, str(exc))
            return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        try:
            return sane_date(value)
        except CellError as exc:
            bad(key, str(exc))
            return None
    bad(key, f"{value!r} is not a date: write it as {key} = 2024-04-16")
    return None


def _read_urgency(loader: Reader, draft: PolicyDraft, tables: object) -> None:
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
            or not 0 <= delay <= limits.MAX_DELAY_DAYS
        ):
            loader.error(
                f,
                draft.line("urgency", name, "max_delay_days"),
                f"{where}.max_delay_days",
                f"{delay!r} is not a whole number of days between 0 and {limits.MAX_DELAY_DAYS}",
            )
            ok = False
        for key, hi in (("weight", limits.MAX_WEIGHT), ("transfer_cost", limits.MAX_TRANSFER_COST)):
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


def settle_policy(
    loader: Reader, draft: PolicyDraft, session_dates: Iterable[dt.date]
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
    if days > limits.MAX_HORIZON_DAYS:
        msg = (
            f"the horizon {start} to {end} is {days} days long, over the limit of one run "
            f"(at most {limits.MAX_HORIZON_DAYS})"
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

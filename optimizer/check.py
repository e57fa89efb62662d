"""The independent checker of the data contract's rules.

It reads the contract, not the solver: every rule of "Rules a revised schedule
must satisfy", the horizon and status semantics of ``schedule.csv`` and the
content of ``summary.json`` are recomputed here from the scenario's raw fields.
Nothing is imported from the solver, and none of the scenario's derived helpers
(deadlines, merged windows, capacities, urgency ranks) is used, so a mistake in
the solver cannot hide by being shared with its judge.

Each rule is one small function returning :class:`Violation` objects; each
violation names the case ids involved and no other patient data.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import pandas as pd

from optimizer.scenario.schema import Case, Room, Scenario, Session

__all__ = [
    "COLUMNS",
    "Violation",
    "check_result_folder",
    "check_schedule",
    "deadline_misses",
    "evaluate",
    "read_schedule_csv",
]

COLUMNS = (
    "case_id",
    "status",
    "date",
    "room_id",
    "start",
    "end",
    "partner_id",
    "delay_days",
    "reason",
)
STATUSES = frozenset({"kept", "postponed", "scheduled", "transferred", "unscheduled"})
OPERATED = frozenset({"kept", "postponed", "scheduled"})
NEEDS_REASON = frozenset({"postponed", "transferred", "unscheduled"})
# The contract's reserved resource names, spelt out here rather than imported.
ANAESTHETIST = "anaesthetist"
ICU_BED = "icu_bed"
# summary.json may round ratios to two decimals.
RATIO_TOLERANCE = Fraction(1, 200)


@dataclass(frozen=True)
class Violation:
    """One broken rule: which rule, which case (if one), and a plain sentence."""

    rule: str
    case_id: str | None
    message: str

    def __str__(self) -> str:
        return f"rule {self.rule}: {self.message}"


# -- reading and normalising a schedule -----------------------------------


def read_schedule_csv(path: str | Path) -> pd.DataFrame:
    """Read ``schedule.csv`` as text, undoing the formula neutralisation.

    Every cell is a string (an empty cell is ``""``); a cell that starts with
    ``'`` loses exactly one leading ``'``, as the contract tells a reader to do.
    """
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    header = [h.strip() for h in rows[0]]
    body = [[_unescape(cell) for cell in r] + [""] * (len(header) - len(r)) for r in rows[1:] if r]
    return pd.DataFrame([r[: len(header)] for r in body], columns=header, dtype=object)


def _unescape(cell: str) -> str:
    return cell[1:] if cell.startswith("'") else cell


class _Malformed(ValueError):
    """A cell that cannot be read as what its column holds."""


@dataclass(frozen=True)
class _Row:
    """One schedule row with every cell read into its meaning."""

    case_id: str
    status: str
    date: dt.date | None
    room_id: str | None
    start: int | None
    end: int | None
    partner_id: str | None
    delay_days: int | None
    reason: str


@dataclass
class _Table:
    """A schedule as written: the ids and statuses of all rows, and the rows that could be read."""

    ids: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    rows: list[_Row | None] = field(default_factory=list)
    problems: list[Violation] = field(default_factory=list)


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text(value: Any) -> str | None:
    return None if _is_empty(value) else str(value).strip()


def _date(value: Any) -> dt.date | None:
    if _is_empty(value):
        return None
    if isinstance(value, dt.datetime):  # also pd.Timestamp; checked before date, its base
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise _Malformed("is not a date of the form YYYY-MM-DD")


def _minutes(value: Any) -> int | None:
    if _is_empty(value):
        return None
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute
    if isinstance(value, str):
        parts = value.strip().split(":")
        if len(parts) == 2 and all(p.isdigit() and 1 <= len(p) <= 2 for p in parts):
            h, m = int(parts[0]), int(parts[1])
            if m < 60 and (h < 24 or (h == 24 and m == 0)):
                return h * 60 + m
        raise _Malformed("is not a clock time HH:MM")
    return _whole(value, "is not a clock time HH:MM")


def _whole(value: Any, complaint: str) -> int:
    if isinstance(value, bool):
        raise _Malformed(complaint)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            raise _Malformed(complaint) from None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise _Malformed(complaint) from None
    if not math.isfinite(number) or number != int(number):
        raise _Malformed(complaint)
    return int(number)


def _days(value: Any) -> int | None:
    return None if _is_empty(value) else _whole(value, "is not a whole number of days")


_READERS = {
    "date": _date,
    "room_id": _text,
    "start": _minutes,
    "end": _minutes,
    "partner_id": _text,
    "delay_days": _days,
}


def _read_table(schedule: pd.DataFrame) -> _Table:
    """Read every row; a cell that cannot be read takes its row out of the rule checks."""
    table = _Table()
    missing = [c for c in COLUMNS if c not in schedule.columns]
    if missing:
        table.problems.append(
            Violation("format", None, f"the schedule has no column {', '.join(missing)}")
        )
        return table
    for record in schedule[list(COLUMNS)].to_dict("records"):
        case_id = _text(record["case_id"]) or ""
        status = _text(record["status"]) or ""
        table.ids.append(case_id)
        table.statuses.append(status)
        values: dict[str, Any] = {}
        bad: list[str] = []
        for column, reader in _READERS.items():
            try:
                values[column] = reader(record[column])
            except _Malformed as exc:
                bad.append(column)
                who = f"case {case_id}" if case_id else "a row without case id"
                table.problems.append(
                    Violation("format", case_id or None, f"{column} of {who} {exc}")
                )
        if bad:
            table.rows.append(None)
            continue
        table.rows.append(
            _Row(
                case_id=case_id,
                status=status,
                reason=_text(record["reason"]) or "",
                **values,
            )
        )
    return table


# -- the checker's own reading of the scenario ----------------------------


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge windows that touch or overlap: the contract counts them as one."""
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


@dataclass(frozen=True)
class _Facts:
    """Lookups the rules need, rebuilt from the scenario's raw fields only."""

    scenario: Scenario
    cases: dict[str, Case]
    rooms: dict[str, Room]
    sessions: dict[tuple[dt.date, str], Session]
    windows: dict[str, dict[dt.date, list[tuple[int, int]]]]
    capacity: dict[tuple[str, dt.date], int]
    fixed_equipment: frozenset[str]
    partner_capacity: dict[tuple[str, dt.date, str], int]

    @property
    def start_date(self) -> dt.date:
        return self.scenario.policy.start_date

    @property
    def end_date(self) -> dt.date:
        return self.scenario.policy.end_date

    def in_horizon(self, day: dt.date | None) -> bool:
        return day is not None and self.start_date <= day <= self.end_date

    def weight(self, case: Case) -> float:
        cls = self.scenario.policy.urgency.get(case.urgency)
        return cls.weight if cls is not None else 1.0

    def deadline(self, case: Case) -> dt.date | None:
        """Due date, else planned date (start date if waiting) + the class's maximum delay."""
        if case.due_date is not None:
            return case.due_date
        cls = self.scenario.policy.urgency.get(case.urgency)
        if cls is None or cls.max_delay_days is None:
            return None
        base = case.planned_date if case.planned_date is not None else self.start_date
        return base + dt.timedelta(days=cls.max_delay_days)


def _facts(scenario: Scenario) -> _Facts:
    raw_windows: dict[str, dict[dt.date, list[tuple[int, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for w in scenario.surgeon_windows:
        raw_windows[w.surgeon_id][w.date].append((w.start, w.end))
    capacity: dict[tuple[str, dt.date], int] = {}
    for r in scenario.resources:
        # Two rows for one resource and date is bad input; the stricter one is judged.
        key = (r.resource, r.date)
        capacity[key] = min(capacity.get(key, r.capacity), r.capacity)
    partner_capacity: dict[tuple[str, dt.date, str], int] = {}
    for p in scenario.partners:
        pkey = (p.partner_id, p.date, p.specialty)
        partner_capacity[pkey] = min(partner_capacity.get(pkey, p.capacity), p.capacity)
    return _Facts(
        scenario=scenario,
        cases={c.case_id: c for c in scenario.cases},
        rooms={r.room_id: r for r in scenario.rooms},
        sessions={(s.date, s.room_id): s for s in scenario.sessions},
        windows={
            sid: {d: _merge(spans) for d, spans in per_date.items()}
            for sid, per_date in raw_windows.items()
        },
        capacity=capacity,
        fixed_equipment=frozenset(e for r in scenario.rooms for e in r.equipment),
        partner_capacity=partner_capacity,
    )


@dataclass(frozen=True)
class _Placed:
    """An operated case with its true occupation ``[start, start + duration)``."""

    case: Case
    row: _Row
    date: dt.date
    room_id: str
    start: int

    @property
    def end(self) -> int:
        return self.start + self.case.duration_min

    @property
    def case_id(self) -> str:
        return self.case.case_id


@dataclass(frozen=True)
class _Plan:
    """The schedule as the rules see it: one readable row per known case."""

    facts: _Facts
    table: _Table
    rows: dict[str, _Row]

    @property
    def operated(self) -> list[_Placed]:
        """Operated rows complete enough to be placed in time (the status rule reports the rest)."""
        out = []
        for cid, row in self.rows.items():
            if row.status in OPERATED and None not in (row.date, row.room_id, row.start):
                assert row.date is not None and row.room_id is not None and row.start is not None
                out.append(_Placed(self.facts.cases[cid], row, row.date, row.room_id, row.start))
        return out

    @property
    def transferred(self) -> list[tuple[Case, _Row]]:
        return [
            (self.facts.cases[cid], row)
            for cid, row in self.rows.items()
            if row.status == "transferred"
        ]


def _plan(scenario: Scenario, schedule: pd.DataFrame) -> _Plan:
    facts = _facts(scenario)
    table = _read_table(schedule)
    rows: dict[str, _Row] = {}
    for row in table.rows:
        if row is None or row.case_id not in facts.cases or row.status not in STATUSES:
            continue
        rows.setdefault(row.case_id, row)  # a duplicate is reported by rule 1; the first is judged
    return _Plan(facts, table, rows)


def _hm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _ids(ids: Iterable[str]) -> str:
    return ", ".join(sorted(ids))


def _by_room_and_date(placed: list[_Placed]) -> dict[tuple[str, dt.date], list[_Placed]]:
    groups: dict[tuple[str, dt.date], list[_Placed]] = defaultdict(list)
    for p in placed:
        groups[p.room_id, p.date].append(p)
    return groups


# -- rule 1 -----------------------------------------------------------------


def _every_case_once(plan: _Plan) -> list[Violation]:
    """Rule 1: every input case exactly once, no unknown id, a known status."""
    out: list[Violation] = []
    seen = Counter(plan.table.ids)
    for cid in plan.facts.cases:
        if seen[cid] == 0:
            out.append(Violation("1", cid, f"case {cid} is missing from the schedule"))
        elif seen[cid] > 1:
            out.append(Violation("1", cid, f"case {cid} appears {seen[cid]} times"))
    for cid in sorted(set(seen) - set(plan.facts.cases)):
        if cid:
            out.append(Violation("1", cid, f"case {cid} is not a case of the scenario"))
        else:
            out.append(Violation("1", None, f"{seen[cid]} row(s) have no case id"))
    for cid, status in zip(plan.table.ids, plan.table.statuses, strict=True):
        if status not in STATUSES:
            out.append(
                Violation(
                    "1",
                    cid or None,
                    f"case {cid} has status {status!r}, not one of {', '.join(sorted(STATUSES))}",
                )
            )
    return out


# -- rule 2 -----------------------------------------------------------------


def _inside_sessions(plan: _Plan) -> list[Violation]:
    """Rule 2: inside the open session of its room, and turnover between consecutive cases."""
    out: list[Violation] = []
    turnover = plan.facts.scenario.policy.turnover_min
    for p in plan.operated:
        cid = p.case_id
        if p.row.end is not None and p.row.end != p.end:
            out.append(
                Violation(
                    "2",
                    cid,
                    f"case {cid} ends at {_hm(p.row.end)}, but starts at {_hm(p.start)} and "
                    f"lasts {p.case.duration_min} min",
                )
            )
        if p.room_id not in plan.facts.rooms:
            out.append(Violation("2", cid, f"case {cid} is in room {p.room_id}, which is no room"))
            continue
        session = plan.facts.sessions.get((p.date, p.room_id))
        if session is None:
            out.append(
                Violation("2", cid, f"case {cid} is in room {p.room_id}, closed on {p.date}")
            )
        elif p.start < session.start or p.end > session.end:
            out.append(
                Violation(
                    "2",
                    cid,
                    f"case {cid} ({_hm(p.start)}-{_hm(p.end)}) is outside the session of room "
                    f"{p.room_id} on {p.date} ({_hm(session.start)}-{_hm(session.end)})",
                )
            )
    for (room_id, day), group in _by_room_and_date(plan.operated).items():
        # Sweep by start, against the latest-ending case so far: catches nested cases too.
        group.sort(key=lambda p: (p.start, p.end, p.case_id))
        latest = group[0]
        for p in group[1:]:
            if p.start < latest.end + turnover:
                out.append(
                    Violation(
                        "2",
                        p.case_id,
                        f"cases {latest.case_id} and {p.case_id} in room {room_id} on {day} are "
                        f"less than the {turnover} min turnover apart",
                    )
                )
            if p.end > latest.end:
                latest = p
    return out


# -- rule 3 -----------------------------------------------------------------


def _surgeons_free(plan: _Plan) -> list[Violation]:
    """Rule 3: a surgeon operates one case at a time, inside their (merged) windows."""
    out: list[Violation] = []
    by_surgeon: dict[tuple[str, dt.date], list[_Placed]] = defaultdict(list)
    for p in plan.operated:
        by_surgeon[p.case.surgeon_id, p.date].append(p)
        windows = plan.facts.windows.get(p.case.surgeon_id)
        if windows is None:
            continue  # absent from surgeons.csv: free whenever a room is open
        spans = windows.get(p.date, [])
        if not any(a <= p.start and p.end <= b for a, b in spans):
            out.append(
                Violation(
                    "3",
                    p.case_id,
                    f"case {p.case_id} ({_hm(p.start)}-{_hm(p.end)} on {p.date}) is outside "
                    f"every window of surgeon {p.case.surgeon_id}",
                )
            )
    for (surgeon, day), group in by_surgeon.items():
        group.sort(key=lambda p: (p.start, p.end, p.case_id))
        latest = group[0]
        for p in group[1:]:
            if p.start < latest.end:
                out.append(
                    Violation(
                        "3",
                        p.case_id,
                        f"cases {latest.case_id} and {p.case_id} of surgeon {surgeon} overlap "
                        f"on {day}",
                    )
                )
            if p.end > latest.end:
                latest = p
    return out


# -- rule 4 -----------------------------------------------------------------


def _peak(placed: list[_Placed]) -> tuple[int, list[_Placed]]:
    """The largest number of cases running at one moment, and those cases.

    With half-open intervals the load only rises at a start, so the starts are
    the only moments to look at.
    """
    best: list[_Placed] = []
    for moment in sorted({p.start for p in placed}):
        running = [p for p in placed if p.start <= moment < p.end]
        if len(running) > len(best):
            best = running
    return len(best), best


def _room_fits_and_resources(plan: _Plan) -> list[Violation]:
    """Rule 4: specialty, fixed equipment, pools, anaesthetists and ICU beds."""
    out: list[Violation] = []
    facts = plan.facts
    users: dict[tuple[str, dt.date], list[_Placed]] = defaultdict(list)
    icu: dict[dt.date, list[_Placed]] = defaultdict(list)
    for p in plan.operated:
        cid, case = p.case_id, p.case
        room = facts.rooms.get(p.room_id)
        if room is not None:
            if room.specialties and case.specialty not in room.specialties:
                out.append(
                    Violation(
                        "4", cid, f"room {p.room_id} does not host the specialty of case {cid}"
                    )
                )
            lacking = [e for e in case.equipment if e in facts.fixed_equipment]
            lacking = [e for e in lacking if e not in room.equipment]
            if lacking:
                out.append(
                    Violation(
                        "4",
                        cid,
                        f"room {p.room_id} lacks {', '.join(lacking)}, needed by case {cid}",
                    )
                )
        session = facts.sessions.get((p.date, p.room_id))
        if session is not None and session.specialty and session.specialty != case.specialty:
            out.append(
                Violation(
                    "4",
                    cid,
                    f"the session of room {p.room_id} on {p.date} is reserved to another "
                    f"specialty than case {cid}'s",
                )
            )
        for name in case.equipment:
            if name not in facts.fixed_equipment:
                users[name, p.date].append(p)
        if case.anaesthesia != "local":
            users[ANAESTHETIST, p.date].append(p)
        if case.needs_icu:
            icu[p.date].append(p)
    for (name, day), group in sorted(users.items()):
        cap = facts.capacity.get((name, day))
        if cap is None:
            continue  # no row for that date: unlimited
        load, running = _peak(group)
        if load > cap:
            last = max(running, key=lambda p: (p.start, p.case_id))
            out.append(
                Violation(
                    "4",
                    last.case_id,
                    f"{load} cases need {name} at once on {day} "
                    f"({_ids(p.case_id for p in running)}), above its capacity {cap}",
                )
            )
    for day, group in sorted(icu.items()):
        cap = facts.capacity.get((ICU_BED, day))
        if cap is not None and len(group) > cap:
            out.append(
                Violation(
                    "4",
                    max(p.case_id for p in group),
                    f"{len(group)} cases need an ICU bed on {day} "
                    f"({_ids(p.case_id for p in group)}), above its capacity {cap}",
                )
            )
    return out


# -- rule 5 -----------------------------------------------------------------


def _release_and_pins(plan: _Plan) -> list[Violation]:
    """Rule 5: not before the planned or release date; a pinned case stays as planned."""
    out: list[Violation] = []
    for cid, row in plan.rows.items():
        case = plan.facts.cases[cid]
        if (row.status in OPERATED or row.status == "transferred") and row.date is not None:
            if case.planned_date is not None and row.date < case.planned_date:
                out.append(Violation("5", cid, f"case {cid} is dated before its planned date"))
            if case.release_date is not None and row.date < case.release_date:
                out.append(Violation("5", cid, f"case {cid} is dated before its release date"))
        if case.pinned and plan.facts.in_horizon(case.planned_date):
            as_planned = (
                row.status == "kept"
                and row.date == case.planned_date
                and row.room_id == case.planned_room
                and row.start == case.planned_start
            )
            if not as_planned:
                out.append(
                    Violation(
                        "5",
                        cid,
                        f"pinned case {cid} is not kept at its planned date, room and start",
                    )
                )
    return out


# -- rule 6 -----------------------------------------------------------------


def _sequencing(plan: _Plan) -> list[Violation]:
    """Rule 6: latex first, then paediatric, infectious last, pair by pair."""
    out: list[Violation] = []

    def before(a: _Placed, b: _Placed) -> bool:
        return a.end <= b.start

    for (room_id, day), group in _by_room_and_date(plan.operated).items():
        for a in group:
            for b in group:
                fa, fb = a.case.flags, b.case.flags
                where = f"in room {room_id} on {day}"
                if "latex_allergy" in fa and "latex_allergy" not in fb and not before(a, b):
                    out.append(
                        Violation(
                            "6",
                            a.case_id,
                            f"latex-allergy case {a.case_id} does not come before case "
                            f"{b.case_id} {where}",
                        )
                    )
                if (
                    "paediatric" in fa
                    and not {"latex_allergy", "paediatric"} & fb
                    and not before(a, b)
                ):
                    out.append(
                        Violation(
                            "6",
                            a.case_id,
                            f"paediatric case {a.case_id} does not come before case "
                            f"{b.case_id} {where}",
                        )
                    )
                if "infectious" in fa and "infectious" not in fb and not before(b, a):
                    out.append(
                        Violation(
                            "6",
                            a.case_id,
                            f"infectious case {a.case_id} does not come after case "
                            f"{b.case_id} {where}",
                        )
                    )
    return out


# -- rule 7 -----------------------------------------------------------------


def _transfers(plan: _Plan) -> list[Violation]:
    """Rule 7: a transferable case, to a partner that takes its specialty that date."""
    out: list[Violation] = []
    load: dict[tuple[str, dt.date, str], list[str]] = defaultdict(list)
    for case, row in plan.transferred:
        cid = case.case_id
        if not case.transferable:
            out.append(Violation("7", cid, f"case {cid} is transferred but not transferable"))
        if row.room_id is not None or row.start is not None or row.end is not None:
            out.append(Violation("7", cid, f"transferred case {cid} has a room, start or end here"))
        if row.partner_id is None or row.date is None:
            continue  # reported by the status rule
        key = (row.partner_id, row.date, case.specialty)
        if key not in plan.facts.partner_capacity:
            out.append(
                Violation(
                    "7",
                    cid,
                    f"partner {row.partner_id} takes no {case.specialty} case on {row.date} "
                    f"(case {cid})",
                )
            )
            continue
        load[key].append(cid)
    for (partner, day, specialty), ids in sorted(load.items()):
        cap = plan.facts.partner_capacity[partner, day, specialty]
        if len(ids) > cap:
            out.append(
                Violation(
                    "7",
                    max(ids),
                    f"partner {partner} gets {len(ids)} {specialty} cases on {day} "
                    f"({_ids(ids)}), above its capacity {cap}",
                )
            )
    return out


# -- rule 8 -----------------------------------------------------------------


def _missed(plan: _Plan) -> list[str]:
    """Cases whose deadline falls in the horizon and that are not operated or sent by then."""
    facts = plan.facts
    missed = []
    for cid, case in facts.cases.items():
        deadline = facts.deadline(case)
        if deadline is None or not facts.in_horizon(deadline):
            continue
        row = plan.rows.get(cid)
        done = (
            row is not None
            and (row.status in OPERATED or row.status == "transferred")
            and row.date is not None
            and row.date <= deadline
        )
        if not done:
            missed.append(cid)
    return missed


def deadline_misses(scenario: Scenario, schedule: pd.DataFrame) -> list[str]:
    """Case ids whose deadline falls inside the horizon and is not met.

    A deadline is the due date, else the planned date (the start date for a
    waiting case) plus the class's maximum delay. It is met when the case is
    operated or transferred on or before it; a missing or unscheduled case
    misses it.
    """
    return _missed(_plan(scenario, schedule))


def _deadlines(plan: _Plan, summary: Mapping[str, Any] | None) -> list[Violation]:
    """Rule 8: a miss is allowed, but it is counted and has a reason."""
    out: list[Violation] = []
    missed = _missed(plan)
    for cid in missed:
        row = plan.rows.get(cid)
        # Rows whose status needs a reason anyway are reported by the status rule.
        if row is not None and row.status not in NEEDS_REASON and not row.reason:
            out.append(Violation("8", cid, f"case {cid} misses its deadline without a reason"))
    if summary is not None:
        totals = summary.get("totals")
        if isinstance(totals, Mapping) and "deadline_misses" in totals:
            said = totals["deadline_misses"]
            if not _is_count(said) or said != len(missed):
                out.append(
                    Violation(
                        "8",
                        None,
                        f"the summary counts {said!r} deadline misses, the schedule has "
                        f"{len(missed)} ({_ids(missed)})",
                    )
                )
    return out


# -- horizon and status semantics ------------------------------------------


def _horizon(plan: _Plan) -> list[Violation]:
    """Nothing operated or sent outside the horizon; a case planned after it is unscheduled."""
    out: list[Violation] = []
    facts = plan.facts
    for cid, row in plan.rows.items():
        case = facts.cases[cid]
        if row.status != "unscheduled" and row.date is not None and not facts.in_horizon(row.date):
            out.append(
                Violation("horizon", cid, f"case {cid} is dated {row.date}, outside the horizon")
            )
        if (
            case.planned_date is not None
            and case.planned_date > facts.end_date
            and row.status != "unscheduled"
        ):
            out.append(
                Violation(
                    "horizon",
                    cid,
                    f"case {cid} is planned after the horizon but is {row.status}, not unscheduled",
                )
            )
    return out


def _status_semantics(plan: _Plan) -> list[Violation]:
    """What each status implies for the other columns of its row."""
    out: list[Violation] = []
    for cid, row in plan.rows.items():
        case = plan.facts.cases[cid]
        planned = case.planned_date

        def bad(message: str, cid: str = cid) -> None:
            out.append(Violation("status", cid, f"case {cid} {message}"))

        if row.status in OPERATED:
            empty = [
                c
                for c, v in (
                    ("date", row.date),
                    ("room_id", row.room_id),
                    ("start", row.start),
                    ("end", row.end),
                )
                if v is None
            ]
            if empty:
                bad(f"is {row.status} but has no {', '.join(empty)}")
            if row.partner_id is not None:
                bad(f"is {row.status} here but names a partner")
        if row.status == "kept" and (planned is None or row.date != planned):
            bad("is kept but not on its planned date")
        if row.status == "postponed" and (
            planned is None or row.date is None or row.date <= planned
        ):
            bad("is postponed but not to a date after its planned date")
        if row.status == "scheduled" and planned is not None:
            bad("is scheduled but was planned (kept or postponed expected)")
        if row.status == "transferred" and (row.partner_id is None or row.date is None):
            bad("is transferred without a partner and a date")
        if row.status == "unscheduled":
            given = [
                c
                for c, v in (
                    ("date", row.date),
                    ("room_id", row.room_id),
                    ("start", row.start),
                    ("end", row.end),
                    ("partner_id", row.partner_id),
                )
                if v is not None
            ]
            if given:
                bad(f"is unscheduled but has {', '.join(given)}")
        if row.status != "unscheduled":
            if planned is None and row.delay_days is not None:
                bad("is a waiting case but has a delay_days")
            if planned is not None and row.date is not None:
                expected = (row.date - planned).days
                if row.delay_days != expected:
                    bad(f"has delay_days {row.delay_days}, expected {expected}")
        if row.status in NEEDS_REASON and not row.reason:
            bad(f"is {row.status} without a reason")
    return out


# -- summary.json ---------------------------------------------------------


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _as_fraction(value: Any) -> Fraction | None:
    """The decimal a JSON number spells, exactly; None if it is not a finite number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


@dataclass(frozen=True)
class _DayCount:
    planned: int
    kept: int


def _day_counts(plan: _Plan) -> dict[dt.date, _DayCount]:
    """Planned and kept cases per horizon date that has planned cases."""
    planned: Counter[dt.date] = Counter()
    kept: Counter[dt.date] = Counter()
    for cid, case in plan.facts.cases.items():
        day = case.planned_date
        if day is None or not plan.facts.in_horizon(day):
            continue
        planned[day] += 1
        row = plan.rows.get(cid)
        if row is not None and row.status == "kept":
            kept[day] += 1
    return {d: _DayCount(planned[d], kept[d]) for d in sorted(planned)}


def _ratio_ok(said: Any, kept: int, planned: int) -> bool:
    value = _as_fraction(said)
    return value is not None and abs(value - Fraction(kept, planned)) <= RATIO_TOLERANCE


def _summary(plan: _Plan, summary: Mapping[str, Any]) -> list[Violation]:
    """summary.json agrees with a recomputation from the schedule."""
    out: list[Violation] = []

    def bad(message: str) -> None:
        out.append(Violation("summary", None, message))

    target = _as_fraction(summary.get("target_ratio"))
    if target is None or not 0 <= target <= 1:
        bad("target_ratio is missing or not a number between 0 and 1")
        # Judge target_met against the scenario's own target instead.
        target = Fraction(repr(plan.facts.scenario.policy.target_ratio))
    counts = _day_counts(plan)

    dates = summary.get("dates")
    if not isinstance(dates, list):
        bad("dates is missing or not a list")
        dates = []
    listed: set[dt.date] = set()
    for i, entry in enumerate(dates):
        if not isinstance(entry, Mapping):
            bad(f"dates[{i}] is not an object")
            continue
        try:
            day = dt.date.fromisoformat(str(entry.get("date")))
        except ValueError:
            bad(f"dates[{i}] has no date of the form YYYY-MM-DD")
            continue
        if day in listed:
            bad(f"{day} is listed twice in dates")
            continue
        listed.add(day)
        count = counts.get(day)
        if count is None:
            bad(f"{day} is listed in dates but has no planned case in the horizon")
            continue
        for key, expected in (("planned", count.planned), ("kept", count.kept)):
            if not _is_count(entry.get(key)) or entry.get(key) != expected:
                bad(f"{day}: {key} is {entry.get(key)!r}, expected {expected}")
        if not _ratio_ok(entry.get("ratio"), count.kept, count.planned):
            bad(f"{day}: ratio is {entry.get('ratio')!r}, expected {count.kept}/{count.planned}")
        met = Fraction(count.kept, count.planned) >= target
        if entry.get("target_met") is not met:
            bad(f"{day}: target_met is {entry.get('target_met')!r}, expected {met}")
    for day in sorted(set(counts) - listed):
        bad(f"{day} has planned cases but is missing from dates")

    totals = summary.get("totals")
    if not isinstance(totals, Mapping):
        bad("totals is missing or not an object")
    else:
        planned = sum(c.planned for c in counts.values())
        kept = sum(c.kept for c in counts.values())
        statuses = Counter(plan.table.statuses)
        expected_counts = {
            "planned": planned,
            "kept": kept,
            "postponed": statuses["postponed"],
            "transferred": statuses["transferred"],
            "unscheduled": statuses["unscheduled"],
        }
        for key, expected in expected_counts.items():
            if not _is_count(totals.get(key)) or totals.get(key) != expected:
                bad(f"totals.{key} is {totals.get(key)!r}, expected {expected}")
        if "ratio" not in totals:
            bad("totals.ratio is missing")
        elif planned == 0:
            if totals["ratio"] is not None:
                bad(f"totals.ratio is {totals['ratio']!r}, expected null (nothing planned)")
        elif not _ratio_ok(totals["ratio"], kept, planned):
            bad(f"totals.ratio is {totals['ratio']!r}, expected {kept}/{planned}")
        if "deadline_misses" not in totals:
            bad("totals.deadline_misses is missing")  # its value is judged by rule 8

    solver = summary.get("solver")
    if not isinstance(solver, Mapping):
        bad("solver is missing or not an object")
    else:
        for key in ("status", "objective", "best_bound", "wall_time_s"):
            if key not in solver:
                bad(f"solver.{key} is missing")
    return out


# -- entry points -----------------------------------------------------------


def check_schedule(
    scenario: Scenario, schedule: pd.DataFrame, summary: Mapping[str, Any] | None = None
) -> list[Violation]:
    """Every violation of the contract's rules by a revised schedule (empty when it complies).

    Parameters
    ----------
    scenario
        The scenario the schedule was made for.
    schedule
        One row per case with the contract's columns; cells may be text (as
        read by :func:`read_schedule_csv`) or Python values (dates, ``None``
        or NaN for empty, ints).
    summary
        The parsed ``summary.json``; when given, it is checked against a
        recomputation from the schedule.
    """
    plan = _plan(scenario, schedule)
    if any(v.rule == "format" and v.case_id is None for v in plan.table.problems):
        return list(plan.table.problems)  # no usable columns: nothing else can be judged
    given = summary if isinstance(summary, Mapping) else None
    out = list(plan.table.problems)
    out += _every_case_once(plan)
    out += _inside_sessions(plan)
    out += _surgeons_free(plan)
    out += _room_fits_and_resources(plan)
    out += _release_and_pins(plan)
    out += _sequencing(plan)
    out += _transfers(plan)
    out += _deadlines(plan, given)
    out += _horizon(plan)
    out += _status_semantics(plan)
    if given is not None:
        out += _summary(plan, given)
    elif summary is not None:
        out.append(Violation("summary", None, "the summary is not a JSON object"))
    return out


def check_result_folder(scenario: Scenario, folder: str | Path) -> list[Violation]:
    """Check ``schedule.csv`` and ``summary.json`` of a result folder."""
    folder = Path(folder)
    path = folder / "schedule.csv"
    if not path.is_file():
        return [Violation("format", None, f"{path} does not exist")]
    try:
        schedule = read_schedule_csv(path)
    except (UnicodeDecodeError, csv.Error) as exc:
        return [Violation("format", None, f"{path} cannot be read as UTF-8 CSV: {exc}")]
    summary_path = folder / "summary.json"
    problems: list[Violation] = []
    summary: Any = None
    try:
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(Violation("summary", None, f"{summary_path} does not exist"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(Violation("summary", None, f"{summary_path} is not valid JSON: {exc}"))
    if summary is not None and not isinstance(summary, dict):
        problems.append(Violation("summary", None, f"{summary_path} is not a JSON object"))
        summary = None
    return problems + check_schedule(scenario, schedule, summary)


# -- objective levels -------------------------------------------------------


def _rank(scenario: Scenario) -> list[str]:
    """Class names, most urgent first: smaller delay, no deadline last, larger weight, name."""
    classes = scenario.policy.urgency.values()
    return [
        c.name
        for c in sorted(
            classes,
            key=lambda c: (
                c.max_delay_days is None,
                c.max_delay_days if c.max_delay_days is not None else 0,
                -c.weight,
                c.name,
            ),
        )
    ]


def _default_transfer_cost(scenario: Scenario) -> float:
    """More than any postponement a deadline allows: 1 + max(weight * max delay)."""
    costs = [
        c.weight * c.max_delay_days
        for c in scenario.policy.urgency.values()
        if c.max_delay_days is not None
    ]
    return 1.0 + max(costs) if costs else 1.0


def evaluate(scenario: Scenario, schedule: pd.DataFrame) -> dict[str, Any]:
    """Recompute the objective levels and KPIs of a schedule.

    A case missing from the schedule, or whose row cannot be read, counts as
    unscheduled; a duplicate row counts once (the first).

    Returns
    -------
    dict
        ``misses_by_class`` (most urgent class first), ``deadline_misses``,
        ``shortfall`` (cases short of the target, summed over dates),
        ``kept``, ``kept_weighted``, ``weighted_delay``, ``moved``,
        ``shift_min``.
    """
    plan = _plan(scenario, schedule)
    facts = plan.facts
    policy = scenario.policy
    missed = _missed(plan)
    by_class = Counter(facts.cases[cid].urgency for cid in missed)

    target = Fraction(repr(policy.target_ratio))
    shortfall = 0
    for count in _day_counts(plan).values():
        need = math.ceil(target * count.planned)  # smallest k with k / planned >= target
        shortfall += max(0, need - count.kept)

    kept = moved = shift = 0
    kept_weighted = weighted_delay = 0.0
    default_transfer = _default_transfer_cost(scenario)
    for cid, case in facts.cases.items():
        if case.planned_date is not None and case.planned_date > facts.end_date:
            continue  # outside this run
        row = plan.rows.get(cid)
        status = row.status if row is not None else "unscheduled"
        base = case.planned_date if case.planned_date is not None else facts.start_date
        weight = facts.weight(case)
        if row is not None and status in OPERATED and row.date is not None:
            weighted_delay += weight * (row.date - base).days
        elif status == "transferred":
            cost = policy.urgency[case.urgency].transfer_cost
            weighted_delay += cost if cost is not None else default_transfer
        else:
            weighted_delay += weight * ((facts.end_date - base).days + 1)
        if row is not None and status == "kept" and facts.in_horizon(case.planned_date):
            kept += 1
            kept_weighted += weight
            off_room = case.planned_room is not None and row.room_id != case.planned_room
            off_start = case.planned_start is not None and row.start != case.planned_start
            moved += off_room or off_start
            if case.planned_start is not None and row.start is not None:
                shift += abs(row.start - case.planned_start)
    return {
        "misses_by_class": [by_class[name] for name in _rank(scenario)],
        "deadline_misses": len(missed),
        "shortfall": shortfall,
        "kept": kept,
        "kept_weighted": kept_weighted,
        "weighted_delay": weighted_delay,
        "moved": moved,
        "shift_min": shift,
    }

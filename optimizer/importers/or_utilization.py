"""Import a real OR suite's booked schedule ("Optimizing Operating Room Utilization").

The data set (J. Falk, CC BY 4.0) holds a quarter of one suite's cases: date,
room, service, booked minutes, scheduled start, and what really happened
(wheels in/out). It is a real plan, so it is kept as the planned schedule:
booked minutes are the case duration and the scheduled start its planned
start. It has no sessions, turnover, surgeons or urgency: those are
synthesised, as ``docs/importers.md`` explains, so that the plan obeys the
contract at full capacity and no synthesised constraint binds by accident.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..scenario import Case, Policy, Problem, Room, Scenario, ScenarioError, Session
from ..scenario.limits import (
    MAX_DURATION_MIN,
    MAX_HORIZON_DAYS,
    MIN_DURATION_MIN,
)
from ..scenario.reading import delimiter_of
from ._common import read_text
from .dates import DateOrder, date_order_of, parse_date

COLUMNS = ("Encounter ID", "Date", "OR Suite", "Service", "Booked Time (min)", "OR Schedule")
TIME_FORMATS = ("%H:%M",)
# A French Excel's "CSV" is split on ';', a spreadsheet's "text" on tabs; ',' wins ties.
SEPARATORS = (",", ";", "\t")
DAY_OPEN = 7 * 60  # sessions open at 07:00 ...
DAY_CLOSE = 17 * 60  # ... and close at 17:00, or later when a booked case ends later
# The turnover is the gap that this share of consecutive booked pairs respects.
TURNOVER_QUANTILE = 0.05
# Synthesised urgency: cumulative shares of each class, most urgent first.
URGENCY_MIX = (("P1b", 0.03), ("P2", 0.15), ("P3", 0.55), ("P4", 1.0))


@dataclass(frozen=True)
class BookedCase:
    """One row of the file: a case as booked."""

    case_id: str
    date: dt.date
    suite: str
    service: str
    booked_min: int
    booked_start: int
    row: int

    @property
    def room_id(self) -> str:
        return f"OR{self.suite}"

    @property
    def booked_end(self) -> int:
        return self.booked_start + self.booked_min


@dataclass(frozen=True)
class RoomDayPlan:
    """The booked cases of one room on one date, packed to respect the turnover."""

    date: dt.date
    room_id: str
    starts: tuple[tuple[BookedCase, int], ...]

    @property
    def shifted(self) -> int:
        return sum(1 for c, start in self.starts if start != c.booked_start)


def _parse_datetime(text: str, order: DateOrder) -> dt.datetime:
    parts = text.split()
    shape = f"{'day/month' if order == 'day-first' else 'month/day'}/year H:MM"
    if len(parts) != 2:
        raise ValueError(f"{text!r} is not a date and time ({shape})")
    day = parse_date(parts[0], order)
    for fmt in TIME_FORMATS:
        try:
            clock = dt.datetime.strptime(parts[1], fmt).time()
        except ValueError:
            continue
        return dt.datetime.combine(day, clock)
    raise ValueError(f"{text!r} is not a date and time ({shape})")


def read_or_utilization(path: str | Path, date_order: DateOrder | None = None) -> list[BookedCase]:
    """Read and check the booked cases of the file.

    The order of its slashed dates is the one its dates can only be read in
    (a day above 12), else ``date_order``; see :func:`.dates.date_order_of`.

    Raises
    ------
    ScenarioError
        Every problem found, each with the row a spreadsheet shows and the column.
    """
    file = str(path)
    problems: list[Problem] = []
    cases: list[BookedCase] = []
    first_row: dict[str, int] = {}
    filled: list[tuple[int, dict[str, str]]] = []
    # csv.reader, not DictReader: DictReader skips blank lines, so the rows after
    # one would be named a row too early. Here each record is one spreadsheet row.
    text = read_text(path, windows_1252=True)
    separator = delimiter_of(text, set(COLUMNS), SEPARATORS)
    records = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    row = 0
    try:
        header = [h.strip() for h in next(records, [])]
        row = 1
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise ScenarioError(
                [
                    Problem(file, 1, c, "this required column is missing from the header")
                    for c in missing
                ]  # fmt: skip
            )
        index = {c: header.index(c) for c in COLUMNS}
        for rec in records:
            row += 1
            if not any(cell.strip() for cell in rec):
                continue  # a blank row, or a spreadsheet's empty row saved as separators
            filled.append(
                (row, {c: rec[j].strip() if j < len(rec) else "" for c, j in index.items()})
            )
    except csv.Error as exc:
        problems.append(Problem(file, row + 1, None, f"the row is not valid CSV ({exc})"))
    dates = (
        (r, column, next(iter(cells[column].split()), ""))
        for r, cells in filled
        for column in ("Date", "OR Schedule")
    )
    order = date_order_of(file, dates, date_order)
    for r, cells in filled:
        _read_row(file, r, cells, problems, cases, first_row, order)
    if not cases and not problems:
        problems.append(Problem(file, None, None, "the file has no case"))
    if problems:
        raise ScenarioError(problems)
    return cases


def _read_row(
    file: str,
    row: int,
    cells: dict[str, str],
    problems: list[Problem],
    cases: list[BookedCase],
    first_row: dict[str, int],
    order: DateOrder,
) -> None:
    """Check one row's cells: its case appended to ``cases``, or its problems to ``problems``."""
    bad = len(problems)

    def fail(column: str, message: str) -> None:
        problems.append(Problem(file, row, column, message))

    for column in COLUMNS:
        if not cells.get(column):
            fail(column, "this cell is empty")
    if len(problems) > bad:
        return
    case_id = cells["Encounter ID"]
    if case_id in first_row:
        fail("Encounter ID", f"encounter {case_id} is already on row {first_row[case_id]}")
    first_row.setdefault(case_id, row)
    service = cells["Service"]
    if ";" in service:
        fail("Service", f"{service!r}: a service name cannot contain ';'")
    try:
        date = parse_date(cells["Date"], order)
    except ValueError as exc:
        fail("Date", str(exc))
    try:
        booked = int(cells["Booked Time (min)"])
        if not MIN_DURATION_MIN <= booked <= MAX_DURATION_MIN:
            fail(
                "Booked Time (min)",
                f"{booked} is outside {MIN_DURATION_MIN}..{MAX_DURATION_MIN} minutes",
            )
    except ValueError:
        fail("Booked Time (min)", f"{cells['Booked Time (min)']!r} is not whole minutes")
    try:
        scheduled = _parse_datetime(cells["OR Schedule"], order)
    except ValueError as exc:
        fail("OR Schedule", str(exc))
    if len(problems) > bad:
        return
    if scheduled.date() != date:
        fail("OR Schedule", f"the scheduled start is on {scheduled.date()}, not on {date}")
        return
    start = scheduled.hour * 60 + scheduled.minute
    if start + booked > 1440:
        fail("Booked Time (min)", "the booked case would end after midnight")
        return
    cases.append(BookedCase(case_id, date, cells["OR Suite"], service, booked, start, row))


def _check_horizon(path: str | Path, booked: Sequence[BookedCase]) -> None:
    """Refuse dates that span more than one run's horizon, naming the first and last rows.

    The scenario loader refuses such a horizon; the folder written would not load.
    """
    first = min(booked, key=lambda c: (c.date, c.row))
    last = max(booked, key=lambda c: (c.date, -c.row))
    days = (last.date - first.date).days + 1
    if days > MAX_HORIZON_DAYS:
        message = (
            f"the dates run from {first.date} (row {first.row}) to {last.date} "
            f"(row {last.row}): {days} days, over the limit of one run (at most "
            f"{MAX_HORIZON_DAYS}); import a part with --weeks N (N at most "
            f"{MAX_HORIZON_DAYS // 7}), or correct a mistyped date"
        )
        raise ScenarioError([Problem(str(path), last.row, "Date", message)])


def _by_room_day(cases: Iterable[BookedCase]) -> dict[tuple[dt.date, str], list[BookedCase]]:
    groups: dict[tuple[dt.date, str], list[BookedCase]] = defaultdict(list)
    for c in cases:
        groups[c.date, c.room_id].append(c)
    for group in groups.values():
        group.sort(key=lambda c: (c.booked_start, c.booked_end, c.case_id))
    return dict(groups)


def booked_gaps(cases: Iterable[BookedCase]) -> list[int]:
    """Minutes from each booked end to the next booked start in the same room and date."""
    return [
        b.booked_start - a.booked_end
        for group in _by_room_day(cases).values()
        for a, b in zip(group, group[1:], strict=False)
    ]


def booked_turnover(gaps: Sequence[int]) -> int:
    """The turnover the booked plan keeps: the 5 % quantile of the gaps, in whole 5 minutes.

    A suite books its cases a fixed cleaning time apart; the few pairs booked
    tighter (or overlapping) are exceptions that are shifted, not the rule.
    Without any pair of cases to learn from, the contract's default applies.
    """
    if not gaps:
        return Policy.model_fields["turnover_min"].default  # type: ignore[no-any-return]
    quantile = sorted(gaps)[int(TURNOVER_QUANTILE * len(gaps))]
    return max(0, quantile // 5 * 5)


def pack(cases: Iterable[BookedCase], turnover_min: int) -> list[RoomDayPlan]:
    """Each room-date's cases in booked order, each moved later just enough for the turnover."""
    plans = []
    for (date, room_id), group in sorted(_by_room_day(cases).items()):
        starts: list[tuple[BookedCase, int]] = []
        free = 0
        for c in group:
            start = max(c.booked_start, free)
            starts.append((c, start))
            free = start + c.booked_min + turnover_min
        plans.append(RoomDayPlan(date, room_id, tuple(starts)))
    return plans


def urgency_of(case_id: str, seed: int) -> str:
    """A synthesised urgency class: mostly elective (P3/P4), some P2 and P1b.

    Drawn from the case id and seed alone, so a case keeps its class whatever
    part of the file (``weeks``) is imported.
    """
    u = random.Random(f"{seed}:{case_id}").random()
    return next(name for name, share in URGENCY_MIX if u < share)


def surgeon_of(c: BookedCase) -> str:
    """One synthesised surgeon per service, room and date: never busy in two places."""
    return f"{c.service}-{c.room_id}-{c.date.isoformat()}"


def import_or_utilization(
    path: str | Path,
    *,
    seed: int = 0,
    weeks: int | None = None,
    date_order: DateOrder | None = None,
) -> Scenario:
    """Build a scenario from the OR-utilization CSV, its booked schedule as the plan.

    Parameters
    ----------
    path
        The CSV file (``2022_Q1_OR_Utilization.csv`` or one with the same columns).
    seed
        Draws the synthesised urgency classes.
    weeks
        Keep only the cases of the first ``weeks`` weeks (7 calendar days each,
        from the file's first date); ``None`` keeps all.
    date_order
        ``"day-first"`` or ``"month-first"``: how to read slashed dates when no
        date of the file tells (every one could be either, as ``03/04/2022``).
        ``None`` (the default) refuses such a file rather than guess.

    Raises
    ------
    ScenarioError
        The file is missing, a column is missing, a cell cannot be read, or the
        order of its dates is not known.
    """
    if weeks is not None and weeks < 1:
        raise ValueError(f"weeks must be at least 1, not {weeks}")
    booked = read_or_utilization(path, date_order)
    left_out: list[BookedCase] = []
    if weeks is not None:
        first = min(c.date for c in booked)
        # Days after the first date, not a cutoff date: a huge ``weeks`` keeps all.
        left_out = [c for c in booked if (c.date - first).days >= 7 * weeks]
        booked = [c for c in booked if (c.date - first).days < 7 * weeks]
    _check_horizon(path, booked)

    gaps = booked_gaps(booked)
    turnover = booked_turnover(gaps)
    plans = pack(booked, turnover)

    cases: list[tuple[int, Case]] = []
    sessions: list[Session] = []
    for plan in plans:
        first_start = min(start for _, start in plan.starts)
        last_end = max(start + c.booked_min for c, start in plan.starts)
        sessions.append(
            Session(
                date=plan.date,
                room_id=plan.room_id,
                start=min(DAY_OPEN, first_start // 60 * 60),
                end=min(1440, max(DAY_CLOSE, -(-last_end // 60) * 60)),
            )
        )
        for c, start in plan.starts:
            if start + c.booked_min > 1440:
                raise ScenarioError(
                    [
                        Problem(
                            str(path),
                            c.row,
                            "OR Schedule",
                            f"after moving it {turnover} min after the case before it in "
                            f"room {c.room_id}, encounter {c.case_id} would end after midnight",
                        )
                    ]
                )
            cases.append(
                (
                    c.row,
                    Case(
                        case_id=c.case_id,
                        specialty=c.service,
                        surgeon_id=surgeon_of(c),
                        duration_min=c.booked_min,
                        urgency=urgency_of(c.case_id, seed),
                        planned_date=c.date,
                        planned_room=c.room_id,
                        planned_start=start,
                    ),
                )
            )
    cases.sort(key=lambda rc: rc[0])  # file order

    services: dict[str, set[str]] = defaultdict(set)
    for c in booked:
        services[c.room_id].add(c.service)
    rooms = [
        Room(room_id=rid, specialties=frozenset(services[rid]))
        for rid in sorted(services, key=lambda r: (len(r), r))
    ]
    shifted = sum(p.shifted for p in plans)
    tight = sum(1 for g in gaps if g < turnover)
    warnings = [
        f"turnover set to {turnover} min, the gap kept by {len(gaps) - tight} of {len(gaps)} "
        f"consecutive booked pairs; {shifted} booked start(s) moved later to respect it"
    ]
    if left_out:
        warnings.append(
            f"{len(left_out)} of {len(booked) + len(left_out)} cases left out, booked from "
            f"{min(c.date for c in left_out)} on: after the first {weeks} week(s) (--weeks {weeks})"
        )
    dates = sorted({c.date for c in booked})
    return Scenario(
        cases=tuple(c for _, c in cases),
        rooms=tuple(rooms),
        sessions=tuple(sessions),
        policy=Policy(start_date=dates[0], end_date=dates[-1], turnover_min=turnover),
        name=f"or-utilization-{Path(path).stem}" + (f"-{weeks}w" if weeks else ""),
        warnings=tuple(warnings),
    )

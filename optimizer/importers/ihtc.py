"""Import the surgical part of an IHTC-2024 instance as a scenario.

The Integrated Healthcare Timetabling Competition 2024 (Ceschia, Rosati,
Schaerf, Smet, Vanden Berghe, Zanazzo) publishes instances with patients to
admit and operate, surgeons with a daily operating-time limit and operating
theatres with daily opening minutes. An instance is a planning problem, not a
plan: it has no schedule to disrupt. This importer maps it to our scenario and
synthesises a plan with a deterministic first-fit, so that the rescheduler can
be tried on a public workload nobody on the team made up.

The mapping, and every approximation, is written down in ``docs/importers.md``.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..scenario import (
    Case,
    Policy,
    Problem,
    Room,
    Scenario,
    ScenarioError,
    Session,
    SurgeonWindow,
)
from ..scenario.limits import MAX_DATE, MAX_DURATION_MIN, MIN_DATE, MIN_DURATION_MIN
from ._common import read_text

DEFAULT_START_DATE = dt.date(2024, 4, 15)
DAY_START = 8 * 60  # theatres and surgeons start at 08:00
SPECIALTY = "surgery"  # IHTC has no specialties: every theatre takes every patient
OPTIONAL_CLASS = "P4"  # no deadline, like an IHTC optional patient
TURNOVER_MIN = 0  # IHTC has no cleaning time between surgeries
MAX_DAYS = 400
MAX_DAY_MIN = 24 * 60 - DAY_START


@dataclass(frozen=True)
class IhtcPatient:
    """The surgical part of an IHTC patient."""

    patient_id: str
    mandatory: bool
    release_day: int
    due_day: int | None
    duration_min: int
    surgeon_id: str


@dataclass(frozen=True)
class IhtcInstance:
    """The surgical part of an IHTC instance, checked: days are indices 0..days-1."""

    days: int
    patients: tuple[IhtcPatient, ...]
    surgeon_minutes: dict[str, tuple[int, ...]]
    theatre_minutes: dict[str, tuple[int, ...]]


@dataclass(frozen=True)
class Placement:
    day: int
    theatre_id: str
    start: int


def urgency_of(patient: IhtcPatient) -> str:
    """The urgency class of a patient, by how long they may wait once ready.

    A mandatory patient's real deadline is its ``due_date``, which overrides the
    class's maximum delay; the class only ranks and weighs it against others.
    """
    if not patient.mandatory or patient.due_day is None:
        return OPTIONAL_CLASS
    window = patient.due_day - patient.release_day
    if window <= 3:
        return "P1b"
    if window <= 28:
        return "P2"
    return "P3"


def read_ihtc(path: str | Path) -> IhtcInstance:
    """Read and check the surgical part of an IHTC instance file.

    Raises
    ------
    ScenarioError
        Every problem found: the file is missing, not JSON, or a key is missing
        or wrong. The column names the JSON path, e.g. ``patients[3].surgeon_id``.
    """
    file = str(path)
    text = read_text(path)
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScenarioError(
            [Problem(file, exc.lineno, None, f"not valid JSON: {exc.msg} (column {exc.colno})")]
        ) from None
    except RecursionError:
        raise ScenarioError([Problem(file, None, None, "the JSON is nested too deeply")]) from None
    return _Reader(file).instance(raw)


class _Reader:
    """Checks the JSON, collecting every problem instead of stopping at the first."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def error(self, where: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, None, where, message))

    def integer(self, obj: dict[str, Any], key: str, where: str, lo: int, hi: int) -> int | None:
        path = f"{where}.{key}" if where else key
        if key not in obj:
            self.error(path, "this key is missing")
            return None
        value = obj[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(path, f"{value!r} is not a whole number")
            return None
        if not lo <= value <= hi:
            self.error(path, f"{value} is outside {lo}..{hi}")
            return None
        return value

    def text(self, obj: dict[str, Any], key: str, where: str) -> str | None:
        path = f"{where}.{key}"
        value = obj.get(key)
        if key not in obj:
            self.error(path, "this key is missing")
        elif not isinstance(value, str) or not value.strip():
            self.error(path, f"{value!r} is not a non-empty text")
        else:
            return value.strip()
        return None

    def objects(self, raw: dict[str, Any], key: str) -> list[tuple[str, dict[str, Any]]]:
        items = raw.get(key)
        if key not in raw:
            self.error(key, "this key is missing")
            return []
        if not isinstance(items, list):
            self.error(key, "this is not a list")
            return []
        out: list[tuple[str, dict[str, Any]]] = []
        for i, item in enumerate(items):
            if isinstance(item, dict):
                out.append((f"{key}[{i}]", item))
            else:
                self.error(f"{key}[{i}]", "this is not an object")
        return out

    def per_day(
        self, obj: dict[str, Any], key: str, where: str, days: int | None
    ) -> tuple[int, ...] | None:
        path = f"{where}.{key}"
        values = obj.get(key)
        if key not in obj:
            self.error(path, "this key is missing")
            return None
        if not isinstance(values, list) or any(
            isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= MAX_DAY_MIN
            for v in values
        ):
            self.error(
                path,
                f"this is not a list of minutes (whole numbers 0..{MAX_DAY_MIN}: "
                "the day starts at 08:00 and ends at midnight)",
            )
            return None
        if days is not None and len(values) != days:
            self.error(path, f"has {len(values)} values, one per day was expected ({days})")
            return None
        return tuple(values)

    def minutes_by_id(
        self, raw: Any, key: str, minutes: str, what: str, days: int | None
    ) -> dict[str, tuple[int, ...]]:
        """The objects of ``raw[key]`` (surgeons, theatres): their minutes per day, by id;
        an id listed twice is an error."""
        out: dict[str, tuple[int, ...]] = {}
        for where, obj in self.objects(raw, key):
            oid = self.text(obj, "id", where)
            per_day = self.per_day(obj, minutes, where, days)
            if oid is not None and oid in out:
                self.error(f"{where}.id", f"{what} {oid} is listed twice")
            elif oid is not None and per_day is not None:
                out[oid] = per_day
        return out

    def instance(self, raw: Any) -> IhtcInstance:
        if not isinstance(raw, dict):
            raise ScenarioError([Problem(self.file, None, None, "the file is not a JSON object")])
        days = self.integer(raw, "days", "", 1, MAX_DAYS)

        surgeons = self.minutes_by_id(raw, "surgeons", "max_surgery_time", "surgeon", days)
        theatres = self.minutes_by_id(
            raw, "operating_theaters", "availability", "operating theater", days
        )

        last_day = (days or MAX_DAYS) - 1
        patients: list[IhtcPatient] = []
        seen: set[str] = set()
        for where, p in self.objects(raw, "patients"):
            pid = self.text(p, "id", where)
            mandatory = p.get("mandatory")
            if not isinstance(mandatory, bool):
                self.error(f"{where}.mandatory", f"{mandatory!r} is not true or false")
            release = self.integer(p, "surgery_release_day", where, 0, last_day)
            due = None
            if mandatory is True:
                due = self.integer(p, "surgery_due_day", where, 0, last_day)
                if due is not None and release is not None and due < release:
                    self.error(
                        f"{where}.surgery_due_day",
                        f"the due day {due} is before the release day {release}",
                    )
                    due = None
            duration = self.integer(
                p, "surgery_duration", where, MIN_DURATION_MIN, MAX_DURATION_MIN
            )
            sid = self.text(p, "surgeon_id", where)
            if sid is not None and "surgeons" in raw and sid not in surgeons:
                self.error(f"{where}.surgeon_id", f"surgeon {sid} is not listed in surgeons")
            if pid is not None and pid in seen:
                self.error(f"{where}.id", f"patient {pid} is listed twice")
            if pid is not None:
                seen.add(pid)
            if (
                pid is None
                or not isinstance(mandatory, bool)
                or release is None
                or (mandatory and due is None)
                or duration is None
                or sid is None
            ):
                continue
            patients.append(IhtcPatient(pid, mandatory, release, due, duration, sid))

        if days is not None and "operating_theaters" in raw and not theatres and not self.problems:
            self.error("operating_theaters", "the instance has no operating theater")
        if self.problems:
            raise ScenarioError(self.problems)
        assert days is not None
        return IhtcInstance(days, tuple(patients), surgeons, theatres)


def first_fit(
    instance: IhtcInstance, order: Sequence[IhtcPatient], *, turnover_min: int = TURNOVER_MIN
) -> dict[str, Placement]:
    """Place patients one by one at the earliest day, theatre and time they fit.

    A patient goes on its release day or later (by its due day if mandatory),
    in a theatre open that day, after the theatre's last case plus turnover and
    after its surgeon's last case, ending within the theatre's opening and the
    surgeon's window. Patients that fit nowhere are left out (waiting list).
    """
    room_free: dict[tuple[int, str], int] = {}
    surgeon_free: dict[tuple[int, str], int] = {}
    placed: dict[str, Placement] = {}
    for p in order:
        last = p.due_day if p.due_day is not None else instance.days - 1
        spot = _first_spot(instance, p, last, room_free, surgeon_free)
        if spot is None:
            continue
        day, tid, start = spot
        end = start + p.duration_min
        room_free[day, tid] = end + turnover_min
        surgeon_free[day, p.surgeon_id] = end
        placed[p.patient_id] = Placement(day, tid, start)
    return placed


def _first_spot(
    instance: IhtcInstance,
    p: IhtcPatient,
    last_day: int,
    room_free: dict[tuple[int, str], int],
    surgeon_free: dict[tuple[int, str], int],
) -> tuple[int, str, int] | None:
    for day in range(p.release_day, min(last_day, instance.days - 1) + 1):
        surgeon_end = DAY_START + instance.surgeon_minutes[p.surgeon_id][day]
        for tid, minutes in instance.theatre_minutes.items():
            if minutes[day] == 0:
                continue
            start = max(
                DAY_START,
                room_free.get((day, tid), DAY_START),
                surgeon_free.get((day, p.surgeon_id), DAY_START),
            )
            end = start + p.duration_min
            if end <= DAY_START + minutes[day] and end <= surgeon_end:
                return day, tid, start
    return None


def planning_order(patients: Sequence[IhtcPatient], seed: int) -> list[IhtcPatient]:
    """Mandatory patients first, by due day then release day; then optional by release day.

    The seed breaks ties, so that different seeds give different but
    reproducible plans of the same instance.
    """
    rng = random.Random(seed)
    tiebreak = {p.patient_id: rng.random() for p in patients}
    return sorted(
        patients,
        key=lambda p: (
            not p.mandatory,
            p.due_day if p.due_day is not None else 0,
            p.release_day,
            tiebreak[p.patient_id],
        ),
    )


def import_ihtc(
    path: str | Path, *, start_date: dt.date = DEFAULT_START_DATE, seed: int = 0
) -> Scenario:
    """Build a scenario from an IHTC-2024 instance file, with a synthesised plan.

    Parameters
    ----------
    path
        The instance (``.json``).
    start_date
        The calendar date of IHTC day 0; day ``d`` is ``start_date + d``.
    seed
        Breaks ties in the first-fit order of the synthesised plan.

    Raises
    ------
    ScenarioError
        The file is missing, not JSON, or misses a key the surgical part needs.
    """
    inst = read_ihtc(path)
    # The loader refuses dates outside these years: the folder written would not load.
    if start_date < MIN_DATE or (MAX_DATE - start_date).days < inst.days - 1:
        raise ScenarioError(
            [
                Problem(
                    str(path),
                    None,
                    "days",
                    f"{inst.days} days from {start_date} run outside the years "
                    f"{MIN_DATE.year} to {MAX_DATE.year}: give an earlier start date",
                )
            ]
        )
    dates = [start_date + dt.timedelta(days=d) for d in range(inst.days)]
    placed = first_fit(inst, planning_order(inst.patients, seed), turnover_min=TURNOVER_MIN)

    cases = []
    for p in inst.patients:
        spot = placed.get(p.patient_id)
        cases.append(
            Case(
                case_id=p.patient_id,
                specialty=SPECIALTY,
                surgeon_id=p.surgeon_id,
                duration_min=p.duration_min,
                urgency=urgency_of(p),
                planned_date=dates[spot.day] if spot else None,
                planned_room=spot.theatre_id if spot else None,
                planned_start=spot.start if spot else None,
                release_date=dates[p.release_day],
                due_date=dates[p.due_day] if p.due_day is not None else None,
            )
        )
    sessions = [
        Session(date=dates[d], room_id=tid, start=DAY_START, end=DAY_START + minutes[d])
        for tid, minutes in inst.theatre_minutes.items()
        for d in range(inst.days)
        if minutes[d] > 0
    ]
    windows = [
        SurgeonWindow(surgeon_id=sid, date=dates[d], start=DAY_START, end=DAY_START + minutes[d])
        for sid, minutes in inst.surgeon_minutes.items()
        for d in range(inst.days)
        if minutes[d] > 0
    ]
    waiting = [p for p in inst.patients if p.patient_id not in placed]
    warnings = []
    if waiting:
        n_mand = sum(p.mandatory for p in waiting)
        warnings.append(
            f"{len(waiting)} of {len(inst.patients)} patients ({n_mand} mandatory) did not fit "
            "the synthesised first-fit plan and are on the waiting list"
        )
    return Scenario(
        cases=tuple(cases),
        rooms=tuple(Room(room_id=tid) for tid in inst.theatre_minutes),
        sessions=tuple(sessions),
        surgeon_windows=tuple(windows),
        policy=Policy(start_date=dates[0], end_date=dates[-1], turnover_min=TURNOVER_MIN),
        name=f"ihtc2024-{Path(path).stem}",
        warnings=tuple(warnings),
    )

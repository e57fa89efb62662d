"""A whatif folder against its scenario: the sessions and resources added, the schedule with
them, the rows.

An extra session is used only when chosen: the schedule in ``result/`` is judged
against the scenario with the sessions of ``sessions_added.csv`` and no other
(each must be one of the scenario's extra sessions, at its hours), and with the
capacities raised by the units of ``resources_added.csv`` and no other (each
within what ``extra_resources.csv`` offers, at its cost), by every rule of the
contract; ``result/scenario/`` must hold exactly those sessions and
capacities, so the result checks on its own; and each row of ``whatif.csv``
must say what that schedule shows (planned, kept, the target met by the exact
ratio, the sessions and resources added that date and their cost).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

from optimizer.scenario.schema import ExtraResource, ResourceCapacity, Scenario, Session

from .contract import Violation
from .judge import check_result_folder
from .plan import hm
from .table import read_schedule_csv


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [
            {k: (v[1:] if v.startswith("'") else v) for k, v in r.items() if k is not None}
            for r in csv.DictReader(fh)
        ]


def _minutes(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def with_added(
    scenario: Scenario, added: Iterable[Session], more: Iterable[ExtraResource] = ()
) -> tuple[Scenario, list[Violation]]:
    """The scenario with ``added`` sessions opened (or lengthened) and the capacities raised by
    ``more``, and what is wrong with them: each session must be one of the scenario's extra
    sessions, at its hours, listed once; each resource within its offer, at its cost."""
    out: list[Violation] = []
    offers = {(e.resource, e.date): e for e in scenario.extra_resources}
    raised: dict[tuple[str, dt.date], int] = {}
    for r in more:
        rk = (r.resource, r.date)
        where = f"{r.extra} {r.resource} on {r.date}"
        offer = offers.get(rk)
        if rk in raised:
            out.append(Violation("whatif", None, f"{where}: the resource is added twice"))
        elif offer is None or r.cost != offer.cost or r.extra > offer.extra:
            out.append(Violation("whatif", None, f"{where} is not within extra_resources.csv"))
        else:
            raised[rk] = r.extra
    capacities = tuple(
        ResourceCapacity(date=c.date, resource=c.resource,
                         capacity=c.capacity + raised.get((c.resource, c.date), 0))
        for c in scenario.resources
    )  # fmt: skip
    extras = {(e.date, e.room_id): e for e in scenario.extra_sessions}
    sessions = {(s.date, s.room_id): s for s in scenario.sessions}
    seen: set[tuple[dt.date, str]] = set()
    for s in added:
        key = (s.date, s.room_id)
        where = f"session {s.room_id} {hm(s.start)}-{hm(s.end)} on {s.date}"
        e = extras.get(key)
        if key in seen:
            out.append(Violation("whatif", None, f"{where} is added twice"))
        seen.add(key)
        if e is None or (e.start, e.end) != (s.start, s.end):
            out.append(
                Violation("whatif", None, f"{where} is not an extra session of the scenario")
            )
            continue
        block = e.specialty if key not in sessions else sessions[key].specialty
        if s.specialty != block:
            out.append(Violation("whatif", None, f"{where} has another specialty than offered"))
        sessions[key] = s
    fields = {name: getattr(scenario, name) for name in Scenario.model_fields}
    fields.update(
        sessions=tuple(sessions[k] for k in sorted(sessions)), extra_sessions=(),
        resources=capacities, extra_resources=(),
    )  # fmt: skip
    return Scenario(**fields), out


def check_whatif_folder(scenario: Scenario, folder: str | Path) -> list[Violation]:
    """Check a whatif folder (``whatif.csv``, ``sessions_added.csv``, ``result/``)."""
    folder = Path(folder)
    out: list[Violation] = []
    try:
        added = _sessions(folder / "sessions_added.csv")
        copied = _sessions(folder / "result" / "scenario" / "sessions.csv")
        lines = _rows(folder / "whatif.csv")
        more = _resources(folder / "resources_added.csv", scenario)
        held = _capacities(folder / "result" / "scenario" / "resources.csv")
    except (OSError, KeyError, ValueError, csv.Error) as exc:
        return [Violation("whatif", None, f"cannot read the whatif folder {folder}: {exc}")]
    with_them, out = with_added(scenario, added, more)
    out += check_result_folder(with_them, folder / "result")
    if sorted(copied, key=_key) != sorted(with_them.sessions, key=_key):
        out.append(Violation("whatif", None, "result/scenario does not hold the added sessions"))
    if held != {(c.resource, c.date): c.capacity for c in with_them.resources}:
        out.append(
            Violation("whatif", None, "result/scenario does not hold the capacities with the "
                      "resources added")
        )  # fmt: skip
    schedule = folder / "result" / "schedule.csv"
    return out + _rows_agree(scenario, added, more, lines, schedule)


def _resources(path: Path, scenario: Scenario) -> list[ExtraResource]:
    """The rows of ``resources_added.csv`` (none when the scenario offers no resource and the
    file is absent)."""
    if not path.exists() and not scenario.extra_resources:
        return []
    return [
        ExtraResource(resource=r["resource"], date=dt.date.fromisoformat(r["date"]),
                      extra=int(r["extra"]), cost=float(r["cost"]))
        for r in _rows(path)
    ]  # fmt: skip


def _capacities(path: Path) -> dict[tuple[str, dt.date], int]:
    """A ``resources.csv`` copied into a result (empty when there is none)."""
    if not path.exists():
        return {}
    return {
        (r["resource"], dt.date.fromisoformat(r["date"])): int(r["capacity"]) for r in _rows(path)
    }


def _sessions(path: Path) -> list[Session]:
    """The rows of a ``sessions.csv``-shaped file, read here (not by the loader)."""
    return [
        Session(
            date=dt.date.fromisoformat(r["date"]),
            room_id=r["room_id"],
            start=_minutes(r["start"]),
            end=_minutes(r["end"]),
            specialty=r.get("specialty") or None,
        )
        for r in _rows(path)
    ]


def _key(s: Session) -> tuple[dt.date, str]:
    return (s.date, s.room_id)


def _rows_agree(
    scenario: Scenario,
    added: list[Session],
    more: list[ExtraResource],
    lines: list[dict[str, str]],
    schedule: Path,
) -> list[Violation]:
    out: list[Violation] = []
    policy = scenario.policy
    status = dict(zip(*(read_schedule_csv(schedule)[c] for c in ("case_id", "status")),
                      strict=True))  # fmt: skip
    planned: dict[str, int] = {}
    kept: dict[str, int] = {}
    for c in scenario.cases:
        d = c.planned_date
        if d is not None and policy.start_date <= d <= policy.end_date:
            planned[d.isoformat()] = planned.get(d.isoformat(), 0) + 1
            kept[d.isoformat()] = kept.get(d.isoformat(), 0) + (status.get(c.case_id) == "kept")
    target = Fraction(repr(policy.target_ratio))
    offered = {(e.date, e.room_id): e.cost for e in scenario.extra_sessions}
    cost = {(s.date.isoformat(), s.room_id): offered.get(_key(s), 0.0) for s in added}
    listed = set()
    for r in lines:
        day = r.get("date", "")
        listed.add(day)
        n, k = planned.get(day, 0), kept.get(day, 0)

        def bad(message: str, day: str = day) -> None:
            out.append(Violation("whatif", None, f"whatif.csv, {day}: {message}"))

        if r.get("planned") != str(n):
            bad(f"planned is {r.get('planned')}, the scenario plans {n}")
        if r.get("kept_with") != str(k):
            bad(f"kept_with is {r.get('kept_with')}, the schedule keeps {k}")
        met = n == 0 or Fraction(k, n) >= target
        if r.get("target_met") != ("true" if met else "false"):
            bad(f"target_met is {r.get('target_met')}, but {k} of {n} are kept")
        on_day = sorted(room for d, room in cost if d == day)
        said = sorted(x.split(" ")[0] for x in r.get("added_sessions", "").split("; ") if x)
        if said != on_day:
            bad(f"added_sessions names {said}, sessions_added.csv {on_day}")
        units = sorted(f"{e.resource} +{e.extra}" for e in more if e.date.isoformat() == day)
        said = sorted(x for x in r.get("added_resources", "").split("; ") if x)
        if said != units:
            bad(f"added_resources names {said}, resources_added.csv {units}")
        total = sum(cost[d, room] for d, room in cost if d == day)
        total += sum(e.cost * e.extra for e in more if e.date.isoformat() == day)
        if abs(float(r.get("added_cost") or 0) - total) > 0.005:
            bad(f"added_cost is {r.get('added_cost')}, what was added costs {total:g}")
    for iso, what in [*cost, *((e.date.isoformat(), e.resource) for e in more)]:
        if iso not in listed:
            out.append(Violation("whatif", None, f"whatif.csv has no row for {iso} ({what} added)"))
    return out


__all__ = ["check_whatif_folder", "with_added"]

"""A simulated crisis: ten mornings of re-planning on a generated hospital.

Each morning starts from the previous morning's result folder, as a planner
would: a seeded random mix of cancellations on the day (cases operated the
day before that did not happen), patients withdrawing, the outcomes of the
previous morning's phone calls (declined until a date, unreachable,
confirmed), closed sessions reopening, a session lost again now and then, and
new emergencies; then one urgent case is slotted in with ``insert``. Every
result is checked against its own ``scenario/`` and the invariants of the
daily loop are recorded (the test asserts them).

Run ``python -m tests.support.replan_crisis`` for the figures the README quotes.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import optimizer
from optimizer.check import check_schedule, read_schedule_csv
from optimizer.clock import format_time
from optimizer.generate import generate, working_days
from optimizer.replan.command import replan, write_replanned
from optimizer.replan.insert import insert, write_insert
from optimizer.scenario.schema import Scenario, Session

NOTICE_DAYS = 1
SEARCH: dict[str, Any] = {"workers": 1, "work_limit": 2.0, "time_limit": 60.0, "seed": 0}


@dataclass
class Morning:
    today: dt.date
    cancelled: int
    withdrawn: int
    reopened: int
    closed: int
    emergencies: int
    announced: int
    changed: int
    date_changed: int
    slot_gone: int  # changed because the announced session is closed or too short now
    deadline_misses: int
    levels_proven: dict[str, bool]
    violations: list[str]
    declined: int = 0
    unreachable: int = 0
    inserted: int = 0
    insert_options: int = 0
    early_dates: list[str] = field(default_factory=list)  # declined cases dated before until
    lost_appointments: list[str] = field(default_factory=list)  # unreachable, moved, not called

    @property
    def stability_proven(self) -> bool:
        """The announced level is proven optimal: no schedule as good on the levels before
        it changes fewer appointments (True when no case was announced)."""
        return all(ok for name, ok in self.levels_proven.items() if name.startswith("announced"))


@dataclass
class Crisis:
    mornings: list[Morning] = field(default_factory=list)
    done: Counter[str] = field(default_factory=Counter)  # case id -> done.csv rows naming it
    lost: list[str] = field(default_factory=list)  # case ids that vanished from a morning
    twice: list[str] = field(default_factory=list)  # case ids done again after leaving
    final_cases: set[str] = field(default_factory=set)
    every_case: set[str] = field(default_factory=set)

    def totals(self) -> dict[str, int]:
        keys = ("announced", "changed", "date_changed", "slot_gone", "cancelled", "withdrawn",
                "reopened", "closed", "emergencies", "deadline_misses", "declined",
                "unreachable", "inserted")  # fmt: skip
        return {k: sum(getattr(m, k) for m in self.mornings) for k in keys}


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    return path


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:  # calls.csv has a BOM
        return list(csv.DictReader(fh))


def _check_folder(folder: Path) -> list[str]:
    """The independent checker on a result folder, against its own ``scenario/``."""
    scenario = optimizer.load_scenario(folder / "scenario")
    schedule = read_schedule_csv(folder / "schedule.csv")
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    return [f"{v.rule}: {v.message}" for v in check_schedule(scenario, schedule, summary)]


def _slot_gone(scenario: Scenario, case_id: str) -> bool:
    """The announced session of a case no longer exists or cannot hold it."""
    case = next(c for c in scenario.cases if c.case_id == case_id)
    if case.announced_room is None or case.announced_start is None:
        return False
    s = scenario.session_by_key.get((case.announced_date, case.announced_room))  # type: ignore[arg-type]
    return s is None or not (s.start <= case.announced_start <= s.end - case.duration_min)


def run_crisis(
    folder: Path, *, seed: int = 0, mornings: int = 10, search: dict[str, Any] | None = None
) -> Crisis:
    """Solve the attack's first morning, then re-plan ``mornings`` times from each result."""
    search = search or SEARCH
    rng = np.random.default_rng(seed)
    gen = generate(rooms=3, days=mornings + 3, cases_per_day=6, seed=seed, attack_day=1)
    # a day's notice: a changed appointment is never moved to the same morning
    policy = gen.disrupted.policy.model_copy(update={"notice_days": NOTICE_DAYS})
    disrupted = gen.disrupted.model_copy(update={"policy": policy})
    days = working_days(gen.plan.policy.start_date, mornings + 3)
    full = {(s.date, s.room_id): s for s in gen.plan.sessions}
    crisis = Crisis()
    crisis.every_case = {c.case_id for c in disrupted.cases}
    declined: dict[str, dt.date] = {}  # case id -> the date the patient can come from
    first = optimizer.solve(disrupted, **search)
    result_dir = folder / "morning00"
    optimizer.write_result(first, result_dir)
    for k in range(1, mornings + 1):
        today, yesterday = days[k], days[k - 1]
        previous = optimizer.load_scenario(result_dir / "scenario")
        rows = {r["case_id"]: r for r in _rows(result_dir / "schedule.csv")}
        pinned = {(c.planned_date, c.planned_room) for c in previous.cases if c.pinned}
        # what happened yesterday: a few operations cancelled on the day, a withdrawal
        events: list[list[str]] = []
        for c in previous.cases:
            r = rows[c.case_id]
            if (
                r["status"] in ("kept", "postponed", "scheduled")
                and yesterday.isoformat() <= r["date"] < today.isoformat()
            ):
                if rng.random() < 0.12:
                    events.append([c.case_id, "cancelled"])
            elif r["status"] != "transferred" and rng.random() < 0.01:
                events.append([c.case_id, "withdrawn"])
        # the outcomes of yesterday's calls: a few decline until a later date, a few
        # cannot be reached, the others confirm
        has_event = {e[0] for e in events}
        unreachable: dict[str, tuple[dt.date, str | None, int | None]] = {}
        for call in _rows(result_dir / "calls.csv"):
            cid = call["case_id"]
            if cid in has_event or (call["new_date"] and call["new_date"] < today.isoformat()):
                continue
            draw = rng.random()
            if draw < 0.15:
                until = today + dt.timedelta(days=int(rng.integers(2, 6)))
                events.append([cid, "declined", until.isoformat()])
                declined[cid] = until
            elif draw < 0.3:
                events.append([cid, "unreachable", ""])
                c = next(x for x in previous.cases if x.case_id == cid)
                if c.announced_date is not None:
                    known = (c.announced_date, c.announced_room, c.announced_start)
                else:
                    known = (c.planned_date, c.planned_room, c.planned_start)  # type: ignore[assignment]
                if known[0] is not None and known[0] >= today and not c.pinned:
                    unreachable[cid] = known
            else:
                events.append([cid, "confirmed", ""])
        # capacity from today on: closed sessions reopen, now and then one is lost
        sessions = {(s.date, s.room_id): s for s in previous.sessions if s.date >= today}
        reopened = closed = 0
        for key in sorted(full):
            if key[0] >= today and key not in sessions and rng.random() < 0.3:
                sessions[key] = full[key]
                reopened += 1
        open_keys = sorted(k2 for k2 in sessions if k2 not in pinned)
        if open_keys and rng.random() < 0.5:
            del sessions[open_keys[int(rng.integers(len(open_keys)))]]
            closed += 1
        # new emergencies, to be operated today
        new_cases = []
        for j in range(int(rng.integers(0, 3))):
            model_case = previous.cases[int(rng.integers(len(previous.cases)))]
            new_cases.append(
                [f"N{k:02d}{j}", model_case.specialty, model_case.surgeon_id,
                 str(int(rng.integers(45, 121))), "EMERGENCY", today.isoformat(), "true"]
            )  # fmt: skip
        tmp = folder / f"inputs{k:02d}"
        tmp.mkdir()
        kwargs: dict[str, Path] = {}
        if events:
            kwargs["events"] = _write_csv(
                tmp / "events.csv", ["case_id", "event", "until"], [[*e, ""][:3] for e in events]
            )
        if reopened or closed:
            kwargs["sessions"] = _write_csv(
                tmp / "sessions.csv",
                ["date", "room_id", "start", "end", "specialty"],
                [_session_row(s) for _, s in sorted(sessions.items())],
            )
        if new_cases:
            header = ["case_id", "specialty", "surgeon_id", "duration_min", "urgency",
                      "planned_date", "transferable"]  # fmt: skip
            kwargs["cases"] = _write_csv(tmp / "cases.csv", header, new_cases)
        crisis.every_case |= {row[0] for row in new_cases}
        morning, result = replan(result_dir, today, **kwargs, **search)
        out = folder / f"morning{k:02d}"
        write_replanned(morning, result, out)
        # one urgent case a day, slotted in with insert (its best option applied)
        model_case = previous.cases[int(rng.integers(len(previous.cases)))]
        urgent = [[f"U{k:02d}", model_case.specialty, model_case.surgeon_id,
                   str(int(rng.integers(30, 91))), "P1a"]]  # fmt: skip
        crisis.every_case.add(urgent[0][0])
        header = ["case_id", "specialty", "surgeon_id", "duration_min", "urgency"]
        urgent_file = _write_csv(tmp / "urgent.csv", header, urgent)
        early: list[str] = []
        lost_appointments: list[str] = []
        _declined_kept(out, declined, early)
        _unreachable_kept(out, unreachable, lost_appointments)
        violations = _check_folder(out)
        ins, options, names = insert(out, urgent_file, today, top=2, **search)
        inserted = write_insert(ins, options, names, folder / f"insert{k:02d}")
        violations += _check_folder(inserted / "result")
        _declined_kept(inserted / "result", declined, early)
        # invariants
        before = set(rows) | {row[0] for row in new_cases} | {urgent[0][0]}
        done_ids = [r["case_id"] for r in _rows(out / "done.csv")]
        now = {c.case_id for c in ins.scenario.cases}
        crisis.lost += sorted(before - now - set(done_ids))
        crisis.twice += sorted((set(done_ids) & set(crisis.done)) | (now & set(crisis.done)))
        crisis.done.update(done_ids)
        announced = result.summary.get("announced", {})
        changed_ids = [
            r.case_id
            for c, r in zip(morning.scenario.cases, result.rows, strict=True)
            if c.announced and r.case_id in {x["case_id"] for x in _rows(out / "calls.csv")}
        ]
        crisis.mornings.append(
            Morning(
                today=today,
                cancelled=sum(e[1] == "cancelled" for e in events),
                withdrawn=sum(e[1] == "withdrawn" for e in events),
                reopened=reopened,
                closed=closed,
                emergencies=len(new_cases),
                announced=announced.get("announced", 0),
                changed=announced.get("changed", 0),
                date_changed=announced.get("date_changed", 0),
                slot_gone=sum(_slot_gone(morning.scenario, cid) for cid in changed_ids),
                deadline_misses=len(result.deadline_misses),
                levels_proven={lv.name: lv.proven for lv in result.levels},
                violations=violations,
                declined=sum(e[1] == "declined" for e in events),
                unreachable=sum(e[1] == "unreachable" for e in events),
                inserted=1,
                insert_options=len(options),
                early_dates=early,
                lost_appointments=lost_appointments,
            )
        )
        result_dir = inserted / "result"
    crisis.final_cases = {c.case_id for c in optimizer.load_scenario(result_dir / "scenario").cases}
    return crisis


def _declined_kept(folder: Path, declined: dict[str, dt.date], early: list[str]) -> None:
    """Record every declined case the result dates before the patient's ``until``."""
    for r in _rows(folder / "schedule.csv"):
        until = declined.get(r["case_id"])
        if until is not None and r["date"] and r["date"] < until.isoformat():
            early.append(f"{folder.name}: {r['case_id']} on {r['date']}, until {until}")


def _unreachable_kept(
    folder: Path,
    known: dict[str, tuple[dt.date, str | None, int | None]],
    lost: list[str],
) -> None:
    """Record every unreachable patient whose known appointment changes without a call."""
    called = {r["case_id"] for r in _rows(folder / "calls.csv")}
    for r in _rows(folder / "schedule.csv"):
        slot = known.get(r["case_id"])
        if slot is None or r["case_id"] in called:
            continue
        date, room, start = slot
        same = r["date"] == date.isoformat() and r["status"] in ("kept", "postponed", "scheduled")
        same = same and (room is None or r["room_id"] == room)
        same = same and (start is None or r["start"] == format_time(start))
        if not same:
            lost.append(f"{folder.name}: {r['case_id']}")


def _session_row(s: Session) -> list[str]:
    return [s.date.isoformat(), s.room_id, format_time(s.start), format_time(s.end),
            s.specialty or ""]  # fmt: skip


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        crisis = run_crisis(Path(tmp))
    for m in crisis.mornings:
        print(
            f"{m.today}: cancelled {m.cancelled}, withdrawn {m.withdrawn}, reopened "
            f"{m.reopened}, closed {m.closed}, emergencies {m.emergencies}; announced "
            f"{m.announced}, changed {m.changed} (date {m.date_changed}, slot gone "
            f"{m.slot_gone}); stability proven {m.stability_proven}; violations "
            f"{len(m.violations)}"
        )
    print("totals:", crisis.totals())


if __name__ == "__main__":
    main()

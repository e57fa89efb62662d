"""What tired planners do: two tabs acting at once, the journal read back after the morning."""

from __future__ import annotations

import re
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from optimizer.desk import Desk
from optimizer.desk.journal import Journal

from .conftest import FAST, TestClient, bearer, wait


def test_two_tabs_solving_at_once_each_get_a_run(
    client: TestClient, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bug: two solves asked at the same moment (two tabs, two planners) could be given the
    same run id: one got an HTTP 500 with a traceback in the log (``UNIQUE constraint failed:
    runs.run_id``). Now each is a run of its own, numbered in the order they are taken.
    (The journal's reads are slowed here so that the requests overlap as they do on a
    busy server.)"""
    read = Journal._read

    def slow(self: Journal, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        rows = read(self, sql, args)
        time.sleep(0.05)
        return rows

    monkeypatch.setattr(Journal, "_read", slow)
    answers: list[Any] = []

    def ask() -> None:
        answers.append(client.post("/api/solve", json={}, headers=bearer(desk)))

    tabs = [threading.Thread(target=ask) for _ in range(6)]
    for t in tabs:
        t.start()
    for t in tabs:
        t.join()
    assert [r.status_code for r in answers] == [200] * 6, [r.text for r in answers]
    runs = sorted(r.json()["run_id"] for r in answers)
    assert runs == [f"{k:04d}" for k in range(1, 7)]
    monkeypatch.setattr(Journal, "_read", read)
    for run_id in runs:
        assert wait(client, desk, run_id)["state"] == "done"
    started = [e.run_id for e in desk.journal.entries("solve")]
    assert started == runs  # the journal says them in the order they were queued


def test_the_journal_names_the_urgent_case_inserted_and_the_option_applied(
    client: TestClient, desk: Desk
) -> None:
    """Bug: the journal at the foot of the page read "inserted the urgent case  on 15/04:
    run 0002" and "applied option 1 for the urgent case : run 0003": the case id was
    missing (the journal keeps it in its own column, the page looked for it among the
    details). Now both lines name it."""
    run_id = client.post("/api/solve", json={}, headers=bearer(desk)).json()["run_id"]
    assert wait(client, desk, run_id)["state"] == "done"
    scenario = desk.workspace.scenario
    assert scenario is not None
    c = scenario.cases[0]
    urgent = {"case_id": "URG07", "specialty": c.specialty, "surgeon_id": c.surgeon_id,
              "duration_min": "30", "urgency": "P1a"}  # fmt: skip
    r = client.post(f"/api/runs/{run_id}/insert", json=urgent, headers=bearer(desk))
    assert r.status_code == 200, r.text
    insert = r.json()["run_id"]
    assert wait(client, desk, insert)["state"] == "done"
    r = client.post(f"/api/runs/{insert}/choose", json={"option": "1"}, headers=bearer(desk))
    assert r.status_code == 200, r.text
    chosen = r.json()["run_id"]
    assert wait(client, desk, chosen)["state"] == "done"
    page = client.get("/?lang=en", headers=bearer(desk)).text
    assert re.search(rf"inserted the urgent case URG07 on \d\d/\d\d: run {insert}<", page)
    assert f"applied option 1 for the urgent case URG07: run {chosen}" in page
    assert "urgent case  on" not in page and "urgent case :" not in page


def test_a_room_with_an_extra_session_on_offer_is_reopened_from_the_grid(
    client: TestClient, desk: Desk
) -> None:
    """Bug: a room closed on a date where ``extra_sessions.csv`` offers to reopen it (as
    every generated scenario's attacked room) could not be opened from the grid: "Open /
    change the hours" answered 422, "extra_sessions.csv, column end: room OR03 has a
    session on 2024-04-16 (08:00-18:00, sessions.csv): an extra session there lengthens
    it ...", whatever the hours (``capacity --open`` too). Now the room opens, and an
    extra session the new hours leave nothing to add is no longer offered (as a re-plan
    drops those the day's hours have overtaken); one that still lengthens stays."""
    scenario = desk.workspace.scenario
    assert scenario is not None
    (extra,) = scenario.extra_sessions  # OR03 on 16/04, 13:00-18:00, the room closed then
    where = {"date": extra.date.isoformat(), "room_id": extra.room_id}
    assert where not in [{"date": s.date.isoformat(), "room_id": s.room_id}
                         for s in scenario.sessions]  # fmt: skip
    r = client.post("/api/sessions/open", json={**where, "start": "08:00", "end": "13:00"},
                    headers=bearer(desk))  # fmt: skip
    assert r.status_code == 200, r.text
    opened = [s for s in r.json()["sessions"] if {k: s[k] for k in where} == where]
    assert [(s["start"], s["end"]) for s in opened] == [("08:00", "13:00")]
    assert desk.workspace.scenario is not None
    assert desk.workspace.scenario.extra_sessions == ()
    # hours the extra session still lengthens keep it on offer
    client.post("/api/sessions/close", json=where, headers=bearer(desk))
    desk.workspace.edit(lambda s: s.model_copy(update={"extra_sessions": (extra,)}))
    r = client.post("/api/sessions/open", json={**where, "start": "14:00", "end": "17:00"},
                    headers=bearer(desk))  # fmt: skip
    assert r.status_code == 200, r.text
    assert desk.workspace.scenario.extra_sessions == (extra,)


def test_a_restart_keeps_the_uploaded_scenario_and_its_edits(
    tmp_path: Path, small_hospital: Path
) -> None:
    """Bug: a planner who had uploaded the morning's files and closed a room, then
    restarted the desk with the same command line, found the command line's scenario back
    and the room open again, without a word (the journal still said it was closed): the
    desk reloaded its source whenever the last load was not of it. Now it reloads only
    when started on another source than last time; the working scenario stays."""
    from optimizer.desk import Gate

    data = tmp_path / "data"
    desk = Desk.open(data, Gate(), small_hospital, dict(FAST))
    files = [(p.name, p.read_bytes()) for p in sorted(small_hospital.iterdir()) if p.is_file()]
    desk.load_upload("AB", "en", files)
    first = desk.scenario_json()["sessions"][0]
    where = {"date": first["date"], "room_id": first["room_id"]}
    desk.close_session("AB", where)
    before = desk.scenario_json()
    desk.close()
    again = Desk.open(data, Gate(), small_hospital, dict(FAST))
    try:
        assert again.scenario_json()["sessions"] == before["sessions"]
    finally:
        again.close()
    other = tmp_path / "other"
    shutil.copytree(small_hospital, other)
    third = Desk.open(data, Gate(), other, dict(FAST))  # another source: it is loaded
    try:
        assert len(third.scenario_json()["sessions"]) == len(before["sessions"]) + 1
    finally:
        third.close()


def test_a_restart_keeps_the_scenarios_name(tmp_path: Path, small_hospital: Path) -> None:
    """Bug: after a restart the page's title and scenario line read "working: 19 cases",
    and every run solved since named its scenario "working" (its summary, its report):
    the name of the desk's own folder, not the scenario's. Now the name stays."""
    from optimizer.desk import Gate

    data = tmp_path / "data"
    desk = Desk.open(data, Gate(), small_hospital, dict(FAST))
    name = desk.scenario_json()["name"]
    assert name == small_hospital.name
    desk.close_session("AB", {"date": desk.scenario_json()["start_date"], "room_id": "OR01"})
    desk.close()
    again = Desk.open(data, Gate(), small_hospital, dict(FAST))
    try:
        assert again.scenario_json()["name"] == name
        client = TestClient(__import__("optimizer.desk", fromlist=["make_app"]).make_app(again))
        assert (
            f"<title>Planner&#39;s desk · {name}</title>"
            in client.get("/?lang=en", headers=bearer(again)).text
        )
    finally:
        again.close()


def test_start_tomorrow_after_a_patient_declined_until_tomorrow(
    client: TestClient, desk: Desk
) -> None:
    """A patient who declined until the next day (recorded "declined until 16/04"): *Start
    tomorrow* on 16/04, the default, re-plans with the patient without the appointment they
    refused and free from that morning (it answered 422, "declined needs ... after --today
    2024-04-16", and the planner had to undo a true answer to go on)."""
    import csv
    import datetime as dt

    from optimizer.scenario import load_scenario

    run_id = client.post("/api/solve", json={}, headers=bearer(desk)).json()["run_id"]
    assert wait(client, desk, run_id)["state"] == "done"
    folder = desk.runner.path(run_id)
    with (folder / "calls.csv").open(encoding="utf-8-sig") as fh:
        called = [r["case_id"].removeprefix("'") for r in csv.DictReader(fh)]
    assert len(called) >= 2, called
    tomorrow = load_scenario(folder / "scenario").policy.start_date + dt.timedelta(days=1)
    for case_id, until in ((called[0], tomorrow), (called[1], tomorrow + dt.timedelta(3))):
        r = client.post(f"/api/runs/{run_id}/calls/{case_id}", headers=bearer(desk),
                        json={"outcome": "declined", "until": until.isoformat()})  # fmt: skip
        assert r.status_code == 200, r.text
    r = client.post(f"/api/runs/{run_id}/replan", json={}, headers=bearer(desk))
    assert r.status_code == 200, r.text
    assert wait(client, desk, r.json()["run_id"])["state"] == "done"
    (entry,) = [e for e in desk.journal.entries("replan") if e.run_id == r.json()["run_id"]]
    assert entry.details["events"] == 2 and entry.details["today"] == tomorrow.isoformat()
    new = load_scenario(desk.runner.path(r.json()["run_id"]) / "scenario")
    [first] = [c for c in new.cases if c.case_id == called[0]]
    assert first.announced_date is None  # the appointment refused
    assert [(u.case_id, u.to_date) for u in new.unavailable if u.case_id in called[:2]] == [
        (called[1], tomorrow + dt.timedelta(2))
    ]  # free from the morning it gave; the other away until the day before its date

"""The desk's JSON API answers as the contract writes it; each run is a checked result folder."""

from __future__ import annotations

import json
from pathlib import Path

from optimizer import load_scenario
from optimizer.check import check_result_folder
from optimizer.desk import Desk, Gate

from .conftest import FAST, TestClient, bearer, wait


def test_scenario_lists_rooms_sessions_and_the_number_of_cases(
    client: TestClient, desk: Desk, small_hospital: Path
) -> None:
    """``GET /api/scenario`` holds the contract's keys, as the loaded folder says."""
    body = client.get("/api/scenario", headers=bearer(desk)).json()
    scenario = load_scenario(small_hospital)
    assert body["start_date"] == scenario.policy.start_date.isoformat()
    assert body["end_date"] == scenario.policy.end_date.isoformat()
    assert [r["room_id"] for r in body["rooms"]] == [r.room_id for r in scenario.rooms]
    assert {"date", "room_id", "start", "end"} <= body["sessions"][0].keys()
    assert body["cases"] == len(scenario.cases)


def test_close_and_open_a_room_date_and_the_journal_says_who(
    client: TestClient, desk: Desk
) -> None:
    """Closing then reopening with other hours changes the working scenario (kept on disk),
    and the journal names the planner who did each."""
    first = client.get("/api/scenario", headers=bearer(desk)).json()["sessions"][0]
    where = {"date": first["date"], "room_id": first["room_id"]}
    r = client.post("/api/sessions/close", json=where, headers=bearer(desk, "MD"))
    assert r.status_code == 200
    assert (first["date"], first["room_id"]) not in {
        (s["date"], s["room_id"]) for s in r.json()["sessions"]
    }
    r = client.post("/api/sessions/open", json={**where, "start": "09:00", "end": "12:00"},
                    headers=bearer(desk, "JP"))  # fmt: skip
    opened = [s for s in r.json()["sessions"] if (s["date"], s["room_id"]) == tuple(where.values())]
    assert [(s["start"], s["end"]) for s in opened] == [("09:00", "12:00")]
    on_disk = load_scenario(desk.workspace.folder)
    assert any(s.start == 540 and s.end == 720 for s in on_disk.sessions)
    who = [(e.who, e.what) for e in desk.journal.entries() if e.what in ("closed", "opened")]
    assert who == [("MD", "closed"), ("JP", "opened")]


def test_a_bad_edit_names_the_problem_and_changes_nothing(client: TestClient, desk: Desk) -> None:
    """An unknown room is refused (422) with the problem named; the scenario stays as it was."""
    before = client.get("/api/scenario", headers=bearer(desk)).json()
    r = client.post("/api/sessions/close", json={"date": before["start_date"], "room_id": "R99"},
                    headers=bearer(desk))  # fmt: skip
    assert r.status_code == 422
    assert any("R99" in p for p in r.json()["problems"])
    assert client.get("/api/scenario", headers=bearer(desk)).json() == before


def test_solve_writes_a_checked_result_folder_with_its_report(
    client: TestClient, desk: Desk
) -> None:
    """A solve from the API becomes DATA/runs/<run_id>/: the files the contract lists, and
    a schedule the independent checker passes against the folder's own scenario/."""
    r = client.post("/api/solve", json={"time_limit": 10, "target": 0.8}, headers=bearer(desk))
    run_id = r.json()["run_id"]
    state = wait(client, desk, run_id)
    assert state["state"] == "done", state["message"]
    assert state["summary"]["target_ratio"] == 0.8
    folder = desk.runner.path(run_id)
    for name in ("schedule.csv", "calls.csv", "summary.json", "report.html"):
        got = client.get(f"/api/runs/{run_id}/files/{name}", headers=bearer(desk))
        assert got.status_code == 200 and got.content == (folder / name).read_bytes()
    assert check_result_folder(load_scenario(folder / "scenario"), folder) == []
    assert client.get(f"/api/runs/{run_id}/files/..%2Fjournal.sqlite",
                      headers=bearer(desk)).status_code == 404  # fmt: skip


def test_solves_queue_one_at_a_time_and_stop_keeps_the_best_so_far(
    client: TestClient, desk: Desk
) -> None:
    """Two solves asked at once: the second waits its turn; a stopped solve still ends
    with a whole, checked schedule."""
    a = client.post("/api/solve", json={}, headers=bearer(desk)).json()["run_id"]
    b = client.post("/api/solve", json={}, headers=bearer(desk)).json()
    assert (
        b["ahead"] >= 1
        or client.get(f"/api/runs/{a}", headers=bearer(desk)).json()["state"] == "done"
    )
    assert client.post(f"/api/runs/{b['run_id']}/stop", headers=bearer(desk)).status_code == 200
    assert wait(client, desk, a)["state"] == "done"
    stopped = wait(client, desk, b["run_id"])
    assert stopped["state"] == "done"
    assert stopped["summary"].get("interrupted") is True
    folder = desk.runner.path(b["run_id"])
    assert check_result_folder(load_scenario(folder / "scenario"), folder) == []


def test_call_outcomes_explain_and_start_tomorrow(client: TestClient, desk: Desk) -> None:
    """On a run's call list, an outcome is recorded; explain answers in words; start
    tomorrow makes a re-planned run from it (a result folder with done.csv)."""
    client.post("/api/sessions/close", headers=bearer(desk), json={
        "date": desk.workspace.scenario.policy.start_date.isoformat(),  # type: ignore[union-attr]
        "room_id": desk.workspace.scenario.rooms[0].room_id})  # type: ignore[union-attr]  # fmt: skip
    run_id = client.post("/api/solve", json={}, headers=bearer(desk)).json()["run_id"]
    assert wait(client, desk, run_id)["state"] == "done"
    calls = (desk.runner.path(run_id) / "calls.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(calls) > 1, "closing a room on the first date changes someone's slot"
    case_id = calls[1].split(",")[0]
    r = client.post(f"/api/runs/{run_id}/calls/{case_id}", json={"outcome": "unreachable"},
                    headers=bearer(desk, "CN"))  # fmt: skip
    assert r.status_code == 200
    assert desk.journal.outcomes(run_id)[case_id].details["outcome"] == "unreachable"
    assert client.post(f"/api/runs/{run_id}/calls/NOBODY", json={"outcome": "confirmed"},
                       headers=bearer(desk)).status_code == 404  # fmt: skip
    text = client.get(f"/api/runs/{run_id}/explain/{case_id}", headers=bearer(desk)).json()
    assert case_id in text["text"]
    client.post(
        f"/api/runs/{run_id}/calls/{case_id}",
        json={"outcome": "confirmed"},
        headers=bearer(desk, "CN"),
    )  # fmt: skip  (the last call's outcome counts)
    r = client.post(f"/api/runs/{run_id}/replan", json={}, headers=bearer(desk))
    tomorrow = wait(client, desk, r.json()["run_id"])
    assert tomorrow["state"] == "done", tomorrow["message"]
    assert tomorrow["parent"] == run_id
    folder = desk.runner.path(tomorrow["run_id"])
    assert (folder / "done.csv").is_file()
    assert check_result_folder(load_scenario(folder / "scenario"), folder) == []


def test_a_restart_shows_every_finished_run_and_fails_the_unfinished(
    tmp_path: Path, small_hospital: Path
) -> None:
    """A run the journal left queued or running (the server was killed) is failed on the
    next start and its temporary folder removed; finished runs are all listed again."""
    data = tmp_path / "data"
    desk = Desk.open(data, Gate(), small_hospital, dict(FAST))
    client = TestClient(__import__("optimizer.desk", fromlist=["make_app"]).make_app(desk))
    done = client.post("/api/solve", json={}, headers=bearer(desk)).json()["run_id"]
    wait(client, desk, done)
    desk.journal.add_run("0099", "solve", "AB", {})  # as a kill mid-solve leaves it
    (data / "runs" / ".0099.new-x").mkdir()
    desk.close()
    again = Desk.open(data, Gate(), small_hospital, dict(FAST))
    try:
        states = {r["run_id"]: r["state"] for r in again.runs_json()}
        assert states == {done: "done", "0099": "failed"}
        assert not (data / "runs" / ".0099.new-x").exists()
        assert json.loads((again.runner.path(done) / "summary.json").read_text())["totals"]
    finally:
        again.close()


def test_downloads_hold_the_workbooks_and_the_exports(client: TestClient, desk: Desk) -> None:
    """A run holds schedule.xlsx and calls.xlsx; the exports come as FHIR, HL7 and a zip of
    one calendar per room, each made by ``export`` from the run folder."""
    import io
    import zipfile

    run_id = client.post("/api/solve", json={}, headers=bearer(desk)).json()["run_id"]
    assert wait(client, desk, run_id)["state"] == "done"
    for name in ("schedule.xlsx", "calls.xlsx"):
        got = client.get(f"/api/runs/{run_id}/files/{name}", headers=bearer(desk))
        assert got.status_code == 200 and got.content[:2] == b"PK"
    fhir = client.get(f"/api/runs/{run_id}/export/fhir", headers=bearer(desk))
    assert fhir.status_code == 200 and json.loads(fhir.content)["resourceType"] == "Bundle"
    hl7 = client.get(f"/api/runs/{run_id}/export/hl7", headers=bearer(desk))
    assert hl7.status_code == 200
    ics = client.get(f"/api/runs/{run_id}/export/ics", headers=bearer(desk))
    names = zipfile.ZipFile(io.BytesIO(ics.content)).namelist()
    assert names and all(n.endswith(".ics") for n in names)
    assert client.get(f"/api/runs/{run_id}/export/pdf", headers=bearer(desk)).status_code == 404


def test_whatif_with_the_sessions_ticked(tmp_path: Path) -> None:
    """``POST /api/whatif`` with some extra sessions of the demo: a run whose folder is a
    checked result folder with whatif.csv and sessions_added.csv beside it, using only
    the sessions ticked."""
    import csv

    from tests.support.paths import DEMO

    desk = Desk.open(tmp_path / "d", Gate(), DEMO, {"work_limit": 0.2, "workers": 1})
    try:
        client = TestClient(__import__("optimizer.desk", fromlist=["make_app"]).make_app(desk))
        extras = desk.workspace.scenario.extra_sessions  # type: ignore[union-attr]
        ticked = [0, 1]
        r = client.post("/api/whatif", json={"extras": ticked}, headers=bearer(desk))
        state = wait(client, desk, r.json()["run_id"], timeout=300)
        assert state["state"] == "done", state["message"]
        folder = desk.runner.path(state["run_id"])
        assert (folder / "whatif.csv").is_file()
        with (folder / "sessions_added.csv").open(encoding="utf-8-sig") as fh:
            added = {(row["date"], row["room_id"]) for row in csv.DictReader(fh)}
        allowed = {(extras[k].date.isoformat(), extras[k].room_id) for k in ticked}
        assert added <= allowed
        assert check_result_folder(load_scenario(folder / "scenario"), folder) == []
        assert (
            client.post("/api/whatif", json={"extras": []}, headers=bearer(desk)).status_code == 400
        )
    finally:
        desk.close()


def test_whatif_with_beds_on_offer_needs_no_session_ticked(tmp_path: Path) -> None:
    """A scenario with extra_resources.csv and no extra session: ``POST /api/whatif`` with
    nothing ticked adds the ICU bed that lets the second case go ahead."""
    import csv

    from optimizer.scenario import write_scenario
    from optimizer.scenario.schema import ExtraResource
    from tests.whatif.test_resources import D1, two_cases

    offer = (ExtraResource(resource="icu_bed", date=D1, extra=1, cost=800.0),)
    folder = write_scenario(two_cases("icu_bed", 1, offer), tmp_path / "s")
    desk = Desk.open(tmp_path / "d", Gate(), folder, {"work_limit": 2, "workers": 1})
    try:
        client = TestClient(__import__("optimizer.desk", fromlist=["make_app"]).make_app(desk))
        r = client.post("/api/whatif", json={}, headers=bearer(desk))
        state = wait(client, desk, r.json()["run_id"], timeout=300)
        assert state["state"] == "done", state["message"]
        run = desk.runner.path(state["run_id"])
        with (run / "resources_added.csv").open(encoding="utf-8-sig") as fh:
            rows = [(row["resource"], row["extra"]) for row in csv.DictReader(fh)]
        assert rows == [("icu_bed", "1")]
    finally:
        desk.close()


def test_a_surgeon_marked_absent_operates_nothing_that_date(client: TestClient, desk: Desk) -> None:
    """``POST /api/surgeons/absent``: the next solve gives that surgeon no case on that date,
    and the journal says who marked it."""
    import csv

    scenario = desk.workspace.scenario
    assert scenario is not None
    case = next(c for c in scenario.cases if c.planned_date is not None)
    day = case.planned_date.isoformat()  # type: ignore[union-attr]
    body = {"surgeon_id": case.surgeon_id, "date": day}
    assert (
        client.post("/api/surgeons/absent", json=body, headers=bearer(desk, "RS")).status_code
        == 200
    )
    run_id = client.post("/api/solve", json={}, headers=bearer(desk)).json()["run_id"]
    assert wait(client, desk, run_id)["state"] == "done"
    surgeon = {c.case_id: c.surgeon_id for c in scenario.cases}
    with (desk.runner.path(run_id) / "schedule.csv").open(encoding="utf-8-sig") as fh:
        operated = [r for r in csv.DictReader(fh) if r["date"] == day and r["room_id"]]
    assert all(surgeon[r["case_id"]] != case.surgeon_id for r in operated)
    assert desk.journal.entries("surgeon_absent")[-1].who == "RS"
    bad = client.post("/api/surgeons/absent", json={"surgeon_id": "NOBODY", "date": day},
                      headers=bearer(desk))  # fmt: skip
    assert bad.status_code == 422 and "NOBODY" in bad.json()["problems"][0]


def test_an_urgent_case_is_inserted_with_options_and_the_planner_picks_one(
    client: TestClient, desk: Desk
) -> None:
    """``POST /api/runs/<id>/insert``: ``insert``'s options (rank, slot, cases moved, cost
    per level), the first applied; ``POST /api/runs/<insert>/choose`` applies the last one
    as a new run holding exactly that option; every folder passes the checker; a bad
    urgency or an option that is not there is refused with the problem named."""
    import csv

    run_id = client.post("/api/solve", json={}, headers=bearer(desk)).json()["run_id"]
    assert wait(client, desk, run_id)["state"] == "done"
    scenario = desk.workspace.scenario
    assert scenario is not None
    c = scenario.cases[0]
    urgent = {"case_id": "URG01", "specialty": c.specialty, "surgeon_id": c.surgeon_id,
              "duration_min": "45", "urgency": scenario.policy.urgency_order()[0],
              "top": 3}  # fmt: skip
    bad = client.post(f"/api/runs/{run_id}/insert", json={**urgent, "urgency": "Z9"},
                      headers=bearer(desk))  # fmt: skip
    assert bad.status_code == 422 and any("Z9" in p for p in bad.json()["problems"])
    r = client.post(f"/api/runs/{run_id}/insert", json=urgent, headers=bearer(desk, "UR"))
    state = wait(client, desk, r.json()["run_id"])
    assert state["state"] == "done", state["message"]
    assert state["kind"] == "insert" and state["parent"] == run_id
    options = state["options"]
    assert options and [o["rank"] for o in options] == list(range(1, len(options) + 1))
    names = [lv["name"] for lv in state["summary"]["solver"]["levels"]]
    for o in options:
        moved = o["moved_cases"].split(";") if o["moved_cases"] else []
        assert o["case_id"] == "URG01" and o["moved"] == len(moved)
        assert list(o["costs"]) == names
    folder = desk.runner.path(state["run_id"])

    def slot(where: Path) -> dict[str, str]:
        with (where / "schedule.csv").open(encoding="utf-8-sig") as fh:
            return next(r for r in csv.DictReader(fh) if r["case_id"] == "URG01")

    def same(row: dict[str, str], option: dict[str, object]) -> bool:
        keys = ("status", "date", "room_id", "start", "partner_id")
        return all(row[k] == option[k] for k in keys)

    assert same(slot(folder), options[0])
    assert check_result_folder(load_scenario(folder / "scenario"), folder) == []
    insert_run = state["run_id"]
    assert client.post(f"/api/runs/{insert_run}/choose", json={"option": 99},
                       headers=bearer(desk)).status_code == 400  # fmt: skip
    r = client.post(f"/api/runs/{insert_run}/choose", json={"option": len(options)},
                    headers=bearer(desk, "UR"))  # fmt: skip
    picked = wait(client, desk, r.json()["run_id"])
    assert picked["state"] == "done" and picked["parent"] == insert_run
    chosen = desk.runner.path(picked["run_id"])
    assert same(slot(chosen), options[-1])
    assert check_result_folder(load_scenario(chosen / "scenario"), chosen) == []
    assert desk.journal.entries("insert")[-1].who == "UR"


def test_an_urgent_case_arriving_during_the_day_starts_after_it(
    client: TestClient, desk: Desk
) -> None:
    """``now`` (the page's "arrives at"): the cases the run started before it on that date
    stay where they are, nothing else starts before it, the result is checked; a time that
    is not one is refused, named."""
    import csv

    run_id = client.post("/api/solve", json={}, headers=bearer(desk)).json()["run_id"]
    assert wait(client, desk, run_id)["state"] == "done"
    scenario = desk.workspace.scenario
    assert scenario is not None
    c = scenario.cases[0]
    first = scenario.policy.urgency_order()[0]
    urgent = {"case_id": "URG02", "specialty": c.specialty, "surgeon_id": c.surgeon_id,
              "duration_min": "45", "urgency": first, "top": 1}  # fmt: skip
    bad = client.post(f"/api/runs/{run_id}/insert", json={**urgent, "now": "25h"},
                      headers=bearer(desk))  # fmt: skip
    assert bad.status_code == 400 and bad.json()["code"] == "bad_now"
    assert "25h" in bad.json()["error"]
    r = client.post(f"/api/runs/{run_id}/insert", json={**urgent, "now": "11:00"},
                    headers=bearer(desk))  # fmt: skip
    state = wait(client, desk, r.json()["run_id"])
    assert state["state"] == "done", state["message"]
    folder = desk.runner.path(state["run_id"])
    day = scenario.policy.start_date.isoformat()

    def rows(where: Path) -> dict[str, dict[str, str]]:
        with (where / "schedule.csv").open(encoding="utf-8-sig") as fh:
            return {r["case_id"]: r for r in csv.DictReader(fh)}

    before, after = rows(desk.runner.path(run_id)), rows(folder)
    begun = [k for k, r in before.items() if r["date"] == day and r["start"]
             and r["start"] < "11:00"]  # fmt: skip
    assert begun and all(after[k]["start"] == before[k]["start"] for k in begun)
    early = [k for k, r in after.items() if r["date"] == day and r["start"]
             and r["start"] < "11:00"]  # fmt: skip
    assert sorted(early) == sorted(begun)
    assert check_result_folder(load_scenario(folder / "scenario"), folder) == []


def test_start_tomorrow_carries_a_declined_call_into_unavailable(
    client: TestClient, desk: Desk
) -> None:
    """A call recorded ``declined`` until a date goes to the re-plan as ``replan --events``
    takes it: the new run's ``scenario/unavailable.csv`` holds the patient away from
    tomorrow to the day before that date, and the case is not operated in between."""
    import csv
    import datetime as dt

    client.post("/api/sessions/close", headers=bearer(desk), json={
        "date": desk.workspace.scenario.policy.start_date.isoformat(),  # type: ignore[union-attr]
        "room_id": desk.workspace.scenario.rooms[0].room_id})  # type: ignore[union-attr]  # fmt: skip
    run_id = client.post("/api/solve", json={}, headers=bearer(desk)).json()["run_id"]
    assert wait(client, desk, run_id)["state"] == "done"
    with (desk.runner.path(run_id) / "calls.csv").open(encoding="utf-8-sig") as fh:
        case_id = next(csv.DictReader(fh))["case_id"].removeprefix("'")
    start = load_scenario(desk.runner.path(run_id) / "scenario").policy.start_date
    tomorrow, until = start + dt.timedelta(days=1), start + dt.timedelta(days=3)
    r = client.post(f"/api/runs/{run_id}/calls/{case_id}", headers=bearer(desk, "CN"),
                    json={"outcome": "declined", "until": until.isoformat()})  # fmt: skip
    assert r.status_code == 200 and r.json()["until"] == until.isoformat()
    r = client.post(f"/api/runs/{run_id}/replan", json={}, headers=bearer(desk))
    state = wait(client, desk, r.json()["run_id"])
    assert state["state"] == "done", state["message"]
    folder = desk.runner.path(state["run_id"])
    away = [(u.from_date, u.to_date) for u in load_scenario(folder / "scenario").unavailable
            if u.case_id == case_id]  # fmt: skip
    assert (tomorrow, until - dt.timedelta(days=1)) in away
    with (folder / "schedule.csv").open(encoding="utf-8-sig") as fh:
        row = next(r for r in csv.DictReader(fh) if r["case_id"].removeprefix("'") == case_id)
    assert not row["date"] or dt.date.fromisoformat(row["date"]) >= until
    assert check_result_folder(load_scenario(folder / "scenario"), folder) == []


def test_a_pinned_case_stays_where_the_planner_put_it(client: TestClient, desk: Desk) -> None:
    """``POST /api/cases/fix {case_id, run_id}`` pins a case to its slot in that run (the
    working scenario's ``fixed_*``; the journal says who); a re-solve keeps it there and
    passes the checker; fixing it in a room with no session that day is refused (422) with
    the problem named and nothing changed; releasing lifts the override."""
    import csv

    first = client.post("/api/solve", json={}, headers=bearer(desk)).json()["run_id"]
    assert wait(client, desk, first)["state"] == "done"
    with (desk.runner.path(first) / "schedule.csv").open(encoding="utf-8-sig") as fh:
        row = next(r for r in csv.DictReader(fh) if r["room_id"] and r["start"])
    case_id = row["case_id"]
    r = client.post("/api/cases/fix", json={"case_id": case_id, "run_id": first},
                    headers=bearer(desk, "PF"))  # fmt: skip
    assert r.status_code == 200, r.text
    assert {"case_id": case_id, "date": row["date"], "room_id": row["room_id"],
            "start": row["start"]} in r.json()["fixed"]  # fmt: skip
    entry = desk.journal.entries("fixed")[-1]
    assert (entry.who, entry.case_id) == ("PF", case_id)

    before = client.get("/api/scenario", headers=bearer(desk)).json()
    closed = next(
        (d, room["room_id"]) for d in sorted({s["date"] for s in before["sessions"]})
        for room in before["rooms"]
        if (d, room["room_id"]) not in {(s["date"], s["room_id"]) for s in before["sessions"]}
    )  # fmt: skip
    elsewhere = {"case_id": case_id, "date": closed[0], "room_id": closed[1]}
    bad = client.post("/api/cases/fix", headers=bearer(desk), json=elsewhere)
    assert bad.status_code == 422
    assert any("no session" in p and closed[1] in p for p in bad.json()["problems"]), bad.json()
    assert client.get("/api/scenario", headers=bearer(desk)).json() == before

    again = client.post("/api/solve", json={}, headers=bearer(desk)).json()["run_id"]
    assert wait(client, desk, again)["state"] == "done"
    folder = desk.runner.path(again)
    with (folder / "schedule.csv").open(encoding="utf-8-sig") as fh:
        now = next(r for r in csv.DictReader(fh) if r["case_id"] == case_id)
    assert (now["date"], now["room_id"], now["start"]) == (
        row["date"],
        row["room_id"],
        row["start"],
    )
    fixed = next(c for c in load_scenario(folder / "scenario").cases if c.case_id == case_id)
    assert fixed.fixed_room == row["room_id"] and fixed.planned_date is not None
    assert check_result_folder(load_scenario(folder / "scenario"), folder) == []
    page = client.get(f"/?run={again}", headers=bearer(desk)).text
    assert f'class="release-case" data-case="{case_id}"' in page and 'class="pin-case"' in page
    r = client.post("/api/cases/release", json={"case_id": case_id}, headers=bearer(desk))
    assert r.status_code == 200 and r.json()["fixed"] == []


def test_a_case_moved_by_the_planner_is_operated_there(client: TestClient, desk: Desk) -> None:
    """``POST /api/cases/fix {case_id, date, room_id}`` to another room than the one the
    solve gave it: the next solve operates it in that room that date, checked."""
    import csv

    first = client.post("/api/solve", json={}, headers=bearer(desk)).json()["run_id"]
    assert wait(client, desk, first)["state"] == "done"
    with (desk.runner.path(first) / "schedule.csv").open(encoding="utf-8-sig") as fh:
        row = next(r for r in csv.DictReader(fh) if r["room_id"] and r["start"])
    sessions = client.get("/api/scenario", headers=bearer(desk)).json()["sessions"]
    for s in sessions:
        if (s["date"], s["room_id"]) == (row["date"], row["room_id"]):
            continue
        move = {"case_id": row["case_id"], "date": s["date"], "room_id": s["room_id"]}
        if client.post("/api/cases/fix", json=move, headers=bearer(desk)).status_code == 200:
            break
    else:
        raise AssertionError("the small hospital has another room for its first case")
    again = client.post("/api/solve", json={}, headers=bearer(desk)).json()["run_id"]
    assert wait(client, desk, again)["state"] == "done"
    folder = desk.runner.path(again)
    with (folder / "schedule.csv").open(encoding="utf-8-sig") as fh:
        now = next(r for r in csv.DictReader(fh) if r["case_id"] == row["case_id"])
    assert (now["date"], now["room_id"]) == (move["date"], move["room_id"])
    assert check_result_folder(load_scenario(folder / "scenario"), folder) == []


def test_a_run_whose_summary_is_damaged_is_refused_not_a_traceback(
    client: TestClient, desk: Desk
) -> None:
    """Bug: ``GET /api/runs/<id>`` read ``summary.json`` unguarded, and a damaged one was a
    traceback (500 without a body a script can read). Now it is the ``run_unreadable``
    refusal print, export and explain answer for the same run, in the caller's language."""
    run_id = client.post("/api/solve", json={}, headers=bearer(desk)).json()["run_id"]
    assert wait(client, desk, run_id)["state"] == "done"
    (desk.runner.path(run_id) / "summary.json").write_text('{"solver": ', encoding="utf-8")
    r = client.get(f"/api/runs/{run_id}", headers=bearer(desk))
    assert (r.status_code, r.json()) == (500, {
        "error": f"Run {run_id} cannot be read: its files are damaged.",
        "code": "run_unreadable"})  # fmt: skip
    r = client.get(f"/api/runs/{run_id}", headers={**bearer(desk), "Cookie": "desk_lang=fr"})
    assert r.json()["error"] == f"Le calcul {run_id} ne peut pas être lu : ses fichiers sont " \
        "endommagés."  # fmt: skip
    (desk.runner.path(run_id) / "summary.json").write_bytes(b"\xff\xfe{")
    assert client.get(f"/api/runs/{run_id}", headers=bearer(desk)).status_code == 500

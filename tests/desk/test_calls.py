"""What the planner records on a run's cases: any case id reaches its routes, an outcome is
refused when the run does not hold its case, and the re-plan's and the urgent case's
problems are named by what the planner sent, never by a file the desk wrote."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from urllib.parse import quote

from optimizer.desk import Desk, Gate, make_app

from .conftest import FAST, TestClient, bearer, wait

SLASHED = "2024/001"


def _solved(client: TestClient, desk: Desk) -> str:
    run_id: str = client.post("/api/solve", json={}, headers=bearer(desk)).json()["run_id"]
    state = wait(client, desk, run_id)
    assert state["state"] == "done", state["message"]
    return run_id


def _schedule(desk: Desk, run_id: str) -> list[dict[str, str]]:
    with (desk.runner.path(run_id) / "schedule.csv").open(encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def test_a_case_id_holding_a_slash_is_explained_and_its_outcome_recorded(
    tmp_path: Path, small_hospital: Path
) -> None:
    """Bug: ``/explain/{case_id}`` and ``/calls/{case_id}`` did not match ``2024%2F001``
    (the page's encodeURIComponent; the server decodes it): 404 for a case of the run.
    The rest of the path is the case id (``/retract/{case_id}`` too: the outcome is
    undone); an empty one is refused naming the field."""
    folder = shutil.copytree(small_hospital, tmp_path / "scenario")
    for name in ("cases.csv", "unavailable.csv"):
        path = folder / name
        path.write_text(path.read_text(encoding="utf-8").replace("C00001,", f"{SLASHED},"),
                        encoding="utf-8")  # fmt: skip
    desk = Desk.open(tmp_path / "data", Gate(), folder, dict(FAST))
    try:
        client = TestClient(make_app(desk), base_url="http://127.0.0.1:8765")
        run_id = _solved(client, desk)
        assert SLASHED in {r["case_id"] for r in _schedule(desk, run_id)}
        case = quote(SLASHED, safe="")
        r = client.get(f"/api/runs/{run_id}/explain/{case}", headers=bearer(desk))
        assert r.status_code == 200, r.text
        assert r.json()["case_id"] == SLASHED and SLASHED in r.json()["text"]
        r = client.post(f"/api/runs/{run_id}/calls/{case}", json={"outcome": "withdrawn"},
                        headers=bearer(desk))  # fmt: skip
        assert r.status_code == 200, r.text
        assert desk.journal.outcomes(run_id)[SLASHED].details["outcome"] == "withdrawn"
        r = client.post(f"/api/runs/{run_id}/retract/{case}", json={}, headers=bearer(desk))
        assert r.status_code == 200 and r.json()["retracted"]["outcome"] == "withdrawn", r.text
        assert desk.journal.outcomes(run_id) == {}
        r = client.post(f"/api/runs/{run_id}/calls/", json={"outcome": "done"},
                        headers=bearer(desk))  # fmt: skip
        assert (r.status_code, r.json()["code"]) == (400, "missing")
    finally:
        desk.close()


def test_an_outcome_for_a_case_the_run_does_not_hold_is_refused_when_recorded(
    client: TestClient, desk: Desk
) -> None:
    """Bug: ``done``, ``cancelled`` and ``withdrawn`` were journaled for a case not in the
    run, and every re-plan of the run then failed. Now each is refused (404
    ``no_case_in_run``) and nothing is journaled; ``cancelled`` also needs a case the run
    gave a date (409 ``not_scheduled``); ``done`` for a case of the run is kept and the
    re-plan takes it."""
    run_id = _solved(client, desk)
    for outcome in ("done", "cancelled", "withdrawn"):
        r = client.post(f"/api/runs/{run_id}/calls/NOPE", json={"outcome": outcome},
                        headers=bearer(desk))  # fmt: skip
        assert (r.status_code, r.json()) == (
            404,
            {"error": f"Run {run_id} holds no case NOPE.", "code": "no_case_in_run"},
        ), outcome
    assert desk.journal.outcomes(run_id) == {}
    rows = _schedule(desk, run_id)
    undated = [r["case_id"] for r in rows if not r["date"]]
    assert undated, "the small hospital leaves some waiting case without a date"
    r = client.post(f"/api/runs/{run_id}/calls/{undated[0]}", json={"outcome": "cancelled"},
                    headers=bearer(desk))  # fmt: skip
    assert (r.status_code, r.json()["code"]) == (409, "not_scheduled")
    assert desk.journal.outcomes(run_id) == {}
    first = rows[0]["case_id"]
    r = client.post(f"/api/runs/{run_id}/calls/{first}", json={"outcome": "done"},
                    headers=bearer(desk))  # fmt: skip
    assert r.status_code == 200, r.text
    r = client.post(f"/api/runs/{run_id}/replan", json={}, headers=bearer(desk))
    assert r.status_code == 200, r.text
    state = wait(client, desk, r.json()["run_id"])
    assert state["state"] == "done", state["message"]


def test_a_replan_and_an_urgent_case_name_their_problems_by_what_the_planner_sent(
    client: TestClient, desk: Desk
) -> None:
    """Bug: the re-plan's and the urgent case's problems named a temporary file the desk
    had written (``/tmp/desk-replan-.../events.csv, row 3, column case_id``). Now the
    outcome recorded for a case (and its field), or the urgent case's field, in English
    and in French."""
    run_id = _solved(client, desk)
    fr = {**bearer(desk), "Cookie": "desk_lang=fr"}
    # an outcome journaled before outcomes were checked, and a case cancelled on a day that
    # has not passed on the morning re-planned (the run's second date)
    desk.journal.add("AB", "outcome", run_id=run_id, case_id="NOPE", outcome="cancelled")
    later = next(r["case_id"] for r in _schedule(desk, run_id)
                 if r["date"] and r["date"] > min(x["date"] for x in _schedule(desk, run_id)
                                                  if x["date"]))  # fmt: skip
    r = client.post(f"/api/runs/{run_id}/calls/{later}", json={"outcome": "cancelled"},
                    headers=bearer(desk))  # fmt: skip
    assert r.status_code == 200, r.text
    r = client.post(f"/api/runs/{run_id}/replan", json={}, headers=bearer(desk))
    assert r.status_code == 422 and r.json()["code"] == "bad_input"
    problems = r.json()["problems"]
    assert len(problems) == 2 and not any("events.csv" in p or "desk-" in p for p in problems)
    assert problems[0].startswith(f"the outcome recorded for case {later}, field outcome: ")
    assert problems[1] == "the outcome recorded for case NOPE: case NOPE is not in the " \
        "previous result"  # fmt: skip
    said = client.post(f"/api/runs/{run_id}/replan", json={}, headers=fr).json()["problems"]
    assert said[0].startswith(
        f"le résultat d'appel enregistré pour l'intervention {later}, le résultat de l'appel : "
    )
    assert said[1].startswith("le résultat d'appel enregistré pour l'intervention NOPE : ")

    scenario = desk.workspace.scenario
    assert scenario is not None
    c = scenario.cases[0]
    urgent = {"case_id": "URG01", "specialty": c.specialty, "surgeon_id": c.surgeon_id,
              "duration_min": "45", "urgency": "Z9"}  # fmt: skip
    for headers, where in ((bearer(desk), "the urgent case, field urgency: "),
                           (fr, "le cas urgent, la classe d'urgence : ")):  # fmt: skip
        r = client.post(f"/api/runs/{run_id}/insert", json=urgent, headers=headers)
        assert r.status_code == 422, r.text
        problems = r.json()["problems"]
        assert len(problems) == 1 and problems[0].startswith(where), problems
        assert "Z9" in problems[0] and "urgent_cases.csv" not in problems[0]


def test_declined_until_a_day_after_the_horizon_typed_dd_mm_is_taken(
    client: TestClient, desk: Desk
) -> None:
    """Bug: ``declined`` until ``DD/MM`` after the run's last date (the patient can come only
    next month) was refused, 422 "no date of the horizon", while the same date in ISO was
    taken. Both now record the same date."""
    import datetime as dt

    from optimizer.scenario import load_scenario

    run_id = _solved(client, desk)
    with (desk.runner.path(run_id) / "calls.csv").open(encoding="utf-8-sig") as fh:
        case_id = next(csv.DictReader(fh))["case_id"].removeprefix("'")
    end = load_scenario(desk.runner.path(run_id) / "scenario").policy.end_date
    later = end + dt.timedelta(days=20)
    r = client.post(f"/api/runs/{run_id}/calls/{case_id}", headers=bearer(desk),
                    json={"outcome": "declined", "until": later.strftime("%d/%m")})  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.json()["until"] == later.isoformat()


def test_declined_until_a_date_no_replan_could_take_is_refused_when_recorded(
    client: TestClient, desk: Desk
) -> None:
    """Bug: ``declined`` until the run's first date or earlier (a year mistyped, the day
    before) was recorded, then broke every *Start tomorrow* of the run with a problem about
    the outcome. It is now refused at once, in the caller's language, and nothing is
    journaled; the day after the run's first date is still taken."""
    import datetime as dt

    from optimizer.scenario import load_scenario

    run_id = _solved(client, desk)
    with (desk.runner.path(run_id) / "calls.csv").open(encoding="utf-8-sig") as fh:
        case_id = next(csv.DictReader(fh))["case_id"].removeprefix("'")
    first = load_scenario(desk.runner.path(run_id) / "scenario").policy.start_date
    route = f"/api/runs/{run_id}/calls/{case_id}"
    for until in (first, first - dt.timedelta(days=400)):
        r = client.post(route, headers=bearer(desk),
                        json={"outcome": "declined", "until": until.isoformat()})  # fmt: skip
        assert r.status_code == 400 and r.json()["code"] == "until_too_early", r.text
        assert first.strftime("%d/%m") in r.json()["error"]
    r = client.post(f"{route}?lang=fr", headers=bearer(desk),
                    json={"outcome": "declined", "until": first.isoformat()})  # fmt: skip
    assert r.json()["error"].startswith(f"Intervention {case_id} : le patient refuse jusqu'au ")
    assert desk.journal.outcomes(run_id) == {}
    later = first + dt.timedelta(days=1)
    r = client.post(route, headers=bearer(desk),
                    json={"outcome": "declined", "until": later.isoformat()})  # fmt: skip
    assert r.status_code == 200 and r.json()["until"] == later.isoformat(), r.text

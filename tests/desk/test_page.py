"""The page shows what the desk holds, in the planner's language: the grid, the answer,
the calls, a comparison of two runs."""

from __future__ import annotations

from optimizer.desk import Desk

from .conftest import TestClient, bearer, wait


def _browser(client: TestClient, desk: Desk) -> None:
    client.get(f"/?token={desk.gate.token}", follow_redirects=False)
    csrf = desk.gate.csrf_of(client.cookies.get("desk_session"))
    client.headers.update({"X-Desk-CSRF": csrf or "", "Origin": "http://127.0.0.1:8765"})


def test_first_visit_asks_for_a_name_then_shows_the_grid(client: TestClient, desk: Desk) -> None:
    """No name yet: the page asks; once given, it says who is working, and every room of
    the scenario is a row of the grid with one cell per date of the horizon."""
    _browser(client, desk)
    assert 'id="planner-form"' in client.get("/").text
    client.post("/planner", json={"name": "Marie D."})
    page = client.get("/").text
    assert 'id="planner-form"' not in page and "You are Marie D." in page
    scenario = desk.workspace.scenario
    assert scenario is not None
    days = (scenario.policy.end_date - scenario.policy.start_date).days + 1
    assert page.count('class="cell') == len(scenario.rooms) * days


def test_the_answer_in_french_and_two_runs_compared(client: TestClient, desk: Desk) -> None:
    """After two solves the page shows the latest answer (kept ratio per date, calls),
    switches to French, and compares the two runs date by date."""
    _browser(client, desk)
    client.post("/planner", json={"name": "JP"})
    first = client.post("/api/solve", json={}).json()["run_id"]
    wait(client, desk, first)
    where = client.get("/api/scenario").json()["sessions"][0]
    client.post("/api/sessions/close", json={"date": where["date"], "room_id": where["room_id"]})
    second = client.post("/api/solve", json={}).json()["run_id"]
    assert wait(client, desk, second)["state"] == "done"
    page = client.get("/").text
    assert f'data-run="{second}"' in page and 'id="kept"' in page
    assert f'<tr data-date="{where["date"]}"' in page
    french = client.get("/?lang=fr").text
    assert "Taux maintenu par date" in french and "Appels à passer" in french
    assert client.cookies.get("desk_lang") == "fr"
    compared = client.get(f"/?a={first}&b={second}").text
    assert f"Calcul {first} comparé au calcul {second}" in compared


def test_the_journal_is_audited_by_the_api(client: TestClient, desk: Desk) -> None:
    """``GET /api/journal`` lists what was done, by whom, in order."""
    where = client.get("/api/scenario", headers=bearer(desk)).json()["sessions"][0]
    body = {"date": where["date"], "room_id": where["room_id"]}
    client.post("/api/sessions/close", json=body, headers=bearer(desk, "CN"))
    entries = client.get("/api/journal", headers=bearer(desk)).json()
    assert [(e["who"], e["what"]) for e in entries][-1] == ("CN", "closed")
    assert entries[-1]["room_id"] == where["room_id"]

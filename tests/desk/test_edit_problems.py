"""A capacity edit on the desk that a pinned case forbids names the case, not a false row; a
room, surgeon or hours refused are named by the form's field."""

from __future__ import annotations

from pathlib import Path

from optimizer.desk import Desk, Gate, make_app
from tests.support.paths import DEMO

from .conftest import FAST, TestClient, bearer


def test_a_surgeon_absent_on_a_pinned_cases_date_names_no_false_row(tmp_path: Path) -> None:
    """GEN01 operates the pinned C00031 on 16/04 (cases.csv row 32). Marking GEN01 absent that
    date was refused as "cases, row 30, ...": the case's position in memory, and row 30 of
    cases.csv holds C00029. Now cases.csv, its column, and the case by its id."""
    desk = Desk.open(tmp_path / "data", Gate(), DEMO, dict(FAST))
    try:
        client = TestClient(make_app(desk), base_url="http://127.0.0.1:8765")
        body = {"surgeon_id": "GEN01", "date": "2024-04-16"}
        answer = client.post("/api/surgeons/absent", json=body, headers=bearer(desk))
        assert answer.status_code == 422, answer.text
        [problem] = answer.json()["problems"]
        assert problem.startswith("cases.csv, column planned_start: pinned case C00031"), problem
        assert "row" not in problem, problem
    finally:
        desk.close()


def test_a_bad_room_or_surgeon_edit_names_the_form_s_field_in_english(
    client: TestClient, desk: Desk
) -> None:
    """In English the refused room and surgeon edits name the request's field as the API
    sends it (``room_id``, ``surgeon_id``, ``end``), as the staff and equipment form names
    ``resource``; they said "rooms, column room_id", "cases, column surgeon_id" (a file's
    table and column the planner never wrote) and a bad end "sessions, column start"."""
    day = client.get("/api/scenario", headers=bearer(desk)).json()["start_date"]
    room = client.get("/api/scenario", headers=bearer(desk)).json()["rooms"][0]["room_id"]
    edits = [
        ("/api/sessions/close", {"date": day, "room_id": "R99"},
         "room_id: room R99 is not listed"),
        ("/api/surgeons/absent", {"date": day, "surgeon_id": "NOBODY"},
         "surgeon_id: surgeon NOBODY operates no case"),
        ("/api/sessions/open", {"date": day, "room_id": room, "start": "12:00", "end": "7.00"},
         "end: '7.00' is not a clock time HH:MM between 00:00 and 24:00"),
        ("/api/sessions/open", {"date": day, "room_id": room, "start": "12:00", "end": "08:00"},
         "start: 12:00 is not before 08:00"),
    ]  # fmt: skip
    for path, body, said in edits:
        r = client.post(f"{path}?lang=en", json=body, headers=bearer(desk))
        assert r.status_code == 422 and r.json()["problems"] == [said], r.json()

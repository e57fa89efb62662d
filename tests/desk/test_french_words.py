"""The desk in French names what the planner sees: the form's field in words and the
scenario rather than a file; English keeps the API's names."""

from __future__ import annotations

import csv
from pathlib import Path

from optimizer.desk import Desk

from .conftest import TestClient, bearer


def _free_slot(client: TestClient, desk: Desk) -> tuple[str, str]:
    """A room and a date of the horizon with no session of that room."""
    s = client.get("/api/scenario", headers=bearer(desk)).json()
    held = {(x["room_id"], x["date"]) for x in s["sessions"]}
    dates = sorted({x["date"] for x in s["sessions"]})
    return next(
        (r["room_id"], d) for r in s["rooms"] for d in dates if (r["room_id"], d) not in held
    )


def test_closing_a_room_without_a_session_names_the_date_in_words(
    client: TestClient, desk: Desk
) -> None:
    """Bug: closing a room on a date it has no session was refused in French as
    "sessions : ces salles n'ont aucune vacation à fermer à ces dates", the table's name
    and plurals for one room on one date. Now the date field in words, the room named."""
    room, day = _free_slot(client, desk)
    body = {"room_id": room, "date": day}
    r = client.post("/api/sessions/close?lang=fr", json=body, headers=bearer(desk))
    assert r.status_code == 422
    assert r.json()["problems"] == [f"la date : la salle {room} n'a pas de vacation à fermer ce "
                                    "jour-là"]  # fmt: skip
    r = client.post("/api/sessions/close", json=body, headers=bearer(desk))
    assert r.json()["problems"] == [f"date: room {room} has no session to close that date"]
    assert desk.journal.entries("closed") == []


def test_an_unknown_resource_names_no_file(client: TestClient, desk: Desk) -> None:
    """Bug: a resource the scenario does not have, set from the staff and equipment form,
    was "... ni un parc mobile de resources.csv": a file the desk's planner never sees.
    Now the scenario, in both languages."""
    first = client.get("/api/scenario", headers=bearer(desk)).json()["start_date"]
    body = {"resource": "laser", "date": first, "capacity": 1}
    r = client.post("/api/resources/set?lang=fr", json=body, headers=bearer(desk))
    assert r.status_code == 422
    [said] = r.json()["problems"]
    assert said.startswith("la ressource : le scénario n'a ni personnel ni équipement mobile "
                           "nommé laser (ressources connues : "), said  # fmt: skip
    r = client.post("/api/resources/set", json=body, headers=bearer(desk))
    [said] = r.json()["problems"]
    assert said.startswith("resource: the scenario has no staff or mobile equipment named laser")
    assert "resources.csv" not in said


def test_pinning_a_case_names_the_form_s_fields(
    client: TestClient, desk: Desk, small_hospital: Path
) -> None:
    """Bug: pinning a case (``/api/cases/fix``) in an unknown room said "rooms, colonne
    room_id : ...", a bad start "cases, colonne fixed_start", an unknown case "cases,
    colonne case_id": a table and column the planner never wrote. Now the form's field,
    in words in French and by the API's name in English; nothing pinned."""
    with (small_hospital / "cases.csv").open(encoding="utf-8-sig") as fh:
        case = next(csv.DictReader(fh))["case_id"]
    s = client.get("/api/scenario", headers=bearer(desk)).json()
    first, room = s["start_date"], s["rooms"][0]["room_id"]
    asked = [
        ({"case_id": case, "date": first, "room_id": "R99"},
         "la salle : la salle R99 ne figure pas dans la liste des salles",
         "room_id: room R99 is not listed"),
        ({"case_id": case, "date": first, "room_id": room, "start": "7.00"},
         "l'heure de début : '7.00' n'est pas une heure HH:MM entre 00:00 et 23:59",
         "start: '7.00' is not a clock time HH:MM between 00:00 and 23:59"),
        ({"case_id": "NOPE", "date": first},
         "l'intervention : le cas NOPE ne figure pas dans la liste des cas",
         "case_id: case NOPE is not listed"),
    ]  # fmt: skip
    for body, french, english in asked:
        r = client.post("/api/cases/fix?lang=fr", json=body, headers=bearer(desk))
        assert r.status_code == 422 and r.json()["problems"] == [french], r.text
        r = client.post("/api/cases/fix?lang=en", json=body, headers=bearer(desk))
        assert r.json()["problems"] == [english], r.text
    r = client.post("/api/cases/release?lang=fr", json={"case_id": "NOPE"}, headers=bearer(desk))
    assert r.json()["problems"] == ["l'intervention : le cas NOPE ne figure pas dans la liste "
                                    "des cas"]  # fmt: skip
    assert desk.journal.entries("fixed") == []

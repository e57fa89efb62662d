"""The desk's *Staff and equipment* form: ``POST /api/resources/set {resource, date,
capacity}``, the edit ``capacity --resource`` makes, for one resource and date."""

from __future__ import annotations

import datetime as dt

from optimizer.desk import Desk

from .conftest import TestClient, bearer
from .test_page import _browser

D0, D1 = dt.date(2024, 4, 15), dt.date(2024, 4, 16)


def test_a_resource_set_on_a_date_changes_that_date_only(client: TestClient, desk: Desk) -> None:
    """anaesthetist 1 on 15/04 (3 before): the working scenario holds 1 there and still 2
    on 16/04; the journal says who set it, and the page offers the form and says it."""
    before = desk.workspace.scenario
    assert before is not None and before.capacity["anaesthetist", D0] == 3
    body = {"resource": "anaesthetist", "date": "15/04", "capacity": 1}
    answer = client.post("/api/resources/set", json=body, headers=bearer(desk, "RS"))
    assert answer.status_code == 200, answer.text
    after = desk.workspace.scenario
    assert after is not None
    assert after.capacity["anaesthetist", D0] == 1 and after.capacity["anaesthetist", D1] == 2
    assert {k: v for k, v in after.capacity.items() if k[0] != "anaesthetist"} == {
        k: v for k, v in before.capacity.items() if k[0] != "anaesthetist"
    }
    [entry] = desk.journal.entries("resource_set")
    assert entry.who == "RS" and entry.details["capacity"] == "1"
    _browser(client, desk)
    client.post("/planner", json={"name": "RS"})
    page = client.get("/").text
    assert 'id="resource-form"' in page and '<option value="c_arm">C-arm</option>' in page
    assert "set the capacity of anaesthetists to 1 on 15/04" in page
    assert "a fixé la capacité « anesthésistes » à 1 le 15/04" in client.get("/?lang=fr").text


def test_a_resource_the_desk_cannot_set_is_refused_by_field(client: TestClient, desk: Desk) -> None:
    """Equipment fixed in a room, an unknown name, a count below 0: 422, each problem named
    by the field that holds it, said in the caller's language; the scenario unchanged. The
    way to do without equipment fixed in a room is said as done on the desk (close that room
    on that date), not as the command line's option ("(--close OR02)", which the desk showed
    before); in French too."""
    before = desk.workspace.scenario
    asked = [
        ({"resource": "laminar_flow", "date": "15/04", "capacity": 0},
         "resource: laminar_flow is equipment fixed in room OR02, not a mobile pool: to do "
         "without it, close that room on that date"),
        ({"resource": "c_ram", "date": "15/04", "capacity": 1},
         "resource: the scenario has no staff or mobile equipment named c_ram (did you "
         "mean c_arm?)"),
        ({"resource": "icu_bed", "date": "15/04", "capacity": -1},
         "capacity: '-1': the capacity is not a whole number from 0 to 100,000"),
    ]  # fmt: skip
    for body, said in asked:
        answer = client.post("/api/resources/set", json=body, headers=bearer(desk))
        assert answer.status_code == 422, answer.text
        assert answer.json()["problems"] == [said]
    answer = client.post("/api/resources/set?lang=fr", json=asked[1][0], headers=bearer(desk))
    assert answer.json()["problems"] == [
        "la ressource : le scénario n'a ni personnel ni équipement mobile nommé c_ram "
        "(peut-être c_arm ?)"
    ]
    answer = client.post("/api/resources/set?lang=fr", json=asked[0][0], headers=bearer(desk))
    assert answer.json()["problems"] == [
        "la ressource : laminar_flow est un équipement fixe de la salle OR02, pas un parc "
        "mobile : pour s'en passer, fermez cette salle à cette date"
    ]
    assert desk.workspace.scenario == before
    assert desk.journal.entries("resource_set") == []


def test_a_refused_capacity_names_its_field_in_french(client: TestClient, desk: Desk) -> None:
    """A count below 0, a decimal count, an unknown resource, a date outside the horizon,
    asked in French: each problem named by the field in words, as the page names it ("la
    capacité", not the API's ``capacity``), and the count quoted as the planner typed it
    (not the command line's ``icu_bed=-1``). The English answer keeps the API's names."""
    asked = [
        ({"resource": "icu_bed", "date": "15/04", "capacity": -1},
         "la capacité : '-1' : la capacité n'est pas un nombre entier de 0 à 100\u202f000"),
        ({"resource": "icu_bed", "date": "15/04", "capacity": "2,5"},
         "la capacité : '2,5' : la capacité n'est pas un nombre entier de 0 à 100\u202f000"),
        ({"resource": "c_ram", "date": "15/04", "capacity": 1},
         "la ressource : le scénario n'a ni personnel ni équipement mobile nommé c_ram "
         "(peut-être c_arm ?)"),
        ({"resource": "icu_bed", "date": "31/12", "capacity": 1},
         "la date : '31/12' ne correspond à aucune date de la période du 15/04/2024 au "
         "16/04/2024"),
    ]  # fmt: skip
    for body, said in asked:
        answer = client.post("/api/resources/set?lang=fr", json=body, headers=bearer(desk))
        assert answer.status_code == 422 and answer.json()["problems"] == [said], answer.text
    english = client.post("/api/resources/set", json=asked[0][0], headers=bearer(desk))
    assert english.json()["problems"] == [
        "capacity: '-1': the capacity is not a whole number from 0 to 100,000"
    ]
    assert desk.journal.entries("resource_set") == []

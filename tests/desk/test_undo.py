"""An outcome recorded by mistake is taken back (``POST /api/runs/<id>/retract/<case_id>``,
*Undo entry* on the page): the journal keeps both entries, and everything that reads the
outcomes (the page, the re-plan's events, the call list) behaves as if it had never been
recorded; the outcome recorded before it, if any, stands again."""

from __future__ import annotations

import csv
import html
from pathlib import Path

from optimizer.desk import Desk
from optimizer.desk.outcomes import events_of

from .conftest import TestClient, bearer, wait

OURS = "http://127.0.0.1:8765"


def _run_with_calls(client: TestClient, desk: Desk) -> tuple[str, list[str]]:
    """A finished run of the small hospital with a room closed on its first date (so that
    someone is called); its id and its call list's case ids."""
    scenario = desk.workspace.scenario
    assert scenario is not None
    where = {"date": scenario.policy.start_date.isoformat(), "room_id": scenario.rooms[0].room_id}
    assert client.post("/api/sessions/close", json=where, headers=bearer(desk)).status_code == 200
    run_id: str = client.post("/api/solve", json={}, headers=bearer(desk)).json()["run_id"]
    state = wait(client, desk, run_id)
    assert state["state"] == "done", state["message"]
    called = [r["case_id"] for r in _rows(desk.runner.path(run_id) / "calls.csv")]
    assert called, "closing a room on the first date changes someone's slot"
    return run_id, called


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _replan(client: TestClient, desk: Desk, run_id: str) -> Path:
    r = client.post(f"/api/runs/{run_id}/replan", json={}, headers=bearer(desk))
    assert r.status_code == 200, r.text
    state = wait(client, desk, r.json()["run_id"])
    assert state["state"] == "done", state["message"]
    return desk.runner.path(state["run_id"])


def _files(folder: Path) -> dict[str, bytes]:
    """What a re-plan decided: every file of its folder and of its ``scenario/`` but those
    that say when and how long it ran (summary, report, letters, workbooks)."""
    ours = ("schedule.csv", "calls.csv", "done.csv")
    got = {name: (folder / name).read_bytes() for name in ours if (folder / name).is_file()}
    got |= {f"scenario/{p.name}": p.read_bytes() for p in sorted((folder / "scenario").iterdir())}
    return got


def test_record_then_undo_then_replan_is_as_if_never_recorded(
    client: TestClient, desk: Desk
) -> None:
    """A case withdrawn by mistake and a patient declined by mistake, both undone: the
    re-plan reads no event, and its schedule, calls, done cases and scenario are those of
    a re-plan of the same run with nothing ever recorded (same seed, one worker). Undoing
    answers what stands now (nothing) and what was taken back."""
    run_id, called = _run_with_calls(client, desk)
    never = _files(_replan(client, desk, run_id))

    first_day = desk.workspace.scenario.policy.start_date  # type: ignore[union-attr]
    # a case the morning re-planned (the next date) would not take off the list by itself
    rows = _rows(desk.runner.path(run_id) / "schedule.csv")
    later = [r["case_id"] for r in rows if r["date"] != first_day.isoformat()]
    withdrawn = next(c for c in later if c not in called)
    declined = called[0]
    until = desk.workspace.scenario.policy.end_date.isoformat()  # type: ignore[union-attr]
    r = client.post(f"/api/runs/{run_id}/calls/{withdrawn}", json={"outcome": "withdrawn"},
                    headers=bearer(desk, "CN"))  # fmt: skip
    assert r.status_code == 200, r.text
    entry = r.json()["entry_id"]
    said = {"outcome": "declined", "until": until}
    r = client.post(f"/api/runs/{run_id}/calls/{declined}", json=said, headers=bearer(desk, "CN"))
    assert r.status_code == 200, r.text
    assert [e["case_id"] for e in events_of(desk.journal, run_id)] == sorted([withdrawn, declined])

    r = client.post(f"/api/runs/{run_id}/retract/{withdrawn}", json={"entry_id": entry},
                    headers=bearer(desk, "MD"))  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.json() == {
        "case_id": withdrawn, "outcome": None, "until": None, "entry_id": None, "who": None,
        "retracted": {"outcome": "withdrawn", "until": None, "entry_id": entry, "who": "CN"},
    }  # fmt: skip
    r = client.post(f"/api/runs/{run_id}/retract/{declined}", headers=bearer(desk, "MD"))
    assert r.status_code == 200, r.text  # no body: the outcome standing is taken back
    assert events_of(desk.journal, run_id) == [] and desk.journal.outcomes(run_id) == {}

    after = _replan(client, desk, run_id)
    assert desk.journal.entries("replan")[-1].details["events"] == 0
    assert _files(after) == never
    left = _rows(after / "done.csv")
    assert withdrawn not in {r["case_id"] for r in left}
    assert all(r["source"] == "schedule" for r in left)

    # the journal only grew: both outcomes, and who took each back, naming it
    journaled = [(e.what, e.who, e.case_id) for e in desk.journal.entries(run_id=run_id)
                 if e.what in ("outcome", "retracted")]  # fmt: skip
    assert journaled == [("outcome", "CN", withdrawn), ("outcome", "CN", declined),
                    ("retracted", "MD", withdrawn), ("retracted", "MD", declined)]  # fmt: skip
    taken = desk.journal.entries("retracted")[0]
    assert taken.details == {"retracts": entry, "outcome": "withdrawn", "until": None,
                             "recorded_by": "CN"}  # fmt: skip


def test_undo_brings_back_the_outcome_recorded_before(client: TestClient, desk: Desk) -> None:
    """``unreachable`` then ``confirmed`` by mistake: undone, ``unreachable`` stands again
    (in the re-plan's events, on the call list, in the API's answer); undone too, nothing
    stands; a third undo is refused (404 ``no_outcome``) and journals nothing."""
    run_id, called = _run_with_calls(client, desk)
    case = called[0]
    first = client.post(f"/api/runs/{run_id}/calls/{case}", json={"outcome": "unreachable"},
                        headers=bearer(desk, "CN")).json()["entry_id"]  # fmt: skip
    client.post(f"/api/runs/{run_id}/calls/{case}", json={"outcome": "confirmed"},
                headers=bearer(desk, "MD"))  # fmt: skip
    assert events_of(desk.journal, run_id) == [{"case_id": case, "event": "confirmed", "until": ""}]

    r = client.post(f"/api/runs/{run_id}/retract/{case}", json={}, headers=bearer(desk, "MD"))
    assert r.status_code == 200, r.text
    assert (r.json()["outcome"], r.json()["who"], r.json()["entry_id"]) == ("unreachable", "CN",
                                                                             first)  # fmt: skip
    assert r.json()["retracted"]["outcome"] == "confirmed"
    assert events_of(desk.journal, run_id) == [
        {"case_id": case, "event": "unreachable", "until": ""}
    ]
    page = client.get(f"/?run={run_id}", headers=bearer(desk)).text
    row = page.split(f'<tr data-case="{case}">', 1)[1].split("</tr>", 1)[0]
    assert "unreachable" in row and "recorded by CN" in row and "confirmed <small>" not in row
    assert f'data-entry="{first}"' in row

    r = client.post(f"/api/runs/{run_id}/retract/{case}", json={"entry_id": str(first)},
                    headers=bearer(desk, "MD"))  # fmt: skip
    assert r.status_code == 200 and r.json()["outcome"] is None, r.text
    before = len(desk.journal.entries())
    r = client.post(f"/api/runs/{run_id}/retract/{case}", json={}, headers=bearer(desk))
    assert (r.status_code, r.json()) == (404, {
        "error": f"No outcome is recorded for case {case} on run {run_id}: there is nothing "
                 "to undo.", "code": "no_outcome"})  # fmt: skip
    assert len(desk.journal.entries()) == before and events_of(desk.journal, run_id) == []


def test_undo_refuses_what_it_cannot_take_back(client: TestClient, desk: Desk) -> None:
    """Nothing recorded for the case (404 ``no_outcome``, in French too), an unknown run
    (404 ``no_run``), an entry that is no longer the one standing (someone recorded
    another since the page was drawn: 409 ``outcome_changed``), an entry that is no
    number (400), no case id (400): each refused, nothing journaled, the outcome stays."""
    run_id, called = _run_with_calls(client, desk)
    case = called[0]
    fr = {**bearer(desk), "Cookie": "desk_lang=fr"}
    r = client.post(f"/api/runs/{run_id}/retract/{case}", json={}, headers=fr)
    assert (r.status_code, r.json()["code"]) == (404, "no_outcome")
    assert r.json()["error"] == (f"Aucun résultat n'est enregistré pour l'intervention {case} "
                                 f"sur le calcul {run_id} : il n'y a rien à annuler.")  # fmt: skip
    shown = client.post(f"/api/runs/{run_id}/calls/{case}", json={"outcome": "unreachable"},
                        headers=bearer(desk)).json()["entry_id"]  # fmt: skip
    client.post(f"/api/runs/{run_id}/calls/{case}", json={"outcome": "confirmed"},
                headers=bearer(desk))  # fmt: skip
    before = len(desk.journal.entries())
    asked = [
        ("9999", case, {}, 404, "no_run"),
        (run_id, case, {"entry_id": shown}, 409, "outcome_changed"),
        (run_id, case, {"entry_id": "the last"}, 400, "bad_entry"),
        (run_id, "", {}, 400, "missing"),
    ]  # fmt: skip
    for run, cid, body, status, code in asked:
        r = client.post(f"/api/runs/{run}/retract/{cid}", json=body, headers=bearer(desk))
        assert (r.status_code, r.json()["code"]) == (status, code), (body, r.text)
    assert len(desk.journal.entries()) == before
    assert desk.journal.outcomes(run_id)[case].details["outcome"] == "confirmed"


def test_undo_needs_the_token_and_from_a_browser_its_csrf_token_and_a_name(
    client: TestClient, desk: Desk
) -> None:
    """As every write route: no token 401; a cookie without the page's CSRF token, or from
    another origin, 403; before the planner gave a name 400; then the outcome is taken
    back, and the journal names who did it."""
    run_id, called = _run_with_calls(client, desk)
    case = called[0]
    client.post(f"/api/runs/{run_id}/calls/{case}", json={"outcome": "confirmed"},
                headers=bearer(desk, "CN"))  # fmt: skip
    path = f"/api/runs/{run_id}/retract/{case}"
    assert client.post(path, json={}).status_code == 401
    assert client.post(path, json={}, headers={"Authorization": "Bearer x"}).status_code == 401

    client.get(f"/?token={desk.gate.token}", follow_redirects=False)
    csrf = desk.gate.csrf_of(client.cookies.get("desk_session"))
    assert csrf is not None
    refused = [
        ({}, "csrf"),
        ({"Origin": OURS, "X-Desk-CSRF": "guess"}, "csrf"),
        ({"Origin": "http://evil.example", "X-Desk-CSRF": csrf}, "cross_site"),
    ]
    for headers, code in refused:
        r = client.post(path, json={}, headers=headers)
        assert (r.status_code, r.json()["code"]) == (403, code), headers
    ours = {"Origin": OURS, "X-Desk-CSRF": csrf}
    r = client.post(path, json={}, headers=ours)
    assert (r.status_code, r.json()["code"]) == (400, "planner_first")
    assert desk.journal.entries("retracted") == []
    assert case in desk.journal.outcomes(run_id)

    assert client.post("/planner", json={"name": "Marie D."}, headers=ours).status_code == 200
    r = client.post(path, json={}, headers=ours)
    assert r.status_code == 200, r.text
    assert [e.who for e in desk.journal.entries("retracted")] == ["Marie D."]
    assert desk.journal.outcomes(run_id) == {}


def test_the_page_offers_to_undo_each_outcome_in_french(client: TestClient, desk: Desk) -> None:
    """Beside each outcome standing (on the call list, and a case done off it), *Annuler la
    saisie* with the entry it takes back and a question naming the outcome, who recorded it
    and the case; once undone, the button is gone and the journal says who undid what."""
    run_id, called = _run_with_calls(client, desk)
    scheduled = [r["case_id"] for r in _rows(desk.runner.path(run_id) / "schedule.csv")]
    done = next(c for c in scheduled if c not in called)
    case = called[0]
    until = desk.workspace.scenario.policy.end_date  # type: ignore[union-attr]
    day = f"{until.day:02d}/{until.month:02d}"
    said = {"outcome": "declined", "until": until.isoformat()}
    declined = client.post(f"/api/runs/{run_id}/calls/{case}", json=said,
                           headers=bearer(desk, "JP")).json()  # fmt: skip
    client.post(f"/api/runs/{run_id}/calls/{done}", json={"outcome": "done"},
                headers=bearer(desk, "JP"))  # fmt: skip

    page = html.unescape(client.get(f"/?run={run_id}&lang=fr", headers=bearer(desk)).text)
    row = page.split(f'<tr data-case="{case}">', 1)[1].split("</tr>", 1)[0]
    assert f"refusé jusqu'au {day} <small>(enregistré par JP)</small>" in row
    assert 'class="undo-outcome"' in row and ">Annuler la saisie</button>" in row
    assert f'data-entry="{declined["entry_id"]}"' in row
    assert (f'data-confirm="Annuler la saisie « refusé jusqu\'au {day} » faite par JP pour '
            f'l\'intervention {case} ?"') in row  # fmt: skip
    assert "le résultat enregistré avant elle, s'il y en a un, s'applique de nouveau" in row
    other = page.split('<table id="other-outcomes">', 1)[1].split("</table>", 1)[0]
    assert "Également saisi sur ce calcul" in page
    assert f'<tr data-case="{done}">' in other and "faite <small>" in other
    assert 'class="undo-outcome"' in other

    client.post(f"/api/runs/{run_id}/retract/{case}", json={}, headers=bearer(desk, "MD"))
    page = html.unescape(client.get(f"/?run={run_id}&lang=fr", headers=bearer(desk)).text)
    row = page.split(f'<tr data-case="{case}">', 1)[1].split("</tr>", 1)[0]
    assert "undo-outcome" not in row and f"refusé jusqu'au {day}" not in row
    assert (f"a annulé la saisie « refusé jusqu'au {day} » de JP pour {case} "
            f"(calcul {run_id})") in page  # fmt: skip

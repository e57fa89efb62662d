"""What happened to a case on its day, recorded from the page: *Annulée le jour même* on
the day sheets (a case the run gave a date), *Retirée de la liste* there and beside each
case not kept. Each button posts what the call list's controls post (``POST
/api/runs/<id>/calls/<case_id> {outcome}``, same gate) once the planner has said yes;
the outcome then shows beside the case with *Annuler la saisie*, and *Commencer demain*
reads it. No button where the run would refuse the outcome, and none for ``done``."""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from optimizer import load_scenario
from optimizer.desk import Desk
from optimizer.desk.errors import DeskError
from optimizer.desk.outcomes import may_record

from .conftest import TestClient, bearer, wait

OURS = "http://127.0.0.1:8765"
BUTTON = re.compile(r'<button type="button" class="record-day" data-case="([^"]*)" '
                    r'data-outcome="([^"]*)" data-confirm="([^"]*)">([^<]*)</button>')  # fmt: skip


def _solved(client: TestClient, desk: Desk) -> str:
    run_id: str = client.post("/api/solve", json={}, headers=bearer(desk)).json()["run_id"]
    state = wait(client, desk, run_id)
    assert state["state"] == "done", state["message"]
    return run_id


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _sheet_row(page: str, date: str, case: str) -> str:
    """The row of ``case`` on the day sheet of ``date`` (ISO)."""
    sheet = page.split(f'<details class="sheet" data-date="{date}">', 1)[1].split("</details>")[0]
    return sheet.split(f'<tr data-case="{case}">', 1)[1].split("</tr>", 1)[0]


def _not_kept_row(page: str, case: str) -> str:
    table = page.split('<table id="not-kept">', 1)[1].split("</table>", 1)[0]
    return table.split(f'<tr data-case="{case}">', 1)[1].split("</tr>", 1)[0]


def _buttons(text: str) -> list[tuple[str, str, str, str]]:
    """Each *what happened* button: case, outcome, question, label (unescaped)."""
    return [tuple(html.unescape(x) for x in m) for m in BUTTON.findall(text)]  # type: ignore[misc]


def test_the_day_sheets_and_the_cases_not_kept_offer_what_happened_in_french(
    client: TestClient, desk: Desk
) -> None:
    """On the day sheet, beside a case of the run's first date: *Annulée le jour même* and
    *Retirée de la liste*, each with the case, the outcome it records and a question in
    French naming the case (and its date); beside a case not kept that the run gave no
    date, *Retirée de la liste* only. In English too. Nothing offers ``done``."""
    run_id = _solved(client, desk)
    rows = _rows(desk.runner.path(run_id) / "schedule.csv")
    first = min(r["date"] for r in rows if r["date"])
    case = next(r["case_id"] for r in rows if r["date"] == first and r["room_id"])
    undated = next(r["case_id"] for r in rows if not r["date"])
    day = f"{first[8:10]}/{first[5:7]}"

    page = client.get(f"/?run={run_id}&lang=fr", headers=bearer(desk)).text
    assert "<th>Ce qui est arrivé</th>" in page
    assert _buttons(_sheet_row(page, first, case)) == [
        (case, "cancelled", f"Enregistrer que l'intervention {case}, prévue le {day}, a été "
         "annulée le jour même ? « Commencer demain » (pour le lendemain ou plus tard) lui "
         "cherchera une nouvelle date.", "Annulée le jour même"),
        (case, "withdrawn", f"Enregistrer que l'intervention {case} est retirée de la liste "
         "(le patient y renonce, ou est opéré ailleurs) ? « Commencer demain » ne la "
         "programmera plus.", "Retirée de la liste"),
    ]  # fmt: skip
    assert [(b[1], b[3]) for b in _buttons(_not_kept_row(page, undated))] == [
        ("withdrawn", "Retirée de la liste")
    ]
    assert 'data-outcome="done"' not in page

    page = client.get(f"/?run={run_id}&lang=en", headers=bearer(desk)).text
    said = [(b[1], b[3]) for b in _buttons(_sheet_row(page, first, case))]
    assert said == [("cancelled", "Cancelled on the day"), ("withdrawn", "Withdrawn from the list")]
    assert "<th>What happened</th>" in page


def test_cancelled_recorded_as_the_page_sends_it_is_read_by_the_replan(
    client: TestClient, desk: Desk
) -> None:
    """From a browser session: the page's own button, posted as desk.js posts it (its
    CSRF token, our origin, after the planner gave a name; without the token, refused and
    nothing recorded). The sheet then says *annulée le jour même (enregistré par Marie D.)*
    with *Annuler la saisie* for that entry, and offers *Annulée* no more; the journal says
    who noted what. *Commencer demain* (the next morning) reads it as a case cancelled on
    the day: back on the list without an appointment, not among the cases done, while the
    other cases of that day are done."""
    run_id = _solved(client, desk)
    rows = _rows(desk.runner.path(run_id) / "schedule.csv")
    first = min(r["date"] for r in rows if r["date"])
    that_day = [r["case_id"] for r in rows if r["date"] == first and r["room_id"]]
    case = that_day[0]

    client.get(f"/?token={desk.gate.token}", follow_redirects=False)
    csrf = desk.gate.csrf_of(client.cookies.get("desk_session"))
    assert csrf is not None
    ours = {"Origin": OURS, "X-Desk-CSRF": csrf}
    assert client.post("/planner", json={"name": "Marie D."}, headers=ours).status_code == 200
    page = client.get(f"/?run={run_id}&lang=fr").text
    assert f'<meta name="csrf" content="{csrf}">' in page
    sent, outcome, _, _ = _buttons(_sheet_row(page, first, case))[0]
    assert (sent, outcome) == (case, "cancelled")

    path = f"/api/runs/{run_id}/calls/{quote(sent, safe='')}"  # encodeURIComponent
    r = client.post(path, json={"outcome": outcome}, headers={"Origin": OURS})
    assert (r.status_code, r.json()["code"]) == (403, "csrf")
    assert desk.journal.outcomes(run_id) == {}
    r = client.post(path, json={"outcome": outcome}, headers=ours)
    assert r.status_code == 200, r.text
    entry = r.json()["entry_id"]

    page = html.unescape(client.get(f"/?run={run_id}&lang=fr").text)
    row = _sheet_row(page, first, case)
    assert "annulée le jour même <small>(enregistré par Marie D.)</small>" in row
    assert f'class="undo-outcome" data-case="{case}" data-entry="{entry}"' in row
    assert ">Annuler la saisie</button>" in row
    assert [b[1] for b in _buttons(row)] == ["withdrawn"]
    assert f"a noté l'intervention {case} comme « annulée le jour même » (calcul {run_id})" in page

    r = client.post(f"/api/runs/{run_id}/replan", json={}, headers=bearer(desk))
    assert r.status_code == 200, r.text
    state = wait(client, desk, r.json()["run_id"])
    assert state["state"] == "done", state["message"]
    assert desk.journal.entries("replan")[-1].details["events"] == 1
    after = desk.runner.path(state["run_id"])
    done = {r["case_id"] for r in _rows(after / "done.csv")}
    assert case not in done and set(that_day[1:]) <= done
    again = next(c for c in load_scenario(after / "scenario").cases if c.case_id == case)
    assert again.announced_date is None and not again.pinned


def test_no_button_where_the_run_would_refuse_the_outcome(client: TestClient, desk: Desk) -> None:
    """Every button the page shows records an outcome the route takes (``may_record``);
    a case the run gave no date is offered no *Annulée le jour même* anywhere (the route
    refuses it: 409 ``not_scheduled``), only *Retirée de la liste*; once a case is
    withdrawn, its row shows it with *Annuler la saisie* and offers *Retirée* no more."""
    run_id = _solved(client, desk)
    folder = desk.runner.path(run_id)
    rows = _rows(folder / "schedule.csv")
    undated = [r["case_id"] for r in rows if not r["date"]]
    assert undated, "the small hospital leaves some waiting case without a date"

    page = client.get(f"/?run={run_id}&lang=fr", headers=bearer(desk)).text
    offered = {(b[0], b[1]) for b in _buttons(page)}
    dated = {r["case_id"] for r in rows if r["date"] and r["room_id"]}
    assert {c for c, o in offered if o == "cancelled"} == dated
    assert {c for c, o in offered if o == "withdrawn"} == {r["case_id"] for r in rows}
    for case, outcome in offered:
        may_record(folder, run_id, case, outcome)  # taken: raises nothing
    for case in undated:
        assert (case, "cancelled") not in offered
        with pytest.raises(DeskError) as refused:
            may_record(folder, run_id, case, "cancelled")
        assert (refused.value.key, refused.value.status) == ("not_scheduled", 409)

    gone = undated[0]
    r = client.post(f"/api/runs/{run_id}/calls/{gone}", json={"outcome": "withdrawn"},
                    headers=bearer(desk, "CN"))  # fmt: skip
    assert r.status_code == 200, r.text
    page = html.unescape(client.get(f"/?run={run_id}&lang=fr", headers=bearer(desk)).text)
    row = _not_kept_row(page, gone)
    assert "retirée <small>(enregistré par CN)</small>" in row and 'class="undo-outcome"' in row
    assert _buttons(row) == []

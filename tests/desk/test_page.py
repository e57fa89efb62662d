"""The page shows what the desk holds, in the planner's language: the grid, the answer,
the calls, a comparison of two runs."""

from __future__ import annotations

import pytest

from optimizer.desk import Desk
from optimizer.desk.outputs import status_words
from optimizer.i18n import Lang

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
    day = f"{where['date'][8:10]}/{where['date'][5:7]}"
    assert f"a fermé {where['room_id']} le {day}" in french  # the journal, in words
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


def test_report_and_letters_print_in_the_pages_language(client: TestClient, desk: Desk) -> None:
    """A run holds report.html and letters.html; the page's print links render them again
    in the planner's language (here French, for a run solved in English)."""
    run_id = client.post("/api/solve", json={}, headers=bearer(desk)).json()["run_id"]
    assert wait(client, desk, run_id)["state"] == "done"
    folder = desk.runner.path(run_id)
    assert (folder / "report.html").is_file() and (folder / "letters.html").is_file()
    french = {**bearer(desk), "Cookie": "desk_lang=fr"}
    report = client.get(f"/api/runs/{run_id}/print/report", headers=french)
    assert report.status_code == 200 and 'lang="fr"' in report.text
    letters = client.get(f"/api/runs/{run_id}/print/letters?lang=en", headers=bearer(desk))
    assert letters.status_code == 200 and 'lang="en"' in letters.text
    assert client.get(f"/api/runs/{run_id}/print/x", headers=bearer(desk)).status_code == 404


@pytest.mark.parametrize(
    ("lang", "ahead", "said"),
    [("en", 0, "runs before it: 0 "), ("en", 2, "runs before it: 2 "),
     ("fr", 1, "calculs avant lui : 1 ")],
)  # fmt: skip
def test_the_queue_is_said_in_the_planners_language(lang: Lang, ahead: int, said: str) -> None:
    """While a run waits, the page says how many go before it, in the planner's language."""
    assert said in status_words(lang, "0002", "queued", ahead, None, "")["status"]


def test_progress_in_words() -> None:
    """The progress line names the level in words, and says when no bound is known yet."""
    progress = {"index": 2, "total": 6, "level_words": "planned cases kept", "best": 249.0,
                "bound": None, "elapsed_s": 3.2}  # fmt: skip
    words = status_words("en", "0001", "running", 0, progress, "")
    assert words["status"] == "Run 0001 is solving: 3 s"
    assert words["progress"] == "level 2/6 (planned cases kept): reached 249, at best none yet"
    fr = status_words("fr", "0001", "running", 0, {**progress, "bound": 251.0}, "")
    assert fr["progress"].endswith("obtenu 249, au mieux 251")  # no "borne": issue 22


def test_the_page_names_ids_and_writes_numbers_as_the_planner_reads_them(
    client: TestClient, desk: Desk
) -> None:
    """Bug: the French page showed the data's ids inside French text (``general_surgery``
    on the day sheets and in the urgent case's list, ``EMERGENCY``, a partner as
    ``CH_Antibes``), costs with a decimal point (``coût 1.0``, ``7.0``) and an English
    colon (``Langue:``). Specialties, classes and partners are now named as the report
    names them (the form still sends the id), numbers are written the French way, and
    a colon has its space."""
    import re

    from optimizer import i18n

    _browser(client, desk)
    client.post("/planner", json={"name": "JP"})
    run_id = client.post("/api/solve", json={}).json()["run_id"]
    assert wait(client, desk, run_id)["state"] == "done"
    scenario = desk.workspace.scenario
    assert scenario is not None
    page = client.get(f"/?run={run_id}&lang=fr").text
    assert "Langue :" in page and "Langue:" not in page
    named = [s for s in sorted({c.specialty for c in scenario.cases})
             if i18n.name("fr", "specialty", s) != s]  # fmt: skip
    assert named, "the small hospital has specialties the catalogue names"
    for s in named:
        french = i18n.name("fr", "specialty", s)
        assert f'<option value="{s}">{french}</option>' in page
        assert f"<td>{s} · " not in page and f"<option>{s}</option>" not in page
    sheets = re.findall(r"<td>([^<]*) · [^<]*</td><td>", page)
    assert sheets and not set(sheets) & set(named), sheets
    assert "<option>EMERGENCY</option>" not in page
    assert not re.search(r"coût \d+\.\d", page) and not re.search(r"<td>\d+\.0</td>", page)

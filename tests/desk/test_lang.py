"""The desk refuses in the caller's language: a French planner reads every refusal, and each
problem of a bad upload, in French; a script reads a ``code`` that is the same in both."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from optimizer import i18n
from optimizer.desk import Desk
from optimizer.desk.errors import DeskError, Number, Said

from .conftest import TestClient, bearer, wait

OURS = {"Origin": "http://127.0.0.1:8765"}
ERROR_KEYS = sorted(k.removeprefix("desk.errors.") for k in i18n.catalogue("en")
                    if k.startswith("desk.errors."))  # fmt: skip


def _session(client: TestClient, desk: Desk) -> str:
    """A browser's session (the token once, then the cookie) whose page is in French."""
    client.get(f"/?token={desk.gate.token}&lang=fr", follow_redirects=False)
    client.cookies.set("desk_lang", "fr")
    csrf = desk.gate.csrf_of(client.cookies.get("desk_session"))
    assert csrf is not None
    return csrf


def _fr(iso: str) -> str:
    """A date of the horizon as a French planner reads it: 16/04/2024."""
    return i18n.full_date(dt.date.fromisoformat(iso), "fr")


def _said(key: str, **fields: object) -> str:
    return i18n.text("fr", f"desk.errors.{key}", **fields)


def test_the_gate_refuses_in_french(client: TestClient, desk: Desk) -> None:
    """No token, a cross-site POST, a POST with a stale cross-site token, a POST before the
    planner gave a name, an empty name: each in French, with its code."""
    r = client.get("/api/scenario?lang=fr")
    assert r.status_code == 401
    assert r.json() == {"error": _said("no_token"), "code": "no_token"}
    assert r.json()["error"].startswith("Il faut le jeton d'accès")

    csrf = _session(client, desk)
    where = client.get("/api/scenario").json()["sessions"][0]
    body = {"date": where["date"], "room_id": where["room_id"]}
    evil = {"Origin": "http://evil.example", "X-Desk-CSRF": csrf}
    r = client.post("/api/sessions/close", json=body, headers=evil)
    assert r.status_code == 403 and r.json()["error"] == _said("cross_site")
    assert r.json()["error"].startswith("Demande refusée")
    r = client.post("/api/sessions/close", json=body, headers={**OURS, "X-Desk-CSRF": "guess"})
    assert r.status_code == 403 and r.json()["code"] == "csrf"
    assert "rechargez la page" in r.json()["error"]

    ours = {**OURS, "X-Desk-CSRF": csrf}
    r = client.post("/api/sessions/close", json=body, headers=ours)
    assert r.status_code == 400
    assert r.json()["error"] == "Indiquez d'abord votre nom ou vos initiales (pour le journal)."
    r = client.post("/planner", json={"name": "  "}, headers=ours)
    assert r.status_code == 400 and r.json()["error"] == "Indiquez un nom ou des initiales."
    assert desk.journal.entries("closed") == []


def test_the_same_refusal_in_english_for_an_english_caller(client: TestClient) -> None:
    """The language is the caller's: without ``lang``, the scenario's (English here)."""
    r = client.get("/api/scenario")
    assert r.json()["error"].startswith("A token is needed") and r.json()["code"] == "no_token"


def test_a_bad_upload_names_each_problem_in_french(
    client: TestClient, desk: Desk, small_hospital: Path
) -> None:
    """A file that is no scenario file, and a scenario whose cell is not a number of
    minutes: 422, each problem named by file, row and column in French; nothing changed."""
    before = client.get("/api/scenario", headers=bearer(desk)).json()
    r = client.post("/api/upload?lang=fr", files={"files": ("notes.txt", b"x")},
                    headers=bearer(desk))  # fmt: skip
    assert r.status_code == 422 and r.json()["code"] == "bad_input"
    assert r.json()["error"] == "Problèmes trouvés dans les données ; rien n'a été changé :"
    [wrong] = r.json()["problems"]
    assert wrong.startswith("notes.txt : n'est pas un fichier de scénario (cases.csv, ")

    files = [("files", (p.name, p.read_bytes())) for p in sorted(small_hospital.iterdir())
             if p.is_file()]  # fmt: skip
    cases = next(content for _, (name, content) in files if name == "cases.csv")
    lines = cases.decode().splitlines()
    cells = lines[1].split(",")
    assert re.fullmatch(r"\d+", cells[3]), "column 4 of cases.csv is duration_min"
    lines[1] = ",".join([*cells[:3], "longue", *cells[4:]])
    bad = [(k, (n, "\n".join(lines).encode() if n == "cases.csv" else b)) for k, (n, b) in files]
    r = client.post("/api/upload?lang=fr", files=bad, headers=bearer(desk))
    assert r.status_code == 422
    [problem] = r.json()["problems"]
    assert problem.startswith("cases.csv, ligne 2, colonne duration_min : 'longue' n'est pas")
    assert "nombre entier de minutes" in problem
    r = client.post("/api/upload", files=bad, headers=bearer(desk))
    assert r.json()["problems"][0].startswith("cases.csv, row 2, column duration_min: 'longue'")
    assert client.get("/api/scenario", headers=bearer(desk)).json() == before


def test_a_zip_that_is_none_is_said_in_french(client: TestClient, desk: Desk) -> None:
    """A ``.zip`` that is no zip: the problem names the uploaded file, in French."""
    r = client.post("/api/upload?lang=fr", files={"files": ("plan.zip", b"PK?")},
                    headers=bearer(desk))  # fmt: skip
    assert r.json()["problems"] == ["plan.zip : n'est pas un fichier zip"]


def test_an_uploaded_workbook_keeps_its_name_and_a_broken_one_is_said_in_french(
    client: TestClient, desk: Desk, small_hospital: Path, tmp_path: Path
) -> None:
    """Bug: an uploaded workbook was loaded under the name ``scenario.xlsx``: the page's
    title said "scenario" for "Planning mars.xlsx", and a broken workbook's problem named
    ``scenario.xlsx``, in English inside the French answer ("the workbook cannot be read:
    it is not a workbook"). Now the workbook (or zip) keeps its own name, and the problem
    is French."""
    import io
    import zipfile

    from optimizer import load_scenario
    from optimizer.scenario.template import write_workbook

    r = client.post("/api/upload?lang=fr", files={"files": ("Planning mars.xlsx", b"junk")},
                    headers=bearer(desk))  # fmt: skip
    assert r.status_code == 422, r.text
    assert r.json()["problems"] == [
        "Planning mars.xlsx : le classeur ne peut pas être lu : c'est un fichier texte (un "
        "fichier CSV renommé .xlsx ?) ; ouvrez-le dans Excel et enregistrez-le au format "
        "« Classeur Excel (.xlsx) », ou donnez le dossier des fichiers CSV"
    ]
    book = write_workbook(tmp_path / "book.xlsx", load_scenario(small_hospital))
    r = client.post("/api/upload", files={"files": ("Planning mars.xlsx", book.read_bytes())},
                    headers=bearer(desk))  # fmt: skip
    assert r.status_code == 200 and r.json()["name"] == "Planning mars", r.text
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        for path in small_hospital.iterdir():
            archive.write(path, path.name)
    r = client.post("/api/upload", files={"files": ("../bloc_avril.zip", packed.getvalue())},
                    headers=bearer(desk))  # fmt: skip
    assert r.status_code == 200 and r.json()["name"] == "bloc_avril", r.text


def test_an_unknown_run_and_misused_requests_in_french(client: TestClient, desk: Desk) -> None:
    """An unknown run (a well-formed id and another), a missing field named as the page
    names it, an option out of its range with French decimals, a body that is no JSON."""
    fr = {**bearer(desk), "Cookie": "desk_lang=fr"}
    for path in ("/api/runs/9999", "/api/runs/9999/files/schedule.csv",
                 "/api/runs/9999/print/report", "/api/runs/9999/export/hl7"):  # fmt: skip
        r = client.get(path, headers=fr)
        assert r.status_code == 404, path
        assert r.json() == {"error": "Il n'y a pas de calcul 9999.", "code": "no_run"}, path
    r = client.get("/api/runs/abc?lang=fr", headers=bearer(desk))
    assert r.status_code == 404 and r.json()["error"] == "Il n'y a pas de calcul abc."
    r = client.post("/api/sessions/close?lang=fr", json={"room_id": "R1"}, headers=bearer(desk))
    assert r.status_code == 400 and r.json()["error"] == "Indiquez la date."
    r = client.post("/api/solve?lang=fr", json={"time_limit": "vite"}, headers=bearer(desk))
    assert r.status_code == 400 and r.json()["code"] == "bad_option"
    assert r.json()["error"] == (
        "« vite » n'est pas accepté pour la durée maximale en secondes : donnez une valeur "
        "de 0,1 à 604800."
    )
    r = client.post("/api/solve?lang=fr", content=b"{", headers=bearer(desk))
    assert r.status_code == 400 and r.json()["error"] == "Le corps de la requête n'est pas du JSON."
    r = client.post("/api/whatif?lang=fr", json={"extras": []}, headers=bearer(desk))
    assert r.json()["error"].startswith("Cochez au moins une vacation")


def test_the_page_gives_its_script_french_words_for_when_the_server_cannot(
    client: TestClient, desk: Desk
) -> None:
    """The script shows the server's ``error``; for an answer without one (a proxy's page)
    or no answer at all it has the page's French words, never its own English."""
    _session(client, desk)
    page = client.get("/?lang=fr").text
    assert 'data-http-error="Le poste a répondu par une erreur (HTTP STATUS)."' in page
    assert 'data-offline="Le poste ne répond pas' in page
    script = (Path(__file__).parents[2] / "optimizer/desk/static/desk.js").read_text()
    assert "data.error ||" in script and '"HTTP "' not in script


@pytest.mark.parametrize("key", ERROR_KEYS)
def test_every_refusal_reads_as_french(key: str) -> None:
    """Each refusal of the catalogue, filled with sample values, differs from its English,
    holds no Python repr (``['x']``, ``None``) and no English identifier of the code."""
    template = i18n.catalogue("fr")[f"desk.errors.{key}"]
    fields = {name: "7" for name in i18n.fields_of(template)}
    said = DeskError(key, **fields).text("fr")
    assert said != DeskError(key, **fields).text("en")
    assert not re.search(r"\[\'|\bNone\b|\b(is|not|run|case|room|missing)\b", said), said


def test_fields_and_numbers_are_said_in_the_error_s_language() -> None:
    """A field's name and a decimal number follow the language of the refusal."""
    e = DeskError("missing", field=Said("fields.surgeon_id"))
    assert (e.text("fr"), e.text("en")) == ("Indiquez le chirurgien.", "Give the surgeon.")
    assert (Number(0.1).text("fr"), Number(0.1).text("en"), Number(604800.0).text("fr")) == (
        "0,1", "0.1", "604800",
    )  # fmt: skip


def test_a_bad_edit_of_the_grid_is_said_in_french(client: TestClient, desk: Desk) -> None:
    """An unknown room, a surgeon with no case, a date outside the horizon, hours that are
    not hours: each edit's problem in French, named by the form's field in words, as the
    staff and equipment form's are (the room and the surgeon were named "rooms, colonne
    room_id" and "cases, colonne surgeon_id", the file's table and column, and a bad end
    "sessions, colonne start"); the scenario unchanged."""
    before = client.get("/api/scenario", headers=bearer(desk)).json()
    first, last = before["start_date"], before["end_date"]
    edits = [
        ("/api/sessions/close", {"date": first, "room_id": "R99"},
         "la salle : la salle R99 ne figure pas dans la liste des salles"),
        ("/api/surgeons/absent", {"date": first, "surgeon_id": "NOBODY"},
         "le chirurgien : le chirurgien NOBODY n'opère aucun cas"),
        ("/api/sessions/open", {"date": first, "room_id": "R99", "start": "08:00",
                                "end": "12:00"},
         "la salle : la salle R99 ne figure pas dans la liste des salles"),
        ("/api/sessions/open", {"date": first, "room_id": before["rooms"][0]["room_id"],
                                "start": "08:00", "end": "7.00"},
         "l'heure de fin : '7.00' n'est pas une heure HH:MM entre 00:00 et 24:00"),
        ("/api/sessions/close", {"date": "31/12", "room_id": before["rooms"][0]["room_id"]},
         f"la date : '31/12' ne correspond à aucune date de la période du {_fr(first)} au "
         f"{_fr(last)}"),
    ]  # fmt: skip
    for path, body, said in edits:
        r = client.post(f"{path}?lang=fr", json=body, headers=bearer(desk))
        assert r.status_code == 422 and r.json()["problems"] == [said], r.json()
    assert client.get("/api/scenario", headers=bearer(desk)).json() == before


def test_refusals_about_a_finished_run_in_french(client: TestClient, desk: Desk) -> None:
    """On a finished run: a case it does not hold, a call outcome it does not know, a case
    not on its call list, an export format and a page that do not exist, options of a run
    that was no urgent case; then its files damaged: 500, the run named, in French."""
    fr = {**bearer(desk), "Cookie": "desk_lang=fr"}
    run = client.post("/api/solve", json={}, headers=fr).json()["run_id"]
    assert wait(client, desk, run)["state"] == "done"
    asked = [
        ("GET", "explain/NOBODY", None, 404,
         f"Le calcul {run} ne contient pas l'intervention NOBODY."),
        ("GET", "export/pdf", None, 404, "« pdf » n'est pas un format d'export (fhir, hl7, ics)."),
        ("GET", "print/poster", None, 404,
         "« poster » n'est pas une page à imprimer (le rapport ou les lettres)."),
        ("GET", "files/nothing.csv", None, 404,
         f"Le calcul {run} n'a pas de fichier « nothing.csv »."),
        ("POST", "calls/NOBODY", {"outcome": "confirmed"}, 404,
         f"L'intervention NOBODY n'est pas sur la liste d'appels du calcul {run}."),
        ("POST", "choose", {"option": 1}, 409,
         f"Les options du calcul {run} ne sont plus disponibles (le poste a redémarré, ou ce "
         "calcul n'était pas un cas urgent) : insérez de nouveau le cas."),
    ]  # fmt: skip
    for method, path, body, status, said in asked:
        r = client.request(method, f"/api/runs/{run}/{path}", json=body, headers=fr)
        assert (r.status_code, r.json()["error"]) == (status, said), path
    r = client.post(f"/api/runs/{run}/calls/X", json={"outcome": "peut-être"}, headers=fr)
    assert r.json()["error"].startswith(
        "« peut-être » n'est pas un résultat d'appel ; valeurs acceptées : confirmed, declined"
    )
    (desk.runner.path(run) / "scenario" / "cases.csv").write_text("abîmé\n", encoding="utf-8")
    for path in ("print/report", "export/hl7"):
        r = client.get(f"/api/runs/{run}/{path}", headers=fr)
        assert r.status_code == 500 and r.json() == {
            "error": f"Le calcul {run} ne peut pas être lu : ses fichiers sont endommagés.",
            "code": "run_unreadable",
        }, path


def test_a_run_the_desk_could_not_finish_says_so_in_its_language(
    tmp_path: Path, small_hospital: Path
) -> None:
    """A run asked in French and left unfinished by a killed server is failed on the next
    start with a French message; one asked in English, in English."""
    from optimizer.desk import Gate

    data = tmp_path / "data"
    desk = Desk.open(data, Gate(), small_hospital, {})
    desk.journal.add_run("0098", "solve", "AB", {"lang": "fr"})
    desk.journal.add_run("0099", "solve", "CD", {"lang": "en"})
    desk.close()
    again = Desk.open(data, Gate(), small_hospital, {})
    try:
        said = {r["run_id"]: r["message"] for r in again.runs_json()}
        assert said == {"0098": "interrompu par l'arrêt du poste",
                        "0099": "interrupted: the desk was stopped"}  # fmt: skip
        words = again.run_json("0098", "fr")["words"]["status"]
        assert words == "Le calcul 0098 a échoué : interrompu par l'arrêt du poste"
    finally:
        again.close()


def test_every_field_a_refusal_can_name_has_its_words() -> None:
    """Each body field the desk requires, and each search option it checks, has its name in
    both catalogues (else the refusal itself would fail)."""
    from optimizer.desk.runs import SEARCH_KEYS
    from optimizer.desk.urgent import URGENT_REQUIRED

    folder = Path(__file__).parents[2] / "optimizer" / "desk"
    source = "".join(p.read_text(encoding="utf-8") for p in folder.glob("*.py"))
    named = set(re.findall(r"(?:_field|required)\(\w+, \"(\w+)\"\)", source))
    assert {"date", "room_id", "start", "end", "surgeon_id", "outcome", "until"} <= named
    for lang in i18n.LANGUAGES:
        for name in named | set(URGENT_REQUIRED) | set(SEARCH_KEYS):
            assert f"desk.fields.{name}" in i18n.catalogue(lang), (lang, name)


def test_outcomes_a_replan_refuses_are_said_in_french(client: TestClient, desk: Desk) -> None:
    """Bug: a case recorded ``cancelled`` whose day has not passed by the re-plan's first
    date, and ``declined`` until that first date, were refused in French with English
    sentences inside ("case C00012 is scheduled on 2024-04-16: only a case whose day has
    passed..."). Each is now said from the French catalogue."""
    import csv
    import datetime as dt

    run_id = client.post("/api/solve", json={}, headers=bearer(desk)).json()["run_id"]
    assert wait(client, desk, run_id)["state"] == "done"
    folder = desk.runner.path(run_id)
    with (folder / "schedule.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    with (folder / "calls.csv").open(encoding="utf-8-sig") as fh:
        called = next(csv.DictReader(fh))["case_id"].removeprefix("'")
    start = min(dt.date.fromisoformat(r["date"]) for r in rows if r["date"])
    later = next(r["case_id"] for r in rows
                 if r["date"] and dt.date.fromisoformat(r["date"]) > start)  # fmt: skip
    r = client.post(f"/api/runs/{run_id}/calls/{later}", json={"outcome": "cancelled"},
                    headers=bearer(desk))  # fmt: skip
    assert r.status_code == 200, r.text
    # declined until before the re-plan's morning (tomorrow), journaled as before the desk
    # checked it when recorded: the re-plan refuses it (until = its morning it takes)
    desk.journal.add("AB", "outcome", run_id=run_id, case_id=called, outcome="declined",
                     until=start.isoformat())  # fmt: skip
    r = client.post(f"/api/runs/{run_id}/replan?lang=fr", json={}, headers=bearer(desk))
    assert r.status_code == 422, r.text
    problems = r.json()["problems"]
    assert len(problems) == 2, problems
    for text in problems:
        assert "only a case" not in text and "needs the date" not in text, text
    assert any(f"l'intervention {later} est programmée le" in t for t in problems), problems
    assert any("premier jour de la replanification" in t and "« declined »" in t
               for t in problems), problems  # fmt: skip


def test_a_problem_in_a_request_names_its_field_as_the_page_does_in_french() -> None:
    """French names a request's field in words (no English code inside the sentence);
    English keeps the API's field name, which a caller sends."""
    from optimizer.desk.errors import Place

    assert Place("urgent_field", {"field": "duration_min"}).text("fr") == (
        "le cas urgent, la durée en minutes"
    )
    assert Place("outcome_field", {"case": "C1", "field": "until"}).text("fr") == (
        "le résultat d'appel enregistré pour l'intervention C1, la date jusqu'à laquelle le "
        "patient refuse"
    )
    assert Place("urgent_field", {"field": "duration_min"}).text("en") == (
        "the urgent case, field duration_min"
    )

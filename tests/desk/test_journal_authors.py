"""The journal's entries no planner wrote are said in the page's language."""

from __future__ import annotations

from optimizer.desk import Desk

from .conftest import TestClient, bearer


def test_the_journal_names_the_desk_and_a_script_in_the_page_s_language(
    client: TestClient, desk: Desk
) -> None:
    """Bug: the journal's entries no planner wrote (the scenario the desk loads at its
    start, a script calling the API without naming a planner) said "desk" and "api" on the
    French page. Now "le poste" and "l'API"; English keeps its words, and ``GET
    /api/journal`` the stored names."""
    client.post("/api/load", headers={"Authorization": f"Bearer {desk.gate.token}"})
    run = client.post("/api/solve", json={},
                      headers={"Authorization": f"Bearer {desk.gate.token}"}).json()  # fmt: skip
    page = client.get(f"/?token={desk.gate.token}&lang=fr").text
    assert "<strong>le poste</strong> · a chargé" in page
    assert "<strong>l&#39;API</strong> · a chargé" in page
    assert f"Calcul {run['run_id']} : " in page and ", par l&#39;API, " in page
    assert "<strong>desk</strong>" not in page and "<strong>api</strong>" not in page
    english = client.get("/?lang=en").text
    assert (
        "<strong>desk</strong> · loaded" in english and "<strong>api</strong> · loaded" in english
    )
    assert [e["who"] for e in client.get("/api/journal", headers=bearer(desk)).json()][:2] == [
        "desk", "api",
    ]  # fmt: skip

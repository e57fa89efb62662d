"""A capacity edit on the desk that a pinned case forbids names the case, not a false row."""

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

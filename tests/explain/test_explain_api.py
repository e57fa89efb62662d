"""``explain`` from Python, as a notebook calls it: the result folder as text or as a Path."""

from __future__ import annotations

from pathlib import Path

import optimizer
from optimizer.explain.command import explain

# One room, one hour on 15/04: A (P2) is kept, B (P3, planned after it) no longer fits and
# goes to 16/04.
FILES = {
    "cases.csv": "case_id,specialty,surgeon_id,duration_min,urgency,planned_date,planned_room,"
    "planned_start\nA,gen,S1,60,P2,2024-04-15,OR1,08:00\nB,gen,S1,60,P3,2024-04-15,OR1,09:00\n",
    "rooms.csv": "room_id\nOR1\n",
    "sessions.csv": "date,room_id,start,end\n2024-04-15,OR1,08:00,09:00\n"
    "2024-04-16,OR1,08:00,12:00\n",
    "policy.toml": "turnover_min = 0\n",
}


def test_explain_takes_the_result_folder_as_text(tmp_path: Path) -> None:
    """Regression: ``explain("out", "B")`` raised a bare ``TypeError`` (``str / str``) deep
    inside; a folder given as text now reads as the same folder given as a Path."""
    scenario_dir = tmp_path / "scenario"
    scenario_dir.mkdir()
    for name, text in FILES.items():
        (scenario_dir / name).write_text(text, encoding="utf-8")
    result = optimizer.solve(optimizer.load_scenario(scenario_dir), workers=1, work_limit=1)
    out = optimizer.write_result(result, tmp_path / "out")
    as_text = explain(str(out), "B", "en")
    assert as_text == explain(out, "B", "en")
    assert "postponed to 16/04" in as_text

"""``unavailable.csv`` and ``listed_date``: read, checked row by row, written back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from optimizer.scenario import ScenarioError, load_scenario, write_scenario
from optimizer.scenario.frames import scenario_frames, scenario_from_frames

CASES = (
    "case_id,specialty,surgeon_id,duration_min,urgency,planned_date,planned_room,planned_start,"
    "pinned,listed_date\n"
    "A,gen,S1,60,P2,2024-04-16,R1,08:00,true,2024-01-02\n"
    "B,gen,S2,60,P2,2024-04-16,R1,10:00,,\n"
    "C,gen,S3,60,P3,,,,,2023-11-20\n"
)


def folder(tmp_path: Path, unavailable: str | None, cases: str = CASES) -> Path:
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "rooms.csv").write_text("room_id\nR1\n")
    (tmp_path / "sessions.csv").write_text(
        "date,room_id,start,end\n2024-04-16,R1,08:00,16:00\n2024-04-17,R1,08:00,16:00\n"
    )
    (tmp_path / "cases.csv").write_text(cases)
    if unavailable is not None:
        (tmp_path / "unavailable.csv").write_text(unavailable)
    return tmp_path


def problems(path: Path) -> list[tuple[str, int | None, str | None]]:
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    return [(p.file, p.row, p.column) for p in exc.value.problems]


def test_ranges_and_listed_dates_are_read_and_written_back(tmp_path):
    """Two ranges (one with a reason) and two listed dates load, and a written folder loads back
    to the same scenario; a DataFrame round trip keeps them too."""
    src = folder(
        tmp_path / "a",
        "case_id,from,to,reason\nB,2024-04-16,2024-04-16,on holiday\nC,2024-04-17,2024-04-20,\n",
    )
    sc = load_scenario(src)
    assert [(u.case_id, u.from_date, u.to_date, u.reason) for u in sc.unavailable] == [
        ("B", dt.date(2024, 4, 16), dt.date(2024, 4, 16), "on holiday"),
        ("C", dt.date(2024, 4, 17), dt.date(2024, 4, 20), None),
    ]
    assert not sc.available("B", dt.date(2024, 4, 16)) and sc.available("B", dt.date(2024, 4, 17))
    assert [c.listed_date for c in sc.cases] == [dt.date(2024, 1, 2), None, dt.date(2023, 11, 20)]
    assert sc.listed(sc.cases[1]) == dt.date(2024, 4, 16)  # empty: its planned date
    back = load_scenario(write_scenario(sc, tmp_path / "b"))
    assert back.unavailable == sc.unavailable and back.cases == sc.cases
    frames = scenario_frames(sc)
    again = scenario_from_frames(**frames, policy=sc.policy)
    assert again.unavailable == sc.unavailable and again.cases == sc.cases


def test_without_them_the_files_are_as_before(tmp_path):
    """No unavailable.csv and no listed date: nothing new is written."""
    cases = CASES.replace(",listed_date", "").replace(",2024-01-02", "").replace(",2023-11-20", "")
    cases = cases.replace("true,\n", "true\n").replace(",,\n", ",\n")
    sc = load_scenario(folder(tmp_path / "a", None, cases))
    out = write_scenario(sc, tmp_path / "b")
    assert not (out / "unavailable.csv").exists()
    assert "listed_date" not in (out / "cases.csv").read_text()


def test_bad_rows_are_named_by_file_row_and_column(tmp_path):
    """An unknown case, a range that ends before it starts, and a range over a pinned case's
    planned date: each named where it sits."""
    src = folder(
        tmp_path,
        "case_id,from,to\nZ,2024-04-16,2024-04-16\nB,2024-04-18,2024-04-17\n"
        "A,2024-04-15,2024-04-16\nC,2024-04-16,someday\n",
    )
    assert problems(src) == [
        ("unavailable.csv", 2, "case_id"),
        ("unavailable.csv", 3, "to"),
        ("unavailable.csv", 4, "from"),
        ("unavailable.csv", 5, "to"),
    ]


def test_a_listed_date_after_the_planned_date_is_bad_input(tmp_path):
    """A patient cannot be put on the list after the date they were planned."""
    src = folder(tmp_path, None, CASES.replace("2024-01-02", "2024-04-20"))
    assert problems(src) == [("cases.csv", 2, "listed_date")]

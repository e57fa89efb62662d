"""What ``explain`` says would let a case go ahead is true for a case under way, a case
whose day has run out (``policy.now``), and a case stopped by a full bed."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import optimizer
from optimizer.cli import cli

# The plan is made at 09:00 on 15/04. A began at 08:30 in OR2 (under way, held there).
# L (200 min, planned 15/04) no longer fits: after 09:00 each room has 180 min left.
LATE = {
    "cases.csv": "case_id,specialty,surgeon_id,duration_min,urgency,planned_date,planned_room,"
    "planned_start,fixed_date,fixed_room,fixed_start\n"
    "A,gen,S1,60,P3,2024-04-15,OR1,08:00,2024-04-15,OR2,08:30\n"
    "L,gen,S2,200,P3,2024-04-15,OR1,09:00,,,\n",
    "rooms.csv": "room_id\nOR1\nOR2\n",
    "sessions.csv": "date,room_id,start,end\n2024-04-15,OR1,08:00,12:00\n"
    "2024-04-15,OR2,08:00,12:00\n2024-04-16,OR1,08:00,12:00\n",
    "policy.toml": 'now = "09:00"\nturnover_min = 0\n',
}
# One ICU bed on 16/04, held by I (pinned on 15/04, two days in ICU); W (waiting, needs ICU,
# ready from 16/04) has OR1 free on 16/04 but no bed.
BED = {
    "cases.csv": "case_id,specialty,surgeon_id,duration_min,urgency,planned_date,planned_room,"
    "planned_start,needs_icu,icu_days,pinned,release_date\n"
    "I,gen,S1,60,P3,2024-04-15,OR1,08:00,true,2,true,\n"
    "W,gen,S2,60,P3,,,,true,1,,2024-04-16\n",
    "rooms.csv": "room_id\nOR1\n",
    "sessions.csv": "date,room_id,start,end\n2024-04-15,OR1,08:00,09:00\n"
    "2024-04-16,OR1,08:00,12:00\n",
    "resources.csv": "date,resource,capacity\n2024-04-15,icu_bed,1\n2024-04-16,icu_bed,1\n",
    "policy.toml": "turnover_min = 0\n",
}


def _solved(files: dict[str, str], folder: Path) -> Path:
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = optimizer.solve(optimizer.load_scenario(folder), workers=1, work_limit=1, seed=0)
    return optimizer.write_result(result, folder.parent / (folder.name + "_result"))


def _explain(result: Path, case_id: str, lang: str) -> str:
    run = CliRunner().invoke(cli, ["explain", case_id, str(result), "--lang", lang])
    assert run.exit_code == 0, run.output
    return run.output


@pytest.mark.parametrize(
    ("lang", "expect"),
    [
        ("en", "It has been under way since 08:30 on 15/04 (the plan was made at 09:00)"),
        ("fr", "Il est en cours depuis 08:30 le 15/04 (le planning a été revu à 09:00)"),
    ],
)
def test_a_case_under_way_is_not_the_planners_to_unfix(
    tmp_path: Path, lang: str, expect: str
) -> None:
    """A began before the plan was made: explain told the planner to clear its fixed date
    "to let the solver place it", as if the planner had fixed a case already in theatre."""
    out = _explain(_solved(LATE, tmp_path / "s"), "A", lang)
    assert expect in out, out
    assert "fixed date" not in out and "date (et la salle" not in out, out


@pytest.mark.parametrize(
    ("lang", "expect"),
    [
        ("en", "a session for it on 15/04 with its 200 min free after 09:00, when the plan"),
        ("fr", "une vacation possible le 15/04 qui lui laisse ses 200 min après 09:00"),
    ],
)
def test_a_case_whose_day_ran_out_needs_time_after_now(
    tmp_path: Path, lang: str, expect: str
) -> None:
    """L's day ran out (09:00 + 200 min passes every session's end): explain said "more room
    time ... the pinned cases leave it no place", though nothing is pinned; what it lacks is
    200 min of a session after the time the plan was made."""
    out = _explain(_solved(LATE, tmp_path / "s"), "L", lang)
    assert expect in out, out
    assert "pinned" not in out and "figés" not in out, out


def test_a_case_stopped_by_a_full_bed_needs_a_bed_not_room_time(tmp_path: Path) -> None:
    """W has OR1 free on 16/04 but I holds the one ICU bed: explain said "more room time on
    16/04"; what it lacks is an ICU bed."""
    result = _solved(BED, tmp_path / "s")
    out = _explain(result, "W", "en")
    assert "more ICU beds on 16/04" in out, out
    assert "room time" not in out, out
    assert "plus de lits de réanimation le 16/04" in _explain(result, "W", "fr")

"""validate lists every problem it can soundly check in one run, and none caused by another.

A row with a problem in one file no longer hides the checks of other files that
do not depend on that row: a bad capacity still names its pool, a bad session
hour still names its date and room, a bad window still names its surgeon. What
does depend on the bad row is skipped, never guessed (no false problem).
"""

from __future__ import annotations

from pathlib import Path

from tests.scenario.test_validation import BASE, C1, C2, C3, cases, where, write

BAD_CAPACITY = BASE["resources.csv"] + "2024-04-17,anaesthetist_typo,x\n"


def test_unknown_equipment_is_reported_beside_a_resources_error(tmp_path: Path) -> None:
    """A capacity that is not a number (resources.csv row 6) used to hide a case's unknown
    equipment; the pools' names are all known, so both are reported."""
    folder = write(
        tmp_path / "s",
        {"resources.csv": BAD_CAPACITY, "cases.csv": cases(C1.replace("laser", "lazer"), C2, C3)},
    )
    assert where(folder) == [("cases.csv", 2, "equipment"), ("resources.csv", 6, "capacity")]


def test_a_pool_named_on_a_bad_row_is_still_a_pool(tmp_path: Path) -> None:
    """C3 needs c_arm, whose only rows have bad capacities: c_arm is a pool all the same,
    so no false 'neither fixed nor a pool' problem."""
    resources = "date,resource,capacity\n2024-04-16,c_arm,x\n2024-04-17,c_arm,-1\n"
    assert where(write(tmp_path / "s", {"resources.csv": resources})) == [
        ("resources.csv", 2, "capacity"),
        ("resources.csv", 3, "capacity"),
    ]


def test_equipment_unchecked_when_a_resource_name_is_missing(tmp_path: Path) -> None:
    """A resources row without its name might be the pool a case needs: not checked then."""
    resources = BASE["resources.csv"] + "2024-04-17,,1\n"
    folder = write(
        tmp_path / "s",
        {"resources.csv": resources, "cases.csv": cases(C1.replace("laser", "lazer"), C2, C3)},
    )
    assert where(folder) == [("resources.csv", 6, "resource")]


def test_pinned_case_outside_its_surgeons_hours_beside_another_surgeons_bad_row(
    tmp_path: Path,
) -> None:
    """A bad window of surgeon S9 used to hide every pinned case's hours; S1's windows are
    all known, so pinned C1 at 13:30, after S1's 12:00, is reported."""
    surgeons = BASE["surgeons.csv"].replace(
        "S1,2024-04-16,08:00,17:00", "S1,2024-04-16,08:00,12:00"
    )
    surgeons += "S9,2024-04-16,08:00,25:00\n"
    # 13:30-15:30 fits OR1's session (08:00-16:00), not S1's hours (08:00-12:00).
    c1 = "C1,orthopaedics,S1,120,P2,2024-04-16,OR1,13:30,,,laser,general,false,true,true,"
    folder = write(tmp_path / "s", {"surgeons.csv": surgeons, "cases.csv": cases(c1, C2, C3)})
    assert where(folder) == [("cases.csv", 2, "planned_start"), ("surgeons.csv", 4, "end")]


def test_pinned_case_of_the_bad_rows_surgeon_is_not_judged(tmp_path: Path) -> None:
    """The surgeon of a bad window has hours unknown: no problem is guessed for them."""
    surgeons = BASE["surgeons.csv"] + "S2,2024-04-16,10:00,1200\n"
    assert where(write(tmp_path / "s", {"surgeons.csv": surgeons})) == [("surgeons.csv", 4, "end")]


def test_bad_session_hours_do_not_move_the_horizon(tmp_path: Path) -> None:
    """Without dates in policy.toml the horizon runs from the first session date; bad starts
    on both sessions of that date (04-16) used to move the horizon a day later and call
    pinned C2 'before the horizon starts'. The sessions' date still counts."""
    sessions = BASE["sessions.csv"].replace("-16,OR1,08:00", "-16,OR1,8.00")
    sessions = sessions.replace("-16,OR2,08:00", "-16,OR2,8.00")
    folder = write(tmp_path / "s", {"sessions.csv": sessions, "policy.toml": ""})
    assert where(folder) == [("sessions.csv", 2, "start"), ("sessions.csv", 3, "start")]


def test_pinned_case_without_a_session_beside_a_bad_session_row(tmp_path: Path) -> None:
    """A bad session row (OR2 on 04-16) leaves that room and date unknown, not every one:
    pinned C1 in OR1 on 04-18, where OR1 has no session, is reported; pinned C2 in OR2 on
    04-16, whose session is the bad row, is not judged."""
    sessions = BASE["sessions.csv"].replace(
        "2024-04-16,OR2,08:00,12:00,", "2024-04-16,OR2,08:00,x,"
    )
    c1 = "C1,orthopaedics,S1,90,P2,2024-04-18,OR1,08:00,,,laser,general,false,true,true,"
    folder = write(
        tmp_path / "s",
        {
            "sessions.csv": sessions,
            "surgeons.csv": BASE["surgeons.csv"] + "S1,2024-04-18,08:00,17:00\n",
            "cases.csv": cases(c1, C2, C3),
            "policy.toml": "start_date = 2024-04-16\nend_date = 2024-04-18\n",
        },
    )
    assert where(folder) == [("cases.csv", 2, "planned_room"), ("sessions.csv", 3, "end")]

"""Bad input in the realism and desk columns of cases.csv (icu_days, ward_days,
induction_min, fixed_date, fixed_room, fixed_start) and the policy's anaesthetist_rooms:
each problem named by file, row and column; good values load and write back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from optimizer.scenario import load_scenario
from optimizer.scenario.writer import write_scenario
from tests.scenario.test_validation import BASE, Where, where, write

HEADER = (
    "case_id,specialty,surgeon_id,duration_min,urgency,planned_date,planned_room,planned_start,"
    "needs_icu,pinned,icu_days,ward_days,induction_min,fixed_date,fixed_room,fixed_start"
)


def cases(*rows: str) -> str:
    return HEADER + "\n" + "".join(r + "\n" for r in rows)


OK = "C1,general,S2,60,P2,2024-04-16,OR2,09:00,true,false,2,3,20,,,"
RULES: list[tuple[str, dict[str, str], list[Where]]] = [
    ("icu_days without ICU", {"cases.csv": cases(OK.replace("true,false,2", "false,false,2"))},
     [("cases.csv", 2, "icu_days")]),
    ("icu_days 0, ward_days -1",
     {"cases.csv": cases(OK.replace("true,false,2,3", "true,false,0,-1"))},
     [("cases.csv", 2, "icu_days"), ("cases.csv", 2, "ward_days")]),
    ("induction longer than the case", {"cases.csv": cases(OK.replace(",20,", ",61,"))},
     [("cases.csv", 2, "induction_min")]),
    ("fixed room without a date", {"cases.csv": cases(OK[:-3] + ",,OR1,")},
     [("cases.csv", 2, "fixed_date")]),
    ("fixed start without a room", {"cases.csv": cases(OK[:-3] + ",2024-04-17,,10:00")},
     [("cases.csv", 2, "fixed_room")]),
    ("fixed room unknown", {"cases.csv": cases(OK[:-3] + ",2024-04-17,OR9,")},
     [("cases.csv", 2, "fixed_room")]),
    ("fixed before the planned date", {"cases.csv": cases(OK[:-3] + ",2024-04-15,,")},
     [("cases.csv", 2, "fixed_date")]),
    ("fixed and pinned", {"cases.csv": cases(OK.replace("true,false,2", "true,true,2")[:-3]
                                              + ",2024-04-17,,")},
     [("cases.csv", 2, "fixed_date")]),
    ("fixed after the horizon", {"cases.csv": cases(OK[:-3] + ",2024-04-18,,")},
     [("cases.csv", 2, "fixed_date")]),
    ("fixed slot with no session", {"cases.csv": cases(OK[:-3] + ",2024-04-17,OR2,09:00")},
     [("cases.csv", 2, "fixed_room")]),
    ("fixed slot outside the session", {"cases.csv": cases(OK[:-3] + ",2024-04-16,OR2,11:30")},
     [("cases.csv", 2, "fixed_start")]),
    ("fixed room closed that date", {"cases.csv": cases(OK[:-3] + ",2024-04-17,OR2,")},
     [("cases.csv", 2, "fixed_room")]),
    ("fixed date with no session hosting it (OR1 is orthopaedics-only on 17/04)",
     {"cases.csv": cases(OK[:-3] + ",2024-04-17,,")}, [("cases.csv", 2, "fixed_date")]),
    ("two fixed slots overlap in a room", {"cases.csv": cases(
        OK[:-3] + ",2024-04-16,OR1,08:00",
        "C2,general,S3,60,P2,2024-04-16,,,false,false,,,,2024-04-16,OR1,08:30")},
     [("cases.csv", 3, "fixed_start")]),
    ("fixed ICU stays over the beds", {
        "resources.csv": BASE["resources.csv"] + "2024-04-17,icu_bed,1\n",
        "cases.csv": cases(OK[:-3] + ",2024-04-16,,",
                           "C2,orthopaedics,S1,60,P2,2024-04-16,,,true,false,,,,2024-04-17,,")},
     [("cases.csv", 3, "needs_icu")]),
    ("anaesthetist_rooms out of range",
     {"cases.csv": cases(OK), "policy.toml": BASE["policy.toml"] + "anaesthetist_rooms = 5\n"},
     [("policy.toml", 4, "anaesthetist_rooms")]),
]  # fmt: skip


@pytest.mark.parametrize(("files", "expected"), [r[1:] for r in RULES], ids=[r[0] for r in RULES])
def test_each_problem_is_named_by_file_row_and_column(
    tmp_path: Path, files: dict[str, str], expected: list[Where]
) -> None:
    """Every problem of the row, and no other."""
    assert sorted(where(write(tmp_path / "s", files))) == sorted(expected)


def test_good_values_load_and_write_back(tmp_path: Path) -> None:
    """Stays, induction, a fixed date and room, two rooms per anaesthetist: read, written,
    read again the same; a scenario without them is written without their columns."""
    files = {
        "cases.csv": cases(OK[:-3] + ",2024-04-16,OR1,"),
        "policy.toml": BASE["policy.toml"] + "anaesthetist_rooms = 2\n",
    }
    sc = load_scenario(write(tmp_path / "s", files))
    c = sc.cases[0]
    assert (c.icu_days, c.ward_days, c.induction_min) == (2, 3, 20)
    assert (c.fixed_date, c.fixed_room, c.fixed_start) == (dt.date(2024, 4, 16), "OR1", None)
    assert sc.policy.anaesthetist_rooms == 2
    write_scenario(sc, tmp_path / "again")
    again = load_scenario(tmp_path / "again")
    assert again.cases == sc.cases and again.policy == sc.policy
    plain = sc.model_copy(update={"cases": (c.model_copy(update={
        "icu_days": 1, "ward_days": 0, "induction_min": 0, "fixed_date": None,
        "fixed_room": None}),)})  # fmt: skip
    write_scenario(plain, tmp_path / "plain")
    header = (tmp_path / "plain" / "cases.csv").read_text().splitlines()[0]
    assert not {"icu_days", "ward_days", "induction_min", "fixed_date"} & set(header.split(","))

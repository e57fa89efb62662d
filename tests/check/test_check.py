"""The independent checker: each rule passes a valid schedule and catches a broken one.

The tiny world (scenario, valid schedule, summary) is described in
``checker_fixtures``; every test below changes one thing in it.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer.check import (
    COLUMNS,
    check_result_folder,
    check_schedule,
    deadline_misses,
    evaluate,
    read_schedule_csv,
)
from optimizer.scenario.schema import PartnerCapacity, ResourceCapacity, UrgencyClass
from tests.support.checker_fixtures import (
    CLASSES,
    D0,
    D1,
    D2,
    D3,
    PARTNERS,
    SESSIONS,
    WINDOWS,
    case,
    hm,
    reference_cases,
    reference_rows,
    reference_summary,
    row,
    rules,
    scenario,
    session,
    table,
    with_case,
    with_row,
)


def reference_table() -> pd.DataFrame:
    return table(reference_rows().values())


# -- the reference ------------------------------------------------------------


def test_reference_schedule_and_summary_pass() -> None:
    """The hand-made schedule satisfies every rule, and its summary agrees with it."""
    assert check_schedule(scenario(), reference_table(), reference_summary()) == []


def test_python_values_are_accepted() -> None:
    """Dates, None, NaN and ints (as a DataFrame built in code holds them) read like text."""
    records: list[dict[str, Any]] = []
    for r in reference_rows().values():
        records.append(
            {
                **r,
                "date": dt.date.fromisoformat(r["date"]) if r["date"] else None,
                "room_id": r["room_id"] or float("nan"),
                "start": hm(r["start"]) if r["start"] else pd.NA,
                "end": dt.time(hm(r["end"]) // 60, hm(r["end"]) % 60) if r["end"] else None,
                "partner_id": r["partner_id"] or None,
                "delay_days": int(r["delay_days"]) if r["delay_days"] else None,
            }
        )
    assert check_schedule(scenario(), pd.DataFrame(records)) == []


def test_unreadable_cell_and_missing_column_are_format_problems() -> None:
    """A date that is no date, or a missing column, is reported rather than raised."""
    assert rules(check_schedule(scenario(), with_row("k1", date="2024-13-01"))) == {"format"}
    assert rules(check_schedule(scenario(), reference_table().drop(columns="reason"))) == {"format"}


# -- rule 1 ---------------------------------------------------------------------


def test_rule1_missing_duplicate_unknown_and_bad_status() -> None:
    """A dropped case, a case twice, an unknown case and an unknown status are each caught."""
    rows = reference_rows()
    dropped = table(r for cid, r in rows.items() if cid != "u1")
    twice = table([*rows.values(), rows["k1"]])
    unknown = table([*rows.values(), row("zz", "unscheduled", reason="?")])
    for schedule in (dropped, twice, unknown, with_row("k1", status="done")):
        violations = check_schedule(scenario(), schedule)
        assert rules(violations) == {"1"}
    assert [v.case_id for v in check_schedule(scenario(), dropped)] == ["u1"]


# -- rule 2 ---------------------------------------------------------------------


def test_rule2_turnover_is_enforced_and_exact_turnover_passes() -> None:
    """k2 20 min after k1 breaks the 30 min turnover; the reference has exactly 30 min."""
    violations = check_schedule(scenario(), with_row("k2", start="09:20", end="10:50"))
    assert rules(violations) == {"2"}
    assert "k1" in violations[0].message and violations[0].case_id == "k2"


def test_rule2_nested_case_is_caught_against_the_long_one() -> None:
    """A case inside a long case's span is caught even if a short case sits between them."""
    cases = [
        case("a", planned_date=D0, duration_min=300),
        case("b", planned_date=D0, duration_min=10),
        case("c", planned_date=D0, duration_min=10),
    ]
    schedule = table(
        [
            row("a", "kept", D0, "R1", "08:00", "13:00", delay=0),
            row("b", "kept", D0, "R1", "08:10", "08:20", delay=0),
            row("c", "kept", D0, "R1", "09:00", "09:10", delay=0),
        ]
    )
    violations = check_schedule(scenario(cases), schedule)
    assert rules(violations) == {"2"}
    assert {v.case_id for v in violations} == {"b", "c"}


@pytest.mark.parametrize(
    "cells",
    [
        {"start": "15:00", "end": "16:30"},  # beyond the session's end
        {"end": "11:10"},  # end is not start + duration
        {"room_id": "R9"},  # no such room
    ],
)
def test_rule2_outside_session_or_wrong_end(cells: dict[str, str]) -> None:
    """k2 outside R1's session, with an inconsistent end, or in an unknown room."""
    assert rules(check_schedule(scenario(), with_row("k2", **cells))) == {"2"}


def test_rule2_room_closed_that_date() -> None:
    """R2 has no session on D1: p1 cannot be postponed into it."""
    schedule = with_row("p1", room_id="R2")
    assert rules(check_schedule(scenario(), schedule)) == {"2"}


# -- rule 3 ---------------------------------------------------------------------


def test_rule3_surgeon_overlap_and_back_to_back() -> None:
    """With k1 given k2's surgeon s1, k2 in R2 at 08:30 overlaps k1; at 09:00 it may follow."""
    cases = with_case("k1", surgeon_id="s1")
    overlap = with_row("k2", room_id="R2", start="08:30", end="10:00")
    violations = check_schedule(scenario(cases), overlap)
    assert rules(violations) == {"3"}
    assert violations[0].case_id == "k2" and "k1" in violations[0].message
    back_to_back = with_row("k2", room_id="R2", start="09:00", end="10:30")
    assert check_schedule(scenario(cases), back_to_back) == []


def test_rule3_touching_windows_merge_and_outside_window_is_caught() -> None:
    """w1 (11:30-12:00) spans s2's touching windows 11:00-11:45 and 11:45-13:00: allowed.

    At 13:00-13:30 it lies outside every window of s2 on D0.
    """
    assert check_schedule(scenario(), reference_table()) == []
    split = [w for w in WINDOWS if not (w.date == D0 and w.start == hm("11:45"))]
    gap = split + [WINDOWS[1].model_copy(update={"start": hm("11:50")})]
    assert rules(check_schedule(scenario(windows=gap), reference_table())) == {"3"}
    late = with_row("w1", start="13:00", end="13:30")
    assert rules(check_schedule(scenario(), late)) == {"3"}


# -- rule 4 ---------------------------------------------------------------------


def test_rule4_room_specialty_session_block_and_fixed_equipment() -> None:
    """R2 does not host w1's specialty; a block for cardio on D1; R2 has no laser for k1."""
    wrong_room = with_row("w1", room_id="R2")
    assert rules(check_schedule(scenario(), wrong_room)) == {"4"}
    blocked = [s for s in SESSIONS if s.date != D1] + [
        session("R1", D1, "08:00", "16:00", "cardio")
    ]
    assert rules(check_schedule(scenario(sessions=blocked), reference_table())) == {"4"}
    ortho_block = [s for s in SESSIONS if s.date != D1] + [
        session("R1", D1, "08:00", "16:00", "ortho")
    ]
    assert check_schedule(scenario(sessions=ortho_block), reference_table()) == []
    no_laser = with_row("k1", room_id="R2")
    assert rules(check_schedule(scenario(), no_laser)) == {"4"}


def _two_waiting(**fields: Any) -> list[Any]:
    """Cases a and b (waiting, 60 min, own surgeons) for the resource tests."""
    return [case("a", **fields), case("b", **fields)]


def _pair(b_start: str) -> pd.DataFrame:
    b_end = f"{hm(b_start) // 60 + 1:02d}:{hm(b_start) % 60:02d}"
    return table(
        [
            row("a", "scheduled", D0, "R1", "08:00", "09:00"),
            row("b", "scheduled", D0, "R2", b_start, b_end),
        ]
    )


@pytest.mark.parametrize(
    ("fields", "resources"),
    [
        ({"equipment": ("c_arm",)}, [ResourceCapacity(date=D0, resource="c_arm", capacity=1)]),
        ({}, [ResourceCapacity(date=D0, resource="anaesthetist", capacity=1)]),
    ],
)
def test_rule4_pool_and_anaesthetist_capacity_half_open(
    fields: dict[str, Any], resources: list[ResourceCapacity]
) -> None:
    """Capacity 1: overlapping cases exceed it; b starting when a ends does not (half-open)."""
    sc = scenario(_two_waiting(**fields), resources=resources)
    violations = check_schedule(sc, _pair("08:30"))
    assert rules(violations) == {"4"}
    assert "a, b" in violations[0].message
    assert check_schedule(sc, _pair("09:00")) == []


def test_rule4_unlimited_without_row_and_local_needs_no_anaesthetist() -> None:
    """No row for the date means unlimited; local anaesthesia takes no anaesthetist."""
    other_day = [ResourceCapacity(date=D1, resource="c_arm", capacity=0)]
    assert check_schedule(scenario(_two_waiting(equipment=("c_arm",)), resources=other_day),
                          _pair("08:30")) == []  # fmt: skip
    one = [ResourceCapacity(date=D0, resource="anaesthetist", capacity=1)]
    assert check_schedule(scenario(_two_waiting(anaesthesia="local"), resources=one),
                          _pair("08:30")) == []  # fmt: skip


def test_rule4_icu_beds_per_date() -> None:
    """Two ICU cases on D0 at different times exceed one bed, not two."""
    for cap, expected in ((1, {"4"}), (2, set())):
        beds = [ResourceCapacity(date=D0, resource="icu_bed", capacity=cap)]
        sc = scenario(_two_waiting(needs_icu=True), resources=beds)
        assert rules(check_schedule(sc, _pair("10:00"))) == expected


# -- rule 5 ---------------------------------------------------------------------


def test_rule5_release_date() -> None:
    """p1 released on D2 cannot be operated on D1."""
    sc = scenario(with_case("p1", release_date=D2))
    assert rules(check_schedule(sc, reference_table())) == {"5"}


def test_rule5_transfer_before_planned_date() -> None:
    """t1, planned on D1, cannot be sent away on D0 (even with a partner slot that day)."""
    partners = [*PARTNERS, PartnerCapacity(partner_id="P", date=D0, specialty="ortho", capacity=1)]
    schedule = with_row("t1", date=D0.isoformat(), delay_days="-1")
    assert rules(check_schedule(scenario(partners=partners), schedule)) == {"5"}


def test_rule5_pinned_case_stays_as_planned() -> None:
    """Pinned k2 passes where planned; moved to R2, or postponed, it is caught."""
    sc = scenario(with_case("k2", pinned=True))
    assert check_schedule(sc, reference_table()) == []
    moved = with_row("k2", room_id="R2")
    assert rules(check_schedule(sc, moved)) == {"5"}
    later = with_row("k2", status="postponed", date=D1.isoformat(), start="12:00", end="13:30",
                     delay_days="1", reason="surgeon ill")  # fmt: skip
    assert rules(check_schedule(sc, later)) == {"5"}


# -- rule 6 ---------------------------------------------------------------------

SEQ_CASES = [
    case("lat", flags=frozenset({"latex_allergy"})),
    case("ped", flags=frozenset({"paediatric"})),
    case("std"),
    case("inf", flags=frozenset({"infectious"})),
]


def _sequence(order: list[str], room_of: dict[str, str] | None = None) -> pd.DataFrame:
    """The cases one after another in R1 (or the given rooms) on D0, 60 min + 30 min turnover."""
    rows = []
    for i, cid in enumerate(order):
        start = hm("08:00") + 90 * i
        s, e = f"{start // 60:02d}:{start % 60:02d}", f"{(start + 60) // 60:02d}:{start % 60:02d}"
        rows.append(row(cid, "scheduled", D0, (room_of or {}).get(cid, "R1"), s, e))
    return table(rows)


def test_rule6_valid_order_passes() -> None:
    """Latex, paediatric, standard, infectious: the contract's order."""
    assert check_schedule(scenario(SEQ_CASES), _sequence(["lat", "ped", "std", "inf"])) == []


@pytest.mark.parametrize(
    ("order", "culprits"),
    [
        (["std", "lat", "ped", "inf"], {"lat", "ped"}),  # latex and paediatric after a plain case
        (["ped", "lat", "std", "inf"], {"lat"}),  # latex after a paediatric case
        (["lat", "std", "ped", "inf"], {"ped"}),  # paediatric after a plain case
        (["lat", "ped", "inf", "std"], {"inf"}),  # infectious before a plain case
    ],
)
def test_rule6_out_of_order_is_caught(order: list[str], culprits: set[str]) -> None:
    """Each broken precedence names the flagged case."""
    violations = check_schedule(scenario(SEQ_CASES), _sequence(order))
    assert rules(violations) == {"6"}
    assert {v.case_id for v in violations} == culprits


def test_rule6_only_within_one_room() -> None:
    """A plain case in R2 before a latex case in R1 is not a sequencing matter."""
    schedule = _sequence(["std", "lat"], room_of={"std": "R2"})
    assert check_schedule(scenario(SEQ_CASES[:3:2]), schedule) == []


# -- rule 7 ---------------------------------------------------------------------


def test_rule7_transfer_needs_transferable_case_and_partner_slot() -> None:
    """Not transferable, unknown partner, other specialty, or a room given: each is caught."""
    assert rules(check_schedule(scenario(with_case("t1", transferable=False)),
                                reference_table())) == {"7"}  # fmt: skip
    assert rules(check_schedule(scenario(), with_row("t1", partner_id="Q"))) == {"7"}
    assert rules(check_schedule(scenario(with_case("t1", specialty="cardio")),
                                reference_table())) == {"7"}  # fmt: skip
    assert rules(check_schedule(scenario(), with_row("t1", room_id="R1"))) == {"7"}


def test_rule7_partner_capacity() -> None:
    """Two ortho transfers to P on D1 exceed its capacity 1; capacity 2 takes both."""
    cases = [*reference_cases().values(), case("t2", planned_date=D1, transferable=True)]
    rows = [*reference_rows().values(), row("t2", "transferred", D1, partner="P", delay=0,
                                            reason="no room")]  # fmt: skip
    violations = check_schedule(scenario(cases), table(rows))
    assert rules(violations) == {"7"} and "t1, t2" in violations[0].message
    two = [PartnerCapacity(partner_id="P", date=D1, specialty="ortho", capacity=2)]
    assert check_schedule(scenario(cases, partners=two), table(rows)) == []


# -- rule 8 ---------------------------------------------------------------------


def test_rule8_miss_counted_with_reason_passes() -> None:
    """w1 (urgent, waiting: deadline D1) operated on D2 is a miss; counted and explained, fine."""
    late = with_row("w1", date=D2.isoformat(), reason="no slot earlier")
    summary = reference_summary()
    summary["totals"]["deadline_misses"] = 1
    assert deadline_misses(scenario(), late) == ["w1"]
    assert check_schedule(scenario(), late, summary) == []


def test_rule8_miss_uncounted_or_unexplained() -> None:
    """The same miss with the summary saying 0, or with no reason, is caught as rule 8."""
    late = with_row("w1", date=D2.isoformat(), reason="no slot earlier")
    assert rules(check_schedule(scenario(), late, reference_summary())) == {"8"}
    silent = with_row("w1", date=D2.isoformat())
    assert rules(check_schedule(scenario(), silent)) == {"8"}


def test_rule8_which_cases_miss() -> None:
    """Unscheduled with a deadline inside the horizon misses; a deadline after it does not;
    a transfer after the due date misses."""
    dropped = with_row("w1", status="unscheduled", date="", room_id="", start="", end="",
                       reason="no room")  # fmt: skip
    assert deadline_misses(scenario(), dropped) == ["w1"]
    far = scenario(with_case("w1", due_date=D3))
    assert deadline_misses(far, dropped) == []
    due = scenario(with_case("t1", due_date=D0))
    assert deadline_misses(due, reference_table()) == ["t1"]


# -- horizon and status ---------------------------------------------------------


def test_horizon_nothing_after_end_and_late_plans_unscheduled() -> None:
    """p1 operated on D3 is outside the horizon; u1 (planned D3) must stay unscheduled."""
    sessions = [*SESSIONS, session("R1", D3, "08:00", "16:00")]
    out = with_row("p1", date=D3.isoformat(), delay_days="3")
    assert rules(check_schedule(scenario(sessions=sessions), out)) == {"horizon"}
    kept = with_row("u1", status="kept", date=D3.isoformat(), room_id="R1", start="08:00",
                    end="09:00", delay_days="0", reason="")  # fmt: skip
    violations = check_schedule(scenario(sessions=sessions), kept)
    assert rules(violations) == {"horizon"} and {v.case_id for v in violations} == {"u1"}


@pytest.mark.parametrize(
    ("case_id", "cells"),
    [
        ("k1", {"status": "postponed", "reason": "x"}),  # postponed to its own planned date
        ("k1", {"status": "scheduled", "delay_days": ""}),  # a planned case is not "scheduled"
        ("p1", {"status": "kept", "reason": ""}),  # kept but on another date
        ("k1", {"room_id": ""}),  # operated without a room
        ("k1", {"partner_id": "P"}),  # operated here and at a partner
        ("p1", {"reason": ""}),  # postponed without a reason
        ("p1", {"delay_days": "2"}),  # wrong delay
        ("w1", {"delay_days": "0"}),  # a waiting case has no delay
        ("t1", {"partner_id": ""}),  # transferred nowhere
        ("u1", {"date": D1.isoformat()}),  # unscheduled with a date
        ("u1", {"reason": ""}),  # unscheduled without a reason
    ],
)
def test_status_semantics(case_id: str, cells: dict[str, str]) -> None:
    """Each status implies what the other cells of its row hold."""
    violations = check_schedule(scenario(), with_row(case_id, **cells))
    assert rules(violations) == {"status"}
    assert {v.case_id for v in violations} == {case_id}


# -- summary.json ---------------------------------------------------------------


def _broken(path: str, value: Any) -> dict[str, Any]:
    """The reference summary with one entry replaced (``a.b.c``; ``_`` deletes the key)."""
    summary: dict[str, Any] = json.loads(json.dumps(reference_summary()))
    *parents, last = path.split(".")
    node: Any = summary
    for p in parents:
        node = node[int(p)] if p.isdigit() else node[p]
    if value == "_":
        del node[last]
    else:
        node[last] = value
    return summary


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("target_ratio", "_"),
        ("dates.0.kept", 3),
        ("dates.0.ratio", 0.6),  # 2/3 is 0.667: 0.6 is more than rounding
        ("dates.1.target_met", True),
        ("dates.1.date", "2024-04-17"),  # D2 has no planned case; D1 is then missing
        ("totals.planned", 5),  # u1 and b1 are planned outside the horizon
        ("totals.kept", 2.0),  # a count is a whole number
        ("totals.ratio", None),
        ("totals.postponed", 1),
        ("totals.unscheduled", 0),
        ("solver.best_bound", "_"),
    ],
)
def test_summary_mismatch_is_caught(path: str, value: Any) -> None:
    """A summary that disagrees with the schedule is reported as rule 'summary'."""
    assert rules(check_schedule(scenario(), reference_table(), _broken(path, value))) == {"summary"}


def test_summary_ratio_rounding_and_exact_target() -> None:
    """0.67 for 2/3 is accepted; target_met uses the exact ratio against the decimal target.

    With target 0.6, 3 of 5 kept meets it exactly (3/5 == 0.6), so target_met must be true.
    """
    cases = [case(f"c{i}", planned_date=D0) for i in range(5)]
    rows = [row(f"c{i}", "kept", D0, "R1", f"{8 + 2 * i:02d}:00", f"{9 + 2 * i:02d}:00", delay=0)
            for i in range(3)]  # fmt: skip
    rows += [row(f"c{i}", "unscheduled", reason="no room") for i in (3, 4)]
    sc = scenario(cases, target_ratio=0.6)
    summary: dict[str, Any] = {
        "target_ratio": 0.6,
        "dates": [
            {"date": "2024-04-15", "planned": 5, "kept": 3, "ratio": 0.6, "target_met": True}
        ],  # fmt: skip
        "totals": {
            "planned": 5,
            "kept": 3,
            "ratio": 0.6,
            "postponed": 0,
            "transferred": 0,
            "unscheduled": 2,
            "deadline_misses": 0,
        },  # fmt: skip
        "solver": {"status": "FEASIBLE", "objective": 1, "best_bound": 0, "wall_time_s": 1},
    }
    assert check_schedule(sc, table(rows), summary) == []
    summary["dates"][0]["target_met"] = False
    assert rules(check_schedule(sc, table(rows), summary)) == {"summary"}


@pytest.mark.parametrize(("ratio", "accepted"), [(0.12, True), (0.13, True), (0.11, False)])
def test_summary_ratio_tolerance_is_half_a_hundredth(ratio: float, accepted: bool) -> None:
    """1 kept of 8 is 0.125: 0.12 and 0.13 are both within 0.005 (exactly), 0.11 is not."""
    cases = [case(f"c{i}", planned_date=D0) for i in range(8)]
    rows = [row("c0", "kept", D0, "R1", "08:00", "09:00", delay=0)]
    rows += [row(f"c{i}", "unscheduled", reason="no room") for i in range(1, 8)]
    summary: dict[str, Any] = {
        "target_ratio": 0.5,
        "dates": [
            {"date": "2024-04-15", "planned": 8, "kept": 1, "ratio": ratio, "target_met": False}
        ],  # fmt: skip
        "totals": {
            "planned": 8,
            "kept": 1,
            "ratio": 0.125,
            "postponed": 0,
            "transferred": 0,
            "unscheduled": 7,
            "deadline_misses": 0,
        },  # fmt: skip
        "solver": {"status": "FEASIBLE", "objective": 1, "best_bound": 0, "wall_time_s": 1},
    }
    violations = check_schedule(scenario(cases), table(rows), summary)
    assert (violations == []) is accepted


def test_rule6_touching_cases_are_in_order() -> None:
    """With no turnover, a latex case ending at 09:00 comes before a plain case starting 09:00."""
    schedule = table(
        [
            row("lat", "scheduled", D0, "R1", "08:00", "09:00"),
            row("std", "scheduled", D0, "R1", "09:00", "10:00"),
        ]
    )
    assert check_schedule(scenario(SEQ_CASES[:3:2], turnover_min=0), schedule) == []
    early = table(
        [
            row("std", "scheduled", D0, "R1", "08:00", "09:00"),
            row("lat", "scheduled", D0, "R1", "09:00", "10:00"),
        ]
    )
    assert rules(check_schedule(scenario(SEQ_CASES[:3:2], turnover_min=0), early)) == {"6"}


def test_summary_total_ratio_null_when_nothing_planned() -> None:
    """Only waiting cases: no dates, and the pooled ratio is null (0 would be wrong)."""
    sc = scenario([case("w", urgency="later")])
    schedule = table([row("w", "scheduled", D1, "R1", "08:00", "09:00")])
    summary: dict[str, Any] = {
        "target_ratio": 0.5,
        "dates": [],
        "totals": {
            "planned": 0,
            "kept": 0,
            "ratio": None,
            "postponed": 0,
            "transferred": 0,
            "unscheduled": 0,
            "deadline_misses": 0,
        },  # fmt: skip
        "solver": {"status": "OPTIMAL", "objective": 0, "best_bound": 0, "wall_time_s": 0},
    }
    assert check_schedule(sc, schedule, summary) == []
    summary["totals"]["ratio"] = 0
    assert rules(check_schedule(sc, schedule, summary)) == {"summary"}


# -- files ----------------------------------------------------------------------


def _escape(cell: str) -> str:
    """The contract's formula neutralisation, as a writer applies it."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r", "'") else cell


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerows([_escape(r[c]) for c in COLUMNS] for r in rows)


def test_read_schedule_csv_undoes_one_quote() -> None:
    """ "'=cmd" reads as "=cmd", "''x" as "'x"; empty cells are empty strings."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "schedule.csv"
        path.write_text(
            "\ufeffcase_id,status,date,room_id,start,end,partner_id,delay_days,reason\r\n"
            "u1,unscheduled,,,,,,,'=cmd\r\n"
            "k1,kept,2024-04-15,R1,08:00,09:00,,0,''x\r\n",
            encoding="utf-8",
        )
        df = read_schedule_csv(path)
    assert list(df.columns) == list(COLUMNS)
    assert df["reason"].tolist() == ["=cmd", "'x"]
    assert df["date"].tolist() == ["", "2024-04-15"]


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(exclude_categories=["Cs"]), max_size=12))
def test_read_schedule_csv_round_trips_any_reason(reason: str) -> None:
    """Whatever the reason text, writing it escaped and reading it back gives it unchanged."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "schedule.csv"
        _write(path, [row("u1", "unscheduled", reason=reason)])
        assert read_schedule_csv(path)["reason"].tolist() == [reason]


def test_check_result_folder(tmp_path: Path) -> None:
    """A folder with the reference files passes (a reason that looks like a formula included);
    a missing summary.json is reported."""
    rows = reference_rows()
    rows["p1"]["reason"] = "=room closed"
    _write(tmp_path / "schedule.csv", list(rows.values()))
    (tmp_path / "summary.json").write_text(json.dumps(reference_summary()), encoding="utf-8")
    assert check_result_folder(scenario(), tmp_path) == []
    (tmp_path / "summary.json").unlink()
    assert rules(check_result_folder(scenario(), tmp_path)) == {"summary"}


# -- evaluate -------------------------------------------------------------------


def test_evaluate_reference_by_hand() -> None:
    """The reference schedule, worked by hand.

    Default transfer cost = 1 + max(10 * 1, 2 * 5) = 11. Weighted delay:
    p1 1 day x 1 + t1 transfer 11 + b1 3 days x 1 = 15 (u1 is outside the run).
    Shortfall at target 0.5: D0 needs 2 of 3, keeps 2; D1 needs 1 of 1, keeps 0 -> 1.
    """
    assert evaluate(scenario(), reference_table()) == {
        "misses_by_class": [0, 0, 0],
        "deadline_misses": 0,
        "shortfall": 1,
        "announced_changed": 0,
        "kept": 2,
        "kept_weighted": 4.0,
        "weighted_delay": 15.0,
        "waiting": 0.0,
        "moved": 0,
        "shift_min": 0,
    }


def test_evaluate_misses_moves_and_transfer_cost_by_hand() -> None:
    """k2 moved to R2 at 09:00 (30 min off), p1 and w1 unscheduled, class 'soon' transfers at 7.

    Weighted delay: p1 1 x (2 + 1) = 3, w1 10 x (2 + 1) = 30, t1 7, b1 3 -> 43.
    w1 misses its deadline D1: one miss in the most urgent class.
    """
    classes = {**CLASSES, "soon": UrgencyClass(name="soon", max_delay_days=5, weight=2.0,
                                               transfer_cost=7.0)}  # fmt: skip
    drop = {"date": "", "room_id": "", "start": "", "end": "", "delay_days": "", "reason": "x"}
    rows = reference_rows()
    rows["k2"].update(room_id="R2", start="09:00", end="10:30")
    rows["p1"].update(status="unscheduled", **drop)
    rows["w1"].update(status="unscheduled", **drop)
    result = evaluate(scenario(urgency=classes), table(rows.values()))
    assert result == {
        "misses_by_class": [1, 0, 0],
        "deadline_misses": 1,
        "shortfall": 1,
        "announced_changed": 0,
        "kept": 2,
        "kept_weighted": 4.0,
        "weighted_delay": 43.0,
        "waiting": 0.0,
        "moved": 1,
        "shift_min": 30,
    }


def test_evaluate_shortfall_uses_exact_target() -> None:
    """Target 0.28 of 25 planned needs exactly 7 (float 0.28 * 25 is 7.000000000000001,
    whose ceiling 8 would be wrong); 5 kept -> short 2."""
    cases = [case(f"c{i}", planned_date=D0, duration_min=20) for i in range(25)]
    rows = [row(f"c{i}", "kept", D0, "R1", f"{8 + i:02d}:00", f"{8 + i:02d}:20", delay=0)
            for i in range(5)]  # fmt: skip
    rows += [row(f"c{i}", "unscheduled", reason="x") for i in range(5, 25)]
    assert evaluate(scenario(cases, target_ratio=0.28), table(rows))["shortfall"] == 2


def test_evaluate_missing_case_counts_as_unscheduled() -> None:
    """A case absent from the schedule costs as unscheduled and misses its deadline."""
    rows = [r for cid, r in reference_rows().items() if cid != "w1"]
    result = evaluate(scenario(), table(rows))
    assert result["deadline_misses"] == 1 and result["weighted_delay"] == 15.0 + 30.0
    assert rules(check_schedule(scenario(), table(rows))) == {"1"}


FORBIDDEN = (
    "optimizer.model",
    "optimizer.search",
    "optimizer.solve",
    "optimizer.search.construct",
    "optimizer.rules",
)


def _imported_modules(path: Path, package: str) -> list[str]:
    """Every module an ``import`` or ``from ... import`` of the file names, relative ones resolved.

    ``from optimizer import model`` is listed as ``optimizer.model`` too, so that importing
    a module as a name of its package cannot slip through.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.append(module)
            found += [f"{module}.{alias.name}" for alias in node.names]
    return found


def test_checker_imports_nothing_from_the_solver(repo_root: Path) -> None:
    """No module of the checker imports the model, the search, the solver, the first fit
    or the shared rules: it is the independent judge. From the rest of the package it may
    use the scenario schema only."""
    folder = repo_root / "optimizer" / "check"
    modules = sorted(folder.glob("*.py"))
    assert len(modules) > 1, "optimizer/check/ is a package of several modules"
    for path in modules:
        imported = _imported_modules(path, "optimizer.check")
        for name in imported:
            assert not name.startswith(FORBIDDEN), f"{path.name} imports {name}"
            if name.startswith("optimizer.") and not name.startswith("optimizer.check"):
                assert name.startswith("optimizer.scenario.schema"), f"{path.name} imports {name}"


def test_the_import_check_is_not_vacuous(tmp_path: Path) -> None:
    """The import check sees every spelling of an import of the model."""
    source = tmp_path / "m.py"
    source.write_text(
        "import optimizer.model.build\nfrom ..model import variables\n"
        "from .. import solve\nfrom optimizer import rules\n",
        encoding="utf-8",
    )
    imported = _imported_modules(source, "optimizer.check")
    for name in ("optimizer.model", "optimizer.solve", "optimizer.rules"):
        assert any(i.startswith(name) for i in imported), name

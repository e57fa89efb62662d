"""Bad input: every problem found, each named by file, row and column, never a traceback.

Two halves: one check per input rule of the data contract through
``load_scenario`` (the Problem's file, row and column are asserted), and the
corpus of broken scenario folders in ``tests/corpus/`` run through the real
``validate`` command (exit 2, every expected location printed, no other).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from optimizer.cli import cli
from optimizer.scenario import ScenarioError, limits, load_scenario
from tests.support.paths import CORPUS

CASES_HEADER = (
    "case_id,specialty,surgeon_id,duration_min,urgency,planned_date,planned_room,planned_start,"
    "release_date,due_date,equipment,anaesthesia,needs_icu,transferable,pinned,flags"
)
# A small valid scenario; each test changes one thing in it.
C1 = "C1,orthopaedics,S1,90,P2,2024-04-16,OR1,08:00,,,laser,general,false,true,false,"
C2 = "C2,general,S2,60,P1a,2024-04-16,OR2,09:00,,,,local,false,false,true,"
C3 = "C3,orthopaedics,S1,120,P3,,,,,2024-05-01,c_arm,regional,yes,no,no,latex_allergy"
BASE = {
    "rooms.csv": "room_id,specialties,equipment\nOR1,orthopaedics;general,laser\nOR2,,\n",
    "sessions.csv": (
        "date,room_id,start,end,specialty\n2024-04-16,OR1,08:00,16:00,\n"
        "2024-04-16,OR2,08:00,12:00,\n2024-04-17,OR1,08:00,16:00,orthopaedics\n"
    ),
    "surgeons.csv": (
        "surgeon_id,date,start,end\nS1,2024-04-16,08:00,17:00\nS1,2024-04-17,08:00,17:00\n"
    ),
    "resources.csv": (
        "date,resource,capacity\n2024-04-16,anaesthetist,2\n2024-04-17,anaesthetist,2\n"
        "2024-04-16,c_arm,1\n2024-04-17,c_arm,1\n"
    ),
    "partners.csv": "partner_id,date,specialty,capacity\nCHU,2024-04-17,orthopaedics,2\n",
    "policy.toml": "start_date = 2024-04-16\nend_date = 2024-04-17\ntarget_ratio = 0.9\n",
}

Where = tuple[str, int | None, str | None]


def cases(*rows: str) -> str:
    return CASES_HEADER + "\n" + "".join(r + "\n" for r in rows)


def write(folder: Path, files: dict[str, str | bytes | None]) -> Path:
    """The base scenario with ``files`` replaced (``None`` removes a file)."""
    content: dict[str, str | bytes | None] = {**BASE, "cases.csv": cases(C1, C2, C3), **files}
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in content.items():
        if data is not None:
            (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode())
    return folder


def where(folder: Path) -> list[Where]:
    """The (file, row, column) of every problem; fails if the folder loads."""
    with pytest.raises(ScenarioError) as info:
        load_scenario(folder)
    for p in info.value.problems:
        assert p.message and "Traceback" not in p.message
    return [(p.file, p.row, p.column) for p in info.value.problems]


# (test id, files replaced, every expected problem location)
RULES: list[tuple[str, dict[str, str | bytes | None], list[Where]]] = [
    ("missing required file", {"sessions.csv": None}, [("sessions.csv", None, None)]),
    ("empty required file", {"rooms.csv": ""}, [("rooms.csv", None, None)]),
    ("whitespace-only file", {"cases.csv": " \r\n \n"}, [("cases.csv", None, None)]),
    ("utf-16 file", {"rooms.csv": BASE["rooms.csv"].encode("utf-16")}, [("rooms.csv", None, None)]),
    ("NUL bytes", {"partners.csv": b"partner_id\0,date"}, [("partners.csv", None, None)]),
    (
        "neither UTF-8 nor Windows-1252: said once for the file, not once per cell",
        {"cases.csv": cases(C1, C2).encode().replace(b"S1", b"S\x81").replace(b"S2", b"\x8d")},
        [("cases.csv", None, None)],
    ),
    (
        "missing required columns",
        {"sessions.csv": "date,room_id,start\n2024-04-16,OR1,08:00\n"},
        [("sessions.csv", 1, "end")],
    ),
    (
        "duplicate column",
        {"partners.csv": "partner_id,date,specialty,capacity,date\n"},
        [("partners.csv", 1, "date")],
    ),
    (
        "row with more cells than the header",
        {"cases.csv": cases(C1, C2 + ",x")},
        [("cases.csv", 3, None)],
    ),
    (
        "blank lines keep spreadsheet row numbers",
        {"cases.csv": cases("", C1, "", "C9,general,S1,zero,P2,,,,,,,,,,,")},
        [("cases.csv", 5, "duration_min")],
    ),
    (
        "required cell empty",
        {"cases.csv": cases("C9,,S1,60,P2,,,,,,,,,,,")},
        [("cases.csv", 2, "specialty")],
    ),
    (
        "duplicate case id on a row with other errors",
        {"cases.csv": cases(C1, "C1,general,S1,0,P2,2024-13-01,,,,,,,,,,")},
        [
            ("cases.csv", 3, "case_id"),
            ("cases.csv", 3, "duration_min"),
            ("cases.csv", 3, "planned_date"),
        ],
    ),  # fmt: skip
    ("duplicate room", {"rooms.csv": BASE["rooms.csv"] + "OR2,,\n"}, [("rooms.csv", 4, "room_id")]),
    (
        "two sessions of a room on a date",
        {"sessions.csv": BASE["sessions.csv"] + "2024-04-17,OR1,13:00,17:00,\n"},
        [("sessions.csv", 5, "date")],
    ),
    (
        "duplicate resource capacity",
        {"resources.csv": BASE["resources.csv"] + "2024-04-16,anaesthetist,1\n"},
        [("resources.csv", 6, "resource")],
    ),
    (
        "duplicate partner capacity",
        {"partners.csv": BASE["partners.csv"] + "CHU,2024-04-17,orthopaedics,1\n"},
        [("partners.csv", 3, "specialty")],
    ),
    (
        "session of an unknown room",
        {"sessions.csv": BASE["sessions.csv"] + "2024-04-17,OR3,08:00,12:00,\n"},
        [("sessions.csv", 5, "room_id")],
    ),
    (
        "case planned in an unknown room",
        {"cases.csv": cases(C1.replace("OR1", "OR5"))},
        [("cases.csv", 2, "planned_room")],
    ),
    (
        "dates: format, calendar, ISO week, non-ASCII digits, far-off years",
        {
            "cases.csv": cases(
                C1.replace("2024-04-16", "16.04.2024"),
                C2.replace("2024-04-16", "2024-02-30").replace(",true,", ",false,"),
                C3.replace("2024-05-01", "2024-W18-3"),
                "C4,general,S1,60,P2,２０２４-04-16,,,,,,,,,,",
                "C5,general,S1,60,P2,9999-12-31,,,0024-04-16,,,,,,,",
            )
        },
        [
            ("cases.csv", 2, "planned_date"),
            ("cases.csv", 3, "planned_date"),
            ("cases.csv", 4, "due_date"),
            ("cases.csv", 5, "planned_date"),
            ("cases.csv", 6, "planned_date"),
            ("cases.csv", 6, "release_date"),
        ],
    ),  # fmt: skip
    (
        "clock times: 24:00 only as an end, minutes on two digits, no superscripts",
        {
            "sessions.csv": (
                "date,room_id,start,end\n2024-04-16,OR1,24:00,24:00\n2024-04-16,OR2,8:5,12:00\n"
                "2024-04-17,OR1,08:00,1²:00\n2024-04-17,OR2,07:00,24:00\n"
            )
        },
        [("sessions.csv", 2, "start"), ("sessions.csv", 3, "start"), ("sessions.csv", 4, "end")],
    ),  # fmt: skip
    (
        "session start after end",
        {"sessions.csv": BASE["sessions.csv"].replace("08:00,12:00", "12:00,12:00")},
        [("sessions.csv", 3, "end")],
    ),
    (
        "surgeon window start after end",
        {"surgeons.csv": "surgeon_id,date,start,end\nS1,2024-04-16,17:00,08:00\n"},
        [("surgeons.csv", 2, "end")],
    ),
    (
        "unknown urgency class",
        {"cases.csv": cases(C1.replace("P2", "P7"), C2.replace("P1a", "P1A"))},
        [("cases.csv", 2, "urgency"), ("cases.csv", 3, "urgency")],
    ),
    (
        "equipment neither fixed nor a pool",
        {"cases.csv": cases(C3.replace("c_arm", "robot"))},
        [("cases.csv", 2, "equipment")],
    ),
    (
        "equipment both fixed and a pool",
        {"resources.csv": BASE["resources.csv"] + "2024-04-17,laser,1\n"},
        [("resources.csv", 6, "resource")],
    ),
    (
        "reserved name as equipment",
        {
            "rooms.csv": "room_id,equipment\nOR1,laser;anaesthetist\nOR2,\n",
            "cases.csv": cases(C1, C3.replace("c_arm", "icu_bed")),
        },
        [("rooms.csv", 2, "equipment"), ("cases.csv", 3, "equipment")],
    ),  # fmt: skip
    (
        "numbers out of range or not whole",
        {
            "cases.csv": cases(
                C1.replace(",90,", ",0,"),
                C3.replace(",120,", ",1441,"),
                "C4,general,S1,90.0,P2,,,,,,,,,,,",
            ),
            "resources.csv": "date,resource,capacity\n2024-04-16,c_arm,-1\n2024-04-17,c_arm,"
            + "9" * 5000
            + "\n",
            "partners.csv": "partner_id,date,specialty,capacity\nCHU,2024-04-17,orthopaedics,½\n",
        },
        [
            ("cases.csv", 2, "duration_min"),
            ("cases.csv", 3, "duration_min"),
            ("cases.csv", 4, "duration_min"),
            ("resources.csv", 2, "capacity"),
            ("resources.csv", 3, "capacity"),
            ("partners.csv", 2, "capacity"),
        ],
    ),  # fmt: skip
    (
        "booleans, anaesthesia and flags",
        {
            "cases.csv": cases(
                C1.replace("true,false,", "si,false,"),
                C2.replace("local", "sedation"),
                C3.replace("latex_allergy", "vip"),
            )
        },
        [
            ("cases.csv", 2, "transferable"),
            ("cases.csv", 3, "anaesthesia"),
            ("cases.csv", 4, "flags"),
        ],
    ),  # fmt: skip
    (
        "inconsistent planned fields and dates",
        {
            "cases.csv": cases(
                "D1,general,S1,60,P2,,OR1,,,,,,,,,",
                "D2,general,S1,60,P2,2024-04-16,OR1,,,,,,,,true,",
                "D3,general,S1,60,P2,2024-04-17,,,,2024-04-16,,,,,,",
                "D4,general,S1,60,P2,,,,2024-04-20,2024-04-19,,,,,,",
                "D5,general,S1,90,P2,2024-04-16,OR1,23:00,,,,,,,true,",  # pinned: bad
            )
        },
        [
            ("cases.csv", 2, "planned_date"),
            ("cases.csv", 3, "pinned"),
            ("cases.csv", 4, "due_date"),
            ("cases.csv", 5, "due_date"),
            ("cases.csv", 6, "planned_start"),
        ],
    ),  # fmt: skip
    (
        "malformed TOML names its line",
        {"policy.toml": "start_date = 2024-04-16\n\n[urgency.P1\nweight = 2\n"},
        [("policy.toml", 3, None)],
    ),
    (
        "policy.toml not UTF-8",
        {"policy.toml": "# café\nstart_date = 2024-04-16\n".encode("latin-1")},
        [("policy.toml", 1, None)],
    ),
    (
        "wrong TOML types name their line and key",
        {
            "policy.toml": "start_date = 2024-04-16T08:00:00\nend_date = 20240417\n"
            'target_ratio = true\ntime_limit_s = "ten"\n[urgency.P2]\nweight = nan\n',
            "cases.csv": cases(C1),
        },
        [
            ("policy.toml", 1, "start_date"),
            ("policy.toml", 2, "end_date"),
            ("policy.toml", 3, "target_ratio"),
            ("policy.toml", 4, "time_limit_s"),
            ("policy.toml", 6, "urgency.P2.weight"),
        ],
    ),  # fmt: skip
    (
        "urgency given but not as tables",
        {"policy.toml": "urgency = 3\n"},
        [("policy.toml", 1, "urgency")],
    ),
    (
        "absurd urgency values",
        {
            "policy.toml": "[urgency.P2]\nmax_delay_days = 100000\ntransfer_cost = 1e300\n"
            '[urgency." P3"]\n',
            "cases.csv": cases(C1),
        },
        [
            ("policy.toml", 2, "urgency.P2.max_delay_days"),
            ("policy.toml", 3, "urgency.P2.transfer_cost"),
            ("policy.toml", 4, "urgency. P3"),
        ],
    ),  # fmt: skip
    (
        "horizon ends before it starts",
        {"policy.toml": "start_date = 2024-04-17\nend_date = 2024-04-16\n"},
        [("policy.toml", 2, "end_date")],
    ),
    (
        "horizon too long from policy",
        {"policy.toml": "start_date = 2024-04-16\nend_date = 2029-04-16\n"},
        [("policy.toml", 2, "end_date")],
    ),
    (
        "horizon too long from the sessions",
        {
            "policy.toml": None,
            "sessions.csv": BASE["sessions.csv"] + "2027-01-01,OR2,08:00,12:00,\n",
        },
        [("sessions.csv", None, "date")],
    ),  # fmt: skip
    (
        "no session and no horizon",
        {"policy.toml": None, "sessions.csv": "date,room_id,start,end\n", "cases.csv": cases()},
        [("sessions.csv", None, None)],
    ),  # fmt: skip
    (
        "pinned case: its room has no session that date",
        {"cases.csv": cases(C2.replace("2024-04-16,OR2", "2024-04-17,OR2"))},
        [("cases.csv", 2, "planned_room")],
    ),
    (
        "pinned case: its slot does not fit the session",
        {"cases.csv": cases(C2.replace("09:00", "07:30"))},
        [("cases.csv", 2, "planned_start")],
    ),
    (
        "pinned case: session reserved to another specialty",
        {"cases.csv": cases("P1,general,S3,60,P2,2024-04-17,OR1,09:00,,,,,,,true,")},
        [("cases.csv", 2, "planned_room")],
    ),
    (
        "pinned case: room does not host its specialty or lacks its equipment",
        {
            "rooms.csv": "room_id,specialties,equipment\nOR1,orthopaedics,laser\nOR2,urology,\n",
            "cases.csv": cases("P1,general,S3,60,P2,2024-04-16,OR2,09:00,,,laser,,,,true,"),
        },
        [("cases.csv", 2, "planned_room"), ("cases.csv", 2, "equipment")],
    ),  # fmt: skip
    (
        "pinned case: outside its surgeon's windows",
        {
            "surgeons.csv": "surgeon_id,date,start,end\nS1,2024-04-16,08:00,10:00\n"
            "S1,2024-04-16,10:00,12:00\n",
            "cases.csv": cases(
                "P1,general,S1,60,P2,2024-04-16,OR1,09:30,,,,,,,true,",
                "P2,general,S1,60,P2,2024-04-16,OR1,11:30,,,,,,,true,",
            ),
        },
        [("cases.csv", 3, "planned_start")],
    ),  # fmt: skip
    (
        "pinned cases: turnover in a room, overlap for a surgeon",
        {
            "cases.csv": cases(
                "P1,general,S1,60,P2,2024-04-16,OR1,08:00,,,,,,,true,",
                "P2,general,S2,60,P2,2024-04-16,OR1,09:29,,,,,,,true,",
                "P3,general,S2,30,P2,2024-04-16,OR2,10:00,,,,local,,,true,",
                "P4,general,S1,60,P2,2024-04-16,OR1,10:58,,,,local,,,true,",
            )
        },
        [
            ("cases.csv", 3, "planned_start"),
            ("cases.csv", 4, "planned_start"),
            ("cases.csv", 5, "planned_start"),
        ],  # P2 09:29 < 09:00 + 30; S2 twice; 10:58 < 10:59
    ),  # fmt: skip
    (
        "pinned cases: sequencing (infectious last)",
        {
            "cases.csv": cases(
                "P1,general,S1,60,P2,2024-04-16,OR1,08:00,,,,,,,true,infectious",
                "P2,general,S2,60,P2,2024-04-16,OR1,10:00,,,,,,,true,",
            )
        },
        [("cases.csv", 3, "flags")],
    ),  # fmt: skip
    (
        "pinned cases: anaesthetists, pool units and ICU beds",
        {
            "resources.csv": "date,resource,capacity\n2024-04-16,anaesthetist,1\n"
            "2024-04-16,c_arm,1\n2024-04-16,icu_bed,1\n",
            "cases.csv": cases(
                "P1,general,S1,60,P2,2024-04-16,OR1,08:00,,,c_arm,,true,,true,",
                "P2,general,S2,60,P2,2024-04-16,OR2,08:59,,,c_arm,,true,,true,",
                "P3,general,S3,60,P2,2024-04-16,OR2,10:30,,,c_arm,local,,,true,",
            ),
        },
        [
            ("cases.csv", 3, "anaesthesia"),
            ("cases.csv", 3, "equipment"),
            ("cases.csv", 3, "needs_icu"),
        ],
    ),  # fmt: skip
    (
        "pinned case: before the horizon or its release date",
        {
            "cases.csv": cases(
                "P1,general,S1,60,P2,2024-04-15,OR1,08:00,,,,,,,true,",
                "P2,general,S2,60,P2,2024-04-16,OR1,10:00,2024-04-17,,,,,,true,",
            )
        },
        [("cases.csv", 2, "planned_date"), ("cases.csv", 3, "release_date")],
    ),  # fmt: skip
    (
        "a missing rooms.csv is one problem, not one per session",
        {"rooms.csv": None},
        [("rooms.csv", None, None)],
    ),
    (
        "TOML errors do not make every case's class unknown",
        {
            "policy.toml": "[urgency.X1]\nweight = 1\nstart_date = = 2\n",
            "cases.csv": cases(C1.replace("P2", "X1")),
        },
        [("policy.toml", 3, None)],
    ),  # fmt: skip
]


@pytest.mark.parametrize(("files", "expected"), [r[1:] for r in RULES], ids=[r[0] for r in RULES])
def test_rule_names_file_row_and_column(
    tmp_path: Path, files: dict[str, str | bytes | None], expected: list[Where]
) -> None:
    """Each input rule of the contract is reported at its file, row and column, and only there."""
    assert sorted(where(write(tmp_path / "s", files)), key=str) == sorted(expected, key=str)


def test_base_scenario_is_valid(tmp_path: Path) -> None:
    """The scenario every rule test starts from loads, so each test shows one rule."""
    s = load_scenario(write(tmp_path / "s", {}))
    assert [c.case_id for c in s.cases] == ["C1", "C2", "C3"]
    assert s.warnings == ()


def test_bom_and_crlf_are_valid_and_change_nothing(tmp_path: Path) -> None:
    """A BOM and CRLF line ends (as spreadsheets save them) give the same scenario."""
    plain = load_scenario(write(tmp_path / "plain", {}))
    files = {**BASE, "cases.csv": cases(C1, C2, C3)}
    crlf = {k: ("\ufeff" + v.replace("\n", "\r\n")).encode() for k, v in files.items()}
    other = load_scenario(write(tmp_path / "crlf", crlf))
    assert other.model_dump(exclude={"input_hash", "name"}) == plain.model_dump(
        exclude={"input_hash", "name"}
    )


def test_empty_case_list_is_valid(tmp_path: Path) -> None:
    """A cases.csv with its header only is valid: there is nothing to do."""
    s = load_scenario(write(tmp_path / "s", {"cases.csv": CASES_HEADER + "\n"}))
    assert s.cases == ()


def test_unknown_columns_and_keys_are_warnings(tmp_path: Path) -> None:
    """Unknown extra columns and TOML keys load, with one warning each."""
    folder = write(
        tmp_path / "s",
        {
            "rooms.csv": "room_id,floor,specialties,equipment\nOR1,2,,laser\nOR2,3,,\n",
            "policy.toml": BASE["policy.toml"] + "colour = 1\n[urgency.P2]\nweight = 1\nx = 2\n"
            "[urgency.P1a]\n[urgency.P3]\n",
        },
    )
    s = load_scenario(folder)
    assert s.warnings == (
        "rooms.csv: unknown column(s) ignored: floor",
        "policy.toml: unknown key 'colour' ignored",
        "policy.toml: unknown key urgency.P2.x ignored",
    )
    assert set(s.policy.urgency) == {"P2", "P1a", "P3"}  # they replace the defaults


def test_defaults_without_policy_file(tmp_path: Path) -> None:
    """Without policy.toml: horizon from the sessions, the contract's defaults, default classes."""
    s = load_scenario(write(tmp_path / "s", {"policy.toml": None}))
    p = s.policy
    assert (str(p.start_date), str(p.end_date)) == ("2024-04-16", "2024-04-17")
    assert (p.target_ratio, p.turnover_min) == (0.9, 30)
    assert {"P1a", "P2", "P3", "P4"} <= set(p.urgency)


def test_optional_defaults_of_a_case(tmp_path: Path) -> None:
    """Empty optional cells take the contract's defaults; booleans accept 1/0 and yes/no."""
    s = load_scenario(
        write(tmp_path / "s", {"cases.csv": cases("C9,general,S1,60,P2,,,,,,,,,,,", C3)})
    )
    c9, c3 = s.cases
    assert (c9.anaesthesia, c9.needs_icu, c9.transferable, c9.pinned) == (
        "general", False, False, False,
    )  # fmt: skip
    assert c9.planned_date is None and c9.flags == frozenset()
    assert c3.needs_icu and not c3.transferable


def test_soft_problems_are_warnings(tmp_path: Path) -> None:
    """A resource given for some dates only, sessions outside the horizon: warnings, not errors."""
    folder = write(
        tmp_path / "s",
        {
            "resources.csv": "date,resource,capacity\n2024-04-16,anaesthetist,2\n"
            "2024-04-16,c_arm,1\n2024-04-17,c_arm,1\n",
            "sessions.csv": BASE["sessions.csv"] + "2024-05-20,OR2,08:00,12:00,\n",
        },
    )
    text = "\n".join(load_scenario(folder).warnings)
    assert "anaesthetist is given for 1 of the 2 dates" in text
    assert "1 session(s) fall outside the horizon" in text


def test_a_night_slot_is_bad_input_only_for_a_pinned_case(tmp_path: Path) -> None:
    """A case planned at 22:00 for 3 hours (a hospital's export holds night cases): a warning
    when it may move, bad input when pinned (its slot can fit no session)."""
    night = "N1,orthopaedics,S1,180,P2,2024-04-16,OR1,22:00,,,,general,false,false,{},"
    loose = load_scenario(write(tmp_path / "a", {"cases.csv": cases(C1, night.format("false"))}))
    assert [c.case_id for c in loose.cases] == ["C1", "N1"]
    assert (
        "cases.csv, row 3: the case would end after midnight (22:00 + 180 min); it cannot keep "
        "its planned slot" in loose.warnings
    )
    pinned = write(tmp_path / "b", {"cases.csv": cases(C1, night.format("true"))})
    assert ("cases.csv", 3, "planned_start") in where(pinned)


def test_validate_says_a_warning_with_its_plural(tmp_path: Path) -> None:
    """``validate`` prints what a planner reads: one session "falls" and "is not used"."""
    folder = write(
        tmp_path / "s", {"sessions.csv": BASE["sessions.csv"] + "2024-05-20,OR2,08:00,12:00,\n"}
    )
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
    assert "1 session falls outside the horizon" in result.output
    assert "(s)" not in result.output


def test_not_a_folder(tmp_path: Path) -> None:
    """A path that is not a folder is one problem naming it."""
    assert where(tmp_path / "nope") == [(str(tmp_path / "nope"), None, None)]
    (tmp_path / "file").write_text("x")
    assert where(tmp_path / "file") == [(str(tmp_path / "file"), None, None)]


def test_file_too_large_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file beyond the size limit is refused with a sentence, before it is read whole."""
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 100)
    assert ("cases.csv", None, None) in where(write(tmp_path / "s", {}))


def test_too_many_rows_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """More rows than the limit: one problem for the file, not one per row."""
    monkeypatch.setattr(limits, "MAX_ROWS", 3)
    assert where(write(tmp_path / "s", {})) == [("resources.csv", None, None)]


def test_cell_longer_than_csv_limit(tmp_path: Path) -> None:
    """A cell longer than the CSV module allows is named by its row, without a traceback."""
    folder = write(tmp_path / "s", {"cases.csv": cases(C1, "C2," + '"' + "x" * 200_000 + '"')})
    assert where(folder) == [("cases.csv", 3, None)]


def test_problems_per_file_are_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file full of bad rows lists the first problems and counts the rest."""
    monkeypatch.setattr(limits, "MAX_PROBLEMS_PER_FILE", 5)
    rows = [f"C{k},general,S1,bad,P2,,,,,,,,,,," for k in range(20)]
    with pytest.raises(ScenarioError) as info:
        load_scenario(write(tmp_path / "s", {"cases.csv": cases(*rows)}))
    problems = info.value.problems
    assert len(problems) == 6
    assert "15 more problems in this file are not listed" in str(info.value)


def test_every_problem_reported_at_once(tmp_path: Path) -> None:
    """Problems in several files are all reported in one error, sorted by file and row."""
    folder = write(
        tmp_path / "s",
        {
            "cases.csv": cases(C1.replace(",90,", ",x,"), C2.replace("P1a", "Q")),
            "sessions.csv": BASE["sessions.csv"] + "2024-04-17,OR1,09:00,10:00,\n",
            "policy.toml": "target_ratio = 2\n",
        },
    )
    assert where(folder) == [
        ("cases.csv", 2, "duration_min"),
        ("cases.csv", 3, "urgency"),
        ("policy.toml", 1, "target_ratio"),
        ("sessions.csv", 5, "date"),
    ]


# -- the corpus, through the real command -------------------------------------


def _corpus() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if (p / "expected.txt").is_file())


def _expected(folder: Path) -> list[str]:
    lines = (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
    return [x.strip() for x in lines if x.strip() and not x.startswith("#")]


def _printed_locations(output: str) -> list[str]:
    """The 'file, row N, column C' of each problem line the command printed."""
    return [
        line.strip()[2:].split(": ", 1)[0]
        for line in output.splitlines()
        if line.strip().startswith("- ")
    ]


@pytest.mark.parametrize("folder", _corpus(), ids=lambda p: p.name)
def test_corpus_through_validate(folder: Path) -> None:
    """``validate`` on each corpus folder: exit 2 and exactly the expected locations, or exit 0."""
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    expected = _expected(folder)
    if expected == ["valid"]:
        assert result.exit_code == 0, result.output
        assert "valid." in result.output
        return
    assert result.exit_code == 2, result.output
    assert sorted(_printed_locations(result.output)) == sorted(expected), result.output
    assert "Nothing was written." in result.output


def test_corpus_covers_the_listed_kinds() -> None:
    """The corpus keeps one folder per kind of problem the contract names, and valid ones."""
    names = {p.name for p in _corpus()}
    for kind in (
        "valid_windows1252", "wrong_encoding_undecodable", "valid_french_excel_export",
        "french_export_errors", "empty_file", "valid_bom_crlf", "valid_empty_case_list",
        "missing_files", "missing_columns", "duplicate_ids", "dangling_references",
        "bad_dates_and_times", "start_after_end", "two_sessions_same_room_and_date",
        "unknown_urgency_and_equipment", "equipment_fixed_pool_reserved",
        "negative_and_huge_numbers", "malformed_toml", "wrong_toml_types", "absurd_values",
        "pinned_room_without_session", "pinned_slot_does_not_fit",
    ):  # fmt: skip
        assert kind in names


@pytest.mark.parametrize("name", ["binary_file", "wrong_encoding_undecodable", "missing_files"])
def test_real_command_exits_2_without_traceback(name: str) -> None:
    """``python -m optimizer validate`` itself (a new process): exit 2, problems, no traceback."""
    r = subprocess.run(
        [sys.executable, "-m", "optimizer", "validate", str(CORPUS / name)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 2
    assert "Traceback" not in r.stdout + r.stderr
    for loc in _expected(CORPUS / name):
        assert f"- {loc}: " in r.stderr


def test_scenario_error_survives_pickling() -> None:
    """A ScenarioError sent from a worker process keeps its problems (not just its text)."""
    import pickle

    from optimizer.scenario import Problem

    err = ScenarioError(
        [Problem("cases.csv", 3, "urgency", "bad"), Problem("rooms.csv", None, None, "x")]
    )
    back = pickle.loads(pickle.dumps(err))
    assert back.problems == err.problems and str(back) == str(err)

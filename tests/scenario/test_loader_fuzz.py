"""Whatever the bytes in a scenario folder, the loader answers with a Scenario or a ScenarioError.

Never another exception: each problem names a file of the folder, a row that a
spreadsheet would show (or none) and a sentence that prints. A scenario that
loads is a valid one: it passes the schema's own validation again and comes
back unchanged through ``write_scenario``.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.scenario import Scenario, ScenarioError, load_scenario, write_scenario
from optimizer.scenario.layout import FILES, POLICY_FILE

FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
NAMES = (*FILES, POLICY_FILE)
BASE = {
    "cases.csv": (
        "case_id,specialty,surgeon_id,duration_min,urgency,planned_date,planned_room,"
        "planned_start,release_date,due_date,equipment,anaesthesia,needs_icu,transferable,"
        "pinned,flags\n"
        "C1,orthopaedics,S1,90,P2,2024-04-16,OR1,08:00,,,laser,general,false,true,false,\n"
        "C2,general,S2,60,P1a,2024-04-16,OR2,09:00,,,,local,false,false,true,\n"
    ),
    "rooms.csv": "room_id,specialties,equipment\nOR1,orthopaedics;general,laser\nOR2,,\n",
    "sessions.csv": (
        "date,room_id,start,end,specialty\n2024-04-16,OR1,08:00,16:00,\n"
        "2024-04-16,OR2,08:00,12:00,\n2024-04-17,OR1,08:00,16:00,orthopaedics\n"
    ),
    "surgeons.csv": "surgeon_id,date,start,end\nS1,2024-04-16,08:00,17:00\n",
    "resources.csv": "date,resource,capacity\n2024-04-16,anaesthetist,2\n2024-04-16,c_arm,1\n",
    "partners.csv": "partner_id,date,specialty,capacity\nCHU,2024-04-17,orthopaedics,2\n",
    "extra_sessions.csv": (
        "date,room_id,start,end,specialty,cost\n2024-04-17,OR2,08:00,12:00,,2.5\n"
        "2024-04-16,OR2,07:30,14:00,,\n"
    ),
    "unavailable.csv": "case_id,from,to,reason\nC1,2024-04-17,2024-04-20,holiday\n",
    "extra_resources.csv": "resource,date,extra,cost\nanaesthetist,2024-04-16,1,300\n",
    "policy.toml": "start_date = 2024-04-16\nend_date = 2024-04-17\n",
}
COLUMNS = {name: list(req + opt) for name, (_, req, opt) in FILES.items()}

# Cell texts: mostly plausible values (to reach the deep checks), sometimes anything.
PLAUSIBLE = st.sampled_from(
    [
        "", " ", "C1", "C2", "OR1", "OR2", "OR9", "S1", "S2", "P1a", "P2", "P9", "p2",
        "orthopaedics", "general", "laser", "c_arm", "anaesthetist", "icu_bed", "robot",
        "2024-04-16", "2024-04-17", "2024-04-15", "2024-02-30", "1999-01-01", "9999-12-31",
        "08:00", "12:00", "16:00", "24:00", "23:59", "7:5", "25:00", "-1", "0", "1", "30",
        "90", "1440", "1441", "99999999999999999999", "true", "false", "yes", "NO", "maybe",
        "general", "local", "regional", "latex_allergy", "paediatric;infectious", "vip",
        "a;b;;c", "=1+1", "'x", "\"", "é", "\u00a0", "１２",
    ]
)  # fmt: skip
CELL = st.one_of(PLAUSIBLE, PLAUSIBLE, st.text(max_size=12))


def _check(folder: Path) -> Scenario | None:
    """Load ``folder``; assert the outcome is a valid Scenario or well-formed problems."""
    try:
        scenario = load_scenario(folder)
    except ScenarioError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.file in NAMES, p
            assert p.row is None or (isinstance(p.row, int) and p.row >= 1), p
            assert p.column is None or (isinstance(p.column, str) and p.column), p
            assert p.message.strip(), p
        str(exc).encode("utf-8")  # every message prints
        return None
    # What loads is valid by the schema's own rules, and survives a round trip.
    again = Scenario.model_validate(scenario.model_dump())
    assert again.cases == scenario.cases
    with tempfile.TemporaryDirectory() as tmp:
        back = load_scenario(write_scenario(scenario, Path(tmp) / "s"))
    skip = {"input_hash", "name", "warnings"}
    assert back.model_dump(exclude=skip) == scenario.model_dump(exclude=skip)
    return scenario


def _folder(tmp: str, files: dict[str, bytes]) -> Path:
    folder = Path(tmp) / "s"
    folder.mkdir()
    for name, text in BASE.items():
        (folder / name).write_bytes(files.get(name, text.encode()))
    return folder


def test_base_folder_loads() -> None:
    """The folder the fuzz tests start from is valid, so a failure shows the fuzzed file's doing."""
    with tempfile.TemporaryDirectory() as tmp:
        assert _check(_folder(tmp, {})) is not None


@FUZZ
@given(name=st.sampled_from(NAMES), data=st.binary(max_size=600))
def test_arbitrary_bytes_in_any_file(name: str, data: bytes) -> None:
    """Any bytes in any one file: a Scenario or a ScenarioError, never another exception."""
    with tempfile.TemporaryDirectory() as tmp:
        _check(_folder(tmp, {name: data}))


def test_carriage_return_before_a_semicolon_is_answered_cleanly() -> None:
    """Found by the fuzz test: ``\r;`` made the separator detection raise csv.Error."""
    with tempfile.TemporaryDirectory() as tmp:
        _check(_folder(tmp, {"cases.csv": b"\r;"}))


@FUZZ
@given(
    name=st.sampled_from(NAMES),
    prefix=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"PK\x03\x04"]),
    mutation=st.lists(st.tuples(st.integers(0, 400), st.binary(min_size=1, max_size=3)),
                      max_size=4),
)  # fmt: skip
def test_damaged_bytes_of_a_valid_file(
    name: str, prefix: bytes, mutation: list[tuple[int, bytes]]
) -> None:
    """A valid file with a few bytes overwritten (or a stray prefix) is still answered cleanly."""
    data = bytearray(prefix + BASE[name].encode())
    for at, chunk in mutation:
        at = min(at, len(data))
        data[at : at + len(chunk)] = chunk
    with tempfile.TemporaryDirectory() as tmp:
        _check(_folder(tmp, {name: bytes(data)}))


@st.composite
def csv_file(draw: st.DrawFn, name: str) -> bytes:
    """A CSV file with a valid header (columns in any order, maybe one extra) and random rows."""
    cols = draw(st.permutations(COLUMNS[name]))
    if draw(st.booleans()):
        cols = [*cols, "note"]
    rows = draw(st.lists(st.lists(CELL, min_size=len(cols), max_size=len(cols)), max_size=6))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    w.writerow(cols)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8", "surrogatepass")


@FUZZ
@given(st.data())
def test_random_rows_in_valid_headers(data: st.DataObject) -> None:
    """Random cell texts under valid headers, in one to three files at once."""
    names = data.draw(st.sets(st.sampled_from(list(FILES)), min_size=1, max_size=3))
    files = {name: data.draw(csv_file(name)) for name in names}
    with tempfile.TemporaryDirectory() as tmp:
        _check(_folder(tmp, files))


@FUZZ
@given(st.data())
def test_random_cases_alone(data: st.DataObject) -> None:
    """Random rows in cases.csv only: deep case checks (pinned, equipment, dates) never crash."""
    files = {"cases.csv": data.draw(csv_file("cases.csv"))}
    with tempfile.TemporaryDirectory() as tmp:
        _check(_folder(tmp, files))


TOML_VALUE = st.one_of(
    st.sampled_from(
        [
            "2024-04-16", "2024-04-17", "2030-01-01", "1979-05-27T07:32:00", "07:32:00", "0.9",
            "1.5", "-1", "0", "30", "1e400", "nan", "inf", "true", '"count"', '"weighted"',
            '"2024-04-16"', "[1, 2]", "{}", '{ weight = 2 }', "99999999999999999999",
        ]
    ),
    st.integers().map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.text(max_size=8).map(lambda s: '"' + s.replace("\\", "").replace('"', "") + '"'),
)  # fmt: skip
TOML_KEY = st.sampled_from(
    ["start_date", "end_date", "target_ratio", "turnover_min", "seed", "time_limit_s",
     "level3", "max_delay_days", "weight", "transfer_cost", "colour"]
)  # fmt: skip


@st.composite
def policy_text(draw: st.DrawFn) -> bytes:
    """A policy.toml of random keys and values, with maybe some [urgency.NAME] tables."""
    lines = [
        f"{k} = {v}" for k, v in draw(st.dictionaries(TOML_KEY, TOML_VALUE, max_size=4)).items()
    ]
    for cls in draw(st.lists(st.sampled_from(["P1a", "P2", "X", '" "', '""']), max_size=3,
                             unique=True)):  # fmt: skip
        lines.append(f"[urgency.{cls}]")
        pairs = draw(st.dictionaries(TOML_KEY, TOML_VALUE, max_size=3)).items()
        lines += [f"{k} = {v}" for k, v in pairs]
    return "\n".join(lines).encode("utf-8", "surrogatepass")


@FUZZ
@given(policy=policy_text())
def test_random_policy(policy: bytes) -> None:
    """Random keys, types and values in policy.toml: a clean answer, each problem on its line."""
    with tempfile.TemporaryDirectory() as tmp:
        _check(_folder(tmp, {"policy.toml": policy}))

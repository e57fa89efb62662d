"""CSV files as a French Excel exports them: read as they are, one warning per file.

``;`` separators, Windows-1252, ``DD/MM/YYYY``, ``VRAI``/``FAUX`` and
``oui``/``non``, decimal commas, each detected per file; the same scenario in
either form gives the same schedule byte for byte. (The corpus holds the
small cases: ``valid_french_excel_export``, ``french_export_errors``,
``valid_windows1252``, ``wrong_encoding_undecodable``.)
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from optimizer.cli import cli
from optimizer.scenario import Scenario, ScenarioError, load_scenario, write_scenario
from tests.support.french import write_french_export
from tests.support.paths import DEMO
from tests.support.strategies import scenarios

SKIP = {"name", "input_hash", "warnings"}


def test_the_demo_as_a_french_export_is_the_same_scenario(tmp_path: Path) -> None:
    """Every file of the demo saved by a French Excel loads to the demo itself, with one
    warning per file naming what was detected there, and no problem."""
    french = write_french_export(DEMO, tmp_path / "fr")
    assert b";" in (french / "cases.csv").read_bytes().split(b"\r\n")[0]
    s, demo = load_scenario(french), load_scenario(DEMO)
    assert s.model_dump(exclude=SKIP) == demo.model_dump(exclude=SKIP)
    said = [w for w in s.warnings if "French spreadsheet export" in w]
    files = sorted(p.name for p in french.glob("*.csv"))
    assert sorted(w.split(":")[0] for w in said) == files  # one per file, no more
    cases = next(w for w in said if w.startswith("cases.csv"))
    assert "';' as separator" in cases and "dates as DD/MM/YYYY" in cases
    assert "booleans as VRAI/FAUX or oui/non" in cases
    assert "decimal commas" in next(w for w in said if w.startswith("extra_sessions.csv"))
    assert not any("French" in w for w in demo.warnings)  # the contract's own form: no warning


def test_same_schedule_byte_for_byte_from_the_french_export(tmp_path: Path) -> None:
    """One worker, a seed and a work limit: the demo and its French export give the same
    ``schedule.csv``, byte for byte. (A small budget: any budget reproduces, and a case
    read differently changes the schedule from its first fit on.)"""
    french = write_french_export(DEMO, tmp_path / "fr")
    written = []
    for name, folder in (("plain", DEMO), ("french", french)):
        out = tmp_path / f"out_{name}"
        args = ["solve", str(folder), "--out", str(out), "--workers", "1", "--seed", "3",
                "--work-limit", "0.2", "-q"]  # fmt: skip
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        written.append((out / "schedule.csv").read_bytes())
    assert written[0] == written[1]


def test_a_windows_1252_file_is_one_warning_not_one_problem_per_cell(tmp_path: Path) -> None:
    """A file saved as Windows-1252 with accents in dozens of cells: read, its accents right, and
    said once (the issue saw the same message 175 times)."""
    folder = tmp_path / "s"
    shutil.copytree(DEMO, folder)
    text = (DEMO / "cases.csv").read_text(encoding="utf-8")
    text = text.replace(",orthopaedics,", ",orthopédie,")
    (folder / "cases.csv").write_bytes(text.encode("cp1252"))
    for other in DEMO.glob("*.csv"):  # the others in UTF-8, with the same specialty
        if other.name != "cases.csv":
            text = other.read_text(encoding="utf-8").replace("orthopaedics", "orthopédie")
            (folder / other.name).write_text(text, encoding="utf-8")
    s = load_scenario(folder)
    assert sum(c.specialty == "orthopédie" for c in s.cases) > 10
    said = [w for w in s.warnings if "Windows-1252" in w]
    assert said == [
        "cases.csv: read as a French spreadsheet export: Windows-1252 encoding (not UTF-8)"
    ]


def test_bytes_neither_utf8_nor_windows_1252_are_one_problem_per_file(tmp_path: Path) -> None:
    """Bytes no encoding the contract reads (0x81 in Windows-1252): one problem for the file,
    whatever the number of cells holding them."""
    folder = tmp_path / "s"
    shutil.copytree(DEMO, folder)
    data = (DEMO / "cases.csv").read_bytes().replace(b",P2,", b",P\x81,")
    (folder / "cases.csv").write_bytes(data)
    with pytest.raises(ScenarioError) as info:
        load_scenario(folder)
    (problem,) = info.value.problems
    assert (problem.file, problem.row, problem.column) == ("cases.csv", None, None)
    assert "neither UTF-8 nor Windows-1252" in problem.message and "0x81" in problem.message


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("31/02/2024", "not a date of the calendar"),
        ("2024/04/16", "YYYY-MM-DD (or DD/MM/YYYY)"),
        ("16.04.2024", "YYYY-MM-DD (or DD/MM/YYYY)"),
    ],
)
def test_a_bad_french_date_is_named_in_its_own_words(
    tmp_path: Path, cell: str, message: str
) -> None:
    """A date that is not one, in a ``;`` file: named by file, row and column, the message
    saying both forms the contract reads."""
    french = write_french_export(DEMO, tmp_path / "fr")
    lines = (french / "sessions.csv").read_bytes().split(b"\r\n")
    lines[2] = cell.encode() + lines[2][10:]
    (french / "sessions.csv").write_bytes(b"\r\n".join(lines))
    with pytest.raises(ScenarioError) as info:
        load_scenario(french)
    got = [(p.file, p.row, p.column, p.message) for p in info.value.problems]
    assert [g[:3] for g in got] == [("sessions.csv", 3, "date")]
    assert message in got[0][3]


def test_times_with_seconds_and_a_comma_file_with_french_cells(tmp_path: Path) -> None:
    """Each convention is detected alone: a ``,`` file in UTF-8 with ``DD/MM/YYYY`` dates,
    ``VRAI``/``FAUX`` and times written ``08:00:00`` reads, its warning naming only those."""
    folder = tmp_path / "s"
    shutil.copytree(DEMO, folder)
    lines = (DEMO / "sessions.csv").read_text(encoding="utf-8").splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        date, room, start, end, *rest = line.split(",")
        y, m, d = date.split("-")
        out.append(",".join([f"{d}/{m}/{y}", room, start + ":00", end, *rest]))
    (folder / "sessions.csv").write_text("\n".join(out) + "\n", encoding="utf-8")
    s = load_scenario(folder)
    assert s.sessions == load_scenario(DEMO).sessions
    said = [w for w in s.warnings if w.startswith("sessions.csv")]
    assert said == ["sessions.csv: read as a French spreadsheet export: dates as DD/MM/YYYY"]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(scenario=scenarios())
def test_any_scenario_as_a_french_export_loads_back_unchanged(
    tmp_path: Path, scenario: Scenario
) -> None:
    """Whatever the scenario (every feature of the contract), saved as a French Excel saves
    it, it loads back to itself."""
    plain = write_scenario(scenario, tmp_path / "plain")
    french = write_french_export(plain, tmp_path / "fr")
    assert load_scenario(french).model_dump(exclude=SKIP) == scenario.model_dump(exclude=SKIP)


@pytest.mark.parametrize(
    ("header", "separators", "expected"),
    [
        ("case_id;room_id;note,x", (",", ";"), ";"),  # two names split on ';', one on ','
        ("\ufeffcase_id;room_id", (",", ";"), ";"),  # a byte order mark is not a name
        ("case_id", (",", ";"), ","),  # one column: nothing to tell, ',' kept
        ("case_id;a,room_id", (",", ";"), ","),  # as many names either way: ','
        ("case_id\troom_id", (",", ";"), ","),  # a scenario's files are not split on tabs
        ("case_id\troom_id", (",", ";", "\t"), "\t"),  # the importers' files may be
    ],
)
def test_delimiter_of_picks_the_separator_naming_most_columns(
    header: str, separators: tuple[str, ...], expected: str
) -> None:
    """One rule, owned by the scenario reader and called by the importers: the separator
    whose split of the header names most known columns, the first of equals."""
    from optimizer.scenario.reading import delimiter_of

    assert delimiter_of(header + "\n1;2\n", {"case_id", "room_id"}, separators) == expected

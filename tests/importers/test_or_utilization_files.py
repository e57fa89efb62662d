"""The OR-utilization importer on the files a real export gives: blank rows, far-off
dates, a long file, another separator. Each imports as the same plan, or is refused
naming the row a spreadsheet shows and the column, before anything is written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from optimizer.cli import cli
from optimizer.importers import import_or_utilization
from optimizer.scenario import Scenario, ScenarioError, load_scenario

HEADER = (
    "index,Encounter ID,Date,OR Suite,Service,CPT Code,CPT Description,Booked Time (min),"
    "OR Schedule,Wheels In,Start Time,End Time,Wheels Out"
)
# Three cases of room 1 on 3 January 2022, 15 minutes apart, as the quarter books them.
# Every date here reads both ways (1/3/22: 3 January or 1 March), so these tests say the
# quarter's order, month first, as a user would with --date-order month-first.
ROWS = [
    '0,1,1/3/22,1,ENT,1,"a, b",60,1/3/22 7:00,,,,',
    '1,2,1/3/22,1,ENT,1,"a, b",60,1/3/22 8:15,,,,',
    '2,3,1/3/22,1,ENT,1,"a, b",60,1/3/22 9:30,,,,',
]
MONTH_FIRST = ["--date-order", "month-first"]


def write(tmp_path: Path, lines: list[str], name: str = "or.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def imported(path: Path, **kwargs: Any) -> Scenario:
    """The file imported, its dates read month first unless ``kwargs`` say otherwise."""
    return import_or_utilization(path, **{"date_order": "month-first", **kwargs})


def refused(path: Path, **kwargs: Any) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(ScenarioError) as info:
        imported(path, **kwargs)
    return [(p.row, p.column, p.message) for p in info.value.problems]


def test_blank_rows_do_not_shift_the_row_named_in_an_error(tmp_path: Path) -> None:
    """Regression (blank rows shifted rows): a bad cell on line 5, after a blank line 3,
    was reported on row 4, the row a spreadsheet shows for the blank line's neighbour."""
    lines = [HEADER, ROWS[0], "", ROWS[1], ROWS[2].replace(",60,", ",sixty,")]
    problems = refused(write(tmp_path, lines))
    assert [(row, col) for row, col, _ in problems] == [(5, "Booked Time (min)")]


def test_duplicate_encounter_names_both_rows_after_a_blank_line(tmp_path: Path) -> None:
    """An encounter listed twice names the row it is first on, blank lines counted."""
    lines = [HEADER, "", ROWS[0], ROWS[1], ROWS[0].replace("0,1,", "9,1,", 1)]
    problems = refused(write(tmp_path, lines))
    assert [(row, col) for row, col, _ in problems] == [(5, "Encounter ID")]
    assert "already on row 3" in problems[0][2]


def test_rows_of_empty_cells_are_blank_rows(tmp_path: Path) -> None:
    """Regression (rows of commas refused): a spreadsheet saves its trailing empty rows as
    rows of separators only; they are blank rows, not cases with empty cells."""
    lines = [HEADER, *ROWS, "," * 12, " , ,,,,,,,,,,,", "," * 12]
    scenario = imported(write(tmp_path, lines))
    assert [c.case_id for c in scenario.cases] == ["1", "2", "3"]


@pytest.mark.parametrize("date", ["1/3/1850", "12/31/9999", "1/1/0001"])
def test_a_far_off_date_is_refused_at_its_cell(date: str, tmp_path: Path) -> None:
    """Regression (far-off date written): a date outside 1900..2999 was imported, and
    the folder written was then refused by validate (policy.toml, sessions.csv)."""
    bad = f'3,4,{date},1,ENT,1,"x",60,{date} 11:00,,,,'
    problems = refused(write(tmp_path, [HEADER, *ROWS, bad]))
    # Both cells that hold the date say so, on the row a spreadsheet shows.
    assert [(row, col) for row, col, _ in problems] == [(5, "Date"), (5, "OR Schedule")]
    assert all("not a plausible date (years 1900 to 2999)" in m for _, _, m in problems)


def test_dates_longer_than_one_run_are_refused_naming_the_rows(tmp_path: Path) -> None:
    """Regression (long file written): two years of bookings (or one typing error a
    year off) made a 731-day horizon; validate then refused the written folder. The
    import says so, names the first and last dates' rows, and --weeks takes a part."""
    late = '3,4,1/3/24,1,ENT,1,"x",60,1/3/24 7:00,,,,'
    path = write(tmp_path, [HEADER, *ROWS, late])
    problems = refused(path)
    assert [(row, col) for row, col, _ in problems] == [(5, "Date")]
    assert "731 days" in problems[0][2] and "row 2" in problems[0][2]
    assert "--weeks" in problems[0][2]
    scenario = imported(path, weeks=57)  # 399 days: within one run
    assert scenario.policy.end_date == dt.date(2022, 1, 3)


def test_weeks_beyond_any_date_keeps_every_case(tmp_path: Path) -> None:
    """Regression (--weeks overflow): --weeks 600000 stopped with 'internal error:
    OverflowError: date value out of range' (exit 1); it keeps the whole file."""
    path = write(tmp_path, [HEADER, *ROWS])
    assert len(imported(path, weeks=600_000).cases) == 3
    assert len(imported(path, weeks=10**12).cases) == 3


def test_cli_refusals_exit_2_and_write_nothing(tmp_path: Path) -> None:
    """The refusals above reach the command as exit status 2, the file, row and column
    named, no traceback, and no output folder."""
    runner = CliRunner()
    late = '3,4,1/3/24,1,ENT,1,"x",60,1/3/24 7:00,,,,'
    path = write(tmp_path, [HEADER, *ROWS, "", late])
    out = tmp_path / "out"
    r = runner.invoke(cli, ["import-or-utilization", str(path), str(out), *MONTH_FIRST])
    assert r.exit_code == 2, r.output
    assert "row 6, column Date" in r.output and "Traceback" not in r.output
    assert not out.exists()
    good = write(tmp_path, [HEADER, *ROWS], "good.csv")
    args = [str(good), str(out), "--weeks", "999999999", *MONTH_FIRST]
    r = runner.invoke(cli, ["import-or-utilization", *args])
    assert r.exit_code == 0, r.output
    assert len(load_scenario(out).cases) == 3


@pytest.mark.parametrize("separator", [";", "\t"])
def test_a_semicolon_or_tab_export_imports_as_the_comma_file(
    separator: str, tmp_path: Path
) -> None:
    """Regression (separator): the same file saved by a French Excel (';') or as
    tab-separated text was refused with 'this column is missing from the header' for
    all six columns, which are there. It now reads as the comma file does."""
    import csv
    import io

    def resave(lines: list[str]) -> list[str]:
        out = io.StringIO()
        csv.writer(out, delimiter=separator, lineterminator="\n").writerows(csv.reader(lines))
        return out.getvalue().splitlines()

    plain = imported(write(tmp_path, [HEADER, *ROWS], "plain.csv"))
    other = imported(write(tmp_path, resave([HEADER, *ROWS]), "other.csv"))
    assert other.cases == plain.cases and other.sessions == plain.sessions


def test_a_windows_1252_export_imports(tmp_path: Path) -> None:
    """Regression (encoding): Excel on Windows saves plain "CSV" as Windows-1252; an
    en dash in a CPT description (a column not even read) refused the whole file as
    'not UTF-8 text (byte 49)'. It is read as the scenario loader reads such a file."""
    lines = [HEADER, *(r.replace('"a, b"', '"Ostéotomie – pied"') for r in ROWS)]
    path = tmp_path / "or.csv"
    path.write_bytes(("\n".join(lines) + "\n").replace("ENT", "Orthopédie").encode("cp1252"))
    scenario = imported(path)
    assert [c.specialty for c in scenario.cases] == ["Orthopédie"] * 3


def test_weeks_says_how_many_cases_it_leaves_out(tmp_path: Path) -> None:
    """Regression (weeks left cases out silently): --weeks 1 on a file with a case in its
    second week wrote 3 of the 4 cases and said nothing of the fourth; a note now gives
    the count and the first date left out, as the waiting patients of IHTC are noted."""
    late = '3,4,1/10/22,1,ENT,1,"x",60,1/10/22 7:00,,,,'
    path = write(tmp_path, [HEADER, *ROWS, late])
    scenario = imported(path, weeks=1)
    assert len(scenario.cases) == 3
    assert any(
        "1 of 4 cases" in w and "from 2022-01-10 on" in w and "--weeks 1" in w
        for w in scenario.warnings
    ), scenario.warnings
    assert not any("left out" in w for w in imported(path, weeks=2).warnings)


def test_a_byte_order_mark_before_windows_1252_text_is_not_part_of_a_column(
    tmp_path: Path,
) -> None:
    """Regression (BOM glued to a column): a file starting with a UTF-8 byte order mark
    whose cells are Windows-1252 (an export touched by another editor) was refused with
    'row 1, column Encounter ID: this column is missing from the header', the mark read
    as the letters 'ï»¿' of the first name. The mark is dropped before decoding."""
    lines = [HEADER.removeprefix("index,"), *(r.split(",", 1)[1] for r in ROWS)]
    text = "\r\n".join(lines).replace("ENT", "Orthopédie") + "\r\n"
    path = tmp_path / "or.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("cp1252"))
    assert [c.specialty for c in imported(path).cases] == ["Orthopédie"] * 3


def test_an_out_that_cannot_be_a_folder_is_refused_with_exit_2(tmp_path: Path) -> None:
    """Regression (OUT a file): an OUT that is a file was told 'this folder is not
    empty', and an OUT inside a file stopped with 'internal error (a bug, please report
    it): NotADirectoryError' and exit 1. Both are refused, exit 2, the file named."""
    good = write(tmp_path, [HEADER, *ROWS])
    afile = tmp_path / "notes.txt"
    afile.write_text("mine")
    runner = CliRunner()
    for out, words in ((afile, "is a file, not a folder"), (afile / "sub", f"{afile} is a file")):
        r = runner.invoke(cli, ["import-or-utilization", str(good), str(out), *MONTH_FIRST])
        assert r.exit_code == 2, r.output
        assert f"{out}: " in r.output and words in r.output, r.output
        assert "internal error" not in r.output and "Traceback" not in r.output
    assert afile.read_text() == "mine"


def test_a_write_that_fails_half_way_leaves_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression (half-written folder): the scenario was written file by file into OUT,
    so a disk that filled up after cases.csv left a folder without sessions.csv (and an
    internal error). It is written beside and moved in place: nothing is left, exit 2."""
    import errno

    from optimizer.importers import _common
    from optimizer.scenario import write_scenario

    def full_disk(scenario: Scenario, folder: Path) -> Path:
        write_scenario(scenario, folder)  # every file there, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(_common, "write_scenario", full_disk)
    good = write(tmp_path, [HEADER, *ROWS])
    out = tmp_path / "out"
    r = CliRunner().invoke(cli, ["import-or-utilization", str(good), str(out), *MONTH_FIRST])
    assert r.exit_code == 2, r.output
    assert f"{out}: the folder cannot be written: No space left on device" in r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["or.csv"]


def test_lang_fr_says_the_problems_and_the_folder_written_in_french(tmp_path: Path) -> None:
    """A French planner importing an export: ``--lang fr`` says a missing column and the
    folder written in French (before: no ``--lang``, every line in English); an IHTC
    file that is not JSON too."""
    runner = CliRunner()
    bad = write(tmp_path, ["index,Encounter ID,Date", "0,1,1/3/22"], "bad.csv")
    r = runner.invoke(
        cli, ["import-or-utilization", str(bad), str(tmp_path / "o1"), "--lang", "fr"]
    )
    assert r.exit_code == 2, r.output
    assert "colonne OR Suite : cette colonne obligatoire manque dans l'en-tête" in r.output
    assert "missing" not in r.output and not (tmp_path / "o1").exists()
    good = write(tmp_path, [HEADER, *ROWS], "good.csv")
    out = tmp_path / "o2"
    r = runner.invoke(cli, ["import-or-utilization", str(good), str(out), *MONTH_FIRST,
                            "--lang", "fr"])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert f"{out} : 3 cas (3 prévus), 1 salle" in r.output
    broken = tmp_path / "i.json"
    broken.write_text('{"days": 3\n', encoding="utf-8")
    r = runner.invoke(cli, ["import-ihtc", str(broken), str(tmp_path / "o3"), "--lang", "fr"])
    assert r.exit_code == 2, r.output
    assert "le fichier n'est pas un JSON valide" in r.output and "not valid" not in r.output

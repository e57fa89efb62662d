"""The OR-utilization importer reads slashed dates in the order the file itself shows:
day first (a French Excel's 13/01/2022) or month first (the quarter's 1/13/22). A file
whose every date reads both ways is refused, naming a cell and the option that settles
it, unless the caller gives the order; nothing is guessed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from optimizer.cli import cli
from optimizer.importers import import_or_utilization
from optimizer.importers.dates import date_order_of, parse_date
from optimizer.scenario import ScenarioError, load_scenario

HEADER = "Encounter ID;Date;OR Suite;Service;Booked Time (min);OR Schedule"


def french_excel(tmp_path: Path, days: list[int], name: str = "or.csv") -> Path:
    """One 60-minute case at 07:00 in room 1 on each of ``days`` of January 2022, as a
    French Excel saves it: ';', Windows-1252, dates DD/MM/YYYY."""
    lines = [HEADER] + [
        f"{k};{d:02d}/01/2022;1;Orthopédie;60;{d:02d}/01/2022 07:00" for k, d in enumerate(days)
    ]
    path = tmp_path / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def dates(path: Path, **kwargs: object) -> list[dt.date | None]:
    return [c.planned_date for c in import_or_utilization(path, **kwargs).cases]  # type: ignore[arg-type]


def test_day_first_dates_are_read_day_first_when_one_day_is_above_12(tmp_path: Path) -> None:
    """Regression (dates month first only): a French Excel's export of the quarter, dates
    DD/MM/YYYY, was refused on every date after the 12th ("'13/01/2022' is not a date
    (m/d/yy)", 2,514 problems) while 03/01/2022 was read as 1 March. 13/01/2022 can only
    be day first, so the whole file is read day first."""
    path = french_excel(tmp_path, [3, 4, 13])
    assert dates(path) == [dt.date(2022, 1, 3), dt.date(2022, 1, 4), dt.date(2022, 1, 13)]


def test_month_first_dates_are_read_month_first_when_one_day_is_above_12(
    tmp_path: Path,
) -> None:
    """The quarter's own order: 1/13/22 can only be month first, so 1/3/22 is 3 January."""
    path = tmp_path / "or.csv"
    path.write_text(
        "Encounter ID,Date,OR Suite,Service,Booked Time (min),OR Schedule\n"
        "1,1/3/22,1,ENT,60,1/3/22 7:00\n2,1/13/22,1,ENT,60,1/13/22 7:00\n"
    )
    assert dates(path) == [dt.date(2022, 1, 3), dt.date(2022, 1, 13)]


def test_a_file_whose_dates_all_read_both_ways_is_refused_naming_the_option(
    tmp_path: Path,
) -> None:
    """Regression (dates guessed silently): a French export of the first week (03/01/2022
    to 07/01/2022) was imported as 1 March to 1 July, a 123-day horizon, without a word.
    It is now refused at its first date, saying both readings and --date-order; with the
    order given it is the first week of January."""
    path = french_excel(tmp_path, [3, 4, 5, 6, 7])
    with pytest.raises(ScenarioError) as info:
        import_or_utilization(path)
    [p] = info.value.problems
    assert (p.file, p.row, p.column) == (str(path), 2, "Date")
    assert "2022-01-03 (day first) or as 2022-03-01 (month first)" in p.message
    assert "--date-order day-first or --date-order month-first" in p.message
    assert dates(path, date_order="day-first") == [dt.date(2022, 1, d) for d in range(3, 8)]
    assert dates(path, date_order="month-first")[1] == dt.date(2022, 4, 1)


def test_dates_that_read_the_same_both_ways_need_no_order(tmp_path: Path) -> None:
    """01/01/2022 is 1 January either way: nothing to settle, nothing refused."""
    assert dates(french_excel(tmp_path, [1, 1])) == [dt.date(2022, 1, 1)] * 2


def test_a_file_mixing_the_two_orders_is_refused_naming_both_rows(tmp_path: Path) -> None:
    """13/01/2022 (day first only) and 01/14/2022 (month first only) in one file: one of
    them is mistyped; the second is named, with the row of the first."""
    path = french_excel(tmp_path, [3, 13])
    text = path.read_bytes().decode("cp1252") + "9;01/14/2022;1;ENT;60;01/14/2022 07:00\r\n"
    path.write_bytes(text.encode("cp1252"))
    with pytest.raises(ScenarioError) as info:
        import_or_utilization(path)
    [p] = info.value.problems
    assert (p.row, p.column) == (4, "Date")
    assert "'13/01/2022' (row 3, column Date)" in p.message and "two date orders" in p.message


def test_a_given_order_the_file_contradicts_is_named_at_the_cell(tmp_path: Path) -> None:
    """date_order="month-first" on a day-first file: 13/01/2022 cannot be month first,
    and both its cells say so in the order's own words."""
    path = french_excel(tmp_path, [3, 13])
    with pytest.raises(ScenarioError) as info:
        import_or_utilization(path, date_order="month-first")
    assert [(p.row, p.column) for p in info.value.problems] == [(3, "Date"), (3, "OR Schedule")]
    assert "'13/01/2022' is not a date (month/day/year, or YYYY-MM-DD)" in str(info.value)


def test_iso_dates_need_no_order_and_two_digit_years_are_as_strptime_reads_them() -> None:
    """YYYY-MM-DD is read as it is; a 2-digit year is 19xx from 69, else 20xx."""
    assert date_order_of("f.csv", [(2, "Date", "2022-01-03")]) == "month-first"
    assert parse_date("2022-01-03", "day-first") == dt.date(2022, 1, 3)
    assert parse_date("3/1/22", "day-first") == dt.date(2022, 1, 3)
    assert parse_date("1/3/69", "month-first") == dt.date(1969, 1, 3)
    assert parse_date("1/3/68", "month-first") == dt.date(2068, 1, 3)


def test_cli_date_order_option_and_refusal(tmp_path: Path) -> None:
    """import-or-utilization refuses the ambiguous file with exit 2, file, row and column
    named and nothing written; --date-order day-first imports it."""
    runner = CliRunner()
    path = french_excel(tmp_path, [3, 4])
    out = tmp_path / "out"
    r = runner.invoke(cli, ["import-or-utilization", str(path), str(out)])
    assert r.exit_code == 2, r.output
    assert f"{path}, row 2, column Date" in r.output and "--date-order" in r.output
    assert "Traceback" not in r.output and not out.exists()
    r = runner.invoke(
        cli, ["import-or-utilization", str(path), str(out), "--date-order", "day-first"]
    )
    assert r.exit_code == 0, r.output
    scenario = load_scenario(out)
    assert (scenario.policy.start_date, scenario.policy.end_date) == (
        dt.date(2022, 1, 3),
        dt.date(2022, 1, 4),
    )

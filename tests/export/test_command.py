"""The ``export`` command: what it says, bad input (exit 2, nothing written), replacing only
a previous export, the same bytes for the same time."""

from __future__ import annotations

import shutil
import time
import zoneinfo
from pathlib import Path

import pytest
from click.testing import CliRunner

from optimizer.cli import cli
from optimizer.export import export_result
from tests.support.export_fixtures import NOW

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(cli, ["export", *args])
    assert "Traceback" not in res.output
    return res.exit_code, res.output


def test_each_format_is_written_and_said(export_folder: Path, tmp_path: Path):
    """fhir, hl7 and ics each write their file (or folder) and say what they hold."""
    code, out = run(str(export_folder), "--format", "fhir", "--out", str(tmp_path / "b.json"))
    assert code == 0 and "Appointments: 8 (booked: 6, cancelled: 2)" in out
    code, out = run(str(export_folder), "--format", "hl7", "--out", str(tmp_path / "m.hl7"))
    assert code == 0 and "written: 6 (new: 1, rescheduled: 3, cancelled: 2)" in out
    code, out = run(str(export_folder), "--format", "ics", "--out", str(tmp_path / "cal"))
    assert code == 0 and "one per room: 2. Operations: 6." in out


def test_a_folder_that_is_not_a_result_is_bad_input(tmp_path: Path):
    """Exit 2, each missing file named, nothing written."""
    out = tmp_path / "b.json"
    code, said = run(str(tmp_path), "--format", "fhir", "--out", str(out))
    assert code == 2 and "schedule.csv: is missing" in said and "Nothing was written" in said
    assert not out.exists()


def test_an_unknown_format_is_bad_input(export_folder: Path, tmp_path: Path):
    """Exit 2 naming the formats, nothing written."""
    code, said = run(str(export_folder), "--format", "pdf", "--out", str(tmp_path / "x"))
    assert code == 2 and "'fhir', 'hl7', 'ics'" in said
    assert list(tmp_path.iterdir()) == []


def test_a_bad_cell_is_named_by_file_row_and_column(export_folder: Path, tmp_path: Path):
    """A calls.csv edited by hand with a date that is not one: exit 2, the file, row and
    column named, nothing written (a date typed 16/04/2024, as the scenario's files may
    hold it, is read)."""
    folder = tmp_path / "r"
    shutil.copytree(export_folder, folder)
    calls = folder / "calls.csv"
    lines = calls.read_text(encoding="utf-8-sig").splitlines()
    lines[2] = lines[2].replace("2024-04-16", "2024-13-45", 1)
    calls.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "m.hl7"
    code, said = run(str(folder), "--format", "hl7", "--out", str(out))
    assert code == 2 and "calls.csv, row 3, column old_date" in said, said
    assert not out.exists()


def test_only_a_previous_export_is_replaced(export_folder: Path, tmp_path: Path):
    """A previous export is replaced; a file or folder that is not one is refused (exit 2)
    and left as it was."""
    target = tmp_path / "b.json"
    assert run(str(export_folder), "--format", "fhir", "--out", str(target))[0] == 0
    assert run(str(export_folder), "--format", "fhir", "--out", str(target))[0] == 0
    notes = tmp_path / "notes.json"
    notes.write_text('{"mine": true}', encoding="utf-8")
    code, said = run(str(export_folder), "--format", "fhir", "--out", str(notes))
    assert code == 2 and "not a previous fhir export" in said
    assert notes.read_text(encoding="utf-8") == '{"mine": true}'
    code, said = run(str(export_folder), "--format", "hl7", "--out", str(export_folder))
    assert code == 2
    code, said = run(str(export_folder), "--format", "ics", "--out", str(export_folder))
    assert code == 2 and "is the input" in said  # the result folder read (cli/test_out_apart.py)
    cal = tmp_path / "cal"
    assert run(str(export_folder), "--format", "ics", "--out", str(cal))[0] == 0
    assert run(str(export_folder), "--format", "ics", "--out", str(cal))[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_same_folder_same_time_same_bytes(export_folder: Path, tmp_path: Path):
    """Given the time of the messages, every format is byte for byte reproducible."""
    for fmt in ("fhir", "hl7", "ics"):
        paths = [tmp_path / f"{fmt}{n}" for n in (1, 2)]
        for path in paths:
            export_result(export_folder, fmt, path, now=NOW.replace(tzinfo=PARIS))
        if fmt == "ics":
            assert {p.name: p.read_bytes() for p in paths[0].iterdir()} == {
                p.name: p.read_bytes() for p in paths[1].iterdir()
            }
        else:
            assert paths[0].read_bytes() == paths[1].read_bytes()


def test_now_without_a_zone_is_the_hospitals(export_folder: Path, tmp_path: Path):
    """Regression: ``export_result(..., now=naive)`` raised pydantic's ValidationError from
    deep inside the FHIR Bundle (an instant needs an offset), wrote HL7 times without an
    offset and the ics DTSTAMP in the machine's own zone. A naive ``now`` is now the
    hospital's local time, the same bytes as the aware one; a ``now`` that is not a
    datetime is a TypeError naming it."""
    for fmt, name in (("fhir", "b.json"), ("hl7", "m.hl7"), ("ics", "cal")):
        naive, aware = tmp_path / f"naive_{name}", tmp_path / f"aware_{name}"
        export_result(export_folder, fmt, naive, now=NOW)
        export_result(export_folder, fmt, aware, now=NOW.replace(tzinfo=PARIS))
        if fmt == "ics":
            assert [p.read_bytes() for p in sorted(naive.iterdir())] == [
                p.read_bytes() for p in sorted(aware.iterdir())
            ]
        else:
            assert naive.read_bytes() == aware.read_bytes()
    with pytest.raises(TypeError, match="now must be a datetime.datetime, not str"):
        export_result(export_folder, "fhir", tmp_path / "x.json", now="2024-04-16T06:30")  # type: ignore[arg-type]
    assert not (tmp_path / "x.json").exists()


def test_the_command_gives_the_same_bytes_with_timestamp(export_folder: Path, tmp_path: Path):
    """Regression (QA exports): from the command line the time written in the files
    (MSH-7, the Bundle's timestamp, DTSTAMP) was always the clock, so a nightly job could
    never get the same bytes for the same folder (nor compare two runs). ``--timestamp``
    gives it, in the hospital's zone unless an offset is written; a value that is not a
    time is refused (exit 2, nothing written)."""
    for fmt in ("fhir", "hl7", "ics"):
        outs = [tmp_path / f"{fmt}{n}" for n in (1, 2)]
        for n, out in enumerate(outs):
            if n:
                time.sleep(1.1)  # another second on the clock: only --timestamp may count
            code, said = run(str(export_folder), "--format", fmt, "--out", str(out),
                             "--timestamp", "2024-04-16T06:30")  # fmt: skip
            assert code == 0, said
        if fmt == "ics":
            assert [p.read_bytes() for p in sorted(outs[0].iterdir())] == [
                p.read_bytes() for p in sorted(outs[1].iterdir())
            ]
        else:
            assert outs[0].read_bytes() == outs[1].read_bytes()
    api = tmp_path / "api.hl7"
    export_result(export_folder, "hl7", api, now=NOW.replace(tzinfo=PARIS))
    assert api.read_bytes() == (tmp_path / "hl71").read_bytes()
    code, said = run(str(export_folder), "--format", "hl7", "--out", str(tmp_path / "x.hl7"),
                     "--timestamp", "16/04 6h30")  # fmt: skip
    assert code == 2 and "'16/04 6h30' is not a date and time" in said, said
    assert not (tmp_path / "x.hl7").exists()

"""``replan --events`` saved by a French Excel: ``;`` separator, Windows-1252, ``DD/MM/YYYY``.

The contract lets any CSV file use ``;`` (detected per file) and Windows-1252 when it is
not UTF-8 (a warning says so). The events file was read by the result files' reader,
which knew neither: a planner's events file saved from Excel was refused with "this
required column is missing" or "the file is not UTF-8 text" (found by fuzzing).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import optimizer
from optimizer.replan.command import prepare
from optimizer.replan.files import read_events, read_previous
from tests.replan.test_replan import D2, D3, hospital


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = optimizer.solve(hospital(), workers=1, work_limit=2, seed=0)
    return optimizer.write_result(result, tmp_path_factory.mktemp("r") / "day1")


def test_a_french_excel_events_file_reads_as_the_plain_one(first: Path, tmp_path: Path) -> None:
    """The same events, plain and as a French Excel saves them (``;``, CRLF, a note in
    Windows-1252, until as DD/MM/YYYY): the same events and the same until date."""
    after = D3 + (D3 - D2)
    plain = tmp_path / "plain.csv"
    plain.write_text(f"case_id,event,until,note\nD,declined,{after},\nE,confirmed,,\n")
    french = tmp_path / "french.csv"
    french.write_bytes(
        f"case_id;event;until;note\r\nD;declined;{after:%d/%m/%Y};\r\nE;confirmed;;appelé\r\n"
        .encode("cp1252")
    )  # fmt: skip
    previous = read_previous(first)
    want, got = read_events(plain, previous, D2), read_events(french, previous, D2)
    assert got == want == {"D": "declined", "E": "confirmed"}
    assert got.until == want.until == {"D": after}


def test_the_events_file_read_as_a_french_export_is_said(first: Path, tmp_path: Path) -> None:
    """A warning names the events file and what it was read as, as the loader's does."""
    french = tmp_path / "french.csv"
    french.write_bytes("case_id;event;note\r\nE;confirmed;appelé\r\n".encode("cp1252"))
    warnings = prepare(first, D2, events=french).scenario.warnings
    assert (
        f"{french}: read as a French spreadsheet export: ';' as separator, "
        "Windows-1252 encoding (not UTF-8)"
    ) in warnings

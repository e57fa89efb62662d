"""A file named ``.xlsx`` that is not a workbook Excel saves: said as what it is.

A CSV file renamed ``.xlsx``, an old ``.xls`` renamed, an empty file or a copy cut short
were all "not a workbook (invalid Zip archive: Could not find EOCD)": words from the zip
library, which tell a planner nothing about what to do.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from optimizer.cli import cli
from optimizer.scenario import ScenarioError, load_scenario
from optimizer.scenario.problem_words import message
from tests.scenario.test_workbook import book, small

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .xls (or any Office 97-2003 file)


def _problem(path: Path) -> str:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    (problem,) = info.value.problems
    assert problem.file == path.name and problem.row is None
    return problem.message


@pytest.mark.parametrize(
    ("content", "said", "dit"),
    [
        (
            b"case_id;specialty\r\nC1;orthopaedics\r\n",
            "it is not a workbook but text (a CSV file named .xlsx?): open it in Excel and "
            "save it as 'Excel Workbook (.xlsx)', or give the folder of CSV files",
            "c'est un fichier texte (un fichier CSV renommé .xlsx ?) ; ouvrez-le dans Excel et "
            "enregistrez-le au format « Classeur Excel (.xlsx) », ou donnez le dossier des "
            "fichiers CSV",
        ),
        (
            OLE + bytes(range(256)) * 8,
            "it is not a workbook but an old Excel file (.xls) named .xlsx: open it in Excel "
            "and save it as 'Excel Workbook (.xlsx)'",
            "c'est un ancien fichier Excel (.xls) renommé .xlsx ; ouvrez-le dans Excel et "
            "enregistrez-le au format « Classeur Excel (.xlsx) »",
        ),
        (b"", "the file is empty", "le fichier est vide"),
    ],
    ids=["csv", "xls", "empty"],
)
def test_a_file_that_is_not_a_workbook_says_what_it_is(
    tmp_path: Path, content: bytes, said: str, dit: str
) -> None:
    """Its kind, read from its first bytes, and what to do; in English and in French."""
    path = tmp_path / "bloc.xlsx"
    path.write_bytes(content)
    text = _problem(path)
    assert text == f"the workbook cannot be read: {said}"
    assert "EOCD" not in text and "Zip" not in text
    assert message(text, "fr") == f"le classeur ne peut pas être lu : {dit}"


def test_a_workbook_cut_short_is_said_damaged(tmp_path: Path) -> None:
    """The first 3,000 bytes of a real workbook (a copy interrupted): damaged or
    incomplete, to save or copy again; ``solve`` exits 2 and writes nothing."""
    whole = book(tmp_path / "whole.xlsx", small()).read_bytes()
    path = tmp_path / "bloc.xlsx"
    path.write_bytes(whole[:3000])
    assert _problem(path) == (
        "the workbook cannot be read: it is damaged or incomplete (a copy cut short?): "
        "save it again from Excel, or copy it again"
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["solve", str(path), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "damaged or incomplete" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_a_zip_of_other_files_is_not_called_damaged(tmp_path: Path) -> None:
    """A whole zip archive without sheets (a .docx renamed, say) is not a copy cut short:
    it stays "not a workbook"."""
    import zipfile

    path = tmp_path / "bloc.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    text = _problem(path)
    assert text.startswith("the workbook cannot be read: it is not a workbook")
    assert "damaged" not in text

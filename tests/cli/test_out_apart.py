"""No command writes its ``--out`` over or around what it reads.

``whatif RESULT --out RESULT`` used to exit 0 having replaced the result folder it read
(schedule.csv, calls.csv, summary.json and scenario/ gone): a previous result may be
replaced, but not the input. Every command that reads a folder and writes ``--out``
(solve, replan, insert, capacity, export, whatif) now refuses, with exit status 2 and
before any work, an ``--out`` that is its input or holds it; one inside it destroys nothing
and is written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from optimizer.cli import cli
from optimizer.result.output import OutputFolderError, check_apart

FAST = ("--work-limit", "0.5", "--workers", "1")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in res.output, res.output
    return res.exit_code, res.output


def test_whatif_onto_its_own_result_folder_is_refused_and_the_folder_kept(result: Path):
    """The reported bug: ``whatif R --out R`` exits 2, says why, and R is untouched."""
    before = snapshot(result)
    code, said = run("whatif", str(result), "--out", str(result), *FAST)
    assert code == 2, said
    assert "is the input" in said and "nothing was written" in said
    assert snapshot(result) == before
    assert [p.name for p in result.parent.iterdir()] == ["R"]  # no temporary folder left


@pytest.mark.parametrize(
    "command",
    [
        ["whatif", "{I}", "--out", "{out}", *FAST],
        ["solve", "{I}", "--out", "{out}", *FAST],
        ["replan", "{I}", "--today", "2024-04-16", "--out", "{out}", *FAST],
        [
            "insert",
            "{I}",
            "--cases",
            "{R}/scenario/cases.csv",
            "--today",
            "2024-04-16",
            "--out",
            "{out}",
            "--work-limit",
            "0.5",
        ],
        ["capacity", "{I}", "--close", "OR01", "--out", "{out}"],
        ["export", "{I}", "--format", "ics", "--out", "{out}"],
    ],  # fmt: skip
    ids=lambda c: c[0],
)
@pytest.mark.parametrize(
    ("where", "words"),
    [("{I}", "is the input"), ("{I}/..", "holds the input")],
    ids=["same", "around"],
)
def test_every_command_refuses_an_out_over_or_around_its_input(
    result: Path, command: list[str], where: str, words: str
):
    """Exit 2 before any work, the reason said, and nothing changed in the input's tree
    (the input ``I`` is the result folder, or its ``scenario/`` for solve and capacity)."""
    given = result / "scenario" if command[0] in ("solve", "capacity") else result
    out = where.format(I=given)
    args = [a.format(I=given, R=result, out=out) for a in command]
    before = snapshot(result.parent)
    code, said = run(*args)
    assert code == 2, said
    assert words in said and "--out" in said
    assert snapshot(result.parent) == before


def test_an_export_into_the_result_folder_it_reads_is_written(result: Path) -> None:
    """An --out inside the input destroys nothing: the bundle beside schedule.csv."""
    before = snapshot(result)
    code, said = run("export", str(result), "--format", "fhir", "--out", str(result / "b.json"))
    assert code == 0, said
    assert (result / "b.json").is_file()
    assert {k: v for k, v in snapshot(result).items() if k != "b.json"} == before


def test_an_input_file_inside_the_out_folder_is_refused(result: Path, tmp_path: Path):
    """``replan --events`` (or ``--cases``) kept inside the folder ``--out`` replaces would
    be deleted with it: refused too."""
    previous = tmp_path / "previous"
    assert run("replan", str(result), "--today", "2024-04-16", "--out", str(previous),
               *FAST)[0] == 0  # fmt: skip
    events = previous / "events.csv"
    events.write_text("case_id,event\n", encoding="utf-8")
    code, said = run("replan", str(result), "--today", "2024-04-16", "--out", str(previous),
                     "--events", str(events), *FAST)  # fmt: skip
    assert code == 2 and "holds the input" in said
    assert events.read_text(encoding="utf-8") == "case_id,event\n"


def test_check_apart_follows_links_and_lets_a_folder_beside_pass(tmp_path: Path):
    """A link to the input is the input; a folder beside it, or an input not given, passes."""
    (tmp_path / "R").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "R")
    with pytest.raises(OutputFolderError, match="is the input"):
        check_apart(tmp_path / "link", [tmp_path / "R"])
    check_apart(tmp_path / "beside", [tmp_path / "R", None])
    check_apart(tmp_path / "R2", [tmp_path / "R"])  # a name that starts the same is not inside

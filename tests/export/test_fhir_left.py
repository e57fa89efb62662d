"""``export --format fhir`` of a re-planned folder tells the systems about the cases that
left the list that morning (``done.csv``), which its scenario no longer holds."""

from __future__ import annotations

import shutil
import zoneinfo
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from fhir.resources.R4B.appointment import Appointment
from fhir.resources.R4B.bundle import Bundle

from optimizer.cli import cli
from optimizer.export import export_result
from optimizer.export.fhir import LEFT_SYSTEM
from optimizer.replan.command import replan, write_replanned
from tests.support.export_fixtures import D2, NOW, read_rows

NOW_PARIS = NOW.replace(tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))


@pytest.fixture(scope="module")
def replanned(export_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The export result re-planned on 17/04: A1, A2, B2 operated on 16/04 (A1 said by an
    event, the others by the schedule), B1 transferred on 16/04, W1 (booked on 17/04 in
    R1) withdrawn, N1 (booked on 17/04) reported done before the re-plan: its slot is
    not in done.csv (no ``--now``). Read only."""
    tmp = tmp_path_factory.mktemp("left")
    events = tmp / "events.csv"
    events.write_text("case_id,event\nW1,withdrawn\nA1,done\nN1,done\n", encoding="utf-8")
    morning, result = replan(export_folder, D2, events=events, workers=1, work_limit=5, seed=0)
    return write_replanned(morning, result, tmp / "replanned")


def sent(folder: Path, out: Path) -> dict[str, Appointment]:
    export_result(folder, "fhir", out, now=NOW_PARIS)
    bundle = Bundle.model_validate_json(out.read_text(encoding="utf-8"))
    got: dict[str, Appointment] = {}
    for entry in bundle.entry:
        assert isinstance(entry.resource, Appointment)
        cid = entry.resource.identifier[0].value
        assert cid not in got  # one conditional update per case
        assert entry.request.url.endswith("|" + quote(cid, safe=""))
        got[cid] = entry.resource
    return got


def test_a_withdrawn_case_is_sent_cancelled(replanned: Path, tmp_path: Path) -> None:
    """Regression (QA exports): W1's patient withdrew; the re-planned folder holds W1 only
    in done.csv, so the Bundle did not name it and the systems kept its 17/04 08:00
    booking in R1. It is now sent ``cancelled``, why coded with done.csv's status, with
    no start (done.csv gives none: nothing made up) and no surgeon (it names none), the
    same bytes on every export of the folder."""
    done = {r["case_id"]: r for r in read_rows(replanned / "done.csv")}
    assert done["W1"]["status"] == "withdrawn" and not done["W1"]["start"]
    w1 = sent(replanned, tmp_path / "b.json")["W1"]
    assert sent(replanned, tmp_path / "again.json")["W1"] == w1
    assert (tmp_path / "b.json").read_bytes() == (tmp_path / "again.json").read_bytes()
    assert w1.status == "cancelled"
    reason = w1.cancelationReason
    assert reason is not None and reason.text == "Case withdrawn from the list"
    assert [(c.system, c.code) for c in reason.coding] == [(LEFT_SYSTEM, "withdrawn")]
    assert w1.start is None and w1.end is None
    assert [p.actor.reference for p in w1.participant] == ["Patient/W1"]


def test_cases_operated_are_fulfilled_and_transfers_cancelled(replanned: Path, tmp_path: Path):
    """Regression (QA exports): the cases operated on 16/04 (A1 by an event, A2 and B2 by
    the schedule) and B1, transferred that day, were left out: a system back with the
    original plan held them booked. They are now ``fulfilled`` at done.csv's slot, and B1
    ``cancelled`` (transferred to its partner). N1, reported done with no slot in
    done.csv, is left out: FHIR wants a start for a fulfilled appointment, and any other
    status would be false."""
    got = sent(replanned, tmp_path / "b.json")
    for cid, start, end in (("A1", "08:00", "09:30"), ("A2", "10:00", "11:30"),
                            ("B2", "12:00", "13:30")):  # fmt: skip
        assert got[cid].status == "fulfilled", cid
        assert got[cid].start.isoformat() == f"2024-04-16T{start}:00+02:00"
        assert got[cid].end.isoformat() == f"2024-04-16T{end}:00+02:00"
        refs = [p.actor.reference for p in got[cid].participant]
        assert refs == [f"Patient/{cid}", "Location/R1"]
        assert got[cid].cancelationReason is None
    b1 = got["B1"]
    assert b1.status == "cancelled" and b1.start is None
    assert b1.cancelationReason.text == "Case transferred to CH Grasse"
    assert b1.cancelationReason.coding[0].code == "transferred"
    assert "N1" not in got


def test_the_command_counts_the_fulfilled(replanned: Path, tmp_path: Path) -> None:
    """The command says how many appointments are fulfilled, when some are: B3... booked;
    LONG (no date), B1 and W1 cancelled; A1, A2, B2 fulfilled."""
    out = tmp_path / "b.json"
    res = CliRunner().invoke(cli, ["export", str(replanned), "--format", "fhir", "--out",
                                   str(out)])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "(booked: 1, cancelled: 3, fulfilled: 3)" in res.output


@pytest.mark.parametrize(
    ("line", "old", "new", "column", "said"),
    [
        (7, ",withdrawn,", ",gone,", "status", "is not one of done, transferred, withdrawn"),
        (2, "08:00", "8h7x", "start", "is not a clock time"),
        (2, "2024-04-16", "", "date", "this cell is empty but a value is required"),
        (3, "11:30", "09:00", "end", "not after it starts"),
        (7, "W1,", "LONG,", "case_id", "is still a case of scenario/"),
    ],
)
def test_a_bad_done_csv_cell_is_named(
    replanned: Path, tmp_path: Path, line: int, old: str, new: str, column: str, said: str
) -> None:
    """A done.csv edited by hand: exit 2, file, row and column named, nothing written,
    no traceback."""
    folder = tmp_path / "r"
    shutil.copytree(replanned, folder)
    done = folder / "done.csv"
    lines = done.read_text(encoding="utf-8-sig").splitlines()
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    done.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "b.json"
    res = CliRunner().invoke(cli, ["export", str(folder), "--format", "fhir", "--out", str(out)])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    assert f"done.csv, row {line}, column {column}" in res.output and said in res.output
    assert not out.exists()

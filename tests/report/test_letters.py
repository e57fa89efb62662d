"""Letters to patients (issue 22): one A4 page per row of calls.csv, with the arrival time
(not the theatre start), the partner's name and phone for a transfer, and whom to call;
printed by headless Chromium and read back with poppler, in French and English."""

from __future__ import annotations

import csv
import datetime as dt
import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from optimizer import i18n
from optimizer.cli import cli
from optimizer.i18n import Lang
from optimizer.report import build_letters, read_result_folder, write_letters
from optimizer.report.days import day_sheets
from optimizer.report.letters import clock, long_date
from optimizer.report.words import Words
from optimizer.result.output import unescape_cell, write_result
from optimizer.scenario.contacts import Contact, Hospital
from tests.report.test_report_browser import CHROMIUM, POPPLER, print_to_pdf
from tests.support.export_fixtures import write_export_result
from tests.support.report_fixtures import small_scenario, solved

HOSPITAL = Hospital(
    name="Centre hospitalier de Cannes",
    address="15 avenue des Broussailles, 06400 Cannes",
    phone="04 65 71 00 00",
    arrival_before_min=75,
)
GRASSE = Contact(
    name="Centre hospitalier de Grasse", address="Chemin de Clavary", phone="04 65 71 00 03"
)


@pytest.fixture(scope="module")
def result_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small result (a move, a transfer to CH_Grasse, a postponement) with contacts."""
    sc = small_scenario()
    policy = sc.policy.model_copy(update={"hospital": HOSPITAL, "partners": {"CH_Grasse": GRASSE}})
    out = tmp_path_factory.mktemp("letters") / "result"
    write_result(solved(sc.model_copy(update={"policy": policy})), out)
    return out


def _calls(folder: Path) -> list[dict[str, str]]:
    with (folder / "calls.csv").open(encoding="utf-8-sig", newline="") as fh:
        return [{k: unescape_cell(v) for k, v in r.items()} for r in csv.DictReader(fh)]


def _minutes(hhmm: str) -> int:
    return int(hhmm[:2]) * 60 + int(hhmm[3:])


def test_contacts_travel_with_the_result(result_dir: Path) -> None:
    """[hospital] and [partners.CH_Grasse] are written in scenario/policy.toml and read back."""
    policy = read_result_folder(result_dir).scenario.policy
    assert policy.hospital == HOSPITAL and policy.partners == {"CH_Grasse": GRASSE}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_each_call_has_its_letter(result_dir: Path, lang: Lang) -> None:
    """One letter per call, in calls.csv's order: the arrival time is the theatre start less
    arrival_before_min, a transfer names the partner with its phone, a case without a date
    is told so; every letter says whom to call."""
    calls = _calls(result_dir)
    letters = build_letters(read_result_folder(result_dir), lang).letters
    assert [x.case_id for x in letters] == [c["case_id"] for c in calls]
    statuses = {c["status"] for c in calls}
    assert {"transferred", "postponed"} <= statuses, statuses
    for call, letter in zip(calls, letters, strict=True):
        assert HOSPITAL.phone in letter.call
        if call["status"] == "transferred":
            assert letter.where[0] == GRASSE.name
            assert any(GRASSE.phone in line for line in letter.arrival)
        elif call["status"] == "unscheduled":
            assert letter.when == ""
        else:
            start = _minutes(call["new_start"])
            arrival = clock(start - HOSPITAL.arrival_before_min, lang)
            assert arrival in letter.arrival[0] and clock(start, lang) not in letter.arrival[0]
            assert letter.when == long_date(dt.date.fromisoformat(call["new_date"]), lang)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_planned_patient_left_without_appointment_is_not_told_waiting_list(
    tmp_path: Path, lang: Lang
) -> None:
    """Regression (QA, bug 1): a planned case left without an appointment by an earlier
    outcome (N1: cancelled on the day or declined, calls.csv's old cells empty) was told
    "You are on our waiting list"; its letter says its first planned date and that it was
    waiting for a new one. W1, never planned, is on the waiting list."""
    folder = write_export_result(tmp_path / "result")
    letters = {x.case_id: x for x in build_letters(read_result_folder(folder), lang).letters}
    waiting = {"fr": "liste d'attente", "en": "waiting list"}[lang]
    planned = long_date(dt.date(2024, 4, 16), lang)
    assert waiting not in letters["N1"].before and planned in letters["N1"].before
    assert waiting in letters["W1"].before


def test_words_of_a_letter() -> None:
    """Dates in full and times as each language writes them."""
    assert long_date(dt.date(2024, 4, 16), "fr") == "mardi 16 avril 2024"
    assert long_date(dt.date(2024, 4, 16), "en") == "Tuesday 16 April 2024"
    assert clock(8 * 60, "fr") == "8 h" and clock(9 * 60 + 5, "fr") == "9 h 05"
    assert clock(9 * 60 + 5, "en") == "09:05"


def test_letters_command_and_a_bad_folder(result_dir: Path, tmp_path: Path) -> None:
    """`letters` writes letters.html; a folder that is not a result: exit 2, nothing written."""
    run = CliRunner().invoke(cli, ["letters", str(result_dir), "--lang", "fr"])
    assert run.exit_code == 0, run.output
    assert "Lettres" in run.output and (result_dir / "letters.html").exists()
    bad = CliRunner().invoke(cli, ["letters", str(tmp_path)])
    assert bad.exit_code == 2 and not (tmp_path / "letters.html").exists()


@pytest.mark.skipif(CHROMIUM is None or not POPPLER, reason="needs chromium and poppler-utils")
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_letters_print_one_a4_page_per_call(result_dir: Path, tmp_path: Path, lang: Lang) -> None:
    """Printed by the browser: as many A4 pages as calls, page k holding the k-th call's
    case and its new date in full."""
    pdf = tmp_path / "letters.pdf"
    print_to_pdf(write_letters(result_dir, lang), pdf)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    calls = _calls(result_dir)
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) == len(calls)  # type: ignore[union-attr]
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size is not None and abs(float(size.group(1)) - 595.3) < 2
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) == len(calls)
    for page, call in zip(pages, calls, strict=True):
        assert call["case_id"] in page
        if call["new_date"]:
            when = long_date(dt.date.fromisoformat(call["new_date"]), lang)
            assert when in " ".join(page.split()), (when, page)
        assert HOSPITAL.phone in page


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_day_sheet_does_not_call_a_planned_patient_from_the_waiting_list(
    tmp_path: Path, lang: Lang
) -> None:
    """Regression (QA, bug 1, the report's side): on the day sheets, a planned case left
    without an appointment (N1) was marked "from the waiting list"; it is compared with its
    plan. W1, never planned, is from the waiting list."""
    folder = read_result_folder(write_export_result(tmp_path / "result"))
    w = Words(lang)
    changes = {
        line.case_id: line.change
        for sheet in day_sheets(w, folder.scenario, folder.schedule)
        for room in sheet.rooms
        for line in room.lines
    }
    assert changes["N1"] != w("change_waiting") and changes["N1"]
    assert changes["W1"] == w("change_waiting")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_letter_of_a_room_change_does_not_say_another_time(result_dir: Path, lang: Lang) -> None:
    """Regression (QA): a case kept on its date and at its time, only in another room (a
    room closed, the case moved to the same hour next door), was told "it still takes place
    on that date, but at another time"; it is told the time stays and the room changes. A
    move in time on the same date still says another time."""
    folder = read_result_folder(result_dir)
    row = {c: None for c in folder.calls[0]} | {
        "case_id": "B3", "surgeon_id": "SB3", "specialty": "gen", "urgency": "P4",
        "old_date": "2024-04-16", "old_room": "R2", "old_start": "12:00", "status": "kept",
        "new_date": "2024-04-16", "new_room": "R1", "new_start": "12:00", "call": "first",
    }  # fmt: skip
    later = row | {"new_start": "13:00"}
    moved = replace(folder, calls=(row, later), calls_lines=(2, 3))
    room_only, in_time = build_letters(moved, lang).letters
    same_day = i18n.text(lang, "letters.same_day", date=long_date(dt.date(2024, 4, 16), lang))
    assert room_only.headline != same_day and in_time.headline == same_day
    assert {"fr": "même heure", "en": "same time"}[lang] in room_only.headline


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_transfer_past_its_deadline_is_not_said_in_time(result_dir: Path, lang: Lang) -> None:
    """Regression (QA): a case transferred after its deadline (a deadline miss: C00126 on the
    demo, sent to CH Grasse three days late) was told "So that you are operated on in time,
    it will take place at another hospital"; only a transfer that meets its deadline says
    so, the late one says another hospital without "in time"."""
    folder = read_result_folder(result_dir)
    sent = next(c for c in folder.calls if c["status"] == "transferred")
    in_time = i18n.text(lang, "letters.transferred")

    def letter(missed: bool) -> str:
        schedule = tuple(
            r | {"deadline_missed": "true"} if missed and r["case_id"] == sent["case_id"] else r
            for r in folder.schedule
        )
        letters = build_letters(replace(folder, schedule=schedule), lang).letters
        return next(x.headline for x in letters if x.case_id == sent["case_id"])

    assert letter(missed=False) == in_time
    assert letter(missed=True) == i18n.text(lang, "letters.elsewhere") != in_time

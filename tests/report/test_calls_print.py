"""The call list printed by headless Chromium on A4: every word inside its column and the page.

Read back with ``pdftotext -bbox``: the words' boxes on the printed page.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest

from optimizer import solve
from optimizer.i18n import Lang
from optimizer.report import write_report
from optimizer.result.output import write_result
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session
from tests.report.test_report_browser import CHROMIUM, POPPLER, print_to_pdf

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or not POPPLER, reason="needs chromium and poppler-utils"
)

D1, D2 = dt.date(2024, 4, 16), dt.date(2024, 4, 17)
RIGHT_MARGIN_PT = 12 / 25.4 * 72  # report.css: @page margin 12 mm on the right
XHTML = "{http://www.w3.org/1999/xhtml}"

Word = tuple[float, float, float, float, str]  # xMin, yMin, xMax, yMax, text


def _scenario() -> Scenario:
    """OR02 is closed on 16/04: its two ophthalmology cases are called, one postponed to
    17/04 (OR01 has room for one), one left without a date."""

    def case(cid: str, start: int) -> Case:
        return Case(
            case_id=cid,
            specialty="ophthalmology",
            surgeon_id="OPH01",
            duration_min=200,
            urgency="P3",
            planned_date=D1,
            planned_room="OR02",
            planned_start=start,
        )

    return Scenario(
        cases=(case("C00026", 480), case("C00027", 710)),
        rooms=(Room(room_id="OR01"), Room(room_id="OR02")),
        sessions=(Session(date=D2, room_id="OR01", start=480, end=720),),
        policy=Policy(start_date=D1, end_date=D2),
        name="calls",
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("calls_print") / "result"
    write_result(solve(_scenario(), workers=1, work_limit=1, time_limit=20, seed=0), out)
    return out


def _call_page_words(folder: Path, lang: Lang, tmp: Path) -> tuple[float, list[Word]]:
    pdf = tmp / f"report_{lang}.pdf"
    print_to_pdf(write_report(folder, lang), pdf)
    bbox = tmp / f"report_{lang}.html"
    subprocess.run(["pdftotext", "-bbox", str(pdf), str(bbox)], check=True, capture_output=True)
    root = ElementTree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", bbox.read_text("utf-8")))
    title = "Patients à appeler" if lang == "fr" else "Patients to call"
    for page in root.iter(f"{XHTML}page"):
        words = [
            (*(float(w.get(k, "0")) for k in ("xMin", "yMin", "xMax", "yMax")), w.text or "")
            for w in page.iter(f"{XHTML}word")
        ]
        text = " ".join(w[4] for w in words)
        if title in text:
            return float(page.get("width", "0")), words  # type: ignore[return-value]
    raise AssertionError("no page of calls")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_call_list_fits_its_columns_on_a4(folder: Path, lang: Lang, tmp_path: Path) -> None:
    """Regression: the call list's fixed columns were too narrow: the outcome "refuse avant
    le ___/___" ("declined until ___/___") was cut at the page's edge, the headers
    "Chirurgien" and "Urgence", "Attente totale" and "Motif" ran into each other, and
    "ophtalmologie" under the case id ran over the surgeon's column (the surgeon now goes
    under the case and its specialty, so that the reason keeps its width)."""
    width, words = _call_page_words(folder, lang, tmp_path)
    edge = width - RIGHT_MARGIN_PT + 1
    assert [w[4] for w in words if w[2] > edge] == []
    overlaps = [
        (a[4], b[4])
        for a in words
        for b in words
        if a is not b and abs(a[1] - b[1]) < 2 and a[0] <= b[0] < a[2] - 0.5
    ]
    assert overlaps == []
    specialty = "ophtalmologie" if lang == "fr" else "ophthalmology"
    for case_id in ("C00026", "C00027"):
        cid = min((w for w in words if w[4] == case_id), key=lambda w: w[0])  # its cell
        # the next column starts where the first word right of the case id on its line does
        next_x = min(w[0] for w in words if abs(w[1] - cid[1]) < 2 and w[0] > cid[2])
        below = [w for w in words if w[4] == specialty and 0 < w[1] - cid[1] < 15]
        assert below and all(w[2] < next_x for w in below), (below, next_x)

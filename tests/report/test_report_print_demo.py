"""The demo's report printed by headless Chromium, page by page (issue 22): page 1 without
solver words, one page per date, a call list as dense in English as in French with the
outcome boxes to tick, and the solver's proof in words on the last page."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from optimizer.i18n import Lang
from optimizer.report import read_result_folder, write_report
from tests.report.test_report_browser import CHROMIUM, POPPLER, print_to_pdf

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or not POPPLER, reason="needs chromium and poppler-utils"
)

WORDS = {
    "fr": {
        "day": "Programme du",
        "calls": "Patients à appeler",
        "kpis": "Indicateurs par spécialité",
        "solver": "Qualité du programme",
        "levels": "Meilleur possible",
        "outcome": ("confirmé", "refuse avant le", "injoignable"),
        "proof": r"le meilleur possible|au plus \d+ patients?",
        "jargon": ("borne", "graine", "écart", "solveur", "réalisable", "optimum", "critère"),
    },
    "en": {
        "day": "Day sheet",
        "calls": "Patients to call",
        "kpis": "Figures per specialty",
        "solver": "How good the schedule is",
        "levels": "Best possible",
        "outcome": ("confirmed", "declined until", "unreachable"),
        "proof": r"best possible|at most \d+ patients?",
        "jargon": ("bound", "seed", "gap", "solver", "optimal", "objective"),
    },
}


def _pages(folder: Path, lang: Lang, tmp_path: Path) -> list[str]:
    pdf = tmp_path / f"report_{lang}.pdf"
    print_to_pdf(write_report(folder, lang), pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [p for p in text.split("\f") if p.strip()]


@pytest.fixture(scope="module")
def printed(demo_fr_result: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """The demo's report printed in both languages (from a copy: the folder stays as solved)."""
    tmp = tmp_path_factory.mktemp("print")
    folder = tmp / "result"
    shutil.copytree(demo_fr_result, folder)
    return {lang: _pages(folder, lang, tmp) for lang in ("fr", "en")}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_first_page_speaks_no_solver(printed: dict[str, list[str]], lang: Lang) -> None:
    """Page 1 is for the crisis cell: counts, ratios, misses, transfers; no solver words."""
    w = WORDS[lang]
    first = printed[lang][0]
    assert w["levels"] not in first  # the levels' table is on the last page
    assert [x for x in w["jargon"] if re.search(rf"\b{x}", first.lower())] == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_one_page_per_date(printed: dict[str, list[str]], demo_fr_result: Path, lang: Lang) -> None:
    """Each date's sheet fits on one page: as many day pages as dates, each with its heading."""
    w = WORDS[lang]
    dates = len(read_result_folder(demo_fr_result).summary["dates"])
    pages = printed[lang]
    day_pages = [p for p in pages if w["day"] in p]
    assert len(day_pages) == dates
    first = pages.index(day_pages[0])
    assert w["kpis"] in pages[first + dates]  # no day spills onto a second page


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_call_list_has_the_outcome_boxes(
    printed: dict[str, list[str]], demo_fr_result: Path, lang: Lang
) -> None:
    """Every patient to call has the three outcomes to tick; at least 12 patients a page."""
    calls = len(read_result_folder(demo_fr_result).calls)
    pages = printed[lang]
    start = next(k for k, p in enumerate(pages) if WORDS[lang]["calls"] in p)
    call_pages = [p for p in pages[start:] if WORDS[lang]["outcome"][2] in p]
    for word in WORDS[lang]["outcome"]:
        assert sum(p.count(word) for p in call_pages) == calls, word
    assert calls / len(call_pages) >= 12, len(call_pages)


def test_english_call_list_is_as_dense_as_the_french(printed: dict[str, list[str]]) -> None:
    """Issue 22 saw 4 English patients a page against 8 French: now as many pages each."""

    def call_pages(lang: str) -> int:
        return sum(1 for p in printed[lang] if WORDS[lang]["outcome"][2] in p)

    assert call_pages("en") <= call_pages("fr")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_last_page_holds_the_proof_in_words(printed: dict[str, list[str]], lang: Lang) -> None:
    """The solver's proof is on the last page, said as "best possible" or "could still
    improve by at most N patients"."""
    last = printed[lang][-1]
    assert WORDS[lang]["solver"] in last
    assert re.search(WORDS[lang]["proof"], " ".join(last.split()))

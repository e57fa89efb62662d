"""The demo's printed pages in French read as French: no English word, no plural slip
(issue 22). The words are checked against the catalogue (see tests/support/french_words.py)."""

from __future__ import annotations

from pathlib import Path

from optimizer import i18n
from optimizer.report import write_letters, write_report
from tests.support.french_words import english_words, page_text, plural_slips


def test_the_helpers_catch_what_issue_22_saw() -> None:
    """The scan flags the slips issue 22 found, and passes their French fixes."""
    assert plural_slips("1 modifiés, 1 patients reconvoqués, 1 retirés, 3 problème(s)") == [
        "problème(s)",
        "1 modifiés",
        "1 patients reconvoqués",
        "1 retirés",
    ]
    assert plural_slips("1 modifié, 0 patient reconvoqué, le 01/04 à 11 h, 2 cas reportés") == []
    found = english_words("une salle pour ophthalmology, EMERGENCY, voir la colonne reason")
    assert found == ["ophthalmology", "EMERGENCY", "reason"]
    assert english_words("C00001 en salle OR01, chirurgien GEN05, ORL, ophtalmologie") == []


def test_french_report_has_no_english_word_nor_plural_slip(demo_fr_result: Path) -> None:
    """Every page of the demo's French report: the crisis page, day sheets, figures, calls."""
    text = page_text(write_report(demo_fr_result, "fr").read_text(encoding="utf-8"))
    assert "Patients à appeler" in text
    assert english_words(text) == []
    assert plural_slips(text) == []


def test_french_letters_have_no_english_word_nor_plural_slip(demo_fr_result: Path) -> None:
    """Every French letter of the demo: one per call, in French, with the hospital's name."""
    text = page_text(write_letters(demo_fr_result, "fr").read_text(encoding="utf-8"))
    assert text.count("Centre hospitalier de Cannes") > 1
    assert english_words(text) == []
    assert plural_slips(text) == []


def test_no_deadline_miss_agrees_with_its_heading() -> None:
    """Regression: under "Échéances dépassées" (feminine), the report said "Aucun : ..."."""
    assert i18n.text("fr", "report.misses_title") == "Échéances dépassées"
    assert i18n.text("fr", "report.misses_none").startswith("Aucune : ")

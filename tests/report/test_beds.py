"""The report's beds: held per date against capacity, full dates marked, dates after the
horizon shown (and the section absent without bed rows)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import optimizer
from optimizer.report import write_report
from tests.replan.test_beds import hospital


def _text(path: Path) -> str:
    page = path.read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_the_report_shows_beds_held_against_capacity(tmp_path: Path) -> None:
    """A (2 ICU days then 1 ward day) and B (2 ward days) kept on 16/04, C (ICU) on 17/04,
    two beds of each a date, 16/04 to 19/04 (19/04 after the horizon): ICU holds 1 then 2
    (full) then 0; the ward 1, 1, 1, 0; in French too."""
    result = optimizer.solve(hospital(), workers=1, work_limit=2, seed=0)
    out = optimizer.write_result(result, tmp_path / "r")
    text = _text(write_report(out, "en"))
    assert "Beds over the length of stay" in text
    section = text[text.index("Beds over the length of stay") :]
    assert "Tue 16/04 1 / 2 1 / 2" in section
    assert "Wed 17/04 2 / 2 full 1 / 2" in section
    assert "Fri 19/04 0 / 2 0 / 2" in section  # after the horizon
    assert "Lits sur la durée du séjour" in _text(write_report(out, "fr"))


def test_no_bed_rows_no_section(tmp_path: Path) -> None:
    """Without icu_bed or ward_bed rows the report says nothing of beds."""
    sc = hospital()
    sc = sc.model_copy(update={"resources": ()})
    out = optimizer.write_result(optimizer.solve(sc, workers=1, work_limit=1), tmp_path / "r")
    assert "Beds over the length of stay" not in _text(write_report(out, "en"))


def test_the_report_says_which_beds_held_cases_back(tmp_path: Path) -> None:
    """Full is not binding: with no ward bed on 16/04, B (two ward days from its surgery)
    cannot go ahead that day and its cause names the ward; the ICU, full on 17/04, held no
    case back, and the report says both, in French too."""
    sc = hospital()
    resources = tuple(
        r.model_copy(update={"capacity": 0})
        if (r.resource, r.date.isoformat()) == ("ward_bed", "2024-04-16")
        else r
        for r in sc.resources
    )
    sc = sc.model_copy(update={"resources": resources})
    result = optimizer.solve(sc, workers=1, work_limit=2, seed=0)
    row = result.schedule.set_index("case_id").loc["B"]
    assert (row["cause"], row["blocking"]) == ("resource_full", "ward_bed")
    out = optimizer.write_result(result, tmp_path / "r")
    text = _text(write_report(out, "en"))
    assert "Wed 17/04 2 / 2 full" in text  # the ICU is full that date
    assert "ICU beds: no case was held back for want of a bed." in text
    assert "Ward beds: for want of a bed, 1 case could not go ahead as planned" in text
    assert "(B)" in text
    fr = _text(write_report(out, "fr"))
    assert "faute de lit, 1 intervention n'a pas pu avoir lieu comme prévu" in fr
    # B got a later date: the French said it could "neither go ahead nor get a date"
    assert row["status"] == "postponed" and isinstance(row["date"], str)
    assert "ni recevoir de date" not in fr
    assert "n'a pas pu avoir lieu comme prévu, ou pas reçu de date (B)" in fr
    assert "Lits de réanimation : aucune intervention n'a été écartée faute de lit." in fr

"""A day sheet's title names the weekday in full: the French report titled Thursday's page
"Programme du jeu. 18/04" ("jeu." is also the word for a game; found by the month-long
daily-loop pass). The tables keep the short form ("jeu. 18/04")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import optimizer
from optimizer.report import write_report


@pytest.fixture(scope="module")
def solved(small_hospital: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = optimizer.solve(optimizer.load_scenario(small_hospital), workers=1,
                             work_limit=0.3, seed=0)  # fmt: skip
    return optimizer.write_result(result, tmp_path_factory.mktemp("r") / "result")


@pytest.mark.parametrize(
    ("lang", "title"),
    [("fr", "Programme du lundi 15/04"), ("en", "Day sheet: Monday 15/04")],
)
def test_the_day_title_names_the_weekday_in_full(solved: Path, lang: str, title: str) -> None:
    html = write_report(solved, lang).read_text(encoding="utf-8")  # type: ignore[arg-type]
    titles = re.findall(r"<h1>([^<]*)</h1>", html)
    assert title in titles, titles


def test_no_french_title_reads_du_jeu(solved: Path) -> None:
    """Neither a day sheet nor the call list's days say "du lun." ... "du jeu." in French."""
    html = write_report(solved, "fr").read_text(encoding="utf-8")
    assert not re.findall(r"du (?:lun|mar|mer|jeu|ven|sam|dim)\. ", html)

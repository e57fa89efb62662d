"""The call list shows each postponed patient's total wait, from the date they were listed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from optimizer.report import write_report
from optimizer.result.output import write_result
from tests.support.report_fixtures import D1, small_scenario, solved


def test_a_postponed_patient_shows_the_days_since_listed(tmp_path: Path) -> None:
    """B3 (P4, planned D1, listed 100 days before) goes to D2: 101 days in all, in both
    languages; a case without a listed date counts from its planned date."""
    sc = small_scenario()
    cases = tuple(
        c.model_copy(update={"listed_date": D1 - dt.timedelta(days=100)}) if c.case_id == "B3"
        else c
        for c in sc.cases
    )  # fmt: skip
    sc = sc.model_copy(update={"cases": cases})
    result = solved(sc)
    assert result.schedule.set_index("case_id").loc["B3", "status"] == "postponed"
    write_result(result, tmp_path / "r")
    en = write_report(tmp_path / "r", "en").read_text(encoding="utf-8")
    fr = write_report(tmp_path / "r", "fr").read_text(encoding="utf-8")
    assert "Total wait" in en and '<td class="num">101 d</td>' in en
    assert "Attente totale" in fr and '<td class="num">101 j</td>' in fr

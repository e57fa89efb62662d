"""The summary's line says what an ``UNKNOWN`` status is: the starting schedule, written and
valid, that no search improved in the time. It said "no schedule found (time up)" over a
result folder holding one."""

from __future__ import annotations

import pytest

from optimizer.cli.summary import summary_lines
from optimizer.facts.candidates import build_candidates
from optimizer.model.build import objective_levels
from optimizer.result.result import LevelReport, make_result
from optimizer.scenario import Scenario
from optimizer.search.construct import first_fit


@pytest.mark.parametrize(
    ("lang", "said"),
    [("en", "the starting schedule, not improved in the time given"),
     ("fr", "le programme de départ, pas amélioré dans le temps imparti")],
)  # fmt: skip
def test_an_unknown_status_is_said_as_the_starting_schedule(
    tiny_hospital: Scenario, lang: str, said: str
) -> None:
    cand = build_candidates(tiny_hospital)
    start = first_fit(cand)
    reports = [
        LevelReport(name=lv.name, value=float(lv.value(start)), best_bound=None,
                    status="UNKNOWN", wall_time_s=0.0, searched=True, kind=lv.kind)
        for lv in objective_levels(cand)
    ]  # fmt: skip
    result = make_result(tiny_hospital, cand, start, reports, wall_time=1.0, interrupted=False,
                         settings={})  # fmt: skip
    assert result.violations == () and result.summary["solver"]["status"] == "UNKNOWN"
    lines = summary_lines(result.summary, lang)  # type: ignore[arg-type]
    [solver] = [line for line in lines if said in line]
    assert "no schedule" not in solver and "aucun programme" not in solver

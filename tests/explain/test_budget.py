"""The reasons' budget: past it a case gets the short form, which says so and stays true.

Each case's full reason may search every start it could take on a date; a
time-limited run on a region cannot afford that for every case. Past the
budget (counted in searches, so deterministic), a case's reason says only what
is known without a new search, that the rest was not worked out, and what was
done with the case; the summary counts those cases. Under the budget nothing
changes, byte for byte.
"""

from __future__ import annotations

import time

import pytest

from optimizer.check.causes import CODES, check_causes
from optimizer.cli.summary import summary_lines
from optimizer.explain import ReasonsBudget, reasons
from optimizer.facts.candidates import Candidates, build_candidates
from optimizer.facts.solution import Solution
from optimizer.generate import generate
from optimizer.i18n import text
from optimizer.result.result import make_result
from optimizer.search.construct import first_fit

SHORT_WORDS = ("budget for reasons was used up", "budget réservé aux raisons")


@pytest.fixture(scope="module")
def fitted() -> tuple[Candidates, Solution]:
    """A disrupted hospital (8 rooms, 6 days, ~200 cases) and its first-fit schedule: many
    cases postponed, some by capacity (searches of a date's starts), some not."""
    scenario = generate(rooms=8, days=6, cases_per_day=35, seed=5).disrupted
    cand = build_candidates(scenario)
    return cand, first_fit(cand)


def _is_short(reason: str) -> bool:
    return any(w in reason for w in SHORT_WORDS)


def test_under_the_budget_the_reasons_are_the_same(fitted: tuple[Candidates, Solution]) -> None:
    """A budget that is not spent changes no reason: the same rows as with no budget."""
    cand, solution = fitted
    full = reasons(cand, solution)
    assert full.short == 0 and full.searches > 10
    ample = reasons(cand, solution, budget=ReasonsBudget(searches=full.searches))
    assert ample.rows == full.rows and ample.short == 0
    assert not any(_is_short(r) for _, _, r in full.rows)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_past_the_budget_the_short_form_says_so(
    fitted: tuple[Candidates, Solution], lang: str
) -> None:
    """With half the searches, the cases explained before the budget ran out keep their full
    reason, the later ones that needed a search get the short form (in the run's language),
    each with a contract code; the cases that needed no search are as before; and the count
    is the number of short reasons."""
    cand, solution = fitted
    full = reasons(cand, solution, lang)  # type: ignore[arg-type]
    half = reasons(cand, solution, lang, ReasonsBudget(searches=full.searches // 2))  # type: ignore[arg-type]
    assert half.searches == full.searches // 2
    short = [k for k, (_, _, r) in enumerate(half.rows) if _is_short(r)]
    assert len(short) == half.short > 0
    first = short[0]
    assert half.rows[:first] == full.rows[:first]
    assert all(half.rows[k][0] in CODES for k in short)
    same = [k for k in range(first, len(full.rows)) if k not in short]
    assert all(half.rows[k] == full.rows[k] for k in same)
    # deterministic: the same budget, the same reasons
    assert reasons(cand, solution, lang, ReasonsBudget(searches=full.searches // 2)) == half  # type: ignore[arg-type]


def test_the_short_form_is_true_and_counted_in_the_summary(
    fitted: tuple[Candidates, Solution],
) -> None:
    """With no search at all, the result is still valid, the independent cause checker backs
    every cause (the short ones included), and the summary and its printed line count the
    short reasons, in English and in French."""
    cand, solution = fitted
    result = make_result(
        cand.scenario,
        cand,
        solution,
        [],
        wall_time=0.0,
        interrupted=False,
        settings={},
        reasons_budget=ReasonsBudget(searches=0),
    )
    assert result.violations == ()
    assert check_causes(cand.scenario, result.schedule) == []
    short = sum(_is_short(r) for r in result.schedule["reason"])
    counted = result.summary["run"]["reasons_short"]
    assert counted["cases"] == short > 0 and counted["searches"] == 0
    explained = int((result.schedule["cause"].notna()).sum())
    assert counted["explained"] == explained
    for lang in ("en", "fr"):
        line = text(lang, "cli.summary.reasons_short", cases=short, explained=explained)
        assert line in summary_lines(result.summary, lang)  # type: ignore[arg-type]
    unbounded = make_result(
        cand.scenario, cand, solution, [], wall_time=0.0, interrupted=False, settings={}
    )
    assert "reasons_short" not in unbounded.summary["run"]


def test_a_clock_past_its_deadline_still_makes_the_floor(
    fitted: tuple[Candidates, Solution],
) -> None:
    """With a wall clock already past its deadline, the first ``floor`` searches are still
    made (a hospital's reasons do not depend on the load), and no more."""
    cand, solution = fitted
    full = reasons(cand, solution)
    past = time.monotonic() - 1.0
    few = reasons(cand, solution, budget=ReasonsBudget(deadline=past, floor=5))
    assert few.searches == 5 and few.short > 0
    enough = reasons(cand, solution, budget=ReasonsBudget(deadline=past, floor=full.searches))
    assert enough.rows == full.rows and enough.short == 0

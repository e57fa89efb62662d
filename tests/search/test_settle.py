"""Putting back what need not move: each case keeps its date, the date is rebuilt around
the patients' own slots, and nothing gets worse on any level."""

from __future__ import annotations

import dataclasses
import time

import pytest

from optimizer.facts.candidates import Candidates, build_candidates
from optimizer.generate import generate
from optimizer.model.build import build_model
from optimizer.model.objective import Level
from optimizer.result.result import make_result
from optimizer.search.construct import first_fit, keep_first
from optimizer.search.settle import settled


@pytest.fixture(scope="module")
def setting() -> tuple[Candidates, list[Level]]:
    """8 rooms, 5 days, ~160 cases, disrupted."""
    scenario = generate(rooms=8, days=5, cases_per_day=30, seed=3).disrupted
    cand = build_candidates(scenario)
    return cand, build_model(cand).levels


def test_a_schedule_packed_anyhow_gets_its_patients_back(
    setting: tuple[Candidates, list[Level]],
) -> None:
    """First fit without keeping cases in place moves many patients; settling it keeps
    every case's date (so the date levels keep their values), moves fewer patients and
    passes the checker."""
    cand, levels = setting
    packed = first_fit(cand, keep_in_place=False)
    back = settled(cand, levels, packed)
    assert [p.day if p else None for p in back] == [p.day if p else None for p in packed]
    before = [lv.value(packed) for lv in levels]
    after = [lv.value(back) for lv in levels]
    moved = next(k for k, lv in enumerate(levels) if lv.name.startswith("patients moved"))
    assert after[:moved] == before[:moved]
    assert after[moved] < before[moved]
    result = make_result(
        cand.scenario, cand, back, [], wall_time=0.0, interrupted=False, settings={}
    )
    assert result.violations == ()


def test_settling_twice_changes_nothing(setting: tuple[Candidates, list[Level]]) -> None:
    """A settled schedule is its own settled schedule: the answer is stable."""
    cand, levels = setting
    once = settled(cand, levels, first_fit(cand, keep_in_place=False))
    assert settled(cand, levels, once) == once


def test_fixed_levels_are_left_as_they_are(setting: tuple[Candidates, list[Level]]) -> None:
    """With every level fixed, a rebuilt schedule is taken only if every level stays the
    same, and every case stays on its date."""
    cand, levels = setting
    packed = first_fit(cand, keep_in_place=False)
    back = settled(cand, levels, packed, k=len(levels))
    assert [lv.value(back) for lv in levels] == [lv.value(packed) for lv in levels]
    assert [p.day if p else None for p in back] == [p.day if p else None for p in packed]


def test_moves_scored_by_their_terms_decide_as_whole_schedules(
    setting: tuple[Candidates, list[Level]],
) -> None:
    """A date's rebuild is scored by the terms of the cases it moves; scored on the whole
    schedules before and after (levels without terms), every date is decided the same way."""
    cand, levels = setting
    whole = [dataclasses.replace(lv, term=None) for lv in levels]
    for packed in (first_fit(cand, keep_in_place=False), keep_first(cand)):
        for k in (0, len(levels) - 1, len(levels)):
            assert settled(cand, levels, packed, k) == settled(cand, whole, packed, k)


def test_a_passed_deadline_leaves_the_dates_as_they_are(
    setting: tuple[Candidates, list[Level]],
) -> None:
    """Past the run's search end the result's time is spent: no date is rebuilt."""
    cand, levels = setting
    packed = first_fit(cand, keep_in_place=False)
    assert settled(cand, levels, packed) != packed
    assert settled(cand, levels, packed, deadline=time.monotonic()) == packed

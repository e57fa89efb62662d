"""Objective levels have an identity apart from their words (issue 19): each level built
carries its kind, the weighted-kept level too, and the result's reports keep it."""

from __future__ import annotations

from ortools.sat.python import cp_model

import optimizer
from optimizer.facts.candidates import build_candidates
from optimizer.facts.levels import LevelKind
from optimizer.model.capacity import LeverOptions, levels_with_cost
from optimizer.model.objective import build_levels
from optimizer.model.variables import add_variables
from optimizer.scenario import Scenario


def test_each_level_has_its_kind(tiny_hospital: Scenario) -> None:
    """The tiny hospital's levels, in order, by kind; then with urgency-weighted keeping."""
    cand = build_candidates(tiny_hospital)
    model = cp_model.CpModel()
    levels = build_levels(model, cand, add_variables(model, cand))
    assert [lv.kind for lv in levels] == [
        LevelKind.MISSES, LevelKind.SHORTFALL, LevelKind.KEPT, LevelKind.DELAY,
        LevelKind.MOVED, LevelKind.SHIFTED,
    ]  # fmt: skip
    weighted = tiny_hospital.model_copy(
        update={"policy": tiny_hospital.policy.model_copy(update={"level3": "weighted"})}
    )
    cand = build_candidates(weighted)
    model = cp_model.CpModel()
    kinds = [lv.kind for lv in build_levels(model, cand, add_variables(model, cand))]
    assert LevelKind.KEPT_WEIGHTED in kinds and LevelKind.KEPT not in kinds


def test_the_added_cost_goes_after_the_kinds_asked(tiny_hospital: Scenario) -> None:
    """levels_with_cost finds its place by kind: after the kept level, whichever words."""
    cand = build_candidates(tiny_hospital)
    model = cp_model.CpModel()
    levels = build_levels(model, cand, add_variables(model, cand))
    cost = levels[0].__class__(LevelKind.COST, "any words", 0, lambda s: 0, 0)
    after_kept = frozenset({LevelKind.KEPT, LevelKind.KEPT_WEIGHTED})
    kinds = [lv.kind for lv in levels_with_cost(levels, cost, LeverOptions(cost_after=after_kept))]
    assert kinds.index(LevelKind.COST) == kinds.index(LevelKind.KEPT) + 1


def test_the_result_reports_keep_the_kinds(tiny_hospital: Scenario) -> None:
    """Result.levels say which level each is, besides its name."""
    result = optimizer.solve(tiny_hospital, workers=1, work_limit=1, seed=0)
    assert [lv.kind for lv in result.levels][:2] == [LevelKind.MISSES, LevelKind.SHORTFALL]

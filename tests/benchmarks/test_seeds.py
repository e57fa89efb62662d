"""Other draws of a generated instance (benchmarks/seeds.py): the solver and first fit on the
same scenario, both checked, a [solver] setting passed through."""

from __future__ import annotations

from benchmarks.seeds import _setting, part
from benchmarks.suite import SUITE, build


def test_a_seed_is_a_different_draw_of_the_same_kind() -> None:
    hospital = next(i for i in SUITE if i.name == "hospital-11")
    one, three = build(hospital), build(hospital, 3)
    assert len(one.rooms) == len(three.rooms)
    assert [c.duration_min for c in one.cases] != [c.duration_min for c in three.cases]


def test_a_seed_scored_against_first_fit_and_the_bounds_with_a_setting() -> None:
    row = part("hospital-11", 3, 3.0, {"window_tie_break": 0.0}, bound_s=8.0)
    assert row["generator_seed"] == 3 and row["settings"] == '{"window_tie_break": 0.0}'
    assert row["shortfall_bound"] <= row["shortfall"] and row["kept"] <= row["kept_bound"]
    assert row["gap_kept_vs_bound"] >= 0 and row["gap_shortfall_vs_bound"] >= 0
    assert row["violations"] == 0 and row["violations_baseline"] == 0
    assert row["misses"] <= row["misses_baseline"]
    assert row["planned"] > 0 and row["kept"] > 0 and row["delay_baseline"] > 0


def test_settings_are_read_as_json_else_as_text() -> None:
    assert _setting("window_tie_break=0.3") == ("window_tie_break", 0.3)
    assert _setting("window_rounds=false") == ("window_rounds", False)
    assert _setting("name=text") == ("name", "text")

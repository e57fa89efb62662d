"""A scenario from DataFrames and back (optimizer.scenario.frames): the same scenario as
the folder gives, and the loader's own messages, named by frame, row and column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

import optimizer
from optimizer.scenario import Problem, Scenario
from optimizer.scenario.frames import cell_text
from optimizer.scenario.writer import policy_toml

# What a scenario is, apart from where it came from (name and hash of its bytes).
SOURCE = {"name", "input_hash"}


def same_scenario(a: Scenario, b: Scenario) -> bool:
    return a.model_dump(exclude=SOURCE) == b.model_dump(exclude=SOURCE)


def test_demo_round_trip_equals_the_folder_load(demo_folder: Path) -> None:
    """Frames of the demo, read back with its policy, give the scenario the folder gives."""
    folder = optimizer.load_scenario(demo_folder)
    frames = folder.to_frames()
    assert set(frames) == {
        "cases",
        "rooms",
        "sessions",
        "surgeons",
        "resources",
        "partners",
        "extra_sessions",
        "unavailable",
        "extra_resources",
    }
    assert len(frames["cases"]) == len(folder.cases)
    back = optimizer.scenario_from_frames(**frames, policy=folder.policy, name=folder.name)
    assert same_scenario(back, folder)
    assert back.name == folder.name
    assert back.warnings == folder.warnings


def test_a_policy_object_is_taken_as_it_stands(
    demo_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Policy given in code is not written as TOML and read back: the TOML reader is not
    called, and the scenario and its fingerprint are the ones the folder gives."""
    folder = optimizer.load_scenario(demo_folder)
    frames = folder.to_frames()
    by_text = optimizer.scenario_from_frames(**frames, policy=policy_toml(folder.policy))

    def no_text(*args: object) -> None:
        raise AssertionError("the policy went through TOML text")

    monkeypatch.setattr("optimizer.scenario.policy_toml._read_toml", no_text)
    back = optimizer.scenario_from_frames(**frames, policy=folder.policy)
    assert same_scenario(back, folder)
    assert back.input_hash == by_text.input_hash


def test_nasty_round_trip(nasty_scenario: Scenario) -> None:
    """Ids with commas, quotes, line breaks and formulas survive the frames too."""
    frames = optimizer.scenario_frames(nasty_scenario)
    back = optimizer.scenario_from_frames(**frames, policy=nasty_scenario.policy)
    assert same_scenario(back, nasty_scenario)


def test_frames_are_typed_for_analysts(tiny_hospital: Scenario) -> None:
    """Durations and capacities are integers, empty cells None, optional frames present."""
    frames = tiny_hospital.to_frames()
    assert frames["cases"]["duration_min"].dtype == "int64"
    assert frames["cases"].loc[2, "planned_date"] is None  # E is on the waiting list
    assert frames["partners"]["capacity"].tolist() == [1]
    assert frames["surgeons"].empty and list(frames["surgeons"].columns) == [
        "surgeon_id",
        "date",
        "start",
        "end",
    ]


def test_frames_with_pandas_types_load(tiny_hospital: Scenario) -> None:
    """Timestamps, floats from a column with NaN and real booleans read as the text would."""
    frames = tiny_hospital.to_frames()
    cases = frames["cases"].copy()
    cases["planned_date"] = pd.to_datetime(cases["planned_date"])
    cases["duration_min"] = cases["duration_min"].astype(float)
    cases["transferable"] = cases["transferable"] == "true"
    frames["cases"] = cases
    back = optimizer.scenario_from_frames(**frames, policy=tiny_hospital.policy)
    assert same_scenario(back, tiny_hospital)


def test_a_bad_frame_names_frame_row_and_column(tiny_hospital: Scenario) -> None:
    """Every problem found, as the loader finds it in files, named by frame, row position
    (from 0) and column; a missing required column is named with no row."""
    frames = tiny_hospital.to_frames()
    cases = frames["cases"].copy()
    cases.loc[1, "duration_min"] = -5
    cases.loc[2, "urgency"] = "P9"
    frames["cases"] = cases
    frames["sessions"] = frames["sessions"].drop(columns=["end"])
    with pytest.raises(optimizer.ScenarioError) as err:
        optimizer.scenario_from_frames(**frames, policy=tiny_hospital.policy)
    where = {(p.file, p.row, p.column) for p in err.value.problems}
    assert where == {
        ("cases", 1, "duration_min"),
        ("cases", 2, "urgency"),
        ("sessions", None, "end"),
    }
    assert "cases, row 1, column duration_min:" in str(err.value)


def test_an_index_of_contract_columns_is_a_column(tiny_hospital: Scenario) -> None:
    """``cases.set_index("case_id")``, as a pandas user would: the ids are still read."""
    frames = tiny_hospital.to_frames()
    frames["cases"] = frames["cases"].set_index("case_id")
    frames["sessions"] = frames["sessions"].set_index(["date", "room_id"])
    back = optimizer.scenario_from_frames(**frames, policy=tiny_hospital.policy)
    assert same_scenario(back, tiny_hospital)


def test_warnings_name_frames(tiny_hospital: Scenario) -> None:
    """Soft problems are warnings, in the frames' words: an unknown column is ignored."""
    frames = tiny_hospital.to_frames()
    frames["cases"] = frames["cases"].assign(colour="blue")
    back = optimizer.scenario_from_frames(**frames, policy=tiny_hospital.policy)
    assert back.warnings == ("cases: unknown column(s) ignored: colour",)
    assert same_scenario(back.model_copy(update={"warnings": ()}), tiny_hospital)


def test_a_bad_policy_text_is_named_as_the_policy(tiny_hospital: Scenario) -> None:
    """Policy given as TOML text: its mistakes are named by key and line."""
    frames = tiny_hospital.to_frames()
    with pytest.raises(optimizer.ScenarioError) as err:
        optimizer.scenario_from_frames(**frames, policy="target_ratio = 2\n")
    assert err.value.problems == [
        Problem("policy", 1, "target_ratio", "2 is not a ratio between 0 and 1 (e.g. 0.9)")
    ]


def test_a_missing_required_frame_or_a_wrong_type_is_an_error(tiny_hospital: Scenario) -> None:
    """Not a DataFrame: a plain sentence, not an AttributeError."""
    frames = tiny_hospital.to_frames()
    with pytest.raises(optimizer.ScenarioError, match="cases: a DataFrame is needed, not list"):
        optimizer.scenario_from_frames(
            cases=[],  # type: ignore[arg-type]
            rooms=frames["rooms"],
            sessions=frames["sessions"],
        )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (float("nan"), ""),
        (pd.NaT, ""),
        (pd.NA, ""),
        (True, "true"),
        (60.0, "60"),
        (2.5, "2.5"),
        (pd.Timestamp("2024-04-15"), "2024-04-15"),
        (dt.date(2024, 4, 15), "2024-04-15"),
        (dt.time(8, 30), "08:30"),
        (("c_arm", "robot"), "c_arm;robot"),
        (frozenset({"robot", "c_arm"}), "c_arm;robot"),
        ("OR01", "OR01"),
    ],
)
def test_cell_text(value: object, text: str) -> None:
    """Each pandas or Python value becomes the text its CSV cell would hold."""
    assert cell_text(value) == text

"""``write_scenario`` then ``load_scenario`` gives the same scenario back.

Shown on a scenario with every optional field set, on the random valid
scenarios the solver's property tests use, and on scenarios whose ids and names
hold the characters CSV and TOML must quote or escape (commas, quotes, line
breaks, accents, a leading ``=``).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.scenario import (
    Case,
    PartnerCapacity,
    Policy,
    ResourceCapacity,
    Room,
    Scenario,
    Session,
    SurgeonWindow,
    UrgencyClass,
    load_scenario,
    write_scenario,
)
from tests.support.strategies import scenarios

D1, D2 = dt.date(2024, 4, 16), dt.date(2024, 4, 17)
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def round_trip(scenario: Scenario) -> Scenario:
    with tempfile.TemporaryDirectory() as tmp:
        return load_scenario(write_scenario(scenario, Path(tmp) / "s"))


def assert_same(a: Scenario, b: Scenario) -> None:
    """Equal in every part the contract carries (name, hash and warnings are the loader's)."""
    assert b.cases == a.cases
    assert b.rooms == a.rooms
    assert b.sessions == a.sessions
    assert b.surgeon_windows == a.surgeon_windows
    assert b.resources == a.resources
    assert b.partners == a.partners
    assert b.policy == a.policy
    assert list(b.policy.urgency) == list(a.policy.urgency)  # class order kept too


def full_scenario() -> Scenario:
    """Every optional field of every object set to a non-default value."""
    classes = {
        "urgent": UrgencyClass(name="urgent", max_delay_days=2, weight=40.5, transfer_cost=7.25),
        "later": UrgencyClass(name="later", weight=0.5),
    }
    policy = Policy(
        start_date=D1,
        end_date=D2,
        target_ratio=0.85,
        turnover_min=20,
        urgency=classes,
        level3="weighted",
        seed=12345,
        time_limit_s=12.5,
    )
    rooms = (
        Room(
            room_id="OR1", specialties=frozenset({"ortho", "uro"}), equipment=frozenset({"laser"})
        ),
        Room(room_id="OR2"),
    )
    sessions = (
        Session(date=D1, room_id="OR1", start=450, end=1440, specialty="ortho"),
        Session(date=D2, room_id="OR2", start=480, end=720),
    )
    pinned = Case(
        case_id="K1",
        specialty="ortho",
        surgeon_id="S1",
        duration_min=95,
        urgency="urgent",
        planned_date=D1,
        planned_room="OR1",
        planned_start=455,
        release_date=D1,
        due_date=D2,
        equipment=("laser", "c_arm"),
        anaesthesia="regional",
        needs_icu=True,
        transferable=True,
        pinned=True,
        flags=frozenset({"latex_allergy", "paediatric"}),
    )
    waiting = Case(
        case_id="K2",
        specialty="uro",
        surgeon_id="S2",
        duration_min=1440,
        urgency="later",
        release_date=D2,
        due_date=D2,
        anaesthesia="local",
        flags=frozenset({"infectious"}),
    )
    return Scenario(
        cases=(pinned, waiting),
        rooms=rooms,
        sessions=sessions,
        surgeon_windows=(SurgeonWindow(surgeon_id="S1", date=D1, start=420, end=1440),),
        resources=(
            ResourceCapacity(date=D1, resource="anaesthetist", capacity=3),
            ResourceCapacity(date=D1, resource="icu_bed", capacity=1),
            ResourceCapacity(date=D1, resource="c_arm", capacity=2),
        ),
        partners=(PartnerCapacity(partner_id="CHU", date=D2, specialty="uro", capacity=4),),
        policy=policy,
    )


def test_every_optional_field_round_trips() -> None:
    """All optional fields set (pinned case, blocks, 24:00, custom classes, seed): same scenario."""
    s = full_scenario()
    assert_same(s, round_trip(s))


def test_round_trip_of_the_defaults() -> None:
    """A scenario with nothing optional given comes back with the same defaults."""
    s = Scenario(
        cases=(Case(case_id="A", specialty="x", surgeon_id="S", duration_min=1, urgency="P4"),),
        rooms=(Room(room_id="R"),),
        sessions=(Session(date=D1, room_id="R", start=0, end=60),),
        policy=Policy(start_date=D1, end_date=D1),
    )
    assert_same(s, round_trip(s))


def test_rewriting_a_folder_drops_stale_optional_files(tmp_path: Path) -> None:
    """Writing into a folder that held surgeon windows leaves none behind for the new scenario."""
    s = full_scenario()
    write_scenario(s, tmp_path)
    bare = s.model_copy(update={"surgeon_windows": (), "partners": ()})
    write_scenario(bare, tmp_path)
    assert_same(bare, load_scenario(tmp_path))


def test_input_hash_follows_the_bytes(tmp_path: Path) -> None:
    """The audit hash is the same for the same files and changes when a byte changes."""
    write_scenario(full_scenario(), tmp_path)
    h1 = load_scenario(tmp_path).input_hash
    assert load_scenario(tmp_path).input_hash == h1
    with (tmp_path / "cases.csv").open("a") as fh:
        fh.write("\n")
    assert load_scenario(tmp_path).input_hash != h1


def test_the_scenario_s_name_is_its_folder_s_however_the_path_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: ``solve .`` from inside the scenario wrote ``run.scenario`` as "" (and the
    report then named the result folder instead): the name is the folder's, whatever the
    path says (``.``, ``sub/..``, a trailing slash, absolute)."""
    write_scenario(full_scenario(), tmp_path / "monday")
    (tmp_path / "monday" / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "monday")
    spelled = [".", "sub/..", "../monday/", str(tmp_path / "monday")]
    assert [load_scenario(p).name for p in spelled] == ["monday"] * 4


@SETTINGS
@given(scenarios())
def test_random_valid_scenarios_round_trip(scenario: Scenario) -> None:
    """The property tests' random scenarios (every contract feature) come back equal."""
    assert_same(scenario, round_trip(scenario))


# Ids and names with what CSV must quote and TOML escape; trimmed, without ';' (list separator).
NAME = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00;"),
    min_size=1,
    max_size=8,
).filter(lambda s: s == s.strip() and s != "")


@st.composite
def odd_scenarios(draw: st.DrawFn) -> Scenario:
    """A small valid scenario whose ids, specialties, equipment and class names are odd text."""
    names = draw(st.lists(NAME, min_size=9, max_size=9, unique=True))
    spec, room_id, surgeon, fixed, pool, cls, partner, case_a, case_b = names
    if {fixed, pool} & {"anaesthetist", "icu_bed"}:
        fixed, pool = "fixed-1", "pool-1"
    classes = {cls: UrgencyClass(name=cls, max_delay_days=draw(st.none() | st.integers(0, 30)),
                                 weight=draw(st.floats(0, 1e6)))}  # fmt: skip
    start = draw(st.dates(dt.date(1900, 1, 1), dt.date(2999, 12, 28)))
    end = start + dt.timedelta(days=draw(st.integers(0, 3)))
    room = Room(room_id=room_id, specialties=frozenset({spec}), equipment=frozenset({fixed}))
    s0 = draw(st.integers(0, 1000))
    session = Session(date=start, room_id=room_id, start=s0, end=draw(st.integers(s0 + 1, 1440)),
                      specialty=draw(st.none() | st.just(spec)))  # fmt: skip
    cases = tuple(
        Case(
            case_id=cid,
            specialty=spec,
            surgeon_id=surgeon,
            duration_min=draw(st.integers(1, 1440)),
            urgency=cls,
            planned_date=draw(st.none() | st.just(end)),
            equipment=tuple(draw(st.lists(st.sampled_from([fixed, pool]), unique=True))),
            anaesthesia=draw(st.sampled_from(["general", "regional", "local"])),
            needs_icu=draw(st.booleans()),
            transferable=draw(st.booleans()),
            flags=frozenset(draw(st.sets(st.sampled_from(["latex_allergy", "infectious"])))),
        )
        for cid in (case_a, case_b)
    )
    return Scenario(
        cases=cases,
        rooms=(room,),
        sessions=(session,),
        surgeon_windows=(SurgeonWindow(surgeon_id=surgeon, date=start, start=0, end=1440),),
        resources=(ResourceCapacity(date=start, resource=pool, capacity=draw(st.integers(0, 9))),),
        partners=(PartnerCapacity(partner_id=partner, date=end, specialty=spec, capacity=1),),
        policy=Policy(
            start_date=start,
            end_date=end,
            urgency=classes,
            target_ratio=draw(st.floats(0, 1)),
            turnover_min=draw(st.integers(0, 1440)),
        ),
    )


@SETTINGS
@given(odd_scenarios())
def test_odd_text_round_trips(scenario: Scenario) -> None:
    """Commas, quotes, line breaks, accents and formula-like ids survive writing and reading."""
    assert_same(scenario, round_trip(scenario))

"""The shared clinical rules (optimizer.rules) and the neutral clock (optimizer.clock)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from optimizer import rules
from optimizer.clock import format_day_month, format_time, parse_clock
from optimizer.scenario.schema import Room, SurgeonWindow

SUBSETS = [frozenset(c) for n in range(4) for c in itertools.combinations(rules.FLAGS, n)]


def _contract_rule_6(a: frozenset[str], b: frozenset[str]) -> bool:
    """Rule 6 as the contract words it: latex first, then paediatric, infectious last."""
    latex, paed, infectious = "latex_allergy", "paediatric", "infectious"
    return (
        (latex in a and latex not in b)
        or (paed in a and not {latex, paed} & b)
        or (infectious in b and infectious not in a)
    )


@pytest.mark.parametrize(("a", "b"), itertools.product(SUBSETS, SUBSETS))
def test_must_precede_is_rule_6_for_every_pair_of_flag_sets(a, b):
    """must_precede agrees with the contract's wording on all 64 pairs of flag sets."""
    assert rules.must_precede(a, b) == _contract_rule_6(a, b)


@pytest.mark.parametrize(("a", "b"), itertools.product(SUBSETS, SUBSETS))
def test_sequence_key_orders_every_compatible_pair(a, b):
    """Sorted by sequence_key, two cases that can share a room keep rule 6."""
    if rules.must_precede(a, b) and not rules.must_precede(b, a):
        assert rules.sequence_key(a) < rules.sequence_key(b)


def test_sequence_key_single_flags():
    """latex_allergy < paediatric < unflagged < infectious."""
    order = [
        frozenset({"latex_allergy"}),
        frozenset({"paediatric"}),
        frozenset(),
        frozenset({"infectious"}),
    ]
    assert sorted(reversed(order), key=rules.sequence_key) == order


def test_merge_spans_joins_touching_and_overlapping_windows():
    """08:00-12:00 and 12:00-17:00 are one window; a gap keeps two."""
    assert rules.merge_spans([(720, 1020), (480, 720)]) == ((480, 1020),)
    assert rules.merge_spans([(480, 600), (540, 560), (601, 700)]) == ((480, 600), (601, 700))
    d = dt.date(2024, 4, 16)
    windows = [
        SurgeonWindow(surgeon_id="S1", date=d, start=s, end=e) for s, e in ((480, 720), (720, 900))
    ]
    merged = rules.windows_by_surgeon(windows)
    assert merged == {"S1": {d: ((480, 900),)}}
    assert rules.within_windows(merged["S1"], d, (700, 760))
    assert not rules.within_windows(merged["S1"], d, (850, 910))
    assert not rules.within_windows(merged["S1"], dt.date(2024, 4, 17), (500, 510))


def test_room_hosts_case():
    """Specialty list (empty = any), session block, fixed equipment: all three must allow it."""
    ortho = Room(
        room_id="OR1",
        specialties=frozenset({"orthopaedics"}),
        equipment=frozenset({"laminar_flow"}),
    )
    any_room = Room(room_id="OR2")
    assert rules.hosts_case(ortho, None, "orthopaedics", ("laminar_flow",))
    assert rules.hosts_case(ortho, "orthopaedics", "orthopaedics", ())
    assert not rules.hosts_case(ortho, None, "urology", ())
    assert not rules.hosts_case(ortho, "urology", "orthopaedics", ())
    assert not rules.hosts_case(any_room, None, "urology", ("laminar_flow",))
    assert rules.hosts_case(any_room, None, "urology", ())
    assert rules.fixed_needed(("c_arm", "robot"), frozenset({"c_arm"})) == ("robot",)
    assert any_room.hosts("anything") and not ortho.hosts("urology")


def test_clock():
    """HH:MM both ways; 24:00 only where an end time is read; DD/MM for reasons."""
    assert format_time(0) == "00:00" and format_time(1439) == "23:59"
    assert parse_clock("8:05") == 485 and parse_clock("24:00") is None
    assert parse_clock("24:00", allow_24=True) == 1440
    assert parse_clock("24:01", allow_24=True) is None and parse_clock("８:00") is None
    assert format_day_month(dt.date(2024, 4, 6)) == "06/04"

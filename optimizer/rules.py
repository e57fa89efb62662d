"""The clinical rules that the model, the first-fit schedule, the loader and the generator share.

Each rule of the data contract that more than one of them needs is stated
here once: the order of flagged cases in a room (rule 6), how a surgeon's
windows of one date combine, and whether a room's session can host a case
(the room's specialties, the session's block, the room's fixed equipment).

:mod:`optimizer.check` keeps its own copy of these rules on purpose: it is the
independent judge of every schedule and imports nothing from here or from
the model, so a mistake here cannot hide itself.

This module imports nothing from the rest of the package at run time (the
schema imports it), so any part of the package can use it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .scenario.schema import Room, SurgeonWindow

Span = tuple[int, int]  # [start, end) in minutes after midnight

# -- sequencing (contract rule 6) ---------------------------------------------

LATEX_ALLERGY, PAEDIATRIC, INFECTIOUS = "latex_allergy", "paediatric", "infectious"
FLAGS = (LATEX_ALLERGY, PAEDIATRIC, INFECTIOUS)  # in the order a room takes them
_EARLY = frozenset({LATEX_ALLERGY, PAEDIATRIC})


@dataclass(frozen=True)
class SequencingRule:
    """In one room on one date, every case of the front group comes before every other case.

    ``flag`` is the flag the rule is about (to name it in a message);
    ``front`` tells from a case's flags whether it belongs to the front group.
    """

    flag: str
    front: Callable[[frozenset[str]], bool]


# Latex-allergy cases first, then paediatric cases, infectious cases last:
# latex_allergy < paediatric < unflagged < infectious.
SEQUENCING: tuple[SequencingRule, ...] = (
    SequencingRule(LATEX_ALLERGY, lambda f: LATEX_ALLERGY in f),
    SequencingRule(PAEDIATRIC, lambda f: not _EARLY.isdisjoint(f)),
    SequencingRule(INFECTIOUS, lambda f: INFECTIOUS not in f),
)


def precedence_rule(a_flags: frozenset[str], b_flags: frozenset[str]) -> SequencingRule | None:
    """The first rule by which a case with ``a_flags`` must come before one with ``b_flags``."""
    for rule in SEQUENCING:
        if rule.front(a_flags) and not rule.front(b_flags):
            return rule
    return None


def must_precede(a_flags: frozenset[str], b_flags: frozenset[str]) -> bool:
    """Must a case with ``a_flags`` come before one with ``b_flags`` in a room?"""
    return precedence_rule(a_flags, b_flags) is not None


def sequence_key(flags: frozenset[str]) -> tuple[bool, ...]:
    """A sort key for a room's cases: sorted by it, they keep rule 6 whenever any order does.

    For two cases that can share a room (neither must precede the other both
    ways), ``must_precede(a, b)`` implies ``sequence_key(a) < sequence_key(b)``.
    """
    return tuple(not rule.front(flags) for rule in SEQUENCING)


# -- surgeon windows ----------------------------------------------------------


def merge_spans(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Spans sorted, touching or overlapping ones merged into one (08:00-12:00 + 12:00-17:00)."""
    merged: list[Span] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return tuple(merged)


def windows_by_surgeon(
    windows: Iterable[SurgeonWindow],
) -> dict[str, dict[dt.date, tuple[Span, ...]]]:
    """Each surgeon's windows per date, merged: a case must lie inside one merged window."""
    raw: dict[str, dict[dt.date, list[Span]]] = {}
    for w in windows:
        raw.setdefault(w.surgeon_id, {}).setdefault(w.date, []).append((w.start, w.end))
    return {
        sid: {d: merge_spans(spans) for d, spans in per_date.items()}
        for sid, per_date in raw.items()
    }


def within_windows(spans: Mapping[dt.date, tuple[Span, ...]], day: dt.date, span: Span) -> bool:
    """Does ``span`` on ``day`` lie inside one of a surgeon's merged windows?"""
    start, end = span
    return any(a <= start and end <= b for a, b in spans.get(day, ()))


# -- room hosts case ----------------------------------------------------------


def room_hosts_specialty(room: Room, specialty: str) -> bool:
    """A room hosts the specialties it lists; a room that lists none hosts any."""
    return not room.specialties or specialty in room.specialties


def session_admits(block: str | None, specialty: str) -> bool:
    """A session reserved to a specialty (its block) admits that specialty only."""
    return block is None or block == specialty


def fixed_needed(equipment: Iterable[str], pools: frozenset[str]) -> tuple[str, ...]:
    """The equipment a case needs fixed in its room: all it needs but the mobile pools."""
    return tuple(e for e in equipment if e not in pools)


def missing_equipment(room: Room, fixed: Iterable[str]) -> list[str]:
    """The fixed equipment a case needs that ``room`` does not have."""
    return [e for e in fixed if e not in room.equipment]


def hosts_case(room: Room, block: str | None, specialty: str, fixed: Iterable[str]) -> bool:
    """Can a session of ``room`` with ``block`` host a case of ``specialty`` needing ``fixed``?"""
    return (
        room_hosts_specialty(room, specialty)
        and session_admits(block, specialty)
        and not missing_equipment(room, fixed)
    )

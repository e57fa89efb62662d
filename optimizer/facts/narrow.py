"""A model of part of the problem (a window, a date) from the whole problem's candidates."""

from __future__ import annotations

from dataclasses import replace
from functools import cached_property
from typing import Any

from .candidates import Candidates

# What such a model changes; no cached lookup of Candidates reads it.
NARROWED = frozenset({"room_options", "transfer_options", "pinned", "out_of_run"})


def narrowed(cand: Candidates, **changes: Any) -> Candidates:
    """``cand`` with its options, held cases or run changed, keeping the lookups it has
    cached: all are read from the scenario, none from those fields (recomputed per case, they
    took a tenth of a second of each window of a university).

    Raises
    ------
    ValueError
        When ``changes`` names another field (a lookup kept could then be stale).
    """
    if not changes.keys() <= NARROWED:
        raise ValueError(f"only {sorted(NARROWED)} may change, not {sorted(changes)}")
    out = replace(cand, **changes)
    for name, value in vars(cand).items():
        if isinstance(getattr(type(cand), name, None), cached_property):
            vars(out).setdefault(name, value)
    return out

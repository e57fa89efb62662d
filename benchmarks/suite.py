"""The benchmark instances: what each one is, how it is built, and how its schedules compare.

Kept apart from :mod:`benchmarks.run` (which runs and prints) so that tests
and notebooks can build an instance or compare two schedules without running
the suite.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.external import ihtc_dir, or_utilization_csv


@dataclass(frozen=True)
class Instance:
    """One benchmark instance: how to build it, and which time limit it gets."""

    name: str
    source: str  # "generated", "ihtc", "or_utilization"
    params: dict[str, Any]
    large: bool = False  # the university-sized time limit
    quick: bool = False  # also in --quick
    scaling_only: bool = False  # a size point of the scaling table, not a target instance
    kind: str = "hospital"  # which target it is measured against: hospital, university...


SUITE: tuple[Instance, ...] = (
    Instance("gen-5x5x15", "generated", dict(rooms=5, days=5, cases_per_day=15), scaling_only=True),
    Instance("hospital-11", "generated", dict(rooms=11, days=10, cases_per_day=30), quick=True),
    Instance("hospital-14", "generated", dict(rooms=14, days=10, cases_per_day=55)),
    Instance("hospital-15", "generated", dict(rooms=15, days=10, cases_per_day=40)),
    # One hospital with and without issue 21's rules: stays in ICU and on the ward, one
    # anaesthetist for two rooms, patients away some days and listed earlier ("realism"),
    # against the same plan with none of them ("plain": no stay, no unavailable.csv, no
    # listed_date), so the benchmark shows what the rules cost in time and in kept cases.
    Instance(
        "hospital-12-plain",
        "generated",
        dict(rooms=12, days=10, cases_per_day=35, patients_side=False),
    ),
    Instance(
        "hospital-12-realism",
        "generated",
        dict(rooms=12, days=10, cases_per_day=35, stays=True, anaesthetist_rooms=2),
    ),
    Instance(
        "gen-30x15x120", "generated", dict(rooms=30, days=15, cases_per_day=120), scaling_only=True
    ),
    Instance(
        "university",
        "generated",
        dict(rooms=60, days=20, cases_per_day=250),
        large=True,
        kind="university",
    ),
    # Ten hospitals' worth: 220 rooms over 8 working weeks, about 50,000 cases.
    Instance(
        "region",
        "generated",
        dict(rooms=220, days=40, cases_per_day=1250),
        large=True,
        kind="region",
    ),
    # The hold-out region in size (220 rooms x 43 working days, about 38,800 cases):
    # fewer cases a room than "region", where the planned cases of a date barely fit.
    Instance(
        "region-light",
        "generated",
        dict(rooms=220, days=43, cases_per_day=880),
        large=True,
        kind="region",
    ),
    Instance("ihtc-small05", "ihtc", dict(file="small05.json"), quick=True, kind="real"),
    Instance("ihtc-i05", "ihtc", dict(file="i05.json"), kind="real"),
    Instance("ihtc-i13", "ihtc", dict(file="i13.json"), kind="real"),
    Instance("orutil-2wk", "or_utilization", dict(weeks=2), quick=True, kind="real"),
    Instance("orutil-quarter", "or_utilization", dict(weeks=None), large=True, kind="real"),
)


def build(instance: Instance, seed: int = 1) -> Any:
    """The disrupted scenario of an instance (deterministic: seed 1 / 0; a generated one drawn
    with ``seed``, see ``benchmarks/seeds.py``)."""
    if instance.source == "generated":
        from optimizer.generate import generate

        params = dict(instance.params)
        patients_side = params.pop("patients_side", True)
        scenario = generate(seed=seed, **params).disrupted
        if patients_side:
            return scenario
        # rebuilt, not copied: the data model checks its invariants and derives its lookups
        fields = {name: getattr(scenario, name) for name in type(scenario).model_fields}
        fields["cases"] = tuple(
            type(c)(**{**{n: getattr(c, n) for n in type(c).model_fields}, "listed_date": None})
            for c in scenario.cases
        )
        fields.update(unavailable=(), input_hash="")
        return type(scenario)(**fields)
    from optimizer.importers._common import with_demo_disruption

    if instance.source == "ihtc":
        from optimizer.importers import import_ihtc

        return with_demo_disruption(import_ihtc(ihtc_dir() / instance.params["file"]), seed=0)
    from optimizer.importers import import_or_utilization

    plan = import_or_utilization(or_utilization_csv(), weeks=instance.params["weeks"])
    return with_demo_disruption(plan, seed=0)


# -- comparing two schedules in the solver's own order ---------------------------


def lexicographic_levels(
    score: Mapping[str, Any], classes: Sequence[str], *, weighted_kept: bool = False
) -> list[tuple[str, float]]:
    """A schedule's levels in the solver's order, each to be minimised.

    Misses per urgency class (most urgent first), shortfall below the target,
    planned cases kept (negated; urgency-weighted when the policy says so),
    weighted delay, patients moved, minutes shifted; from ``evaluate``'s score.
    """
    kept = score["kept_weighted"] if weighted_kept else score["kept"]
    return [
        *((f"misses {name}", float(m)) for name, m in zip(classes, score["misses_by_class"],
                                                           strict=True)),
        ("shortfall", float(score["shortfall"])),
        ("kept", -float(kept)),
        ("delay", round(float(score["weighted_delay"]), 6)),
        ("moved", float(score["moved"])),
        ("shifted", float(score["shift_min"])),
    ]  # fmt: skip


def verdict(
    solver: Mapping[str, Any],
    baseline: Mapping[str, Any],
    classes: Sequence[str],
    *,
    weighted_kept: bool = False,
) -> str:
    """``"better at <level>"``, ``"worse at <level>"`` or ``"equal"``: the first level that differs.

    A lexicographic order, as the solver's: a better value on a later level
    never makes up for a worse one on an earlier level.
    """
    a = lexicographic_levels(solver, classes, weighted_kept=weighted_kept)
    b = lexicographic_levels(baseline, classes, weighted_kept=weighted_kept)
    for (name, x), (_, y) in zip(a, b, strict=True):
        if x != y:
            return f"{'better' if x < y else 'worse'} at {name}"
    return "equal"

"""Reserved resources are named in words wherever a reason or ``explain`` names them, and the
French adjective after them agrees with them.

``explain`` in French once said "cause : ressource au complet (bloquants : icu_bed)", an id
in a French sentence; its "what it would take" line said "icu_bed le 03/05". The reasons said
"lits de réanimation : complet" and "anesthésistes : complet" (plural nouns, singular
adjective).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import optimizer
from optimizer import solve
from optimizer.explain.command import explain
from optimizer.explain.findings import Part, Resource
from optimizer.explain.words import render_part
from optimizer.scenario.schema import Case, Policy, ResourceCapacity, Room, Scenario, Session
from tests.support.french_words import english_words

D0 = dt.date(2024, 5, 3)
D1 = D0 + dt.timedelta(days=1)


def _beds_scenario() -> Scenario:
    """One ICU bed on D0, held by A (cardiac, P1a): B (needs ICU) goes to D1."""

    def case(cid: str, spec: str, urgency: str, room: str, icu: bool) -> Case:
        return Case(case_id=cid, specialty=spec, surgeon_id=f"S{cid}", duration_min=60,
                    urgency=urgency, planned_date=D0, planned_room=room, planned_start=480,
                    needs_icu=icu)  # fmt: skip

    return Scenario(
        cases=(case("A", "cardiac", "P1a", "R2", True), case("B", "gen", "P3", "R1", True)),
        rooms=(
            Room(room_id="R1", specialties=("gen",)),
            Room(room_id="R2", specialties=("cardiac",)),
        ),
        sessions=tuple(
            Session(date=d, room_id=r, start=480, end=540) for d in (D0, D1) for r in ("R1", "R2")
        ),
        resources=(ResourceCapacity(date=D0, resource="icu_bed", capacity=1),),
        policy=Policy(start_date=D0, end_date=D1, language="fr"),
    )


def test_explain_names_a_full_bed_in_words(tmp_path: Path) -> None:
    """B's cause is the ICU bed: ``explain`` says "lits de réanimation" / "ICU beds"."""
    result = solve(_beds_scenario(), work_limit=1.0, workers=1, seed=0)
    row = result.schedule.set_index("case_id").loc["B"]
    assert (row["cause"], row["blocking"]) == ("resource_full", "icu_bed")  # the file keeps ids
    out = optimizer.write_result(result, tmp_path / "out")
    fr = explain(out, "B", "fr")
    assert "cause :   ressource au complet (bloquants : lits de réanimation)" in fr, fr
    assert "lits de réanimation : complets le 03/05" in fr, fr
    assert "icu_bed" not in fr, fr
    assert english_words(fr) == []
    en = explain(out, "B", "en")
    assert "(blocking: ICU beds)" in en, en
    assert "icu_bed" not in en, en


def test_the_adjective_after_resources_agrees_with_them() -> None:
    """ "complet" after one pool; "complets" after a plural noun or a list; English "is" and
    "are" the same way."""

    def said(key: str, names: tuple[str, ...], lang: str) -> str:
        fields = {"resources": tuple(Resource(n) for n in names), "date": D0,
                  "surgeon": "S1", "duration": 60}  # fmt: skip
        return render_part(Part(key, fields), lang)  # type: ignore[arg-type]

    assert said("planned_time_resources", ("anaesthetist",), "fr") == (
        "à l'heure prévue, anesthésistes : complets"
    )
    assert said("planned_time_resources", ("c-arm",), "fr") == "à l'heure prévue, c-arm : complet"
    assert said("entry_resource", ("icu_bed", "ward_bed"), "fr") == (
        "03/05 (lits de réanimation et lits d'hospitalisation : complets)"
    )
    assert said("resource_full", ("c-arm",), "fr").startswith("c-arm : complet le 03/05")
    assert said("resource_full", ("anaesthetist",), "fr").startswith(
        "anesthésistes : complets le 03/05"
    )
    assert said("resource_full", ("c-arm",), "en").startswith("c-arm on 03/05 is at capacity")
    assert said("resource_full", ("anaesthetist",), "en").startswith(
        "anaesthetists on 03/05 are at capacity"
    )
    assert said("planned_time_resources", ("c-arm",), "en") == (
        "at its planned time the c-arm is all in use"
    )
    bed = Part("bed_full", {"bed": Resource("ward_bed"), "date": D0})
    assert render_part(bed, "fr") == "lits d'hospitalisation : complets le 03/05"


def test_one_session_and_one_case_in_the_way_are_said_in_the_singular() -> None:
    """ "les vacations possibles ... sont plus courtes" was said of one session, and "ils ne
    pouvaient pas attendre" of one case."""
    one = Part("session_short", {"date": D0, "sessions": ("R1 08:00-09:00",), "duration": 90})
    assert render_part(one, "fr") == (
        "la vacation possible le 03/05 (R1 08:00-09:00) est plus courte que ses 90 min"
    )
    assert render_part(one, "en").startswith("the session for it on 03/05 (R1 08:00-09:00) is")
    assert render_part(Part("deadline_priority", {"n": 1}), "fr").startswith(
        "il ne pouvait pas attendre"
    )
    two = Part("deadline_priority", {"n": 2})
    assert render_part(two, "en") == "they could not wait: no later date before their deadline"

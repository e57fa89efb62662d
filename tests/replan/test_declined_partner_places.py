"""A deadline missed because the patient declined every date up to it: the reason does not
list a partner's place on a date the patient cannot come as merely "unused".

Found on a month of mornings (the month-long daily-loop pass): a P1a case, planned the day
before the re-plan (so its cause is ``backlog``), declined until a week later; its reason
said "ÉCHÉANCE DÉPASSÉE (au plus tard le 17/04) ; ... ; CHU de Nice : 1 place de chirurgie
générale le 17/04, inutilisée ; ... transféré au CH d'Antibes le 24/04" and nowhere that the
patient could not come on 17/04: a planner read that a free place had been wasted.
"""

from __future__ import annotations

import datetime as dt

import optimizer
from optimizer.scenario.schema import (
    Case,
    PartnerCapacity,
    Policy,
    Room,
    Scenario,
    Session,
    Unavailability,
)

D0, D1, D2 = dt.date(2024, 4, 16), dt.date(2024, 4, 17), dt.date(2024, 4, 18)


def _scenario(lang: str) -> Scenario:
    gen = "general_surgery"
    return Scenario(
        cases=(  # planned the day before the horizon: due D0 (P1a waits one day)
            Case(
                case_id="X",
                specialty=gen,
                surgeon_id="S1",
                duration_min=60,
                urgency="P1a",
                planned_date=D0 - dt.timedelta(days=1),
                planned_room="R1",
                planned_start=480,
                transferable=True,
            ),  # fmt: skip
        ),
        rooms=(Room(room_id="R1", specialties=("orthopaedics",)),),
        sessions=(Session(date=D0, room_id="R1", start=480, end=720),),
        partners=tuple(
            PartnerCapacity(partner_id="P1", date=d, specialty=gen, capacity=1) for d in (D0, D2)
        ),
        unavailable=(Unavailability(case_id="X", from_date=D0, to_date=D1, reason="declined"),),
        policy=Policy(start_date=D0, end_date=D2, language=lang),  # type: ignore[arg-type]
    )


def _reason(lang: str) -> str:
    result = optimizer.solve(_scenario(lang), workers=1, work_limit=0.5, seed=0)
    assert result.violations == ()
    row = next(r for r in result.rows if r.case_id == "X")
    assert (row.status, row.date, row.partner_id) == ("transferred", D2, "P1")
    return row.reason


def test_a_place_on_a_date_the_patient_cannot_come_is_said_so() -> None:
    reason = _reason("en")
    assert "DEADLINE MISSED" in reason
    assert "unused" not in reason, reason
    assert "P1 had 1 place for general surgery on 16/04, but the patient cannot come" in reason


def test_in_french() -> None:
    reason = _reason("fr")
    assert "inutilisée" not in reason, reason
    assert (
        "P1 : 1 place de chirurgie générale le 16/04, mais le patient ne peut pas venir" in reason
    )

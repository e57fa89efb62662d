"""A planned room open that date, but not at the planned time, is said as the data shows it.

Found on a re-plan whose ``--sessions`` re-timed a room to 13:00-18:00: a case planned
there at 11:05 for 30 minutes was moved to 13:00 with the reason "open 13:00-18:00 only,
too short for its planned slot (30 min)". Five hours are not too short for 30 minutes:
the room opens after the planned start.
"""

from __future__ import annotations

import datetime as dt

from optimizer.explain import find_cause, render
from optimizer.facts.booking import Booking
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session
from tests.support.french_words import english_words

D1 = dt.date(2024, 4, 17)


def _scenario(session: tuple[int, int], start: int, duration: int) -> Scenario:
    case = Case(case_id="C1", specialty="uro", surgeon_id="S1", duration_min=duration,
                urgency="P3", planned_date=D1, planned_room="OR03",
                planned_start=start)  # fmt: skip
    return Scenario(
        cases=(case,),
        rooms=(Room(room_id="OR03"),),
        sessions=(Session(date=D1, room_id="OR03", start=session[0], end=session[1]),),
        policy=Policy(start_date=D1, end_date=D1),
    )


def _said(sc: Scenario, booking: Booking) -> dict[str, str]:
    finding = find_cause(sc, [booking], 0)
    assert finding is not None
    return {lang: render(finding, lang) for lang in ("en", "fr")}


def test_a_room_that_opens_after_the_planned_start_is_not_said_too_short() -> None:
    """OR03 opens 13:00-18:00 (300 min); C1 was planned at 11:05 for 30 min and runs at
    13:00: the room opens after its planned start."""
    sc = _scenario((780, 1080), 665, 30)
    finding = find_cause(sc, [Booking("kept", D1, "OR03", 780)], 0)
    assert finding is not None and (finding.cause, finding.blocking) == ("room_closed", ("OR03",))
    said = _said(sc, Booking("kept", D1, "OR03", 780))
    assert said["en"].startswith("OR03 on 17/04 opens at 13:00, after its planned start 11:05")
    assert said["fr"].startswith(
        "salle OR03 ouverte seulement à partir de 13:00 le 17/04, après l'heure prévue (11:05)"
    )
    assert all("short" not in s and "court" not in s for s in said.values()), said
    assert english_words(said["fr"]) == []


def test_a_room_that_closes_before_the_planned_slot_ends_says_so() -> None:
    """OR03 is open 08:00-12:00; C1 was planned 11:30-12:30: it closes before the slot ends."""
    said = _said(_scenario((480, 720), 690, 60), Booking("kept", D1, "OR03", 480))
    assert said["en"].startswith(
        "OR03 on 17/04 closes at 12:00, before its planned slot ends (12:30)"
    )
    assert said["fr"].startswith(
        "salle OR03 fermée dès 12:00 le 17/04, avant la fin du créneau prévu (12:30)"
    )


def test_a_session_shorter_than_the_case_is_still_too_short() -> None:
    """OR03 is open 08:00-09:00 only; C1 needs 90 min: too short, as before."""
    said = _said(_scenario((480, 540), 480, 90), Booking("unscheduled", None, None, None))
    assert "too short for its planned slot (90 min)" in said["en"], said

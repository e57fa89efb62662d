"""Every row of ``calls.csv`` says why the patient is called, in the run's language.

A waiting-list case given a date, and a patient back on the planned slot after an
earlier revision announced another, once had an empty reason: the secretary on the
phone had nothing to read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from optimizer import solve
from optimizer.check.causes import check_causes
from optimizer.facts.booking import Booking
from optimizer.result.calls import call_rows
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session
from tests.support.french_words import english_words

D1 = dt.date(2024, 4, 16)
D2 = dt.date(2024, 4, 17)


def _scenario(cases: list[Case], lang: str = "en") -> Scenario:
    return Scenario(
        cases=tuple(cases),
        rooms=(Room(room_id="R1"),),
        sessions=(Session(date=D1, room_id="R1", start=480, end=720),),
        policy=Policy(start_date=D1, end_date=D2, language=lang),
    )


def _case(cid: str, **kw: Any) -> Case:
    return Case(case_id=cid, specialty="gen", surgeon_id="S1", duration_min=60, urgency="P3", **kw)


def test_a_waiting_case_given_a_date_says_what_it_is_called_in_for() -> None:
    """W waits; R1 is open on D1 only, so W is operated there (the only place):
    ``scheduled`` on 16/04 in R1. Its schedule row and its call say so, in both languages."""
    said = {}
    for lang in ("en", "fr"):
        sc = _scenario([_case("W")], lang)
        result = solve(sc, work_limit=1.0, workers=1, seed=0)
        row = result.schedule.set_index("case_id").loc["W"]
        assert (row["status"], row["date"], row["room_id"]) == ("scheduled", "2024-04-16", "R1")
        start = row["start"]
        assert row["cause"] is None
        call = result.calls.set_index("case_id").loc["W"]
        assert call["reason"] == row["reason"]
        said[lang] = (row["reason"], start)
        assert check_causes(sc, result.schedule) == []
    english, start = said["en"]
    assert english == f"waiting list: called in for 16/04 in R1 at {start}"
    french, _ = said["fr"]
    assert french == f"liste d'attente : patient convoqué pour le 16/04 en salle R1 à {start}"
    assert english_words(french) == []


def test_a_patient_back_on_the_planned_slot_is_told_the_announced_change_is_undone() -> None:
    """K was planned 16/04 R1 08:00; a re-plan announced 17/04 R1 08:00 (``announced_count``
    1). The schedule puts K back on its planned slot: kept as planned, so no cause and an
    empty schedule reason, but the patient is called again and must hear why."""
    k = _case(
        "K",
        planned_date=D1,
        planned_room="R1",
        planned_start=480,
        announced_date=D2,
        announced_room="R1",
        announced_start=480,
        announced_count=1,
    )
    kept = Booking("kept", D1, "R1", 480)
    for lang, want in (
        ("en", "back to its planned date 16/04, in R1 at 08:00: the change to 17/04 (R1 08:00)"
               " announced earlier is undone"),
        ("fr", "retour à la date prévue du 16/04, en salle R1 à 08:00 : le changement au 17/04"
               " (R1 08:00) annoncé précédemment est annulé"),
    ):  # fmt: skip
        (call,) = call_rows(_scenario([k], lang), [(kept, None)])
        assert (call["call"], call["old_date"], call["new_date"]) == (
            "again",
            "2024-04-17",
            "2024-04-16",
        )
        assert call["reason"] == want
    told = k.model_copy(update={"announced_date": None, "announced_room": None,
                                "announced_start": None})  # fmt: skip
    (call,) = call_rows(_scenario([told], "fr"), [(kept, None)])
    assert call["reason"].endswith(
        "le patient avait été informé qu'il n'y avait pas encore de date"
    )
    assert english_words(call["reason"]) == []


def test_a_waiting_case_moved_from_its_announced_date_names_both() -> None:
    """W waits; a re-plan announced 17/04; it is now called in for 16/04: the reason names
    the new slot and the announced date, not only "called in"."""
    w = _case("W", announced_date=D2, announced_count=1)
    (call,) = call_rows(_scenario([w]), [(Booking("scheduled", D1, "R1", 540), None)])
    assert call["reason"] == (
        "waiting list: called in for 16/04 in R1 at 09:00, instead of 17/04 as announced earlier"
    )


def test_a_non_empty_reason_is_kept_as_the_schedule_wrote_it() -> None:
    """A row the schedule gave a reason keeps it byte for byte."""
    w = _case("W")
    (call,) = call_rows(_scenario([w]), [(Booking("scheduled", D1, "R1", 540), "as written")])
    assert call["reason"] == "as written"

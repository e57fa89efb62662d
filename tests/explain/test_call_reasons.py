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
    kw = {"duration_min": 60, **kw}
    return Case(case_id=cid, specialty="gen", surgeon_id="S1", urgency="P3", **kw)


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


def test_a_patient_moved_off_the_appointment_they_hold_is_told_from_that_appointment() -> None:
    """K was planned 16/04 R1 11:05 (30 min); an earlier re-plan announced 17/04 R1 16:00.
    R1 now opens at 13:00 on 16/04 (five hours): K goes back to its planned date, at 13:00.
    The call is about the appointment K holds (17/04 16:00), not the plan: its reason once
    said "kept on 16/04, moved from R1 11:05 to R1 13:00" (the plan's slot, which the patient
    no longer holds) after "too short"."""
    k = _case(
        "K",
        duration_min=30,
        planned_date=D1,
        planned_room="R1",
        planned_start=665,
        announced_date=D2,
        announced_room="R1",
        announced_start=960,
        announced_count=1,
    )
    said = {}
    for lang in ("en", "fr"):
        sc = Scenario(
            cases=(k,),
            rooms=(Room(room_id="R1"),),
            sessions=(
                Session(date=D1, room_id="R1", start=780, end=1080),
                Session(date=D2, room_id="R1", start=480, end=1080),
            ),
            policy=Policy(start_date=D1, end_date=D2, language=lang),
        )
        result = solve(sc, work_limit=1.0, workers=1, seed=0)
        row = result.schedule.set_index("case_id").loc["K"]
        assert (row["status"], row["date"], row["start"]) == ("kept", "2024-04-16", "13:00")
        (call,) = result.calls.to_dict("records")
        old = (call["old_date"], call["old_start"], call["call"])
        assert old == ("2024-04-17", "16:00", "again")
        said[lang] = call["reason"]
    assert said["en"] == (
        "appointment of 17/04 (R1 16:00) moved to 16/04 (R1 13:00); reason: R1 on 16/04 opens"
        " at 13:00, after its planned start 11:05"
    )
    assert said["fr"] == (
        "rendez-vous du 17/04 (R1 16:00) déplacé au 16/04 (R1 13:00) ; motif : salle R1"
        " ouverte seulement à partir de 13:00 le 16/04, après l'heure prévue (11:05)"
    )
    assert english_words(said["fr"]) == []


def test_a_patient_whose_announced_appointment_is_withdrawn_is_told_so() -> None:
    """A was announced 17/04 R1 08:00 (planned 16/04 R1 08:00, R1 now closed both dates):
    not scheduled. The call says the appointment of 17/04 is cancelled, then why."""
    a = _case("A", planned_date=D1, planned_room="R1", planned_start=480,
              announced_date=D2, announced_room="R1", announced_start=480,
              announced_count=1)  # fmt: skip
    sc = Scenario(cases=(a,), rooms=(Room(room_id="R1"),), sessions=(),
                  policy=Policy(start_date=D1, end_date=D2, language="fr"))  # fmt: skip
    result = solve(sc, work_limit=1.0, workers=1, seed=0)
    (call,) = result.calls.to_dict("records")
    assert call["reason"].startswith(
        "rendez-vous du 17/04 (R1 08:00) annulé, sans nouvelle date ; motif : salle R1 fermée"
        " le 16/04"
    ), call["reason"]

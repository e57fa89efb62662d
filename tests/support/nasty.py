"""The "nasty scenario": ids a spreadsheet would run as a formula, or that break naive CSV.

Ten cases with risky ids in three risky rooms, for risky surgeons and a risky partner;
the rooms cannot hold them all on the day and two cases may not wait, so one misses its
deadline and ids reach the summary too. Every id must come back from the result files
exactly, and no cell of them may start with a formula character.
"""

from __future__ import annotations

import datetime as dt

from optimizer.scenario.schema import (
    Case,
    PartnerCapacity,
    Policy,
    Room,
    Scenario,
    Session,
    SurgeonWindow,
    UrgencyClass,
)

DAY = dt.date(2024, 4, 16)
FORMULA = ("=", "+", "-", "@", "\t", "\r")
"""What a cell may not start with: a spreadsheet would run it (tab and CR: some do)."""

CASE_IDS = [
    '=HYPERLINK("http://x","y")',
    "+33 6 12",
    "-2+3",
    "@SUM(A1:A9)",
    "'quoted",
    "a,b",
    'say "hi"',
    "line\r\nbreak",
    "lf\nonly",
    "mid\ttab",
]
ROOM_IDS = ["=R1", "@R2,b", "-R3"]
SURGEON_IDS = ["=S1", "+S2", "-S3", "@S4", "'S5"]
PARTNER_ID = "=P1"


def nasty_scenario() -> Scenario:
    """Ten cases with risky ids in three risky rooms; the rooms cannot hold them all on
    the day, and two cases may not wait: one misses its deadline, so ids reach the summary."""
    cases = []
    for k, cid in enumerate(CASE_IDS):
        room = ROOM_IDS[k % 3]
        cases.append(
            Case(
                case_id=cid,
                specialty="gen,eral",
                surgeon_id=SURGEON_IDS[k % len(SURGEON_IDS)],
                duration_min=90,
                urgency="NOW" if k < 2 else "LATER",
                planned_date=DAY,
                planned_room=room,
                planned_start=480 + 120 * (k // 3),
                transferable=k == 9,
            )
        )
    urgency = {
        "NOW": UrgencyClass(name="NOW", max_delay_days=0, weight=100.0),
        "LATER": UrgencyClass(name="LATER", max_delay_days=None, weight=1.0),
    }
    return Scenario(
        cases=tuple(cases),
        rooms=tuple(Room(room_id=r) for r in ROOM_IDS),
        sessions=(
            # one room only, and only for one 90-minute case: the other "NOW" case misses
            Session(date=DAY, room_id="=R1", start=480, end=600),
            Session(date=DAY + dt.timedelta(days=1), room_id="@R2,b", start=480, end=1080),
            Session(date=DAY + dt.timedelta(days=2), room_id="-R3", start=480, end=1080),
        ),
        surgeon_windows=tuple(
            SurgeonWindow(surgeon_id=s, date=DAY + dt.timedelta(days=n), start=420, end=1200)
            for s in SURGEON_IDS
            for n in range(3)
        ),
        partners=(
            PartnerCapacity(
                partner_id=PARTNER_ID,
                date=DAY + dt.timedelta(days=1),
                specialty="gen,eral",
                capacity=1,
            ),
        ),
        policy=Policy(start_date=DAY, end_date=DAY + dt.timedelta(days=2), urgency=urgency),
    )

"""Hypothesis strategies that build small, valid scenarios using every feature of the contract."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from optimizer.scenario.schema import (
    Case,
    PartnerCapacity,
    Policy,
    ResourceCapacity,
    Room,
    Scenario,
    Session,
    SurgeonWindow,
    Unavailability,
)

START = dt.date(2024, 4, 15)
SPECIALTIES = ("ortho", "uro", "gen")
CLASSES = ("EMERGENCY", "P1a", "P1b", "P2", "P3", "P4")


@st.composite
def scenarios(draw: st.DrawFn, max_cases: int = 10, features: bool = True) -> Scenario:
    """A random valid scenario: 1-3 rooms, 1-4 days, up to ``max_cases`` cases."""
    n_days = draw(st.integers(1, 4))
    dates = [START + dt.timedelta(days=k) for k in range(n_days)]
    n_rooms = draw(st.integers(1, 3))
    rooms = []
    for r in range(n_rooms):
        specs = draw(st.sets(st.sampled_from(SPECIALTIES), max_size=2))
        equip = {"robot"} if features and draw(st.booleans()) and r == 0 else set()
        rooms.append(
            Room(room_id=f"R{r}", specialties=frozenset(specs), equipment=frozenset(equip))
        )
    sessions = []
    for d in dates:
        for room in rooms:
            if draw(st.integers(0, 3)) == 0:
                continue  # closed
            start = draw(st.sampled_from([420, 480, 510]))
            end = start + draw(st.sampled_from([180, 240, 360, 480]))
            block = None
            if features and room.specialties and draw(st.integers(0, 4)) == 0:
                block = sorted(room.specialties)[0]
            sessions.append(
                Session(date=d, room_id=room.room_id, start=start, end=end, specialty=block)
            )
    surgeons = [f"S{k}" for k in range(draw(st.integers(1, 3)))]
    windows = []
    if features and draw(st.booleans()):
        for s in surgeons[:1]:
            for d in dates:
                if draw(st.booleans()):
                    a = draw(st.sampled_from([420, 480, 600]))
                    windows.append(
                        SurgeonWindow(
                            surgeon_id=s,
                            date=d,
                            start=a,
                            end=a + draw(st.sampled_from([120, 240, 600])),
                        )
                    )
    resources = []
    pools = set()
    if features and draw(st.booleans()):
        for d in dates:
            if draw(st.booleans()):
                resources.append(
                    ResourceCapacity(
                        date=d, resource="anaesthetist", capacity=draw(st.integers(0, 2))
                    )
                )
            if draw(st.booleans()):
                resources.append(
                    ResourceCapacity(date=d, resource="icu_bed", capacity=draw(st.integers(0, 2)))
                )
            if draw(st.booleans()):
                resources.append(
                    ResourceCapacity(date=d, resource="c_arm", capacity=draw(st.integers(0, 1)))
                )
                pools.add("c_arm")
    partners = []
    if features and draw(st.booleans()):
        for d in dates[:2]:
            partners.append(
                PartnerCapacity(
                    partner_id="CHU",
                    date=d,
                    specialty=draw(st.sampled_from(SPECIALTIES)),
                    capacity=draw(st.integers(0, 2)),
                )
            )
    fixed = {e for r in rooms for e in r.equipment}
    cases = []
    for k in range(draw(st.integers(0, max_cases))):
        planned = draw(st.one_of(st.none(), st.sampled_from(dates)))
        if planned is not None and draw(st.integers(0, 9)) == 0:
            planned = dates[-1] + dt.timedelta(days=1)  # after the horizon
        elif planned is not None and draw(st.integers(0, 9)) == 0:
            planned = dates[0] - dt.timedelta(days=2)  # backlog from before the horizon
        release = draw(st.one_of(st.none(), st.sampled_from(dates))) if features else None
        due = None
        if features and draw(st.integers(0, 4)) == 0:
            floor = max(d for d in (planned, release, dates[0]) if d is not None)
            due = draw(
                st.sampled_from([d for d in dates if d >= floor] or [floor + dt.timedelta(days=3)])
            )
        open_rooms = [s for s in sessions if s.date == planned]
        proom = pstart = None
        if planned is not None and open_rooms and draw(st.booleans()):
            s = draw(st.sampled_from(open_rooms))
            proom, pstart = s.room_id, draw(st.sampled_from([s.start, s.start + 60, 600]))
        equip: list[str] = []
        if features and fixed and draw(st.integers(0, 4)) == 0:
            equip.append("robot")
        if features and pools and draw(st.integers(0, 3)) == 0:
            equip.append("c_arm")
        flags = (
            draw(
                st.sets(st.sampled_from(["latex_allergy", "paediatric", "infectious"]), max_size=2)
            )
            if features
            else set()
        )
        cases.append(
            Case(
                case_id=f"c{k}",
                specialty=draw(st.sampled_from(SPECIALTIES)),
                surgeon_id=draw(st.sampled_from(surgeons)),
                duration_min=draw(st.integers(15, 200)),
                urgency=draw(st.sampled_from(CLASSES)),
                planned_date=planned,
                planned_room=proom,
                planned_start=pstart,
                release_date=release,
                due_date=due,
                equipment=tuple(equip),
                anaesthesia=draw(st.sampled_from(["general", "regional", "local"])),
                needs_icu=features and draw(st.integers(0, 3)) == 0,
                transferable=features and draw(st.booleans()),
                pinned=False,
                flags=frozenset(flags),
            )
        )
    # at most one pinned case: the first planned one whose slot fits its open session
    for idx, c in enumerate(cases):
        s_key = {(s.date, s.room_id): s for s in sessions}
        if c.planned_room and c.planned_start is not None and draw(st.booleans()):
            s = s_key.get((c.planned_date, c.planned_room))  # type: ignore[arg-type]
            room = next(r for r in rooms if r.room_id == c.planned_room)
            surgeon_free = not any(
                w.surgeon_id == c.surgeon_id and w.date == c.planned_date for w in windows
            ) and not any(w.surgeon_id == c.surgeon_id for w in windows)
            plain = (
                not c.equipment
                and c.anaesthesia == "local"
                and not c.needs_icu
                and (c.release_date is None or c.release_date <= c.planned_date)
            )
            if (
                s
                and s.start <= c.planned_start
                and c.planned_start + c.duration_min <= s.end
                and room.hosts(c.specialty)
                and s.specialty in (None, c.specialty)
                and surgeon_free
                and plain
            ):
                cases[idx] = c.model_copy(update={"pinned": True})
                break
    # patients' availability and waiting time: some away a few dates, some listed long ago
    unavailable: list[Unavailability] = []
    if features and draw(st.integers(0, 2)) == 0:
        for idx, c in enumerate(cases):
            if draw(st.integers(0, 2)) == 0:
                first = draw(st.sampled_from(dates))
                last = draw(st.sampled_from([d for d in dates if d >= first]))
                if not (c.pinned and c.planned_date and first <= c.planned_date <= last):
                    unavailable.append(Unavailability(case_id=c.case_id, from_date=first,
                                                      to_date=last))  # fmt: skip
            if draw(st.integers(0, 2)) == 0:
                base = c.planned_date or dates[0]
                days = draw(st.integers(0, 400))
                cases[idx] = cases[idx].model_copy(
                    update={"listed_date": base - dt.timedelta(days=days)}
                )
    return Scenario(
        cases=tuple(cases),
        rooms=tuple(rooms),
        sessions=tuple(sessions),
        surgeon_windows=tuple(windows),
        resources=tuple(resources),
        partners=tuple(partners),
        unavailable=tuple(unavailable),
        policy=Policy(
            start_date=dates[0],
            end_date=dates[-1],
            target_ratio=draw(st.sampled_from([0.5, 0.9, 1.0])),
            turnover_min=draw(st.sampled_from([0, 15, 30])),
            level3=draw(st.sampled_from(["count", "count", "weighted"])),
            waiting_notice_days=draw(st.sampled_from([0, 0, 1])) if features else 0,
        ),
        name="random",
    )


@st.composite
def realistic_scenarios(draw: st.DrawFn, max_cases: int = 8) -> Scenario:
    """:func:`scenarios` with the realism rules: ICU and ward stays, bed rows (some past the
    horizon), one anaesthetist for several rooms, inductions."""
    base = draw(scenarios(max_cases=max_cases))
    dates = base.policy.dates
    cases = []
    for c in base.cases:
        update: dict[str, int] = {}
        if c.needs_icu and not c.pinned and draw(st.booleans()):
            update["icu_days"] = draw(st.integers(1, 3))
        if not c.pinned and draw(st.integers(0, 2)) == 0:
            update["ward_days"] = draw(st.integers(0, 3))
        if c.needs_anaesthetist and not c.pinned and draw(st.booleans()):
            update["induction_min"] = draw(st.integers(0, min(c.duration_min, 45)))
        cases.append(c.model_copy(update=update) if update else c)
    rows = [r for r in base.resources if r.resource != "icu_bed"]
    for k in range(len(dates) + 2):  # two dates past the horizon
        d = dates[0] + dt.timedelta(days=k)
        for bed in ("icu_bed", "ward_bed"):
            if draw(st.integers(0, 2)) == 0:
                rows.append(
                    ResourceCapacity(date=d, resource=bed, capacity=draw(st.integers(0, 3)))
                )
    rows.sort(key=lambda r: (r.date, r.resource))  # sorted, one row per (resource, date)
    unique = {(r.resource, r.date): r for r in rows}
    policy = base.policy.model_copy(update={"anaesthetist_rooms": draw(st.integers(1, 3))})
    return Scenario(
        cases=tuple(Case.model_validate(c.model_dump()) for c in cases),
        rooms=base.rooms,
        sessions=base.sessions,
        surgeon_windows=base.surgeon_windows,
        resources=tuple(unique.values()),
        partners=base.partners,
        policy=Policy.model_validate(policy.model_dump()),
        name="random realistic",
    )

"""The generator builds a plan that obeys the contract; the disruption only removes capacity."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer.clock import format_time
from optimizer.generate import generate, undisrupted_folder, working_days, write_generated
from optimizer.generate.disrupt import disrupt
from optimizer.result.result import CONTRACT_COLUMNS
from optimizer.scenario import Case, Scenario, load_scenario
from tests.support.paths import DATA

DEMO_COMMAND = [
    "--rooms",
    "11",
    "--days",
    "10",
    "--cases-per-day",
    "30",
    "--seed",
    "0",
    "--start-date",
    "2024-04-15",
    "--attack-day",
    "1",
    "--stays",
    "--anaesthetist-rooms",
    "2",
]


def _end(c: Case) -> int:
    assert c.planned_start is not None
    return c.planned_start + c.duration_min


def _peak(spans: list[tuple[int, int]]) -> int:
    """Most spans [start, end) open at one moment."""
    events = sorted([(a, 1) for a, _ in spans] + [(b, -1) for _, b in spans])
    running = peak = 0
    for _, step in events:
        running += step
        peak = max(peak, running)
    return peak


def plan_violations(s: Scenario) -> list[str]:
    """Every way the planned cases, each kept at its planned slot, break the contract.

    Written from the contract's rules alone (no helper of the package is used),
    so that the generator cannot pass by sharing a mistake with its test.
    """
    out: list[str] = []
    turnover = s.policy.turnover_min
    rooms = {r.room_id: r for r in s.rooms}
    sessions = {(x.date, x.room_id): x for x in s.sessions}
    fixed = {e for r in s.rooms for e in r.equipment}
    planned = [c for c in s.cases if c.planned_date is not None]
    by_room: dict[tuple[dt.date, str], list[Case]] = defaultdict(list)
    by_surgeon: dict[tuple[dt.date, str], list[Case]] = defaultdict(list)
    by_date: dict[dt.date, list[Case]] = defaultdict(list)
    for c in planned:
        assert c.planned_date is not None and c.planned_room is not None
        if c.planned_start is None:
            out.append(f"{c.case_id}: planned without a start")
            continue
        if not s.policy.start_date <= c.planned_date <= s.policy.end_date:
            out.append(f"{c.case_id}: planned outside the horizon")
        by_room[c.planned_date, c.planned_room].append(c)
        by_surgeon[c.planned_date, c.surgeon_id].append(c)
        by_date[c.planned_date].append(c)
        sess = sessions.get((c.planned_date, c.planned_room))
        if sess is None:
            out.append(f"{c.case_id}: no session in its room that date")
        elif not (sess.start <= c.planned_start and _end(c) <= sess.end):
            out.append(f"{c.case_id}: outside its session")
        elif sess.specialty is not None and sess.specialty != c.specialty:
            out.append(f"{c.case_id}: session blocked to {sess.specialty}")
        room = rooms[c.planned_room]
        if room.specialties and c.specialty not in room.specialties:
            out.append(f"{c.case_id}: room does not host {c.specialty}")
        for e in c.equipment:
            if e in fixed and e not in room.equipment:
                out.append(f"{c.case_id}: room lacks {e}")
        if c.release_date is not None and c.release_date > c.planned_date:
            out.append(f"{c.case_id}: planned before its release date")
        if c.due_date is not None and c.due_date < c.planned_date:
            out.append(f"{c.case_id}: planned after its due date")
    for key, cs in by_room.items():
        cs = sorted(cs, key=lambda c: c.planned_start or 0)
        for a, b in zip(cs, cs[1:], strict=False):
            assert b.planned_start is not None
            if b.planned_start < _end(a) + turnover:
                out.append(f"{a.case_id}, {b.case_id}: no turnover between them in {key}")
        rank = [
            0 if "latex_allergy" in c.flags else 1 if "paediatric" in c.flags else 2 for c in cs
        ]
        infectious = ["infectious" in c.flags for c in cs]
        if rank != sorted(rank) or any(
            x and not y for x, y in zip(infectious, infectious[1:], strict=False)
        ):
            out.append(f"{key}: flags out of order")
    windows: dict[tuple[dt.date, str], list[tuple[int, int]]] = defaultdict(list)
    for w in s.surgeon_windows:
        windows[w.date, w.surgeon_id].append((w.start, w.end))
    listed = {w.surgeon_id for w in s.surgeon_windows}
    for (d, sid), cs in by_surgeon.items():
        if _peak([(c.planned_start or 0, _end(c)) for c in cs]) > 1:
            out.append(f"surgeon {sid} overlaps on {d}")
        if sid in listed:
            for c in cs:
                if not any(
                    a <= (c.planned_start or 0) and _end(c) <= b for a, b in windows[d, sid]
                ):
                    out.append(f"{c.case_id}: outside the windows of {sid}")
    cap = {(r.date, r.resource): r.capacity for r in s.resources}
    pools = {r.resource for r in s.resources} - {"anaesthetist", "icu_bed"}
    for d, cs in by_date.items():
        need = {"anaesthetist": [c for c in cs if c.anaesthesia != "local"]}
        need |= {p: [c for c in cs if p in c.equipment] for p in pools}
        for name, users in need.items():
            limit = cap.get((d, name))
            if (
                limit is not None
                and _peak([(c.planned_start or 0, _end(c)) for c in users]) > limit
            ):
                out.append(f"{name} above capacity on {d}")
        icu = cap.get((d, "icu_bed"))
        if icu is not None and sum(c.needs_icu for c in cs) > icu:
            out.append(f"icu_bed above capacity on {d}")
    return out


def plan_schedule(s: Scenario) -> pd.DataFrame:
    """The original plan as a schedule: planned cases kept, waiting cases unscheduled."""
    rows = []
    for c in s.cases:
        if c.planned_date is None:
            rows.append([c.case_id, "unscheduled", "", "", "", "", "", "", "on the waiting list"])
        else:
            rows.append(
                [
                    c.case_id,
                    "kept",
                    c.planned_date.isoformat(),
                    c.planned_room or "",
                    format_time(c.planned_start or 0),
                    format_time(_end(c)),
                    "",
                    "0",
                    "",
                ]
            )
    return pd.DataFrame(rows, columns=list(CONTRACT_COLUMNS), dtype=str)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _same(a: Scenario, b: Scenario) -> bool:
    """Equal as data: the name, hash and warnings come from the folder, not the content."""
    skip = {"name", "input_hash", "warnings"}
    return all(getattr(a, f) == getattr(b, f) for f in Scenario.model_fields if f not in skip)


def test_default_plan_obeys_the_contract() -> None:
    """The full-capacity plan of the default scenario breaks none of the contract's rules."""
    gen = generate()
    assert plan_violations(gen.plan) == []
    planned = [c for c in gen.plan.cases if c.planned_date is not None]
    assert 0.9 * 300 <= len(planned) <= 1.1 * 300  # about 30 cases a day over 10 days
    assert any(c.pinned for c in planned) and any(c.planned_date is None for c in gen.plan.cases)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"rooms": 3, "days": 4, "cases_per_day": 12, "seed": 5},
        {"rooms": 20, "days": 6, "cases_per_day": 160, "seed": 2},  # crowded: rooms packed full
        {
            "surgeon_windows": False,
            "blocks": False,
            "resources": False,
            "partners": False,
            "flags": False,
            "seed": 7,
        },
        {"start_date": dt.date(2024, 4, 20), "days": 7, "seed": 1, "pinned_fraction": 0.5},
    ],
)
def test_plan_obeys_the_contract_under_every_option(kwargs: dict[str, object]) -> None:
    """Small, crowded, bare and heavily pinned variants all give a valid plan."""
    gen = generate(**kwargs)  # type: ignore[arg-type]
    assert plan_violations(gen.plan) == []
    if not kwargs.get("resources", True):  # no pools to draw on, so no case needs one
        assert gen.plan.resources == ()
        assert {e for c in gen.plan.cases for e in c.equipment} <= {"robot", "laminar_flow"}
    assert gen.plan.policy.start_date.weekday() == 0  # a Saturday start moves to Monday


def test_plan_passes_the_independent_checker() -> None:
    """The checker passes the plan kept as planned, and sees the attack's damage to it."""
    from optimizer.check import check_schedule

    gen = generate(seed=3)
    schedule = plan_schedule(gen.plan)
    assert check_schedule(gen.plan, schedule) == []
    # The same schedule on the disrupted scenario uses closed rooms (rule 2).
    broken = check_schedule(gen.disrupted, schedule)
    assert any(v.rule == "2" for v in broken)


def test_same_seed_same_files_other_seed_other_files(tmp_path: Path) -> None:
    """Same arguments and seed give the same bytes; another seed another scenario."""
    for name, seed in (("a", 4), ("b", 4), ("c", 5)):
        write_generated(generate(seed=seed, days=5), tmp_path / name)
    for sub in ("", "_undisrupted"):
        a, b, c = (_files(tmp_path / (n + sub)) for n in "abc")
        assert a == b
        assert a["cases.csv"] != c["cases.csv"]
    assert set(a) == {
        "cases.csv",
        "rooms.csv",
        "sessions.csv",
        "surgeons.csv",
        "resources.csv",
        "partners.csv",
        "unavailable.csv",
        "policy.toml",
    }


def test_written_scenarios_load_back_unchanged(tmp_path: Path) -> None:
    """Both written folders load back equal to the generated scenarios, without warnings."""
    gen = generate(seed=1)
    written = write_generated(gen, tmp_path / "s")
    assert written == [tmp_path / "s", undisrupted_folder(tmp_path / "s")]
    disrupted, plan = (load_scenario(p) for p in written)
    assert _same(disrupted, gen.disrupted) and _same(plan, gen.plan)
    assert disrupted.warnings == () and plan.warnings == ()


def test_no_disruption_writes_the_plan_only(tmp_path: Path) -> None:
    """Without disruption the scenario to solve is the plan itself, in one folder."""
    gen = generate(days=3, disruption=False)
    assert gen.disrupted is gen.plan and not gen.is_disrupted
    assert write_generated(gen, tmp_path / "p") == [tmp_path / "p"]
    assert not undisrupted_folder(tmp_path / "p").exists()


def test_generated_disruption_matches_the_story() -> None:
    """The attack closes about a third of sessions for two days, fewer after, and anaesthetists."""
    gen = generate()
    days = working_days(dt.date(2024, 4, 15), 10)
    per_day = {d: sum(s.date == d for s in gen.disrupted.sessions) for d in days}
    assert per_day[days[0]] == 11  # Monday, before the attack
    assert per_day[days[1]] == per_day[days[2]] == 7  # 4 of 11 closed
    assert all(7 < per_day[d] < 11 for d in days[3:6])  # partial recovery
    assert all(per_day[d] == 11 for d in days[6:])
    assert gen.attack_dates == (days[1], days[2])
    before = {(r.date, r.resource): r.capacity for r in gen.plan.resources}
    after = {(r.date, r.resource): r.capacity for r in gen.disrupted.resources}
    assert after[days[1], "anaesthetist"] < before[days[1], "anaesthetist"]
    assert after[days[0], "anaesthetist"] == before[days[0], "anaesthetist"]
    assert gen.disrupted.cases == gen.plan.cases
    assert all(
        c.transferable for c in gen.plan.cases if c.specialty == "neurovascular" and not c.pinned
    )
    assert {p.partner_id for p in gen.plan.partners if p.specialty == "neurovascular"} == {
        "CHU_Nice"
    }


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    fraction=st.floats(0.0, 1.0),
    pinned=st.floats(0.0, 0.6),
    loss=st.integers(0, 30),
    attack=st.integers(0, 4),
)
def test_disruption_never_closes_a_pinned_session(
    seed: int, fraction: float, pinned: float, loss: int, attack: int
) -> None:
    """Whatever the seed and severity, pinned cases keep their session and their anaesthetists."""
    plan = generate(
        rooms=5, days=5, cases_per_day=15, seed=seed, pinned_fraction=pinned, disruption=False
    ).plan
    d0 = plan.policy.start_date + dt.timedelta(days=attack)
    hit = disrupt(
        plan,
        attack_date=d0,
        closed_fraction=fraction,
        recovery_fraction=fraction,
        anaesthetist_loss=loss,
        seed=seed,
    )
    open_ = {(s.date, s.room_id) for s in hit.sessions}
    pinned_cases = [c for c in hit.cases if c.pinned]
    assert all((c.planned_date, c.planned_room) in open_ for c in pinned_cases)
    # Kept as planned, the pinned cases alone still obey every rule.
    only_pinned = Scenario(
        **{**{f: getattr(hit, f) for f in Scenario.model_fields}, "cases": tuple(pinned_cases),
           "unavailable": ()}
    )  # fmt: skip
    assert plan_violations(only_pinned) == []
    # Capacity only goes down, and only from the attack date on.
    assert open_ <= {(s.date, s.room_id) for s in plan.sessions}
    assert all(s.date >= d0 for s in plan.sessions if (s.date, s.room_id) not in open_)


def test_disruption_closes_the_rounded_fraction_by_seed() -> None:
    """With nothing pinned, exactly round(fraction x sessions) close; the seed picks which."""
    plan = generate(rooms=9, days=6, pinned_fraction=0.0, disruption=False).plan
    d0 = plan.policy.start_date
    open_days = working_days(d0, 6)
    hit = disrupt(
        plan,
        attack_date=d0,
        closed_fraction=1 / 3,
        attack_days=2,
        recovery_fraction=1 / 9,
        recovery_days=2,
        seed=1,
    )
    per_day = [sum(s.date == d for s in hit.sessions) for d in open_days]
    assert per_day == [6, 6, 8, 8, 9, 9]
    closed = {
        d: {s.room_id for s in plan.sessions if s.date == d}
        - {s.room_id for s in hit.sessions if s.date == d}
        for d in open_days
    }
    # The rooms down on the first day stay down; the recovery reopens them gradually.
    assert closed[open_days[0]] == closed[open_days[1]] >= closed[open_days[2]]
    same = disrupt(
        plan, attack_date=d0, attack_days=2, recovery_fraction=1 / 9, recovery_days=2, seed=1
    )
    other = [disrupt(plan, attack_date=d0, seed=k).sessions for k in range(2, 6)]
    assert same.sessions == hit.sessions
    assert any(o != hit.sessions for o in other)


def test_disruption_of_a_bare_scenario_and_bad_arguments() -> None:
    """A scenario without resources or windows is disrupted too; nonsense severities are refused."""
    plan = generate(
        days=3, surgeon_windows=False, resources=False, partners=False, disruption=False
    ).plan
    hit = disrupt(plan, attack_date=plan.policy.start_date, anaesthetist_loss=3)
    assert hit.resources == () and len(hit.sessions) < len(plan.sessions)
    with pytest.raises(ValueError, match="closed_fraction"):
        disrupt(plan, attack_date=plan.policy.start_date, closed_fraction=1.5)
    with pytest.raises(ValueError, match="attack_days"):
        disrupt(plan, attack_date=plan.policy.start_date, attack_days=-1)


def test_large_suite_generates() -> None:
    """60 rooms, 20 working days, 250 cases a day: a valid plan of about 5000 cases."""
    gen = generate(rooms=60, days=20, cases_per_day=250, seed=0)
    planned = sum(c.planned_date is not None for c in gen.plan.cases)
    assert 0.9 * 5000 <= planned <= 1.1 * 5000
    assert plan_violations(gen.plan) == []


def test_demo_folders_validate_and_are_reproduced(tmp_path: Path) -> None:
    """data/cannes_demo* validate and the command in data/README.md rebuilds them byte for byte."""
    for name in ("cannes_demo", "cannes_demo_undisrupted"):
        assert load_scenario(DATA / name).warnings == ()
    r = subprocess.run(
        [sys.executable, "-m", "optimizer", "validate", str(DATA / "cannes_demo")],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    readme = " ".join((DATA / "README.md").read_text().replace("\\\n", " ").split())
    assert " ".join(["generate", "data/cannes_demo", *DEMO_COMMAND]) in readme
    out = tmp_path / "cannes_demo"
    r = subprocess.run(
        [sys.executable, "-m", "optimizer", "generate", str(out), *DEMO_COMMAND],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    for name in ("cannes_demo", "cannes_demo_undisrupted"):
        assert _files(tmp_path / name) == _files(DATA / name)


def test_cli_refuses_a_non_empty_folder_unless_forced(tmp_path: Path) -> None:
    """An existing non-empty output folder is refused (exit 2); --force replaces its files."""
    out = tmp_path / "g"
    out.mkdir()
    (out / "surgeons.csv").write_text("stale")
    args = [
        sys.executable,
        "-m",
        "optimizer",
        "generate",
        str(out),
        "--days",
        "2",
        "--no-surgeon-windows",
    ]
    r = subprocess.run(args, capture_output=True, text=True)
    assert r.returncode == 2 and "not empty" in r.stderr and "Traceback" not in r.stderr
    r = subprocess.run([*args, "--force"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert not (out / "surgeons.csv").exists()  # the stale file does not linger
    load_scenario(out)

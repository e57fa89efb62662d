"""solve with the policy's levers: overtime used only when allowed (and paid for right after
the shortfall), the emergency reserve kept per date and per specialty; every schedule passes
the independent checker, which enforces both rules itself."""

from __future__ import annotations

from optimizer.check import check_schedule
from optimizer.cli.summary import summary_text
from optimizer.search import solve
from tests.support.whatif_fixtures import D1, FAST, level, one_room_day


def kept_on_d1(result) -> int:
    return next(d["kept"] for d in result.summary["dates"] if d["date"] == D1.isoformat())


def passes(result) -> None:
    assert result.violations == ()
    assert check_schedule(result.scenario, result.schedule, result.summary) == []


def test_no_overtime_unless_the_policy_allows_it() -> None:
    """Four 60 min cases, R1 08:00-12:00, target 100 %: three fit; 90 min of overtime
    keeps the fourth (12:30-13:30)."""
    plain = solve(one_room_day(4, target=1.0), **FAST)
    assert kept_on_d1(plain) == 3 and "overtime" not in plain.summary
    over = solve(one_room_day(4, target=1.0, overtime_max_min=90), **FAST)
    assert kept_on_d1(over) == 4
    assert over.summary["overtime"]["used"] == [
        {"date": D1.isoformat(), "room_id": "R1", "minutes": 90}
    ]
    assert level(over, "overtime cost") == 90.0  # default cost: 1 a minute
    assert any("Overtime used" in line and "R1 on 16/04 90 min" in line
               for line in summary_text(over))  # fmt: skip
    passes(plain)
    passes(over)


def test_paid_overtime_only_reaches_the_target_free_overtime_keeps_more() -> None:
    """Target 50 %: two of four suffice, three fit without overtime. Paid overtime comes
    right after the shortfall, so none is used; free overtime keeps the fourth case too."""
    paid = solve(one_room_day(4, target=0.5, overtime_max_min=90), **FAST)
    assert kept_on_d1(paid) == 3 and paid.summary["overtime"]["total_min"] == 0
    free = solve(
        one_room_day(4, target=0.5, overtime_max_min=90, overtime_cost_per_min=0.0), **FAST
    )
    assert kept_on_d1(free) == 4 and free.summary["overtime"]["total_min"] == 90
    assert not any(lv.name == "overtime cost" for lv in free.levels)
    passes(paid)
    passes(free)


def test_the_reserve_is_kept_free_of_elective_cases() -> None:
    """Three cases fit R1 on D1 (240 min); a 120 min reserve leaves 120 for electives: one
    case (60 + 30 turnover) goes ahead, the others move to D2 (480 min, 360 for electives)."""
    sc = one_room_day(3, target=0.0, reserve_min=120)
    result = solve(sc, **FAST)
    assert kept_on_d1(result) == 1
    reserve = result.summary["reserve"]
    assert [(r["date"], r["elective_min"], r["free_min"], r["kept"]) for r in reserve] == [
        ("2024-04-16", 90, 150, True),
        ("2024-04-17", 180, 300, True),
    ]
    assert any("Emergency reserve kept" in line for line in summary_text(result))
    postponed = [r for r in result.rows if r.status == "postponed"]
    assert len(postponed) == 2
    assert all("emergency reserve (120 min) is kept free on 16/04" in r.reason for r in postponed)
    passes(result)


def test_an_emergency_may_use_the_reserve() -> None:
    """The same, the third case an emergency (no delay allowed): it goes ahead in the
    reserve, beside the one elective case that fits."""
    sc = one_room_day(3, target=0.0, reserve_min=120)
    cases = list(sc.cases)
    cases[2] = cases[2].model_copy(update={"urgency": "emergency"})
    sc = sc.model_copy(update={"cases": tuple(cases)})
    result = solve(sc, **FAST)
    rows = {r.case_id: r for r in result.rows}
    assert rows["C2"].status == "kept" and kept_on_d1(result) == 2
    passes(result)


def test_a_reserve_per_specialty() -> None:
    """A reserve for ``gen`` counts the sessions that host it (every room here)."""
    result = solve(one_room_day(3, target=0.0, reserve={"gen": 120}), **FAST)
    assert kept_on_d1(result) == 1
    assert {r["specialty"] for r in result.summary["reserve"]} == {"gen"}
    passes(result)


def test_solve_never_uses_extra_sessions() -> None:
    """The same schedule with or without extra sessions on offer: solve plans with the
    capacity it has; only whatif may take them."""
    from tests.support.whatif_fixtures import extra

    bare = solve(one_room_day(5), **FAST)
    offered = solve(one_room_day(5, extras=(extra("R2", D1, "08:00", "12:00", 0.0),)), **FAST)
    assert offered.rows == bare.rows and kept_on_d1(offered) == 3
    assert "extra_sessions_added" not in offered.summary
    passes(offered)


def test_the_report_shows_the_levers(tmp_path) -> None:
    """The printed report lists the overtime used per room and date and the reserve kept,
    in English and in French."""
    from optimizer.report import write_report
    from optimizer.result.output import write_result

    over = solve(one_room_day(4, target=1.0, overtime_max_min=90), **FAST)
    folder = write_result(over, tmp_path / "over")
    html = write_report(folder, "en").read_text(encoding="utf-8")
    assert "Overtime and emergency reserve" in html and "R1 on 16/04 90 min" in html
    assert "R1 le 16/04 90 min" in write_report(folder, "fr").read_text(encoding="utf-8")
    kept = solve(one_room_day(3, reserve_min=30), **FAST)
    html = write_report(write_result(kept, tmp_path / "kept"), "en").read_text(encoding="utf-8")
    assert "Emergency reserve kept on every date: 30 min across all sessions" in html

"""The cause checker runs on every result and reads ids as facts: an id may hold commas,
spaces, quotes, tabs or semicolons, and a valid schedule is never refused for it.

Until issue 19 it read the cases a reason names by splitting the text at punctuation, so
a blocker called ``a,b`` was "not named" and it could not run on every written result.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

from optimizer import solve
from optimizer.check import check_schedule
from optimizer.check.cause_facts import named_cases, split_known
from optimizer.cli import cli
from optimizer.scenario import write_scenario
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session

D1 = dt.date(2024, 4, 15)
COMMA = "a,b"  # the id the checker used to cut in two
ODD = ["+33 6 12", 'say "hi"', "mid\ttab", "x;y"]


def test_blocking_cells_are_cut_only_where_known_ids_end() -> None:
    """``;`` joins the ids of ``blocking``; an id holding ``;`` is still read whole."""
    known = frozenset({"x;y", "z", "x", COMMA})
    assert split_known("x;y;z", known) == ("x;y", "z")
    assert split_known(f"z;{COMMA};x", known) == ("z", COMMA, "x")
    assert split_known("", known) == ()
    assert split_known("nobody;z", known) == ("nobody", "z")  # unknown: cut at every ;


def test_the_cases_a_reason_names_are_found_whole() -> None:
    """A case is named as ``<id> (<class>, <note>)``: found whole whatever it holds; an id
    inside another id, or not followed by its class, is not a naming."""
    text = (
        "R1 on 15/04 is taken from 08:00 by more urgent cases: a,b (P1a, kept as planned), "
        '+33 6 12 (P2, moved) and say "hi" (P1b, kept as planned); mid\ttab went elsewhere; '
        "x;y (P3, postponed from 15/04)"
    )
    found = [cid for _, cid in named_cases(text, [COMMA, "b", "12", *ODD])]
    assert found == [COMMA, "+33 6 12", 'say "hi"', "x;y"]


def _scenario(blocker: str, blocker_class: str) -> Scenario:
    """One room open 08:00-09:00 on both dates: two one-hour cases planned at 08:00 on the
    first. One is kept; the other, ``LATE`` (P4), is postponed, blocked by ``blocker``."""
    sessions = tuple(Session(date=D1 + dt.timedelta(days=k), room_id="R1", start=480, end=540)
                     for k in (0, 1))  # fmt: skip
    cases = (_planned(blocker, blocker_class, "S0"), _planned("LATE", "P4", "S1"))
    policy = Policy(start_date=D1, end_date=D1 + dt.timedelta(days=1), turnover_min=0)
    return Scenario(cases=cases, rooms=(Room(room_id="R1"),), sessions=sessions, policy=policy)


def _planned(cid: str, urgency: str, surgeon: str) -> Case:
    return Case(case_id=cid, specialty="gen", surgeon_id=surgeon, duration_min=60,
                urgency=urgency, planned_date=D1, planned_room="R1", planned_start=480)  # fmt: skip


def _late_row(schedule: pd.DataFrame) -> dict[str, Any]:
    [row] = schedule[schedule["case_id"] == "LATE"].to_dict("records")
    return row


@pytest.mark.parametrize("blocker", [COMMA, *ODD])
def test_a_blocker_with_an_odd_id_passes_the_checker_that_every_result_meets(
    blocker: str,
) -> None:
    """The more urgent blocker's id holds a comma (a space, quotes, a tab, a semicolon):
    the result is valid, and the checker every result meets (causes included) says so."""
    sc = _scenario(blocker, "P1a")
    result = solve(sc, time_limit=5, work_limit=1, workers=1)
    row = _late_row(result.schedule)
    assert row["status"] == "postponed" and row["blocking"] == blocker
    assert f"more urgent cases: {blocker} (" in row["reason"]
    assert result.violations == ()
    assert check_schedule(sc, result.schedule, result.summary) == []


def test_a_false_cause_about_a_comma_id_is_a_broken_rule() -> None:
    """The same schedule with its blocker less urgent than said, or another blocker than
    the one in the way: each is a ``cause`` violation naming the postponed case."""
    sc = _scenario(COMMA, "P1a")
    schedule = solve(sc, time_limit=5, work_limit=1, workers=1).schedule
    equal = _scenario(COMMA, "P4")  # the blocker as urgent as LATE: "more urgent" is false
    [wrong] = check_schedule(equal, schedule)
    assert (wrong.rule, wrong.case_id) == ("cause", "LATE") and COMMA in wrong.message
    other = schedule.copy()
    other.loc[other["case_id"] == "LATE", "blocking"] = "LATE"
    [wrong] = check_schedule(sc, other)
    assert (wrong.rule, wrong.case_id) == ("cause", "LATE")


def _forge_causes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every reason's cause forged to ``no_session``: a result whose causes are false."""
    from optimizer import explain

    real = explain._row

    def forged(finding: Any, reason: Any) -> tuple[str, str, str]:
        cause, blocking, reason = real(finding, reason)
        return ("no_session", "", reason) if cause else (cause, blocking, reason)

    monkeypatch.setattr(explain, "_row", forged)


def test_a_result_whose_cause_is_false_is_refused_as_any_broken_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command refuses a result whose reasons say what is not so as it refuses one
    that breaks a rule: exit status 1, the broken rule listed, nothing written."""
    _forge_causes(monkeypatch)
    folder = write_scenario(_scenario(COMMA, "P1a"), tmp_path / "scenario")
    out = tmp_path / "out"
    args = ["solve", str(folder), "--out", str(out), "-q", "--workers", "1", "--work-limit", "1"]
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 1, res.output
    assert "breaks the contract's rules" in res.output
    assert "rule cause: LATE (no_session): a session hosts it on 2024-04-15" in res.output
    assert not out.exists()


def test_a_refused_schedule_is_said_in_the_command_s_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The refusal's header in French with ``--lang fr`` (it was English whatever the
    language); the rules broken are listed as the checker writes them."""
    _forge_causes(monkeypatch)
    folder = write_scenario(_scenario(COMMA, "P1a"), tmp_path / "scenario")
    out = tmp_path / "out"
    args = ["solve", str(folder), "--out", str(out), "-q", "--workers", "1", "--work-limit", "1",
            "--lang", "fr"]  # fmt: skip
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 1, res.output
    assert "erreur interne : le programme enfreint les règles du contrat" in res.output
    assert "rien n'a été écrit" in res.output and not out.exists()

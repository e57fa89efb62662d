"""Events on a day begun (``replan --now`` with ``--events``): what the events file says of a
case under way does not undo what the day has begun."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import optimizer
from optimizer.cli import cli
from optimizer.replan.command import prepare
from optimizer.replan.done import done_rows
from optimizer.scenario import ScenarioError
from optimizer.scenario.problem_words import message
from optimizer.scenario.schema import ResourceCapacity
from tests.replan.test_replan import D1, D2, SEARCH, hospital, write


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Day 1 as solved: A 08:00, B 09:30, C 11:00 in R1; A needs an ICU bed, the only one."""
    base = hospital()
    cases = tuple(
        c.model_copy(update={"needs_icu": True}) if c.case_id == "A" else c for c in base.cases
    )
    beds = (ResourceCapacity(date=D1, resource="icu_bed", capacity=1),)
    scenario = base.model_copy(update={"cases": cases, "resources": beds})
    result = optimizer.solve(scenario, workers=1, work_limit=1, seed=0)
    return optimizer.write_result(result, tmp_path_factory.mktemp("r") / "day1")


def test_an_unreachable_patient_under_way_stays_where_the_day_began(
    first: Path, tmp_path: Path
) -> None:
    """Re-planned on day 1 at 10:00, A (08:00) is under way; the events say A was
    unreachable. A stays at R1 08:00 (fixed there), as every case under way does, instead
    of losing its slot to the ``now`` rule; its announced slot is the one it knew (the
    planned one)."""
    events = write(tmp_path / "e.csv", "case_id,event,until\nA,unreachable,\n")
    morning = prepare(first, D1, events=events, now=600)
    [a] = [c for c in morning.scenario.cases if c.case_id == "A"]
    assert (a.fixed_date, a.fixed_room, a.fixed_start) == (D1, "R1", 480)
    assert (a.announced_date, a.announced_room, a.announced_start) == (D1, "R1", 480)


def test_a_case_done_on_its_day_under_way_says_where_and_holds_its_bed(
    first: Path, tmp_path: Path
) -> None:
    """Re-planned on day 1 at 10:00, A (begun at 08:00) is reported done: ``done.csv`` says
    where it was operated (R1, 08:00-09:00: it is not a case done before its day), and the
    ICU bed it holds on day 1 is taken from the new scenario's beds."""
    events = write(tmp_path / "e.csv", "case_id,event,until\nA,done,\n")
    morning = prepare(first, D1, events=events, now=600)
    [row] = done_rows(morning.plan.done)
    assert row == ["A", "done", str(D1), "R1", "08:00", "09:00", None, "events"]
    [bed] = [r for r in morning.scenario.resources if r.resource == "icu_bed"]
    assert bed.capacity == 0


def test_a_case_under_way_reported_declined_is_bad_input(first: Path, tmp_path: Path) -> None:
    """Regression: A, begun at 08:00, reported ``declined`` on a re-plan at 10:00 silently lost
    its hold (the patient on the table "refused" the slot and went back to the list). It is
    bad input: the events file's row and column ``event`` are named, saying A is under way
    and what to report instead; the command exits 2 and writes nothing; said in French for
    a French policy."""
    events = write(tmp_path / "e.csv", f"case_id,event,until\nB,confirmed,\nA,declined,{D2}\n")
    with pytest.raises(ScenarioError) as exc:
        prepare(first, D1, events=events, now=600)
    [p] = exc.value.problems
    assert (p.file, p.row, p.column) == (str(events), 3, "event")
    assert p.message == (
        "case A is under way in room R1 since 08:00 (--now 10:00): a patient on the operating "
        "table cannot decline it; report done if it is over, or withdrawn if it was stopped"
    )
    assert message(p.message, "fr") == (
        "l'intervention A est en cours en salle R1 depuis 08:00 (replanification à 10:00) : un "
        "patient sur la table d'opération ne peut pas la refuser ; indiquez « done » (faite) "
        "si elle est terminée, ou « withdrawn » (retirée) si elle a été arrêtée"
    )
    out = tmp_path / "out"
    args = ["replan", str(first), "--today", str(D1), "--now", "10:00", "--events", str(events),
            "--out", str(out), *SEARCH]  # fmt: skip
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 2 and not out.exists()
    assert f"{events}, row 3, column event: case A is under way" in res.output
    # B has not begun at 09:00: its patient may still decline it
    events = write(tmp_path / "e.csv", f"case_id,event,until\nB,declined,{D2}\n")
    [b] = [c for c in prepare(first, D1, events=events, now=540).scenario.cases if c.case_id == "B"]
    assert not b.announced and b.fixed_date is None

"""``export --format fhir`` of a re-planned folder: the Bundle brings a system that comes
back with the original plan (or missed a night) to the folder's state."""

from __future__ import annotations

import zoneinfo
from pathlib import Path

from fhir.resources.R4B.appointment import Appointment
from fhir.resources.R4B.bundle import Bundle

from optimizer.export import export_result
from optimizer.replan.command import replan, write_replanned
from tests.support.export_fixtures import D2, NOW, read_rows


def test_every_planned_case_not_operated_here_is_cancelled(export_folder: Path, tmp_path: Path):
    """Regression (QA exports): the Bundle held only the cases operated here and those
    called in this folder. After a re-plan on 17/04 in which N1's patient declined her
    17/04 slot (no call: she said so) and LONG stayed without a date (called the day
    before, not again), neither was in the Bundle: a scheduling system back from the
    attack with the original plan, or that missed the previous night's Bundle, kept both
    booked in an operating room. Every planned case not operated here is now sent
    ``cancelled``, with its reason."""
    events = tmp_path / "events.csv"
    events.write_text("case_id,event,until\nN1,declined,2024-04-18\n", encoding="utf-8")
    morning, result = replan(export_folder, D2, events=events, workers=1, work_limit=5, seed=0)
    folder = write_replanned(morning, result, tmp_path / "replanned")
    schedule = {r["case_id"]: r for r in read_rows(folder / "schedule.csv")}
    called = {r["case_id"] for r in read_rows(folder / "calls.csv")}
    assert schedule["N1"]["status"] == schedule["LONG"]["status"] == "unscheduled"
    assert not {"N1", "LONG"} & called  # the situation of the bug: nobody is called
    out = tmp_path / "b.json"
    export_result(folder, "fhir", out, now=NOW.replace(tzinfo=zoneinfo.ZoneInfo("Europe/Paris")))
    bundle = Bundle.model_validate_json(out.read_text(encoding="utf-8"))
    sent: dict[str, Appointment] = {}
    for entry in bundle.entry:
        assert isinstance(entry.resource, Appointment)
        sent[entry.resource.identifier[0].value] = entry.resource
    planned = {r["case_id"] for r in read_rows(folder / "scenario" / "cases.csv")
               if r["planned_date"]}  # fmt: skip
    for cid, row in schedule.items():
        if row["status"] in ("kept", "postponed", "scheduled"):
            assert sent[cid].status == "booked", cid
        elif cid in planned or cid in called:
            assert sent[cid].status == "cancelled", cid
            assert sent[cid].cancelationReason.text == row["reason"], cid
    assert {"N1", "LONG"} <= set(sent)
    assert sent["N1"].start is None  # she holds no slot: nothing made up


def test_a_case_planned_after_the_horizon_is_not_cancelled(tmp_path: Path) -> None:
    """A case planned after ``end_date`` is outside the run (``unscheduled``, "outside the
    horizon"): its appointment stands, so the Bundle says nothing of it (sent ``cancelled``
    with the others not operated here, it would have been taken off the systems)."""
    import datetime as dt

    from optimizer import solve
    from optimizer.result.output import write_result
    from tests.support.export_fixtures import export_scenario

    scenario = export_scenario()
    later = scenario.cases[0].model_copy(update={"case_id": "LATER", "pinned": False,
                                    "planned_date": D2 + dt.timedelta(days=7)})  # fmt: skip
    scenario = scenario.model_copy(update={"cases": (*scenario.cases, later)})
    result = solve(scenario, workers=1, work_limit=5, seed=0)
    folder = write_result(result, tmp_path / "r")
    [row] = [r for r in read_rows(folder / "schedule.csv") if r["case_id"] == "LATER"]
    assert row["status"] == "unscheduled"
    out = tmp_path / "b.json"
    export_result(folder, "fhir", out, now=NOW.replace(tzinfo=zoneinfo.ZoneInfo("Europe/Paris")))
    bundle = Bundle.model_validate_json(out.read_text(encoding="utf-8"))
    ids = {e.resource.identifier[0].value for e in bundle.entry}  # type: ignore[union-attr]
    assert "LATER" not in ids and "LONG" in ids

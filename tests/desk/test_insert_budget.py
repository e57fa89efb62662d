"""The desk's urgent case: option 1's reasons are budgeted as ``insert``'s command budgets
them (before: every reason in full, however long, past the run's limit)."""

from __future__ import annotations

from typing import Any

import pytest

import optimizer.desk.urgent as urgent_module
from optimizer.desk import Desk
from optimizer.explain.budget import ReasonsBudget

from .conftest import TestClient, bearer, wait


def test_option_one_has_the_commands_reasons_budget_and_a_later_pick_none(
    client: TestClient, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Work-limited runs (the desk's tests): option 1's reasons get a count of searches, the
    same on any machine, as ``insert --work-limit`` gives them; an option the planner picks
    later is written with every reason in full (no limit is running then)."""
    budgets: list[ReasonsBudget | None] = []
    chosen = urgent_module.chosen_result

    def spy(*args: Any, **kwargs: Any) -> Any:
        budgets.append(args[4] if len(args) > 4 else kwargs.get("reasons_budget"))
        return chosen(*args, **kwargs)

    monkeypatch.setattr(urgent_module, "chosen_result", spy)
    run_id = client.post("/api/solve", json={}, headers=bearer(desk)).json()["run_id"]
    assert wait(client, desk, run_id)["state"] == "done"
    scenario = desk.workspace.scenario
    assert scenario is not None
    c = scenario.cases[0]
    urgent = {"case_id": "URG01", "specialty": c.specialty, "surgeon_id": c.surgeon_id,
              "duration_min": "45", "urgency": scenario.policy.urgency_order()[0],
              "top": 2}  # fmt: skip
    r = client.post(f"/api/runs/{run_id}/insert", json=urgent, headers=bearer(desk))
    state = wait(client, desk, r.json()["run_id"])
    assert state["state"] == "done", state["message"]
    [first] = budgets
    assert isinstance(first, ReasonsBudget)
    assert first.deadline is None and first.searches is not None
    picked = client.post(f"/api/runs/{state['run_id']}/choose", json={"option": 1},
                         headers=bearer(desk))  # fmt: skip
    assert wait(client, desk, picked.json()["run_id"])["state"] == "done"
    assert budgets[1:] == [None]

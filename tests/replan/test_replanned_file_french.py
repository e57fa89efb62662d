"""A flaw of the re-planned scenario that no file given names (a case carried from the
previous result) is said with the file it is in, in the policy's language: a French list
read "the re-planned cases.csv" (found by the month-long daily-loop pass)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from optimizer.replan import command
from optimizer.scenario import ScenarioError
from optimizer.scenario.errors import InvalidScenario
from optimizer.scenario.flaw import Flaw


@pytest.mark.parametrize(
    ("lang", "said"), [("fr", "le cases.csv replanifié"), ("en", "the re-planned cases.csv")]
)
def test_a_carried_case_s_flaw_names_the_re_planned_file_in_the_policy_s_language(
    monkeypatch: pytest.MonkeyPatch, lang: str, said: str
) -> None:
    flaw = Flaw("cases", 0, "equipment", "c_arm is neither fixed in a room nor a mobile pool")

    def refused(*_: Any, **__: Any) -> None:
        raise InvalidScenario([flaw])

    monkeypatch.setattr(command, "next_morning", refused)
    previous = SimpleNamespace(scenario=SimpleNamespace(policy=SimpleNamespace(language=lang)))
    with pytest.raises(ScenarioError) as caught:
        command._morning(previous, dt.date(2024, 4, 16), None)  # type: ignore[arg-type]
    assert [p.file for p in caught.value.problems] == [said]

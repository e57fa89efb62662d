"""whatif and the curve check their arguments as :func:`optimizer.solve` does: a target out
of range or something other than a scenario is a ``SolveArgumentError`` naming it, before
any search."""

from __future__ import annotations

import pytest

from optimizer import SolveArgumentError
from optimizer.search import SolveOptions
from optimizer.whatif.search import curve, whatif
from tests.support.whatif_fixtures import D1, FAST, extra, one_room_day

LIMITS = SolveOptions(**FAST)


@pytest.mark.parametrize("ask", [whatif, curve], ids=["whatif", "curve"])
@pytest.mark.parametrize("target", [3, -0.1, float("nan")])
def test_a_target_out_of_range_is_named(ask: object, target: float) -> None:
    """Regression: ``whatif(scenario, target=3)`` raised pydantic's ``ValidationError for
    Policy`` (``target_ratio``), where ``solve(scenario, target=3)`` names ``target`` and
    its range, 0 to 1."""
    sc = one_room_day(extras=(extra("R1", D1, "08:00", "15:00", 2),))
    with pytest.raises(SolveArgumentError, match=r"target=.*from 0 to 1"):
        ask(sc, target=target, options=LIMITS)  # type: ignore[operator]


@pytest.mark.parametrize("ask", [whatif, curve], ids=["whatif", "curve"])
def test_a_folder_instead_of_a_scenario_is_named(ask: object) -> None:
    """Regression: a path given for the scenario failed deep inside on a missing attribute."""
    with pytest.raises(SolveArgumentError, match="a Scenario is expected"):
        ask("data/cannes_demo", options=LIMITS)  # type: ignore[operator]

"""``replan``'s morning and time of day from Python, as a notebook gives them: a date, a
datetime or a pandas Timestamp, ISO text; minutes after midnight or ``"HH:MM"``. A value that
is none of these is a ``ScenarioError`` naming the argument, not a ``TypeError`` or a
pydantic ``ValidationError`` from deep inside."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

import optimizer
from optimizer.replan.command import prepare
from optimizer.scenario import ScenarioError
from tests.replan.test_replan import D2, hospital


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = optimizer.solve(hospital(), workers=1, work_limit=2, seed=0)
    return optimizer.write_result(result, tmp_path_factory.mktemp("r") / "day1")


@pytest.mark.parametrize(
    "today",
    [D2.isoformat(), dt.datetime(2024, 4, 17, 9, 0), pd.Timestamp("2024-04-17"), "17/04/2024"],
    ids=["iso", "datetime", "timestamp", "french"],
)
def test_the_morning_as_text_or_a_datetime(first: Path, today: object) -> None:
    """Regression: each raised a bare TypeError comparing it with the horizon's dates
    (``'<' not supported between instances of 'str' and 'datetime.date'``)."""
    morning = prepare(first, today)  # type: ignore[arg-type]
    assert morning.scenario.policy.start_date == D2


@pytest.mark.parametrize(("now", "minutes"), [("10:00", 600), ("08:00:00", 480), (600, 600)])
def test_the_time_of_day_as_text_or_minutes(first: Path, now: object, minutes: int) -> None:
    """Regression: ``now="10:00"`` raised ``'<' not supported between 'int' and 'str'``."""
    morning = prepare(first, D2, now=now)  # type: ignore[arg-type]
    assert morning.scenario.policy.now == minutes


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ({"today": "2024-13-01"}, "--today: '2024-13-01' is not a date of the calendar"),
        ({"today": 20240417}, "--today: '20240417' is not a date of the form YYYY-MM-DD"),
        ({"now": "25:00"}, "--now: '25:00' is not a clock time HH:MM"),
        ({"now": 5000}, "--now: 5000 is not a time of day: give 'HH:MM' or minutes"),
        ({"now": 10.5}, "--now: 10.5 is not a time of day"),
    ],
)
def test_a_bad_morning_or_time_is_named(first: Path, given: dict[str, object], said: str) -> None:
    """Regression: ``now=5000`` or ``now=10.5`` raised pydantic's ``ValidationError for
    Policy``, an integer day a bare TypeError; each is now a ScenarioError naming it."""
    args: dict[str, object] = {"today": D2, **given}
    with pytest.raises(ScenarioError) as err:
        prepare(first, args.pop("today"), **args)  # type: ignore[arg-type]
    assert said in str(err.value)

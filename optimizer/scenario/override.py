"""The planner's overrides: a case operated exactly where the planner says.

Pure edits of a :class:`Scenario` beside :mod:`.edit` and :mod:`.capacity`:
they set or clear the ``cases.csv`` columns ``fixed_date``, ``fixed_room`` and
``fixed_start`` (``planned_date`` and the deadline stay), and the data model
judges the result as it judges a loaded file: the case's own rules, then every
invariant of the scenario (a room with no session that date, a surgeon away,
two held cases overlapping ...), so that a refused override names its problem
and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

from .capacity import parse_day
from .cells import CellError, parse_time
from .edit import DateLike, _day, _room_ids, edit_problem, with_update
from .errors import InvalidScenario, Problem, ScenarioError
from .invariants import scenario_flaws
from .schema import Case, Scenario


def fix_case(
    scenario: Scenario,
    case_id: str,
    date: DateLike,
    *,
    room: str | None = None,
    start: str | None = None,
    by_field: bool = False,
) -> Scenario:
    """The scenario with ``case_id`` operated on ``date`` (in ``room``, at ``start``
    ``HH:MM``, when given).

    Raises
    ------
    ScenarioError
        An unknown case or room, a bad date or start, a start without a room, or an
        override the scenario cannot hold (no session there, a pinned case ...). The
        case, room and start are named by the request's field (``case_id``, ``room_id``,
        ``start``) when ``by_field`` (:func:`.edit.edit_problem`), as the desk sends them.
    """
    day = (
        _day(date, "cases", "fixed_date")
        if isinstance(date, dt.date)
        else parse_day(date, scenario, "date")
    )
    if room:
        _room_ids(scenario, room, by_field)
    minutes = None
    if start:
        try:
            minutes = parse_time(start)
        except CellError as exc:
            column = "start" if by_field else "fixed_start"
            raise ScenarioError([edit_problem("cases", column, str(exc), by_field)]) from None
    update = {"fixed_date": day, "fixed_room": room or None, "fixed_start": minutes}
    return _override(scenario, case_id, update, by_field)


def release_case(scenario: Scenario, case_id: str, *, by_field: bool = False) -> Scenario:
    """The scenario without the planner's override on ``case_id``: free to move again (an
    unknown case named by the request's field when ``by_field``)."""
    return _override(scenario, case_id, {"fixed_date": None, "fixed_room": None,
                                         "fixed_start": None}, by_field)  # fmt: skip


def _override(
    scenario: Scenario, case_id: str, update: dict[str, Any], by_field: bool = False
) -> Scenario:
    index = {c.case_id: k for k, c in enumerate(scenario.cases)}
    if case_id not in index:
        said = f"case {case_id} is not listed"
        raise ScenarioError([edit_problem("cases", "case_id", said, by_field)])
    k = index[case_id]
    try:
        case = Case.model_validate({**scenario.cases[k].model_dump(), **update})
    except ValidationError as exc:
        raise ScenarioError(
            [Problem("cases", k, "fixed_date", str(e["msg"]).removeprefix("Value error, "))
             for e in exc.errors()]
        ) from None  # fmt: skip
    edited = with_update(scenario, cases=(*scenario.cases[:k], case, *scenario.cases[k + 1 :]))
    flaws = scenario_flaws(edited)  # model_copy does not validate: the model judges it here
    if flaws:
        raise InvalidScenario(flaws)
    return edited

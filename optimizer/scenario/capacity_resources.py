"""Staff and equipment that are lost or come back: a resource's capacity set on some dates.

``capacity --resource anaesthetist=3,icu_bed=2 --dates 17/04`` in one pure edit beside
:mod:`.capacity` (rooms and surgeons): the rows of ``resources.csv`` for those dates
are replaced, every other row is kept. The names it takes are those whose capacity
``resources.csv`` holds: the reserved ``anaesthetist``, ``icu_bed`` and ``ward_bed``,
and the scenario's mobile pools. Equipment fixed in rooms has no capacity to set (the
rooms that hold it are closed instead), and a name the scenario does not know would make
a new pool no case needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .cells import CellError, parse_capacity, show
from .edit import DateLike, _day, with_update
from .errors import Problem, ScenarioError
from .limits import MAX_CAPACITY
from .schema import RESERVED_RESOURCES, ResourceCapacity, Scenario
from .typos import did_you_mean

OPTION = "--resource"


def parse_resource_counts(text: str, where: str = OPTION) -> list[tuple[str, int]]:
    """``anaesthetist=3,icu_bed=2`` as (name, count) pairs, in the order given.

    Raises
    ------
    ScenarioError
        Every pair that is not ``NAME=N``, every count that is not a whole number from 0,
        a name given twice: each a problem of ``where``.
    """
    pairs: list[tuple[str, int]] = []
    problems: list[Problem] = []
    for piece in (p.strip() for p in text.split(",")):
        name, equals, count = (x.strip() for x in piece.rpartition("="))
        if not piece:
            continue
        if not equals or not name or not count:
            problems.append(_not_pair(piece, where))
            continue
        try:
            pairs.append((name, parse_count(count, where, quoted=f"{name}={count}")))
        except ScenarioError as exc:
            problems += exc.problems
    seen: set[str] = set()
    for name, _ in pairs:
        if name in seen:
            problems.append(Problem(where, None, None, f"resource {name} is given twice"))
        seen.add(name)
    if problems or not pairs:
        raise ScenarioError(problems or [_not_pair(text, where)])
    return pairs


def parse_count(text: str, where: str = OPTION, *, quoted: str | None = None) -> int:
    """The capacity ``text``: a whole number from 0.

    Raises
    ------
    ScenarioError
        Any other text, as a problem of ``where`` quoting ``quoted`` (``icu_bed=-1`` as the
        command line wrote it), or the text itself.
    """
    try:
        return parse_capacity(text.strip())
    except CellError:
        said = f"{show((quoted or text).strip())}: the capacity is not a whole number from 0 to "
        raise ScenarioError([Problem(where, None, None, f"{said}{MAX_CAPACITY:,}")]) from None


def _not_pair(text: str, where: str) -> Problem:
    return Problem(where, None, None, f"{show(text.strip())} is not NAME=N (a resource and its "
                   "capacity, as anaesthetist=3)")  # fmt: skip


def settable_resources(scenario: Scenario) -> frozenset[str]:
    """The names whose capacity may be set: the reserved ones and the scenario's pools."""
    return RESERVED_RESOURCES | scenario.pool_names


def resource_problems(
    scenario: Scenario, names: Iterable[str], where: str = OPTION, *, on_desk: bool = False
) -> list[Problem]:
    """What is wrong with each of ``names`` whose capacity cannot be set: equipment fixed in
    rooms (closing those rooms is the way, said as the one asking does it: the command
    line's ``--close``, or, ``on_desk``, closing them on the desk's date), a name the
    scenario does not know (by the file that lists the names, or, ``on_desk``, by the
    scenario: the desk's planner never sees its files)."""
    known = settable_resources(scenario)
    problems = []
    for name in dict.fromkeys(names):
        if name in known:
            continue
        rooms = [r.room_id for r in scenario.rooms if name in r.equipment]
        if rooms:
            one = len(rooms) == 1
            if on_desk:  # the desk's form sets one date, and closing is a click on the grid
                way = (
                    f"to do without it, close {'that room' if one else 'those rooms'} on that date"
                )
            else:
                way = (f"to do without it on these dates, close {'that room' if one else 'them'}"
                       f" (--close {','.join(rooms)})")  # fmt: skip
            problems.append(Problem(where, None, None, (
                f"{name} is equipment fixed in {'room' if one else 'rooms'} {', '.join(rooms)}, "
                f"not a mobile pool: {way}")))  # fmt: skip
        else:
            near = did_you_mean(name, known)
            hint = near or f" (known: {', '.join(sorted(known))})"
            said = (  # the desk's planner never sees resources.csv: the scenario's, in words
                f"the scenario has no staff or mobile equipment named {name}" if on_desk
                else f"resource {name} is neither a reserved name nor a mobile pool of "
                "resources.csv"
            )  # fmt: skip
            problems.append(Problem(where, None, None, f"{said}{hint}"))
    return problems


def set_resources(
    scenario: Scenario,
    counts: Sequence[tuple[str, int]],
    dates: DateLike | Iterable[DateLike],
    where: str = OPTION,
    *,
    on_desk: bool = False,
) -> Scenario:
    """The scenario with each resource of ``counts`` at its count on ``dates`` (dates, or
    text ``YYYY-MM-DD`` / ``DD/MM/YYYY``: :func:`.capacity.parse_day` reads ``17/04``).

    Those dates' rows of the resource are replaced by one row each; its rows on other
    dates stay (a date without a row stays unlimited). A resource's rows stay together,
    by date, where its first row was (a resource new to the file: at its end), as a
    planner reads the file.

    Raises
    ------
    ScenarioError
        A name whose capacity cannot be set (:func:`resource_problems`), said as a problem
        of ``where`` (to the desk when ``on_desk``).
    """
    problems = resource_problems(scenario, (name for name, _ in counts), where, on_desk=on_desk)
    if problems:
        raise ScenarioError(problems)
    days = sorted({_day(d, "resources", "date") for d in ([dates] if isinstance(dates, DateLike)
                                                          else dates)})  # fmt: skip
    rows = list(scenario.resources)
    for name, count in counts:
        theirs = [r for r in rows if r.resource == name and r.date not in days]
        theirs += [ResourceCapacity(date=d, resource=name, capacity=count) for d in days]
        theirs.sort(key=lambda r: r.date)
        others = [r for r in rows if r.resource != name]
        at = next((k for k, r in enumerate(rows) if r.resource == name), len(rows))
        rows = others[:at] + theirs + others[at:]
    return with_update(scenario, resources=tuple(rows))

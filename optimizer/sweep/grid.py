"""The sweep grid: which variants of which scenarios to solve (a TOML file).

A grid names one or several scenario folders, the capacity changes to try
(``[[capacity]]`` entries), the targets and the seeds; the variants are every
combination (see :func:`optimizer.sweep.variants.build_variants`). Paths are
relative to the grid file. The file is validated here, once: every problem is
reported with the file, the line and the key, as the policy reader does.

Example (``data/sweeps/cannes_capacity.toml``)::

    scenarios = ["../cannes_demo"]
    capacity_from = "../cannes_demo_undisrupted"
    targets = [0.9]
    seeds = [0]
    work_limit = 2.0

    [[capacity]]
    name = "as_planned"

    [[capacity]]
    name = "rooms"
    dates = ["2024-04-16", "2024-04-17"]
    rooms_open = [6, 7, 8, 9, 10, 11]
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..i18n import Lang
from ..scenario.cells import show
from ..scenario.errors import Problem, ScenarioError
from ..scenario.policy_toml import policy_language

MAX_GRID_BYTES = 2**20  # 1 MB, as the other files count it
MAX_VARIANTS = 100_000


class GridError(ScenarioError):
    """The grid file cannot be used; carries every problem (file, line, key)."""


def _between_0_and_1(
    value: tuple[float, ...] | None, what: str, example: str
) -> tuple[float, ...] | None:
    """A list of shares or ratios (not empty, each between 0 and 1), or none given."""
    if value is not None and (not value or any(not 0 <= x <= 1 for x in value)):
        raise ValueError(f"give {what} between 0 and 1, e.g. {example}")
    return value


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CapacityChange(_Frozen):
    """One ``[[capacity]]`` entry: how the open sessions change, on which dates.

    ``rooms_open`` and ``session_fraction`` may be lists: the entry then gives
    one variant per value (per combination when both are lists).
    """

    name: str = Field(min_length=1, description="Label of the entry in the table.")
    dates: tuple[dt.date, ...] | None = Field(
        default=None, description="Dates the change applies to; default: every date."
    )
    rooms_open: tuple[int, ...] | None = Field(
        default=None, description="Rooms with a session on each of those dates."
    )
    rooms_open_by_date: dict[dt.date, int] | None = Field(
        default=None, description="Rooms with a session, date by date."
    )
    closed_rooms: tuple[str, ...] = Field(
        default=(), description="Rooms with no session on those dates."
    )
    session_fraction: tuple[float, ...] | None = Field(
        default=None, description="Share of each date's sessions kept (after rooms_open)."
    )

    @field_validator("rooms_open", "session_fraction", mode="before")
    @classmethod
    def _listed(cls, value: Any) -> Any:
        return [value] if isinstance(value, int | float) and not isinstance(value, bool) else value

    @field_validator("rooms_open")
    @classmethod
    def _counts(cls, value: tuple[int, ...] | None) -> tuple[int, ...] | None:
        if value is not None and (not value or any(n < 0 or n > 10_000 for n in value)):
            raise ValueError("give room counts between 0 and 10000, e.g. rooms_open = [6, 7, 8]")
        return value

    @field_validator("rooms_open_by_date")
    @classmethod
    def _counts_by_date(cls, value: dict[dt.date, int] | None) -> dict[dt.date, int] | None:
        if value is not None and any(n < 0 or n > 10_000 for n in value.values()):
            raise ValueError("give room counts between 0 and 10000")
        return value

    @field_validator("session_fraction")
    @classmethod
    def _fractions(cls, value: tuple[float, ...] | None) -> tuple[float, ...] | None:
        return _between_0_and_1(value, "shares", "session_fraction = [0.5, 0.75]")

    @model_validator(mode="after")
    def _one_count(self) -> CapacityChange:
        if self.rooms_open is not None and self.rooms_open_by_date is not None:
            raise ValueError("give rooms_open or rooms_open_by_date, not both")
        if self.rooms_open_by_date is not None and self.dates is not None:
            raise ValueError("rooms_open_by_date names its own dates: drop dates")
        return self


class Grid(_Frozen):
    """A whole sweep: scenarios x capacity changes x targets x seeds."""

    scenarios: tuple[Path, ...] = Field(min_length=1, description="Scenario folders.")
    capacity_from: Path | None = Field(
        default=None,
        description="A scenario folder whose sessions closed rooms may reopen with "
        "(e.g. the plan before the disruption).",
    )
    capacity: tuple[CapacityChange, ...] = Field(
        default=(CapacityChange(name="as_is"),), min_length=1
    )
    targets: tuple[float, ...] | None = Field(
        default=None, description="Kept-ratio targets; default: each scenario's policy."
    )
    seeds: tuple[int, ...] | None = Field(
        default=None, description="Search seeds; default: each scenario's policy seed."
    )
    work_limit: float = Field(
        default=2.0, gt=0, le=86_400, description="Deterministic work budget per solve."
    )
    time_limit: float = Field(
        default=600.0, gt=0, le=604_800, description="Wall-clock safety bound per solve (s)."
    )

    @field_validator("targets")
    @classmethod
    def _targets(cls, value: tuple[float, ...] | None) -> tuple[float, ...] | None:
        return _between_0_and_1(value, "ratios", "targets = [0.85, 0.9]")

    @field_validator("seeds")
    @classmethod
    def _seeds(cls, value: tuple[int, ...] | None) -> tuple[int, ...] | None:
        if value is not None and (not value or any(not 0 <= s < 2**31 for s in value)):
            raise ValueError("give seeds between 0 and 2^31-1, e.g. seeds = [0, 1]")
        return value

    @model_validator(mode="after")
    def _unique_names(self) -> Grid:
        names = [c.name for c in self.capacity]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"capacity names appear twice: {', '.join(twice)}")
        return self


# pydantic's kinds of error, said in the planner's words (the catalogue's ``grid_*``
# sentences say them in French, see ``scenario/problem_patterns.py``).
_NUMBER = {"float_parsing", "float_type"}
_WHOLE = {"int_parsing", "int_type", "int_from_float"}
_DATE = {"date_parsing", "date_type", "date_from_datetime_parsing", "date_from_datetime_inexact"}
_SAID = {
    "extra_forbidden": "unknown key (see the README's sweep section for the keys)",
    "greater_than": "give a number above {gt}",
    "less_than_equal": "give a number of at most {le}",
    "string_too_short": "the name is empty: give one",
    "too_short": "give at least one value",
    "string_type": "give a text in quotes",
    "path_type": "give a folder in quotes",
    "dict_type": 'give a table of dates and room counts, e.g. { "2024-04-16" = 8 }',
    "tuple_type": "give a list in brackets, e.g. [1, 2]",
}


def _said(err: Any) -> str:
    """One pydantic error of the grid as a sentence a planner reads (pydantic's own
    words, ``Input should be a valid tuple``, for a kind not listed)."""
    kind, loc = err["type"], tuple(err["loc"])
    value = err.get("input")
    shown = show(value) if isinstance(value, str) else str(value)
    bounds = {k: f"{int(v):,}" if float(v).is_integer() else str(v)
              for k, v in err.get("ctx", {}).items() if isinstance(v, int | float)}  # fmt: skip
    if loc[:1] == ("capacity",) and len(loc) <= 2 and kind in {"tuple_type", "model_type"}:
        return "write each capacity setting as a [[capacity]] table"
    if kind in _NUMBER:
        return f"{shown} is not a number"
    if kind in _WHOLE:
        return f"{shown} is not a whole number"
    if kind in _DATE:
        return f"{shown} is not a date YYYY-MM-DD"
    if kind in _SAID:
        return _SAID[kind].format(value=shown, **bounds)
    return str(err["msg"]).removeprefix("Value error, ")


_HEADER = re.compile(r"\s*\[(\[)?\s*([A-Za-z0-9_.\"' -]+?)\s*\]")
_ASSIGN = re.compile(r"\s*([A-Za-z0-9_\"'-]+)\s*=")


def _lines(text: str) -> dict[tuple[str | int, ...], int]:
    """The line of each key, with ``[[capacity]]`` entries by index (tomllib gives none)."""
    lines: dict[tuple[str | int, ...], int] = {}
    table: tuple[str | int, ...] = ()
    counts: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if m := _HEADER.match(line):
            name = m.group(2).strip("\"'")
            if m.group(1):  # an array of tables: the next entry
                counts[name] = counts.get(name, -1) + 1
                table = (name, counts[name])
            else:
                table = (name,)
            lines.setdefault(table, number)
        elif m := _ASSIGN.match(line):
            lines.setdefault((*table, m.group(1).strip("\"'")), number)
    return lines


def _line(lines: dict[tuple[str | int, ...], int], loc: tuple[str | int, ...]) -> int | None:
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return None


def line_of(path: str | Path, *loc: str | int) -> int | None:
    """The row of the grid file ``path`` where the key at ``loc`` is written (``"capacity", 1``:
    the second entry's header), for a problem found after the file was read; ``None`` when the
    file cannot be read again or the key is not written."""
    try:
        text = Path(path).read_bytes()[:MAX_GRID_BYTES].decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    return _line(_lines(text), loc)


def grid_language(path: Path) -> Lang | None:
    """The language the policy of the grid's first scenario asks for, read alone and
    unchecked (None when the grid or the policies name none or cannot be read): for what
    ``sweep`` says before, or without, reading them."""
    try:
        raw = tomllib.loads(path.read_bytes()[:MAX_GRID_BYTES].decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    scenarios = raw.get("scenarios")
    for folder in scenarios if isinstance(scenarios, list) else ():
        found = policy_language(path.parent / folder) if isinstance(folder, str) else None
        if found is not None:
            return found
    return None


def load_grid(path: str | Path) -> Grid:
    """Read and validate a grid file; scenario paths come back relative to the file's folder.

    Raises
    ------
    GridError
        Every problem found, each with the file, the line and the key.
    """
    path = Path(path)
    name = str(path)

    def fail(line: int | None, key: str | None, message: str) -> GridError:
        return GridError([Problem(name, line, key, message)])

    try:
        data = path.read_bytes()[: MAX_GRID_BYTES + 1]
    except OSError as exc:
        raise fail(None, None, f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > MAX_GRID_BYTES:
        raise fail(
            None, None, f"the file is larger than {MAX_GRID_BYTES // 2**20} MB: it is refused"
        )
    try:
        text = data.decode("utf-8-sig")
        raw = tomllib.loads(text)
    except UnicodeDecodeError:
        raise fail(None, None, "the file is not UTF-8 text: save it as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"at line (\d+)", str(exc))
        line = int(m.group(1)) if m else None
        raise fail(line, None, f"the file is not valid TOML: {exc}") from None
    lines = _lines(text)
    try:
        grid = Grid.model_validate(raw)
    except ValidationError as exc:
        problems = []
        errors = exc.errors()
        for err in errors:
            loc = tuple(err["loc"])
            if err["type"] == "too_short" and any(len(e["loc"]) > len(loc) and
                                                   tuple(e["loc"][: len(loc)]) == loc
                                                   for e in errors):  # fmt: skip
                continue  # a list whose items are all wrong is not empty: its items are said
            key = ".".join(str(p) for p in loc) or None
            problems.append(Problem(name, _line(lines, loc), key, _said(err)))
        raise GridError(problems) from None
    base = path.parent
    update: dict[str, Any] = {"scenarios": tuple(base / p for p in grid.scenarios)}
    if grid.capacity_from is not None:
        update["capacity_from"] = base / grid.capacity_from
    return grid.model_copy(update=update)

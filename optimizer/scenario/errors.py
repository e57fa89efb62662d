"""Problems found in a scenario, each named by file, row and column."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .flaw import Flaw


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in the input, in a sentence a planner understands.

    ``row`` is the line number a spreadsheet shows (the header is row 1; in
    ``policy.toml``, the line of the key); ``None`` when the problem concerns
    the whole file. ``column`` is the CSV column or the TOML key (dotted, as
    ``urgency.P1.weight``); ``None`` when the problem concerns a whole row.
    """

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


class ScenarioError(Exception):
    """The scenario cannot be used; carries every problem found, not just the first.

    ``lang`` is the language ``policy.toml`` asked for (``"en"`` when it could not
    be read): the command line says the problems in it.
    """

    def __init__(self, problems: list[Problem], lang: str = "en") -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or ""))
        self.lang = lang
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[ScenarioError], tuple[list[Problem], str]]:
        # Rebuilt from the problems, not the message, when sent to or from a worker process.
        return (type(self), (self.problems, self.lang))


class InvalidScenario(ScenarioError):
    """A scenario breaking an invariant of the data model, each problem named by object:
    the scenario's collection (``cases``...), the object's position in it and its field.

    ``flaws`` keeps them as :class:`~optimizer.scenario.flaw.Flaw`, for the
    loader to name by file and row instead.
    """

    def __init__(self, flaws: list[Flaw]) -> None:
        self.flaws = flaws
        super().__init__([Problem(f.table, f.index, f.column, f.text()) for f in flaws])

    def __reduce__(self) -> tuple[type[ScenarioError], tuple[list[Problem], str]]:
        return (ScenarioError, (self.problems, self.lang))

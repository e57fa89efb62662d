"""The desk's own refusal: a request it cannot follow, said in the caller's language.

A :class:`DeskError` holds a key of the ``desk`` catalogue's ``errors`` table and
its fields, not a sentence: the handler that answers knows the caller's language
(the page's, or the scenario's for a script), the action that refuses does not.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import i18n
from ..i18n import Lang
from ..scenario import Problem, ScenarioError


@dataclass(frozen=True)
class Said:
    """A field that is itself a message of the ``desk`` catalogue (a field's name, a run's
    state), said in the language of the error around it."""

    key: str

    def text(self, lang: Lang) -> str:
        return i18n.text(lang, f"desk.{self.key}")


@dataclass(frozen=True)
class Number:
    """A number with its decimal separator: ``0.1`` in English, ``0,1`` in French."""

    value: float

    def text(self, lang: Lang) -> str:
        x = self.value
        written = str(int(x)) if float(x).is_integer() else str(x)
        return written.replace(".", ",") if lang == "fr" else written


class DeskError(ValueError):
    """A request the desk cannot follow (no such run, a run not finished ...): the message
    ``desk.errors.<key>`` with ``fields``, and the HTTP status to answer."""

    def __init__(self, key: str, status: int = 400, /, **fields: Any) -> None:
        self.key = key
        self.status = status
        self.fields = fields
        super().__init__(self.text("en"))  # the logs' words; a missing key fails here

    def text(self, lang: Lang) -> str:
        """The refusal in ``lang``."""
        said = {k: v.text(lang) if isinstance(v, Said | Number) else v
                for k, v in self.fields.items()}  # fmt: skip
        return i18n.text(lang, f"desk.errors.{self.key}", **said)


def required(body: dict[str, Any], name: str) -> str:
    """A field of a request's body, stripped; missing or blank is a :class:`DeskError`
    naming it as the page does (``desk.fields.<name>``)."""
    value = body.get(name)
    if value is None or str(value).strip() == "":
        raise DeskError("missing", field=Said(f"fields.{name}"))
    return str(value).strip()


def shown(value: Any, limit: int = 40) -> str:
    """A value from a request as the refusal quotes it: text, cut to ``limit`` characters."""
    words = ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
    return words if len(words) <= limit else words[: limit - 1] + "…"


@dataclass(frozen=True)
class Place:
    """Where a problem sits in what the planner sent: the message ``desk.sent.<key>`` with
    its fields (the urgent case's field, the outcome recorded for a case ...)."""

    key: str
    fields: dict[str, str]

    def text(self, lang: Lang) -> str:
        fields = dict(self.fields)
        fields["field"] = field_named(fields.get("field", ""), lang)
        return i18n.text(lang, f"desk.sent.{self.key}", **fields)


def field_named(field: str, lang: Lang) -> str:
    """A request's field as the page names it (``desk.fields``), but in English: the API's
    own name there, which a caller of the API sends; a name no field has, as it is."""
    named = i18n.catalogue(lang).get(f"desk.fields.{field}")
    return named if lang != "en" and named is not None else field


def request_problem_text(p: Problem, lang: Lang) -> str:
    """A problem of a request: one the request's field holds (the action named it by that
    field, no row or column) said by the field as the page names it ("la capacité : ..."),
    any other by its file, row and column."""
    from ..scenario.problem_words import problem_text

    if p.row is None and p.column is None:
        p = Problem(field_named(p.file, lang), None, None, p.message)
    return problem_text(p, lang)


class SentProblems(Exception):
    """Bad input in what a request sent, found by an API that reads files: each problem
    said by its :class:`Place` in the request, or as found when it is in no file the desk
    wrote (a run's own files)."""

    def __init__(self, said: list[tuple[Place | None, Problem]]) -> None:
        self.said = said
        super().__init__("\n".join(str(p) for _, p in said))

    def texts(self, lang: Lang) -> list[str]:
        """Each problem in ``lang``: ``the urgent case, field urgency: ...``."""
        from ..scenario.problem_words import message, problem_text

        return [
            problem_text(p, lang) if place is None
            else i18n.text(lang, "validation.problem", where=place.text(lang),
                           message=message(p.message, lang))
            for place, p in self.said
        ]  # fmt: skip


@contextlib.contextmanager
def sent_as(path: Path, place: Callable[[Problem], Place]) -> Iterator[None]:
    """Problems found in ``path``, a file the desk wrote from a request for an API that
    reads files, said by ``place``: where they sit in the request, never by that file
    (a temporary one, gone when the planner reads the answer)."""
    try:
        yield
    except ScenarioError as exc:
        ours = str(path)
        if not any(p.file == ours for p in exc.problems):
            raise
        raise SentProblems(
            [(place(p) if p.file == ours else None, p) for p in exc.problems]
        ) from None

"""Input errors in the policy's language: each problem said in French when
``policy.toml`` says ``language = "fr"``.

The readers write their sentences in English, with the values they found
(``'8h00' is not a clock time HH:MM ...``). Here each common sentence is
recognised by one pattern and said again from the ``validation`` catalogue,
its values carried over; the frame ("cases.csv, ligne 3, colonne
planned_start") is the catalogue's too, and so are the words inside a sentence
(pinned, fixed, the bed: ``WORDS``). A sentence no pattern knows (the rarer
checks the corpus does not hold) is kept in English rather than guessed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from .. import i18n
from ..i18n import Lang
from .errors import Problem
from .problem_patterns import PATTERNS, WORDS
from .workbook import file_words, sheet_words

__all__ = ["PATTERNS", "WORDS", "first_match", "message", "problem_text", "said_date"]


# A number written with thousands separators in English (1,000,000): said the language's way.
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+$")
# A date the code found (not the cell the user typed, quoted in ``value``): said the
# language's way, 16/04/2024 in French.
_ISO_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")


def said_date(value: str, lang: Lang) -> str:
    """``value`` as the language writes a date when it is one in ISO form, else as it is."""
    if not _ISO_DATE.match(value):
        return value
    try:
        return i18n.full_date(dt.date.fromisoformat(value), lang)
    except ValueError:
        return value


def message(text: str, lang: Lang) -> str:
    """One problem's sentence in ``lang`` (English as written when no pattern knows it).

    A workbook's problem names sheets (``sheet rooms``) where the patterns name files:
    it is matched in the files' words and said again in the sheets' words of ``lang``.
    """
    if lang == "en":
        return text
    filed = file_words(text)
    found = first_match(filed, PATTERNS)
    if found is not None and filed != text:
        return sheet_words(_said(*found, lang), lang)
    found = found or first_match(text, PATTERNS)
    return text if found is None else _said(*found, lang)


def _said(key: str, values: dict[str, str], lang: Lang) -> str:
    """The catalogue's sentence ``key`` in ``lang``, the values a pattern found put in."""
    for group, words in WORDS.items():
        if group in values:
            values[group] = i18n.text(lang, f"validation.{words[values[group]]}")
    for group, value in values.items():
        if _THOUSANDS.match(value):
            values[group] = i18n.thousands(int(value.replace(",", "")), lang)
        elif group != "value":
            values[group] = said_date(value, lang)
    return i18n.text(lang, f"validation.{key}", **values)


def first_match(
    text: str, patterns: Iterable[tuple[str, re.Pattern[str]]]
) -> tuple[str, dict[str, str]] | None:
    """The key of the first pattern ``text`` is written in, and what its groups hold
    (``""`` for a group left out); None when no pattern knows it. The loader's problems
    and its warnings are said in another language through it."""
    for key, pattern in patterns:
        m = pattern.match(text)
        if m:
            return key, {k: v or "" for k, v in m.groupdict().items()}
    return None


def problem_text(p: Problem, lang: Lang) -> str:
    """``cases.csv, ligne 3, colonne planned_start : ...`` in ``lang``."""
    where = [p.file]
    if p.row is not None:
        where.append(i18n.text(lang, "validation.row", row=p.row))
    if p.column is not None:
        where.append(i18n.text(lang, "validation.column", column=p.column))
    return i18n.text(
        lang, "validation.problem", where=", ".join(where), message=message(p.message, lang)
    )

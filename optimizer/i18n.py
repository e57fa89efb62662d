"""Words for people, in English and French, from message catalogues.

Every sentence a planner reads (reasons, the CLI's summary, the report) is a
keyed message in ``optimizer/locales/<lang>/<domain>.toml``, filled with
``str.format`` fields; the code never concatenates sentences. Each domain
(``reasons``, ``report``, ``cli`` ...) is one file per language, so a new
feature adds its own file. A test checks that both languages hold the same
keys with the same fields.
"""

from __future__ import annotations

import datetime as dt
import string
import tomllib
from functools import cache
from importlib import resources
from typing import Any, Literal, get_args

Lang = Literal["en", "fr"]
LANGUAGES: tuple[Lang, ...] = get_args(Lang)
DEFAULT_LANG: Lang = "en"


class MissingMessage(KeyError):
    """A key that is in no catalogue: a bug in the code that asked for it."""


@cache
def catalogue(lang: Lang) -> dict[str, str]:
    """Every message of ``lang``, keyed ``domain.name`` (nested tables joined by dots)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    messages: dict[str, str] = {}
    folder = resources.files("optimizer") / "locales" / lang
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            domain = entry.name.removesuffix(".toml")
            _flatten(domain, tomllib.loads(entry.read_text(encoding="utf-8")), messages)
    return messages


def _flatten(prefix: str, table: dict[str, Any], out: dict[str, str]) -> None:
    for key, value in table.items():
        name = f"{prefix}.{key}"
        if isinstance(value, dict):
            _flatten(name, value, out)
        else:
            out[name] = str(value)


def text(lang: Lang, key: str, **fields: Any) -> str:
    """The message ``key`` in ``lang``, its ``{fields}`` filled in."""
    try:
        template = catalogue(lang)[key]
    except KeyError:
        raise MissingMessage(f"no message {key!r} in the {lang!r} catalogue") from None
    return template.format(**fields)


def fields_of(template: str) -> set[str]:
    """The ``{field}`` names a message expects (used to compare catalogues)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def day(d: dt.date, lang: Lang = DEFAULT_LANG) -> str:
    """A date as planners write it on a day sheet: ``16/04`` in both languages."""
    return d.strftime("%d/%m")


def percent(ratio: float | None, lang: Lang = DEFAULT_LANG, digits: int = 0) -> str:
    """``90%`` in English, ``90 %`` (narrow no-break space) in French; ``n/a`` for ``None``."""
    if ratio is None:
        return text(lang, "common.not_available")
    number = f"{100 * ratio:.{digits}f}"
    if lang == "fr":
        return number.replace(".", ",") + "\u202f%"
    return number + "%"

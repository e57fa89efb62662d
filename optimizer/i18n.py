"""Words for people, in English and French, from message catalogues.

Every sentence a planner reads (reasons, the CLI's summary, the report) is a
keyed message in ``optimizer/locales/<lang>/<domain>.toml``, filled with
``str.format`` fields; the code never concatenates sentences. Two kinds of
field are the language's own business, written in the catalogue and done
here once for every message:

- plurals: ``{n} {n:patient|patients}`` picks the singular or the plural
  form by the language's rule (English: 1 is singular; French: 0 and 1 are,
  as CLDR says: "0 modifié", "1 modifié", "2 modifiés");
- French elision: ``{room:de}`` writes "de R2" or "d'OR01", ``{x:le}``
  "le ..." or "l'...", ``{x:que}`` "que ..." or "qu'...", before a vowel;
  ``{partner:au}`` "au CH de Grasse" (a hospital named by its kind) or "à ...".

Names of specialties, equipment and urgency classes are looked up in the
``names`` catalogue (:func:`name`); an id the catalogue does not know (the
hospital's own) is shown as written. Each domain
(``reasons``, ``report``, ``cli`` ...) is one file per language, so a new
feature adds its own file. A test checks that both languages hold the same
keys with the same fields.

A user's mistake found where the reader's language is not known (an ``--out``
refused, a case ``explain`` does not find) is a :class:`Refusal`: a key and its
fields, said by the command line in its ``--lang`` or the policy's language.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import tomllib
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any, Literal, Protocol, get_args, runtime_checkable

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


def plural_form(lang: Lang, n: int) -> int:
    """0 for the singular form, 1 for the plural: the one plural rule of each language."""
    if lang == "fr":
        return 0 if abs(n) < 2 else 1
    return 0 if abs(n) == 1 else 1


_ELIDED = {"de": "d'", "le": "l'", "la": "l'", "que": "qu'"}
_VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüœæAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆ")


# French public hospitals are named by kind and town: "CH de Grasse", "CHU de Nice".
_HOSPITAL_ID = re.compile(r"^(CHU|CHR|CHI|CH)[ _-]+(.+)$")
_HOSPITAL_NAME = re.compile(r"^(CHU|CHR|CHI|CH)\b")


def partner(lang: Lang, partner_id: str, name: str = "") -> str:
    """A partner as staff name it: ``name`` when the scenario gives one (``policy.toml``'s
    ``[partners.<id>]``; ``partners.csv`` has none), else from its id: ``CH_Grasse`` is
    "CH de Grasse" in French, "CH Grasse" in English; any other id as written."""
    if name:
        return name
    m = _HOSPITAL_ID.match(partner_id)
    if m is None:
        return partner_id
    town = m.group(2).replace("_", " ")
    if lang == "fr":
        return f"{m.group(1)} " + _Formatter(lang).format_field(town, "de")  # CH d'Antibes
    return f"{m.group(1)} {town}"


class _Formatter(string.Formatter):
    """``str.format`` with the plural (``{n:one|other}``) and elision (``{x:de}``) specs."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if "|" in format_spec:
            forms = format_spec.split("|")
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise TypeError(f"plural form of {value!r}: a count is expected")
            k = plural_form(self.lang, int(float(value)))
            return forms[min(k, len(forms) - 1)]
        if format_spec == "au":
            word = str(value)
            return ("au " if _HOSPITAL_NAME.match(word) else "à ") + word
        if format_spec in _ELIDED:
            word = str(value)
            if word[:1] in _VOWELS:
                return _ELIDED[format_spec] + word
            return f"{format_spec} {word}"
        return str(super().format_field(value, format_spec))


# The word for a room, before a room id that already says it: French hospitals name their
# rooms "Salle 2", which "salle {room}" said "salle Salle 2" (the id alone then).
_ROOM_SAID_TWICE = {
    "fr": re.compile(r"\bsalle (?=salle\b)", re.IGNORECASE),
    "en": re.compile(r"\broom (?=room\b)", re.IGNORECASE),
}


def text(lang: Lang, key: str, **fields: Any) -> str:
    """The message ``key`` in ``lang``, its ``{fields}`` filled in (plurals and elisions
    done by the language's rules, a room's word not said twice)."""
    try:
        template = catalogue(lang)[key]
    except KeyError:
        raise MissingMessage(f"no message {key!r} in the {lang!r} catalogue") from None
    said = _Formatter(lang).format(template, **fields)
    twice = _ROOM_SAID_TWICE.get(lang)
    return said if twice is None else twice.sub("", said)


@runtime_checkable
class Worded(Protocol):
    """A field that is itself said in the language of the message around it (a list of
    problems, each said by its own words)."""

    def text(self, lang: Lang) -> str: ...


class Refusal(Exception):
    """A user's mistake as a message of the catalogues, said in the reader's language.

    It holds the message's ``key`` and ``fields``, not a sentence: the code that refuses
    does not always know who reads (the command line's ``--lang``, the policy's language,
    a log). ``lang`` is the language known where it was raised (the one asked, else the
    policy's, else English); ``str()`` says it in that one, :meth:`text` in any. A field
    that is :class:`Worded` is said in the message's language.
    """

    def __init__(self, key: str, /, *, lang: Lang = DEFAULT_LANG, **fields: Any) -> None:
        self.key, self.lang, self.fields = key, lang, fields
        super().__init__(self.text(lang))  # a missing key or field fails here, where raised

    def text(self, lang: Lang) -> str:
        """The refusal in ``lang``."""
        said = {k: v.text(lang) if isinstance(v, Worded) else v for k, v in self.fields.items()}
        return text(lang, self.key, **said)

    def __reduce__(self) -> tuple[Any, ...]:
        # rebuilt from its key and fields, not its sentence, when sent to another process
        return (_refused, (type(self), self.key, self.lang, self.fields))


def _refused(kind: type[Refusal], key: str, lang: Lang, fields: dict[str, Any]) -> Refusal:
    return kind(key, lang=lang, **fields)


NameKind = Literal["specialty", "equipment", "urgency", "cause"]


def name(lang: Lang, kind: NameKind, id_: str) -> str:
    """A specialty, equipment, urgency class or cause code as staff say it in ``lang``
    ("ophtalmologie" for ``ophthalmology``); an id the catalogue does not know is the
    hospital's own word."""
    return catalogue(lang).get(f"names.{kind}.{id_}", id_)


def names(lang: Lang, kind: NameKind, ids: Iterable[str]) -> str:
    """Several names joined with ", " (equipment of a case, say)."""
    return ", ".join(name(lang, kind, i) for i in ids)


def fields_of(template: str) -> set[str]:
    """The ``{field}`` names a message expects (used to compare catalogues)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def day(d: dt.date, lang: Lang = DEFAULT_LANG) -> str:
    """A date as planners write it on a day sheet: ``16/04`` in both languages."""
    return d.strftime("%d/%m")


def full_date(d: dt.date, lang: Lang = DEFAULT_LANG) -> str:
    """A date with its year: ``2024-04-16`` in English (as the files write it),
    ``16/04/2024`` in French (as French planners write it)."""
    return d.strftime("%d/%m/%Y") if lang == "fr" else d.isoformat()


def thousands(n: int, lang: Lang = DEFAULT_LANG) -> str:
    """``1,000,000`` in English, ``1 000 000`` (narrow no-break spaces) in French."""
    said = f"{n:,}"
    return said.replace(",", "\u202f") if lang == "fr" else said


def amount(value: float, lang: Lang = DEFAULT_LANG) -> str:
    """A cost as planners read it: to the cent (costs carry two decimals), trailing zeros
    dropped, never in exponent notation; ``12340.25`` in English, ``12340,25`` in French."""
    said = f"{value:.2f}".rstrip("0").rstrip(".")
    said = "0" if said == "-0" else said
    return said.replace(".", ",") if lang == "fr" else said


def percent(ratio: float | None, lang: Lang = DEFAULT_LANG, digits: int = 0) -> str:
    """``90%`` in English, ``90 %`` (narrow no-break space) in French; ``n/a`` for ``None``."""
    if ratio is None:
        return text(lang, "common.not_available")
    number = f"{100 * ratio:.{digits}f}"
    if lang == "fr":
        return number.replace(".", ",") + "\u202f%"
    return number + "%"

"""The loader's warnings in the policy's language, as :mod:`.problem_words` says its problems.

The readers warn in English, with the values they found. Each warning is
recognised here by one pattern and said again from the ``warnings``
catalogue, its values carried over; the pieces inside a warning (a file or a
workbook's sheet, a list of rows, "did you mean ...", what a French
spreadsheet export was read as) are said in the language too. A warning no
pattern knows is kept as written. The readers write a count as "1 session(s)";
the English catalogue says it as a planner reads it ("1 session falls ... and
is not used"), which a test checks for every pattern.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from .. import i18n
from ..i18n import Lang
from .problem_words import first_match, said_date

_WHERE = r"(?P<where>(?:sheet )?\S+?)"
_ROWS = r"(?P<rows>rows? [\d, ]+(?: and \d+(?: more)?)?)"
_MEAN = r"(?P<mean>(?: \(did you mean .+\?\))?)"
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(f"^{pattern}$"))
    for key, pattern in (
        ("unknown_key", _WHERE + r": unknown key (?P<entry>.+) ignored"),
        ("empty", _WHERE + r" is empty; it is ignored"),
        ("unknown_columns", _WHERE + r": unknown column\(s\) ignored: (?P<columns>.+)"),
        ("french_export", _WHERE + r": read as a French spreadsheet export: (?P<found>.+)"),
        (
            "sessions_outside",
            _WHERE + r": (?P<n>\d+) session\(s\) fall outside the horizon (?P<start>\S+) to "
            r"(?P<end>\S+) and are not used",
        ),
        (
            "extra_outside",
            _WHERE + r": (?P<n>\d+) extra session\(s\) fall outside the horizon (?P<start>\S+) "
            r"to (?P<end>\S+) and are not used",
        ),
        (
            "resource_partial",
            _WHERE + r": (?P<name>.+) is given for (?P<n>\d+) of the (?P<days>\d+) dates of the "
            r"horizon; it is unlimited on the dates without a row",
        ),
        (
            "unreachable",
            _WHERE + r"(?P<at>(?:, rows? [\d, ]+(?: and \d+(?: more)?)?)?): (?P<n>\d+) "
            r"case\(s\) of (?P<specialty>.+?) need a room(?P<needs>(?: with .+?)?) and no room "
            r"hosts that; they can only be transferred or left unscheduled" + _MEAN,
        ),
        (
            "too_long",
            _WHERE + r"(?P<at>(?:, row \d+)?), column duration_min: case (?P<case>.+) "
            r"\((?P<minutes>\d+) min\) is longer than every session that can host it "
            r"\(the longest: (?P<longest>\d+) min(?P<overtime>(?: with overtime)?)\); "
            r"it can only be transferred or left unscheduled",
        ),
        (
            "block_elsewhere",
            _WHERE + r", row (?P<row>\d+): room (?P<room>.+) does not host (?P<block>.+), the "
            r"specialty the session is reserved to; no case can use it" + _MEAN,
        ),
        (
            "extra_block_elsewhere",
            _WHERE + r", row (?P<row>\d+): room (?P<room>.+) does not host (?P<block>.+), the "
            r"specialty the extra session is reserved to; no case can use it" + _MEAN,
        ),
        (
            "surgeon_typo",
            _WHERE + r", " + _ROWS + r": surgeon (?P<surgeon>.+) is not in "
            r"(?P<listed>(?:sheet )?\S+), so taken as available whenever a room is open; "
            r"did you mean (?P<near>.+)\?",
        ),
        (
            "partner_typo",
            _WHERE + r", " + _ROWS + r": no case is of specialty (?P<specialty>.+); "
            r"did you mean (?P<near>.+)\?",
        ),
        (
            "sheets_ignored",
            _WHERE + r": sheet\(s\) ignored \(not a file of a scenario\): (?P<sheets>.+)",
        ),
        ("hidden_read", _WHERE + r": hidden sheet\(s\) read as data: (?P<sheets>.+)"),
        (
            "night_slot",
            _WHERE + r", row (?P<row>\d+): the case would end after midnight "
            r"\((?P<start>\d\d:\d\d) \+ (?P<minutes>\d+) min\); it cannot keep its planned slot",
        ),
        (
            "night_announced",
            _WHERE + r", row (?P<row>\d+): the announced appointment would end after midnight "
            r"\((?P<start>\d\d:\d\d) \+ (?P<minutes>\d+) min\); it cannot be kept as it is",
        ),
        (
            "rooms_dropped",
            _WHERE + r": (?P<date>\d{4}-\d\d-\d\d): room\(s\) (?P<rooms>.+) had a session and "
            r"have none now \(the file lists this date without them\)",
        ),
        (
            "skipped_day",
            r"--today (?P<today>\S+): (?P<n>\d+) case\(s\) the previous result operated on "
            r"(?P<date>\S+), after its first date (?P<first>\S+), are counted as done; if that "
            r"day did not take place, report them cancelled in --events",
        ),
        (
            "before_today",
            _WHERE + r": (?P<n>\d+) session\(s\) before --today (?P<today>\S+) are ignored",
        ),
    )
)
# What a French spreadsheet export was read as (reading.py's words), each said again.
_FOUND = (
    ("separator", re.compile(r"^';' as separator$")),
    ("encoding", re.compile(r"^(?P<encoding>\S+) encoding \(not UTF-8\)$")),
    ("dates", re.compile(r"^dates as DD/MM/YYYY$")),
    ("booleans", re.compile(r"^booleans as VRAI/FAUX or oui/non$")),
    ("decimals", re.compile(r"^decimal commas$")),
)
_ROWS_RE = re.compile(r"^rows? (?P<shown>[\d, ]+?)(?: and (?P<last>\d+)(?P<more> more)?)?$")
_MEAN_RE = re.compile(r"^ \(did you mean (?P<near>.+)\?\)$")


def warning_text(text: str, lang: Lang) -> str:
    """One warning in ``lang`` (as written when no pattern knows it)."""
    found = first_match(text, PATTERNS)
    if found is None:
        return text
    key, groups = found
    fields: dict[str, object] = {k: _SAY.get(k, _same)(v, lang) for k, v in groups.items()}
    for listed in ("columns", "sheets", "rooms"):  # the count that says the plural
        if listed in fields:
            fields["count"] = len(str(fields[listed]).split(", "))
    return i18n.text(lang, f"warnings.{key}", **fields)


def _same(value: str, lang: Lang) -> str | int:
    return int(value) if value.isdigit() else value


def _where(value: str, lang: Lang) -> str:
    if value.startswith("sheet "):
        return i18n.text(lang, "warnings.sheet", sheet=value.removeprefix("sheet "))
    return value


def _listed(value: str, lang: Lang) -> str:
    """The file (or a workbook's sheet) a list is in, as a sentence says "in" it."""
    if value.startswith("sheet "):
        return i18n.text(lang, "warnings.the_sheet", sheet=value.removeprefix("sheet "))
    return value


def _rows(value: str, lang: Lang) -> str:
    m = _ROWS_RE.match(value)
    if m is None:
        return value
    shown, last, more = m.group("shown"), m.group("last"), m.group("more")
    if last is None:
        return i18n.text(lang, "warnings.row", row=shown)
    key = "warnings.rows_more" if more else "warnings.rows"
    return i18n.text(lang, key, shown=shown, last=int(last))


def _at(value: str, lang: Lang) -> str:
    return ", " + _rows(value.removeprefix(", "), lang) if value else ""


def _mean(value: str, lang: Lang) -> str:
    m = _MEAN_RE.match(value)
    return i18n.text(lang, "warnings.did_you_mean", near=m.group("near")) if m else value


def _needs(value: str, lang: Lang) -> str:
    return i18n.text(lang, "warnings.with", what=value.removeprefix(" with ")) if value else ""


def _found(value: str, lang: Lang) -> str:
    said = []
    for part in value.split(", "):
        for key, pattern in _FOUND:
            m = pattern.match(part)
            if m:
                said.append(i18n.text(lang, f"warnings.found.{key}", **m.groupdict()))
                break
        else:
            said.append(part)
    return ", ".join(said)


def _columns(value: str, lang: Lang) -> str:
    return value


def _specialty(value: str, lang: Lang) -> str:
    return i18n.name(lang, "specialty", value)


_SAY: dict[str, Callable[[str, Lang], str | int]] = {
    "where": _where,
    "listed": _listed,
    "rows": _rows,
    "at": _at,
    "case": _columns,
    "overtime": lambda value, lang: i18n.text(lang, "warnings.with_overtime") if value else "",
    "mean": _mean,
    "needs": _needs,
    "found": _found,
    "columns": _columns,
    "sheets": _columns,
    "entry": _columns,
    "name": lambda value, lang: i18n.name(lang, "equipment", value),
    "room": _columns,
    "rooms": _columns,
    "date": lambda value, lang: i18n.day(dt.date.fromisoformat(value), lang),
    "start": said_date,  # a date of the horizon, or a clock time kept as it is
    "end": said_date,
    "today": said_date,
    "first": said_date,
    "block": _specialty,
    "surgeon": _columns,
    "near": _columns,
    "specialty": _specialty,
}

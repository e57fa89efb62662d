"""Input errors in the policy's language: each problem said in French when
``policy.toml`` says ``language = "fr"``.

The readers write their sentences in English, with the values they found
(``'8h00' is not a clock time HH:MM ...``). Here each common sentence is
recognised by one pattern and said again from the ``validation`` catalogue,
its values carried over; the frame ("cases.csv, ligne 3, colonne
planned_start") is the catalogue's too. A sentence no pattern knows (the
rarer checks: pinned cases, the extra sessions, the resources' fine print)
is kept in English rather than guessed.
"""

from __future__ import annotations

import re

from .. import i18n
from ..i18n import Lang
from .errors import Problem

_V = r"(?P<value>'[^']*'|\S+)"
# key of the validation catalogue -> the English sentence it says again
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(f"^{pattern}$"))
    for key, pattern in (
        ("empty_cell", r"this cell is empty but a value is required"),
        ("missing_file", r"this required file is missing from the folder"),
        (
            "missing_column_case",
            r"this required column is missing from the header \(found (?P<found>'[^']*'): "
            r"column names are lower case\)",
        ),
        ("missing_column", r"this required column is missing from the header"),
        ("duplicate_column", r"this column appears more than once in the header"),
        ("unknown_room", r"room (?P<id>.+) is not listed in (?P<file>\S+)"),
        ("room_listed", r"room (?P<id>.+) is already listed on row (?P<row>\d+)"),
        ("case_listed", r"case (?P<id>.+) is already listed on row (?P<row>\d+)"),
        (
            "session_ends",
            r"the session ends at (?P<end>\S+), not after it starts \((?P<start>\S+)\)",
        ),
        ("window_ends", r"the window ends at (?P<end>\S+), not after it starts \((?P<start>\S+)\)"),
        (
            "row_cells_comma",
            r"the row has (?P<cells>\d+) cells but the header has (?P<columns>\d+) columns "
            r"\(a comma inside a cell must be quoted\)",
        ),
        (
            "row_cells_semicolon",
            r"the row has (?P<cells>\d+) cells but the header has (?P<columns>\d+) columns "
            r"\(a semicolon inside a cell must be quoted\)",
        ),
        ("empty_file", r"the file is empty: it needs a header row \((?P<columns>.*)\)"),
        ("header_first", r"the first row must be the header \((?P<columns>.*)\)"),
        ("not_date", _V + r" is not a date of the form YYYY-MM-DD \(or DD/MM/YYYY\)"),
        ("not_calendar_date", _V + r" is not a date of the calendar \(DD/MM/YYYY\)"),
        ("not_calendar_day", _V + r" is not a date of the calendar"),
        ("not_units", _V + r" is not a whole number of units"),
        (
            "capacity_listed",
            r"the capacity of (?P<id>.+) on (?P<date>\S+) is already listed on row (?P<row>\d+)",
        ),
        (
            "partner_listed",
            r"partner (?P<id>.+) on (?P<date>\S+) is already listed on row (?P<row>\d+)",
        ),
        ("not_time", _V + r" is not a clock time HH:MM between (?P<lo>\S+) and (?P<hi>\S+)"),
        (
            "not_minutes_between",
            _V + r" is not a whole number of minutes between (?P<lo>\S+) and (?P<hi>\S+)",
        ),
        ("not_minutes", _V + r" is not a whole number of minutes"),
        (
            "not_days_between",
            _V + r" is not a whole number of days between (?P<lo>\S+) and (?P<hi>\S+)",
        ),
        ("not_whole_between", _V + r" is not a whole number between (?P<lo>\S+) and (?P<hi>\S+)"),
        ("not_number_between", _V + r" is not a number between (?P<lo>\S+) and (?P<hi>\S+)"),
        ("not_ratio", _V + r" is not a ratio between 0 and 1 \(e\.g\. 0\.9\)"),
        ("minutes_range", _V + r" minutes is out of range: it must be (?P<lo>\S+) to (?P<hi>\S+)"),
        ("units_range", _V + r" units is out of range: it must be (?P<lo>\S+) to (?P<hi>\S+)"),
        (
            "not_bool",
            _V + r" is not true or false \(1/0, yes/no, VRAI/FAUX and oui/non are accepted too\)",
        ),
        ("not_class_known", _V + r" is not an urgency class \(known: (?P<known>.*)\)"),
        ("not_class_mean", _V + r" is not an urgency class \(did you mean (?P<known>.*)\?\)"),
        ("not_flag", _V + r" is not a flag \(known: (?P<known>.*)\)"),
        ("not_anaesthesia", _V + r" is not general, regional or local"),
        ("not_one_of", _V + r" is not one of (?P<known>.*)"),
        ("due_before_release", r"the due date (?P<due>\S+) is before the release date (?P<d>\S+)"),
        ("due_before_planned", r"the due date (?P<due>\S+) is before the planned date (?P<d>\S+)"),
        ("room_without_date", r"a planned room or start is given without a planned date"),
        (
            "no_horizon",
            r"there is no session and policy.toml gives no start_date and end_date: "
            r"the horizon is unknown",
        ),
        # the edits of the working scenario (the desk's grid, ``capacity``, overrides)
        ("room_not_listed", r"room (?P<id>.+) is not listed"),
        ("case_not_listed", r"case (?P<id>.+) is not listed"),
        ("surgeon_no_case", r"surgeon (?P<id>.+) operates no case"),
        ("no_session_to_close", r"no session of these rooms on these dates to close"),
        ("no_session_chosen", r"no session of these rooms on these dates"),
        (
            "outside_horizon",
            r"(?P<d>\S+) is outside the horizon (?P<first>\S+) to (?P<last>\S+)",
        ),
        ("not_horizon_day", _V + r" is no date of the horizon (?P<first>\S+) to (?P<last>\S+)"),
        ("start_not_before", r"(?P<start>\S+) is not before (?P<end>\S+)"),
        ("not_toml", r"the file is not valid TOML: (?P<detail>.*)"),
        ("utf16", r"the file is saved as UTF-16; save it as 'CSV UTF-8'"),
        (
            "not_text",
            r"the file is neither UTF-8 nor Windows-1252 text \(byte (?P<byte>\S+) on line "
            r"(?P<line>\d+)\): save it as 'CSV UTF-8'",
        ),
        ("binary", r"the file holds binary data \(NUL bytes\), not text"),
        (
            "workbook",
            r"this is a spreadsheet workbook, not CSV: save it as 'CSV UTF-8', or give the "
            r"workbook itself \(one sheet per file\) instead of the folder",
        ),
    )
)


def message(text: str, lang: Lang) -> str:
    """One problem's sentence in ``lang`` (English as written when no pattern knows it)."""
    if lang == "en":
        return text
    for key, pattern in PATTERNS:
        m = pattern.match(text)
        if m:
            return i18n.text(lang, f"validation.{key}", **m.groupdict())
    return text


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

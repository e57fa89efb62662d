"""The English sentences of the readers' problems, one pattern each, by the key of the
``validation`` catalogue that says them again (:mod:`.problem_words` uses them), and the
words inside a sentence said again by group."""

from __future__ import annotations

import re

from .problem_patterns_edits import EDITS
from .problem_patterns_edits import VALUE as _V
from .problem_patterns_replan import SESSIONS_HELD
from .problem_patterns_sheets import SHEETS
from .result_patterns import RESULT_SENTENCES


def _between(what: str) -> str:
    """``'x' is not <what> between <lo> and <hi>``: a value out of its column's range."""
    return _V + rf" is not {what} between (?P<lo>\S+) and (?P<hi>\S+)"


def _out_of_range(unit: str) -> str:
    return _V + rf" {unit} is out of range: it must be (?P<lo>\S+) to (?P<hi>\S+)"


def _held(pattern: str) -> str:
    """HELD, HELDS: how the planners hold a case (pinned, or fixed_date), one or several."""
    return pattern.replace(
        "HELDS", r"(?P<helds>both pinned|both fixed|one pinned, one fixed)"
    ).replace("HELD", r"(?P<held>pinned|fixed)")


# The words inside a sentence said again, by group: the English words -> catalogue key.
WORDS: dict[str, dict[str, str]] = {
    "held": {"pinned": "held_pinned", "fixed": "held_fixed"},
    "helds": {
        "pinned": "helds_pinned",
        "pinned or fixed": "helds_pinned_or_fixed",
        "both pinned": "helds_both_pinned",
        "both fixed": "helds_both_fixed",
        "one pinned, one fixed": "helds_one_of_each",
    },
    "when": {"before the horizon starts": "when_before", "after it ends": "when_after"},
    "undo": {"unpin it": "undo_pinned", "change or clear fixed_date": "undo_fixed"},
    "bed": {"an ICU bed": "bed_icu", "a ward bed": "bed_ward"},
    "ends_by": {"policy.toml end_date": "by_end_date", "the latest session date": "by_last"},
    "starts_by": {
        "policy.toml start_date": "by_start_date",
        "the earliest session date": "by_first",
    },
}


# key of the validation catalogue -> the English sentence it says again
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile("^" + _held(pattern) + "$"))
    for key, pattern in (
        *SHEETS,
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
        ("no_case_to_insert", r"the file has a header but no case: add one row per case to insert"),
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
        ("not_time", _between("a clock time HH:MM")),
        ("not_minutes_between", _between("a whole number of minutes")),
        ("not_minutes", _V + r" is not a whole number of minutes"),
        ("not_days_between", _between("a whole number of days")),
        ("not_days", _V + r" is not a whole number of days"),
        ("not_whole_between", _between("a whole number")),
        ("not_number_between", _between("a number")),
        ("not_ratio", _V + r" is not a ratio between 0 and 1 \(e\.g\. 0\.9\)"),
        ("minutes_range", _out_of_range("minutes")),
        ("units_range", _out_of_range("units")),
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
        ("known_without_date", r"a known room or start is given without a known date"),
        (
            "no_horizon",
            r"there is no session and policy.toml gives no start_date and end_date: "
            r"the horizon is unknown",
        ),
        *EDITS,
        ("not_toml", r"the file is not valid TOML: (?P<detail>.*)"),
        ("not_json_at", r"not valid JSON: (?P<detail>.*) \(column (?P<column>\d+)\)"),
        ("utf16", r"the file is saved as UTF-16; save it as 'CSV UTF-8'"),
        (
            "not_text",
            r"the file is neither UTF-8 nor Windows-1252 text \(byte (?P<byte>\S+) on line "
            r"(?P<line>\d+)\): save it as 'CSV UTF-8'",
        ),
        ("binary", r"the file holds binary data \(NUL bytes\), not text"),
        # the policy's and the resources' fine print
        (
            "horizon_too_long",
            r"the horizon (?P<start>\S+) to (?P<end>\S+) is (?P<days>\d+) days? long, over the "
            r"limit of one run \(at most (?P<max>\d+)\)",
        ),
        ("not_seconds", _V + r" is not a number of seconds above 0 and at most one week"),
        ("table_expected", r"a table with max_delay_days and weight is expected"),
        (
            "reserved_in_room",
            r"(?P<id>\S+) is a reserved resource name \(resources\.csv\), not equipment fixed in "
            r"a room",
        ),
        (
            "reserved_anaesthesia",
            r"(?P<id>\S+) is a reserved resource name, not equipment "
            r"\(use the anaesthesia column\)",
        ),
        (
            "reserved_icu",
            r"(?P<id>\S+) is a reserved resource name, not equipment \(use the needs_icu and "
            r"icu_days columns\)",
        ),
        (
            "reserved_ward",
            r"(?P<id>\S+) is a reserved resource name, not equipment \(use the ward_days column\)",
        ),
        (
            "fixed_and_pool",
            r"(?P<id>\S+) is both equipment fixed in room (?P<room>.+) \(rooms\.csv\) and a mobile "
            r"pool here; an equipment name must be one or the other",
        ),
        (
            "unknown_equipment_mean",
            r"(?P<id>\S+) is neither fixed in a room \(rooms\.csv\) nor a mobile pool "
            r"\(resources\.csv\) \(did you mean (?P<near>.+)\?\)",
        ),
        (
            "unknown_equipment",
            r"(?P<id>\S+) is neither fixed in a room \(rooms\.csv\) nor a mobile pool "
            r"\(resources\.csv\)",
        ),
        (
            "session_twice",
            r"a session of room (?P<room>.+) on (?P<d>\S+) \(a room has at most one session a "
            r"date\); this one is already listed on row (?P<row>\d+)",
        ),
        ("listed_after", r"listed on (?P<listed>\S+), after the planned date (?P<d>\S+)"),
        (
            "pinned_needs",
            r"a pinned case needs a planned date, room and start \((?P<missing>.+) missing\)",
        ),
        # the levers (extra_sessions.csv, extra_resources.csv) and the patients away
        (
            "unknown_room_mean",
            r"room (?P<id>.+) is not listed in (?P<file>\S+) \(did you mean (?P<near>.+)\?\)",
        ),
        (
            "extra_session_listed",
            r"an extra session of room (?P<room>.+) on (?P<d>\S+) is already listed on row "
            r"(?P<row>\d+) \(one per room and date\)",
        ),
        (
            "not_addable_mean",
            r"(?P<id>\S+) cannot be added: the resource is one of (?P<known>[^(]+) "
            r"\(did you mean (?P<near>.+)\?\)",
        ),
        ("not_addable", r"(?P<id>\S+) cannot be added: the resource is one of (?P<known>[^(]+)"),
        (
            "extra_listed",
            r"extra (?P<id>\S+) on (?P<d>\S+) is already listed on row (?P<row>\d+) "
            r"\(one row per resource and date\)",
        ),
        ("case_not_in_file", r"case (?P<id>.+) is not listed in (?P<file>\S+)"),
        (
            "horizon_ends",
            r"the horizon ends \((?P<end>\S+), (?P<ends_by>policy\.toml end_date|the latest "
            r"session date)\) before it starts \((?P<start>\S+), (?P<starts_by>policy\.toml "
            r"start_date|the earliest session date)\)",
        ),
        (
            "range_ends",
            r"the range ends on (?P<last>\S+), before it starts \((?P<first>\S+)\)",
        ),
        (
            "pinned_inside_range",
            r"case (?P<id>.+) is pinned on (?P<d>\S+), inside this range: a pinned case is "
            r"operated on its planned date",
        ),
        (
            "fixed_inside_range",
            r"case (?P<id>.+) is fixed on (?P<d>\S+), inside this range: the "
            r"planner fixed it on that date",
        ),  # fmt: skip
        # the cases held by the planners (pinned, or fixed_date): scenario/held.py
        (
            "held_outside",
            r"case (?P<id>.+) is HELD on (?P<d>\S+), "
            r"(?P<when>before the horizon starts|after it ends) \((?P<edge>\S+)\); "
            r"(?P<undo>unpin it|change or clear fixed_date)",
        ),
        (
            "held_before_release",
            r"case (?P<id>.+) is HELD on (?P<d>\S+), before its release date (?P<release>\S+)",
        ),
        (
            "held_no_session",
            r"case (?P<id>.+) is HELD in room (?P<room>.+), which has no session on (?P<d>\S+)",
        ),
        (
            "held_room_no_session",
            r"case (?P<id>.+) is HELD on (?P<d>\S+), but room (?P<room>.+) has no session on "
            r"\S+ that hosts it",
        ),
        (
            "held_any_no_session",
            r"case (?P<id>.+) is HELD on (?P<d>\S+), but any room has no session on \S+ that "
            r"hosts it",
        ),
        (
            "held_room_too_short",
            r"case (?P<id>.+) is HELD on (?P<d>\S+), but no session of room (?P<room>.+) on \S+ "
            r"is (?P<minutes>\d+) min long",
        ),
        (
            "held_any_too_short",
            r"case (?P<id>.+) is HELD on (?P<d>\S+), but no session of any room on \S+ is "
            r"(?P<minutes>\d+) min long",
        ),
        (
            "held_room_surgeon",
            r"case (?P<id>.+) is HELD on (?P<d>\S+), but surgeon (?P<surgeon>.+) has no "
            r"(?P<minutes>\d+) min inside a session of room (?P<room>.+) \(surgeons\.csv\)",
        ),
        (
            "held_any_surgeon",
            r"case (?P<id>.+) is HELD on (?P<d>\S+), but surgeon (?P<surgeon>.+) has no "
            r"(?P<minutes>\d+) min inside a session of any room \(surgeons\.csv\)",
        ),
        (
            "held_not_fit",
            r"HELD case (?P<id>.+) \((?P<span>\S+)\) does not fit the session of room "
            r"(?P<room>.+) on (?P<d>\S+) \((?P<hours>\S+)\)",
        ),
        (
            "held_reserved",
            r"HELD case (?P<id>.+) \((?P<specialty>.+)\) is in room (?P<room>.+) on (?P<d>\S+), "
            r"whose session is reserved to (?P<reserved>.+)",
        ),
        (
            "held_specialty",
            r"HELD case (?P<id>.+): room (?P<room>.+) does not host (?P<specialty>.+)",
        ),
        (
            "held_surgeon_window",
            r"HELD case (?P<id>.+) \((?P<span>\S+)\) is outside the windows of surgeon "
            r"(?P<surgeon>.+) on (?P<d>\S+) \(surgeons\.csv\)",
        ),
        (
            "held_bed",
            r"HELD case (?P<id>.+) needs (?P<bed>an ICU bed|a ward bed) on (?P<d>\S+), but "
            r"other cases \((?P<helds>pinned|pinned or fixed)\) already take that date's "
            r"capacity \((?P<cap>\d+), resources\.csv\)",
        ),
        (
            "held_none",
            r"HELD case (?P<id>.+) needs (?P<name>.+) on (?P<d>\S+), which has none "
            r"\(resources\.csv\)",
        ),
        (
            "held_equipment",
            r"HELD case (?P<id>.+) needs (?P<equipment>.+), which room (?P<room>.+) does not have",
        ),
        (
            "held_induction",
            r"HELD case (?P<id>.+) \((?P<span>\S+)\) brings to (?P<n>\d+) the pinned or fixed "
            r"cases in their induction at once on (?P<d>\S+); the capacity is (?P<cap>\d+) "
            r"\(resources\.csv\)",
        ),
        (
            "held_capacity",
            r"HELD case (?P<id>.+) \((?P<span>\S+)\) brings to (?P<n>\d+) the pinned or fixed "
            r"cases using (?P<name>.+) at once on (?P<d>\S+); the capacity is (?P<cap>\d+) "
            r"\(resources\.csv\)",
        ),
        (
            "held_turnover",
            r"cases (?P<a>.+) \((?P<aspan>\S+), row (?P<row>\d+)\) and (?P<b>.+) "
            r"\((?P<bspan>\S+)\), HELDS, in room (?P<room>.+) on (?P<d>\S+) are less than the "
            r"turnover \((?P<turnover>\d+) min\) apart",
        ),
        (
            "held_surgeon_overlap",
            r"cases (?P<a>.+) \((?P<aspan>\S+), row (?P<row>\d+)\) and (?P<b>.+) "
            r"\((?P<bspan>\S+)\), HELDS, overlap for surgeon (?P<surgeon>.+) on (?P<d>\S+)",
        ),
        (
            "held_latex",
            r"latex-allergy case (?P<then>.+) must come before case (?P<first>.+) in room "
            r"(?P<room>.+) on (?P<d>\S+), but neither can move: HELDS "
            r"\(row (?P<row>\d+) and this row\)",
        ),
        (
            "held_paediatric",
            r"paediatric case (?P<then>.+) must come before case (?P<first>.+) in room "
            r"(?P<room>.+) on (?P<d>\S+), but neither can move: HELDS "
            r"\(row (?P<row>\d+) and this row\)",
        ),
        (
            "held_infectious",
            r"infectious case (?P<first>.+) must come after case (?P<then>.+) in room "
            r"(?P<room>.+) on (?P<d>\S+), but neither can move: HELDS "
            r"\(row (?P<row>\d+) and this row\)",
        ),
        (
            "workbook",
            r"this is a spreadsheet workbook, not CSV: save it as 'CSV UTF-8', or give the "
            r"workbook itself \(one sheet per file\) instead of the folder",
        ),
        (
            "sheet_missing_near",
            r"this required sheet is missing from the workbook \(did you mean (?P<near>.+)\?\)",
        ),
        ("sheet_missing", r"this required sheet is missing from the workbook"),
        (
            "sheet_header_below",
            r"row 1 must be the header \((?P<columns>.*)\): it is on row (?P<row>\d+); delete "
            r"the rows above it",
        ),
        (
            "sheet_formula_uncomputed",
            r"this cell holds a formula whose value was never computed \(the workbook was "
            r"written by a program, not saved by Excel\): open it in Excel and save it, or "
            r"type the value",
        ),
        (
            "sheet_error_value",
            r"this cell shows the error (?P<shown>\S+): correct the formula or type the value",
        ),
        (
            "sheet_merged",
            r"cells (?P<span>\S+) are merged: Excel keeps the value in (?P<first>\S+) only, the "
            r"other cells are empty; unmerge them and fill each cell",
        ),
        # an extra session over a room's own session (scenario/invariants.lengthening_flaws)
        (
            "extra_lengthens",
            r"room (?P<room>.+) has a session on (?P<d>\S+) \((?P<hours>\S+), "
            r"sessions\.csv\): an extra session there lengthens it, so its hours must contain "
            r"those and be longer",
        ),
        (
            "extra_keeps_specialty",
            r"room (?P<room>.+) has a session on (?P<d>\S+) reserved to "
            r"(?P<specialty>.+): a lengthened session keeps its specialty \(leave this cell "
            r"empty\)",
        ),
        # the policy sheet of a workbook (scenario/workbook.py)
        ("key_given_twice", r"this key is already given on row (?P<first>\d+)"),
        (
            "key_holds_keys",
            r"this key holds other keys \(from row (?P<first>\d+)\): it takes no "
            r"value itself",
        ),
        (
            "key_is_value",
            r"(?P<name>\S+) is given a value on row (?P<first>\d+): it holds no "
            r"other key",
        ),
        ("not_utf8", r"the file is not UTF-8 text"),
        ("column_missing", r"this required column is missing"),
        ("folder_missing", r"this folder does not exist"),
        ("workbook_missing", r"this workbook does not exist"),
        (
            "number_not_date",
            _V + r" is a number, not a date: Excel shows a date as a number when its cell has "
            r"no date format \(that is (?P<d>\S+)\); format the cell as a date",
        ),
        (
            "number_not_time",
            _V + r" is a number, not a clock time: Excel shows a time as a fraction of a day "
            r"when its cell has no time format \(that is (?P<t>\S+)\); format the cell as a "
            r"time \(hh:mm\)",
        ),
        ("workbook_empty", r"the workbook cannot be read: the file is empty"),
        (
            "workbook_is_xls",
            r"the workbook cannot be read: it is not a workbook but an old Excel file \(\.xls\) "
            r"named \.xlsx: open it in Excel and save it as 'Excel Workbook \(\.xlsx\)'",
        ),
        (
            "workbook_is_text",
            r"the workbook cannot be read: it is not a workbook but text \(a CSV file named "
            r"\.xlsx\?\): open it in Excel and save it as 'Excel Workbook \(\.xlsx\)', or give "
            r"the folder of CSV files",
        ),
        (
            "workbook_damaged",
            r"the workbook cannot be read: it is damaged or incomplete \(a copy cut short\?\): "
            r"save it again from Excel, or copy it again",
        ),
        ("not_workbook", r"the workbook cannot be read: it is not a workbook(?: \(.*\))?"),
        ("workbook_locked", r"the workbook cannot be read: it is protected by a password.*"),
        ("file_unreadable", r"the (?:file|workbook) cannot be read \((?P<detail>.*)\)"),
        ("too_large", r"(?:the file|the workbook|it) is larger than (?P<mb>\d+) MB: it is refused"),
        # a sweep's grid (sweep/grid.py, sweep/variants.py)
        ("grid_seeds", r"give seeds between 0 and 2\^31-1, e\.g\. seeds = \[0, 1\]"),
        ("grid_ratios", r"give ratios between 0 and 1, e\.g\. (?P<example>.+)"),
        ("grid_shares", r"give shares between 0 and 1, e\.g\. (?P<example>.+)"),
        ("grid_rooms_example", r"give room counts between 0 and 10000, e\.g\. (?P<example>.+)"),
        ("grid_rooms", r"give room counts between 0 and 10000"),
        ("grid_rooms_both", r"give rooms_open or rooms_open_by_date, not both"),
        ("grid_drop_dates", r"rooms_open_by_date names its own dates: drop dates"),
        ("grid_names_twice", r"capacity names appear twice: (?P<names>.+)"),
        ("grid_unknown_key", r"unknown key \(see the README's sweep section for the keys\)"),
        ("grid_unreadable", r"cannot be read: (?P<detail>.+)"),
        ("grid_not_utf8", r"the file is not UTF-8 text: save it as UTF-8"),
        (
            "grid_closed_rooms",
            r"(?P<folder>.+?): closed_rooms names rooms the scenario does not have: (?P<rooms>.+)",
        ),
        (
            "grid_rooms_asked",
            r"(?P<folder>.+?): (?P<d>\S+): (?P<wanted>\d+) rooms asked, at most (?P<most>\d+) "
            r"can open \(set capacity_from to a scenario with more sessions that date\)",
        ),
        ("grid_no_folder", r"(?P<folder>.+?): no such folder"),
        (
            "grid_too_many",
            r"the grid makes too many variants \((?P<count>[\d,]+); at most (?P<most>[\d,]+)\):.*",
        ),
        ("grid_not_number", r"(?P<value>.+) is not a number"),
        ("grid_not_whole", r"(?P<value>.+) is not a whole number"),
        ("grid_not_date", r"(?P<value>.+) is not a date YYYY-MM-DD"),
        ("grid_above", r"give a number above (?P<x>[\d,.]+)"),
        ("grid_at_most", r"give a number of at most (?P<x>[\d,.]+)"),
        ("grid_empty_name", r"the name is empty: give one"),
        ("grid_at_least_one", r"give at least one value"),
        ("grid_text", r"give a text in quotes"),
        ("grid_folder", r"give a folder in quotes"),
        ("grid_date_table", r"give a table of dates and room counts, e\.g\. (?P<example>.+)"),
        ("grid_list", r"give a list in brackets, e\.g\. (?P<example>.+)"),
        ("grid_capacity_tables", r"write each capacity setting as a \[\[capacity\]\] table"),
        ("field_required", r"Field required"),
        *SESSIONS_HELD,
        *RESULT_SENTENCES,
    )
)

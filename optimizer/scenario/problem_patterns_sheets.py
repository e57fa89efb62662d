"""The English sentences that tell a planner how a spreadsheet went wrong (an id whose
leading zeros Excel dropped, a second table in a sheet, a merged header, a missing sheet,
a policy cell typed the wrong way), one pattern each, by the key of the ``validation``
catalogue that says them again: a part of :data:`.problem_patterns.PATTERNS`, before the
plainer sentences they extend (the first pattern that matches wins)."""

from __future__ import annotations

from .problem_patterns_edits import VALUE as _V

_ZEROS = r", which has (?P<near>\S+): Excel may have dropped leading zeros; type the ids as text"

SHEETS: tuple[tuple[str, str], ...] = (
    ("unknown_room_zeros", r"room (?P<id>.+) is not listed in (?P<file>\S+)" + _ZEROS),
    ("case_not_in_file_zeros", r"case (?P<id>.+) is not listed in (?P<file>\S+)" + _ZEROS),
    (
        "case_not_in_file_mean",
        r"case (?P<id>.+) is not listed in (?P<file>\S+) \(did you mean (?P<near>.+)\?\)",
    ),
    (
        "repeated_header",
        r"this row repeats the header: (?P<file>\S+) holds one table; join the rows below it "
        r"to the table above, with no blank row or second header",
    ),
    (
        "sheet_header_merged",
        r"cells (?P<span>\S+) of the header are merged: Excel keeps the name in (?P<first>\S+) "
        r"only; unmerge them and type each column's name",
    ),
    (
        "sheet_missing_listed",
        r"this required sheet is missing from the workbook \(sheets found: (?P<titles>.*)\): "
        r"add it, or rename the sheet that holds its rows",
    ),
    ("not_ratio_cell", _V + r" is not a ratio between 0 and 1 \(e\.g\. 0\.9 in a number cell\)"),
)

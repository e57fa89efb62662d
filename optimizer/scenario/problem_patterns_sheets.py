"""The English sentences that tell a planner how a spreadsheet went wrong (an id whose
leading zeros Excel dropped), one pattern each, by the key of the ``validation``
catalogue that says them again: a part of :data:`.problem_patterns.PATTERNS`, before the
plainer sentences they extend (the first pattern that matches wins)."""

from __future__ import annotations

_ZEROS = r", which has (?P<near>\S+): Excel may have dropped leading zeros; type the ids as text"

SHEETS: tuple[tuple[str, str], ...] = (
    ("unknown_room_zeros", r"room (?P<id>.+) is not listed in (?P<file>\S+)" + _ZEROS),
    ("case_not_in_file_zeros", r"case (?P<id>.+) is not listed in (?P<file>\S+)" + _ZEROS),
    (
        "case_not_in_file_mean",
        r"case (?P<id>.+) is not listed in (?P<file>\S+) \(did you mean (?P<near>.+)\?\)",
    ),
)

"""The English sentences of the edits' problems (the desk's grid, ``capacity``, the
overrides, a result folder's files edited by hand, a file's encoding), one pattern each, by
the key of the ``validation`` catalogue that says them again: a part of
:data:`.problem_patterns.PATTERNS`, in its place there (the first pattern that matches wins)."""

from __future__ import annotations

VALUE = r"(?P<value>'[^']*'|\S+)"  # a value as the readers quote it
_V = VALUE

EDITS: tuple[tuple[str, str], ...] = (
    # the edits of the working scenario (the desk's grid, ``capacity``, overrides)
    ("room_not_listed", r"room (?P<id>.+) is not listed"),
    ("case_not_listed", r"case (?P<id>.+) is not listed"),
    # a result folder's schedule.csv edited by hand (facts/schedule_file.py)
    ("not_status", _V + r" is not a status \((?P<known>.*)\)"),
    ("case_not_in_result", r"case (?P<id>.+) is not in scenario/"),
    ("case_listed_above", r"case (?P<id>.+) is already listed above"),
    ("case_no_row", r"case (?P<id>.+) has no row"),
    ("needs_partner", r"a transferred case needs its partner"),
    ("needs_room", r"a case operated here needs its room"),
    ("surgeon_no_case", r"surgeon (?P<id>.+) operates no case"),
    (
        "surgeon_no_case_mean",
        r"surgeon (?P<id>.+) operates no case \(did you mean (?P<near>.+)\?\)",
    ),
    ("no_session_to_close", r"no session of these rooms on these dates to close"),
    ("no_session_to_close_room", r"room (?P<id>.+) has no session to close that date"),
    ("no_session_chosen", r"no session of these rooms on these dates"),
    ("say_rooms", r"say which rooms, surgeons or resources to change"),
    (
        "rooms_to_open",
        r"give the rooms to open \(--open\) or the surgeons whose hours they are "
        r"\(--surgeon\)",
    ),
    ("open_needs_hours", r"opening a room needs its hours"),
    ("surgeon_needs_hours", r"the hours of the surgeons \(--surgeon\) are missing"),
    (
        "hours_for_one",
        r"these hours are for the rooms \(--open\) or for the surgeons \(--surgeon\), "
        r"not both: give each its own command",
    ),
    ("not_hours", _V + r" is not hours HH:MM-HH:MM"),
    ("hours_not_ordered", _V + r": the start is not before the end"),
    ("closed_and_opened", r"room (?P<id>.+) is both closed and opened"),
    ("absent_and_hours", r"surgeon (?P<id>.+) is both absent and given hours"),
    (
        "outside_horizon",
        r"(?P<d>\S+) is outside the horizon (?P<first>\S+) to (?P<last>\S+)",
    ),
    # capacity --resource (capacity_resources.py)
    (
        "not_resource_pair",
        _V + r" is not NAME=N \(a resource and its capacity, as anaesthetist=3\)",
    ),
    (
        "resource_count",
        _V + r": the capacity is not a whole number from (?P<lo>\S+) to (?P<hi>\S+)",
    ),
    ("resource_twice", r"resource (?P<id>.+) is given twice"),
    (
        "resource_fixed_one",
        r"(?P<id>\S+) is equipment fixed in room (?P<room>.+), not a mobile pool: to do without "
        r"it on these dates, close that room \(--close (?P<rooms>.+)\)",
    ),
    (
        "resource_fixed_many",
        r"(?P<id>\S+) is equipment fixed in rooms (?P<room>.+), not a mobile pool: to do without "
        r"it on these dates, close them \(--close (?P<rooms>.+)\)",
    ),
    (
        "resource_fixed_one_desk",
        r"(?P<id>\S+) is equipment fixed in room (?P<room>.+), not a mobile pool: to do without "
        r"it, close that room on that date",
    ),
    (
        "resource_fixed_many_desk",
        r"(?P<id>\S+) is equipment fixed in rooms (?P<room>.+), not a mobile pool: to do without "
        r"it, close those rooms on that date",
    ),
    (
        "resource_unknown_mean",
        r"resource (?P<id>.+) is neither a reserved name nor a mobile pool of resources\.csv "
        r"\(did you mean (?P<near>.+)\?\)",
    ),
    (
        "resource_unknown",
        r"resource (?P<id>.+) is neither a reserved name nor a mobile pool of resources\.csv "
        r"\(known: (?P<known>.*)\)",
    ),
    (
        "resource_unknown_desk_mean",
        r"the scenario has no staff or mobile equipment named (?P<id>.+) "
        r"\(did you mean (?P<near>.+)\?\)",
    ),
    (
        "resource_unknown_desk",
        r"the scenario has no staff or mobile equipment named (?P<id>.+) \(known: (?P<known>.*)\)",
    ),
    ("not_horizon_day", _V + r" is no date of the horizon (?P<first>\S+) to (?P<last>\S+)"),
    ("start_not_before", r"(?P<start>\S+) is not before (?P<end>\S+)"),
)

"""The files of a scenario folder and their columns, as the data contract names them."""

from __future__ import annotations

from typing import Literal

CASES, ROOMS, SESSIONS = "cases.csv", "rooms.csv", "sessions.csv"
SURGEONS, RESOURCES, PARTNERS = "surgeons.csv", "resources.csv", "partners.csv"
EXTRA_SESSIONS = "extra_sessions.csv"
EXTRA_RESOURCES = "extra_resources.csv"  # beds and anaesthetists whatif may add
UNAVAILABLE = "unavailable.csv"  # the dates each patient cannot come
POLICY_FILE = "policy.toml"
# The shared resources the contract reserves (resources.csv): not equipment names.
ANAESTHETIST = "anaesthetist"
ICU_BED = "icu_bed"
WARD_BED = "ward_bed"
# The columns of cases.csv that say what each reserved resource name would.
RESERVED_HINT = {
    ANAESTHETIST: "anaesthesia column",
    ICU_BED: "needs_icu and icu_days columns",
    WARD_BED: "ward_days column",
}
# Additions (the planner's daily loop): the appointment a patient was last given.
ANNOUNCED_COLUMNS = ("announced_date", "announced_room", "announced_start", "announced_count")
# Additions (realism, the desk): the length of stay, the induction, the planner's overrides.
STAY_COLUMNS = ("icu_days", "ward_days")
INDUCTION_COLUMNS = ("induction_min",)
FIXED_COLUMNS = ("fixed_date", "fixed_room", "fixed_start")
# Additions (a morning of several results): what the patient knew before an earlier call.
KNOWN_COLUMNS = ("known_date", "known_room", "known_start")
# ... or that they held none before it (a waiting patient called in, one told there is no date).
KNOWN_NONE = "known_none"
# ... and the day a case was cancelled on the day, while it waits for a new date.
CANCELLED_COLUMNS = ("cancelled_date",)

FILES: dict[str, tuple[bool, tuple[str, ...], tuple[str, ...]]] = {
    # file: (required, required columns, optional columns)
    CASES: (
        True,
        ("case_id", "specialty", "surgeon_id", "duration_min", "urgency"),
        (
            "planned_date",
            "planned_room",
            "planned_start",
            "release_date",
            "due_date",
            "equipment",
            "anaesthesia",
            "needs_icu",
            "transferable",
            "pinned",
            "flags",
            *ANNOUNCED_COLUMNS,
            "listed_date",
            *STAY_COLUMNS,
            *INDUCTION_COLUMNS,
            *FIXED_COLUMNS,
            *KNOWN_COLUMNS,
            KNOWN_NONE,
            *CANCELLED_COLUMNS,
        ),
    ),
    ROOMS: (True, ("room_id",), ("specialties", "equipment")),
    SESSIONS: (True, ("date", "room_id", "start", "end"), ("specialty",)),
    SURGEONS: (False, ("surgeon_id", "date", "start", "end"), ()),
    RESOURCES: (False, ("date", "resource", "capacity"), ()),
    PARTNERS: (False, ("partner_id", "date", "specialty", "capacity"), ()),
    EXTRA_SESSIONS: (False, ("date", "room_id", "start", "end"), ("specialty", "cost")),
    UNAVAILABLE: (False, ("case_id", "from", "to"), ("reason",)),
    EXTRA_RESOURCES: (False, ("resource", "date", "extra"), ("cost",)),
}


def columns(name: str) -> list[str]:
    """Every column of a file, required ones first, in the order the writer writes them."""
    _, required, optional = FILES[name]
    return [*required, *optional]


Kind = Literal["date", "time", "int", "number", "bool", "text"]
_INT_COLUMNS = frozenset({"duration_min", "capacity", "announced_count", "extra"})
_NUMBER_COLUMNS = frozenset({"cost"})
BOOL_COLUMNS = frozenset({"needs_icu", "transferable", "pinned", KNOWN_NONE})


def column_kind(column: str) -> Kind:
    """What a column holds, from its name (``*_date`` a date, ``start`` a time...)."""
    if column == "date" or column.endswith("_date") or column in ("from", "to", "until"):
        return "date"
    if column in ("start", "end") or column.endswith("_start"):
        return "time"
    if column in _INT_COLUMNS or column.endswith("_days") or column.endswith("_min"):
        return "int"
    if column in _NUMBER_COLUMNS:
        return "number"
    if column in BOOL_COLUMNS:
        return "bool"
    return "text"


# The file of each collection of a scenario (:class:`~optimizer.scenario.schema.Scenario`'s fields).
FILE_OF_TABLE: dict[str, str] = {
    "cases": CASES,
    "rooms": ROOMS,
    "sessions": SESSIONS,
    "surgeon_windows": SURGEONS,
    "resources": RESOURCES,
    "partners": PARTNERS,
    "extra_sessions": EXTRA_SESSIONS,
    "unavailable": UNAVAILABLE,
    "extra_resources": EXTRA_RESOURCES,
    "policy": POLICY_FILE,
}

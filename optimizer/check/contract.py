"""The contract's words the checker judges by: columns, statuses, reserved names, and
:class:`Violation`, the one shape every broken rule is reported in.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

# schedule.csv's columns as the contract names them: deliberately the checker's own copy of
# optimizer/result/row.py's (the judge shares no code with what it judges).
COLUMNS = (
    "case_id",
    "status",
    "date",
    "room_id",
    "start",
    "end",
    "partner_id",
    "delay_days",
    "reason",
)
STATUSES = frozenset({"kept", "postponed", "scheduled", "transferred", "unscheduled"})
OPERATED = frozenset({"kept", "postponed", "scheduled"})
NEEDS_REASON = frozenset({"postponed", "transferred", "unscheduled"})
# The contract's reserved resource names, spelt out here rather than imported.
ANAESTHETIST = "anaesthetist"
ICU_BED = "icu_bed"
WARD_BED = "ward_bed"
# summary.json may round ratios to two decimals.
RATIO_TOLERANCE = Fraction(1, 200)


@dataclass(frozen=True)
class Violation:
    """One broken rule: which rule, which case (if one), and a plain sentence."""

    rule: str
    case_id: str | None
    message: str

    def __str__(self) -> str:
        return f"rule {self.rule}: {self.message}"

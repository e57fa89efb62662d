"""Rule 6: latex-allergy cases first, then paediatric, infectious cases last."""

from __future__ import annotations

from .contract import Violation
from .plan import Placed, Plan, by_room_and_date


def sequencing_order(plan: Plan) -> list[Violation]:
    """Rule 6: latex first, then paediatric, infectious last, pair by pair."""
    out: list[Violation] = []

    def before(a: Placed, b: Placed) -> bool:
        return a.end <= b.start

    for (room_id, day), group in by_room_and_date(plan.operated).items():
        for a in group:
            for b in group:
                fa, fb = a.case.flags, b.case.flags
                where = f"in room {room_id} on {day}"
                if "latex_allergy" in fa and "latex_allergy" not in fb and not before(a, b):
                    out.append(
                        Violation(
                            "6",
                            a.case_id,
                            f"latex-allergy case {a.case_id} does not come before case "
                            f"{b.case_id} {where}",
                        )
                    )
                if (
                    "paediatric" in fa
                    and not {"latex_allergy", "paediatric"} & fb
                    and not before(a, b)
                ):
                    out.append(
                        Violation(
                            "6",
                            a.case_id,
                            f"paediatric case {a.case_id} does not come before case "
                            f"{b.case_id} {where}",
                        )
                    )
                if "infectious" in fa and "infectious" not in fb and not before(b, a):
                    out.append(
                        Violation(
                            "6",
                            a.case_id,
                            f"infectious case {a.case_id} does not come after case "
                            f"{b.case_id} {where}",
                        )
                    )
    return out

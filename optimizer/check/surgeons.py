"""Rule 3: surgeons operate one case at a time, inside their windows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from .contract import Violation
from .plan import Placed, Plan, hm


def surgeons_free(plan: Plan) -> list[Violation]:
    """Rule 3: a surgeon operates one case at a time, inside their (merged) windows."""
    out: list[Violation] = []
    by_surgeon: dict[tuple[str, dt.date], list[Placed]] = defaultdict(list)
    for p in plan.operated:
        by_surgeon[p.case.surgeon_id, p.date].append(p)
        windows = plan.facts.windows.get(p.case.surgeon_id)
        if windows is None:
            continue  # absent from surgeons.csv: free whenever a room is open
        spans = windows.get(p.date, [])
        if not any(a <= p.start and p.end <= b for a, b in spans):
            out.append(
                Violation(
                    "3",
                    p.case_id,
                    f"case {p.case_id} ({hm(p.start)}-{hm(p.end)} on {p.date}) is outside "
                    f"every window of surgeon {p.case.surgeon_id}",
                )
            )
    for (surgeon, day), group in by_surgeon.items():
        group.sort(key=lambda p: (p.start, p.end, p.case_id))
        latest = group[0]
        for p in group[1:]:
            if p.start < latest.end:
                out.append(
                    Violation(
                        "3",
                        p.case_id,
                        f"cases {latest.case_id} and {p.case_id} of surgeon {surgeon} overlap "
                        f"on {day}",
                    )
                )
            if p.end > latest.end:
                latest = p
    return out

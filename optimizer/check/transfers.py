"""Rule 7: transfers go to a partner that takes the case's specialty that date."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from .contract import Violation
from .plan import Plan, id_list


def transfers_allowed(plan: Plan) -> list[Violation]:
    """Rule 7: a transferable case, to a partner that takes its specialty that date."""
    out: list[Violation] = []
    load: dict[tuple[str, dt.date, str], list[str]] = defaultdict(list)
    for case, row in plan.transferred:
        cid = case.case_id
        if not case.transferable:
            out.append(Violation("7", cid, f"case {cid} is transferred but not transferable"))
        if row.room_id is not None or row.start is not None or row.end is not None:
            out.append(Violation("7", cid, f"transferred case {cid} has a room, start or end here"))
        if row.partner_id is None or row.date is None:
            continue  # reported by the status rule
        key = (row.partner_id, row.date, case.specialty)
        if key not in plan.facts.partner_capacity:
            out.append(
                Violation(
                    "7",
                    cid,
                    f"partner {row.partner_id} takes no {case.specialty} case on {row.date} "
                    f"(case {cid})",
                )
            )
            continue
        load[key].append(cid)
    for (partner, day, specialty), ids in sorted(load.items()):
        cap = plan.facts.partner_capacity[partner, day, specialty]
        if len(ids) > cap:
            out.append(
                Violation(
                    "7",
                    max(ids),
                    f"partner {partner} gets {len(ids)} {specialty} cases on {day} "
                    f"({id_list(ids)}), above its capacity {cap}",
                )
            )
    return out

"""Words for the levers: the lines the CLI prints after ``whatif``, and after ``solve``
when the policy allows overtime or keeps a reserve (message catalogue ``whatif``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..facts.resource_levers import build_resource_options
from ..i18n import DEFAULT_LANG, Lang, amount, catalogue, day, name, percent, text
from .answer import WhatIf
from .resources import resource_lines, say_resource
from .sessions import describe


def lever_lines(summary: Mapping[str, Any], lang: Lang = DEFAULT_LANG) -> list[str]:
    """Overtime used per room and date, and the reserve kept, from a ``summary.json``."""
    lines = []
    overtime = summary.get("overtime")
    if overtime is not None:
        used = [
            text(lang, "whatif.overtime_item", room=u["room_id"],
                 date=day(dt.date.fromisoformat(u["date"]), lang), minutes=u["minutes"])
            for u in overtime["used"]
        ]  # fmt: skip
        limit = overtime["max_min"]
        if used:
            lines.append(text(lang, "whatif.overtime_used", limit=limit, used=", ".join(used)))
        else:
            lines.append(text(lang, "whatif.overtime_none", limit=limit))
    reserve = summary.get("reserve")
    if reserve is not None:
        broken = sorted({r["date"] for r in reserve if not r["kept"]})
        if broken:
            dates = ", ".join(day(dt.date.fromisoformat(d), lang) for d in broken)
            lines.append(text(lang, "whatif.reserve_broken", dates=dates))
        else:
            seen: dict[str | None, int] = {r["specialty"]: r["reserve_min"] for r in reserve}
            items = [
                text(lang, "whatif.reserve_item", minutes=m,
                     where=text(lang, "whatif.reserve_all") if s is None
                     else text(lang, "whatif.reserve_specialty",
                               specialty=name(lang, "specialty", s)))
                for s, m in seen.items()
            ]  # fmt: skip
            lines.append(text(lang, "whatif.reserve_kept", reserves="; ".join(items)))
    return lines


def whatif_lines(
    answer: WhatIf, written: Sequence[Path], curve_points: int | None, lang: Lang = DEFAULT_LANG
) -> list[str]:
    """What ``whatif`` prints: per date, now and with the sessions; the cost; proven or not."""
    sc = answer.scenario
    lines = [text(lang, "whatif.header", target=percent(sc.policy.target_ratio, lang))]
    if not answer.dates:
        lines.append(text(lang, "whatif.nothing_below"))
    none = "whatif.nothing_added" if sc.extra_resources else "whatif.no_session"
    for d in answer.dates:
        what = [describe(sc, e, lang) for e in d.added]
        what += [say_resource(e, lang) for e in d.resources]
        added = (
            text(lang, "whatif.added", sessions=", ".join(what), cost=amount(d.added_cost, lang))
            if what else text(lang, none)
        )  # fmt: skip
        fields = {"date": day(d.date, lang), "kept_now": d.kept_now, "kept_with": d.kept_with,
                  "planned": d.planned, "added": added}  # fmt: skip
        if d.target_met:
            lines.append(text(lang, "whatif.date_met", **fields))
        else:
            lines.append(
                text(lang, "whatif.date_short", short=d.short_by, needed=d.needed, **fields)
            )
    overtime = answer.result.summary.get("overtime")
    extra = ""
    if overtime is not None and overtime["total_min"]:
        extra = text(lang, "whatif.overtime_cost", minutes=overtime["total_min"],
                     cost=amount(overtime["cost"], lang))  # fmt: skip
    lines.append(
        text(lang, "whatif.total", count=len(answer.added), cost=amount(answer.sessions_cost, lang),
             overtime=extra)
    )  # fmt: skip
    if sc.extra_resources:
        units = sum(e.extra for e in answer.added_resources)
        lines.append(
            text(
                lang,
                "whatif.resources_total",
                count=units,
                cost=amount(answer.resources_cost, lang),
            )
        )
        lines += resource_lines(answer.added_resources, answer.baseline, answer.result, lang)
    lv = answer.cost_level
    if answer.interrupted:
        lines.append(text(lang, "whatif.interrupted"))
    policy = sc.policy
    offered = [e for e in sc.extra_sessions if policy.start_date <= e.date <= policy.end_date]
    if lv is None and answer.dates and not offered and not build_resource_options(sc):
        lines.append(text(lang, "whatif.no_offer_any" if sc.extra_resources else "whatif.no_offer"))
    elif lv is None:
        lines.append(text(lang, "whatif.nothing_searched"))
    elif answer.proven:
        lines.append(text(lang, "whatif.proven_any" if sc.extra_resources else "whatif.proven"))
    elif lv.proven:  # least for the misses and shortfall found, themselves not proven
        lines.append(text(lang, "whatif.not_proven_before"))
    else:
        bound = "-" if lv.best_bound is None else amount(lv.best_bound, lang)
        status = lv.status
        if f"cli.status.{status}" in catalogue(lang):
            status = text(lang, f"cli.status.{status}")
        lines.append(text(lang, "whatif.not_proven", status=status, bound=bound))
    if curve_points is not None:
        lines.append(
            text(lang, "whatif.curve", most=curve_points - 1, csv="curve.csv", png="curve.png")
        )
    lines.append(text(lang, "whatif.written", files=", ".join(str(p) for p in written)))
    return lines

"""Words of the report in one language: statuses, dates, partners, numbers, reasons.

Every sentence comes from the ``report`` catalogue (:mod:`optimizer.i18n`);
these helpers only choose the message and fill its fields.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import i18n
from ..explain import bookings_from_schedule, call_said, find_causes, said_reason
from ..i18n import Lang
from .folder import ResultFolder


@dataclass(frozen=True)
class Words:
    """The report's words in ``lang``: call ``words("key", field=...)`` for a message."""

    lang: Lang
    # case id -> its reason in ``lang``, re-rendered from the schedule's causes
    reasons: Mapping[str, str] = field(default_factory=dict)
    # case id -> the reason its call gives in ``lang`` (from the appointment held)
    calls: Mapping[str, str] = field(default_factory=dict)

    def __call__(self, key: str, **fields: Any) -> str:
        return i18n.text(self.lang, f"report.{key}", **fields)

    def day(self, iso: str | dt.date | None) -> str:
        """``16/04``, as planners write a date in both languages; empty for none."""
        if iso is None:
            return ""
        d = iso if isinstance(iso, dt.date) else dt.date.fromisoformat(iso)
        return i18n.day(d, self.lang)

    def weekday(self, iso: str | dt.date) -> str:
        """``Tue 16/04`` / ``mar. 16/04``: a day sheet's heading."""
        d = iso if isinstance(iso, dt.date) else dt.date.fromisoformat(iso)
        return self("weekday_date", weekday=self(f"weekdays.d{d.weekday()}"), date=self.day(d))

    def weekday_long(self, iso: str | dt.date) -> str:
        """``Tuesday 16/04`` / ``mardi 16/04``: a day sheet's title (the letters' weekdays)."""
        d = iso if isinstance(iso, dt.date) else dt.date.fromisoformat(iso)
        long = i18n.text(self.lang, f"letters.weekdays.d{d.weekday()}")
        return self("weekday_date", weekday=long, date=self.day(d))

    def percent(self, ratio: float | None, digits: int = 0) -> str:
        return i18n.percent(ratio, self.lang, digits)

    def number(self, value: float | None, digits: int = 1) -> str:
        """A decimal number with the language's decimal mark; ``n/a`` for none."""
        if value is None:
            return i18n.text(self.lang, "common.not_available")
        text = f"{value:.{digits}f}"
        return text.replace(".", ",") if self.lang == "fr" else text

    def status(self, status: str | None) -> str:
        return self(f"status.{status}") if status else ""

    def partner(self, partner_id: str) -> str:
        """A partner as staff name it: ``CH_Grasse`` is "CH de Grasse" in French."""
        return i18n.partner(self.lang, partner_id)

    def transferred_to(self, partner_id: str) -> str:
        """``transferred to CH Grasse`` / ``transféré au CH de Grasse``."""
        return self("transferred_to_partner", partner=self.partner(partner_id))

    def flag(self, flag: str) -> str:
        return self(f"flags.{flag}")

    def specialty(self, specialty: str) -> str:
        """ "ophtalmologie" for ``ophthalmology``; the hospital's own ids as written."""
        return i18n.name(self.lang, "specialty", specialty)

    def urgency(self, urgency: str) -> str:
        return i18n.name(self.lang, "urgency", urgency)

    def equipment(self, items: Iterable[str]) -> str:
        return i18n.names(self.lang, "equipment", items)

    def reason(self, row: Mapping[str, str | None]) -> str:
        """The reason of a schedule or call row, as the report shows it: the case's cause
        rendered in ``lang`` (see :func:`reasons_in`), else the text of the result folder."""
        case_id = row.get("case_id") or ""
        return self.reasons.get(case_id) or row.get("reason") or ""

    def call_reason(self, call: Mapping[str, str | None]) -> str:
        """The reason of a row of ``calls.csv``, as the report shows it: rendered in ``lang``
        (see :func:`reasons_in`), else the text of the result folder."""
        case_id = call.get("case_id") or ""
        return self.calls.get(case_id) or call.get("reason") or ""

    def level(self, name: str) -> str:
        """An objective level's name in ``lang`` (the name as written when unknown)."""
        key = _LEVELS.get(name)
        if key is not None:
            return self(f"levels.{key}")
        m = re.fullmatch(r"deadline misses \((.+)\)", name)
        if m:
            return self("levels.deadline_misses_class", urgency=self.urgency(m.group(1)))
        m = re.fullmatch(
            r"announced appointments changed \(a date (\d+), a room or time (\d+)\)", name
        )
        if m:
            return self("levels.announced", date=int(m.group(1)), time=int(m.group(2)))
        return name


_LEVELS = {
    "deadline misses (most urgent first)": "deadline_misses",
    "shortfall below target": "shortfall",
    "planned cases kept": "kept",
    "planned cases kept (urgency-weighted)": "kept_weighted",
    "weighted delay": "delay",
    "waiting time (longest waits first)": "waiting",
    "patients moved (room or start)": "moved",
    "minutes shifted": "shifted",
    "overtime cost": "overtime_cost",
    "added cost (extra sessions, overtime)": "added_cost",
    "added cost (extra sessions, beds, anaesthetists, overtime)": "added_cost_resources",
}


class SaidReasons(dict[str, str]):
    """Each case's reason (case id -> text, empty ones left out), and in :attr:`calls` the
    reason its call gives (:func:`optimizer.explain.call_said`)."""

    def __init__(self, rows: Mapping[str, str], calls: Mapping[str, str]) -> None:
        super().__init__((k, v) for k, v in rows.items() if v)
        self.calls = {k: v for k, v in calls.items() if v}


def reasons_in(folder: ResultFolder, lang: Lang) -> SaidReasons:
    """Every case's reason in ``lang``, and the reason its call gives, found again from the
    folder's schedule and scenario (the words of ``schedule.csv`` and ``calls.csv`` are in
    the language it was solved in)."""
    sc = folder.scenario
    bookings = bookings_from_schedule(sc, folder.schedule)
    findings = find_causes(sc, bookings)
    said = list(zip(findings, sc.cases, bookings, strict=True))
    rows = {c.case_id: said_reason(f, c, b, lang) for f, c, b in said}
    return SaidReasons(rows, {c.case_id: call_said(f, c, b, lang) for f, c, b in said})

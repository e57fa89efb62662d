"""Letters to patients: one A4 page per row of ``calls.csv``, to print when the hospital's
messaging is down (``letters RESULT_DIR``).

Each letter tells the patient, known here by case id only (the data holds no
names: a line is left to write the name by hand), what changes: the new date
and the time to arrive (the theatre start less ``[hospital] arrival_before_min``,
not the start itself), or the partner hospital that will operate, or that
there is no date yet; and whom to call. The hospital's and the partners'
names, addresses and phones come from ``policy.toml`` (``[hospital]``,
``[partners.<partner_id>]``). Like the report, the file is self-contained
(no network, system fonts) and replaced in one step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .. import i18n
from ..clock import format_time
from ..i18n import Lang
from ..result.calls import on_waiting_list
from ..scenario.schema import Case
from .folder import ResultFolder, read_result_folder
from .render import environment, write_html

LETTERS_FILE = "letters.html"


@dataclass(frozen=True)
class Letter:
    """One page: who, what changes, where to go and whom to call, in one language."""

    case_id: str
    place_date: str
    subject: str
    before: str  # the appointment the patient held, or the waiting list
    headline: str  # "It will take place on:", "... at another hospital:", or no date
    when: str  # the new date in full ("mardi 16 avril 2024"), or ""
    where: list[str]  # the hospital's or partner's name and address lines
    arrival: list[str]  # arrival time and its note, or the partner will call
    call: str
    footer: str


@dataclass(frozen=True)
class Letters:
    lang: Lang
    title: str
    hospital: list[str]  # letterhead: name, address, phone
    letters: list[Letter]
    signature: str
    words: dict[str, str]  # the fixed lines of every letter


def long_date(d: dt.date, lang: Lang) -> str:
    """``mardi 16 avril 2024`` / ``Tuesday 16 April 2024``: a date in a letter."""
    return i18n.text(
        lang,
        "letters.long_date",
        weekday=i18n.text(lang, f"letters.weekdays.d{d.weekday()}"),
        day=d.day,
        month=i18n.text(lang, f"letters.months.m{d.month}"),
        year=d.year,
    )


def clock(minutes: int, lang: Lang) -> str:
    """``8 h 30`` / ``08:30``."""
    hours, mins = divmod(max(0, minutes), 60)
    if lang == "en":
        return format_time(max(0, minutes))
    if mins == 0:
        return i18n.text(lang, "letters.time_hour", hours=hours)
    return i18n.text(lang, "letters.time", hours=hours, minutes=f"{mins:02d}")


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def _in_time(row: Mapping[str, str | None] | None, day: dt.date) -> bool:
    """Whether a transfer on ``day`` meets the case's deadline (``schedule.csv``'s
    ``deadline`` and ``deadline_missed``): only then is the patient told it is so that
    the operation takes place in time; a transfer past it, or of a case with none, is not."""
    if row is None or not row.get("deadline") or row.get("deadline_missed") == "true":
        return False
    return day <= dt.date.fromisoformat(str(row["deadline"]))


def build_letters(folder: ResultFolder, lang: Lang) -> Letters:
    """The letters of a result folder read, one per row of its ``calls.csv``."""
    policy = folder.scenario.policy
    hosp = policy.hospital

    def t(key: str, **fields: object) -> str:
        return i18n.text(lang, f"letters.{key}", **fields)

    name = hosp.name or t("this_hospital")
    who = t("who")
    cases: dict[str, Case] = {c.case_id: c for c in folder.scenario.cases}
    schedule = {c.case_id: r for c, r in zip(folder.scenario.cases, folder.schedule, strict=True)}
    today = long_date(policy.start_date, lang)
    pages = len(folder.calls)
    letters = []
    for k, row in enumerate(folder.calls, start=1):
        cid = row["case_id"] or ""
        case = cases.get(cid)
        status = row["status"] or ""
        old_date, old_start = row["old_date"], row["old_start"]
        if old_date is None:  # no appointment held: on the waiting list, or planned and
            # left without one (cancelled on the day, declined): never on the waiting list
            planned = None if case is None or on_waiting_list(case) else case.planned_date
            before = (
                t("was_waiting")
                if planned is None
                else t("was_no_date", date=long_date(planned, lang))
            )
        else:
            key = "was_announced" if case is not None and case.announced_date else "was_planned"
            when_old = long_date(dt.date.fromisoformat(old_date), lang)
            if old_start:
                before = t(key, date=when_old, time=clock(_minutes(old_start), lang))
            else:
                before = t(f"{key}_day", date=when_old)
        new_date = dt.date.fromisoformat(row["new_date"]) if row["new_date"] else None
        when, where, arrival = "", [], []
        if status == "unscheduled" or new_date is None:
            headline = t("no_date")
            call_key = "call_us_no_date"
        elif status == "transferred":
            pid = row["partner_id"] or ""
            partner = policy.partners.get(pid)
            headline = t("transferred" if _in_time(schedule.get(cid), new_date) else "elsewhere")
            when = long_date(new_date, lang)
            where = [i18n.partner(lang, pid, partner.name if partner else "")]
            if partner and partner.address:
                where.append(partner.address)
            arrival = [t("partner_will_call")]
            if partner and partner.phone:
                arrival.append(t("partner_phone", phone=partner.phone))
            call_key = "call_us"
        else:
            same_day = old_date is not None and old_date == row["new_date"]
            if same_day and old_start is not None and old_start == row["new_start"]:
                headline = t("same_time", date=long_date(new_date, lang))  # another room only
            elif same_day:
                headline = t("same_day", date=long_date(new_date, lang))
            else:
                headline = t("given_date" if old_date is None else "new_date")
            when = long_date(new_date, lang)
            where = [name] + ([hosp.address] if hosp.address else [])
            start = _minutes(row["new_start"] or "00:00")
            come = start - hosp.arrival_before_min
            if new_date == policy.start_date and policy.now is not None and come < policy.now:
                # the day begun: an arrival time already past is none; as soon as possible
                arrival = [t("arrive_now", start=clock(start, lang))]
            else:
                arrival = [t("arrive", time=clock(come, lang)), t("arrive_note")]
            call_key = "call_us"
        if not hosp.phone:
            call_key += "_no_phone"
        specialty = i18n.name(lang, "specialty", row["specialty"] or "")
        letters.append(
            Letter(
                case_id=cid,
                place_date=t("place_date", date=today),
                subject=t("subject", specialty=specialty),
                before=before,
                headline=headline,
                when=when,
                where=where,
                arrival=arrival,
                call=t(call_key, who=who, phone=hosp.phone),
                footer=t("footer", case=cid, page=k, pages=pages),
            )
        )
    words = {key: t(key, case="") for key in ("greeting", "bring", "apology", "name_line")}
    return Letters(
        lang=lang,
        title=t("title", hospital=name),
        hospital=[x for x in (hosp.name, hosp.address, hosp.phone) if x],
        letters=letters,
        signature=t("signature", hospital=name),
        words=words,
    )


def write_letters(result_dir: str | Path, lang: Lang | None = None) -> Path:
    """Write ``RESULT_DIR/letters.html`` from the result folder alone; returns its path.

    The language, and the errors raised, as :func:`optimizer.report.render.write_report`.
    """
    folder = read_result_folder(result_dir)
    return write_folder_letters(folder, lang or folder.scenario.policy.language)


def write_folder_letters(folder: ResultFolder, lang: Lang) -> Path:
    """Write ``letters.html`` into a result folder already read; returns its path."""
    template = environment().get_template("letters.html.j2")
    return write_html(folder.path, LETTERS_FILE, template.render(r=build_letters(folder, lang)))

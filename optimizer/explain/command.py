"""``explain CASE_ID RESULT_DIR``: why a case is where it is, and what would let it go ahead.

Reads only the result folder (``schedule.csv`` and the scenario as solved in
``scenario/``), so it answers for any result, however it was produced. Words
come from the ``explain`` and ``reasons`` catalogues.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .. import i18n
from ..facts.levels import LevelKind
from ..facts.schedule_file import read_schedule
from ..i18n import Lang, Refusal
from ..scenario import Problem, ScenarioError, load_scenario
from ..scenario.problem_words import problem_text
from ..scenario.schema import Case, Scenario
from .causes import find_cause
from .counterfactual import LevelChange, Move, WhatItTakes, what_it_takes
from .facts import Book, Booking
from .findings import Finding
from .verdict import (
    DAY_BEGUN,
    NO_SESSION,
    RESOURCE_FULL,
    RESOURCE_ZERO,
    SESSION_SHORT,
    SURGEON_UNAVAILABLE,
    Verdict,
    verdict,
)
from .words import render, resource_words

NOTHING_TO_ASK = {
    "backlog",
    "outside_horizon",
    "not_released",
    "patient_unavailable",
    "room_closed",
}


class ExplainError(Refusal, ValueError):
    """A user's mistake: not a result folder, or a case the result does not hold; said
    from the ``explain`` catalogue, by default in the language asked, else the policy's."""


@dataclass(frozen=True)
class Problems:
    """Problems in a refusal, each said in the refusal's language: after ``before`` each,
    joined by ``sep``."""

    problems: tuple[Problem, ...]
    before: str = ""
    sep: str = "; "

    def text(self, lang: Lang) -> str:
        return self.sep.join(self.before + problem_text(p, lang) for p in self.problems)


def read_result(
    result_dir: str | Path, lang: Lang | None = None
) -> tuple[Scenario, list[Booking], list[dict[str, str]]]:
    """The scenario as solved and the schedule of a result folder (its problems said in
    ``lang``, default: the policy's language)."""
    result_dir = Path(result_dir)
    schedule = result_dir / "schedule.csv"
    if not result_dir.is_dir() or not schedule.is_file() or not (result_dir / "scenario").is_dir():
        raise ExplainError("explain.not_result_folder", lang=lang or "en", folder=result_dir)
    try:
        scenario = load_scenario(result_dir / "scenario")
    except ScenarioError as exc:
        said: Lang = lang or ("fr" if exc.lang == "fr" else "en")
        first = Problems(tuple(exc.problems[:3]))
        raise ExplainError(
            "explain.bad_scenario", lang=said, folder=result_dir, problems=first
        ) from None
    try:  # the reader replan and report use: every cell explain reads is checked
        checked = read_schedule(schedule, str(schedule), scenario)
    except ScenarioError as exc:
        lines = Problems(tuple(exc.problems), before="\n  - ", sep="")
        said = lang or scenario.policy.language
        n = len(exc.problems)
        raise ExplainError(
            "explain.bad_folder", lang=said, folder=result_dir, n=n, problems=lines
        ) from None
    return scenario, list(checked.bookings), list(checked.rows)


def explain(
    result_dir: str | Path, case_id: str, lang: Lang | None = None, *, seed: int = 0
) -> str:
    """The text ``explain`` prints for one case, in ``lang`` (default: the policy's language).

    Raises
    ------
    ExplainError
        ``result_dir`` is no result folder, its files are broken, or it holds no ``case_id``.
    """
    result_dir = Path(result_dir)
    scenario, bookings, _rows = read_result(result_dir, lang)
    lang = lang or scenario.policy.language
    ids = [c.case_id for c in scenario.cases]
    if case_id not in ids:
        raise ExplainError("explain.no_case", lang=lang, folder=result_dir, case=repr(case_id))
    i = ids.index(case_id)
    c, b = scenario.cases[i], bookings[i]
    finding = find_cause(scenario, bookings, i)
    lines = [_t(lang, "header", case=c.case_id, urgency=i18n.name(lang, "urgency", c.urgency),
                specialty=i18n.name(lang, "specialty", c.specialty),
                surgeon=c.surgeon_id)]  # fmt: skip
    lines.append(_t(lang, "planned", plan=_plan(c, lang)))
    lines.append(_t(lang, "now", status=_booking(b, lang)))
    if finding is None:
        key = "kept_in_place" if b.status == "kept" else "waiting_given_date"
        lines.append(_t(lang, key))
        return "\n".join(lines)
    cause = i18n.name(lang, "cause", finding.cause)
    blocking = finding.blocking  # a resource_full's are resources: said in words
    said = (
        resource_words(blocking, lang) if finding.cause == "resource_full" else ";".join(blocking)
    )
    lines.append(_t(lang, "cause", cause=cause, blocking=said or "-"))
    lines.append(_t(lang, "reason", reason=render(finding, lang)))
    lines += _counterfactual(scenario, bookings, i, finding, lang, seed)
    return "\n".join(lines)


def _counterfactual(
    scenario: Scenario,
    bookings: list[Booking],
    i: int,
    finding: Finding,
    lang: Lang,
    seed: int,
) -> list[str]:
    c, b = scenario.cases[i], bookings[i]
    if finding.cause == "not_released" and c.planned_date is None:  # no planned date to name
        assert c.release_date is not None
        return [_t(lang, "nothing_not_released_waiting", release=i18n.day(c.release_date))]
    if finding.cause in NOTHING_TO_ASK:
        return [_t(lang, "nothing_" + finding.cause)]
    if c.fixed_date is not None and b.date == c.fixed_date:  # held: under way, or the planner's
        now = scenario.policy.now if c.fixed_date == scenario.policy.start_date else None
        if now is not None and c.fixed_start is not None and c.fixed_start < now:
            start, at = _hm(c.fixed_start), _hm(now)
            return [_t(lang, "nothing_under_way", date=i18n.day(c.fixed_date), start=start, now=at)]
        return [_t(lang, "nothing_fixed", date=i18n.day(c.fixed_date))]
    book = Book(scenario, tuple(bookings))
    if c.planned_date is None:
        date = _best_date(book, i)
        if date is None:
            return [_t(lang, "no_date")]
        head = _t(lang, "ask_waiting", date=i18n.day(date))
    else:
        date = c.planned_date
        head = _t(lang, "ask_planned", date=i18n.day(date))
    in_place = b.status == "kept"  # it goes ahead already: ask for its planned room and start
    if in_place:
        head = _t(lang, "ask_in_place", date=i18n.day(date))
    answer = what_it_takes(scenario, bookings, c.case_id, date, in_place=in_place, seed=seed)
    return [head, *_answer(answer, lang, scenario)]


def _best_date(book: Book, i: int) -> dt.date | None:
    """For a waiting case: the date where the fewest cases are in its way."""
    policy = book.scenario.policy
    c = book.scenario.cases[i]
    first = max(d for d in (policy.start_date, c.release_date) if d is not None)
    days = [first + dt.timedelta(days=k) for k in range((policy.end_date - first).days + 1)]
    verdicts = [verdict(book, i, d) for d in days]
    usable = [v for v in verdicts if v.kind not in (NO_SESSION, SESSION_SHORT, DAY_BEGUN)]
    if not usable:
        return None
    return min(usable, key=lambda v: (*v.badness, v.date)).date


def _answer(answer: WhatItTakes, lang: Lang, scenario: Scenario) -> list[str]:
    if answer.timed_out:
        return [_t(lang, "timed_out", seconds=_num(answer.seconds))]
    if not answer.found:
        return [_t(lang, "capacity", what=_missing(answer.missing, answer.date, lang, scenario))]
    lines = []
    if answer.place is not None and answer.place.room is not None:
        lines.append(_t(lang, "would_go", place=_booking(answer.place, lang)))
    if not answer.moves:
        lines.append(_t(lang, "no_move"))
    else:
        lines.append(_t(lang, "moves", n=len(answer.moves)))
        lines += [_move(m, lang) for m in answer.moves]
    lines.append(_t(lang, "levels"))
    for lv in answer.levels:
        label = _level_name(lv, lang)
        lines.append(_t(lang, "level", name=label, before=_num(lv.before), after=_num(lv.after)))
    key = "proven" if answer.proven else "not_proven"
    lines.append(_t(lang, key + ("_rooms" if answer.scope == "rooms" else "")))
    return lines


def _missing(v: Verdict | None, date: dt.date, lang: Lang, scenario: Scenario) -> str:
    day = i18n.day(date)
    if v is None:
        return _t(lang, "need_more", date=day)
    if v.kind == DAY_BEGUN and scenario.policy.now is not None:
        minutes = scenario.cases[v.case].duration_min
        return _t(lang, "need_after_now", date=day, duration=minutes, now=_hm(scenario.policy.now))
    if v.kind == RESOURCE_FULL:
        named = resource_words(v.resources, lang)
        return _t(lang, "need_more_resource", resources=named, date=day)
    if v.kind == NO_SESSION:
        return _t(lang, "need_session", date=day)
    if v.kind == SESSION_SHORT:
        return _t(lang, "need_longer_session", date=day)
    if v.kind == SURGEON_UNAVAILABLE:
        return _t(lang, "need_hours", date=day)
    if v.kind == RESOURCE_ZERO:
        return _t(lang, "need_resource", resources=resource_words(v.resources, lang), date=day)
    return _t(lang, "need_more", date=day)


LEVEL_KEYS = {
    LevelKind.MISSES: "level_misses",
    LevelKind.SHORTFALL: "level_shortfall",
    LevelKind.KEPT: "level_kept",
    LevelKind.KEPT_WEIGHTED: "level_kept_weighted",
    LevelKind.DELAY: "level_delay",
    LevelKind.WAITING: "level_waiting",
    LevelKind.MOVED: "level_moved",
    LevelKind.SHIFTED: "level_shifted",
}


def _level_name(level: LevelChange, lang: Lang) -> str:
    """The objective level's name in ``lang`` (a per-class miss level keeps its class)."""
    if level.kind in LEVEL_KEYS:
        return _t(lang, LEVEL_KEYS[level.kind])
    if level.kind is LevelKind.MISSES_OF_CLASS:
        return _t(
            lang, "level_misses_class", urgency=i18n.name(lang, "urgency", level.urgency or "")
        )
    return level.name


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.2f}"


def _move(m: Move, lang: Lang) -> str:
    before, after = _booking(m.before, lang), _booking(m.after, lang)
    urgency = i18n.name(lang, "urgency", m.urgency)
    return _t(lang, "move", case=m.case_id, urgency=urgency, before=before, after=after)


def _plan(c: Case, lang: Lang) -> str:
    if c.planned_date is None:
        return _t(lang, "waiting_list")
    where = " ".join(
        x
        for x in (
            i18n.day(c.planned_date),
            c.planned_room or "",
            _hm(c.planned_start) if c.planned_start is not None else "",
        )
        if x
    )
    return where


def _booking(b: Booking, lang: Lang) -> str:
    if b.status == "unscheduled" or b.date is None:
        return _t(lang, "status_unscheduled")
    if b.partner is not None:
        partner = i18n.partner(lang, b.partner)
        return _t(lang, "status_transferred", partner=partner, date=i18n.day(b.date))
    assert b.room is not None and b.start is not None
    return _t(lang, "status_" + b.status, date=i18n.day(b.date), room=b.room, start=_hm(b.start))


def _hm(m: int) -> str:
    return f"{m // 60:02d}:{m % 60:02d}"


def _t(lang: Lang, key: str, **fields: object) -> str:
    return i18n.text(lang, "explain." + key, **fields)

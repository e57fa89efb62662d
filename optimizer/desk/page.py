"""The desk's page, rendered on the server with Jinja2 from what the desk holds.

A view only: the working scenario, the runs of the journal and the files of
each run folder (read by :func:`optimizer.report.read_result_folder`, as the
report reads them). The words come from the ``desk`` and ``report``
catalogues, in the planner's language.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

import jinja2

from .. import i18n
from ..clock import format_time
from ..explain.words import resource_words
from ..i18n import Lang
from ..report import ResultFolder, ResultFolderError, read_result_folder
from ..report.render import environment
from ..report.words import Words, reasons_in
from ..scenario import ScenarioError
from ..scenario.capacity import horizon_dates
from ..scenario.capacity_resources import settable_resources
from ..scenario.problem_words import problem_text
from ..scenario.warning_words import warning_text
from .errors import Number
from .journal import AUTHORS
from .outcomes import CALL_OUTCOMES, DAY_OUTCOMES, day_outcomes
from .overrides import overrides

if TYPE_CHECKING:
    from collections.abc import Callable

    from .actions import Desk
    from .journal import Entry, RunRecord

# Files a run folder may hold, in the order the downloads list them.
DOWNLOADS = ("report.html", "letters.html", "schedule.csv", "calls.csv", "summary.json",
             "schedule.xlsx", "calls.xlsx", "done.csv", "options.csv", "whatif.csv",
             "sessions_added.csv", "whatif.json", "curve.csv", "curve.png")  # fmt: skip


@dataclass(frozen=True)
class DeskWords:
    """``t("key", ...)``: a message of the ``desk`` catalogue in ``lang``."""

    lang: Lang

    def __call__(self, key: str, **fields: Any) -> str:
        return i18n.text(self.lang, f"desk.{key}", **fields)

    def author(self, who: str) -> str:
        """Who wrote a journal entry or asked for a run: a planner by the name they gave,
        the desk itself or a script of the API in the page's words (``le poste``)."""
        return self(f"authors.{who}") if who in AUTHORS else who


def _environment() -> jinja2.Environment:
    return environment("desk/templates", keep_trailing_newline=False)


def render_login(lang: Lang, *, failed: bool, token_only: bool = False) -> str:
    """The password form, or (``token_only``) the page that asks for the desk's link."""
    template = _environment().get_template("login.html.j2")
    return template.render(t=DeskWords(lang), failed=failed, lang=lang, token_only=token_only)


def render_page(
    desk: Desk,
    lang: Lang,
    who: str,
    csrf: str,
    run_id: str | None,
    compare: tuple[str | None, str | None],
) -> str:
    """The whole page: the scenario's grid, the runs, the chosen run, a comparison."""
    words = Words(lang)
    runs = desk.journal.runs()
    done = [r for r in runs if r.state == "done" and desk.runner.path(r.run_id).is_dir()]
    chosen = run_id if run_id and any(r.run_id == run_id for r in done) else None
    if chosen is None and done:
        chosen = done[0].run_id
    view = _run_view(desk, chosen, lang) if chosen else None
    active = [desk.run_json(r.run_id, lang) for r in runs if r.state in ("queued", "running")]
    context = {
        "t": DeskWords(lang),
        "w": view["words"] if view else words,
        "lang": lang,
        "who": who,
        "csrf": csrf,
        "scenario": _scenario_view(desk, words),
        "problems": [problem_text(p, lang) for p in desk.workspace.problems],
        "source": None if desk.source is None else str(desk.source),
        "runs": runs,
        "done": done,
        "active": active,
        "run": view,
        "compare": _compare_view(desk, *compare, words) if all(compare) else None,
        "defaults": desk.defaults or {},
        "journal": [_journal_line(e, lang, words) for e in reversed(desk.journal.entries()[-30:])],
        "at": lambda t: dt.datetime.fromtimestamp(t).strftime("%d/%m %H:%M"),
        "num": lambda x: Number(round(float(x), 3)).text(lang),  # 1.5 is 1,5 in French
    }
    return _environment().get_template("desk.html.j2").render(**context)


def _scenario_view(desk: Desk, words: Words) -> dict[str, Any] | None:
    s = desk.workspace.scenario
    if s is None:
        return None
    dates = horizon_dates(s)
    hours = {(x.room_id, x.date): x for x in s.sessions}
    planned: dict[dt.date, int] = defaultdict(int)
    for c in s.cases:
        if c.planned_date is not None:
            planned[c.planned_date] += 1
    grid = []
    for room in s.rooms:
        cells = []
        for d in dates:
            x = hours.get((room.room_id, d))
            cells.append({"date": d.isoformat(), "day": words.day(d),
                          "start": format_time(x.start) if x else "",
                          "end": format_time(x.end) if x else "",
                          "specialty": (x.specialty or "") if x else ""})  # fmt: skip
        grid.append({"room_id": room.room_id, "cells": cells})
    return {
        "name": s.name,
        "dates": [
            {"iso": d.isoformat(), "day": words.weekday(d), "planned": planned[d]} for d in dates
        ],  # fmt: skip
        "grid": grid,
        "surgeons": sorted({c.surgeon_id for c in s.cases}),
        "resources": [
            {"id": r, "name": resource_words([r], words.lang)}
            for r in sorted(settable_resources(s))
        ],  # fmt: skip
        "case_ids": [c.case_id for c in s.cases if not c.pinned],
        "rooms": [r.room_id for r in s.rooms],
        "fixed": [{**f, "day": words.day(f["date"])} for f in overrides(s)],
        "target": s.policy.target_ratio,
        "cases": len(s.cases),
        "warnings": [warning_text(w, words.lang) for w in s.warnings],
        "extras": [
            {
                "index": k,
                "day": words.weekday(e.date),
                "room_id": e.room_id,
                "hours": f"{format_time(e.start)}–{format_time(e.end)}",
                "cost": e.cost,
                "specialty": e.specialty or "",
            }
            for k, e in enumerate(s.extra_sessions)
        ],  # fmt: skip
        "start": s.policy.start_date.isoformat(),
        "end": s.policy.end_date.isoformat(),
    }


def _read(desk: Desk, run_id: str) -> ResultFolder | None:
    try:
        return read_result_folder(desk.runner.path(run_id))
    except (ResultFolderError, ScenarioError):
        return None


def _run_view(desk: Desk, run_id: str, lang: Lang) -> dict[str, Any] | None:
    folder = _read(desk, run_id)
    record = desk.journal.run(run_id)
    if folder is None or record is None:
        return None
    solved_in = record.params.get("lang", folder.scenario.policy.language)
    words = Words(lang, reasons_in(folder, lang) if solved_in != lang else {})
    summary = folder.summary
    target = float(summary.get("target_ratio", folder.scenario.policy.target_ratio))
    case_of = {c.case_id: c for c in folder.scenario.cases}
    outcomes = desk.journal.outcomes(run_id)  # those standing: none taken back
    said = partial(_recorded, DeskWords(lang), words)
    calls = [{**row, "reason_words": words.reason(row), **said(outcomes.get(row["case_id"] or ""))}
             for row in folder.calls]  # fmt: skip
    # done, cancelled, withdrawn (or a call's answer) on a case off the call list
    on_list = {row["case_id"] for row in folder.calls}
    others = [{"case_id": k, **said(e)} for k, e in sorted(outcomes.items()) if k not in on_list]
    # what happened to a case on its day (cancelled, withdrawn), beside it where it shows
    happened = partial(_happened, said, outcomes, day_outcomes(folder.path))
    sheets: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    not_kept = []
    for row in folder.schedule:
        c = case_of[row["case_id"] or ""]
        if row["room_id"] and row["date"]:
            sheets[row["date"]][row["room_id"]].append({**row, "surgeon_id": c.surgeon_id,
                "specialty": c.specialty, "urgency": c.urgency,
                "pinnable": not c.pinned, **happened(c.case_id)})  # fmt: skip
        if row["status"] != "kept":  # withdrawn only: a dated case is cancelled on its sheet
            not_kept.append({**row, "urgency": c.urgency, "reason_words": words.reason(row),
                             **happened(c.case_id, ("withdrawn",))})  # fmt: skip
    day_sheets: list[dict[str, Any]] = []
    for d in sorted(sheets):
        rooms: list[dict[str, Any]] = [
            {"room_id": r, "cases": sorted(sheets[d][r], key=_start)} for r in sorted(sheets[d])
        ]
        day_sheets.append({"date": d, "day": words.weekday(d), "rooms": rooms})
    dates = [
        {**d, "day": words.weekday(d["date"]), "ratio_words": words.percent(d.get("ratio")),
         "width": round(100 * (d.get("ratio") or 0))}
        for d in summary.get("dates", [])
    ]  # fmt: skip
    files = [n for n in DOWNLOADS if (folder.path / n).is_file()]
    whatif = _whatif_rows(folder, words)
    return {
        "run_id": run_id,
        "record": record,
        "words": words,
        "target": target,
        "target_words": words.percent(target),
        "target_width": round(100 * target),
        "dates": dates,
        "totals": summary.get("totals", {}),
        "solver": summary.get("solver", {}),
        "interrupted": bool(summary.get("interrupted")),
        "calls": calls,
        "other_outcomes": others,
        "not_kept": not_kept,
        "day_sheets": day_sheets,
        "files": files,
        "whatif": whatif,
        "options": _option_rows(folder, words, record),
        "curve": (folder.path / "curve.png").is_file(),
        "next_day": (folder.scenario.policy.start_date + dt.timedelta(days=1)).isoformat(),
        "first_day": folder.scenario.policy.start_date.isoformat(),
        "urgencies": folder.scenario.policy.urgency_order(),
        "specialties": sorted({c.specialty for c in folder.scenario.cases}),
        "surgeons": sorted({c.surgeon_id for c in folder.scenario.cases}),
        "new_case_id": _free_id(folder),
    }


def _recorded(t: DeskWords, words: Words, entry: Entry | None) -> dict[str, Any]:
    """The outcome standing on a case as the page shows it beside the case: in words, who
    recorded it, and the entry *Undo* takes back."""
    if entry is None:
        return {"outcome": None, "said": None, "by": None, "entry": None}
    outcome = entry.details.get("outcome")
    return {"outcome": outcome, "said": _outcome_words(t, words, entry.details),
            "by": t.author(entry.who), "entry": entry.entry_id}  # fmt: skip


def _happened(
    said: Callable[[Entry | None], dict[str, Any]],
    outcomes: dict[str, Entry],
    offered: dict[str, tuple[str, ...]],
    case_id: str,
    only: tuple[str, ...] = DAY_OUTCOMES,
) -> dict[str, Any]:
    """The outcome standing on a case (with *Undo*) and the outcomes of the day the page
    offers beside it: those of ``only`` the run takes for it (``offered``, the rule of
    :func:`.outcomes.may_record`), but the one already standing."""
    standing = said(outcomes.get(case_id))
    offer = [o for o in offered.get(case_id, ()) if o in only and o != standing["outcome"]]
    return {**standing, "offer": offer}


def _outcome_words(t: DeskWords, words: Words, details: dict[str, Any]) -> str:
    """``declined until 20/04``, ``unreachable``, ``done`` ... in the planner's language."""
    said = t(f"outcomes_{details.get('outcome')}")
    return f"{said} {words.day(details['until'])}" if details.get("until") else said


def _whatif_rows(folder: ResultFolder, words: Words) -> list[dict[str, Any]] | None:
    """The rows of ``whatif.csv`` when the run was a whatif, dates in words."""
    import csv

    from ..facts.schedule_file import unescape_cell

    path = folder.path / "whatif.csv"
    if not path.is_file():
        return None
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = [{k: unescape_cell(v or "") for k, v in r.items()} for r in csv.DictReader(fh)]
    return [{**r, "day": words.weekday(r["date"])} for r in rows]


def _option_rows(folder: ResultFolder, words: Words, record: RunRecord) -> dict[str, Any] | None:
    """The options of an insert run (``options.csv``), dates in words, the applied one
    marked: ``option`` of a pick, else the first."""
    from .urgent import read_options

    rows = read_options(folder.path)
    if rows is None:
        return None
    applied = int(record.params.get("option") or 1)
    for r in rows:
        r["day"] = words.day(r["date"]) if r["date"] and ";" not in r["date"] else r["date"]
        r["applied"] = r["rank"] == applied
        r["where"] = _option_where(r, words)
    levels = list(rows[0]["costs"]) if rows else []
    return {"rows": rows, "levels": [(k, words.level(k)) for k in levels]}


def _option_where(row: dict[str, Any], words: Words) -> str:
    """Where an option puts the new case: its room, the partner it goes to, or (not
    operated) its status in words; several new cases' lists as written."""
    if ";" in row["status"] or row["room_id"]:
        return str(row["room_id"] or row["partner_id"])
    if row["partner_id"]:
        return words.transferred_to(row["partner_id"])
    return words.status(row["status"])


def _journal_line(entry: Entry, lang: Lang, words: Words) -> dict[str, Any]:
    """One entry of the journal in the planner's words (what was done, to what)."""
    t = DeskWords(lang)
    d = entry.details
    day = words.day(d["date"]) if d.get("date") else ""
    run = entry.run_id or ""
    what = entry.what
    if what == "loaded":
        source = ", ".join(d.get("files") or []) or str(d.get("source", ""))
        text = t("log_loaded", source=source, cases=int(d.get("cases") or 0))
    elif what == "closed":
        text = t("log_closed", room=d.get("room_id"), date=day)
    elif what == "opened":
        text = t("log_opened", room=d.get("room_id"), date=day, start=d.get("start"),
                 end=d.get("end"))  # fmt: skip
    elif what == "surgeon_absent":
        text = t("log_surgeon_absent", surgeon=d.get("surgeon_id"), date=day)
    elif what == "resource_set":
        name = resource_words([str(d.get("resource"))], words.lang)
        text = t("log_resource_set", resource=name, capacity=d.get("capacity"), date=day)
    elif what in ("outcome", "retracted"):
        # a call's answer, or what happened to the case (cancelled on the day, withdrawn)
        key = what if what == "retracted" or d.get("outcome") in CALL_OUTCOMES else "event"
        text = t(f"log_{key}", case=entry.case_id, run=run,
                 outcome=_outcome_words(t, words, d),
                 who=t.author(str(d.get("recorded_by") or "")))  # fmt: skip
    elif what == "fixed":
        where = " ".join(str(x) for x in (day, d.get("room_id"), d.get("start")) if x)
        text = t("log_fixed", case=entry.case_id, where=where)
    elif what == "released":
        text = t("log_released", case=entry.case_id)
    elif what == "insert" and d.get("option"):
        text = t("log_choose", run=run, option=int(d["option"]), case=entry.case_id or "")
    elif what in ("replan", "insert"):
        text = t(f"log_{what}", run=run, date=words.day(d["today"]) if d.get("today") else "",
                 case=entry.case_id or "")  # fmt: skip
    elif what in ("solve", "whatif", "stop", "planner"):
        text = t(f"log_{what}", run=run)
    else:
        text = what
    return {"at": entry.at, "who": t.author(entry.who), "text": text}


def _free_id(folder: ResultFolder) -> str:
    """A case id the run does not use yet, for the urgent case form: ``URG01``, ``URG02`` ..."""
    taken = {c.case_id for c in folder.scenario.cases}
    return next(f"URG{k:02d}" for k in range(1, len(taken) + 2) if f"URG{k:02d}" not in taken)


def _start(row: dict[str, Any]) -> str:
    return str(row.get("start") or "")


def _compare_view(desk: Desk, a: str | None, b: str | None, words: Words) -> dict[str, Any] | None:
    """Two runs side by side: the kept ratio per date, and the cases whose slot differs."""
    if a is None or b is None:
        return None
    fa, fb = _read(desk, a), _read(desk, b)
    if fa is None or fb is None:
        return None
    per_a = {d["date"]: d for d in fa.summary.get("dates", [])}
    per_b = {d["date"]: d for d in fb.summary.get("dates", [])}
    dates = []
    for date in sorted(per_a.keys() | per_b.keys()):
        da, db = per_a.get(date, {}), per_b.get(date, {})
        dates.append({"day": words.weekday(date), "a": words.percent(da.get("ratio")),
                      "b": words.percent(db.get("ratio")),
                      "kept_a": da.get("kept"), "kept_b": db.get("kept")})  # fmt: skip
    rows_b = {r["case_id"]: r for r in fb.schedule}
    keys = ("status", "date", "room_id", "start", "partner_id")
    changed = []
    for ra in fa.schedule:
        rb = rows_b.get(ra["case_id"])
        if rb is None or any(ra[k] != rb[k] for k in keys):
            changed.append({"case_id": ra["case_id"], "a": ra, "b": rb})
    return {"a": a, "b": b, "dates": dates, "changed": changed}

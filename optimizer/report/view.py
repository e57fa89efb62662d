"""What the report shows, computed from a result folder: the figures, not the markup.

The templates lay these out; every word in them comes from the catalogue
through :class:`~optimizer.report.words.Words`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..i18n import Lang
from ..result.summary import SPLIT_KEYS, SplitTotals, split_totals
from ..scenario.schema import Case, Scenario
from ..sweep.robustness import load_robustness
from ..whatif.text import lever_lines
from .beds import BedLine, bed_causes, bed_lines
from .days import DaySheet, Row, day_sheets
from .folder import ResultFolder
from .words import Words, reasons_in

CHART_W, CHART_H = 1000, 230
CHART_LEFT, CHART_BOTTOM, CHART_TOP, CHART_RIGHT = 48, 22, 18, 90


@dataclass(frozen=True)
class DateLine:
    date: str
    label: str
    planned: int
    kept: int
    ratio: str
    met: bool


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    w: float
    h: float
    met: bool
    label: str
    value: str


@dataclass
class Chart:
    width: int
    height: int
    left: int
    right: int
    plot_bottom: float
    target_y: float
    target_label: str
    bars: list[Bar]
    grid: list[tuple[float, str]]


@dataclass(frozen=True)
class KpiLine:
    name: str
    planned: int
    kept: int
    ratio: str
    postponed: int
    transferred: int
    unscheduled: int
    mean_delay: str


@dataclass(frozen=True)
class CallLine:
    old: str
    case_id: str
    surgeon: str
    specialty: str
    urgency: str
    status: str  # "postponed", in words: the first line of the new appointment
    new: str
    reason: str
    wait: str = ""  # a postponed, transferred or unscheduled patient's total wait


@dataclass
class CallDay:
    heading: str
    lines: list[CallLine]


@dataclass(frozen=True)
class LevelLine:
    order: int
    name: str
    state: str
    found: str
    bound: str
    proven: bool


@dataclass
class Report:
    """Everything one report shows, in one language."""

    lang: Lang
    scenario_name: str
    horizon: str
    target: str
    totals: dict[str, Any]
    kept_ratio: str
    dates: list[DateLine]
    chart: Chart
    misses: list[dict[str, str]]
    transfers: list[dict[str, Any]]
    solver_headline: str
    solver_lines: list[str]
    levels: list[LevelLine]
    days: list[DaySheet]
    by_specialty: list[KpiLine]
    by_urgency: list[KpiLine]
    calls: list[CallDay]
    call_count: int
    run: dict[str, Any] = field(default_factory=dict)
    levers: list[str] = field(default_factory=list)  # overtime used, reserve kept
    robustness: list[dict[str, str]] = field(default_factory=list)  # riskiest room-dates
    robustness_cases: int = 0  # cases likely (> 20 %) to be cancelled on the day
    beds: list[BedLine] = field(default_factory=list)  # beds held per date against capacity
    bed_causes: list[str] = field(default_factory=list)  # per kind of bed, the cases it held back
    # What became of the planned cases (the first page's counts, adding up to the planned
    # ones), and of the others: waiting list, planned before the horizon (a re-plan's).
    split: SplitTotals = field(default_factory=lambda: SplitTotals(0, 0, 0, 0, 0, 0))
    added: str = ""  # the sessions whatif added: this schedule needs them


def build_report(folder: ResultFolder, lang: Lang, *, fresh: bool = False) -> Report:
    """The report of ``folder`` in ``lang``. ``fresh``: the folder was just written by this
    run, so its reasons are the result's own: in the scenario's language, and none given in
    short (the run's budget for reasons used up), they are shown as written, not found again
    (on 3,400 cases that took 2.9 s past the time limit)."""
    short = folder.summary.get("run", {}).get("reasons_short")
    as_written = fresh and lang == folder.scenario.policy.language and not short
    said = None if as_written else reasons_in(folder, lang)
    w = Words(lang) if said is None else Words(lang, said, said.calls)
    sc, summary = folder.scenario, folder.summary
    totals = summary["totals"]
    target = float(summary.get("target_ratio", sc.policy.target_ratio))
    dates = [
        DateLine(
            d["date"],
            w.weekday(d["date"]),
            d["planned"],
            d["kept"],
            w.percent(d["kept"] / d["planned"] if d["planned"] else None),
            d["target_met"],
        )
        for d in summary["dates"]
    ]
    headline, lines, levels = _solver(w, summary)
    return Report(
        lang=lang,
        scenario_name=(summary.get("run") or {}).get("scenario") or folder.path.name,
        horizon=w(
            "horizon",
            start=w.day(sc.policy.start_date),
            end=w.day(sc.policy.end_date),
            year=sc.policy.end_date.year,
        ),
        target=w.percent(target),
        totals=totals,
        # kept over planned rounded once: totals.ratio is rounded to 4 decimals already
        kept_ratio=w.percent(
            totals["kept"] / totals["planned"] if totals.get("planned") else None, 1
        ),
        dates=dates,
        chart=_chart(w, summary["dates"], target),
        misses=_misses(w, sc, folder.schedule, summary),
        transfers=_transfers(w, folder.schedule),
        solver_headline=headline,
        solver_lines=lines,
        levels=levels,
        days=day_sheets(w, sc, folder.schedule),
        by_specialty=_kpis(w, sc, folder.schedule, "specialty"),
        by_urgency=_kpis(w, sc, folder.schedule, "urgency"),
        calls=_calls(w, folder.calls, sc),
        call_count=len(folder.calls),
        run=summary.get("run") or {},
        levers=lever_lines(summary, lang),
        **_robustness(w, folder),
        beds=bed_lines(w, sc, folder.schedule),
        bed_causes=bed_causes(w, sc, folder.schedule),
        split=_split(folder),
        added=_added(w, summary),
    )


def _added(w: Words, summary: dict[str, Any]) -> str:
    """The sessions a ``whatif`` result's schedule uses beyond the capacity it was given: its
    report showed them as open rooms, and its counts as if today's capacity kept them."""
    added = summary.get("extra_sessions_added") or []
    items = [w("added_item", room=e["room_id"], date=w.day(e["date"]), start=e["start"],
               end=e["end"]) for e in added]  # fmt: skip
    return w("added_sessions", n=len(items), sessions=", ".join(items)) if items else ""


def _split(folder: ResultFolder) -> SplitTotals:
    """What became of the planned cases and of the others, as ``summary.json`` says it (the
    first page then agrees with it); counted from the schedule by the same rule for a
    summary.json written before it held the split."""
    totals = folder.summary["totals"]
    given = [totals.get(k) for k in SPLIT_KEYS]
    if all(type(n) is int for n in given):
        return SplitTotals(*given)
    return split_totals(folder.scenario, (row["status"] or "" for row in folder.schedule))


ROBUSTNESS_ROWS = 15  # the riskiest room-dates; the CSV has them all
CANCEL_RISK = 0.2


def _robustness(w: Words, folder: ResultFolder) -> dict[str, Any]:
    """The riskiest room-dates of ``robustness_rooms.csv`` (written by ``robustness``), if
    the folder has been simulated; nothing otherwise."""
    tables = load_robustness(folder.path)
    if tables is None:
        return {}
    rooms, cases = tables
    worst = rooms.sort_values(["p_overrun", "date", "room_id"], ascending=[False, True, True])
    lines = [
        {
            "date": w.day(str(r["date"])),
            "room": str(r["room_id"]),
            "booked": str(int(r["booked_min"])),
            "p_overrun": w.percent(float(r["p_overrun"])),
            "overtime": f"{float(r['expected_overtime_min']):.0f}",
        }
        for r in worst.head(ROBUSTNESS_ROWS).to_dict("records")
    ]
    risky = int((cases["p_cancelled"].fillna(0) > CANCEL_RISK).sum())
    return {"robustness": lines, "robustness_cases": risky}


def _chart(w: Words, dates: list[dict[str, Any]], target: float) -> Chart:
    n = max(1, len(dates))
    plot_w = CHART_W - CHART_LEFT - CHART_RIGHT
    plot_h = CHART_H - CHART_BOTTOM - CHART_TOP
    bottom = CHART_TOP + plot_h
    step = plot_w / n
    bar_w = min(60.0, step * 0.7)

    def y(ratio: float) -> float:
        return round(bottom - ratio * plot_h, 1)

    bars = []
    for k, d in enumerate(dates):
        ratio = d["kept"] / d["planned"] if d["planned"] else 0.0
        x = CHART_LEFT + k * step + (step - bar_w) / 2
        bars.append(
            Bar(
                round(x, 1),
                y(ratio),
                round(bar_w, 1),
                round(ratio * plot_h, 1),
                bool(d["target_met"]),
                w.day(d["date"]),
                w.percent(ratio),
            )
        )
    grid = [(y(g / 4), w.percent(g / 4)) for g in range(5)]
    return Chart(
        CHART_W,
        CHART_H,
        CHART_LEFT,
        CHART_W - CHART_RIGHT,
        bottom,
        y(target),
        w("chart_target", target=w.percent(target)),
        bars,
        grid,
    )


def _misses(
    w: Words, sc: Scenario, schedule: tuple[Row, ...], summary: dict[str, Any]
) -> list[dict[str, str]]:
    ids = summary.get("deadline_misses")
    missed = set(ids) if isinstance(ids, list) else set()
    out = []
    for case, row in zip(sc.cases, schedule, strict=True):
        if case.case_id in missed or row.get("deadline_missed") == "true":
            out.append(
                {
                    "case_id": case.case_id,
                    "urgency": w.urgency(case.urgency),
                    "deadline": w.day(row.get("deadline")),
                    "status": w.status(row["status"]),
                    "reason": w.reason(row),
                }
            )
    return out


def _transfers(w: Words, schedule: tuple[Row, ...]) -> list[dict[str, Any]]:
    count = Counter(
        (r["partner_id"] or "", r["date"] or "") for r in schedule if r["status"] == "transferred"
    )
    return [
        {"partner": w.partner(p), "date": w.weekday(d), "cases": n}
        for (p, d), n in sorted(count.items())
    ]


# Levels counted in patients: "could still improve by at most N patients".
PATIENT_LEVELS = frozenset(
    {"shortfall below target", "planned cases kept", "patients moved (room or start)"}
)


def _solver(w: Words, summary: dict[str, Any]) -> tuple[str, list[str], list[LevelLine]]:
    """The solver's status in words: proven best or not, and on which objectives."""
    sv = summary["solver"]
    levels = sv.get("levels", [])
    if summary.get("interrupted"):
        headline = w("solver.interrupted")
    elif sv["status"] == "OPTIMAL":
        headline = w("solver.proven")
    else:
        headline = w("solver.not_proven")
    lines = []
    proven = [w.level(lv["name"]) for lv in levels if lv["status"] == "OPTIMAL"]
    if proven and len(proven) < len(levels):
        lines.append(w("solver.proven_on", levels=", ".join(proven)))
    limiting = sv.get("limiting_level")
    if limiting:
        lv = next((v for v in levels if v["name"] == limiting), None)
        if lv is not None and lv.get("best_bound") is not None:
            key = "could_improve_patients" if limiting in PATIENT_LEVELS else "could_improve"
            lines.append(
                w(
                    f"solver.{key}",
                    level=w.level(limiting),
                    found=w.number(lv["value"], 0),
                    bound=w.number(lv["best_bound"], 0),
                    diff=round(abs(lv["value"] - lv["best_bound"])),
                )
            )
        else:
            lines.append(w("solver.no_proof", level=w.level(limiting)))
    lines.append(w("solver.order"))
    run = summary.get("run") or {}
    seconds = w.number(sv.get("wall_time_s"), 1)
    workers, seed = run.get("workers"), run.get("seed")
    if isinstance(workers, int) and isinstance(seed, int):
        lines.append(w("solver.time", seconds=seconds, workers=workers, seed=seed))
    else:  # a summary that does not say how it was searched (insert's, before): what is known
        lines.append(w("solver.time_only", seconds=seconds))
    table = []
    for k, lv in enumerate(levels, start=1):
        if lv["status"] == "OPTIMAL":
            state = (
                w("solver.state_proven") if lv.get("searched", True) else w("solver.state_trivial")
            )
        elif not lv.get("searched", True):
            state = w("solver.state_not_searched")
        else:
            state = w("solver.state_best_found")
        bound = lv.get("best_bound")
        table.append(
            LevelLine(
                k,
                w.level(lv["name"]),
                state,
                w.number(lv["value"], 0),
                "" if bound is None else w.number(bound, 0),
                lv["status"] == "OPTIMAL",
            )
        )
    return headline, lines, table


def _kpis(w: Words, sc: Scenario, schedule: tuple[Row, ...], by: str) -> list[KpiLine]:
    """Per specialty or urgency class, the cases planned in the horizon and what became of them."""
    p = sc.policy
    count: dict[str, Counter[str]] = defaultdict(Counter)
    delays: dict[str, list[int]] = defaultdict(list)
    for case, row in zip(sc.cases, schedule, strict=True):
        if case.planned_date is None or not p.start_date <= case.planned_date <= p.end_date:
            continue
        key = case.specialty if by == "specialty" else case.urgency
        count[key]["planned"] += 1
        count[key][row["status"] or ""] += 1
        if row["status"] == "postponed" and row["delay_days"]:
            delays[key].append(int(row["delay_days"]))
    if by == "urgency":
        keys = sorted(count, key=lambda u: p.urgency_rank.get(u, len(p.urgency)))
    else:
        keys = sorted(count)
    out = []
    for key in keys:
        c = count[key]
        d = delays[key]
        out.append(
            KpiLine(
                w.specialty(key) if by == "specialty" else w.urgency(key),
                c["planned"],
                c["kept"],
                w.percent(c["kept"] / c["planned"]),
                c["postponed"],
                c["transferred"],
                c["unscheduled"],
                w.number(sum(d) / len(d)) if d else "",
            )
        )
    return out


def _wait(w: Words, sc: Scenario, case: Case | None, c: Row) -> str:
    """How long a patient not operated as planned will have waited since put on the list: to
    the new date, or (not scheduled) more than to the end of this run."""
    if c["status"] not in ("postponed", "transferred", "unscheduled"):
        return ""
    if case is None:
        return ""
    listed = sc.listed(case)
    if c["status"] == "unscheduled" or not c["new_date"]:
        return w("call_wait_more", days=(sc.policy.end_date - listed).days)
    return w("call_wait", days=(dt.date.fromisoformat(c["new_date"]) - listed).days)


def _calls(w: Words, calls: tuple[Row, ...], sc: Scenario) -> list[CallDay]:
    days: list[CallDay] = []
    current: str | None = None
    case_by_id = {k.case_id: k for k in sc.cases}
    for c in calls:
        if not days or c["old_date"] != current:
            current = c["old_date"]  # empty for a patient who had no appointment
            heading = (
                w("calls_day", date=w.weekday_long(current)) if current else w("calls_day_none")
            )
            days.append(CallDay(heading, []))
        status = c["status"]
        if status == "transferred":
            new = w(
                "call_new_transferred",
                where=w.transferred_to(c["partner_id"] or ""),
                date=w.day(c["new_date"]),
            )
        elif status == "unscheduled":
            new = w("call_new_unscheduled")
        else:
            new = w(
                "call_new_slot",
                date=w.day(c["new_date"]),
                room=c["new_room"] or "",
                start=c["new_start"] or "",
            )
        old = (  # a waiting-list patient called in had no slot: no "room ," to print
            w("call_old_slot", room=c["old_room"] or "", start=c["old_start"] or "")
            if c["old_room"] or c["old_start"]
            else ""
        )
        days[-1].lines.append(
            CallLine(
                old,
                c["case_id"] or "",
                c["surgeon_id"] or "",
                w.specialty(c["specialty"] or ""),
                w.urgency(c["urgency"] or ""),
                w.status(status),
                new,
                w.call_reason(c),
                _wait(w, sc, case_by_id.get(c["case_id"] or ""), c),
            )
        )
    return days

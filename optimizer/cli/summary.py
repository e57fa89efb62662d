"""The short text summary printed after a solve: what a planner reads first (the terminal
is the command line's).

Every line is a message of the ``cli`` catalogue, in English or French.
Colours go through :func:`click.style`; :func:`click.echo` drops them when
the output is not a terminal.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from .. import i18n
from ..i18n import Lang
from ..report.words import Words
from ..result.result import Result
from ..whatif.text import lever_lines


def summary_text(
    result: Result, lang: Lang = i18n.DEFAULT_LANG, *, colour: bool = False
) -> list[str]:
    """The summary's lines in ``lang``; with ``colour``, met and missed dates coloured."""
    return summary_lines(result.summary, lang, colour=colour)


def summary_lines(s: dict[str, Any], lang: Lang, *, colour: bool = False) -> list[str]:
    """The summary's lines from a ``summary.json`` mapping."""

    def t(key: str, **fields: Any) -> str:
        return i18n.text(lang, f"cli.{key}", **fields)

    def paint(text: str, **style: Any) -> str:
        return click.style(text, **style) if colour else text

    tot = s["totals"]
    lines = [t("summary.per_date", target=i18n.percent(s["target_ratio"], lang))]
    for d in s["dates"]:
        mark = (
            paint(t("summary.met"), fg="green")
            if d["target_met"]
            else paint(t("summary.missed"), fg="red", bold=True)
        )
        lines.append(
            t(
                "summary.date_line",
                date=i18n.day(dt.date.fromisoformat(d["date"]), lang),
                kept=f"{d['kept']:>4}",
                planned=f"{d['planned']:<4}",
                ratio=f"{i18n.percent(_ratio(d), lang, 1):>7}",
                mark=mark,
            )
        )
    lines += _totals(tot, lang)
    misses = s.get("deadline_misses", [])
    if misses:
        shown = ", ".join(misses[:10]) + (" ..." if len(misses) > 10 else "")
        lines.append(paint(t("summary.misses", n=len(misses), cases=shown), fg="red", bold=True))
    else:
        lines.append(t("summary.no_misses"))
    lines += lever_lines(s, lang)  # overtime used per room and date, the reserve kept
    if "announced" in s:
        a = s["announced"]
        lines.append(
            i18n.text(lang, "replan.announced", kept=a["kept"], changed=a["changed"],
                      date_changed=a["date_changed"],
                      more_than_once=a["reannounced_more_than_once"])
        )  # fmt: skip
    sv = s["solver"]
    status = sv["status"]
    if f"cli.status.{status}" in i18n.catalogue(lang):
        status = t(f"status.{status}")
    state = t("summary.interrupted", status=status) if s["interrupted"] else status
    seconds = f"{sv['wall_time_s']:.1f}".replace(".", "," if lang == "fr" else ".")
    if sv["limiting_level"]:
        lines.append(
            t(
                "summary.solver_limited",
                state=state,
                level=Words(lang).level(sv["limiting_level"]),
                seconds=seconds,
            )
        )
    else:
        lines.append(t("summary.solver", state=state, seconds=seconds))
    short = s["run"].get("reasons_short")
    if short:  # the reasons' budget was spent (optimizer/explain/budget.py)
        lines.append(t("summary.reasons_short", cases=short["cases"], explained=short["explained"]))
    return lines


def _totals(tot: dict[str, Any], lang: Lang) -> list[str]:
    """The planned cases kept, postponed, transferred and unscheduled, then what became of
    the others (waiting list, planned outside the horizon) in the report's own sentence; a
    summary.json written before the split says its totals as they are."""
    ratio = i18n.percent(_ratio(tot), lang, 1)
    if "planned_unscheduled" not in tot:
        return [
            i18n.text(lang, "cli.summary.totals", kept=tot["kept"], planned=tot["planned"],
                      ratio=ratio, postponed=tot["postponed"], transferred=tot["transferred"],
                      unscheduled=tot["unscheduled"], scheduled=tot.get("scheduled", 0))
        ]  # fmt: skip
    lines = [
        i18n.text(lang, "cli.summary.totals_planned", kept=tot["kept"], planned=tot["planned"],
                  ratio=ratio, postponed=tot["planned_postponed"],
                  transferred=tot["planned_transferred"], unscheduled=tot["planned_unscheduled"])
    ]  # fmt: skip
    given, sent = tot["others_given_date"], tot["others_transferred"]
    left = tot["others_unscheduled"]
    if given or sent or left:
        lines.append(i18n.text(lang, "report.others", given=given, transferred=sent, left=left))
    return lines


def _ratio(counts: dict[str, Any]) -> float | None:
    """Kept over planned, rounded once when printed: summary.json's ratio is rounded to 4
    decimals already (20/37 is 0.5405, which printed as 54.0 % instead of 54.1 %)."""
    return counts["kept"] / counts["planned"] if counts.get("planned") else counts.get("ratio")


def print_summary(
    result: Result, out_dir: Path, lang: Lang = i18n.DEFAULT_LANG, *, extra: tuple[Path, ...] = ()
) -> None:
    """Print the summary and the files written (colours only on a terminal)."""
    for line in summary_text(result, lang, colour=True):
        click.echo(line)
    files = [out_dir / name for name in ("schedule.csv", "calls.csv", "calls.xlsx", "summary.json")]
    files += extra
    click.echo(i18n.text(lang, "cli.summary.written", files=", ".join(map(str, files))))

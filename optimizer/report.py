"""The short text summary printed after a solve: what a planner reads first."""

from __future__ import annotations

from pathlib import Path

import click

from .i18n import text
from .result import Result


def summary_text(result: Result) -> list[str]:
    s = result.summary
    t = s["totals"]
    target = s["target_ratio"]
    lines = [f"Kept ratio per date (target {target:.0%}):"]
    for d in s["dates"]:
        mark = "ok " if d["target_met"] else "MISSED"
        lines.append(f"  {d['date']}  {d['kept']:>4}/{d['planned']:<4} {d['ratio']:>6.1%}  {mark}")
    ratio = "n/a" if t["ratio"] is None else f"{t['ratio']:.1%}"
    lines.append(
        f"Total kept {t['kept']}/{t['planned']} ({ratio}); postponed {t['postponed']}, "
        f"transferred {t['transferred']}, unscheduled {t['unscheduled']}, "
        f"waiting cases scheduled {t['scheduled']}."
    )
    misses = s["deadline_misses"]
    if misses:
        shown = ", ".join(misses[:10]) + (" ..." if len(misses) > 10 else "")
        lines.append(f"DEADLINE MISSES: {len(misses)} ({shown}); see the reason column.")
    else:
        lines.append("Deadline misses: none.")
    if "announced" in s:
        a = s["announced"]
        lines.append(
            text("en", "replan.announced", kept=a["kept"], changed=a["changed"],
                 date_changed=a["date_changed"], more_than_once=a["reannounced_more_than_once"])
        )  # fmt: skip
    sv = s["solver"]
    state = sv["status"] + (" (interrupted: best schedule so far)" if s["interrupted"] else "")
    lim = f", limited by {sv['limiting_level']}" if sv["limiting_level"] else ""
    lines.append(f"Solver: {state}{lim}; {sv['wall_time_s']:.1f} s.")
    return lines


def print_summary(result: Result, out_dir: Path) -> None:
    for line in summary_text(result):
        click.echo(line)
    click.echo(f"Written: {out_dir / 'schedule.csv'}, {out_dir / 'summary.json'}")

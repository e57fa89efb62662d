"""``replan RESULT_DIR --today DATE --out NEW_RESULT``: the next morning from today's folder.

The work is the API's (:mod:`optimizer.replan.command`); this module parses,
says what happened and exits with the contract's status.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import click

from ..i18n import text
from ..replan.command import prepare, write_extra
from ..scenario import ScenarioError
from .common import EXAMPLES, EXIT_BAD_INPUT, DateOption, cli, out_option, report_bad_input
from .solving import solve_and_write, solve_options


@cli.command("replan", epilog=EXAMPLES["replan"])
@click.argument("result_dir", type=click.Path(path_type=Path))
@click.option(
    "--today",
    required=True,
    type=DateOption(),
    help="First date of the new horizon (YYYY-MM-DD or DD/MM/YYYY).",
)
@out_option("New result folder (replaced atomically).")
@click.option(
    "--events",
    type=click.Path(path_type=Path),
    default=None,
    help="case_id,event rows: done, cancelled (on the day) or withdrawn.",
)
@click.option(
    "--sessions",
    type=click.Path(path_type=Path),
    default=None,
    help="New sessions (sessions.csv columns): each date the file lists gets exactly its "
    "rows, a row with empty start and end closing that room that date; the dates it does "
    "not list keep their sessions.",
)
@click.option(
    "--cases", type=click.Path(path_type=Path), default=None, help="New cases (cases.csv columns)."
)
@solve_options
def replan(
    result_dir: Path,
    today: dt.date,
    out_dir: Path,
    events: Path | None,
    sessions: Path | None,
    cases: Path | None,
    **options: Any,
) -> None:
    """Re-plan from RESULT_DIR on the morning of --today; write --out with done.csv."""
    started = time.time()
    try:
        morning = prepare(result_dir, today, events=events, sessions=sessions, cases=cases)
    except ScenarioError as exc:
        report_bad_input(exc)
        raise SystemExit(EXIT_BAD_INPUT) from None
    _, lang = solve_and_write(
        morning.scenario, out_dir, started, options, lambda r, f: write_extra(morning, r, f)
    )
    if options["quiet"] or options["as_json"]:
        return
    plan = morning.plan
    left = {s: sum(d.status == s for d in plan.done) for s in ("done", "transferred", "withdrawn")}
    click.echo(text(lang, "replan.left", **left, carried=plan.carried, cancelled=plan.cancelled))
    click.echo(text(lang, "replan.written", folder=out_dir))

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
from .common import (
    EXAMPLES,
    EXIT_BAD_INPUT,
    DateOption,
    bad_input_exits,
    cli,
    out_option,
    path_option,
    refuse_out_over,
)
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
@path_option(
    "--events",
    help="case_id,event[,until] rows: done, cancelled (on the day), withdrawn, and the call "
    "outcomes declined (with until), unreachable, confirmed.",
)
@path_option(
    "--sessions",
    help="New sessions (sessions.csv columns): each date the file lists gets exactly its "
    "rows, a row with empty start and end closing that room that date; the dates it does "
    "not list keep their sessions.",
)
@path_option("--cases", help="New cases (cases.csv columns).")
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
    refuse_out_over(out_dir, result_dir, events, sessions, cases)
    with bad_input_exits(options["lang"]):
        morning = prepare(result_dir, today, events=events, sessions=sessions, cases=cases)
    _, lang = solve_and_write(
        morning.scenario, out_dir, started, options, lambda r, f: write_extra(morning, r, f)
    )
    if options["quiet"] or options["as_json"]:
        return
    plan = morning.plan
    left = {s: sum(d.status == s for d in plan.done) for s in ("done", "transferred", "withdrawn")}
    click.echo(text(lang, "replan.left", **left, carried=plan.carried, cancelled=plan.cancelled))
    click.echo(text(lang, "replan.written", folder=out_dir))


@cli.command("insert", epilog=EXAMPLES["insert"])
@click.argument("result_dir", type=click.Path(path_type=Path))
@click.option("--cases", "cases", required=True, type=click.Path(path_type=Path),
              help="The urgent cases arriving today (cases.csv columns).")  # fmt: skip
@click.option("--today", required=True, type=DateOption(),
              help="The morning they arrive (YYYY-MM-DD or DD/MM/YYYY).")  # fmt: skip
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path),
              help="Folder for options.csv and result/ (the chosen option applied).")  # fmt: skip
@click.option("--top", default=3, show_default=True, type=click.IntRange(1, 20),
              help="How many options to list.")  # fmt: skip
@click.option("--choose", default=1, show_default=True, type=click.IntRange(1, 20),
              help="The option to apply (1: the best).")  # fmt: skip
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=7.0,
              show_default=True, help="Seconds for all the searches together.")  # fmt: skip
@click.option("--work-limit", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Deterministic work per search instead of the wall clock.")  # fmt: skip
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Search workers.")
def insert_command(
    result_dir: Path,
    cases: Path,
    today: dt.date,
    out_dir: Path,
    top: int,
    choose: int,
    time_limit: float,
    work_limit: float | None,
    seed: int,
    workers: int | None,
) -> None:
    """Slot urgent cases into RESULT_DIR on --today: the --top best options in options.csv,
    option --choose applied in --out/result/."""
    from ..replan.insert import INSERT_MARKERS, InsertError, insert, write_insert
    from ..result.output import OutputFolderError, check_out_dir

    started = time.monotonic()  # --time-limit bounds the whole command
    refuse_out_over(out_dir, result_dir, cases)
    try:  # before any work: a folder that is not a previous insert's is never replaced
        check_out_dir(out_dir, INSERT_MARKERS)
    except OutputFolderError as exc:
        raise click.BadParameter(f"{exc}; nothing was written", param_hint="--out") from None
    search: dict[str, Any] = {"seed": seed, "time_limit": time_limit}
    if work_limit is not None:
        search["work_limit"] = work_limit
    if workers is not None:
        search["workers"] = workers
    try:
        with bad_input_exits():
            morning, options, names = insert(result_dir, cases, today, top=top,
                                             started=started, **search)  # fmt: skip
            write_insert(morning, options, names, out_dir, choose=choose)
    except InsertError as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(EXIT_BAD_INPUT) from None
    for rank, row in enumerate(options, start=1):
        where = "; ".join(f"{r['status']} {r['date'] or ''} {r['room_id'] or r['partner_id'] or ''}"
                          for r in row.rows)  # fmt: skip
        click.echo(f"{rank}. {where.strip()} (moved: {len(row.moved)})")
    click.echo(f"options written in {out_dir / 'options.csv'}; option {choose} applied in "
               f"{out_dir / 'result'}")  # fmt: skip

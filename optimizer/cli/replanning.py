"""``replan RESULT_DIR --today DATE --out NEW_RESULT``: the next morning from today's folder.

The work is the API's (:mod:`optimizer.replan.command`); this module parses,
says what happened and exits with the contract's status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from ..i18n import Lang, full_date, partner, text
from ..replan.command import prepare, write_extra
from .common import (
    EXAMPLES,
    DateOption,
    TimeOption,
    bad_input_exits,
    cli,
    lang_option,
    out_option,
    out_refused,
    path_option,
    refuse,
    refuse_out_over,
)
from .language import said_language
from .launched import launched_at, launched_monotonic
from .solving import solve_and_write, solve_options

NOW_HELP = (
    "The time of day the plan is made, when --today has begun (HH:MM or 10h30): a case the "
    "previous result started before it today stays where it is, and nothing else starts "
    "before it today."
)


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
@click.option("--now", type=TimeOption(), default=None, help=NOW_HELP)
@solve_options
def replan(
    result_dir: Path,
    today: dt.date,
    out_dir: Path,
    events: Path | None,
    sessions: Path | None,
    cases: Path | None,
    now: int | None,
    **options: Any,
) -> None:
    """Re-plan from RESULT_DIR on the morning of --today; write --out with done.csv."""
    started = launched_at()  # the process's start: the limit bounds the whole command
    refuse_out_over(out_dir, result_dir, events, sessions, cases, lang=options["lang"])
    # the folder's own policy says the language of a folder that is no result (its scenario)
    with bad_input_exits(said_language(options["lang"], result_dir)):
        morning = prepare(result_dir, today, events=events, sessions=sessions, cases=cases, now=now)
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
@click.option("--now", type=TimeOption(), default=None,
              help="When they arrive (HH:MM or 10h30): the cases begun before it stay "
                   "where they are, and nothing starts before it today.")  # fmt: skip
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
@lang_option("Language of the lines printed (default: the policy's language, else en).")
def insert_command(
    result_dir: Path,
    cases: Path,
    today: dt.date,
    out_dir: Path,
    now: int | None,
    top: int,
    choose: int,
    time_limit: float,
    work_limit: float | None,
    seed: int,
    workers: int | None,
    lang: Lang | None,
) -> None:
    """Slot urgent cases into RESULT_DIR on --today: the --top best options in options.csv,
    option --choose applied in --out/result/."""
    from ..replan.insert import INSERT_MARKERS, InsertError, insert, result_budget, write_insert
    from ..result.output import OutputFolderError, check_out_dir

    started = launched_monotonic()  # --time-limit bounds the whole command, start-up too
    refuse_out_over(out_dir, result_dir, cases, lang=lang)
    try:  # before any work: a folder that is not a previous insert's is never replaced
        check_out_dir(out_dir, INSERT_MARKERS)
    except OutputFolderError as exc:
        said = said_language(lang, result_dir)
        raise out_refused(exc, said, nothing_written=True) from None
    search: dict[str, Any] = {"seed": seed, "time_limit": time_limit}
    if work_limit is not None:
        search["work_limit"] = work_limit
    if workers is not None:
        search["workers"] = workers
    try:
        with bad_input_exits(said_language(lang, result_dir)):
            morning, options, names = insert(result_dir, cases, today, top=top,
                                             started=started, now=now, **search)  # fmt: skip
            clock = None if work_limit is not None else time_limit
            budget = result_budget(morning.scenario, started, clock)
            write_insert(morning, options, names, out_dir, choose=choose, reasons_budget=budget)
    except InsertError as exc:
        refuse(exc, lang)
    said = lang or morning.scenario.policy.language
    partner_names = {pid: c.name for pid, c in morning.scenario.policy.partners.items()}
    for rank, row in enumerate(options, start=1):
        where = "; ".join(option_place(r, said, partner_names) for r in row.rows)
        click.echo(text(said, "replan.insert.option", rank=rank, where=where.strip(),
                        moved=len(row.moved)))  # fmt: skip
    click.echo(text(said, "replan.insert.written", options=out_dir / "options.csv",
                    choose=choose, result=out_dir / "result"))  # fmt: skip


def option_place(
    row: dict[str, Any], lang: Lang, partner_names: Mapping[str, str] | None = None
) -> str:
    """Where an option puts a case, as its line says it: the status in ``lang``, the date
    as the language writes it (``16/04/2024`` in French), the room or the partner (by the
    name ``partner_names`` gives it, else its id as staff say it: :func:`.i18n.partner`),
    the start."""
    day = full_date(dt.date.fromisoformat(row["date"]), lang) if row["date"] else ""
    pid = row["partner_id"]
    there = row["room_id"] or (pid and partner(lang, pid, (partner_names or {}).get(pid, "")))
    parts = (_status(row["status"], lang), day, there, row["start"])
    return " ".join(str(p) for p in parts if p)


def _status(status: str, lang: Lang) -> str:
    """A status of options.csv as the line says it: the code itself in English (as the file
    writes it), the report's word for it in another language."""
    return status if lang == "en" else text(lang, f"report.status.{status}")

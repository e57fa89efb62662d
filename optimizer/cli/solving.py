"""Commands that solve, re-plan, report on and explain a schedule."""

from __future__ import annotations

import json
import logging
import signal
import sys
import time
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from .. import i18n
from ..i18n import Lang
from ..scenario import ScenarioError, load_scenario
from ..scenario.params import DEFAULT_TIME_LIMIT
from ..scenario.warning_words import warning_text
from .progress import TerminalProgress

if TYPE_CHECKING:
    from ..report import ResultFolder
    from ..result.result import Result
    from ..scenario import Scenario
    from ..search import StopFlag

from .common import (
    EXAMPLES,
    EXIT_BAD_INPUT,
    EXIT_BUG,
    SolveOption,
    _Command,
    bad_input_exits,
    cli,
    lang_option,
    out_option,
    out_refused,
    refuse,
    refuse_out_over,
    search_option,
    solve_options_of,
)
from .language import said_language
from .launched import launched_at

T = TypeVar("T")

# The search's options, shared by every command that solves (solve, replan, whatif).
_SEARCH = [
    search_option(
        "--time-limit",
        float,
        f"Wall-clock bound in seconds (bounds time only; default: policy "
        f"time_limit_s, else {DEFAULT_TIME_LIMIT:g}).",
    ),
    search_option(
        "--work-limit",
        float,
        "Deterministic work budget (CP-SAT deterministic seconds): with --workers 1 "
        "and the same seed, the same schedule byte for byte. The wall clock (--time-limit) "
        "is then not applied.",
    ),
    search_option(
        "--target", float, "Kept-ratio target per date (default: policy target_ratio, 0.90)."
    ),
    search_option("--seed", int, "Search seed (0 to 2^31-1)."),
    search_option("--workers", int, "Search workers (default: cores, at most 8)."),
    click.option("--log", "log_search", is_flag=True, help="Show CP-SAT's search log."),
]
# The block search on Dask (solve only: search/blocks.py).
_BLOCKS = [
    click.option(
        "--blocks",
        "block_days",
        type=SolveOption("block_days", int),
        default=None,
        help="First improve the schedule in blocks of this many dates, each solved apart "
        "(on Dask), then search the whole model with the time left: for a university or "
        "a region, where one model is too heavy. Default: no blocks.",
    ),
    click.option(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="The address of a running Dask scheduler (tcp://host:8786) to solve the blocks "
        "on (with --blocks), else the windows that improve the start of a scenario with more "
        "options than the model holds, a round of them at a time; default: a local cluster.",
    ),
    click.option(
        "--dask-workers",
        "dask_workers",
        type=SolveOption("dask_workers", int),
        default=None,
        help="Worker processes of the local cluster that solves the blocks (with --blocks), "
        "else the start's windows in rounds (default 2); 0 solves them one after the other "
        "in this process, as without --blocks, --scheduler or --dask-workers. With "
        "--workers 1 and --work-limit, this process, a local cluster and a running one give "
        "the same schedule.",
    ),
]
# What is printed and written besides the result folder (solve, replan).
_OUTPUT = [
    click.option(
        "--report", "make_report", is_flag=True, help="Also write report.html in the --out folder."
    ),
    click.option(
        "--xlsx",
        "with_xlsx",
        is_flag=True,
        help="Also write schedule.xlsx in the --out folder: the schedule, the calls, the "
        "KPIs and one sheet per day, to open in Excel and print.",
    ),
    lang_option("Language of the summary and the report (default: policy language, else en)."),
    click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors."),
    click.option(
        "--json", "as_json", is_flag=True, help="Print summary.json on stdout, not the text."
    ),
]


def _with(options: list[Callable[[Any], Any]], command: _Command) -> _Command:
    built: Any = command
    # a built command takes them in order, a function collects them in reverse
    for option in options if isinstance(command, click.Command) else reversed(options):
        built = option(built)
    return cast(_Command, built)


def search_options(command: _Command) -> _Command:
    """The search's options: time and work limits, target, seed, workers, the log."""
    return _with(_SEARCH, command)


def solve_options(command: _Command) -> _Command:
    """The options of ``solve`` after ``--out``, shared by every command that solves a
    result folder (``replan``): the search's, and what is printed and written besides."""
    return _with(_SEARCH + _OUTPUT, command)


def _blocks_options(command: _Command) -> _Command:
    """``solve``'s options of the block search: --blocks, --scheduler, --dask-workers."""
    return _with(_BLOCKS, command)


@cli.command(epilog=EXAMPLES["solve"])
@click.argument("scenario_dir", type=click.Path(path_type=Path))
@out_option("Result folder (replaced atomically).")
@solve_options
@_blocks_options
def solve(scenario_dir: Path, out_dir: Path, **options: Any) -> None:
    """Revise the schedule of SCENARIO_DIR and write it to --out."""
    started = launched_at()  # the process's start: the limit bounds the whole command
    refuse_out_over(out_dir, scenario_dir, lang=options["lang"])
    with bad_input_exits(options["lang"]):
        scenario = load_scenario(scenario_dir)
    solve_and_write(scenario, out_dir, started, options)


def solve_and_write(
    scenario: Scenario,
    out_dir: Path,
    started: float,
    options: dict[str, Any],
    extra: Callable[[Result, Path], None] | None = None,
) -> tuple[Result, Lang]:
    """Solve, refuse a schedule that breaks the contract, write the result folder, and
    print what :func:`solve_options` asks for; the result and the language used.

    ``extra(result, folder)`` writes more files into the result folder, in the same
    atomic step (``replan``'s ``done.csv``).
    """
    from ..result.output import check_out_dir
    from ..search import StopFlag
    from ..search.cluster import check_address
    from ..search.pipeline import EXIT_S
    from ..search.pipeline import solve_and_write as pipeline
    from .summary import print_summary

    quiet, log_search = options["quiet"], options["log_search"]
    lang: Lang = options["lang"] or scenario.policy.language
    if lang != scenario.policy.language:  # the reasons of schedule.csv are in it too
        policy = scenario.policy.model_copy(update={"language": lang})
        scenario = scenario.model_copy(update={"policy": policy})
    search_options = solve_options_of(options, lang)
    stop = StopFlag()
    show_progress = not (quiet or log_search) and sys.stderr.isatty()

    def run() -> Result:
        check_out_dir(out_dir)  # before the warnings, as before any work
        if search_options.scheduler is not None:  # refused even where no cluster is used
            check_address(search_options.scheduler)
        for w in () if quiet else scenario.warnings:
            click.echo(i18n.text(lang, "cli.warning", text=warning_text(w, lang)), err=True)
        with TerminalProgress(sys.stderr, lang) if show_progress else nullcontext():
            # The time limit bounds the whole run, loading included.
            begun = time.monotonic() - max(0.0, time.time() - started)
            return pipeline(scenario, out_dir, search_options, stop=stop, started=started,
                            begun=begun, extra=extra,
                            xlsx=options.get("with_xlsx", False),
                            report=options.get("make_report", False),
                            after_s=EXIT_S)  # fmt: skip

    result = run_command(run, out_dir, stop, log_search, lang)
    written: tuple[Path, ...] = (out_dir / "schedule.xlsx",) if options.get("with_xlsx") else ()
    if options["make_report"]:
        written += (_write_report(out_dir, lang, fresh=True)[0],)
    if options["as_json"]:
        click.echo(json.dumps(result.summary, indent=2, ensure_ascii=False))
    elif not quiet:
        print_summary(result, out_dir, lang, extra=written)
    return result, lang


def run_command(
    run: Callable[[], T],
    out_dir: Path,
    stop: StopFlag,
    log_search: bool = False,
    lang: Lang = "en",
) -> T:  # the exit statuses are the command line's alone
    """Run the API's pipeline (:mod:`optimizer.search.pipeline`) for a command: Ctrl-C and
    SIGTERM stop the search (the best so far is kept), and its exceptions become the
    contract's exit statuses — a folder that may not be replaced is a usage error (2), a
    schedule the checker refuses or a folder that cannot be written is 1, nothing written.
    The user's mistakes are said in ``lang``."""
    from ..result.output import OutputFolderError, ScheduleRefused

    if log_search:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
    previous = {
        sig: signal.signal(sig, lambda *_: stop.request())
        for sig in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        with bad_input_exits(lang):  # fixed cases that cannot all be placed together
            return run()
    except OutputFolderError as exc:
        raise out_refused(exc, lang) from None
    except ScheduleRefused as exc:
        click.echo(i18n.text(lang, "cli.schedule_refused"), err=True)
        for v in exc.violations[:20]:
            click.echo(f"  - {v}", err=True)
        sys.exit(EXIT_BUG)
    except OSError as exc:  # a full disk or a folder we may not write: not a bug
        click.echo(i18n.text(lang, "cli.cannot_write", folder=out_dir, error=exc), err=True)
        sys.exit(EXIT_BUG)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@cli.command(epilog=EXAMPLES["report"])
@click.argument("result_dir", type=click.Path(path_type=Path))
@lang_option("Language of the report (default: the policy's language, else en).")
def report(result_dir: Path, lang: Lang | None) -> None:
    """Write RESULT_DIR/report.html: the printable report of a result folder (A4)."""
    path, used = _write_report(result_dir, lang)
    click.echo(i18n.text(used, "cli.report.written", path=path))


@cli.command(epilog=EXAMPLES["letters"])
@click.argument("result_dir", type=click.Path(path_type=Path))
@lang_option("Language of the letters (default: the policy's language, else en).")
def letters(result_dir: Path, lang: Lang | None) -> None:
    """Write RESULT_DIR/letters.html: one A4 letter per patient of calls.csv, to print.

    The hospital's name, address and phone come from policy.toml's [hospital] table
    (arrival_before_min: how long before the theatre start patients arrive), a
    partner's from [partners.<partner_id>].
    """
    from ..report import write_folder_letters

    folder = _read_folder(result_dir, lang, "letters")
    used = lang or folder.scenario.policy.language
    path = write_folder_letters(folder, used)
    click.echo(i18n.text(used, "cli.letters.written", path=path, n=len(folder.calls)))
    if not folder.scenario.policy.hospital.phone:
        click.echo(i18n.text(used, "cli.letters.no_phone"), err=True)


def _write_report(result_dir: Path, lang: Lang | None, fresh: bool = False) -> tuple[Path, Lang]:
    """Write the report (and say in which language), or exit 2 naming each problem
    of a folder that is not a whole result; ``fresh``: the folder this run just wrote."""
    from ..report import write_folder_report

    folder = _read_folder(result_dir, lang)
    used = lang or folder.scenario.policy.language
    return write_folder_report(folder, used, fresh=fresh), used


def _read_folder(result_dir: Path, lang: Lang | None, what: str = "report") -> ResultFolder:
    """The result folder, or exit 2 naming each problem of one that is not whole (in
    ``lang``, else its policy's language); ``what``: the ``report`` or the ``letters``
    that are then not written."""
    from ..report import ResultFolderError, read_result_folder
    from ..scenario.problem_words import problem_text

    try:
        folder = read_result_folder(result_dir)
    except (ResultFolderError, ScenarioError) as exc:
        shown = said_language(lang, result_dir)
        click.echo(
            i18n.text(shown, "cli.report.bad_folder", folder=result_dir, n=len(exc.problems)),
            err=True,
        )
        for p in exc.problems:
            click.echo(f"  - {problem_text(p, shown)}", err=True)
        click.echo(i18n.text(shown, f"cli.{what}.nothing_written"), err=True)
        sys.exit(EXIT_BAD_INPUT)
    return folder


@cli.command(epilog=EXAMPLES["whatif"])
@click.argument("scenario_dir", type=click.Path(path_type=Path))
@out_option(
    "Whatif folder: whatif.csv, sessions_added.csv, whatif.json, result/ (replaced atomically)."
)
@click.option(
    "--curve",
    "with_curve",
    is_flag=True,
    help="Also the kept ratio per date against 0, 1, ... extra sessions allowed "
    "(curve.csv, curve.png): one more solve per extra session.",
)
@lang_option("Language of the lines printed (default: the policy's language, else en).")
@search_options
def whatif(
    scenario_dir: Path,
    out_dir: Path,
    target: float | None,
    with_curve: bool,
    lang: Lang | None,
    time_limit: float | None,
    work_limit: float | None,
    seed: int | None,
    workers: int | None,
    log_search: bool,
) -> None:
    """What it would take to reach the target on each date of SCENARIO_DIR below it: the
    least-cost extra sessions of extra_sessions.csv, and the schedule with them.
    SCENARIO_DIR may be a result folder: its scenario/ is used, as report and replan do."""
    from ..result.output import check_out_dir, load_scenario_or_copy
    from ..search import StopFlag
    from ..search.pipeline import EXIT_S
    from ..whatif.command import answer_and_write
    from ..whatif.output import WHATIF_MARKERS
    from ..whatif.text import whatif_lines

    started = launched_at()  # the process's start: the limit bounds the whole command
    refuse_out_over(out_dir, scenario_dir, lang=lang)
    with bad_input_exits(lang):
        scenario = load_scenario_or_copy(scenario_dir)
    given = dict(time_limit=time_limit, work_limit=work_limit, seed=seed, workers=workers,
                 log_search=log_search)  # fmt: skip
    said: Lang = lang or scenario.policy.language
    options, stop = solve_options_of(given, said), StopFlag()

    def run() -> Any:
        check_out_dir(out_dir, WHATIF_MARKERS)  # before the warnings, as before any work
        for w in scenario.warnings:
            click.echo(i18n.text(said, "cli.warning", text=warning_text(w, said)), err=True)
        # The time limit bounds the whole command, loading included, as solve's does.
        begun = time.monotonic() - max(0.0, time.time() - started)
        return answer_and_write(scenario, out_dir, target=target, with_curve=with_curve,
                                options=options, stop=stop, started=started,
                                begun=begun, after_s=EXIT_S)  # fmt: skip

    answer, points, written = run_command(run, out_dir, stop, log_search, said)
    for line in whatif_lines(answer, written, None if points is None else len(points), said):
        click.echo(line)


@cli.command("explain", epilog=EXAMPLES["explain"])
@click.argument("case_id")
@click.argument("result_dir", type=click.Path(path_type=Path))
@lang_option("Language of the explanation (default: the policy's language, else en).")
def explain_case(case_id: str, result_dir: Path, lang: Lang | None) -> None:
    """Why CASE_ID is where RESULT_DIR put it, and what would let it go ahead as planned."""
    from ..explain.command import ExplainError, explain

    try:
        click.echo(explain(result_dir, case_id, lang))
    except ExplainError as exc:
        refuse(exc, lang)

"""Command line: ``python -m optimizer`` and ``or-rescheduler``.

Exit status per the contract: 0 a schedule was written (or the scenario is
valid), 2 bad input (every problem named, nothing written), 1 internal error.
A user's mistake never shows a Python traceback.
"""

from __future__ import annotations

import json
import logging
import signal
import sys
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import click

from . import i18n
from .i18n import Lang
from .params import DEFAULT_TIME_LIMIT
from .progress import TerminalProgress
from .scenario import ScenarioError, load_scenario
from .search.options import SolveArgumentError, SolveOptions, allowed_range

EXIT_BAD_INPUT = 2
EXIT_BUG = 1

# An example under each command's --help (\b keeps click from rewrapping the lines).
EXAMPLES = {
    "cli": "\b\nFrom the demo to a printed report and a call list:\n"
    "  python -m optimizer solve data/cannes_demo --out out/demo --report\n"
    "  then open out/demo/report.html and print it; out/demo/calls.csv lists the calls\n"
    "  (--lang fr for French)",
    "validate": "\b\nExample:\n  python -m optimizer validate data/cannes_demo",
    "import-ihtc": "\b\nExample:\n  python -m optimizer import-ihtc i01.json scenarios/ihtc_i01",
    "import-or-utilization": "\b\nExample:\n  python -m optimizer import-or-utilization "
    "or_utilization.csv scenarios/or_util --weeks 2",
    "generate": "\b\nExample:\n  python -m optimizer generate scenarios/big --rooms 20 --days 10",
    "solve": "\b\nExamples:\n  python -m optimizer solve data/cannes_demo --out out/demo --report\n"
    "  python -m optimizer solve data/cannes_demo --out out/demo --lang fr --report\n"
    "  python -m optimizer solve data/cannes_demo --out out/demo --quiet --json > summary.json",
    "report": "\b\nExamples:\n  python -m optimizer report out/demo\n"
    "  python -m optimizer report out/demo --lang fr",
}
LANG_OPTION = click.Choice(["en", "fr"])


class SolveOption(click.ParamType):  # type: ignore[type-arg, unused-ignore]  # generic from click 8.2
    """An option of ``solve`` checked by :class:`SolveOptions`, as the API checks it:
    one range per option, the same on both paths."""

    def __init__(self, field: str, kind: type[int] | type[float]) -> None:
        self.field, self.kind = field, kind
        self.name = "integer" if kind is int else "float"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, self.kind) and not isinstance(value, bool):
            number: int | float = value
        else:
            try:
                number = self.kind(str(value).strip())
            except ValueError:
                self.fail(f"{value!r} is not a valid {self.name}.", param, ctx)
        try:
            return SolveOptions.check_one(self.field, number)
        except SolveArgumentError:
            self.fail(f"{value!r}: {allowed_range(self.field)}.", param, ctx)


def report_bad_input(exc: ScenarioError) -> None:
    n = len(exc.problems)
    click.echo(f"The scenario has {n} problem{'s' if n != 1 else ''}:", err=True)
    for p in exc.problems:
        click.echo(f"  - {p}", err=True)
    click.echo("Nothing was written.", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXAMPLES["cli"])
@click.version_option(package_name="or-rescheduler")
def cli() -> None:
    """Reschedule operating-room cases when capacity is lost."""


@cli.command(epilog=EXAMPLES["validate"])
@click.argument("scenario_dir", type=click.Path(path_type=Path))
def validate(scenario_dir: Path) -> None:
    """Check SCENARIO_DIR and print every problem found."""
    try:
        scenario = load_scenario(scenario_dir)
    except ScenarioError as exc:
        report_bad_input(exc)
        sys.exit(EXIT_BAD_INPUT)
    for w in scenario.warnings:
        click.echo(f"warning: {w}", err=True)
    planned = sum(1 for c in scenario.cases if c.planned_date is not None)
    click.echo(
        f"{scenario_dir}: valid. {len(scenario.cases)} cases ({planned} planned), "
        f"{len(scenario.rooms)} rooms, {len(scenario.sessions)} sessions, horizon "
        f"{scenario.policy.start_date} to {scenario.policy.end_date}."
    )


@cli.command("import-ihtc", epilog=EXAMPLES["import-ihtc"])
@click.argument("instance", type=click.Path(path_type=Path))
@click.argument("out_dir", type=click.Path(path_type=Path))
@click.option(
    "--start-date",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Date of IHTC day 0 (default 2024-04-15).",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Ties in the synthesised plan, and the disruption.",
)
@click.option(
    "--disrupt/--no-disrupt",
    default=True,
    show_default=True,
    help="Close a third of the rooms from the second open date, as the demo does.",
)
def import_ihtc(instance: Path, out_dir: Path, start_date: Any, seed: int, disrupt: bool) -> None:
    """Turn an IHTC-2024 INSTANCE (.json) into a scenario folder OUT_DIR."""
    from .importers import import_ihtc as run_import
    from .importers._common import write_imported

    kwargs = {"start_date": start_date.date()} if start_date is not None else {}
    try:
        scenario = write_imported(
            run_import(instance, seed=seed, **kwargs), out_dir, disrupt=disrupt, seed=seed
        )
    except ScenarioError as exc:
        report_bad_input(exc)
        sys.exit(EXIT_BAD_INPUT)
    _report_import(scenario, out_dir)


@cli.command("import-or-utilization", epilog=EXAMPLES["import-or-utilization"])
@click.argument("csv_file", metavar="CSV", type=click.Path(path_type=Path))
@click.argument("out_dir", type=click.Path(path_type=Path))
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Synthesised urgency classes, and the disruption.",
)
@click.option(
    "--weeks",
    type=click.IntRange(min=1),
    default=None,
    help="Keep only the first N weeks of cases.",
)
@click.option(
    "--disrupt/--no-disrupt",
    default=True,
    show_default=True,
    help="Close a third of the rooms from the second open date, as the demo does.",
)
def import_or_utilization(
    csv_file: Path, out_dir: Path, seed: int, weeks: int | None, disrupt: bool
) -> None:
    """Turn the OR-utilization CSV (a real booked quarter) into a scenario folder OUT_DIR."""
    from .importers import import_or_utilization as run_import
    from .importers._common import write_imported

    try:
        scenario = write_imported(
            run_import(csv_file, seed=seed, weeks=weeks), out_dir, disrupt=disrupt, seed=seed
        )
    except ScenarioError as exc:
        report_bad_input(exc)
        sys.exit(EXIT_BAD_INPUT)
    _report_import(scenario, out_dir)


@cli.command(epilog=EXAMPLES["generate"])
@click.argument("out_dir", type=click.Path(path_type=Path))
@click.option("--rooms", type=click.IntRange(1, 500), default=11, show_default=True)
@click.option(
    "--days",
    type=click.IntRange(1, 250),
    default=10,
    show_default=True,
    help="Working days (Monday to Friday).",
)
@click.option(
    "--cases-per-day",
    type=click.IntRange(0, 5000),
    default=30,
    show_default=True,
    help="Planned cases per working day across all rooms (about).",
)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option(
    "--start-date",
    type=click.DateTime(["%Y-%m-%d"]),
    default="2024-04-15",
    show_default=True,
    help="First date (the next working day if a weekend).",
)
@click.option(
    "--waiting-cases",
    type=click.IntRange(min=0),
    default=None,
    help="Waiting-list cases (default: a tenth of the planned ones).",
)
@click.option("--surgeon-windows/--no-surgeon-windows", default=True, show_default=True)
@click.option(
    "--blocks/--no-blocks",
    default=True,
    show_default=True,
    help="Reserve each session to a specialty.",
)
@click.option(
    "--resources/--no-resources",
    default=True,
    show_default=True,
    help="Anaesthetists, mobile equipment pools and ICU beds.",
)
@click.option("--partners/--no-partners", default=True, show_default=True)
@click.option("--flags/--no-flags", default=True, show_default=True)
@click.option(
    "--disruption/--no-disruption",
    default=True,
    show_default=True,
    help="Also write the plan after the attack (OUT_DIR) beside the original.",
)
@click.option(
    "--attack-day",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Working day the attack hits (0 = the first).",
)
@click.option("--force", is_flag=True, help="Replace the scenario files of existing folders.")
def generate(
    out_dir: Path,
    rooms: int,
    days: int,
    cases_per_day: int,
    seed: int,
    start_date: Any,
    waiting_cases: int | None,
    surgeon_windows: bool,
    blocks: bool,
    resources: bool,
    partners: bool,
    flags: bool,
    disruption: bool,
    attack_day: int,
    force: bool,
) -> None:
    """Generate a realistic scenario in OUT_DIR (and the original plan in OUT_DIR_undisrupted)."""
    from .generate import generate as run_generate
    from .generate import undisrupted_folder, write_generated

    if disruption and attack_day >= days:
        raise click.BadParameter(f"must be below --days ({days})", param_hint="--attack-day")
    folders = [out_dir, undisrupted_folder(out_dir)] if disruption else [out_dir]
    for folder in folders:
        if folder.exists() and not folder.is_dir():
            raise click.UsageError(f"{folder} is a file, not a folder")
        if folder.exists() and not force and any(folder.iterdir()):
            raise click.UsageError(f"{folder} is not empty; give a new folder or use --force")
    gen = run_generate(rooms=rooms, days=days, cases_per_day=cases_per_day, seed=seed,
                       start_date=start_date.date(), waiting_cases=waiting_cases,
                       surgeon_windows=surgeon_windows, blocks=blocks, resources=resources,
                       partners=partners, flags=flags, disruption=disruption,
                       attack_day=attack_day)  # fmt: skip
    written = write_generated(gen, out_dir)
    _report_import(gen.disrupted, written[0])
    if len(written) > 1:
        click.echo(f"{written[1]}: the original plan at full capacity.")


def _report_import(scenario: Any, out_dir: Path) -> None:
    for w in scenario.warnings:
        click.echo(f"note: {w}", err=True)
    planned = sum(1 for c in scenario.cases if c.planned_date is not None)
    click.echo(
        f"{out_dir}: {len(scenario.cases)} cases ({planned} planned), {len(scenario.rooms)} "
        f"rooms, {len(scenario.sessions)} sessions, horizon {scenario.policy.start_date} to "
        f"{scenario.policy.end_date}."
    )


@cli.command(epilog=EXAMPLES["solve"])
@click.argument("scenario_dir", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(path_type=Path),
    help="Result folder (replaced atomically).",
)
@click.option(
    "--time-limit",
    type=SolveOption("time_limit", float),
    default=None,
    help=f"Wall-clock bound in seconds (bounds time only; default: policy time_limit_s, "
    f"else {DEFAULT_TIME_LIMIT:g}).",
)
@click.option(
    "--work-limit",
    type=SolveOption("work_limit", float),
    default=None,
    help="Deterministic work budget (CP-SAT deterministic seconds): with --workers 1 "
    "and the same seed, the same schedule byte for byte. The wall clock (--time-limit) "
    "is then not applied.",
)
@click.option(
    "--target",
    type=SolveOption("target", float),
    default=None,
    help="Kept-ratio target per date (default: policy target_ratio, 0.90).",
)
@click.option(
    "--seed", type=SolveOption("seed", int), default=None, help="Search seed (0 to 2^31-1)."
)
@click.option(
    "--workers",
    type=SolveOption("workers", int),
    default=None,
    help="Search workers (default: cores, at most 8).",
)
@click.option("--log", "log_search", is_flag=True, help="Show CP-SAT's search log.")
@click.option("--report", "make_report", is_flag=True, help="Also write RESULT_DIR/report.html.")
@click.option(
    "--lang",
    type=LANG_OPTION,
    default=None,
    help="Language of the summary and the report (default: policy language, else en).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option("--json", "as_json", is_flag=True, help="Print summary.json on stdout, not the text.")
def solve(
    scenario_dir: Path,
    out_dir: Path,
    time_limit: float | None,
    work_limit: float | None,
    target: float | None,
    seed: int | None,
    workers: int | None,
    log_search: bool,
    make_report: bool,
    lang: Lang | None,
    quiet: bool,
    as_json: bool,
) -> None:
    """Revise the schedule of SCENARIO_DIR and write it to --out."""
    from .output import OutputFolderError, check_out_dir, write_result
    from .report import print_summary
    from .search import StopFlag
    from .search.driver import solve as run_solve

    started = time.time()
    try:
        scenario = load_scenario(scenario_dir)
    except ScenarioError as exc:
        report_bad_input(exc)
        sys.exit(EXIT_BAD_INPUT)
    try:  # before the search, not after it: the folder would be refused anyway
        check_out_dir(out_dir)
    except OutputFolderError as exc:
        raise click.BadParameter(str(exc), param_hint="--out") from None
    lang = lang or scenario.policy.language
    for w in () if quiet else scenario.warnings:
        click.echo(f"warning: {w}", err=True)
    if log_search:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
    stop = StopFlag()
    previous = {
        sig: signal.signal(sig, lambda *_: stop.request())
        for sig in (signal.SIGINT, signal.SIGTERM)
    }
    show_progress = not (quiet or log_search) and sys.stderr.isatty()
    try:
        with TerminalProgress(sys.stderr, lang) if show_progress else nullcontext():
            result = run_solve(
                scenario,
                time_limit=time_limit,
                work_limit=work_limit,
                seed=seed,
                workers=workers,
                target=target,
                log_search=log_search,
                stop=stop,
            )
        violations = result.violations or ()  # checked once, when the result was made
        if violations:
            click.echo(
                "internal error: the schedule breaks the contract's rules (a bug, please "
                "report it); nothing was written:",
                err=True,
            )
            for v in violations[:20]:
                click.echo(f"  - rule {v.rule}: {v.message}", err=True)
            sys.exit(EXIT_BUG)
        try:
            write_result(result, out_dir, started=started)
        except OSError as exc:  # a full disk or a folder we may not write: not a bug
            click.echo(
                f"cannot write the result to {out_dir}: {exc}; nothing was written", err=True
            )
            sys.exit(EXIT_BUG)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    extra = (_write_report(out_dir, lang)[0],) if make_report else ()
    if as_json:
        click.echo(json.dumps(result.summary, indent=2, ensure_ascii=False))
    elif not quiet:
        print_summary(result, out_dir, lang, extra=extra)


@cli.command(epilog=EXAMPLES["report"])
@click.argument("result_dir", type=click.Path(path_type=Path))
@click.option(
    "--lang",
    type=LANG_OPTION,
    default=None,
    help="Language of the report (default: the policy's language, else en).",
)
def report(result_dir: Path, lang: Lang | None) -> None:
    """Write RESULT_DIR/report.html: the printable report of a result folder (A4)."""
    path, used = _write_report(result_dir, lang)
    click.echo(i18n.text(used, "cli.report.written", path=path))


def _write_report(result_dir: Path, lang: Lang | None) -> tuple[Path, Lang]:
    """Write the report (and say in which language), or exit 2 naming each problem
    of a folder that is not a whole result."""
    from .report import ResultFolderError, read_result_folder, write_folder_report

    try:
        folder = read_result_folder(result_dir)
    except (ResultFolderError, ScenarioError) as exc:
        shown = lang or "en"
        click.echo(
            i18n.text(shown, "cli.report.bad_folder", folder=result_dir, n=len(exc.problems)),
            err=True,
        )
        for p in exc.problems:
            click.echo(f"  - {p}", err=True)
        click.echo(i18n.text(shown, "cli.report.nothing_written"), err=True)
        sys.exit(EXIT_BAD_INPUT)
    used = lang or folder.scenario.policy.language
    return write_folder_report(folder, used), used


def main() -> None:
    """Entry point: run the CLI, turning an unexpected exception into exit status 1."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_BAD_INPUT if isinstance(exc, click.UsageError) else exc.exit_code)
    except SystemExit:
        raise
    except Exception as exc:  # a bug: say so plainly, without patient data
        click.echo(
            f"internal error (a bug, please report it): {type(exc).__name__}: {exc}", err=True
        )
        sys.exit(EXIT_BUG)

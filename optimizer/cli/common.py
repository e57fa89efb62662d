"""What every command shares: exit statuses, examples, the option type that checks as the
API checks, the report of bad input and of refusals (in the planner's language), and the
command group itself."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from .. import i18n
from ..i18n import DEFAULT_LANG, Lang, Refusal
from ..scenario import ScenarioError
from ..scenario.cells import CellError, parse_date, parse_time, sane_date
from ..search.options import SolveArgumentError, SolveOptions, field_range
from .language import (
    PlannerGroup,
    RefusedOption,
    RefusedUsage,
    RefusedValue,
    option_name,
    said_language,
)

_Command = TypeVar("_Command", bound=Callable[..., Any])
EXIT_BAD_INPUT = 2
EXIT_BUG = 1

# An example under each command's --help (\b keeps click from rewrapping the lines).
EXAMPLES = {
    "cli": "\b\nFrom the demo to a printed report and a call list:\n"
    "  python -m optimizer solve data/cannes_demo --out out/demo --report\n"
    "  then open out/demo/report.html and print it; out/demo/calls.csv lists the calls\n"
    "  (--lang fr for French)",
    "validate": "\b\nExamples:\n  python -m optimizer validate data/cannes_demo\n"
    "  python -m optimizer validate hospital.xlsx",
    "template": "\b\nExamples:\n  python -m optimizer template hospital.xlsx\n"
    "  python -m optimizer template --from data/cannes_demo demo.xlsx",
    "import-ihtc": "\b\nExample:\n  python -m optimizer import-ihtc i01.json scenarios/ihtc_i01",
    "import-or-utilization": "\b\nExample:\n  python -m optimizer import-or-utilization "
    "or_utilization.csv scenarios/or_util --weeks 2",
    "generate": "\b\nExample:\n  python -m optimizer generate scenarios/big --rooms 20 --days 10",
    "solve": "\b\nExamples:\n  python -m optimizer solve data/cannes_demo --out out/demo --report\n"
    "  python -m optimizer solve data/cannes_demo --out out/demo --lang fr --report\n"
    "  python -m optimizer solve data/cannes_demo --out out/demo --quiet --json > summary.json",
    "report": "\b\nExamples:\n  python -m optimizer report out/demo\n"
    "  python -m optimizer report out/demo --lang fr",
    "capacity": "\b\nExamples:\n  python -m optimizer capacity data/cannes_demo --close OR02,OR05 "
    "--dates 17/04,18/04 --out scenarios/lost\n"
    "  python -m optimizer capacity data/cannes_demo --open OR03 --hours 08:00-13:00 "
    "--dates 16/04 --out scenarios/morning\n"
    "  python -m optimizer capacity data/cannes_demo --surgeon-off ENT01 "
    "--dates 17/04,18/04 --out scenarios/ent01_off\n"
    "  python -m optimizer capacity data/cannes_demo --surgeon ORT02 --hours 08:00-12:00 "
    "--dates 17/04 --out scenarios/ort02_morning\n"
    "  python -m optimizer capacity data/cannes_demo --resource anaesthetist=3,icu_bed=2 "
    "--dates 17/04,18/04 --out scenarios/short_staffed",
    "letters": "\b\nExamples:\n  python -m optimizer letters out/demo --lang fr\n"
    "  python -m optimizer letters out/demo --lang en",
    "export": "\b\nExamples:\n"
    "  python -m optimizer export out/demo --format fhir --out out/demo.fhir.json\n"
    "  python -m optimizer export out/demo --format hl7 --out out/demo.hl7\n"
    "  python -m optimizer export out/demo --format ics --out out/demo_calendars",
    "whatif": "\b\nExamples:\n  python -m optimizer whatif data/cannes_demo --out out/whatif\n"
    "  python -m optimizer whatif data/cannes_demo --out out/whatif --target 0.95 --curve\n"
    "  python -m optimizer whatif out/tuesday --out out/whatif-tuesday   (a result folder)",
    "replan": "\b\nExample (the next morning from today's folder):\n  python -m optimizer replan "
    "out/monday --today 2024-04-16 --out out/tuesday --events events.csv",
    "insert": "\b\nExample (an urgent case arriving this morning):\n  python -m optimizer insert "
    "out/monday --cases urgent.csv --today 2024-04-16 --out out/urgent --top 3",
    "explain": "\b\nExamples:\n  python -m optimizer explain C0042 out/demo\n"
    "  python -m optimizer explain C0042 out/demo --lang fr",
    "sweep": "\b\nExamples:\n  python -m optimizer sweep grid.toml --out out/sweep\n"
    "  python -m optimizer sweep grid.toml --out out/sweep --workers 0   (serially, no Dask)",
    "robustness": "\b\nExamples:\n  python -m optimizer robustness out/demo\n"
    "  python -m optimizer robustness out/demo --samples 2000 --seed 1",
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
                key = "cli.value.not_whole" if self.kind is int else "cli.value.not_number"
                raise RefusedValue(Refusal(key, value=value), ctx, param) from None
        try:
            return SolveOptions.check_one(self.field, number)
        except SolveArgumentError:
            allowed = field_range(self.field)
            refusal = Refusal("cli.value.out_of_range", value=value, allowed=allowed)
            raise RefusedValue(refusal, ctx, param) from None


def solve_options_of(values: Mapping[str, Any], lang: Lang = DEFAULT_LANG) -> SolveOptions:
    """The search's options among a command's parsed ``values``; one the options object
    refuses (``--scheduler ""``) is a usage error, exit status 2, as click's own are, said
    in ``lang`` (in French, each named by its option)."""
    try:
        return SolveOptions.given(values)
    except SolveArgumentError as exc:
        if lang != "en":
            exc = exc.named(_options_of_command())
        said = i18n.text(lang, "cli.nothing_written_after", text=exc.text(lang))
        raise RefusedUsage(said, lang) from None


def _options_of_command() -> dict[str, str]:
    """The running command's options by the name of what they set: ``--blocks`` for
    ``block_days``."""
    ctx = click.get_current_context(silent=True)
    params = () if ctx is None else ctx.command.params
    return {p.name: option_name(p) for p in params if p.name and isinstance(p, click.Option)}


# The option shapes the commands share: one owner each, so that a command lists only
# what is its own (its names, ranges, defaults and help).


def out_option(help: str, name: str = "out_dir") -> Callable[[_Command], _Command]:
    """The ``--out`` option of a command that writes a folder or a file (required)."""
    return click.option("--out", name, required=True, type=click.Path(path_type=Path), help=help)


def path_option(*names: str, help: str) -> Callable[[_Command], _Command]:
    """An optional file or folder (None when not given)."""
    return click.option(*names, type=click.Path(path_type=Path), default=None, help=help)


def toggle(name: str, help: str, default: bool = True) -> Callable[[_Command], _Command]:
    """A ``--name/--no-name`` switch; ``--help`` shows its default."""
    return click.option(f"--{name}/--no-{name}", default=default, show_default=True, help=help)


def whole(
    name: str, low: int | None, high: int | None, default: int | None, help: str
) -> Callable[[_Command], _Command]:
    """A whole number between ``low`` and ``high`` (None: unbounded); ``--help`` shows the
    default when there is one."""
    kind = click.IntRange(low, high)
    shown = default is not None
    return click.option(name, type=kind, default=default, show_default=shown, help=help)


def seed_option(help: str, most: int | None = None) -> Callable[[_Command], _Command]:
    """``--seed``: the seed of a command's random draws, 0 by default."""
    return whole("--seed", 0, most, 0, help)


def lang_option(help: str) -> Callable[[_Command], _Command]:
    """``--lang``: en or fr, by default the policy's language."""
    return click.option("--lang", type=LANG_OPTION, default=None, help=help)


def search_option(
    name: str, kind: type[int] | type[float], help: str
) -> Callable[[_Command], _Command]:
    """An option of the search (``--time-limit``...), checked as the API checks it."""
    field = name.removeprefix("--").replace("-", "_")
    return click.option(name, type=SolveOption(field, kind), default=None, help=help)


def dask_options(scheduler: str, workers: str) -> Callable[[_Command], _Command]:
    """``--scheduler`` and ``--workers``: where the Dask work runs (sweep, robustness)."""
    on_scheduler = click.option("--scheduler", default=None, metavar="ADDRESS", help=scheduler)
    on_workers = whole("--workers", 0, 256, None, workers)

    def both(command: _Command) -> _Command:
        return on_scheduler(on_workers(command))

    return both


class DateOption(click.ParamType):  # type: ignore[type-arg, unused-ignore]  # generic from click 8.2
    """A date on the command line: ``YYYY-MM-DD``, or ``DD/MM/YYYY`` as planners write it."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        try:
            if "/" in text:
                day, month, year = (int(x) for x in text.split("/"))
                return sane_date(dt.date(year, month, day))
            return parse_date(text)
        except (ValueError, CellError):
            raise RefusedValue(Refusal("cli.value.not_date", value=value), ctx, param) from None


class TimeOption(click.ParamType):  # type: ignore[type-arg, unused-ignore]  # generic from click 8.2
    """A time of day on the command line, in minutes after midnight, read as the scenario's
    cells and policy.toml's ``now`` are (:func:`~optimizer.scenario.cells.parse_time`):
    ``HH:MM``, or ``10h30`` and ``10h`` as planners write it."""

    name = "time"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, int):
            return value
        try:
            return parse_time(str(value).strip())
        except CellError:
            raise RefusedValue(Refusal("cli.value.not_time", value=value), ctx, param) from None


class MomentOption(click.ParamType):  # type: ignore[type-arg, unused-ignore]  # generic from click 8.2
    """A date and time on the command line, ISO 8601 (``2024-04-16T06:30``, an offset
    optional): a ``datetime``, without a zone when none was written."""

    name = "datetime"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dt.datetime):
            return value
        try:
            return dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise RefusedValue(Refusal("cli.value.not_moment", value=value), ctx, param) from None


@contextmanager
def bad_input_exits(lang: Lang | None = None) -> Iterator[None]:
    """Bad input in the block (a :class:`ScenarioError`): every problem on stderr (in
    ``lang``, the command's ``--lang`` or its policy's language, when given, else the
    policy's), then exit status 2, nothing written; so too a ``--scheduler`` no Dask
    scheduler answers at."""
    from ..search.cluster import ClusterUnreachable

    try:
        yield
    except ScenarioError as exc:
        report_bad_input(exc, lang)
        sys.exit(EXIT_BAD_INPUT)
    except ClusterUnreachable as exc:  # a wrong --scheduler: a usage error, exit status 2
        said = lang or exc.lang
        text = i18n.text(said, "cli.nothing_written_after", text=exc.text(said))
        raise RefusedOption(text, "--scheduler", said) from None


def out_refused(exc: Refusal, lang: Lang, *, nothing_written: bool = False) -> RefusedOption:
    """The ``--out`` refusal ``exc`` (an :class:`~optimizer.result.output.OutputFolderError`)
    as a usage error said in ``lang``; ``nothing_written``: saying so after it."""
    said = exc.text(lang)
    if nothing_written:
        said = i18n.text(lang, "cli.nothing_written_after", text=said)
    return RefusedOption(said, "--out", lang)


def refuse(exc: Refusal, asked: Lang | None = None) -> NoReturn:
    """``Error: ...`` on stderr, in the language ``asked`` (``--lang``), else the one known
    where ``exc`` was raised (the policy's); then exit status 2."""
    lang = asked or exc.lang
    click.echo(i18n.text(lang, "cli.error", text=exc.text(lang)), err=True)
    sys.exit(EXIT_BAD_INPUT)


def refuse_out_over(out: Path, *inputs: Path | None, lang: Lang | None = None) -> None:
    """Exit 2 (a usage error on ``--out``), before any work, when ``out`` is one of
    ``inputs`` or holds one (:func:`~optimizer.result.output.check_apart`): writing it
    would destroy what the command reads. Said in ``lang`` (``--lang``), else in the
    language of the inputs' policy (:func:`said_language`)."""
    from ..result.output import OutputFolderError, check_apart

    try:
        check_apart(out, inputs)
    except OutputFolderError as exc:
        raise out_refused(exc, said_language(lang, *inputs), nothing_written=True) from None


def report_bad_input(
    exc: ScenarioError, asked: str | None = None, header: str = "validation.header"
) -> None:
    """Every problem on stderr after ``header`` (a key of the catalogue: "The scenario has
    2 problems:"), in the language ``asked`` (``--lang``), else the one policy.toml asked
    for."""
    from ..scenario.problem_words import problem_text

    lang: i18n.Lang = "fr" if (asked or exc.lang) == "fr" else "en"
    click.echo(i18n.text(lang, header, n=len(exc.problems)), err=True)
    for p in exc.problems:
        click.echo(f"  - {problem_text(p, lang)}", err=True)
    click.echo(i18n.text(lang, "validation.nothing_written"), err=True)


@click.group(
    cls=PlannerGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=EXAMPLES["cli"],
)
@click.version_option(package_name="or-rescheduler")
def cli() -> None:
    """Reschedule operating-room cases when capacity is lost."""

"""The planner's language on the command line, and the refusals said in it.

A command says what it refuses in ``--lang``, else in the language its input's
policy asks for, else English. Most refusals are raised in the command's body,
where the language is known; a value refused while click parses the command
line (``--today 2024-99-01``, ``--time-limit abc``, ``--top 0``) comes before it:
:class:`PlannerCommand` says it again in the language the same command line asks
for. So does click's own refusal of the line (an option or argument missing, an option
that does not exist or lacks its value, words too many). In English every refusal is
click's, byte for byte (its usage line, then ``Error: Invalid value for ...``); in French
it is one line of the ``cli`` catalogue, without click's English frame.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import click

from .. import i18n
from ..i18n import DEFAULT_LANG, LANGUAGES, Lang, Refusal
from ..search.options import Range

# The parameters that name what a command reads: its policy says the language.
_INPUTS = ("scenario_dir", "result_dir", "scenario")


def said_language(asked: Lang | None, *inputs: Path | None) -> Lang:
    """The language to say something in before the scenario is read: ``asked``
    (``--lang``) when given, else the one the first input's policy asks for (a scenario
    folder's ``policy.toml``, or a result folder's ``scenario/policy.toml``), else English."""
    if asked is not None:
        return asked
    from ..result.output import SCENARIO_COPY
    from ..scenario.policy_toml import policy_language

    for given in inputs:
        for folder in () if given is None else (given, given / SCENARIO_COPY):
            found = policy_language(folder)
            if found is not None:
                return found
    return DEFAULT_LANG


class _Said(click.UsageError):
    """A usage error (exit status 2) said in ``lang``: in English as click says it, in
    another language as one line of the catalogue (:meth:`format_message`)."""

    lang: Lang

    def show(self, file: IO[Any] | None = None) -> None:
        if self.lang == "en":
            super().show(file)
        else:
            click.echo(self.format_message(), file=file, err=file is None)


class RefusedOption(_Said, click.BadParameter):
    """An option's value refused, said in ``lang``: in English as click says it (the usage
    line, then ``Error: Invalid value for --out: ...``), in French as one line of the
    ``cli`` catalogue, without click's English frame."""

    def __init__(self, message: str, param_hint: str, lang: Lang) -> None:
        click.BadParameter.__init__(self, message, param_hint=param_hint)
        self.lang = lang

    def format_message(self) -> str:
        if self.lang == "en":
            return click.BadParameter.format_message(self)
        return i18n.text(self.lang, "cli.bad_option", option=self.param_hint, text=self.message)


class RefusedUsage(_Said):
    """A command line refused as a whole (not one option's value), said in ``lang``."""

    def __init__(self, message: str, lang: Lang) -> None:
        super().__init__(message)
        self.lang = lang

    def format_message(self) -> str:
        if self.lang == "en":
            return super().format_message()
        return i18n.text(self.lang, "cli.bad_usage", text=self.message)


class RefusedValue(click.BadParameter):
    """A value one of the project's option types refuses while click parses: the
    :class:`Refusal` said in English as click's message; :class:`PlannerCommand` says it
    again in the language the command line asks for."""

    def __init__(
        self, refusal: Refusal, ctx: click.Context | None, param: click.Parameter | None
    ) -> None:
        super().__init__(str(refusal), ctx=ctx, param=param)
        self.refusal = refusal


def value_refusal(param: click.Parameter, given: object) -> Refusal | None:
    """Why the click type of ``param`` (one of click's own) refuses the text ``given``, as a
    message of the catalogue (None for a type or a reason not worded there: click's English
    stays)."""
    kind = param.type
    if not isinstance(given, str):
        return None
    if isinstance(kind, click.Choice):
        choices = ", ".join(repr(str(c)) for c in kind.choices)
        return Refusal("cli.value.not_choice", value=given, choices=choices)
    if isinstance(kind, click.types.IntParamType | click.types.FloatParamType):
        whole = isinstance(kind, click.types.IntParamType)
        try:
            int(given) if whole else float(given)
        except ValueError:
            return Refusal(f"cli.value.{'not_whole' if whole else 'not_number'}", value=given)
        if isinstance(kind, click.IntRange | click.FloatRange):
            allowed = Range(whole, kind.min, kind.max, kind.min_open, kind.max_open)
            return Refusal("cli.value.out_of_range", value=given, allowed=allowed)
        return None
    if isinstance(kind, click.Path):
        if not kind.file_okay and Path(given).is_file():
            return Refusal("cli.value.is_file", value=given)
        if not kind.dir_okay and Path(given).is_dir():
            return Refusal("cli.value.is_dir", value=given)
    return None


def option_name(param: click.Parameter) -> str:
    """How the command line writes ``param``: ``--time-limit``, ``RESULT_DIR``."""
    if isinstance(param, click.Option):
        return max(param.opts, key=len)
    return param.human_readable_name


class PlannerCommand(click.Command):
    """A command whose values refused while click parses are said in the planner's
    language: the one ``--lang`` asks for on the same command line, else the one the
    policy of the input it names asks for (:func:`said_language`)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        given = list(args)  # click's parser consumes the list it is given
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            if isinstance(exc, _Said):
                raise
            raw = self._raw(ctx, given)
            lang = _asked(raw)
            if lang == "en":
                raise
            refusal: Refusal | None
            if isinstance(exc, click.BadParameter) and not isinstance(exc, click.MissingParameter):
                if exc.param is None:
                    raise
                if isinstance(exc, RefusedValue):
                    refusal = exc.refusal
                else:
                    refusal = value_refusal(exc.param, raw.get(exc.param.name or ""))
                if refusal is None:
                    raise
                raise RefusedOption(refusal.text(lang), option_name(exc.param), lang) from None
            refusal = usage_refusal(exc, self, self._extra(ctx, given))
            if refusal is None:
                raise
            raise RefusedUsage(refusal.text(lang), lang) from None

    def _raw(self, ctx: click.Context, args: Sequence[str]) -> dict[str, Any]:
        """The command line's values as written, before click converts them; for a line
        click's parser refuses, its ``--lang`` and the first folder it names."""
        try:
            opts, _, _ = self.make_parser(ctx).parse_args(args=list(args))
        except click.UsageError:
            return _loose(args)
        return opts

    def _extra(self, ctx: click.Context, args: Sequence[str]) -> list[str]:
        """The words of a command line no argument takes ("Got unexpected extra
        arguments"); none when there is none."""
        try:
            _, rest, _ = self.make_parser(ctx).parse_args(args=list(args))
        except click.UsageError:
            return []
        return [str(word) for word in rest]


def usage_refusal(
    exc: click.UsageError, command: click.Command, extra: Sequence[str] = ()
) -> Refusal | None:
    """click's own refusal of a command line (an option or argument missing, an option that
    does not exist, or that lacks its value or takes none, ``extra`` words no argument
    takes) as a message of the catalogue; None for another one (click's English stays)."""
    if type(exc) is click.UsageError:  # click says "Got unexpected extra arguments" so
        return Refusal("cli.usage.extra", n=len(extra), args=" ".join(extra)) if extra else None
    if isinstance(exc, click.MissingParameter):
        if exc.param is None:
            return None
        kind = "argument" if isinstance(exc.param, click.Argument) else "option"
        return Refusal(f"cli.usage.missing_{kind}", name=option_name(exc.param))
    if isinstance(exc, click.NoSuchOption):
        if not exc.possibilities:
            return Refusal("cli.usage.no_such_option", option=exc.option_name)
        near = _Either(tuple(exc.possibilities))
        return Refusal("cli.usage.no_such_option_near", option=exc.option_name, near=near)
    if isinstance(exc, click.BadOptionUsage):
        flags = [p for p in command.params if isinstance(p, click.Option) and p.is_flag]
        flag = any(exc.option_name in (*p.opts, *p.secondary_opts) for p in flags)
        key = "cli.usage.takes_no_value" if flag else "cli.usage.needs_value"
        return Refusal(key, option=exc.option_name)
    return None


class _Either(tuple[str, ...]):
    """Options one of which was meant: ``--log or --out`` (``--log ou --out``)."""

    def text(self, lang: Lang) -> str:
        if len(self) < 2:
            return "".join(self)
        return i18n.text(lang, "cli.usage.or", first=", ".join(self[:-1]), last=self[-1])


def _loose(args: Sequence[str]) -> dict[str, Any]:
    """``--lang`` and the first existing folder of a command line click's parser refuses
    (an option unknown, or without its value): enough to say the refusal in the language
    asked, else in that folder's policy's."""
    found: dict[str, Any] = {}
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            found["lang"] = args[i + 1]
        elif arg.startswith("--lang="):
            found["lang"] = arg.removeprefix("--lang=")
    folders = [a for a in args if not a.startswith("-") and Path(a).is_dir()]
    if folders:
        found[_INPUTS[0]] = folders[0]
    return found


def line_language(args: Sequence[str]) -> Lang:
    """The language a whole command line (``sys.argv[1:]``: the command's name first) asks
    for, to say what comes outside the command's body (an internal error): its ``--lang``,
    else the policy's of the first folder it names after the command's name; English when
    that cannot be told."""
    try:
        return _asked(_loose(args[1:]))
    except Exception:  # the last resort must not fail in its turn: English then
        return DEFAULT_LANG


def _asked(raw: dict[str, Any]) -> Lang:
    """The language a command line asks for: its ``--lang``, else its input's policy's."""
    lang = raw.get("lang")
    for known in LANGUAGES:
        if lang == known:
            return known
    given = [Path(v) for v in (raw.get(n) for n in _INPUTS) if isinstance(v, str)]
    inputs = [p.parent if p.is_file() else p for p in given]  # out/demo/schedule.csv: out/demo
    said = said_language(None, *inputs)
    grid = raw.get("grid_file")
    if said == DEFAULT_LANG and isinstance(grid, str):
        from ..sweep.grid import grid_language

        said = grid_language(Path(grid)) or DEFAULT_LANG
    return said


class PlannerGroup(click.Group):
    """The command group: each command a :class:`PlannerCommand`."""

    command_class = PlannerCommand

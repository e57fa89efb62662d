"""Command line: ``python -m optimizer`` and ``or-rescheduler``.

Exit status per the contract: 0 a schedule was written (or the scenario is
valid), 2 bad input (every problem named, nothing written), 1 internal error.
A user's mistake never shows a Python traceback. One module per command family;
:mod:`.common` holds what they share (the group, the option checks, exit codes),
:mod:`.language` the planner's language and the refusals said in it.
"""

from __future__ import annotations

import sys

import click

from .. import i18n
from . import (  # noqa: F401  (they add their commands to the group)
    desk,
    exports,
    region,
    replanning,
    scenarios,
    solving,
)
from .common import EXIT_BAD_INPUT, EXIT_BUG, SolveOption, cli, report_bad_input
from .language import line_language
from .launched import entry_context
from .solving import solve_and_write, solve_options

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_BUG",
    "SolveOption",
    "cli",
    "main",
    "report_bad_input",
    "solve_and_write",
    "solve_options",
]


def main() -> None:
    """Entry point: run the CLI, turning an unexpected exception into exit status 1."""
    try:
        cli.main(standalone_mode=False, obj=entry_context())
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_BAD_INPUT if isinstance(exc, click.UsageError) else exc.exit_code)
    except SystemExit:
        raise
    except Exception as exc:  # a bug: said plainly, by its type only (its text may name a case)
        lang = line_language(sys.argv[1:])
        click.echo(i18n.text(lang, "cli.internal_error", kind=type(exc).__name__), err=True)
        sys.exit(EXIT_BUG)

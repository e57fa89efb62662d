"""Command line: ``python -m optimizer`` and ``or-rescheduler``.

Exit status per the contract: 0 a schedule was written (or the scenario is
valid), 2 bad input (every problem named, nothing written), 1 internal error.
A user's mistake never shows a Python traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .scenario import ScenarioError, load_scenario

EXIT_BAD_INPUT = 2
EXIT_BUG = 1


def report_bad_input(exc: ScenarioError) -> None:
    n = len(exc.problems)
    click.echo(f"The scenario has {n} problem{'s' if n != 1 else ''}:", err=True)
    for p in exc.problems:
        click.echo(f"  - {p}", err=True)
    click.echo("Nothing was written.", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="or-rescheduler")
def cli() -> None:
    """Reschedule operating-room cases when capacity is lost."""


@cli.command()
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
        click.echo(f"internal error (a bug, please report it): {type(exc).__name__}: {exc}", err=True)
        sys.exit(EXIT_BUG)

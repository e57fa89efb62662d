"""Commands that check, generate and import scenarios."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..scenario import ScenarioError, load_scenario

if TYPE_CHECKING:
    pass

from .common import (
    EXAMPLES,
    EXIT_BAD_INPUT,
    cli,
    report_bad_input,
)


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
    from ..importers import import_ihtc as run_import
    from ..importers._common import write_imported

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
    from ..importers import import_or_utilization as run_import
    from ..importers._common import write_imported

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
@click.option(
    "--stays/--no-stays",
    default=False,
    show_default=True,
    help="Lengths of stay in ICU and on the ward, with the beds per date (past the horizon too).",
)
@click.option(
    "--anaesthetist-rooms",
    type=click.IntRange(1, 4),
    default=1,
    show_default=True,
    help="Rooms one anaesthetist supervises (above 1: inductions are drawn too).",
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
    stays: bool,
    anaesthetist_rooms: int,
    force: bool,
) -> None:
    """Generate a realistic scenario in OUT_DIR (and the original plan in OUT_DIR_undisrupted)."""
    from ..generate import generate as run_generate
    from ..generate import undisrupted_folder, write_generated

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
                       attack_day=attack_day, stays=stays,
                       anaesthetist_rooms=anaesthetist_rooms)  # fmt: skip
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

"""The crisis cell's commands: sweeps of many futures, robustness of a schedule."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..scenario import ScenarioError
from ..scenario.limits import MAX_SEED
from .common import EXAMPLES, EXIT_BAD_INPUT, cli, out_option, report_bad_input


@cli.command(epilog=EXAMPLES["sweep"])
@click.argument("grid_file", type=click.Path(path_type=Path))
@out_option("Folder of the table (sweep.csv, sweep.parquet).")
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="A running Dask scheduler (tcp://host:8786); default: a local cluster.",
)
@click.option(
    "--workers",
    type=click.IntRange(0, 256),
    default=None,
    help="Local cluster worker processes (default: cores); 0: serially, no Dask.",
)
def sweep(grid_file: Path, out_dir: Path, scheduler: str | None, workers: int | None) -> None:
    """Solve every variant of GRID_FILE (TOML) and write one table of KPIs to --out."""
    from ..sweep import GridError
    from ..sweep.command import OutFolderRefused, check_sweep_out, sweep_command

    try:
        check_sweep_out(out_dir)
    except OutFolderRefused as exc:
        raise click.BadParameter(str(exc), param_hint="--out") from None
    try:
        sweep_command(grid_file, out_dir, scheduler, workers)
    except GridError as exc:
        click.echo(f"The grid has {len(exc.problems)} problem(s):", err=True)
        for p in exc.problems:
            click.echo(f"  - {p}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except ScenarioError as exc:
        report_bad_input(exc)
        sys.exit(EXIT_BAD_INPUT)


@cli.command(epilog=EXAMPLES["robustness"])
@click.argument("result_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--samples",
    type=click.IntRange(1, 10_000_000),
    default=10_000,
    show_default=True,
    help="Simulated days: each draws every case's duration once.",
)
@click.option(
    "--seed",
    type=click.IntRange(0, MAX_SEED),
    default=0,
    show_default=True,
    help="Seed of the draws: the same seed, the same figures.",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="Run the chunks of samples on this Dask scheduler.",
)
@click.option(
    "--workers",
    type=click.IntRange(0, 256),
    default=None,
    help="Run them on a local cluster of this many processes (default: here).",
)
def robustness(
    result_dir: Path, samples: int, seed: int, scheduler: str | None, workers: int | None
) -> None:
    """Simulate overruns of RESULT_DIR's schedule; write robustness_rooms.csv and _cases.csv."""
    from ..sweep.command import robustness_command

    if not (result_dir / "schedule.csv").is_file():
        raise click.BadParameter(f"{result_dir} holds no schedule.csv", param_hint="RESULT_DIR")
    try:
        robustness_command(result_dir, samples, seed, scheduler, workers)
    except ScenarioError as exc:
        report_bad_input(exc)
        sys.exit(EXIT_BAD_INPUT)

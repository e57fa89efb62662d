"""The crisis cell's commands: sweeps of many futures, robustness of a schedule."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import i18n
from ..i18n import DEFAULT_LANG, Lang
from ..scenario.limits import MAX_SEED
from .common import (
    EXAMPLES,
    EXIT_BAD_INPUT,
    bad_input_exits,
    cli,
    dask_options,
    lang_option,
    out_option,
    report_bad_input,
    seed_option,
    whole,
)
from .language import RefusedOption, said_language


@cli.command(epilog=EXAMPLES["sweep"])
@click.argument("grid_file", type=click.Path(path_type=Path))
@out_option("Folder of the table (sweep.csv, sweep.parquet).")
@dask_options(
    "A running Dask scheduler (tcp://host:8786); default: a local cluster.",
    "Local cluster worker processes (default: cores); 0: serially, no Dask.",
)
@lang_option(
    "Language of the lines printed and of the grid's problems (default: the policy's "
    "language of the grid's first scenario, else en)."
)
def sweep(
    grid_file: Path, out_dir: Path, scheduler: str | None, workers: int | None, lang: Lang | None
) -> None:
    """Solve every variant of GRID_FILE (TOML) and write one table of KPIs to --out."""
    from ..sweep import GridError
    from ..sweep.command import OutFolderRefused, check_sweep_out, sweep_command
    from ..sweep.grid import grid_language

    lang = lang or grid_language(grid_file) or DEFAULT_LANG  # else its scenarios' policy's
    try:
        check_sweep_out(out_dir)
    except OutFolderRefused as exc:
        raise RefusedOption(exc.text(lang), "--out", lang) from None
    tell = (lambda line: click.echo(line, err=True)) if sys.stderr.isatty() else None
    with bad_input_exits(lang):  # a scenario of the grid, a --scheduler nobody answers at
        try:
            sweep_command(grid_file, out_dir, scheduler, workers, say=click.echo,
                          progress_to=tell, lang=lang)  # fmt: skip
        except GridError as exc:  # a ScenarioError too, but of the grid: said as such
            report_bad_input(exc, lang, header="sweep.bad_grid")
            sys.exit(EXIT_BAD_INPUT)


@cli.command(epilog=EXAMPLES["robustness"])
@click.argument("result_dir", type=click.Path(path_type=Path, file_okay=False))
@whole("--samples", 1, 10_000_000, 10_000, "Simulated days: each draws every case's duration once.")
@seed_option("Seed of the draws: the same seed, the same figures.", MAX_SEED)
@dask_options(
    "Run the chunks of samples on this Dask scheduler.",
    "Run them on a local cluster of this many processes (default: here).",
)
@lang_option("Language of the lines printed (default: the policy's language, else en).")
def robustness(
    result_dir: Path,
    samples: int,
    seed: int,
    scheduler: str | None,
    workers: int | None,
    lang: Lang | None,
) -> None:
    """Simulate overruns of RESULT_DIR's schedule; write robustness_rooms.csv and _cases.csv."""
    from ..sweep.command import robustness_command

    said = said_language(lang, result_dir)  # else its policy's (a scenario folder's, if given)
    if not (result_dir / "schedule.csv").is_file():
        refused = i18n.text(said, "sweep.no_schedule", folder=result_dir)
        raise RefusedOption(refused, "RESULT_DIR", said)
    with bad_input_exits(said):
        robustness_command(result_dir, samples, seed, scheduler, workers, say=click.echo,
                           lang=said)  # fmt: skip

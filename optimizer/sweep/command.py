"""What the ``sweep`` and ``robustness`` commands do, apart from their options and the
terminal (:mod:`optimizer.cli.region`, which says what they tell through ``say``, in the
language it chose: the policy's of what they read)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..i18n import DEFAULT_LANG, Lang, Refusal, catalogue, text
from .grid import load_grid
from .runner import NOT_RUN, open_client, run_sweep
from .table import CSV_NAME, FAILED, PARQUET_NAME
from .variants import build_variants

GRID_COPY = "grid.toml"


class OutFolderRefused(Refusal, ValueError):
    """``--out`` is a file, or a folder with other things in it than a sweep's table (a
    message of the ``sweep`` catalogue, said in the planner's language)."""


def check_sweep_out(out_dir: Path) -> None:
    """Refuse a file, or a folder holding anything but an earlier sweep's files."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutFolderRefused("sweep.out_is_file", out=out_dir)
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / CSV_NAME).exists():
        raise OutFolderRefused("sweep.out_not_sweep", out=out_dir, table=CSV_NAME)


def sweep_command(
    grid_file: Path,
    out_dir: Path,
    scheduler: str | None,
    workers: int | None,
    *,
    say: Callable[[str], None] = print,
    progress_to: Callable[[str], None] | None = None,
    lang: Lang = DEFAULT_LANG,
) -> None:
    """Load the grid, build the variants, solve them, write the table; ``say`` what was
    written, and each variant done to ``progress_to`` (when given), in ``lang``."""
    started = time.monotonic()
    grid = load_grid(grid_file)
    variants = build_variants(grid, grid_file)

    def begin() -> None:  # once the variants can be solved: a scheduler nobody answers at
        out_dir.mkdir(parents=True, exist_ok=True)  # leaves nothing written
        shutil.copyfile(grid_file, out_dir / GRID_COPY)

    def progress(done: int, total: int, row: dict[str, Any]) -> None:
        if progress_to is not None:
            progress_to(text(lang, "sweep.progress", done=done, total=total,
                             variant_id=row["variant_id"], capacity=row["capacity"],
                             status=status_word(row["status"], lang)))  # fmt: skip

    if workers == 0 and scheduler is None:
        begin()
        frame = run_sweep(variants, out_dir, progress=progress)
    else:
        n = workers or min(len(variants), default_workers())
        with open_client(scheduler, max(1, n)) as client:
            begin()
            frame = run_sweep(variants, out_dir, client=client, progress=progress)
    status = frame["status"]
    failed = int((status == FAILED).sum())
    not_run = int((status == NOT_RUN).sum())
    say(text(lang, "sweep.done", path=out_dir / CSV_NAME, total=len(frame),
             solved=len(frame) - failed - not_run, failed=failed, not_run=not_run,
             seconds=f"{time.monotonic() - started:.0f}"))  # fmt: skip
    say(text(lang, "sweep.parquet", path=out_dir / PARQUET_NAME))


def status_word(status: str, lang: Lang) -> str:
    """A variant's status (a column of ``sweep.csv``) as its progress line says it: in
    English the code itself, as the table writes it; in French the words for it. A status
    the catalogue does not know is said as written."""
    return catalogue(lang).get(f"sweep.status.{status}", str(status))


def default_workers() -> int:
    import os

    return max(1, os.cpu_count() or 1)


def robustness_command(
    result_dir: Path,
    samples: int,
    seed: int,
    scheduler: str | None,
    workers: int | None,
    *,
    say: Callable[[str], None] = print,
    lang: Lang = DEFAULT_LANG,
) -> None:
    """Simulate a result folder, write its two tables beside ``schedule.csv``, ``say`` so
    (in ``lang``)."""
    from .robustness import ROOMS_FILE, simulate_folder, write_robustness

    if scheduler is None and not workers:
        rob = simulate_folder(result_dir, samples=samples, seed=seed)
    else:
        with open_client(scheduler, workers or default_workers()) as client:
            rob = simulate_folder(result_dir, samples=samples, seed=seed, client=client)
    write_robustness(rob, result_dir)
    risky = int((rob.rooms["p_overrun"] >= 0.5).sum())
    cancelled = int((rob.cases["p_cancelled"].fillna(0) >= 0.1).sum())
    say(text(lang, "sweep.robustness_done", path=result_dir / ROOMS_FILE,
             samples=samples, risky=risky, sessions=len(rob.rooms),
             cancelled=cancelled))  # fmt: skip

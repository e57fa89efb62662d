"""Running the variants on Dask: a local cluster on this machine, or an existing one.

Each variant is one task: one CP-SAT solve with one search worker and a
deterministic work budget, so a variant gives the same schedule on any
worker, in any order, as a serial solve would. The embedded default is a
:class:`distributed.LocalCluster` of worker processes with one thread each
(CP-SAT releases the GIL, but one solve per process keeps the runs apart);
with a scheduler address the same tasks go to that cluster, unchanged.

A task that raises is retried (``retries``); a worker process that dies
while running a variant makes the scheduler run it again elsewhere, up to
``allowed_failures`` times (a local cluster; an existing cluster keeps its
own setting). A worker's death also takes down the variants running beside
the culprit, so a variant failed that way is run once more, alone, at the
end. Either way the variant then gets a ``failed`` row saying why:
no variant is silently lost, and a sweep stopped early marks the variants it
did not finish as ``not_run``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..search import solve
from ..search.cluster import DEFAULT_ALLOWED_FAILURES as DEFAULT_ALLOWED_FAILURES
from ..search.cluster import open_client as open_client
from .table import TableWriter, columns, failed_row, kpi_row
from .variants import Variant

Task = Callable[[Variant], dict[str, Any]]
Progress = Callable[[int, int, dict[str, Any]], None]

DEFAULT_RETRIES = 1
NOT_RUN = "not_run"


def solve_variant(variant: Variant) -> dict[str, Any]:
    """Solve one variant (one search worker, its work budget) and give its checked row."""
    if variant.invalid is not None:
        return failed_row(variant, variant.invalid)
    result = solve(
        variant.scenario,
        work_limit=variant.work_limit,
        time_limit=variant.time_limit,
        seed=variant.seed,
        workers=1,
        target=variant.target,
    )
    return kpi_row(variant, result)


def run_sweep(
    variants: Sequence[Variant],
    out_dir: str | Path,
    *,
    client: Any = None,
    task: Task = solve_variant,
    retries: int = DEFAULT_RETRIES,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Solve every variant and write the table (``sweep.csv`` and ``sweep.parquet``).

    Parameters
    ----------
    variants
        From :func:`optimizer.sweep.build_variants`.
    out_dir
        Folder of the table; rows are appended to ``sweep.csv`` as variants finish.
    client
        A Dask client (see :func:`open_client`); ``None`` solves the variants one
        after the other in this process, the serial reference.
    task
        What runs for each variant: :func:`solve_variant`, or any function of a
        variant giving a row (tests submit their own through this same runner).
    retries
        Times a variant whose task raised is run again before it is ``failed``.
    progress
        Called with (variants done, total, the row) after each variant.

    Returns
    -------
    pandas.DataFrame
        The table, one row per variant, in variant order.
    """
    writer = TableWriter(Path(out_dir), columns(variants))
    total = len(variants)
    try:
        rows = (
            _serial(variants, task) if client is None else _on_dask(client, variants, task, retries)
        )
        for done, row in enumerate(rows, start=1):
            writer.add(row)
            if progress is not None:
                progress(done, total, row)
    finally:
        for v in variants:  # stopped early (Ctrl-C, a lost scheduler): said, not dropped
            if v.variant_id not in writer.rows:
                row = failed_row(v, "the sweep stopped before this variant finished")
                row["status"] = NOT_RUN
                writer.rows[v.variant_id] = row
        frame = writer.finish()
    return frame


def _serial(variants: Sequence[Variant], task: Task) -> Iterator[dict[str, Any]]:
    for v in variants:
        try:
            yield task(v)
        except Exception as exc:  # one variant's error is that variant's row, not the sweep's
            yield failed_row(v, _error(exc))


def _on_dask(
    client: Any, variants: Sequence[Variant], task: Task, retries: int
) -> Iterator[dict[str, Any]]:
    from distributed import as_completed

    by_key: dict[str, Variant] = {}
    futures = []
    for v in variants:
        future = client.submit(task, v, retries=retries, pure=False)
        by_key[future.key] = v
        futures.append(future)
    killed: list[Variant] = []
    try:
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            v = by_key[future.key]
            try:
                row = future.result()
            except Exception as exc:
                if _is_killed_worker(exc):
                    killed.append(v)  # maybe only beside the culprit: tried again, alone
                    continue
                row = failed_row(v, _error(exc))
            yield row
    finally:
        client.cancel(futures)
    # A worker that dies takes down every task it was running: a variant that was only
    # beside the one that kills it must not be failed for it, so each is run once more alone.
    for v in sorted(killed, key=lambda v: v.variant_id):
        future = client.submit(task, v, retries=retries, pure=False)
        try:
            yield future.result()
        except Exception as exc:
            yield failed_row(v, _error(exc))


def _is_killed_worker(exc: BaseException) -> bool:
    return type(exc).__name__ == "KilledWorker"


def _error(exc: BaseException) -> str:
    if _is_killed_worker(exc):
        return (
            "the worker process running it died each time it was tried, also when run alone "
            "(out of memory, or killed)"
        )
    return f"{type(exc).__name__}: {exc}"

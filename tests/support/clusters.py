"""A running Dask cluster, reached by its scheduler's address as a user's would be."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from distributed import LocalCluster


@contextmanager
def running_scheduler() -> Iterator[str]:
    """The address of a running cluster of one worker process, shut down on exit."""
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as running:  # fmt: skip
        yield running.scheduler_address

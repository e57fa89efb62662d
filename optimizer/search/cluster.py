"""A Dask client for the work that runs on a cluster: the sweep's variants, the block
search's blocks, the start's windows in rounds.

The embedded default is a :class:`distributed.LocalCluster` of worker processes
with one thread each (CP-SAT releases the GIL, but one solve per process keeps
the runs apart); with a scheduler address the same tasks go to that cluster,
unchanged. A worker process that dies while running a task makes the scheduler
run it again elsewhere, up to ``allowed_failures`` times (a local cluster; an
existing cluster keeps its own setting).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..i18n import Refusal

DEFAULT_ALLOWED_FAILURES = 2


class ClusterUnreachable(Refusal, RuntimeError):
    """No Dask scheduler answered at the address given (a wrong ``--scheduler``, a cluster
    not started): said as such, not as the "cannot write" of an ``OSError``; a message of
    the ``search`` catalogue, said in the planner's language (Dask's own detail as Dask
    wrote it)."""


@contextmanager
def open_client(
    scheduler: str | None = None,
    workers: int = 2,
    *,
    allowed_failures: int = DEFAULT_ALLOWED_FAILURES,
) -> Iterator[Any]:
    """A Dask client: of the cluster at ``scheduler``, else of a new local cluster.

    The local cluster has ``workers`` processes with one thread each and no
    dashboard; it is shut down on exit.
    """
    import dask
    from distributed import Client, LocalCluster

    if scheduler is not None:
        try:
            _address(scheduler)
            client = Client(scheduler)  # type: ignore[no-untyped-call]
        except OSError as exc:  # distributed's connection timeout is an OSError
            raise ClusterUnreachable(
                "search.no_scheduler", scheduler=scheduler, detail=str(exc)
            ) from None
        except (ValueError, TypeError) as exc:  # "notanaddress", "tcp://host:notaport"
            raise ClusterUnreachable(
                "search.bad_address", scheduler=scheduler, detail=str(exc)
            ) from None
        with client:
            yield client
        return
    config = {
        "distributed.scheduler.allowed-failures": allowed_failures,
        "distributed.worker.daemon": False,
        # the workers' profiler samples every thread's frames every 10 ms: CPU the searches
        # want, and a CPython 3.11 deadlock with threads starting (see search/stop.py)
        "distributed.worker.profile.enabled": False,
    }
    with (
        dask.config.set(config),
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=logging.CRITICAL,  # failures are in the table, not the terminal
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        yield client


@contextmanager
def task_client(scheduler: str | None, workers: int | None) -> Iterator[tuple[Any, str, int]]:
    """A client for a search's tasks, words for the summary, and the tasks it runs at once:
    of the cluster at ``scheduler``, else of a local cluster of ``workers`` processes
    (default 2); none with ``workers=0`` and no scheduler: the tasks run in this process,
    one after the other."""
    if scheduler is None and workers == 0:
        yield None, "serial, in this process", 1
        return
    with open_client(scheduler, workers or 2) as client:
        n = len(client.scheduler_info()["workers"])
        where = f"Dask cluster at {scheduler}" if scheduler is not None else "local Dask cluster"
        yield client, f"{where}, {n} worker(s)", max(1, n)


def check_address(scheduler: str) -> None:
    """Refuse (:class:`ClusterUnreachable`) a ``scheduler`` that does not read as a Dask
    address. A run that needs no cluster (a scenario small enough for one model, without
    blocks) never opens a client, so a command checks the address itself before any work,
    rather than take a mistyped one without a word."""
    try:
        _address(scheduler)
    except (ValueError, TypeError) as exc:
        raise ClusterUnreachable(
            "search.bad_address", scheduler=scheduler, detail=str(exc)
        ) from None


def _address(scheduler: str) -> None:
    """``ValueError`` unless ``scheduler`` reads as a Dask address (a known scheme; a host
    and a port for tcp and tls), as Dask itself reads it. Read before a client is made: a
    client made for a malformed address starts Dask's event loop, and in a long-lived
    process (the desk, the tests) the next one sometimes failed inside Dask with an
    AssertionError (exit 1) instead of this refusal; at exit each such client waited 60 s
    to close."""
    from distributed.comm.addressing import parse_address, parse_host_port
    from distributed.comm.registry import get_backend

    scheme, where = parse_address(scheduler)
    get_backend(scheme)
    if scheme in ("tcp", "tls"):
        parse_host_port(where)

"""The cyclic garbage collector held back while a run builds its large structures.

Building a region's options, its starting schedules and its model allocates millions
of small objects and frees almost none; each of the collector's passes over the
growing heap then finds nothing to free, and those passes took half the options'
time (measured: 6 s of CPU instead of 13 for 5.7 million options). Reference
counting still frees what is dropped; the collector runs again, as it was, after.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collection inside the block (nor inside a function it decorates); the
    collector's state as it was after."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@contextlib.contextmanager
def collector_running() -> Iterator[None]:
    """The collector back on inside the block (a long search within a paused construction:
    its solver objects may hold cycles), on what the block allocates only: what exists on
    entry (the run's options, its starting schedules) lives through the search, and is
    left out of the collections (``gc.freeze``) until the block ends. Each full pass over
    a university's options took about 0.18 s, 25 of them in a 60-s run (measured); the
    windows in rounds, which allocate a model at a time, went from about 250 to 300-420
    in the same 38 s. The collector's state as it was after."""
    was = gc.isenabled()
    freeze = gc.get_freeze_count() == 0  # (a caller's own frozen objects stay as they are)
    if freeze:
        gc.freeze()
    gc.enable()
    try:
        yield
    finally:
        if freeze:
            gc.unfreeze()
        if not was:
            gc.disable()

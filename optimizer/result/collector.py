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
    its solver objects may hold cycles); its state as it was after."""
    was = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if not was:
            gc.disable()

"""When the command began: the process's start, Python's start-up and the imports included.

A time limit bounds the whole command as the user times it (``/usr/bin/time``), so the
commands count it from the process's start, not from their own first line: measured on
the demo (2 cores, load 0.5 to 3), Python's start-up and the package's imports took 1.0
to 1.4 s before ``solve`` began, and ``solve --time-limit 3`` ran 4.7 s (1.57 x).

Only the entry point (:func:`optimizer.cli.main`) knows the process is the command's
own: it passes the start through click's context object (:func:`launched_at`). A command
run another way (click's test runner, a notebook) counts from its own first line, as
does a process older than :data:`MAX_STARTUP_S` when ``main`` is called (one that was
not started to run this command: a test calling ``main``).
"""

from __future__ import annotations

import os
import time

import click

# A process older than this when main() is called did not start for this command.
MAX_STARTUP_S = 30.0
_KEY = "launched"  # the key of click's context object holding the start (a time.time())


def process_age() -> float | None:
    """Seconds since this process began, ``None`` where the system does not say (Linux
    says it in ``/proc``: the start in clock ticks since boot, against the uptime)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            stat = fh.read()
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
        # the fields after the command's name (in parentheses): starttime is the 22nd
        ticks = int(stat.rpartition(")")[2].split()[19])
        age = uptime - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None
    return age if age >= 0 else None


def entry_context() -> dict[str, float]:
    """The context object :func:`optimizer.cli.main` passes to click: the process's start
    when the process is the command's own (see the module), else nothing."""
    age = process_age()
    if age is None or age > MAX_STARTUP_S:
        return {}
    return {_KEY: time.time() - age}


def launched_at() -> float:
    """When the running command began, as a ``time.time()``: the process's start when the
    entry point said it, else now."""
    ctx = click.get_current_context(silent=True)
    obj = None if ctx is None else ctx.find_root().obj
    if isinstance(obj, dict) and isinstance(obj.get(_KEY), float):
        return min(float(obj[_KEY]), time.time())
    return time.time()


def launched_monotonic() -> float:
    """:func:`launched_at` as a ``time.monotonic()``."""
    return time.monotonic() - max(0.0, time.time() - launched_at())

"""A broken invariant, named by object, and which collections may be trusted.

Its own module so that the checks of :mod:`.invariants` and of :mod:`.held`
share it without importing each other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Flaw:
    """One broken invariant, by object.

    ``table`` is the scenario's collection (``cases``, ``rooms``, ``sessions``,
    ``surgeon_windows``, ``resources``, ``partners``, ``extra_sessions``) or
    ``policy``; ``index`` the object's position in it (``None`` for the
    policy); ``column`` the field at fault (the file's column, or the dotted
    key of ``policy.toml``). ``message`` may name other objects of the same
    collection by their row, as ``{0}``, ``{1}``..., which are ``refs``.
    """

    table: str
    index: int | None
    column: str | None
    message: str
    refs: tuple[int, ...] = ()

    def text(self, row: Callable[[int], int] = lambda i: i) -> str:
        """The message, with each object in ``refs`` named by ``row`` (its position by default)."""
        if not self.refs:
            return self.message
        return self.message.format(*(row(i) for i in self.refs))


@dataclass(frozen=True)
class Known:
    """Which collections may be trusted (the loader: read without problems); all in code.

    ``sessions`` (``windows``) says that every row named its date and room (its surgeon),
    so that what is not listed does not exist; the rows that had problems are then named in
    ``unsure_sessions`` (``unsure_surgeons``), whose hours are unknown. ``horizon`` says that
    the horizon is sure (given in the policy, or from every session date).
    """

    rooms: bool = True
    sessions: bool = True
    windows: bool = True
    resources: bool = True
    horizon: bool = True
    unsure_sessions: frozenset[tuple[dt.date, str]] = frozenset()
    unsure_surgeons: frozenset[str] = frozenset()


ALL_KNOWN = Known()  # in code, every collection may be trusted

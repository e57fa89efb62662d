"""Reading and validating a scenario folder (CSV and TOML), per the data contract.

The loader never stops at the first problem: it reads every file, checks every
cell and every cross-reference, and raises one :class:`ScenarioError` listing
them all, each named by file, row (as a spreadsheet numbers it: the header is
row 1; in ``policy.toml``, the line) and column (the key in ``policy.toml``).
Whatever the bytes in the files, the only exception that leaves
:func:`load_scenario` is :class:`ScenarioError`.

Checks are ordered so that one mistake is reported once: a file that cannot be
read is one problem, and the checks that would need it are skipped rather than
repeated for every row that refers to it (a missing ``rooms.csv`` does not
make every session an "unknown room"). An id listed on a row that has other
problems still counts as listed.

The work is shared out by concern: :mod:`.reading` (files to rows),
:mod:`.cells` (cells to values), :mod:`.policy_toml`, :mod:`.readers` (rows
to objects, file by file), :mod:`.warnings` (soft problems),
:mod:`.extra_sessions` and :mod:`.extra_resources` (the capacity that could
be added). The invariants of the whole scenario (pinned cases feasible, the
reserve) are the data model's own (:mod:`.invariants`): the loader runs the
same checks on what it read and only names each flaw by file, row and column.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .errors import InvalidScenario, Problem, ScenarioError
from .extra_resources import read_extra_resources
from .extra_sessions import read_extra_sessions
from .flaw import Flaw, Known
from .held import held_flaws
from .invariants import reserve_flaws
from .layout import (
    CASES,
    EXTRA_RESOURCES,
    EXTRA_SESSIONS,
    FILE_OF_TABLE,
    FILES,
    PARTNERS,
    POLICY_FILE,
    RESOURCES,
    ROOMS,
    SESSIONS,
    SURGEONS,
    UNAVAILABLE,
)
from .policy_toml import PolicyDraft, read_policy, settle_policy
from .readers import (
    Read,
    names_known,
    read_cases,
    read_partners,
    read_resources,
    read_rooms,
    read_sessions,
    read_windows,
)
from .reading import Reader, printable
from .schema import Scenario
from .typos import warn_typos
from .unavailable import read_unavailable
from .warnings import warn_extra_outside, warn_horizon, warn_too_long, warn_unreachable
from .workbook import (
    WorkbookReader,
    is_workbook,
    read_workbook,
    sheet_problem,
)


def load_scenario(folder: str | Path) -> Scenario:
    """Read and validate a scenario folder, or a scenario workbook.

    Parameters
    ----------
    folder
        A folder with ``cases.csv``, ``rooms.csv``, ``sessions.csv`` and the
        optional ``surgeons.csv``, ``resources.csv``, ``partners.csv``,
        ``extra_sessions.csv``, ``unavailable.csv`` and ``policy.toml``, as the data
        contract describes them; or an ``.xlsx`` workbook with one sheet per file
        (``cases``, ``rooms``...) and a sheet ``policy`` of ``key, value``
        rows, whose problems are then named by sheet, row and column.

    Returns
    -------
    Scenario
        With ``warnings`` for the soft problems (unknown columns and keys,
        resources given for some dates only, ...).

    Raises
    ------
    ScenarioError
        Listing every problem found, each with file, row and column.
    """
    folder = Path(folder)
    if is_workbook(folder):
        return load_workbook(folder)
    try:
        is_dir = folder.is_dir()
    except (OSError, ValueError):
        is_dir = False
    if not is_dir:
        what = "this folder does not exist"
        if _exists(folder):
            what = (
                "this is a file, not a scenario folder: give the folder of CSV files, or an "
                ".xlsx workbook with one sheet per file"
            )
            if folder.suffix.lower() in (".xls", ".xlsb", ".ods", ".numbers"):
                what += f" (save this {folder.suffix} spreadsheet as an Excel workbook, .xlsx)"
        raise ScenarioError([Problem(printable(str(folder)), None, None, what)])
    # The folder's own name, also for "." or "sub/.." (whose .name is "" or ".."); the link's
    # name, not its target's, for a symbolic link: the name the planner gave it.
    name = Path(os.path.abspath(folder)).name
    return assemble(Reader(folder), printable(name), str(folder))


def assemble(loader: Reader, name: str, where: str) -> Scenario:
    """Read every file ``loader`` gives, check it all and build the scenario.

    Shared by :func:`load_scenario` (files in a folder) and
    :func:`~optimizer.scenario.frames.scenario_from_frames` (DataFrames written
    as CSV in memory), so that both go through the same validation.
    ``where`` names the source in the last-guard message.
    """
    tables = {file: loader.read_csv(file) for file in FILES}
    draft = read_policy(loader)
    loader.lang = draft.fields.get("language", "en")

    rooms = read_rooms(loader, tables[ROOMS])
    sessions = read_sessions(loader, tables[SESSIONS], rooms)
    # Every session date read counts, even from a row with other problems: a bad start
    # must not move the horizon and make a pinned case "outside" it.
    policy = settle_policy(loader, draft, sessions.dates)
    windows = read_windows(loader, tables[SURGEONS])
    resources = read_resources(loader, tables[RESOURCES], rooms)
    partners = read_partners(loader, tables[PARTNERS])
    extra = read_extra_sessions(loader, tables[EXTRA_SESSIONS], rooms, sessions)
    more = read_extra_resources(loader, tables[EXTRA_RESOURCES], resources)
    partner_ids = frozenset(p.partner_id for p in partners.items)
    cases = read_cases(loader, tables[CASES], draft.class_names, rooms, resources, partner_ids)
    unavailable = read_unavailable(loader, tables[UNAVAILABLE], cases)
    reads: dict[str, Read] = {
        "cases": cases, "rooms": rooms, "sessions": sessions, "surgeon_windows": windows,
        "resources": resources, "partners": partners, "extra_sessions": extra,
        "unavailable": unavailable, "extra_resources": more,
    }  # fmt: skip
    if policy is not None:
        pools_known = names_known(loader, resources, resources.named, RESOURCES)
        known = Known(
            rooms=loader.clean(ROOMS) and pools_known,
            sessions=sessions.loaded and sessions.named,
            windows=names_known(loader, windows, windows.named, SURGEONS),
            resources=loader.clean(RESOURCES),
            horizon=(draft.start is not None and draft.end is not None) or sessions.named,
            unsure_sessions=frozenset(sessions.unsure),
            unsure_surgeons=frozenset(windows.unsure),
        )
        pinned = held_flaws(
            cases.items, rooms.items, sessions.items, windows.items,
            resources.capacity, resources.pools, policy, known,
        )  # fmt: skip
        report(loader, pinned, reads, draft)
        warn_horizon(loader, policy, sessions.items, resources.items)
        if policy.reserves and loader.clean(SESSIONS, CASES, ROOMS):
            reserve = reserve_flaws(cases.items, rooms.items, sessions.items, policy)
            report(loader, reserve, reads, draft)
        warn_extra_outside(loader, policy, extra.items)
        warn_too_long(
            loader, cases.items, rooms.items, sessions.items, policy, resources.pools, cases.rows
        )
    warn_unreachable(loader, cases.items, rooms.items, resources.pools, cases.rows)
    warn_typos(loader, cases, windows, partners)

    if policy is None and not loader.problems:  # cannot happen: kept as a last guard
        loader.error(POLICY_FILE, None, None, "the policy could not be settled")
    loader.finish()
    assert policy is not None
    try:
        return Scenario(
            cases=tuple(cases.items),
            rooms=tuple(rooms.items),
            sessions=tuple(sessions.items),
            surgeon_windows=tuple(windows.items),
            resources=tuple(resources.items),
            partners=tuple(partners.items),
            extra_sessions=tuple(extra.items),
            extra_resources=tuple(more.items),
            unavailable=tuple(unavailable.items),
            policy=policy,
            name=name,
            input_hash=loader.digest.hexdigest(),
            warnings=tuple(loader.warnings),
        )
    except InvalidScenario as exc:  # every rule is checked above; this is a last guard
        report(loader, exc.flaws, reads, draft)
        loader.finish()
        raise
    except ValidationError as exc:  # the same
        raise ScenarioError(
            [Problem(where, None, None, str(e.get("msg"))) for e in exc.errors()]
        ) from None


def load_workbook(path: Path) -> Scenario:
    """A scenario workbook, checked by the folder's readers, its problems named by sheet."""
    sheets, odd, warnings, others, titles = read_workbook(path)
    loader = WorkbookReader(path, sheets, odd, others, titles)
    for w in warnings:
        loader.warn(w)
    try:
        with path.open("rb") as fh:  # the input's fingerprint, as a folder's is of its files
            for block in iter(lambda: fh.read(1 << 20), b""):
                loader.digest.update(block)
        return assemble(loader, printable(path.stem), str(path))
    except ScenarioError as exc:
        raise ScenarioError([sheet_problem(p) for p in exc.problems], exc.lang) from None
    except OSError as exc:  # the workbook went away while it was read
        what = f"the workbook cannot be read ({exc.strerror or exc})"
        raise ScenarioError([Problem(printable(path.name), None, None, what)]) from None


def case_rows(source: str | Path) -> dict[str, int]:
    """The row each case id is on in ``source``'s ``cases.csv`` (a workbook's ``cases``
    sheet), numbered as the loader numbers them (the header is row 1; a blank line counts):
    a case of a scenario edited in memory is named by the row the planner wrote it on.

    Read after the scenario loaded without problems; a file that cannot be read again
    (gone since) gives no rows, and the problem is then said without one.
    """
    path = Path(source)
    try:
        loader = WorkbookReader(path, read_workbook(path)[0]) if is_workbook(path) else Reader(path)
        table = loader.read_csv(CASES)
    except (ScenarioError, OSError):
        return {}
    j = None if table is None else table.index.get("case_id")
    if table is None or j is None:
        return {}
    rows: dict[str, int] = {}
    for row, cells in table.rows:
        rows.setdefault(cells[j], row)
    return rows


# The key each reader keeps the row of an object under, by collection of the scenario.
_ROW_KEY: dict[str, Any] = {
    "cases": lambda c: c.case_id,
    "rooms": lambda r: r.room_id,
    "sessions": lambda s: (s.date, s.room_id),
    "surgeon_windows": None,
    "resources": lambda r: (r.resource, r.date),
    "partners": lambda p: (p.partner_id, p.date, p.specialty),
    "extra_sessions": lambda e: (e.date, e.room_id),
    "unavailable": None,
    "extra_resources": lambda e: e.key(),
}


def report(loader: Reader, flaws: list[Flaw], reads: dict[str, Read], draft: PolicyDraft) -> None:
    """Record each flaw of the data model as a problem of the file and row it was read from."""
    for flaw in flaws:
        if flaw.table == "policy":
            path = tuple(flaw.column.split(".", 1)) if flaw.column else ()
            loader.error(POLICY_FILE, draft.line(*path) if path else None, flaw.column, flaw.text())
            continue
        file, key = FILE_OF_TABLE[flaw.table], _ROW_KEY[flaw.table]
        read = reads[flaw.table]

        def row(i: int, read: Read = read, key: Any = key) -> int:
            return int(read.rows.get(key(read.items[i]), 0)) if key is not None else i

        at = None if flaw.index is None or key is None else row(flaw.index)
        loader.error(file, at, flaw.column, flaw.text(row))


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):
        return False

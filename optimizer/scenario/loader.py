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
to objects, file by file), :mod:`.fixed` (pinned and fixed cases feasible),
:mod:`.warnings` (soft problems), :mod:`.extra_sessions` (the capacity that could
be added, and the reserve against the pinned cases).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from .errors import Problem, ScenarioError
from .extra_sessions import check_reserve, read_extra_sessions, warn_extra_outside
from .fixed import check_pinned
from .layout import (
    CASES,
    EXTRA_SESSIONS,
    FILES,
    PARTNERS,
    POLICY_FILE,
    RESOURCES,
    ROOMS,
    SESSIONS,
    SURGEONS,
)
from .policy_toml import read_policy, settle_policy
from .readers import (
    read_cases,
    read_partners,
    read_resources,
    read_rooms,
    read_sessions,
    read_windows,
)
from .reading import Reader, printable
from .schema import Scenario
from .warnings import warn_horizon, warn_unreachable


def load_scenario(folder: str | Path) -> Scenario:
    """Read and validate a scenario folder.

    Parameters
    ----------
    folder
        A folder with ``cases.csv``, ``rooms.csv``, ``sessions.csv`` and the
        optional ``surgeons.csv``, ``resources.csv``, ``partners.csv``,
        ``extra_sessions.csv`` and ``policy.toml``, as the data contract
        describes them.

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
    try:
        is_dir = folder.is_dir()
    except (OSError, ValueError):
        is_dir = False
    if not is_dir:
        what = "this folder does not exist" if not _exists(folder) else "this is not a folder"
        raise ScenarioError([Problem(printable(str(folder)), None, None, what)])
    return assemble(Reader(folder), printable(folder.name), str(folder))


def assemble(loader: Reader, name: str, where: str) -> Scenario:
    """Read every file ``loader`` gives, check it all and build the scenario.

    Shared by :func:`load_scenario` (files in a folder) and
    :func:`~optimizer.scenario.frames.scenario_from_frames` (DataFrames written
    as CSV in memory), so that both go through the same validation.
    ``where`` names the source in the last-guard message.
    """
    tables = {file: loader.read_csv(file) for file in FILES}
    draft = read_policy(loader)

    rooms = read_rooms(loader, tables[ROOMS])
    sessions = read_sessions(loader, tables[SESSIONS], rooms)
    policy = settle_policy(loader, draft, (s.date for s in sessions.items))
    windows = read_windows(loader, tables[SURGEONS])
    resources = read_resources(loader, tables[RESOURCES], rooms)
    partners = read_partners(loader, tables[PARTNERS])
    extra = read_extra_sessions(loader, tables[EXTRA_SESSIONS], rooms, sessions)
    cases = read_cases(loader, tables[CASES], draft.class_names, rooms, resources)
    if policy is not None:
        check_pinned(loader, cases, rooms, sessions, windows, resources, policy)
        warn_horizon(loader, policy, sessions.items, resources.items)
        check_reserve(loader, cases, rooms, sessions, policy, draft)
        warn_extra_outside(loader, policy, extra.items)
    warn_unreachable(loader, cases.items, rooms.items, resources.pools)

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
            policy=policy,
            name=name,
            input_hash=loader.digest.hexdigest(),
            warnings=tuple(loader.warnings),
        )
    except ValidationError as exc:  # every rule is checked above; this is a last guard
        raise ScenarioError(
            [Problem(where, None, None, str(e.get("msg"))) for e in exc.errors()]
        ) from None


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):
        return False

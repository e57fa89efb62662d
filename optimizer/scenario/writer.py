"""Writing a scenario folder that :func:`~optimizer.scenario.loader.load_scenario` reads back.

UTF-8, ``\\n`` line ends, the contract's columns in the contract's order;
``policy.toml`` written so that it loads back to the same policy.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from ..clock import format_time
from .cells import format_bool, format_date
from .contacts import contacts_toml
from .layout import (
    ANNOUNCED_COLUMNS,
    CANCELLED_COLUMNS,
    CASES,
    EXTRA_RESOURCES,
    EXTRA_SESSIONS,
    FILES,
    FIXED_COLUMNS,
    INDUCTION_COLUMNS,
    KNOWN_COLUMNS,
    KNOWN_NONE,
    PARTNERS,
    POLICY_FILE,
    RESOURCES,
    ROOMS,
    SESSIONS,
    STAY_COLUMNS,
    SURGEONS,
    UNAVAILABLE,
    columns,
)
from .robustness_policy import robustness_toml
from .schema import DEFAULT_TIMEZONE, FLAGS, ExtraSession, Policy, Scenario, Session
from .toml_text import toml_string, toml_table, toml_value


def scenario_tables(scenario: Scenario) -> dict[str, tuple[list[str], list[list[str]]]]:
    """The scenario as CSV tables (header, rows), in the contract's format."""
    cases = [
        [
            c.case_id,
            c.specialty,
            c.surgeon_id,
            str(c.duration_min),
            c.urgency,
            format_date(c.planned_date),
            c.planned_room or "",
            "" if c.planned_start is None else format_time(c.planned_start),
            format_date(c.release_date),
            format_date(c.due_date),
            ";".join(c.equipment),
            c.anaesthesia,
            format_bool(c.needs_icu),
            format_bool(c.transferable),
            format_bool(c.pinned),
            ";".join(f for f in FLAGS if f in c.flags),
            format_date(c.announced_date),
            c.announced_room or "",
            "" if c.announced_start is None else format_time(c.announced_start),
            str(c.announced_count) if c.announced_count else "",
            format_date(c.listed_date),
            str(c.icu_days) if c.needs_icu and c.icu_days != 1 else "",
            str(c.ward_days) if c.ward_days else "",
            str(c.induction_min) if c.induction_min else "",
            format_date(c.fixed_date),
            c.fixed_room or "",
            "" if c.fixed_start is None else format_time(c.fixed_start),
            format_date(c.known_date),
            c.known_room or "",
            "" if c.known_start is None else format_time(c.known_start),
            format_bool(True) if c.known_none else "",
            format_date(c.cancelled_date),
        ]
        for c in scenario.cases
    ]
    # An optional group of columns is written only when some case uses it, so a
    # scenario without it is written as before the group existed.
    in_use = {
        ANNOUNCED_COLUMNS: any(c.announced or c.announced_count for c in scenario.cases),
        STAY_COLUMNS: any((c.needs_icu and c.icu_days != 1) or c.ward_days for c in scenario.cases),
        INDUCTION_COLUMNS: any(c.induction_min for c in scenario.cases),
        FIXED_COLUMNS: any(c.fixed_date is not None for c in scenario.cases),
        (*KNOWN_COLUMNS, KNOWN_NONE): any(
            c.known_date is not None or c.known_none for c in scenario.cases
        ),
        ("listed_date",): any(c.listed_date is not None for c in scenario.cases),
        CANCELLED_COLUMNS: any(c.cancelled_date is not None for c in scenario.cases),
    }
    dropped = {col for group, used in in_use.items() if not used for col in group}
    all_columns = columns(CASES)
    keep = [j for j, col in enumerate(all_columns) if col not in dropped]
    case_columns = [all_columns[j] for j in keep]
    cases = [[r[j] for j in keep] for r in cases]
    return {
        CASES: (case_columns, cases),
        ROOMS: (
            columns(ROOMS),
            [
                [r.room_id, ";".join(sorted(r.specialties)), ";".join(sorted(r.equipment))]
                for r in scenario.rooms
            ],
        ),
        SESSIONS: (
            columns(SESSIONS),
            [_session_cells(s) for s in scenario.sessions],
        ),
        SURGEONS: (
            columns(SURGEONS),
            [
                [w.surgeon_id, w.date.isoformat(), format_time(w.start), format_time(w.end)]
                for w in scenario.surgeon_windows
            ],
        ),
        RESOURCES: (
            columns(RESOURCES),
            [[r.date.isoformat(), r.resource, str(r.capacity)] for r in scenario.resources],
        ),
        PARTNERS: (
            columns(PARTNERS),
            [
                [p.partner_id, p.date.isoformat(), p.specialty, str(p.capacity)]
                for p in scenario.partners
            ],
        ),
        EXTRA_SESSIONS: (
            columns(EXTRA_SESSIONS),
            [[*_session_cells(e), repr(float(e.cost))] for e in scenario.extra_sessions],
        ),
        UNAVAILABLE: (
            columns(UNAVAILABLE),
            [
                [u.case_id, u.from_date.isoformat(), u.to_date.isoformat(), u.reason or ""]
                for u in scenario.unavailable
            ],
        ),
        EXTRA_RESOURCES: (
            columns(EXTRA_RESOURCES),
            [
                [e.resource, e.date.isoformat(), str(e.extra), repr(float(e.cost))]
                for e in scenario.extra_resources
            ],
        ),
    }


def policy_toml(policy: Policy) -> str:
    """``policy.toml`` text that loads back to the same policy."""
    lines = [
        f"start_date = {policy.start_date.isoformat()}",
        f"end_date = {policy.end_date.isoformat()}",
        f"target_ratio = {float(policy.target_ratio)!r}",
        f"turnover_min = {policy.turnover_min}",
        f"level3 = {toml_string(policy.level3)}",
    ]
    if policy.seed:  # written only when set, so that existing folders stay byte for byte
        lines.append(f"seed = {policy.seed}")
    if policy.time_limit_s is not None:
        lines.append(f"time_limit_s = {float(policy.time_limit_s)!r}")
    if policy.notice_days:
        lines.append(f"notice_days = {policy.notice_days}")
    if policy.waiting_notice_days:
        lines.append(f"waiting_notice_days = {policy.waiting_notice_days}")
    if policy.now is not None:
        lines.append(f"now = {toml_string(format_time(policy.now))}")
    if policy.anaesthetist_rooms != 1:
        lines.append(f"anaesthetist_rooms = {policy.anaesthetist_rooms}")
    if policy.language != "en":  # like seed: existing folders stay byte for byte
        lines.append(f"language = {toml_string(policy.language)}")
    if policy.timezone != DEFAULT_TIMEZONE:  # like seed: existing folders stay byte for byte
        lines.append(f"timezone = {toml_string(policy.timezone)}")
    # the levers, written only when set (as seed), so that existing folders stay byte for byte
    if policy.overtime_max_min:
        lines.append(f"overtime_max_min = {policy.overtime_max_min}")
    if policy.overtime_cost_per_min != 1.0:
        lines.append(f"overtime_cost_per_min = {float(policy.overtime_cost_per_min)!r}")
    if policy.reserve_min:
        lines.append(f"reserve_min = {policy.reserve_min}")
    lines.append("")
    lines += toml_table(
        "reserve", (f"{toml_string(k)} = {v}" for k, v in sorted(policy.reserve.items()))
    )
    tuned = policy.solver.model_dump(exclude_defaults=True)  # like seed: what is not default
    lines += toml_table("solver", (f"{key} = {toml_value(value)}" for key, value in tuned.items()))
    lines += robustness_toml(policy.robustness)
    lines += contacts_toml(policy.hospital, policy.partners)
    for cls in policy.urgency.values():
        lines.append(f"[urgency.{toml_string(cls.name)}]")
        if cls.max_delay_days is not None:
            lines.append(f"max_delay_days = {cls.max_delay_days}")
        lines.append(f"weight = {float(cls.weight)!r}")
        if cls.transfer_cost is not None:
            lines.append(f"transfer_cost = {float(cls.transfer_cost)!r}")
        lines.append("")
    return "\n".join(lines)


def write_csv(path: Path, header: Iterable[str], rows: Iterable[Iterable[str]]) -> None:
    """Write one CSV file: UTF-8, ``\\n`` line ends, quoting only where needed.

    The csv module quotes a cell only when it holds a character of the line
    terminator, so a bare ``\\r`` inside an id would split its row when read
    back; such rows (rare) are written with every cell quoted.
    """
    with path.open("w", encoding="utf-8", newline="") as fh:
        write_rows(fh, header, rows)


def scenario_hash(scenario: Scenario) -> str:
    """sha256 of the scenario's files as the loader hashes a folder of them (every file,
    then the policy): the input hash of a scenario made or changed in memory."""
    digest = hashlib.sha256()
    for name, (header, rows) in scenario_tables(scenario).items():
        data = csv_text(header, rows).encode("utf-8")
        digest.update(name.encode() + b"\0" + data + b"\0")
    data = policy_toml(scenario.policy).encode("utf-8")
    digest.update(POLICY_FILE.encode() + b"\0" + data + b"\0")
    return digest.hexdigest()


def csv_text(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """The text :func:`write_csv` would write (for scenarios made in memory)."""
    buffer = io.StringIO(newline="")
    write_rows(buffer, header, rows)
    return buffer.getvalue()


def write_rows(fh: TextIO, header: Iterable[str], rows: Iterable[Iterable[str]]) -> None:
    """Write a header and rows as CSV to ``fh``, as :func:`write_csv` describes."""
    plain = csv.writer(fh, lineterminator="\n")
    quoted = csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_ALL)
    plain.writerow(list(header))
    for r in rows:
        cells = list(r)
        (quoted if any("\r" in c for c in cells) else plain).writerow(cells)


def write_scenario(scenario: Scenario, folder: str | Path) -> Path:
    """Write a scenario folder that :func:`load_scenario` reads back unchanged.

    An optional file is written when the scenario has rows for it, or when
    the folder already holds one (then with its header only), so that a file
    left from an earlier scenario cannot change this one.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, (header, rows) in scenario_tables(scenario).items():
        if rows or FILES[name][0] or (folder / name).exists():
            write_csv(folder / name, header, rows)
    (folder / POLICY_FILE).write_text(policy_toml(scenario.policy), encoding="utf-8")
    return folder


def _session_cells(s: Session | ExtraSession) -> list[str]:
    """A session's cells, as sessions.csv and extra_sessions.csv both begin."""
    return [s.date.isoformat(), s.room_id, format_time(s.start), format_time(s.end),
            s.specialty or ""]  # fmt: skip

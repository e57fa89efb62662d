"""The checker's entry points: a schedule, or a result folder, against every rule."""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from optimizer.scenario.schema import Scenario

from .announced import announced_summary_agrees, notice_period_kept, waiting_notice_kept
from .causes import check_causes
from .contract import Violation
from .dates import not_before_now, patients_available, release_and_pins, within_horizon
from .deadlines import misses_explained_and_counted
from .levers import levers_in_summary, reserve_kept
from .plan import read_plan
from .resources import room_fits_and_resources
from .rooms import inside_sessions
from .sequencing import sequencing_order
from .statuses import every_case_once, status_semantics
from .summary import summary_agrees
from .surgeons import surgeons_free
from .table import read_schedule_csv
from .transfers import transfers_allowed


def check_schedule(
    scenario: Scenario, schedule: pd.DataFrame, summary: Mapping[str, Any] | None = None
) -> list[Violation]:
    """Every violation of the contract's rules by a revised schedule (empty when it complies).

    Parameters
    ----------
    scenario
        The scenario the schedule was made for.
    schedule
        One row per case with the contract's columns; cells may be text (as
        read by :func:`read_schedule_csv`) or Python values (dates, ``None``
        or NaN for empty, ints).
    summary
        The parsed ``summary.json``; when given, it is checked against a
        recomputation from the schedule.

    With a ``cause`` column, once every rule holds, each row's ``cause`` and
    ``blocking`` are checked against the facts (:mod:`.causes`, rule ``cause``).
    """
    plan = read_plan(scenario, schedule)
    if any(v.rule == "format" and v.case_id is None for v in plan.table.problems):
        return list(plan.table.problems)  # no usable columns: nothing else can be judged
    given = summary if isinstance(summary, Mapping) else None
    out = list(plan.table.problems)
    out += every_case_once(plan)
    out += inside_sessions(plan)
    out += surgeons_free(plan)
    out += room_fits_and_resources(plan)
    out += release_and_pins(plan)
    out += patients_available(plan)
    out += not_before_now(plan)
    out += sequencing_order(plan)
    out += transfers_allowed(plan)
    out += misses_explained_and_counted(plan, given)
    out += within_horizon(plan)
    out += status_semantics(plan)
    out += reserve_kept(plan)
    out += notice_period_kept(plan)
    out += waiting_notice_kept(plan)
    if not out and "cause" in schedule.columns:  # every cause backed by the facts it names
        out += [
            Violation("cause", p.case_id, str(p))
            for p in check_causes(scenario, schedule, plan.table)
        ]
    if given is not None:
        out += summary_agrees(plan, given)
        out += levers_in_summary(plan, given)
        out += announced_summary_agrees(plan, given)
    elif summary is not None:
        out.append(Violation("summary", None, "the summary is not a JSON object"))
    return out


def check_result_folder(scenario: Scenario, folder: str | Path) -> list[Violation]:
    """Check ``schedule.csv`` and ``summary.json`` of a result folder."""
    folder = Path(folder)
    path = folder / "schedule.csv"
    if not path.is_file():
        return [Violation("format", None, f"{path} does not exist")]
    try:
        schedule = read_schedule_csv(path)
    except (UnicodeDecodeError, csv.Error) as exc:
        return [Violation("format", None, f"{path} cannot be read as UTF-8 CSV: {exc}")]
    summary_path = folder / "summary.json"
    problems: list[Violation] = []
    summary: Any = None
    try:
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(Violation("summary", None, f"{summary_path} does not exist"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(Violation("summary", None, f"{summary_path} is not valid JSON: {exc}"))
    if summary is not None and not isinstance(summary, dict):
        problems.append(Violation("summary", None, f"{summary_path} is not a JSON object"))
        summary = None
    return problems + check_schedule(scenario, schedule, summary)

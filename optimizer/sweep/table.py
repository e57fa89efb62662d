"""The sweep's table: one row per variant, its parameters then its KPIs.

The KPIs are recomputed from the schedule by the independent checker
(:func:`optimizer.check.evaluate`), not taken from the solver, and a
schedule the checker rejects is reported ``failed``, never counted. The
columns are known before the first solve (from the variants' horizons and
urgency classes), so rows are appended to ``sweep.csv`` as variants finish:
a sweep cut short keeps what it had. At the end the CSV is rewritten in
variant order and ``sweep.parquet`` is written beside it.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import pandas as pd

from ..check import check_schedule, evaluate
from ..result.output import escape_cell
from ..result.result import Result
from .variants import Variant

CSV_NAME = "sweep.csv"
PARQUET_NAME = "sweep.parquet"
FAILED = "failed"

PARAM_COLUMNS = [
    "variant_id",
    "scenario",
    "capacity",
    "dates",
    "rooms_open",
    "rooms_open_by_date",
    "closed_rooms",
    "session_fraction",
    "target",
    "seed",
    "work_limit",
    "sessions",
    "session_minutes",
]
KPI_COLUMNS = [
    "status",
    "error",
    "planned",
    "kept",
    "kept_ratio",
    "dates_target_met",
    "dates_with_plan",
    "shortfall",
    "deadline_misses",
    "weighted_delay",
    "postponed",
    "transferred",
    "unscheduled",
    "scheduled",
    "wall_time_s",
]
INT_COLUMNS = {
    "variant_id",
    "rooms_open",
    "seed",
    "sessions",
    "session_minutes",
    "planned",
    "kept",
    "dates_target_met",
    "dates_with_plan",
    "shortfall",
    "deadline_misses",
    "postponed",
    "transferred",
    "unscheduled",
    "scheduled",
}
TEXT_COLUMNS = {"scenario", "capacity", "dates", "rooms_open_by_date", "closed_rooms"}
TEXT_COLUMNS |= {"status", "error"}
TIMING_COLUMNS = ("wall_time_s",)  # the only columns that differ between two equal runs


def miss_column(urgency: str) -> str:
    return f"misses_{urgency}"


def ratio_column(date: str) -> str:
    return f"kept_ratio_{date}"


def columns(variants: Sequence[Variant]) -> list[str]:
    """Every column of the table: parameters, KPIs, misses per class, kept ratio per date."""
    classes: list[str] = []
    dates: set[str] = set()
    for v in variants:
        policy = v.scenario.policy
        for name in sorted(policy.urgency_rank, key=policy.urgency_rank.__getitem__):
            if name not in classes:
                classes.append(name)
        dates.update(
            c.planned_date.isoformat()
            for c in v.scenario.cases
            if c.planned_date is not None and policy.start_date <= c.planned_date <= policy.end_date
        )
    return (
        PARAM_COLUMNS
        + KPI_COLUMNS
        + [miss_column(c) for c in classes]
        + [ratio_column(d) for d in sorted(dates)]
    )


def kpi_row(variant: Variant, result: Result) -> dict[str, Any]:
    """The variant's row from its result, checked and recomputed by the checker."""
    row = variant.params()
    schedule = result.schedule
    summary = result.summary
    violations = check_schedule(result.scenario, schedule, summary)
    if violations:
        rules = sorted({v.rule for v in violations})
        return failed_row(
            variant,
            f"the schedule breaks the contract's rules ({', '.join(rules)}): a bug, please "
            "report it",
        )
    figures = evaluate(result.scenario, schedule)
    totals = summary["totals"]
    policy = result.scenario.policy
    classes = sorted(policy.urgency_rank, key=policy.urgency_rank.__getitem__)
    row.update(
        status=result.status,
        error="",
        planned=totals["planned"],
        kept=figures["kept"],
        kept_ratio=totals["ratio"],
        dates_target_met=totals["dates_target_met"],
        dates_with_plan=totals["dates_with_plan"],
        shortfall=figures["shortfall"],
        deadline_misses=figures["deadline_misses"],
        weighted_delay=round(float(figures["weighted_delay"]), 6),
        postponed=totals["postponed"],
        transferred=totals["transferred"],
        unscheduled=totals["unscheduled"],
        scheduled=totals["scheduled"],
        wall_time_s=round(result.wall_time_s, 3),
    )
    for name, misses in zip(classes, figures["misses_by_class"], strict=True):
        row[miss_column(name)] = misses
    for day in summary["dates"]:
        row[ratio_column(day["date"])] = day["ratio"]
    return row


def failed_row(variant: Variant, error: str) -> dict[str, Any]:
    """A variant that gave no checked schedule: its parameters, ``failed`` and why."""
    row = variant.params()
    row.update(status=FAILED, error=error)
    return row


class TableWriter:
    """``sweep.csv`` grown row by row (flushed each time), then finished in variant order."""

    def __init__(self, out_dir: Path, header: list[str]) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.out_dir = out_dir
        self.header = header
        self.rows: dict[int, dict[str, Any]] = {}
        self._fh: IO[str] | None = (out_dir / CSV_NAME).open("w", encoding="utf-8", newline="")
        self._csv = csv.writer(self._fh, lineterminator="\r\n")
        self._csv.writerow(header)
        self._fh.flush()

    def add(self, row: Mapping[str, Any]) -> None:
        self.rows[int(row["variant_id"])] = dict(row)
        self._csv.writerow(_cells(self.header, row))
        assert self._fh is not None
        self._fh.flush()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def finish(self) -> pd.DataFrame:
        """Rewrite ``sweep.csv`` sorted by variant, write ``sweep.parquet``; the table."""
        self.close()
        ordered = [self.rows[k] for k in sorted(self.rows)]
        tmp = self.out_dir / (CSV_NAME + ".tmp")
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\r\n")
            w.writerow(self.header)
            w.writerows(_cells(self.header, r) for r in ordered)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.out_dir / CSV_NAME)
        frame = to_frame(ordered, self.header)
        frame.to_parquet(self.out_dir / PARQUET_NAME, engine="pyarrow", index=False)
        return frame


def _cells(header: list[str], row: Mapping[str, Any]) -> list[str]:
    return [escape_cell(row.get(c)) for c in header]


def to_frame(rows: Iterable[Mapping[str, Any]], header: list[str]) -> pd.DataFrame:
    """The table as a DataFrame with stable types (nullable ints, floats, strings)."""
    frame = pd.DataFrame([dict(r) for r in rows], columns=header)
    for name in header:
        if name in INT_COLUMNS or name.startswith("misses_"):
            frame[name] = frame[name].astype("Int64")
        elif name in TEXT_COLUMNS:
            frame[name] = frame[name].fillna("").astype(str)
        else:
            frame[name] = frame[name].astype("float64")
    return frame

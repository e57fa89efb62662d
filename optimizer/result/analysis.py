"""Tables for analysts: KPIs per specialty and urgency, causes, backlog, two results compared.

Every table is a pandas DataFrame computed from a :class:`~optimizer.Result`'s
schedule and its scenario's cases, never from the model: what the planners
see in ``schedule.csv`` is what is counted here.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from ..clock import format_time

if TYPE_CHECKING:
    from pandas.core.groupby import DataFrameGroupBy

    from .result import Result

STATUSES = ("kept", "postponed", "scheduled", "transferred", "unscheduled")
# Columns of the case list joined to the schedule in :func:`plan`.
CASE_COLUMNS = (
    "specialty",
    "surgeon_id",
    "duration_min",
    "planned_date",
    "planned_room",
    "planned_start",
)
# Columns of :func:`causes`; those the schedule does not have (yet) are left out.
CAUSE_COLUMNS = ("case_id", "status", "cause", "blocking", "reason")
# What :func:`compare` compares case by case: schedule column -> name of the change.
COMPARED = {"status": "status", "date": "date", "room_id": "room", "start": "start"}


def plan(result: Result) -> pd.DataFrame:
    """The schedule, one row per case, with what the case list says of each case.

    Returns
    -------
    DataFrame
        ``result.schedule``'s columns, then ``specialty``, ``surgeon_id``,
        ``duration_min``, ``planned_date`` (ISO text, ``None`` for the waiting
        list), ``planned_room`` and ``planned_start``; ``urgency`` is an
        ordered categorical, most urgent class first
        (:meth:`~optimizer.scenario.Policy.urgency_order`), so that sorting by
        it sorts by urgency.
    """
    sc = result.scenario
    df = result.schedule
    cases = pd.DataFrame(
        {
            "specialty": [c.specialty for c in sc.cases],
            "surgeon_id": [c.surgeon_id for c in sc.cases],
            "duration_min": [c.duration_min for c in sc.cases],
            "planned_date": [c.planned_date and c.planned_date.isoformat() for c in sc.cases],
            "planned_room": [c.planned_room for c in sc.cases],
            "planned_start": [
                None if c.planned_start is None else format_time(c.planned_start) for c in sc.cases
            ],
        },
        index=df.index,
    )
    out = pd.concat([df, cases], axis=1)  # rows are in the case list's order, one per case
    out["urgency"] = pd.Categorical(
        out["urgency"], categories=sc.policy.urgency_order(), ordered=True
    )
    return out


def _in_horizon(result: Result) -> pd.Series[bool]:
    policy = result.scenario.policy
    return pd.Series(
        [
            c.planned_date is not None and policy.start_date <= c.planned_date <= policy.end_date
            for c in result.scenario.cases
        ]
    )


def _check_result(value: object, name: str) -> None:
    """A TypeError naming the argument when ``value`` is not a :class:`Result` (a scenario
    or a DataFrame given by mistake would fail far inside, on a missing attribute). Known by
    what it holds: the result module builds on this one, which does not import it."""
    if not all(hasattr(value, part) for part in ("schedule", "scenario", "typed_summary")):
        raise TypeError(
            f"{name} must be an optimizer.Result (from optimizer.solve), not {type(value).__name__}"
        )


def _keys(by: object) -> list[str]:
    """The columns to group by: ``by`` as a column name or a non-empty list of them."""
    if isinstance(by, str):
        return [by]
    if not isinstance(by, Sequence) or not all(isinstance(k, str) for k in by):
        raise TypeError(f"by must be a column name or a list of them, not {by!r}")
    if not by:
        raise ValueError("by must name at least one column")
    return list(by)


def _groups(df: pd.DataFrame, keys: list[str]) -> DataFrameGroupBy[Any, Literal[True]]:
    """``df`` grouped by ``keys``, a case with an empty cell in its own group (labelled NaN):
    pandas leaves such rows out by default, and the waiting list (no ``planned_date``) or the
    cases operated nowhere (no ``room_id``) would vanish from the counts."""
    return df.groupby(keys, observed=True, sort=True, dropna=False)


def kpis_by(result: Result, by: str | Sequence[str]) -> pd.DataFrame:
    """Cases per status, kept ratio and mean delay, per group of cases.

    Parameters
    ----------
    result
        A solved result.
    by
        A column of :func:`plan` or several: ``"specialty"``, ``"urgency"``,
        ``["specialty", "urgency"]``, ``"surgeon_id"``, ``"planned_date"``...
        The cases with an empty cell in a column (the waiting list's
        ``planned_date``, the ``room_id`` of a case operated nowhere) make
        their own group, labelled NaN: every case is counted once.

    Returns
    -------
    DataFrame
        One row per group that has cases (indexed by the group), with

        - ``cases``: the cases of the group, waiting list included;
        - ``planned``: those planned on a horizon date (as in ``result.kpis``);
        - ``kept``, ``postponed``, ``scheduled``, ``transferred``,
          ``unscheduled``: cases per status (they add up to ``cases``);
        - ``kept_ratio``: ``kept / planned`` (``NaN`` with nothing planned);
        - ``mean_delay_days``: mean delay of the postponed cases, in calendar
          days from the planned date (``NaN`` if none is postponed);
        - ``deadline_misses``: cases operated after their deadline or not at all.

    Examples
    --------
    How many P2 cases in orthopaedics were postponed, and by how many days on average:

    >>> result.kpis_by(["specialty", "urgency"]).loc[("orthopaedics", "P2")]  # doctest: +SKIP
    """
    _check_result(result, "result")
    keys = _keys(by)
    df = plan(result)
    unknown = [k for k in keys if k not in df.columns]
    if unknown:
        raise ValueError(
            f"cannot group by {', '.join(unknown)}: the columns are {', '.join(df.columns)}"
        )
    df["planned_here"] = _in_horizon(result).to_numpy()
    for status in STATUSES:
        df[status] = df["status"] == status
    df["postponed_delay"] = df["delay_days"].where(df["postponed"]).astype("Float64")
    groups = _groups(df, keys)
    out = pd.DataFrame(
        {
            "cases": groups.size(),
            "planned": groups["planned_here"].sum(),
            **{s: groups[s].sum() for s in STATUSES},
        }
    ).astype("int64")
    out["kept_ratio"] = (out["kept"] / out["planned"].where(out["planned"] > 0)).astype(float)
    out["mean_delay_days"] = groups["postponed_delay"].mean().astype(float)
    out["deadline_misses"] = groups["deadline_missed"].sum().astype("int64")
    return out


def causes(result: Result) -> pd.DataFrame:
    """The cases not kept as planned, with why: one row per case whose status is not ``kept``.

    Columns ``case_id``, ``status``, ``cause``, ``blocking`` and ``reason``,
    as far as the schedule has them (``cause`` and ``blocking`` come with the
    explanation of causes; the sentence in ``reason`` is always there).
    """
    df = result.schedule
    cols = [c for c in CAUSE_COLUMNS if c in df.columns]
    return df.loc[df["status"] != "kept", cols].reset_index(drop=True)


def backlog(
    result: Result,
    minutes_per_day: float,
    by: str | Sequence[str] = "specialty",
    statuses: Sequence[str] = ("postponed", "unscheduled"),
) -> pd.DataFrame:
    """Days to clear the work pushed off its planned date, at a recovery pace.

    A simple, documented estimate rather than a plan: the backlog of a group
    is the operating minutes of its cases with a status in ``statuses``
    (postponed or left without a date, by default); once rooms come back, the
    group gets ``minutes_per_day`` extra operating minutes a day, so the
    backlog is cleared in ``ceil(minutes / minutes_per_day)`` days. Turnover
    between cases and new cases arriving meanwhile are not counted.

    Parameters
    ----------
    result
        A solved result.
    minutes_per_day
        Extra operating minutes a day given to each group (e.g. one room's
        extra session: 240).
    by
        The groups, as in :func:`kpis_by`.
    statuses
        Which cases make the backlog.

    Returns
    -------
    DataFrame
        Per group with such cases: ``cases``, ``minutes`` and ``days_to_clear``,
        largest backlog first.
    """
    _check_result(result, "result")
    if isinstance(minutes_per_day, bool) or not isinstance(minutes_per_day, numbers.Real):
        raise TypeError(f"minutes_per_day must be a number, not {minutes_per_day!r}")
    if not minutes_per_day > 0:
        raise ValueError(f"minutes_per_day must be above 0, not {minutes_per_day}")
    unknown = sorted(set(statuses) - set(STATUSES))
    if unknown:
        raise ValueError(f"unknown status {', '.join(unknown)}: known are {', '.join(STATUSES)}")
    keys = _keys(by)
    df = plan(result)
    late = df[df["status"].isin(list(statuses))]
    groups = _groups(late, keys)
    out = pd.DataFrame({"cases": groups.size(), "minutes": groups["duration_min"].sum()})
    out = out.astype("int64")
    out["days_to_clear"] = [math.ceil(m / minutes_per_day) for m in out["minutes"]]
    return out.sort_values(["minutes", "cases"], ascending=False, kind="stable")


@dataclass(frozen=True)
class Comparison:
    """What changed from one result (``a``) to another (``b``).

    Attributes
    ----------
    cases
        One row per case whose status, date, room or start differs (or that
        is in one result only): ``case_id``, ``<column>_a`` and
        ``<column>_b`` for ``status``, ``date``, ``room_id``, ``start``, and
        ``changed``, the changes named (``"status, date"``).
    dates
        Per horizon date of either result: ``planned``, ``kept`` and ``ratio``
        in ``a`` and ``b``, ``kept_delta`` and ``ratio_delta`` (``b - a``),
        ``target_met`` in both.
    totals
        Per figure of the summary's totals (``planned``, ``kept``,
        ``postponed``...): ``a``, ``b`` and ``delta`` (``b - a``).
    """

    cases: pd.DataFrame
    dates: pd.DataFrame
    totals: pd.DataFrame


def _same(x: object, y: object) -> bool:
    """Two cells equal, two missing ones too (a missing cell may come back as NaN, which
    equals nothing, itself included)."""
    missing_x, missing_y = bool(pd.isna(x)), bool(pd.isna(y))  # type: ignore[call-overload]
    return (missing_x and missing_y) or (not missing_x and not missing_y and x == y)


def compare(a: Result, b: Result) -> Comparison:
    """Compare two results case by case, per date and in totals (``b`` against ``a``).

    The results may come from different scenarios (a room closed, cases
    added): cases are matched by ``case_id``, dates by date.
    """
    _check_result(a, "a")
    _check_result(b, "b")
    cols = list(COMPARED)
    left = a.schedule[["case_id", *cols]]
    right = b.schedule[["case_id", *cols]]
    both = left.merge(right, on="case_id", how="outer", suffixes=("_a", "_b"), indicator=True)
    both = both.astype(object).where(both.notna(), None)
    changed = []
    for _, row in both.iterrows():
        if row["_merge"] != "both":
            changed.append("only in " + ("a" if row["_merge"] == "left_only" else "b"))
            continue
        what = [
            name for col, name in COMPARED.items() if not _same(row[f"{col}_a"], row[f"{col}_b"])
        ]
        changed.append(", ".join(what))
    both["changed"] = changed
    order = ["case_id"] + [f"{c}_{s}" for c in cols for s in ("a", "b")] + ["changed"]
    cases = both.loc[both["changed"] != "", order].reset_index(drop=True)

    per_a = a.kpis.set_index("date") if len(a.kpis) else _no_dates()
    per_b = b.kpis.set_index("date") if len(b.kpis) else _no_dates()
    dates = per_a.add_suffix("_a").join(per_b.add_suffix("_b"), how="outer").sort_index()
    dates["kept_delta"] = dates["kept_b"] - dates["kept_a"]
    dates["ratio_delta"] = (dates["ratio_b"] - dates["ratio_a"]).round(4)
    dates = dates[
        [
            "planned_a", "planned_b", "kept_a", "kept_b", "kept_delta",
            "ratio_a", "ratio_b", "ratio_delta", "target_met_a", "target_met_b",
        ]
    ]  # fmt: skip

    ta, tb = a.summary["totals"], b.summary["totals"]
    figures = list(ta)
    # Object columns: counts stay whole numbers, the ratio a ratio (None with nothing planned).
    totals = pd.DataFrame(
        {"a": [ta[k] for k in figures], "b": [tb[k] for k in figures]},
        index=pd.Index(figures, name="figure"),
        dtype=object,
    )
    totals["delta"] = [
        None if x is None or y is None else round(y - x, 4)
        for x, y in zip(totals["a"], totals["b"], strict=True)
    ]
    return Comparison(cases=cases, dates=dates, totals=totals)


def _no_dates() -> pd.DataFrame:
    cols = ["planned", "kept", "ratio", "target_met"]
    return pd.DataFrame(columns=cols, index=pd.Index([], name="date"))

"""Kept ratio against the number of extra sessions allowed: the points, their table, the plot.

Point ``k`` is the best schedule with at most ``k`` of the extra sessions (the
search is in :mod:`optimizer.whatif.search`); this module only holds what a
point says and draws it. The plot uses matplotlib's Agg backend: no display
is needed, and the same points give the same picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..scenario.schema import ExtraSession

CURVE_COLUMNS = (
    "sessions_allowed",
    "sessions_used",
    "added_cost",
    "date",
    "planned",
    "kept",
    "ratio",
    "target_met",
    "status",
)


@dataclass(frozen=True)
class CurvePoint:
    """The best schedule with at most ``allowed`` extra sessions.

    ``dates`` are the result's per-date KPIs (``date, planned, kept, ratio,
    target_met``); ``status`` is CP-SAT's status of the last level searched for
    this point (``OPTIMAL``: no schedule with that many sessions keeps more).
    """

    allowed: int
    used: tuple[ExtraSession, ...]
    added_cost: float
    dates: tuple[dict[str, Any], ...]
    status: str

    def rows(self) -> list[list[Any]]:
        return [
            [self.allowed, len(self.used), round(self.added_cost, 2), d["date"], d["planned"],
             d["kept"], d["ratio"], d["target_met"], self.status]
            for d in self.dates
        ]  # fmt: skip


def plotted_dates(points: Sequence[CurvePoint]) -> list[str]:
    """The dates worth a line: those below target with no session added (the rest are flat
    at or above it); every date if none is below."""
    if not points:
        return []
    first = points[0]
    below = [d["date"] for d in first.dates if not d["target_met"]]
    return below or [d["date"] for d in first.dates]


def plot_curve(points: Sequence[CurvePoint], target: float, path: Path, *, title: str) -> None:
    """Draw the kept ratio of each date (and pooled) against the sessions allowed, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")  # no display; must come before pyplot
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=100)
    try:
        xs = [p.allowed for p in points]
        for iso in plotted_dates(points):
            ys = [next(d["ratio"] for d in p.dates if d["date"] == iso) for p in points]
            ax.plot(xs, [100 * y for y in ys], marker="o", markersize=3, label=iso)
        pooled = []
        for p in points:
            planned = sum(d["planned"] for d in p.dates)
            pooled.append(100 * sum(d["kept"] for d in p.dates) / planned if planned else 0.0)
        ax.plot(xs, pooled, color="black", linewidth=2, label="all dates")
        ax.axhline(100 * target, color="grey", linestyle="--", linewidth=1, label="target")
        ax.set_xlabel("extra sessions allowed")
        ax.set_ylabel("kept ratio (%)")
        ax.set_title(title)
        ax.set_xticks(xs)
        ax.set_ylim(0, 102)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=7, loc="lower right", ncol=2)
        fig.tight_layout()
        # no timestamp or software tag in the file: the same points, the same bytes
        fig.savefig(path, format="png", metadata={"Software": None})
    finally:
        plt.close(fig)

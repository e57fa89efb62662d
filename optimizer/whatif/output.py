"""Writing a whatif folder: the answer, the sessions to add, and the schedule with them.

``DIR/whatif.csv`` (one row per date below target), ``DIR/sessions_added.csv``
(the chosen extra sessions, in ``sessions.csv`` columns), ``DIR/resources_added.csv``
(when the scenario offers extra beds or anaesthetists: the units taken, in
``extra_resources.csv`` columns), ``DIR/whatif.json``
(the same with the cost level's status: is the answer proven least-cost?),
``DIR/result/`` (a result folder whose ``scenario/`` holds the added sessions,
so that it can be checked on its own) and, with the curve, ``DIR/curve.csv`` and
``DIR/curve.png``. The folder is written as a whole, atomically, like a result.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from ..result.output import RESULT_MARKERS, write_atomically, write_result, write_safe_csv
from .answer import WHATIF_COLUMNS, WhatIf
from .curve import CURVE_COLUMNS, CurvePoint, plot_curve
from .resources import RESOURCE_COLUMNS, resource_rows
from .sessions import SESSION_COLUMNS, session_rows

WHATIF_CSV = "whatif.csv"
SESSIONS_ADDED_CSV = "sessions_added.csv"
RESOURCES_ADDED_CSV = "resources_added.csv"
WHATIF_JSON = "whatif.json"
RESULT = "result"
CURVE_CSV = "curve.csv"
CURVE_PNG = "curve.png"
# a previous whatif folder may be replaced, as a previous result may
WHATIF_MARKERS = (*RESULT_MARKERS, WHATIF_CSV, WHATIF_JSON)


def write_whatif(
    answer: WhatIf,
    out_dir: str | Path,
    *,
    curve: Sequence[CurvePoint] | None = None,
    started: float | None = None,
) -> Path:
    """Write the whatif folder ``out_dir`` (replaced as a whole, atomically)."""

    def fill(tmp: Path) -> None:
        write_answer(answer, tmp, curve=curve)
        write_result(answer.result, tmp / RESULT)

    return write_atomically(out_dir, fill, started=started, markers=WHATIF_MARKERS)


def write_answer(
    answer: WhatIf, folder: Path, *, curve: Sequence[CurvePoint] | None = None
) -> None:
    """The answer's own files in ``folder``: ``whatif.csv``, ``sessions_added.csv``,
    ``resources_added.csv`` (extra resources on offer), ``whatif.json`` and, with a curve,
    ``curve.csv`` and ``curve.png`` (the desk writes
    them beside the result's files, in its run folder)."""
    sc = answer.scenario
    write_safe_csv(folder / WHATIF_CSV, list(WHATIF_COLUMNS), [d.cells(sc) for d in answer.dates])
    write_safe_csv(
        folder / SESSIONS_ADDED_CSV, list(SESSION_COLUMNS), session_rows(sc, answer.added)
    )
    if sc.extra_resources:
        rows = resource_rows(answer.added_resources, answer.baseline, answer.result)
        write_safe_csv(folder / RESOURCES_ADDED_CSV, list(RESOURCE_COLUMNS), rows)
    summary = answer.summary
    if curve is not None:
        summary["curve"] = {"points": len(curve), "csv": CURVE_CSV, "png": CURVE_PNG}
    _write_json(folder / WHATIF_JSON, summary)
    if curve is not None:
        write_safe_csv(
            folder / CURVE_CSV, list(CURVE_COLUMNS), [r for p in curve for r in p.rows()]
        )
        title = f"{sc.name or 'scenario'}: kept ratio against extra sessions allowed"
        plot_curve(curve, sc.policy.target_ratio, folder / CURVE_PNG, title=title)


def _write_json(path: Path, data: object) -> None:
    with path.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2, ensure_ascii=False, allow_nan=False)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())

"""``whatif``'s work (API): search, check, write — through the one pipeline of every command
(:func:`optimizer.search.pipeline.checked_and_written`). The command line
(:mod:`optimizer.cli.solving`) parses, prints and owns the exit statuses: 0 the folder was
written (also when some date cannot reach the target: its row says how close it gets),
2 bad input, 1 a bug (the schedule with the sessions added breaks a rule: nothing written).
"""

from __future__ import annotations

import time
from pathlib import Path

from ..check import Violation, check_schedule
from ..check.whatif import with_added
from ..scenario.schema import Scenario
from ..search import SolveOptions, StopFlag
from ..search.pipeline import checked_and_written, judged
from .answer import WhatIf
from .curve import CurvePoint
from .output import (
    CURVE_CSV,
    CURVE_PNG,
    RESOURCES_ADDED_CSV,
    RESULT,
    SESSIONS_ADDED_CSV,
    WHATIF_CSV,
    WHATIF_JSON,
    WHATIF_MARKERS,
    write_whatif,
)
from .search import CURVE_SHARE, curve, wall_limit, whatif
from .sessions import as_session


def violations_of(answer: WhatIf) -> list[Violation]:
    """What the independent checker finds wrong with the answer's schedule, judged against
    the scenario plus the sessions and resources added (merged by the checker itself)."""
    added = [as_session(answer.scenario, e) for e in answer.added]
    with_them, problems = with_added(answer.scenario, added, answer.added_resources)
    result = answer.result
    found = [*problems, *check_schedule(with_them, result.schedule, result.summary)]
    return found + list(judged(result).violations or ())


def answer_and_write(
    scenario: Scenario,
    out_dir: Path,
    *,
    target: float | None,
    with_curve: bool,
    options: SolveOptions,
    stop: StopFlag,
    started: float | None = None,
    begun: float | None = None,
    after_s: float = 0.0,
) -> tuple[WhatIf, list[CurvePoint] | None, list[Path]]:
    """Answer what it would take for ``scenario`` (and the curve), write it to ``out_dir``
    once the checker passed it; the answer, the curve's points and the files written.

    ``started`` is the run's start as a ``time.time()`` (for the folders a killed run
    left), ``begun`` as a ``time.monotonic()`` (default: now): a time limit bounds the
    whole run from it, the answer's two solves then, with ``with_curve``, the curve's
    (``CURVE_SHARE`` of the limit); ``after_s``: seconds the caller spends once this
    returns (the command line's exit), kept from the limit."""
    points: list[CurvePoint] | None = None
    begun = time.monotonic() if begun is None else begun

    def make() -> WhatIf:
        nonlocal points
        first, limit = options, wall_limit(scenario, options)
        if with_curve and limit is not None:
            first = options.model_copy(update={"time_limit": (1 - CURVE_SHARE) * limit})
        answer = whatif(scenario, target=target, options=first, stop=stop, started=begun,
                        after_s=after_s)  # fmt: skip
        if with_curve:
            points = curve(answer.scenario, options=options, baseline=answer.baseline, stop=stop,
                           started=begun, after_s=after_s)  # fmt: skip
        return answer

    def write(answer: WhatIf) -> None:
        write_whatif(answer, out_dir, curve=points, started=started)

    answer = checked_and_written(out_dir, make, violations_of, write, markers=WHATIF_MARKERS)
    names = [WHATIF_CSV, SESSIONS_ADDED_CSV, WHATIF_JSON, RESULT + "/"]
    if scenario.extra_resources:
        names.insert(2, RESOURCES_ADDED_CSV)
    if points is not None:
        names += [CURVE_CSV, CURVE_PNG]
    return answer, points, [out_dir / n for n in names]

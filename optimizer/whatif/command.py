"""``whatif``'s work (API): search, check, write — through the one pipeline of every command
(:func:`optimizer.search.pipeline.checked_and_written`). The command line
(:mod:`optimizer.cli.solving`) parses, prints and owns the exit statuses: 0 the folder was
written (also when some date cannot reach the target: its row says how close it gets),
2 bad input, 1 a bug (the schedule with the sessions added breaks a rule: nothing written).
"""

from __future__ import annotations

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
from .search import curve, whatif
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
) -> tuple[WhatIf, list[CurvePoint] | None, list[Path]]:
    """Answer what it would take for ``scenario`` (and the curve), write it to ``out_dir``
    once the checker passed it; the answer, the curve's points and the files written."""
    points: list[CurvePoint] | None = None

    def make() -> WhatIf:
        nonlocal points
        answer = whatif(scenario, target=target, options=options, stop=stop)
        if with_curve:
            points = curve(answer.scenario, options=options, baseline=answer.baseline, stop=stop)
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

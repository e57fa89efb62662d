"""The ``whatif`` command's work: read, search, check, write, say (the CLI only parses).

Exit status as for ``solve``: 0 the folder was written (also when some date
cannot reach the target: its row says how close it gets), 2 bad input, 1 a bug
(the schedule with the sessions added breaks a rule: nothing is written).
"""

from __future__ import annotations

import logging
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import click

from ..check import check_schedule
from ..check.whatif import with_added
from ..result.output import OutputFolderError, check_out_dir, load_scenario_or_copy
from ..scenario import ScenarioError
from ..search import SolveOptions, StopFlag
from .answer import WhatIf
from .curve import CurvePoint
from .output import (
    CURVE_CSV,
    CURVE_PNG,
    RESULT,
    SESSIONS_ADDED_CSV,
    WHATIF_CSV,
    WHATIF_JSON,
    WHATIF_MARKERS,
    write_whatif,
)
from .search import curve, whatif
from .sessions import as_session
from .text import whatif_lines

EXIT_BAD_INPUT = 2
EXIT_BUG = 1


def violations_of(answer: WhatIf) -> list[str]:
    """What the independent checker finds wrong with the answer's schedule, judged against
    the scenario plus the sessions added (merged by the checker itself)."""
    added = [as_session(answer.scenario, e) for e in answer.added]
    with_them, problems = with_added(answer.scenario, added)
    result = answer.result
    found = [*problems, *check_schedule(with_them, result.schedule, result.summary)]
    found += list(result.violations if result.violations is not None else result.check())
    return [f"rule {v.rule}: {v.message}" for v in found]


def run(
    scenario_dir: Path,
    out_dir: Path,
    *,
    target: float | None,
    with_curve: bool,
    options: SolveOptions,
    report_bad_input: Callable[[ScenarioError], None],
) -> None:
    """Answer what it would take for SCENARIO_DIR, write it to ``out_dir``, print the answer."""
    started = time.time()
    try:
        scenario = load_scenario_or_copy(scenario_dir)
    except ScenarioError as exc:
        report_bad_input(exc)
        sys.exit(EXIT_BAD_INPUT)
    try:
        check_out_dir(out_dir, WHATIF_MARKERS)
    except OutputFolderError as exc:
        raise click.BadParameter(str(exc), param_hint="--out") from None
    for w in scenario.warnings:
        click.echo(f"warning: {w}", err=True)
    if options.log_search:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
    stop = StopFlag()
    previous = {
        sig: signal.signal(sig, lambda *_: stop.request())
        for sig in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        answer = whatif(scenario, target=target, options=options, stop=stop)
        points: list[CurvePoint] | None = None
        if with_curve:
            points = curve(answer.scenario, options=options, baseline=answer.baseline, stop=stop)
        bad = violations_of(answer)
        if bad:
            click.echo(
                "internal error: the schedule with the sessions added breaks the contract's "
                "rules (a bug, please report it); nothing was written:",
                err=True,
            )
            for line in bad[:20]:
                click.echo(f"  - {line}", err=True)
            sys.exit(EXIT_BUG)
        try:
            write_whatif(answer, out_dir, curve=points, started=started)
        except OSError as exc:
            click.echo(f"cannot write to {out_dir}: {exc}; nothing was written", err=True)
            sys.exit(EXIT_BUG)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    names = [WHATIF_CSV, SESSIONS_ADDED_CSV, WHATIF_JSON, RESULT + "/"]
    if points is not None:
        names += [CURVE_CSV, CURVE_PNG]
    written = [out_dir / n for n in names]
    for line in whatif_lines(answer, written, None if points is None else len(points)):
        click.echo(line)

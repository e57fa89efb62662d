"""What the desk hands out from a finished run: exports, printable pages, the waiting line.

Each is made by the function the commands use (``export``, the report's and the
letters' templates), from the run folder alone.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..i18n import Lang
from .errors import DeskError, shown

log = logging.getLogger("optimizer.desk")


@contextlib.contextmanager
def readable(folder: Path) -> Iterator[None]:
    """A finished run's files read for the planner: a damaged run is a refusal naming it
    (the kind of fault goes to the log: its text may quote a cell), not a traceback nor the
    planner's bad input."""
    from ..explain.command import ExplainError
    from ..export.command import ExportError
    from ..report import ResultFolderError
    from ..scenario import ScenarioError

    try:
        yield
    except (ExplainError, ExportError, ResultFolderError, ScenarioError) as exc:
        log.warning("desk: run %s cannot be read: %s", folder.name, type(exc).__name__)
        raise DeskError("run_unreadable", 500, run=folder.name) from None


def export_run(folder: Path, fmt: str) -> tuple[str, bytes]:
    """A finished run exported for the hospital's systems (``export``): a file name and
    its bytes; the iCalendar files of the rooms come as one zip."""
    import io
    import zipfile

    from ..export import FORMATS, export_result

    if fmt not in FORMATS:
        raise DeskError("bad_export", 404, fmt=shown(fmt), formats=", ".join(FORMATS))
    names = {"fhir": "appointments.fhir.json", "hl7": "appointments.hl7", "ics": "rooms"}
    with tempfile.TemporaryDirectory(prefix="desk-export-") as tmp:
        out = Path(tmp) / names[fmt]
        with readable(folder):
            export_result(folder, fmt, out)
        if out.is_file():
            return f"run-{folder.name}-{out.name}", out.read_bytes()
        packed = io.BytesIO()
        with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(out.iterdir()):
                archive.write(path, path.name)
        return f"run-{folder.name}-calendars.zip", packed.getvalue()


def printable(path: Path, what: str, lang: Lang) -> str:
    """The report or the letters of a finished run, rendered in ``lang`` (the page's
    language, whatever the run's), by the same templates as the files."""
    from ..report import read_result_folder, render_report
    from ..report.letters import build_letters
    from ..report.render import environment
    from ..report.view import build_report

    if what not in ("report", "letters"):
        raise DeskError("bad_printable", 404, what=shown(what))
    with readable(path):
        folder = read_result_folder(path)
        if what == "report":
            return render_report(build_report(folder, lang))
        template = environment().get_template("letters.html.j2")
        return template.render(r=build_letters(folder, lang))


def status_words(
    lang: Lang, run_id: str, state: str, ahead: int, progress: dict[str, Any] | None, message: str
) -> dict[str, str]:
    """What the page writes while a run waits or runs, in the planner's language."""
    from .. import i18n

    def t(key: str, **fields: Any) -> str:
        return i18n.text(lang, f"desk.{key}", **fields)

    status, line = "", ""
    if state == "queued":
        status = t("queued", run=run_id, ahead=ahead)
    elif state == "running":
        status = t("running", run=run_id, elapsed=round((progress or {}).get("elapsed_s", 0)))
    elif state == "failed":
        status = t("failed", run=run_id, message=message)
    if progress and "level_words" in progress:
        bound = progress["bound"]
        line = t("progress", index=progress["index"], total=progress["total"],
                 level=progress["level_words"], best=f"{progress['best']:g}",
                 bound=t("no_bound") if bound is None else f"{bound:g}")  # fmt: skip
    return {"status": status, "progress": line}


def case_ids(path: Path) -> set[str]:
    """The ``case_id`` column of a run's CSV (``calls.csv``, ``schedule.csv``), unescaped."""
    return set(_by_case(path, "case_id"))


def case_dates(path: Path) -> dict[str, str]:
    """The date a run's ``schedule.csv`` gives each case (``""``: not scheduled), by case id."""
    return _by_case(path, "date")


def _by_case(path: Path, column: str) -> dict[str, str]:
    """``column`` of a run's CSV by its unescaped ``case_id``."""
    import csv

    from ..facts.schedule_file import unescape_cell

    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {unescape_cell(r["case_id"]): r[column] for r in csv.DictReader(fh)}

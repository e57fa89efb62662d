"""``export RESULT_DIR --format fhir|hl7|ics --out PATH``: read, build, write atomically.

The result folder is read whole and checked before anything is written; the
export is then written to a temporary file (or folder, for ``ics``) beside
``PATH`` and moved in place in one step, so a crash leaves the previous
export or the new one, never half a file. ``PATH`` is replaced only when it
is a previous export of the same format (or empty): never a result folder's
own file, a scenario or someone's documents.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import Lang, Refusal
from ..result.output import OutputFolderError, write_atomically
from ..scenario.atomic import write_bytes_atomically
from . import fhir, hl7, ics
from .appointments import Decisions, read_decisions

FORMATS = ("fhir", "hl7", "ics")
# How a previous export of each single-file format begins (to allow replacing it).
_EXPORT_START = {"fhir": (b"{", b'"resourceType": "Bundle"'), "hl7": (b"MSH|", b"")}
_PEEK = 256


class ExportError(Refusal, ValueError):
    """The export cannot be written where asked (``--out``); nothing was written. Said
    from the ``export`` catalogue (``str()``: in English)."""


@dataclass(frozen=True)
class Exported:
    """What was written: the path, the format, and counts for the message."""

    path: Path
    format: str
    language: Lang
    counts: dict[str, int] = field(default_factory=dict)


def export_result(
    result_dir: str | Path, fmt: str, out: str | Path, *, now: dt.datetime | None = None
) -> Exported:
    """Export the result folder ``result_dir`` as ``fmt`` to ``out`` (the API of ``export``).

    ``now`` is the time written in the messages (default: the clock, in the
    hospital's zone); give it to get the same bytes twice. A ``now`` without a
    time zone is read in the hospital's.

    Raises
    ------
    TypeError
        ``now`` is not a ``datetime.datetime``.
    ExportError
        Unknown format, or ``out`` would replace something that is not a previous export.
    ResultFolderError, ScenarioError
        ``result_dir`` is not a whole result folder: every problem named.
    """
    if now is not None and not isinstance(now, dt.datetime):
        raise TypeError(f"now must be a datetime.datetime, not {type(now).__name__}")
    if fmt not in FORMATS:
        raise ExportError("export.errors.format", fmt=repr(fmt), formats=", ".join(FORMATS))
    out = Path(out)
    check_out(out, fmt)
    decisions = read_decisions(result_dir)
    lang = decisions.folder.scenario.policy.language
    if now is None:
        moment = dt.datetime.now(decisions.zone).replace(microsecond=0)
    else:  # a naive time is the hospital's, as every clock time of the data (not the machine's)
        moment = now if now.tzinfo is not None else now.replace(tzinfo=decisions.zone)
    if fmt == "fhir":
        write_bytes_atomically(out, fhir.bundle_json(decisions, moment).encode("utf-8"))
        return Exported(out, fmt, lang, _fhir_counts(decisions))
    if fmt == "hl7":
        write_bytes_atomically(out, hl7.hl7_text(decisions, moment).encode("utf-8"))
        events = Counter(hl7.event_of(c) for c in decisions.calls)
        counts = {"n": len(decisions.calls), "new": events["S12"], "moved": events["S13"],
                  "cancelled": events["S15"]}  # fmt: skip
        return Exported(out, fmt, lang, counts)
    files = ics.calendars(decisions, moment)
    _write_folder(out, files)
    operated = sum(1 for a in decisions.appointments if a.booked)
    return Exported(out, fmt, lang, {"files": len(files), "n": operated})


def _fhir_counts(decisions: Decisions) -> dict[str, int]:
    exported, left = decisions.exported, fhir.sent_left(decisions)
    booked = sum(1 for a in exported if a.booked)
    fulfilled = sum(1 for gone in left if gone.fulfilled)
    cancelled = len(exported) - booked + len(left) - fulfilled
    n = len(exported) + len(left)
    return {"n": n, "booked": booked, "cancelled": cancelled, "fulfilled": fulfilled}


def check_out(out: Path, fmt: str) -> None:
    """Refuse an ``out`` whose replacement would destroy something: for ``ics`` a folder
    that holds anything but ``.ics`` files; for the others a folder, or a file that is
    not a previous export of that format."""
    if fmt == "ics":
        if out.is_symlink() or not out.exists():
            return
        if not out.is_dir():
            raise ExportError("export.errors.ics_file", out=out)
        others = sorted(p.name for p in out.iterdir() if not p.name.endswith(".ics"))
        if others:
            shown = ", ".join(others[:3]) + (" ..." if len(others) > 3 else "")
            raise ExportError("export.errors.ics_others", out=out, files=shown)
        return
    if out.is_dir():
        raise ExportError("export.errors.is_folder", out=out, fmt=fmt)
    if not out.exists():
        return
    try:
        with out.open("rb") as fh:
            head = fh.read(_PEEK)
    except OSError as exc:
        raise ExportError("export.errors.unreadable", out=out, error=exc.strerror) from None
    start, mark = _EXPORT_START[fmt]
    if head and not (head.lstrip().startswith(start) and mark in head):
        raise ExportError("export.errors.not_previous", out=out, fmt=fmt)


def _write_folder(out: Path, files: dict[str, bytes]) -> None:
    """Write the calendars as the folder ``out``, swapped in whole (as a result folder)."""

    def fill(tmp: Path) -> None:
        for name, data in files.items():
            with (tmp / name).open("wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())

    # a previous export (only calendars, checked above) may be replaced
    previous = tuple(p.name for p in out.iterdir()) if out.is_dir() else ()
    try:
        write_atomically(out, fill, markers=previous or ("",))
    except OutputFolderError as exc:  # said in the export's words' language too
        raise ExportError("export.errors.folder", why=exc) from None

"""A workbook zipped with its sheets made in memory, never in the machine's temporary folder.

openpyxl writes each sheet to a file ``openpyxl.XXXX`` in ``/tmp`` before it zips it;
a process killed then leaves the sheet there (a call list: patients' appointments),
outside any folder the next run cleans. Here each sheet is written to memory and
zipped from there: what a kill leaves is the temporary file or folder beside the
output, which the next run removes. The result's workbooks and the scenario template
both write through :func:`write_workbook_data`.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from openpyxl import Workbook
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter


class _MemoryExcelWriter(ExcelWriter):  # type: ignore[misc]
    """openpyxl's writer, each worksheet written to a buffer (openpyxl 3.1's
    ``write_worksheet`` otherwise)."""

    def write_worksheet(self, ws: Any) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        buffer = io.BytesIO()
        writer = WorksheetWriter(ws, out=buffer)
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], buffer.getvalue())
        self.manifest.append(ws)


def write_workbook_data(book: Workbook, archive: zipfile.ZipFile) -> None:
    """Write ``book`` into ``archive`` (left open) as ``openpyxl`` would, in memory."""
    if book.write_only:  # its sheets are already files: not what the project writes
        raise ValueError("a write-only workbook cannot be written in memory")
    _MemoryExcelWriter(book, archive).write_data()


def workbook_bytes(book: Workbook) -> bytes:
    """The ``.xlsx`` bytes of ``book``, as ``book.save`` writes them (modified: now)."""
    book.properties.modified = dt.datetime.now(tz=dt.UTC).replace(tzinfo=None)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        write_workbook_data(book, archive)
    return buffer.getvalue()

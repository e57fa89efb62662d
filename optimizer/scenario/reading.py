"""Reading the files of a scenario folder as text, every problem named by file, row and column.

:class:`Reader` reads each file once (refusing what is too large, not text,
UTF-16, a spreadsheet workbook or binary), strips a UTF-8 byte order mark,
reads CRLF and LF line ends alike, and records every problem it meets rather
than stopping at the first. A CSV file becomes a :class:`Table` of trimmed
cells, each row with the number a spreadsheet shows it under (the header is
row 1). The per-file readers then parse the cells they need with
:meth:`Reader.values`.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import limits
from .cells import CellError
from .errors import Problem, ScenarioError
from .layout import FILES

# Bytes that are not UTF-8 survive decoding as lone surrogates (surrogateescape).
_NOT_UTF8 = re.compile("[\udc80-\udcff]")


# Columns to read from a row: (column, parser or None for text as is, required).
Spec = tuple[tuple[str, Callable[[str], Any] | None, bool], ...]


@dataclass
class Table:
    """The rows of one CSV file as trimmed text, each with its spreadsheet row number."""

    file: str
    index: dict[str, int]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    not_utf8: bool = False  # some cells may hold bytes that are not UTF-8
    _compiled: dict[int, list[tuple[str, int | None, Callable[[str], Any] | None, bool]]] = field(
        default_factory=dict
    )

    def compiled(
        self, spec: Spec
    ) -> list[tuple[str, int | None, Callable[[str], Any] | None, bool]]:
        """``spec`` with each column's position in this file (``None``: not given), once."""
        out = self._compiled.get(id(spec))
        if out is None:
            out = [(col, self.index.get(col), parse, req) for col, parse, req in spec]
            self._compiled[id(spec)] = out
        return out


class Reader:
    """Collects problems and warnings while the files are read."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[Problem] = []
        self.warnings: list[str] = []
        self.digest = hashlib.sha256()
        self.per_file: dict[str, int] = defaultdict(int)

    def error(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.per_file[file] += 1
        if self.per_file[file] <= limits.MAX_PROBLEMS_PER_FILE:
            self.problems.append(Problem(file, row, column, printable(message)))

    def warn(self, message: str) -> None:
        self.warnings.append(printable(message))

    def clean(self, *files: str) -> bool:
        """True when none of ``files`` has a problem so far."""
        return not any(self.per_file.get(f) for f in files)

    def finish(self) -> None:
        """Raise the collected problems, saying how many were left unlisted."""
        for file, n in sorted(self.per_file.items()):
            if n > limits.MAX_PROBLEMS_PER_FILE:
                self.problems.append(
                    Problem(
                        file,
                        None,
                        None,
                        f"{n - limits.MAX_PROBLEMS_PER_FILE} more problems in this file are not "
                        f"listed; fix the ones listed and validate again",
                    )
                )
        if self.problems:
            raise ScenarioError(self.problems)

    # -- reading files ---------------------------------------------------
    def read_bytes(self, name: str, required: bool, limit: int) -> bytes | None:
        path = self.folder / name
        try:
            if not path.exists():
                if required:
                    self.error(name, None, None, "this required file is missing from the folder")
                return None
            if not path.is_file():
                self.error(name, None, None, "this is not a regular file")
                return None
            with path.open("rb") as fh:
                data = fh.read(limit + 1)
        except OSError as exc:
            self.error(name, None, None, f"the file cannot be read ({exc.strerror or exc})")
            return None
        if len(data) > limit:
            self.error(
                name, None, None, f"the file is larger than {limit // 2**20} MB: it is refused"
            )
            return None
        self.digest.update(name.encode() + b"\0" + data + b"\0")
        return data

    def decode(self, name: str, data: bytes) -> tuple[str, bool] | None:
        """The text of a file and whether some bytes were not UTF-8; ``None`` if not text."""
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            self.error(name, None, None, "the file is saved as UTF-16; save it as 'CSV UTF-8'")
            return None
        if data.startswith(b"PK\x03\x04"):
            self.error(
                name, None, None, "this is a spreadsheet workbook, not CSV: save it as 'CSV UTF-8'"
            )
            return None
        data = data.removeprefix(codecs.BOM_UTF8)
        if b"\0" in data:
            self.error(name, None, None, "the file holds binary data (NUL bytes), not text")
            return None
        try:
            return data.decode("utf-8"), False
        except UnicodeDecodeError:
            return data.decode("utf-8", "surrogateescape"), True

    def read_csv(self, name: str) -> Table | None:
        """Read one CSV file; ``None`` when it is absent or unusable (the reason is recorded)."""
        required, req_cols, opt_cols = FILES[name]
        data = self.read_bytes(name, required, limits.MAX_FILE_BYTES)
        if data is None:
            return None
        decoded = self.decode(name, data)
        if decoded is None:
            return None
        text, not_utf8 = decoded
        if not text.strip():
            self.empty(name)
            return None
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = [h.strip().lstrip("\ufeff") for h in next(reader)]  # a doubled BOM too
        except csv.Error as exc:
            self.error(name, 1, None, _csv_message(exc))
            return None
        return self.table(name, header, reader, not_utf8)

    def empty(self, name: str) -> None:
        """Record a file without even a header: a problem if it is required, else a warning."""
        required, req_cols, _ = FILES[name]
        if required:
            expected = ", ".join(req_cols)
            self.error(name, None, None, f"the file is empty: it needs a header row ({expected})")
        else:
            self.warn(f"{name} is empty; it is ignored")

    def table(
        self, name: str, header: list[str], records: Iterator[list[str]], not_utf8: bool = False
    ) -> Table | None:
        """Check a header and take the rows of ``records`` as trimmed cells, numbered from 2.

        ``records`` are the rows after the header: of a CSV file (``csv.Error``
        is caught), or the cells of a DataFrame. ``None`` when the header is unusable.
        """
        _, req_cols, opt_cols = FILES[name]
        if not any(header):
            self.error(name, 1, None, f"the first row must be the header ({', '.join(req_cols)})")
            return None
        before = self.per_file[name]
        for j, h in enumerate(header):
            if _NOT_UTF8.search(h):
                self.error(name, 1, None, f"header cell {j + 1} is not UTF-8 text")
        present = set(header)
        for col in req_cols:
            if col not in present:
                hint = next((h for h in header if h.lower() == col), None)
                found = f" (found {hint!r}: column names are lower case)" if hint else ""
                self.error(name, 1, col, f"this required column is missing from the header{found}")
        for col in sorted({h for h in header if h and header.count(h) > 1}):
            self.error(name, 1, col, "this column appears more than once in the header")
        if self.per_file[name] > before:
            return None
        known = set(req_cols) | set(opt_cols)
        extra = [h for h in header if h and h not in known]
        if extra:
            self.warn(f"{name}: unknown column(s) ignored: {', '.join(extra)}")
        table = Table(name, {h: j for j, h in enumerate(header) if h}, not_utf8=not_utf8)
        width = len(header)
        rows = table.rows
        strip = str.strip
        row = 1
        try:
            for rec in records:
                row += 1
                if row - 1 > limits.MAX_ROWS:
                    self.error(
                        name, None, None, f"the file has more than {limits.MAX_ROWS} rows: refused"
                    )
                    return None
                if len(rec) > width:
                    if any(c.strip() for c in rec[width:]):
                        self.error(
                            name,
                            row,
                            None,
                            f"the row has {len(rec)} cells but the header has {width} columns "
                            "(a comma inside a cell must be quoted)",
                        )
                        continue
                    del rec[width:]
                cells = list(map(strip, rec))
                if not any(cells):
                    continue  # a blank line
                if len(cells) < width:
                    cells.extend([""] * (width - len(cells)))
                rows.append((row, cells))
        except csv.Error as exc:
            self.error(name, row + 1, None, _csv_message(exc) + "; the rest is not read")
        return table

    def values(self, t: Table, row: int, cells: list[str], spec: Spec) -> list[Any]:
        """Parse the cells of one row named in ``spec``: ``None`` for empty or bad ones.

        A bad cell, or an empty one that is required, is recorded as a problem.
        One call per row (not per cell) keeps 100,000-case lists fast.
        """
        out: list[Any] = []
        for col, j, parse, required in t.compiled(spec):
            text = "" if j is None else cells[j]
            if not text:
                if required and j is not None:  # a missing column is reported once, at row 1
                    self.error(t.file, row, col, "this cell is empty but a value is required")
                out.append(None)
            elif t.not_utf8 and _NOT_UTF8.search(text):
                self.error(
                    t.file,
                    row,
                    col,
                    "this cell holds characters that are not UTF-8 (the file is probably saved "
                    "as Latin-1 or Windows-1252): save it as 'CSV UTF-8'",
                )
                out.append(None)
            elif parse is None:
                out.append(text)
            else:
                try:
                    out.append(parse(text))
                except CellError as exc:
                    self.error(t.file, row, col, str(exc))
                    out.append(None)
        return out


def printable(text: str) -> str:
    """Make any text safe to print (no lone surrogates left from undecodable bytes)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _csv_message(exc: csv.Error) -> str:
    msg = str(exc)
    if "field larger than field limit" in msg:
        return f"a cell is longer than {csv.field_size_limit()} characters"
    return f"the row is not valid CSV ({msg})"

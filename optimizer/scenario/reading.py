"""Reading the files of a scenario folder as text, every problem named by file, row and column.

:class:`Reader` reads each file once (refusing what is too large, not text,
UTF-16, a spreadsheet workbook or binary), strips a UTF-8 byte order mark,
reads CRLF and LF line ends alike, and records every problem it meets rather
than stopping at the first. A file as a French Excel exports it is read as it
is: ``;`` as separator, Windows-1252 when it is not UTF-8 (the cells then
parse ``DD/MM/YYYY``, ``VRAI``/``FAUX`` and decimal commas, see :mod:`.cells`);
one warning per file says what was detected. A CSV file becomes a :class:`Table` of trimmed
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
from .cells import DECIMAL_COMMA, FRENCH_DATE, FRENCH_FALSE, FRENCH_TRUE, CellError
from .errors import Problem, ScenarioError
from .layout import FILES, column_kind
from .policy import Policy

_SEPARATOR_NAME = {",": "comma", ";": "semicolon"}
# A row holding the header's names again: a second table pasted below the first.
_REPEATED_HEADER = (
    "this row repeats the header: {} holds one table; join the rows below it to the table "
    "above, with no blank row or second header"
)
# The French forms of cells (see .cells), searched in a whole column at once.
_FRENCH_DATES = re.compile(rf"(?m)^{FRENCH_DATE.pattern.removesuffix(chr(92) + 'Z')}$")
_FRENCH_BOOLS = re.compile(rf"(?im)^(?:{'|'.join(sorted(FRENCH_TRUE | FRENCH_FALSE))})$")
_FRENCH_BOOL_WORDS = sorted(FRENCH_TRUE | FRENCH_FALSE)
_DECIMAL_COMMAS = re.compile(rf"(?m)^{DECIMAL_COMMA.pattern.removesuffix(chr(92) + 'Z')}$")


# Columns to read from a row: (column, parser or None for text as is, required).
Spec = tuple[tuple[str, Callable[[str], Any] | None, bool], ...]


@dataclass
class Table:
    """The rows of one CSV file as trimmed text, each with its spreadsheet row number."""

    file: str
    index: dict[str, int]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    whole: bool = True  # every row of the file is in ``rows`` (none left out for a problem)
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


@dataclass
class PolicyRows:
    """The policy given as rows of keys (a workbook's sheet) rather than as ``policy.toml``.

    ``raw`` is what :mod:`tomllib` would give; ``lines`` the row of each key and table.
    """

    raw: dict[str, Any] = field(default_factory=dict)
    lines: dict[tuple[str, ...], int] = field(default_factory=dict)


class Reader:
    """Collects problems and warnings while the files are read."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[Problem] = []
        self.warnings: list[str] = []
        self.digest = hashlib.sha256()
        self.per_file: dict[str, int] = defaultdict(int)
        self.lang = "en"  # policy.toml's language, once read: the problems are said in it

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
            raise ScenarioError(self.problems, self.lang)

    def policy_rows(self) -> PolicyRows | None:
        """The policy as rows of keys; ``None``: it is ``policy.toml`` in the folder."""
        return None

    def given_policy(self) -> Policy | None:
        """A policy made in code, taken as it stands; ``None``: it is read from text."""
        return None

    # -- reading files ---------------------------------------------------
    def read_bytes(self, name: str, required: bool, limit: int) -> bytes | None:
        path = self.folder / name
        try:
            if not path.exists():
                book = _workbook_beside(path)
                if book is not None:
                    self.error(
                        name,
                        None,
                        None,
                        f"the folder holds {book}, a workbook, where this CSV file is expected: "
                        "save that sheet as CSV (Excel: Save as, 'CSV UTF-8' or 'CSV "
                        "(semicolon)'), or put every table in one workbook, one sheet per file, "
                        "and give the workbook instead of the folder",
                    )
                elif required:
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

    def decode(self, name: str, data: bytes) -> tuple[str, str | None] | None:
        """The text of a file and the encoding read when it is not UTF-8; ``None`` if not text.

        A file that is not UTF-8 is read as Windows-1252, what a French Excel
        saves as plain "CSV": every byte of it but five stands for a character.
        """
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            self.error(name, None, None, "the file is saved as UTF-16; save it as 'CSV UTF-8'")
            return None
        if data.startswith(b"PK\x03\x04"):
            self.error(
                name,
                None,
                None,
                "this is a spreadsheet workbook, not CSV: save it as 'CSV UTF-8', or give "
                "the workbook itself (one sheet per file) instead of the folder",
            )
            return None
        data = data.removeprefix(codecs.BOM_UTF8)
        if b"\0" in data:
            self.error(name, None, None, "the file holds binary data (NUL bytes), not text")
            return None
        try:
            return data.decode("utf-8"), None
        except UnicodeDecodeError:
            pass
        try:
            return data.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError as exc:  # said once for the file, not once per cell
            line = data[: exc.start].count(b"\n") + 1
            self.error(
                name,
                None,
                None,
                f"the file is neither UTF-8 nor Windows-1252 text (byte 0x{data[exc.start]:02X} "
                f"on line {line}): save it as 'CSV UTF-8'",
            )
            return None

    def read_csv(self, name: str) -> Table | None:
        """Read one CSV file; ``None`` when it is absent or unusable (the reason is recorded)."""
        required, req_cols, opt_cols = FILES[name]
        data = self.read_bytes(name, required, limits.MAX_FILE_BYTES)
        if data is None:
            return None
        decoded = self.decode(name, data)
        if decoded is None:
            return None
        text, encoding = decoded
        if not text.strip():
            self.empty(name)
            return None
        _, req_cols, opt_cols = FILES[name]
        delimiter = delimiter_of(text, {*req_cols, *opt_cols})
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            header = [h.strip().lstrip("\ufeff") for h in next(reader)]  # a doubled BOM too
        except csv.Error as exc:
            self.error(name, 1, None, _csv_message(exc))
            return None
        table = self.table(name, header, reader, delimiter)
        if table is not None:
            _say_dialect(self, table, text, delimiter, encoding)
        return table

    def empty(self, name: str) -> None:
        """Record a file without even a header: a problem if it is required, else a warning."""
        required, req_cols, _ = FILES[name]
        if required:
            expected = ", ".join(req_cols)
            self.error(name, None, None, f"the file is empty: it needs a header row ({expected})")
        else:
            self.warn(f"{name} is empty; it is ignored")

    def table(
        self, name: str, header: list[str], records: Iterator[list[str]], delimiter: str = ","
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
        table = Table(name, {h: j for j, h in enumerate(header) if h})
        width = len(header)
        first, names = header[0] or None, {*header, ""}
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
                            f"(a {_SEPARATOR_NAME[delimiter]} inside a cell must be quoted)",
                        )
                        table.whole = False
                        continue
                    del rec[width:]
                cells = list(map(strip, rec))
                if not any(cells):
                    continue  # a blank line
                if cells[0] == first and set(cells) <= names:  # a second table below
                    self.error(name, row, None, _REPEATED_HEADER.format(name))
                    return None  # said once, not as a problem for each cell below
                if len(cells) < width:
                    cells.extend([""] * (width - len(cells)))
                rows.append((row, cells))
        except csv.Error as exc:
            self.error(name, row + 1, None, _csv_message(exc) + "; the rest is not read")
            table.whole = False
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
            elif parse is None:
                out.append(text)
            else:
                try:
                    out.append(parse(text))
                except CellError as exc:
                    self.error(t.file, row, col, str(exc))
                    out.append(None)
        return out


def delimiter_of(text: str, known: set[str], separators: tuple[str, ...] = (",", ";")) -> str:
    """The one of ``separators`` that splits the header into most of the ``known`` columns,
    the first of equals: ``;`` only when the header reads as more columns split on it
    than on ``,``.

    A French Excel saves "CSV" with ``;`` (the comma is its decimal mark). A
    header of one column has no separator to tell: the first (``,``) is kept.
    The importers also read tab-separated text (``separators`` with ``"\t"``).
    """
    first = next(iter(text.lstrip("\ufeff").splitlines()), "")  # "\r" ends a line too
    if not any(sep in first for sep in separators[1:]):
        return separators[0]

    def hits(sep: str) -> int:
        try:
            cells = next(csv.reader([first], delimiter=sep), [])
        except csv.Error:  # a header the reader cannot split: the read itself will say so
            return 0
        return sum(1 for c in cells if c.strip() in known)

    return max(separators, key=hits)  # max keeps the first of equals


def _say_dialect(reader: Reader, t: Table, text: str, delimiter: str, encoding: str | None) -> None:
    """One warning for the file naming what it was read as, when that is not the contract's
    plain form: a ``;`` separator, Windows-1252, ``DD/MM/YYYY`` dates, French booleans,
    decimal commas (each detected in this file alone)."""
    found = []
    if delimiter == ";":
        found.append("';' as separator")
    if encoding is not None:
        found.append(f"{encoding} encoding (not UTF-8)")

    def column(kind: str) -> str:
        """Every cell of the file's columns of that kind, a line each (searched at C speed)."""
        js = [j for col, j in t.index.items() if column_kind(col) == kind]
        return "\n".join(cells[j] for j in js for _, cells in t.rows)

    # The whole file's text first: most files have none of it, and that is quick to see.
    if "/" in text and _FRENCH_DATES.search(column("date")):
        found.append("dates as DD/MM/YYYY")
    low = text.lower()
    if any(word in low for word in _FRENCH_BOOL_WORDS) and _FRENCH_BOOLS.search(column("bool")):
        found.append("booleans as VRAI/FAUX or oui/non")
    if _DECIMAL_COMMAS.search(column("number")):
        found.append("decimal commas")
    if found:
        reader.warn(f"{t.file}: read as a French spreadsheet export: {', '.join(found)}")


def _workbook_beside(path: Path) -> str | None:
    """The name of a spreadsheet saved where the CSV file ``path`` is expected, if any."""
    for suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        for other in (path.with_suffix(suffix), path.with_suffix(suffix.upper())):
            if other.is_file():
                return other.name
    return None


def printable(text: str) -> str:
    """Make any text safe to print (no lone surrogates left from undecodable bytes)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _csv_message(exc: csv.Error) -> str:
    msg = str(exc)
    if "field larger than field limit" in msg:
        return f"a cell is longer than {csv.field_size_limit()} characters"
    return f"the row is not valid CSV ({msg})"

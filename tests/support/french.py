"""A scenario folder as a French Excel saves it: ``;``, Windows-1252, DD/MM/YYYY, VRAI/FAUX.

What a planner gets from "Enregistrer sous > CSV (séparateur : point-virgule)"
in a French Excel: CRLF line ends, no byte order mark, cells holding ``;``
quoted, dates ``DD/MM/YYYY``, booleans ``VRAI``/``FAUX`` (``oui``/``non``
where a person typed them: ``transferable``), decimals with a comma.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

from optimizer.scenario.layout import column_kind

_BOOL = {"true": "VRAI", "false": "FAUX", "yes": "VRAI", "no": "FAUX", "1": "VRAI", "0": "FAUX"}
_TYPED = {"true": "oui", "false": "non", "yes": "oui", "no": "non", "1": "oui", "0": "non"}


def french_cell(column: str, text: str) -> str:
    """One cell of the contract's CSV as the French export writes it."""
    kind = column_kind(column)
    if not text:
        return text
    if kind == "date":
        return dt.date.fromisoformat(text).strftime("%d/%m/%Y")
    if kind == "bool":
        return (_TYPED if column == "transferable" else _BOOL)[text.lower()]
    if kind == "number":
        return text.replace(".", ",")
    return text


def write_french_export(source: Path, target: Path) -> Path:
    """Write every CSV file of ``source`` in ``target`` as a French Excel exports it;
    ``policy.toml`` is copied."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.iterdir()):
        if path.suffix == ".toml":
            shutil.copy(path, target / path.name)
        if path.suffix != ".csv":
            continue
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
        header, body = rows[0], rows[1:]
        out = io.StringIO(newline="")
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        for row in body:
            writer.writerow([french_cell(c, v) for c, v in zip(header, row, strict=True)])
        (target / path.name).write_bytes(out.getvalue().encode("cp1252"))
    return target

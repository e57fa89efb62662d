"""One file written in one step: a reader (or a crash) never sees half of it.

The report, the letters, the workbook template and the exports each write a
single file; a result folder as a whole goes through ``result/output.py``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_bytes_atomically(path: Path, data: bytes) -> Path:
    """Write ``path`` through a temporary file beside it, moved in place in one step."""
    parent = path.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path

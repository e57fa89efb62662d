"""One file written in one step: a reader (or a crash) never sees half of it.

The report, the letters, the workbook template and the exports each write a
single file; a result folder as a whole goes through ``result/output.py``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def umask() -> int:
    """The process's umask, read without changing it where the system tells it (Linux).

    ``tempfile`` makes its files 0600 and its folders 0700; what is moved in place
    takes the modes a plain ``open`` or ``mkdir`` would give, so that a job run under
    ``umask 077`` (patients' appointments) writes nothing other accounts may read.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # elsewhere the only way to read it is to set it
    os.umask(mask)
    return mask


def file_mode() -> int:
    """The mode a new file gets under the process's umask (0o644 under 022)."""
    return 0o666 & ~umask()


def folder_mode() -> int:
    """The mode a new folder gets under the process's umask (0o755 under 022)."""
    return 0o777 & ~umask()


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
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path

"""What both importers share: reading a file and naming what is wrong with it."""

from __future__ import annotations

from pathlib import Path

from ..scenario import Problem, ScenarioError

# An input file this large is not an instance or a quarter of one suite.
MAX_FILE_BYTES = 50 * 1024 * 1024


def bad_input(
    file: str | Path, message: str, *, row: int | None = None, column: str | None = None
) -> ScenarioError:
    """One problem as a :class:`ScenarioError`, so the CLI exits 2 with the sentence."""
    return ScenarioError([Problem(str(file), row, column, message)])


def read_text(path: str | Path) -> str:
    """The file's text (UTF-8, a BOM tolerated), or a :class:`ScenarioError` saying why not."""
    path = Path(path)
    if not path.exists():
        raise bad_input(path, "file not found")
    if not path.is_file():
        raise bad_input(path, "this is not a file")
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise bad_input(path, f"the file is larger than {MAX_FILE_BYTES // 2**20} MB")
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise bad_input(path, f"the file is not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise bad_input(path, f"the file cannot be read: {exc.strerror}") from None

"""Clock times as planners type them: ``HH:MM``, and ``8h30`` or ``8h`` as French planners
write them, in every file and option a time is read from (one parser:
:func:`optimizer.scenario.cells.parse_time`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer import load_scenario
from optimizer.scenario.cells import CellError, parse_end_time, parse_time


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("08:30", 510), ("8:30", 510), ("8h30", 510), ("8H30", 510), ("10h", 600),
     ("0h05", 5), ("23h59", 1439), ("08:30:00", 510)],
)  # fmt: skip
def test_a_time_written_the_french_way_is_read(text: str, minutes: int) -> None:
    """``8h30`` and ``10h`` read as ``08:30`` and ``10:00`` (they were refused)."""
    assert parse_time(text) == minutes


def test_an_end_at_midnight_the_french_way() -> None:
    """``24h`` ends a day as ``24:00`` does, where an end time is read; not as a start."""
    assert parse_end_time("24h") == parse_end_time("24:00") == 1440
    with pytest.raises(CellError):
        parse_time("24h")


@pytest.mark.parametrize("text", ["25h", "8h5", "h30", "8h7x", "8h30h", "8 h 30", "8.30", "8:"])
def test_what_is_no_time_stays_refused(text: str) -> None:
    """A form that is not a clock time either way is still bad input, said as before."""
    with pytest.raises(CellError, match="is not a clock time HH:MM"):
        parse_time(text)


def test_a_session_typed_8h30_loads(small_hospital: Path, tmp_path: Path) -> None:
    """A sessions.csv opening at ``8h30`` (a planner's spreadsheet) loads, as ``08:30``."""
    import shutil

    folder = Path(shutil.copytree(small_hospital, tmp_path / "sc"))
    path = folder / "sessions.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",08:00,", ",8h30,", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert load_scenario(folder).sessions[0].start == 510

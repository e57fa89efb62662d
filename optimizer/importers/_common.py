"""What both importers share: reading a file and naming what is wrong with it."""

from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

from ..scenario import Problem, Scenario, ScenarioError, write_scenario

# An input file this large is not an instance or a quarter of one suite.
MAX_FILE_BYTES = 50 * 1024 * 1024


def bad_input(
    file: str | Path, message: str, *, row: int | None = None, column: str | None = None
) -> ScenarioError:
    """One problem as a :class:`ScenarioError`, so the CLI exits 2 with the sentence."""
    return ScenarioError([Problem(str(file), row, column, message)])


def read_text(path: str | Path, *, windows_1252: bool = False) -> str:
    """The file's text (UTF-8, a BOM tolerated), or a :class:`ScenarioError` saying why not.

    With ``windows_1252``, a file that is not UTF-8 is read as Windows-1252, what
    Excel on Windows saves as plain "CSV" (the scenario loader does the same).
    """
    path = Path(path)
    if not path.exists():
        raise bad_input(path, "file not found")
    if not path.is_file():
        raise bad_input(path, "this is not a file")
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise bad_input(path, f"the file is larger than {MAX_FILE_BYTES // 2**20} MB")
        data = path.read_bytes()
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise bad_input(path, "the file is saved as UTF-16; save it as UTF-8")
        # The mark goes before decoding: a Windows-1252 read would glue it to the
        # first column's name (the scenario reader does the same).
        data = data.removeprefix(codecs.BOM_UTF8)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            if not windows_1252:
                raise
            return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise bad_input(path, f"the file is not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise bad_input(path, f"the file cannot be read: {exc.strerror}") from None


def attack_date_of(scenario: Scenario) -> dt.date:
    """Where the demo disruption strikes: the second open date of the horizon.

    As in the generated demo (``generate --attack-day 1``), the attack hits the
    day after the first working day, so the plan has one normal day before it.
    """
    open_dates = sorted({s.date for s in scenario.sessions if s.date >= scenario.policy.start_date})
    if not open_dates:
        return scenario.policy.start_date
    return open_dates[min(1, len(open_dates) - 1)]


def with_demo_disruption(scenario: Scenario, *, seed: int) -> Scenario:
    """The imported plan hit by the demo's disruption: a third of the rooms down for two days."""
    from ..generate.disrupt import disrupt  # the demo's own disruption, not a copy

    return disrupt(scenario, attack_date=attack_date_of(scenario), seed=seed)


def write_imported(
    scenario: Scenario, out_dir: str | Path, *, disrupt: bool, seed: int
) -> Scenario:
    """Write an imported scenario (disrupted if asked) to a new or empty folder.

    An existing non-empty folder is refused rather than mixed with stale files
    (an old ``surgeons.csv`` would silently change the scenario); the folder
    appears whole or not at all.
    """
    from ..result.output import write_atomically  # the result folders' one-step write

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise bad_input(out, "this is a file, not a folder; give a new or empty folder")
    if out.is_dir() and any(out.iterdir()):
        raise bad_input(out, "this folder is not empty; give a new or empty folder")
    if disrupt:
        scenario = with_demo_disruption(scenario, seed=seed)

    def fill(tmp: Path) -> None:
        write_scenario(scenario, tmp)

    try:  # written beside, then moved in place: a failure leaves no half-written folder
        write_atomically(out, fill)
    except OSError as exc:
        file = next((p for p in out.absolute().parents if p.exists() and not p.is_dir()), None)
        why = f"{file} is a file, not a folder" if file else exc.strerror or str(exc)
        raise bad_input(out, f"the folder cannot be written: {why}") from None
    return scenario

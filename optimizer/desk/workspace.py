"""The working scenario: what the planner loaded, with the capacity edits of the morning.

It lives as a scenario folder, ``DATA/working/``, replaced whole at each edit,
so a restarted desk finds it as it was left. It is loaded through the loader
(a folder, a workbook, or files uploaded from the page), and edited only by
the API's pure edits (:mod:`optimizer.scenario.edit`,
:mod:`optimizer.scenario.capacity`): the desk adds no rule of its own.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

from ..scenario import Problem, Scenario, ScenarioError, load_scenario, write_scenario
from ..scenario.layout import FILES, POLICY_FILE

WORKING = "working"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # a hospital's whole list is a few hundred kB
WORKBOOK_SUFFIXES = (".xlsx",)
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")


class UploadTooLarge(ValueError):
    """An upload over :data:`MAX_UPLOAD_BYTES`."""


class Workspace:
    """The working scenario and where it came from; one edit at a time."""

    def __init__(self, data: Path) -> None:
        self.folder = data / WORKING
        self._lock = threading.Lock()
        self.scenario: Scenario | None = None
        self.problems: list[Problem] = []
        for stale in data.glob(f".{WORKING}.*"):
            shutil.rmtree(stale, ignore_errors=True)
        if (self.folder / "cases.csv").exists():
            try:
                self.scenario = load_scenario(self.folder)
            except ScenarioError as exc:
                self.problems = list(exc.problems)

    def load(self, source: Path) -> Scenario:
        """Load a scenario folder or workbook as the working scenario.

        Raises
        ------
        ScenarioError
            Every problem of the source, by file (or sheet), row and column; the
            working scenario is then left as it was.
        """
        try:
            scenario = load_scenario(source)
        except ScenarioError as exc:
            self.problems = list(exc.problems)
            raise
        with self._lock:
            self._save(scenario)
            self.scenario, self.problems = scenario, []
        return scenario

    def load_upload(self, files: list[tuple[str, bytes]]) -> Scenario:
        """Load files sent from the page: a scenario's CSV files and ``policy.toml``, one
        ``.zip`` of them, or one workbook. Names are checked; nothing else is kept."""
        if sum(len(b) for _, b in files) > MAX_UPLOAD_BYTES:
            raise UploadTooLarge(f"the upload is over {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
        with tempfile.TemporaryDirectory(prefix="desk-upload-") as tmp:
            source = _unpack(files, Path(tmp))
            return self.load(source)

    def edit(self, change: Callable[[Scenario], Scenario]) -> Scenario:
        """Apply a pure edit to the working scenario and keep the result.

        Raises
        ------
        ScenarioError
            The edit's own (an unknown room, a pinned case in a closed room ...),
            or no scenario is loaded.
        """
        with self._lock:
            if self.scenario is None:
                raise ScenarioError([Problem("scenario", None, None, "no scenario is loaded")])
            changed = change(self.scenario)
            self._save(changed)
            self.scenario = changed
            return changed

    def _save(self, scenario: Scenario) -> None:
        """Write the scenario beside, then swap it in: a kill leaves the old or the new one."""
        parent = self.folder.parent
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{WORKING}.new-", dir=parent))
        write_scenario(scenario, tmp)
        old = parent / f".{WORKING}.old"
        shutil.rmtree(old, ignore_errors=True)
        if self.folder.exists():
            os.rename(self.folder, old)
        os.rename(tmp, self.folder)
        shutil.rmtree(old, ignore_errors=True)


def _unpack(files: list[tuple[str, bytes]], into: Path) -> Path:
    """The folder (or workbook) to load from the uploaded files."""
    known = {*FILES, POLICY_FILE}
    names = [Path(name).name for name, _ in files]
    if len(files) == 1 and names[0].lower().endswith(WORKBOOK_SUFFIXES):
        path = into / ("scenario" + Path(names[0]).suffix.lower())
        path.write_bytes(files[0][1])
        return path
    folder = into / "scenario"
    folder.mkdir()
    if len(files) == 1 and names[0].lower().endswith(".zip"):
        files = _unzipped(files[0][1], known)
        names = [name for name, _ in files]
    problems = [
        Problem(name, None, None, f"is not a scenario file ({', '.join(sorted(known))})")
        for name in names
        if name not in known or not _SAFE_NAME.match(name)
    ]
    if problems:
        raise ScenarioError(problems)
    for name, content in files:
        (folder / name).write_bytes(content)
    return folder


def _unzipped(content: bytes, known: set[str]) -> list[tuple[str, bytes]]:
    """The scenario files of a zip (in a folder of it or at its top), size-checked."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise ScenarioError([Problem("upload", None, None, "is not a zip file")]) from None
    out: list[tuple[str, bytes]] = []
    total = 0
    for info in archive.infolist():
        name = Path(info.filename).name
        if info.is_dir() or name not in known:
            continue
        total += info.file_size
        if total > MAX_UPLOAD_BYTES:
            raise UploadTooLarge(f"the zip holds over {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
        out.append((name, archive.read(info)))
    if not out:
        raise ScenarioError([Problem("upload", None, None, "the zip holds no scenario file")])
    return out

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
from typing import Any

from .. import i18n
from ..clock import format_time
from ..i18n import Lang
from ..scenario import Problem, Scenario, ScenarioError, load_scenario, write_scenario
from ..scenario.layout import FILES, POLICY_FILE
from .errors import DeskError
from .overrides import overrides

WORKING = "working"
# the scenario's own name, beside its files (loaded, the folder would name it "working")
NAME_FILE = ".name"
MEGABYTE = 1024 * 1024
MAX_UPLOAD_BYTES = 20 * MEGABYTE  # a hospital's whole list is a few hundred kB
WORKBOOK_SUFFIXES = (".xlsx",)
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")
_UNSAFE = re.compile(r"[^\w .()-]")  # letters (accented too), digits, spaces, . ( ) - _


class UploadTooLarge(DeskError):
    """An upload (or the zip in it) over :data:`MAX_UPLOAD_BYTES`: 413."""

    def __init__(self, key: str) -> None:
        super().__init__(key, 413, mb=MAX_UPLOAD_BYTES // MEGABYTE)


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
                self.scenario = _named(load_scenario(self.folder), self.folder / NAME_FILE)
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

    def load_upload(self, files: list[tuple[str, bytes]], lang: Lang) -> Scenario:
        """Load files sent from the page: a scenario's CSV files and ``policy.toml``, one
        ``.zip`` of them, or one workbook. Names are checked (a wrong one said in ``lang``,
        the uploader's language); nothing else is kept."""
        if sum(len(b) for _, b in files) > MAX_UPLOAD_BYTES:
            raise UploadTooLarge("upload_too_large")
        with tempfile.TemporaryDirectory(prefix="desk-upload-") as tmp:
            source = _unpack(files, Path(tmp), lang)
            return self.load(source)

    def edit(self, change: Callable[[Scenario], Scenario]) -> Scenario:
        """Apply a pure edit to the working scenario and keep the result.

        Raises
        ------
        ScenarioError
            The edit's own (an unknown room, a pinned case in a closed room ...).
        DeskError
            No scenario is loaded.
        """
        with self._lock:
            if self.scenario is None:
                raise DeskError("no_scenario", 409)
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
        (tmp / NAME_FILE).write_text(scenario.name, encoding="utf-8")
        old = parent / f".{WORKING}.old"
        shutil.rmtree(old, ignore_errors=True)
        if self.folder.exists():
            os.rename(self.folder, old)
        os.rename(tmp, self.folder)
        shutil.rmtree(old, ignore_errors=True)


def _named(scenario: Scenario, name_file: Path) -> Scenario:
    """The working scenario read back, with the name it was saved under."""
    try:
        name = name_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):  # a folder from before the name was kept
        return scenario
    return scenario.model_copy(update={"name": name})


def _unpack(files: list[tuple[str, bytes]], into: Path, lang: Lang) -> Path:
    """The folder (or workbook) to load from the uploaded files."""
    known = {*FILES, POLICY_FILE}
    names = [Path(name).name for name, _ in files]
    if len(files) == 1 and names[0].lower().endswith(WORKBOOK_SUFFIXES):
        path = into / (_stem(names[0]) + Path(names[0]).suffix.lower())
        path.write_bytes(files[0][1])
        return path
    zipped = len(files) == 1 and names[0].lower().endswith(".zip")
    folder = into / (_stem(names[0]) if zipped else "scenario")
    folder.mkdir()
    if zipped:
        files = _unzipped(names[0], files[0][1], known, lang)
        names = [name for name, _ in files]
    wrong = i18n.text(lang, "desk.errors.not_scenario_file", files=", ".join(sorted(known)))
    problems = [
        Problem(name, None, None, wrong)
        for name in names
        if name not in known or not _SAFE_NAME.match(name)
    ]
    twice = sorted({name for name in names if names.count(name) > 1})
    problems += [
        Problem(name, None, None, i18n.text(lang, "desk.errors.file_twice")) for name in twice
    ]
    if problems:
        raise ScenarioError(problems, lang)
    for name, (_, content) in zip(names, files, strict=True):  # the name, never its path
        (folder / name).write_bytes(content)
    return folder


def _stem(name: str) -> str:
    """The name an uploaded workbook or zip gives its scenario (the page's title, its
    problems): the file's own, without its extension, made safe to write under."""
    stem = _UNSAFE.sub("_", Path(name).stem)[:100].strip(" .")
    return stem or "scenario"


def _unzipped(
    zip_name: str, content: bytes, known: set[str], lang: Lang
) -> list[tuple[str, bytes]]:
    """The scenario files of a zip (in a folder of it or at its top), size-checked."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise _zip_problem(zip_name, "not_zip", lang) from None
    out: list[tuple[str, bytes]] = []
    total = 0
    for info in archive.infolist():
        name = Path(info.filename).name
        if info.is_dir() or name not in known:
            continue
        total += info.file_size
        if total > MAX_UPLOAD_BYTES:
            raise UploadTooLarge("zip_too_large")
        out.append((name, archive.read(info)))
    if not out:
        raise _zip_problem(zip_name, "empty_zip", lang)
    return out


def _zip_problem(zip_name: str, key: str, lang: Lang) -> ScenarioError:
    """The one problem of an uploaded zip, named by its file, said in ``lang``."""
    return ScenarioError([Problem(zip_name, None, None, i18n.text(lang, f"desk.errors.{key}"))],
                         lang)  # fmt: skip


def working_json(s: Scenario) -> dict[str, Any]:
    """``GET /api/scenario``: the working scenario as the contract lists it."""
    return {
        "name": s.name,
        "start_date": s.policy.start_date.isoformat(),
        "end_date": s.policy.end_date.isoformat(),
        "target_ratio": s.policy.target_ratio,
        "rooms": [{"room_id": r.room_id, "specialties": list(r.specialties)} for r in s.rooms],
        "sessions": [
            {
                "date": x.date.isoformat(),
                "room_id": x.room_id,
                "start": format_time(x.start),
                "end": format_time(x.end),
                "specialty": x.specialty,
            }
            for x in s.sessions
        ],  # fmt: skip
        "cases": len(s.cases),
        "fixed": overrides(s),
        "warnings": list(s.warnings),
    }

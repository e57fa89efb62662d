"""The files a command writes take the modes the user's umask allows, as any Unix tool's.

A hospital's IT team runs the nightly job with ``umask 077`` so that the revised
schedule, the letters and the exports (patients' appointments) are readable by the
job's account only. Every one-step write once forced ``0o644`` / ``0o755`` whatever the
umask: the HL7 and FHIR exports, the report, the letters, a template, a result folder
and a ``capacity`` scenario came out readable by every account on the machine.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from optimizer.cli import cli


@pytest.fixture
def private_umask() -> Iterator[None]:
    """The process's umask set to 077 for the test, then put back."""
    before = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(before)


def _run(*args: str) -> None:
    done = CliRunner().invoke(cli, list(args))
    assert done.exit_code == 0, done.output


def _open_to_others(root: Path) -> list[str]:
    """Every path under ``root`` (``root`` included) that group or others may read."""
    paths = [root, *root.rglob("*")]
    return [f"{p} {p.stat().st_mode & 0o777:o}" for p in paths if p.stat().st_mode & 0o077]


def test_umask_077_keeps_every_written_file_private(
    small_hospital: Path, small_result: Path, tmp_path: Path, private_umask: None
) -> None:
    """Under umask 077, nothing a command writes is readable by another account."""
    out = tmp_path / "night"
    out.mkdir()
    result = out / "result"
    _run("solve", str(small_hospital), "--out", str(result), "--work-limit", "0.3",
         "--workers", "1", "--report", "--quiet")  # fmt: skip
    _run("letters", str(result))
    _run("report", str(result))
    for fmt, name in (("fhir", "bundle.json"), ("hl7", "siu.hl7"), ("ics", "calendars")):
        _run("export", str(result), "--format", fmt, "--out", str(out / name))
    _run("template", str(out / "template.xlsx"))
    _run("capacity", str(small_hospital), "--out", str(out / "closed"), "--close", "OR01")
    os.chmod(out, 0o700)  # made by the test itself
    assert _open_to_others(out) == []


def test_umask_022_gives_the_usual_modes(
    small_result: Path, small_hospital: Path, tmp_path: Path
) -> None:
    """Under the common umask 022 the modes are as before: files 644, folders 755."""
    before = os.umask(0o022)
    try:
        bundle = tmp_path / "bundle.json"
        _run("export", str(small_result), "--format", "fhir", "--out", str(bundle))
        closed = tmp_path / "closed"
        _run("capacity", str(small_hospital), "--out", str(closed), "--close", "OR01")
    finally:
        os.umask(before)
    assert bundle.stat().st_mode & 0o777 == 0o644
    assert closed.stat().st_mode & 0o777 == 0o755
    assert (closed / "cases.csv").stat().st_mode & 0o777 == 0o644

"""The `solve` command never loses a case, never writes half a result, and never hurts
the people who open its files.

Where it matters (signals, kills) the command runs as a real process; the rest goes
through click's runner in-process, which is faster.

(This file absorbed ``test_safe_output.py``. Three of its tests asserted what a test
here asserts more strongly and were folded in: the killed run on the demo into
``test_a_kill_at_any_moment_...``, the self-check's internal error into
``test_a_broken_rule_found_by_the_self_check_...``, the formula-proof ids into
``test_risky_ids_are_neutralised_...``; its "nasty scenario" was the same idea as the
one here and both are now :mod:`tests.support.nasty`.)
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

import optimizer
from optimizer.check import Violation, check_result_folder, read_schedule_csv
from optimizer.cli import cli
from optimizer.generate import generate, write_generated
from optimizer.result.output import (
    OutputFolderError,
    check_out_dir,
    escape_cell,
    unescape_cell,
    write_atomically,
)
from optimizer.scenario import Scenario, load_scenario, write_scenario
from optimizer.scenario.schema import (
    Case,
    Policy,
    Room,
    Session,
)
from tests.support.nasty import CASE_IDS, DAY, FORMULA, PARTNER_ID, ROOM_IDS, SURGEON_IDS
from tests.support.paths import CORPUS

STOP_WITHIN_S = 10  # after the signal; generous for a loaded CI machine
SEARCH_STARTED = "Starting CP-SAT"  # the first line of CP-SAT's log (--log)


# -- helpers -----------------------------------------------------------------


def solve_args(scenario: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "optimizer", "solve", str(scenario), "--out", str(out), *extra]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a folder (and its sub-folders) by path, to tell an untouched folder
    from a changed one."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def old_result(out: Path) -> dict[str, bytes]:
    """A previous result in ``out`` (recognisable content), as a snapshot."""
    out.mkdir(parents=True)
    (out / "schedule.csv").write_text("case_id,status\nold,kept\n", encoding="utf-8")
    (out / "summary.json").write_text('{"old": true}\n', encoding="utf-8")
    return snapshot(out)


def temp_siblings(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.glob(f".{out.name}.*"))


def assert_complete(scenario_dir: Path, out: Path) -> dict:
    """``out`` is a whole result: its files only, every case once, the rules kept."""
    assert sorted(p.name for p in out.iterdir()) == [
        "calls.csv",
        "calls.xlsx",
        "scenario",
        "schedule.csv",
        "summary.json",
    ]
    scenario = load_scenario(scenario_dir)
    assert load_scenario(out / "scenario").cases == scenario.cases
    ids = Counter(read_schedule_csv(out / "schedule.csv")["case_id"])
    assert ids == Counter(c.case_id for c in scenario.cases)
    assert check_result_folder(scenario, out) == []
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


class LoggedRun:
    """A ``solve --log`` process whose stderr is read as it comes, to see the search start."""

    def __init__(self, args: list[str], stdout: Path) -> None:
        self.started = threading.Event()
        self.stderr: list[str] = []
        self._stdout = stdout.open("w", encoding="utf-8")
        self.proc = subprocess.Popen(
            args, stdout=self._stdout, stderr=subprocess.PIPE, text=True, errors="replace"
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr.append(line)
            if SEARCH_STARTED in line:
                self.started.set()

    def wait(self, timeout: float) -> int:
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self._reader.join(timeout=5)
            self._stdout.close()


@pytest.fixture(scope="module")
def hospital(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated hospital (11 rooms, 10 days, ~320 cases): its search runs for a while."""
    folder = tmp_path_factory.mktemp("hospital") / "scenario"
    write_generated(generate(rooms=11, days=10, cases_per_day=30, seed=3), folder)
    return folder


# -- 1. interruptions -----------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_during_the_search_writes_the_best_schedule_at_once(hospital, tmp_path, sig):
    """Ctrl-C or SIGTERM once CP-SAT searches: exit 0 within seconds, every case exactly
    once, a valid schedule, and the summary says it was interrupted."""
    out = tmp_path / "out"
    run = LoggedRun(solve_args(hospital, out, "--time-limit", "60", "--log"), tmp_path / "o")
    assert run.started.wait(timeout=60), "".join(run.stderr[-20:])
    time.sleep(1.0)  # well inside the search, not at its first instant
    assert run.proc.poll() is None, "the search ended before the signal"
    sent = time.monotonic()
    run.proc.send_signal(sig)
    status = run.wait(timeout=60)
    stopped_after = time.monotonic() - sent
    assert status == 0, "".join(run.stderr[-20:])
    assert stopped_after < STOP_WITHIN_S, f"took {stopped_after:.1f} s to stop"
    summary = assert_complete(hospital, out)
    assert summary["interrupted"] is True
    assert "interrupted" in (tmp_path / "o").read_text(encoding="utf-8")


def test_signal_before_the_search_leaves_nothing_or_a_whole_result(small_hospital, tmp_path):
    """A SIGTERM while Python is still starting up: no result, or a whole one; never part."""
    out = tmp_path / "out"
    proc = subprocess.Popen(
        solve_args(small_hospital, out, "--time-limit", "5"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    status = proc.wait(timeout=60)
    if status == 0:
        assert_complete(small_hospital, out)
    else:
        assert not out.exists()
        assert temp_siblings(out) == []


# -- 2. kills -------------------------------------------------------------------


def test_a_kill_at_any_moment_leaves_the_old_result_or_a_whole_new_one(hospital, tmp_path):
    """SIGKILL while loading, searching and finishing: the result folder is the old one,
    byte for byte, or a complete new one; never a mix, never a stray file in it."""
    args = ("--time-limit", "1")
    clock = time.monotonic()
    subprocess.run(solve_args(hospital, tmp_path / "probe", *args), check=True, capture_output=True)
    whole_run = time.monotonic() - clock  # kills are timed as fractions of it: any machine
    out = tmp_path / "out"
    before = old_result(out)
    outcomes = []
    for fraction in (0.2, 0.6, 0.9, 0.97):
        proc = subprocess.Popen(
            solve_args(hospital, out, *args), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(fraction * whole_run)
        proc.kill()
        proc.wait(timeout=30)
        if snapshot(out) == before:
            outcomes.append("old")
        else:
            assert_complete(hospital, out)
            outcomes.append("new")
            before = snapshot(out)  # the next kill must leave this one or a newer one
        for name in temp_siblings(out):
            assert name.startswith((".out.new-", ".out.old-")), name
    assert outcomes[0] == "old", outcomes  # killed while still loading


WRITER = textwrap.dedent(
    """
    import sys, time
    import optimizer.result.output as output

    real = output.write_safe_csv

    def write_then_hang(path, header, rows):
        real(path, header, rows)
        print("HALF WRITTEN", flush=True)  # schedule.csv on disk, summary.json not yet
        time.sleep(120)

    output.write_safe_csv = write_then_hang
    from optimizer.cli import main

    sys.argv = ["optimizer", *sys.argv[1:]]
    main()
    """
)


def test_a_kill_while_writing_leaves_the_old_result_and_the_next_run_cleans_up(
    small_hospital, tmp_path
):
    """SIGKILL with half the new result on disk: the old result is intact; the half-written
    temporary folder beside it is removed by the next successful run, which writes a
    whole result."""
    out = tmp_path / "out"
    before = old_result(out)
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, "solve", str(small_hospital), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "HALF WRITTEN"
    proc.kill()
    proc.wait(timeout=30)
    proc.stdout.close()
    assert snapshot(out) == before
    [left] = temp_siblings(out)
    assert left.startswith(".out.new-")
    assert sorted(p.name for p in (tmp_path / left).iterdir()) == ["schedule.csv"]

    again = subprocess.run(
        solve_args(small_hospital, out, "--time-limit", "5"), capture_output=True
    )
    assert again.returncode == 0, again.stderr
    assert_complete(small_hospital, out)
    assert temp_siblings(out) == []


def test_stale_folders_older_than_the_run_are_removed_a_live_one_is_kept(tmp_path):
    """Cleaning removes what killed runs left (older than this run), not another run's
    folder being written right now."""
    out = tmp_path / "out"
    killed_new = tmp_path / ".out.new-killed"
    killed_old = tmp_path / ".out.old-killed"
    for folder in (killed_new, killed_old):
        folder.mkdir()
        (folder / "schedule.csv").write_text("half", encoding="utf-8")
    started = time.time() + 1  # both were last touched before this run started
    live = tmp_path / ".out.new-live"
    live.mkdir()
    later = started + 5
    os.utime(live, (later, later))
    unrelated = tmp_path / ".other.new-x"
    unrelated.mkdir()
    write_atomically(out, lambda d: (d / "schedule.csv").write_text("new"), started=started)
    assert temp_siblings(out) == [".out.new-live"]
    assert unrelated.exists()
    assert (out / "schedule.csv").read_text() == "new"


def test_stale_temporary_folders_are_cleaned(tmp_path):
    """Temporary folders a killed run left beside the result go at the next successful write."""
    from optimizer.result.output import STALE_AFTER_S

    stale = tmp_path / ".out.new-abc"
    stale.mkdir()
    (stale / "schedule.csv").write_text("half", encoding="utf-8")
    old = time.time() - STALE_AFTER_S - 60
    os.utime(stale, (old, old))
    fresh = tmp_path / ".out.new-live"  # another run writing right now: left alone
    fresh.mkdir()
    write_atomically(tmp_path / "out", lambda d: (d / "x.txt").write_text("ok"))
    assert not stale.exists() and fresh.exists()
    assert (tmp_path / "out" / "x.txt").read_text() == "ok"


def test_without_an_atomic_swap_the_old_result_is_put_back_when_the_move_fails(
    tmp_path, monkeypatch
):
    """Where the filesystem cannot swap two folders in one step, the old result is moved
    aside then the new one in; if that second move fails, the old result is restored."""
    output = importlib.import_module("optimizer.result.output")
    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    out = tmp_path / "out"
    write_atomically(out, lambda d: (d / "schedule.csv").write_text("first"))
    write_atomically(out, lambda d: (d / "schedule.csv").write_text("second"))
    assert (out / "schedule.csv").read_text() == "second"
    assert temp_siblings(out) == []

    real_rename = os.rename

    def rename(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if Path(src).name.startswith(".out.new-"):
            raise OSError(28, "No space left on device")
        real_rename(src, dst)

    monkeypatch.setattr(output.os, "rename", rename)
    with pytest.raises(OSError):
        write_atomically(out, lambda d: (d / "schedule.csv").write_text("third"))
    monkeypatch.setattr(output.os, "rename", real_rename)
    assert (out / "schedule.csv").read_text() == "second"
    assert temp_siblings(out) == []


# -- 3. bad input, internal errors, refused folders: nothing written -------------


def expected_locations(folder: Path) -> list[str]:
    lines = (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]


def test_bad_input_exits_2_names_the_cell_and_touches_nothing(tmp_path):
    """A broken scenario, as a real process: exit 2, every problem located by file, row
    and column, and the result folder not created."""
    folder = CORPUS / "bad_dates_and_times"
    out = tmp_path / "out"
    run = subprocess.run(solve_args(folder, out), capture_output=True, text=True)
    assert run.returncode == 2
    for location in expected_locations(folder):
        assert location in run.stderr
    assert "Nothing was written." in run.stderr
    assert "Traceback" not in run.stderr
    assert not out.exists() and temp_siblings(out) == []


def test_bad_input_writes_nothing(nasty_folder, tmp_path):
    """A broken scenario: exit 2, the problem located, and no result folder created."""
    (nasty_folder / "cases.csv").write_text(
        "case_id,specialty,surgeon_id,duration_min,urgency\nc1,gen,S1,-5,P3\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["solve", str(nasty_folder), "--out", str(out)])
    assert result.exit_code == 2
    assert "cases.csv, row 2, column duration_min" in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    "corpus", ["dangling_references", "duplicate_ids", "missing_columns", "pinned_cases_collide"]
)
def test_bad_input_leaves_a_previous_result_untouched(tmp_path, corpus):
    """With an old result in --out, bad input leaves it byte for byte, times included."""
    out = tmp_path / "out"
    before = old_result(out)
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    result = CliRunner().invoke(cli, ["solve", str(CORPUS / corpus), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert expected_locations(CORPUS / corpus)[0] in result.output
    assert snapshot(out) == before
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == stamps
    assert temp_siblings(out) == []


def test_a_broken_rule_found_by_the_self_check_exits_1_and_writes_nothing(
    small_hospital, tmp_path, monkeypatch
):
    """If the self-check finds a broken rule (a bug), exit 1: no result folder appears and
    a previous one stays as it was."""
    monkeypatch.setattr(
        "optimizer.check.check_schedule",
        lambda *a, **k: [Violation("3", "c1", "surgeon overlap")],
    )
    fresh, kept = tmp_path / "fresh", tmp_path / "kept"
    before = old_result(kept)
    for out in (fresh, kept):
        result = CliRunner().invoke(cli, ["solve", str(small_hospital), "--out", str(out)])
        assert result.exit_code == 1
        assert "internal error" in result.output
    assert not fresh.exists()
    assert snapshot(kept) == before
    assert temp_siblings(fresh) == temp_siblings(kept) == []


def test_a_crash_in_the_solver_exits_1_without_traceback_and_writes_nothing(
    small_hospital, tmp_path, monkeypatch, capsys
):
    """An unexpected exception inside the search: the entry point says "internal error",
    exits 1, shows no traceback and writes nothing."""
    from optimizer.cli import main

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("index out of range")

    monkeypatch.setattr(importlib.import_module("optimizer.search.pipeline"), "search", crash)
    out = tmp_path / "out"
    monkeypatch.setattr(sys, "argv", ["optimizer", "solve", str(small_hospital), "--out", str(out)])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "internal error" in err and "Traceback" not in err
    assert not out.exists() and temp_siblings(out) == []


def test_a_full_disk_while_writing_exits_1_and_keeps_the_old_result(
    small_hospital, tmp_path, monkeypatch
):
    """Writing fails half way (disk full): exit 1 with a plain message, the old result
    intact, no temporary folder left."""
    output = importlib.import_module("optimizer.result.output")

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.json, "dump", full)
    out = tmp_path / "out"
    before = old_result(out)
    result = CliRunner().invoke(cli, ["solve", str(small_hospital), "--out", str(out)])
    assert result.exit_code == 1
    assert "No space left on device" in result.output
    assert "nothing was written" in result.output
    assert snapshot(out) == before
    assert temp_siblings(out) == []


def test_a_folder_that_is_not_a_result_is_never_replaced(small_hospital, tmp_path):
    """--out naming the scenario itself, a folder of documents, a file or the current
    folder is refused (exit 2) before any search, and left exactly as it was."""
    docs = tmp_path / "documents"
    docs.mkdir()
    (docs / "thesis.docx").write_bytes(b"years of work")
    afile = tmp_path / "notes.txt"
    afile.write_text("keep me", encoding="utf-8")
    scenario_before = snapshot(small_hospital)
    runner = CliRunner()
    for target in (small_hospital, docs, afile):
        before = snapshot(target) if target.is_dir() else target.read_bytes()
        result = runner.invoke(cli, ["solve", str(small_hospital), "--out", str(target)])
        assert result.exit_code == 2, result.output
        assert "--out" in result.output
        assert (snapshot(target) if target.is_dir() else target.read_bytes()) == before
    assert snapshot(small_hospital) == scenario_before
    with runner.isolated_filesystem(temp_dir=tmp_path):
        Path("schedule.csv").write_text("old", encoding="utf-8")  # even a result: we stand in it
        result = runner.invoke(cli, ["solve", str(small_hospital), "--out", "."])
        assert result.exit_code == 2, result.output
    with pytest.raises(OutputFolderError):
        check_out_dir(docs)
    check_out_dir(tmp_path / "new")  # a new folder, an empty one, a previous result: fine
    (tmp_path / "empty").mkdir()
    check_out_dir(tmp_path / "empty")


# -- 4. safe exports ----------------------------------------------------------


def test_escape_round_trips():
    """One more leading quote on risky cells; reading strips exactly one."""
    risky = CASE_IDS + ROOM_IDS + SURGEON_IDS
    for text in risky + ["plain", "", "''twice", "\tTAB", "\rCR"]:
        assert unescape_cell(escape_cell(text)) == text
        assert not escape_cell(text).startswith(FORMULA)


def assert_no_formula_cell(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    for row in csv.reader(io.StringIO(raw, newline="")):
        for cell in row:
            assert not cell.startswith(FORMULA), repr(cell)


def test_risky_ids_are_neutralised_and_read_back_exactly(nasty_folder, tmp_path):
    """Ids starting with = + - @ ' or holding commas, quotes, tabs and line breaks: solved
    from files by the command, no cell of schedule.csv runs as a formula, the reader gets
    every id back exactly once, and summary.json is valid JSON carrying the exact ids."""
    folder = nasty_folder
    assert sorted(c.case_id for c in load_scenario(folder).cases) == sorted(CASE_IDS)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["solve", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert_no_formula_cell(out / "schedule.csv")
    schedule = read_schedule_csv(out / "schedule.csv")
    assert Counter(schedule["case_id"]) == Counter(CASE_IDS)
    assert set(schedule["room_id"]) - {""} <= set(ROOM_IDS)
    assert set(schedule["partner_id"]) <= {"", PARTNER_ID}
    assert check_result_folder(load_scenario(folder), out) == []
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["totals"]["planned"] == len(CASE_IDS)
    assert len(summary["deadline_misses"]) == 1
    assert set(summary["deadline_misses"]) <= set(CASE_IDS[:2])


def test_ids_the_files_cannot_hold_still_round_trip_through_the_api(nasty_scenario, tmp_path):
    """Through the Python API an id may start with a tab or a carriage return (the loader
    trims those from files): still neutralised, still read back exactly."""
    renamed = {"lf\nonly": "\tTAB", "mid\ttab": "\rCR"}
    base = nasty_scenario
    scenario = base.model_copy(
        update={
            "cases": tuple(
                c.model_copy(update={"case_id": renamed.get(c.case_id, c.case_id)})
                for c in base.cases
            )
        }
    )
    result = optimizer.solve(scenario, workers=1, time_limit=10)
    out = optimizer.write_result(result, tmp_path / "out")
    assert_no_formula_cell(out / "schedule.csv")
    ids = [renamed.get(c, c) for c in CASE_IDS]
    assert Counter(read_schedule_csv(out / "schedule.csv")["case_id"]) == Counter(ids)
    json.loads((out / "summary.json").read_text(encoding="utf-8"))


def test_the_scenario_travels_with_its_result(nasty_folder, tmp_path):
    """``RESULT/scenario/`` is what was solved, with the effective target: the folder
    alone can be checked, reported on and re-planned."""
    folder = nasty_folder
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["solve", str(folder), "--out", str(out), "--time-limit", "5", "--target", "0.75"]
    )
    assert result.exit_code == 0, result.output
    copy = load_scenario(out / "scenario")
    original = load_scenario(folder)
    assert copy.cases == original.cases
    assert copy.sessions == original.sessions
    assert copy.policy.target_ratio == 0.75
    assert check_result_folder(copy, out) == []


# -- 5. limits and privacy ------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--seed", str(2**31)),
        ("--seed", "-1"),
        ("--time-limit", "nan"),
        ("--time-limit", "inf"),
        ("--work-limit", "nan"),
        ("--target", "nan"),
    ],
)
def test_out_of_range_options_are_refused_with_a_clear_message(
    small_hospital, tmp_path, option, value
):
    """A seed beyond CP-SAT's 32-bit range, a NaN or infinite limit or target: exit 2, the
    option named, nothing written."""
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["solve", str(small_hospital), "--out", str(out), option, value]
    )
    assert result.exit_code == 2
    assert f"Invalid value for '{option}'" in result.output
    assert not out.exists()


def test_the_seed_limit_holds_for_the_real_command(small_hospital, tmp_path):
    """`python -m optimizer solve --seed 2^31` exits 2 and says the allowed range."""
    run = subprocess.run(
        solve_args(small_hospital, tmp_path / "out", "--seed", str(2**31)),
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2
    assert "2147483647" in run.stderr and "--seed" in run.stderr
    assert "Traceback" not in run.stderr


# Patient data other than the case id, made recognisable.
SPECIALTY, SURGEON, EQUIPMENT = "zzspecialtyzz", "zzsurgeonzz", "zzlaserzz"


def privacy_scenario() -> Scenario:
    """Eight cases for one room-day that holds four: postponements, and a deadline miss."""
    cases = tuple(
        Case(
            case_id=f"C{k}",
            specialty=SPECIALTY,
            surgeon_id=f"{SURGEON}{k % 2}",
            duration_min=120,
            urgency="EMERGENCY" if k < 2 else "P3",
            planned_date=DAY,
            planned_room="OR1",
            planned_start=480 + 150 * (k % 4),
            equipment=(EQUIPMENT,),
            flags=("latex_allergy",) if k % 4 == 0 else (),
        )
        for k in range(8)
    )
    return Scenario(
        cases=cases,
        rooms=(Room(room_id="OR1", equipment=(EQUIPMENT,)),),
        sessions=(Session(date=DAY, room_id="OR1", start=480, end=1080),),
        policy=Policy(start_date=DAY, end_date=DAY + dt.timedelta(days=1)),
    )


def test_a_bad_cell_is_quoted_alone_not_the_rest_of_the_patients_row(tmp_path):
    """The message for a bad duration quotes that cell (and locates it) but none of the
    row's other patient fields: specialty, surgeon, equipment, flags."""
    copy = write_scenario(privacy_scenario(), tmp_path / "scenario")
    (copy / "cases.csv").write_text(
        "case_id,specialty,surgeon_id,duration_min,urgency,equipment,flags\n"
        f"C77,{SPECIALTY},{SURGEON},90x,P3,{EQUIPMENT},latex_allergy\n",
        encoding="utf-8",
    )
    run = subprocess.run(solve_args(copy, tmp_path / "out"), capture_output=True, text=True)
    assert run.returncode == 2
    assert "cases.csv, row 2, column duration_min" in run.stderr
    assert "'90x'" in run.stderr
    for secret in (SPECIALTY, SURGEON, EQUIPMENT, "latex"):
        assert secret not in run.stdout + run.stderr
    assert not (tmp_path / "out").exists()


def test_the_solve_log_names_cases_by_id_only(tmp_path):
    """With --log (CP-SAT's search log too), what the command prints holds case ids at
    most: no specialty, surgeon, equipment or clinical flag."""
    scenario = privacy_scenario()
    folder = write_scenario(scenario, tmp_path / "scenario")
    run = subprocess.run(
        solve_args(folder, tmp_path / "out", "--log", "--time-limit", "10"),
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    printed = run.stdout + run.stderr
    assert SEARCH_STARTED in printed  # the search log was shown
    for secret in (SPECIALTY, SURGEON, EQUIPMENT, "latex"):
        assert secret not in printed

"""Ctrl-C or SIGTERM during a solve: the search stops and the best schedule so far is written."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest

from optimizer.check import check_result_folder
from optimizer.scenario import load_scenario


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signal_stops_the_search_and_writes_the_best_schedule(tmp_path, sig, demo_folder):
    """Signalled mid-search, `solve` exits 0 within seconds, with a complete, valid result
    marked as interrupted."""
    out = tmp_path / "result"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "optimizer",
            "solve",
            str(demo_folder),
            "--out",
            str(out),
            "--time-limit",
            "120",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(5)  # loading, the constructive schedule and the first levels
    assert proc.poll() is None, proc.communicate()
    sent = time.monotonic()
    proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=60)
    stopped_after = time.monotonic() - sent
    assert proc.returncode == 0, stderr
    assert stopped_after < 10, f"took {stopped_after:.1f} s to stop"
    summary = json.loads((out / "summary.json").read_text())
    assert summary["interrupted"] is True
    assert "interrupted" in stdout
    assert check_result_folder(load_scenario(demo_folder), out) == []

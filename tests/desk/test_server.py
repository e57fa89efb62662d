"""The real server: the printed link, a solve killed with the server, the restart."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tests.support.paths import DEMO, REPO


def _start(scenario: Path, data: Path) -> tuple[subprocess.Popen[str], str, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "optimizer", "desk", str(scenario), "--data", str(data),
         "--port", "0", "--no-browser", "--workers", "1"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    assert line.startswith("desk: http://127.0.0.1:"), line
    url = line.removeprefix("desk: ")
    base, token = url.split("/?token=")
    return proc, base, token


def _call(base: str, token: str, path: str, body: dict[str, Any] | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method="GET" if body is None
                                     else "POST")  # fmt: skip
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def test_a_solve_killed_with_the_server_leaves_no_half_written_run(tmp_path: Path) -> None:
    """SIGKILL during a solve: nothing under runs/ but the finished runs; the next start
    lists the killed run as failed and every finished one as done; no log holds the token.
    (The demo: its solve runs for minutes without a work limit.)"""
    data = tmp_path / "data"
    proc, base, token = _start(DEMO, data)
    try:
        try:
            _call(base, "wrong", "/api/runs")
            raise AssertionError("a wrong token was let in")
        except urllib.error.HTTPError as exc:
            assert exc.code == 401
        done = _call(base, token, "/api/solve", {"work_limit": 0.2})["run_id"]
        for _ in range(600):
            if _call(base, token, f"/api/runs/{done}")["state"] == "done":
                break
            time.sleep(0.2)
        killed = _call(base, token, "/api/solve", {"time_limit": 600})["run_id"]
        for _ in range(300):
            if _call(base, token, f"/api/runs/{killed}")["state"] == "running":
                break
            time.sleep(0.1)
        time.sleep(1.0)
    finally:
        proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate(timeout=30)
    assert token not in err
    assert sorted(p.name for p in (data / "runs").iterdir() if not p.name.startswith(".")) == [done]
    proc, base, token = _start(DEMO, data)
    try:
        states = {r["run_id"]: r["state"] for r in _call(base, token, "/api/runs")}
        assert states == {done: "done", killed: "failed"}
        assert not any(p.name.startswith(".") for p in (data / "runs").iterdir())
        summary = _call(base, token, f"/api/runs/{done}/files/summary.json")
        assert summary["totals"]["planned"] >= 0
    finally:
        proc.terminate()
        proc.communicate(timeout=60)

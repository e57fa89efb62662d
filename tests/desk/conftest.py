"""A desk over a temporary data folder, and a client that talks to it without a socket."""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from optimizer.desk import Desk, Gate, make_app

with warnings.catch_warnings():  # starlette's TestClient prefers httpx2; httpx serves
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

__all__ = ["FAST", "TestClient", "bearer", "wait"]  # the tests import them from here

FAST = {"work_limit": 0.2, "workers": 1, "seed": 0}


@pytest.fixture
def desk(tmp_path: Path, small_hospital: Path) -> Iterator[Desk]:
    """A desk over the small hospital, every solve work-limited on one worker."""
    opened = Desk.open(tmp_path / "data", Gate(), small_hospital, dict(FAST))
    yield opened
    opened.close()


@pytest.fixture
def client(desk: Desk) -> TestClient:
    return TestClient(make_app(desk), base_url="http://127.0.0.1:8765")


def bearer(desk: Desk, who: str = "AB") -> dict[str, str]:
    return {"Authorization": f"Bearer {desk.gate.token}", "X-Desk-Planner": who}


def wait(client: TestClient, desk: Desk, run_id: str, timeout: float = 120) -> dict[str, Any]:
    """Poll ``GET /api/runs/<id>`` until the run is done or failed."""
    ends = time.monotonic() + timeout
    while time.monotonic() < ends:
        state: dict[str, Any] = client.get(f"/api/runs/{run_id}", headers=bearer(desk)).json()
        if state["state"] in ("done", "failed"):
            return state
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} still {state['state']} after {timeout} s")

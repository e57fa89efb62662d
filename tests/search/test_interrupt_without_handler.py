"""Ctrl-C where no command installed a stop handler (a serial sweep's variant): the search
in CP-SAT's thread ends before the interruption leaves the solve.

Regression: ``sweep --workers 0`` interrupted with Ctrl-C wrote its table, then died of
SIGABRT ("terminate called without an active exception", exit -6): the KeyboardInterrupt
left :func:`solve_interruptibly` while the CP-SAT thread still searched, and the
interpreter exited under it.
"""

from __future__ import annotations

import _thread
import threading
import time

import pytest
from ortools.sat.python import cp_model

from optimizer.search.stop import solve_interruptibly


def _long_model() -> cp_model.CpModel:
    """A pigeonhole model (13 pigeons, 12 holes): CP-SAT searches it for far longer than
    the test waits."""
    model = cp_model.CpModel()
    x = [[model.new_bool_var(f"x{p}_{h}") for h in range(12)] for p in range(13)]
    for row in x:
        model.add_bool_or(row)
    for h in range(12):
        model.add_at_most_one(row[h] for row in x)
    return model


def test_ctrl_c_without_a_handler_stops_the_search_before_it_leaves():
    """A KeyboardInterrupt raised in the main thread while CP-SAT searches leaves the solve
    only once CP-SAT's thread has ended."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 60.0
    solver.parameters.symmetry_level = 0  # no shortcut through the pigeonhole's symmetry
    ended = threading.Event()  # the thread's own is_alive() lies once join() is interrupted
    search = solver.solve

    def solve(model: cp_model.CpModel, callback: object) -> object:
        try:
            return search(model, callback)
        finally:
            ended.set()

    solver.solve = solve  # type: ignore[method-assign]
    timer = threading.Timer(0.5, _thread.interrupt_main)
    timer.start()
    started = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            solve_interruptibly(solver, _long_model(), None)
        assert ended.is_set(), "CP-SAT still searching after the interruption left the solve"
        assert time.monotonic() - started < 10
    finally:
        timer.cancel()
        solver.stop_search()  # before the fix: end the thread left running


def test_outside_the_main_thread_the_search_starts_no_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On a Dask worker the task's thread is not the main one: no signal handler runs there,
    and a thread started per search raced with the worker's profiler into a CPython 3.11
    deadlock (a cluster test hung in ``Client.gather``). There the search runs in the
    calling thread."""
    from concurrent.futures import ThreadPoolExecutor

    model = cp_model.CpModel()
    x = model.new_int_var(0, 3, "x")
    model.maximize(x)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    with ThreadPoolExecutor(1) as pool:  # the pool's thread exists before the patch

        def started(*args: object, **kwargs: object) -> None:
            raise AssertionError("a thread was started for the search")

        pool.submit(lambda: None).result()
        monkeypatch.setattr(threading, "Thread", started)
        status = pool.submit(solve_interruptibly, solver, model, None).result()
    assert status == cp_model.OPTIMAL and solver.value(x) == 3

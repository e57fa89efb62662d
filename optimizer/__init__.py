"""Surgical schedule rescheduling optimizer for hospitals in degraded mode.

The Python API for notebooks::

    import optimizer
    scenario = optimizer.load_scenario("data/cannes_demo")
    result = optimizer.solve(scenario, time_limit=30)
    result.schedule   # one row per case (DataFrame)
    result.kpis       # kept ratio per date vs target (DataFrame)
    result.summary    # what summary.json holds
    optimizer.write_result(result, "out/")
"""

from .output import ScheduleRefused, write_result
from .params import SolverParams
from .result import LevelReport, Result
from .scenario import Scenario, ScenarioError, load_scenario, write_scenario
from .search import SolveArgumentError, StopFlag, solve

__all__ = [
    "LevelReport",
    "Result",
    "Scenario",
    "ScenarioError",
    "ScheduleRefused",
    "SolveArgumentError",
    "SolverParams",
    "StopFlag",
    "load_scenario",
    "solve",
    "write_result",
    "write_scenario",
]
__version__ = "0.1.0"

"""Surgical schedule rescheduling optimizer for hospitals in degraded mode.

The Python API for notebooks::

    import optimizer
    scenario = optimizer.load_scenario("data/cannes_demo")
    scenario = optimizer.close_room(scenario, "OR03", "2024-04-17")   # a new scenario
    result = optimizer.solve(scenario, time_limit=30)
    result.status          # a SolveStatus: OPTIMAL, FEASIBLE, UNKNOWN, INTERRUPTED
    result.schedule        # one row per case (DataFrame); result.plan adds the case list
    result.rows            # the same rows typed: frozen ScheduleRow objects
    result.kpis            # kept ratio per date vs target (DataFrame)
    result.kpis_by(["specialty", "urgency"])   # cases per status, mean delay, per group
    result.calls, result.causes                # patients to call; why cases are not kept
    result.summary         # what summary.json holds (result.typed_summary: typed)
    optimizer.compare(before, result)          # case by case, per date, in totals
    optimizer.write_result(result, "out/")

A scenario also comes from DataFrames and goes back to them:
``optimizer.scenario_from_frames(cases=..., rooms=..., sessions=..., policy=...)``
checks them exactly as the loader checks files; ``scenario.to_frames()`` gives them.
"""

from .model.objective import need
from .result.analysis import Comparison, backlog, compare, kpis_by
from .result.output import ScheduleRefused, write_result
from .result.result import LevelReport, Result
from .result.row import ScheduleRow
from .result.status import SolveStatus
from .result.summary import DateKpi, LevelSummary, RunInfo, SolverReport, Summary, Totals, Transfer
from .scenario import Policy, Scenario, ScenarioError, load_scenario, write_scenario
from .scenario.edit import add_cases, close_room, close_rooms, shorten_sessions
from .scenario.frames import scenario_frames, scenario_from_frames
from .scenario.params import SolverParams
from .search import SolveArgumentError, StopFlag, solve

__all__ = [
    "Comparison",
    "DateKpi",
    "LevelReport",
    "LevelSummary",
    "Policy",
    "Result",
    "RunInfo",
    "Scenario",
    "ScenarioError",
    "ScheduleRefused",
    "ScheduleRow",
    "SolveArgumentError",
    "SolveStatus",
    "SolverParams",
    "SolverReport",
    "StopFlag",
    "Summary",
    "Totals",
    "Transfer",
    "add_cases",
    "backlog",
    "close_room",
    "close_rooms",
    "compare",
    "kpis_by",
    "load_scenario",
    "need",
    "scenario_frames",
    "scenario_from_frames",
    "shorten_sessions",
    "solve",
    "write_result",
    "write_scenario",
]
__version__ = "0.1.0"

"""Surgical schedule rescheduling optimizer for hospitals in degraded mode."""

from .scenario import Scenario, ScenarioError, load_scenario, write_scenario

__all__ = ["Scenario", "ScenarioError", "load_scenario", "write_scenario"]
__version__ = "0.1.0"

"""Scenario: the validated data model and its files."""

from . import frames as _frames  # noqa: F401  (lends Scenario.to_frames its function)
from .errors import Problem, ScenarioError
from .loader import load_scenario
from .schema import (
    Case,
    ExtraSession,
    PartnerCapacity,
    Policy,
    ResourceCapacity,
    Room,
    Scenario,
    Session,
    SurgeonWindow,
    Unavailability,
    UrgencyClass,
    default_urgency_classes,
)
from .writer import write_scenario

__all__ = [
    "Case",
    "ExtraSession",
    "PartnerCapacity",
    "Policy",
    "Problem",
    "ResourceCapacity",
    "Room",
    "Scenario",
    "ScenarioError",
    "Session",
    "SurgeonWindow",
    "Unavailability",
    "UrgencyClass",
    "default_urgency_classes",
    "load_scenario",
    "write_scenario",
]

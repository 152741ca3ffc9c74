"""Scenario files: schema, defaults, loading and overrides."""

from sim.scenario.loader import (
    ScenarioError,
    build_scenario,
    load_scenario,
    parse_overrides,
    scenario_to_dict,
)
from sim.scenario.schema import Scenario

__all__ = [
    "Scenario",
    "ScenarioError",
    "build_scenario",
    "load_scenario",
    "parse_overrides",
    "scenario_to_dict",
]

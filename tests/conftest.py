"""Shared fixtures: small economies that run in a fraction of a second."""

from __future__ import annotations

import pytest

from sim.model import EconomyModel
from sim.scenario import build_scenario

SMALL = {
    "population.workers": 600,
    "population.firms": 30,
    "run.steps": 36,
    "adoption.enabled": False,
    "capital.enabled": False,
    "shocks.productivity_sd": 0.0,
}
"""A small economy in which every firm uses AI whatever the default: with 30 firms the
Bass draw at F(0) = 1.1 % would give a single adopter, and the tests that use it are
about the markets and the accounts, not diffusion (tests/test_adoption.py switches it
on). It has no capital either, so that the step-0 formulas of docs/model.md section 2
hold without section 13b's capital cost (tests/test_capital.py and the property tests
switch it on). Nor has it the aggregate productivity shock of section 3b, so that
productivity follows its trend (tests/test_shocks.py switches it on)."""


def small_model(**overrides) -> EconomyModel:
    """A 600-worker, 30-firm economy with every firm using AI (overridable)."""
    return EconomyModel(**{**SMALL, **overrides})


@pytest.fixture
def small_scenario():
    return build_scenario(overrides=SMALL)

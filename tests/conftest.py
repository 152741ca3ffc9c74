"""Shared fixtures: small economies that run in a fraction of a second."""

from __future__ import annotations

import pytest

from sim.model import EconomyModel
from sim.scenario import build_scenario

SMALL = {"population.workers": 600, "population.firms": 30, "run.steps": 36}


def small_model(**overrides) -> EconomyModel:
    """A 600-worker, 30-firm economy (overridable)."""
    return EconomyModel(**{**SMALL, **overrides})


@pytest.fixture
def small_scenario():
    return build_scenario(overrides=SMALL)

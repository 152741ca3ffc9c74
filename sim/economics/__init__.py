"""Textbook formulas as pure numpy functions, shared by the agents and by the tests."""

from sim.economics.benchmarks import (
    baumol_relative_price_growth,
    hicks_marshall_elasticity,
    jevons_condition_holds,
    ngai_pissarides_employment_drift,
)
from sim.economics.ces import (
    ces_output,
    compute_cost_share,
    exposed_labour_fraction,
    input_demand,
    unit_cost,
)

__all__ = [
    "baumol_relative_price_growth",
    "ces_output",
    "compute_cost_share",
    "exposed_labour_fraction",
    "hicks_marshall_elasticity",
    "input_demand",
    "jevons_condition_holds",
    "ngai_pissarides_employment_drift",
    "unit_cost",
]

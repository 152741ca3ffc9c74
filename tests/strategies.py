"""Hypothesis strategies generated from the scenario schema's own bounds.

Core objects: :func:`scenario_keys`, :func:`field_strategy`, :func:`scenario_overrides`.

Every leaf key of the default scenario (every section, every sector and tier) gets a
strategy read from its field in :mod:`sim.scenario.schema`: floats between the
field's ``ge/gt`` and ``le/lt`` bounds (no NaN, infinity or subnormal, the edges
drawn explicitly as well as by hypothesis' own shrinking towards them), integers
between their bounds, one of a ``Literal``'s values, any short text for labels, and
a tier name for ``min_tier``, one of the kept sectors for a key that names a sector
(:data:`SECTOR_NAME_KEYS`), and keys bounded by others drawn within those bounds
(:data:`DEPENDENT_CEILINGS`, :data:`DEPENDENT_FLOORS`). A field added to the schema later is covered
automatically; a numeric field without both bounds makes :func:`field_strategy`
raise, so an unbounded parameter cannot slip in unnoticed.

The run-size keys (:data:`SIZE_CAPS`: populations and months) are drawn over their
whole range's lower part only, because a property example must run in a fraction of
a second; their upper range is covered by the memory estimate
(``tests/test_reliability.py``) and by the compounding bound on ``run.steps``
(``tests/test_properties.py::test_longest_run_at_the_compounding_limit``).
"""

from __future__ import annotations

import typing

from hypothesis import strategies as st
from pydantic.fields import FieldInfo

from sim.scenario import build_scenario
from sim.scenario.loader import _walk
from sim.scenario.schema import MAX_TAX_TO_PRICE

SIZE_CAPS = {
    "population.workers": 400,
    "population.households": 600,
    "population.firms": 40,
    "population.providers": 100,
    "run.steps": 18,
}
"""Upper ends used for the run-size keys in property examples (see the module docstring)."""

TEXT_KEYS = ("description",)
"""Free-text keys: drawn as short text."""

SECTOR_NAME_KEYS = ("energy.supplier_input_sector", "capital.goods_sector")
"""Keys naming a sector: drawn last, from the sectors the example keeps."""

DEPENDENT_FLOORS = {
    "energy.datacentre_share": lambda drawn: drawn["compute.compute_energy_share"],
}
"""Keys whose smallest allowed value depends on others (AI compute is part of the data
centres' electricity): drawn from that floor up."""

DEPENDENT_CEILINGS = {
    "policy.minimum_wage": lambda drawn: 1.0 + drawn["firms.initial_markup"],
    "capital.capital_output_ratio": lambda drawn: _largest_capital_output_ratio(drawn),
    "policy.compute_tax": lambda drawn: (
        MAX_TAX_TO_PRICE
        * min(
            v for k, v in drawn.items() if k.startswith("compute.tiers.") and k.endswith(".price")
        )
    ),
}
"""Keys whose largest allowed value depends on others (``Scenario._policy_cannot_spiral``):
drawn last, up to that ceiling, so most examples reach the model (refusals beyond the
ceiling are tested in ``tests/test_scenarios.py``)."""


def _largest_capital_output_ratio(drawn: dict[str, typing.Any]) -> float:
    """The capital-output ratio up to which the step-0 capital cost, ``theta (r + 12
    delta_m)``, stays below the schema's limit ``0.9 / (1 + initial_markup)``
    (``Scenario._capital_leaves_room``), with a margin of 5 %."""
    if drawn["credit.policy_rule"] == "fixed":
        required = max(0.0, drawn["credit.base_rate"] - drawn["credit.inflation_target"])
    else:
        required = max(0.0, drawn["credit.neutral_rate"] + drawn["credit.loan_spread"])
    monthly = 1.0 - (1.0 - drawn["capital.depreciation"]) ** (1.0 / 12.0)
    return 0.95 * 0.9 / (1.0 + drawn["firms.initial_markup"]) / (required + 12.0 * monthly)


def _bounds(field: FieldInfo) -> dict[str, typing.Any]:
    found: dict[str, typing.Any] = {}
    for meta in field.metadata:
        for attr in ("ge", "gt", "le", "lt"):
            if getattr(meta, attr, None) is not None:
                found[attr] = getattr(meta, attr)
    return found


def field_strategy(
    key: str, tiers: list[str], ceiling: float | None = None, floor: float | None = None
) -> st.SearchStrategy:
    """A strategy over the whole allowed range of the scenario key ``key``.

    Raises:
        ValueError: if ``key``'s field is numeric but not bounded on both sides.
    """
    field, _, _ = _walk(tuple(key.split(".")))
    if field is None:
        raise ValueError(f"{key} is not a schema field")
    name = key.rsplit(".", 1)[-1]
    annotation = field.annotation
    if typing.get_origin(annotation) is typing.Literal:
        return st.sampled_from(typing.get_args(annotation))
    if name == "min_tier":
        return st.sampled_from(tiers)
    if annotation is str:
        return st.text(max_size=30)
    if annotation is bool:
        return st.booleans()
    bounds = _bounds(field)
    low, high = bounds.get("ge", bounds.get("gt")), bounds.get("le", bounds.get("lt"))
    if low is None or high is None:
        raise ValueError(f"{key}: a numeric parameter must be bounded on both sides ({bounds})")
    if ceiling is not None and ceiling < high:
        high, bounds = ceiling, {k: v for k, v in bounds.items() if k != "lt"}
    if floor is not None and floor > low:
        low, bounds = floor, {k: v for k, v in bounds.items() if k != "gt"}
    if annotation is int:
        high = min(high, SIZE_CAPS.get(key, high))
        return st.one_of(st.sampled_from([low, high]), st.integers(low, high))
    if annotation is float:
        edges = [v for v, open_ in ((low, "gt" in bounds), (high, "lt" in bounds)) if not open_]
        inside = st.floats(
            low,
            high,
            exclude_min="gt" in bounds,
            exclude_max="lt" in bounds,
            allow_nan=False,
            allow_infinity=False,
            allow_subnormal=False,
        )
        return st.one_of(st.sampled_from(edges), inside) if edges else inside
    raise ValueError(f"{key}: no strategy for a field of type {annotation}")


def _leaves(data: typing.Any, prefix: str = "") -> list[str]:
    if not isinstance(data, dict):
        return [prefix]
    return [key for name, value in data.items() for key in _leaves(value, f"{prefix}{name}.")]


def scenario_keys() -> list[str]:
    """Every leaf key of the default scenario, dotted (``sectors.care.ai_share``, ...)."""
    defaults = build_scenario().model_dump(mode="json", exclude_none=True)
    return [key.removesuffix(".") for key in _leaves(defaults) if not key.startswith("sweep")]


@st.composite
def scenario_overrides(draw: st.DrawFn) -> dict[str, typing.Any]:
    """Overrides setting **every** scenario key to a value drawn from its allowed range,
    and removing some sectors (never all)."""
    defaults = build_scenario()
    tiers = sorted(defaults.compute.tiers)
    keys = scenario_keys()
    later = {*DEPENDENT_CEILINGS, *DEPENDENT_FLOORS, *SECTOR_NAME_KEYS}
    overrides = {key: draw(field_strategy(key, tiers)) for key in keys if key not in later}
    for key in DEPENDENT_CEILINGS:
        ceiling = DEPENDENT_CEILINGS[key](overrides)
        overrides[key] = draw(field_strategy(key, tiers, ceiling))
    for key in DEPENDENT_FLOORS:
        overrides[key] = draw(field_strategy(key, tiers, floor=DEPENDENT_FLOORS[key](overrides)))
    sectors = sorted(defaults.sectors)
    removed = draw(st.sets(st.sampled_from(sectors), max_size=len(sectors) - 1))
    for sector in removed:
        for key in [k for k in overrides if k.startswith(f"sectors.{sector}.")]:
            del overrides[key]
        overrides[f"sectors.{sector}"] = False
    kept = [sector for sector in sectors if sector not in removed]
    for key in SECTOR_NAME_KEYS:
        overrides[key] = draw(st.sampled_from(kept))
    return overrides

"""The classroom controls: what each slider means and which scenario keys it sets.

Core objects: :class:`Control`, :class:`Choice`, :data:`CONTROLS`, :func:`control_values`,
:func:`scenario_overrides`.

A control is a plain-language knob (for example "compute price decline, times per
year") that maps onto one or more dotted scenario keys: a slider (:class:`Control`)
or a choice among named options (:class:`Choice`). :func:`scenario_overrides`
turns a set of control values into exactly the ``--set`` overrides that differ from a
scenario file, so the app and the reproducing ``sim run`` command share one mapping.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sim.scenario import Scenario, scenario_to_dict
from sim.scenario.loader import get_dotted

CLASSROOM_WORKERS = 2000
"""Workers in the classroom economy (firms are scaled with the scenario's ratio)."""

Overrides = dict[str, Any]

OVERSIGHT_SECTORS = ("software", "business")
"""Sectors whose oversight requirement the oversight control sets."""


@dataclass(frozen=True)
class Control:
    """One knob of the app.

    Attributes:
        name: keyword of :class:`~sim.viz.classroom.ClassroomModel`.
        label: what the slider sets, in plain words.
        help: one sentence shown next to the controls.
        low, high, step: slider range.
        read: the control's value in a scenario.
        write: the scenario overrides that give the control a value.
        unit: the unit shown after the value (shares are shown in per cent).
        percent: whether the value is a share shown as a percentage.
    """

    name: str
    label: str
    help: str
    low: float
    high: float
    step: float
    read: Callable[[Scenario], float]
    write: Callable[[Scenario, float], Overrides]
    unit: str = ""
    percent: bool = False

    @property
    def integer(self) -> bool:
        """Whether the control takes whole numbers."""
        return all(float(v).is_integer() for v in (self.low, self.high, self.step))

    def shown(self, value: float) -> str:
        """The value with its unit, as the app prints it beside the slider."""
        number = f"{100.0 * value:.3g} %" if self.percent else f"{value:,.6g}"
        return f"{number} {self.unit}".strip()


@dataclass(frozen=True)
class Choice:
    """One knob of the app that picks among named options (a drop-down).

    Attributes:
        name, label, help: as for :class:`Control`.
        options: the values the scenario key may take.
        read: the control's value in a scenario.
        write: the scenario overrides that give the control a value.
    """

    name: str
    label: str
    help: str
    options: tuple[str, ...]
    read: Callable[[Scenario], str]
    write: Callable[[Scenario, str], Overrides]

    def shown(self, value: str) -> str:
        """The chosen option, as the app prints it."""
        return str(value)


def _lowest_tier(scenario: Scenario) -> str:
    return min(scenario.compute.tiers, key=lambda name: scenario.compute.tiers[name].rank)


def _read_decline(scenario: Scenario) -> float:
    return scenario.compute.tiers[_lowest_tier(scenario)].annual_decline


def _write_decline(scenario: Scenario, value: float) -> Overrides:
    """Set the lowest tier's decline to ``value`` and move the other tiers' declines by
    the same power, so their ordering and log spacing are kept."""
    base = _read_decline(scenario)
    power = math.log(value) / math.log(base) if base > 1.0 else None
    overrides: Overrides = {}
    for name, tier in scenario.compute.tiers.items():
        decline = value if power is None else tier.annual_decline**power
        overrides[f"compute.tiers.{name}.annual_decline"] = round(max(decline, 1.0), 3)
    return overrides


def _write_substitution(scenario: Scenario, value: float) -> Overrides:
    return {
        f"sectors.{name}.substitution_elasticity": round(
            min(s.substitution_elasticity * value, 10.0), 4
        )
        for name, s in scenario.sectors.items()
    }


def _write_workers(scenario: Scenario, value: float) -> Overrides:
    pop = scenario.population
    firms = max(len(scenario.sectors), round(pop.firms * value / pop.workers))
    return {"population.workers": int(value), "population.firms": firms}


def _oversight_sectors(scenario: Scenario) -> list[str]:
    return [name for name in OVERSIGHT_SECTORS if name in scenario.sectors]


def _read_oversight(scenario: Scenario) -> float:
    """The largest oversight requirement among the sectors the control sets (0 if none)."""
    needs = [scenario.sectors[name].oversight_per_token for name in _oversight_sectors(scenario)]
    return max(needs, default=0.0)


def _write_oversight(scenario: Scenario, value: float) -> Overrides:
    return {
        f"sectors.{name}.oversight_per_token": float(value) for name in _oversight_sectors(scenario)
    }


ADOPTION_OPTIONS = ("gradual", "every firm from month 0")
"""The AI adoption control's options: the Bass diffusion across firms (the default), or
every firm using AI from month 0 (``adoption.enabled = false``, a controlled experiment)."""


def _read_adoption(scenario: Scenario) -> str:
    return ADOPTION_OPTIONS[0] if scenario.adoption.enabled else ADOPTION_OPTIONS[1]


def _write_adoption(_scenario: Scenario, value: str) -> Overrides:
    if value not in ADOPTION_OPTIONS:
        raise ValueError(f"AI adoption: {value!r} is not allowed (allowed: {ADOPTION_OPTIONS})")
    return {"adoption.enabled": value == ADOPTION_OPTIONS[0]}


def _key(dotted: str, cast: Callable[[Any], Any] = float) -> tuple[Callable, Callable]:
    """Reader and writer of a control that is one scenario key."""
    section, field = dotted.split(".")

    def read(scenario: Scenario) -> float:
        return getattr(getattr(scenario, section), field)

    def write(_scenario: Scenario, value: float) -> Overrides:
        return {dotted: cast(value)}

    return read, write


CONTROLS: tuple[Control | Choice, ...] = (
    Control(
        "compute_decline", "AI price decline",
        "How many times cheaper the basic AI tier gets each year (1 = no decline); "
        "the dearer tiers speed up or slow down in proportion.",
        1.0, 100.0, 1.0, _read_decline, _write_decline, unit="x cheaper per year",
    ),
    Control(
        "ai_substitution", "AI-labour substitution",
        "Multiplies every sector's elasticity of substitution between AI and labour "
        "(1 = software 2.5 ... care 0.3); above 1 in a sector, AI replaces work there.",
        0.1, 3.0, 0.05, lambda _s: 1.0, _write_substitution, unit="x baseline",
    ),
    Choice(
        "adoption", "AI adoption",
        "'gradual': firms start using AI one by one, about 1 % at month 0 and 0.3 % of "
        "the rest each month (a Bass diffusion fitted to the Census BTOS survey); "
        "'every firm from month 0': all use it from the start, a controlled experiment.",
        ADOPTION_OPTIONS, _read_adoption, _write_adoption,
    ),
    Control(
        "consumer_elasticity", "Consumer elasticity across sectors",
        "How easily households switch spending between sectors when relative prices "
        "change; below 1 is Baumol's condition.",
        0.1, 3.0, 0.05, *_key("households.consumer_elasticity"), unit="(pure number)",
    ),
    Control(
        "mobility", "Labour mobility",
        "Chance that a job application may go to another sector (0 = nobody changes "
        "sector, 100 % = free movement).",
        0.0, 1.0, 0.05, *_key("labour.mobility"), unit="of applications",
        percent=True,
    ),
    Control(
        "energy_supply_elasticity", "Energy supply elasticity",
        "How readily energy supply grows when data centres want more; low values make "
        "energy, and so compute, dearer.",
        0.1, 10.0, 0.1, *_key("compute.energy_supply_elasticity"), unit="(pure number)",
    ),
    Control(
        "providers", "AI providers",
        "Number of AI compute providers competing for firms' business.",
        1, 12, 1, *_key("population.providers", int), unit="firms",
    ),
    Choice(
        "money_rule", "Money rule",
        "How fast the central bank creates money: 'mccallum' aims nominal GDP growth at "
        "2 % inflation plus trend real growth (McCallum's rule); 'fixed' grows the money "
        "stock at the rate below.",
        ("mccallum", "fixed"), *_key("money.rule", str),
    ),
    Control(
        "money_growth", "Money growth (fixed rule)",
        "Annual growth of the money stock under the fixed money rule, paid to every "
        "household as an equal transfer.",
        0.0, 0.2, 0.005, *_key("money.growth"), unit="per year", percent=True,
    ),
    Control(
        "oversight", "Oversight needed per token",
        "New work created by AI in software and business: efficiency worker-months of "
        "prompting and checking per million tokens at month 0 (0 = off).",
        0.0, 0.05, 0.001, _read_oversight, _write_oversight,
        unit="worker-months per M tokens",
    ),
    Control(
        "compute_tax", "Compute tax",
        "A tax in dollars on every million tokens firms buy, not indexed (the basic "
        "tier costs about $0.9 per M tokens at month 0).",
        0.0, 1.0, 0.01, *_key("policy.compute_tax"), unit="$ per M tokens",
    ),
    Control(
        "profit_tax", "Profit tax",
        "Tax rate on the positive profits of firms and AI providers; the revenue is paid "
        "back as transfers.",
        0.0, 0.6, 0.05, *_key("policy.profit_tax"), unit="of profits", percent=True,
    ),
    Choice(
        "transfers_to", "Transfers go to",
        "Who receives the government's transfers: every household equally, or the "
        "households of unemployed workers.",
        ("everyone", "unemployed"), *_key("policy.transfers_to", str),
    ),
    Control(
        "retraining_subsidy", "Retraining subsidy",
        "Share of the productivity a worker loses on changing sector that paid training "
        "removes (0 = none, 100 % = all); the government pays the training.",
        0.0, 1.0, 0.05, *_key("policy.retraining_subsidy"), unit="of the penalty removed",
        percent=True,
    ),
    Control(
        "minimum_wage", "Minimum wage",
        "Floor on firms' wage rate, as a multiple of the month-0 rate, rising with the "
        "CPI (0 = none, 1 = the month-0 rate itself; at most 1 + the initial markup, 1.1, "
        "since a higher indexed floor sets off a wage-price spiral).",
        0.0, 1.1, 0.05, *_key("policy.minimum_wage"), unit="x month-0 wage rate",
    ),
    Control(
        "productivity_shock", "Business-cycle shock",
        "Size of the quarterly shock to every sector's productivity, the Solow residual "
        "of real-business-cycle models (0.72 % in US data, King and Rebelo 1999; 0 = "
        "productivity follows its trend and the cycle is the firms' own).",
        0.0, 0.02, 0.0005, *_key("shocks.productivity_sd"), unit="per quarter",
        percent=True,
    ),
    Control(
        "workers", "Workers",
        "Size of the economy; firms are scaled in proportion. 2,000 is fast; 10,000 is "
        "the published baseline.",
        200, 20_000, 200, lambda s: s.population.workers, _write_workers, unit="people",
    ),
    Control(
        "seed", "Random seed",
        "Same seed and settings give exactly the same run; change it to see chance.",
        0, 99, 1, *_key("run.seed", int), unit="(any whole number)",
    ),
    Control(
        "months", "Months to simulate",
        "Length of the run; Play stops there.",
        12, 360, 12, *_key("run.steps", int), unit="months",
    ),
)  # fmt: skip
"""Every control of the app, in the order shown."""

CONTROL_NAMES = tuple(c.name for c in CONTROLS)


def control_values(scenario: Scenario) -> dict[str, float | str]:
    """Each control's value as the scenario file sets it (workers at classroom size)."""
    values = {c.name: c.read(scenario) for c in CONTROLS}
    values["workers"] = CLASSROOM_WORKERS
    return values


def scenario_overrides(scenario: Scenario, values: dict[str, float | str]) -> Overrides:
    """The dotted-key overrides that give ``scenario`` these control values, keeping
    only keys whose value differs from the scenario's own."""
    data = scenario_to_dict(scenario)
    overrides: Overrides = {}
    for control in CONTROLS:
        if control.name in values:
            overrides.update(control.write(scenario, values[control.name]))
    return {key: value for key, value in overrides.items() if get_dotted(data, key) != value}

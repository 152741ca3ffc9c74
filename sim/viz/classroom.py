"""The economy as the app builds it: a preset, flat control values, and an optional twin.

Core object: :class:`ClassroomModel`.

``SolaraViz`` rebuilds the model on Reset with ``type(model)(**params)``, so every
setting is a flat keyword here. The model also keeps a fixed sample of workers for the
agents view and, in compare mode, a second economy (the *twin*) stepped in lockstep.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.model import EconomyModel
from sim.scenario import Scenario, load_scenario
from sim.viz.controls import scenario_overrides
from sim.viz.presets import NO_COMPARISON, Preset, discover

DEFAULT_PRESET = "lesson1_jevons"
"""Preset shown when the app opens."""

WORKER_SAMPLE = 400
"""Workers drawn (once, by a fixed seed) for the agents view: a 20 x 20 grid."""


def build_scenario(preset: Preset, values: dict[str, Any]) -> tuple[Scenario, dict[str, Any]]:
    """The preset's scenario with control values applied, and the overrides used."""
    overrides = scenario_overrides(preset.scenario, values)
    return load_scenario(preset.scenario_path, overrides), overrides


class ClassroomModel(EconomyModel):
    """An :class:`~sim.model.EconomyModel` built from a preset and the app's controls.

    Args:
        preset: key of a preset (see :func:`sim.viz.presets.discover`).
        compare: key of a preset to run beside this one, ``"none"``, or ``None`` for
            the preset's own comparison.
        Every other argument is a control of :data:`sim.viz.controls.CONTROLS`;
        ``None`` keeps the preset's value.
    """

    def __init__(
        self,
        preset: str = DEFAULT_PRESET,
        compare: str | None = None,
        compute_decline: float | None = None,
        ai_substitution: float | None = None,
        consumer_elasticity: float | None = None,
        mobility: float | None = None,
        energy_supply_elasticity: float | None = None,
        providers: int | None = None,
        money_growth: float | None = None,
        workers: int | None = None,
        seed: int | None = None,
        months: int | None = None,
    ) -> None:
        presets = discover()
        self.preset = presets[preset]
        given = {
            "compute_decline": compute_decline, "ai_substitution": ai_substitution,
            "consumer_elasticity": consumer_elasticity, "mobility": mobility,
            "energy_supply_elasticity": energy_supply_elasticity, "providers": providers,
            "money_growth": money_growth, "workers": workers, "seed": seed, "months": months,
        }  # fmt: skip
        self.controls = {
            **self.preset.values(),
            **{k: v for k, v in given.items() if v is not None},
        }
        scenario, self.overrides = build_scenario(self.preset, self.controls)
        super().__init__(config=scenario)
        sample = np.random.default_rng(0).choice(
            len(self.workers), min(WORKER_SAMPLE, len(self.workers)), replace=False
        )
        self.worker_sample = sample[np.argsort(self.workers.sector[sample], kind="stable")]
        self.twin: EconomyModel | None = None
        self.twin_preset: Preset | None = None
        compare = self.preset.compare if compare is None else compare
        if compare != NO_COMPARISON:
            self.twin_preset = presets[compare]
            same = {k: self.controls[k] for k in ("workers", "seed", "months")}
            twin_scenario, _ = build_scenario(
                self.twin_preset, {**self.twin_preset.values(), **same}
            )
            self.twin = EconomyModel(config=twin_scenario)

    def step(self) -> None:
        """One month of this economy and, in compare mode, of its twin."""
        super().step()
        if self.twin is not None:
            self.twin.step()

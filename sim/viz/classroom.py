"""The economy as the app builds it: a preset, flat control values, and an optional twin.

Core object: :class:`ClassroomModel`.

``SolaraViz`` rebuilds the model on Reset with ``type(model)(**params)``, so every
setting is a flat keyword here. The model also keeps a fixed sample of workers for the
agents view and, in compare mode, a second economy (the *twin*) stepped in lockstep.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from sim.model import EconomyModel
from sim.scenario import Scenario, load_scenario
from sim.viz.controls import CONTROL_NAMES, CONTROLS, scenario_overrides
from sim.viz.presets import NO_COMPARISON, Preset, discover
from sim.viz.server import max_workers

DEFAULT_PRESET = "lesson1_jevons"
"""Preset shown when the app opens."""

_RUN_IDS = itertools.count(1)

WORKERS_CONTROL = next(c for c in CONTROLS if c.name == "workers")

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
        scenario: Mesa's own scenario object, which SolaraViz passes on Reset to
            models that take keywords; unused (the preset and controls define the
            economy).
        controls: any control of :data:`sim.viz.controls.CONTROLS` by name (SolaraViz
            passes them as keywords on Reset); ``None`` keeps the preset's value. Workers
            are capped at ``SIM_MAX_WORKERS`` on a class server (``sim viz --classroom``).
    """

    def __init__(
        self,
        preset: str = DEFAULT_PRESET,
        compare: str | None = None,
        scenario: object = None,
        **controls: float | str | None,
    ) -> None:
        unknown = sorted(set(controls) - set(CONTROL_NAMES))
        if unknown:
            raise TypeError(f"unknown controls {unknown} (allowed: {', '.join(CONTROL_NAMES)})")
        presets = discover()
        self.preset = presets[preset]
        self.controls = {
            **self.preset.values(),
            **{k: v for k, v in controls.items() if v is not None},
        }
        self.controls["workers"] = min(self.controls["workers"], max_workers(WORKERS_CONTROL.high))
        scenario, self.overrides = build_scenario(self.preset, self.controls)
        super().__init__(config=scenario)
        self.run_id = next(_RUN_IDS)
        """Distinguishes this economy from earlier ones (the browser's charts restart)."""
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

    @property
    def months(self) -> int:
        """Length of the run in months; Play and Step stop there."""
        return self.config.run.steps

    @property
    def months_done(self) -> int:
        """Months simulated so far (Mesa's ``steps`` also counts calls made after the
        end, which do nothing here)."""
        return len(self.datacollector.model_vars["step"]) - 1

    @property
    def finished(self) -> bool:
        """Whether the run has reached its last month."""
        return self.months_done >= self.months

    def step(self) -> None:
        """One month of this economy and, in compare mode, of its twin; nothing once
        the run has reached its length (``running`` is then false)."""
        if self.finished:
            self.running = False
            return
        super().step()
        if self.twin is not None:
            self.twin.step()

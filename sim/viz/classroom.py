"""The economy as the app builds it: a preset, flat control values, and an optional twin.

Core objects: :class:`ClassroomModel`, :class:`ComparedRun`, :class:`Twin`.

``SolaraViz`` rebuilds the model on Reset with ``type(model)(**params)``, so every
setting is a flat keyword here. The model also keeps a fixed sample of workers for the
agents view and, in compare mode, a second economy (the *twin*) that keeps pace with it.

The compared economy is the same for every student who compares with the same preset
at the same size, seed and length (it has no controls of its own, and a run is
determined by its scenario and seed), so a class server steps it once
(:class:`ComparedRun`) and each session sees it up to its own month (:class:`Twin`):
for a class on one lesson this halves the model's work per student-month.
"""

from __future__ import annotations

import itertools
import threading
from typing import Any, ClassVar

import numpy as np
import pandas as pd

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


class ComparedRun:
    """A compared economy shared by every session that shows it, stepped on demand.

    Args:
        scenario: its scenario (the key under which sessions share it).
    """

    _shared: ClassVar[dict[str, ComparedRun]] = {}
    _registry_lock = threading.Lock()
    MOST_SHARED = 16
    """Compared runs kept for later sessions; an older one is dropped from the registry
    (sessions that hold it keep it until they are freed)."""

    def __init__(self, scenario: Scenario) -> None:
        self.model = EconomyModel(config=scenario)
        self._lock = threading.Lock()

    @classmethod
    def shared(cls, scenario: Scenario) -> ComparedRun:
        """The run of ``scenario`` that other sessions use, or a new one."""
        key = scenario.model_dump_json()
        with cls._registry_lock:
            run = cls._shared.pop(key, None)
            if run is None:
                run = cls(scenario)
            cls._shared[key] = run
            while len(cls._shared) > cls.MOST_SHARED:
                cls._shared.pop(next(iter(cls._shared)))
            return run

    def advance_to(self, months: int) -> None:
        """Step until ``months`` months are simulated (no further than its run)."""
        with self._lock:
            while self.months_done < months and self.model.running:
                self.model.step()

    @property
    def months_done(self) -> int:
        """Months simulated so far, by whichever session got there first."""
        return len(self.model.datacollector.model_vars["step"]) - 1


class Twin:
    """One session's view of a :class:`ComparedRun`: up to that session's month.

    Attributes:
        run: the shared run.
        steps: months this session has reached.
    """

    def __init__(self, run: ComparedRun) -> None:
        self.run = run
        self.steps = 0

    def step(self) -> None:
        """The session's next month (simulated if no session has simulated it yet)."""
        self.run.advance_to(self.steps + 1)
        self.steps = min(self.steps + 1, self.run.months_done)

    @property
    def values(self) -> dict[str, list]:
        """Every reported series of the shared run (longer than :attr:`months` when
        another session is ahead: read up to :attr:`months` only)."""
        return self.run.model.datacollector.model_vars

    @property
    def months(self) -> int:
        """Months with reported values this session may show, month 0 included."""
        return self.steps + 1

    def results(self) -> pd.DataFrame:
        """The series up to this session's month, one row per month."""
        return self.run.model.results().iloc[: self.months].reset_index(drop=True)


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
        self.twin: Twin | None = None
        self.twin_preset: Preset | None = None
        compare = self.preset.compare if compare is None else compare
        if compare != NO_COMPARISON:
            self.twin_preset = presets[compare]
            same = {k: self.controls[k] for k in ("workers", "seed", "months")}
            twin_scenario, _ = build_scenario(
                self.twin_preset, {**self.twin_preset.values(), **same}
            )
            self.twin = Twin(ComparedRun.shared(twin_scenario))

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

"""Run a scenario over seeds and score it against the target table.

Core objects: :func:`validate`, :func:`score`, :class:`TargetResult`,
:class:`ValidationResult`.

**Pass rule.** A target passes on one seed when its value lies in its band
(``low <= value <= high``); a target that cannot be measured fails on every seed. A
target *passes* when it passes on at least half of the seeds (``passed_share >=
0.5``). The **score** is the share of targets that pass. The **seed pass rate** is
the share of seeds on which every target that passes also passes, so a score that
hangs on a lucky seed shows up as a low seed pass rate (BAM Engine publishes the
same two numbers per release: green at score >= 0.85 and seed pass rate >= 0.97).
"""

from __future__ import annotations

from concurrent.futures import as_completed
from dataclasses import dataclass

import numpy as np
import pandas as pd
from tqdm import tqdm

from sim.batch.design import run_seed
from sim.batch.executors import open_executor
from sim.scenario import Scenario, scenario_to_dict
from sim.validation.measures import measure_seed
from sim.validation.targets import Target, ValidationSettings, load_settings, load_targets

PASS_SHARE = 0.5
"""A target passes when at least this share of seeds pass it."""


@dataclass(frozen=True)
class TargetResult:
    """One target's values over the seeds and whether it passes."""

    target: Target
    values: tuple[float, ...]
    missing: tuple[str, ...]

    @property
    def seed_passes(self) -> tuple[bool, ...]:
        """Whether each seed's value lies in the band."""
        return tuple(self.target.passes(v) for v in self.values)

    @property
    def measurable(self) -> bool:
        """False when a series or window the statistic needs is missing."""
        return not self.missing

    @property
    def model_mean(self) -> float:
        """Mean over the seeds with a finite value (NaN if none)."""
        finite = np.array([v for v in self.values if np.isfinite(v)])
        return float(finite.mean()) if finite.size else float("nan")

    @property
    def model_sd(self) -> float:
        """Sample s.d. over the seeds with a finite value (0 for one seed, NaN for none)."""
        finite = np.array([v for v in self.values if np.isfinite(v)])
        if finite.size == 0:
            return float("nan")
        return float(finite.std(ddof=1)) if finite.size > 1 else 0.0

    @property
    def passed_share(self) -> float:
        """Share of seeds whose value lies in the band."""
        return float(np.mean(self.seed_passes)) if self.values else 0.0

    @property
    def passed(self) -> bool:
        """The pass rule: at least :data:`PASS_SHARE` of the seeds pass."""
        return self.measurable and self.passed_share >= PASS_SHARE

    @property
    def distance(self) -> float:
        """How far the model mean lies outside the band, in band widths (0 inside; inf
        when not measurable), used to rank the worst targets. For a band of positive
        values with a positive mean the widths are measured in logs, so a factor of ten
        counts the same at any scale."""
        mean = self.model_mean
        if not self.measurable or not np.isfinite(mean):
            return float("inf")
        low, high = self.target.band
        if low > 0 and mean > 0:
            low, high, mean = np.log(low), np.log(high), np.log(mean)
        width = max(high - low, 1e-12)
        return float(max(low - mean, mean - high, 0.0) / width)


@dataclass(frozen=True)
class ValidationResult:
    """Every target's result, the seeds and the steps of each seed (for figures)."""

    scenario: Scenario
    seeds: tuple[int, ...]
    settings: ValidationSettings
    results: tuple[TargetResult, ...]
    steps: tuple[pd.DataFrame, ...]
    firm_sizes: tuple[np.ndarray, ...]

    @property
    def score(self) -> float:
        """Share of targets that pass."""
        return float(np.mean([r.passed for r in self.results]))

    @property
    def seed_pass_rate(self) -> float:
        """Share of seeds on which every passing target passes."""
        passing = [r for r in self.results if r.passed]
        if not passing:
            return 0.0
        return float(
            np.mean([all(r.seed_passes[i] for r in passing) for i in range(len(self.seeds))])
        )

    @property
    def seed_scores(self) -> tuple[float, ...]:
        """Each seed's own share of targets passed."""
        return tuple(
            float(np.mean([r.seed_passes[i] for r in self.results])) for i in range(len(self.seeds))
        )

    def worst(self, n: int = 5) -> list[TargetResult]:
        """The ``n`` failing targets farthest from their bands (unmeasurable ones last)."""
        failing = [r for r in self.results if not r.passed]
        return sorted(failing, key=lambda r: (not r.measurable, -r.distance))[:n]


def score(
    targets: list[Target], seeds: list[int], outcomes: list[dict], scenario: Scenario,
    settings: ValidationSettings,
) -> ValidationResult:  # fmt: skip
    """Assemble per-seed outcomes of :func:`measure_seed` (in seed order) into a result."""
    results = []
    for target in targets:
        missing = sorted({name for o in outcomes for name in o["missing"][target.id]})
        values = tuple(float(o["values"][target.id]) for o in outcomes)
        results.append(TargetResult(target, values, tuple(missing)))
    return ValidationResult(
        scenario, tuple(seeds), settings, tuple(results),
        tuple(o["steps"] for o in outcomes), tuple(o["firm_sizes"] for o in outcomes),
    )  # fmt: skip


def validation_seeds(base_seed: int, n: int) -> list[int]:
    """The seeds of ``n`` runs, derived from the scenario's seed as sweeps derive theirs."""
    return [run_seed(base_seed, index) for index in range(n)]


def validate(
    scenario: Scenario,
    n_seeds: int = 10,
    workers: int | None = None,
    targets_path: str | None = None,
    settings: ValidationSettings | None = None,
    progress: bool = True,
) -> ValidationResult:
    """Run ``scenario`` for ``n_seeds`` seeds on the batch executor and score it.

    Args:
        scenario: the scenario; its ``run.seed`` is the master seed of the runs.
        n_seeds: number of runs.
        workers: local processes (default all cores; 1 = in this process).
        targets_path: a target table other than the one in the package.
        settings: run length and burn-in (default: the table's ``[settings]``).
        progress: show a progress bar.
    """
    targets = load_targets(targets_path)
    settings = settings or load_settings(targets_path)
    seeds = validation_seeds(scenario.run.seed, n_seeds)
    data = scenario_to_dict(scenario)
    outcomes: dict[int, dict] = {}
    with (
        tqdm(total=n_seeds, unit="seed", disable=not progress, desc="validate") as bar,
        open_executor(workers) as executor,
    ):
        futures = {
            executor.submit(measure_seed, data, seed, settings, targets_path): seed
            for seed in seeds
        }
        for future in as_completed(futures):
            outcomes[futures[future]] = future.result()
            bar.update()
    return score(targets, seeds, [outcomes[s] for s in seeds], scenario, settings)

"""Where to look next: the samplers of the calibration loop, in the unit cube.

Core objects: :func:`propose`, :func:`halton_points`.

Every sampler works on ``u ∈ [0, 1]^k`` (mapped onto the bounds by
:meth:`sim.api.ParameterSpace.from_unit`) and draws its random numbers from a
generator seeded by ``SeedSequence(seed, spawn_key=(batch, method))``, so a batch's
proposals depend only on the evaluations of earlier batches: a resumed calibration
proposes exactly the points an uninterrupted one would. The design follows black-it
(Benedetti et al. 2022, "Black-it: a ready-to-use and easy-to-extend calibration
kit for agent-based models", JOSS 7(79), 4622):

* ``halton``: the next points of one scrambled Halton sequence (Halton 1960; Owen
  2017 scrambling, scipy.stats.qmc), a space-filling design;
* ``gaussian_process``: a Gaussian-process surrogate of ``log L`` (Matérn 5/2 kernel
  plus white noise, scikit-learn), and the candidates of highest *expected
  improvement* (Jones, Schonlau and Welch 1998),
  ``EI(u) = (y* − μ(u)) Φ(z) + σ(u) φ(z)``, ``z = (y* − μ(u)) / σ(u)``,
  with ``y*`` the best log loss so far;
* ``best_batch``: Gaussian steps of s.d. ``perturbation`` around the best points so
  far (black-it's ``BestBatchSampler``), a local search.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.stats import norm, qmc

MIN_SEPARATION = 0.02
"""Smallest distance in the unit cube between two points the GP sampler proposes in
one batch (so a batch does not pile onto one optimum of the acquisition)."""


def rng_for(seed: int, batch: int, method: int) -> np.random.Generator:
    """The random stream of one method in one batch."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(batch, method)))


def halton_points(dims: int, seed: int, start: int, count: int) -> np.ndarray:
    """Points ``start .. start + count - 1`` of the scrambled Halton sequence of ``seed``."""
    sequence = qmc.Halton(dims, scramble=True, rng=np.random.default_rng(seed))
    if start:
        sequence.fast_forward(start)
    return sequence.random(count)


def _log_loss(losses: np.ndarray) -> np.ndarray:
    """``log(L + 1e-12)``; a failed or non-finite evaluation counts as one unit worse
    than the worst finite one."""
    y = np.log(np.asarray(losses, dtype=float) + 1e-12)
    finite = np.isfinite(y)
    if not finite.any():
        return np.zeros_like(y)
    y[~finite] = y[finite].max() + 1.0
    return y


def expected_improvement(mu: np.ndarray, sigma: np.ndarray, best: float) -> np.ndarray:
    """Expected improvement below ``best`` of a normal prediction (μ, σ)."""
    sigma = np.maximum(sigma, 1e-12)
    z = (best - mu) / sigma
    return (best - mu) * norm.cdf(z) + sigma * norm.pdf(z)


def gaussian_process_points(
    unit: np.ndarray, losses: np.ndarray, count: int, candidates: int, rng: np.random.Generator
) -> np.ndarray:
    """``count`` candidates of highest expected improvement, at least
    :data:`MIN_SEPARATION` apart (or the next best, if too few are)."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

    dims = unit.shape[1]
    y = _log_loss(losses)
    kernel = ConstantKernel(1.0, (1e-3, 1e3)) * Matern(
        length_scale=np.full(dims, 0.3), length_scale_bounds=(1e-2, 1e2), nu=2.5
    ) + WhiteKernel(1e-2, (1e-8, 1.0))
    surrogate = GaussianProcessRegressor(
        kernel, normalize_y=True, n_restarts_optimizer=2, random_state=int(rng.integers(2**31))
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        surrogate.fit(unit, y)
    pool = rng.random((candidates, dims))
    mu, sigma = surrogate.predict(pool, return_std=True)
    order = np.argsort(-expected_improvement(mu, sigma, y.min()), kind="stable")
    chosen: list[int] = []
    for index in order:
        if all(np.linalg.norm(pool[index] - pool[other]) >= MIN_SEPARATION for other in chosen):
            chosen.append(index)
            if len(chosen) == count:
                break
    chosen += [i for i in order if i not in chosen][: count - len(chosen)]  # crowded pool
    return pool[chosen]


def best_batch_points(
    unit: np.ndarray, losses: np.ndarray, count: int, step: float, rng: np.random.Generator
) -> np.ndarray:
    """One Gaussian step (s.d. ``step``, clipped to the cube) from each of the
    ``count`` best points (the best again if there are fewer)."""
    order = np.argsort(_log_loss(losses), kind="stable")
    centres = unit[order[np.arange(count) % len(order)]]
    return np.clip(centres + rng.normal(0.0, step, centres.shape), 0.0, 1.0)


def propose(
    method: str,
    method_index: int,
    batch: int,
    unit: np.ndarray,
    losses: np.ndarray,
    count: int,
    *,
    seed: int,
    halton_start: int,
    candidates: int,
    perturbation: float,
) -> np.ndarray:
    """``count`` new points in the unit cube from ``method``.

    Args:
        unit, losses: every point evaluated so far (rows of [0, 1]^k) and its loss.
        halton_start: Halton points used so far (the sequence continues there).
    """
    rng = rng_for(seed, batch, method_index)
    dims = unit.shape[1]
    match method:
        case "halton":
            return halton_points(dims, seed, halton_start, count)
        case "gaussian_process":
            return gaussian_process_points(unit, losses, count, candidates, rng)
        case "best_batch":
            return best_batch_points(unit, losses, count, perturbation, rng)
    raise AssertionError(method)  # unreachable: the config lists every method

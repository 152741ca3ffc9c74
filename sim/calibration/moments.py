"""Moments of a run and the method-of-simulated-moments loss.

Core objects: :func:`series_statistic`, :func:`run_moments`, :func:`msm_loss`,
:func:`check_moments`.

A moment is either a statistic of a reported series over the months after the
burn-in, or a target of the validation table measured on the run
(``sim.validation``). The loss of a parameter point θ is the method of simulated
moments (McFadden 1989; Franke and Westerhoff 2012 for agent-based models) with a
diagonal weighting matrix:

    L(θ) = (1/J) Σ_j ((m̄_j(θ) − m_j) / s_j)²,

where m̄_j(θ) is the mean of moment j over the R runs (seeds) at θ, m_j its data
value and s_j its *scale*: the half-width of the target's acceptance band, the
standard deviation of the moment across the synthetic data runs (inverse-variance
weighting), or the ``scale`` the file gives. The same R seeds are used at every θ
(common random numbers), so differences in L between points are not seed noise.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sim.calibration.config import Moment
from sim.scenario import ScenarioError

MIN_RELATIVE_SCALE = 1e-3
"""Floor of a moment's scale relative to its data value, for moments the synthetic
runs reproduce exactly (a zero s.d. would give the moment infinite weight)."""


def series_statistic(values: np.ndarray, statistic: str, lag: int = 1) -> float:
    """A statistic of one series.

    ``mean``: x̄ = (1/T) Σ x_t; ``sd``: the sample standard deviation (ddof = 1);
    ``autocorrelation``: the sample autocorrelation at lag k (Box and Jenkins),
    ρ̂_k = Σ_{t ≤ T−k} (x_t − x̄)(x_{t+k} − x̄) / Σ_t (x_t − x̄)²; NaN for a constant series.
    """
    x = np.asarray(values, dtype=float)
    match statistic:
        case "mean":
            return float(x.mean())
        case "sd":
            return float(x.std(ddof=1))
        case "autocorrelation":
            deviation = x - x.mean()
            denominator = float(deviation @ deviation)
            if denominator == 0.0:
                return float("nan")
            return float(deviation[:-lag] @ deviation[lag:]) / denominator
    raise AssertionError(statistic)  # unreachable: the config lists every statistic


def run_moments(data: dict, moments: Sequence[Moment], burn_in: int) -> list[float]:
    """Every moment of one run of the scenario ``data`` (a worker task).

    Series moments use months ``burn_in + 1 .. T``. With target moments the run is
    ``sim.validation.measures.simulate_run(scenario, T, burn_in)`` and each target is
    ``measure(target, run)`` (NaN when not measurable); series moments then read the
    same run's step frame.
    """
    from sim.scenario import build_scenario

    ids = {m.target for m in moments if m.target is not None}
    if ids:
        from sim.validation.measures import measure, simulate_run
        from sim.validation.targets import load_targets

        scenario = build_scenario(data, source="calibration run")
        run = simulate_run(scenario, scenario.run.steps, burn_in)
        table = {target.id: target for target in load_targets() if target.id in ids}
        frame = run.steps
    else:
        from sim.api import run_frame

        frame = run_frame(data)
    values: list[float] = []
    for moment in moments:
        if moment.series is not None:
            series = frame[moment.series].to_numpy(dtype=float)[burn_in + 1 :]
            values.append(series_statistic(series, moment.statistic, moment.lag))
        else:
            values.append(float(measure(table[moment.target], run)))
    return values


def check_moments(moments: Sequence[Moment], base: dict, source: str) -> None:
    """Check every series is reported and every target is in the target table.

    Raises:
        ScenarioError: naming ``source``, the moment and what is allowed.
    """

    from sim.model import EconomyModel
    from sim.scenario import build_scenario

    series = [(i, m.series) for i, m in enumerate(moments) if m.series is not None]
    if series:
        small = build_scenario(base, {"population.workers": 20, "population.firms": 20})
        columns = list(EconomyModel(config=small).results().columns)
        _require_known(
            source, "series", series, columns,
            "a reported series", "(see docs/model.md, 'Reported each step')",
        )  # fmt: skip
    targets = [(i, m.target) for i, m in enumerate(moments) if m.target is not None]
    if targets:
        from sim.validation.targets import load_targets

        ids = [target.id for target in load_targets()]
        _require_known(
            source, "target", targets, ids, "in the target table", "(see `sim validate`)"
        )


def _require_known(
    source: str,
    key: str,
    named: list[tuple[int, str]],
    known: list[str],
    what: str,
    see: str,
) -> None:
    """Stop with one message, and the closest known name, at the first ``moments[i].key``
    whose name is not among ``known``."""
    import difflib

    for index, name in named:
        if name not in known:
            guess = difflib.get_close_matches(name, known, n=1)
            hint = f"; did you mean '{guess[0]}'?" if guess else ""
            raise ScenarioError(
                f"{source}: moments[{index}].{key} = {name!r} is not {what}{hint} {see}"
            )


def target_data(moments: Sequence[Moment]) -> dict[str, tuple[float, float]]:
    """``{target id: (data value, scale)}``, the scale being the band's half-width."""
    ids = {m.target for m in moments if m.target is not None}
    if not ids:
        return {}
    from sim.validation.targets import load_targets

    table = {}
    for target in load_targets():
        if target.id in ids:
            low, high = target.band
            table[target.id] = (float(target.data), (float(high) - float(low)) / 2.0)
    return table


def default_scale(data: float, replicate_sd: float | None) -> float:
    """The scale of a series moment given no ``scale``: the s.d. of the moment across
    the synthetic data runs if known, else |data|; never below
    :data:`MIN_RELATIVE_SCALE` × |data| (and 1e-12)."""
    floor = max(MIN_RELATIVE_SCALE * abs(data), 1e-12)
    if replicate_sd is not None and np.isfinite(replicate_sd):
        return max(float(replicate_sd), floor)
    return max(abs(data), floor)


def msm_loss(simulated: np.ndarray, data: np.ndarray, scales: np.ndarray) -> float:
    """``(1/J) Σ_j ((m̄_j − m_j)/s_j)²`` with m̄_j the mean over the rows (runs) of
    ``simulated``; ``inf`` if any moment is not finite."""
    mean = np.asarray(simulated, dtype=float).mean(axis=0)
    if not np.all(np.isfinite(mean)):
        return float("inf")
    z = (mean - data) / scales
    return float(np.mean(z * z))


def msm_standard_errors(
    slopes: np.ndarray,
    covariance: np.ndarray,
    scales: np.ndarray,
    replicates: int,
    data_replicates: int | None,
) -> np.ndarray:
    """Standard errors of the MSM estimate by the delta method (the sandwich).

    With G = ∂m/∂θ (J × k, the slopes of the moments near the estimate), W =
    diag(1/(J s_j²)) the loss's weights, Σ the covariance of one run's moments and
    R (R_d) the runs averaged per point (in the data)::

        V(θ̂) = (GᵀWG)⁻¹ GᵀW Σ W G (GᵀWG)⁻¹ · (1/R + 1/R_d)

    (Gouriéroux and Monfort 1996, ch. 2; Franke and Westerhoff 2012). ``data_replicates``
    is ``None`` for data without simulation noise (then only 1/R).
    """
    g = np.asarray(slopes, dtype=float).reshape(len(scales), -1)
    weights = np.diag(1.0 / (len(scales) * np.asarray(scales, dtype=float) ** 2))
    bread = np.linalg.inv(g.T @ weights @ g)
    meat = g.T @ weights @ np.asarray(covariance, dtype=float) @ weights @ g
    noise = 1.0 / replicates + (1.0 / data_replicates if data_replicates else 0.0)
    return np.sqrt(np.diag(bread @ meat @ bread) * noise)

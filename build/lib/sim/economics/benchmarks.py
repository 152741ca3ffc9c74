"""Closed-form textbook results the simulation must reproduce in its frictionless limit.

Core objects: :func:`hicks_marshall_elasticity`, :func:`jevons_condition_holds`,
:func:`baumol_relative_price_growth`, :func:`ngai_pissarides_employment_drift`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def hicks_marshall_elasticity(
    compute_share: ArrayLike, sigma: ArrayLike, output_elasticity: ArrayLike
) -> NDArray[np.float64]:
    """Own-price elasticity of derived demand for compute (Hicks 1932, Allen 1938).

    ``eps_CC = -[(1 - s_C) sigma + s_C eta]`` for a competitive constant-returns industry
    whose other input is in perfectly elastic supply; ``eta`` is the (positive) price
    elasticity of demand for the industry's output.
    """
    s = np.asarray(compute_share, dtype=float)
    return -((1.0 - s) * np.asarray(sigma, float) + s * np.asarray(output_elasticity, float))


def jevons_condition_holds(
    compute_share: ArrayLike, sigma: ArrayLike, output_elasticity: ArrayLike
) -> NDArray[np.bool_]:
    """True where spending on compute rises as its price falls: ``|eps_CC| > 1``."""
    return -hicks_marshall_elasticity(compute_share, sigma, output_elasticity) > 1.0


def baumol_relative_price_growth(
    progressive_growth: ArrayLike, stagnant_growth: ArrayLike
) -> NDArray[np.float64]:
    """Growth rate of the stagnant sector's relative price under uniform wages
    (Baumol 1967): the productivity-growth gap ``g_p - g_s`` (log points per period)."""
    return np.asarray(progressive_growth, float) - np.asarray(stagnant_growth, float)


def ngai_pissarides_employment_drift(
    consumer_elasticity: ArrayLike, growth_i: ArrayLike, growth_j: ArrayLike
) -> NDArray[np.float64]:
    """``d ln(n_i / n_j) / dt = (1 - eps)(gamma_j - gamma_i)`` (Ngai & Pissarides 2007)."""
    return (1.0 - np.asarray(consumer_elasticity, float)) * (
        np.asarray(growth_j, float) - np.asarray(growth_i, float)
    )

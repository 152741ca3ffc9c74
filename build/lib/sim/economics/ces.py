r"""Normalised CES technology in labour and AI compute.

Core objects: :func:`ces_output`, :func:`unit_cost`, :func:`compute_cost_share`,
:func:`input_demand`.

A sector's technology (de La Grandville 1989; Klump, McAdam & Willman 2012) is

.. math::  Y = A\,[(1-s_0)\,L^{\rho} + s_0\,x^{\rho}]^{1/\rho},\qquad \rho = (\sigma-1)/\sigma,

where ``L`` is labour in efficiency units (worker-months), ``x`` is compute in *base
units* (the tokens one efficiency unit of labour was combined with at step 0, so
``x = L`` at the base point), ``s_0`` is AI's cost share at the base prices and
``sigma`` the elasticity of substitution. This is the issue's
``Y = A[(1-a)L^rho + a(phi C)^rho]^(1/rho)`` with ``a = s_0`` and ``phi = 1/c_0``,
``c_0`` the base tokens per efficiency unit. ``sigma = 1`` is the Cobb-Douglas limit.

The dual unit cost at wage ``w`` (dollars per efficiency unit) and compute price ``q``
(dollars per base unit) is

.. math::  c = \frac{1}{A}\,[(1-s_0)^{\sigma} w^{1-\sigma}
               + s_0^{\sigma} q^{1-\sigma}]^{1/(1-\sigma)}.

All functions broadcast over numpy arrays (one entry per firm).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

COBB_DOUGLAS_TOLERANCE = 1e-6
"""|sigma - 1| below which the Cobb-Douglas limit formulas are used."""


def _is_cobb_douglas(sigma: NDArray) -> NDArray[np.bool_]:
    return np.abs(sigma - 1.0) < COBB_DOUGLAS_TOLERANCE


def ces_output(
    labour: ArrayLike,
    compute: ArrayLike,
    productivity: ArrayLike,
    ai_share: ArrayLike,
    sigma: ArrayLike,
) -> NDArray[np.float64]:
    """Output ``Y`` (sector units a month) from labour and compute.

    Args:
        labour: efficiency units of labour (>= 0).
        compute: base units of compute (>= 0).
        productivity: Hicks-neutral productivity ``A`` (units per efficiency unit at base).
        ai_share: base AI cost share ``s_0`` in (0, 1).
        sigma: elasticity of substitution (> 0).
    """
    labour, compute, productivity, ai_share, sigma = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (labour, compute, productivity, ai_share, sigma))
    )
    cobb = _is_cobb_douglas(sigma)
    rho = np.where(cobb, 1.0, (sigma - 1.0) / np.where(cobb, 2.0, sigma))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        inner = (1.0 - ai_share) * labour**rho + ai_share * compute**rho
        ces = inner ** (1.0 / rho)
        cd = labour ** (1.0 - ai_share) * compute**ai_share
    out = productivity * np.where(cobb, cd, ces)
    # With complements (rho < 0) a zero input means zero output; 0**negative gives inf.
    zero_input = (labour <= 0.0) | (compute <= 0.0)
    out = np.where(zero_input & ((rho < 0) | cobb), 0.0, out)
    return np.nan_to_num(out, nan=0.0, posinf=0.0)


def unit_cost(
    wage: ArrayLike,
    compute_price: ArrayLike,
    productivity: ArrayLike,
    ai_share: ArrayLike,
    sigma: ArrayLike,
) -> NDArray[np.float64]:
    """Least cost of one unit of output, dollars per unit.

    Args:
        wage: dollars per efficiency unit of labour a month (> 0).
        compute_price: dollars per base unit of compute (> 0).
        productivity, ai_share, sigma: as in :func:`ces_output`.
    """
    wage, compute_price, productivity, ai_share, sigma = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (wage, compute_price, productivity, ai_share, sigma))
    )
    cobb = _is_cobb_douglas(sigma)
    one_minus = np.where(cobb, 1.0, 1.0 - sigma)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        inner = (
            1.0 - ai_share
        ) ** sigma * wage**one_minus + ai_share**sigma * compute_price**one_minus
        ces = inner ** (1.0 / one_minus)
        cd = (wage / (1.0 - ai_share)) ** (1.0 - ai_share) * (compute_price / ai_share) ** ai_share
    return np.where(cobb, cd, ces) / productivity


def compute_cost_share(
    wage: ArrayLike, compute_price: ArrayLike, ai_share: ArrayLike, sigma: ArrayLike
) -> NDArray[np.float64]:
    r"""Compute's share of cost at the cost-minimising input mix.

    .. math:: s_C = s_0^{\sigma} q^{1-\sigma} /
              [(1-s_0)^{\sigma} w^{1-\sigma} + s_0^{\sigma} q^{1-\sigma}]

    It rises as compute gets cheaper exactly when ``sigma > 1``:
    ``d ln s_C / d ln q = (1 - sigma)(1 - s_C)``.
    """
    wage, compute_price, ai_share, sigma = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (wage, compute_price, ai_share, sigma))
    )
    # Written as a logistic in the log price ratio so it never overflows.
    log_odds = sigma * (np.log(ai_share) - np.log1p(-ai_share)) + (1.0 - sigma) * (
        np.log(compute_price) - np.log(wage)
    )
    return 1.0 / (1.0 + np.exp(-np.clip(log_odds, -700.0, 700.0)))


def input_demand(
    output: ArrayLike,
    wage: ArrayLike,
    compute_price: ArrayLike,
    productivity: ArrayLike,
    ai_share: ArrayLike,
    sigma: ArrayLike,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Cost-minimising labour and compute for a given output (Shephard's lemma).

    ``L = Y c (1 - s_C) / w`` and ``x = Y c s_C / q``: each input's bill is its cost
    share of total cost ``Y c``.

    Returns:
        (labour in efficiency units, compute in base units).
    """
    cost = np.asarray(output, dtype=float) * unit_cost(
        wage, compute_price, productivity, ai_share, sigma
    )
    share = compute_cost_share(wage, compute_price, ai_share, sigma)
    return cost * (1.0 - share) / np.asarray(wage, float), cost * share / np.asarray(
        compute_price, float
    )

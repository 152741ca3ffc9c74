r"""Normalised CES technology in labour and AI compute.

Core objects: :func:`ces_output`, :func:`unit_cost`, :func:`compute_cost_share`,
:func:`input_demand`, :func:`exposed_labour_fraction`.

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

**Exposed and unexposed tasks** (optional; ``exposure = 1`` is the single CES above).
Only a share ``x`` (``exposure``) of a sector's human tasks (by step-0 cost) can be done
with AI at all (Eloundou et al. 2023). Within them AI and labour substitute with
``sigma``; the exposed bundle ``X`` and the unexposed labour ``L_U`` combine with the task
elasticity ``rho`` (``task_sigma``):

.. math::  Y = A\,[(1-\theta)(L_U/u)^{r} + \theta X^{r}]^{1/r},\qquad
           X = [(1-s_I)(L_E/e)^{\rho_I} + s_I x^{\rho_I}]^{1/\rho_I},

with ``r = (rho - 1)/rho``, ``theta = s_0 + x (1 - s_0)`` the exposed tasks' share of
step-0 cost, ``s_I = s_0/theta`` AI's share inside them, and ``u = 1 - x``, ``e = x`` the
step-0 shares of labour in unexposed and exposed tasks, so that at the base point
(``L = x``) output is ``A L`` and cost shares are ``s_0`` and ``1 - s_0`` as in the single
CES. The dual is the single-CES dual nested twice:
``c = C(w u, C(w e, q; s_I, sigma); theta, rho) / A``. With ``rho < 1`` unexposed work
stays essential however cheap AI gets, so labour per unit of output has a positive
floor. Labour is one input: production splits it between the two kinds of task (as
planned, or to maximise output).

All functions broadcast over numpy arrays (one entry per firm).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

COBB_DOUGLAS_TOLERANCE = 1e-6
"""|sigma - 1| below which the Cobb-Douglas limit formulas are used."""


SPLIT_ITERATIONS = 50
"""Bisection steps for the output-maximising split of labour between task kinds."""


def _is_cobb_douglas(sigma: NDArray) -> NDArray[np.bool_]:
    return np.abs(sigma - 1.0) < COBB_DOUGLAS_TOLERANCE


def _arrays(*values: ArrayLike) -> list[NDArray[np.float64]]:
    return list(np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in values)))


def _nest(ai_share: NDArray, exposure: NDArray) -> tuple[NDArray, NDArray, NDArray, NDArray]:
    """The exposed tasks' share of step-0 cost ``theta = s_0 + x (1 - s_0)``, AI's share
    inside them ``s_I = s_0 / theta`` and the step-0 shares of labour in unexposed and
    exposed tasks, ``u = 1 - x`` and ``e = x``."""
    bundle_weight = ai_share + exposure * (1.0 - ai_share)
    return bundle_weight, ai_share / bundle_weight, 1.0 - exposure, exposure


def _single_output(
    labour: NDArray, compute: NDArray, productivity: NDArray, ai_share: NDArray, sigma: NDArray
) -> NDArray[np.float64]:
    cobb = _is_cobb_douglas(sigma)
    rho = np.where(cobb, 1.0, (sigma - 1.0) / sigma)
    # Degree-one homogeneity, Y(L, x) = m Y(L/m, x/m): scaling by the smaller input
    # (rho < 0) or the larger (rho > 0) keeps every ratio**rho within [0, 1] and one of
    # them 1, so the bracket can neither underflow to 0 nor overflow for any size.
    scale = np.where(rho < 0, np.minimum(labour, compute), np.maximum(labour, compute))
    scale = np.where(scale > 0.0, scale, 1.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        inner = (1.0 - ai_share) * (labour / scale) ** rho + ai_share * (compute / scale) ** rho
        ces = scale * inner ** (1.0 / rho)
        cd = labour ** (1.0 - ai_share) * compute**ai_share
    out = productivity * np.where(cobb, cd, ces)
    # With complements (rho < 0) a zero input means zero output; 0**negative gives inf.
    zero_input = (labour <= 0.0) | (compute <= 0.0)
    out = np.where(zero_input & ((rho < 0) | cobb), 0.0, out)
    return np.nan_to_num(out, nan=0.0, posinf=0.0)


def _single_unit_cost(
    wage: NDArray, compute_price: NDArray, productivity: NDArray, ai_share: NDArray,
    sigma: NDArray,
) -> NDArray[np.float64]:  # fmt: skip
    cobb = _is_cobb_douglas(sigma)
    one_minus = np.where(cobb, 1.0, 1.0 - sigma)
    # Each formula is evaluated only if some element uses it (0.0 stands in otherwise).
    ces = cd = 0.0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if not cobb.all():
            inner = (
                1.0 - ai_share
            ) ** sigma * wage**one_minus + ai_share**sigma * compute_price**one_minus
            ces = inner ** (1.0 / one_minus)
        if cobb.any():
            cd = (wage / (1.0 - ai_share)) ** (1.0 - ai_share) * (
                compute_price / ai_share
            ) ** ai_share
    return np.where(cobb, cd, ces) / productivity


def _single_share(
    wage: NDArray, compute_price: NDArray, ai_share: NDArray, sigma: NDArray
) -> NDArray[np.float64]:
    # Written as a logistic in the log price ratio so it never overflows.
    with np.errstate(divide="ignore", invalid="ignore"):
        log_odds = sigma * (np.log(ai_share) - np.log1p(-ai_share)) + (1.0 - sigma) * (
            np.log(compute_price) - np.log(wage)
        )
    return 1.0 / (1.0 + np.exp(-np.clip(log_odds, -700.0, 700.0)))


def ces_output(
    labour: ArrayLike,
    compute: ArrayLike,
    productivity: ArrayLike,
    ai_share: ArrayLike,
    sigma: ArrayLike,
    exposure: ArrayLike = 1.0,
    task_sigma: ArrayLike = 0.5,
    exposed_fraction: ArrayLike | None = None,
) -> NDArray[np.float64]:
    """Output ``Y`` (sector units a month) from labour and compute.

    Args:
        labour: efficiency units of labour (>= 0).
        compute: base units of compute (>= 0).
        productivity: Hicks-neutral productivity ``A`` (units per efficiency unit at base).
        ai_share: base AI cost share ``s_0`` in (0, 1).
        sigma: elasticity of substitution between AI and labour in exposed tasks (> 0).
        exposure: share ``x`` of human tasks (by step-0 cost) AI can do, in (0, 1];
            1 = the single CES.
        task_sigma: elasticity ``rho`` between exposed and unexposed tasks (> 0).
        exposed_fraction: share of labour working in exposed tasks; ``None`` = the split
            that maximises output (found by bisection; the model passes the split of the
            firm's cost-minimising plan, :func:`exposed_labour_fraction`).
    """
    labour, compute, productivity, ai_share, sigma, exposure, task_sigma = _arrays(
        labour, compute, productivity, ai_share, sigma, exposure, task_sigma
    )
    nested = exposure < 1.0
    if not nested.any():
        return _single_output(labour, compute, productivity, ai_share, sigma)
    bundle_weight, inner_share, unexposed, exposed = _nest(ai_share, exposure)
    one = np.ones_like(labour)

    def output(exposed_fraction: NDArray) -> NDArray:
        bundle = _single_output(
            labour * exposed_fraction / np.where(nested, exposed, 1.0), compute, one,
            inner_share, sigma,
        )  # fmt: skip
        return _single_output(
            labour * (1.0 - exposed_fraction) / np.where(nested, unexposed, 1.0), bundle,
            productivity, bundle_weight, task_sigma,
        )  # fmt: skip

    if exposed_fraction is not None:
        split = output(np.broadcast_to(np.asarray(exposed_fraction, dtype=float), labour.shape))
        return np.where(
            nested, split, _single_output(labour, compute, productivity, ai_share, sigma)
        )
    # Output is concave in the exposed fraction f of labour: bisect on its slope.
    low, high = np.zeros_like(labour), np.ones_like(labour)
    step = 1e-7
    for _ in range(SPLIT_ITERATIONS):
        middle = 0.5 * (low + high)
        rising = output(np.minimum(middle + step, 1.0)) >= output(np.maximum(middle - step, 0.0))
        low = np.where(rising, middle, low)
        high = np.where(rising, high, middle)
    best = output(0.5 * (low + high))
    return np.where(nested, best, _single_output(labour, compute, productivity, ai_share, sigma))


def unit_cost(
    wage: ArrayLike,
    compute_price: ArrayLike,
    productivity: ArrayLike,
    ai_share: ArrayLike,
    sigma: ArrayLike,
    exposure: ArrayLike = 1.0,
    task_sigma: ArrayLike = 0.5,
) -> NDArray[np.float64]:
    """Least cost of one unit of output, dollars per unit.

    Args:
        wage: dollars per efficiency unit of labour a month (> 0).
        compute_price: dollars per base unit of compute (> 0).
        productivity, ai_share, sigma, exposure, task_sigma: as in :func:`ces_output`.
    """
    wage, compute_price, productivity, ai_share, sigma, exposure, task_sigma = _arrays(
        wage, compute_price, productivity, ai_share, sigma, exposure, task_sigma
    )
    nested = exposure < 1.0
    if not nested.any():
        return _single_unit_cost(wage, compute_price, productivity, ai_share, sigma)
    bundle_weight, inner_share, unexposed, exposed = _nest(ai_share, exposure)
    one = np.ones_like(wage)
    bundle = _single_unit_cost(wage * exposed, compute_price, one, inner_share, sigma)
    nested_cost = _single_unit_cost(
        wage * np.where(nested, unexposed, 1.0), bundle, productivity, bundle_weight, task_sigma
    )
    if nested.all():  # no firm uses the single-nest cost
        return nested_cost
    return np.where(
        nested, nested_cost, _single_unit_cost(wage, compute_price, productivity, ai_share, sigma)
    )


def compute_cost_share(
    wage: ArrayLike,
    compute_price: ArrayLike,
    ai_share: ArrayLike,
    sigma: ArrayLike,
    exposure: ArrayLike = 1.0,
    task_sigma: ArrayLike = 0.5,
) -> NDArray[np.float64]:
    r"""Compute's share of cost at the cost-minimising input mix.

    Single CES: :math:`s_C = s_0^{\sigma} q^{1-\sigma} /
    [(1-s_0)^{\sigma} w^{1-\sigma} + s_0^{\sigma} q^{1-\sigma}]`, which rises as compute
    gets cheaper exactly when ``sigma > 1``: ``d ln s_C / d ln q = (1 - sigma)(1 - s_C)``.
    Nested: the exposed bundle's share of cost times AI's share inside it.
    """
    wage, compute_price, ai_share, sigma, exposure, task_sigma = _arrays(
        wage, compute_price, ai_share, sigma, exposure, task_sigma
    )
    nested = exposure < 1.0
    if not nested.any():
        return _single_share(wage, compute_price, ai_share, sigma)
    bundle_weight, inner_share, unexposed, exposed = _nest(ai_share, exposure)
    one = np.ones_like(wage)
    bundle = _single_unit_cost(wage * exposed, compute_price, one, inner_share, sigma)
    bundle_share = _single_share(
        wage * np.where(nested, unexposed, 1.0), bundle, bundle_weight, task_sigma
    )
    inside = _single_share(wage * exposed, compute_price, inner_share, sigma)
    return np.where(
        nested, bundle_share * inside, _single_share(wage, compute_price, ai_share, sigma)
    )


def exposed_labour_fraction(
    wage: ArrayLike,
    compute_price: ArrayLike,
    ai_share: ArrayLike,
    sigma: ArrayLike,
    exposure: ArrayLike = 1.0,
    task_sigma: ArrayLike = 0.5,
) -> NDArray[np.float64]:
    """Share of labour in exposed tasks at the cost-minimising mix:
    ``S_X (1 - S_I) / (S_X (1 - S_I) + 1 - S_X)``, ``S_X`` the exposed bundle's cost share
    and ``S_I`` AI's share inside it (1 for the single CES)."""
    wage, compute_price, ai_share, sigma, exposure, task_sigma = _arrays(
        wage, compute_price, ai_share, sigma, exposure, task_sigma
    )
    nested = exposure < 1.0
    bundle_weight, inner_share, unexposed, exposed = _nest(ai_share, exposure)
    bundle = _single_unit_cost(wage * exposed, compute_price, np.ones_like(wage), inner_share,
                               sigma)  # fmt: skip
    bundle_share = _single_share(
        wage * np.where(nested, unexposed, 1.0), bundle, bundle_weight, task_sigma
    )
    exposed_labour = bundle_share * (1.0 - _single_share(wage * exposed, compute_price,
                                                         inner_share, sigma))  # fmt: skip
    with np.errstate(divide="ignore", invalid="ignore"):
        fraction = exposed_labour / (exposed_labour + (1.0 - bundle_share))
    # 0/0 only when AI's share inside the bundle and the bundle's share both round to 1:
    # along S_I -> 1 exposed labour is 0 for any S_X < 1, so labour works unexposed tasks.
    return np.where(nested, np.where(np.isfinite(fraction), fraction, 0.0), 1.0)


def input_demand(
    output: ArrayLike,
    wage: ArrayLike,
    compute_price: ArrayLike,
    productivity: ArrayLike,
    ai_share: ArrayLike,
    sigma: ArrayLike,
    exposure: ArrayLike = 1.0,
    task_sigma: ArrayLike = 0.5,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Cost-minimising labour and compute for a given output (Shephard's lemma).

    ``L = Y c (1 - s_C) / w`` and ``x = Y c s_C / q``: each input's bill is its cost
    share of total cost ``Y c``.

    Returns:
        (labour in efficiency units, compute in base units).
    """
    cost = np.asarray(output, dtype=float) * unit_cost(
        wage, compute_price, productivity, ai_share, sigma, exposure, task_sigma
    )
    share = compute_cost_share(wage, compute_price, ai_share, sigma, exposure, task_sigma)
    return cost * (1.0 - share) / np.asarray(wage, float), cost * share / np.asarray(
        compute_price, float
    )

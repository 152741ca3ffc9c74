"""Chained price indices from sector prices and spending shares.

Core objects: :func:`laspeyres_link`, :func:`paasche_link`, :func:`fisher_link`,
:func:`tornqvist_link`.

Each function returns one month's link ``P_t / P_{t-1}`` from last month's and this
month's prices ``p`` and expenditure shares ``s`` (shares sum to 1). A chained index
multiplies the links. The Fisher and Törnqvist indices are *superlative* (Diewert
1976): exact for a flexible (quadratic) aggregator, so they use both months' baskets
and, unlike a chained Laspeyres index, do not overstate inflation when buyers
substitute towards goods that got relatively cheaper (the substitution bias the
Boskin Commission, 1996, measured for the US CPI). The BLS publishes a chained
Törnqvist index as the C-CPI-U (Cage, Greenlees and Jackman 2003).
"""

from __future__ import annotations

import numpy as np


def laspeyres_link(
    previous_price: np.ndarray, price: np.ndarray, previous_share: np.ndarray
) -> float:
    """Laspeyres link on last month's basket: ``sum_i s_i(t-1) p_i(t) / p_i(t-1)``."""
    return float(previous_share @ (price / previous_price))


def paasche_link(previous_price: np.ndarray, price: np.ndarray, share: np.ndarray) -> float:
    """Paasche link on this month's basket: ``1 / sum_i s_i(t) p_i(t-1) / p_i(t)``."""
    return float(1.0 / (share @ (previous_price / price)))


def fisher_link(
    previous_price: np.ndarray,
    price: np.ndarray,
    previous_share: np.ndarray,
    share: np.ndarray,
) -> float:
    """Fisher ideal link: the geometric mean of the Laspeyres and Paasche links,
    ``sqrt(L_t P_t)``."""
    return float(
        np.sqrt(
            laspeyres_link(previous_price, price, previous_share)
            * paasche_link(previous_price, price, share)
        )
    )


def tornqvist_link(
    previous_price: np.ndarray,
    price: np.ndarray,
    previous_share: np.ndarray,
    share: np.ndarray,
) -> float:
    """Törnqvist link: ``exp(sum_i (s_i(t-1) + s_i(t)) / 2 * ln(p_i(t) / p_i(t-1)))``."""
    weight = 0.5 * (previous_share + share)
    return float(np.exp(weight @ (np.log(price) - np.log(previous_price))))

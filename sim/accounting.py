"""Money: every payment is a transfer between balances; only the issuer creates money.

Core objects: :func:`transfer`, :func:`distribute`, :class:`MoneyCheck`.

Balances live on the populations (``households.cash``, ``firms.cash``,
``providers.cash``) and on the model's ``upstream`` account (energy and chip
suppliers). Each step the sum of all balances may change only by what the issuer
created that step; :class:`MoneyCheck` verifies it to a relative 1e-9.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray


def transfer(
    payer_cash: NDArray[np.float64],
    payer: NDArray[np.integer] | None,
    payee_cash: NDArray[np.float64],
    payee: NDArray[np.integer] | None,
    amount: NDArray[np.float64],
) -> float:
    """Move ``amount[k]`` from ``payer_cash[payer[k]]`` to ``payee_cash[payee[k]]`` for all k.

    ``payer``/``payee`` of ``None`` means the k-th balance itself (amount has the
    balance's length). Returns the total moved, in dollars.
    """
    if payer is None:
        payer_cash -= amount
    else:
        payer_cash -= np.bincount(payer, weights=amount, minlength=payer_cash.size)
    if payee is None:
        payee_cash += amount
    else:
        payee_cash += np.bincount(payee, weights=amount, minlength=payee_cash.size)
    return float(amount.sum())


def distribute(total: float, weights: NDArray[np.float64], payee_cash: NDArray[np.float64]) -> None:
    """Pay ``total`` dollars out in proportion to ``weights`` (which sum to 1)."""
    payee_cash += total * weights


class MoneyCheck:
    """Stock-flow check: money now = money before + money issued, to ``tolerance``."""

    def __init__(self, balances: Iterable[NDArray[np.float64]], tolerance: float = 1e-9) -> None:
        self.tolerance = tolerance
        self.expected = self.total(balances)

    @staticmethod
    def total(balances: Iterable[NDArray[np.float64]]) -> float:
        """Sum of all balances, dollars."""
        return float(sum(np.sum(b) for b in balances))

    def verify(self, balances: Iterable[NDArray[np.float64]], issued: float) -> float:
        """Add ``issued`` to the expected stock and compare; returns the relative error.

        Raises:
            AssertionError: if the relative error exceeds the tolerance, or is not a
                number (a NaN or infinite balance never passes).
        """
        self.expected += issued
        actual = self.total(balances)
        error = abs(actual - self.expected) / max(abs(self.expected), 1.0)
        if not error <= self.tolerance:  # NaN compares false: it must fail, not pass
            raise AssertionError(
                f"money not conserved: {actual:.6f} held vs {self.expected:.6f} expected "
                f"(relative error {error:.2e})"
            )
        self.expected = actual
        return error

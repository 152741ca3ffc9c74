"""Households: income, savings, the buffer-stock consumption rule and CES demand.

Core object: :class:`Households`.
"""

from __future__ import annotations

import numba
import numpy as np

from sim.agents.base import Population


class Households(Population):
    """All households as arrays.

    Fields:
        cash: money balance, dollars.
        income: last month's income (wages, dividends and transfers), dollars.
        permanent_income: smoothed income the household expects, dollars a month.
        equity: share of all firms, providers and suppliers the household owns (sums to 1).
        spending: last month's consumption spending, dollars.
        loyal: the firm it shops at first, one per sector (shape households x sectors).
    """

    kind = "household"
    fields = ("cash", "income", "permanent_income", "equity", "spending", "loyal")

    def __init__(self, equity: np.ndarray, loyal: np.ndarray) -> None:
        n = equity.size
        self.cash = np.zeros(n)
        self.income = np.zeros(n)
        self.permanent_income = np.zeros(n)
        self.equity = equity
        self.spending = np.zeros(n)
        self.loyal = np.ascontiguousarray(loyal, dtype=np.int32)

    def plan_spending(
        self, smoothing: float, buffer_months: float, spend_excess: float
    ) -> np.ndarray:
        """Update expected income adaptively, ``y_e <- y_e + lambda (y - y_e)``, and
        return this month's budget by the buffer-stock rule (Carroll 1997, in its
        simplest linear form): expected income plus a share of savings above the target
        ``buffer_months * y_e``, never less than 0 nor more than cash. Dollars."""
        return _plan_spending(
            self.income, self.permanent_income, self.cash, smoothing, buffer_months, spend_excess
        )

    @staticmethod
    def sector_shares(prices: np.ndarray, weights: np.ndarray, elasticity: float) -> np.ndarray:
        """CES expenditure shares ``e_s = w_s^eps P_s^(1-eps) / sum_r w_r^eps P_r^(1-eps)``,
        where ``w_s^eps`` is normalised to the step-0 spending share (prices are 1 at step 0)."""
        log_terms = np.log(weights) + (1.0 - elasticity) * np.log(prices)
        terms = np.exp(log_terms - log_terms.max())
        return terms / terms.sum()


@numba.njit(cache=True, nogil=True)
def _plan_spending(income, permanent, cash, smoothing, buffer_months, spend_excess):
    budget = np.empty(income.size)
    for h in range(income.size):
        permanent[h] += smoothing * (income[h] - permanent[h])
        desired = permanent[h] + spend_excess * (cash[h] - buffer_months * permanent[h])
        budget[h] = min(max(desired, 0.0), max(cash[h], 0.0))
    return budget

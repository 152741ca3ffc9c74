"""The government: taxes, transfers and a training subsidy, with a budget that balances.

Core object: :class:`Government`.

The government holds one money account. It collects a specific tax on every
million tokens bought, a tax on positive profits (firms, AI providers) and on the
chip-and-energy suppliers' income, pays training stipends to workers who move
sector and unemployment benefits, and each month returns to households as transfers
this month's tax revenue and ``1/H`` of the balance it carried into the month, ``H`` =
``policy.budget_horizon_months`` (a negative amount is raised from households in
proportion to their money). Taxes are recycled at once, and benefits and stipends are
paid from the account and worked off over ``H`` months: its budget balances over time,
and benefits act as an automatic stabiliser. Every flow is a transfer between accounts:
no money is created.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sim.accounting import proportional_levy, transfer
from sim.scenario.schema import PolicyConfig


class Government:
    """The government's account and this month's flows, dollars.

    Attributes:
        cash: the government's balance (a one-element array, for :func:`transfer`).
        revenue: taxes collected this month.
        compute_tax_revenue: the part of ``revenue`` from the compute tax.
        spending: transfers, stipends and benefits paid this month (net of any deficit
            levy).
        benefits: the part of ``spending`` paid as unemployment benefits.
        carried: the balance at the start of this month, dollars.
        outlays: stipends and benefits paid this month, dollars.
    """

    def __init__(self, policy: PolicyConfig) -> None:
        self.policy = policy
        self.cash = np.zeros(1)
        self.revenue = 0.0
        self.compute_tax_revenue = 0.0
        self.spending = 0.0
        self.benefits = 0.0
        self.carried = 0.0
        self.outlays = 0.0

    def start_month(self) -> None:
        """Reset this month's flows and record the balance carried into the month."""
        self.revenue = self.compute_tax_revenue = self.spending = self.benefits = 0.0
        self.outlays = 0.0
        self.carried = float(self.cash[0])

    def collect(self, payer_cash: np.ndarray, amount: np.ndarray) -> float:
        """Tax ``amount[k]`` from ``payer_cash[k]``; returns the total, dollars."""
        total = transfer(payer_cash, None, self.cash, 0, amount)
        self.revenue += total
        return total

    def collect_compute_tax(self, firm_cash: np.ndarray, tokens: np.ndarray) -> np.ndarray:
        """The compute tax on each firm's tokens (millions); returns each firm's tax."""
        tax = tokens * self.policy.compute_tax
        self.compute_tax_revenue += self.collect(firm_cash, tax)
        return tax

    def collect_profit_tax(self, cash: np.ndarray, profit: np.ndarray) -> None:
        """The profit tax on positive profits, as far as cash allows."""
        rate = self.policy.profit_tax
        if rate > 0.0:
            self.collect(cash, np.minimum(rate * np.maximum(profit, 0.0), np.maximum(cash, 0.0)))

    def pay_stipends(
        self, household_cash: np.ndarray, household: np.ndarray, amount: np.ndarray
    ) -> np.ndarray:
        """Training stipends ``amount[k]`` to ``household[k]``; returns them by household."""
        paid = np.bincount(household, weights=amount, minlength=household_cash.size)
        transfer(self.cash, 0, household_cash, None, paid)
        self.spending += float(amount.sum())
        self.outlays += float(amount.sum())
        return paid

    def pay_benefits(
        self, household_cash: np.ndarray, household: np.ndarray, amount: np.ndarray
    ) -> np.ndarray:
        """Unemployment benefits ``amount[k]`` to ``household[k]``; returns them by
        household (a deficit is raised later by :meth:`balance_budget`)."""
        paid = self.pay_stipends(household_cash, household, amount)
        self.benefits = float(amount.sum())
        return paid

    def balance_budget(
        self, household_cash: np.ndarray, recipients: Callable[[], np.ndarray]
    ) -> np.ndarray | float:
        """Pay out this month's tax revenue and ``1/H`` of the balance carried into the
        month, ``T_t + G_0 / H`` with ``G_0`` = :attr:`carried`, as transfers in
        proportion to ``recipients()`` (a weight per household, asked for only when
        there is something to pay), or, when that is negative, raise it from households
        in proportion to their positive money. Returns the net amount each household
        got (0.0 when nothing moved)."""
        # The account is to end the month at (1 - 1/H) G_0 less this month's outlays;
        # what it holds above that, T_t + G_0 / H less any transfers already made this
        # month, is paid out.
        target = self.carried * (1.0 - 1.0 / self.policy.budget_horizon_months) - self.outlays
        amount = float(self.cash[0]) - target
        if amount == 0.0:
            return 0.0
        if amount > 0.0:
            weight = recipients()
            if not weight.sum() > 0:
                return 0.0
            received = amount * (weight / weight.sum())
        else:
            held = float(np.maximum(household_cash, 0.0).sum())
            if not held > 0:
                return 0.0
            # Guard: a levy never exceeds the money households hold (no negative balance;
            # the rest of the deficit is raised in later months).
            amount = max(amount, -held)
            received = proportional_levy(amount, household_cash)
        household_cash += received
        self.cash[0] -= float(received.sum())
        self.spending += amount
        return received

"""Money: every payment is a transfer between balances; only the issuer creates money.

Core objects: :func:`transfer`, :func:`distribute`, :class:`MoneyCheck`.

Balances live on the populations (``households.cash``, ``firms.cash``,
``providers.cash``) and on the model's ``upstream`` account (energy and chip
suppliers). Each step the sum of all balances may change only by what the issuer
created that step; :class:`MoneyCheck` verifies it to a relative 1e-9.
"""

from __future__ import annotations

from collections.abc import Iterable

import numba
import numpy as np
from numpy.typing import NDArray


def transfer(
    payer_cash: NDArray[np.float64],
    payer: NDArray[np.integer] | int | None,
    payee_cash: NDArray[np.float64],
    payee: NDArray[np.integer] | int | None,
    amount: NDArray[np.float64],
) -> float:
    """Move ``amount[k]`` from ``payer_cash[payer[k]]`` to ``payee_cash[payee[k]]`` for all k.

    ``payer``/``payee`` of ``None`` means the k-th balance itself (amount has the
    balance's length); an integer means that one balance pays (receives) every
    amount, added up one after another. Returns the total moved, in dollars.
    """
    if payer is None:
        payer_cash -= amount
    elif isinstance(payer, int):
        payer_cash[payer] -= running_total(amount)
    else:
        payer_cash -= np.bincount(payer, weights=amount, minlength=payer_cash.size)
    if payee is None:
        payee_cash += amount
    elif isinstance(payee, int):
        payee_cash[payee] += running_total(amount)
    else:
        payee_cash += np.bincount(payee, weights=amount, minlength=payee_cash.size)
    return float(amount.sum())


@numba.njit(cache=True, nogil=True)
def running_total(amount):
    """``((amount[0] + amount[1]) + amount[2]) + ...``: added in order, as ``np.bincount``
    adds what goes into one bin (``np.sum`` adds pairwise, with other rounding)."""
    total = 0.0
    for value in amount:
        total += value
    return total


def distribute(total: float, weights: NDArray[np.float64], payee_cash: NDArray[np.float64]) -> None:
    """Pay ``total`` dollars out in proportion to ``weights`` (which sum to 1)."""
    payee_cash += total * weights


def proportional_levy(amount: float, household_cash: NDArray[np.float64]) -> NDArray[np.float64]:
    """What each household pays towards a levy of ``-amount`` dollars (``amount`` < 0),
    in proportion to its positive money and never more than households hold in all:
    ``amount_h = max(amount, -sum_j M_j^+) M_h^+ / sum_j M_j^+`` (all zeros if no one
    holds money). Returns the (non-positive) amounts; the caller moves them."""
    holdings = np.maximum(household_cash, 0.0)
    total = float(holdings.sum())
    if total <= 0.0:
        return np.zeros_like(holdings)
    return max(amount, -total) * (holdings / total)


def raise_from_owners(need: float, household_cash: np.ndarray, equity: np.ndarray) -> float:
    """Owners put in new equity (a provider short of cash, an entering firm): each
    household pays ``min(max(m_h, 0), omega_h need)``. Returns the dollars raised (at
    most ``need``)."""
    contribution = np.maximum(household_cash, 0.0)
    np.minimum(contribution, need * equity, out=contribution)  # in place: one array fewer
    household_cash -= contribution
    return float(contribution.sum())


class MoneyCheck:
    """Stock-flow check: money now = money before + money issued, to ``tolerance``."""

    def __init__(self, balances: Iterable[NDArray[np.float64]], tolerance: float = 1e-9) -> None:
        self.tolerance = tolerance
        self.expected = self.total(balances)

    @staticmethod
    def total(balances: Iterable[NDArray[np.float64]]) -> float:
        """Sum of all balances, dollars."""
        return float(sum(np.sum(b) for b in balances))

    def verify(
        self, balances: Iterable[NDArray[np.float64]], issued: float, gross: float = 0.0
    ) -> float:
        """Add ``issued`` to the expected stock and compare; returns the relative error,
        relative to the largest of the expected stock before and after, ``issued`` itself,
        the sum of the balances' absolute values and ``gross`` (the gross flows netted in
        ``issued``): the amounts whose rounding the total inherits; at least 1.

        Raises:
            AssertionError: if the relative error exceeds the tolerance, or is not a
                number (a NaN or infinite balance never passes).
        """
        before = abs(self.expected)
        self.expected += issued
        balances = list(balances)
        actual = self.total(balances)
        held = float(sum(np.abs(b).sum() for b in balances))  # rounding scale of the sum
        scale = max(before, abs(issued), abs(self.expected), held, gross, 1.0)
        error = abs(actual - self.expected) / scale
        if not error <= self.tolerance:  # NaN compares false: it must fail, not pass
            raise AssertionError(
                f"money not conserved: {actual:.6f} held vs {self.expected:.6f} expected "
                f"(relative error {error:.2e})"
            )
        self.expected = actual
        return error


class BalanceSheetCheck:
    """The banking system's balance sheet and transaction flows, checked every month.

    Stocks: reserves are base money, ``deposits + bank equity - loans = base money``
    (base money grows only by what the issuer creates), and loans on the banks' books
    equal debts on the firms' books. Flows, bank by bank:
    ``E_t = E_{t-1} + interest - written off - dividends + recapitalised`` and
    ``L_t = L_{t-1} + lent - repaid + capitalised - written off``.
    Each error, relative to the largest stock or gross flow involved (and at least 1),
    must be within ``tolerance`` (NaN never passes).
    """

    def __init__(
        self,
        deposits: float,
        equity: NDArray[np.float64],
        loans: NDArray[np.float64],
        tolerance: float = 1e-9,
    ) -> None:
        self.tolerance = tolerance
        self.base_money = deposits + float(equity.sum()) - float(loans.sum())
        self.equity = equity.copy()
        self.loans = loans.copy()

    def verify(
        self,
        deposits: float,
        banks,
        firm_debt: NDArray[np.float64],
        issued: float,
        gross: float = 0.0,
    ) -> float:
        """Check this month's stocks and flows; returns the largest relative error.

        Args:
            deposits: all money balances (every non-bank account), dollars.
            banks: the :class:`~sim.agents.banks.Banks` with this month's flows.
            firm_debt: each firm's debt, dollars.
            issued: base money the issuer created this month, dollars.
            gross: the month's gross transactions, dollars (rounding scale).

        Raises:
            AssertionError: naming the identity that does not close.
        """
        self.base_money += issued
        # Rounding is relative to the largest amounts summed: stocks and gross flows.
        flows = banks.lent + banks.repaid + banks.interest + banks.written_off + banks.dividends
        scale = max(
            abs(deposits), float(np.abs(banks.equity).sum()), float(banks.loans.sum()),
            float((flows + banks.recapitalised).sum()), gross, 1.0,
        )  # fmt: skip
        equity_flow = (
            self.equity + banks.interest - banks.written_off - banks.dividends + banks.recapitalised
        )
        loan_flow = self.loans + banks.lent - banks.repaid + banks.capitalised - banks.written_off
        errors = {
            "reserves = deposits + bank equity - loans = base money": abs(
                deposits + banks.equity.sum() - banks.loans.sum() - self.base_money
            ),
            "bank loans = firm debts": abs(banks.loans.sum() - firm_debt.sum()),
            "bank equity = last month's + interest - write-offs - dividends + new equity": float(
                np.abs(banks.equity - equity_flow).sum()
            ),
            "bank loans = last month's + lent - repaid + capitalised - written off": float(
                np.abs(banks.loans - loan_flow).sum()
            ),
        }
        worst = 0.0
        for identity, gap in errors.items():
            error = float(gap) / scale
            if not error <= self.tolerance:
                raise AssertionError(
                    f"balance sheets do not close: {identity} (relative error {error:.2e})"
                )
            worst = max(worst, error)
        # Next month is checked against this month's stocks, as MoneyCheck does: the
        # rounding of a month's flows is then measured against that month's scale, not
        # carried into a month whose flows are far smaller.
        self.base_money = deposits + float(banks.equity.sum()) - float(banks.loans.sum())
        self.equity = banks.equity.copy()
        self.loans = banks.loans.copy()
        return worst


class CapitalCheck:
    """Firms' capital, checked every month (docs/model.md, section 13b): in units,
    ``sum K_t = (1 - delta_m) sum K_{t-1} + bought - scrapped`` (an exiting firm's
    plant stays in its slot; the next entrant scraps what it does not need); at book value,
    ``sum V_t = (1 - delta_m) sum V_{t-1} + paid - written off``; and what investors
    paid equals what the capital-goods sector was paid. Each error is relative to the
    largest stock or flow involved (at least 1) and must be within ``tolerance`` (NaN
    never passes).
    """

    def __init__(
        self, capital: NDArray[np.float64], value: NDArray[np.float64], tolerance: float = 1e-9
    ) -> None:
        self.tolerance = tolerance
        self.capital = float(capital.sum())
        self.value = float(value.sum())

    def verify(self, firms, capital_goods) -> float:
        """Check this month's capital accounts; returns the largest relative error.

        Args:
            firms: the :class:`~sim.agents.firms.Firms` after this month's purchases and exits.
            capital_goods: the :class:`~sim.markets.investment.CapitalGoods` with this
                month's flows.

        Raises:
            AssertionError: naming the identity that does not close.
        """
        keep = 1.0 - capital_goods.monthly_depreciation if capital_goods.enabled else 1.0
        units, value = float(firms.capital.sum()), float(firms.capital_value.sum())
        spent = float(firms.investment_spending.sum())
        checks = {
            "capital = (1 - depreciation) x last month's + bought - scrapped": (
                abs(units - (keep * self.capital + capital_goods.bought - capital_goods.scrapped)),
                max(units, self.capital, capital_goods.bought, 1.0),
            ),
            "book value = (1 - depreciation) x last month's + paid - written off": (
                abs(value - (keep * self.value + spent - capital_goods.written_off)),
                max(value, self.value, spent, 1.0),
            ),
            "paid by investors = paid to the capital-goods sector": (
                abs(spent - capital_goods.paid),
                max(spent, capital_goods.paid, 1.0),
            ),
        }
        worst = 0.0
        for identity, (gap, scale) in checks.items():
            error = gap / scale
            if not error <= self.tolerance:
                raise AssertionError(
                    f"capital accounts do not close: {identity} (relative error {error:.2e})"
                )
            worst = max(worst, error)
        self.capital, self.value = units, value
        return worst

"""The credit market: working-capital loans, interest, repayment and default.

Core objects: :func:`lend`, :func:`charge_interest`, :func:`amortise`,
:func:`write_off`, :func:`resolve_failed_banks`, :func:`net_worth`.

After BAM (Delli Gatti et al. 2011, ch. 3): a firm whose cash does not cover its
planned wages and compute asks its bank for the difference. The bank charges
``r_i = r_bar + phi * leverage_i`` a year (``r_bar`` the central bank's policy rate
plus a spread, :mod:`sim.agents.central_bank`) (leverage = debt after the loan over net
worth) and lends no more in total than its capital requirement allows,
``L <= E / nu``: when requests exceed that, every borrower of the bank gets the same
share of its request (rationing). A loan creates a deposit: the firm's cash and the
bank's loans rise together. Interest moves deposits into bank equity; repayment
destroys deposits and loans together; a loan written off when a firm goes bankrupt
lowers bank equity. A bank whose equity falls below zero is resolved by its owners
(households, by equity share) recapitalising it to its capital requirement out of
their deposits. Every flow is recorded on :class:`~sim.agents.banks.Banks`, so the
balance-sheet check can verify each one.
"""

from __future__ import annotations

import numpy as np

from sim.agents.banks import Banks
from sim.agents.firms import Firms
from sim.scenario.schema import CreditConfig

MONTHS_PER_YEAR = 12.0
MAX_LEVERAGE = 20.0
"""Leverage above which a borrower is charged as if at this leverage (keeps rates finite)."""


def net_worth(firms: Firms) -> np.ndarray:
    """A firm's net worth: cash plus stock valued at unit cost plus capital at book value
    (cost less depreciation), minus debt, dollars."""
    return firms.cash + firms.inventory * firms.unit_cost + firms.capital_value - firms.debt


def lend(
    firms: Firms, banks: Banks, request: np.ndarray, cfg: CreditConfig, base_rate: float
) -> np.ndarray:
    """Grant working-capital loans. Firms with positive net worth ask for ``request``
    dollars; each bank lends ``min(1, supply / requests)`` of every request it gets
    (``supply = max(0, E / nu - L)``). Sets every firm's interest rate
    ``r_i = r_bar + phi min(leverage_i, 20)`` (annual) on its whole debt, ``r_bar`` =
    ``base_rate`` (the central bank's loan base rate this month: loans float);
    adds the loans to ``firms.borrowed`` (this month's new loans); returns the loans
    granted, dollars."""
    worth = net_worth(firms)
    request = np.where((worth > 0.0) & (request > 0.0), request, 0.0)
    asked = np.bincount(firms.bank, weights=request, minlength=len(banks))
    supply = banks.supply(cfg.capital_requirement)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(asked > supply, supply / asked, 1.0)
    loan = request * share[firms.bank]
    firms.cash += loan
    firms.debt += loan
    firms.borrowed += loan
    granted = np.bincount(firms.bank, weights=loan, minlength=len(banks))
    banks.loans += granted
    banks.lent += granted
    with np.errstate(divide="ignore", invalid="ignore"):
        leverage = np.where(worth > 0.0, firms.debt / worth, MAX_LEVERAGE)
    firms.interest_rate = base_rate + cfg.risk_premium * np.minimum(leverage, MAX_LEVERAGE)
    return loan


def charge_interest(firms: Firms, banks: Banks) -> np.ndarray:
    """Monthly interest ``r_i / 12 * debt_i``: paid from cash as far as it goes, the
    rest added to the debt (capitalised). Either way it is the bank's income. Returns
    the interest each firm could not pay, dollars."""
    due = firms.interest_rate / MONTHS_PER_YEAR * firms.debt
    paid = np.minimum(due, np.maximum(firms.cash, 0.0))
    unpaid = due - paid
    firms.cash -= paid
    firms.debt += unpaid
    firms.interest = due
    n = len(banks)
    earned = np.bincount(firms.bank, weights=due, minlength=n)
    capitalised = np.bincount(firms.bank, weights=unpaid, minlength=n)
    banks.interest += earned
    banks.capitalised += capitalised
    banks.loans += capitalised
    banks.equity += earned
    return unpaid


def amortise(
    firms: Firms, banks: Banks, cfg: CreditConfig, keep: np.ndarray, capital_months: float = 1.0
) -> np.ndarray:
    """Repay each part of the debt over its own maturity, working capital ``W`` over
    ``cfg.maturity_months`` plus any cash above ``keep`` (the firm's cash buffer), and
    investment loans ``D_K`` over ``capital_months`` on schedule (term loans are not
    prepaid): ``due_W = min(W, W / T + spare)``, ``due_K = min(D_K, D_K / T_K)``. What
    cash cannot cover is paid pro rata on both parts. Returns each firm's scheduled
    repayment left unpaid, dollars."""
    spare = np.maximum(firms.cash - keep, 0.0)
    working = np.maximum(firms.debt - firms.capital_debt, 0.0)
    due_working = np.minimum(working, working / cfg.maturity_months + spare)
    due_capital = np.minimum(firms.capital_debt, firms.capital_debt / capital_months)
    due = due_working + due_capital
    repaid = np.minimum(due, np.maximum(firms.cash, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        paid_share = np.where(due > 0.0, repaid / due, 0.0)
    firms.capital_debt -= due_capital * paid_share
    _repay(firms, banks, repaid)
    scheduled = np.minimum(working, working / cfg.maturity_months) + due_capital
    return np.maximum(scheduled - repaid, 0.0)


def _repay(firms: Firms, banks: Banks, amount: np.ndarray) -> None:
    firms.cash -= amount
    firms.debt -= amount
    returned = np.bincount(firms.bank, weights=amount, minlength=len(banks))
    banks.loans -= returned
    banks.repaid += returned


def write_off(firms: Firms, banks: Banks, failing: np.ndarray) -> float:
    """Bankrupt firms ``failing`` (indices) hand their positive cash to their bank up to
    their debt; the rest of the debt is written off against the bank's equity.
    Returns the bad debt, dollars."""
    cash = np.maximum(firms.cash[failing], 0.0)
    recovered = np.zeros(len(firms))
    recovered[failing] = np.minimum(cash, firms.debt[failing])
    _repay(firms, banks, recovered)
    bad = np.zeros(len(firms))
    bad[failing] = firms.debt[failing]
    loss = np.bincount(firms.bank, weights=bad, minlength=len(banks))
    firms.debt[failing] = 0.0
    firms.capital_debt[failing] = 0.0
    banks.loans -= loss
    banks.equity -= loss
    banks.written_off += loss
    return float(loss.sum())


def pay_bank_dividends(
    banks: Banks, cfg: CreditConfig, equity_share: np.ndarray, household_cash: np.ndarray
) -> float:
    """Each bank pays ``bank_payout`` of its positive profit this month (interest less
    write-offs) to its owners, households by equity share; returns the total."""
    profit = banks.interest - banks.written_off
    paid = np.where(banks.equity > 0.0, cfg.bank_payout * np.maximum(profit, 0.0), 0.0)
    paid = np.minimum(paid, np.maximum(banks.equity, 0.0))
    banks.equity -= paid
    banks.dividends += paid
    total = float(paid.sum())
    household_cash += total * equity_share
    return total


def resolve_failed_banks(
    banks: Banks, cfg: CreditConfig, equity_share: np.ndarray, household_cash: np.ndarray
) -> int:
    """A bank with negative equity is resolved as a going concern: its owners
    (households, by equity share, as far as their positive deposits allow) buy new
    equity that brings it to ``E = max(nu L, E_med)``, its capital requirement or the
    median equity of the banks that did not fail, whichever is larger (``nu L`` alone
    when every bank failed), so that it can lend again. The money leaves their deposits
    and becomes bank equity; nothing is created. Returns the number of failed banks."""
    failed = banks.equity < 0.0
    if not failed.any():
        return 0
    sound = banks.equity[~failed]
    typical = float(np.median(sound)) if sound.size else 0.0
    # Positive for every failed bank, since its equity is below zero.
    target = np.maximum(cfg.capital_requirement * np.maximum(banks.loans, 0.0), typical)
    gap = np.where(failed, target - banks.equity, 0.0)
    wanted = float(gap.sum())
    holdings = np.maximum(household_cash, 0.0)
    contribution = np.minimum(holdings, wanted * equity_share)
    household_cash -= contribution
    raised = float(contribution.sum())
    injected = raised * gap / wanted
    banks.equity += injected
    banks.recapitalised += injected
    banks.failures += failed
    return int(failed.sum())

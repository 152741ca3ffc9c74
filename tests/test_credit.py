"""Banks and credit on hand-built states (lending, rationing, interest, repayment,
write-offs, bank resolution), and the balance-sheet identities every month of a
model run with credit in use."""

from __future__ import annotations

import numpy as np
import pytest

from sim.accounting import BalanceSheetCheck
from sim.agents.banks import Banks
from sim.agents.firms import Firms
from sim.markets.credit import (
    amortise,
    charge_interest,
    lend,
    net_worth,
    resolve_failed_banks,
    write_off,
)
from sim.scenario.schema import CreditConfig
from tests.conftest import small_model

CFG = CreditConfig(capital_requirement=0.1, base_rate=0.03, risk_premium=0.02, maturity_months=10)


def two_banks() -> tuple[Firms, Banks]:
    """Three firms: 0 and 1 at bank 0 (equity 10, loans 60: it may lend 40 more),
    2 at bank 1 (equity 10, no loans: 100)."""
    firms = Firms(np.zeros(3, dtype=int), 1)
    firms.bank = np.array([0, 0, 1])
    firms.cash = np.array([10.0, 10.0, 10.0])
    banks = Banks(np.array([10.0, 10.0]))
    banks.loans = np.array([60.0, 0.0])
    return firms, banks


def test_a_bank_rations_every_borrower_by_the_same_share():
    """Bank 0 gets requests of 50 and 30 but may lend 10 / 0.1 - 60 = 40: each borrower
    gets half. Bank 1 lends firm 2 its whole 20. Rates: leverage = debt / net worth
    (net worth before the loan, 10), r = 0.03 + 0.02 x leverage."""
    firms, banks = two_banks()
    loan = lend(firms, banks, np.array([50.0, 30.0, 20.0]), CFG, CFG.base_rate)
    np.testing.assert_allclose(loan, [25.0, 15.0, 20.0], rtol=1e-12)
    np.testing.assert_allclose(firms.cash, [35.0, 25.0, 30.0], rtol=1e-12)
    np.testing.assert_allclose(firms.debt, [25.0, 15.0, 20.0], rtol=1e-12)
    np.testing.assert_allclose(banks.loans, [100.0, 20.0], rtol=1e-12)
    np.testing.assert_allclose(banks.lent, [40.0, 20.0], rtol=1e-12)
    np.testing.assert_allclose(firms.interest_rate, [0.08, 0.06, 0.07], rtol=1e-12)


def test_no_loan_to_a_firm_with_negative_net_worth():
    firms, banks = two_banks()
    firms.debt[0] = 11.0  # cash 10: net worth -1
    loan = lend(firms, banks, np.array([5.0, 0.0, 0.0]), CFG, CFG.base_rate)
    assert loan[0] == 0.0 and net_worth(firms)[0] == -1.0


def test_interest_paid_or_capitalised_and_repayment():
    """Debt 120 at 10 % a year: 1 due a month. Firm 0 has cash 10 and pays; firm 1 has
    cash 0.4, pays 0.4 and 0.6 is added to its debt. Both are the bank's income. Then
    repayment of debt/10 a month plus cash above keep=5: firm 0 repays 12 + 4 = 16,
    but holds only 9, so 9; firm 1 repays nothing (no cash left)."""
    firms = Firms(np.zeros(2, dtype=int), 1)
    banks = Banks(np.array([50.0]))
    firms.debt = np.array([120.0, 120.0])
    banks.loans = np.array([240.0])
    firms.interest_rate = np.array([0.1, 0.1])
    firms.cash = np.array([10.0, 0.4])
    charge_interest(firms, banks)
    np.testing.assert_allclose(firms.cash, [9.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(firms.debt, [120.0, 120.6], rtol=1e-12)
    assert banks.interest[0] == pytest.approx(2.0) and banks.capitalised[0] == pytest.approx(0.6)
    assert banks.equity[0] == pytest.approx(52.0) and banks.loans[0] == pytest.approx(240.6)
    amortise(firms, banks, CFG, keep=np.array([5.0, 5.0]))
    np.testing.assert_allclose(firms.cash, [0.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(firms.debt, [111.0, 120.6], rtol=1e-12)
    assert banks.repaid[0] == pytest.approx(9.0) and banks.loans[0] == pytest.approx(231.6)


def test_a_bankrupt_firm_repays_what_it_can_and_the_rest_is_bad_debt():
    """Firm 0 owes 30 and holds 8: the bank recovers 8 and writes off 22 against its
    equity 10, which falls to -12; its owners then recapitalise it to the equity of
    the sound bank, 10 (more than 10 % of its remaining loans, 60 - 30 = 30: 3),
    paying 22 out of their deposits."""
    firms, banks = two_banks()
    firms.debt[0], firms.cash[0] = 30.0, 8.0
    banks.loans[0] = 60.0
    bad = write_off(firms, banks, np.array([0]))
    assert bad == pytest.approx(22.0)
    assert firms.debt[0] == 0.0 and firms.cash[0] == pytest.approx(0.0)
    assert banks.equity[0] == pytest.approx(-12.0) and banks.loans[0] == pytest.approx(30.0)
    household_cash = np.array([100.0, 100.0])
    failed = resolve_failed_banks(banks, CFG, np.array([0.5, 0.5]), household_cash)
    assert failed == 1 and banks.failures[0] == 1
    assert banks.equity[0] == pytest.approx(10.0)
    np.testing.assert_allclose(household_cash, [89.0, 89.0], rtol=1e-12)
    assert banks.recapitalised[0] == pytest.approx(22.0)


def test_balance_sheet_check_catches_a_loan_without_a_deposit_and_nan():
    banks = Banks(np.array([10.0]))
    check = BalanceSheetCheck(100.0, banks.equity, banks.loans)
    banks.loans += 5.0  # booked by the bank...
    banks.lent += 5.0
    with pytest.raises(AssertionError, match="deposits"):
        check.verify(100.0, banks, np.array([5.0]), 0.0)  # ...but no deposit created
    check = BalanceSheetCheck(100.0, banks.equity, banks.loans)
    with pytest.raises(AssertionError):
        check.verify(float("nan"), banks, np.array([5.0]), 0.0)


def test_identities_close_every_month_with_credit_bankruptcy_and_entry():
    """Thin cash buffers make firms borrow; over five years some go bankrupt, their
    bad debt hits bank equity, entrants take empty slots; the model's checks (money
    and balance sheets, 1e-9) pass every month."""
    model = small_model(**{"firms.cash_buffer_months": 0.3, "run.seed": 4})
    for _ in range(60):
        model.step()
    frame = model.results()
    assert frame["money_error"].max() < 1e-9
    assert frame["bank_loans"].max() > 0
    assert frame["bankruptcies"].sum() > 0 and frame["entries"].sum() > 0
    assert frame["bad_debt"].sum() > 0
    banks, firms = model.banks, model.firms
    assert banks.loans.sum() == pytest.approx(firms.debt.sum(), rel=1e-9)
    assert (firms.debt[~firms.active] == 0).all()

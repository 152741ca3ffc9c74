"""The credit market on hand-built states, beyond tests/test_credit.py (docs/model.md,
"Credit", after Delli Gatti et al. 2011 ch. 3): the loan rate rising with leverage
``r = r_bar + phi min(D / NW, 20)``, lending up to exactly the capital requirement
``L <= E / nu``, interest, repayment and write-offs moving bank equity, bank dividends
out of profit, and the resolution of a failed bank by its owners. Every operation
keeps base money, deposits + bank equity - loans, unchanged (a loan creates a deposit,
repayment destroys one). Expected numbers are worked out here from those equations.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from sim.agents.banks import Banks
from sim.agents.firms import Firms
from sim.markets.credit import (
    amortise,
    charge_interest,
    lend,
    pay_bank_dividends,
    resolve_failed_banks,
    write_off,
)
from sim.scenario.schema import CreditConfig

CFG = CreditConfig(
    capital_requirement=0.1, base_rate=0.03, risk_premium=0.02, maturity_months=10,
    bank_payout=0.5,
)  # fmt: skip


def firms_at_one_bank(cash, debt, inventory=None) -> Firms:
    n = len(cash)
    firms = Firms(np.zeros(n, dtype=int), 1)
    firms.cash = np.array(cash, dtype=float)
    firms.debt = np.array(debt, dtype=float)
    firms.inventory = np.zeros(n) if inventory is None else np.array(inventory, dtype=float)
    firms.unit_cost = np.ones(n)
    return firms


def base_money(firms: Firms, banks: Banks, households=0.0) -> float:
    return float(np.sum(households) + firms.cash.sum() + banks.equity.sum() - banks.loans.sum())


def test_the_loan_rate_rises_with_leverage_up_to_its_cap():
    """Net worth before the loan, cash + stock x unit cost - debt: 10 + 0 - 0, 20 - 10,
    12 + 3 x 1 - 5 = 10, 100 - 90 = 10 and 5 - 5 = 0. Firms 0-2 borrow 10, 0 and 20:
    leverage (debt after the loan / net worth) 1, 1, 2.5 and 9 for firm 3, which asks
    for nothing; rates 0.03 + 0.02 x leverage. Firm 4 has no net worth: no loan, and
    the rate of the cap (leverage 20), as does firm 5 with leverage 300 / 10 = 30. Firm 6
    is small (net worth 0.5, asks 0.5): it gets its loan at leverage 1. Firm 7 has
    nothing and owes nothing (net worth 0): the cap's rate, not 0 / 0. All bank with
    bank 0; bank 1 has no borrowers and its books do not move."""
    firms = firms_at_one_bank(
        cash=[10.0, 20.0, 12.0, 100.0, 5.0, 310.0, 0.5, 0.0],
        debt=[0.0, 10.0, 5.0, 90.0, 5.0, 300.0, 0.0, 0.0],
        inventory=[0.0, 0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    )
    banks = Banks(np.array([1000.0, 50.0]))
    banks.loans = np.array([firms.debt.sum(), 7.0])
    before = base_money(firms, banks)
    loan = lend(
        firms, banks, np.array([10.0, 0.0, 20.0, 0.0, 50.0, 0.0, 0.5, 0.0]), CFG, CFG.base_rate
    )
    np.testing.assert_allclose(loan, [10.0, 0.0, 20.0, 0.0, 0.0, 0.0, 0.5, 0.0], rtol=1e-12)
    leverage = np.array([1.0, 1.0, 2.5, 9.0, 20.0, 20.0, 1.0, 20.0])
    np.testing.assert_allclose(firms.interest_rate, 0.03 + 0.02 * leverage, rtol=1e-12)
    np.testing.assert_array_equal(firms.borrowed, loan)
    np.testing.assert_allclose(banks.loans, [410.0 + 30.5, 7.0], rtol=1e-12)
    np.testing.assert_allclose(banks.lent, [30.5, 0.0], rtol=1e-12)
    assert base_money(firms, banks) == pytest.approx(before, rel=1e-12)


def test_a_bank_lends_up_to_exactly_its_capital_requirement():
    """Equity 10 at nu = 0.1 carries loans of 100; with 60 out it may lend 40. Requests
    of 15 and 25 fit exactly: granted in full, and loans reach 100 = E / nu. Asked 20
    and 60 it lends 40 in the same proportion (10 and 30): again 100. A bank already
    above its limit lends nothing."""
    for request, granted in (([15.0, 25.0], [15.0, 25.0]), ([20.0, 60.0], [10.0, 30.0])):
        firms = firms_at_one_bank(cash=[50.0, 50.0], debt=[0.0, 0.0])
        banks = Banks(np.array([10.0]))
        banks.loans = np.array([60.0])
        loan = lend(firms, banks, np.array(request), CFG, CFG.base_rate)
        np.testing.assert_allclose(loan, granted, rtol=1e-12)
        assert banks.loans[0] == pytest.approx(100.0, rel=1e-12)
        assert banks.lent[0] == pytest.approx(40.0, rel=1e-12)
    firms = firms_at_one_bank(cash=[50.0, 50.0], debt=[0.0, 0.0])
    banks = Banks(np.array([10.0]))
    banks.loans = np.array([120.0])
    np.testing.assert_array_equal(banks.supply(0.1), [0.0])
    np.testing.assert_array_equal(
        lend(firms, banks, np.array([5.0, 5.0]), CFG, CFG.base_rate), [0.0, 0.0]
    )


def test_interest_the_firm_cannot_pay_is_added_to_its_debt_and_money_is_kept():
    """Debts 60 at 20 % a year: 1 a month each. A firm overdrawn (-3) pays nothing; all
    of it is capitalised. Bank equity rises by the 2 earned either way."""
    firms = firms_at_one_bank(cash=[5.0, -3.0], debt=[60.0, 60.0])
    firms.interest_rate = np.array([0.2, 0.2])
    banks = Banks(np.array([30.0, 9.0]))
    banks.loans = np.array([120.0, 3.0])
    banks.capitalised[0] = 0.5  # capitalised earlier this month: the flows add up
    before = base_money(firms, banks)
    charge_interest(firms, banks)
    np.testing.assert_allclose(firms.cash, [4.0, -3.0], rtol=1e-12)
    np.testing.assert_allclose(firms.debt, [60.0, 61.0], rtol=1e-12)
    np.testing.assert_allclose(firms.interest, [1.0, 1.0], rtol=1e-12)
    assert banks.equity[0] == pytest.approx(32.0) and banks.capitalised[0] == pytest.approx(1.5)
    np.testing.assert_array_equal(banks.equity, [32.0, 9.0])
    np.testing.assert_array_equal(banks.loans, [121.0, 3.0])
    assert base_money(firms, banks) == pytest.approx(before, rel=1e-12)


def test_repayment_never_exceeds_the_debt_and_destroys_deposits_with_loans():
    """Maturity 10: firm 0 owes 5 and holds 100 above a buffer of 10: it repays all 5
    (not 0.5 + 90). Firm 1 owes 50, holds 12 (2 above its buffer): repays 5 + 2 = 7.
    Firm 2 is overdrawn: repays nothing. Firm 3 owes 50 and holds 8, below its buffer:
    it repays only the 5 due."""
    firms = firms_at_one_bank(cash=[110.0, 12.0, -1.0, 8.0], debt=[5.0, 50.0, 20.0, 50.0])
    banks = Banks(np.array([30.0, 9.0]))
    banks.loans = np.array([125.0, 3.0])
    before = base_money(firms, banks)
    amortise(firms, banks, CFG, keep=np.array([10.0, 10.0, 10.0, 10.0]))
    np.testing.assert_allclose(firms.debt, [0.0, 43.0, 20.0, 45.0], atol=1e-12)
    np.testing.assert_allclose(firms.cash, [105.0, 5.0, -1.0, 3.0], rtol=1e-12)
    assert banks.repaid[0] == pytest.approx(17.0) and banks.loans[0] == pytest.approx(108.0)
    assert banks.loans[1] == 3.0 and banks.repaid[1] == 0.0
    assert base_money(firms, banks) == pytest.approx(before, rel=1e-12)


def test_bad_debt_at_two_banks_lowers_each_ones_equity_and_keeps_money():
    """Firm 0 (bank 0) owes 30 with 8 in cash: 22 written off at bank 0. Firm 1 (bank 1)
    owes 10 with 15: repays all, nothing written off. Firm 2 (bank 1) is overdrawn
    (-2) and owes 4: all 4 written off at bank 1. Firm 3 is not failing."""
    firms = firms_at_one_bank(cash=[8.0, 15.0, -2.0, 1.0], debt=[30.0, 10.0, 4.0, 6.0])
    firms.bank = np.array([0, 1, 1, 0])
    banks = Banks(np.array([50.0, 50.0, 9.0]))  # bank 2 has no borrowers
    banks.loans = np.array([36.0, 14.0, 0.0])
    before = base_money(firms, banks)
    bad = write_off(firms, banks, np.array([0, 1]))
    bad += write_off(firms, banks, np.array([2]))  # the month's flows add up
    assert bad == pytest.approx(26.0)
    np.testing.assert_allclose(banks.written_off, [22.0, 4.0, 0.0], rtol=1e-12)
    np.testing.assert_allclose(banks.equity, [28.0, 46.0, 9.0], rtol=1e-12)
    np.testing.assert_allclose(banks.loans, [6.0, 0.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(banks.repaid, [8.0, 10.0, 0.0], rtol=1e-12)
    np.testing.assert_allclose(firms.debt, [0.0, 0.0, 0.0, 6.0], atol=1e-12)
    np.testing.assert_allclose(firms.cash, [0.0, 5.0, -2.0, 1.0], atol=1e-12)
    assert base_money(firms, banks) == pytest.approx(before, rel=1e-12)


def test_banks_pay_half_their_profit_to_owners_by_equity_share():
    """Payout 0.5. Bank 0 earned 10 and wrote off 4: pays 3. Bank 1 earned 2, wrote off
    5: no profit, no dividend. Bank 2 earned 10 with equity 1: pays only 1. Bank 3 has
    negative equity: pays nothing. Owners (0.75, 0.25) get 4 between them."""
    banks = Banks(np.array([100.0, 100.0, 1.0, -5.0]))
    banks.interest = np.array([10.0, 2.0, 10.0, 10.0])
    banks.written_off = np.array([4.0, 5.0, 0.0, 0.0])
    banks.dividends = np.array([0.5, 0.0, 0.0, 0.0])  # paid earlier this month: adds up
    households = np.array([1.0, 1.0])
    paid = pay_bank_dividends(banks, CFG, np.array([0.75, 0.25]), households)
    assert paid == pytest.approx(4.0)
    np.testing.assert_allclose(banks.dividends, [3.5, 0.0, 1.0, 0.0], rtol=1e-12)
    np.testing.assert_allclose(banks.equity, [97.0, 100.0, 0.0, -5.0], atol=1e-12)
    np.testing.assert_allclose(households, [4.0, 2.0], rtol=1e-12)


def test_owners_recapitalise_failed_banks_as_far_as_their_deposits_allow():
    """Banks 0 and 1 have equity -12 and -2 with loans 30 and 80; the sound banks hold
    equity 5 and 7 (median 6). Bank 0 is brought to max(nu L, 6) = max(3, 6) = 6, a gap
    of 18; bank 1 to max(8, 6) = 8, a gap of 10; 28 in all. Owners (0.5, 0.5) with
    deposits 100 and 4 pay 14 and 4: 18 raised, shared 18 : 10 (11.5714... and
    6.4285...). The sound banks are not touched. Money moves from deposits to bank
    equity; none is created."""
    banks = Banks(np.array([-12.0, -2.0, 5.0, 7.0]))
    banks.loans = np.array([30.0, 80.0, 10.0, 0.0])
    households = np.array([100.0, 4.0])
    equity_before = banks.equity.sum()
    failed = resolve_failed_banks(banks, CFG, np.array([0.5, 0.5]), households)
    assert failed == 2
    np.testing.assert_allclose(households, [86.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(
        banks.recapitalised, [18 * 18 / 28, 18 * 10 / 28, 0.0, 0.0], rtol=1e-12
    )
    np.testing.assert_allclose(
        banks.equity, [-12 + 18 * 18 / 28, -2 + 18 * 10 / 28, 5.0, 7.0], rtol=1e-12
    )
    np.testing.assert_array_equal(banks.failures, [1, 1, 0, 0])
    assert banks.equity.sum() - equity_before == pytest.approx(104.0 - households.sum())


def test_no_failed_bank_means_no_resolution():
    banks = Banks(np.array([0.0, 5.0]))
    households = np.array([10.0])
    assert resolve_failed_banks(banks, CFG, np.array([1.0]), households) == 0
    np.testing.assert_array_equal(households, [10.0])
    np.testing.assert_array_equal(banks.failures, [0, 0])


def test_a_new_month_clears_the_flows_but_not_the_stocks():
    banks = Banks(np.array([10.0]))
    banks.loans[:] = 50.0
    for name in ("lent", "repaid", "interest", "capitalised", "written_off", "dividends",
                 "recapitalised"):  # fmt: skip
        getattr(banks, name)[:] = 1.0
    banks.start_month()
    assert banks.equity[0] == 10.0 and banks.loans[0] == 50.0
    for name in ("lent", "repaid", "interest", "capitalised", "written_off", "dividends",
                 "recapitalised"):  # fmt: skip
        assert getattr(banks, name)[0] == 0.0
    np.testing.assert_allclose(banks.supply(0.1), [50.0])


def test_lending_flows_and_interest_add_up_within_the_month():
    """Two lending rounds in one month: the bank's ``lent`` is their sum (10 + 5), and
    interest charged twice adds up too. A flow is this month's total, not the last
    call's."""
    firms = firms_at_one_bank(cash=[100.0], debt=[0.0])
    banks = Banks(np.array([1000.0]))
    lend(firms, banks, np.array([10.0]), CFG, CFG.base_rate)
    lend(firms, banks, np.array([5.0]), CFG, CFG.base_rate)
    assert banks.lent[0] == pytest.approx(15.0, rel=1e-12)
    assert banks.loans[0] == pytest.approx(15.0, rel=1e-12)
    # Interest: debt 15 at 12 % a year is 0.15 a month, paid from cash; twice: 0.3.
    firms.interest_rate = np.array([0.12])
    charge_interest(firms, banks)
    charge_interest(firms, banks)
    assert banks.interest[0] == pytest.approx(0.3, rel=1e-12)
    assert banks.equity[0] == pytest.approx(1000.3, rel=1e-12)


def test_a_bank_without_borrowers_or_room_to_lend_gives_no_nan_and_no_warning():
    """Three banks; firms bank only with banks 0 and 1, so bank 2 gets no request (and
    has no client at all). Bank 1 is at its limit (equity 1 at nu = 0.1, loans 10:
    supply 0) and its client asks for nothing: 0 asked against 0 supplied is no
    rationing, not 0 / 0. Bank 0 lends the 5 asked in full. Firms 2 and 3 have no net
    worth (0 - 0 and 5 - 5) and ask nothing: leverage is not 0 / 0 or 5 / 0 but the
    cap's, 20. No floating-point warning is raised and every number stays finite."""
    firms = firms_at_one_bank(cash=[10.0, 10.0, 0.0, 5.0], debt=[0.0, 0.0, 0.0, 5.0])
    firms.bank = np.array([0, 1, 0, 0])
    banks = Banks(np.array([100.0, 1.0, 50.0]))
    banks.loans = np.array([0.0, 10.0, 0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loan = lend(firms, banks, np.array([5.0, 0.0, 0.0, 0.0]), CFG, CFG.base_rate)
    np.testing.assert_array_equal(loan, [5.0, 0.0, 0.0, 0.0])
    np.testing.assert_array_equal(firms.cash, [15.0, 10.0, 0.0, 5.0])
    np.testing.assert_allclose(firms.interest_rate[2:], 0.03 + 0.02 * 20.0, rtol=1e-12)
    np.testing.assert_array_equal(banks.lent, [5.0, 0.0, 0.0])
    np.testing.assert_array_equal(banks.loans, [5.0, 10.0, 0.0])


def test_a_bank_never_pays_out_more_than_its_equity_even_below_one_dollar():
    """Payout 0.5 of a profit of 10 is 5, but the bank's equity is only 0.4: it pays
    0.4 and ends with none (not a dollar, which would leave it at -0.6)."""
    banks = Banks(np.array([0.4]))
    banks.interest = np.array([10.0])
    households = np.array([0.0])
    paid = pay_bank_dividends(banks, CFG, np.array([1.0]), households)
    assert paid == pytest.approx(0.4, rel=1e-12)
    assert banks.equity[0] == pytest.approx(0.0, abs=1e-15)
    assert households[0] == pytest.approx(0.4, rel=1e-12)


def test_a_failed_bank_without_loans_is_brought_back_to_zero_equity():
    """Equity -10 and no loans: the capital requirement nu L is 0, so owners put in
    exactly 10 (not nu x one dollar more). The owner with no money (0, and one
    overdrawn at -3) pays nothing; the one with 100 pays all of it. Failures count
    months, so a second failure makes it 2 and recapitalisations add up."""
    banks = Banks(np.array([-10.0]))
    households = np.array([0.0, -3.0, 100.0])
    share = np.array([0.25, 0.25, 0.5])
    # Wanted 10: shares ask 2.5, 2.5 and 5; the first two hold nothing, so 5 is raised.
    assert resolve_failed_banks(banks, CFG, share, households) == 1
    np.testing.assert_allclose(households, [0.0, -3.0, 95.0], rtol=1e-12)
    assert banks.equity[0] == pytest.approx(-5.0, rel=1e-12)
    assert banks.recapitalised[0] == pytest.approx(5.0, rel=1e-12)
    # Still failed (equity -5): wanted 5, the third owner's share asks 2.5.
    assert resolve_failed_banks(banks, CFG, share, households) == 1
    np.testing.assert_allclose(households, [0.0, -3.0, 92.5], rtol=1e-12)
    assert banks.equity[0] == pytest.approx(-2.5, rel=1e-12)
    assert banks.recapitalised[0] == pytest.approx(7.5, rel=1e-12)
    np.testing.assert_array_equal(banks.failures, [2])


def test_an_investment_loan_is_due_over_its_own_term_and_arrears_are_returned():
    """Maturity 10 for working capital, 4 months for investment loans. Each firm owes 30,
    20 of it on an investment loan, and keeps a buffer of 10: the instalment due is
    10 / 10 + 20 / 4 = 6. Firm 0 holds nothing: it pays nothing and is 6 in arrears.
    Firm 1 holds 2.4: it pays 2.4, 40 % of what is due, and 40 % of each part (the
    investment loan falls by 2 to 18); 3.6 in arrears. Firm 2 holds 16: it pays the 6
    (the investment loan falls to 15), nothing in arrears. Firm 3 owes nothing and
    pays nothing (no 0 / 0 warning)."""
    firms = firms_at_one_bank(cash=[0.0, 2.4, 16.0, 5.0], debt=[30.0, 30.0, 30.0, 0.0])
    firms.capital_debt = np.array([20.0, 20.0, 20.0, 0.0])
    banks = Banks(np.array([50.0]))
    banks.loans = np.array([90.0])
    before = base_money(firms, banks)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        unpaid = amortise(firms, banks, CFG, keep=np.full(4, 10.0), capital_months=4.0)
    np.testing.assert_allclose(unpaid, [6.0, 3.6, 0.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(firms.debt, [30.0, 27.6, 18.0, 0.0], rtol=1e-12)
    np.testing.assert_allclose(firms.capital_debt, [20.0, 18.0, 15.0, 0.0], rtol=1e-12)
    np.testing.assert_allclose(firms.cash, [0.0, 0.0, 4.0, 5.0], atol=1e-12)
    assert base_money(firms, banks) == pytest.approx(before, rel=1e-12)


def test_by_default_an_investment_loan_is_due_within_the_month():
    """Without a term given, investment loans run one month: a firm owing 30, 20 of it
    on an investment loan, holding 100 and keeping all of it as its buffer, pays the
    working-capital instalment 10 / 10 = 1 and the whole 20."""
    firms = firms_at_one_bank(cash=[100.0], debt=[30.0])
    firms.capital_debt = np.array([20.0])
    banks = Banks(np.array([50.0]))
    banks.loans = np.array([30.0])
    amortise(firms, banks, CFG, keep=np.array([100.0]))
    assert firms.capital_debt[0] == 0.0
    assert firms.debt[0] == pytest.approx(9.0, rel=1e-12)


def test_loans_below_a_dollar_are_repaid_on_both_parts():
    """Amounts in cents: a firm owing 0.5, 0.3 of it on an investment loan (term 1
    month, so due now), with a buffer equal to its cash: due 0.2 / 10 + 0.3 = 0.32,
    all paid: 0.18 of working capital is left and no investment debt."""
    firms = firms_at_one_bank(cash=[5.0], debt=[0.5])
    firms.capital_debt = np.array([0.3])
    banks = Banks(np.array([50.0]))
    banks.loans = np.array([0.5])
    amortise(firms, banks, CFG, keep=np.array([5.0]), capital_months=1.0)
    assert firms.debt[0] == pytest.approx(0.18, rel=1e-12)
    assert firms.capital_debt[0] == 0.0


def test_new_loans_of_a_month_add_up():
    """A firm borrows twice in one month (working capital, then an investment loan):
    ``borrowed`` is the month's total, 5 + 3 = 8."""
    firms = firms_at_one_bank(cash=[10.0], debt=[0.0])
    banks = Banks(np.array([100.0]))
    lend(firms, banks, np.array([5.0]), CFG, 0.03)
    lend(firms, banks, np.array([3.0]), CFG, 0.03)
    assert firms.borrowed[0] == pytest.approx(8.0, rel=1e-12)
    assert firms.debt[0] == pytest.approx(8.0, rel=1e-12)


def test_a_bankrupt_firm_owes_nothing_on_its_investment_loan_after_the_write_off():
    """Owing 30, 20 of it on an investment loan, with 8 in cash: 8 repaid, 22 written
    off, and the slot keeps no debt of either kind for an entrant to inherit."""
    firms = firms_at_one_bank(cash=[8.0], debt=[30.0])
    firms.capital_debt = np.array([20.0])
    banks = Banks(np.array([50.0]))
    banks.loans = np.array([30.0])
    assert write_off(firms, banks, np.array([0])) == pytest.approx(22.0)
    assert firms.debt[0] == 0.0 and firms.capital_debt[0] == 0.0


def test_a_failed_bank_can_lend_again_after_resolution():
    """A bank that wrote off all its loans (equity -1, loans 0) used to be restored to
    nu x 0 = 0 equity: it could never lend again and its firms were cut off for good.
    Resolved as a going concern it gets the sound banks' median equity, 20, and with it
    room to lend 20 / nu."""
    banks = Banks(np.array([-1.0, 10.0, 20.0, 30.0]))
    households = np.array([1_000.0])
    assert resolve_failed_banks(banks, CFG, np.array([1.0]), households) == 1
    assert banks.equity[0] == pytest.approx(20.0, rel=1e-12)
    assert households[0] == pytest.approx(979.0, rel=1e-12)
    assert banks.supply(CFG.capital_requirement)[0] == pytest.approx(
        20.0 / CFG.capital_requirement, rel=1e-12
    )

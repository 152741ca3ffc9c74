"""Firm turnover on hand-built states (docs/model.md, "Bankruptcy, exit and entry"):
who exits (negative net worth, an unpaid wage bill, a dormant firm after its first
year), what exit does (workers laid off, the bank recovers cash up to the debt and
writes off the rest, the remaining cash goes to the owners, the slot is emptied), entry
with probability ``min(1, kappa max(mu_s, 0))`` and the owners' funding of an entrant,
and money conserved through all of it. Expected numbers are worked out by hand here.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.agents.banks import Banks
from sim.agents.firms import Firms
from sim.agents.households import Households
from sim.agents.workers import UNEMPLOYED, Workers
from sim.markets.credit import write_off
from sim.markets.turnover import close_firms, entering_slots, exiting_firms, open_firms
from tests.fixed_draws import FixedDraws


def five_firms() -> Firms:
    """Firms 0, 1 and 4 in sector 0, firms 2 and 3 in sector 1; firm 4 is an empty slot.

    Net worth = cash + inventory x unit cost - debt:
    firm 0: 3 + 0 - 3 = 0 (not bankrupt: the rule is net worth < 0), could not pay wages;
    firm 1: 5 > 0, expected demand 0.004, 24 months old;
    firm 2: 5 > 0, expected demand 0.001, 12 months old;
    firm 3: 5 + 2 x 1 - 8 = -1, bankrupt;
    firm 4: empty, net worth -10.
    """
    firms = Firms(np.array([0, 0, 1, 1, 0]), 1)
    firms.active = np.array([True, True, True, True, False])
    firms.cash = np.array([3.0, 5.0, 5.0, 5.0, 0.0])
    firms.inventory = np.array([0.0, 0.0, 0.0, 2.0, 0.0])
    firms.unit_cost = np.array([1.0, 1.0, 1.0, 1.0, 1.0])
    firms.debt = np.array([3.0, 0.0, 0.0, 8.0, 10.0])
    firms.expected_demand = np.array([10.0, 0.004, 0.001, 10.0, 0.0])
    firms.age = np.array([30, 24, 12, 30, 0])
    return firms


def test_exit_for_an_unpaid_wage_bill_negative_net_worth_or_a_lost_market():
    """Sector 0's mean expected demand over its two active firms is (10 + 0.004) / 2 =
    5.002, so the dormancy threshold is 0.005002 and firm 1 (0.004, 24 months) is
    dormant; counting the empty slot 4 would lower the threshold to 0.00333 and keep
    it. Firm 2 is below its sector's threshold (0.0050005) but only 12 months old
    (the rule needs more than 12). Firm 0 exits because it could not pay its wages,
    firm 3 because its net worth is -1; the empty slot 4 never exits."""
    firms = five_firms()
    insolvent = np.array([True, False, False, False, True])
    exiting, bankrupt = exiting_firms(firms, insolvent, 2)
    np.testing.assert_array_equal(exiting, [0, 1, 3])
    np.testing.assert_array_equal(bankrupt, [False, False, False, True, False])


def test_a_firm_older_than_a_year_with_demand_above_the_threshold_stays():
    """The same state with firm 1's expected demand at 0.006 > 0.005003 and nobody
    insolvent: only the bankrupt firm 3 exits."""
    firms = five_firms()
    firms.expected_demand[1] = 0.006
    exiting, _ = exiting_firms(firms, np.zeros(5, dtype=bool), 2)
    np.testing.assert_array_equal(exiting, [3])


def test_a_default_and_negative_net_worth_both_make_a_firm_bankrupt():
    """The same state, with firm 1 in default on its loan this month (its net worth 5
    is positive): it exits bankrupt, and firm 3 (net worth -1, not in default) still
    does too."""
    firms = five_firms()
    firms.expected_demand[1] = 0.006
    defaulted = np.array([False, True, False, False, False])
    exiting, bankrupt = exiting_firms(firms, np.zeros(5, dtype=bool), 2, defaulted)
    np.testing.assert_array_equal(exiting, [1, 3])
    np.testing.assert_array_equal(bankrupt, [False, True, False, True, False])


def workers_of_five_firms() -> Workers:
    """Seven workers: two at firm 0, one each at firms 1, 2 and 3, one more at firm 3,
    one unemployed; wages 1 to 7."""
    employer = np.array([0, 0, 1, 2, 3, UNEMPLOYED, 3])
    workers = Workers(employer, np.zeros(7), np.ones(7), np.arange(7) % 3, 240.0)
    workers.wage = np.arange(1.0, 8.0)
    workers.wage[5] = 0.0
    return workers


def test_closing_lays_off_the_staff_pays_the_owners_and_empties_the_slot():
    """Firms 0 and 3 close. Firm 0 holds 4 dollars, firm 3 is overdrawn (-2): the owners
    (equity 0.25, 0.75) get 4 between them, 1 and 3; the overdraft stays on the closed
    firm's account (its bank's write-off deals with debt, not deposits). Workers 0, 1,
    4 and 6 lose their jobs: each records the firm she left, her last pay and a fresh
    unemployment spell; workers of firms 1 and 2 keep theirs."""
    firms = five_firms()
    firms.cash = np.array([4.0, 5.0, 5.0, -2.0, 0.0])
    firms.inventory[:] = 7.0
    firms.stocked_out[:] = True
    firms.unsold[:] = True
    firms.unfilled[:] = True
    firms.headcount = np.array([2, 1, 1, 2, 0])
    workers = workers_of_five_firms()
    workers.months_unemployed[:] = 9.0
    households = Households(np.array([0.25, 0.75]), np.zeros((2, 2), dtype=int))
    households.cash = np.array([10.0, 10.0])
    money_before = households.cash.sum() + firms.cash.sum()

    close_firms(firms, workers, households, np.array([0, 3]))

    np.testing.assert_allclose(households.cash, [11.0, 13.0], rtol=1e-12)
    np.testing.assert_allclose(firms.cash, [0.0, 5.0, 5.0, -2.0, 0.0], atol=1e-12)
    assert households.cash.sum() + firms.cash.sum() == pytest.approx(money_before, rel=1e-12)
    np.testing.assert_array_equal(workers.employer, [-1, -1, 1, 2, -1, -1, -1])
    np.testing.assert_array_equal(workers.separated_from, [0, 0, -1, -1, 3, -1, 3])
    np.testing.assert_array_equal(workers.last_wage, [1.0, 2.0, 0.0, 0.0, 5.0, 0.0, 7.0])
    np.testing.assert_array_equal(workers.months_unemployed, [0, 0, 9, 9, 0, 9, 0])
    np.testing.assert_array_equal(firms.active, [False, True, True, False, False])
    np.testing.assert_array_equal(firms.inventory, [0.0, 7.0, 7.0, 0.0, 7.0])
    np.testing.assert_array_equal(firms.headcount, [0, 1, 1, 0, 0])
    np.testing.assert_array_equal(firms.debt, [0.0, 0.0, 0.0, 0.0, 10.0])
    np.testing.assert_array_equal(firms.expected_demand, [0.0, 0.004, 0.001, 0.0, 0.0])
    np.testing.assert_array_equal(firms.age, [0, 24, 12, 0, 0])
    for flag in (firms.stocked_out, firms.unsold, firms.unfilled):
        np.testing.assert_array_equal(flag, [False, True, True, False, True])


@pytest.mark.parametrize(
    ("draw", "expected"),
    [(0.0, [1, 4]), (0.39, [1, 4]), (0.4, [4]), (0.999, [4])],
)
def test_an_empty_slot_is_taken_with_probability_kappa_times_the_sector_markup(draw, expected):
    """Slots 1 (sector 0), 3 (sector 1) and 4 (sector 2) are empty; markups 0.2, -0.1 and
    0.8, kappa = 2: chances 2 x 0.2 = 0.4, 0 (a negative markup attracts nobody) and
    min(1, 1.6) = 1. A slot is taken when its uniform draw is below its chance."""
    firms = Firms(np.array([0, 0, 1, 1, 2]), 1)
    firms.active = np.array([True, False, True, False, False])
    taken = entering_slots(firms, np.array([0.2, -0.1, 0.8]), 2.0, FixedDraws(draw))
    np.testing.assert_array_equal(taken, expected)


def test_no_empty_slot_means_no_entry():
    firms = Firms(np.array([0, 1]), 1)
    assert entering_slots(firms, np.array([5.0, 5.0]), 1.0, FixedDraws(0.0)).size == 0


def test_owners_fund_an_entrant_in_proportion_to_their_equity_as_far_as_they_can():
    """Entrants in slots 0 and 3 need 6 and 2 (8 in all). Owners with equity 0.25, 0.5
    and 0.25 owe 2, 4 and 2 but hold 10, 1 and -5: they pay 2, 1 and 0. The 3 raised
    is split 6 : 2 (2.25 and 0.75); the entrants take the given plans."""
    firms = Firms(np.array([0, 0, 1, 1]), 1)
    firms.active = np.array([False, True, True, False])
    firms.cash = np.array([0.0, 1.0, 1.0, 0.5])
    households = Households(np.array([0.25, 0.5, 0.25]), np.zeros((3, 2), dtype=int))
    households.cash = np.array([10.0, 1.0, -5.0])
    money_before = households.cash.sum() + firms.cash.sum()
    open_firms(
        firms, households, np.array([0, 3]), np.array([6.0, 2.0]),
        expected_demand=np.array([4.0, 5.0]), wage=np.array([1.5, 1.6]),
        oversight_wage=np.array([2.5, 2.6]), price=np.array([1.1, 1.2]),
        markup=np.array([0.1, 0.2]),
    )  # fmt: skip
    np.testing.assert_allclose(households.cash, [8.0, 0.0, -5.0], rtol=1e-12)
    np.testing.assert_allclose(firms.cash, [2.25, 1.0, 1.0, 1.25], rtol=1e-12)
    assert households.cash.sum() + firms.cash.sum() == pytest.approx(money_before, rel=1e-12)
    np.testing.assert_array_equal(firms.active, [True, True, True, True])
    np.testing.assert_array_equal(firms.expected_demand, [4.0, 0.0, 0.0, 5.0])
    # An entrant expects to sell what it expects to be asked for.
    np.testing.assert_array_equal(firms.expected_sales, [4.0, 0.0, 0.0, 5.0])
    np.testing.assert_array_equal(firms.wage, [1.5, 0.0, 0.0, 1.6])
    np.testing.assert_array_equal(firms.oversight_wage, [2.5, 0.0, 0.0, 2.6])
    np.testing.assert_array_equal(firms.price, [1.1, 0.0, 0.0, 1.2])
    np.testing.assert_array_equal(firms.markup, [0.1, 0.0, 0.0, 0.2])
    np.testing.assert_array_equal(firms.unfilled, [True, False, False, True])


def test_small_needs_are_shared_in_proportion_too():
    """Needs of 0.3 and 0.1 (0.4 in all) from owners holding plenty: each entrant gets
    exactly its need."""
    firms = Firms(np.array([0, 0]), 1)
    firms.active[:] = False
    households = Households(np.array([0.5, 0.5]), np.zeros((2, 1), dtype=int))
    households.cash = np.array([10.0, 10.0])
    ones = np.ones(2)
    open_firms(firms, households, np.array([0, 1]), np.array([0.3, 0.1]), ones, ones, ones,
               ones, ones)  # fmt: skip
    np.testing.assert_allclose(firms.cash, [0.3, 0.1], rtol=1e-12)
    np.testing.assert_allclose(households.cash, [9.8, 9.8], rtol=1e-12)


def test_bankruptcy_to_entry_end_to_end_conserves_money():
    """Firm 3 (cash 5, debt 8, net worth -1) goes bankrupt: its bank recovers 5, writes
    off 3 against its equity (20 -> 17), and nothing is left for the owners; its two
    workers are laid off. Then an entrant takes slot 3 (markup 0.5, kappa 1, draw 0.1)
    and its owners put in 4. Base money, deposits + bank equity - loans, is the same
    before and after, and the bank's loans equal the firms' debts."""
    firms = five_firms()
    firms.expected_demand[1] = 5.0  # not dormant here
    firms.bank[:] = 0
    banks = Banks(np.array([20.0]))
    banks.loans = np.array([firms.debt.sum() - firms.debt[4]])
    firms.debt[4] = 0.0
    workers = workers_of_five_firms()
    households = Households(np.array([0.5, 0.5]), np.zeros((2, 2), dtype=int))
    households.cash = np.array([30.0, 30.0])

    def base_money() -> float:
        return households.cash.sum() + firms.cash.sum() + banks.equity.sum() - banks.loans.sum()

    before = base_money()
    exiting, bankrupt = exiting_firms(firms, np.zeros(5, dtype=bool), 2)
    np.testing.assert_array_equal(exiting, [3])
    np.testing.assert_array_equal(bankrupt, [False, False, False, True, False])
    bad = write_off(firms, banks, exiting)
    assert bad == pytest.approx(3.0)
    assert banks.equity[0] == pytest.approx(17.0) and banks.written_off[0] == pytest.approx(3.0)
    close_firms(firms, workers, households, exiting)
    np.testing.assert_allclose(households.cash, [30.0, 30.0], rtol=1e-12)
    assert (workers.employer != 3).all() and workers.employer[4] == UNEMPLOYED
    entering = entering_slots(firms, np.array([0.5, 0.5]), 1.0, FixedDraws(0.1))
    np.testing.assert_array_equal(entering, [3, 4])
    open_firms(
        firms, households, entering[:1], np.array([4.0]), np.array([1.0]), np.array([1.0]),
        np.array([1.0]), np.array([1.0]), np.array([0.1]),
    )  # fmt: skip
    np.testing.assert_allclose(households.cash, [28.0, 28.0], rtol=1e-12)
    assert firms.cash[3] == pytest.approx(4.0)
    assert base_money() == pytest.approx(before, rel=1e-12)
    assert banks.loans.sum() == pytest.approx(firms.debt.sum(), rel=1e-12)


def test_a_sector_without_demand_keeps_its_firms():
    """Two active firms of two years with no expected demand: the sector's mean is 0,
    and no demand is below 1/1000 of 0, so neither is dormant (nor bankrupt: net worth
    1). A firm of 13 months with 0.002, below 1/1000 of its sector's mean of
    (20 + 0.002) / 2 = 10.001, is dormant."""
    firms = Firms(np.array([0, 0, 1, 1]), 1)
    firms.cash = np.ones(4)
    firms.expected_demand = np.array([0.0, 0.0, 20.0, 0.002])
    firms.age = np.array([24, 24, 13, 13])
    exiting, bankrupt = exiting_firms(firms, np.zeros(4, dtype=bool), 2)
    np.testing.assert_array_equal(exiting, [3])
    assert not bankrupt.any()


def test_a_lone_empty_slot_with_no_margin_stays_empty():
    """One empty slot, sector markup 0: chance 0, so even a draw of 0 takes nothing."""
    firms = Firms(np.array([0, 0]), 1)
    firms.active = np.array([True, False])
    assert entering_slots(firms, np.array([0.0]), 2.0, FixedDraws(0.0)).size == 0


def test_each_empty_slot_draws_its_own_entry():
    """Slots 1 and 2 empty with chance 2 x 0.25 = 0.5 each; the generator's first two
    draws with seed 0 are 0.637 and 0.270: only slot 2 is taken."""
    firms = Firms(np.array([0, 0, 0]), 1)
    firms.active = np.array([True, False, False])
    draws = np.random.default_rng(0).random(2)
    assert draws[0] >= 0.5 > draws[1]  # the draws this test relies on
    taken = entering_slots(firms, np.array([0.25]), 2.0, np.random.default_rng(0))
    np.testing.assert_array_equal(taken, [2])

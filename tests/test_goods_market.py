"""The goods market on hand-built states: budgets, stocks, the order of visits,
rationing and loyalty, with every expected number worked out in the test.

The rules under test (docs/model.md, goods market): a household splits its budget
across sectors by the given shares; in each sector it visits its loyal firm and
``Z - 1`` others, tries them from the cheapest up (another firm's price counted as
``p (1 + loyalty)``), buys what its remaining dollars and the firm's stock allow, and
takes what it could not buy to the next firm; what is left is saved. Its loyalty
moves to the firm it spent the most at.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.agents.firms import Firms
from sim.agents.households import Households
from sim.markets.goods import shop
from tests.fixed_draws import FixedDraws

LAST_FIRM = 0.999
"""A draw that picks the last firm of a sector (draw x size rounds down to size - 1)."""


def market(firms_per_sector, prices, stock, loyal, n_households=1):
    """Firms grouped by sector with the given prices and stocks, and households
    loyal to the given firms (one per sector)."""
    sector = np.repeat(np.arange(len(firms_per_sector)), firms_per_sector)
    firms = Firms(sector, 1)
    firms.price = np.array(prices, dtype=float)
    firms.inventory = np.array(stock, dtype=float)  # a copy: shopping draws it down
    households = Households(
        np.full(n_households, 1.0 / n_households), np.tile(loyal, (n_households, 1))
    )
    bounds = np.concatenate(([0], np.cumsum(firms_per_sector)))
    return households, firms, bounds


def test_cheapest_firm_first_then_the_rest_of_the_budget_at_the_next():
    """Loyal firm A at $3 with ample stock, firm B at $2 with 2 units. B counts as
    2 x 1.2 = 2.4 < 3, so the household buys B's 2 units ($4) and spends the other $6
    at A (2 units). Demand is counted once: B sold 2 and A served the rest, so each was
    asked for 2 units (B's unmet 3 units were met at A), and B is flagged stocked out.
    Its loyalty moves to A, where it spent the most."""
    households, firms, bounds = market([2], [3.0, 2.0], [100.0, 2.0], loyal=[0])
    result = shop(households, firms, np.array([10.0]), np.array([1.0]), bounds, 2, 0.2,
                  FixedDraws(LAST_FIRM))  # fmt: skip
    assert result.spending[0] == pytest.approx(10.0, rel=1e-12)
    np.testing.assert_allclose(firms.sales, [2.0, 2.0], rtol=1e-12)
    np.testing.assert_allclose(result.revenue, [6.0, 4.0], rtol=1e-12)
    np.testing.assert_allclose(firms.inventory, [98.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(firms.demand, [2.0, 2.0], rtol=1e-12)
    np.testing.assert_array_equal(firms.stocked_out, [False, True])
    assert households.loyal[0, 0] == 0


def test_loyalty_keeps_the_household_at_its_firm_when_the_saving_is_small():
    """The same firms, loyalty 0.6: B counts as 2 x 1.6 = 3.2 > 3, so the whole $10
    goes to loyal A (10/3 units) and B sells nothing."""
    households, firms, bounds = market([2], [3.0, 2.0], [100.0, 2.0], loyal=[0])
    result = shop(households, firms, np.array([10.0]), np.array([1.0]), bounds, 2, 0.6,
                  FixedDraws(LAST_FIRM))  # fmt: skip
    np.testing.assert_allclose(firms.sales, [10.0 / 3.0, 0.0], rtol=1e-12)
    assert result.spending[0] == pytest.approx(10.0, rel=1e-12)
    assert firms.demand[1] == 0.0
    assert households.loyal[0, 0] == 0


def test_loyalty_moves_to_the_firm_where_most_was_spent():
    """Loyal A at $3, B at $1 with 8 units: B comes first (1.2 < 3), takes $8 of the
    $10, A gets $2; loyalty moves to B."""
    households, firms, bounds = market([2], [3.0, 1.0], [100.0, 8.0], loyal=[0])
    shop(households, firms, np.array([10.0]), np.array([1.0]), bounds, 2, 0.2,
         FixedDraws(LAST_FIRM))  # fmt: skip
    np.testing.assert_allclose(firms.sales * firms.price, [2.0, 8.0], rtol=1e-12)
    assert households.loyal[0, 0] == 1


def test_budget_splits_across_sectors_by_the_given_shares():
    """Shares 0.3 and 0.7 of a $20 budget, one firm per sector at $2 and $0.5, ample
    stock: $6 (3 units) in the first sector, $14 (28 units) in the second."""
    households, firms, bounds = market([1, 1], [2.0, 0.5], [100.0, 100.0], loyal=[0, 1])
    result = shop(households, firms, np.array([20.0]), np.array([0.3, 0.7]), bounds, 1, 0.0,
                  FixedDraws(LAST_FIRM))  # fmt: skip
    np.testing.assert_allclose(firms.sales, [3.0, 28.0], rtol=1e-12)
    assert result.spending[0] == pytest.approx(20.0, rel=1e-12)


def test_a_sold_out_firm_rations_first_come_first_served_and_the_rest_is_saved():
    """One firm with 3 units at $1.5 and two households with $3 each (2 units wanted
    each): the first in the queue gets 2 units, the second the last unit; $1.5 is
    saved, and the firm was asked for 4 units (3 sold, 1 turned away and met nowhere)."""
    households, firms, bounds = market([1], [1.5], [3.0], loyal=[0], n_households=2)
    result = shop(households, firms, np.array([3.0, 3.0]), np.array([1.0]), bounds, 1, 0.0,
                  np.random.default_rng(5))  # fmt: skip
    assert sorted(result.spending) == pytest.approx([1.5, 3.0], rel=1e-12)
    assert firms.sales[0] == pytest.approx(3.0, rel=1e-12)
    assert firms.inventory[0] == pytest.approx(0.0, abs=1e-12)
    assert firms.demand[0] == pytest.approx(4.0, rel=1e-12)


def test_queue_order_decides_who_is_served():
    """With the identity queue the first household is served in full."""
    households, firms, bounds = market([1], [1.5], [3.0], loyal=[0], n_households=2)
    result = shop(households, firms, np.array([3.0, 3.0]), np.array([1.0]), bounds, 1, 0.0,
                  FixedDraws(LAST_FIRM))  # fmt: skip
    np.testing.assert_allclose(result.spending, [3.0, 1.5], rtol=1e-12)


def test_equal_perceived_prices_keep_the_loyal_firm_first():
    """Loyalty 0 and equal prices: the loyal firm comes first among equals and sells
    all it can (4 units of the 5 wanted), the other firm the remaining unit."""
    households, firms, bounds = market([2], [2.0, 2.0], [4.0, 50.0], loyal=[0])
    shop(households, firms, np.array([10.0]), np.array([1.0]), bounds, 2, 0.0,
         FixedDraws(LAST_FIRM))  # fmt: skip
    np.testing.assert_allclose(firms.sales, [4.0, 1.0], rtol=1e-12)


def test_a_zero_budget_buys_nothing_and_asks_for_nothing():
    households, firms, bounds = market([2], [1.0, 1.0], [5.0, 5.0], loyal=[1])
    result = shop(households, firms, np.array([0.0]), np.array([1.0]), bounds, 2, 0.1,
                  FixedDraws(0.0))  # fmt: skip
    assert result.spending[0] == 0.0
    assert not firms.demand.any() and not firms.sales.any()
    assert households.loyal[0, 0] == 1


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n_households=st.integers(1, 40),
    firms_per_sector=st.lists(st.integers(1, 5), min_size=1, max_size=3),
    shops_visited=st.integers(1, 4),
    loyalty=st.floats(0.0, 0.5),
)
def test_random_states_respect_budgets_stocks_and_money(
    seed, n_households, firms_per_sector, shops_visited, loyalty
):
    """On random states with scarce stock and prices far from 1: no household spends
    more than its budget; no firm sells more than its stock; stocks fall by the units
    sold; revenue is units sold times price and adds up to what households spent; a
    firm is never asked for less than it sold; and a sector whose households spent
    less than they budgeted for it has a sold-out firm."""
    rng = np.random.default_rng(seed)
    n_firms, n_sectors = sum(firms_per_sector), len(firms_per_sector)
    prices = rng.uniform(0.2, 5.0, n_firms)
    stock = rng.uniform(0.0, 4.0, n_firms) * (rng.random(n_firms) < 0.8)
    households, firms, bounds = market(firms_per_sector, prices, stock, loyal=[0] * n_sectors,
                                       n_households=n_households)  # fmt: skip
    first = bounds[:-1]
    size = np.diff(bounds)
    households.loyal[:] = first + rng.integers(0, 1 << 30, (n_households, n_sectors)) % size
    budget = rng.uniform(0.0, 20.0, n_households)
    shares = rng.dirichlet(np.ones(n_sectors))
    result = shop(households, firms, budget, shares, bounds, shops_visited, loyalty, rng)

    assert (result.spending >= 0.0).all()
    assert (result.spending <= budget * (1 + 1e-12)).all()
    assert (firms.sales <= stock * (1 + 1e-12)).all()
    np.testing.assert_allclose(firms.inventory, stock - firms.sales, atol=1e-12)
    assert (firms.inventory >= -1e-12).all()
    np.testing.assert_allclose(result.revenue, firms.sales * prices, rtol=1e-12)
    assert result.revenue.sum() == pytest.approx(result.spending.sum(), rel=1e-12, abs=1e-12)
    assert (firms.demand >= firms.sales * (1 - 1e-12)).all()
    sector = np.repeat(np.arange(n_sectors), firms_per_sector)
    for s in range(n_sectors):
        received = result.revenue[sector == s].sum()
        assert received <= shares[s] * budget.sum() * (1 + 1e-12)
        if received < shares[s] * budget.sum() * (1 - 1e-9):
            assert (firms.inventory[sector == s] <= 1e-12).any()
    assert ((households.loyal >= first) & (households.loyal < bounds[1:])).all()


class VisitDraws(FixedDraws):
    """The identity queue and the given draws of the random visits."""

    def __init__(self, draws) -> None:
        super().__init__(0.0)
        self.draws = np.asarray(draws, dtype=np.float32)

    def random(self, size=None, dtype=np.float64):
        assert size == self.draws.shape, size
        return self.draws.astype(dtype)


def test_visits_are_sorted_by_perceived_price_however_they_arrive():
    """Four firms, loyalty 0, one unit of stock each: loyal firm 0 at $1, then the
    random visits (draws 0.3, 0.6, 0.9 of four firms) firm 1 at $3, firm 2 at $2 and
    firm 3 at $2.5. Sorted: 0, 2, 3, 1. A budget of $4 buys a unit at firm 0 ($1), a
    unit at firm 2 ($2) and $1 of firm 3 (0.4 units); firm 1 sells nothing. Loyalty
    moves to firm 2 ($2, the most)."""
    households, firms, bounds = market([4], [1.0, 3.0, 2.0, 2.5], [1.0] * 4, loyal=[0])
    result = shop(households, firms, np.array([4.0]), np.array([1.0]), bounds, 4, 0.0,
                  VisitDraws([[[0.3]], [[0.6]], [[0.9]]]))  # fmt: skip
    assert result.spending[0] == pytest.approx(4.0, rel=1e-12)
    np.testing.assert_allclose(firms.sales, [1.0, 0.0, 1.0, 0.4], rtol=1e-12)
    np.testing.assert_array_equal(firms.stocked_out, [True, False, True, False])
    assert households.loyal[0, 0] == 2


def test_a_household_visiting_one_firm_saves_what_it_cannot_buy_there():
    """Z = 1: only the loyal firm (sold out) is visited, though firm 1 has stock; the
    $4 are saved and counted as demand for 4 / 2 = 2 units at firm 0."""
    households, firms, bounds = market([2], [2.0, 1.0], [0.0, 5.0], loyal=[0])
    result = shop(households, firms, np.array([4.0]), np.array([1.0]), bounds, 1, 0.0,
                  FixedDraws(LAST_FIRM))  # fmt: skip
    assert result.spending[0] == 0.0
    np.testing.assert_array_equal(firms.sales, [0.0, 0.0])
    np.testing.assert_allclose(firms.demand, [2.0, 0.0], rtol=1e-12)
    assert firms.stocked_out[0] and not firms.stocked_out[1]


def test_small_purchases_after_a_sector_with_no_share():
    """Shares 0 and 1: nothing in sector 0, all $0.5 in sector 1, where firm 3 ($1,
    counted before loyal firm 2 at $2) has 0.1 units: the household buys them ($0.1),
    finds firm 2 sold out too, and saves $0.4, counted as 0.4 units of demand at
    firm 3, the first to turn it away. Loyalty moves to firm 3 for a $0.1 purchase."""
    households, firms, bounds = market([2, 2], [1.0, 1.0, 2.0, 1.0], [5.0, 5.0, 0.0, 0.1],
                                       loyal=[0, 2])  # fmt: skip
    result = shop(households, firms, np.array([0.5]), np.array([0.0, 1.0]), bounds, 2, 0.0,
                  FixedDraws(LAST_FIRM))  # fmt: skip
    assert result.spending[0] == pytest.approx(0.1, rel=1e-12)
    np.testing.assert_allclose(firms.sales, [0.0, 0.0, 0.0, 0.1], rtol=1e-12)
    np.testing.assert_allclose(firms.demand, [0.0, 0.0, 0.0, 0.5], rtol=1e-12)
    np.testing.assert_array_equal(firms.stocked_out, [False, False, True, True])
    np.testing.assert_array_equal(households.loyal[0], [0, 3])


def test_unmet_demand_is_counted_at_firm_zero_when_it_runs_out_first():
    """Firm 0 ($1, 1 unit) comes first and runs out, then firm 1 ($2, none): the
    unspent $3 count as 3 / 1 = 3 units at firm 0, the first to turn the household
    away (demand 1 + 3 = 4), not at firm 1."""
    households, firms, bounds = market([2], [1.0, 2.0], [1.0, 0.0], loyal=[0])
    shop(households, firms, np.array([4.0]), np.array([1.0]), bounds, 2, 0.0,
         FixedDraws(LAST_FIRM))  # fmt: skip
    np.testing.assert_allclose(firms.demand, [4.0, 0.0], rtol=1e-12)


def test_equal_spending_at_two_firms_keeps_the_loyalty_at_the_first():
    """Loyal firm 0 and firm 1 both at $2 (firm 1 counted at 2.2): $2 at each, a tie;
    the loyalty stays with the firm visited first."""
    households, firms, bounds = market([2], [2.0, 2.0], [1.0, 5.0], loyal=[0])
    shop(households, firms, np.array([4.0]), np.array([1.0]), bounds, 2, 0.1,
         FixedDraws(LAST_FIRM))  # fmt: skip
    np.testing.assert_allclose(firms.sales, [1.0, 1.0], rtol=1e-12)
    assert households.loyal[0, 0] == 0

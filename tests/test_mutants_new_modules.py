"""Hand-built checks of the money rule (docs/model.md section 10), capital (section 13b)
and AI adoption (section 2b) that the mutation run asked for (issue 14): each test
pins a term of an equation, a branch or a boundary that the modules' own tests left
free. Expected numbers are worked out by hand in the comments."""

from __future__ import annotations

import re
import warnings
from types import SimpleNamespace

import numpy as np
import pytest

from sim.accounting import CapitalCheck
from sim.agents.banks import Banks
from sim.agents.firms import Firms
from sim.markets.adoption import Adoption
from sim.markets.investment import CapitalGoods, split_purchase
from sim.scenario import build_scenario
from sim.scenario.schema import AdoptionConfig, CapitalConfig, CreditConfig
from tests.fixed_draws import FixedDraws
from tests.test_capital import CAPITAL


class SequenceDraws:
    """A stand-in generator whose uniform draws are the given numbers, in order (a
    scalar draw is the first of them)."""

    def __init__(self, values: list[float]) -> None:
        self.values = np.array(values)

    def random(self, size=None):
        """The draws (``size`` must be their number), or the first as a scalar."""
        if size is None:
            return float(self.values[0])
        assert size == self.values.size, f"asked for {size} draws, have {self.values.size}"
        return self.values.copy()


def firms_with(adopter: list[bool], active: list[bool]) -> Firms:
    """Firms of one sector with the given adopter and active flags."""
    firms = Firms(np.zeros(len(adopter), dtype=int), 1)
    firms.adopter = np.array(adopter)
    firms.active = np.array(active)
    return firms


# --- AI adoption (section 2b) ---------------------------------------------------------


def test_each_entrant_draws_its_own_number_against_the_share():
    # Active incumbents 0-3, three adopters: F = 0.75. Entrants 4 and 5 draw 0.7 and 0.8:
    # the first adopts, the second does not; a draw of exactly F does not adopt (u < F
    # happens with probability F).
    config = AdoptionConfig(enabled=True)
    firms = firms_with([True, True, True, False, False, False], [True] * 4 + [False] * 2)
    Adoption(config).enter(firms, np.array([4, 5]), SequenceDraws([0.7, 0.8]))
    assert firms.adopter[4:].tolist() == [True, False]
    firms = firms_with([True, True, True, False, False, False], [True] * 4 + [False] * 2)
    Adoption(config).enter(firms, np.array([4, 5]), FixedDraws(0.75))
    assert firms.adopter[4:].tolist() == [False, False]


def test_a_single_entrant_draws_too():
    # One entrant into F = 0.75 with a draw of 0.7 adopts (its slot was a non-adopter).
    firms = firms_with([True, True, True, False, False], [True] * 4 + [False])
    Adoption(AdoptionConfig(enabled=True)).enter(firms, np.array([4]), FixedDraws(0.7))
    assert firms.adopter[4]


def test_entrants_draw_nothing_when_diffusion_is_off():
    # Off: every firm is an adopter and stays one, and the generator is not touched.
    firms = firms_with([True] * 4, [True, True, False, False])
    rng = np.random.default_rng(5)
    state = rng.bit_generator.state
    Adoption(AdoptionConfig(enabled=False)).enter(firms, np.array([2, 3]), rng)
    assert rng.bit_generator.state == state
    assert firms.adopter.all()


def test_each_non_adopter_draws_its_own_number_against_the_hazard():
    # F = 1/4 among four active firms, p = 0.1, q = 0.4: h = 0.1 + 0.4 x 0.25 = 0.2.
    # Non-adopters 1, 2, 3 draw 0.19, 0.2 and 0.5: only the first adopts (a draw equal
    # to h does not); one new adopter.
    config = AdoptionConfig(enabled=True, innovation=0.1, imitation=0.4)
    firms = firms_with([True, False, False, False], [True] * 4)
    assert Adoption(config).diffuse(firms, SequenceDraws([0.19, 0.2, 0.5])) == 1
    assert firms.adopter.tolist() == [True, True, False, False]


def test_initial_adopters_by_draw():
    # F(0) = 0.3: draws 0.29, 0.3 and 0.31 make only the first firm an adopter; with
    # diffusion off every firm is one.
    adoption = Adoption(AdoptionConfig(enabled=True, initial_share=0.3))
    adopters = adoption.initial_adopters(np.ones(3), SequenceDraws([0.29, 0.3, 0.31]))
    assert adopters.tolist() == [True, False, False]
    # None drawn (all draws at or above F(0)): the firm with the lowest draw adopts.
    lowest = adoption.initial_adopters(np.ones(3), SequenceDraws([0.5, 0.31, 0.9]))
    assert lowest.tolist() == [False, True, False]
    off = Adoption(AdoptionConfig(enabled=False)).initial_adopters(np.ones(3), FixedDraws(0.9))
    assert off.dtype == bool and off.tolist() == [True, True, True]
    # So with diffusion off the step-0 calibration uses F(0) = 1, whatever the key says.
    assert Adoption(AdoptionConfig(enabled=False, initial_share=0.3)).initial_share == 1.0
    assert Adoption(AdoptionConfig(enabled=True, initial_share=0.3)).initial_share == 0.3


# --- Capital (section 13b) ------------------------------------------------------------

# CAPITAL (tests/test_capital.py): delta_m = 0.01 a month, kappa = 1/12, K* = 15 S_e.
NO_CAPITAL = CapitalConfig(enabled=False, goods_sector="manufacturing")
SECTORS = ["care", "manufacturing", "retail"]
BOUNDS = np.array([0, 1, 3, 4])


def test_the_capital_goods_sector_is_its_firms_slice():
    # Manufacturing is sector 1, firms 1 and 2 of bounds [0, 1, 3, 4].
    goods = CapitalGoods(CAPITAL, SECTORS, BOUNDS)
    assert goods.sector_index == 1
    assert goods.sector == slice(1, 3)
    assert (goods.spending, goods.bought, goods.paid) == (0.0, 0.0, 0.0)
    assert (goods.scrapped, goods.written_off) == (0.0, 0.0)


def test_without_capital_the_goods_sector_is_not_looked_up():
    # The schema accepts any capital.goods_sector while capital is off (a one-sector
    # economy, or a sector that does not exist): building the market must not fail.
    off = CapitalConfig(enabled=False, goods_sector="mining")
    goods = CapitalGoods(off, SECTORS, BOUNDS)
    assert goods.sector_index == 0
    goods = CapitalGoods(NO_CAPITAL, ["care"], np.array([0, 3]))
    assert goods.sector_index == 0 and goods.sector == slice(0, 3)


def test_an_empty_purchase_gives_nothing_to_anyone():
    # No spending at all: everyone gets zero units and pays zero (no 0/0).
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        units, paid = split_purchase(np.zeros(3), 0.0, 0.0)
    assert units.shape == paid.shape == (3,)
    np.testing.assert_array_equal(units, np.zeros(3))
    np.testing.assert_array_equal(paid, np.zeros(3))


def test_zero_productivity_or_cost_gives_no_capital_and_no_warning():
    # kappa_i = 0: no capital wanted, no capital cost; c_i = 0: efficiency 1 (kappa).
    goods = CapitalGoods(CAPITAL, SECTORS, BOUNDS)
    firms = Firms(np.zeros(2, dtype=int), 1)
    firms.unit_cost = np.array([0.0, 0.5])
    firms.capital = np.array([24.0, 24.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        desired = goods.desired_capital(np.array([8.0, 8.0]), np.array([0.0, 1.0 / 12.0]))
        cost = goods.unit_cost(2.0, 0.06, np.array([0.0, 1.0 / 12.0]))
        goods.update_capacity(firms, 1.0)
    # 8 / (1/12 x 0.8) = 120; 2 x (0.005 + 0.01) / (1/12 x 0.8) = 0.45; reference cost
    # 1 before the books open: kappa_i = (1/12) x 1 x 1 / 0.5 = 1/6, capacity 4.
    np.testing.assert_allclose(desired, [0.0, 120.0])
    np.testing.assert_allclose(cost, [0.0, 0.45])
    np.testing.assert_allclose(firms.capital_productivity, [1.0 / 12.0, 1.0 / 6.0])
    np.testing.assert_allclose(firms.capacity, [2.0, 4.0])
    # 0 / 0 (no sales and no productivity; free capital goods and a zero unit cost) is
    # no warning either: no capital, no cost, efficiency 1 (and 0 at a zero price).
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        desired = goods.desired_capital(np.array([0.0]), np.array([0.0]))
        cost = goods.unit_cost(0.0, 0.0, np.array([0.0, 1.0 / 12.0]))
        goods.update_capacity(firms, 0.0)
    np.testing.assert_array_equal(desired, [0.0])
    np.testing.assert_array_equal(cost, [0.0, 0.0])
    np.testing.assert_allclose(firms.capital_productivity, [1.0 / 12.0, 0.0])


def test_without_capital_every_capital_rule_does_nothing():
    goods = CapitalGoods(NO_CAPITAL, SECTORS, BOUNDS)
    assert not goods.enabled
    assert build_scenario(overrides={"capital.enabled": False}).initial_investment_share() == 0.0
    firms = Firms(np.array([0, 1, 1, 2]), 1)
    firms.unit_cost[:] = 0.5
    firms.output[:] = 10.0
    firms.expected_sales[:] = 10.0
    firms.cash[:] = 100.0
    goods.open_books(firms)
    goods.update_capacity(firms, 2.0)
    banks = Banks(np.array([1e6]))
    goods.open_loans(firms, banks, 24.0)
    goods.invest(firms, banks, CreditConfig(), 0.05, 1.0, np.zeros(4))
    goods.record_sales(firms)
    assert np.all(np.isinf(firms.capacity))
    for name in ("capital", "capital_value", "capital_productivity", "investment",
                 "investment_spending", "capital_debt", "debt", "sales", "revenue"):  # fmt: skip
        np.testing.assert_array_equal(getattr(firms, name), np.zeros(4), err_msg=name)
    np.testing.assert_array_equal(firms.cash, np.full(4, 100.0))
    assert banks.loans.sum() == 0.0
    cost = goods.unit_cost(2.0, 0.06, np.array([0.1, 0.2]))
    np.testing.assert_array_equal(cost, np.zeros(2))


def test_step_zero_books_loans_and_replacement_investment():
    # Two firms expecting to sell 10 and 4 at unit cost 0.5 (c_0 = 0.5): kappa_i = kappa,
    # K = 12 theta S_e = 150 and 60, valued at 150 and 60; replacement investment
    # delta_m K = 1.5 and 0.6; capacity kappa K = 12.5 and 5. Loans D_K = T_L p_K I with
    # T_L = 24: 36 and 14.4, at banks 1 and 0 of three.
    goods = CapitalGoods(CAPITAL, SECTORS, BOUNDS)
    firms = Firms(np.zeros(2, dtype=int), 1)
    firms.unit_cost = np.array([0.5, 0.5])
    firms.expected_sales = np.array([10.0, 4.0])
    firms.bank = np.array([1, 0])
    goods.open_books(firms)
    assert goods.reference_cost == 0.5
    np.testing.assert_allclose(firms.capital, [150.0, 60.0])
    np.testing.assert_allclose(firms.capital_value, [150.0, 60.0])
    np.testing.assert_allclose(firms.investment, [1.5, 0.6])
    np.testing.assert_allclose(firms.investment_spending, [1.5, 0.6])
    np.testing.assert_allclose(firms.capacity, [12.5, 5.0])
    banks = Banks(np.array([1e6, 1e6, 1e6]))  # bank 2 has no borrower
    banks.loans[:] = [1.0, 2.0, 3.0]
    goods.open_loans(firms, banks, 24.0)
    np.testing.assert_allclose(firms.capital_debt, [36.0, 14.4])
    np.testing.assert_allclose(firms.debt, [36.0, 14.4])
    np.testing.assert_allclose(banks.loans, [1.0 + 14.4, 2.0 + 36.0, 3.0])
    # The copies are copies: capital value and spending are not the same arrays.
    firms.capital_value[0] = 0.0
    firms.investment_spending[0] = 0.0
    firms.debt[0] = 0.0
    assert firms.capital[0] == pytest.approx(150.0) and firms.investment[0] == pytest.approx(1.5)
    assert firms.capital_debt[0] == pytest.approx(36.0)


def test_sales_of_capital_goods_are_added_to_the_sellers_books():
    # Sellers 1 and 2 (the manufacturing slice) sold 3 and 0.5 of asked 3 and 1 for 6 and
    # 1 dollars, on top of 10 units and 20 dollars sold to households; the second ran out.
    goods = CapitalGoods(CAPITAL, SECTORS, BOUNDS)
    firms = Firms(np.array([0, 1, 1, 2]), 1)
    firms.sales[:] = 10.0
    firms.demand[:] = 12.0
    firms.revenue[:] = 20.0
    firms.stocked_out[1] = True  # it ran out in the shops, whatever it sold as capital
    goods.sales = (np.array([3.0, 0.5]), np.array([6.0, 1.0]), np.array([3.0, 1.0]))
    goods.record_sales(firms)
    np.testing.assert_array_equal(firms.sales, [10.0, 13.0, 10.5, 10.0])
    np.testing.assert_array_equal(firms.demand, [12.0, 15.0, 13.0, 12.0])
    np.testing.assert_array_equal(firms.revenue, [20.0, 26.0, 21.0, 20.0])
    np.testing.assert_array_equal(firms.stocked_out, [False, True, True, False])
    # A shortfall of no more than the rounding tolerance (1e-12 of what was asked) is
    # not a stock-out.
    firms.stocked_out[:] = False
    goods.sales = (np.array([1.0 - 1e-12, 1.0]), np.array([2.0, 2.0]), np.array([1.0, 1.0]))
    goods.record_sales(firms)
    np.testing.assert_array_equal(firms.stocked_out, [False, False, False, False])


def test_exiting_firms_write_off_their_capital_and_entrants_take_over_what_they_need():
    goods = CapitalGoods(CAPITAL, SECTORS, BOUNDS)
    firms = Firms(np.zeros(3, dtype=int), 1)
    firms.capital = np.array([10.0, 20.0, 40.0])
    firms.capital_value = np.array([1.0, 2.0, 4.0])
    goods.write_off(firms, np.array([0, 2]))
    assert (goods.scrapped, goods.written_off) == (0.0, 5.0)
    np.testing.assert_array_equal(firms.capital, [10.0, 20.0, 40.0])  # plants stay
    np.testing.assert_array_equal(firms.capital_value, [0.0, 2.0, 0.0])
    # Entrants in slots 0 and 2 need 15 and 25 units: slot 0 keeps its 10 and buys 5;
    # slot 2 keeps 25 of its 40 and scraps 15.
    to_buy = goods.take_over(firms, np.array([0, 2]), np.array([15.0, 25.0]))
    np.testing.assert_array_equal(to_buy, [5.0, 0.0])
    np.testing.assert_array_equal(firms.capital, [10.0, 20.0, 25.0])
    assert goods.scrapped == 15.0
    goods.write_off(firms, np.array([], dtype=int))  # a new month starts from nothing
    assert goods.scrapped == 0.0


def test_the_capital_series_by_hand():
    # Active firms 0 and 1 (firm 2 is an empty slot): capital 100 + 50, capacity 10 + 6,
    # output 8 + 4 -> utilisation 12 / 16 = 0.75. Nominal GDP: sector 0 output 8 + 4 at
    # price 2, sector 1 (firm 2's 5, an empty slot still counted) at price 1: 29;
    # investment 2.9 -> share 0.1.
    goods = CapitalGoods(CAPITAL, SECTORS, BOUNDS)
    goods.spending, goods.bought = 2.9, 1.45
    firms = Firms(np.array([0, 0, 1]), 1)
    firms.active = np.array([True, True, False])
    firms.capital = np.array([100.0, 50.0, 30.0])
    firms.capacity = np.array([10.0, 6.0, 99.0])
    firms.output = np.array([8.0, 4.0, 5.0])
    model = SimpleNamespace(
        firms=firms, sector_price=np.array([2.0, 1.0, 3.0]),
        this_month=SimpleNamespace(consumption=7.0),
    )  # fmt: skip
    report = goods.reports(model)
    assert report == pytest.approx({
        "consumption": 7.0, "investment": 2.9, "real_investment": 1.45, "capital_stock": 150.0,
        "capacity_utilisation": 0.75, "investment_share": 0.1,
    })  # fmt: skip
    # No capital: capacity is infinite (Firms' default, never updated), utilisation
    # reported as 0 however much is produced.
    off = CapitalGoods(NO_CAPITAL, SECTORS, BOUNDS)
    firms.capacity[:] = np.inf
    report = off.reports(model)
    assert report["capacity_utilisation"] == 0.0 and report["investment"] == 0.0
    # A small economy: capacity 0.5 + 0.3, output 0.3 + 0.1 -> utilisation 0.5; nominal
    # GDP 0.4 at price 1 (the empty slot makes nothing) and investment 0.04 -> 0.1.
    firms.capacity = np.array([0.5, 0.3, np.inf])
    firms.output = np.array([0.3, 0.1, 0.0])
    model.sector_price = np.array([1.0, 1.0, 1.0])
    goods.spending = 0.04
    report = goods.reports(model)
    assert report["capacity_utilisation"] == pytest.approx(0.5)
    assert report["investment_share"] == pytest.approx(0.1)
    # No output at all: no investment share (not 0.04 / 0).
    firms.output[:] = 0.0
    assert goods.reports(model)["investment_share"] == 0.0


def entrant_market() -> tuple[Firms, Banks, CapitalGoods]:
    """Firm 0 (care) enters with no capital expecting sales of 8, cash 200 and 10 of
    earlier investment loans; firms 1 and 2 make capital goods at price 2 with 100 in
    stock and 1000 units of capital each (they order none); firm 3 is an empty slot."""
    firms = Firms(np.array([0, 1, 1, 2]), 1)
    firms.price = np.array([1.0, 2.0, 2.0, 1.0])
    firms.unit_cost = np.ones(4)
    firms.expected_demand = np.array([8.0, 10.0, 10.0, 8.0])
    firms.expected_sales = firms.expected_demand.copy()
    firms.inventory = np.array([0.0, 100.0, 100.0, 0.0])
    firms.capital = np.array([0.0, 1000.0, 1000.0, 0.0])
    firms.capital_value = firms.capital.copy()
    firms.cash = np.array([200.0, 0.0, 0.0, 300.0])
    firms.age = np.array([0, 5, 5, 5])
    firms.active = np.array([True, True, True, False])
    firms.capital_productivity = np.full(4, 1.0 / 12.0)
    firms.capital_debt = np.array([10.0, 0.0, 0.0, 0.0])
    firms.debt = firms.capital_debt.copy()
    banks = Banks(np.array([1e6]))
    goods = CapitalGoods(CAPITAL, SECTORS, BOUNDS)
    return firms, banks, goods


def test_an_entrant_buys_its_whole_stock_and_an_empty_slot_buys_nothing():
    """Firm 0 enters (age 0) expecting sales of 8: K* = 15 x 8 = 120, all ordered at
    once (T = 1), 240 dollars at p_K = 2. Cash 200 less its buffer 40 leaves 160; it
    borrows 80 on top of 10 of earlier investment loans. The sellers (firms 1 and 2,
    price 2, expected demand 10 each) are asked 60 units each and have 100: 120 units
    for 240 dollars. Firm 3 is an empty slot with cash: it orders nothing. Firm 0's
    interest rate: r_bar + phi x debt / net worth = 0.05 + phi x 90 / 190."""
    firms, banks, goods = entrant_market()
    credit = CreditConfig()
    goods.invest(firms, banks, credit, 0.05, 2.0, np.array([40.0, 0.0, 0.0, 0.0]))
    np.testing.assert_allclose(firms.capital_debt, [90.0, 0.0, 0.0, 0.0])
    np.testing.assert_allclose(firms.debt, [90.0, 0.0, 0.0, 0.0])
    assert firms.interest_rate[0] == pytest.approx(0.05 + credit.risk_premium * 90.0 / 190.0)
    np.testing.assert_allclose(firms.investment, [120.0, 0.0, 0.0, 0.0])
    np.testing.assert_allclose(firms.investment_spending, [240.0, 0.0, 0.0, 0.0])
    np.testing.assert_allclose(firms.capital, [120.0, 990.0, 990.0, 0.0])
    np.testing.assert_allclose(firms.capital_value, [240.0, 990.0, 990.0, 0.0])
    np.testing.assert_allclose(firms.cash, [200.0 + 80.0 - 240.0, 120.0, 120.0, 300.0])
    np.testing.assert_allclose(firms.inventory, [0.0, 40.0, 40.0, 0.0])
    assert (goods.spending, goods.bought, goods.paid) == pytest.approx((240.0, 120.0, 240.0))
    for got, want in zip(goods.sales, ([60.0, 60.0], [120.0, 120.0], [60.0, 60.0]), strict=True):
        np.testing.assert_allclose(got, want)


def test_less_than_a_dollar_above_the_buffer_buys_that_much_without_credit():
    # Cash 40.5 over a buffer of 40: 0.5 dollars of the 240 wanted, 0.125 units asked of
    # each seller at price 2: 0.25 units.
    firms, banks, goods = entrant_market()
    firms.cash[0] = 40.5
    keep = np.array([40.0, 0.0, 0.0, 0.0])
    goods.invest(firms, banks, CreditConfig(enabled=False), 0.05, 2.0, keep)
    np.testing.assert_allclose(firms.investment_spending, [0.5, 0.0, 0.0, 0.0])
    np.testing.assert_allclose(firms.investment, [0.25, 0.0, 0.0, 0.0])
    np.testing.assert_allclose(firms.cash, [40.0, 0.25, 0.25, 300.0])


# --- The capital accounts (CapitalCheck, section 13b) ---------------------------------


def capital_error(
    last: tuple[float, float],
    now: tuple[float, float],
    spent: float,
    flows: dict,
    tolerance: float = 0.5,
    enabled: bool = True,
) -> float:
    """CapitalCheck.verify on one firm that held ``last`` = (units, book value) and now
    holds ``now``, spent ``spent``; the market's flows ``bought``, ``scrapped``, ``paid``,
    ``written_off`` (0 unless given); delta_m = 0.25, so a quarter wears out."""
    check = CapitalCheck(np.array([last[0], 0.0]), np.array([last[1], 0.0]), tolerance)
    firms = SimpleNamespace(
        capital=np.array([now[0], 0.0]), capital_value=np.array([now[1], 0.0]),
        investment_spending=np.array([spent, 0.0]),
    )  # fmt: skip
    goods = SimpleNamespace(
        enabled=enabled, monthly_depreciation=0.25,
        **{"bought": 0.0, "scrapped": 0.0, "paid": 0.0, "written_off": 0.0, **flows},
    )  # fmt: skip
    return check.verify(firms, goods)


UNITS = "capital = (1 - depreciation) x last month's + bought - scrapped"
VALUE = "book value = (1 - depreciation) x last month's + paid - written off"
PAID = "paid by investors = paid to the capital-goods sector"


@pytest.mark.parametrize(
    ("last", "now", "spent", "flows", "error"),
    [
        # Units: 0.75 x 40 + 8 - 6 = 32 against 48: 16 / 48 (the stock now is largest).
        ((40.0, 0.0), (48.0, 0.0), 0.0, {"bought": 8.0, "scrapped": 6.0}, 1.0 / 3.0),
        # 0.75 x 200 + 8 - 6 = 152 against 160: 8 / 200 (last month's stock is largest).
        ((200.0, 0.0), (160.0, 0.0), 0.0, {"bought": 8.0, "scrapped": 6.0}, 0.04),
        # 0.75 x 4 + 20 - 10 = 13 against 14: 1 / 20 (the purchase is largest).
        ((4.0, 0.0), (14.0, 0.0), 0.0, {"bought": 20.0, "scrapped": 10.0}, 0.05),
        # 0.75 x 0.8 + 0.2 = 0.8 against 0.9: 0.1 / 1 (every stock and flow below 1).
        ((0.8, 0.0), (0.9, 0.0), 0.0, {"bought": 0.2}, 0.1),
        # Book value, the same four cases with dollars spent and written off (and paid
        # to the sector as spent).
        ((0.0, 40.0), (0.0, 48.0), 8.0, {"paid": 8.0, "written_off": 6.0}, 1.0 / 3.0),
        ((0.0, 200.0), (0.0, 160.0), 8.0, {"paid": 8.0, "written_off": 6.0}, 0.04),
        ((0.0, 4.0), (0.0, 14.0), 20.0, {"paid": 20.0, "written_off": 10.0}, 0.05),
        ((0.0, 0.8), (0.0, 0.9), 0.2, {"paid": 0.2}, 0.1),
        # Paid by investors 10 (bought at book value 10) against 8 received: 2 / 10; 8
        # against 10: 2 / 10; 0.5 against 0.25: 0.25 / 1.
        ((0.0, 0.0), (0.0, 10.0), 10.0, {"paid": 8.0}, 0.2),
        ((0.0, 0.0), (0.0, 8.0), 8.0, {"paid": 10.0}, 0.2),
        ((0.0, 0.0), (0.0, 0.5), 0.5, {"paid": 0.25}, 0.25),
        # Two gaps: units 8 / 200 = 0.04 and payments 0.1 / 10 = 0.01: the largest.
        ((200.0, 0.0), (160.0, 10.0), 10.0, {"bought": 8.0, "scrapped": 6.0, "paid": 9.9}, 0.04),
    ],
)
def test_each_capital_identity_is_measured_relative_to_its_largest_term(
    last, now, spent, flows, error
):
    assert capital_error(last, now, spent, flows) == pytest.approx(error, rel=1e-12)


def test_a_closed_capital_account_rolls_forward_month_by_month():
    # Month 1: units 0.75 x 200 + 8 - 6 = 152, value 0.75 x 100 + 12 - 7 = 80, paid 12.
    # Month 2 starts from those: 0.75 x 152 + 2 = 116, 0.75 x 80 + 4 = 64, paid 4.
    check = CapitalCheck(np.array([150.0, 50.0]), np.array([60.0, 40.0]))
    goods = SimpleNamespace(
        enabled=True, monthly_depreciation=0.25, bought=8.0, scrapped=6.0, paid=12.0,
        written_off=7.0,
    )  # fmt: skip
    firms = SimpleNamespace(
        capital=np.array([100.0, 52.0]), capital_value=np.array([50.0, 30.0]),
        investment_spending=np.array([5.0, 7.0]),
    )  # fmt: skip
    assert check.verify(firms, goods) == 0.0
    goods.bought, goods.scrapped, goods.paid, goods.written_off = 2.0, 0.0, 4.0, 0.0
    firms.capital, firms.capital_value = np.array([116.0, 0.0]), np.array([64.0, 0.0])
    firms.investment_spending = np.array([4.0, 0.0])
    assert check.verify(firms, goods) == 0.0
    # Without capital nothing wears out: 3 units stay 3.
    assert capital_error((3.0, 3.0), (3.0, 3.0), 0.0, {}, enabled=False) == 0.0


@pytest.mark.parametrize(
    ("last", "now", "spent", "flows", "identity"),
    [
        ((4.0, 0.0), (14.0, 0.0), 0.0, {"bought": 20.0, "scrapped": 10.0}, UNITS),
        ((0.0, 4.0), (0.0, 14.0), 20.0, {"paid": 20.0, "written_off": 10.0}, VALUE),
        ((0.0, 0.0), (0.0, 20.0), 20.0, {"paid": 19.0}, PAID),
    ],
)
def test_a_capital_gap_just_above_the_tolerance_is_refused_and_named(
    last, now, spent, flows, identity
):
    # Each gap is 1 / 20 = 0.05: it passes a tolerance of 0.05 and fails just below it,
    # with the identity and the error in the message.
    assert capital_error(last, now, spent, flows, tolerance=0.05) == 0.05
    message = f"capital accounts do not close: {identity} (relative error 5.00e-02)"
    with pytest.raises(AssertionError, match=re.escape(message)):
        capital_error(last, now, spent, flows, tolerance=0.0499)


def test_the_default_capital_tolerance_is_one_in_a_billion():
    # 0.75 x 4000 + 1000 = 4000 against 4000.000008: 2e-9 of 4000 fails by default;
    # 4000.000002 (5e-10) passes.
    check = CapitalCheck(np.array([4000.0]), np.array([0.0]))
    goods = SimpleNamespace(
        enabled=True, monthly_depreciation=0.25, bought=1000.0, scrapped=0.0, paid=0.0,
        written_off=0.0,
    )  # fmt: skip
    firms = SimpleNamespace(
        capital=np.array([4000.000002]), capital_value=np.array([0.0]),
        investment_spending=np.array([0.0]),
    )  # fmt: skip
    assert check.verify(firms, goods) == pytest.approx(5e-10, rel=1e-6)
    check = CapitalCheck(np.array([4000.0]), np.array([0.0]))
    firms.capital = np.array([4000.000008])
    with pytest.raises(AssertionError, match="capital = "):
        check.verify(firms, goods)

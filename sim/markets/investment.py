"""Capital goods, investment and capacity (docs/model.md, section 13b).

Core objects: :class:`CapitalGoods`, :func:`investment_orders`, :func:`split_purchase`.

After Assenza, Delli Gatti and Grazzini (2015, JEDC 50) and BAM: a firm's output is
limited by its capital, ``Y <= kappa K`` (Leontief on top of the CES bundle of labour
and compute); capital depreciates geometrically; firms invest towards the capital their
expected demand needs at normal utilisation (a flexible accelerator), pay from cash above
their buffer and borrow the rest as investment loans, and buy the capital goods from one
sector's firms through the same sale as the AI supply chain's purchases
(:func:`sim.markets.supply.sell_to_buyer`). Prices cover the capital cost of a unit of
output (full-cost pricing at the user cost of capital).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.agents.firms import Firms
from sim.markets.credit import lend
from sim.markets.supply import sell_to_buyer
from sim.metrics import REPORT_PROVIDERS, ReportProvider
from sim.scenario.schema import CapitalConfig, CreditConfig, monthly_capital_rates

if TYPE_CHECKING:
    from sim.agents.banks import Banks
    from sim.model import EconomyModel

MONTHS_PER_YEAR = 12.0


def investment_orders(
    capital: np.ndarray,
    desired: np.ndarray,
    depreciation: float,
    adjustment_months: float,
    first_month: np.ndarray,
    trend_growth: float = 0.0,
) -> np.ndarray:
    """Capital goods ordered this month, units:
    ``I* = max(0, (delta_m + g_m) K + (K* - K) / T)`` with ``T`` = ``adjustment_months``,
    or 1 in a firm's first month (an entrant buys its whole stock), and ``g_m`` the
    trend growth a month that firms expect their sales to grow at."""
    months = np.where(first_month, 1.0, adjustment_months)
    return np.maximum(0.0, (depreciation + trend_growth) * capital + (desired - capital) / months)


def split_purchase(
    spending: np.ndarray, units: float, paid: float
) -> tuple[np.ndarray, np.ndarray]:
    """What each investor receives and pays when ``units`` were bought for ``paid`` dollars
    with all investors' ``spending`` pooled: shares ``s_i / sum s``. Returns (units, dollars)."""
    total = spending.sum()
    if total <= 0.0:
        return np.zeros_like(spending), np.zeros_like(spending)
    share = spending / total
    return units * share, paid * share


class CapitalGoods:
    """The capital of every firm and the market in which firms buy it.

    Attributes:
        cfg: the scenario's ``capital`` section.
        sector: the capital-goods sector's firms (a slice of the firm arrays).
        sector_index: its index among the sectors.
        monthly_depreciation: ``delta_m = 1 - (1 - delta)^(1/12)``.
        trend_growth: ``g_m = max((1 + g)^(1/12) - 1, -delta_m)``, the growth a month
            that firms expect of their sales, ``g`` the economy's trend real growth a year
            (at least ``-delta_m``: investment is never negative).
        capacity_per_unit: ``kappa = 1 / (12 theta u*)``, output a month per unit of capital
            at step 0.
        reference_cost: the step-0 variable unit cost ``c_0``.
        spending, bought, paid: this month's investors' spending, units bought and dollars
            paid to the sector (the same as spending, by construction).
        sales: this month's (units sold, dollars paid, units asked) by each seller.
        written_off: book value of the capital of firms that exited this month.
        scrapped: units of the plants entrants found in their slots this month beyond the
            capital they need, scrapped.
    """

    def __init__(
        self,
        cfg: CapitalConfig,
        sectors: list[str],
        bounds: np.ndarray,
        trend_growth: float = 0.0,
    ) -> None:
        self.cfg = cfg
        self.sector_index = sectors.index(cfg.goods_sector) if cfg.enabled else 0
        s = self.sector_index
        self.sector = slice(int(bounds[s]), int(bounds[s + 1]))
        self.monthly_depreciation, self.trend_growth = monthly_capital_rates(
            cfg.depreciation, trend_growth
        )
        self.capacity_per_unit = 1.0 / (
            MONTHS_PER_YEAR * cfg.capital_output_ratio * cfg.normal_utilisation
        )
        self.reference_cost = 1.0
        self.spending = self.bought = self.paid = 0.0
        self.sales: tuple[np.ndarray, np.ndarray, np.ndarray] = (np.zeros(0),) * 3
        self.written_off = self.scrapped = 0.0

    @property
    def enabled(self) -> bool:
        """Capital is modelled (``capital.enabled``)."""
        return self.cfg.enabled

    def desired_capital(self, expected_sales: np.ndarray, productivity: np.ndarray) -> np.ndarray:
        """``K* = S_e / (kappa_i u*)``: capital that expected sales need at normal
        utilisation, units."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(
                productivity > 0, expected_sales / (productivity * self.cfg.normal_utilisation), 0.0
            )

    def open_books(self, firms: Firms) -> None:
        """Step 0: every firm holds the capital its expected sales need, ``K = 12 theta
        S_e`` (so that month 1's order is replacement and expansion at the trend), valued
        at its price 1, runs at ``u* (1 + tau delta)`` (output covers the stock's
        depreciation too, docs/model.md 2) and last bought ``(delta_m + g_m) K``. Records the
        step-0 variable unit cost ``c_0`` (at the step-0 price of capital goods, 1), the
        reference of capital's productivity."""
        if not self.enabled:
            return
        self.reference_cost = float(np.mean(firms.unit_cost))
        self.update_capacity(firms)
        firms.capital = self.desired_capital(firms.expected_sales, firms.capital_productivity)
        firms.capital_value = firms.capital.copy()
        firms.investment = (self.monthly_depreciation + self.trend_growth) * firms.capital
        firms.investment_spending = firms.investment.copy()
        self.update_capacity(firms)

    def open_loans(self, firms: Firms, banks: Banks, maturity_months: float) -> None:
        """Step 0: each firm owes the investment loans of a steady state in which it
        borrows its replacement investment every month and repays ``1/T_L`` of the
        stock, ``D_K = T_L p_K I`` (so month 1 does not start a credit boom from no
        debt); its bank holds them."""
        if not self.enabled:
            return
        firms.capital_debt = maturity_months * firms.investment_spending
        firms.debt = firms.capital_debt.copy()
        banks.loans += np.bincount(firms.bank, weights=firms.debt, minlength=len(banks))

    def update_capacity(self, firms: Firms, capital_price: float = 1.0) -> None:
        """Capital's productivity and capacity from the price of capital goods and the
        firm's variable unit cost (last month's when called in planning):
        ``kappa_i = kappa (p_K / c_i) / (p_K0 / c_0)`` and ``capacity = kappa_i K``
        (unlimited without capital). Capital-augmenting technical change at the pace
        that keeps the capital-output ratio constant in value (Kaldor's stylised fact,
        the ratio the calibration takes from BEA): where AI or productivity makes the
        bundle of labour and compute cheaper against capital goods, a unit of capital
        equips that much more output, so capital's cost per unit of output stays the
        same share of the variable cost."""
        if not self.enabled:
            return
        with np.errstate(divide="ignore", invalid="ignore"):
            efficiency = np.where(
                firms.unit_cost > 0, capital_price * self.reference_cost / firms.unit_cost, 1.0
            )
        firms.capital_productivity = self.capacity_per_unit * efficiency
        firms.capacity = firms.capital_productivity * firms.capital

    def unit_cost(
        self, capital_price: float, required_return: float, productivity: np.ndarray
    ) -> np.ndarray:
        """Capital cost of a unit of output at normal utilisation, the user cost
        ``c_K = p_K (r / 12 + delta_m) / (kappa_i u*)`` with ``r`` the real return
        required a year, dollars (0 without capital)."""
        if not self.enabled:
            return np.zeros_like(productivity)
        user_cost = required_return / MONTHS_PER_YEAR + self.monthly_depreciation
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(
                productivity > 0,
                capital_price * user_cost / (productivity * self.cfg.normal_utilisation),
                0.0,
            )

    def invest(
        self,
        firms: Firms,
        banks: Banks,
        credit: CreditConfig,
        loan_rate: float,
        capital_price: float,
        keep: np.ndarray,
    ) -> None:
        """Phase 6: orders, depreciation, finance and purchase (docs/model.md, 13b).

        Args:
            firms: all firms.
            banks: their banks.
            credit: the scenario's credit section (investment loans when enabled).
            loan_rate: the central bank's loan base rate this month, a year.
            capital_price: ``p_K``, last month's price of the capital goods.
            keep: each firm's cash buffer, dollars (internal funds are cash above it).
        """
        if not self.enabled:
            return
        delta = self.monthly_depreciation
        desired = self.desired_capital(firms.expected_sales, firms.capital_productivity)
        orders = investment_orders(
            firms.capital, desired, delta, self.cfg.adjustment_months, firms.age == 0,
            self.trend_growth,
        )  # fmt: skip
        firms.capital *= 1.0 - delta
        firms.capital_value *= 1.0 - delta
        budget = np.where(firms.active, capital_price * orders, 0.0)
        available = np.maximum(firms.cash - keep, 0.0)
        if credit.enabled:
            loan = lend(firms, banks, np.maximum(budget - available, 0.0), credit, loan_rate)
            firms.capital_debt += loan
            available += loan
        spending = np.minimum(budget, available)
        bought, paid, asked = sell_to_buyer(firms, self.sector, float(spending.sum()))
        self.sales = (bought, paid, asked)
        firms.investment, firms.investment_spending = split_purchase(
            spending, float(bought.sum()), float(paid.sum())
        )
        firms.cash -= firms.investment_spending
        firms.capital += firms.investment
        firms.capital_value += firms.investment_spending
        self.spending = float(firms.investment_spending.sum())
        self.bought = float(bought.sum())
        self.paid = float(paid.sum())

    def record_sales(self, firms: Firms) -> None:
        """Add this month's sales of capital goods back to the sellers' sales, demand,
        stock-out flags and revenue after the households' shopping, which starts them
        afresh (their inventory and cash already moved when the orders were served)."""
        if not self.enabled:
            return
        bought, paid, asked = self.sales
        sector = self.sector
        firms.sales[sector] += bought
        firms.demand[sector] += asked
        firms.stocked_out[sector] |= bought < asked * (1.0 - 1e-12)
        firms.revenue[sector] += paid

    def write_off(self, firms: Firms, exiting: np.ndarray) -> None:
        """Exiting firms' capital is written off at book value, but the plant stays in
        its slot, depreciating idle, for the next entrant (:meth:`take_over`)."""
        self.written_off = float(firms.capital_value[exiting].sum())
        self.scrapped = 0.0
        firms.capital_value[exiting] = 0.0

    def take_over(self, firms: Firms, entering: np.ndarray, needed: np.ndarray) -> np.ndarray:
        """Each entrant takes over the plant in its slot up to the ``needed`` units its
        expected sales need, ``K_i = min(K_i, K*_i)``, at a price of zero (its creditors
        recover nothing); the rest is scrapped. Returns the units each entrant still
        has to buy, ``max(0, K*_i - K_i)``."""
        kept = np.minimum(firms.capital[entering], needed)
        self.scrapped += float((firms.capital[entering] - kept).sum())
        firms.capital[entering] = kept
        return needed - kept

    def update_economic_profit(self, firms: Firms, capital_price: float) -> None:
        """Expected economic profit a month, profit less the depreciation of its capital
        at the current price of capital goods, averaged exponentially over ``H`` =
        ``capital.loss_months``: ``pi_e <- pi_e + (pi - delta_m p_K K - pi_e) / H``."""
        if not self.enabled:
            return
        economic = firms.profit - self.monthly_depreciation * capital_price * firms.capital
        firms.economic_profit += (economic - firms.economic_profit) / self.cfg.loss_months

    def unprofitable(self, firms: Firms) -> np.ndarray | None:
        """Firms older than ``capital.loss_months`` whose expected economic profit is
        negative leave the market (Jovanovic 1982; Hopenhayn 1992); None without
        capital."""
        if not self.enabled:
            return None
        return (firms.economic_profit < 0.0) & (firms.age > self.cfg.loss_months)

    def reports(self, model: EconomyModel) -> dict[str, float]:
        """The series of docs/model.md, section 13b."""
        firms = model.firms
        active = firms.active
        capacity = float(firms.capacity[active].sum()) if self.enabled else 0.0
        output = np.bincount(firms.sector, weights=firms.output, minlength=model.sector_price.size)
        nominal_gdp = float(output @ model.sector_price)
        return {
            "consumption": model.this_month.consumption,
            "investment": self.spending,
            "real_investment": self.bought,
            "capital_stock": float(firms.capital[active].sum()),
            "capacity_utilisation": (
                float(firms.output[active].sum()) / capacity if capacity > 0 else 0.0
            ),
            "investment_share": self.spending / nominal_gdp if nominal_gdp > 0 else 0.0,
        }


SERIES = (
    "consumption", "investment", "real_investment", "capital_stock", "capacity_utilisation",
    "investment_share",
)  # fmt: skip


def report_names(sectors: list[str], tiers: list[str]) -> list[str]:
    """The capital series, in a stable order."""
    return list(SERIES)


def measure(model: EconomyModel) -> dict[str, float]:
    """This month's capital series."""
    return model.capital_goods.reports(model)


if not any(provider.measure is measure for provider in REPORT_PROVIDERS):
    REPORT_PROVIDERS.append(ReportProvider(names=report_names, measure=measure))

"""Firms: expectations, cost-minimising input plans, wage and price setting, finance.

Core object: :class:`Firms`.

Every rule is local: a firm sees its own sales, stock, vacancies, wage and the
price quoted by its compute provider, never an economy-wide optimum.
"""

from __future__ import annotations

import numpy as np

from sim.agents.base import Population
from sim.economics import input_demand, unit_cost


class Firms(Population):
    """All firms of all sectors as arrays.

    Fields:
        sector: the firm's sector index.
        cash: money balance, dollars.
        wage: wage offered per efficiency unit of labour, dollars a month.
        price: price of one unit of output, dollars.
        markup: price over planned unit cost, minus one.
        inventory: unsold output on hand, units.
        expected_demand: units it expects to be asked for this month.
        expected_sales: units it expects to sell a month (adaptive, like expected demand,
            but on what it sold: the basis of its capacity plans).
        planned_output: units it plans to produce this month.
        labour_target: efficiency units of labour in its cost-minimising plan.
        labour: efficiency units employed this month.
        headcount: workers employed this month.
        compute: base units of compute used this month.
        tokens: millions of tokens bought this month.
        provider_mix: share of its AI work routed to each provider slot (firms x provider
            slots, rows adding to 1; firms multi-home, docs/model.md 6).
        tier: index of the compute tier it buys.
        unit_cost: planned cost of one unit of output, dollars.
        output, sales, demand: units produced, sold and asked for this month.
        revenue, wage_bill, compute_bill, profit, dividends: dollars this month
            (``compute_bill`` is what it pays its compute providers).
        compute_tax: tax paid on this month's tokens, dollars.
        vacancies: efficiency units of labour it still sought when hiring ended.
        unfilled: it ended last month's hiring with vacancies open.
        laid_off: it laid workers off last month.
        stocked_out: it turned a customer away in last month's goods market.
        unsold: last month's sales fell short of expected demand.
        oversight_wage, oversight_target, oversight, oversight_headcount,
        oversight_vacancies, oversight_unfilled, oversight_laid_off: the same for its
            second job, overseeing its AI (efficiency units, dollars a month, flags).
        oversight_bill: wages paid for oversight this month (part of ``wage_bill``).
        age: months since entry.
        active: the slot holds a firm (false after an exit, until an entrant takes it).
        bank: index of the firm's bank.
        debt: loans outstanding, dollars.
        borrowed: new loans this month, dollars.
        interest_rate: annual rate on its debt, set when it last borrowed.
        interest: interest due this month, dollars.
        capital: capital goods held, units of the capital-goods sector's output.
        capital_value: their book value, at cost less depreciation, dollars.
        capital_debt: the part of ``debt`` that investment loans left, dollars.
        capital_cost: capital cost of a unit of output this month, dollars.
        capital_productivity: output a month per unit of capital at full capacity, ``kappa_i``.
        capacity: most it can produce this month, ``kappa_i K`` (infinite without capital).
        investment: capital goods bought this month, units.
        investment_spending: paid for them, dollars.
        economic_profit: expected economic profit a month, dollars: profit less the
            depreciation of its capital at the current price, smoothed (section 13b).
        adopter: it uses AI (buys compute); a non-adopter produces with labour only
            (:mod:`sim.markets.adoption`).
    """

    kind = "firm"
    fields = (
        "sector", "cash", "wage", "price", "markup", "inventory", "expected_demand",
        "expected_sales", "planned_output",
        "labour_target", "labour", "headcount", "compute", "tokens", "provider_mix", "tier",
        "unit_cost", "output", "sales", "demand", "revenue", "wage_bill", "compute_bill",
        "compute_tax", "profit", "dividends", "vacancies", "unfilled", "laid_off", "stocked_out",
        "unsold", "age", "oversight_wage", "oversight_target", "oversight",
        "oversight_headcount", "oversight_vacancies", "oversight_unfilled",
        "oversight_laid_off", "oversight_bill", "active", "bank", "debt", "borrowed",
        "interest_rate", "interest", "capital", "capital_value", "capital_debt", "capital_cost",
        "capital_productivity", "capacity", "investment", "investment_spending", "adopter",
        "economic_profit",
    )  # fmt: skip

    def __init__(self, sector: np.ndarray, n_provider_slots: int) -> None:
        n = sector.size
        self.sector = sector.astype(np.int16)
        for name in (
            "cash", "wage", "price", "markup", "inventory", "expected_demand", "expected_sales",
            "planned_output",
            "labour_target", "labour", "compute", "tokens", "unit_cost", "output", "sales",
            "demand", "revenue", "wage_bill", "compute_bill", "compute_tax", "profit",
            "dividends", "vacancies", "oversight_wage", "oversight_target", "oversight",
            "oversight_vacancies", "oversight_bill", "debt", "borrowed", "interest_rate",
            "interest", "capital", "capital_value", "capital_debt", "capital_cost",
            "capital_productivity", "investment", "investment_spending", "economic_profit",
        ):  # fmt: skip
            setattr(self, name, np.zeros(n))
        self.capacity = np.full(n, np.inf)
        self.active = np.ones(n, dtype=bool)
        self.adopter = np.ones(n, dtype=bool)
        self.bank = np.zeros(n, dtype=np.int64)
        self.oversight_headcount = np.zeros(n, dtype=np.int64)
        self.oversight_unfilled = np.zeros(n, dtype=bool)
        self.oversight_laid_off = np.zeros(n, dtype=bool)
        self.headcount = np.zeros(n, dtype=np.int64)
        self.provider_mix = np.full((n, n_provider_slots), 1.0 / n_provider_slots)
        self.tier = np.zeros(n, dtype=np.int16)
        self.unfilled = np.zeros(n, dtype=bool)
        self.laid_off = np.zeros(n, dtype=bool)
        self.stocked_out = np.zeros(n, dtype=bool)
        self.unsold = np.zeros(n, dtype=bool)
        self.age = np.zeros(n, dtype=np.int64)

    @property
    def payroll(self) -> np.ndarray:
        """Wages owed a month at the current staff, production and oversight:
        ``w L + w_O O``, dollars (``L``, ``O`` in efficiency units)."""
        return self.wage * self.labour + self.oversight_wage * self.oversight

    # --- planning -----------------------------------------------------------------

    def update_wages(
        self,
        rng: np.random.Generator,
        rise: float,
        cut: float,
        floor: float = 0.0,
        oversight: bool = False,
    ) -> None:
        """BAM wage rule, for each job: a firm that could not fill its vacancies raises
        the job's wage by ``U(0, rise)``; one that laid workers off cuts it by
        ``U(0, cut)``; never below ``floor`` (a minimum wage per efficiency unit,
        dollars a month). The oversight wage moves only when oversight work exists."""
        self.wage = _wage_rule(self.wage, self.unfilled, self.laid_off, rng, rise, cut, floor)
        if oversight:
            self.oversight_wage = _wage_rule(
                self.oversight_wage, self.oversight_unfilled, self.oversight_laid_off, rng,
                rise, cut, floor,
            )  # fmt: skip

    def desired_output(self, inventory_target: float) -> np.ndarray:
        """``Y* = min(max(0, D_e (1 + inventory_target) - inventory), capacity)``, units."""
        wanted = self.expected_demand * (1.0 + inventory_target) - self.inventory
        return np.minimum(np.maximum(0.0, wanted), self.capacity)

    def plan(
        self,
        inventory_target: float,
        productivity: np.ndarray,
        ai_share: np.ndarray,
        sigma: np.ndarray,
        compute_unit_price: np.ndarray,
        oversight_per_unit: np.ndarray,
        exposure: np.ndarray | None = None,
        task_sigma: np.ndarray | None = None,
        labour_only_productivity: np.ndarray | None = None,
    ) -> None:
        """Desired output and the cost-minimising input mix at the firm's own wage and
        the full price of compute, scaled down to what its cash can pay.

        A base unit of compute costs the provider's (tax-inclusive) price ``q`` plus the
        oversight it needs, ``o`` efficiency units at the firm's oversight wage:
        ``q_AI = q + w_O o``.
        ``Y* = min(max(0, D_e (1 + inventory_target) - inventory), capacity)``;
        ``(L*, x*) = argmin w L + q_AI x  s.t.  F(L, x) = Y*`` (F nested by task exposure,
        :mod:`sim.economics.ces`; no ``exposure`` = the single CES); oversight target ``o x*``;
        if the planned cost exceeds cash the plan shrinks in proportion.
        A non-adopter (``adopter`` false) plans with its labour-only technology
        ``Y = A_N L`` (``labour_only_productivity`` by sector): ``c = w / A_N``,
        ``L* = Y* / A_N``, ``x* = 0``.
        """
        s = self.sector
        compute_unit_price = compute_unit_price + self.oversight_wage * oversight_per_unit
        desired = self.desired_output(inventory_target)
        exposure = np.ones_like(ai_share) if exposure is None else exposure
        task_sigma = np.ones_like(ai_share) if task_sigma is None else task_sigma
        args = (productivity[s], ai_share[s], sigma[s], exposure[s], task_sigma[s])
        self.unit_cost = unit_cost(self.wage, compute_unit_price, *args)
        labour_only = ~self.adopter
        if labour_only_productivity is not None and labour_only.any():
            self.unit_cost[labour_only] = (
                self.wage[labour_only] / labour_only_productivity[s[labour_only]]
            )
        with np.errstate(divide="ignore", invalid="ignore"):
            affordable = np.where(
                desired > 0.0, np.maximum(self.cash, 0.0) / (desired * self.unit_cost), 1.0
            )
        self.planned_output = desired * np.minimum(1.0, affordable)
        self.labour_target, self.compute = input_demand(
            self.planned_output, self.wage, compute_unit_price, *args
        )
        if labour_only_productivity is not None and labour_only.any():
            self.labour_target[labour_only] = (
                self.planned_output[labour_only] / labour_only_productivity[s[labour_only]]
            )
            self.compute[labour_only] = 0.0
        self.oversight_target = oversight_per_unit * self.compute

    def set_prices(
        self, rng: np.random.Generator, adjustment: float, sector_price: np.ndarray
    ) -> None:
        """Markup pricing with the BAM rule against the sector's average price ``P_s``
        (Delli Gatti et al. 2011, ch. 3), applied to the markup: after a stock-out a
        firm priced below ``P_s`` raises its markup by a factor ``1 + U(0, h)``; with
        sales short of expectations a firm priced at or above ``P_s`` cuts it by
        ``1 - U(0, h)``; otherwise it stays. The price is ``p = (c + c_K) (1 + mu)`` at
        this month's planned unit cost ``c`` and capital cost ``c_K`` (0 without
        capital), so cost changes pass through (Lengnick 2013
        bounds prices by marginal cost the same way) and the price never falls below
        cost. A firm priced above its rivals never raises its markup, and loses the
        customers who visit a cheaper rival, so it cannot sit at a large markup while
        rivals have stock."""
        draw = adjustment * rng.random(len(self))
        average = sector_price[self.sector]
        rise = self.stocked_out & (self.price < average)
        cut = self.unsold & (self.price >= average)
        factor = np.where(rise, 1.0 + draw, np.where(cut, 1.0 - draw, 1.0))
        self.markup = self.markup * factor
        self.price = (self.unit_cost + self.capital_cost) * (1.0 + self.markup)

    def set_cost_plus_prices(self) -> None:
        """Fully flexible prices at a fixed markup: ``p = (c + c_K) (1 + mu)`` at this
        month's planned unit cost and capital cost."""
        self.price = (self.unit_cost + self.capital_cost) * (1.0 + self.markup)

    # --- after the goods market -----------------------------------------------------

    def update_expectations(
        self, adjustment: float, max_change: float, depreciation: float, sales_adjustment: float
    ) -> None:
        """Adaptive expectations on demand, ``D_e <- D_e + lambda (D - D_e)``, changing by
        at most ``max_change`` (relative) a month, and on the sales investment plans on,
        ``S_e <- S_e + lambda_K (sales - S_e)``; depreciation of unsold stock.
        ``stocked_out`` (it turned a customer away) is set by the goods market."""
        self.unsold = ~self.stocked_out & (self.sales < self.expected_demand * (1.0 - 1e-9))
        self.expected_sales += sales_adjustment * (self.sales - self.expected_sales)
        target = self.expected_demand + adjustment * (self.demand - self.expected_demand)
        self.expected_demand = np.clip(
            target,
            self.expected_demand * (1.0 - max_change),
            self.expected_demand * (1.0 + max_change),
        )
        self.inventory *= 1.0 - depreciation


def _wage_rule(
    wage: np.ndarray,
    unfilled: np.ndarray,
    laid_off: np.ndarray,
    rng: np.random.Generator,
    rise: float,
    cut: float,
    floor: float,
) -> np.ndarray:
    """One job's new wages: up by ``U(0, rise)`` after unfilled vacancies, down by
    ``U(0, cut)`` after layoffs, never below ``floor``."""
    draw = rng.random(wage.size)
    factor = np.where(unfilled, 1.0 + rise * draw, 1.0)
    factor = np.where(laid_off & ~unfilled, 1.0 - cut * draw, factor)
    return np.maximum(wage * factor, floor)

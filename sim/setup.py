"""The step-0 calibration: populations and balance sheets that clear every market at month 0.

Core object: :func:`calibrate`.

Every sector starts at price 1 with firms producing their cost-minimising plan at
base prices (docs/model.md, "Calibration"): base tokens per efficiency unit and
productivity are set so that the AI bundle costs ``s0 / (1 - s0)`` of labour,
employment shares follow each sector's human share of costs, and households hold
``money.household_months`` of income. ``calibrate`` writes the state onto the model;
it draws its random numbers from the model's generator in a fixed order, so a run is
reproducible from its seed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim import metrics
from sim.accounting import BalanceSheetCheck, CapitalCheck, MoneyCheck
from sim.agents.banks import Banks
from sim.agents.central_bank import CentralBank
from sim.agents.firms import Firms
from sim.agents.government import Government
from sim.agents.households import Households
from sim.agents.money_rule import MoneyRule
from sim.agents.workers import UNEMPLOYED, Workers
from sim.economics.shocks import ProductivityShock
from sim.markets.adoption import Adoption, labour_only_productivity
from sim.markets.compute import ComputeMarket
from sim.markets.investment import CapitalGoods
from sim.markets.labour import count_staff
from sim.markets.supply import SupplierInputs

if TYPE_CHECKING:
    from sim.model import EconomyModel

INITIAL_UNEMPLOYMENT = 0.04
"""Share of workers without a job at step 0 (frictional unemployment)."""

SETTLED_MONTHS = 240.0
"""Months in sector given to workers at step 0, so that no one starts retraining."""


def _equity_shares(n: int, tail_index: float, rng: np.random.Generator) -> np.ndarray:
    """Ownership shares from a Pareto distribution with the given tail index ``alpha``:
    the quantiles at the midpoints of ``n`` equal strata, ``x_i = (1 - (i + 1/2)/n)^(-1/alpha)``,
    dealt to households in random order. Independent draws from a tail index near 1 (the
    80/20 rule's 1.16) have no finite variance: with 50,000 households one draw (seed 1)
    held 97 % of all equity."""
    quantiles = (np.arange(n) + 0.5) / n
    holdings = (1.0 - quantiles) ** (-1.0 / tail_index)
    rng.shuffle(holdings)
    return holdings / holdings.sum()


def calibrate(model: EconomyModel) -> None:
    """Build the populations, markets and balance sheets of month 0 on ``model``
    (from ``model.config``, drawing from ``model.rng``)."""
    sc, rng = model.config, model.rng
    sectors = list(sc.sectors.values())
    n_sectors = len(sectors)
    model.ai_share = np.array([s.ai_share for s in sectors])
    model.sigma = np.array([s.substitution_elasticity for s in sectors])
    model.exposure = np.array([s.exposure for s in sectors])
    model.task_sigma = np.array([s.task_elasticity for s in sectors])
    model.productivity_growth = np.array([s.productivity_growth for s in sectors])
    # The shock draws from a stream of its own, so that switching it off changes no other draw.
    model.productivity_shock = ProductivityShock(
        sc.shocks.productivity_persistence, sc.shocks.productivity_sd, rng.spawn(1)[0]
    )
    model.oversight_per_token = np.array([s.oversight_per_token for s in sectors])
    model.log_oversight_decline = np.log([s.oversight_decline for s in sectors]) / 12.0
    model.has_oversight = bool(model.oversight_per_token.any())
    weights = np.array([s.consumer_weight for s in sectors])
    model.consumer_weights = weights / weights.sum()

    model.compute_market = ComputeMarket(
        sc, np.array([sc.compute.tiers[s.min_tier].rank for s in sectors])
    )
    tier_index = {name: k for k, name in enumerate(model.compute_market.tier_names)}
    min_tier_price = np.array(
        [model.compute_market.initial_price[tier_index[s.min_tier]] for s in sectors]
    )
    wage0 = sc.labour.initial_wage
    markup0 = sc.firms.initial_markup
    # Price 1 covers the variable unit cost and the capital cost c_K0 at the markup:
    # (c + c_K0)(1 + mu0) = 1 (docs/model.md, 13b; c_K0 = 0 without capital).
    capital_cost0 = sc.initial_capital_cost()
    capital_free = 1.0 - (1.0 + markup0) * capital_cost0  # 1 without capital
    variable_cost0 = capital_free / (1.0 + markup0)
    # Base tokens per efficiency unit (c0) and productivity so that prices start at 1:
    # the AI bundle (tokens and their oversight) costs s0/(1 - s0) of labour at base.
    ai_bundle_price = min_tier_price + wage0 * model.oversight_per_token
    model.base_tokens = model.ai_share * wage0 / ((1.0 - model.ai_share) * ai_bundle_price)
    model.initial_productivity = (1.0 + markup0) * wage0 / ((1.0 - model.ai_share) * capital_free)
    oversight_ratio = model.oversight_per_token * model.base_tokens  # per production unit

    # Employment shares that clear every market at step 0: each sector's human share
    # of costs, production (1 - s0) plus the oversight part of the AI bundle.
    # With diffusion (docs/model.md 2b) a share 1 - F0 of firms are non-adopters whose
    # whole variable cost is labour: h_s = F0 (1 - s0)(1 + o) + (1 - F0).
    model.adoption = Adoption(sc.adoption)
    adopters0 = model.adoption.initial_share
    human_share = adopters0 * (1.0 - model.ai_share) * (1.0 + oversight_ratio) + (1.0 - adopters0)
    # Final demand: households' weights and, in the capital-goods sector, investment
    # (replacement and expansion at the trend), a share iota = 12 theta (delta_m + g_m)
    # of output's value (0 without capital).
    demand_weight = model.consumer_weights.copy()
    if sc.capital.enabled:
        iota = sc.initial_investment_share()
        demand_weight *= 1.0 - iota
        demand_weight[model.sector_names.index(sc.capital.goods_sector)] += iota
    labour_weight = demand_weight * human_share
    labour_weight /= labour_weight.sum()
    n_workers = sc.population.workers
    n_firms = sc.population.firms
    firms_per_sector = np.maximum(1, np.floor(labour_weight * n_firms).astype(int))
    firms_per_sector[np.argmax(labour_weight)] += n_firms - firms_per_sector.sum()
    if firms_per_sector.min() < 1:  # guard: few firms, very unequal sectors
        firms_per_sector = 1 + np.floor(labour_weight * (n_firms - n_sectors)).astype(int)
        firms_per_sector[np.argmax(labour_weight)] += n_firms - firms_per_sector.sum()
    model.sector_bounds = np.concatenate(([0], np.cumsum(firms_per_sector)))
    firm_sector = np.repeat(np.arange(n_sectors), firms_per_sector)

    skill = rng.lognormal(
        -0.5 * sc.labour.skill_dispersion**2, sc.labour.skill_dispersion, n_workers
    )
    worker_sector = rng.choice(n_sectors, size=n_workers, p=labour_weight)
    first, size = model.sector_bounds[:-1], firms_per_sector
    employer = first[worker_sector] + (rng.random(n_workers) * size[worker_sector]).astype(int)
    employer[rng.random(n_workers) < INITIAL_UNEMPLOYMENT] = UNEMPLOYED
    n_households = sc.n_households
    household = (
        np.arange(n_workers)
        if n_households == n_workers
        else rng.integers(0, n_households, n_workers)
    )
    model.workers = Workers(employer, worker_sector, skill, household, SETTLED_MONTHS)
    if model.has_oversight:
        overseer = (
            rng.random(n_workers) < (oversight_ratio / (1.0 + oversight_ratio))[worker_sector]
        )
        model.workers.occupation[overseer] = 1

    loyal = first[None, :] + (rng.random((n_households, n_sectors)) * size[None, :]).astype(int)
    model.households = Households(
        _equity_shares(n_households, sc.households.equity_concentration, rng), loyal
    )
    model.firms = Firms(firm_sector, model.compute_market.n_slots)
    model.providers = model.compute_market.create_providers(rng)
    # Every firm starts with its AI work split as buyers' step-0 logit choice splits it.
    model.firms.provider_mix[:] = model.providers.choice_share[None, :]
    # Larger firms are likelier step-0 adopters (docs/model.md 2b): size = workers drawn.
    employment0 = np.bincount(employer[employer != UNEMPLOYED], minlength=n_firms)
    model.firms.adopter = model.adoption.initial_adopters(employment0, rng)
    # Non-adopters employ no overseers.
    employed = model.workers.employer != UNEMPLOYED
    labour_only_staff = employed & ~model.firms.adopter[np.maximum(model.workers.employer, 0)]
    model.workers.occupation[labour_only_staff] = 0
    model.upstream_cash = np.zeros(1)
    model.supplier_inputs = SupplierInputs.for_sector(
        model.sector_names, model.sector_bounds, sc.energy.supplier_input_sector,
        sc.energy.supplier_input_share,
    )  # fmt: skip
    model.government = Government(sc.policy)
    # A training subsidy shrinks the productivity a mover loses (docs/model.md).
    model.labour_rules = sc.labour.model_copy(
        update={
            "retraining_penalty": sc.labour.retraining_penalty
            * (1.0 - sc.policy.retraining_subsidy)
        }
    )
    model.money_issued = 0.0
    model.issued_this_step = 0.0
    model.money_rule = MoneyRule(
        sc.money.rule, sc.money.growth, sc.credit.inflation_target, sc.money.feedback,
        sc.money.velocity_window_months,
    )  # fmt: skip

    # Step-0 state: every firm produces its cost-minimising plan at base prices.
    firms = model.firms
    efficiency = model.worker_efficiency()
    count_staff(model.workers, firms, efficiency)
    firms.wage[:] = wage0
    firms.oversight_wage[:] = wage0
    firms.price[:] = 1.0
    firms.markup[:] = markup0
    s = firms.sector
    firms.compute = np.where(firms.adopter, firms.labour, 0.0)
    firms.labour_target = firms.labour.copy()
    firms.oversight_target = oversight_ratio[firms.sector] * firms.compute
    firms.output = (
        np.where(
            firms.adopter,
            model.initial_productivity[s],
            labour_only_productivity(model.ai_share, model.initial_productivity)[s],
        )
        * firms.labour
    )
    # A stationary start (docs/model.md, "Calibration"): a firm that sells D a month,
    # puts D (1 + tau) on sale and loses delta of the unsold stock makes
    # Y = D (1 + tau delta) and ends the month holding tau (1 - delta) D.
    tau, delta = sc.firms.inventory_target, sc.firms.inventory_depreciation
    sales0 = firms.output / (1.0 + tau * delta)
    firms.expected_demand = sales0.copy()
    firms.expected_sales = sales0.copy()
    firms.planned_output = firms.output.copy()
    firms.sales = sales0.copy()
    firms.demand = sales0.copy()
    firms.inventory = tau * (1.0 - delta) * sales0
    firms.unit_cost[:] = variable_cost0
    firms.capital_cost[:] = capital_cost0
    # Firms expect their sales to grow at the economy's trend when they plan capacity.
    model.capital_goods = CapitalGoods(
        sc.capital, model.sector_names, model.sector_bounds, sc.trend_growth()
    )
    model.capital_goods.open_books(firms)
    # Firms retain their investment outlay; the rest of profits is paid out.
    investment0 = float(firms.investment_spending.sum())
    model.compute_market.post_prices(model.providers, 0)
    firms.tier = model.compute_market.sector_tiers(model.providers)[s].astype(np.int16)
    firms.tokens = firms.compute * model.base_tokens[s]
    firms.compute_bill = model.compute_market.open_books(
        firms.tokens,
        firms.tier,
        firms.provider_mix,
        model.providers,
        firms.labour * model.base_tokens[s] if model.adoption.enabled else None,
    )
    model.workers.wage = np.where(model.workers.employer != UNEMPLOYED, wage0 * efficiency, 0.0)
    firms.wage_bill = np.bincount(
        np.maximum(model.workers.employer, 0), weights=model.workers.wage, minlength=n_firms
    )
    firms.revenue = firms.sales * firms.price
    firms.profit = firms.revenue - firms.wage_bill - firms.compute_bill
    # Cash: the buffer of cash_buffer_months of costs, plus, with capital, the investment
    # outlay the dividend rule retains for next month's orders (docs/model.md 12, 13b).
    firms.cash = (
        sc.firms.cash_buffer_months * (firms.wage_bill + firms.compute_bill)
        + firms.investment_spending
    )
    # Households' step-0 electricity bill, against their spending on goods (every
    # wage and profit; the bill comes back to them as the power sector's income).
    electricity = model.compute_market.electricity
    profits = firms.profit.sum() - investment0 + model.providers.revenue.sum()
    electricity.open_household_books(float(model.workers.wage.sum() + profits))
    model.upstream_income = float(model.providers.cost.sum()) + electricity.household_bill
    model.sector_moves = 0
    model.exits = 0
    model.insolvencies = 0

    # Household income at step 0: wages plus every profit and supplier income, by equity.
    hh = model.households
    wages_by_household = np.bincount(household, weights=model.workers.wage, minlength=n_households)
    # Households' electricity bills come back to them as the power sector's income.
    property_income = profits + electricity.household_bill
    hh.income = wages_by_household + property_income * hh.equity
    hh.permanent_income = hh.income.copy()
    hh.spending = hh.income.copy()
    # Money at the end of month 0: wages arrive before the shops open and dividends
    # after, so a household that holds m months of income when it shops ends the month
    # with m y - w (docs/model.md, "Calibration"); with m = buffer_months month 1's
    # budget is its income. Guard: step-0 profits can be negative (e.g. no markup), so
    # a household may start with negative income; it starts with no money, not a debt.
    hh.cash = np.maximum(
        sc.money.household_months * np.maximum(hh.income, 0.0) - wages_by_household, 0.0
    )
    model.sector_price = np.ones(n_sectors)
    model.sector_spending_share = model.consumer_weights.copy()
    # Banks: equity of bank_capital_months of nominal output, no loans yet; each firm
    # banks with one of them at random.
    credit = sc.credit
    monthly_output = float(firms.revenue.sum())
    model.banks = Banks(
        np.full(credit.banks, credit.bank_capital_months * monthly_output / credit.banks)
    )
    firms.bank = rng.integers(0, credit.banks, n_firms)
    if credit.enabled:
        model.capital_goods.open_loans(firms, model.banks, sc.capital.loan_maturity_months)
    model.central_bank = CentralBank(
        credit, 1.0, float(np.mean(model.workers.employer == UNEMPLOYED))
    )
    model.bad_debt = 0.0
    model.bankruptcies = model.entries = model.bank_failures = 0
    model._money = MoneyCheck(model.balances())
    model._accounts = BalanceSheetCheck(model.money_total, model.banks.equity, model.banks.loans)
    model._capital_account = CapitalCheck(firms.capital, firms.capital_value)
    model.this_month.consumption = float(firms.revenue.sum()) - investment0
    model.money_error = 0.0
    model.report_names = metrics.report_names(model.sector_names, model.compute_market.tier_names)

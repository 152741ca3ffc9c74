"""The economy: populations of workers, households, firms and AI compute providers.

Core object: :class:`EconomyModel`, a :class:`mesa.Model` whose agents are
struct-of-arrays populations (``model.workers``, ``model.households``,
``model.firms``, ``model.providers``). One step is one month and runs the phases in
the order of the step table in ``docs/model.md``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd
from mesa.experimental.scenarios import Scenario as MesaScenario

from sim import metrics
from sim.accounting import MoneyCheck, distribute, transfer
from sim.agents.firms import Firms
from sim.agents.government import Government
from sim.agents.households import Households
from sim.agents.providers import Providers
from sim.agents.workers import UNEMPLOYED, Workers
from sim.economics import ces_output
from sim.markets.compute import MONTHS_PER_YEAR, ComputeMarket
from sim.markets.goods import shop
from sim.markets.labour import count_staff, pay_wages, search_and_match, separations
from sim.runtime import keep_freed_memory
from sim.scenario import Scenario, build_scenario, load_scenario

INITIAL_UNEMPLOYMENT = 0.04
"""Share of workers without a job at step 0 (frictional unemployment)."""

SETTLED_MONTHS = 240.0
"""Months in sector given to workers at step 0, so that no one starts retraining."""


def _equity_shares(n: int, tail_index: float, rng: np.random.Generator) -> np.ndarray:
    """Ownership shares drawn from a Pareto distribution with the given tail index."""
    holdings = rng.pareto(tail_index, n) + 1.0
    return holdings / holdings.sum()


class EconomyModel(mesa.Model):
    """An economy in which AI compute gets cheaper every month.

    Construct from a scenario, a scenario file, or keyword overrides with dotted
    keys (``EconomyModel(**{"households.consumer_elasticity": 1.5})``), so that
    ``mesa.batch_run`` and ``SolaraViz`` can build it from flat parameters.

    Args:
        config: a validated :class:`~sim.scenario.Scenario` (all parameters); defaults to
            the baseline. It is ``model.config`` afterwards (``model.scenario`` is Mesa's).
        scenario_file: path of a TOML scenario (used when ``config`` is not given).
        rng: seed or generator; defaults to the Mesa scenario's ``rng`` if one is given,
            else to the config's ``run.seed``.
        check_money: verify stock-flow consistency after every step (raises on failure).
        scenario: a Mesa :class:`~mesa.experimental.scenarios.Scenario`, accepted so that
            Mesa's SolaraViz can rebuild the model on Reset; only its ``rng`` is used.
        **overrides: dotted-key parameter overrides, validated like ``--set``.
    """

    def __init__(
        self,
        config: Scenario | None = None,
        scenario_file: str | Path | None = None,
        rng: Any = None,
        check_money: bool = True,
        scenario: MesaScenario | None = None,
        **overrides: Any,
    ) -> None:
        if isinstance(scenario, Scenario):
            raise TypeError(
                "EconomyModel(scenario=...) is Mesa's experiment scenario; pass this "
                "model's parameters as EconomyModel(config=...)"
            )
        if config is None:
            config = (
                load_scenario(scenario_file, overrides)
                if scenario_file is not None
                else build_scenario(overrides=overrides, source="EconomyModel(...)")
            )
        elif overrides:
            data = config.model_dump(mode="json", exclude_none=True)
            config = build_scenario(data, overrides, source="EconomyModel(...)")
        if rng is None:
            mesa_rng = getattr(scenario, "rng", None)
            rng = config.run.seed if mesa_rng is None else mesa_rng
        super().__init__(rng=rng)
        keep_freed_memory()
        self.config: Scenario = config
        self.check_money = check_money
        self.sector_names = list(config.sectors)
        self._build()
        self.datacollector = mesa.DataCollector(
            model_reporters=metrics.reporters(self.report_names)
        )
        self.series_memory = metrics.SeriesMemory.for_population(
            len(self.households), len(self.workers), self.rng
        )
        self.report = metrics.measure(self)
        self.datacollector.collect(self)

    # ------------------------------------------------------------------ set-up

    def _build(self) -> None:
        sc, rng = self.config, self.rng
        sectors = list(sc.sectors.values())
        n_sectors = len(sectors)
        self.ai_share = np.array([s.ai_share for s in sectors])
        self.sigma = np.array([s.substitution_elasticity for s in sectors])
        self.productivity_growth = np.array([s.productivity_growth for s in sectors])
        self.oversight_per_token = np.array([s.oversight_per_token for s in sectors])
        self.log_oversight_decline = np.log([s.oversight_decline for s in sectors]) / 12.0
        self.has_oversight = bool(self.oversight_per_token.any())
        weights = np.array([s.consumer_weight for s in sectors])
        self.consumer_weights = weights / weights.sum()

        self.compute_market = ComputeMarket(
            sc, np.array([sc.compute.tiers[s.min_tier].rank for s in sectors])
        )
        tier_index = {name: k for k, name in enumerate(self.compute_market.tier_names)}
        min_tier_price = np.array(
            [self.compute_market.initial_price[tier_index[s.min_tier]] for s in sectors]
        )
        wage0 = sc.labour.initial_wage
        markup0 = sc.firms.initial_markup
        # Base tokens per efficiency unit (c0) and productivity so that prices start at 1:
        # the AI bundle (tokens and their oversight) costs s0/(1 - s0) of labour at base.
        ai_bundle_price = min_tier_price + wage0 * self.oversight_per_token
        self.base_tokens = self.ai_share * wage0 / ((1.0 - self.ai_share) * ai_bundle_price)
        self.initial_productivity = (1.0 + markup0) * wage0 / (1.0 - self.ai_share)
        oversight_ratio = self.oversight_per_token * self.base_tokens  # per production unit

        # Employment shares that clear every market at step 0: each sector's human share
        # of costs, production (1 - s0) plus the oversight part of the AI bundle.
        human_share = (1.0 - self.ai_share) * (1.0 + oversight_ratio)
        labour_weight = self.consumer_weights * human_share
        labour_weight /= labour_weight.sum()
        n_workers = sc.population.workers
        n_firms = sc.population.firms
        firms_per_sector = np.maximum(1, np.floor(labour_weight * n_firms).astype(int))
        firms_per_sector[np.argmax(labour_weight)] += n_firms - firms_per_sector.sum()
        self.sector_bounds = np.concatenate(([0], np.cumsum(firms_per_sector)))
        firm_sector = np.repeat(np.arange(n_sectors), firms_per_sector)

        skill = rng.lognormal(
            -0.5 * sc.labour.skill_dispersion**2, sc.labour.skill_dispersion, n_workers
        )
        worker_sector = rng.choice(n_sectors, size=n_workers, p=labour_weight)
        first, size = self.sector_bounds[:-1], firms_per_sector
        employer = first[worker_sector] + (rng.random(n_workers) * size[worker_sector]).astype(int)
        employer[rng.random(n_workers) < INITIAL_UNEMPLOYMENT] = UNEMPLOYED
        n_households = sc.n_households
        household = (
            np.arange(n_workers)
            if n_households == n_workers
            else rng.integers(0, n_households, n_workers)
        )
        self.workers = Workers(employer, worker_sector, skill, household, SETTLED_MONTHS)
        if self.has_oversight:
            overseer = (
                rng.random(n_workers) < (oversight_ratio / (1.0 + oversight_ratio))[worker_sector]
            )
            self.workers.occupation[overseer] = 1

        loyal = first[None, :] + (rng.random((n_households, n_sectors)) * size[None, :]).astype(int)
        self.households = Households(
            _equity_shares(n_households, sc.households.equity_concentration, rng), loyal
        )
        self.firms = Firms(firm_sector, sc.population.providers, rng)
        self.providers = Providers(
            np.exp(rng.normal(0.0, sc.compute.provider_cost_dispersion, sc.population.providers)),
            len(self.compute_market.tier_names),
        )
        self.upstream_cash = np.zeros(1)
        self.government = Government(sc.policy)
        # A training subsidy shrinks the productivity a mover loses (docs/model.md).
        self.labour_rules = sc.labour.model_copy(
            update={
                "retraining_penalty": sc.labour.retraining_penalty
                * (1.0 - sc.policy.retraining_subsidy)
            }
        )
        self.money_issued = 0.0
        self.issued_this_step = 0.0

        # Step-0 state: every firm produces its cost-minimising plan at base prices.
        firms = self.firms
        efficiency = self._efficiency()
        count_staff(self.workers, firms, efficiency)
        firms.wage[:] = wage0
        firms.oversight_wage[:] = wage0
        firms.price[:] = 1.0
        s = firms.sector
        firms.compute = firms.labour.copy()
        firms.labour_target = firms.labour.copy()
        firms.oversight_target = oversight_ratio[firms.sector] * firms.compute
        firms.output = self.initial_productivity[s] * firms.labour
        firms.expected_demand = firms.output.copy()
        firms.planned_output = firms.output.copy()
        firms.sales = firms.output.copy()
        firms.demand = firms.output.copy()
        firms.inventory = sc.firms.inventory_target * firms.output
        firms.unit_cost[:] = 1.0 / (1.0 + markup0)
        self.compute_market.set_prices(self.providers, 0)
        _, offer_tier = self.compute_market.best_offers(self.providers)
        firms.tier = offer_tier[s, firms.provider].astype(np.int16)
        firms.tokens = firms.compute * self.base_tokens[s]
        token_price = self.providers.prices[firms.provider, firms.tier]
        firms.compute_bill = firms.tokens * token_price
        self.workers.wage = np.where(self.workers.employer != UNEMPLOYED, wage0 * efficiency, 0.0)
        firms.wage_bill = np.bincount(
            np.maximum(self.workers.employer, 0), weights=self.workers.wage, minlength=n_firms
        )
        firms.revenue = firms.output * firms.price
        firms.profit = firms.revenue - firms.wage_bill - firms.compute_bill
        firms.cash = sc.firms.cash_buffer_months * (firms.wage_bill + firms.compute_bill)
        cost = self.compute_market.unit_costs(self.providers, 0)
        token_cost = cost[firms.provider, firms.tier]
        self.providers.tokens = np.bincount(
            firms.provider, weights=firms.tokens, minlength=len(self.providers)
        )
        self.providers.revenue = np.bincount(
            firms.provider, weights=firms.compute_bill, minlength=len(self.providers)
        )
        self.providers.cost = np.bincount(
            firms.provider, weights=firms.tokens * token_cost, minlength=len(self.providers)
        )
        self.providers.profit = self.providers.revenue - self.providers.cost
        self.providers.cash = self.providers.revenue.copy()
        self.upstream_income = float(self.providers.cost.sum())
        self.sector_moves = 0
        self.exits = 0
        self.insolvencies = 0
        self.learning_stock = MONTHS_PER_YEAR * np.maximum(self.providers.tokens, 1e-12)
        self.providers.cumulative_tokens = self.learning_stock.copy()
        self.compute_market.record_energy_use(
            firms.tokens, firms.tier, firms.provider, self.providers, 0
        )

        # Household income at step 0: wages plus every profit and supplier income, by equity.
        hh = self.households
        wages_by_household = np.bincount(
            household, weights=self.workers.wage, minlength=n_households
        )
        property_income = firms.profit.sum() + self.providers.revenue.sum()
        hh.income = wages_by_household + property_income * hh.equity
        hh.permanent_income = hh.income.copy()
        hh.spending = hh.income.copy()
        hh.cash = sc.money.household_months * hh.income
        self.sector_price = np.ones(n_sectors)
        self.sector_spending_share = self.consumer_weights.copy()
        self._money = MoneyCheck(self._balances())
        self.money_error = 0.0
        self.report_names = metrics.report_names(self.sector_names, self.compute_market.tier_names)

    # ------------------------------------------------------------------ helpers

    def _efficiency(self) -> np.ndarray:
        lab = self.labour_rules
        return self.workers.efficiency(lab.retraining_penalty, lab.retraining_months)

    def _balances(self) -> list[np.ndarray]:
        return [
            self.households.cash, self.firms.cash, self.providers.cash, self.upstream_cash,
            self.government.cash,
        ]  # fmt: skip

    @property
    def month(self) -> int:
        """Months simulated so far."""
        return self.steps

    def oversight_needed(self) -> np.ndarray:
        """Oversight work per million tokens in each sector this month,
        ``o_s(t) = o_s(0) d_s^(-t/12)``, efficiency units."""
        return self.oversight_per_token * np.exp(-self.log_oversight_decline * self.month)

    def productivity(self) -> np.ndarray:
        """Non-AI productivity ``A_s(t) = A_s(0) (1 + g_s)^(t/12)`` per sector."""
        return self.initial_productivity * (1.0 + self.productivity_growth) ** (
            self.month / MONTHS_PER_YEAR
        )

    @property
    def money_total(self) -> float:
        """Sum of all money balances, dollars."""
        return MoneyCheck.total(self._balances())

    # ------------------------------------------------------------------ the month

    def step(self) -> None:
        """One month, in the order of the step table in docs/model.md."""
        sc, rng = self.config, self.rng
        firms, workers, households, providers = (
            self.firms,
            self.workers,
            self.households,
            self.providers,
        )
        market, government = self.compute_market, self.government
        month = self.month
        s = firms.sector

        # 1. Compute market: energy price, provider costs and prices, provider choice.
        market.update_energy_price()
        providers.update_learning(
            self.learning_stock, sc.compute.learning_exponent, sc.compute.learning_cap
        )
        token_cost = market.set_prices(providers, month)
        offer_price, offer_tier = market.best_offers(providers)
        firms.provider = market.choose_providers(s, firms.provider, offer_price, rng)
        firms.tier = offer_tier[s, firms.provider].astype(np.int16)
        token_price = providers.prices[firms.provider, firms.tier]
        government.start_month()
        compute_unit_price = (token_price + sc.policy.compute_tax) * self.base_tokens[s]

        # 2. Firms plan: wages (above any minimum wage), desired output, cost-minimising
        #    inputs at the full price of compute (tax and oversight included), prices.
        minimum_wage = sc.policy.minimum_wage * sc.labour.initial_wage * self.report["cpi"]
        firms.update_wages(
            rng, sc.labour.wage_adjustment, sc.labour.wage_cut, minimum_wage, self.has_oversight
        )
        productivity = self.productivity()
        oversight_per_unit = (self.oversight_needed() * self.base_tokens)[s]
        firms.plan(
            sc.firms.inventory_target, productivity, self.ai_share, self.sigma,
            compute_unit_price, oversight_per_unit,
        )  # fmt: skip
        if sc.firms.price_rule == "cost_plus":
            firms.set_cost_plus_prices(sc.firms.initial_markup)
        else:
            firms.set_prices(rng, sc.firms.price_adjustment)

        # 3. Labour market: layoffs and quits, then search and matching.
        workers.months_in_sector += 1.0
        efficiency = self._efficiency()
        separations(workers, firms, efficiency, self.labour_rules, rng)
        movers = search_and_match(
            workers, firms, efficiency, self.sector_bounds, self.labour_rules, rng
        )
        self.sector_moves = movers.size
        stipends = self._pay_training_stipends(movers)

        # 4. Production and input payments: wages to households, compute to providers,
        #    providers' hardware and energy costs to upstream suppliers.
        wages_by_household, insolvent = pay_wages(workers, firms, households.cash, efficiency)

        # Compute bought: the plan, as far as cash and the oversight staff allow.
        affordable = np.maximum(firms.cash, 0.0) / compute_unit_price
        firms.compute = np.minimum(firms.compute, affordable)
        if self.has_oversight:
            with np.errstate(divide="ignore", invalid="ignore"):
                overseeable = np.where(
                    oversight_per_unit > 0, firms.oversight / oversight_per_unit, np.inf
                )
            firms.compute = np.minimum(firms.compute, overseeable)
        firms.tokens = firms.compute * self.base_tokens[s]
        firms.compute_bill = firms.tokens * token_price
        transfer(firms.cash, None, providers.cash, firms.provider, firms.compute_bill)
        firms.compute_tax = government.collect_compute_tax(firms.cash, firms.tokens)
        cost_paid = firms.tokens * token_cost[firms.provider, firms.tier]
        to_upstream = np.zeros(len(firms), dtype=np.int32)
        transfer(providers.cash, firms.provider, self.upstream_cash, to_upstream, cost_paid)
        n_providers = len(providers)
        providers.tokens = np.bincount(firms.provider, weights=firms.tokens, minlength=n_providers)
        providers.revenue = np.bincount(
            firms.provider, weights=firms.compute_bill, minlength=n_providers
        )
        providers.cost = np.bincount(firms.provider, weights=cost_paid, minlength=n_providers)
        providers.cumulative_tokens += providers.tokens
        total_revenue = providers.revenue.sum()
        if total_revenue > 0.0:
            providers.share = providers.revenue / total_revenue
        market.record_energy_use(firms.tokens, firms.tier, firms.provider, providers, month)

        firms.output = ces_output(
            firms.labour, firms.compute, productivity[s], self.ai_share[s], self.sigma[s]
        )
        firms.inventory += firms.output

        # 5. Money issuance: new money paid as equal transfers to households.
        monthly_growth = (1.0 + sc.money.growth) ** (1.0 / MONTHS_PER_YEAR) - 1.0
        self.issued_this_step = monthly_growth * self.money_total
        households.cash += self.issued_this_step / len(households)
        self.money_issued += self.issued_this_step

        # 6. Goods market: budgets, CES split across sectors, shopping with rationing.
        budget = households.plan_spending(
            sc.households.income_smoothing, sc.households.buffer_months,
            sc.households.spend_excess,
        )  # fmt: skip
        shares = Households.sector_shares(
            self.sector_price, self.consumer_weights, sc.households.consumer_elasticity
        )
        result = shop(
            households,
            firms,
            budget,
            shares,
            self.sector_bounds,
            sc.households.shops_visited,
            sc.households.loyalty,
            rng,
        )
        households.cash -= result.spending
        households.spending = result.spending
        firms.cash += result.revenue
        firms.revenue = result.revenue

        # 7. Profits, dividends, expectations, exit and entry.
        firms.profit = firms.revenue - firms.wage_bill - firms.compute_bill - firms.compute_tax
        providers.profit = providers.revenue - providers.cost
        dividends = self._pay_dividends(insolvent)
        transfers = government.balance_budget(households.cash, self._transfer_recipients)
        households.income = (
            wages_by_household
            + dividends * households.equity
            + self.issued_this_step / len(households)
            + stipends
            + transfers
        )
        firms.update_expectations(
            sc.firms.expectation_adjustment, sc.firms.max_expansion, sc.firms.inventory_depreciation
        )
        firms.age += 1
        self._exit_and_entry(insolvent)

        # 8. Sector prices for next month's budgets, reports and the money check.
        self._update_sector_prices()
        if self.check_money:
            self.money_error = self._money.verify(self._balances(), self.issued_this_step)
        self.report = metrics.measure(self)
        self.datacollector.collect(self)
        self.running = self.steps < sc.run.steps

    def _pay_dividends(self, insolvent: np.ndarray) -> float:
        """After the profit tax, firms pay out all cash above a buffer of
        ``cash_buffer_months`` of costs (so profits are retained until the buffer is
        full); providers keep one month of costs; upstream suppliers pay out
        everything. Returns total dividends."""
        firms, providers, government = self.firms, self.providers, self.government
        government.collect_profit_tax(firms.cash, firms.profit)
        government.collect_profit_tax(providers.cash, providers.profit)
        government.collect_profit_tax(self.upstream_cash, self.upstream_cash.copy())
        costs = firms.wage_bill + firms.compute_bill + firms.compute_tax
        buffer = self.config.firms.cash_buffer_months * costs
        firms.dividends = np.where(insolvent, 0.0, np.maximum(firms.cash - buffer, 0.0))
        firms.cash -= firms.dividends
        providers.dividends = np.maximum(providers.cash - providers.cost, 0.0)
        providers.cash -= providers.dividends
        upstream = float(self.upstream_cash[0])
        self.upstream_cash[0] = 0.0
        total = float(firms.dividends.sum() + providers.dividends.sum()) + upstream
        self.upstream_income = upstream
        distribute(total, self.households.equity, self.households.cash)
        return total

    def _pay_training_stipends(self, movers: np.ndarray) -> np.ndarray:
        """With a retraining subsidy ``s``, each worker who moved sector this month gets
        a stipend worth the productivity the training restores, ``s psi T w skill``
        (``psi`` the penalty, ``T`` its fade time, ``w`` the new employer's wage).
        Returns the stipends by household."""
        subsidy = self.config.policy.retraining_subsidy
        households = self.households
        if subsidy == 0.0 or movers.size == 0:
            return np.zeros(len(households))
        lab = self.config.labour
        value = (
            subsidy * lab.retraining_penalty * lab.retraining_months
            * self.firms.wage[self.workers.employer[movers]] * self.workers.skill[movers]
        )  # fmt: skip
        return self.government.pay_stipends(households.cash, self.workers.household[movers], value)

    def _transfer_recipients(self) -> np.ndarray:
        """Weight of each household in the government's transfers."""
        n = len(self.households)
        if self.config.policy.transfers_to == "unemployed":
            jobless = self.workers.employer == UNEMPLOYED
            return np.bincount(self.workers.household[jobless], minlength=n).astype(float)
        return np.ones(n)

    def _exit_and_entry(self, insolvent: np.ndarray) -> None:
        """Firms that could not pay their wage bill, or have lost all their market, exit;
        an entrant of the same sector takes each one's place, funded by owners."""
        firms, sc = self.firms, self.config
        sector_demand = np.bincount(
            firms.sector, weights=firms.expected_demand, minlength=len(self.sector_names)
        )
        firm_count = np.diff(self.sector_bounds)
        mean_demand = sector_demand / firm_count
        dormant = (firms.expected_demand < 1e-3 * mean_demand[firms.sector]) & (firms.age > 12)
        exiting = np.flatnonzero(insolvent | dormant)
        self.insolvencies = int(insolvent.sum())
        if exiting.size == 0:
            self.exits = 0
            return
        self.exits = exiting.size
        households = self.households
        # Liquidation: remaining cash goes to owners; workers lose their jobs.
        distribute(
            float(np.maximum(firms.cash[exiting], 0.0).sum()), households.equity, households.cash
        )
        firms.cash[exiting] = np.minimum(firms.cash[exiting], 0.0)
        closing = np.zeros(len(firms) + 1, dtype=bool)  # last slot: the unemployed (-1)
        closing[exiting] = True
        self.workers.employer[closing[self.workers.employer]] = UNEMPLOYED
        sector = firms.sector[exiting]

        def sector_mean_wage(wage: np.ndarray, headcount: np.ndarray) -> np.ndarray:
            n = len(firm_count)
            paid = np.bincount(firms.sector, weights=wage * headcount, minlength=n)
            return paid / np.maximum(np.bincount(firms.sector, weights=headcount, minlength=n), 1)

        mean_cost = (
            np.bincount(
                firms.sector,
                weights=firms.wage_bill + firms.compute_bill,
                minlength=len(firm_count),
            )
            / firm_count
        )
        size = sc.firms.entry_size
        # Owners fund entrants in proportion to equity, as far as their cash allows.
        wanted = float((size * sc.firms.cash_buffer_months * mean_cost[sector]).sum())
        contribution = np.minimum(np.maximum(households.cash, 0.0), wanted * households.equity)
        households.cash -= contribution
        raised = float(contribution.sum())
        need = size * sc.firms.cash_buffer_months * mean_cost[sector]
        firms.cash[exiting] += raised * need / max(need.sum(), 1e-300)
        # Entrants offer their sector's average wage in each job.
        for wage, headcount in (
            (firms.wage, firms.headcount),
            (firms.oversight_wage, firms.oversight_headcount),
        ):
            mean_wage = sector_mean_wage(wage, headcount)[sector]
            wage[exiting] = np.where(mean_wage > 0, mean_wage, wage[exiting])
        firms.price[exiting] = self.sector_price[sector]
        firms.expected_demand[exiting] = size * mean_demand[sector]
        for name in (
            "inventory", "labour", "compute", "tokens", "labour_target", "vacancies",
            "oversight", "oversight_target", "oversight_vacancies", "headcount",
            "oversight_headcount", "age",
        ):  # fmt: skip
            getattr(firms, name)[exiting] = 0
        firms.unfilled[exiting] = True
        firms.stocked_out[exiting] = False
        firms.unsold[exiting] = False

    def _update_sector_prices(self) -> None:
        """Sales-weighted sector prices (kept from last month where nothing sold) and
        each sector's share of spending."""
        firms = self.firms
        n = len(self.sector_names)
        units = np.bincount(firms.sector, weights=firms.sales, minlength=n)
        value = np.bincount(firms.sector, weights=firms.sales * firms.price, minlength=n)
        with np.errstate(divide="ignore", invalid="ignore"):
            self.previous_sector_price = self.sector_price.copy()
            self.sector_price = np.where(units > 0, value / units, self.sector_price)
        total = value.sum()
        self.previous_spending_share = self.sector_spending_share
        if total > 0:
            self.sector_spending_share = value / total

    # ------------------------------------------------------------------ results

    def results(self) -> pd.DataFrame:
        """The per-step series collected so far, one row per step (see docs/model.md)."""
        return self.datacollector.get_model_vars_dataframe().reset_index(drop=True)

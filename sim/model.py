"""The economy: populations of workers, households, firms and AI compute providers.

Core object: :class:`EconomyModel`, a :class:`mesa.Model` whose agents are
struct-of-arrays populations (``model.workers``, ``model.households``,
``model.firms``, ``model.providers``). One step is one month and runs the phases in
the order of the step table in ``docs/model.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd
from mesa.experimental.scenarios import Scenario as MesaScenario

from sim import metrics
from sim.accounting import MoneyCheck, distribute
from sim.agents.households import Households
from sim.agents.workers import UNEMPLOYED
from sim.economics import ces_output, exposed_labour_fraction
from sim.markets.adoption import labour_only_productivity
from sim.markets.compute import MONTHS_PER_YEAR
from sim.markets.credit import (
    amortise,
    charge_interest,
    lend,
    pay_bank_dividends,
    resolve_failed_banks,
    write_off,
)
from sim.markets.energy import goods_price_index
from sim.markets.goods import shop
from sim.markets.labour import pay_wages, search_and_match, separations, start_month
from sim.markets.turnover import close_firms, entering_slots, exiting_firms, open_firms
from sim.runtime import keep_freed_memory
from sim.scenario import Scenario, build_scenario, load_scenario
from sim.setup import calibrate


@dataclass(frozen=True)
class LabourFlows:
    """This month's labour-market flows, in workers (vacancies in efficiency units).

    Attributes:
        employed: workers employed when the month began.
        separations: jobs left or lost this month (layoffs, quits, job changes).
        unemployed_seekers: unemployed workers who searched.
        unemployed_hired: how many of them found a job.
        vacancies: open vacancies when search began.
    """

    employed: int = 0
    separations: int = 0
    unemployed_seekers: int = 0
    unemployed_hired: int = 0
    vacancies: float = 0.0


@dataclass
class MonthState:
    """What one phase of a month hands to the next (overwritten each month).

    Attributes:
        token_cost: providers' cost of a million tokens, by provider and tier, dollars.
        token_price: each firm's price of a million tokens, dollars.
        tokens_per_unit: each firm's M tokens per base unit of compute (tokens per task).
        compute_unit_price: each firm's price of a base unit of compute, tax included.
        productivity: non-AI productivity by sector.
        labour_only_productivity: output per efficiency unit of a firm without AI, by sector.
        oversight_per_unit: oversight work per base unit of compute, by firm.
        efficiency: each worker's efficiency units this month.
        insolvent: firms that could not pay their whole wage bill.
        defaulted: firms that could not pay this month's interest or scheduled
            repayment in full.
        wages_by_household: wages received by each household, dollars.
        stipends: training stipends and unemployment benefits received by each
            household, dollars.
        new_money: money the issuer paid each household (negative: withdrew), dollars.
        consumption: households' purchases of goods this month, dollars.
    """

    token_cost: np.ndarray | None = None
    token_price: np.ndarray | None = None
    tokens_per_unit: np.ndarray | None = None
    compute_unit_price: np.ndarray | None = None
    productivity: np.ndarray | None = None
    labour_only_productivity: np.ndarray | None = None
    oversight_per_unit: np.ndarray | None = None
    efficiency: np.ndarray | None = None
    insolvent: np.ndarray | None = None
    defaulted: np.ndarray | None = None
    wages_by_household: np.ndarray | None = None
    stipends: np.ndarray | None = None
    new_money: np.ndarray | None = None
    consumption: float = 0.0


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
        self.this_month = MonthState()
        self.labour_flows = LabourFlows()
        calibrate(self)
        self.datacollector = mesa.DataCollector(
            model_reporters=metrics.reporters(self.report_names)
        )
        self.series_memory = metrics.SeriesMemory.for_population(
            len(self.households), len(self.workers), self.rng
        )
        self.report = metrics.measure(self)
        self.datacollector.collect(self)

    # ------------------------------------------------------------------ helpers

    def worker_efficiency(self) -> np.ndarray:
        """Each worker's efficiency units in her current sector and occupation."""
        lab = self.labour_rules
        return self.workers.efficiency(lab.retraining_penalty, lab.retraining_months)

    def balances(self) -> list[np.ndarray]:
        """Every money balance in the economy."""
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
        """Non-AI productivity ``A_s(t) = A_s(0) (1 + g_s)^(t/12) exp(z_t)`` per sector,
        with the aggregate shock ``z_t`` of docs/model.md section 3b."""
        trend = (1.0 + self.productivity_growth) ** (self.month / MONTHS_PER_YEAR)
        return self.initial_productivity * trend * self.productivity_shock.factor

    @property
    def money_total(self) -> float:
        """Sum of all money balances, dollars."""
        return MoneyCheck.total(self.balances())

    @property
    def base_money(self) -> float:
        """Reserves, the issuer's base money: deposits + bank equity - loans, dollars."""
        return self.money_total + float(self.banks.equity.sum()) - float(self.banks.loans.sum())

    # ------------------------------------------------------------------ the month

    def step(self) -> None:
        """One month: the phases of the step table in docs/model.md, in order."""
        for phase in (
            self.shock_phase,  # 0a. the aggregate productivity shock moves
            self.adoption_phase,  # 0. non-adopters adopt AI with the Bass hazard
            self.compute_market_phase,  # 1. compute prices and provider choice
            self.planning_phase,  # 2. wages, output plans, input mix, prices
            self.credit_market_phase,  # 2b. policy rate, working-capital loans, plans rescaled
            self.labour_market_phase,  # 3. separations, search and matching
            self.production_phase,  # 4. wages paid, compute bought, output made
            self.money_issuance_phase,  # 5. new money to households
            self.goods_market_phase,  # 6. budgets, CES split, shopping
            self.accounts_phase,  # 7. interest, profits, taxes, repayment, dividends
            self.turnover_phase,  # 7b. bankruptcy and exit, bad debt, bank resolution, entry
            self.close_month,  # 8. sector prices, money check, reports
        ):
            phase()

    # --- 0a. the aggregate shock ---------------------------------------------------------

    def shock_phase(self) -> None:
        """The common log productivity ``z_t = rho_m z_(t-1) + sigma_m e_t``
        (docs/model.md, section 3b)."""
        self.productivity_shock.advance()

    # --- 0. adoption -------------------------------------------------------------------

    def adoption_phase(self) -> None:
        """Each active non-adopter adopts AI with the Bass hazard ``p + q F``
        (docs/model.md, section 2b)."""
        self.adoption.diffuse(self.firms, self.rng)

    # --- 1. compute market (issue 11 owns this phase and the compute files) -------------

    def compute_market_phase(self) -> None:
        """GPU, hardware and electricity prices, providers' costs and strategic prices,
        each firm's provider and tier; sets this month's token cost, token price, tokens
        per unit of compute and full price of a unit of compute."""
        sc, firms, providers, market = self.config, self.firms, self.providers, self.compute_market
        s = firms.sector
        this = self.this_month
        this.token_cost = market.open_month(providers, self.month)
        sector_tier = market.sector_tiers(providers)
        firms.provider_mix = market.route_work(
            s, firms.provider_mix, providers, sector_tier, self.rng
        )
        firms.tier = sector_tier[s].astype(np.int16)
        this.token_price = market.mix_price(firms.provider_mix, providers, firms.tier)
        self.government.start_month()
        this.tokens_per_unit = self.base_tokens[s] * market.task_ratio(self.month)[firms.tier]
        this.compute_unit_price = (this.token_price + sc.policy.compute_tax) * this.tokens_per_unit

    def buy_compute(self) -> None:
        """Compute bought: the plan, as far as cash, the oversight staff and the provider's
        GPUs allow; paid to providers, who pay electricity, training and GPUs to the
        supplier account."""
        firms, providers, market = self.firms, self.providers, self.compute_market
        this = self.this_month
        affordable = np.maximum(firms.cash, 0.0) / this.compute_unit_price
        firms.compute = np.minimum(firms.compute, affordable)
        if self.has_oversight:
            with np.errstate(divide="ignore", invalid="ignore"):
                overseeable = np.where(
                    this.oversight_per_unit > 0, firms.oversight / this.oversight_per_unit, np.inf
                )
            firms.compute = np.minimum(firms.compute, overseeable)
        # GPUs short: every customer of a short provider gets the same share of the work
        # it routes there.
        firms.compute *= market.ration(
            firms.compute * this.tokens_per_unit, firms.tier, firms.provider_mix, providers,
            self.month,
        )  # fmt: skip
        firms.tokens = market.routed_tokens.sum(axis=1)
        firms.compute_bill = market.collect_bills(firms.cash, providers, firms.tier)
        firms.compute_tax = self.government.collect_compute_tax(firms.cash, firms.tokens)
        households = self.households
        market.settle(
            firms.tier,
            providers,
            self.upstream_cash,
            households.cash,
            households.equity,
            self.month,
        )

    # --- 2. planning ------------------------------------------------------------------

    def planning_phase(self) -> None:
        """Firms set wages (above any minimum wage), desired output, cost-minimising
        inputs at the full price of compute (tax and oversight included), and prices."""
        sc, firms, this = self.config, self.firms, self.this_month
        capital = self.capital_goods
        capital_price = float(self.sector_price[capital.sector_index])
        capital.update_capacity(firms, capital_price)
        minimum_wage = sc.policy.minimum_wage * sc.labour.initial_wage * self.report["cpi"]
        firms.update_wages(
            self.rng, sc.labour.wage_adjustment, sc.labour.wage_cut, minimum_wage,
            self.has_oversight,
        )  # fmt: skip
        this.productivity = self.productivity()
        this.labour_only_productivity = labour_only_productivity(self.ai_share, this.productivity)
        this.oversight_per_unit = (self.oversight_needed() * self.base_tokens)[firms.sector]
        firms.capital_cost = capital.unit_cost(
            capital_price, sc.required_return(), firms.capital_productivity
        )
        self._plan_inputs()
        if sc.firms.price_rule == "cost_plus":
            firms.set_cost_plus_prices()
        else:
            firms.set_prices(self.rng, sc.firms.price_adjustment, self.sector_price)

    def _plan_inputs(self) -> None:
        """Firms' output plans and cost-minimising inputs at this month's prices
        (non-adopters with their labour-only technology)."""
        this = self.this_month
        self.firms.plan(
            self.config.firms.inventory_target, this.productivity, self.ai_share, self.sigma,
            this.compute_unit_price, this.oversight_per_unit, self.exposure, self.task_sigma,
            this.labour_only_productivity,
        )  # fmt: skip

    # --- 2b. credit market ----------------------------------------------------------------

    def credit_market_phase(self) -> None:
        """The central bank sets its policy rate from last month's CPI and unemployment
        (Taylor rule); firms whose cash does not cover their planned costs borrow the
        difference (BAM working-capital loans) at the loan base rate plus a leverage
        premium; the plan is then rescaled to the cash they hold."""
        sc, firms = self.config, self.firms
        self.banks.start_month()
        firms.borrowed[:] = 0.0
        self.central_bank.set_policy_rate(self.report["cpi"], self.report["unemployment_rate"])
        if not sc.credit.enabled:
            return
        desired = firms.desired_output(sc.firms.inventory_target)
        request = np.maximum(desired * firms.unit_cost - firms.cash, 0.0)
        if lend(firms, self.banks, request, sc.credit, self.central_bank.loan_base_rate()).any():
            self._plan_inputs()

    # --- 3. labour market ---------------------------------------------------------------

    def labour_market_phase(self) -> None:
        """Layoffs and quits, then search and matching; stipends to sector movers and
        benefits to the unemployed."""
        workers, this = self.workers, self.this_month
        workers.months_in_sector += 1.0
        employed_before = start_month(workers)
        this.efficiency = self.worker_efficiency()
        separated = separations(workers, self.firms, this.efficiency, self.labour_rules, self.rng)
        matched = search_and_match(
            workers, self.firms, this.efficiency, self.sector_bounds, self.labour_rules, self.rng
        )
        self.labour_flows = LabourFlows(
            employed_before, separated + matched.job_changes, matched.unemployed_seekers,
            matched.unemployed_hired, matched.vacancies,
        )  # fmt: skip
        self.sector_moves = matched.movers.size
        this.stipends = self._pay_training_stipends(matched.movers) + self._pay_benefits()

    def _pay_benefits(self) -> np.ndarray | float:
        """Unemployment insurance: ``b = rho w_last`` a month to each unemployed worker
        for her first ``duration_months`` months of unemployment (US state UI pays
        about 40-50 % of lost pay for up to 26 weeks). Returns benefits by household."""
        cfg, workers = self.config.benefits, self.workers
        if cfg.replacement_rate == 0.0:
            return 0.0
        eligible = np.flatnonzero(
            (workers.employer == UNEMPLOYED) & (workers.months_unemployed < cfg.duration_months)
        )
        return self.government.pay_benefits(
            self.households.cash, workers.household[eligible],
            cfg.replacement_rate * workers.last_wage[eligible],
        )  # fmt: skip

    # --- 4. production ------------------------------------------------------------------

    def production_phase(self) -> None:
        """Wages to households, compute bought from providers, output made."""
        firms, this = self.firms, self.this_month
        this.wages_by_household, this.insolvent = pay_wages(
            self.workers, firms, self.households.cash, this.efficiency
        )
        self.buy_compute()
        s = firms.sector
        # Labour splits between exposed and unexposed tasks as in the firm's plan.
        ai_price = this.compute_unit_price + firms.oversight_wage * this.oversight_per_unit
        nest = (self.ai_share[s], self.sigma[s], self.exposure[s], self.task_sigma[s])
        with_ai = ces_output(
            firms.labour, firms.compute, this.productivity[s], *nest,
            exposed_fraction=exposed_labour_fraction(firms.wage, ai_price, *nest),
        )  # fmt: skip
        labour_only = this.labour_only_productivity[s] * firms.labour
        firms.output = np.minimum(np.where(firms.adopter, with_ai, labour_only), firms.capacity)
        firms.inventory += firms.output

    # --- 5. money issuance --------------------------------------------------------------

    def money_issuance_phase(self) -> None:
        """The central bank's money rule (McCallum's, on last month's nominal and real
        GDP and money stock, or a fixed growth) sets this month's new money, paid to
        households in equal amounts (withdrawn in proportion to their money if
        negative); none while the government's debt exceeds every other balance (money
        total below zero)."""
        rule, report = self.money_rule, self.report
        aggregate = "base_money" if rule.targets_base else "money_total"
        rule.observe(report["nominal_gdp"], report["real_gdp"], report[aggregate])
        amount = rule.monthly_issue(getattr(self, aggregate))
        self.this_month.new_money = rule.pay(amount, self.households.cash)
        self.issued_this_step = float(self.this_month.new_money.sum()) if amount < 0 else amount
        self.money_issued += self.issued_this_step

    # --- 6. goods market ----------------------------------------------------------------

    def goods_market_phase(self) -> None:
        """Firms buy capital goods (made to order, served first); budgets, electricity
        bills, CES split of the rest across sectors, shopping with rationing; then the AI
        supply chain buys its inputs."""
        hc, households, firms = self.config.households, self.households, self.firms
        # Capital goods are made to order: firms' investment orders are served before
        # the shops open.
        capital = self.capital_goods
        capital.invest(
            firms, self.banks, self.config.credit, self.central_bank.loan_base_rate(),
            float(self.sector_price[capital.sector_index]), self._cash_buffer(),
        )  # fmt: skip
        budget = households.plan_spending(hc.income_smoothing, hc.buffer_months, hc.spend_excess)
        bills = self.pay_electricity(budget)
        budget -= bills
        shares = Households.sector_shares(
            self.sector_price, self.consumer_weights, hc.consumer_elasticity
        )
        result = shop(
            households, firms, budget, shares, self.sector_bounds, hc.shops_visited,
            hc.loyalty, self.rng,
        )  # fmt: skip
        households.cash -= result.spending
        households.spending = result.spending + bills
        self.compute_market.electricity.record_household_spending(float(households.spending.sum()))
        firms.cash += result.revenue
        firms.revenue = result.revenue
        capital.record_sales(firms)
        self.this_month.consumption = float(result.spending.sum())
        self.supplier_inputs.buy(firms, self.upstream_cash)

    def pay_electricity(self, budget: np.ndarray) -> np.ndarray:
        """Households pay their electricity bills, a CES share of their budgets, to the
        power sector (docs/model.md, 4.3). Returns the bills by household."""
        electricity = self.compute_market.electricity
        goods_index = goods_price_index(
            self.sector_price, self.consumer_weights, self.config.households.consumer_elasticity
        )
        return electricity.bill_households(
            budget, goods_index, self.households.cash, self.upstream_cash
        )

    # --- 7. accounts --------------------------------------------------------------------

    def accounts_phase(self) -> None:
        """Interest, profits, taxes, loan repayment, dividends (firms, providers, banks),
        transfers, household income and expectations."""
        sc, firms, households, this = self.config, self.firms, self.households, self.this_month
        unpaid_interest = charge_interest(firms, self.banks)
        firms.profit = (
            firms.revenue - firms.wage_bill - firms.compute_bill - firms.compute_tax
            - firms.interest
        )  # fmt: skip
        self.capital_goods.update_economic_profit(
            firms, float(self.sector_price[self.capital_goods.sector_index])
        )
        dividends, unpaid_principal = self._pay_dividends(this.insolvent)
        # With capital on its books a firm also fails when it misses debt service by
        # more than rounding (default, section 13); without capital only negative net
        # worth does, as before.
        if self.capital_goods.enabled:
            this.defaulted = unpaid_interest + unpaid_principal > 1e-9 * (firms.debt + 1.0)
        transfers = self.government.balance_budget(households.cash, self._transfer_recipients)
        households.income = (
            this.wages_by_household
            + dividends * households.equity
            + this.new_money
            + this.stipends
            + transfers
        )
        firms.update_expectations(
            sc.firms.expectation_adjustment, sc.firms.max_expansion,
            sc.firms.inventory_depreciation, 1.0 / sc.capital.planning_months,
        )  # fmt: skip
        firms.age += 1

    # --- 7b. turnover -------------------------------------------------------------------

    def turnover_phase(self) -> None:
        """Bankrupt, insolvent and dormant firms exit (bad debt written off, workers laid
        off); failed banks are recapitalised by their owners; entrants take empty slots
        with a probability that rises with their sector's margin."""
        sc, firms, households = self.config, self.firms, self.households
        n_sectors = len(self.sector_names)
        this = self.this_month
        exiting, bankrupt = exiting_firms(
            firms, this.insolvent, n_sectors, this.defaulted,
            self.capital_goods.unprofitable(firms),
        )  # fmt: skip
        self.insolvencies = int(self.this_month.insolvent.sum())
        self.bankruptcies = int(bankrupt.sum())
        self.exits = exiting.size
        self.bad_debt = write_off(firms, self.banks, exiting) if exiting.size else 0.0
        self.capital_goods.write_off(firms, exiting)
        close_firms(firms, self.workers, households, exiting)
        self.bank_failures = resolve_failed_banks(
            self.banks, sc.credit, households.equity, households.cash
        )
        entering = entering_slots(
            firms, self._sector_markup(), sc.credit.entry_sensitivity, self.rng
        )
        self.entries = entering.size
        if entering.size:
            self._open_entrants(entering)
        self.compute_market.entry_and_exit(
            self.providers, households.cash, households.equity, self.upstream_cash, self.month
        )

    def _open_entrants(self, entering: np.ndarray) -> None:
        """Entrants of ``entry_size`` times their sector's average active firm, at its
        mean wages, price and markup, with ``entry_size x cash_buffer_months`` of the
        average active firm's monthly costs as cash, funded by its owners."""
        sc, firms, n = self.config, self.firms, len(self.sector_names)
        active = firms.active.astype(float)
        count = np.maximum(np.bincount(firms.sector, weights=active, minlength=n), 1.0)

        def sector_mean(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
            total = np.bincount(firms.sector, weights=values * weights, minlength=n)
            weight = np.bincount(firms.sector, weights=weights, minlength=n)
            return np.where(weight > 0, total / np.maximum(weight, 1e-300), 0.0)

        sector = firms.sector[entering]
        size = sc.firms.entry_size
        costs = (firms.wage_bill + firms.compute_bill) * active
        mean_cost = np.bincount(firms.sector, weights=costs, minlength=n) / count
        demand = firms.expected_demand * active
        mean_demand = np.bincount(firms.sector, weights=demand, minlength=n) / count
        wage = sector_mean(firms.wage, firms.headcount.astype(float))[sector]
        oversight_wage = sector_mean(firms.oversight_wage, firms.oversight_headcount.astype(float))[
            sector
        ]
        capital = self.capital_goods
        # The entrant takes over the plant in its slot up to what its expected demand
        # needs; its owners fund the rest at last month's price of capital goods (0
        # without capital).
        productivity = sector_mean(firms.capital_productivity, active)[sector]
        capital_needed = (
            capital.take_over(
                firms, entering, capital.desired_capital(size * mean_demand[sector], productivity)
            )
            * float(self.sector_price[capital.sector_index])
            if capital.enabled
            else 0.0
        )
        cash_needed = size * sc.firms.cash_buffer_months * mean_cost[sector] + capital_needed
        self.adoption.enter(firms, entering, self.rng)
        open_firms(
            firms, self.households, entering, cash_needed, size * mean_demand[sector],
            np.where(wage > 0, wage, firms.wage[entering]),
            np.where(oversight_wage > 0, oversight_wage, firms.oversight_wage[entering]),
            self.sector_price[sector], self._sector_markup()[sector],
        )  # fmt: skip

    # --- 8. close the month -------------------------------------------------------------

    def close_month(self) -> None:
        """Sector prices for next month's budgets, the money check and the reports."""
        self._update_sector_prices()
        if self.check_money:
            banks = self.banks
            # Deposits change by issuance and by the banks' flows: loans create them,
            # repayment, interest paid and new bank equity destroy them, bank dividends
            # create them.
            created = (
                banks.lent.sum() - banks.repaid.sum() - (banks.interest - banks.capitalised).sum()
                + banks.dividends.sum() - banks.recapitalised.sum()
            )  # fmt: skip
            # Rounding scale: the month's gross transactions (the column totals of the
            # transaction-flow matrix, the AI supply chain's payments to its suppliers and
            # owners included), not only the net stock they leave. Each column counts by
            # its size: the government's spending is negative in a month it takes back a
            # deficit from households.
            gross = sum(
                abs(float(column))
                for column in (
                    (banks.lent + banks.repaid + banks.interest + banks.dividends
                     + banks.recapitalised).sum(),
                    self.households.spending.sum(), self.firms.wage_bill.sum(),
                    self.capital_goods.spending, self.firms.compute_bill.sum(),
                    self.government.spending, self.government.revenue,
                    self.government.benefits, self.providers.cost.sum(),
                    self.providers.dividends.sum(), self.upstream_income,
                )
            )  # fmt: skip
            self.money_error = max(
                self._money.verify(
                    self.balances(), self.issued_this_step + float(created), float(gross)
                ),
                self._accounts.verify(
                    self.money_total,
                    banks,
                    self.firms.debt,
                    self.issued_this_step,
                    float(gross),
                ),
                self._capital_account.verify(self.firms, self.capital_goods),
            )
        self.report = metrics.measure(self)
        self.datacollector.collect(self)
        self.running = self.steps < self.config.run.steps

    def _pay_dividends(self, insolvent: np.ndarray) -> tuple[float, np.ndarray]:
        """After the profit tax, firms pay out all cash above a buffer of
        ``cash_buffer_months`` of costs plus this month's investment outlay (so profits
        are retained until the buffer is full, and investment is paid from retained
        earnings first); providers keep one month of costs; upstream suppliers pay out
        everything; banks pay out part of their profit. Firms repay loans before paying
        dividends. Returns total dividends and each firm's scheduled repayment left
        unpaid."""
        firms, providers, government = self.firms, self.providers, self.government
        government.collect_profit_tax(firms.cash, firms.profit)
        government.collect_profit_tax(providers.cash, providers.profit)
        government.collect_profit_tax(self.upstream_cash, self.upstream_cash.copy())
        # Firms keep their cash buffer and retain this month's investment outlay (their
        # depreciation allowance), so next month's orders start from internal funds.
        buffer = self._cash_buffer() + firms.investment_spending
        # Loans are repaid (1/maturity a month, and from any cash above the buffer)
        # before owners are paid.
        unpaid = amortise(
            firms, self.banks, self.config.credit, buffer, self.config.capital.loan_maturity_months
        )
        firms.dividends = np.where(insolvent, 0.0, np.maximum(firms.cash - buffer, 0.0))
        firms.cash -= firms.dividends
        providers.dividends = np.maximum(providers.cash - providers.cost, 0.0)
        providers.cash -= providers.dividends
        upstream = float(self.upstream_cash[0])
        self.upstream_cash[0] = 0.0
        bank_dividends = pay_bank_dividends(
            self.banks, self.config.credit, self.households.equity, self.households.cash
        )
        total = float(firms.dividends.sum() + providers.dividends.sum()) + upstream
        self.upstream_income = upstream
        distribute(total, self.households.equity, self.households.cash)
        return total + bank_dividends, unpaid

    def _cash_buffer(self) -> np.ndarray:
        """Cash each firm keeps, ``cash_buffer_months`` of this month's costs (wages,
        compute and its tax), dollars."""
        firms = self.firms
        costs = firms.wage_bill + firms.compute_bill + firms.compute_tax
        return self.config.firms.cash_buffer_months * costs

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

    def _sector_markup(self) -> np.ndarray:
        """Each sector's sales-weighted mean markup (the initial markup where nothing sold)."""
        firms, n = self.firms, len(self.sector_names)
        revenue = firms.sales * firms.price
        weight = np.bincount(firms.sector, weights=revenue, minlength=n)
        total = np.bincount(firms.sector, weights=revenue * firms.markup, minlength=n)
        return np.where(
            weight > 0, total / np.maximum(weight, 1e-300), self.config.firms.initial_markup
        )

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

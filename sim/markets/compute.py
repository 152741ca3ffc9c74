"""The market for AI compute in physical units: FLOPs per token, GPUs and electricity,
providers' strategic prices, the choice of provider and tier, entry and exit.

Core object: :class:`ComputeMarket`.

A token of tier k in month t needs ``phi_k(t)`` FLOPs. Algorithmic progress at fixed
capability cuts it by ``a_k = d_k / g_H`` a year, ``d_k`` the tier's observed price decline
at trend input prices (``annual_decline``) and ``g_H`` hardware price-performance:

    phi_k(t) = phi_k(0) a_k^(-Y(t)),   Y(t) = t/12 (sustained), or
    Y(t) = (H / ln 2) (1 - 2^(-t / 12H)) if the rate of progress halves every H years,

and never below a less capable tier's ``phi_j(t)`` (a model that reaches a capability
reaches every lower one).

Cost of a million tokens of tier k at provider p (dollars):

    c_pk(t) = 10^6 phi_k(t) [R(t) / f(t) + e(t) P_E(t)] z_p l_p(t),

``R/f`` the GPU rental per FLOP (:mod:`sim.markets.hardware`), ``e`` kWh per FLOP,
``P_E`` the electricity price (:mod:`sim.markets.energy`), ``z_p`` the provider's cost
factor and ``l_p`` its learning factor. Algorithmic progress cuts hardware *and*
electricity per token, so no cost share becomes a floor.

Price = cost x (1 + mu_p), mu_p the Bertrand-Nash markup of the logit demand
(:func:`sim.agents.providers.bertrand_markup`). Each firm buys the cheapest tier at or
above its sector's minimum, and (when it reconsiders, with probability
``provider_switching``) picks a provider by a logit on log prices,
``Pr(p) ~ price_p^(-beta)``, among the providers in the market.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.accounting import distribute, raise_from_owners, transfer
from sim.agents.providers import Providers, bertrand_markup
from sim.markets.energy import ElectricityMarket
from sim.markets.hardware import GPUMarket
from sim.metrics import REPORT_PROVIDERS, ReportProvider, hhi
from sim.scenario import Scenario

if TYPE_CHECKING:
    from sim.model import EconomyModel

MONTHS_PER_YEAR = 12.0
TOKENS_PER_MILLION = 1e6
MIN_SHARE = 0.01
"""Smallest step-0 share a provider in the market is given."""
MAX_LOG_PRICE_GAP = np.log(10.0)
"""Largest log gap between a provider's step-0 price and the geometric mean."""


def report_names(sectors: list[str], tiers: list[str]) -> list[str]:
    """The AI supply chain's reported series (docs/model.md, "Reported each step")."""
    per_tier = (
        "compute_price", "task_price", "flops_per_token", "token_price_bought", "upgrade_factor"
    )  # fmt: skip
    return [
        *(f"{series}_{t}" for series in per_tier for t in tiers), "tokens_bought",
        "energy_price", "electricity_price", "electricity_demand_compute",
        "electricity_demand_datacentres", "electricity_demand_other_ai", "electricity_demand_firms",
        "electricity_demand_households", "compute_electricity_share",
        "datacentre_electricity_share", "household_electricity_bill",
        "household_electricity_share",
        "gpu_capacity", "gpu_utilisation", "gpu_rental_price", "hardware_price", "gpu_investment",
        "providers_active", "provider_entries", "provider_exits", "provider_hhi",
        "provider_markup", "provider_profits", "provider_share_1", "provider_share_2",
        "provider_share_3", "supplier_input_purchases", "supply_chain_employment",
    ]  # fmt: skip


def target_shares(n_active: int, leaders: list[float]) -> np.ndarray:
    """Step-0 shares: the leaders' shares, the remainder split equally among the others
    (the first ``n_active`` leaders renormalised if there are no others), each at least
    ``MIN_SHARE`` before renormalising."""
    shares = np.array(leaders[:n_active], dtype=float)
    if shares.sum() > 1.0:
        shares /= shares.sum()
    others = n_active - shares.size
    if others > 0:
        rest = max(1.0 - shares.sum(), 0.0)
        shares = np.concatenate((shares, np.full(others, rest / others)))
    shares = np.maximum(shares, MIN_SHARE)
    return shares / shares.sum()


class ComputeMarket:
    """Tiers, costs, prices and choices; the GPU and electricity markets behind them."""

    def __init__(self, scenario: Scenario, sector_min_rank: np.ndarray) -> None:
        cfg = scenario.compute
        self.cfg = cfg
        tiers = sorted(cfg.tiers.items(), key=lambda item: item[1].rank)
        self.tier_names = [name for name, _ in tiers]
        self.rank = np.array([tier.rank for _, tier in tiers])
        self.initial_price = np.array([tier.price for _, tier in tiers])
        price_performance = scenario.hardware.price_performance
        self.log_algorithmic = np.log(
            [tier.annual_decline / price_performance for _, tier in tiers]
        )
        self.log_newest_algorithmic = np.log(cfg.newest_model_decline / price_performance)
        self.halflife = cfg.algorithmic_halflife
        self.tokens_per_task0 = np.array([tier.tokens_per_task for _, tier in tiers])
        self.log_task_growth = (
            np.log([tier.tokens_per_task_growth for _, tier in tiers]) / MONTHS_PER_YEAR
        )
        # lower_rank[k, j]: tier j is less capable than tier k.
        self.lower_rank = self.rank[None, :] < self.rank[:, None]
        # Eligible tiers per sector: rank at or above the sector's minimum.
        self.eligible = self.rank[None, :] >= sector_min_rank[:, None]
        self.n_slots = max(cfg.max_providers, scenario.population.providers)
        self.n_initial = scenario.population.providers
        self.gpu = GPUMarket(scenario, self.n_slots)
        self.electricity = ElectricityMarket(scenario)
        self.flops_per_token0 = np.zeros(len(tiers))
        self.learning_stock = np.ones(self.n_slots)
        self.reference_revenue = 0.0
        self.entries = 0
        self.exits = 0
        self.insolvent = np.zeros(self.n_slots, dtype=bool)

    # ------------------------------------------------------------- physical units

    def algorithmic_years(self, month: int) -> float:
        """Years of algorithmic progress at the initial rate by month t, ``Y(t)``: the
        calendar years up to the slowdown's start ``T``, then
        ``T + (H / ln 2)(1 - 2^(-(t/12 - T)/H))``."""
        years = month / MONTHS_PER_YEAR
        start = self.cfg.slowdown_start
        if self.halflife == 0.0 or years <= start:
            return years
        return start + self.halflife / np.log(2.0) * (
            1.0 - 2.0 ** (-(years - start) / self.halflife)
        )

    def flops_per_token(self, month: int) -> np.ndarray:
        """FLOPs a token of each tier needs at fixed capability, ``phi_k(t)``: its own
        trend ``phi_k(0) a_k^(-Y(t))``, but never fewer than a less capable tier's (a model
        that reaches a capability reaches every lower one):

            phi_k(t) = max(phi_k(0) a_k^(-Y(t)), max_{j: rank_j < rank_k} phi_j(t)).
        """
        years = self.algorithmic_years(month)
        trend = self.flops_per_token0 * np.exp(-self.log_algorithmic * years)
        return np.maximum(trend, np.where(self.lower_rank, trend[None, :], 0.0).max(axis=1))

    def upgrade_factor(self, month: int) -> np.ndarray:
        """Fixed-capability tokens of each tier that one token of the tier's newest model
        does (docs/model.md 6, "Upgrading"): the newest model needs
        ``phi_k(0) (u / g_H)^(-Y(t))`` FLOPs a token, ``u`` = ``newest_model_decline``, so

            U_k(t) = max(phi_k(0) (u / g_H)^(-Y(t)) / phi_k(t), 1).
        """
        years = self.algorithmic_years(month)
        newest = self.flops_per_token0 * np.exp(-self.log_newest_algorithmic * years)
        return np.maximum(newest / self.flops_per_token(month), 1.0)

    def tokens_bought(self, tokens: np.ndarray, tier: np.ndarray, month: int) -> float:
        """Tokens of the newest models that do the work of firms' fixed-capability tokens,
        ``sum_i x_i / U_(k_i)(t)``."""
        return float((tokens / self.upgrade_factor(month)[tier]).sum())

    def task_ratio(self, month: int) -> np.ndarray:
        """Tokens per task of each tier relative to step 0."""
        return np.exp(self.log_task_growth * month)

    def cost_per_flop(self, month: int) -> float:
        """GPU rental plus electricity per FLOP, dollars."""
        return (
            self.gpu.capital_cost_per_flop(month)
            + self.gpu.kwh_per_flop(month) * self.electricity.price
        )

    @staticmethod
    def provider_efficiency(providers: Providers) -> np.ndarray:
        """Resources a provider uses per token relative to the industry's step-0 norm."""
        return providers.cost_factor * providers.learning

    def unit_costs(self, providers: Providers, month: int) -> np.ndarray:
        """Marginal cost per million tokens, providers x tiers, dollars."""
        per_token = TOKENS_PER_MILLION * self.flops_per_token(month) * self.cost_per_flop(month)
        return per_token[None, :] * self.provider_efficiency(providers)[:, None]

    # ------------------------------------------------------------- set-up

    def create_providers(self, firm_provider: np.ndarray, rng: np.random.Generator) -> Providers:
        """Providers whose logit-Bertrand equilibrium has the configured leader shares:
        ``z_p (1 + mu_p) ~ s_p^(-1/beta)``, within a factor of 10 of the geometric mean
        (times lognormal noise of
        ``provider_cost_dispersion``); firms' step-0 providers are drawn with these shares
        (written into ``firm_provider``)."""
        cfg = self.cfg
        n = self.n_initial
        shares = target_shares(n, [cfg.leader_share_1, cfg.leader_share_2, cfg.leader_share_3])
        markup = self._markups(shares)
        # Log relative prices -ln(s_p)/beta, centred and bounded to a factor of 10 either
        # way (with buyers almost blind to price, shares cannot come from prices).
        log_price = -np.log(shares) / max(cfg.price_sensitivity, 1e-12)
        log_price = np.clip(log_price - log_price.mean(), -MAX_LOG_PRICE_GAP, MAX_LOG_PRICE_GAP)
        cost = np.exp(log_price) / (1.0 + markup)
        cost *= np.exp(rng.normal(0.0, cfg.provider_cost_dispersion, n))
        # Share-weighted price equals the configured tier price.
        cost *= (1.0 + shares @ markup) / (shares @ (cost * (1.0 + markup)))
        cost_factor = np.ones(self.n_slots)
        cost_factor[:n] = cost
        providers = Providers(cost_factor, n, len(self.tier_names))
        providers.share[:n] = shares
        firm_provider[:] = rng.choice(n, size=firm_provider.size, p=shares)
        mean_markup = float(shares @ markup)
        self.flops_per_token0 = (
            self.initial_price / (1.0 + mean_markup) / (TOKENS_PER_MILLION * self.cost_per_flop(0))
        )
        return providers

    def _markups(self, share: np.ndarray) -> np.ndarray:
        cfg = self.cfg
        if cfg.pricing == "competitive":
            return np.zeros_like(share)
        return bertrand_markup(share, cfg.price_sensitivity, cfg.demand_elasticity, cfg.max_markup)

    def open_books(
        self,
        tokens: np.ndarray,
        bill: np.ndarray,
        tier: np.ndarray,
        provider: np.ndarray,
        providers: Providers,
        potential_tokens: np.ndarray | None = None,
    ) -> None:
        """Step 0: providers' sales, FLOPs, capacity, electricity and cash from the firms'
        step-0 purchases; the reference revenue for the fixed training cost. With AI
        adoption diffusing (docs/model.md 2b), the world's electricity is sized from the
        kWh of ``potential_tokens``, what every firm would buy as an adopter, so that
        diffusion leaves households' bills and the power sector's scale as they are
        without it."""
        self._record_sales(tokens, bill, tier, provider, providers, 0)
        self.gpu.calibrate(providers)
        potential_kwh = None
        if potential_tokens is not None:
            flops = self._firm_flops(potential_tokens, tier, provider, providers, 0)
            potential_kwh = float(flops.sum()) * self.gpu.kwh_per_flop(0)
        self.electricity.calibrate(self._kwh(providers, 0), potential_kwh)
        n_active = int(providers.active.sum())
        self.reference_revenue = float(providers.revenue.sum()) / n_active
        energy = self._kwh_by_provider(providers, 0) * self.electricity.price
        replacement = self.gpu.pipeline[:, -1] * self.gpu.capacity_price(0)
        providers.cost = energy + self.training_cost() * providers.active + replacement
        providers.profit = providers.revenue - providers.cost
        providers.cash = providers.revenue.copy()
        stock = MONTHS_PER_YEAR * np.maximum(providers.tokens, 1e-12)
        self.learning_stock = np.where(providers.active, stock, stock[providers.active].mean())
        providers.cumulative_tokens = self.learning_stock.copy()

    def training_cost(self) -> float:
        """Fixed (model-training) cost of an active provider, dollars a month."""
        return self.cfg.training_cost * self.reference_revenue

    # ------------------------------------------------------------- the month

    def open_month(self, providers: Providers, month: int) -> np.ndarray:
        """Phase 1: GPU deliveries, hardware, rental and electricity prices, learning,
        markups and posted prices. Returns the cost matrix (providers x tiers)."""
        self.gpu.open_month(providers, month)
        self.electricity.update_price()
        providers.update_learning(
            self.learning_stock, self.cfg.learning_exponent, self.cfg.learning_cap
        )
        return self.post_prices(providers, month)

    def post_prices(self, providers: Providers, month: int) -> np.ndarray:
        """Markups from last month's shares and posted prices ``c_pk (1 + mu_p)`` (0 in
        empty slots, which nobody can choose). Returns the cost matrix (providers x tiers)."""
        cfg = self.cfg
        providers.update_markups(
            cfg.pricing, cfg.price_sensitivity, cfg.demand_elasticity, cfg.max_markup
        )
        cost = self.unit_costs(providers, month)
        providers.prices = np.where(
            providers.active[:, None], cost * (1.0 + providers.markup[:, None]), 0.0
        )
        return cost

    def best_offers(self, providers: Providers) -> tuple[np.ndarray, np.ndarray]:
        """For each sector and provider: the cheapest eligible tier and its price.

        Returns:
            (price sectors x providers in dollars per M tokens, infinite for empty slots;
            tier index sectors x providers).
        """
        offered = self.eligible[:, None, :] & providers.active[None, :, None]
        masked = np.where(offered, providers.prices[None, :, :], np.inf)
        tier = masked.argmin(axis=2)
        return np.take_along_axis(masked, tier[..., None], axis=2)[..., 0], tier

    def choose_providers(
        self,
        firm_sector: np.ndarray,
        firm_provider: np.ndarray,
        offer_price: np.ndarray,
        active: np.ndarray,
        rng: np.random.Generator,
    ) -> np.ndarray:
        """Firms that reconsider (probability ``provider_switching``, and every customer of
        a provider that left) draw a provider in the market with logit probabilities
        ``~ price^(-beta)``; the others keep theirs."""
        in_market = np.flatnonzero(active)
        log_price = np.log(offer_price[:, in_market])
        weight = np.exp(
            -self.cfg.price_sensitivity * (log_price - log_price.min(axis=1, keepdims=True))
        )
        cdf = np.cumsum(weight / weight.sum(axis=1, keepdims=True), axis=1)
        n = firm_sector.size
        switch = (rng.random(n) < self.cfg.provider_switching) | ~active[firm_provider]
        draw = rng.random(n)
        choice = (cdf[firm_sector] < draw[:, None]).sum(axis=1)
        choice = in_market[np.minimum(choice, in_market.size - 1)]
        return np.where(switch, choice, firm_provider).astype(np.int32)

    def _firm_flops(
        self, tokens: np.ndarray, tier: np.ndarray, provider: np.ndarray,
        providers: Providers, month: int,
    ) -> np.ndarray:  # fmt: skip
        per_token = TOKENS_PER_MILLION * self.flops_per_token(month)[tier]
        return tokens * per_token * self.provider_efficiency(providers)[provider]

    def ration(
        self,
        tokens: np.ndarray,
        tier: np.ndarray,
        provider: np.ndarray,
        providers: Providers,
        month: int,
    ) -> np.ndarray:
        """Record each provider's FLOP demand and return the share of each firm's tokens
        its provider's GPUs can serve (every customer of a short provider gets the same
        share)."""
        flops = self._firm_flops(tokens, tier, provider, providers, month)
        providers.flops_demanded = np.bincount(provider, weights=flops, minlength=self.n_slots)
        return self.gpu.capacity_ratio(providers)[provider]

    def _record_sales(
        self, tokens: np.ndarray, bill: np.ndarray, tier: np.ndarray, provider: np.ndarray,
        providers: Providers, month: int,
    ) -> None:  # fmt: skip
        n = self.n_slots
        flops = self._firm_flops(tokens, tier, provider, providers, month)
        providers.flops_used = np.bincount(provider, weights=flops, minlength=n)
        if month == 0:
            providers.flops_demanded = providers.flops_used.copy()
        providers.tokens = np.bincount(provider, weights=tokens, minlength=n)
        providers.revenue = np.bincount(provider, weights=bill, minlength=n)
        total = providers.revenue.sum()
        if total > 0.0:
            providers.share = providers.revenue / total

    def _kwh_by_provider(self, providers: Providers, month: int) -> np.ndarray:
        return self.gpu.fleet_kwh(providers, month)

    def _kwh(self, providers: Providers, month: int) -> float:
        return float(self._kwh_by_provider(providers, month).sum())

    def settle(
        self,
        tokens: np.ndarray,
        bill: np.ndarray,
        tier: np.ndarray,
        provider: np.ndarray,
        providers: Providers,
        supplier_cash: np.ndarray,
        household_cash: np.ndarray,
        equity: np.ndarray,
        month: int,
    ) -> None:
        """Phase 4, after firms have paid their bills: providers' sales and FLOPs; they pay
        electricity, training and new GPUs to the supplier account (owners put in new
        equity where cash falls short; orders they cannot fund are cut); cash profits, the
        smoothed expected profit (:meth:`expected_profit`), learning volumes and the
        electricity market's demand."""
        self._record_sales(tokens, bill, tier, provider, providers, month)
        providers.cumulative_tokens += providers.tokens
        kwh = self._kwh_by_provider(providers, month)
        providers.energy_bill = kwh * self.electricity.price
        training = self.training_cost() * providers.active
        slots = np.arange(self.n_slots)
        to_supplier = np.zeros(self.n_slots, dtype=np.int64)
        order = self.gpu.plan_orders(providers, month)
        value = order * self.gpu.capacity_price(month)
        running = providers.energy_bill + training
        shortfall = np.maximum(running + value - providers.cash, 0.0)
        if shortfall.sum() > 0.0:
            raised = raise_from_owners(float(shortfall.sum()), household_cash, equity)
            providers.cash += raised * shortfall / shortfall.sum()
        # A provider its owners cannot rescue pays what it has and leaves (phase 7).
        self.insolvent = running > np.maximum(providers.cash, 0.0) * (1.0 + 1e-12)
        running = np.minimum(running, np.maximum(providers.cash, 0.0))
        transfer(providers.cash, slots, supplier_cash, to_supplier, running)
        affordable = np.minimum(np.maximum(providers.cash, 0.0) / np.maximum(value, 1e-300), 1.0)
        order *= np.where(value > 0, affordable, 0.0)
        providers.investment = self.gpu.place_orders(order, providers, month)
        transfer(providers.cash, slots, supplier_cash, to_supplier, providers.investment)
        providers.cost = providers.energy_bill + training + providers.investment
        # Profits are cash flows, as everywhere in the model (GPUs expensed when bought);
        # the exit decision weighs expected economic profit (docs/model.md 5, "Exit").
        providers.profit = providers.revenue - providers.cost
        weight = 1.0 / self.cfg.exit_months
        providers.profit_trend += weight * (
            self.expected_profit(providers) - providers.profit_trend
        )
        providers.age += providers.active
        self.electricity.record(float(kwh.sum()), month)

    def expected_profit(self, providers: Providers) -> np.ndarray:
        """Expected economic profit a month of each provider in the market (0 in empty
        slots), the entrant's formula at the provider's expected share:

            Pi_p = R s_p mu_p / (1 + mu_p) - F,

        ``R`` this month's industry revenue, ``s_p`` the logit choice probability at last
        month's prices (``choice_share``), ``mu_p`` its markup over a marginal cost that
        charges GPUs at their rental (the user cost of capital), ``F`` the training cost."""
        margin = providers.markup / (1.0 + providers.markup)
        revenue = providers.revenue.sum() * providers.choice_share
        return np.where(providers.active, revenue * margin - self.training_cost(), 0.0)

    def entry_and_exit(
        self, providers: Providers, household_cash: np.ndarray, equity: np.ndarray,
        supplier_cash: np.ndarray, month: int,
    ) -> None:  # fmt: skip
        """End of phase 7. A provider exits when its smoothed expected economic profit
        (:meth:`expected_profit`) is negative after at least ``exit_months`` in the market,
        or when it could not pay its electricity and training this month (never the last
        one); its cash goes to its owners and its GPUs are scrapped. Then at most one
        entrant comes in if the expected profit of an (N+1)-th symmetric provider over
        ``entry_horizon`` months covers the entry cost, ``entry_cost`` months of the
        current average revenue of the providers in the market, ``E = entry_cost x R / N``
        (what training a frontier model costs against what a provider earns:
        docs/model.md, "The entry cost against sources"); owners pay the entry cost and its
        first GPUs (a share 1/(N+1) of the industry's) to the suppliers, and one month of
        training cost as its cash."""
        cfg = self.cfg
        active = providers.active
        losing = active & (
            ((providers.profit_trend < 0.0) & (providers.age >= cfg.exit_months)) | self.insolvent
        )
        self.exits = 0
        for slot in np.flatnonzero(losing):
            if providers.active.sum() <= 1:
                break
            distribute(max(float(providers.cash[slot]), 0.0), equity, household_cash)
            providers.cash[slot] = min(float(providers.cash[slot]), 0.0)
            providers.active[slot] = False
            for name in ("capacity", "power", "share", "choice_share", "expected_flops",
                         "flops_growth", "age", "profit_trend"):  # fmt: skip
                getattr(providers, name)[slot] = 0.0
            self.gpu.retire(slot)
            self.exits += 1
        self.entries = 0
        free = np.flatnonzero(~providers.active)
        n_active = int(providers.active.sum())
        if free.size == 0 or self.reference_revenue <= 0.0:
            return
        entrant_share = 1.0 / (n_active + 1)
        markup = float(self._markups(np.array([entrant_share]))[0])
        margin = markup / (1.0 + markup)
        expected = providers.revenue.sum() * entrant_share * margin - self.training_cost()
        entry_cost = cfg.entry_cost * providers.revenue.sum() / n_active
        if expected * cfg.entry_horizon <= entry_cost:
            return
        binding = self.gpu.cfg.capacity_binding
        capacity = entrant_share * providers.capacity[providers.active].sum() if binding else 0.0
        sunk = entry_cost + capacity * self.gpu.capacity_price(month)
        need = sunk + self.training_cost()
        if float(np.minimum(np.maximum(household_cash, 0.0), need * equity).sum()) < need * (
            1.0 - 1e-9
        ):
            return
        raised = raise_from_owners(need, household_cash, equity)
        slot = int(free[0])
        supplier_cash[0] += sunk
        providers.cash[slot] += raised - sunk
        # The median of the providers already in the market (not the slot's old value).
        providers.cost_factor[slot] = float(np.median(providers.cost_factor[providers.active]))
        providers.active[slot] = True
        providers.capacity[slot] = capacity
        providers.power[slot] = capacity * self.gpu.full_load_kwh_per_flop(month)
        providers.share[slot] = entrant_share
        providers.choice_share[slot] = entrant_share
        providers.cumulative_tokens[slot] = self.learning_stock[slot]
        providers.learning[slot] = 1.0
        for name in ("age", "profit_trend", "expected_flops", "flops_growth"):
            getattr(providers, name)[slot] = 0.0
        self.entries = 1

    # ------------------------------------------------------------- reports

    def reports(self, providers: Providers, month: int) -> dict[str, float]:
        """The AI supply chain's series for this month (names: :func:`report_names`)."""
        report: dict[str, float] = {}
        # Providers that posted prices this month (an entrant posts from next month).
        posted = providers.active[:, None] & (providers.prices > 0.0)
        lowest = np.where(posted, providers.prices, np.inf).min(axis=0)
        per_task = lowest * self.tokens_per_task0 * self.task_ratio(month) / TOKENS_PER_MILLION
        flops = self.flops_per_token(month)
        upgrade = self.upgrade_factor(month)
        for k, tier in enumerate(self.tier_names):
            report[f"compute_price_{tier}"] = float(lowest[k])
            report[f"task_price_{tier}"] = float(per_task[k])
            report[f"flops_per_token_{tier}"] = float(flops[k])
            report[f"token_price_bought_{tier}"] = float(lowest[k] * upgrade[k])
            report[f"upgrade_factor_{tier}"] = float(upgrade[k])
        report.update(self.electricity.reports())
        capacity = float(providers.capacity.sum())
        report["gpu_capacity"] = self.gpu.gpus(capacity, month)
        used = float(providers.flops_used.sum())
        report["gpu_utilisation"] = used / capacity if capacity else 0.0
        report["gpu_rental_price"] = self.gpu.rental_price()
        report["hardware_price"] = float(self.gpu.sector.price_index[0])
        report["gpu_investment"] = float(providers.investment.sum())
        report["providers_active"] = float(providers.active.sum())
        report["provider_entries"] = float(self.entries)
        report["provider_exits"] = float(self.exits)
        report["provider_hhi"] = hhi(providers.revenue)
        weights = providers.share if providers.share.sum() > 0 else providers.active
        report["provider_markup"] = float(np.average(providers.markup, weights=weights))
        report["provider_profits"] = float(providers.profit.sum())
        total = providers.revenue.sum()
        ranked = np.sort(providers.revenue)[::-1] / total if total > 0 else np.zeros(3)
        for rank in range(3):
            report[f"provider_share_{rank + 1}"] = (
                float(ranked[rank]) if rank < ranked.size else 0.0
            )
        return report


def measure(model: EconomyModel) -> dict[str, float]:
    """The AI supply chain's series for the model's current state."""
    market, firms = model.compute_market, model.firms
    report = market.reports(model.providers, model.steps)
    report["tokens_bought"] = market.tokens_bought(firms.tokens, firms.tier, model.steps)
    report.update(model.supplier_inputs.reports(model.firms))
    return report


if not any(provider.measure is measure for provider in REPORT_PROVIDERS):
    REPORT_PROVIDERS.append(ReportProvider(names=report_names, measure=measure))

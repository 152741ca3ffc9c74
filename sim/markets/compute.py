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
above its sector's minimum and splits its AI work across providers (multi-homing); each
month it moves a share ``provider_switching`` of it to one provider drawn by a logit on
quality and log price, ``Pr(p) ~ exp(xi_p) price_p^(-beta)``, among the providers in the
market. Qualities ``xi_p`` are set at step 0 so that the leader shares are the
equilibrium; an entrant joins at the fringe's quality.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.accounting import distribute, raise_from_owners, transfer
from sim.agents.providers import Providers, bertrand_markup, logit_shares
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
CALIBRATION_ROUNDS = 50
"""Rounds of the fixed point between markups and the choice shares they imply (at most,
for an entrant's prospects)."""
FIXED_POINT_TOLERANCE = 1e-14
"""Relative change of an entrant's expected share at which its fixed point stops."""


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
        self.entrant_quality = 0.0
        self.routed_tokens = np.zeros((0, self.n_slots))
        self.spending = np.zeros((0, self.n_slots))

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

    def industry_unit_costs(self, month: int) -> np.ndarray:
        """Marginal cost per million tokens of each tier at the industry's step-0 norm
        (cost factor and learning 1), dollars."""
        return TOKENS_PER_MILLION * self.flops_per_token(month) * self.cost_per_flop(month)

    def unit_costs(self, providers: Providers, month: int) -> np.ndarray:
        """Marginal cost per million tokens, providers x tiers, dollars."""
        per_token = self.industry_unit_costs(month)
        return per_token[None, :] * self.provider_efficiency(providers)[:, None]

    # ------------------------------------------------------------- set-up

    def create_providers(self, rng: np.random.Generator) -> Providers:
        """Providers whose logit-Bertrand equilibrium has the configured leader shares.

        Cost factors are lognormal around 1 (``provider_cost_dispersion``), markups are the
        Bertrand-Nash markups at the target shares ``s_p``, and each provider's quality is
        set so that buyers' logit choice gives it its share of spending at these prices
        (docs/model.md 5, "Calibrated shares"): the choice probability of a unit of AI
        work is ``q_p ~ s_p / pi_p`` and

            xi_p = ln q_p + beta ln pi_p   (the leader's xi = 0).

        An entrant's quality is the lowest of them plus ``entrant_quality``."""
        cfg = self.cfg
        n = self.n_initial
        shares = target_shares(n, [cfg.leader_share_1, cfg.leader_share_2, cfg.leader_share_3])
        draw = np.exp(rng.normal(0.0, cfg.provider_cost_dispersion, n))
        work = shares.copy()
        for _ in range(CALIBRATION_ROUNDS):  # markups at the choice shares they imply
            markup = self._markups(work / work.sum())
            # Share-weighted price equals the configured tier price.
            cost = draw * (1.0 + shares @ markup) / (shares @ (draw * (1.0 + markup)))
            price = cost * (1.0 + markup)
            work = shares / price
        quality = np.log(work / work.sum()) + cfg.price_sensitivity * np.log(price)
        quality -= quality.max()
        self.entrant_quality = float(quality.min()) + cfg.entrant_quality
        cost_factor = np.ones(self.n_slots)
        cost_factor[:n] = cost
        quality_slots = np.zeros(self.n_slots)
        quality_slots[:n] = quality
        providers = Providers(cost_factor, quality_slots, n, len(self.tier_names))
        providers.share[:n] = shares
        providers.choice_share[:n] = work / work.sum()
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
        tier: np.ndarray,
        mix: np.ndarray,
        providers: Providers,
        potential_tokens: np.ndarray | None = None,
    ) -> np.ndarray:
        """Step 0: providers' sales, FLOPs, capacity, electricity and cash from the firms'
        step-0 purchases (``tokens`` routed by ``mix``), the reference revenue for the fixed
        training cost; returns the firms' step-0 compute bills. With AI
        adoption diffusing (docs/model.md 2b), the world's electricity is sized from the
        kWh of ``potential_tokens``, what every firm would buy as an adopter, so that
        diffusion leaves households' bills and the power sector's scale as they are
        without it."""
        self.routed_tokens = tokens[:, None] * mix
        self.spending = self.routed_tokens * providers.prices[:, tier].T
        self._record_sales(tier, providers, 0)
        self.gpu.calibrate(providers)
        potential_kwh = None
        if potential_tokens is not None:
            flops = (potential_tokens[:, None] * mix) * self._flops_per_routed_token(
                tier, providers, 0
            )
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
        return self.spending.sum(axis=1)

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
        """Markups at this month's Bertrand-Nash equilibrium given the providers' costs and
        qualities, and posted prices ``c_pk (1 + mu_p)`` (0 in empty slots, which nobody can
        choose). Returns the cost matrix (providers x tiers)."""
        cfg = self.cfg
        cost = self.unit_costs(providers, month)
        with np.errstate(divide="ignore"):
            log_cost = np.log(np.where(providers.active, cost[:, 0], 1.0))
        providers.update_markups(
            cfg.pricing, cfg.price_sensitivity, cfg.demand_elasticity, cfg.max_markup, log_cost
        )
        providers.prices = np.where(
            providers.active[:, None], cost * (1.0 + providers.markup[:, None]), 0.0
        )
        return cost

    def sector_tiers(self, providers: Providers) -> np.ndarray:
        """Each sector's tier: the cheapest eligible one. A provider's prices stand in the
        same ratio across tiers as any other's (cost factor, learning and markup are common
        to its tiers), so the cheapest tier is the same at every provider."""
        reference = providers.prices[int(np.flatnonzero(providers.active)[0])]
        return np.where(self.eligible, reference[None, :], np.inf).argmin(axis=1)

    def choice_probabilities(self, providers: Providers, sector_tier: np.ndarray) -> np.ndarray:
        """Buyers' logit choice probabilities of a unit of AI work, sectors x providers:

            Pr_s(p) = exp(xi_p) pi_{p k_s}^-beta / sum_q exp(xi_q) pi_{q k_s}^-beta

        over the providers in the market (0 in empty slots): :func:`logit_shares` at each
        sector's tier."""
        with np.errstate(divide="ignore"):  # empty slots post no price
            log_price = np.log(providers.prices[:, sector_tier].T)
        beta, active, quality = self.cfg.price_sensitivity, providers.active, providers.quality
        return np.array([logit_shares(row, active, beta, quality) for row in log_price])

    def route_work(
        self,
        firm_sector: np.ndarray,
        mix: np.ndarray,
        providers: Providers,
        sector_tier: np.ndarray,
        rng: np.random.Generator,
    ) -> np.ndarray:
        """Firms multi-home: each month a firm moves a share ``lambda`` =
        ``provider_switching`` of its AI work (a new workload), and all the work it had
        with a provider that left, to one provider drawn with the logit choice
        probabilities (:meth:`choice_probabilities`):

            m_ip(t) = (1 - lambda) m_ip(t-1) 1[p active] + (1 - (1 - lambda) K_i) 1[p = d_i],

        ``K_i`` the share of its work with providers still in the market and
        ``Pr(d_i = p) = Pr_s(p)``, so that in expectation the moved work follows the
        choice probabilities. Returns the new mix (firms x provider slots, rows adding
        to 1)."""
        kept = mix * providers.active[None, :]
        keep = 1.0 - self.cfg.provider_switching
        moved = 1.0 - keep * kept.sum(axis=1)
        in_market = np.flatnonzero(providers.active)
        probabilities = self.choice_probabilities(providers, sector_tier)[:, in_market]
        cdf = np.cumsum(probabilities, axis=1)
        draw = rng.random(firm_sector.size)
        pick = (cdf[firm_sector] < draw[:, None]).sum(axis=1)
        choice = in_market[np.minimum(pick, in_market.size - 1)]
        new = keep * kept
        new[np.arange(firm_sector.size), choice] += moved
        return new

    @staticmethod
    def mix_price(mix: np.ndarray, providers: Providers, tier: np.ndarray) -> np.ndarray:
        """Each firm's price per million tokens: its providers' prices of its tier weighted
        by its mix, ``sum_p m_ip pi_{p k_i}``."""
        return (mix * providers.prices[:, tier].T).sum(axis=1)

    def _flops_per_routed_token(
        self, tier: np.ndarray, providers: Providers, month: int
    ) -> np.ndarray:
        """FLOPs of a million tokens of each firm's tier at each provider (firms x slots)."""
        per_token = TOKENS_PER_MILLION * self.flops_per_token(month)[tier]
        return per_token[:, None] * self.provider_efficiency(providers)[None, :]

    def ration(
        self,
        tokens: np.ndarray,
        tier: np.ndarray,
        mix: np.ndarray,
        providers: Providers,
        month: int,
    ) -> np.ndarray:
        """Record each provider's FLOP demand from the tokens firms route to it,
        ``x_i m_ip``; a provider short of GPUs serves the same share ``r_p`` of every
        customer's work. Keeps the tokens served (firms x slots, ``x_i m_ip r_p``) for
        :meth:`collect_bills` and returns the share of each firm's tokens served,
        ``sum_p m_ip r_p``."""
        routed = tokens[:, None] * mix
        flops = routed * self._flops_per_routed_token(tier, providers, month)
        providers.flops_demanded = flops.sum(axis=0)
        served = self.gpu.capacity_ratio(providers)
        self.routed_tokens = routed * served[None, :]
        return mix @ served

    def collect_bills(
        self, firm_cash: np.ndarray, providers: Providers, tier: np.ndarray
    ) -> np.ndarray:
        """Firms pay each provider for the tokens it served at its price of their tier.
        Returns each firm's bill, dollars."""
        self.spending = self.routed_tokens * providers.prices[:, tier].T
        bill = self.spending.sum(axis=1)
        firm_cash -= bill
        providers.cash += self.spending.sum(axis=0)
        return bill

    def _record_sales(self, tier: np.ndarray, providers: Providers, month: int) -> None:
        flops = self.routed_tokens * self._flops_per_routed_token(tier, providers, month)
        providers.flops_used = flops.sum(axis=0)
        if month == 0:
            providers.flops_demanded = providers.flops_used.copy()
        providers.tokens = self.routed_tokens.sum(axis=0)
        providers.revenue = self.spending.sum(axis=0)
        total = providers.revenue.sum()
        if total > 0.0:
            providers.share = providers.revenue / total

    def _kwh_by_provider(self, providers: Providers, month: int) -> np.ndarray:
        return self.gpu.fleet_kwh(providers, month)

    def _kwh(self, providers: Providers, month: int) -> float:
        return float(self._kwh_by_provider(providers, month).sum())

    def settle(
        self,
        tier: np.ndarray,
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
        self._record_sales(tier, providers, month)
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
        """End of phase 7. A provider exits when it could not pay its electricity and
        training this month, and at most one other leaves for losses: of those whose
        smoothed expected economic profit (:meth:`expected_profit`) is negative after at
        least ``exit_months`` in the market, the one with the lowest (never the last
        provider); its cash goes to its owners and its GPUs are scrapped. Then at most one
        entrant comes in if its expected profit (at the share and markup of
        :meth:`entrant_prospects`) over ``entry_horizon`` months covers the entry cost,
        ``entry_cost`` months of the current average revenue of the providers in the
        market, ``E = entry_cost x R / N``
        (what training a frontier model costs against what a provider earns:
        docs/model.md, "The entry cost against sources"); owners pay the entry cost and its
        first GPUs (its expected share of the industry's) to the suppliers, and one month of
        training cost as its cash."""
        cfg = self.cfg
        active = providers.active
        losing = active & (providers.profit_trend < 0.0) & (providers.age >= cfg.exit_months)
        leaving = active & self.insolvent
        if (losing & ~leaving).any():  # at most one leaves for losses: the worst
            worst = np.where(losing & ~leaving, providers.profit_trend, np.inf).argmin()
            leaving[worst] = True
        self.exits = 0
        for slot in np.flatnonzero(leaving):
            if providers.active.sum() <= 1:
                break
            distribute(max(float(providers.cash[slot]), 0.0), equity, household_cash)
            providers.cash[slot] = min(float(providers.cash[slot]), 0.0)
            providers.active[slot] = False
            for name in ("capacity", "power", "share", "choice_share", "expected_flops",
                         "flops_growth", "age", "profit_trend", "quality"):  # fmt: skip
                getattr(providers, name)[slot] = 0.0
            self.gpu.retire(slot)
            self.exits += 1
        self.entries = 0
        free = np.flatnonzero(~providers.active)
        n_active = int(providers.active.sum())
        if free.size == 0 or self.reference_revenue <= 0.0:
            return
        entrant_cost = float(np.median(providers.cost_factor[providers.active]))
        entry_cost = cfg.entry_cost * providers.revenue.sum() / n_active
        # The first round's share, at the lowest markup, bounds the entrant's share and
        # margin from above: when even that does not pay, no entrant does.
        for rounds in (1, CALIBRATION_ROUNDS):
            entrant_share, markup = self.entrant_prospects(providers, entrant_cost, month, rounds)
            margin = markup / (1.0 + markup)
            expected = providers.revenue.sum() * entrant_share * margin - self.training_cost()
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
        providers.cost_factor[slot] = entrant_cost
        providers.quality[slot] = self.entrant_quality
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

    def entrant_prospects(
        self,
        providers: Providers,
        cost_factor: float,
        month: int,
        rounds: int = CALIBRATION_ROUNDS,
    ) -> tuple[float, float]:
        """The share and markup an entrant expects: its logit choice probability at its
        own Bertrand-Nash price against the providers' posted prices,

            s_e = w_e / (w_e + sum_q w_q),   w = exp(xi) pi^-beta,
            pi_e = c z_e (1 + mu(s_e)),

        ``xi_e`` = the entrant's quality, ``z_e`` its cost factor, ``c`` the industry's
        cost per million tokens of the first tier, the sum over providers that posted
        prices (none posted: no prospects); solved by iterating on ``s_e`` from 0 (at most
        ``rounds`` times). The share falls as the markup rises with it, so the first
        round's share, at the markup of a share of 0, is the largest an entrant can
        expect."""
        beta = self.cfg.price_sensitivity
        posted = providers.active & (providers.prices[:, 0] > 0.0)
        if not posted.any():
            return 0.0, float(self._markups(np.zeros(1))[0])
        log_cost = np.log(self.industry_unit_costs(month)[0] * cost_factor)
        rivals = providers.quality[posted] - beta * np.log(providers.prices[posted, 0])
        top = float(rivals.max())
        rival_weight = float(np.exp(rivals - top).sum())
        share = 0.0
        for _ in range(rounds):
            markup = float(self._markups(np.array([share]))[0])
            own = self.entrant_quality - beta * (log_cost + np.log1p(markup)) - top
            previous, share = share, float(np.exp(own) / (np.exp(own) + rival_weight))
            if abs(share - previous) <= FIXED_POINT_TOLERANCE * share:
                break
        return share, float(self._markups(np.array([share]))[0])

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

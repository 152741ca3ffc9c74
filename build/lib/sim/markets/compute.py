"""The market for AI compute: tier costs, the energy price, provider prices and choice.

Core object: :class:`ComputeMarket`.

Cost of a million tokens of tier k at provider p in month t:

    cost_pk(t) = [h_k(0) d_k^(-t/12)  +  e_k(0) g_E^(-t/12) P_E(t)] z_p l_p(t)

a hardware-and-algorithm part that falls by the tier's annual factor ``d_k`` plus an
energy part, both scaled by the provider's own cost factor ``z_p`` and learning
factor ``l_p`` (experience saves chips and power alike). Energy use per token falls
by ``g_E`` a year and the energy price moves a share
``lambda_E`` of the way (in logs) toward the supply curve at last month's demand:

    P*_E(t) = [(1 - theta) + theta E(t-1)/E(0)]^(1/eps_E),
    ln P_E(t) = (1 - lambda_E) ln P_E(t-1) + lambda_E ln P*_E(t).

Without the partial adjustment (``lambda_E = 1``) a steep supply curve and elastic
compute demand give a diverging cobweb.

Price = cost x (1 + markup_p). Each firm buys the cheapest tier at or above its
sector's minimum, and (when it reconsiders, with probability ``provider_switching``)
picks a provider by a logit on log prices: ``Pr(p) ~ price_p^(-beta)``.
"""

from __future__ import annotations

import numpy as np

from sim.agents.providers import Providers
from sim.scenario import Scenario

MONTHS_PER_YEAR = 12.0


class ComputeMarket:
    """Tier and energy state, and the rules that turn costs into prices and choices."""

    def __init__(self, scenario: Scenario, sector_min_rank: np.ndarray) -> None:
        cfg = scenario.compute
        tiers = sorted(cfg.tiers.items(), key=lambda item: item[1].rank)
        self.tier_names = [name for name, _ in tiers]
        self.rank = np.array([tier.rank for _, tier in tiers])
        self.initial_price = np.array([tier.price for _, tier in tiers])
        self.log_decline = np.log([tier.annual_decline for _, tier in tiers]) / MONTHS_PER_YEAR
        n_providers = scenario.population.providers
        initial_markup = cfg.base_markup + cfg.markup_share_sensitivity / n_providers
        initial_cost = self.initial_price / (1.0 + initial_markup)
        self.hardware_cost0 = (1.0 - cfg.energy_cost_share) * initial_cost
        self.energy_cost0 = cfg.energy_cost_share * initial_cost
        self.log_energy_gain = np.log(cfg.energy_efficiency_gain) / MONTHS_PER_YEAR
        self.energy_elasticity = cfg.energy_supply_elasticity
        self.energy_adjustment = cfg.energy_price_adjustment
        self.compute_energy_share = cfg.compute_energy_share
        self.energy_price = 1.0
        self.energy_use = 0.0
        self.initial_energy_use = 0.0
        # Eligible tiers per sector: rank at or above the sector's minimum.
        self.eligible = self.rank[None, :] >= sector_min_rank[:, None]
        self.cfg = cfg

    def energy_intensity(self, month: int) -> np.ndarray:
        """Energy (in dollars at the step-0 energy price) per million tokens, per tier."""
        return self.energy_cost0 * np.exp(-self.log_energy_gain * month)

    def update_energy_price(self) -> None:
        """Energy price (1 at step 0), moving toward the supply curve at last month's
        compute energy use."""
        if self.initial_energy_use > 0.0:
            demand = (1.0 - self.compute_energy_share) + self.compute_energy_share * (
                self.energy_use / self.initial_energy_use
            )
            log_target = np.log(demand) / self.energy_elasticity
            self.energy_price = float(
                np.exp((1.0 - self.energy_adjustment) * np.log(self.energy_price)
                       + self.energy_adjustment * log_target)
            )  # fmt: skip

    def unit_costs(self, providers: Providers, month: int) -> np.ndarray:
        """Cost per million tokens, providers x tiers, dollars: the tier's hardware and
        energy parts, both scaled by the provider's own efficiency (cost factor times
        learning), since experience saves chips and power alike."""
        hardware = self.hardware_cost0 * np.exp(-self.log_decline * month)
        energy = self.energy_intensity(month) * self.energy_price
        return (hardware + energy)[None, :] * self.provider_efficiency(providers)[:, None]

    @staticmethod
    def provider_efficiency(providers: Providers) -> np.ndarray:
        """Resources a provider uses per token relative to the industry's step-0 norm."""
        return providers.cost_factor * providers.learning

    def set_prices(self, providers: Providers, month: int) -> np.ndarray:
        """Providers post prices: cost x (1 + markup). Returns the cost matrix."""
        providers.update_markups(self.cfg.base_markup, self.cfg.markup_share_sensitivity)
        cost = self.unit_costs(providers, month)
        providers.prices = cost * (1.0 + providers.markup[:, None])
        return cost

    def best_offers(self, providers: Providers) -> tuple[np.ndarray, np.ndarray]:
        """For each sector and provider: the cheapest eligible tier and its price.

        Returns:
            (price sectors x providers in dollars per M tokens, tier index sectors x providers).
        """
        masked = np.where(self.eligible[:, None, :], providers.prices[None, :, :], np.inf)
        tier = masked.argmin(axis=2)
        return np.take_along_axis(masked, tier[..., None], axis=2)[..., 0], tier

    def choose_providers(
        self,
        firm_sector: np.ndarray,
        firm_provider: np.ndarray,
        offer_price: np.ndarray,
        rng: np.random.Generator,
    ) -> np.ndarray:
        """Firms that reconsider (probability ``provider_switching``) draw a provider with
        logit probabilities ``~ price^(-beta)``; the others keep theirs."""
        log_price = np.log(offer_price)
        weight = np.exp(
            -self.cfg.price_sensitivity * (log_price - log_price.min(axis=1, keepdims=True))
        )
        cdf = np.cumsum(weight / weight.sum(axis=1, keepdims=True), axis=1)
        n = firm_sector.size
        switch = rng.random(n) < self.cfg.provider_switching
        draw = rng.random(n)
        choice = (cdf[firm_sector] < draw[:, None]).sum(axis=1)
        choice = np.minimum(choice, cdf.shape[1] - 1)
        return np.where(switch, choice, firm_provider).astype(np.int32)

    def record_energy_use(
        self,
        tokens: np.ndarray,
        tier: np.ndarray,
        provider: np.ndarray,
        providers: Providers,
        month: int,
    ) -> None:
        """Compute's energy use this month from each purchase's tokens, tier and provider
        (sets the step-0 reference on first call)."""
        per_token = (
            self.energy_intensity(month)[tier] * self.provider_efficiency(providers)[provider]
        )
        self.energy_use = float(tokens @ per_token)
        if self.initial_energy_use == 0.0:
            self.initial_energy_use = self.energy_use

"""AI compute providers: costs, strategic markups, GPU capacity, entry and exit.

Core object: :class:`Providers`. The market rules that use them (tier costs, the
choice of provider, settlement) live in :mod:`sim.markets.compute`; their GPUs come
from :mod:`sim.markets.hardware`.
"""

from __future__ import annotations

import numpy as np

from sim.agents.base import Population


def bertrand_markup(
    share: np.ndarray, price_sensitivity: float, demand_elasticity: float, max_markup: float
) -> np.ndarray:
    """Bertrand-Nash markup of a multi-provider logit market.

    Buyers pick provider ``p`` with probability ``s_p = pi_p^-beta / sum_q pi_q^-beta``
    and the market's tokens respond to the average price with elasticity ``eta``, so
    provider ``p``'s own-price elasticity of demand is

        eps_p = beta (1 - s_p) + eta s_p,

    and its profit-maximising (Lerner) markup over marginal cost is
    ``mu_p = 1 / (eps_p - 1)``, capped at ``max_markup`` (also where ``eps_p <= 1``).

    Args:
        share: the providers' market shares (0-1).
        price_sensitivity: beta, the logit sensitivity to the log price.
        demand_elasticity: eta, the market demand elasticity providers assume.
        max_markup: the cap on the markup.

    Returns:
        The markups, same shape as ``share``.
    """
    elasticity = price_sensitivity * (1.0 - share) + demand_elasticity * share
    with np.errstate(divide="ignore"):
        markup = np.where(elasticity > 1.0, 1.0 / (elasticity - 1.0), np.inf)
    return np.minimum(markup, max_markup)


class Providers(Population):
    """All AI compute provider slots as arrays (``active`` marks those in the market).

    Fields:
        active: whether the slot holds a provider in the market.
        cash: money balance, dollars.
        cost_factor: the provider's resources per token relative to the industry norm.
        cumulative_tokens: millions of tokens sold since the start (plus a step-0 stock).
        learning: cost factor from learning-by-doing, ``max((Q/Q0)^-b, 1/cap)``.
        markup: price over marginal cost minus one.
        share: share of last month's compute revenue.
        prices: dollars per million tokens, one per tier (providers x tiers).
        capacity: GPU capacity, FLOPs a month at full use.
        power: electricity the installed GPUs (with their servers and cooling) draw at full
            load, kWh a month; each delivery adds its FLOPs times the kWh per FLOP of the
            month it was ordered in, and it depreciates with the capacity.
        flops_demanded, flops_used: FLOPs asked for and delivered this month.
        expected_flops: adaptive expectation of FLOPs demanded.
        flops_growth: smoothed monthly log growth of FLOPs demanded.
        investment: dollars paid for GPUs ordered this month.
        energy_bill: dollars paid for electricity this month.
        profit_trend: exponentially smoothed economic profit (depreciation instead of GPU
            purchases), dollars a month.
        age: months in the market.
        tokens, revenue, cost, profit, dividends: this month's sales (M tokens) and dollars
            (``cost`` is cash paid out this month: electricity, training and GPUs;
            ``profit`` = revenue - cost, a cash flow).
    """

    kind = "provider"
    fields = (
        "active", "cash", "cost_factor", "cumulative_tokens", "learning", "markup", "share",
        "prices", "capacity", "power", "flops_demanded", "flops_used", "expected_flops",
        "flops_growth", "investment", "energy_bill", "profit_trend", "age", "tokens", "revenue",
        "cost", "profit", "dividends",
    )  # fmt: skip

    def __init__(self, cost_factor: np.ndarray, n_active: int, n_tiers: int) -> None:
        n = cost_factor.size
        self.cost_factor = cost_factor
        self.active = np.arange(n) < n_active
        for name in (
            "cash", "cumulative_tokens", "markup", "tokens", "revenue", "cost", "profit",
            "dividends", "capacity", "power", "flops_demanded", "flops_used", "expected_flops",
            "flops_growth", "investment", "energy_bill", "profit_trend", "age",
        ):  # fmt: skip
            setattr(self, name, np.zeros(n))
        self.learning = np.ones(n)
        self.share = np.where(self.active, 1.0 / n_active, 0.0)
        self.prices = np.zeros((n, n_tiers))

    def update_markups(
        self, pricing: str, price_sensitivity: float, demand_elasticity: float, max_markup: float
    ) -> None:
        """Markups from last month's shares: Bertrand-Nash (:func:`bertrand_markup`) or
        zero under competitive pricing."""
        if pricing == "competitive":
            self.markup = np.zeros(len(self))
        else:
            self.markup = bertrand_markup(
                self.share, price_sensitivity, demand_elasticity, max_markup
            )

    def update_learning(self, initial_stock: np.ndarray, exponent: float, cap: float) -> None:
        """Wright's law on the provider's own cumulative volume."""
        ratio = np.maximum(self.cumulative_tokens / initial_stock, 1.0)
        self.learning = np.maximum(ratio ** (-exponent), 1.0 / cap)

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


def logit_shares(
    log_price: np.ndarray,
    posted: np.ndarray,
    fixed: np.ndarray,
    price_sensitivity: float,
    quality: np.ndarray,
) -> np.ndarray:
    """Expected shares of the buyers' logit choice (docs/model.md 5, "Strategic prices").

    A provider that posted prices gets ``(1 - sum of fixed) x w_p / sum_q w_q`` over the
    providers that posted, ``w_p = exp(xi_p) pi_p^-beta`` (``xi_p`` its quality); one that
    has not posted yet (step 0, an entrant) keeps its given share ``fixed_p``; empty slots
    get 0.

    Args:
        log_price: log of each provider's price of one tier (any tier: a provider's prices
            stand in the same ratio to another's in every tier).
        posted: providers in the market that posted prices last month.
        fixed: shares of the providers in the market that have not posted (0 elsewhere).
        price_sensitivity: beta, the logit sensitivity to the log price.
        quality: xi, each provider's quality (log points of choice probability).

    Returns:
        The expected shares, adding to 1 over the providers in the market.
    """
    shares = np.where(posted, 0.0, fixed)
    if posted.any():
        utility = quality[posted] - price_sensitivity * log_price[posted]
        weight = np.exp(utility - utility.max())
        shares[posted] = max(1.0 - shares.sum(), 0.0) * weight / weight.sum()
    return shares


class Providers(Population):
    """All AI compute provider slots as arrays (``active`` marks those in the market).

    Fields:
        active: whether the slot holds a provider in the market.
        cash: money balance, dollars.
        cost_factor: the provider's resources per token relative to the industry norm.
        quality: xi_p, buyers' preference for the provider at equal prices, in log points of
            choice probability (vertical differentiation; calibrated at step 0).
        cumulative_tokens: millions of tokens sold since the start (plus a step-0 stock).
        learning: cost factor from learning-by-doing, ``max((Q/Q0)^-b, 1/cap)``.
        markup: price over marginal cost minus one.
        share: share of last month's compute revenue.
        choice_share: expected share of the buyers' logit choice at last month's posted
            prices (:func:`logit_shares`); it sets the markup and the expected profit.
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
        profit_trend: exponentially smoothed expected economic profit (industry revenue at
            the expected share times the margin, less the training cost), dollars a month.
        age: months in the market.
        tokens, revenue, cost, profit, dividends: this month's sales (M tokens) and dollars
            (``cost`` is cash paid out this month: electricity, training and GPUs;
            ``profit`` = revenue - cost, a cash flow).
    """

    kind = "provider"
    fields = (
        "active", "cash", "cost_factor", "quality", "cumulative_tokens", "learning", "markup",
        "share", "choice_share",
        "prices", "capacity", "power", "flops_demanded", "flops_used", "expected_flops",
        "flops_growth", "investment", "energy_bill", "profit_trend", "age", "tokens", "revenue",
        "cost", "profit", "dividends",
    )  # fmt: skip

    def __init__(
        self, cost_factor: np.ndarray, quality: np.ndarray, n_active: int, n_tiers: int
    ) -> None:
        n = cost_factor.size
        self.cost_factor = cost_factor
        self.quality = quality
        self.active = np.arange(n) < n_active
        for name in (
            "cash", "cumulative_tokens", "markup", "tokens", "revenue", "cost", "profit",
            "dividends", "capacity", "power", "flops_demanded", "flops_used", "expected_flops",
            "flops_growth", "investment", "energy_bill", "profit_trend", "age",
        ):  # fmt: skip
            setattr(self, name, np.zeros(n))
        self.learning = np.ones(n)
        self.share = np.where(self.active, 1.0 / n_active, 0.0)
        self.choice_share = self.share.copy()
        self.prices = np.zeros((n, n_tiers))

    def update_markups(
        self, pricing: str, price_sensitivity: float, demand_elasticity: float, max_markup: float
    ) -> None:
        """Markups at the expected shares of the logit choice at last month's posted prices
        (:func:`logit_shares`; a provider that has not posted keeps its ``choice_share``):
        Bertrand-Nash (:func:`bertrand_markup`) or zero under competitive pricing."""
        posted = self.active & (self.prices[:, 0] > 0.0)
        with np.errstate(divide="ignore"):
            log_price = np.log(np.where(posted, self.prices[:, 0], 1.0))
        fixed = np.where(self.active & ~posted, self.choice_share, 0.0)
        self.choice_share = logit_shares(log_price, posted, fixed, price_sensitivity, self.quality)
        if pricing == "competitive":
            self.markup = np.zeros(len(self))
        else:
            self.markup = bertrand_markup(
                self.choice_share, price_sensitivity, demand_elasticity, max_markup
            )

    def update_learning(self, initial_stock: np.ndarray, exponent: float, cap: float) -> None:
        """Wright's law on the provider's own cumulative volume."""
        ratio = np.maximum(self.cumulative_tokens / initial_stock, 1.0)
        self.learning = np.maximum(ratio ** (-exponent), 1.0 / cap)

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
    log_price: np.ndarray, active: np.ndarray, price_sensitivity: float, quality: np.ndarray
) -> np.ndarray:
    """Expected shares of the buyers' logit choice (docs/model.md 5, "Strategic prices"):

        s_p = w_p / sum_q w_q,   w_p = exp(xi_p) pi_p^-beta,

    over the providers in the market (``xi_p`` its quality); empty slots get 0.

    Args:
        log_price: log of each provider's price of one tier (any tier: a provider's prices
            stand in the same ratio to another's in every tier).
        active: providers in the market.
        price_sensitivity: beta, the logit sensitivity to the log price.
        quality: xi, each provider's quality (log points of choice probability).

    Returns:
        The expected shares, adding to 1 over the providers in the market.
    """
    shares = np.zeros(active.size)
    if active.any():
        utility = quality[active] - price_sensitivity * log_price[active]
        weight = np.exp(utility - utility.max())
        shares[active] = weight / weight.sum()
    return shares


def equilibrium_markups(
    log_cost: np.ndarray,
    active: np.ndarray,
    quality: np.ndarray,
    price_sensitivity: float,
    demand_elasticity: float,
    max_markup: float,
    start: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The Bertrand-Nash equilibrium of the logit market at this month's costs: every
    provider's markup is its best response to the others' prices,

        mu_p = M(s_p),   s_p = logit_p(xi - beta (ln c + ln(1 + mu))),

    ``M`` = :func:`bertrand_markup`. Found by best-response iteration from ``start``
    (last month's markups): in each round every provider solves its own condition
    ``h_p(y) = y - ln(1 + M(s_p(y))) = 0`` for ``y = ln(1 + mu_p)`` against the others'
    current prices. ``h_p`` rises (slope ``1 + beta s (1 - s) M'(s) / (1 + M)`` >= 1,
    ``M'(s) = (beta - eta) M^2`` below the cap) from ``h_p(0) <= 0`` to
    ``h_p(ln(1 + cap)) >= 0``, so Newton steps kept inside that bracket (bisecting when a
    step would leave it) find it. Logit-Bertrand best responses rise with rivals' prices
    with a slope below one, so the rounds converge. Stops when no price moves by more
    than ``EQUILIBRIUM_TOLERANCE`` in logs, or after ``EQUILIBRIUM_ROUNDS`` rounds.

    Returns:
        (markups, 0 in empty slots; the expected shares at the equilibrium prices).
    """
    beta, eta = price_sensitivity, demand_elasticity
    markup = np.zeros(active.size)
    index = np.flatnonzero(active)
    if index.size == 0:
        return markup, np.zeros(active.size)
    cost, xi = log_cost[index], quality[index]
    top = np.log1p(max_markup)
    x = np.clip(np.log1p(np.minimum(start[index], max_markup)), 0.0, top)
    for _ in range(EQUILIBRIUM_ROUNDS):
        utility = xi - beta * (cost + x)
        level = utility.max()
        weight = np.exp(utility - level)
        rivals = weight.sum() - weight
        best = _best_responses(xi - beta * cost - level, rivals, beta, eta, max_markup, top, x)
        moved = np.abs(best - x).max()
        x = best
        if moved <= EQUILIBRIUM_TOLERANCE:
            break
    markup[index] = np.expm1(x)
    return markup, logit_shares(log_cost + np.log1p(markup), active, beta, quality)


def _best_responses(
    own_utility: np.ndarray,
    rivals: np.ndarray,
    beta: float,
    eta: float,
    max_markup: float,
    top: float,
    guess: np.ndarray,
) -> np.ndarray:
    """Each provider's best log markup ``y`` against rivals' logit weight ``rivals``: the
    root of ``y - ln(1 + M(s(y)))``, ``s(y) = e^(u - beta y) / (e^(u - beta y) + rivals)``,
    ``u`` = ``own_utility``, by Newton steps from ``guess`` kept inside ``[0, top]``."""
    low, high = np.zeros_like(guess), np.full_like(guess, top)
    y = guess.copy()
    for _ in range(EQUILIBRIUM_ROUNDS):
        own = np.exp(own_utility - beta * y)
        share = own / (own + rivals)
        markup = bertrand_markup(share, beta, eta, max_markup)
        gap = y - np.log1p(markup)
        if np.abs(gap).max() <= EQUILIBRIUM_TOLERANCE:
            break
        low = np.where(gap < 0.0, y, low)
        high = np.where(gap > 0.0, y, high)
        slope_markup = np.where(markup < max_markup, (beta - eta) * markup**2, 0.0)
        step = y - gap / (1.0 + beta * share * (1.0 - share) * slope_markup / (1.0 + markup))
        inside = (step > low) & (step < high)
        y = np.where(inside, step, 0.5 * (low + high))
    return y


EQUILIBRIUM_ROUNDS = 200
"""Largest number of best-response rounds (and of Newton steps within one)."""
EQUILIBRIUM_TOLERANCE = 1e-12
"""Largest move of a log price (and error of a best-response condition) at which the
equilibrium (the best response) is taken."""


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
        choice_share: expected share of the buyers' logit choice at this month's
            equilibrium prices (:func:`equilibrium_markups`); with the markup it sets the
            expected profit.
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
        self,
        pricing: str,
        price_sensitivity: float,
        demand_elasticity: float,
        max_markup: float,
        log_cost: np.ndarray,
    ) -> None:
        """Markups and expected shares at this month's Bertrand-Nash equilibrium
        (:func:`equilibrium_markups`), or zero markups and the logit shares at cost under
        competitive pricing. ``log_cost``: each provider's log marginal cost of one tier."""
        if pricing == "competitive":
            self.markup = np.zeros(len(self))
            self.choice_share = logit_shares(log_cost, self.active, price_sensitivity, self.quality)
            return
        self.markup, self.choice_share = equilibrium_markups(
            log_cost, self.active, self.quality, price_sensitivity, demand_elasticity,
            max_markup, self.markup,
        )  # fmt: skip

    def update_learning(self, initial_stock: np.ndarray, exponent: float, cap: float) -> None:
        """Wright's law on the provider's own cumulative volume."""
        ratio = np.maximum(self.cumulative_tokens / initial_stock, 1.0)
        self.learning = np.maximum(ratio ** (-exponent), 1.0 / cap)

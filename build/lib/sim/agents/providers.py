"""AI compute providers: costs, markups, market shares and cumulative volume.

Core object: :class:`Providers`. Their pricing behaviour lives in
:mod:`sim.markets.compute`, which also holds the tier and energy state.
"""

from __future__ import annotations

import numpy as np

from sim.agents.base import Population


class Providers(Population):
    """All AI compute providers as arrays.

    Fields:
        cash: money balance, dollars.
        cost_factor: the provider's own cost relative to the industry (lognormal, fixed).
        cumulative_tokens: millions of tokens sold since the start (plus a step-0 stock).
        learning: cost factor from learning-by-doing, ``max((Q/Q0)^-b, 1/cap)``.
        markup: price over cost minus one.
        share: share of last month's compute revenue.
        prices: dollars per million tokens, one per tier (providers x tiers).
        tokens, revenue, cost, profit, dividends: this month's sales (M tokens) and dollars.
    """

    kind = "provider"
    fields = (
        "cash", "cost_factor", "cumulative_tokens", "learning", "markup", "share", "prices",
        "tokens", "revenue", "cost", "profit", "dividends",
    )  # fmt: skip

    def __init__(self, cost_factor: np.ndarray, n_tiers: int) -> None:
        n = cost_factor.size
        self.cost_factor = cost_factor
        for name in (
            "cash", "cumulative_tokens", "markup", "tokens", "revenue", "cost", "profit",
            "dividends",
        ):  # fmt: skip
            setattr(self, name, np.zeros(n))
        self.learning = np.ones(n)
        self.share = np.full(n, 1.0 / n)
        self.prices = np.zeros((n, n_tiers))

    def update_markups(self, base: float, share_sensitivity: float) -> None:
        """Markup rises with market share: ``mu_p = base + k * share_p``."""
        self.markup = base + share_sensitivity * self.share

    def update_learning(self, initial_stock: np.ndarray, exponent: float, cap: float) -> None:
        """Wright's law on the provider's own cumulative volume."""
        ratio = np.maximum(self.cumulative_tokens / initial_stock, 1.0)
        self.learning = np.maximum(ratio ** (-exponent), 1.0 / cap)

"""The goods market: households visit a few firms per sector and buy from the cheapest.

Core object: :func:`shop`.

Each household splits its budget across sectors by CES shares, then in each sector
visits ``Z`` firms: the firm it is loyal to and ``Z - 1`` others drawn at random. It
tries them from the cheapest up, counting the
loyal firm's price as lower by ``loyalty`` (a small switching cost). A firm asked for more than it has on hand serves
all its customers of that round in the same proportion (proportional rationing);
what a household could not buy it takes to its next firm, and what is left after
the last is saved. Its loyalty moves to the firm it bought the most from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.agents.firms import Firms
from sim.agents.households import Households


@dataclass(frozen=True)
class ShoppingResult:
    """Money spent by each household and received by each firm, dollars."""

    spending: np.ndarray
    revenue: np.ndarray


def shop(
    households: Households,
    firms: Firms,
    budget_by_sector: np.ndarray,
    sector_bounds: np.ndarray,
    shops_visited: int,
    loyalty: float,
    rng: np.random.Generator,
) -> ShoppingResult:
    """Run the goods market for one month.

    Args:
        budget_by_sector: dollars each household wants to spend in each sector
            (households x sectors).
        sector_bounds: firm index range of each sector (firms grouped by sector).
        shops_visited: firms visited per household and sector (Z).
        loyalty: price advantage another firm needs over the loyal firm to come first.

    Updates ``firms.inventory``, ``firms.sales``, ``firms.demand`` and ``households.loyal``.
    """
    n_households, n_sectors = budget_by_sector.shape
    n_firms = len(firms)
    first = sector_bounds[:-1]
    size = np.diff(sector_bounds)
    # Visits: the loyal firm, then random firms of the same sector (households x sectors x Z).
    visits = np.empty((n_households, n_sectors, shops_visited), dtype=np.int32)
    visits[:, :, 0] = households.loyal
    if shops_visited > 1:
        draws = rng.random((n_households, n_sectors, shops_visited - 1))
        visits[:, :, 1:] = first[None, :, None] + (draws * size[None, :, None]).astype(np.int32)
    visits = visits.reshape(-1, shops_visited)
    remaining = budget_by_sector.reshape(-1).copy()
    perceived = firms.price[visits]
    perceived[:, 1:] *= 1.0 + loyalty
    order = np.argsort(perceived, axis=1, kind="stable")
    visits = np.take_along_axis(visits, order, axis=1)

    firms.demand[:] = 0.0
    firms.sales[:] = 0.0
    spent_at = np.zeros_like(visits, dtype=np.float64)
    active = np.flatnonzero(remaining > 0.0)
    for visit in range(shops_visited):
        if active.size == 0:
            break
        firm = visits[active, visit]
        price = firms.price[firm]
        wanted = remaining[active] / price
        asked = np.bincount(firm, weights=wanted, minlength=n_firms)
        with np.errstate(divide="ignore", invalid="ignore"):
            fill = np.where(asked > 0.0, np.minimum(1.0, firms.inventory / asked), 0.0)
        bought = wanted * fill[firm]
        spend = bought * price
        sold = np.bincount(firm, weights=bought, minlength=n_firms)
        firms.demand += asked
        firms.sales += sold
        firms.inventory = np.maximum(firms.inventory - sold, 0.0)
        remaining[active] -= spend
        spent_at[active, visit] = spend
        # Households fully served leave the market; the rest try their next firm.
        active = active[fill[firm] < 1.0]

    best = spent_at.argmax(axis=1)
    bought_any = spent_at.max(axis=1) > 0.0
    chosen = visits[np.arange(visits.shape[0]), best]
    loyal = households.loyal.reshape(-1)
    loyal[bought_any] = chosen[bought_any]
    spend_cell = spent_at.sum(axis=1)
    spending = spend_cell.reshape(n_households, n_sectors).sum(axis=1)
    revenue = np.bincount(visits.reshape(-1), weights=spent_at.reshape(-1), minlength=n_firms)
    return ShoppingResult(spending=spending, revenue=revenue)

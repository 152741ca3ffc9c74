"""The goods market: households visit a few firms per sector and buy from the cheapest.

Core object: :func:`shop`.

Each household splits its budget across sectors by CES shares, then in each sector
visits ``Z`` firms: the firm it is loyal to and ``Z - 1`` others drawn at random. It
tries them from the cheapest up, counting the
loyal firm's price as lower by ``loyalty`` (a small switching cost). A firm asked
for more than it has on hand serves
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
    budget: np.ndarray,
    sector_shares: np.ndarray,
    sector_bounds: np.ndarray,
    shops_visited: int,
    loyalty: float,
    rng: np.random.Generator,
) -> ShoppingResult:
    """Run the goods market for one month.

    Args:
        budget: dollars each household wants to spend this month.
        sector_shares: share of every budget spent in each sector (CES shares).
        sector_bounds: firm index range of each sector (firms grouped by sector).
        shops_visited: firms visited per household and sector (Z).
        loyalty: price advantage another firm needs over the loyal firm to come first.

    Updates ``firms.inventory``, ``firms.sales``, ``firms.demand`` and ``households.loyal``.
    """
    n_households = budget.size
    n_sectors = sector_shares.size
    n_firms = len(firms)
    first = sector_bounds[:-1].astype(np.int32)
    size = np.diff(sector_bounds).astype(np.float32)
    # Cells are (sector, household) pairs in sector-major order, one row per visit, so
    # every operation below is a pass over contiguous memory.
    n_cells = n_sectors * n_households
    loyal = households.loyal.T.reshape(-1)  # free view: loyal is Fortran-ordered
    visits = np.empty((shops_visited, n_cells), dtype=np.int32)
    visits[0] = loyal
    for visit in range(1, shops_visited):
        for sector in range(n_sectors):
            cells = slice(sector * n_households, (sector + 1) * n_households)
            offset = rng.random(n_households, dtype=np.float32) * size[sector]
            visits[visit, cells] = first[sector] + offset.astype(np.int32)
    perceived = firms.price[visits]
    perceived[1:] *= 1.0 + loyalty
    ranked = _cheapest_first(visits, perceived)
    initial = (sector_shares[:, None] * budget[None, :]).reshape(-1)
    remaining = initial.copy()

    firms.demand[:] = 0.0
    firms.sales[:] = 0.0
    best_spend = np.zeros(n_cells)
    favourite = loyal.copy()
    # Every cell shops at its cheapest firm; only the rationed ones go on.
    active: slice | np.ndarray = slice(None)
    for visit in range(shops_visited):
        firm = ranked[visit, active]
        price = firms.price[firm]
        wanted = remaining[active] / price
        asked = np.bincount(firm, weights=wanted, minlength=n_firms)
        with np.errstate(divide="ignore", invalid="ignore"):
            fill = np.where(asked > 0.0, np.minimum(1.0, firms.inventory / asked), 0.0)
        cell_fill = fill[firm]
        spend = wanted * cell_fill * price
        sold = asked * fill
        firms.demand += asked
        firms.sales += sold
        firms.inventory = np.maximum(firms.inventory - sold, 0.0)
        remaining[active] -= spend
        # Loyalty moves to the firm where the household spent the most.
        favourite[active] = np.where(spend > best_spend[active], firm, favourite[active])
        best_spend[active] = np.maximum(spend, best_spend[active])
        # Households fully served leave the market; the rest try their next firm.
        rationed = np.flatnonzero(cell_fill < 1.0)
        active = rationed if isinstance(active, slice) else active[rationed]
        if active.size == 0:
            break

    households.loyal[:] = favourite.reshape(n_sectors, n_households).T
    spending = (initial - remaining).reshape(n_sectors, n_households).sum(axis=0)
    return ShoppingResult(spending=spending, revenue=firms.sales * firms.price)


def _cheapest_first(visits: np.ndarray, perceived: np.ndarray) -> np.ndarray:
    """The visits of each cell (columns) ordered by ascending perceived price; ties keep
    the earlier visit (the loyal firm) first. Ranks come from pairwise comparisons of
    whole rows, which is fast for the few visits a household makes."""
    n_visits = visits.shape[0]
    rank = np.zeros(visits.shape, dtype=np.int8)
    for i in range(n_visits):
        for j in range(n_visits):
            if i != j:
                rank[i] += perceived[j] < perceived[i] if j > i else perceived[j] <= perceived[i]
    ranked = np.zeros_like(visits)
    for position in range(n_visits):
        for i in range(n_visits):
            ranked[position] += np.where(rank[i] == position, visits[i], 0)
    return ranked

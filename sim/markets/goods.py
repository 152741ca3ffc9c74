"""The goods market: households visit a few firms per sector and buy from the cheapest.

Core object: :func:`shop`.

Households come to the market one at a time, in a random order drawn each month
(as in BAM, Delli Gatti et al. 2011). Each splits its budget across sectors by CES
shares and, in each sector, visits ``Z`` firms: the firm it is loyal to and
``Z - 1`` others drawn at random from the sector. It tries them from the cheapest
up, counting the loyal firm's price as lower by ``loyalty`` (a small switching
cost), and buys as much as its budget allows while the firm has stock: a firm that
runs out serves its customers first come, first served. What a household could not
buy it takes to its next firm; what is left after the last is saved (and counted,
once, as demand turned away by the first firm that ran out). Its loyalty
moves to the firm it spent the most at.

The loop over households is compiled with numba; every random number comes from the
model's generator and is drawn before the loop, so runs stay reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

from sim.agents.firms import Firms
from sim.agents.households import Households
from sim.prefetch import QUEUE_LOOKAHEAD, prefetch
from sim.queues import shuffle


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

    Updates ``firms.inventory``, ``firms.sales``, ``firms.demand``,
    ``firms.stocked_out`` (it turned a customer away) and ``households.loyal``.
    Demand is counted once: a firm's demand is what it sold plus the purchases it
    turned away that no later firm served (each unserved unit is counted at the first
    firm that turned it away), so total demand is total sales plus unmet demand.
    """
    n_households = budget.size
    # The queue: households in a random order. The compiled loop follows the order
    # itself, so no household data is gathered into queue order and scattered back.
    order = np.arange(n_households, dtype=np.int32)
    shuffle(rng, order)  # the same order as rng.permutation(n), with half the memory
    draws = rng.random((shops_visited - 1, n_households, sector_shares.size), dtype=np.float32)
    firms.demand[:] = 0.0
    firms.sales[:] = 0.0
    firms.stocked_out[:] = False
    spending = np.empty(n_households)  # every household is in the queue once
    _shop_in_order(
        order, budget, sector_shares, households.loyal, sector_bounds.astype(np.int64),
        draws, firms.price, loyalty, firms.inventory, firms.demand, firms.sales,
        firms.stocked_out, spending,
    )  # fmt: skip
    return ShoppingResult(spending=spending, revenue=firms.sales * firms.price)


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _shop_in_order(
    order, budget, shares, loyal, bounds, draws, price, loyalty, inventory, demand, sales,
    stocked_out, spending,
):  # fmt: skip
    """Households shop one after another in the queue ``order``; the queue position
    ``turn`` picks the random draws.

    Firm indices are held unsigned, so that numba indexes without the negative-index
    wrap-around (a tenth of the loop's time at 10^6 households); prices are positive,
    so the numpy error model (no zero-division check) changes nothing. With the
    default two visits (the loyal firm and one drawn at random) the pair is ordered
    by one comparison held in registers rather than sorted in arrays (about a seventh
    of the loop's time); the purchases are the same either way.
    """

    def visit(firm, remaining, spent, most, favourite):
        """Buy at ``firm`` what ``remaining`` dollars pay for, up to its stock:
        ``bought = min(remaining / price, inventory)``. Returns the dollars still to
        spend (0 once served), the household's spending so far, its largest purchase
        and the firm of it, and whether this firm ran out."""
        firm_price = price[firm]
        wanted = remaining / firm_price
        bought = min(wanted, inventory[firm])
        if bought > 0.0:
            inventory[firm] -= bought
            sales[firm] += bought
            demand[firm] += bought
            spend = bought * firm_price
            spent += spend
            if spend > most:
                most, favourite = spend, firm
        if bought >= wanted:
            return 0.0, spent, most, favourite, False
        stocked_out[firm] = True
        return remaining - bought * firm_price, spent, most, favourite, True

    n_visits = draws.shape[0] + 1
    visits = np.empty(n_visits, dtype=np.uint64)
    perceived = np.empty(n_visits)
    n_sectors = shares.size
    switching = 1.0 + loyalty
    for turn in range(order.size):
        if turn + QUEUE_LOOKAHEAD < order.size:
            ahead = order[turn + QUEUE_LOOKAHEAD]
            # A household's row of loyal firms (4 bytes a sector) may straddle two
            # cache lines: fetch both ends.
            prefetch(loyal, ahead * n_sectors)
            prefetch(loyal, ahead * n_sectors + n_sectors - 1)
            prefetch(budget, ahead)
            prefetch(spending, ahead)
        household = order[turn]
        household_budget = budget[household]
        spent = 0.0
        for sector in range(n_sectors):
            remaining = household_budget * shares[sector]
            if remaining <= 0.0:
                continue
            loyal_firm = np.uint64(loyal[household, sector])
            first, size = bounds[sector], bounds[sector + 1] - bounds[sector]
            favourite, most = loyal_firm, 0.0
            if n_visits == 2:
                # The loyal firm first unless the other is cheaper by more than loyalty.
                other = np.uint64(first + min(int(draws[0, turn, sector] * size), size - 1))
                cheap, dear = loyal_firm, other
                if price[loyal_firm] > price[other] * switching:
                    cheap, dear = other, loyal_firm
                first_short = cheap  # the first firm that ran out, if one did
                remaining, spent, most, favourite, short = visit(
                    cheap, remaining, spent, most, favourite
                )
                if short:
                    remaining, spent, most, favourite, _ = visit(
                        dear, remaining, spent, most, favourite
                    )
            else:
                # Visits: the loyal firm, then random firms of the sector, sorted by
                # perceived price (insertion sort keeps the loyal firm first among equals).
                visits[0] = loyal_firm
                perceived[0] = price[loyal_firm]
                for visit_number in range(1, n_visits):
                    firm = np.uint64(
                        first + min(int(draws[visit_number - 1, turn, sector] * size), size - 1)
                    )
                    cost = price[firm] * switching
                    slot = visit_number
                    while slot > 0 and perceived[slot - 1] > cost:
                        visits[slot] = visits[slot - 1]
                        perceived[slot] = perceived[slot - 1]
                        slot -= 1
                    visits[slot] = firm
                    perceived[slot] = cost
                first_short, short = np.uint64(0), False
                for visit_number in range(n_visits):
                    firm = visits[visit_number]
                    remaining, spent, most, favourite, ran_out = visit(
                        firm, remaining, spent, most, favourite
                    )
                    if not ran_out:
                        break
                    if not short:
                        first_short, short = firm, True
            # What no firm could serve counts as demand at the first firm that ran out.
            if remaining > 0.0 and short:
                demand[first_short] += remaining / price[first_short]
            loyal[household, sector] = favourite
        spending[household] = spent

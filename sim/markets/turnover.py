"""Firm turnover: bankruptcy and exit, and entry that follows expected profitability.

Core objects: :func:`exiting_firms`, :func:`close_firms`, :func:`entering_slots`,
:func:`open_firms`.

A firm exits when its net worth is negative (bankruptcy, BAM), when it could not pay
its wage bill, or when it has lost all its market (dormant). Its workers lose their
jobs, its bank takes its cash up to its debt and writes off the rest, and any cash
left goes to its owners. Its slot stays empty until an entrant takes it. Each month
an empty slot of sector ``s`` is taken with probability
``min(1, kappa * max(mu_s, 0))``, ``mu_s`` the sector's sales-weighted markup (the
margin an entrant expects) and ``kappa`` = ``credit.entry_sensitivity``; so entry
flows to the sectors where margins are high. An entrant is ``entry_size`` times the
sector's average firm; its owners (households, by equity share) fund its cash buffer
as far as their deposits allow, and its bank lends the rest when credit is on.
"""

from __future__ import annotations

import numpy as np

from sim.accounting import raise_from_owners
from sim.agents.firms import Firms
from sim.agents.households import Households
from sim.agents.workers import UNEMPLOYED, Workers
from sim.markets.credit import net_worth
from sim.markets.labour import record_separations

RESET_ON_ENTRY = (
    "inventory", "labour", "compute", "tokens", "labour_target", "vacancies", "oversight",
    "oversight_target", "oversight_vacancies", "headcount", "oversight_headcount", "age",
    "expected_demand", "expected_sales", "planned_output", "output", "sales", "demand", "debt",
    "economic_profit",
)  # fmt: skip


def exiting_firms(
    firms: Firms,
    insolvent: np.ndarray,
    n_sectors: int,
    defaulted: np.ndarray | None = None,
    unprofitable: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Active firms that exit this month: bankrupt (net worth below zero, or in default
    on this month's interest or scheduled repayment), unable to pay their wage bill,
    dormant (expected demand below 1/1000 of the sector's mean after their first year),
    or, with capital, ``unprofitable`` (expecting economic losses, docs/model.md 13b).
    Returns (exiting indices, bankrupt mask)."""
    active = firms.active
    demand = np.bincount(firms.sector, weights=firms.expected_demand * active, minlength=n_sectors)
    count = np.maximum(np.bincount(firms.sector, weights=active, minlength=n_sectors), 1.0)
    mean_demand = demand / count
    dormant = (firms.expected_demand < 1e-3 * mean_demand[firms.sector]) & (firms.age > 12)
    failed = net_worth(firms) < 0.0
    if defaulted is not None:
        failed |= defaulted
    bankrupt = active & failed
    leaving = dormant if unprofitable is None else dormant | unprofitable
    return np.flatnonzero(active & (insolvent | leaving | bankrupt)), bankrupt


def close_firms(
    firms: Firms, workers: Workers, households: Households, exiting: np.ndarray
) -> None:
    """Lay off the exiting firms' workers and pay their remaining cash (after their bank
    has taken its share) to the owners; the slots become empty."""
    cash = np.maximum(firms.cash[exiting], 0.0)
    households.cash += float(cash.sum()) * households.equity
    firms.cash[exiting] -= cash
    closing = np.zeros(len(firms) + 1, dtype=bool)  # last slot: the unemployed (-1)
    closing[exiting] = True
    employer_before = workers.employer.copy()
    workers.employer[closing[workers.employer]] = UNEMPLOYED
    record_separations(workers, employer_before)
    firms.active[exiting] = False
    for name in RESET_ON_ENTRY:
        getattr(firms, name)[exiting] = 0
    firms.stocked_out[exiting] = False
    firms.unsold[exiting] = False
    firms.unfilled[exiting] = False


def entering_slots(
    firms: Firms, sector_markup: np.ndarray, sensitivity: float, rng: np.random.Generator
) -> np.ndarray:
    """Empty slots an entrant takes this month: each with probability
    ``min(1, kappa * max(mu_s, 0))``. Returns their indices."""
    empty = np.flatnonzero(~firms.active)
    if empty.size == 0:
        return empty
    chance = np.minimum(1.0, sensitivity * np.maximum(sector_markup[firms.sector[empty]], 0.0))
    return empty[rng.random(empty.size) < chance]


def open_firms(
    firms: Firms,
    households: Households,
    entering: np.ndarray,
    cash_needed: np.ndarray,
    expected_demand: np.ndarray,
    wage: np.ndarray,
    oversight_wage: np.ndarray,
    price: np.ndarray,
    markup: np.ndarray,
) -> None:
    """Entrants take the slots ``entering`` with the given expected demand, wages,
    price and markup (arrays over the entrants); owners fund ``cash_needed`` in
    proportion to their equity, as far as their positive deposits allow."""
    wanted = float(cash_needed.sum())
    raised = raise_from_owners(wanted, households.cash, households.equity)
    firms.cash[entering] += raised * cash_needed / max(wanted, 1e-300)
    firms.active[entering] = True
    firms.expected_demand[entering] = expected_demand
    firms.expected_sales[entering] = expected_demand
    firms.wage[entering] = wage
    firms.oversight_wage[entering] = oversight_wage
    firms.price[entering] = price
    firms.markup[entering] = markup
    firms.unfilled[entering] = True

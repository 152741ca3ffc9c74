"""The labour market: layoffs, quits, search on and off the job, and matching.

Core objects: :func:`separations`, :func:`search_and_match`.

Matching is decentralised (BAM, Delli Gatti et al. 2011, ch. 3): job seekers come in
a random order; each sends ``M`` applications to firms with open vacancies (drawn
in proportion to the vacancies) and takes the best offer still open, in wage per
efficiency unit times its own efficiency there. An application leaves the seeker's
own sector only with probability ``mobility``; arriving in a new sector costs a
retraining penalty. The loop over seekers is compiled with numba; its random numbers
are drawn from the model's generator beforehand.
"""

from __future__ import annotations

import numba
import numpy as np

from sim.agents.firms import Firms
from sim.agents.workers import UNEMPLOYED, Workers
from sim.scenario.schema import LabourConfig


def labour_by_firm(
    workers: Workers, efficiency: np.ndarray, n_firms: int
) -> tuple[np.ndarray, np.ndarray]:
    """Efficiency units and headcount employed at each firm."""
    return _count_staff(workers.employer, efficiency, n_firms)


@numba.njit(cache=True, nogil=True)
def _count_staff(employer, efficiency, n_firms):
    labour = np.zeros(n_firms)
    headcount = np.zeros(n_firms, dtype=np.int64)
    for worker in range(employer.size):
        firm = employer[worker]
        if firm >= 0:
            labour[firm] += efficiency[worker]
            headcount[firm] += 1
    return labour, headcount


def pay_wages(
    workers: Workers, firms: Firms, household_cash: np.ndarray, efficiency: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Firms pay each employee wage x efficiency units; a firm whose cash cannot cover
    its wage bill pays every employee the same fraction of it (and is insolvent).

    Sets ``workers.wage`` and ``firms.wage_bill``, moves the money from ``firms.cash``
    to ``household_cash``. Returns (wages received by each household, insolvent firms).
    """
    owed = _owed_wages(workers.employer, efficiency, firms.wage)
    with np.errstate(divide="ignore", invalid="ignore"):
        pay_ratio = np.where(owed > firms.cash, np.maximum(firms.cash, 0.0) / owed, 1.0)
    firms.wage_bill, by_household = _pay(
        workers.employer, workers.household, efficiency, firms.wage, pay_ratio, workers.wage,
        household_cash.size,
    )  # fmt: skip
    firms.cash -= firms.wage_bill
    household_cash += by_household
    return by_household, pay_ratio < 1.0


@numba.njit(cache=True, nogil=True)
def _owed_wages(employer, efficiency, wage):
    owed = np.zeros(wage.size)
    for worker in range(employer.size):
        firm = employer[worker]
        if firm >= 0:
            owed[firm] += wage[firm] * efficiency[worker]
    return owed


@numba.njit(cache=True, nogil=True)
def _pay(employer, household, efficiency, wage, pay_ratio, worker_wage, n_households):

    paid_by_firm = np.zeros(wage.size)
    by_household = np.zeros(n_households)
    for worker in range(employer.size):
        firm = employer[worker]
        if firm < 0:
            worker_wage[worker] = 0.0
            continue
        paid = wage[firm] * efficiency[worker] * pay_ratio[firm]
        worker_wage[worker] = paid
        paid_by_firm[firm] += paid
        by_household[household[worker]] += paid
    return paid_by_firm, by_household


def separations(
    workers: Workers,
    firms: Firms,
    efficiency: np.ndarray,
    cfg: LabourConfig,
    rng: np.random.Generator,
) -> None:
    """Layoffs where a firm employs more labour than its plan (at most
    ``max_layoff_rate`` of its staff a month, workers chosen at random; a firm whose
    cash cannot cover its current payroll lays off all its excess at once), and quits
    at the exogenous ``quit_rate``."""
    excess = np.maximum(firms.labour - firms.labour_target, 0.0)
    distressed = firms.cash < firms.wage * firms.labour
    with np.errstate(divide="ignore", invalid="ignore"):
        wanted_rate = np.where(firms.labour > 0, excess / firms.labour, 0.0)
    fire_rate = np.where(distressed, wanted_rate, np.minimum(wanted_rate, cfg.max_layoff_rate))
    firms.laid_off = _separate(workers.employer, rng.random(len(workers)), fire_rate, cfg.quit_rate)
    firms.labour, firms.headcount = labour_by_firm(workers, efficiency, len(firms))


@numba.njit(cache=True, nogil=True)
def _separate(employer, draw, fire_rate, quit_rate):
    """One uniform draw per worker decides a layoff (below the firm's rate) or a quit
    (in the top ``quit_rate``); returns which firms laid someone off."""
    laid_off = np.zeros(fire_rate.size, dtype=np.bool_)
    for worker in range(employer.size):
        firm = employer[worker]
        if firm < 0:
            continue
        if draw[worker] < fire_rate[firm]:
            employer[worker] = -1
            laid_off[firm] = True
        elif draw[worker] > 1.0 - quit_rate:
            employer[worker] = -1
    return laid_off


def vacancy_threshold(firms: Firms) -> np.ndarray:
    """Smallest labour gap worth a vacancy: half of one of the firm's average workers,
    in efficiency units (never less than a quarter unit)."""
    return 0.5 * np.maximum(firms.labour / np.maximum(firms.headcount, 1), 0.5)


def search_and_match(
    workers: Workers,
    firms: Firms,
    efficiency: np.ndarray,
    sector_bounds: np.ndarray,
    cfg: LabourConfig,
    rng: np.random.Generator,
) -> np.ndarray:
    """One month of job search and hiring. Returns the workers hired into another
    sector (movers).

    Job seekers (the unemployed, and employed workers who search this month with
    probability ``on_the_job_search``) come one at a time in a random order. Each
    sends ``applications`` applications to firms drawn in proportion to their open
    vacancies at the start of the month (only in its own sector unless a draw with
    probability ``mobility`` lets it look anywhere), and takes the best one whose
    vacancy is still open, if it pays more than its current job by
    ``switch_premium``. The firm hires it while at least half of the arriving
    worker's efficiency units are still needed.

    Args:
        efficiency: each worker's efficiency units in the current sector (updated for movers).
        sector_bounds: firm index range of each sector, ``sector_bounds[s]:sector_bounds[s+1]``
            (firms are stored grouped by sector).
    """
    n_firms = len(firms)
    gap = np.maximum(firms.labour_target - firms.labour, 0.0)
    threshold = vacancy_threshold(firms)
    on_the_job = rng.random(len(workers)) < cfg.on_the_job_search
    seekers = rng.permutation(np.flatnonzero((workers.employer == UNEMPLOYED) | on_the_job))
    cumulative = np.cumsum(np.where(gap >= threshold, gap, 0.0))
    draws = rng.random((cfg.applications, seekers.size, 2))
    employer = workers.employer[seekers]
    sector = workers.sector[seekers]
    own_efficiency = efficiency[seekers]
    elsewhere = workers.skill[seekers] * (1.0 - cfg.retraining_penalty)
    reservation = np.where(
        employer != UNEMPLOYED,
        firms.wage[np.maximum(employer, 0)] * own_efficiency * (1.0 + cfg.switch_premium),
        0.0,
    )
    hired_by = _match_in_order(
        draws, cumulative, sector_bounds.astype(np.int64), gap, threshold, firms.wage,
        firms.sector, employer, sector, own_efficiency, elsewhere, reservation, cfg.mobility,
    )  # fmt: skip
    hired = hired_by >= 0
    new_staff, new_employer = seekers[hired], hired_by[hired]
    workers.employer[new_staff] = new_employer
    moved = firms.sector[new_employer] != sector[hired]
    movers = new_staff[moved]
    workers.sector[movers] = firms.sector[new_employer[moved]]
    workers.months_in_sector[movers] = 0.0
    efficiency[movers] = elsewhere[hired][moved]
    firms.labour, firms.headcount = labour_by_firm(workers, efficiency, n_firms)
    firms.vacancies = gap
    firms.unfilled = gap >= vacancy_threshold(firms)
    return movers


@numba.njit(cache=True, nogil=True)
def _match_in_order(
    draws,
    cumulative,
    bounds,
    gap,
    threshold,
    wage,
    firm_sector,
    employer,
    sector,
    own_efficiency,
    elsewhere,
    reservation,
    mobility,
):
    """Seekers, given as arrays in queue order, take their best open offer one after
    another; returns the hiring firm of each (-1 if none) and lowers the firms' gaps."""
    hired_by = np.full(sector.size, -1, dtype=np.int64)
    total = cumulative[-1] if cumulative.size else 0.0
    if total <= 0.0:
        return hired_by
    for k in range(sector.size):
        own = sector[k]
        low_own = cumulative[bounds[own] - 1] if bounds[own] > 0 else 0.0
        high_own = cumulative[bounds[own + 1] - 1]
        best, best_value, best_efficiency = -1, reservation[k], 0.0
        for application in range(draws.shape[0]):
            if draws[application, k, 0] < mobility:
                low, high = 0.0, total
            else:
                low, high = low_own, high_own
            if high <= low:
                continue
            target = low + draws[application, k, 1] * (high - low)
            firm = min(np.searchsorted(cumulative, target, side="right"), cumulative.size - 1)
            if firm == employer[k] or gap[firm] < threshold[firm]:
                continue
            arriving = own_efficiency[k] if firm_sector[firm] == own else elsewhere[k]
            value = wage[firm] * arriving
            if value > best_value and gap[firm] > 0.5 * arriving:
                best, best_value, best_efficiency = firm, value, arriving
        if best >= 0:
            hired_by[k] = best
            gap[best] -= best_efficiency
    return hired_by

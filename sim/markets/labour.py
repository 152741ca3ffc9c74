"""The labour market: layoffs, quits, search on and off the job, and matching.

Core objects: :func:`separations`, :func:`search_and_match`.

Matching is decentralised (BAM, Delli Gatti et al. 2011, ch. 3): each job seeker
sends ``M`` applications to firms with open vacancies (drawn in proportion to the
vacancies), keeps the best offer in wage per efficiency unit times its own
efficiency there, and each firm takes its applicants in random order until its
vacancy is filled. An application leaves the seeker's own sector only with
probability ``mobility``; arriving in a new sector costs a retraining penalty.
"""

from __future__ import annotations

import numpy as np

from sim.agents.firms import Firms
from sim.agents.workers import UNEMPLOYED, Workers
from sim.scenario.schema import LabourConfig

MATCHING_ROUNDS = 4
"""Rounds of applications per month; a seeker turned down tries again with new draws."""


def labour_by_firm(
    workers: Workers, efficiency: np.ndarray, n_firms: int
) -> tuple[np.ndarray, np.ndarray]:
    """Efficiency units and headcount employed at each firm."""
    employed = workers.employer != UNEMPLOYED
    employer = workers.employer[employed]
    labour = np.bincount(employer, weights=efficiency[employed], minlength=n_firms)
    headcount = np.bincount(employer, minlength=n_firms)
    return labour, headcount


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
    employed = np.flatnonzero(workers.employer != UNEMPLOYED)
    employer = workers.employer[employed]
    draw = rng.random(employed.size)
    fired = draw < fire_rate[employer]
    quit_ = ~fired & (draw > 1.0 - cfg.quit_rate)
    firms.laid_off = np.bincount(employer[fired], minlength=len(firms)) > 0
    leavers = employed[fired | quit_]
    workers.employer[leavers] = UNEMPLOYED
    firms.labour, firms.headcount = labour_by_firm(workers, efficiency, len(firms))


def open_vacancy(gap: np.ndarray, firms: Firms) -> np.ndarray:
    """True where a firm's labour gap is at least half of one of its average workers
    (in efficiency units, never less than a quarter unit): a vacancy worth posting."""
    average_worker = np.maximum(firms.labour / np.maximum(firms.headcount, 1), 0.5)
    return gap >= 0.5 * average_worker


def _sample_firms(
    cumulative: np.ndarray, low: np.ndarray, high: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Draw firm indices with probability proportional to vacancies, within the
    cumulative-vacancy interval ``[low, high)`` of each draw."""
    target = low + rng.random(low.size) * (high - low)
    return np.minimum(np.searchsorted(cumulative, target, side="right"), cumulative.size - 1)


def search_and_match(
    workers: Workers,
    firms: Firms,
    efficiency: np.ndarray,
    sector_bounds: np.ndarray,
    cfg: LabourConfig,
    rng: np.random.Generator,
) -> int:
    """One month of job search and hiring. Returns the number of hires.

    Args:
        efficiency: each worker's efficiency units in the current sector.
        sector_bounds: firm index range of each sector, ``sector_bounds[s]:sector_bounds[s+1]``
            (firms are stored grouped by sector).
    """
    n_firms = len(firms)
    gap = np.maximum(firms.labour_target - firms.labour, 0.0)
    on_the_job = rng.random(len(workers)) < cfg.on_the_job_search
    seekers = np.flatnonzero((workers.employer == UNEMPLOYED) | on_the_job)
    hires = 0
    for _ in range(MATCHING_ROUNDS):
        open_gap = np.where(open_vacancy(gap, firms), gap, 0.0)
        if seekers.size == 0 or open_gap.sum() <= 0.0:
            break
        cumulative = np.cumsum(open_gap)
        starts = np.concatenate(([0.0], cumulative))[sector_bounds]
        own_low, own_high = starts[:-1], starts[1:]
        seeker_sector = workers.sector[seekers]
        current_employer = workers.employer[seekers]
        current_wage = np.where(
            current_employer != UNEMPLOYED,
            firms.wage[np.maximum(current_employer, 0)] * efficiency[seekers],
            0.0,
        )
        best_value = np.full(seekers.size, -np.inf)
        best_firm = np.full(seekers.size, -1, dtype=np.int64)
        for _application in range(cfg.applications):
            anywhere = rng.random(seekers.size) < cfg.mobility
            low = np.where(anywhere, 0.0, own_low[seeker_sector])
            high = np.where(anywhere, cumulative[-1], own_high[seeker_sector])
            firm = _sample_firms(cumulative, low, high, rng)
            valid = (high > low) & (firm != current_employer)
            same_sector = firms.sector[firm] == seeker_sector
            eff = np.where(
                same_sector,
                efficiency[seekers],
                workers.skill[seekers] * (1.0 - cfg.retraining_penalty),
            )
            value = np.where(valid, firms.wage[firm] * eff, -np.inf)
            better = value > best_value
            best_value = np.where(better, value, best_value)
            best_firm = np.where(better, firm, best_firm)
        wants = (best_firm >= 0) & (best_value > current_wage * (1.0 + cfg.switch_premium))
        applicants = seekers[wants]
        chosen = best_firm[wants]
        # Firms take applicants in random order while they still need labour.
        same_sector = firms.sector[chosen] == workers.sector[applicants]
        arriving_eff = np.where(
            same_sector,
            efficiency[applicants],
            workers.skill[applicants] * (1.0 - cfg.retraining_penalty),
        )
        order = np.lexsort((rng.random(applicants.size), chosen))
        applicants, chosen, arriving_eff, same_sector = (
            applicants[order],
            chosen[order],
            arriving_eff[order],
            same_sector[order],
        )
        running = np.cumsum(arriving_eff)
        group_start = np.searchsorted(chosen, chosen, side="left")
        before = running - arriving_eff - np.where(group_start > 0, running[group_start - 1], 0.0)
        hired = before + 0.5 * arriving_eff < gap[chosen]
        new_staff, employer, moved = applicants[hired], chosen[hired], ~same_sector[hired]
        workers.employer[new_staff] = employer
        movers = new_staff[moved]
        workers.sector[movers] = firms.sector[employer[moved]]
        workers.months_in_sector[movers] = 0.0
        efficiency[movers] = workers.skill[movers] * (1.0 - cfg.retraining_penalty)
        gap -= np.bincount(employer, weights=arriving_eff[hired], minlength=n_firms)
        hires += new_staff.size
        seekers = np.setdiff1d(seekers, new_staff, assume_unique=True)
    firms.labour, firms.headcount = labour_by_firm(workers, efficiency, n_firms)
    firms.vacancies = np.maximum(gap, 0.0)
    firms.unfilled = open_vacancy(gap, firms)
    return hires

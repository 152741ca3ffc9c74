"""The labour market: layoffs, quits, search on and off the job, and matching.

Core objects: :func:`separations`, :func:`search_and_match` (:class:`MatchResult`),
:func:`pay_wages`, :func:`count_staff`.

Each firm offers two jobs: production work and oversight of its AI (the work that
using compute requires). A worker's skill domain is her sector and occupation.
Matching is decentralised (BAM, Delli Gatti et al. 2011, ch. 3): job seekers come in
a random order; each sends ``M`` applications to jobs with open vacancies (drawn
in proportion to the vacancies) and takes the best offer still open, in wage per
efficiency unit times its own efficiency there, from a firm whose cash can pay it.
An application leaves the seeker's own domain only with probability ``mobility``;
arriving in a new domain costs a retraining penalty. Layoffs are bounded a month,
except at a firm whose cash cannot cover its payroll: it cuts to its plan at once.
The loops over workers are compiled with numba; their random numbers
are drawn from the model's generator beforehand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

from sim.agents.firms import Firms
from sim.agents.workers import UNEMPLOYED, Workers
from sim.queues import permutation
from sim.scenario.schema import LabourConfig


def job_index(workers: Workers, n_firms: int, who: np.ndarray) -> np.ndarray:
    """The jobs of workers ``who``: ``firm`` for production work, ``n_firms + firm`` for
    oversight of the firm's AI (-1 when unemployed)."""
    employer = workers.employer[who]
    return np.where(
        employer >= 0, employer + n_firms * workers.occupation[who].astype(np.int64), UNEMPLOYED
    )


def count_staff(workers: Workers, firms: Firms, efficiency: np.ndarray) -> None:
    """Efficiency units and headcount in each firm's production and oversight jobs."""
    n = len(firms)
    labour, headcount = _count_staff(workers.employer, workers.occupation, efficiency, n)
    firms.labour, firms.oversight = labour[:n], labour[n:]
    firms.headcount, firms.oversight_headcount = headcount[:n], headcount[n:]


@numba.njit(cache=True, nogil=True)
def _job(firm, occupation, n_firms):
    """The job of a worker of ``firm`` in ``occupation``: ``firm + n_firms * occupation``
    (as in :func:`job_index`), unsigned so that numba indexes without the
    negative-index wrap-around."""
    return np.uint64(firm + n_firms * occupation)


@numba.njit(cache=True, nogil=True)
def _count_staff(employer, occupation, efficiency, n_firms):
    labour = np.zeros(2 * n_firms)
    headcount = np.zeros(2 * n_firms, dtype=np.int64)
    for worker in range(employer.size):
        firm = employer[worker]
        if firm >= 0:
            job = _job(firm, occupation[worker], n_firms)
            labour[job] += efficiency[worker]
            headcount[job] += 1
    return labour, headcount


def pay_wages(
    workers: Workers, firms: Firms, household_cash: np.ndarray, efficiency: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Firms pay each employee the job's wage x efficiency units; a firm whose cash
    cannot cover its wage bill pays every employee the same fraction of it (and is
    insolvent).

    Sets ``workers.wage``, ``firms.wage_bill`` and ``firms.oversight_bill`` (its part for
    oversight work), moves the money from ``firms.cash`` to ``household_cash``. Returns
    (wages received by each household, insolvent firms).
    """
    n = len(firms)
    job_wage = np.concatenate((firms.wage, firms.oversight_wage))
    owed = _owed_wages(workers.employer, workers.occupation, efficiency, job_wage, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        pay_ratio = np.where(owed > firms.cash, np.maximum(firms.cash, 0.0) / owed, 1.0)
    paid_by_job, by_household = _pay(
        workers.employer, workers.occupation, workers.household, efficiency, job_wage,
        pay_ratio, workers.wage, household_cash.size, n,
    )  # fmt: skip
    firms.oversight_bill = paid_by_job[n:]
    firms.wage_bill = paid_by_job[:n] + firms.oversight_bill
    firms.cash -= firms.wage_bill
    household_cash += by_household
    return by_household, pay_ratio < 1.0


@numba.njit(cache=True, nogil=True)
def _owed_wages(employer, occupation, efficiency, job_wage, n_firms):
    owed = np.zeros(n_firms)
    for worker in range(employer.size):
        firm = employer[worker]
        if firm >= 0:
            owed[firm] += job_wage[_job(firm, occupation[worker], n_firms)] * efficiency[worker]
    return owed


@numba.njit(cache=True, nogil=True)
def _pay(
    employer, occupation, household, efficiency, job_wage, pay_ratio, worker_wage,
    n_households, n_firms,
):  # fmt: skip
    paid_by_job = np.zeros(job_wage.size)
    by_household = np.zeros(n_households)
    for worker in range(employer.size):
        firm = employer[worker]
        if firm < 0:
            worker_wage[worker] = 0.0
            continue
        job = _job(firm, occupation[worker], n_firms)
        paid = job_wage[job] * efficiency[worker] * pay_ratio[firm]
        worker_wage[worker] = paid
        paid_by_job[job] += paid
        by_household[household[worker]] += paid
    return paid_by_job, by_household


def separations(
    workers: Workers,
    firms: Firms,
    efficiency: np.ndarray,
    cfg: LabourConfig,
    rng: np.random.Generator,
) -> int:
    """Layoffs where a job employs more labour than the firm's plan, and quits into
    unemployment at the exogenous ``quit_rate``. Returns the number of separations.

    A firm lays off at most ``max_layoff_rate`` of a job's staff a month, workers
    drawn at random. A *distressed* firm, whose cash cannot cover its current payroll,
    lays off its whole excess at once: workers in a random order until the job's
    staff is down to the plan (which its cash can pay).
    """
    count_staff(workers, firms, efficiency)  # this month's efficiency units
    staff = np.concatenate((firms.labour, firms.oversight))
    target = np.concatenate((firms.labour_target, firms.oversight_target))
    distressed = np.tile(firms.cash < firms.payroll, 2)
    surplus = np.maximum(staff - target, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        wanted_rate = np.where(staff > 0, surplus / staff, 0.0)
    fire_rate = np.minimum(wanted_rate, cfg.max_layoff_rate)
    excess = np.where(distressed, surplus, 0.0)
    record = (workers.wage, workers.separated_from, workers.last_wage, workers.months_unemployed)
    laid_off, remaining, waiting_worker, waiting_job, waiting_draw, separated = _separate(
        workers.employer, workers.occupation, efficiency, rng.random(len(workers)), fire_rate,
        distressed, excess, cfg.quit_rate, len(firms), *record,
    )  # fmt: skip
    queue = np.argsort(waiting_draw)
    separated += _cut_to_plan(
        workers.employer, efficiency, waiting_worker[queue], waiting_job[queue], remaining,
        laid_off, *record,
    )  # fmt: skip
    firms.laid_off, firms.oversight_laid_off = laid_off[: len(firms)], laid_off[len(firms) :]
    count_staff(workers, firms, efficiency)
    return separated


def record_separations(workers: Workers, employer_before: np.ndarray) -> int:
    """Mark the workers who lost or left their job since ``employer_before``: the firm
    they left (barred from rehiring them this month), their last pay (the anchor of
    their reservation wage) and a fresh unemployment spell. Returns how many.

    :func:`separations` records each separation as it happens (:func:`_separate_worker`),
    without a copy of ``employer`` and a second pass over the workers."""
    return _record_separations(
        employer_before, workers.employer, workers.wage, workers.separated_from,
        workers.last_wage, workers.months_unemployed,
    )  # fmt: skip


@numba.njit(cache=True, nogil=True)
def _record_separations(before, employer, wage, separated_from, last_wage, months_unemployed):
    count = 0
    for worker in range(employer.size):
        if before[worker] >= 0 and employer[worker] < 0:
            _separate_worker(
                worker, before[worker], employer, wage, separated_from, last_wage,
                months_unemployed,
            )  # fmt: skip
            count += 1
    return count


@numba.njit(cache=True, nogil=True)
def _separate_worker(worker, firm, employer, wage, separated_from, last_wage, months_unemployed):
    """``worker`` leaves ``firm``: unemployed, barred from ``firm`` this month, her
    last pay kept as her reservation wage's anchor, a fresh spell."""
    employer[worker] = UNEMPLOYED
    separated_from[worker] = firm
    last_wage[worker] = wage[worker]
    months_unemployed[worker] = 0.0


def start_month(workers: Workers) -> int:
    """A new month on the labour market: every unemployed worker's spell grows by a
    month and last month's bars on rehiring lapse. Returns the number employed."""
    return _start_month(workers.employer, workers.months_unemployed, workers.separated_from)


@numba.njit(cache=True, nogil=True)
def _start_month(employer, months_unemployed, separated_from):
    employed = 0
    for worker in range(employer.size):
        separated_from[worker] = -1
        if employer[worker] < 0:
            months_unemployed[worker] += 1.0
        else:
            employed += 1
    return employed


@numba.njit(cache=True, nogil=True)
def _separate(
    employer, occupation, efficiency, draw, fire_rate, distressed, excess, quit_rate, n_firms,
    wage, separated_from, last_wage, months_unemployed,
):  # fmt: skip
    """One uniform draw per worker decides a quit (in the top ``quit_rate``) or, in a
    job that is not distressed, a layoff (below the job's rate). Workers of distressed
    jobs who do not quit are returned as a waiting list (worker, job, draw), with each
    job's excess left after quits, for :func:`_cut_to_plan`. Also returns which jobs
    laid someone off and how many workers left (each recorded by
    :func:`_separate_worker`)."""
    laid_off = np.zeros(fire_rate.size, dtype=np.bool_)
    remaining = excess.copy()
    waiting_worker = np.empty(employer.size, dtype=np.int64)
    waiting_job = np.empty(employer.size, dtype=np.int64)
    waiting_draw = np.empty(employer.size)
    n_waiting = separated = 0
    for worker in range(employer.size):
        firm = employer[worker]
        if firm < 0:
            continue
        job = _job(firm, occupation[worker], n_firms)
        if draw[worker] > 1.0 - quit_rate:
            _separate_worker(
                worker, firm, employer, wage, separated_from, last_wage, months_unemployed
            )
            separated += 1
            remaining[job] -= efficiency[worker]
        elif distressed[job]:
            waiting_worker[n_waiting] = worker
            waiting_job[n_waiting] = job
            waiting_draw[n_waiting] = draw[worker]
            n_waiting += 1
        elif draw[worker] < fire_rate[job]:
            _separate_worker(
                worker, firm, employer, wage, separated_from, last_wage, months_unemployed
            )
            separated += 1
            laid_off[job] = True
    return (
        laid_off, remaining, waiting_worker[:n_waiting], waiting_job[:n_waiting],
        waiting_draw[:n_waiting], separated,
    )  # fmt: skip


@numba.njit(cache=True, nogil=True)
def _cut_to_plan(
    employer, efficiency, waiting_worker, waiting_job, remaining, laid_off, wage,
    separated_from, last_wage, months_unemployed,
):  # fmt: skip
    """Distressed jobs lay off their waiting workers in queue order until each job's
    remaining excess (efficiency units) is gone. Returns how many were laid off."""
    separated = 0
    for place in range(waiting_worker.size):
        job = waiting_job[place]
        if remaining[job] > 0.0:
            worker = waiting_worker[place]
            _separate_worker(
                worker, employer[worker], employer, wage, separated_from, last_wage,
                months_unemployed,
            )  # fmt: skip
            separated += 1
            remaining[job] -= efficiency[worker]
            laid_off[job] = True
    return separated


def vacancy_threshold(labour: np.ndarray, headcount: np.ndarray) -> np.ndarray:
    """Smallest labour gap worth a vacancy: half of one of the job's average workers,
    in efficiency units (never less than a quarter unit)."""
    return 0.5 * np.maximum(labour / np.maximum(headcount, 1), 0.5)


@dataclass(frozen=True)
class MatchResult:
    """What one month of search and matching did.

    Attributes:
        movers: workers hired outside their skill domain (another sector or occupation).
        unemployed_seekers: unemployed workers who searched.
        unemployed_hired: how many of them found a job.
        job_changes: employed workers who moved to another job.
        vacancies: open vacancies when search began, efficiency units.
    """

    movers: np.ndarray
    unemployed_seekers: int
    unemployed_hired: int
    job_changes: int
    vacancies: float


def search_and_match(
    workers: Workers,
    firms: Firms,
    efficiency: np.ndarray,
    sector_bounds: np.ndarray,
    cfg: LabourConfig,
    rng: np.random.Generator,
) -> MatchResult:
    """One month of job search and hiring.

    Job seekers (the unemployed, and employed workers who search this month with
    probability ``on_the_job_search``) come one at a time in a random order. Each
    sends ``applications`` applications to jobs drawn in proportion to their open
    vacancies at the start of the month (only in its own domain, same sector and
    occupation, unless a draw with probability ``mobility`` lets it look anywhere),
    and takes the best one whose vacancy is still open and whose firm's cash still
    covers her pay on top of its payroll, if it pays more than her reservation wage.
    An application to an open vacancy brings an offer only with probability
    ``offer_rate`` (screening). An employed seeker's reservation wage is her current
    pay times ``1 + switch_premium``; an unemployed worker's is her last pay lowered
    by ``reservation_decline`` for every month of unemployment, the current one
    included, ``w_R = w_last (1 - delta)^(d + 1)`` (Lengnick 2013); a worker who left a
    firm this month gets no offer from it (unless ``no_same_month_rehire`` is off). The
    job is filled while at least half of the arriving
    worker's efficiency units are still needed.

    Args:
        efficiency: each worker's efficiency units in her current domain (updated for
            movers).
        sector_bounds: firm index range of each sector, ``sector_bounds[s]:sector_bounds[s+1]``
            (firms are stored grouped by sector).
    """
    n, n_sectors = len(firms), sector_bounds.size - 1
    staff = np.concatenate((firms.labour, firms.oversight))
    headcount = np.concatenate((firms.headcount, firms.oversight_headcount))
    target = np.concatenate((firms.labour_target, firms.oversight_target))
    job_wage = np.concatenate((firms.wage, firms.oversight_wage))
    job_domain = np.concatenate((firms.sector, firms.sector + n_sectors)).astype(np.int64)
    # Jobs are stored by occupation, then by sector: domain d holds jobs
    # domain_bounds[d]:domain_bounds[d + 1].
    domain_bounds = np.concatenate((sector_bounds[:-1], n + sector_bounds)).astype(np.int64)
    gap = np.maximum(target - staff, 0.0)
    threshold = vacancy_threshold(staff, headcount)
    on_the_job = rng.random(len(workers)) < cfg.on_the_job_search
    candidates = np.flatnonzero((workers.employer == UNEMPLOYED) | on_the_job)
    # The queue: the draws of rng.permutation(candidates), which moves elements the
    # same way whatever they are. Seekers' data are read in index order (streaming
    # through memory), then put in queue order on arrays small enough to stay in cache.
    queue = permutation(rng, np.arange(candidates.size))
    seekers = candidates[queue]

    def in_queue(values: np.ndarray) -> np.ndarray:
        return values[candidates][queue]  # = values[seekers]

    # Only open jobs can be drawn: search among them (same draws, same choices as over
    # all jobs, on arrays small enough to stay in cache).
    open_jobs = np.flatnonzero(gap >= threshold)
    cumulative = np.cumsum(gap[open_jobs])
    open_gap_start = cumulative[-1] if cumulative.size else 0.0
    open_bounds = np.searchsorted(open_jobs, domain_bounds).astype(np.int64)
    draws = rng.random((cfg.applications, seekers.size, 3))
    current = job_index(workers, n, candidates)[queue]  # = job_index(workers, n, seekers)
    jobless = current == UNEMPLOYED
    domain = (in_queue(workers.sector) + n_sectors * in_queue(workers.occupation)).astype(np.int64)
    own_efficiency = in_queue(efficiency)
    elsewhere = in_queue(workers.skill) * (1.0 - cfg.retraining_penalty)
    reservation = np.where(
        jobless,
        in_queue(workers.last_wage)
        * (1.0 - cfg.reservation_decline) ** (in_queue(workers.months_unemployed) + 1.0),
        job_wage[np.maximum(current, 0)] * own_efficiency * (1.0 + cfg.switch_premium),
    )
    barred = np.where(
        jobless & cfg.no_same_month_rehire, in_queue(workers.separated_from), UNEMPLOYED
    ).astype(np.int64)
    open_gap = gap[open_jobs]
    # A firm hires only workers whose pay its cash still covers after its payroll.
    headroom = np.maximum(firms.cash, 0.0) - firms.payroll
    hired_into = _match_in_order(
        draws, cumulative, open_bounds, open_gap, threshold[open_jobs], job_wage[open_jobs],
        job_domain[open_jobs], open_jobs, current, domain, own_efficiency, elsewhere,
        reservation, cfg.mobility, headroom, barred, cfg.offer_rate,
    )  # fmt: skip
    gap[open_jobs] = open_gap
    hired = hired_into >= 0
    new_staff, job = seekers[hired], hired_into[hired]
    workers.employer[new_staff] = job % n
    workers.occupation[new_staff] = job // n
    moved = job_domain[job] != domain[hired]
    movers = new_staff[moved]
    workers.sector[movers] = firms.sector[job[moved] % n]
    workers.months_in_sector[movers] = 0.0
    efficiency[movers] = elsewhere[hired][moved]
    count_staff(workers, firms, efficiency)
    firms.vacancies, firms.oversight_vacancies = gap[:n], gap[n:]
    open_jobs = gap >= vacancy_threshold(
        np.concatenate((firms.labour, firms.oversight)),
        np.concatenate((firms.headcount, firms.oversight_headcount)),
    )
    firms.unfilled, firms.oversight_unfilled = open_jobs[:n], open_jobs[n:]
    workers.months_unemployed[new_staff] = 0.0
    return MatchResult(
        movers=movers,
        unemployed_seekers=int(jobless.sum()),
        unemployed_hired=int((hired & jobless).sum()),
        job_changes=int((hired & ~jobless).sum()),
        vacancies=float(open_gap_start),
    )


@numba.njit(cache=True, nogil=True)
def _match_in_order(
    draws, cumulative, domain_bounds, gap, threshold, wage, job_domain, job_id, current,
    domain, own_efficiency, elsewhere, reservation, mobility, headroom, barred, offer_rate,
):  # fmt: skip
    """Seekers, given as arrays in queue order, take their best open offer one after
    another; returns the job each was hired into (-1 if none) and lowers the gaps.
    Job arrays hold the open jobs only; ``job_id`` maps them back to job indices and
    ``domain_bounds`` gives each domain's range among them. ``headroom`` is each
    firm's cash left after its payroll: a hire's pay must fit in it, and lowers it.
    ``barred`` is the firm each seeker may not join this month (-1: none); an
    application brings an offer when its third draw is below ``offer_rate``."""
    hired_into = np.full(domain.size, -1, dtype=np.int64)
    total = cumulative[-1] if cumulative.size else 0.0
    if total <= 0.0:
        return hired_into
    guide = _guide_table(cumulative, total)
    for k in range(domain.size):
        own = domain[k]
        low_own = cumulative[domain_bounds[own] - 1] if domain_bounds[own] > 0 else 0.0
        high_own = cumulative[domain_bounds[own + 1] - 1] if domain_bounds[own + 1] > 0 else 0.0
        best, best_value, best_efficiency = -1, reservation[k], 0.0
        for application in range(draws.shape[0]):
            # Screening first: an application that brings no offer needs no job drawn
            # (every test below only skips the application, so the order is free).
            if draws[application, k, 2] >= offer_rate:
                continue
            if draws[application, k, 0] < mobility:
                low, high = 0.0, total
            else:
                low, high = low_own, high_own
            if high <= low:
                continue
            target = low + draws[application, k, 1] * (high - low)
            job = min(_first_above(cumulative, guide, total, target), cumulative.size - 1)
            if job_id[job] == current[k] or gap[job] < threshold[job]:
                continue
            firm = job_id[job] % headroom.size
            if firm == barred[k]:
                continue
            arriving = own_efficiency[k] if job_domain[job] == own else elsewhere[k]
            value = wage[job] * arriving
            affordable = value <= headroom[firm]
            if value > best_value and gap[job] > 0.5 * arriving and affordable:
                best, best_value, best_efficiency = job, value, arriving
        if best >= 0:
            hired_into[k] = job_id[best]
            gap[best] -= best_efficiency
            headroom[job_id[best] % headroom.size] -= best_value
    return hired_into


@numba.njit(cache=True, nogil=True)
def _guide_table(cumulative, total):
    """Guide table for drawing from a cumulative distribution (Chen and Asau 1974):
    entry ``b`` is the first index whose cumulative weight exceeds ``b / size`` of the
    total, so a search starts next to its answer."""
    size = cumulative.size
    guide = np.empty(size, dtype=np.int64)
    index = 0
    for bucket in range(size):
        edge = bucket * total / size
        while index < size and cumulative[index] <= edge:
            index += 1
        guide[bucket] = index
    return guide


@numba.njit(cache=True, nogil=True)
def _first_above(cumulative, guide, total, target):
    """First index whose cumulative weight exceeds ``target``: the same answer as
    ``np.searchsorted(cumulative, target, side="right")``, in O(1) expected steps."""
    size = cumulative.size
    index = guide[min(int(target / total * size), size - 1)]
    while index > 0 and cumulative[index - 1] > target:  # guards rounding at the edge
        index -= 1
    while index < size and cumulative[index] <= target:
        index += 1
    return index

"""The labour market on hand-built states: counting staff, quits and capped layoffs,
and search and matching with fixed draws (who applies where, the best affordable
offer, reservation wages, movers and their retraining loss)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from sim.agents.firms import Firms
from sim.agents.workers import UNEMPLOYED, Workers
from sim.markets.labour import (
    _first_above,
    _match_in_order,
    count_staff,
    job_index,
    record_separations,
    search_and_match,
    separations,
    start_month,
    vacancy_threshold,
)
from sim.scenario import build_scenario
from tests.fixed_draws import FixedDraws

TOP = 0.999
"""A draw that lands on the last open job of the range searched."""


def labour_rules(**update):
    """The default rules with screening off (every application to an open job brings
    an offer; screening, reservation wages and rehiring bars are tested in
    tests/test_labour_flows.py)."""
    return build_scenario().labour.model_copy(update={"offer_rate": 1.0, **update})


def test_staff_are_counted_by_job_in_efficiency_units_and_heads():
    workers = Workers(np.array([0, 0, 1, UNEMPLOYED, 1]), np.zeros(5), np.ones(5),
                      np.zeros(5, dtype=int), 240.0)  # fmt: skip
    workers.occupation[:] = [0, 1, 0, 0, 0]
    firms = Firms(np.zeros(2, dtype=int), 1)
    count_staff(workers, firms, np.array([1.0, 2.0, 3.0, 4.0, 0.5]))
    np.testing.assert_allclose(firms.labour, [1.0, 3.5])
    np.testing.assert_allclose(firms.oversight, [2.0, 0.0])
    np.testing.assert_array_equal(firms.headcount, [1, 2])
    np.testing.assert_array_equal(firms.oversight_headcount, [1, 0])
    assert firms.headcount.dtype.kind == "i" and firms.oversight_headcount.dtype.kind == "i"
    np.testing.assert_array_equal(job_index(workers, 2, np.arange(5)), [0, 2, 1, -1, 1])


def test_efficiency_recovers_from_the_retraining_penalty():
    """skill x (1 - penalty exp(-months / fade)): a mover with skill 2, penalty 0.4 and
    fade 6 months supplies 1.2 units at once and 2 (1 - 0.4/e) after six months."""
    workers = Workers(np.zeros(2, dtype=int), np.zeros(2), np.full(2, 2.0),
                      np.zeros(2, dtype=int), 0.0)  # fmt: skip
    workers.months_in_sector[1] = 6.0
    np.testing.assert_allclose(workers.efficiency(0.4, 6.0), [1.2, 2.0 * (1 - 0.4 / math.e)])


def one_firm_with(n_workers: int):
    workers = Workers(np.zeros(n_workers, dtype=int), np.zeros(n_workers), np.ones(n_workers),
                      np.zeros(n_workers, dtype=int), 240.0)  # fmt: skip
    firms = Firms(np.zeros(1, dtype=int), 1)
    firms.wage = firms.oversight_wage = np.ones(1)
    firms.cash = np.array([1e9])
    return workers, firms


def test_layoffs_are_capped_and_quits_happen_at_their_rate():
    """20,000 workers of one efficiency unit each, the plan half of them, layoffs capped
    at 25 % a month and no quits: about 25 % are laid off (binomial sampling sd
    sqrt(0.25 x 0.75 / n) = 0.003; 5 sd allowed). With no surplus and a 10 % quit
    rate, about 10 % leave and nobody counts as laid off."""
    n = 20_000
    workers, firms = one_firm_with(n)
    firms.labour_target = np.array([n / 2])
    firms.oversight_target = np.zeros(1)
    rules = labour_rules(quit_rate=0.0, max_layoff_rate=0.25)
    separations(workers, firms, np.ones(n), rules, np.random.default_rng(1))
    left = 1.0 - firms.headcount[0] / n
    assert left == pytest.approx(0.25, abs=5 * math.sqrt(0.25 * 0.75 / n))
    assert firms.laid_off[0]

    workers, firms = one_firm_with(n)
    firms.labour_target = np.array([float(n)])
    firms.oversight_target = np.zeros(1)
    separations(workers, firms, np.ones(n), labour_rules(quit_rate=0.1, max_layoff_rate=0.25),
                np.random.default_rng(2))  # fmt: skip
    left = 1.0 - firms.headcount[0] / n
    assert left == pytest.approx(0.1, abs=5 * math.sqrt(0.1 * 0.9 / n))
    assert not firms.laid_off[0]


def test_a_draw_below_the_layoff_rate_is_a_layoff_and_above_it_is_not():
    for draw, staying in ((0.2, 0), (0.3, 8)):
        workers, firms = one_firm_with(8)
        firms.labour_target, firms.oversight_target = np.array([4.0]), np.zeros(1)
        separations(workers, firms, np.ones(8), labour_rules(quit_rate=0.0, max_layoff_rate=0.25),
                    FixedDraws(draw))  # fmt: skip
        assert firms.headcount[0] == staying


def search_state(wages, cash=1e9, seeker_employer=UNEMPLOYED):
    """Three firms (0 and 1 in sector 0, firm 2 in sector 1), each with one worker of one
    efficiency unit and room for five more at the given wages, and a seeker (worker 3)
    of sector 0 with skill 1."""
    employer = np.array([0, 1, 2, seeker_employer])
    workers = Workers(employer, np.array([0, 0, 1, 0]), np.ones(4), np.arange(4), 240.0)
    firms = Firms(np.array([0, 0, 1]), 1)
    firms.wage = np.array(wages, dtype=float)
    firms.oversight_wage = np.ones(3)
    firms.cash = np.full(3, cash, dtype=float)
    efficiency = np.ones(4)
    count_staff(workers, firms, efficiency)
    firms.labour_target = firms.labour + 5.0
    firms.oversight_target = np.zeros(3)
    return workers, firms, efficiency, np.array([0, 2, 3])


def test_a_seeker_without_mobility_takes_a_job_in_its_own_sector():
    workers, firms, efficiency, bounds = search_state([1.0, 2.0, 3.0])
    rules = labour_rules(mobility=0.0, on_the_job_search=0.0, retraining_penalty=0.5)
    movers = search_and_match(workers, firms, efficiency, bounds, rules, FixedDraws(TOP)).movers
    assert workers.employer[3] == 1 and workers.sector[3] == 0
    assert movers.size == 0
    np.testing.assert_array_equal(firms.headcount, [1, 2, 1])
    np.testing.assert_allclose(firms.vacancies, [5.0, 4.0, 5.0])
    assert firms.unfilled.all()


def test_a_mover_arrives_with_the_retraining_loss_and_restarts_its_clock():
    """With mobility 1 the top draw lands on firm 2 of the other sector: the seeker moves,
    supplies skill x (1 - 0.5) = 0.5 units there, and its months in sector restart."""
    workers, firms, efficiency, bounds = search_state([1.0, 2.0, 3.0])
    rules = labour_rules(mobility=1.0, on_the_job_search=0.0, retraining_penalty=0.5)
    movers = search_and_match(workers, firms, efficiency, bounds, rules, FixedDraws(TOP)).movers
    np.testing.assert_array_equal(movers, [3])
    assert workers.employer[3] == 2 and workers.sector[3] == 1
    assert workers.months_in_sector[3] == 0.0
    assert efficiency[3] == pytest.approx(0.5)
    assert firms.labour[2] == pytest.approx(1.5)


def test_a_firm_hires_only_if_its_cash_covers_the_new_pay():
    """Firm 1 pays its one worker 2 and would pay the seeker 2 more: with cash 3.9 it
    cannot (it needs 4), with cash 4 it can."""
    for cash, hired in ((3.9, False), (4.0, True)):
        workers, firms, efficiency, bounds = search_state([1.0, 2.0, 3.0])
        firms.cash[1] = cash
        rules = labour_rules(mobility=0.0, on_the_job_search=0.0)
        search_and_match(workers, firms, efficiency, bounds, rules, FixedDraws(TOP))
        assert bool(workers.employer[3] == 1) is hired


def test_an_employed_seeker_moves_only_for_the_switch_premium():
    """The seeker works at firm 0 for 1.0 and searches on the job; firm 1 offers 1.05,
    less than the 10 % premium it needs, then 1.2, more."""
    for offer, employer in ((1.05, 0), (1.2, 1)):
        workers, firms, efficiency, bounds = search_state([1.0, offer, 3.0], seeker_employer=0)
        rules = labour_rules(mobility=0.0, on_the_job_search=1.0, switch_premium=0.1)
        search_and_match(workers, firms, efficiency, bounds, rules, FixedDraws(TOP))
        assert workers.employer[3] == employer


def test_a_job_whose_gap_is_exactly_its_threshold_is_still_open():
    """Firm 1's gap is 0.5 units, exactly its vacancy threshold (half its one worker);
    a seeker of 0.8 units fills it, since more than half of her is still needed."""
    workers, firms, efficiency, bounds = search_state([1.0, 2.0, 3.0])
    workers.skill[3] = efficiency[3] = 0.8
    firms.labour_target[1] = firms.labour[1] + 0.5
    search_and_match(workers, firms, efficiency, bounds, labour_rules(mobility=0.0,
                     on_the_job_search=0.0), FixedDraws(TOP))  # fmt: skip
    assert workers.employer[3] == 1


def test_a_quit_needs_a_draw_strictly_in_the_top_quit_rate():
    """Quit rate 0.25: a draw of exactly 1 - 0.25 is not a quit, a draw above it is."""
    for draw, staying in ((0.75, 8), (0.76, 0)):
        workers, firms = one_firm_with(8)
        firms.labour_target, firms.oversight_target = np.array([8.0]), np.zeros(1)
        separations(workers, firms, np.ones(8), labour_rules(quit_rate=0.25, max_layoff_rate=0.0),
                    FixedDraws(draw))  # fmt: skip
        assert firms.headcount[0] == staying


def test_an_own_domain_application_draws_within_that_domains_weights():
    """Two open jobs, one per domain, with cumulative weights 0.3 (domain 0) and 0.7
    (domain 1): total weight below one still makes a market. A seeker of domain 1 who
    applies in her own domain (draw 0.9 >= mobility 0) with uniform draw 0.2 targets
    0.3 + 0.2 x (0.7 - 0.3) = 0.38 in the cumulative weights: the job of domain 1. She
    is hired there at wage 1 x efficiency 1, filling its gap and using its headroom."""
    gap, headroom = np.array([1.0, 1.0]), np.array([10.0, 10.0])
    hired = _match_in_order(
        np.array([[[0.9, 0.2, 0.0]]]), np.array([0.3, 0.7]), np.array([0, 1, 2]), gap,
        np.zeros(2), np.ones(2), np.array([0, 1]), np.array([0, 1]), np.array([-1]),
        np.array([1]), np.ones(1), np.ones(1), np.zeros(1), 0.0, headroom,
        np.array([-1]), 1.0,
    )  # fmt: skip
    np.testing.assert_array_equal(hired, [1])
    np.testing.assert_array_equal(gap, [1.0, 0.0])
    np.testing.assert_array_equal(headroom, [10.0, 9.0])


def test_only_workers_who_lost_their_job_are_recorded_as_separated():
    """Before: firms 0, 2, none, 1, 0; after: 0 (stays), none (lost it), none, 0 (moved
    from firm 1 to firm 0), 0 (stays). Only worker 1 separated: she records firm 2, her
    last pay and a fresh spell; the others keep their records."""
    workers = Workers(np.array([0, -1, -1, 0, 0]), np.zeros(5), np.ones(5), np.arange(5), 240.0)
    workers.wage = np.array([1.0, 2.0, 0.0, 4.0, 5.0])
    workers.months_unemployed[:] = 3.0
    count = record_separations(workers, np.array([0, 2, -1, 1, 0]))
    assert count == 1
    np.testing.assert_array_equal(workers.separated_from, [-1, 2, -1, -1, -1])
    np.testing.assert_array_equal(workers.last_wage, [0.0, 2.0, 0.0, 0.0, 0.0])
    np.testing.assert_array_equal(workers.months_unemployed, [3.0, 0.0, 3.0, 3.0, 3.0])


class GivenDraws(FixedDraws):
    """Fixed draws, except that the one draw per worker (quits and layoffs, on-the-job
    search) is the given array."""

    def __init__(self, per_worker, value: float = TOP) -> None:
        super().__init__(value)
        self.per_worker = np.asarray(per_worker, dtype=float)

    def random(self, size=None, dtype=np.float64):
        if isinstance(size, int | np.integer) and size == self.per_worker.size:
            return self.per_worker.copy()
        return super().random(size, dtype)


# ------------------------------------------------------------------ separations


@pytest.mark.parametrize(
    ("target", "cap", "draw", "staying"),
    [
        (8.0, 0.25, 0.1, 8),  # no surplus: no layoff, however low the draw
        (4.0, 1.0, 0.6, 8),  # surplus 4 of 8: rate 0.5, a draw of 0.6 keeps everyone
        (4.0, 1.0, 0.4, 0),  # ... and a draw of 0.4 lays everyone off
    ],
)
def test_the_layoff_rate_is_the_surplus_share_of_staff(target, cap, draw, staying):
    """``min(surplus / staff, cap)`` with surplus ``max(staff - plan, 0)``: 8 workers
    of one unit, no quits, a firm whose cash covers its payroll."""
    workers, firms = one_firm_with(8)
    firms.labour_target, firms.oversight_target = np.array([target]), np.zeros(1)
    separations(workers, firms, np.ones(8), labour_rules(quit_rate=0.0, max_layoff_rate=cap),
                FixedDraws(draw))  # fmt: skip
    assert firms.headcount[0] == staying
    assert bool(firms.laid_off[0]) is (staying < 8)
    assert (workers.employer == UNEMPLOYED).sum() == 8 - staying


def test_a_job_without_staff_lays_nobody_off_and_numpy_says_nothing():
    """The firm's oversight job has no staff and no plan: its layoff rate is 0, not
    0 / 0, and no floating-point warning is raised; production (8 of a plan of 8)
    loses nobody either."""
    workers, firms = one_firm_with(8)
    firms.labour_target, firms.oversight_target = np.array([8.0]), np.zeros(1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        separations(workers, firms, np.ones(8), labour_rules(quit_rate=0.0),
                    FixedDraws(0.0))  # fmt: skip
    assert firms.headcount[0] == 8 and not firms.laid_off.any()
    assert not firms.oversight_laid_off.any()


def test_a_lone_worker_of_one_unit_can_be_laid_off():
    """Staff of exactly one unit and a plan of none: the rate is 1 / 1 = 1 (capped at
    1), so a draw of 0.5 lays her off; she becomes unemployed (employer -1)."""
    workers, firms = one_firm_with(1)
    firms.labour_target, firms.oversight_target = np.zeros(1), np.zeros(1)
    separations(workers, firms, np.ones(1), labour_rules(quit_rate=0.0, max_layoff_rate=1.0),
                FixedDraws(0.5))  # fmt: skip
    np.testing.assert_array_equal(workers.employer, [UNEMPLOYED])
    assert firms.laid_off[0] and firms.headcount[0] == 0


def test_a_firm_whose_cash_exactly_covers_its_payroll_is_not_distressed():
    """Cash 8 = payroll 8 x 1: layoffs stay capped (25 %, draw 0.5: none), rather than
    cutting at once to the plan of 4."""
    workers, firms = one_firm_with(8)
    firms.cash = np.array([8.0])
    firms.labour_target, firms.oversight_target = np.array([4.0]), np.zeros(1)
    separations(workers, firms, np.ones(8), labour_rules(quit_rate=0.0, max_layoff_rate=0.25),
                FixedDraws(0.5))  # fmt: skip
    assert firms.headcount[0] == 8


def test_a_distressed_firm_cuts_its_excess_after_quits_in_draw_order():
    """Cash 0 against a payroll of 4: distressed, excess 4 - 2 = 2 units. Worker 0's
    draw 0.95 is in the top 10 % (a quit), leaving an excess of 1; the others wait in
    the order of their draws, 0.1 (worker 2), 0.2 (worker 3), 0.3 (worker 1): worker 2
    is laid off and the excess is gone. A distressed firm already at its plan (2 of 2)
    lays nobody off."""
    workers, firms = one_firm_with(4)
    firms.cash = np.zeros(1)
    firms.labour_target, firms.oversight_target = np.array([2.0]), np.zeros(1)
    separations(workers, firms, np.ones(4), labour_rules(quit_rate=0.1, max_layoff_rate=0.25),
                GivenDraws([0.95, 0.3, 0.1, 0.2]))  # fmt: skip
    np.testing.assert_array_equal(workers.employer, [UNEMPLOYED, 0, UNEMPLOYED, 0])
    assert firms.laid_off[0] and firms.headcount[0] == 2

    workers, firms = one_firm_with(2)
    firms.cash = np.zeros(1)
    firms.labour_target, firms.oversight_target = np.array([2.0]), np.zeros(1)
    separations(workers, firms, np.ones(2), labour_rules(quit_rate=0.0, max_layoff_rate=0.25),
                FixedDraws(0.5))  # fmt: skip
    assert firms.headcount[0] == 2 and not firms.laid_off[0]


def test_every_separation_is_counted():
    """Workers 1 and 2 lost their jobs (firms 2 and 3): two separations."""
    workers = Workers(np.array([0, -1, -1]), np.zeros(3), np.ones(3), np.arange(3), 240.0)
    assert record_separations(workers, np.array([0, 2, 3])) == 2
    np.testing.assert_array_equal(workers.separated_from, [-1, 2, 3])


def test_a_new_month_lengthens_spells_and_lifts_rehiring_bars():
    """Employers 0, none, 2, none: the two unemployed spells grow by one month (2 -> 3,
    0.5 -> 1.5), the employed keep theirs, every bar is lifted (-1) and two are
    employed (worker 0 works for firm 0, which counts as employed)."""
    workers = Workers(np.array([0, -1, 2, -1]), np.zeros(4), np.ones(4), np.arange(4), 240.0)
    workers.months_unemployed = np.array([0.0, 2.0, 0.0, 0.5])
    workers.separated_from = np.array([1, 0, -1, 3], dtype=np.int32)
    assert start_month(workers) == 2
    np.testing.assert_array_equal(workers.months_unemployed, [0.0, 3.0, 0.0, 1.5])
    np.testing.assert_array_equal(workers.separated_from, UNEMPLOYED)


def test_the_vacancy_threshold_is_half_an_average_worker_at_least_a_quarter_unit():
    """Average workers of 4 / 2 = 2 and 3 / 1 = 3 units: thresholds 1 and 1.5; no staff,
    or workers of 0.25 units on average: a quarter unit."""
    np.testing.assert_allclose(
        vacancy_threshold(np.array([4.0, 3.0, 0.0, 1.0]), np.array([2, 1, 0, 4])),
        [1.0, 1.5, 0.25, 0.25], rtol=1e-12,
    )  # fmt: skip


# ------------------------------------------------------------------ search and matching


def test_oversight_seekers_are_hired_into_oversight_jobs_of_their_sector():
    """Two sectors (firm 0 in sector 0, firm 1 in sector 1), so four domains: production
    0, 1 and oversight 2, 3. Only firm 1's oversight job is open (3 units). The seeker
    (worker 2) is an unemployed overseer of sector 1, domain 3, of skill 2; with no
    mobility she applies in her own domain only and is hired there: firm 1, occupation
    1, not a mover, her two units now in firm 1's oversight staff (1 + 2) and one unit
    still vacant."""
    workers = Workers(np.array([0, 1, UNEMPLOYED]), np.array([0, 1, 1]),
                      np.array([1.0, 1.0, 2.0]), np.arange(3), 240.0)  # fmt: skip
    workers.occupation[:] = [0, 1, 1]
    firms = Firms(np.array([0, 1]), 1)
    firms.wage = firms.oversight_wage = np.ones(2)
    firms.cash = np.full(2, 1e9)
    efficiency = np.array([1.0, 1.0, 2.0])
    count_staff(workers, firms, efficiency)
    firms.labour_target = firms.labour.copy()
    firms.oversight_target = firms.oversight + np.array([0.0, 3.0])
    result = search_and_match(workers, firms, efficiency, np.array([0, 1, 2]),
                              labour_rules(mobility=0.0, on_the_job_search=0.0),
                              FixedDraws(0.5))  # fmt: skip
    assert (workers.employer[2], workers.occupation[2], workers.sector[2]) == (1, 1, 1)
    assert result.movers.size == 0 and efficiency[2] == 2.0
    np.testing.assert_allclose(firms.oversight, [0.0, 3.0])
    np.testing.assert_allclose(firms.oversight_vacancies, [0.0, 1.0])


def test_the_month_s_counts_of_seekers_hires_and_job_changes():
    """Everyone searches (on-the-job search 1) and, with no mobility and the top draw,
    applies to the last open job of her sector: firm 1 (wage 2) in sector 0, firm 2 in
    sector 1. Worker 0 (at firm 0, wage 1) moves up: a job change. Workers 1 and 2
    draw their own employer: they stay. Unemployed workers 3 and 5 (no last pay) are
    hired at firm 1; unemployed worker 4 asks at least 100 (1 - 0.1)^1 = 90 and is
    not. Vacancies open at the start: 5 units at each of the three firms."""
    employer = np.array([0, 1, 2, UNEMPLOYED, UNEMPLOYED, UNEMPLOYED])
    workers = Workers(employer, np.array([0, 0, 1, 0, 0, 0]), np.ones(6), np.arange(6), 240.0)
    workers.last_wage[4] = 100.0
    firms = Firms(np.array([0, 0, 1]), 1)
    firms.wage = np.array([1.0, 2.0, 3.0])
    firms.oversight_wage = np.ones(3)
    firms.cash = np.full(3, 1e9)
    efficiency = np.ones(6)
    count_staff(workers, firms, efficiency)
    firms.labour_target = firms.labour + 5.0
    firms.oversight_target = np.zeros(3)
    rules = labour_rules(mobility=0.0, on_the_job_search=1.0, reservation_decline=0.1)
    result = search_and_match(workers, firms, efficiency, np.array([0, 2, 3]), rules,
                              FixedDraws(TOP))  # fmt: skip
    np.testing.assert_array_equal(workers.employer, [1, 1, 2, 1, UNEMPLOYED, 1])
    assert result.unemployed_seekers == 3
    assert result.unemployed_hired == 2
    assert result.job_changes == 1
    assert result.vacancies == pytest.approx(15.0)


def test_each_worker_draws_whether_she_searches_on_the_job():
    """On-the-job search 0.5: worker 0's own draw (0.1) makes her search and she moves
    from firm 0 (wage 1) to firm 1 (wage 2); the others' draws (0.9) keep them from
    searching."""
    workers, firms, efficiency, bounds = search_state([1.0, 2.0, 3.0], seeker_employer=0)
    rules = labour_rules(mobility=0.0, on_the_job_search=0.5)
    search_and_match(workers, firms, efficiency, bounds, rules,
                     GivenDraws([0.1, 0.9, 0.9, 0.9]))  # fmt: skip
    np.testing.assert_array_equal(workers.employer, [1, 1, 2, 0])


def test_an_employed_seeker_s_reservation_is_her_pay_in_efficiency_units():
    """The seeker (2 units) earns 1 x 2 = 2 at firm 0 and needs 10 % more, 2.2; firm 1's
    1.05 a unit pays her 2.1: she stays."""
    workers, firms, efficiency, bounds = search_state([1.0, 1.05, 3.0], seeker_employer=0)
    efficiency[3] = 2.0
    rules = labour_rules(mobility=0.0, on_the_job_search=1.0, switch_premium=0.1)
    search_and_match(workers, firms, efficiency, bounds, rules, FixedDraws(TOP))
    assert workers.employer[3] == 0


def test_a_firm_with_less_than_a_dollar_hires_only_what_it_can_pay():
    """A firm with no staff and a plan of 5 units offers 0.8 a unit: with cash 0.5 it
    cannot pay the seeker (headroom 0.5), with 0.8 it can."""
    for cash, hired in ((0.5, False), (0.8, True)):
        workers = Workers(np.array([UNEMPLOYED]), np.zeros(1), np.ones(1), np.zeros(1, int),
                          240.0)  # fmt: skip
        firms = Firms(np.zeros(1, dtype=int), 1)
        firms.wage, firms.oversight_wage = np.array([0.8]), np.ones(1)
        firms.cash = np.array([cash])
        firms.labour_target, firms.oversight_target = np.array([5.0]), np.zeros(1)
        search_and_match(workers, firms, np.ones(1), np.array([0, 1]),
                         labour_rules(mobility=0.0), FixedDraws(0.5))  # fmt: skip
        assert bool(workers.employer[0] == 0) is hired


def test_a_job_left_exactly_at_its_threshold_counts_as_unfilled():
    """Nobody searches. Firm 1's gap is 0.5, exactly its threshold (half its one worker):
    still unfilled; firm 2 is at its plan: filled; firm 0 has 5 open units."""
    workers, firms, efficiency, bounds = search_state([1.0, 2.0, 3.0], seeker_employer=0)
    firms.labour_target = firms.labour + np.array([5.0, 0.5, 0.0])
    result = search_and_match(workers, firms, efficiency, bounds,
                              labour_rules(on_the_job_search=0.0), FixedDraws(TOP))  # fmt: skip
    np.testing.assert_array_equal(firms.unfilled, [True, True, False])
    assert result.vacancies == pytest.approx(5.5)


def test_a_market_without_open_jobs_hires_nobody_and_reports_no_vacancies():
    """Every firm at its plan, one unemployed seeker who may look anywhere."""
    workers, firms, efficiency, bounds = search_state([1.0, 2.0, 3.0])
    firms.labour_target = firms.labour.copy()
    result = search_and_match(workers, firms, efficiency, bounds,
                              labour_rules(mobility=1.0, on_the_job_search=0.0),
                              FixedDraws(0.5))  # fmt: skip
    assert workers.employer[3] == UNEMPLOYED
    assert result.vacancies == 0.0 and result.unemployed_hired == 0


def match(applications, gap, job_domain, n_domains, *, domain=0, mobility=0.0, threshold=None,
          own=1.0, elsewhere=1.0, reservation=0.0, barred=-1, offer_rate=1.0):  # fmt: skip
    """One seeker (unemployed, domain ``domain``) and open jobs of one firm each, wage 1,
    listed by domain; each application is (mobility draw, position draw, offer draw).
    Returns the job she is hired into (-1: none), the gaps and the firms' headroom."""
    gap = np.array(gap, dtype=float)
    n = gap.size
    job_domain = np.array(job_domain)
    bounds = np.searchsorted(job_domain, np.arange(n_domains + 1))
    threshold = np.full(n, 0.25) if threshold is None else np.array(threshold, dtype=float)
    headroom = np.full(n, 100.0)
    hired = _match_in_order(
        np.array(applications, dtype=float).reshape(-1, 1, 3), np.cumsum(gap), bounds, gap,
        threshold, np.ones(n), job_domain, np.arange(n), np.array([-1]), np.array([domain]),
        np.array([own]), np.array([elsewhere]), np.array([reservation]), mobility, headroom,
        np.array([barred]), offer_rate,
    )  # fmt: skip
    return hired[0], gap, headroom


def test_an_application_lands_where_its_draw_falls_in_the_cumulative_gaps():
    """Gaps 1 and 5 in domain 0 (cumulative 1, 6): a position draw of 0 targets 0, the
    first job; so does a search anywhere (mobility 1) from domain 1's seeker, whose
    own domain is empty."""
    assert match([[0.5, 0.0, 0.0]], [1.0, 5.0], [0, 0], 1)[0] == 0
    assert match([[0.5, 0.0, 0.0]], [1.0, 5.0], [0, 0], 2, domain=1, mobility=1.0)[0] == 0


def test_the_mobility_draw_alone_decides_where_an_application_goes():
    """Mobility 0.5; applications (0.9, 0.2, 0): the first draw keeps the seeker of
    domain 1 at home, where 0.2 of her domain's range (cumulative 1 to 2) is 1.2: job 1.
    Had the second draw decided, she would have searched anywhere and hit job 0."""
    assert match([[0.9, 0.2, 0.0]], [1.0, 1.0], [0, 1], 2, domain=1, mobility=0.5)[0] == 1


def test_an_own_domain_draw_stays_within_the_domain_s_range():
    """Three domains with gaps 0.3, 0.4, 0.8 (cumulative 0.3, 0.7, 1.5): the seeker of
    domain 1 (half a unit) with position draw 0.9 targets 0.3 + 0.9 x 0.4 = 0.66,
    inside her domain: job 1."""
    hired, _, _ = match([[0.9, 0.9, 0.0]], [0.3, 0.4, 0.8], [0, 1, 2], 3, domain=1,
                        own=0.5, elsewhere=0.5)  # fmt: skip
    assert hired == 1


def test_a_draw_rounded_onto_the_top_of_the_range_takes_the_last_job():
    """Gaps 1 and 0.2 (cumulative 1, 1.2); the largest draw below one,
    1 - 2^-53, in domain 1's range gives 1 + (1 - 2^-53) x 0.2, which rounds to 1.2
    itself: no cumulative weight exceeds it, and the last job (1) is taken."""
    top = np.nextafter(1.0, 0.0)
    assert 1.0 + top * (1.2 - 1.0) >= 1.2  # the rounding this test is about
    hired, _, _ = match([[0.9, top, 0.0]], [1.0, 0.2], [0, 1], 2, domain=1, own=0.3,
                        threshold=[0.1, 0.1])  # fmt: skip
    assert hired == 1


@pytest.mark.parametrize(
    "skip",
    ["below_threshold", "no_offer", "barred", "own_domain_empty"],
)
def test_a_skipped_application_does_not_end_the_search(skip):
    """Two jobs in domain 0 (gaps 1 and 1); the first application (position 0.25 ->
    job 0) is skipped, the second (position 0.75 -> job 1) succeeds: because job 0's
    gap is below its threshold (2), or the offer draw 0.9 is above the offer rate 0.5,
    or the seeker is barred from firm 0; or (seeker of domain 1, mobility 0.5) because
    the first application stays in her empty domain and the second goes anywhere."""
    first, second = [0.9, 0.25, 0.0], [0.9, 0.75, 0.0]
    kwargs = {}
    if skip == "below_threshold":
        kwargs["threshold"] = [2.0, 0.25]
    elif skip == "no_offer":
        first[2], kwargs["offer_rate"] = 0.9, 0.5
    elif skip == "barred":
        kwargs["barred"] = 0
    else:
        second[0] = 0.1
        kwargs.update(domain=1, mobility=0.5)
    n_domains = 2 if skip == "own_domain_empty" else 1
    assert match([first, second], [1.0, 1.0], [0, 0], n_domains, **kwargs)[0] == 1


def test_a_barred_firm_makes_no_offer_whatever_its_index():
    """The seeker may not rejoin firm 1: her only application, to firm 1, is refused."""
    assert match([[0.9, 0.75, 0.0]], [1.0, 1.0], [0, 0], 1, barred=1)[0] == -1


def test_a_closed_job_is_skipped_even_if_more_than_half_the_worker_fits():
    """Gap 0.6 below the threshold 1 (a job whose average worker has 2 units): no offer,
    although 0.6 exceeds half of the seeker's one unit."""
    assert match([[0.9, 0.5, 0.0]], [0.6], [0], 1, threshold=[1.0])[0] == -1


def test_a_mover_is_valued_and_counted_at_her_retrained_efficiency():
    """The seeker of domain 1 (1 unit at home, 0.5 after retraining) applies anywhere
    (mobility 1) to the one job, in domain 0: it pays 1 x 0.5 = 0.5, above her
    reservation 0.4, and closes 0.5 of its gap (1 -> 0.5), taking 0.5 of headroom.
    At a reservation of 0.7 she would not take it."""
    hired, gap, headroom = match([[0.5, 0.5, 0.0]], [1.0], [0], 2, domain=1, mobility=1.0,
                                 elsewhere=0.5, reservation=0.4)  # fmt: skip
    assert hired == 0
    np.testing.assert_allclose(gap, [0.5])
    np.testing.assert_allclose(headroom, [99.5])
    assert match([[0.5, 0.5, 0.0]], [1.0], [0], 2, domain=1, mobility=1.0, elsewhere=0.5,
                 reservation=0.7)[0] == -1  # fmt: skip


def test_a_job_is_filled_only_while_more_than_half_the_worker_is_needed():
    """docs/model.md (matching): the remaining gap must exceed half of the arriving
    worker's units. Gap 0.5 for a worker of one unit: not hired; 0.51: hired."""
    assert match([[0.9, 0.5, 0.0]], [0.5], [0], 1)[0] == -1
    assert match([[0.9, 0.5, 0.0]], [0.51], [0], 1)[0] == 0


@pytest.mark.parametrize("start", range(5))
def test_the_search_finds_the_first_weight_above_the_target_from_any_start(start):
    """Whatever entry of the guide table a search starts from (rounding can place it
    on either side of the answer), it returns the first cumulative weight above the
    target, ``searchsorted(..., side="right")``."""
    cumulative = np.array([0.5, 1.0, 2.5, 4.0])
    guide = np.full(4, start)
    for target in (0.0, 0.25, 0.5, 0.99, 1.0, 2.0, 3.999):
        expected = int(np.searchsorted(cumulative, target, side="right"))
        assert _first_above(cumulative, guide, 4.0, target) == expected, target

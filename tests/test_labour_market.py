"""The labour market on hand-built states: counting staff, quits and capped layoffs,
and search and matching with fixed draws (who applies where, the best affordable
offer, reservation wages, movers and their retraining loss)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.agents.firms import Firms
from sim.agents.workers import UNEMPLOYED, Workers
from sim.markets.labour import (
    _match_in_order,
    count_staff,
    job_index,
    record_separations,
    search_and_match,
    separations,
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
    firms = Firms(np.zeros(2, dtype=int), 1, np.random.default_rng(0))
    count_staff(workers, firms, np.array([1.0, 2.0, 3.0, 4.0, 0.5]))
    np.testing.assert_allclose(firms.labour, [1.0, 3.5])
    np.testing.assert_allclose(firms.oversight, [2.0, 0.0])
    np.testing.assert_array_equal(firms.headcount, [1, 2])
    np.testing.assert_array_equal(firms.oversight_headcount, [1, 0])
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
    firms = Firms(np.zeros(1, dtype=int), 1, np.random.default_rng(0))
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
    firms = Firms(np.array([0, 0, 1]), 1, np.random.default_rng(0))
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

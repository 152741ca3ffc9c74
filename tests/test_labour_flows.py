"""Labour-market frictions on hand-built states (screening, reservation wages falling
with unemployment, no same-month rehire) and unemployment benefits, plus the flows
of a model run."""

from __future__ import annotations

import numpy as np
import pytest

from sim.agents.firms import Firms
from sim.agents.workers import UNEMPLOYED, Workers
from sim.markets.labour import search_and_match
from sim.scenario.schema import LabourConfig
from tests.conftest import small_model
from tests.fixed_draws import FixedDraws

RULES = LabourConfig(
    applications=1, offer_rate=1.0, reservation_decline=0.1, mobility=0.0, on_the_job_search=0.0
)


def one_vacancy(months_unemployed: float, separated_from: int = UNEMPLOYED):
    """One unemployed worker (last pay 100, efficiency 1) and one firm paying 90 per
    efficiency unit with 5 units to fill and ample cash."""
    workers = Workers(np.array([UNEMPLOYED]), np.zeros(1), np.ones(1), np.zeros(1, int), 240.0)
    workers.last_wage[:] = 100.0
    workers.months_unemployed[:] = months_unemployed
    workers.separated_from[:] = separated_from
    firms = Firms(np.zeros(1, dtype=int), 1, np.random.default_rng(0))
    firms.wage[:] = 90.0
    firms.labour_target[:] = 5.0
    firms.cash[:] = 1e6
    return workers, firms


def hired(workers, firms, rules=RULES, draw=0.5) -> bool:
    search_and_match(workers, firms, np.ones(1), np.array([0, 1]), rules, FixedDraws(draw))
    return bool(workers.employer[0] == 0)


def test_reservation_wage_falls_with_unemployment_duration():
    """w_R = 100 x 0.9^(d + 1), the month of the job loss counted: in that month (d = 0)
    the reservation wage is 90, and an offer of 90 is not above it; a month later it
    is 81 and she accepts."""
    for months, accepts in ((0, False), (1, True)):
        workers, firms = one_vacancy(months)
        assert hired(workers, firms) is accepts, months
    assert workers.months_unemployed[0] == 0.0  # reset on hiring


def test_the_firm_a_worker_left_this_month_does_not_rehire_her():
    workers, firms = one_vacancy(5, separated_from=0)
    assert not hired(workers, firms)
    workers.separated_from[0] = UNEMPLOYED  # next month she may come back
    assert hired(workers, firms)
    workers, firms = one_vacancy(5, separated_from=0)  # and without the rule at once
    assert hired(workers, firms, RULES.model_copy(update={"no_same_month_rehire": False}))


def test_an_application_brings_an_offer_with_probability_offer_rate():
    """The offer draw is 0.5: an offer rate of 0.4 gives no offer, 0.6 gives one."""
    for rate, accepts in ((0.4, False), (0.6, True)):
        workers, firms = one_vacancy(5)
        assert hired(workers, firms, RULES.model_copy(update={"offer_rate": rate})) is accepts


def test_benefits_replace_a_share_of_last_pay_for_the_first_months():
    """Replacement 0.4 for 6 months: workers unemployed 0 and 5 months get 0.4 x their
    last pay; one unemployed 6 months gets nothing; the money comes from the government."""
    model = small_model(**{"benefits.replacement_rate": 0.4, "benefits.duration_months": 6.0})
    workers, government, households = model.workers, model.government, model.households
    workers.employer[:] = 0
    workers.employer[:3] = UNEMPLOYED
    workers.months_unemployed[:3] = [0.0, 5.0, 6.0]
    workers.last_wage[:3] = [1000.0, 2000.0, 3000.0]
    cash_before = households.cash.copy()
    government_before = government.cash[0]
    by_household = model._pay_benefits()
    assert government.benefits == pytest.approx(0.4 * 3000.0)
    assert government.cash[0] == pytest.approx(government_before - 1200.0)
    expected = np.zeros(len(households))
    np.add.at(expected, workers.household[:2], [400.0, 800.0])
    np.testing.assert_allclose(by_household, expected)
    np.testing.assert_allclose(households.cash - cash_before, expected, atol=1e-9)


def test_flows_of_a_run_are_rates_and_nobody_is_rehired_by_the_firm_she_left():
    model = small_model()
    workers = model.workers
    for _ in range(24):
        model.step()
        left = workers.separated_from >= 0
        assert not (workers.employer[left] == workers.separated_from[left]).any()
        for name in ("job_finding_rate", "separation_rate", "vacancy_rate",
                     "long_term_unemployment_share"):  # fmt: skip
            assert 0.0 <= model.report[name] <= 1.0
    frame = model.results().iloc[12:]
    assert frame["job_finding_rate"].mean() < 0.9  # frictions bind (was about 0.9 without)
    assert frame["separation_rate"].mean() > 0.01

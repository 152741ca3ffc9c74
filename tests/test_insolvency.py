"""Insolvency and exit: pro-rata wages when cash falls short, then liquidation, the
entrant funded by owners, and money conserved through it all.

In the model's own month a firm almost never reaches payday short of cash: it scales
its plan to its cash and, when distressed, lays off down to that plan first. So the
end-to-end test gives one firm a cash shock (a transfer to another firm, which keeps
money conserved) just before wages are paid, and follows it through the month.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import sim.model
from sim.agents.firms import Firms
from sim.agents.workers import UNEMPLOYED, Workers
from sim.markets.labour import pay_wages
from tests.conftest import small_model


def test_a_firm_short_of_cash_pays_every_employee_the_same_fraction():
    """Firm 0 owes 2 x (1 + 1 + 2) = 8 in production wages and 4 x 1 = 4 for oversight,
    12 in all, and holds 3: each employee gets a quarter of their wage and the firm is
    left with nothing. Firm 1 owes 2 x 1.5 = 3 of its 10 and pays in full. Households:
    workers 0, 1 and the unemployed 5 live in household 0, the others in household 1."""
    employer = np.array([0, 0, 0, 0, 1, UNEMPLOYED])
    workers = Workers(employer, np.zeros(6), np.ones(6), np.array([0, 0, 1, 1, 1, 0]), 240.0)
    workers.occupation[3] = 1
    workers.wage[:] = 99.0  # stale: every wage is set afresh, the unemployed's to 0
    efficiency = np.array([1.0, 1.0, 2.0, 1.0, 1.5, 1.0])
    firms = Firms(np.zeros(2, dtype=int), 1)
    firms.wage = np.array([2.0, 2.0])
    firms.oversight_wage = np.array([4.0, 4.0])
    firms.cash = np.array([3.0, 10.0])
    household_cash = np.array([100.0, 200.0])

    by_household, insolvent = pay_wages(workers, firms, household_cash, efficiency)

    np.testing.assert_allclose(workers.wage, [0.5, 0.5, 1.0, 1.0, 3.0, 0.0], rtol=1e-12)
    np.testing.assert_array_equal(insolvent, [True, False])
    np.testing.assert_allclose(firms.cash, [0.0, 7.0], atol=1e-12)
    np.testing.assert_allclose(firms.wage_bill, [3.0, 3.0], rtol=1e-12)
    np.testing.assert_allclose(firms.oversight_bill, [1.0, 0.0], rtol=1e-12)
    np.testing.assert_allclose(by_household, [1.0, 5.0], rtol=1e-12)
    np.testing.assert_allclose(household_cash, [101.0, 205.0], rtol=1e-12)


def test_a_firm_with_exactly_enough_cash_is_solvent():
    workers = Workers(np.array([0]), np.zeros(1), np.ones(1), np.zeros(1, dtype=int), 240.0)
    firms = Firms(np.zeros(1, dtype=int), 1)
    firms.wage, firms.cash = np.array([2.5]), np.array([2.5])
    _, insolvent = pay_wages(workers, firms, np.zeros(1), np.ones(1))
    assert not insolvent[0]
    assert workers.wage[0] == 2.5 and firms.cash[0] == 0.0


def test_an_insolvent_firm_exits_and_an_entrant_takes_its_place(monkeypatch):
    """Month 1 of a small economy: just before payday firm k hands 95 % of its cash to
    firm j. Then k pays each employee cash/owed of their wage, is counted insolvent,
    pays no dividend, is liquidated (its workers lose their jobs, its cash goes to the
    owners), and an entrant of the same sector starts in its place with cash raised
    from the owners: entry_size x cash_buffer_months x the mean monthly cost of the
    sector's active firms. Credit is off (no bank takes a share of the cash) and
    entry is made certain (``entry_sensitivity`` 100: the chance of entry into an
    empty slot is min(1, 100 x the sector's markup)). Money is conserved to 1e-9
    throughout."""
    model = small_model(**{"credit.enabled": False, "credit.entry_sensitivity": 100.0})
    firms, workers = model.firms, model.workers
    k = int(np.argmax(firms.headcount))
    j = (k + 1) % len(firms)
    real_pay_wages = sim.model.pay_wages
    seen = {}

    def pay_after_a_cash_shock(workers_, firms_, household_cash, efficiency):
        shock = 0.95 * firms_.cash[k]
        firms_.cash[k] -= shock
        firms_.cash[j] += shock
        staff = np.flatnonzero(workers_.employer == k)
        job_wage = np.where(workers_.occupation[staff] == 1, firms_.oversight_wage[k],
                            firms_.wage[k])  # fmt: skip
        owed = job_wage * efficiency[staff]
        seen.update(staff=staff, owed=owed, ratio=firms_.cash[k] / owed.sum())
        return real_pay_wages(workers_, firms_, household_cash, efficiency)

    monkeypatch.setattr(sim.model, "pay_wages", pay_after_a_cash_shock)
    money_before = model.money_total
    model.step()

    assert 0.0 < seen["ratio"] < 0.5
    np.testing.assert_allclose(workers.wage[seen["staff"]], seen["ratio"] * seen["owed"],
                               rtol=1e-12)  # fmt: skip
    assert model.insolvencies == 1 and model.exits == 1 and model.entries == 1
    assert model.report["firm_insolvencies"] == 1.0 and model.report["firm_exits"] == 1.0
    assert firms.dividends[k] == 0.0
    assert (workers.employer[seen["staff"]] == UNEMPLOYED).all()
    assert not (workers.employer == k).any()
    assert firms.age[k] == 0 and firms.headcount[k] == 0 and firms.inventory[k] == 0.0
    assert firms.unfilled[k]
    same_sector = firms.sector == firms.sector[k]
    others = same_sector & (np.arange(len(firms)) != k)
    mean_cost = (firms.wage_bill + firms.compute_bill)[others].mean()
    cfg = model.config.firms
    assert firms.cash[k] == pytest.approx(
        cfg.entry_size * cfg.cash_buffer_months * mean_cost, rel=1e-9
    )
    assert firms.cash[k] > 0.0
    mean_demand = firms.expected_demand[same_sector & (np.arange(len(firms)) != k)]
    assert firms.expected_demand[k] < mean_demand.mean()
    assert model.money_total == pytest.approx(money_before + model.issued_this_step, rel=1e-9)


def test_paying_nobody_or_nothing_raises_no_numpy_warning_and_no_insolvency():
    """A firm without staff and negative cash, and a firm whose one worker is owed 0 and
    that holds nothing: nothing is paid, nobody is insolvent, and numpy says nothing."""
    workers = Workers(np.array([1]), np.zeros(1), np.ones(1), np.zeros(1, dtype=int), 240.0)
    firms = Firms(np.zeros(2, dtype=int), 1)
    firms.wage, firms.cash = np.array([1.0, 0.0]), np.array([-5.0, 0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        by_household, insolvent = pay_wages(workers, firms, np.zeros(1), np.ones(1))
    assert not insolvent.any()
    assert workers.wage[0] == 0.0 and by_household[0] == 0.0


def test_an_overdrawn_or_nearly_broke_firm_pays_only_what_it_holds():
    """Firm 0 owes 2 x 5 = 10 and is overdrawn (-5): it pays nothing. Firm 1 owes 4 and
    holds 0.5: each employee gets 0.5 / 4 = 1/8 of the wage. Firm 2 has no staff and
    holds 3: it owes nothing, pays nothing, is solvent and numpy says nothing (no 3 / 0)."""
    workers = Workers(np.array([0, 0, 1]), np.zeros(3), np.ones(3), np.zeros(3, dtype=int), 240.0)
    firms = Firms(np.zeros(3, dtype=int), 1)
    firms.wage = np.array([5.0, 4.0, 1.0])
    firms.cash = np.array([-5.0, 0.5, 3.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, insolvent = pay_wages(workers, firms, np.zeros(1), np.ones(3))
    np.testing.assert_array_equal(insolvent, [True, True, False])
    np.testing.assert_allclose(workers.wage, [0.0, 0.0, 0.5], atol=1e-15)
    np.testing.assert_allclose(firms.cash, [-5.0, 0.0, 3.0], atol=1e-15)

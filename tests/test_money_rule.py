"""The central bank's money rule (docs/model.md section 10): McCallum's formula on
hand-built paths, the guards, the monthly issue, payment and withdrawal, and money
conservation in a model run whose issuer withdraws money as well as creating it."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from sim.agents.money_rule import MoneyRule
from sim.scenario.schema import MAX_RULE_GROWTH
from tests.conftest import small_model

TARGET = 0.02


def rule_after(path: list[tuple[float, float, float]], window: int = 48) -> MoneyRule:
    """A McCallum rule (target 2 %, feedback 0.5) that has observed the months of
    ``path``: (log nominal GDP, log real GDP, log money), oldest first."""
    rule = MoneyRule("mccallum", 0.0, TARGET, 0.5, window)
    for x, q, m in path:
        rule.observe(np.exp(x), np.exp(q), np.exp(m))
    return rule


def steady(months: int, nominal: float, real: float, money: float) -> list:
    """Log levels growing at the given annual log rates for ``months`` months."""
    return [(nominal * t / 12, real * t / 12, money * t / 12) for t in range(months + 1)]


def test_before_any_month_the_rule_gives_the_target_and_step_zero_fills_the_window():
    """Nothing observed: pi*. Step 0 observed: it stands for the whole window before it
    (no growth), so velocity and trend growth are 0 and nominal growth falls 2 points
    short of the target: g = 2 % + 0.5 x 2 % = 3 %."""
    rule = MoneyRule("mccallum", 0.0, TARGET, 0.5, 48)
    assert rule.annual_growth() == TARGET
    rule.observe(100.0, 100.0, 300.0)  # step 0 only
    assert len(rule.history) == 49
    assert rule.annual_growth() == pytest.approx(0.03, abs=1e-15)


def test_on_a_steady_path_money_grows_at_target_inflation_plus_real_growth():
    """Nominal GDP and money +5 % a year, real GDP +3 %: velocity is constant, the
    nominal target is 2 % + 3 % = 5 %, nominal GDP meets it: g = 5 %."""
    rule = rule_after(steady(60, 0.05, 0.03, 0.05))
    assert rule.annual_growth() == pytest.approx(0.05, abs=1e-12)


def test_rising_velocity_is_subtracted():
    """Money +3 % while nominal GDP +5 %: velocity rises 2 % a year, so money needs to
    grow only 5 % - 2 % = 3 % for nominal GDP to stay on its target."""
    rule = rule_after(steady(60, 0.05, 0.03, 0.03))
    assert rule.annual_growth() == pytest.approx(0.03, abs=1e-12)


def test_a_nominal_shortfall_adds_half_the_gap():
    """Four years observed: real GDP +3 % a year throughout, money +5 %, nominal GDP +5 %
    for three years and +3 % in the last. Velocity growth over the 48 months is
    ((0.15 + 0.03) - 0.20) / 4 = -0.5 % a year, nominal growth over the last 12 months
    3 %: g = 5 % + 0.5 % + 0.5 (5 % - 3 %) = 6.5 %."""
    path = []
    for t in range(49):
        x = 0.05 * min(t, 36) / 12 + 0.03 * max(t - 36, 0) / 12
        path.append((x, 0.03 * t / 12, 0.05 * t / 12))
    rule = rule_after(path)
    assert rule.annual_growth() == pytest.approx(0.065, abs=1e-12)


def test_only_the_last_window_counts():
    """Six years of a boom (real +10 %, nominal +12 %, money +12 %), then four calm
    years (real +2 %, nominal and money +4 %): with a 48-month window the rule has
    forgotten the boom and gives 2 % + 2 % = 4 %."""
    boom = steady(72, 0.12, 0.10, 0.12)
    x0, q0, m0 = boom[-1]
    calm = [(x0 + 0.04 * t / 12, q0 + 0.02 * t / 12, m0 + 0.04 * t / 12) for t in range(1, 49)]
    assert rule_after(boom + calm).annual_growth() == pytest.approx(0.04, abs=1e-12)
    # With a ten-year window the boom still counts: velocity constant, real growth
    # (0.6 + 0.08) / 10 = 6.8 % a year, nominal growth 4 % against a target of 8.8 %:
    # g = 8.8 % + 0.5 (8.8 % - 4 %) = 11.2 %.
    assert rule_after(boom + calm, window=120).annual_growth() == pytest.approx(0.112, abs=1e-12)


def test_in_the_first_months_rates_are_averages_over_the_whole_window():
    """Two months after step 0: nominal GDP +1 % a month (log), real +0.5 %, money flat.
    Step 0 stands for the 48 months before, so velocity growth is 0.02 x 12/48 = 0.5 %,
    trend real growth 0.01 x 12/48 = 0.25 % and nominal growth over twelve months 2 %:
    target 2.25 %, g = 2.25 % - 0.5 % + 0.5 (2.25 % - 2 %) = 1.875 %. (Annualising the
    two months seen would give 8 % - 12 % + 0.5 (8 % - 12 %) = -6 %.)"""
    rule = rule_after([(0.0, 0.0, 0.0), (0.01, 0.005, 0.0), (0.02, 0.01, 0.0)])
    assert rule.annual_growth() == pytest.approx(0.01875, abs=1e-12)


def test_guards_non_finite_and_extreme_inputs():
    collapsed = rule_after(steady(12, 0.05, 0.03, 0.05))
    collapsed.observe(0.0, 1.0, 1.0)  # nominal GDP of zero: log is not finite
    assert collapsed.annual_growth() == TARGET
    # Nominal GDP falling by half in a month: the rule would ask for hundreds of
    # per cent; it is held at the guard.
    crash = rule_after([(0.0, 0.0, 0.0), (np.log(0.5), 0.0, 0.0)])
    assert crash.annual_growth() == MAX_RULE_GROWTH
    boom = rule_after([(0.0, 0.0, 0.0), (np.log(2.0), 0.0, 0.0)])
    assert boom.annual_growth() == -MAX_RULE_GROWTH


def test_monthly_issue_under_each_rule():
    fixed = MoneyRule("fixed", 0.05, TARGET, 0.5, 48)
    assert fixed.monthly_issue(1000.0) == pytest.approx(1000.0 * (1.05 ** (1 / 12) - 1), rel=1e-14)
    assert fixed.growth == 0.05
    mccallum = rule_after(steady(60, 0.05, 0.03, 0.05))
    assert mccallum.monthly_issue(1000.0) == pytest.approx(1000.0 * np.expm1(0.05 / 12), rel=1e-12)
    assert mccallum.growth == pytest.approx(0.05, abs=1e-12)
    assert mccallum.monthly_issue(-10.0) == 0.0  # no issue on a money stock below zero


def test_new_money_is_paid_equally_and_withdrawn_in_proportion_to_money_held():
    cash = np.array([10.0, 30.0, -5.0, 0.0])
    received = MoneyRule.pay(8.0, cash)
    np.testing.assert_array_equal(received, [2.0, 2.0, 2.0, 2.0])
    np.testing.assert_array_equal(cash, [12.0, 32.0, -3.0, 2.0])
    # Less than a dollar is shared equally too: 0.5 / 4 each.
    np.testing.assert_array_equal(MoneyRule.pay(0.5, cash.copy()), [0.125] * 4)
    # Withdrawal of 8 from positive holdings 12, 32, 0, 2 (sum 46), pro rata.
    taken = MoneyRule.pay(-8.0, cash)
    np.testing.assert_allclose(taken, [-8 * 12 / 46, -8 * 32 / 46, 0.0, -8 * 2 / 46], rtol=1e-14)
    # Never more than households hold: a withdrawal of 100 takes the remaining 38.
    taken = MoneyRule.pay(-100.0, cash)
    assert taken.sum() == pytest.approx(-38.0, rel=1e-14)
    np.testing.assert_allclose(cash, [0.0, 0.0, -3.0, 0.0], atol=1e-12)


def test_money_is_conserved_when_the_rule_withdraws_money():
    """A deflation target (-5 %, the schema's lowest) makes the rule withdraw money in
    some months; base money (deposits + bank equity - loans) still changes by exactly
    what the issuer created or withdrew, and household income includes it."""
    model = small_model(**{"credit.inflation_target": -0.05})
    base = model.money_total + model.banks.equity.sum() - model.banks.loans.sum()
    withdrawn = 0
    for _ in range(36):
        model.step()
        now = model.money_total + model.banks.equity.sum() - model.banks.loans.sum()
        assert now == pytest.approx(base + model.issued_this_step, rel=1e-9)
        assert model.issued_this_step == pytest.approx(model.this_month.new_money.sum(), rel=1e-12)
        withdrawn += model.issued_this_step < 0
        base = now
    assert withdrawn > 0
    assert model.results()["money_error"].max() < 1e-9
    assert (model.results()["money_growth"].iloc[1:] != 0).all()  # row 0 is step 0


def test_each_growth_rate_uses_its_own_window_on_an_uneven_path():
    """A 15-month velocity window and 17 months observed (t = 0..16; the rule keeps
    t = 1..16, so k = 15, j = 12), logs chosen so that every term differs:
    x_16 = 0.30, x_4 = 0.20, x_1 = 0.10; m_16 = 0.20, m_1 = 0.05; q_16 = 0.10,
    q_1 = 0.025 (the other months off any straight line). Velocity growth
    ((0.30 - 0.20) - (0.10 - 0.05)) x 12/15 = 4 %, trend real growth
    (0.10 - 0.025) x 12/15 = 6 %, nominal growth over twelve months (0.30 - 0.20) = 10 %;
    target 2 % + 6 % = 8 %: g = 8 % - 4 % + 0.5 (8 % - 10 %) = 3 %."""
    path = [(0.013 * t + 0.001 * t * t, 0.004 * t, 0.011 * t) for t in range(17)]
    path[1] = (0.10, 0.025, 0.05)
    path[4] = (0.20, path[4][1], path[4][2])
    path[16] = (0.30, 0.10, 0.20)
    rule = rule_after(path, window=15)
    assert len(rule.history) == 16
    assert rule.annual_growth() == pytest.approx(0.03, abs=1e-12)
    # A stronger feedback (lambda = 2) weighs the 2-point shortfall four times as much:
    # g = 8 % - 4 % + 2 (8 % - 10 %) = 0 %.
    strong = MoneyRule("mccallum", 0.0, TARGET, 2.0, 15)
    for x, q, m in path:
        strong.observe(np.exp(x), np.exp(q), np.exp(m))
    assert strong.annual_growth() == pytest.approx(0.0, abs=1e-12)
    # The issue is (exp(g / 12) - 1) M and the growth reported is g.
    assert rule.monthly_issue(1000.0) == pytest.approx(1000.0 * np.expm1(0.03 / 12), rel=1e-12)
    assert rule.growth == pytest.approx(0.03, abs=1e-12)


def test_a_short_window_forgets_older_months_for_every_rate():
    """Window 3, six months observed (t = 0..5): the rule keeps t = 2..5, so velocity,
    trend and nominal growth all run over k = j = 3 months. Logs (x, q, m): t = 2
    (0.02, 0.01, 0.03), t = 5 (0.08, 0.025, 0.05); t = 1 far away (0.5 each).
    Velocity growth ((0.08 - 0.05) - (0.02 - 0.03)) x 12/3 = 16 %, trend
    (0.025 - 0.01) x 4 = 6 %, nominal growth (0.08 - 0.02) x 4 = 24 %; target 8 %:
    g = 8 % - 16 % + 0.5 (8 % - 24 %) = -16 %."""
    path = [
        (0.0, 0.0, 0.0), (0.5, 0.5, 0.5), (0.02, 0.01, 0.03), (0.05, 0.0, 0.0),
        (0.06, 0.02, 0.04), (0.08, 0.025, 0.05),
    ]  # fmt: skip
    rule = rule_after(path, window=3)
    assert len(rule.history) == 4
    assert rule.annual_growth() == pytest.approx(-0.16, abs=1e-12)


def test_a_value_that_is_not_positive_is_recorded_as_nan_without_a_warning():
    rule = MoneyRule("mccallum", 0.0, TARGET, 0.5, 48)
    assert rule.growth == 0.0  # nothing set before the first month
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rule.observe(0.0, -1.0, np.inf)
        rule.observe(0.5, 2.0, 1.0)
    assert all(np.isnan(v) for v in rule.history[0])
    assert rule.history[-1] == pytest.approx((np.log(0.5), np.log(2.0), 0.0))
    assert rule.annual_growth() == TARGET


def test_mccallums_rule_grows_the_base_and_the_fixed_rule_all_deposits():
    """With capital and investment loans, deposits and the base differ by loans less
    bank equity. McCallum's rule observes the base (reported as ``base_money``) and
    issues ``(exp(g/12) - 1) b`` on the base at the moment of issue; the fixed rule
    issues ``((1 + g)^(1/12) - 1) M`` on all deposits."""
    model = small_model(**{"capital.enabled": True})
    assert model.money_rule.targets_base
    for _ in range(6):
        last_month = model.report["base_money"]  # what this month's rule observes
        model.step()
        assert model.money_rule.history[-1][2] == pytest.approx(np.log(last_month), rel=1e-12)
        assert model.report["base_money"] == pytest.approx(
            model.money_total + model.banks.equity.sum() - model.banks.loans.sum(), rel=1e-12
        )
    assert model.banks.loans.sum() > model.banks.equity.sum()  # the two aggregates differ
    expected = np.expm1(model.money_rule.annual_growth() / 12) * model.base_money
    assert model.money_rule.monthly_issue(model.base_money) == pytest.approx(expected, rel=1e-12)
    fixed = small_model(**{"capital.enabled": True, "money.rule": "fixed", "money.growth": 0.03})
    assert not fixed.money_rule.targets_base
    last_month = fixed.report["money_total"]
    fixed.step()
    assert fixed.money_rule.history[-1][2] == pytest.approx(np.log(last_month), rel=1e-12)

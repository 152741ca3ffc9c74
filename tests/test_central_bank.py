"""The central bank's Taylor rule (docs/model.md section 13): the formula on hand-built
paths, the lower bound, the fixed rule, and loan rates priced off the policy rate in a
model run."""

from __future__ import annotations

import numpy as np
import pytest

from sim.agents.central_bank import CentralBank
from sim.scenario.schema import CreditConfig
from tests.conftest import small_model

TAYLOR = CreditConfig()  # r* = 2 %, pi* = 2 %, spread 3 points


def bank_after(cpis: list[float], unemployment: list[float], cfg=TAYLOR) -> CentralBank:
    """A central bank that started at CPI 1 and unemployment ``unemployment[0]`` and
    then saw the given months."""
    bank = CentralBank(cfg, 1.0, unemployment[0])
    for cpi, rate in zip(cpis, unemployment[1:], strict=True):
        bank.set_policy_rate(cpi, rate)
    return bank


def test_taylor_rule_on_a_steady_path():
    """Prices rise 3 % a year for two years, unemployment stays at 5 %: the natural-rate
    estimate is 5 %, so i = 2 % + 3 % + 0.5 (3 % - 2 %) = 5.5 %, and loans cost 8.5 %."""
    cpis = [1.03 ** (m / 12) for m in range(1, 25)]
    bank = bank_after(cpis, [0.05] * 25)
    assert bank.inflation() == pytest.approx(0.03, rel=1e-9)
    assert bank.natural_unemployment() == pytest.approx(0.05, rel=1e-12)
    assert bank.policy_rate == pytest.approx(0.055, rel=1e-9)
    assert bank.loan_base_rate() == pytest.approx(0.085, rel=1e-9)


def test_inflation_is_year_on_year():
    """A one-off 10 % jump in the CPI at month 3 counts as inflation for twelve months,
    then drops out."""
    cpis = [1.0, 1.0, 1.1] + [1.1] * 20
    bank = CentralBank(TAYLOR, 1.0, 0.05)
    seen = []
    for cpi in cpis:
        bank.set_policy_rate(cpi, 0.05)
        seen.append(bank.inflation())
    assert seen[11] == pytest.approx(0.1, rel=1e-9)  # CPI 1.1 against month 0's 1.0
    assert seen[14] == pytest.approx(0.0, abs=1e-12)  # month 3 is now the base


def test_unemployment_above_its_mean_lowers_the_rate_point_for_point():
    """Inflation 3 % (rates well above zero) in both; unemployment jumps in one."""
    cpis = [1.03 ** (m / 12) for m in range(1, 13)]
    calm = bank_after(cpis, [0.05] * 13)
    slump = bank_after(cpis, [0.05] * 12 + [0.07])
    # u* rises by 0.02 / 13 while u rises by 0.02: the gap falls by 0.02 * 12 / 13.
    assert calm.policy_rate - slump.policy_rate == pytest.approx(0.02 * 12 / 13, rel=1e-9)


def test_the_rate_never_goes_below_zero():
    """Deflation of 5 % a year and unemployment 10 points above its mean."""
    cpis = [0.95 ** (m / 12) for m in range(1, 13)]
    bank = bank_after(cpis, [0.05] * 12 + [0.15])
    assert bank.policy_rate == 0.0
    assert bank.loan_base_rate() == pytest.approx(TAYLOR.loan_spread)


def test_a_collapsed_economy_gets_the_neutral_nominal_rate():
    bank = bank_after([np.nan], [0.05, np.nan])
    assert bank.policy_rate == pytest.approx(TAYLOR.neutral_rate + TAYLOR.inflation_target)


def test_the_fixed_rule_lends_at_the_base_rate():
    fixed = CreditConfig(policy_rule="fixed", base_rate=0.04)
    bank = bank_after([1.2] * 6, [0.05] * 6 + [0.2], cfg=fixed)
    assert bank.policy_rate == 0.04
    assert bank.loan_base_rate() == 0.04


def test_loans_are_priced_off_this_months_policy_rate():
    """With thin cash buffers firms borrow; every firm's rate is the policy rate plus
    the spread plus its leverage premium (never less), and the report carries the
    central bank's rate."""
    model = small_model(**{"firms.cash_buffer_months": 0.3, "run.seed": 4})
    borrowed = False
    for _ in range(24):
        model.step()
        base = model.central_bank.loan_base_rate()
        assert model.report["policy_rate"] == model.central_bank.policy_rate
        assert base == pytest.approx(model.central_bank.policy_rate + TAYLOR.loan_spread)
        assert (model.firms.interest_rate >= base - 1e-15).all()
        borrowed |= bool(model.firms.debt.sum() > 0)
    assert borrowed


def test_before_any_month_the_rule_uses_the_target_and_a_zero_gap():
    """At step 0 inflation is taken at its target (no month has passed) and
    unemployment at its own mean: i = r* + pi* + 0.5 x 0 + 0 = 4 %."""
    bank = CentralBank(TAYLOR, 1.0, 0.07)
    assert bank.inflation() == TAYLOR.inflation_target
    assert bank.policy_rate == pytest.approx(0.04, rel=1e-12)


def test_one_month_of_inflation_or_deflation_is_annualised():
    """After one month (k = 1) inflation is (CPI_1 / CPI_0)^12 - 1: +1 % a month is
    12.68 % a year, -1 % a month (a CPI below 1) is -11.36 %."""
    for cpi, annual in ((1.01, 1.01**12 - 1.0), (0.99, 0.99**12 - 1.0)):
        bank = CentralBank(TAYLOR, 1.0, 0.05)
        bank.set_policy_rate(cpi, 0.05)
        assert bank.inflation() == pytest.approx(annual, rel=1e-12)
    assert round(1.01**12 - 1.0, 4) == 0.1268


def test_a_cpi_that_is_not_positive_gives_the_target():
    """A CPI of zero, at the start or now, has no growth rate: the target is used."""
    for start, now in ((1.0, 0.0), (0.0, 1.0), (1.0, -0.5)):
        bank = CentralBank(TAYLOR, start, 0.05)
        bank.set_policy_rate(now, 0.05)
        assert bank.inflation() == TAYLOR.inflation_target

"""Reliability: checks that must fail loudly instead of passing silently."""

from __future__ import annotations

import numpy as np
import pytest

from sim.accounting import MoneyCheck


@pytest.mark.parametrize("poison", [np.nan, np.inf, -np.inf])
def test_money_check_fails_on_a_non_finite_balance(poison):
    balances = [np.array([1.0, 2.0]), np.array([3.0])]
    check = MoneyCheck(balances)
    with pytest.raises(AssertionError, match="money not conserved"):
        check.verify([np.array([1.0, poison]), np.array([3.0])], issued=0.0)


def test_money_check_fails_when_the_issued_amount_is_not_a_number():
    check = MoneyCheck([np.array([1.0])])
    with pytest.raises(AssertionError):
        check.verify([np.array([1.0])], issued=float("nan"))


def test_money_check_passes_a_conserved_step():
    check = MoneyCheck([np.array([1.0, 2.0])])
    assert check.verify([np.array([0.5, 3.5])], issued=1.0) == 0.0

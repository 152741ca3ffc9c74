"""Fast paths that give exactly what they replace: payments from or to one account add up
in order, as ``np.bincount`` did; the income distribution's radix sort is ``np.sort``.

:func:`sim.accounting.transfer` with an integer payer (payee) adds the amounts one
after another; results stay bit-identical to the earlier bincount onto one bin, and
the money check's balances close as before.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sim.accounting import running_total, transfer
from sim.metrics import sort_non_negative

amounts = arrays(np.float64, st.integers(0, 300), elements=st.floats(-1e12, 1e12, allow_nan=False))


@settings(max_examples=80, deadline=None)
@given(amount=amounts)
def test_running_total_is_bincounts_sum_to_the_bit(amount):
    """The same float as np.bincount onto one bin (not np.sum's pairwise rounding)."""
    expected = np.bincount(np.zeros(amount.size, np.int64), weights=amount, minlength=1)[0]
    assert running_total(amount) == expected


@settings(max_examples=40, deadline=None)
@given(amount=amounts, start=st.floats(-1e9, 1e9, allow_nan=False))
def test_one_account_pays_all_as_an_index_array_of_zeros_would(amount, start):
    """Paying from account 0 of a one-element balance equals the bincount route, and the
    payees get each amount."""
    ours, reference = np.array([start]), np.array([start])
    payees, reference_payees = np.zeros(amount.size), np.zeros(amount.size)
    total = transfer(ours, 0, payees, None, amount)
    reference -= np.bincount(np.zeros(amount.size, np.int64), weights=amount, minlength=1)
    reference_payees += amount
    np.testing.assert_array_equal(ours, reference)
    np.testing.assert_array_equal(payees, reference_payees)
    assert total == float(amount.sum())
    back = np.array([start])
    transfer(payees, None, back, 0, amount)
    assert back[0] == start + running_total(amount)


@settings(max_examples=80, deadline=None)
@given(
    values=arrays(
        np.float64,
        st.integers(0, 500),
        elements=st.one_of(
            st.floats(0.0, 1e300), st.just(0.0), st.just(-0.0), st.just(np.inf), st.just(np.nan)
        ),
    )
)
def test_radix_sort_is_numpys_sort(values):
    """The income distribution's sort: the same array as np.sort for floats that are not
    negative (zeros of either sign, infinity and NaN included)."""
    np.testing.assert_array_equal(sort_non_negative(values), np.sort(values))


def test_radix_sort_at_the_sample_size():
    """At the 200,000 households the income distribution is measured on."""
    values = np.random.default_rng(1).lognormal(size=200_000)
    values[::7] = 0.0
    np.testing.assert_array_equal(sort_non_negative(values), np.sort(values))


def test_radix_sort_of_single_precision_values_is_the_double_precision_sort():
    """Floats of any width: float32 incomes are widened to float64 (exactly) and
    sorted, as np.sort of the widened array."""
    values = np.array([3.5, 0.0, 1e30, 2.25, 7.0], dtype=np.float32)
    np.testing.assert_array_equal(sort_non_negative(values), np.sort(values.astype(np.float64)))

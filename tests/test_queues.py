"""The compiled shuffle is numpy's: the same queue and the same generator state after.

Markets draw their random queues with :func:`sim.queues.shuffle`; runs stay
reproducible and equal to those made with ``Generator.shuffle`` only if every element
lands where numpy puts it and the generator has made exactly the same draws.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.queues import permutation, shuffle
from tests.fixed_draws import FixedDraws


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(0, 3000),
    seed=st.integers(0, 2**32 - 1),
    dtype=st.sampled_from([np.int32, np.int64, np.float64]),
)
def test_shuffle_is_numpys_shuffle(n, seed, dtype):
    """Same elements in the same places, then the same next draw."""
    ours, numpys = np.random.default_rng(seed), np.random.default_rng(seed)
    queue = np.arange(n).astype(dtype)
    expected = queue.copy()
    shuffle(ours, queue)
    numpys.shuffle(expected)
    np.testing.assert_array_equal(queue, expected)
    assert ours.random() == numpys.random()


@pytest.mark.parametrize("n", [1_000_003])
def test_shuffle_of_a_million_is_numpys(n):
    """At market size (the look-ahead ring wraps many times), still numpy's queue."""
    ours, numpys = np.random.default_rng(42), np.random.default_rng(42)
    queue = np.arange(n, dtype=np.int32)
    expected = queue.copy()
    shuffle(ours, queue)
    numpys.shuffle(expected)
    np.testing.assert_array_equal(queue, expected)
    assert ours.integers(2**62) == numpys.integers(2**62)


@settings(max_examples=30, deadline=None)
@given(values=st.lists(st.integers(-1000, 1000), max_size=200), seed=st.integers(0, 2**32 - 1))
def test_permutation_is_numpys_and_leaves_its_input(values, seed):
    """A shuffled copy equal to ``rng.permutation``; the input array is not touched."""
    source = np.array(values, dtype=np.int64)
    before = source.copy()
    result = permutation(np.random.default_rng(seed), source)
    np.testing.assert_array_equal(result, np.random.default_rng(seed).permutation(before))
    np.testing.assert_array_equal(source, before)


def test_other_generators_and_shapes_use_their_own_shuffle():
    """A test's fixed-draw stand-in keeps the order; a 2-D array is shuffled by rows as
    numpy does."""
    queue = np.arange(5)
    shuffle(FixedDraws(0.5), queue)
    np.testing.assert_array_equal(queue, np.arange(5))
    np.testing.assert_array_equal(permutation(FixedDraws(0.5), np.arange(4)), np.arange(4))
    rows, expected = np.arange(12).reshape(6, 2), np.arange(12).reshape(6, 2)
    shuffle(np.random.default_rng(7), rows)
    np.random.default_rng(7).shuffle(expected)
    np.testing.assert_array_equal(rows, expected)

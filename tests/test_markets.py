"""Compiled market helpers give exactly the answers of their plain numpy definitions."""

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sim.markets.labour import _first_above, _guide_table

vacancy_gaps = arrays(
    np.float64,
    st.integers(1, 300),
    elements=st.one_of(st.just(0.0), st.floats(1e-300, 1e6), st.floats(0.0, 3.0)),
)


@given(vacancy_gaps, st.lists(st.floats(0.0, 1.0), min_size=1, max_size=50))
def test_guide_table_search_equals_searchsorted(gaps, shares):
    """Drawing a job through the guide table picks the same job as a binary search, for
    any vacancies (zeros, ties, tiny and huge gaps) and any target up to the total."""
    cumulative = np.cumsum(gaps)
    total = cumulative[-1]
    assume(total > 0.0)  # with no open job the matching loop returns before searching
    guide = _guide_table(cumulative, total)
    targets = [share * total for share in shares] + [0.0, total] + list(cumulative)
    for target in targets:
        expected = np.searchsorted(cumulative, target, side="right")
        assert _first_above(cumulative, guide, total, target) == expected, target

"""Random queues: a compiled shuffle that gives exactly numpy's ``Generator.shuffle``.

Core objects: :func:`shuffle`, :func:`permutation`.

Markets put their agents in a random order every month (households at the shops, job
seekers). numpy shuffles with the Fisher-Yates algorithm: for ``i = n - 1, ..., 1`` it
swaps element ``i`` with element ``j``, ``j`` uniform on ``0..i`` (drawn by
rejection from the smallest bit mask covering ``i``, ``random_interval`` in numpy's
C code). At a million agents each swap waits for a cache miss at a random place.
The swap partners depend only on the generator, not on the data, so this version
draws them :data:`~sim.prefetch.QUEUE_LOOKAHEAD` swaps ahead and asks the processor
to fetch their elements early: the same draws from the same generator, in the same
order, the same result and the same generator state afterwards, in about a third of
the time (tests/test_queues.py checks the identity).
"""

from __future__ import annotations

import numba
import numpy as np
from numba.np.random.random_methods import random_interval

from sim.prefetch import QUEUE_LOOKAHEAD, prefetch


def shuffle(rng: np.random.Generator, values: np.ndarray) -> None:
    """Shuffle the 1-D array ``values`` in place, exactly as ``rng.shuffle(values)``.

    Any other generator (a test's stand-in with fixed draws) or array shape is
    handed to ``rng.shuffle``.
    """
    if isinstance(rng, np.random.Generator) and values.ndim == 1 and values.flags.c_contiguous:
        _fisher_yates(rng, values)
    else:
        rng.shuffle(values)


def permutation(rng: np.random.Generator, values: np.ndarray) -> np.ndarray:
    """A shuffled copy of the 1-D array ``values``, exactly as ``rng.permutation(values)``."""
    if not isinstance(rng, np.random.Generator):
        return rng.permutation(values)
    shuffled = np.array(values)
    shuffle(rng, shuffled)
    return shuffled


@numba.njit(cache=True, nogil=True)
def _fisher_yates(generator, values):
    """numpy's Fisher-Yates loop, with each swap partner drawn ``QUEUE_LOOKAHEAD`` swaps
    before it is used (``partner`` is a ring of the draws not yet used)."""
    n = values.size
    if n < 2:
        return
    bit_generator = generator.bit_generator
    partner = np.empty(QUEUE_LOOKAHEAD, dtype=np.int64)
    for ahead in range(min(QUEUE_LOOKAHEAD, n - 1)):  # partners of i = n-1, n-2, ...
        j = np.int64(random_interval(bit_generator, n - 1 - ahead))
        partner[ahead] = j
        prefetch(values, j)
    for i in range(n - 1, 0, -1):
        slot = (n - 1 - i) % QUEUE_LOOKAHEAD
        j = partner[slot]
        if i - QUEUE_LOOKAHEAD >= 1:
            later = np.int64(random_interval(bit_generator, i - QUEUE_LOOKAHEAD))
            partner[slot] = later
            prefetch(values, later)
        held = values[j]
        values[j] = values[i]
        values[i] = held

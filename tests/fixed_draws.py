"""A stand-in random generator with fixed draws, for unit tests of the behavioural rules.

Each rule draws its random numbers from the model's generator; handing it a
:class:`FixedDraws` instead makes every uniform draw the same known number ``u`` and
every shuffle the identity, so the rule's result can be worked out by hand.
"""

from __future__ import annotations

import numpy as np


class FixedDraws:
    """Every ``random()`` draw is ``value``; shuffles and permutations keep the order."""

    def __init__(self, value: float) -> None:
        self.value = value

    def random(self, size=None, dtype=np.float64):
        """Uniform draws, all equal to ``value`` (a scalar when ``size`` is None)."""
        if size is None:
            return float(self.value)
        return np.full(size, self.value, dtype=dtype)

    def shuffle(self, x) -> None:
        """Leave the queue in its given order."""

    def permutation(self, x):
        """The identity permutation (of ``range(x)`` or of ``x``)."""
        return np.arange(x) if isinstance(x, int | np.integer) else np.array(x)

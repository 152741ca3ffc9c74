"""The hardware sector: one GPU maker whose production capacity grows at trend.

Core object: :class:`HardwareSector`. Its price and delivery rules live in
:mod:`sim.markets.hardware`.
"""

from __future__ import annotations

import numpy as np

from sim.agents.base import Population


class HardwareSector(Population):
    """The GPU maker (a population of one, for inspection like the others).

    Fields:
        price_index: price of a current-generation GPU relative to step 0.
        production_capacity: GPUs a month it can make at its base price.
        orders: GPUs ordered this month.
        revenue: dollars received for GPUs this month.
    """

    kind = "hardware_sector"
    fields = ("price_index", "production_capacity", "orders", "revenue")

    def __init__(self) -> None:
        self.price_index = np.ones(1)
        for name in ("production_capacity", "orders", "revenue"):
            setattr(self, name, np.zeros(1))

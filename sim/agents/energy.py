"""The electricity sector: one supplier whose generating capacity grows at trend; it sells to
AI compute providers and households (in the money accounts) and to other firms (in kWh).

Core object: :class:`PowerSector`. Its price rule lives in :mod:`sim.markets.energy`.
"""

from __future__ import annotations

import numpy as np

from sim.agents.base import Population


class PowerSector(Population):
    """The electricity supplier (a population of one, for inspection like the others).

    Fields:
        price: electricity price, dollars per kWh.
        capacity: generation at which the price equals its step-0 level (trend capacity),
            kWh a month in the model economy.
        compute_demand, datacentre_demand, firm_demand, household_demand: electricity
            used this month by AI compute providers, by conventional data centres (with AI
            compute outside the model's firms), by other firms and by households, kWh.
        revenue: dollars received from compute providers and households this month.
    """

    kind = "power_sector"
    fields = (
        "price", "capacity", "compute_demand", "datacentre_demand", "firm_demand",
        "household_demand", "revenue",
    )  # fmt: skip

    def __init__(self, price: float) -> None:
        self.price = np.array([price])
        for name in ("capacity", "compute_demand", "datacentre_demand", "firm_demand",
                     "household_demand", "revenue"):  # fmt: skip
            setattr(self, name, np.zeros(1))

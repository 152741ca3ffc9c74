"""The electricity market: demand by user in kWh (reported in TWh), a supply curve
around a growing trend capacity, and the price in dollars per kWh.

Core object: :class:`ElectricityMarket`.

Demand in month t (kWh): compute ``D_C(t)`` (from the FLOPs providers run, see
:mod:`sim.markets.compute`) plus demand outside compute, which grows at trend,
``D_O(t) = D_O(0) (1 + g_O)^(t/12)``, split between other firms and households.
At step 0 compute is a share ``theta`` of all demand: ``D_O(0) = D_C(0) (1 - theta)/theta``.
Generating capacity follows the same trend, ``K(t) = (D_C(0) + D_O(0)) (1 + g_O)^(t/12)``.
The price moves a share ``lambda`` of the way (in logs) toward the supply curve at last
month's demand:

    P*(t) = P(0) [D(t-1) / K(t-1)]^(1/eps),
    ln P(t) = (1 - lambda) ln P(t-1) + lambda ln P*(t).

Reported electricity is scaled to the world: compute's step-0 use is
``energy.data_centre_twh`` a year (IEA), every other quantity in proportion.
"""

from __future__ import annotations

import numpy as np

from sim.agents.energy import PowerSector
from sim.scenario import Scenario

MONTHS_PER_YEAR = 12.0


class ElectricityMarket:
    """Electricity demand by user, the trend capacity and the price."""

    def __init__(self, scenario: Scenario) -> None:
        self.compute_share = scenario.compute.compute_energy_share
        self.elasticity = scenario.compute.energy_supply_elasticity
        self.adjustment = scenario.compute.energy_price_adjustment
        cfg = scenario.energy
        self.initial_price = cfg.electricity_price
        self.log_trend = np.log1p(cfg.other_demand_growth) / MONTHS_PER_YEAR
        self.household_share = cfg.household_share
        self.data_centre_twh = cfg.data_centre_twh
        self.sector = PowerSector(cfg.electricity_price)
        self.initial_compute_demand = 0.0
        self.initial_other_demand = 0.0

    @property
    def price(self) -> float:
        """Electricity price this month, dollars per kWh."""
        return float(self.sector.price[0])

    def calibrate(self, compute_kwh: float) -> None:
        """Set step-0 demand outside compute and the trend capacity so that compute is
        the configured share of demand at step 0."""
        self.initial_compute_demand = compute_kwh
        self.initial_other_demand = compute_kwh * (1.0 - self.compute_share) / self.compute_share
        self.record(compute_kwh, 0)

    def trend(self, month: int) -> float:
        """Growth factor of demand outside compute and of capacity since step 0."""
        return float(np.exp(self.log_trend * month))

    def update_price(self) -> None:
        """Move the price toward the supply curve at last month's demand and capacity."""
        sector = self.sector
        if sector.capacity[0] <= 0.0:
            return
        demand = sector.compute_demand[0] + sector.firm_demand[0] + sector.household_demand[0]
        log_target = np.log(self.initial_price) + np.log(demand / sector.capacity[0]) / (
            self.elasticity
        )
        sector.price[0] = np.exp(
            (1.0 - self.adjustment) * np.log(sector.price[0]) + self.adjustment * log_target
        )

    def record(self, compute_kwh: float, month: int) -> None:
        """This month's demand by user, capacity and compute's bill."""
        sector = self.sector
        trend = self.trend(month)
        other = self.initial_other_demand * trend
        sector.compute_demand[0] = compute_kwh
        sector.household_demand[0] = self.household_share * other
        sector.firm_demand[0] = other - sector.household_demand[0]
        sector.capacity[0] = (self.initial_compute_demand + self.initial_other_demand) * trend
        sector.revenue[0] = compute_kwh * sector.price[0]

    def twh_a_year(self, kwh_a_month: float) -> float:
        """World-equivalent TWh a year of a monthly model quantity (compute's step-0 use
        maps to ``energy.data_centre_twh``)."""
        if self.initial_compute_demand <= 0.0:
            return 0.0
        return self.data_centre_twh * kwh_a_month / self.initial_compute_demand

    def reports(self) -> dict[str, float]:
        """The electricity series of docs/model.md ("Reported each step")."""
        sector = self.sector
        compute, firms, homes = (
            float(sector.compute_demand[0]),
            float(sector.firm_demand[0]),
            float(sector.household_demand[0]),
        )
        total = compute + firms + homes
        return {
            "electricity_price": self.price,
            "energy_price": self.price / self.initial_price,
            "electricity_demand_compute": self.twh_a_year(compute),
            "electricity_demand_firms": self.twh_a_year(firms),
            "electricity_demand_households": self.twh_a_year(homes),
            "compute_electricity_share": compute / total if total > 0 else 0.0,
        }

"""The electricity market: demand by user in kWh (reported in TWh), households' bills in
the money accounts and the CPI, a supply curve around a growing trend capacity, and the
price in dollars per kWh.

Core object: :class:`ElectricityMarket`.

Users (kWh a month):

* AI compute, ``D_C(t)``, the installed GPU fleet's full-load power times its load factor
  (:mod:`sim.markets.hardware`);
* conventional data centres (cloud, storage, streaming) and AI compute the model's firms do
  not buy (with adoption diffusing, the part of AI's step-0 share that non-adopters stand
  for), ``D_V(t) = [D_V(0) + D_A(0)] (1 + g_V)^(t/12)``;
* other firms, ``D_F(t) = D_F(0) (1 + g_O)^(t/12)``;
* households, ``D_H(t) = sum_h omega(t) B_h(t) / P_E(t)``: each household spends a share
  ``omega`` of its budget ``B_h`` on electricity, the upper nest of a CES between
  electricity and the goods composite with elasticity ``eps_H``,

      omega(t) = omega_0 p^(1-eps_H) / [omega_0 p^(1-eps_H) + (1 - omega_0) P_G^(1-eps_H)],

  ``p = P_E(t)/P_E(0)`` and ``P_G`` the CES price index of the goods composite (1 at
  step 0).

Step 0 (month 0 = November 2022): AI compute is a share ``theta_AI`` of world
electricity and data centres a share ``theta_DC``, so ``W(0) = D_C(0)/theta_AI``,
``D_V(0) = D_C(0)(theta_DC - theta_AI)/theta_AI``; the rest ``W(0) - D_C(0) - D_V(0)``
splits into households (share ``h``) and other firms. With adoption diffusing, ``W(0)``
is sized from every firm's potential compute ``P``: ``W(0) = P/theta_AI``, and AI compute
outside the model's firms is ``D_A(0) = P - D_C(0)``, so that AI and data centres keep
their shares of the world at step 0. ``omega_0`` is households' step-0
bill over their step-0 spending. Generating capacity follows the trend of demand outside
compute, ``K(t) = W(0) (1 + g_O)^(t/12)``. The price moves a share ``lambda`` of the way
(in logs) toward the supply curve at last month's demand:

    P*(t) = P(0) [D(t-1) / K(t-1)]^(1/eps),
    ln P(t) = (1 - lambda) ln P(t-1) + lambda ln P*(t),

with ``P*`` kept within a million times ``P(0)`` either way (a numerical guard that binds
only at extreme parameters, as for the hardware price).

Reported electricity is scaled to the world: data centres' step-0 use is
``energy.data_centre_twh`` a year (IEA), every other quantity in proportion.
"""

from __future__ import annotations

import numpy as np

from sim.agents.energy import PowerSector
from sim.markets.hardware import MAX_LOG_PRICE
from sim.scenario import Scenario

MONTHS_PER_YEAR = 12.0
MAX_HOUSEHOLD_SHARE = 0.5
"""Guard: the largest step-0 share of households' spending on electricity (the baseline
gives 1.2 %; a share near one half means that the step-0 share of AI compute in
electricity describes an economy whose AI is implausibly small)."""


def goods_price_index(prices: np.ndarray, weights: np.ndarray, elasticity: float) -> float:
    """CES price index of households' goods composite,
    ``P_G = (sum_s w_s P_s^(1-sigma))^(1/(1-sigma))`` (geometric mean at ``sigma = 1``),
    ``w`` the step-0 spending shares; 1 when every price is 1."""
    if abs(elasticity - 1.0) < 1e-9:
        return float(np.exp(weights @ np.log(prices)))
    exponent = 1.0 - elasticity
    return float((weights @ prices**exponent) ** (1.0 / exponent))


class ElectricityMarket:
    """Electricity demand by user, households' bills, the trend capacity and the price."""

    def __init__(self, scenario: Scenario) -> None:
        self.compute_share = scenario.compute.compute_energy_share
        self.elasticity = scenario.compute.energy_supply_elasticity
        self.adjustment = scenario.compute.energy_price_adjustment
        cfg = scenario.energy
        self.datacentre_share = cfg.datacentre_share
        self.initial_price = cfg.electricity_price
        self.log_trend = np.log1p(cfg.other_demand_growth) / MONTHS_PER_YEAR
        self.log_datacentre_trend = np.log1p(cfg.conventional_datacentre_growth) / MONTHS_PER_YEAR
        self.household_share = cfg.household_share
        self.household_elasticity = cfg.household_elasticity
        self.data_centre_twh = cfg.data_centre_twh
        self.sector = PowerSector(cfg.electricity_price)
        self.initial_compute_demand = 0.0
        self.initial_datacentre_demand = 0.0
        self.initial_other_ai_demand = 0.0
        self.other_ai_demand = 0.0
        self.initial_firm_demand = 0.0
        self.initial_household_demand = 0.0
        self.initial_bill_share = 0.0
        self.bill_share = 0.0
        self.previous_bill_share = 0.0
        self.previous_price_index = 1.0
        self.household_bill = 0.0

    @property
    def price(self) -> float:
        """Electricity price this month, dollars per kWh."""
        return float(self.sector.price[0])

    @property
    def price_index(self) -> float:
        """Electricity price relative to step 0."""
        return self.price / self.initial_price

    def calibrate(self, compute_kwh: float, potential_kwh: float | None = None) -> None:
        """Step 0: demand by user from AI compute's use and its and the data centres'
        shares of world electricity (households' bills follow in :meth:`open_household_books`).
        With AI adoption diffusing, the world is sized from ``potential_kwh``, the use
        were every firm an adopter (docs/model.md 2b); compute's own demand is its actual
        ``compute_kwh``, and the rest of AI's step-0 share, ``potential - compute_kwh``, is
        AI compute outside the model's firms, a data-centre demand on the conventional
        trend (docs/model.md 4.3)."""
        reference = compute_kwh if potential_kwh is None else potential_kwh
        world = reference / self.compute_share
        self.initial_compute_demand = compute_kwh
        self.initial_other_ai_demand = max(reference - compute_kwh, 0.0)
        self.initial_datacentre_demand = world * (self.datacentre_share - self.compute_share)
        rest = world - reference - self.initial_datacentre_demand
        self.initial_household_demand = self.household_share * rest
        self.initial_firm_demand = rest - self.initial_household_demand
        self.sector.household_demand[0] = self.initial_household_demand
        self.household_bill = self.initial_household_demand * self.initial_price
        self.record(compute_kwh, 0)

    def open_household_books(self, goods_spending: float) -> None:
        """Step 0: households' budget share of electricity, ``omega_0 = b / (G + b)`` for
        their step-0 bill ``b`` and spending on goods ``G``. Guard: at most
        ``MAX_HOUSEHOLD_SHARE``; above it the bill is lowered to
        ``b = G MAX / (1 - MAX)`` and their kWh with it (only a tiny
        ``compute.compute_energy_share`` gets there). Called before step-0 incomes are
        set, which count the bill as the power sector's income."""
        if goods_spending <= 0.0:
            self.initial_bill_share = self.bill_share = self.previous_bill_share = 0.0
            return
        share = self.household_bill / (goods_spending + self.household_bill)
        if share > MAX_HOUSEHOLD_SHARE:
            bill = goods_spending * MAX_HOUSEHOLD_SHARE / (1.0 - MAX_HOUSEHOLD_SHARE)
            self.initial_household_demand *= bill / self.household_bill
            self.sector.household_demand[0] = self.initial_household_demand
            self.household_bill = self.initial_household_demand * self.initial_price
            share = MAX_HOUSEHOLD_SHARE
        self.initial_bill_share = self.bill_share = self.previous_bill_share = share

    def trend(self, month: int) -> float:
        """Growth factor of other firms' demand and of capacity since step 0."""
        return float(np.exp(self.log_trend * month))

    def update_price(self) -> None:
        """Move the price toward the supply curve at last month's demand and capacity."""
        sector = self.sector
        self.previous_price_index = self.price_index
        if sector.capacity[0] <= 0.0:
            return
        demand = (
            sector.compute_demand[0] + sector.datacentre_demand[0] + sector.firm_demand[0]
            + sector.household_demand[0]
        )  # fmt: skip
        log_pressure = np.log(demand / sector.capacity[0]) if demand > 0.0 else -np.inf
        # Guard: the supply curve's price stays within a million times its step-0 level
        # either way (as the hardware price, sim/markets/hardware.py), so an inelastic
        # supply cannot overflow it and a month without demand cannot make it zero.
        log_target = np.log(self.initial_price) + np.clip(
            log_pressure / self.elasticity, -MAX_LOG_PRICE, MAX_LOG_PRICE
        )
        sector.price[0] = np.exp(
            (1.0 - self.adjustment) * np.log(sector.price[0]) + self.adjustment * log_target
        )

    def household_budget_share(self, goods_price_index: float) -> float:
        """``omega(t)``: households' share of their budget spent on electricity."""
        if self.initial_bill_share <= 0.0:
            return 0.0
        exponent = 1.0 - self.household_elasticity
        energy = self.initial_bill_share * self.price_index**exponent
        goods = (1.0 - self.initial_bill_share) * goods_price_index**exponent
        return float(energy / (energy + goods))

    def bill_households(
        self, budget: np.ndarray, goods_price_index: float, household_cash: np.ndarray,
        supplier_cash: np.ndarray,
    ) -> np.ndarray:  # fmt: skip
        """Phase 6: each household pays ``omega(t) B_h`` to the power sector (the supplier
        account) out of its budget. Returns the bills by household, dollars."""
        bills = self.household_budget_share(goods_price_index) * budget
        household_cash -= bills
        self.household_bill = float(bills.sum())
        supplier_cash[0] += self.household_bill
        self.sector.household_demand[0] = self.household_bill / self.price
        self.sector.revenue[0] += self.household_bill
        return bills

    def record_household_spending(self, spending: float) -> None:
        """Phase 6, after shopping: electricity's share of what households actually spent
        (goods are rationed, bills are not), the CPI's weight for electricity."""
        self.previous_bill_share = self.bill_share
        self.bill_share = self.household_bill / spending if spending > 0.0 else 0.0

    def consumer_basket(
        self, previous_goods_price: np.ndarray, goods_price: np.ndarray,
        previous_goods_share: np.ndarray, goods_share: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
        """Households' basket for the CPI, last month's and this month's: the goods
        sectors' prices and spending shares with electricity appended (its price relative
        to step 0; goods' shares scaled by ``1 - omega``).

        Returns:
            (previous prices, prices, previous shares, shares).
        """
        before, now = self.previous_bill_share, self.bill_share
        return (
            np.append(previous_goods_price, self.previous_price_index),
            np.append(goods_price, self.price_index),
            np.append((1.0 - before) * previous_goods_share, before),
            np.append((1.0 - now) * goods_share, now),
        )

    def record(self, compute_kwh: float, month: int) -> None:
        """Phase 4: this month's demand by compute, data centres and other firms, the
        capacity, and compute's bill."""
        sector = self.sector
        trend = self.trend(month)
        sector.compute_demand[0] = compute_kwh
        datacentre_trend = np.exp(self.log_datacentre_trend * month)
        sector.datacentre_demand[0] = self.initial_datacentres() * datacentre_trend
        self.other_ai_demand = self.initial_other_ai_demand * datacentre_trend
        sector.firm_demand[0] = self.initial_firm_demand * trend
        world = (
            self.initial_compute_demand + self.initial_datacentres()
            + self.initial_firm_demand + self.initial_household_demand
        )  # fmt: skip
        sector.capacity[0] = world * trend
        sector.revenue[0] = compute_kwh * sector.price[0]

    def initial_datacentres(self) -> float:
        """Step-0 data-centre demand other than the model's firms' compute: conventional
        data centres and AI compute outside the model's firms, kWh a month."""
        return self.initial_datacentre_demand + self.initial_other_ai_demand

    def twh_a_year(self, kwh_a_month: float) -> float:
        """World-equivalent TWh a year of a monthly model quantity (data centres' step-0
        use maps to ``energy.data_centre_twh``)."""
        step0 = self.initial_compute_demand + self.initial_datacentres()
        if step0 <= 0.0:
            return 0.0
        return self.data_centre_twh * kwh_a_month / step0

    def reports(self) -> dict[str, float]:
        """The electricity series of docs/model.md ("Reported each step")."""
        sector = self.sector
        compute, datacentres, firms, homes = (
            float(sector.compute_demand[0]),
            float(sector.datacentre_demand[0]),
            float(sector.firm_demand[0]),
            float(sector.household_demand[0]),
        )
        total = compute + datacentres + firms + homes
        return {
            "electricity_price": self.price,
            "energy_price": self.price_index,
            "electricity_demand_compute": self.twh_a_year(compute),
            "electricity_demand_datacentres": self.twh_a_year(compute + datacentres),
            "electricity_demand_other_ai": self.twh_a_year(self.other_ai_demand),
            "electricity_demand_firms": self.twh_a_year(datacentres + firms),
            "electricity_demand_households": self.twh_a_year(homes),
            "compute_electricity_share": compute / total if total > 0 else 0.0,
            "datacentre_electricity_share": (compute + datacentres) / total if total > 0 else 0.0,
            "household_electricity_bill": self.household_bill,
            "household_electricity_share": self.bill_share,
        }

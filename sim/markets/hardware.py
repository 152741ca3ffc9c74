"""The GPU market: price-performance, providers' capacity and investment, the rental
price and the hardware price.

Core object: :class:`GPUMarket`.

A current GPU bought in month t delivers ``f(t) = f(0) g_H^(t/12)`` useful FLOPs an hour
(hardware price-performance ``g_H``, Hobbhahn & Besiroglu 2022) and costs
``P_GPU(0) chi(t)``, ``chi`` the hardware sector's price index (1 at step 0). Capacity is
measured in FLOPs a month. A GPU-hour's rental (user cost of capital, Hall & Jorgenson
1967) covers depreciation ``delta = 1/life``, the owners' return ``r`` and obsolescence
``ln g_H`` (a FLOP of capacity loses value as newer GPUs get cheaper per FLOP), times a
scarcity factor when demand outruns capacity:

    R(t) = P_GPU(0) chi(t) (delta + r + ln g_H) / (12 x 730) x S(t)   dollars per GPU-hour,

    S*(t) = max(1, E(t) / (u* K(t)))^zeta,
    ln S(t) = (1 - lambda_H) ln S(t-1) + lambda_H ln S*(t),

with ``E`` providers' expected FLOP demand, ``u*`` the target utilisation and ``zeta`` the
scarcity elasticity (the scarcity factor adjusts like the hardware price). Providers
price tokens at this opportunity cost of their GPUs.

Investment: each provider expects FLOP demand ``E_p`` (adaptive, weight 0.3) growing at
its smoothed rate ``g_p``, wants capacity ``K*_p = E_p e^(g_p (L+1)) / u*`` when orders
arrive (lead time ``L`` months) and orders ``max(0, K*_p - (1 - delta) K_p - pipeline_p)``,
paid on ordering out of its cash, and its owners' new equity where the cash falls short.
The hardware sector makes ``H(t) = H(0) g_P^(t/12)`` GPUs a month at its base price;
orders beyond that raise its price along a supply curve of elasticity ``eps_H``,
``chi* = max(1, orders / H)^(1/eps_H)``, approached by a share ``lambda_H`` a month in
logs.

Electricity follows the installed fleet, not the FLOPs run (the bottom-up method of the
IEA and of Shehabi et al. 2024). ``e(t) = e(0) g_E^(-t/12)`` is the electricity per FLOP
of a GPU bought in month t when run at the target utilisation ``u*`` (what prices
charge); at full load it draws ``e(t) u* / lambda(u*)`` per FLOP of capacity, with the
load factor ``lambda(u) = iota + (1 - iota) u`` and ``iota`` the idle share of full-load
power (``hardware.idle_power``). A GPU keeps the efficiency of the month ``v`` it was
ordered in, so provider p's installed full-load power (kWh a month) is

    M_p(t) = sum over vintages v of K_p,v(t) e(v) u* / lambda(u*),

depreciating with its capacity, and its electricity use at utilisation
``u_p = FLOPs run / K_p`` is

    D_C,p(t) = M_p(t) lambda(u_p(t)),

which is ``FLOPs run x e(t)`` for a fleet of this month's vintage at ``u*``.
"""

from __future__ import annotations

import numpy as np

from sim.agents.hardware import HardwareSector
from sim.agents.providers import Providers
from sim.scenario import Scenario

MONTHS_PER_YEAR = 12.0
HOURS_PER_MONTH = 730.0
MAX_LOG_PRICE = np.log(1e6)
"""Guard: the hardware price and the rental's scarcity factor move toward targets of at
most a million times their start (``p = pressure^(1/e)`` overflows when the supply
elasticity ``e`` is tiny and orders far exceed production; no calibrated scenario comes
near the cap)."""
EXPECTATION_WEIGHT = 0.3
"""Weight of last month's FLOP demand in providers' expected demand (as firms' 0.3)."""
MAX_GROWTH = 0.05
"""Largest monthly growth rate (log) providers extrapolate when ordering GPUs (about
80 % a year)."""


class GPUMarket:
    """Hardware trend, the rental and hardware prices, and providers' GPU investment."""

    def __init__(self, scenario: Scenario, n_slots: int) -> None:
        cfg = scenario.hardware
        self.cfg = cfg
        self.log_performance = np.log(cfg.price_performance) / MONTHS_PER_YEAR
        self.log_energy_gain = np.log(scenario.compute.energy_efficiency_gain) / MONTHS_PER_YEAR
        self.depreciation = 1.0 / (MONTHS_PER_YEAR * cfg.life_years)
        self.user_cost = (
            self.depreciation + cfg.cost_of_capital / MONTHS_PER_YEAR + self.log_performance
        )
        self.pipeline = np.zeros((n_slots, max(cfg.lead_time, 1)))
        # Full-load kWh a month of the GPUs on order (their vintage is the order month).
        self.power_pipeline = np.zeros_like(self.pipeline)
        self.sector = HardwareSector()
        self.scarcity = 1.0
        self.initial_production = 0.0

    def flops_per_gpu_hour(self, month: int) -> float:
        """Useful FLOPs a current GPU delivers in an hour, ``f(t)``."""
        return float(self.cfg.flops_per_gpu_hour * np.exp(self.log_performance * month))

    def kwh_per_flop(self, month: int) -> float:
        """Electricity per FLOP, falling by ``compute.energy_efficiency_gain`` a year."""
        return float(
            self.cfg.kwh_per_gpu_hour / self.cfg.flops_per_gpu_hour
            * np.exp(-self.log_energy_gain * month)
        )  # fmt: skip

    def load_factor(self, utilisation: np.ndarray | float) -> np.ndarray | float:
        """Share of full-load power a fleet draws at a utilisation,
        ``lambda(u) = iota + (1 - iota) u``."""
        idle = self.cfg.idle_power
        return idle + (1.0 - idle) * utilisation

    def full_load_kwh_per_flop(self, month: int) -> float:
        """Full-load electricity per FLOP a month of capacity of a GPU bought in month t,
        ``e(t) u* / lambda(u*)`` (so that at the target utilisation it uses ``e(t)`` per
        FLOP run)."""
        target = self.cfg.target_utilisation
        return self.kwh_per_flop(month) * target / self.load_factor(target)

    def fleet_kwh(self, providers: Providers, month: int) -> np.ndarray:
        """Electricity each provider's installed GPUs use this month, kWh:
        ``M_p lambda(u_p)`` with ``u_p = min(FLOPs run / K_p, 1)``. Without binding
        capacity the fleet is what demand needs at target utilisation, all of this
        month's vintage, so it uses ``e(t)`` per FLOP run."""
        if not self.cfg.capacity_binding:
            return providers.flops_used * self.kwh_per_flop(month)
        with np.errstate(divide="ignore", invalid="ignore"):
            utilisation = np.where(
                providers.capacity > 0, providers.flops_used / providers.capacity, 0.0
            )
        return providers.power * self.load_factor(np.minimum(utilisation, 1.0))

    def gpu_price(self) -> float:
        """Price of a current GPU, dollars."""
        return float(self.cfg.gpu_price * self.sector.price_index[0])

    def rental_price(self) -> float:
        """Rental of a current GPU-hour, dollars (user cost times scarcity)."""
        return self.gpu_price() * self.user_cost / HOURS_PER_MONTH * self.scarcity

    def capital_cost_per_flop(self, month: int) -> float:
        """Rental cost of one FLOP, dollars."""
        return self.rental_price() / self.flops_per_gpu_hour(month)

    def capacity_price(self, month: int) -> float:
        """Price of one FLOP a month of new capacity, dollars."""
        return self.gpu_price() / (self.flops_per_gpu_hour(month) * HOURS_PER_MONTH)

    def gpus(self, flops_a_month: float, month: int) -> float:
        """Current-generation GPUs equivalent to a capacity of FLOPs a month."""
        return flops_a_month / (self.flops_per_gpu_hour(month) * HOURS_PER_MONTH)

    def calibrate(self, providers: Providers) -> None:
        """Step 0: capacity at target utilisation; providers expect demand to grow at
        ``initial_demand_growth`` and the pipeline holds the orders that growth and
        depreciation called for; the hardware sector's production capacity is the latest
        month's orders plus its headroom."""
        cfg = self.cfg
        growth = np.log(cfg.initial_demand_growth) / MONTHS_PER_YEAR
        providers.capacity = providers.flops_demanded / cfg.target_utilisation
        providers.expected_flops = providers.flops_demanded.copy()
        providers.flops_growth = np.where(providers.active, growth, 0.0)
        # Orders placed in the last L months for demand growing at the expected rate.
        arrival = np.arange(1, self.pipeline.shape[1] + 1)
        # No negative orders: providers that expect demand to shrink order nothing.
        step_up = np.maximum(
            np.exp(growth * arrival) * (1.0 - np.exp(-growth)) + self.depreciation, 0.0
        )
        self.pipeline[:] = providers.capacity[:, None] * step_up[None, :]
        # Orders arriving in month j were placed in month j - L.
        order_month = arrival - self.pipeline.shape[1]
        self.power_pipeline[:] = (
            self.pipeline
            * np.array([self.full_load_kwh_per_flop(int(m)) for m in order_month])[None, :]
        )
        # The step-0 fleet has step-0 efficiency (it stands for the hardware of the day).
        providers.power = providers.capacity * self.full_load_kwh_per_flop(0)
        orders = self.gpus(self.pipeline[:, -1].sum(), 0)
        self.initial_production = (1.0 + cfg.production_headroom) * orders
        self.sector.production_capacity[0] = self.initial_production
        self.sector.orders[0] = orders

    def open_month(self, providers: Providers, month: int) -> None:
        """Deliveries arrive and capacity depreciates; the hardware price moves toward its
        supply curve at last month's orders; the scarcity factor of the rental price is set
        from last month's demand against this month's capacity."""
        cfg, sector = self.cfg, self.sector
        if cfg.capacity_binding:
            if cfg.lead_time > 0:
                providers.capacity += self.pipeline[:, 0]
                providers.power += self.power_pipeline[:, 0]
                for pipeline in (self.pipeline, self.power_pipeline):
                    pipeline[:, :-1] = pipeline[:, 1:]
                    pipeline[:, -1] = 0.0
            providers.capacity *= 1.0 - self.depreciation
            providers.power *= 1.0 - self.depreciation
            orders, capacity = sector.orders[0], sector.production_capacity[0]
            # An economy that starts without AI demand has no hardware capacity (0 / 0).
            pressure = max(orders / capacity, 1.0) if capacity > 0 else (np.inf if orders else 1.0)
            log_target = min(np.log(pressure) / cfg.supply_elasticity, MAX_LOG_PRICE)
            sector.price_index[0] = np.exp(
                (1.0 - cfg.price_adjustment) * np.log(sector.price_index[0])
                + cfg.price_adjustment * log_target
            )
            planned = cfg.target_utilisation * providers.capacity.sum()
            demand = providers.expected_flops.sum()
            ratio = demand / planned if planned > 0 else 1.0
            log_target = min(cfg.scarcity_elasticity * np.log(max(ratio, 1.0)), MAX_LOG_PRICE)
            self.scarcity = float(np.exp(
                (1.0 - cfg.price_adjustment) * np.log(self.scarcity)
                + cfg.price_adjustment * log_target
            ))  # fmt: skip
        sector.production_capacity[0] = self.initial_production * np.exp(
            np.log(cfg.production_growth) / MONTHS_PER_YEAR * month
        )

    def capacity_ratio(self, providers: Providers) -> np.ndarray:
        """Share of each provider's FLOP demand its capacity can serve this month (1 when
        capacity does not bind)."""
        if not self.cfg.capacity_binding:
            return np.ones(len(providers))
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = providers.capacity / providers.flops_demanded
        return np.where(providers.flops_demanded > 0, np.minimum(ratio, 1.0), 1.0)

    def plan_orders(self, providers: Providers, month: int) -> np.ndarray:
        """Providers update their demand expectations and decide their GPU orders.

        Returns:
            FLOPs a month of capacity each provider orders (before financing).
        """
        cfg = self.cfg
        demanded = providers.flops_demanded
        with np.errstate(divide="ignore", invalid="ignore"):
            growth = np.where(
                (demanded > 0) & (providers.expected_flops > 0),
                np.log(demanded / providers.expected_flops),
                0.0,
            )
        providers.flops_growth += EXPECTATION_WEIGHT * (
            np.clip(growth, -MAX_GROWTH, MAX_GROWTH) - providers.flops_growth
        )
        providers.expected_flops += EXPECTATION_WEIGHT * (demanded - providers.expected_flops)
        if not cfg.capacity_binding:
            wanted = demanded / cfg.target_utilisation
            return np.where(providers.active, np.maximum(wanted - providers.capacity, 0.0), 0.0)
        horizon = cfg.lead_time + 1.0
        wanted = (
            providers.expected_flops * np.exp(providers.flops_growth * horizon)
            / cfg.target_utilisation
        )  # fmt: skip
        on_order = self.pipeline.sum(axis=1) if cfg.lead_time > 0 else 0.0
        remaining = (1.0 - self.depreciation) * providers.capacity
        order = np.maximum(wanted - remaining - on_order, 0.0)
        return np.where(providers.active, order, 0.0)

    def place_orders(self, order: np.ndarray, providers: Providers, month: int) -> np.ndarray:
        """Orders enter the pipeline (or, without binding capacity, capacity becomes what
        this month's demand needs); the hardware sector records them.

        Returns:
            Dollars each provider pays the hardware sector.
        """
        power = order * self.full_load_kwh_per_flop(month)
        if self.cfg.capacity_binding:
            if self.cfg.lead_time > 0:
                self.pipeline[:, -1] += order
                self.power_pipeline[:, -1] += power
            else:
                providers.capacity += order
                providers.power += power
        else:
            providers.capacity = np.where(
                providers.active, providers.flops_demanded / self.cfg.target_utilisation, 0.0
            )
            providers.power = providers.capacity * self.full_load_kwh_per_flop(month)
        spend = order * self.capacity_price(month)
        self.sector.orders[0] = self.gpus(order.sum(), month)
        self.sector.revenue[0] = spend.sum()
        return spend

    def retire(self, slot: int) -> None:
        """An exiting provider's orders are cancelled."""
        self.pipeline[slot] = 0.0
        self.power_pipeline[slot] = 0.0

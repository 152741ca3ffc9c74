"""The AI supply chain's producers (power plants and grids, chip makers, model
training) as an industry that buys its inputs from a goods sector and pays its owners.

Core objects: :class:`SupplierInputs`, :func:`sell_to_buyer` (also used by firms buying
capital goods, :mod:`sim.markets.investment`).

The supplier account receives providers' payments for electricity, GPUs, training and
entry, and households' electricity bills. Each month (phase 6, after households have
shopped) the suppliers spend a share ``alpha`` (``energy.supplier_input_share``) of
what the account holds on the output of one goods sector ``s_U``
(``energy.supplier_input_sector``): the labour, materials and services that produce
electricity and chips, bought from that sector's firms, which hire the workers through
the ordinary labour market. The rest, and whatever the suppliers could not buy, is their
owners' income, paid as dividends in phase 7. Spending ``alpha X`` (``X`` the account's
balance) is split over the sector's active firms in proportion to their planned sales at
their prices, ``x_f = alpha X (p_f D^e_f) / sum_g p_g D^e_g``; each firm sells
``min(x_f / p_f, inventory_f)`` and counts ``x_f / p_f`` as demand, so a supply chain
that grows makes the sector plan more output and hire.

Employment embodied in the suppliers' purchases (an input-output attribution, as in
employment-content-of-demand tables): ``N_U = sum_f (x^bought_f / R_f) n_f``, ``R_f`` the
firm's revenue and ``n_f`` its headcount.
"""

from __future__ import annotations

import numpy as np

from sim.agents.firms import Firms


class SupplierInputs:
    """The suppliers' purchases from their input sector (firms ``first`` to ``last - 1``).

    Attributes:
        paid: dollars paid to each firm of the sector this month.
    """

    def __init__(self, first: int, last: int, share: float) -> None:
        self.first, self.last, self.share = first, last, share
        self.paid = np.zeros(last - first)

    @classmethod
    def for_sector(
        cls, sectors: list[str], bounds: np.ndarray, sector: str, share: float
    ) -> SupplierInputs:
        """Purchases from ``sector`` (firms ``bounds[s]`` to ``bounds[s + 1] - 1``); none
        when ``share`` is 0."""
        if share == 0.0:
            return cls(0, 0, 0.0)
        s = sectors.index(sector)
        return cls(int(bounds[s]), int(bounds[s + 1]), share)

    def buy(self, firms: Firms, supplier_cash: np.ndarray) -> float:
        """Phase 6: spend ``share`` of the supplier account on the sector's output at
        posted prices (:func:`sell_to_buyer`). Returns the dollars paid."""
        budget = self.share * max(float(supplier_cash[0]), 0.0)
        _, self.paid, _ = sell_to_buyer(firms, slice(self.first, self.last), budget)
        total = float(self.paid.sum())
        supplier_cash[0] -= total
        return total

    def embodied_employment(self, firms: Firms) -> float:
        """Workers attributed to this month's purchases, ``sum_f (x_f / R_f) n_f``
        (production and oversight staff)."""
        sector = slice(self.first, self.last)
        revenue = firms.revenue[sector]
        with np.errstate(divide="ignore", invalid="ignore"):
            content = np.where(revenue > 0.0, self.paid / revenue, 0.0)
        staff = firms.headcount[sector] + firms.oversight_headcount[sector]
        return float(content @ staff)

    def reports(self, firms: Firms) -> dict[str, float]:
        """The suppliers' series of docs/model.md ("Reported each step")."""
        return {
            "supplier_input_purchases": float(self.paid.sum()),
            "supply_chain_employment": self.embodied_employment(firms),
        }


def sell_to_buyer(
    firms: Firms, sector: slice, budget: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A buyer outside the households spends ``budget`` dollars on the output of the firms
    in ``sector`` at their posted prices, split over the active firms in proportion to
    their planned sales, ``x_f = budget (p_f D^e_f) / sum_g p_g D^e_g``; each sells
    ``min(x_f / p_f, inventory_f)`` and counts ``x_f / p_f`` as demand (a stock-out if it
    could not serve it all). Updates the sellers' inventory, sales, demand, stocked-out
    flags, cash and revenue; the buyer pays the sum of what is returned.

    Returns:
        (units sold by each firm of ``sector``, dollars paid to each, units asked of each).
    """
    price = firms.price[sector]
    weight = np.where(firms.active[sector], price * firms.expected_demand[sector], 0.0)
    nothing = np.zeros(price.size)
    if budget <= 0.0 or weight.sum() <= 0.0:
        return nothing, nothing.copy(), nothing.copy()
    wanted = budget * weight / weight.sum() / np.where(price > 0.0, price, 1.0)
    bought = np.minimum(wanted, np.maximum(firms.inventory[sector], 0.0))
    paid = bought * price
    firms.inventory[sector] -= bought
    firms.sales[sector] += bought
    firms.demand[sector] += wanted
    firms.stocked_out[sector] |= bought < wanted * (1.0 - 1e-12)
    firms.cash[sector] += paid
    firms.revenue[sector] += paid
    return bought, paid, wanted

"""Banks: loans, equity and this month's flows.

Core object: :class:`Banks`.

Every money balance in the model (households', firms', providers', the government's)
is a deposit at the banking system. A bank's assets are its loans to firms and its
reserves; its liabilities are deposits; equity closes the balance sheet,
``reserves + loans = deposits + equity``. Reserves are not tracked bank by bank
(clearing between banks settles in reserves): the banking system's reserves are the
base money the issuer has created, and :class:`~sim.accounting.BalanceSheetCheck`
verifies ``deposits + equity - loans = base money`` every month.
"""

from __future__ import annotations

import numpy as np

from sim.agents.base import Population

FLOWS = ("lent", "repaid", "interest", "capitalised", "written_off", "dividends", "recapitalised")
"""This month's flows of each bank, dollars (see :class:`Banks`)."""


class Banks(Population):
    """All banks as arrays.

    Fields:
        equity: net worth, dollars.
        loans: loans outstanding to firms, dollars.
        lent: new loans this month.
        repaid: principal repaid this month (including what a failing borrower's cash
            recovered).
        interest: interest earned this month (paid or capitalised).
        capitalised: interest that borrowers could not pay, added to their loans.
        written_off: loans written off this month (bad debt).
        dividends: paid to owners this month.
        recapitalised: new equity raised from owners this month.
        failures: months in which the bank's equity fell below zero (resolutions).
    """

    kind = "bank"
    fields = ("equity", "loans", *FLOWS, "failures")

    def __init__(self, equity: np.ndarray) -> None:
        n = equity.size
        self.equity = equity.astype(np.float64)
        self.loans = np.zeros(n)
        for name in FLOWS:
            setattr(self, name, np.zeros(n))
        self.failures = np.zeros(n, dtype=np.int64)

    def start_month(self) -> None:
        """Reset this month's flows."""
        for name in FLOWS:
            getattr(self, name)[:] = 0.0

    def supply(self, capital_requirement: float) -> np.ndarray:
        """New lending each bank can still do under its capital requirement ``nu``:
        ``max(0, E / nu - L)``, dollars."""
        return np.maximum(self.equity / capital_requirement - self.loans, 0.0)

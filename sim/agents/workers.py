"""Workers: who works where, with what skill, and how long they have been in a sector.

Core object: :class:`Workers`.
"""

from __future__ import annotations

import numpy as np

from sim.agents.base import Population

UNEMPLOYED = -1
"""Employer index of a worker without a job."""


class Workers(Population):
    """All workers as arrays.

    Fields:
        employer: index of the employing firm, or -1 when unemployed.
        occupation: 0 for production work, 1 for oversight of AI (in the current or last job).
        sector: sector of the current (or last) job.
        skill: productivity in efficiency units (mean 1).
        months_in_sector: months since the worker last moved sector or occupation.
        wage: this month's wage income, dollars (0 when unemployed).
        household: index of the worker's household.
        months_unemployed: months since the worker lost her last job (0 when employed).
        last_wage: pay in the last job held, dollars a month (her reservation wage's anchor).
        separated_from: firm she left this month (-1 if none); it cannot rehire her this
            month.
    """

    kind = "worker"
    fields = (
        "employer", "occupation", "sector", "skill", "months_in_sector", "wage", "household",
        "months_unemployed", "last_wage", "separated_from",
    )  # fmt: skip

    def __init__(
        self,
        employer: np.ndarray,
        sector: np.ndarray,
        skill: np.ndarray,
        household: np.ndarray,
        months_in_sector: float,
    ) -> None:
        n = employer.size
        self.employer = employer.astype(np.int32)
        self.occupation = np.zeros(n, dtype=np.int8)
        self.sector = sector.astype(np.int16)
        self.skill = skill.astype(np.float64)
        self.months_in_sector = np.full(n, months_in_sector, dtype=np.float64)
        self.wage = np.zeros(n, dtype=np.float64)
        self.household = household.astype(np.int32)
        self.months_unemployed = np.zeros(n, dtype=np.float64)
        self.last_wage = np.zeros(n, dtype=np.float64)
        self.separated_from = np.full(n, UNEMPLOYED, dtype=np.int32)

    @property
    def employed(self) -> np.ndarray:
        """Boolean mask of employed workers."""
        return self.employer != UNEMPLOYED

    def efficiency(self, penalty: float, fade_months: float) -> np.ndarray:
        """Efficiency units a worker supplies in their current sector:
        ``skill * (1 - penalty * exp(-months_in_sector / fade_months))``.

        Computed step by step in one array (the same operations in the same order,
        without a fresh million-element temporary for each).
        """
        units = np.negative(self.months_in_sector)
        np.divide(units, fade_months, out=units)
        np.exp(units, out=units)
        np.multiply(penalty, units, out=units)
        np.subtract(1.0, units, out=units)
        return np.multiply(self.skill, units, out=units)

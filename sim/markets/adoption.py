r"""AI adoption across firms: a Bass (1969) diffusion on the extensive margin.

Core object: :class:`Adoption`.

Each firm is an adopter (it can buy compute and produces with the CES of
:mod:`sim.economics.ces`) or not (it produces with labour only). A non-adopter's
technology is the labour-only one that costs the same as the adopter's at the step-0
prices (AI at November 2022 prices just paid its way, so both kinds of firm coexist at
step 0; docs/model.md, section 2b):

.. math::  Y = (1 - s_0)\,A_s(t)\,L,

unit cost ``w / [(1 - s_0) A_s(t)]``, which equals the adopter's
``w_0 / [(1 - s_0) A_s(0)]`` at base prices. Once compute gets cheaper, an adopter's
unit cost falls below it.

Each month, before the compute market opens, every active non-adopter adopts with the
Bass hazard

.. math::  h(t) = p + q\,F(t-1),

``F`` the share of active firms that had adopted by the end of last month, ``p`` the
coefficient of innovation and ``q`` of imitation (``adoption.innovation``,
``adoption.imitation``). Adoption is permanent. Entrants adopt with probability ``F``
(they copy the technology mix of the firms they join).
"""

from __future__ import annotations

import numpy as np

from sim.agents.firms import Firms
from sim.scenario.schema import AdoptionConfig


class Adoption:
    """Which firms use AI, and the monthly Bass hazard of adopting it.

    Args:
        config: the scenario's ``adoption`` section.
    """

    def __init__(self, config: AdoptionConfig) -> None:
        self.enabled = config.enabled
        self.initial_share = config.initial_share if config.enabled else 1.0
        self.innovation = config.innovation
        self.imitation = config.imitation

    def initial_adopters(self, n_firms: int, rng: np.random.Generator) -> np.ndarray:
        """Step 0: each firm is an adopter with probability ``F(0)``, and at least one
        is (the one with the lowest draw when none is drawn: AI was in use in November
        2022, and a small economy, e.g. the classroom's 60 firms at F(0) = 1.1 %, would
        otherwise start without it half the time). Every firm when diffusion is off,
        drawing nothing."""
        if not self.enabled:
            return np.ones(n_firms, dtype=bool)
        draws = rng.random(n_firms)
        adopters = draws < self.initial_share
        if n_firms and not adopters.any():
            adopters[np.argmin(draws)] = True
        return adopters

    @staticmethod
    def share(firms: Firms) -> float:
        """``F``: the share of active firms that are adopters (0 with no active firm)."""
        active = int(firms.active.sum())
        return float((firms.adopter & firms.active).sum() / active) if active else 0.0

    def hazard(self, share: float) -> float:
        """The Bass hazard ``h = p + q F``, capped at 1."""
        return min(1.0, self.innovation + self.imitation * share)

    def diffuse(self, firms: Firms, rng: np.random.Generator) -> int:
        """Each active non-adopter adopts with probability ``h(F)``, ``F`` measured
        before anyone adopts this month. Returns the number of new adopters."""
        if not self.enabled:
            return 0
        candidates = np.flatnonzero(firms.active & ~firms.adopter)
        adopting = candidates[rng.random(candidates.size) < self.hazard(self.share(firms))]
        firms.adopter[adopting] = True
        return adopting.size

    def enter(self, firms: Firms, entering: np.ndarray, rng: np.random.Generator) -> None:
        """Entrants adopt with probability ``F``, the adopters' share among the firms
        they join (measured before they enter)."""
        if not self.enabled or entering.size == 0:
            return
        share = self.share(firms)
        firms.adopter[entering] = rng.random(entering.size) < share


def labour_only_productivity(ai_share: np.ndarray, productivity: np.ndarray) -> np.ndarray:
    """A non-adopter's output per efficiency unit of labour, ``(1 - s_0) A_s(t)``: the
    labour-only technology with the adopter's unit cost at step-0 prices."""
    return (1.0 - ai_share) * productivity

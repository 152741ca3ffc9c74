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

Each month, before the compute market opens, active non-adopter ``i`` with ``E_i``
employees adopts with the Bass hazard tilted toward larger firms

.. math::  h_i(t) = \min\{1,\ c(t)\,g_i\},\quad g_i = \max(E_i, 1)^{\beta},\quad
           \frac{1}{|N|}\sum_{i \in N} h_i(t) = h(t) = p + q\,F(t-1),

``N`` the active non-adopters (so the expected number of adopters is the Bass
hazard's; ``c = h / mean(g)`` unless a probability reaches 1), ``F`` the share of
active firms that had adopted by the end of last month, ``p`` the coefficient of
innovation and ``q`` of imitation (``adoption.innovation``, ``adoption.imitation``),
``beta`` the size elasticity (``adoption.size_elasticity``, from the Census Bureau's
employment-weighted AI-use rate). Adoption is permanent. Entrants adopt with
probability ``F`` (they copy the technology mix of the firms they join).
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
        self.size_elasticity = config.size_elasticity

    def probabilities(self, mean: float, employment: np.ndarray) -> np.ndarray:
        """Each firm's adoption probability ``min(1, c g_i)``, ``g_i = max(E_i, 1)^beta``,
        with ``c`` such that the probabilities average ``mean`` over these firms (so the
        expected number of adopters is ``mean`` times their number; ``c = mean / mean(g)``
        unless a large firm's probability reaches 1, whose excess goes to the others).
        All equal to ``mean`` when ``beta = 0``."""
        size = np.maximum(np.asarray(employment, dtype=float), 1.0)
        weight = size**self.size_elasticity
        return _capped_scaling(weight, mean)

    def initial_adopters(self, employment: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Step 0: firm ``i`` with ``E_i`` employees is an adopter when its uniform draw
        ``u_i`` is below its probability ``min(1, c g_i)``, which averages ``F(0)`` over
        the firms; at least one firm is (the one with the lowest ``u_i`` over its
        probability when none is drawn: AI was in use in November 2022, and a small
        economy, e.g. the classroom's 60 firms at F(0) = 1.1 %, would otherwise start
        without it half the time). Every firm when diffusion is off, drawing nothing."""
        n_firms = len(employment)
        if not self.enabled:
            return np.ones(n_firms, dtype=bool)
        probability = self.probabilities(self.initial_share, employment)
        draws = rng.random(n_firms)
        adopters = draws < probability
        if n_firms and not adopters.any():
            adopters[np.argmin(draws / probability)] = True
        return adopters

    @staticmethod
    def share(firms: Firms) -> float:
        """``F``: the share of active firms that are adopters (0 with no active firm)."""
        active = int(firms.active.sum())
        return float((firms.adopter & firms.active).sum() / active) if active else 0.0

    @staticmethod
    def employment_share(firms: Firms) -> float:
        """The share of active firms' employees (production and oversight headcount)
        who work at adopters, the employment-weighted counterpart of ``F`` (0 with no
        employee)."""
        staff = (firms.headcount + firms.oversight_headcount) * firms.active
        total = int(staff.sum())
        return float(staff[firms.adopter].sum() / total) if total else 0.0

    def hazard(self, share: float) -> float:
        """The Bass hazard ``h = p + q F``, capped at 1."""
        return min(1.0, self.innovation + self.imitation * share)

    def diffuse(self, firms: Firms, rng: np.random.Generator) -> int:
        """Each active non-adopter adopts with probability ``min(1, c g_i)`` averaging
        ``h(F)`` over them, ``F`` measured before anyone adopts this month, ``g_i`` from
        its employment (production and oversight headcount). Returns the number of new
        adopters."""
        if not self.enabled:
            return 0
        candidates = np.flatnonzero(firms.active & ~firms.adopter)
        employment = firms.headcount[candidates] + firms.oversight_headcount[candidates]
        hazard = self.probabilities(self.hazard(self.share(firms)), employment)
        adopting = candidates[rng.random(candidates.size) < hazard]
        firms.adopter[adopting] = True
        return adopting.size

    def enter(self, firms: Firms, entering: np.ndarray, rng: np.random.Generator) -> None:
        """Entrants adopt with probability ``F``, the adopters' share among the firms
        they join (measured before they enter)."""
        if not self.enabled or entering.size == 0:
            return
        share = self.share(firms)
        firms.adopter[entering] = rng.random(entering.size) < share


def _capped_scaling(weight: np.ndarray, mean: float) -> np.ndarray:
    """``min(1, c w_i)`` with ``c >= 0`` such that the result averages ``mean`` (in
    [0, 1]): water-filling, the largest weights capped at 1 first. With ``k`` weights
    capped, ``c = (mean n - k) / (sum of the other weights)``; ``k`` is the fewest for
    which no other weight exceeds ``1 / c``."""
    n = weight.size
    if n == 0 or mean >= 1.0:
        return np.ones(n)
    uncapped = mean * (weight / weight.mean())
    if uncapped.max() <= 1.0:
        return uncapped
    order = np.argsort(weight)[::-1]
    ranked = weight[order]
    rest = np.cumsum(ranked[::-1])[::-1]  # sum of the weights from rank k on
    capped = np.arange(n)
    scale = (mean * n - capped) / rest
    k = int(np.argmax(scale * ranked <= 1.0))
    probability = np.empty(n)
    probability[order] = np.minimum(1.0, scale[k] * ranked)
    return probability


def labour_only_productivity(ai_share: np.ndarray, productivity: np.ndarray) -> np.ndarray:
    """A non-adopter's output per efficiency unit of labour, ``(1 - s_0) A_s(t)``: the
    labour-only technology with the adopter's unit cost at step-0 prices."""
    return (1.0 - ai_share) * productivity

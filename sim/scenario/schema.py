"""Scenario schema: every parameter of the economy, with its default, range and unit.

Core objects: :class:`Scenario` and its sections. A scenario file (TOML) is merged
onto :data:`DEFAULTS` key by key and then validated here; unknown keys are rejected.

Units used throughout: one step is one month; money is in dollars; output of a
sector is in units whose price is 1 dollar at step 0; compute is in millions of
tokens ("M tokens") and its price in dollars per million tokens.
"""

from __future__ import annotations

import math
import re
import sys
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

Share = Annotated[float, Field(ge=0.0, le=1.0)]

MAX_TEXT = 10_000
"""Longest string value (labels, descriptions), in characters."""

SMALLEST_NORMAL = sys.float_info.min
"""Smallest positive normal double (2.2e-308); a smaller non-zero number is subnormal."""

NAME_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")
"""Sector and tier names: they become column names (``wage_care``) and dotted keys."""

MAX_SECTORS = 50
MAX_TIERS = 21
"""Most sectors and compute tiers a scenario may have (tier ranks run from 0 to 20)."""

MAX_COMPOUNDING_DIGITS = 40.0
"""Largest cumulative change, in powers of ten, that a yearly growth or decline factor
may compound to over the run (``years x log10(factor)``). The baseline's fastest decline,
40x a year over 20 years, is 32 powers of ten; beyond about 40 the model's prices and
quantities leave the range a double can hold once raised to an elasticity of up to 10."""

MAX_RULE_GROWTH = 0.4
"""Largest annual log growth of the money stock, of either sign, that the McCallum rule
may set (``money.rule = "mccallum"``): a numerical guard against a collapse or
explosion of nominal GDP in extreme scenarios, not a behavioural claim. Its
factor ``exp(0.4)`` a year is what the compounding bound counts for the rule."""

MAX_TAX_TO_PRICE = 100.0
"""Largest compute tax, as a multiple of the cheapest tier's price at step 0."""


class Section(BaseModel):
    """Base for scenario sections: unknown keys are errors, values are frozen.

    Every number must be a number (not true/false), finite (no NaN or infinity) and
    normal (0 or at least 2.2e-308 in size); every string at most :data:`MAX_TEXT`
    characters. These rules
    apply to every field of every section, including those added later.
    """

    model_config = ConfigDict(
        extra="forbid", frozen=True, allow_inf_nan=False, str_max_length=MAX_TEXT
    )

    @field_validator("*", mode="before")
    @classmethod
    def _not_a_truth_value(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, bool) and cls.model_fields[info.field_name].annotation in (
            int,
            float,
        ):
            raise ValueError("is true or false; a number is needed")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _normal_number(cls, value: Any) -> Any:
        if isinstance(value, float) and value != 0.0 and abs(value) < SMALLEST_NORMAL:
            raise ValueError(
                f"is a subnormal number; use 0 or a value of at least {SMALLEST_NORMAL:.3g} in size"
            )
        return value


class RunConfig(Section):
    """How long to run and which random stream to use."""

    steps: int = Field(120, ge=1, le=2400, description="Months to simulate.")
    seed: int = Field(42, ge=0, le=2**63 - 1, description="Seed of the model's random generator.")


class PopulationConfig(Section):
    """How many agents of each kind."""

    workers: int = Field(10_000, ge=20, le=20_000_000, description="Number of workers.")
    households: int = Field(
        0,
        ge=0,
        le=20_000_000,
        description="Number of households; 0 means one household per worker. "
        "Workers are assigned to households at random.",
    )
    firms: int = Field(
        200, ge=5, le=1_000_000, description="Number of firms in all sectors together."
    )
    providers: int = Field(4, ge=1, le=100, description="Number of AI compute providers.")


class SectorConfig(Section):
    """One production sector with CES technology in labour and AI compute."""

    label: str = Field(description="Name shown in tables and figures.")
    ai_share: float = Field(
        ge=1e-6,
        le=0.95,
        description="AI compute's share of the sector's costs at step 0 "
        "(s0 of the normalised CES).",
    )
    substitution_elasticity: float = Field(
        ge=0.05,
        le=10.0,
        description="Elasticity of substitution between labour and compute (sigma); "
        ">1 substitutes, <1 complements.",
    )
    exposure: float = Field(
        1.0,
        ge=1e-6,
        le=1.0,
        description="Share of the sector's human work (by wage cost at step 0) that AI can "
        "take over: the share of its tasks AI exposes (Eloundou et al. 2024, beta) times the "
        "time AI saves in them (sim/data/ai_exposure_by_sector.csv); 1 = every task, the "
        "single CES. At least 1e-6, like ai_share: a share of 1e-176 underflows the nested "
        "CES to NaN.",
    )
    task_elasticity: float = Field(
        0.5,
        gt=0.0,
        le=10.0,
        description="Elasticity of substitution between exposed and unexposed tasks "
        "(<1: unexposed work stays essential).",
    )
    min_tier: str = Field(description="Lowest compute tier good enough for the sector's tasks.")
    productivity_growth: float = Field(
        ge=-0.05,
        le=0.2,
        description="Annual growth of non-AI productivity A_s (0.02 = 2 % a year).",
    )
    consumer_weight: float = Field(
        ge=1e-4,
        le=1e4,
        description="Share of household spending on the sector at step 0 (weights are normalised).",
    )
    oversight_per_token: float = Field(
        0.0,
        ge=0.0,
        le=10.0,
        description="Oversight work AI needs (prompting, checking, auditing), in worker-months "
        "of efficiency per million tokens at step 0; 0 = none.",
    )
    oversight_decline: float = Field(
        1.0,
        ge=1.0,
        le=1000.0,
        description="Factor by which oversight needed per token falls each year (1 = no decline).",
    )


class TierConfig(Section):
    """A capability tier of AI compute, sold by every provider."""

    rank: int = Field(
        ge=0, le=20, description="Capability order: a higher rank serves lower needs."
    )
    price: float = Field(
        ge=1e-4, le=1e4, description="Price at step 0, dollars per million tokens."
    )
    annual_decline: float = Field(
        ge=1.0,
        le=10_000.0,
        description="Factor by which the price of a token at this fixed capability falls each "
        "year at trend input prices (9 = nine times cheaper a year; 1 = no decline): hardware "
        "price-performance times algorithmic progress, so FLOPs per token fall by "
        "annual_decline / hardware.price_performance a year.",
    )
    tokens_per_task: float = Field(
        1000.0, gt=0.0, le=1e7, description="Tokens a task of this tier takes at step 0."
    )
    tokens_per_task_growth: float = Field(
        1.0,
        ge=0.1,
        le=100.0,
        description="Factor by which tokens per task change each year (reasoning uses more "
        "tokens per task: Gundlach et al. 2025); 1 = constant.",
    )


class LabourConfig(Section):
    """Job search, mobility between sectors and wage setting."""

    applications: int = Field(
        4, ge=1, le=50, description="Firms a job seeker applies to each month (M in BAM)."
    )
    on_the_job_search: Share = Field(
        0.05, description="Monthly probability that an employed worker looks for a better job."
    )
    mobility: Share = Field(
        0.3,
        description="Probability that an application may go to a firm in another sector "
        "(1 = perfect mobility, 0 = none).",
    )
    retraining_penalty: float = Field(
        0.3,
        ge=0.0,
        lt=1.0,
        description="Share of productivity a worker loses on moving to another sector.",
    )
    retraining_months: float = Field(
        12.0,
        ge=0.1,
        le=240.0,
        description="Months for the retraining penalty to fall by a factor e.",
    )
    switch_premium: float = Field(
        0.03,
        ge=0.0,
        le=1.0,
        description="Wage gain (relative) a worker needs before moving to another job.",
    )
    wage_adjustment: float = Field(
        0.02,
        ge=0.0,
        le=0.5,
        description="Largest monthly wage rise (relative) of a firm with unfilled "
        "vacancies (h_xi).",
    )
    wage_cut: float = Field(
        0.005,
        ge=0.0,
        le=0.5,
        description="Largest monthly wage cut (relative) of a firm laying workers off.",
    )
    max_layoff_rate: Share = Field(
        0.05, description="Largest share of its workforce a firm may lay off in one month."
    )
    quit_rate: Share = Field(
        0.013,
        description="Monthly probability that a worker quits into unemployment (quits to "
        "another job come from on-the-job search). Estimated jointly with offer_rate from "
        "the job-finding, separation and unemployment rates (scenarios/calibration/"
        "labour_flows.toml; docs/calibration.md, 'Labour flows').",
    )
    offer_rate: Share = Field(
        0.18,
        description="Probability that an application to an open vacancy brings an offer "
        "(screening; 1 = every application to an open job succeeds). Estimated jointly "
        "with quit_rate (scenarios/calibration/labour_flows.toml).",
    )
    reservation_decline: Share = Field(
        0.1,
        description="Monthly fall of an unemployed worker's reservation wage, from her "
        "last pay, counting the month of the job loss (0 = she holds out for her last pay; "
        "1 = she takes any job).",
    )
    no_same_month_rehire: bool = Field(
        True,
        description="A worker who left a firm this month gets no offer from it this month.",
    )
    skill_dispersion: float = Field(
        0.3, ge=0.0, le=2.0, description="Standard deviation of log skill across workers."
    )
    initial_wage: float = Field(
        4000.0, ge=1.0, le=1e6, description="Wage per efficiency unit at step 0, dollars a month."
    )


class BenefitConfig(Section):
    """Unemployment insurance paid by the government."""

    replacement_rate: Share = Field(
        0.4, description="Benefit as a share of the worker's last pay (0 = no benefits)."
    )
    duration_months: float = Field(
        6.0, ge=0.0, le=120.0, description="Months of unemployment for which benefits are paid."
    )


class CreditConfig(Section):
    """Banks, working-capital loans, bankruptcy and entry."""

    enabled: bool = Field(
        True,
        description="Firms may borrow from banks (false: firms finance everything from "
        "cash, as before issue 10).",
    )
    banks: int = Field(10, ge=1, le=1000, description="Number of banks.")
    bank_capital_months: float = Field(
        1.0,
        ge=0.0,
        le=60.0,
        description="Banks' equity at step 0, in months of nominal output (US commercial "
        "banks: about 9 % of annual GDP).",
    )
    capital_requirement: float = Field(
        0.08,
        gt=0.0,
        le=1.0,
        description="Equity a bank must hold per dollar of loans (Basel minimum 8 %); it "
        "lends no more than equity / requirement.",
    )
    policy_rule: Literal["taylor", "fixed"] = Field(
        "taylor",
        description="'taylor': the central bank sets its policy rate each month by Taylor's "
        "(1993) rule on inflation and the unemployment gap, and loans cost the policy rate "
        "plus loan_spread; 'fixed': loans cost base_rate every month.",
    )
    base_rate: float = Field(
        0.03,
        ge=0.0,
        le=0.5,
        description="Annual interest rate on a loan to a firm without debt under the fixed "
        "policy rule.",
    )
    neutral_rate: float = Field(
        0.02,
        ge=-0.05,
        le=0.2,
        description="Equilibrium real interest rate in the Taylor rule (Taylor 1993: 2 %).",
    )
    inflation_target: float = Field(
        0.02,
        ge=-0.05,
        le=0.2,
        description="The central bank's inflation target, per year (Taylor 1993; the FOMC's "
        "2 % since 2012).",
    )
    loan_spread: float = Field(
        0.03,
        ge=0.0,
        le=0.5,
        description="Annual rate a loan to a firm without debt costs above the policy rate "
        "under the Taylor rule (the US prime rate is the federal funds rate plus 3 points).",
    )
    risk_premium: float = Field(
        0.02,
        ge=0.0,
        le=1.0,
        description="Annual interest added per unit of the borrower's leverage (debt over net "
        "worth), as in BAM.",
    )
    maturity_months: float = Field(
        12.0, ge=1.0, le=600.0, description="A loan is repaid in equal parts over this many months."
    )
    bank_payout: Share = Field(
        0.5, description="Share of a bank's positive monthly profit paid to its owners."
    )
    entry_sensitivity: float = Field(
        1.0,
        ge=0.0,
        le=100.0,
        description="Monthly probability of entry into an empty firm slot per unit of the "
        "sector's expected margin (price over unit cost minus one).",
    )


class CapitalConfig(Section):
    """Capital goods, investment and capacity (docs/model.md, section 13b)."""

    enabled: bool = Field(
        True,
        description="Firms need capital for capacity, invest from expected sales and price "
        "to cover capital costs (false: unlimited capacity and no investment, the "
        "textbook economy of the frictionless configuration; docs/model.md section 13b).",
    )
    goods_sector: str = Field(
        "manufacturing", description="The sector whose output is the capital good."
    )
    capital_output_ratio: float = Field(
        1.5,
        ge=0.05,
        le=5.0,
        description="Capital over a year's output at normal utilisation, years (theta).",
    )
    depreciation: float = Field(
        0.08, ge=0.005, le=0.5, description="Share of capital that wears out in a year."
    )
    normal_utilisation: float = Field(
        0.8,
        ge=0.3,
        le=1.0,
        description="Capacity utilisation firms plan for (Federal Reserve G.17: 79.9 % on "
        "average 1972-2016).",
    )
    adjustment_months: float = Field(
        12.0,
        ge=1.0,
        le=120.0,
        description="Months over which a firm closes the gap between desired and actual "
        "capital (partial adjustment of the accelerator).",
    )
    loss_months: float = Field(
        12.0,
        ge=1.0,
        le=120.0,
        description="A firm older than this many months leaves when its economic profit "
        "(profit less depreciation at the current price of capital), averaged "
        "exponentially over as many months, is negative.",
    )
    planning_months: float = Field(
        12.0,
        ge=1.0,
        le=120.0,
        description="Mean age, in months, of the sales in the exponential average that "
        "investment plans on (S_e <- S_e + (sales - S_e) / planning_months).",
    )
    loan_maturity_months: float = Field(
        24.0,
        ge=1.0,
        le=600.0,
        description="An investment loan is repaid in equal parts over this many months "
        "(Federal Reserve E.2: commercial and industrial loans average 733 days).",
    )


class ShockConfig(Section):
    """The aggregate productivity shock (docs/model.md, section 3b)."""

    productivity_persistence: float = Field(
        0.979,
        ge=0.0,
        le=0.999,
        description="Quarterly autocorrelation rho_q of the log productivity shock common to "
        "every sector: the Solow residual's, King and Rebelo (1999).",
    )
    productivity_sd: float = Field(
        0.0072,
        ge=0.0,
        le=0.05,
        description="S.d. sigma_q of the shock's quarterly innovation (King and Rebelo 1999: "
        "0.0072); 0 switches the shock off (the frictionless configuration).",
    )


class AdoptionConfig(Section):
    """AI adoption across firms, a Bass diffusion (docs/model.md, section 2b)."""

    enabled: bool = Field(
        True,
        description="Firms adopt AI one by one (a non-adopter buys no compute and produces "
        "with labour only); false: every firm uses AI from step 0 (the frictionless "
        "configuration and the textbook limits).",
    )
    initial_share: float = Field(
        0.0112,
        ge=1e-4,
        le=1.0,
        description="Share of firms using AI at step 0 (November 2022): the Bass path "
        "fitted to the Census BTOS AI-use rates (3.7 % Sep 2023, 5.4 % Feb 2024, about "
        "10 % late 2025) back-cast to month 0.",
    )
    innovation: float = Field(
        0.00275,
        ge=0.0,
        le=1.0,
        description="Bass coefficient of innovation p: monthly hazard of adopting "
        "independently of others (fitted to the same BTOS rates).",
    )
    imitation: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="Bass coefficient of imitation q: extra monthly hazard per unit share "
        "of adopters (the BTOS rates to late 2025 fit best with q = 0: no acceleration "
        "is visible yet).",
    )
    size_elasticity: float = Field(
        0.117,
        ge=0.0,
        le=1.0,
        description="Elasticity beta of a firm's adoption hazard with respect to its "
        "employment: hazard p + qF times E^beta over its mean among non-adopters, so the "
        "firm-count path is unchanged (0: every firm alike). Set so that on the US firm-size "
        "classes (SUSB 2019) the employment-weighted AI-use rate is 32/18 = 1.78 times the "
        "firm-count rate, as in the Census BTOS AI supplement of 2025-26 (Bonney et al. 2026).",
    )


class HouseholdConfig(Section):
    """Consumption, saving and shopping."""

    consumer_elasticity: float = Field(
        0.5,
        ge=0.05,
        le=10.0,
        description="Elasticity of substitution across sectors in household demand "
        "(epsilon; <1 is Baumol's condition).",
    )
    buffer_months: float = Field(
        3.0, ge=0.0, le=60.0, description="Savings target, in months of income."
    )
    spend_excess: Share = Field(
        0.1, description="Share of savings above (or below) target spent (or rebuilt) each month."
    )
    income_smoothing: Share = Field(
        0.25, description="Weight of this month's income in expected (permanent) income."
    )
    shops_visited: int = Field(
        2, ge=1, le=10, description="Firms a household visits per sector each month (Z in BAM)."
    )
    loyalty: float = Field(
        0.02,
        ge=0.0,
        le=1.0,
        description="Price advantage (relative) another firm needs to win a household "
        "from its usual firm.",
    )
    equity_concentration: float = Field(
        1.16,
        ge=1.01,
        le=50.0,
        description="Pareto tail index of equity holdings (1.16 gives the 80/20 rule; "
        "higher is more equal).",
    )


class FirmConfig(Section):
    """Expectations, production, pricing and finance of firms."""

    expectation_adjustment: Share = Field(
        0.3, description="Weight of last month's demand in expected demand (adaptive expectations)."
    )
    max_expansion: float = Field(
        0.1,
        ge=0.001,
        le=1.0,
        description="Largest relative change in expected demand in one month (h_rho in BAM).",
    )
    inventory_target: float = Field(
        0.1, ge=0.0, le=2.0, description="Desired stock, as a share of expected monthly sales."
    )
    inventory_depreciation: Share = Field(
        0.2, description="Share of unsold stock lost each month (services keep poorly)."
    )
    price_adjustment: float = Field(
        0.03,
        ge=0.0,
        le=0.5,
        description="Largest monthly price change (relative) in response to stock-outs or "
        "unsold stock (h_eta).",
    )
    price_rule: Literal["adaptive", "cost_plus"] = Field(
        "adaptive",
        description="'adaptive': raise the price after stock-outs, cut it after unsold "
        "stock, never below unit cost (BAM); 'cost_plus': price = unit cost x "
        "(1 + initial_markup) every month (fully flexible prices, the textbook limit).",
    )
    initial_markup: float = Field(
        0.1, ge=0.0, le=2.0, description="Price over unit cost at step 0."
    )
    cash_buffer_months: float = Field(
        0.89,
        ge=0.0,
        le=24.0,
        description="Cash a firm keeps, in months of costs; cash above it is paid out as "
        "dividends, so profits are retained while cash is below it (JPMorgan Chase "
        "Institute 2016: the median US small business holds 27 days of outflows, 0.89 "
        "months).",
    )
    entry_size: float = Field(
        0.5,
        ge=0.01,
        le=2.0,
        description="Size of an entrant relative to the sector's average firm.",
    )


class ComputeConfig(Section):
    """AI compute providers, their costs, prices and the energy market."""

    tiers: dict[str, TierConfig]
    energy_efficiency_gain: float = Field(
        1.4,
        ge=1.0,
        le=100.0,
        description="Factor by which electricity used per FLOP falls each year "
        "(AI Index 2025: energy efficiency +40 % a year).",
    )
    energy_supply_elasticity: float = Field(
        1.5,
        ge=0.1,
        le=100.0,
        description="Price elasticity of electricity supply; low values make electricity "
        "dearer as demand outgrows the trend of generating capacity.",
    )
    energy_price_adjustment: float = Field(
        0.1,
        ge=0.001,
        le=1.0,
        description="Share of the gap (in logs) between the energy price and its supply-curve "
        "level closed each month (1 = at once; small values avoid cobweb cycles).",
    )
    compute_energy_share: float = Field(
        0.0019,
        ge=1e-6,
        le=0.99,
        description="AI compute's share of world electricity at step 0 (November 2022): data "
        "centres' 1.27 % times AI's 15 % of them (derived from IEA figures, docs/model.md 4.3).",
    )
    newest_model_decline: float = Field(
        4.5,
        ge=1.0,
        le=10_000.0,
        description="Factor by which the price per token of the newest model of a tier falls "
        "each year at trend input prices: buyers move to each new, more capable model, so the "
        "tokens they buy are dearer than tokens at fixed capability (median over three "
        "benchmarks of record-setting models, Epoch AI / Artificial Analysis data, "
        "sim/data/record_model_prices.csv; docs/model.md 6).",
    )
    learning_exponent: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="Wright's-law exponent b on a provider's cumulative tokens "
        "(cost falls 1-2^-b per doubling); 0 switches learning-by-doing off.",
    )
    learning_cap: float = Field(
        1000.0,
        ge=1.0,
        le=1e9,
        description="Largest cost reduction factor learning-by-doing can reach.",
    )
    pricing: Literal["bertrand", "competitive"] = Field(
        "bertrand",
        description="'bertrand': each provider sets the Bertrand-Nash markup of the logit "
        "demand, 1/(eps_p - 1) with eps_p = beta (1 - s_p) + eta s_p; 'competitive': price = "
        "marginal cost (the textbook limit).",
    )
    demand_elasticity: float = Field(
        1.5,
        gt=0.0,
        le=10.0,
        description="Price elasticity of the whole market's demand for tokens that providers "
        "assume (eta); it bounds a dominant provider's markup.",
    )
    max_markup: float = Field(
        3.0, ge=0.0, le=20.0, description="Largest markup a provider sets (when eps_p <= 1)."
    )
    training_cost: float = Field(
        0.1,
        ge=0.0,
        le=5.0,
        description="Fixed cost of model training per active provider per month, as a share of "
        "an average provider's step-0 revenue.",
    )
    entry_cost: float = Field(
        8.0,
        ge=0.0,
        le=10_000.0,
        description="Sunk cost of entering the AI market (a policy lever), in months of the "
        "current average revenue of the providers in the market (8: a frontier model's "
        "development cost against LLM API revenue per provider at the end of 2024).",
    )
    entry_horizon: float = Field(
        36.0,
        gt=0.0,
        le=600.0,
        description="Months of expected profit a potential entrant weighs against the entry cost.",
    )
    max_providers: int = Field(
        8, ge=1, le=100, description="Largest number of providers the market can hold."
    )
    exit_months: int = Field(
        12,
        ge=1,
        le=240,
        description="A provider exits after this many months with a negative smoothed "
        "expected profit (its expected logit share of revenue times its margin, less training).",
    )
    leader_share_1: Share = Field(
        0.40,
        description="Step-0 share of the largest provider (Menlo Ventures, Dec 2025: 40 %); "
        "the remainder of the three leaders' shares is split equally among the other "
        "providers, and providers' qualities are set so that these shares of spending are the "
        "logit-Bertrand equilibrium (shares adding to more than 1 are scaled down).",
    )
    leader_share_2: Share = Field(
        0.27, description="Step-0 share of the second provider (Menlo Ventures: 27 %)."
    )
    leader_share_3: Share = Field(
        0.21, description="Step-0 share of the third provider (Menlo Ventures: 21 %)."
    )
    algorithmic_halflife: float = Field(
        1.5,
        ge=0.0,
        le=100.0,
        description="Half-life in years of the rate of algorithmic progress at fixed "
        "capability once it starts to slow (0 = sustained: the rate never slows).",
    )
    slowdown_start: float = Field(
        3.0,
        ge=0.0,
        le=100.0,
        description="Years of algorithmic progress at the observed rate before it starts to "
        "slow (the evidence covers about three years).",
    )
    price_sensitivity: float = Field(
        4.0,
        ge=0.0,
        le=100.0,
        description="Logit sensitivity of buyers to the log price of providers "
        "(0 = work split by the providers' qualities alone).",
    )
    provider_switching: Share = Field(
        0.2,
        description="Share of its AI work a firm re-routes each month to the providers its "
        "logit choice favours at current prices (firms multi-home; docs/model.md 6).",
    )
    entrant_quality: float = Field(
        0.0,
        ge=-20.0,
        le=20.0,
        description="An entrant's quality (log points of buyers' choice probability at equal "
        "prices) above the least-preferred step-0 provider's (0: entrants join the fringe; "
        'docs/model.md 5, "Entry").',
    )
    provider_cost_dispersion: float = Field(
        0.05,
        ge=0.0,
        le=1.0,
        description="Standard deviation of log cost across providers at step 0.",
    )

    @model_validator(mode="after")
    def _tiers_present(self) -> ComputeConfig:
        if not self.tiers:
            raise ValueError("at least one compute tier is required")
        return self


class HardwareConfig(Section):
    """GPUs: price-performance, the rental and hardware prices, providers' capacity."""

    price_performance: float = Field(
        1.35,
        ge=1.0,
        le=10.0,
        description="Factor by which FLOPs per dollar of hardware rise each year "
        "(Hobbhahn & Besiroglu 2022: 1.3-1.4).",
    )
    flops_per_gpu_hour: float = Field(
        1.25e18,
        ge=1e12,
        le=1e22,
        description="Useful FLOPs a current GPU delivers in an hour at step 0 (H100: 989 "
        "TFLOP/s dense BF16 at 35 % utilisation).",
    )
    gpu_price: float = Field(
        25_000.0, ge=1.0, le=1e7, description="Price of one GPU at step 0, dollars."
    )
    kwh_per_gpu_hour: float = Field(
        1.2,
        ge=0.01,
        le=100.0,
        description="Electricity a GPU and its share of server and cooling use per hour at "
        "step 0 at the target utilisation, kWh (installed GPUs keep the efficiency of the "
        "month they were ordered in).",
    )
    idle_power: Share = Field(
        0.3,
        description="Share of its full-load electricity an installed GPU server (with its "
        "cooling) draws when idle: compute's electricity = installed full-load power x "
        "(idle_power + (1 - idle_power) x utilisation).",
    )
    life_years: float = Field(
        4.0, ge=0.5, le=30.0, description="Mean service life of a GPU (depreciation 1/life)."
    )
    cost_of_capital: float = Field(
        0.10, ge=0.0, le=1.0, description="Annual return owners require on GPUs."
    )
    lead_time: int = Field(
        3, ge=0, le=36, description="Months between ordering GPUs and using them."
    )
    target_utilisation: float = Field(
        0.8, ge=0.1, le=1.0, description="Utilisation providers plan their capacity for."
    )
    scarcity_elasticity: float = Field(
        1.0,
        ge=0.0,
        le=20.0,
        description="Elasticity of the GPU rental price to demand above target utilisation: "
        "rental x (demand / (target x capacity))^zeta when that ratio exceeds 1.",
    )
    supply_elasticity: float = Field(
        1.0,
        gt=0.0,
        le=100.0,
        description="Price elasticity of the hardware sector's supply beyond its production "
        "capacity.",
    )
    production_growth: float = Field(
        2.5,
        ge=1.0,
        le=10.0,
        description="Factor by which the hardware sector's production capacity (GPUs a month) "
        "grows each year.",
    )
    production_headroom: float = Field(
        0.5,
        ge=0.0,
        le=10.0,
        description="Hardware sector's spare production capacity at step 0, as a share of "
        "step-0 replacement orders.",
    )
    price_adjustment: float = Field(
        0.2,
        gt=0.0,
        le=1.0,
        description="Share of the gap (in logs) to the hardware supply curve closed each month.",
    )
    initial_demand_growth: float = Field(
        4.3,
        ge=0.1,
        le=100.0,
        description="Annual growth of FLOP demand providers expect at step 0 (their orders "
        "in the pipeline follow it).",
    )
    capacity_binding: bool = Field(
        True,
        description="false: providers' GPU capacity always equals what they need (no "
        "scarcity, no rationing; the textbook limit).",
    )


class EnergyConfig(Section):
    """Electricity: the step-0 price and demand outside compute."""

    electricity_price: float = Field(
        0.08, gt=0.0, le=10.0, description="Electricity price at step 0, dollars per kWh."
    )
    other_demand_growth: float = Field(
        0.025,
        ge=-0.1,
        le=0.5,
        description="Annual growth of electricity demand outside compute, matched by the trend "
        "of generating capacity.",
    )
    household_share: Share = Field(
        0.27, description="Households' share of electricity demand outside compute."
    )
    data_centre_twh: float = Field(
        331.0,
        gt=0.0,
        le=1e5,
        description="World data-centre electricity at step 0 (2022), TWh a year: IEA's 415 TWh "
        "in 2024 less two years of its 12 % a year (within IEA's 240-340 TWh for 2022); the "
        "scale of the reported TWh.",
    )
    datacentre_share: float = Field(
        0.0127,
        ge=1e-6,
        le=0.99,
        description="Data centres' share of world electricity at step 0 (2022), AI compute "
        "included: IEA's 1.5 % in 2024 less two years of data centres' 12 % and world demand's "
        "3.2 % a year (IEA: 1.0-1.3 % in 2022).",
    )
    conventional_datacentre_growth: float = Field(
        0.086,
        ge=-0.5,
        le=2.0,
        description="Annual growth of conventional (non-AI) data centres' electricity: IEA's "
        "945 TWh in 2030 less AI's 20 % of 415 TWh growing 30 % a year, against 80 % of 415 "
        "TWh in 2024.",
    )
    supplier_input_share: Share = Field(
        0.5,
        description="Share of the AI supply chain's receipts (electricity, GPUs, training) "
        "its producers spend on labour, materials and services bought from "
        "`supplier_input_sector`; the rest is their owners' income.",
    )
    supplier_input_sector: str = Field(
        "manufacturing",
        description="The goods sector whose firms make the power plants', grids' and chip "
        "makers' inputs (and hire the workers for them); unused when the input share is 0.",
    )
    household_elasticity: float = Field(
        0.126,
        ge=0.0,
        le=5.0,
        description="Elasticity of substitution between electricity and goods in households' "
        "budgets, about the own-price elasticity of their electricity demand (short-run "
        "electricity, Labandeira, Labeaga & Lopez-Otero 2017).",
    )


class MoneyConfig(Section):
    """The issuer of money and the central bank's rule for its growth."""

    rule: Literal["mccallum", "fixed"] = Field(
        "mccallum",
        description="'mccallum': the central bank sets the money stock's growth each month "
        "by McCallum's (1988) rule, aiming nominal GDP growth at the inflation target "
        "(credit.inflation_target) plus its estimate of trend real growth, net of velocity "
        "growth; 'fixed': the money stock grows by money.growth a year.",
    )
    growth: float = Field(
        0.02,
        ge=0.0,
        le=0.5,
        description="Annual growth of the money stock under the fixed rule, paid as equal "
        "transfers to households.",
    )
    feedback: float = Field(
        0.5,
        ge=0.0,
        le=2.0,
        description="McCallum rule: extra money growth per point by which nominal GDP growth "
        "falls short of its target (McCallum 1988: 0.5).",
    )
    velocity_window_months: int = Field(
        48,
        ge=1,
        le=240,
        description="McCallum rule: months over which velocity growth is averaged "
        "(McCallum 1988: 16 quarters).",
    )
    household_months: float = Field(
        3.0, ge=0.0, le=60.0, description="Households' money at step 0, in months of income."
    )


class PolicyConfig(Section):
    """The government's levers; every one is off by default."""

    compute_tax: float = Field(
        0.0,
        ge=0.0,
        le=1e4,
        description="Tax per million tokens bought, dollars (a specific tax, not indexed).",
    )
    profit_tax: Share = Field(
        0.0,
        description="Tax rate on positive profits of firms and AI providers and on "
        "chip-and-energy suppliers' income.",
    )
    transfers_to: Literal["everyone", "unemployed"] = Field(
        "everyone",
        description="Who receives the government's transfers: every household equally, "
        "or the households of unemployed workers (per unemployed worker).",
    )
    retraining_subsidy: Share = Field(
        0.0,
        description="Share of the retraining penalty a subsidised training removes for "
        "workers who move sector; the government pays each mover a stipend worth the "
        "productivity restored.",
    )
    minimum_wage: float = Field(
        0.0,
        ge=0.0,
        le=5.0,
        description="Floor on firms' wage per efficiency unit, as a share of the step-0 "
        "wage, indexed to the CPI (0 = none).",
    )
    budget_horizon_months: float = Field(
        12.0,
        ge=1.0,
        le=600.0,
        description="Months over which the government works off the balance it carries "
        "into a month (it also pays out each month's net revenue, so its budget balances "
        "every month).",
    )


def monthly_capital_rates(depreciation: float, trend_growth: float) -> tuple[float, float]:
    """Capital's monthly depreciation ``delta_m = 1 - (1 - delta)^(1/12)`` and the trend
    growth a month firms expect of their sales, ``g_m = max((1 + g)^(1/12) - 1,
    -delta_m)`` (at least ``-delta_m``, so that steady investment is never negative),
    from the annual ``delta`` and ``g`` (docs/model.md, section 13b)."""
    delta_m = 1.0 - (1.0 - depreciation) ** (1.0 / 12.0)
    return delta_m, max((1.0 + trend_growth) ** (1.0 / 12.0) - 1.0, -delta_m)


class Scenario(Section):
    """A complete, validated set of parameters for one run of the economy."""

    description: str = Field("", description="What question this scenario answers.")
    run: RunConfig = RunConfig()
    population: PopulationConfig = PopulationConfig()
    labour: LabourConfig = LabourConfig()
    households: HouseholdConfig = HouseholdConfig()
    firms: FirmConfig = FirmConfig()
    compute: ComputeConfig
    hardware: HardwareConfig = HardwareConfig()
    energy: EnergyConfig = EnergyConfig()
    money: MoneyConfig = MoneyConfig()
    policy: PolicyConfig = PolicyConfig()
    benefits: BenefitConfig = BenefitConfig()
    credit: CreditConfig = CreditConfig()
    capital: CapitalConfig = CapitalConfig()
    adoption: AdoptionConfig = AdoptionConfig()
    shocks: ShockConfig = ShockConfig()
    sectors: dict[str, SectorConfig]
    sweep: dict | None = Field(
        None, description="Sweep design (read by `sim sweep`; ignored by a single run)."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        if not self.sectors:
            raise ValueError("at least one sector is required")
        for table, names, most in (
            ("sectors", self.sectors, MAX_SECTORS),
            ("compute.tiers", self.compute.tiers, MAX_TIERS),
        ):
            if len(names) > most:
                raise ValueError(f"{table}: {len(names)} entries; at most {most} are allowed")
            for name in names:
                if not NAME_PATTERN.fullmatch(name):
                    raise ValueError(
                        f"{table}: name {name[:50]!r} is not allowed (a letter, then up to 39 "
                        "letters, digits or underscores)"
                    )
        self._compounding_stays_in_range()
        self._policy_cannot_spiral()
        for name, sector in self.sectors.items():
            if sector.min_tier not in self.compute.tiers:
                allowed = ", ".join(sorted(self.compute.tiers))
                raise ValueError(
                    f"sectors.{name}.min_tier = {sector.min_tier!r} is not a tier "
                    f"(allowed: {allowed})"
                )
        if self.energy.datacentre_share < self.compute.compute_energy_share:
            raise ValueError(
                f"energy.datacentre_share = {self.energy.datacentre_share} must be at least "
                f"compute.compute_energy_share = {self.compute.compute_energy_share}: AI "
                "compute is part of the data centres' electricity"
            )
        inputs = self.energy.supplier_input_sector
        if self.energy.supplier_input_share > 0.0 and inputs not in self.sectors:
            allowed = ", ".join(sorted(self.sectors))
            raise ValueError(
                f"energy.supplier_input_sector = {inputs!r} is not a sector (allowed: "
                f"{allowed}; or energy.supplier_input_share = 0)"
            )
        self._capital_leaves_room()
        if self.population.firms < len(self.sectors):
            raise ValueError(
                f"population.firms = {self.population.firms} must be at least the number "
                f"of sectors ({len(self.sectors)})"
            )
        return self

    def annual_factors(self) -> dict[str, float]:
        """Every yearly growth or decline factor that compounds over the run, by key."""
        factors = {
            f"compute.tiers.{name}.annual_decline": tier.annual_decline
            for name, tier in self.compute.tiers.items()
        }
        for name, sector in self.sectors.items():
            factors[f"sectors.{name}.oversight_decline"] = sector.oversight_decline
            factors[f"sectors.{name}.productivity_growth"] = 1.0 + abs(sector.productivity_growth)
        factors["compute.energy_efficiency_gain"] = self.compute.energy_efficiency_gain
        factors["compute.newest_model_decline"] = self.compute.newest_model_decline
        factors["money.growth"] = 1.0 + (
            self.money.growth if self.money.rule == "fixed" else math.expm1(MAX_RULE_GROWTH)
        )
        return factors

    def _compounding_stays_in_range(self) -> None:
        """``years x log10(factor) <= MAX_COMPOUNDING_DIGITS`` for every yearly factor."""
        years = self.run.steps / 12.0
        too_fast = [
            f"{key} = {factor:g} a year compounds to 10^{years * math.log10(factor):.0f}"
            for key, factor in self.annual_factors().items()
            if years * math.log10(factor) > MAX_COMPOUNDING_DIGITS
        ]
        if too_fast:
            largest = 10 ** (MAX_COMPOUNDING_DIGITS / years)
            raise ValueError(
                f"{'; '.join(too_fast)} over run.steps = {self.run.steps} months; at most "
                f"10^{MAX_COMPOUNDING_DIGITS:.0f} is allowed (a yearly factor of at most "
                f"{largest:.4g} for this length, or fewer steps)"
            )

    def required_return(self) -> float:
        """The real return a firm must earn on capital, a year: the long-run real loan
        rate, Taylor's neutral real rate plus the loan spread (``credit.base_rate`` less
        the inflation target under the fixed policy rule). The user cost of capital uses
        it, not this month's nominal rate (docs/model.md, section 13b)."""
        credit = self.credit
        if credit.policy_rule == "fixed":
            return max(0.0, credit.base_rate - credit.inflation_target)
        return max(0.0, credit.neutral_rate + credit.loan_spread)

    def trend_growth(self) -> float:
        """The economy's trend real growth a year, the consumer-weighted mean of the
        sectors' non-AI productivity growth (docs/model.md, sections 3 and 13b)."""
        sectors = self.sectors.values()
        total = sum(s.consumer_weight for s in sectors)
        return sum(s.consumer_weight * s.productivity_growth for s in sectors) / total

    def initial_investment_share(self) -> float:
        """Investment's share of output's value at step 0, replacement and expansion at
        the trend, ``iota = 12 theta (delta_m + g_m)`` (0 without capital)."""
        cap = self.capital
        if not cap.enabled:
            return 0.0
        rates = monthly_capital_rates(cap.depreciation, self.trend_growth())
        return 12.0 * cap.capital_output_ratio * sum(rates)

    def initial_capital_cost(self) -> float:
        """Capital cost of a unit of output at step 0, ``theta (r + 12 delta_m)`` with
        ``r`` the required return (docs/model.md, section 13b); 0 without capital."""
        cap = self.capital
        if not cap.enabled:
            return 0.0
        delta_m, _ = monthly_capital_rates(cap.depreciation, 0.0)
        return cap.capital_output_ratio * (self.required_return() + 12.0 * delta_m)

    def _capital_leaves_room(self) -> None:
        """With capital on, its goods sector must exist and the step-0 capital cost must
        leave at least a tenth of the price for labour and compute."""
        cap = self.capital
        if not cap.enabled:
            return
        if cap.goods_sector not in self.sectors:
            allowed = ", ".join(sorted(self.sectors))
            raise ValueError(
                f"capital.goods_sector = {cap.goods_sector!r} is not a sector (allowed: "
                f"{allowed}; or capital.enabled = false)"
            )
        most = 0.9 / (1.0 + self.firms.initial_markup)
        cost = self.initial_capital_cost()
        if cost >= most:
            raise ValueError(
                f"capital.capital_output_ratio = {cap.capital_output_ratio:g} with "
                f"capital.depreciation = {cap.depreciation:g} and a required return of "
                f"{self.required_return():g} cost {cost:.3g} per unit of output, more than "
                f"0.9 / (1 + firms.initial_markup) = {most:.3g} of the step-0 price (allowed: "
                "a smaller ratio, depreciation or loan rate, or capital.enabled = false)"
            )

        share = self.initial_investment_share()
        if share >= 0.9:
            raise ValueError(
                f"capital.capital_output_ratio = {cap.capital_output_ratio:g} with "
                f"capital.depreciation = {cap.depreciation:g} and the sectors' trend "
                f"productivity growth of {self.trend_growth():.3g} a year needs investment "
                f"of {share:.3g} of output at step 0 (allowed: below 0.9; a smaller ratio, "
                "slower growth, or capital.enabled = false)"
            )

    def _policy_cannot_spiral(self) -> None:
        """Two policy levers that, beyond these limits, set off a spiral that diverges.

        The minimum wage is indexed to the CPI and prices never fall below unit cost, so
        a floor above the wage that the initial markup pays, ``m > 1 + mu_0``, raises
        prices, which raise next month's floor by the factor ``m / (1 + mu_0) > 1``.
        A specific compute tax far above the price of compute does the same through
        the CPI; it is limited to :data:`MAX_TAX_TO_PRICE` times the cheapest tier's
        price (found by the property test: tax 6,493 $/M tokens on a 0.0001 $ tier).
        """
        ceiling = 1.0 + self.firms.initial_markup
        if self.policy.minimum_wage > ceiling:
            raise ValueError(
                f"policy.minimum_wage = {self.policy.minimum_wage:g} is above 1 + "
                f"firms.initial_markup = {ceiling:g}: an indexed floor above the wage the "
                "initial markup pays raises prices and with them the next floor, a "
                f"wage-price spiral (allowed: at most {ceiling:g})"
            )
        cheapest = min(tier.price for tier in self.compute.tiers.values())
        if self.policy.compute_tax > MAX_TAX_TO_PRICE * cheapest:
            raise ValueError(
                f"policy.compute_tax = {self.policy.compute_tax:g} $/M tokens is more than "
                f"{MAX_TAX_TO_PRICE:g} times the cheapest tier's price ({cheapest:g} $/M "
                f"tokens) (allowed: at most {MAX_TAX_TO_PRICE * cheapest:g})"
            )

    @property
    def n_households(self) -> int:
        """Number of households (one per worker unless set)."""
        return self.population.households or self.population.workers


DEFAULT_TIERS: dict[str, dict] = {
    "basic": {"rank": 0, "price": 1.0, "annual_decline": 9.0},
    "advanced": {"rank": 1, "price": 20.0, "annual_decline": 19.0},
    "frontier": {"rank": 2, "price": 60.0, "annual_decline": 40.0},
}
"""Tier prices at step 0 in dollars per million tokens (a16z, Stanford AI Index 2025)
and annual declines at fixed quality (Epoch AI 2025: slowest ~9x, AI Index ~19x,
median of Epoch's series ~40x). See docs/model.md, "Calibration"."""

DEFAULT_SECTORS: dict[str, dict] = {
    "software": {
        "label": "Software & media",
        "ai_share": 0.01,
        "substitution_elasticity": 2.5,
        "min_tier": "frontier",
        "productivity_growth": 0.03,
        "consumer_weight": 0.10,
        "exposure": 0.30,
    },
    "business": {
        "label": "Business services",
        "ai_share": 0.005,
        "substitution_elasticity": 1.6,
        "min_tier": "advanced",
        "productivity_growth": 0.015,
        "consumer_weight": 0.20,
        "exposure": 0.19,
    },
    "manufacturing": {
        "label": "Manufacturing",
        "ai_share": 0.002,
        "substitution_elasticity": 1.2,
        "min_tier": "basic",
        "productivity_growth": 0.025,
        "consumer_weight": 0.30,
        "exposure": 0.09,
    },
    "care": {
        "label": "Care",
        "ai_share": 0.0005,
        "substitution_elasticity": 0.3,
        "min_tier": "basic",
        "productivity_growth": 0.003,
        "consumer_weight": 0.25,
        "exposure": 0.10,
    },
    "repair": {
        "label": "Repair & trades",
        "ai_share": 0.001,
        "substitution_elasticity": 0.5,
        "min_tier": "basic",
        "productivity_growth": 0.005,
        "consumer_weight": 0.15,
        "exposure": 0.07,
    },
}
"""Default sectors. AI cost shares and substitution elasticities follow the
calibration notes in docs/model.md; consumer weights are 'expenditure shares at
step 0'; non-AI productivity growth is per year."""

DEFAULTS: dict = {"compute": {"tiers": DEFAULT_TIERS}, "sectors": DEFAULT_SECTORS}
"""The raw defaults a scenario file is merged onto (everything else defaults in the schema)."""

"""Small sourced data sets shipped with the package, for validation and the lessons.

Core function: :func:`load`. Each file is a CSV in this folder whose every row
carries its ``source`` (publication), ``url`` (the primary publication's address),
``flag`` (``V`` read in the primary source, ``V2`` read in a secondary source
quoting it, ``D`` derived, ``V2-unconfirmed`` flagged V2 in the project's
reference notes but not found again when checked) and ``verified`` (how and when
it was checked, and the page where the figure was read). No file is fetched at run time.

Files (``load(name)`` takes the name with or without ``.csv``):

- ``chart_of_the_century``: CPI components, Jan 2000 to Dec 2020 (Mark Perry, AEI, from BLS).
- ``ai_price_trends``: price declines at fixed capability (Epoch AI, a16z, AI Index 2025).
- ``bls_employment_shares``: employment shares by industry, 2004/2014/2024 (BLS).
- ``bls_oews_wages``: median wages, HVAC mechanics and all occupations, 2019 and 2025 (BLS OEWS).
- ``iea_electricity``: data-centre electricity, TWh and share of world use, 2022-2030,
  and AI's part (IEA; the step-0 derivations flagged D).
- ``ai_token_volumes``: Google's monthly tokens processed, 2024-2026.
- ``provider_shares``: enterprise LLM API spending shares, Dec 2025 (Menlo Ventures).
- ``ai_exposure_by_sector``: the model sectors' AI exposure, Eloundou et al. (2024) task
  scores weighted by BLS OEWS wage bills, times the time AI saves in experiments.
- ``us_firm_size_classes``: US employer firms and employment by enterprise size class,
  2019 (Census SUSB via the Congressional Research Service).
- ``record_model_prices``: price per token of each model that set a new record on a
  benchmark at its release, March 2023 to February 2025 (Epoch AI's data of Artificial
  Analysis prices); the source of ``compute.newest_model_decline``.
- ``btos_ai_use_by_size``: the Census BTOS AI-use rates by firm count, employment and
  size class (Bonney et al. 2026; Census Bureau 2026; Dinlersoz and Goldschlag 2024).
"""

from __future__ import annotations

from importlib import resources

import pandas as pd

REQUIRED_COLUMNS = ("source", "url", "flag", "verified")
"""Columns every data file has, so that every figure carries its source."""


def available() -> list[str]:
    """Names of the data files shipped with the package, without ``.csv``."""
    folder = resources.files(__name__)
    return sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".csv"))


def load(name: str) -> pd.DataFrame:
    """One sourced data file as a DataFrame.

    Args:
        name: file name in ``sim/data/``, with or without ``.csv``
            (e.g. ``"chart_of_the_century"``).

    Raises:
        ValueError: if no such file ships with the package (the message lists those
            that do), or if the file lacks a source column.
    """
    stem = name.removesuffix(".csv")
    names = available()
    if stem not in names:
        raise ValueError(f"sim.data: no data file {stem!r}; available: {', '.join(names)}")
    with resources.files(__name__).joinpath(f"{stem}.csv").open("r", encoding="utf-8") as f:
        frame = pd.read_csv(f)
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(
            f"sim/data/{stem}.csv: missing column(s) {missing}; every row needs "
            f"{', '.join(REQUIRED_COLUMNS)}"
        )
    return frame

"""The validation target table (``targets.toml``): load and check it.

Core objects: :class:`Target`, :func:`load_targets`, :class:`ValidationSettings`,
:func:`load_settings`, :class:`TargetError`. The table is data: each target names a
statistic (a function in :mod:`sim.validation.measures`), the data value with its
source, and the band a seed's value must fall in to pass.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

CATEGORIES = (
    "stylized fact", "labour data", "price data", "AI market data", "AI productivity",
    "energy data", "textbook limit",
)  # fmt: skip
"""The allowed values of a target's ``category``."""

FLAGS = ("V", "V2", "D", "U")
"""How a figure was checked: primary source, secondary source, derived, unverified."""

REQUIRED = {
    "id": str, "statistic": str, "description": str, "data": float, "band": list,
    "category": str, "source": str, "url": str, "flag": str, "verified": str,
}  # fmt: skip
OPTIONAL = {"series": list, "calendar": str, "params": dict}


class TargetError(ValueError):
    """A malformed target table; the message names the file, the target and the key."""


@dataclass(frozen=True)
class Target:
    """One validation target: a sourced figure, the statistic that measures it, a band.

    ``series`` lists reported series the statistic needs, with ``{sector}`` and
    ``{tier}`` filled from ``params``; ``band`` is ``(low, high)``.
    """

    id: str
    statistic: str
    description: str
    data: float
    band: tuple[float, float]
    category: str
    source: str
    url: str
    flag: str
    verified: str
    series: tuple[str, ...] = ()
    calendar: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def passes(self, value: float) -> bool:
        """``low <= value <= high`` (NaN, a target not measured, never passes)."""
        low, high = self.band
        return bool(low <= value <= high)

    def required_series(self, sectors: tuple[str, ...] | list[str] = ()) -> list[str]:
        """The series names this target needs, with ``{sector}``/``{tier}`` filled from
        ``params``; a ``{sector}`` template without a ``sector`` parameter stands for
        every sector in ``sectors`` (cross-sector statistics)."""
        names = []
        for template in self.series:
            if "{sector}" in template and "sector" not in self.params:
                names += [template.format(**self.params, sector=s) for s in sectors]
            else:
                names.append(template.format(**self.params))
        return names


@dataclass(frozen=True)
class ValidationSettings:
    """How long each validation run is and how much of it the cycle statistics skip."""

    months: int = 240
    burn_in_months: int = 24


def default_path() -> Path:
    """The target table shipped with the package."""
    return Path(str(resources.files("sim.validation").joinpath("targets.toml")))


def _read(path: Path) -> dict:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except OSError as error:
        raise TargetError(f"{path}: cannot read the target table ({error.strerror})") from error
    except tomllib.TOMLDecodeError as error:
        raise TargetError(f"{path}: not valid TOML: {error}") from error


def _check_type(path: Path, where: str, key: str, value: Any, kind: type) -> Any:
    if kind is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise TargetError(f"{path}: {where}: key {key!r} must be a {kind.__name__}, not {value!r}")
    return value


def _parse_target(path: Path, index: int, table: Any, seen: set[str]) -> Target:
    if not isinstance(table, dict):
        raise TargetError(f"{path}: target #{index + 1} must be a table")
    where = f"target {table.get('id', f'#{index + 1}')!r}"
    unknown = sorted(set(table) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        allowed = ", ".join([*REQUIRED, *OPTIONAL])
        raise TargetError(f"{path}: {where}: unknown key(s) {unknown}; allowed: {allowed}")
    values: dict[str, Any] = {}
    for key, kind in REQUIRED.items():
        if key not in table:
            raise TargetError(f"{path}: {where}: missing key {key!r}")
        values[key] = _check_type(path, where, key, table[key], kind)
    for key, kind in OPTIONAL.items():
        if key in table:
            values[key] = _check_type(path, where, key, table[key], kind)
    for key in ("id", "statistic", "source", "url", "verified", "description"):
        if not values[key].strip():
            raise TargetError(f"{path}: {where}: key {key!r} is empty")
    if values["id"] in seen:
        raise TargetError(f"{path}: {where}: duplicate id {values['id']!r}")
    band = values["band"]
    if len(band) != 2 or not all(isinstance(b, int | float) for b in band):
        raise TargetError(f"{path}: {where}: key 'band' must be [low, high], not {band!r}")
    low, high = float(band[0]), float(band[1])
    if not low <= values["data"] <= high:
        raise TargetError(
            f"{path}: {where}: data {values['data']} lies outside its band [{low}, {high}]"
        )
    if values["category"] not in CATEGORIES:
        raise TargetError(
            f"{path}: {where}: category {values['category']!r} is not one of {list(CATEGORIES)}"
        )
    if values["flag"] not in FLAGS:
        raise TargetError(f"{path}: {where}: flag {values['flag']!r} is not one of {list(FLAGS)}")
    if not values["url"].startswith("http"):
        raise TargetError(f"{path}: {where}: url {values['url']!r} must start with http")
    series = tuple(values.pop("series", ()))
    if not all(isinstance(s, str) for s in series):
        raise TargetError(f"{path}: {where}: key 'series' must be a list of names")
    values["band"] = (low, high)
    target = Target(**values, series=series)
    try:
        target.required_series(("sector",))
    except KeyError as error:
        raise TargetError(
            f"{path}: {where}: series name uses {{{error.args[0]}}} but params lacks it"
        ) from None
    return target


def load_targets(path: str | Path | None = None) -> list[Target]:
    """Read and check the target table (default: the one shipped in the package).

    Raises:
        TargetError: naming the file, the target and the key, for a missing or
            mistyped key, an empty source, a data value outside its band, an unknown
            category or flag, or a duplicate id.
    """
    path = Path(path) if path is not None else default_path()
    document = _read(path)
    tables = document.get("target")
    if not isinstance(tables, list) or not tables:
        raise TargetError(f"{path}: no [[target]] tables")
    seen: set[str] = set()
    targets = []
    for index, table in enumerate(tables):
        target = _parse_target(path, index, table, seen)
        seen.add(target.id)
        targets.append(target)
    return targets


def load_settings(path: str | Path | None = None) -> ValidationSettings:
    """The ``[settings]`` table of the target file (run length and burn-in, months).

    Raises:
        TargetError: for an unknown key or a value that is not a positive integer,
            or a burn-in not shorter than the run.
    """
    path = Path(path) if path is not None else default_path()
    table = _read(path).get("settings", {})
    allowed = ValidationSettings.__dataclass_fields__
    for key, value in table.items():
        if key not in allowed:
            raise TargetError(f"{path}: [settings]: unknown key {key!r}; allowed: {list(allowed)}")
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise TargetError(
                f"{path}: [settings]: {key} must be a whole number >= 0, not {value!r}"
            )
    settings = ValidationSettings(**table)
    if settings.burn_in_months >= settings.months:
        raise TargetError(
            f"{path}: [settings]: burn_in_months ({settings.burn_in_months}) must be shorter "
            f"than months ({settings.months})"
        )
    return settings

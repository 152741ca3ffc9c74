"""Command-line argument types that refuse bad values with one short message.

Core objects: :func:`whole_number`, :func:`memory_size`, :func:`duration`,
:func:`add_overrides_option`, :data:`MAX_ECHO`.

``argparse`` turns the :class:`argparse.ArgumentTypeError` these raise into
``sim run: error: argument --workers: ...`` and exit status 2, with no traceback.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

MAX_ECHO = 60
"""Characters of a bad argument echoed back."""


def _echo(text: str) -> str:
    return repr(text) if len(text) <= MAX_ECHO else f"{text[:MAX_ECHO]!r}... ({len(text):,} chars)"


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """An argparse type accepting whole numbers from ``low`` to ``high``."""

    def parse(text: str) -> int:
        try:
            value = int(text) if len(text) <= 25 else None
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"{_echo(text)} is not allowed (a whole number from {low:,} to {high:,})"
            )
        return value

    parse.__name__ = "whole number"
    return parse


def memory_size(text: str) -> int:
    """An argparse type for ``--max-memory``: ``8G``, ``512M``, ``2.5GiB`` (bytes)."""
    from sim.scenario.resources import parse_size

    try:
        return parse_size(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def duration(text: str) -> float:
    """An argparse type for ``--timeout``: ``90``, ``90s``, ``15m``, ``2h`` (seconds)."""
    from sim.batch.timeout import parse_duration

    try:
        return parse_duration(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_overrides_option(
    parser: argparse.ArgumentParser,
    help_text: str,
    flag: str = "--set",
    dest: str = "overrides",
) -> None:
    """Add a repeatable ``--set KEY=VALUE`` option collecting its values in ``dest`` (a
    list; :func:`sim.scenario.parse_overrides` turns it into a dictionary)."""
    parser.add_argument(
        flag, dest=dest, action="append", default=[], metavar="KEY=VALUE", help=help_text
    )

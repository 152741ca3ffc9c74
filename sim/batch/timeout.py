"""A wall-clock limit on one run: ``sim sweep --timeout`` and ``sim run --timeout``.

Core objects: :func:`time_limit`, :class:`RunTimedOut`, :func:`parse_duration`,
:func:`mark_pool_worker`, :func:`deferred_interrupt`, :func:`signal_behind`.

A run that passes its limit has failed *outside* the model (the machine was slow or
the limit too tight), so a sweep records it with ``status = "timeout"`` and
``--resume`` runs it again. The limit is enforced in three layers, so it holds
wherever the run executes:

1. after every month the run checks the clock (works in any thread, so on a Dask
   worker's threads too);
2. in a process's main thread (``--workers 1``, each local worker process) a
   ``SIGALRM`` at the deadline interrupts the run mid-month as well: a long month,
   a sleep, a stuck file system call that returns to Python;
3. in a local worker process, a timer thread ends the process :data:`GRACE_S` seconds
   after the deadline if the run has still not stopped (stuck in compiled code that
   never returns to Python, where a signal handler cannot run). The sweep then sees
   a lost worker process: the run is tried again and, lost :data:`ATTEMPTS
   <sim.batch.runner.ATTEMPTS>` times, recorded as ``lost`` (also done again by
   ``--resume``). No process outlives its run.

On a Dask cluster only layer 1 applies: the run is abandoned at the first month
boundary past the deadline (a Dask worker's thread cannot be interrupted).

**Signals and compiled code.** A signal handler that raises while numba-compiled code
runs surfaces when that code returns, wrapped in ``SystemError: ... returned a result
with an exception set`` (:func:`signal_behind` unwraps it); in CI a Ctrl-C that landed
there was once recorded as a failure of the model and once ended the process with a
segmentation fault. So a run in the main thread holds Ctrl-C until the end of the month
(:func:`deferred_interrupt`), a second Ctrl-C stops it at once.
"""

from __future__ import annotations

import math
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

GRACE_S = 30.0
"""Seconds past the deadline after which a local worker process that has not stopped
its run is ended (layer 3)."""

MAX_TIMEOUT_S = 30 * 24 * 3600.0
"""The longest limit accepted: 30 days."""

_UNITS = {"": 1.0, "s": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0, "d": 86400.0}
_DURATION = re.compile(r"\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*(s|m|min|h|d)?\s*", re.IGNORECASE)

_in_pool_worker = False


class RunTimedOut(BaseException):
    """The run passed its wall-clock limit.

    A ``BaseException``, like ``KeyboardInterrupt``, so that no ``except Exception``
    inside the model can swallow it.
    """

    def __init__(self, limit: float, month: int, months: int) -> None:
        super().__init__(limit, month, months)
        self.limit, self.month, self.months = limit, month, months

    def __str__(self) -> str:
        return (
            f"the run passed its time limit of {format_duration(self.limit)} (wall clock) "
            f"after {self.month} of {self.months} months"
        )


@contextmanager
def deferred_interrupt() -> Iterator[Callable[[], None]]:
    """Hold a Ctrl-C (``SIGINT``) that arrives inside the block until ``check()``.

    Yields ``check()``, to be called at safe points (after each month): it raises
    ``KeyboardInterrupt`` if a Ctrl-C has arrived. A second Ctrl-C raises at once, and
    one still held when the block ends is raised then. Only in the main thread of a
    process that has not set Ctrl-C aside (local worker processes ignore it); elsewhere
    ``check()`` does nothing and Ctrl-C keeps its handler.
    """
    main = threading.current_thread() is threading.main_thread()
    if not main or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield lambda: None
        return
    held = [False]

    def hold(signum, frame) -> None:
        if held[0]:
            raise KeyboardInterrupt
        held[0] = True

    def check() -> None:
        if held[0]:
            held[0] = False
            raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, hold)
    try:
        yield check
    finally:
        signal.signal(signal.SIGINT, previous)
    check()


def signal_behind(error: BaseException) -> BaseException | None:
    """The ``KeyboardInterrupt``, ``RunTimedOut`` or ``SystemExit`` that ``error`` hides.

    A signal whose handler raises while compiled (numba) code runs surfaces when that
    code returns, as ``SystemError: CPUDispatcher(...) returned a result with an
    exception set`` with the handler's exception as its cause: a Ctrl-C or a time limit
    that would otherwise be taken for a failure of the model. Returns the first such
    exception in the chain of causes and contexts, or None.
    """
    seen: set[int] = set()
    link: BaseException | None = error
    while link is not None and id(link) not in seen:
        if isinstance(link, KeyboardInterrupt | RunTimedOut | SystemExit):
            return link
        seen.add(id(link))
        link = link.__cause__ or link.__context__
    return None


def format_duration(seconds: float) -> str:
    """``90`` -> ``'90 s'``, ``5400`` -> ``'1.5 h'``."""
    if seconds >= 3600:
        return f"{seconds / 3600:g} h"
    if seconds >= 600:
        return f"{seconds / 60:g} min"
    return f"{seconds:g} s"


def parse_duration(text: str) -> float:
    """Seconds in ``text``: ``90``, ``90s``, ``15m``/``15min``, ``2h``, ``1.5d``.

    Raises:
        ValueError: naming what is allowed (more than 0, at most 30 days).
    """
    match = _DURATION.fullmatch(text) if len(text) <= 40 else None
    seconds = float(match[1]) * _UNITS[(match[2] or "").lower()] if match else math.nan
    if not 0 < seconds <= MAX_TIMEOUT_S:
        shown = repr(text) if len(text) <= 40 else f"{text[:40]!r}... ({len(text):,} chars)"
        raise ValueError(
            f"{shown} is not allowed (a duration above 0 and at most 30 days: seconds, "
            "or a number with s, m, h or d, e.g. 90, 15m, 2h)"
        )
    return seconds


def mark_pool_worker() -> None:
    """Called in each local worker process as it starts: enables layer 3 there."""
    global _in_pool_worker
    _in_pool_worker = True


def _end_this_process(month: list[int], months: int, limit: float) -> None:
    print(
        f"sim: a run stuck {GRACE_S:g} s past its time limit of {format_duration(limit)} "
        f"(month {month[0]} of {months}); ending worker process {os.getpid()}",
        file=sys.stderr,
        flush=True,
    )
    os._exit(70)


@contextmanager
def time_limit(seconds: float | None, months: int) -> Iterator[Callable[[int], None]]:
    """Limit the wall-clock time of the block to ``seconds`` (no limit if ``None``).

    Yields ``check(month)``, to be called after each month of the run (``months`` in
    all): it raises :class:`RunTimedOut` once the deadline has passed. Where it can,
    the limit also interrupts the block between checks (see the module docstring).

    Raises:
        RunTimedOut: the block ran past ``seconds``.
    """
    done = [0]
    if seconds is None:
        yield lambda month: None
        return
    deadline = time.monotonic() + seconds

    def check(month: int) -> None:
        done[0] = month
        if time.monotonic() >= deadline:
            raise RunTimedOut(seconds, month, months)

    def on_alarm(signum, frame) -> None:
        raise RunTimedOut(seconds, done[0], months)

    alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGALRM")
    backstop = None
    if alarm:
        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    if _in_pool_worker:
        backstop = threading.Timer(seconds + GRACE_S, _end_this_process, (done, months, seconds))
        backstop.daemon = True
        backstop.start()
    try:
        yield check
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        if backstop is not None:
            backstop.cancel()

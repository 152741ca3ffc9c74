"""Where runs execute: in this process, in local processes, or on a Dask cluster.

Core objects: :func:`open_executor`, a context manager giving a
:class:`concurrent.futures.Executor`, so the sweep loop is the same everywhere;
:func:`stop_executor`, which stops one at once (Ctrl-C); :func:`check_scheduler`.

Local worker processes ignore SIGINT: Ctrl-C reaches the whole process group, and
only the parent should react (stop the pool, record what finished, print one line).
They also enable the last layer of a run's time limit (:mod:`sim.batch.timeout`):
a run stuck past its limit ends its own process.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager

from sim.batch.timeout import mark_pool_worker
from sim.scenario import ScenarioError

SCHEDULER_PATTERN = re.compile(r"(tcp|tls|ucx|inproc)://[^\s/]{1,200}")
"""A Dask scheduler address: ``tcp://HOST:PORT`` or ``tls://HOST:PORT``."""

CONNECT_TIMEOUT_S = 5
"""Seconds to wait for a Dask scheduler before giving up."""


class InProcessExecutor(Executor):
    """Runs each task at once in the calling process (``--workers 1``; debugging)."""

    def submit(self, fn: Callable, /, *args, **kwargs) -> Future:
        """Run ``fn(*args, **kwargs)`` now and return its finished future."""
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as error:  # the future carries it; Ctrl-C propagates at once
            future.set_exception(error)
        return future


def default_workers() -> int:
    """Processes to use by default: every core this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


@contextmanager
def open_executor(workers: int | None = None, scheduler: str | None = None) -> Iterator[Executor]:
    """An executor for sweep tasks.

    Args:
        workers: local processes (default: all cores); 1 runs in this process.
        scheduler: address of a Dask scheduler (``tcp://host:port``); when given,
            tasks go to that cluster and ``workers`` is ignored. Its workers must be
            able to import ``sim`` and write to the sweep's output directory.
    """
    if scheduler is not None:
        yield from _dask_executor(scheduler)
        return
    workers = workers or default_workers()
    if workers == 1:
        yield InProcessExecutor()
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_start_worker
    ) as pool:
        yield pool


def _start_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    mark_pool_worker()


def _dask_executor(scheduler: str) -> Iterator[Executor]:
    """A Dask client's executor; an unreachable or malformed address fails in seconds.

    Raises:
        ScenarioError: naming the address and what is allowed.
    """
    if not SCHEDULER_PATTERN.fullmatch(scheduler):
        raise ScenarioError(
            f"--scheduler {scheduler[:60]!r} is not a Dask scheduler address "
            "(allowed: tcp://HOST:PORT or tls://HOST:PORT)"
        )
    from distributed import Client

    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError, ValueError) as error:
        raise ScenarioError(
            f"--scheduler {scheduler}: cannot reach a Dask scheduler within "
            f"{CONNECT_TIMEOUT_S} s ({type(error).__name__}); is it running, and is the "
            "address right?"
        ) from None
    with client:
        yield client.get_executor(pure=False)


def check_scheduler(scheduler: str) -> None:
    """Connect to the Dask scheduler once and disconnect, so a malformed or unreachable
    address is refused before anything is written.

    Raises:
        ScenarioError: naming the address and what is allowed.
    """
    connection = _dask_executor(scheduler)
    next(connection)
    connection.close()


def stop_executor(executor: Executor) -> None:
    """Stop ``executor`` now: cancel queued tasks and end local worker processes, so
    none is left behind (runs in flight are lost and done again on resume)."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    for process in processes:
        if process.is_alive():
            process.terminate()
    if isinstance(executor, ProcessPoolExecutor):
        executor.shutdown(wait=False, cancel_futures=True)
    else:
        executor.shutdown(wait=False)
    for process in processes:
        process.join(timeout=5)

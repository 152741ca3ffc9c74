"""Where runs execute: in this process, in local processes, or on a Dask cluster.

Core object: :func:`open_executor`, a context manager giving a
:class:`concurrent.futures.Executor`, so the sweep loop is the same everywhere.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager


class InProcessExecutor(Executor):
    """Runs each task at once in the calling process (``--workers 1``; debugging)."""

    def submit(self, fn: Callable, /, *args, **kwargs) -> Future:
        """Run ``fn(*args, **kwargs)`` now and return its finished future."""
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:  # the future carries it to the caller
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
        from distributed import Client

        with Client(scheduler) as client:
            yield client.get_executor(pure=False)
        return
    workers = workers or default_workers()
    if workers == 1:
        yield InProcessExecutor()
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield pool

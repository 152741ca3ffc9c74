"""Process-level tuning for large populations.

Core object: :func:`keep_freed_memory`.

A month of a million-worker economy allocates temporaries of tens of megabytes.
glibc returns such blocks to the operating system when they are freed, so each new
one starts with page faults: about a third of the step time at 10^6 workers
(measured with ``sim bench``). Raising glibc's mmap and trim thresholds keeps freed
memory in the process for reuse. Elsewhere (macOS, Windows, musl) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
THRESHOLD_BYTES = 1 << 30


@functools.cache
def keep_freed_memory() -> bool:
    """Ask glibc to keep freed blocks up to 1 GiB for reuse; True if it agreed."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, THRESHOLD_BYTES)) and bool(
        mallopt(M_TRIM_THRESHOLD, THRESHOLD_BYTES)
    )

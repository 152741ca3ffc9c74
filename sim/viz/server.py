"""One server for a class: ``sim viz --classroom``.

Core objects: :class:`ClassroomSettings`, :func:`classroom_environment`,
:func:`student_urls`, :func:`max_workers`.

Every browser that opens the page gets its own session (a Solara kernel) and so its own
economy. What bounds the server's memory: each economy is capped at
``SIM_MAX_WORKERS`` workers (the Workers slider stops there and the model refuses
more), at most ``max_students`` sessions run at once, and a session whose browser has
gone is freed after ``idle_minutes``.

Security: there is no authentication. Anyone who can reach the address can use the
app (and the CPU of the machine running it); use it on a classroom network, not on
the open internet, and stop it after class.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass

MAX_WORKERS_VARIABLE = "SIM_MAX_WORKERS"
"""Environment variable that caps the workers of each economy."""


@dataclass(frozen=True)
class ClassroomSettings:
    """Limits of a class server.

    Attributes:
        max_students: sessions served at once (Solara's kernel limit).
        idle_minutes: a session whose browser is gone is freed after this long.
        max_workers: workers per economy (memory per session grows with it).
    """

    max_students: int = 60
    idle_minutes: int = 10
    max_workers: int = 5_000


def classroom_environment(settings: ClassroomSettings) -> dict[str, str]:
    """Environment variables of the server process that enforce ``settings``."""
    return {
        "SOLARA_KERNEL_CULL_TIMEOUT": f"{settings.idle_minutes}m",
        "SOLARA_KERNEL_MAX_COUNT": str(settings.max_students),
        MAX_WORKERS_VARIABLE: str(settings.max_workers),
    }


def max_workers(default: int) -> int:
    """The cap on workers per economy: ``SIM_MAX_WORKERS`` if set, else ``default``."""
    value = os.environ.get(MAX_WORKERS_VARIABLE)
    if value is None:
        return default
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{MAX_WORKERS_VARIABLE}={value!r}: a whole number of workers >= 1")
    return int(value)


def local_address() -> str:
    """This machine's address on its local network (no packet is sent: connecting a
    UDP socket only chooses the outgoing interface), or 127.0.0.1 without a network."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def student_urls(port: int) -> list[str]:
    """The addresses students type: by IP address, then by host name."""
    return [f"http://{local_address()}:{port}", f"http://{socket.gethostname()}:{port}"]

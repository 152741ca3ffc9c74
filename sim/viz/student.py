"""A lightweight student for load tests: speaks the app's websocket protocol, draws nothing.

Core objects: :class:`Student`, :func:`run_class`.

A browser tab of the app is a Jupyter-widgets client of the Solara server: it opens a
kernel websocket, asks Solara to run the page, receives every widget's state and its
updates, and sends button clicks as widget events. :class:`Student` does the same with
no rendering, so that many of them measure what the *server* can serve (its CPU per
simulated month), not what twenty browsers on the same cores can draw. It plays like a
student: presses Play and reads the month from the status line as it changes.

Loopback only: :func:`run_class` refuses any host but 127.0.0.1/localhost.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from sim.viz.controller import PLAY

STATUS_CLASS = "sim-status"
"""CSS class of the status line (its HTML says the month)."""

LOCAL_HOSTS = ("127.0.0.1", "localhost")

_MONTH = re.compile(r"[Mm]onth (\d+) of (\d+)")


def _message(session: str, msg_type: str, content: dict, channel: str = "shell") -> str:
    """A Jupyter message (protocol 5.3) as the websocket's JSON text."""
    header = {
        "msg_id": uuid.uuid4().hex, "username": "student", "session": session,
        "msg_type": msg_type, "version": "5.3", "date": "",
    }  # fmt: skip
    return json.dumps({
        "header": header, "parent_header": {}, "metadata": {}, "content": content,
        "channel": channel, "buffers": [],
    })  # fmt: skip


def _decode(raw: str | bytes) -> dict:
    """A message from the server: JSON text, or Jupyter's binary framing (with buffers)."""
    if isinstance(raw, str):
        return json.loads(raw)
    from solara.server.kernel import deserialize_binary_message

    return deserialize_binary_message(raw)


@dataclass
class Student:
    """One student's connection to the app at ``url`` (``http://127.0.0.1:PORT/``).

    Attributes:
        months: ``(time.monotonic(), month)`` each time the status line changed.
        received_bytes: bytes received from the server (the websocket traffic).
        error: why the student stopped early, if it did.
    """

    url: str
    months: list[tuple[float, int]] = field(default_factory=list)
    received_bytes: int = 0
    error: str | None = None
    _widgets: dict[str, dict[str, Any]] = field(default_factory=dict)
    _status: str | None = None
    _ready: asyncio.Event = field(default_factory=asyncio.Event)

    async def run(self, play_for: float, start: asyncio.Event | None = None) -> None:
        """Open the page, wait for ``start``, press Play and watch for ``play_for``
        seconds; then close the connection (the server frees the session later)."""
        import websockets

        cookie = await asyncio.to_thread(self._session_cookie)
        parts = urlsplit(self.url)
        session = uuid.uuid4().hex
        ws_url = (
            f"ws://{parts.netloc}/jupyter/api/kernels/{uuid.uuid4()}/channels"
            f"?session_id={session}"
        )
        try:
            async with websockets.connect(
                ws_url, additional_headers={"Cookie": cookie}, max_size=None,
                open_timeout=120, ping_interval=None,
            ) as ws:  # fmt: skip
                reader = asyncio.create_task(self._read(ws))
                control = uuid.uuid4().hex
                await ws.send(_message(session, "comm_open", {
                    "comm_id": control, "target_name": "solara.control", "data": {},
                }))  # fmt: skip
                await ws.send(_message(session, "comm_msg", {"comm_id": control, "data": {
                    "method": "run",
                    "args": {"path": "", "appName": None, "themes": {}, "dark": False},
                }}))  # fmt: skip
                await asyncio.wait_for(self._ready.wait(), timeout=300)
                if start is not None:
                    await start.wait()
                await ws.send(_message(session, "comm_msg", {
                    "comm_id": self._play_button(),
                    "data": {"method": "custom", "content": {"event": "click", "data": {}}},
                }))  # fmt: skip
                await asyncio.sleep(play_for)
                reader.cancel()
        except Exception as error:  # a student that fails is reported, not fatal to the class
            self.error = f"{type(error).__name__}: {error}"

    def _session_cookie(self) -> str:
        """Load the page once over HTTP, as a browser does; Solara sets its session cookie."""
        with urllib.request.urlopen(self.url, timeout=120) as response:
            cookies = response.headers.get_all("Set-Cookie") or []
        return "; ".join(c.split(";", 1)[0] for c in cookies)

    async def _read(self, ws) -> None:
        async for raw in ws:
            self.received_bytes += len(raw)
            message = _decode(raw)
            kind = message.get("header", {}).get("msg_type")
            content = message.get("content", {})
            if kind == "comm_open" and content.get("target_name") == "jupyter.widget":
                self._widgets[content["comm_id"]] = dict(content["data"].get("state", {}))
                self._seen(content["comm_id"])
            elif kind == "comm_msg":
                data = content.get("data", {})
                if data.get("method") == "update" and content["comm_id"] in self._widgets:
                    self._widgets[content["comm_id"]].update(data.get("state", {}))
                    self._seen(content["comm_id"])

    def _seen(self, comm_id: str) -> None:
        state = self._widgets[comm_id]
        if state.get("box_class") != STATUS_CLASS or state.get("html") == self._status:
            return
        self._status = state.get("html")
        found = _MONTH.search(self._status or "")
        if found:
            self.months.append((time.monotonic(), int(found.group(1))))
            if self._play_button() is not None:
                self._ready.set()

    def _play_button(self) -> str | None:
        """The widget id of the Play button (``None`` before the page has it)."""
        for comm_id, state in self._widgets.items():
            if state.get("_model_name") == "BtnModel" and state.get("children") == [PLAY]:
                return comm_id
        return None

    def rate(self, since: float) -> float:
        """Months a second this student saw from time ``since`` to its last update."""
        seen = [(t, m) for t, m in self.months if t >= since]
        if len(seen) < 2:
            return 0.0
        (t0, m0), (t1, m1) = seen[0], seen[-1]
        return (m1 - m0) / (t1 - t0) if t1 > t0 else 0.0


async def _class(
    url: str, students: int, play_for: float, at_start: Callable[[], None] | None
) -> list[Student]:
    start = asyncio.Event()
    group = [Student(url) for _ in range(students)]
    tasks = [asyncio.create_task(s.run(play_for, start)) for s in group]
    while not all(s._ready.is_set() or s.error for s in group):
        if all(t.done() for t in tasks):
            break
        await asyncio.sleep(0.2)
    if at_start is not None:
        at_start()
    start.set()
    await asyncio.gather(*tasks)
    return group


def run_class(
    url: str, students: int, play_for: float, at_start: Callable[[], None] | None = None
) -> list[Student]:
    """``students`` lightweight students open the app at ``url`` (loopback only), all
    press Play at once (``at_start()`` is called just before) and watch for ``play_for``
    seconds."""
    host = urlsplit(url).hostname
    if host not in LOCAL_HOSTS:
        raise ValueError(f"load tests target this machine only ({LOCAL_HOSTS}), not {host!r}")
    return asyncio.run(_class(url, students, play_for, at_start))

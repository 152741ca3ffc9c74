"""Load test of one class server: many students (browser contexts) on one server.

Slow and loopback only: one server started as ``sim viz --classroom`` would start it
(its limits in the environment) but bound to 127.0.0.1; ``STUDENTS`` browser contexts
of one headless Chromium each open the app and press Play at the normal speed. Each
student must advance at least ``MIN_MONTHS_PER_SECOND`` months a second (issue 12).
The server's memory per session is reported (``out/viz_load.txt``), not asserted.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import psutil
import pytest

from sim.viz.browser import CHROMIUM

STUDENTS = int(os.environ.get("SIM_LOAD_STUDENTS", "20"))
MIN_MONTHS_PER_SECOND = 5.0
MEASURE_SECONDS = 10.0
OUT = Path("out")

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _server_process(url: str) -> psutil.Process:
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    for connection in psutil.net_connections("tcp"):
        if connection.laddr and connection.laddr.port == port and connection.status == "LISTEN":
            return psutil.Process(connection.pid)
    raise RuntimeError(f"no process listens on {url}")


def _month(page) -> int:
    words = page.locator(".sim-status").inner_text(timeout=120_000).replace(":", " ").split()
    return int(words[words.index("month" if "Finished" in words else "Month") + 1])


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent")
def test_twenty_students_on_one_server():
    from playwright.sync_api import sync_playwright

    from sim.viz.browser import CHROMIUM_ARGS, PLAY, serve
    from sim.viz.server import ClassroomSettings, classroom_environment

    environment = classroom_environment(ClassroomSettings(max_students=STUDENTS + 5))
    with serve(environment=environment) as url, sync_playwright() as playwright:
        server = _server_process(url)
        before = server.memory_info().rss
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            pages = []
            for _ in range(STUDENTS):
                context = browser.new_context(viewport={"width": 1280, "height": 720})
                page = context.new_page()
                page.goto(url)
                pages.append(page)
            for page in pages:
                page.get_by_role("button", name=PLAY, exact=True).wait_for(timeout=180_000)
            opened = server.memory_info().rss
            for page in pages:
                page.get_by_role("button", name=PLAY, exact=True).click()
            time.sleep(3.0)
            start = [(time.monotonic(), _month(page)) for page in pages]
            time.sleep(MEASURE_SECONDS)
            rates = []
            for (started, first), page in zip(start, pages, strict=True):
                rates.append((_month(page) - first) / (time.monotonic() - started))
            peak = server.memory_info().rss
        finally:
            browser.close()
    per_session = (peak - before) / STUDENTS / 2**20
    rates.sort()
    report = (
        f"{STUDENTS} students on one server ({os.cpu_count()} cores), normal speed, "
        f"redraw every month: months/s per student min {rates[0]:.1f}, median "
        f"{rates[len(rates) // 2]:.1f}, max {rates[-1]:.1f}; server memory "
        f"{before / 2**20:.0f} MB before, {opened / 2**20:.0f} MB with every session open, "
        f"{peak / 2**20:.0f} MB playing: {per_session:.1f} MB per session\n"
    )
    OUT.mkdir(exist_ok=True)
    (OUT / "viz_load.txt").write_text(report)
    print(report)
    assert rates[0] >= MIN_MONTHS_PER_SECOND, report

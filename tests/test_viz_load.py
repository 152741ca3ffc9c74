"""Load tests of one class server (slow; loopback only; reported in ``out/viz_load.txt``).

Twenty students on one server (issue 12: each must advance at least 5 months a second
on a 2-core machine). Two measures, because the students' browsers would otherwise
share the server's two cores, which a real class (each student drawing the charts on
their own laptop) does not:

- **Capacity, from CPU time** (asserted): ``STUDENTS`` lightweight students
  (:mod:`sim.viz.student`: the app's websocket protocol, nothing drawn) press Play at
  the normal speed at once; the server's CPU seconds per student-month give the
  student-months a second one server process can serve. The server is one Python
  process (the GIL lets it use about one core however many there are), so the test
  asserts ``1 / (CPU seconds per month) >= STUDENTS * 5``: one core suffices. CPU time,
  unlike wall time, does not depend on what else the machine runs.
- **End to end** (reported; asserted only where noted): the months a second each
  lightweight student saw, and ``BROWSERS`` real headless Chromium contexts playing at
  once on the same machine (their charts must hold every month the server simulated).

Memory per session is reported: the server's resident memory with every session open
and while they play, less its memory before, per session.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import psutil
import pytest

from sim.viz.browser import CHROMIUM

STUDENTS = int(os.environ.get("SIM_LOAD_STUDENTS", "20"))
BROWSERS = int(os.environ.get("SIM_LOAD_BROWSERS", "4"))
MIN_MONTHS_PER_SECOND = 5.0
PLAY_SECONDS = 15.0
SETTLE_SECONDS = 3.0
"""Months seen in the first seconds of Play (while every session starts) are not counted."""
OUT = Path("out")

pytestmark = [pytest.mark.slow]


def _server_process(url: str) -> psutil.Process:
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    for connection in psutil.net_connections("tcp"):
        if connection.laddr and connection.laddr.port == port and connection.status == "LISTEN":
            return psutil.Process(connection.pid)
    raise RuntimeError(f"no process listens on {url}")


def _cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def _report(line: str) -> None:
    OUT.mkdir(exist_ok=True)
    with (OUT / "viz_load.txt").open("a") as out:
        out.write(line + "\n")
    print(line)


def test_one_server_has_the_capacity_for_twenty_students():
    from sim.viz.browser import serve
    from sim.viz.server import ClassroomSettings, classroom_environment
    from sim.viz.student import run_class

    environment = classroom_environment(ClassroomSettings(max_students=STUDENTS + 5))
    marks: dict[str, float] = {}
    with serve(timeout=180, environment=environment) as url:
        server = _server_process(url)
        before = server.memory_info().rss

        def at_start() -> None:
            marks.update(cpu=_cpu_seconds(server), time=time.monotonic(),
                         opened=server.memory_info().rss)  # fmt: skip

        students = run_class(url, STUDENTS, PLAY_SECONDS, at_start)
        cpu, ended = _cpu_seconds(server) - marks["cpu"], time.monotonic()
        playing = server.memory_info().rss
    assert not [s.error for s in students if s.error]
    months = sum(s.months[-1][1] - s.months[0][1] for s in students)
    per_month = cpu / months
    rates = sorted(s.rate(marks["time"] + SETTLE_SECONDS) for s in students)
    frames = sorted(
        (s.months[-1][1] - s.months[0][1]) / max(len(s.months) - 1, 1) for s in students
    )
    _report(
        f"{STUDENTS} lightweight students, normal speed, {os.cpu_count()} cores: server CPU "
        f"{per_month * 1000:.1f} ms per student-month ({cpu:.1f} s for {months} months in "
        f"{ended - marks['time']:.0f} s, {cpu / (ended - marks['time']):.2f} cores), capacity "
        f"{1 / per_month:.0f} student-months/s on one core; months/s per student min "
        f"{rates[0]:.1f}, median {rates[len(rates) // 2]:.1f}, max {rates[-1]:.1f}; months per "
        f"redraw {frames[0]:.1f}-{frames[-1]:.1f}; server memory {before / 2**20:.0f} MB before, "
        f"{(marks['opened'] - before) / STUDENTS / 2**20:.1f} MB per session open, "
        f"{(playing - before) / STUDENTS / 2**20:.1f} MB per session playing"
    )
    assert 1 / per_month >= STUDENTS * MIN_MONTHS_PER_SECOND


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent")
def test_browsers_playing_at_once_draw_every_month():
    from playwright.sync_api import sync_playwright

    from sim.viz.browser import CHROMIUM_ARGS, month, months_drawn, play_button, serve, status
    from sim.viz.controller import PAUSE

    with serve(timeout=180) as url, sync_playwright() as playwright:
        server = _server_process(url)
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            pages = []
            for _ in range(BROWSERS):
                page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
                page.goto(url)
                pages.append(page)
            for page in pages:
                play_button(page).wait_for(timeout=180_000)
                page.locator(".sim-chart svg").first.wait_for(timeout=180_000)
            for page in pages:
                play_button(page).click()
            time.sleep(SETTLE_SECONDS)
            cpu = (_cpu_seconds(server), _browsers_cpu_seconds())
            seen = [[(time.monotonic(), month(page))] for page in pages]
            deadline = time.monotonic() + PLAY_SECONDS
            while time.monotonic() < deadline:
                for samples, page in zip(seen, pages, strict=True):
                    if "Finished" not in status(page):
                        samples.append((time.monotonic(), month(page)))
                time.sleep(0.5)
            server_cpu = _cpu_seconds(server) - cpu[0]
            browser_cpu = _browsers_cpu_seconds() - cpu[1]
            # A run that had already reached its last month when sampling began (on a
            # loaded machine the settle time can cover a whole short run) has one sample.
            rates = [(s[-1][1] - s[0][1]) / (s[-1][0] - s[0][0]) for s in seen if len(s) > 1]
            months = sum(month(page) - s[0][1] for s, page in zip(seen, pages, strict=True))
            for page in pages:
                if "Finished" not in status(page):
                    play_button(page, PAUSE).click()
            time.sleep(2.0)
            behind = [max(month(p) + 1 - min(months_drawn(p)), 0) for p in pages]
        finally:
            browser.close()
    rates = sorted(rates) or [float("nan")]
    _report(
        f"{BROWSERS} headless Chromium contexts on the same {os.cpu_count()} cores, normal "
        f"speed (until each run ends): months/s per student min {rates[0]:.1f}, median "
        f"{rates[len(rates) // 2]:.1f}, max {rates[-1]:.1f}; CPU per student-month: server "
        f"{server_cpu / months * 1000:.1f} ms, browsers {browser_cpu / months * 1000:.1f} ms"
    )
    assert behind == [0] * BROWSERS, f"months simulated but not drawn after Pause: {behind}"


def _browsers_cpu_seconds() -> float:
    """CPU seconds of every Chromium process this test started (alive now)."""
    total = 0.0
    for process in psutil.Process().children(recursive=True):
        try:
            if "chrom" in process.name().lower():
                total += _cpu_seconds(process)
        except psutil.NoSuchProcess:
            continue
    return total

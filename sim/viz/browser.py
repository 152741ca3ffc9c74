"""Serve the app locally and drive it in headless Chromium (for screenshots and tests).

Core objects: :func:`serve`, :func:`chromium`, :func:`open_app`, :func:`choose_preset`,
:func:`press`, :func:`months_drawn`, :data:`CHROMIUM`.

Uses the system Chromium (``apt-get install chromium``), never a downloaded browser.
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sim.viz.assets import ensure_assets
from sim.viz.commands import solara_command, solara_environment
from sim.viz.controller import PLAY

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
]  # fmt: skip
HOST = "127.0.0.1"
VIEWPORT = {"width": 1280, "height": 720}


def free_port() -> int:
    """A port nobody listens on at the moment, on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextmanager
def serve(timeout: float = 60.0, environment: dict[str, str] | None = None) -> Iterator[str]:
    """Run ``solara run`` on a free local port (with ``environment`` added to the
    server's); yield its URL; stop it afterwards."""
    ensure_assets()
    port = free_port()
    process = subprocess.Popen(
        solara_command(HOST, port, open_browser=False), env=solara_environment(environment),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    url = f"http://{HOST}:{port}/"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"solara exited with {process.returncode}: {process.stderr.read()}"
                )
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s") from None
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def chromium(viewport: dict[str, int] | None = None):
    """A headless system Chromium page (Playwright sync API), 1280 x 720 by default."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser.new_page(viewport=viewport or VIEWPORT)
        finally:
            browser.close()


def open_app(page, url: str, timeout_ms: float = 45_000) -> None:
    """Load the app and wait until its first chart is drawn."""
    page.goto(url)
    page.get_by_role("button", name="Step").wait_for(timeout=timeout_ms)
    page.locator(".sim-chart svg").first.wait_for(timeout=timeout_ms)


def choose_preset(page, title: str) -> None:
    """Pick a preset by its title in the sidebar and wait for the app to rebuild."""
    page.get_by_label("Lesson or scenario").click(force=True)
    page.get_by_role("option", name=title, exact=True).click()
    page.get_by_text(title).first.wait_for()
    page.wait_for_timeout(1500)


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the drop-down labelled ``label``."""
    page.get_by_label(label).click(force=True)
    page.get_by_role("option", name=option, exact=True).click()


def status(page) -> str:
    """The run's status line ("Month 5 of 120 ...", or "Finished: ...")."""
    return page.locator(".sim-status").inner_text()


def month(page) -> int:
    """The month the status line shows."""
    words = status(page).replace(":", " ").split()
    return int(words[words.index("month" if "Finished" in words else "Month") + 1])


def play_button(page, label: str = PLAY):
    """Mesa's Play button (``label=PAUSE``: the same button while playing)."""
    return page.get_by_role("button", name=label, exact=True)


def press(page, label: str, times: int = 1) -> None:
    """Click a button of the app ``times`` times, waiting for each redraw."""
    for _ in range(times):
        page.get_by_role("button", name=label).click()
        page.wait_for_timeout(400)


def months_drawn(page) -> list[int]:
    """How many months each chart on screen has drawn (its ``data-months``)."""
    return [
        int(chart.get_attribute("data-months") or 0) for chart in page.locator(".sim-chart").all()
    ]


def screenshot(page, path: Path) -> Path:
    """Save the visible page as a PNG."""
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    return path

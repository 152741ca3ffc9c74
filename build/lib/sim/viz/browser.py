"""Serve the app locally and drive it in headless Chromium (for screenshots and tests).

Core objects: :func:`serve`, :func:`chromium`, :func:`open_app`, :func:`choose_preset`,
:func:`press`, :data:`CHROMIUM`.

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
from sim.viz.commands import solara_command

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
]  # fmt: skip
HOST = "127.0.0.1"
VIEWPORT = {"width": 1600, "height": 1000}


def free_port() -> int:
    """A port nobody listens on at the moment, on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextmanager
def serve(timeout: float = 60.0) -> Iterator[str]:
    """Run ``solara run`` on a free local port; yield its URL; stop it afterwards."""
    ensure_assets()
    port = free_port()
    process = subprocess.Popen(
        solara_command(HOST, port, open_browser=False),
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
def chromium():
    """A headless system Chromium page (Playwright sync API) with a classroom-sized window."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser.new_page(viewport=VIEWPORT)
        finally:
            browser.close()


def open_app(page, url: str, timeout_ms: float = 45_000) -> None:
    """Load the app and wait until its first figure is drawn."""
    page.goto(url)
    page.get_by_role("button", name="Step").wait_for(timeout=timeout_ms)
    page.locator("img").first.wait_for(timeout=timeout_ms)


def choose_preset(page, title: str) -> None:
    """Pick a preset by its title in the sidebar and wait for the app to rebuild."""
    page.get_by_label("Lesson or scenario").click(force=True)
    page.get_by_role("option", name=title, exact=True).click()
    page.get_by_text(title).first.wait_for()
    page.wait_for_timeout(1500)


def press(page, label: str, times: int = 1) -> None:
    """Click a button of the app ``times`` times, waiting for each redraw."""
    for _ in range(times):
        page.get_by_role("button", name=label).click()
        page.wait_for_timeout(400)


def image_sources(page) -> list[str]:
    """The ``src`` of every figure on screen (changes whenever a figure is redrawn)."""
    return [img.get_attribute("src") or "" for img in page.locator("img").all()]


def screenshot(page, path: Path) -> Path:
    """Save the visible page as a PNG."""
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    return path

"""End to end: serve the app, drive it in headless system Chromium, check it works.

Outside CI a machine without Chromium skips these tests; in CI (``CI`` set) a missing
Chromium is a failure, so a broken install cannot pass as green.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from sim.viz.browser import CHROMIUM, image_sources

IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false")

pytestmark = [pytest.mark.browser]

OUT = Path("out")


@pytest.fixture(autouse=True)
def _need_chromium():
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is absent (apt-get install chromium)"
    if IN_CI:
        pytest.fail(f"CI needs the browser test: {message}")
    pytest.skip(message)


def test_app_in_a_real_browser():
    from sim.viz.browser import choose_preset, chromium, open_app, press, screenshot, serve

    started = time.monotonic()
    with serve() as url, chromium() as page:
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        open_app(page, url)
        choose_preset(page, "Lesson 2: Baumol's cost disease")
        before = image_sources(page)
        assert len(before) == 2
        press(page, "Step", 3)
        after = image_sources(page)
        screenshot(page, OUT / "test_viz_browser.png")
        body = page.locator("body").inner_text()
    assert all(a != b for a, b in zip(before, after, strict=True)), "figures did not change"
    assert "Traceback" not in body and "error in step" not in body
    assert not errors, errors
    assert time.monotonic() - started < 60

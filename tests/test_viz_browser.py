"""End to end: serve the app, drive it in headless system Chromium, check it works."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from sim.viz.browser import CHROMIUM, image_sources

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent (apt-get install chromium)"
    ),
]

OUT = Path("out")


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

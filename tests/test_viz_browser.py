"""End to end: serve the app, drive it in headless system Chromium as a class would.

Outside CI a machine without Chromium skips these tests; in CI (``CI`` set) a missing
Chromium is a failure, so a broken install cannot pass as green. The redraw speed is
reported (printed and written to ``out/viz_speed.txt``), not asserted.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from sim.viz.browser import CHROMIUM
from sim.viz.controls import CONTROLS

IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false")
OUT = Path("out")
SIZES = (
    {"width": 1024, "height": 768},
    {"width": 1280, "height": 720},
    {"width": 1920, "height": 1080},
)

pytestmark = [pytest.mark.browser]

GEOMETRY = """() => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const side = document.querySelector('.sim-side');
  const controls = [...document.querySelectorAll('.sim-control')].map((el) => ({
    ...box(el), text: el.innerText.trim() }));
  return {
    width: window.innerWidth, height: window.innerHeight,
    pageWidth: document.documentElement.scrollWidth,
    sideOverflow: side.scrollWidth - side.clientWidth,
    side: box(side),
    charts: [...document.querySelectorAll('.sim-chart')].map(box),
    plots: [...document.querySelectorAll('.sim-chart > .chart-wrapper > svg')].map(box),
    buttons: [...document.querySelectorAll('button')].map(box),
    controls,
    fontSizes: [...document.querySelectorAll('.sim-chart svg text')].map(
      (t) => parseFloat(getComputedStyle(t).fontSize || t.getAttribute('font-size'))),
  };
}"""


@pytest.fixture(scope="module")
def app_url():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is absent (apt-get install chromium)"
        if IN_CI:
            pytest.fail(f"CI needs the browser test: {message}")
        pytest.skip(message)
    from sim.viz.browser import serve
    from sim.viz.controller import MOST_MONTHS_VARIABLE

    with serve(environment={MOST_MONTHS_VARIABLE: "1"}) as url:  # a redraw every month
        yield url


def _inside(item: dict, width: float, height: float | None = None) -> bool:
    fits = item["left"] >= -0.5 and item["right"] <= width + 0.5
    if height is not None:
        fits = fits and item["top"] >= -0.5 and item["bottom"] <= height + 0.5
    return fits


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s['width']}x{s['height']}")
def test_layout_holds_at_projector_sizes(app_url, size):
    from sim.viz.browser import chromium, open_app, screenshot

    with chromium(size) as page:
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        open_app(page, app_url)
        page.wait_for_timeout(1500)
        geometry = page.evaluate(GEOMETRY)
        screenshot(page, OUT / f"test_viz_browser_{size['width']}.png")
    width, height = geometry["width"], geometry["height"]
    assert geometry["pageWidth"] <= width, "the page scrolls sideways"
    assert geometry["sideOverflow"] <= 0, "the control panel scrolls sideways"
    assert len(geometry["charts"]) == 4
    for chart in geometry["charts"] + geometry["plots"]:
        assert _inside(chart, width, height), chart
    assert all(_inside(button, width) for button in geometry["buttons"])
    assert len(geometry["controls"]) == len(CONTROLS)  # every control is drawn
    for control in geometry["controls"]:
        assert _inside(control, geometry["side"]["right"]), control
        name, _colon, value = control["text"].partition(":")
        assert name and value.strip(), f"control without a visible value: {control['text']!r}"
    assert min(geometry["fontSizes"]) >= 16
    assert not errors, errors


def test_play_pause_step_and_the_end(app_url):
    from sim.viz.browser import (
        choose,
        chromium,
        month,
        months_drawn,
        open_app,
        play_button,
        press,
        status,
    )  # fmt: skip
    from sim.viz.controller import MOST_MONTHS_VARIABLE, PAUSE

    with chromium() as page:
        open_app(page, app_url)
        press(page, "Step")
        page.wait_for_function(
            "document.querySelector('.sim-status')?.innerText.includes('Month 1 ')"
        )
        page.wait_for_function("[...document.querySelectorAll('.sim-chart')].every("
                               "(c) => c.dataset.months === '2')")  # fmt: skip
        play_button(page).click()
        page.wait_for_timeout(1500)
        play_button(page, PAUSE).click()
        play_button(page).wait_for()
        paused = month(page)
        page.wait_for_timeout(1000)
        assert paused > 1
        assert month(page) - paused <= 1, "the run went on after Pause"
        choose(page, "Play speed", "as fast as it goes")
        started, first = time.monotonic(), month(page)
        play_button(page).click()
        page.wait_for_function(
            "document.querySelector('.sim-status')?.innerText.includes('Finished')", timeout=90_000
        )
        elapsed = time.monotonic() - started
        page.wait_for_timeout(500)
        drawn = months_drawn(page)
        redraws = page.locator(".sim-chart").first.get_attribute("data-redraws")
        text = status(page)
        step_disabled = page.get_by_role("button", name="Step").is_disabled()
        play_disabled = page.locator(".sim-side button").nth(1).is_disabled()
    assert "Finished: month 120 of 120" in text
    assert drawn == [121] * 4, drawn
    assert step_disabled and play_disabled
    speed = (120 - first) / elapsed
    OUT.mkdir(exist_ok=True)
    report = (
        f"as fast as it goes, 2,000 workers plus the compared economy, 4 charts, headless "
        f"Chromium 1280x720: {120 - first} months in {elapsed:.1f} s = {speed:.1f} months/s; "
        f"{redraws} redraws of the first chart (Play draws every month: {MOST_MONTHS_VARIABLE}=1)\n"
    )
    (OUT / "viz_speed.txt").write_text(report)
    print(report)

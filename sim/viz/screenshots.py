"""Regenerate the app screenshots in docs/figures/app_*.png (headless system Chromium).

Core object: :func:`take_screenshots`. Run ``sim screenshots`` or
``python -m sim.viz.screenshots``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sim.viz.browser import (
    PLAY,
    choose,
    choose_preset,
    chromium,
    open_app,
    play_button,
    screenshot,
    serve,
)  # fmt: skip

SHOTS = (
    ("app_jevons.png", "Lesson 1: the Jevons paradox", "AI deflation, human inflation"),
    ("app_baumol.png", "Lesson 2: Baumol's cost disease", "Wages, distribution, power"),
    ("app_agents.png", "Lesson 3: AI deflation and human inflation together", "The agents"),
    ("app_new_work.png", "Lesson 6: new work created by AI", "New work"),
)
"""(file, preset title, view of the main area) of each screenshot."""

VIEWPORT = {"width": 1280, "height": 720}
"""A projector's size."""


def take_screenshots(
    out: Path = Path("docs/figures"), viewport: dict[str, int] | None = None
) -> list[Path]:
    """Serve the app, run each preset to its end and save a screenshot of it
    (``viewport``: width and height in pixels, :data:`VIEWPORT` by default)."""
    written = []
    with serve(timeout=180) as url, chromium(viewport or VIEWPORT) as page:
        open_app(page, url)
        choose(page, "Play speed", "as fast as it goes")
        for filename, preset, view in SHOTS:
            choose_preset(page, preset)
            page.get_by_role("button", name=view, exact=True).click()
            play_button(page, PLAY).click()
            page.wait_for_function(
                "document.querySelector('.sim-status')?.innerText.includes('Finished')",
                timeout=120_000,
            )
            page.wait_for_timeout(1500)
            written.append(screenshot(page, out / filename))
    return written


if __name__ == "__main__":
    for path in take_screenshots(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/figures")):
        print(path)

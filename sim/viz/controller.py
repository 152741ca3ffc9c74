"""Reset, Play/Pause and Step, with Play's redraws paced to what the server can do.

Core objects: :class:`Speed`, :data:`SPEEDS`, :class:`Pacer`, :func:`PlayControls`.

Mesa's ``ModelController`` advances ``render_interval`` months per redraw, and its Step
button does the same: a Play that skipped redraws when the server is busy would make
Step jump several months. Here Step is always one month, and Play draws every month
while the server keeps up; when a frame (the months stepped and their redraw) takes
long, because many students share the server, Play advances several months per redraw.
The months a second a student sees then drop less: a redraw (the new rows sent to four
charts and two lines of text, drawn again by the browser) costs about as much as a
month of the model at 2,000 workers. The model, the charts' data and Mesa's update
counter (``force_update``) are the same either way.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

import solara
from mesa.visualization.utils import force_update

from sim.viz.classroom import ClassroomModel

PLAY, PAUSE = "▶", "❚❚"
"""Labels of the Play button (Mesa's, kept for continuity) and of the same button while
playing."""


@dataclass(frozen=True)
class Speed:
    """A play speed.

    Attributes:
        pause_ms: pause after each redraw, milliseconds.
        most_months: most months Play may advance per redraw when the server is behind
            (1: every month drawn, whatever the load).
    """

    pause_ms: int
    most_months: int


SPEEDS = {
    "slow (about 2 months a second)": Speed(450, 1),
    "normal": Speed(40, 6),
    "as fast as it goes": Speed(0, 12),
}
"""Play speeds by label."""

DEFAULT_SPEED = "normal"

MOST_MONTHS_VARIABLE = "SIM_MOST_MONTHS_PER_REDRAW"
"""Environment variable of the server that caps the months per redraw of every speed
(1: every month drawn whatever the load, as the redraw-speed test measures)."""


def most_months(speed: Speed) -> int:
    """Most months per redraw at ``speed``, within the server's cap (if set)."""
    value = os.environ.get(MOST_MONTHS_VARIABLE)
    if value is None:
        return speed.most_months
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{MOST_MONTHS_VARIABLE}={value!r}: a whole number of months >= 1")
    return min(speed.most_months, int(value))

BEHIND_SECONDS = 0.060
"""A frame's work (months stepped and their redraw) longer than this: the server is
behind, advance one more month per redraw."""

AHEAD_SECONDS = 0.025
"""A frame's work shorter than this: the server keeps up, one month fewer per redraw."""


@dataclass
class Pacer:
    """Months per redraw while playing: one while frames are quick, up to ``most``
    while they are slow (see :data:`BEHIND_SECONDS`, :data:`AHEAD_SECONDS`)."""

    most: int = 1
    months: int = 1

    def after_frame(self, seconds: float) -> int:
        """Adjust the months of the next frame to the work time of the last one."""
        if seconds > BEHIND_SECONDS and self.months < self.most:
            self.months += 1
        elif (seconds < AHEAD_SECONDS and self.months > 1) or self.months > self.most:
            self.months = max(1, min(self.months - 1, self.most))
        return self.months


def play(
    economy: ClassroomModel,
    playing: Callable[[], bool],
    speed: Callable[[], Speed],
    pacer: Pacer,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Step ``economy`` until ``playing()`` turns false or the run ends, redrawing
    (Mesa's ``force_update``) after each frame of ``pacer.months`` months."""
    while playing() and not economy.finished:
        started = time.perf_counter()
        for _ in range(pacer.months):
            economy.step()
            if economy.finished or not playing():
                break
        force_update()
        pacer.most = most_months(speed())
        pacer.after_frame(time.perf_counter() - started)
        sleep(speed().pause_ms / 1000)


@solara.component
def PlayControls(  # noqa: N802 - Solara components are capitalised
    model: solara.Reactive[ClassroomModel],
    rebuild: Callable[[], ClassroomModel],
    speed: solara.Reactive[str],
) -> None:
    """Reset (``rebuild()`` gives the new economy), Play/Pause and Step (one month)."""
    economy = model.value
    playing = solara.use_reactive(False)
    ended = solara.use_reactive(economy.finished)
    pacer = solara.use_memo(Pacer, [economy.run_id])

    def run() -> None:
        if playing.value:
            play(economy, lambda: playing.value, lambda: SPEEDS[speed.value], pacer)
            ended.value = economy.finished
            playing.value = False

    solara.lab.use_task(run, dependencies=[playing.value, economy.run_id], prefer_threaded=True)

    def reset() -> None:
        playing.value = False
        model.value = rebuild()
        ended.value = model.value.finished

    def step() -> None:
        economy.step()
        force_update()
        ended.value = economy.finished

    with solara.Row(justify="space-between"):
        solara.Button(label="Reset", color="primary", on_click=reset)
        solara.Button(
            label=PAUSE if playing.value else PLAY, color="primary",
            on_click=lambda: playing.set(not playing.value), disabled=ended.value,
        )  # fmt: skip
        solara.Button(
            label="Step", color="primary", on_click=step,
            disabled=playing.value or ended.value,
        )  # fmt: skip

"""The browser-side chart: a Vega-Lite view that receives its data month by month.

Core objects: :class:`ChartWidget` (its front end is ``chart.vue``), :class:`LiveText`.
"""

from __future__ import annotations

from pathlib import Path

import ipyvuetify as v
import traitlets


class ChartWidget(v.VuetifyTemplate):
    """A Vega-Lite chart embedded once and fed by batches of new rows.

    Traits (synchronised with the browser):
        spec: the Vega-Lite specification (data: the named table ``table``).
        columns: names of a row's fields, in order.
        batch: ``{"model", "first", "months", "rows"}``: rows for months ``first`` to
            ``first + months - 1`` of the economy ``model``; the browser drops its rows
            from ``first`` on and inserts these.
        panel: the panel's key (a ``data-panel`` attribute, for tests).

    ``source`` (not synchronised) returns the batch of every row; the browser asks for
    it when it missed a batch.
    """

    template_file = str(Path(__file__).with_name("chart.vue"))
    spec = traitlets.Dict().tag(sync=True)
    columns = traitlets.List().tag(sync=True)
    batch = traitlets.Dict().tag(sync=True)
    panel = traitlets.Unicode("").tag(sync=True)
    source = traitlets.Any(None, allow_none=True)

    def vue_send_all(self, *_args) -> None:
        """The browser missed rows: send all of them."""
        if self.source is not None:
            self.batch = self.source()


class LiveText(v.VuetifyTemplate):
    """A block of HTML that the server rewrites after every month (status, verdicts)."""

    template = traitlets.Unicode(
        '<template><div :class="box_class" v-html="html"></div></template>'
    ).tag(sync=True)
    html = traitlets.Unicode("").tag(sync=True)
    box_class = traitlets.Unicode("").tag(sync=True)

"""The classroom app (Mesa SolaraViz) and its presets, figures and exports.

Modules: ``controls`` (what each slider sets), ``presets`` (scenarios and lessons),
``classroom`` (the model as the app builds it), ``charts`` (Vega-Lite panels and their
data), ``widget`` (the browser chart, ``chart.vue``), ``verdicts`` (the run in words),
``export`` (PNG/SVG/PDF, CSV, reproducing command), ``app`` (the Solara page),
``server`` (one server for a class), ``commands`` (``sim viz``, ``sim screenshots``),
``browser`` and ``screenshots`` (headless Chromium). Only ``app`` imports
``mesa.visualization``.
"""

"""The classroom app (Mesa SolaraViz) and its presets, figures and exports.

Modules: ``controls`` (what each slider sets), ``presets`` (scenarios and lessons),
``classroom`` (the model as the app builds it), ``plots`` (the five figures),
``export`` (PNG, CSV, reproducing command), ``app`` (the Solara page), ``commands``
(``sim viz``, ``sim screenshots``), ``browser`` and ``screenshots`` (headless Chromium).
Only ``app`` imports ``mesa.visualization``.
"""

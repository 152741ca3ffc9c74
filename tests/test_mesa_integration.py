"""Mesa's own tools work with the unchanged EconomyModel: SolaraViz (batch_run is
tested in test_model.py)."""

import ipyvuetify as v
import ipywidgets
import solara
from mesa.visualization import SolaraViz, make_plot_component

from sim.model import EconomyModel

SMALL = {"population.workers": 400, "population.firms": 20}


def test_stock_solaraviz_renders_steps_and_resets_the_model():
    model = solara.reactive(EconomyModel(**SMALL))
    page = SolaraViz(
        model,
        components=[make_plot_component(["tokens", "ai_spend"])],
        model_params={
            **SMALL,
            "households.consumer_elasticity": {
                "type": "SliderFloat",
                "value": 1.5,
                "label": "consumer elasticity",
                "min": 0.1,
                "max": 3.0,
                "step": 0.1,
            },
        },
    )
    _box, rc = solara.render(solara.AppLayout(children=[page]), handle_error=False)
    image = rc.find(ipywidgets.Image).widgets[0].value
    rc.find(v.Btn, children=["Step"]).widget.click()
    assert model.value.steps == 1
    assert rc.find(ipywidgets.Image).widgets[0].value != image
    rc.find(v.Btn, children=["Reset"]).widget.click()
    assert model.value.steps == 0
    assert model.value.config.households.consumer_elasticity == 1.5
    rc.close()

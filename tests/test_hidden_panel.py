"""The hidden-unit panel: unit contributions add up to the prediction, dead units are counted."""
from __future__ import annotations

import numpy as np
import pytest

from animate import Recording, RenderError
from animate.render.figure import AnimatedFigure, FigureOptions
from animate.render.panels import HiddenUnitPanel, hidden_layer


def one_hidden_layer_recording(units: int = 4, frames: int = 3) -> Recording:
    rng = np.random.default_rng(0)
    grid = np.linspace(-2, 2, 41)[:, None]
    w, b, v = rng.normal(size=(3, frames, units))
    w[:, 0], b[:, 0] = 1.0, -5.0  # unit 0: w·x + b < 0 on all of [-2, 2]: dead
    c = rng.normal(size=(frames, 1))
    predictions = c[:, None, :] + np.einsum("fh,fgh->fg", v, np.maximum(w[:, None] * grid[None, :, :1] + b[:, None], 0))[..., None]
    weights = np.concatenate([w, b, v, c], axis=1)
    return Recording(runs=("1x4",), steps=np.arange(frames), grid=grid, predictions=predictions[None],
                     loss=np.ones((1, frames)), weights=weights[None], x_train=grid, y_train=grid ** 2,
                     meta={"view": {"layout": "overlay", "hidden_unit_runs": ["1x4"]}})


def test_contributions_add_up_to_the_prediction_and_dead_units_are_counted():
    recording = one_hidden_layer_recording()
    figure = AnimatedFigure(recording, FigureOptions(layout="overlay"))
    panel = next(p for p in figure.panels if isinstance(p, HiddenUnitPanel))
    figure.frame(1)
    x = recording.grid[:, 0]  # each unit's line is drawn through its kink; read it at every grid point
    total = sum(np.interp(x, segment[:, 0], segment[:, 1]) for segment in panel.units.get_segments())
    _, _, _, c = hidden_layer(recording, 0)
    np.testing.assert_allclose(total + c[1], recording.predictions[0, 1, :, 0], rtol=1e-5, atol=1e-6)
    assert panel.count.get_text().startswith("dead: ") and int(panel.count.get_text().split()[1]) >= 1
    assert panel.dead[1, 0]


def test_other_architectures_are_refused():
    recording = one_hidden_layer_recording()
    from dataclasses import replace

    odd = replace(recording, weights=recording.weights[:, :, :-2])
    with pytest.raises(RenderError, match="not a one-hidden-layer net"):
        hidden_layer(odd, 0)

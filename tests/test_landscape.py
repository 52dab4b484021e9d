"""The loss surface of a two-parameter net, computed in one graph call, against NumPy's formula."""
from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.trains
keras = pytest.importorskip("keras")

from animate.landscape import loss_landscape  # noqa: E402


def test_surface_is_the_mse_of_a_relu_neuron_at_every_point_and_the_model_is_restored():
    rng = np.random.default_rng(0)
    x = rng.uniform(-2, 2, (50, 1)).astype("float32")
    y = (2 * x - 1 + rng.normal(0, 0.1, x.shape)).astype("float32")
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation="relu")])
    model.compile(optimizer="sgd", loss="mse")
    before = [variable.numpy().copy() for variable in model.trainable_variables]
    w_axis, b_axis = np.linspace(-3, 3, 7), np.linspace(-2, 2, 5)

    surface = loss_landscape(model, x, y, w_axis, b_axis)

    w, b = np.meshgrid(w_axis, b_axis)
    expected = np.mean((np.maximum(w[..., None] * x[:, 0] + b[..., None], 0) - y[:, 0]) ** 2, axis=-1)
    assert surface.shape == (5, 7)
    np.testing.assert_allclose(surface, expected, rtol=1e-5)
    for variable, value in zip(model.trainable_variables, before):
        np.testing.assert_array_equal(variable.numpy(), value)

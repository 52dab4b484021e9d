"""The whole-set loss over a two-parameter model's (w, b) plane, for the renderer's path panel.

It shows why the optimizer's path goes where it goes: the dead neuron sits on a flat plateau
(zero gradient), the full batch descends the surface smoothly, small batches zig-zag across it.
"""
from __future__ import annotations

from typing import Any

import numpy as np

LATTICE = 41  # points per axis: smooth contours, ~1,700 evaluations (about a second)
PAD = 0.15


def lattice_axes(weights: np.ndarray, extra: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """Axes spanning every recorded (w, b) (and ``extra`` points, e.g. the best fit), padded."""
    points = weights[..., :2].reshape(-1, 2)
    if extra is not None:
        points = np.concatenate([points, np.atleast_2d(extra)])
    points = points[np.all(np.isfinite(points), axis=1)]
    axes = []
    for column in points.T:
        low, high = column.min(), column.max()
        margin = max(high - low, 1e-3) * PAD
        axes.append(np.linspace(low - margin, high + margin, LATTICE))
    return axes[0], axes[1]


def loss_landscape(model: Any, x: np.ndarray, y: np.ndarray, w_axis: np.ndarray, b_axis: np.ndarray) -> np.ndarray:
    """Loss at every (w, b) of the lattice, shape (len(b_axis), len(w_axis)); the model is restored after."""
    import keras

    original = [variable.numpy() for variable in model.trainable_variables]
    shapes = [value.shape for value in original]
    x_tensor, y_tensor = keras.ops.convert_to_tensor(x), keras.ops.convert_to_tensor(y)

    def whole_set_loss():
        return model.compute_loss(x=None, y=y_tensor, y_pred=model(x_tensor, training=False), training=False)

    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        whole_set_loss = tf.function(whole_set_loss)
    surface = np.empty((len(b_axis), len(w_axis)))
    try:
        for row, b in enumerate(b_axis):
            for column, w in enumerate(w_axis):
                for variable, value, shape in zip(model.trainable_variables, (w, b), shapes):
                    variable.assign(np.full(shape, value, dtype="float32"))
                surface[row, column] = float(whole_set_loss())
    finally:
        for variable, value in zip(model.trainable_variables, original):
            variable.assign(value)
    return surface

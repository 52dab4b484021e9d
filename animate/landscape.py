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
    """Loss at every (w, b) of the lattice, shape (len(b_axis), len(w_axis)); the model is restored after.

    The model's own forward pass and compiled loss at each point, all points in one graph call
    (one Python round trip per point took seconds)."""
    import tensorflow as tf

    original = [variable.numpy() for variable in model.trainable_variables]
    shapes = [value.shape for value in original]
    x_tensor, y_tensor = tf.constant(x, tf.float32), tf.constant(y, tf.float32)
    w_grid, b_grid = np.meshgrid(w_axis, b_axis)  # rows follow b, columns w
    points = tf.constant(np.stack([w_grid.ravel(), b_grid.ravel()], axis=1), tf.float32)
    count = len(w_grid.ravel())

    @tf.function
    def surface() -> Any:
        def at_point(index: Any, losses: Any) -> tuple:
            for variable, value, shape in zip(model.trainable_variables, tf.unstack(points[index]), shapes):
                variable.assign(tf.fill(shape, value))
            predictions = model(x_tensor, training=False)
            loss = model.compute_loss(x=None, y=y_tensor, y_pred=predictions, training=False)
            return index + 1, losses.write(index, tf.cast(loss, tf.float32))

        _, losses = tf.while_loop(lambda index, _: index < count, at_point,
                                  (tf.constant(0), tf.TensorArray(tf.float32, size=count)))
        return losses.stack()

    try:
        return surface().numpy().astype(np.float64).reshape(w_grid.shape)
    finally:
        for variable, value in zip(model.trainable_variables, original):
            variable.assign(value)

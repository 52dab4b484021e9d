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
    """Loss at every (w, b) of the lattice, shape (len(b_axis), len(w_axis)); the model is left as it was.

    The model's own forward pass and compiled loss at each point, all points in one compiled call
    where the backend allows it (one Python round trip per point took seconds)."""
    import keras

    w_grid, b_grid = np.meshgrid(w_axis, b_axis)  # rows follow b, columns w
    points = np.stack([w_grid.ravel(), b_grid.ravel()], axis=1).astype(np.float32)
    x, y = np.asarray(x, np.float32), np.asarray(y, np.float32)
    if keras.backend.backend() == "tensorflow":
        losses = _graph_surface(model, x, y, points)
    else:
        losses = _stateless_surface(model, x, y, points)
    return losses.astype(np.float64).reshape(w_grid.shape)


def _graph_surface(model: Any, x: np.ndarray, y: np.ndarray, points: np.ndarray) -> np.ndarray:
    """TensorFlow: one graph whose while loop assigns each point to the variables in turn, restored after."""
    import tensorflow as tf

    original = [variable.numpy() for variable in model.trainable_variables]
    shapes = [value.shape for value in original]
    x_tensor, y_tensor = tf.constant(x, tf.float32), tf.constant(y, tf.float32)
    points = tf.constant(points, tf.float32)
    count = int(points.shape[0])

    @tf.function
    def surface() -> Any:
        def at_point(index: Any, losses: Any) -> tuple:
            # Two values a point, one per variable; a model with one variable takes the first alone.
            for variable, value, shape in zip(model.trainable_variables, tf.unstack(points[index]), shapes,
                                              strict=False):
                variable.assign(tf.fill(shape, value))
            predictions = model(x_tensor, training=False)
            loss = model.compute_loss(x=None, y=y_tensor, y_pred=predictions, training=False)
            return index + 1, losses.write(index, tf.cast(loss, tf.float32))

        _, losses = tf.while_loop(lambda index, _: index < count, at_point,
                                  (tf.constant(0), tf.TensorArray(tf.float32, size=count)))
        return losses.stack()

    try:
        return surface().numpy()
    finally:
        for variable, value in zip(model.trainable_variables, original, strict=True):
            variable.assign(value)


def _stateless_surface(model: Any, x: np.ndarray, y: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Other backends: each point's values passed in through a ``StatelessScope``; the variables are never touched.

    JAX maps over the points in one jitted call; PyTorch vectorises over them (``torch.vmap``) without
    autograd, or, for a model vmap cannot trace, takes them one at a time (slower, but a lattice is small)."""
    import keras

    ops = keras.ops
    variables = list(model.trainable_variables)
    shapes = [tuple(variable.shape) for variable in variables]
    x_tensor, y_tensor = ops.convert_to_tensor(x), ops.convert_to_tensor(y)

    def loss_at(point: Any) -> Any:
        # ones * value rather than ops.full: vmap cannot take a traced fill value
        values = [ops.ones(shape, dtype="float32") * point[index] for index, shape in enumerate(shapes)]
        with keras.StatelessScope(state_mapping=list(zip(variables, values, strict=True)), collect_losses=True):
            predictions = model(x_tensor, training=False)
            return ops.cast(model.compute_loss(x=None, y=y_tensor, y_pred=predictions, training=False), "float32")

    def one_at_a_time() -> np.ndarray:
        return np.array([ops.convert_to_numpy(loss_at(ops.convert_to_tensor(point))) for point in points])

    backend = keras.backend.backend()
    if backend == "jax":
        import jax

        return np.asarray(jax.jit(lambda all_points: jax.lax.map(loss_at, all_points))(points))
    if backend != "torch":
        return one_at_a_time()
    import torch

    with torch.no_grad():
        try:
            return ops.convert_to_numpy(ops.vectorized_map(loss_at, ops.convert_to_tensor(points)))
        except RuntimeError:  # an op torch.vmap has no batching rule for
            return one_at_a_time()

"""Run a lesson's optimizer steps many at a time in one compiled loop, calling Keras callbacks at frames.

Why not ``model.fit``: for nets of a few hundred weights, a ``fit`` step is almost all overhead
(pulling each batch from a tf.data iterator, one graph call per ``steps_per_execution``): tens of
times the step's arithmetic (``bench/train_lesson.py`` measures both loops). Here the training set lives in the
graph, each batch is a row of indices, and XLA compiles the loop over steps into one program.
Every step is still ``model.train_step``, the code ``fit`` runs, so the maths is Keras's; only the
loop around it is ours. Callbacks see what ``fit`` shows them, but ``on_train_batch_begin`` only at
the steps asked for (the recorder's frames), as with a large ``steps_per_execution``.

``fit_with_callbacks`` is the reference: the same batches through ``model.fit`` itself. It is also
how lessons train under the JAX and PyTorch backends, where the compiled loop (a TensorFlow graph
around TensorFlow's ``train_step``) does not exist.
"""
from __future__ import annotations

from typing import Any, Iterable

import keras
import numpy as np

BLOCK = 128  # steps per compiled call at most; index rows travel in blocks of this many
STREAM_KEY = 0x5EED  # mixed into the lesson seed, so batch order and the lesson's data draw differ


def compiled_loop_available() -> bool:
    """Whether ``fit_compiled`` can run: it needs Keras's TensorFlow backend."""
    return keras.backend.backend() == "tensorflow"


class BatchStream:
    """Index rows of successive batches, as one endless stream of shuffled epochs.

    Each epoch is a fresh permutation of the training set, drawn from a NumPy generator seeded by
    the lesson seed; batches are consecutive runs of ``batch_size`` indices from the stream. So
    every point is seen once per epoch and every batch is full (one may span two epochs): fixed
    shapes are what lets XLA compile the loop once per model.
    """

    def __init__(self, points: int, batch_size: int, seed: int) -> None:
        if points < 1 or batch_size < 1:
            raise ValueError("a batch stream needs at least one point and a batch size of at least 1")
        self.points = points
        self.batch_size = min(batch_size, points)  # as fit: a batch larger than the data is the whole data
        self._generator = np.random.default_rng([seed, STREAM_KEY])
        self._left = np.empty(0, np.int32)

    def take(self, steps: int) -> np.ndarray:
        """The next ``steps`` batches, shape (steps, batch_size)."""
        wanted = steps * self.batch_size
        parts, available = [self._left], len(self._left)
        while available < wanted:
            parts.append(self._generator.permutation(self.points).astype(np.int32))
            available += self.points
        stream = np.concatenate(parts)
        self._left = stream[wanted:]
        return stream[:wanted].reshape(steps, self.batch_size)


def _compile_steps(model: keras.Model, x: np.ndarray, y: np.ndarray, batch_size: int, *, jit: bool) -> Any:
    import tensorflow as tf

    inputs, targets = tf.constant(x, tf.float32), tf.constant(y, tf.float32)

    def run_steps(rows: Any, count: Any) -> Any:
        def one_step(step: Any) -> Any:
            batch = rows[step]
            model.train_step((tf.gather(inputs, batch), tf.gather(targets, batch)))
            return (step + 1,)

        # A while loop, not ``tf.range``: XLA would take the range's length as a constant and
        # compile again for every distinct number of steps.
        return tf.while_loop(lambda step: step < count, one_step, (tf.constant(0),))

    signature = [tf.TensorSpec((BLOCK, batch_size), tf.int32), tf.TensorSpec((), tf.int32)]
    # The concrete function skips tf.function's argument matching, which costs as much as many steps.
    return tf.function(run_steps, jit_compile=jit, input_signature=signature).get_concrete_function()


def fit_compiled(model: keras.Model, x: np.ndarray, y: np.ndarray, stream: BatchStream, total_steps: int,
                 callback_steps: Iterable[int], callbacks: list[keras.callbacks.Callback], *,
                 jit: bool = True) -> None:
    """Train ``total_steps`` steps on ``stream``'s batches, like one epoch of ``model.fit``.

    ``on_train_batch_begin(step)`` is called at each of ``callback_steps`` (0 < step < total).
    Models XLA cannot compile (an op without an XLA kernel) run the same loop without XLA.
    """
    import tensorflow as tf

    hooks = keras.callbacks.CallbackList(callbacks, model=model, epochs=1, steps=total_steps, verbose=0)
    # Optimizer slots made inside the first trace would make TensorFlow trace everything twice.
    if not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)
    run_steps = _compile_steps(model, x, y, stream.batch_size, jit=jit)
    hooks.on_train_begin()
    hooks.on_epoch_begin(0)
    done = 0
    stops = sorted({int(step) for step in callback_steps if 0 < step < total_steps} | {total_steps})
    model.stop_training = False
    rows = np.zeros((BLOCK, stream.batch_size), np.int32)  # rows past ``count`` are never read
    for stop in stops:
        while done < stop and not model.stop_training:  # Keras's own flag, as EarlyStopping sets it
            count = min(BLOCK, stop - done)
            rows[:count] = stream.take(count)
            arguments = (tf.constant(rows), tf.constant(count, tf.int32))
            try:
                run_steps(*arguments)
            except Exception as error:  # noqa: BLE001 - XLA reports a missing kernel in several ways
                if not jit or not _is_xla_failure(error):
                    raise
                jit, run_steps = False, _compile_steps(model, x, y, stream.batch_size, jit=False)
                run_steps(*arguments)
            done += count
        if model.stop_training:
            break
        if stop < total_steps:
            hooks.on_train_batch_begin(stop)
    hooks.on_epoch_end(0, {})
    hooks.on_train_end()


def _is_xla_failure(error: Exception) -> bool:
    import tensorflow as tf

    # Compilation fails before any step runs, so retrying without XLA repeats nothing.
    return isinstance(error, (tf.errors.InvalidArgumentError, tf.errors.UnimplementedError)) and (
        "XLA" in str(error) or "compil" in str(error).lower())


def fit_with_callbacks(model: keras.Model, x: np.ndarray, y: np.ndarray, stream: BatchStream, total_steps: int,
                       callbacks: list[keras.callbacks.Callback]) -> None:
    """The slow reference: the same batches through ``model.fit``, on any backend.

    The stream's batches, gathered in order into arrays that ``fit`` cuts back into the same
    batches (``shuffle=False``): plain NumPy, which every backend's data adapter takes."""
    rows = stream.take(total_steps).ravel()
    inputs, targets = np.asarray(x, np.float32)[rows], np.asarray(y, np.float32)[rows]
    model.fit(inputs, targets, batch_size=stream.batch_size, epochs=1, shuffle=False, verbose=0, callbacks=callbacks)

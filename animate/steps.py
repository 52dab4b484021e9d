"""Counting optimizer steps from inside a Keras callback, without syncing on every step.

Keras numbers batches from 0 in each epoch and only calls back every ``steps_per_execution``
steps. Callbacks that need the running total of completed steps derive it here: from the epoch
length Keras announces in ``params["steps"]``, or, where that is unknown, from the optimizer's
step counter read once per epoch.

The counter is read through ``self.model``, which under JAX first syncs ``fit``'s state back into
the model (its variables are emptied during an epoch), and with ``int()``, which a Keras variable
answers from its value under every backend.
"""
from __future__ import annotations

import keras


class StepCountingCallback(keras.callbacks.Callback):
    """Base for callbacks that act at given optimizer steps; counts from the start of each ``fit``."""

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._iterations_at_start = self._optimizer_steps()
        self._epoch_start = 0

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        batches = (self.params or {}).get("steps")
        if batches:
            self._epoch_start += int(batches)
        else:  # unknown epoch length (a generator): ask the optimizer, once per epoch
            self._epoch_start = self.steps_from_optimizer()

    def completed_steps(self, batch: int) -> int:
        """Steps completed when ``on_train_batch_begin(batch)`` is called."""
        return self._epoch_start + batch

    def steps_from_optimizer(self) -> int:
        return self._optimizer_steps() - self._iterations_at_start

    def _optimizer_steps(self) -> int:
        return int(self.model.optimizer.iterations)


"""Train every run of a scenario with a PredictionRecorder and combine them into one Recording.

Besides ``recorder.py`` this is the only module that imports Keras/TensorFlow.
"""
from __future__ import annotations

import dataclasses
import os
from typing import Any, Mapping

# TensorFlow's start-up chatter is not for our users. oneDNN's fused kernels are what print it; for
# nets this small they buy no speed, and without them results do not depend on the CPU's features.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from tqdm import tqdm  # noqa: E402

from animate.errors import ScenarioError  # noqa: E402
from animate.recorder import PredictionRecorder, _versions  # noqa: E402
from animate.recording import Recording  # noqa: E402
from animate.scenario import Scenario  # noqa: E402
from animate.schedule import frame_steps  # noqa: E402


def seed_everything(seed: int) -> None:
    """Same seed, same recording: seed Python, NumPy and the backend, and make TF ops deterministic."""
    keras.utils.set_random_seed(seed)
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()


def shuffled_batches(x: np.ndarray, y: np.ndarray, batch_size: int, seed: int) -> Any:
    """Batches as ``fit(shuffle=True)`` makes them (reshuffled every pass, last batch partial), endlessly."""
    import tensorflow as tf

    dataset = tf.data.Dataset.from_tensor_slices((x.astype(np.float32), y.astype(np.float32)))
    dataset = dataset.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size).repeat().prefetch(tf.data.AUTOTUNE)


def train(scenario: Scenario, params: Mapping[str, Any] | None = None, *, progress: bool = False) -> Recording:
    """Train each of the scenario's runs from the same seed and return their joint recording."""
    params = scenario.resolve(params)
    seed = params["seed"]
    seed_everything(seed)
    data = scenario.make_data(params)
    runs = list(scenario.make_runs(params, data))
    if not runs:
        raise ScenarioError(f"lesson '{scenario.name}' defines no runs")
    totals = {run.steps for run in runs}
    if len(totals) != 1:
        raise ScenarioError(f"lesson '{scenario.name}': all runs must train for the same number of steps")
    total = totals.pop()
    schedule = frame_steps(total, params["every"], params.get("frames", "linear"))

    recordings = []
    with tqdm(total=total * len(runs), desc=f"train {scenario.name}", unit="step", disable=not progress or None,
              leave=False) as bar:
        for run in runs:
            seed_everything(seed)  # each run reproduces alone, whatever ran before it
            model = run.build()
            done = [0]

            def advance(step: int, done: list = done) -> None:
                bar.update(step - done[0])
                done[0] = step

            recorder = PredictionRecorder(data.grid, x=data.x, y=data.y, steps=schedule, name=run.name,
                                          on_frame=advance)
            # One long epoch over a repeating pipeline: Keras pays ~30 ms of bookkeeping per epoch,
            # which for a 100-point data set would cost more than the training itself.
            model.fit(shuffled_batches(data.x, data.y, run.batch_size, seed), epochs=1, steps_per_epoch=total, shuffle=False,
                      verbose=0, callbacks=[recorder])
            recordings.append(recorder.recording)

    meta = {
        "lesson": scenario.name,
        "message": scenario.message,
        "seed": seed,
        "params": dict(params),
        "runs": [{"name": run.name, "batch_size": run.batch_size, "steps": run.steps, **run.describe} for run in runs],
        "view": dict(scenario.view),
        "versions": _versions(),
    }
    return dataclasses.replace(Recording.combine(recordings, meta), target=data.target)

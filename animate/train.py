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

import logging  # noqa: E402

import keras  # noqa: E402
import numpy as np  # noqa: E402
from tqdm import tqdm  # noqa: E402

from animate.errors import ScenarioError  # noqa: E402
from animate.landscape import lattice_axes, loss_landscape  # noqa: E402
from animate.recorder import PredictionRecorder, _versions  # noqa: E402
from animate.recording import Recording  # noqa: E402
from animate.scenario import Scenario  # noqa: E402
from animate.schedule import frame_steps  # noqa: E402


# Each training segment compiles its own small functions, which TensorFlow's logger calls
# "excessive retracing"; expected here, and noise in a sweep's output.
logging.getLogger("tensorflow").setLevel(logging.ERROR)


def seed_everything(seed: int) -> None:
    """Same seed, same recording: seed Python, NumPy and the backend, and make TF ops deterministic."""
    keras.utils.set_random_seed(seed)
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()


LADDER_EDGES = (200, 2000)  # a log schedule's frames are rounded to multiples of 10 and 100 past these


def shuffled_batches(x: np.ndarray, y: np.ndarray, batch_size: int, seed: int) -> Any:
    """Batches as ``fit(shuffle=True)`` makes them (reshuffled every pass, last batch partial), endlessly."""
    import tensorflow as tf

    dataset = tf.data.Dataset.from_tensor_slices((x.astype(np.float32), y.astype(np.float32)))
    dataset = dataset.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size).repeat().prefetch(tf.data.AUTOTUNE)


def execution_plan(frames: np.ndarray, *, fast: bool = True) -> list[tuple[int, int, int]]:
    """Split training into (start, end, steps per execution) segments whose frame steps are all
    multiples of the execution size, so the recorder still sees every frame.

    Keras runs ``steps_per_execution`` optimizer steps per call of its compiled function, and its
    per-call cost (~0.6 ms) dominates for nets this small; one step per call is the slow path.
    The weights after every step are the same either way: only the Python round trips change.
    """
    total = int(frames[-1])
    if not fast:
        return [(0, total, 1)]
    boundaries = [0] + [int(frames[np.argmax(frames >= edge)]) for edge in LADDER_EDGES if frames[-1] > edge]
    boundaries = sorted(set(boundaries) - {total}) + [total]
    plan: list[tuple[int, int, int]] = []
    for start, end in zip(boundaries, boundaries[1:]):
        inside = frames[(frames >= start) & (frames <= end)]
        size = int(np.gcd.reduce(inside[inside > 0])) if np.any(inside > 0) else 1
        if plan and plan[-1][2] == size:
            plan[-1] = (plan[-1][0], end, size)
        else:
            plan.append((start, end, size))
    return plan


def fit_and_record(model: Any, run: Any, data: Any, frames: np.ndarray, seed: int, *,
                   on_frame: Any = None, fast: bool = True) -> Recording:
    """Train ``model`` for ``frames[-1]`` steps, recording at every step in ``frames``."""
    pieces = []
    for start, end, size in execution_plan(frames, fast=fast):
        model.steps_per_execution = size
        model.train_function = None  # Keras caches the compiled step with its execution size
        relative = [int(step) - start for step in frames if start <= step <= end]
        recorder = PredictionRecorder(
            data.grid, x=data.x, y=data.y, steps=relative, name=run.name,
            on_frame=None if on_frame is None else (lambda step, start=start: on_frame(start + step)),
        )
        # One long epoch over a repeating pipeline: Keras pays ~30 ms of bookkeeping per epoch,
        # which for a 100-point data set would cost more than the training itself. ``skip`` makes
        # a later segment see exactly the batches a single long fit would have seen.
        batches = shuffled_batches(data.x, data.y, run.batch_size, seed).skip(start)
        model.fit(batches, epochs=1, steps_per_epoch=end - start, shuffle=False, verbose=0, callbacks=[recorder])
        piece = recorder.recording
        pieces.append(dataclasses.replace(piece, steps=piece.steps + start) if start else piece)
    return concatenate_frames(pieces)


def concatenate_frames(pieces: list[Recording]) -> Recording:
    """Join recordings of consecutive training segments; each segment's first frame repeats the last."""
    if len(pieces) == 1:
        return pieces[0]
    keep = [slice(None)] + [slice(1, None)] * (len(pieces) - 1)

    def join(key: str, axis: int) -> np.ndarray | None:
        values = [getattr(piece, key) for piece in pieces]
        if values[0] is None:
            return None
        index = (slice(None),) * axis
        return np.concatenate([value[index + (part,)] for value, part in zip(values, keep)], axis=axis)

    return dataclasses.replace(pieces[0], steps=join("steps", 0), predictions=join("predictions", 1),
                               loss=join("loss", 1), weights=join("weights", 1), accuracy=join("accuracy", 1))


def train(scenario: Scenario, params: Mapping[str, Any] | None = None, *, progress: bool = False,
          fast: bool = True) -> Recording:
    """Train each of the scenario's runs from the same seed and return their joint recording.

    ``fast=False`` runs one optimizer step per Keras call: the slow reference for tests."""
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

            recordings.append(fit_and_record(model, run, data, schedule, seed, on_frame=advance, fast=fast))

    meta = {
        "lesson": scenario.name,
        "message": scenario.message,
        "seed": seed,
        "params": dict(params),
        "runs": [{"name": run.name, "batch_size": run.batch_size, "steps": run.steps, **run.describe} for run in runs],
        "view": dict(scenario.view),
        "versions": _versions(),
    }
    recording = dataclasses.replace(Recording.combine(recordings, meta), target=data.target)
    if recording.weights is not None and recording.weights.shape[2] == 2 and data.x.shape[1] == 1:
        # Two parameters: the loss surface they move on (same data and architecture for every run).
        w_axis, b_axis = lattice_axes(recording.weights, scenario.view.get("weights_optimum"))
        recording = dataclasses.replace(recording, landscape=loss_landscape(model, data.x, data.y, w_axis, b_axis),
                                        landscape_w=w_axis, landscape_b=b_axis)
    return recording

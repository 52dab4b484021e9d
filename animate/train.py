"""Train every run of a scenario with a PredictionRecorder and combine them into one Recording.

Besides ``recorder.py`` this is the only module that imports Keras/TensorFlow.
"""
from __future__ import annotations

import dataclasses
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Mapping

# TensorFlow's start-up chatter is not for our users. oneDNN's fused kernels are what print it; for
# nets this small they buy no speed, and without them results do not depend on the CPU's features.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
# XLA's newer fusion emitters take ~0.3 s longer to compile each run's step loop than the classic
# ones, more than training a lesson's run takes; for graphs this small they run no faster.
if "xla_cpu_use_fusion_emitters" not in os.environ.get("XLA_FLAGS", ""):
    os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") + " --xla_cpu_use_fusion_emitters=false").strip()

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
from animate.step_loop import BatchStream, compiled_loop_available, fit_compiled, fit_with_callbacks  # noqa: E402


# Each training segment compiles its own small functions, which TensorFlow's logger calls
# "excessive retracing"; expected here, and noise in a sweep's output.
logging.getLogger("tensorflow").setLevel(logging.ERROR)


def seed_everything(seed: int) -> None:
    """Same seed, same recording: seed Python, NumPy and the backend, and make TF ops deterministic.

    Keras seeds every backend (its own seed generator serves JAX, ``torch.manual_seed`` PyTorch)."""
    keras.utils.set_random_seed(seed)
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()


def fit_and_record(model: Any, run: Any, data: Any, frames: np.ndarray, seed: int, *,
                   on_frame: Any = None, fast: bool = True) -> Recording:
    """Train ``model`` for ``frames[-1]`` steps, recording at every step in ``frames``.

    ``fast=False`` trains through ``model.fit`` on the same batches: the slow reference for tests,
    and the only way under a backend the compiled loop does not support (JAX, PyTorch)."""
    total = int(frames[-1])
    recorder = PredictionRecorder(data.grid, x=data.x, y=data.y, steps=frames, name=run.name, on_frame=on_frame)
    stream = BatchStream(len(data.x), run.batch_size, seed)
    if fast and compiled_loop_available():
        fit_compiled(model, data.x, data.y, stream, total, frames, [recorder])
    else:
        fit_with_callbacks(model, data.x, data.y, stream, total, [recorder])
    return recorder.recording


def train(scenario: Scenario, params: Mapping[str, Any] | None = None, *, progress: bool = False,
          fast: bool = True, threads: int | None = None) -> Recording:
    """Train each of the scenario's runs from the same seed and return their joint recording.

    Runs train side by side on ``threads`` threads (default: one per core); each run's numbers
    do not depend on it. ``fast=False`` trains through ``model.fit``, one step per call: the slow
    reference for tests."""
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

    models = []
    for run in runs:  # built in turn, each from the seed: each run reproduces alone, whatever ran before it
        seed_everything(seed)
        models.append(run.build())
    with tqdm(total=total * len(runs), desc=f"train {scenario.name}", unit="step", disable=not progress or None,
              leave=False) as bar:

        def train_one(run: Any, model: Any) -> Recording:
            done = [0]

            def advance(step: int) -> None:
                bar.update(step - done[0])
                done[0] = step

            return fit_and_record(model, run, data, schedule, seed, on_frame=advance, fast=fast)

        # Runs are independent, and TensorFlow's graphs run without the GIL: one thread per core. Under
        # the other backends model.fit's Python loop holds the GIL, and runs train one after the other.
        workers = min(len(runs), threads or os.cpu_count() or 1) if compiled_loop_available() else 1
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="nn-animate-run") as pool:
            futures = [pool.submit(train_one, run, model) for run, model in zip(runs, models)]
            try:
                recordings = [future.result() for future in futures]
            except BaseException:  # Ctrl-C, or one run failed: stop the others at their next block of steps
                for model, future in zip(models, futures):
                    future.cancel()
                    model.stop_training = True
                raise

    meta = {
        "lesson": scenario.name,
        "message": scenario.message,
        "seed": seed,
        "params": dict(params),
        # What the recorder read from each model, then what the lesson says of its run (the lesson wins).
        "runs": [{**recorded.meta["runs"][0], "name": run.name, "batch_size": run.batch_size, "steps": run.steps,
                  **run.describe} for run, recorded in zip(runs, recordings)],
        "view": dict(scenario.view),
        "versions": _versions(),
    }
    recording = dataclasses.replace(Recording.combine(recordings, meta), target=data.target)
    if recording.weights is not None and recording.weights.shape[2] == 2 and data.x.shape[1] == 1:
        # Two parameters: the loss surface they move on (same data and architecture for every run).
        w_axis, b_axis = lattice_axes(recording.weights, scenario.view.get("weights_optimum"))
        recording = dataclasses.replace(recording, landscape=loss_landscape(models[-1], data.x, data.y, w_axis, b_axis),
                                        landscape_w=w_axis, landscape_b=b_axis)
    return recording

"""Train every run of a scenario with a PredictionRecorder and combine them into one Recording.

Besides ``recorder.py`` this is the only module that imports Keras/TensorFlow.
"""
from __future__ import annotations

import dataclasses
import functools
import importlib.metadata
import os
import re
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Mapping, Sequence

# TensorFlow's start-up chatter is not for our users. oneDNN's fused kernels are what print it; for
# nets this small they buy no speed, and without them results do not depend on the CPU's features.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

# The first release of each XLA runtime that knows --xla_cpu_use_fusion_emitters. An XLA that does
# not know a flag in XLA_FLAGS aborts the whole process, and TensorFlow's and jaxlib's XLA both read
# that variable (one process can load both), so every one installed must know it.
FUSION_EMITTERS_FLAG_SINCE = {"tensorflow": (2, 20), "tensorflow-cpu": (2, 20), "jaxlib": (0, 5, 3)}


def _release(distribution: str) -> tuple[int, ...] | None:
    """The installed release of ``distribution`` as numbers (``2.16.1`` → (2, 16, 1)), or None.

    Read from the package metadata, so deciding costs no import of TensorFlow or JAX."""
    try:
        version = importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None
    match = re.match(r"\d+(\.\d+)*", version)
    return tuple(int(part) for part in match.group().split(".")) if match else None


def _every_xla_knows_fusion_emitters_flag() -> bool:
    """Whether every installed XLA runtime accepts --xla_cpu_use_fusion_emitters (none older than its
    first release that does)."""
    for distribution, since in FUSION_EMITTERS_FLAG_SINCE.items():
        release = _release(distribution)
        if release is not None and release < since:
            return False
    return True


# XLA's newer fusion emitters take longer to compile each run's step loop than the classic ones,
# longer than training a lesson's run takes (bench/train_lesson.py); for graphs this small they run no faster. Where an
# installed XLA is too old to know the flag, it is left unset.
if ("xla_cpu_use_fusion_emitters" not in os.environ.get("XLA_FLAGS", "")
        and _every_xla_knows_fusion_emitters_flag()):
    os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") + " --xla_cpu_use_fusion_emitters=false").strip()

import logging  # noqa: E402

import keras  # noqa: E402
import numpy as np  # noqa: E402
from tqdm import tqdm  # noqa: E402

from animate.errors import ScenarioError  # noqa: E402
from animate.landscape import lattice_axes, loss_landscape  # noqa: E402
from animate.recorder import PredictionRecorder, library_versions  # noqa: E402
from animate.recording import Recording  # noqa: E402
from animate.scenario import Data, Run, Scenario  # noqa: E402
from animate.schedule import frame_steps  # noqa: E402
from animate.step_loop import BatchStream, compiled_loop_available, fit_compiled, fit_with_callbacks  # noqa: E402
from animate.vary import plan as vary_plan, run_name, varied_view  # noqa: E402


# Each training segment compiles its own small functions, which TensorFlow's logger calls
# "excessive retracing"; expected here, and noise in a sweep's output.
logging.getLogger("tensorflow").setLevel(logging.ERROR)


# TensorFlow before 2.21 never initialises the private copy of Abseil its XLA logs through, so XLA's
# start-up is written straight to stderr ("WARNING: All log messages before absl::InitializeLog() is
# called ...", then "XLA service ... initialized", "Compiled cluster using XLA!"): TF_CPP_MIN_LOG_LEVEL
# does not reach that copy, and nothing outside TensorFlow can. Abseil's lines look like these.
ABSL_LINE = re.compile(rb"([IWEF])\d{4} \d\d:\d\d:\d+\.\d+ +\d+ [^ \]]+:\d+\] ")
ABSL_NOT_INITIALISED = b"WARNING: All log messages before absl::InitializeLog() is called are written to STDERR"
ABSL_SEVERITY = {b"I": 0, b"W": 1, b"E": 2, b"F": 3}  # TF_CPP_MIN_LOG_LEVEL's numbers
QUIET_XLA_SINCE = (2, 21)


def _kept_by_log_level(lines: list[bytes], level: int) -> list[bytes]:
    """The lines TF_CPP_MIN_LOG_LEVEL ``level`` would have kept had it reached Abseil (1 drops INFO, 2
    also warnings, 3 also errors; a fatal error always shows). Abseil's "not initialised" warning
    stays only with a line of Abseil's that stays: it says where they go, and is noise alone."""
    kept = [line for line in lines
            if not ((match := ABSL_LINE.match(line)) and ABSL_SEVERITY[match.group(1)] < min(level, 3))]
    if not any(ABSL_LINE.match(line) for line in kept):
        kept = [line for line in kept if not line.startswith(ABSL_NOT_INITIALISED)]
    return kept


@functools.cache
def _start_xla_quietly() -> None:
    """On TensorFlow before 2.21, start XLA (one tiny compile) with stderr caught, and pass on all of
    what it wrote but the lines TF_CPP_MIN_LOG_LEVEL asks to drop. XLA logs its start-up once a
    process, so the lessons' own compiles after it print nothing; newer TensorFlow is left alone."""
    release = _release("tensorflow-cpu") or _release("tensorflow")
    if keras.backend.backend() != "tensorflow" or release is None or release >= QUIET_XLA_SINCE:
        return
    try:
        level = int(os.environ.get("TF_CPP_MIN_LOG_LEVEL", "0"))
    except ValueError:
        level = 0
    import tensorflow as tf

    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no stderr to catch
        return
    with tempfile.TemporaryFile() as caught:
        os.dup2(caught.fileno(), 2)
        try:
            tf.function(lambda x: x + 1, jit_compile=True)(tf.constant(0.0))
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            caught.seek(0)
            kept = b"".join(_kept_by_log_level(caught.read().splitlines(keepends=True), level))
            while kept:
                kept = kept[os.write(2, kept):]


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
    validation = None if getattr(data, "x_val", None) is None else (data.x_val, data.y_val)
    recorder = PredictionRecorder(data.grid, x=data.x, y=data.y, steps=frames, name=run.name, on_frame=on_frame,
                                  validation=validation)
    stream = BatchStream(len(data.x), run.batch_size, seed)
    if fast and compiled_loop_available():
        fit_compiled(model, data.x, data.y, stream, total, frames, [recorder])
    else:
        fit_with_callbacks(model, data.x, data.y, stream, total, [recorder])
    return recorder.recording


def train(scenario: Scenario, params: Mapping[str, Any] | None = None, *, progress: bool = False,
          fast: bool = True, threads: int | None = None,
          vary: Mapping[str, Sequence[Any]] | None = None) -> Recording:
    """Train each of the scenario's runs from the same seed and return their joint recording.

    Runs train side by side on ``threads`` threads (default: one per core); each run's numbers
    do not depend on it. ``fast=False`` trains through ``model.fit``, one step per call: the slow
    reference for tests.

    ``vary={"lr": [0.003, 0.03, 0.3]}`` trains the whole lesson once per value (each exactly as
    ``train`` would at that value) and returns one recording of all their runs, each named with its
    value ("live neuron · lr=0.03"); see ``animate/vary.py`` for the checks and the layout."""
    if vary is not None:
        return _train_varied(scenario, params, vary, progress=progress, fast=fast, threads=threads)
    params = scenario.resolve(params)
    recording, models, data = _train_lesson(scenario, params, progress=progress, fast=fast, threads=threads)
    return _with_landscape(recording, scenario, models[-1], data)


def _train_lesson(scenario: Scenario, params: dict[str, Any], *, progress: bool, fast: bool, threads: int | None,
                  label: str = "") -> tuple[Recording, list[Any], Any]:
    """The lesson's runs at resolved ``params``: their joint recording (no landscape yet), models and data."""
    seed = params["seed"]
    _start_xla_quietly()
    seed_everything(seed)
    data, runs = _data_and_runs(scenario, params)
    total = _common_steps(scenario, runs)
    schedule = frame_steps(total, params["every"], params.get("frames", "linear"))
    # Built in turn, each from the seed: each run reproduces alone, whatever ran before it.
    models = [_built_model(scenario, run, seed) for run in runs]
    with tqdm(total=total * len(runs), desc=f"train {scenario.name}{label}", unit="step", disable=not progress or None,
              leave=False) as bar:
        recordings = _train_side_by_side(runs, models, data, schedule, seed, bar, fast=fast, threads=threads)

    meta = {
        "lesson": scenario.name,
        "message": scenario.message,
        "seed": seed,
        "params": dict(params),
        # What the recorder read from each model, then what the lesson says of its run (the lesson wins).
        "runs": [{**recorded.meta["runs"][0], "name": run.name, "batch_size": run.batch_size, "steps": run.steps,
                  **run.describe} for run, recorded in zip(runs, recordings, strict=True)],
        "view": dict(scenario.view),
        "versions": library_versions(),
    }
    return dataclasses.replace(Recording.combine(recordings, meta), target=data.target), models, data


def _data_and_runs(scenario: Scenario, params: dict[str, Any]) -> tuple[Data, list[Run]]:
    """The lesson's data and runs, refused in one line where the lesson's code returns something else."""
    data = scenario.make_data(params)
    if not isinstance(data, Data):
        raise ScenarioError(f"lesson '{scenario.name}': make_data must return a Data(x, y, grid), got "
                            f"{type(data).__name__}")
    runs = list(scenario.make_runs(params, data))
    if not runs:
        raise ScenarioError(f"lesson '{scenario.name}' defines no runs")
    if not all(isinstance(run, Run) for run in runs):
        raise ScenarioError(f"lesson '{scenario.name}': make_runs must return Run(...) objects")
    return data, runs


def _common_steps(scenario: Scenario, runs: list[Run]) -> int:
    """The steps every run trains for: the runs share one frame schedule, so they must agree."""
    totals = {run.steps for run in runs}
    if len(totals) != 1:
        raise ScenarioError(f"lesson '{scenario.name}': all runs must train for the same number of steps")
    return totals.pop()


def _built_model(scenario: Scenario, run: Run, seed: int) -> Any:
    """``run``'s model built from ``seed``, refused here if it is not a compiled Keras model (fit_and_record
    would fail obscurely)."""
    seed_everything(seed)
    model = run.build()
    is_model = callable(getattr(model, "fit", None))
    if not is_model or getattr(model, "optimizer", None) is None:
        got = "a model that is not compiled" if is_model else type(model).__name__
        raise ScenarioError(f"lesson '{scenario.name}': run '{run.name}': build() must return a compiled "
                            f"Keras model, got {got}")
    return model


def _train_side_by_side(runs: list[Run], models: list[Any], data: Data, schedule: np.ndarray, seed: int, bar: Any, *,
                        fast: bool, threads: int | None) -> list[Recording]:
    """Each run's recording, its steps counted on the shared progress ``bar``.

    Runs are independent, and TensorFlow's graphs run without the GIL: one thread per core. Under the
    other backends model.fit's Python loop holds the GIL, and runs train one after the other."""

    def train_one(run: Any, model: Any) -> Recording:
        done = [0]

        def advance(step: int) -> None:
            bar.update(step - done[0])
            done[0] = step

        return fit_and_record(model, run, data, schedule, seed, on_frame=advance, fast=fast)

    workers = min(len(runs), threads or os.cpu_count() or 1) if compiled_loop_available() else 1
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="nn-animate-run") as pool:
        futures = [pool.submit(train_one, run, model) for run, model in zip(runs, models, strict=True)]
        try:
            return [future.result() for future in futures]
        except BaseException:  # Ctrl-C, or one run failed: stop the others at their next block of steps
            for model, future in zip(models, futures, strict=True):
                future.cancel()
                model.stop_training = True
            raise


def _with_landscape(recording: Recording, scenario: Scenario, model: Any, data: Any) -> Recording:
    if recording.weights is not None and recording.weights.shape[2] == 2 and data.x.shape[1] == 1:
        # Two parameters: the loss surface they move on (same data and architecture for every run).
        w_axis, b_axis = lattice_axes(recording.weights, scenario.view.get("weights_optimum"))
        recording = dataclasses.replace(recording, landscape=loss_landscape(model, data.x, data.y, w_axis, b_axis),
                                        landscape_w=w_axis, landscape_b=b_axis)
    return recording


def _train_varied(scenario: Scenario, params: Mapping[str, Any] | None, vary: Mapping[str, Sequence[Any]], *,
                  progress: bool, fast: bool, threads: int | None) -> Recording:
    """The lesson once per value of one parameter, as one recording (``train(..., vary=...)``)."""
    plan = vary_plan(scenario, params, vary)
    parts = [_train_lesson(scenario, value_params, progress=progress, fast=fast, threads=threads, label=f" {label}")
             for value_params, label in zip(plan.params, plan.labels, strict=True)]
    recordings = [recording for recording, _, _ in parts]
    names = [run_name(run, label)
             for recording, label in zip(recordings, plan.labels, strict=True) for run in recording.runs]
    runs_meta = [{**run, "varied": {plan.name: value}}
                 for recording, value in zip(recordings, plan.values, strict=True) for run in recording.meta["runs"]]
    runs_meta = [{**run, "name": name} for run, name in zip(runs_meta, names, strict=True)]
    first = recordings[0]
    meta = {
        **first.meta,
        "params": scenario.resolve(params),  # the lesson's own setting; each run's value is in its "varied"
        "vary": {"name": plan.name, "values": list(plan.values)},
        "runs": runs_meta,
        "view": varied_view(first.meta.get("view", {}), plan, len(first.runs)),
    }
    same_steps = all(np.array_equal(recording.steps, first.steps) for recording in recordings)
    recording = Recording.combine(recordings, meta, align="exact" if same_steps else "step", names=names)
    recording = dataclasses.replace(recording, target=first.target)
    # One loss surface under every path, when every value trained the same model shape on the same data.
    datas = [data for _, _, data in parts]
    if all(np.array_equal(data.x, datas[0].x) and np.array_equal(data.y, datas[0].y) for data in datas):
        recording = _with_landscape(recording, scenario, parts[-1][1][-1], datas[0])
    return recording

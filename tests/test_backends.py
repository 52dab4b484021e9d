"""The recorder, the loss landscape and the lesson trainer under each Keras 3 backend.

Keras fixes its backend when it is first imported, so each backend gets its own Python process:
a small script trains through ``model.fit`` with a PredictionRecorder and prints what it measured
as JSON; the assertions are made here.
"""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.trains

ROOT = Path(__file__).resolve().parents[1]
BACKENDS = [
    pytest.param(name, marks=pytest.mark.skipif(importlib.util.find_spec(module) is None,
                                                reason=f"{module} is not installed"))
    for name, module in (("tensorflow", "tensorflow"), ("jax", "jax"), ("torch", "torch"))
]

SCRIPT = r"""
import json, sys
import numpy as np
import keras
from animate import PredictionRecorder
from animate.landscape import loss_landscape
from animate.train import seed_everything


def regression_model():
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(8, activation="tanh"), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    return model


x = np.linspace(-2, 2, 64)[:, None].astype("float32")
y = np.sin(2 * x)
grid = np.linspace(-3, 3, 40)[:, None].astype("float32")

seed_everything(3)
first = [w.copy() for w in regression_model().get_weights()]
seed_everything(3)
model = regression_model()
again = model.get_weights()

recorder = PredictionRecorder(grid, every=4, x=x, y=y)
model.fit(x, y, epochs=3, batch_size=16, callbacks=[recorder], verbose=0)  # 4 steps an epoch, 12 in all
recording = recorder.recording

# A binary classifier with one sigmoid output: accuracy is recorded from the 0.5 boundary.
labels = (x[:, 0] > 0.3).astype("float32")[:, None]
classifier = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation="sigmoid")])
classifier.compile(optimizer=keras.optimizers.SGD(0.5), loss="binary_crossentropy")
binary = PredictionRecorder(grid, every=2, x=x, y=labels)
classifier.fit(x, labels, epochs=2, batch_size=32, callbacks=[binary], verbose=0)

neuron = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation="relu")])
neuron.compile(optimizer="sgd", loss="mse")
w_axis, b_axis = np.linspace(-3, 3, 7), np.linspace(-2, 2, 5)

print(json.dumps({
    "backend": keras.backend.backend(),
    "seeded_alike": all(np.array_equal(a, b) for a, b in zip(first, again)),
    "steps": recording.steps.tolist(),
    "predictions": recording.predictions[0].tolist(),
    "predict": model.predict(grid, verbose=0).tolist(),
    "loss": recording.loss[0].tolist(),
    "evaluate": float(model.evaluate(x, y, verbose=0)),
    "weights": recording.weights[0, -1].tolist(),
    "model_weights": np.concatenate([np.ravel(w) for w in model.get_weights()]).tolist(),
    "meta": recording.meta,
    "binary_accuracy": binary.recording.accuracy[0].tolist(),
    "binary_predict": classifier.predict(x, verbose=0).tolist(),
    "landscape": loss_landscape(neuron, x, y, w_axis, b_axis).tolist(),
}))
"""


def _environment(backend: str) -> dict[str, str]:
    return {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONPATH": str(ROOT)}


@pytest.mark.parametrize("backend", BACKENDS)
def test_recorder_records_what_the_model_computes_under_each_backend(backend):
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=_environment(backend), cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["backend"] == backend
    assert result["seeded_alike"]  # seed_everything seeds this backend's initialisers

    assert result["steps"] == [0, 4, 8, 12]
    predictions = np.array(result["predictions"])
    assert all(np.abs(np.diff(predictions, axis=0)).max(axis=(1, 2)) > 1e-4)  # every frame moved on
    np.testing.assert_allclose(predictions[-1], result["predict"], rtol=1e-5, atol=1e-6)
    assert result["loss"][-1] == pytest.approx(result["evaluate"], rel=1e-5)
    assert result["loss"][-1] < result["loss"][0]
    np.testing.assert_allclose(result["weights"], result["model_weights"], rtol=1e-6)

    run = result["meta"]["runs"][0]
    assert run["backend"] == backend
    assert run["summary"] == "1 → 8 tanh → 1 · Adam 0.05 · MSE"
    assert result["meta"]["versions"][backend]

    # The binary classifier's last accuracy is the share of points on the right side of 0.5.
    x = np.linspace(-2, 2, 64)
    expected = np.mean((np.array(result["binary_predict"])[:, 0] > 0.5) == (x > 0.3))
    assert result["binary_accuracy"][-1] == pytest.approx(expected)

    w, b = np.meshgrid(np.linspace(-3, 3, 7), np.linspace(-2, 2, 5))
    x = x.astype("float32")
    mse = np.mean((np.maximum(w[..., None] * x + b[..., None], 0) - np.sin(2 * x)) ** 2, axis=-1)
    np.testing.assert_allclose(result["landscape"], mse, rtol=1e-4)


@pytest.mark.skipif(importlib.util.find_spec("jax") is None, reason="jax is not installed")
def test_a_lesson_runs_from_the_command_line_under_jax(tmp_path):
    """The compiled trainer is TensorFlow's: under JAX the lesson trains through model.fit instead, on the
    same batches, and records what TensorFlow records."""
    done = subprocess.run(
        [sys.executable, "-m", "animate", "run", "dying_relu", "--out", str(tmp_path), "--no-render", "--quiet",
         "--set", "steps=60", "--set", "every=20"],
        env=_environment("jax"), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr

    from animate import Recording

    recording = Recording.load(tmp_path / "dying_relu.npz")
    np.testing.assert_array_equal(recording.steps, [0, 20, 40, 60])
    assert [run["backend"] for run in recording.meta["runs"]] == ["jax", "jax"]
    live, dead = recording.runs.index("live neuron"), recording.runs.index("dead neuron")
    assert recording.loss[live, -1] < recording.loss[live, 0]  # the live neuron learns
    assert np.all(recording.weights[dead] == recording.weights[dead, 0])  # the dead one never moves
    assert recording.landscape is not None and np.all(np.isfinite(recording.landscape))

    keras = pytest.importorskip("keras")
    if keras.backend.backend() == "tensorflow":  # both neurons start from constants: the backends agree
        import scenarios
        from animate.train import train

        reference = train(scenarios.get("dying_relu"), {"steps": 60, "every": 20})
        np.testing.assert_allclose(recording.predictions, reference.predictions, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(recording.weights, reference.weights, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(recording.landscape, reference.landscape, rtol=1e-5, atol=1e-6)

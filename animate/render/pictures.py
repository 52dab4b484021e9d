"""Which picture a recording gets, decided in one place from its shape and what the model was.

A user's model can be a regression with several outputs, a binary classifier with one sigmoid,
a softmax over many classes, on one, two or more input features. The recorder stores the input
dimension, the number of outputs and what it knows of the model (loss, output activation, integer
labels, from_logits) in the recording's meta; recordings written by hand have none of that, so
the data decides (outputs in [0, 1] summing to one are class probabilities).

The result, a ``Picture``, names the kind, its panel class and the prepared predictions
(probabilities where the model outputs logits). ``figure.py`` lays out whatever panel it is given.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from animate.errors import RenderError
from animate.recording import Recording
from animate.view import PICTURES, TASKS

BINARY_LOSSES = {"binary_crossentropy", "binary_focal_crossentropy", "hinge", "squared_hinge"}
MULTICLASS_LOSSES = {"categorical_crossentropy", "sparse_categorical_crossentropy", "categorical_focal_crossentropy",
                     "categorical_hinge"}
MAX_OUTPUT_PANELS = 6  # beyond this, panels are too narrow to read; the user picks outputs
KINDS = PICTURES


@dataclass(frozen=True)
class Picture:
    """What to draw: ``kind``, whether it is a map (2-D) or curves (1-D), and for which outputs."""

    kind: str
    recording: Recording  # predictions as probabilities for classifiers, whatever the model output
    task: str
    outputs: tuple[int, ...]  # regression outputs drawn, one panel each; classifiers: every class
    positive: int  # the class whose probability a binary picture shows
    positive_output: int  # ...and the output that holds it (0 for one sigmoid, the class for a softmax)
    labels: np.ndarray | None  # (N,) integer class of each training point, for classifiers
    class_names: tuple[str, ...]
    input_label: str | None = None  # curves over one of several features: its name, and the others held

    @property
    def is_map(self) -> bool:
        return self.kind.endswith("_map")

    @property
    def class_count(self) -> int:
        return len(self.class_names)


def _run_facts(recording: Recording) -> list[Mapping[str, Any]]:
    return [run for run in recording.meta.get("runs", []) if isinstance(run, Mapping)]


def infer_task(recording: Recording) -> str:
    """regression, binary or multiclass: from the recorded model facts, else from the numbers."""
    facts = _run_facts(recording)
    told = {str(run["task"]) for run in facts if run.get("task") in TASKS}
    if len(told) == 1:
        return told.pop()
    losses = {str(run.get("loss", "")) for run in facts}
    if losses and losses <= BINARY_LOSSES:
        return "binary"
    if losses and losses <= MULTICLASS_LOSSES:
        return "multiclass"
    if losses - {""}:
        return "regression"
    predictions = recording.predictions[np.isfinite(recording.predictions).all(axis=-1)]
    if predictions.size == 0 or predictions.min() < -1e-6 or predictions.max() > 1 + 1e-6:
        return "regression"
    outputs = recording.predictions.shape[3]
    if outputs > 1:
        return "multiclass" if np.allclose(predictions.sum(axis=-1), 1.0, atol=1e-3) else "regression"
    y = recording.y_train
    return "binary" if y is not None and np.isin(y, (0.0, 1.0)).all() else "regression"


def _probabilities(recording: Recording, task: str) -> Recording:
    """Models compiled with ``from_logits=True`` output logits: turn them into probabilities once."""
    if task == "regression" or not any(run.get("from_logits") for run in _run_facts(recording)):
        return recording
    logits = recording.predictions.astype(np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        if logits.shape[3] == 1:
            probabilities = 1.0 / (1.0 + np.exp(-logits))
        else:
            shifted = np.exp(logits - np.nanmax(logits, axis=-1, keepdims=True))
            probabilities = shifted / shifted.sum(axis=-1, keepdims=True)
    return dataclasses.replace(recording, predictions=probabilities.astype(recording.predictions.dtype))


def class_labels(recording: Recording) -> np.ndarray | None:
    """Each training point's class, whether the labels are one-hot rows or integer classes."""
    y = recording.y_train
    if y is None:
        return None
    if y.shape[1] > 1:
        return y.argmax(axis=1)
    return np.rint(y[:, 0]).astype(int)


DEFAULT_KINDS = {
    ("regression", False): "curves", ("binary", False): "probability_curves", ("multiclass", False): "class_curves",
    ("regression", True): "value_map", ("binary", True): "probability_map", ("multiclass", True): "class_map",
}


def choose_picture(recording: Recording, view: Mapping[str, Any]) -> Picture:
    """The picture for this recording; ``view["picture"]`` forces a kind, ``view["outputs"]`` picks outputs."""
    recording, input_label = _over_the_one_varying_feature(recording, view)
    inputs, outputs = recording.grid.shape[1], recording.predictions.shape[3]
    task = view.get("task") or infer_task(recording)
    if task not in TASKS:
        raise RenderError(f"unknown task '{task}'; choose from: {', '.join(TASKS)}")
    recording = _probabilities(recording, task)
    classes = max(2, outputs) if task != "regression" else 0  # one sigmoid output: two classes
    labels = class_labels(recording) if task != "regression" else None
    if task == "multiclass" and outputs == 2:
        task = "binary"  # a 2-way softmax is a binary classifier: show P(class 1)
    positive = int(view.get("map_class", 1))
    positive_output = positive if outputs > 1 else 0  # one sigmoid output is P(class 1)
    if task == "binary" and not (0 <= positive < outputs if outputs > 1 else positive == 1):
        raise RenderError(f"map_class {positive} is not a class of the recording's {outputs} output(s)")
    kind = _checked_kind(view.get("picture") or DEFAULT_KINDS[(task, inputs >= 2)], inputs)
    chosen = _chosen_outputs(view, kind, outputs)
    names = _class_names(view, task, classes, outputs)
    return Picture(kind=kind, recording=recording, task=task, outputs=chosen, positive=positive,
                   positive_output=positive_output, labels=labels, class_names=names, input_label=input_label)


def feature_names(recording: Recording, view: Mapping[str, Any]) -> list[str]:
    """Each input feature's name: the view's, else the model inputs' (recorded), else "feature k"."""
    names = list(view.get("feature_names") or [])
    return names + [f"feature {k}" for k in range(len(names), recording.grid.shape[1])]


def _over_the_one_varying_feature(recording: Recording, view: Mapping[str, Any]) -> tuple[Recording, str | None]:
    """A grid over several features that varies only one (a two-input model, the other input held)
    is drawn as curves over that one: the recording narrowed to it, and an axis label saying what is held."""
    grid = recording.grid
    if grid.shape[1] == 1 or (view.get("picture") or "").endswith("_map"):
        return recording, None
    varying = [k for k in range(grid.shape[1]) if np.ptp(grid[:, k]) > 0]
    if len(varying) != 1:
        return recording, None
    [k] = varying
    names = feature_names(recording, view)
    held = ", ".join(f"{names[j]} = {grid[0, j]:g}" for j in range(grid.shape[1]) if j != k)
    narrowed = dataclasses.replace(
        recording, grid=grid[:, [k]],
        x_train=None if recording.x_train is None else recording.x_train[:, [k]],
        x_val=None if recording.x_val is None else recording.x_val[:, [k]])
    return narrowed, f"{names[k]} ({held} held)"


def _checked_kind(kind: str, inputs: int) -> str:
    if kind not in KINDS:
        raise RenderError(f"unknown picture '{kind}'; choose from: {', '.join(KINDS)}")
    if kind.endswith("_map") and inputs < 2:
        raise RenderError(f"picture '{kind}' needs at least two input features; this recording has {inputs}")
    if kind in ("curves", "probability_curves", "class_curves") and inputs != 1:
        raise RenderError(f"picture '{kind}' draws curves over one input; this recording has {inputs} "
                          "(use a map: value_map, probability_map or class_map)")
    return kind


def _chosen_outputs(view: Mapping[str, Any], kind: str, outputs: int) -> tuple[int, ...]:
    chosen = tuple(int(k) for k in view.get("outputs", range(outputs)))
    if any(not 0 <= k < outputs for k in chosen) or not chosen:
        raise RenderError(f"outputs {list(chosen)} are not among the recording's {outputs} outputs")
    if kind == "curves" and len(chosen) > MAX_OUTPUT_PANELS:
        raise RenderError(f"the recording has {len(chosen)} outputs; draw at most {MAX_OUTPUT_PANELS} at once "
                          "(choose them with view outputs=[...])")
    return chosen


def _class_names(view: Mapping[str, Any], task: str, classes: int, outputs: int) -> tuple[str, ...]:
    names = view.get("class_names")
    if names is not None and task == "regression":
        raise RenderError(f"class names given, but this recording is a regression ({outputs} output value(s), "
                          "no classes); class names are for classifiers")
    if names is None:
        names = [f"class {k}" for k in range(classes)]
    names = tuple(str(name) for name in names)
    if len(names) != classes:
        raise RenderError(f"{len(names)} class names given for {classes} classes")
    return names

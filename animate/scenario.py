"""What a lesson declares: its message, parameters, data, runs and how it wants to be drawn.

A scenario is plain data plus two functions (make the data, make the runs), so that adding a
lesson is adding one file to ``scenarios/`` and the trainer needs no lesson-specific code.
Scenario modules import Keras only inside ``build`` functions, so listing lessons stays instant.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from animate.errors import ScenarioError
from animate.schedule import SCHEDULES
from animate.view import View

Params = Mapping[str, Any]
UNIVERSAL_PARAMS = {"frames": "linear"}  # every lesson takes these, whether it declares them or not
REQUIRED_PARAMS = ("seed", "lr", "every")  # and one of "steps" / "epochs"
POSITIVE_WHOLE = ("every", "steps", "epochs", "batch_size", "n_points")
MAX_SEED = 2**32 - 1
TRUE_WORDS, FALSE_WORDS = {"true", "yes", "on", "1"}, {"false", "no", "off", "0"}


@dataclass(frozen=True)
class Data:
    """Training set and the grid the predictions are recorded on (all 2-D: rows are samples)."""

    x: np.ndarray  # (N, D)
    y: np.ndarray  # (N, K)
    grid: np.ndarray  # (G, D)
    target: np.ndarray | None = None  # (G, K): the true function on the grid, where known
    x_val: np.ndarray | None = None  # (V, D): a validation set, its loss recorded beside the training loss
    y_val: np.ndarray | None = None  # (V, K)


@dataclass(frozen=True)
class Run:
    """One model trained within a lesson. ``build`` returns a compiled model; the trainer seeds first."""

    name: str
    build: Callable[[], Any]
    batch_size: int
    steps: int
    describe: Mapping[str, Any] = field(default_factory=dict)  # parameters shown in the recording's meta


@dataclass(frozen=True)
class Scenario:
    name: str
    message: str  # the lesson in one sentence: the animation's title
    params: Params  # every tunable parameter with its default; the default's type is the parameter's type
    make_data: Callable[[Params], Data]
    make_runs: Callable[[Params, Data], Sequence[Run]]
    view: Mapping[str, Any] = field(default_factory=dict)  # hints for the renderer (labels, layout, shading)

    def __post_init__(self) -> None:
        missing = [name for name in REQUIRED_PARAMS if name not in self.params]
        if not ("steps" in self.params or "epochs" in self.params):
            missing.append("steps or epochs")
        if missing:
            raise ScenarioError(f"scenario '{self.name}' lacks parameters: {', '.join(missing)}")
        View.checked(self.view, f"lesson '{self.name}'", ScenarioError)

    def resolve(self, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Defaults updated with ``overrides``; strings (from the CLI) are parsed to each default's type."""
        params = {**UNIVERSAL_PARAMS, **self.params}
        for name, value in (overrides or {}).items():
            if name not in params:
                raise ScenarioError(
                    f"unknown parameter '{name}' for lesson '{self.name}'; known: {', '.join(sorted(params))}"
                )
            params[name] = parse_value(name, value, params[name])
        for name in POSITIVE_WHOLE:
            if name in params and params[name] < 1:
                raise ScenarioError(f"parameter '{name}' must be at least 1, got {params[name]}")
        if not 0 <= params["seed"] <= MAX_SEED:  # what NumPy, TensorFlow and JAX all accept
            raise ScenarioError(f"parameter 'seed' must be between 0 and {MAX_SEED:,}, got {params['seed']}")
        if not params["lr"] > 0:
            raise ScenarioError(f"parameter 'lr' must be positive, got {params['lr']}")
        if params["frames"] not in SCHEDULES:
            raise ScenarioError(f"parameter 'frames' must be one of: {', '.join(SCHEDULES)}; got '{params['frames']}'")
        return params


def parse_value(name: str, value: Any, default: Any) -> Any:
    """Parse ``value`` to the type of ``default`` (``bool("False")`` is True, so bools get words)."""
    kind = type(default)
    if isinstance(value, str):
        text = value.strip()
        try:
            if kind is bool:
                if text.lower() in TRUE_WORDS | FALSE_WORDS:
                    return text.lower() in TRUE_WORDS
                raise ValueError
            if kind is int:
                return int(text)
            if kind is float:
                number = float(text)
                if not math.isfinite(number):
                    raise ValueError
                return number
            return text
        except ValueError:
            expected = {bool: "true or false", int: "a whole number", float: "a finite number"}.get(kind, kind.__name__)
            raise ScenarioError(f"parameter '{name}' must be {expected}, got '{value}'") from None
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ScenarioError(f"parameter '{name}' must be of type {kind.__name__}, got {value!r}")
    return value

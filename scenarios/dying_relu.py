"""Lesson 1: a single ReLU neuron, one initialisation that learns and one that is dead from the start.

The target is bilinear, f(x) = 0 for x <= 1 and 2(x - 1) beyond: exactly what relu(2x - 2) draws.
Both starting points are draws from a standard normal (the tutorial's initialiser); we keep the
first draw that is active on the data and the first whose pre-activation w·x + b is negative on
every training point. The dead one gets zero gradient everywhere, so its (w, b) never move.
"""
from __future__ import annotations

import numpy as np

from animate.errors import ScenarioError
from animate.scenario import Data, Params, Run, Scenario

X_LOW, X_HIGH = 0.0, 3.0
KINK, SLOPE = 1.0, 2.0
MAX_DRAWS = 100_000


def bilinear(x: np.ndarray) -> np.ndarray:
    return np.where(x > KINK, SLOPE * (x - KINK), 0.0)


def make_data(params: Params) -> Data:
    x = np.linspace(X_LOW, X_HIGH, params["n_points"])[:, None]
    grid = np.linspace(X_LOW - 0.25, X_HIGH + 0.25, 241)[:, None]
    return Data(x=x, y=bilinear(x), grid=grid, target=bilinear(grid))


def starting_points(seed: int, x: np.ndarray) -> tuple[tuple[float, float], tuple[float, float]]:
    """The first normal draw of (w, b) that is active beyond the kink, and the first that is dead."""
    rng = np.random.default_rng(seed)
    alive = dead = None
    beyond = x[x > KINK]
    for _ in range(MAX_DRAWS):  # a few draws find both on any sensible data; on a handful of points, maybe never
        w, b = rng.standard_normal(2)
        pre_activation = w * x + b
        if dead is None and np.all(pre_activation < 0):
            dead = (float(w), float(b))
        elif alive is None and w > 0 and beyond.size and np.mean(w * beyond + b > 0) > 0.5:
            alive = (float(w), float(b))
        if alive is not None and dead is not None:
            return alive, dead
    raise ScenarioError(f"no {'live' if alive is None else 'dead'} starting neuron found for these {x.size} points "
                        f"in {MAX_DRAWS:,} draws: give more points (n_points) beyond the kink at x = {KINK:g}")


def make_runs(params: Params, data: Data) -> list[Run]:
    common = {"optimizer": "SGD", "learning_rate": params["lr"], "loss": "mse"}
    if params["start"] == "random":  # for sweeps: one neuron from the seed's first draw, dead or alive
        w, b = np.random.default_rng(params["seed"]).standard_normal(2)
        return [Run("neuron", neuron(float(w), float(b), params["lr"]), params["batch_size"], params["steps"],
                    {**common, "initial_w": float(w), "initial_b": float(b)})]
    if params["start"] != "chosen":
        raise ScenarioError(f"parameter 'start' must be 'chosen' or 'random', got '{params['start']}'")
    alive, dead = starting_points(params["seed"], data.x[:, 0])
    return [
        Run("live neuron", neuron(*alive, params["lr"]), params["batch_size"], params["steps"],
            {**common, "initial_w": alive[0], "initial_b": alive[1]}),
        Run("dead neuron", neuron(*dead, params["lr"]), params["batch_size"], params["steps"],
            {**common, "initial_w": dead[0], "initial_b": dead[1]}),
    ]


def neuron(w: float, b: float, lr: float):
    """A builder for one Dense(1) ReLU neuron starting at (w, b), trained with SGD."""

    def build():
        import keras

        model = keras.Sequential([
            keras.Input((1,)),
            keras.layers.Dense(1, activation="relu", kernel_initializer=keras.initializers.Constant(w),
                               bias_initializer=keras.initializers.Constant(b)),
        ])
        model.compile(optimizer=keras.optimizers.SGD(lr), loss="mse")
        return model
    return build


SCENARIO = Scenario(
    name="dying_relu",
    message="A ReLU neuron that is negative on every input gets zero gradient, so it never learns.",
    params={"seed": 0, "steps": 3000, "lr": 0.01, "every": 15, "batch_size": 10, "n_points": 100,
            "start": "chosen"},
    make_data=make_data,
    make_runs=make_runs,
    view={
        "target_label": "target f(x)",
        "weights_optimum": [SLOPE, -SLOPE * KINK],
        "run_notes": {"dead neuron": "w·x + b < 0 on every training point:\nReLU outputs 0, its gradient is 0,\n"
                                     "so w and b never change"},
    },
)

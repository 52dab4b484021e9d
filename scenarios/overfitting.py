"""Lesson 8: a net too big for a handful of noisy points learns the noise: its validation loss turns up.

Fifteen points of y = sin(1.5x) with noise, and a net of two 128-unit layers: tens of thousands of
weights for fifteen numbers. At first it learns the curve, and the loss on fresh points from the
same source (the validation set, drawn as rings) falls with the training loss. Then it bends to
the noisy points: the training loss keeps falling, the validation loss rises. The step where
validation was lowest is where to stop (what ``keras.callbacks.EarlyStopping`` would do), and the
loss panel names it. Adam's epsilon is raised to 0.01 so that its steps stay smooth once the
gradients are tiny (at the default 1e-7 the training loss spikes, which hides the lesson).
"""
from __future__ import annotations

import numpy as np

from animate.scenario import Data, Params, Run, Scenario

LIMIT = 3.0


def truth(x: np.ndarray) -> np.ndarray:
    return np.sin(1.5 * x)


def make_data(params: Params) -> Data:
    rng = np.random.default_rng(params["seed"])
    x = np.sort(rng.uniform(-LIMIT, LIMIT, (params["n_points"], 1)), axis=0)
    y = truth(x) + rng.normal(0, params["noise"], x.shape)
    x_val = rng.uniform(-LIMIT, LIMIT, (params["n_validation"], 1))
    y_val = truth(x_val) + rng.normal(0, params["noise"], x_val.shape)
    grid = np.linspace(-LIMIT, LIMIT, 301)[:, None]
    return Data(x=x, y=y, grid=grid, target=truth(grid), x_val=x_val, y_val=y_val)


def make_runs(params: Params, data: Data) -> list[Run]:
    units = params["units"]

    def build():
        import keras

        model = keras.Sequential([
            keras.Input((1,)),
            keras.layers.Dense(units, activation="tanh"),
            keras.layers.Dense(units, activation="tanh"),
            keras.layers.Dense(1),
        ])
        model.compile(optimizer=keras.optimizers.Adam(params["lr"], epsilon=params["epsilon"]), loss="mse")
        return model

    describe = {"optimizer": "Adam", "learning_rate": params["lr"], "loss": "mse", "hidden_units": units}
    return [Run(f"2 x {units} tanh units", build, params["n_points"], params["steps"], describe)]


SCENARIO = Scenario(
    name="overfitting",
    message="Too big a net for a handful of noisy points learns the noise: the validation loss turns up while "
            "the training loss keeps falling.",
    params={"seed": 3, "steps": 3000, "lr": 0.003, "every": 10, "n_points": 15, "n_validation": 200,
            "noise": 0.3, "units": 128, "epsilon": 0.01},
    make_data=make_data,
    make_runs=make_runs,
    view={"target_label": "y = sin(1.5x)", "layout": "overlay"},
)

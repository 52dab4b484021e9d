"""Lesson 4: fit y = x² on [-5, 5] and look beyond: a ReLU net continues as straight lines.

A ReLU net is piecewise linear: inside the training range its kinks bend the line onto the
parabola; outside it there is nothing to fit, and the last linear piece just carries on. We show
x in [-10, 10] with the training range shaded, for nets of 3, 10 and 50 hidden units: fewer units
give fewer, longer pieces, and every one of them extrapolates as a straight line.
"""
from __future__ import annotations

import numpy as np

from animate.scenario import Data, Params, Run, Scenario

TRAIN_LIMIT, SHOW_LIMIT = 5.0, 10.0


def make_data(params: Params) -> Data:
    rng = np.random.default_rng(params["seed"])
    x = rng.uniform(-TRAIN_LIMIT, TRAIN_LIMIT, (params["n_points"], 1))
    grid = np.linspace(-SHOW_LIMIT, SHOW_LIMIT, 401)[:, None]
    return Data(x=x, y=x**2, grid=grid, target=grid**2)


def make_runs(params: Params, data: Data) -> list[Run]:
    def net(units: int):
        def build():
            import keras

            model = keras.Sequential([
                keras.Input((1,)),
                # Random biases spread the kinks over the inputs; zero biases would put all at x = 0.
                keras.layers.Dense(units, activation="relu", kernel_initializer="he_uniform",
                                   bias_initializer="he_uniform"),
                keras.layers.Dense(1),
            ])
            model.compile(optimizer=keras.optimizers.Adam(params["lr"]), loss="mse")
            return model
        return build

    describe = {"optimizer": "Adam", "learning_rate": params["lr"], "loss": "mse"}
    sizes = [params["small_units"], params["units"], params["large_units"]]
    return [Run(f"{units} hidden units", net(units), params["batch_size"], params["steps"],
                {**describe, "hidden_units": units}) for units in sizes]


SCENARIO = Scenario(
    name="square",
    message="A ReLU net fits y = x² inside its training range and continues as straight lines outside it.",
    params={"seed": 0, "steps": 3000, "lr": 0.02, "every": 15, "batch_size": 1000, "n_points": 4000,
            "small_units": 3, "units": 10, "large_units": 50},
    make_data=make_data,
    make_runs=make_runs,
    view={
        "target_label": "y = x²",
        "shade": [-TRAIN_LIMIT, TRAIN_LIMIT],
        "shade_label": "training range",
    },
)

"""Lesson 5: the same small net and task with sigmoid, tanh and ReLU hidden units.

Sigmoid units saturate: with weights of the size a default initialiser gives to inputs of a few
units, most units sit on a flat part of the curve where the gradient is nearly zero, and their
outputs are all positive (not zero-centred), which slows plain gradient descent further. Tanh has
the same shape but is centred on zero and four times steeper at its middle: it learns faster. ReLU
never saturates for positive inputs and fits with straight pieces.
"""
from __future__ import annotations

import numpy as np

from animate.scenario import Data, Params, Run, Scenario

X_LIMIT = 3.0


def target(x: np.ndarray) -> np.ndarray:
    return np.sin(1.5 * x)


def make_data(params: Params) -> Data:
    rng = np.random.default_rng(params["seed"])
    x = np.sort(rng.uniform(-X_LIMIT, X_LIMIT, (params["n_points"], 1)), axis=0)
    y = target(x) + rng.normal(0, params["noise"], x.shape)
    grid = np.linspace(-X_LIMIT, X_LIMIT, 241)[:, None]
    return Data(x=x, y=y, grid=grid, target=target(grid))


def make_runs(params: Params, data: Data) -> list[Run]:
    def net(activation: str):
        def build():
            import keras

            init = keras.initializers.RandomNormal(stddev=params["init_scale"])
            model = keras.Sequential([
                keras.Input((1,)),
                keras.layers.Dense(params["units"], activation=activation, kernel_initializer=init,
                                   bias_initializer=init),
                keras.layers.Dense(1),
            ])
            model.compile(optimizer=keras.optimizers.SGD(params["lr"]), loss="mse")
            return model
        return build

    describe = {"optimizer": "SGD", "learning_rate": params["lr"], "loss": "mse", "hidden_units": params["units"],
                "init_stddev": params["init_scale"]}
    return [Run(name, net(name), params["batch_size"], params["steps"], {**describe, "activation": name})
            for name in ("sigmoid", "tanh", "relu")]


SCENARIO = Scenario(
    name="activations",
    message=("Same net, same data: sigmoid units saturate and learn slowest, tanh learns faster, "
             "ReLU fits in straight pieces."),
    params={"seed": 0, "steps": 3000, "lr": 0.05, "every": 15, "batch_size": 20, "n_points": 200, "noise": 0.1,
            "units": 16, "init_scale": 1.0},
    make_data=make_data,
    make_runs=make_runs,
    view={
        "target_label": "target sin(1.5x)",
    },
)

"""Lesson 6: a tiny classifier's decision boundary taking shape.

1,000 people, half of them men, described by three standardised features (weight, height, age)
drawn from a unit normal; men are shifted by +1 in weight and height and by -1 in age. A 3 → 4
ReLU → 2 softmax net learns to tell them apart. The classes overlap, so no boundary can be
perfect: the best possible accuracy is Φ(√3 / 2) ≈ 0.81, and the net ends near 0.79.

We record on a 2-D lattice over weight and height with age held at 0, and draw P(man) there.
"""
from __future__ import annotations

import numpy as np

from animate.scenario import Data, Params, Run, Scenario

SHIFT = np.array([1.0, 1.0, -1.0])  # men: heavier, taller, younger (in standard units)
MAP_LIMIT, MAP_POINTS = 3.5, 61


def make_data(params: Params) -> Data:
    rng = np.random.default_rng(params["seed"])
    count = params["n_points"]
    is_man = np.arange(count) < count // 2
    x = rng.standard_normal((count, 3)) + np.where(is_man[:, None], SHIFT, 0.0)
    y = np.stack([~is_man, is_man], axis=1).astype(float)  # one-hot: (woman, man)
    axis = np.linspace(-MAP_LIMIT, MAP_LIMIT, MAP_POINTS)
    weight, height = np.meshgrid(axis, axis)
    grid = np.stack([weight.ravel(), height.ravel(), np.zeros(weight.size)], axis=1)
    return Data(x=x, y=y, grid=grid)


def make_runs(params: Params, data: Data) -> list[Run]:
    def build():
        import keras

        model = keras.Sequential([
            keras.Input((3,)),
            keras.layers.Dense(params["units"], activation="relu"),
            keras.layers.Dense(2, activation="softmax"),
        ])
        model.compile(optimizer=keras.optimizers.RMSprop(params["lr"]), loss="categorical_crossentropy")
        return model

    steps = params["epochs"] * int(np.ceil(params["n_points"] / params["batch_size"]))
    describe = {"optimizer": "RMSprop", "learning_rate": params["lr"], "loss": "categorical_crossentropy",
                "hidden_units": params["units"], "epochs": params["epochs"]}
    return [Run(f"3 → {params['units']} ReLU → 2 softmax", build, params["batch_size"], steps, describe)]


SCENARIO = Scenario(
    name="classifier",
    message="A classifier's decision boundary takes shape; overlapping classes cap its accuracy near 0.8.",
    params={"seed": 0, "epochs": 10, "lr": 0.001, "every": 5, "batch_size": 8, "n_points": 1000, "units": 4},
    make_data=make_data,
    make_runs=make_runs,
    view={
        "map_axes": [0, 1],
        "map_class": 1,
        "map_labels": ["weight (standardised)", "height (standardised)"],
        "feature_names": ["weight", "height", "age"],
        "class_names": ["woman", "man"],
        "loss_label": "cross-entropy",
    },
)

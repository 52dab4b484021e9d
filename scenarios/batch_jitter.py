"""Lesson 2: the same single ReLU neuron, trained with a small batch and with the full batch.

A small batch's gradient is a noisy estimate of the whole set's, so some steps make the whole-set
loss worse: the curve jitters. The full batch follows the true gradient; with a small enough
learning rate its loss can only go down. We record every step, so each jitter is a frame.
"""
from __future__ import annotations

import numpy as np

from animate.scenario import Data, Params, Run, Scenario
from scenarios.dying_relu import KINK, SLOPE, bilinear, neuron, starting_points

X_LOW, X_HIGH = 0.0, 3.0


def make_data(params: Params) -> Data:
    rng = np.random.default_rng(params["seed"])
    x = np.sort(rng.uniform(X_LOW, X_HIGH, params["n_points"]))[:, None]
    y = bilinear(x) + rng.normal(0, params["noise"], x.shape)
    grid = np.linspace(X_LOW - 0.25, X_HIGH + 0.25, 241)[:, None]
    return Data(x=x, y=y, grid=grid, target=bilinear(grid))


def make_runs(params: Params, data: Data) -> list[Run]:
    w, b = starting_points(params["seed"], data.x[:, 0])[0]  # the live neuron of lesson 1

    build = neuron(w, b, params["lr"])

    common = {"optimizer": "SGD", "learning_rate": params["lr"], "loss": "mse", "initial_w": w, "initial_b": b}
    small, full = params["batch_size"], params["n_points"]
    return [
        Run(f"batch of {small}", build, small, params["steps"], common),
        Run(f"full batch ({full})", build, full, params["steps"], common),
    ]


SCENARIO = Scenario(
    name="batch_jitter",
    message="Small batches give noisy gradients: the whole-set loss jitters, where the full batch's only falls.",
    params={"seed": 0, "steps": 400, "lr": 0.1, "every": 1, "batch_size": 4, "n_points": 1000, "noise": 0.2},
    make_data=make_data,
    make_runs=make_runs,
    view={
        "target_label": "target f(x)",
        "weights_optimum": [SLOPE, -SLOPE * KINK],
        "count_rises": True,
    },
)

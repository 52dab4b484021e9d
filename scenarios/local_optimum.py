"""Lesson 3: plain SGD stalls in a local optimum where Adam keeps going, whatever the layer count.

The tutorial fits a noisy sine over three half-waves with two nets of about 120 weights, one hidden
layer of 60 ReLU units and two of 10, each trained with plain SGD and with Adam for ~20,000 steps.
1x60 + SGD fits the first hill, then sits on a plateau; Adam takes both nets to the noise level.

Choices made here, and why (measured with ``bench/search_local_optimum.py``):

* The net sees x/π, so its input lies in [0, 3] and the axis reads in units of π.
* Hidden layers use HeUniform for the biases as well as the kernels: zero biases put every ReLU's
  kink at x = 0, the edge of the data, and then no net learns the sine at all.
* Adam at lr 0.005, not its default 0.001: at 0.001 the 1x60 Adam run sticks as well.
* ``steps_per_execution`` (default 1) only trades frames for speed: Keras then calls the recorder
  every K steps, so frames land on multiples of K, while the weights after each step are the same
  bit for bit (measured at K = 10 for SGD and Adam). The default keeps every early step, where the
  loss falls fastest; the test and the seed search use K = 10 and train ~2-3x faster.
* Seed 9 of 0-9 is shown; see ``SEARCH`` for what the other seeds do. The story is one seed's, and
  the caption says how many seeds tell it.
"""
from __future__ import annotations

import numpy as np

from animate.errors import ScenarioError
from animate.scenario import Data, Params, Run, Scenario

HALF_WAVES = 3  # x in [0, 3π]: more than one hill, so a net can fit the first and stop there
DATA_SEED = 0  # the noise is drawn once, whatever the model seed: every seed fits the same points
GRID_MARGIN = 0.05  # in units of π: a little beyond the data, where the fits' straight ends show

# Final whole-set MSE at the default parameters, seeds 0-9 (bench/search_local_optimum.py).
# "story" = 1x60 SGD plateaus (end / at 20% > 0.75) and the best Adam run ends 3x lower and < 0.02.
SEARCH = """
filled in by the search
"""


def make_data(params: Params) -> Data:
    if params["noise"] < 0:
        raise ScenarioError(f"parameter 'noise' must be at least 0, got {params['noise']}")
    x = np.linspace(0.0, HALF_WAVES * np.pi, params["n_points"])
    noise = np.random.default_rng(DATA_SEED).normal(0.0, params["noise"], x.shape)
    grid = np.linspace(-GRID_MARGIN, HALF_WAVES + GRID_MARGIN, 241)
    return Data(x=(x / np.pi)[:, None], y=(np.sin(x) + noise)[:, None], grid=grid[:, None],
                target=np.sin(np.pi * grid)[:, None])


def make_runs(params: Params, data: Data) -> list[Run]:
    if not params["adam_lr"] > 0:
        raise ScenarioError(f"parameter 'adam_lr' must be positive, got {params['adam_lr']}")
    if params["steps_per_execution"] < 1 or params["steps"] % params["steps_per_execution"]:
        # Keras runs whole executions: 20,000 steps in executions of 7 would train 20,006.
        raise ScenarioError(f"parameter 'steps_per_execution' must divide steps ({params['steps']}), "
                            f"got {params['steps_per_execution']}")

    def net(hidden: tuple[int, ...], optimizer: str, learning_rate: float):
        def build():
            import keras

            layers = [keras.Input((1,))]
            for units in hidden:
                layers.append(keras.layers.Dense(units, activation="relu", kernel_initializer="he_uniform",
                                                 bias_initializer="he_uniform"))
            layers.append(keras.layers.Dense(1))
            model = keras.Sequential(layers)
            maker = {"SGD": keras.optimizers.SGD, "Adam": keras.optimizers.Adam}[optimizer]
            model.compile(optimizer=maker(learning_rate), loss="mse",
                          steps_per_execution=params["steps_per_execution"])
            return model
        return build

    runs = []
    for optimizer, learning_rate in (("SGD", params["lr"]), ("Adam", params["adam_lr"])):
        for hidden in ((60,), (10, 10)):
            name = f"{'x'.join(map(str, (len(hidden), hidden[0])))}, {optimizer}"
            runs.append(Run(name, net(hidden, optimizer, learning_rate), params["batch_size"], params["steps"],
                            {"optimizer": optimizer, "learning_rate": learning_rate, "hidden_layers": list(hidden),
                             "activation": "relu", "initializer": "he_uniform (kernel and bias)", "loss": "mse"}))
    return runs


SCENARIO = Scenario(
    name="local_optimum",
    message="Plain SGD stalls in a local optimum; Adam keeps going: the optimizer matters more than the layer count.",
    params={"seed": 9, "steps": 20_000, "lr": 0.01, "adam_lr": 0.005, "batch_size": 10, "n_points": 100,
            "noise": 0.1, "every": 64, "frames": "log", "steps_per_execution": 1},
    make_data=make_data,
    make_runs=make_runs,
    view={
        "layout": "overlay",
        "xlabel": "x / π",
        "ylabel": "y",
        "target_label": "sin(x)",
        "loss_label": "MSE, whole training set",
        "step_scale": "symlog",
        "legend_loc": "lower left",
        "caption": "one seed (? of 10 seeds tell this story)",
    },
)

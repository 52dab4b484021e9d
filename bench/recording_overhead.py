"""How much PredictionRecorder slows down model.fit (target: at most 1.25x, aim 1.05x).

The net is a 1x60 ReLU net (Dense(60, relu) -> Dense(1)) on 1,000 points of sin(x) + noise,
batch 32, 60 epochs (1,920 optimizer steps), Adam, verbose=0. Ours records a 300-point grid, the
whole-set loss, the learning rate and (if small enough) the weights every 10 steps: 193 frames; a
second line adds a 300-point validation set (its loss in the same forward pass).

The baseline is the same fit with no callback at all: the plainest way to train, and the floor
any recorder has to be compared with. Each repeat builds and compiles a fresh model from the same
seed outside the timed region; only ``fit`` is timed. One warm-up fit of each kind comes first
(TensorFlow's one-off start-up costs are not ours).

For context, an extra line times the naive recorder people write by hand: a callback overriding
``on_train_batch_end`` that calls ``model.predict(grid)`` every 10 steps (over 20 epochs, against
a 20-epoch plain fit, because each of its predict calls costs tens of milliseconds).
"""
from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")  # as animate.train sets it; both sides alike

import keras  # noqa: E402
import numpy as np  # noqa: E402
from _common import alternate, report  # noqa: E402

from animate import PredictionRecorder  # noqa: E402

EVERY = 10
rng = np.random.default_rng(0)
X = rng.uniform(-3, 3, size=(1000, 1)).astype(np.float32)
Y = (np.sin(X) + rng.normal(0, 0.1, size=X.shape)).astype(np.float32)
GRID = np.linspace(-3, 3, 300, dtype=np.float32)[:, None]
X_VAL = rng.uniform(-3, 3, size=(300, 1)).astype(np.float32)
Y_VAL = (np.sin(X_VAL) + rng.normal(0, 0.1, size=X_VAL.shape)).astype(np.float32)


class NaivePredictEveryN(keras.callbacks.Callback):
    """What people write by hand: predict on the grid after every N-th batch."""

    def on_train_begin(self, logs=None):
        self.step, self.frames = 0, [self.model.predict(GRID, verbose=0)]

    def on_train_batch_end(self, batch, logs=None):
        self.step += 1
        if self.step % EVERY == 0:
            self.frames.append(self.model.predict(GRID, verbose=0))


def fit_seconds(make_callbacks, epochs: int = 60) -> float:
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(60, activation="relu"), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    callbacks = make_callbacks()
    start = time.perf_counter()
    model.fit(X, Y, batch_size=32, epochs=epochs, verbose=0, callbacks=callbacks)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    def ours() -> float:
        return fit_seconds(lambda: [PredictionRecorder(GRID, every=EVERY, x=X, y=Y)])

    def plain() -> float:
        return fit_seconds(lambda: [])

    def ours_validated() -> float:
        return fit_seconds(lambda: [PredictionRecorder(GRID, every=EVERY, x=X, y=Y, validation=(X_VAL, Y_VAL))])

    # The naive callback is slow (a predict call per frame), so its context line uses 20 epochs.
    def naive() -> float:
        return fit_seconds(lambda: [NaivePredictEveryN()], epochs=20)

    def plain_short() -> float:
        return fit_seconds(lambda: [], epochs=20)

    ours(), plain()  # warm-up
    with_recorder, without = alternate(ours, plain, repeats=args.repeats)
    report("fit 1x60 net, 1,920 steps, recorder every 10 steps vs no callback", f"{with_recorder:.2f} s",
           f"{without:.2f} s", with_recorder / without,
           f"median of {args.repeats} alternating repeats; target <= 1.25, aim 1.05")
    ours_validated()  # warm-up
    validated, without = alternate(ours_validated, plain, repeats=args.repeats)
    report("the same with a 300-point validation set (and the learning rate, always recorded)",
           f"{validated:.2f} s", f"{without:.2f} s", validated / without,
           f"median of {args.repeats} alternating repeats; target <= 1.10")
    naive_time, without = alternate(naive, plain_short, repeats=2)
    report("context, 20 epochs: naive on_train_batch_end + model.predict every 10 steps vs no callback",
           f"{naive_time:.2f} s", f"{without:.2f} s", naive_time / without,
           "'ours' here is the naive callback, not PredictionRecorder; median of 2")


if __name__ == "__main__":
    main()

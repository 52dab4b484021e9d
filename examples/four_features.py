"""Four inputs: a map over features 0 and 2 with the others held at 0; EarlyStopping ends the fit."""
import keras
import numpy as np

from animate import PredictionRecorder, grids, render

keras.utils.set_random_seed(0)
x = np.random.default_rng(0).normal(0, 1, (500, 4))
y = x[:, :1] - x[:, 1:2] + 0.5 * x[:, 2:3] ** 2
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mae")
grid = grids.lattice((-2, 2), (-2, 2), features=4, axes=(0, 2), hold=0)
recorder = PredictionRecorder(grid, every=5, x=x, y=y)
stop = keras.callbacks.EarlyStopping(monitor="loss", patience=3, min_delta=1e-3)
model.fit(x, y, epochs=200, batch_size=32, callbacks=[recorder, stop], verbose=0)
render(recorder.recording, "output/examples/four_features", formats=("gif", "png"))
